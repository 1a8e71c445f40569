/* test-backup.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The backup-and-restore drill of reliability.md D5 and D6, through
 * rotactl as a user runs it: backups taken while another process writes
 * are consistent snapshots, a restore gives back exactly what was backed
 * up, and restore and backup refuse what would lose data.
 *
 * rotactl's path comes from the environment variable ROTACTL, the writer's
 * from ROTA_TEST_CRASH_WRITER at build time.
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rota-model-private.h"
#include "rota-store.h"

#ifndef ROTA_TEST_CRASH_WRITER
# error "ROTA_TEST_CRASH_WRITER must name the rota-crash-writer program"
#endif

#define N_BACKUPS 3

/* A backup is taken only after the writer has acknowledged this many more
 * punches, so that every backup lands among writes. */
#define ACKS_BETWEEN_BACKUPS 5

#define WAIT_TIMEOUT_US (60 * G_USEC_PER_SEC)

#define PUNCH_EPOCH G_GINT64_CONSTANT (1795000000)

/* Helpers: files */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rota-backup-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (!S_ISDIR (st.st_mode))
    {
      g_assert_cmpint (g_remove (path), ==, 0);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }

  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
assert_bytes_unchanged (const char *path,
                        GBytes     *before)
{
  g_autoptr(GBytes) after = read_bytes (path);

  if (!g_bytes_equal (before, after))
    g_error ("%s was changed (%zu bytes before, %zu after)", path,
             g_bytes_get_size (before), g_bytes_get_size (after));
}

/* Helpers: processes */

static const char *
get_rotactl (void)
{
  const char *rotactl = g_getenv ("ROTACTL");

  /* meson sets it; running the test by hand needs it too. */
  if (rotactl == NULL || *rotactl == '\0')
    g_error ("Set ROTACTL to the rotactl program to run this test");

  return rotactl;
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs rotactl with a NULL-terminated list of arguments; the exit status
 * is -1 if it did not exit normally (a crash or a sanitizer abort). */
static void
run_rotactl (Run *run,
             ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) get_rotactl ());
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);

  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static void
assert_run_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("rotactl exited with %d: %s", run->status, run->err);
}

/* A refusal: exit code 1, one clear message on stderr naming @what. */
static void
assert_run_refused (const Run  *run,
                    const char *expected,
                    const char *what)
{
  g_autofree char *message = g_strstrip (g_strdup (run->err));

  g_test_message ("refused: %s", message);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "rotactl: "));
  g_assert_nonnull (strstr (run->err, expected));
  if (what != NULL)
    g_assert_nonnull (strstr (run->err, what));
}

static void
run_setup (const char *store_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                           ROTA_TEST_CRASH_WRITER, "setup", store_path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

/* Helpers: stores */

static RotaStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  RotaStore *store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_false (rota_store_get_read_only (store));

  return store;
}

static void
assert_store_verifies (RotaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;

  g_assert_true (rota_store_verify (store, &problem, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (problem, ==, NULL);
}

static GHashTable *
store_hashes (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = open_store (path);
  GHashTable *hashes = rota_store_table_hashes (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hashes);
  rota_store_close (store);

  return hashes;
}

static void
assert_hashes_equal (GHashTable *expected,
                     GHashTable *actual)
{
  GHashTableIter iter;
  gpointer table;
  gpointer hash;

  g_assert_cmpuint (g_hash_table_size (actual), ==, g_hash_table_size (expected));

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &table, &hash))
    {
      const char *other = g_hash_table_lookup (actual, table);

      if (g_strcmp0 (hash, other) != 0)
        g_error ("Table %s differs: %s, expected %s",
                 (const char *) table, other, (const char *) hash);
    }
}

static RotaPunch *
make_punch (gint64 seq)
{
  RotaPunch *punch = rota_punch_new ();

  punch->id = g_uuid_string_random ();
  punch->employee_id = g_strdup ("emp-1");
  punch->kind = (seq % 2) != 0 ? ROTA_PUNCH_KIND_IN : ROTA_PUNCH_KIND_OUT;
  punch->at = PUNCH_EPOCH + seq;
  punch->source = g_strdup ("kiosk:test");
  punch->device_seq = seq;

  return punch;
}

