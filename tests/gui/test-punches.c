/* test-punches.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * HR's day without a network, end to end, with the real parts: a real
 * rota-server over loopback TLS (a CA made for the test), a real
 * gnome-keyring (keyring-session.sh), the app's window under Xvfb, and keys
 * typed through the X server (xdotool).
 *
 * An HR clerk's token ("hours:read hours:write", no planning) syncs once,
 * then the server stops. With the keyboard the clerk finds a day with a
 * missing clock-out (N), corrects it (Enter, a reason, Ctrl+Enter) and
 * approves it (A), and quits. The app starts again: the work is there.
 * The server starts again, Ctrl+R syncs: the server has the correction
 * with its author and reason, the original punches are as they were, the
 * approval is accepted, and `rota-server verify` passes.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "gui-testlib.h"
#include "rota-account.h"
#include "rota-approval.h"
#include "rota-codec.h"
#include "rota-demo.h"
#include "rota-employee.h"
#include "rota-conflict-dialog.h"
#include "rota-punch.h"
#include "rota-punch-analysis.h"
#include "rota-punch-correction.h"
#include "rota-punches-page.h"
#include "rota-sync.h"
#include "rota-time.h"
#include "rota-window.h"
#include "server-harness.h"

#define REASON_TEXT "Left at the planned end, her manager confirmed"

typedef struct
{
  char        *dir;
  char        *data_dir;
  char        *ca;
  char        *cert;
  char        *key;
  char        *token;
  char        *base;
  GSubprocess *server;
} Server;

static void
server_start (Server *s)
{
  s->server = harness_serve_tls (s->data_dir, s->cert, s->key, &s->base);
}

static void
server_stop (Server *s)
{
  harness_stop_server (&s->server);
}

typedef struct
{
  char   *id;
  int     kind;
  gint64  at;
} PunchCopy;

static void
punch_copy_free (PunchCopy *copy)
{
  g_free (copy->id);
  g_free (copy);
}

static GPtrArray *
copy_punches (GPtrArray *punches)
{
  GPtrArray *copies = g_ptr_array_new_with_free_func ((GDestroyNotify) punch_copy_free);

  for (guint i = 0; i < punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (punches, i);
      PunchCopy *copy = g_new0 (PunchCopy, 1);

      copy->id = g_strdup (rota_entity_get_id (ROTA_ENTITY (punch)));
      copy->kind = rota_punch_get_kind (punch);
      copy->at = rota_punch_get_at (punch);
      g_ptr_array_add (copies, copy);
    }

  return copies;
}

static gboolean
page_loaded (gpointer data)
{
  RotaPunchesPage *page = data;

  return !rota_punches_page_get_loading (page) &&
         g_list_model_get_n_items (G_LIST_MODEL (rota_punches_page_get_list (page))) > 0;
}

static RotaPunchItem *
selected_item (RotaPunchesPage *page)
{
  GtkListView *view = GTK_LIST_VIEW (rota_punches_page_get_view (page));
  GtkSelectionModel *model = gtk_list_view_get_model (view);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (model);

  if (gtk_bitset_get_size (selected) != 1)
    return NULL;

  return g_list_model_get_item (G_LIST_MODEL (model), gtk_bitset_get_minimum (selected));
}

static GtkWindow *find_toplevel (const char *type_name);

static GtkWindow *
find_dialog (void)
{
  return find_toplevel ("RotaCorrectionDialog");
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

typedef struct
{
  RotaPunchesPage *page;
  const char      *employee_id;
  const char      *work_date;
  RotaDayFlags     wanted;
  RotaDayFlags     unwanted;
} DayCheck;

static gboolean
day_has (gpointer data)
{
  DayCheck *check = data;
  RotaPunchList *list = rota_punches_page_get_list (check->page);
  guint position = rota_punch_list_find (list, check->employee_id, check->work_date);
  g_autoptr(RotaPunchItem) item = NULL;
  const RotaPunchDay *day;

  if (position == G_MAXUINT)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (list), position);
  day = rota_punch_item_get_day (item);

  return (day->flags & check->wanted) == check->wanted && (day->flags & check->unwanted) == 0;
}

static RotaWindow *
open_app (Server     *s,
          const char *work_date)
{
  RotaWindow *window = rota_window_new (NULL);
  RotaPunchesPage *page = ROTA_PUNCHES_PAGE (rota_window_get_punches_page (window));

  rota_window_set_first_day (window, work_date);
  rota_window_open_account (window, s->base, "alpha");
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_for (page_loaded, page, 30000));
  gui_test_iterate (200);
  gui_test_focus (GTK_WINDOW (window));

  return window;
}

static gint64
outbox_left (const char *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (cache, 0, &error);
  gint64 pending = -1, conflicts = -1, parked = -1;

  g_assert_no_error (error);
  g_assert_true (rota_store_count_outbox (store, &pending, &conflicts, &parked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (conflicts, ==, 0);
  g_assert_cmpint (parked, ==, 0);
  rota_store_close (store);

  return pending;
}

static gboolean
outbox_empty (gpointer data)
{
  gint64 left = outbox_left (data);

  /* What is still there, to tell a failure from a slow sync. */
  if (left > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RotaStore) store = rota_store_open (data, 0, &error);
      g_autoptr(GPtrArray) items = store != NULL ? rota_store_list_outbox (store, NULL) : NULL;

      for (guint i = 0; items != NULL && i < items->len; i++)
        {
          RotaOutboxItem *item = g_ptr_array_index (items, i);

          g_test_message ("outbox: %s %s state %d attempts %" G_GINT64_FORMAT ": %s", item->kind, item->entity_id,
                          item->state, item->attempts, item->message ? item->message : "");
        }
      if (store != NULL)
        rota_store_close (store);
    }

  return left == 0;
}

