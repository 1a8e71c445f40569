/* rota-server.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server"

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-server.h"

/*
 * The HTTP side of rota-server: one SoupServer, every request under
 * /{tenant}/..., authenticated by a token of that tenant. A token of
 * another tenant, or of no tenant, gets the same 404 as a tenant that does
 * not exist, so that tenants cannot be probed.
 *
 * Each route names the scope it needs; the handlers see a Request with
 * the tenant, the token's name and scopes, and the path parameters.
 */

/* DESIGN §3: request bodies are capped at 1 MiB. */
#define MAX_BODY_SIZE ROTA_JSON_MAX_SIZE
/* Items per page of the paged lists, and the change feed's largest limit
 * (data/openapi.yaml, Capabilities). */
#define PAGE_SIZE 100
#define MAX_CHANGES_LIMIT 10000

/* A token bucket per API token: @rate requests a second on average, and
 * bursts of up to @burst. */
typedef struct
{
  double tokens;
  gint64 last_us;
} Bucket;

struct _RotaServer
{
  GObject             parent_instance;

  RotaServerRegistry *registry;
  GTlsCertificate    *certificate;
  SoupServer         *soup;
  GHashTable         *buckets;
  double              rate;
  double              burst;
  guint               n_active;
};

G_DEFINE_FINAL_TYPE (RotaServer, rota_server, G_TYPE_OBJECT)

typedef struct
{
  RotaServer        *server;
  SoupServerMessage *msg;
  GHashTable        *query;
  char              *tenant;
  char              *token_name;
  RotaScopes         scopes;
  char              *param;
} Request;

typedef void (*RouteHandler) (Request *request);

typedef struct
{
  const char   *method;
  const char   *pattern;
  RotaScopes    scopes;
  RouteHandler  handler;
} Route;

static void handle_capabilities (Request *request);
static void handle_whoami       (Request *request);

/* Any of a route's scopes is enough; ROTA_SCOPE_NONE means any token of
 * the tenant. */
static const Route routes[] = {
  { "GET", "/api/v3/capabilities", ROTA_SCOPE_NONE, handle_capabilities },
  { "GET", "/api/v3/whoami", ROTA_SCOPE_NONE, handle_whoami },
};

/* Responses */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  gsize length = 0;
  char *text = rota_json_to_string (node, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, text, length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *field,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "field");
  if (field != NULL)
    json_builder_add_string_value (builder, field);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  respond_json (msg, status, node);
}

/* Handlers */

static void
handle_capabilities (Request *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, "rota-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_int_value (builder, 3);
  /* The Rota extensions this server has so far (data/openapi.yaml lists
   * the names); clients use what is named here and nothing else. */
  json_builder_set_member_name (builder, "features");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "maxBodyBytes");
  json_builder_add_int_value (builder, MAX_BODY_SIZE);
  json_builder_set_member_name (builder, "maxJsonDepth");
  json_builder_add_int_value (builder, ROTA_JSON_MAX_DEPTH);
  json_builder_set_member_name (builder, "pageSize");
  json_builder_add_int_value (builder, PAGE_SIZE);
  json_builder_set_member_name (builder, "maxChangesLimit");
  json_builder_add_int_value (builder, MAX_CHANGES_LIMIT);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  respond_json (request->msg, SOUP_STATUS_OK, node);
}

static void
handle_whoami (Request *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *scopes = rota_scopes_to_string (request->scopes);
  g_auto(GStrv) scope_list = g_strsplit (scopes, " ", -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, request->token_name);
  json_builder_set_member_name (builder, "tenant");
  json_builder_add_string_value (builder, request->tenant);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; scope_list[i] != NULL; i++)
    if (*scope_list[i] != '\0')
      json_builder_add_string_value (builder, scope_list[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  respond_json (request->msg, SOUP_STATUS_OK, node);
}

/* Rate limit */

/* Takes one request from the token's bucket. Returns 0 if allowed, or
 * the seconds to wait before the next request would be. */
static guint
rate_limit_take (RotaServer *self,
                 const char *token_id)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  if (self->rate <= 0)
    return 0;

  bucket = g_hash_table_lookup (self->buckets, token_id);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->last_us = now;
      g_hash_table_insert (self->buckets, g_strdup (token_id), bucket);
    }

  bucket->tokens = MIN (self->burst, bucket->tokens + (now - bucket->last_us) / (double) G_USEC_PER_SEC * self->rate);
  bucket->last_us = now;

  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return 0;
    }

  return (guint) MAX (1.0, (1.0 - bucket->tokens) / self->rate + 0.999);
}

