/* rota-server-admin.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rota-audit.h"
#include "rota-codec.h"
#include "rota-entity.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-server-admin.h"
#include "rota-store-private.h"
#include "rota-tenant-sqlite.h"

/*
 * The admin side of the security paper's promises:
 *
 *  - Back-ups (§2.7): one tenant, or the whole server daily: the registry
 *    and every tenant, each through SQLite's online-backup API (never a
 *    file copy, which could tear a live WAL database), in a 0700 folder
 *    of 0600 files with a MANIFEST of SHA-256 sums that
 *    `cd DIR && sha256sum -c MANIFEST` checks.
 *  - Tested restores: a tenant is restored only from a tenant backup, and
 *    only while no other program has it open (rota_store_restore()).
 *  - Anonymised data for debugging (§2.6): a copy of a tenant in which
 *    every field flagged ROTA_FIELD_PERSONAL is replaced, in the tables
 *    and in the JSON the audit trail and outbox keep of them.
 *  - The audit trail: verify walks the chain and the change feed.
 */

G_DEFINE_QUARK (rota-server-admin-error-quark, rota_server_admin_error)

#define SERVER_TABLE "server_changes"

static void
set_db_error (GError     **error,
              sqlite3     *db,
              int          rc,
              const char  *what)
{
  g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
               "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "%s: %s", sql, message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
table_exists (sqlite3    *db,
              const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);

  return found;
}

static gboolean
check_tenant (RotaServerRegistry  *registry,
              const char          *slug,
              char               **path,
              GError             **error)
{
  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);

  if (!rota_server_registry_has_tenant (registry, slug))
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT,
                   "There is no tenant %s in %s; rota-server tenant add makes one",
                   slug, rota_server_registry_get_data_dir (registry));
      return FALSE;
    }

  *path = rota_server_registry_tenant_path (registry, slug);
  if (*path == NULL)
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT,
                   "%s is not a valid tenant name", slug);
      return FALSE;
    }

  return TRUE;
}

/* A registered tenant whose file nobody has opened yet has no data; its
 * file is made here as rota-server serve would make it, so that a daily
 * backup does not fail on a tenant added since the last one. */
static RotaTenant *
open_tenant (RotaServerRegistry  *registry,
             const char          *slug,
             gboolean             create,
             GError             **error)
{
  g_autofree char *path = NULL;

  if (!check_tenant (registry, slug, &path, error))
    return NULL;

  return rota_tenant_sqlite_open (path, create, error);
}

/* Creates @path for writing, failing if it exists, so that a backup never
 * overwrites anything; 0600, as the data in it is personal. */
static gboolean
create_exclusive (const char  *path,
                  GError     **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_SERVER_ADMIN_ERROR,
                   saved_errno == EEXIST ? ROTA_SERVER_ADMIN_ERROR_EXISTS : ROTA_SERVER_ADMIN_ERROR_FAILED,
                   saved_errno == EEXIST ? "%s already exists; choose a new name" : "Cannot create %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  return TRUE;
}

static void
unlink_database (const char *path)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

static gboolean
fsync_file (const char  *path,
            GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  int rc;

  if (fd < 0 || (rc = fsync (fd)) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "Cannot write %s to disk: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  return TRUE;
}

/* PRAGMA quick_check on a finished copy, and that it holds @table (an
 * empty file passes quick_check). */
static gboolean
check_copy (const char  *path,
            const char  *table,
            GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *result = NULL;
  gboolean has_table;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  if (result == NULL)
    {
      set_db_error (error, db, rc, path);
      sqlite3_close_v2 (db);
      return FALSE;
    }
  has_table = table_exists (db, table);
  sqlite3_close_v2 (db);

  if (!has_table)
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "The copy %s is incomplete: it has no table %s", path, table);
      return FALSE;
    }

  if (!g_str_equal (result, "ok"))
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "The copy %s failed its check: %s", path, result);
      return FALSE;
    }

  return fsync_file (path, error);
}

/* Copies the database at @source_path to @dest (an open connection)
 * through the online-backup API, from a read-only connection of its own,
 * in one step: one read transaction, so a consistent snapshot even while
 * rota-server writes to it. */
static gboolean
backup_from_file (const char  *source_path,
                  sqlite3     *dest,
                  GError     **error)
{
  sqlite3 *source = NULL;
  sqlite3_backup *backup;
  int rc;

  rc = sqlite3_open_v2 (source_path, &source, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, source, rc, source_path);
      sqlite3_close_v2 (source);
      return FALSE;
    }
  sqlite3_busy_timeout (source, 10000);

  backup = sqlite3_backup_init (dest, "main", source, "main");
  if (backup == NULL)
    {
      set_db_error (error, dest, sqlite3_errcode (dest), source_path);
      sqlite3_close_v2 (source);
      return FALSE;
    }

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
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "Copying %s: %s", source_path, sqlite3_errstr (rc));
      sqlite3_close_v2 (source);
      return FALSE;
    }

  sqlite3_close_v2 (source);

  return TRUE;
}

static gboolean
backup_file_to (const char  *source_path,
                const char  *dest_path,
                GError     **error)
{
  sqlite3 *dest = NULL;
  gboolean ok;
  int rc;

  if (!create_exclusive (dest_path, error))
    return FALSE;

  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, dest, rc, dest_path);
      ok = FALSE;
    }
  else
    {
      ok = backup_from_file (source_path, dest, error) &&
           exec (dest, "PRAGMA journal_mode = DELETE", error);
    }
  sqlite3_close_v2 (dest);

  if (ok)
    ok = check_copy (dest_path, "tenants", error);

  if (!ok)
    unlink_database (dest_path);

  return ok;
}

