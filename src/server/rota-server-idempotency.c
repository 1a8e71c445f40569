/* rota-server-idempotency.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server"

#include "config.h"

#include "rota-codec.h"
#include "rota-server-private.h"

/*
 * Idempotency-Key for every POST (DESIGN §3): the first answer to a key
 * is kept with the write it answers, in the same transaction, and a retry
 * with the same request gets it again without a second write; another
 * request under the key gets 422.
 */

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

/**
 * _rota_server_idempotency_begin:
 * @request: a POST request
 * @key: (out): its Idempotency-Key
 * @hash: (out): the hash of the request
 *
 * Checks the key and opens the tenant's write transaction. If the key was
 * seen before, answers (the first answer again, or 422) and returns
 * %FALSE with no transaction open; likewise after any other error.
 *
 * Returns: %TRUE with the transaction open, to go on with the write
 */
gboolean
_rota_server_idempotency_begin (RotaServerRequest  *request,
                                char              **key,
                                char              **hash)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seen_hash = NULL;
  g_autoptr(GBytes) seen_body = NULL;
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                                     "Idempotency-Key");
  guint seen_status = 0;

  if (header == NULL || !g_uuid_string_is_valid (header))
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "idempotency_key_required",
                                  NULL, "Send an Idempotency-Key header with a UUID, the same on every retry");
      return FALSE;
    }

  *key = g_strdup (header);
  *hash = request_hash (request);

  if (!rota_tenant_begin (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return FALSE;
    }

  if (rota_tenant_idempotency_get (request->data, request->token_id, *key, &seen_hash,
                                   &seen_status, &seen_body, &error))
    {
      rota_tenant_rollback (request->data);

      if (!g_str_equal (seen_hash, *hash))
        {
          _rota_server_respond_error (request->msg, 422, "idempotency_key_reused", NULL,
                                      "This Idempotency-Key was used for another request; "
                                      "make a new key for a new write");
          return FALSE;
        }

      /* The first answer again, to the byte. */
      soup_server_message_set_status (request->msg, seen_status, NULL);
      soup_server_message_set_response (request->msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (seen_body, NULL), g_bytes_get_size (seen_body));
      return FALSE;
    }

  if (error != NULL)
    {
      rota_tenant_rollback (request->data);
      _rota_server_respond_store_error (request->msg, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * _rota_server_idempotency_commit:
 * @request: a request begun with _rota_server_idempotency_begin()
 * @key: its key
 * @hash: its hash
 * @status: the answer's status
 * @entity: (nullable): the answer's entity, or %NULL to answer @node
 * @node: (nullable): the answer's JSON when @entity is %NULL
 *
 * Keeps the answer for the key, commits the write with it, and only then
 * answers: the write, the answer and the key stand or fall together.
 */
void
_rota_server_idempotency_commit (RotaServerRequest *request,
                                 const char        *key,
                                 const char        *hash,
                                 guint              status,
                                 RotaEntity        *entity,
                                 JsonNode          *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = entity != NULL ? rota_codec_encode (entity, ROTA_CODEC_DEFAULT) : json_node_ref (node);
  g_autoptr(GBytes) body = NULL;
  gsize length = 0;
  char *text;

  text = rota_json_to_string (answer, &length);
  body = g_bytes_new_take (text, length);

  if (!rota_tenant_idempotency_put (request->data, request->token_id, key, hash, status, body, &error) ||
      !rota_tenant_commit (request->data, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  if (entity != NULL)
    _rota_server_respond_entity (request->msg, status, entity);
  else
    _rota_server_respond_json (request->msg, status, answer);
}
