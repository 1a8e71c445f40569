/* bench-sync.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Sync engine benchmarks, one JSON line per figure:
 *  - the initial sync of the standard large tenant from a local
 *    rota-server over TLS (rota_sync_run() into a fresh cache), beside
 *    the limit measured in the same run: json-glib parsing, codec decode
 *    and SQLite insertion of the same pages, fetched into memory first,
 *    with no network; and where that limit's time goes;
 *  - a sync when nothing changed: an empty outbox and one empty page, on
 *    the kept-alive connection and on a new one.
 * Both processes share this machine. No timing is asserted anywhere.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "bench-common.h"
#include "rota-client.h"
#include "rota-codec.h"
#include "rota-entity.h"
#include "rota-store.h"
#include "rota-sync.h"

#define TENANT          "large"
#define SYNC_RUNS       3
#define NO_CHANGE_RUNS  50
#define P90             ((NO_CHANGE_RUNS * 9 + 9) / 10 - 1)

typedef struct
{
  BenchServer  srv;
  char        *token;
  SoupSession *session;
} Bench;

/* The raw pages of the whole feed from revision 0, as the engine asks
 * for them (ROTA_SYNC_PAGE_SIZE changes a page). */
typedef struct
{
  GPtrArray *pages;      /* GBytes */
  gint64     records;
  gint64     revision;   /* the last page's */
  gsize      bytes;
  double     fetch_s;    /* request sent to last byte read, summed */
} Feed;

/* Where the limit's time goes, in seconds. */
typedef struct
{
  double parse;          /* rota_json_parse(), and freeing the tree */
  double decode;         /* rota_codec_decode(), and freeing the entities */
  double apply;          /* rota_store_apply_feed(), a transaction a page */
} Phases;

/* The standard large tenant, and a token whose scopes see every kind of
 * the feed: planning scopes see all shifts, absences and availability,
 * hours scopes punches, corrections and approvals. Returns the seconds
 * the tenant took to make. */
static double
make_tenant (Bench *bench)
{
  gint64 start = g_get_monotonic_time ();
  double seconds;
  char *out;

  g_free (bench_run (bench_server_binary (), "--data-dir", bench->srv.data_dir, "demo", TENANT, "--large", NULL));
  seconds = bench_seconds_since (start);

  out = bench_run (bench_server_binary (), "--data-dir", bench->srv.data_dir, "token", "add", TENANT, "bench",
             "--scopes", "planning:read,hours:read", NULL);
  bench->token = g_strdup (g_strstrip (out));
  g_free (out);
  g_assert (*bench->token != '\0');

  return seconds;
}

static GBytes *
get (Bench      *bench,
     const char *path)
{
  g_autofree char *uri = g_strconcat (bench->srv.base, path, NULL);
  g_autofree char *auth = g_strconcat ("Token ", bench->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (bench->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert (soup_message_get_status (msg) == 200);

  return body;
}

static char *
feed_path (gint64 since)
{
  return g_strdup_printf (TENANT "/api/sync/v3/changes?since=%" G_GINT64_FORMAT "&limit=%d",
                          since, ROTA_SYNC_PAGE_SIZE);
}

static void
feed_clear (Feed *feed)
{
  g_clear_pointer (&feed->pages, g_ptr_array_unref);
}

/* Every page of the feed into memory, with what the limit needs to know
 * of each. Parsing here is not timed. */
static void
fetch_feed (Bench *bench,
            Feed  *feed)
{
  gboolean more = TRUE;
  gint64 since = 0;
  gint64 fetch_us = 0;

  feed->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  feed->records = 0;
  feed->bytes = 0;

  while (more)
    {
      g_autofree char *path = feed_path (since);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) body = get (bench, path);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) page = NULL;
      JsonObject *object;

      fetch_us += g_get_monotonic_time () - start;
      page = rota_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              ROTA_CLIENT_MAX_RESPONSE, &error);
      g_assert_no_error (error);
      object = json_node_get_object (page);
      feed->records += json_array_get_length (json_object_get_array_member (object, "changes"));
      since = json_object_get_int_member (object, "revision");
      more = json_object_get_boolean_member (object, "hasMore");
      feed->bytes += g_bytes_get_size (body);
      g_ptr_array_add (feed->pages, g_steal_pointer (&body));
    }

  feed->revision = since;
  feed->fetch_s = fetch_us / (double) G_USEC_PER_SEC;
}

