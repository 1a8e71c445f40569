/* test-client.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * RotaClient against the real rota-server over loopback TLS with a CA
 * made for this run, against `openssl s_server` speaking only TLS 1.1,
 * and against a hostile HTTP server in this process that answers with
 * what a broken or malicious server might send.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "rota-client.h"
#include "server-harness.h"
#include "test-http.h"

typedef HarnessServer Fixture;

static void
test_client_whoami (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(RotaClient) stranger = NULL;
  g_autoptr(JsonNode) whoami = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonArray) employees = NULL;
  guint status = 0;

  client = rota_client_new (fixture->base, "alpha", g_hash_table_lookup (fixture->tokens, "planning:read"),
                            fixture->ca, &error);
  g_assert_no_error (error);
  whoami = rota_client_get (client, "api/v3/whoami", &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (whoami), "tenant"), ==, "alpha");

  /* What the server is and what the token may do. */
  g_assert_cmpint (rota_client_get_profile (client), ==, ROTA_CLIENT_PROFILE_UNKNOWN);
  g_assert_true (rota_client_connect (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_client_get_profile (client), ==, ROTA_CLIENT_PROFILE_ROTA);
  g_assert_true (rota_client_has_feature (client, "changes"));
  g_assert_false (rota_client_has_feature (client, "teleport"));
  g_assert_true (rota_client_has_scope (client, "planning:read"));
  g_assert_false (rota_client_has_scope (client, "planning:write"));
  g_assert_cmpstr (rota_client_get_token_name (client), ==, "demo planning:read");

  /* A Dyflexis list, every page of it: the demo's five employees. */
  employees = rota_client_get_pages (client, "api/business/v3/employees", "employees", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (employees), ==, 5);

  /* A token the server does not know: refused, with the server's words. */
  stranger = rota_client_new (fixture->base, "alpha", "rota_not-a-token", fixture->ca, &error);
  g_assert_no_error (error);
  none = rota_client_get (stranger, "api/v3/whoami", &status, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (status, ==, 401);
  g_test_message ("%s", error->message);
}

/* The test CA is not one the system trusts: without the CA file the
 * server's certificate is refused, and nothing is sent. */
static void
test_client_untrusted (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 1;

  client = rota_client_new (fixture->base, "alpha", g_hash_table_lookup (fixture->tokens, "planning:read"),
                            NULL, &error);
  g_assert_no_error (error);
  node = rota_client_get (client, "api/v3/whoami", &status, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS);
  g_assert_cmpuint (status, ==, 0);
  g_test_message ("%s", error->message);
}

static void
test_client_addresses (void)
{
  static const struct {
    const char *server;
    const char *tenant;
    int         code;    /* -1: accepted */
  } cases[] = {
    { "https://rota.example.org/", "alpha", -1 },
    { "https://rota.example.org", "alpha", -1 },
    { "http://127.0.0.1:8080/", "alpha", -1 },
    { "http://[::1]:8080/", "alpha", -1 },
    { "http://localhost/", "alpha", -1 },
    { "http://rota.example.org/", "alpha", ROTA_CLIENT_ERROR_INSECURE },
    { "http://192.168.1.10/", "alpha", ROTA_CLIENT_ERROR_INSECURE },
    { "ftp://rota.example.org/", "alpha", ROTA_CLIENT_ERROR_INVALID_URL },
    { "rota.example.org", "alpha", ROTA_CLIENT_ERROR_INVALID_URL },
    { "https://", "alpha", ROTA_CLIENT_ERROR_INVALID_URL },
    { "https://user:pw@rota.example.org/", "alpha", ROTA_CLIENT_ERROR_INVALID_URL },
    { "https://rota.example.org/?x=1", "alpha", ROTA_CLIENT_ERROR_INVALID_URL },
    { "https://rota.example.org/", "Alpha", ROTA_CLIENT_ERROR_INVALID_URL },
    { "https://rota.example.org/", "al/pha", ROTA_CLIENT_ERROR_INVALID_URL },
    { "https://rota.example.org/", "", ROTA_CLIENT_ERROR_INVALID_URL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RotaClient) client = rota_client_new (cases[i].server, cases[i].tenant, "rota_x", NULL, &error);

      g_test_message ("%s %s", cases[i].server, cases[i].tenant);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (g_str_has_suffix (rota_client_get_server (client), "/"));
        }
      else
        {
          g_assert_null (client);
          g_assert_error (error, ROTA_CLIENT_ERROR, cases[i].code);
        }
    }
}

