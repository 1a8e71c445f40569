/* test-serve.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The real rota-server binary on a loopback port, with a CA and server
 * certificate made by openssl for this run, and a libsoup client that
 * trusts only that CA.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "server-harness.h"

#include "rota-codec.h"
#include "rota-models.h"
#include "rota-punch-analysis.h"
#include "rota-time.h"

typedef struct
{
  char        *dir;
  char        *data_dir;
  char        *ca;
  char        *cert;
  char        *key;
  char        *alpha_token;
  char        *beta_token;
  GSubprocess *server;
  char        *base;
  SoupSession *session;
} Fixture;

static char *
add_token (Fixture    *fixture,
           const char *tenant,
           const char *name,
           const char *scopes)
{
  g_autofree char *out = harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir,
                              "token", "add", tenant, name, "--scopes", scopes, NULL);

  return g_strstrip (g_strdup (out));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  fixture->dir = g_dir_make_tmp ("rota-serve-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->dir, "data", NULL);
  harness_make_certificates (fixture->dir, &fixture->ca, &fixture->cert, &fixture->key);

  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "init", NULL));
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "tenant", "add", "alpha", NULL));
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "tenant", "add", "beta", NULL));
  fixture->alpha_token = add_token (fixture, "alpha", "Kiosk Hinterzimmer", "clock");
  fixture->beta_token = add_token (fixture, "beta", "Planner", "planning:read planning:write");

  fixture->server = harness_start_server (fixture->data_dir, G_SUBPROCESS_FLAGS_STDERR_PIPE, &fixture->base,
                                          "--tls-cert", fixture->cert, "--tls-key", fixture->key, NULL);

  database = g_tls_file_database_new (fixture->ca, &error);
  g_assert_no_error (error);
  fixture->session = soup_session_new_with_options ("tls-database", database, "timeout", 10, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->server != NULL)
    {
      g_subprocess_force_exit (fixture->server);
      g_subprocess_wait (fixture->server, NULL, NULL);
    }
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->session);
  harness_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->data_dir);
  g_free (fixture->ca);
  g_free (fixture->cert);
  g_free (fixture->key);
  g_free (fixture->alpha_token);
  g_free (fixture->beta_token);
  g_free (fixture->base);
}

static guint
request (Fixture     *fixture,
         const char  *method,
         const char  *path,
         const char  *token,
         GBytes      *body,
         JsonNode   **reply)
{
  g_autofree char *uri = g_strconcat (fixture->base, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Token ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);

  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);

  data = g_bytes_get_data (response, &length);
  g_test_message ("%s %s → %u %.*s", method, path, soup_message_get_status (msg), (int) MIN (length, 200), data);

  if (reply != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, data, length, &error));
      g_assert_no_error (error);
      *reply = json_node_ref (json_parser_get_root (parser));
    }

  return soup_message_get_status (msg);
}

static void
test_serve_whoami (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *object;
  JsonArray *scopes;

  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", fixture->alpha_token, NULL, &reply), ==, 200);
  object = json_node_get_object (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "tenant"), ==, "alpha");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Kiosk Hinterzimmer");
  scopes = json_object_get_array_member (object, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (scopes, 0), ==, "clock");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (request (fixture, "GET", "/beta/api/v3/capabilities", fixture->beta_token, NULL, &reply), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "apiVersion"), ==, 3);
  {
    JsonArray *features = json_object_get_array_member (json_node_get_object (reply), "features");
    gboolean has_changes = FALSE;

    for (guint i = 0; i < json_array_get_length (features); i++)
      has_changes |= g_str_equal (json_array_get_string_element (features, i), "changes");
    g_assert_true (has_changes);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (reply), "limits"),
                                                 "maxBodyBytes"), ==, 1024 * 1024);
  }
}

static void
test_serve_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_auto(GStrv) routes = NULL;
  g_autofree char *out = NULL;
  const char *forged = "rota_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  /* No token, a forged one, a malformed one: 401 with an error body. */
  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", NULL, NULL, &reply), ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (reply), "error"), "code"),
                   ==, "unauthorized");
  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", forged, NULL, NULL), ==, 401);
  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", "not a token", NULL, NULL), ==, 401);

  /* A token of tenant beta sees tenant alpha as not there at all, on
   * every route, exactly like a tenant that does not exist. */
  out = harness_run (0, NULL, harness_server_binary (), "routes", NULL);
  routes = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (routes), >=, 2);
  for (guint i = 0; routes[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (routes[i], " ", 2);
      g_autofree char *alpha = NULL;
      g_autofree char *nowhere = NULL;
      g_autoptr(GRegex) tenant = g_regex_new ("\\{tenant\\}", 0, 0, NULL);

      alpha = g_regex_replace_literal (tenant, parts[1], -1, 0, "alpha", 0, NULL);
      nowhere = g_regex_replace_literal (tenant, parts[1], -1, 0, "nowhere", 0, NULL);
      g_assert_cmpuint (request (fixture, parts[0], alpha, fixture->beta_token, NULL, NULL), ==, 404);
      g_assert_cmpuint (request (fixture, parts[0], nowhere, fixture->beta_token, NULL, NULL), ==, 404);
    }

  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/nothing", fixture->alpha_token, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (fixture, "POST", "/alpha/api/v3/whoami", fixture->alpha_token, NULL, NULL), ==, 405);
}

static void
test_serve_revoke (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *list = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", fixture->alpha_token, NULL, NULL), ==, 200);

  list = harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "token", "list", "alpha", NULL);
  g_assert_null (strstr (list, fixture->alpha_token));
  fields = g_strsplit (list, " ", 2);
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "token", "revoke", fields[0], NULL));

  /* Revoked while the server runs: refused at once. */
  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", fixture->alpha_token, NULL, NULL), ==, 401);
}

static guint
request_retry_after (Fixture    *fixture,
                     const char *path,
                     const char *token,
                     guint      *retry_after)
{
  g_autofree char *uri = g_strconcat (fixture->base, path + 1, NULL);
  g_autofree char *header = g_strconcat ("Token ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *value;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);

  value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  *retry_after = value ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;

  return soup_message_get_status (msg);
}

static void
test_serve_rate_limit (Fixture       *fixture,
                       gconstpointer  data)
{
  guint ok = 0;
  guint limited = 0;
  guint retry_after = 0;
  guint wait = 0;

  /* A server of its own with a low limit: 2 a second, bursts of 6. */
  g_subprocess_force_exit (fixture->server);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_object (&fixture->server);
  g_free (fixture->base);
  fixture->server = harness_start_server (fixture->data_dir, G_SUBPROCESS_FLAGS_STDERR_PIPE, &fixture->base,
                                          "--tls-cert", fixture->cert, "--tls-key", fixture->key,
                                          "--rate-limit", "2", NULL);

  for (guint i = 0; i < 20; i++)
    {
      guint status = request_retry_after (fixture, "/alpha/api/v3/whoami", fixture->alpha_token, &retry_after);

      if (status == 200)
        ok++;
      else if (status == 429)
        {
          limited++;
          g_assert_cmpuint (retry_after, >=, 1);
          wait = MAX (wait, retry_after);
        }
      else
        g_assert_not_reached ();
    }
  g_test_message ("%u allowed, %u limited, Retry-After %u s", ok, limited, wait);
  g_assert_cmpuint (ok, >=, 6);
  g_assert_cmpuint (limited, >=, 10);

  /* Another token has a bucket of its own. */
  g_assert_cmpuint (request (fixture, "GET", "/beta/api/v3/whoami", fixture->beta_token, NULL, NULL), ==, 200);

  /* After waiting as told, requests go through again. */
  g_usleep (wait * G_USEC_PER_SEC);
  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", fixture->alpha_token, NULL, NULL), ==, 200);
}

static guint
send_raw (Fixture     *fixture,
          const char  *method,
          const char  *path,
          const char  *token,
          const char  *content_type,
          const char  *body,
          const char  *header,
          const char  *value,
          JsonNode   **reply,
          char       **etag)
{
  g_autofree char *uri = g_strconcat (fixture->base, path + 1, NULL);
  g_autofree char *auth = g_strconcat ("Token ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), header, value);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (response, &length);
  g_test_message ("%s %s [%s: %s] → %u %.*s", method, path, header ? header : "-", value ? value : "-",
                  soup_message_get_status (msg), (int) MIN (length, 300), data ? data : "");

  if (reply != NULL && length > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, data, length, &error));
      *reply = json_node_ref (json_parser_get_root (parser));
    }
  if (etag != NULL)
    *etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"));

  return soup_message_get_status (msg);
}

