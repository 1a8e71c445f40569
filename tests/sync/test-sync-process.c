/* test-sync-process.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * `rotactl sync` as a user runs it, against the real rota-server over
 * loopback TLS, with the token in a real gnome-keyring on a private D-Bus
 * session (keyring-session.sh):
 *
 *  - killed with SIGKILL at hundreds of random points while it syncs,
 *    with new edits made between the kills: afterwards no edit is lost,
 *    none arrived twice, and the cache passes quick_check every time;
 *  - its exit codes: synced, a conflict, offline, no such account;
 *  - a canary token: it appears in no file Rota writes (the cache, its
 *    WAL, the account list, settings), in no output with every debug
 *    message on, and not in the process's arguments or environment.
 */

#define _GNU_SOURCE

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "rota-account.h"
#include "rota-codec.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-store.h"
#include "rota-sync.h"
#include "rota-time.h"
#include "server-harness.h"
#include "sync-testlib.h"

/* How many times the sync is killed, at least. */
#define KILLS 200

typedef HarnessServer Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rota-sync-process-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->dir, "data", NULL);
  harness_make_certificates (fixture->dir, &fixture->ca, &fixture->cert, &fixture->key);
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "init", NULL));
  fixture->tokens = harness_demo_tokens (fixture->data_dir, "alpha", "20", "2");
  /* No rate limit: the kill test sends a thousand edits in bursts. */
  fixture->server = harness_start_server (fixture->data_dir, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &fixture->base,
                                          "--tls-cert", fixture->cert, "--tls-key", fixture->key,
                                          "--rate-limit", "0", NULL);
}

static GSubprocess *
spawn_rotactl (GSubprocessFlags   flags,
               const char        *first,
               ...) G_GNUC_NULL_TERMINATED;

