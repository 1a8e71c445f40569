/* rota-application.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROTA_TYPE_APPLICATION (rota_application_get_type ())

G_DECLARE_FINAL_TYPE (RotaApplication, rota_application, ROTA, APPLICATION, AdwApplication)

RotaApplication *rota_application_new          (void) G_GNUC_WARN_UNUSED_RESULT;
GSettings       *rota_application_get_settings (RotaApplication *self);

G_END_DECLS
