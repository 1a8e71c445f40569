/* test-kiosk.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The kiosk as it runs on a back-office PC: the real `rota --kiosk`
 * process with a credential file, a real rota-server over loopback TLS,
 * Xvfb, and keys typed through the X server as a keyboard-wedge badge
 * reader types them (xdotool, a few milliseconds apart, then Enter).
 *
 * - A badge clocks its employee in, online.
 * - With the server stopped, three employees clock in and out; the app is
 *   killed with SIGKILL and started again; the six punches are still
 *   queued; the server comes back, and every punch arrives exactly once,
 *   in device order.
 * - A token that may do more than clock in and out is refused at start.
 * - The kiosk window holds nothing of the Planner or the Punches page: its
 *   accessible tree (GTK_A11Y=test, in this process) is checked.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "gui-testlib.h"
#include "rota-employee.h"
#include "rota-kiosk.h"
#include "rota-kiosk-window.h"
#include "rota-punch.h"
#include "rota-store.h"
#include "server-harness.h"

#define MANAGER_PIN "2468"

typedef struct
{
  char        *dir;
  char        *data_dir;
  char        *ca;
  char        *cert;
  char        *key;
  char        *base;
  char        *credentials;
  GSubprocess *server;
  GSubprocess *app;
} Fixture;

static void
server_start (Fixture *f)
{
  f->server = harness_serve_tls (f->data_dir, f->cert, f->key, &f->base);
}

static void
server_stop (Fixture *f)
{
  harness_stop_server (&f->server);
}

static void
write_credentials (Fixture    *f,
                   const char *path,
                   const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin_hash = rota_pin_hash (MANAGER_PIN, 1000);
  RotaKioskCredentials credentials = {
    .server = f->base,
    .tenant = (char *) "alpha",
    .token = (char *) token,
    .ca_file = f->ca,
    .device = (char *) "front-desk",
    .manager_pin_hash = pin_hash,
  };

  g_assert_true (rota_kiosk_credentials_write (path, &credentials, &error));
  g_assert_no_error (error);
}

static void
xdo (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* The kiosk window, found and given the input focus (no window manager). */
static void
focus_kiosk (void)
{
  xdo ((const char * const []) { "xdotool", "search", "--sync", "--onlyvisible", "--name", "Rota Kiosk",
                                 "windowfocus", "--sync", NULL });
}

/* A keyboard-wedge reader: the characters a few ms apart, then Enter. */
static void
scan (const char *badge)
{
  xdo ((const char * const []) { "xdotool", "type", "--delay", "5", badge, NULL });
  xdo ((const char * const []) { "xdotool", "key", "Return", NULL });
  gui_test_iterate (250);
}

static void
press_return (void)
{
  xdo ((const char * const []) { "xdotool", "key", "Return", NULL });
  gui_test_iterate (250);
}

static char *
kiosk_store_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "rota", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, "kiosk-") && g_str_has_suffix (name, ".sqlite"))
      return g_build_filename (dir, name, NULL);

  return NULL;
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (path == NULL || sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return -1;
    }
  sqlite3_busy_timeout (db, 2000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

typedef struct
{
  const char *sql;
  gint64      wanted;
} Until;

static gboolean
store_says (gpointer data)
{
  Until *until = data;
  g_autofree char *path = kiosk_store_path ();

  return query_int (path, until->sql) == until->wanted;
}

static void
wait_store (const char *sql,
            gint64      wanted,
            guint       timeout_ms)
{
  Until until = { sql, wanted };
  g_autofree char *path = NULL;

  if (!gui_test_wait_for (store_says, &until, timeout_ms))
    {
      path = kiosk_store_path ();
      g_error ("waited for %s = %" G_GINT64_FORMAT ", it is %" G_GINT64_FORMAT, sql, wanted, query_int (path, sql));
    }
}

static void
start_app (Fixture    *f,
           const char *credentials)
{
  g_autoptr(GError) error = NULL;
  const char *app = g_getenv ("ROTA_APP");

  g_assert_nonnull (app);
  f->app = g_subprocess_newv ((const char * const []) { app, "--kiosk", "--credential-file", credentials, NULL },
                              G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  focus_kiosk ();
  gui_test_iterate (500);
}

/* The badges of the tenant's first employees, as the kiosk's cache has them. */
static GPtrArray *
badges (guint n)
{
  g_autofree char *path = kiosk_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (path, 0, &error);
  g_autoptr(GPtrArray) employees = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < employees->len && found->len < n; i++)
    {
      const char * const *cards = rota_employee_get_card_numbers (g_ptr_array_index (employees, i));

      if (cards != NULL && cards[0] != NULL)
        g_ptr_array_add (found, g_strdup (cards[0]));
    }
  rota_store_close (store);
  g_assert_cmpuint (found->len, ==, n);

  return found;
}

static GHashTable *
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GHashTable *tokens;

  f->dir = g_dir_make_tmp ("rota-kiosk-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  harness_make_certificates (f->dir, &f->ca, &f->cert, &f->key);
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", f->data_dir, "init", NULL));
  tokens = harness_demo_tokens (f->data_dir, "alpha", "8", "2");
  server_start (f);
  f->credentials = g_build_filename (f->dir, "kiosk.ini", NULL);
  write_credentials (f, f->credentials, g_hash_table_lookup (tokens, "clock"));

  return tokens;
}

static void
fixture_tear_down (Fixture *f)
{
  g_autofree char *store_path = kiosk_store_path ();

  if (f->app != NULL)
    {
      g_subprocess_send_signal (f->app, SIGKILL);
      g_subprocess_wait (f->app, NULL, NULL);
      g_clear_object (&f->app);
    }
  if (f->server != NULL)
    server_stop (f);
  harness_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->ca);
  g_free (f->cert);
  g_free (f->key);
  g_free (f->base);
  g_free (f->credentials);
  /* The next test's kiosk starts with a cache of its own. */
  if (store_path != NULL)
    {
      g_autofree char *check = g_strconcat (store_path, ".token-check", NULL);

      g_unlink (store_path);
      g_unlink (check);
    }
}

