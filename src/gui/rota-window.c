/* rota-window.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rota-account.h"
#include "rota-connect-dialog.h"
#include "rota-demo.h"
#include "rota-planner-page.h"
#include "rota-punches-page.h"
#include "rota-sync-indicator.h"
#include "rota-sync.h"
#include "rota-time.h"
#include "rota-window.h"

struct _RotaWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  RotaStore            *store;
  RotaSync             *sync;
  RotaPlan             *plan;
  RotaAccount          *account;
  char                 *first_day;
  GCancellable         *cancellable;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkLabel             *period_label;
  GtkWidget            *navigation_box;
  RotaSyncIndicator    *sync_indicator;
  RotaPlannerPage      *planner_page;
  RotaPunchesPage      *punches_page;
  AdwViewStackPage     *punches_stack_page;
  AdwViewStackPage     *planner_stack_page;
  GBinding             *title_binding;
  AdwViewStack         *view_stack;
  GtkSpinner           *loading_spinner;
  GtkLabel             *loading_label;
  GtkProgressBar       *loading_progress;
  GMenu                *accounts_section;
  GtkWidget            *demo_button;
  gboolean              damage_shown;
  gboolean              making_demo;
};

G_DEFINE_FINAL_TYPE (RotaWindow, rota_window, ADW_TYPE_APPLICATION_WINDOW)

static void set_making_demo (RotaWindow *self,
                             gboolean    making);

/* Helpers */

static void
show_error (RotaWindow  *self,
            const char  *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_loading (RotaWindow *self,
              const char *label)
{
  gtk_label_set_label (self->loading_label, label);
  gtk_progress_bar_set_fraction (self->loading_progress, 0);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  gtk_widget_set_visible (self->navigation_box, FALSE);
}

static void
show_welcome (RotaWindow *self)
{
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  gtk_widget_set_visible (self->navigation_box, FALSE);
  /* Enter tries the demo: the first thing most people want. */
  gtk_widget_grab_focus (self->demo_button);
}

static void
close_current (RotaWindow *self)
{
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      rota_sync_stop (self->sync);
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  rota_planner_page_set_plan (self->planner_page, NULL, NULL);
  rota_punches_page_set_store (self->punches_page, NULL, NULL, NULL);
  rota_sync_indicator_set_sync (self->sync_indicator, NULL, NULL);
  g_clear_object (&self->plan);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_pointer (&self->account, rota_account_free);
}

static char *
today (void)
{
  return rota_time_work_date (rota_time_now (), rota_time_zone_get (NULL));
}

/* The integrity check of a large cache runs after the first frame. */
static void
store_checked_cb (RotaWindow *self,
                  RotaStore  *store)
{
  GtkWidget *dialog;

  if (!rota_store_get_read_only (store) || self->damage_shown)
    return;

  /* Shown and told once; nothing can be changed any more. */
  self->damage_shown = TRUE;
  rota_planner_page_set_read_only (self->planner_page, TRUE);
  rota_punches_page_set_read_only (self->punches_page, TRUE);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("This Data Is Damaged"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The file %s failed its integrity check (%s). Rota shows it but changes nothing and does not sync it. Save the edits that were not synced with “rotactl export-unsynced”, then restore a backup or add the account again."),
                                  rota_store_get_path (store), rota_store_get_recovery_reason (store));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Who edits: the token's name on a server (what its audit trail says
 * too), the person logged in on a local workspace. */
static const char *
author (RotaWindow *self)
{
  if (self->account != NULL && self->account->token_name != NULL && *self->account->token_name != '\0')
    return self->account->token_name;

  return *g_get_real_name () != '\0' && g_strcmp0 (g_get_real_name (), "Unknown") != 0
           ? g_get_real_name ()
           : g_get_user_name ();
}

static void
show_store (RotaWindow *self,
            RotaStore  *store,
            RotaSync   *sync)
{
  g_autofree char *day = self->first_day ? g_strdup (self->first_day) : today ();

  self->store = g_object_ref (store);
  self->sync = sync ? g_object_ref (sync) : NULL;
  self->damage_shown = FALSE;
  g_signal_connect_object (store, "checked", G_CALLBACK (store_checked_cb), self, G_CONNECT_SWAPPED);
  if (rota_store_get_read_only (store))
    store_checked_cb (self, store);
  self->plan = rota_plan_new (store, g_get_user_name ());

  rota_sync_indicator_set_sync (self->sync_indicator, sync, store);
  /* Each edit adds to the outbox: the indicator counts it at once. */
  g_signal_connect_object (self->plan, "row-changed", G_CALLBACK (rota_sync_indicator_reload),
                           self->sync_indicator, G_CONNECT_SWAPPED);
  rota_planner_page_set_plan (self->planner_page, self->plan, day);
  rota_punches_page_set_store (self->punches_page, store, author (self), day);
  rota_punches_page_set_has_server (self->punches_page, sync != NULL);

  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  gtk_widget_set_visible (self->navigation_box, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->planner_page));
}

