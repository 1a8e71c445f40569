/* rota-store-private.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "rota-store.h"

G_BEGIN_DECLS

/* 'ROTA' in ASCII: marks a file as a Rota store (PRAGMA application_id). */
#define ROTA_STORE_APPLICATION_ID 0x524f5441

gboolean _rota_store_migrate     (sqlite3     *db,
                                  int          target_version,
                                  GError     **error);
gboolean _rota_store_exec        (sqlite3     *db,
                                  const char  *sql,
                                  GError     **error);
void     _rota_store_set_error   (GError     **error,
                                  sqlite3     *db,
                                  int          rc,
                                  const char  *what);
sqlite3 *_rota_store_get_db      (RotaStore   *self);
sqlite3 *_rota_store_lock        (RotaStore   *self);
void     _rota_store_unlock      (RotaStore   *self);
RotaEntity *_rota_store_read_entity (sqlite3_stmt *stmt,
                                     GType         type,
                                     int           first);
guint    _rota_store_count_sqlite_libraries (const char *maps);
gboolean _rota_store_append_audit (RotaStore   *self,
                                   const char  *actor,
                                   const char  *entity,
                                   const char  *entity_id,
                                   const char  *action,
                                   const char  *before_json,
                                   const char  *after_json,
                                   const char  *reason,
                                   GError     **error);

G_END_DECLS
