/* test-store.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rota-codec.h"
#include "rota-model-private.h"
#include "rota-store-mirror.h"
#include "rota-store-private.h"

/* 2026-11-23T07:00:00Z, a Monday 08:00 in Amsterdam. */
#define MONDAY_8 G_GINT64_CONSTANT (1795417200)
#define HOUR     (60 * 60)
#define DAY      (24 * HOUR)

typedef struct
{
  char      *dir;
  char      *path;
  RotaStore *store;
} Fixture;

static RotaEntity *
make_office (const char *id)
{
  RotaOffice *office = rota_office_new ();

  office->id = g_strdup (id);
  office->name = g_strdup ("Grand Café Utrecht");
  office->rules_profile = ROTA_RULES_PROFILE_NL;

  return ROTA_ENTITY (office);
}

static RotaEntity *
make_department (const char *id,
                 const char *office_id)
{
  RotaDepartment *department = rota_department_new ();

  department->id = g_strdup (id);
  department->office_id = g_strdup (office_id);
  department->name = g_strdup ("Keuken");

  return ROTA_ENTITY (department);
}

static RotaEntity *
make_employee (const char *id,
               const char *department_id)
{
  RotaEmployee *employee = rota_employee_new ();
  const char * const departments[] = { department_id, NULL };

  employee->id = g_strdup (id);
  employee->first_name = g_strdup ("Sanne");
  employee->last_name_prefix = g_strdup ("van");
  employee->last_name = g_strdup ("Dijk");
  employee->department_ids = g_strdupv ((char **) departments);

  return ROTA_ENTITY (employee);
}

static RotaShift *
make_shift (const char *id,
            const char *department_id,
            const char *employee_id,
            gint64      start,
            gint64      version)
{
  RotaShift *shift = rota_shift_new ();

  shift->id = g_strdup (id);
  shift->version = version;
  shift->department_id = g_strdup (department_id);
  shift->employee_id = g_strdup (employee_id);
  shift->start = start;
  shift->end = start + 8 * HOUR;
  shift->break_minutes = 30;

  return shift;
}

static RotaPunch *
make_punch (const char    *id,
            const char    *employee_id,
            RotaPunchKind  kind,
            gint64         at)
{
  RotaPunch *punch = rota_punch_new ();

  punch->id = g_strdup (id);
  punch->employee_id = g_strdup (employee_id);
  punch->kind = kind;
  punch->at = at;
  punch->source = g_strdup ("kiosk:backoffice");

  return punch;
}

static void
put (RotaStore  *store,
     RotaEntity *entity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_store_put_entity (store, entity, &error));
  g_assert_no_error (error);
  g_object_unref (entity);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rota-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "data", "rota", "cache.sqlite", NULL);
  fixture->store = rota_store_open (fixture->path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  put (fixture->store, make_office ("o1"));
  put (fixture->store, make_department ("d1", "o1"));
  put (fixture->store, make_department ("d2", "o1"));
  put (fixture->store, make_employee ("e1", "d1"));
  put (fixture->store, make_employee ("e2", "d2"));
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }

  g_rmdir (dir);
}

/* Drops the last reference and checks that the store is finalised. A
 * worker thread may hold its task, and with it the store, for a moment
 * after the task's callback ran, so this waits a little for it. */
