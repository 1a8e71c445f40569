/* rota-client.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The HTTP side of talking to a Rota or Dyflexis server: one tenant's base
 * address and token, TLS 1.2 or newer checked here on every connection
 * (not only by GnuTLS's priority string), the system's trust plus an
 * optional CA file for a self-hosted server, and responses refused before
 * json-glib sees them when they are too large, not JSON, or too deep.
 *
 * Calls block: run them on a worker thread in a UI. A client is used
 * from one thread at a time.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rota-client.h"
#include "rota-codec.h"

struct _RotaClient
{
  GObject       parent_instance;

  char         *server;     /* base address, ending in "/" */
  char         *tenant;
  char         *token;
  SoupSession  *session;
  GTlsDatabase *extra_ca;   /* nullable: trusted besides the system's */

  /* What rota_client_connect() learnt. */
  RotaClientProfile  profile;
  char             **features;
  char             **scopes;
  char              *token_name;

  /* The server's clock by the Date header of its last answer that had
   * one (reliability.md T1), under @time_lock: requests run on any
   * thread. */
  GMutex             time_lock;
  gboolean           has_server_time;
  gint64             server_offset_ms;
  gint64             server_time_real_us;
  gint64             server_time_monotonic_us;
};

G_DEFINE_FINAL_TYPE (RotaClient, rota_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (rota-client-error-quark, rota_client_error)

/* What one request saw of its connection. */
typedef struct
{
  RotaClient   *client;
  GCancellable *cancellable;
  gboolean      old_tls;
  char         *host;
  GTlsCertificateFlags certificate_errors;   /* what verification found */
} RequestState;

static void
rota_client_finalize (GObject *object)
{
  RotaClient *self = ROTA_CLIENT (object);

  g_free (self->server);
  g_free (self->tenant);
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->extra_ca);
  g_strfreev (self->features);
  g_strfreev (self->scopes);
  g_free (self->token_name);
  g_mutex_clear (&self->time_lock);

  G_OBJECT_CLASS (rota_client_parent_class)->finalize (object);
}

static void
rota_client_class_init (RotaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rota_client_finalize;
}

static void
rota_client_init (RotaClient *self)
{
  g_mutex_init (&self->time_lock);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Safe as one path segment. Looser than rota-server's slug rule on
 * purpose (no minimum length, no reserved names): a plain Dyflexis
 * server names its tenants itself. */
static gboolean
tenant_is_valid (const char *tenant)
{
  if (tenant == NULL || *tenant == '\0' || strlen (tenant) > 63)
    return FALSE;

  for (const char *p = tenant; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;

  return TRUE;
}

/**
 * rota_client_new:
 * @server: the server's address, such as `https://rota.example.org/`
 * @tenant: the tenant, as in the server's paths
 * @token: the API token
 * @ca_file: (nullable): a PEM file of CAs to trust besides the system's,
 *   for a self-hosted server
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): a client, or %NULL when @server is
 *   not an https:// address (or http:// to loopback), or @ca_file cannot
 *   be read
 */
RotaClient *
rota_client_new (const char  *server,
                 const char  *tenant,
                 const char  *token,
                 const char  *ca_file,
                 GError     **error)
{
  g_autoptr(RotaClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *user_agent = NULL;
  const char *scheme;
  const char *host;
  const char *path;

  g_return_val_if_fail (server != NULL, NULL);

  uri = g_uri_parse (server, G_URI_FLAGS_NONE, &local_error);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_INVALID_URL,
                   _("“%s” is not a server address; give one like https://rota.example.org/"), server);
      return NULL;
    }

  if (g_strcmp0 (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_INSECURE,
                   _("Refusing plain http:// to %s: the token and your data would travel unencrypted. "
                     "Use https://"), host);
      return NULL;
    }

  if (!tenant_is_valid (tenant))
    {
      g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_INVALID_URL,
                   _("“%s” is not a tenant name (lower-case letters, digits and “-”)"), tenant ? tenant : "");
      return NULL;
    }

  if (token == NULL || *token == '\0' || strpbrk (token, " \t\r\n") != NULL)
    {
      g_set_error_literal (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_UNAUTHORIZED,
                           _("The API token is empty or has spaces or line breaks in it"));
      return NULL;
    }

  self = g_object_new (ROTA_TYPE_CLIENT, NULL);
  path = g_uri_get_path (uri);
  self->server = g_str_has_suffix (path, "/") ? g_uri_to_string (uri) : g_strconcat (server, "/", NULL);
  self->tenant = g_strdup (tenant);
  self->token = g_strdup (token);

  if (ca_file != NULL)
    {
      /* GTlsFileDatabase wants an absolute path (a relative one gives an
       * empty database). */
      g_autofree char *absolute = g_canonicalize_filename (ca_file, NULL);

      self->extra_ca = g_tls_file_database_new (absolute, &local_error);
      if (self->extra_ca == NULL)
        {
          g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS,
                       _("Cannot read the CA file %s: %s"), ca_file, local_error->message);
          return NULL;
        }
    }

  user_agent = g_strdup_printf ("Rota/%s", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "idle-timeout", 60,
                                                 "user-agent", user_agent,
                                                 NULL);

  return g_steal_pointer (&self);
}

