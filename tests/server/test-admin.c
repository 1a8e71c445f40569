/* test-admin.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "rota-codec.h"
#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-server-admin.h"
#include "rota-store-private.h"
#include "rota-tenant-sqlite.h"

#include "server-harness.h"

#define HOUR (60 * 60)
/* Monday 2026-03-02 00:00 UTC. */
#define T0   G_GINT64_CONSTANT (1772409600)

typedef struct
{
  char               *dir;
  char               *data_dir;
  RotaServerRegistry *registry;
  RotaTenant         *tenant;
} Fixture;

static RotaStore *
store_of (RotaTenant *tenant)
{
  return rota_tenant_sqlite_get_store (ROTA_TENANT_SQLITE (tenant));
}

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
write_one (RotaTenant *tenant,
           RotaEntity *entity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_tenant_begin (tenant, &error));
  g_assert_no_error (error);
  g_assert_true (rota_tenant_write (tenant, entity, FALSE, "admin-test", "testing", &error));
  g_assert_no_error (error);
  g_assert_true (rota_tenant_commit (tenant, &error));
  g_assert_no_error (error);
}

static RotaEmployee *
first_employee (RotaTenant *tenant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) employees = rota_store_list_entities (store_of (tenant), ROTA_TYPE_EMPLOYEE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (employees->len, ==, 12);

  return g_object_ref (g_ptr_array_index (employees, 0));
}

static RotaShift *
make_shift (RotaTenant *tenant,
            const char *id,
            const char *note)
{
  g_autoptr(RotaEmployee) employee = first_employee (tenant);
  RotaShift *shift = g_object_new (ROTA_TYPE_SHIFT, NULL);

  shift->id = g_strdup (id);
  shift->department_id = g_strdup (employee->department_ids[0]);
  shift->employee_id = g_strdup (employee->id);
  shift->start = T0 + 30 * 24 * HOUR;
  shift->end = shift->start + 8 * HOUR;
  shift->note = g_strdup (note);

  return shift;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(RotaEmployee) employee = NULL;
  g_autoptr(RotaShift) shift = NULL;
  g_autoptr(RotaAbsence) absence = NULL;
  RotaDemoOptions options;

  fixture->dir = g_dir_make_tmp ("rota-admin-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->dir, "data", NULL);

  fixture->registry = rota_server_registry_open (fixture->data_dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (rota_server_registry_add_tenant (fixture->registry, "acme", &error));
  g_assert_no_error (error);

  path = rota_server_registry_tenant_path (fixture->registry, "acme");
  fixture->tenant = rota_tenant_sqlite_open (path, TRUE, &error);
  g_assert_no_error (error);

  rota_demo_options_init (&options, T0);
  options.n_employees = 12;
  g_assert_true (rota_demo_fill_store (store_of (fixture->tenant), &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rota_tenant_sqlite_index_existing (ROTA_TENANT_SQLITE (fixture->tenant), &error));
  g_assert_no_error (error);

  /* Audit entries whose JSON holds personal data: an employee's new
   * e-mail address (before and after hold the names and badges), a shift
   * and an absence with notes. */
  employee = first_employee (fixture->tenant);
  g_free (employee->email);
  employee->email = g_strdup ("anna.private@mailbox.example");
  write_one (fixture->tenant, ROTA_ENTITY (employee));

  shift = make_shift (fixture->tenant, "admin-shift-1", "Note about Jansen's knee");
  write_one (fixture->tenant, ROTA_ENTITY (shift));

  absence = g_object_new (ROTA_TYPE_ABSENCE, NULL);
  absence->id = g_strdup ("admin-absence-1");
  absence->employee_id = g_strdup (employee->id);
  absence->kind = ROTA_ABSENCE_KIND_SICK;
  absence->start_date = g_strdup ("2026-03-10");
  absence->note = g_strdup ("Diagnosis: private");
  write_one (fixture->tenant, ROTA_ENTITY (absence));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->tenant);
  g_clear_object (&fixture->registry);
  if (g_getenv ("ROTA_TEST_KEEP") == NULL)
    harness_remove_tree (fixture->dir);
  g_free (fixture->data_dir);
  g_free (fixture->dir);
}

static RotaTenant *
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rota_server_registry_tenant_path (fixture->registry, "acme");
  RotaTenant *tenant = rota_tenant_sqlite_open (path, FALSE, &error);

  g_assert_no_error (error);
  return tenant;
}

static GHashTable *
hashes_of_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);
  GHashTable *hashes;

  g_assert_no_error (error);
  hashes = rota_store_table_hashes (store, &error);
  g_assert_no_error (error);

  return hashes;
}

