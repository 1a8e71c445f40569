/* test-window.c: the first start, with no account yet
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "gui-testlib.h"
#include "rota-window.h"

static void
page_changed_cb (GtkStack   *stack,
                 GParamSpec *pspec,
                 gboolean   *loading_seen)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "loading") == 0)
    *loading_seen = TRUE;
}

static gboolean
plan_shown (gpointer data)
{
  return rota_window_get_plan (data) != NULL;
}

/* Found depth first: the first widget of @type that is drawn. */
static GtkWidget *
find_visible (GtkWidget *root,
              GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_mapped (child))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_visible (child, type)) != NULL)
        return found;
    }

  return NULL;
}

/* With no account, the window welcomes and offers the two ways in; the
 * demo data is made with a progress bar, then the Planner shows it. */
static void
test_first_run (void)
{
  g_autofree char *demo = g_build_filename (g_get_user_data_dir (), "rota", "demo.sqlite", NULL);
  RotaWindow *window = rota_window_new (NULL);
  GtkWidget *status, *stack;
  gboolean loading_seen = FALSE;
  RotaPlan *plan;

  g_assert_false (g_file_test (demo, G_FILE_TEST_EXISTS));

  rota_window_open_last (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  gui_test_iterate (300);
  gui_test_focus (GTK_WINDOW (window));

  status = find_visible (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "Welcome to Rota");
  g_assert_null (rota_window_get_plan (window));
  gui_test_screenshot ("window-welcome");

  /* The page with the progress bar shows while the demo is made; it can
   * be too quick to see afterwards, so the stack is watched. */
  stack = gtk_widget_get_ancestor (status, GTK_TYPE_STACK);
  g_assert_nonnull (stack);
  g_signal_connect (stack, "notify::visible-child-name", G_CALLBACK (page_changed_cb), &loading_seen);

  /* Enter on the focused "Try with Demo Data". */
  gui_test_keys ("Return");
  g_assert_true (gui_test_wait_for (plan_shown, window, 120000));
  g_assert_true (loading_seen);
  g_signal_handlers_disconnect_by_data (stack, &loading_seen);

  plan = rota_window_get_plan (window);
  g_assert_cmpuint (g_list_model_get_n_items (rota_plan_get_rows (plan)), >, 10);
  g_assert_true (g_file_test (demo, G_FILE_TEST_IS_REGULAR));
  gui_test_iterate (300);
  gui_test_screenshot ("window-demo-planner");

  gui_test_close (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("rota-window-XXXXXX", &error);

  g_assert_no_error (error);
  /* A home of its own, with no demo workspace yet. */
  g_setenv ("XDG_DATA_HOME", home, TRUE);

  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/window/first-run", test_first_run);

  return g_test_run ();
}
