/* rota-server.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "rota-codec.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-server-dyflexis.h"
#include "rota-server-hours.h"
#include "rota-server-planning.h"
#include "rota-server-private.h"
#include "rota-tenant-sqlite.h"

/*
 * The HTTP side of rota-server: one SoupServer, every request under
 * /{tenant}/..., authenticated by a token of that tenant. A token of
 * another tenant, or of no tenant, gets the same 404 as a tenant that does
 * not exist, so that tenants cannot be probed.
 *
 * Each route names the scope it needs; the handlers see a RotaServerRequest with
 * the tenant, the token's name and scopes, and the path parameters.
 */

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
  GHashTable         *tenants;
  GHashTable         *batches;
  double              rate;
  double              burst;
  guint               n_active;
};

G_DEFINE_FINAL_TYPE (RotaServer, rota_server, G_TYPE_OBJECT)

typedef void (*RouteHandler) (RotaServerRequest *request);

typedef struct
{
  const char   *method;
  const char   *pattern;
  RotaScopes    scopes;
  RouteHandler  handler;
  gboolean      batched;
} Route;

static void handle_capabilities (RotaServerRequest *request);
static void handle_whoami       (RotaServerRequest *request);
static void handle_changes      (RotaServerRequest *request);


/* Any of a route's scopes is enough; ROTA_SCOPE_NONE means any token of
 * the tenant. */
static const Route routes[] = {
  { "GET", "/api/v3/capabilities", ROTA_SCOPE_NONE, handle_capabilities },
  { "GET", "/api/v3/whoami", ROTA_SCOPE_NONE, handle_whoami },
  { "GET", "/api/sync/v3/changes", ROTA_SERVER_READ_SCOPES, handle_changes },
  { "GET", "/api/business/v3/scheduled", ROTA_SERVER_READ_SCOPES, _rota_server_handle_scheduled },
  { "GET", "/api/business/v3/employees", ROTA_SERVER_READ_SCOPES, _rota_server_handle_employees },
  { "GET", "/api/department-management/v3/tree", ROTA_SERVER_READ_SCOPES, _rota_server_handle_tree },
  { "GET", "/api/absence/v3/sick-leave", ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_PLANNING_WRITE |
                                         ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE,
    _rota_server_handle_sick_leave },
  { "GET", "/api/clock/v3/punches", ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE, _rota_server_handle_punches },
  { "GET", "/api/business/v3/registered-hours", ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE,
    _rota_server_handle_registered_hours },
  { "POST", "/api/planning/v3/shifts/publish", ROTA_SCOPE_PLANNING_WRITE, _rota_server_handle_publish },
  { "PUT", "/api/planning/v3/shifts/{id}", ROTA_SCOPE_PLANNING_WRITE, _rota_server_handle_put_shift },
  { "DELETE", "/api/planning/v3/shifts/{id}", ROTA_SCOPE_PLANNING_WRITE, _rota_server_handle_delete_shift },
  { "PUT", "/api/absence/v3/absences/{id}", ROTA_SCOPE_PLANNING_WRITE | ROTA_SCOPE_HOURS_WRITE, _rota_server_handle_put_absence },
  { "DELETE", "/api/absence/v3/absences/{id}", ROTA_SCOPE_PLANNING_WRITE | ROTA_SCOPE_HOURS_WRITE, _rota_server_handle_delete_absence },
  { "PUT", "/api/planning/v3/availability/{id}", ROTA_SCOPE_PLANNING_WRITE, _rota_server_handle_put_availability },
  { "DELETE", "/api/planning/v3/availability/{id}", ROTA_SCOPE_PLANNING_WRITE, _rota_server_handle_delete_availability },
  /* Clock-ins come in bursts from many kiosks at shift change: their
   * writes are committed in groups (see Batch below). */
  { "POST", "/api/clock/v3/clock-in", ROTA_SCOPE_CLOCK, _rota_server_handle_clock_in, TRUE },
  { "POST", "/api/clock/v3/clock-out", ROTA_SCOPE_CLOCK, _rota_server_handle_clock_out, TRUE },
  { "POST", "/api/clock/v3/punch-corrections", ROTA_SCOPE_HOURS_WRITE, _rota_server_handle_punch_correction },
  { "POST", "/api/business/v3/approvals", ROTA_SCOPE_HOURS_WRITE, _rota_server_handle_approval },
};

