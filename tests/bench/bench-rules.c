/* bench-rules.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The labour-law rules over one month of the standard large tenant (2,000
 * employees, five offices in both profiles), one JSON line per figure:
 *  - every employee checked, as when a month is opened (target 50 ms);
 *  - one employee checked again after one of their shifts moved, as after
 *    an edit (target 1 ms).
 * Each employee's shifts from 16 weeks before the month are passed, so the
 * rules that look back (rest, the Dutch averages) see what they need.
 * Medians; no timing is asserted.
 */

#include "config.h"

#include "bench-common.h"

#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-rules.h"
#include "rota-time.h"

#define FULL_RUNS  7
#define EDIT_RUNS  101

/* One employee and what the rules read of them. */
typedef struct
{
  RotaEmployee     *employee;
  RotaRulesProfile  profile;
  GTimeZone        *zone;       /* not owned: rota_time_zone_get()'s */
  GPtrArray        *shifts;
  GPtrArray        *absences;
  GPtrArray        *availability;
} Person;

typedef struct
{
  GHashTable *offices;       /* id → RotaOffice */
  GHashTable *departments;   /* id → RotaDepartment */
  GHashTable *people;        /* employee id → Person */
  gint64      window_start;  /* the shifts kept: 16 weeks before the month on */
  gint64      window_end;
} Tenant;

static void
person_free (gpointer data)
{
  Person *person = data;

  g_object_unref (person->employee);
  g_ptr_array_unref (person->shifts);
  g_ptr_array_unref (person->absences);
  g_ptr_array_unref (person->availability);
  g_free (person);
}

static Person *
person_of (Tenant     *tenant,
           const char *employee_id)
{
  return employee_id != NULL ? g_hash_table_lookup (tenant->people, employee_id) : NULL;
}

/* The generator reuses its objects: what is kept is copied. Employees come
 * before what refers to them. */
static gboolean
collect (RotaEntity  *entity,
         gpointer     user_data,
         GError     **error)
{
  Tenant *tenant = user_data;
  Person *person;

  if (ROTA_IS_OFFICE (entity))
    g_hash_table_insert (tenant->offices, g_strdup (rota_entity_get_id (entity)), rota_entity_copy (entity));
  else if (ROTA_IS_DEPARTMENT (entity))
    g_hash_table_insert (tenant->departments, g_strdup (rota_entity_get_id (entity)), rota_entity_copy (entity));
  else if (ROTA_IS_EMPLOYEE (entity))
    {
      person = g_new0 (Person, 1);
      person->employee = ROTA_EMPLOYEE (rota_entity_copy (entity));
      person->shifts = g_ptr_array_new_with_free_func (g_object_unref);
      person->absences = g_ptr_array_new_with_free_func (g_object_unref);
      person->availability = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (tenant->people, g_strdup (rota_entity_get_id (entity)), person);
    }
  else if (ROTA_IS_SHIFT (entity) &&
           ROTA_SHIFT (entity)->start < tenant->window_end && ROTA_SHIFT (entity)->end > tenant->window_start &&
           (person = person_of (tenant, ROTA_SHIFT (entity)->employee_id)) != NULL)
    g_ptr_array_add (person->shifts, rota_entity_copy (entity));
  else if (ROTA_IS_ABSENCE (entity) && (person = person_of (tenant, ROTA_ABSENCE (entity)->employee_id)) != NULL)
    g_ptr_array_add (person->absences, rota_entity_copy (entity));
  else if (ROTA_IS_AVAILABILITY (entity) &&
           (person = person_of (tenant, ROTA_AVAILABILITY (entity)->employee_id)) != NULL)
    g_ptr_array_add (person->availability, rota_entity_copy (entity));

  return TRUE;
}

