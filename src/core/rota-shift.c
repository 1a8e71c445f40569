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

static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/**
 * rota_shift_new_local:
 * @employee_id: (nullable): whose shift; %NULL for an open shift
 * @department_id: the department
 * @start: the start, UTC seconds
 * @end: the end, UTC seconds
 * @break_minutes: the planned break
 *
 * Makes a new, unpublished shift with a random UUID as its id, for an edit
 * made on this computer.
 *
 * Returns: (transfer full): the shift
 */
RotaShift *
rota_shift_new_local (const char *employee_id,
                      const char *department_id,
                      gint64      start,
                      gint64      end,
                      gint64      break_minutes)
{
  RotaShift *self;

  g_return_val_if_fail (department_id != NULL, NULL);

  self = rota_shift_new ();
  self->id = g_uuid_string_random ();
  self->employee_id = g_strdup (employee_id);
  self->department_id = g_strdup (department_id);
  self->start = start;
  self->end = end;
  self->break_minutes = break_minutes;

  return self;
}

void
rota_shift_set_employee_id (RotaShift  *self,
                            const char *employee_id)
{
  g_return_if_fail (ROTA_IS_SHIFT (self));

  replace_string (&self->employee_id, employee_id);
}

void
rota_shift_set_department_id (RotaShift  *self,
                              const char *department_id)
{
  g_return_if_fail (ROTA_IS_SHIFT (self));
  g_return_if_fail (department_id != NULL);

  replace_string (&self->department_id, department_id);
}

void
rota_shift_set_times (RotaShift *self,
                      gint64     start,
                      gint64     end)
{
  g_return_if_fail (ROTA_IS_SHIFT (self));

  self->start = start;
  self->end = end;
}

void
rota_shift_set_break_minutes (RotaShift *self,
                              gint64     break_minutes)
{
  g_return_if_fail (ROTA_IS_SHIFT (self));

  self->break_minutes = break_minutes;
}

void
rota_shift_set_note (RotaShift  *self,
                     const char *note)
{
  g_return_if_fail (ROTA_IS_SHIFT (self));

  replace_string (&self->note, note);
}

void
rota_shift_set_published (RotaShift *self,
                          gboolean   published)
{
  g_return_if_fail (ROTA_IS_SHIFT (self));

  self->published = !!published;
}
