/* bench-punches.c: the Punches page with a year of the standard large tenant
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Filtering and searching a year of punches of the large tenant (2,000
 * employees), in a window on the Punches page, as JSON lines (issue 6):
 *  - reading the year, from choosing the period (or reloading it) to the
 *    page's "loaded", median of 3; no target;
 *  - a keystroke in the search: the first characters of a real
 *    employee's last name typed one at a time and deleted again, each
 *    from setting the entry's text and filtering (the entry's own 150 ms
 *    delay is not work, so the filter is applied at once) to the next
 *    frame drawn; median and p95 over every keystroke of several rounds,
 *    target 50 ms; the filtering alone beside it. Once with the status
 *    the page opens with (Needs review) and once with All, the most rows;
 *  - switching the status (Needs review → All → Approved → Needs review)
 *    and the department (a few, then all of them, with Needs review and
 *    with All) as a click does, to the next frame drawn; target 50 ms.
 *
 * Runs under Xvfb (build-aux/rota-bench provides one). Set
 * ROTA_BENCH_LARGE_STORE to a store made by `rotactl demo --large` to skip
 * making one (about 30 s).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "bench-common.h"
#include "rota-demo.h"
#include "rota-employee.h"
#include "rota-punches-page.h"
#include "rota-time.h"
#include "rota-window.h"

#define LOAD_RUNS       3
#define KEY_ROUNDS      5
#define KEY_ROUNDS_ALL  3
#define SWITCH_ROUNDS   5
#define DEPT_ROUNDS     3
#define DEPARTMENTS     4
#define TYPED           6
#define TYPING_PAUSE_MS 200
#define SWITCH_PAUSE_MS 400
#define TARGET_MS       50.0

static gboolean painted;
static gboolean loaded;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

static void
loaded_cb (RotaPunchesPage *page,
           gpointer         data)
{
  loaded = TRUE;
}

static void
wait_for_frame (void)
{
  painted = FALSE;
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_load (void)
{
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
}

/* A person's pace: the main loop runs, as it would between two keys. */
static void
pause_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Nearest rank; sorts @values. */
static double
percentile (double *values,
            guint   n,
            double  p)
{
  guint rank = (guint) ceil (p * n);

  qsort (values, n, sizeof *values, bench_compare_doubles);

  return values[MAX (rank, 1) - 1];
}

static double
median_of_copy (const double *values,
                guint         n)
{
  g_autofree double *copy = g_memdup2 (values, n * sizeof *values);

  return bench_median (copy, n);
}

