/* rota-availability.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-availability"

#include "config.h"

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaAvailability:
 *
 * When an employee can or cannot work: every week on a weekday (1 = Monday), or on one date.
 */

G_DEFINE_FINAL_TYPE (RotaAvailability, rota_availability, ROTA_TYPE_ENTITY)

static const RotaField availability_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaAvailability),
  { "employee_id", "employeeId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAvailability, employee_id), 0, 0, NULL },
  { "weekday", "weekday", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaAvailability, weekday), 0, 7, NULL },
  { "date", "date", ROTA_FIELD_DATE, 0, G_STRUCT_OFFSET (RotaAvailability, date), 0, 0, NULL },
  { "from_time", "from", ROTA_FIELD_TIME, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAvailability, from_time), 0, 0, NULL },
  { "to_time", "to", ROTA_FIELD_TIME, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAvailability, to_time), 0, 0, NULL },
  { "kind", "kind", ROTA_FIELD_ENUM, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAvailability, kind), 0, 0, rota_availability_kind_get_type },
};

static gboolean
rota_availability_validate (RotaEntity  *entity,
                            const char **field,
                            GError     **error)
{
  RotaAvailability *self = ROTA_AVAILABILITY (entity);
  int from = 0;
  int to = 0;

  if ((self->weekday != 0) == (self->date != NULL))
    {
      *field = self->date != NULL ? "date" : "weekday";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "%s: give either a weekday (1 = Monday) or a date, not both or neither", *field);
      return FALSE;
    }

  rota_time_of_day_parse (self->from_time, &from);
  rota_time_of_day_parse (self->to_time, &to);
  if (to <= from)
    {
      *field = "to";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "to: must be after from");
      return FALSE;
    }

  return TRUE;
}

static void
rota_availability_class_init (RotaAvailabilityClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "availability", availability_fields, G_N_ELEMENTS (availability_fields));

  entity_class->validate = rota_availability_validate;
}

static void
rota_availability_init (RotaAvailability *self)
{
}

/**
 * rota_availability_new:
 *
 * Returns: (transfer full): a new, empty #RotaAvailability
 */
RotaAvailability *
rota_availability_new (void)
{
  return g_object_new (ROTA_TYPE_AVAILABILITY, NULL);
}

const char *
rota_availability_get_employee_id (RotaAvailability *self)
{
  g_return_val_if_fail (ROTA_IS_AVAILABILITY (self), NULL);

  return self->employee_id;
}

gint64
rota_availability_get_weekday (RotaAvailability *self)
{
  g_return_val_if_fail (ROTA_IS_AVAILABILITY (self), 0);

  return self->weekday;
}

const char *
rota_availability_get_date (RotaAvailability *self)
{
  g_return_val_if_fail (ROTA_IS_AVAILABILITY (self), NULL);

  return self->date;
}

const char *
rota_availability_get_from_time (RotaAvailability *self)
{
  g_return_val_if_fail (ROTA_IS_AVAILABILITY (self), NULL);

  return self->from_time;
}

const char *
rota_availability_get_to_time (RotaAvailability *self)
{
  g_return_val_if_fail (ROTA_IS_AVAILABILITY (self), NULL);

  return self->to_time;
}

RotaAvailabilityKind
rota_availability_get_kind (RotaAvailability *self)
{
  g_return_val_if_fail (ROTA_IS_AVAILABILITY (self), 0);

  return self->kind;
}
