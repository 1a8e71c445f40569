/* test-registry.c
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
#include <unistd.h>

#include "rota-server-registry.h"

#include "server-harness.h"

#define N_AUTH_THREADS 4
#define N_AUTH_ROUNDS  1000

typedef struct
{
  char               *dir;
  char               *data_dir;
  RotaServerRegistry *registry;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rota-registry-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->dir, "srv", "rota", NULL);
  fixture->registry = rota_server_registry_open (fixture->data_dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->registry);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->registry);
  harness_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->data_dir);
}

static void
add_tenant (RotaServerRegistry *registry,
            const char         *slug)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_server_registry_add_tenant (registry, slug, &error));
  g_assert_no_error (error);
}

static char *
add_token (RotaServerRegistry  *registry,
           const char          *tenant,
           const char          *name,
           RotaScopes           scopes,
           char               **token_id)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = rota_server_registry_add_token (registry, tenant, name, scopes, token_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (secret);

  return secret;
}

static void
assert_mode (const char *path,
             guint       expected)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("%s: %o", path, st.st_mode & 0777);
  g_assert_cmpuint (st.st_mode & 0777, ==, expected);
}

/* The first row's @column, read through a connection of the test's own. */
static char *
query_column (const char *path,
              const char *sql,
              int         column)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, column));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static char *
query_text (const char *path,
            const char *sql)
{
  return query_column (path, sql, 0);
}

static void
run_sql (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gboolean
is_uuid4 (const char *text)
{
  if (text == NULL || strlen (text) != 36 || !g_uuid_string_is_valid (text))
    return FALSE;

  /* Lowercase hex, version 4, RFC 4122 variant. */
  for (const char *p = text; *p; p++)
    if (g_ascii_isupper (*p))
      return FALSE;

  return text[14] == '4' && strchr ("89ab", text[19]) != NULL;
}

/* Whether @needle occurs anywhere in the bytes of the file @path. */
static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize needle_length = strlen (needle);
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  for (gsize i = 0; i + needle_length <= length; i++)
    if (contents[i] == needle[0] && memcmp (contents + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Tests */

static void
test_registry_create_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-registry-XXXXXX", &error);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "registry.sqlite", NULL);
  g_autofree char *tenants = g_build_filename (data_dir, "tenants", NULL);
  g_autofree char *value = NULL;
  g_autofree char *property = NULL;
  g_auto(GStrv) slugs = NULL;
  g_autofree char *cwd = g_get_current_dir ();

  /* Opening without create makes nothing. */
  registry = rota_server_registry_open (data_dir, FALSE, &error);
  g_assert_null (registry);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  registry = rota_server_registry_open (data_dir, FALSE, &error);
  g_assert_null (registry);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_assert_cmpint (g_rmdir (data_dir), ==, 0);

  registry = rota_server_registry_open (data_dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (registry);
  g_assert_cmpstr (rota_server_registry_get_data_dir (registry), ==, data_dir);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (tenants, G_FILE_TEST_IS_DIR));
  add_tenant (registry, "grand-cafe");
  g_clear_object (&registry);

  /* What other connections can see of the file. */
  value = query_text (db_path, "PRAGMA journal_mode");
  g_assert_cmpstr (value, ==, "wal");
  g_clear_pointer (&value, g_free);
  value = query_text (db_path, "PRAGMA user_version");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);
  value = query_text (db_path, "PRAGMA application_id");
  g_assert_cmpstr (value, ==, "1380930643");
  g_clear_pointer (&value, g_free);
  value = query_text (db_path, "SELECT group_concat (name, ' ') FROM "
                               "(SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)");
  g_assert_cmpstr (value, ==, "tenants tokens");
  g_clear_pointer (&value, g_free);
  /* Tokens are looked up by their hash through a unique index. */
  value = query_text (db_path, "SELECT count(*) FROM pragma_index_list ('tokens') AS l "
                               "WHERE l.\"unique\" AND (SELECT group_concat (name) "
                               "FROM pragma_index_info (l.name)) = 'hash'");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);
  value = query_column (db_path, "EXPLAIN QUERY PLAN SELECT tenant FROM tokens "
                                 "WHERE hash = 'x' AND revoked_at IS NULL", 3);
  g_test_message ("plan: %s", value);
  g_assert_nonnull (strstr (value, "USING INDEX"));
  g_clear_pointer (&value, g_free);

  /* Opened again, without create, with what it held; a relative path is
   * made absolute. */
  g_assert_cmpint (g_chdir (dir), ==, 0);
  registry = rota_server_registry_open ("data", FALSE, &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpstr (rota_server_registry_get_data_dir (registry), ==, data_dir);
  slugs = rota_server_registry_list_tenants (registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (slugs), ==, 1);
  g_assert_cmpstr (slugs[0], ==, "grand-cafe");
  g_object_get (registry, "data-dir", &property, NULL);
  g_assert_cmpstr (property, ==, data_dir);
  g_clear_object (&registry);

  /* Opening with create an existing registry keeps it. */
  registry = rota_server_registry_open (data_dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (rota_server_registry_has_tenant (registry, "grand-cafe"));
  g_clear_object (&registry);

  harness_remove_tree (dir);
}

static void
test_registry_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-registry-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "registry.sqlite", NULL);
  g_autofree char *target = g_build_filename (dir, "elsewhere.sqlite", NULL);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

  /* The data folder is a file. */
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  registry = rota_server_registry_open (file, TRUE, &error);
  g_assert_null (registry);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Not a database. */
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (db_path,
                                           "Not a database, but some text that is long enough to "
                                           "look like a header, and then some more text to be sure.",
                                           -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  registry = rota_server_registry_open (data_dir, FALSE, &error);
  g_assert_null (registry);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_unlink (db_path);

  /* Someone else's database, and a Rota store, are not touched. */
  run_sql (db_path, "CREATE TABLE t (x); PRAGMA application_id = 1380930625;");
  registry = rota_server_registry_open (data_dir, TRUE, &error);
  g_assert_null (registry);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_unlink (db_path);

  run_sql (db_path, "CREATE TABLE t (x);");
  registry = rota_server_registry_open (data_dir, TRUE, &error);
  g_assert_null (registry);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED);
  g_clear_error (&error);
  g_unlink (db_path);

  /* A registry of a newer server. */
  registry = rota_server_registry_open (data_dir, TRUE, &error);
  g_assert_no_error (error);
  g_clear_object (&registry);
  run_sql (db_path, "PRAGMA user_version = 2;");
  registry = rota_server_registry_open (data_dir, FALSE, &error);
  g_assert_null (registry);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_unlink (db_path);
  g_unlink (wal);
  g_unlink (shm);

  /* A symbolic link in place of the file is not followed. */
  g_assert_true (g_file_set_contents (target, "", 0, NULL));
  g_assert_cmpint (symlink (target, db_path), ==, 0);
  registry = rota_server_registry_open (data_dir, TRUE, &error);
  g_assert_null (registry);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  harness_remove_tree (dir);
}

