/* gui-testlib.c: what the GUI tests share
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <stdlib.h>
#include <string.h>

#include "gui-testlib.h"
#include "rota-demo.h"
#include "rota-time.h"

static Window focused_xid;

static void run (const char * const *argv);

/* Moves the pointer to the screen's bottom right corner, which the tests'
 * windows leave free. */
static void
park_pointer (void)
{
  run ((const char * const []) { "xdotool", "mousemove", "1399", "899", NULL });
}

/**
 * gui_test_init:
 *
 * gtk_test_init() and adw_init(). Without a display this fails the test
 * loudly: the test command always runs the GUI suite under Xvfb.
 */
void
gui_test_init (int    *argc,
               char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("Bail out! No display: run the GUI suite under xvfb-run (build-aux/rota-test does)\n");
      exit (1);
    }

  /* Real key events come from xdotool through the X server. */
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  park_pointer ();
  g_test_set_nonfatal_assertions ();
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @milliseconds. */
void
gui_test_iterate (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @done says so; FALSE after @timeout_ms. */
gboolean
gui_test_wait_for (gboolean (*done) (gpointer),
                   gpointer   data,
                   guint      timeout_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > until)
        return FALSE;
      gui_test_iterate (10);
    }

  return TRUE;
}

static void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s %s: %s (%s)", argv[0], argv[1], error->message, err ? err : "");
}

/**
 * gui_test_screenshot:
 * @name: the file's name, without ".png"
 *
 * Saves the whole screen with ImageMagick's `import -window root` into
 * $ROTA_TEST_SCREENSHOTS.
 *
 * Returns: (transfer full): the file's path
 */
char *
gui_test_screenshot (const char *name)
{
  const char *dir = g_getenv ("ROTA_TEST_SCREENSHOTS");
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file, NULL);

  /* Let the last frame reach the X server. */
  gui_test_iterate (150);
  run ((const char * const []) { "import", "-window", "root", path, NULL });
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("screenshot: %s", path);

  return path;
}

/**
 * gui_test_demo_store:
 * @dir: a folder for the file
 * @n_employees: how many people
 * @first_week: the Monday of the first of four weeks
 *
 * Returns: (transfer full): a store with demo data in @dir/demo.sqlite
 */
RotaStore *
gui_test_demo_store (const char *dir,
                     guint       n_employees,
                     const char *first_week)
{
  g_autofree char *path = g_build_filename (dir, "demo.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  RotaDemoOptions options;
  gint64 now;

  now = rota_time_from_local (rota_time_zone_get (NULL), first_week, 12 * 60);
  rota_demo_options_init (&options, now);
  g_strlcpy (options.first_week, first_week, sizeof options.first_week);
  options.n_employees = n_employees;
  options.n_weeks = 4;

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (rota_demo_fill_store (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

/**
 * gui_test_focus:
 *
 * Gives @window the X input focus, as a window manager would; Xvfb runs
 * none. Key events from gui_test_keys() then go to it.
 */
void
gui_test_focus (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  focused_xid = gdk_x11_surface_get_xid (surface);
  xid = g_strdup_printf ("%lu", (gulong) focused_xid);
  /* The pointer goes to a corner no window covers: a pointer resting on a
   * widget starts GTK 4.8's tooltip timer, which then asks a window that a
   * test has closed meanwhile where the pointer is (a critical). */
  park_pointer ();
  run ((const char * const []) { "xdotool", "windowfocus", "--sync", xid, NULL });
  gui_test_iterate (100);
}

/**
 * gui_test_keys:
 * @keys: xdotool key names, such as "ctrl+Right" or "Return"
 *
 * Presses keys through the X server (XTEST), so they take the same way as
 * a person's, and waits until they are handled.
 */
void
gui_test_keys (const char *keys)
{
  g_auto(GStrv) names = g_strsplit (keys, " ", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (*names[i] == '\0')
        continue;
      run ((const char * const []) { "xdotool", "key", "--clearmodifiers", names[i], NULL });
      gui_test_iterate (60);
    }
}

/* Types @text through the X server. */
void
gui_test_type (const char *text)
{
  run ((const char * const []) { "xdotool", "type", "--delay", "30", text, NULL });
  gui_test_iterate (100);
}

/**
 * gui_test_close:
 *
 * Takes the focus and the pointer off @window, lets a pending tooltip go,
 * then destroys it. GTK 4.8 keeps the tooltip's state per display: a
 * window destroyed while its keyboard tooltip is due leaves a timer that
 * asks the gone surface for the pointer in the next test (a critical).
 */
void
gui_test_close (GtkWindow *window)
{
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gui_test_iterate (100);
  gtk_window_destroy (window);
  gui_test_iterate (50);
}

/* Where a point of @widget is on the screen: Xvfb runs no window manager,
 * so the window's X position is where GTK put it. */
static void
screen_point (GtkWidget *widget,
              double     x,
              double     y,
              int       *sx,
              int       *sy)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  graphene_point_t point;
  double nx, ny;
  int wx = 0, wy = 0;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &nx, &ny);
  {
    g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
    g_autofree char *out = NULL;
    const char *argv[] = { "xdotool", "getwindowgeometry", "--shell", xid, NULL };
    const char *line;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &out, NULL, &status, NULL));
    g_assert_nonnull (line = strstr (out, "X="));
    wx = atoi (line + 2);
    g_assert_nonnull (line = strstr (out, "Y="));
    wy = atoi (line + 2);
  }
  *sx = wx + (int) (point.x + nx);
  *sy = wy + (int) (point.y + ny);
}

/**
 * gui_test_drag:
 *
 * Drags with the first mouse button, through the X server, from a point of
 * @widget to a point of @to_widget, in steps, as a hand would.
 */
void
gui_test_drag (GtkWidget *widget,
               double     from_x,
               double     from_y,
               GtkWidget *to_widget,
               double     to_x,
               double     to_y)
{
  int x1, y1, x2, y2;

  screen_point (widget, from_x, from_y, &x1, &y1);
  screen_point (to_widget, to_x, to_y, &x2, &y2);

  for (int step = 0; step <= 10; step++)
    {
      g_autofree char *x = g_strdup_printf ("%d", x1 + (x2 - x1) * step / 10);
      g_autofree char *y = g_strdup_printf ("%d", y1 + (y2 - y1) * step / 10);

      run ((const char * const []) { "xdotool", "mousemove", x, y, NULL });
      if (step == 0)
        {
          gui_test_iterate (50);
          run ((const char * const []) { "xdotool", "mousedown", "1", NULL });
        }
      gui_test_iterate (40);
    }
  run ((const char * const []) { "xdotool", "mouseup", "1", NULL });
  gui_test_iterate (200);
  park_pointer ();
  gui_test_iterate (50);
}
