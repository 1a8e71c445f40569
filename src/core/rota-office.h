/* rota-office.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_OFFICE (rota_office_get_type ())

#define ROTA_OFFICE_DEFAULT_PUNCH_GRACE_MINUTES 5

G_DECLARE_FINAL_TYPE (RotaOffice, rota_office, ROTA, OFFICE, RotaEntity)

RotaOffice      *rota_office_new               (void) G_GNUC_WARN_UNUSED_RESULT;
const char      *rota_office_get_name          (RotaOffice *self);
const char      *rota_office_get_time_zone     (RotaOffice *self);
RotaRulesProfile rota_office_get_rules_profile (RotaOffice *self);
gint64           rota_office_get_punch_grace_minutes    (RotaOffice *self);
gint64           rota_office_get_punch_rounding_minutes (RotaOffice *self);
RotaPunchRounding rota_office_get_punch_rounding_mode   (RotaOffice *self);
gboolean         rota_office_get_punch_early_from_plan  (RotaOffice *self);

G_END_DECLS
