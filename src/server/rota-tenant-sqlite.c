/* rota-tenant-sqlite.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-tenant"

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-model-private.h"
#include "rota-store-private.h"
#include "rota-tenant-sqlite.h"
#include "rota-time.h"

/*
 * A tenant file is a RotaStore: its entity tables, indexes, audit chain,
 * append-only triggers, pragmas and file modes are the core store's. This
 * adds the server's own tables beside them, in the same file:
 *
 *  - server_changes: one row per entity with the tenant revision of its
 *    latest change; revisions are max (revision) + 1 under the write
 *    transaction, so they are strictly increasing, and the UNIQUE index
 *    on revision serves the change feed in order.
 *  - server_idempotency: the first answer to each Idempotency-Key.
 *
 * The store has one connection and serialises its users with a recursive
 * lock that rota_store_begin() takes. Our own SQL runs on that connection,
 * so every read here also runs between rota_store_begin() and
 * rota_store_commit(): that holds the lock (nobody else steps our cached
 * statements or sees a half-done write), and joins the caller's
 * transaction when this thread already holds one.
 */

#define SERVER_SCHEMA_VERSION 1

/* A shift lasts at most 24 hours (rota-shift.c), so a shift overlapping
 * [from, to) starts after from - 24 h: this bound lets SQLite use the
 * start indexes for the overlap query. */
#define MAX_SHIFT_SECONDS (24 * 60 * 60)

struct _RotaTenantSqlite
{
  GObject     parent_instance;

  RotaStore  *store;
  GHashTable *statements;

  /* The thread inside rota_tenant_begin() and how deep; changed only by
   * that thread while it holds the store's lock. */
  gpointer    tx_owner;
  guint       tx_depth;
};

static void rota_tenant_sqlite_iface_init (RotaTenantInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RotaTenantSqlite, rota_tenant_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ROTA_TYPE_TENANT, rota_tenant_sqlite_iface_init))

/* Per-kind SQL pieces, made once from the field tables */

typedef struct
{
  GType            type;
  RotaEntityClass *klass;
  const char      *kind;
  char            *columns;
  const RotaField *version_field;
  const RotaField *updated_at_field;
  const RotaField *deleted_field;
  guint            index;
} KindInfo;

/* The order of rota_tenant_sqlite_index_existing(): references first. */
static const char * const kind_order[] = {
  "office", "department", "employee", "shift", "punch",
  "punch_correction", "approval", "absence", "availability",
};

static gpointer
build_kind_infos (gpointer data)
{
  GPtrArray *infos = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (kind_order); i++)
    {
      KindInfo *info = g_new0 (KindInfo, 1);
      g_autoptr(GString) columns = g_string_new (NULL);

      info->type = rota_entity_type_from_kind (kind_order[i]);
      g_assert (info->type != G_TYPE_INVALID);
      info->klass = g_type_class_ref (info->type);
      info->kind = info->klass->kind;
      info->index = i;

      for (guint f = 0; f < info->klass->n_fields; f++)
        {
          const RotaField *field = &info->klass->fields[f];

          g_string_append_printf (columns, "%se.\"%s\"", f ? ", " : "", field->name);
        }

      info->columns = g_strdup (columns->str);
      info->version_field = rota_entity_class_find_field (info->klass, "version");
      info->updated_at_field = rota_entity_class_find_field (info->klass, "updated_at");
      info->deleted_field = rota_entity_class_find_field (info->klass, "deleted");
      g_assert (info->version_field != NULL && info->updated_at_field != NULL);

      g_ptr_array_add (infos, info);
    }

  return infos;
}

static GPtrArray *
kind_infos (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, build_kind_infos, NULL);

  return once.retval;
}

static const KindInfo *
kind_info_for_type (GType type)
{
  GPtrArray *infos = kind_infos ();

  for (guint i = 0; i < infos->len; i++)
    {
      const KindInfo *info = g_ptr_array_index (infos, i);

      if (info->type == type)
        return info;
    }

  return NULL;
}

static const KindInfo *
kind_info_for_kind (const char *kind)
{
  GPtrArray *infos = kind_infos ();

  for (guint i = 0; i < infos->len; i++)
    {
      const KindInfo *info = g_ptr_array_index (infos, i);

      if (g_str_equal (info->kind, kind))
        return info;
    }

  return NULL;
}

static gboolean
kind_is_fact (const KindInfo *info)
{
  return g_str_equal (info->kind, "punch") || g_str_equal (info->kind, "punch_correction");
}

static gboolean
kind_can_be_deleted (const KindInfo *info)
{
  return g_str_equal (info->kind, "shift") ||
         g_str_equal (info->kind, "absence") ||
         g_str_equal (info->kind, "availability");
}

static gint64
entity_version (const KindInfo *info,
                RotaEntity     *entity)
{
  return *ROTA_FIELD_PTR (entity, info->version_field, gint64);
}

static gint64
entity_updated_at (const KindInfo *info,
                   RotaEntity     *entity)
{
  return *ROTA_FIELD_PTR (entity, info->updated_at_field, gint64);
}