/* Responses */

void
_rota_server_respond_json (SoupServerMessage *msg,
                           guint              status,
                           JsonNode          *node)
{
  gsize length = 0;
  char *text = rota_json_to_string (node, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, text, length);
}

void
_rota_server_respond_error (SoupServerMessage *msg,
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
  _rota_server_respond_json (msg, status, node);
}

/* Handlers */

static const char * const features[] = {
  "changes", "shifts", "publish", "punches", "punch-corrections", "approvals",
  "absences", "availability", "idempotency-key",
};

static void
handle_capabilities (RotaServerRequest *request)
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
  /* The Rota extensions this server has (names from data/openapi.yaml);
   * clients use what is named here and nothing else. */
  json_builder_set_member_name (builder, "features");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (features); i++)
    json_builder_add_string_value (builder, features[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "maxBodyBytes");
  json_builder_add_int_value (builder, ROTA_SERVER_MAX_BODY_SIZE);
  json_builder_set_member_name (builder, "maxJsonDepth");
  json_builder_add_int_value (builder, ROTA_JSON_MAX_DEPTH);
  json_builder_set_member_name (builder, "pageSize");
  json_builder_add_int_value (builder, ROTA_SERVER_PAGE_SIZE);
  json_builder_set_member_name (builder, "maxChangesLimit");
  json_builder_add_int_value (builder, ROTA_SERVER_MAX_CHANGES_LIMIT);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  _rota_server_respond_json (request->msg, SOUP_STATUS_OK, node);
}

static void
handle_whoami (RotaServerRequest *request)
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
  _rota_server_respond_json (request->msg, SOUP_STATUS_OK, node);
}

/* Bodies and entities */

void
_rota_server_respond_entity (SoupServerMessage *msg,
                             guint              status,
                             RotaEntity        *entity)
{
  g_autoptr(JsonNode) node = rota_codec_encode (entity, ROTA_CODEC_DEFAULT);
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", rota_entity_get_version (entity));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  _rota_server_respond_json (msg, status, node);
}

void
_rota_server_respond_store_error (SoupServerMessage *msg,
                                  const GError      *error)
{
  if (error->domain == ROTA_CODEC_ERROR)
    _rota_server_respond_error (msg, 422, "invalid", rota_codec_error_get_field (error), error->message);
  else if (g_error_matches (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID))
    _rota_server_respond_error (msg, 422, "invalid", NULL, error->message);
  else if (g_error_matches (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_CONFLICT))
    _rota_server_respond_error (msg, SOUP_STATUS_CONFLICT, "conflict", NULL, error->message);
  else if (g_error_matches (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_BUSY))
    _rota_server_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", NULL, "The server is busy; try again");
  else
    {
      /* The message may name internals: it goes to the log, not to the client. */
      g_warning ("Storage failed: %s", error->message);
      _rota_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", NULL,
                                  "The server could not store this; nothing was changed");
    }
}

/* Reads the request body as an entity of @type: 415 for another content
 * type, 400 for what is not JSON, 413 past the cap, 422 naming the member
 * for a wrong or missing field. Nothing has been written when this fails. */
RotaEntity *
_rota_server_read_entity (RotaServerRequest *request,
                          GType    type)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  RotaEntity *entity;

  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL,
                                  "Send the body as application/json");
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  entity = rota_codec_decode_string (type, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (entity == NULL)
    {
      if (g_error_matches (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_TOO_LARGE))
        _rota_server_respond_error (request->msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", NULL, error->message);
      else if (g_error_matches (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_SYNTAX) ||
               g_error_matches (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_TOO_DEEP) ||
               g_error_matches (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_INVALID_UTF8))
        _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "bad_json",
                                    rota_codec_error_get_field (error), error->message);
      else
        _rota_server_respond_error (request->msg, 422, "invalid", rota_codec_error_get_field (error), error->message);
    }

  return entity;
}

