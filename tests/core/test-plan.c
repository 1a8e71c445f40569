/* test-plan.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rota-model-private.h"
#include "rota-plan.h"
#include "rota-store.h"
#include "rota-time.h"

#define BERLIN    "Europe/Berlin"
#define AMSTERDAM "Europe/Amsterdam"
#define HOUR      (60 * 60)
#define ACTOR     "planner@test"

/* Mondays: an ordinary week, the week that ends with the change to summer
 * time (Sunday 2026-03-29) and the one that ends with the change back
 * (Sunday 2026-10-25). */
#define NOVEMBER "2026-11-23"
#define MARCH    "2026-03-23"
#define OCTOBER  "2026-10-19"

typedef struct
{
  char      *dir;
  char      *path;
  RotaStore *store;
  RotaPlan  *plan;
} Fixture;

typedef struct
{
  guint        row_changed;
  guint        findings_changed;
  guint        can_undo;
  guint        can_redo;
  RotaPlanRow *last_row;
} Counts;

/* Entities */

static RotaEntity *
make_office (const char       *id,
             const char       *name,
             const char       *zone,
             RotaRulesProfile  profile)
{
  RotaOffice *office = rota_office_new ();

  office->id = g_strdup (id);
  office->version = 1;
  office->name = g_strdup (name);
  g_free (office->time_zone);
  office->time_zone = g_strdup (zone);
  office->rules_profile = profile;

  return ROTA_ENTITY (office);
}

static RotaEntity *
make_department (const char *id,
                 const char *office_id,
                 const char *name)
{
  RotaDepartment *department = rota_department_new ();

  department->id = g_strdup (id);
  department->version = 1;
  department->office_id = g_strdup (office_id);
  department->name = g_strdup (name);

  return ROTA_ENTITY (department);
}

static RotaEntity *
make_employee (const char *id,
               const char *department_id,
               const char *first_name,
               const char *prefix,
               const char *last_name,
               gint64      wage_cents)
{
  RotaEmployee *employee = rota_employee_new ();
  const char * const departments[] = { department_id, NULL };

  employee->id = g_strdup (id);
  employee->version = 1;
  employee->first_name = g_strdup (first_name);
  employee->last_name_prefix = g_strdup (prefix);
  employee->last_name = g_strdup (last_name);
  employee->department_ids = g_strdupv ((char **) departments);
  employee->hourly_wage_cents = wage_cents;
  employee->date_of_birth = g_strdup ("1990-01-01");

  return ROTA_ENTITY (employee);
}

static void
put (RotaStore  *store,
     RotaEntity *entity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_store_put_entity (store, entity, &error));
  g_assert_no_error (error);
  g_object_unref (entity);
}

/* An instant from a wall-clock time, worked out with GDateTime and not
 * with rota-time, so that the plan is checked against something else. */
static gint64
local (const char *zone,
       const char *date,
       int         hour,
       int         minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  g_assert_nonnull (tz);
  g_assert_cmpint (sscanf (date, "%d-%d-%d", &y, &m, &d), ==, 3);
  dt = g_date_time_new (tz, y, m, d, hour, minute, 0);
  g_assert_nonnull (dt);

  return g_date_time_to_unix (dt);
}

/* "YYYY-MM-DD HH:MM" of an instant in a zone. */
static char *
wall (const char *zone,
      gint64      instant)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr(GDateTime) dt = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

static void
put_shift (RotaStore  *store,
           const char *id,
           const char *employee_id,
           const char *department_id,
           gint64      start,
           gint64      end,
           gint64      break_minutes,
           gboolean    published)
{
  RotaShift *shift = rota_shift_new ();

  shift->id = g_strdup (id);
  shift->version = 3;
  shift->employee_id = g_strdup (employee_id);
  shift->department_id = g_strdup (department_id);
  shift->start = start;
  shift->end = end;
  shift->break_minutes = break_minutes;
  shift->published = published;
  put (store, ROTA_ENTITY (shift));
}

static RotaShift *
store_shift (RotaStore  *store,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  RotaEntity *entity = rota_store_get_entity (store, ROTA_TYPE_SHIFT, id, &error);

  if (entity == NULL)
    {
      g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
      return NULL;
    }
  g_assert_no_error (error);

  return ROTA_SHIFT (entity);
}

static GPtrArray *
outbox (RotaStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = rota_store_list_outbox (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);

  return items;
}

static guint
outbox_len (RotaStore *store)
{
  g_autoptr(GPtrArray) items = outbox (store);

  return items->len;
}

static RotaOutboxItem *
outbox_last (RotaStore *store)
{
  g_autoptr(GPtrArray) items = outbox (store);

  g_assert_cmpuint (items->len, >, 0);

  return rota_outbox_item_copy (g_ptr_array_index (items, items->len - 1));
}

static GPtrArray *
list_shifts (RotaStore *store,
             gint64     from,
             gint64     to)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *shifts = rota_store_list_shifts (store, from, to, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (shifts);

  return shifts;
}

static void
assert_same_shift (RotaShift *a,
                   RotaShift *b,
                   gboolean   ids)
{
  if (ids)
    g_assert_cmpstr (rota_entity_get_id (ROTA_ENTITY (a)), ==, rota_entity_get_id (ROTA_ENTITY (b)));
  g_assert_cmpstr (rota_shift_get_employee_id (a), ==, rota_shift_get_employee_id (b));
  g_assert_cmpstr (rota_shift_get_department_id (a), ==, rota_shift_get_department_id (b));
  g_assert_cmpint (rota_shift_get_start (a), ==, rota_shift_get_start (b));
  g_assert_cmpint (rota_shift_get_end (a), ==, rota_shift_get_end (b));
  g_assert_cmpint (rota_shift_get_break_minutes (a), ==, rota_shift_get_break_minutes (b));
  g_assert_cmpstr (rota_shift_get_note (a), ==, rota_shift_get_note (b));
  g_assert_cmpint (rota_shift_get_published (a), ==, rota_shift_get_published (b));
}

static void
assert_same_shifts (GPtrArray *a,
                    GPtrArray *b,
                    gboolean   ids)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    assert_same_shift (g_ptr_array_index (a, i), g_ptr_array_index (b, i), ids);
}

static RotaPlanRow *
row_titled (RotaPlan   *plan,
            const char *title)
{
  GListModel *rows = rota_plan_get_rows (plan);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);

      if (g_strcmp0 (rota_plan_row_get_title (row), title) == 0)
        return row;
    }

  g_assert_not_reached ();
  return NULL;
}

static RotaPlanRow *
row_of (RotaPlan   *plan,
        const char *employee_id)
{
  RotaPlanRow *row = rota_plan_find_row (plan, employee_id);

  g_assert_nonnull (row);

  return row;
}

static char *
visible_titles (RotaPlan *plan)
{
  GListModel *rows = rota_plan_get_rows (plan);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);

      if (i > 0)
        g_string_append (text, "|");
      g_string_append (text, rota_plan_row_get_title (row));
      g_assert_cmpuint (rota_plan_row_get_position (row), ==, i);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
row_has_shift (RotaPlanRow *row,
               const char  *id)
{
  GPtrArray *shifts = rota_plan_row_get_shifts (row);

  for (guint i = 0; i < shifts->len; i++)
    if (g_strcmp0 (rota_entity_get_id (g_ptr_array_index (shifts, i)), id) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
has_finding (RotaPlan   *plan,
             const char *rule,
             const char *shift_id)
{
  GPtrArray *findings = rota_plan_get_findings (plan);

  for (guint i = 0; i < findings->len; i++)
    {
      RotaFinding *finding = g_ptr_array_index (findings, i);

      if (g_strcmp0 (finding->rule, rule) == 0 &&
          (shift_id == NULL ||
           (finding->shift_ids != NULL &&
            g_strv_contains ((const char * const *) finding->shift_ids, shift_id))))
        return TRUE;
    }

  return FALSE;
}

static void
load (Fixture    *fixture,
      const char *first_date,
      guint       n_days)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_plan_load (fixture->plan, first_date, n_days, &error));
  g_assert_no_error (error);
}

static RotaShift *
create (Fixture    *fixture,
        const char *employee_id,
        guint       day,
        int         start_minutes,
        int         end_minutes)
{
  g_autoptr(GError) error = NULL;
  RotaShift *shift;

  shift = rota_plan_create_shift (fixture->plan, row_of (fixture->plan, employee_id), day,
                                  start_minutes, end_minutes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shift);

  return shift;
}

static const char *
id_of (gpointer entity)
{
  return rota_entity_get_id (ROTA_ENTITY (entity));
}

/* Signals */

static void
row_changed_cb (RotaPlan    *plan,
                RotaPlanRow *row,
                Counts      *counts)
{
  counts->row_changed++;
  counts->last_row = row;
}

static void
findings_changed_cb (RotaPlan *plan,
                     Counts   *counts)
{
  counts->findings_changed++;
}

static void
notify_cb (RotaPlan   *plan,
           GParamSpec *pspec,
           Counts     *counts)
{
  if (g_str_equal (pspec->name, "can-undo"))
    counts->can_undo++;
  else if (g_str_equal (pspec->name, "can-redo"))
    counts->can_redo++;
}

static void
connect_counts (RotaPlan *plan,
                Counts   *counts)
{
  g_signal_connect (plan, "row-changed", G_CALLBACK (row_changed_cb), counts);
  g_signal_connect (plan, "findings-changed", G_CALLBACK (findings_changed_cb), counts);
  g_signal_connect (plan, "notify::can-undo", G_CALLBACK (notify_cb), counts);
  g_signal_connect (plan, "notify::can-redo", G_CALLBACK (notify_cb), counts);
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rota-plan-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "cache.sqlite", NULL);
  fixture->store = rota_store_open (fixture->path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  put (fixture->store, make_office ("o-nl", "Utrecht", AMSTERDAM, ROTA_RULES_PROFILE_NL));
  put (fixture->store, make_office ("o-de", "Berlin", BERLIN, ROTA_RULES_PROFILE_DE));
  /* Put in an order other than by name. */
  put (fixture->store, make_department ("d-service", "o-nl", "Service"));
  put (fixture->store, make_department ("d-kueche", "o-de", "Küche"));
  put (fixture->store, make_department ("d-lager", "o-de", "Lager"));
  put (fixture->store, make_department ("d-bar", "o-nl", "Bar"));
  put (fixture->store, make_employee ("e-schmidt", "d-kueche", "Eva", NULL, "Schmidt", 1700));
  put (fixture->store, make_employee ("e-vries", "d-bar", "Jan", "de", "Vries", 1600));
  put (fixture->store, make_employee ("e-mueller", "d-kueche", "Jürgen", NULL, "Müller", 2000));
  put (fixture->store, make_employee ("e-dijk", "d-service", "Sanne", "van", "Dijk", 1400));
  put (fixture->store, make_employee ("e-ahmed", "d-kueche", "Ali", NULL, "Ahmed", 1800));
  put (fixture->store, make_employee ("e-bakker", "d-bar", "Anna", NULL, "Bakker", 1500));

  fixture->plan = rota_plan_new (fixture->store, ACTOR);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->plan);
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Loading */