static gboolean
entity_is_tombstone (const KindInfo *info,
                     RotaEntity     *entity)
{
  return info->deleted_field != NULL && *ROTA_FIELD_PTR (entity, info->deleted_field, gboolean);
}

static void
set_identity (const KindInfo *info,
              RotaEntity     *entity,
              gint64          version,
              gint64          updated_at)
{
  *ROTA_FIELD_PTR (entity, info->version_field, gint64) = version;
  *ROTA_FIELD_PTR (entity, info->updated_at_field, gint64) = updated_at;
}

/* Errors */

static void
set_db_error (GError     **error,
              sqlite3     *db,
              int          rc,
              const char  *what)
{
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = ROTA_TENANT_ERROR_BUSY;
      break;

    case SQLITE_CONSTRAINT:
      code = ROTA_TENANT_ERROR_INVALID;
      break;

    default:
      code = ROTA_TENANT_ERROR_FAILED;
      break;
    }

  g_set_error (error, ROTA_TENANT_ERROR, code, "%s: %s", what, sqlite3_errmsg (db));
}

/* Turns an error of the store or the codec into one of ours, so that
 * callers of the interface see one domain whatever the backend. */
static void
propagate_error (GError **error,
                 GError  *local)
{
  int code = ROTA_TENANT_ERROR_FAILED;

  if (local->domain == ROTA_TENANT_ERROR)
    {
      g_propagate_error (error, local);
      return;
    }

  if (local->domain == ROTA_STORE_ERROR)
    {
      switch (local->code)
        {
        case ROTA_STORE_ERROR_BUSY:
          code = ROTA_TENANT_ERROR_BUSY;
          break;

        case ROTA_STORE_ERROR_INVALID:
          code = ROTA_TENANT_ERROR_INVALID;
          break;

        case ROTA_STORE_ERROR_NOT_FOUND:
          code = ROTA_TENANT_ERROR_NOT_FOUND;
          break;

        default:
          break;
        }
    }
  else if (local->domain == ROTA_CODEC_ERROR)
    code = ROTA_TENANT_ERROR_INVALID;

  g_set_error_literal (error, ROTA_TENANT_ERROR, code, local->message);
  g_error_free (local);
}

/* Statements and locking */

static sqlite3 *
get_db (RotaTenantSqlite *self)
{
  return _rota_store_get_db (self->store);
}

static sqlite3_stmt *
prepare (RotaTenantSqlite  *self,
         const char        *sql,
         GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      g_assert (!sqlite3_stmt_busy (stmt));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (get_db (self), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, get_db (self), rc, "Preparing a query");
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

static gboolean
step_done (RotaTenantSqlite  *self,
           sqlite3_stmt      *stmt,
           const char        *what,
           GError           **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_db_error (error, get_db (self), rc, what);
      return FALSE;
    }

  return TRUE;
}

static gboolean
in_transaction (RotaTenantSqlite *self)
{
  return g_atomic_pointer_get (&self->tx_owner) == (gpointer) g_thread_self ();
}

static gboolean
lock_store (RotaTenantSqlite  *self,
            GError           **error)
{
  GError *local = NULL;

  if (!rota_store_begin (self->store, &local))
    {
      propagate_error (error, local);
      return FALSE;
    }

  return TRUE;
}

/* Ends a read. COMMIT, not ROLLBACK: inside the caller's transaction a
 * rollback would doom it, and a read-only transaction commits for free. */
static void
unlock_store (RotaTenantSqlite *self)
{
  rota_store_commit (self->store, NULL);
}

/* Reading entities */

/* Builds an entity from the columns starting at @first, as the store
 * does for its own reads. */
static RotaEntity *
read_row (sqlite3_stmt   *stmt,
          const KindInfo *info,
          int             first)
{
  return _rota_store_read_entity (stmt, info->type, first);
}

/* The stored row of an entity, tombstones included; %NULL without @error
 * when there is none. Needs the lock. */
static RotaEntity *
read_current (RotaTenantSqlite  *self,
              const KindInfo    *info,
              const char        *id,
              GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\" AS e WHERE e.id = ?",
                                          info->columns, info->kind);
  sqlite3_stmt *stmt = prepare (self, sql, error);
  RotaEntity *entity = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entity = read_row (stmt, info, 0);
  else if (rc != SQLITE_DONE)
    set_db_error (error, get_db (self), rc, "Reading an entity");
  sqlite3_reset (stmt);

  return entity;
}

/* The change-feed row of an entity. Needs the lock. */
static gboolean
read_change_row (RotaTenantSqlite  *self,
                 const KindInfo    *info,
                 const char        *id,
                 gboolean          *found,
                 gint64            *version,
                 gboolean          *deleted,
                 GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  *version = 0;
  *deleted = FALSE;

  stmt = prepare (self, "SELECT version, deleted FROM server_changes WHERE kind = ? AND entity_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, info->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *version = sqlite3_column_int64 (stmt, 0);
      *deleted = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_db_error (error, get_db (self), rc, "Reading the change feed");
      return FALSE;
    }

  return TRUE;
}

