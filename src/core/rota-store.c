/* rota-store.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-store"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rota-audit.h"
#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-store-private.h"
#include "rota-time.h"

/*
 * RotaStore is one SQLite file: the local cache of one account, or a
 * demo workspace. It keeps server state in one table per entity, local
 * edits in an outbox together with a pending copy of the edited entity,
 * and reads lay the pending copies over server state. Every local edit is
 * written with its outbox row and its audit row in one transaction.
 *
 * One connection serves all threads; a recursive mutex serialises them,
 * and a transaction holds the mutex from begin to commit.
 */

/* Shifts last at most a day (DESIGN §3), so a range query can bound its
 * index scan on start alone. */
#define SHIFT_MAX_SECONDS (24 * 60 * 60)

struct _RotaStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GRecMutex   lock;
  GHashTable *statements;
  GThreadPool *writer;
  char       *recovery_reason;
  int         schema_version;
  guint       transaction_depth;
  GThread    *transaction_owner;
  guint       read_only : 1;

  /* ROTA_STORE_OPEN_CHECK_LATER: the integrity check runs on a thread of
   * its own; writes wait for it. */
  GMutex        check_mutex;
  GCond         check_cond;
  gboolean      check_pending;
  GMainContext *check_context;
};

G_DEFINE_FINAL_TYPE (RotaStore, rota_store, G_TYPE_OBJECT)

enum {
  CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  PROP_RECOVERY_REASON,
  PROP_SCHEMA_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (rota-store-error-quark, rota_store_error)

static gpointer check_thread (gpointer data);

G_DEFINE_BOXED_TYPE (RotaOutboxItem, rota_outbox_item, rota_outbox_item_copy, rota_outbox_item_free)

/**
 * rota_outbox_item_copy:
 * @item: an outbox item
 *
 * Returns: (transfer full): a deep copy of @item
 */
RotaOutboxItem *
rota_outbox_item_copy (const RotaOutboxItem *item)
{
  RotaOutboxItem *copy;

  g_return_val_if_fail (item != NULL, NULL);

  copy = g_memdup2 (item, sizeof *item);
  copy->idempotency_key = g_strdup (item->idempotency_key);
  copy->kind = g_strdup (item->kind);
  copy->entity_id = g_strdup (item->entity_id);
  copy->payload = g_strdup (item->payload);
  copy->message = g_strdup (item->message);
  copy->server_payload = g_strdup (item->server_payload);
  copy->actor = g_strdup (item->actor);

  return copy;
}

void
rota_outbox_item_free (RotaOutboxItem *item)
{
  if (item == NULL)
    return;

  g_free (item->idempotency_key);
  g_free (item->kind);
  g_free (item->entity_id);
  g_free (item->payload);
  g_free (item->message);
  g_free (item->server_payload);
  g_free (item->actor);
  g_free (item);
}

/* Errors and plain statements */

void
_rota_store_set_error (GError     **error,
                       sqlite3     *db,
                       int          rc,
                       const char  *what)
{
  RotaStoreError code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = ROTA_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = ROTA_STORE_ERROR_BUSY;
      break;
    case SQLITE_READONLY:
      code = ROTA_STORE_ERROR_READ_ONLY;
      break;
    case SQLITE_CONSTRAINT:
      code = ROTA_STORE_ERROR_INVALID;
      break;
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_CANTOPEN:
      code = ROTA_STORE_ERROR_PERMISSIONS;
      break;
    default:
      code = ROTA_STORE_ERROR_FAILED;
      break;
    }

  g_set_error (error, ROTA_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

gboolean
_rota_store_exec (sqlite3     *db,
                  const char  *sql,
                  GError     **error)
{
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ROTA_STORE_ERROR,
                   (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB ? ROTA_STORE_ERROR_CORRUPT :
                   (rc & 0xff) == SQLITE_BUSY ? ROTA_STORE_ERROR_BUSY :
                   (rc & 0xff) == SQLITE_CONSTRAINT ? ROTA_STORE_ERROR_INVALID :
                   ROTA_STORE_ERROR_FAILED,
                   "%s", message ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

sqlite3 *
_rota_store_get_db (RotaStore *self)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  return self->db;
}

/* For the store's other files (rota-store-mirror.c): holds the store's
 * lock for this thread, as a transaction does, and returns the
 * connection, or NULL when the store is closed (the lock is held all the
 * same). Every call needs a _rota_store_unlock(). */
sqlite3 *
_rota_store_lock (RotaStore *self)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->lock);

  return self->db;
}

void
_rota_store_unlock (RotaStore *self)
{
  g_return_if_fail (ROTA_IS_STORE (self));

  g_rec_mutex_unlock (&self->lock);
}

static sqlite3_stmt *
prepare (RotaStore   *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      /* A statement still being stepped up the stack would silently
       * start over: every nested use must be of another query. */
      g_assert (!sqlite3_stmt_busy (stmt));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rota_store_set_error (error, self->db, rc, "Preparing a query");
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

static gboolean
step_done (RotaStore     *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _rota_store_set_error (error, self->db, rc, what);
      return FALSE;
    }

  return TRUE;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return result;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           gint64      fallback)
{
  sqlite3_stmt *stmt = NULL;
  gint64 result = fallback;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    result = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return result;
}

static gboolean
check_writable (RotaStore  *self,
                GError    **error)
{
  gboolean read_only;

  /* A file whose check is still running is not written yet. */
  g_mutex_lock (&self->check_mutex);
  while (self->check_pending)
    g_cond_wait (&self->check_cond, &self->check_mutex);
  read_only = self->read_only;
  g_mutex_unlock (&self->check_mutex);

  if (read_only)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_READ_ONLY,
                   _("The store %s is open read-only because it is damaged (%s); "
                     "export its unsynced work and restore a backup"),
                   self->path, self->recovery_reason ? self->recovery_reason : "?");
      return FALSE;
    }

  return TRUE;
}

/* Per-type SQL, made once from the field tables */

typedef struct
{
  GType            type;
  RotaEntityClass *klass;
  const char      *table;
  char            *columns;
  char            *select;
  char            *select_pending;
  char            *upsert;
  char            *insert;
  char            *pending_upsert;
  guint            append_only : 1;
  guint            has_pending : 1;
  guint            has_deleted_field : 1;
} TypeSql;

static gboolean
kind_is_append_only (const char *kind)
{
  return g_str_equal (kind, "punch") ||
         g_str_equal (kind, "punch_correction") ||
         g_str_equal (kind, "audit");
}

static gboolean
kind_has_pending (const char *kind)
{
  return g_str_equal (kind, "shift") ||
         g_str_equal (kind, "absence") ||
         g_str_equal (kind, "availability");
}

static gpointer
build_type_sql (gpointer data)
{
  GHashTable *table = g_hash_table_new (NULL, NULL);
  const GType *types;
  guint n_types;

  types = rota_entity_get_types (&n_types);

  for (guint i = 0; i < n_types; i++)
    {
      TypeSql *sql = g_new0 (TypeSql, 1);
      g_autoptr(GString) columns = g_string_new (NULL);
      g_autoptr(GString) params = g_string_new (NULL);
      g_autoptr(GString) updates = g_string_new (NULL);

      sql->type = types[i];
      sql->klass = g_type_class_ref (types[i]);
      sql->table = sql->klass->kind;
      sql->append_only = kind_is_append_only (sql->table);
      sql->has_pending = kind_has_pending (sql->table);
      sql->has_deleted_field = rota_entity_class_find_field (sql->klass, "deleted") != NULL;

      for (guint f = 0; f < sql->klass->n_fields; f++)
        {
          const char *name = sql->klass->fields[f].name;

          if (sql->klass->fields[f].type == ROTA_FIELD_ENUM)
            g_type_class_ref (sql->klass->fields[f].get_enum_type ());

          g_string_append_printf (columns, "%s\"%s\"", f ? ", " : "", name);
          g_string_append_printf (params, "%s?", f ? ", " : "");
          if (!(sql->klass->fields[f].flags & ROTA_FIELD_KEY))
            g_string_append_printf (updates, "%s\"%s\" = excluded.\"%s\"",
                                    updates->len ? ", " : "", name, name);
        }

      sql->columns = g_strdup (columns->str);
      sql->select = g_strdup_printf ("SELECT %s FROM \"%s\"", columns->str, sql->table);
      sql->insert = g_strdup_printf ("INSERT INTO \"%s\" (%s) VALUES (%s)",
                                     sql->table, columns->str, params->str);

      /* Server state wins only when it is not older than what we have:
       * applying the same change twice, or an older one after a newer
       * one, changes nothing. Facts are only ever added. */
      if (sql->append_only)
        sql->upsert = g_strdup_printf ("INSERT INTO \"%s\" (%s) VALUES (%s) ON CONFLICT DO NOTHING",
                                       sql->table, columns->str, params->str);
      else
        sql->upsert = g_strdup_printf ("INSERT INTO \"%s\" (%s) VALUES (%s) "
                                       "ON CONFLICT (id) DO UPDATE SET %s "
                                       "WHERE excluded.version >= \"%s\".version",
                                       sql->table, columns->str, params->str,
                                       updates->str, sql->table);

      if (sql->has_pending)
        {
          sql->select_pending = g_strdup_printf ("SELECT %s FROM \"%s_pending\"", columns->str, sql->table);
          sql->pending_upsert = g_strdup_printf ("INSERT OR REPLACE INTO \"%s_pending\" (%s%s, outbox_seq) "
                                                 "VALUES (%s%s, ?)",
                                                 sql->table, columns->str,
                                                 sql->has_deleted_field ? "" : ", deleted",
                                                 params->str,
                                                 sql->has_deleted_field ? "" : ", ?");
        }

      g_hash_table_insert (table, GSIZE_TO_POINTER (types[i]), sql);
    }

  return table;
}

static const TypeSql *
type_sql_lookup (GType type)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, build_type_sql, NULL);

  return g_hash_table_lookup (once.retval, GSIZE_TO_POINTER (type));
}