static void
finalize_store (RotaStore **store)
{
  gpointer weak = *store;

  g_object_add_weak_pointer (weak, &weak);
  g_clear_object (store);
  for (guint i = 0; weak != NULL && i < 5000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->store != NULL)
    finalize_store (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static char *
pragma (RotaStore  *store,
        const char *name)
{
  sqlite3 *db = _rota_store_get_db (store);
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", name);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static void
flag_set (gboolean *flag)
{
  *flag = TRUE;
}

static void
test_store_pragmas (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *expected;
  } pragmas[] = {
    { "journal_mode", "wal" },
    { "synchronous", "2" },
    { "secure_delete", "1" },
    { "foreign_keys", "1" },
    { "user_version", G_STRINGIFY (ROTA_STORE_SCHEMA_VERSION) },
    { "application_id", "1380930625" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      g_autofree char *value = pragma (fixture->store, pragmas[i].name);

      g_test_message ("PRAGMA %s = %s", pragmas[i].name, value);
      g_assert_cmpstr (value, ==, pragmas[i].expected);
    }

  g_assert_cmpint (rota_store_get_schema_version (fixture->store), ==, ROTA_STORE_SCHEMA_VERSION);
  g_assert_false (rota_store_get_read_only (fixture->store));
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

static void
check_modes_with_umask (mode_t mask)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autofree char *data_dir = rota_store_default_dir ();
  g_autofree char *path = g_build_filename (data_dir, "modes.sqlite", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  mode_t old = umask (mask);

  remove_tree (data_dir);
  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  put (store, make_office ("o1"));

  assert_mode (data_dir, 0700);
  assert_mode (path, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);

  /* Rota's own folder and a store in it are made private again. */
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (data_dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  assert_mode (data_dir, 0700);
  assert_mode (path, 0600);

  umask (old);
  g_clear_object (&store);
  remove_tree (data_dir);
}

static void
test_store_modes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-named-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "named.sqlite", NULL);

  check_modes_with_umask (022);
  check_modes_with_umask (077);
  check_modes_with_umask (0);

  /* A folder the user names is theirs: never changed, the file is 0600. */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  assert_mode (dir, 0755);
  assert_mode (path, 0600);
  g_clear_object (&store);
  remove_tree (dir);
}

/* A sound store opened with the check for later: reads at once, the
 * check passes on its thread, writes go through after it. */
static void
test_store_check_later (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(RotaPunch) punch = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-check-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "later.sqlite", NULL);
  gboolean checked = FALSE;

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE | ROTA_STORE_OPEN_CHECK_LATER, &error);
  g_assert_no_error (error);
  /* A new file has nothing to check. */
  g_assert_false (rota_store_get_checking (store));
  put (store, make_office ("o1"));
  put (store, make_department ("d1", "o1"));
  put (store, make_employee ("e1", "d1"));
  put (store, ROTA_ENTITY (make_shift ("s1", "d1", "e1", MONDAY_8, 1)));
  g_clear_object (&store);

  store = rota_store_open (path, ROTA_STORE_OPEN_CHECK_LATER, &error);
  g_assert_no_error (error);
  g_signal_connect_swapped (store, "checked", G_CALLBACK (flag_set), &checked);
  shifts = rota_store_list_shifts (store, MONDAY_8 - DAY, MONDAY_8 + DAY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 1);

  punch = make_punch ("p1", "e1", ROTA_PUNCH_KIND_IN, MONDAY_8);
  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_assert_true (rota_store_wait_checked (store));
  g_assert_false (rota_store_get_read_only (store));
  g_assert_null (rota_store_get_recovery_reason (store));
  while (!checked)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_store_single_sqlite (void)
{
  g_autofree char *maps = NULL;
  const char *one =
    "7f00-7f01 r--p 00000000 fe:00 1 /usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6\n"
    "7f01-7f02 r-xp 00001000 fe:00 1 /usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6\n"
    "7f02-7f03 r--p 00000000 fe:00 2 /usr/lib/x86_64-linux-gnu/libglib-2.0.so.0\n"
    "7ffd-7ffe rw-p 00000000 00:00 0 [stack]\n";
  g_autofree char *two = g_strconcat (one, "7f05-7f06 r-xp 00000000 fe:00 3 /opt/x/lib/libsqlcipher.so.1\n", NULL);

  g_assert_cmpuint (_rota_store_count_sqlite_libraries (""), ==, 0);
  g_assert_cmpuint (_rota_store_count_sqlite_libraries (one), ==, 1);
  g_assert_cmpuint (_rota_store_count_sqlite_libraries (two), ==, 2);

  /* This test program itself has exactly one. */
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_cmpuint (_rota_store_count_sqlite_libraries (maps), ==, 1);
}

static void
test_store_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-open-XXXXXX", &error);
  g_autofree char *missing = g_build_filename (dir, "missing.sqlite", NULL);
  g_autofree char *text = g_build_filename (dir, "text.sqlite", NULL);
  g_autofree char *foreign = g_build_filename (dir, "foreign.sqlite", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.sqlite", NULL);
  RotaStore *store;
  sqlite3 *db = NULL;

  store = rota_store_open (missing, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents_full (text, "Dienstplan KW 48\n" "Montag: Sanne 8-16\n" "................................................................................................................................................................................................................................................................................................................................................", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  store = rota_store_open (text, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_CORRUPT);
  g_test_message ("text file: %s", error->message);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  g_assert_true (_rota_store_exec (db, "CREATE TABLE recipes (name TEXT)", NULL));
  sqlite3_close (db);
  store = rota_store_open (foreign, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_A_STORE);
  g_test_message ("foreign database: %s", error->message);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_true (_rota_store_exec (db, "PRAGMA application_id = 1380930625; PRAGMA user_version = 99;", NULL));
  sqlite3_close (db);
  store = rota_store_open (newer, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_TOO_NEW);
  g_test_message ("newer schema: %s", error->message);
  g_clear_error (&error);

  remove_tree (dir);
}

static gpointer
open_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  RotaStore *store = rota_store_open (data, ROTA_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);

  return store;
}

static void
test_store_concurrent_create (void)
{
  /* The app and rotactl may open a new store at the same moment: both
   * must get it, migrated once. */
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("rota-race-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "new.sqlite", NULL);
      GThread *threads[4];

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("open", open_thread, path);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          g_autoptr(RotaStore) store = g_thread_join (threads[i]);

          g_assert_nonnull (store);
          g_assert_cmpint (rota_store_get_schema_version (store), ==, ROTA_STORE_SCHEMA_VERSION);
        }
      remove_tree (dir);
    }
}

static void
insert_v1_rows (sqlite3 *db)
{
  g_assert_true (_rota_store_exec (db,
    "INSERT INTO office (id, name, time_zone, rules_profile) VALUES ('o1', 'Amsterdam', 'Europe/Amsterdam', 'nl');"
    "INSERT INTO department (id, office_id, name) VALUES ('d1', 'o1', 'Bar');"
    "INSERT INTO employee (id, first_name, last_name) VALUES ('e1', 'Finn', 'de Vries');"
    "INSERT INTO shift (id, version, department_id, employee_id, start, \"end\") "
    "  VALUES ('s1', 4, 'd1', 'e1', 1795417200, 1795446000);"
    "INSERT INTO punch (id, employee_id, kind, at, source) VALUES ('p1', 'e1', 'in', 1795417100, 'terminal');",
    NULL));
}

static void
test_store_migrations (void)
{
  /* A store of every older version, with data where the version has
   * tables for it, opens and is brought up to date with its data. */
  for (int version = 0; version < ROTA_STORE_SCHEMA_VERSION; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("rota-migrate-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "old.sqlite", NULL);
      g_autoptr(RotaStore) store = NULL;
      g_autoptr(RotaEntity) shift = NULL;
      g_autoptr(RotaOutboxItem) item = NULL;
      g_autoptr(RotaPunch) punch = NULL;
      g_autoptr(GPtrArray) hours = NULL;
      g_autoptr(RotaRegisteredHours) entry = NULL;
      RotaMirrorData mirrored = { "2026-11-23", "2026-11-23", MONDAY_8, NULL, };
      g_autofree char *user_version = NULL;
      g_autofree char *problem = NULL;
      sqlite3 *db = NULL;
      int fd;

      fd = g_open (path, O_CREAT | O_WRONLY, 0600);
      close (fd);
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_true (_rota_store_migrate (db, version, &error));
      g_assert_no_error (error);
      if (version >= 1)
        insert_v1_rows (db);
      sqlite3_close (db);

      store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_test_message ("from version %d to %d", version, rota_store_get_schema_version (store));
      user_version = pragma (store, "user_version");
      g_assert_cmpstr (user_version, ==, G_STRINGIFY (ROTA_STORE_SCHEMA_VERSION));

      if (version >= 1)
        {
          shift = rota_store_get_entity (store, ROTA_TYPE_SHIFT, "s1", &error);
          g_assert_no_error (error);
          g_assert_cmpint (rota_entity_get_version (shift), ==, 4);
        }
      else
        {
          put (store, make_office ("o1"));
          put (store, make_department ("d1", "o1"));
          put (store, make_employee ("e1", "d1"));
        }

      /* What later versions added works on the migrated store. */
      punch = make_punch ("p-new", "e1", ROTA_PUNCH_KIND_OUT, MONDAY_8 + 8 * HOUR);
      item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "hr", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (item);
      g_assert_true (rota_store_verify (store, &problem, &error));
      g_assert_null (problem);

      /* Version 4: mirrored registered hours. */
      entry = g_new0 (RotaRegisteredHours, 1);
      entry->id = g_strdup ("h1");
      entry->employee_id = g_strdup ("e1");
      entry->work_date = g_strdup ("2026-11-23");
      entry->start = MONDAY_8;
      entry->end = MONDAY_8 + 8 * HOUR;
      entry->payload = g_strdup ("{\"id\":\"h1\"}");
      mirrored.registered_hours = g_ptr_array_new ();
      g_ptr_array_add (mirrored.registered_hours, entry);
      g_assert_true (rota_store_apply_mirror (store, &mirrored, &error));
      g_assert_no_error (error);
      g_ptr_array_unref (mirrored.registered_hours);
      hours = rota_store_list_registered_hours (store, "2026-11-01", "2026-11-30", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hours->len, ==, 1);
      g_assert_cmpstr (((RotaRegisteredHours *) g_ptr_array_index (hours, 0))->payload, ==, entry->payload);

      g_clear_object (&store);
      remove_tree (dir);
    }
}

static void
test_store_columns_match_fields (Fixture       *fixture,
                                 gconstpointer  data)
{
  sqlite3 *db = _rota_store_get_db (fixture->store);
  const GType *types;
  guint n_types;

  /* The SQL of each migration is written once and never changed; the
   * field tables must agree with what it made. */
  types = rota_entity_get_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (types[i]);
      RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);
      g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", entity_class->kind);
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);

      g_assert_cmpuint (columns->len, ==, entity_class->n_fields);
      for (guint f = 0; f < entity_class->n_fields; f++)
        g_assert_cmpstr (g_ptr_array_index (columns, f), ==, entity_class->fields[f].name);
    }
}

