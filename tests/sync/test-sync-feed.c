/* test-sync-feed.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The sync engine against a server in this process that serves change
 * feeds no real rota-server would: pages with tombstones and kinds from a
 * newer server, which must be applied, and a table of broken pages, which
 * must fail the sync with a clear error and leave the cache exactly as it
 * was. Also a plain Dyflexis server (no capabilities): punches go up
 * through clock-in and clock-out, plan edits stay local and are counted,
 * and the timer syncs without being asked.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rota-codec.h"
#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-store-mirror.h"
#include "rota-sync.h"
#include "rota-time.h"
#include "test-http.h"

typedef struct
{
  TestHttp     *http;
  GMutex        lock;

  gboolean      dyflexis;   /* no capabilities, no whoami, no change feed */
  GHashTable   *pages;      /* "since" → the feed page's body */
  guint         clock_ins;
  guint         clock_outs;
  guint         feeds;
  guint         mirror_reads;
} Fake;

static void
respond (SoupServerMessage *msg,
         const char        *body)
{
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fake *fake = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *page = NULL;

  g_mutex_lock (&fake->lock);

  if (g_str_equal (path, "/alpha/api/v3/capabilities") && !fake->dyflexis)
    respond (msg, "{\"features\": [\"changes\"]}");
  else if (g_str_equal (path, "/alpha/api/v3/whoami") && !fake->dyflexis)
    respond (msg, "{\"tenant\": \"alpha\", \"name\": \"fake\", \"scopes\": [\"planning:write\"]}");
  else if (g_str_equal (path, "/alpha/api/sync/v3/changes") && !fake->dyflexis)
    {
      const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;

      fake->feeds++;
      page = g_strdup (g_hash_table_lookup (fake->pages, since != NULL ? since : "0"));
      if (page == NULL)
        page = g_strdup_printf ("{\"revision\": %s, \"changes\": [], \"hasMore\": false}", since);
      respond (msg, page);
    }
  else if (g_str_equal (path, "/alpha/api/business/v3/employees") && fake->dyflexis)
    {
      fake->mirror_reads++;
      respond (msg, "{\"employees\": [], \"pageCount\": 1, \"_links\": {}}");
    }
  else if (fake->dyflexis && (g_str_equal (path, "/alpha/api/department-management/v3/tree") ||
                              g_str_equal (path, "/alpha/api/business/v3/scheduled") ||
                              g_str_equal (path, "/alpha/api/absence/v3/sick-leave") ||
                              g_str_equal (path, "/alpha/api/business/v3/registered-hours")))
    {
      const char *member = g_str_has_suffix (path, "tree") ? "offices"
                           : g_str_has_suffix (path, "scheduled") ? "shifts"
                           : g_str_has_suffix (path, "sick-leave") ? "sickLeave"
                           : "registeredHours";

      fake->mirror_reads++;
      page = g_strdup_printf ("{\"%s\": [], \"pageCount\": 1, \"_links\": {}}", member);
      respond (msg, page);
    }
  else if (g_str_equal (method, "POST") &&
           (g_str_equal (path, "/alpha/api/clock/v3/clock-in") || g_str_equal (path, "/alpha/api/clock/v3/clock-out")))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

      if (g_str_has_suffix (path, "in"))
        fake->clock_ins++;
      else
        fake->clock_outs++;
      soup_server_message_set_status (msg, 201, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_mutex_unlock (&fake->lock);
      return;
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      g_mutex_unlock (&fake->lock);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  g_mutex_unlock (&fake->lock);
}

static void
fake_start (Fake *fake)
{
  g_mutex_init (&fake->lock);
  fake->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fake->http = test_http_start (fake_handler, fake);
}

static void
fake_stop (Fake *fake)
{
  test_http_stop (fake->http);
  g_hash_table_unref (fake->pages);
  g_mutex_clear (&fake->lock);
}

static void
fake_set_page (Fake       *fake,
               const char *since,
               const char *body)
{
  g_mutex_lock (&fake->lock);
  g_hash_table_insert (fake->pages, g_strdup (since), g_strdup (body));
  g_mutex_unlock (&fake->lock);
}

static gboolean
collect (RotaEntity  *entity,
         gpointer     user_data,
         GError     **error)
{
  /* The generator reuses its objects: keep copies. */
  g_ptr_array_add (user_data, rota_entity_copy (entity));
  return TRUE;
}

/* A small demo plan: offices, departments, three employees, shifts. */
static GPtrArray *
demo_entities (void)
{
  GPtrArray *entities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  RotaDemoOptions options;

  rota_demo_options_init (&options, 1795000000);
  options.n_employees = 3;
  options.n_weeks = 1;
  g_assert_true (rota_demo_generate (&options, collect, entities, NULL, &error));
  g_assert_no_error (error);

  return entities;
}

/* One change of a feed, as the server writes it. */
static void
append_change (GString    *out,
               RotaEntity *entity,
               gint64      revision)
{
  g_autofree char *data = rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT);

  g_string_append_printf (out, "%s{\"entity\": \"%s\", \"id\": \"%s\", \"version\": %" G_GINT64_FORMAT ", "
                               "\"revision\": %" G_GINT64_FORMAT ", \"deleted\": false, \"data\": %s}",
                          out->str[out->len - 1] == '[' ? "" : ", ",
                          rota_entity_get_kind (entity), rota_entity_get_id (entity),
                          rota_entity_get_version (entity), revision, data);
}