/* Dispatch */

/* Matches "/api/planning/v3/shifts/{id}" style patterns; one parameter at
 * most, returned in *param. */
static gboolean
route_matches (const char  *pattern,
               const char  *path,
               char       **param)
{
  const char *brace = strchr (pattern, '{');
  gsize prefix;
  const char *rest;
  const char *close;
  const char *end;

  if (brace == NULL)
    return g_str_equal (pattern, path);

  prefix = brace - pattern;
  if (strncmp (pattern, path, prefix) != 0)
    return FALSE;

  close = strchr (brace, '}');
  rest = close + 1;
  end = strchr (path + prefix, '/');
  if (end == NULL)
    end = path + strlen (path);
  if (end == path + prefix || !g_str_equal (end, rest))
    return FALSE;

  *param = g_strndup (path + prefix, end - (path + prefix));
  return TRUE;
}

static const char *
token_from_header (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Token ", 6) != 0)
    return NULL;

  return header + 6;
}

static void
dispatch (RotaServer        *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  Request request = { self, msg, query, NULL, NULL, ROTA_SCOPE_NONE, NULL };
  g_autofree char *tenant = NULL;
  g_autofree char *token_name = NULL;
  g_autofree char *token_id = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *secret;
  const char *slash;
  const Route *route = NULL;
  gboolean path_known = FALSE;

  /* /{tenant}/rest */
  slash = path[0] == '/' ? strchr (path + 1, '/') : NULL;
  if (slash == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing here");
      return;
    }

  secret = token_from_header (msg);
  if (secret == NULL ||
      !rota_server_registry_authenticate (self->registry, secret, &tenant, &token_name,
                                          &token_id, &request.scopes))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Token");
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                     "Send a valid API token in the header “Authorization: Token <key>”");
      return;
    }

  {
    guint wait = rate_limit_take (self, token_id);

    if (wait > 0)
      {
        g_autofree char *seconds = g_strdup_printf ("%u", wait);

        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", seconds);
        respond_error (msg, 429 /* Too Many Requests; libsoup 3.2 has no name for it */, "rate_limited", NULL,
                       "Too many requests with this token; wait as long as Retry-After says");
        return;
      }
  }

  /* Another tenant's path looks exactly like one that does not exist. */
  if (strncmp (path + 1, tenant, slash - path - 1) != 0 || tenant[slash - path - 1] != '\0')
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing here");
      return;
    }

  request.tenant = tenant;
  request.token_name = token_name;

  for (guint i = 0; i < G_N_ELEMENTS (routes) && route == NULL; i++)
    {
      g_autofree char *param = NULL;

      if (!route_matches (routes[i].pattern, slash, &param))
        continue;
      path_known = TRUE;
      if (g_str_equal (routes[i].method, method))
        {
          route = &routes[i];
          request.param = g_steal_pointer (&param);
        }
    }

  if (route == NULL)
    {
      if (path_known)
        respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL,
                       "This path does not take that method");
      else
        respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing here");
      return;
    }

  if (route->scopes != ROTA_SCOPE_NONE && (request.scopes & route->scopes) == 0)
    {
      g_autofree char *needed = rota_scopes_to_string (route->scopes);
      g_autofree char *message = g_strdup_printf ("This token may not do this; it needs one of: %s", needed);

      respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL, message);
      g_free (request.param);
      return;
    }

  route->handler (&request);
  g_free (request.param);
}

static void
server_callback (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  RotaServer *self = user_data;
  gint64 started = g_get_monotonic_time ();
  const char *method = soup_server_message_get_method (msg);
  guint status;

  dispatch (self, msg, path, query);

  /* One line per request: no query string, headers or body, so that no
   * token or personal data ends up in a log (reliability.md X7). */
  status = soup_server_message_get_status (msg);
  g_message ("%s %s %u %.1f ms", method, path, status,
             (g_get_monotonic_time () - started) / 1000.0);
}

/* Refuses a body over the cap as soon as its headers say so, before it
 * is read. */
static void
early_callback (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  if (length > MAX_BODY_SIZE)
    respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", NULL,
                   "The request body is larger than 1 MiB");
}

static void
request_started_cb (RotaServer        *self,
                    SoupServerMessage *msg)
{
  self->n_active++;
}

