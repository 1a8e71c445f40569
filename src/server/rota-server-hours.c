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
#include "rota-punch-analysis.h"
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

static void
set_author (RotaServerRequest  *request,
            char              **author)
{
  if (request->token_name == NULL || g_strcmp0 (*author, request->token_name) == 0)
    return;

  g_free (*author);
  *author = g_strdup (request->token_name);
}

static gboolean
check_correction (RotaServerRequest *request,
                  RotaEntity        *entity)
{
  RotaPunchCorrection *correction = ROTA_PUNCH_CORRECTION (entity);
  g_autoptr(RotaEntity) punch = NULL;
  g_autoptr(RotaEntity) added = NULL;

  if (!_rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, correction->employee_id, "employeeId"))
    return FALSE;

  /* The author is who the token is, whatever the client wrote. */
  set_author (request, &correction->author);

  if (correction->punch_id == NULL)
    return TRUE;

  /* A punch as clocked, or one a correction added (its id is the
   * correction's): both can be moved or voided. */
  punch = rota_tenant_get (request->data, ROTA_TYPE_PUNCH, correction->punch_id, NULL, NULL);
  if (punch == NULL)
    added = rota_tenant_get (request->data, ROTA_TYPE_PUNCH_CORRECTION, correction->punch_id, NULL, NULL);
  if (added != NULL && ROTA_PUNCH_CORRECTION (added)->action == ROTA_CORRECTION_ACTION_ADD &&
      g_strcmp0 (ROTA_PUNCH_CORRECTION (added)->employee_id, correction->employee_id) == 0)
    return TRUE;

  if (punch == NULL || g_strcmp0 (ROTA_PUNCH (punch)->employee_id, correction->employee_id) != 0)
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "punchId",
                                  "punchId: there is no such punch of this employee");
      return FALSE;
    }

  return TRUE;
}

/* Every entity of @query, all pages, added to @into. */
static gboolean
list_all (RotaServerRequest  *request,
          RotaTenantQuery    *query,
          GPtrArray          *into,
          GError            **error)
{
  guint pages = 1;

  query->page_size = 1000;
  for (query->page = 1; query->page <= pages; query->page++)
    {
      g_autoptr(GPtrArray) some = rota_tenant_list (request->data, query, &pages, error);

      if (some == NULL)
        return FALSE;
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (into, g_object_ref (g_ptr_array_index (some, i)));
    }

  return TRUE;
}

/* The employee's day as the client's Punches page sees it: the same
 * analysis over the same data (rota-punch-analysis.c), so the same
 * version. Sets *@out_today to the employee's today. */
static gboolean
analyse_day (RotaServerRequest   *request,
             RotaEmployee        *employee,
             const char          *work_date,
             RotaPunchReport    **out_report,
             char               **out_today,
             GError             **error)
{
  g_autoptr(RotaPunchInput) input = NULL;
  g_autoptr(GPtrArray) corrections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RotaEntity) department = NULL;
  g_autoptr(RotaEntity) office = NULL;
  RotaTenantQuery query = { 0 };
  RotaTenantQuery all_corrections = { .type = ROTA_TYPE_PUNCH_CORRECTION };
  gint64 now = rota_time_now ();
  GTimeZone *zone = NULL;

  input = rota_punch_input_new (work_date, work_date, now);
  if (input == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "workDate: not a date");
      return FALSE;
    }

  if (employee->department_ids != NULL && employee->department_ids[0] != NULL)
    department = rota_tenant_get (request->data, ROTA_TYPE_DEPARTMENT, employee->department_ids[0], NULL, NULL);
  if (department != NULL)
    office = rota_tenant_get (request->data, ROTA_TYPE_OFFICE, ROTA_DEPARTMENT (department)->office_id, NULL, NULL);
  if (department != NULL)
    g_ptr_array_add (input->departments, g_object_ref (department));
  if (office != NULL)
    {
      g_ptr_array_add (input->offices, g_object_ref (office));
      zone = rota_time_zone_get (ROTA_OFFICE (office)->time_zone);
    }
  g_ptr_array_add (input->employees, g_object_ref (employee));

  query.employee_id = employee->id;
  rota_punch_input_get_window (input, &query.from, &query.to);
  query.type = ROTA_TYPE_SHIFT;
  if (!list_all (request, &query, input->shifts, error))
    return FALSE;
  query.type = ROTA_TYPE_PUNCH;
  if (!list_all (request, &query, input->punches, error))
    return FALSE;
  if (!list_all (request, &all_corrections, corrections, error))
    return FALSE;
  for (guint i = 0; i < corrections->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (corrections, i);

      if (g_strcmp0 (correction->employee_id, employee->id) == 0)
        g_ptr_array_add (input->corrections, g_object_ref (correction));
    }

  /* Punches clocked further away that a correction moves into the day's
   * window: read by id, as the client's loader does. */
  {
    g_autoptr(GPtrArray) moved_in = rota_punch_input_list_moved_in (input);

    for (guint i = 0; i < moved_in->len; i++)
      {
        RotaEntity *punch = rota_tenant_get (request->data, ROTA_TYPE_PUNCH, g_ptr_array_index (moved_in, i),
                                             NULL, NULL);

        if (punch != NULL)
          g_ptr_array_add (input->punches, punch);
      }
  }

  *out_report = rota_punch_analyze (input);
  *out_today = rota_time_work_date (now, zone != NULL ? zone : rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE));

  return TRUE;
}

