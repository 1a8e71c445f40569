/* rota-tenant.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-tenant"

#include "config.h"

#include "rota-tenant.h"

G_DEFINE_QUARK (rota-tenant-error-quark, rota_tenant_error)

G_DEFINE_BOXED_TYPE (RotaChange, rota_change, rota_change_copy, rota_change_free)

G_DEFINE_INTERFACE (RotaTenant, rota_tenant, G_TYPE_OBJECT)

static void
rota_tenant_default_init (RotaTenantInterface *iface)
{
}

/**
 * rota_change_copy:
 * @change: a change
 *
 * Returns: (transfer full): a deep copy of @change; the entity is shared
 */
RotaChange *
rota_change_copy (const RotaChange *change)
{
  RotaChange *copy;

  g_return_val_if_fail (change != NULL, NULL);

  copy = g_new0 (RotaChange, 1);
  copy->revision = change->revision;
  copy->kind = g_strdup (change->kind);
  copy->id = g_strdup (change->id);
  copy->version = change->version;
  copy->deleted = change->deleted;
  copy->entity = change->entity != NULL ? g_object_ref (change->entity) : NULL;

  return copy;
}

void
rota_change_free (RotaChange *change)
{
  if (change == NULL)
    return;

  g_free (change->kind);
  g_free (change->id);
  g_clear_object (&change->entity);
  g_free (change);
}

/**
 * rota_tenant_begin:
 * @self: a tenant
 * @error: a location for a #GError
 *
 * Starts a write transaction held by the calling thread, or joins the one
 * it already holds. Every successful begin needs a commit or a rollback.
 *
 * Returns: %TRUE if the transaction is open
 */
gboolean
rota_tenant_begin (RotaTenant  *self,
                   GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ROTA_TENANT_GET_IFACE (self)->begin (self, error);
}

/**
 * rota_tenant_commit:
 * @self: a tenant
 * @error: a location for a #GError
 *
 * Commits the transaction; when this returns %TRUE for the outermost
 * one, the writes are durable. On failure everything is rolled back.
 *
 * Returns: %TRUE if committed
 */
gboolean
rota_tenant_commit (RotaTenant  *self,
                    GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ROTA_TENANT_GET_IFACE (self)->commit (self, error);
}

/**
 * rota_tenant_rollback:
 * @self: a tenant
 *
 * Abandons the transaction.
 */
void
rota_tenant_rollback (RotaTenant *self)
{
  g_return_if_fail (ROTA_IS_TENANT (self));

  ROTA_TENANT_GET_IFACE (self)->rollback (self);
}

/**
 * rota_tenant_get:
 * @self: a tenant
 * @type: the entity type
 * @id: the entity's id
 * @deleted: (out) (optional): set to whether the entity existed and was deleted
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the entity, or %NULL with
 *   %ROTA_TENANT_ERROR_NOT_FOUND when it does not exist or is deleted
 */
RotaEntity *
rota_tenant_get (RotaTenant  *self,
                 GType        type,
                 const char  *id,
                 gboolean    *deleted,
                 GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), NULL);
  g_return_val_if_fail (g_type_is_a (type, ROTA_TYPE_ENTITY), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return ROTA_TENANT_GET_IFACE (self)->get (self, type, id, deleted, error);
}

/**
 * rota_tenant_write:
 * @self: a tenant
 * @entity: the entity; its version and updated_at are set
 * @deleted: whether to delete it (shifts, absences, availability)
 * @actor: who writes, for the audit trail
 * @reason: (nullable): why, for the audit trail
 * @error: a location for a #GError
 *
 * Writes @entity inside the transaction this thread holds, appends the
 * audit row and gives the change a new tenant revision.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_tenant_write (RotaTenant  *self,
                   RotaEntity  *entity,
                   gboolean     deleted,
                   const char  *actor,
                   const char  *reason,
                   GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), FALSE);
  g_return_val_if_fail (ROTA_IS_ENTITY (entity), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ROTA_TENANT_GET_IFACE (self)->write (self, entity, deleted, actor, reason, error);
}

/**
 * rota_tenant_list:
 * @self: a tenant
 * @query: what to list
 * @page_count: (out) (optional): the number of pages, at least 1
 * @error: a location for a #GError
 *
 * Returns: (transfer container) (element-type RotaEntity): one page
 */
