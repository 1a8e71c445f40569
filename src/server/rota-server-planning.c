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

/*
 * The versioned records a client changes: shifts, absences and
 * availability. A PUT creates with If-None-Match: * or updates with
 * If-Match: "<version>"; a stale version gets 412 with the current record,
 * so nothing is silently overwritten; a DELETE needs If-Match too and
 * leaves a tombstone for the change feed.
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
  const char *if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                                            "If-None-Match");
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

  if (!rota_tenant_begin (request->data, &error))
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