static GHashTable *
make_demo_tenant (Fixture    *fixture,
                  const char *slug)
{
  return harness_demo_tokens (fixture->data_dir, slug, "10", "2");
}

static JsonObject *
find_change (JsonNode   *feed,
             const char *kind,
             const char *id)
{
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "entity"), kind) &&
          (id == NULL || g_str_equal (json_object_get_string_member (change, "id"), id)))
        return change;
    }

  return NULL;
}

static void
test_serve_shifts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) tokens = make_demo_tenant (fixture, "gamma");
  const char *planner = g_hash_table_lookup (tokens, "planning:write");
  const char *kiosk = g_hash_table_lookup (tokens, "clock");
  const char *hours = g_hash_table_lookup (tokens, "hours:read");
  const char *path = "/gamma/api/planning/v3/shifts/7b0e8d4e-7c59-4d2a-9b1c-2f3e4a5b6c7d";
  g_autoptr(JsonNode) feed = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *shift = NULL;
  g_autofree char *since = NULL;
  JsonObject *department;
  JsonObject *employee;
  gint64 revision;

  /* The demo tenant's whole state comes through the feed. */
  g_assert_cmpuint (send_raw (fixture, "GET", "/gamma/api/sync/v3/changes?since=0&limit=10000", planner,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  department = json_object_get_object_member (find_change (feed, "department", NULL), "data");
  employee = json_object_get_object_member (find_change (feed, "employee", NULL), "data");
  g_assert_nonnull (department);
  g_assert_nonnull (employee);
  g_assert_null (find_change (feed, "punch", NULL));
  revision = json_object_get_int_member (json_node_get_object (feed), "revision");
  g_assert_cmpint (revision, >, 0);

  shift = g_strdup_printf ("{\"id\": \"7b0e8d4e-7c59-4d2a-9b1c-2f3e4a5b6c7d\", \"departmentId\": \"%s\", "
                           "\"employeeId\": \"%s\", \"startDateTime\": \"2026-12-07T07:00:00Z\", "
                           "\"endDateTime\": \"2026-12-07T15:30:00Z\", \"breakMinutes\": 30}",
                           json_object_get_string_member (department, "id"),
                           json_object_get_string_member (employee, "employeeId"));

  /* Create, then the same create again. */
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", shift,
                              "If-None-Match", "*", &reply, &etag), ==, 201);
  g_assert_cmpstr (etag, ==, "\"1\"");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "version"), ==, 1);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", shift,
                              "If-None-Match", "*", &reply, NULL), ==, 412);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "version"), ==, 1);
  g_clear_pointer (&reply, json_node_unref);

  /* Update on version 1, then a stale update on version 1 again. */
  {
    g_autofree char *later = NULL;
    g_autoptr(GRegex) start = g_regex_new ("07:00:00Z", 0, 0, NULL);

    later = g_regex_replace_literal (start, shift, -1, 0, "08:00:00Z", 0, NULL);
    g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", later,
                                "If-Match", "\"1\"", &reply, NULL), ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "version"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply), "startDateTime"), ==,
                     "2026-12-07T08:00:00Z");
    g_clear_pointer (&reply, json_node_unref);
    g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", shift,
                                "If-Match", "\"1\"", &reply, NULL), ==, 412);
    /* The current shift comes back, so the client can show both. */
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "version"), ==, 2);
    g_clear_pointer (&reply, json_node_unref);
  }

  /* Bad requests change nothing. */
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", shift, NULL, NULL, NULL, NULL), ==, 428);
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "text/plain", shift, "If-Match", "\"2\"", NULL, NULL), ==, 415);
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", "{\"id\": ", "If-Match", "\"2\"", NULL, NULL), ==, 400);
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json",
                              "{\"id\": \"7b0e8d4e-7c59-4d2a-9b1c-2f3e4a5b6c7d\", \"departmentId\": \"nope\", "
                              "\"startDateTime\": \"2026-12-07T07:00:00Z\", \"endDateTime\": \"2026-12-07T15:30:00Z\"}",
                              "If-Match", "\"2\"", &reply, NULL), ==, 422);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (reply), "error"), "field"),
                   ==, "departmentId");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json",
                              "{\"id\": \"7b0e8d4e-7c59-4d2a-9b1c-2f3e4a5b6c7d\", \"departmentId\": \"x\", "
                              "\"startDateTime\": \"2026-12-07T15:00:00Z\", \"endDateTime\": \"2026-12-07T07:00:00Z\"}",
                              "If-Match", "\"2\"", &reply, NULL), ==, 422);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (reply), "error"), "field"),
                   ==, "endDateTime");
  g_clear_pointer (&reply, json_node_unref);

  /* Scopes: a kiosk may not plan. */
  g_assert_cmpuint (send_raw (fixture, "PUT", path, kiosk, "application/json", shift, "If-Match", "\"2\"", NULL, NULL), ==, 403);

  /* The feed after the first pull carries the shift once, at version 2. */
  since = g_strdup_printf ("/gamma/api/sync/v3/changes?since=%" G_GINT64_FORMAT, revision);
  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", since, planner, NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (feed), "changes")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (find_change (feed, "shift", NULL), "version"), ==, 2);

  /* Delete, and again: a retry is safe. Stale and missing If-Match fail. */
  g_assert_cmpuint (send_raw (fixture, "DELETE", path, planner, NULL, NULL, NULL, NULL, NULL, NULL), ==, 428);
  g_assert_cmpuint (send_raw (fixture, "DELETE", path, planner, NULL, NULL, "If-Match", "\"1\"", NULL, NULL), ==, 412);
  g_assert_cmpuint (send_raw (fixture, "DELETE", path, planner, NULL, NULL, "If-Match", "\"2\"", NULL, NULL), ==, 204);
  g_assert_cmpuint (send_raw (fixture, "DELETE", path, planner, NULL, NULL, "If-Match", "\"2\"", NULL, NULL), ==, 204);
  g_assert_cmpuint (send_raw (fixture, "DELETE", "/gamma/api/planning/v3/shifts/never-there", planner, NULL, NULL,
                              "If-Match", "\"1\"", NULL, NULL), ==, 404);
  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", since, planner, NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_true (json_object_get_boolean_member (find_change (feed, "shift", NULL), "deleted"));
  g_assert_true (json_object_get_null_member (find_change (feed, "shift", NULL), "data"));

  /* What a kiosk sees: no shifts, and employees cut down to what it needs. */
  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", "/gamma/api/sync/v3/changes?since=0&limit=10000", kiosk,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_null (find_change (feed, "shift", NULL));
  employee = json_object_get_object_member (find_change (feed, "employee", NULL), "data");
  g_assert_true (json_object_has_member (employee, "cardNumbers"));
  g_assert_false (json_object_has_member (employee, "email"));
  g_assert_false (json_object_has_member (employee, "hourlyWageCents"));

  /* HR sees punches, and no PIN hashes. */
  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", "/gamma/api/sync/v3/changes?since=0&limit=10000", hours,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_nonnull (find_change (feed, "punch", NULL));
  employee = json_object_get_object_member (find_change (feed, "employee", NULL), "data");
  g_assert_false (json_object_has_member (employee, "kioskPinHash"));

  /* Paging through the feed, and since beyond the revision. */
  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", "/gamma/api/sync/v3/changes?since=0&limit=5", planner,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (feed), "hasMore"));
  g_assert_cmpuint (send_raw (fixture, "GET", "/gamma/api/sync/v3/changes?since=999999999", planner,
                              NULL, NULL, NULL, NULL, NULL, NULL), ==, 409);
  g_assert_cmpuint (send_raw (fixture, "GET", "/gamma/api/sync/v3/changes?limit=0", planner,
                              NULL, NULL, NULL, NULL, NULL, NULL), ==, 400);

  /* And another tenant's token sees none of it. */
  g_assert_cmpuint (send_raw (fixture, "GET", "/gamma/api/sync/v3/changes", fixture->beta_token,
                              NULL, NULL, NULL, NULL, NULL, NULL), ==, 404);
}

