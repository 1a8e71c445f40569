/* rota-payroll.c
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
 * The payroll CSV writer and the period parser. Neither reads a store
 * nor runs the analysis (that is rota-payroll-export.c), so that both
 * can be tested on days built by hand. The format is documented in
 * rota-payroll.h, the README and HACKING.md; keep the three in step.
 */

G_DEFINE_QUARK (rota-payroll-error-quark, rota_payroll_error)

/* Periods */

/* The years a period may touch: those of ROTA_INSTANT_MIN/MAX. */
#define PERIOD_YEAR_MIN 2000
#define PERIOD_YEAR_MAX 2099

typedef enum
{
  DAY_OK,
  DAY_SHAPE,
  DAY_YEAR,
  DAY_INVALID,
} DayProblem;

static gboolean
parse_digits (const char *text,
              guint       n,
              int        *out_value)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      /* ASCII only: g_ascii_isdigit() is FALSE for the NUL, for "٣" and
       * for the bytes of any other non-ASCII digit. */
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }

  *out_value = value;

  return TRUE;
}

/* Exactly "YYYY-MM-DD" in the first ten bytes of @text. */
static DayProblem
parse_day (const char *text,
           GDate      *out_date)
{
  int year, month, day;

  if (!parse_digits (text, 4, &year) || text[4] != '-' ||
      !parse_digits (text + 5, 2, &month) || text[7] != '-' ||
      !parse_digits (text + 8, 2, &day))
    return DAY_SHAPE;

  if (year < PERIOD_YEAR_MIN || year > PERIOD_YEAR_MAX)
    return DAY_YEAR;

  if (month < 1 || month > 12 || day < 1 || !g_date_valid_dmy (day, month, year))
    return DAY_INVALID;

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, day, month, year);

  return DAY_OK;
}

/* The user's text as it may appear inside an error message: valid
 * UTF-8, no control characters, not endless. */
static char *
quote_for_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0' && n < 40; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  if (*valid != '\0' && n >= 40 && strlen (valid) > out->len)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

static const char *
period_expected (void)
{
  return _("Give a month (2026-03), an ISO week (2026-W09), a day (2026-03-02) "
           "or a range of days (2026-03-02..2026-03-15, at most 400 days).");
}

static gboolean
day_problem_error (DayProblem   problem,
                   const char  *whole,
                   const char  *day_text,
                   GError     **error)
{
  g_autofree char *quoted = quote_for_message (whole);
  g_autofree char *day = g_strndup (day_text, 10);
  g_autofree char *quoted_day = quote_for_message (day);

  switch (problem)
    {
    case DAY_SHAPE:
      g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                   _("“%s” is not a period. %s"), quoted, period_expected ());
      break;

    case DAY_YEAR:
      g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                   _("“%s” is not a period: Rota keeps the years %d to %d."),
                   quoted, PERIOD_YEAR_MIN, PERIOD_YEAR_MAX);
      break;

    case DAY_INVALID:
      g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                   _("“%s” is not a period: there is no day %s."), quoted, quoted_day);
      break;

    case DAY_OK:
    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static void