static void
bind_entity (sqlite3_stmt *stmt,
             RotaEntity   *entity,
             int           first)
{
  RotaEntityClass *klass = ROTA_ENTITY_GET_CLASS (entity);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const RotaField *field = &klass->fields[i];
      int index = first + i;

      switch (field->type)
        {
        case ROTA_FIELD_ID:
        case ROTA_FIELD_STRING:
        case ROTA_FIELD_DATE:
        case ROTA_FIELD_TIME:
          {
            const char *value = *ROTA_FIELD_PTR (entity, field, char *);

            if (value != NULL)
              sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
            else
              sqlite3_bind_null (stmt, index);
          }
          break;

        case ROTA_FIELD_INT:
          sqlite3_bind_int64 (stmt, index, *ROTA_FIELD_PTR (entity, field, gint64));
          break;

        case ROTA_FIELD_INSTANT:
          {
            gint64 value = *ROTA_FIELD_PTR (entity, field, gint64);

            if (value != 0)
              sqlite3_bind_int64 (stmt, index, value);
            else
              sqlite3_bind_null (stmt, index);
          }
          break;

        case ROTA_FIELD_DOUBLE:
          sqlite3_bind_double (stmt, index, *ROTA_FIELD_PTR (entity, field, gdouble));
          break;

        case ROTA_FIELD_BOOL:
          sqlite3_bind_int (stmt, index, *ROTA_FIELD_PTR (entity, field, gboolean) ? 1 : 0);
          break;

        case ROTA_FIELD_ENUM:
          {
            int value = *ROTA_FIELD_PTR (entity, field, int);
            GEnumClass *enum_class = g_type_class_peek (field->get_enum_type ());
            GEnumValue *enum_value = enum_class ? g_enum_get_value (enum_class, value) : NULL;

            if (value != 0 && enum_value != NULL)
              sqlite3_bind_text (stmt, index, enum_value->value_nick, -1, SQLITE_STATIC);
            else
              sqlite3_bind_null (stmt, index);
          }
          break;

        case ROTA_FIELD_STRV:
          {
            char **strv = *ROTA_FIELD_PTR (entity, field, char **);
            g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
            g_autoptr(JsonNode) node = NULL;
            char *text;

            json_builder_begin_array (builder);
            for (guint s = 0; strv != NULL && strv[s] != NULL; s++)
              json_builder_add_string_value (builder, strv[s]);
            json_builder_end_array (builder);
            node = json_builder_get_root (builder);
            text = rota_json_to_string (node, NULL);
            sqlite3_bind_text (stmt, index, text, -1, g_free);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

static char **
strv_from_json (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (text == NULL || g_str_equal (text, "[]"))
    return NULL;

  node = rota_json_parse (text, strlen (text), 0, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *value = json_array_get_string_element (array, i);

      if (value != NULL)
        g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

/* Builds an entity from a row whose columns, from @first on, are the
 * entity's fields in table order. */
static RotaEntity *
read_entity_at (sqlite3_stmt    *stmt,
                const TypeSql   *sql,
                int              first)
{
  RotaEntity *entity = g_object_new (sql->type, NULL);
  RotaEntityClass *klass = sql->klass;

  for (guint f = 0; f < klass->n_fields; f++)
    {
      const RotaField *field = &klass->fields[f];
      int i = first + (int) f;

      switch (field->type)
        {
        case ROTA_FIELD_ID:
        case ROTA_FIELD_STRING:
        case ROTA_FIELD_DATE:
        case ROTA_FIELD_TIME:
          {
            char **ptr = ROTA_FIELD_PTR (entity, field, char *);

            g_free (*ptr);
            *ptr = g_strdup ((const char *) sqlite3_column_text (stmt, i));
          }
          break;

        case ROTA_FIELD_INT:
        case ROTA_FIELD_INSTANT:
          *ROTA_FIELD_PTR (entity, field, gint64) = sqlite3_column_int64 (stmt, i);
          break;

        case ROTA_FIELD_DOUBLE:
          *ROTA_FIELD_PTR (entity, field, gdouble) = sqlite3_column_double (stmt, i);
          break;

        case ROTA_FIELD_BOOL:
          *ROTA_FIELD_PTR (entity, field, gboolean) = sqlite3_column_int (stmt, i) != 0;
          break;

        case ROTA_FIELD_ENUM:
          {
            const char *nick = (const char *) sqlite3_column_text (stmt, i);
            /* Referenced for good in build_type_sql(). */
            GEnumClass *enum_class = g_type_class_peek (field->get_enum_type ());
            GEnumValue *value = nick ? g_enum_get_value_by_nick (enum_class, nick) : NULL;

            *ROTA_FIELD_PTR (entity, field, int) = value ? value->value : 0;
          }
          break;

        case ROTA_FIELD_STRV:
          {
            char ***ptr = ROTA_FIELD_PTR (entity, field, char **);

            g_strfreev (*ptr);
            *ptr = strv_from_json ((const char *) sqlite3_column_text (stmt, i));
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return entity;
}

static RotaEntity *
read_entity (sqlite3_stmt  *stmt,
             const TypeSql *sql)
{
  return read_entity_at (stmt, sql, 0);
}

/* For rota-server's tenant backend, which reads the same tables. */
RotaEntity *
_rota_store_read_entity (sqlite3_stmt *stmt,
                         GType         type,
                         int           first)
{
  const TypeSql *sql = type_sql_lookup (type);

  g_return_val_if_fail (sql != NULL, NULL);

  return read_entity_at (stmt, sql, first);
}

static gboolean
collect_entities (RotaStore      *self,
                  sqlite3_stmt   *stmt,
                  const TypeSql  *sql,
                  GPtrArray      *result,
                  GError        **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, read_entity (stmt, sql));

  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rota_store_set_error (error, self->db, rc, "Reading the store");
      return FALSE;
    }

  return TRUE;
}

/* Opening */

/*
 * Two SQLite libraries in one process (say libsqlite3 and a libsqlcipher
 * pulled in by a plugin) each keep their own POSIX locks, and can corrupt
 * a database they both touch (reliability.md D5, sqlite.org/howtocorrupt
 * §2.2.1). Counts the distinct such libraries in a /proc/self/maps text.
 */
guint
_rota_store_count_sqlite_libraries (const char *maps)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (maps != NULL, 0);

  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *path = strchr (lines[i], '/');
      g_autofree char *base = NULL;

      if (path == NULL)
        continue;

      base = g_path_get_basename (path);
      if (g_str_has_prefix (base, "libsqlite3.so") || g_str_has_prefix (base, "libsqlcipher.so"))
        g_hash_table_add (seen, g_strdup (path));
    }

  return g_hash_table_size (seen);
}

static gpointer
check_single_sqlite (gpointer data)
{
  g_autofree char *maps = NULL;

  /* Without /proc (another OS, a sandbox) there is nothing to check. */
  if (!g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL))
    return GINT_TO_POINTER (TRUE);

  return GINT_TO_POINTER (_rota_store_count_sqlite_libraries (maps) <= 1);
}

static gboolean
ensure_private_dir (const char  *dir,
                    gboolean     create,
                    GError     **error)
{
  g_autofree char *default_dir = rota_store_default_dir ();
  g_autofree char *parent = NULL;
  gboolean existed = g_file_test (dir, G_FILE_TEST_IS_DIR);
  struct stat st;

  /* Missing parents get the usual mode; only the folder itself is private. */
  if (create && !existed &&
      (g_mkdir_with_parents (parent = g_path_get_dirname (dir), 0755) != 0 ||
       (g_mkdir (dir, 0700) != 0 && errno != EEXIST)))
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_PERMISSIONS,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_stat (dir, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                   _("The folder %s does not exist: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Rota's own folder holds other people's work hours and is ours alone
   * (reliability.md D8). A folder someone named with --store is theirs,
   * and is left as it is: the store file in it is 0600 all the same. */
  if ((st.st_mode & 077) != 0 && (!existed || g_strcmp0 (dir, default_dir) == 0))
    {
      if (st.st_uid != getuid () || g_chmod (dir, 0700) != 0)
        {
          g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_PERMISSIONS,
                       _("The folder %s can be read by other users and cannot be made private; "
                         "run chmod 700 on it"), dir);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
ensure_private_file (const char  *path,
                     gboolean     create,
                     GError     **error)
{
  struct stat st;
  int fd;

  /* Create the file before SQLite does, so that it is 0600 whatever the
   * umask; SQLite gives the -wal and -shm files the same mode. */
  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0)
    {
      if (!create)
        {
          close (fd);
          g_unlink (path);
          g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                       _("There is no store at %s"), path);
          return FALSE;
        }
      close (fd);
      return TRUE;
    }

  if (errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_STORE_ERROR,
                   saved_errno == ENOENT ? ROTA_STORE_ERROR_NOT_FOUND : ROTA_STORE_ERROR_PERMISSIONS,
                   _("Cannot open %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_A_STORE,
                   _("%s is not a regular file"), path);
      return FALSE;
    }

  if ((st.st_mode & 077) != 0)
    {
      if (st.st_uid != getuid () || g_chmod (path, 0600) != 0)
        {
          g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_PERMISSIONS,
                       _("The store %s can be read by other users and cannot be made private; "
                         "run chmod 600 on it"), path);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
is_busy (int rc)
{
  return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* Some locks are refused at once rather than through the busy handler:
 * changing the journal mode while another connection opens the same new
 * file, for one. Such statements are tried again for a while. */
static gboolean
exec_retrying (sqlite3     *db,
               const char  *sql,
               GError     **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        return TRUE;

      if (!is_busy (rc) || attempt >= 500)
        {
          _rota_store_set_error (error, db, rc, sql);
          return FALSE;
        }

      g_usleep (20 * 1000);
    }
}

static void
set_busy_error (GError     **error,
                const char  *path)
{
  g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_BUSY,
               _("%s is in use by another program that holds it alone (a restore, perhaps); "
                 "try again in a moment"), path);
}

static gboolean
set_and_check_pragma (sqlite3     *db,
                      const char  *set,
                      const char  *get,
                      const char  *expected,
                      GError     **error)
{
  g_autofree char *value = NULL;

  if (!exec_retrying (db, set, error))
    return FALSE;

  value = query_text (db, get);
  if (g_strcmp0 (value, expected) != 0)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_SETTINGS,
                   _("SQLite did not accept “%s” (it reports “%s”); Rota refuses to run "
                     "without it, because it protects your data"),
                   set, value ? value : "nothing");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_identity (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 application_id;
  gint64 n_tables;
  int rc;

  /* The first read of the file: a file that is not SQLite fails here.
   * Both values come from one snapshot, so that another connection
   * creating the schema meanwhile is seen either whole or not at all. */
  rc = sqlite3_prepare_v2 (db, "SELECT (SELECT application_id FROM pragma_application_id), "
                               "(SELECT count(*) FROM sqlite_schema)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  application_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  n_tables = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 1) : 0;
  sqlite3_finalize (stmt);

  if (is_busy (rc))
    {
      set_busy_error (error, path);
      return FALSE;
    }

  if (rc != SQLITE_ROW)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_CORRUPT,
                   _("%s cannot be read as a database (%s); restore it from a backup"),
                   path, sqlite3_errstr (rc));
      return FALSE;
    }

  if ((application_id != 0 && application_id != ROTA_STORE_APPLICATION_ID) ||
      (application_id == 0 && n_tables > 0))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_A_STORE,
                   _("%s is an SQLite database, but not one of Rota's"), path);
      return FALSE;
    }

  return TRUE;
}

/* Returns what PRAGMA quick_check found, or NULL if the file is sound.
 * A lock held by someone else is not damage: *busy tells it apart. */
static char *
run_quick_check (sqlite3  *db,
                 gboolean *busy)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0 && problems->len < 512)
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  *busy = is_busy (rc);
  if (*busy)
    return NULL;

  if (rc != SQLITE_DONE && problems->len == 0)
    g_string_append (problems, sqlite3_errstr (rc));

  /* One line per finding; messages and logs want one line. */
  g_strdelimit (problems->str, "\n\r", ' ');

  return problems->len ? g_string_free (g_steal_pointer (&problems), FALSE) : NULL;
}

static gboolean
rota_store_open_db (RotaStore           *self,
                    RotaStoreOpenFlags   flags,
                    GError             **error)
{
  static GOnce single_sqlite = G_ONCE_INIT;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *damage = NULL;
  gboolean create = (flags & ROTA_STORE_OPEN_CREATE) != 0;
  gboolean busy = FALSE;
  int rc;

  if (!GPOINTER_TO_INT (g_once (&single_sqlite, check_single_sqlite, NULL)))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_SETTINGS,
                   _("More than one SQLite library is loaded into this program, which can "
                     "damage the data; Rota will not open a store like this"));
      return FALSE;
    }

  if (!ensure_private_dir (dir, create, error) ||
      !ensure_private_file (self->path, create, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW,
                        NULL);
  if (rc != SQLITE_OK)
    {
      _rota_store_set_error (error, self->db, rc, self->path);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 10000);

  if (!check_identity (self->db, self->path, error))
    return FALSE;

  /* Checking a large file takes long (half a second for the standard
   * large tenant). With CHECK_LATER a file of the current schema opens at
   * once and is checked on a thread; writes and syncs wait for that. */
  if ((flags & ROTA_STORE_OPEN_CHECK_LATER) && !create &&
      query_int (self->db, "PRAGMA user_version", 0) == ROTA_STORE_SCHEMA_VERSION)
    {
      self->check_pending = TRUE;
      self->check_context = g_main_context_ref_thread_default ();
    }

  /* A damaged file is opened read-only, so that its unsynced work can
   * still be exported, and is never synced or written (reliability.md D7). */
  damage = self->check_pending ? NULL : run_quick_check (self->db, &busy);
  if (busy)
    {
      set_busy_error (error, self->path);
      return FALSE;
    }
  if (damage != NULL)
    {
      g_message ("Store %s failed its integrity check, opening it read-only", self->path);

      sqlite3_close_v2 (self->db);
      self->db = NULL;

      rc = sqlite3_open_v2 (self->path, &self->db,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW,
                            NULL);
      if (rc != SQLITE_OK)
        {
          _rota_store_set_error (error, self->db, rc, self->path);
          return FALSE;
        }

      _rota_store_exec (self->db, "PRAGMA query_only = ON", NULL);
      self->read_only = TRUE;
      self->recovery_reason = g_steal_pointer (&damage);
      self->schema_version = (int) query_int (self->db, "PRAGMA user_version", 0);

      return TRUE;
    }

  if (!set_and_check_pragma (self->db, "PRAGMA journal_mode = WAL", "PRAGMA journal_mode", "wal", error) ||
      !set_and_check_pragma (self->db, "PRAGMA synchronous = FULL", "PRAGMA synchronous", "2", error) ||
      !set_and_check_pragma (self->db, "PRAGMA secure_delete = ON", "PRAGMA secure_delete", "1", error) ||
      !set_and_check_pragma (self->db, "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys", "1", error) ||
      !_rota_store_exec (self->db, "PRAGMA cache_size = -65536", error))
    return FALSE;

  /* Reads map the file instead of copying each page in: the Planner reads
   * a week of 2,000 people's shifts at every switch. Writes still go
   * through the WAL. Where mapping is not possible SQLite reads as before. */
  _rota_store_exec (self->db, "PRAGMA mmap_size = 1073741824", NULL);

  if (!_rota_store_migrate (self->db, ROTA_STORE_SCHEMA_VERSION, error))
    return FALSE;

  self->schema_version = ROTA_STORE_SCHEMA_VERSION;

  return TRUE;
}

/* Async calls: every *_async function runs its synchronous twin on a
 * worker thread. Reads go to GTask's pool; writes are queued on one
 * writer thread of the store's own, so that they happen in the order they
 * were asked for. */

typedef gpointer (*StoreCallFunc) (RotaStore  *self,
                                   gpointer    args,
                                   GError    **error);

typedef struct
{
  StoreCallFunc  func;
  gpointer       args;
  GDestroyNotify args_free;
  GDestroyNotify result_free;
} StoreCall;

static void
store_call_free (StoreCall *call)
{
  if (call->args_free != NULL)
    call->args_free (call->args);
  g_free (call);
}

static void
store_call_run (GTask *task)
{
  StoreCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;

  result = call->func (g_task_get_source_object (task), call->args, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, call->result_free);
}

static void
store_call_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  store_call_run (task);
}

static void
store_writer_worker (gpointer data,
                     gpointer user_data)
{
  g_autoptr(GTask) task = data;

  store_call_run (task);
}

static void
store_call_async (RotaStore           *self,
                  gboolean             is_write,
                  StoreCallFunc        func,
                  gpointer             args,
                  GDestroyNotify       args_free,
                  GDestroyNotify       result_free,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreCall *call = g_new0 (StoreCall, 1);

  call->func = func;
  call->args = args;
  call->args_free = args_free;
  call->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) store_call_free);

  if (is_write)
    g_thread_pool_push (self->writer, g_steal_pointer (&task), NULL);
  else
    g_task_run_in_thread (task, store_call_thread);
}

static gpointer
store_call_finish (RotaStore     *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* For calls whose result is a gboolean: a non-NULL pointer is success. */
#define STORE_CALL_OK GINT_TO_POINTER (1)

/* GObject */

static void
rota_store_finalize (GObject *object)
{
  RotaStore *self = (RotaStore *)object;

  /* Queued writes hold a reference on the store, so the queue is empty
   * here. Not waiting matters: the last reference may be dropped on the
   * writer thread itself. */
  g_thread_pool_free (g_steal_pointer (&self->writer), FALSE, FALSE);

  rota_store_close (self);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->recovery_reason, g_free);
  g_clear_pointer (&self->check_context, g_main_context_unref);
  g_mutex_clear (&self->check_mutex);
  g_cond_clear (&self->check_cond);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (rota_store_parent_class)->finalize (object);
}