/**
 * rota_server_admin_backup:
 * @registry: the server's registry
 * @slug: the tenant
 * @dest: the backup file to write; must not exist
 * @error: a location for a #GError
 *
 * Copies one tenant with the SQLite online-backup API, which is safe while
 * rota-server serves it. The copy is one 0600 file, checked before this
 * returns.
 *
 * Returns: %TRUE on success; %ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT for
 *   a tenant the registry does not know
 */
gboolean
rota_server_admin_backup (RotaServerRegistry  *registry,
                          const char          *slug,
                          const char          *dest,
                          GError             **error)
{
  g_autoptr(RotaTenant) tenant = NULL;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tenant = open_tenant (registry, slug, TRUE, error);
  if (tenant == NULL)
    return FALSE;

  if (!rota_tenant_backup (tenant, dest, error))
    return FALSE;

  g_debug ("Backed up the tenant %s to %s", slug, dest);

  return fsync_file (dest, error);
}

static char *
sha256_of_file (const char  *path,
                GError     **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar buffer[64 * 1024];
  FILE *file = g_fopen (path, "rbe");
  size_t n;

  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "Cannot read %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }

  while ((n = fread (buffer, 1, sizeof buffer, file)) > 0)
    g_checksum_update (checksum, buffer, n);

  if (ferror (file))
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "Cannot read %s", path);
      fclose (file);
      return NULL;
    }
  fclose (file);

  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