static void
check_modes_with_umask (mode_t mask)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-registry-XXXXXX", &error);
  g_autofree char *parent = g_build_filename (dir, "var", "lib", NULL);
  g_autofree char *data_dir = g_build_filename (parent, "rota", NULL);
  g_autofree char *tenants = g_build_filename (data_dir, "tenants", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "registry.sqlite", NULL);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_autofree char *secret = NULL;
  mode_t old = umask (mask);

  g_test_message ("umask %03o", (guint) mask);

  registry = rota_server_registry_open (data_dir, TRUE, &error);
  g_assert_no_error (error);
  add_tenant (registry, "grand-cafe");
  secret = add_token (registry, "grand-cafe", "kiosk", ROTA_SCOPE_CLOCK, NULL);

  assert_mode (data_dir, 0700);
  assert_mode (tenants, 0700);
  assert_mode (db_path, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);

  /* Made private again when someone loosened them. */
  g_clear_object (&registry);
  g_assert_cmpint (g_chmod (data_dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (tenants, 0750), ==, 0);
  g_assert_cmpint (g_chmod (db_path, 0644), ==, 0);
  registry = rota_server_registry_open (data_dir, FALSE, &error);
  g_assert_no_error (error);
  assert_mode (data_dir, 0700);
  assert_mode (tenants, 0700);
  assert_mode (db_path, 0600);

  /* A missing tenants folder is made again, private. */
  g_clear_object (&registry);
  g_assert_cmpint (g_rmdir (tenants), ==, 0);
  registry = rota_server_registry_open (data_dir, FALSE, &error);
  g_assert_no_error (error);
  assert_mode (tenants, 0700);

  umask (old);
  g_clear_object (&registry);
  harness_remove_tree (dir);
}

static void
test_registry_modes (void)
{
  check_modes_with_umask (022);
  check_modes_with_umask (0);
  check_modes_with_umask (077);
}

static void
test_registry_slugs (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *slug;
    gboolean    valid;
  } cases[] = {
    { "grand-cafe", TRUE },
    { "ab", TRUE },
    { "a1", TRUE },
    { "0-9", TRUE },
    { "9lives", TRUE },
    { "cafe-", TRUE },
    { "x--y", TRUE },
    { "apis", TRUE },
    { "administration", TRUE },
    { "healthy", TRUE },
    { "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz0", FALSE },  /* 64 */
    { "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz", TRUE },    /* 63 */
    { "", FALSE },
    { "a", FALSE },
    { "-x", FALSE },
    { "-", FALSE },
    { "A", FALSE },
    { "Grand-cafe", FALSE },
    { "x_y", FALSE },
    { "x.y", FALSE },
    { "x y", FALSE },
    { " xy", FALSE },
    { "xy\n", FALSE },
    { "x/y", FALSE },
    { "..", FALSE },
    { "../etc", FALSE },
    { "api", FALSE },
    { "admin", FALSE },
    { "health", FALSE },
    { "café", FALSE },
    { "ｇｒａｎｄ", FALSE },
    { "grand\xc2\xa0" "cafe", FALSE },
    { "\xff\xfe", FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) slugs = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = rota_server_registry_tenant_path (fixture->registry, cases[i].slug);
      gboolean added;

      g_autofree char *escaped = g_strescape (cases[i].slug, NULL);

      g_test_message ("slug “%s”: %s", escaped, cases[i].valid ? "valid" : "invalid");
      g_assert_false (rota_server_registry_has_tenant (fixture->registry, cases[i].slug));

      added = rota_server_registry_add_tenant (fixture->registry, cases[i].slug, &error);
      g_assert_cmpint (added, ==, cases[i].valid);
      if (cases[i].valid)
        {
          g_autofree char *file_name = g_strconcat (cases[i].slug, ".sqlite", NULL);
          g_autofree char *expected_path = g_build_filename (fixture->data_dir, "tenants", file_name, NULL);

          g_assert_no_error (error);
          g_assert_true (rota_server_registry_has_tenant (fixture->registry, cases[i].slug));
          g_assert_cmpstr (path, ==, expected_path);
          /* Only named: the tenant's own code makes the file. */
          g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
          g_ptr_array_add (expected, (gpointer) cases[i].slug);
        }
      else
        {
          g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID);
          g_assert_false (rota_server_registry_has_tenant (fixture->registry, cases[i].slug));
          g_assert_null (path);
          g_clear_error (&error);
        }
    }

  /* Adding one twice. */
  g_assert_false (rota_server_registry_add_tenant (fixture->registry, "grand-cafe", &error));
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (rota_server_registry_has_tenant (fixture->registry, NULL));
  g_assert_false (rota_server_registry_has_tenant (fixture->registry, "unknown"));

  /* Listed in alphabetical order. */
  g_ptr_array_sort (expected, compare_strings);
  slugs = rota_server_registry_list_tenants (fixture->registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (slugs), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (slugs[i], ==, g_ptr_array_index (expected, i));
}

