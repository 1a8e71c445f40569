/* bench-server.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * rota-server benchmarks (issue 3), one JSON line per figure:
 *  - clock-ins a second and their p50/p99 latency, over TLS with keep-alive,
 *    from this process against the real server, beside the machine's limit
 *    of fsync'd SQLite commits a second measured in the same run;
 *  - change-feed records a second for the standard large tenant, over HTTPS.
 * No timing is asserted anywhere.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "bench-common.h"
#define N_CLOCK_INS 4000
#define CONCURRENCY 8

typedef struct
{
  BenchServer  srv;
  SoupSession *session;
} Bench;

static GHashTable *
demo_tenant (Bench      *bench,
             const char *slug,
             gboolean    large)
{
  GHashTable *tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *out = large
    ? bench_run (bench_server_binary (), "--data-dir", bench->srv.data_dir, "demo", slug, "--large", NULL)
    : bench_run (bench_server_binary (), "--data-dir", bench->srv.data_dir, "demo", slug, "--employees", "50", "--weeks", "1", NULL);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 2);
      g_hash_table_insert (tokens, g_strdup (parts[0]), g_strdup (parts[1]));
    }

  return tokens;
}

static GBytes *
get (Bench      *bench,
     const char *path,
     const char *token)
{
  g_autofree char *uri = g_strconcat (bench->srv.base, path, NULL);
  g_autofree char *auth = g_strconcat ("Token ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (bench->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert (soup_message_get_status (msg) == 200);

  return body;
}

/* The machine's limit: one-row transactions, each fsync'd (WAL,
 * synchronous=FULL), one after another. */
static double
fsync_commits_per_second (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "fsync.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start;
  guint n = 1000;

  g_assert (sqlite3_open (path, &db) == SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO t (v) VALUES ('punch')", -1, &stmt, NULL);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static void
bench_clock_ins (Bench *bench)
{
  g_autoptr(GHashTable) tokens = demo_tenant (bench, "clocks", FALSE);
  g_autoptr(GBytes) feed = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *employee_id = NULL;
  JsonArray *changes;
  double limit;

  feed = get (bench, "clocks/api/sync/v3/changes?limit=10000", g_hash_table_lookup (tokens, "clock"));
  g_assert (json_parser_load_from_data (parser, g_bytes_get_data (feed, NULL), g_bytes_get_size (feed), NULL));
  changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes");
  for (guint i = 0; i < json_array_get_length (changes) && employee_id == NULL; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "entity"), "employee"))
        employee_id = g_strdup (json_object_get_string_member (change, "id"));
    }

  limit = fsync_commits_per_second (bench->srv.dir);

  /* The load comes from other processes (clock-load.py beside this file),
   * each with a kept-alive TLS connection. */
  {
    g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "bench", "clock-load.py", NULL);
    g_autofree char *requests = g_strdup_printf ("%d", N_CLOCK_INS);
    g_autofree char *concurrency = g_strdup_printf ("%d", CONCURRENCY);
    g_autofree char *out = bench_run ("/usr/bin/python3", script, bench->srv.base, g_hash_table_lookup (tokens, "clock"),
                                employee_id, bench->srv.ca, requests, concurrency, NULL);
    g_autoptr(JsonParser) result = json_parser_new ();
    JsonObject *object;
    double per_s;

    g_assert (json_parser_load_from_data (result, out, -1, NULL));
    object = json_node_get_object (json_parser_get_root (result));
    per_s = json_object_get_int_member (object, "requests") / json_object_get_double_member (object, "seconds");

    bench_emit ("clock-ins-tls-keepalive",
          "\"requests\": %" G_GINT64_FORMAT ", \"failed\": %" G_GINT64_FORMAT ", \"concurrency\": %d, "
          "\"per_s\": %.0f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"fsync_commits_per_s\": %.0f, "
          "\"ratio_to_fsync_limit\": %.3f, \"target_per_s\": 2000, \"target_p99_ms\": 20",
          json_object_get_int_member (object, "requests"), json_object_get_int_member (object, "failed"),
          CONCURRENCY, per_s, json_object_get_double_member (object, "p50_ms"),
          json_object_get_double_member (object, "p99_ms"), limit, per_s / limit);
  }
}