format_day (const GDate *date,
            char         out[11])
{
  g_snprintf (out, 11, "%04d-%02d-%02d",
              g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
}

/**
 * rota_period_parse:
 * @text: a period as a person types it
 * @first_day: (out caller-allocates): the first day, "YYYY-MM-DD"
 * @last_day: (out caller-allocates): the last day, inclusive
 * @error: return location for a #GError
 *
 * Parses a period, exactly one of:
 * - "YYYY-MM": that month;
 * - "YYYY-Www" (or "YYYY-www"): that ISO 8601 week, Monday to Sunday,
 *   which may begin in the year before or end in the year after;
 * - "YYYY-MM-DD": that day;
 * - "YYYY-MM-DD..YYYY-MM-DD": those days, both included, at most
 *   %ROTA_PERIOD_MAX_DAYS of them.
 *
 * Only ASCII digits, no spaces, in the years 2000 to 2099. On failure
 * @error says what was wrong and what is expected (translated), and
 * @first_day and @last_day are left as they were.
 *
 * Returns: %TRUE if @text is a period
 */
gboolean
rota_period_parse (const char *text,
                   char        first_day[11],
                   char        last_day[11],
                   GError    **error)
{
  g_autofree char *quoted = NULL;
  GDate first, last;
  const char *dots;
  gsize length;
  int year, number;
  DayProblem problem;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (first_day != NULL, FALSE);
  g_return_val_if_fail (last_day != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  length = strlen (text);
  quoted = quote_for_message (text);

  if (length == 0)
    {
      g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                   _("The period is empty. %s"), period_expected ());
      return FALSE;
    }

  dots = strstr (text, "..");
  if (dots != NULL)
    {
      int days;

      if (dots - text != 10 || length != 22)
        return day_problem_error (DAY_SHAPE, text, text, error);
      if ((problem = parse_day (text, &first)) != DAY_OK)
        return day_problem_error (problem, text, text, error);
      if ((problem = parse_day (dots + 2, &last)) != DAY_OK)
        return day_problem_error (problem, text, dots + 2, error);

      days = g_date_days_between (&first, &last) + 1;
      if (days < 1)
        {
          g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                       _("The period “%s” ends before it starts; give the earlier day first."),
                       quoted);
          return FALSE;
        }
      if (days > ROTA_PERIOD_MAX_DAYS)
        {
          g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                       _("The period “%s” has %d days; a period has at most %d."),
                       quoted, days, ROTA_PERIOD_MAX_DAYS);
          return FALSE;
        }
    }
  else if (length == 10)
    {
      if ((problem = parse_day (text, &first)) != DAY_OK)
        return day_problem_error (problem, text, text, error);
      last = first;
    }
  else if (length == 8 && (text[5] == 'W' || text[5] == 'w'))
    {
      GDate january_4, december_28;
      int n_weeks;

      if (!parse_digits (text, 4, &year) || text[4] != '-' || !parse_digits (text + 6, 2, &number))
        return day_problem_error (DAY_SHAPE, text, text, error);
      if (year < PERIOD_YEAR_MIN || year > PERIOD_YEAR_MAX)
        return day_problem_error (DAY_YEAR, text, text, error);

      /* 28 December is always in the year's last ISO week, 4 January
       * always in its first. */
      g_date_clear (&december_28, 1);
      g_date_set_dmy (&december_28, 28, G_DATE_DECEMBER, year);
      n_weeks = (int) g_date_get_iso8601_week_of_year (&december_28);
      if (number < 1 || number > n_weeks)
        {
          g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                       _("“%s” is not a period: the ISO weeks of %d run from W01 to W%02d."),
                       quoted, year, n_weeks);
          return FALSE;
        }

      g_date_clear (&january_4, 1);
      g_date_set_dmy (&january_4, 4, G_DATE_JANUARY, year);
      first = january_4;
      g_date_subtract_days (&first, g_date_get_weekday (&january_4) - G_DATE_MONDAY);
      g_date_add_days (&first, (number - 1) * 7);
      last = first;
      g_date_add_days (&last, 6);

      /* 2000-W01 begins on 3 January, 2099-W53 ends in 2100. */
      if (g_date_get_year (&first) < PERIOD_YEAR_MIN || g_date_get_year (&last) > PERIOD_YEAR_MAX)
        return day_problem_error (DAY_YEAR, text, text, error);
    }
  else if (length == 7)
    {
      if (!parse_digits (text, 4, &year) || text[4] != '-' || !parse_digits (text + 5, 2, &number))
        return day_problem_error (DAY_SHAPE, text, text, error);
      if (year < PERIOD_YEAR_MIN || year > PERIOD_YEAR_MAX)
        return day_problem_error (DAY_YEAR, text, text, error);
      if (number < 1 || number > 12)
        {
          g_set_error (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_INVALID_PERIOD,
                       _("“%s” is not a period: months run from 01 to 12."), quoted);
          return FALSE;
        }

      g_date_clear (&first, 1);
      g_date_set_dmy (&first, 1, number, year);
      g_date_clear (&last, 1);
      g_date_set_dmy (&last, g_date_get_days_in_month (number, year), number, year);
    }
  else
    {
      return day_problem_error (DAY_SHAPE, text, text, error);
    }

  format_day (&first, first_day);
  format_day (&last, last_day);

  return TRUE;
}

/* The CSV writer */

typedef struct
{
  const RotaPunchDay *day;
  RotaEmployee       *employee;    /* nullable */
  RotaDepartment     *department;  /* nullable */
  char               *department_key;
  char               *last_name_key;
  char               *first_name_key;
} Row;

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->department_key);
  g_free (row->last_name_key);
  g_free (row->first_name_key);
}

/* A key that sorts names the same way in every locale, case- and
 * accent-insensitively first: the output of an export must not depend
 * on the LANG of whoever ran it. */