/* Starts `openssl s_server -www` with @cert and @key and @protocol (such
 * as "-tls1_1") on a free loopback port; returns its base address. */
static GSubprocess *
start_s_server (const char  *cert,
                const char  *key,
                const char  *protocol,
                char       **base)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *port = NULL;
  g_autofree char *line = NULL;
  GSubprocess *s_server;

  /* A free port: bind, read it back, close. */
  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (probe, any_port, TRUE, &error));
  bound = g_socket_get_local_address (probe, &error);
  g_assert_no_error (error);
  port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (probe, NULL);

  s_server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                               "openssl", "s_server", "-accept", port, "-4", "-www",
                               protocol, "-cipher", "DEFAULT@SECLEVEL=0",
                               "-cert", cert, "-key", key, NULL);
  g_assert_no_error (error);

  /* s_server prints ACCEPT once it listens. */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s_server));
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (strcmp (line, "ACCEPT") != 0);

  *base = g_strdup_printf ("https://127.0.0.1:%s/", port);

  return s_server;
}

static void
stop_s_server (GSubprocess *s_server)
{
  g_subprocess_force_exit (s_server);
  g_subprocess_wait (s_server, NULL, NULL);
  g_object_unref (s_server);
}

/* The error of a whoami against @base, trusting the fixture's CA. */
static GError *
whoami_error (Fixture    *fixture,
              const char *base)
{
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  client = rota_client_new (base, "alpha", "rota_x", fixture->ca, &error);
  g_assert_no_error (error);
  node = rota_client_get (client, "api/v3/whoami", NULL, NULL, &error);
  g_assert_null (node);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);

  return error;
}

/* openssl s_server offering TLS 1.1 only. */
static void
test_client_tls11 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *base = NULL;
  GSubprocess *s_server = start_s_server (fixture->cert, fixture->key, "-tls1_1", &base);
  g_autoptr(GError) error = whoami_error (fixture, base);

  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS);
  /* Refused by Rota's own check, not only by GnuTLS's settings. */
  g_assert_nonnull (strstr (error->message, "TLS 1.1 or older"));

  stop_s_server (s_server);
}

/* Certificates by the trusted CA that are still wrong: one expired, one
 * for another host. Each is refused, and says why. */
static void
test_client_certificates (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *days;
    const char *san;
    const char *says;
  } cases[] = {
    { "expired", "-1", "subjectAltName=DNS:localhost,IP:127.0.0.1\n", "expired" },
    { "wrong-host", "2", "subjectAltName=DNS:other.example.org\n", "another host name" },
  };
  g_autofree char *ca_key = g_build_filename (fixture->dir, "ca.key", NULL);
  g_autofree char *serial = g_build_filename (fixture->dir, "ca.srl", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s/%s.key", fixture->dir, cases[i].name);
      g_autofree char *csr = g_strdup_printf ("%s/%s.csr", fixture->dir, cases[i].name);
      g_autofree char *ext = g_strdup_printf ("%s/%s.ext", fixture->dir, cases[i].name);
      g_autofree char *cert = g_strdup_printf ("%s/%s.pem", fixture->dir, cases[i].name);
      g_autofree char *base = NULL;
      g_autofree char *lower = NULL;
      g_autoptr(GError) error = NULL;
      GSubprocess *s_server;

      g_assert_true (g_file_set_contents (ext, cases[i].san, -1, NULL));
      g_free (harness_run (0, NULL, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost", NULL));
      g_free (harness_run (0, NULL, "openssl", "x509", "-req", "-in", csr, "-CA", fixture->ca, "-CAkey", ca_key,
                           "-CAserial", serial, "-out", cert, "-days", cases[i].days, "-extfile", ext, NULL));

      s_server = start_s_server (cert, key, "-tls1_2", &base);
      error = whoami_error (fixture, base);
      g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS);
      lower = g_ascii_strdown (error->message, -1);
      g_assert_nonnull (strstr (lower, cases[i].says));
      stop_s_server (s_server);
    }

  /* A self-signed certificate, right host, in date: signed by no one the
   * client trusts, whatever CA file it was given. */
  {
    g_autofree char *key = g_build_filename (fixture->dir, "self.key", NULL);
    g_autofree char *cert = g_build_filename (fixture->dir, "self.pem", NULL);
    g_autofree char *base = NULL;
    g_autoptr(GError) error = NULL;
    GSubprocess *s_server;

    g_free (harness_run (0, NULL, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL));
    s_server = start_s_server (cert, key, "-tls1_2", &base);
    error = whoami_error (fixture, base);
    g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS);
    g_test_message ("self-signed: %s", error->message);
    g_assert_nonnull (strstr (error->message, "self-signed"));
    stop_s_server (s_server);
  }
}