static void
test_store_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) employee = make_employee ("e3", "d1");
  g_autoptr(RotaEntity) read_back = NULL;
  const char * const cards[] = { "04A1B2C3", "DEADBEEF", NULL };

  g_object_set (employee, "card-numbers", cards, "contract-hours-week", 38.5,
                "date-of-birth", "2009-06-30", "email", NULL, NULL);
  g_assert_true (rota_store_put_entity (fixture->store, employee, &error));
  g_assert_no_error (error);

  read_back = rota_store_get_entity (fixture->store, ROTA_TYPE_EMPLOYEE, "e3", &error);
  g_assert_no_error (error);
  g_assert_true (rota_entity_equal (employee, read_back));
}

static void
test_store_server_versions (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RotaEntity) shift = NULL;
  RotaShift *old;

  g_ptr_array_add (page, make_shift ("s1", "d1", "e1", MONDAY_8, 2));
  g_ptr_array_add (page, make_punch ("p1", "e1", ROTA_PUNCH_KIND_IN, MONDAY_8 - 60));

  g_assert_true (rota_store_apply_changes (fixture->store, page, "changes", 17, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_store_get_cursor (fixture->store, "changes"), ==, 17);

  /* The same page again changes nothing (reliability.md S6). */
  before = rota_store_table_hashes (fixture->store, &error);
  g_assert_true (rota_store_apply_changes (fixture->store, page, "changes", 17, &error));
  after = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (before, "shift"), ==, g_hash_table_lookup (after, "shift"));
  g_assert_cmpstr (g_hash_table_lookup (before, "punch"), ==, g_hash_table_lookup (after, "punch"));

  /* An older version arriving late does not overwrite a newer one. */
  old = make_shift ("s1", "d1", "e2", MONDAY_8, 1);
  g_assert_true (rota_store_put_entity (fixture->store, ROTA_ENTITY (old), &error));
  g_object_unref (old);
  shift = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s1", &error);
  g_assert_cmpstr (rota_shift_get_employee_id (ROTA_SHIFT (shift)), ==, "e1");

  /* A bad entity in a page rolls the whole page back, cursor included. */
  g_ptr_array_set_size (page, 0);
  g_ptr_array_add (page, make_shift ("s2", "d1", "e1", MONDAY_8 + DAY, 1));
  old = make_shift ("s3", "d1", "e1", MONDAY_8, 1);
  old->end = old->start - 1;
  g_ptr_array_add (page, old);
  g_assert_false (rota_store_apply_changes (fixture->store, page, "changes", 18, &error));
  g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_cmpint (rota_store_get_cursor (fixture->store, "changes"), ==, 17);
  g_assert_null (rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s2", &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
}