const char *
rota_client_get_server (RotaClient *self)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), NULL);

  return self->server;
}

const char *
rota_client_get_tenant (RotaClient *self)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), NULL);

  return self->tenant;
}

/* TLS 1.0 and 1.1 are refused on every connection, whatever GnuTLS's
 * priority string let through. */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  RequestState       *state)
{
  GTlsProtocolVersion version;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKED || !G_IS_TLS_CONNECTION (connection))
    return;

  version = g_tls_connection_get_protocol_version (G_TLS_CONNECTION (connection));
  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_1)
    {
      state->old_tls = TRUE;
      g_cancellable_cancel (state->cancellable);
    }
}

/* The same check when a kept-alive connection is reused, which does not
 * handshake again: "starting" comes before the request is written. */
static void
starting_cb (SoupMessage  *msg,
             RequestState *state)
{
  GTlsProtocolVersion version = soup_message_get_tls_protocol_version (msg);

  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_1)
    {
      state->old_tls = TRUE;
      g_cancellable_cancel (state->cancellable);
    }
}

/* A certificate the system does not trust may still chain to the CA file
 * given for a self-hosted server; nothing else is let through. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       RequestState         *state)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags verified;

  state->certificate_errors = errors;

  if (state->client->extra_ca == NULL || errors != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return FALSE;

  identity = g_network_address_new (state->host, 443);
  verified = g_tls_database_verify_chain (state->client->extra_ca, certificate,
                                          G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                          NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);

  return verified == G_TLS_CERTIFICATE_NO_FLAGS;
}

static void
forward_cancel (GCancellable *caller,
                GCancellable *request)
{
  g_cancellable_cancel (request);
}

static void
set_send_error (GError       **error,
                RequestState  *state,
                GError        *cause,
                GCancellable  *caller_cancellable)
{
  if (state->old_tls)
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS,
                 _("%s offers only TLS 1.1 or older, which Rota refuses. The server needs TLS 1.2 or newer"),
                 state->host);
  else if (cause->domain == G_TLS_ERROR && (state->certificate_errors & G_TLS_CERTIFICATE_EXPIRED))
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS,
                 _("The certificate of %s has expired; its administrator needs to renew it"), state->host);
  else if (cause->domain == G_TLS_ERROR && (state->certificate_errors & G_TLS_CERTIFICATE_NOT_ACTIVATED))
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS,
                 _("The certificate of %s is not valid yet; check this computer's date and time"), state->host);
  else if (cause->domain == G_TLS_ERROR && (state->certificate_errors & G_TLS_CERTIFICATE_BAD_IDENTITY))
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS,
                 _("The certificate of %s is made out to another host name; check the server address"),
                 state->host);
  else if (cause->domain == G_TLS_ERROR && (state->certificate_errors & G_TLS_CERTIFICATE_UNKNOWN_CA))
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS,
                 _("The certificate of %s is not signed by an authority this computer trusts (it may be "
                   "self-signed). If it is your own server, give its CA file when adding the account"),
                 state->host);
  else if (cause->domain == G_TLS_ERROR)
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_TLS,
                 _("The secure connection to %s was refused: %s. If it is your own server with its own CA, "
                   "give that CA file when adding the account"), state->host, cause->message);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           g_cancellable_is_cancelled (caller_cancellable))
    g_propagate_error (error, g_error_copy (cause));
  else
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_OFFLINE,
                 _("Cannot reach %s: %s"), state->host, cause->message);
}

/* The server's {"error": {"message"}} when it sent one. */
static char *
server_message (GBytes *body)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (body == NULL)
    return NULL;

  node = rota_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 64 * 1024, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (!json_object_has_member (object, "error") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    return NULL;
  object = json_object_get_object_member (object, "error");
  if (!json_object_has_member (object, "message") ||
      json_node_get_value_type (json_object_get_member (object, "message")) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_object_get_string_member (object, "message"));
}

