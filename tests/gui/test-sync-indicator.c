/* test-sync-indicator.c: the header bar's sync button and the conflict dialog
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gui-testlib.h"
#include "rota-codec.h"
#include "rota-conflict-dialog.h"
#include "rota-models.h"
#include "rota-sync-indicator.h"
#include "rota-time.h"

/* The server's version of the shift; the edit and a newer server
 * version differ from it in times, break and note. */
#define SERVER_SHIFT \
  "{\"id\":\"s1\",\"version\":3,\"departmentId\":\"d1\",\"employeeId\":\"e1\"," \
  "\"startDateTime\":\"2026-11-23T08:00:00Z\",\"endDateTime\":\"2026-11-23T16:30:00Z\"," \
  "\"breakMinutes\":30,\"published\":true}"
#define NEWER_SHIFT \
  "{\"id\":\"s1\",\"version\":%d,\"departmentId\":\"d1\",\"employeeId\":\"e1\"," \
  "\"startDateTime\":\"2026-11-23T09:00:00Z\",\"endDateTime\":\"2026-11-23T17:00:00Z\"," \
  "\"breakMinutes\":45,\"note\":\"Delivery at nine\",\"published\":true}"

typedef struct
{
  char              *dir;
  RotaStore         *store;
  GtkWindow         *window;
  RotaSyncIndicator *indicator;
  guint              resolved;
} Fixture;

static void
put_json (RotaStore  *store,
          GType       type,
          const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) entity = rota_codec_decode_string (type, json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_true (rota_store_put_entity (store, entity, &error));
  g_assert_no_error (error);
}

/* A local edit of s1 (10:00–18:00, note "Swapped with Jonas"). */
static gint64
record_edit (RotaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) entity = rota_store_get_entity (store, ROTA_TYPE_SHIFT, "s1", &error);
  g_autoptr(RotaOutboxItem) item = NULL;
  RotaShift *shift;

  g_assert_no_error (error);
  shift = ROTA_SHIFT (entity);
  rota_shift_set_times (shift, rota_shift_get_start (shift) + 2 * 3600, rota_shift_get_end (shift) + 3600);
  rota_shift_set_note (shift, "Swapped with Jonas");

  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, entity, "anna", "swap", &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);

  return item->seq;
}

static void
mark_conflict (Fixture *fixture,
               gint64   seq,
               int      server_version)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *theirs = g_strdup_printf (NEWER_SHIFT, server_version);

  g_assert_true (rota_store_outbox_set_state (fixture->store, seq, ROTA_OUTBOX_STATE_CONFLICT,
                                              "The shift was changed by someone else", theirs, &error));
  g_assert_no_error (error);
}

static void
count_outbox (Fixture *fixture,
              gint64  *pending,
              gint64  *conflicts,
              gint64  *parked)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_store_count_outbox (fixture->store, pending, conflicts, parked, &error));
  g_assert_no_error (error);
}

static void
resolved_cb (RotaSyncIndicator *indicator,
             Fixture           *fixture)
{
  fixture->resolved++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("rota-sync-indicator-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workspace.sqlite", NULL);
  fixture->store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  put_json (fixture->store, ROTA_TYPE_OFFICE,
            "{\"id\":\"o1\",\"name\":\"Grand Café\",\"timeZone\":\"Europe/Amsterdam\",\"rulesProfile\":\"nl\"}");
  put_json (fixture->store, ROTA_TYPE_DEPARTMENT, "{\"id\":\"d1\",\"officeId\":\"o1\",\"name\":\"Keuken\"}");
  put_json (fixture->store, ROTA_TYPE_EMPLOYEE,
            "{\"employeeId\":\"e1\",\"firstName\":\"Sanne\",\"lastName\":\"Dijk\",\"departmentIds\":[\"d1\"]}");
  put_json (fixture->store, ROTA_TYPE_SHIFT, SERVER_SHIFT);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 700, 520);
  fixture->indicator = ROTA_SYNC_INDICATOR (rota_sync_indicator_new ());
  gtk_widget_set_halign (GTK_WIDGET (fixture->indicator), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (fixture->indicator), GTK_ALIGN_START);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->indicator));
  g_signal_connect (fixture->indicator, "resolved", G_CALLBACK (resolved_cb), fixture);
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (rota_store_get_path (fixture->store));
  RotaSyncIndicator *indicator = g_object_ref (fixture->indicator);

  gui_test_close (fixture->window);
  gui_test_iterate (50);
  g_assert_finalize_object (indicator);

  g_assert_finalize_object (fixture->store);
  g_assert_true (rota_store_delete_files (path, &error));
  g_assert_no_error (error);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* The widgets a person sees */

