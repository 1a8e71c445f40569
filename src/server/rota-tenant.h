/* rota-tenant.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-entity.h"

G_BEGIN_DECLS

/*
 * One tenant's data, behind the narrow interface of DESIGN §3 (open,
 * read, write in a transaction, change feed, audit), so that another
 * backend (PostgreSQL) can serve tenants without the HTTP layer changing.
 * RotaTenantSqlite, one SQLite file per tenant, is the embedded default.
 */

#define ROTA_TENANT_ERROR (rota_tenant_error_quark ())

typedef enum
{
  ROTA_TENANT_ERROR_FAILED,
  ROTA_TENANT_ERROR_NOT_FOUND,
  ROTA_TENANT_ERROR_INVALID,
  ROTA_TENANT_ERROR_CONFLICT,
  ROTA_TENANT_ERROR_BUSY,
} RotaTenantError;

/**
 * RotaTenantQuery:
 * @type: the entity type to list
 * @from: for shifts and punches: only those overlapping [@from, @to); 0 for no limit
 * @to: see @from
 * @start_date: for absences: only those overlapping [@start_date, @end_date], or %NULL
 * @end_date: see @start_date
 * @department_id: (nullable): only this department's shifts
 * @employee_id: (nullable): only this employee's shifts, punches, absences
 * @published_only: shifts: only published ones
 * @include_deleted: shifts: also tombstones
 * @page: 1-based page
 * @page_size: items per page, at least 1
 *
 * What rota_tenant_list() returns; fields that do not apply to @type are ignored.
 */
typedef struct
{
  GType       type;
  gint64      from;
  gint64      to;
  const char *start_date;
  const char *end_date;
  const char *department_id;
  const char *employee_id;
  gboolean    published_only;
  gboolean    include_deleted;
  guint       page;
  guint       page_size;
} RotaTenantQuery;

/**
 * RotaChange:
 * @revision: the tenant revision of this change
 * @kind: the entity kind, such as "shift"
 * @id: the entity's id
 * @version: its version after the change
 * @deleted: whether the entity is gone (a tombstone)
 * @entity: (nullable): the entity as it is now; %NULL when deleted
 *
 * The latest state of one entity in the change feed.
 */
typedef struct
{
  gint64      revision;
  char       *kind;
  char       *id;
  gint64      version;
  gboolean    deleted;
  RotaEntity *entity;
} RotaChange;

#define ROTA_TYPE_CHANGE (rota_change_get_type ())

GType       rota_change_get_type (void) G_GNUC_CONST;
RotaChange *rota_change_copy     (const RotaChange *change);
void        rota_change_free     (RotaChange       *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaChange, rota_change_free)

#define ROTA_TYPE_TENANT (rota_tenant_get_type ())

G_DECLARE_INTERFACE (RotaTenant, rota_tenant, ROTA, TENANT, GObject)

struct _RotaTenantInterface
{
  GTypeInterface parent_iface;

  gboolean    (*begin)           (RotaTenant             *self,
                                  GError                **error);
  gboolean    (*commit)          (RotaTenant             *self,
                                  GError                **error);
  void        (*rollback)        (RotaTenant             *self);
  RotaEntity *(*get)             (RotaTenant             *self,
                                  GType                   type,
                                  const char             *id,
                                  gboolean               *deleted,
                                  GError                **error);
  gboolean    (*write)           (RotaTenant             *self,
                                  RotaEntity             *entity,
                                  gboolean                deleted,
                                  const char             *actor,
                                  const char             *reason,
                                  GError                **error);
  GPtrArray  *(*list)            (RotaTenant             *self,
                                  const RotaTenantQuery  *query,
                                  guint                  *page_count,
                                  GError                **error);
  GPtrArray  *(*changes)         (RotaTenant             *self,
                                  gint64                  since,
                                  guint                   limit,
                                  const char * const     *kinds,
                                  gint64                 *revision,
                                  gboolean               *has_more,
                                  GError                **error);
  gint64      (*get_revision)    (RotaTenant             *self);
  gboolean    (*idempotency_get) (RotaTenant             *self,
                                  const char             *token_id,
                                  const char             *key,
                                  char                  **request_hash,
                                  guint                  *status,
                                  GBytes                **body,
                                  GError                **error);
  gboolean    (*idempotency_put) (RotaTenant             *self,
                                  const char             *token_id,
                                  const char             *key,
                                  const char             *request_hash,
                                  guint                   status,
                                  GBytes                 *body,
                                  GError                **error);
  gboolean    (*verify)          (RotaTenant             *self,
                                  char                  **problem,
                                  GError                **error);
  gboolean    (*backup)          (RotaTenant             *self,
                                  const char             *dest_path,
                                  GError                **error);
};

GQuark      rota_tenant_error_quark    (void);

gboolean    rota_tenant_begin           (RotaTenant             *self,
                                         GError                **error);
gboolean    rota_tenant_commit          (RotaTenant             *self,
                                         GError                **error);
void        rota_tenant_rollback        (RotaTenant             *self);
RotaEntity *rota_tenant_get             (RotaTenant             *self,
                                         GType                   type,
                                         const char             *id,
                                         gboolean               *deleted,
                                         GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    rota_tenant_write           (RotaTenant             *self,
                                         RotaEntity             *entity,
                                         gboolean                deleted,
                                         const char             *actor,
                                         const char             *reason,
                                         GError                **error);
GPtrArray  *rota_tenant_list            (RotaTenant             *self,
                                         const RotaTenantQuery  *query,
                                         guint                  *page_count,
                                         GError                **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray  *rota_tenant_changes         (RotaTenant             *self,
                                         gint64                  since,
                                         guint                   limit,
                                         const char * const     *kinds,
                                         gint64                 *revision,
                                         gboolean               *has_more,
                                         GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gint64      rota_tenant_get_revision    (RotaTenant             *self);
gboolean    rota_tenant_idempotency_get (RotaTenant             *self,
                                         const char             *token_id,
                                         const char             *key,
                                         char                  **request_hash,
                                         guint                  *status,
                                         GBytes                **body,
                                         GError                **error);
gboolean    rota_tenant_idempotency_put (RotaTenant             *self,
                                         const char             *token_id,
                                         const char             *key,
                                         const char             *request_hash,
                                         guint                   status,
                                         GBytes                 *body,
                                         GError                **error);
gboolean    rota_tenant_verify          (RotaTenant             *self,
                                         char                  **problem,
                                         GError                **error);
gboolean    rota_tenant_backup          (RotaTenant             *self,
                                         const char             *dest_path,
                                         GError                **error);

G_END_DECLS
