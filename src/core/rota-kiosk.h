/* rota-kiosk.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-models.h"
#include "rota-store.h"
#include "rota-sync.h"

G_BEGIN_DECLS

/*
 * The kiosk's logic, without GTK: the punch terminal in a back office
 * (DESIGN.md §5, issue 7). The window (src/gui/kiosk/) only shows it.
 *
 * - The credential file: the kiosk PC logs in automatically, so its
 *   keyring is locked; its token comes from a file named on the command
 *   line, accepted only when it is a regular file owned by the user with
 *   mode 0600. No other part of Rota reads a token from a file.
 * - Identifying: a badge number (what a keyboard-wedge reader types), or a
 *   name and a PIN, checked against the salted PBKDF2 hash in the employee
 *   record. Wrong PINs are throttled per employee and per device with
 *   growing delays and locked out after ROTA_KIOSK_MAX_FAILURES; the
 *   counts are kept in the store, so a restart does not reset them. A
 *   manager's PIN unlocks, and the unlock is audited.
 * - Punching: each punch is written with its outbox item in one
 *   transaction, with the device's sequence number (persisted), the
 *   monotonic clock in ms and the boot id, and flagged time_untrusted when
 *   the wall clock jumped since the last contact with the server. A jump
 *   while running is found by rota_kiosk_check_clock(), audited once, and
 *   makes the time untrusted until the server is reached again.
 * - Time: the wall clock corrected by the offset of the server's HTTP
 *   Date header at the last sync.
 *
 * Properties (notify): "online", "pending" (punches not yet on the
 * server), "time-trusted". Signal "changed" after a punch, a sync or an
 * unlock: whatever a screen shows may be out of date.
 */

#define ROTA_KIOSK_ERROR (rota_kiosk_error_quark ())

typedef enum
{
  ROTA_KIOSK_ERROR_CREDENTIALS,    /* the file is missing, unsafe or malformed */
  ROTA_KIOSK_ERROR_SCOPE,          /* the token is not clock-scoped only */
  ROTA_KIOSK_ERROR_UNKNOWN_BADGE,
  ROTA_KIOSK_ERROR_NO_PIN,         /* the employee has no PIN set */
  ROTA_KIOSK_ERROR_WRONG_PIN,
  ROTA_KIOSK_ERROR_THROTTLED,      /* wait before the next try */
  ROTA_KIOSK_ERROR_LOCKED_OUT,     /* a manager must unlock */
  ROTA_KIOSK_ERROR_NOT_ALLOWED,    /* that punch does not follow the last one */
  ROTA_KIOSK_ERROR_FAILED,
} RotaKioskError;

#define ROTA_KIOSK_MAX_FAILURES 10

GQuark rota_kiosk_error_quark (void);

/* The credential file, a GKeyFile:
 *
 *   [kiosk]
 *   server=https://rota.example.org/
 *   tenant=hotel-am-see
 *   token=rota_...
 *   ca=/etc/rota/ca.pem            (optional)
 *   device=front-desk              (punches say source "kiosk:front-desk")
 *   manager-pin=pbkdf2-sha256$...  (rota_pin_hash() of the manager's PIN)
 */
typedef struct
{
  char *server;
  char *tenant;
  char *token;
  char *ca_file;
  char *device;
  char *manager_pin_hash;
} RotaKioskCredentials;

RotaKioskCredentials *rota_kiosk_credentials_load  (const char                 *path,
                                                    GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean              rota_kiosk_credentials_write (const char                 *path,
                                                    const RotaKioskCredentials *credentials,
                                                    GError                    **error);
void                  rota_kiosk_credentials_free  (RotaKioskCredentials       *credentials);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaKioskCredentials, rota_kiosk_credentials_free)

/* The token's scopes by whoami (rota_client_get_scopes()): the kiosk
 * starts only with a token whose one scope is "clock". */
gboolean              rota_kiosk_check_scopes      (const char * const         *scopes,
                                                    GError                    **error);

