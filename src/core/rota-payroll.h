/* rota-payroll.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-punch-analysis.h"
#include "rota-store.h"

G_BEGIN_DECLS

/*
 * Payroll export: the approved hours of a period as CSV.
 *
 * Only days whose flags have ROTA_DAY_APPROVED are written. The file is
 * a fixed machine format, the same in every language (the header row is
 * never translated):
 *
 * - UTF-8, starting with a byte order mark (EF BB BF), so that Excel
 *   also reads it as UTF-8; LibreOffice and most CSV readers drop it.
 * - RFC 4180: comma separated, every line (the last one too) ends in
 *   CRLF, a double quote inside a field is doubled. Text cells are always
 *   in double quotes (and so may hold commas and line breaks); numbers,
 *   dates and times never are, and neither is the header row. Import with
 *   LibreOffice's "Format quoted field as text" to keep personnel
 *   numbers like 0042 as they are.
 * - A header row, then one row per employee and approved work day, sorted
 *   by department name, last name, first name (compared case-insensitively
 *   and the same in every locale), then work date.
 * - Text that came from people (names, personnel numbers, the approver)
 *   and starts with = + - @, TAB or CR gets a leading apostrophe, so that
 *   no spreadsheet runs it as a formula ("CSV injection").
 *
 * The columns, in this order:
 *
 *   personnel_number   text, as entered (may be empty)
 *   employee_id        text, Rota's id of the employee
 *   last_name          text, without its prefix ("Vries")
 *   last_name_prefix   text, the Dutch tussenvoegsel ("de"), may be empty
 *   first_name         text
 *   department         the name of the day's department
 *   department_id      its id
 *   work_date          YYYY-MM-DD, the day the work started, in the
 *                      office's time zone
 *   clock_in           HH:MM, the first clock-in as punched (not rounded),
 *                      in the office's time zone
 *   clock_out          HH:MM, the last clock-out likewise; when it is not
 *                      after clock_in it is on the next day (a night shift)
 *   break_minutes      integer
 *   worked_minutes     integer: net worked time, rounded when the office
 *                      rounds; this is the figure to pay
 *   worked_time        H:MM, the same as hours and minutes ("7:30" is
 *                      seven and a half hours). Not a decimal: "7.50" would
 *                      be text or a date to a spreadsheet in a German or
 *                      Dutch locale, while "7:30" is read as a time in
 *                      every locale (format it as [HH]:MM to sum it).
 *                      Decimal hours are worked_minutes / 60.
 *   planned_minutes    integer, net; 0 when the day was not planned
 *   deviation_minutes  integer, worked_minutes - planned_minutes, may be
 *                      negative
 *   approved_by        text, who approved the day
 *   approved_at        ISO 8601 in UTC, YYYY-MM-DDTHH:MM:SSZ
 *
 * Minutes are whole minutes, rounded down from the analysis's seconds.
 * Cells that do not apply (no clock-out, say) are empty.
 *
 * rota_payroll_csv_days() is the writer itself, on days from anywhere;
 * rota_payroll_csv() writes a report's days, and rota_payroll_export()
 * loads and analyses a period of a store and writes it to a stream.
 * They live in two files (rota-payroll.c, rota-payroll-export.c) so that
 * the writer can be tested without the analysis.
 */

#define ROTA_PAYROLL_ERROR (rota_payroll_error_quark ())

typedef enum
{
  ROTA_PAYROLL_ERROR_INVALID_PERIOD,
  ROTA_PAYROLL_ERROR_UNKNOWN_DEPARTMENT,
  ROTA_PAYROLL_ERROR_FAILED,
} RotaPayrollError;

/* The longest period rota_period_parse() accepts, in days. */
#define ROTA_PERIOD_MAX_DAYS 400

/* The header row, without its CRLF. */
#define ROTA_PAYROLL_CSV_HEADER \
  "personnel_number,employee_id,last_name,last_name_prefix,first_name,department,department_id," \
  "work_date,clock_in,clock_out,break_minutes,worked_minutes,worked_time," \
  "planned_minutes,deviation_minutes,approved_by,approved_at"

#define ROTA_PAYROLL_CSV_N_COLUMNS 17

GQuark    rota_payroll_error_quark (void);

gboolean  rota_period_parse        (const char       *text,
                                    char              first_day[11],
                                    char              last_day[11],
                                    GError          **error);

char     *rota_payroll_csv_days    (const RotaPunchDay * const *days,
                                    guint             n_days,
                                    GPtrArray        *offices,
                                    GPtrArray        *departments,
                                    GPtrArray        *employees,
                                    const char       *department_id,
                                    gsize            *length) G_GNUC_WARN_UNUSED_RESULT;
char     *rota_payroll_csv         (RotaPunchReport  *report,
                                    GPtrArray        *offices,
                                    GPtrArray        *departments,
                                    GPtrArray        *employees,
                                    const char       *department_id,
                                    gsize            *length) G_GNUC_WARN_UNUSED_RESULT;

gboolean  rota_payroll_export      (RotaStore        *store,
                                    const char       *first_day,
                                    const char       *last_day,
                                    const char       *department_id,
                                    GOutputStream    *out,
                                    gint64            now,
                                    GCancellable     *cancellable,
                                    GError          **error);

G_END_DECLS
