/* test-sync.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The sync engine against the real rota-server over loopback TLS with a
 * CA made for this run: the first pull, edits pushed, deletions both
 * ways, a refused edit parked, two clients in conflict resolved each way,
 * answers lost after the server committed, a storm of 503 and 429, the
 * worker thread, and change feeds that must not be applied.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "rota-codec.h"
#include "rota-kiosk.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-punch-analysis.h"
#include "rota-sync.h"
#include "rota-time.h"
#include "server-harness.h"
#include "sync-proxy.h"
#include "sync-testlib.h"

typedef HarnessServer Fixture;

static RotaStore *
open_cache (Fixture    *fixture,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  RotaStore *store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static RotaSync *
make_sync (RotaStore  *store,
           const char *base,
           const char *token,
           const char *ca)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) client = rota_client_new (base, "alpha", token, ca, &error);

  g_assert_no_error (error);
  return rota_sync_new (store, client);
}

static void
sync_ok (RotaSync *sync)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_sync_run (sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_sync_get_state (sync), ==, ROTA_SYNC_STATE_IDLE);
}

static guint
count_kind (GHashTable *state,
            const char *kind,
            gboolean    deleted)
{
  GHashTableIter iter;
  gpointer value;
  guint count = 0;

  g_hash_table_iter_init (&iter, state);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JsonObject *change = json_node_get_object (value);

      if (g_str_equal (json_object_get_string_member (change, "entity"), kind) &&
          json_object_get_boolean_member (change, "deleted") == deleted)
        count++;
    }

  return count;
}

/* The server's copy of a shift, or NULL when it has none or deleted it. */
static RotaShift *
server_shift (GHashTable *state,
              const char *id)
{
  g_autofree char *key = g_strconcat ("shift/", id, NULL);
  JsonNode *node = g_hash_table_lookup (state, key);
  g_autoptr(GError) error = NULL;
  RotaEntity *entity;

  if (node == NULL || json_object_get_boolean_member (json_node_get_object (node), "deleted"))
    return NULL;
  entity = rota_codec_decode (ROTA_TYPE_SHIFT, json_object_get_member (json_node_get_object (node), "data"), &error);
  g_assert_no_error (error);
  return ROTA_SHIFT (entity);
}

static RotaShift *
local_shift (RotaStore  *store,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  RotaEntity *entity = rota_store_get_entity (store, ROTA_TYPE_SHIFT, id, &error);

  /* Deleted, or never there. */
  if (g_error_matches (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND))
    return NULL;
  g_assert_no_error (error);
  return ROTA_SHIFT (entity);
}

/* A shift of the demo plan with an employee, the same in every cache. */
static char *
pick_shift (RotaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shifts = rota_store_list_entities (store, ROTA_TYPE_SHIFT, &error);
  const char *best = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);

      if (shift->employee_id != NULL && !shift->deleted &&
          (best == NULL || strcmp (shift->id, best) < 0))
        best = shift->id;
    }
  g_assert_nonnull (best);

  return g_strdup (best);
}

static RotaOutboxItem *
edit_shift (RotaStore  *store,
            const char *id,
            gint64      move,
            const char *note)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaShift) shift = local_shift (store, id);
  RotaOutboxItem *item;

  g_assert_nonnull (shift);
  shift->start += move;
  shift->end += move;
  g_free (shift->note);
  shift->note = g_strdup (note);
  item = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (shift), "anna", "moved", &error);
  g_assert_no_error (error);

  return item;
}