/* rotactl with every debug message on, so that a token in one would show. */
static GSubprocess *
spawn_rotactl (GSubprocessFlags  flags,
               const char       *first,
               ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("ROTACTL"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  return process;
}

static void
add_account (Fixture    *fixture,
             const char *token)
{
  g_autoptr(GSubprocess) process = spawn_rotactl (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                  G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                  "account", "add", fixture->base, "alpha",
                                                  "--ca-file", fixture->ca, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, token, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_null (strstr (out, token));
  g_assert_null (strstr (err, token));
}

/* `rotactl sync` to the end; returns its exit status, and its output. */
static int
sync_once (Fixture  *fixture,
           char    **output)
{
  g_autoptr(GSubprocess) process = spawn_rotactl (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                  "sync", fixture->base, "alpha", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  if (output != NULL)
    *output = g_steal_pointer (&out);

  return g_subprocess_get_exit_status (process);
}

static char *
cache_path (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaAccount) account = rota_account_find (fixture->base, "alpha", &error);

  g_assert_no_error (error);
  return g_strdup (account->cache);
}

/* What the test asked of the server: how often each shift was edited,
 * and which punches were made. */
typedef struct
{
  GRand      *rand;
  GPtrArray  *shift_ids;
  GPtrArray  *employee_ids;
  GHashTable *edits;       /* shift id → number of edits */
  GPtrArray  *punch_ids;
  gint64      clock;       /* the time of the next punch */
} Work;

/* Work on the shifts and employees in @cache, synced once by now. */
static void
work_init (Work       *work,
           const char *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (cache, ROTA_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  const char *seed_text = g_getenv ("ROTA_TEST_SEED");
  guint32 seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10) : g_random_int ();

  g_assert_no_error (error);
  shifts = rota_store_list_entities (store, ROTA_TYPE_SHIFT, &error);
  g_assert_no_error (error);
  employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
  g_assert_no_error (error);
  g_test_message ("seed %u (set ROTA_TEST_SEED to repeat)", seed);
  work->rand = g_rand_new_with_seed (seed);
  work->shift_ids = g_ptr_array_new_with_free_func (g_free);
  work->employee_ids = g_ptr_array_new_with_free_func (g_free);
  work->edits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  work->punch_ids = g_ptr_array_new_with_free_func (g_free);
  work->clock = rota_time_now () - 30 * 86400;

  for (guint i = 0; i < shifts->len; i++)
    if (!ROTA_SHIFT (g_ptr_array_index (shifts, i))->deleted)
      g_ptr_array_add (work->shift_ids, g_strdup (ROTA_SHIFT (g_ptr_array_index (shifts, i))->id));
  for (guint i = 0; i < employees->len; i++)
    g_ptr_array_add (work->employee_ids, g_strdup (ROTA_EMPLOYEE (g_ptr_array_index (employees, i))->id));
  g_assert_cmpuint (work->shift_ids->len, >, 10);
  g_assert_cmpuint (work->employee_ids->len, ==, 20);
}

static void
work_clear (Work *work)
{
  g_rand_free (work->rand);
  g_ptr_array_unref (work->shift_ids);
  g_ptr_array_unref (work->employee_ids);
  g_hash_table_unref (work->edits);
  g_ptr_array_unref (work->punch_ids);
}

/* @n shift edits and @n punches, each with its outbox item. */
static void
work_add (Work       *work,
          const char *cache,
          guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (cache, ROTA_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    {
      const char *id = g_ptr_array_index (work->shift_ids, g_rand_int_range (work->rand, 0, work->shift_ids->len));
      g_autoptr(RotaEntity) shift = rota_store_get_entity (store, ROTA_TYPE_SHIFT, id, &error);
      g_autoptr(RotaOutboxItem) item = NULL;
      g_autoptr(RotaPunch) punch = g_object_new (ROTA_TYPE_PUNCH, NULL);
      g_autoptr(RotaOutboxItem) punched = NULL;

      g_assert_no_error (error);
      ROTA_SHIFT (shift)->start += 60;
      ROTA_SHIFT (shift)->end += 60;
      item = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, shift, "anna", NULL, &error);
      g_assert_no_error (error);
      g_hash_table_insert (work->edits, g_strdup (id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (work->edits, id)) + 1));

      punch->id = g_uuid_string_random ();
      punch->employee_id = g_strdup (g_ptr_array_index (work->employee_ids,
                                                        g_rand_int_range (work->rand, 0, work->employee_ids->len)));
      punch->kind = work->punch_ids->len % 2 == 0 ? ROTA_PUNCH_KIND_IN : ROTA_PUNCH_KIND_OUT;
      punch->at = work->clock;
      punch->source = g_strdup ("kiosk:back-office");
      work->clock += 60;
      punched = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (work->punch_ids, g_strdup (punch->id));
    }
}

/* The cache opens (quick_check passes, or it would open read-only for
 * recovery) and its audit chain holds. Returns the edits still pending. */
static gint64
assert_cache_sound (const char *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = rota_store_open (cache, ROTA_STORE_OPEN_DEFAULT, &error);
  g_autofree char *problem = NULL;
  gint64 pending = -1;

  g_assert_no_error (error);
  g_assert_true (rota_store_count_outbox (store, &pending, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (rota_store_get_read_only (store));
  g_assert_cmpstr (rota_store_get_recovery_reason (store), ==, NULL);
  g_assert_true (rota_store_verify (store, &problem, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (problem, ==, NULL);

  return pending;
}

static void
test_sync_kills (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autofree char *cache = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  Work work = { 0 };
  guint kills = 0;
  guint finished = 0;
  guint midway = 0;
  guint punches_before;
  gint64 window;
  gint64 start;

  add_account (fixture, token);
  g_assert_cmpint (sync_once (fixture, NULL), ==, 0);
  cache = cache_path (fixture);
  work_init (&work, cache);
  state = sync_testlib_server_state (fixture, token);
  punches_before = 0;
  g_hash_table_iter_init (&iter, state);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, "punch/"))
      punches_before++;
  g_clear_pointer (&state, g_hash_table_unref);

  /* How long a sync of a burst of edits takes here: the kills land
   * anywhere in such a run, from start-up to exit. */
  work_add (&work, cache, 10);
  start = g_get_monotonic_time ();
  g_assert_cmpint (sync_once (fixture, NULL), ==, 0);
  window = MAX (g_get_monotonic_time () - start, 20000);
  g_test_message ("a sync of 20 edits takes %.0f ms; killing within that", window / 1000.0);

  for (guint round = 0; kills < KILLS; round++)
    {
      g_autoptr(GSubprocess) process = NULL;
      gint64 before;
      gint64 after;

      g_assert_cmpuint (round, <, 4 * KILLS);

      work_add (&work, cache, 5);
      before = assert_cache_sound (cache);
      process = spawn_rotactl (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               "sync", fixture->base, "alpha", NULL);
      g_usleep (g_rand_int_range (work.rand, 0, (gint32) MIN (window, G_MAXINT32)));
      g_subprocess_send_signal (process, SIGKILL);
      g_assert_true (g_subprocess_wait (process, NULL, &error));
      g_assert_no_error (error);

      if (g_subprocess_get_if_signaled (process) && g_subprocess_get_term_sig (process) == SIGKILL)
        kills++;
      else
        {
          /* Done before the kill: a clean exit, never a failure. */
          g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
          finished++;
        }

      after = assert_cache_sound (cache);
      if (after > 0 && after < before)
        midway++;
    }
  g_test_message ("%u kills, %u of them while the outbox was being pushed; %u syncs finished before their kill; "
                  "%u shifts edited and %u punches made",
                  kills, midway, finished, g_hash_table_size (work.edits), work.punch_ids->len);
  /* Not all at start-up or in the pull: many in the middle of the push. */
  g_assert_cmpuint (midway, >=, KILLS / 10);

  /* One sync to the end: everything arrives, once. */
  g_assert_cmpint (sync_once (fixture, &output), ==, 0);
  g_test_message ("%s", output);
  {
    g_autoptr(RotaStore) store = rota_store_open (cache, ROTA_STORE_OPEN_DEFAULT, &error);
    gint64 pending = -1, conflicts = -1, parked = -1;

    g_assert_no_error (error);
    g_assert_true (rota_store_count_outbox (store, &pending, &conflicts, &parked, &error));
    g_assert_cmpint (pending, ==, 0);
    g_assert_cmpint (conflicts, ==, 0);
    g_assert_cmpint (parked, ==, 0);

    state = sync_testlib_server_state (fixture, token);

    /* Every edit applied exactly once: a shift edited n times is at
     * version 1 + n, and the server's copy is the cache's. */
    g_hash_table_iter_init (&iter, work.edits);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autofree char *state_key = g_strconcat ("shift/", key, NULL);
        JsonNode *change = g_hash_table_lookup (state, state_key);
        g_autoptr(RotaEntity) theirs = NULL;
        g_autoptr(RotaEntity) mine = rota_store_get_entity (store, ROTA_TYPE_SHIFT, key, &error);

        g_assert_no_error (error);
        g_assert_nonnull (change);
        theirs = rota_codec_decode (ROTA_TYPE_SHIFT, json_object_get_member (json_node_get_object (change), "data"),
                                    &error);
        g_assert_no_error (error);
        g_assert_cmpint (rota_entity_get_version (theirs), ==, 1 + GPOINTER_TO_UINT (value));
        g_assert_true (rota_entity_equal (theirs, mine));
      }

    /* Every punch there, and no other. */
    {
      guint punches_after = 0;

      g_hash_table_iter_init (&iter, state);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_str_has_prefix (key, "punch/"))
          punches_after++;
      g_assert_cmpuint (punches_after, ==, punches_before + work.punch_ids->len);
      for (guint i = 0; i < work.punch_ids->len; i++)
        {
          g_autofree char *punch_key = g_strconcat ("punch/", g_ptr_array_index (work.punch_ids, i), NULL);

          g_assert_true (g_hash_table_contains (state, punch_key));
        }
    }
  }

  /* The server's own audit chain holds too. */
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "verify", "alpha", NULL));

  work_clear (&work);
}

