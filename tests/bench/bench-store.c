/* bench-store.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Store benchmarks (issue 2). Prints one JSON line per figure, with units.
 * Never asserts on time: these machines are noisy, so each timed figure is
 * a median of several runs, and the insert rate is given beside the rate
 * of bare SQLite inserts measured in the same run.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "bench-common.h"
#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-store-private.h"
#include "rota-time.h"

#define N_PUNCHES   1000000
#define CACHE_PAGES "-131072"

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, bench_compare_doubles);

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static gboolean
count_sink (RotaEntity  *entity,
            gpointer     user_data,
            GError     **error)
{
  (*(guint64 *) user_data)++;
  return TRUE;
}

static void
remove_store (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* The machine's limit: plain rows with a random text key in one
 * transaction, synchronous=FULL, the same page cache. */
static double
bare_insert_rate (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "bare.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start;
  double seconds;

  g_assert (sqlite3_open (path, &db) == SQLITE_OK);
  g_assert (_rota_store_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                                  "PRAGMA cache_size = " CACHE_PAGES "; "
                                  "CREATE TABLE t (id TEXT PRIMARY KEY, employee_id TEXT, at INTEGER, kind TEXT)", NULL));
  g_assert (sqlite3_prepare_v2 (db, "INSERT INTO t VALUES (?, ?, ?, ?)", -1, &stmt, NULL) == SQLITE_OK);

  start = g_get_monotonic_time ();
  _rota_store_exec (db, "BEGIN", NULL);
  for (guint i = 0; i < N_PUNCHES; i++)
    {
      char id[37];

      g_snprintf (id, sizeof id, "%08x-%04x-4%03x-8%03x-%012" G_GINT64_MODIFIER "x",
                  g_random_int (), g_random_int () & 0xffff, g_random_int () & 0xfff,
                  g_random_int () & 0xfff, ((gint64) g_random_int () << 16) ^ g_random_int ());
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, "employee-0042", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, 1795417200 + i);
      sqlite3_bind_text (stmt, 4, "in", -1, SQLITE_STATIC);
      g_assert (sqlite3_step (stmt) == SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  _rota_store_exec (db, "COMMIT", NULL);
  seconds = seconds_since (start);

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  remove_store (path);

  return N_PUNCHES / seconds;
}

static void
bench_insert_punches (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "punches.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaPunch) punch = rota_punch_new ();
  RotaOffice *office = rota_office_new ();
  RotaDepartment *department = rota_department_new ();
  RotaEmployee *employee = rota_employee_new ();
  double bare;
  double rate;
  gint64 start;

  bare = bare_insert_rate (dir);

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert (_rota_store_exec (_rota_store_get_db (store), "PRAGMA cache_size = " CACHE_PAGES, NULL));

  office->id = g_strdup ("o1");
  office->name = g_strdup ("Bench");
  office->rules_profile = ROTA_RULES_PROFILE_NL;
  department->id = g_strdup ("d1");
  department->office_id = g_strdup ("o1");
  department->name = g_strdup ("Bench");
  employee->id = g_strdup ("employee-0042");
  employee->first_name = g_strdup ("Bench");
  employee->last_name = g_strdup ("Mark");
  g_assert (rota_store_put_entity (store, ROTA_ENTITY (office), NULL));
  g_assert (rota_store_put_entity (store, ROTA_ENTITY (department), NULL));
  g_assert (rota_store_put_entity (store, ROTA_ENTITY (employee), NULL));
  g_object_unref (office);
  g_object_unref (department);
  g_object_unref (employee);

  punch->employee_id = g_strdup ("employee-0042");
  punch->kind = ROTA_PUNCH_KIND_IN;
  punch->source = g_strdup ("kiosk:bench");

  start = g_get_monotonic_time ();
  g_assert (rota_store_begin (store, NULL));
  for (guint i = 0; i < N_PUNCHES; i++)
    {
      g_free (punch->id);
      punch->id = g_uuid_string_random ();
      punch->at = 1795417200 + i;
      punch->device_seq = i;
      if (!rota_store_put_entity (store, ROTA_ENTITY (punch), &error))
        g_error ("%s", error->message);
    }
  g_assert (rota_store_commit (store, NULL));
  rate = N_PUNCHES / seconds_since (start);

  bench_emit ("insert-1m-punches",
        "\"rows\": %d, \"rows_per_s\": %.0f, \"bare_sqlite_rows_per_s\": %.0f, "
        "\"ratio_to_bare\": %.3f, \"target_rows_per_s\": 150000",
        N_PUNCHES, rate, bare, rate / bare);

  g_clear_object (&store);
  remove_store (path);
}

