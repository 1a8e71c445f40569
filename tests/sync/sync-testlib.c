/* sync-testlib.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * What the tests of the sync engine and of `rotactl sync` ask of the real
 * rota-server (server-harness.h) besides syncing: a token of their own, and
 * the server's state read straight from its change feed, to hold a cache
 * up against.
 */

#include "config.h"

#include "rota-client.h"
#include "sync-testlib.h"

/**
 * sync_testlib_make_token:
 * @fixture: the running server
 * @name: the token's name
 *
 * A token of "alpha" that may plan, correct hours and clock: what a
 * manager's desktop gets.
 *
 * Returns: (transfer full): the token
 */
char *
sync_testlib_make_token (HarnessServer *fixture,
                         const char    *name)
{
  g_autofree char *out = harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir,
                                      "token", "add", "alpha", name,
                                      "--scopes", "planning:write,hours:write,clock", NULL);

  return g_strdup (g_strstrip (out));
}

/**
 * sync_testlib_server_state:
 * @fixture: the running server
 * @token: a token of "alpha" that may read the change feed
 *
 * The server's latest state of every entity of "alpha", read from its
 * change feed from the start, every page of it.
 *
 * Returns: (transfer full): "kind/id" → the last change of it (a JsonNode
 *   of the feed, with "deleted" and "data")
 */
GHashTable *
sync_testlib_server_state (HarnessServer *fixture,
                           const char    *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) client = rota_client_new (fixture->base, "alpha", token, fixture->ca, &error);
  GHashTable *state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  gboolean more = TRUE;
  gint64 since = 0;

  g_assert_no_error (error);
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("api/sync/v3/changes?since=%" G_GINT64_FORMAT "&limit=10000", since);
      g_autoptr(JsonNode) page = rota_client_get (client, path, NULL, NULL, &error);
      JsonArray *changes;

      g_assert_no_error (error);
      changes = json_object_get_array_member (json_node_get_object (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          g_hash_table_insert (state,
                               g_strdup_printf ("%s/%s", json_object_get_string_member (change, "entity"),
                                                json_object_get_string_member (change, "id")),
                               json_node_ref (json_array_get_element (changes, i)));
        }
      more = json_object_get_boolean_member (json_node_get_object (page), "hasMore");
      since = json_object_get_int_member (json_node_get_object (page), "revision");
    }

  return state;
}