static gboolean
query_revision (RotaTenantSqlite  *self,
                gint64            *revision,
                GError           **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT coalesce (max (revision), 0) FROM server_changes", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  *revision = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      set_db_error (error, get_db (self), rc, "Reading the revision");
      return FALSE;
    }

  return TRUE;
}

/* Interface */

static gboolean
rota_tenant_sqlite_begin (RotaTenant  *tenant,
                          GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);

  if (!lock_store (self, error))
    return FALSE;

  if (self->tx_depth++ == 0)
    g_atomic_pointer_set (&self->tx_owner, g_thread_self ());

  return TRUE;
}

static gboolean
rota_tenant_sqlite_commit (RotaTenant  *tenant,
                           GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  GError *local = NULL;

  g_return_val_if_fail (in_transaction (self), FALSE);

  if (--self->tx_depth == 0)
    g_atomic_pointer_set (&self->tx_owner, NULL);

  if (!rota_store_commit (self->store, &local))
    {
      propagate_error (error, local);
      return FALSE;
    }

  return TRUE;
}

static void
rota_tenant_sqlite_rollback (RotaTenant *tenant)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);

  g_return_if_fail (in_transaction (self));

  if (--self->tx_depth == 0)
    g_atomic_pointer_set (&self->tx_owner, NULL);

  rota_store_rollback (self->store);
}

static RotaEntity *
rota_tenant_sqlite_get (RotaTenant  *tenant,
                        GType        type,
                        const char  *id,
                        gboolean    *deleted,
                        GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  const KindInfo *info = kind_info_for_type (type);
  g_autoptr(RotaEntity) entity = NULL;
  GError *local = NULL;
  gboolean is_deleted = FALSE;

  if (deleted != NULL)
    *deleted = FALSE;

  if (info == NULL)
    {
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID,
                   "A %s is not stored in a tenant", g_type_name (type));
      return NULL;
    }

  if (!lock_store (self, error))
    return NULL;

  entity = read_current (self, info, id, &local);
  if (local == NULL && entity != NULL)
    is_deleted = entity_is_tombstone (info, entity);
  else if (local == NULL)
    {
      gboolean found;
      gint64 version;

      if (read_change_row (self, info, id, &found, &version, &is_deleted, &local))
        is_deleted = found && is_deleted;
    }

  unlock_store (self);

  if (local != NULL)
    {
      propagate_error (error, local);
      return NULL;
    }

  if (entity == NULL || is_deleted)
    {
      if (deleted != NULL)
        *deleted = is_deleted;
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND,
                   is_deleted ? "The %s %s was deleted" : "There is no %s %s", info->kind, id);
      return NULL;
    }

  return g_steal_pointer (&entity);
}

/* Whether two versions of a fact say the same; the server's bookkeeping
 * (version, updated_at, and when a punch arrived) does not count, so a
 * kiosk's retry of a punch is recognised. */
static gboolean
facts_equal (const KindInfo *info,
             RotaEntity     *stored,
             RotaEntity     *entity)
{
  g_autoptr(RotaEntity) copy = rota_entity_copy (entity);

  set_identity (info, copy, entity_version (info, stored), entity_updated_at (info, stored));
  if (ROTA_IS_PUNCH (copy))
    ((RotaPunch *) copy)->received_at = ((RotaPunch *) stored)->received_at;

  return rota_entity_equal (copy, stored);
}

static gboolean
upsert_change (RotaTenantSqlite  *self,
               const KindInfo    *info,
               const char        *id,
               gint64             version,
               gboolean           deleted,
               GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO server_changes (kind, entity_id, revision, version, deleted) "
                  "VALUES (?1, ?2, (SELECT coalesce (max (revision), 0) + 1 FROM server_changes), ?3, ?4) "
                  "ON CONFLICT (kind, entity_id) DO UPDATE SET "
                  "revision = excluded.revision, version = excluded.version, deleted = excluded.deleted",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, info->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, version);
  sqlite3_bind_int (stmt, 4, deleted ? 1 : 0);

  return step_done (self, stmt, "Recording the change", error);
}

static gboolean
delete_row (RotaTenantSqlite  *self,
            const KindInfo    *info,
            const char        *id,
            GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?", info->kind);
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);

  return step_done (self, stmt, "Deleting an entity", error);
}