GPtrArray *
rota_tenant_list (RotaTenant             *self,
                  const RotaTenantQuery  *query,
                  guint                  *page_count,
                  GError                **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (g_type_is_a (query->type, ROTA_TYPE_ENTITY), NULL);
  g_return_val_if_fail (query->page >= 1, NULL);
  g_return_val_if_fail (query->page_size >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return ROTA_TENANT_GET_IFACE (self)->list (self, query, page_count, error);
}

/**
 * rota_tenant_changes:
 * @self: a tenant
 * @since: the revision the caller has
 * @limit: the most changes to return, 1 to 10,000
 * @kinds: (nullable) (array zero-terminated=1): only changes of these
 *   kinds, or %NULL for all; the others are skipped, not returned
 * @revision: (out) (optional): the revision of the last change returned,
 *   or the tenant's revision when there is none
 * @has_more: (out) (optional): whether more changes follow
 * @error: a location for a #GError
 *
 * Returns: (transfer container) (element-type RotaChange): the changes
 *   after @since in revision order
 */
GPtrArray *
rota_tenant_changes (RotaTenant         *self,
                     gint64              since,
                     guint               limit,
                     const char * const *kinds,
                     gint64      *revision,
                     gboolean    *has_more,
                     GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), NULL);
  g_return_val_if_fail (limit >= 1 && limit <= 10000, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return ROTA_TENANT_GET_IFACE (self)->changes (self, since, limit, kinds, revision, has_more, error);
}

/**
 * rota_tenant_get_revision:
 * @self: a tenant
 *
 * Returns: the tenant's current revision; 0 when nothing was written
 */
gint64
rota_tenant_get_revision (RotaTenant *self)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), 0);

  return ROTA_TENANT_GET_IFACE (self)->get_revision (self);
}

/**
 * rota_tenant_idempotency_get:
 * @self: a tenant
 * @token_id: the token that sent the request
 * @key: the request's Idempotency-Key
 * @request_hash: (out) (optional) (transfer full): the first request's hash
 * @status: (out) (optional): the first answer's status
 * @body: (out) (optional) (transfer full) (nullable): the first answer's body
 * @error: a location for a #GError
 *
 * Returns: %TRUE if the key was seen; %FALSE without @error if not
 */
gboolean
rota_tenant_idempotency_get (RotaTenant  *self,
                             const char  *token_id,
                             const char  *key,
                             char       **request_hash,
                             guint       *status,
                             GBytes     **body,
                             GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), FALSE);
  g_return_val_if_fail (token_id != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ROTA_TENANT_GET_IFACE (self)->idempotency_get (self, token_id, key, request_hash,
                                                        status, body, error);
}

/**
 * rota_tenant_idempotency_put:
 * @self: a tenant
 * @token_id: the token that sent the request
 * @key: the request's Idempotency-Key
 * @request_hash: the request's hash
 * @status: the answer's status
 * @body: (nullable): the answer's body
 * @error: a location for a #GError
 *
 * Records an answer, inside the transaction of the write it answers.
 *
 * Returns: %TRUE on success; %ROTA_TENANT_ERROR_CONFLICT if the key is taken
 */
gboolean
rota_tenant_idempotency_put (RotaTenant  *self,
                             const char  *token_id,
                             const char  *key,
                             const char  *request_hash,
                             guint        status,
                             GBytes      *body,
                             GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), FALSE);
  g_return_val_if_fail (token_id != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (request_hash != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ROTA_TENANT_GET_IFACE (self)->idempotency_put (self, token_id, key, request_hash,
                                                        status, body, error);
}

/**
 * rota_tenant_verify:
 * @self: a tenant
 * @problem: (out) (transfer full) (nullable): the first problem found, or %NULL
 * @error: a location for a #GError
 *
 * Returns: %FALSE only if the check itself failed
 */
gboolean
rota_tenant_verify (RotaTenant  *self,
                    char       **problem,
                    GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), FALSE);
  g_return_val_if_fail (problem != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ROTA_TENANT_GET_IFACE (self)->verify (self, problem, error);
}

/**
 * rota_tenant_backup:
 * @self: a tenant
 * @dest_path: where to write the copy
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
rota_tenant_backup (RotaTenant  *self,
                    const char  *dest_path,
                    GError     **error)
{
  g_return_val_if_fail (ROTA_IS_TENANT (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ROTA_TENANT_GET_IFACE (self)->backup (self, dest_path, error);
}