make_private_dir (const char  *path,
                  GError     **error)
{
  if (g_mkdir (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_SERVER_ADMIN_ERROR,
                   saved_errno == EEXIST ? ROTA_SERVER_ADMIN_ERROR_EXISTS : ROTA_SERVER_ADMIN_ERROR_FAILED,
                   saved_errno == EEXIST ? "%s already exists; choose a new folder for the backup"
                                         : "Cannot create %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Whatever the umask. */
  if (g_chmod (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "Cannot make %s private: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_server_admin_backup_all:
 * @registry: the server's registry
 * @dest_dir: a folder to make; must not exist
 * @error: a location for a #GError
 *
 * The daily backup: makes @dest_dir (0700) and writes into it
 * `registry.sqlite` (tenants and token hashes), `tenants/SLUG.sqlite` for
 * every tenant, all through the online-backup API, and last a
 * `MANIFEST` with the SHA-256 of each file in sha256sum(1) format, so
 * `cd DEST_DIR && sha256sum -c MANIFEST` checks the set. A folder without
 * a MANIFEST is an unfinished backup; on failure this removes what it
 * wrote.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_server_admin_backup_all (RotaServerRegistry  *registry,
                              const char          *dest_dir,
                              GError             **error)
{
  g_autofree char *registry_path = NULL;
  g_autofree char *tenants_dir = NULL;
  g_autofree char *manifest_path = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) manifest = g_string_new (NULL);
  g_auto(GStrv) slugs = NULL;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), FALSE);
  g_return_val_if_fail (dest_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  slugs = rota_server_registry_list_tenants (registry, error);
  if (slugs == NULL)
    return FALSE;

  if (!make_private_dir (dest_dir, error))
    return FALSE;

  tenants_dir = g_build_filename (dest_dir, "tenants", NULL);
  if (!make_private_dir (tenants_dir, error))
    goto failed;

  /* The registry, from a read-only connection of its own. */
  registry_path = g_build_filename (rota_server_registry_get_data_dir (registry), "registry.sqlite", NULL);
  {
    g_autofree char *dest = g_build_filename (dest_dir, "registry.sqlite", NULL);

    if (!backup_file_to (registry_path, dest, error))
      goto failed;
    g_ptr_array_add (written, g_steal_pointer (&dest));
    g_ptr_array_add (written, g_strdup ("registry.sqlite"));
  }

  for (guint i = 0; slugs[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat ("tenants/", slugs[i], ".sqlite", NULL);
      g_autofree char *dest = g_build_filename (dest_dir, name, NULL);

      if (!rota_server_admin_backup (registry, slugs[i], dest, error))
        goto failed;
      g_ptr_array_add (written, g_steal_pointer (&dest));
      g_ptr_array_add (written, g_steal_pointer (&name));
    }

  for (guint i = 0; i < written->len; i += 2)
    {
      g_autofree char *sum = sha256_of_file (g_ptr_array_index (written, i), error);

      if (sum == NULL)
        goto failed;
      g_string_append_printf (manifest, "%s  %s\n", sum, (const char *) g_ptr_array_index (written, i + 1));
    }

  manifest_path = g_build_filename (dest_dir, ROTA_SERVER_ADMIN_MANIFEST, NULL);
  if (!g_file_set_contents_full (manifest_path, manifest->str, manifest->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    goto failed;

  g_debug ("Backed up the registry and %u tenants to %s", g_strv_length (slugs), dest_dir);

  return TRUE;

failed:
  for (guint i = 0; i < written->len; i += 2)
    unlink_database (g_ptr_array_index (written, i));
  if (tenants_dir != NULL)
    g_rmdir (tenants_dir);
  g_rmdir (dest_dir);

  return FALSE;
}

/**
 * rota_server_admin_restore:
 * @registry: the server's registry
 * @slug: the tenant to restore into
 * @source: a tenant backup, as rota_server_admin_backup() writes
 * @force: restore even if the tenant file is damaged, or @source is an
 *   anonymised copy
 * @error: a location for a #GError
 *
 * Checks that @source is a tenant database before touching anything (a
 * desktop store is a Rota store, but not a tenant backup), then replaces
 * the tenant with it through rota_store_restore(), which takes the file
 * for itself and so refuses while rota-server has it open. Last, opens
 * the result as a tenant, which checks its server schema.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_server_admin_restore (RotaServerRegistry  *registry,
                           const char          *slug,
                           const char          *source,
                           gboolean             force,
                           GError             **error)
{
  g_autofree char *path = NULL;
  g_autoptr(RotaTenant) tenant = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean is_tenant;
  gboolean anonymized = FALSE;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_tenant (registry, slug, &path, error))
    return FALSE;

  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                   "There is no backup at %s", source);
      return FALSE;
    }

  rc = sqlite3_open_v2 (source, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, db, rc, source);
      sqlite3_close_v2 (db);
      return FALSE;
    }

  is_tenant = table_exists (db, SERVER_TABLE) && table_exists (db, "server_meta");
  if (is_tenant &&
      sqlite3_prepare_v2 (db, "SELECT 1 FROM server_meta WHERE key = '" ROTA_SERVER_ADMIN_ANONYMIZED_KEY "'",
                          -1, &stmt, NULL) == SQLITE_OK)
    anonymized = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);

  if (!is_tenant)
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_NOT_A_TENANT,
                   "%s is not a backup of a tenant (it has no %s table; a desktop store is not "
                   "a tenant backup); nothing was changed",
                   source, SERVER_TABLE);
      return FALSE;
    }

  if (anonymized && !force)
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_ANONYMIZED,
                   "%s is an anonymised copy for debugging, not a backup; restoring it would "
                   "replace the tenant's real data with pseudonyms. Restore it with --force "
                   "only on a test server", source);
      return FALSE;
    }

  if (!rota_store_restore (path, source, force, error))
    return FALSE;

  tenant = rota_tenant_sqlite_open (path, FALSE, error);
  if (tenant == NULL)
    return FALSE;

  g_info ("Restored the tenant %s from %s", slug, source);

  return TRUE;
}

/**
 * rota_server_admin_verify:
 * @registry: the server's registry
 * @slug: the tenant
 * @problem: (out) (transfer full) (nullable): the first problem found, or
 *   %NULL when the tenant is sound
 * @error: a location for a #GError
 *
 * Runs rota_tenant_verify(): the integrity and foreign-key checks, the
 * audit chain from its start (naming the first broken entry), and the
 * change feed against the entities.
 *
 * Returns: %TRUE if the checks ran; then *@problem tells whether they passed
 */
gboolean
rota_server_admin_verify (RotaServerRegistry  *registry,
                          const char          *slug,
                          char               **problem,
                          GError             **error)
{
  g_autoptr(RotaTenant) tenant = NULL;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);
  g_return_val_if_fail (problem != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *problem = NULL;

  tenant = open_tenant (registry, slug, FALSE, error);
  if (tenant == NULL)
    return FALSE;

  return rota_tenant_verify (tenant, problem, error);
}

/* Offices */

/**
 * rota_server_admin_list_offices:
 *
 * Returns: (transfer container) (element-type RotaOffice): the tenant's
 *   offices
 */
GPtrArray *
rota_server_admin_list_offices (RotaServerRegistry  *registry,
                                const char          *slug,
                                GError             **error)
{
  g_autoptr(RotaTenant) tenant = NULL;
  g_autoptr(GPtrArray) offices = g_ptr_array_new_with_free_func (g_object_unref);
  RotaTenantQuery query = { .type = ROTA_TYPE_OFFICE, .page_size = 1000 };
  guint pages = 1;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), NULL);
  g_return_val_if_fail (slug != NULL, NULL);

  tenant = open_tenant (registry, slug, FALSE, error);
  if (tenant == NULL)
    return NULL;

  for (query.page = 1; query.page <= pages; query.page++)
    {
      g_autoptr(GPtrArray) some = rota_tenant_list (tenant, &query, &pages, error);

      if (some == NULL)
        return NULL;
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (offices, g_object_ref (g_ptr_array_index (some, i)));
    }

  return g_steal_pointer (&offices);
}

/**
 * rota_server_admin_set_office:
 *
 * Changes an office's punch policy: a new version of the office, in the
 * audit chain (actor "admin") and the change feed, so that every client
 * gets it at its next sync. Safe while the server serves the tenant.
 * Values out of range are refused as the API refuses them, and nothing
 * changes.
 *
 * Returns: (transfer full): the office as written
 */
RotaEntity *
rota_server_admin_set_office (RotaServerRegistry            *registry,
                              const char                    *slug,
                              const char                    *office_id,
                              const RotaServerOfficePolicy  *policy,
                              GError                       **error)
{
  g_autoptr(RotaTenant) tenant = NULL;
  g_autoptr(RotaEntity) office = NULL;
  const char *field = NULL;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), NULL);
  g_return_val_if_fail (slug != NULL && office_id != NULL && policy != NULL, NULL);

  tenant = open_tenant (registry, slug, FALSE, error);
  if (tenant == NULL || !rota_tenant_begin (tenant, error))
    return NULL;

  office = rota_tenant_get (tenant, ROTA_TYPE_OFFICE, office_id, NULL, error);
  if (office == NULL)
    {
      rota_tenant_rollback (tenant);
      return NULL;
    }

  if (policy->grace_minutes >= 0)
    ROTA_OFFICE (office)->punch_grace_minutes = policy->grace_minutes;
  if (policy->rounding_minutes >= 0)
    ROTA_OFFICE (office)->punch_rounding_minutes = policy->rounding_minutes;
  if (policy->early_from_plan >= 0)
    ROTA_OFFICE (office)->punch_early_from_plan = policy->early_from_plan != 0;
  if (policy->rounding_mode != NULL)
    {
      g_autoptr(GEnumClass) modes = g_type_class_ref (ROTA_TYPE_PUNCH_ROUNDING);
      GEnumValue *mode = g_enum_get_value_by_nick (modes, policy->rounding_mode);

      if (mode == NULL || mode->value == ROTA_PUNCH_ROUNDING_NONE)
        {
          rota_tenant_rollback (tenant);
          g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_FAILED,
                       "punchRoundingMode: “%s” is not one of inward, nearest or outward", policy->rounding_mode);
          return NULL;
        }
      ROTA_OFFICE (office)->punch_rounding_mode = mode->value;
    }

  if (!rota_entity_validate (office, &field, error) ||
      !rota_tenant_write (tenant, office, FALSE, "admin", "rota-server office set", error))
    {
      rota_tenant_rollback (tenant);
      return NULL;
    }

  /* A commit that fails has rolled back already. */
  if (!rota_tenant_commit (tenant, error))
    return NULL;

  return g_steal_pointer (&office);
}

/* Anonymising */

/*
 * Which values replace personal data, generically from the field tables
 * (ROTA_FIELD_PERSONAL), so a personal field added later is covered
 * without touching this file; a personal field of a type not handled
 * below stops the copy rather than leaving the value in it.
 *
 * Each entity (by kind and id) gets a number N from a SHA-256 of its id,
 * made distinct within the copy, so that the same person has the same
 * pseudonym in every table and every audit entry, and two people never
 * share one. N is derived from the id, which the copy keeps anyway, and
 * never from the personal value, so it reveals nothing a dictionary of
 * names or badge numbers could reverse.
 *
 *  - a string whose field name has "email": person-N@example.invalid
 *  - a required string: "Person N" (first name), "Nachname N" (last
 *    name), or "FIELD N"
 *  - an optional string (name prefix, kiosk PIN hash, shift and absence
 *    notes): NULL
 *  - a string array (badge numbers): as many fakes "XNNNNNNII" as there
 *    were badges, distinct across people
 *  - a date (the birth date): the same year's 1 January. The year is
 *    kept on purpose: the rules for minors (ArbZG/JArbSchG, ATW) depend
 *    on age, and a debugging copy must still trigger them. Someone who
 *    turns 18 late in a year counts as 18 from 1 January in the copy.
 */

#define PSEUDONYM_RANGE 999999u

typedef struct
{
  GType            type;
  RotaEntityClass *klass;
  const char      *kind;
  const char      *id_column;
} PersonalKind;

typedef struct
{
  sqlite3    *db;
  GArray     *kinds;      /* PersonalKind */
  GHashTable *numbers;    /* "kind\x1fid" -> GUINT_TO_POINTER (N) */
  GHashTable *used;       /* N -> N */
} Anonymizer;

static void
anonymizer_clear (Anonymizer *self)
{
  for (guint i = 0; self->kinds != NULL && i < self->kinds->len; i++)
    g_type_class_unref (g_array_index (self->kinds, PersonalKind, i).klass);
  g_clear_pointer (&self->kinds, g_array_unref);
  g_clear_pointer (&self->numbers, g_hash_table_unref);
  g_clear_pointer (&self->used, g_hash_table_unref);
}

static gboolean
field_is_personal (const RotaField *field)
{
  return (field->flags & ROTA_FIELD_PERSONAL) != 0 && (field->flags & ROTA_FIELD_KEY) == 0;
}

static void
find_personal_kinds (Anonymizer *self)
{
  const GType *types;
  guint n_types;

  self->kinds = g_array_new (FALSE, TRUE, sizeof (PersonalKind));
  types = rota_entity_get_types (&n_types);

  for (guint i = 0; i < n_types; i++)
    {
      RotaEntityClass *klass = g_type_class_ref (types[i]);
      gboolean personal = FALSE;

      for (guint f = 0; f < klass->n_fields; f++)
        personal = personal || field_is_personal (&klass->fields[f]);

      if (personal)
        {
          PersonalKind kind = { types[i], klass, klass->kind, klass->fields[klass->id_field].name };

          g_array_append_val (self->kinds, kind);
        }
      else
        {
          g_type_class_unref (klass);
        }
    }
}

static const PersonalKind *
lookup_kind (Anonymizer *self,
             const char *kind)
{
  for (guint i = 0; kind != NULL && i < self->kinds->len; i++)
    {
      const PersonalKind *info = &g_array_index (self->kinds, PersonalKind, i);

      if (g_str_equal (info->kind, kind))
        return info;
    }

  return NULL;
}

static guint
assign_number (Anonymizer *self,
               const char *kind,
               const char *id)
{
  g_autofree char *key = g_strconcat (kind, "\x1f", id, NULL);
  gpointer found;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) checksum = NULL;
  guint n;

  if (g_hash_table_lookup_extended (self->numbers, key, NULL, &found))
    return GPOINTER_TO_UINT (found);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) key, -1);
  g_checksum_get_digest (checksum, digest, &digest_len);
  n = 1 + ((guint) digest[0] << 24 | (guint) digest[1] << 16 | (guint) digest[2] << 8 | digest[3]) % PSEUDONYM_RANGE;

  /* Distinct within the copy: on a collision, the next free number. */
  while (g_hash_table_contains (self->used, GUINT_TO_POINTER (n)))
    n = n % PSEUDONYM_RANGE + 1;

  g_hash_table_add (self->used, GUINT_TO_POINTER (n));
  g_hash_table_insert (self->numbers, g_steal_pointer (&key), GUINT_TO_POINTER (n));

  return n;
}

