/* bench-planner.c: the Planner with the standard large tenant
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three figures, each a median, as JSON lines (DESIGN §7):
 *  - switching weeks with 2,000 employees, from the action to the next frame
 *    drawn (target 16 ms, one frame at 60 Hz); also how much of it is the
 *    plan's load (SQLite and the rules, or swapping in the week read ahead)
 *    and how much layout and drawing; at a person's pace (400 ms between
 *    switches) and, as a second figure, with switches back to back, where
 *    the read-ahead cannot keep up;
 *  - starting `rota` on the large cache, from spawning it to its first frame
 *    of the Planner (target 500 ms), against the same start of `rota
 *    --version` (loading the program and its libraries) measured in this run;
 *  - the resident memory at that first frame (target 250 MB).
 *
 * Runs under Xvfb (build-aux/rota-bench provides one). Set
 * ROTA_BENCH_LARGE_STORE to a store made by `rotactl demo --large` to skip
 * making one (about 30 s).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "bench-common.h"
#include "rota-demo.h"
#include "rota-planner-page.h"
#include "rota-time.h"
#include "rota-window.h"

#define SWITCHES 21
#define STARTS   7

static gboolean painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

static void
wait_for_frame (void)
{
  painted = FALSE;
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

/* A Wednesday in the middle of the demo's year, which ends this week. */
static char *
middle_day (void)
{
  g_autofree char *today = rota_time_work_date (rota_time_now (), rota_time_zone_get (NULL));
  g_autofree char *monday = rota_date_week_start (today);

  return rota_date_add_days (monday, 2 - 26 * 7);
}