/* @method with an Idempotency-Key (unless NULL) and an If-Match (unless
 * NULL); *reply gets the answer's body. */
static guint
send_keyed (Fixture     *fixture,
            const char  *method,
            const char  *path,
            const char  *token,
            const char  *key,
            const char  *if_match,
            const char  *body,
            char       **reply)
{
  g_autofree char *uri = g_strconcat (fixture->base, path + 1, NULL);
  g_autofree char *auth = g_strconcat ("Token ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s %s [%s] → %u %.*s", method, path, key ? key : "-", soup_message_get_status (msg),
                  (int) g_bytes_get_size (response), (const char *) g_bytes_get_data (response, NULL));
  if (reply != NULL)
    *reply = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));

  return soup_message_get_status (msg);
}

static guint
post (Fixture     *fixture,
      const char  *path,
      const char  *token,
      const char  *key,
      const char  *body,
      char       **reply)
{
  return send_keyed (fixture, "POST", path, token, key, NULL, body, reply);
}

/* A PUT with an Idempotency-Key, committed but its answer lost, sent
 * again: the first answer again, not a 412 against its own write. */
static void
test_serve_put_replay (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) tokens = make_demo_tenant (fixture, "theta");
  const char *planner = g_hash_table_lookup (tokens, "planning:write");
  const char *path = "/theta/api/planning/v3/shifts/5d1c7e2a-0b9f-4c3e-8a6d-1e2f3a4b5c6d";
  const char *key = "0c7b3f6e-5a4d-4e2b-9c1a-8f7e6d5c4b3a";
  g_autoptr(JsonNode) feed = NULL;
  g_autofree char *shift = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GRegex) start = g_regex_new ("07:00:00Z", 0, 0, NULL);
  JsonObject *department;
  JsonObject *employee;

  g_assert_cmpuint (send_raw (fixture, "GET", "/theta/api/sync/v3/changes?since=0&limit=10000", planner,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  department = json_object_get_object_member (find_change (feed, "department", NULL), "data");
  employee = json_object_get_object_member (find_change (feed, "employee", NULL), "data");
  shift = g_strdup_printf ("{\"id\": \"5d1c7e2a-0b9f-4c3e-8a6d-1e2f3a4b5c6d\", \"departmentId\": \"%s\", "
                           "\"employeeId\": \"%s\", \"startDateTime\": \"2026-12-08T07:00:00Z\", "
                           "\"endDateTime\": \"2026-12-08T15:00:00Z\"}",
                           json_object_get_string_member (department, "id"),
                           json_object_get_string_member (employee, "employeeId"));
  moved = g_regex_replace_literal (start, shift, -1, 0, "09:00:00Z", 0, NULL);

  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", shift,
                              "If-None-Match", "*", NULL, NULL), ==, 201);

  /* The update, then the same update with the same key: 200 both times,
   * the same body, one new version. */
  g_assert_cmpuint (send_keyed (fixture, "PUT", path, planner, key, "\"1\"", moved, &first), ==, 200);
  g_assert_cmpuint (send_keyed (fixture, "PUT", path, planner, key, "\"1\"", moved, &again), ==, 200);
  g_assert_cmpstr (first, ==, again);
  g_assert_nonnull (strstr (first, "\"version\":2"));

  /* Without the key, the retry meets its own write. */
  g_assert_cmpuint (send_keyed (fixture, "PUT", path, planner, NULL, "\"1\"", moved, NULL), ==, 412);

  /* The key for another body, or not a UUID: refused, nothing written. */
  g_assert_cmpuint (send_keyed (fixture, "PUT", path, planner, key, "\"2\"", shift, &other), ==, 422);
  g_assert_nonnull (strstr (other, "idempotency_key_reused"));
  g_assert_cmpuint (send_keyed (fixture, "PUT", path, planner, "not-a-uuid", "\"2\"", shift, NULL), ==, 400);

  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", "/theta/api/sync/v3/changes?since=0&limit=10000", planner,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_cmpint (json_object_get_int_member (find_change (feed, "shift", "5d1c7e2a-0b9f-4c3e-8a6d-1e2f3a4b5c6d"),
                                               "version"), ==, 2);
}

/* The version of an employee's day as a client computes it: from the
 * change feed, through the same analysis as the Punches page. */