static void
rota_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RotaStore *self = ROTA_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    case PROP_RECOVERY_REASON:
      g_value_set_string (value, self->recovery_reason);
      break;

    case PROP_SCHEMA_VERSION:
      g_value_set_int (value, self->schema_version);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_store_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RotaStore *self = ROTA_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_store_class_init (RotaStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rota_store_finalize;
  object_class->get_property = rota_store_get_property;
  object_class->set_property = rota_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECOVERY_REASON] =
    g_param_spec_string ("recovery-reason", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SCHEMA_VERSION] =
    g_param_spec_int ("schema-version", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RotaStore::checked:
   *
   * Emitted on the opening thread's main context when the integrity check
   * of a store opened with %ROTA_STORE_OPEN_CHECK_LATER is done; the store
   * is read-only if it failed.
   */
  signals[CHECKED] = g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rota_store_init (RotaStore *self)
{
  g_rec_mutex_init (&self->lock);
  g_mutex_init (&self->check_mutex);
  g_cond_init (&self->check_cond);
  /* Threads start only when the first write is queued. */
  self->writer = g_thread_pool_new (store_writer_worker, NULL, 1, FALSE, NULL);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/**
 * rota_store_open:
 * @path: the store's file
 * @flags: %ROTA_STORE_OPEN_CREATE to create it (and its folder) if missing
 * @error: a location for a #GError
 *
 * Opens a store: makes the folder 0700 and the file 0600, sets WAL,
 * synchronous=FULL, secure_delete and foreign keys and reads each back,
 * runs PRAGMA quick_check, and migrates the schema. A file that fails the
 * check is opened read-only; see #RotaStore:read-only.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL on error
 */
RotaStore *
rota_store_open (const char          *path,
                 RotaStoreOpenFlags   flags,
                 GError             **error)
{
  g_autoptr(RotaStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ROTA_TYPE_STORE, "path", path, NULL);

  if (!rota_store_open_db (self, flags, error))
    return NULL;

  if (self->check_pending)
    g_thread_unref (g_thread_new ("rota-store-check", check_thread, g_object_ref (self)));

  g_debug ("Opened store %s (schema %d%s)", path, self->schema_version,
           self->read_only ? ", read-only" : "");

  return g_steal_pointer (&self);
}

static gboolean
emit_checked (gpointer data)
{
  RotaStore *self = data;

  if (self->read_only)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
  g_signal_emit (self, signals[CHECKED], 0);

  return G_SOURCE_REMOVE;
}

/* Runs the integrity check of a store opened with CHECK_LATER on a
 * connection of its own, so that reads go on meanwhile. */
static gpointer
check_thread (gpointer data)
{
  RotaStore *self = data;
  g_autofree char *damage = NULL;
  sqlite3 *db = NULL;
  gboolean busy = FALSE;
  int rc;

  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 10000);
      /* Read, not mapped: mapping would count the whole file as this
       * process's memory. */
      damage = run_quick_check (db, &busy);
      if (busy)
        damage = g_strdup ("the file stayed locked by another program during the check");
    }
  else
    damage = g_strdup (sqlite3_errstr (rc));
  sqlite3_close_v2 (db);

  g_mutex_lock (&self->check_mutex);
  if (damage != NULL)
    {
      g_message ("Store %s failed its integrity check, refusing writes", self->path);
      self->read_only = TRUE;
      g_free (self->recovery_reason);
      self->recovery_reason = g_steal_pointer (&damage);
    }
  self->check_pending = FALSE;
  g_cond_broadcast (&self->check_cond);
  g_mutex_unlock (&self->check_mutex);

  /* Always by a source on the opener's context, never from here:
   * g_main_context_invoke() would run it on this thread when nobody holds
   * the context, and before the opener connected to the signal. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, emit_checked, self, g_object_unref);
    g_source_set_static_name (source, "[rota] store checked");
    g_source_attach (source, self->check_context);
    g_source_unref (source);
  }

  return NULL;
}

/**
 * rota_store_wait_checked:
 * @self: a store
 *
 * Waits for the integrity check of a store opened with
 * %ROTA_STORE_OPEN_CHECK_LATER; returns at once for any other.
 *
 * Returns: %TRUE if the store is sound and writable
 */
gboolean
rota_store_wait_checked (RotaStore *self)
{
  gboolean ok;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);

  g_mutex_lock (&self->check_mutex);
  while (self->check_pending)
    g_cond_wait (&self->check_cond, &self->check_mutex);
  ok = !self->read_only;
  g_mutex_unlock (&self->check_mutex);

  return ok;
}

/**
 * rota_store_get_checking:
 *
 * Returns: %TRUE while the integrity check of a store opened with
 *   %ROTA_STORE_OPEN_CHECK_LATER runs
 */
gboolean
rota_store_get_checking (RotaStore *self)
{
  gboolean pending;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);

  g_mutex_lock (&self->check_mutex);
  pending = self->check_pending;
  g_mutex_unlock (&self->check_mutex);

  return pending;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  RotaStore *store;

  store = rota_store_open (task_data, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "flags")), &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
rota_store_open_async (const char          *path,
                       RotaStoreOpenFlags   flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rota_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (task), "flags", GINT_TO_POINTER (flags));
  g_task_run_in_thread (task, open_thread);
}

/**
 * rota_store_open_finish:
 *
 * Returns: (transfer full) (nullable): the store, or %NULL on error
 */
RotaStore *
rota_store_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rota_store_delete_files:
 * @path: a store's file
 * @error: a location for a #GError
 *
 * Deletes a store that nothing has open: the file and its -wal and -shm
 * companions. Files already gone are fine.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_delete_files (const char  *path,
                         GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot remove %s: %s"), file, g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * rota_store_default_dir:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/rota
 */
char *
rota_store_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "rota", NULL);
}

/**
 * rota_store_close:
 * @self: a store
 *
 * Closes the database early; later calls fail. Finalising closes it too.
 */
void
rota_store_close (RotaStore *self)
{
  g_return_if_fail (ROTA_IS_STORE (self));

  g_rec_mutex_lock (&self->lock);
  if (self->statements != NULL)
    g_hash_table_remove_all (self->statements);
  if (self->db != NULL)
    {
      /* The last connection to close checkpoints and removes the WAL by
       * itself; forcing a checkpoint here would stall another process
       * that is writing. */
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_rec_mutex_unlock (&self->lock);
}

const char *
rota_store_get_path (RotaStore *self)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  return self->path;
}

gboolean
rota_store_get_read_only (RotaStore *self)
{
  gboolean read_only;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);

  g_mutex_lock (&self->check_mutex);
  read_only = self->read_only;
  g_mutex_unlock (&self->check_mutex);

  return read_only;
}

/**
 * rota_store_get_recovery_reason:
 * @self: a store
 *
 * Returns: (nullable): what PRAGMA quick_check found, for a store opened
 *   read-only because it is damaged
 */
const char *
rota_store_get_recovery_reason (RotaStore *self)
{
  const char *reason;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  /* Set once, by the check thread at the latest. */
  g_mutex_lock (&self->check_mutex);
  reason = self->recovery_reason;
  g_mutex_unlock (&self->check_mutex);

  return reason;
}

int
rota_store_get_schema_version (RotaStore *self)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), 0);

  return self->schema_version;
}

/* Transactions */

static gboolean
check_open (RotaStore  *self,
            GError    **error)
{
  if (self->db == NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_FAILED,
                   "The store %s is closed", self->path);
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_store_begin:
 * @self: a store
 * @error: a location for a #GError
 *
 * Starts a write transaction, or, inside one this thread already holds,
 * a savepoint: a rollback then undoes only what came after its begin.
 * Every successful begin needs a commit or a rollback.
 *
 * Returns: %TRUE if the transaction is open
 */
gboolean
rota_store_begin (RotaStore  *self,
                  GError    **error)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);

  if (!check_open (self, error) || !check_writable (self, error))
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }

  if (self->transaction_depth == 0)
    {
      if (!_rota_store_exec (self->db, "BEGIN IMMEDIATE", error))
        {
          g_rec_mutex_unlock (&self->lock);
          return FALSE;
        }
      self->transaction_owner = g_thread_self ();
    }
  else
    {
      /* A nested transaction is a savepoint: its rollback undoes only
       * its own work, and the outer transaction goes on. */
      g_autofree char *savepoint = g_strdup_printf ("SAVEPOINT rota_%u", self->transaction_depth);

      if (!_rota_store_exec (self->db, savepoint, error))
        {
          g_rec_mutex_unlock (&self->lock);
          return FALSE;
        }
    }

  self->transaction_depth++;

  return TRUE;
}

/**
 * rota_store_commit:
 * @self: a store
 * @error: a location for a #GError
 *
 * Ends the outermost transaction with COMMIT; with synchronous=FULL the
 * data is on disk when this returns %TRUE. On failure the transaction is
 * rolled back.
 *
 * Returns: %TRUE if committed
 */
gboolean
rota_store_commit (RotaStore  *self,
                   GError    **error)
{
  gboolean ret = TRUE;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->transaction_depth > 0, FALSE);
  /* Only the thread that began the transaction holds the lock. */
  g_return_val_if_fail (self->transaction_owner == g_thread_self (), FALSE);

  if (--self->transaction_depth == 0)
    {
      if (!_rota_store_exec (self->db, "COMMIT", error))
        {
          _rota_store_exec (self->db, "ROLLBACK", NULL);
          ret = FALSE;
        }
    }
  else
    {
      g_autofree char *release = g_strdup_printf ("RELEASE rota_%u", self->transaction_depth);

      ret = _rota_store_exec (self->db, release, error);
    }

  g_rec_mutex_unlock (&self->lock);

  return ret;
}

void
rota_store_rollback (RotaStore *self)
{
  g_return_if_fail (ROTA_IS_STORE (self));
  g_return_if_fail (self->transaction_depth > 0);
  g_return_if_fail (self->transaction_owner == g_thread_self ());

  if (--self->transaction_depth == 0)
    {
      _rota_store_exec (self->db, "ROLLBACK", NULL);
    }
  else
    {
      g_autofree char *undo = g_strdup_printf ("ROLLBACK TO rota_%u; RELEASE rota_%u",
                                               self->transaction_depth, self->transaction_depth);

      _rota_store_exec (self->db, undo, NULL);
    }

  g_rec_mutex_unlock (&self->lock);
}

/* Server state */

static gboolean
put_entity_locked (RotaStore   *self,
                   RotaEntity  *entity,
                   GError     **error)
{
  const TypeSql *sql = type_sql_lookup (G_OBJECT_TYPE (entity));
  sqlite3_stmt *stmt;

  if (sql == NULL || g_str_equal (sql->table, "audit"))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   "A %s cannot be stored as server state", G_OBJECT_TYPE_NAME (entity));
      return FALSE;
    }

  if (!rota_entity_validate (entity, NULL, error))
    return FALSE;

  stmt = prepare (self, sql->upsert, error);
  if (stmt == NULL)
    return FALSE;

  bind_entity (stmt, entity, 1);

  return step_done (self, stmt, "Storing an entity", error);
}

/**
 * rota_store_put_entity:
 * @self: a store
 * @entity: an entity as the server has it
 * @error: a location for a #GError
 *
 * Stores server state: inserts @entity, or replaces the stored one if
 * @entity's version is not older. Punches and corrections are only ever
 * added. Pending local edits of the entity stay laid over it.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_put_entity (RotaStore   *self,
                       RotaEntity  *entity,
                       GError     **error)
{
  gboolean ret;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROTA_IS_ENTITY (entity), FALSE);

  /* Inside this thread's own transaction, a failed upsert is undone by
   * SQLite itself (one statement), so no savepoint is needed: bulk loads
   * put a million rows this way. */
  g_rec_mutex_lock (&self->lock);
  if (self->transaction_depth > 0 && self->transaction_owner == g_thread_self ())
    {
      ret = put_entity_locked (self, entity, error);
      g_rec_mutex_unlock (&self->lock);
      return ret;
    }
  g_rec_mutex_unlock (&self->lock);

  if (!rota_store_begin (self, error))
    return FALSE;

  ret = put_entity_locked (self, entity, error);

  if (ret)
    return rota_store_commit (self, error);

  rota_store_rollback (self);
  return FALSE;
}

/**
 * rota_store_put_entities:
 * @self: a store
 * @entities: (element-type RotaEntity): entities as the server has them
 * @error: a location for a #GError
 *
 * rota_store_put_entity() for each, all in one transaction: either all
 * are stored or none.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_put_entities (RotaStore  *self,
                         GPtrArray  *entities,
                         GError    **error)
{
  return rota_store_apply_changes (self, entities, NULL, 0, error);
}

/* A deletion from the change feed: a shift becomes a tombstone, an
 * absence or availability leaves server state. Only when the deletion is
 * not older than what is stored, so a replayed page changes nothing.
 * Kinds the server never deletes (facts, people, places) are left alone:
 * history refers to them. */
static gboolean
delete_entity_locked (RotaStore   *self,
                      RotaEntity  *deletion,
                      GError     **error)
{
  const TypeSql *sql = type_sql_lookup (G_OBJECT_TYPE (deletion));
  g_autofree char *statement = NULL;
  sqlite3_stmt *stmt;

  if (sql == NULL || !sql->has_pending)
    {
      g_debug ("Ignoring the deletion of %s %s: such records are never deleted here",
               G_OBJECT_TYPE_NAME (deletion), rota_entity_get_id (deletion));
      return TRUE;
    }

  if (sql->has_deleted_field)
    statement = g_strdup_printf ("UPDATE \"%s\" SET deleted = 1, version = ?1 WHERE id = ?2 AND version <= ?1",
                                 sql->table);
  else
    statement = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?2 AND version <= ?1", sql->table);

  stmt = prepare (self, statement, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rota_entity_get_version (deletion));
  sqlite3_bind_text (stmt, 2, rota_entity_get_id (deletion), -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, "Deleting", error);
}

