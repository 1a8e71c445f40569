/* test-rotactl.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include "rota-model-private.h"
#include "rota-store-private.h"

/*
 * rotactl as a user runs it: the real binary, its exit codes and what it
 * prints. Exit codes: 0 success, 1 failure, 2 bad arguments, 3 verify
 * found a problem.
 */

typedef struct
{
  char *dir;
  char *store;
} Fixture;

static int
rotactl (char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *binary = g_getenv ("ROTACTL");
  va_list ap;

  g_assert_nonnull (binary);
  g_ptr_array_add (args, (char *) binary);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* Messages in English, whatever the machine's language. */
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  g_test_message ("rotactl %s … → %d\n%s", first, g_subprocess_get_exit_status (process), output);

  if (out != NULL)
    *out = g_steal_pointer (&output);

  return g_subprocess_get_exit_status (process);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rotactl-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = g_build_filename (fixture->dir, "rota", "demo.sqlite", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *argv0 = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_assert_true (g_spawn_command_line_sync (argv0, NULL, NULL, NULL, NULL));
  g_free (fixture->dir);
  g_free (fixture->store);
}

static void
test_rotactl_usage (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (rotactl (&out, NULL), ==, 2);
  g_assert_nonnull (strstr (out, "Name a command"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (out, "Unknown command “frobnicate”"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--employees", "zero", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--employees", "0", "--weeks", "9999", NULL), ==, 2);
  g_assert_nonnull (strstr (out, "--weeks"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--bogus", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "stats", "extra", NULL), ==, 2);
  g_assert_nonnull (strstr (out, "Too many arguments"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "backup", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "restore", NULL), ==, 2);
  g_clear_pointer (&out, g_free);

  /* Bad arguments leave nothing behind. */
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));

  g_assert_cmpint (rotactl (&out, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "verify"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--version", NULL), ==, 0);
  g_assert_nonnull (strstr (out, PACKAGE_VERSION));
}

static void
test_rotactl_missing (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const commands[] = { "stats", "verify", "backup" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *dest = g_build_filename (fixture->dir, "copy.sqlite", NULL);

      g_assert_cmpint (rotactl (&out, "--store", fixture->store, commands[i],
                                g_str_equal (commands[i], "backup") ? dest : NULL, NULL), ==, 1);
      g_assert_nonnull (strstr (out, "There is no store at"));
      g_assert_nonnull (strstr (out, "rotactl demo"));
      g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
    }
}

static void
test_rotactl_demo_cycle (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *hashes_a = NULL;
  g_autofree char *hashes_b = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.sqlite", NULL);
  GStatBuf st;

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--employees", "10", "--weeks", "3", "--seed", "7", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Made a demo workspace"));
  g_assert_nonnull (strstr (out, "seed 7"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (g_stat (fixture->store, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  /* A second demo does not silently replace the first. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "--force"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "stats", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Employees:      10\n"));
  g_assert_nonnull (strstr (out, "Unsynced edits: 0 pending"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "verify", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "OK"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "backup", backup, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "backup", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "already exists"));
  g_clear_pointer (&out, g_free);

  /* The same seed gives the same data: --force makes it again. */
  g_assert_cmpint (rotactl (&hashes_a, "--store", fixture->store, "stats", "--hashes", NULL), ==, 0);
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "demo", "--force", "--employees", "10", "--weeks", "3", "--seed", "7", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&hashes_b, "--store", fixture->store, "stats", "--hashes", NULL), ==, 0);
  g_assert_nonnull (strstr (hashes_a, "shift "));
  g_assert_cmpstr (strstr (hashes_a, "absence "), ==, strstr (hashes_b, "absence "));

  /* Restore into a new store. */
  {
    g_autofree char *restored = g_build_filename (fixture->dir, "restored", "store.sqlite", NULL);
    g_autofree char *hashes_c = NULL;
    g_autofree char *hashes_backup = NULL;

    g_assert_cmpint (rotactl (&out, "--store", restored, "restore", backup, NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (rotactl (&hashes_c, "--store", restored, "stats", "--hashes", NULL), ==, 0);
    g_assert_cmpint (rotactl (&hashes_backup, "--store", backup, "stats", "--hashes", NULL), ==, 0);
    g_assert_cmpstr (strstr (hashes_c, "absence "), ==, strstr (hashes_backup, "absence "));
  }
}

static void
test_rotactl_damaged (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *text = g_build_filename (fixture->dir, "notes.sqlite", NULL);
  g_autofree char *after = NULL;

  /* --force replaces a demo workspace, never some other file. */
  g_assert_true (g_file_set_contents (text, "not a database, just notes\n", -1, NULL));
  g_assert_cmpint (rotactl (&out, "--store", text, "demo", "--force", "--employees", "10", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "cannot be read"));
  g_assert_true (g_file_get_contents (text, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "not a database, just notes\n");
  g_clear_pointer (&out, g_free);

  g_assert_true (g_file_set_contents (text, "not a database, just notes\n", -1, NULL));
  g_assert_cmpint (rotactl (&out, "--store", text, "verify", NULL), ==, 3);
  g_assert_nonnull (strstr (out, "cannot be read as a database"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rotactl (&out, "--store", text, "stats", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "cannot be read as a database"));
}

/* A store with one unsynced punch, whose shift_start index page is then
 * overwritten, as a failing disk might. Returns the punch's key. */
static char *
make_damaged_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(RotaPunch) punch = rota_punch_new ();
  g_autofree guchar *junk = NULL;
  RotaEmployee *employee = rota_employee_new ();
  sqlite3_stmt *stmt = NULL;
  gint64 root_page;
  int fd;

  g_assert_no_error (error);
  employee->id = g_strdup ("e1");
  employee->first_name = g_strdup ("Finn");
  employee->last_name = g_strdup ("de Vries");
  g_assert_true (rota_store_put_entity (store, ROTA_ENTITY (employee), &error));
  g_object_unref (employee);

  punch->id = g_strdup ("p1");
  punch->employee_id = g_strdup ("e1");
  punch->kind = ROTA_PUNCH_KIND_IN;
  punch->at = 1795417200;
  punch->source = g_strdup ("manual");
  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "hr", NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (_rota_store_get_db (store),
                                       "SELECT rootpage FROM sqlite_schema WHERE name = 'punch_at'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root_page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_clear_object (&store);

  junk = g_malloc (4096);
  memset (junk, 0x5a, 4096);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, 4096, (root_page - 1) * 4096), ==, 4096);
  close (fd);

  return g_strdup (item->idempotency_key);
}

static void
test_rotactl_recovery (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *export = g_build_filename (fixture->dir, "unsynced.json", NULL);
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  key = make_damaged_store (fixture->store);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "verify", NULL), ==, 3);
  g_assert_nonnull (strstr (out, "FAILED"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "stats", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "damaged"));
  g_assert_nonnull (strstr (out, "export-unsynced"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export-unsynced", "--output", export, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (g_stat (export, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (export, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, key));
  g_assert_nonnull (strstr (saved, "\"punch\""));

  /* It never overwrites a file. */
  g_assert_cmpint (rotactl (&out, "--store", fixture->store, "export-unsynced", "--output", export, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "already exists"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/rotactl/usage", Fixture, NULL, fixture_set_up, test_rotactl_usage, fixture_tear_down);
  g_test_add ("/core/rotactl/missing", Fixture, NULL, fixture_set_up, test_rotactl_missing, fixture_tear_down);
  g_test_add ("/core/rotactl/demo-cycle", Fixture, NULL, fixture_set_up, test_rotactl_demo_cycle, fixture_tear_down);
  g_test_add ("/core/rotactl/damaged", Fixture, NULL, fixture_set_up, test_rotactl_damaged, fixture_tear_down);
  g_test_add ("/core/rotactl/recovery", Fixture, NULL, fixture_set_up, test_rotactl_recovery, fixture_tear_down);

  return g_test_run ();
}