static void
test_load_rows (Fixture       *fixture,
                gconstpointer  data)
{
  GListModel *rows;
  GListModel *departments;
  g_autofree char *titles = NULL;
  g_autoptr(RotaPlanRow) first = NULL;
  g_autoptr(RotaPlanRow) header = NULL;
  g_autoptr(RotaPlanRow) person = NULL;
  g_autoptr(RotaDepartment) department = NULL;

  load (fixture, NOVEMBER, 7);
  g_assert_cmpstr (rota_plan_get_first_date (fixture->plan), ==, NOVEMBER);
  g_assert_cmpuint (rota_plan_get_n_days (fixture->plan), ==, 7);

  rows = rota_plan_get_rows (fixture->plan);
  titles = visible_titles (fixture->plan);
  /* Departments by name, people by last name ("van Dijk" under D); a
   * department with nobody in it (Lager) has no header. */
  g_assert_cmpstr (titles, ==,
                   "Open shifts|Bar|Anna Bakker|Jan de Vries|Küche|Ali Ahmed|Jürgen Müller|Eva Schmidt|"
                   "Service|Sanne van Dijk");

  first = g_list_model_get_item (rows, 0);
  g_assert_cmpint (rota_plan_row_get_kind (first), ==, ROTA_PLAN_ROW_OPEN);
  g_assert_null (rota_plan_row_get_employee (first));
  g_assert_true (first == rota_plan_find_row (fixture->plan, NULL));
  /* Open shifts are shown in the zone of the first department's office. */
  g_assert_cmpstr (g_time_zone_get_identifier (rota_plan_row_get_zone (first)), ==, AMSTERDAM);

  header = g_list_model_get_item (rows, 4);
  g_assert_cmpint (rota_plan_row_get_kind (header), ==, ROTA_PLAN_ROW_DEPARTMENT);
  g_assert_cmpstr (id_of (rota_plan_row_get_department (header)), ==, "d-kueche");
  g_assert_null (rota_plan_row_get_employee (header));
  g_assert_cmpstr (g_time_zone_get_identifier (rota_plan_row_get_zone (header)), ==, BERLIN);

  person = g_list_model_get_item (rows, 6);
  g_assert_cmpint (rota_plan_row_get_kind (person), ==, ROTA_PLAN_ROW_EMPLOYEE);
  g_assert_cmpstr (id_of (rota_plan_row_get_employee (person)), ==, "e-mueller");
  g_assert_cmpstr (id_of (rota_plan_row_get_department (person)), ==, "d-kueche");
  g_assert_cmpstr (g_time_zone_get_identifier (rota_plan_row_get_zone (person)), ==, BERLIN);
  g_assert_true (person == rota_plan_find_row (fixture->plan, "e-mueller"));
  g_assert_cmpstr (g_time_zone_get_identifier (rota_plan_row_get_zone (row_of (fixture->plan, "e-dijk"))),
                   ==, AMSTERDAM);

  departments = rota_plan_get_departments (fixture->plan);
  g_assert_cmpuint (g_list_model_get_n_items (departments), ==, 4);
  department = g_list_model_get_item (departments, 0);
  g_assert_cmpstr (id_of (department), ==, "d-bar");
}

static void
check_day_of (Fixture    *fixture,
              const char *week,
              const char *employee_id,
              const char *zone)
{
  RotaPlanRow *row;

  load (fixture, week, 7);
  row = row_of (fixture->plan, employee_id);
  g_assert_cmpstr (g_time_zone_get_identifier (rota_plan_row_get_zone (row)), ==, zone);

  for (int i = 0; i <= 7; i++)
    {
      g_autofree char *date = rota_date_add_days (week, i);
      gint64 midnight = local (zone, date, 0, 0);

      g_test_message ("%s %s day %d", zone, date, i);
      /* 00:00 local is that day, 23:59 the day before is the day before. */
      g_assert_cmpint (rota_plan_day_start (fixture->plan, row, i), ==, midnight);
      g_assert_cmpint (rota_plan_day_of (fixture->plan, row, midnight), ==, i);
      g_assert_cmpint (rota_plan_day_of (fixture->plan, row, midnight - 60), ==, i - 1);
      g_assert_cmpint (rota_plan_day_of (fixture->plan, row, midnight - 1), ==, i - 1);
      if (i < 7)
        g_assert_cmpint (rota_plan_day_of (fixture->plan, row, local (zone, date, 23, 59)), ==, i);
    }
}

static void
test_load_day_of (Fixture       *fixture,
                  gconstpointer  data)
{
  RotaPlanRow *row;

  check_day_of (fixture, NOVEMBER, "e-mueller", BERLIN);
  check_day_of (fixture, NOVEMBER, "e-bakker", AMSTERDAM);
  check_day_of (fixture, MARCH, "e-mueller", BERLIN);
  check_day_of (fixture, MARCH, "e-bakker", AMSTERDAM);

  /* Sunday 2026-03-29 has 23 hours, and 03:00 is right after 01:59. */
  row = row_of (fixture->plan, "e-bakker");
  g_assert_cmpint (rota_plan_day_start (fixture->plan, row, 7) - rota_plan_day_start (fixture->plan, row, 6),
                   ==, 23 * HOUR);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, local (AMSTERDAM, "2026-03-29", 3, 0)), ==, 6);

  check_day_of (fixture, OCTOBER, "e-mueller", BERLIN);
  check_day_of (fixture, OCTOBER, "e-bakker", AMSTERDAM);

  /* Sunday 2026-10-25 has 25 hours; both 02:30s are on it. */
  row = row_of (fixture->plan, "e-mueller");
  g_assert_cmpint (rota_plan_day_start (fixture->plan, row, 7) - rota_plan_day_start (fixture->plan, row, 6),
                   ==, 25 * HOUR);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, local (BERLIN, "2026-10-25", 0, 0) + 2 * HOUR + 1800),
                   ==, 6);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, local (BERLIN, "2026-10-25", 0, 0) + 3 * HOUR + 1800),
                   ==, 6);
}

/* Shifts stored at the edges of days land on the right day. */
static void
test_load_day_edges (Fixture       *fixture,
                     gconstpointer  data)
{
  RotaPlanRow *row;
  RotaShift *shift = NULL;

  put_shift (fixture->store, "s-sun-0000", "e-mueller", "d-kueche",
             local (BERLIN, "2026-03-29", 0, 0), local (BERLIN, "2026-03-29", 8, 0), 30, FALSE);
  put_shift (fixture->store, "s-sat-2359", "e-mueller", "d-kueche",
             local (BERLIN, "2026-03-28", 23, 59), local (BERLIN, "2026-03-29", 5, 0), 0, FALSE);
  put_shift (fixture->store, "s-before", "e-mueller", "d-kueche",
             local (BERLIN, "2026-03-22", 23, 59), local (BERLIN, "2026-03-23", 4, 0), 0, FALSE);
  put_shift (fixture->store, "s-mon-0000", "e-mueller", "d-kueche",
             local (BERLIN, "2026-03-23", 0, 0), local (BERLIN, "2026-03-23", 4, 0), 0, FALSE);
  put_shift (fixture->store, "s-after", "e-mueller", "d-kueche",
             local (BERLIN, "2026-03-30", 0, 0), local (BERLIN, "2026-03-30", 4, 0), 0, FALSE);
  put_shift (fixture->store, "s-oct-sun", "e-bakker", "d-bar",
             local (AMSTERDAM, "2026-10-25", 0, 0), local (AMSTERDAM, "2026-10-25", 6, 0), 0, FALSE);
  put_shift (fixture->store, "s-oct-sat", "e-bakker", "d-bar",
             local (AMSTERDAM, "2026-10-24", 23, 59), local (AMSTERDAM, "2026-10-25", 6, 0), 0, FALSE);

  load (fixture, MARCH, 7);
  row = row_of (fixture->plan, "e-mueller");
  g_assert_cmpuint (rota_plan_row_get_shifts (row)->len, ==, 3);
  g_assert_true (row_has_shift (row, "s-mon-0000"));
  g_assert_true (row_has_shift (row, "s-sat-2359"));
  g_assert_true (row_has_shift (row, "s-sun-0000"));
  g_assert_false (row_has_shift (row, "s-before"));
  g_assert_false (row_has_shift (row, "s-after"));
  /* Sorted by start. */
  g_assert_cmpstr (id_of (g_ptr_array_index (rota_plan_row_get_shifts (row), 0)), ==, "s-mon-0000");
  g_assert_cmpstr (id_of (g_ptr_array_index (rota_plan_row_get_shifts (row), 2)), ==, "s-sun-0000");

  g_assert_true (rota_plan_find_shift (fixture->plan, "s-sun-0000", &shift) == row);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, rota_shift_get_start (shift)), ==, 6);
  g_assert_true (rota_plan_find_shift (fixture->plan, "s-sat-2359", &shift) == row);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, rota_shift_get_start (shift)), ==, 5);
  g_assert_true (rota_plan_find_shift (fixture->plan, "s-mon-0000", &shift) == row);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, rota_shift_get_start (shift)), ==, 0);

  load (fixture, OCTOBER, 7);
  row = row_of (fixture->plan, "e-bakker");
  g_assert_true (rota_plan_find_shift (fixture->plan, "s-oct-sun", &shift) == row);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, rota_shift_get_start (shift)), ==, 6);
  g_assert_true (rota_plan_find_shift (fixture->plan, "s-oct-sat", &shift) == row);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, rota_shift_get_start (shift)), ==, 5);
  /* Moving to another range forgets the last one's shifts. */
  g_assert_null (rota_plan_find_shift (fixture->plan, "s-mon-0000", NULL));
}