static void
kill_app (Fixture *f)
{
  g_subprocess_send_signal (f->app, SIGKILL);
  g_subprocess_wait (f->app, NULL, NULL);
  g_clear_object (&f->app);
}

static void
type_slowly (const char *text)
{
  /* A person: far slower than a badge reader. */
  xdo ((const char * const []) { "xdotool", "type", "--delay", "150", text, NULL });
  gui_test_iterate (300);
}

static char *
tenant_personnel_number (Fixture    *f,
                         const char *employee_id)
{
  g_autofree char *path = g_build_filename (f->data_dir, "tenants", "alpha.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *number = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 2000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT personnel_number FROM employee WHERE id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, employee_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    number = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return number;
}

/* Ten wrong PINs: the waits grow, then the PIN is locked, and stays so
 * after SIGKILL and a restart; a manager's PIN unlocks it (audited) and
 * the right PIN then works. */
static void
test_pin_lockout (void)
{
  Fixture f = { NULL, };
  g_autoptr(GHashTable) tokens = fixture_set_up (&f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *store_path = NULL;
  g_autofree char *employee_id = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *right_pin = NULL;
  g_autofree char *failures_sql = NULL;
  g_autofree char *hash = rota_pin_hash (MANAGER_PIN, 1000);

  start_app (&f, f.credentials);
  wait_store ("SELECT count(*) > 0 FROM employee", 1, 30000);
  store_path = kiosk_store_path ();

  /* Someone with a PIN: the demo's is the last four digits of the
   * personnel number. */
  {
    g_autoptr(RotaStore) store = rota_store_open (store_path, 0, &error);
    g_autoptr(GPtrArray) employees = NULL;

    g_assert_no_error (error);
    employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < employees->len && employee_id == NULL; i++)
      {
        RotaEmployee *employee = g_ptr_array_index (employees, i);
        const char *number = rota_employee_get_personnel_number (employee);

        g_autofree char *from_server = NULL;

        /* A kiosk is not told personnel numbers: the server's file is. */
        if (number == NULL)
          number = from_server = tenant_personnel_number (&f, rota_entity_get_id (ROTA_ENTITY (employee)));
        if (rota_employee_get_kiosk_pin_hash (employee) == NULL || number == NULL || strlen (number) < 4)
          continue;
        employee_id = g_strdup (rota_entity_get_id (ROTA_ENTITY (employee)));
        last_name = g_strdup (rota_employee_get_last_name (employee));
        right_pin = g_strdup (number + strlen (number) - 4);
      }
    rota_store_close (store);
  }
  g_assert_nonnull (employee_id);
  failures_sql = g_strdup_printf ("SELECT CAST (value AS INTEGER) FROM local_state WHERE key = 'kiosk.pin.employee.%s'",
                                  employee_id);


  for (int n = 1; n <= ROTA_KIOSK_MAX_FAILURES; n++)
    {
      g_autoptr(RotaStore) store = NULL;
      g_autoptr(RotaKiosk) reader = NULL;
      gint64 wait;

      /* From the start each time: a long wait sends an idle kiosk back. */
      xdo ((const char * const []) { "xdotool", "key", "Escape", NULL });
      type_slowly (last_name);
      press_return ();
      type_slowly ("9999");
      press_return ();
      wait_store (failures_sql, n, 10000);

      /* What the kiosk makes the next person wait, from its own store. */
      store = rota_store_open (store_path, 0, &error);
      g_assert_no_error (error);
      reader = rota_kiosk_new (store, NULL, "front-desk", hash);
      wait = n < ROTA_KIOSK_MAX_FAILURES ? rota_kiosk_get_pin_delay (reader, employee_id) : 0;
      g_assert_cmpint (rota_kiosk_get_locked_out (reader, employee_id), ==, n >= ROTA_KIOSK_MAX_FAILURES);
      g_clear_object (&reader);
      rota_store_close (store);
      g_test_message ("after %d wrong PINs: wait %" G_GINT64_FORMAT " ms", n, wait);
      g_array_append_val (waits, wait);
      if (n == 1)
        gui_test_screenshot ("kiosk-pin-wrong");
      if (n == 4)
        gui_test_screenshot ("kiosk-pin-throttled");
      gui_test_iterate (wait + 800);
    }

  /* The waits grow: never shorter than the one before, and longer at the end. */
  for (guint i = 1; i + 1 < waits->len; i++)
    g_assert_cmpint (g_array_index (waits, gint64, i), >=, g_array_index (waits, gint64, i - 1) - 500);
  g_assert_cmpint (g_array_index (waits, gint64, waits->len - 2), >, g_array_index (waits, gint64, 2) + 1000);
  gui_test_screenshot ("kiosk-pin-locked");

  /* Killed and started again: still locked. */
  kill_app (&f);
  start_app (&f, f.credentials);
  type_slowly (last_name);
  press_return ();
  gui_test_iterate (300);
  g_assert_cmpint (query_int (store_path, "SELECT count(*) FROM punch"), ==, 0);
  g_assert_cmpint (query_int (store_path, failures_sql), ==, ROTA_KIOSK_MAX_FAILURES);
  gui_test_screenshot ("kiosk-pin-locked-after-restart");

  /* The manager unlocks it, and that is in the audit trail; then the
   * right PIN leads to the punch screen. */
  press_return ();                       /* "Manager Unlock…" has the focus */
  type_slowly (MANAGER_PIN);
  press_return ();
  wait_store ("SELECT count(*) FROM audit WHERE action = 'pin_unlock'", 1, 10000);
  type_slowly (right_pin);
  press_return ();
  press_return ();                       /* Clock In */
  wait_store ("SELECT count(*) FROM punch", 1, 10000);
  gui_test_screenshot ("kiosk-pin-unlocked");

  fixture_tear_down (&f);
}

static void
test_offline_queue (void)
{
  Fixture f = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tokens = fixture_set_up (&f);
  g_autoptr(GPtrArray) cards = NULL;
  g_autofree char *tenant_db = NULL;
  g_autofree char *store_path = NULL;

  /* A token that may do more is refused, with a reason, before any window. */
  {
    g_autofree char *broad = g_build_filename (f.dir, "broad.ini", NULL);
    g_autoptr(GSubprocess) refused = NULL;
    g_autofree char *err = NULL;

    write_credentials (&f, broad, g_hash_table_lookup (tokens, "hours:write"));
    refused = g_subprocess_newv ((const char * const []) { g_getenv ("ROTA_APP"), "--kiosk", "--credential-file",
                                                           broad, NULL },
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (refused, NULL, NULL, NULL, &err, &error));
    g_assert_no_error (error);
    g_test_message ("refused: %s", err);
    g_assert_cmpint (g_subprocess_get_exit_status (refused), ==, 1);
    g_assert_nonnull (strstr (err, "clock"));
    g_assert_null (kiosk_store_path ());
  }

  /* Online: a badge clocks its employee in. */
  start_app (&f, f.credentials);
  wait_store ("SELECT count(*) > 0 FROM employee", 1, 30000);
  store_path = kiosk_store_path ();
  cards = badges (4);
  gui_test_screenshot ("kiosk-start");

  scan (g_ptr_array_index (cards, 0));
  gui_test_screenshot ("kiosk-punch-screen");
  press_return ();
  wait_store ("SELECT count(*) FROM punch WHERE kind = 'in'", 1, 10000);
  gui_test_screenshot ("kiosk-clocked-in");
  wait_store ("SELECT count(*) FROM outbox", 0, 30000);

  /* Offline: three employees in, then out. */
  server_stop (&f);
  for (guint round = 0; round < 2; round++)
    for (guint i = 1; i <= 3; i++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM punch WHERE source = 'kiosk:front-desk'");

        scan (g_ptr_array_index (cards, i));
        press_return ();
        wait_store (sql, 1 + round * 3 + i, 10000);
      }
  wait_store ("SELECT count(*) FROM outbox WHERE kind = 'punch'", 6, 5000);
  gui_test_iterate (1500);
  gui_test_screenshot ("kiosk-offline-queue");

  /* Killed, as a power cut or a crash would, and started again. */
  kill_app (&f);
  g_assert_cmpint (query_int (store_path, "SELECT count(*) FROM outbox WHERE kind = 'punch'"), ==, 6);
  start_app (&f, f.credentials);
  gui_test_iterate (1000);
  g_assert_cmpint (query_int (store_path, "SELECT count(*) FROM outbox WHERE kind = 'punch'"), ==, 6);
  g_assert_cmpint (query_int (store_path, "SELECT count(*) FROM punch"), ==, 7);
  /* Device order: one sequence number each, increasing with time. */
  g_assert_cmpint (query_int (store_path, "SELECT count(DISTINCT device_seq) FROM punch"), ==, 7);
  g_assert_cmpint (query_int (store_path, "SELECT count(*) FROM punch a JOIN punch b "
                                          "ON a.device_seq < b.device_seq AND a.at > b.at"), ==, 0);
  gui_test_screenshot ("kiosk-restarted-offline");

  /* The server is back; the next punch starts a sync, and everything goes. */
  server_start (&f);
  focus_kiosk ();
  scan (g_ptr_array_index (cards, 0));
  press_return ();
  wait_store ("SELECT count(*) FROM punch", 8, 10000);
  wait_store ("SELECT count(*) FROM outbox", 0, 90000);
  gui_test_screenshot ("kiosk-synced");

  kill_app (&f);
  server_stop (&f);

  /* On the server: each punch once, in the order the device made them. */
  tenant_db = g_build_filename (f.data_dir, "tenants", "alpha.sqlite", NULL);
  g_assert_cmpint (query_int (tenant_db, "SELECT count(*) FROM punch WHERE source = 'kiosk:front-desk'"), ==, 8);
  g_assert_cmpint (query_int (tenant_db, "SELECT count(DISTINCT device_seq) FROM punch "
                                         "WHERE source = 'kiosk:front-desk'"), ==, 8);
  g_assert_cmpint (query_int (tenant_db, "SELECT count(*) FROM punch a JOIN punch b "
                                         "ON a.source = 'kiosk:front-desk' AND b.source = a.source "
                                         "AND a.device_seq < b.device_seq AND a.rowid > b.rowid"), ==, 0);
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", f.data_dir, "verify", "alpha", NULL));

  fixture_tear_down (&f);
}

/* Nothing of the Planner or the Punches page, nor a menu, in the kiosk's
 * accessible tree: only its own screens. */
static gboolean
names_forbidden (GtkWidget *widget,
                 GString   *found)
{
  static const char * const forbidden[] = {
    "RotaPlannerPage", "RotaPunchesPage", "AdwViewSwitcherTitle", "GtkMenuButton", "RotaSyncIndicator", NULL
  };
  gboolean bad = g_strv_contains (forbidden, G_OBJECT_TYPE_NAME (widget));

  if (bad)
    g_string_append_printf (found, "%s ", G_OBJECT_TYPE_NAME (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    bad |= names_forbidden (child, found);

  return bad;
}

static void
test_nothing_else (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-kiosk-tree-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "kiosk.sqlite", NULL);
  g_autoptr(RotaStore) store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_autofree char *hash = rota_pin_hash (MANAGER_PIN, 1000);
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  RotaKioskWindow *window;

  g_assert_no_error (error);
  kiosk = rota_kiosk_new (store, NULL, "front-desk", hash);
  window = rota_kiosk_window_new (NULL, kiosk);
  gtk_window_present (GTK_WINDOW (window));
  gui_test_iterate (300);

  /* No title bar, and closing is refused: a manager's PIN is asked. */
  g_assert_false (gtk_window_get_decorated (GTK_WINDOW (window)));
  gtk_window_close (GTK_WINDOW (window));
  gui_test_iterate (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpstr (rota_kiosk_window_get_screen (window), ==, "manager");
  gui_test_screenshot ("kiosk-manager");

  /* Its tree holds no page, switcher or menu of the app. */
  g_assert_false (names_forbidden (GTK_WIDGET (window), found));
  g_assert_cmpstr (found->str, ==, "");

  /* The app's window actions are not there either. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-account", "(ss)", "x", "y"));

  /* Escape or Cancel goes back to the start, and the kiosk stays. */
  rota_kiosk_window_reset (window);
  g_assert_cmpstr (rota_kiosk_window_get_screen (window), ==, "start");

  gui_test_close (GTK_WINDOW (window));
  rota_store_close (store);
  harness_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/nothing-else", test_nothing_else);
  g_test_add_func ("/kiosk/offline-queue", test_offline_queue);
  g_test_add_func ("/kiosk/pin-lockout", test_pin_lockout);

  return g_test_run ();
}
