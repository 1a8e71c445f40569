/* rota-connect-dialog.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * "Connect to a Server": the first run's dialog. It asks for the server's
 * address, the tenant, the API token and, for a self-hosted server, a CA
 * file, and adds the account with rota_account_add() on a worker thread:
 * that checks the token with the server's whoami and keeps it in the
 * keyring only. A failure shows under the rows and keeps what was typed.
 */

#define G_LOG_DOMAIN "rota-connect-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rota-account.h"
#include "rota-client.h"
#include "rota-connect-dialog.h"

struct _RotaConnectDialog
{
  AdwWindow             parent_instance;

  GtkWidget            *server_row;
  GtkWidget            *tenant_row;
  GtkWidget            *token_row;
  GtkWidget            *ca_row;
  GtkWidget            *ca_choose_button;
  GtkWidget            *ca_clear_button;
  GtkWidget            *error_label;
  GtkWidget            *spinner;
  GtkWidget            *connect_button;
  GtkWidget            *cancel_button;

  GtkFileChooserNative *chooser;
  char                 *ca_file;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (RotaConnectDialog, rota_connect_dialog, ADW_TYPE_WINDOW)

enum {
  ACCOUNT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the worker thread needs: copies, so that the rows may change. */
typedef struct
{
  char *server;
  char *tenant;
  char *token;
  char *ca_file;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_free (data->server);
  g_free (data->tenant);
  if (data->token != NULL)
    {
      /* The token goes to the keyring only; no copy of it lingers here. */
      memset (data->token, 0, strlen (data->token));
      g_free (data->token);
    }
  g_free (data->ca_file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectData, connect_data_free)

static void
set_busy (RotaConnectDialog *self,
          gboolean           busy)
{
  GtkWidget *rows[] = { self->server_row, self->tenant_row, self->token_row, self->ca_row };

  /* A focused text field made insensitive gets no focus-out, and its
   * cursor would go on blinking (GTK 4.8 warns so): the focus leaves
   * first, and comes back with the error. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !busy);
  gtk_widget_set_sensitive (self->connect_button, !busy);
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
}

static void
show_error (RotaConnectDialog *self,
            const char        *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
update_ca_row (RotaConnectDialog *self)
{
  if (self->ca_file != NULL)
    {
      g_autofree char *display = g_filename_display_name (self->ca_file);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->ca_row), display);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->ca_row),
                                 _("Only for a server with a certificate of its own"));
  gtk_widget_set_visible (self->ca_clear_button, self->ca_file != NULL);
}

static void
close_dialog (RotaConnectDialog *self)
{
  /* Focus leaves the rows first: a text field destroyed while it has the
   * focus keeps its cursor blinking (GTK 4.8 warns so). */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

/* Runs in a worker thread: rota_account_add() blocks on the network and
 * the keyring. */
static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectData *data = task_data;
  g_autoptr(GError) error = NULL;
  RotaAccount *account;

  account = rota_account_add (data->server, data->tenant, data->token, data->ca_file, cancellable, &error);
  if (account == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, account, (GDestroyNotify) rota_account_free);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RotaConnectDialog) self = user_data;
  g_autoptr(RotaAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (account == NULL)
    {
      g_autofree char *message = NULL;

      /* A refused token is the usual first-run mistake: say what to do,
       * then what the server said. */
      if (g_error_matches (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_UNAUTHORIZED))
        message = g_strdup_printf ("%s\n%s",
                                   _("The server did not accept this API token. Check that it is "
                                     "complete and that it belongs to this tenant."),
                                   error->message);
      show_error (self, message != NULL ? message : error->message);
      gtk_widget_grab_focus (self->token_row);
      return;
    }

  g_signal_emit (self, signals[ACCOUNT_ADDED], 0, account->server, account->tenant);
  close_dialog (self);
}

/* "rota.example.org" means https://rota.example.org/. */
static char *
server_address (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0' || strstr (trimmed, "://") != NULL)
    return g_steal_pointer (&trimmed);

  return g_strconcat ("https://", trimmed, NULL);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RotaConnectDialog *self = ROTA_CONNECT_DIALOG (widget);
  g_autoptr(ConnectData) data = g_new0 (ConnectData, 1);
  g_autoptr(GTask) task = NULL;

  if (self->cancellable != NULL)
    return;

  data->server = server_address (gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  data->tenant = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tenant_row))));
  data->token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  data->ca_file = g_strdup (self->ca_file);

  if (*data->server == '\0')
    {
      show_error (self, _("Enter the server’s address, such as https://rota.example.org"));
      gtk_widget_grab_focus (self->server_row);
      return;
    }
  if (*data->tenant == '\0')
    {
      show_error (self, _("Enter the tenant, the name your organisation has on the server"));
      gtk_widget_grab_focus (self->tenant_row);
      return;
    }
  if (*data->token == '\0')
    {
      show_error (self, _("Enter the API token your administrator gave you"));
      gtk_widget_grab_focus (self->token_row);
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, connect_cb, g_object_ref (self));
  g_task_set_source_tag (task, connect_action);
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) connect_data_free);
  g_task_run_in_thread (task, connect_thread);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  close_dialog (ROTA_CONNECT_DIALOG (widget));
}

static void
chooser_response_cb (RotaConnectDialog    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        rota_connect_dialog_set_ca_file (self, path);
    }

  g_clear_object (&self->chooser);
}

static void
choose_ca_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RotaConnectDialog *self = ROTA_CONNECT_DIALOG (widget);
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose the Server’s CA Certificate"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (pem, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (pem, "*.pem");
  gtk_file_filter_add_pattern (pem, "*.crt");
  gtk_file_filter_add_mime_type (pem, "application/x-x509-ca-cert");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), pem);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_ca_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  rota_connect_dialog_set_ca_file (ROTA_CONNECT_DIALOG (widget), NULL);
}