static void
assert_hashes_equal (GHashTable *a,
                     GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_test_message ("table %s", (const char *) key);
      g_assert_cmpstr (value, ==, g_hash_table_lookup (b, key));
    }
}

static gboolean
hashes_equal (GHashTable *a,
              GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;

  return TRUE;
}

static void
test_backup_restore (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = path_in (fixture, "acme.backup");
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GHashTable) of_backup = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(RotaShift) shift = NULL;
  GStatBuf st;

  before = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);

  g_assert_true (rota_server_admin_backup (fixture->registry, "acme", backup, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The destination must not exist. */
  g_assert_false (rota_server_admin_backup (fixture->registry, "acme", backup, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A change after the backup. */
  shift = make_shift (fixture->tenant, "admin-shift-after-backup", NULL);
  write_one (fixture->tenant, ROTA_ENTITY (shift));
  changed = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);
  g_assert_false (hashes_equal (before, changed));

  /* Restore refuses while the tenant is open (rota-server serving it). */
  g_assert_false (rota_server_admin_restore (fixture->registry, "acme", backup, FALSE, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_BUSY);
  g_clear_error (&error);

  g_clear_object (&fixture->tenant);
  g_assert_true (rota_server_admin_restore (fixture->registry, "acme", backup, FALSE, &error));
  g_assert_no_error (error);

  fixture->tenant = reopen (fixture);
  after = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);
  assert_hashes_equal (before, after);

  g_clear_object (&fixture->tenant);
  of_backup = hashes_of_file (backup);
  assert_hashes_equal (of_backup, after);
}

static void
test_restore_refuses (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client = path_in (fixture, "client.sqlite");
  g_autofree char *backup = path_in (fixture, "acme.backup");
  g_autofree char *elsewhere = path_in (fixture, "nope.backup");
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *problem = NULL;

  {
    g_autoptr(RotaStore) store = rota_store_open (client, ROTA_STORE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (store);
  }

  before = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->tenant);

  /* A desktop store is a Rota store, but no tenant backup. */
  g_assert_false (rota_server_admin_restore (fixture->registry, "acme", client, TRUE, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_NOT_A_TENANT);
  g_clear_error (&error);

  fixture->tenant = reopen (fixture);
  after = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);
  assert_hashes_equal (before, after);

  /* Unknown tenants, for every command. */
  g_assert_true (rota_server_admin_backup (fixture->registry, "acme", backup, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->tenant);
  g_assert_false (rota_server_admin_restore (fixture->registry, "nope", backup, FALSE, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT);
  g_clear_error (&error);
  g_assert_false (rota_server_admin_backup (fixture->registry, "nope", elsewhere, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT);
  g_clear_error (&error);
  g_assert_false (g_file_test (elsewhere, G_FILE_TEST_EXISTS));
  g_assert_false (rota_server_admin_anonymize (fixture->registry, "nope", elsewhere, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT);
  g_clear_error (&error);
  g_assert_false (rota_server_admin_verify (fixture->registry, "nope", &problem, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT);
  g_clear_error (&error);
  g_assert_false (rota_server_admin_restore (fixture->registry, "../acme", backup, FALSE, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT);
  g_clear_error (&error);

  /* No backup there at all. */
  g_assert_false (rota_server_admin_restore (fixture->registry, "acme", elsewhere, FALSE, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
}

static char *
sha256_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
test_backup_all (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = path_in (fixture, "daily");
  g_autofree char *manifest_path = g_build_filename (dest, "MANIFEST", NULL);
  g_autofree char *manifest = NULL;
  g_autoptr(GHashTable) live = NULL;
  g_autoptr(GHashTable) saved = NULL;
  const char * const files[] = { "registry.sqlite", "tenants/acme.sqlite", "tenants/beta.sqlite" };
  g_autoptr(GString) lines = g_string_new (NULL);

  /* A second tenant whose file nobody has opened yet. */
  g_assert_true (rota_server_registry_add_tenant (fixture->registry, "beta", &error));
  g_assert_no_error (error);

  live = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);

  /* While acme is open, as it is when rota-server serves it. */
  g_assert_true (rota_server_admin_backup_all (fixture->registry, dest, &error));
  g_assert_no_error (error);

  assert_mode (dest, 0700);
  {
    g_autofree char *tenants = g_build_filename (dest, "tenants", NULL);

    assert_mode (tenants, 0700);
  }
  assert_mode (manifest_path, 0600);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dest, files[i], NULL);
      g_autofree char *sum = NULL;

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      assert_mode (path, 0600);
      sum = sha256_of (path);
      g_string_append_printf (lines, "%s  %s\n", sum, files[i]);
    }

  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (manifest, ==, lines->str);

  /* The registry copy is a database with both tenants. */
  {
    g_autofree char *path = g_build_filename (dest, "registry.sqlite", NULL);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM tenants", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "delete");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* The tenant's copy holds what the tenant holds. */
  {
    g_autofree char *path = g_build_filename (dest, "tenants/acme.sqlite", NULL);

    saved = hashes_of_file (path);
    assert_hashes_equal (live, saved);
  }

  /* Never into an existing folder. */
  g_assert_false (rota_server_admin_backup_all (fixture->registry, dest, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_EXISTS);
  g_clear_error (&error);
}

static gboolean
file_contains (const char *contents,
               gsize       length,
               const char *needle)
{
  gsize n = needle != NULL ? strlen (needle) : 0;

  if (n == 0 || n > length)
    return FALSE;
  for (gsize i = 0; i + n <= length; i++)
    if (contents[i] == needle[0] && memcmp (contents + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return result;
}

static char *
triggers_of (const char *path)
{
  sqlite3 *db = NULL;
  char *result;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  result = query_text (db, "SELECT group_concat (name || ':' || sql, char (10)) FROM "
                           "(SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)");
  sqlite3_close (db);

  return result;
}

static void
test_anonymize (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = path_in (fixture, "acme-anon.sqlite");
  g_autofree char *backup = path_in (fixture, "acme.backup");
  g_autofree char *contents = NULL;
  g_autofree char *backup_contents = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *original_triggers = NULL;
  g_autofree char *copy_triggers = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GHashTable) copy_counts = NULL;
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GPtrArray) originals = NULL;
  g_autoptr(GPtrArray) anonymised = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gsize length, backup_length;
  guint checked_audit = 0;

  originals = rota_store_list_entities (store_of (fixture->tenant), ROTA_TYPE_EMPLOYEE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (originals->len, ==, 12);
  before = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);
  counts = rota_store_table_counts (store_of (fixture->tenant), &error);
  g_assert_no_error (error);

  g_assert_true (rota_server_admin_anonymize (fixture->registry, "acme", copy, &error));
  g_assert_no_error (error);
  assert_mode (copy, 0600);
  {
    g_autofree char *journal = g_strconcat (copy, "-journal", NULL);
    g_autofree char *wal = g_strconcat (copy, "-wal", NULL);

    g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }

  /* The original is unchanged, and still verifies. */
  after = rota_store_table_hashes (store_of (fixture->tenant), &error);
  g_assert_no_error (error);
  assert_hashes_equal (before, after);
  g_assert_true (rota_server_admin_verify (fixture->registry, "acme", &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);

  /* Not one original name, address or badge anywhere in the copy's
   * bytes, free pages included; the same scan finds them in a backup. */
  g_assert_true (rota_server_admin_backup (fixture->registry, "acme", backup, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (copy, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (backup, &backup_contents, &backup_length, &error));
  g_assert_no_error (error);
  /* A real database, not an empty file that would pass any scan. */
  g_assert_cmpuint (length, >, 64 * 1024);
  g_assert_true (file_contains (contents, length, "SQLite format 3"));
  g_assert_true (file_contains (contents, length, "Nachname "));
  g_assert_true (file_contains (contents, length, "@example.invalid"));

  for (guint i = 0; i < originals->len; i++)
    {
      RotaEmployee *e = g_ptr_array_index (originals, i);
      const char *values[8] = { e->first_name, e->last_name, e->email, e->kiosk_pin_hash, NULL, };
      guint n = 4;

      /* The demo gives everyone a PIN (rota-demo.c), so the copy's
       * missing hashes are the anonymiser's doing. */
      g_assert_nonnull (e->kiosk_pin_hash);
      for (guint c = 0; e->card_numbers != NULL && e->card_numbers[c] != NULL && n < 7; c++)
        values[n++] = e->card_numbers[c];

      for (guint v = 0; v < n; v++)
        {
          if (values[v] == NULL)
            continue;
          g_test_message ("looking for %s", values[v]);
          g_assert_true (file_contains (backup_contents, backup_length, values[v]));
          g_assert_false (file_contains (contents, length, values[v]));
        }
    }
  g_assert_true (file_contains (backup_contents, backup_length, "anna.private@mailbox.example"));
  g_assert_false (file_contains (contents, length, "anna.private@mailbox.example"));
  g_assert_false (file_contains (contents, length, "Jansen's knee"));
  g_assert_false (file_contains (contents, length, "Diagnosis: private"));

  /* The append-only triggers are back, exactly as they were. */
  original_triggers = triggers_of (backup);
  copy_triggers = triggers_of (copy);
  g_assert_nonnull (strstr (original_triggers, "audit_no_update"));
  g_assert_cmpstr (copy_triggers, ==, original_triggers);

  /* The copy verifies: a fresh audit chain, the change feed intact. */
  {
    g_autoptr(RotaTenant) tenant = rota_tenant_sqlite_open (copy, FALSE, &error);
    g_autofree char *copy_problem = NULL;

    g_assert_no_error (error);
    g_assert_true (rota_tenant_verify (tenant, &copy_problem, &error));
    g_assert_no_error (error);
    g_assert_null (copy_problem);

    store = g_object_ref (store_of (tenant));
  }
  g_assert_true (rota_store_verify (store, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);

  /* The same rows. */
  copy_counts = rota_store_table_counts (store, &error);
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_equal (key, "server_meta") || g_str_equal (key, "server_idempotency"))
        continue;
      g_test_message ("rows of %s", (const char *) key);
      g_assert_cmpint (*(gint64 *) value, ==, *(gint64 *) g_hash_table_lookup (copy_counts, key));
    }
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "audit"), ==, 3);

  /* Pseudonyms: one number per person, the same in every field, and
   * different people differ; birth years kept; no PINs. */
  anonymised = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (anonymised->len, ==, originals->len);
  for (guint i = 0; i < anonymised->len; i++)
    {
      RotaEmployee *a = g_ptr_array_index (anonymised, i);
      RotaEmployee *o = NULL;
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      g_autofree char *email = NULL;
      guint number = 0;

      for (guint j = 0; j < originals->len; j++)
        if (g_str_equal (((RotaEmployee *) g_ptr_array_index (originals, j))->id, a->id))
          o = g_ptr_array_index (originals, j);
      g_assert_nonnull (o);

      g_assert_true (g_str_has_prefix (a->first_name, "Person "));
      number = (guint) g_ascii_strtoull (a->first_name + strlen ("Person "), NULL, 10);
      g_assert_cmpuint (number, >, 0);
      g_assert_false (g_hash_table_contains (numbers, GUINT_TO_POINTER (number)));
      g_hash_table_add (numbers, GUINT_TO_POINTER (number));

      first = g_strdup_printf ("Person %u", number);
      last = g_strdup_printf ("Nachname %u", number);
      email = g_strdup_printf ("person-%u@example.invalid", number);
      g_assert_cmpstr (a->first_name, ==, first);
      g_assert_cmpstr (a->last_name, ==, last);
      if (o->email != NULL)
        g_assert_cmpstr (a->email, ==, email);
      g_assert_null (a->last_name_prefix);
      g_assert_null (a->kiosk_pin_hash);

      g_assert_cmpuint (g_strv_length (a->card_numbers), ==, g_strv_length (o->card_numbers));
      for (guint c = 0; a->card_numbers[c] != NULL; c++)
        {
          g_autofree char *fake = g_strdup_printf ("X%06u%02u", number, c);

          g_assert_cmpstr (a->card_numbers[c], ==, fake);
        }

      if (o->date_of_birth != NULL)
        {
          g_autofree char *year = g_strdup_printf ("%.4s-01-01", o->date_of_birth);

          g_assert_cmpstr (a->date_of_birth, ==, year);
        }
      else
        {
          g_assert_null (a->date_of_birth);
        }

      /* Everything else as it was. */
      g_assert_cmpstr (a->personnel_number, ==, o->personnel_number);
      g_assert_cmpint (a->version, ==, o->version);
      g_assert_cmpint (a->hourly_wage_cents, ==, o->hourly_wage_cents);
    }

  /* The audit trail's JSON names the same pseudonyms. */
  audit = rota_store_list_audit (store, "employee", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      RotaAuditEntry *entry = g_ptr_array_index (audit, i);
      const char *docs[2] = { entry->before_json, entry->after_json };

      for (guint d = 0; d < 2; d++)
        {
          g_autoptr(RotaEntity) decoded = NULL;
          RotaEmployee *a = NULL;

          if (docs[d] == NULL)
            continue;
          decoded = rota_codec_decode_string (ROTA_TYPE_EMPLOYEE, docs[d], strlen (docs[d]), &error);
          g_assert_no_error (error);
          for (guint j = 0; j < anonymised->len; j++)
            if (g_str_equal (((RotaEmployee *) g_ptr_array_index (anonymised, j))->id, entry->entity_id))
              a = g_ptr_array_index (anonymised, j);
          g_assert_nonnull (a);
          g_assert_cmpstr (ROTA_EMPLOYEE (decoded)->first_name, ==, a->first_name);
          g_assert_cmpstr (ROTA_EMPLOYEE (decoded)->last_name, ==, a->last_name);
          g_assert_cmpstr (ROTA_EMPLOYEE (decoded)->email, ==, a->email);
          checked_audit++;
        }
    }
  g_assert_cmpuint (checked_audit, ==, 2);

  /* Notes are gone. */
  {
    sqlite3 *db = _rota_store_get_db (store);
    g_autofree char *notes = query_text (db, "SELECT (SELECT count(*) FROM shift WHERE note IS NOT NULL) + "
                                             "(SELECT count(*) FROM absence WHERE note IS NOT NULL)");
    g_autofree char *marked = query_text (db, "SELECT value FROM server_meta WHERE key = '"
                                              ROTA_SERVER_ADMIN_ANONYMIZED_KEY "'");

    g_assert_cmpstr (notes, ==, "0");
    g_assert_nonnull (marked);
  }
  g_clear_object (&store);

  /* An anonymised copy is not put in a tenant's place by mistake. */
  g_clear_object (&fixture->tenant);
  g_assert_false (rota_server_admin_restore (fixture->registry, "acme", copy, FALSE, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_ANONYMIZED);
  g_clear_error (&error);

  /* The destination must not exist, and a failure leaves nothing. */
  g_assert_false (rota_server_admin_anonymize (fixture->registry, "acme", copy, &error));
  g_assert_error (error, ROTA_SERVER_ADMIN_ERROR, ROTA_SERVER_ADMIN_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
}

static void
test_verify_tampered (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = path_in (fixture, "acme.backup");
  g_autofree char *problem = NULL;
  g_autofree char *direct_problem = NULL;
  sqlite3 *db = NULL;

  g_assert_true (rota_server_admin_verify (fixture->registry, "acme", &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);

  g_assert_true (rota_server_admin_backup (fixture->registry, "acme", backup, &error));
  g_assert_no_error (error);

  /* Someone with the file rewrites an audit entry: the trigger stops a
   * plain UPDATE, so they drop it first. */
  g_assert_cmpint (sqlite3_open_v2 (backup, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET reason = 'nothing happened' WHERE seq = 2",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update; "
                                     "UPDATE audit SET reason = 'nothing happened' WHERE seq = 2",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  /* Opened directly. */
  {
    g_autoptr(RotaStore) store = rota_store_open (backup, ROTA_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (rota_store_verify (store, &direct_problem, &error));
    g_assert_no_error (error);
    g_assert_nonnull (direct_problem);
    g_assert_nonnull (strstr (direct_problem, "entry 2"));
  }

  /* Restored into the tenant, rota-server verify names the entry. */
  g_clear_object (&fixture->tenant);
  g_assert_true (rota_server_admin_restore (fixture->registry, "acme", backup, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (rota_server_admin_verify (fixture->registry, "acme", &problem, &error));
  g_assert_no_error (error);
  g_assert_nonnull (problem);
  g_test_message ("verify: %s", problem);
  g_assert_nonnull (strstr (problem, "entry 2"));
  g_assert_nonnull (strstr (problem, "changed"));
}

/* The office's version, read afresh from the tenant's file. */
static RotaOffice *
read_office (Fixture    *fixture,
             const char *office_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaTenant) tenant = reopen (fixture);
  RotaEntity *office = rota_tenant_get (tenant, ROTA_TYPE_OFFICE, office_id, NULL, &error);

  g_assert_no_error (error);

  return ROTA_OFFICE (office);
}

/* `rota-server office list` and `office set`, run as an admin runs them:
 * a change is a new version of the office in the audit chain and the
 * change feed; each malformed command exits non-zero and changes nothing. */
static void
test_office_policy (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *server = harness_server_binary ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaOffice) before = NULL;
  g_autoptr(RotaOffice) after = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *set = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *problem = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 revision = 0;
  gboolean has_more = FALSE;
  static const struct { const char *option; const char *value; int status; const char *says; } malformed[] = {
    { "--rounding", "7", 1, "punchRoundingMinutes" },
    { "--rounding=-15", NULL, 2, "--rounding takes" },
    { "--grace=-1", NULL, 2, "--grace takes" },
    { "--rounding-mode", "sideways", 1, "punchRoundingMode" },
    { "--rounding-mode", "none", 1, "punchRoundingMode" },
    { "--grace", "500", 1, "punchGraceMinutes" },
    { "--early-from-plan", "maybe", 2, "on" },
    { "--grace", "ten", 2, "ten" },
  };

  g_clear_object (&fixture->tenant);
  listed = harness_run (0, NULL, server, "--data-dir", fixture->data_dir, "office", "list", "acme", NULL);
  g_test_message ("%s", listed);
  lines = g_strsplit (g_strstrip (listed), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 1);
  office_id = g_strndup (lines[0], strcspn (lines[0], "\t"));
  g_assert_nonnull (strstr (lines[0], "grace 5 min\trounding off\tearly from plan off"));
  before = read_office (fixture, office_id);
  {
    g_autoptr(RotaTenant) tenant = reopen (fixture);

    revision = rota_tenant_get_revision (tenant);
  }

  /* Malformed: refused, the office as it was. */
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out = harness_run (malformed[i].status, &err, server, "--data-dir", fixture->data_dir,
                                          "office", "set", "acme", office_id, malformed[i].option, malformed[i].value,
                                          NULL);
      g_autoptr(RotaOffice) unchanged = read_office (fixture, office_id);

      g_assert_nonnull (strstr (err, malformed[i].says));
      g_assert_cmpint (rota_entity_get_version (ROTA_ENTITY (unchanged)), ==, rota_entity_get_version (ROTA_ENTITY (before)));
    }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = harness_run (1, &err, server, "--data-dir", fixture->data_dir,
                                        "office", "set", "acme", "no-such-office", "--grace", "3", NULL);

    g_assert_nonnull (strstr (err, "no-such-office"));
    g_assert_nonnull (strstr (err, "office list acme"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    out = harness_run (2, &err, server, "--data-dir", fixture->data_dir, "office", "set", "acme", office_id, NULL);
    g_assert_nonnull (strstr (err, "Say what to change"));
  }

  /* A change: printed, a new version, audited, in the feed. */
  set = harness_run (0, NULL, server, "--data-dir", fixture->data_dir, "office", "set", "acme", office_id,
                     "--grace", "10", "--rounding", "15", "--rounding-mode", "nearest", "--early-from-plan", "on", NULL);
  g_assert_nonnull (strstr (set, "grace 10 min\trounding 15 min nearest\tearly from plan on"));
  after = read_office (fixture, office_id);
  g_assert_cmpint (rota_entity_get_version (ROTA_ENTITY (after)), ==, rota_entity_get_version (ROTA_ENTITY (before)) + 1);
  g_assert_cmpint (rota_office_get_punch_grace_minutes (after), ==, 10);
  g_assert_cmpint (rota_office_get_punch_rounding_minutes (after), ==, 15);
  g_assert_cmpint (rota_office_get_punch_rounding_mode (after), ==, ROTA_PUNCH_ROUNDING_NEAREST);
  g_assert_true (rota_office_get_punch_early_from_plan (after));
  g_assert_cmpstr (rota_office_get_name (after), ==, rota_office_get_name (before));

  fixture->tenant = reopen (fixture);
  audit = rota_store_list_audit (store_of (fixture->tenant), "office", office_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, >=, 1);
  {
    RotaAuditEntry *last = g_ptr_array_index (audit, audit->len - 1);

    g_assert_cmpstr (last->actor, ==, "admin");
    g_assert_nonnull (strstr (last->after_json, "\"punchRoundingMode\":\"nearest\""));
  }
  changes = rota_tenant_changes (fixture->tenant, revision, 100, NULL, &revision, &has_more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);

  /* Changing one thing keeps the others. */
  g_clear_pointer (&set, g_free);
  set = harness_run (0, NULL, server, "--data-dir", fixture->data_dir, "office", "set", "acme", office_id,
                     "--early-from-plan", "off", NULL);
  g_assert_nonnull (strstr (set, "grace 10 min\trounding 15 min nearest\tearly from plan off"));

  g_assert_true (rota_server_admin_verify (fixture->registry, "acme", &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/server/admin/backup-restore", test_backup_restore);
  ADD ("/server/admin/restore-refuses", test_restore_refuses);
  ADD ("/server/admin/backup-all", test_backup_all);
  ADD ("/server/admin/anonymize", test_anonymize);
  ADD ("/server/admin/verify-tampered", test_verify_tampered);
  ADD ("/server/admin/office-policy", test_office_policy);

#undef ADD

  return g_test_run ();
}