static guint
count_with_id (GPtrArray  *entities,
               const char *id)
{
  guint n = 0;

  for (guint i = 0; i < entities->len; i++)
    if (g_strcmp0 (rota_entity_get_id (g_ptr_array_index (entities, i)), id) == 0)
      n++;

  return n;
}

static RotaShift *
find_shift (GPtrArray  *shifts,
            const char *id)
{
  for (guint i = 0; i < shifts->len; i++)
    if (g_strcmp0 (rota_entity_get_id (g_ptr_array_index (shifts, i)), id) == 0)
      return g_ptr_array_index (shifts, i);

  return NULL;
}

static void
test_store_overlay (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(RotaOutboxItem) move = NULL;
  g_autoptr(RotaOutboxItem) create = NULL;
  g_autoptr(RotaOutboxItem) remove = NULL;
  g_autoptr(RotaShift) moved = NULL;
  g_autoptr(RotaShift) created = NULL;
  g_autoptr(RotaShift) server_reply = NULL;
  const char * const only_d2[] = { "d2", NULL };
  gint64 pending = 0;

  put (fixture->store, ROTA_ENTITY (make_shift ("s1", "d1", "e1", MONDAY_8, 3)));
  put (fixture->store, ROTA_ENTITY (make_shift ("s2", "d1", "e1", MONDAY_8 + DAY, 1)));
  put (fixture->store, ROTA_ENTITY (make_shift ("s3", "d2", "e2", MONDAY_8 + 7 * DAY, 1)));

  /* Move s1 to Wednesday and to department d2, create s4, delete s2. */
  moved = make_shift ("s1", "d2", "e1", MONDAY_8 + 2 * DAY, 3);
  move = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (moved), "anna", "moved", &error);
  g_assert_no_error (error);
  g_assert_cmpint (move->base_version, ==, 3);
  created = make_shift ("s4", "d1", NULL, MONDAY_8 + 3 * DAY, 0);
  create = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (created), "anna", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (create->base_version, ==, 0);
  {
    g_autoptr(RotaShift) s2 = make_shift ("s2", "d1", "e1", MONDAY_8 + DAY, 1);
    remove = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_DELETE, ROTA_ENTITY (s2), "anna", NULL, &error);
    g_assert_no_error (error);
  }

  /* The week shows the edits laid over server state. */
  shifts = rota_store_list_shifts (fixture->store, MONDAY_8 - 8 * HOUR, MONDAY_8 + 7 * DAY - 8 * HOUR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 2);
  g_assert_cmpuint (count_with_id (shifts, "s1"), ==, 1);
  g_assert_cmpuint (count_with_id (shifts, "s2"), ==, 0);
  g_assert_cmpuint (count_with_id (shifts, "s4"), ==, 1);
  g_assert_cmpint (rota_shift_get_start (find_shift (shifts, "s1")), ==, MONDAY_8 + 2 * DAY);
  g_clear_pointer (&shifts, g_ptr_array_unref);

  /* Department filters see the pending department. */
  shifts = rota_store_list_shifts (fixture->store, MONDAY_8 - DAY, MONDAY_8 + 14 * DAY, only_d2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 2);
  g_assert_cmpuint (count_with_id (shifts, "s1"), ==, 1);
  g_assert_cmpuint (count_with_id (shifts, "s3"), ==, 1);
  g_clear_pointer (&shifts, g_ptr_array_unref);

  /* The same after closing and opening again: the edits are on disk. */
  finalize_store (&fixture->store);
  fixture->store = rota_store_open (fixture->path, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  outbox = rota_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 3);
  g_assert_cmpint (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->op, ==, ROTA_OUTBOX_OP_PUT);
  g_assert_cmpint (((RotaOutboxItem *) g_ptr_array_index (outbox, 2))->op, ==, ROTA_OUTBOX_OP_DELETE);
  g_assert_cmpstr (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->idempotency_key, ==, move->idempotency_key);
  g_assert_true (g_uuid_string_is_valid (move->idempotency_key));

  /* The server acknowledges the move: server state shows it, the overlay
   * for s1 is gone. */
  server_reply = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (moved)));
  server_reply->version = 4;
  g_assert_true (rota_store_outbox_complete (fixture->store, move->seq, ROTA_ENTITY (server_reply), &error));
  g_assert_no_error (error);
  g_assert_true (rota_store_count_outbox (fixture->store, &pending, NULL, NULL, &error));
  g_assert_cmpint (pending, ==, 2);
  {
    g_autoptr(RotaEntity) s1 = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s1", &error);
    g_assert_cmpint (rota_entity_get_version (s1), ==, 4);
  }

  /* Take theirs for the delete: s2 shows again. */
  g_assert_true (rota_store_outbox_discard (fixture->store, remove->seq, "anna", "kept after all", &error));
  g_assert_no_error (error);
  shifts = rota_store_list_shifts (fixture->store, MONDAY_8 - 8 * HOUR, MONDAY_8 + 7 * DAY - 8 * HOUR, NULL, &error);
  g_assert_cmpuint (count_with_id (shifts, "s2"), ==, 1);
}