/* A hostile server in a thread of this process. */
typedef struct
{
  TestHttp   *http;      /* set before the first request, so the handler may read it */
  GMutex      lock;
  GHashTable *counts;    /* path → requests seen, under lock */
} Hostile;

static void
hostile_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Hostile *hostile = user_data;
  const char *what = strrchr (path, '/') + 1;
  guint seen;

  g_mutex_lock (&hostile->lock);
  seen = GPOINTER_TO_UINT (g_hash_table_lookup (hostile->counts, what)) + 1;
  g_hash_table_insert (hostile->counts, g_strdup (what), GUINT_TO_POINTER (seen));
  g_mutex_unlock (&hostile->lock);

  soup_server_message_set_status (msg, 200, NULL);

  /* Busy twice, then fine; rate-limited once; busy for ever, asking for
   * a wait far too long. */
  if ((strcmp (what, "busy") == 0 && seen <= 2) || (strcmp (what, "limited") == 0 && seen == 1) ||
      strcmp (what, "closed") == 0)
    {
      soup_server_message_set_status (msg, strcmp (what, "limited") == 0 ? 429 : 503, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    strcmp (what, "closed") == 0 ? "86400" : "1");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\": {\"code\": \"busy\", \"message\": \"Come back later\"}}", 57);
      return;
    }

  if (strcmp (what, "html") == 0)
    soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>Login</html>", 18);
  else if (strcmp (what, "truncated") == 0)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"tenant\": \"al", 14);
  else if (strcmp (what, "deep") == 0)
    {
      GString *deep = g_string_new (NULL);

      for (guint i = 0; i < 100000; i++)
        g_string_append_c (deep, '[');
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, deep->str, deep->len);
      g_string_free (deep, FALSE);
    }
  else if (strcmp (what, "huge") == 0)
    {
      gsize size = ROTA_CLIENT_MAX_RESPONSE + 1024;
      char *body = g_malloc (size);

      memset (body, ' ', size);
      body[0] = '[';
      body[size - 1] = ']';
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, size);
    }
  else if (g_str_has_prefix (what, "pages"))
    {
      /* Three pages of two; "pages-elsewhere" links off the server,
       * "pages-gap" forgets its next link. */
      const char *number = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
      guint page = number != NULL ? (guint) g_ascii_strtoull (number, NULL, 10) : 1;
      g_autoptr(GString) body = g_string_new (NULL);

      g_string_append_printf (body, "{\"items\": [%u, %u], \"pageCount\": 3, \"_links\": {", page * 10, page * 10 + 1);
      if (page < 3 && strcmp (what, "pages-gap") != 0)
        g_string_append_printf (body, "\"next\": {\"href\": \"%salpha/api/%s?page=%u\"}",
                                strcmp (what, "pages-elsewhere") == 0 ? "https://elsewhere.example.org/"
                                                                      : test_http_get_base (hostile->http),
                                what, page + 1);
      g_string_append (body, "}}");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str, body->len);
    }
  else if (strcmp (what, "capabilities") == 0)
    {
      /* A plain Dyflexis server has no capabilities. */
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "Not found", 9);
    }
  else if (strcmp (what, "employees") == 0)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                      "{\"employees\": [], \"pageCount\": 1, \"_links\": {}}", 47);
  else if (strcmp (what, "dated") == 0)
    {
      /* A server whose clock is an hour ahead of ours. */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) ahead = g_date_time_add_hours (now, 1);
      g_autofree char *date = soup_date_time_to_string (ahead, SOUP_DATE_HTTP);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\": true}", 12);
    }
  else if (strcmp (what, "error") == 0)
    {
      soup_server_message_set_status (msg, 422, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\": {\"code\": \"busy\", \"message\": \"Come back later\"}}", 57);
    }
  else
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\": true}", 12);
}