/* Filter */

static void
test_filter_search (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct { const char *search; const char *titles; } cases[] = {
    { "muller", "Open shifts|Küche|Jürgen Müller" },
    { "MULLER", "Open shifts|Küche|Jürgen Müller" },
    { "Müller", "Open shifts|Küche|Jürgen Müller" },
    { "  jürgen ", "Open shifts|Küche|Jürgen Müller" },
    { "an", "Open shifts|Bar|Anna Bakker|Jan de Vries|Service|Sanne van Dijk" },
    { "van dijk", "Open shifts|Service|Sanne van Dijk" },
    { "nobody", "Open shifts" },
    { "", "Open shifts|Bar|Anna Bakker|Jan de Vries|Küche|Ali Ahmed|Jürgen Müller|Eva Schmidt|"
          "Service|Sanne van Dijk" },
    { NULL, "Open shifts|Bar|Anna Bakker|Jan de Vries|Küche|Ali Ahmed|Jürgen Müller|Eva Schmidt|"
            "Service|Sanne van Dijk" },
  };

  load (fixture, NOVEMBER, 7);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *titles = NULL;

      g_test_message ("search “%s”", cases[i].search ? cases[i].search : "(null)");
      rota_plan_set_filter (fixture->plan, cases[i].search, NULL);
      titles = visible_titles (fixture->plan);
      g_assert_cmpstr (titles, ==, cases[i].titles);
    }
}

static void
test_filter_department (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *kueche = NULL;
  g_autofree char *both = NULL;
  g_autofree char *none = NULL;
  g_autofree char *all = NULL;

  load (fixture, NOVEMBER, 7);

  rota_plan_set_filter (fixture->plan, NULL, "d-kueche");
  kueche = visible_titles (fixture->plan);
  g_assert_cmpstr (kueche, ==, "Open shifts|Küche|Ali Ahmed|Jürgen Müller|Eva Schmidt");

  rota_plan_set_filter (fixture->plan, "an", "d-bar");
  both = visible_titles (fixture->plan);
  g_assert_cmpstr (both, ==, "Open shifts|Bar|Anna Bakker|Jan de Vries");

  rota_plan_set_filter (fixture->plan, "muller", "d-bar");
  none = visible_titles (fixture->plan);
  g_assert_cmpstr (none, ==, "Open shifts");

  /* The filter outlives a reload. */
  rota_plan_set_filter (fixture->plan, NULL, "d-service");
  g_assert_true (rota_plan_reload (fixture->plan, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rota_plan_get_rows (fixture->plan)), ==, 3);

  rota_plan_set_filter (fixture->plan, NULL, NULL);
  all = visible_titles (fixture->plan);
  g_assert_cmpuint (g_list_model_get_n_items (rota_plan_get_rows (fixture->plan)), ==, 10);
}

/* Creating */

static void
test_create_outbox (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RotaShift) shift = NULL;
  g_autoptr(RotaShift) stored = NULL;
  g_autoptr(RotaShift) open = NULL;
  g_autoptr(RotaShift) stored_open = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  RotaPlanRow *row;

  load (fixture, NOVEMBER, 7);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 0);

  row = row_of (fixture->plan, "e-mueller");
  shift = rota_plan_create_shift (fixture->plan, row, 2, 8 * 60, 16 * 60, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shift);

  g_assert_cmpuint (outbox_len (fixture->store), ==, 1);
  item = outbox_last (fixture->store);
  g_assert_cmpstr (item->kind, ==, "shift");
  g_assert_cmpstr (item->entity_id, ==, id_of (shift));
  g_assert_cmpint (item->op, ==, ROTA_OUTBOX_OP_PUT);
  g_assert_cmpint (item->base_version, ==, 0);
  g_assert_cmpint (item->state, ==, ROTA_OUTBOX_STATE_PENDING);
  g_assert_cmpstr (item->actor, ==, ACTOR);

  stored = store_shift (fixture->store, id_of (shift));
  g_assert_nonnull (stored);
  g_assert_cmpstr (rota_shift_get_employee_id (stored), ==, "e-mueller");
  g_assert_cmpstr (rota_shift_get_department_id (stored), ==, "d-kueche");
  g_assert_cmpint (rota_shift_get_start (stored), ==, local (BERLIN, "2026-11-25", 8, 0));
  g_assert_cmpint (rota_shift_get_end (stored), ==, local (BERLIN, "2026-11-25", 16, 0));
  g_assert_cmpint (rota_shift_get_break_minutes (stored), ==, 30);
  g_assert_false (rota_shift_get_published (stored));
  g_assert_null (rota_shift_get_note (stored));

  g_assert_true (row_has_shift (row, id_of (shift)));
  g_assert_true (rota_plan_find_shift (fixture->plan, id_of (shift), NULL) == row);
  g_assert_true (rota_plan_can_undo (fixture->plan));
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Shift added");

  /* An open shift: nobody, the first department, in its office's zone. */
  open = rota_plan_create_shift (fixture->plan, rota_plan_find_row (fixture->plan, NULL), 0,
                                 10 * 60, 14 * 60, &error);
  g_assert_no_error (error);
  stored_open = store_shift (fixture->store, id_of (open));
  g_assert_nonnull (stored_open);
  g_assert_null (rota_shift_get_employee_id (stored_open));
  g_assert_cmpstr (rota_shift_get_department_id (stored_open), ==, "d-bar");
  g_assert_cmpint (rota_shift_get_start (stored_open), ==, local (AMSTERDAM, NOVEMBER, 10, 0));
  g_assert_cmpint (rota_shift_get_break_minutes (stored_open), ==, 0);
  g_assert_true (row_has_shift (rota_plan_find_row (fixture->plan, NULL), id_of (open)));
  g_assert_cmpuint (outbox_len (fixture->store), ==, 2);
}

static void
test_create_default_break (Fixture       *fixture,
                           gconstpointer  data)
{
  const struct { int minutes; gint64 expected; } cases[] = {
    { 4 * 60, 0 },
    { 6 * 60, 0 },
    { 6 * 60 + 1, 30 },
    { 9 * 60, 30 },
    { 9 * 60 + 1, 45 },
    { 10 * 60, 45 },
  };

  load (fixture, NOVEMBER, 7);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RotaShift) shift = create (fixture, "e-dijk", i, 7 * 60, 7 * 60 + cases[i].minutes);
      g_autoptr(RotaShift) stored = store_shift (fixture->store, id_of (shift));

      g_test_message ("%d minutes", cases[i].minutes);
      g_assert_nonnull (stored);
      g_assert_cmpint (rota_shift_get_break_minutes (stored), ==, cases[i].expected);
      g_assert_cmpint (rota_shift_get_end (stored) - rota_shift_get_start (stored), ==, cases[i].minutes * 60);
    }
}

static void
test_create_overnight (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaShift) night = NULL;
  g_autoptr(RotaShift) stored = NULL;
  g_autoptr(RotaShift) dst = NULL;
  g_autoptr(RotaShift) stored_dst = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *dst_end = NULL;
  int from, to;

  /* What the planner's editor hands over for "22-6". */
  g_assert_true (rota_time_range_parse ("22-6", &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, 22 * 60);
  g_assert_cmpint (to, ==, 30 * 60);

  load (fixture, NOVEMBER, 7);
  night = create (fixture, "e-mueller", 1, from, to);
  stored = store_shift (fixture->store, id_of (night));
  g_assert_nonnull (stored);
  start = wall (BERLIN, rota_shift_get_start (stored));
  end = wall (BERLIN, rota_shift_get_end (stored));
  g_assert_cmpstr (start, ==, "2026-11-24 22:00");
  g_assert_cmpstr (end, ==, "2026-11-25 06:00");
  g_assert_cmpint (rota_shift_get_break_minutes (stored), ==, 30);
  /* It is on the day it starts. */
  g_assert_true (row_has_shift (row_of (fixture->plan, "e-mueller"), id_of (night)));

  /* Into the night summer time starts: 06:00 on the clock, 7 hours. */
  load (fixture, MARCH, 7);
  dst = create (fixture, "e-mueller", 5, from, to);
  stored_dst = store_shift (fixture->store, id_of (dst));
  g_assert_nonnull (stored_dst);
  dst_end = wall (BERLIN, rota_shift_get_end (stored_dst));
  g_assert_cmpstr (dst_end, ==, "2026-03-29 06:00");
  g_assert_cmpint (rota_shift_get_end (stored_dst) - rota_shift_get_start (stored_dst), ==, 7 * HOUR);
}

static void
test_create_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  RotaShift *shift;
  GError *error = NULL;
  gint64 from = local (BERLIN, NOVEMBER, 0, 0) - 7 * 24 * HOUR;
  gint64 to = from + 28 * 24 * HOUR;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);
  before = list_shifts (fixture->store, from, to);

  /* A department's heading. */
  shift = rota_plan_create_shift (fixture->plan, row_titled (fixture->plan, "Küche"), 0, 8 * 60, 16 * 60, &error);
  g_assert_null (shift);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "heading"));
  g_clear_error (&error);

  /* A day past the range. */
  shift = rota_plan_create_shift (fixture->plan, row_of (fixture->plan, "e-mueller"), 7, 8 * 60, 16 * 60, &error);
  g_assert_null (shift);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not shown"));
  g_clear_error (&error);

  /* An end before the start (the caller was to add a day). */
  shift = rota_plan_create_shift (fixture->plan, row_of (fixture->plan, "e-mueller"), 2, 22 * 60, 6 * 60, &error);
  g_assert_null (shift);
  g_assert_nonnull (error);
  g_test_message ("end before start: %s", error->message);
  g_clear_error (&error);

  g_assert_cmpuint (outbox_len (fixture->store), ==, 0);
  after = list_shifts (fixture->store, from, to);
  assert_same_shifts (before, after, TRUE);
  g_assert_false (rota_plan_can_undo (fixture->plan));
  g_assert_cmpuint (rota_plan_row_get_shifts (row_of (fixture->plan, "e-mueller"))->len, ==, 1);
}

