/* test-demo.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-demo.h"
#include "rota-models.h"
#include "rota-pbkdf2.h"
#include "rota-time.h"

/* The fixed scenario of the realism tests: eight weeks from Monday
 * 2026-09-28, all before `now`, across the DST change of 2026-10-25. */
#define FIXED_FIRST_WEEK "2026-09-28"
#define FIXED_NOW_TEXT   "2026-11-25T12:00:00Z"

static gint64
fixed_now (void)
{
  gint64 now = 0;

  g_assert_true (rota_instant_parse (FIXED_NOW_TEXT, NULL, &now));

  return now;
}

static void
fixed_options (RotaDemoOptions *options)
{
  rota_demo_options_init (options, fixed_now ());
  g_strlcpy (options->first_week, FIXED_FIRST_WEEK, sizeof options->first_week);
}

/* Sinks */

typedef struct
{
  GChecksum *checksum;
  guint n;
} HashSink;

static gboolean
hash_sink (RotaEntity  *entity,
           gpointer     user_data,
           GError     **error)
{
  HashSink *h = user_data;
  g_autofree char *json = rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT);

  g_assert_nonnull (json);
  g_checksum_update (h->checksum, (const guchar *) rota_entity_get_kind (entity), -1);
  g_checksum_update (h->checksum, (const guchar *) json, -1);
  g_checksum_update (h->checksum, (const guchar *) "\n", 1);
  h->n++;

  return TRUE;
}

static char *
hash_run (const RotaDemoOptions *options,
          guint                 *n_entities)
{
  g_autoptr(GError) error = NULL;
  HashSink h = { g_checksum_new (G_CHECKSUM_SHA256), 0 };
  char *digest;

  g_assert_true (rota_demo_generate (options, hash_sink, &h, NULL, &error));
  g_assert_no_error (error);

  digest = g_strdup (g_checksum_get_string (h.checksum));
  g_checksum_free (h.checksum);
  if (n_entities != NULL)
    *n_entities = h.n;

  return digest;
}

/* Keeps a copy of everything: the generator reuses its objects. */
static gboolean
collect_sink (RotaEntity  *entity,
              gpointer     user_data,
              GError     **error)
{
  GPtrArray *all = user_data;
  const char *field = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!rota_entity_validate (entity, &field, &local_error))
    {
      g_autofree char *json = rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT);

      g_test_message ("invalid %s (%s): %s", rota_entity_get_kind (entity), field, json);
    }
  g_assert_no_error (local_error);

  g_ptr_array_add (all, rota_entity_copy (entity));

  return TRUE;
}

static GPtrArray *
collect (const RotaDemoOptions *options)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_true (rota_demo_generate (options, collect_sink, all, NULL, &error));
  g_assert_no_error (error);

  return all;
}

typedef struct
{
  guint offices;
  guint departments;
  guint employees;
  guint shifts;
  guint open_shifts;
  guint punches;
  guint absences;
  guint availability;
  guint invalid;
  guint dst_nights[2];  /* March, October */
} Counts;

static gboolean
count_sink (RotaEntity  *entity,
            gpointer     user_data,
            GError     **error)
{
  Counts *c = user_data;

  if (ROTA_IS_SHIFT (entity))
    {
      c->shifts++;
      if (rota_shift_get_employee_id (ROTA_SHIFT (entity)) == NULL)
        c->open_shifts++;
    }
  else if (ROTA_IS_PUNCH (entity))
    c->punches++;
  else if (ROTA_IS_EMPLOYEE (entity))
    c->employees++;
  else if (ROTA_IS_DEPARTMENT (entity))
    c->departments++;
  else if (ROTA_IS_OFFICE (entity))
    c->offices++;
  else if (ROTA_IS_ABSENCE (entity))
    c->absences++;
  else if (ROTA_IS_AVAILABILITY (entity))
    c->availability++;
  else
    g_assert_not_reached ();

  return TRUE;
}

static gboolean
validate_count_sink (RotaEntity  *entity,
                     gpointer     user_data,
                     GError     **error)
{
  Counts *c = user_data;

  if (!rota_entity_validate (entity, NULL, NULL))
    c->invalid++;

  /* The nights of the 2026 DST changes, 22:00 to 06:30 local time: both
   * zones of the tenant change at the same instant. */
  if (ROTA_IS_SHIFT (entity))
    {
      static gint64 march = 0, october = 0;
      gint64 start = rota_shift_get_start (ROTA_SHIFT (entity));
      gint64 length = rota_shift_get_end (ROTA_SHIFT (entity)) - start;

      if (march == 0)
        {
          GTimeZone *berlin = rota_time_zone_get ("Europe/Berlin");

          march = rota_time_from_local (berlin, "2026-03-28", 22 * 60);
          october = rota_time_from_local (berlin, "2026-10-24", 22 * 60);
        }
      if (start == march && length == 7 * 3600 + 1800)
        c->dst_nights[0]++;
      else if (start == october && length == 9 * 3600 + 1800)
        c->dst_nights[1]++;
    }

  return count_sink (entity, user_data, error);
}

static gboolean
noop_sink (RotaEntity  *entity,
           gpointer     user_data,
           GError     **error)
{
  return TRUE;
}

/* Tests */