static GtkMenuButton *
get_button (Fixture *fixture)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (fixture->indicator));

  g_assert_true (GTK_IS_MENU_BUTTON (button));
  return GTK_MENU_BUTTON (button);
}

static GtkWidget *
find_widget (GtkWidget  *root,
             gboolean  (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_LABEL (widget);
}

static gboolean
is_image (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_IMAGE (widget);
}

static gboolean
is_spinner (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_SPINNER (widget);
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static const char *
button_text (Fixture *fixture)
{
  GtkWidget *label = find_widget (GTK_WIDGET (get_button (fixture)), is_label, NULL);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static const char *
button_icon (Fixture *fixture)
{
  GtkWidget *image = find_widget (GTK_WIDGET (get_button (fixture)), is_image, NULL);

  g_assert_nonnull (image);
  return gtk_image_get_icon_name (GTK_IMAGE (image));
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} TextWait;

static gboolean
text_is (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (button_text (wait->fixture), wait->text) == 0;
}

static void
wait_for_text (Fixture    *fixture,
               const char *text,
               guint       timeout_ms)
{
  TextWait wait = { fixture, text };

  if (!gui_test_wait_for (text_is, &wait, timeout_ms))
    g_error ("The button says “%s”, not “%s”", button_text (fixture), text);
}

static void
assert_full_label (Fixture    *fixture,
                   const char *expected)
{
  GtkWidget *button = GTK_WIDGET (get_button (fixture));
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  g_assert_cmpstr (tooltip, ==, expected);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  /* The toggle button inside takes the focus; it says the same. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (button)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
}

static GtkWidget *
popover_child (Fixture    *fixture,
               const char *action)
{
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (get_button (fixture)));

  return find_widget (popover, has_action, action);
}

static gboolean
dialog_is_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ROTA_IS_CONFLICT_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = window;
          return TRUE;
        }
    }

  return FALSE;
}

/* Opens the popover and presses the only "Resolve…" in it. */
static AdwMessageDialog *
open_resolve_dialog (Fixture    *fixture,
                     const char *screenshot)
{
  GtkWindow *dialog = NULL;
  GtkWidget *resolve;

  gtk_menu_button_popup (get_button (fixture));
  gui_test_iterate (200);
  if (screenshot != NULL)
    g_free (gui_test_screenshot (screenshot));

  resolve = popover_child (fixture, "sync-indicator.resolve");
  g_assert_nonnull (resolve);
  g_assert_true (gtk_widget_is_sensitive (resolve));
  g_assert_true (gtk_widget_get_focusable (resolve));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (resolve), GTK_ACCESSIBLE_PROPERTY_LABEL));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (resolve), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Resolve: Shift of Sanne Dijk, Mon 23 Nov, 10:00–17:30");
  gtk_widget_activate (resolve);

  g_assert_true (gui_test_wait_for (dialog_is_shown, &dialog, 2000));
  g_assert_true (gtk_window_get_transient_for (dialog) == fixture->window);

  return ADW_MESSAGE_DIALOG (dialog);
}

static gboolean
resolved_once_more (gpointer data)
{
  guint *counts = data;

  return counts[0] > counts[1];
}

static void
respond_and_wait (Fixture          *fixture,
                  AdwMessageDialog *dialog,
                  const char       *response)
{
  guint counts[2];

  counts[1] = fixture->resolved;
  adw_message_dialog_response (dialog, response);

  /* The resolution runs on a thread, then the outbox is read again. */
  for (gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       fixture->resolved == counts[1] && g_get_monotonic_time () < until;)
    gui_test_iterate (10);
  counts[0] = fixture->resolved;
  g_assert_true (resolved_once_more (counts));
}

/* Tests */

static void
test_local_and_conflict (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(RotaEntity) entity = NULL;
  g_autofree char *shot = NULL;
  AdwMessageDialog *dialog;
  RotaOutboxItem *item;
  gint64 seq, pending, conflicts, parked;

  /* Nothing to show yet: the button hides. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (get_button (fixture))));

  /* A local workspace with one edit. */
  seq = record_edit (fixture->store);
  rota_sync_indicator_set_sync (fixture->indicator, NULL, fixture->store);
  wait_for_text (fixture, "Local workspace", 2000);
  gui_test_iterate (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (get_button (fixture))));
  g_assert_cmpstr (button_icon (fixture), ==, "computer-symbolic");
  assert_full_label (fixture, "Local workspace: edits stay on this computer. 1 edit saved here.");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (get_button (fixture)), "warning"));
  g_assert_null (rota_sync_indicator_get_sync (fixture->indicator));
  g_assert_true (rota_sync_indicator_get_store (fixture->indicator) == fixture->store);

  /* Without an engine there is nothing to sync with. */
  g_assert_false (gtk_widget_is_sensitive (popover_child (fixture, "sync-indicator.sync-now")));

  /* The server had changed the shift too: a conflict. */
  mark_conflict (fixture, seq, 4);
  rota_sync_indicator_reload (fixture->indicator);
  wait_for_text (fixture, "1 conflict", 2000);
  g_assert_cmpstr (button_icon (fixture), ==, "dialog-warning-symbolic");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (get_button (fixture)), "warning"));
  assert_full_label (fixture, "Local workspace: edits stay on this computer. 1 conflict needs your decision.");

  /* Resolve…: both versions, side by side. */
  dialog = open_resolve_dialog (fixture, "sync-indicator-conflict-popover");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Resolve Conflict");
  g_assert_true (adw_message_dialog_has_response (dialog, ROTA_CONFLICT_RESPONSE_KEEP_MINE));
  g_assert_true (adw_message_dialog_has_response (dialog, ROTA_CONFLICT_RESPONSE_TAKE_THEIRS));
  g_assert_true (adw_message_dialog_has_response (dialog, ROTA_CONFLICT_RESPONSE_CANCEL));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, ROTA_CONFLICT_RESPONSE_KEEP_MINE));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, ROTA_CONFLICT_RESPONSE_KEEP_MINE), ==,
                   "_Keep Mine");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, ROTA_CONFLICT_RESPONSE_TAKE_THEIRS), ==,
                   "_Take Theirs");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "The shift was changed by someone else"));
  shot = gui_test_screenshot ("sync-indicator-conflict-dialog");

  /* Keep Mine: the edit waits to be sent again, on the server's version 4. */
  respond_and_wait (fixture, dialog, ROTA_CONFLICT_RESPONSE_KEEP_MINE);
  count_outbox (fixture, &pending, &conflicts, &parked);
  g_assert_cmpint (pending, ==, 1);
  g_assert_cmpint (conflicts, ==, 0);
  g_assert_cmpint (parked, ==, 0);
  outbox = rota_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  item = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (item->seq, ==, seq);
  g_assert_cmpint (item->state, ==, ROTA_OUTBOX_STATE_PENDING);
  g_assert_cmpint (item->base_version, ==, 4);
  g_assert_cmpuint (fixture->resolved, ==, 1);
  wait_for_text (fixture, "Local workspace", 2000);
  g_clear_pointer (&outbox, g_ptr_array_unref);

  /* Again in conflict, with version 5 on the server; Take Theirs. */
  mark_conflict (fixture, seq, 5);
  rota_sync_indicator_reload (fixture->indicator);
  wait_for_text (fixture, "1 conflict", 2000);
  dialog = open_resolve_dialog (fixture, NULL);
  respond_and_wait (fixture, dialog, ROTA_CONFLICT_RESPONSE_TAKE_THEIRS);
  count_outbox (fixture, &pending, &conflicts, &parked);
  g_assert_cmpint (pending + conflicts + parked, ==, 0);
  entity = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (entity), ==, 5);
  g_assert_cmpstr (rota_shift_get_note (ROTA_SHIFT (entity)), ==, "Delivery at nine");
  g_assert_cmpuint (fixture->resolved, ==, 2);
  wait_for_text (fixture, "Local workspace", 2000);
  assert_full_label (fixture, "Local workspace: edits stay on this computer.");
}