/* Adds @n punches as server state (no outbox rows), in one transaction. */
static void
add_server_punches (const char *path,
                    guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = open_store (path);
  g_autoptr(GPtrArray) punches = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (punches, make_punch (i + 1));

  g_assert_true (rota_store_put_entities (store, punches, &error));
  g_assert_no_error (error);
  rota_store_close (store);
}

static gint64
count_unsynced (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = open_store (path);
  gint64 pending = -1;
  gint64 conflicts = -1;
  gint64 parked = -1;

  g_assert_true (rota_store_count_outbox (store, &pending, &conflicts, &parked, &error));
  g_assert_no_error (error);
  rota_store_close (store);

  return pending + conflicts + parked;
}

/* Helpers: the writer's acknowledgements */

static GPtrArray *
read_acks (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GPtrArray *acks = g_ptr_array_new_with_free_func (g_free);
  const char *start;
  const char *end;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      return acks;
    }

  /* A line without its newline is still being written. */
  for (start = contents; (end = strchr (start, '\n')) != NULL; start = end + 1)
    {
      char *id = g_strndup (start, end - start);

      g_assert_true (g_uuid_string_is_valid (id));
      g_ptr_array_add (acks, id);
    }

  return acks;
}

static guint
count_acks (const char *path)
{
  g_autoptr(GPtrArray) acks = read_acks (path);

  return acks->len;
}

static guint
wait_for_acks (const char  *path,
               guint        min,
               GSubprocess *writer)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;

  for (;;)
    {
      guint n = count_acks (path);

      if (n >= min)
        return n;

      /* GSubprocess reaps its child as soon as it ends. */
      if (g_subprocess_get_identifier (writer) == NULL)
        g_error ("The writer ended after %u punches; its message is above", n);

      if (g_get_monotonic_time () > deadline)
        g_error ("The writer acknowledged %u punches, not %u, in %d s", n, min,
                 (int) (WAIT_TIMEOUT_US / G_USEC_PER_SEC));

      g_usleep (2 * 1000);
    }
}

/* /core/backup/while-writing */

typedef struct
{
  char       *path;
  gint64      n_punches;
  GHashTable *ids; /* punch id → device_seq */
} Backup;

static void
backup_clear (Backup *backup)
{
  g_clear_pointer (&backup->path, g_free);
  g_clear_pointer (&backup->ids, g_hash_table_unref);
}

/* Checks one backup on its own: private, undamaged, a Rota store whose
 * punches are the writer's first n, each with its outbox row. */
static void
check_backup (Backup *backup)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GHashTable) counts = NULL;
  gint64 min_seq = G_MAXINT64;
  gint64 max_seq = 0;
  Run verify = { 0, };

  /* Before opening it: opening a store makes it private if it is not. */
  g_assert_cmpuint (file_mode (backup->path), ==, 0600);

  store = open_store (backup->path);
  assert_store_verifies (store);

  punches = rota_store_list_entities (store, ROTA_TYPE_PUNCH, &error);
  g_assert_no_error (error);
  counts = rota_store_table_counts (store, &error);
  g_assert_no_error (error);

  backup->n_punches = punches->len;
  backup->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (punches, i);

      g_assert_true (g_hash_table_insert (backup->ids, g_strdup (punch->id),
                                          GSIZE_TO_POINTER ((gsize) punch->device_seq)));
      min_seq = MIN (min_seq, punch->device_seq);
      max_seq = MAX (max_seq, punch->device_seq);
    }

  /* A snapshot of a sequential writer: punches 1..n, none torn off its
   * outbox or audit row. */
  g_assert_cmpint (backup->n_punches, >, 0);
  g_assert_cmpint (min_seq, ==, 1);
  g_assert_cmpint (max_seq, ==, backup->n_punches);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "outbox"), ==, backup->n_punches);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "audit"), ==, backup->n_punches);

  rota_store_close (store);

  run_rotactl (&verify, "--store", backup->path, "verify", NULL);
  assert_run_ok (&verify);
  run_clear (&verify);
}

static char *
hash_section (const char *stats_output)
{
  const char *blank = g_strrstr (stats_output, "\n\n");

  g_assert_nonnull (blank);
  return g_strdup (blank + 2);
}