static char *
sort_key (const char *text)
{
  g_autofree char *decomposed = NULL;

  if (text == NULL)
    return g_strdup ("");

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_strdup (text);

  return g_utf8_casefold (decomposed, -1);
}

static int
compare_text (const char *key_a,
              const char *key_b,
              const char *raw_a,
              const char *raw_b)
{
  int result = strcmp (key_a, key_b);

  if (result != 0)
    return result;

  return g_strcmp0 (raw_a, raw_b);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *row_a = a;
  const Row *row_b = b;
  int result;

  if ((result = compare_text (row_a->department_key, row_b->department_key,
                              row_a->department ? row_a->department->name : NULL,
                              row_b->department ? row_b->department->name : NULL)) != 0)
    return result;
  if ((result = g_strcmp0 (row_a->day->department_id, row_b->day->department_id)) != 0)
    return result;
  if ((result = compare_text (row_a->last_name_key, row_b->last_name_key,
                              row_a->employee ? row_a->employee->last_name : NULL,
                              row_b->employee ? row_b->employee->last_name : NULL)) != 0)
    return result;
  if ((result = compare_text (row_a->first_name_key, row_b->first_name_key,
                              row_a->employee ? row_a->employee->first_name : NULL,
                              row_b->employee ? row_b->employee->first_name : NULL)) != 0)
    return result;
  /* Namesakes stay apart. */
  if ((result = g_strcmp0 (row_a->day->employee_id, row_b->day->employee_id)) != 0)
    return result;

  return strcmp (row_a->day->work_date, row_b->day->work_date);
}

static GHashTable *
index_by_id (GPtrArray *entities)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; entities != NULL && i < entities->len; i++)
    {
      RotaEntity *entity = g_ptr_array_index (entities, i);
      const char *id = rota_entity_get_id (entity);

      if (id != NULL)
        g_hash_table_insert (index, (gpointer) id, entity);
    }

  return index;
}

/* Whether @department_id is @root or below it. Parent links come from
 * the server, so a cycle ends the walk rather than looping. */
static gboolean
department_is_under (GHashTable *departments,
                     const char *department_id,
                     const char *root)
{
  guint steps = g_hash_table_size (departments) + 1;

  while (department_id != NULL && steps-- > 0)
    {
      RotaDepartment *department;

      if (g_str_equal (department_id, root))
        return TRUE;

      department = g_hash_table_lookup (departments, department_id);
      if (department == NULL)
        return FALSE;
      department_id = department->parent_id;
    }

  return FALSE;
}

static GTimeZone *
zone_of_day (const RotaPunchDay *day,
             GHashTable         *offices,
             RotaDepartment     *department)
{
  const char *office_id = day->office_id;
  RotaOffice *office;
  GTimeZone *tz = NULL;

  if (office_id == NULL && department != NULL)
    office_id = department->office_id;

  office = office_id != NULL ? g_hash_table_lookup (offices, office_id) : NULL;
  if (office != NULL && office->time_zone != NULL)
    tz = rota_time_zone_get (office->time_zone);

  return tz != NULL ? tz : rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE);
}

/* One text cell: made valid UTF-8, guarded against formulas, and always
 * quoted (RFC 4180 allows it for any field). Quoted text is what lets a
 * spreadsheet keep it as text: LibreOffice's "Format quoted field as
 * text" keeps the leading zeros of personnel number 0042, which would
 * otherwise become the number 42. Numbers, dates and times are never
 * quoted. */
static void
append_text (GString    *csv,
             const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL || *text == '\0')
    return;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (csv, '"');

  /* A spreadsheet takes a cell that starts with one of these for a
   * formula (or, for TAB and CR, drops them and then does); the
   * apostrophe makes it plain text that shows what was typed. */
  if (strchr ("=+-@\t\r", text[0]) != NULL)
    g_string_append_c (csv, '\'');

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }

  g_string_append_c (csv, '"');
}

static void
append_minutes_of_day (GString   *csv,
                       gint64     instant,
                       GTimeZone *tz)
{
  int minutes;

  if (instant == 0 || !rota_instant_is_valid (instant))
    return;

  minutes = rota_time_local_minutes (instant, tz);
  g_string_append_printf (csv, "%02d:%02d", minutes / 60, minutes % 60);
}

