/* rota-server-registry.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * RotaScopes:
 * @ROTA_SCOPE_NONE: no scope
 * @ROTA_SCOPE_PLANNING_READ: "planning:read"
 * @ROTA_SCOPE_PLANNING_WRITE: "planning:write"
 * @ROTA_SCOPE_HOURS_READ: "hours:read"
 * @ROTA_SCOPE_HOURS_WRITE: "hours:write" (corrections, approvals)
 * @ROTA_SCOPE_CLOCK: "clock" (a kiosk: punches and what it needs to show)
 *
 * What a token may do (DESIGN §3). Admin is only the command line, never
 * a token, so it has no flag here.
 */
typedef enum
{
  ROTA_SCOPE_NONE           = 0,
  ROTA_SCOPE_PLANNING_READ  = 1 << 0,
  ROTA_SCOPE_PLANNING_WRITE = 1 << 1,
  ROTA_SCOPE_HOURS_READ     = 1 << 2,
  ROTA_SCOPE_HOURS_WRITE    = 1 << 3,
  ROTA_SCOPE_CLOCK          = 1 << 4,
} RotaScopes;

#define ROTA_SCOPES_ALL (ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_PLANNING_WRITE | \
                         ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE | ROTA_SCOPE_CLOCK)

#define ROTA_SERVER_REGISTRY_ERROR (rota_server_registry_error_quark ())

typedef enum
{
  ROTA_SERVER_REGISTRY_ERROR_FAILED,
  ROTA_SERVER_REGISTRY_ERROR_INVALID,
  ROTA_SERVER_REGISTRY_ERROR_EXISTS,
  ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
  ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS,
} RotaServerRegistryError;

/* The registry file's PRAGMA application_id: 'ROTS' in ASCII. */
#define ROTA_SERVER_REGISTRY_APPLICATION_ID 0x524f5453

/* The schema version this build writes (PRAGMA user_version). */
#define ROTA_SERVER_REGISTRY_SCHEMA_VERSION 1

/**
 * RotaTokenInfo:
 * @token_id: the token's id, a UUIDv4; not a secret
 * @tenant: the slug of the tenant the token belongs to
 * @name: what the token is for, as given when it was made
 * @scopes: what the token may do, as rota_scopes_to_string() writes it
 *   ("planning:read hours:read"); rota_scopes_parse() reads it
 * @created_at: when it was made, in seconds since 1970 (UTC)
 * @revoked_at: when it was revoked, in seconds since 1970; 0 if it is not
 *
 * What the registry tells about a token. Never the secret, nor its hash.
 */
typedef struct
{
  char       *token_id;
  char       *tenant;
  char       *name;
  char       *scopes;
  gint64      created_at;
  gint64      revoked_at;
} RotaTokenInfo;

#define ROTA_TYPE_TOKEN_INFO (rota_token_info_get_type ())

GType          rota_token_info_get_type (void) G_GNUC_CONST;
RotaTokenInfo *rota_token_info_copy     (const RotaTokenInfo *info);
void           rota_token_info_free     (RotaTokenInfo       *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaTokenInfo, rota_token_info_free)

#define ROTA_TYPE_SERVER_REGISTRY (rota_server_registry_get_type ())

G_DECLARE_FINAL_TYPE (RotaServerRegistry, rota_server_registry, ROTA, SERVER_REGISTRY, GObject)

GQuark              rota_server_registry_error_quark  (void);

RotaServerRegistry *rota_server_registry_open         (const char          *data_dir,
                                                       gboolean             create,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
const char         *rota_server_registry_get_data_dir (RotaServerRegistry  *self);

gboolean            rota_server_registry_add_tenant   (RotaServerRegistry  *self,
                                                       const char          *slug,
                                                       GError             **error);
gboolean            rota_server_registry_has_tenant   (RotaServerRegistry  *self,
                                                       const char          *slug);
GStrv               rota_server_registry_list_tenants (RotaServerRegistry  *self,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
char               *rota_server_registry_tenant_path  (RotaServerRegistry  *self,
                                                       const char          *slug) G_GNUC_WARN_UNUSED_RESULT;

char               *rota_server_registry_add_token    (RotaServerRegistry  *self,
                                                       const char          *tenant,
                                                       const char          *name,
                                                       RotaScopes           scopes,
                                                       char               **token_id,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *rota_server_registry_list_tokens  (RotaServerRegistry  *self,
                                                       const char          *tenant,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean            rota_server_registry_revoke_token (RotaServerRegistry  *self,
                                                       const char          *token_id,
                                                       GError             **error);
gboolean            rota_server_registry_authenticate (RotaServerRegistry  *self,
                                                       const char          *secret,
                                                       char               **tenant,
                                                       char               **name,
                                                       char               **token_id,
                                                       RotaScopes          *scopes);

char               *rota_scopes_to_string             (RotaScopes           scopes) G_GNUC_WARN_UNUSED_RESULT;
gboolean            rota_scopes_parse                 (const char          *text,
                                                       RotaScopes          *out,
                                                       GError             **error);

G_END_DECLS