/* Moving */

static void
test_move_day (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RotaShift) moved = NULL;
  g_autoptr(RotaShift) stored = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  RotaShift *shift;
  RotaPlanRow *row;
  GError *error = NULL;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  load (fixture, NOVEMBER, 7);
  row = row_of (fixture->plan, "e-mueller");

  moved = rota_plan_move_shift (fixture->plan, "s1", NULL, 2, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_assert_cmpstr (id_of (moved), ==, "s1");

  stored = store_shift (fixture->store, "s1");
  g_assert_nonnull (stored);
  g_assert_cmpint (rota_shift_get_start (stored), ==, local (BERLIN, "2026-11-25", 8, 0));
  g_assert_cmpint (rota_shift_get_end (stored), ==, local (BERLIN, "2026-11-25", 16, 0));
  g_assert_cmpstr (rota_shift_get_employee_id (stored), ==, "e-mueller");
  g_assert_cmpint (rota_shift_get_break_minutes (stored), ==, 30);
  /* A moved shift has to be published again. */
  g_assert_false (rota_shift_get_published (stored));

  item = outbox_last (fixture->store);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 1);
  g_assert_cmpstr (item->entity_id, ==, "s1");
  g_assert_cmpint (item->op, ==, ROTA_OUTBOX_OP_PUT);
  g_assert_cmpint (item->base_version, ==, 3);

  g_assert_true (rota_plan_find_shift (fixture->plan, "s1", &shift) == row);
  g_assert_cmpint (rota_plan_day_of (fixture->plan, row, rota_shift_get_start (shift)), ==, 2);
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Shift moved");

  /* Out of the range: refused, nothing changes. */
  g_assert_null (rota_plan_move_shift (fixture->plan, "s1", NULL, 5, FALSE, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rota_plan_move_shift (fixture->plan, "s1", NULL, -3, FALSE, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rota_plan_move_shift (fixture->plan, "nope", NULL, 1, FALSE, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 1);
}

static void
test_move_person (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RotaShift) moved = NULL;
  g_autoptr(RotaShift) stored = NULL;
  g_autoptr(RotaShift) open = NULL;
  g_autoptr(RotaShift) stored_open = NULL;
  GError *error = NULL;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);

  /* To someone in another department, a day later. */
  moved = rota_plan_move_shift (fixture->plan, "s1", row_of (fixture->plan, "e-bakker"), 1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  stored = store_shift (fixture->store, "s1");
  g_assert_cmpstr (rota_shift_get_employee_id (stored), ==, "e-bakker");
  g_assert_cmpstr (rota_shift_get_department_id (stored), ==, "d-bar");
  g_assert_cmpint (rota_shift_get_start (stored), ==, local (AMSTERDAM, "2026-11-24", 8, 0));
  g_assert_cmpint (rota_shift_get_end (stored), ==, local (AMSTERDAM, "2026-11-24", 16, 0));
  g_assert_false (row_has_shift (row_of (fixture->plan, "e-mueller"), "s1"));
  g_assert_true (row_has_shift (row_of (fixture->plan, "e-bakker"), "s1"));
  g_assert_true (rota_plan_find_shift (fixture->plan, "s1", NULL) == row_of (fixture->plan, "e-bakker"));

  /* To the open shifts. */
  open = rota_plan_move_shift (fixture->plan, "s1", rota_plan_find_row (fixture->plan, NULL), 0, FALSE, &error);
  g_assert_no_error (error);
  stored_open = store_shift (fixture->store, "s1");
  g_assert_null (rota_shift_get_employee_id (stored_open));
  g_assert_cmpstr (rota_shift_get_department_id (stored_open), ==, "d-bar");
  g_assert_true (row_has_shift (rota_plan_find_row (fixture->plan, NULL), "s1"));

  /* Not to a heading. */
  g_assert_null (rota_plan_move_shift (fixture->plan, "s1", row_titled (fixture->plan, "Bar"), 0, FALSE, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 2);
}

static void
test_move_copy (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RotaShift) original = NULL;
  g_autoptr(RotaShift) copy = NULL;
  g_autoptr(RotaShift) stored_copy = NULL;
  g_autoptr(RotaShift) stored_original = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  GError *error = NULL;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  load (fixture, NOVEMBER, 7);
  original = store_shift (fixture->store, "s1");

  copy = rota_plan_move_shift (fixture->plan, "s1", row_of (fixture->plan, "e-schmidt"), 3, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_cmpstr (id_of (copy), !=, "s1");

  stored_copy = store_shift (fixture->store, id_of (copy));
  g_assert_nonnull (stored_copy);
  g_assert_cmpstr (rota_shift_get_employee_id (stored_copy), ==, "e-schmidt");
  g_assert_cmpstr (rota_shift_get_department_id (stored_copy), ==, "d-kueche");
  g_assert_cmpint (rota_shift_get_start (stored_copy), ==, local (BERLIN, "2026-11-26", 8, 0));
  g_assert_cmpint (rota_shift_get_end (stored_copy), ==, local (BERLIN, "2026-11-26", 16, 0));
  g_assert_cmpint (rota_shift_get_break_minutes (stored_copy), ==, 30);
  g_assert_false (rota_shift_get_published (stored_copy));

  stored_original = store_shift (fixture->store, "s1");
  assert_same_shift (original, stored_original, TRUE);
  g_assert_true (row_has_shift (row_of (fixture->plan, "e-mueller"), "s1"));
  g_assert_true (row_has_shift (row_of (fixture->plan, "e-schmidt"), id_of (copy)));

  g_assert_cmpuint (outbox_len (fixture->store), ==, 1);
  item = outbox_last (fixture->store);
  g_assert_cmpstr (item->entity_id, ==, id_of (copy));
  g_assert_cmpint (item->op, ==, ROTA_OUTBOX_OP_PUT);
  g_assert_cmpint (item->base_version, ==, 0);
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Shift copied");
}

static void
assert_wall (RotaStore  *store,
             const char *id,
             const char *zone,
             const char *start,
             const char *end)
{
  g_autoptr(RotaShift) stored = store_shift (store, id);
  g_autofree char *s = NULL;
  g_autofree char *e = NULL;

  g_assert_nonnull (stored);
  s = wall (zone, rota_shift_get_start (stored));
  e = wall (zone, rota_shift_get_end (stored));
  g_assert_cmpstr (s, ==, start);
  g_assert_cmpstr (e, ==, end);
}

static void
test_move_dst (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RotaShift) sat = NULL;
  g_autoptr(RotaShift) night = NULL;
  g_autoptr(RotaShift) back = NULL;
  g_autoptr(RotaShift) autumn = NULL;
  g_autoptr(RotaShift) stored = NULL;
  GError *error = NULL;

  put_shift (fixture->store, "s-sat", "e-mueller", "d-kueche",
             local (BERLIN, "2026-03-28", 8, 0), local (BERLIN, "2026-03-28", 16, 0), 30, FALSE);
  put_shift (fixture->store, "s-fri-night", "e-bakker", "d-bar",
             local (AMSTERDAM, "2026-03-27", 22, 0), local (AMSTERDAM, "2026-03-28", 6, 0), 30, FALSE);
  /* 22:00 to 06:00 over the night the clocks go forward: 7 hours. */
  put_shift (fixture->store, "s-dst-night", "e-vries", "d-bar",
             local (AMSTERDAM, "2026-03-28", 22, 0), local (AMSTERDAM, "2026-03-29", 6, 0), 30, FALSE);
  put_shift (fixture->store, "s-oct-night", "e-schmidt", "d-kueche",
             local (BERLIN, "2026-10-24", 22, 0), local (BERLIN, "2026-10-25", 6, 0), 30, FALSE);

  load (fixture, MARCH, 7);

  /* Saturday to Sunday: 08:00 stays 08:00, 23 hours later. */
  sat = rota_plan_move_shift (fixture->plan, "s-sat", NULL, 1, FALSE, &error);
  g_assert_no_error (error);
  assert_wall (fixture->store, "s-sat", BERLIN, "2026-03-29 08:00", "2026-03-29 16:00");
  stored = store_shift (fixture->store, "s-sat");
  g_assert_cmpint (rota_shift_get_start (stored) - local (BERLIN, "2026-03-28", 8, 0), ==, 23 * HOUR);
  g_clear_object (&stored);

  /* Into the short night: 22:00 to 06:00 on the clock. */
  night = rota_plan_move_shift (fixture->plan, "s-fri-night", NULL, 1, FALSE, &error);
  g_assert_no_error (error);
  assert_wall (fixture->store, "s-fri-night", AMSTERDAM, "2026-03-28 22:00", "2026-03-29 06:00");

  /* Out of the short night: still 22:00 to 06:00 on the clock. */
  back = rota_plan_move_shift (fixture->plan, "s-dst-night", NULL, -1, FALSE, &error);
  g_assert_no_error (error);
  assert_wall (fixture->store, "s-dst-night", AMSTERDAM, "2026-03-27 22:00", "2026-03-28 06:00");

  /* Out of the long night in October. */
  load (fixture, OCTOBER, 7);
  autumn = rota_plan_move_shift (fixture->plan, "s-oct-night", NULL, -1, FALSE, &error);
  g_assert_no_error (error);
  assert_wall (fixture->store, "s-oct-night", BERLIN, "2026-10-23 22:00", "2026-10-24 06:00");
}

/* Changing */

static void
test_update_fields (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RotaShift) stored = NULL;
  g_autoptr(RotaShift) cleared = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  GError *error = NULL;
  RotaShift *shown = NULL;

  put_shift (fixture->store, "s1", "e-dijk", "d-service",
             local (AMSTERDAM, "2026-11-24", 8, 0), local (AMSTERDAM, "2026-11-24", 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);

  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 9 * 60, 17 * 60 + 30, 45, "Inventur", &error));
  g_assert_no_error (error);

  stored = store_shift (fixture->store, "s1");
  g_assert_cmpint (rota_shift_get_start (stored), ==, local (AMSTERDAM, "2026-11-24", 9, 0));
  g_assert_cmpint (rota_shift_get_end (stored), ==, local (AMSTERDAM, "2026-11-24", 17, 30));
  g_assert_cmpint (rota_shift_get_break_minutes (stored), ==, 45);
  g_assert_cmpstr (rota_shift_get_note (stored), ==, "Inventur");
  g_assert_cmpstr (rota_shift_get_employee_id (stored), ==, "e-dijk");

  item = outbox_last (fixture->store);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 1);
  g_assert_cmpstr (item->entity_id, ==, "s1");
  g_assert_cmpint (item->op, ==, ROTA_OUTBOX_OP_PUT);
  g_assert_cmpint (item->base_version, ==, 3);

  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s1", &shown));
  g_assert_cmpstr (rota_shift_get_note (shown), ==, "Inventur");
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Shift changed");

  /* The same again changes nothing. */
  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 9 * 60, 17 * 60 + 30, 45, "Inventur", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 1);

  /* An empty note is no note; an overnight end goes to the next day. */
  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 22 * 60, 30 * 60, 30, "", &error));
  g_assert_no_error (error);
  cleared = store_shift (fixture->store, "s1");
  g_assert_null (rota_shift_get_note (cleared));
  g_assert_cmpint (rota_shift_get_end (cleared), ==, local (AMSTERDAM, "2026-11-25", 6, 0));
  g_assert_cmpuint (outbox_len (fixture->store), ==, 2);
}