static void
bench_generate (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "large.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  RotaDemoOptions options;
  guint64 n_entities = 0;
  double times[7];
  double generate_s;
  double fill_s;
  double median_ms;
  gint64 start;
  gint64 week_start;
  gint64 week_end;
  guint n_shifts = 0;
  guint n_pending = 0;

  rota_demo_options_init_large (&options, 1795417200);

  start = g_get_monotonic_time ();
  g_assert (rota_demo_generate (&options, count_sink, &n_entities, NULL, &error));
  generate_s = seconds_since (start);

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert (_rota_store_exec (_rota_store_get_db (store), "PRAGMA cache_size = " CACHE_PAGES, NULL));

  start = g_get_monotonic_time ();
  if (!rota_demo_fill_store (store, &options, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  fill_s = seconds_since (start);

  counts = rota_store_table_counts (store, &error);
  bench_emit ("generate-large-tenant",
        "\"entities\": %" G_GUINT64_FORMAT ", \"employees\": %" G_GINT64_FORMAT ", "
        "\"shifts\": %" G_GINT64_FORMAT ", \"punches\": %" G_GINT64_FORMAT ", "
        "\"generate_s\": %.2f, \"generate_and_store_s\": %.2f, \"entities_per_s\": %.0f",
        n_entities,
        *(gint64 *) g_hash_table_lookup (counts, "employee"),
        *(gint64 *) g_hash_table_lookup (counts, "shift"),
        *(gint64 *) g_hash_table_lookup (counts, "punch"),
        generate_s, fill_s, n_entities / fill_s);

  /* The last full week, with some of its shifts edited locally, so that
   * the overlay has work to do. */
  week_start = rota_time_day_start (rota_time_zone_get (NULL), options.first_week) +
               (gint64) (options.n_weeks - 1) * 7 * 86400;
  week_end = week_start + 7 * 86400;
  {
    g_autoptr(GPtrArray) week = rota_store_list_shifts (store, week_start, week_end, NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < week->len && n_pending < 200; i += 50, n_pending++)
      {
        g_autoptr(RotaEntity) edited = rota_entity_copy (g_ptr_array_index (week, i));
        g_autoptr(RotaOutboxItem) item = NULL;

        ROTA_SHIFT (edited)->start += 1800;
        ROTA_SHIFT (edited)->end += 1800;
        item = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, edited, "bench", NULL, &error);
        g_assert_no_error (error);
      }
  }

  employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
  for (guint run = 0; run < G_N_ELEMENTS (times); run++)
    {
      g_autoptr(GPtrArray) shifts = NULL;

      start = g_get_monotonic_time ();
      shifts = rota_store_list_shifts (store, week_start, week_end, NULL, &error);
      times[run] = seconds_since (start) * 1000.0;
      g_assert_no_error (error);
      n_shifts = shifts->len;
    }

  /* median() sorts, so the minimum is read after it. */
  median_ms = median (times, G_N_ELEMENTS (times));
  bench_emit ("load-week-2000-employees",
        "\"employees\": %u, \"shifts\": %u, \"pending_edits\": %u, \"runs\": %u, "
        "\"median_ms\": %.2f, \"min_ms\": %.2f, \"target_ms\": 20",
        employees->len, n_shifts, n_pending, (guint) G_N_ELEMENTS (times),
        median_ms, times[0]);

  g_clear_object (&store);
  remove_store (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-bench-XXXXXX", &error);

  g_assert_no_error (error);

  bench_generate (dir);
  bench_insert_punches (dir);

  g_rmdir (dir);

  return 0;
}