/* Accounts menu */

static void
update_accounts_menu (RotaWindow *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  g_menu_remove_all (self->accounts_section);

  accounts = rota_account_list (&error);
  if (accounts == NULL)
    return;

  for (guint i = 0; i < accounts->len; i++)
    {
      RotaAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *label = g_strdup_printf ("%s · %s", account->tenant, account->server);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "win.open-account", "(ss)", account->server, account->tenant);
      g_menu_append_item (self->accounts_section, item);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", self->account != NULL);
}

/* Opening */

static void
sync_finished_cb (RotaWindow *self)
{
  g_autoptr(GError) error = NULL;

  /* What the server sent shows at once; the cursor stays. */
  if (self->plan != NULL && rota_plan_get_first_date (self->plan) != NULL &&
      !rota_plan_reload (self->plan, &error))
    show_error (self, error->message);
  rota_punches_page_reload (self->punches_page);
}

void
rota_window_open_workspace (RotaWindow *self,
                            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autofree char *setting = NULL;

  g_return_if_fail (ROTA_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  close_current (self);

  store = rota_store_open (path, ROTA_STORE_OPEN_CHECK_LATER, &error);
  if (store == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the workspace %s: %s"), path, error->message);

      show_welcome (self);
      show_error (self, message);
      return;
    }

  rota_planner_page_set_read_only (self->planner_page, FALSE);
  rota_punches_page_set_read_only (self->punches_page, FALSE);
  adw_view_stack_page_set_visible (self->planner_stack_page, TRUE);
  adw_view_stack_page_set_visible (self->punches_stack_page, TRUE);
  setting = g_strconcat ("local:", path, NULL);
  g_settings_set_string (self->settings, "active-account", setting);
  show_store (self, store, NULL);
  gtk_window_set_title (GTK_WINDOW (self), _("Rota · Demo workspace"));
  update_accounts_menu (self);
}

static void
interval_changed_cb (GSettings  *settings,
                     const char *key,
                     RotaSync   *sync)
{
  rota_sync_set_interval (sync, g_settings_get_uint (settings, key) * 60);
}

void
rota_window_open_account (RotaWindow *self,
                          const char *server,
                          const char *tenant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaAccount) account = NULL;
  g_autoptr(RotaSync) sync = NULL;
  g_autofree char *setting = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (ROTA_IS_WINDOW (self));

  close_current (self);

  account = rota_account_find (server, tenant, &error);
  if (account != NULL)
    sync = rota_account_open_sync_full (account, ROTA_STORE_OPEN_CHECK_LATER, NULL, &error);
  if (sync == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the account %s on %s: %s"),
                                                  tenant, server, error->message);

      show_welcome (self);
      show_error (self, message);
      update_accounts_menu (self);
      return;
    }

  setting = g_strdup_printf ("%s %s", account->server, account->tenant);
  g_settings_set_string (self->settings, "active-account", setting);
  rota_sync_set_interval (sync, g_settings_get_uint (self->settings, "sync-interval-minutes") * 60);
  g_signal_connect_object (self->settings, "changed::sync-interval-minutes", G_CALLBACK (interval_changed_cb),
                           sync, 0);
  g_signal_connect_object (sync, "finished", G_CALLBACK (sync_finished_cb), self, G_CONNECT_SWAPPED);

  /* A token that may read neither the plan nor the hours has nothing to
   * show; one that may read only one of them sees only its page. */
  if (!rota_account_allows (account, "planning:read") && !rota_account_allows (account, "hours:read"))
    {
      g_autofree char *message = g_strdup_printf (_("The token of %s may read neither the plan nor the hours, so there is nothing to show here. Ask your administrator for a token with the “planning:read” or the “hours:read” scope."),
                                                  account->tenant);

      rota_sync_stop (sync);
      show_welcome (self);
      show_error (self, message);
      update_accounts_menu (self);
      return;
    }

  self->account = g_steal_pointer (&account);
  show_store (self, rota_sync_get_store (sync), sync);
  rota_planner_page_set_read_only (self->planner_page,
                                   self->damage_shown || !rota_account_allows (self->account, "planning:write"));
  /* Punches need hours:read to be seen and hours:write to be changed. */
  adw_view_stack_page_set_visible (self->planner_stack_page, rota_account_allows (self->account, "planning:read"));
  adw_view_stack_page_set_visible (self->punches_stack_page, rota_account_allows (self->account, "hours:read"));
  if (!rota_account_allows (self->account, "planning:read"))
    adw_view_stack_set_visible_child_name (self->view_stack, "punches");
  rota_punches_page_set_read_only (self->punches_page,
                                   self->damage_shown || !rota_account_allows (self->account, "hours:write"));
  rota_sync_start (sync);

  /* Translators: the window title: "Rota · hotel-am-see" */
  title = g_strdup_printf (_("Rota · %s"), self->account->tenant);
  gtk_window_set_title (GTK_WINDOW (self), title);
  update_accounts_menu (self);
}