static void
test_update_break_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RotaShift) before = NULL;
  g_autoptr(RotaShift) after = NULL;
  GError *error = NULL;

  put_shift (fixture->store, "s1", "e-dijk", "d-service",
             local (AMSTERDAM, "2026-11-24", 8, 0), local (AMSTERDAM, "2026-11-24", 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);
  before = store_shift (fixture->store, "s1");

  g_assert_false (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 16 * 60, 8 * 60, "x", &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 12 * 60, 5 * 60, NULL, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 16 * 60, -1, NULL, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rota_plan_update_shift (fixture->plan, "gone", 8 * 60, 16 * 60, 0, NULL, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  after = store_shift (fixture->store, "s1");
  assert_same_shift (before, after, TRUE);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 0);
  g_assert_false (rota_plan_can_undo (fixture->plan));
}

/* A shift before the first day is loaded for the rules but not shown: it
 * cannot be changed from here, and says so. */
static void
test_update_not_shown (Fixture       *fixture,
                       gconstpointer  data)
{
  GError *error = NULL;

  put_shift (fixture->store, "s-before", "e-mueller", "d-kueche",
             local (BERLIN, "2026-11-22", 8, 0), local (BERLIN, "2026-11-22", 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s-before", NULL));
  g_assert_false (row_has_shift (row_of (fixture->plan, "e-mueller"), "s-before"));

  g_assert_false (rota_plan_update_shift (fixture->plan, "s-before", 9 * 60, 17 * 60, 30, NULL, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 0);
}

/* Deleting */

static void
test_delete_undo_redo (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RotaShift) original = NULL;
  g_autoptr(RotaShift) gone = NULL;
  g_autoptr(RotaOutboxItem) deleted = NULL;
  g_autoptr(RotaOutboxItem) put_back = NULL;
  g_autoptr(RotaOutboxItem) deleted_again = NULL;
  g_autoptr(GPtrArray) after_undo = NULL;
  g_autoptr(GPtrArray) after_redo = NULL;
  g_autofree char *new_id = NULL;
  GError *error = NULL;
  gint64 from = local (BERLIN, NOVEMBER, 0, 0);
  gint64 to = from + 7 * 24 * HOUR;
  RotaPlanRow *row;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  load (fixture, NOVEMBER, 7);
  row = row_of (fixture->plan, "e-mueller");
  original = store_shift (fixture->store, "s1");

  g_assert_true (rota_plan_delete_shift (fixture->plan, "s1", &error));
  g_assert_no_error (error);
  deleted = outbox_last (fixture->store);
  g_assert_cmpstr (deleted->entity_id, ==, "s1");
  g_assert_cmpint (deleted->op, ==, ROTA_OUTBOX_OP_DELETE);
  g_assert_cmpint (deleted->base_version, ==, 3);
  gone = store_shift (fixture->store, "s1");
  g_assert_null (gone);
  g_assert_null (rota_plan_find_shift (fixture->plan, "s1", NULL));
  g_assert_false (row_has_shift (row, "s1"));
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Shift deleted");

  /* Deleting it again: it is gone. */
  g_assert_false (rota_plan_delete_shift (fixture->plan, "s1", &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Undo brings it back as a new shift. */
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  after_undo = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (after_undo->len, ==, 1);
  new_id = g_strdup (id_of (g_ptr_array_index (after_undo, 0)));
  g_assert_cmpstr (new_id, !=, "s1");
  assert_same_shift (original, g_ptr_array_index (after_undo, 0), FALSE);
  put_back = outbox_last (fixture->store);
  g_assert_cmpstr (put_back->entity_id, ==, new_id);
  g_assert_cmpint (put_back->op, ==, ROTA_OUTBOX_OP_PUT);
  g_assert_cmpint (put_back->base_version, ==, 0);
  g_assert_true (row_has_shift (row, new_id));
  g_assert_true (rota_plan_can_redo (fixture->plan));
  g_assert_false (rota_plan_can_undo (fixture->plan));

  /* Redo deletes that one. */
  g_assert_true (rota_plan_redo (fixture->plan, &error));
  g_assert_no_error (error);
  deleted_again = outbox_last (fixture->store);
  g_assert_cmpstr (deleted_again->entity_id, ==, new_id);
  g_assert_cmpint (deleted_again->op, ==, ROTA_OUTBOX_OP_DELETE);
  after_redo = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (after_redo->len, ==, 0);
  g_assert_false (row_has_shift (row, new_id));
  g_assert_cmpuint (outbox_len (fixture->store), ==, 3);

  /* And round again. */
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after_undo, g_ptr_array_unref);
  after_undo = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (after_undo->len, ==, 1);
  assert_same_shift (original, g_ptr_array_index (after_undo, 0), FALSE);
}

/* Undo and redo */

static void
test_undo_chain (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) edited = NULL;
  g_autoptr(GPtrArray) undone = NULL;
  g_autoptr(GPtrArray) redone = NULL;
  g_autoptr(RotaShift) created = NULL;
  g_autoptr(RotaShift) moved = NULL;
  g_autoptr(RotaShift) moved_again = NULL;
  GError *error = NULL;
  gint64 from = local (BERLIN, NOVEMBER, 0, 0) - 7 * 24 * HOUR;
  gint64 to = from + 21 * 24 * HOUR;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  put_shift (fixture->store, "s2", "e-dijk", "d-service",
             local (AMSTERDAM, "2026-11-26", 8, 0), local (AMSTERDAM, "2026-11-26", 12, 0), 0, FALSE);
  load (fixture, NOVEMBER, 7);
  before = list_shifts (fixture->store, from, to);

  created = create (fixture, "e-mueller", 1, 10 * 60, 18 * 60);
  moved = rota_plan_move_shift (fixture->plan, id_of (created), NULL, 1, FALSE, &error);
  g_assert_no_error (error);
  moved_again = rota_plan_move_shift (fixture->plan, id_of (created), row_of (fixture->plan, "e-dijk"), 2, FALSE,
                                      &error);
  g_assert_no_error (error);
  /* And an edit of a shift from the server. */
  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 7 * 60, 15 * 60, 30, "early", &error));
  g_assert_no_error (error);
  edited = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (edited->len, ==, 3);

  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (rota_plan_can_undo (fixture->plan));
      g_assert_true (rota_plan_undo (fixture->plan, &error));
      g_assert_no_error (error);
    }
  g_assert_false (rota_plan_can_undo (fixture->plan));
  undone = list_shifts (fixture->store, from, to);
  assert_same_shifts (before, undone, TRUE);
  g_assert_cmpuint (rota_plan_row_get_shifts (row_of (fixture->plan, "e-mueller"))->len, ==, 1);
  g_assert_cmpuint (rota_plan_row_get_shifts (row_of (fixture->plan, "e-dijk"))->len, ==, 1);

  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (rota_plan_can_redo (fixture->plan));
      g_assert_true (rota_plan_redo (fixture->plan, &error));
      g_assert_no_error (error);
    }
  g_assert_false (rota_plan_can_redo (fixture->plan));
  redone = list_shifts (fixture->store, from, to);
  /* The shift made again has a new id. */
  assert_same_shifts (edited, redone, FALSE);
  g_assert_cmpuint (rota_plan_row_get_shifts (row_of (fixture->plan, "e-dijk"))->len, ==, 2);

  /* And all the way back once more. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (rota_plan_undo (fixture->plan, &error));
      g_assert_no_error (error);
    }
  g_clear_pointer (&undone, g_ptr_array_unref);
  undone = list_shifts (fixture->store, from, to);
  assert_same_shifts (before, undone, TRUE);
}

/* Undo of an edit made before a delete that was undone: the shift has a
 * new id by then. */
static void
test_undo_after_delete (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) undone = NULL;
  g_autoptr(RotaShift) moved = NULL;
  GError *error = NULL;
  gint64 from = local (BERLIN, NOVEMBER, 0, 0) - 7 * 24 * HOUR;
  gint64 to = from + 21 * 24 * HOUR;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);
  before = list_shifts (fixture->store, from, to);

  moved = rota_plan_move_shift (fixture->plan, "s1", NULL, 2, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (rota_plan_delete_shift (fixture->plan, "s1", &error));
  g_assert_no_error (error);

  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  undone = list_shifts (fixture->store, from, to);
  assert_same_shifts (before, undone, FALSE);
}

