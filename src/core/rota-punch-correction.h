/* rota-punch-correction.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_PUNCH_CORRECTION (rota_punch_correction_get_type ())

G_DECLARE_FINAL_TYPE (RotaPunchCorrection, rota_punch_correction, ROTA, PUNCH_CORRECTION, RotaEntity)

RotaPunchCorrection  *rota_punch_correction_new             (void) G_GNUC_WARN_UNUSED_RESULT;
const char           *rota_punch_correction_get_punch_id    (RotaPunchCorrection *self);
const char           *rota_punch_correction_get_employee_id (RotaPunchCorrection *self);
RotaCorrectionAction  rota_punch_correction_get_action      (RotaPunchCorrection *self);
RotaPunchKind         rota_punch_correction_get_new_kind    (RotaPunchCorrection *self);
gint64                rota_punch_correction_get_new_at      (RotaPunchCorrection *self);
const char           *rota_punch_correction_get_reason_code (RotaPunchCorrection *self);
const char           *rota_punch_correction_get_reason_text (RotaPunchCorrection *self);
const char           *rota_punch_correction_get_author      (RotaPunchCorrection *self);
gint64                rota_punch_correction_get_created_at  (RotaPunchCorrection *self);

G_END_DECLS
