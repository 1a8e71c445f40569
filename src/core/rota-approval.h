/* rota-approval.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_APPROVAL (rota_approval_get_type ())

G_DECLARE_FINAL_TYPE (RotaApproval, rota_approval, ROTA, APPROVAL, RotaEntity)

RotaApproval     *rota_approval_new             (void) G_GNUC_WARN_UNUSED_RESULT;
const char       *rota_approval_get_employee_id (RotaApproval *self);
const char       *rota_approval_get_work_date   (RotaApproval *self);
RotaApprovalState rota_approval_get_state       (RotaApproval *self);
const char       *rota_approval_get_author      (RotaApproval *self);
gint64            rota_approval_get_created_at  (RotaApproval *self);
gint64            rota_approval_get_for_version (RotaApproval *self);

G_END_DECLS