static double
time_start (const char *app,
            const char *path,
            const char *day,
            gboolean    version_only,
            const char *renderer,
            gint64     *rss_kb)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start;
  double ms;

  g_subprocess_launcher_setenv (launcher, "ROTA_BENCH_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  start = g_get_monotonic_time ();
  if (version_only)
    process = g_subprocess_launcher_spawn (launcher, &error, app, "--version", NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, app, "--store", path, "--day", day, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_true (g_subprocess_get_successful (process));

  if (!version_only)
    {
      const char *rss = strstr (out, "rss_kb=");

      g_assert_nonnull (rss);
      *rss_kb = g_ascii_strtoll (rss + 7, NULL, 10);
    }

  return ms;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *day = middle_day ();
  const char *app = g_getenv ("ROTA_APP");
  double switch_ms[SWITCHES], load_ms[SWITCHES], rapid_ms[SWITCHES], rapid_load_ms[SWITCHES], start_ms[STARTS], bare_ms[STARTS];
  gint64 rss_kb[STARTS];
  double rss_mb[STARTS], gl_ms[STARTS], gl_mb[STARTS];
  RotaWindow *window;
  RotaPlannerPage *page;
  RotaPlan *plan;
  GdkFrameClock *clock;
  guint employees;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("bench-planner: no display; run it under xvfb-run (build-aux/rota-bench does)\n");
      return 1;
    }
  g_assert_nonnull (app);

  gtk_init ();
  adw_init ();

  path = bench_large_store ("rota-bench-planner", NULL, &dir);

  /* Starting the app, from outside, against loading the binary alone. */
  for (guint i = 0; i < STARTS && g_getenv ("ROTA_BENCH_ONLY_SWITCH") == NULL; i++)
    {
      gint64 gl_kb;

      bare_ms[i] = time_start (app, NULL, NULL, TRUE, "cairo", NULL);
      start_ms[i] = time_start (app, path, day, FALSE, "cairo", &rss_kb[i]);
      rss_mb[i] = rss_kb[i] / 1024.0;
      gl_ms[i] = time_start (app, path, day, FALSE, "gl", &gl_kb);
      gl_mb[i] = gl_kb / 1024.0;
    }

  /* Switching weeks, in this process. */
  window = rota_window_new (NULL);
  rota_window_set_first_day (window, day);
  rota_window_open_workspace (window, path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  wait_for_frame ();

  page = ROTA_PLANNER_PAGE (rota_window_get_planner_page (window));
  plan = rota_window_get_plan (window);
  employees = 0;
  for (guint i = 0; i < g_list_model_get_n_items (rota_plan_get_rows (plan)); i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rota_plan_get_rows (plan), i);

      employees += rota_plan_row_get_kind (row) == ROTA_PLAN_ROW_EMPLOYEE;
    }

  /* At a person's pace: the next switch 400 ms after the last frame, time
   * enough for the weeks next to the one shown to be read ahead. And at
   * once, as a held Alt+Right does, where the read-ahead is not done yet. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < SWITCHES; i++)
      {
        gint64 start, loaded;

        if (pass == 0)
          {
            gint64 until = g_get_monotonic_time () + 400 * 1000;

            while (g_get_monotonic_time () < until)
              g_main_context_iteration (NULL, FALSE), g_usleep (1000);
          }

        start = g_get_monotonic_time ();
        /* Forward and back over four weeks, so no week repeats in a row. */
        rota_planner_page_step (page, (i / 4) % 2 == 0 ? 1 : -1);
        loaded = g_get_monotonic_time ();
        wait_for_frame ();
        if (pass == 0)
          {
            switch_ms[i] = (g_get_monotonic_time () - start) / 1000.0;
            load_ms[i] = (loaded - start) / 1000.0;
          }
        else
          {
            rapid_ms[i] = (g_get_monotonic_time () - start) / 1000.0;
            rapid_load_ms[i] = (loaded - start) / 1000.0;
          }
      }

  bench_emit ("planner-week-switch",
              "\"employees\": %u, \"runs\": %d, \"median_ms\": %.2f, \"load_median_ms\": %.2f, "
              "\"draw_median_ms\": %.2f, \"target_ms\": 16, \"ratio_to_target\": %.3f",
              employees, SWITCHES, bench_median (switch_ms, SWITCHES), bench_median (load_ms, SWITCHES),
              bench_median (switch_ms, SWITCHES) - bench_median (load_ms, SWITCHES),
              bench_median (switch_ms, SWITCHES) / 16.0);
  bench_emit ("planner-week-switch-held-key",
              "\"employees\": %u, \"runs\": %d, \"median_ms\": %.2f, \"load_median_ms\": %.2f, "
              "\"target_ms\": 16, \"ratio_to_target\": %.3f",
              employees, SWITCHES, bench_median (rapid_ms, SWITCHES), bench_median (rapid_load_ms, SWITCHES),
              bench_median (rapid_ms, SWITCHES) / 16.0);
  bench_emit ("planner-start-to-first-frame",
              "\"runs\": %d, \"median_ms\": %.1f, \"binary_only_median_ms\": %.1f, \"target_ms\": 500, "
              "\"ratio_to_target\": %.3f, \"ratio_to_binary_only\": %.2f",
              STARTS, bench_median (start_ms, STARTS), bench_median (bare_ms, STARTS),
              bench_median (start_ms, STARTS) / 500.0,
              bench_median (start_ms, STARTS) / bench_median (bare_ms, STARTS));
  bench_emit ("planner-resident-memory",
              "\"renderer\": \"cairo\", \"runs\": %d, \"median_mb\": %.1f, \"target_mb\": 250, \"ratio_to_target\": %.3f",
              STARTS, bench_median (rss_mb, STARTS), bench_median (rss_mb, STARTS) / 250.0);
  /* GTK's default renderer: on Xvfb that is OpenGL in software (Mesa's
   * llvmpipe), whose own buffers are most of the difference. */
  bench_emit ("planner-resident-memory-gl",
              "\"renderer\": \"gl\", \"runs\": %d, \"median_mb\": %.1f, \"start_median_ms\": %.1f, "
              "\"target_mb\": 250, \"ratio_to_target\": %.3f",
              STARTS, bench_median (gl_mb, STARTS), bench_median (gl_ms, STARTS), bench_median (gl_mb, STARTS) / 250.0);

  gtk_window_destroy (GTK_WINDOW (window));
  if (dir != NULL)
    {
      rota_store_delete_files (path, NULL);
      g_rmdir (dir);
    }

  return 0;
}