static GBytes *
read_body (GInputStream  *stream,
           goffset        declared,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[16 * 1024];

  if (declared > ROTA_CLIENT_MAX_RESPONSE)
    {
      g_autofree char *size = g_format_size ((guint64) declared);

      g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                   _("The server's answer is too large (%s); refused"), size);
      return NULL;
    }

  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buffer->len + (gsize) n > ROTA_CLIENT_MAX_RESPONSE)
        {
          g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                       _("The server's answer is larger than %d MiB; refused"),
                       ROTA_CLIENT_MAX_RESPONSE / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint) n);
    }

  /* The connection ended early: a cut, not an answer (libsoup 3.2 ends
   * the stream quietly when a body stops short of its Content-Length). */
  if (declared >= 0 && buffer->len != (guint64) declared)
    {
      g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) declared);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   _("The connection ended after %u of %s bytes"), buffer->len, expected);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* Retry-After: seconds, or an HTTP date. Returns -1 when absent or bad. */
static gint64
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds;
  char *end;

  if (value == NULL)
    return -1;

  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0')
    return seconds >= 0 ? seconds : -1;

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();

  return MAX (0, g_date_time_difference (when, now) / G_USEC_PER_SEC);
}

/* Sleeps @us unless @cancellable fires first. */
static gboolean
wait_for (gint64         us,
          GCancellable  *cancellable,
          GError       **error)
{
  gint64 until = g_get_monotonic_time () + us;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (100 * 1000, until - g_get_monotonic_time () + 1));
    }

  return TRUE;
}

/* libsoup sends an idempotent request (a PUT, a DELETE) again by itself
 * when a kept-alive connection closes under it, but libsoup 3.2 sends the
 * consumed body stream, that is nothing, the second time. The body is
 * set anew for every send. */
static void
restarted_cb (SoupMessage *msg,
              GBytes      *body)
{
  const char *content_type = soup_message_headers_get_content_type (soup_message_get_request_headers (msg), NULL);

  soup_message_set_request_body_from_bytes (msg, content_type != NULL ? content_type : "application/json", body);
}

/* Notes the server's time from the Date header of an answer that just
 * arrived. The header has whole seconds, cut off, so the server's clock
 * read between that second and the next: half a second is added, which
 * makes the offset of two clocks that agree 0 ± 0.5 s. */
static void
note_server_time (RotaClient  *self,
                  SoupMessage *msg)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  g_autoptr(GDateTime) server = NULL;
  gint64 real_us = g_get_real_time ();
  gint64 monotonic_us = g_get_monotonic_time ();

  if (date == NULL || (server = soup_date_time_new_from_http_string (date)) == NULL)
    return;

  g_mutex_lock (&self->time_lock);
  self->has_server_time = TRUE;
  self->server_offset_ms = g_date_time_to_unix (server) * 1000 + 500 - real_us / 1000;
  self->server_time_real_us = real_us;
  self->server_time_monotonic_us = monotonic_us;
  g_mutex_unlock (&self->time_lock);
}

/* One request: @method on @url with @body (JSON) and the preconditions
 * of @request. *retry_after gets the seconds the server asked to wait
 * (Retry-After), or -1; *error_body the JSON of an error answer, when it
 * had one. Returns the body of a 2xx answer: JSON by its content type,
 * not parsed; empty for a write answered without one. */