static gint64
day_version (Fixture    *fixture,
             const char *token,
             const char *employee_id,
             const char *work_date)
{
  g_autoptr(JsonNode) feed = NULL;
  g_autoptr(RotaPunchInput) input = rota_punch_input_new (work_date, work_date, rota_time_now ());
  g_autoptr(RotaPunchReport) report = NULL;
  const RotaPunchDay *day;
  JsonArray *changes;

  g_assert_cmpuint (send_raw (fixture, "GET", "/delta/api/sync/v3/changes?limit=10000", token,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  changes = json_object_get_array_member (json_node_get_object (feed), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      GType type = rota_entity_type_from_kind (json_object_get_string_member (change, "entity"));
      JsonNode *data = json_object_get_member (change, "data");
      g_autoptr(GError) error = NULL;
      RotaEntity *entity;

      if (data == NULL || JSON_NODE_HOLDS_NULL (data) || type == G_TYPE_INVALID)
        continue;
      entity = rota_codec_decode (type, data, &error);
      g_assert_no_error (error);
      if (ROTA_IS_OFFICE (entity))
        g_ptr_array_add (input->offices, entity);
      else if (ROTA_IS_DEPARTMENT (entity))
        g_ptr_array_add (input->departments, entity);
      else if (ROTA_IS_EMPLOYEE (entity) && g_str_equal (rota_entity_get_id (entity), employee_id))
        g_ptr_array_add (input->employees, entity);
      else if (ROTA_IS_SHIFT (entity))
        g_ptr_array_add (input->shifts, entity);
      else if (ROTA_IS_PUNCH (entity))
        g_ptr_array_add (input->punches, entity);
      else if (ROTA_IS_PUNCH_CORRECTION (entity))
        g_ptr_array_add (input->corrections, entity);
      else
        g_object_unref (entity);
    }

  report = rota_punch_analyze (input);
  day = rota_punch_report_find_day (report, employee_id, work_date);
  g_assert_nonnull (day);

  return day->version;
}

static void
test_serve_facts (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) tokens = make_demo_tenant (fixture, "delta");
  const char *kiosk = g_hash_table_lookup (tokens, "clock");
  const char *hr = g_hash_table_lookup (tokens, "hours:write");
  const char *hr_read = g_hash_table_lookup (tokens, "hours:read");
  g_autoptr(JsonNode) feed = NULL;
  g_autofree char *employee_id = NULL;
  g_autofree char *punch = NULL;
  g_autofree char *other = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *out = NULL;
  g_autofree char *correction = NULL;
  g_autofree char *approval = NULL;
  g_autofree char *bad = NULL;
  const char *key = "9b2d4c1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";

  g_assert_cmpuint (send_raw (fixture, "GET", "/delta/api/sync/v3/changes?limit=10000", kiosk,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  employee_id = g_strdup (json_object_get_string_member (json_object_get_object_member (find_change (feed, "employee", NULL),
                                                                                         "data"), "employeeId"));

  punch = g_strdup_printf ("{\"id\": \"p-kiosk-1\", \"employeeId\": \"%s\", \"kind\": \"in\", "
                           "\"dateTime\": \"2026-11-27T06:58:00Z\", \"source\": \"kiosk:backoffice\", "
                           "\"deviceSeq\": 1}", employee_id);
  other = g_strdup_printf ("{\"id\": \"p-kiosk-1\", \"employeeId\": \"%s\", \"kind\": \"in\", "
                           "\"dateTime\": \"2026-11-27T07:30:00Z\", \"source\": \"kiosk:backoffice\", "
                           "\"deviceSeq\": 1}", employee_id);

  /* A clock-in, and its retry with the same key: the first answer again. */
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, key, punch, &first), ==, 201);
  g_assert_nonnull (strstr (first, "\"receivedAt\":\"20"));
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, key, punch, &again), ==, 201);
  g_assert_cmpstr (first, ==, again);

  /* The same key for something else; the same punch under a new key;
   * another punch under the same id. */
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, key, other, NULL), ==, 422);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, "3c6e0b8a-1d2f-4e5a-9b7c-6d5e4f3a2b1c",
                          punch, NULL), ==, 200);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, "4d7f1c9b-2e3a-4f6b-8c8d-7e6f5a4b3c2d",
                          other, NULL), ==, 409);

  /* No key, a key that is no UUID, a clock-out through clock-in. */
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, NULL, punch, NULL), ==, 400);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, "retry-1", punch, NULL), ==, 400);
  out = g_strdup_printf ("{\"id\": \"p-kiosk-2\", \"employeeId\": \"%s\", \"kind\": \"out\", "
                         "\"dateTime\": \"2026-11-27T15:02:00Z\", \"source\": \"kiosk:backoffice\", "
                         "\"deviceSeq\": 2}", employee_id);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk, "5e8a2d0c-3f4b-4a7c-9d9e-8f7a6b5c4d3e",
                          out, NULL), ==, 422);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-out", kiosk, "5e8a2d0c-3f4b-4a7c-9d9e-8f7a6b5c4d3e",
                          out, NULL), ==, 201);

  /* HR corrects the clock-in and approves the day. */
  correction = g_strdup_printf ("{\"id\": \"c-1\", \"punchId\": \"p-kiosk-1\", \"employeeId\": \"%s\", "
                                "\"action\": \"move\", \"newDateTime\": \"2026-11-27T07:00:00Z\", "
                                "\"reasonCode\": \"wrong-time\", \"reasonText\": \"Terminal ging vor\", "
                                "\"author\": \"hr@example.org\", \"createdAt\": \"2026-11-28T08:00:00Z\"}",
                                employee_id);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/punch-corrections", kiosk,
                          "6f9b3e1d-4a5c-4b8d-8e0f-9a8b7c6d5e4f", correction, NULL), ==, 403);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/punch-corrections", hr_read,
                          "6f9b3e1d-4a5c-4b8d-8e0f-9a8b7c6d5e4f", correction, NULL), ==, 403);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/punch-corrections", hr,
                          "6f9b3e1d-4a5c-4b8d-8e0f-9a8b7c6d5e4f", correction, NULL), ==, 201);
  bad = g_strdup_printf ("{\"id\": \"c-2\", \"punchId\": \"p-nowhere\", \"employeeId\": \"%s\", "
                         "\"action\": \"void\", \"reasonCode\": \"double\", \"author\": \"hr\", "
                         "\"createdAt\": \"2026-11-28T08:00:00Z\"}", employee_id);
  g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/punch-corrections", hr,
                          "7a0c4f2e-5b6d-4c9e-9f1a-0b9c8d7e6f5a", bad, NULL), ==, 422);

  /* An approval of the day as it was before the correction: the day
   * changed since, 409; of the day as it is: accepted. */
  {
    g_autofree char *stale = g_strdup_printf ("{\"id\": \"a-0\", \"employeeId\": \"%s\", \"workDate\": \"2026-11-27\", "
                                              "\"state\": \"approved\", \"author\": \"hr@example.org\", "
                                              "\"createdAt\": \"2026-11-28T08:04:00Z\", \"forVersion\": 1}",
                                              employee_id);
    g_autofree char *reply = NULL;

    g_assert_cmpuint (post (fixture, "/delta/api/business/v3/approvals", hr,
                            "8b1d5a3f-6c7e-4d0f-8a2b-1c0d9e8f7a60", stale, &reply), ==, 409);
    g_assert_nonnull (strstr (reply, "\"day_changed\""));
    g_assert_nonnull (strstr (reply, "\"forVersion\""));
    g_assert_nonnull (strstr (reply, "the day changed since it was reviewed; review it again"));
  }
  approval = g_strdup_printf ("{\"id\": \"a-1\", \"employeeId\": \"%s\", \"workDate\": \"2026-11-27\", "
                              "\"state\": \"approved\", \"author\": \"hr@example.org\", "
                              "\"createdAt\": \"2026-11-28T08:05:00Z\", \"forVersion\": %" G_GINT64_FORMAT "}",
                              employee_id, day_version (fixture, hr_read, employee_id, "2026-11-27"));
  g_assert_cmpuint (post (fixture, "/delta/api/business/v3/approvals", hr,
                          "8b1d5a3f-6c7e-4d0f-8a2b-1c0d9e8f7a6b", approval, NULL), ==, 201);

  /* A clock-in a month off (the kiosk's clock was wrong) moved to the
   * day it belongs to: the server reads the punch by id to check the
   * day's approval, so the version HR saw is the version it finds. */
  {
    g_autofree char *far_in = g_strdup_printf ("{\"id\": \"p-kiosk-far\", \"employeeId\": \"%s\", \"kind\": \"in\", "
                                               "\"dateTime\": \"2026-10-26T06:55:00Z\", \"source\": \"kiosk:backoffice\", "
                                               "\"deviceSeq\": 4, \"timeUntrusted\": true}", employee_id);
    g_autofree char *far_out = g_strdup_printf ("{\"id\": \"p-kiosk-far-out\", \"employeeId\": \"%s\", \"kind\": \"out\", "
                                                "\"dateTime\": \"2026-11-26T15:05:00Z\", \"source\": \"kiosk:backoffice\", "
                                                "\"deviceSeq\": 5}", employee_id);
    g_autofree char *move = g_strdup_printf ("{\"id\": \"c-far\", \"punchId\": \"p-kiosk-far\", \"employeeId\": \"%s\", "
                                             "\"action\": \"move\", \"newDateTime\": \"2026-11-26T06:55:00Z\", "
                                             "\"reasonCode\": \"wrong_time\", \"reasonText\": \"Terminal einen Monat zurück\", "
                                             "\"author\": \"hr\", \"createdAt\": \"2026-11-28T08:05:30Z\"}", employee_id);
    g_autofree char *far_approval = NULL;
    g_autofree char *reply = NULL;

    g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk,
                            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", far_in, NULL), ==, 201);
    g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-out", kiosk,
                            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e", far_out, NULL), ==, 201);
    g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/punch-corrections", hr,
                            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5f", move, NULL), ==, 201);
    far_approval = g_strdup_printf ("{\"id\": \"a-far\", \"employeeId\": \"%s\", \"workDate\": \"2026-11-26\", "
                                    "\"state\": \"approved\", \"author\": \"hr\", "
                                    "\"createdAt\": \"2026-11-28T08:05:40Z\", \"forVersion\": %" G_GINT64_FORMAT "}",
                                    employee_id, day_version (fixture, hr_read, employee_id, "2026-11-26"));
    if (post (fixture, "/delta/api/business/v3/approvals", hr, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c60",
              far_approval, &reply) != 201)
      g_error ("approving a day with a punch moved in from a month away: %s", reply);
  }

  /* The approval taken back (an undo): accepted whatever version it
   * names, as taking a decision back needs none. */
  {
    g_autofree char *withdrawal = g_strdup_printf ("{\"id\": \"a-1-undo\", \"employeeId\": \"%s\", "
                                                   "\"workDate\": \"2026-11-27\", \"state\": \"withdrawn\", "
                                                   "\"author\": \"hr\", \"createdAt\": \"2026-11-28T08:05:50Z\", "
                                                   "\"forVersion\": 1}", employee_id);
    g_autofree char *reply = NULL;

    if (post (fixture, "/delta/api/business/v3/approvals", hr, "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
              withdrawal, &reply) != 201)
      g_error ("withdrawing an approval: %s", reply);
    g_assert_nonnull (strstr (reply, "\"state\":\"withdrawn\""));
  }

  /* A day that has not come yet cannot be approved. */
  {
    g_autofree char *today = rota_time_work_date (rota_time_now (), rota_time_zone_get ("UTC"));
    g_autofree char *tomorrow = rota_date_add_days (today, 2);
    g_autofree char *future = g_strdup_printf ("{\"id\": \"a-future\", \"employeeId\": \"%s\", "
                                               "\"workDate\": \"%s\", \"state\": \"approved\", "
                                               "\"author\": \"hr@example.org\", "
                                               "\"createdAt\": \"2026-11-28T08:05:00Z\"}", employee_id, tomorrow);
    g_autofree char *reply = NULL;

    g_assert_cmpuint (post (fixture, "/delta/api/business/v3/approvals", hr,
                            "8b1d5a3f-6c7e-4d0f-8a2b-1c0d9e8f7a61", future, &reply), ==, 422);
    g_assert_nonnull (strstr (reply, "workDate"));
  }

  /* A punch a correction added can be voided in turn; a day with a
   * clock-in and no clock-out cannot be approved. */
  {
    g_autofree char *add = g_strdup_printf ("{\"id\": \"c-add\", \"employeeId\": \"%s\", \"action\": \"add\", "
                                            "\"newKind\": \"out\", \"newDateTime\": \"2026-11-24T16:00:00Z\", "
                                            "\"reasonCode\": \"forgot_out\", \"author\": \"someone\", "
                                            "\"createdAt\": \"2026-11-28T08:06:00Z\"}", employee_id);
    g_autofree char *undo = g_strdup_printf ("{\"id\": \"c-void-add\", \"punchId\": \"c-add\", \"employeeId\": \"%s\", "
                                             "\"action\": \"void\", \"reasonCode\": \"wrong_time\", \"author\": \"someone\", "
                                             "\"createdAt\": \"2026-11-28T08:07:00Z\"}", employee_id);
    g_autofree char *open_in = g_strdup_printf ("{\"id\": \"p-kiosk-open\", \"employeeId\": \"%s\", \"kind\": \"in\", "
                                                "\"dateTime\": \"2026-11-23T06:58:00Z\", \"source\": \"kiosk:backoffice\", "
                                                "\"deviceSeq\": 3}", employee_id);
    g_autofree char *incomplete = NULL;
    g_autofree char *reply = NULL;

    g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/punch-corrections", hr,
                            "9c2e6b4a-7d8f-4e1a-9b3c-2d1e0f9a8b71", add, NULL), ==, 201);
    if (post (fixture, "/delta/api/clock/v3/punch-corrections", hr,
              "9c2e6b4a-7d8f-4e1a-9b3c-2d1e0f9a8b72", undo, &reply) != 201)
      g_error ("voiding an added punch: %s", reply);
    g_clear_pointer (&reply, g_free);

    g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk,
                            "9c2e6b4a-7d8f-4e1a-9b3c-2d1e0f9a8b73", open_in, NULL), ==, 201);
    incomplete = g_strdup_printf ("{\"id\": \"a-open\", \"employeeId\": \"%s\", \"workDate\": \"2026-11-23\", "
                                  "\"state\": \"approved\", \"author\": \"hr\", "
                                  "\"createdAt\": \"2026-11-28T08:08:00Z\", \"forVersion\": %" G_GINT64_FORMAT "}",
                                  employee_id, day_version (fixture, hr_read, employee_id, "2026-11-23"));
    g_assert_cmpuint (post (fixture, "/delta/api/business/v3/approvals", hr,
                            "9c2e6b4a-7d8f-4e1a-9b3c-2d1e0f9a8b74", incomplete, &reply), ==, 422);
    g_assert_nonnull (strstr (reply, "\"incomplete\""));
  }

  /* The office's punch policy changed by the admin while the server
   * serves the tenant: the feed carries the new version, and the server
   * goes on writing (and chaining its audit) after it. */
  {
    g_autofree char *office_id = NULL;
    g_autofree char *listed = harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir,
                                           "office", "list", "delta", NULL);
    g_autofree char *set = NULL;
    g_autofree char *late = g_strdup_printf ("{\"id\": \"p-kiosk-after-policy\", \"employeeId\": \"%s\", "
                                             "\"kind\": \"in\", \"dateTime\": \"2026-11-28T06:58:00Z\", "
                                             "\"source\": \"kiosk:backoffice\", \"deviceSeq\": 6}", employee_id);
    g_autoptr(JsonNode) office_feed = NULL;
    JsonObject *office;

    office_id = g_strndup (listed, strcspn (listed, "\t"));
    set = harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir,
                       "office", "set", "delta", office_id, "--grace", "7", "--rounding", "15", NULL);
    g_assert_nonnull (strstr (set, "grace 7 min\trounding 15 min inward"));
    g_assert_cmpuint (send_raw (fixture, "GET", "/delta/api/sync/v3/changes?limit=10000", hr,
                                NULL, NULL, NULL, NULL, &office_feed, NULL), ==, 200);
    office = json_object_get_object_member (find_change (office_feed, "office", office_id), "data");
    g_assert_cmpint (json_object_get_int_member (office, "punchGraceMinutes"), ==, 7);
    g_assert_cmpint (json_object_get_int_member (office, "punchRoundingMinutes"), ==, 15);
    g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/clock-in", kiosk,
                            "3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f", late, NULL), ==, 201);
    g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "verify", "delta", NULL));
  }

  /* HR's feed has them all. */
  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", "/delta/api/sync/v3/changes?limit=10000", hr,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_nonnull (find_change (feed, "punch", "p-kiosk-1"));
  g_assert_nonnull (find_change (feed, "punch", "p-kiosk-2"));
  g_assert_nonnull (find_change (feed, "punch_correction", "c-1"));
  g_assert_nonnull (find_change (feed, "approval", "a-1"));
  g_assert_nonnull (find_change (feed, "approval", "a-1-undo"));
  g_assert_nonnull (find_change (feed, "punch_correction", "c-void-add"));
  g_assert_null (find_change (feed, "approval", "a-open"));

  /* The author is the token, not what the client wrote. */
  {
    JsonObject *stored = json_object_get_object_member (find_change (feed, "punch_correction", "c-1"), "data");

    g_assert_cmpstr (json_object_get_string_member (stored, "author"), !=, "hr@example.org");
    g_assert_cmpstr (json_object_get_string_member (stored, "author"), !=, "");
  }

  /* The raw punches of that day, for HR only. */
  {
    g_autofree char *path = g_strdup_printf ("/delta/api/clock/v3/punches?startDate=2026-11-27&endDate=2026-11-27"
                                             "&employeeId=%s", employee_id);
    g_autoptr(JsonNode) page = NULL;
    JsonArray *punches;

    g_assert_cmpuint (send_raw (fixture, "GET", path, kiosk, NULL, NULL, NULL, NULL, NULL, NULL), ==, 403);
    g_assert_cmpuint (send_raw (fixture, "GET", path, hr_read, NULL, NULL, NULL, NULL, &page, NULL), ==, 200);
    punches = json_object_get_array_member (json_node_get_object (page), "punches");
    g_assert_cmpuint (json_array_get_length (punches), >=, 2);
    for (guint i = 0; i < json_array_get_length (punches); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (punches, i), "employeeId"),
                       ==, employee_id);
    g_assert_cmpuint (send_raw (fixture, "GET", "/delta/api/clock/v3/punches?startDate=2026-11-27", hr_read,
                                NULL, NULL, NULL, NULL, NULL, NULL), ==, 400);
  }

  /* Registered hours on a day the demo never reaches (it punches only
   * the weeks around now): one span, its clock-in moved by a correction, its break
   * taken off, its day approved. */
  {
    const char *path = "/delta/api/business/v3/registered-hours?startDate=2001-03-02&endDate=2001-03-02";
    const char *punches[][4] = {
      { "clock-in", "p-rh-1", "in", "2001-03-02T07:52:00Z" },
      { "clock-out", "p-rh-2", "break_start", "2001-03-02T11:30:00Z" },
      { "clock-in", "p-rh-3", "break_end", "2001-03-02T12:00:00Z" },
      { "clock-out", "p-rh-4", "out", "2001-03-02T16:15:00Z" },
    };
    g_autoptr(JsonNode) page = NULL;
    g_autofree char *move = NULL;
    g_autofree char *day = NULL;
    JsonArray *hours;
    JsonObject *span;

    for (guint i = 0; i < G_N_ELEMENTS (punches); i++)
      {
        g_autofree char *route = g_strdup_printf ("/delta/api/clock/v3/%s", punches[i][0]);
        g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"employeeId\": \"%s\", \"kind\": \"%s\", "
                                                 "\"dateTime\": \"%s\", \"source\": \"kiosk:backoffice\", "
                                                 "\"deviceSeq\": %u}",
                                                 punches[i][1], employee_id, punches[i][2], punches[i][3], 10 + i);
        g_autofree char *retry_key = g_strdup_printf ("1a2b3c4d-0000-4000-8000-00000000000%u", i);

        g_assert_cmpuint (post (fixture, route, kiosk, retry_key, body, NULL), ==, 201);
      }

    /* Not approved yet: open. */
    g_assert_cmpuint (send_raw (fixture, "GET", path, kiosk, NULL, NULL, NULL, NULL, NULL, NULL), ==, 403);
    g_assert_cmpuint (send_raw (fixture, "GET", path, hr_read, NULL, NULL, NULL, NULL, &page, NULL), ==, 200);
    hours = json_object_get_array_member (json_node_get_object (page), "registeredHours");
    g_assert_cmpuint (json_array_get_length (hours), ==, 1);
    span = json_array_get_object_element (hours, 0);
    g_assert_cmpstr (json_object_get_string_member (span, "id"), ==, "p-rh-1");
    g_assert_cmpstr (json_object_get_string_member (span, "startDateTime"), ==, "2001-03-02T07:52:00Z");
    g_assert_cmpstr (json_object_get_string_member (span, "status"), ==, "open");

    move = g_strdup_printf ("{\"id\": \"c-rh\", \"punchId\": \"p-rh-1\", \"employeeId\": \"%s\", "
                            "\"action\": \"move\", \"newDateTime\": \"2001-03-02T08:00:00Z\", "
                            "\"reasonCode\": \"wrong-time\", \"author\": \"hr@example.org\", "
                            "\"createdAt\": \"2001-03-03T08:00:00Z\"}", employee_id);
    g_assert_cmpuint (post (fixture, "/delta/api/clock/v3/punch-corrections", hr,
                            "1a2b3c4d-0000-4000-8000-000000000010", move, NULL), ==, 201);
    day = g_strdup_printf ("{\"id\": \"a-rh\", \"employeeId\": \"%s\", \"workDate\": \"2001-03-02\", "
                           "\"state\": \"approved\", \"author\": \"hr@example.org\", "
                           "\"createdAt\": \"2001-03-03T08:05:00Z\", \"forVersion\": %" G_GINT64_FORMAT "}",
                           employee_id, day_version (fixture, hr_read, employee_id, "2001-03-02"));
    g_assert_cmpuint (post (fixture, "/delta/api/business/v3/approvals", hr,
                            "1a2b3c4d-0000-4000-8000-000000000011", day, NULL), ==, 201);

    g_clear_pointer (&page, json_node_unref);
    g_assert_cmpuint (send_raw (fixture, "GET", path, hr_read, NULL, NULL, NULL, NULL, &page, NULL), ==, 200);
    hours = json_object_get_array_member (json_node_get_object (page), "registeredHours");
    g_assert_cmpuint (json_array_get_length (hours), ==, 1);
    span = json_array_get_object_element (hours, 0);
    g_assert_cmpstr (json_object_get_string_member (span, "id"), ==, "p-rh-1");
    g_assert_cmpstr (json_object_get_string_member (span, "employeeId"), ==, employee_id);
    g_assert_cmpstr (json_object_get_string_member (span, "startDateTime"), ==, "2001-03-02T08:00:00Z");
    g_assert_cmpstr (json_object_get_string_member (span, "endDateTime"), ==, "2001-03-02T16:15:00Z");
    g_assert_cmpint (json_object_get_int_member (span, "breakMinutes"), ==, 30);
    g_assert_cmpint (json_object_get_int_member (span, "duration"), ==, 465);
    g_assert_cmpstr (json_object_get_string_member (span, "status"), ==, "approved");

    /* The day before has none of it; a window backwards is refused. */
    g_clear_pointer (&page, json_node_unref);
    g_assert_cmpuint (send_raw (fixture, "GET", "/delta/api/business/v3/registered-hours?startDate=2001-03-01"
                                "&endDate=2001-03-01", hr_read, NULL, NULL, NULL, NULL, &page, NULL), ==, 200);
    hours = json_object_get_array_member (json_node_get_object (page), "registeredHours");
    g_assert_cmpuint (json_array_get_length (hours), ==, 0);
    g_assert_cmpuint (send_raw (fixture, "GET", "/delta/api/business/v3/registered-hours?startDate=2001-03-03"
                                "&endDate=2001-03-02", hr_read, NULL, NULL, NULL, NULL, NULL, NULL), ==, 400);
  }
}