/**
 * rota_store_apply_changes:
 * @self: a store
 * @entities: (element-type RotaEntity): changed entities
 * @cursor_name: (nullable): the sync cursor to move, or %NULL
 * @cursor: the cursor's new value
 * @error: a location for a #GError
 *
 * rota_store_apply_feed() without deletions.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_apply_changes (RotaStore   *self,
                          GPtrArray   *entities,
                          const char  *cursor_name,
                          gint64       cursor,
                          GError     **error)
{
  return rota_store_apply_feed (self, entities, NULL, cursor_name, cursor, error);
}

/**
 * rota_store_apply_feed:
 * @self: a store
 * @entities: (element-type RotaEntity): changed entities
 * @deletions: (element-type RotaEntity) (nullable): deleted entities, each
 *   an object of its type with only its id and its version after the deletion set
 * @cursor_name: (nullable): the sync cursor to move, or %NULL
 * @cursor: the cursor's new value
 * @error: a location for a #GError
 *
 * Applies one page of a change feed and moves its cursor in the same
 * transaction, so that a crash leaves either both or neither. A change
 * older than what is stored changes nothing, so the same page applied
 * twice leaves the store as once. Pending local edits stay laid over
 * server state.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_apply_feed (RotaStore   *self,
                       GPtrArray   *entities,
                       GPtrArray   *deletions,
                       const char  *cursor_name,
                       gint64       cursor,
                       GError     **error)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (entities != NULL, FALSE);

  if (!rota_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < entities->len; i++)
    {
      if (!put_entity_locked (self, g_ptr_array_index (entities, i), error))
        {
          rota_store_rollback (self);
          return FALSE;
        }
    }

  for (guint i = 0; deletions != NULL && i < deletions->len; i++)
    {
      if (!delete_entity_locked (self, g_ptr_array_index (deletions, i), error))
        {
          rota_store_rollback (self);
          return FALSE;
        }
    }

  if (cursor_name != NULL)
    {
      sqlite3_stmt *stmt = prepare (self, "INSERT INTO sync_cursor (name, value) VALUES (?, ?) "
                                          "ON CONFLICT (name) DO UPDATE SET value = excluded.value", error);

      if (stmt == NULL)
        {
          rota_store_rollback (self);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, cursor_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, cursor);
      if (!step_done (self, stmt, "Moving the sync cursor", error))
        {
          rota_store_rollback (self);
          return FALSE;
        }
    }

  return rota_store_commit (self, error);
}

/**
 * rota_store_get_cursor:
 * @self: a store
 * @cursor_name: the cursor, such as "changes"
 *
 * Returns: the cursor's value, 0 if it was never set
 */
gint64
rota_store_get_cursor (RotaStore  *self,
                       const char *cursor_name)
{
  sqlite3_stmt *stmt;
  gint64 value = 0;

  g_return_val_if_fail (ROTA_IS_STORE (self), 0);
  g_return_val_if_fail (cursor_name != NULL, 0);

  g_rec_mutex_lock (&self->lock);
  if (self->db != NULL &&
      (stmt = prepare (self, "SELECT value FROM sync_cursor WHERE name = ?", NULL)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, cursor_name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  g_rec_mutex_unlock (&self->lock);

  return value;
}

/* Audit */

static gboolean
append_audit_locked (RotaStore   *self,
                     const char  *actor,
                     const char  *entity,
                     const char  *entity_id,
                     const char  *action,
                     const char  *before_json,
                     const char  *after_json,
                     const char  *reason,
                     GError     **error)
{
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  gint64 at = rota_time_now ();

  stmt = prepare (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0);
      prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (prev_hash == NULL)
    prev_hash = g_strdup (ROTA_AUDIT_GENESIS_HASH);
  seq++;

  hash = rota_audit_compute_hash (prev_hash, seq, at, actor, entity, entity_id, action,
                                  before_json, after_json, reason);

  stmt = prepare (self, "INSERT INTO audit (seq, at, actor, entity, entity_id, action, "
                        "before_json, after_json, reason, prev_hash, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, entity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, before_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, after_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, prev_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, hash, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, "Appending to the audit trail", error);
}

/*
 * For rota-server, whose tenant databases are stores too: appends to the
 * audit chain inside the caller's transaction (rota_store_begin()).
 */
gboolean
_rota_store_append_audit (RotaStore   *self,
                          const char  *actor,
                          const char  *entity,
                          const char  *entity_id,
                          const char  *action,
                          const char  *before_json,
                          const char  *after_json,
                          const char  *reason,
                          GError     **error)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->transaction_depth > 0, FALSE);
  g_return_val_if_fail (self->transaction_owner == g_thread_self (), FALSE);

  return append_audit_locked (self, actor, entity, entity_id, action, before_json, after_json, reason, error);
}

/* Local edits */

static RotaEntity *
get_entity_locked (RotaStore      *self,
                   const TypeSql  *sql,
                   const char     *id,
                   gboolean        with_pending,
                   gboolean       *pending_deleted,
                   GError        **error)
{
  g_autofree char *query = NULL;
  sqlite3_stmt *stmt;
  RotaEntity *entity = NULL;
  int rc;

  if (pending_deleted != NULL)
    *pending_deleted = FALSE;

  if (with_pending && sql->has_pending)
    {
      query = g_strdup_printf ("SELECT %s, deleted FROM \"%s_pending\" WHERE id = ?",
                               sql->columns, sql->table);
      stmt = prepare (self, query, error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          gboolean deleted = sqlite3_column_int (stmt, sql->klass->n_fields) != 0;

          entity = read_entity (stmt, sql);
          sqlite3_reset (stmt);
          if (pending_deleted != NULL)
            *pending_deleted = deleted;
          return entity;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _rota_store_set_error (error, self->db, rc, "Reading the store");
          return NULL;
        }
      g_clear_pointer (&query, g_free);
    }

  query = g_strdup_printf ("%s WHERE \"%s\" = ?", sql->select,
                           sql->klass->fields[MAX (sql->klass->id_field, 0)].name);
  stmt = prepare (self, query, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entity = read_entity (stmt, sql);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rota_store_set_error (error, self->db, rc, "Reading the store");
      return NULL;
    }

  return entity;
}

static char *
encode_or_null (RotaEntity *entity)
{
  return entity != NULL ? rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT) : NULL;
}

static gboolean
write_pending_locked (RotaStore      *self,
                      const TypeSql  *sql,
                      RotaEntity     *entity,
                      gboolean        deleted,
                      gint64          outbox_seq,
                      GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, sql->pending_upsert, error);
  int next;

  if (stmt == NULL)
    return FALSE;

  bind_entity (stmt, entity, 1);
  next = sql->klass->n_fields + 1;

  if (sql->has_deleted_field)
    {
      const RotaField *field = rota_entity_class_find_field (sql->klass, "deleted");

      /* The pending copy of a deleted shift is its tombstone. */
      sqlite3_bind_int (stmt, 1 + (field - sql->klass->fields),
                        deleted || *ROTA_FIELD_PTR (entity, field, gboolean));
    }
  else
    {
      sqlite3_bind_int (stmt, next++, deleted ? 1 : 0);
    }
  sqlite3_bind_int64 (stmt, next, outbox_seq);

  return step_done (self, stmt, "Storing a pending edit", error);
}

static RotaOutboxItem *
read_outbox_item (sqlite3_stmt *stmt)
{
  RotaOutboxItem *item = g_new0 (RotaOutboxItem, 1);
  g_autoptr(GEnumClass) op_class = g_type_class_ref (ROTA_TYPE_OUTBOX_OP);
  g_autoptr(GEnumClass) state_class = g_type_class_ref (ROTA_TYPE_OUTBOX_STATE);
  GEnumValue *value;

  item->seq = sqlite3_column_int64 (stmt, 0);
  item->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  item->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  item->entity_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  value = g_enum_get_value_by_nick (op_class, (const char *) sqlite3_column_text (stmt, 4));
  item->op = value ? value->value : ROTA_OUTBOX_OP_NONE;
  item->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  item->base_version = sqlite3_column_int64 (stmt, 6);
  value = g_enum_get_value_by_nick (state_class, (const char *) sqlite3_column_text (stmt, 7));
  item->state = value ? value->value : ROTA_OUTBOX_STATE_NONE;
  item->message = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  item->server_payload = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  item->attempts = sqlite3_column_int64 (stmt, 10);
  item->created_at = sqlite3_column_int64 (stmt, 11);
  item->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 12));

  return item;
}

#define OUTBOX_COLUMNS "seq, idempotency_key, kind, entity_id, op, payload, base_version, " \
                       "state, message, server_payload, attempts, created_at, actor"

static RotaOutboxItem *
get_outbox_item_locked (RotaStore  *self,
                        gint64      seq,
                        GError    **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE seq = ?", error);
  RotaOutboxItem *item = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    item = read_outbox_item (stmt);
  sqlite3_reset (stmt);

  if (item == NULL)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                     "There is no outbox item %" PRId64, seq);
      else
        _rota_store_set_error (error, self->db, rc, "Reading the outbox");
    }

  return item;
}

static const char *
enum_nick (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);
  const char *nick = enum_value ? enum_value->value_nick : NULL;

  g_type_class_unref (klass);

  return nick;
}

static RotaOutboxItem *
record_edit_locked (RotaStore     *self,
                    RotaOutboxOp   op,
                    RotaEntity    *entity,
                    const char    *actor,
                    const char    *reason,
                    GError       **error)
{
  const TypeSql *sql = type_sql_lookup (G_OBJECT_TYPE (entity));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RotaEntity) before = NULL;
  g_autoptr(RotaEntity) server = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *key = NULL;
  const char *id = rota_entity_get_id (entity);
  const char *action;
  sqlite3_stmt *stmt;
  gboolean pending_deleted = FALSE;
  gint64 seq;

  if (sql == NULL || id == NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   "A %s cannot be edited locally", G_OBJECT_TYPE_NAME (entity));
      return NULL;
    }

  if (sql->has_pending ? (op != ROTA_OUTBOX_OP_PUT && op != ROTA_OUTBOX_OP_DELETE)
                       : (op != ROTA_OUTBOX_OP_POST || !(sql->append_only || g_str_equal (sql->table, "approval"))))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   "A %s cannot be changed with “%s”", sql->table,
                   enum_nick (ROTA_TYPE_OUTBOX_OP, op));
      return NULL;
    }

  if (!rota_entity_validate (entity, NULL, error))
    return NULL;

  before = get_entity_locked (self, sql, id, TRUE, &pending_deleted, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (pending_deleted)
    g_clear_object (&before);

  if (op == ROTA_OUTBOX_OP_POST && before != NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_EXISTS,
                   "The %s %s is already recorded", sql->table, id);
      return NULL;
    }
  if (op == ROTA_OUTBOX_OP_DELETE && before == NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                   "There is no %s %s to delete", sql->table, id);
      return NULL;
    }

  /* The edit is made on the server's version, which If-Match will name. */
  if (sql->has_pending)
    {
      server = get_entity_locked (self, sql, id, FALSE, NULL, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  before_json = encode_or_null (before);
  payload = rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT);
  key = g_uuid_string_random ();

  stmt = prepare (self, "INSERT INTO outbox (idempotency_key, kind, entity_id, op, payload, "
                        "base_version, state, created_at, actor) "
                        "VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sql->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, enum_nick (ROTA_TYPE_OUTBOX_OP, op), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, payload, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, server != NULL ? rota_entity_get_version (server) : 0);
  sqlite3_bind_int64 (stmt, 7, rota_time_now ());
  sqlite3_bind_text (stmt, 8, actor, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, "Adding to the outbox", error))
    return NULL;
  seq = sqlite3_last_insert_rowid (self->db);

  if (sql->has_pending)
    {
      if (!write_pending_locked (self, sql, entity, op == ROTA_OUTBOX_OP_DELETE, seq, error))
        return NULL;
    }
  else
    {
      /* Punches, corrections and approvals are new facts: they go into
       * their table at once, and the outbox carries them to the server. */
      stmt = prepare (self, sql->insert, error);
      if (stmt == NULL)
        return NULL;
      bind_entity (stmt, entity, 1);
      if (!step_done (self, stmt, "Recording", error))
        return NULL;
    }

  if (op == ROTA_OUTBOX_OP_DELETE)
    action = "delete";
  else if (before == NULL)
    action = "create";
  else
    action = "update";

  if (!append_audit_locked (self, actor, sql->table, id, action, before_json,
                            op == ROTA_OUTBOX_OP_DELETE ? NULL : payload, reason, error))
    return NULL;

  return get_outbox_item_locked (self, seq, error);
}

/**
 * rota_store_record_edit:
 * @self: a store
 * @op: %ROTA_OUTBOX_OP_PUT or %ROTA_OUTBOX_OP_DELETE for shifts, absences
 *   and availability; %ROTA_OUTBOX_OP_POST for punches, corrections and approvals
 * @entity: the entity as edited
 * @actor: who made the edit
 * @reason: (nullable): why, for the audit trail
 * @error: a location for a #GError
 *
 * Records a local edit: the entity (as a pending copy, or as a new fact),
 * its outbox item and its audit row, in one transaction. When this
 * returns, the edit is on disk and shows in every read.
 *
 * Returns: (transfer full) (nullable): the outbox item, or %NULL on error
 */
RotaOutboxItem *
rota_store_record_edit (RotaStore     *self,
                        RotaOutboxOp   op,
                        RotaEntity    *entity,
                        const char    *actor,
                        const char    *reason,
                        GError       **error)
{
  RotaOutboxItem *item;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);
  g_return_val_if_fail (ROTA_IS_ENTITY (entity), NULL);
  g_return_val_if_fail (actor != NULL && *actor != '\0', NULL);

  if (!rota_store_begin (self, error))
    return NULL;

  item = record_edit_locked (self, op, entity, actor, reason, error);
  if (item == NULL)
    {
      rota_store_rollback (self);
      return NULL;
    }

  if (!rota_store_commit (self, error))
    {
      rota_outbox_item_free (item);
      return NULL;
    }

  return item;
}

typedef struct
{
  RotaOutboxOp  op;
  RotaEntity   *entity;
  char         *actor;
  char         *reason;
} RecordEditData;

static void
record_edit_data_free (RecordEditData *data)
{
  g_clear_object (&data->entity);
  g_free (data->actor);
  g_free (data->reason);
  g_free (data);
}

static gpointer
record_edit_call (RotaStore  *self,
                  gpointer    args,
                  GError    **error)
{
  RecordEditData *edit = args;

  return rota_store_record_edit (self, edit->op, edit->entity, edit->actor, edit->reason, error);
}

void
rota_store_record_edit_async (RotaStore           *self,
                              RotaOutboxOp         op,
                              RotaEntity          *entity,
                              const char          *actor,
                              const char          *reason,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RecordEditData *data;

  g_return_if_fail (ROTA_IS_STORE (self));
  g_return_if_fail (ROTA_IS_ENTITY (entity));
  g_return_if_fail (actor != NULL);

  data = g_new0 (RecordEditData, 1);
  data->op = op;
  data->entity = rota_entity_copy (entity);
  data->actor = g_strdup (actor);
  data->reason = g_strdup (reason);

  store_call_async (self, TRUE, record_edit_call, data, (GDestroyNotify) record_edit_data_free,
                    (GDestroyNotify) rota_outbox_item_free, rota_store_record_edit_async,
                    cancellable, callback, user_data);
}