static void
test_options_init (void)
{
  RotaDemoOptions options;
  gint64 now = fixed_now ();

  rota_demo_options_init (&options, now);
  g_assert_cmpuint (options.seed, ==, 42);
  g_assert_cmpuint (options.n_employees, ==, 12);
  g_assert_cmpuint (options.n_offices, ==, 2);
  g_assert_cmpuint (options.n_departments, ==, 4);
  g_assert_cmpuint (options.n_weeks, ==, 8);
  g_assert_cmpint (options.now, ==, now);
  /* The week of Wednesday 2026-11-25 starts on the 23rd; six weeks before. */
  g_assert_cmpstr (options.first_week, ==, "2026-10-12");

  rota_demo_options_init_large (&options, now);
  g_assert_cmpuint (options.seed, ==, 42);
  g_assert_cmpuint (options.n_employees, ==, 2000);
  g_assert_cmpuint (options.n_offices, ==, 5);
  g_assert_cmpuint (options.n_departments, ==, 40);
  g_assert_cmpuint (options.n_weeks, ==, 52);
  g_assert_cmpstr (options.first_week, ==, "2025-11-24");
  g_assert_cmpint (rota_date_weekday (options.first_week), ==, 1);

  /* The week is that of Amsterdam: 2026-11-22T23:30Z is already Monday
   * 00:30 there, 22:30Z still Sunday. */
  g_assert_true (rota_instant_parse ("2026-11-22T23:30:00Z", NULL, &now));
  rota_demo_options_init (&options, now);
  g_assert_cmpstr (options.first_week, ==, "2026-10-12");
  g_assert_true (rota_instant_parse ("2026-11-22T22:30:00Z", NULL, &now));
  rota_demo_options_init (&options, now);
  g_assert_cmpstr (options.first_week, ==, "2026-10-05");
}

static void
expect_invalid (const RotaDemoOptions *options)
{
  g_autoptr(GError) error = NULL;
  Counts counts = { 0 };

  g_assert_false (rota_demo_generate (options, count_sink, &counts, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (counts.offices, ==, 0);
}

static void
test_invalid_options (void)
{
  RotaDemoOptions base;
  RotaDemoOptions options;
  Counts counts = { 0 };

  fixed_options (&base);

  options = base;
  options.n_employees = 0;
  expect_invalid (&options);

  options = base;
  options.n_offices = 0;
  options.n_departments = 0;
  expect_invalid (&options);

  options = base;
  options.n_departments = 1;
  expect_invalid (&options);

  options = base;
  options.n_weeks = 0;
  expect_invalid (&options);

  options = base;
  options.n_weeks = 100000;
  expect_invalid (&options);

  options = base;
  options.n_employees = 1000000;
  expect_invalid (&options);

  options = base;
  g_strlcpy (options.first_week, "2026-09-29", sizeof options.first_week);  /* a Tuesday */
  expect_invalid (&options);

  options = base;
  g_strlcpy (options.first_week, "2026-02-30", sizeof options.first_week);
  expect_invalid (&options);

  options = base;
  g_strlcpy (options.first_week, "next week", sizeof options.first_week);
  expect_invalid (&options);

  options = base;
  memset (options.first_week, '1', sizeof options.first_week);  /* not terminated */
  expect_invalid (&options);

  options = base;
  g_strlcpy (options.first_week, "2099-12-28", sizeof options.first_week);
  expect_invalid (&options);

  options = base;
  options.now = 0;
  expect_invalid (&options);

  /* Nothing reaches the sink for refused options, and the smallest
   * valid tenant works. */
  options = base;
  options.n_employees = 1;
  options.n_offices = 1;
  options.n_departments = 1;
  options.n_weeks = 1;
  g_assert_true (rota_demo_generate (&options, count_sink, &counts, NULL, NULL));
  g_assert_cmpuint (counts.offices, ==, 1);
  g_assert_cmpuint (counts.departments, ==, 1);
  g_assert_cmpuint (counts.employees, ==, 1);
  g_assert_cmpuint (counts.shifts, >=, 1);
}

static void
test_deterministic (void)
{
  RotaDemoOptions options;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  guint n_a = 0, n_b = 0, n_c = 0;

  fixed_options (&options);
  a = hash_run (&options, &n_a);
  b = hash_run (&options, &n_b);
  g_assert_cmpuint (n_a, >, 500);
  g_assert_cmpuint (n_a, ==, n_b);
  g_assert_cmpstr (a, ==, b);

  options.seed = 43;
  c = hash_run (&options, &n_c);
  g_assert_cmpstr (a, !=, c);

  /* A later `now` only adds punches; it changes the stream. */
  fixed_options (&options);
  options.now -= 14 * 86400;
  d = hash_run (&options, NULL);
  g_assert_cmpstr (a, !=, d);
}

/* Ids of offices, departments and employees, and the order of kinds. */
static void
test_references (void)
{
  RotaDemoOptions options;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) offices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) departments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) employees = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                        "[89ab][0-9a-f]{3}-[0-9a-f]{12}$", 0, 0, NULL);
  int stage = 0;

  fixed_options (&options);
  all = collect (&options);

  for (guint i = 0; i < all->len; i++)
    {
      RotaEntity *entity = all->pdata[i];
      const char *id = rota_entity_get_id (entity);
      int entity_stage;

      g_assert_true (g_regex_match (uuid, id, 0, NULL));
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer) id);
      g_assert_cmpint (rota_entity_get_version (entity), ==, 1);
      g_assert_cmpint (rota_entity_get_updated_at (entity), <, options.now);

      if (ROTA_IS_OFFICE (entity))
        {
          entity_stage = 0;
          g_hash_table_add (offices, (gpointer) id);
        }
      else if (ROTA_IS_DEPARTMENT (entity))
        {
          const char *office_id = rota_department_get_office_id (ROTA_DEPARTMENT (entity));

          entity_stage = 1;
          g_assert_true (g_hash_table_contains (offices, office_id));
          g_hash_table_add (departments, (gpointer) id);
        }
      else if (ROTA_IS_EMPLOYEE (entity))
        {
          const char * const *dep = rota_employee_get_department_ids (ROTA_EMPLOYEE (entity));

          entity_stage = 2;
          g_assert_nonnull (dep);
          g_assert_nonnull (dep[0]);
          for (guint k = 0; dep[k] != NULL; k++)
            g_assert_true (g_hash_table_contains (departments, dep[k]));
          g_hash_table_add (employees, (gpointer) id);
        }
      else if (ROTA_IS_SHIFT (entity))
        {
          RotaShift *shift = ROTA_SHIFT (entity);
          const char *employee = rota_shift_get_employee_id (shift);

          entity_stage = 3;
          g_assert_true (g_hash_table_contains (departments, rota_shift_get_department_id (shift)));
          g_assert_true (employee == NULL || g_hash_table_contains (employees, employee));
        }
      else if (ROTA_IS_PUNCH (entity))
        {
          RotaPunch *punch = ROTA_PUNCH (entity);

          entity_stage = 3;
          g_assert_true (g_hash_table_contains (employees, rota_punch_get_employee_id (punch)));
        }
      else if (ROTA_IS_ABSENCE (entity))
        {
          RotaAbsence *absence = ROTA_ABSENCE (entity);

          entity_stage = 3;
          g_assert_true (g_hash_table_contains (employees, rota_absence_get_employee_id (absence)));
        }
      else if (ROTA_IS_AVAILABILITY (entity))
        {
          RotaAvailability *availability = ROTA_AVAILABILITY (entity);

          entity_stage = 3;
          g_assert_true (g_hash_table_contains (employees,
                                                rota_availability_get_employee_id (availability)));
        }
      else
        g_assert_not_reached ();

      /* Offices, then departments, then employees; the weeks after them. */
      g_assert_cmpint (entity_stage, >=, stage);
      stage = entity_stage;
    }

  g_assert_cmpuint (g_hash_table_size (offices), ==, options.n_offices);
  g_assert_cmpuint (g_hash_table_size (departments), ==, options.n_departments);
  g_assert_cmpuint (g_hash_table_size (employees), ==, options.n_employees);
}