static GBytes *
send_once (RotaClient         *self,
           const char         *method,
           const char         *url,
           GBytes             *request_body,
           const char         *idempotency_key,
           gint64              if_match,
           guint              *status,
           gint64             *retry_after,
           JsonNode          **error_body,
           GCancellable       *cancellable,
           GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GCancellable) request_cancellable = g_cancellable_new ();
  g_autofree char *authorization = NULL;
  g_autofree char *message = NULL;
  RequestState state = { self, request_cancellable, FALSE, NULL, 0 };
  SoupMessageHeaders *headers;
  const char *content_type;
  gulong forward = 0;
  guint code;

  *status = 0;
  *retry_after = -1;

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_INVALID_URL, _("“%s” is not a valid address"), url);
      return NULL;
    }
  state.host = g_strdup (g_uri_get_host (soup_message_get_uri (msg)));
  headers = soup_message_get_request_headers (msg);

  authorization = g_strconcat ("Token ", self->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  memset (authorization, 0, strlen (authorization));

  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (if_match == 0)
    soup_message_headers_replace (headers, "If-None-Match", "*");
  else if (if_match > 0)
    {
      char version[32];

      g_snprintf (version, sizeof version, "\"%" G_GINT64_FORMAT "\"", if_match);
      soup_message_headers_replace (headers, "If-Match", version);
    }
  if (request_body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
      g_signal_connect_data (msg, "restarted", G_CALLBACK (restarted_cb), g_bytes_ref (request_body),
                             (GClosureNotify) (void (*) (void)) g_bytes_unref, 0);
    }

  /* A redirect could take the token to another host, past the checks
   * below; Rota and Dyflexis servers do not redirect API calls. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), &state);
  g_signal_connect (msg, "starting", G_CALLBACK (starting_cb), &state);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), &state);
  if (cancellable != NULL)
    forward = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel),
                                     g_object_ref (request_cancellable), g_object_unref);

  stream = soup_session_send (self->session, msg, request_cancellable, &local_error);
  if (stream != NULL)
    {
      goffset declared = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));

      note_server_time (self, msg);

      body = read_body (stream, declared, request_cancellable, &local_error);
    }
  if (forward != 0)
    g_cancellable_disconnect (cancellable, forward);

  if (stream == NULL || (body == NULL && local_error != NULL && local_error->domain != ROTA_CLIENT_ERROR))
    {
      set_send_error (error, &state, local_error, cancellable);
      g_free (state.host);
      return NULL;
    }
  g_free (state.host);

  if (body == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  code = soup_message_get_status (msg);
  *status = code;
  *retry_after = parse_retry_after (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                  "Retry-After"));

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  if (code < 200 || code > 299)
    {
      if (g_strcmp0 (content_type, "application/json") == 0)
        {
          message = server_message (body);
          if (error_body != NULL)
            *error_body = rota_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                           ROTA_CLIENT_MAX_RESPONSE, NULL);
        }
      g_set_error (error, ROTA_CLIENT_ERROR,
                   code == 401 || code == 403 ? ROTA_CLIENT_ERROR_UNAUTHORIZED : ROTA_CLIENT_ERROR_HTTP,
                   _("The server answered %u %s: %s"), code, soup_status_get_phrase (code),
                   message != NULL ? message : _("no explanation given"));
      return NULL;
    }

  if (g_bytes_get_size (body) == 0 && g_strcmp0 (method, "GET") != 0)
    return g_steal_pointer (&body);

  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                   _("The server answered with %s instead of JSON; is the address right?"),
                   content_type != NULL ? content_type : _("no content type"));
      return NULL;
    }

  return g_steal_pointer (&body);
}

/* send_once() with its retries; see rota_client_send(). */
static GBytes *
send_with_retries (RotaClient    *self,
                   const char    *method,
                   const char    *path,
                   const char    *body,
                   const char    *idempotency_key,
                   gint64         if_match,
                   guint         *status,
                   JsonNode     **error_body,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GBytes) request_body = NULL;
  gboolean may_retry;
  guint code = 0;

  if (status != NULL)
    *status = 0;
  if (error_body != NULL)
    *error_body = NULL;

  if (g_str_has_prefix (path, "https://") || g_str_has_prefix (path, "http://"))
    {
      if (!g_str_has_prefix (path, self->server))
        {
          g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                       _("The server pointed to %s, which is not under %s; refused"), path, self->server);
          return NULL;
        }
      url = g_strdup (path);
    }
  else
    url = g_strconcat (self->server, self->tenant, "/", path, NULL);

  if (body != NULL)
    request_body = g_bytes_new (body, strlen (body));

  may_retry = g_str_equal (method, "GET") || idempotency_key != NULL ||
              if_match != ROTA_CLIENT_NO_PRECONDITION;

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) answer = NULL;
      gint64 retry_after = -1;
      gint64 wait_us;
      GBytes *bytes = send_once (self, method, url, request_body, idempotency_key, if_match,
                                 &code, &retry_after, &answer, cancellable, &local_error);
      gboolean transient = g_error_matches (local_error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_OFFLINE) ||
                           (local_error != NULL && (code == 429 || code == 502 || code == 503 || code == 504 ||
                                                    (code == 409 && retry_after >= 0)));

      if (status != NULL)
        *status = code;

      if (bytes != NULL || !transient || !may_retry || attempt >= ROTA_CLIENT_MAX_ATTEMPTS ||
          retry_after > ROTA_CLIENT_MAX_WAIT)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          if (error_body != NULL)
            *error_body = g_steal_pointer (&answer);
          return bytes;
        }

      if (retry_after >= 0)
        wait_us = retry_after * G_USEC_PER_SEC;
      else
        wait_us = g_random_int_range (0, (gint32) MIN (ROTA_CLIENT_MAX_WAIT * G_USEC_PER_SEC,
                                                      (G_USEC_PER_SEC / 2) << (attempt - 1)) + 1);

      g_debug ("%s %s: %s; try %u of %u in %.1f s", method, url, local_error->message, attempt + 1,
               ROTA_CLIENT_MAX_ATTEMPTS, wait_us / (double) G_USEC_PER_SEC);

      if (!wait_for (wait_us, cancellable, error))
        return NULL;
    }
}