static void
hostile_start (Hostile *hostile)
{
  g_mutex_init (&hostile->lock);
  hostile->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  hostile->http = test_http_start (hostile_handler, hostile);
}

static void
hostile_stop (Hostile *hostile)
{
  test_http_stop (hostile->http);
  g_hash_table_unref (hostile->counts);
  g_mutex_clear (&hostile->lock);
}

static void
test_client_bad_answers (void)
{
  static const struct {
    const char *path;
    int         code;
  } cases[] = {
    { "api/ok", -1 },
    { "api/html", ROTA_CLIENT_ERROR_BAD_RESPONSE },
    { "api/truncated", ROTA_CLIENT_ERROR_BAD_RESPONSE },
    { "api/deep", ROTA_CLIENT_ERROR_BAD_RESPONSE },
    { "api/huge", ROTA_CLIENT_ERROR_BAD_RESPONSE },
    { "api/error", ROTA_CLIENT_ERROR_HTTP },
  };
  Hostile hostile = { 0 };
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(GError) error = NULL;

  hostile_start (&hostile);
  client = rota_client_new (test_http_get_base (hostile.http), "alpha", "rota_x", NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) node = rota_client_get (client, cases[i].path, NULL, NULL, &local_error);

      g_test_message ("%s → %s", cases[i].path, local_error ? local_error->message : "ok");
      if (cases[i].code < 0)
        {
          g_assert_no_error (local_error);
          g_assert_nonnull (node);
        }
      else
        {
          g_assert_null (node);
          g_assert_error (local_error, ROTA_CLIENT_ERROR, cases[i].code);
        }
    }

  hostile_stop (&hostile);
}

static guint
hostile_count (Hostile    *hostile,
               const char *what)
{
  guint count;

  g_mutex_lock (&hostile->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (hostile->counts, what));
  g_mutex_unlock (&hostile->lock);

  return count;
}

/* 503 and 429 with Retry-After: the client waits at least as long as
 * asked, and the answer arrives; a wait too long ends the tries. A next
 * link to another server is refused. */
static void
test_client_retry (void)
{
  Hostile hostile = { 0 };
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) busy = NULL;
  g_autoptr(JsonNode) limited = NULL;
  g_autoptr(JsonNode) closed = NULL;
  g_autoptr(JsonNode) elsewhere = NULL;
  gint64 start;
  guint status = 0;

  hostile_start (&hostile);
  client = rota_client_new (test_http_get_base (hostile.http), "alpha", "rota_x", NULL, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  busy = rota_client_get (client, "api/busy", &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (busy);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (hostile_count (&hostile, "busy"), ==, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);

  start = g_get_monotonic_time ();
  limited = rota_client_get (client, "api/limited", &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (limited);
  g_assert_cmpuint (hostile_count (&hostile, "limited"), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1 * G_USEC_PER_SEC);

  closed = rota_client_get (client, "api/closed", &status, NULL, &error);
  g_assert_null (closed);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_HTTP);
  g_assert_cmpuint (status, ==, 503);
  g_assert_cmpuint (hostile_count (&hostile, "closed"), ==, 1);
  g_clear_error (&error);

  elsewhere = rota_client_get (client, "https://elsewhere.example.org/alpha/api/ok", NULL, NULL, &error);
  g_assert_null (elsewhere);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "not under"));

  hostile_stop (&hostile);
}

/* The server's clock by the Date header: an hour ahead reads as an
 * offset of an hour, taken from any answer; none before the first. */