/**
 * rota_store_record_edit_finish:
 *
 * Returns: (transfer full) (nullable): the outbox item, or %NULL on error
 */
RotaOutboxItem *
rota_store_record_edit_finish (RotaStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return store_call_finish (self, result, rota_store_record_edit_async, error);
}

/* The outbox */

/**
 * rota_store_list_outbox:
 * @self: a store
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type RotaOutboxItem): every item, in
 *   the order they are pushed
 */
GPtrArray *
rota_store_list_outbox (RotaStore  *self,
                        GError    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_outbox_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->lock);

  if (!check_open (self, error) ||
      (stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox ORDER BY seq", error)) == NULL)
    {
      g_rec_mutex_unlock (&self->lock);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, read_outbox_item (stmt));
  sqlite3_reset (stmt);

  /* The message is read before another thread can use the connection. */
  if (rc != SQLITE_DONE)
    _rota_store_set_error (error, self->db, rc, "Reading the outbox");

  g_rec_mutex_unlock (&self->lock);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&items);
}

/* After the last pending edit of an entity is gone, server state shows
 * again; otherwise the newest remaining edit is what the user sees. */
static gboolean
refresh_pending_locked (RotaStore      *self,
                        const TypeSql  *sql,
                        const char     *entity_id,
                        GError        **error)
{
  g_autofree char *delete_sql = NULL;
  sqlite3_stmt *stmt;
  g_autofree char *payload = NULL;
  gint64 seq = 0;
  gboolean deleted = FALSE;

  stmt = prepare (self, "SELECT seq, payload, op FROM outbox WHERE kind = ? AND entity_id = ? "
                        "ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sql->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0);
      payload = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      deleted = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "delete") == 0;
    }
  sqlite3_reset (stmt);

  if (payload == NULL)
    {
      delete_sql = g_strdup_printf ("DELETE FROM \"%s_pending\" WHERE id = ?", sql->table);
      stmt = prepare (self, delete_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, entity_id, -1, SQLITE_TRANSIENT);
      return step_done (self, stmt, "Removing a pending edit", error);
    }
  else
    {
      g_autoptr(RotaEntity) entity = rota_codec_decode_string (sql->type, payload, strlen (payload), error);

      if (entity == NULL)
        return FALSE;

      return write_pending_locked (self, sql, entity, deleted, seq, error);
    }
}

/* Loads an outbox item and removes it from the outbox, in the caller's
 * transaction. */
static RotaOutboxItem *
take_outbox_item_locked (RotaStore       *self,
                         gint64           seq,
                         const TypeSql  **sql,
                         GError         **error)
{
  g_autoptr(RotaOutboxItem) item = NULL;
  sqlite3_stmt *stmt;

  item = get_outbox_item_locked (self, seq, error);
  if (item == NULL)
    return NULL;

  *sql = type_sql_lookup (rota_entity_type_from_kind (item->kind));
  g_assert (*sql != NULL);

  stmt = prepare (self, "DELETE FROM outbox WHERE seq = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (!step_done (self, stmt, "Removing from the outbox", error))
    return NULL;

  return g_steal_pointer (&item);
}

/**
 * rota_store_outbox_complete:
 * @self: a store
 * @seq: the outbox item the server acknowledged
 * @server_entity: (nullable): the entity as the server now has it;
 *   required for a put, optional for a delete or a post
 * @error: a location for a #GError
 *
 * Removes an acknowledged item and stores the server's answer in one
 * transaction. A delete confirmed without a body removes the entity
 * from server state (a shift becomes a tombstone). Later pending edits of the same entity are moved onto the
 * server's new version, so that they do not conflict with their own
 * predecessor.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_outbox_complete (RotaStore   *self,
                            gint64       seq,
                            RotaEntity  *server_entity,
                            GError     **error)
{
  g_autoptr(RotaOutboxItem) item = NULL;
  const TypeSql *sql;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (server_entity == NULL || ROTA_IS_ENTITY (server_entity), FALSE);

  if (!rota_store_begin (self, error))
    return FALSE;

  item = take_outbox_item_locked (self, seq, &sql, error);
  if (item == NULL)
    goto failed;

  if (server_entity == NULL && item->op == ROTA_OUTBOX_OP_PUT)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   "The server's copy of %s %s is needed to complete its edit",
                   item->kind, item->entity_id);
      goto failed;
    }

  /* A delete the server confirmed with no body (204): server state
   * loses the entity now, not only when the change feed says so. */
  if (server_entity == NULL && item->op == ROTA_OUTBOX_OP_DELETE)
    {
      g_autofree char *delete_sql = NULL;
      sqlite3_stmt *stmt;

      if (sql->has_deleted_field)
        delete_sql = g_strdup_printf ("UPDATE \"%s\" SET deleted = 1 WHERE id = ?", sql->table);
      else
        delete_sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?", sql->table);

      stmt = prepare (self, delete_sql, error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, item->entity_id, -1, SQLITE_TRANSIENT);
      if (!step_done (self, stmt, "Deleting", error))
        goto failed;
    }

  if (server_entity != NULL)
    {
      sqlite3_stmt *stmt;

      if (!put_entity_locked (self, server_entity, error))
        goto failed;

      stmt = prepare (self, "UPDATE outbox SET base_version = ? WHERE kind = ? AND entity_id = ?", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, rota_entity_get_version (server_entity));
      sqlite3_bind_text (stmt, 2, item->kind, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, item->entity_id, -1, SQLITE_TRANSIENT);
      if (!step_done (self, stmt, "Updating the outbox", error))
        goto failed;
    }

  if (sql->has_pending && !refresh_pending_locked (self, sql, item->entity_id, error))
    goto failed;

  return rota_store_commit (self, error);

failed:
  rota_store_rollback (self);
  return FALSE;
}

/**
 * rota_store_outbox_set_state:
 * @self: a store
 * @seq: an outbox item
 * @state: its new state
 * @message: (nullable): the server's message
 * @server_payload: (nullable): the server's version of the entity, for a conflict
 * @error: a location for a #GError
 *
 * Records the outcome of an attempt to send an item, and counts the attempt.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_outbox_set_state (RotaStore        *self,
                             gint64            seq,
                             RotaOutboxState   state,
                             const char       *message,
                             const char       *server_payload,
                             GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != ROTA_OUTBOX_STATE_NONE, FALSE);

  if (!rota_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "UPDATE outbox SET state = ?, message = ?, server_payload = ?, "
                        "attempts = attempts + 1 WHERE seq = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, enum_nick (ROTA_TYPE_OUTBOX_STATE, state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, server_payload, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, seq);
  if (!step_done (self, stmt, "Updating the outbox", error))
    goto failed;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                   "There is no outbox item %" PRId64, seq);
      goto failed;
    }

  return rota_store_commit (self, error);

failed:
  rota_store_rollback (self);
  return FALSE;
}

/* Removes a local edit in the caller's transaction: the record shows
 * server state again (or its newest remaining edit), and the audit trail
 * keeps @action with both versions. */
static gboolean
drop_outbox_item_locked (RotaStore   *self,
                         gint64       seq,
                         const char  *action,
                         const char  *actor,
                         const char  *reason,
                         GError     **error)
{
  g_autoptr(RotaOutboxItem) item = NULL;
  const TypeSql *sql;

  item = take_outbox_item_locked (self, seq, &sql, error);
  if (item == NULL)
    return FALSE;

  if (sql->has_pending && !refresh_pending_locked (self, sql, item->entity_id, error))
    return FALSE;

  return append_audit_locked (self, actor, item->kind, item->entity_id, action,
                              item->payload, item->server_payload, reason, error);
}

/**
 * rota_store_outbox_discard:
 * @self: a store
 * @seq: an outbox item
 * @actor: who discards it
 * @reason: (nullable): why
 * @error: a location for a #GError
 *
 * Drops a local edit ("take theirs") and audits that. The entity shows
 * server state again, or the newest remaining edit of it. A discarded
 * punch, correction or approval stays recorded locally, as facts do.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_outbox_discard (RotaStore   *self,
                           gint64       seq,
                           const char  *actor,
                           const char  *reason,
                           GError     **error)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!rota_store_begin (self, error))
    return FALSE;

  if (!drop_outbox_item_locked (self, seq, "discard", actor, reason, error))
    {
      rota_store_rollback (self);
      return FALSE;
    }

  return rota_store_commit (self, error);
}

/**
 * rota_store_outbox_resolve:
 * @self: a store
 * @seq: an outbox item in conflict
 * @resolution: keep mine or take theirs
 * @actor: who decided
 * @reason: (nullable): why
 * @error: a location for a #GError
 *
 * Settles a conflict, and audits the choice with both versions. Either
 * way the server's version becomes server state. %ROTA_RESOLUTION_KEEP_MINE
 * makes the local edit pending again, now on the server's version, so
 * the next sync sends it (and it may conflict again if someone else was
 * quicker); %ROTA_RESOLUTION_TAKE_THEIRS drops the local edit. Keeping
 * mine needs the server's version: when the server deleted the record,
 * only taking theirs is possible.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_outbox_resolve (RotaStore       *self,
                           gint64           seq,
                           RotaResolution   resolution,
                           const char      *actor,
                           const char      *reason,
                           GError         **error)
{
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(RotaEntity) theirs = NULL;
  const TypeSql *sql;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (resolution == ROTA_RESOLUTION_KEEP_MINE || resolution == ROTA_RESOLUTION_TAKE_THEIRS, FALSE);
  g_return_val_if_fail (actor != NULL && *actor != '\0', FALSE);

  if (!rota_store_begin (self, error))
    return FALSE;

  item = get_outbox_item_locked (self, seq, error);
  if (item == NULL)
    goto failed;

  if (item->state != ROTA_OUTBOX_STATE_CONFLICT)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   "Outbox item %" G_GINT64_FORMAT " is not in conflict", seq);
      goto failed;
    }

  sql = type_sql_lookup (rota_entity_type_from_kind (item->kind));
  g_assert (sql != NULL);

  if (item->server_payload != NULL)
    {
      theirs = rota_codec_decode_string (sql->type, item->server_payload, strlen (item->server_payload), error);
      if (theirs == NULL || !put_entity_locked (self, theirs, error))
        goto failed;
    }

  if (resolution == ROTA_RESOLUTION_TAKE_THEIRS)
    {
      if (!drop_outbox_item_locked (self, seq, "take-theirs", actor, reason, error))
        goto failed;

      return rota_store_commit (self, error);
    }

  if (theirs == NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   "The server no longer has %s %s, so there is nothing to keep your edit on; "
                   "take the server's side, then make the edit anew",
                   item->kind, item->entity_id);
      goto failed;
    }

  /* Mine again, on their version: this item and every later one of the
   * same record. */
  stmt = prepare (self, "UPDATE outbox SET state = 'pending', message = NULL, server_payload = NULL "
                        "WHERE seq = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (!step_done (self, stmt, "Updating the outbox", error))
    goto failed;

  stmt = prepare (self, "UPDATE outbox SET base_version = ? WHERE kind = ? AND entity_id = ? AND seq >= ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, rota_entity_get_version (theirs));
  sqlite3_bind_text (stmt, 2, item->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, item->entity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, seq);
  if (!step_done (self, stmt, "Updating the outbox", error))
    goto failed;

  if (!append_audit_locked (self, actor, item->kind, item->entity_id, "keep-mine",
                            item->server_payload, item->payload, reason, error))
    goto failed;

  return rota_store_commit (self, error);

failed:
  rota_store_rollback (self);
  return FALSE;
}

/**
 * rota_store_count_outbox_kind:
 * @self: a store
 * @kind: an entity kind, such as "punch"
 * @error: a location for a #GError
 *
 * Returns: how many outbox items of @kind there are, in any state (not
 *   yet on the server); -1 on error
 */
gint64
rota_store_count_outbox_kind (RotaStore   *self,
                              const char  *kind,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (ROTA_IS_STORE (self), -1);
  g_return_val_if_fail (kind != NULL, -1);

  g_rec_mutex_lock (&self->lock);
  if (check_open (self, error) &&
      (stmt = prepare (self, "SELECT count(*) FROM outbox WHERE kind = ?", error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      else
        _rota_store_set_error (error, self->db, rc, "Reading the outbox");
      sqlite3_reset (stmt);
    }
  g_rec_mutex_unlock (&self->lock);

  return count;
}

/* Local state */

/**
 * rota_store_get_local:
 * @self: a store
 * @key: the fact's key, such as "kiosk.device-seq"
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the value of @key, or %NULL when
 *   it has none (without an error) or it cannot be read
 */
char *
rota_store_get_local (RotaStore   *self,
                      const char  *key,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  g_rec_mutex_lock (&self->lock);
  if (check_open (self, error) &&
      (stmt = prepare (self, "SELECT value FROM local_state WHERE key = ?", error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else if (rc != SQLITE_DONE)
        _rota_store_set_error (error, self->db, rc, "Reading the local state");
      sqlite3_reset (stmt);
    }
  g_rec_mutex_unlock (&self->lock);

  return value;
}

/**
 * rota_store_set_local:
 * @self: a store
 * @key: the fact's key
 * @value: (nullable): its new value; %NULL removes it
 * @error: a location for a #GError
 *
 * Writes a fact of this device, in its own transaction or, when the
 * calling thread holds one, in that.
 *
 * Returns: %TRUE when written
 */
gboolean
rota_store_set_local (RotaStore   *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!rota_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, value != NULL ? "INSERT INTO local_state (key, value) VALUES (?, ?) "
                                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                                      : "DELETE FROM local_state WHERE key = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (value != NULL)
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
    }
  if (stmt == NULL || !step_done (self, stmt, "Writing the local state", error))
    {
      rota_store_rollback (self);
      return FALSE;
    }

  return rota_store_commit (self, error);
}

/**
 * rota_store_record_event:
 * @self: a store
 * @actor: who or what did it, such as "kiosk:front-desk"
 * @entity: what it concerns, such as "employee" or "device"
 * @entity_id: which one
 * @action: what happened, such as "pin_unlock" or "clock_jump"
 * @details_json: (nullable): a JSON object with the details
 * @reason: (nullable): the same in words
 * @error: a location for a #GError
 *
 * Appends an audit row to the hash chain for something done on this
 * device that is no edit of an entity, in its own transaction or the
 * calling thread's.
 *
 * Returns: %TRUE when written
 */
gboolean
rota_store_record_event (RotaStore   *self,
                         const char  *actor,
                         const char  *entity,
                         const char  *entity_id,
                         const char  *action,
                         const char  *details_json,
                         const char  *reason,
                         GError     **error)
{
  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL && *actor != '\0', FALSE);
  g_return_val_if_fail (entity != NULL && entity_id != NULL && action != NULL, FALSE);

  if (!rota_store_begin (self, error))
    return FALSE;

  if (!append_audit_locked (self, actor, entity, entity_id, action, NULL, details_json, reason, error))
    {
      rota_store_rollback (self);
      return FALSE;
    }

  return rota_store_commit (self, error);
}

/**
 * rota_store_count_outbox:
 * @self: a store
 * @pending: (out) (optional): items waiting to be sent
 * @conflicts: (out) (optional): items in conflict with the server
 * @parked: (out) (optional): items the server refused
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_count_outbox (RotaStore  *self,
                         gint64     *pending,
                         gint64     *conflicts,
                         gint64     *parked,
                         GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 counts[3] = { 0, 0, 0 };
  int rc;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);
  if (!check_open (self, error) ||
      (stmt = prepare (self, "SELECT state, count(*) FROM outbox GROUP BY state", error)) == NULL)
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *state = (const char *) sqlite3_column_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);

      if (g_strcmp0 (state, "pending") == 0)
        counts[0] = n;
      else if (g_strcmp0 (state, "conflict") == 0)
        counts[1] = n;
      else if (g_strcmp0 (state, "parked") == 0)
        counts[2] = n;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    _rota_store_set_error (error, self->db, rc, "Reading the outbox");

  g_rec_mutex_unlock (&self->lock);

  if (rc != SQLITE_DONE)
    return FALSE;

  if (pending)
    *pending = counts[0];
  if (conflicts)
    *conflicts = counts[1];
  if (parked)
    *parked = counts[2];

  return TRUE;
}

/* Reads */

/**
 * rota_store_get_entity:
 * @self: a store
 * @type: the entity type
 * @id: its id
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the entity with any pending edit
 *   laid over it; %NULL with %ROTA_STORE_ERROR_NOT_FOUND if there is none
 *   or it is deleted
 */
RotaEntity *
rota_store_get_entity (RotaStore   *self,
                       GType        type,
                       const char  *id,
                       GError     **error)
{
  const TypeSql *sql;
  RotaEntity *entity;
  gboolean deleted = FALSE;
  GError *local_error = NULL;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  sql = type_sql_lookup (type);
  g_return_val_if_fail (sql != NULL, NULL);

  g_rec_mutex_lock (&self->lock);
  entity = check_open (self, &local_error)
           ? get_entity_locked (self, sql, id, TRUE, &deleted, &local_error)
           : NULL;
  g_rec_mutex_unlock (&self->lock);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (entity != NULL && (deleted || (sql->has_deleted_field &&
                                     *ROTA_FIELD_PTR (entity, rota_entity_class_find_field (sql->klass, "deleted"), gboolean))))
    g_clear_object (&entity);

  if (entity == NULL)
    g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                 "There is no %s %s", sql->table, id);

  return entity;
}

/* Runs a query of server state and one of pending copies with the same
 * WHERE clause, the first excluding entities that have a pending copy. */
static GPtrArray *
list_overlaid (RotaStore      *self,
               const TypeSql  *sql,
               const char     *where,
               const char     *order,
               void          (*bind) (sqlite3_stmt *stmt, gpointer data),
               gpointer        bind_data,
               GError        **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *query = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (sql->has_pending)
    query = g_strdup_printf ("SELECT %s FROM \"%s\" AS t WHERE %s%s "
                             "AND NOT EXISTS (SELECT 1 FROM \"%s_pending\" AS p WHERE p.id = t.id) "
                             "UNION ALL "
                             "SELECT %s FROM \"%s_pending\" AS t WHERE %s AND t.deleted = 0 "
                             "ORDER BY %s",
                             sql->columns, sql->table, where,
                             sql->has_deleted_field ? " AND t.deleted = 0" : "",
                             sql->table,
                             sql->columns, sql->table, where, order);
  else
    query = g_strdup_printf ("SELECT %s FROM \"%s\" AS t WHERE %s ORDER BY %s",
                             sql->columns, sql->table, where, order);

  g_rec_mutex_lock (&self->lock);

  if (!check_open (self, error) || (stmt = prepare (self, query, error)) == NULL)
    {
      g_rec_mutex_unlock (&self->lock);
      return NULL;
    }

  if (bind != NULL)
    bind (stmt, bind_data);

  ok = collect_entities (self, stmt, sql, result, error);
  g_rec_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&result) : NULL;
}

/**
 * rota_store_list_entities:
 * @self: a store
 * @type: an entity type
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type RotaEntity): every entity of
 *   @type, with pending edits laid over them
 */
GPtrArray *
rota_store_list_entities (RotaStore  *self,
                          GType       type,
                          GError    **error)
{
  const TypeSql *sql;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  sql = type_sql_lookup (type);
  g_return_val_if_fail (sql != NULL, NULL);

  return list_overlaid (self, sql, "1", "1", NULL, NULL, error);
}

typedef enum
{
  QUERY_SHIFTS,
  QUERY_PUNCHES,
  QUERY_ENTITIES,
  QUERY_OUTBOX,
} QueryKind;

/* What a list query needs, owned, so that it can run on a worker. */
typedef struct
{
  gint64              from;
  gint64              to;
  char               *departments;
  char               *employee_id;
  QueryKind           kind;
  GType               type;
} RangeQuery;

static void
range_query_free (RangeQuery *query)
{
  g_free (query->departments);
  g_free (query->employee_id);
  g_free (query);
}

static void
bind_range (sqlite3_stmt *stmt,
            gpointer      data)
{
  RangeQuery *query = data;

  sqlite3_bind_int64 (stmt, 1, query->from);
  sqlite3_bind_int64 (stmt, 2, query->to);
  sqlite3_bind_int64 (stmt, 3, query->from - SHIFT_MAX_SECONDS);
  if (query->departments != NULL)
    sqlite3_bind_text (stmt, 4, query->departments, -1, SQLITE_TRANSIENT);
  if (query->employee_id != NULL)
    sqlite3_bind_text (stmt, 4, query->employee_id, -1, SQLITE_TRANSIENT);
}

static char *
departments_to_json (const char * const *department_ids)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (department_ids == NULL)
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_array (builder);
  for (guint i = 0; department_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, department_ids[i]);
  json_builder_end_array (builder);
  node = json_builder_get_root (builder);

  return rota_json_to_string (node, NULL);
}