static void
assert_outbox (RotaStore *store,
               gint64     pending,
               gint64     conflicts,
               gint64     parked)
{
  g_autoptr(GError) error = NULL;
  gint64 counts[3] = { -1, -1, -1 };

  g_assert_true (rota_store_count_outbox (store, &counts[0], &counts[1], &counts[2], &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts[0], ==, pending);
  g_assert_cmpint (counts[1], ==, conflicts);
  g_assert_cmpint (counts[2], ==, parked);
}

static gboolean
audit_has (RotaStore  *store,
           const char *entity_id,
           const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = rota_store_list_audit (store, "shift", entity_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *found = NULL;

      g_object_get (g_ptr_array_index (entries, i), "action", &found, NULL);
      if (g_strcmp0 (found, action) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
on_progress (RotaSync   *sync,
             GParamSpec *pspec,
             GArray     *seen)
{
  double progress = rota_sync_get_progress (sync);

  g_array_append_val (seen, progress);
}

/* The first sync pulls the whole plan; pulling it again changes nothing;
 * edits go up, the server's changes come down, deletions both ways. */
static void
test_sync_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autoptr(RotaStore) store = open_cache (fixture, "a.sqlite");
  g_autoptr(RotaSync) sync = make_sync (store, fixture->base, token, fixture->ca);
  g_autoptr(RotaStore) other_store = open_cache (fixture, "b.sqlite");
  g_autoptr(RotaSync) other = make_sync (other_store, fixture->base, token, fixture->ca);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) again = NULL;
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GArray) progress = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(RotaShift) up = NULL;
  g_autoptr(RotaShift) down = NULL;
  g_autoptr(RotaShift) gone = NULL;
  g_autoptr(RotaShift) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *new_id = g_uuid_string_random ();
  gint64 cursor;

  g_assert_cmpint (rota_sync_get_last_success (sync), ==, 0);
  g_signal_connect (sync, "notify::progress", G_CALLBACK (on_progress), progress);

  sync_ok (sync);
  g_assert_cmpint (rota_sync_get_last_success (sync), >, 0);
  g_assert_cmpfloat (rota_sync_get_progress (sync), ==, 1.0);
  g_assert_cmpuint (progress->len, >=, 1);
  for (guint i = 0; i < progress->len; i++)
    {
      g_assert_cmpfloat (g_array_index (progress, double, i), <=, 1.0);
      g_assert_true (i == 0 || g_array_index (progress, double, i) >= g_array_index (progress, double, i - 1));
    }
  g_assert_cmpstr (rota_sync_get_message (sync), ==, NULL);

  /* Everything the server has is here. */
  state = sync_testlib_server_state (fixture, token);
  counts = rota_store_table_counts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (state, "shift", FALSE), >, 0);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "shift"), ==, count_kind (state, "shift", FALSE));
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "employee"), ==, 5);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "punch"), ==, count_kind (state, "punch", FALSE));

  /* The same changes again, from 0: nothing changes. */
  before = rota_store_table_hashes (store, &error);
  g_assert_no_error (error);
  cursor = rota_store_get_cursor (store, ROTA_SYNC_CURSOR_CHANGES);
  g_assert_cmpint (cursor, >, 0);
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    g_assert_true (rota_store_apply_feed (store, none, NULL, ROTA_SYNC_CURSOR_CHANGES, 0, &error));
  }
  sync_ok (sync);
  again = rota_store_table_hashes (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (before, "shift"), ==, g_hash_table_lookup (again, "shift"));
  g_assert_cmpstr (g_hash_table_lookup (before, "punch"), ==, g_hash_table_lookup (again, "punch"));
  g_assert_cmpstr (g_hash_table_lookup (before, "employee"), ==, g_hash_table_lookup (again, "employee"));
  g_assert_cmpint (rota_store_get_cursor (store, ROTA_SYNC_CURSOR_CHANGES), ==, cursor);

  /* An edit goes up with its version; the other cache gets it. */
  sync_ok (other);
  id = pick_shift (store);
  item = edit_shift (store, id, 3600, "Brings the keys");
  g_assert_cmpint (item->base_version, ==, 1);
  g_clear_pointer (&state, g_hash_table_unref);
  sync_ok (sync);
  g_assert_cmpint (rota_sync_get_pending (sync), ==, 0);
  assert_outbox (store, 0, 0, 0);
  state = sync_testlib_server_state (fixture, token);
  up = server_shift (state, id);
  g_assert_cmpint (up->version, ==, 2);
  g_assert_cmpstr (up->note, ==, "Brings the keys");
  sync_ok (other);
  down = local_shift (other_store, id);
  g_assert_true (rota_entity_equal (ROTA_ENTITY (down), ROTA_ENTITY (up)));

  /* A new shift, created offline, arrives once; deleted on the other
   * cache, it is gone here too. */
  {
    g_autoptr(RotaShift) shift = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (down)));
    g_autoptr(RotaOutboxItem) create = NULL;

    g_free (shift->id);
    shift->id = g_strdup (new_id);
    shift->version = 0;
    shift->start += 7 * 86400;
    shift->end += 7 * 86400;
    create = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (shift), "anna", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (create->base_version, ==, 0);
  }
  sync_ok (sync);
  g_clear_pointer (&state, g_hash_table_unref);
  state = sync_testlib_server_state (fixture, token);
  created = server_shift (state, new_id);
  g_assert_nonnull (created);
  g_assert_cmpint (created->version, ==, 1);

  sync_ok (other);
  {
    g_autoptr(RotaShift) shift = local_shift (other_store, new_id);
    g_autoptr(RotaOutboxItem) deletion = NULL;

    g_assert_nonnull (shift);
    deletion = rota_store_record_edit (other_store, ROTA_OUTBOX_OP_DELETE, ROTA_ENTITY (shift), "ben", NULL, &error);
    g_assert_no_error (error);
  }
  sync_ok (other);
  g_clear_pointer (&state, g_hash_table_unref);
  state = sync_testlib_server_state (fixture, token);
  g_assert_null (server_shift (state, new_id));
  sync_ok (sync);
  gone = local_shift (store, new_id);
  g_assert_null (gone);
}

/* An edit the server refuses is parked with its message; edits of other
 * records go on, and later edits of the same record wait behind it. */