/* The @nth widget of @type under @widget, depth first. */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type,
                 guint     *nth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (*nth)-- == 0)
        return child;
      if ((found = find_descendant (child, type, nth)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_nth (GtkWidget *widget,
          GType      type,
          guint      nth)
{
  GtkWidget *found = find_descendant (widget, type, &nth);

  g_assert_nonnull (found);

  return found;
}

/* A day in the middle of the demo's 52 weeks, which end this week: its
 * calendar year holds at least half a year of punches (all of it but
 * December, at the end of November). */
static char *
middle_day (void)
{
  RotaDemoOptions options;

  rota_demo_options_init_large (&options, rota_time_now ());

  return rota_date_add_days (options.first_week, 26 * 7 + 2);
}

/* One period read: from asking to "loaded", then to the frame drawn. */
static double
time_load (RotaPunchesPage *page,
           gboolean         first,
           double          *frame_ms)
{
  gint64 start;
  double ms;

  loaded = FALSE;
  start = g_get_monotonic_time ();
  if (first)
    rota_punches_page_set_period (page, "year");
  else
    rota_punches_page_reload (page);
  g_assert_true (rota_punches_page_get_loading (page));
  wait_for_load ();
  ms = ms_since (start);
  start = g_get_monotonic_time ();
  wait_for_frame ();
  *frame_ms = ms_since (start);

  return ms;
}

/* Types @prefix and deletes it again, a character at a time; each
 * keystroke's time to the next frame goes to @key_ms, its filtering to
 * @filter_ms. Returns the number of keystrokes. */
static guint
type_and_delete (RotaPunchesPage *page,
                 GtkEditable     *entry,
                 const char      *prefix,
                 double          *key_ms,
                 double          *filter_ms)
{
  glong n_chars = g_utf8_strlen (prefix, -1);
  guint n = 0;

  for (glong step = 1; step <= 2 * n_chars; step++)
    {
      glong length = step <= n_chars ? step : 2 * n_chars - step;
      g_autofree char *text = g_strndup (prefix, g_utf8_offset_to_pointer (prefix, length) - prefix);
      gint64 start, filter_start;

      pause_for (TYPING_PAUSE_MS);
      start = g_get_monotonic_time ();
      gtk_editable_set_text (entry, text);
      filter_start = g_get_monotonic_time ();
      rota_punches_page_apply_filter (page);
      filter_ms[n] = ms_since (filter_start);
      wait_for_frame ();
      key_ms[n] = ms_since (start);
      n++;
    }

  return n;
}

static void
emit_keystrokes (const char *name,
                 const char *status,
                 const char *prefix,
                 guint       rounds,
                 guint       per_round,
                 double     *key_ms,
                 double     *filter_ms)
{
  guint n = rounds * per_round;
  g_autoptr(GString) round_medians = g_string_new (NULL);
  double median, p95, filter_median, filter_p95;

  for (guint r = 0; r < rounds; r++)
    g_string_append_printf (round_medians, "%s%.2f", r ? ", " : "", median_of_copy (key_ms + r * per_round, per_round));
  median = median_of_copy (key_ms, n);
  p95 = percentile (key_ms, n, 0.95);
  filter_median = median_of_copy (filter_ms, n);
  filter_p95 = percentile (filter_ms, n, 0.95);

  bench_emit (name,
              "\"status\": \"%s\", \"search\": \"%s\", \"rounds\": %u, \"runs\": %u, \"median_ms\": %.2f, "
              "\"p95_ms\": %.2f, \"filter_median_ms\": %.2f, \"filter_p95_ms\": %.2f, "
              "\"round_medians_ms\": [%s], \"target_ms\": %.0f, \"ratio_to_target\": %.3f, "
              "\"p95_ratio_to_target\": %.3f",
              status, prefix, rounds, n, median, p95, filter_median, filter_p95, round_medians->str,
              TARGET_MS, median / TARGET_MS, p95 / TARGET_MS);
}

/* A switch as a click makes it, to the next frame; @change_ms gets the
 * part in the signal handlers (the page filters there, at once). */
static double
time_switch (GtkWidget *widget,
             guint      value,
             double    *change_ms)
{
  gint64 start;

  pause_for (SWITCH_PAUSE_MS);
  start = g_get_monotonic_time ();
  if (GTK_IS_CHECK_BUTTON (widget))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), TRUE);
  else
    gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), value);
  *change_ms = ms_since (start);
  wait_for_frame ();

  return ms_since (start);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *day = middle_day ();
  g_autofree char *prefix = NULL;
  double load_ms[LOAD_RUNS], load_frame_ms[LOAD_RUNS];
  double key_ms[KEY_ROUNDS * 2 * TYPED], key_filter_ms[KEY_ROUNDS * 2 * TYPED];
  double all_key_ms[KEY_ROUNDS_ALL * 2 * TYPED], all_filter_ms[KEY_ROUNDS_ALL * 2 * TYPED];
  double status_ms[SWITCH_ROUNDS * 3], status_change_ms[SWITCH_ROUNDS * 3];
  double dept_ms[2][DEPT_ROUNDS * (DEPARTMENTS + 1)], dept_change_ms[2][DEPT_ROUNDS * (DEPARTMENTS + 1)];
  double switch_ms[G_N_ELEMENTS (status_ms) + 2 * G_N_ELEMENTS (dept_ms[0])];
  double switch_change_ms[G_N_ELEMENTS (switch_ms)];
  guint per_round = 0, n_switches = 0;
  guint days, days_to_review, n_departments;
  RotaWindow *window;
  RotaPunchesPage *page;
  RotaPunchList *list;
  GtkWidget *checks[3];
  GtkWidget *department_dropdown;
  GtkEditable *entry;
  GdkFrameClock *clock;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("bench-punches: no display; run it under xvfb-run (build-aux/rota-bench does)\n");
      return 1;
    }

  gtk_init ();
  adw_init ();

  path = bench_large_store ("rota-bench-punches", NULL, &dir);

  window = rota_window_new (NULL);
  rota_window_set_first_day (window, day);
  rota_window_open_workspace (window, path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  page = ROTA_PUNCHES_PAGE (rota_window_get_punches_page (window));
  list = rota_punches_page_get_list (page);
  g_signal_connect (page, "loaded", G_CALLBACK (loaded_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  wait_for_frame ();

  /* The page opens on the month of @day; the year is read after it. */
  loaded = FALSE;
  rota_window_show_page (window, "punches");
  wait_for_load ();
  wait_for_frame ();

  /* The search entry, the status buttons (Needs review, All, Approved)
   * and the department list are the page's own: found in its tree. */
  entry = GTK_EDITABLE (find_nth (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY, 0));
  for (guint i = 0; i < 3; i++)
    checks[i] = find_nth (GTK_WIDGET (page), GTK_TYPE_CHECK_BUTTON, i);
  g_assert_true (g_str_has_prefix (gtk_check_button_get_label (GTK_CHECK_BUTTON (checks[0])), "_Needs review"));
  g_assert_true (g_str_has_prefix (gtk_check_button_get_label (GTK_CHECK_BUTTON (checks[1])), "A_ll"));
  g_assert_true (g_str_has_prefix (gtk_check_button_get_label (GTK_CHECK_BUTTON (checks[2])), "Appro_ved"));
  department_dropdown = find_nth (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (department_dropdown))), 0),
                   ==, "All departments");

  /* The entry filters 150 ms after a change (at once when it is emptied);
   * here each keystroke filters at once, so that wait is not counted and
   * an emptied entry does not filter twice. */
  g_assert_cmpuint (g_signal_handlers_block_matched (entry, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                                     g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY),
                                                     0, NULL, NULL, page), ==, 1);

  /* 1. Reading the year. */
  for (guint i = 0; i < LOAD_RUNS; i++)
    load_ms[i] = time_load (page, i == 0, &load_frame_ms[i]);
  qsort (load_ms, LOAD_RUNS, sizeof *load_ms, bench_compare_doubles);
  days = rota_punch_list_count (list, ROTA_PUNCH_FILTER_ALL);
  days_to_review = rota_punch_list_count (list, ROTA_PUNCH_FILTER_NEEDS_REVIEW);
  g_printerr ("%s: %u days, %u to review, %u rows shown\n", rota_punches_page_get_title (page), days,
              days_to_review, g_list_model_get_n_items (G_LIST_MODEL (list)));
  bench_emit ("punches-year-load",
              "\"period\": \"%s\", \"days\": %u, \"days_to_review\": %u, \"runs\": %d, \"median_ms\": %.1f, "
              "\"min_ms\": %.1f, \"max_ms\": %.1f, \"frame_after_load_median_ms\": %.1f",
              rota_punches_page_get_title (page), days, days_to_review, LOAD_RUNS,
              median_of_copy (load_ms, LOAD_RUNS), load_ms[0], load_ms[LOAD_RUNS - 1],
              median_of_copy (load_frame_ms, LOAD_RUNS));
  pause_for (500);

  /* The name typed: the last name of the employee of the middle row. */
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
    g_autoptr(RotaPunchItem) item = g_list_model_get_item (G_LIST_MODEL (list), n / 2);
    const char *last_name;

    g_assert_nonnull (item);
    last_name = rota_employee_get_last_name (rota_punch_item_get_employee (item));
    prefix = g_strndup (last_name, g_utf8_offset_to_pointer (last_name, MIN (g_utf8_strlen (last_name, -1), TYPED))
                                   - last_name);
  }

  /* 2. Keystrokes, with the status the page opens with. */
  for (guint r = 0; r < KEY_ROUNDS; r++)
    per_round = type_and_delete (page, entry, prefix, key_ms + r * per_round, key_filter_ms + r * per_round);

  /* 3. The status, then the department with Needs review and with All. */
  for (guint r = 0; r < SWITCH_ROUNDS; r++)
    for (guint i = 0; i < 3; i++)
      {
        guint k = r * 3 + i;

        status_ms[k] = time_switch (checks[(i + 1) % 3], 0, &status_change_ms[k]);
        switch_ms[n_switches] = status_ms[k];
        switch_change_ms[n_switches++] = status_change_ms[k];
      }

  n_departments = g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (department_dropdown))) - 1;
  g_assert_cmpuint (n_departments, >=, DEPARTMENTS);
  for (guint pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          gtk_check_button_set_active (GTK_CHECK_BUTTON (checks[1]), TRUE);
          wait_for_frame ();
        }
      for (guint r = 0; r < DEPT_ROUNDS; r++)
        for (guint i = 0; i <= DEPARTMENTS; i++)
          {
            guint k = r * (DEPARTMENTS + 1) + i;
            /* Departments spread over the list, then all of them (0). */
            guint selected = i < DEPARTMENTS ? 1 + i * n_departments / DEPARTMENTS : 0;

            dept_ms[pass][k] = time_switch (department_dropdown, selected, &dept_change_ms[pass][k]);
            switch_ms[n_switches] = dept_ms[pass][k];
            switch_change_ms[n_switches++] = dept_change_ms[pass][k];
          }
    }
  g_assert_cmpuint (n_switches, ==, G_N_ELEMENTS (switch_ms));

  /* 4. Keystrokes again with All: every day of the year is a row. */
  for (guint r = 0; r < KEY_ROUNDS_ALL; r++)
    type_and_delete (page, entry, prefix, all_key_ms + r * per_round, all_filter_ms + r * per_round);

  emit_keystrokes ("punches-search-keystroke", "needs-review", prefix, KEY_ROUNDS, per_round,
                   key_ms, key_filter_ms);
  emit_keystrokes ("punches-search-keystroke-all", "all", prefix, KEY_ROUNDS_ALL, per_round,
                   all_key_ms, all_filter_ms);
  bench_emit ("punches-filter-switch",
              "\"runs\": %u, \"median_ms\": %.2f, \"p95_ms\": %.2f, \"change_median_ms\": %.2f, "
              "\"status_median_ms\": %.2f, \"status_change_median_ms\": %.2f, "
              "\"department_review_median_ms\": %.2f, \"department_all_median_ms\": %.2f, "
              "\"department_all_change_median_ms\": %.2f, \"target_ms\": %.0f, \"ratio_to_target\": %.3f, "
              "\"p95_ratio_to_target\": %.3f",
              n_switches, median_of_copy (switch_ms, n_switches), percentile (switch_ms, n_switches, 0.95),
              median_of_copy (switch_change_ms, n_switches),
              median_of_copy (status_ms, G_N_ELEMENTS (status_ms)),
              median_of_copy (status_change_ms, G_N_ELEMENTS (status_ms)),
              median_of_copy (dept_ms[0], G_N_ELEMENTS (dept_ms[0])),
              median_of_copy (dept_ms[1], G_N_ELEMENTS (dept_ms[1])),
              median_of_copy (dept_change_ms[1], G_N_ELEMENTS (dept_ms[1])),
              TARGET_MS, median_of_copy (switch_ms, n_switches) / TARGET_MS,
              percentile (switch_ms, n_switches, 0.95) / TARGET_MS);

  gtk_window_destroy (GTK_WINDOW (window));
  if (dir != NULL)
    {
      rota_store_delete_files (path, NULL);
      g_rmdir (dir);
    }

  return 0;
}