void
rota_window_open_last (RotaWindow *self)
{
  g_autofree char *last = NULL;
  char *space;

  g_return_if_fail (ROTA_IS_WINDOW (self));

  last = g_settings_get_string (self->settings, "active-account");
  if (g_str_has_prefix (last, "local:") && g_file_test (last + 6, G_FILE_TEST_EXISTS))
    rota_window_open_workspace (self, last + 6);
  else if ((space = strrchr (last, ' ')) != NULL)
    {
      *space = '\0';
      rota_window_open_account (self, last, space + 1);
    }
  else
    {
      show_welcome (self);
      update_accounts_menu (self);
    }
}

/* The demo workspace, made on a worker thread with a progress bar. */

typedef struct
{
  GWeakRef  window;
  double    fraction;
} DemoProgress;

static gboolean
demo_progress_idle (gpointer data)
{
  DemoProgress *progress = data;
  g_autoptr(RotaWindow) self = g_weak_ref_get (&progress->window);

  if (self != NULL)
    gtk_progress_bar_set_fraction (self->loading_progress, progress->fraction);

  g_weak_ref_clear (&progress->window);
  g_free (progress);

  return G_SOURCE_REMOVE;
}

static void
demo_progress_cb (double   fraction,
                  gpointer user_data)
{
  DemoProgress *progress = g_new0 (DemoProgress, 1);

  g_weak_ref_init (&progress->window, user_data);
  progress->fraction = fraction;
  g_idle_add (demo_progress_idle, progress);
}

static void
make_demo_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autofree char *partial = g_strconcat (path, ".part", NULL);
  RotaDemoOptions options;

  rota_store_delete_files (partial, NULL);
  store = rota_store_open (partial, ROTA_STORE_OPEN_CREATE, &error);
  if (store != NULL)
    {
      rota_demo_options_init (&options, rota_time_now ());
      if (!rota_demo_fill_store (store, &options, demo_progress_cb, source_object, cancellable, &error))
        g_clear_object (&store);
    }

  if (store == NULL)
    {
      rota_store_delete_files (partial, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Only a finished workspace gets the real name. */
  rota_store_close (store);
  if (g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s", g_strerror (saved_errno));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
make_demo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RotaWindow *self = ROTA_WINDOW (object);
  g_autoptr(GError) error = NULL;
  const char *path = g_task_get_task_data (G_TASK (result));

  set_making_demo (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not make the demo workspace: %s"), error->message);
      show_welcome (self);
      show_error (self, message);
      return;
    }

  rota_window_open_workspace (self, path);
}

/* While the demo is made, nothing else is opened: the demo would replace
 * it when done. */
static void
set_making_demo (RotaWindow *self,
                 gboolean    making)
{
  self->making_demo = making;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.try-demo", !making);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect", !making);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-account", !making);
}

static void
try_demo_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RotaWindow *self = ROTA_WINDOW (widget);
  g_autofree char *dir = rota_store_default_dir ();
  g_autofree char *path = g_build_filename (dir, "demo.sqlite", NULL);
  g_autoptr(GTask) task = NULL;

  if (self->making_demo)
    return;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      rota_window_open_workspace (self, path);
      return;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the folder %s: %s"), dir, g_strerror (errno));

      show_error (self, message);
      return;
    }

  close_current (self);
  show_loading (self, _("Making a demo workspace with made-up people and shifts…"));
  set_making_demo (self, TRUE);

  task = g_task_new (self, self->cancellable, make_demo_cb, NULL);
  g_task_set_source_tag (task, try_demo_action);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_task_run_in_thread (task, make_demo_thread);
}