static RotaStore *
open_store (const char *dir,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  RotaStore *store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

/* Deletes the files of a store open_store() made, closed by now, and
 * @dir, empty by then. */
static void
remove_store (const char *dir,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (rota_store_delete_files (path, &error));
  g_assert_no_error (error);
  g_rmdir (dir);
}

static RotaSync *
fake_sync (Fake      *fake,
           RotaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) client = rota_client_new (test_http_get_base (fake->http), "alpha", "rota_fake", NULL,
                                                  &error);

  g_assert_no_error (error);
  return rota_sync_new (store, client);
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
test_feed_pages (void)
{
  Fake fake = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-feed-XXXXXX", &error);
  g_autoptr(GPtrArray) entities = demo_entities ();
  g_autoptr(GString) first = g_string_new ("{\"revision\": 5, \"hasMore\": true, \"latestRevision\": 6, \"changes\": [");
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaSync) sync = NULL;
  g_autoptr(GHashTable) before = NULL;
  RotaShift *kept = NULL;
  RotaShift *dropped = NULL;
  g_autofree char *second = NULL;
  g_autofree char *shift_json = NULL;
  g_autofree char *good = NULL;
  g_autofree char *good_data = NULL;

  /* A shift's JSON and a bad copy of it, to build broken pages from. */
  struct {
    const char *what;
    const char *page;   /* GOOD and SHIFT stand for a good change and a shift's JSON */
    int         code;   /* ROTA_SYNC_ERROR_* or -1 for ROTA_CLIENT_ERROR_BAD_RESPONSE */
  } bad[] = {
    { "not an object", "[]", ROTA_SYNC_ERROR_BAD_FEED },
    { "no changes", "{\"revision\": 7, \"hasMore\": false}", ROTA_SYNC_ERROR_BAD_FEED },
    { "changes not a list", "{\"revision\": 7, \"hasMore\": false, \"changes\": {}}", ROTA_SYNC_ERROR_BAD_FEED },
    { "no revision", "{\"hasMore\": false, \"changes\": []}", ROTA_SYNC_ERROR_BAD_FEED },
    { "revision backwards", "{\"revision\": 3, \"hasMore\": false, \"changes\": []}", ROTA_SYNC_ERROR_BAD_FEED },
    { "more without moving on", "{\"revision\": 6, \"hasMore\": true, \"changes\": []}", ROTA_SYNC_ERROR_BAD_FEED },
    { "hasMore a string", "{\"revision\": 7, \"hasMore\": \"no\", \"changes\": []}", ROTA_SYNC_ERROR_BAD_FEED },
    { "change without version",
      "{\"revision\": 7, \"hasMore\": false, \"changes\": [{\"entity\": \"shift\", \"id\": \"x\", \"revision\": 7, "
      "\"deleted\": true, \"data\": null}]}", ROTA_SYNC_ERROR_BAD_FEED },
    { "deleted a string",
      "{\"revision\": 7, \"hasMore\": false, \"changes\": [{\"entity\": \"shift\", \"id\": \"x\", \"version\": 2, "
      "\"revision\": 7, \"deleted\": \"yes\", \"data\": null}]}", ROTA_SYNC_ERROR_BAD_FEED },
    { "a change that is a number", "{\"revision\": 7, \"hasMore\": false, \"changes\": [7]}", ROTA_SYNC_ERROR_BAD_FEED },
    { "data that is no shift",
      "{\"revision\": 7, \"hasMore\": false, \"changes\": [{\"entity\": \"shift\", \"id\": \"x\", \"version\": 2, "
      "\"revision\": 7, \"deleted\": false, \"data\": {\"id\": \"x\", \"startDateTime\": 5}}]}", ROTA_SYNC_ERROR_BAD_FEED },
    { "a good change, then an id that is not the data's",
      "{\"revision\": 8, \"hasMore\": false, \"changes\": [GOOD, {\"entity\": \"shift\", \"id\": \"other\", "
      "\"version\": 9, \"revision\": 8, \"deleted\": false, \"data\": SHIFT}]}", ROTA_SYNC_ERROR_BAD_FEED },
    { "truncated", "{\"revision\": 7, \"hasMore\": false, \"chan", -1 },
    { "100,000 deep", NULL, -1 },
  };

  g_assert_no_error (error);
  fake_start (&fake);
  store = open_store (dir, "cache.sqlite");
  sync = fake_sync (&fake, store);

  /* Page 1: the plan, and a kind from a newer server. Page 2: one shift
   * changed, one deleted. */
  for (guint i = 0; i < entities->len; i++)
    {
      RotaEntity *entity = g_ptr_array_index (entities, i);

      if (ROTA_IS_PUNCH (entity) || ROTA_IS_PUNCH_CORRECTION (entity) || ROTA_IS_APPROVAL (entity))
        continue;
      if (ROTA_IS_SHIFT (entity) && ROTA_SHIFT (entity)->employee_id != NULL)
        {
          if (kept == NULL)
            kept = ROTA_SHIFT (entity);
          else if (dropped == NULL)
            dropped = ROTA_SHIFT (entity);
        }
      append_change (first, entity, 4);
    }
  g_assert_nonnull (kept);
  g_assert_nonnull (dropped);
  g_string_append (first, ", {\"entity\": \"gizmo\", \"id\": \"g1\", \"version\": 1, \"revision\": 5, "
                          "\"deleted\": false, \"data\": {\"spin\": true}}]}");
  fake_set_page (&fake, "0", first->str);

  kept->version = 2;
  g_free (kept->note);
  kept->note = g_strdup ("Changed on the server");
  shift_json = rota_codec_encode_string (ROTA_ENTITY (kept), ROTA_CODEC_DEFAULT);
  second = g_strdup_printf ("{\"revision\": 6, \"hasMore\": false, \"changes\": ["
                            "{\"entity\": \"shift\", \"id\": \"%s\", \"version\": 2, \"revision\": 6, \"deleted\": false, "
                            "\"data\": %s}, "
                            "{\"entity\": \"shift\", \"id\": \"%s\", \"version\": 2, \"revision\": 6, \"deleted\": true, "
                            "\"data\": null}]}",
                            kept->id, shift_json, dropped->id);
  fake_set_page (&fake, "5", second);

  if (!rota_sync_run (sync, NULL, &error))
    g_error ("first sync: %s", error->message);
  g_assert_no_error (error);
  g_assert_cmpint (rota_store_get_cursor (store, ROTA_SYNC_CURSOR_CHANGES), ==, 6);
  {
    g_autoptr(RotaEntity) changed = rota_store_get_entity (store, ROTA_TYPE_SHIFT, kept->id, &error);
    g_autoptr(RotaEntity) gone = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (ROTA_SHIFT (changed)->note, ==, "Changed on the server");
    gone = rota_store_get_entity (store, ROTA_TYPE_SHIFT, dropped->id, &error);
    g_assert_null (gone);
    g_assert_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* The same pages again, from 0: the same cache. */
  before = rota_store_table_hashes (store, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();
    g_autoptr(GHashTable) again = NULL;

    g_assert_true (rota_store_apply_feed (store, none, NULL, ROTA_SYNC_CURSOR_CHANGES, 0, &error));
    g_assert_true (rota_sync_run (sync, NULL, &error));
    g_assert_no_error (error);
    again = rota_store_table_hashes (store, &error);
    g_assert_no_error (error);
    g_assert_true (hashes_equal (before, again));
    g_assert_cmpint (rota_store_get_cursor (store, ROTA_SYNC_CURSOR_CHANGES), ==, 6);
  }

  /* Broken pages after revision 6: the sync fails, says why, and the
   * cache is as it was, to the byte. */
  kept->version = 9;
  good_data = rota_codec_encode_string (ROTA_ENTITY (kept), ROTA_CODEC_DEFAULT);
  good = g_strdup_printf ("{\"entity\": \"shift\", \"id\": \"%s\", \"version\": 9, \"revision\": 8, "
                          "\"deleted\": false, \"data\": %s}", kept->id, good_data);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GHashTable) after = NULL;
      g_autofree char *page = NULL;

      if (bad[i].page == NULL)
        {
          GString *deep = g_string_new ("{\"revision\": 7, \"hasMore\": false, \"changes\": ");

          for (guint d = 0; d < 100000; d++)
            g_string_append_c (deep, '[');
          page = g_string_free (deep, FALSE);
        }
      else
        {
          GString *text = g_string_new (bad[i].page);

          g_string_replace (text, "GOOD", good, 0);
          g_string_replace (text, "SHIFT", shift_json, 0);
          page = g_string_free (text, FALSE);
        }

      fake_set_page (&fake, "6", page);
      g_assert_false (rota_sync_run (sync, NULL, &error));
      g_test_message ("%s → %s", bad[i].what, error->message);
      if (bad[i].code >= 0)
        g_assert_error (error, ROTA_SYNC_ERROR, bad[i].code);
      else
        g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE);
      g_assert_cmpint (rota_sync_get_state (sync), ==, ROTA_SYNC_STATE_ERROR);
      g_assert_cmpstr (rota_sync_get_message (sync), ==, error->message);
      g_clear_error (&error);

      after = rota_store_table_hashes (store, &error);
      g_assert_no_error (error);
      g_assert_true (hashes_equal (before, after));
      g_assert_cmpint (rota_store_get_cursor (store, ROTA_SYNC_CURSOR_CHANGES), ==, 6);
    }

  /* Mended, the next sync goes on from where it was. */
  fake_set_page (&fake, "6", "{\"revision\": 7, \"hasMore\": false, \"changes\": []}");
  g_assert_true (rota_sync_run (sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_sync_get_state (sync), ==, ROTA_SYNC_STATE_IDLE);
  g_assert_cmpstr (rota_sync_get_message (sync), ==, NULL);

  g_clear_object (&sync);
  rota_store_close (store);
  fake_stop (&fake);
  remove_store (dir, "cache.sqlite");
}

