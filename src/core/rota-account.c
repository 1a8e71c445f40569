/* rota-account.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Accounts: a server and a tenant. The token is in the keyring only
 * (rota-credentials.c); the account's data is in a cache file of its own
 * in Rota's private folder; the list of accounts is `accounts.ini` there,
 * 0600, which holds no secret.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rota-account.h"
#include "rota-client.h"
#include "rota-credentials.h"
#include "rota-store.h"

void
rota_account_free (RotaAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->server);
  g_free (account->tenant);
  g_free (account->ca_file);
  g_free (account->token_name);
  g_free (account->cache);
  g_strfreev (account->scopes);
  g_free (account);
}

static char *
registry_path (void)
{
  g_autofree char *dir = rota_store_default_dir ();

  return g_build_filename (dir, "accounts.ini", NULL);
}

/* The keyfile group of an account: a digest, since server addresses may
 * hold characters group names may not ("[" of an IPv6 address). */
static char *
group_of (const char *server,
          const char *tenant)
{
  g_autofree char *key = g_strconcat (tenant, "@", server, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("account-%.16s", digest);
}

static GKeyFile *
load_registry (GError **error)
{
  g_autoptr(GKeyFile) registry = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = registry_path ();

  if (!g_key_file_load_from_file (registry, path, G_KEY_FILE_NONE, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Cannot read the list of accounts %s: %s"), path, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&registry);
}

static gboolean
save_registry (GKeyFile  *registry,
               GError   **error)
{
  g_autofree char *path = registry_path ();
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  data = g_key_file_to_data (registry, &length, NULL);
  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot write the list of accounts %s: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static RotaAccount *
account_from_group (GKeyFile   *registry,
                    const char *group)
{
  RotaAccount *account = g_new0 (RotaAccount, 1);

  account->server = g_key_file_get_string (registry, group, "server", NULL);
  account->tenant = g_key_file_get_string (registry, group, "tenant", NULL);
  account->ca_file = g_key_file_get_string (registry, group, "ca-file", NULL);
  account->token_name = g_key_file_get_string (registry, group, "token-name", NULL);
  account->cache = g_key_file_get_string (registry, group, "cache", NULL);
  account->scopes = g_key_file_get_string_list (registry, group, "scopes", NULL, NULL);

  if (account->server == NULL || account->tenant == NULL || account->cache == NULL)
    {
      rota_account_free (account);
      return NULL;
    }

  return account;
}

/**
 * rota_account_list:
 * @error: a location for a #GError
 *
 * Returns: (transfer container) (element-type RotaAccount): the accounts,
 *   in the order they were added
 */
GPtrArray *
rota_account_list (GError **error)
{
  g_autoptr(GKeyFile) registry = load_registry (error);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_account_free);
  g_auto(GStrv) groups = NULL;

  if (registry == NULL)
    return NULL;

  groups = g_key_file_get_groups (registry, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      RotaAccount *account = account_from_group (registry, groups[i]);

      if (account != NULL)
        g_ptr_array_add (accounts, account);
    }

  return g_steal_pointer (&accounts);
}

/* The server address as RotaClient writes it, so that "https://h" and
 * "https://h/" are one account. */
static char *
normalize_server (const char  *server,
                  const char  *tenant,
                  GError     **error)
{
  g_autoptr(RotaClient) client = rota_client_new (server, tenant, "unused", NULL, error);

  return client != NULL ? g_strdup (rota_client_get_server (client)) : NULL;
}

/**
 * rota_account_find:
 * @server: the server's address
 * @tenant: the tenant
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND
 */
RotaAccount *
rota_account_find (const char  *server,
                   const char  *tenant,
                   GError     **error)
{
  g_autoptr(GKeyFile) registry = NULL;
  g_autofree char *normal = normalize_server (server, tenant, error);
  g_autofree char *group = NULL;
  RotaAccount *account;

  if (normal == NULL || (registry = load_registry (error)) == NULL)
    return NULL;

  group = group_of (normal, tenant);
  account = g_key_file_has_group (registry, group) ? account_from_group (registry, group) : NULL;
  if (account == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("There is no account for %s on %s; “rotactl account list” shows the ones there are"),
                 tenant, normal);

  return account;
}

/**
 * rota_account_add:
 * @server: the server's address
 * @tenant: the tenant
 * @token: the API token
 * @ca_file: (nullable): a CA file to trust for this server besides the
 *   system's
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Checks @token with the server (rota_client_connect()), stores it in the keyring, makes
 * the account's cache and lists the account. Blocks: call it from a
 * worker thread in a UI. On failure nothing is left behind.
 *
 * Returns: (transfer full) (nullable): the new account
 */
RotaAccount *
rota_account_add (const char    *server,
                  const char    *tenant,
                  const char    *token,
                  const char    *ca_file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(GKeyFile) registry = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaAccount) account = NULL;
  g_autofree char *group = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  client = rota_client_new (server, tenant, token, ca_file, error);
  if (client == NULL)
    return NULL;

  registry = load_registry (error);
  if (registry == NULL)
    return NULL;

  group = group_of (rota_client_get_server (client), tenant);
  if (g_key_file_has_group (registry, group))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("The account %s on %s exists already; remove it first to replace its token"),
                   tenant, rota_client_get_server (client));
      return NULL;
    }

  if (!rota_client_connect (client, cancellable, error))
    return NULL;

  account = g_new0 (RotaAccount, 1);
  account->server = g_strdup (rota_client_get_server (client));
  account->tenant = g_strdup (tenant);
  if (ca_file != NULL)
    account->ca_file = g_canonicalize_filename (ca_file, NULL);
  account->token_name = g_strdup (rota_client_get_token_name (client));
  account->scopes = g_strdupv ((char **) rota_client_get_scopes (client));

  dir = rota_store_default_dir ();
  name = g_strdup_printf ("%s-%s.sqlite", group, tenant);
  account->cache = g_build_filename (dir, name, NULL);

  /* A cache no account lists is left over from one removed: its edits
   * were given up then, and must not come back with this one. */
  if (!rota_store_delete_files (account->cache, error))
    return NULL;

  /* The keyring first: without one, nothing is written at all. */
  if (!rota_credentials_store (account->server, tenant, token, cancellable, error))
    return NULL;

  store = rota_store_open (account->cache, ROTA_STORE_OPEN_CREATE, error);
  if (store == NULL)
    {
      rota_store_delete_files (account->cache, NULL);
      rota_credentials_clear (account->server, tenant, NULL, NULL);
      return NULL;
    }
  g_clear_object (&store);

  g_key_file_set_string (registry, group, "server", account->server);
  g_key_file_set_string (registry, group, "tenant", account->tenant);
  if (account->ca_file != NULL)
    g_key_file_set_string (registry, group, "ca-file", account->ca_file);
  if (account->token_name != NULL)
    g_key_file_set_string (registry, group, "token-name", account->token_name);
  g_key_file_set_string (registry, group, "cache", account->cache);
  if (account->scopes != NULL)
    g_key_file_set_string_list (registry, group, "scopes", (const char * const *) account->scopes,
                                g_strv_length (account->scopes));

  if (!save_registry (registry, error))
    {
      rota_store_delete_files (account->cache, NULL);
      rota_credentials_clear (account->server, tenant, NULL, NULL);
      return NULL;
    }

  return g_steal_pointer (&account);
}

