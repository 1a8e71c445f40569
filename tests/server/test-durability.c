/* test-durability.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * SIGKILL of rota-server during a burst of clock-ins from this process:
 * after a restart, every clock-in the server acknowledged is there exactly
 * once, and the one that was in flight can be retried safely with its
 * Idempotency-Key (issue 3, reliability.md D1 and S1).
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "server-harness.h"

#define ROUNDS 12

typedef struct
{
  char        *dir;
  char        *data_dir;
  GSubprocess *server;
  char        *base;
  SoupSession *session;
  char        *kiosk;
  char        *hours;
  char        *employee_id;
} Fixture;

static void
start_server (Fixture *fixture)
{
  g_free (fixture->base);
  fixture->server = harness_start_server (fixture->data_dir, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &fixture->base,
                                          "--plain-http", "--rate-limit", "0", NULL);
}

/* Returns the HTTP status, or 0 when the connection broke. */
static guint
clock_in (Fixture    *fixture,
          const char *punch_id,
          const char *key,
          guint       seq)
{
  g_autofree char *uri = g_strconcat (fixture->base, "burst/api/clock/v3/clock-in", NULL);
  g_autofree char *auth = g_strconcat ("Token ", fixture->kiosk, NULL);
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  body = g_strdup_printf ("{\"id\": \"%s\", \"employeeId\": \"%s\", \"kind\": \"in\", "
                          "\"dateTime\": \"2026-11-27T07:00:00Z\", \"source\": \"kiosk:burst\", "
                          "\"deviceSeq\": %u}", punch_id, fixture->employee_id, seq);
  bytes = g_bytes_new (body, strlen (body));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  if (response == NULL)
    return 0;

  return soup_message_get_status (msg);
}

#define IN_FLIGHT 8

typedef struct
{
  guint  done;
  guint  status[IN_FLIGHT];
} Flights;

typedef struct
{
  Flights *flights;
  guint    index;
} Flight;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Flight *flight = user_data;
  g_autoptr(GBytes) response = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  flight->flights->status[flight->index] = response != NULL ? soup_message_get_status (msg) : 0;
  flight->flights->done++;
  g_free (flight);
}

/* Sends IN_FLIGHT clock-ins at once, so that the server groups them in
 * one commit, and kills the server @spins microseconds later, whatever
 * stage they reached. Fills @status with what each got: 201 is
 * acknowledged, anything else (0: the connection broke) is not. */
static void
clock_in_burst_and_kill (Fixture      *fixture,
                         char        **punch_ids,
                         char        **keys,
                         guint         first_seq,
                         guint         spins,
                         guint        *status)
{
  Flights flights = { 0 };

  for (guint i = 0; i < IN_FLIGHT; i++)
    {
      g_autofree char *uri = g_strconcat (fixture->base, "burst/api/clock/v3/clock-in", NULL);
      g_autofree char *auth = g_strconcat ("Token ", fixture->kiosk, NULL);
      g_autofree char *body = NULL;
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autoptr(GBytes) bytes = NULL;
      Flight *flight = g_new0 (Flight, 1);

      body = g_strdup_printf ("{\"id\": \"%s\", \"employeeId\": \"%s\", \"kind\": \"in\", "
                              "\"dateTime\": \"2026-11-27T07:00:00Z\", \"source\": \"kiosk:burst\", "
                              "\"deviceSeq\": %u}", punch_ids[i], fixture->employee_id, first_seq + i);
      bytes = g_bytes_new (body, strlen (body));
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", keys[i]);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

      flight->flights = &flights;
      flight->index = i;
      soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, flight);
    }

  /* Let the burst run for @spins microseconds of wall time. */
  {
    gint64 until = g_get_monotonic_time () + spins;

    while (g_get_monotonic_time () < until && flights.done < IN_FLIGHT)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (100);
  }

  g_subprocess_send_signal (fixture->server, SIGKILL);

  while (flights.done < IN_FLIGHT)
    g_main_context_iteration (NULL, TRUE);

  memcpy (status, flights.status, sizeof flights.status);
}

static GHashTable *
stored_punches (Fixture *fixture)
{
  g_autofree char *uri = g_strconcat (fixture->base, "burst/api/sync/v3/changes?limit=10000", NULL);
  g_autofree char *auth = g_strconcat ("Token ", fixture->hours, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *changes;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                             g_bytes_get_size (response), &error));

  changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *id = json_object_get_string_member (change, "id");

      if (!g_str_equal (json_object_get_string_member (change, "entity"), "punch") ||
          !g_str_has_prefix (id, "burst-"))
        continue;
      g_hash_table_insert (counts, g_strdup (id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, id)) + 1));
    }

  return counts;
}