static void
on_finished (RotaSync *sync,
             guint    *finished)
{
  (*finished)++;
}

/* A plain Dyflexis server: clock-ins and clock-outs go up through the
 * outbox; a plan edit stays here and is counted as such; the lists are
 * mirrored instead of a change feed. The worker syncs on its timer
 * without being asked. */
static void
test_feed_dyflexis (void)
{
  Fake fake = { .dyflexis = TRUE };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-feed-XXXXXX", &error);
  g_autoptr(GPtrArray) entities = demo_entities ();
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaSync) sync = NULL;
  g_autoptr(RotaOutboxItem) plan = NULL;
  RotaEmployee *employee = NULL;
  RotaShift *shift = NULL;
  guint finished = 0;
  gint64 pending = -1;

  g_assert_no_error (error);
  fake_start (&fake);
  store = open_store (dir, "cache.sqlite");
  g_assert_true (rota_store_put_entities (store, entities, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < entities->len; i++)
    {
      if (employee == NULL && ROTA_IS_EMPLOYEE (g_ptr_array_index (entities, i)))
        employee = g_ptr_array_index (entities, i);
      if (shift == NULL && ROTA_IS_SHIFT (g_ptr_array_index (entities, i)))
        shift = g_ptr_array_index (entities, i);
    }

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(RotaPunch) punch = g_object_new (ROTA_TYPE_PUNCH, NULL);
      g_autoptr(RotaOutboxItem) item = NULL;

      punch->id = g_uuid_string_random ();
      punch->employee_id = g_strdup (employee->id);
      punch->kind = i % 2 == 0 ? ROTA_PUNCH_KIND_IN : ROTA_PUNCH_KIND_OUT;
      punch->at = rota_time_now () - 3600 * (4 - i);
      punch->source = g_strdup ("kiosk:front");
      item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
      g_assert_no_error (error);
    }
  shift->end += 1800;
  plan = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (shift), "anna", NULL, &error);
  g_assert_no_error (error);

  sync = fake_sync (&fake, store);
  g_signal_connect (sync, "finished", G_CALLBACK (on_finished), &finished);
  rota_sync_set_interval (sync, 1);
  rota_sync_start (sync);

  /* The first sync at start, then at least one more on the timer alone. */
  while (finished < 2)
    g_main_context_iteration (NULL, TRUE);
  rota_sync_stop (sync);

  g_assert_cmpint (rota_sync_get_state (sync), ==, ROTA_SYNC_STATE_IDLE);
  g_assert_cmpint (rota_client_get_profile (rota_sync_get_client (sync)), ==, ROTA_CLIENT_PROFILE_DYFLEXIS);
  g_assert_cmpuint (fake.clock_ins, ==, 2);
  g_assert_cmpuint (fake.clock_outs, ==, 2);
  g_assert_cmpuint (fake.feeds, ==, 0);
  g_assert_cmpuint (fake.mirror_reads, >=, 2 * 5);
  g_assert_cmpint (rota_store_get_cursor (store, ROTA_MIRROR_CURSOR_AT), >, 0);
  g_assert_cmpint (rota_sync_get_local_only (sync), ==, 1);
  g_assert_cmpint (rota_sync_get_pending (sync), ==, 1);
  g_assert_true (rota_store_count_outbox (store, &pending, NULL, NULL, &error));
  g_assert_cmpint (pending, ==, 1);

  g_clear_object (&sync);
  rota_store_close (store);
  fake_stop (&fake);
  remove_store (dir, "cache.sqlite");
}

