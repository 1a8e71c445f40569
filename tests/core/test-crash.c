/* test-crash.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The kill harness of reliability.md D1: a child process records punches
 * (rota-crash-writer) and is killed with SIGKILL at a random moment, again
 * and again. After every kill the store must hold every punch the child
 * acknowledged, each with exactly one outbox row, no half-written edit, an
 * intact database and an intact audit chain.
 *
 * ROTA_CRASH_SEED=N repeats a run (the seed is printed with the results);
 * ROTA_CRASH_ITERATIONS=N runs more (or, to debug, fewer) kills.
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "rota-model-private.h"
#include "rota-store.h"

#ifndef ROTA_TEST_CRASH_WRITER
# error "ROTA_TEST_CRASH_WRITER must name the rota-crash-writer program"
#endif

#define DEFAULT_ITERATIONS 200
#define MAX_DELAY_MS       50

/* Kills per store; see below. */
#define ITERATIONS_PER_STORE 50

/* How long the writer may take to acknowledge its first punch; generous,
 * for a loaded machine and a sanitizer build. */
#define FIRST_ACK_TIMEOUT_US (30 * G_USEC_PER_SEC)

typedef enum
{
  /* SIGKILL as soon as the process exists: during start-up, or the open
   * (quick_check, pragmas, migration check) if start-up is quick. */
  KILL_AT_ONCE,
  /* 1–50 ms after the start: during the open or among the first writes. */
  KILL_AFTER_START,
  /* 0–50 ms after the first acknowledgement: during the stream of writes,
   * whatever start-up costs on this machine. */
  KILL_AFTER_FIRST_ACK,
} KillMode;

typedef struct
{
  guint  iterations;
  guint  killed_before_first_ack;
  guint  killed_mid_writes;
  guint  mode_counts[3];
  gint64 acknowledged;
  gint64 committed_unacknowledged;
  gint64 max_per_iteration;
} Totals;

static guint
get_env_uint (const char *name,
              guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text == NULL || *text == '\0')
    return fallback;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    g_error ("%s must be a positive number, not \"%s\"", name, text);

  return (guint) value;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_remove (file), ==, 0);
    }

  g_assert_cmpint (g_rmdir (path), ==, 0);
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

/* Appends what can be read without blocking; FALSE at the end of the
 * stream. */
static gboolean
read_available (GPollableInputStream *stream,
                GString              *buffer)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char chunk[4096];
      gssize n;

      n = g_pollable_input_stream_read_nonblocking (stream, chunk, sizeof chunk, NULL, &error);
      if (n > 0)
        {
          g_string_append_len (buffer, chunk, n);
          continue;
        }
      if (n == 0)
        return FALSE;

      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      return TRUE;
    }
}

static void
read_to_end (GInputStream *stream,
             GString      *buffer)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char chunk[4096];
      gssize n;

      n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, &error);
      g_assert_no_error (error);
      if (n == 0)
        return;
      g_string_append_len (buffer, chunk, n);
    }
}

/* Waits for the first complete line; FALSE if the writer ended first. */
static gboolean
wait_for_first_line (GPollableInputStream *stream,
                     GString              *buffer)
{
  gint64 deadline = g_get_monotonic_time () + FIRST_ACK_TIMEOUT_US;

  while (memchr (buffer->str, '\n', buffer->len) == NULL)
    {
      if (!read_available (stream, buffer))
        return memchr (buffer->str, '\n', buffer->len) != NULL;

      if (g_get_monotonic_time () > deadline)
        g_error ("The writer acknowledged no punch in %d s",
                 (int) (FIRST_ACK_TIMEOUT_US / G_USEC_PER_SEC));

      g_usleep (200);
    }

  return TRUE;
}

/* Only complete lines are acknowledgements: a partial last line is a write
 * the kill interrupted. */
static GPtrArray *
complete_lines (const GString *buffer)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *start = buffer->str;
  const char *end;

  while ((end = memchr (start, '\n', buffer->len - (start - buffer->str))) != NULL)
    {
      char *line = g_strndup (start, end - start);

      g_assert_true (g_uuid_string_is_valid (line));
      g_ptr_array_add (lines, line);
      start = end + 1;
    }

  return lines;
}

/* One kill: runs the writer from @start_seq and returns the ids it
 * acknowledged, in order. */