/* An approval is of the day as HR saw it: its forVersion must be the
 * day's version now, or somebody corrected the day in between and it has
 * to be reviewed again. A day that has not begun cannot be approved. */
static gboolean
check_approval (RotaServerRequest *request,
                RotaEntity        *entity)
{
  RotaApproval *approval = ROTA_APPROVAL (entity);
  g_autoptr(RotaEntity) employee = NULL;
  g_autoptr(RotaEntity) stored = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = NULL;
  const RotaPunchDay *day;

  if (!_rota_server_check_reference (request, ROTA_TYPE_EMPLOYEE, approval->employee_id, "employeeId"))
    return FALSE;

  set_author (request, &approval->author);

  /* The same approval again (a retry after the answer was lost) is
   * answered with what is stored, whatever happened to the day since. */
  stored = rota_tenant_get (request->data, ROTA_TYPE_APPROVAL, approval->id, NULL, NULL);
  if (stored != NULL)
    return TRUE;

  employee = rota_tenant_get (request->data, ROTA_TYPE_EMPLOYEE, approval->employee_id, NULL, NULL);
  if (employee == NULL || !rota_date_is_valid (approval->work_date))
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "workDate", "workDate: not a date");
      return FALSE;
    }

  if (!analyse_day (request, ROTA_EMPLOYEE (employee), approval->work_date, &report, &today, &error))
    {
      _rota_server_respond_store_error (request->msg, error);
      return FALSE;
    }

  if (strcmp (approval->work_date, today) > 0)
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "workDate",
                                  "workDate: a day in the future cannot be approved");
      return FALSE;
    }

  day = rota_punch_report_find_day (report, approval->employee_id, approval->work_date);
  if (day == NULL)
    {
      _rota_server_respond_error (request->msg, 422, "invalid", "workDate",
                                  "workDate: the employee has no shift, punch or correction on this day");
      return FALSE;
    }

  /* Taking a decision back needs no particular version of the day. */
  if (approval->state == ROTA_APPROVAL_STATE_WITHDRAWN)
    return TRUE;

  if (day->version != approval->for_version)
    {
      _rota_server_respond_error (request->msg, SOUP_STATUS_CONFLICT, "day_changed", "forVersion",
                                  "forVersion: the day changed since it was reviewed; review it again");
      return FALSE;
    }

  /* A day whose worked time is not known cannot be paid. */
  if (approval->state == ROTA_APPROVAL_STATE_APPROVED &&
      (day->flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_OVERLAP | ROTA_DAY_WORKING)))
    {
      _rota_server_respond_error (request->msg, 422, "incomplete", "workDate",
                                  "workDate: a clock-in or clock-out is missing or doubled, or someone is still "
                                  "clocked in; correct the punches before approving the day");
      return FALSE;
    }

  return TRUE;
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
