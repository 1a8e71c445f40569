/* rota-server-private.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rota-server.h"
#include "rota-tenant.h"

G_BEGIN_DECLS

/*
 * What the route handlers share. rota-server.c authenticates a request,
 * finds its route and tenant, checks the scope, and hands the handler a
 * RotaServerRequest; the handlers live in rota-server*.c by area.
 */

/* DESIGN §3: request bodies are capped at 1 MiB. */
#define ROTA_SERVER_MAX_BODY_SIZE ROTA_JSON_MAX_SIZE
/* Items per page of the paged lists, and the change feed's largest limit
 * (data/openapi.yaml, Capabilities). */
#define ROTA_SERVER_PAGE_SIZE 100
#define ROTA_SERVER_MAX_CHANGES_LIMIT 10000

typedef struct
{
  RotaServer        *server;
  SoupServerMessage *msg;
  GHashTable        *query;
  char              *tenant;
  char              *token_name;
  char              *token_id;
  RotaScopes         scopes;
  char              *param;
  RotaTenant        *data;
} RotaServerRequest;

#define ROTA_SERVER_READ_SCOPES (ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_PLANNING_WRITE | \
                                 ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE | ROTA_SCOPE_CLOCK)

void        _rota_server_respond_json        (SoupServerMessage  *msg,
                                              guint               status,
                                              JsonNode           *node);
void        _rota_server_respond_error       (SoupServerMessage  *msg,
                                              guint               status,
                                              const char         *code,
                                              const char         *field,
                                              const char         *message);
void        _rota_server_respond_entity      (SoupServerMessage  *msg,
                                              guint               status,
                                              RotaEntity         *entity);
void        _rota_server_respond_store_error (SoupServerMessage  *msg,
                                              const GError       *error);
RotaEntity *_rota_server_read_entity         (RotaServerRequest  *request,
                                              GType               type);
gint64      _rota_server_if_match_version    (SoupServerMessage  *msg);
gboolean    _rota_server_check_reference     (RotaServerRequest  *request,
                                              GType               type,
                                              const char         *id,
                                              const char         *field);
gboolean    _rota_server_query_int           (RotaServerRequest  *request,
                                              const char         *name,
                                              gint64              fallback,
                                              gint64              min,
                                              gint64              max,
                                              gint64             *out);
JsonNode   *_rota_server_encode_for_scopes   (RotaEntity         *entity,
                                              RotaScopes          scopes);
gboolean    _rota_server_kind_visible        (RotaScopes          scopes,
                                              const char         *kind);
gboolean    _rota_server_idempotency_begin   (RotaServerRequest  *request,
                                              char              **key,
                                              char              **hash);
void        _rota_server_idempotency_commit  (RotaServerRequest  *request,
                                              const char         *key,
                                              const char         *hash,
                                              guint               status,
                                              RotaEntity         *entity,
                                              JsonNode           *node);

G_END_DECLS