static void
test_backup_while_writing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GPtrArray) acks = NULL;
  g_autoptr(GHashTable) backup_hashes = NULL;
  g_autoptr(GHashTable) restored_hashes = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *store_path = g_build_filename (dir, "store.sqlite", NULL);
  g_autofree char *acks_path = g_build_filename (dir, "acks.txt", NULL);
  g_autofree char *fresh_dir = g_build_filename (dir, "fresh", NULL);
  g_autofree char *fresh_path = g_build_filename (fresh_dir, "store.sqlite", NULL);
  g_autofree char *backup_section = NULL;
  g_autofree char *restored_section = NULL;
  Backup backups[N_BACKUPS] = { { 0, }, };
  guint acked_during_backups = 0;
  guint acked = 0;
  gint64 n_final;
  gint64 started;
  Run run = { 0, };

  run_setup (store_path);

  /* The writer's acknowledgements go to a file, read whenever needed,
   * so that it never waits for us. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, acks_path);
  writer = g_subprocess_launcher_spawn (launcher, &error, ROTA_TEST_CRASH_WRITER,
                                        "punches", store_path, "1", "--max", "1000000", NULL);
  g_assert_no_error (error);

  acked = wait_for_acks (acks_path, ACKS_BETWEEN_BACKUPS, writer);

  for (guint i = 0; i < N_BACKUPS; i++)
    {
      g_autofree char *name = g_strdup_printf ("backup-%u.sqlite", i);
      guint acked_before;

      backups[i].path = g_build_filename (dir, name, NULL);

      acked_before = count_acks (acks_path);
      started = g_get_monotonic_time ();
      run_rotactl (&run, "--store", store_path, "backup", backups[i].path, NULL);
      assert_run_ok (&run);
      run_clear (&run);
      acked = count_acks (acks_path);
      acked_during_backups += acked - acked_before;

      g_test_message ("Backup %u took %.0f ms; the writer acknowledged %u punches meanwhile",
                      i, (g_get_monotonic_time () - started) / 1000.0, acked - acked_before);

      check_backup (&backups[i]);
      g_test_message ("Backup %u holds %" G_GINT64_FORMAT " punches", i, backups[i].n_punches);

      /* A small pause, in which the writer must get on. */
      g_usleep (20 * 1000);
      acked = wait_for_acks (acks_path, acked + ACKS_BETWEEN_BACKUPS, writer);
    }

  g_subprocess_send_signal (writer, SIGKILL);
  g_subprocess_wait (writer, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_signaled (writer))
    g_error ("The writer stopped by itself, with status %d", g_subprocess_get_exit_status (writer));

  /* The store after the writer: every acknowledged punch, and at most the
   * one it was killed before acknowledging. */
  acks = read_acks (acks_path);
  store = open_store (store_path);
  assert_store_verifies (store);
  counts = rota_store_table_counts (store, &error);
  g_assert_no_error (error);
  n_final = *(gint64 *) g_hash_table_lookup (counts, "punch");
  g_assert_cmpint (n_final, >=, acks->len);
  g_assert_cmpint (n_final, <=, acks->len + 1);
  rota_store_close (store);

  g_test_message ("The writer acknowledged %u punches, %u while backups ran; the store holds %"
                  G_GINT64_FORMAT, acks->len, acked_during_backups, n_final);

  /* The backups ran while the writer wrote, and each holds a prefix of what
   * it acknowledged: the first n punches, no more, no less. */
  g_assert_cmpuint (acked_during_backups, >, 0);
  for (guint i = 0; i < N_BACKUPS; i++)
    {
      /* The writer acknowledged more after each backup, so each holds
       * acknowledged punches only. */
      g_assert_cmpint (backups[i].n_punches, <=, n_final);
      g_assert_cmpint (backups[i].n_punches, <, acks->len);
      if (i > 0)
        g_assert_cmpint (backups[i].n_punches, >, backups[i - 1].n_punches);

      for (guint j = 0; j < backups[i].n_punches; j++)
        {
          const char *id = g_ptr_array_index (acks, j);
          gpointer seq;

          if (!g_hash_table_lookup_extended (backups[i].ids, id, NULL, &seq))
            g_error ("Backup %u holds %" G_GINT64_FORMAT " punches but not acknowledged "
                     "punch %u (%s)", i, backups[i].n_punches, j + 1, id);
          g_assert_cmpuint (GPOINTER_TO_SIZE (seq), ==, j + 1);
        }
    }

  /* Restore the last backup into a fresh place, and compare. */
  started = g_get_monotonic_time ();
  run_rotactl (&run, "--store", fresh_path, "restore", backups[N_BACKUPS - 1].path, NULL);
  assert_run_ok (&run);
  run_clear (&run);
  g_test_message ("Restore of %" G_GINT64_FORMAT " punches took %.0f ms",
                  backups[N_BACKUPS - 1].n_punches, (g_get_monotonic_time () - started) / 1000.0);

  g_assert_cmpuint (file_mode (fresh_dir), ==, 0700);
  g_assert_cmpuint (file_mode (fresh_path), ==, 0600);

  backup_hashes = store_hashes (backups[N_BACKUPS - 1].path);
  restored_hashes = store_hashes (fresh_path);
  g_assert_true (g_hash_table_contains (backup_hashes, "punch"));
  g_assert_true (g_hash_table_contains (backup_hashes, "outbox"));
  g_assert_true (g_hash_table_contains (backup_hashes, "audit"));
  assert_hashes_equal (backup_hashes, restored_hashes);
  g_test_message ("All %u table hashes of the restored store equal the backup's",
                  g_hash_table_size (restored_hashes));

  /* rotactl agrees, and the restored store verifies. */
  run_rotactl (&run, "--store", backups[N_BACKUPS - 1].path, "stats", "--hashes", NULL);
  assert_run_ok (&run);
  backup_section = hash_section (run.out);
  run_clear (&run);
  run_rotactl (&run, "--store", fresh_path, "stats", "--hashes", NULL);
  assert_run_ok (&run);
  restored_section = hash_section (run.out);
  run_clear (&run);
  g_assert_nonnull (strstr (backup_section, "punch "));
  g_assert_cmpstr (restored_section, ==, backup_section);

  run_rotactl (&run, "--store", fresh_path, "verify", NULL);
  assert_run_ok (&run);
  run_clear (&run);

  for (guint i = 0; i < N_BACKUPS; i++)
    backup_clear (&backups[i]);
  remove_tree (dir);
}