static gboolean
rota_tenant_sqlite_write (RotaTenant  *tenant,
                          RotaEntity  *entity,
                          gboolean     deleted,
                          const char  *actor,
                          const char  *reason,
                          GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  const KindInfo *info = kind_info_for_type (G_OBJECT_TYPE (entity));
  g_autoptr(RotaEntity) current = NULL;
  g_autoptr(RotaEntity) tombstone = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  RotaEntity *after;
  GError *local = NULL;
  gboolean current_deleted = FALSE;
  gint64 base_version = 0;
  gint64 version;
  gint64 now;

  g_return_val_if_fail (in_transaction (self), FALSE);

  if (info == NULL)
    {
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID,
                   "A %s cannot be written to a tenant", G_OBJECT_TYPE_NAME (entity));
      return FALSE;
    }

  /* A copy: the statements below bind it without copying. */
  id = g_strdup (rota_entity_get_id (entity));
  if (id == NULL || *id == '\0')
    {
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID,
                   "id: the %s has no id", info->kind);
      return FALSE;
    }

  if (deleted && !kind_can_be_deleted (info))
    {
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID,
                   kind_is_fact (info) ? "A %s is a fact and cannot be deleted; add a correction"
                                       : "A %s cannot be deleted",
                   info->kind);
      return FALSE;
    }

  current = read_current (self, info, id, &local);
  if (local != NULL)
    {
      propagate_error (error, local);
      return FALSE;
    }

  if (current != NULL)
    {
      current_deleted = entity_is_tombstone (info, current);
      base_version = entity_version (info, current);
    }
  else
    {
      gboolean found;

      /* A deleted absence or availability is gone from its table, but
       * the change feed remembers its version: a re-creation continues
       * from there, so no client mistakes it for the old one. */
      if (!read_change_row (self, info, id, &found, &base_version, &current_deleted, &local))
        {
          propagate_error (error, local);
          return FALSE;
        }
    }

  if (kind_is_fact (info) && current != NULL)
    {
      if (!facts_equal (info, current, entity))
        {
          g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_CONFLICT,
                       "The %s %s exists with other content; it cannot be changed", info->kind, id);
          return FALSE;
        }

      /* The same fact again, as a retry sends it: nothing to do. */
      set_identity (info, entity, entity_version (info, current), entity_updated_at (info, current));
      return TRUE;
    }

  if (deleted && (current == NULL || current_deleted))
    {
      if (!current_deleted)
        {
          g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND,
                       "There is no %s %s", info->kind, id);
          return FALSE;
        }

      /* Deleted already: a retried delete changes nothing. */
      set_identity (info, entity, base_version,
                    current != NULL ? entity_updated_at (info, current) : entity_updated_at (info, entity));
      if (info->deleted_field != NULL)
        *ROTA_FIELD_PTR (entity, info->deleted_field, gboolean) = TRUE;
      return TRUE;
    }

  version = base_version + 1;
  now = rota_time_now ();

  set_identity (info, entity, version, now);
  if (info->deleted_field != NULL)
    *ROTA_FIELD_PTR (entity, info->deleted_field, gboolean) = deleted;

  if (deleted && info->deleted_field != NULL)
    {
      /* A deleted shift stays as a tombstone: the stored shift, marked. */
      tombstone = rota_entity_copy (current);
      set_identity (info, tombstone, version, now);
      *ROTA_FIELD_PTR (tombstone, info->deleted_field, gboolean) = TRUE;
      after = tombstone;
    }
  else if (deleted)
    after = NULL;
  else
    after = entity;

  if (after != NULL)
    {
      if (!rota_entity_validate (after, NULL, &local))
        {
          g_set_error_literal (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID, local->message);
          g_error_free (local);
          return FALSE;
        }

      if (!rota_store_put_entity (self->store, after, &local))
        {
          propagate_error (error, local);
          return FALSE;
        }
    }
  else if (!delete_row (self, info, id, error))
    return FALSE;

  if (current != NULL)
    before_json = rota_codec_encode_string (current, ROTA_CODEC_DEFAULT);
  if (after != NULL)
    after_json = rota_codec_encode_string (after, ROTA_CODEC_DEFAULT);

  if (!_rota_store_append_audit (self->store, actor, info->kind, id,
                                 deleted ? "delete" : current != NULL ? "update" : "create",
                                 before_json, after_json, reason, &local))
    {
      propagate_error (error, local);
      return FALSE;
    }

  return upsert_change (self, info, id, version, deleted, error);
}

/* Listing */

typedef struct
{
  const char *text;
  gint64      number;
} Bind;

static void
add_text (GArray     *binds,
          const char *text)
{
  Bind bind = { text, 0 };

  g_array_append_val (binds, bind);
}

static void
add_number (GArray *binds,
            gint64  number)
{
  Bind bind = { NULL, number };

  g_array_append_val (binds, bind);
}

static void
bind_all (sqlite3_stmt *stmt,
          GArray       *binds)
{
  for (guint i = 0; i < binds->len; i++)
    {
      const Bind *bind = &g_array_index (binds, Bind, i);

      if (bind->text != NULL)
        sqlite3_bind_text (stmt, i + 1, bind->text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, i + 1, bind->number);
    }
}