/**
 * rota_account_remove:
 * @server: the server's address
 * @tenant: the tenant
 * @discard_unsynced: remove even when the cache has edits not synced yet,
 *   losing them
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Removes the token from the keyring, the account from the list, and its
 * cache file. Refused with %ROTA_STORE_ERROR_UNSYNCED while the cache has
 * edits the server has not got, unless @discard_unsynced.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_account_remove (const char    *server,
                     const char    *tenant,
                     gboolean       discard_unsynced,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(RotaAccount) account = rota_account_find (server, tenant, error);
  g_autoptr(GKeyFile) registry = NULL;
  g_autofree char *group = NULL;

  if (account == NULL)
    return FALSE;

  if (g_file_test (account->cache, G_FILE_TEST_EXISTS))
    {
      g_autoptr(RotaStore) store = rota_store_open (account->cache, ROTA_STORE_OPEN_DEFAULT, error);
      gint64 pending = 0;
      gint64 conflicts = 0;
      gint64 parked = 0;
      guint unsynced;

      if (store == NULL ||
          !rota_store_count_outbox (store, &pending, &conflicts, &parked, error))
        return FALSE;

      unsynced = (guint) MIN (pending + conflicts + parked, G_MAXUINT);
      if (unsynced > 0 && !discard_unsynced)
        {
          g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_UNSYNCED,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The account %s on %s has %u edit the server has not got yet. "
                                    "Sync first, or remove the account with --discard-unsynced to lose it",
                                    "The account %s on %s has %u edits the server has not got yet. "
                                    "Sync first, or remove the account with --discard-unsynced to lose them",
                                    unsynced),
                       tenant, account->server, unsynced);
          return FALSE;
        }
    }

  /* The keyring first: if it cannot be reached, nothing is removed. */
  if (!rota_credentials_clear (account->server, account->tenant, cancellable, error))
    return FALSE;

  registry = load_registry (error);
  if (registry == NULL)
    return FALSE;
  group = group_of (account->server, account->tenant);
  g_key_file_remove_group (registry, group, NULL);
  if (!save_registry (registry, error))
    return FALSE;

  return rota_store_delete_files (account->cache, error);
}