/* Each employee's profile and zone: those of their first department's office. */
static void
resolve_offices (Tenant *tenant)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, tenant->people);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Person *person = value;
      char **departments = person->employee->department_ids;
      RotaDepartment *department = departments != NULL && departments[0] != NULL
                                   ? g_hash_table_lookup (tenant->departments, departments[0]) : NULL;
      RotaOffice *office = department != NULL ? g_hash_table_lookup (tenant->offices, department->office_id) : NULL;

      g_assert (office != NULL);
      person->profile = office->rules_profile;
      person->zone = rota_time_zone_get (office->time_zone);
      g_assert (person->zone != NULL);
    }
}

static guint
check (Person *person,
       gint64  from,
       gint64  to)
{
  g_autoptr(GPtrArray) findings = rota_rules_check_employee (person->profile, person->zone, person->employee,
                                                             person->shifts, person->absences,
                                                             person->availability, from, to);

  return findings->len;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  RotaDemoOptions options;
  Tenant tenant = { 0 };
  double full_ms[FULL_RUNS];
  double edit_ms[EDIT_RUNS];
  Person *edited = NULL;
  RotaShift *moved = NULL;
  GHashTableIter iter;
  gpointer value;
  guint findings = 0;
  guint shifts = 0;
  gint64 from;
  gint64 to;
  gint64 start;

  /* A month in the middle of the plan, with 16 weeks before it. */
  rota_demo_options_init_large (&options, rota_time_now ());
  from = rota_time_day_start (rota_time_zone_get ("UTC"), options.first_week) + 26 * 7 * 86400;
  to = from + 28 * 86400;
  tenant.window_start = from - 16 * 7 * 86400;
  tenant.window_end = to + 86400;
  tenant.offices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  tenant.departments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  tenant.people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, person_free);

  start = g_get_monotonic_time ();
  g_assert_true (rota_demo_generate (&options, collect, &tenant, NULL, &error));
  g_assert_no_error (error);
  resolve_offices (&tenant);
  g_printerr ("Large tenant generated in %.1f s\n", bench_seconds_since (start));

  for (guint run = 0; run < FULL_RUNS; run++)
    {
      guint found = 0;

      start = g_get_monotonic_time ();
      g_hash_table_iter_init (&iter, tenant.people);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        found += check (value, from, to);
      full_ms[run] = bench_seconds_since (start) * 1000;
      findings = found;
    }

  /* The employee with the most shifts, one of them moved by an hour. */
  g_hash_table_iter_init (&iter, tenant.people);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Person *person = value;

      shifts += person->shifts->len;
      if (edited == NULL || person->shifts->len > edited->shifts->len)
        edited = person;
    }
  for (guint i = 0; i < edited->shifts->len && moved == NULL; i++)
    if (ROTA_SHIFT (g_ptr_array_index (edited->shifts, i))->start >= from)
      moved = g_ptr_array_index (edited->shifts, i);
  g_assert_nonnull (moved);

  for (guint run = 0; run < EDIT_RUNS; run++)
    {
      moved->start += run % 2 ? -3600 : 3600;
      moved->end += run % 2 ? -3600 : 3600;
      start = g_get_monotonic_time ();
      check (edited, from, to);
      edit_ms[run] = bench_seconds_since (start) * 1000;
    }

  bench_emit ("rules-month-large-tenant",
              "\"employees\": %u, \"shifts\": %u, \"findings\": %u, \"runs\": %d, \"median_ms\": %.2f, "
              "\"target_ms\": 50, \"ratio_to_target\": %.3f",
              g_hash_table_size (tenant.people), shifts, findings, FULL_RUNS,
              bench_median (full_ms, FULL_RUNS), bench_median (full_ms, FULL_RUNS) / 50.0);
  bench_emit ("rules-after-one-edit",
              "\"employee_shifts\": %u, \"runs\": %d, \"median_ms\": %.3f, \"target_ms\": 1, \"ratio_to_target\": %.3f",
              edited->shifts->len, EDIT_RUNS, bench_median (edit_ms, EDIT_RUNS), bench_median (edit_ms, EDIT_RUNS));

  g_hash_table_unref (tenant.people);
  g_hash_table_unref (tenant.departments);
  g_hash_table_unref (tenant.offices);

  return 0;
}