static const char *
build_filter (const KindInfo        *info,
              const RotaTenantQuery *query,
              GString               *where,
              GArray                *binds)
{
  g_string_append (where, " WHERE 1");

  if (g_str_equal (info->kind, "shift"))
    {
      if (query->from != 0)
        {
          g_string_append (where, " AND e.start > ? AND e.\"end\" > ?");
          add_number (binds, query->from - MAX_SHIFT_SECONDS - 1);
          add_number (binds, query->from);
        }
      if (query->to != 0)
        {
          g_string_append (where, " AND e.start < ?");
          add_number (binds, query->to);
        }
      if (query->department_id != NULL)
        {
          g_string_append (where, " AND e.department_id = ?");
          add_text (binds, query->department_id);
        }
      if (query->employee_id != NULL)
        {
          g_string_append (where, " AND e.employee_id = ?");
          add_text (binds, query->employee_id);
        }
      if (query->published_only)
        g_string_append (where, " AND e.published = 1");
      if (!query->include_deleted)
        g_string_append (where, " AND e.deleted = 0");

      return " ORDER BY e.start, e.id";
    }

  if (g_str_equal (info->kind, "punch"))
    {
      if (query->from != 0)
        {
          g_string_append (where, " AND e.at >= ?");
          add_number (binds, query->from);
        }
      if (query->to != 0)
        {
          g_string_append (where, " AND e.at < ?");
          add_number (binds, query->to);
        }
      if (query->employee_id != NULL)
        {
          g_string_append (where, " AND e.employee_id = ?");
          add_text (binds, query->employee_id);
        }

      return " ORDER BY e.at, e.id";
    }

  if (g_str_equal (info->kind, "absence"))
    {
      if (query->start_date != NULL)
        {
          g_string_append (where, " AND (e.end_date IS NULL OR e.end_date >= ?)");
          add_text (binds, query->start_date);
        }
      if (query->end_date != NULL)
        {
          g_string_append (where, " AND e.start_date <= ?");
          add_text (binds, query->end_date);
        }
      if (query->employee_id != NULL)
        {
          g_string_append (where, " AND e.employee_id = ?");
          add_text (binds, query->employee_id);
        }

      return " ORDER BY e.start_date, e.id";
    }

  return " ORDER BY e.id";
}

static GPtrArray *
rota_tenant_sqlite_list (RotaTenant             *tenant,
                         const RotaTenantQuery  *query,
                         guint                  *page_count,
                         GError                **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  const KindInfo *info = kind_info_for_type (query->type);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GArray) binds = g_array_new (FALSE, FALSE, sizeof (Bind));
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  const char *order;
  sqlite3_stmt *stmt;
  gint64 total = 0;
  int rc;

  if (page_count != NULL)
    *page_count = 1;

  if (info == NULL)
    {
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID,
                   "A %s is not stored in a tenant", g_type_name (query->type));
      return NULL;
    }

  order = build_filter (info, query, where, binds);
  count_sql = g_strdup_printf ("SELECT count (*) FROM \"%s\" AS e%s", info->kind, where->str);
  page_sql = g_strdup_printf ("SELECT %s FROM \"%s\" AS e%s%s LIMIT ? OFFSET ?",
                              info->columns, info->kind, where->str, order);

  if (!lock_store (self, error))
    return NULL;

  stmt = prepare (self, count_sql, error);
  if (stmt == NULL)
    goto failed;
  bind_all (stmt, binds);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    total = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (error, get_db (self), rc, "Counting entities");
      goto failed;
    }

  stmt = prepare (self, page_sql, error);
  if (stmt == NULL)
    goto failed;
  bind_all (stmt, binds);
  sqlite3_bind_int64 (stmt, binds->len + 1, query->page_size);
  sqlite3_bind_int64 (stmt, binds->len + 2, (gint64) (query->page - 1) * (gint64) query->page_size);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, read_row (stmt, info, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, get_db (self), rc, "Listing entities");
      goto failed;
    }

  unlock_store (self);

  if (page_count != NULL)
    *page_count = (guint) MAX (1, MIN ((total + query->page_size - 1) / query->page_size, G_MAXUINT));

  return g_steal_pointer (&result);

failed:
  unlock_store (self);
  return NULL;
}

/* The change feed */

static RotaChange *
find_change (GPtrArray *changes,
             gint64     revision)
{
  guint lo = 0;
  guint hi = changes->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      RotaChange *change = g_ptr_array_index (changes, mid);

      if (change->revision == revision)
        return change;
      if (change->revision < revision)
        lo = mid + 1;
      else
        hi = mid;
    }

  return NULL;
}

/* Fills in the entities of one kind for the page (since, last]: one query
 * joining the feed's revision range to the kind's table. */
static gboolean
fetch_entities (RotaTenantSqlite  *self,
                const KindInfo    *info,
                GPtrArray         *changes,
                gint64             since,
                gint64             last,
                GError           **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* The unary + keeps SQLite from walking the (kind, entity_id) key, which
   * would visit every entity of the kind, instead of the revision range. */
  sql = g_strdup_printf ("SELECT c.revision, %s FROM server_changes AS c "
                         "JOIN \"%s\" AS e ON e.id = c.entity_id "
                         "WHERE c.revision > ? AND c.revision <= ? AND +c.kind = ? AND c.deleted = 0",
                         info->columns, info->kind);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, last);
  sqlite3_bind_text (stmt, 3, info->kind, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RotaChange *change = find_change (changes, sqlite3_column_int64 (stmt, 0));

      if (change != NULL && change->entity == NULL)
        change->entity = read_row (stmt, info, 1);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (error, get_db (self), rc, "Reading the change feed");
      return FALSE;
    }

  return TRUE;
}