static void
test_store_complete_without_body (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaShift) s1 = make_shift ("s1", "d1", "e1", MONDAY_8, 2);
  g_autoptr(RotaShift) s2 = make_shift ("s2", "d1", "e1", MONDAY_8 + DAY, 1);
  g_autoptr(RotaOutboxItem) remove = NULL;
  g_autoptr(RotaOutboxItem) change = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(RotaEntity) gone = NULL;

  put (fixture->store, g_object_ref (ROTA_ENTITY (s1)));
  put (fixture->store, g_object_ref (ROTA_ENTITY (s2)));

  /* The server answers a delete with 204: s1 stays gone. */
  remove = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_DELETE, ROTA_ENTITY (s1), "anna", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rota_store_outbox_complete (fixture->store, remove->seq, NULL, &error));
  g_assert_no_error (error);
  shifts = rota_store_list_shifts (fixture->store, MONDAY_8 - DAY, MONDAY_8 + 7 * DAY, NULL, &error);
  g_assert_cmpuint (shifts->len, ==, 1);
  g_assert_cmpstr (rota_entity_get_id (g_ptr_array_index (shifts, 0)), ==, "s2");
  gone = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "s1", &error);
  g_assert_null (gone);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A put cannot be completed without the server's copy, and stays. */
  s2->break_minutes = 45;
  change = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (s2), "anna", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (rota_store_outbox_complete (fixture->store, change->seq, NULL, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  outbox = rota_store_list_outbox (fixture->store, NULL);
  g_assert_cmpuint (outbox->len, ==, 1);
}

static void
test_store_savepoints (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) a = NULL;
  g_autoptr(RotaEntity) b = NULL;
  g_autoptr(RotaEntity) c = NULL;

  /* A nested rollback undoes only the nested work. */
  g_assert_true (rota_store_begin (fixture->store, &error));
  put (fixture->store, ROTA_ENTITY (make_shift ("sa", "d1", "e1", MONDAY_8, 1)));
  g_assert_true (rota_store_begin (fixture->store, &error));
  put (fixture->store, ROTA_ENTITY (make_shift ("sb", "d1", "e1", MONDAY_8 + DAY, 1)));
  rota_store_rollback (fixture->store);
  g_assert_true (rota_store_begin (fixture->store, &error));
  put (fixture->store, ROTA_ENTITY (make_shift ("sc", "d1", "e1", MONDAY_8 + 2 * DAY, 1)));
  g_assert_true (rota_store_commit (fixture->store, &error));
  g_assert_true (rota_store_commit (fixture->store, &error));
  g_assert_no_error (error);

  a = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "sa", NULL);
  b = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "sb", NULL);
  c = rota_store_get_entity (fixture->store, ROTA_TYPE_SHIFT, "sc", NULL);
  g_assert_nonnull (a);
  g_assert_null (b);
  g_assert_nonnull (c);
}