/* PINs: 4 to 8 ASCII digits. The hash is "pbkdf2-sha256$ITERATIONS$SALT$HASH"
 * (salt and hash in base64); verification is constant-time.
 * rota_pin_hash() with 0 iterations uses ROTA_PIN_DEFAULT_ITERATIONS; a
 * hash of more than ROTA_PIN_MAX_ITERATIONS is refused as malformed. */
#define ROTA_PIN_DEFAULT_ITERATIONS 100000
#define ROTA_PIN_MAX_ITERATIONS     10000000

gboolean  rota_pin_is_valid (const char *pin);
char     *rota_pin_hash     (const char *pin,
                             guint       iterations) G_GNUC_WARN_UNUSED_RESULT;
gboolean  rota_pin_verify   (const char *pin,
                             const char *hash);

typedef enum
{
  ROTA_KIOSK_STATE_OUT,
  ROTA_KIOSK_STATE_IN,
  ROTA_KIOSK_STATE_BREAK,
} RotaKioskState;

#define ROTA_TYPE_KIOSK (rota_kiosk_get_type ())

G_DECLARE_FINAL_TYPE (RotaKiosk, rota_kiosk, ROTA, KIOSK, GObject)

/* @sync (nullable): the account's sync, for the online state and the
 * server's time; without one the kiosk is offline.
 *
 * rota_kiosk_check_pin(), rota_kiosk_check_manager_pin(): *retry_in_ms
 * is how long the next try must wait (0: at once; -1: locked out until a
 * manager unlocks). rota_kiosk_get_pin_delay() says the same before a
 * try. rota_kiosk_check_clock() returns TRUE when it found a jump. */
RotaKiosk      *rota_kiosk_new               (RotaStore      *store,
                                              RotaSync       *sync,
                                              const char     *device,
                                              const char     *manager_pin_hash) G_GNUC_WARN_UNUSED_RESULT;
const char     *rota_kiosk_get_device        (RotaKiosk      *self);
gboolean        rota_kiosk_get_online        (RotaKiosk      *self);
gint64          rota_kiosk_get_pending       (RotaKiosk      *self);
gint64          rota_kiosk_get_clock_offset  (RotaKiosk      *self);
gint64          rota_kiosk_now               (RotaKiosk      *self);
gboolean        rota_kiosk_get_time_trusted  (RotaKiosk      *self);

RotaEmployee   *rota_kiosk_find_badge        (RotaKiosk      *self,
                                              const char     *badge,
                                              GError        **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray      *rota_kiosk_search            (RotaKiosk      *self,
                                              const char     *text,
                                              guint           max_results) G_GNUC_WARN_UNUSED_RESULT;
gboolean        rota_kiosk_check_pin         (RotaKiosk      *self,
                                              RotaEmployee   *employee,
                                              const char     *pin,
                                              gint64         *retry_in_ms,
                                              GError        **error);
gint64          rota_kiosk_get_pin_delay     (RotaKiosk      *self,
                                              const char     *employee_id);
gboolean        rota_kiosk_get_locked_out    (RotaKiosk      *self,
                                              const char     *employee_id);
gboolean        rota_kiosk_check_manager_pin (RotaKiosk      *self,
                                              const char     *pin,
                                              gint64         *retry_in_ms,
                                              GError        **error);
gboolean        rota_kiosk_unlock            (RotaKiosk      *self,
                                              const char     *employee_id,
                                              const char     *manager_pin,
                                              GError        **error);

RotaKioskState  rota_kiosk_get_state         (RotaKiosk      *self,
                                              const char     *employee_id,
                                              gint64         *since);
RotaShift      *rota_kiosk_get_next_shift    (RotaKiosk      *self,
                                              const char     *employee_id) G_GNUC_WARN_UNUSED_RESULT;
RotaPunch      *rota_kiosk_punch             (RotaKiosk      *self,
                                              RotaEmployee   *employee,
                                              RotaPunchKind   kind,
                                              GError        **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        rota_kiosk_check_clock       (RotaKiosk      *self);

G_END_DECLS