/* "<version>" from If-Match, or -1 if absent, -2 if malformed. */
gint64
_rota_server_if_match_version (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-Match");
  g_autofree char *digits = NULL;
  guint64 version;

  if (value == NULL)
    return -1;

  digits = g_strdup (value);
  g_strstrip (digits);
  if (strlen (digits) < 3 || digits[0] != '"' || digits[strlen (digits) - 1] != '"')
    return -2;
  digits[strlen (digits) - 1] = '\0';
  if (!g_ascii_string_to_unsigned (digits + 1, 10, 1, G_MAXINT64, &version, NULL))
    return -2;

  return (gint64) version;
}

gboolean
_rota_server_check_reference (RotaServerRequest    *request,
                              GType       type,
                              const char *id,
                              const char *field)
{
  g_autoptr(RotaEntity) entity = NULL;
  gboolean deleted = FALSE;

  if (id == NULL)
    return TRUE;

  entity = rota_tenant_get (request->data, type, id, &deleted, NULL);
  if (entity == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: there is no such %s", field,
                                                  g_type_name (type) + strlen ("Rota"));
      _rota_server_respond_error (request->msg, 422, "invalid", field, message);
      return FALSE;
    }

  return TRUE;
}

/* Which kinds a token's scopes may read in the change feed
 * (data/openapi.yaml, getChanges). */
gboolean
_rota_server_kind_visible (RotaScopes  scopes,
                           const char *kind)
{
  static const char * const planning[] = { "office", "department", "employee", "shift", "absence", "availability", NULL };
  static const char * const hours[] = { "office", "department", "employee", "shift", "punch", "punch_correction", "approval", "absence", NULL };
  static const char * const clock[] = { "office", "department", "employee", NULL };

  if ((scopes & (ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_PLANNING_WRITE)) && g_strv_contains (planning, kind))
    return TRUE;
  if ((scopes & (ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE)) && g_strv_contains (hours, kind))
    return TRUE;
  if ((scopes & ROTA_SCOPE_CLOCK) && g_strv_contains (clock, kind))
    return TRUE;

  return FALSE;
}

/* Removes the members of @object that are not in @keep. */
static void
keep_only (JsonObject         *object,
           const char * const *keep)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (keep, l->data))
      json_object_remove_member (object, l->data);
}

/* An employee or a shift as a token may see it: only a kiosk (clock)
 * gets the PIN hash it checks PINs with, and a kiosk gets no more of
 * either than it needs: of a shift, who works where and when, to show
 * "your next shift"; not the planner's note, which may be personal, nor
 * the break. */
JsonNode *
_rota_server_encode_for_scopes (RotaEntity *entity,
                                RotaScopes  scopes)
{
  JsonNode *node = rota_codec_encode (entity, ROTA_CODEC_DEFAULT);
  JsonObject *object;

  if (ROTA_IS_SHIFT (entity) && (scopes & ~ROTA_SCOPE_CLOCK) == 0)
    {
      static const char * const kiosk[] = {
        "id", "version", "updatedAt", "employeeId", "departmentId", "startDateTime", "endDateTime",
        "published", NULL
      };

      keep_only (json_node_get_object (node), kiosk);
      return node;
    }

  if (!ROTA_IS_EMPLOYEE (entity))
    return node;

  object = json_node_get_object (node);
  if ((scopes & ~ROTA_SCOPE_CLOCK) == 0)
    {
      static const char * const kiosk[] = {
        "employeeId", "version", "updatedAt", "firstName", "lastNamePrefix", "lastName",
        "cardNumbers", "departmentIds", "kioskPinHash", NULL
      };

      keep_only (object, kiosk);
    }
  else if ((scopes & ROTA_SCOPE_CLOCK) == 0)
    {
      json_object_remove_member (object, "kioskPinHash");
    }

  return node;
}