static void
test_sync_parked (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autoptr(RotaStore) store = open_cache (fixture, "a.sqlite");
  g_autoptr(RotaSync) sync = make_sync (store, fixture->base, token, fixture->ca);
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(RotaShift) moved = NULL;
  g_autoptr(RotaOutboxItem) good = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stray_id = g_uuid_string_random ();

  sync_ok (sync);
  id = pick_shift (store);

  /* A department only this cache knows: the server refuses a shift in it. */
  {
    g_autoptr(RotaShift) source = local_shift (store, id);
    g_autoptr(RotaEntity) department = rota_store_get_entity (store, ROTA_TYPE_DEPARTMENT,
                                                              source->department_id, &error);
    g_autoptr(RotaShift) stray = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (source)));
    g_autoptr(RotaOutboxItem) first = NULL;
    g_autoptr(RotaOutboxItem) second = NULL;

    g_assert_no_error (error);
    g_free (ROTA_DEPARTMENT (department)->id);
    ROTA_DEPARTMENT (department)->id = g_strdup ("dept-only-here");
    g_assert_true (rota_store_put_entity (store, department, &error));
    g_assert_no_error (error);

    g_free (stray->id);
    stray->id = g_strdup (stray_id);
    stray->version = 0;
    g_free (stray->department_id);
    stray->department_id = g_strdup ("dept-only-here");
    first = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (stray), "anna", NULL, &error);
    g_assert_no_error (error);
    stray->note = g_strdup ("second edit of the refused shift");
    second = rota_store_record_edit (store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (stray), "anna", NULL, &error);
    g_assert_no_error (error);
  }
  good = edit_shift (store, id, 1800, NULL);

  sync_ok (sync);
  g_assert_cmpint (rota_sync_get_parked (sync), ==, 1);
  g_assert_cmpint (rota_sync_get_pending (sync), ==, 1);
  assert_outbox (store, 1, 0, 1);

  outbox = rota_store_list_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  {
    RotaOutboxItem *parked = g_ptr_array_index (outbox, 0);

    g_assert_cmpint (parked->state, ==, ROTA_OUTBOX_STATE_PARKED);
    g_assert_nonnull (strstr (parked->message, "departmentId"));
    g_test_message ("parked: %s", parked->message);
    g_assert_cmpint (((RotaOutboxItem *) g_ptr_array_index (outbox, 1))->state, ==, ROTA_OUTBOX_STATE_PENDING);
  }

  /* The good edit went through. */
  state = sync_testlib_server_state (fixture, token);
  moved = server_shift (state, id);
  g_assert_cmpint (moved->version, ==, 2);
  g_assert_null (server_shift (state, stray_id));
}

/* Two caches edit the same shift offline. The second to sync gets one
 * conflict with both versions kept; resolved either way, both caches and
 * the server end up alike, and the choice is audited. */