/* The realism checks: a small punch analysis over the fixed scenario. */

typedef struct
{
  GTimeZone *tz;
  RotaRulesProfile profile;
  guint n_departments;
} OfficeInfo;

typedef struct
{
  RotaEmployee *employee;
  OfficeInfo *office;
  GPtrArray *shifts;    /* of RotaShift */
  GPtrArray *punches;   /* of RotaPunch */
  GPtrArray *absences;  /* of RotaAbsence */
  int unavailable;
} EmployeeInfo;

static void
employee_info_free (gpointer data)
{
  EmployeeInfo *info = data;

  g_ptr_array_unref (info->shifts);
  g_ptr_array_unref (info->punches);
  g_ptr_array_unref (info->absences);
  g_free (info);
}

static gboolean
is_absent (EmployeeInfo *info,
           const char   *date)
{
  for (guint i = 0; i < info->absences->len; i++)
    {
      RotaAbsence *a = info->absences->pdata[i];
      const char *end = rota_absence_get_end_date (a);

      if (strcmp (date, rota_absence_get_start_date (a)) >= 0 &&
          (end == NULL || strcmp (date, end) <= 0))
        return TRUE;
    }

  return FALSE;
}

static gboolean
utf8_has_umlaut (const char *text)
{
  return strstr (text, "ä") || strstr (text, "ö") || strstr (text, "ü") ||
         strstr (text, "Ä") || strstr (text, "Ö") || strstr (text, "Ü") || strstr (text, "ß");
}

/* A demo employee's PIN is the last four digits of their personnel
 * number, hashed with PBKDF2-SHA256 (rota-demo.c, demo_pin_hash ()), with
 * a salt of their own. */
static void
assert_demo_pin (const char *hash,
                 const char *personnel_number,
                 GHashTable *salts)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *expected = NULL;
  guint8 derived[ROTA_PBKDF2_HASH_LENGTH];
  gsize salt_len = 0;
  gsize expected_len = 0;
  const char *pin = personnel_number + strlen (personnel_number) - 4;

  g_assert_nonnull (hash);
  parts = g_strsplit (hash, "$", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  g_assert_cmpstr (parts[0], ==, "pbkdf2-sha256");
  g_assert_cmpstr (parts[1], ==, "1000");
  salt = g_base64_decode (parts[2], &salt_len);
  expected = g_base64_decode (parts[3], &expected_len);
  g_assert_cmpuint (salt_len, ==, ROTA_PBKDF2_SALT_LENGTH);
  g_assert_cmpuint (expected_len, ==, ROTA_PBKDF2_HASH_LENGTH);
  rota_pbkdf2_sha256 ((const guint8 *) pin, 4, salt, salt_len, 1000, derived, sizeof derived);
  g_assert_cmpmem (derived, sizeof derived, expected, expected_len);
  g_assert_true (g_hash_table_add (salts, g_strdup (parts[2])));
}