/* Actions */

static void
account_added_cb (RotaWindow *self,
                  const char *server,
                  const char *tenant)
{
  rota_window_open_account (self, server, tenant);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RotaWindow *self = ROTA_WINDOW (widget);
  GtkWidget *dialog = rota_connect_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "account-added", G_CALLBACK (account_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RotaWindow *self = ROTA_WINDOW (widget);
  int direction = 0;

  if (g_str_equal (action_name, "win.previous"))
    direction = -1;
  else if (g_str_equal (action_name, "win.next"))
    direction = 1;

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "punches") == 0)
    rota_punches_page_step (self->punches_page, direction);
  else
    rota_planner_page_step (self->planner_page, direction);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RotaWindow *self = ROTA_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->planner_page),
                              g_str_equal (action_name, "win.undo") ? "planner.undo" : "planner.redo", NULL);
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RotaWindow *self = ROTA_WINDOW (widget);

  if (self->sync != NULL)
    rota_sync_request (self->sync);
  else
    show_error (self, _("This workspace is not connected to a server; its edits stay on this computer."));
}

static void
open_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  const char *server, *tenant;

  g_variant_get (parameter, "(&s&s)", &server, &tenant);
  rota_window_open_account (ROTA_WINDOW (widget), server, tenant);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RotaWindow       *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *tenant = NULL;

  if (g_strcmp0 (response, "remove") != 0 || self->account == NULL)
    return;

  server = g_strdup (self->account->server);
  tenant = g_strdup (self->account->tenant);
  close_current (self);

  if (!rota_account_remove (server, tenant, FALSE, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The account was not removed: %s"), error->message);

      show_error (self, message);
      rota_window_open_account (self, server, tenant);
      return;
    }

  g_settings_set_string (self->settings, "active-account", "");
  show_welcome (self);
  update_accounts_menu (self);
}

static void
remove_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RotaWindow *self = ROTA_WINDOW (widget);
  GtkWidget *dialog;

  if (self->account == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove This Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The token for %s on %s leaves the keyring and this computer’s copy of its data is deleted. Edits that were not synced yet keep the account here."),
                                  self->account->tenant, self->account->server);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toast_cb (RotaWindow *self,
          AdwToast   *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

static void
punches_resolve_cb (RotaWindow           *self,
                    const RotaOutboxItem *item)
{
  rota_sync_indicator_resolve_item (self->sync_indicator, item);
}

/* The header's period and arrows follow the page shown. */
static void
visible_page_cb (RotaWindow *self)
{
  gboolean punches = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "punches") == 0;

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  self->title_binding = g_object_bind_property (punches ? (gpointer) self->punches_page : (gpointer) self->planner_page,
                                                "title", self->period_label, "label", G_BINDING_SYNC_CREATE);
  if (punches)
    rota_punches_page_show (self->punches_page);
}

static void
resolved_cb (RotaWindow *self)
{
  sync_finished_cb (self);
}

/* For tests/bench/bench-planner: with ROTA_BENCH_FIRST_FRAME set, the first
 * frame that shows the Planner prints the resident memory and ends the
 * process, so that the benchmark can time a start from outside. */
static gint64
resident_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");

  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      RotaWindow    *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "content") != 0)
    return;

  g_print ("first-frame rss_kb=%" G_GINT64_FORMAT "\n", resident_kb ());
  fflush (stdout);
  _exit (0);
}