static GtkWidget *
entry_row (const char *name,
           const char *title,
           GType       type)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);

  gtk_widget_set_name (row, name);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return row;
}

static void
rota_connect_dialog_dispose (GObject *object)
{
  RotaConnectDialog *self = ROTA_CONNECT_DIALOG (object);

  /* A connection still running is dropped; its callback sees cancelled. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (rota_connect_dialog_parent_class)->dispose (object);
}

static void
rota_connect_dialog_finalize (GObject *object)
{
  RotaConnectDialog *self = ROTA_CONNECT_DIALOG (object);

  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (rota_connect_dialog_parent_class)->finalize (object);
}

static void
rota_connect_dialog_class_init (RotaConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rota_connect_dialog_dispose;
  object_class->finalize = rota_connect_dialog_finalize;

  /**
   * RotaConnectDialog::account-added:
   * @self: the dialog
   * @server: the account's server address, as the account list has it
   * @tenant: the account's tenant
   *
   * The server accepted the token and the account was added (its token
   * is in the keyring). The dialog closes right after.
   */
  signals[ACCOUNT_ADDED] =
    g_signal_new ("account-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "connect.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "connect.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "connect.choose-ca", NULL, choose_ca_action);
  gtk_widget_class_install_action (widget_class, "connect.clear-ca", NULL, clear_ca_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "connect.cancel", NULL);
}

static void
rota_connect_dialog_init (RotaConnectDialog *self)
{
  GtkWidget *box, *header, *clamp, *content, *group, *title;

  gtk_window_set_title (GTK_WINDOW (self), _("Connect to a Server"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, -1);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  adw_window_set_content (ADW_WINDOW (self), box);

  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_name (self->cancel_button, "cancel-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cancel_button), "connect.cancel");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cancel"), -1);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);

  self->connect_button = gtk_button_new_with_mnemonic (_("C_onnect"));
  gtk_widget_set_name (self->connect_button, "connect-button");
  gtk_widget_add_css_class (self->connect_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->connect_button), "connect.connect");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->connect_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connect"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->connect_button);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->connect_button);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_name (self->spinner, "spinner");
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connecting"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  gtk_widget_set_vexpand (clamp, TRUE);
  gtk_box_append (GTK_BOX (box), clamp);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);

  title = gtk_label_new (_("Rota keeps its data on this computer and syncs it with your organisation’s "
                           "server. Your administrator gives you the address, the tenant and a token."));
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_box_append (GTK_BOX (content), title);

  group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (content), group);

  self->server_row = entry_row ("server-row", _("Server Address"), ADW_TYPE_ENTRY_ROW);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->server_row), GTK_INPUT_PURPOSE_URL);
  adw_entry_row_set_input_hints (ADW_ENTRY_ROW (self->server_row), GTK_INPUT_HINT_NO_SPELLCHECK);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->server_row);

  self->tenant_row = entry_row ("tenant-row", _("Tenant"), ADW_TYPE_ENTRY_ROW);
  adw_entry_row_set_input_hints (ADW_ENTRY_ROW (self->tenant_row),
                                 GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_LOWERCASE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->tenant_row);

  self->token_row = entry_row ("token-row", _("API Token"), ADW_TYPE_PASSWORD_ENTRY_ROW);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->token_row);

  self->ca_row = adw_action_row_new ();
  gtk_widget_set_name (self->ca_row, "ca-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ca_row), _("CA Certificate (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ca_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("CA Certificate (optional)"), -1);

  self->ca_clear_button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_name (self->ca_clear_button, "ca-clear-button");
  gtk_widget_set_valign (self->ca_clear_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->ca_clear_button, "flat");
  gtk_widget_set_tooltip_text (self->ca_clear_button, _("Trust no CA file"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ca_clear_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Trust no CA file"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->ca_clear_button), "connect.clear-ca");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->ca_row), self->ca_clear_button);

  self->ca_choose_button = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_widget_set_name (self->ca_choose_button, "ca-choose-button");
  gtk_widget_set_valign (self->ca_choose_button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ca_choose_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose a CA certificate file"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->ca_choose_button), "connect.choose-ca");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->ca_row), self->ca_choose_button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->ca_row), self->ca_choose_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->ca_row);

  /* An alert, so that a screen reader reads the failure out. */
  self->error_label = g_object_new (GTK_TYPE_LABEL,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                                    "wrap", TRUE,
                                    "xalign", 0.0f,
                                    "selectable", TRUE,
                                    "visible", FALSE,
                                    NULL);
  gtk_widget_set_name (self->error_label, "error-label");
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_box_append (GTK_BOX (content), self->error_label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->token_row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->error_label, NULL, -1);

  update_ca_row (self);
  gtk_widget_grab_focus (self->server_row);
}

/**
 * rota_connect_dialog_new:
 * @parent: (nullable): the window it is modal to
 *
 * Returns: (transfer none): a new dialog; present it
 */
GtkWidget *
rota_connect_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (ROTA_TYPE_CONNECT_DIALOG,
                       "transient-for", parent,
                       NULL);
}

/**
 * rota_connect_dialog_set_ca_file:
 * @self: the dialog
 * @path: (nullable) (type filename): a CA file to trust for the server,
 *   or %NULL for none
 *
 * Fills the CA row, as choosing a file does.
 */
void
rota_connect_dialog_set_ca_file (RotaConnectDialog *self,
                                 const char        *path)
{
  g_return_if_fail (ROTA_IS_CONNECT_DIALOG (self));

  if (g_strcmp0 (self->ca_file, path) == 0)
    return;

  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
  update_ca_row (self);
}
