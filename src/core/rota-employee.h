/* rota-employee.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_EMPLOYEE (rota_employee_get_type ())

G_DECLARE_FINAL_TYPE (RotaEmployee, rota_employee, ROTA, EMPLOYEE, RotaEntity)

RotaEmployee        *rota_employee_new                     (void) G_GNUC_WARN_UNUSED_RESULT;
const char          *rota_employee_get_personnel_number    (RotaEmployee *self);
const char          *rota_employee_get_first_name          (RotaEmployee *self);
const char          *rota_employee_get_last_name_prefix    (RotaEmployee *self);
const char          *rota_employee_get_last_name           (RotaEmployee *self);
const char          *rota_employee_get_email               (RotaEmployee *self);
const char * const  *rota_employee_get_card_numbers        (RotaEmployee *self);
const char * const  *rota_employee_get_department_ids      (RotaEmployee *self);
gdouble              rota_employee_get_contract_hours_week (RotaEmployee *self);
gdouble              rota_employee_get_max_hours_week      (RotaEmployee *self);
gint64               rota_employee_get_hourly_wage_cents   (RotaEmployee *self);
const char          *rota_employee_get_date_of_birth       (RotaEmployee *self);
const char          *rota_employee_get_employment_start    (RotaEmployee *self);
const char          *rota_employee_get_employment_end      (RotaEmployee *self);
const char          *rota_employee_get_kiosk_pin_hash      (RotaEmployee *self);
char                *rota_employee_dup_name                (RotaEmployee *self) G_GNUC_WARN_UNUSED_RESULT;

char                *rota_text_fold                        (const char   *text) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