static void
bench_realize_cb (RotaWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), self, 0);
}

/* GObject */

static gboolean
rota_window_close_request (GtkWindow *window)
{
  RotaWindow *self = ROTA_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (rota_window_parent_class)->close_request (window);
}

static void
rota_window_dispose (GObject *object)
{
  RotaWindow *self = ROTA_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  close_current (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROTA_TYPE_WINDOW);

  G_OBJECT_CLASS (rota_window_parent_class)->dispose (object);
}

static void
rota_window_finalize (GObject *object)
{
  RotaWindow *self = ROTA_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_free (self->first_day);

  G_OBJECT_CLASS (rota_window_parent_class)->finalize (object);
}

static void
rota_window_class_init (RotaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rota_window_dispose;
  object_class->finalize = rota_window_finalize;
  window_class->close_request = rota_window_close_request;

  g_type_ensure (ROTA_TYPE_PLANNER_PAGE);
  g_type_ensure (ROTA_TYPE_PUNCHES_PAGE);
  g_type_ensure (ROTA_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/rota/Rota/rota-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, period_label);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, navigation_box);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, planner_page);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, punches_page);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, punches_stack_page);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, planner_stack_page);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, accounts_section);
  gtk_widget_class_bind_template_child (widget_class, RotaWindow, demo_button);

  gtk_widget_class_install_action (widget_class, "win.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.today", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.try-demo", NULL, try_demo_action);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.open-account", "(ss)", open_account_action);
  gtk_widget_class_install_action (widget_class, "win.remove-account", NULL, remove_account_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync", NULL);
}

static void
rota_window_init (RotaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("org.rota.Rota");
  self->cancellable = g_cancellable_new ();

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->view_stack, "notify::visible-child", G_CALLBACK (visible_page_cb), self,
                           G_CONNECT_SWAPPED);
  visible_page_cb (self);
  g_signal_connect_object (self->planner_page, "toast", G_CALLBACK (toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->punches_page, "toast", G_CALLBACK (toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->punches_page, "resolve", G_CALLBACK (punches_resolve_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->punches_page, "changed", G_CALLBACK (rota_sync_indicator_reload),
                           self->sync_indicator, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync_indicator, "resolved", G_CALLBACK (resolved_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", FALSE);
  show_welcome (self);

  if (g_getenv ("ROTA_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect_after (self, "realize", G_CALLBACK (bench_realize_cb), NULL);
}

RotaWindow *
rota_window_new (RotaApplication *application)
{
  return g_object_new (ROTA_TYPE_WINDOW, "application", application, NULL);
}

void
rota_window_set_first_day (RotaWindow *self,
                           const char *date)
{
  g_return_if_fail (ROTA_IS_WINDOW (self));

  if (!rota_date_is_valid (date))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a date; showing today. Write it as YYYY-MM-DD."), date);

      show_error (self, message);
      return;
    }

  g_free (self->first_day);
  self->first_day = g_strdup (date);
}

/**
 * rota_window_get_plan:
 *
 * Returns: (transfer none) (nullable): the plan shown
 */
RotaPlan *
rota_window_get_plan (RotaWindow *self)
{
  g_return_val_if_fail (ROTA_IS_WINDOW (self), NULL);

  return self->plan;
}

void
rota_window_add_toast (RotaWindow *self,
                       AdwToast   *toast)
{
  g_return_if_fail (ROTA_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * rota_window_get_planner_page:
 *
 * Returns: (transfer none): the Planner page
 */
GtkWidget *
rota_window_get_planner_page (RotaWindow *self)
{
  g_return_val_if_fail (ROTA_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->planner_page);
}

/**
 * rota_window_get_punches_page:
 *
 * Returns: (transfer none): the Punches page
 */
GtkWidget *
rota_window_get_punches_page (RotaWindow *self)
{
  g_return_val_if_fail (ROTA_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->punches_page);
}

/**
 * rota_window_show_page:
 * @name: "planner" or "punches"
 */
void
rota_window_show_page (RotaWindow *self,
                       const char *name)
{
  g_return_if_fail (ROTA_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}
