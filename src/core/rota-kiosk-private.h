/* rota-kiosk-private.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-kiosk.h"

G_BEGIN_DECLS

/* What the throttle and the clock check use; the kiosk's own policy. */
#define ROTA_KIOSK_FREE_FAILURES        2        /* wrong PINs of a person without a wait */
#define ROTA_KIOSK_DEVICE_FREE_FAILURES 5        /* wrong PINs on the device without a wait */
#define ROTA_KIOSK_MAX_DELAY_MS         (5 * 60 * 1000)
#define ROTA_KIOSK_DEVICE_FORGET_MS     (15 * 60 * 1000)   /* a quiet device starts over */
#define ROTA_KIOSK_CLOCK_TOLERANCE_MS   (2 * 60 * 1000)

/* For tests: the clocks the kiosk reads instead of g_get_real_time() and
 * g_get_monotonic_time() (µs), and the boot id instead of the kernel's.
 * Everything it stores is real. */
void     _rota_kiosk_set_clock          (RotaKiosk    *self,
                                         gint64        real_us,
                                         gint64        monotonic_us);
void     _rota_kiosk_set_boot_id        (RotaKiosk    *self,
                                         const char   *boot_id);

/* Records a contact with the server as a sync does: the server's clock
 * minus the wall clock, and the wall and monotonic clocks then. */
gboolean _rota_kiosk_record_server_time (RotaKiosk    *self,
                                         gint64        offset_ms,
                                         gint64        real_us,
                                         gint64        monotonic_us,
                                         GError      **error);

void     _rota_pbkdf2_sha256            (const char   *password,
                                         gsize         password_len,
                                         const guchar *salt,
                                         gsize         salt_len,
                                         guint         iterations,
                                         guchar        out[32]);
gint64   _rota_kiosk_delay_ms           (gint64        failures,
                                         gint64        free_failures);

G_END_DECLS
