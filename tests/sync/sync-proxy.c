/* sync-proxy.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * A reverse proxy between a sync client and the real rota-server, in a
 * thread of the test (test-http.c), that does to requests what networks
 * and load balancers do to them:
 *
 *  - drop-writes: passes the first try of every write to the server, lets
 *    the server commit and answer, and then closes the client's connection
 *    without passing the answer on (the answer lost on the way back);
 *  - storm N: answers the first N tries of every request itself, 503 and
 *    429 by turns, each with Retry-After: 1, before passing it on.
 *
 * It notes when each try of each request arrived (a request is its method,
 * path and query, and Idempotency-Key), so a test can check that retries
 * waited as long as they were told to.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "sync-proxy.h"
#include "test-http.h"

struct _SyncProxy
{
  TestHttp     *http;
  SoupSession  *session;    /* to the upstream server; made and used on the server's thread */
  char         *upstream;
  char         *ca_file;

  GMutex        lock;       /* for what follows */
  gboolean      drop_writes;
  guint         storm;
  GHashTable   *tries;      /* request → GArray of monotonic times */
  guint         dropped;
};

static char *
request_key (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Idempotency-Key");

  return g_strdup_printf ("%s %s%s%s %s", soup_server_message_get_method (msg), g_uri_get_path (uri),
                          g_uri_get_query (uri) != NULL ? "?" : "",
                          g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "",
                          key != NULL ? key : "");
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Host") == 0 || g_ascii_strcasecmp (name, "Content-Length") == 0 ||
      g_ascii_strcasecmp (name, "Connection") == 0 || g_ascii_strcasecmp (name, "Transfer-Encoding") == 0 ||
      g_ascii_strcasecmp (name, "Accept-Encoding") == 0)
    return;
  soup_message_headers_append (user_data, name, value);
}

static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SyncProxy *proxy = user_data;
  g_autofree char *key = request_key (msg);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) upstream = NULL;
  g_autoptr(GBytes) request_body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *content_type;
  GArray *times;
  guint try;
  gboolean drop;

  g_mutex_lock (&proxy->lock);
  times = g_hash_table_lookup (proxy->tries, key);
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (proxy->tries, g_strdup (key), times);
    }
  {
    gint64 now = g_get_monotonic_time ();

    g_array_append_val (times, now);
  }
  try = times->len;
  drop = proxy->drop_writes && try == 1 && !g_str_equal (method, "GET");
  if (try <= proxy->storm)
    {
      gboolean busy = try % 2 == 1;

      g_mutex_unlock (&proxy->lock);
      soup_server_message_set_status (msg, busy ? 503 : 429, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        busy ? "{\"error\":{\"code\":\"busy\",\"message\":\"Overloaded\"}}"
                                             : "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down\"}}",
                                        busy ? 48 : 53);
      return;
    }
  g_mutex_unlock (&proxy->lock);

  /* A SoupSession belongs to the thread-default context it was made in:
   * this one is made here, on the server's thread, on first use. */
  if (proxy->session == NULL)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (proxy->ca_file, &error);

      g_assert_no_error (error);
      proxy->session = soup_session_new_with_options ("tls-database", database, "timeout", 30, NULL);
    }

  url = g_strdup_printf ("%s%s%s%s", proxy->upstream, g_uri_get_path (uri) + 1,
                         g_uri_get_query (uri) != NULL ? "?" : "",
                         g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  upstream = soup_message_new (method, url);
  g_assert_nonnull (upstream);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header,
                                soup_message_get_request_headers (upstream));
  request_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (request_body) > 0)
    soup_message_set_request_body_from_bytes (upstream,
                                              soup_message_headers_get_content_type (
                                                soup_server_message_get_request_headers (msg), NULL),
                                              request_body);

  answer = soup_session_send_and_read (proxy->session, upstream, NULL, &error);
  if (answer == NULL)
    {
      soup_server_message_set_status (msg, 502, NULL);
      return;
    }

  if (drop)
    {
      /* The server has committed and answered; the answer goes nowhere. */
      GIOStream *stream = soup_server_message_steal_connection (msg);

      g_mutex_lock (&proxy->lock);
      proxy->dropped++;
      g_mutex_unlock (&proxy->lock);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }

  soup_server_message_set_status (msg, soup_message_get_status (upstream), NULL);
  content_type = soup_message_headers_get_one (soup_message_get_response_headers (upstream), "Content-Type");
  if (soup_message_headers_get_one (soup_message_get_response_headers (upstream), "Retry-After") != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  soup_message_headers_get_one (soup_message_get_response_headers (upstream),
                                                                "Retry-After"));
  if (g_bytes_get_size (answer) > 0)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/**
 * sync_proxy_start:
 * @upstream: the server's base address, ending in "/"
 * @ca_file: the CA that signed the server's certificate
 *
 * Returns: a running proxy that passes everything on, on plain HTTP to loopback
 */