/* Numbers are given in the order of the ids, every id that appears
 * anywhere first, so the copy does not depend on the order it is
 * rewritten in. */
static gboolean
assign_numbers (Anonymizer  *self,
                GError     **error)
{
  for (guint i = 0; i < self->kinds->len; i++)
    {
      const PersonalKind *info = &g_array_index (self->kinds, PersonalKind, i);
      g_autofree char *pending = g_strconcat (info->kind, "_pending", NULL);
      g_autoptr(GString) sql = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (table_exists (self->db, info->kind))
        g_string_append_printf (sql, "SELECT \"%s\" FROM \"%s\"", info->id_column, info->kind);
      if (table_exists (self->db, pending))
        g_string_append_printf (sql, "%sSELECT \"%s\" FROM \"%s\"", sql->len ? " UNION " : "",
                                info->id_column, pending);
      if (table_exists (self->db, "audit"))
        g_string_append_printf (sql, "%sSELECT entity_id FROM audit WHERE entity = ?1", sql->len ? " UNION " : "");
      if (table_exists (self->db, "outbox"))
        g_string_append_printf (sql, "%sSELECT entity_id FROM outbox WHERE kind = ?1", sql->len ? " UNION " : "");
      if (sql->len == 0)
        continue;
      g_string_append (sql, " ORDER BY 1");

      rc = sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, info->kind, -1, SQLITE_STATIC);
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
              assign_number (self, info->kind, (const char *) sqlite3_column_text (stmt, 0));
        }
      sqlite3_finalize (stmt);

      if (rc != SQLITE_DONE)
        {
          set_db_error (error, self->db, rc, "Listing the ids to anonymise");
          return FALSE;
        }
    }

  return TRUE;
}