/* Another clerk's correction, straight to the server's API. */
static void
post_correction (Server              *s,
                 const char          *token,
                 RotaPunchCorrection *correction)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (s->ca, &error);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *url = g_strconcat (s->base, "alpha/api/clock/v3/punch-corrections", NULL);
  g_autofree char *authorization = g_strconcat ("Token ", token, NULL);
  g_autofree char *key = g_uuid_string_random ();
  char *json = rota_codec_encode_string (ROTA_ENTITY (correction), 0);
  g_autoptr(GBytes) body = g_bytes_new_take (json, strlen (json));

  g_assert_no_error (error);
  soup_session_set_tls_database (session, database);
  msg = soup_message_new ("POST", url);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    g_error ("the server answered %u: %.*s", soup_message_get_status (msg),
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
}

static GtkWindow *
find_toplevel (const char *type_name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_str_equal (G_OBJECT_TYPE_NAME (window), type_name) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
conflict_dialog_shown (gpointer data)
{
  return find_toplevel ("RotaConflictDialog") != NULL;
}

typedef struct
{
  RotaPunchesPage *page;
  const char      *employee_id;
  const char      *work_date;
  gboolean         wanted;
} ConflictCheck;

static gboolean
row_conflict_is (gpointer data)
{
  ConflictCheck *check = data;
  RotaPunchList *list = rota_punches_page_get_list (check->page);
  guint position = rota_punch_list_find (list, check->employee_id, check->work_date);
  g_autoptr(RotaPunchItem) item = NULL;

  if (position == G_MAXUINT)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (list), position);

  return (rota_punch_item_get_conflict (item) != NULL) == check->wanted;
}

/* Presses N until the selected row is the employee-day wanted. */
static void
select_with_n (RotaPunchesPage *page,
               const char      *employee_id,
               const char      *work_date)
{
  gboolean found = FALSE;

  gtk_widget_grab_focus (rota_punches_page_get_view (page));
  for (guint i = 0; i < 80 && !found; i++)
    {
      g_autoptr(RotaPunchItem) item = NULL;

      gui_test_keys ("n");
      gui_test_iterate (120);
      item = selected_item (page);
      if (item != NULL)
        g_test_message ("N: %s %s", rota_punch_item_get_day (item)->employee_id, rota_punch_item_get_day (item)->work_date);
      if (item != NULL)
        found = g_str_equal (rota_punch_item_get_day (item)->employee_id, employee_id) &&
                g_str_equal (rota_punch_item_get_day (item)->work_date, work_date);
    }
  g_assert_true (found);
}