static void
test_sync_conflict (Fixture       *fixture,
                    gconstpointer  data)
{
  RotaResolution resolution = GPOINTER_TO_INT (data);
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autoptr(RotaStore) store_a = open_cache (fixture, "a.sqlite");
  g_autoptr(RotaStore) store_b = open_cache (fixture, "b.sqlite");
  g_autoptr(RotaSync) a = make_sync (store_a, fixture->base, token, fixture->ca);
  g_autoptr(RotaSync) b = make_sync (store_b, fixture->base, token, fixture->ca);
  g_autoptr(RotaOutboxItem) mine_a = NULL;
  g_autoptr(RotaOutboxItem) mine_b = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(RotaShift) on_server = NULL;
  g_autoptr(RotaShift) in_a = NULL;
  g_autoptr(RotaShift) in_b = NULL;
  g_autoptr(RotaShift) theirs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  RotaOutboxItem *conflict;

  sync_ok (a);
  sync_ok (b);
  id = pick_shift (store_a);

  mine_a = edit_shift (store_a, id, 3600, "A moved it an hour later");
  mine_b = edit_shift (store_b, id, -3600, "B moved it an hour earlier");

  sync_ok (a);
  sync_ok (b);
  g_assert_cmpint (rota_sync_get_conflicts (b), ==, 1);
  g_assert_cmpint (rota_sync_get_conflicts (a), ==, 0);
  assert_outbox (store_b, 0, 1, 0);

  /* Both versions are kept, and B still shows its own. */
  outbox = rota_store_list_outbox (store_b, &error);
  g_assert_no_error (error);
  conflict = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (conflict->state, ==, ROTA_OUTBOX_STATE_CONFLICT);
  g_assert_nonnull (conflict->server_payload);
  theirs = ROTA_SHIFT (rota_codec_decode_string (ROTA_TYPE_SHIFT, conflict->server_payload,
                                                 strlen (conflict->server_payload), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (theirs->note, ==, "A moved it an hour later");
  in_b = local_shift (store_b, id);
  g_assert_cmpstr (in_b->note, ==, "B moved it an hour earlier");
  g_clear_object (&in_b);

  /* Syncing again does not make a second conflict or send it again. */
  sync_ok (b);
  assert_outbox (store_b, 0, 1, 0);

  g_assert_true (rota_store_outbox_resolve (store_b, conflict->seq, resolution, "ben",
                                            "talked to Anna", &error));
  g_assert_no_error (error);
  g_assert_true (audit_has (store_b, id, resolution == ROTA_RESOLUTION_KEEP_MINE ? "keep-mine" : "take-theirs"));

  /* A conflict can be resolved once. */
  g_assert_false (rota_store_outbox_resolve (store_b, conflict->seq, resolution, "ben", NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  sync_ok (b);
  sync_ok (a);
  assert_outbox (store_a, 0, 0, 0);
  assert_outbox (store_b, 0, 0, 0);

  state = sync_testlib_server_state (fixture, token);
  on_server = server_shift (state, id);
  in_a = local_shift (store_a, id);
  in_b = local_shift (store_b, id);
  g_assert_cmpstr (on_server->note, ==,
                   resolution == ROTA_RESOLUTION_KEEP_MINE ? "B moved it an hour earlier" : "A moved it an hour later");
  g_assert_cmpint (on_server->version, ==, resolution == ROTA_RESOLUTION_KEEP_MINE ? 3 : 2);
  g_assert_true (rota_entity_equal (ROTA_ENTITY (on_server), ROTA_ENTITY (in_a)));
  g_assert_true (rota_entity_equal (ROTA_ENTITY (on_server), ROTA_ENTITY (in_b)));
}

static RotaPunch *
new_punch (const char    *employee_id,
           RotaPunchKind  kind,
           gint64         at)
{
  RotaPunch *punch = g_object_new (ROTA_TYPE_PUNCH, NULL);

  punch->id = g_uuid_string_random ();
  punch->employee_id = g_strdup (employee_id);
  punch->kind = kind;
  punch->at = at;
  punch->source = g_strdup ("kiosk:back-office");

  return punch;
}

/* The server commits each write and then the connection drops before the
 * answer arrives. The client sends again with the same key: one shift,
 * one punch, no duplicates. */
static void
test_sync_dropped_answer (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autoptr(RotaStore) store = open_cache (fixture, "a.sqlite");
  SyncProxy *proxy = sync_proxy_start (fixture->base, fixture->ca);
  g_autoptr(RotaSync) sync = make_sync (store, sync_proxy_get_base (proxy), token, NULL);
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(RotaShift) moved = NULL;
  g_autoptr(RotaShift) source = NULL;
  g_autoptr(RotaPunch) punch_in = NULL;
  g_autoptr(RotaPunch) punch_out = NULL;
  g_autoptr(RotaOutboxItem) edit = NULL;
  g_autoptr(RotaOutboxItem) in_item = NULL;
  g_autoptr(RotaOutboxItem) out_item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *in_key = NULL;
  guint punches_before;

  sync_ok (sync);
  state = sync_testlib_server_state (fixture, token);
  punches_before = count_kind (state, "punch", FALSE);
  g_clear_pointer (&state, g_hash_table_unref);

  id = pick_shift (store);
  source = local_shift (store, id);
  edit = edit_shift (store, id, 900, "Answer lost");
  punch_in = new_punch (source->employee_id, ROTA_PUNCH_KIND_IN, rota_time_now () - 3600);
  punch_out = new_punch (source->employee_id, ROTA_PUNCH_KIND_OUT, rota_time_now () - 60);
  in_item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch_in), "kiosk", NULL, &error);
  g_assert_no_error (error);
  out_item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch_out), "kiosk", NULL, &error);
  g_assert_no_error (error);

  sync_proxy_set_drop_writes (proxy, TRUE);
  sync_ok (sync);
  {
    g_autoptr(GPtrArray) left = rota_store_list_outbox (store, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < left->len; i++)
      g_test_message ("left in the outbox: %s %s: %s", ((RotaOutboxItem *) g_ptr_array_index (left, i))->kind,
                      ((RotaOutboxItem *) g_ptr_array_index (left, i))->entity_id,
                      ((RotaOutboxItem *) g_ptr_array_index (left, i))->message);
  }
  assert_outbox (store, 0, 0, 0);

  /* Three writes, each answered into the void once and sent twice. */
  g_assert_cmpuint (sync_proxy_count_dropped (proxy), ==, 3);
  g_assert_cmpuint (sync_proxy_count_tries (proxy, "PUT", "/alpha/api/planning/v3/shifts/"), ==, 2);
  g_assert_cmpuint (sync_proxy_count_tries (proxy, "POST", "/alpha/api/clock/v3/clock-in"), ==, 2);
  g_assert_cmpuint (sync_proxy_count_tries (proxy, "POST", "/alpha/api/clock/v3/clock-out"), ==, 2);

  state = sync_testlib_server_state (fixture, token);
  moved = server_shift (state, id);
  g_assert_cmpint (moved->version, ==, 2);
  g_assert_cmpstr (moved->note, ==, "Answer lost");
  g_assert_cmpuint (count_kind (state, "punch", FALSE), ==, punches_before + 2);
  in_key = g_strconcat ("punch/", punch_in->id, NULL);
  g_assert_true (g_hash_table_contains (state, in_key));

  sync_proxy_stop (proxy);
}