static GPtrArray *
kill_writer (const char *store_path,
             gint64      start_seq,
             KillMode    mode,
             guint       delay_ms,
             gboolean   *got_first_ack_before_kill)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, start_seq);
  GInputStream *out;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           ROTA_TEST_CRASH_WRITER, "punches", store_path, seq_text, NULL);
  g_assert_no_error (error);
  out = g_subprocess_get_stdout_pipe (proc);
  g_assert_true (G_IS_POLLABLE_INPUT_STREAM (out));

  *got_first_ack_before_kill = FALSE;

  switch (mode)
    {
    case KILL_AT_ONCE:
      break;

    case KILL_AFTER_START:
      g_usleep (delay_ms * 1000);
      break;

    case KILL_AFTER_FIRST_ACK:
      if (!wait_for_first_line (G_POLLABLE_INPUT_STREAM (out), buffer))
        break; /* It ended on its own: the checks below say why. */
      *got_first_ack_before_kill = TRUE;
      g_usleep (delay_ms * 1000);
      break;

    default:
      g_assert_not_reached ();
    }

  g_subprocess_send_signal (proc, SIGKILL);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);

  /* The writer never ends by itself: an exit means it failed, and it has
   * said why on stderr. */
  if (!g_subprocess_get_if_signaled (proc))
    g_error ("The writer exited with status %d instead of being killed",
             g_subprocess_get_exit_status (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);

  read_to_end (out, buffer);

  return complete_lines (buffer);
}

