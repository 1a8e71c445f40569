/* rota-approval.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-approval"

#include "config.h"

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaApproval:
 *
 * An approval or rejection of an employee-day's worked time.
 */

G_DEFINE_FINAL_TYPE (RotaApproval, rota_approval, ROTA_TYPE_ENTITY)

static const RotaField approval_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaApproval),
  { "employee_id", "employeeId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaApproval, employee_id), 0, 0, NULL },
  { "work_date", "workDate", ROTA_FIELD_DATE, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaApproval, work_date), 0, 0, NULL },
  { "state", "state", ROTA_FIELD_ENUM, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaApproval, state), 0, 0, rota_approval_state_get_type },
  { "author", "author", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaApproval, author), 1, 200, NULL },
  { "created_at", "createdAt", ROTA_FIELD_INSTANT, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaApproval, created_at), 0, 0, NULL },
  { "for_version", "forVersion", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaApproval, for_version), 0, G_MAXINT64, NULL },
};

static void
rota_approval_class_init (RotaApprovalClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "approval", approval_fields, G_N_ELEMENTS (approval_fields));
}

static void
rota_approval_init (RotaApproval *self)
{
}

/**
 * rota_approval_new:
 *
 * Returns: (transfer full): a new, empty #RotaApproval
 */
RotaApproval *
rota_approval_new (void)
{
  return g_object_new (ROTA_TYPE_APPROVAL, NULL);
}

const char *
rota_approval_get_employee_id (RotaApproval *self)
{
  g_return_val_if_fail (ROTA_IS_APPROVAL (self), NULL);

  return self->employee_id;
}

const char *
rota_approval_get_work_date (RotaApproval *self)
{
  g_return_val_if_fail (ROTA_IS_APPROVAL (self), NULL);

  return self->work_date;
}

RotaApprovalState
rota_approval_get_state (RotaApproval *self)
{
  g_return_val_if_fail (ROTA_IS_APPROVAL (self), 0);

  return self->state;
}

const char *
rota_approval_get_author (RotaApproval *self)
{
  g_return_val_if_fail (ROTA_IS_APPROVAL (self), NULL);

  return self->author;
}

gint64
rota_approval_get_created_at (RotaApproval *self)
{
  g_return_val_if_fail (ROTA_IS_APPROVAL (self), 0);

  return self->created_at;
}

gint64
rota_approval_get_for_version (RotaApproval *self)
{
  g_return_val_if_fail (ROTA_IS_APPROVAL (self), 0);

  return self->for_version;
}
