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
 * Nothing is answered before it is committed (rota-server-idempotency.c).
 */

typedef gboolean (*CheckFunc) (RotaServerRequest *request,
                               RotaEntity        *entity);

static void
record_fact (RotaServerRequest *request,
             GType              type,
             CheckFunc          check)
{
  g_autoptr(RotaEntity) entity = NULL;
  g_autoptr(RotaEntity) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  gboolean deleted = FALSE;

  if (!_rota_server_idempotency_begin (request, &key, &hash))
    return;

  entity = _rota_server_read_entity (request, type);
  if (entity == NULL)
    {
      rota_tenant_rollback (request->data);
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

      _rota_server_idempotency_commit (request, key, hash, SOUP_STATUS_OK, stored, NULL);
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

  _rota_server_idempotency_commit (request, key, hash, SOUP_STATUS_CREATED, entity, NULL);
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
