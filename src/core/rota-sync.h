/* rota-sync.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-client.h"
#include "rota-store.h"

G_BEGIN_DECLS

#define ROTA_SYNC_ERROR (rota_sync_error_quark ())

/**
 * RotaSyncError:
 * @ROTA_SYNC_ERROR_BUSY: another sync of the same store is running
 * @ROTA_SYNC_ERROR_BAD_FEED: the server's change feed could not be used
 *
 * Errors of the engine itself; the client's and the store's come
 * through as they are.
 */
typedef enum
{
  ROTA_SYNC_ERROR_BUSY,
  ROTA_SYNC_ERROR_BAD_FEED,
} RotaSyncError;

/* Changes asked for per page of the change feed. */
#define ROTA_SYNC_PAGE_SIZE 5000

/* Changes applied in one transaction, at most a page more. */
#define ROTA_SYNC_BATCH 50000

/* Seconds between syncs on the timer, unless set otherwise. */
#define ROTA_SYNC_DEFAULT_INTERVAL 300

/* Seconds until the first new try after the server could not be
 * reached; doubled each time, up to the interval. */
#define ROTA_SYNC_OFFLINE_RETRY 15

/* The window of days mirrored from a plain Dyflexis server. */
#define ROTA_SYNC_MIRROR_DAYS_BACK  28
#define ROTA_SYNC_MIRROR_DAYS_AHEAD 56

/* The UTC days whose published shifts a kiosk (a token with only the
 * clock scope) reads from getScheduled at every sync: yesterday to the
 * day after tomorrow, which holds today and tomorrow in every office east
 * of UTC. The server allows a day more on each side. */
#define ROTA_SYNC_KIOSK_DAYS_BACK  1
#define ROTA_SYNC_KIOSK_DAYS_AHEAD 2

/* Cursors in the store's sync_cursor table. */
#define ROTA_SYNC_CURSOR_CHANGES   "changes"
#define ROTA_SYNC_CURSOR_SYNCED_AT "synced-at"

#define ROTA_TYPE_SYNC (rota_sync_get_type ())

G_DECLARE_FINAL_TYPE (RotaSync, rota_sync, ROTA, SYNC, GObject)

GQuark          rota_sync_error_quark      (void);

RotaSync       *rota_sync_new              (RotaStore     *store,
                                            RotaClient    *client);

RotaStore      *rota_sync_get_store        (RotaSync      *self);
RotaClient     *rota_sync_get_client       (RotaSync      *self);
RotaSyncState   rota_sync_get_state        (RotaSync      *self);
gint64          rota_sync_get_last_success (RotaSync      *self);
gint64          rota_sync_get_pending      (RotaSync      *self);
gint64          rota_sync_get_conflicts    (RotaSync      *self);
gint64          rota_sync_get_parked       (RotaSync      *self);
gint64          rota_sync_get_local_only   (RotaSync      *self);
double          rota_sync_get_progress     (RotaSync      *self);
const char     *rota_sync_get_message      (RotaSync      *self);
gint64          rota_sync_get_server_offset (RotaSync     *self);
guint           rota_sync_get_interval     (RotaSync      *self);
void            rota_sync_set_interval     (RotaSync      *self,
                                            guint          seconds);

gboolean        rota_sync_run              (RotaSync      *self,
                                            GCancellable  *cancellable,
                                            GError       **error);

void            rota_sync_start            (RotaSync      *self);
void            rota_sync_request          (RotaSync      *self);
void            rota_sync_stop             (RotaSync      *self);

G_END_DECLS