static const char *
pseudonym_label (const RotaField *field)
{
  if (g_str_equal (field->name, "first_name"))
    return "Person";
  if (g_str_equal (field->name, "last_name"))
    return "Nachname";
  return field->name;
}

/* The replacement for @value (a JSON node as in the codec: a string, an
 * array of strings for a string array, or null) of @field of the entity
 * @kind/@id. */
static JsonNode *
anonymize_value (Anonymizer       *self,
                 const char       *kind,
                 const char       *id,
                 const RotaField  *field,
                 JsonNode         *value,
                 GError          **error)
{
  guint n = assign_number (self, kind, id);

  switch (field->type)
    {
    case ROTA_FIELD_STRING:
      {
        g_autofree char *text = NULL;

        if (value == NULL || JSON_NODE_HOLDS_NULL (value))
          return json_node_new (JSON_NODE_NULL);
        if (strstr (field->name, "email") != NULL)
          text = g_strdup_printf ("person-%u@example.invalid", n);
        else if (field->flags & ROTA_FIELD_REQUIRED)
          text = g_strdup_printf ("%s %u", pseudonym_label (field), n);
        else
          return json_node_new (JSON_NODE_NULL);

        return json_node_init_string (json_node_alloc (), text);
      }

    case ROTA_FIELD_DATE:
      {
        const char *text = value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
                           json_node_get_value_type (value) == G_TYPE_STRING
                           ? json_node_get_string (value) : NULL;
        g_autofree char *year = NULL;

        if (text == NULL || strlen (text) < 4 ||
            !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
            !g_ascii_isdigit (text[2]) || !g_ascii_isdigit (text[3]))
          return json_node_new (JSON_NODE_NULL);

        /* The year only; see the comment above. */
        year = g_strdup_printf ("%.4s-01-01", text);

        return json_node_init_string (json_node_alloc (), year);
      }

    case ROTA_FIELD_STRV:
      {
        g_autoptr(JsonArray) fakes = json_array_new ();
        guint length = value != NULL && JSON_NODE_HOLDS_ARRAY (value)
                       ? json_array_get_length (json_node_get_array (value)) : 0;

        /* N < 10^6 and at most 100 badges a person: distinct fakes. */
        for (guint i = 0; i < length && i < 100; i++)
          {
            g_autofree char *fake = g_strdup_printf ("X%06u%02u", n, i);

            json_array_add_string_element (fakes, fake);
          }

        return json_node_init_array (json_node_alloc (), fakes);
      }

    case ROTA_FIELD_ID:
    case ROTA_FIELD_INT:
    case ROTA_FIELD_DOUBLE:
    case ROTA_FIELD_BOOL:
    case ROTA_FIELD_INSTANT:
    case ROTA_FIELD_TIME:
    case ROTA_FIELD_ENUM:
    default:
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNSUPPORTED,
                   "The personal field %s.%s has a type anonymising does not know; "
                   "no copy was made", kind, field->name);
      return NULL;
    }
}

/* A column's value as the codec writes it in JSON: string arrays are
 * stored as JSON text, the rest as text or NULL. */
static JsonNode *
column_to_node (sqlite3_stmt    *stmt,
                int              column,
                const RotaField *field)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return json_node_new (JSON_NODE_NULL);

  if (field->type == ROTA_FIELD_STRV)
    {
      JsonNode *node = rota_json_parse (text, strlen (text), 0, NULL);

      return node != NULL ? node : json_node_init_array (json_node_alloc (), json_array_new ());
    }

  return json_node_init_string (json_node_alloc (), text);
}

static void
bind_node (sqlite3_stmt *stmt,
           int           index,
           JsonNode     *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, index);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    sqlite3_bind_text (stmt, index, rota_json_to_string (node, NULL), -1, g_free);
  else
    sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
}

#define BATCH 1000

/* Replaces the personal columns of every row of @table, which holds
 * entities of @info (its own table or its _pending twin). */
