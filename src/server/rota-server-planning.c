/* rota-server-planning.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server"

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-server-planning.h"
#include "rota-time.h"

/*
 * The versioned records a client changes: shifts, absences and
 * availability. A PUT creates with If-None-Match: * or updates with
 * If-Match: "<version>"; a stale version gets 412 with the current record,
 * so nothing is silently overwritten; a DELETE needs If-Match too and
 * leaves a tombstone for the change feed.
 *
 * A PUT may carry an Idempotency-Key as a POST does: a client that lost
 * the answer to a PUT the server committed sends it again with the same
 * key and gets the first answer, where the bare If-Match would give 412
 * against its own write.
 */

typedef gboolean (*CheckFunc) (RotaServerRequest *request,
                               RotaEntity        *entity);

static void
put_versioned (RotaServerRequest *request,
               GType              type,
               CheckFunc          check)
{
  g_autoptr(RotaEntity) entity = NULL;
  g_autoptr(RotaEntity) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  const char *if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                                            "If-None-Match");
  const char *key_header = soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                                         "Idempotency-Key");
  gint64 expected = _rota_server_if_match_version (request->msg);
  gboolean deleted = FALSE;

  if (expected == -2 || (if_none_match != NULL && (expected >= 0 || !g_str_equal (if_none_match, "*"))))
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "bad_precondition", NULL,
                                  "Send either If-None-Match: * to create, or If-Match: \"<version>\" to update");
      return;
    }
  if (expected == -1 && if_none_match == NULL)
    {
      _rota_server_respond_error (request->msg, 428, "precondition_required", NULL,
                                  "Send If-None-Match: * to create, or If-Match: \"<version>\" to update");
      return;
    }

  entity = _rota_server_read_entity (request, type);
  if (entity == NULL)
    return;

  if (g_strcmp0 (rota_entity_get_id (entity), request->param) != 0)
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "id", "id: must be the id in the path");
      return;
    }

  if (key_header != NULL)
    {
      /* Answers a replay, a reused key or a bad one itself. */
      if (!_rota_server_idempotency_begin (request, &key, &hash))
        return;
    }
  else if (!rota_tenant_begin (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  /* Under the write lock: nobody changes the record between this check
   * and the write. */
  current = rota_tenant_get (request->data, type, request->param, &deleted, NULL);

  if (if_none_match != NULL && (current != NULL || deleted))
    {
      rota_tenant_rollback (request->data);
      if (current != NULL)
        _rota_server_respond_entity (request->msg, SOUP_STATUS_PRECONDITION_FAILED, current);
      else
        _rota_server_respond_error (request->msg, SOUP_STATUS_PRECONDITION_FAILED, "exists", "id",
                                    "id: this id was used before, by a record that is deleted now");
      return;
    }

  if (expected >= 0 && (current == NULL || rota_entity_get_version (current) != expected))
    {
      rota_tenant_rollback (request->data);
      if (current != NULL)
        _rota_server_respond_entity (request->msg, SOUP_STATUS_PRECONDITION_FAILED, current);
      else if (deleted)
        _rota_server_respond_error (request->msg, SOUP_STATUS_PRECONDITION_FAILED, "deleted", "id",
                                    "This was deleted; create it anew with a new id");
      else
        _rota_server_respond_error (request->msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing with this id");
      return;
    }

  if (!check (request, entity))
    {
      rota_tenant_rollback (request->data);
      return;
    }

  if (key != NULL)
    {
      if (!rota_tenant_write (request->data, entity, FALSE, request->token_name, NULL, &error))
        {
          rota_tenant_rollback (request->data);
          _rota_server_respond_store_error (request->msg, error);
          return;
        }
      _rota_server_idempotency_commit (request, key, hash,
                                       if_none_match != NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, entity, NULL);
      return;
    }

  if (!rota_tenant_write (request->data, entity, FALSE, request->token_name, NULL, &error) ||
      !rota_tenant_commit (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  _rota_server_respond_entity (request->msg, if_none_match != NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, entity);
}

static void
delete_versioned (RotaServerRequest *request,
                  GType              type)
{
  g_autoptr(RotaEntity) current = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected = _rota_server_if_match_version (request->msg);
  gboolean deleted = FALSE;

  if (expected == -2)
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "bad_precondition", NULL,
                                  "If-Match must be a quoted version, such as \"3\"");
      return;
    }
  if (expected == -1)
    {
      _rota_server_respond_error (request->msg, 428, "precondition_required", NULL,
                                  "Send If-Match: \"<version>\" with the version you are deleting");
      return;
    }

  if (!rota_tenant_begin (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  current = rota_tenant_get (request->data, type, request->param, &deleted, NULL);
  if (current == NULL)
    {
      rota_tenant_rollback (request->data);
      /* Already deleted: the same answer again, so a retry is safe. */
      if (deleted)
        soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
      else
        _rota_server_respond_error (request->msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "There is nothing with this id");
      return;
    }

  if (rota_entity_get_version (current) != expected)
    {
      rota_tenant_rollback (request->data);
      _rota_server_respond_entity (request->msg, SOUP_STATUS_PRECONDITION_FAILED, current);
      return;
    }

  if (!rota_tenant_write (request->data, current, TRUE, request->token_name, NULL, &error) ||
      !rota_tenant_commit (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static gboolean
check_shift (RotaServerRequest *request,
             RotaEntity        *entity)
{
  RotaShift *shift = ROTA_SHIFT (entity);

  /* A PUT of a whole shift is never a deletion: DELETE is. */
  shift->deleted = FALSE;

  return _rota_server_check_reference (request, ROTA_TYPE_DEPARTMENT, shift->department_id, "departmentId") &&
         _rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, shift->employee_id, "employeeId");
}

static gboolean
check_absence (RotaServerRequest *request,
               RotaEntity        *entity)
{
  return _rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, ROTA_ABSENCE (entity)->employee_id, "employeeId");
}

static gboolean
check_availability (RotaServerRequest *request,
                    RotaEntity        *entity)
{
  return _rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, ROTA_AVAILABILITY (entity)->employee_id,
                                       "employeeId");
}

void
_rota_server_handle_put_shift (RotaServerRequest *request)
{
  put_versioned (request, ROTA_TYPE_SHIFT, check_shift);
}

void
_rota_server_handle_delete_shift (RotaServerRequest *request)
{
  delete_versioned (request, ROTA_TYPE_SHIFT);
}

void
_rota_server_handle_put_absence (RotaServerRequest *request)
{
  put_versioned (request, ROTA_TYPE_ABSENCE, check_absence);
}

void
_rota_server_handle_delete_absence (RotaServerRequest *request)
{
  delete_versioned (request, ROTA_TYPE_ABSENCE);
}

void
_rota_server_handle_put_availability (RotaServerRequest *request)
{
  put_versioned (request, ROTA_TYPE_AVAILABILITY, check_availability);
}

void
_rota_server_handle_delete_availability (RotaServerRequest *request)
{
  delete_versioned (request, ROTA_TYPE_AVAILABILITY);
}

/* POST /api/planning/v3/shifts/publish */

/* The time zone of a department's office, cached per request. */
static GTimeZone *
department_zone (RotaServerRequest *request,
                 GHashTable        *zones,
                 const char        *department_id)
{
  g_autoptr(RotaEntity) department = NULL;
  g_autoptr(RotaEntity) office = NULL;
  GTimeZone *tz = g_hash_table_lookup (zones, department_id);

  if (tz != NULL)
    return tz;

  department = rota_tenant_get (request->data, ROTA_TYPE_DEPARTMENT, department_id, NULL, NULL);
  if (department != NULL)
    office = rota_tenant_get (request->data, ROTA_TYPE_OFFICE, ROTA_DEPARTMENT (department)->office_id, NULL, NULL);
  tz = rota_time_zone_get (office != NULL ? ROTA_OFFICE (office)->time_zone : ROTA_DEFAULT_TIME_ZONE);
  if (tz == NULL)
    tz = rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE);
  g_hash_table_insert (zones, g_strdup (department_id), tz);

  return tz;
}

static const char *
member_date (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                     json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;

  return text != NULL && rota_date_is_valid (text) ? text : NULL;
}

/* Publishes the shifts of one department (or all, for %NULL) starting on
 * a day from @start_date to @end_date in their office's zone. */
static gboolean
publish_department (RotaServerRequest  *request,
                    GHashTable         *zones,
                    const char         *department_id,
                    const char         *start_date,
                    const char         *end_date,
                    gint64             *published,
                    GError            **error)
{
  GTimeZone *utc = rota_time_zone_get ("UTC");
  g_autofree char *after_end = rota_date_add_days (end_date, 1);
  g_autoptr(GPtrArray) to_publish = g_ptr_array_new_with_free_func (g_object_unref);
  RotaTenantQuery query = { 0 };
  guint page_count = 1;

  /* Every local day lies within 14 hours of the UTC day. */
  query.type = ROTA_TYPE_SHIFT;
  query.from = MAX (ROTA_INSTANT_MIN, rota_time_day_start (utc, start_date) - 14 * 3600);
  query.to = MIN (ROTA_INSTANT_MAX, rota_time_day_start (utc, after_end) + 14 * 3600);
  query.department_id = department_id;
  query.page_size = 1000;

  /* Collect first, then write: writing while paging would move the pages. */
  for (query.page = 1; query.page <= page_count; query.page++)
    {
      g_autoptr(GPtrArray) shifts = rota_tenant_list (request->data, &query, &page_count, error);

      if (shifts == NULL)
        return FALSE;

      for (guint i = 0; i < shifts->len; i++)
        {
          RotaShift *shift = g_ptr_array_index (shifts, i);
          g_autofree char *day = NULL;

          if (shift->published || shift->deleted)
            continue;
          day = rota_time_work_date (shift->start, department_zone (request, zones, shift->department_id));
          if (strcmp (day, start_date) >= 0 && strcmp (day, end_date) <= 0)
            g_ptr_array_add (to_publish, g_object_ref (shift));
        }
    }

  for (guint i = 0; i < to_publish->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (to_publish, i);

      shift->published = TRUE;
      if (!rota_tenant_write (request->data, ROTA_ENTITY (shift), FALSE, request->token_name, "published", error))
        return FALSE;
      (*published)++;
    }

  return TRUE;
}

void
_rota_server_handle_publish (RotaServerRequest *request)
{
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  const char *content_type;
  const char *start_date;
  const char *end_date;
  JsonObject *object;
  JsonNode *departments;
  gint64 published = 0;

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (request->msg), NULL);
  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                                  NULL, "Send the body as application/json");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (request->msg));
  root = rota_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 0, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "bad_json", NULL,
                                  error != NULL ? error->message : "The body must be a JSON object");
      return;
    }

  object = json_node_get_object (root);
  start_date = member_date (object, "startDate");
  end_date = member_date (object, "endDate");
  if (start_date == NULL || end_date == NULL)
    {
      const char *field = start_date == NULL ? "startDate" : "endDate";
      g_autofree char *message = g_strdup_printf ("%s: required, a date of the form YYYY-MM-DD", field);

      _rota_server_respond_error (request->msg, 422, "invalid", field, message);
      return;
    }
  if (strcmp (end_date, start_date) < 0 || rota_date_diff_days (start_date, end_date) > 365 ||
      strcmp (start_date, "2000-01-01") < 0 || strcmp (end_date, "2099-12-31") > 0)
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "endDate",
                                  "endDate: from startDate to at most 365 days after it, in 2000 to 2099");
      return;
    }

  departments = json_object_get_member (object, "departmentIds");
  if (departments != NULL && !JSON_NODE_HOLDS_NULL (departments) &&
      (!JSON_NODE_HOLDS_ARRAY (departments) || json_array_get_length (json_node_get_array (departments)) > 64))
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "departmentIds",
                                  "departmentIds: an array of at most 64 department ids, or null");
      return;
    }

  if (!_rota_server_idempotency_begin (request, &key, &hash))
    return;

  if (departments == NULL || JSON_NODE_HOLDS_NULL (departments))
    {
      if (!publish_department (request, zones, NULL, start_date, end_date, &published, &error))
        goto failed;
    }
  else
    {
      JsonArray *ids = json_node_get_array (departments);

      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          const char *id = json_array_get_string_element (ids, i);

          if (id == NULL || !_rota_server_check_reference (request, ROTA_TYPE_DEPARTMENT, id, "departmentIds"))
            {
              rota_tenant_rollback (request->data);
              if (id == NULL)
                _rota_server_respond_error (request->msg, 422, "invalid", "departmentIds",
                                            "departmentIds: every entry must be an id string");
              return;
            }
          if (!publish_department (request, zones, id, start_date, end_date, &published, &error))
            goto failed;
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "published");
  json_builder_add_int_value (builder, published);
  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);

  _rota_server_idempotency_commit (request, key, hash, SOUP_STATUS_OK, NULL, answer);
  return;

failed:
  rota_tenant_rollback (request->data);
  _rota_server_respond_store_error (request->msg, error);
}
