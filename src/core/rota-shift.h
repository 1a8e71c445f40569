/* rota-shift.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_SHIFT (rota_shift_get_type ())

G_DECLARE_FINAL_TYPE (RotaShift, rota_shift, ROTA, SHIFT, RotaEntity)

RotaShift   *rota_shift_new               (void) G_GNUC_WARN_UNUSED_RESULT;
const char  *rota_shift_get_employee_id   (RotaShift *self);
const char  *rota_shift_get_department_id (RotaShift *self);
gint64       rota_shift_get_start         (RotaShift *self);
gint64       rota_shift_get_end           (RotaShift *self);
gint64       rota_shift_get_break_minutes (RotaShift *self);
const char  *rota_shift_get_note          (RotaShift *self);
gboolean     rota_shift_get_published     (RotaShift *self);
gboolean     rota_shift_get_deleted       (RotaShift *self);

/* For local edits: a new shift with a fresh id, and the fields a planner
 * changes. The store and the codec check the result. */
RotaShift   *rota_shift_new_local         (const char *employee_id,
                                           const char *department_id,
                                           gint64      start,
                                           gint64      end,
                                           gint64      break_minutes) G_GNUC_WARN_UNUSED_RESULT;
void         rota_shift_set_employee_id   (RotaShift  *self,
                                           const char *employee_id);
void         rota_shift_set_department_id (RotaShift  *self,
                                           const char *department_id);
void         rota_shift_set_times         (RotaShift  *self,
                                           gint64      start,
                                           gint64      end);
void         rota_shift_set_break_minutes (RotaShift  *self,
                                           gint64      break_minutes);
void         rota_shift_set_note          (RotaShift  *self,
                                           const char *note);
void         rota_shift_set_published     (RotaShift  *self,
                                           gboolean    published);

G_END_DECLS