static void
test_serve_absences (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) tokens = make_demo_tenant (fixture, "epsilon");
  const char *planner = g_hash_table_lookup (tokens, "planning:write");
  const char *hr = g_hash_table_lookup (tokens, "hours:write");
  const char *kiosk = g_hash_table_lookup (tokens, "clock");
  const char *absence_path = "/epsilon/api/absence/v3/absences/sick-1";
  const char *availability_path = "/epsilon/api/planning/v3/availability/av-1";
  g_autoptr(JsonNode) feed = NULL;
  g_autofree char *employee_id = NULL;
  g_autofree char *absence = NULL;
  g_autofree char *recovered = NULL;
  g_autofree char *availability = NULL;

  g_assert_cmpuint (send_raw (fixture, "GET", "/epsilon/api/sync/v3/changes?limit=10000", planner,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  employee_id = g_strdup (json_object_get_string_member (find_change (feed, "employee", NULL), "id"));

  absence = g_strdup_printf ("{\"id\": \"sick-1\", \"employeeId\": \"%s\", \"kind\": \"sick\", "
                             "\"startDate\": \"2026-11-30\"}", employee_id);
  recovered = g_strdup_printf ("{\"id\": \"sick-1\", \"employeeId\": \"%s\", \"kind\": \"sick\", "
                               "\"startDate\": \"2026-11-30\", \"endDate\": \"2026-12-02\"}", employee_id);

  /* A planner records a sickness, HR closes it, a kiosk may do neither. */
  g_assert_cmpuint (send_raw (fixture, "PUT", absence_path, kiosk, "application/json", absence,
                              "If-None-Match", "*", NULL, NULL), ==, 403);
  g_assert_cmpuint (send_raw (fixture, "PUT", absence_path, planner, "application/json", absence,
                              "If-None-Match", "*", NULL, NULL), ==, 201);
  g_assert_cmpuint (send_raw (fixture, "PUT", absence_path, hr, "application/json", recovered,
                              "If-Match", "\"1\"", NULL, NULL), ==, 200);
  g_assert_cmpuint (send_raw (fixture, "PUT", absence_path, planner, "application/json", absence,
                              "If-Match", "\"1\"", NULL, NULL), ==, 412);
  g_assert_cmpuint (send_raw (fixture, "DELETE", absence_path, hr, NULL, NULL, "If-Match", "\"2\"", NULL, NULL), ==, 204);
  g_assert_cmpuint (send_raw (fixture, "DELETE", absence_path, hr, NULL, NULL, "If-Match", "\"2\"", NULL, NULL), ==, 204);

  /* Availability is the planners' alone. */
  availability = g_strdup_printf ("{\"id\": \"av-1\", \"employeeId\": \"%s\", \"weekday\": 3, "
                                  "\"from\": \"00:00\", \"to\": \"24:00\", \"kind\": \"unavailable\"}",
                                  employee_id);
  g_assert_cmpuint (send_raw (fixture, "PUT", availability_path, hr, "application/json", availability,
                              "If-None-Match", "*", NULL, NULL), ==, 403);
  g_assert_cmpuint (send_raw (fixture, "PUT", availability_path, planner, "application/json", availability,
                              "If-None-Match", "*", NULL, NULL), ==, 201);

  g_clear_pointer (&feed, json_node_unref);
  g_assert_cmpuint (send_raw (fixture, "GET", "/epsilon/api/sync/v3/changes?limit=10000", planner,
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  g_assert_true (json_object_get_boolean_member (find_change (feed, "absence", "sick-1"), "deleted"));
  g_assert_false (json_object_get_boolean_member (find_change (feed, "availability", "av-1"), "deleted"));

  /* Publishing: the demo's last week is a draft. A retry answers the
   * same; a new request finds nothing left to publish. */
  {
    const char *window = "{\"startDate\": \"2000-01-01\", \"endDate\": \"2000-12-30\"}";
    g_autofree char *now_window = NULL;
    g_autofree char *first = NULL;
    g_autofree char *again = NULL;
    g_autofree char *later = NULL;
    g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) from = g_date_time_add_days (today, -20);
    g_autoptr(GDateTime) to = g_date_time_add_days (today, 20);
    g_autofree char *from_text = g_date_time_format (from, "%F");
    g_autofree char *to_text = g_date_time_format (to, "%F");

    now_window = g_strdup_printf ("{\"startDate\": \"%s\", \"endDate\": \"%s\"}", from_text, to_text);
    g_assert_cmpuint (post (fixture, "/epsilon/api/planning/v3/shifts/publish", hr,
                            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", now_window, NULL), ==, 403);
    g_assert_cmpuint (post (fixture, "/epsilon/api/planning/v3/shifts/publish", planner,
                            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", now_window, &first), ==, 200);
    g_assert_null (strstr (first, "\"published\":0"));
    g_assert_cmpuint (post (fixture, "/epsilon/api/planning/v3/shifts/publish", planner,
                            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", now_window, &again), ==, 200);
    g_assert_cmpstr (first, ==, again);
    g_assert_cmpuint (post (fixture, "/epsilon/api/planning/v3/shifts/publish", planner,
                            "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", now_window, &later), ==, 200);
    g_assert_cmpstr (later, ==, "{\"published\":0}");
    g_assert_cmpuint (post (fixture, "/epsilon/api/planning/v3/shifts/publish", planner,
                            "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f", "{\"startDate\": \"2026-12-01\"}", NULL), ==, 422);
    g_assert_cmpuint (post (fixture, "/epsilon/api/planning/v3/shifts/publish", planner,
                            "4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f8a", window, NULL), ==, 200);
  }
}

static void
test_serve_admin_commands (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) tokens = make_demo_tenant (fixture, "zeta");
  g_autofree char *backup = g_build_filename (fixture->dir, "zeta.backup", NULL);
  g_autofree char *anonymous = g_build_filename (fixture->dir, "zeta.anonymous", NULL);
  g_autofree char *all = g_build_filename (fixture->dir, "all", NULL);
  g_autofree char *out = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *punch = NULL;
  g_autoptr(JsonNode) feed = NULL;
  sqlite3 *db = NULL;

  /* One write through the API, so that the audit trail has an entry. */
  g_assert_cmpuint (send_raw (fixture, "GET", "/zeta/api/sync/v3/changes?limit=10000", g_hash_table_lookup (tokens, "clock"),
                              NULL, NULL, NULL, NULL, &feed, NULL), ==, 200);
  punch = g_strdup_printf ("{\"id\": \"p-z\", \"employeeId\": \"%s\", \"kind\": \"in\", "
                           "\"dateTime\": \"2026-11-27T06:58:00Z\", \"source\": \"terminal\"}",
                           json_object_get_string_member (find_change (feed, "employee", NULL), "id"));
  g_assert_cmpuint (post (fixture, "/zeta/api/clock/v3/clock-in", g_hash_table_lookup (tokens, "clock"),
                          "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", punch, NULL), ==, 201);

  /* The server has the tenant open; restore needs it alone. */
  g_subprocess_force_exit (fixture->server);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_object (&fixture->server);

  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "backup", "zeta", backup, NULL));
  out = harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "verify", "zeta", NULL);
  g_assert_nonnull (strstr (out, "OK"));
  g_clear_pointer (&out, g_free);

  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "backup", "--all", all, NULL));
  manifest = g_build_filename (all, "MANIFEST", NULL);
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));

  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "anonymize", "zeta", anonymous, NULL));
  g_assert_true (g_file_test (anonymous, G_FILE_TEST_IS_REGULAR));
  g_free (harness_run (1, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "anonymize", "nowhere", anonymous, NULL));

  /* Someone edits the audit trail of the backup; restored, verify finds it. */
  g_assert_cmpint (sqlite3_open (backup, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'x' WHERE seq = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "restore", "zeta", backup, NULL));
  out = harness_run (3, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "verify", "zeta", NULL);
  g_assert_nonnull (strstr (out, "FAILED"));
  g_assert_nonnull (strstr (out, "entry 1"));
}