#define FEED_PASSES 3

/* One pull of the whole feed from revision 0. Returns the records;
 * @seconds is the whole pull, @fetch_seconds request sent to last byte
 * read, summed over the pages. */
static gint64
pull_feed (Bench      *bench,
           const char *token,
           double     *seconds,
           double     *fetch_seconds)
{
  gint64 since = 0;
  gint64 records = 0;
  gboolean more = TRUE;
  gint64 start = g_get_monotonic_time ();
  gint64 fetch_us = 0;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("large/api/sync/v3/changes?since=%" G_GINT64_FORMAT "&limit=10000", since);
      gint64 fetch_start = g_get_monotonic_time ();
      g_autoptr(GBytes) body = get (bench, path, token);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *page;

      fetch_us += g_get_monotonic_time () - fetch_start;
      g_assert (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
      page = json_node_get_object (json_parser_get_root (parser));
      records += json_array_get_length (json_object_get_array_member (page, "changes"));
      since = json_object_get_int_member (page, "revision");
      more = json_object_get_boolean_member (page, "hasMore");
    }

  *seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  *fetch_seconds = fetch_us / (double) G_USEC_PER_SEC;

  return records;
}

static void
bench_change_feed (Bench *bench)
{
  g_autoptr(GHashTable) tokens = NULL;
  double served[FEED_PASSES];
  double whole[FEED_PASSES];
  const char *token;
  gint64 records = 0;
  gint64 made;
  double made_seconds;

  made = g_get_monotonic_time ();
  tokens = demo_tenant (bench, "large", TRUE);
  token = g_hash_table_lookup (tokens, "planning:read");
  made_seconds = (g_get_monotonic_time () - made) / (double) G_USEC_PER_SEC;

  for (guint pass = 0; pass < FEED_PASSES; pass++)
    {
      double seconds;
      double fetch_seconds;
      gint64 pulled = pull_feed (bench, token, &seconds, &fetch_seconds);

      g_assert (pass == 0 || pulled == records);
      records = pulled;
      served[pass] = records / fetch_seconds;
      whole[pass] = records / seconds;
    }
  qsort (served, FEED_PASSES, sizeof (double), bench_compare_doubles);
  qsort (whole, FEED_PASSES, sizeof (double), bench_compare_doubles);

  /* served_records_per_s: the server's side, request sent to the last
   * byte read; records_per_s adds this client's json-glib parse. Medians
   * of the passes, their spread beside. */
  bench_emit ("change-feed-large-tenant",
        "\"records\": %" G_GINT64_FORMAT ", \"passes\": %d, \"records_per_s\": %.0f, "
        "\"served_records_per_s\": %.0f, \"served_min\": %.0f, \"served_max\": %.0f, "
        "\"tenant_made_s\": %.1f, \"target_records_per_s\": 100000, \"served_ratio_to_target\": %.2f",
        records, FEED_PASSES, whole[FEED_PASSES / 2], served[FEED_PASSES / 2], served[0],
        served[FEED_PASSES - 1], made_seconds, served[FEED_PASSES / 2] / 100000.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *dir = NULL;
  Bench bench = { 0 };

  dir = g_dir_make_tmp ("rota-bench-server-XXXXXX", &error);
  g_assert_no_error (error);

  /* The tenants are made while it runs: it opens them as they are asked for. */
  bench_server_start (&bench.srv, dir);
  database = g_tls_file_database_new (bench.srv.ca, &error);
  g_assert_no_error (error);
  bench.session = soup_session_new_with_options ("tls-database", database, "timeout", 60,
                                                 "max-conns-per-host", CONCURRENCY, NULL);

  bench_clock_ins (&bench);
  bench_change_feed (&bench);

  g_subprocess_force_exit (bench.srv.server);
  g_subprocess_wait (bench.srv.server, NULL, NULL);
  g_clear_object (&bench.srv.server);
  g_clear_object (&bench.session);
  cmd = g_strdup_printf ("rm -rf '%s'", bench.srv.dir);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);

  return 0;
}
