/* rota-window.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-application.h"
#include "rota-plan.h"

G_BEGIN_DECLS

#define ROTA_TYPE_WINDOW (rota_window_get_type ())

G_DECLARE_FINAL_TYPE (RotaWindow, rota_window, ROTA, WINDOW, AdwApplicationWindow)

RotaWindow *rota_window_new               (RotaApplication *application) G_GNUC_WARN_UNUSED_RESULT;
void        rota_window_set_first_day     (RotaWindow      *self,
                                           const char      *date);
void        rota_window_open_workspace    (RotaWindow      *self,
                                           const char      *path);
void        rota_window_open_account      (RotaWindow      *self,
                                           const char      *server,
                                           const char      *tenant);
void        rota_window_open_last         (RotaWindow      *self);
RotaPlan   *rota_window_get_plan          (RotaWindow      *self);
GtkWidget  *rota_window_get_planner_page  (RotaWindow      *self);
GtkWidget  *rota_window_get_punches_page  (RotaWindow      *self);
void        rota_window_show_page         (RotaWindow      *self,
                                           const char      *name);
void        rota_window_add_toast         (RotaWindow      *self,
                                           AdwToast        *toast);

G_END_DECLS