static void
request_done_cb (RotaServer        *self,
                 SoupServerMessage *msg)
{
  g_assert (self->n_active > 0);
  self->n_active--;
}

static void
rota_server_finalize (GObject *object)
{
  RotaServer *self = (RotaServer *)object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_object (&self->certificate);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (rota_server_parent_class)->finalize (object);
}

static void
rota_server_class_init (RotaServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rota_server_finalize;
}

static void
rota_server_init (RotaServer *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rota_server_set_rate_limit (self, ROTA_SERVER_DEFAULT_RATE);
}

/**
 * rota_server_new:
 * @registry: the tenants and tokens
 * @certificate: (nullable): the TLS certificate with its key, or %NULL to
 *   serve plain HTTP (loopback only)
 *
 * Returns: (transfer full): a new server, not listening yet
 */
RotaServer *
rota_server_new (RotaServerRegistry *registry,
                 GTlsCertificate    *certificate)
{
  RotaServer *self;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (registry), NULL);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (ROTA_TYPE_SERVER, NULL);
  self->registry = g_object_ref (registry);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->soup = soup_server_new ("server-header", "rota-server", NULL);

  if (certificate != NULL)
    soup_server_set_tls_certificate (self->soup, certificate);

  soup_server_add_early_handler (self->soup, NULL, early_callback, self, NULL);
  soup_server_add_handler (self->soup, NULL, server_callback, self, NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_done_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_done_cb),
                           self, G_CONNECT_SWAPPED);

  return self;
}

/**
 * rota_server_listen:
 * @self: a server
 * @address: an IP address to listen on
 * @port: a port, or 0 for any free one
 * @error: a location for a #GError
 *
 * Plain HTTP (a server without a certificate) is refused on any address
 * but a loopback one: tokens must never cross a network unencrypted.
 *
 * Returns: %TRUE if listening
 */
gboolean
rota_server_listen (RotaServer  *self,
                    const char  *address,
                    guint        port,
                    GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (ROTA_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", address);
      return FALSE;
    }

  if (self->certificate == NULL && !g_inet_address_get_is_loopback (inet))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "Plain HTTP is only served on a loopback address, not on %s; "
                   "give a certificate and key to serve HTTPS", address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet, port);

  return soup_server_listen (self->soup, socket_address,
                             self->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

/**
 * rota_server_set_rate_limit:
 * @self: a server
 * @per_second: requests a second allowed per token on average; 0 for no limit
 *
 * A token may burst to three seconds' worth of requests; past that it gets
 * 429 with Retry-After.
 */
void
rota_server_set_rate_limit (RotaServer *self,
                            double      per_second)
{
  g_return_if_fail (ROTA_IS_SERVER (self));
  g_return_if_fail (per_second >= 0);

  self->rate = per_second;
  self->burst = MAX (1.0, per_second * 3);
  g_hash_table_remove_all (self->buckets);
}

/**
 * rota_server_get_uri:
 * @self: a server
 *
 * Returns: (transfer full) (nullable): the URI of the first listener
 */
char *
rota_server_get_uri (RotaServer *self)
{
  GSList *uris;
  char *text = NULL;

  g_return_val_if_fail (ROTA_IS_SERVER (self), NULL);

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    text = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return text;
}

guint
rota_server_get_n_active (RotaServer *self)
{
  g_return_val_if_fail (ROTA_IS_SERVER (self), 0);

  return self->n_active;
}

/**
 * rota_server_stop_listening:
 * @self: a server
 *
 * Closes the listening sockets, so that no new connection comes in, and
 * leaves requests in flight to finish.
 */
void
rota_server_stop_listening (RotaServer *self)
{
  GSList *listeners;

  g_return_if_fail (ROTA_IS_SERVER (self));

  listeners = soup_server_get_listeners (self->soup);
  for (GSList *l = listeners; l != NULL; l = l->next)
    g_socket_close (l->data, NULL);
  g_slist_free (listeners);
}

/**
 * rota_server_list_routes:
 *
 * Returns: (transfer full): "METHOD /path" for every route, to compare
 *   with data/openapi.yaml
 */
GStrv
rota_server_list_routes (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *route = g_strdup_printf ("%s /{tenant}%s", routes[i].method, routes[i].pattern);

      g_strv_builder_add (builder, route);
    }

  return g_strv_builder_end (builder);
}