static void
test_offline_review (void)
{
  Server s = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tokens = NULL;
  g_autoptr(RotaAccount) account = NULL;
  g_autoptr(RotaSync) sync = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(GPtrArray) originals = NULL;
  g_autoptr(GPtrArray) punches = NULL;
  g_autofree char *out = NULL;
  g_autofree char *today = NULL;
  g_autofree char *first = NULL;
  g_autofree char *employee_id = NULL;
  g_autofree char *work_date = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *correction_id = NULL;
  g_autofree char *tenant_db = NULL;
  RotaWindow *window;
  RotaPunchesPage *page;
  GtkWindow *dialog;
  DayCheck check;
  gint64 now = rota_time_now ();
  gboolean found = FALSE;

  /* A server with three weeks of a small demo tenant, and an HR clerk. */
  s.dir = g_dir_make_tmp ("rota-punches-XXXXXX", &error);
  g_assert_no_error (error);
  s.data_dir = g_build_filename (s.dir, "data", NULL);
  harness_make_certificates (s.dir, &s.ca, &s.cert, &s.key);
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", s.data_dir, "init", NULL));
  tokens = harness_demo_tokens (s.data_dir, "alpha", "8", "3");
  out = harness_run (0, NULL, harness_server_binary (), "--data-dir", s.data_dir,
                     "token", "add", "alpha", "hr-clerk", "--scopes", "hours:read hours:write", NULL);
  s.token = g_strdup (g_strstrip (out));
  server_start (&s);

  account = rota_account_add (s.base, "alpha", s.token, s.ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rota_account_allows (account, "hours:write"));
  g_assert_false (rota_account_allows (account, "planning:read"));
  cache = g_strdup (account->cache);
  sync = rota_account_open_sync (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rota_sync_run (sync, NULL, &error));
  g_assert_no_error (error);

  /* A day whose clock-out was forgotten (the demo makes some). */
  today = rota_time_work_date (now, rota_time_zone_get (NULL));
  first = rota_date_add_days (today, -20);
  report = rota_punch_report_load (rota_sync_get_store (sync), first, today, NULL, now, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rota_punch_report_get_n_days (report) && !found; i++)
    {
      const RotaPunchDay *day = rota_punch_report_get_day (report, i);

      if ((day->flags & ROTA_DAY_MISSING_OUT) && !(day->flags & ROTA_DAY_WORKING) && day->n_shifts > 0 &&
          g_strcmp0 (day->work_date, today) < 0)
        {
          employee_id = g_strdup (day->employee_id);
          work_date = g_strdup (day->work_date);
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_test_message ("missing clock-out: %s on %s", employee_id, work_date);

  punches = rota_store_list_punches (rota_sync_get_store (sync), 0, G_MAXINT64 / 2, employee_id, &error);
  g_assert_no_error (error);
  originals = copy_punches (punches);
  g_clear_pointer (&punches, g_ptr_array_unref);
  rota_sync_stop (sync);
  g_clear_object (&sync);

  /* No network from here. */
  server_stop (&s);

  window = open_app (&s, work_date);
  page = ROTA_PUNCHES_PAGE (rota_window_get_punches_page (window));
  /* A token without planning sees only the Punches page. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_false (gtk_widget_get_mapped (rota_window_get_planner_page (window)));
  gui_test_screenshot ("punches-offline-start");

  /* N goes from day to day that needs review, until the forgotten
   * clock-out is selected. */
  select_with_n (page, employee_id, work_date);
  {
    g_autoptr(RotaPunchItem) item = selected_item (page);

    g_assert_true (rota_punch_item_get_day (item)->flags & ROTA_DAY_MISSING_OUT);
  }
  gui_test_screenshot ("punches-missing-out");

  /* Enter: the dialog proposes the clock-out at the planned end, with
   * "Forgot to clock out"; what is left is the explanation. */
  gui_test_keys ("Return");
  g_assert_true (gui_test_wait_for (dialog_shown, NULL, 10000));
  gui_test_iterate (300);
  dialog = find_dialog ();
  gui_test_focus (dialog);
  gui_test_screenshot ("punches-correction-empty");
  gui_test_type (REASON_TEXT);
  gui_test_iterate (200);
  gui_test_screenshot ("punches-correction-filled");
  gui_test_keys ("ctrl+Return");
  g_assert_true (gui_test_wait_for (dialog_gone, NULL, 10000));

  check = (DayCheck) { page, employee_id, work_date, ROTA_DAY_CORRECTED, ROTA_DAY_MISSING_OUT };
  g_assert_true (gui_test_wait_for (day_has, &check, 10000));

  /* A approves the selected day: it is still the one corrected. */
  gui_test_focus (GTK_WINDOW (window));
  gui_test_iterate (200);
  {
    g_autoptr(RotaPunchItem) item = selected_item (page);

    g_assert_nonnull (item);
    g_assert_cmpstr (rota_punch_item_get_day (item)->employee_id, ==, employee_id);
    g_assert_cmpstr (rota_punch_item_get_day (item)->work_date, ==, work_date);
  }
  gui_test_keys ("a");
  check.wanted = ROTA_DAY_APPROVED | ROTA_DAY_CORRECTED;
  g_assert_true (gui_test_wait_for (day_has, &check, 10000));
  gui_test_iterate (200);
  gui_test_screenshot ("punches-approved");

  /* Quit. */
  gui_test_close (GTK_WINDOW (window));
  gui_test_iterate (300);

  /* On disk: the correction and the approval, each with its outbox item;
   * the punches as they were. */
  {
    g_autoptr(RotaStore) store = rota_store_open (cache, 0, &error);
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GPtrArray) after = NULL;
    guint n_corrections = 0, n_approvals = 0;

    g_assert_no_error (error);
    items = rota_store_list_outbox (store, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < items->len; i++)
      {
        RotaOutboxItem *item = g_ptr_array_index (items, i);

        g_assert_cmpint (item->op, ==, ROTA_OUTBOX_OP_POST);
        if (g_str_equal (item->kind, "punch_correction"))
          {
            g_autoptr(RotaEntity) entity = rota_codec_decode_string (ROTA_TYPE_PUNCH_CORRECTION, item->payload, strlen (item->payload), &error);
            RotaPunchCorrection *correction = ROTA_PUNCH_CORRECTION (entity);

            g_assert_no_error (error);
            g_assert_cmpstr (rota_punch_correction_get_employee_id (correction), ==, employee_id);
            g_assert_cmpint (rota_punch_correction_get_action (correction), ==, ROTA_CORRECTION_ACTION_ADD);
            g_assert_cmpint (rota_punch_correction_get_new_kind (correction), ==, ROTA_PUNCH_KIND_OUT);
            g_assert_cmpstr (rota_punch_correction_get_reason_code (correction), ==, "forgot_out");
            g_assert_cmpstr (rota_punch_correction_get_reason_text (correction), ==, REASON_TEXT);
            g_assert_cmpstr (rota_punch_correction_get_author (correction), ==, "hr-clerk");
            correction_id = g_strdup (item->entity_id);
            n_corrections++;
          }
        else if (g_str_equal (item->kind, "approval"))
          {
            g_autoptr(RotaEntity) entity = rota_codec_decode_string (ROTA_TYPE_APPROVAL, item->payload, strlen (item->payload), &error);

            g_assert_no_error (error);
            g_assert_cmpstr (rota_approval_get_employee_id (ROTA_APPROVAL (entity)), ==, employee_id);
            g_assert_cmpstr (rota_approval_get_work_date (ROTA_APPROVAL (entity)), ==, work_date);
            g_assert_cmpstr (rota_approval_get_author (ROTA_APPROVAL (entity)), ==, "hr-clerk");
            n_approvals++;
          }
      }
    g_assert_cmpuint (n_corrections, ==, 1);
    g_assert_cmpuint (n_approvals, ==, 1);
    g_assert_cmpuint (items->len, ==, 2);

    after = rota_store_list_punches (store, 0, G_MAXINT64 / 2, employee_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (after->len, ==, originals->len);
    for (guint i = 0; i < after->len; i++)
      {
        PunchCopy *copy = g_ptr_array_index (originals, i);
        RotaPunch *punch = g_ptr_array_index (after, i);

        g_assert_cmpstr (rota_entity_get_id (ROTA_ENTITY (punch)), ==, copy->id);
        g_assert_cmpint (rota_punch_get_at (punch), ==, copy->at);
        g_assert_cmpint (rota_punch_get_kind (punch), ==, copy->kind);
      }
    rota_store_close (store);
  }

  /* Start again, still offline: the day is corrected and approved. */
  window = open_app (&s, work_date);
  page = ROTA_PUNCHES_PAGE (rota_window_get_punches_page (window));
  gui_test_keys ("alt+v");
  check.page = page;
  g_assert_true (gui_test_wait_for (day_has, &check, 10000));
  gui_test_iterate (200);
  gui_test_screenshot ("punches-after-restart");

  /* The server comes back; Ctrl+R syncs. */
  server_start (&s);
  gtk_widget_grab_focus (rota_punches_page_get_view (page));
  gui_test_keys ("ctrl+r");
  g_assert_true (gui_test_wait_for (outbox_empty, cache, 60000));
  g_assert_true (gui_test_wait_for (day_has, &check, 10000));
  gui_test_iterate (300);
  gui_test_screenshot ("punches-synced");
  gui_test_close (GTK_WINDOW (window));
  gui_test_iterate (100);
  server_stop (&s);

  /* The server's own file: the correction with its author and reason,
   * its audit row, the punches untouched. */
  tenant_db = g_build_filename (s.data_dir, "tenants", "alpha.sqlite", NULL);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (tenant_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT author, reason_code, reason_text, action FROM punch_correction WHERE id = ?",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, correction_id, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "hr-clerk");
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "forgot_out");
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, REASON_TEXT);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==, "add");
    sqlite3_finalize (stmt);

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT actor, after_json FROM audit WHERE entity = 'punch_correction' AND entity_id = ?",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, correction_id, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "hr-clerk");
    g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 1), REASON_TEXT));
    sqlite3_finalize (stmt);

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM approval WHERE employee_id = ? AND work_date = ?",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, employee_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, work_date, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, kind, at FROM punch WHERE employee_id = ? ORDER BY at, id",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, employee_id, -1, SQLITE_TRANSIENT);
    for (guint i = 0; i < originals->len; i++)
      {
        PunchCopy *copy = g_ptr_array_index (originals, i);

        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, copy->id);
        g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, copy->at);
      }
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", s.data_dir, "verify", "alpha", NULL));

  /* A stale approval. Offline, the clerk approves another day; meanwhile
   * someone else corrects that day on the server. The sync parks the
   * approval with the server's reason, on its row; Enter shows both
   * sides, Discard drops it, and approving the day as it is now goes
   * through. */
  {
    g_autoptr(RotaStore) store = rota_store_open (cache, 0, &error);
    g_autoptr(RotaPunchReport) recent = NULL;
    g_autoptr(RotaPunchInput) input = NULL;
    g_autoptr(RotaPunchReport) one = NULL;
    g_autoptr(RotaPunchCorrection) other = NULL;
    g_autofree char *other_id = g_uuid_string_random ();
    g_autofree char *stale_employee = NULL;
    g_autofree char *stale_date = NULL;
    g_autofree char *first_punch = NULL;
    const RotaPunchDay *day;
    ConflictCheck conflict;
    gint64 first_at = 0;
    GtkWindow *conflict_dialog;

    g_assert_no_error (error);
    recent = rota_punch_report_load (store, first, today, NULL, now, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < rota_punch_report_get_n_days (recent) && stale_employee == NULL; i++)
      {
        day = rota_punch_report_get_day (recent, i);
        if ((day->flags & ROTA_DAY_LATE) && day->n_punches > 0 &&
            !(day->flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_OVERLAP |
                            ROTA_DAY_WORKING | ROTA_DAY_APPROVED)))
          {
            stale_employee = g_strdup (day->employee_id);
            stale_date = g_strdup (day->work_date);
          }
      }
    g_assert_nonnull (stale_employee);
    input = rota_punch_input_load (store, stale_date, stale_date, NULL, stale_employee, now, NULL, &error);
    g_assert_no_error (error);
    input->keep_punches = TRUE;
    one = rota_punch_analyze (input);
    day = rota_punch_report_find_day (one, stale_employee, stale_date);
    g_assert_nonnull (day);
    first_punch = g_strdup (rota_entity_get_id (g_ptr_array_index (day->punches, 0)));
    first_at = rota_punch_get_at (g_ptr_array_index (day->punches, 0));
    rota_store_close (store);

    window = open_app (&s, stale_date);
    page = ROTA_PUNCHES_PAGE (rota_window_get_punches_page (window));
    select_with_n (page, stale_employee, stale_date);
    gui_test_keys ("a");
    check = (DayCheck) { page, stale_employee, stale_date, ROTA_DAY_APPROVED, 0 };
    g_assert_true (gui_test_wait_for (day_has, &check, 10000));
    gui_test_close (GTK_WINDOW (window));
    gui_test_iterate (200);

    server_start (&s);
    other = g_object_new (ROTA_TYPE_PUNCH_CORRECTION,
                          "id", other_id,
                          "employee-id", stale_employee,
                          "punch-id", first_punch,
                          "action", ROTA_CORRECTION_ACTION_MOVE,
                          "new-kind", ROTA_PUNCH_KIND_IN,
                          "new-at", first_at + 60,
                          "reason-code", "wrong_time",
                          "reason-text", "The terminal's clock was a minute fast",
                          "author", "anna.hr",
                          "created-at", rota_time_now (),
                          NULL);
    post_correction (&s, g_hash_table_lookup (tokens, "hours:write"), other);

    window = open_app (&s, stale_date);
    page = ROTA_PUNCHES_PAGE (rota_window_get_punches_page (window));
    gtk_widget_grab_focus (rota_punches_page_get_view (page));
    gui_test_keys ("ctrl+r");
    conflict = (ConflictCheck) { page, stale_employee, stale_date, TRUE };
    g_assert_true (gui_test_wait_for (row_conflict_is, &conflict, 30000));
    gui_test_iterate (300);
    gui_test_screenshot ("punches-conflict");

    /* The refused approval is on its row; Enter shows both sides. */
    select_with_n (page, stale_employee, stale_date);
    gui_test_keys ("Return");
    g_assert_true (gui_test_wait_for (conflict_dialog_shown, NULL, 10000));
    gui_test_iterate (300);
    gui_test_screenshot ("punches-conflict-dialog");
    conflict_dialog = find_toplevel ("RotaConflictDialog");
    /* What a click on "Discard Edit" does: the response, then the close. */
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (conflict_dialog), ROTA_CONFLICT_RESPONSE_DISCARD);
    gtk_window_destroy (conflict_dialog);

    /* Gone from the row; the day has the other clerk's correction and
     * waits for an approval again, which now goes through. */
    conflict.wanted = FALSE;
    g_assert_true (gui_test_wait_for (row_conflict_is, &conflict, 30000));
    check = (DayCheck) { page, stale_employee, stale_date, ROTA_DAY_CORRECTED, ROTA_DAY_APPROVED };
    g_assert_true (gui_test_wait_for (day_has, &check, 30000));
    gui_test_focus (GTK_WINDOW (window));
    gui_test_iterate (300);
    gui_test_screenshot ("punches-conflict-discarded");
    select_with_n (page, stale_employee, stale_date);
    gui_test_keys ("a");
    check.wanted = ROTA_DAY_APPROVED | ROTA_DAY_CORRECTED;
    check.unwanted = 0;
    g_assert_true (gui_test_wait_for (day_has, &check, 10000));
    gui_test_keys ("ctrl+r");
    g_assert_true (gui_test_wait_for (outbox_empty, cache, 60000));
    gui_test_close (GTK_WINDOW (window));
    gui_test_iterate (100);
    server_stop (&s);

    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_open_v2 (tenant_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM approval WHERE employee_id = ? AND work_date = ?",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, stale_employee, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, stale_date, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
    g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", s.data_dir, "verify", "alpha", NULL));
  }

  g_assert_true (rota_account_remove (s.base, "alpha", TRUE, NULL, &error));
  g_assert_no_error (error);
  harness_remove_tree (s.dir);
  g_free (s.dir);
  g_free (s.data_dir);
  g_free (s.ca);
  g_free (s.cert);
  g_free (s.key);
  g_free (s.token);
  g_free (s.base);
}