static void
test_serve_bad_bodies (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) tokens = make_demo_tenant (fixture, "eta");
  const char *planner = g_hash_table_lookup (tokens, "planning:write");
  const char *path = "/eta/api/planning/v3/shifts/s-bad";
  g_autoptr(GString) deep = g_string_new (NULL);
  gsize huge_size = 50 * 1024 * 1024;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(JsonNode) reply = NULL;
  static const char * const malformed[] = {
    "{\"id\": \"s-bad\", ",
    "{\"id\": \"s-bad\" \"departmentId\": \"d\"}",
    "{'id': 's-bad'}",
    "{\"id\": \"s-bad\"} {}",
    "\xff\xfe{}",
    "[1, 2, 3]",
    "",
  };

  /* Truncated, malformed, a second document, invalid UTF-8, not an
   * object, empty: 400 or 422, and the server carries on. */
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      guint status = send_raw (fixture, "PUT", path, planner, "application/json", malformed[i],
                               "If-None-Match", "*", NULL, NULL);
      g_assert_true (status == 400 || status == 422);
    }

  /* 100,000 levels deep: refused before any JSON parser sees it. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_assert_cmpuint (send_raw (fixture, "PUT", path, planner, "application/json", deep->str,
                              "If-None-Match", "*", &reply, NULL), ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (reply),
                                                                                           "error"), "message"),
                            "deeper"));

  /* 50 MB: refused by its length. */
  huge = g_bytes_new_take (g_strnfill (huge_size, '['), huge_size);
  g_assert_cmpuint (request (fixture, "POST", "/eta/api/clock/v3/clock-in", g_hash_table_lookup (tokens, "clock"),
                             huge, NULL), ==, 413);

  /* Still up, and nothing was written. */
  g_assert_cmpuint (send_raw (fixture, "DELETE", path, planner, NULL, NULL, "If-Match", "\"1\"", NULL, NULL), ==, 404);
  g_assert_cmpuint (request (fixture, "GET", "/eta/api/v3/whoami", planner, NULL, NULL), ==, 200);
}

