/* rota-store.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-entity.h"
#include "rota-enums.h"
#include "rota-models.h"

G_BEGIN_DECLS

#define ROTA_STORE_ERROR (rota_store_error_quark ())

typedef enum
{
  ROTA_STORE_ERROR_FAILED,
  ROTA_STORE_ERROR_PERMISSIONS,
  ROTA_STORE_ERROR_SETTINGS,
  ROTA_STORE_ERROR_CORRUPT,
  ROTA_STORE_ERROR_READ_ONLY,
  ROTA_STORE_ERROR_TOO_NEW,
  ROTA_STORE_ERROR_NOT_A_STORE,
  ROTA_STORE_ERROR_NOT_FOUND,
  ROTA_STORE_ERROR_INVALID,
  ROTA_STORE_ERROR_BUSY,
  ROTA_STORE_ERROR_EXISTS,
  ROTA_STORE_ERROR_UNSYNCED,
} RotaStoreError;

typedef enum
{
  ROTA_STORE_OPEN_DEFAULT = 0,
  ROTA_STORE_OPEN_CREATE  = 1 << 0,
  ROTA_STORE_OPEN_CHECK_LATER = 1 << 1,
} RotaStoreOpenFlags;

/* The schema version this build writes; see rota-store-schema.c. */
#define ROTA_STORE_SCHEMA_VERSION 8

/**
 * RotaOutboxItem:
 * @seq: the item's place in the outbox; items are pushed in this order
 * @idempotency_key: a UUIDv4 made with the item and sent with every retry
 * @kind: the entity kind, such as "shift"
 * @entity_id: the entity's id
 * @op: what to do on the server
 * @payload: the entity as JSON (the codec's form)
 * @base_version: the server version the edit was made on; 0 for a new entity
 * @state: pending, conflict or parked
 * @message: (nullable): the server's message for a parked item or conflict
 * @server_payload: (nullable): the server's current entity, for a conflict
 * @attempts: how often the item has been sent
 * @created_at: when the edit was made
 * @actor: who made it
 *
 * One local edit that the server has not acknowledged yet.
 */
typedef struct
{
  gint64           seq;
  char            *idempotency_key;
  char            *kind;
  char            *entity_id;
  RotaOutboxOp     op;
  char            *payload;
  gint64           base_version;
  RotaOutboxState  state;
  char            *message;
  char            *server_payload;
  gint64           attempts;
  gint64           created_at;
  char            *actor;
} RotaOutboxItem;

#define ROTA_TYPE_OUTBOX_ITEM (rota_outbox_item_get_type ())

GType           rota_outbox_item_get_type (void) G_GNUC_CONST;
RotaOutboxItem *rota_outbox_item_copy     (const RotaOutboxItem *item);
void            rota_outbox_item_free     (RotaOutboxItem       *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaOutboxItem, rota_outbox_item_free)

#define ROTA_TYPE_STORE (rota_store_get_type ())

G_DECLARE_FINAL_TYPE (RotaStore, rota_store, ROTA, STORE, GObject)

GQuark          rota_store_error_quark           (void);