/* Every request meets a 503 and then a 429, each with Retry-After: 1.
 * The client waits the second it is told each time, and everything
 * arrives. */
static void
test_sync_storm (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autoptr(RotaStore) store = open_cache (fixture, "a.sqlite");
  SyncProxy *proxy = sync_proxy_start (fixture->base, fixture->ca);
  g_autoptr(RotaSync) sync = make_sync (store, sync_proxy_get_base (proxy), token, NULL);
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(RotaShift) moved = NULL;
  g_autoptr(RotaOutboxItem) edit = NULL;
  g_autofree char *id = NULL;
  guint retried = 0;
  gint64 gap;

  sync_ok (sync);
  id = pick_shift (store);
  edit = edit_shift (store, id, 600, "Through the storm");

  sync_proxy_set_storm (proxy, 2);
  sync_ok (sync);
  assert_outbox (store, 0, 0, 0);

  gap = sync_proxy_min_retry_gap (proxy, &retried);
  g_test_message ("%u requests retried; shortest wait %.3f s", retried, gap / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (retried, >=, 2);
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC - 20000);
  g_assert_cmpuint (sync_proxy_count_tries (proxy, "PUT", "/alpha/api/planning/v3/shifts/"), ==, 3);

  state = sync_testlib_server_state (fixture, token);
  moved = server_shift (state, id);
  g_assert_cmpstr (moved->note, ==, "Through the storm");
  g_assert_cmpint (moved->version, ==, 2);

  sync_proxy_stop (proxy);
}

typedef struct
{
  GMainLoop *loop;
  guint      finished;
} Waiter;