gboolean
_rota_server_query_int (RotaServerRequest    *request,
                        const char *name,
                        gint64      fallback,
                        gint64      min,
                        gint64      max,
                        gint64     *out)
{
  const char *text = request->query ? g_hash_table_lookup (request->query, name) : NULL;
  gint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    {
      g_autofree char *message = g_strdup_printf ("%s: must be a whole number from %" G_GINT64_FORMAT
                                                  " to %" G_GINT64_FORMAT, name, min, max);
      _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "invalid_parameter", name, message);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* Which members of an employee a token sees (see
 * _rota_server_encode_for_scopes ()). */
static gboolean
keep_for_kiosk (const char *json_name,
                gpointer    user_data)
{
  static const char * const kiosk[] = {
    "employeeId", "version", "updatedAt", "firstName", "lastNamePrefix", "lastName",
    "cardNumbers", "departmentIds", "kioskPinHash", NULL
  };

  return g_strv_contains (kiosk, json_name);
}

static gboolean
keep_but_pin (const char *json_name,
              gpointer    user_data)
{
  return !g_str_equal (json_name, "kioskPinHash");
}

/* g_string_append_printf() without printf's parsing, for the feed. */
static void
append_int (GString *out,
            gint64   value)
{
  char digits[24];
  guint n = 0;
  guint64 magnitude = value < 0 ? - (guint64) value : (guint64) value;

  do
    {
      digits[n++] = '0' + (char) (magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    g_string_append_c (out, '-');
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

static void
handle_changes (RotaServerRequest *request)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  GString *out;
  gint64 since;
  gint64 limit;
  gint64 revision = 0;
  gboolean has_more = FALSE;
  gboolean first = TRUE;
  gboolean (*keep_employee) (const char *, gpointer);

  if (!_rota_server_query_int (request, "since", 0, 0, G_MAXINT64, &since) ||
      !_rota_server_query_int (request, "limit", 1000, 1, ROTA_SERVER_MAX_CHANGES_LIMIT, &limit))
    return;

  if (since > rota_tenant_get_revision (request->data))
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_CONFLICT, "revision_ahead", "since",
                                  "since is ahead of this server's revision (was it restored from a backup?); "
                                  "pull again from 0");
      return;
    }

  {
    static const char * const all_kinds[] = {
      "office", "department", "employee", "shift", "punch", "punch_correction",
      "approval", "absence", "availability",
    };
    g_autoptr(GStrvBuilder) visible = g_strv_builder_new ();
    g_auto(GStrv) kinds = NULL;

    for (guint k = 0; k < G_N_ELEMENTS (all_kinds); k++)
      if (_rota_server_kind_visible (request->scopes, all_kinds[k]))
        g_strv_builder_add (visible, all_kinds[k]);
    kinds = g_strv_builder_end (visible);

    changes = rota_tenant_changes (request->data, since, (guint) limit, (const char * const *) kinds,
                                   &revision, &has_more, &error);
  }
  if (changes == NULL)
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  keep_employee = (request->scopes & ~ROTA_SCOPE_CLOCK) == 0 ? keep_for_kiosk
                  : (request->scopes & ROTA_SCOPE_CLOCK) == 0 ? keep_but_pin
                  : NULL;

  /* Written straight to text rather than through a JSON tree: a page
   * holds up to ten thousand entities (the change feed benchmark). */
  out = g_string_sized_new (512 * changes->len + 64);
  g_string_append_printf (out, "{\"revision\":%" G_GINT64_FORMAT ",\"changes\":[", revision);
  for (guint i = 0; i < changes->len; i++)
    {
      RotaChange *change = g_ptr_array_index (changes, i);
      gboolean deleted = change->deleted;

      if (!_rota_server_kind_visible (request->scopes, change->kind))
        continue;

      /* Hours and kiosk tokens see published shifts only; a shift that was
       * unpublished again looks deleted to them. */
      if (!deleted && ROTA_IS_SHIFT (change->entity) && !ROTA_SHIFT (change->entity)->published &&
          (request->scopes & (ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_PLANNING_WRITE)) == 0)
        deleted = TRUE;

      /* Kinds and ids are plain: [a-z_] and the id alphabet. Appended
       * piece by piece: printf was a tenth of the feed's time. */
      g_string_append (out, first ? "{\"entity\":\"" : ",{\"entity\":\"");
      g_string_append (out, change->kind);
      g_string_append (out, "\",\"id\":\"");
      g_string_append (out, change->id);
      g_string_append (out, "\",\"version\":");
      append_int (out, change->version);
      g_string_append (out, ",\"revision\":");
      append_int (out, change->revision);
      g_string_append (out, deleted ? ",\"deleted\":true,\"data\":" : ",\"deleted\":false,\"data\":");
      first = FALSE;

      if (deleted || change->entity == NULL)
        g_string_append (out, "null");
      else
        rota_codec_append (out, change->entity, ROTA_CODEC_DEFAULT,
                           ROTA_IS_EMPLOYEE (change->entity) ? keep_employee : NULL, NULL);
      g_string_append_c (out, '}');
    }
  g_string_append (out, has_more ? "],\"hasMore\":true,\"latestRevision\":"
                                  : "],\"hasMore\":false,\"latestRevision\":");
  append_int (out, MAX (revision, rota_tenant_get_revision (request->data)));
  g_string_append_c (out, '}');

  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    out->str, out->len);
  g_string_free (out, FALSE);
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

/* Group commit (issue 3, item 7). The clock-ins that arrive while one is
 * being handled share one transaction: each runs in a savepoint of it, its
 * answer is held back (the message paused), and when the main loop has no
 * more requests ready, the transaction commits once, with one fsync, and
 * only then are the answers sent. A request of any other kind for the
 * tenant commits the group first, so that it never reads what is not yet
 * committed. */
typedef struct
{
  RotaServer *server;
  RotaTenant *data;
  GPtrArray  *messages;
  guint       idle_id;
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_handle_id (&batch->idle_id, g_source_remove);
  g_ptr_array_unref (batch->messages);
  g_free (batch);
}

static void
batch_commit (Batch *batch)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = rota_tenant_commit (batch->data, &error);

  if (!ok)
    g_warning ("A group of %u clock-ins could not be committed: %s", batch->messages->len, error->message);

  for (guint i = 0; i < batch->messages->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (batch->messages, i);

      /* Nothing of the group is stored: no answer may say otherwise. */
      if (!ok)
        _rota_server_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                    "The server could not store this; try again with the same Idempotency-Key");
      soup_server_message_unpause (msg);
    }
}