static GPtrArray *
rota_tenant_sqlite_changes (RotaTenant         *tenant,
                            gint64              since,
                            guint               limit,
                            const char * const *kinds,
                            gint64      *revision,
                            gboolean    *has_more,
                            GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_change_free);
  GPtrArray *infos = kind_infos ();
  gboolean wanted[G_N_ELEMENTS (kind_order)] = { FALSE, };
  gboolean more = FALSE;
  gint64 last = 0;
  sqlite3_stmt *stmt;
  int rc;

  if (revision != NULL)
    *revision = 0;
  if (has_more != NULL)
    *has_more = FALSE;

  since = MAX (since, 0);

  if (!lock_store (self, error))
    return NULL;

  /* Kinds a client may not see are skipped in the scan, which is far
   * cheaper than reading their entities only to drop them. */
  stmt = prepare (self, "SELECT kind, entity_id, revision, version, deleted FROM server_changes "
                        "WHERE revision > ?1 AND (?3 IS NULL OR kind IN (SELECT value FROM json_each (?3))) "
                        "ORDER BY revision LIMIT ?2", error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  if (kinds != NULL)
    {
      g_autoptr(GString) list = g_string_new ("[");

      /* Kind names are [a-z_]: no escaping needed. */
      for (guint k = 0; kinds[k] != NULL; k++)
        g_string_append_printf (list, "%s\"%s\"", k ? "," : "", kinds[k]);
      g_string_append_c (list, ']');
      sqlite3_bind_text (stmt, 3, list->str, -1, SQLITE_TRANSIENT);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RotaChange *change;
      const KindInfo *info;

      if (changes->len == limit)
        {
          more = TRUE;
          continue;
        }

      change = g_new0 (RotaChange, 1);
      change->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      change->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      change->revision = sqlite3_column_int64 (stmt, 2);
      change->version = sqlite3_column_int64 (stmt, 3);
      change->deleted = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (changes, change);

      info = kind_info_for_kind (change->kind);
      if (info != NULL && !change->deleted)
        wanted[info->index] = TRUE;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (error, get_db (self), rc, "Reading the change feed");
      goto failed;
    }

  if (changes->len > 0)
    {
      last = ((RotaChange *) g_ptr_array_index (changes, changes->len - 1))->revision;

      for (guint i = 0; i < infos->len; i++)
        if (wanted[i] && !fetch_entities (self, g_ptr_array_index (infos, i), changes, since, last, error))
          goto failed;
    }
  else if (!query_revision (self, &last, error))
    goto failed;

  unlock_store (self);

  if (revision != NULL)
    *revision = last;
  if (has_more != NULL)
    *has_more = more;

  return g_steal_pointer (&changes);

failed:
  unlock_store (self);
  return NULL;
}

static gint64
rota_tenant_sqlite_get_revision (RotaTenant *tenant)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  g_autoptr(GError) error = NULL;
  gint64 revision = 0;

  if (!lock_store (self, &error))
    {
      g_warning ("Cannot read the revision of %s: %s", rota_store_get_path (self->store), error->message);
      return 0;
    }

  if (!query_revision (self, &revision, &error))
    g_warning ("Cannot read the revision of %s: %s", rota_store_get_path (self->store), error->message);

  unlock_store (self);

  return revision;
}

/* Idempotency */

static gboolean
rota_tenant_sqlite_idempotency_get (RotaTenant  *tenant,
                                    const char  *token_id,
                                    const char  *key,
                                    char       **request_hash,
                                    guint       *status,
                                    GBytes     **body,
                                    GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  if (request_hash != NULL)
    *request_hash = NULL;
  if (status != NULL)
    *status = 0;
  if (body != NULL)
    *body = NULL;

  if (!lock_store (self, error))
    return FALSE;

  stmt = prepare (self, "SELECT request_hash, status, body FROM server_idempotency "
                        "WHERE token_id = ? AND key = ?", error);
  if (stmt == NULL)
    {
      unlock_store (self);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      if (request_hash != NULL)
        *request_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (status != NULL)
        *status = (guint) sqlite3_column_int64 (stmt, 1);
      if (body != NULL && sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        {
          const void *data = sqlite3_column_blob (stmt, 2);
          int size = sqlite3_column_bytes (stmt, 2);

          *body = g_bytes_new (data, size);
        }
    }
  else if (rc != SQLITE_DONE)
    set_db_error (error, get_db (self), rc, "Reading an idempotency key");
  sqlite3_reset (stmt);

  unlock_store (self);

  return found;
}

static gboolean
rota_tenant_sqlite_idempotency_put (RotaTenant  *tenant,
                                    const char  *token_id,
                                    const char  *key,
                                    const char  *request_hash,
                                    guint        status,
                                    GBytes      *body,
                                    GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  sqlite3_stmt *stmt;
  int rc;

  /* In the transaction of the write it answers: both or neither. */
  g_return_val_if_fail (in_transaction (self), FALSE);

  stmt = prepare (self, "INSERT INTO server_idempotency (token_id, key, request_hash, status, body, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, request_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, status);
  if (body != NULL)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (body, &size);

      sqlite3_bind_blob64 (stmt, 5, data != NULL ? data : "", size, SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_int64 (stmt, 6, rota_time_now ());

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_CONFLICT,
                   "The idempotency key %s was used already", key);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, get_db (self), rc, "Storing an idempotency key");
      return FALSE;
    }

  return TRUE;
}

