/* rota-employee.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-employee"

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaEmployee:
 *
 * A person on the roster: name, badges, departments, contract and the facts the labour-law rules need.
 */

G_DEFINE_FINAL_TYPE (RotaEmployee, rota_employee, ROTA_TYPE_ENTITY)

static const RotaField employee_fields[] = {
  /* Dyflexis calls an employee's own id employeeId (reference/dyflexis-api.md §3.1). */
  { "id", "employeeId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED | ROTA_FIELD_KEY, G_STRUCT_OFFSET (RotaEmployee, id), 1, 64, NULL },
  { "version", "version", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaEmployee, version), 0, G_MAXINT64, NULL },
  { "updated_at", "updatedAt", ROTA_FIELD_INSTANT, 0, G_STRUCT_OFFSET (RotaEmployee, updated_at), 0, 0, NULL },
  { "personnel_number", "personnelNumber", ROTA_FIELD_STRING, 0, G_STRUCT_OFFSET (RotaEmployee, personnel_number), 0, 64, NULL },
  { "first_name", "firstName", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED | ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaEmployee, first_name), 1, 200, NULL },
  { "last_name_prefix", "lastNamePrefix", ROTA_FIELD_STRING, ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaEmployee, last_name_prefix), 0, 64, NULL },
  { "last_name", "lastName", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED | ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaEmployee, last_name), 1, 200, NULL },
  { "email", "email", ROTA_FIELD_STRING, ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaEmployee, email), 0, 254, NULL },
  { "card_numbers", "cardNumbers", ROTA_FIELD_STRV, ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaEmployee, card_numbers), 1, 64, NULL },
  { "department_ids", "departmentIds", ROTA_FIELD_STRV, 0, G_STRUCT_OFFSET (RotaEmployee, department_ids), 1, 64, NULL },
  { "contract_hours_week", "contractHoursWeek", ROTA_FIELD_DOUBLE, 0, G_STRUCT_OFFSET (RotaEmployee, contract_hours_week), 0, 168, NULL },
  { "max_hours_week", "maxHoursWeek", ROTA_FIELD_DOUBLE, 0, G_STRUCT_OFFSET (RotaEmployee, max_hours_week), 0, 168, NULL },
  { "hourly_wage_cents", "hourlyWageCents", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaEmployee, hourly_wage_cents), 0, 100000000, NULL },
  { "date_of_birth", "dateOfBirth", ROTA_FIELD_DATE, ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaEmployee, date_of_birth), 0, 0, NULL },
  { "employment_start", "employmentStart", ROTA_FIELD_DATE, 0, G_STRUCT_OFFSET (RotaEmployee, employment_start), 0, 0, NULL },
  { "employment_end", "employmentEnd", ROTA_FIELD_DATE, 0, G_STRUCT_OFFSET (RotaEmployee, employment_end), 0, 0, NULL },
  { "kiosk_pin_hash", "kioskPinHash", ROTA_FIELD_STRING, ROTA_FIELD_PERSONAL, G_STRUCT_OFFSET (RotaEmployee, kiosk_pin_hash), 0, 512, NULL },
};

static gboolean
rota_employee_validate (RotaEntity  *entity,
                        const char **field,
                        GError     **error)
{
  RotaEmployee *self = ROTA_EMPLOYEE (entity);

  /* Dates are YYYY-MM-DD, so they compare as strings. */
  if (self->employment_start != NULL && self->employment_end != NULL &&
      strcmp (self->employment_end, self->employment_start) < 0)
    {
      *field = "employmentEnd";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "employmentEnd: before employmentStart");
      return FALSE;
    }

  return TRUE;
}

static void
rota_employee_class_init (RotaEmployeeClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "employee", employee_fields, G_N_ELEMENTS (employee_fields));

  entity_class->validate = rota_employee_validate;
}

static void
rota_employee_init (RotaEmployee *self)
{
}

/**
 * rota_employee_new:
 *
 * Returns: (transfer full): a new, empty #RotaEmployee
 */
RotaEmployee *
rota_employee_new (void)
{
  return g_object_new (ROTA_TYPE_EMPLOYEE, NULL);
}

const char *
rota_employee_get_personnel_number (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->personnel_number;
}

const char *
rota_employee_get_first_name (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->first_name;
}

const char *
rota_employee_get_last_name_prefix (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->last_name_prefix;
}

const char *
rota_employee_get_last_name (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->last_name;
}

const char *
rota_employee_get_email (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->email;
}

const char * const *
rota_employee_get_card_numbers (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return (const char * const *) self->card_numbers;
}

const char * const *
rota_employee_get_department_ids (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return (const char * const *) self->department_ids;
}

gdouble
rota_employee_get_contract_hours_week (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), 0);

  return self->contract_hours_week;
}

gdouble
rota_employee_get_max_hours_week (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), 0);

  return self->max_hours_week;
}

gint64
rota_employee_get_hourly_wage_cents (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), 0);

  return self->hourly_wage_cents;
}

const char *
rota_employee_get_date_of_birth (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->date_of_birth;
}

const char *
rota_employee_get_employment_start (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->employment_start;
}

const char *
rota_employee_get_employment_end (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->employment_end;
}

const char *
rota_employee_get_kiosk_pin_hash (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  return self->kiosk_pin_hash;
}

/**
 * rota_employee_dup_name:
 *
 * Returns: (transfer full): the name as people write it: first name, the
 *   prefix of the last name when there is one ("van"), last name
 */
char *
rota_employee_dup_name (RotaEmployee *self)
{
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (self), NULL);

  if (self->last_name_prefix != NULL && *self->last_name_prefix != '\0')
    return g_strdup_printf ("%s %s %s", self->first_name, self->last_name_prefix, self->last_name);

  return g_strdup_printf ("%s %s", self->first_name, self->last_name);
}

/**
 * rota_text_fold:
 * @text: UTF-8 text
 *
 * Folds text for a search that ignores case and accents: "muller" finds
 * "Müller".
 *
 * Returns: (transfer full): the folded text
 */
char *
rota_text_fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  g_autoptr(GString) out = g_string_new (NULL);

  if (normalized == NULL)
    return g_strdup ("");

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (out, g_unichar_tolower (c));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