static gboolean
focus_in_button (Fixture *fixture)
{
  GtkWidget *focus = gtk_window_get_focus (fixture->window);

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (get_button (fixture)));
}

static void
test_parked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  AdwMessageDialog *dialog;
  gint64 seq, pending, conflicts, parked;

  seq = record_edit (fixture->store);
  g_assert_true (rota_store_outbox_set_state (fixture->store, seq, ROTA_OUTBOX_STATE_PARKED,
                                              "A break of at least 30 minutes is required", NULL, &error));
  g_assert_no_error (error);

  rota_sync_indicator_set_sync (fixture->indicator, NULL, fixture->store);
  wait_for_text (fixture, "1 edit refused", 2000);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (get_button (fixture)), "warning"));

  /* By keyboard alone: Tab to the button, open the popover, Tab to
   * "Resolve…", press it, and Escape cancels the dialog. */
  gui_test_focus (fixture->window);
  for (guint i = 0; i < 3 && !focus_in_button (fixture); i++)
    gui_test_keys ("Tab");
  g_assert_true (focus_in_button (fixture));
  gui_test_keys ("Return");
  gui_test_iterate (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (get_button (fixture)))));
  for (guint i = 0; i < 10 && gtk_window_get_focus (fixture->window) != popover_child (fixture, "sync-indicator.resolve"); i++)
    gui_test_keys ("Tab");
  g_assert_true (gtk_window_get_focus (fixture->window) == popover_child (fixture, "sync-indicator.resolve"));
  gui_test_keys ("Return");
  {
    GtkWindow *shown = NULL;

    g_assert_true (gui_test_wait_for (dialog_is_shown, &shown, 2000));
    gui_test_focus (shown);
    gui_test_keys ("Escape");
    gui_test_iterate (200);
    g_assert_false (dialog_is_shown (&shown));
  }
  count_outbox (fixture, &pending, &conflicts, &parked);
  g_assert_cmpint (parked, ==, 1);
  g_assert_cmpuint (fixture->resolved, ==, 0);

  dialog = open_resolve_dialog (fixture, NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Edit Refused by the Server");
  g_assert_true (adw_message_dialog_has_response (dialog, ROTA_CONFLICT_RESPONSE_DISCARD));
  g_assert_false (adw_message_dialog_has_response (dialog, ROTA_CONFLICT_RESPONSE_KEEP_MINE));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, ROTA_CONFLICT_RESPONSE_DISCARD), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "A break of at least 30 minutes is required"));
  shot = gui_test_screenshot ("sync-indicator-parked-dialog");

  respond_and_wait (fixture, dialog, ROTA_CONFLICT_RESPONSE_DISCARD);
  count_outbox (fixture, &pending, &conflicts, &parked);
  g_assert_cmpint (pending + conflicts + parked, ==, 0);
  wait_for_text (fixture, "Local workspace", 2000);
}