/* Whether @needle is anywhere in the files below @dir. */
static void
assert_not_in_files (const char *dir,
                     const char *needle,
                     guint      *files_seen)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_not_in_files (path, needle, files_seen);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || !g_file_get_contents (path, &contents, &length, NULL))
        continue;

      (*files_seen)++;
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        g_error ("The token is in %s", path);
    }
}

static void
assert_not_in_bytes (GBytes     *bytes,
                     const char *needle,
                     const char *where)
{
  if (memmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), needle, strlen (needle)) != NULL)
    g_error ("The token is in %s", where);
}

static void
test_sync_canary (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *canary = sync_testlib_make_token (fixture, "canary");
  g_autofree char *cache = NULL;
  g_autofree char *output = NULL;
  g_autofree char *watch_output = NULL;
  g_autofree char *environ_path = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autofree char *environ_text = NULL;
  g_autofree char *cmdline_text = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GBytes) environ_bytes = NULL;
  g_autoptr(GBytes) cmdline_bytes = NULL;
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(GError) error = NULL;
  gsize environ_length = 0;
  gsize cmdline_length = 0;
  guint files_seen = 0;
  Work work = { 0 };

  add_account (fixture, canary);
  g_assert_cmpint (sync_once (fixture, &output), ==, 0);
  g_assert_null (strstr (output, canary));
  g_clear_pointer (&output, g_free);

  /* Edits in the cache, sent by a sync that keeps running. */
  cache = cache_path (fixture);
  work_init (&work, cache);
  work_add (&work, cache, 5);

  watch = spawn_rotactl (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                         "sync", "--watch", "--interval", "1", fixture->base, "alpha", NULL);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(RotaStore) store = rota_store_open (cache, ROTA_STORE_OPEN_DEFAULT, &error);
      gint64 pending = -1;

      g_assert_no_error (error);
      g_assert_true (rota_store_count_outbox (store, &pending, NULL, NULL, &error));
      if (pending == 0)
        break;
      g_usleep (100 * 1000);
    }

  /* While it runs: its arguments, its environment, and every file under
   * this session's home (the cache and its WAL, the account list,
   * settings, caches). The keyring's own file is encrypted with the
   * login password, so the token is not readable there either. */
  environ_path = g_strdup_printf ("/proc/%s/environ", g_subprocess_get_identifier (watch));
  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (watch));
  g_assert_true (g_file_get_contents (environ_path, &environ_text, &environ_length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline_text, &cmdline_length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (environ_length, >, 0);
  environ_bytes = g_bytes_new (environ_text, environ_length);
  cmdline_bytes = g_bytes_new (cmdline_text, cmdline_length);
  assert_not_in_bytes (environ_bytes, canary, "the environment of rotactl sync");
  assert_not_in_bytes (cmdline_bytes, canary, "the arguments of rotactl sync");

  wal = g_strconcat (cache, "-wal", NULL);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  assert_not_in_files (g_get_home_dir (), canary, &files_seen);
  g_test_message ("%u files under the home folder hold no token", files_seen);
  g_assert_cmpuint (files_seen, >=, 3);

  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_true (g_subprocess_communicate_utf8 (watch, NULL, NULL, &watch_output, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 0);
  g_assert_nonnull (strstr (watch_output, "DEBUG"));
  g_assert_null (strstr (watch_output, canary));

  /* Settings: Rota's schema, every key. */
  settings = harness_run (0, NULL, "gsettings", "list-recursively", "org.rota.Rota", NULL);
  g_assert_null (strstr (settings, canary));

  /* After it stopped, the files again, with the WAL checkpointed. */
  files_seen = 0;
  assert_not_in_files (g_get_home_dir (), canary, &files_seen);

  work_clear (&work);
}

/* rotactl's exit codes: 0 synced, 5 when a conflict needs a person, 4
 * when the server cannot be reached (the edit kept), 1 for an account
 * that does not exist, 2 for bad arguments. */
static void
test_sync_exit_codes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autofree char *cache = NULL;
  g_autofree char *output = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  Work work = { 0 };

  add_account (fixture, token);
  g_assert_cmpint (sync_once (fixture, &output), ==, 0);
  g_assert_nonnull (strstr (output, "Synced at"));
  g_clear_pointer (&output, g_free);

  /* The same shift changed here and, meanwhile, on the server. */
  cache = cache_path (fixture);
  work_init (&work, cache);
  work_add (&work, cache, 1);
  {
    GHashTableIter iter;
    g_autoptr(RotaClient) other = rota_client_new (fixture->base, "alpha", token, fixture->ca, &error);
    g_autoptr(RotaStore) store = rota_store_open (cache, ROTA_STORE_OPEN_DEFAULT, &error);
    g_autoptr(RotaEntity) shift = NULL;
    g_autoptr(JsonNode) answer = NULL;
    g_autofree char *body = NULL;
    g_autofree char *path = NULL;
    gpointer key;

    g_assert_no_error (error);
    g_hash_table_iter_init (&iter, work.edits);
    g_assert_true (g_hash_table_iter_next (&iter, &key, NULL));
    id = g_strdup (key);
    shift = rota_store_get_entity (store, ROTA_TYPE_SHIFT, id, &error);
    g_assert_no_error (error);
    g_free (ROTA_SHIFT (shift)->note);
    ROTA_SHIFT (shift)->note = g_strdup ("Changed on another desk");
    body = rota_codec_encode_string (shift, ROTA_CODEC_DEFAULT);
    path = g_strconcat ("api/planning/v3/shifts/", id, NULL);
    answer = rota_client_send (other, "PUT", path, body, NULL, 1, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (sync_once (fixture, &output), ==, 5);
  g_assert_nonnull (strstr (output, "conflicts with a change on the server"));
  g_clear_pointer (&output, g_free);

  /* The server gone: 4, and the edit is kept. */
  g_subprocess_force_exit (fixture->server);
  g_subprocess_wait (fixture->server, NULL, NULL);
  work_add (&work, cache, 1);
  g_assert_cmpint (sync_once (fixture, &output), ==, 4);
  g_assert_nonnull (strstr (output, "Cannot reach"));
  g_assert_nonnull (strstr (output, "kept here"));
  g_clear_pointer (&output, g_free);

  /* No such account, and bad arguments. */
  {
    g_autoptr(GSubprocess) process = spawn_rotactl (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                    "sync", "https://nowhere.example.org/", "alpha", NULL);

    g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
    g_assert_nonnull (strstr (output, "There is no account"));
    g_clear_pointer (&output, g_free);
  }
  {
    g_autoptr(GSubprocess) process = spawn_rotactl (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                    "sync", "--watch", "--interval", "0", NULL);

    g_assert_true (g_subprocess_wait (process, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  }

  work_clear (&work);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/process/canary", Fixture, NULL, fixture_set_up, test_sync_canary, harness_server_tear_down);
  g_test_add ("/sync/process/exit-codes", Fixture, NULL, fixture_set_up, test_sync_exit_codes,
              harness_server_tear_down);
  g_test_add ("/sync/process/kills", Fixture, NULL, fixture_set_up, test_sync_kills, harness_server_tear_down);

  return g_test_run ();
}