static void
test_realism (void)
{
  RotaDemoOptions options;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) offices = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) department_office = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) employees = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                           NULL, employee_info_free);
  g_autoptr(GHashTable) device_seq = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, g_free);
  g_autoptr(GHashTable) cards = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) salts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) emails = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) open_shifts = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, NULL);
  gint64 now;
  gint64 last_punch_at = 0;
  guint n_de = 0, n_nl = 0, n_minors = 0, n_prefix = 0, n_umlaut = 0, n_two_departments = 0;
  guint n_shifts = 0, n_open = 0, n_unpublished = 0, n_night = 0, n_dst_night = 0;
  guint n_punches = 0, n_kiosk = 0, n_terminal = 0, n_break_punches = 0;
  guint n_forgot_out = 0, n_no_show = 0, n_late = 0, n_left_early = 0, n_double_in = 0;
  guint n_unplanned = 0, n_normal = 0;
  guint n_sick = 0, n_vacation = 0, n_current_sick = 0, n_unavailable = 0, n_available = 0;
  GHashTableIter iter;
  gpointer value;

  fixed_options (&options);
  now = options.now;
  all = collect (&options);

  for (guint i = 0; i < all->len; i++)
    {
      RotaEntity *entity = all->pdata[i];

      if (ROTA_IS_OFFICE (entity))
        {
          RotaOffice *office = ROTA_OFFICE (entity);
          OfficeInfo *info = g_new0 (OfficeInfo, 1);
          const char *zone = rota_office_get_time_zone (office);

          info->tz = rota_time_zone_get (zone);
          info->profile = rota_office_get_rules_profile (office);
          if (info->profile == ROTA_RULES_PROFILE_DE)
            {
              g_assert_cmpstr (zone, ==, "Europe/Berlin");
              n_de++;
            }
          else
            {
              g_assert_cmpint (info->profile, ==, ROTA_RULES_PROFILE_NL);
              g_assert_cmpstr (zone, ==, "Europe/Amsterdam");
              n_nl++;
            }
          g_assert_true (g_str_has_prefix (rota_office_get_name (office), "Hotel") ||
                         g_str_has_prefix (rota_office_get_name (office), "Grand") ||
                         strstr (rota_office_get_name (office), "hotel") != NULL);
          g_hash_table_insert (offices, (gpointer) rota_entity_get_id (entity), info);
        }
      else if (ROTA_IS_DEPARTMENT (entity))
        {
          RotaDepartment *department = ROTA_DEPARTMENT (entity);
          const char *office_id = rota_department_get_office_id (department);
          OfficeInfo *office = g_hash_table_lookup (offices, office_id);
          const char *name = rota_department_get_name (department);
          const char * const names_de[] = { "Rezeption", "Küche", NULL };
          const char * const names_nl[] = { "Receptie", "Keuken", NULL };

          g_assert_nonnull (office);
          office->n_departments++;
          g_assert_nonnull (rota_department_get_color (department));
          g_assert_cmpuint (strlen (rota_department_get_color (department)), ==, 7);
          if (office->profile == ROTA_RULES_PROFILE_DE)
            g_assert_true (g_strv_contains (names_de, name));
          else
            g_assert_true (g_strv_contains (names_nl, name));
          g_hash_table_insert (department_office, (gpointer) rota_entity_get_id (entity), office);
        }
      else if (ROTA_IS_EMPLOYEE (entity))
        {
          RotaEmployee *employee = ROTA_EMPLOYEE (entity);
          EmployeeInfo *info = g_new0 (EmployeeInfo, 1);
          const char * const *department_ids = rota_employee_get_department_ids (employee);
          const char * const *card_numbers = rota_employee_get_card_numbers (employee);
          const char *dob = rota_employee_get_date_of_birth (employee);
          const char *email = rota_employee_get_email (employee);
          const char *number = rota_employee_get_personnel_number (employee);
          const char *prefix = rota_employee_get_last_name_prefix (employee);
          int by, bm, bd, age;

          info->employee = employee;
          info->office = g_hash_table_lookup (department_office, department_ids[0]);
          info->shifts = g_ptr_array_new ();
          info->punches = g_ptr_array_new ();
          info->absences = g_ptr_array_new ();
          g_assert_nonnull (info->office);
          if (department_ids[1] != NULL)
            {
              /* Two departments are in the same office. */
              g_assert_true (g_hash_table_lookup (department_office, department_ids[1]) ==
                             info->office);
              g_assert_null (department_ids[2]);
              n_two_departments++;
            }

          g_assert_true (g_str_has_prefix (number, "P-"));
          g_assert_cmpuint (strlen (number), ==, 7);
          g_assert_true (g_hash_table_add (numbers, (gpointer) number));

          g_assert_nonnull (card_numbers);
          g_assert_nonnull (card_numbers[0]);
          g_assert_null (card_numbers[1]);
          g_assert_cmpuint (strlen (card_numbers[0]), ==, 8);
          for (const char *p = card_numbers[0]; *p; p++)
            g_assert_true (g_ascii_isdigit (*p) || (*p >= 'A' && *p <= 'F'));
          g_assert_true (g_hash_table_add (cards, (gpointer) card_numbers[0]));

          g_assert_true (g_str_has_suffix (email, "@example.org"));
          for (const char *p = email; *p; p++)
            g_assert_true (g_ascii_isalnum (*p) || *p == '.' || *p == '@');
          g_assert_true (g_hash_table_add (emails, (gpointer) email));

          {
            double hours = rota_employee_get_contract_hours_week (employee);

            g_assert_true (hours == 12 || hours == 20 || hours == 24 ||
                           hours == 32 || hours == 38 || hours == 40);
          }
          g_assert_cmpint (rota_employee_get_hourly_wage_cents (employee), >=, 1300);
          g_assert_cmpint (rota_employee_get_hourly_wage_cents (employee), <=, 2800);
          assert_demo_pin (rota_employee_get_kiosk_pin_hash (employee), number, salts);
          g_assert_nonnull (rota_employee_get_employment_start (employee));

          g_assert_true (rota_date_parse (dob, &by, &bm, &bd));
          {
            int fy, fm, fd;

            g_assert_true (rota_date_parse (options.first_week, &fy, &fm, &fd));
            age = fy - by - ((fm < bm || (fm == bm && fd < bd)) ? 1 : 0);
          }
          g_assert_cmpint (age, >=, 16);
          g_assert_cmpint (age, <=, 64);
          if (age < 18)
            {
              n_minors++;
              g_assert_cmpfloat (rota_employee_get_max_hours_week (employee), <=, 48);
            }
          else
            g_assert_cmpfloat (rota_employee_get_max_hours_week (employee), ==, 48);

          if (info->office->profile == ROTA_RULES_PROFILE_NL && prefix != NULL)
            n_prefix++;
          if (info->office->profile == ROTA_RULES_PROFILE_DE)
            g_assert_null (prefix);
          if (utf8_has_umlaut (rota_employee_get_first_name (employee)) ||
              utf8_has_umlaut (rota_employee_get_last_name (employee)))
            {
              n_umlaut++;
              /* … and folded in the e-mail address. */
              g_assert_true (strstr (email, "ae") || strstr (email, "oe") ||
                             strstr (email, "ue") || strstr (email, "ss"));
            }

          g_hash_table_insert (employees, (gpointer) rota_entity_get_id (entity), info);
        }
      else if (ROTA_IS_SHIFT (entity))
        {
          RotaShift *shift = ROTA_SHIFT (entity);
          const char *department_id = rota_shift_get_department_id (shift);
          OfficeInfo *office = g_hash_table_lookup (department_office, department_id);
          const char *employee_id = rota_shift_get_employee_id (shift);
          gint64 start = rota_shift_get_start (shift);
          gint64 end = rota_shift_get_end (shift);
          g_autofree char *start_date = rota_time_work_date (start, office->tz);
          g_autofree char *end_date = rota_time_work_date (end - 1, office->tz);
          g_autofree char *week = rota_date_week_start (start_date);
          int start_minutes = rota_time_local_minutes (start, office->tz);
          int end_minutes = rota_time_local_minutes (end, office->tz);
          gint64 gross = end - start;
          gint64 net = gross - rota_shift_get_break_minutes (shift) * 60;
          int day = rota_date_diff_days (options.first_week, start_date);
          gboolean last_week = day >= 7 * ((int) options.n_weeks - 1);

          n_shifts++;
          g_assert_false (rota_shift_get_deleted (shift));
          g_assert_cmpint (day, >=, 0);
          g_assert_cmpint (day, <, 7 * (int) options.n_weeks);

          /* Published up to the last week, which is still a draft. */
          g_assert_cmpint (rota_shift_get_published (shift), ==, !last_week);
          if (!rota_shift_get_published (shift))
            n_unpublished++;

          /* Breaks as both profiles want them, on net time. */
          if (office->profile == ROTA_RULES_PROFILE_DE)
            {
              if (net > 6 * 3600)
                g_assert_cmpint (rota_shift_get_break_minutes (shift), >=, 30);
              if (net > 9 * 3600)
                g_assert_cmpint (rota_shift_get_break_minutes (shift), >=, 45);
            }
          else
            {
              if (net > 5 * 3600 + 1800)
                g_assert_cmpint (rota_shift_get_break_minutes (shift), >=, 30);
              if (net > 10 * 3600)
                g_assert_cmpint (rota_shift_get_break_minutes (shift), >=, 45);
            }

          if (strcmp (start_date, end_date) != 0)
            {
              gint64 wall = (gint64) ((end_minutes - start_minutes + 1440) % 1440) * 60;

              n_night++;
              g_assert_cmpint (start_minutes, ==, 22 * 60);
              g_assert_cmpint (end_minutes, <=, 6 * 60 + 30);
              g_assert_cmpint (rota_date_diff_days (start_date, end_date), ==, 1);
              if (strcmp (start_date, "2026-10-24") == 0)
                {
                  /* The clocks go back an hour that night: 22:00 CEST to
                   * 06:30 CET is 9.5 hours, not 8.5. */
                  g_assert_cmpint (gross, ==, wall + 3600);
                  if (end_minutes == 6 * 60 + 30)
                    {
                      g_assert_cmpint (gross, ==, 9 * 3600 + 1800);
                      n_dst_night++;
                    }
                }
              else
                g_assert_cmpint (gross, ==, wall);
            }

          if (employee_id == NULL)
            {
              g_autofree char *key = g_strconcat (rota_shift_get_department_id (shift), week, NULL);

              n_open++;
              g_assert_false (g_hash_table_contains (open_shifts, key));
              g_hash_table_add (open_shifts, g_steal_pointer (&key));
            }
          else
            {
              EmployeeInfo *info = g_hash_table_lookup (employees, employee_id);
              RotaEmployee *e = info->employee;
              int by, bm, bd, sy, sm, sd, age;

              g_assert_true (info->office == office);
              g_assert_true (g_strv_contains (rota_employee_get_department_ids (e),
                                              rota_shift_get_department_id (shift)));
              g_assert_cmpstr (start_date, >=, rota_employee_get_employment_start (e));
              if (rota_employee_get_employment_end (e) != NULL)
                g_assert_cmpstr (start_date, <=, rota_employee_get_employment_end (e));
              if (info->unavailable != 0)
                g_assert_cmpint (rota_date_weekday (start_date), !=, info->unavailable);

              /* No vacation or training is planned over. */
              for (guint k = 0; k < info->absences->len; k++)
                {
                  RotaAbsence *a = info->absences->pdata[k];

                  if (rota_absence_get_kind (a) != ROTA_ABSENCE_KIND_SICK)
                    g_assert_false (strcmp (start_date, rota_absence_get_start_date (a)) >= 0 &&
                                    strcmp (start_date, rota_absence_get_end_date (a)) <= 0);
                }

              /* Minors: days only (JArbSchG 20:00, ATW 23:00), ≤ 8 h net. */
              g_assert_true (rota_date_parse (rota_employee_get_date_of_birth (e), &by, &bm, &bd));
              g_assert_true (rota_date_parse (start_date, &sy, &sm, &sd));
              age = sy - by - ((sm < bm || (sm == bm && sd < bd)) ? 1 : 0);
              if (age < 18)
                {
                  g_assert_cmpint (start_minutes, >=, 6 * 60);
                  g_assert_cmpint (end_minutes, <=,
                                   office->profile == ROTA_RULES_PROFILE_DE ? 20 * 60 : 23 * 60);
                  g_assert_cmpint (net, <=, 8 * 3600);
                }

              /* Rest of 11 hours between one's shifts. */
              if (info->shifts->len > 0)
                {
                  RotaShift *previous = g_ptr_array_index (info->shifts, info->shifts->len - 1);

                  g_assert_cmpint (start - rota_shift_get_end (previous), >=, 11 * 3600);
                }
              g_ptr_array_add (info->shifts, shift);
            }
        }
      else if (ROTA_IS_PUNCH (entity))
        {
          RotaPunch *punch = ROTA_PUNCH (entity);
          EmployeeInfo *info = g_hash_table_lookup (employees, rota_punch_get_employee_id (punch));
          const char *source = rota_punch_get_source (punch);
          gint64 at = rota_punch_get_at (punch);
          gint64 *seq;

          n_punches++;
          g_assert_cmpint (at, <, now);
          g_assert_cmpint (rota_punch_get_received_at (punch), >=, at);
          g_assert_cmpint (rota_punch_get_received_at (punch), <=, now);
          g_assert_false (rota_punch_get_time_untrusted (punch));
          g_assert_cmpuint (strlen (rota_punch_get_device_boot_id (punch)), ==, 36);
          /* Punches come in time order. */
          g_assert_cmpint (at, >=, last_punch_at);
          last_punch_at = at;

          if (g_str_has_prefix (source, "kiosk:"))
            n_kiosk++;
          else
            {
              g_assert_cmpstr (source, ==, "terminal");
              n_terminal++;
            }

          /* Sequence numbers and the monotonic clock grow per device. */
          seq = g_hash_table_lookup (device_seq, rota_punch_get_device_boot_id (punch));
          if (seq != NULL)
            {
              g_assert_cmpint (rota_punch_get_device_seq (punch), ==, seq[0] + 1);
              g_assert_cmpint (rota_punch_get_device_monotonic_ms (punch), >, seq[1]);
              g_assert_cmpint (rota_punch_get_device_monotonic_ms (punch) - seq[1], <=,
                               (at - seq[2]) * 1000 + 1000);
            }
          else
            {
              seq = g_new (gint64, 3);
              g_hash_table_insert (device_seq,
                                   g_strdup (rota_punch_get_device_boot_id (punch)), seq);
            }
          seq[0] = rota_punch_get_device_seq (punch);
          seq[1] = rota_punch_get_device_monotonic_ms (punch);
          seq[2] = at;

          if (rota_punch_get_kind (punch) == ROTA_PUNCH_KIND_BREAK_START ||
              rota_punch_get_kind (punch) == ROTA_PUNCH_KIND_BREAK_END)
            n_break_punches++;

          g_ptr_array_add (info->punches, punch);
        }
      else if (ROTA_IS_ABSENCE (entity))
        {
          RotaAbsence *absence = ROTA_ABSENCE (entity);
          const char *employee_id = rota_absence_get_employee_id (absence);
          EmployeeInfo *info = g_hash_table_lookup (employees, employee_id);

          switch (rota_absence_get_kind (absence))
            {
            case ROTA_ABSENCE_KIND_SICK:
              n_sick++;
              g_assert_cmpstr (rota_absence_get_start_date (absence), <=, "2026-11-25");
              if (rota_absence_get_end_date (absence) == NULL)
                n_current_sick++;
              else
                g_assert_cmpstr (rota_absence_get_end_date (absence), <, "2026-11-25");
              break;

            case ROTA_ABSENCE_KIND_VACATION:
              n_vacation++;
              g_assert_cmpint (rota_date_diff_days (rota_absence_get_start_date (absence),
                                                    rota_absence_get_end_date (absence)), ==, 6);
              break;

            case ROTA_ABSENCE_KIND_OTHER:
              break;

            case ROTA_ABSENCE_KIND_NONE:
            default:
              g_assert_not_reached ();
            }
          g_ptr_array_add (info->absences, absence);
        }
      else if (ROTA_IS_AVAILABILITY (entity))
        {
          RotaAvailability *availability = ROTA_AVAILABILITY (entity);
          const char *employee_id = rota_availability_get_employee_id (availability);
          EmployeeInfo *info = g_hash_table_lookup (employees, employee_id);

          g_assert_cmpint (rota_availability_get_weekday (availability), >=, 1);
          g_assert_cmpint (rota_availability_get_weekday (availability), <=, 7);
          g_assert_null (rota_availability_get_date (availability));
          if (rota_availability_get_kind (availability) == ROTA_AVAILABILITY_KIND_UNAVAILABLE)
            {
              g_assert_cmpstr (rota_availability_get_from_time (availability), ==, "00:00");
              g_assert_cmpstr (rota_availability_get_to_time (availability), ==, "24:00");
              g_assert_cmpint (info->unavailable, ==, 0);
              info->unavailable = (int) rota_availability_get_weekday (availability);
              n_unavailable++;
            }
          else
            n_available++;
        }
    }

  /* The punch analysis: each past shift against its punches. */
  g_hash_table_iter_init (&iter, employees);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      EmployeeInfo *info = value;
      g_autofree gboolean *used = g_new0 (gboolean, info->punches->len + 1);

      for (guint s = 0; s < info->shifts->len; s++)
        {
          RotaShift *shift = info->shifts->pdata[s];
          gint64 start = rota_shift_get_start (shift);
          gint64 end = rota_shift_get_end (shift);
          g_autofree char *date = rota_time_work_date (start, info->office->tz);
          guint n_in = 0, n_out = 0, n_any = 0;
          gint64 first_in = 0, last_out = 0;

          if (end + 3600 >= now)
            continue;

          for (guint p = 0; p < info->punches->len; p++)
            {
              RotaPunch *punch = info->punches->pdata[p];
              gint64 at = rota_punch_get_at (punch);

              if (at < start - 3600 || at > end + 3600)
                continue;
              used[p] = TRUE;
              n_any++;
              if (rota_punch_get_kind (punch) == ROTA_PUNCH_KIND_IN)
                {
                  if (n_in++ == 0)
                    first_in = at;
                }
              else if (rota_punch_get_kind (punch) == ROTA_PUNCH_KIND_OUT)
                {
                  n_out++;
                  last_out = at;
                }
            }

          if (n_any == 0)
            {
              /* Sick days are not no-shows. */
              if (!is_absent (info, date))
                n_no_show++;
              continue;
            }

          g_assert_false (is_absent (info, date));
          g_assert_cmpuint (n_in, >=, 1);
          g_assert_cmpuint (n_in, <=, 2);
          g_assert_cmpuint (n_out, <=, 1);
          g_assert_cmpint (first_in, >=, start - 10 * 60);
          g_assert_cmpint (first_in, <, start + 46 * 60);

          if (n_in == 2)
            n_double_in++;
          if (n_out == 0)
            n_forgot_out++;
          if (first_in >= start + 10 * 60)
            n_late++;
          if (n_out == 1 && last_out <= end - 30 * 60)
            n_left_early++;
          if (n_in == 1 && n_out == 1 && first_in < start + 4 * 60 && last_out >= end - 2 * 60)
            n_normal++;
          if (n_out == 1)
            g_assert_cmpint (last_out, <=, end + 10 * 60 + 59);
        }

      /* Punches away from any shift: unplanned work, an in and an out on a
       * day without a shift. */
      for (guint p = 0; p < info->punches->len; p++)
        {
          RotaPunch *punch = info->punches->pdata[p];
          RotaPunch *next = p + 1 < info->punches->len ? info->punches->pdata[p + 1] : NULL;
          g_autofree char *date = NULL;

          if (used[p] || rota_punch_get_at (punch) + 2 * 3600 >= now)
            continue;

          g_assert_cmpint (rota_punch_get_kind (punch), ==, ROTA_PUNCH_KIND_IN);
          g_assert_nonnull (next);
          g_assert_cmpint (rota_punch_get_kind (next), ==, ROTA_PUNCH_KIND_OUT);
          date = rota_time_work_date (rota_punch_get_at (punch), info->office->tz);
          for (guint s = 0; s < info->shifts->len; s++)
            {
              RotaShift *shift = info->shifts->pdata[s];
              g_autofree char *shift_date = rota_time_work_date (rota_shift_get_start (shift),
                                                                  info->office->tz);

              g_assert_cmpstr (shift_date, !=, date);
            }
          g_assert_false (is_absent (info, date));
          n_unplanned++;
          used[p + 1] = TRUE;
          p++;
        }
    }

  g_test_message ("offices %u DE, %u NL; minors %u; prefixes %u; umlauts %u; two departments %u",
                  n_de, n_nl, n_minors, n_prefix, n_umlaut, n_two_departments);
  g_test_message ("shifts %u (open %u, draft %u, night %u, DST night %u); "
                  "punches %u (kiosk %u, terminal %u, breaks %u)",
                  n_shifts, n_open, n_unpublished, n_night, n_dst_night,
                  n_punches, n_kiosk, n_terminal, n_break_punches);
  g_test_message ("normal %u, forgotten out %u, no-show %u, late %u, left early %u, "
                  "double in %u, unplanned %u",
                  n_normal, n_forgot_out, n_no_show, n_late, n_left_early,
                  n_double_in, n_unplanned);
  g_test_message ("sick %u (current %u), vacation %u, unavailable %u, available %u",
                  n_sick, n_current_sick, n_vacation, n_unavailable, n_available);

  g_assert_cmpuint (n_de, ==, 1);
  g_assert_cmpuint (n_nl, ==, 1);
  g_assert_cmpuint (n_minors, >=, 1);
  g_assert_cmpuint (n_prefix, >=, 1);
  g_assert_cmpuint (n_umlaut, >=, 1);

  /* 12 employees, 8 weeks: about 4.4 shifts each a week. */
  g_assert_cmpuint (n_shifts, >=, 300);
  g_assert_cmpuint (n_shifts, <=, 600);
  g_assert_cmpuint (n_open, ==, options.n_departments * options.n_weeks);
  g_assert_cmpuint (n_unpublished, >=, 30);
  g_assert_cmpuint (n_night, >=, 8);
  /* Each office has a front desk, so each has that night covered. */
  g_assert_cmpuint (n_dst_night, >=, options.n_offices);

  g_assert_cmpuint (n_punches, >=, 2 * n_shifts * 8 / 10);
  g_assert_cmpuint (n_kiosk, >, 4 * n_terminal);
  g_assert_cmpuint (n_terminal, >=, 1);
  g_assert_cmpuint (n_break_punches, >=, 10);

  /* Mostly normal days; every kind of fault, but rarely. */
  g_assert_cmpuint (n_normal, >, n_shifts * 7 / 10);
  g_assert_cmpuint (n_forgot_out, >=, 1);
  g_assert_cmpuint (n_no_show, >=, 1);
  g_assert_cmpuint (n_late, >=, 1);
  g_assert_cmpuint (n_left_early, >=, 1);
  g_assert_cmpuint (n_double_in, >=, 1);
  g_assert_cmpuint (n_unplanned, >=, 1);
  g_assert_cmpuint (n_forgot_out + n_no_show + n_late + n_left_early + n_double_in, <,
                    n_shifts / 4);

  g_assert_cmpuint (n_vacation + n_sick, >=, 1);
}

