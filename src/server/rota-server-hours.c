/* rota-server-hours.c
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
#include "rota-server-hours.h"
#include "rota-time.h"

/*
 * The POST routes that record facts: punches from kiosks and terminals,
 * and HR's corrections and approvals. Every one carries an Idempotency-Key:
 * the same key with the same request gets the first answer again without
 * a second write, with another request 422. The fact's id is the
 * client's, so even after a key is forgotten a retry cannot record twice.
 * Nothing is answered before it is committed.
 */

typedef gboolean (*CheckFunc) (RotaServerRequest *request,
                               RotaEntity        *entity);

static char *
request_hash (RotaServerRequest *request)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (request->msg));
  GUri *uri = soup_server_message_get_uri (request->msg);

  /* Path and query only: a retry may reach the server under another host
   * name or port and is the same request all the same. */
  g_checksum_update (checksum, (const guchar *) soup_server_message_get_method (request->msg), -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) g_uri_get_path (uri), -1);
  g_checksum_update (checksum, (const guchar *) "?", 1);
  if (g_uri_get_query (uri) != NULL)
    g_checksum_update (checksum, (const guchar *) g_uri_get_query (uri), -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return g_strdup (g_checksum_get_string (checksum));
}

/* Sends the answer and keeps it for the key, in the open transaction,
 * then commits: the write, the answer and the key stand or fall together. */
static void
respond_and_commit (RotaServerRequest *request,
                    const char        *key,
                    const char        *hash,
                    guint              status,
                    RotaEntity        *entity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = rota_codec_encode (entity, ROTA_CODEC_DEFAULT);
  g_autoptr(GBytes) body = NULL;
  gsize length = 0;
  char *text;

  text = rota_json_to_string (node, &length);
  body = g_bytes_new_take (text, length);

  if (!rota_tenant_idempotency_put (request->data, request->token_id, key, hash, status, body, &error) ||
      !rota_tenant_commit (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  _rota_server_respond_entity (request->msg, status, entity);
}

static void
record_fact (RotaServerRequest *request,
             GType              type,
             CheckFunc          check)
{
  g_autoptr(RotaEntity) entity = NULL;
  g_autoptr(RotaEntity) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *seen_hash = NULL;
  g_autoptr(GBytes) seen_body = NULL;
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                                  "Idempotency-Key");
  guint seen_status = 0;
  gboolean deleted = FALSE;

  if (key == NULL || !g_uuid_string_is_valid (key))
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "idempotency_key_required",
                                  NULL, "Send an Idempotency-Key header with a UUID, the same on every retry");
      return;
    }

  entity = _rota_server_read_entity (request, type);
  if (entity == NULL)
    return;

  hash = request_hash (request);

  if (!rota_tenant_begin (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  if (rota_tenant_idempotency_get (request->data, request->token_id, key, &seen_hash,
                                   &seen_status, &seen_body, &error))
    {
      rota_tenant_rollback (request->data);

      if (!g_str_equal (seen_hash, hash))
        {
          _rota_server_respond_error (request->msg, 422, "idempotency_key_reused", NULL,
                                      "This Idempotency-Key was used for another request; "
                                      "make a new key for a new write");
          return;
        }

      /* The first answer again, to the byte. */
      soup_server_message_set_status (request->msg, seen_status, NULL);
      soup_server_message_set_response (request->msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (seen_body, NULL), g_bytes_get_size (seen_body));
      return;
    }
  if (error != NULL)
    {
      rota_tenant_rollback (request->data);
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  if (check != NULL && !check (request, entity))
    {
      rota_tenant_rollback (request->data);
      return;
    }

  /* The same id again: the same fact is answered with what is stored,
   * another one under that id is a conflict. */
  stored = rota_tenant_get (request->data, type, rota_entity_get_id (entity), &deleted, NULL);
  if (stored != NULL)
    {
      g_autoptr(RotaEntity) candidate = rota_entity_copy (entity);

      /* What the server set is not part of what the client sent. */
      g_object_set (candidate,
                    "version", rota_entity_get_version (stored),
                    "updated-at", rota_entity_get_updated_at (stored),
                    NULL);
      if (ROTA_IS_PUNCH (stored))
        g_object_set (candidate, "received-at", ROTA_PUNCH (stored)->received_at, NULL);

      if (!rota_entity_equal (candidate, stored))
        {
          rota_tenant_rollback (request->data);
          _rota_server_respond_error (request->msg, SOUP_STATUS_CONFLICT, "id_conflict", "id",
                                      "id: another record already has this id");
          return;
        }

      respond_and_commit (request, key, hash, SOUP_STATUS_OK, stored);
      return;
    }

  if (ROTA_IS_PUNCH (entity))
    ROTA_PUNCH (entity)->received_at = rota_time_now ();

  if (!rota_tenant_write (request->data, entity, FALSE, request->token_name, NULL, &error))
    {
      rota_tenant_rollback (request->data);
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  respond_and_commit (request, key, hash, SOUP_STATUS_CREATED, entity);
}

static gboolean
check_punch (RotaServerRequest *request,
             RotaEntity        *entity,
             gboolean           clock_in)
{
  RotaPunch *punch = ROTA_PUNCH (entity);
  gboolean kind_ok = clock_in
                     ? (punch->kind == ROTA_PUNCH_KIND_IN || punch->kind == ROTA_PUNCH_KIND_BREAK_END)
                     : (punch->kind == ROTA_PUNCH_KIND_OUT || punch->kind == ROTA_PUNCH_KIND_BREAK_START);

  if (!kind_ok)
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "kind",
                                  clock_in ? "kind: a clock-in is in or break_end"
                                           : "kind: a clock-out is out or break_start");
      return FALSE;
    }

  return _rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, punch->employee_id, "employeeId");
}

static gboolean
check_clock_in (RotaServerRequest *request,
                RotaEntity        *entity)
{
  return check_punch (request, entity, TRUE);
}

static gboolean
check_clock_out (RotaServerRequest *request,
                 RotaEntity        *entity)
{
  return check_punch (request, entity, FALSE);
}

static gboolean
check_correction (RotaServerRequest *request,
                  RotaEntity        *entity)
{
  RotaPunchCorrection *correction = ROTA_PUNCH_CORRECTION (entity);
  g_autoptr(RotaEntity) punch = NULL;

  if (!_rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, correction->employee_id, "employeeId"))
    return FALSE;

  if (correction->punch_id == NULL)
    return TRUE;

  punch = rota_tenant_get (request->data, ROTA_TYPE_PUNCH, correction->punch_id, NULL, NULL);
  if (punch == NULL || g_strcmp0 (ROTA_PUNCH (punch)->employee_id, correction->employee_id) != 0)
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "punchId",
                                  "punchId: there is no such punch of this employee");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_approval (RotaServerRequest *request,
                RotaEntity        *entity)
{
  return _rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, ROTA_APPROVAL (entity)->employee_id,
                                       "employeeId");
}

void
_rota_server_handle_clock_in (RotaServerRequest *request)
{
  record_fact (request, ROTA_TYPE_PUNCH, check_clock_in);
}

void
_rota_server_handle_clock_out (RotaServerRequest *request)
{
  record_fact (request, ROTA_TYPE_PUNCH, check_clock_out);
}

void
_rota_server_handle_punch_correction (RotaServerRequest *request)
{
  record_fact (request, ROTA_TYPE_PUNCH_CORRECTION, check_correction);
}

void
_rota_server_handle_approval (RotaServerRequest *request)
{
  record_fact (request, ROTA_TYPE_APPROVAL, check_approval);
}
