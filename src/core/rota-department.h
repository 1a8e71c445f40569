/* rota-department.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_DEPARTMENT (rota_department_get_type ())

G_DECLARE_FINAL_TYPE (RotaDepartment, rota_department, ROTA, DEPARTMENT, RotaEntity)

RotaDepartment  *rota_department_new           (void) G_GNUC_WARN_UNUSED_RESULT;
const char      *rota_department_get_office_id (RotaDepartment *self);
const char      *rota_department_get_parent_id (RotaDepartment *self);
const char      *rota_department_get_name      (RotaDepartment *self);
const char      *rota_department_get_color     (RotaDepartment *self);

G_END_DECLS