static void
test_registry_token_round_trip (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *name = NULL;
  g_autofree char *found_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *db_path = g_build_filename (fixture->data_dir, "registry.sqlite", NULL);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *stored = NULL;
  RotaScopes scopes = ROTA_SCOPE_NONE;
  const RotaScopes granted = ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_HOURS_READ;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  add_tenant (fixture->registry, "grand-cafe");
  secret = add_token (fixture->registry, "grand-cafe", "Rooster-app Café ☕", granted, &token_id);

  /* "rota_" and 43 base64url characters: 32 random bytes. */
  g_assert_cmpuint (strlen (secret), ==, 48);
  g_assert_true (g_str_has_prefix (secret, "rota_"));
  for (guint i = 5; i < 48; i++)
    g_assert_true (g_ascii_isalnum (secret[i]) || secret[i] == '-' || secret[i] == '_');
  g_assert_true (is_uuid4 (token_id));

  g_assert_true (rota_server_registry_authenticate (fixture->registry, secret,
                                                    &tenant, &name, &found_id, &scopes));
  g_assert_cmpstr (tenant, ==, "grand-cafe");
  g_assert_cmpstr (name, ==, "Rooster-app Café ☕");
  g_assert_cmpstr (found_id, ==, token_id);
  g_assert_cmpuint (scopes, ==, granted);

  /* Every out argument may be left out. */
  g_assert_true (rota_server_registry_authenticate (fixture->registry, secret, NULL, NULL, NULL, NULL));

  /* Stored: the SHA-256 of the whole secret, and the scopes as text. */
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  stored = query_text (db_path, "SELECT hash || ' ' || scopes || ' ' || "
                                "(created_at BETWEEN strftime ('%s', 'now') - 5 AND strftime ('%s', 'now') + 5) || ' ' || "
                                "(revoked_at IS NULL) FROM tokens");
  g_assert_nonnull (stored);
  {
    g_autofree char *expected = g_strdup_printf ("%s planning:read hours:read 1 1", hash);

    g_assert_cmpstr (stored, ==, expected);
  }

  /* Neither the secret nor its random part is anywhere in the files; the
   * hash is (in the WAL, as nothing was checkpointed yet, or the file). */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (db_path, secret));
  g_assert_false (file_contains (wal, secret));
  g_assert_false (file_contains (db_path, secret + 5));
  g_assert_false (file_contains (wal, secret + 5));
  g_assert_true (file_contains (db_path, hash) || file_contains (wal, hash));

  /* And not after a checkpoint, either. */
  g_clear_object (&fixture->registry);
  g_assert_false (file_contains (db_path, secret + 5));
  g_assert_false (file_contains (wal, secret + 5));
  g_assert_true (file_contains (db_path, hash));

  /* The token outlives the process. */
  fixture->registry = rota_server_registry_open (fixture->data_dir, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&tenant, g_free);
  g_assert_true (rota_server_registry_authenticate (fixture->registry, secret, &tenant, NULL, NULL, &scopes));
  g_assert_cmpstr (tenant, ==, "grand-cafe");
  g_assert_cmpuint (scopes, ==, granted);

  {
    g_autoptr(GPtrArray) tokens = rota_server_registry_list_tokens (fixture->registry, "grand-cafe", &error);
    RotaTokenInfo *info;
    g_autoptr(RotaTokenInfo) copy = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (tokens->len, ==, 1);
    info = g_ptr_array_index (tokens, 0);
    g_assert_cmpstr (info->token_id, ==, token_id);
    g_assert_cmpstr (info->tenant, ==, "grand-cafe");
    g_assert_cmpstr (info->name, ==, "Rooster-app Café ☕");
    g_assert_cmpstr (info->scopes, ==, "planning:read hours:read");
    g_assert_cmpint (info->created_at, >=, before);
    g_assert_cmpint (info->created_at, <=, before + 5);
    g_assert_cmpint (info->revoked_at, ==, 0);

    copy = g_boxed_copy (ROTA_TYPE_TOKEN_INFO, info);
    g_assert_cmpstr (copy->token_id, ==, info->token_id);
    g_assert_true (copy->name != info->name);
    g_assert_cmpstr (copy->scopes, ==, info->scopes);
    g_assert_true (copy->scopes != info->scopes);
  }
}