static void
test_undo_notify (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RotaShift) a = NULL;
  g_autoptr(RotaShift) b = NULL;
  g_autoptr(RotaShift) c = NULL;
  GError *error = NULL;
  Counts counts = { 0 };
  gboolean can_undo, can_redo;

  load (fixture, NOVEMBER, 7);
  connect_counts (fixture->plan, &counts);

  g_object_get (fixture->plan, "can-undo", &can_undo, "can-redo", &can_redo, NULL);
  g_assert_false (can_undo);
  g_assert_false (can_redo);
  g_assert_null (rota_plan_get_undo_label (fixture->plan));
  g_assert_null (rota_plan_get_redo_label (fixture->plan));
  /* Nothing to undo is no error. */
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.can_undo, ==, 0);

  a = create (fixture, "e-ahmed", 0, 8 * 60, 12 * 60);
  g_assert_cmpuint (counts.can_undo, >=, 1);
  g_object_get (fixture->plan, "can-undo", &can_undo, "can-redo", &can_redo, NULL);
  g_assert_true (can_undo);
  g_assert_false (can_redo);

  b = create (fixture, "e-ahmed", 1, 8 * 60, 12 * 60);
  counts.can_undo = counts.can_redo = 0;
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.can_redo, >=, 1);
  g_object_get (fixture->plan, "can-undo", &can_undo, "can-redo", &can_redo, NULL);
  g_assert_true (can_undo);
  g_assert_true (can_redo);
  g_assert_cmpstr (rota_plan_get_redo_label (fixture->plan), ==, "Shift added");

  counts.can_undo = counts.can_redo = 0;
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.can_undo, >=, 1);
  g_assert_false (rota_plan_can_undo (fixture->plan));
  g_assert_true (rota_plan_can_redo (fixture->plan));

  /* A new edit after an undo clears the redo stack. */
  counts.can_undo = counts.can_redo = 0;
  c = create (fixture, "e-ahmed", 2, 8 * 60, 12 * 60);
  g_assert_cmpuint (counts.can_redo, >=, 1);
  g_assert_cmpuint (counts.can_undo, >=, 1);
  g_assert_true (rota_plan_can_undo (fixture->plan));
  g_assert_false (rota_plan_can_redo (fixture->plan));
  g_assert_null (rota_plan_get_redo_label (fixture->plan));
  g_assert_true (rota_plan_redo (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rota_plan_row_get_shifts (row_of (fixture->plan, "e-ahmed"))->len, ==, 1);

  g_signal_handlers_disconnect_by_data (fixture->plan, &counts);
}

/* Copying a week */

static void
test_copy_week (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GPtrArray) after_undo = NULL;
  g_autoptr(GPtrArray) this_week = NULL;
  GError *error = NULL;
  gint64 from = local (BERLIN, "2026-11-30", 0, 0);
  gint64 to = from + 7 * 24 * HOUR;
  guint n_outbox;
  guint copied;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  put_shift (fixture->store, "s2", "e-dijk", "d-service",
             local (AMSTERDAM, "2026-11-29", 22, 0), local (AMSTERDAM, "2026-11-30", 6, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);
  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 16 * 60, 30, "Frühdienst", &error));
  g_assert_no_error (error);
  n_outbox = outbox_len (fixture->store);

  copied = rota_plan_copy_to_next_week (fixture->plan, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copied, ==, 2);
  g_assert_cmpuint (outbox_len (fixture->store), ==, n_outbox + 2);
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Week copied");

  next = list_shifts (fixture->store, from, to);
  /* The night shift of Sunday 29 overlaps Monday 30 too. */
  g_assert_cmpuint (next->len, ==, 3);
  for (guint i = 0; i < next->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (next, i);

      if (g_str_equal (id_of (shift), "s2"))
        continue;
      g_assert_cmpstr (id_of (shift), !=, "s1");
      g_assert_false (rota_shift_get_published (shift));
      if (g_strcmp0 (rota_shift_get_employee_id (shift), "e-mueller") == 0)
        {
          g_assert_cmpint (rota_shift_get_start (shift), ==, local (BERLIN, "2026-11-30", 8, 0));
          g_assert_cmpint (rota_shift_get_end (shift), ==, local (BERLIN, "2026-11-30", 16, 0));
          g_assert_cmpint (rota_shift_get_break_minutes (shift), ==, 30);
          g_assert_cmpstr (rota_shift_get_note (shift), ==, "Frühdienst");
          g_assert_cmpstr (rota_shift_get_department_id (shift), ==, "d-kueche");
        }
      else
        {
          g_assert_cmpstr (rota_shift_get_employee_id (shift), ==, "e-dijk");
          g_assert_cmpint (rota_shift_get_start (shift), ==, local (AMSTERDAM, "2026-12-06", 22, 0));
          g_assert_cmpint (rota_shift_get_end (shift), ==, local (AMSTERDAM, "2026-12-07", 6, 0));
        }
    }

  /* One undo takes all of it back. */
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  after_undo = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (after_undo->len, ==, 1);
  g_assert_cmpstr (id_of (g_ptr_array_index (after_undo, 0)), ==, "s2");
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Shift changed");
  this_week = list_shifts (fixture->store, local (BERLIN, NOVEMBER, 0, 0), from);
  g_assert_cmpuint (this_week->len, ==, 2);
}

/* Undo puts back what the edit changed, not what others changed since:
 * the note edited here comes back, the publishing synced in stays. */
static void
test_undo_keeps_others (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(RotaEntity) server = NULL;
  g_autoptr(RotaEntity) now = NULL;
  GError *error = NULL;
  RotaOutboxItem *item;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);
  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 16 * 60, 30, "Frühdienst", &error));
  g_assert_no_error (error);

  /* The edit reaches the server, where someone publishes the shift. */
  items = outbox (fixture->store);
  item = g_ptr_array_index (items, items->len - 1);
  server = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s1", &error);
  g_assert_no_error (error);
  ROTA_SHIFT (server)->version = 3;
  ROTA_SHIFT (server)->published = TRUE;
  g_assert_true (rota_store_outbox_complete (fixture->store, item->seq, server, &error));
  g_assert_no_error (error);
  g_assert_true (rota_plan_reload (fixture->plan, &error));
  g_assert_no_error (error);

  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  now = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s1", &error);
  g_assert_no_error (error);
  g_assert_null (rota_shift_get_note (ROTA_SHIFT (now)));
  g_assert_true (rota_shift_get_published (ROTA_SHIFT (now)));

  /* Redo sets the note again and leaves the publishing alone too. */
  g_assert_true (rota_plan_redo (fixture->plan, &error));
  g_assert_no_error (error);
  g_clear_object (&now);
  now = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rota_shift_get_note (ROTA_SHIFT (now)), ==, "Frühdienst");
  g_assert_true (rota_shift_get_published (ROTA_SHIFT (now)));
}

/* Copy a week, go to another week (a reload too), then undo: the copies
 * are not loaded any more, and undo finds them in the store. */
static void
test_copy_week_undo_elsewhere (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GPtrArray) after_undo = NULL;
  GError *error = NULL;
  gint64 from = local (BERLIN, "2026-11-30", 0, 0);
  gint64 to = from + 7 * 24 * HOUR;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  load (fixture, NOVEMBER, 7);
  g_assert_cmpuint (rota_plan_copy_to_next_week (fixture->plan, &error), ==, 1);
  g_assert_no_error (error);
  next = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (next->len, ==, 1);

  g_assert_true (rota_plan_load (fixture->plan, "2026-11-09", 7, &error));
  g_assert_no_error (error);
  g_assert_true (rota_plan_reload (fixture->plan, &error));
  g_assert_no_error (error);

  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  after_undo = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (after_undo->len, ==, 0);

  /* And redo makes the copy again, though its week is not shown. */
  g_assert_true (rota_plan_redo (fixture->plan, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after_undo, g_ptr_array_unref);
  after_undo = list_shifts (fixture->store, from, to);
  g_assert_cmpuint (after_undo->len, ==, 1);
}

static void
test_copy_week_dst (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) march = NULL;
  g_autoptr(GPtrArray) october = NULL;
  GError *error = NULL;
  guint found = 0;

  /* Monday in winter time to Monday in summer time; Sunday 29 March to
   * Sunday 5 April. */
  put_shift (fixture->store, "m1", "e-mueller", "d-kueche",
             local (BERLIN, MARCH, 8, 0), local (BERLIN, MARCH, 16, 0), 30, FALSE);
  put_shift (fixture->store, "m2", "e-bakker", "d-bar",
             local (AMSTERDAM, "2026-03-29", 8, 0), local (AMSTERDAM, "2026-03-29", 14, 0), 0, FALSE);
  load (fixture, MARCH, 7);
  g_assert_cmpuint (rota_plan_copy_to_next_week (fixture->plan, &error), ==, 2);
  g_assert_no_error (error);

  march = list_shifts (fixture->store, local (BERLIN, "2026-03-30", 0, 0), local (BERLIN, "2026-04-06", 0, 0));
  g_assert_cmpuint (march->len, ==, 2);
  for (guint i = 0; i < march->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (march, i);
      g_autofree char *start = NULL;
      g_autofree char *end = NULL;

      start = wall (BERLIN, rota_shift_get_start (shift));
      end = wall (BERLIN, rota_shift_get_end (shift));
      if (g_strcmp0 (rota_shift_get_employee_id (shift), "e-mueller") == 0)
        {
          g_assert_cmpstr (start, ==, "2026-03-30 08:00");
          g_assert_cmpstr (end, ==, "2026-03-30 16:00");
          found++;
        }
      else
        {
          g_assert_cmpstr (start, ==, "2026-04-05 08:00");
          g_assert_cmpstr (end, ==, "2026-04-05 14:00");
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 2);

  /* The long night of 24 to 25 October, 22:00 to 06:00 on the clock. */
  put_shift (fixture->store, "o1", "e-schmidt", "d-kueche",
             local (BERLIN, "2026-10-24", 22, 0), local (BERLIN, "2026-10-25", 6, 0), 45, FALSE);
  load (fixture, OCTOBER, 7);
  g_assert_cmpuint (rota_plan_copy_to_next_week (fixture->plan, &error), ==, 1);
  g_assert_no_error (error);
  october = list_shifts (fixture->store, local (BERLIN, "2026-10-26", 0, 0), local (BERLIN, "2026-11-02", 0, 0));
  g_assert_cmpuint (october->len, ==, 1);
  {
    g_autofree char *start = wall (BERLIN, rota_shift_get_start (g_ptr_array_index (october, 0)));
    g_autofree char *end = wall (BERLIN, rota_shift_get_end (g_ptr_array_index (october, 0)));

    g_assert_cmpstr (start, ==, "2026-10-31 22:00");
    g_assert_cmpstr (end, ==, "2026-11-01 06:00");
  }
}