static gint64
query_int64 (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* A second, raw and read-only look at the file, beside the store's own
 * checks: quick_check, and the device sequence numbers of the committed
 * punches are exactly 1..n, so no committed punch went missing. */
static void
check_raw (const char *store_path,
           gint64      n_punches)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_assert_cmpint (query_int64 (db, "SELECT count(DISTINCT device_seq) FROM punch"), ==, n_punches);
  if (n_punches > 0)
    {
      g_assert_cmpint (query_int64 (db, "SELECT min(device_seq) FROM punch"), ==, 1);
      g_assert_cmpint (query_int64 (db, "SELECT max(device_seq) FROM punch"), ==, n_punches);
    }

  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static gint64
table_count (GHashTable *counts,
             const char *table)
{
  gint64 *count = g_hash_table_lookup (counts, table);

  g_assert_nonnull (count);
  return *count;
}

/* The checks after a kill. Returns the number of committed punches. */
static gint64
check_store (const char *store_path,
             GPtrArray  *acked_now,
             gint64      start_seq,
             GHashTable *acked_ever)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GHashTable) outbox_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *problem = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 n_punches;

  store = rota_store_open (store_path, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (rota_store_get_recovery_reason (store), ==, NULL);
  g_assert_false (rota_store_get_read_only (store));

  /* No half-written edit: the punch, its outbox row and its audit row are
   * one transaction, so the three tables grow together. */
  counts = rota_store_table_counts (store, &error);
  g_assert_no_error (error);
  n_punches = table_count (counts, "punch");
  g_assert_cmpint (table_count (counts, "outbox"), ==, n_punches);
  g_assert_cmpint (table_count (counts, "audit"), ==, n_punches);

  /* Each punch has exactly one outbox item, and each item its punch. */
  outbox = rota_store_list_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outbox->len, ==, n_punches);
  for (guint i = 0; i < outbox->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (outbox, i);

      g_assert_cmpstr (item->kind, ==, "punch");
      g_assert_cmpint (item->op, ==, ROTA_OUTBOX_OP_POST);
      g_assert_cmpint (item->state, ==, ROTA_OUTBOX_STATE_PENDING);
      if (!g_hash_table_add (outbox_ids, item->entity_id))
        g_error ("Punch %s has more than one outbox item", item->entity_id);
    }

  /* Every punch acknowledged in this round is there, as written... */
  for (guint i = 0; i < acked_now->len; i++)
    {
      const char *id = g_ptr_array_index (acked_now, i);
      g_autoptr(RotaEntity) entity = NULL;
      RotaPunch *punch;

      entity = rota_store_get_entity (store, ROTA_TYPE_PUNCH, id, &error);
      if (entity == NULL)
        g_error ("Acknowledged punch %s (device_seq %" G_GINT64_FORMAT ") is missing: %s",
                 id, start_seq + i, error->message);

      punch = ROTA_PUNCH (entity);
      g_assert_cmpstr (punch->employee_id, ==, "emp-1");
      g_assert_cmpstr (punch->source, ==, "kiosk:test");
      g_assert_cmpint (punch->device_seq, ==, start_seq + i);
      g_assert_cmpint (punch->at, ==, G_GINT64_CONSTANT (1795000000) + start_seq + i);
    }

  /* ...and so is every one acknowledged before, each with its one item. */
  g_hash_table_iter_init (&iter, acked_ever);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (outbox_ids, key))
      g_error ("Acknowledged punch %s has no outbox item", (const char *) key);

  /* integrity_check, foreign keys, the audit chain, and each punch against
   * its audit entry. */
  g_assert_true (rota_store_verify (store, &problem, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (problem, ==, NULL);

  check_raw (store_path, n_punches);

  rota_store_close (store);

  return n_punches;
}

static void
test_crash_kill_during_writes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GHashTable) acked_ever = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *dir = NULL;
  g_autofree char *store_path = NULL;
  guint iterations = get_env_uint ("ROTA_CRASH_ITERATIONS", DEFAULT_ITERATIONS);
  guint32 seed = get_env_uint ("ROTA_CRASH_SEED", g_random_int_range (1, G_MAXINT32));
  gint64 n_punches = 0;
  gint64 total_punches = 0;
  guint n_stores = 0;
  gint64 started = g_get_monotonic_time ();
  Totals totals = { 0, };

  g_test_message ("Seed %u (repeat with ROTA_CRASH_SEED=%u), %u iterations",
                  seed, seed, iterations);
  rand = g_rand_new_with_seed (seed);

  dir = g_dir_make_tmp ("rota-crash-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(GPtrArray) acked = NULL;
      /* A fixed share of each mode, so that every run covers them all;
       * the delays are random. */
      guint pick = i % 10;
      KillMode mode = pick == 0 ? KILL_AT_ONCE
                                : pick <= 3 ? KILL_AFTER_START
                                            : KILL_AFTER_FIRST_ACK;
      guint min_delay_ms = mode == KILL_AFTER_START ? 1 : 0;
      guint delay_ms = (guint) g_rand_int_range (rand, min_delay_ms, MAX_DELAY_MS + 1);
      gboolean got_first_ack = FALSE;
      gint64 start_seq;
      gint64 committed;

      /* The checks after each kill read the whole store, so a store that
       * only grew would make the run quadratic: start a fresh one now and
       * then. */
      if (i % ITERATIONS_PER_STORE == 0)
        {
          g_autofree char *name = g_strdup_printf ("store-%u.sqlite", n_stores++);

          g_free (store_path);
          store_path = g_build_filename (dir, name, NULL);
          g_clear_pointer (&acked_ever, g_hash_table_unref);
          acked_ever = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          n_punches = 0;

          run_setup (store_path);
          g_assert_cmpint (check_store (store_path, none, 1, acked_ever), ==, 0);
        }

      start_seq = n_punches + 1;
      acked = kill_writer (store_path, start_seq, mode, delay_ms, &got_first_ack);

      for (guint j = 0; j < acked->len; j++)
        g_assert_true (g_hash_table_add (acked_ever, g_strdup (g_ptr_array_index (acked, j))));

      committed = check_store (store_path, acked, start_seq, acked_ever) - n_punches;

      /* Committed but not acknowledged is allowed: the kill fell between
       * COMMIT and the print. Never more than that one punch. */
      g_assert_cmpint (committed, >=, acked->len);
      g_assert_cmpint (committed, <=, acked->len + 1);

      totals.iterations++;
      totals.mode_counts[mode]++;
      totals.acknowledged += acked->len;
      totals.committed_unacknowledged += committed - acked->len;
      totals.max_per_iteration = MAX (totals.max_per_iteration, (gint64) acked->len);
      if (got_first_ack || acked->len > 0)
        totals.killed_mid_writes++;
      else
        totals.killed_before_first_ack++;

      n_punches += committed;
      total_punches += committed;
    }

  g_test_message ("%u iterations on %u stores in %.1f s: %u killed at once, "
                  "%u 1-%d ms after the start, %u 0-%d ms after the first acknowledgement",
                  totals.iterations, n_stores,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
                  totals.mode_counts[KILL_AT_ONCE],
                  totals.mode_counts[KILL_AFTER_START], MAX_DELAY_MS,
                  totals.mode_counts[KILL_AFTER_FIRST_ACK], MAX_DELAY_MS);
  g_test_message ("%" G_GINT64_FORMAT " punches acknowledged (at most %" G_GINT64_FORMAT " in one "
                  "iteration), %" G_GINT64_FORMAT " committed but killed before the "
                  "acknowledgement, %" G_GINT64_FORMAT " in the stores",
                  totals.acknowledged, totals.max_per_iteration,
                  totals.committed_unacknowledged, total_punches);
  g_test_message ("%u kills before the first acknowledgement (start-up, open, first write), "
                  "%u among the writes",
                  totals.killed_before_first_ack, totals.killed_mid_writes);

  /* The harness must have tested something: kills among writes, and kills
   * before or during the open. */
  g_assert_cmpuint (totals.iterations, ==, iterations);
  g_assert_cmpint (totals.acknowledged, >, 0);
  g_assert_cmpint (total_punches, ==, totals.acknowledged + totals.committed_unacknowledged);
  g_assert_cmpuint (totals.killed_mid_writes, >=, totals.mode_counts[KILL_AFTER_FIRST_ACK]);
  if (iterations >= 10)
    {
      g_assert_cmpuint (totals.mode_counts[KILL_AFTER_FIRST_ACK], >, 0);
      g_assert_cmpuint (totals.killed_before_first_ack, >, 0);
    }

  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/crash/kill-during-writes", test_crash_kill_during_writes);

  return g_test_run ();
}