/* The first widget under @widget (itself included, depth first) that
 * @matches says yes to. */
static GtkWidget *
find_widget (GtkWidget  *widget,
             gboolean  (*matches) (GtkWidget *widget, const char *text),
             const char *text)
{
  if (matches (widget, text))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, matches, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_name (GtkWidget  *widget,
          const char *name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  return find_widget (widget, has_name, name);
}

/* A button under @widget whose label is @label (with its mnemonic). */
static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  return find_widget (widget, is_button_labelled, label);
}

/* The titles and subtitles of a list box's action rows, one per line. */
static char *
rows_text (GtkWidget *list_box)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list_box); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (text, "%s | %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));

  return g_string_free (text, FALSE);
}

static gint64
outbox_items (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (path, 0, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  items = rota_store_list_outbox (store, &error);
  g_assert_no_error (error);
  rota_store_close (store);

  return items->len;
}

static void
set_true (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static guint
n_rows (RotaPunchesPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (rota_punches_page_get_list (page)));
}

static RotaPunchItem *
row_at (RotaPunchesPage *page,
        guint            position)
{
  return g_list_model_get_item (G_LIST_MODEL (rota_punches_page_get_list (page)), position);
}

typedef struct
{
  RotaPunchesPage *page;
  guint            n;
} CountCheck;

static gboolean
approved_count_is (gpointer data)
{
  CountCheck *check = data;

  return rota_punch_list_count (rota_punches_page_get_list (check->page), ROTA_PUNCH_FILTER_APPROVED) == check->n;
}

/* The one number a query on the store's file answers. */
static guint
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static gboolean
undo_shown (gpointer data)
{
  GtkWidget *undo = find_button_labelled (GTK_WIDGET (data), "_Undo");

  return undo != NULL && gtk_widget_get_mapped (undo);
}

/* Whether @dropdown shows its list. */
static gboolean
dropdown_popped_up (GtkDropDown *dropdown)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return gtk_widget_get_visible (child);

  return FALSE;
}