static void
append_row (GString    *csv,
            const Row  *row,
            GHashTable *offices)
{
  const RotaPunchDay *day = row->day;
  RotaEmployee *employee = row->employee;
  GTimeZone *tz = zone_of_day (day, offices, row->department);
  gint64 worked_minutes = MAX (day->worked_seconds, 0) / 60;
  gint64 planned_minutes = MAX (day->planned_seconds, 0) / 60;

  append_text (csv, employee ? employee->personnel_number : NULL);
  g_string_append_c (csv, ',');
  append_text (csv, day->employee_id);
  g_string_append_c (csv, ',');
  append_text (csv, employee ? employee->last_name : NULL);
  g_string_append_c (csv, ',');
  append_text (csv, employee ? employee->last_name_prefix : NULL);
  g_string_append_c (csv, ',');
  append_text (csv, employee ? employee->first_name : NULL);
  g_string_append_c (csv, ',');
  append_text (csv, row->department ? row->department->name : NULL);
  g_string_append_c (csv, ',');
  append_text (csv, day->department_id);
  g_string_append_c (csv, ',');
  /* A date, not text: bare, and only when it is one. */
  if (rota_date_is_valid (day->work_date))
    g_string_append (csv, day->work_date);
  g_string_append_c (csv, ',');
  append_minutes_of_day (csv, day->clocked_start, tz);
  g_string_append_c (csv, ',');
  append_minutes_of_day (csv, day->clocked_end, tz);
  g_string_append_printf (csv, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ":%02d"
                               ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",",
                          MAX (day->break_seconds, 0) / 60,
                          worked_minutes,
                          worked_minutes / 60, (int) (worked_minutes % 60),
                          planned_minutes,
                          worked_minutes - planned_minutes);
  append_text (csv, day->approved_by);
  g_string_append_c (csv, ',');
  if (day->approved_at != 0 && rota_instant_is_valid (day->approved_at))
    {
      g_autofree char *at = rota_instant_format (day->approved_at);

      g_string_append (csv, at);
    }
  g_string_append (csv, "\r\n");
}

/**
 * rota_payroll_csv_days:
 * @days: (array length=n_days): analysed days; only the approved ones are
 *   written
 * @n_days: the number of @days
 * @offices: (element-type RotaOffice) (nullable): for the time zones
 * @departments: (element-type RotaDepartment) (nullable): for the names and
 *   the department filter
 * @employees: (element-type RotaEmployee) (nullable): for the names
 * @department_id: (nullable): write only the days of this department and
 *   those below it (by parent_id); %NULL for all
 * @length: (out) (optional): the length of the result in bytes
 *
 * Writes the approved days as payroll CSV, in the format that
 * rota-payroll.h describes: a byte order mark, the header row, then a row
 * per day. Days with no approval give the header row alone.
 *
 * Returns: (transfer full): the CSV, NUL-terminated
 */
char *
rota_payroll_csv_days (const RotaPunchDay * const *days,
                       guint                       n_days,
                       GPtrArray                  *offices,
                       GPtrArray                  *departments,
                       GPtrArray                  *employees,
                       const char                 *department_id,
                       gsize                      *length)
{
  g_autoptr(GHashTable) office_index = index_by_id (offices);
  g_autoptr(GHashTable) department_index = index_by_id (departments);
  g_autoptr(GHashTable) employee_index = index_by_id (employees);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  GString *csv;

  g_return_val_if_fail (days != NULL || n_days == 0, NULL);

  g_array_set_clear_func (rows, row_clear);

  for (guint i = 0; i < n_days; i++)
    {
      const RotaPunchDay *day = days[i];
      Row row = { 0 };

      if (day == NULL || (day->flags & ROTA_DAY_APPROVED) == 0)
        continue;
      if (department_id != NULL &&
          !department_is_under (department_index, day->department_id, department_id))
        continue;

      row.day = day;
      row.employee = day->employee_id ? g_hash_table_lookup (employee_index, day->employee_id) : NULL;
      row.department = day->department_id ? g_hash_table_lookup (department_index, day->department_id) : NULL;
      row.department_key = sort_key (row.department ? row.department->name : NULL);
      row.last_name_key = sort_key (row.employee ? row.employee->last_name : NULL);
      row.first_name_key = sort_key (row.employee ? row.employee->first_name : NULL);
      g_array_append_val (rows, row);
    }

  g_array_sort (rows, compare_rows);

  csv = g_string_sized_new (256 + rows->len * 160);
  g_string_append (csv, "\xEF\xBB\xBF" ROTA_PAYROLL_CSV_HEADER "\r\n");
  for (guint i = 0; i < rows->len; i++)
    append_row (csv, &g_array_index (rows, Row, i), office_index);

  if (length != NULL)
    *length = csv->len;

  return g_string_free (csv, FALSE);
}
