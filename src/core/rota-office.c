/* rota-office.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-office"

#include "config.h"

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaOffice:
 *
 * An office or location, with the time zone its days are counted in and its labour-law profile.
 */

G_DEFINE_FINAL_TYPE (RotaOffice, rota_office, ROTA_TYPE_ENTITY)

static const RotaField office_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaOffice),
  { "name", "name", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaOffice, name), 1, 200, NULL },
  { "time_zone", "timeZone", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaOffice, time_zone), 1, 64, NULL },
  { "rules_profile", "rulesProfile", ROTA_FIELD_ENUM, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaOffice, rules_profile), 0, 0, rota_rules_profile_get_type },
  /* Punch policy (rota-punch-analysis.h); added in store schema version 5,
   * so they come last, as ALTER TABLE put their columns. */
  { "punch_grace_minutes", "punchGraceMinutes", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaOffice, punch_grace_minutes), 0, 120, NULL },
  { "punch_rounding_minutes", "punchRoundingMinutes", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaOffice, punch_rounding_minutes), 0, 30, NULL },
  /* Schema version 8. */
  { "punch_rounding_mode", "punchRoundingMode", ROTA_FIELD_ENUM, 0, G_STRUCT_OFFSET (RotaOffice, punch_rounding_mode), 0, 0, rota_punch_rounding_get_type },
  { "punch_early_from_plan", "punchEarlyFromPlan", ROTA_FIELD_BOOL, 0, G_STRUCT_OFFSET (RotaOffice, punch_early_from_plan), 0, 0, NULL },
};

static gboolean
rota_office_validate (RotaEntity  *entity,
                      const char **field,
                      GError     **error)
{
  RotaOffice *self = ROTA_OFFICE (entity);

  if (!rota_time_zone_is_valid (self->time_zone))
    {
      *field = "timeZone";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "timeZone: \"%s\" is not a known IANA time zone", self->time_zone);
      return FALSE;
    }

  /* Rounding must divide an hour evenly, or rounded times would drift
   * against the clock from one hour to the next. */
  switch (self->punch_rounding_minutes)
    {
    case 0: case 5: case 10: case 15: case 30:
      break;
    default:
      *field = "punchRoundingMinutes";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "punchRoundingMinutes: %" G_GINT64_FORMAT " is not one of 0 (off), 5, 10, 15 or 30",
                            self->punch_rounding_minutes);
      return FALSE;
    }

  return TRUE;
}

static void
rota_office_class_init (RotaOfficeClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "office", office_fields, G_N_ELEMENTS (office_fields));

  entity_class->validate = rota_office_validate;
}

static void
rota_office_init (RotaOffice *self)
{
  self->time_zone = g_strdup (ROTA_DEFAULT_TIME_ZONE);
  self->punch_grace_minutes = ROTA_OFFICE_DEFAULT_PUNCH_GRACE_MINUTES;
  self->punch_rounding_minutes = 0;
}

/**
 * rota_office_new:
 *
 * Returns: (transfer full): a new, empty #RotaOffice
 */
RotaOffice *
rota_office_new (void)
{
  return g_object_new (ROTA_TYPE_OFFICE, NULL);
}

const char *
rota_office_get_name (RotaOffice *self)
{
  g_return_val_if_fail (ROTA_IS_OFFICE (self), NULL);

  return self->name;
}

const char *
rota_office_get_time_zone (RotaOffice *self)
{
  g_return_val_if_fail (ROTA_IS_OFFICE (self), NULL);

  return self->time_zone;
}

RotaRulesProfile
rota_office_get_rules_profile (RotaOffice *self)
{
  g_return_val_if_fail (ROTA_IS_OFFICE (self), 0);

  return self->rules_profile;
}

/**
 * rota_office_get_punch_grace_minutes:
 *
 * Returns: how many minutes late or early a punch may be before the day
 *   is late or left early (0..120, default 5)
 */
gint64
rota_office_get_punch_grace_minutes (RotaOffice *self)
{
  g_return_val_if_fail (ROTA_IS_OFFICE (self), ROTA_OFFICE_DEFAULT_PUNCH_GRACE_MINUTES);

  return self->punch_grace_minutes;
}

/**
 * rota_office_get_punch_rounding_mode:
 *
 * Returns: which way worked time is rounded when the office rounds;
 *   %ROTA_PUNCH_ROUNDING_NONE means inward, the default
 */
RotaPunchRounding
rota_office_get_punch_rounding_mode (RotaOffice *self)
{
  g_return_val_if_fail (ROTA_IS_OFFICE (self), ROTA_PUNCH_ROUNDING_NONE);

  return self->punch_rounding_mode;
}

/**
 * rota_office_get_punch_early_from_plan:
 *
 * Returns: whether a clock-in before the planned start counts from the
 *   planned start (off by default)
 */
gboolean
rota_office_get_punch_early_from_plan (RotaOffice *self)
{
  g_return_val_if_fail (ROTA_IS_OFFICE (self), FALSE);

  return self->punch_early_from_plan;
}

/**
 * rota_office_get_punch_rounding_minutes:
 *
 * Returns: the rounding of worked time: 0 (off, the default), 5, 10, 15 or 30
 */
gint64
rota_office_get_punch_rounding_minutes (RotaOffice *self)
{
  g_return_val_if_fail (ROTA_IS_OFFICE (self), 0);

  return self->punch_rounding_minutes;
}