static void
test_serve_scopes (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const scopes[] = { "planning:read", "planning:write", "hours:read", "hours:write", "clock" };
  g_autoptr(GHashTable) tokens = make_demo_tenant (fixture, "theta");
  g_autofree char *out = harness_run (0, NULL, harness_server_binary (), "routes", "--scopes", NULL);
  g_auto(GStrv) routes = g_strsplit (g_strstrip (out), "\n", -1);
  guint refused = 0;

  /* Every route with a token of every single scope: 403 exactly when the
   * route does not take that scope, before anything else is looked at. */
  for (guint r = 0; routes[r] != NULL; r++)
    {
      g_auto(GStrv) parts = g_strsplit (routes[r], " ", 3);
      g_autoptr(GRegex) tenant = g_regex_new ("\\{tenant\\}", 0, 0, NULL);
      g_autoptr(GRegex) id = g_regex_new ("\\{id\\}", 0, 0, NULL);
      g_autofree char *with_tenant = g_regex_replace_literal (tenant, parts[1], -1, 0, "theta", 0, NULL);
      g_autofree char *path = g_regex_replace_literal (id, with_tenant, -1, 0, "x1", 0, NULL);

      for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
        {
          gboolean allowed = g_str_equal (parts[2], "any") || strstr (parts[2], scopes[s]) != NULL;
          guint status = send_raw (fixture, parts[0], path, g_hash_table_lookup (tokens, scopes[s]),
                                   NULL, NULL, NULL, NULL, NULL, NULL);

          if (allowed)
            g_assert_cmpuint (status, !=, 403);
          else
            {
              g_assert_cmpuint (status, ==, 403);
              refused++;
            }
        }
    }

  g_test_message ("%u route and scope pairs refused", refused);
  g_assert_cmpuint (refused, >, 20);
}