/* /core/backup/restore-refuses-unsynced */

static void
test_backup_restore_refuses_unsynced (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaPunch) punch = make_punch (1);
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) source_hashes = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *store_path = g_build_filename (dir, "store.sqlite", NULL);
  g_autofree char *other_path = g_build_filename (dir, "other.sqlite", NULL);
  g_autofree char *backup_path = g_build_filename (dir, "other.backup", NULL);
  g_autoptr(RotaEntity) still_there = NULL;
  Run run = { 0, };

  /* The source: a store without the punch. */
  run_setup (other_path);
  add_server_punches (other_path, 3);
  run_rotactl (&run, "--store", other_path, "backup", backup_path, NULL);
  assert_run_ok (&run);
  run_clear (&run);

  /* The target: one punch recorded here and never synced. */
  run_setup (store_path);
  store = open_store (store_path);
  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch),
                                 "kiosk:test", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  rota_store_close (store);
  g_clear_object (&store);
  g_assert_cmpint (count_unsynced (store_path), ==, 1);

  before = store_hashes (store_path);
  bytes = read_bytes (store_path);

  run_rotactl (&run, "--store", store_path, "restore", backup_path, NULL);
  assert_run_refused (&run, "--force", store_path);
  run_clear (&run);

  after = store_hashes (store_path);
  assert_hashes_equal (before, after);
  assert_bytes_unchanged (store_path, bytes);
  store = open_store (store_path);
  still_there = rota_store_get_entity (store, ROTA_TYPE_PUNCH, punch->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (still_there);
  rota_store_close (store);
  g_clear_object (&store);

  /* --force loses the edit, as asked. */
  run_rotactl (&run, "--store", store_path, "restore", "--force", backup_path, NULL);
  assert_run_ok (&run);
  run_clear (&run);

  source_hashes = store_hashes (backup_path);
  g_clear_pointer (&after, g_hash_table_unref);
  after = store_hashes (store_path);
  assert_hashes_equal (source_hashes, after);
  g_assert_cmpint (count_unsynced (store_path), ==, 0);

  remove_tree (dir);
}