static void
test_now_inside (void)
{
  RotaDemoOptions options;
  g_autoptr(GPtrArray) all = NULL;
  gint64 now = fixed_now ();
  g_autofree char *today = NULL;
  guint n_future_shifts = 0;
  guint n_past_shifts = 0;
  guint n_current_sick = 0;

  /* The default options around `now`: history, this week, next week. */
  rota_demo_options_init (&options, now);
  all = collect (&options);
  today = rota_time_work_date (now, rota_time_zone_get ("Europe/Amsterdam"));

  for (guint i = 0; i < all->len; i++)
    {
      RotaEntity *entity = all->pdata[i];

      if (ROTA_IS_PUNCH (entity))
        g_assert_cmpint (rota_punch_get_at (ROTA_PUNCH (entity)), <, now);
      else if (ROTA_IS_SHIFT (entity))
        {
          if (rota_shift_get_start (ROTA_SHIFT (entity)) > now)
            n_future_shifts++;
          else
            n_past_shifts++;
        }
      else if (ROTA_IS_ABSENCE (entity) &&
               rota_absence_get_kind (ROTA_ABSENCE (entity)) == ROTA_ABSENCE_KIND_SICK)
        {
          g_assert_cmpstr (rota_absence_get_start_date (ROTA_ABSENCE (entity)), <=, today);
          if (rota_absence_get_end_date (ROTA_ABSENCE (entity)) == NULL)
            n_current_sick++;
        }
    }

  g_test_message ("past shifts %u, future shifts %u, currently sick %u",
                  n_past_shifts, n_future_shifts, n_current_sick);
  g_assert_cmpuint (n_future_shifts, >=, 50);
  g_assert_cmpuint (n_past_shifts, >=, 250);
  g_assert_cmpuint (n_current_sick, >=, 1);
}