static gboolean
batch_idle_cb (gpointer user_data)
{
  Batch *batch = user_data;
  RotaServer *self = batch->server;
  GHashTableIter iter;
  gpointer value;

  batch->idle_id = 0;
  batch_commit (batch);

  g_hash_table_iter_init (&iter, self->batches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == batch)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }

  return G_SOURCE_REMOVE;
}

/* Commits the tenant's open group, if any, now. */
static void
batch_flush (RotaServer *self,
             const char *slug)
{
  Batch *batch = g_hash_table_lookup (self->batches, slug);

  if (batch == NULL)
    return;

  g_clear_handle_id (&batch->idle_id, g_source_remove);
  batch_commit (batch);
  g_hash_table_remove (self->batches, slug);
}

static gboolean
batch_join (RotaServer  *self,
            const char  *slug,
            RotaTenant  *data,
            GError     **error)
{
  Batch *batch = g_hash_table_lookup (self->batches, slug);

  if (batch != NULL)
    return TRUE;

  if (!rota_tenant_begin (data, error))
    return FALSE;

  batch = g_new0 (Batch, 1);
  batch->server = self;
  batch->data = data;
  batch->messages = g_ptr_array_new_with_free_func (g_object_unref);
  /* Below the priority of the sockets' I/O: requests that are ready are
   * read and join the group before it commits. */
  batch->idle_id = g_idle_add_full (G_PRIORITY_LOW, batch_idle_cb, batch, NULL);
  g_hash_table_insert (self->batches, g_strdup (slug), batch);

  return TRUE;
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

/* Each tenant's database, opened at its first request and kept open. */
static RotaTenant *
get_tenant_data (RotaServer *self,
                 const char *slug)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RotaTenant *data = g_hash_table_lookup (self->tenants, slug);

  if (data != NULL)
    return data;

  path = rota_server_registry_tenant_path (self->registry, slug);
  data = rota_tenant_sqlite_open (path, FALSE, &error);
  if (data == NULL)
    {
      g_warning ("Cannot open the data of tenant %s: %s", slug, error->message);
      return NULL;
    }

  g_hash_table_insert (self->tenants, g_strdup (slug), data);

  return data;
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
  RotaServerRequest request = { .server = self, .msg = msg, .query = query };
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
      _rota_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing here");
      return;
    }

  secret = token_from_header (msg);
  if (secret == NULL ||
      !rota_server_registry_authenticate (self->registry, secret, &tenant, &token_name,
                                          &token_id, &request.scopes))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Token");
      _rota_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
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
        _rota_server_respond_error (msg, 429 /* Too Many Requests; libsoup 3.2 has no name for it */, "rate_limited", NULL,
                                    "Too many requests with this token; wait as long as Retry-After says");
        return;
      }
  }

  /* Another tenant's path looks exactly like one that does not exist. */
  if (strncmp (path + 1, tenant, slash - path - 1) != 0 || tenant[slash - path - 1] != '\0')
    {
      _rota_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing here");
      return;
    }

  request.tenant = tenant;
  request.token_name = token_name;
  request.token_id = token_id;

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
        _rota_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL,
                                    "This path does not take that method");
      else
        _rota_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing here");
      return;
    }

  if (route->scopes != ROTA_SCOPE_NONE && (request.scopes & route->scopes) == 0)
    {
      g_autofree char *needed = rota_scopes_to_string (route->scopes);
      g_autofree char *message = g_strdup_printf ("This token may not do this; it needs one of: %s", needed);

      _rota_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL, message);
      g_free (request.param);
      return;
    }

  request.data = get_tenant_data (self, tenant);
  if (request.data == NULL)
    {
      _rota_server_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                  "This tenant's data cannot be opened now; try again later");
      g_free (request.param);
      return;
    }

  if (!route->batched)
    {
      batch_flush (self, tenant);
      route->handler (&request);
      g_free (request.param);
      return;
    }

  {
    g_autoptr(GError) error = NULL;

    if (!batch_join (self, tenant, request.data, &error))
      {
        _rota_server_respond_store_error (msg, error);
        g_free (request.param);
        return;
      }
  }

  route->handler (&request);
  g_free (request.param);

  /* A success is answered when its group is committed; a refusal stored
   * nothing and is answered at once. */
  if (SOUP_STATUS_IS_SUCCESSFUL (soup_server_message_get_status (msg)))
    {
      Batch *batch = g_hash_table_lookup (self->batches, tenant);

      soup_server_message_pause (msg);
      g_ptr_array_add (batch->messages, g_object_ref (msg));
    }
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

  if (length > ROTA_SERVER_MAX_BODY_SIZE)
    _rota_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", NULL,
                                "The request body is larger than 1 MiB");
}

