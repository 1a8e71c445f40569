/* rota-application.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rota-application.h"
#include "rota-client.h"
#include "rota-kiosk.h"
#include "rota-kiosk-window.h"
#include "rota-store.h"
#include "rota-sync.h"
#include "rota-window.h"

struct _RotaApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *store_path;
  char           *server;
  char           *tenant;
  char           *first_day;

  /* Kiosk mode: all set up before the first window. */
  gboolean        kiosk_mode;
  char           *credential_file;
  RotaKiosk      *kiosk;
  RotaSync       *kiosk_sync;
};

G_DEFINE_FINAL_TYPE (RotaApplication, rota_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "store", 's', 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this workspace file"), N_("PATH") },
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open the account on this server"), N_("URL") },
  { "tenant", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The account’s tenant, with --server"), N_("NAME") },
  { "day", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Show the week of this day"), N_("YYYY-MM-DD") },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Run as a locked-down punch terminal"), NULL },
  { "credential-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The kiosk’s credential file (owner only, mode 0600); default $XDG_CONFIG_HOME/rota/kiosk.ini"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* The kiosk's token must be clock-scoped and nothing else, as whoami
 * says. A kiosk that starts while the network is down relies on the last
 * check of the same token, kept beside its cache as a SHA-256 of the token
 * (never the token). */
static gboolean
kiosk_check_token (RotaClient  *client,
                   const char  *token,
                   const char  *store_path,
                   GError     **error)
{
  g_autofree char *check_path = g_strconcat (store_path, ".token-check", NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  g_autofree char *recorded = NULL;
  g_autoptr(GError) connect_error = NULL;
  const char * const *scopes;

  if (!rota_client_connect (client, NULL, &connect_error))
    {
      if (g_file_get_contents (check_path, &recorded, NULL, NULL) && g_str_equal (g_strstrip (recorded), digest))
        {
          g_message ("The server cannot be reached (%s); the token was checked before, the kiosk starts offline",
                     connect_error->message);
          return TRUE;
        }

      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_SCOPE,
                   _("The kiosk could not check its token with the server (%s). Connect it to the network once; after that it also starts offline."),
                   connect_error->message);
      return FALSE;
    }

  scopes = rota_client_get_scopes (client);
  if (!rota_kiosk_check_scopes (scopes, error))
    {
      g_unlink (check_path);
      return FALSE;
    }

  if (!g_file_set_contents_full (check_path, digest, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  return TRUE;
}

static gboolean
kiosk_prepare (RotaApplication  *self,
               GError          **error)
{
  g_autofree char *path = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *device = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(RotaKioskCredentials) credentials = NULL;
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(RotaStore) store = NULL;

  path = self->credential_file != NULL
           ? g_strdup (self->credential_file)
           : g_build_filename (g_get_user_config_dir (), "rota", "kiosk.ini", NULL);
  credentials = rota_kiosk_credentials_load (path, error);
  if (credentials == NULL)
    return FALSE;

  client = rota_client_new (credentials->server, credentials->tenant, credentials->token, credentials->ca_file, error);
  if (client == NULL)
    return FALSE;

  /* One cache per server, tenant and device. */
  dir = rota_store_default_dir ();
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not make the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, rota_client_get_server (client), -1);
  device = g_strdup (credentials->device);
  g_strcanon (device, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", '_');
  store_path = g_strdup_printf ("%s/kiosk-%.16s-%s-%s.sqlite", dir, digest, credentials->tenant, device);

  if (!kiosk_check_token (client, credentials->token, store_path, error))
    return FALSE;

  store = rota_store_open (store_path, ROTA_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return FALSE;

  self->kiosk_sync = rota_sync_new (store, client);
  /* Punches go out soon: a sync every half minute, and one after each. */
  rota_sync_set_interval (self->kiosk_sync, 30);
  self->kiosk = rota_kiosk_new (store, self->kiosk_sync, credentials->device, credentials->manager_pin_hash);

  return TRUE;
}

static int
rota_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  RotaApplication *self = ROTA_APPLICATION (application);
  const char *text;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("rota %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "store", "^&ay", &text))
    self->store_path = g_canonicalize_filename (text, NULL);
  if (g_variant_dict_lookup (options, "server", "&s", &text))
    self->server = g_strdup (text);
  if (g_variant_dict_lookup (options, "tenant", "&s", &text))
    self->tenant = g_strdup (text);
  if (g_variant_dict_lookup (options, "day", "&s", &text))
    self->first_day = g_strdup (text);
  if (g_variant_dict_lookup (options, "credential-file", "^&ay", &text))
    self->credential_file = g_canonicalize_filename (text, NULL);
  self->kiosk_mode = g_variant_dict_contains (options, "kiosk");

  if (self->credential_file != NULL && !self->kiosk_mode)
    {
      /* No other part of Rota reads a token from a file. */
      g_printerr ("%s\n", _("--credential-file is for --kiosk only; the app keeps its tokens in the keyring."));
      return 2;
    }
  if (self->kiosk_mode && (self->store_path != NULL || self->server != NULL))
    {
      g_printerr ("%s\n", _("A kiosk opens what its credential file names; leave out --store and --server."));
      return 2;
    }
  if (self->kiosk_mode)
    {
      g_autoptr(GError) error = NULL;

      if (!kiosk_prepare (self, &error))
        {
          /* Translators: %s says why, and what to do */
          g_printerr (_("The kiosk cannot start: %s\n"), error->message);
          return 1;
        }
    }

  if ((self->server == NULL) != (self->tenant == NULL))
    {
      g_printerr ("%s\n", _("Name both --server and --tenant to open an account."));
      return 2;
    }
  if (self->store_path != NULL && self->server != NULL)
    {
      g_printerr ("%s\n", _("Open either a workspace file (--store) or an account (--server), not both."));
      return 2;
    }

  return -1;
}

static void
rota_application_activate (GApplication *application)
{
  RotaApplication *self = ROTA_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL && self->kiosk != NULL)
    {
      RotaKioskWindow *kiosk_window = rota_kiosk_window_new (GTK_APPLICATION (self), self->kiosk);

      window = GTK_WINDOW (kiosk_window);
      g_signal_connect_object (kiosk_window, "punched", G_CALLBACK (rota_sync_request), self->kiosk_sync,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (kiosk_window, "leave", G_CALLBACK (g_application_quit), self, G_CONNECT_SWAPPED);
      rota_sync_start (self->kiosk_sync);
    }
  else if (window == NULL)
    {
      RotaWindow *rota_window = rota_window_new (self);

      window = GTK_WINDOW (rota_window);
      if (self->first_day != NULL)
        rota_window_set_first_day (rota_window, self->first_day);

      if (self->store_path != NULL)
        rota_window_open_workspace (rota_window, self->store_path);
      else if (self->server != NULL)
        rota_window_open_account (rota_window, self->server, self->tenant);
      else
        rota_window_open_last (rota_window);
    }

  gtk_window_present (window);
}

static void
rota_application_startup (GApplication *application)
{
  RotaApplication *self = ROTA_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (rota_application_parent_class)->startup (application);

  self->settings = g_settings_new ("org.rota.Rota");

  /* A kiosk has no way out but a manager's PIN: no quit, no preferences. */
  if (self->kiosk_mode)
    {
      g_action_map_remove_action (G_ACTION_MAP (self), "quit");
      g_action_map_remove_action (G_ACTION_MAP (self), "preferences");
      g_action_map_remove_action (G_ACTION_MAP (self), "about");
      return;
    }

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  RotaApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows saves their size. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (windows->data);
      windows = next;
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  RotaApplication *self = user_data;
  static const char *developers[] = { "The Rota developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Rota"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", "The Rota developers",
                        "developers", developers,
                        "copyright", "© 2026 The Rota developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one a line */
                        "translator-credits", _("translator-credits"),
                        "comments", _("Plan rosters, check them against working-time law, and record working time."),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static gboolean
view_to_selected (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *view = g_variant_get_string (variant, NULL);

  if (g_strcmp0 (view, "day") == 0)
    g_value_set_uint (value, 0);
  else if (g_strcmp0 (view, "month") == 0)
    g_value_set_uint (value, 2);
  else
    g_value_set_uint (value, 1);

  return TRUE;
}

static GVariant *
selected_to_view (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  static const char * const views[] = { "day", "week", "month" };
  guint selected = g_value_get_uint (value);

  return g_variant_new_string (views[MIN (selected, 2)]);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RotaApplication *self = user_data;
  GtkWidget *window, *page, *group, *row, *spin, *toggle;
  const char *views[] = { _("Day"), _("Week"), _("Month"), NULL };
  g_autoptr(GtkStringList) view_list = gtk_string_list_new (views);

  window = adw_preferences_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (window), gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (window), FALSE);

  page = adw_preferences_page_new ();
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Planner"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("View at start"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (view_list));
  g_settings_bind_with_mapping (self->settings, "planner-view", row, "selected", G_SETTINGS_BIND_DEFAULT,
                                view_to_selected, selected_to_view, NULL, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Show labour cost"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("The wages of the planned hours, in the totals"));
  toggle = gtk_switch_new ();
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show labour cost"), -1);
  g_settings_bind (self->settings, "show-labour-cost", toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Sync"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Minutes between syncs"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Rota also syncs at start, when the network comes back and on request"));
  spin = gtk_spin_button_new_with_range (1, 1440, 1);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Minutes between syncs"), -1);
  g_settings_bind (self->settings, "sync-interval-minutes", spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
};

static void
rota_application_finalize (GObject *object)
{
  RotaApplication *self = ROTA_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->tenant, g_free);
  g_clear_pointer (&self->first_day, g_free);
  g_clear_pointer (&self->credential_file, g_free);
  if (self->kiosk_sync != NULL)
    rota_sync_stop (self->kiosk_sync);
  g_clear_object (&self->kiosk);
  g_clear_object (&self->kiosk_sync);

  G_OBJECT_CLASS (rota_application_parent_class)->finalize (object);
}

static void
rota_application_class_init (RotaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rota_application_finalize;
  app_class->activate = rota_application_activate;
  app_class->startup = rota_application_startup;
  app_class->handle_local_options = rota_application_handle_local_options;
}

static void
rota_application_init (RotaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
}

RotaApplication *
rota_application_new (void)
{
  return g_object_new (ROTA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/org/rota/Rota",
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}

/**
 * rota_application_get_settings:
 *
 * Returns: (transfer none): the app's settings
 */
GSettings *
rota_application_get_settings (RotaApplication *self)
{
  g_return_val_if_fail (ROTA_IS_APPLICATION (self), NULL);

  return self->settings;
}