static void
test_registry_token_errors (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (100, 'x');
  g_autofree char *too_long_name = g_strnfill (101, 'x');
  g_autofree char *wide_name = NULL;
  static const char *bad_names[] = {
    "",
    "tab\there",
    "line\nbreak",
    "bell\a",
    "rtl \xe2\x80\xae" "evil",       /* U+202E RIGHT-TO-LEFT OVERRIDE */
    "zero\xe2\x80\x8bwidth",        /* U+200B ZERO WIDTH SPACE */
    "sep\xe2\x80\xa8" "arator",      /* U+2028 LINE SEPARATOR */
    "bad \xff utf8",
  };
  static const struct {
    const char *tenant;
    RotaScopes  scopes;
    int         code;
  } bad[] = {
    { "unknown", ROTA_SCOPE_CLOCK, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND },
    { "Grand", ROTA_SCOPE_CLOCK, ROTA_SERVER_REGISTRY_ERROR_INVALID },
    { "api", ROTA_SCOPE_CLOCK, ROTA_SERVER_REGISTRY_ERROR_INVALID },
    { "grand-cafe", ROTA_SCOPE_NONE, ROTA_SERVER_REGISTRY_ERROR_INVALID },
    { "grand-cafe", 1 << 5, ROTA_SERVER_REGISTRY_ERROR_INVALID },
    { "grand-cafe", ROTA_SCOPE_CLOCK | (1 << 9), ROTA_SERVER_REGISTRY_ERROR_INVALID },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  GString *wide = g_string_new (NULL);

  add_tenant (fixture->registry, "grand-cafe");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *token_id = (char *) "untouched";
      char *secret = rota_server_registry_add_token (fixture->registry, bad[i].tenant, "name",
                                                     bad[i].scopes, &token_id, &error);

      g_assert_null (secret);
      g_assert_null (token_id);
      g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, bad[i].code);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      char *secret = rota_server_registry_add_token (fixture->registry, "grand-cafe", bad_names[i],
                                                     ROTA_SCOPE_CLOCK, NULL, &error);

      g_assert_null (secret);
      g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_null (rota_server_registry_add_token (fixture->registry, "grand-cafe", too_long_name,
                                                 ROTA_SCOPE_CLOCK, NULL, &error));
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID);
  g_clear_error (&error);

  /* 100 characters, not bytes. */
  for (guint i = 0; i < 100; i++)
    g_string_append (wide, "é");
  wide_name = g_string_free (wide, FALSE);

  g_free (add_token (fixture->registry, "grand-cafe", long_name, ROTA_SCOPE_CLOCK, NULL));
  g_free (add_token (fixture->registry, "grand-cafe", wide_name, ROTA_SCOPE_CLOCK, NULL));
  g_free (add_token (fixture->registry, "grand-cafe", "a", ROTA_SCOPES_ALL, NULL));

  /* Nothing else was written. */
  tokens = rota_server_registry_list_tokens (fixture->registry, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 3);
  g_assert_cmpstr (((RotaTokenInfo *) g_ptr_array_index (tokens, 2))->scopes, ==,
                   "planning:read planning:write hours:read hours:write clock");
}

static void
test_registry_tokens_differ (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GHashTable) secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *found = NULL;

  add_tenant (fixture->registry, "grand-cafe");

  /* Same tenant, name and scopes: still two tokens. */
  first = add_token (fixture->registry, "grand-cafe", "planner", ROTA_SCOPE_PLANNING_READ, &first_id);
  second = add_token (fixture->registry, "grand-cafe", "planner", ROTA_SCOPE_PLANNING_READ, &second_id);
  g_assert_cmpstr (first, !=, second);
  g_assert_cmpstr (first_id, !=, second_id);
  g_assert_true (rota_server_registry_authenticate (fixture->registry, first, NULL, NULL, &found, NULL));
  g_assert_cmpstr (found, ==, first_id);
  g_clear_pointer (&found, g_free);
  g_assert_true (rota_server_registry_authenticate (fixture->registry, second, NULL, NULL, &found, NULL));
  g_assert_cmpstr (found, ==, second_id);

  /* And many: no repeats, and every character of the alphabet is used
   * somewhere (a broken encoder would miss some). */
  {
    g_autoptr(GHashTable) seen_chars = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < 200; i++)
      {
        char *token_id = NULL;
        char *secret = add_token (fixture->registry, "grand-cafe", "many", ROTA_SCOPE_CLOCK, &token_id);

        g_assert_true (is_uuid4 (token_id));
        for (guint c = 5; secret[c]; c++)
          g_hash_table_add (seen_chars, GINT_TO_POINTER ((int) secret[c]));
        g_assert_true (g_hash_table_add (secrets, secret));
        g_assert_true (g_hash_table_add (ids, token_id));
      }
    g_assert_cmpuint (g_hash_table_size (seen_chars), ==, 64);
  }
}