static void
test_client_server_time (void)
{
  Hostile hostile = { 0 };
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) dated = NULL;
  g_autoptr(JsonNode) plain = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) dated2 = NULL;
  gint64 offset_ms = -1;
  gint64 real_us = -1;
  gint64 monotonic_us = -1;
  gint64 before_real = g_get_real_time ();
  gint64 before_monotonic = g_get_monotonic_time ();

  hostile_start (&hostile);
  client = rota_client_new (test_http_get_base (hostile.http), "alpha", "rota_x", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (rota_client_get_server_time (client, &offset_ms, &real_us, &monotonic_us));
  g_assert_cmpint (offset_ms, ==, 0);

  dated = rota_client_get (client, "api/dated", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rota_client_get_server_time (client, &offset_ms, &real_us, &monotonic_us));
  g_test_message ("offset %" G_GINT64_FORMAT " ms", offset_ms);
  g_assert_cmpint (offset_ms, >=, 3600 * 1000 - 2000);
  g_assert_cmpint (offset_ms, <=, 3600 * 1000 + 2000);
  g_assert_cmpint (real_us, >=, before_real);
  g_assert_cmpint (monotonic_us, >=, before_monotonic);

  /* An error answer, dated by SoupServer's own clock (which is ours),
   * says what time the server has all the same. */
  refused = rota_client_get (client, "api/error", NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_HTTP);
  g_clear_error (&error);
  g_assert_true (rota_client_get_server_time (client, &offset_ms, NULL, NULL));
  g_assert_cmpint (ABS (offset_ms), <=, 2000);

  dated2 = rota_client_get (client, "api/dated", NULL, NULL, &error);
  g_assert_no_error (error);
  plain = rota_client_get (client, "api/ok", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rota_client_get_server_time (client, &offset_ms, NULL, NULL));
  g_assert_cmpint (ABS (offset_ms), <=, 2000);

  hostile_stop (&hostile);
}

/* Paging by _links.next.href, and the pages that must not be followed. */
static void
test_client_pages (void)
{
  Hostile hostile = { 0 };
  g_autoptr(RotaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(JsonArray) elsewhere = NULL;
  g_autoptr(JsonArray) gap = NULL;
  g_autoptr(JsonArray) wrong_member = NULL;
  const gint64 expected[] = { 10, 11, 20, 21, 30, 31 };

  hostile_start (&hostile);
  client = rota_client_new (test_http_get_base (hostile.http), "alpha", "rota_x", NULL, &error);
  g_assert_no_error (error);

  items = rota_client_get_pages (client, "api/pages", "items", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (items), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (json_array_get_int_element (items, i), ==, expected[i]);
  g_assert_cmpuint (hostile_count (&hostile, "pages"), ==, 3);

  elsewhere = rota_client_get_pages (client, "api/pages-elsewhere", "items", NULL, &error);
  g_assert_null (elsewhere);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  gap = rota_client_get_pages (client, "api/pages-gap", "items", NULL, &error);
  g_assert_null (gap);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  wrong_member = rota_client_get_pages (client, "api/pages", "employees", NULL, &error);
  g_assert_null (wrong_member);
  g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  /* No capabilities: a plain Dyflexis server, the token checked by a read. */
  g_assert_true (rota_client_connect (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_client_get_profile (client), ==, ROTA_CLIENT_PROFILE_DYFLEXIS);
  g_assert_false (rota_client_has_feature (client, "changes"));
  g_assert_cmpuint (hostile_count (&hostile, "employees"), ==, 1);

  hostile_stop (&hostile);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/client/addresses", test_client_addresses);
  g_test_add_func ("/sync/client/bad-answers", test_client_bad_answers);
  g_test_add_func ("/sync/client/retry", test_client_retry);
  g_test_add_func ("/sync/client/pages", test_client_pages);
  g_test_add_func ("/sync/client/server-time", test_client_server_time);
  g_test_add ("/sync/client/whoami", Fixture, NULL, harness_server_set_up, test_client_whoami,
              harness_server_tear_down);
  g_test_add ("/sync/client/untrusted", Fixture, NULL, harness_server_set_up, test_client_untrusted,
              harness_server_tear_down);
  g_test_add ("/sync/client/tls-1-1", Fixture, NULL, harness_server_set_up, test_client_tls11,
              harness_server_tear_down);
  g_test_add ("/sync/client/certificates", Fixture, NULL, harness_server_set_up, test_client_certificates,
              harness_server_tear_down);

  return g_test_run ();
}