/**
 * rota_client_send:
 * @self: a client
 * @method: `GET`, `PUT`, `POST` or `DELETE`
 * @path: below the tenant, such as `api/v3/whoami` (with its query), or an
 *   absolute URL on the same server (a `_links.next.href`)
 * @body: (nullable): the request's JSON
 * @idempotency_key: (nullable): sent as Idempotency-Key, the same on every try
 * @if_match: the version for If-Match; 0 sends If-None-Match: * instead,
 *   and %ROTA_CLIENT_NO_PRECONDITION neither
 * @status: (out) (optional): the last HTTP status, 0 when there was none
 * @error_body: (out) (optional) (nullable): the JSON of an error answer,
 *   such as the current record with a 412
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Sends a request with the token and reads a JSON answer. When the server
 * is unreachable or answers 429, 502, 503 or 504 (or 409 with a
 * Retry-After: the same key is still being answered), tries again up to
 * %ROTA_CLIENT_MAX_ATTEMPTS times in all: after the Retry-After the server
 * gave, or else after an exponential back-off with full jitter (0.5 s
 * doubling, at most %ROTA_CLIENT_MAX_WAIT s). A Retry-After longer than
 * that ends the tries at once. A write is only retried with an
 * idempotency key or a precondition, which make a second arrival harmless.
 *
 * Returns: (transfer full) (nullable): the JSON of a 2xx answer (a JSON
 *   null when it had no body)
 */
JsonNode *
rota_client_send (RotaClient    *self,
                  const char    *method,
                  const char    *path,
                  const char    *body,
                  const char    *idempotency_key,
                  gint64         if_match,
                  guint         *status,
                  JsonNode     **error_body,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *node;

  g_return_val_if_fail (ROTA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL && *path != '/', NULL);

  bytes = send_with_retries (self, method, path, body, idempotency_key, if_match, status, error_body,
                             cancellable, error);
  if (bytes == NULL)
    return NULL;

  if (g_bytes_get_size (bytes) == 0 && !g_str_equal (method, "GET"))
    return json_node_new (JSON_NODE_NULL);

  node = rota_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                          ROTA_CLIENT_MAX_RESPONSE, &local_error);
  if (node == NULL)
    g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                 _("The server's answer is not valid JSON: %s"), local_error->message);

  return node;
}

/**
 * rota_client_get_bytes:
 * @self: a client
 * @path: as for rota_client_get()
 * @status: (out) (optional): the last HTTP status, 0 when there was none
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * A GET with its retries, like rota_client_get(), that leaves the answer
 * as text: JSON by its content type and at most %ROTA_CLIENT_MAX_RESPONSE
 * bytes, but not parsed. For large answers read with a #RotaJsonReader;
 * run rota_json_check() on them first.
 *
 * Returns: (transfer full) (nullable): the body of a 2xx answer
 */
GBytes *
rota_client_get_bytes (RotaClient    *self,
                       const char    *path,
                       guint         *status,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL && *path != '/', NULL);

  return send_with_retries (self, "GET", path, NULL, NULL, ROTA_CLIENT_NO_PRECONDITION, status, NULL,
                            cancellable, error);
}

/**
 * rota_client_get:
 * @self: a client
 * @path: below the tenant, such as `api/v3/whoami` (with its query), or an
 *   absolute URL on the same server (a `_links.next.href`)
 * @status: (out) (optional): the last HTTP status, 0 when there was none
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * rota_client_send() of a GET, with its retries.
 *
 * Returns: (transfer full) (nullable): the JSON of a 2xx answer
 */