static GPtrArray *
list_shifts_query (RotaStore   *self,
                   RangeQuery  *query,
                   GError     **error)
{
  const TypeSql *sql = type_sql_lookup (ROTA_TYPE_SHIFT);
  const char *where;

  /* A shift overlaps [from, to) if it starts before to and ends after
   * from; since no shift is longer than a day, it also starts after
   * from - 24 h, which bounds the index range scan. */
  if (query->departments != NULL)
    where = "t.start >= ?3 AND t.start < ?2 AND t.\"end\" > ?1 "
            "AND t.department_id IN (SELECT value FROM json_each (?4))";
  else if (query->employee_id != NULL)
    where = "t.start >= ?3 AND t.start < ?2 AND t.\"end\" > ?1 AND t.employee_id = ?4";
  else
    where = "t.start >= ?3 AND t.start < ?2 AND t.\"end\" > ?1";

  return list_overlaid (self, sql, where, "start, id", bind_range, query, error);
}

/**
 * rota_store_list_shifts:
 * @self: a store
 * @from: the start of the range
 * @to: its end (exclusive)
 * @department_ids: (nullable) (array zero-terminated=1): only these
 *   departments, or %NULL for all
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type RotaShift): the shifts that
 *   overlap the range, pending edits laid over, deleted ones left out,
 *   ordered by start
 */
GPtrArray *
rota_store_list_shifts (RotaStore           *self,
                        gint64               from,
                        gint64               to,
                        const char * const  *department_ids,
                        GError             **error)
{
  RangeQuery query = { from, to, NULL, NULL };
  GPtrArray *result;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  query.departments = departments_to_json (department_ids);
  result = list_shifts_query (self, &query, error);
  g_free (query.departments);

  return result;
}

static GPtrArray *list_punches_query (RotaStore   *self,
                                      RangeQuery  *query,
                                      GError     **error);

static GPtrArray *
run_list_query (RotaStore   *self,
                RangeQuery  *query,
                GError     **error)
{
  switch (query->kind)
    {
    case QUERY_SHIFTS:
      return list_shifts_query (self, query, error);
    case QUERY_PUNCHES:
      return list_punches_query (self, query, error);
    case QUERY_ENTITIES:
      return rota_store_list_entities (self, query->type, error);
    case QUERY_OUTBOX:
      return rota_store_list_outbox (self, error);
    default:
      g_assert_not_reached ();
    }
}

static gpointer
list_query_call (RotaStore  *self,
                 gpointer    args,
                 GError    **error)
{
  return run_list_query (self, args, error);
}

/* Takes ownership of @query. */
static void
list_query_async (RotaStore           *self,
                  RangeQuery          *query,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  store_call_async (self, FALSE, list_query_call, query, (GDestroyNotify) range_query_free,
                    (GDestroyNotify) g_ptr_array_unref, source_tag, cancellable, callback, user_data);
}

static GPtrArray *
list_query_finish (RotaStore     *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  return store_call_finish (self, result, source_tag, error);
}

void
rota_store_list_shifts_async (RotaStore           *self,
                              gint64               from,
                              gint64               to,
                              const char * const  *department_ids,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RangeQuery *query;

  g_return_if_fail (ROTA_IS_STORE (self));

  query = g_new0 (RangeQuery, 1);
  query->kind = QUERY_SHIFTS;
  query->from = from;
  query->to = to;
  query->departments = departments_to_json (department_ids);

  list_query_async (self, query, rota_store_list_shifts_async, cancellable, callback, user_data);
}

/**
 * rota_store_list_shifts_finish:
 *
 * Returns: (transfer full) (element-type RotaShift): the shifts
 */
GPtrArray *
rota_store_list_shifts_finish (RotaStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return list_query_finish (self, result, rota_store_list_shifts_async, error);
}

static GPtrArray *
list_punches_query (RotaStore   *self,
                    RangeQuery  *query,
                    GError     **error)
{
  const TypeSql *sql = type_sql_lookup (ROTA_TYPE_PUNCH);

  /* bind_range() also binds ?3, which these queries do not use: an
   * unused numbered parameter is simply NULL to SQLite. */
  if (query->employee_id != NULL)
    return list_overlaid (self, sql, "t.employee_id = ?4 AND t.at >= ?1 AND t.at < ?2",
                          "at, id", bind_range, query, error);

  return list_overlaid (self, sql, "t.at >= ?1 AND t.at < ?2",
                        "at, id", bind_range, query, error);
}

/**
 * rota_store_list_punches:
 * @self: a store
 * @from: the start of the range
 * @to: its end (exclusive)
 * @employee_id: (nullable): only this employee's punches
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type RotaPunch): the punches in the
 *   range, ordered by time
 */
GPtrArray *
rota_store_list_punches (RotaStore   *self,
                         gint64       from,
                         gint64       to,
                         const char  *employee_id,
                         GError     **error)
{
  RangeQuery query = { from, to, NULL, (char *) employee_id };

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  return list_punches_query (self, &query, error);
}

void
rota_store_list_punches_async (RotaStore           *self,
                               gint64               from,
                               gint64               to,
                               const char          *employee_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  RangeQuery *query;

  g_return_if_fail (ROTA_IS_STORE (self));

  query = g_new0 (RangeQuery, 1);
  query->kind = QUERY_PUNCHES;
  query->from = from;
  query->to = to;
  query->employee_id = g_strdup (employee_id);

  list_query_async (self, query, rota_store_list_punches_async, cancellable, callback, user_data);
}

void
rota_store_list_entities_async (RotaStore           *self,
                                GType                type,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  RangeQuery *query;

  g_return_if_fail (ROTA_IS_STORE (self));
  g_return_if_fail (g_type_is_a (type, ROTA_TYPE_ENTITY));

  query = g_new0 (RangeQuery, 1);
  query->kind = QUERY_ENTITIES;
  query->type = type;

  list_query_async (self, query, rota_store_list_entities_async, cancellable, callback, user_data);
}

/**
 * rota_store_list_entities_finish:
 *
 * Returns: (transfer full) (element-type RotaEntity): the entities
 */
GPtrArray *
rota_store_list_entities_finish (RotaStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return list_query_finish (self, result, rota_store_list_entities_async, error);
}

void
rota_store_list_outbox_async (RotaStore           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RangeQuery *query;

  g_return_if_fail (ROTA_IS_STORE (self));

  query = g_new0 (RangeQuery, 1);
  query->kind = QUERY_OUTBOX;

  list_query_async (self, query, rota_store_list_outbox_async, cancellable, callback, user_data);
}

/**
 * rota_store_list_outbox_finish:
 *
 * Returns: (transfer full) (element-type RotaOutboxItem): the outbox items
 */
GPtrArray *
rota_store_list_outbox_finish (RotaStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return list_query_finish (self, result, rota_store_list_outbox_async, error);
}

/**
 * rota_store_list_punches_finish:
 *
 * Returns: (transfer full) (element-type RotaPunch): the punches
 */
GPtrArray *
rota_store_list_punches_finish (RotaStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return list_query_finish (self, result, rota_store_list_punches_async, error);
}