static void
test_registry_revoke (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaServerRegistry) other = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autofree char *kept_id = NULL;
  g_autofree char *gone_id = NULL;
  g_autofree char *later_id = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *later = NULL;
  char *tenant = (char *) "untouched";
  char *name = (char *) "untouched";
  char *token_id = (char *) "untouched";
  RotaScopes scopes = ROTA_SCOPES_ALL;
  gint64 revoked_at;

  add_tenant (fixture->registry, "grand-cafe");
  kept = add_token (fixture->registry, "grand-cafe", "kept", ROTA_SCOPE_PLANNING_READ, &kept_id);
  gone = add_token (fixture->registry, "grand-cafe", "gone", ROTA_SCOPE_PLANNING_WRITE, &gone_id);

  g_assert_true (rota_server_registry_authenticate (fixture->registry, gone, NULL, NULL, NULL, NULL));
  g_assert_true (rota_server_registry_revoke_token (fixture->registry, gone_id, &error));
  g_assert_no_error (error);

  /* Refused at once, with nothing handed out. */
  g_assert_false (rota_server_registry_authenticate (fixture->registry, gone, &tenant, &name, &token_id, &scopes));
  g_assert_null (tenant);
  g_assert_null (name);
  g_assert_null (token_id);
  g_assert_cmpuint (scopes, ==, ROTA_SCOPE_NONE);
  g_assert_true (rota_server_registry_authenticate (fixture->registry, kept, NULL, NULL, NULL, NULL));

  tokens = rota_server_registry_list_tokens (fixture->registry, "grand-cafe", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 2);
  g_assert_cmpstr (((RotaTokenInfo *) g_ptr_array_index (tokens, 0))->token_id, ==, kept_id);
  g_assert_cmpint (((RotaTokenInfo *) g_ptr_array_index (tokens, 0))->revoked_at, ==, 0);
  g_assert_cmpstr (((RotaTokenInfo *) g_ptr_array_index (tokens, 1))->token_id, ==, gone_id);
  revoked_at = ((RotaTokenInfo *) g_ptr_array_index (tokens, 1))->revoked_at;
  g_assert_cmpint (revoked_at, >, 0);
  g_clear_pointer (&tokens, g_ptr_array_unref);

  /* Twice is fine, and keeps the first time. */
  g_usleep (1100 * 1000);
  g_assert_true (rota_server_registry_revoke_token (fixture->registry, gone_id, &error));
  g_assert_no_error (error);
  tokens = rota_server_registry_list_tokens (fixture->registry, "grand-cafe", &error);
  g_assert_cmpint (((RotaTokenInfo *) g_ptr_array_index (tokens, 1))->revoked_at, ==, revoked_at);
  g_clear_pointer (&tokens, g_ptr_array_unref);

  g_assert_false (rota_server_registry_revoke_token (fixture->registry, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The secret is not an id, and is not repeated in the message. */
  g_assert_false (rota_server_registry_revoke_token (fixture->registry, kept, &error));
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, kept + 5));
  g_clear_error (&error);
  g_assert_false (rota_server_registry_revoke_token (fixture->registry, kept + 5, &error));
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND);
  g_assert_null (strstr (error->message, kept + 5));
  g_clear_error (&error);
  g_assert_true (rota_server_registry_authenticate (fixture->registry, kept, NULL, NULL, NULL, NULL));

  /* The command line, in another process, adds and revokes while the
   * server runs: the server sees both at its next request. */
  other = rota_server_registry_open (fixture->data_dir, FALSE, &error);
  g_assert_no_error (error);
  later = add_token (other, "grand-cafe", "later", ROTA_SCOPE_CLOCK, &later_id);
  g_assert_true (rota_server_registry_authenticate (fixture->registry, later, NULL, NULL, NULL, NULL));
  g_assert_true (rota_server_registry_revoke_token (other, later_id, &error));
  g_assert_no_error (error);
  g_assert_false (rota_server_registry_authenticate (fixture->registry, later, NULL, NULL, NULL, NULL));
  g_assert_true (rota_server_registry_revoke_token (other, kept_id, &error));
  g_assert_false (rota_server_registry_authenticate (fixture->registry, kept, NULL, NULL, NULL, NULL));
  g_clear_object (&other);

  /* And a revocation survives a restart. */
  g_clear_object (&fixture->registry);
  fixture->registry = rota_server_registry_open (fixture->data_dir, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (rota_server_registry_authenticate (fixture->registry, gone, NULL, NULL, NULL, NULL));
  g_assert_false (rota_server_registry_authenticate (fixture->registry, kept, NULL, NULL, NULL, NULL));
}

static void
test_registry_list_no_secrets (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *none;

  add_tenant (fixture->registry, "grand-cafe");
  add_tenant (fixture->registry, "bistro");
  add_tenant (fixture->registry, "empty");

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("token %u", i);
      char *secret = add_token (fixture->registry, i % 2 ? "bistro" : "grand-cafe", name,
                                ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE, NULL);

      g_ptr_array_add (secrets, secret);
      g_ptr_array_add (hashes, g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1));
    }

  all = rota_server_registry_list_tokens (fixture->registry, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 6);

  for (guint i = 0; i < all->len; i++)
    {
      RotaTokenInfo *info = g_ptr_array_index (all, i);
      g_autofree char *expected_name = g_strdup_printf ("token %u", i);
      const char *fields[] = { info->token_id, info->tenant, info->name, info->scopes };

      g_assert_cmpstr (info->name, ==, expected_name);
      g_assert_cmpstr (info->tenant, ==, i % 2 ? "bistro" : "grand-cafe");
      g_assert_cmpstr (info->scopes, ==, "hours:read hours:write");
      g_assert_true (is_uuid4 (info->token_id));

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        for (guint s = 0; s < secrets->len; s++)
          {
            const char *secret = g_ptr_array_index (secrets, s);

            g_assert_null (strstr (fields[f], secret + 5));
            g_assert_null (strstr (fields[f], (const char *) g_ptr_array_index (hashes, s)));
            g_assert_cmpstr (fields[f], !=, secret);
          }
    }

  for (guint t = 0; t < 2; t++)
    {
      const char *tenant = t ? "bistro" : "grand-cafe";
      g_autoptr(GPtrArray) some = rota_server_registry_list_tokens (fixture->registry, tenant, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (some->len, ==, 3);
      for (guint i = 0; i < some->len; i++)
        g_assert_cmpstr (((RotaTokenInfo *) g_ptr_array_index (some, i))->tenant, ==, tenant);
    }

  empty = rota_server_registry_list_tokens (fixture->registry, "empty", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);

  none = rota_server_registry_list_tokens (fixture->registry, "unknown", &error);
  g_assert_null (none);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  none = rota_server_registry_list_tokens (fixture->registry, "../x", &error);
  g_assert_null (none);
  g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID);
}