static void
test_size_small (void)
{
  RotaDemoOptions options;
  Counts counts = { 0 };

  fixed_options (&options);
  options.n_employees = 10;
  g_assert_true (rota_demo_generate (&options, validate_count_sink, &counts, NULL, NULL));

  g_test_message ("10 employees: %u shifts (%u open), %u punches, %u absences, %u availability",
                  counts.shifts, counts.open_shifts, counts.punches, counts.absences,
                  counts.availability);
  g_assert_cmpuint (counts.invalid, ==, 0);
  g_assert_cmpuint (counts.offices, ==, 2);
  g_assert_cmpuint (counts.departments, ==, 4);
  g_assert_cmpuint (counts.employees, ==, 10);
  g_assert_cmpuint (counts.open_shifts, ==, 4 * 8);
  /* ~4.4 shifts an employee-week and ~2.2 punches a shift. */
  g_assert_cmpuint (counts.shifts - counts.open_shifts, >=, 10 * 8 * 3);
  g_assert_cmpuint (counts.shifts - counts.open_shifts, <=, 10 * 8 * 6);
  g_assert_cmpuint (counts.punches, >=, (counts.shifts - counts.open_shifts) * 17 / 10);
  g_assert_cmpuint (counts.punches, <=, (counts.shifts - counts.open_shifts) * 3);
}