/* /core/backup/restore-refuses-bad-source */

static void
make_foreign_database (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipe (name TEXT, minutes INTEGER);"
                                     "INSERT INTO recipe VALUES ('Stamppot', 40), ('Spätzle', 30);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
set_user_version (const char *path,
                  int         version)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static char *
quick_check (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  result = g_strdup (rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0)
                                      : sqlite3_errstr (rc));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return result;
}

/* Overwrites a page in the middle of the file, among the punches. */
static void
damage_database (const char *path)
{
  g_autofree char *check = NULL;
  g_autofree guchar *junk = NULL;
  guchar header[100];
  GStatBuf st;
  gsize page_size;
  gsize n_pages;
  goffset offset;
  int fd;

  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, header, sizeof header, 0), ==, sizeof header);
  g_assert_cmpint (memcmp (header, "SQLite format 3", 16), ==, 0);
  page_size = (header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  n_pages = st.st_size / page_size;

  /* Enough rows that the middle page is a b-tree page well past the
   * schema. */
  g_assert_cmpuint (n_pages, >=, 32);
  offset = (goffset) (n_pages / 2) * page_size;

  junk = g_malloc (page_size);
  memset (junk, 0xFF, page_size);
  g_assert_cmpint (pwrite (fd, junk, page_size, offset), ==, (gssize) page_size);
  g_assert_cmpint (fsync (fd), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  /* The damage is real. */
  check = quick_check (path);
  g_test_message ("Damaged page %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ": quick_check says '%s'",
                  n_pages / 2 + 1, n_pages, check);
  g_assert_cmpstr (check, !=, "ok");
}

static void
test_backup_restore_refuses_bad_source (void)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *store_path = g_build_filename (dir, "store.sqlite", NULL);
  g_autofree char *absent_path = g_build_filename (dir, "absent", "store.sqlite", NULL);
  g_autofree char *big_path = g_build_filename (dir, "big.sqlite", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-backup.sqlite", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.sqlite", NULL);
  g_autofree char *foreign = g_build_filename (dir, "recipes.sqlite", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.backup", NULL);
  g_autofree char *damaged = g_build_filename (dir, "damaged.backup", NULL);
  g_autofree char *good = g_build_filename (dir, "good.backup", NULL);
  g_autoptr(GString) text_contents = g_string_new (NULL);
  Run run = { 0, };
  const struct
  {
    const char *source;
    const char *expected;
  } cases[] = {
    { missing, "There is no backup at" },
    { text, "cannot be read as a database" },
    { empty, "is not a backup of a Rota store" },
    { foreign, "not one of Rota's" },
    { newer, "newer version of Rota" },
    { damaged, "is damaged" },
  };

  /* The target: a store with some data and nothing unsynced, which a good
   * backup may replace. */
  run_setup (store_path);
  add_server_punches (store_path, 10);

  /* The sources. */
  for (guint i = 0; i < 200; i++)
    g_string_append (text_contents, "These are not the punches you are looking for.\n");
  write_text (text, text_contents->str);
  write_text (empty, "");
  make_foreign_database (foreign);

  run_setup (big_path);
  add_server_punches (big_path, 3000);
  run_rotactl (&run, "--store", big_path, "backup", damaged, NULL);
  assert_run_ok (&run);
  run_clear (&run);
  damage_database (damaged);

  run_rotactl (&run, "--store", big_path, "backup", newer, NULL);
  assert_run_ok (&run);
  run_clear (&run);
  set_user_version (newer, ROTA_STORE_SCHEMA_VERSION + 1);

  before = store_hashes (store_path);
  bytes = read_bytes (store_path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Refused with and without --force, which only concerns unsynced
       * edits; the store is untouched. */
      run_rotactl (&run, "--store", store_path, "restore", cases[i].source, NULL);
      assert_run_refused (&run, cases[i].expected, cases[i].source);
      run_clear (&run);
      assert_bytes_unchanged (store_path, bytes);

      run_rotactl (&run, "--store", store_path, "restore", "--force", cases[i].source, NULL);
      assert_run_refused (&run, cases[i].expected, cases[i].source);
      run_clear (&run);
      assert_bytes_unchanged (store_path, bytes);

      /* Nor does a refused restore leave a new, empty store behind. */
      run_rotactl (&run, "--store", absent_path, "restore", cases[i].source, NULL);
      assert_run_refused (&run, cases[i].expected, cases[i].source);
      run_clear (&run);
      g_assert_false (g_file_test (absent_path, G_FILE_TEST_EXISTS));
    }

  after = store_hashes (store_path);
  assert_hashes_equal (before, after);

  /* The target itself was fine to restore into all along. */
  run_rotactl (&run, "--store", big_path, "backup", good, NULL);
  assert_run_ok (&run);
  run_clear (&run);
  run_rotactl (&run, "--store", store_path, "restore", good, NULL);
  assert_run_ok (&run);
  run_clear (&run);
  g_clear_pointer (&before, g_hash_table_unref);
  g_clear_pointer (&after, g_hash_table_unref);
  before = store_hashes (good);
  after = store_hashes (store_path);
  assert_hashes_equal (before, after);

  remove_tree (dir);
}

/* /core/backup/refuses-existing-dest */

static void
test_backup_refuses_existing_dest (void)
{
  g_autoptr(GBytes) text_bytes = NULL;
  g_autoptr(GBytes) backup_bytes = NULL;
  g_autoptr(GBytes) store_bytes = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *store_path = g_build_filename (dir, "store.sqlite", NULL);
  g_autofree char *text = g_build_filename (dir, "precious.txt", NULL);
  g_autofree char *backup = g_build_filename (dir, "yesterday.backup", NULL);
  g_autofree char *link = g_build_filename (dir, "link.backup", NULL);
  g_autofree char *link_target = g_build_filename (dir, "not-there", NULL);
  Run run = { 0, };

  run_setup (store_path);
  add_server_punches (store_path, 10);

  /* A file someone keeps, readable by others on purpose. */
  write_text (text, "The only copy of something important.\n");
  g_assert_cmpint (g_chmod (text, 0644), ==, 0);
  text_bytes = read_bytes (text);

  run_rotactl (&run, "--store", store_path, "backup", text, NULL);
  assert_run_refused (&run, "already exists", text);
  run_clear (&run);
  assert_bytes_unchanged (text, text_bytes);
  g_assert_cmpuint (file_mode (text), ==, 0644);

  /* An older backup. */
  run_rotactl (&run, "--store", store_path, "backup", backup, NULL);
  assert_run_ok (&run);
  run_clear (&run);
  add_server_punches (store_path, 20);
  backup_bytes = read_bytes (backup);

  run_rotactl (&run, "--store", store_path, "backup", backup, NULL);
  assert_run_refused (&run, "already exists", backup);
  run_clear (&run);
  assert_bytes_unchanged (backup, backup_bytes);

  /* The store itself. */
  store_bytes = read_bytes (store_path);
  run_rotactl (&run, "--store", store_path, "backup", store_path, NULL);
  assert_run_refused (&run, "already exists", store_path);
  run_clear (&run);
  assert_bytes_unchanged (store_path, store_bytes);

  /* A dangling symbolic link is not followed to create its target. */
  g_assert_cmpint (symlink (link_target, link), ==, 0);
  run_rotactl (&run, "--store", store_path, "backup", link, NULL);
  assert_run_refused (&run, "already exists", link);
  run_clear (&run);
  g_assert_false (g_file_test (link_target, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/backup/while-writing", test_backup_while_writing);
  g_test_add_func ("/core/backup/restore-refuses-unsynced", test_backup_restore_refuses_unsynced);
  g_test_add_func ("/core/backup/restore-refuses-bad-source",
                   test_backup_restore_refuses_bad_source);
  g_test_add_func ("/core/backup/refuses-existing-dest", test_backup_refuses_existing_dest);

  return g_test_run ();
}