JsonNode *
rota_client_get (RotaClient    *self,
                 const char    *path,
                 guint         *status,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return rota_client_send (self, "GET", path, NULL, NULL, ROTA_CLIENT_NO_PRECONDITION,
                           status, NULL, cancellable, error);
}

/**
 * rota_client_get_pages:
 * @self: a client
 * @path: the first page's path below the tenant, as for rota_client_get()
 * @member: the member of each page that holds its list, such as `employees`
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Reads every page of a Dyflexis-style list, following each page's
 * `_links.next.href` (which must stay on this server) until a page has
 * none, and checks that the pages agree on `pageCount`.
 *
 * Returns: (transfer full) (nullable): the lists of all pages, in order
 */
JsonArray *
rota_client_get_pages (RotaClient    *self,
                       const char    *path,
                       const char    *member,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(JsonArray) all = json_array_new ();
  g_autofree char *next = g_strdup (path);
  gint64 page_count = -1;

  g_return_val_if_fail (ROTA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (member != NULL, NULL);

  for (guint page = 1; next != NULL; page++)
    {
      g_autoptr(JsonNode) node = rota_client_get (self, next, NULL, cancellable, error);
      JsonObject *object;
      JsonNode *list;
      JsonNode *count;
      JsonNode *links;

      if (node == NULL)
        return NULL;

      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      list = object != NULL ? json_object_get_member (object, member) : NULL;
      count = object != NULL ? json_object_get_member (object, "pageCount") : NULL;
      if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) ||
          count == NULL || json_node_get_value_type (count) != G_TYPE_INT64 ||
          json_node_get_int (count) < 1 || (page_count >= 0 && json_node_get_int (count) != page_count) ||
          page > json_node_get_int (count) || page > ROTA_CLIENT_MAX_PAGES)
        {
          g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                       _("Page %u of %s is not a page of “%s” with a page count that agrees with the others"),
                       page, path, member);
          return NULL;
        }
      page_count = json_node_get_int (count);

      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        json_array_add_element (all, json_node_ref (json_array_get_element (json_node_get_array (list), i)));

      g_clear_pointer (&next, g_free);
      links = json_object_get_member (object, "_links");
      if (links != NULL && JSON_NODE_HOLDS_OBJECT (links) &&
          json_object_has_member (json_node_get_object (links), "next"))
        {
          JsonNode *link = json_object_get_member (json_node_get_object (links), "next");
          JsonNode *href = JSON_NODE_HOLDS_OBJECT (link) ? json_object_get_member (json_node_get_object (link), "href")
                                                         : NULL;

          if (href == NULL || json_node_get_value_type (href) != G_TYPE_STRING)
            {
              g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                           _("Page %u of %s has a next link without an address"), page, path);
              return NULL;
            }
          next = g_strdup (json_node_get_string (href));
        }
      else if (page < page_count)
        {
          g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                       _("Page %u of %s has no link to the next of its %u pages"),
                       page, path, (guint) MIN (page_count, G_MAXUINT));
          return NULL;
        }
    }

  return g_steal_pointer (&all);
}

/* The strings of @member of @object, or NULL when it is not an array of
 * strings. */
static char **
string_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

/**
 * rota_client_connect:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Learns what the server is and what the token may do: `capabilities`
 * (a 404 means a plain Dyflexis server), then `whoami`, whose tenant must
 * be this client's. A plain Dyflexis server has no whoami; the token is
 * checked with a read of the employees instead.
 *
 * Returns: %TRUE when the server answered and accepted the token
 */
