/* rota-kiosk-window.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-kiosk.h"

G_BEGIN_DECLS

#define ROTA_TYPE_KIOSK_WINDOW (rota_kiosk_window_get_type ())

G_DECLARE_FINAL_TYPE (RotaKioskWindow, rota_kiosk_window, ROTA, KIOSK_WINDOW, AdwApplicationWindow)

RotaKioskWindow *rota_kiosk_window_new              (GtkApplication  *application,
                                                     RotaKiosk       *kiosk) G_GNUC_WARN_UNUSED_RESULT;
RotaKiosk       *rota_kiosk_window_get_kiosk        (RotaKioskWindow *self);
const char      *rota_kiosk_window_get_screen       (RotaKioskWindow *self);
void             rota_kiosk_window_set_idle_seconds (RotaKioskWindow *self,
                                                     guint            seconds);
void             rota_kiosk_window_reset            (RotaKioskWindow *self);
void             rota_kiosk_window_scan             (RotaKioskWindow *self,
                                                     const char      *badge);
gboolean         rota_kiosk_window_activate_default (RotaKioskWindow *self);

G_END_DECLS