static gboolean
rows_are (gpointer data)
{
  CountCheck *check = data;

  return n_rows (check->page) == check->n;
}

/* A local workspace, no server: searching, the status filters, sorting
 * by a column, a day's history, voiding a double clock-in, approving in
 * bulk, and a token that may not write. */
static void
test_review (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-punches-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "demo.sqlite", NULL);
  g_autofree char *search = NULL;
  g_autofree char *text = NULL;
  g_autofree char *overlap_employee = NULL;
  g_autofree char *overlap_date = NULL;
  RotaPunchList *list;
  RotaPunchesPage *page;
  RotaWindow *window;
  GtkListView *view;
  GtkWidget *history;
  CountCheck count;
  DayCheck check;
  RotaDemoOptions options;
  guint n_review, n_all, n_approved, n_approvable = 0, n_unapprovable = 0;
  guint n_before_clean, n_clean = 0;

  g_assert_no_error (error);
  {
    g_autoptr(RotaStore) store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    /* Four weeks of November, "now" in the third: three weeks clocked. */
    rota_demo_options_init (&options, rota_time_from_local (rota_time_zone_get (NULL), "2026-11-18", 12 * 60));
    g_strlcpy (options.first_week, "2026-11-02", sizeof options.first_week);
    options.n_employees = 12;
    options.n_weeks = 4;
    g_assert_true (rota_demo_fill_store (store, &options, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    rota_store_close (store);
  }

  /* A department under another, with one person's shifts of the parent
   * moved to it: the filter of the parent shows both. */
  {
    sqlite3 *db;
    char *message = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
    sqlite3_exec (db,
                  "INSERT INTO department (id, office_id, parent_id, name) "
                  "  SELECT 'dept-banqueting', office_id, id, 'Banqueting' FROM department ORDER BY name LIMIT 1;"
                  "UPDATE shift SET department_id = 'dept-banqueting' "
                  "  WHERE department_id = (SELECT parent_id FROM department WHERE id = 'dept-banqueting') "
                  "    AND employee_id = (SELECT employee_id FROM shift WHERE employee_id IS NOT NULL AND "
                  "                         department_id = (SELECT parent_id FROM department WHERE id = 'dept-banqueting') "
                  "                       ORDER BY employee_id LIMIT 1);",
                  NULL, NULL, &message);
    g_assert_null (message);
    g_assert_cmpint (sqlite3_changes (db), >, 0);
    sqlite3_close (db);
  }

  window = rota_window_new (NULL);
  rota_window_set_first_day (window, "2026-11-09");
  rota_window_open_workspace (window, path);
  rota_window_show_page (window, "punches");
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  page = ROTA_PUNCHES_PAGE (rota_window_get_punches_page (window));
  list = rota_punches_page_get_list (page);
  view = GTK_LIST_VIEW (rota_punches_page_get_view (page));
  g_assert_true (gui_test_wait_for (page_loaded, page, 30000));
  gui_test_iterate (300);
  gui_test_focus (GTK_WINDOW (window));
  gui_test_screenshot ("punches-review");

  n_review = rota_punch_list_count (list, ROTA_PUNCH_FILTER_NEEDS_REVIEW);
  n_all = rota_punch_list_count (list, ROTA_PUNCH_FILTER_ALL);
  g_assert_cmpuint (n_rows (page), ==, n_review);
  g_assert_cmpuint (n_review, >, 0);
  g_assert_cmpuint (n_all, >, n_review);
  for (guint i = 0; i < n_rows (page); i++)
    {
      g_autoptr(RotaPunchItem) item = row_at (page, i);

      g_assert_true (rota_punch_item_needs_review (item));
    }

  /* Ctrl+F and part of a last name, in lower case and without accents:
   * that person's days only. */
  {
    g_autoptr(RotaPunchItem) item = row_at (page, 0);
    g_autofree char *last = rota_text_fold (rota_employee_get_last_name (rota_punch_item_get_employee (item)));

    search = g_utf8_substring (last, 0, MIN (4, g_utf8_strlen (last, -1)));
  }
  gui_test_keys ("ctrl+f");
  gui_test_type (search);
  gui_test_iterate (500);
  g_assert_cmpuint (n_rows (page), >, 0);
  g_assert_cmpuint (n_rows (page), <, n_review);
  for (guint i = 0; i < n_rows (page); i++)
    {
      g_autoptr(RotaPunchItem) item = row_at (page, i);
      g_autofree char *name = rota_text_fold (rota_punch_item_get_name (item));

      g_assert_nonnull (strstr (name, search));
    }
  gui_test_screenshot ("punches-search");
  gui_test_keys ("Escape");
  count = (CountCheck) { page, n_review };
  g_assert_true (gui_test_wait_for (rows_are, &count, 5000));

  /* Alt+L: all days. */
  gui_test_keys ("alt+l");
  count.n = n_all;
  g_assert_true (gui_test_wait_for (rows_are, &count, 5000));

  /* The department filter (Alt+D): a department shows its days and those
   * of the department under it, the one under it only its own; with
   * Needs review, only those of its days that need it. The counts come
   * from the rows shown with all departments. */
  {
    GtkDropDown *departments = GTK_DROP_DOWN (find_named (GTK_WIDGET (page), "department-filter"));
    GListModel *names = gtk_drop_down_get_model (departments);
    g_autofree char *parent_id = NULL;
    guint parent = 0, child = 0;
    guint n_parent = 0, n_child = 0, n_parent_review = 0;

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      {
        const char *name = gtk_string_list_get_string (GTK_STRING_LIST (names), i);

        if (g_str_equal (name, "Banqueting"))
          child = i;
      }
    g_assert_cmpuint (child, >, 0);
    {
      sqlite3 *db;
      sqlite3_stmt *stmt;

      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT p.id, p.name FROM department c JOIN department p ON p.id = c.parent_id "
                                               "WHERE c.id = 'dept-banqueting'", -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      parent_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      for (guint i = 0; i < g_list_model_get_n_items (names); i++)
        if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i),
                         (const char *) sqlite3_column_text (stmt, 1)))
          parent = i;
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
    g_assert_cmpuint (parent, >, 0);

    for (guint i = 0; i < n_rows (page); i++)
      {
        g_autoptr(RotaPunchItem) item = row_at (page, i);
        const char *department_id = rota_punch_item_get_day (item)->department_id;

        if (g_strcmp0 (department_id, "dept-banqueting") == 0)
          n_child++;
        if (g_strcmp0 (department_id, "dept-banqueting") == 0 || g_strcmp0 (department_id, parent_id) == 0)
          {
            n_parent++;
            if (rota_punch_item_needs_review (item))
              n_parent_review++;
          }
      }
    g_assert_cmpuint (n_child, >, 0);
    g_assert_cmpuint (n_parent, >, n_child);
    g_assert_cmpuint (n_parent, <, n_all);

    /* Alt+D opens the list of departments; Escape closes it again. */
    gui_test_keys ("alt+d");
    gui_test_iterate (300);
    g_assert_true (dropdown_popped_up (departments));
    gui_test_keys ("Escape");
    gui_test_iterate (300);
    g_assert_false (dropdown_popped_up (departments));
    gtk_drop_down_set_selected (departments, parent);
    count.n = n_parent;
    g_assert_true (gui_test_wait_for (rows_are, &count, 5000));
    gui_test_screenshot ("punches-department");
    gtk_drop_down_set_selected (departments, child);
    count.n = n_child;
    g_assert_true (gui_test_wait_for (rows_are, &count, 5000));
    for (guint i = 0; i < n_rows (page); i++)
      {
        g_autoptr(RotaPunchItem) item = row_at (page, i);

        g_assert_cmpstr (rota_punch_item_get_day (item)->department_id, ==, "dept-banqueting");
      }
    gtk_drop_down_set_selected (departments, parent);
    gui_test_keys ("alt+n");
    count.n = n_parent_review;
    g_assert_true (gui_test_wait_for (rows_are, &count, 5000));
    gtk_drop_down_set_selected (departments, 0);
    count.n = n_review;
    g_assert_true (gui_test_wait_for (rows_are, &count, 5000));
    gui_test_keys ("alt+l");
    count.n = n_all;
    g_assert_true (gui_test_wait_for (rows_are, &count, 5000));
  }

  /* Sorted by worked time, longest first: two clicks on its heading. */
  {
    GtkWidget *worked = find_named (GTK_WIDGET (page), "sort-worked");
    gint64 previous = G_MAXINT64;

    g_assert_nonnull (worked);
    g_signal_emit_by_name (worked, "clicked");
    g_signal_emit_by_name (worked, "clicked");
    gui_test_iterate (100);
    for (guint i = 0; i < n_rows (page); i++)
      {
        g_autoptr(RotaPunchItem) item = row_at (page, i);

        g_assert_cmpint (rota_punch_item_get_day (item)->worked_seconds, <=, previous);
        previous = rota_punch_item_get_day (item)->worked_seconds;
      }
    gui_test_screenshot ("punches-sorted");
    g_signal_emit_by_name (find_named (GTK_WIDGET (page), "sort-employee"), "clicked");
  }

  /* A double clock-in: its history (H), then voided with the dialog. */
  for (guint i = 0; i < n_rows (page) && overlap_employee == NULL; i++)
    {
      g_autoptr(RotaPunchItem) item = row_at (page, i);

      if (rota_punch_item_get_day (item)->flags & ROTA_DAY_OVERLAP)
        {
          overlap_employee = g_strdup (rota_punch_item_get_day (item)->employee_id);
          overlap_date = g_strdup (rota_punch_item_get_day (item)->work_date);
        }
    }
  g_assert_nonnull (overlap_employee);
  gui_test_keys ("alt+n");
  gui_test_iterate (100);
  select_with_n (page, overlap_employee, overlap_date);
  gui_test_keys ("h");
  gui_test_iterate (400);
  history = find_named (GTK_WIDGET (page), "history-list");
  g_assert_true (gtk_widget_get_mapped (history));
  text = rows_text (history);
  g_test_message ("history:\n%s", text);
  g_assert_nonnull (strstr (text, "Clock-in"));
  g_assert_null (strstr (text, "Voided"));
  gui_test_screenshot ("punches-history");
  g_clear_pointer (&text, g_free);

  gui_test_keys ("Return");
  g_assert_true (gui_test_wait_for (dialog_shown, NULL, 10000));
  gui_test_iterate (300);
  gui_test_focus (find_dialog ());
  gui_test_type ("Tapped twice at the terminal");
  gui_test_iterate (200);
  gui_test_screenshot ("punches-correction-void");
  gui_test_keys ("ctrl+Return");
  g_assert_true (gui_test_wait_for (dialog_gone, NULL, 10000));
  check = (DayCheck) { page, overlap_employee, overlap_date, ROTA_DAY_CORRECTED, ROTA_DAY_OVERLAP };
  g_assert_true (gui_test_wait_for (day_has, &check, 10000));
  gui_test_focus (GTK_WINDOW (window));
  gui_test_iterate (300);
  text = rows_text (history);
  g_test_message ("history after:\n%s", text);
  g_assert_nonnull (strstr (text, "Voided Clock-in"));
  g_assert_nonnull (strstr (text, "Tapped twice at the terminal"));
  gui_test_screenshot ("punches-history-voided");
  g_clear_pointer (&text, g_free);

  /* The dialog again: the voided punch is there, struck through. */
  gui_test_keys ("Return");
  g_assert_true (gui_test_wait_for (dialog_shown, NULL, 10000));
  gui_test_iterate (300);
  text = rows_text (find_named (GTK_WIDGET (find_dialog ()), "punch-list"));
  g_test_message ("dialog:\n%s", text);
  g_assert_nonnull (strstr (text, "<s>"));
  g_assert_nonnull (strstr (text, "Voided:"));
  gui_test_screenshot ("punches-correction-after-void");
  gui_test_focus (find_dialog ());
  gui_test_keys ("Escape");
  g_assert_true (gui_test_wait_for (dialog_gone, NULL, 10000));
  g_clear_pointer (&text, g_free);
  gui_test_focus (GTK_WINDOW (window));

  /* A token that may not write: A records nothing. */
  rota_punches_page_set_read_only (page, TRUE);
  gui_test_keys ("alt+l");
  gui_test_iterate (200);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  gui_test_keys ("ctrl+a");
  gui_test_iterate (100);
  {
    gint64 before = outbox_items (path);

    g_assert_cmpint (before, >, 0);
    gui_test_keys ("a");
    gui_test_iterate (300);
    g_assert_cmpint (outbox_items (path), ==, before);
    g_assert_cmpuint (rota_punch_list_count (list, ROTA_PUNCH_FILTER_APPROVED), ==, 0);
  }
  rota_punches_page_set_read_only (page, FALSE);

  /* A reload (as after a sync) keeps the selection and the focus on the
   * same days, not on the same row numbers. */
  {
    g_autoptr(RotaPunchItem) item = NULL;
    g_autofree char *employee_id = NULL;
    g_autofree char *work_date = NULL;
    gboolean loaded = FALSE;
    gulong handler;

    gtk_selection_model_unselect_all (gtk_list_view_get_model (view));
    select_with_n (page, overlap_employee, overlap_date);
    gui_test_keys ("n");
    gui_test_iterate (150);
    item = selected_item (page);
    g_assert_nonnull (item);
    employee_id = g_strdup (rota_punch_item_get_day (item)->employee_id);
    work_date = g_strdup (rota_punch_item_get_day (item)->work_date);
    g_clear_object (&item);

    handler = g_signal_connect_swapped (page, "loaded", G_CALLBACK (set_true), &loaded);
    rota_punches_page_reload (page);
    g_assert_true (gui_test_wait_for (is_true, &loaded, 30000));
    g_signal_handler_disconnect (page, handler);
    gui_test_iterate (200);
    item = selected_item (page);
    g_assert_nonnull (item);
    g_assert_cmpstr (rota_punch_item_get_day (item)->employee_id, ==, employee_id);
    g_assert_cmpstr (rota_punch_item_get_day (item)->work_date, ==, work_date);
  }

  /* Shift+A: every day shown with nothing to review, and no other. */
  n_before_clean = rota_punch_list_count (list, ROTA_PUNCH_FILTER_APPROVED);
  {

    for (guint i = 0; i < n_rows (page); i++)
      {
        g_autoptr(RotaPunchItem) item = row_at (page, i);
        const RotaPunchDay *day = rota_punch_item_get_day (item);

        if (rota_punch_day_can_approve (day) && !rota_punch_item_needs_review (item))
          n_clean++;
      }
    g_assert_cmpuint (n_clean, >, 0);
    gtk_widget_grab_focus (GTK_WIDGET (view));
    gui_test_keys ("shift+a");
    gui_test_iterate (500);
    g_assert_cmpuint (rota_punch_list_count (list, ROTA_PUNCH_FILTER_APPROVED), ==, n_clean);
    for (guint i = 0; i < n_rows (page); i++)
      {
        g_autoptr(RotaPunchItem) item = row_at (page, i);
        const RotaPunchDay *day = rota_punch_item_get_day (item);

        /* The flags spelled out, not the page's own rule: none of these
         * is approved by Shift+A. */
        if (day->flags & ROTA_DAY_APPROVED)
          g_assert_false (day->flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_OVER_12H |
                                        ROTA_DAY_OVERLAP | ROTA_DAY_NO_SHOW | ROTA_DAY_UNPLANNED | ROTA_DAY_LATE |
                                        ROTA_DAY_LEFT_EARLY | ROTA_DAY_RULE_VIOLATION | ROTA_DAY_TIME_UNTRUSTED |
                                        ROTA_DAY_CORRECTED | ROTA_DAY_WORKING));
      }
  }

  /* Ctrl+Z takes them back: one withdrawal each, in the store with its
   * outbox item, the days as they were; the toast's Undo does the same
   * after Shift+A again, and a third Shift+A approves them for good. */
  {
    CountCheck approved = { page, n_before_clean };
    GtkWidget *undo;

    gui_test_keys ("ctrl+z");
    g_assert_true (gui_test_wait_for (approved_count_is, &approved, 30000));
    g_assert_cmpuint (count_rows (path, "SELECT count(*) FROM approval WHERE state = 'withdrawn'"), ==, n_clean);
    g_assert_cmpuint (count_rows (path, "SELECT count(*) FROM outbox WHERE kind = 'approval'"), ==, 2 * n_clean);
    gui_test_screenshot ("punches-approval-undone");

    gtk_widget_grab_focus (GTK_WIDGET (view));
    gui_test_keys ("shift+a");
    approved.n = n_before_clean + n_clean;
    g_assert_true (gui_test_wait_for (approved_count_is, &approved, 10000));
    /* After the toast before it (6 s) has gone. */
    g_assert_true (gui_test_wait_for (undo_shown, window, 15000));
    undo = find_button_labelled (GTK_WIDGET (window), "_Undo");
    gui_test_screenshot ("punches-approval-toast");
    /* As Enter on the focused button does. */
    gtk_widget_activate (undo);
    approved.n = n_before_clean;
    g_assert_true (gui_test_wait_for (approved_count_is, &approved, 30000));
    g_assert_cmpuint (count_rows (path, "SELECT count(*) FROM approval WHERE state = 'withdrawn'"), ==, 2 * n_clean);

    /* Nothing left to undo: said so, nothing written. */
    gui_test_iterate (200);
    gtk_widget_grab_focus (GTK_WIDGET (view));
    gui_test_keys ("ctrl+z");
    gui_test_iterate (200);
    g_assert_cmpuint (count_rows (path, "SELECT count(*) FROM approval WHERE state = 'withdrawn'"), ==, 2 * n_clean);

    gtk_widget_grab_focus (GTK_WIDGET (view));
    gui_test_keys ("shift+a");
    approved.n = n_before_clean + n_clean;
    g_assert_true (gui_test_wait_for (approved_count_is, &approved, 10000));

    /* Worked out again from the store: approved right after the undo, in
     * the same second, the approvals are the latest decisions. */
    {
      gboolean loaded = FALSE;
      gulong handler = g_signal_connect_swapped (page, "loaded", G_CALLBACK (set_true), &loaded);

      rota_punches_page_reload (page);
      g_assert_true (gui_test_wait_for (is_true, &loaded, 30000));
      g_signal_handler_disconnect (page, handler);
      g_assert_cmpuint (rota_punch_list_count (list, ROTA_PUNCH_FILTER_APPROVED), ==, n_before_clean + n_clean);
    }
  }

  /* Everything selected, A: what can be approved is, in one go; a day
   * with a clock-in or clock-out missing is left for a correction. */
  n_approved = rota_punch_list_count (list, ROTA_PUNCH_FILTER_APPROVED);
  for (guint i = 0; i < n_rows (page); i++)
    {
      g_autoptr(RotaPunchItem) item = row_at (page, i);

      if (rota_punch_day_can_approve (rota_punch_item_get_day (item)))
        n_approvable++;
      else if (!(rota_punch_item_get_day (item)->flags & ROTA_DAY_APPROVED))
        n_unapprovable++;
    }
  g_assert_cmpuint (n_approvable, >, 0);
  g_assert_cmpuint (n_unapprovable, >, 0);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  gui_test_keys ("ctrl+a");
  gui_test_iterate (100);
  gui_test_keys ("a");
  gui_test_iterate (500);
  g_assert_cmpuint (rota_punch_list_count (list, ROTA_PUNCH_FILTER_APPROVED), ==, n_approved + n_approvable);
  for (guint i = 0; i < n_rows (page); i++)
    {
      g_autoptr(RotaPunchItem) item = row_at (page, i);
      const RotaPunchDay *day = rota_punch_item_get_day (item);

      if (day->flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN))
        g_assert_false (day->flags & ROTA_DAY_APPROVED);
    }
  gui_test_screenshot ("punches-approved-all");

  gui_test_close (GTK_WINDOW (window));
  gui_test_iterate (100);
  harness_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/punches/review", test_review);
  g_test_add_func ("/punches/offline-review", test_offline_review);

  return g_test_run ();
}