/* The network coming back starts a sync at once, long before the timer. */
static void
test_feed_network (void)
{
  Fake fake = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-feed-XXXXXX", &error);
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaSync) sync = NULL;
  g_autoptr(RotaClient) client = NULL;
  guint finished = 0;
  gint64 deadline;

  g_assert_no_error (error);
  fake_start (&fake);
  store = open_store (dir, "cache.sqlite");
  client = rota_client_new (test_http_get_base (fake.http), "alpha", "rota_fake", NULL, &error);
  g_assert_no_error (error);
  sync = g_object_new (ROTA_TYPE_SYNC, "store", store, "client", client, "interval", 3600, NULL);
  g_signal_connect (sync, "finished", G_CALLBACK (on_finished), &finished);
  rota_sync_start (sync);
  while (finished < 1)
    g_main_context_iteration (NULL, TRUE);

  /* What the system's monitor says when the network goes and comes
   * back: gone changes nothing, back starts a sync. */
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", FALSE);
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (finished < 2 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  g_assert_cmpuint (finished, ==, 2);
  g_assert_cmpuint (fake.feeds, ==, 2);

  rota_sync_stop (sync);
  g_clear_object (&sync);
  rota_store_close (store);
  fake_stop (&fake);
  remove_store (dir, "cache.sqlite");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/feed/pages", test_feed_pages);
  g_test_add_func ("/sync/feed/dyflexis", test_feed_dyflexis);
  g_test_add_func ("/sync/feed/network", test_feed_network);

  return g_test_run ();
}