/**
 * rota_account_allows:
 * @account: an account
 * @scope: a scope, such as "planning:read" or "clock"
 *
 * Whether the account's token may do what @scope allows, by the scopes
 * whoami gave when the account was added. As on the server, a write scope
 * also allows reading: "planning:write" allows "planning:read", and
 * "hours:write" allows "hours:read". "clock" allows only itself. With no
 * known scopes (see #RotaAccount) nothing is allowed: the client hides
 * what it cannot be sure of.
 *
 * Returns: %TRUE when the token has @scope
 */
gboolean
rota_account_allows (RotaAccount *account,
                     const char  *scope)
{
  static const struct {
    const char *read;
    const char *write;
  } implied[] = {
    { "planning:read", "planning:write" },
    { "hours:read", "hours:write" },
  };
  const char * const *scopes;

  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (scope != NULL, FALSE);

  scopes = (const char * const *) account->scopes;
  if (scopes == NULL)
    return FALSE;
  if (g_strv_contains (scopes, scope))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (implied); i++)
    if (g_str_equal (scope, implied[i].read) && g_strv_contains (scopes, implied[i].write))
      return TRUE;

  return FALSE;
}

/**
 * rota_account_open_sync:
 * @account: an account
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Opens the account's cache and makes a sync engine for it, with the
 * token from the keyring (which fails closed: no keyring, a locked one,
 * or no token there are errors that say what to do). Blocks on the
 * keyring.
 *
 * Returns: (transfer full) (nullable): the engine
 */
RotaSync *
rota_account_open_sync_full (RotaAccount         *account,
                             RotaStoreOpenFlags   flags,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(RotaCredentialsToken) token = NULL;
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(RotaStore) store = NULL;

  g_return_val_if_fail (account != NULL, NULL);

  token = rota_credentials_lookup (account->server, account->tenant, cancellable, error);
  if (token == NULL)
    return NULL;

  client = rota_client_new (account->server, account->tenant, token, account->ca_file, error);
  if (client == NULL)
    return NULL;

  store = rota_store_open (account->cache, flags, error);
  if (store == NULL)
    return NULL;

  return rota_sync_new (store, client);
}

/**
 * rota_account_open_sync:
 *
 * rota_account_open_sync_full() with the cache checked before it opens.
 *
 * Returns: (transfer full) (nullable): the account's sync
 */
RotaSync *
rota_account_open_sync (RotaAccount   *account,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return rota_account_open_sync_full (account, ROTA_STORE_OPEN_DEFAULT, cancellable, error);
}
