/* test-connect-dialog.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The first run's "Connect to a Server" dialog against the real
 * rota-server over loopback TLS (tests/server's harness, a CA of its
 * own) and a real gnome-keyring (keyring-session.sh): a wrong token shows
 * its error under the rows, keeps what was typed and stores nothing; the
 * right one adds the account and closes the dialog; Escape cancels.
 */

#include "config.h"

#include <string.h>

#include "gui-testlib.h"
#include "rota-account.h"
#include "rota-connect-dialog.h"
#include "server-harness.h"

typedef HarnessServer Fixture;

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
child (GtkWidget  *dialog,
       const char *name)
{
  GtkWidget *widget = find_named (dialog, name);

  g_assert_nonnull (widget);
  if (widget == NULL)
    g_error ("no widget named %s", name);

  return widget;
}

static gboolean
error_shown (gpointer data)
{
  GtkWidget *dialog = data;

  return gtk_widget_get_visible (child (dialog, "error-label")) &&
         !gtk_widget_get_visible (child (dialog, "spinner"));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

typedef struct
{
  char *server;
  char *tenant;
} Added;

static void
account_added_cb (GtkWidget  *dialog,
                  const char *server,
                  const char *tenant,
                  Added      *added)
{
  g_assert_null (added->server);
  added->server = g_strdup (server);
  added->tenant = g_strdup (tenant);
}

static guint
n_accounts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = rota_account_list (&error);

  g_assert_no_error (error);

  return accounts != NULL ? accounts->len : 0;
}

static void
assert_label (GtkWidget  *widget,
              const char *label)
{
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
}

static void
test_connect (Fixture       *fixture,
              gconstpointer  data)
{
  const char *token = g_hash_table_lookup (fixture->tokens, "planning:write");
  g_autofree char *registry = g_build_filename (g_get_user_data_dir (), "rota", "accounts.ini", NULL);
  g_autofree char *shot = NULL;
  g_autoptr(RotaAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  Added added = { NULL, NULL };
  GtkWidget *dialog;
  GtkWidget *error_label;
  const char *message;

  dialog = rota_connect_dialog_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_connect (dialog, "account-added", G_CALLBACK (account_added_cb), &added);
  gtk_window_present (GTK_WINDOW (dialog));
  gui_test_iterate (200);

  /* Every control has an accessible name, and Connect is the default. */
  assert_label (child (dialog, "server-row"), "Server Address");
  assert_label (child (dialog, "tenant-row"), "Tenant");
  assert_label (child (dialog, "token-row"), "API Token");
  assert_label (child (dialog, "ca-row"), "CA Certificate (optional)");
  assert_label (child (dialog, "ca-choose-button"), "Choose a CA certificate file");
  assert_label (child (dialog, "ca-clear-button"), "Trust no CA file");
  assert_label (child (dialog, "connect-button"), "Connect");
  assert_label (child (dialog, "cancel-button"), "Cancel");
  assert_label (child (dialog, "spinner"), "Connecting");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == child (dialog, "connect-button"));
  g_assert_true (gtk_widget_has_css_class (child (dialog, "connect-button"), "suggested-action"));
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (child (dialog, "error-label")),
                                               GTK_ACCESSIBLE_ROLE_ALERT));

  /* Nothing typed: said so, no connection tried. */
  g_signal_emit_by_name (child (dialog, "connect-button"), "clicked");
  gui_test_iterate (50);
  error_label = child (dialog, "error-label");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "server’s address"));

  /* A wrong token: the server's refusal under the rows, what was typed
   * still there, nothing stored. The address without its scheme is taken
   * as https. */
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "server-row")), fixture->base + strlen ("https://"));
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "tenant-row")), "alpha");
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "token-row")), "rota_wrong_token");
  rota_connect_dialog_set_ca_file (ROTA_CONNECT_DIALOG (dialog), fixture->ca);
  g_signal_emit_by_name (child (dialog, "connect-button"), "clicked");
  /* Busy at once; the answer comes in a later main loop turn. */
  g_assert_false (gtk_widget_get_sensitive (child (dialog, "token-row")));
  g_assert_false (gtk_widget_get_sensitive (child (dialog, "connect-button")));
  g_assert_true (gtk_widget_get_visible (child (dialog, "spinner")));
  g_assert_true (gui_test_wait_for (error_shown, dialog, 20000));

  message = gtk_label_get_text (GTK_LABEL (error_label));
  g_test_message ("error shown: %s", message);
  g_assert_nonnull (strstr (message, "401"));
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_true (gtk_widget_get_sensitive (child (dialog, "token-row")));
  g_assert_true (gtk_widget_get_sensitive (child (dialog, "connect-button")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "server-row"))), ==,
                   fixture->base + strlen ("https://"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "tenant-row"))), ==, "alpha");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "token-row"))), ==, "rota_wrong_token");
  g_assert_null (added.server);
  g_assert_cmpuint (n_accounts (), ==, 0);
  g_assert_false (g_file_test (registry, G_FILE_TEST_EXISTS));

  shot = gui_test_screenshot ("connect-dialog-error");

  /* The right token, with Enter from the token row (Connect is the
   * default): added, announced, closed. */
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "token-row")), token);
  gui_test_focus (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (child (dialog, "token-row"));
  gui_test_keys ("Return");
  g_assert_true (gui_test_wait_for (is_null, &dialog, 20000));

  g_assert_nonnull (added.server);
  g_assert_cmpstr (added.server, ==, fixture->base);
  g_assert_cmpstr (added.tenant, ==, "alpha");
  g_assert_cmpuint (n_accounts (), ==, 1);
  account = rota_account_find (fixture->base, "alpha", &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  if (account != NULL)
    {
      g_assert_cmpstr (account->ca_file, ==, fixture->ca);
      g_assert_true (rota_account_allows (account, "planning:write"));
      g_assert_false (rota_account_allows (account, "hours:read"));
    }

  g_free (added.server);
  g_free (added.tenant);
}

/* Escape closes the dialog and adds nothing. */
static void
test_escape (Fixture       *fixture,
             gconstpointer  data)
{
  Added added = { NULL, NULL };
  GtkWidget *dialog = rota_connect_dialog_new (NULL);

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_connect (dialog, "account-added", G_CALLBACK (account_added_cb), &added);
  gtk_window_present (GTK_WINDOW (dialog));
  gui_test_iterate (200);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "server-row")), fixture->base);
  gui_test_focus (GTK_WINDOW (dialog));
  gui_test_keys ("Escape");
  g_assert_true (gui_test_wait_for (is_null, &dialog, 5000));
  g_assert_null (added.server);
  g_assert_cmpuint (n_accounts (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add ("/gui/connect-dialog/escape", Fixture, NULL, harness_server_set_up, test_escape,
              harness_server_tear_down);
  g_test_add ("/gui/connect-dialog/connect", Fixture, NULL, harness_server_set_up, test_connect,
              harness_server_tear_down);

  return g_test_run ();
}
