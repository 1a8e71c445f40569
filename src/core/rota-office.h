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

G_DECLARE_FINAL_TYPE (RotaOffice, rota_office, ROTA, OFFICE, RotaEntity)

RotaOffice      *rota_office_new               (void) G_GNUC_WARN_UNUSED_RESULT;
const char      *rota_office_get_name          (RotaOffice *self);
const char      *rota_office_get_time_zone     (RotaOffice *self);
RotaRulesProfile rota_office_get_rules_profile (RotaOffice *self);

G_END_DECLS