gboolean
rota_client_connect (RotaClient    *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(JsonNode) capabilities = NULL;
  g_autoptr(JsonNode) whoami = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) features = NULL;
  g_auto(GStrv) scopes = NULL;
  JsonObject *who;
  guint status = 0;

  g_return_val_if_fail (ROTA_IS_CLIENT (self), FALSE);

  capabilities = rota_client_get (self, "api/v3/capabilities", &status, cancellable, &local_error);
  if (capabilities == NULL && status == 404)
    {
      g_autoptr(JsonNode) probe = NULL;

      g_clear_error (&local_error);
      probe = rota_client_get (self, "api/business/v3/employees?page=1", NULL, cancellable, error);
      if (probe == NULL)
        return FALSE;

      self->profile = ROTA_CLIENT_PROFILE_DYFLEXIS;
      g_clear_pointer (&self->features, g_strfreev);
      g_clear_pointer (&self->scopes, g_strfreev);
      g_clear_pointer (&self->token_name, g_free);
      return TRUE;
    }
  if (capabilities == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  features = JSON_NODE_HOLDS_OBJECT (capabilities) ? string_array (json_node_get_object (capabilities), "features")
                                                   : NULL;
  if (features == NULL)
    {
      g_set_error_literal (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                           _("The server's capabilities have no list of features"));
      return FALSE;
    }

  whoami = rota_client_get (self, "api/v3/whoami", NULL, cancellable, error);
  if (whoami == NULL)
    return FALSE;

  who = JSON_NODE_HOLDS_OBJECT (whoami) ? json_node_get_object (whoami) : NULL;
  scopes = who != NULL ? string_array (who, "scopes") : NULL;
  if (who == NULL || scopes == NULL || !json_object_has_member (who, "tenant") ||
      json_node_get_value_type (json_object_get_member (who, "tenant")) != G_TYPE_STRING)
    {
      g_set_error_literal (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                           _("The server's whoami has no tenant or scopes"));
      return FALSE;
    }
  if (g_strcmp0 (json_object_get_string_member (who, "tenant"), self->tenant) != 0)
    {
      g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_UNAUTHORIZED,
                   _("The server says this token is not one of the tenant %s"), self->tenant);
      return FALSE;
    }

  self->profile = ROTA_CLIENT_PROFILE_ROTA;
  g_strfreev (self->features);
  self->features = g_steal_pointer (&features);
  g_strfreev (self->scopes);
  self->scopes = g_steal_pointer (&scopes);
  g_free (self->token_name);
  self->token_name = json_object_has_member (who, "name") &&
                     json_node_get_value_type (json_object_get_member (who, "name")) == G_TYPE_STRING
                     ? g_strdup (json_object_get_string_member (who, "name")) : NULL;

  return TRUE;
}

RotaClientProfile
rota_client_get_profile (RotaClient *self)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), ROTA_CLIENT_PROFILE_UNKNOWN);

  return self->profile;
}

/* Whether the server listed @feature in its capabilities. */
gboolean
rota_client_has_feature (RotaClient *self,
                         const char *feature)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), FALSE);

  return self->features != NULL && g_strv_contains ((const char * const *) self->features, feature);
}

/* Whether the token has @scope, by whoami. */
gboolean
rota_client_has_scope (RotaClient *self,
                       const char *scope)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), FALSE);

  return self->scopes != NULL && g_strv_contains ((const char * const *) self->scopes, scope);
}

/* The token's scopes by whoami, or NULL (not connected, or a plain
 * Dyflexis server). */
const char * const *
rota_client_get_scopes (RotaClient *self)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), NULL);

  return (const char * const *) self->scopes;
}

/* The token's name by whoami, or NULL. */
const char *
rota_client_get_token_name (RotaClient *self)
{
  g_return_val_if_fail (ROTA_IS_CLIENT (self), NULL);

  return self->token_name;
}

/**
 * rota_client_get_server_time:
 * @self: a client
 * @offset_ms: (out) (optional): the server's clock minus this machine's
 *   wall clock, in milliseconds
 * @real_us: (out) (optional): this machine's wall clock
 *   (g_get_real_time()) when the answer came
 * @monotonic_us: (out) (optional): its monotonic clock
 *   (g_get_monotonic_time()) then
 *
 * The server's time by the HTTP Date header of the last answer that had
 * one, any status: a server that answers is reached.
 *
 * Returns: %TRUE when an answer had a Date header
 */
gboolean
rota_client_get_server_time (RotaClient *self,
                             gint64     *offset_ms,
                             gint64     *real_us,
                             gint64     *monotonic_us)
{
  gboolean known;

  g_return_val_if_fail (ROTA_IS_CLIENT (self), FALSE);

  g_mutex_lock (&self->time_lock);
  known = self->has_server_time;
  if (offset_ms != NULL)
    *offset_ms = known ? self->server_offset_ms : 0;
  if (real_us != NULL)
    *real_us = known ? self->server_time_real_us : 0;
  if (monotonic_us != NULL)
    *monotonic_us = known ? self->server_time_monotonic_us : 0;
  g_mutex_unlock (&self->time_lock);

  return known;
}
