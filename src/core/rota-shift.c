/* rota-shift.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-shift"

#include "config.h"

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaShift:
 *
 * A planned shift; an open shift has no employee. A deleted shift is a tombstone.
 */

G_DEFINE_FINAL_TYPE (RotaShift, rota_shift, ROTA_TYPE_ENTITY)

static const RotaField shift_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaShift),
  { "employee_id", "employeeId", ROTA_FIELD_ID, 0, G_STRUCT_OFFSET (RotaShift, employee_id), 0, 0, NULL },
  { "department_id", "departmentId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaShift, department_id), 0, 0, NULL },
  { "start", "startDateTime", ROTA_FIELD_INSTANT, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaShift, start), 0, 0, NULL },
  { "end", "endDateTime", ROTA_FIELD_INSTANT, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaShift, end), 0, 0, NULL },
  { "break_minutes", "breakMinutes", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaShift, break_minutes), 0, 1440, NULL },
  { "note", "note", ROTA_FIELD_STRING, ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaShift, note), 0, 2000, NULL },
  { "published", "published", ROTA_FIELD_BOOL, 0, G_STRUCT_OFFSET (RotaShift, published), 0, 0, NULL },
  { "deleted", "deleted", ROTA_FIELD_BOOL, 0, G_STRUCT_OFFSET (RotaShift, deleted), 0, 0, NULL },
};

/* A shift lasts at most this long (DESIGN §3). */
#define SHIFT_MAX_SECONDS (24 * 60 * 60)

static gboolean
rota_shift_validate (RotaEntity  *entity,
                     const char **field,
                     GError     **error)
{
  RotaShift *self = ROTA_SHIFT (entity);

  if (self->end <= self->start)
    {
      *field = "endDateTime";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "endDateTime: must be after startDateTime");
      return FALSE;
    }

  if (self->end - self->start > SHIFT_MAX_SECONDS)
    {
      *field = "endDateTime";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "endDateTime: a shift lasts at most 24 hours");
      return FALSE;
    }

  if (self->break_minutes * 60 >= self->end - self->start)
    {
      *field = "breakMinutes";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "breakMinutes: the break is as long as the shift or longer");
      return FALSE;
    }

  return TRUE;
}

static void
rota_shift_class_init (RotaShiftClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "shift", shift_fields, G_N_ELEMENTS (shift_fields));

  entity_class->validate = rota_shift_validate;
}

static void
rota_shift_init (RotaShift *self)
{
}

/**
 * rota_shift_new:
 *
 * Returns: (transfer full): a new, empty #RotaShift
 */
RotaShift *
rota_shift_new (void)
{
  return g_object_new (ROTA_TYPE_SHIFT, NULL);
}

const char *
rota_shift_get_employee_id (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), NULL);

  return self->employee_id;
}

const char *
rota_shift_get_department_id (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), NULL);

  return self->department_id;
}

gint64
rota_shift_get_start (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), 0);

  return self->start;
}

gint64
rota_shift_get_end (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), 0);

  return self->end;
}

gint64
rota_shift_get_break_minutes (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), 0);

  return self->break_minutes;
}

const char *
rota_shift_get_note (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), NULL);

  return self->note;
}

gboolean
rota_shift_get_published (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), 0);

  return self->published;
}

gboolean
rota_shift_get_deleted (RotaShift *self)
{
  g_return_val_if_fail (ROTA_IS_SHIFT (self), 0);

  return self->deleted;
}