/**
 * rota_store_load_employee_week:
 * @self: a store
 * @employee_id: an employee
 * @from: the start of the range, usually a week
 * @to: its end (exclusive)
 * @shifts: (out) (transfer full) (element-type RotaShift): the employee's shifts
 * @punches: (out) (transfer full) (element-type RotaPunch): the employee's punches
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_load_employee_week (RotaStore   *self,
                               const char  *employee_id,
                               gint64       from,
                               gint64       to,
                               GPtrArray  **shifts,
                               GPtrArray  **punches,
                               GError     **error)
{
  RangeQuery query = { from, to, NULL, (char *) employee_id };
  g_autoptr(GPtrArray) shift_list = NULL;
  g_autoptr(GPtrArray) punch_list = NULL;
  gboolean snapshot;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (employee_id != NULL, FALSE);
  g_return_val_if_fail (shifts != NULL && punches != NULL, FALSE);

  /* Both reads see one snapshot: a read transaction keeps another
   * process's commit from landing between them. */
  g_rec_mutex_lock (&self->lock);
  if (!check_open (self, error))
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }
  snapshot = self->transaction_depth == 0 && _rota_store_exec (self->db, "BEGIN", error);
  if (self->transaction_depth == 0 && !snapshot)
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }
  shift_list = list_shifts_query (self, &query, error);
  if (shift_list != NULL)
    punch_list = list_punches_query (self, &query, error);
  if (snapshot)
    _rota_store_exec (self->db, "COMMIT", NULL);
  g_rec_mutex_unlock (&self->lock);

  if (shift_list == NULL || punch_list == NULL)
    return FALSE;

  *shifts = g_steal_pointer (&shift_list);
  *punches = g_steal_pointer (&punch_list);

  return TRUE;
}

/**
 * rota_store_list_audit:
 * @self: a store
 * @entity: (nullable): only entries of this kind
 * @entity_id: (nullable): only entries of this entity
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type RotaAuditEntry): audit entries in
 *   chain order
 */
GPtrArray *
rota_store_list_audit (RotaStore   *self,
                       const char  *entity,
                       const char  *entity_id,
                       GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  const TypeSql *sql = type_sql_lookup (ROTA_TYPE_AUDIT_ENTRY);
  g_autofree char *query = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  query = g_strdup_printf ("%s WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) "
                           "ORDER BY seq", sql->select);

  g_rec_mutex_lock (&self->lock);
  if (!check_open (self, error) || (stmt = prepare (self, query, error)) == NULL)
    {
      g_rec_mutex_unlock (&self->lock);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_TRANSIENT);
  ok = collect_entities (self, stmt, sql, result, error);
  g_rec_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&result) : NULL;
}

/* Maintenance */

static gboolean
verify_audit_locked (RotaStore  *self,
                     char      **problem,
                     GError    **error)
{
  const TypeSql *sql = type_sql_lookup (ROTA_TYPE_AUDIT_ENTRY);
  g_autofree char *query = g_strdup_printf ("%s ORDER BY seq", sql->select);
  g_autofree char *prev_hash = g_strdup (ROTA_AUDIT_GENESIS_HASH);
  sqlite3_stmt *stmt = prepare (self, query, error);
  gint64 expected_seq = 1;
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RotaAuditEntry) entry = ROTA_AUDIT_ENTRY (read_entity (stmt, sql));
      g_autofree char *hash = NULL;

      if (entry->seq != expected_seq)
        *problem = g_strdup_printf (_("Audit trail: entry %" PRId64 " is missing "
                                      "(the next entry is %" PRId64 ")"),
                                    expected_seq, entry->seq);
      else if (g_strcmp0 (entry->prev_hash, prev_hash) != 0)
        *problem = g_strdup_printf (_("Audit trail: entry %" PRId64 " does not link to "
                                      "the entry before it"), entry->seq);
      else if (g_strcmp0 (hash = rota_audit_entry_compute_hash (entry), entry->hash) != 0)
        *problem = g_strdup_printf (_("Audit trail: entry %" PRId64 " was changed after "
                                      "it was written (its hash does not match)"), entry->seq);

      if (*problem != NULL)
        break;

      g_free (prev_hash);
      prev_hash = g_strdup (entry->hash);
      expected_seq++;
    }
  sqlite3_reset (stmt);

  if (*problem == NULL && rc != SQLITE_DONE)
    {
      _rota_store_set_error (error, self->db, rc, "Reading the audit trail");
      return FALSE;
    }

  return TRUE;
}

/* Every punch and correction made here has an audit entry holding what
 * was written; the row must still say the same. */
static gboolean
verify_facts_locked (RotaStore  *self,
                     char      **problem,
                     GError    **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT seq, entity, entity_id, after_json FROM audit "
                                      "WHERE action = 'create' AND entity IN ('punch', 'punch_correction') "
                                      "ORDER BY seq", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while (*problem == NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_autofree char *kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_autofree char *id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_autofree char *after = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      const TypeSql *sql = type_sql_lookup (rota_entity_type_from_kind (kind));
      g_autoptr(RotaEntity) entity = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *now = NULL;

      /* get_entity_locked() prepares another statement; keep this one's
       * row values copied above. */
      entity = get_entity_locked (self, sql, id, FALSE, NULL, &local_error);
      if (local_error != NULL)
        {
          sqlite3_reset (stmt);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* Punches and corrections each have their own sentences, so that
       * translations can get the grammar of each right. */
      if (entity == NULL)
        *problem = g_str_equal (kind, "punch")
                   ? g_strdup_printf (_("The punch %s recorded in audit entry %" PRId64 " is missing"), id, seq)
                   : g_strdup_printf (_("The correction %s recorded in audit entry %" PRId64 " is missing"), id, seq);
      else if (g_strcmp0 (now = rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT), after) != 0)
        *problem = g_str_equal (kind, "punch")
                   ? g_strdup_printf (_("The punch %s differs from what audit entry %" PRId64 " recorded"), id, seq)
                   : g_strdup_printf (_("The correction %s differs from what audit entry %" PRId64 " recorded"), id, seq);
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/**
 * rota_store_verify:
 * @self: a store
 * @problem: (out) (transfer full) (nullable): the first problem found, or %NULL
 * @error: a location for a #GError, for a store that cannot be read at all
 *
 * Runs PRAGMA integrity_check and foreign_key_check, walks the audit
 * chain from its start, and compares every locally made punch and
 * correction with its audit entry. Names the first broken link.
 *
 * The chain shows any entry changed, removed or inserted after it was
 * written. Since its hash has no secret key, someone who rewrites every
 * entry from the changed one to the end, or cuts the end off, is not
 * seen here; the server's own chain, which a client cannot rewrite, is
 * what catches that.
 *
 * Returns: %TRUE if the checks ran (then *@problem says if they passed)
 */
gboolean
rota_store_verify (RotaStore  *self,
                   char      **problem,
                   GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (problem != NULL, FALSE);

  *problem = NULL;

  g_rec_mutex_lock (&self->lock);

  if (!check_open (self, error))
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }

  {
    g_autofree char *integrity = query_text (self->db, "PRAGMA integrity_check");

    if (g_strcmp0 (integrity, "ok") != 0)
      *problem = g_strdup_printf (_("The database is damaged: %s"), integrity ? integrity : sqlite3_errmsg (self->db));
  }

  if (*problem == NULL)
    {
      g_autofree char *table = query_text (self->db, "PRAGMA foreign_key_check");

      if (table != NULL)
        *problem = g_strdup_printf (_("A row of the table %s refers to something that does not exist"), table);
    }

  if (*problem == NULL)
    ok = verify_audit_locked (self, problem, error);

  if (ok && *problem == NULL)
    ok = verify_facts_locked (self, problem, error);

  g_rec_mutex_unlock (&self->lock);

  return ok;
}

static GPtrArray *
list_tables (sqlite3 *db)
{
  GPtrArray *tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return tables;
}

/**
 * rota_store_table_counts:
 * @self: a store
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type utf8 gint64): table name to row
 *   count, the count stored as a #gint64 pointer
 */
GHashTable *
rota_store_table_counts (RotaStore  *self,
                         GError    **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) tables = NULL;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->lock);
  if (!check_open (self, error))
    {
      g_rec_mutex_unlock (&self->lock);
      return NULL;
    }

  tables = list_tables (self->db);
  for (guint i = 0; i < tables->len; i++)
    {
      const char *name = g_ptr_array_index (tables, i);
      g_autofree char *query = g_strdup_printf ("SELECT count(*) FROM \"%s\"", name);

      g_hash_table_insert (counts, g_strdup (name),
                           g_memdup2 (&(gint64) { query_int (self->db, query, -1) }, sizeof (gint64)));
    }
  g_rec_mutex_unlock (&self->lock);

  return g_steal_pointer (&counts);
}

/**
 * rota_store_table_hashes:
 * @self: a store
 * @error: a location for a #GError
 *
 * A SHA-256 per table over every row in key order, with each value's type,
 * all read in one snapshot. Two stores with equal hashes hold the same data.
 *
 * Returns: (transfer full) (element-type utf8 utf8): table name to hash
 */
GHashTable *
rota_store_table_hashes (RotaStore  *self,
                         GError    **error)
{
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) tables = NULL;
  gboolean snapshot;
  gboolean ok = TRUE;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->lock);
  if (!check_open (self, error))
    {
      g_rec_mutex_unlock (&self->lock);
      return NULL;
    }

  /* One snapshot for all tables; inside a transaction of this thread's
   * own, that transaction is the snapshot. */
  snapshot = self->transaction_depth == 0;
  if (snapshot && !_rota_store_exec (self->db, "BEGIN", error))
    {
      g_rec_mutex_unlock (&self->lock);
      return NULL;
    }

  tables = list_tables (self->db);
  for (guint i = 0; ok && i < tables->len; i++)
    {
      const char *name = g_ptr_array_index (tables, i);
      g_autofree char *query = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1, 2", name);
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      sqlite3_stmt *stmt = NULL;
      int rc;

      rc = sqlite3_prepare_v2 (self->db, query, -1, &stmt, NULL);
      while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int n = sqlite3_column_count (stmt);

          for (int c = 0; c < n; c++)
            {
              guchar type = (guchar) sqlite3_column_type (stmt, c);
              const guchar *bytes;
              guint32 length;

              g_checksum_update (checksum, &type, 1);
              if (type == SQLITE_NULL)
                continue;
              bytes = type == SQLITE_BLOB ? sqlite3_column_blob (stmt, c) : sqlite3_column_text (stmt, c);
              length = (guint32) sqlite3_column_bytes (stmt, c);
              g_checksum_update (checksum, (const guchar *) &length, sizeof length);
              if (bytes != NULL)
                g_checksum_update (checksum, bytes, length);
            }
          rc = SQLITE_OK;
        }

      if (rc != SQLITE_DONE)
        {
          _rota_store_set_error (error, self->db, rc, name);
          ok = FALSE;
        }
      sqlite3_finalize (stmt);

      g_hash_table_insert (hashes, g_strdup (name), g_strdup (g_checksum_get_string (checksum)));
    }

  if (snapshot)
    _rota_store_exec (self->db, "COMMIT", NULL);
  g_rec_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&hashes) : NULL;
}

static gboolean
copy_database (sqlite3     *dest,
               sqlite3     *source,
               const char  *what,
               GError     **error)
{
  sqlite3_backup *backup;
  int rc;

  backup = sqlite3_backup_init (dest, "main", source, "main");
  if (backup == NULL)
    {
      _rota_store_set_error (error, dest, sqlite3_errcode (dest), what);
      return FALSE;
    }

  /* One step copies the whole file under one read transaction, so the
   * copy is a consistent snapshot even while another process writes;
   * readers do not block that writer in WAL mode. A lock held by someone
   * else is waited for, but not forever. */
  for (guint attempt = 0; ; attempt++)
    {
      rc = sqlite3_backup_step (backup, -1);
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 100)
        break;
      g_usleep (50 * 1000);
    }

  sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      _rota_store_set_error (error, dest, rc, what);
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_store_backup:
 * @self: a store
 * @dest_path: a file that does not exist yet
 * @error: a location for a #GError
 *
 * Copies the store with SQLite's online-backup API, which is safe while
 * this or another process writes to it. The copy is 0600 and is checked
 * with PRAGMA quick_check before this returns.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_backup (RotaStore   *self,
                   const char  *dest_path,
                   GError     **error)
{
  sqlite3 *dest = NULL;
  g_autofree char *damage = NULL;
  gboolean busy = FALSE;
  gboolean ok;
  int fd;
  int rc;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  fd = g_open (dest_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_STORE_ERROR,
                   saved_errno == EEXIST ? ROTA_STORE_ERROR_EXISTS : ROTA_STORE_ERROR_PERMISSIONS,
                   saved_errno == EEXIST ? _("%s already exists; choose a new name for the backup")
                                         : _("Cannot create %s: %s"),
                   dest_path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      _rota_store_set_error (error, dest, rc, dest_path);
      sqlite3_close_v2 (dest);
      g_unlink (dest_path);
      return FALSE;
    }

  g_rec_mutex_lock (&self->lock);
  ok = check_open (self, error) && copy_database (dest, self->db, _("Writing the backup"), error);
  g_rec_mutex_unlock (&self->lock);

  /* A backup is one self-contained file, which can also be restored from
   * read-only media: no WAL beside it. */
  if (ok)
    ok = _rota_store_exec (dest, "PRAGMA journal_mode = DELETE", error);

  if (ok && (damage = run_quick_check (dest, &busy)) != NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_CORRUPT,
                   _("The backup failed its check: %s"), damage);
      ok = FALSE;
    }

  sqlite3_close_v2 (dest);

  if (!ok)
    g_unlink (dest_path);

  return ok;
}

static gboolean
check_backup_source (sqlite3     *source,
                     const char  *source_path,
                     gint64      *version,
                     GError     **error)
{
  g_autofree char *damage = NULL;
  gboolean busy = FALSE;

  if (!check_identity (source, source_path, error))
    return FALSE;

  if (query_int (source, "PRAGMA application_id", 0) != ROTA_STORE_APPLICATION_ID)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_A_STORE,
                   _("%s is not a backup of a Rota store"), source_path);
      return FALSE;
    }

  *version = query_int (source, "PRAGMA user_version", -1);
  if (*version > ROTA_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_TOO_NEW,
                   _("The backup %s was made by a newer version of Rota; update Rota to restore it"),
                   source_path);
      return FALSE;
    }

  damage = run_quick_check (source, &busy);
  if (busy)
    {
      set_busy_error (error, source_path);
      return FALSE;
    }
  if (damage != NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_CORRUPT,
                   _("The backup %s is damaged (%s); choose another backup"), source_path, damage);
      return FALSE;
    }

  return TRUE;
}

/* Takes the store for this connection alone, then tells whether it holds
 * edits that were never synced. The lock is kept until the connection
 * closes, so no other program can write between this check and the copy. */
