/* test-payroll.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "rota-model-private.h"
#include "rota-payroll.h"
#include "rota-time.h"

#include "csv-read.h"

/*
 * The period parser and the payroll CSV writer, on days built by hand:
 * no store and no analysis. What is written is read back with a strict
 * RFC 4180 reader of the test's own and compared field by field. The
 * whole way through the store and rotactl is in test-rotactl.c.
 */

/* Periods */

typedef struct
{
  const char *text;
  const char *message_part;   /* what the error message must say */
} BadPeriod;

static void
test_period_bad (void)
{
  static const BadPeriod cases[] = {
    { "", "The period is empty" },
    { "2026-13", "months run from 01 to 12" },
    { "2026-00", "months run from 01 to 12" },
    { "2026-02-30", "there is no day 2026-02-30" },
    { "2026-02-29", "there is no day 2026-02-29" },
    { "2026-04-31", "there is no day 2026-04-31" },
    { "2026-W54", "the ISO weeks of 2026 run from W01 to W53" },
    { "2026-W00", "the ISO weeks of 2026 run from W01 to W53" },
    { "2025-W53", "the ISO weeks of 2025 run from W01 to W52" },
    { "2026-03-15..2026-03-01", "ends before it starts" },
    { "2026-01-01..2027-02-05", "has 401 days; a period has at most 400" },
    { "2026-03x", "Give a month (2026-03)" },
    { "2026-03 ", "is not a period. Give a month" },
    { " 2026-03", "is not a period. Give a month" },
    { "2026 -03", "is not a period. Give a month" },
    { "2026-1", "is not a period. Give a month" },
    { "2026-3-1", "is not a period. Give a month" },
    { "2026/03", "is not a period. Give a month" },
    { "2026-W5", "is not a period. Give a month" },
    { "2026-X09", "is not a period. Give a month" },
    { "2026-03-01..", "is not a period. Give a month" },
    { "..2026-03-01", "is not a period. Give a month" },
    { "2026-03-01...2026-03-02", "is not a period. Give a month" },
    { "2026-03-01..2026-03-31..2026-04-30", "is not a period. Give a month" },
    { "2026-03-01 .. 2026-03-02", "is not a period. Give a month" },
    { "2026-03-01\n", "is not a period. Give a month" },
    { "2026-\xd9\xa0\xd9\xa3", "is not a period. Give a month" },              /* Arabic-Indic 03 */
    { "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-03", "is not a period" }, /* fullwidth 2026 */
    { "2026-\xff\xfe", "is not a period" },                                      /* not UTF-8 */
    { "1999-12", "Rota keeps the years 2000 to 2099" },
    { "2100-01-01", "Rota keeps the years 2000 to 2099" },
    { "1999-12-31..2000-01-02", "Rota keeps the years 2000 to 2099" },
    { "2099-W53", "Rota keeps the years 2000 to 2099" },
    { "-2026-03", "is not a period" },
    { "+2026-03", "is not a period" },
    { "2026-03-02T00:00", "is not a period" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char first[11] = "untouched";
      char last[11] = "untouched";

      {
        /* Escaped: some cases are not UTF-8, and TAP output must be. */
        g_autofree char *shown = g_strescape (cases[i].text, NULL);

        g_test_message ("period “%s”", shown);
      }
      g_assert_false (rota_period_parse (cases[i].text, first, last, &error));
      g_assert_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD);
      g_test_message ("  → %s", error->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      /* No half answer. */
      g_assert_cmpstr (first, ==, "untouched");
      g_assert_cmpstr (last, ==, "untouched");
    }
}

static void
test_period_good (void)
{
  static const struct {
    const char *text;
    const char *first;
    const char *last;
  } cases[] = {
    { "2026-03", "2026-03-01", "2026-03-31" },
    { "2026-02", "2026-02-01", "2026-02-28" },
    { "2024-02", "2024-02-01", "2024-02-29" },
    { "2000-01", "2000-01-01", "2000-01-31" },
    { "2099-12", "2099-12-01", "2099-12-31" },
    { "2024-02-29", "2024-02-29", "2024-02-29" },
    { "2026-03-02", "2026-03-02", "2026-03-02" },
    /* ISO weeks: week 1 holds 4 January; 2026 and 2020 have 53 weeks. */
    { "2026-W01", "2025-12-29", "2026-01-04" },
    { "2026-w09", "2026-02-23", "2026-03-01" },
    { "2026-W53", "2026-12-28", "2027-01-03" },
    { "2020-W53", "2020-12-28", "2021-01-03" },
    { "2021-W01", "2021-01-04", "2021-01-10" },
    { "2027-W01", "2027-01-04", "2027-01-10" },
    { "2024-W09", "2024-02-26", "2024-03-03" },
    { "2000-W01", "2000-01-03", "2000-01-09" },
    { "2024-02-28..2024-03-01", "2024-02-28", "2024-03-01" },
    { "2026-03-02..2026-03-02", "2026-03-02", "2026-03-02" },
    { "2026-01-01..2027-02-04", "2026-01-01", "2027-02-04" },   /* 400 days */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char first[11];
      char last[11];

      {
        /* Escaped: some cases are not UTF-8, and TAP output must be. */
        g_autofree char *shown = g_strescape (cases[i].text, NULL);

        g_test_message ("period “%s”", shown);
      }
      g_assert_true (rota_period_parse (cases[i].text, first, last, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (first, ==, cases[i].first);
      g_assert_cmpstr (last, ==, cases[i].last);
    }
}

/* Hand-built offices, departments and employees. */

typedef struct
{
  GPtrArray *offices;
  GPtrArray *departments;
  GPtrArray *employees;
} Tenant;

static void
tenant_clear (Tenant *tenant)
{
  g_clear_pointer (&tenant->offices, g_ptr_array_unref);
  g_clear_pointer (&tenant->departments, g_ptr_array_unref);
  g_clear_pointer (&tenant->employees, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tenant, tenant_clear)

static void
add_office (Tenant     *tenant,
            const char *id,
            const char *zone)
{
  RotaOffice *office = rota_office_new ();

  office->id = g_strdup (id);
  office->name = g_strdup (id);
  g_free (office->time_zone);   /* the default zone */
  office->time_zone = g_strdup (zone);
  g_ptr_array_add (tenant->offices, office);
}

static void
add_department (Tenant     *tenant,
                const char *id,
                const char *office_id,
                const char *parent_id,
                const char *name)
{
  RotaDepartment *department = rota_department_new ();

  department->id = g_strdup (id);
  department->office_id = g_strdup (office_id);
  department->parent_id = g_strdup (parent_id);
  department->name = g_strdup (name);
  g_ptr_array_add (tenant->departments, department);
}

static void
add_employee (Tenant     *tenant,
              const char *id,
              const char *personnel_number,
              const char *first_name,
              const char *prefix,
              const char *last_name)
{
  RotaEmployee *employee = rota_employee_new ();

  employee->id = g_strdup (id);
  employee->personnel_number = g_strdup (personnel_number);
  employee->first_name = g_strdup (first_name);
  employee->last_name_prefix = g_strdup (prefix);
  employee->last_name = g_strdup (last_name);
  g_ptr_array_add (tenant->employees, employee);
}

static void
tenant_init (Tenant *tenant)
{
  tenant->offices = g_ptr_array_new_with_free_func (g_object_unref);
  tenant->departments = g_ptr_array_new_with_free_func (g_object_unref);
  tenant->employees = g_ptr_array_new_with_free_func (g_object_unref);

  add_office (tenant, "o-ams", "Europe/Amsterdam");
  add_office (tenant, "o-ber", "Europe/Berlin");

  add_department (tenant, "d-bar", "o-ams", NULL, "Bar, Front");
  add_department (tenant, "d-kitchen", "o-ber", NULL, "Küche");
  add_department (tenant, "d-pastry", "o-ber", "d-kitchen", "Pastry");
  /* A cycle from a confused server must not hang the filter. */
  add_department (tenant, "d-loop-a", "o-ber", "d-loop-b", "Loop A");
  add_department (tenant, "d-loop-b", "o-ber", "d-loop-a", "Loop B");

  add_employee (tenant, "e-muller", "0042", "Jürgen", NULL, "Müller");
  add_employee (tenant, "e-vries", "0007", "\xc4\xb2sbrand", "de", "Vries");   /* Ĳ, one letter */
  add_employee (tenant, "e-andre", "0311", "André", NULL, "Étienne");
  add_employee (tenant, "e-inject", "@SUM(A1)", "-2+3", NULL,
                "=HYPERLINK(\"http://evil.example\",\"x\")");
  add_employee (tenant, "e-quote", "0100", "Anna\r\nMarie", NULL, "O\"Brien, Jr.");
  add_employee (tenant, "e-tab", "\t0200", "\rZoë", NULL, "+Plus");
}

static gint64
local (const char *zone,
       const char *date,
       const char *time)
{
  int minutes;

  g_assert_true (rota_time_of_day_parse (time, &minutes));
  return rota_time_from_local (rota_time_zone_get (zone), date, minutes);
}

static RotaPunchDay *
add_day (GPtrArray    *days,
         const char   *employee_id,
         const char   *department_id,
         const char   *office_id,
         const char   *work_date,
         gint64        clocked_start,
         gint64        clocked_end,
         int           break_minutes,
         int           worked_minutes,
         int           planned_minutes,
         RotaDayFlags  flags,
         const char   *approved_by,
         gint64        approved_at)
{
  RotaPunchDay *day = g_new0 (RotaPunchDay, 1);

  day->employee_id = employee_id;
  day->department_id = department_id;
  day->office_id = office_id;
  g_strlcpy (day->work_date, work_date, sizeof day->work_date);
  day->clocked_start = clocked_start;
  day->clocked_end = clocked_end;
  day->break_seconds = break_minutes * 60;
  /* Seconds that are not whole minutes are cut, never rounded up. */
  day->worked_seconds = worked_minutes * 60 + (worked_minutes > 0 ? 59 : 0);
  day->planned_seconds = planned_minutes * 60;
  day->deviation_seconds = day->worked_seconds - day->planned_seconds;
  day->flags = flags;
  day->approved_by = approved_by;
  day->approved_at = approved_at;
  g_ptr_array_add (days, day);

  return day;
}

/* 2026-07-02T09:00:00Z, from `date -u -d '2026-07-02 09:00' +%s`. */
#define APPROVED_AT G_GINT64_CONSTANT (1782982800)

static GPtrArray *
make_days (void)
{
  GPtrArray *days = g_ptr_array_new_with_free_func (g_free);
  const RotaDayFlags ok = ROTA_DAY_APPROVED;

  /* Berlin, summer time: 08:00 local is 06:00 UTC. */
  g_assert_cmpint (local ("Europe/Berlin", "2026-07-01", "08:00"), ==, 1782885600);

  add_day (days, "e-muller", "d-kitchen", "o-ber", "2026-07-01",
           local ("Europe/Berlin", "2026-07-01", "08:00"), local ("Europe/Berlin", "2026-07-01", "16:30"),
           30, 480, 480, ok, "hr@example.org", APPROVED_AT);
  /* Not approved, rejected, or approved with a finding left: only the
   * approval counts. */
  add_day (days, "e-muller", "d-kitchen", "o-ber", "2026-07-02",
           local ("Europe/Berlin", "2026-07-02", "08:20"), local ("Europe/Berlin", "2026-07-02", "16:30"),
           30, 460, 480, ROTA_DAY_LATE, NULL, 0);
  add_day (days, "e-muller", "d-kitchen", "o-ber", "2026-07-03",
           local ("Europe/Berlin", "2026-07-03", "08:00"), local ("Europe/Berlin", "2026-07-03", "16:30"),
           30, 480, 480, ROTA_DAY_REJECTED, "hr@example.org", APPROVED_AT);
  add_day (days, "e-muller", "d-kitchen", "o-ber", "2026-07-04",
           0, 0, 0, 0, 480, ROTA_DAY_NO_SHOW, NULL, 0);
  /* The night of the October change in Amsterdam: 22:00-06:00 is 9 h. */
  add_day (days, "e-vries", "d-bar", "o-ams", "2026-10-24",
           local ("Europe/Amsterdam", "2026-10-24", "22:00"), local ("Europe/Amsterdam", "2026-10-25", "06:00"),
           30, 510, 450, ok | ROTA_DAY_CORRECTED, "Ĳsbrand's manager", APPROVED_AT + 86400 * 120);
  add_day (days, "e-inject", "d-pastry", "o-ber", "2026-07-01",
           local ("Europe/Berlin", "2026-07-01", "09:00"), local ("Europe/Berlin", "2026-07-01", "17:15"),
           30, 465, 0, ok | ROTA_DAY_UNPLANNED, "=cmd|' /C calc'!A0", APPROVED_AT);
  /* No clock-out known: an empty cell, not 00:00. */
  add_day (days, "e-quote", "d-bar", "o-ams", "2026-07-01",
           local ("Europe/Amsterdam", "2026-07-01", "07:05"), 0,
           0, 0, 240, ok, "hr", APPROVED_AT);
  add_day (days, "e-andre", "d-kitchen", "o-ber", "2026-07-01",
           local ("Europe/Berlin", "2026-07-01", "09:00"), local ("Europe/Berlin", "2026-07-01", "17:00"),
           30, 450, 480, ok, "hr", APPROVED_AT);
  /* Earlier, but listed later: the output is sorted. */
  add_day (days, "e-muller", "d-kitchen", "o-ber", "2026-06-30",
           local ("Europe/Berlin", "2026-06-30", "06:00"), local ("Europe/Berlin", "2026-06-30", "14:40"),
           45, 475, 480, ok, "hr", APPROVED_AT);
  add_day (days, "e-tab", "d-loop-a", "o-ber", "2026-07-01",
           local ("Europe/Berlin", "2026-07-01", "10:00"), local ("Europe/Berlin", "2026-07-01", "12:00"),
           0, 120, 120, ok, "hr", APPROVED_AT);
  /* Outside every department we know, in no office: the default zone. */
  add_day (days, "e-gone", "d-gone", NULL, "2026-07-01",
           local ("Europe/Amsterdam", "2026-07-01", "12:00"), local ("Europe/Amsterdam", "2026-07-01", "13:00"),
           0, 60, 0, ok, "hr", APPROVED_AT);

  return days;
}

#define N_COLUMNS ROTA_PAYROLL_CSV_N_COLUMNS

static const char * const expected_all[][N_COLUMNS] = {
  /* "Bar, Front": O"Brien before Vries (last name without its prefix). */
  { "0100", "e-quote", "O\"Brien, Jr.", "", "Anna\r\nMarie", "Bar, Front", "d-bar",
    "2026-07-01", "07:05", "", "0", "0", "0:00", "240", "-240", "hr", "2026-07-02T09:00:00Z" },
  { "0007", "e-vries", "Vries", "de", "\xc4\xb2sbrand", "Bar, Front", "d-bar",
    "2026-10-24", "22:00", "06:00", "30", "510", "8:30", "450", "60", "Ĳsbrand's manager",
    "2026-10-30T09:00:00Z" },
  /* "Küche": Étienne sorts with E, before Müller, in every locale. */
  { "0311", "e-andre", "Étienne", "", "André", "Küche", "d-kitchen",
    "2026-07-01", "09:00", "17:00", "30", "450", "7:30", "480", "-30", "hr", "2026-07-02T09:00:00Z" },
  { "0042", "e-muller", "Müller", "", "Jürgen", "Küche", "d-kitchen",
    "2026-06-30", "06:00", "14:40", "45", "475", "7:55", "480", "-5", "hr", "2026-07-02T09:00:00Z" },
  { "0042", "e-muller", "Müller", "", "Jürgen", "Küche", "d-kitchen",
    "2026-07-01", "08:00", "16:30", "30", "480", "8:00", "480", "0", "hr@example.org",
    "2026-07-02T09:00:00Z" },
  { "'\t0200", "e-tab", "'+Plus", "", "'\rZoë", "Loop A", "d-loop-a",
    "2026-07-01", "10:00", "12:00", "0", "120", "2:00", "120", "0", "hr", "2026-07-02T09:00:00Z" },
  /* "Pastry", below "Küche". */
  { "'@SUM(A1)", "e-inject", "'=HYPERLINK(\"http://evil.example\",\"x\")", "", "'-2+3", "Pastry", "d-pastry",
    "2026-07-01", "09:00", "17:15", "30", "465", "7:45", "0", "465", "'=cmd|' /C calc'!A0",
    "2026-07-02T09:00:00Z" },
};

/* The unknown department has no name, so it sorts first. */
static const char * const expected_unknown[N_COLUMNS] = {
  "", "e-gone", "", "", "", "", "d-gone",
  "2026-07-01", "12:00", "13:00", "0", "60", "1:00", "0", "60", "hr", "2026-07-02T09:00:00Z"
};

static void
assert_row (GPtrArray         *rows,
            guint              index,
            const char * const expected[N_COLUMNS])
{
  GPtrArray *row;

  g_assert_cmpuint (index, <, rows->len);
  row = g_ptr_array_index (rows, index);
  g_assert_cmpuint (row->len, ==, N_COLUMNS);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (g_strcmp0 (g_ptr_array_index (row, c), expected[c]) != 0)
        g_test_message ("row %u, column %u", index, c);
      g_assert_cmpstr (g_ptr_array_index (row, c), ==, expected[c]);
    }
}

static void
assert_header (GPtrArray *rows)
{
  g_auto(GStrv) names = g_strsplit (ROTA_PAYROLL_CSV_HEADER, ",", -1);
  GPtrArray *header;

  g_assert_cmpuint (rows->len, >=, 1);
  header = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (g_strv_length (names), ==, N_COLUMNS);
  g_assert_cmpuint (header->len, ==, N_COLUMNS);
  for (guint c = 0; c < N_COLUMNS; c++)
    g_assert_cmpstr (g_ptr_array_index (header, c), ==, names[c]);
  g_assert_cmpstr (names[0], ==, "personnel_number");
  g_assert_cmpstr (names[N_COLUMNS - 1], ==, "approved_at");
}

static char *
write_csv (GPtrArray  *days,
           Tenant     *tenant,
           const char *department_id,
           gsize      *length)
{
  char *csv = rota_payroll_csv_days ((const RotaPunchDay * const *) days->pdata, days->len,
                                     tenant->offices, tenant->departments, tenant->employees,
                                     department_id, length);

  g_assert_nonnull (csv);
  g_assert_cmpuint (strlen (csv), ==, *length);
  g_assert_true (g_utf8_validate (csv, *length, NULL));

  return csv;
}

static void
test_csv_all (void)
{
  g_auto(Tenant) tenant = { 0 };
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;
  gsize length = 0;

  tenant_init (&tenant);
  days = make_days ();
  csv = write_csv (days, &tenant, NULL, &length);
  g_test_message ("%s", csv);

  /* The bytes themselves: BOM, header, CRLF, quoting, doubled quotes. */
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "personnel_number,employee_id,last_name,"));
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  g_assert_nonnull (strstr (csv, "\r\n\"0100\",\"e-quote\",\"O\"\"Brien, Jr.\",,\"Anna\r\nMarie\",\"Bar, Front\","));
  g_assert_nonnull (strstr (csv, ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","));
  g_assert_nonnull (strstr (csv, "\r\n\"'@SUM(A1)\",\"e-inject\","));
  g_assert_nonnull (strstr (csv, ",\"'=cmd|' /C calc'!A0\",2026-07-02T09:00:00Z\r\n"));
  g_assert_nonnull (strstr (csv, "\r\n\"0042\",\"e-muller\",\"Müller\",,\"Jürgen\",\"Küche\",\"d-kitchen\","
                                 "2026-07-01,08:00,16:30,30,480,8:00,480,0,\"hr@example.org\",2026-07-02T09:00:00Z\r\n"));
  /* Every LF is part of a CRLF. */
  for (const char *p = csv; (p = strchr (p, '\n')) != NULL; p++)
    g_assert_cmpint (p[-1], ==, '\r');
  /* Nothing unapproved. */
  g_assert_null (strstr (csv, "2026-07-02,"));
  g_assert_null (strstr (csv, "2026-07-03,"));
  g_assert_null (strstr (csv, "2026-07-04,"));

  rows = csv_read (csv, length, CSV_READ_ROTA);
  assert_header (rows);
  g_assert_cmpuint (rows->len, ==, 1 + 1 + G_N_ELEMENTS (expected_all));
  assert_row (rows, 1, expected_unknown);
  for (guint r = 0; r < G_N_ELEMENTS (expected_all); r++)
    assert_row (rows, 2 + r, expected_all[r]);
}

static void
test_csv_department (void)
{
  /* Which rows of expected_all each filter keeps, -1 ending the list.
   * A department brings the ones below it; a cycle in the parents does
   * not hang the filter. */
  static const struct {
    const char *department_id;
    int         rows[8];
  } cases[] = {
    { "d-kitchen", { 2, 3, 4, 6, -1 } },
    { "d-pastry", { 6, -1 } },
    { "d-bar", { 0, 1, -1 } },
    { "d-loop-a", { 5, -1 } },
    { "d-loop-b", { 5, -1 } },
    { "d-nowhere", { -1 } },
  };
  g_auto(Tenant) tenant = { 0 };
  g_autoptr(GPtrArray) days = NULL;

  tenant_init (&tenant);
  days = make_days ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autofree char *csv = NULL;
      gsize length = 0;
      guint n = 0;

      g_test_message ("department %s", cases[i].department_id);
      csv = write_csv (days, &tenant, cases[i].department_id, &length);
      rows = csv_read (csv, length, CSV_READ_ROTA);
      assert_header (rows);
      for (; cases[i].rows[n] >= 0; n++)
        assert_row (rows, 1 + n, expected_all[cases[i].rows[n]]);
      g_assert_cmpuint (rows->len, ==, 1 + n);
    }
}

static void
test_csv_empty (void)
{
  g_auto(Tenant) tenant = { 0 };
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *csv = NULL;
  g_autofree char *none = NULL;
  gsize length = 0;

  tenant_init (&tenant);
  csv = write_csv (days, &tenant, NULL, &length);
  g_assert_cmpstr (csv, ==, "\xEF\xBB\xBF" ROTA_PAYROLL_CSV_HEADER "\r\n");

  /* Days, but none approved, or none in the department. */
  g_clear_pointer (&days, g_ptr_array_unref);
  days = make_days ();
  none = write_csv (days, &tenant, "d-nowhere", &length);
  g_assert_cmpstr (none, ==, "\xEF\xBB\xBF" ROTA_PAYROLL_CSV_HEADER "\r\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/payroll/period/bad", test_period_bad);
  g_test_add_func ("/core/payroll/period/good", test_period_good);
  g_test_add_func ("/core/payroll/csv/all", test_csv_all);
  g_test_add_func ("/core/payroll/csv/department", test_csv_department);
  g_test_add_func ("/core/payroll/csv/empty", test_csv_empty);

  return g_test_run ();
}