static void
test_store_outbox_rules (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaPunch) punch = make_punch ("p1", "e1", ROTA_PUNCH_KIND_IN, MONDAY_8);
  g_autoptr(RotaOutboxItem) first = NULL;
  g_autoptr(RotaOutboxItem) again = NULL;
  g_autoptr(RotaOutboxItem) wrong_op = NULL;
  g_autoptr(RotaOutboxItem) invalid = NULL;
  g_autoptr(RotaEntity) office = make_office ("o2");
  g_autoptr(GPtrArray) outbox = NULL;

  first = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
  g_assert_no_error (error);

  /* A punch is recorded once. */
  again = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
  g_assert_null (again);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  /* Offices are not edited through the outbox; punches are not PUT. */
  wrong_op = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_PUT, office, "anna", NULL, &error);
  g_assert_null (wrong_op);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  wrong_op = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (punch), "anna", NULL, &error);
  g_assert_null (wrong_op);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An invalid entity changes nothing. */
  g_clear_pointer (&punch->source, g_free);
  punch->source = g_strdup ("somewhere");
  g_free (punch->id);
  punch->id = g_strdup ("p2");
  invalid = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
  g_assert_null (invalid);
  g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  outbox = rota_store_list_outbox (fixture->store, &error);
  g_assert_cmpuint (outbox->len, ==, 1);

  /* States: conflict keeps the server's version, parked the message. */
  g_assert_true (rota_store_outbox_set_state (fixture->store, first->seq, ROTA_OUTBOX_STATE_PARKED,
                                              "kind: unknown", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = rota_store_list_outbox (fixture->store, &error);
  g_assert_cmpint (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->state, ==, ROTA_OUTBOX_STATE_PARKED);
  g_assert_cmpstr (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->message, ==, "kind: unknown");
  g_assert_cmpint (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->attempts, ==, 1);

  g_assert_false (rota_store_outbox_set_state (fixture->store, 999, ROTA_OUTBOX_STATE_PARKED, NULL, NULL, &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
}

static void
test_store_append_only (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const statements[] = {
    "UPDATE punch SET at = at + 3600",
    "DELETE FROM punch",
    "UPDATE punch_correction SET reason_text = 'nothing happened'",
    "DELETE FROM punch_correction",
    "UPDATE audit SET actor = 'someone else'",
    "DELETE FROM audit",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaPunch) punch = make_punch ("p1", "e1", ROTA_PUNCH_KIND_IN, MONDAY_8);
  g_autoptr(RotaPunchCorrection) correction = rota_punch_correction_new ();
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(RotaOutboxItem) item2 = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  sqlite3 *db = _rota_store_get_db (fixture->store);

  item = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
  g_assert_no_error (error);

  correction->id = g_strdup ("c1");
  correction->punch_id = g_strdup ("p1");
  correction->employee_id = g_strdup ("e1");
  correction->action = ROTA_CORRECTION_ACTION_MOVE;
  correction->new_at = MONDAY_8 - 120;
  correction->reason_code = g_strdup ("wrong-time");
  correction->author = g_strdup ("hr");
  correction->created_at = MONDAY_8 + DAY;
  item2 = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (correction), "hr", "terminal clock wrong", &error);
  g_assert_no_error (error);

  before = rota_store_table_hashes (fixture->store, &error);
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      gboolean ok = _rota_store_exec (db, statements[i], &error);

      g_test_message ("%s: %s", statements[i], error ? error->message : "(allowed)");
      g_assert_false (ok);
      g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "append-only"));
      g_clear_error (&error);
    }
  after = rota_store_table_hashes (fixture->store, &error);
  g_assert_cmpstr (g_hash_table_lookup (before, "punch"), ==, g_hash_table_lookup (after, "punch"));
  g_assert_cmpstr (g_hash_table_lookup (before, "audit"), ==, g_hash_table_lookup (after, "audit"));
}

