/* rota-credentials.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * API tokens live in the Secret Service (GNOME Keyring and the like), and
 * only there: never in the cache, GSettings, a file or the environment.
 * Without a keyring that answers and is unlocked, every call fails closed
 * with a message that says what to do; there is no plaintext fallback.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rota-credentials.h"

G_DEFINE_QUARK (rota-credentials-error-quark, rota_credentials_error)

/**
 * rota_credentials_get_schema:
 *
 * The libsecret schema of an account's token, `org.rota.Rota.Account`:
 * the attributes `server` (the server's base URL) and `tenant`.
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
rota_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    "org.rota.Rota.Account", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "tenant", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static gboolean
check_account (const char  *server,
               const char  *tenant,
               GError     **error)
{
  if (server == NULL || *server == '\0' || !g_utf8_validate (server, -1, NULL) ||
      tenant == NULL || *tenant == '\0' || !g_utf8_validate (tenant, -1, NULL))
    {
      g_set_error_literal (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_INVALID,
                           _("An account needs a server address and a tenant"));
      return FALSE;
    }

  return TRUE;
}

/* Turns what libsecret or D-Bus said into one of ours, with advice. The
 * cause stays in the message for whoever reads the log. A cancellation
 * by the caller stays one; one by the keyring (a prompt dismissed or
 * impossible) means it stayed locked. */
static void
set_keyring_error (GError       **error,
                   const GError  *cause,
                   GCancellable  *cancellable)
{
  gboolean unavailable = cause->domain == G_IO_ERROR ||
                         g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
                         g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
                         g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER) ||
                         g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
                         g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_FAILED) ||
                         g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    g_propagate_error (error, g_error_copy (cause));
  else if (g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
           g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_LOCKED,
                 _("The keyring is locked. Unlock it (for example by logging in to the desktop, "
                   "or with “Passwords and Keys”) and try again. (%s)"), cause->message);
  else if (unavailable)
    g_set_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_UNAVAILABLE,
                 _("No keyring is running. Rota keeps API tokens only in a keyring: start GNOME "
                   "Keyring or another Secret Service in this session and try again. (%s)"),
                 cause->message);
  else
    g_set_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_FAILED,
                 _("The keyring refused: %s"), cause->message);
}

/**
 * rota_credentials_store:
 * @server: the server's base URL
 * @tenant: the tenant
 * @token: the API token
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Stores @token for the account in the default keyring, replacing the one
 * it had. Blocks on D-Bus: call it from a worker thread in a UI.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_credentials_store (const char    *server,
                        const char    *tenant,
                        const char    *token,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;

  if (!check_account (server, tenant, error))
    return FALSE;

  if (token == NULL || *token == '\0' || !g_utf8_validate (token, -1, NULL) ||
      strpbrk (token, " \t\r\n") != NULL)
    {
      g_set_error_literal (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_INVALID,
                           _("The API token is empty or has spaces or line breaks in it; "
                             "paste it exactly as the server showed it"));
      return FALSE;
    }

  /* Translators: the keyring item's name; first the tenant, then the server address */
  label = g_strdup_printf (_("Rota: %s on %s"), tenant, server);

  if (!secret_password_store_sync (rota_credentials_get_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                   cancellable, &local_error,
                                   "server", server,
                                   "tenant", tenant,
                                   NULL))
    {
      set_keyring_error (error, local_error, cancellable);
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_credentials_lookup:
 * @server: the server's base URL
 * @tenant: the tenant
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the token, in memory that is not
 *   swapped out, to be freed with rota_credentials_free_token(); %NULL
 *   with %ROTA_CREDENTIALS_ERROR_NOT_FOUND when none is stored
 */
RotaCredentialsToken *
rota_credentials_lookup (const char    *server,
                         const char    *tenant,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *token;

  if (!check_account (server, tenant, error))
    return NULL;

  token = secret_password_lookup_nonpageable_sync (rota_credentials_get_schema (), cancellable, &local_error,
                                                   "server", server,
                                                   "tenant", tenant,
                                                   NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, cancellable);
      return NULL;
    }

  if (token == NULL)
    {
      g_autolist(SecretRetrievable) locked = NULL;

      /* A lookup that could not unlock (no prompt possible) finds nothing,
       * without an error: tell a locked token from a missing one. */
      locked = secret_password_search_sync (rota_credentials_get_schema (), SECRET_SEARCH_ALL,
                                            cancellable, NULL,
                                            "server", server,
                                            "tenant", tenant,
                                            NULL);
      if (locked != NULL)
        {
          g_set_error_literal (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_LOCKED,
                               _("The keyring is locked. Unlock it (for example by logging in to the desktop, "
                                 "or with “Passwords and Keys”) and try again"));
          return NULL;
        }

      g_set_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_NOT_FOUND,
                   _("The keyring has no API token for %s on %s; add the account again"), tenant, server);
      return NULL;
    }

  return token;
}

/**
 * rota_credentials_clear:
 * @server: the server's base URL
 * @tenant: the tenant
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Removes the account's token from the keyring. Removing one that is not
 * there succeeds.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_credentials_clear (const char    *server,
                        const char    *tenant,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!check_account (server, tenant, error))
    return FALSE;

  secret_password_clear_sync (rota_credentials_get_schema (), cancellable, &local_error,
                              "server", server,
                              "tenant", tenant,
                              NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, cancellable);
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_credentials_free_token:
 * @token: (nullable): a token from rota_credentials_lookup()
 *
 * Wipes and frees @token.
 */
void
rota_credentials_free_token (RotaCredentialsToken *token)
{
  if (token != NULL)
    secret_password_free (token);
}
