/* rota-credentials.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define ROTA_CREDENTIALS_ERROR (rota_credentials_error_quark ())

/**
 * RotaCredentialsError:
 * @ROTA_CREDENTIALS_ERROR_UNAVAILABLE: no Secret Service (keyring) answers
 * @ROTA_CREDENTIALS_ERROR_LOCKED: the keyring is locked and could not be
 *   unlocked here
 * @ROTA_CREDENTIALS_ERROR_NOT_FOUND: no token is stored for the account
 * @ROTA_CREDENTIALS_ERROR_INVALID: the server, tenant or token is not valid
 * @ROTA_CREDENTIALS_ERROR_FAILED: the keyring refused for another reason
 */
typedef enum
{
  ROTA_CREDENTIALS_ERROR_UNAVAILABLE,
  ROTA_CREDENTIALS_ERROR_LOCKED,
  ROTA_CREDENTIALS_ERROR_NOT_FOUND,
  ROTA_CREDENTIALS_ERROR_INVALID,
  ROTA_CREDENTIALS_ERROR_FAILED,
} RotaCredentialsError;

/* A token as the keyring hands it out: free it with
 * rota_credentials_free_token(), which wipes it. */
typedef char RotaCredentialsToken;

GQuark              rota_credentials_error_quark  (void);
const SecretSchema *rota_credentials_get_schema   (void);
gboolean            rota_credentials_store        (const char    *server,
                                                   const char    *tenant,
                                                   const char    *token,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
RotaCredentialsToken *rota_credentials_lookup       (const char    *server,
                                                   const char    *tenant,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
gboolean            rota_credentials_clear        (const char    *server,
                                                   const char    *tenant,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
void                rota_credentials_free_token   (char          *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaCredentialsToken, rota_credentials_free_token)

G_END_DECLS