/* The engine's read_change() (rota-sync.c), without its messages: the
 * same checks, the same decode. */
static void
read_change (JsonNode  *node,
             GPtrArray *entities,
             GPtrArray *deletions)
{
  g_autoptr(GError) error = NULL;
  JsonObject *change = json_node_get_object (node);
  const char *kind = json_object_get_string_member (change, "entity");
  const char *id = json_object_get_string_member (change, "id");
  gint64 version = json_object_get_int_member (change, "version");
  GType type = rota_entity_type_from_kind (kind);
  RotaEntity *entity;

  g_assert (json_object_has_member (change, "data"));
  g_assert (type != G_TYPE_INVALID && g_type_is_a (type, ROTA_TYPE_ENTITY));

  if (json_object_get_boolean_member (change, "deleted"))
    {
      g_ptr_array_add (deletions, g_object_new (type, "id", id, "version", version, NULL));
      return;
    }

  entity = rota_codec_decode (type, json_object_get_member (change, "data"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rota_entity_get_id (entity), ==, id);
  g_ptr_array_add (entities, entity);
}

/* The limit: the engine's pull loop over the pages in memory, into a
 * fresh store at @path. Returns the seconds in all. */
static double
apply_from_memory (Feed       *feed,
                   const char *path,
                   Phases     *phases)
{
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  *phases = (Phases) { 0, };

  for (guint p = 0; p < feed->pages->len; p++)
    {
      GBytes *body = g_ptr_array_index (feed->pages, p);
      g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) deletions = g_ptr_array_new_with_free_func (g_object_unref);
      JsonNode *page;
      JsonArray *changes;
      gint64 t0, t1, t2, t3, t4, t5;

      t0 = g_get_monotonic_time ();
      page = rota_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              ROTA_CLIENT_MAX_RESPONSE, &error);
      g_assert_no_error (error);
      t1 = g_get_monotonic_time ();

      changes = json_object_get_array_member (json_node_get_object (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        read_change (json_array_get_element (changes, i), entities, deletions);
      t2 = g_get_monotonic_time ();

      g_assert (rota_store_apply_feed (store, entities, deletions, ROTA_SYNC_CURSOR_CHANGES,
                                       json_object_get_int_member (json_node_get_object (page), "revision"),
                                       &error));
      g_assert_no_error (error);
      t3 = g_get_monotonic_time ();

      json_node_unref (page);
      t4 = g_get_monotonic_time ();
      g_clear_pointer (&entities, g_ptr_array_unref);
      g_clear_pointer (&deletions, g_ptr_array_unref);
      t5 = g_get_monotonic_time ();

      phases->parse += ((t1 - t0) + (t4 - t3)) / (double) G_USEC_PER_SEC;
      phases->decode += ((t2 - t1) + (t5 - t4)) / (double) G_USEC_PER_SEC;
      phases->apply += (t3 - t2) / (double) G_USEC_PER_SEC;
      total += t5 - t0;
    }

  g_assert_cmpint (rota_store_get_cursor (store, ROTA_SYNC_CURSOR_CHANGES), ==, feed->revision);
  g_clear_object (&store);
  g_assert (rota_store_delete_files (path, NULL));

  return total / (double) G_USEC_PER_SEC;
}

/* The rows of the kinds the feed carries. */
static gint64
stored_records (RotaStore *store)
{
  static const char * const kinds[] = {
    "office", "department", "employee", "shift", "punch", "punch_correction",
    "approval", "absence", "availability",
  };
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rows = 0;

  counts = rota_store_table_counts (store, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      gint64 *n = g_hash_table_lookup (counts, kinds[k]);

      if (n != NULL)
        rows += *n;
    }

  return rows;
}

static RotaSync *
new_sync (Bench      *bench,
          const char *path)
{
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(GError) error = NULL;

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  client = rota_client_new (bench->srv.base, TENANT, bench->token, bench->srv.ca, &error);
  g_assert_no_error (error);

  return rota_sync_new (store, client);
}

/* One initial sync into a fresh cache at @path. Returns the seconds of
 * rota_sync_run(), which connects, pushes the empty outbox and pulls
 * every page; *sync_out gets the engine, for the no-change runs. */
static double
initial_sync (Bench       *bench,
              Feed        *feed,
              const char  *path,
              RotaSync   **sync_out)
{
  g_autoptr(RotaSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  double seconds;

  g_assert (rota_store_delete_files (path, NULL));
  sync = new_sync (bench, path);

  start = g_get_monotonic_time ();
  if (!rota_sync_run (sync, NULL, &error))
    g_error ("The initial sync failed: %s", error->message);
  seconds = bench_seconds_since (start);

  g_assert_cmpint (rota_store_get_cursor (rota_sync_get_store (sync), ROTA_SYNC_CURSOR_CHANGES), ==,
                   feed->revision);
  g_assert_cmpint (stored_records (rota_sync_get_store (sync)), ==, feed->records);

  if (sync_out != NULL)
    *sync_out = g_steal_pointer (&sync);

  return seconds;
}

static void
bench_initial_sync (Bench     *bench,
                    double     tenant_made_s,
                    RotaSync **synced)
{
  g_autofree char *limit_path = g_build_filename (bench->srv.dir, "limit.sqlite", NULL);
  g_autofree char *sync_path = g_build_filename (bench->srv.dir, "sync.sqlite", NULL);
  double sync_s[SYNC_RUNS];
  double limit_s[SYNC_RUNS];
  double parse_s[SYNC_RUNS];
  double decode_s[SYNC_RUNS];
  double apply_s[SYNC_RUNS];
  double sync_median;
  double limit_median;
  Feed feed = { 0, };

  fetch_feed (bench, &feed);

  /* Taken in turns, so that a slow spell of the machine falls on both. */
  for (guint i = 0; i < SYNC_RUNS; i++)
    {
      Phases phases;

      limit_s[i] = apply_from_memory (&feed, limit_path, &phases);
      parse_s[i] = phases.parse;
      decode_s[i] = phases.decode;
      apply_s[i] = phases.apply;
      sync_s[i] = initial_sync (bench, &feed, sync_path, i + 1 == SYNC_RUNS ? synced : NULL);
      if (i + 1 < SYNC_RUNS)
        g_assert (rota_store_delete_files (sync_path, NULL));
    }

  /* median() sorts, so the extremes are read after it. */
  sync_median = bench_median (sync_s, SYNC_RUNS);
  limit_median = bench_median (limit_s, SYNC_RUNS);

  /* records_per_s is the median sync's; the limit is json-glib, the
   * codec and SQLite on the same bytes with no network, so the ratio is
   * what the network, TLS and the server cost. */
  bench_emit ("initial-sync-large-tenant",
        "\"records\": %" G_GINT64_FORMAT ", \"runs\": %d, \"records_per_s\": %.0f, "
        "\"median_s\": %.2f, \"min_s\": %.2f, \"max_s\": %.2f, "
        "\"limit_records_per_s\": %.0f, \"limit_median_s\": %.2f, "
        "\"limit_min_s\": %.2f, \"limit_max_s\": %.2f, "
        "\"ratio_to_limit\": %.3f, \"target_records_per_s\": 40000, \"ratio_to_target\": %.2f",
        feed.records, SYNC_RUNS, feed.records / sync_median,
        sync_median, sync_s[0], sync_s[SYNC_RUNS - 1],
        feed.records / limit_median, limit_median, limit_s[0], limit_s[SYNC_RUNS - 1],
        limit_median / sync_median, feed.records / sync_median / 40000.0);

  /* Where the time goes: the limit's phases (medians), and the feed
   * fetched once with a bare libsoup session (the server's work, TLS and
   * the transfer). */
  bench_emit ("initial-sync-phases",
        "\"records\": %" G_GINT64_FORMAT ", \"pages\": %u, \"page_size\": %d, \"feed_mb\": %.1f, "
        "\"fetch_s\": %.2f, \"parse_s\": %.2f, \"decode_s\": %.2f, \"apply_s\": %.2f, "
        "\"sync_median_s\": %.2f, \"tenant_made_s\": %.1f",
        feed.records, feed.pages->len, ROTA_SYNC_PAGE_SIZE, feed.bytes / (1024.0 * 1024.0),
        feed.fetch_s, bench_median (parse_s, SYNC_RUNS), bench_median (decode_s, SYNC_RUNS), bench_median (apply_s, SYNC_RUNS),
        sync_median, tenant_made_s);

  feed_clear (&feed);
}

static void
bench_no_change_sync (Bench    *bench,
                      RotaSync *sync)
{
  g_autoptr(GError) error = NULL;
  double times[NO_CHANGE_RUNS];
  double page_times[NO_CHANGE_RUNS];
  double cold_times[NO_CHANGE_RUNS];
  gint64 revision = rota_store_get_cursor (rota_sync_get_store (sync), ROTA_SYNC_CURSOR_CHANGES);
  g_autofree char *path = feed_path (revision);
  double median_ms;
  double cold_median_ms;
  double page_median_ms;

  /* One run first, not timed. */
  g_assert (rota_sync_run (sync, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < NO_CHANGE_RUNS; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (!rota_sync_run (sync, NULL, &error))
        g_error ("A sync failed: %s", error->message);
      times[i] = bench_seconds_since (start) * 1000.0;
    }
  g_assert_cmpint (rota_store_get_cursor (rota_sync_get_store (sync), ROTA_SYNC_CURSOR_CHANGES), ==,
                   revision);

  /* The same with a new client each time: a TLS handshake, capabilities
   * and whoami first, as after the client's idle timeout (60 s), which is
   * shorter than the timer's interval (ROTA_SYNC_DEFAULT_INTERVAL). */
  for (guint i = 0; i < NO_CHANGE_RUNS; i++)
    {
      g_autoptr(RotaClient) client = rota_client_new (bench->srv.base, TENANT, bench->token, bench->srv.ca, &error);
      g_autoptr(RotaSync) fresh = NULL;
      gint64 start;

      g_assert_no_error (error);
      fresh = rota_sync_new (rota_sync_get_store (sync), client);
      start = g_get_monotonic_time ();
      if (!rota_sync_run (fresh, NULL, &error))
        g_error ("A sync failed: %s", error->message);
      cold_times[i] = bench_seconds_since (start) * 1000.0;
    }

  /* The empty page alone, from a bare libsoup session, for comparison. */
  for (guint i = 0; i < NO_CHANGE_RUNS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) body = get (bench, path);

      page_times[i] = bench_seconds_since (start) * 1000.0;
    }

  median_ms = bench_median (times, NO_CHANGE_RUNS);
  cold_median_ms = bench_median (cold_times, NO_CHANGE_RUNS);
  page_median_ms = bench_median (page_times, NO_CHANGE_RUNS);

  /* median_ms and p90_ms are on a kept-alive connection; p90 by nearest
   * rank. */
  bench_emit ("no-change-sync",
        "\"runs\": %d, \"median_ms\": %.2f, \"p90_ms\": %.2f, \"min_ms\": %.2f, \"max_ms\": %.2f, "
        "\"new_connection_median_ms\": %.2f, \"new_connection_p90_ms\": %.2f, "
        "\"empty_page_get_median_ms\": %.2f, \"target_ms\": 50, \"ratio_to_target\": %.3f",
        NO_CHANGE_RUNS, median_ms, times[P90], times[0], times[NO_CHANGE_RUNS - 1],
        cold_median_ms, cold_times[P90], page_median_ms, median_ms / 50.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(RotaSync) sync = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *dir = NULL;
  Bench bench = { 0 };
  double tenant_made_s;

  dir = g_dir_make_tmp ("rota-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  bench_server_start (&bench.srv, dir);
  tenant_made_s = make_tenant (&bench);
  database = g_tls_file_database_new (bench.srv.ca, &error);
  g_assert_no_error (error);
  bench.session = soup_session_new_with_options ("tls-database", database, "timeout", 60, NULL);

  bench_initial_sync (&bench, tenant_made_s, &sync);
  bench_no_change_sync (&bench, sync);
  g_clear_object (&sync);

  g_subprocess_force_exit (bench.srv.server);
  g_subprocess_wait (bench.srv.server, NULL, NULL);
  g_clear_object (&bench.srv.server);
  g_clear_object (&bench.session);
  cmd = g_strdup_printf ("rm -rf '%s'", bench.srv.dir);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);

  g_free (bench.srv.dir);
  g_free (bench.srv.data_dir);
  g_free (bench.srv.ca);
  g_free (bench.srv.cert);
  g_free (bench.srv.key);
  g_free (bench.srv.base);
  g_free (bench.token);

  return 0;
}