static void
request_started_cb (RotaServer        *self,
                    SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  self->n_active++;

  /* Answers are small and sent at once: without TCP_NODELAY, Nagle's
   * algorithm and the client's delayed ACK hold each one back for tens
   * of milliseconds on a kept-alive TLS connection. */
  if (socket != NULL && g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
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
  /* Commit what is pending before the tenants close. */
  if (self->batches != NULL)
    {
      g_autoptr(GList) slugs = g_hash_table_get_keys (self->batches);

      for (GList *l = slugs; l != NULL; l = l->next)
        batch_flush (self, l->data);
    }
  g_clear_pointer (&self->batches, g_hash_table_unref);
  g_clear_pointer (&self->tenants, g_hash_table_unref);
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
  self->tenants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) batch_free);
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
 * @with_scopes: also give the scopes a route takes, after the path
 *
 * Returns: (transfer full): "METHOD /path" for every route, to compare
 *   with data/openapi.yaml
 */
GStrv
rota_server_list_routes (gboolean with_scopes)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *scopes = with_scopes ? rota_scopes_to_string (routes[i].scopes) : NULL;
      g_autofree char *route = NULL;

      if (!with_scopes)
        route = g_strdup_printf ("%s /{tenant}%s", routes[i].method, routes[i].pattern);
      else
        route = g_strdup_printf ("%s /{tenant}%s %s", routes[i].method, routes[i].pattern,
                                 *scopes != '\0' ? scopes : "any");
      g_strv_builder_add (builder, route);
    }

  return g_strv_builder_end (builder);
}
