/* rota-tenant-sqlite.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-store.h"
#include "rota-tenant.h"

G_BEGIN_DECLS

#define ROTA_TYPE_TENANT_SQLITE (rota_tenant_sqlite_get_type ())

G_DECLARE_FINAL_TYPE (RotaTenantSqlite, rota_tenant_sqlite, ROTA, TENANT_SQLITE, GObject)

RotaTenant *rota_tenant_sqlite_open           (const char        *path,
                                               gboolean           create,
                                               GError           **error) G_GNUC_WARN_UNUSED_RESULT;
RotaStore  *rota_tenant_sqlite_get_store      (RotaTenantSqlite  *self);
gboolean    rota_tenant_sqlite_index_existing (RotaTenantSqlite  *self,
                                               GError           **error);

G_END_DECLS