typedef struct
{
  RotaSync      *sync;
  RotaSyncState  state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;

  return rota_sync_get_state (wait->sync) == wait->state;
}

/* A loopback port nobody listens on. */
static guint16
closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                            &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(RotaSync) sync = NULL;
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u/", closed_port ());
  g_autofree char *shot = NULL;
  GtkWidget *sync_now, *spinner;
  StateWait wait;

  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *synced = NULL;
  g_autofree char *absolute = NULL;
  gint64 last = rota_time_now () - 150;

  record_edit (fixture->store);

  /* The last sync succeeded two and a half minutes ago. */
  g_assert_true (rota_store_apply_feed (fixture->store, none, NULL, ROTA_SYNC_CURSOR_SYNCED_AT, last, &error));
  g_assert_no_error (error);

  client = rota_client_new (base, "alpha", "rota_x", NULL, &error);
  g_assert_no_error (error);
  sync = rota_sync_new (fixture->store, client);
  rota_sync_indicator_set_sync (fixture->indicator, sync, NULL);
  g_assert_true (rota_sync_indicator_get_sync (fixture->indicator) == sync);
  g_assert_true (rota_sync_indicator_get_store (fixture->indicator) == fixture->store);
  wait_for_text (fixture, "Synced 2 min ago", 2000);
  g_assert_cmpstr (button_icon (fixture), ==, "emblem-ok-symbolic");
  absolute = rota_format_local_time (last, TRUE);
  synced = g_strdup_printf ("Synced 2 min ago, on %s. 1 edit waiting to be sent.", absolute);
  assert_full_label (fixture, synced);
  g_assert_true (gtk_widget_is_sensitive (popover_child (fixture, "sync-indicator.sync-now")));

  /* The client retries for several seconds: long enough to see it syncing. */
  rota_sync_start (sync);
  wait = (StateWait) { sync, ROTA_SYNC_STATE_SYNCING };
  g_assert_true (gui_test_wait_for (state_is, &wait, 5000));
  g_assert_true (g_str_has_prefix (button_text (fixture), "Syncing…"));
  spinner = find_widget (GTK_WIDGET (get_button (fixture)), is_spinner, NULL);
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  sync_now = popover_child (fixture, "sync-indicator.sync-now");
  g_assert_false (gtk_widget_is_sensitive (sync_now));

  wait = (StateWait) { sync, ROTA_SYNC_STATE_OFFLINE };
  g_assert_true (gui_test_wait_for (state_is, &wait, 60000));
  wait_for_text (fixture, "Offline · 1 edit waiting", 2000);
  g_assert_cmpstr (button_icon (fixture), ==, "network-offline-symbolic");
  g_assert_false (gtk_widget_get_visible (spinner));
  assert_full_label (fixture, "Offline: the server cannot be reached. 1 edit waiting to be sent.");
  g_assert_true (gtk_widget_is_sensitive (sync_now));

  gtk_menu_button_popup (get_button (fixture));
  shot = gui_test_screenshot ("sync-indicator-offline-popover");
  gtk_menu_button_popdown (get_button (fixture));

  rota_sync_stop (sync);
  rota_sync_indicator_set_sync (fixture->indicator, NULL, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (get_button (fixture))));
}

int
main (int   argc,
      char *argv[])
{
  /* Shift times in the labels are in local time. */
  g_setenv ("TZ", "UTC", TRUE);
  gui_test_init (&argc, &argv);

  /* The parked test goes first: it also drives the button by keys
   * through the X server, which did not reach the window of a test that
   * ran after another test's window had been destroyed. */
  g_test_add ("/gui/sync-indicator/parked", Fixture, NULL,
              fixture_set_up, test_parked, fixture_tear_down);
  g_test_add ("/gui/sync-indicator/local-and-conflict", Fixture, NULL,
              fixture_set_up, test_local_and_conflict, fixture_tear_down);
  g_test_add ("/gui/sync-indicator/offline", Fixture, NULL,
              fixture_set_up, test_offline, fixture_tear_down);

  return g_test_run ();
}