/* Maintenance */

/* Every row of the change feed must match the entity it names: there
 * with the same version, or gone (a shift: a tombstone) when deleted. */
static gboolean
verify_changes_locked (RotaTenantSqlite  *self,
                       char             **problem,
                       GError           **error)
{
  GPtrArray *infos = kind_infos ();
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autofree char *unknown_sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < infos->len; i++)
    {
      const KindInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *sql = NULL;

      g_string_append_printf (kinds, "%s'%s'", i ? ", " : "", info->kind);

      sql = g_strdup_printf ("SELECT c.entity_id, c.version, c.deleted, e.version, %s "
                             "FROM server_changes AS c LEFT JOIN \"%s\" AS e ON e.id = c.entity_id "
                             "WHERE c.kind = ? AND (%s) LIMIT 1",
                             info->deleted_field ? "e.deleted" : "0", info->kind,
                             info->deleted_field
                               ? "e.id IS NULL OR e.version != c.version OR e.deleted != c.deleted"
                               : "CASE WHEN c.deleted THEN e.id IS NOT NULL "
                                 "ELSE e.id IS NULL OR e.version != c.version END");
      stmt = prepare (self, sql, error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_text (stmt, 1, info->kind, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);
          gint64 version = sqlite3_column_int64 (stmt, 1);
          gboolean deleted = sqlite3_column_int (stmt, 2) != 0;

          if (sqlite3_column_type (stmt, 3) == SQLITE_NULL)
            *problem = g_strdup_printf ("The change feed has the %s %s at version %" G_GINT64_FORMAT
                                        ", but it does not exist", info->kind, id, version);
          else if (deleted && (info->deleted_field == NULL || sqlite3_column_int (stmt, 4) == 0))
            *problem = g_strdup_printf ("The change feed has the %s %s as deleted, but it exists",
                                        info->kind, id);
          else
            *problem = g_strdup_printf ("The change feed has the %s %s at version %" G_GINT64_FORMAT
                                        "%s, but it is at version %" G_GINT64_FORMAT "%s",
                                        info->kind, id, version, deleted ? " (deleted)" : "",
                                        (gint64) sqlite3_column_int64 (stmt, 3),
                                        sqlite3_column_int (stmt, 4) ? " (deleted)" : "");
        }
      sqlite3_reset (stmt);

      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          set_db_error (error, get_db (self), rc, "Checking the change feed");
          return FALSE;
        }
      if (*problem != NULL)
        return TRUE;
    }

  unknown_sql = g_strdup_printf ("SELECT kind, entity_id FROM server_changes WHERE kind NOT IN (%s) LIMIT 1",
                                 kinds->str);
  stmt = prepare (self, unknown_sql, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *problem = g_strdup_printf ("The change feed has %s %s, which is no kind of entity",
                                (const char *) sqlite3_column_text (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_db_error (error, get_db (self), rc, "Checking the change feed");
      return FALSE;
    }

  return TRUE;
}

static gboolean
rota_tenant_sqlite_verify (RotaTenant  *tenant,
                           char       **problem,
                           GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  GError *local = NULL;
  gboolean ret;

  *problem = NULL;

  if (!rota_store_verify (self->store, problem, &local))
    {
      propagate_error (error, local);
      return FALSE;
    }

  if (*problem != NULL)
    return TRUE;

  if (!lock_store (self, error))
    return FALSE;

  ret = verify_changes_locked (self, problem, error);

  unlock_store (self);

  return ret;
}

static gboolean
rota_tenant_sqlite_backup (RotaTenant  *tenant,
                           const char  *dest_path,
                           GError     **error)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (tenant);
  GError *local = NULL;

  if (!rota_store_backup (self->store, dest_path, &local))
    {
      propagate_error (error, local);
      return FALSE;
    }

  return TRUE;
}

static void
rota_tenant_sqlite_iface_init (RotaTenantInterface *iface)
{
  iface->begin = rota_tenant_sqlite_begin;
  iface->commit = rota_tenant_sqlite_commit;
  iface->rollback = rota_tenant_sqlite_rollback;
  iface->get = rota_tenant_sqlite_get;
  iface->write = rota_tenant_sqlite_write;
  iface->list = rota_tenant_sqlite_list;
  iface->changes = rota_tenant_sqlite_changes;
  iface->get_revision = rota_tenant_sqlite_get_revision;
  iface->idempotency_get = rota_tenant_sqlite_idempotency_get;
  iface->idempotency_put = rota_tenant_sqlite_idempotency_put;
  iface->verify = rota_tenant_sqlite_verify;
  iface->backup = rota_tenant_sqlite_backup;
}

