/* rota-absence.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_ABSENCE (rota_absence_get_type ())

G_DECLARE_FINAL_TYPE (RotaAbsence, rota_absence, ROTA, ABSENCE, RotaEntity)

RotaAbsence    *rota_absence_new             (void) G_GNUC_WARN_UNUSED_RESULT;
const char     *rota_absence_get_employee_id (RotaAbsence *self);
RotaAbsenceKind rota_absence_get_kind        (RotaAbsence *self);
const char     *rota_absence_get_start_date  (RotaAbsence *self);
const char     *rota_absence_get_end_date    (RotaAbsence *self);
const char     *rota_absence_get_note        (RotaAbsence *self);

G_END_DECLS