static void
test_registry_tampered_scopes (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autofree char *db_path = g_build_filename (fixture->data_dir, "registry.sqlite", NULL);
  g_autofree char *secret = NULL;

  add_tenant (fixture->registry, "grand-cafe");
  secret = add_token (fixture->registry, "grand-cafe", "kiosk", ROTA_SCOPE_CLOCK, NULL);

  /* A row this server cannot read (written by hand, or by a newer
   * server) grants nothing, and is still listed. */
  run_sql (db_path, "UPDATE tokens SET scopes = 'clock admin'");
  g_test_expect_message ("rota-server-registry", G_LOG_LEVEL_WARNING, "*scopes this server does not know*");
  g_assert_false (rota_server_registry_authenticate (fixture->registry, secret, NULL, NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("rota-server-registry", G_LOG_LEVEL_WARNING, "*listed without them*");
  tokens = rota_server_registry_list_tokens (fixture->registry, "grand-cafe", &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 1);
  g_assert_cmpstr (((RotaTokenInfo *) g_ptr_array_index (tokens, 0))->scopes, ==, "");

  run_sql (db_path, "UPDATE tokens SET scopes = 'clock'");
  g_assert_true (rota_server_registry_authenticate (fixture->registry, secret, NULL, NULL, NULL, NULL));
}

static void
test_registry_malformed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *token_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  char *forged;

  add_tenant (fixture->registry, "grand-cafe");
  secret = add_token (fixture->registry, "grand-cafe", "real", ROTA_SCOPE_CLOCK, &token_id);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  g_assert_true (rota_server_registry_authenticate (fixture->registry, secret, NULL, NULL, NULL, NULL));

  g_ptr_array_add (cases, g_strdup (""));
  g_ptr_array_add (cases, g_strdup ("rota_"));
  g_ptr_array_add (cases, g_strdup ("rota"));
  g_ptr_array_add (cases, g_strndup (secret, 47));                     /* 42 characters */
  g_ptr_array_add (cases, g_strconcat (secret, "A", NULL));             /* 44 */
  g_ptr_array_add (cases, g_strconcat (secret, "\n", NULL));
  g_ptr_array_add (cases, g_strconcat (" ", secret, NULL));
  g_ptr_array_add (cases, g_strconcat ("Token ", secret, NULL));
  g_ptr_array_add (cases, g_strconcat ("ROTA_", secret + 5, NULL));
  g_ptr_array_add (cases, g_strconcat ("rota-", secret + 5, NULL));
  g_ptr_array_add (cases, g_strconcat ("rotb_", secret + 5, NULL));
  g_ptr_array_add (cases, g_strdup (secret + 5));                       /* the random part alone */
  g_ptr_array_add (cases, g_strconcat ("rota_", secret, NULL));
  g_ptr_array_add (cases, g_strdup (hash));
  g_ptr_array_add (cases, g_strconcat ("rota_", hash, NULL));
  g_ptr_array_add (cases, g_strdup (token_id));
  g_ptr_array_add (cases, g_strconcat ("rota_", token_id, "1234567", NULL));
  g_ptr_array_add (cases, g_strnfill (48, 'a'));

  /* Characters outside base64url, in the right length. */
  for (const char *c = "+/=.~ \t%\xc3"; *c; c++)
    {
      forged = g_strdup (secret);
      forged[20] = *c;
      g_ptr_array_add (cases, forged);
    }

  /* A well-formed token nobody made; one character changed. */
  forged = g_strdup (secret);
  forged[47] = forged[47] == 'A' ? 'B' : 'A';
  g_ptr_array_add (cases, forged);
  forged = g_strdup (secret);
  forged[5] = forged[5] == '-' ? '_' : '-';
  g_ptr_array_add (cases, forged);
  g_ptr_array_add (cases, g_strconcat ("rota_", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL));

  for (guint i = 0; i < cases->len; i++)
    {
      const char *text = g_ptr_array_index (cases, i);
      char *tenant = (char *) "untouched";
      RotaScopes scopes = ROTA_SCOPES_ALL;

      g_test_message ("case %u: %zu bytes", i, strlen (text));
      g_assert_false (rota_server_registry_authenticate (fixture->registry, text, &tenant, NULL, NULL, &scopes));
      g_assert_null (tenant);
      g_assert_cmpuint (scopes, ==, ROTA_SCOPE_NONE);
    }

  g_assert_false (rota_server_registry_authenticate (fixture->registry, NULL, NULL, NULL, NULL, NULL));

  /* The real one still works. */
  g_assert_true (rota_server_registry_authenticate (fixture->registry, secret, NULL, NULL, NULL, NULL));
}

static void
test_registry_scopes (void)
{
  static const struct {
    const char *text;
    gboolean    ok;
    RotaScopes  scopes;
    const char *formatted;
    const char *in_message;
  } cases[] = {
    { "", TRUE, ROTA_SCOPE_NONE, "", NULL },
    { "  , ", TRUE, ROTA_SCOPE_NONE, "", NULL },
    { "planning:read", TRUE, ROTA_SCOPE_PLANNING_READ, "planning:read", NULL },
    { "planning:write", TRUE, ROTA_SCOPE_PLANNING_WRITE, "planning:write", NULL },
    { "hours:read", TRUE, ROTA_SCOPE_HOURS_READ, "hours:read", NULL },
    { "hours:write", TRUE, ROTA_SCOPE_HOURS_WRITE, "hours:write", NULL },
    { "clock", TRUE, ROTA_SCOPE_CLOCK, "clock", NULL },
    { "hours:write planning:read", TRUE, ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_HOURS_WRITE,
      "planning:read hours:write", NULL },
    { "clock,hours:read", TRUE, ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_CLOCK, "hours:read clock", NULL },
    { " clock , planning:write,,hours:read ", TRUE,
      ROTA_SCOPE_PLANNING_WRITE | ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_CLOCK,
      "planning:write hours:read clock", NULL },
    { "clock clock", TRUE, ROTA_SCOPE_CLOCK, "clock", NULL },
    { "clock hours:write hours:read planning:write planning:read", TRUE, ROTA_SCOPES_ALL,
      "planning:read planning:write hours:read hours:write clock", NULL },
    { "admin", FALSE, 0, NULL, "command line" },
    { "planning:read admin", FALSE, 0, NULL, "command line" },
    { "planning:read,admin", FALSE, 0, NULL, "command line" },
    { "planning", FALSE, 0, NULL, "“planning”" },
    { "planning:delete", FALSE, 0, NULL, "“planning:delete”" },
    { "Planning:Read", FALSE, 0, NULL, "“Planning:Read”" },
    { "clock;hours:read", FALSE, 0, NULL, "“clock;hours:read”" },
    { "hours:read *", FALSE, 0, NULL, "“*”" },
    { "ADMIN", FALSE, 0, NULL, "“ADMIN”" },
    { "clock \x1b[31mred", FALSE, 0, NULL, "“\xef\xbf\xbd[31mred”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      RotaScopes scopes = ROTA_SCOPES_ALL;
      gboolean ok;

      g_autofree char *escaped = g_strescape (cases[i].text, NULL);

      g_test_message ("scopes “%s”", escaped);
      ok = rota_scopes_parse (cases[i].text, &scopes, &error);
      g_assert_cmpint (ok, ==, cases[i].ok);

      if (ok)
        {
          g_autofree char *formatted = rota_scopes_to_string (scopes);
          RotaScopes again = ROTA_SCOPE_NONE;

          g_assert_no_error (error);
          g_assert_cmpuint (scopes, ==, cases[i].scopes);
          g_assert_cmpstr (formatted, ==, cases[i].formatted);

          /* The formatted text parses back to the same. */
          g_assert_true (rota_scopes_parse (formatted, &again, NULL));
          g_assert_cmpuint (again, ==, scopes);
        }
      else
        {
          g_assert_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID);
          g_test_message ("%s", error->message);
          g_assert_nonnull (strstr (error->message, cases[i].in_message));
          g_assert_cmpuint (scopes, ==, ROTA_SCOPE_NONE);
        }
    }

  /* Every combination formats and parses back. */
  for (guint bits = 0; bits <= ROTA_SCOPES_ALL; bits++)
    {
      g_autofree char *text = rota_scopes_to_string (bits);
      RotaScopes parsed = ROTA_SCOPES_ALL;

      g_assert_true (rota_scopes_parse (text, &parsed, NULL));
      g_assert_cmpuint (parsed, ==, bits);
    }

  /* Bits that name nothing are not formatted. */
  {
    g_autofree char *text = rota_scopes_to_string (ROTA_SCOPE_CLOCK | (1 << 12));

    g_assert_cmpstr (text, ==, "clock");
  }
}

static void
test_registry_tenant_isolation (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *tenants[] = { "grand-cafe", "grand-cafe-2", "bistro" };
  char *secrets[G_N_ELEMENTS (tenants)];
  char *ids[G_N_ELEMENTS (tenants)];

  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    {
      add_tenant (fixture->registry, tenants[i]);
      secrets[i] = add_token (fixture->registry, tenants[i], "planner", ROTA_SCOPES_ALL, &ids[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    {
      g_autofree char *tenant = NULL;
      g_autofree char *token_id = NULL;

      /* The caller compares the tenant with the URL's: it is exactly
       * the token's own, never another's. */
      g_assert_true (rota_server_registry_authenticate (fixture->registry, secrets[i], &tenant, NULL, &token_id, NULL));
      g_assert_cmpstr (tenant, ==, tenants[i]);
      g_assert_cmpstr (token_id, ==, ids[i]);
      for (guint j = 0; j < G_N_ELEMENTS (tenants); j++)
        if (j != i)
          g_assert_cmpstr (tenant, !=, tenants[j]);
    }

  /* Revoking one tenant's token leaves the others. */
  g_assert_true (rota_server_registry_revoke_token (fixture->registry, ids[0], NULL));
  g_assert_false (rota_server_registry_authenticate (fixture->registry, secrets[0], NULL, NULL, NULL, NULL));
  g_assert_true (rota_server_registry_authenticate (fixture->registry, secrets[1], NULL, NULL, NULL, NULL));
  g_assert_true (rota_server_registry_authenticate (fixture->registry, secrets[2], NULL, NULL, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    {
      g_free (secrets[i]);
      g_free (ids[i]);
    }
}

typedef struct
{
  RotaServerRegistry *registry;
  const char         *kept;
  const char         *victim;
  const char         *victim_id;
  gint                n_done;      /* atomic: authentications so far */
  gint                revoked;     /* atomic: set once the revoke returned */
  gint                n_refused;   /* atomic: victim refusals seen */
} ThreadsData;

static gpointer
authenticate_thread (gpointer user_data)
{
  ThreadsData *data = user_data;
  gboolean seen_refused = FALSE;

  for (guint i = 0; i < N_AUTH_ROUNDS; i++)
    {
      g_autofree char *tenant = NULL;
      g_autofree char *name = NULL;
      RotaScopes scopes = ROTA_SCOPE_NONE;
      gboolean revoked_before = g_atomic_int_get (&data->revoked);
      gboolean ok;

      /* Even rounds the kept token, odd rounds the one being revoked. */
      if (i % 2 == 0)
        {
          ok = rota_server_registry_authenticate (data->registry, data->kept, &tenant, &name, NULL, &scopes);
          g_assert_true (ok);
          g_assert_cmpstr (tenant, ==, "grand-cafe");
          g_assert_cmpstr (name, ==, "kept");
          g_assert_cmpuint (scopes, ==, ROTA_SCOPE_CLOCK);
        }
      else
        {
          ok = rota_server_registry_authenticate (data->registry, data->victim, &tenant, &name, NULL, &scopes);

          /* Once refused (or revoked), refused for good. */
          if (revoked_before || seen_refused)
            g_assert_false (ok);
          if (ok)
            {
              g_assert_cmpstr (tenant, ==, "bistro");
              g_assert_cmpstr (name, ==, "victim");
              g_assert_cmpuint (scopes, ==, ROTA_SCOPE_HOURS_READ);
            }
          else
            {
              g_assert_null (tenant);
              seen_refused = TRUE;
              g_atomic_int_inc (&data->n_refused);
            }
        }

      g_atomic_int_inc (&data->n_done);
    }

  return NULL;
}

static gpointer
revoke_thread (gpointer user_data)
{
  ThreadsData *data = user_data;
  g_autoptr(GError) error = NULL;

  /* Revoke in the thick of it. */
  while (g_atomic_int_get (&data->n_done) < N_AUTH_THREADS * N_AUTH_ROUNDS / 3)
    g_thread_yield ();

  g_assert_true (rota_server_registry_revoke_token (data->registry, data->victim_id, &error));
  g_assert_no_error (error);
  g_atomic_int_set (&data->revoked, TRUE);

  return NULL;
}

static void
test_registry_threads (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *kept = NULL;
  g_autofree char *victim = NULL;
  g_autofree char *victim_id = NULL;
  GThread *threads[N_AUTH_THREADS];
  GThread *revoker;
  ThreadsData shared = { 0, };

  add_tenant (fixture->registry, "grand-cafe");
  add_tenant (fixture->registry, "bistro");
  kept = add_token (fixture->registry, "grand-cafe", "kept", ROTA_SCOPE_CLOCK, NULL);
  victim = add_token (fixture->registry, "bistro", "victim", ROTA_SCOPE_HOURS_READ, &victim_id);

  shared.registry = fixture->registry;
  shared.kept = kept;
  shared.victim = victim;
  shared.victim_id = victim_id;

  revoker = g_thread_new ("revoke", revoke_thread, &shared);
  for (guint i = 0; i < N_AUTH_THREADS; i++)
    threads[i] = g_thread_new ("authenticate", authenticate_thread, &shared);

  for (guint i = 0; i < N_AUTH_THREADS; i++)
    g_thread_join (threads[i]);
  g_thread_join (revoker);

  g_test_message ("%d authentications, %d refusals of the revoked token",
                  g_atomic_int_get (&shared.n_done), g_atomic_int_get (&shared.n_refused));
  g_assert_cmpint (g_atomic_int_get (&shared.n_done), ==, N_AUTH_THREADS * N_AUTH_ROUNDS);
  g_assert_true (g_atomic_int_get (&shared.revoked));
  g_assert_cmpint (g_atomic_int_get (&shared.n_refused), >, 0);
  g_assert_false (rota_server_registry_authenticate (fixture->registry, victim, NULL, NULL, NULL, NULL));
  g_assert_true (rota_server_registry_authenticate (fixture->registry, kept, NULL, NULL, NULL, NULL));
}

typedef struct
{
  const char *data_dir;
  gint        n_ok;
} CreateData;

static gpointer
create_thread (gpointer user_data)
{
  CreateData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaServerRegistry) registry = rota_server_registry_open (data->data_dir, TRUE, &error);
  g_auto(GStrv) slugs = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (registry);
  slugs = rota_server_registry_list_tenants (registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (slugs), ==, 0);
  g_atomic_int_inc (&data->n_ok);

  return NULL;
}

static void
test_registry_concurrent_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-registry-XXXXXX", &error);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  CreateData shared = { data_dir, 0 };
  GThread *threads[4];

  /* Several connections (processes, in life) creating one registry at
   * once all end up with the same, whole schema. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("create", create_thread, &shared);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (shared.n_ok, ==, G_N_ELEMENTS (threads));

  registry = rota_server_registry_open (data_dir, FALSE, &error);
  g_assert_no_error (error);
  add_tenant (registry, "grand-cafe");
  g_clear_object (&registry);
  harness_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/registry/create-open", test_registry_create_open);
  g_test_add_func ("/server/registry/open-errors", test_registry_open_errors);
  g_test_add_func ("/server/registry/modes", test_registry_modes);
  g_test_add_func ("/server/registry/concurrent-create", test_registry_concurrent_create);
  g_test_add ("/server/registry/slugs", Fixture, NULL, fixture_set_up, test_registry_slugs, fixture_tear_down);
  g_test_add ("/server/registry/token-round-trip", Fixture, NULL, fixture_set_up, test_registry_token_round_trip, fixture_tear_down);
  g_test_add ("/server/registry/token-errors", Fixture, NULL, fixture_set_up, test_registry_token_errors, fixture_tear_down);
  g_test_add ("/server/registry/tokens-differ", Fixture, NULL, fixture_set_up, test_registry_tokens_differ, fixture_tear_down);
  g_test_add ("/server/registry/revoke", Fixture, NULL, fixture_set_up, test_registry_revoke, fixture_tear_down);
  g_test_add ("/server/registry/list-no-secrets", Fixture, NULL, fixture_set_up, test_registry_list_no_secrets, fixture_tear_down);
  g_test_add ("/server/registry/tampered-scopes", Fixture, NULL, fixture_set_up, test_registry_tampered_scopes, fixture_tear_down);
  g_test_add ("/server/registry/malformed", Fixture, NULL, fixture_set_up, test_registry_malformed, fixture_tear_down);
  g_test_add_func ("/server/registry/scopes", test_registry_scopes);
  g_test_add ("/server/registry/tenant-isolation", Fixture, NULL, fixture_set_up, test_registry_tenant_isolation, fixture_tear_down);
  g_test_add ("/server/registry/threads", Fixture, NULL, fixture_set_up, test_registry_threads, fixture_tear_down);

  return g_test_run ();
}