static void
on_finished (RotaSync *sync,
             Waiter   *waiter)
{
  waiter->finished++;
  g_main_loop_quit (waiter->loop);
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("The sync worker did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
wait_finished (Waiter *waiter)
{
  guint timeout = g_timeout_add_seconds (60, on_timeout, NULL);

  g_main_loop_run (waiter->loop);
  g_source_remove (timeout);
}

/* The worker syncs at start, on request, and says when the server is
 * gone; the properties change on this thread. */
static void
test_sync_worker (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "desk");
  g_autoptr(RotaStore) store = open_cache (fixture, "a.sqlite");
  g_autoptr(RotaSync) sync = make_sync (store, fixture->base, token, fixture->ca);
  g_autoptr(RotaOutboxItem) edit = NULL;
  g_autofree char *id = NULL;
  Waiter waiter = { g_main_loop_new (NULL, FALSE), 0 };

  g_signal_connect (sync, "finished", G_CALLBACK (on_finished), &waiter);
  rota_sync_set_interval (sync, 3600);
  rota_sync_start (sync);
  wait_finished (&waiter);
  g_assert_cmpuint (waiter.finished, ==, 1);
  g_assert_cmpint (rota_sync_get_state (sync), ==, ROTA_SYNC_STATE_IDLE);
  g_assert_cmpint (rota_sync_get_last_success (sync), >, 0);

  id = pick_shift (store);
  edit = edit_shift (store, id, 300, NULL);
  rota_sync_request (sync);
  wait_finished (&waiter);
  g_assert_cmpint (rota_sync_get_pending (sync), ==, 0);

  /* The server goes away: offline, with the edit kept. */
  g_subprocess_force_exit (fixture->server);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_pointer (&edit, rota_outbox_item_free);
  edit = edit_shift (store, id, 300, NULL);
  rota_sync_request (sync);
  wait_finished (&waiter);
  g_assert_cmpint (rota_sync_get_state (sync), ==, ROTA_SYNC_STATE_OFFLINE);
  g_assert_cmpint (rota_sync_get_pending (sync), ==, 1);
  g_assert_nonnull (rota_sync_get_message (sync));
  g_test_message ("offline: %s", rota_sync_get_message (sync));

  rota_sync_stop (sync);
  g_main_loop_unref (waiter.loop);
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

/* The kiosk on a clock-only token against the real server: the scope
 * check, the server's time from the Date header of a sync (the two
 * clocks are one here, so the offset is about 0), the time trusted and
 * online after it, a punch sent and no longer pending, offline when the
 * server is gone. */
static void
test_sync_kiosk (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *clock_token = g_hash_table_lookup (fixture->tokens, "clock");
  g_autofree char *desk_token = sync_testlib_make_token (fixture, "desk");
  g_autoptr(RotaStore) store = open_cache (fixture, "kiosk.sqlite");
  g_autoptr(RotaSync) sync = make_sync (store, fixture->base, clock_token, fixture->ca);
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(RotaPunch) punch = NULL;
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  guint reached = 0;
  guint changed = 0;
  gint64 offset_ms = 0;

  g_assert_nonnull (clock_token);

  /* Only a clock-only token starts a kiosk. */
  {
    g_autoptr(RotaClient) desk = NULL;

    desk = rota_client_new (fixture->base, "alpha", desk_token, fixture->ca, &error);
    g_assert_no_error (error);
    g_assert_true (rota_client_connect (desk, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (rota_kiosk_check_scopes (rota_client_get_scopes (desk), &error));
    g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_SCOPE);
    g_clear_error (&error);
  }
  g_assert_true (rota_client_connect (rota_sync_get_client (sync), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rota_kiosk_check_scopes (rota_client_get_scopes (rota_sync_get_client (sync)), &error));
  g_assert_no_error (error);

  kiosk = rota_kiosk_new (store, sync, "front-desk", NULL);
  g_signal_connect (sync, "server-reached", G_CALLBACK (count_cb), &reached);
  g_signal_connect (kiosk, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_false (rota_kiosk_get_time_trusted (kiosk));

  sync_ok (sync);
  g_assert_cmpuint (reached, ==, 1);
  g_assert_cmpuint (changed, >=, 1);
  g_test_message ("server offset %" G_GINT64_FORMAT " s", rota_sync_get_server_offset (sync));
  g_assert_cmpint (ABS (rota_sync_get_server_offset (sync)), <, 5);
  g_assert_true (rota_client_get_server_time (rota_sync_get_client (sync), &offset_ms, NULL, NULL));
  g_assert_cmpint (ABS (offset_ms), <, 5000);
  g_assert_cmpint (ABS (rota_kiosk_get_clock_offset (kiosk)), <, 5);
  g_assert_cmpint (ABS (rota_kiosk_now (kiosk) - g_get_real_time () / G_USEC_PER_SEC), <, 5);
  g_assert_true (rota_kiosk_get_time_trusted (kiosk));
  g_assert_true (rota_kiosk_get_online (kiosk));

  /* A punch goes up with what the kiosk stamped on it. */
  employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (employees->len, >, 0);
  punch = rota_kiosk_punch (kiosk, g_ptr_array_index (employees, 0), ROTA_PUNCH_KIND_IN, &error);
  g_assert_no_error (error);
  g_assert_false (rota_punch_get_time_untrusted (punch));
  g_assert_cmpint (rota_kiosk_get_pending (kiosk), ==, 1);
  sync_ok (sync);
  g_assert_cmpint (rota_kiosk_get_pending (kiosk), ==, 0);
  state = sync_testlib_server_state (fixture, desk_token);
  key = g_strconcat ("punch/", rota_entity_get_id (ROTA_ENTITY (punch)), NULL);
  {
    JsonNode *node = g_hash_table_lookup (state, key);
    g_autoptr(RotaEntity) sent = NULL;

    g_assert_nonnull (node);
    sent = rota_codec_decode (ROTA_TYPE_PUNCH, json_object_get_member (json_node_get_object (node), "data"),
                              &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rota_punch_get_source (ROTA_PUNCH (sent)), ==, "kiosk:front-desk");
    g_assert_cmpint (rota_punch_get_device_seq (ROTA_PUNCH (sent)), ==, 1);
    g_assert_cmpstr (rota_punch_get_device_boot_id (ROTA_PUNCH (sent)), ==,
                     rota_punch_get_device_boot_id (punch));
    g_assert_false (rota_punch_get_time_untrusted (ROTA_PUNCH (sent)));
  }

  /* The server gone: offline, and no new contact. */
  g_subprocess_force_exit (fixture->server);
  g_subprocess_wait (fixture->server, NULL, NULL);
  reached = 0;
  g_assert_false (rota_sync_run (sync, NULL, &error));
  g_clear_error (&error);
  g_assert_cmpuint (reached, ==, 0);
  g_assert_false (rota_kiosk_get_online (kiosk));
  g_assert_true (rota_kiosk_get_time_trusted (kiosk));
}

/* An approval of a day that changed since it was reviewed (a stale
 * forVersion): the server answers 409 day_changed, and the item is
 * parked with the server's message instead of being sent again and
 * again; the approval of the day as it is goes through. */
static void
test_sync_stale_approval (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *token = sync_testlib_make_token (fixture, "hr");
  g_autoptr(RotaStore) store = open_cache (fixture, "a.sqlite");
  g_autoptr(RotaSync) sync = make_sync (store, fixture->base, token, fixture->ca);
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(RotaApproval) stale = rota_approval_new ();
  g_autoptr(RotaApproval) current = rota_approval_new ();
  g_autoptr(RotaOutboxItem) first = NULL;
  g_autoptr(RotaOutboxItem) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *work_date = NULL;
  gint64 now = rota_time_now ();
  const RotaPunchDay *day = NULL;
  const char *employee_id;

  sync_ok (sync);

  /* Yesterday's work of somebody, clocked and synced, as the Punches
   * page then sees it. */
  employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (employees->len, >, 0);
  employee_id = rota_entity_get_id (g_ptr_array_index (employees, 0));
  work_date = rota_time_work_date (now - 86400, rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RotaPunch) punch = rota_punch_new ();
      g_autoptr(RotaOutboxItem) item = NULL;

      punch->id = g_uuid_string_random ();
      punch->employee_id = g_strdup (employee_id);
      punch->kind = i == 0 ? ROTA_PUNCH_KIND_IN : ROTA_PUNCH_KIND_OUT;
      punch->at = rota_time_from_local (rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE), work_date, i == 0 ? 9 * 60 : 12 * 60);
      punch->source = g_strdup ("manual");
      item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "hr", NULL, &error);
      g_assert_no_error (error);
    }
  sync_ok (sync);
  assert_outbox (store, 0, 0, 0);

  report = rota_punch_report_load (store, work_date, work_date, NULL, now, NULL, &error);
  g_assert_no_error (error);
  day = rota_punch_report_find_day (report, employee_id, work_date);
  g_assert_nonnull (day);
  g_assert_cmpuint (day->n_punches, ==, 2);

  stale->id = g_uuid_string_random ();
  stale->employee_id = g_strdup (employee_id);
  stale->work_date = g_strdup (work_date);
  stale->state = ROTA_APPROVAL_STATE_APPROVED;
  stale->author = g_strdup ("hr");
  stale->created_at = now;
  stale->for_version = day->version == 1 ? 2 : 1;
  first = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (stale), "hr", NULL, &error);
  g_assert_no_error (error);

  current->id = g_uuid_string_random ();
  current->employee_id = g_strdup (employee_id);
  current->work_date = g_strdup (work_date);
  current->state = ROTA_APPROVAL_STATE_APPROVED;
  current->author = g_strdup ("hr");
  current->created_at = now + 1;
  current->for_version = day->version;
  second = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (current), "hr", NULL, &error);
  g_assert_no_error (error);

  sync_ok (sync);
  sync_ok (sync);
  g_assert_cmpint (rota_sync_get_parked (sync), ==, 1);
  assert_outbox (store, 0, 0, 1);

  outbox = rota_store_list_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpint (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->state, ==, ROTA_OUTBOX_STATE_PARKED);
  g_test_message ("parked: %s", ((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->message);
  /* In HR's words, not the API's ("forVersion: …"). */
  g_assert_nonnull (strstr (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->message,
                            "The day changed on the server after it was reviewed here"));
  g_assert_nonnull (strstr (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->message, "review it again"));
  g_assert_null (strstr (((RotaOutboxItem *) g_ptr_array_index (outbox, 0))->message, "forVersion"));
}

/* Creates a shift on the server as a planner: today + @day_offset, 11:00
 * to 13:00 UTC, with a note and a break. */
static void
planner_put_shift (Fixture    *fixture,
                   RotaStore  *store,
                   const char *id,
                   int         day_offset,
                   gboolean    published)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) client = rota_client_new (fixture->base, "alpha",
                                                  g_hash_table_lookup (fixture->tokens, "planning:write"),
                                                  fixture->ca, &error);
  g_autoptr(GPtrArray) departments = rota_store_list_entities (store, ROTA_TYPE_DEPARTMENT, &error);
  g_autoptr(GPtrArray) employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, day_offset);
  g_autofree char *day = g_date_time_format (then, "%Y-%m-%d");
  g_autofree char *path = g_strdup_printf ("api/planning/v3/shifts/%s", id);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  g_assert_no_error (error);
  body = g_strdup_printf ("{\"id\": \"%s\", \"departmentId\": \"%s\", \"employeeId\": \"%s\", "
                          "\"startDateTime\": \"%sT11:00:00Z\", \"endDateTime\": \"%sT13:00:00Z\", "
                          "\"breakMinutes\": 15, \"note\": \"Zahnarzt\", \"published\": %s}",
                          id, ROTA_DEPARTMENT (g_ptr_array_index (departments, 0))->id,
                          ROTA_EMPLOYEE (g_ptr_array_index (employees, 0))->id, day, day,
                          published ? "true" : "false");
  reply = rota_client_send (client, "PUT", path, body, NULL, 0, &status, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
}