SyncProxy *
sync_proxy_start (const char *upstream,
                  const char *ca_file)
{
  SyncProxy *proxy = g_new0 (SyncProxy, 1);

  g_mutex_init (&proxy->lock);
  proxy->upstream = g_strdup (upstream);
  proxy->ca_file = g_strdup (ca_file);
  proxy->tries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  proxy->http = test_http_start (proxy_handler, proxy);

  return proxy;
}

void
sync_proxy_stop (SyncProxy *proxy)
{
  test_http_stop (proxy->http);
  /* The server's thread has ended, so nothing uses the session any more.
   * libsoup checks the thread-default context only when it sends, not
   * when a session goes: freeing it here closes its idle connections. */
  g_clear_object (&proxy->session);
  g_hash_table_unref (proxy->tries);
  g_free (proxy->upstream);
  g_free (proxy->ca_file);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}

const char *
sync_proxy_get_base (SyncProxy *proxy)
{
  return test_http_get_base (proxy->http);
}

void
sync_proxy_set_drop_writes (SyncProxy *proxy,
                            gboolean   drop)
{
  g_mutex_lock (&proxy->lock);
  proxy->drop_writes = drop;
  g_hash_table_remove_all (proxy->tries);
  g_mutex_unlock (&proxy->lock);
}

void
sync_proxy_set_storm (SyncProxy *proxy,
                      guint      failures)
{
  g_mutex_lock (&proxy->lock);
  proxy->storm = failures;
  g_hash_table_remove_all (proxy->tries);
  g_mutex_unlock (&proxy->lock);
}

/* All tries of requests with @method whose path starts with @path_prefix. */
guint
sync_proxy_count_tries (SyncProxy  *proxy,
                        const char *method,
                        const char *path_prefix)
{
  g_autofree char *prefix = g_strdup_printf ("%s %s", method, path_prefix);
  GHashTableIter iter;
  gpointer key, value;
  guint count = 0;

  g_mutex_lock (&proxy->lock);
  g_hash_table_iter_init (&iter, proxy->tries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix))
      count += ((GArray *) value)->len;
  g_mutex_unlock (&proxy->lock);

  return count;
}

guint
sync_proxy_count_dropped (SyncProxy *proxy)
{
  guint dropped;

  g_mutex_lock (&proxy->lock);
  dropped = proxy->dropped;
  g_mutex_unlock (&proxy->lock);

  return dropped;
}

/* The shortest wait between two tries of the same request, in µs, and
 * how many requests were tried more than once. G_MAXINT64 when none was. */
gint64
sync_proxy_min_retry_gap (SyncProxy *proxy,
                          guint     *requests_retried)
{
  GHashTableIter iter;
  gpointer value;
  gint64 gap = G_MAXINT64;

  *requests_retried = 0;

  g_mutex_lock (&proxy->lock);
  g_hash_table_iter_init (&iter, proxy->tries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *times = value;

      if (times->len > 1)
        (*requests_retried)++;
      for (guint i = 1; i < times->len; i++)
        gap = MIN (gap, g_array_index (times, gint64, i) - g_array_index (times, gint64, i - 1));
    }
  g_mutex_unlock (&proxy->lock);

  return gap;
}