static gboolean
anonymize_table (Anonymizer          *self,
                 const PersonalKind  *info,
                 const char          *table,
                 GError             **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) update = g_string_new (NULL);
  g_autofree char *last_id = NULL;
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *write = NULL;
  gboolean ok = TRUE;
  int rc;

  for (guint f = 0; f < info->klass->n_fields; f++)
    if (field_is_personal (&info->klass->fields[f]))
      g_ptr_array_add (fields, (gpointer) &info->klass->fields[f]);

  g_string_append_printf (select, "SELECT \"%s\"", info->id_column);
  g_string_append_printf (update, "UPDATE \"%s\" SET ", table);
  for (guint f = 0; f < fields->len; f++)
    {
      const RotaField *field = g_ptr_array_index (fields, f);

      g_string_append_printf (select, ", \"%s\"", field->name);
      g_string_append_printf (update, "%s\"%s\" = ?%u", f ? ", " : "", field->name, f + 2);
    }
  /* In batches by id, each read before it is written. */
  g_string_append_printf (select, " FROM \"%s\" WHERE \"%s\" > ?1 ORDER BY 1 LIMIT %d",
                          table, info->id_column, BATCH);
  g_string_append_printf (update, " WHERE \"%s\" = ?1", info->id_column);

  rc = sqlite3_prepare_v2 (self->db, select->str, -1, &read, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, update->str, -1, &write, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self->db, rc, table);
      ok = FALSE;
    }

  while (ok)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

      sqlite3_bind_text (read, 1, last_id != NULL ? last_id : "", -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (read)) == SQLITE_ROW)
        {
          GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
          const char *id = (const char *) sqlite3_column_text (read, 0);

          g_ptr_array_add (row, json_node_init_string (json_node_alloc (), id));
          for (guint f = 0; f < fields->len; f++)
            g_ptr_array_add (row, column_to_node (read, (int) f + 1, g_ptr_array_index (fields, f)));
          g_ptr_array_add (rows, row);
        }
      sqlite3_reset (read);

      if (rc != SQLITE_DONE)
        {
          set_db_error (error, self->db, rc, table);
          ok = FALSE;
          break;
        }
      if (rows->len == 0)
        break;

      for (guint r = 0; ok && r < rows->len; r++)
        {
          GPtrArray *row = g_ptr_array_index (rows, r);
          const char *id = json_node_get_string (g_ptr_array_index (row, 0));

          sqlite3_bind_text (write, 1, id, -1, SQLITE_TRANSIENT);
          for (guint f = 0; ok && f < fields->len; f++)
            {
              g_autoptr(JsonNode) value = anonymize_value (self, info->kind, id, g_ptr_array_index (fields, f),
                                                           g_ptr_array_index (row, f + 1), error);

              if (value == NULL)
                ok = FALSE;
              else
                bind_node (write, (int) f + 2, value);
            }
          if (ok && (rc = sqlite3_step (write)) != SQLITE_DONE)
            {
              set_db_error (error, self->db, rc, table);
              ok = FALSE;
            }
          sqlite3_reset (write);
          sqlite3_clear_bindings (write);

          g_free (last_id);
          last_id = g_strdup (id);
        }
    }

  sqlite3_finalize (read);
  sqlite3_finalize (write);

  return ok;
}

/* Rewrites one JSON document of the entity @kind/@id (as the codec wrote
 * it: members named by json_name). A document that cannot be read is
 * dropped rather than kept with what it may hold. */
static gboolean
anonymize_json (Anonymizer  *self,
                const char  *kind,
                const char  *id,
                const char  *text,
                char       **result,
                GError     **error)
{
  const PersonalKind *info = lookup_kind (self, kind);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  *result = NULL;

  if (text == NULL)
    return TRUE;

  if (info == NULL)
    {
      *result = g_strdup (text);
      return TRUE;
    }

  root = rota_json_parse (text, strlen (text), G_MAXSIZE, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;

  object = json_node_get_object (root);
  for (guint f = 0; f < info->klass->n_fields; f++)
    {
      const RotaField *field = &info->klass->fields[f];
      JsonNode *value;

      if (!field_is_personal (field) || !json_object_has_member (object, field->json_name))
        continue;

      value = anonymize_value (self, kind, id, field, json_object_get_member (object, field->json_name), error);
      if (value == NULL)
        return FALSE;
      json_object_set_member (object, field->json_name, value);
    }

  *result = rota_json_to_string (root, NULL);

  return TRUE;
}

/* Rewrites the JSON columns of @table (audit, outbox), whose rows name
 * the entity in @kind_column and @id_column and are keyed by the integer
 * @key_column. Only rows of kinds with personal fields change, so the
 * audit entries of punches and corrections keep the exact text the
 * store's fact check compares the rows with. */
static gboolean
anonymize_json_columns (Anonymizer          *self,
                        const char          *table,
                        const char          *key_column,
                        const char          *kind_column,
                        const char          *id_column,
                        const char * const  *columns,
                        const gboolean      *not_null,
                        GError             **error)
{
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) update = g_string_new (NULL);
  guint n_columns = g_strv_length ((char **) columns);
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *write = NULL;
  gint64 last_key = G_MININT64;
  gboolean ok = TRUE;
  int rc;

  if (!table_exists (self->db, table))
    return TRUE;

  for (guint i = 0; i < self->kinds->len; i++)
    g_string_append_printf (kinds, "%s'%s'", i ? ", " : "", g_array_index (self->kinds, PersonalKind, i).kind);
  if (kinds->len == 0)
    return TRUE;

  g_string_append_printf (select, "SELECT \"%s\", \"%s\", \"%s\"", key_column, kind_column, id_column);
  g_string_append_printf (update, "UPDATE \"%s\" SET ", table);
  for (guint c = 0; c < n_columns; c++)
    {
      g_string_append_printf (select, ", \"%s\"", columns[c]);
      g_string_append_printf (update, "%s\"%s\" = ?%u", c ? ", " : "", columns[c], c + 2);
    }
  g_string_append_printf (select, " FROM \"%s\" WHERE \"%s\" > ?1 AND \"%s\" IN (%s) ORDER BY 1 LIMIT %d",
                          table, key_column, kind_column, kinds->str, BATCH);
  g_string_append_printf (update, " WHERE \"%s\" = ?1", key_column);

  rc = sqlite3_prepare_v2 (self->db, select->str, -1, &read, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, update->str, -1, &write, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self->db, rc, table);
      ok = FALSE;
    }

  while (ok)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

      sqlite3_bind_int64 (read, 1, last_key);
      while ((rc = sqlite3_step (read)) == SQLITE_ROW)
        {
          /* Key, kind, id, then the columns; NULL stays NULL. */
          GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

          for (guint c = 0; c < n_columns + 3; c++)
            g_ptr_array_add (row, g_strdup ((const char *) sqlite3_column_text (read, (int) c)));
          g_ptr_array_add (rows, row);
        }
      sqlite3_reset (read);

      if (rc != SQLITE_DONE)
        {
          set_db_error (error, self->db, rc, table);
          ok = FALSE;
          break;
        }
      if (rows->len == 0)
        break;

      for (guint r = 0; ok && r < rows->len; r++)
        {
          char **row = (char **) ((GPtrArray *) g_ptr_array_index (rows, r))->pdata;

          last_key = g_ascii_strtoll (row[0], NULL, 10);
          sqlite3_bind_int64 (write, 1, last_key);
          for (guint c = 0; ok && c < n_columns; c++)
            {
              char *text = NULL;

              if (!anonymize_json (self, row[1], row[2], row[3 + c], &text, error))
                ok = FALSE;
              else if (text == NULL && not_null[c])
                sqlite3_bind_text (write, (int) c + 2, "{}", -1, SQLITE_STATIC);
              else if (text == NULL)
                sqlite3_bind_null (write, (int) c + 2);
              else
                sqlite3_bind_text (write, (int) c + 2, text, -1, g_free);
            }
          if (ok && (rc = sqlite3_step (write)) != SQLITE_DONE)
            {
              set_db_error (error, self->db, rc, table);
              ok = FALSE;
            }
          sqlite3_reset (write);
          sqlite3_clear_bindings (write);
        }
    }

  sqlite3_finalize (read);
  sqlite3_finalize (write);

  return ok;
}