/* A kiosk (a token with only the clock scope) gets no shifts from the
 * change feed, so the sync reads the published ones of yesterday to the
 * day after tomorrow from getScheduled into the cache, cut down to who,
 * where and when; next month's, drafts and anything of the hours never
 * reach it, and a shift unpublished on the server leaves it at the next
 * sync. */
static void
test_sync_kiosk_shifts (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RotaStore) planner_store = open_cache (fixture, "planner.sqlite");
  g_autoptr(RotaSync) planner = make_sync (planner_store, fixture->base,
                                           g_hash_table_lookup (fixture->tokens, "planning:write"), fixture->ca);
  g_autoptr(RotaStore) store = open_cache (fixture, "kiosk.sqlite");
  g_autoptr(RotaSync) kiosk = make_sync (store, fixture->base, g_hash_table_lookup (fixture->tokens, "clock"),
                                         fixture->ca);
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaShift) today = NULL;
  const char *today_id = "5b0e7a52-0000-4000-8000-00000000k001";
  const char *draft_id = "5b0e7a52-0000-4000-8000-00000000k002";
  const char *later_id = "5b0e7a52-0000-4000-8000-00000000k003";
  gint64 from = rota_time_now () - 3 * 86400;
  gint64 to = rota_time_now () + 4 * 86400;

  sync_ok (planner);
  planner_put_shift (fixture, planner_store, today_id, 0, TRUE);
  planner_put_shift (fixture, planner_store, draft_id, 0, FALSE);
  planner_put_shift (fixture, planner_store, later_id, 30, TRUE);

  sync_ok (kiosk);

  today = local_shift (store, today_id);
  g_assert_nonnull (today);
  g_assert_true (rota_shift_get_published (today));
  g_assert_null (rota_shift_get_note (today));
  g_assert_cmpint (rota_shift_get_break_minutes (today), ==, 0);
  g_assert_null (local_shift (store, draft_id));
  g_assert_null (local_shift (store, later_id));

  /* Only published shifts of the few days around now. */
  shifts = rota_store_list_entities (store, ROTA_TYPE_SHIFT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, >, 0);
  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);

      g_assert_true (rota_shift_get_published (shift));
      g_assert_null (rota_shift_get_note (shift));
      g_assert_cmpint (rota_shift_get_start (shift), >=, from);
      g_assert_cmpint (rota_shift_get_start (shift), <, to);
    }

  /* Nothing of the hours. */
  counts = rota_store_table_counts (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      static const char * const none[] = { "punch", "punch_correction", "approval", "absence", "availability" };
      gint64 *count = g_hash_table_lookup (counts, none[i]);

      g_test_message ("%s: %" G_GINT64_FORMAT, none[i], count != NULL ? *count : -1);
      g_assert_true (count == NULL || *count == 0);
    }

  /* Unpublished on the server: gone from the kiosk at the next sync,
   * without any cursor moving it. */
  {
    g_autoptr(RotaClient) client = rota_client_new (fixture->base, "alpha",
                                                    g_hash_table_lookup (fixture->tokens, "planning:write"),
                                                    fixture->ca, &error);
    g_autoptr(JsonNode) reply = NULL;
    g_autofree char *path = g_strdup_printf ("api/planning/v3/shifts/%s", today_id);
    g_autoptr(RotaShift) server = NULL;
    g_autofree char *body = NULL;
    guint status = 0;

    sync_ok (planner);
    server = local_shift (planner_store, today_id);
    g_assert_nonnull (server);
    rota_shift_set_published (server, FALSE);
    body = rota_codec_encode_string (ROTA_ENTITY (server), ROTA_CODEC_DEFAULT);
    reply = rota_client_send (client, "PUT", path, body, NULL, rota_entity_get_version (ROTA_ENTITY (server)),
                              &status, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (status, ==, 200);
  }
  sync_ok (kiosk);
  g_assert_null (local_shift (store, today_id));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/engine/kiosk", Fixture, NULL, harness_server_set_up, test_sync_kiosk,
              harness_server_tear_down);
  g_test_add ("/sync/engine/round-trip", Fixture, NULL, harness_server_set_up, test_sync_round_trip,
              harness_server_tear_down);
  g_test_add ("/sync/engine/parked", Fixture, NULL, harness_server_set_up, test_sync_parked,
              harness_server_tear_down);
  g_test_add ("/sync/engine/stale-approval", Fixture, NULL, harness_server_set_up, test_sync_stale_approval,
              harness_server_tear_down);
  g_test_add ("/sync/engine/conflict/keep-mine", Fixture, GINT_TO_POINTER (ROTA_RESOLUTION_KEEP_MINE),
              harness_server_set_up, test_sync_conflict, harness_server_tear_down);
  g_test_add ("/sync/engine/conflict/take-theirs", Fixture, GINT_TO_POINTER (ROTA_RESOLUTION_TAKE_THEIRS),
              harness_server_set_up, test_sync_conflict, harness_server_tear_down);
  g_test_add ("/sync/engine/dropped-answer", Fixture, NULL, harness_server_set_up, test_sync_dropped_answer,
              harness_server_tear_down);
  g_test_add ("/sync/engine/storm", Fixture, NULL, harness_server_set_up, test_sync_storm,
              harness_server_tear_down);
  g_test_add ("/sync/engine/kiosk-shifts", Fixture, NULL, harness_server_set_up, test_sync_kiosk_shifts,
              harness_server_tear_down);
  g_test_add ("/sync/engine/worker", Fixture, NULL, harness_server_set_up, test_sync_worker,
              harness_server_tear_down);

  return g_test_run ();
}