typedef struct
{
  guint calls;
  guint fail_at;
} FailSink;

static gboolean
fail_sink (RotaEntity  *entity,
           gpointer     user_data,
           GError     **error)
{
  FailSink *f = user_data;

  g_assert_cmpuint (f->calls, <, f->fail_at);
  if (++f->calls == f->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full at %u", f->calls);
      return FALSE;
    }

  return TRUE;
}

static void
test_sink_error (void)
{
  RotaDemoOptions options;
  const guint fail_at[] = { 1, 3, 10, 200, 1000 };

  fixed_options (&options);

  for (guint i = 0; i < G_N_ELEMENTS (fail_at); i++)
    {
      g_autoptr(GError) error = NULL;
      FailSink f = { 0, fail_at[i] };

      g_assert_false (rota_demo_generate (&options, fail_sink, &f, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_cmpuint (f.calls, ==, fail_at[i]);
    }
}

typedef struct
{
  GCancellable *cancellable;
  guint shifts;
} CancelSink;

static gboolean
cancel_sink (RotaEntity  *entity,
             gpointer     user_data,
             GError     **error)
{
  CancelSink *c = user_data;

  if (ROTA_IS_SHIFT (entity) && ++c->shifts == 5)
    g_cancellable_cancel (c->cancellable);

  return TRUE;
}

static void
test_cancel (void)
{
  RotaDemoOptions options;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelSink c = { cancellable, 0 };
  Counts counts = { 0 };

  fixed_options (&options);

  /* Cancelled during the first week: the run stops at the next week. */
  g_assert_false (rota_demo_generate (&options, cancel_sink, &c, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (c.shifts, >=, 5);
  g_assert_cmpuint (c.shifts, <, 100);
  g_clear_error (&error);

  g_assert_false (rota_demo_generate (&options, count_sink, &counts, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (counts.offices, ==, 0);
}

static void
test_large (void)
{
  RotaDemoOptions options;
  Counts counts = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 begin;
  gint64 elapsed;

  rota_demo_options_init_large (&options, fixed_now ());

  begin = g_get_monotonic_time ();
  g_assert_true (rota_demo_generate (&options, noop_sink, NULL, NULL, &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - begin;
  g_test_message ("large tenant, no-op sink: %.2f s", elapsed / 1e6);

  begin = g_get_monotonic_time ();
  g_assert_true (rota_demo_generate (&options, validate_count_sink, &counts, NULL, &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - begin;

  g_test_message ("large tenant, validating every entity: %.2f s; %u offices, %u departments, "
                  "%u employees, %u shifts (%u open), %u punches, %u absences, %u availability",
                  elapsed / 1e6, counts.offices, counts.departments, counts.employees,
                  counts.shifts, counts.open_shifts, counts.punches, counts.absences,
                  counts.availability);
  g_test_message ("DST nights: %u in March (7.5 h), %u in October (9.5 h)",
                  counts.dst_nights[0], counts.dst_nights[1]);

  g_assert_cmpuint (counts.invalid, ==, 0);
  g_assert_cmpuint (counts.offices, ==, 5);
  g_assert_cmpuint (counts.departments, ==, 40);
  g_assert_cmpuint (counts.employees, ==, 2000);
  g_assert_cmpuint (counts.open_shifts, ==, 40 * 52);
  /* DESIGN §7: ~500k shifts and ~1M punches. */
  g_assert_cmpuint (counts.shifts, >=, 375000);
  g_assert_cmpuint (counts.shifts, <=, 625000);
  g_assert_cmpuint (counts.punches, >=, 750000);
  g_assert_cmpuint (counts.punches, <=, 1250000);
  g_assert_cmpuint (counts.absences, >=, 2000);
  /* Both DST changes of the year, with every office's night covered. */
  g_assert_cmpuint (counts.dst_nights[0], >=, 5);
  g_assert_cmpuint (counts.dst_nights[1], >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/demo/options-init", test_options_init);
  g_test_add_func ("/core/demo/invalid-options", test_invalid_options);
  g_test_add_func ("/core/demo/deterministic", test_deterministic);
  g_test_add_func ("/core/demo/references", test_references);
  g_test_add_func ("/core/demo/realism", test_realism);
  g_test_add_func ("/core/demo/now-inside", test_now_inside);
  g_test_add_func ("/core/demo/size-small", test_size_small);
  g_test_add_func ("/core/demo/sink-error", test_sink_error);
  g_test_add_func ("/core/demo/cancel", test_cancel);
  g_test_add_func ("/core/demo/large", test_large);

  return g_test_run ();
}