/* Object */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
rota_tenant_sqlite_finalize (GObject *object)
{
  RotaTenantSqlite *self = ROTA_TENANT_SQLITE (object);

  /* Our statements first: the store closes the connection. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rota_tenant_sqlite_parent_class)->finalize (object);
}

static void
rota_tenant_sqlite_class_init (RotaTenantSqliteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rota_tenant_sqlite_finalize;
}

static void
rota_tenant_sqlite_init (RotaTenantSqlite *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
}

/* Public API */

static const char server_schema[] =
  "CREATE TABLE IF NOT EXISTS server_meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value"
  ");"
  "CREATE TABLE IF NOT EXISTS server_changes ("
  "  kind TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  revision INTEGER NOT NULL UNIQUE,"
  "  version INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL,"
  "  PRIMARY KEY (kind, entity_id)"
  ") STRICT;"
  "CREATE TABLE IF NOT EXISTS server_idempotency ("
  "  token_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  body BLOB,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (token_id, key)"
  ") STRICT;"
  "INSERT OR IGNORE INTO server_meta (key, value) VALUES ('schema', 1);";

static gboolean
ensure_server_schema (RotaTenantSqlite  *self,
                      GError           **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt;
  gint64 schema = 0;
  int rc;

  if (!_rota_store_exec (get_db (self), server_schema, &local))
    {
      propagate_error (error, local);
      return FALSE;
    }

  stmt = prepare (self, "SELECT value FROM server_meta WHERE key = 'schema'", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    schema = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      set_db_error (error, get_db (self), rc, "Reading the server schema version");
      return FALSE;
    }

  if (schema != SERVER_SCHEMA_VERSION)
    {
      g_set_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_FAILED,
                   "The tenant %s has server schema %" G_GINT64_FORMAT "; this rota-server knows %d",
                   rota_store_get_path (self->store), schema, SERVER_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_tenant_sqlite_open:
 * @path: the tenant's database file
 * @create: whether to create it when missing
 * @error: a location for a #GError
 *
 * Opens a tenant as a #RotaStore and adds the server's tables to it.
 * Errors of opening the file are %ROTA_STORE_ERROR ones.
 *
 * Returns: (transfer full) (nullable): the tenant
 */
RotaTenant *
rota_tenant_sqlite_open (const char  *path,
                         gboolean     create,
                         GError     **error)
{
  g_autoptr(RotaTenantSqlite) self = NULL;
  g_autoptr(RotaStore) store = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store = rota_store_open (path, create ? ROTA_STORE_OPEN_CREATE : ROTA_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return NULL;

  self = g_object_new (ROTA_TYPE_TENANT_SQLITE, NULL);
  self->store = g_steal_pointer (&store);

  if (!lock_store (self, error))
    return NULL;

  ok = ensure_server_schema (self, error);

  if (ok)
    {
      GError *local = NULL;

      if (!rota_store_commit (self->store, &local))
        {
          propagate_error (error, local);
          return NULL;
        }
    }
  else
    {
      rota_store_rollback (self->store);
      return NULL;
    }

  return ROTA_TENANT (g_steal_pointer (&self));
}

/**
 * rota_tenant_sqlite_get_store:
 * @self: a tenant
 *
 * For tests and admin commands.
 *
 * Returns: (transfer none): the store the tenant lives in
 */
RotaStore *
rota_tenant_sqlite_get_store (RotaTenantSqlite *self)
{
  g_return_val_if_fail (ROTA_IS_TENANT_SQLITE (self), NULL);

  return self->store;
}

/**
 * rota_tenant_sqlite_index_existing:
 * @self: a tenant
 * @error: a location for a #GError
 *
 * Gives every entity that has no place in the change feed yet (as one
 * stored with rota_store_put_entity(), say by the demo generator) a
 * revision, in one transaction, references first.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_tenant_sqlite_index_existing (RotaTenantSqlite  *self,
                                   GError           **error)
{
  GPtrArray *infos = kind_infos ();
  GError *local = NULL;
  gint64 base;

  g_return_val_if_fail (ROTA_IS_TENANT_SQLITE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lock_store (self, error))
    return FALSE;

  if (!query_revision (self, &base, error))
    goto failed;

  for (guint i = 0; i < infos->len; i++)
    {
      const KindInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      sql = g_strdup_printf ("INSERT INTO server_changes (kind, entity_id, revision, version, deleted) "
                             "SELECT ?1, e.id, ?2 + row_number () OVER (ORDER BY e.rowid), e.version, %s "
                             "FROM \"%s\" AS e WHERE NOT EXISTS "
                             "(SELECT 1 FROM server_changes AS c WHERE c.kind = ?1 AND c.entity_id = e.id)",
                             info->deleted_field ? "e.deleted" : "0", info->kind);
      stmt = prepare (self, sql, error);
      if (stmt == NULL)
        goto failed;

      sqlite3_bind_text (stmt, 1, info->kind, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, base);
      if (!step_done (self, stmt, "Indexing entities", error))
        goto failed;

      base += sqlite3_changes64 (get_db (self));
    }

  if (!rota_store_commit (self->store, &local))
    {
      propagate_error (error, local);
      return FALSE;
    }

  return TRUE;

failed:
  rota_store_rollback (self->store);
  return FALSE;
}