static void
test_serve_body_cap (Fixture       *fixture,
                     gconstpointer  data)
{
  gsize size = 2 * 1024 * 1024;
  g_autoptr(GBytes) body = g_bytes_new_take (g_strnfill (size, ' '), size);

  g_assert_cmpuint (request (fixture, "POST", "/alpha/api/v3/whoami", fixture->alpha_token, body, NULL), ==, 413);
  /* The server is still there. */
  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", fixture->alpha_token, NULL, NULL), ==, 200);
}

static int
s_client (Fixture    *fixture,
          const char *version)
{
  g_autoptr(GUri) uri = g_uri_parse (fixture->base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *connect = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  /* SECLEVEL=0 lets this OpenSSL really offer TLS 1.1: the refusal must
   * come from the server. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                              "openssl", "s_client", "-connect", connect, version,
                              "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", fixture->ca, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, "", NULL, &out, NULL, &error));
  g_test_message ("openssl s_client %s → %d\n%s", version, g_subprocess_get_exit_status (process),
                  out ? out : "");

  return g_subprocess_get_exit_status (process);
}

static void
test_serve_tls_versions (Fixture       *fixture,
                         gconstpointer  data)
{
  g_assert_cmpint (s_client (fixture, "-tls1_1"), !=, 0);
  g_assert_cmpint (s_client (fixture, "-tls1"), !=, 0);
  g_assert_cmpint (s_client (fixture, "-tls1_2"), ==, 0);
  g_assert_cmpint (s_client (fixture, "-tls1_3"), ==, 0);
}

static void
test_serve_plain_http (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  out = harness_run (1, &err, harness_server_binary (), "--data-dir", fixture->data_dir, "serve",
             "--plain-http", "--address", "0.0.0.0", "--port", "0", NULL);
  g_assert_nonnull (strstr (err, "loopback"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = harness_run (2, &err, harness_server_binary (), "--data-dir", fixture->data_dir, "serve", "--port", "0", NULL);
  g_assert_nonnull (strstr (err, "--plain-http"));
}

static void
test_serve_log_and_stop (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", fixture->alpha_token, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (fixture, "GET", "/alpha/api/v3/whoami", fixture->beta_token, NULL, NULL), ==, 404);

  /* SIGTERM: the server finishes and exits cleanly. */
  g_subprocess_send_signal (fixture->server, SIGTERM);
  {
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

    g_assert_cmpint (g_output_stream_splice (sink, g_subprocess_get_stderr_pipe (fixture->server),
                                             G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error), >=, 0);
    g_assert_no_error (error);
    log = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                     g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)));
  }
  g_assert_true (g_subprocess_wait (fixture->server, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", log);
  g_assert_true (g_subprocess_get_if_exited (fixture->server));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->server), ==, 0);
  g_clear_object (&fixture->server);

  /* One line per request, with method, path, status and time, and no
   * token anywhere. */
  g_assert_nonnull (strstr (log, "GET /alpha/api/v3/whoami 200"));
  g_assert_nonnull (strstr (log, "GET /alpha/api/v3/whoami 404"));
  g_assert_null (strstr (log, fixture->alpha_token));
  g_assert_null (strstr (log, fixture->beta_token));
  g_assert_null (strstr (log, "rota_"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/serve/whoami", Fixture, NULL, fixture_set_up, test_serve_whoami, fixture_tear_down);
  g_test_add ("/server/serve/auth", Fixture, NULL, fixture_set_up, test_serve_auth, fixture_tear_down);
  g_test_add ("/server/serve/revoke", Fixture, NULL, fixture_set_up, test_serve_revoke, fixture_tear_down);
  g_test_add ("/server/serve/rate-limit", Fixture, NULL, fixture_set_up, test_serve_rate_limit, fixture_tear_down);
  g_test_add ("/server/serve/shifts", Fixture, NULL, fixture_set_up, test_serve_shifts, fixture_tear_down);
  g_test_add ("/server/serve/put-replay", Fixture, NULL, fixture_set_up, test_serve_put_replay, fixture_tear_down);
  g_test_add ("/server/serve/facts", Fixture, NULL, fixture_set_up, test_serve_facts, fixture_tear_down);
  g_test_add ("/server/serve/absences", Fixture, NULL, fixture_set_up, test_serve_absences, fixture_tear_down);
  g_test_add ("/server/serve/admin-commands", Fixture, NULL, fixture_set_up, test_serve_admin_commands, fixture_tear_down);
  g_test_add ("/server/serve/bad-bodies", Fixture, NULL, fixture_set_up, test_serve_bad_bodies, fixture_tear_down);
  g_test_add ("/server/serve/scopes", Fixture, NULL, fixture_set_up, test_serve_scopes, fixture_tear_down);
  g_test_add ("/server/serve/body-cap", Fixture, NULL, fixture_set_up, test_serve_body_cap, fixture_tear_down);
  g_test_add ("/server/serve/tls-versions", Fixture, NULL, fixture_set_up, test_serve_tls_versions, fixture_tear_down);
  g_test_add ("/server/serve/plain-http", Fixture, NULL, fixture_set_up, test_serve_plain_http, fixture_tear_down);
  g_test_add ("/server/serve/log-and-stop", Fixture, NULL, fixture_set_up, test_serve_log_and_stop, fixture_tear_down);

  return g_test_run ();
}