static void
test_durability_kill (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GHashTable) tokens = NULL;
  guint32 seed = g_test_rand_int ();
  guint seq = 0;
  guint retried = 0;
  guint acknowledged_in_burst = 0;

  rand = g_rand_new_with_seed (seed);
  g_test_message ("seed %u", seed);

  fixture.dir = g_dir_make_tmp ("rota-durability-XXXXXX", &error);
  g_assert_no_error (error);
  fixture.data_dir = g_build_filename (fixture.dir, "data", NULL);
  fixture.session = soup_session_new_with_options ("timeout", 10, NULL);

  tokens = harness_demo_tokens (fixture.data_dir, "burst", "10", "1");
  fixture.kiosk = g_strdup (g_hash_table_lookup (tokens, "clock"));
  fixture.hours = g_strdup (g_hash_table_lookup (tokens, "hours:read"));
  g_assert_nonnull (fixture.kiosk);
  g_assert_nonnull (fixture.hours);

  start_server (&fixture);
  {
    g_autofree char *uri = g_strconcat (fixture.base, "burst/api/sync/v3/changes?limit=10000", NULL);
    g_autofree char *auth = g_strconcat ("Token ", fixture.kiosk, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *changes;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    response = soup_session_send_and_read (fixture.session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                               g_bytes_get_size (response), &error));
    changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes");
    for (guint i = 0; i < json_array_get_length (changes) && fixture.employee_id == NULL; i++)
      {
        JsonObject *change = json_array_get_object_element (changes, i);

        if (g_str_equal (json_object_get_string_member (change, "entity"), "employee"))
          fixture.employee_id = g_strdup (json_object_get_string_member (change, "id"));
      }
  }
  g_assert_nonnull (fixture.employee_id);

  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 kill_at = g_get_monotonic_time () + g_rand_int_range (rand, 50, 400) * 1000;

      /* Clock in, one after another, until the kill lands: whatever was
       * answered 201 is acknowledged. */
      while (g_get_monotonic_time () < kill_at)
        {
          g_autofree char *id = g_strdup_printf ("burst-%u", ++seq);
          g_autofree char *key = g_uuid_string_random ();
          guint status = clock_in (&fixture, id, key, seq);

          g_assert_cmpuint (status, ==, 201);
          g_ptr_array_add (acknowledged, g_steal_pointer (&id));
        }

      /* A burst in flight as the server dies: some may be answered,
       * some not; retried with their keys, each is there exactly once. */
      {
        char *ids[IN_FLIGHT + 1] = { NULL };
        char *keys[IN_FLIGHT + 1] = { NULL };
        guint status[IN_FLIGHT];
        guint first_seq = seq + 1;

        for (guint i = 0; i < IN_FLIGHT; i++)
          {
            ids[i] = g_strdup_printf ("burst-%u", ++seq);
            keys[i] = g_uuid_string_random ();
          }

        clock_in_burst_and_kill (&fixture, ids, keys, first_seq, g_rand_int_range (rand, 0, 12000), status);
        g_subprocess_wait (fixture.server, NULL, NULL);
        g_clear_object (&fixture.server);
        start_server (&fixture);

        for (guint i = 0; i < IN_FLIGHT; i++)
          {
            if (status[i] == 201)
              acknowledged_in_burst++;
            else
              {
                g_assert_cmpuint (status[i], ==, 0);
                g_assert_cmpuint (clock_in (&fixture, ids[i], keys[i], first_seq + i), ==, 201);
                retried++;
              }
            g_ptr_array_add (acknowledged, g_strdup (ids[i]));
          }

        for (guint i = 0; i < IN_FLIGHT; i++)
          {
            g_free (ids[i]);
            g_free (keys[i]);
          }
      }
    }

  stored = stored_punches (&fixture);
  g_test_message ("%u clock-ins acknowledged over %d kills; of the bursts in flight, %u were answered "
                  "and %u retried after the kill; %u stored",
                  acknowledged->len, ROUNDS, acknowledged_in_burst, retried, g_hash_table_size (stored));
  g_assert_cmpuint (retried, >, 0);
  g_assert_cmpuint (acknowledged->len, >, ROUNDS);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (stored, g_ptr_array_index (acknowledged, i))), ==, 1);
  g_assert_cmpuint (g_hash_table_size (stored), ==, acknowledged->len);

  g_subprocess_force_exit (fixture.server);
  g_subprocess_wait (fixture.server, NULL, NULL);
  g_clear_object (&fixture.server);
  g_clear_object (&fixture.session);
  harness_remove_tree (fixture.dir);
  g_free (fixture.dir);
  g_free (fixture.data_dir);
  g_free (fixture.base);
  g_free (fixture.kiosk);
  g_free (fixture.hours);
  g_free (fixture.employee_id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/durability/kill-during-clock-ins", test_durability_kill);

  return g_test_run ();
}