static void
test_store_indexes (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const queries[] = {
    /* The shapes the store runs (see list_shifts_query and friends). */
    "SELECT id FROM shift AS t WHERE t.start >= 1 AND t.start < 2 AND t.\"end\" > 1 "
    "AND t.department_id IN (SELECT value FROM json_each ('[\"d1\"]'))",
    "SELECT id FROM shift_pending AS t WHERE t.start >= 1 AND t.start < 2 AND t.\"end\" > 1 "
    "AND t.department_id IN (SELECT value FROM json_each ('[\"d1\"]'))",
    "SELECT id FROM shift AS t WHERE t.start >= 1 AND t.start < 2 AND t.\"end\" > 1",
    "SELECT id FROM shift AS t WHERE t.start >= 1 AND t.start < 2 AND t.\"end\" > 1 AND t.employee_id = 'e1'",
    "SELECT id FROM punch AS t WHERE t.at >= 1 AND t.at < 2",
    "SELECT id FROM punch AS t WHERE t.employee_id = 'e1' AND t.at >= 1 AND t.at < 2",
    "SELECT 1 FROM shift_pending AS p WHERE p.id = 's1'",
    "SELECT seq FROM outbox WHERE kind = 'shift' AND entity_id = 's1'",
  };
  sqlite3 *db = _rota_store_get_db (fixture->store);

  g_assert_true (_rota_store_exec (db, "ANALYZE", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *sql = g_strdup_printf ("EXPLAIN QUERY PLAN %s", queries[i]);
      g_autoptr(GString) plan = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (plan, "%s; ", sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);

      g_test_message ("%s\n  -> %s", queries[i], plan->str);
      g_assert_true (strstr (plan->str, "USING INDEX") != NULL ||
                     strstr (plan->str, "USING COVERING INDEX") != NULL ||
                     strstr (plan->str, "USING PRIMARY KEY") != NULL ||
                     strstr (plan->str, "USING INTEGER PRIMARY KEY") != NULL);
      g_assert_null (strstr (plan->str, "SCAN t;"));
      g_assert_null (strstr (plan->str, "SCAN p;"));
    }
}

static void
test_store_recovery (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-recovery-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.sqlite", NULL);
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(RotaOutboxItem) refused = NULL;
  g_autoptr(RotaPunch) punch = NULL;
  g_autofree char *export = NULL;
  g_autofree char *index_page = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 page_size;
  gint64 root_page;
  int fd;

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  put (store, make_office ("o1"));
  put (store, make_department ("d1", "o1"));
  put (store, make_employee ("e1", "d1"));
  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%u", i);
      put (store, ROTA_ENTITY (make_shift (id, "d1", "e1", MONDAY_8 + i * DAY / 4, 1)));
    }
  punch = make_punch ("p1", "e1", ROTA_PUNCH_KIND_IN, MONDAY_8);
  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
  g_assert_no_error (error);

  /* Find the root page of an index, then close (folding in the WAL). */
  g_assert_cmpint (sqlite3_prepare_v2 (_rota_store_get_db (store),
                                       "SELECT rootpage FROM sqlite_schema WHERE name = 'shift_start'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root_page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  index_page = pragma (store, "page_size");
  page_size = g_ascii_strtoll (index_page, NULL, 10);
  g_clear_object (&store);

  /* Scribble over the index's root page, as a failing disk might. */
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  {
    g_autofree guchar *junk = g_malloc (page_size);
    memset (junk, 0x5a, page_size);
    g_assert_cmpint (pwrite (fd, junk, page_size, (root_page - 1) * page_size), ==, page_size);
  }
  close (fd);

  store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (rota_store_get_read_only (store));
  g_assert_nonnull (rota_store_get_recovery_reason (store));
  g_test_message ("recovery: %s", rota_store_get_recovery_reason (store));

  /* Nothing is written to a damaged store ... */
  g_clear_object (&punch);
  punch = make_punch ("p2", "e1", ROTA_PUNCH_KIND_OUT, MONDAY_8 + 8 * HOUR);
  refused = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* ... but its unsynced work can be exported. */
  export = rota_store_export_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (export, item->idempotency_key));
  g_assert_nonnull (strstr (export, "\"p1\""));

  g_clear_object (&store);

  /* Opened with the check for later, the same file opens at once; the
   * first write waits for the check and is refused, and "checked" says so. */
  {
    gboolean checked = FALSE;

    store = rota_store_open (path, ROTA_STORE_OPEN_CHECK_LATER, &error);
    g_assert_no_error (error);
    g_signal_connect_swapped (store, "checked", G_CALLBACK (flag_set), &checked);
    g_clear_object (&punch);
    punch = make_punch ("p3", "e1", ROTA_PUNCH_KIND_OUT, MONDAY_8 + 9 * HOUR);
    refused = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_READ_ONLY);
    g_clear_error (&error);
    g_assert_false (rota_store_wait_checked (store));
    g_assert_false (rota_store_get_checking (store));
    g_assert_true (rota_store_get_read_only (store));
    g_assert_nonnull (rota_store_get_recovery_reason (store));
    while (!checked)
      g_main_context_iteration (NULL, TRUE);
    g_clear_object (&store);
  }
  remove_tree (dir);
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_store_async (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RotaShift) shift = make_shift ("s9", "d1", "e1", MONDAY_8, 0);
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(RotaStore) other = NULL;

  rota_store_record_edit_async (fixture->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (shift), "anna", NULL,
                                NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  item = rota_store_record_edit_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->entity_id, ==, "s9");
  g_clear_object (&result);

  rota_store_list_shifts_async (fixture->store, MONDAY_8 - DAY, MONDAY_8 + DAY, NULL, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  shifts = rota_store_list_shifts_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 1);
  g_clear_object (&result);

  rota_store_list_punches_async (fixture->store, MONDAY_8 - DAY, MONDAY_8 + DAY, "e1", NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  punches = rota_store_list_punches_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (punches->len, ==, 0);
  g_clear_object (&result);

  rota_store_list_entities_async (fixture->store, ROTA_TYPE_EMPLOYEE, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  employees = rota_store_list_entities_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (employees->len, ==, 2);
  g_clear_object (&result);

  rota_store_list_outbox_async (fixture->store, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  outbox = rota_store_list_outbox_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpstr (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->idempotency_key, ==, item->idempotency_key);
  g_clear_object (&result);

  /* A cancelled read reports so and reads nothing. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GPtrArray) none = NULL;

    g_cancellable_cancel (cancellable);
    rota_store_list_shifts_async (fixture->store, MONDAY_8 - DAY, MONDAY_8 + DAY, NULL, cancellable, async_done_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    none = rota_store_list_shifts_finish (fixture->store, result, &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  rota_store_open_async (fixture->path, ROTA_STORE_OPEN_DEFAULT, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  other = rota_store_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (other);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

typedef struct
{
  guint      done;
  GPtrArray *keys;
} Ordered;

static void
ordered_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Ordered *ordered = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaOutboxItem) item = rota_store_record_edit_finish (ROTA_STORE (source), result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (ordered->keys, g_strdup (item->idempotency_key));
  ordered->done++;
}

static void
test_store_async_more (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(RotaEntity) entity = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *export = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "async-backup.sqlite", NULL);
  Ordered ordered = { 0, g_ptr_array_new_with_free_func (g_free) };

  /* Twenty edits queued at once are written in the order asked. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%02u", i);
      g_autoptr(RotaShift) shift = make_shift (id, "d1", "e1", MONDAY_8 + i * HOUR, 0);

      rota_store_record_edit_async (fixture->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (shift), "anna", NULL,
                                    NULL, ordered_done_cb, &ordered);
    }
  while (ordered.done < 20)
    g_main_context_iteration (NULL, TRUE);
  outbox = rota_store_list_outbox (fixture->store, &error);
  g_assert_cmpuint (outbox->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (outbox, i);
      g_autofree char *id = g_strdup_printf ("s%02u", i);

      g_assert_cmpstr (item->entity_id, ==, id);
    }
  g_ptr_array_unref (ordered.keys);

  rota_store_get_entity_async (fixture->store, ROTA_TYPE_SHIFT, "s03", NULL, async_done_cb, &result);
  entity = rota_store_get_entity_finish (fixture->store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rota_shift_get_start (ROTA_SHIFT (entity)), ==, MONDAY_8 + 3 * HOUR);
  g_clear_object (&result);

  rota_store_load_employee_week_async (fixture->store, "e1", MONDAY_8 - DAY, MONDAY_8 + 7 * DAY, NULL,
                                       async_done_cb, &result);
  g_assert_true (rota_store_load_employee_week_finish (fixture->store, wait_for (&result), &shifts, &punches, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 20);
  g_assert_cmpuint (punches->len, ==, 0);
  g_clear_object (&result);

  rota_store_list_audit_async (fixture->store, "shift", "s07", NULL, async_done_cb, &result);
  audit = rota_store_list_audit_finish (fixture->store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 1);
  g_clear_object (&result);

  rota_store_outbox_discard_async (fixture->store, ((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->seq,
                                   "anna", "not needed", NULL, async_done_cb, &result);
  g_assert_true (rota_store_outbox_discard_finish (fixture->store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  rota_store_verify_async (fixture->store, NULL, async_done_cb, &result);
  g_assert_true (rota_store_verify_finish (fixture->store, wait_for (&result), &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
  g_clear_object (&result);

  rota_store_backup_async (fixture->store, backup, NULL, async_done_cb, &result);
  g_assert_true (rota_store_backup_finish (fixture->store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_clear_object (&result);

  /* A second backup to the same file fails, and says so. */
  rota_store_backup_async (fixture->store, backup, NULL, async_done_cb, &result);
  g_assert_false (rota_store_backup_finish (fixture->store, wait_for (&result), &error));
  g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&result);

  rota_store_export_outbox_async (fixture->store, NULL, async_done_cb, &result);
  export = rota_store_export_outbox_finish (fixture->store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (export, "\"s19\""));
  g_assert_null (strstr (export, "\"s00\""));
  g_clear_object (&result);
}

static void
test_store_employee_week (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) punches = NULL;

  put (fixture->store, ROTA_ENTITY (make_shift ("s1", "d1", "e1", MONDAY_8, 1)));
  put (fixture->store, ROTA_ENTITY (make_shift ("s2", "d2", "e2", MONDAY_8, 1)));
  /* A night shift from Sunday into the week counts where it overlaps. */
  put (fixture->store, ROTA_ENTITY (make_shift ("s0", "d1", "e1", MONDAY_8 - 12 * HOUR, 1)));
  put (fixture->store, ROTA_ENTITY (make_punch ("p1", "e1", ROTA_PUNCH_KIND_IN, MONDAY_8 - 60)));
  put (fixture->store, ROTA_ENTITY (make_punch ("p2", "e2", ROTA_PUNCH_KIND_IN, MONDAY_8 - 30)));

  g_assert_true (rota_store_load_employee_week (fixture->store, "e1", MONDAY_8 - 8 * HOUR, MONDAY_8 + 7 * DAY,
                                                &shifts, &punches, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 2);
  g_assert_cmpstr (rota_entity_get_id (g_ptr_array_index (shifts, 0)), ==, "s0");
  g_assert_cmpstr (rota_entity_get_id (g_ptr_array_index (shifts, 1)), ==, "s1");
  g_assert_cmpuint (punches->len, ==, 1);
  g_assert_cmpstr (rota_entity_get_id (g_ptr_array_index (punches, 0)), ==, "p1");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("rota-data-home-XXXXXX", NULL);
  int ret;

  /* Rota's own data folder, before GLib reads and caches it. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/store/pragmas", Fixture, NULL, fixture_set_up, test_store_pragmas, fixture_tear_down);
  g_test_add_func ("/core/store/modes", test_store_modes);
  g_test_add_func ("/core/store/open-errors", test_store_open_errors);
  g_test_add_func ("/core/store/single-sqlite", test_store_single_sqlite);
  g_test_add_func ("/core/store/check-later", test_store_check_later);
  g_test_add_func ("/core/store/migrate", test_store_migrations);
  g_test_add_func ("/core/store/concurrent-create", test_store_concurrent_create);
  g_test_add ("/core/store/columns", Fixture, NULL, fixture_set_up, test_store_columns_match_fields, fixture_tear_down);
  g_test_add ("/core/store/round-trip", Fixture, NULL, fixture_set_up, test_store_round_trip, fixture_tear_down);
  g_test_add ("/core/store/server-versions", Fixture, NULL, fixture_set_up, test_store_server_versions, fixture_tear_down);
  g_test_add ("/core/store/overlay", Fixture, NULL, fixture_set_up, test_store_overlay, fixture_tear_down);
  g_test_add ("/core/store/complete-without-body", Fixture, NULL, fixture_set_up, test_store_complete_without_body, fixture_tear_down);
  g_test_add ("/core/store/savepoints", Fixture, NULL, fixture_set_up, test_store_savepoints, fixture_tear_down);
  g_test_add ("/core/store/outbox-rules", Fixture, NULL, fixture_set_up, test_store_outbox_rules, fixture_tear_down);
  g_test_add ("/core/store/append-only", Fixture, NULL, fixture_set_up, test_store_append_only, fixture_tear_down);
  g_test_add ("/core/store/indexes", Fixture, NULL, fixture_set_up, test_store_indexes, fixture_tear_down);
  g_test_add_func ("/core/store/recovery", test_store_recovery);
  g_test_add ("/core/store/async", Fixture, NULL, fixture_set_up, test_store_async, fixture_tear_down);
  g_test_add ("/core/store/async-more", Fixture, NULL, fixture_set_up, test_store_async_more, fixture_tear_down);
  g_test_add ("/core/store/employee-week", Fixture, NULL, fixture_set_up, test_store_employee_week, fixture_tear_down);

  ret = g_test_run ();
  remove_tree (data_home);

  return ret;
}
