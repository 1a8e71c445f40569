/* rota-absence.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-absence"

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaAbsence:
 *
 * Sick leave, vacation or another absence; an open end date means still absent.
 */

G_DEFINE_FINAL_TYPE (RotaAbsence, rota_absence, ROTA_TYPE_ENTITY)

static const RotaField absence_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaAbsence),
  { "employee_id", "employeeId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAbsence, employee_id), 0, 0, NULL },
  { "kind", "kind", ROTA_FIELD_ENUM, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAbsence, kind), 0, 0, rota_absence_kind_get_type },
  { "start_date", "startDate", ROTA_FIELD_DATE, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAbsence, start_date), 0, 0, NULL },
  { "end_date", "endDate", ROTA_FIELD_DATE, 0, G_STRUCT_OFFSET (RotaAbsence, end_date), 0, 0, NULL },
  { "note", "note", ROTA_FIELD_STRING, ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaAbsence, note), 0, 2000, NULL },
};

static gboolean
rota_absence_validate (RotaEntity  *entity,
                       const char **field,
                       GError     **error)
{
  RotaAbsence *self = ROTA_ABSENCE (entity);

  if (self->end_date != NULL && strcmp (self->end_date, self->start_date) < 0)
    {
      *field = "endDate";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "endDate: before startDate");
      return FALSE;
    }

  return TRUE;
}

static void
rota_absence_class_init (RotaAbsenceClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "absence", absence_fields, G_N_ELEMENTS (absence_fields));

  entity_class->validate = rota_absence_validate;
}

static void
rota_absence_init (RotaAbsence *self)
{
}

/**
 * rota_absence_new:
 *
 * Returns: (transfer full): a new, empty #RotaAbsence
 */
RotaAbsence *
rota_absence_new (void)
{
  return g_object_new (ROTA_TYPE_ABSENCE, NULL);
}

const char *
rota_absence_get_employee_id (RotaAbsence *self)
{
  g_return_val_if_fail (ROTA_IS_ABSENCE (self), NULL);

  return self->employee_id;
}

RotaAbsenceKind
rota_absence_get_kind (RotaAbsence *self)
{
  g_return_val_if_fail (ROTA_IS_ABSENCE (self), 0);

  return self->kind;
}

const char *
rota_absence_get_start_date (RotaAbsence *self)
{
  g_return_val_if_fail (ROTA_IS_ABSENCE (self), NULL);

  return self->start_date;
}

const char *
rota_absence_get_end_date (RotaAbsence *self)
{
  g_return_val_if_fail (ROTA_IS_ABSENCE (self), NULL);

  return self->end_date;
}

const char *
rota_absence_get_note (RotaAbsence *self)
{
  g_return_val_if_fail (ROTA_IS_ABSENCE (self), NULL);

  return self->note;
}