static void
test_copy_week_empty (Fixture       *fixture,
                      gconstpointer  data)
{
  GError *error = NULL;

  /* Only shifts outside the week. */
  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, "2026-11-30", 8, 0), local (BERLIN, "2026-11-30", 16, 0), 30, FALSE);
  load (fixture, NOVEMBER, 7);

  g_assert_cmpuint (rota_plan_copy_to_next_week (fixture->plan, &error), ==, 0);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no shifts"));
  g_clear_error (&error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 0);
  g_assert_false (rota_plan_can_undo (fixture->plan));

  /* Shifts hidden by the filter are not copied either. */
  put_shift (fixture->store, "s2", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, FALSE);
  g_assert_true (rota_plan_reload (fixture->plan, NULL));
  rota_plan_set_filter (fixture->plan, NULL, "d-bar");
  g_assert_cmpuint (rota_plan_copy_to_next_week (fixture->plan, &error), ==, 0);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 0);
}

/* Publishing */

static void
test_publish (Fixture       *fixture,
              gconstpointer  data)
{
  const char *ids[] = { "p-mon", "p-tue", "p-thu", "p-next" };
  const gboolean published[] = { FALSE, TRUE, FALSE, FALSE };
  const char *dates[] = { NOVEMBER, "2026-11-24", "2026-11-26", "2026-11-30" };
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    put_shift (fixture->store, ids[i], "e-ahmed", "d-kueche",
               local (BERLIN, dates[i], 9, 0), local (BERLIN, dates[i], 13, 0), 0, published[i]);
  load (fixture, NOVEMBER, 7);

  /* Only Monday. */
  g_assert_cmpuint (rota_plan_publish (fixture->plan, 0, 2, &error), ==, 1);
  g_assert_no_error (error);
  {
    g_autoptr(RotaShift) mon = store_shift (fixture->store, "p-mon");
    g_autoptr(RotaShift) thu = store_shift (fixture->store, "p-thu");

    g_assert_true (rota_shift_get_published (mon));
    g_assert_false (rota_shift_get_published (thu));
  }
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 2);

  /* The week: Monday and Thursday; Tuesday is published already and next
   * Monday is not in the range. */
  g_assert_cmpuint (rota_plan_publish (fixture->plan, 0, 7, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpstr (rota_plan_get_undo_label (fixture->plan), ==, "Shifts published");
  items = outbox (fixture->store);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_cmpstr (((RotaOutboxItem *) g_ptr_array_index (items, 2))->entity_id, ==, "p-mon");
  g_assert_cmpstr (((RotaOutboxItem *) g_ptr_array_index (items, 3))->entity_id, ==, "p-thu");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(RotaShift) shift = store_shift (fixture->store, ids[i]);

      g_assert_cmpint (rota_shift_get_published (shift), ==, i != 3);
    }

  /* Nothing left: 0 and no error, no edit. */
  g_assert_cmpuint (rota_plan_publish (fixture->plan, 0, 7, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_len (fixture->store), ==, 4);

  /* One undo unpublishes both. */
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(RotaShift) shift = store_shift (fixture->store, ids[i]);

      g_assert_cmpint (rota_shift_get_published (shift), ==, published[i]);
    }
  g_assert_false (rota_plan_can_undo (fixture->plan));
}

/* Findings */

static gboolean
has_rule (RotaPlan   *plan,
          const char *rule)
{
  GPtrArray *findings = rota_plan_get_findings (plan);

  for (guint i = 0; i < findings->len; i++)
    if (g_strcmp0 (((RotaFinding *) g_ptr_array_index (findings, i))->rule, rule) == 0)
      return TRUE;

  return FALSE;
}

/* The Dutch 16-week average looks further back than the 7 days read with
 * the week: the weeks before come a moment later, from a thread, and the
 * finding with them. */
static void
test_findings_nl_average (Fixture       *fixture,
                          gconstpointer  data)
{
  GError *error = NULL;
  gint64 until;

  /* 55 hours a week from 15 weeks back to 2 weeks back, none last week,
   * 55 this week: 825 hours over 16 weeks, above 48 a week. */
  for (int week = -15; week <= 0; week++)
    {
      g_autofree char *monday = rota_date_add_days (NOVEMBER, 7 * week);

      if (week == -1)
        continue;
      for (int day = 0; day < 5; day++)
        {
          g_autofree char *date = rota_date_add_days (monday, day);
          g_autofree char *id = g_strdup_printf ("avg-%d-%d", week + 15, day);

          put_shift (fixture->store, id, "e-dijk", "d-service",
                     local (AMSTERDAM, date, 8, 0), local (AMSTERDAM, date, 19, 0), 0, TRUE);
        }
    }

  load (fixture, NOVEMBER, 7);
  /* What the 7 days before show: no average above the limit. */
  g_assert_false (has_rule (fixture->plan, "nl.average-16-weeks"));

  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!has_rule (fixture->plan, "nl.average-16-weeks") && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_true (has_rule (fixture->plan, "nl.average-16-weeks"));

  /* An edit keeps the weeks before: the finding stays. */
  g_assert_true (rota_plan_update_shift (fixture->plan, "avg-15-0", 8 * 60, 19 * 60, 0, "Lang", &error));
  g_assert_no_error (error);
  g_assert_true (has_rule (fixture->plan, "nl.average-16-weeks"));
}

