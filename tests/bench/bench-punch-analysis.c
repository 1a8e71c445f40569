/* bench-punch-analysis.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The punch analysis over one calendar month of the standard large tenant
 * (2,000 employees, five offices in both profiles), one JSON line per
 * figure:
 *  - rota_punch_analyze() alone, the month's input already in memory
 *    (target 100 ms), median of 7;
 *  - rota_punch_report_load() of the same month from a store: reading the
 *    shifts, punches and the rest, and analysing them (median of 3).
 * Set ROTA_BENCH_LARGE_STORE to a store made by `rotactl demo --large` to
 * skip making one (about 30 s). Medians; no timing is asserted.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "bench-common.h"

#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-punch-analysis.h"
#include "rota-time.h"

#define ANALYZE_RUNS 7
#define LOAD_RUNS    3

typedef struct
{
  RotaPunchInput *input;
  gint64          from;   /* what is kept of shifts and punches */
  gint64          to;
} Collect;

static gboolean
collect (RotaEntity  *entity,
         gpointer     user_data,
         GError     **error)
{
  Collect *c = user_data;
  RotaPunchInput *input = c->input;

  if (ROTA_IS_OFFICE (entity))
    g_ptr_array_add (input->offices, rota_entity_copy (entity));
  else if (ROTA_IS_DEPARTMENT (entity))
    g_ptr_array_add (input->departments, rota_entity_copy (entity));
  else if (ROTA_IS_EMPLOYEE (entity))
    g_ptr_array_add (input->employees, rota_entity_copy (entity));
  else if (ROTA_IS_SHIFT (entity) && ROTA_SHIFT (entity)->start < c->to && ROTA_SHIFT (entity)->end > c->from)
    g_ptr_array_add (input->shifts, rota_entity_copy (entity));
  else if (ROTA_IS_PUNCH (entity) && ROTA_PUNCH (entity)->at >= c->from && ROTA_PUNCH (entity)->at < c->to)
    g_ptr_array_add (input->punches, rota_entity_copy (entity));
  else if (ROTA_IS_ABSENCE (entity))
    g_ptr_array_add (input->absences, rota_entity_copy (entity));
  else if (ROTA_IS_PUNCH_CORRECTION (entity))
    g_ptr_array_add (input->corrections, rota_entity_copy (entity));
  else if (ROTA_IS_APPROVAL (entity))
    g_ptr_array_add (input->approvals, rota_entity_copy (entity));

  return TRUE;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (dir == NULL)
    return;
  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

static guint
count_flag (RotaPunchReport *report,
            RotaDayFlags     flags)
{
  guint n = 0;

  for (guint i = 0; i < rota_punch_report_get_n_days (report); i++)
    if (rota_punch_report_get_day (report, i)->flags & flags)
      n++;

  return n;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *middle = NULL;
  g_autofree char *first_day = NULL;
  g_autofree char *last_day = NULL;
  RotaDemoOptions options;
  Collect c = { 0, };
  double analyze_ms[ANALYZE_RUNS];
  double load_ms[LOAD_RUNS];
  guint days = 0, review = 0, findings_days = 0;
  int year, month, day;
  GTimeZone *utc = rota_time_zone_get ("UTC");
  gint64 start;

  /* A calendar month in the middle of the year of the large tenant. */
  rota_demo_options_init_large (&options, rota_time_now ());
  middle = rota_date_add_days (options.first_week, 26 * 7);
  g_assert_true (rota_date_parse (middle, &year, &month, &day));
  first_day = rota_date_new (year, month, 1);
  last_day = rota_date_new (year, month, g_date_get_days_in_month (month, year));

  /* The input as rota_punch_input_load() would read it. */
  c.input = rota_punch_input_new (first_day, last_day, options.now);
  c.from = rota_time_day_start (utc, first_day) - 8 * 86400 - 14 * 3600;
  c.to = rota_time_day_start (utc, last_day) + 3 * 86400 + 14 * 3600;
  start = g_get_monotonic_time ();
  g_assert_true (rota_demo_generate (&options, collect, &c, NULL, &error));
  g_assert_no_error (error);
  g_printerr ("Large tenant generated in %.1f s: %u shifts and %u punches around %s to %s\n",
              bench_seconds_since (start), c.input->shifts->len, c.input->punches->len, first_day, last_day);

  for (guint run = 0; run < ANALYZE_RUNS; run++)
    {
      g_autoptr(RotaPunchReport) report = NULL;

      start = g_get_monotonic_time ();
      report = rota_punch_analyze (c.input);
      analyze_ms[run] = bench_seconds_since (start) * 1000;

      days = rota_punch_report_get_n_days (report);
      review = count_flag (report, ROTA_DAY_NEEDS_REVIEW);
      findings_days = count_flag (report, ROTA_DAY_RULE_VIOLATION | ROTA_DAY_RULE_WARNING);
    }

  bench_emit ("punch-analysis-month-large-tenant",
              "\"employees\": %u, \"shifts\": %u, \"punches\": %u, \"days\": %u, \"days_to_review\": %u, "
              "\"days_with_findings\": %u, \"runs\": %d, \"median_ms\": %.2f, \"target_ms\": 100, "
              "\"ratio_to_target\": %.3f",
              c.input->employees->len, c.input->shifts->len, c.input->punches->len, days, review, findings_days,
              ANALYZE_RUNS, bench_median (analyze_ms, ANALYZE_RUNS), bench_median (analyze_ms, ANALYZE_RUNS) / 100.0);
  rota_punch_input_free (c.input);

  path = bench_large_store ("rota-bench-punch", &options, &dir);
  store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  for (guint run = 0; run < LOAD_RUNS; run++)
    {
      g_autoptr(RotaPunchReport) report = NULL;

      start = g_get_monotonic_time ();
      report = rota_punch_report_load (store, first_day, last_day, NULL, options.now, NULL, &error);
      g_assert_no_error (error);
      load_ms[run] = bench_seconds_since (start) * 1000;
      days = rota_punch_report_get_n_days (report);
    }

  {
    double lowest = load_ms[0];
    double highest = load_ms[0];

    for (guint run = 1; run < LOAD_RUNS; run++)
      {
        lowest = MIN (lowest, load_ms[run]);
        highest = MAX (highest, load_ms[run]);
      }

    bench_emit ("punch-report-load-month-large-tenant",
                "\"days\": %u, \"runs\": %d, \"median_ms\": %.2f, \"min_ms\": %.2f, \"max_ms\": %.2f",
                days, LOAD_RUNS, bench_median (load_ms, LOAD_RUNS), lowest, highest);
  }

  g_clear_object (&store);
  remove_dir (dir);

  return 0;
}
