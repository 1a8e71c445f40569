/* rota-account.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-sync.h"

G_BEGIN_DECLS

/**
 * RotaAccount:
 * @server: the server's base address, ending in "/"
 * @tenant: the tenant
 * @ca_file: (nullable): a CA file trusted for this server besides the system's
 * @token_name: the name the server gave the token (from whoami)
 * @cache: the account's cache file
 * @scopes: (array zero-terminated=1) (nullable): the token's scopes by
 *   whoami when the account was added, such as "planning:read"; %NULL when
 *   they are not known (a plain Dyflexis server has no whoami, and accounts
 *   added before Rota kept them list none)
 *
 * An account: a server and tenant, whose token is in the keyring and whose
 * data is in its own cache file.
 */
typedef struct
{
  char *server;
  char *tenant;
  char *ca_file;
  char *token_name;
  char *cache;
  char **scopes;
} RotaAccount;

void         rota_account_free   (RotaAccount   *account);
RotaAccount *rota_account_add    (const char    *server,
                                  const char    *tenant,
                                  const char    *token,
                                  const char    *ca_file,
                                  GCancellable  *cancellable,
                                  GError       **error);
GPtrArray   *rota_account_list   (GError       **error);
RotaAccount *rota_account_find   (const char    *server,
                                  const char    *tenant,
                                  GError       **error);
gboolean     rota_account_remove (const char    *server,
                                  const char    *tenant,
                                  gboolean       discard_unsynced,
                                  GCancellable  *cancellable,
                                  GError       **error);

gboolean     rota_account_allows (RotaAccount   *account,
                                  const char    *scope);

RotaSync    *rota_account_open_sync_full (RotaAccount        *account,
                                          RotaStoreOpenFlags  flags,
                                          GCancellable       *cancellable,
                                          GError            **error);
RotaSync    *rota_account_open_sync (RotaAccount  *account,
                                     GCancellable *cancellable,
                                     GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaAccount, rota_account_free)

G_END_DECLS
