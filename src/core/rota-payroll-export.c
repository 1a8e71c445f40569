/* rota-payroll-export.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-payroll"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rota-model-private.h"
#include "rota-payroll.h"
#include "rota-time.h"

/*
 * The payroll export on top of the punch analysis: a report's days to
 * CSV, and a period of a store to a stream. The writer itself is in
 * rota-payroll.c.
 */

/**
 * rota_payroll_csv:
 * @report: an analysed period
 * @offices: (element-type RotaOffice) (nullable): for the time zones
 * @departments: (element-type RotaDepartment) (nullable): for the names and
 *   the department filter
 * @employees: (element-type RotaEmployee) (nullable): for the names
 * @department_id: (nullable): only this department and those below it
 * @length: (out) (optional): the length of the result in bytes
 *
 * The approved days of @report as payroll CSV; see
 * rota_payroll_csv_days().
 *
 * Returns: (transfer full): the CSV, NUL-terminated
 */
char *
rota_payroll_csv (RotaPunchReport *report,
                  GPtrArray       *offices,
                  GPtrArray       *departments,
                  GPtrArray       *employees,
                  const char      *department_id,
                  gsize           *length)
{
  g_autoptr(GPtrArray) days = NULL;
  guint n_days;

  g_return_val_if_fail (report != NULL, NULL);

  n_days = rota_punch_report_get_n_days (report);
  days = g_ptr_array_sized_new (n_days);
  for (guint i = 0; i < n_days; i++)
    g_ptr_array_add (days, (gpointer) rota_punch_report_get_day (report, i));

  return rota_payroll_csv_days ((const RotaPunchDay * const *) days->pdata, days->len,
                                offices, departments, employees, department_id, length);
}

/**
 * rota_payroll_export:
 * @store: the store to read
 * @first_day: the first day, "YYYY-MM-DD"
 * @last_day: the last day, inclusive
 * @department_id: (nullable): only this department and those below it
 * @out: where the CSV goes; it is not closed
 * @now: the time the analysis takes as now (rota_time_now())
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Analyses the period's punches and writes its approved days to @out as
 * payroll CSV (rota-payroll.h). A @department_id that the store does not
 * know is an error (%ROTA_PAYROLL_ERROR_UNKNOWN_DEPARTMENT), not an empty
 * file, so that a typo is not taken for a month with no hours.
 *
 * Returns: %TRUE if the whole CSV was written
 */
gboolean
rota_payroll_export (RotaStore     *store,
                     const char    *first_day,
                     const char    *last_day,
                     const char    *department_id,
                     GOutputStream *out,
                     gint64         now,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autofree char *csv = NULL;
  gsize length = 0;

  g_return_val_if_fail (ROTA_IS_STORE (store), FALSE);
  g_return_val_if_fail (rota_date_is_valid (first_day), FALSE);
  g_return_val_if_fail (rota_date_is_valid (last_day), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  offices = rota_store_list_entities (store, ROTA_TYPE_OFFICE, error);
  if (offices == NULL)
    return FALSE;
  departments = rota_store_list_entities (store, ROTA_TYPE_DEPARTMENT, error);
  if (departments == NULL)
    return FALSE;
  employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, error);
  if (employees == NULL)
    return FALSE;

  if (department_id != NULL)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < departments->len && !known; i++)
        known = g_strcmp0 (rota_entity_get_id (g_ptr_array_index (departments, i)), department_id) == 0;

      if (!known)
        {
          g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_UNKNOWN_DEPARTMENT,
                       _("There is no department with the id “%s”."), department_id);
          return FALSE;
        }
    }

  /* The whole period, unfiltered: the writer keeps the days whose own
   * department is @department_id or below it, which is what payroll
   * books them to, whatever departments the analysis would select
   * people by. */
  report = rota_punch_report_load (store, first_day, last_day, NULL, now, cancellable, error);
  if (report == NULL)
    return FALSE;

  csv = rota_payroll_csv (report, offices, departments, employees, department_id, &length);

  return g_output_stream_write_all (out, csv, length, NULL, cancellable, error);
}