/* The rewritten entries no longer match their hashes: give the copy a
 * fresh chain from the genesis hash, computed as the store computes it,
 * so that rota_store_verify() checks the copy as it would the original.
 * The copy's chain proves nothing about the original's history: an
 * anonymised copy is for debugging only, never evidence. */
static gboolean
rebuild_audit_chain (Anonymizer  *self,
                     GError     **error)
{
  g_autofree char *prev_hash = g_strdup (ROTA_AUDIT_GENESIS_HASH);
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *write = NULL;
  gint64 last_seq = G_MININT64;
  gboolean ok = TRUE;
  int rc;

  if (!table_exists (self->db, "audit"))
    return TRUE;

  rc = sqlite3_prepare_v2 (self->db, "SELECT seq, at, actor, entity, entity_id, action, before_json, "
                                     "after_json, reason FROM audit WHERE seq > ? ORDER BY seq LIMIT 1000",
                           -1, &read, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
                             -1, &write, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self->db, rc, "Rebuilding the audit chain");
      ok = FALSE;
    }

  while (ok)
    {
      g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);

      sqlite3_bind_int64 (read, 1, last_seq);
      while ((rc = sqlite3_step (read)) == SQLITE_ROW)
        {
          gint64 seq = sqlite3_column_int64 (read, 0);
          char *hash = rota_audit_compute_hash (prev_hash, seq,
                                                sqlite3_column_int64 (read, 1),
                                                (const char *) sqlite3_column_text (read, 2),
                                                (const char *) sqlite3_column_text (read, 3),
                                                (const char *) sqlite3_column_text (read, 4),
                                                (const char *) sqlite3_column_text (read, 5),
                                                (const char *) sqlite3_column_text (read, 6),
                                                (const char *) sqlite3_column_text (read, 7),
                                                (const char *) sqlite3_column_text (read, 8));

          g_array_append_val (seqs, seq);
          g_ptr_array_add (hashes, g_steal_pointer (&prev_hash));
          prev_hash = g_strdup (hash);
          g_ptr_array_add (hashes, hash);
        }
      sqlite3_reset (read);

      if (rc != SQLITE_DONE)
        {
          set_db_error (error, self->db, rc, "Rebuilding the audit chain");
          ok = FALSE;
          break;
        }
      if (seqs->len == 0)
        break;

      for (guint i = 0; ok && i < seqs->len; i++)
        {
          sqlite3_bind_int64 (write, 1, g_array_index (seqs, gint64, i));
          sqlite3_bind_text (write, 2, g_ptr_array_index (hashes, 2 * i), -1, SQLITE_STATIC);
          sqlite3_bind_text (write, 3, g_ptr_array_index (hashes, 2 * i + 1), -1, SQLITE_STATIC);
          if ((rc = sqlite3_step (write)) != SQLITE_DONE)
            {
              set_db_error (error, self->db, rc, "Rebuilding the audit chain");
              ok = FALSE;
            }
          sqlite3_reset (write);
        }
      last_seq = g_array_index (seqs, gint64, seqs->len - 1);
    }

  sqlite3_finalize (read);
  sqlite3_finalize (write);

  return ok;
}

/* The append-only triggers (audit, punches, corrections) would abort the
 * rewrite: their SQL is read from sqlite_schema, they are dropped, and
 * after the rewrite made again from exactly that SQL. */
static GPtrArray *
drop_triggers (sqlite3  *db,
               GError  **error)
{
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (error, db, rc, "Reading the triggers");
      return NULL;
    }

  for (guint i = 0; i < triggers->len; i += 2)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER \"%s\"", (const char *) g_ptr_array_index (triggers, i));

      if (!exec (db, sql, error))
        return NULL;
    }

  return g_steal_pointer (&triggers);
}