static void
test_findings_rest (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RotaShift) late = NULL;
  g_autoptr(RotaShift) early = NULL;
  g_autoptr(RotaShift) other = NULL;
  g_autoptr(GPtrArray) shift_findings = NULL;
  GError *error = NULL;
  Counts counts = { 0 };
  RotaPlanRow *row;

  load (fixture, NOVEMBER, 7);
  row = row_of (fixture->plan, "e-mueller");
  other = create (fixture, "e-schmidt", 0, 8 * 60, 16 * 60);
  g_assert_cmpuint (rota_plan_get_findings (fixture->plan)->len, ==, 0);
  connect_counts (fixture->plan, &counts);

  /* Monday 14:00 to 22:00, Tuesday 05:00 to 13:00: 7 hours of rest. */
  late = create (fixture, "e-mueller", 0, 14 * 60, 22 * 60);
  g_assert_cmpuint (counts.row_changed, >=, 1);
  g_assert_true (counts.last_row == row);
  counts.row_changed = counts.findings_changed = 0;
  early = create (fixture, "e-mueller", 1, 5 * 60, 13 * 60);
  g_assert_cmpuint (counts.row_changed, >=, 1);
  g_assert_true (counts.last_row == row);
  g_assert_cmpuint (counts.findings_changed, >=, 1);

  g_assert_true (rota_plan_get_shift_flags (fixture->plan, early) & ROTA_PLAN_SHIFT_VIOLATION);
  g_assert_true (has_finding (fixture->plan, "de.rest", id_of (early)));
  g_assert_true (has_finding (fixture->plan, "de.rest", id_of (late)));
  shift_findings = rota_plan_get_shift_findings (fixture->plan, id_of (early));
  g_assert_cmpuint (shift_findings->len, >=, 1);
  g_assert_cmpint (((RotaFinding *) g_ptr_array_index (shift_findings, 0))->severity, ==, ROTA_SEVERITY_VIOLATION);
  g_assert_cmpstr (((RotaFinding *) g_ptr_array_index (shift_findings, 0))->employee_id, ==, "e-mueller");
  g_assert_false (rota_plan_get_shift_flags (fixture->plan, other) & ROTA_PLAN_SHIFT_VIOLATION);

  /* The same from a fresh load. */
  g_assert_true (rota_plan_reload (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_true (has_finding (fixture->plan, "de.rest", id_of (early)));

  /* Deleting one clears it. */
  counts.row_changed = counts.findings_changed = 0;
  counts.last_row = NULL;
  row = row_of (fixture->plan, "e-mueller");
  g_assert_true (rota_plan_delete_shift (fixture->plan, id_of (late), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.row_changed, >=, 1);
  g_assert_true (counts.last_row == row);
  g_assert_cmpuint (counts.findings_changed, >=, 1);
  g_assert_false (rota_plan_get_shift_flags (fixture->plan, early) & ROTA_PLAN_SHIFT_VIOLATION);
  g_assert_false (has_finding (fixture->plan, "de.rest", NULL));

  /* And the undo brings it back. */
  g_assert_true (rota_plan_undo (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_true (has_finding (fixture->plan, "de.rest", id_of (early)));
  g_assert_true (rota_plan_get_shift_flags (fixture->plan, early) & ROTA_PLAN_SHIFT_VIOLATION);

  /* Moving the early one to Wednesday ends it too. */
  g_clear_object (&other);
  other = rota_plan_move_shift (fixture->plan, id_of (early), NULL, 1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (has_finding (fixture->plan, "de.rest", NULL));

  g_signal_handlers_disconnect_by_data (fixture->plan, &counts);
}

/* Totals */

static void
test_totals (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(RotaShift) a = NULL;
  g_autoptr(RotaShift) b = NULL;
  g_autoptr(RotaShift) c = NULL;
  g_autoptr(RotaShift) d = NULL;
  g_autoptr(RotaShift) open = NULL;
  GError *error = NULL;
  gint64 minutes, cost;
  guint people;

  load (fixture, NOVEMBER, 7);
  a = create (fixture, "e-mueller", 0, 8 * 60, 16 * 60);   /* 450 net at 20.00 */
  b = create (fixture, "e-bakker", 0, 10 * 60, 14 * 60);   /* 240 at 15.00 */
  c = create (fixture, "e-mueller", 1, 9 * 60, 12 * 60);   /* 180 at 20.00 */
  d = create (fixture, "e-mueller", 0, 18 * 60, 20 * 60);  /* 120 at 20.00 */
  open = rota_plan_create_shift (fixture->plan, rota_plan_find_row (fixture->plan, NULL), 0,
                                 12 * 60, 18 * 60, &error);
  g_assert_no_error (error);

  rota_plan_get_day_totals (fixture->plan, 0, &minutes, &people, &cost);
  g_assert_cmpint (minutes, ==, 450 + 240 + 120 + 360);
  g_assert_cmpuint (people, ==, 2);
  g_assert_cmpint (cost, ==, 2000 * 570 / 60 + 1500 * 4);

  rota_plan_get_day_totals (fixture->plan, 1, &minutes, &people, &cost);
  g_assert_cmpint (minutes, ==, 180);
  g_assert_cmpuint (people, ==, 1);
  g_assert_cmpint (cost, ==, 2000 * 3);

  rota_plan_get_day_totals (fixture->plan, 2, &minutes, &people, &cost);
  g_assert_cmpint (minutes, ==, 0);
  g_assert_cmpuint (people, ==, 0);
  g_assert_cmpint (cost, ==, 0);

  g_assert_cmpint (rota_plan_row_get_minutes (row_of (fixture->plan, "e-mueller")), ==, 450 + 180 + 120);
  g_assert_cmpint (rota_plan_row_get_minutes (row_of (fixture->plan, "e-bakker")), ==, 240);
  g_assert_cmpint (rota_plan_row_get_minutes (rota_plan_find_row (fixture->plan, NULL)), ==, 360);
  g_assert_cmpint (rota_plan_row_get_minutes (row_of (fixture->plan, "e-ahmed")), ==, 0);
  g_assert_cmpint (rota_plan_get_cost_cents (fixture->plan), ==, 2000 * 570 / 60 + 1500 * 4 + 2000 * 3);

  /* A longer break lowers them. */
  g_assert_true (rota_plan_update_shift (fixture->plan, id_of (a), 8 * 60, 16 * 60, 60, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_plan_row_get_minutes (row_of (fixture->plan, "e-mueller")), ==, 420 + 180 + 120);
  rota_plan_get_day_totals (fixture->plan, 0, &minutes, NULL, &cost);
  g_assert_cmpint (minutes, ==, 420 + 240 + 120 + 360);
  g_assert_cmpint (cost, ==, 2000 * 9 + 1500 * 4);

  /* A day past the range is a programming error, not a read past it. */
  g_test_expect_message ("rota-plan", G_LOG_LEVEL_CRITICAL, "*day < self->n_days*");
  rota_plan_get_day_totals (fixture->plan, 8, &minutes, &people, &cost);
  g_test_assert_expected_messages ();

  /* Totals count the rows shown. */
  rota_plan_set_filter (fixture->plan, NULL, "d-bar");
  rota_plan_get_day_totals (fixture->plan, 0, &minutes, &people, &cost);
  g_assert_cmpint (minutes, ==, 240 + 360);
  g_assert_cmpuint (people, ==, 1);
  g_assert_cmpint (cost, ==, 1500 * 4);
}

/* Sync state */

static void
test_pending_conflict (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RotaShift) created = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;
  RotaShift *server = NULL;
  RotaShift *shown = NULL;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  load (fixture, NOVEMBER, 7);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s1", &server));
  g_assert_cmpint (rota_plan_get_shift_flags (fixture->plan, server), ==, 0);

  created = create (fixture, "e-mueller", 2, 8 * 60, 16 * 60);
  g_assert_cmpint (rota_plan_get_shift_flags (fixture->plan, created), ==, ROTA_PLAN_SHIFT_PENDING);
  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 15 * 60, 30, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s1", &server));
  g_assert_cmpint (rota_plan_get_shift_flags (fixture->plan, server), ==, ROTA_PLAN_SHIFT_PENDING);

  /* Still pending after a reload, from the outbox. */
  g_assert_true (rota_plan_reload (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, id_of (created), &shown));
  g_assert_cmpint (rota_plan_get_shift_flags (fixture->plan, shown), ==, ROTA_PLAN_SHIFT_PENDING);

  /* The server refuses the edit. */
  item = outbox_last (fixture->store);
  g_assert_cmpstr (item->entity_id, ==, "s1");
  g_assert_true (rota_store_outbox_set_state (fixture->store, item->seq, ROTA_OUTBOX_STATE_CONFLICT,
                                              "Changed on the server", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rota_plan_reload (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s1", &server));
  g_assert_cmpint (rota_plan_get_shift_flags (fixture->plan, server), ==, ROTA_PLAN_SHIFT_CONFLICT);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, id_of (created), &shown));
  g_assert_cmpint (rota_plan_get_shift_flags (fixture->plan, shown), ==, ROTA_PLAN_SHIFT_PENDING);

  text = rota_plan_describe_shift (fixture->plan, server);
  g_assert_nonnull (strstr (text, "The server did not take this edit"));
  g_assert_null (strstr (text, "Not synced yet."));
}

/* Editing a shift whose earlier edit is in conflict: the conflict is not
 * resolved by that, and shows before a reload as after it. */
static void
test_pending_edit_in_conflict (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RotaOutboxItem) item = NULL;
  GError *error = NULL;
  RotaShift *shift = NULL;
  RotaPlanShiftFlags before_reload;

  put_shift (fixture->store, "s1", "e-mueller", "d-kueche",
             local (BERLIN, NOVEMBER, 8, 0), local (BERLIN, NOVEMBER, 16, 0), 30, TRUE);
  load (fixture, NOVEMBER, 7);
  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 15 * 60, 30, NULL, &error));
  g_assert_no_error (error);
  item = outbox_last (fixture->store);
  g_assert_true (rota_store_outbox_set_state (fixture->store, item->seq, ROTA_OUTBOX_STATE_CONFLICT,
                                              "Changed on the server", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rota_plan_reload (fixture->plan, &error));
  g_assert_no_error (error);

  g_assert_true (rota_plan_update_shift (fixture->plan, "s1", 8 * 60, 14 * 60, 30, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s1", &shift));
  before_reload = rota_plan_get_shift_flags (fixture->plan, shift);

  g_assert_true (rota_plan_reload (fixture->plan, &error));
  g_assert_no_error (error);
  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s1", &shift));
  g_test_message ("before reload %d, after %d", before_reload, rota_plan_get_shift_flags (fixture->plan, shift));
  g_assert_cmpint (rota_plan_get_shift_flags (fixture->plan, shift), ==, ROTA_PLAN_SHIFT_CONFLICT);
  g_assert_cmpint (before_reload, ==, ROTA_PLAN_SHIFT_CONFLICT);
}

static void
test_describe (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RotaShift) late = NULL;
  g_autoptr(RotaShift) early = NULL;
  g_autoptr(RotaShift) open = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *text = NULL;
  g_autofree char *published = NULL;
  g_autofree char *open_text = NULL;
  GError *error = NULL;
  RotaShift *server = NULL;

  put_shift (fixture->store, "s1", "e-dijk", "d-service",
             local (AMSTERDAM, "2026-11-27", 9, 0), local (AMSTERDAM, "2026-11-27", 13, 0), 0, TRUE);
  load (fixture, NOVEMBER, 7);
  late = create (fixture, "e-mueller", 1, 14 * 60, 22 * 60);
  early = create (fixture, "e-mueller", 2, 5 * 60, 13 * 60);

  text = rota_plan_describe_shift (fixture->plan, early);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Jürgen Müller, Wednesday 25 November, 05:00 to 13:00."));
  g_assert_nonnull (strstr (text, "Break 30 minutes."));
  g_assert_nonnull (strstr (text, "Not published."));
  g_assert_nonnull (strstr (text, "Not synced yet."));
  g_assert_nonnull (strstr (text, "Violation:"));
  findings = rota_plan_get_shift_findings (fixture->plan, id_of (early));
  g_assert_cmpuint (findings->len, >=, 1);
  g_assert_nonnull (strstr (text, ((RotaFinding *) g_ptr_array_index (findings, 0))->message));

  g_assert_nonnull (rota_plan_find_shift (fixture->plan, "s1", &server));
  published = rota_plan_describe_shift (fixture->plan, server);
  g_test_message ("%s", published);
  g_assert_cmpstr (published, ==, "Sanne van Dijk, Friday 27 November, 09:00 to 13:00. Published.");

  open = rota_plan_create_shift (fixture->plan, rota_plan_find_row (fixture->plan, NULL), 0, 22 * 60, 30 * 60,
                                 &error);
  g_assert_no_error (error);
  open_text = rota_plan_describe_shift (fixture->plan, open);
  g_test_message ("%s", open_text);
  g_assert_true (g_str_has_prefix (open_text, "Open shift, Monday 23 November, 22:00 to 06:00."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/core/plan/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("load/rows", test_load_rows);
  ADD ("load/day-of", test_load_day_of);
  ADD ("load/day-edges", test_load_day_edges);
  ADD ("filter/search", test_filter_search);
  ADD ("filter/department", test_filter_department);
  ADD ("create/outbox", test_create_outbox);
  ADD ("create/default-break", test_create_default_break);
  ADD ("create/overnight", test_create_overnight);
  ADD ("create/refused", test_create_refused);
  ADD ("move/day", test_move_day);
  ADD ("move/person", test_move_person);
  ADD ("move/copy", test_move_copy);
  ADD ("move/dst", test_move_dst);
  ADD ("update/fields", test_update_fields);
  ADD ("update/break-refused", test_update_break_refused);
  ADD ("update/not-shown", test_update_not_shown);
  ADD ("delete/undo-redo", test_delete_undo_redo);
  ADD ("undo/chain", test_undo_chain);
  ADD ("undo/after-delete", test_undo_after_delete);
  ADD ("undo/notify", test_undo_notify);
  ADD ("copy-week/same-times", test_copy_week);
  ADD ("copy-week/dst", test_copy_week_dst);
  ADD ("copy-week/undo-elsewhere", test_copy_week_undo_elsewhere);
  ADD ("undo/keeps-others", test_undo_keeps_others);
  ADD ("findings/nl-average-deep", test_findings_nl_average);
  ADD ("copy-week/empty", test_copy_week_empty);
  ADD ("publish/range", test_publish);
  ADD ("findings/rest", test_findings_rest);
  ADD ("totals/day", test_totals);
  ADD ("pending/conflict", test_pending_conflict);
  ADD ("pending/edit-in-conflict", test_pending_edit_in_conflict);
  ADD ("describe/shift", test_describe);

#undef ADD

  return g_test_run ();
}