static gboolean
lock_restore_target (sqlite3     *target,
                     const char  *store_path,
                     gboolean     force,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 unsynced = 0;
  gboolean readable;
  int rc;

  if (!_rota_store_exec (target, "PRAGMA locking_mode = EXCLUSIVE", error))
    return FALSE;

  if (!_rota_store_exec (target, "BEGIN EXCLUSIVE", &local_error))
    {
      if (g_error_matches (local_error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_BUSY))
        g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_BUSY,
                     _("Another program is using the store %s; close Rota and try again"), store_path);
      else
        /* Without a readable header SQLite cannot lock the file, and
         * writing into it blind could hit a program that has it open. */
        g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_CORRUPT,
                     _("The store %s cannot be read at all (%s); move it aside, with its -wal "
                       "and -shm files if there are any, and restore again"),
                     store_path, local_error->message);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (target, "SELECT count(*) FROM outbox", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    unsynced = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  /* A new, empty file has no outbox; a damaged one cannot be read. */
  readable = rc == SQLITE_ROW || (query_int (target, "SELECT count(*) FROM sqlite_schema", 0) == 0);

  _rota_store_exec (target, "COMMIT", NULL);

  if (!readable && !force)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_CORRUPT,
                   _("The store %s is damaged, so Rota cannot tell whether it holds unsynced edits; "
                     "export them first, then restore with --force"), store_path);
      return FALSE;
    }

  if (unsynced > 0 && !force)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_UNSYNCED,
                   ngettext ("The store %s has %" PRId64 " edit that was never synced, and "
                             "restoring would lose it; sync first, or restore with --force",
                             "The store %s has %" PRId64 " edits that were never synced, and "
                             "restoring would lose them; sync first, or restore with --force",
                             (gulong) MIN (unsynced, G_MAXULONG)),
                   store_path, unsynced);
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_store_restore:
 * @store_path: the store to restore into; created if missing
 * @source_path: a backup made by rota_store_backup()
 * @force: restore even if the store is damaged or has edits that were
 *   never synced
 * @error: a location for a #GError
 *
 * Checks that @source_path is an undamaged Rota store this version can
 * read, takes the store for itself (failing if another program has it
 * open), and replaces its content through the online-backup API, never a
 * file copy, which could tear a live WAL database. Then opens the result
 * as a store, which migrates an older backup.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_restore (const char  *store_path,
                    const char  *source_path,
                    gboolean     force,
                    GError     **error)
{
  g_autoptr(RotaStore) store = NULL;
  g_autofree char *dir = NULL;
  sqlite3 *source = NULL;
  sqlite3 *target = NULL;
  gint64 version = 0;
  gint64 application_id;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (store_path != NULL, FALSE);
  g_return_val_if_fail (source_path != NULL, FALSE);

  if (!g_file_test (source_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                   _("There is no backup at %s"), source_path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (source_path, &source, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      _rota_store_set_error (error, source, rc, source_path);
      goto out;
    }

  if (!check_backup_source (source, source_path, &version, error))
    goto out;

  dir = g_path_get_dirname (store_path);
  if (!ensure_private_dir (dir, TRUE, error) ||
      !ensure_private_file (store_path, TRUE, error))
    goto out;

  rc = sqlite3_open_v2 (store_path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      _rota_store_set_error (error, target, rc, store_path);
      goto out;
    }
  sqlite3_busy_timeout (target, 2000);

  /* Never overwrite someone else's database. A new, empty file has no
   * id yet; a damaged one may not be readable, and --force decides. */
  application_id = query_int (target, "PRAGMA application_id", ROTA_STORE_APPLICATION_ID);
  if (application_id != ROTA_STORE_APPLICATION_ID &&
      !(application_id == 0 && query_int (target, "SELECT count(*) FROM sqlite_schema", 1) == 0))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_A_STORE,
                   _("%s is not a Rota store; Rota will not overwrite it"), store_path);
      goto out;
    }

  if (!lock_restore_target (target, store_path, force, error))
    goto out;

  if (!copy_database (target, source, _("Restoring the backup"), error))
    goto out;

  sqlite3_close_v2 (target);
  target = NULL;

  /* Opening checks the result, sets the pragmas and migrates. */
  store = rota_store_open (store_path, ROTA_STORE_OPEN_DEFAULT, error);
  ok = store != NULL;

out:
  sqlite3_close_v2 (target);
  sqlite3_close_v2 (source);

  return ok;
}

/**
 * rota_store_export_outbox:
 * @self: a store
 * @error: a location for a #GError
 *
 * Writes every unsynced edit as a JSON document, so that a damaged store's
 * work can be kept and entered again. Works on a read-only store.
 *
 * Returns: (transfer full) (nullable): the JSON text
 */
char *
rota_store_export_outbox (RotaStore  *self,
                          GError    **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);

  items = rota_store_list_outbox (self, error);
  if (items == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "store");
  json_builder_add_string_value (builder, self->path);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);

  for (guint i = 0; i < items->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(JsonNode) payload = rota_json_parse (item->payload, strlen (item->payload), 0, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, item->seq);
      json_builder_set_member_name (builder, "idempotencyKey");
      json_builder_add_string_value (builder, item->idempotency_key);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, item->kind);
      json_builder_set_member_name (builder, "entityId");
      json_builder_add_string_value (builder, item->entity_id);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, enum_nick (ROTA_TYPE_OUTBOX_OP, item->op));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, enum_nick (ROTA_TYPE_OUTBOX_STATE, item->state));
      json_builder_set_member_name (builder, "baseVersion");
      json_builder_add_int_value (builder, item->base_version);
      json_builder_set_member_name (builder, "actor");
      json_builder_add_string_value (builder, item->actor);
      json_builder_set_member_name (builder, "payload");
      if (payload != NULL)
        json_builder_add_value (builder, g_steal_pointer (&payload));
      else
        json_builder_add_string_value (builder, item->payload);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* Async twins of the calls above, for the UI */

typedef struct
{
  GType   type;
  char   *id;
  char   *text;
  char   *more;
  gint64  number;
  gint64  from;
  gint64  to;
} CallArgs;

static void
call_args_free (CallArgs *args)
{
  g_free (args->id);
  g_free (args->text);
  g_free (args->more);
  g_free (args);
}

static gpointer
get_entity_call (RotaStore  *self,
                 gpointer    data,
                 GError    **error)
{
  CallArgs *args = data;

  return rota_store_get_entity (self, args->type, args->id, error);
}

void
rota_store_get_entity_async (RotaStore           *self,
                             GType                type,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CallArgs *args;

  g_return_if_fail (ROTA_IS_STORE (self));
  g_return_if_fail (g_type_is_a (type, ROTA_TYPE_ENTITY));
  g_return_if_fail (id != NULL);

  args = g_new0 (CallArgs, 1);
  args->type = type;
  args->id = g_strdup (id);
  store_call_async (self, FALSE, get_entity_call, args, (GDestroyNotify) call_args_free,
                    g_object_unref, rota_store_get_entity_async, cancellable, callback, user_data);
}

/**
 * rota_store_get_entity_finish:
 *
 * Returns: (transfer full) (nullable): the entity, or %NULL on error
 */
RotaEntity *
rota_store_get_entity_finish (RotaStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return store_call_finish (self, result, rota_store_get_entity_async, error);
}

typedef struct
{
  GPtrArray *shifts;
  GPtrArray *punches;
} EmployeeWeek;

static void
employee_week_free (EmployeeWeek *week)
{
  g_clear_pointer (&week->shifts, g_ptr_array_unref);
  g_clear_pointer (&week->punches, g_ptr_array_unref);
  g_free (week);
}

static gpointer
load_employee_week_call (RotaStore  *self,
                         gpointer    data,
                         GError    **error)
{
  CallArgs *args = data;
  EmployeeWeek *week = g_new0 (EmployeeWeek, 1);

  if (!rota_store_load_employee_week (self, args->id, args->from, args->to,
                                      &week->shifts, &week->punches, error))
    {
      employee_week_free (week);
      return NULL;
    }

  return week;
}

void
rota_store_load_employee_week_async (RotaStore           *self,
                                     const char          *employee_id,
                                     gint64               from,
                                     gint64               to,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  CallArgs *args;

  g_return_if_fail (ROTA_IS_STORE (self));
  g_return_if_fail (employee_id != NULL);

  args = g_new0 (CallArgs, 1);
  args->id = g_strdup (employee_id);
  args->from = from;
  args->to = to;
  store_call_async (self, FALSE, load_employee_week_call, args, (GDestroyNotify) call_args_free,
                    (GDestroyNotify) employee_week_free, rota_store_load_employee_week_async,
                    cancellable, callback, user_data);
}

/**
 * rota_store_load_employee_week_finish:
 * @self: a store
 * @result: the result
 * @shifts: (out) (transfer full) (element-type RotaShift): the shifts
 * @punches: (out) (transfer full) (element-type RotaPunch): the punches
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_load_employee_week_finish (RotaStore     *self,
                                      GAsyncResult  *result,
                                      GPtrArray    **shifts,
                                      GPtrArray    **punches,
                                      GError       **error)
{
  EmployeeWeek *week;

  g_return_val_if_fail (shifts != NULL && punches != NULL, FALSE);

  week = store_call_finish (self, result, rota_store_load_employee_week_async, error);
  if (week == NULL)
    return FALSE;

  *shifts = g_steal_pointer (&week->shifts);
  *punches = g_steal_pointer (&week->punches);
  employee_week_free (week);

  return TRUE;
}

static gpointer
list_audit_call (RotaStore  *self,
                 gpointer    data,
                 GError    **error)
{
  CallArgs *args = data;

  return rota_store_list_audit (self, args->text, args->id, error);
}

void
rota_store_list_audit_async (RotaStore           *self,
                             const char          *entity,
                             const char          *entity_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CallArgs *args;

  g_return_if_fail (ROTA_IS_STORE (self));

  args = g_new0 (CallArgs, 1);
  args->text = g_strdup (entity);
  args->id = g_strdup (entity_id);
  store_call_async (self, FALSE, list_audit_call, args, (GDestroyNotify) call_args_free,
                    (GDestroyNotify) g_ptr_array_unref, rota_store_list_audit_async,
                    cancellable, callback, user_data);
}

/**
 * rota_store_list_audit_finish:
 *
 * Returns: (transfer full) (element-type RotaAuditEntry): the entries
 */
GPtrArray *
rota_store_list_audit_finish (RotaStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return store_call_finish (self, result, rota_store_list_audit_async, error);
}

static gpointer
outbox_discard_call (RotaStore  *self,
                     gpointer    data,
                     GError    **error)
{
  CallArgs *args = data;

  return rota_store_outbox_discard (self, args->number, args->text, args->more, error) ? STORE_CALL_OK : NULL;
}

void
rota_store_outbox_discard_async (RotaStore           *self,
                                 gint64               seq,
                                 const char          *actor,
                                 const char          *reason,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CallArgs *args;

  g_return_if_fail (ROTA_IS_STORE (self));
  g_return_if_fail (actor != NULL);

  args = g_new0 (CallArgs, 1);
  args->number = seq;
  args->text = g_strdup (actor);
  args->more = g_strdup (reason);
  store_call_async (self, TRUE, outbox_discard_call, args, (GDestroyNotify) call_args_free,
                    NULL, rota_store_outbox_discard_async, cancellable, callback, user_data);
}

gboolean
rota_store_outbox_discard_finish (RotaStore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return store_call_finish (self, result, rota_store_outbox_discard_async, error) != NULL;
}

static gpointer
verify_call (RotaStore  *self,
             gpointer    data,
             GError    **error)
{
  char *problem = NULL;

  if (!rota_store_verify (self, &problem, error))
    return NULL;

  /* No problem is the empty string, so that NULL can mean an error. */
  return problem != NULL ? problem : g_strdup ("");
}

void
rota_store_verify_async (RotaStore           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (ROTA_IS_STORE (self));

  store_call_async (self, FALSE, verify_call, NULL, NULL, g_free, rota_store_verify_async,
                    cancellable, callback, user_data);
}

/**
 * rota_store_verify_finish:
 * @self: a store
 * @result: the result
 * @problem: (out) (transfer full) (nullable): the first problem found, or %NULL
 * @error: a location for a #GError
 *
 * Returns: %TRUE if the checks ran
 */
gboolean
rota_store_verify_finish (RotaStore     *self,
                          GAsyncResult  *result,
                          char         **problem,
                          GError       **error)
{
  g_autofree char *found = NULL;

  g_return_val_if_fail (problem != NULL, FALSE);

  found = store_call_finish (self, result, rota_store_verify_async, error);
  if (found == NULL)
    return FALSE;

  *problem = *found != '\0' ? g_steal_pointer (&found) : NULL;

  return TRUE;
}

static gpointer
backup_call (RotaStore  *self,
             gpointer    data,
             GError    **error)
{
  CallArgs *args = data;

  return rota_store_backup (self, args->text, error) ? STORE_CALL_OK : NULL;
}

void
rota_store_backup_async (RotaStore           *self,
                         const char          *dest_path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  CallArgs *args;

  g_return_if_fail (ROTA_IS_STORE (self));
  g_return_if_fail (dest_path != NULL);

  args = g_new0 (CallArgs, 1);
  args->text = g_strdup (dest_path);
  store_call_async (self, FALSE, backup_call, args, (GDestroyNotify) call_args_free,
                    NULL, rota_store_backup_async, cancellable, callback, user_data);
}

gboolean
rota_store_backup_finish (RotaStore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return store_call_finish (self, result, rota_store_backup_async, error) != NULL;
}

static gpointer
export_outbox_call (RotaStore  *self,
                    gpointer    data,
                    GError    **error)
{
  return rota_store_export_outbox (self, error);
}

void
rota_store_export_outbox_async (RotaStore           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (ROTA_IS_STORE (self));

  store_call_async (self, FALSE, export_outbox_call, NULL, NULL, g_free,
                    rota_store_export_outbox_async, cancellable, callback, user_data);
}

/**
 * rota_store_export_outbox_finish:
 *
 * Returns: (transfer full) (nullable): the JSON text
 */
char *
rota_store_export_outbox_finish (RotaStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return store_call_finish (self, result, rota_store_export_outbox_async, error);
}