static gboolean
recreate_triggers (sqlite3    *db,
                   GPtrArray  *triggers,
                   GError    **error)
{
  for (guint i = 0; i < triggers->len; i += 2)
    if (!exec (db, g_ptr_array_index (triggers, i + 1), error))
      return FALSE;

  return TRUE;
}

static gboolean
anonymize_in_memory (Anonymizer  *self,
                     GError     **error)
{
  static const char * const audit_columns[] = { "before_json", "after_json", NULL };
  static const gboolean audit_not_null[] = { FALSE, FALSE };
  static const char * const outbox_columns[] = { "payload", "server_payload", NULL };
  static const gboolean outbox_not_null[] = { TRUE, FALSE };
  g_autoptr(GPtrArray) triggers = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  triggers = drop_triggers (self->db, error);
  if (triggers == NULL)
    goto failed;

  if (!assign_numbers (self, error))
    goto failed;

  for (guint i = 0; i < self->kinds->len; i++)
    {
      const PersonalKind *info = &g_array_index (self->kinds, PersonalKind, i);
      g_autofree char *pending = g_strconcat (info->kind, "_pending", NULL);

      if (table_exists (self->db, info->kind) && !anonymize_table (self, info, info->kind, error))
        goto failed;
      if (table_exists (self->db, pending) && !anonymize_table (self, info, pending, error))
        goto failed;
    }

  if (!anonymize_json_columns (self, "audit", "seq", "entity", "entity_id",
                               audit_columns, audit_not_null, error) ||
      !anonymize_json_columns (self, "outbox", "seq", "kind", "entity_id",
                               outbox_columns, outbox_not_null, error))
    goto failed;

  /* Stored answers for Idempotency-Key replays are whole response bodies
   * in the API's own shape, names included; a copy needs none of them. */
  if (table_exists (self->db, "server_idempotency") &&
      !exec (self->db, "DELETE FROM server_idempotency", error))
    goto failed;

  /* STAT4 samples hold index keys. */
  if (table_exists (self->db, "sqlite_stat4") && !exec (self->db, "DELETE FROM sqlite_stat4", error))
    goto failed;

  if (!rebuild_audit_chain (self, error))
    goto failed;

  /* Marks the copy, so that rota_server_admin_restore() does not put it
   * in a tenant's place by mistake. */
  rc = sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO server_meta (key, value) VALUES ('"
                                     ROTA_SERVER_ADMIN_ANONYMIZED_KEY "', ?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, stamp, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, rc, "Marking the copy");
      goto failed;
    }

  if (!recreate_triggers (self->db, triggers, error))
    goto failed;

  return exec (self->db, "COMMIT", error);

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/**
 * rota_server_admin_anonymize:
 * @registry: the server's registry
 * @slug: the tenant
 * @dest: the copy to write; must not exist
 * @error: a location for a #GError
 *
 * Writes a copy of the tenant for debugging without personal data
 * (security paper §2.6): every field flagged %ROTA_FIELD_PERSONAL is
 * replaced by a pseudonym made from the entity's id (see above), in the
 * entity tables, their pending twins, and the JSON the audit trail and
 * the outbox keep of entities; stored Idempotency-Key answers are
 * dropped. The audit chain of the copy is rebuilt, so it verifies, but it
 * is a fresh chain: the copy is for debugging only. Its server_meta
 * carries %ROTA_SERVER_ADMIN_ANONYMIZED_KEY.
 *
 * The tenant is copied with the online-backup API into memory, the
 * memory copy is rewritten, and `VACUUM INTO` writes @dest: the original
 * values never reach @dest's disk blocks, not even in free pages or a
 * journal, and the tenant itself is only read. Needs memory for one copy
 * of the tenant.
 *
 * Not covered, since the field tables do not flag them: free text that
 * may name people (audit actor and reason, correction reason_text and
 * author, approval author).
 *
 * Returns: %TRUE on success; on failure @dest is removed
 */
gboolean
rota_server_admin_anonymize (RotaServerRegistry  *registry,
                             const char          *slug,
                             const char          *dest,
                             GError             **error)
{
  g_autoptr(RotaTenant) tenant = NULL;
  g_autofree char *path = NULL;
  Anonymizer self = { NULL, };
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_tenant (registry, slug, &path, error))
    return FALSE;

  /* Opening checks it is a sound tenant, and keeps it open (with its
   * -shm) while the read-only connection copies it. */
  tenant = rota_tenant_sqlite_open (path, FALSE, error);
  if (tenant == NULL)
    return FALSE;

  if (!create_exclusive (dest, error))
    return FALSE;

  rc = sqlite3_open_v2 (":memory:", &self.db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self.db, rc, "Opening a database in memory");
      goto out;
    }

  if (!backup_from_file (path, self.db, error))
    goto out;
  g_clear_object (&tenant);

  if (!table_exists (self.db, SERVER_TABLE))
    {
      g_set_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_NOT_A_TENANT,
                   "%s is not a tenant database", path);
      goto out;
    }

  self.numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.used = g_hash_table_new (g_direct_hash, g_direct_equal);
  find_personal_kinds (&self);

  if (!exec (self.db, "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY", error) ||
      !anonymize_in_memory (&self, error))
    goto out;

  /* A fresh, compact file holding only the rewritten data: no free pages,
   * no journal with the old values. @dest exists (empty, 0600), which
   * VACUUM INTO accepts. */
  rc = sqlite3_prepare_v2 (self.db, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, dest, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self.db, rc, dest);
      goto out;
    }

  ok = check_copy (dest, SERVER_TABLE, error);

out:
  sqlite3_close_v2 (self.db);
  anonymizer_clear (&self);

  if (!ok)
    unlink_database (dest);
  else
    g_info ("Wrote an anonymised copy of the tenant %s to %s", slug, dest);

  return ok;
}
