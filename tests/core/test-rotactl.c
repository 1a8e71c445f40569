/* test-rotactl.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include "rota-model-private.h"
#include "rota-payroll.h"
#include "rota-punch-analysis.h"
#include "rota-store-private.h"
#include "rota-time.h"

#include "csv-read.h"

/*
 * rotactl as a user runs it: the real binary, its exit codes and what it
 * prints. Exit codes: 0 success, 1 failure, 2 bad arguments, 3 verify
 * found a problem.
 */

typedef struct
{
  char *dir;
  char *store;
} Fixture;

static int
rotactl (char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *binary = g_getenv ("ROTACTL");
  va_list ap;

  g_assert_nonnull (binary);
  g_ptr_array_add (args, (char *) binary);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* Messages in English, whatever the machine's language. */
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  g_test_message ("rotactl %s … → %d\n%s", first, g_subprocess_get_exit_status (process), output);

  if (out != NULL)
    *out = g_steal_pointer (&output);

  return g_subprocess_get_exit_status (process);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rotactl-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = g_build_filename (fixture->dir, "rota", "demo.sqlite", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *argv0 = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_assert_true (g_spawn_command_line_sync (argv0, NULL, NULL, NULL, NULL));
  g_free (fixture->dir);
  g_free (fixture->store);
}

static void
test_rotactl_usage (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (rotactl (&out, NULL), ==, 2);
  g_assert_nonnull (strstr (out, "Name a command"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (out, "Unknown command “frobnicate”"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--employees", "zero", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--employees", "0", "--weeks", "9999", NULL), ==, 2);
  g_assert_nonnull (strstr (out, "--weeks"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--bogus", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "stats", "extra", NULL), ==, 2);
  g_assert_nonnull (strstr (out, "Too many arguments"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "backup", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "restore", NULL), ==, 2);
  g_clear_pointer (&out, g_free);

  /* Bad arguments leave nothing behind. */
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));

  g_assert_cmpint (rotactl (&out, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "verify"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--version", NULL), ==, 0);
  g_assert_nonnull (strstr (out, PACKAGE_VERSION));
}

static void
test_rotactl_missing (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const commands[] = { "stats", "verify", "backup" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *dest = g_build_filename (fixture->dir, "copy.sqlite", NULL);

      g_assert_cmpint (rotactl (&out, "--store", fixture->store, commands[i],
                                g_str_equal (commands[i], "backup") ? dest : NULL, NULL), ==, 1);
      g_assert_nonnull (strstr (out, "There is no store at"));
      g_assert_nonnull (strstr (out, "rotactl demo"));
      g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
    }
}

static void
test_rotactl_demo_cycle (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *hashes_a = NULL;
  g_autofree char *hashes_b = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.sqlite", NULL);
  GStatBuf st;

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--employees", "10", "--weeks", "3", "--seed", "7", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Made a demo workspace"));
  g_assert_nonnull (strstr (out, "seed 7"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (g_stat (fixture->store, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  /* A second demo does not silently replace the first. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "--force"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "stats", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Employees:      10\n"));
  g_assert_nonnull (strstr (out, "Unsynced edits: 0 pending"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "verify", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "OK"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "backup", backup, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "backup", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "already exists"));
  g_clear_pointer (&out, g_free);

  /* The same seed gives the same data: --force makes it again. */
  g_assert_cmpint (rotactl (&hashes_a, "--store", fixture->store, "stats", "--hashes", NULL), ==, 0);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--force", "--employees", "10", "--weeks", "3", "--seed", "7", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&hashes_b, "--store", fixture->store, "stats", "--hashes", NULL), ==, 0);
  g_assert_nonnull (strstr (hashes_a, "shift "));
  g_assert_cmpstr (strstr (hashes_a, "absence "), ==, strstr (hashes_b, "absence "));

  /* Restore into a new store. */
  {
    g_autofree char *restored = g_build_filename (fixture->dir, "restored", "store.sqlite", NULL);
    g_autofree char *hashes_c = NULL;
    g_autofree char *hashes_backup = NULL;

    g_assert_cmpint (rotactl (&out, "--store", restored, "restore", backup, NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (rotactl (&hashes_c, "--store", restored, "stats", "--hashes", NULL), ==, 0);
    g_assert_cmpint (rotactl (&hashes_backup, "--store", backup, "stats", "--hashes", NULL), ==, 0);
    g_assert_cmpstr (strstr (hashes_c, "absence "), ==, strstr (hashes_backup, "absence "));
  }
}

static void
test_rotactl_damaged (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *text = g_build_filename (fixture->dir, "notes.sqlite", NULL);
  g_autofree char *after = NULL;

  /* --force replaces a demo workspace, never some other file. */
  g_assert_true (g_file_set_contents (text, "not a database, just notes\n", -1, NULL));
  g_assert_cmpint (rotactl (&out, "--store", text, "demo", "--force", "--employees", "10", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "cannot be read"));
  g_assert_true (g_file_get_contents (text, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "not a database, just notes\n");
  g_clear_pointer (&out, g_free);

  g_assert_true (g_file_set_contents (text, "not a database, just notes\n", -1, NULL));
  g_assert_cmpint (rotactl (&out, "--store", text, "verify", NULL), ==, 3);
  g_assert_nonnull (strstr (out, "cannot be read as a database"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", text, "stats", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "cannot be read as a database"));
}

/* A store with one unsynced punch, whose shift_start index page is then
 * overwritten, as a failing disk might. Returns the punch's key. */
static char *
make_damaged_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(RotaPunch) punch = rota_punch_new ();
  g_autofree guchar *junk = NULL;
  RotaEmployee *employee = rota_employee_new ();
  sqlite3_stmt *stmt = NULL;
  gint64 root_page;
  int fd;

  g_assert_no_error (error);
  employee->id = g_strdup ("e1");
  employee->first_name = g_strdup ("Finn");
  employee->last_name = g_strdup ("de Vries");
  g_assert_true (rota_store_put_entity (store, ROTA_ENTITY (employee), &error));
  g_object_unref (employee);

  punch->id = g_strdup ("p1");
  punch->employee_id = g_strdup ("e1");
  punch->kind = ROTA_PUNCH_KIND_IN;
  punch->at = 1795417200;
  punch->source = g_strdup ("manual");
  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "hr", NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (_rota_store_get_db (store),
                                       "SELECT rootpage FROM sqlite_schema WHERE name = 'punch_at'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root_page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_clear_object (&store);

  junk = g_malloc (4096);
  memset (junk, 0x5a, 4096);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, 4096, (root_page - 1) * 4096), ==, 4096);
  close (fd);

  return g_strdup (item->idempotency_key);
}

static void
test_rotactl_recovery (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *export = g_build_filename (fixture->dir, "unsynced.json", NULL);
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  key = make_damaged_store (fixture->store);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "verify", NULL), ==, 3);
  g_assert_nonnull (strstr (out, "FAILED"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "stats", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "damaged"));
  g_assert_nonnull (strstr (out, "export-unsynced"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export-unsynced", "--output", export, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (g_stat (export, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (export, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, key));
  g_assert_nonnull (strstr (saved, "\"punch\""));

  /* It never overwrites a file. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export-unsynced", "--output", export, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "already exists"));
}

/* export */

typedef struct
{
  char   *employee_id;
  char   *work_date;
  char   *department_id;
  gint64  worked_minutes;
} ApprovedDay;

static void
approved_day_free (ApprovedDay *day)
{
  g_free (day->employee_id);
  g_free (day->work_date);
  g_free (day->department_id);
  g_free (day);
}

static void
record_approval (RotaStore          *store,
                 const RotaPunchDay *day,
                 RotaApprovalState   state)
{
  g_autoptr(RotaApproval) approval = rota_approval_new ();
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;

  approval->id = g_uuid_string_random ();
  approval->employee_id = g_strdup (day->employee_id);
  approval->work_date = g_strdup (day->work_date);
  approval->state = state;
  approval->author = g_strdup ("payroll-test");
  approval->created_at = rota_time_now ();
  approval->for_version = day->version;
  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (approval),
                                 "payroll-test", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
}

/* The ISO week that @monday begins, as "YYYY-Www". */
static char *
iso_week_of (const char *monday)
{
  int year, month, day;
  GDate date, thursday;

  g_assert_true (rota_date_parse (monday, &year, &month, &day));
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  g_assert_cmpint (g_date_get_weekday (&date), ==, G_DATE_MONDAY);
  thursday = date;
  g_date_add_days (&thursday, 3);

  return g_strdup_printf ("%04d-W%02u", g_date_get_year (&thursday),
                          g_date_get_iso8601_week_of_year (&date));
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);

  return contents;
}

/* Checks that @rows (a header and then the data) are exactly @expected,
 * in any order, with the worked minutes the analysis gave. */
static void
assert_export_rows (GPtrArray  *rows,
                    GPtrArray  *expected,
                    const char *only_department_id)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) names = g_strsplit (ROTA_PAYROLL_CSV_HEADER, ",", -1);
  GPtrArray *header;

  g_assert_cmpuint (rows->len, >=, 1);
  header = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (header->len, ==, ROTA_PAYROLL_CSV_N_COLUMNS);
  for (guint c = 0; c < header->len; c++)
    g_assert_cmpstr (g_ptr_array_index (header, c), ==, names[c]);

  for (guint i = 0; i < expected->len; i++)
    {
      ApprovedDay *day = g_ptr_array_index (expected, i);

      if (only_department_id == NULL || g_str_equal (day->department_id, only_department_id))
        g_hash_table_insert (wanted, g_strconcat (day->employee_id, " ", day->work_date, NULL), day);
    }

  g_assert_cmpuint (rows->len - 1, ==, g_hash_table_size (wanted));
  for (guint r = 1; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      g_autofree char *key = NULL;
      g_autofree char *minutes = NULL;
      ApprovedDay *day;

      g_assert_cmpuint (row->len, ==, ROTA_PAYROLL_CSV_N_COLUMNS);
      key = g_strconcat (g_ptr_array_index (row, 1), " ", g_ptr_array_index (row, 7), NULL);
      day = g_hash_table_lookup (wanted, key);
      g_assert_nonnull (day);
      g_hash_table_remove (wanted, key);

      g_assert_cmpstr (g_ptr_array_index (row, 6), ==, day->department_id);
      minutes = g_strdup_printf ("%" G_GINT64_FORMAT, day->worked_minutes);
      g_assert_cmpstr (g_ptr_array_index (row, 11), ==, minutes);
      g_assert_cmpstr (g_ptr_array_index (row, 15), ==, "payroll-test");
      g_assert_true (g_str_has_suffix (g_ptr_array_index (row, 16), "Z"));
    }
}

typedef struct
{
  char      *first_monday;
  char      *second_monday;
  char      *second_sunday;
  char      *week;         /* the second demo week, YYYY-Www */
  char      *empty_week;   /* the first, with no approvals */
  char      *range;        /* the second week as a range of days */
  char      *renamed_id;   /* the employee given an umlaut and a leading zero */
  GPtrArray *approved;     /* ApprovedDay */
} ExportSetup;

static void
export_setup_clear (ExportSetup *setup)
{
  g_free (setup->first_monday);
  g_free (setup->second_monday);
  g_free (setup->second_sunday);
  g_free (setup->week);
  g_free (setup->empty_week);
  g_free (setup->range);
  g_free (setup->renamed_id);
  g_clear_pointer (&setup->approved, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportSetup, export_setup_clear)

/* A demo store with four days of the second demo week approved (as HR
 * does: an approval entity for the day's current version, recorded in
 * the outbox) and one rejected. */
static void
export_setup (Fixture     *fixture,
              ExportSetup *setup)
{
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(GHashTable) employees_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *first_week;
  const RotaPunchDay *rejected = NULL;
  g_autofree char *rejected_employee_id = NULL;
  g_autofree char *rejected_work_date = NULL;
  GPtrArray *approved;

  /* With --weeks 4 the demo's weeks are the two before this one, this
   * one and the next: the first two are past and clocked. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--employees", "10", "--weeks", "4", "--seed", "7", NULL), ==, 0);
  first_week = strstr (out, "first week ");
  g_assert_nonnull (first_week);
  setup->first_monday = g_strndup (first_week + strlen ("first week "), 10);
  g_assert_true (rota_date_is_valid (setup->first_monday));
  setup->second_monday = rota_date_add_days (setup->first_monday, 7);
  setup->second_sunday = rota_date_add_days (setup->second_monday, 6);
  setup->week = iso_week_of (setup->second_monday);
  setup->empty_week = iso_week_of (setup->first_monday);
  setup->range = g_strdup_printf ("%s..%s", setup->second_monday, setup->second_sunday);
  setup->approved = approved = g_ptr_array_new_with_free_func ((GDestroyNotify) approved_day_free);

  store = rota_store_open (fixture->store, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  report = rota_punch_report_load (store, setup->second_monday, setup->second_sunday, NULL,
                                   rota_time_now (), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  /* Four worked days of different people; one more is rejected. */
  for (guint i = 0; i < rota_punch_report_get_n_days (report); i++)
    {
      const RotaPunchDay *day = rota_punch_report_get_day (report, i);
      ApprovedDay *expected;

      if (day->worked_seconds <= 0 || g_hash_table_contains (employees_seen, day->employee_id))
        continue;
      g_hash_table_add (employees_seen, (gpointer) day->employee_id);

      if (approved->len == 4)
        {
          rejected = day;
          break;
        }

      record_approval (store, day, ROTA_APPROVAL_STATE_APPROVED);
      expected = g_new0 (ApprovedDay, 1);
      expected->employee_id = g_strdup (day->employee_id);
      expected->work_date = g_strdup (day->work_date);
      expected->department_id = g_strdup (day->department_id);
      g_ptr_array_add (approved, expected);
    }
  g_assert_cmpuint (approved->len, ==, 4);
  g_assert_nonnull (rejected);
  record_approval (store, rejected, ROTA_APPROVAL_STATE_REJECTED);
  /* The report's days go with the report. */
  rejected_employee_id = g_strdup (rejected->employee_id);
  rejected_work_date = g_strdup (rejected->work_date);
  rejected = NULL;

  /* An umlaut, a ligature and a leading zero, to see them come back. */
  {
    ApprovedDay *first = g_ptr_array_index (approved, 0);
    g_autoptr(RotaEntity) entity = rota_store_get_entity (store, ROTA_TYPE_EMPLOYEE, first->employee_id, &error);
    RotaEmployee *employee = ROTA_EMPLOYEE (entity);

    g_assert_no_error (error);
    g_free (employee->first_name);
    employee->first_name = g_strdup ("Jürgen");
    g_free (employee->last_name);
    employee->last_name = g_strdup ("Müller-\xc4\xb2zerman");
    g_free (employee->personnel_number);
    employee->personnel_number = g_strdup ("0042");
    g_assert_true (rota_store_put_entity (store, entity, &error));
    g_assert_no_error (error);
    setup->renamed_id = g_strdup (first->employee_id);
  }

  /* What the analysis says now: the approved days are APPROVED, with
   * their worked time; the rejected one is not. */
  g_clear_pointer (&report, rota_punch_report_unref);
  report = rota_punch_report_load (store, setup->second_monday, setup->second_sunday, NULL,
                                   rota_time_now (), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < approved->len; i++)
    {
      ApprovedDay *expected = g_ptr_array_index (approved, i);
      const RotaPunchDay *day = rota_punch_report_find_day (report, expected->employee_id, expected->work_date);

      g_assert_nonnull (day);
      g_assert_true (day->flags & ROTA_DAY_APPROVED);
      expected->worked_minutes = day->worked_seconds / 60;
    }
  {
    const RotaPunchDay *day = rota_punch_report_find_day (report, rejected_employee_id, rejected_work_date);

    g_assert_nonnull (day);
    g_assert_false (day->flags & ROTA_DAY_APPROVED);
    g_assert_true (day->flags & ROTA_DAY_REJECTED);
  }
}

static void
test_rotactl_export (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(ExportSetup) setup = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *stdout_csv = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "payroll.csv", NULL);
  gsize length = 0;
  GStatBuf st;

  export_setup (fixture, &setup);

  /* Bad arguments: exit code 2, a message, and no file. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--output", file, NULL), ==, 2);
  g_assert_nonnull (strstr (out, "--period"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--period", "2026-13", "--output", file, NULL), ==, 2);
  g_assert_nonnull (strstr (out, "months run from 01 to 12"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--period", setup.week, "--format", "xlsx", "--output", file, NULL), ==, 2);
  g_assert_nonnull (strstr (out, "Unknown format “xlsx”; the formats are: csv"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--period", setup.week, "--department", "no-such-department", "--output", file, NULL), ==, 2);
  g_assert_nonnull (strstr (out, "no department with the id “no-such-department”"));
  g_clear_pointer (&out, g_free);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  /* The ISO week to a file: mode 0600, exactly the approved days. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--period", setup.week, "--format", "csv", "--output", file, NULL), ==, 0);
  g_assert_nonnull (strstr (out, file));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  csv = read_file (file, &length);
  rows = csv_read (csv, length, CSV_READ_ROTA);
  assert_export_rows (rows, setup.approved, NULL);

  /* The renamed employee as written. */
  for (guint r = 1; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);

      if (g_str_equal (g_ptr_array_index (row, 1), setup.renamed_id))
        {
          g_assert_cmpstr (g_ptr_array_index (row, 0), ==, "0042");
          g_assert_cmpstr (g_ptr_array_index (row, 2), ==, "Müller-\xc4\xb2zerman");
          g_assert_cmpstr (g_ptr_array_index (row, 4), ==, "Jürgen");
        }
    }

  /* The same days as a range, to standard output. */
  g_assert_cmpint (rotactl (&stdout_csv, "--store", fixture->store, "export", "--period", setup.range, NULL), ==, 0);
  g_assert_cmpstr (stdout_csv, ==, csv);

  /* One department. */
  {
    ApprovedDay *first = g_ptr_array_index (setup.approved, 0);
    g_autoptr(GPtrArray) department_rows = NULL;

    g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--period", setup.week,
                              "--department", first->department_id, NULL), ==, 0);
    department_rows = csv_read (out, strlen (out), CSV_READ_ROTA);
    assert_export_rows (department_rows, setup.approved, first->department_id);
    g_assert_cmpuint (department_rows->len, >=, 2);
    g_clear_pointer (&out, g_free);
  }

  /* A week with no approved day: the header row alone, and the file
   * replaced as a whole, still 0600. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--period", setup.empty_week, "--output", file, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&csv, g_free);
  csv = read_file (file, &length);
  g_assert_cmpstr (csv, ==, "\xEF\xBB\xBF" ROTA_PAYROLL_CSV_HEADER "\r\n");
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  /* No temporary file left behind. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, &error);
    const char *name;

    g_assert_no_error (error);
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".payroll.csv."));
  }
}

/* Minutes of a time of day as LibreOffice writes it back: "8:30",
 * "08:30:00" or "08:30:00 AM", whatever its locale's format. */
static int
spreadsheet_minutes (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^(\\d{1,2}):(\\d{2})(:\\d{2})?( ?([AP]M))?$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *hours = NULL;
  g_autofree char *minutes = NULL;
  g_autofree char *half = NULL;
  int h;

  if (!g_regex_match (regex, text, 0, &match))
    {
      g_test_message ("not a time: “%s”", text);
      g_assert_not_reached ();
    }
  hours = g_match_info_fetch (match, 1);
  minutes = g_match_info_fetch (match, 2);
  half = g_match_info_fetch (match, 5);
  h = atoi (hours);
  if (half != NULL && g_str_equal (half, "PM") && h != 12)
    h += 12;
  if (half != NULL && g_str_equal (half, "AM") && h == 12)
    h = 0;

  return h * 60 + atoi (minutes);
}

static int
run_soffice (const char *profile_dir,
             const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *profile_uri = g_filename_to_uri (profile_dir, NULL, NULL);
  g_autofree char *soffice = g_find_program_in_path ("soffice");

  if (soffice == NULL)
    soffice = g_find_program_in_path ("libreoffice");
  g_assert_nonnull (soffice);

  g_ptr_array_add (argv, g_strdup (soffice));
  g_ptr_array_add (argv, g_strdup_printf ("-env:UserInstallation=%s", profile_uri));
  g_ptr_array_add (argv, g_strdup ("--headless"));
  g_ptr_array_add (argv, g_strdup ("--norestore"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "HOME", profile_dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("soffice → %d\n%s", g_subprocess_get_exit_status (process), output);

  return g_subprocess_get_exit_status (process);
}

/* The export opened in LibreOffice Calc as a German user would (German
 * locale, special numbers detected, quoted fields as text), saved as
 * ODS, and that written back as CSV with every text cell quoted: text
 * stays text and unchanged (umlauts, leading zeros), numbers are
 * numbers, times are times. */
static void
test_rotactl_export_libreoffice (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(ExportSetup) setup = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) back_rows = NULL;
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  g_autofree char *out = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *back = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "payroll.csv", NULL);
  g_autofree char *profile = g_build_filename (fixture->dir, "lo-profile", NULL);
  g_autofree char *ods_dir = g_build_filename (fixture->dir, "ods", NULL);
  g_autofree char *back_dir = g_build_filename (fixture->dir, "back", NULL);
  g_autofree char *ods = g_build_filename (ods_dir, "payroll.ods", NULL);
  g_autofree char *back_file = g_build_filename (back_dir, "payroll.csv", NULL);
  gboolean seen_renamed = FALSE;
  gsize length = 0;

  if (soffice == NULL)
    soffice = g_find_program_in_path ("libreoffice");
  /* The install step puts it there (build-aux/debian-packages.txt): a
   * machine without it is set up wrongly, and that fails, not skips. */
  if (soffice == NULL)
    g_error ("neither soffice nor libreoffice is installed: run build-aux/install-deps.sh "
             "(Debian: libreoffice-calc-nogui)");

  export_setup (fixture, &setup);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export", "--period", setup.week, "--output", file, NULL), ==, 0);
  csv = read_file (file, &length);
  rows = csv_read (csv, length, CSV_READ_ROTA);
  g_assert_cmpuint (rows->len, ==, 1 + setup.approved->len);

  /* Filter options: comma, double quote, UTF-8 (76), from line 1, no
   * column types, German (1031), quoted field as text, detect special
   * numbers. On the way back: every text cell quoted. */
  {
    const char * const to_ods[] = {
      "--infilter=CSV:44,34,76,1,,1031,true,true", "--convert-to", "ods", "--outdir", ods_dir, file, NULL
    };
    const char * const to_csv[] = {
      "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1031,true,true,false",
      "--outdir", back_dir, ods, NULL
    };

    g_assert_cmpint (run_soffice (profile, to_ods), ==, 0);
    g_assert_true (g_file_test (ods, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint (run_soffice (profile, to_csv), ==, 0);
  }

  back = read_file (back_file, &length);
  g_test_message ("%s", back);
  back_rows = csv_read (back, length, CSV_READ_LF_NO_BOM | CSV_READ_MARK_QUOTED);
  g_assert_cmpuint (back_rows->len, ==, rows->len);

  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      GPtrArray *back_row = g_ptr_array_index (back_rows, r);

      g_assert_cmpuint (back_row->len, ==, ROTA_PAYROLL_CSV_N_COLUMNS);
      for (guint c = 0; c < ROTA_PAYROLL_CSV_N_COLUMNS; c++)
        {
          const char *mine = g_ptr_array_index (row, c);
          const char *theirs = g_ptr_array_index (back_row, c);

          g_test_message ("row %u, column %u: “%s” → “%s”", r, c, mine, theirs);
          if (r == 0 || *mine == '\0')
            {
              /* The header and empty cells, as they were. */
              g_assert_cmpstr (*theirs == '\x1f' ? theirs + 1 : theirs, ==, mine);
            }
          else if (c <= 6 || c == 15 || c == 16)
            {
              /* Text (approved_at, ISO 8601 with a Z, stays text too). */
              g_assert_cmpint (*theirs, ==, '\x1f');
              g_assert_cmpstr (theirs + 1, ==, mine);
            }
          else if (c == 8 || c == 9 || c == 12)
            {
              /* Times: a value, not text, the same hours and minutes. */
              g_assert_cmpint (*theirs, !=, '\x1f');
              g_assert_cmpint (spreadsheet_minutes (theirs), ==, spreadsheet_minutes (mine));
            }
          else
            {
              /* The date and the numbers: values, unchanged. */
              g_assert_cmpint (*theirs, !=, '\x1f');
              g_assert_cmpstr (theirs, ==, mine);
            }
        }

      if (r > 0 && g_str_equal (g_ptr_array_index (row, 1), setup.renamed_id))
        {
          g_assert_cmpstr (g_ptr_array_index (back_row, 0), ==, CSV_QUOTED "0042");
          g_assert_cmpstr (g_ptr_array_index (back_row, 2), ==, CSV_QUOTED "Müller-\xc4\xb2zerman");
          seen_renamed = TRUE;
        }
    }
  g_assert_true (seen_renamed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/rotactl/usage", Fixture, NULL, fixture_set_up, test_rotactl_usage, fixture_tear_down);
  g_test_add ("/core/rotactl/missing", Fixture, NULL, fixture_set_up, test_rotactl_missing, fixture_tear_down);
  g_test_add ("/core/rotactl/demo-cycle", Fixture, NULL, fixture_set_up, test_rotactl_demo_cycle, fixture_tear_down);
  g_test_add ("/core/rotactl/damaged", Fixture, NULL, fixture_set_up, test_rotactl_damaged, fixture_tear_down);
  g_test_add ("/core/rotactl/recovery", Fixture, NULL, fixture_set_up, test_rotactl_recovery, fixture_tear_down);
  g_test_add ("/core/rotactl/export", Fixture, NULL, fixture_set_up, test_rotactl_export, fixture_tear_down);
  g_test_add ("/core/rotactl/export-libreoffice", Fixture, NULL, fixture_set_up, test_rotactl_export_libreoffice, fixture_tear_down);

  return g_test_run ();
}