RotaStore      *rota_store_open                  (const char           *path,
                                                  RotaStoreOpenFlags    flags,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_open_async            (const char           *path,
                                                  RotaStoreOpenFlags    flags,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
RotaStore      *rota_store_open_finish           (GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
char           *rota_store_default_dir           (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean        rota_store_delete_files          (const char           *path,
                                                  GError              **error);
void            rota_store_close                 (RotaStore            *self);

const char     *rota_store_get_path              (RotaStore            *self);
gboolean        rota_store_get_read_only         (RotaStore            *self);
const char     *rota_store_get_recovery_reason   (RotaStore            *self);
int             rota_store_get_schema_version    (RotaStore            *self);
gboolean        rota_store_get_checking          (RotaStore            *self);
gboolean        rota_store_wait_checked          (RotaStore            *self);

/* Transactions: everything between begin and commit is one SQLite
 * transaction, held by the calling thread. */
gboolean        rota_store_begin                 (RotaStore            *self,
                                                  GError              **error);
gboolean        rota_store_commit                (RotaStore            *self,
                                                  GError              **error);
void            rota_store_rollback              (RotaStore            *self);

/* Server state, as pulled or generated. */
gboolean        rota_store_put_entity            (RotaStore            *self,
                                                  RotaEntity           *entity,
                                                  GError              **error);
gboolean        rota_store_put_entities          (RotaStore            *self,
                                                  GPtrArray            *entities,
                                                  GError              **error);
gboolean        rota_store_apply_changes         (RotaStore            *self,
                                                  GPtrArray            *entities,
                                                  const char           *cursor_name,
                                                  gint64                cursor,
                                                  GError              **error);
gboolean        rota_store_apply_feed            (RotaStore            *self,
                                                  GPtrArray            *entities,
                                                  GPtrArray            *deletions,
                                                  const char           *cursor_name,
                                                  gint64                cursor,
                                                  GError              **error);
gint64          rota_store_get_cursor            (RotaStore            *self,
                                                  const char           *cursor_name);

/* Local edits: the entity, its outbox item and its audit row in one
 * transaction. */
RotaOutboxItem *rota_store_record_edit           (RotaStore            *self,
                                                  RotaOutboxOp          op,
                                                  RotaEntity           *entity,
                                                  const char           *actor,
                                                  const char           *reason,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_record_edit_async     (RotaStore            *self,
                                                  RotaOutboxOp          op,
                                                  RotaEntity           *entity,
                                                  const char           *actor,
                                                  const char           *reason,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
RotaOutboxItem *rota_store_record_edit_finish    (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;

GPtrArray      *rota_store_list_outbox           (RotaStore            *self,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_list_outbox_async     (RotaStore            *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *rota_store_list_outbox_finish    (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        rota_store_outbox_complete       (RotaStore            *self,
                                                  gint64                seq,
                                                  RotaEntity           *server_entity,
                                                  GError              **error);
gboolean        rota_store_outbox_set_state      (RotaStore            *self,
                                                  gint64                seq,
                                                  RotaOutboxState       state,
                                                  const char           *message,
                                                  const char           *server_payload,
                                                  GError              **error);
gboolean        rota_store_outbox_discard        (RotaStore            *self,
                                                  gint64                seq,
                                                  const char           *actor,
                                                  const char           *reason,
                                                  GError              **error);
gboolean        rota_store_outbox_resolve        (RotaStore            *self,
                                                  gint64                seq,
                                                  RotaResolution        resolution,
                                                  const char           *actor,
                                                  const char           *reason,
                                                  GError              **error);
gboolean        rota_store_count_outbox          (RotaStore            *self,
                                                  gint64               *pending,
                                                  gint64               *conflicts,
                                                  gint64               *parked,
                                                  GError              **error);
gint64          rota_store_count_outbox_kind     (RotaStore            *self,
                                                  const char           *kind,
                                                  GError              **error);

/* Facts about this device (table local_state), never synced; inside a
 * transaction of the calling thread they join it. */
char           *rota_store_get_local             (RotaStore            *self,
                                                  const char           *key,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        rota_store_set_local             (RotaStore            *self,
                                                  const char           *key,
                                                  const char           *value,
                                                  GError              **error);

/* An audit row for something done here that is no edit of an entity
 * (a kiosk's clock jump, an unlock), in its own transaction or the
 * caller's. */
gboolean        rota_store_record_event          (RotaStore            *self,
                                                  const char           *actor,
                                                  const char           *entity,
                                                  const char           *entity_id,
                                                  const char           *action,
                                                  const char           *details_json,
                                                  const char           *reason,
                                                  GError              **error);

/* Reads: server state with pending edits laid over it. */
RotaEntity     *rota_store_get_entity            (RotaStore            *self,
                                                  GType                 type,
                                                  const char           *id,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray      *rota_store_list_entities         (RotaStore            *self,
                                                  GType                 type,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_list_entities_async   (RotaStore            *self,
                                                  GType                 type,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *rota_store_list_entities_finish  (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray      *rota_store_list_shifts           (RotaStore            *self,
                                                  gint64                from,
                                                  gint64                to,
                                                  const char * const   *department_ids,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_list_shifts_async     (RotaStore            *self,
                                                  gint64                from,
                                                  gint64                to,
                                                  const char * const   *department_ids,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *rota_store_list_shifts_finish    (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray      *rota_store_list_punches          (RotaStore            *self,
                                                  gint64                from,
                                                  gint64                to,
                                                  const char           *employee_id,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_list_punches_async    (RotaStore            *self,
                                                  gint64                from,
                                                  gint64                to,
                                                  const char           *employee_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *rota_store_list_punches_finish   (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        rota_store_load_employee_week    (RotaStore            *self,
                                                  const char           *employee_id,
                                                  gint64                from,
                                                  gint64                to,
                                                  GPtrArray           **shifts,
                                                  GPtrArray           **punches,
                                                  GError              **error);
GPtrArray      *rota_store_list_audit            (RotaStore            *self,
                                                  const char           *entity,
                                                  const char           *entity_id,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;

/* Maintenance. */
gboolean        rota_store_verify                (RotaStore            *self,
                                                  char                **problem,
                                                  GError              **error);
GHashTable     *rota_store_table_counts          (RotaStore            *self,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
GHashTable     *rota_store_table_hashes          (RotaStore            *self,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        rota_store_backup                (RotaStore            *self,
                                                  const char           *dest_path,
                                                  GError              **error);
gboolean        rota_store_restore               (const char           *store_path,
                                                  const char           *source_path,
                                                  gboolean              force,
                                                  GError              **error);
char           *rota_store_export_outbox         (RotaStore            *self,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;

/* Async twins, run on a worker thread; writes keep their order. */
void            rota_store_get_entity_async      (RotaStore            *self,
                                                  GType                 type,
                                                  const char           *id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
RotaEntity     *rota_store_get_entity_finish     (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_load_employee_week_async (RotaStore         *self,
                                                  const char           *employee_id,
                                                  gint64                from,
                                                  gint64                to,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        rota_store_load_employee_week_finish (RotaStore        *self,
                                                  GAsyncResult         *result,
                                                  GPtrArray           **shifts,
                                                  GPtrArray           **punches,
                                                  GError              **error);
void            rota_store_list_audit_async      (RotaStore            *self,
                                                  const char           *entity,
                                                  const char           *entity_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *rota_store_list_audit_finish     (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            rota_store_outbox_discard_async  (RotaStore            *self,
                                                  gint64                seq,
                                                  const char           *actor,
                                                  const char           *reason,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        rota_store_outbox_discard_finish (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            rota_store_verify_async          (RotaStore            *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        rota_store_verify_finish         (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  char                **problem,
                                                  GError              **error);
void            rota_store_backup_async          (RotaStore            *self,
                                                  const char           *dest_path,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        rota_store_backup_finish         (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            rota_store_export_outbox_async   (RotaStore            *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char           *rota_store_export_outbox_finish  (RotaStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
