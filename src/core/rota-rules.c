/* rota-rules.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-rules"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rota-model-private.h"
#include "rota-rules.h"
#include "rota-time.h"

/*
 * Labour-law rules (DESIGN §6), checked one employee at a time.
 *
 * | rule                   | profile | limit                                   | severity  |
 * |------------------------|---------|-----------------------------------------|-----------|
 * | overlap                | all     | two shifts at the same time             | violation |
 * | shift-length           | all     | a shift over 24 h (gross)               | violation |
 * | absent                 | all     | a shift on a day of an absence          | violation |
 * | unavailable            | all     | a shift in time marked unavailable      | warning   |
 * | employment             | all     | a shift before/after the employment     | violation |
 * | max-hours-week         | all     | a week over the employee's maximum      | warning   |
 * | de.daily-hours         | de      | a day over 8 h worked                   | warning   |
 * | de.daily-hours         | de      | a day over 10 h worked                  | violation |
 * | de.rest                | de      | rest under 11 h                         | violation |
 * | de.break               | de      | 30 min over 6 h, 45 min over 9 h worked | violation |
 * | de.minor.daily-hours   | de      | under 18: a day over 8 h                | violation |
 * | de.minor.weekly-hours  | de      | under 18: a week over 40 h              | violation |
 * | de.minor.rest          | de      | under 18: rest under 12 h               | violation |
 * | de.minor.night         | de      | under 18: work in 20:00-06:00           | violation |
 * | nl.shift-length        | nl      | a shift over 12 h worked                | violation |
 * | nl.weekly-hours        | nl      | a week over 60 h                        | violation |
 * | nl.average-4-weeks     | nl      | over 55 h a week over 4 weeks           | violation |
 * | nl.average-16-weeks    | nl      | over 48 h a week over 16 weeks          | violation |
 * | nl.rest                | nl      | 8 h to 11 h rest, the only one in 7 d   | warning   |
 * | nl.rest                | nl      | under 8 h, or a second under 11 h in 7 d| violation |
 * | nl.break               | nl      | 30 min over 5.5 h, 45 min over 10 h     | violation |
 * | nl.minor.shift-length  | nl      | under 18: a shift over 9 h worked       | violation |
 * | nl.minor.weekly-hours  | nl      | under 18: a week over 45 h              | violation |
 * | nl.minor.rest          | nl      | under 18: rest under 12 h               | violation |
 * | nl.minor.night         | nl      | under 18: work in 23:00-06:00           | violation |
 *
 * Legal limits are violations. The de 8 h day is a warning: ArbZG allows
 * up to 10 h when it is balanced within six months, which one plan cannot
 * see. Availability and the employee's own weekly maximum are wishes and
 * contracts, not law: warnings.
 *
 * Time: durations are elapsed seconds between UTC instants, so a night
 * across a DST change counts the hour it really lost or gained. Which day
 * and which ISO week a shift belongs to, and where a night window lies,
 * are local to the office's zone; a shift counts to the day it starts.
 * "Worked" is net: the shift's length minus its break. Age is taken on
 * the day a shift starts, from the date of birth. Rest is the gap between
 * the end of one working day's last shift and the next day's first one;
 * two shifts starting on the same day are a split shift, not a rest.
 *
 * The weekly averages (nl) are checked for the windows ending with each
 * week that has shifts: a window ending on an empty week never holds more
 * than the one ending on the week before it.
 *
 * Not modelled: the stricter rules for under-16s in nl and for breaks of
 * minors (JArbSchG §11, ATW 5:2); minors get the adults' break rules.
 *
 * Incremental checking: the rules only ever look at one employee's
 * shifts, absences and availability, so after an edit the caller
 * re-checks just the employees the edit touched (the old and the new
 * employee of a moved shift) and replaces their findings; everybody
 * else's findings stay as they were.
 */

#define MINUTE G_GINT64_CONSTANT (60)
#define HOUR   G_GINT64_CONSTANT (3600)
#define DAY    G_GINT64_CONSTANT (86400)

G_DEFINE_BOXED_TYPE (RotaFinding, rota_finding, rota_finding_copy, rota_finding_free)

typedef struct
{
  RotaShift *shift;
  gint64     start;
  gint64     end;
  gint64     worked;
  char      *day;       /* local date of the start */
  char      *last_day;  /* local date of the last second */
  char      *week;      /* Monday of the ISO week of day */
  int        week_days; /* that Monday, as days since 2000-01-03: weeks
                         * compared and counted without parsing dates */
  int        day_days;  /* day, likewise */
  int        last_days; /* last_day, likewise */
  gboolean   minor;
} Item;

typedef struct
{
  RotaRulesProfile  profile;
  GTimeZone        *zone;
  RotaEmployee     *employee;
  GPtrArray        *items;
  gint64            from;
  gint64            to;
  GPtrArray        *findings;
  const char       *last_day;   /* the latest last_day of the items */
} Check;

/**
 * rota_finding_new:
 * @severity: a warning or a violation
 * @rule: the rule's id
 * @employee_id: (nullable): whose shifts
 * @shift_ids: (nullable) (array zero-terminated=1): the shifts concerned
 * @start: the start of the span concerned
 * @end: the end of the span concerned
 * @message: the translated message
 *
 * Returns: (transfer full): a new finding
 */
RotaFinding *
rota_finding_new (RotaSeverity        severity,
                  const char         *rule,
                  const char         *employee_id,
                  const char * const *shift_ids,
                  gint64              start,
                  gint64              end,
                  const char         *message)
{
  RotaFinding *finding;

  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  finding = g_new0 (RotaFinding, 1);
  finding->severity = severity;
  finding->rule = g_strdup (rule);
  finding->employee_id = g_strdup (employee_id);
  finding->shift_ids = shift_ids ? g_strdupv ((char **) shift_ids) : g_new0 (char *, 1);
  finding->start = start;
  finding->end = end;
  finding->message = g_strdup (message);

  return finding;
}

/**
 * rota_finding_copy:
 * @finding: a finding
 *
 * Returns: (transfer full): a copy of @finding
 */
RotaFinding *
rota_finding_copy (const RotaFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  return rota_finding_new (finding->severity, finding->rule, finding->employee_id,
                           (const char * const *) finding->shift_ids,
                           finding->start, finding->end, finding->message);
}

/**
 * rota_finding_free:
 * @finding: (nullable): a finding
 */
void
rota_finding_free (RotaFinding *finding)
{
  if (finding == NULL)
    return;

  g_free (finding->rule);
  g_free (finding->employee_id);
  g_strfreev (finding->shift_ids);
  g_free (finding->message);
  g_free (finding);
}

static void
item_free (Item *item)
{
  g_free (item->day);
  g_free (item->last_day);
  g_free (item->week);
  g_free (item);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *x = *(Item * const *) a;
  const Item *y = *(Item * const *) b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;

  return g_strcmp0 (x->shift->id, y->shift->id);
}

/* "10 h 30 min", "11 h", "45 min". */
static char *
format_duration (gint64 seconds)
{
  gint64 minutes = MAX (seconds, 0) / MINUTE;
  int h = (int) (minutes / 60);
  int m = (int) (minutes % 60);

  if (h == 0)
    return g_strdup_printf (_("%d min"), m);
  if (m == 0)
    return g_strdup_printf (_("%d h"), h);

  return g_strdup_printf (_("%d h %d min"), h, m);
}

/* "Mon 22:00", in the office's zone and the user's language. */
static char *
format_time (Check  *check,
             gint64  instant)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");

  local = g_date_time_to_timezone (utc, check->zone);

  return g_date_time_format (local, "%a %H:%M");
}

/* "Mon 23 Nov", for a local date. */
static char *
format_day (Check      *check,
            const char *day)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (!rota_date_is_valid (day))
    return g_strdup (day);

  utc = g_date_time_new_from_unix_utc (rota_time_day_start (check->zone, day));
  if (utc == NULL)
    return g_strdup (day);

  local = g_date_time_to_timezone (utc, check->zone);

  return g_date_time_format (local, "%a %d %b");
}

static int
week_number (const char *monday)
{
  int y, m, d;
  g_autoptr(GDateTime) date = NULL;

  if (!rota_date_parse (monday, &y, &m, &d))
    return 0;

  date = g_date_time_new_utc (y, m, d, 12, 0, 0);

  return date ? g_date_time_get_week_of_year (date) : 0;
}

/* Takes @message. The finding is kept if its span touches [from, to). */
static void
add_finding (Check         *check,
             RotaSeverity   severity,
             const char    *rule,
             Item         **items,
             guint          n_items,
             gint64         start,
             gint64         end,
             char          *message)
{
  g_autofree char *owned = message;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) shift_ids = NULL;

  if (!(start < check->to && MAX (end, start + 1) > check->from))
    return;

  for (guint i = 0; i < n_items; i++)
    g_strv_builder_add (ids, items[i]->shift->id);
  shift_ids = g_strv_builder_end (ids);

  g_ptr_array_add (check->findings,
                   rota_finding_new (severity, rule, check->employee->id,
                                     (const char * const *) shift_ids,
                                     start, end, owned));
}

static void
add_item_finding (Check        *check,
                  RotaSeverity  severity,
                  const char   *rule,
                  Item         *item,
                  char         *message)
{
  add_finding (check, severity, rule, &item, 1, item->start, item->end, message);
}

/* Rules for every profile */

static void
check_overlaps (Check *check)
{
  for (guint i = 0; i < check->items->len; i++)
    {
      Item *a = g_ptr_array_index (check->items, i);

      for (guint j = i + 1; j < check->items->len; j++)
        {
          Item *b = g_ptr_array_index (check->items, j);
          Item *pair[2] = { a, b };
          gint64 end = MIN (a->end, b->end);
          g_autofree char *from = NULL;
          g_autofree char *to = NULL;

          /* Sorted by start: no later shift can overlap a either. */
          if (b->start >= a->end)
            break;

          from = format_time (check, b->start);
          to = format_time (check, end);
          add_finding (check, ROTA_SEVERITY_VIOLATION, "overlap", pair, 2, b->start, end,
                       g_strdup_printf (_("Shifts overlap from %s to %s"), from, to));
        }
    }
}

static void
check_shift_length (Check *check)
{
  for (guint i = 0; i < check->items->len; i++)
    {
      Item *item = g_ptr_array_index (check->items, i);
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      g_autofree char *length = NULL;

      if (item->end - item->start <= 24 * HOUR)
        continue;

      from = format_time (check, item->start);
      to = format_time (check, item->end);
      length = format_duration (item->end - item->start);
      add_item_finding (check, ROTA_SEVERITY_VIOLATION, "shift-length", item,
                        g_strdup_printf (_("The shift from %s to %s lasts %s; at most 24 h"),
                                         from, to, length));
    }
}

static void
check_absences (Check     *check,
                GPtrArray *absences)
{
  for (guint i = 0; absences != NULL && i < absences->len; i++)
    {
      RotaAbsence *absence = g_ptr_array_index (absences, i);

      if (absence->start_date == NULL || absence->end_date == NULL ||
          (absence->employee_id != NULL && g_strcmp0 (absence->employee_id, check->employee->id) != 0))
        continue;

      /* Items are sorted by start: an absence before the first or after
       * the last one's days touches none. */
      if (check->items->len == 0 ||
          strcmp (absence->end_date, ((Item *) g_ptr_array_index (check->items, 0))->day) < 0 ||
          strcmp (absence->start_date, check->last_day) > 0)
        continue;

      for (guint j = 0; j < check->items->len; j++)
        {
          Item *item = g_ptr_array_index (check->items, j);
          g_autofree char *at = NULL;
          g_autofree char *first = NULL;
          g_autofree char *last = NULL;

          /* Dates as "YYYY-MM-DD" compare as strings. */
          if (strcmp (item->day, absence->end_date) > 0 ||
              strcmp (item->last_day, absence->start_date) < 0)
            continue;

          at = format_time (check, item->start);
          first = format_day (check, absence->start_date);
          last = format_day (check, absence->end_date);
          add_item_finding (check, ROTA_SEVERITY_VIOLATION, "absent", item,
                            g_strdup_printf (_("The shift at %s falls in an absence from %s to %s"),
                                             at, first, last));
        }
    }
}

static void
check_availability (Check     *check,
                    GPtrArray *availability)
{
  for (guint i = 0; availability != NULL && i < availability->len; i++)
    {
      RotaAvailability *slot = g_ptr_array_index (availability, i);
      int from_minutes = 0;
      int to_minutes = 24 * 60;

      if (slot->kind != ROTA_AVAILABILITY_KIND_UNAVAILABLE ||
          (slot->employee_id != NULL && g_strcmp0 (slot->employee_id, check->employee->id) != 0))
        continue;
      if (slot->from_time != NULL && !rota_time_of_day_parse (slot->from_time, &from_minutes))
        continue;
      if (slot->to_time != NULL && !rota_time_of_day_parse (slot->to_time, &to_minutes))
        continue;
      /* "22:00" to "06:00" runs into the next day. */
      if (to_minutes <= from_minutes)
        to_minutes += 24 * 60;

      for (guint j = 0; j < check->items->len; j++)
        {
          Item *item = g_ptr_array_index (check->items, j);

          /* From the day before (a slot running past midnight) to the last
           * day, as day numbers; 2000-01-03, day 0, was a Monday. */
          for (int number = item->day_days - 1; number <= item->last_days; number++)
            {
              g_autofree char *day = NULL;
              gboolean applies;

              if (slot->date != NULL)
                {
                  day = rota_date_add_days (item->day, number - item->day_days);
                  applies = g_strcmp0 (slot->date, day) == 0;
                }
              else
                applies = slot->weekday == ((number % 7) + 7) % 7 + 1;

              if (applies)
                {
                  gint64 start;
                  gint64 end;

                  if (day == NULL)
                    day = rota_date_add_days (item->day, number - item->day_days);
                  start = rota_time_from_local (check->zone, day, from_minutes);
                  end = rota_time_from_local (check->zone, day, to_minutes);

                  if (item->start < end && start < item->end)
                    {
                      g_autofree char *a = format_time (check, MAX (start, item->start));
                      g_autofree char *b = format_time (check, MIN (end, item->end));

                      add_item_finding (check, ROTA_SEVERITY_WARNING, "unavailable", item,
                                        g_strdup_printf (_("Planned from %s to %s, a time marked unavailable"),
                                                         a, b));
                      break;
                    }
                }
            }
        }
    }
}

static void
check_employment (Check *check)
{
  const char *first = check->employee->employment_start;
  const char *last = check->employee->employment_end;

  for (guint i = 0; i < check->items->len; i++)
    {
      Item *item = g_ptr_array_index (check->items, i);
      g_autofree char *at = NULL;
      g_autofree char *day = NULL;

      if (first != NULL && strcmp (item->day, first) < 0)
        {
          at = format_time (check, item->start);
          day = format_day (check, first);
          add_item_finding (check, ROTA_SEVERITY_VIOLATION, "employment", item,
                            g_strdup_printf (_("The shift at %s is before the employment starts on %s"),
                                             at, day));
        }
      else if (last != NULL && strcmp (item->last_day, last) > 0)
        {
          at = format_time (check, item->start);
          day = format_day (check, last);
          add_item_finding (check, ROTA_SEVERITY_VIOLATION, "employment", item,
                            g_strdup_printf (_("The shift at %s is after the employment ends on %s"),
                                             at, day));
        }
    }
}

/* Per day and per week: the items are sorted, so one day's (one week's)
 * items are a run. */

typedef void (*RunFunc) (Check  *check,
                         Item  **items,
                         guint   n_items);

static void
for_each_run (Check   *check,
              gsize    field_offset,
              RunFunc  func)
{
  guint first = 0;

  for (guint i = 1; i <= check->items->len; i++)
    {
      Item *a = g_ptr_array_index (check->items, first);
      Item *b = i < check->items->len ? g_ptr_array_index (check->items, i) : NULL;

      if (b != NULL &&
          strcmp (G_STRUCT_MEMBER (char *, a, field_offset), G_STRUCT_MEMBER (char *, b, field_offset)) == 0)
        continue;

      func (check, (Item **) check->items->pdata + first, i - first);
      first = i;
    }
}

static gint64
span_end (Item  **items,
          guint   n_items)
{
  gint64 end = items[0]->end;

  for (guint i = 1; i < n_items; i++)
    end = MAX (end, items[i]->end);

  return end;
}

static void
report_hours (Check         *check,
              RotaSeverity   severity,
              const char    *rule,
              Item         **items,
              guint          n_items,
              gint64         worked,
              gint64         limit,
              gboolean       per_day)
{
  g_autofree char *hours = format_duration (worked);
  g_autofree char *max = format_duration (limit);
  char *message;

  if (per_day)
    {
      g_autofree char *day = format_day (check, items[0]->day);

      if (severity == ROTA_SEVERITY_WARNING)
        message = g_strdup_printf (_("%s worked on %s; over %s only if balanced within six months"),
                                   hours, day, max);
      else
        message = g_strdup_printf (_("%s worked on %s; at most %s"), hours, day, max);
    }
  else
    {
      message = g_strdup_printf (_("%s worked in week %d; at most %s"),
                                 hours, week_number (items[0]->week), max);
    }

  add_finding (check, severity, rule, items, n_items,
               items[0]->start, span_end (items, n_items), message);
}

static void
check_day (Check  *check,
           Item  **items,
           guint   n_items)
{
  gint64 worked = 0;

  if (check->profile != ROTA_RULES_PROFILE_DE)
    return;

  for (guint i = 0; i < n_items; i++)
    worked += items[i]->worked;

  if (items[0]->minor)
    {
      if (worked > 8 * HOUR)
        report_hours (check, ROTA_SEVERITY_VIOLATION, "de.minor.daily-hours",
                      items, n_items, worked, 8 * HOUR, TRUE);
    }
  else if (worked > 10 * HOUR)
    report_hours (check, ROTA_SEVERITY_VIOLATION, "de.daily-hours",
                  items, n_items, worked, 10 * HOUR, TRUE);
  else if (worked > 8 * HOUR)
    report_hours (check, ROTA_SEVERITY_WARNING, "de.daily-hours",
                  items, n_items, worked, 8 * HOUR, TRUE);
}

static void
check_week (Check  *check,
            Item  **items,
            guint   n_items)
{
  gint64 worked = 0;
  gint64 minor_worked = 0;
  gboolean any_adult = FALSE;
  gint64 max = (gint64) (check->employee->max_hours_week * HOUR);

  for (guint i = 0; i < n_items; i++)
    {
      worked += items[i]->worked;
      if (items[i]->minor)
        minor_worked += items[i]->worked;
      else
        any_adult = TRUE;
    }

  if (max > 0 && worked > max)
    {
      g_autofree char *hours = format_duration (worked);
      g_autofree char *limit = format_duration (max);

      add_finding (check, ROTA_SEVERITY_WARNING, "max-hours-week", items, n_items,
                   items[0]->start, span_end (items, n_items),
                   g_strdup_printf (_("%s worked in week %d; the contract allows %s"),
                                    hours, week_number (items[0]->week), limit));
    }

  switch (check->profile)
    {
    case ROTA_RULES_PROFILE_DE:
      if (minor_worked > 40 * HOUR)
        report_hours (check, ROTA_SEVERITY_VIOLATION, "de.minor.weekly-hours",
                      items, n_items, minor_worked, 40 * HOUR, FALSE);
      break;

    case ROTA_RULES_PROFILE_NL:
      if (minor_worked > 45 * HOUR)
        report_hours (check, ROTA_SEVERITY_VIOLATION, "nl.minor.weekly-hours",
                      items, n_items, minor_worked, 45 * HOUR, FALSE);
      else if (any_adult && worked > 60 * HOUR)
        report_hours (check, ROTA_SEVERITY_VIOLATION, "nl.weekly-hours",
                      items, n_items, worked, 60 * HOUR, FALSE);
      break;

    case ROTA_RULES_PROFILE_NONE:
    default:
      break;
    }
}

/* nl: the average over the @n_weeks weeks ending with each week that has shifts. */
static void
check_average (Check      *check,
               int         n_weeks,
               gint64      limit,
               const char *rule)
{
  for (guint i = 0; i < check->items->len; i++)
    {
      Item *last = g_ptr_array_index (check->items, i);
      Item *next = i + 1 < check->items->len ? g_ptr_array_index (check->items, i + 1) : NULL;
      g_autoptr(GPtrArray) window = NULL;
      guint week_first = i;
      gint64 worked = 0;

      /* Only at the last item of a week. */
      if (next != NULL && next->week_days == last->week_days)
        continue;

      window = g_ptr_array_new ();
      for (guint j = 0; j <= i; j++)
        {
          Item *item = g_ptr_array_index (check->items, j);
          int days = last->week_days - item->week_days;

          if (days >= 0 && days < 7 * n_weeks)
            {
              g_ptr_array_add (window, item);
              worked += item->worked;
            }
          if (item->week_days != last->week_days)
            week_first = j + 1;
        }

      if (worked > limit * n_weeks)
        {
          g_autofree char *average = format_duration (worked / n_weeks);
          g_autofree char *max = format_duration (limit);
          Item *first = g_ptr_array_index (check->items, week_first);

          /* The span is the checked week, so that the finding belongs to it. */
          add_finding (check, ROTA_SEVERITY_VIOLATION, rule,
                       (Item **) window->pdata, window->len,
                       first->start, span_end ((Item **) check->items->pdata + week_first, i + 1 - week_first),
                       g_strdup_printf (_("%s a week on average over the %d weeks up to week %d; at most %s"),
                                        average, n_weeks, week_number (last->week), max));
        }
    }
}

typedef struct
{
  Item   *before;
  Item   *after;
  gint64  rest;
} Rest;

static void
report_rest (Check        *check,
             RotaSeverity  severity,
             const char   *rule,
             Rest         *rest,
             gint64        limit,
             gboolean      once)
{
  Item *pair[2] = { rest->before, rest->after };
  g_autofree char *length = format_duration (rest->rest);
  g_autofree char *from = format_time (check, rest->after->start - rest->rest);
  g_autofree char *to = format_time (check, rest->after->start);
  g_autofree char *min = format_duration (limit);
  char *message;

  if (once)
    message = g_strdup_printf (_("Only %s rest between %s and %s; at least %s, shortened at most once a week"),
                               length, from, to, min);
  else
    message = g_strdup_printf (_("Only %s rest between %s and %s; at least %s"),
                               length, from, to, min);

  add_finding (check, severity, rule, pair, 2,
               rest->after->start - rest->rest, rest->after->start, message);
}

static void
check_rest (Check *check)
{
  g_autoptr(GArray) short_rests = g_array_new (FALSE, FALSE, sizeof (Rest));
  Item *latest = NULL;

  for (guint i = 0; i < check->items->len; i++)
    {
      Item *item = g_ptr_array_index (check->items, i);
      Rest rest;
      gboolean minor;

      if (latest != NULL && item->start >= latest->end && strcmp (item->day, latest->day) != 0)
        {
          rest.before = latest;
          rest.after = item;
          rest.rest = item->start - latest->end;
          minor = latest->minor || item->minor;

          if (minor && rest.rest < 12 * HOUR)
            report_rest (check, ROTA_SEVERITY_VIOLATION,
                         check->profile == ROTA_RULES_PROFILE_DE ? "de.minor.rest" : "nl.minor.rest",
                         &rest, 12 * HOUR, FALSE);
          else if (!minor && rest.rest < 11 * HOUR)
            {
              if (check->profile == ROTA_RULES_PROFILE_DE)
                report_rest (check, ROTA_SEVERITY_VIOLATION, "de.rest", &rest, 11 * HOUR, FALSE);
              else
                g_array_append_val (short_rests, rest);
            }
        }

      if (latest == NULL || item->end > latest->end)
        latest = item;
    }

  /* nl: once in 7 days the rest may be 8 h; a second short rest within
   * 7 days of it makes both violations. */
  for (guint i = 0; i < short_rests->len; i++)
    {
      Rest *rest = &g_array_index (short_rests, Rest, i);
      gboolean alone = rest->rest >= 8 * HOUR;

      for (guint j = 0; alone && j < short_rests->len; j++)
        {
          Rest *other = &g_array_index (short_rests, Rest, j);

          if (j != i && ABS (other->after->start - rest->after->start) < 7 * DAY)
            alone = FALSE;
        }

      report_rest (check, alone ? ROTA_SEVERITY_WARNING : ROTA_SEVERITY_VIOLATION,
                   "nl.rest", rest, 11 * HOUR, alone);
    }
}

static void
check_shift (Check *check,
             Item  *item)
{
  gint64 break_needed = 0;
  gint64 limit = 0;
  const char *length_rule = NULL;

  if (check->profile == ROTA_RULES_PROFILE_DE)
    {
      if (item->worked > 9 * HOUR)
        break_needed = 45 * MINUTE;
      else if (item->worked > 6 * HOUR)
        break_needed = 30 * MINUTE;
    }
  else
    {
      if (item->worked > 10 * HOUR)
        break_needed = 45 * MINUTE;
      else if (item->worked > 5 * HOUR + 30 * MINUTE)
        break_needed = 30 * MINUTE;

      limit = item->minor ? 9 * HOUR : 12 * HOUR;
      length_rule = item->minor ? "nl.minor.shift-length" : "nl.shift-length";
    }

  if (item->shift->break_minutes * MINUTE < break_needed)
    {
      g_autofree char *worked = format_duration (item->worked);
      g_autofree char *from = format_time (check, item->start);
      g_autofree char *to = format_time (check, item->end);
      g_autofree char *had = format_duration (item->shift->break_minutes * MINUTE);
      g_autofree char *needed = format_duration (break_needed);

      add_item_finding (check, ROTA_SEVERITY_VIOLATION,
                        check->profile == ROTA_RULES_PROFILE_DE ? "de.break" : "nl.break", item,
                        g_strdup_printf (_("%s worked from %s to %s with a break of %s; at least %s"),
                                         worked, from, to, had, needed));
    }

  if (length_rule != NULL && item->worked > limit)
    {
      g_autofree char *worked = format_duration (item->worked);
      g_autofree char *from = format_time (check, item->start);
      g_autofree char *to = format_time (check, item->end);
      g_autofree char *max = format_duration (limit);

      add_item_finding (check, ROTA_SEVERITY_VIOLATION, length_rule, item,
                        g_strdup_printf (_("%s worked from %s to %s; at most %s per shift"),
                                         worked, from, to, max));
    }
}

/* Minors: no work from @night_start (minutes) to 06:00, local. */
static void
check_night (Check      *check,
             Item       *item,
             int         night_start,
             const char *rule)
{
  g_autofree char *day = NULL;

  if (!item->minor)
    return;

  day = rota_date_add_days (item->day, -1);
  while (day != NULL && strcmp (day, item->last_day) <= 0)
    {
      gint64 start = rota_time_from_local (check->zone, day, night_start);
      gint64 end = rota_time_from_local (check->zone, day, 24 * 60 + 6 * 60);
      char *next;

      if (item->start < end && start < item->end)
        {
          gint64 a = MAX (start, item->start);
          gint64 b = MIN (end, item->end);
          g_autofree char *from = format_time (check, a);
          g_autofree char *to = format_time (check, b);

          add_finding (check, ROTA_SEVERITY_VIOLATION, rule, &item, 1, a, b,
                       g_strdup_printf (_("Works from %s to %s; under-18s may not work between %02d:00 and 06:00"),
                                        from, to, night_start / 60));
        }

      next = rota_date_add_days (day, 1);
      g_free (day);
      day = next;
    }
}

/**
 * rota_rules_check_employee:
 * @profile: the office's rules
 * @zone: the office's time zone
 * @employee: the employee
 * @shifts: (element-type RotaShift): the employee's shifts, in any order;
 *   deleted ones and other employees' are skipped. Pass the weeks before
 *   @from too: the rest and the weekly averages look back.
 * @absences: (element-type RotaAbsence) (nullable): the employee's absences
 * @availability: (element-type RotaAvailability) (nullable): the
 *   employee's availability
 * @from: the start of the checked range, UTC seconds
 * @to: the end of the checked range, not included
 *
 * Checks one employee's shifts against the labour-law rules of @profile
 * and the rules for everybody (overlaps, absences, availability,
 * employment, the weekly maximum). Only one employee at a time, so that
 * after an edit only the employees it touched are checked again.
 *
 * Returns: (transfer container) (element-type RotaFinding): the findings
 *   whose span touches [@from, @to)
 */
GPtrArray *
rota_rules_check_employee (RotaRulesProfile  profile,
                           GTimeZone        *zone,
                           RotaEmployee     *employee,
                           GPtrArray        *shifts,
                           GPtrArray        *absences,
                           GPtrArray        *availability,
                           gint64            from,
                           gint64            to)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_finding_free);
  Check check = { profile, zone, employee, items, from, to, findings };
  g_autofree char *known_week = NULL;
  g_autofree char *known_week_end = NULL;
  int known_week_days = 0;
  char adult_from[16] = "";
  int birth_year, birth_month, birth_day;

  g_return_val_if_fail (zone != NULL, findings);
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (employee), findings);
  g_return_val_if_fail (shifts != NULL, findings);

  /* Under 18 on a day ⇔ the day comes before the 18th birthday; dates
   * as "YYYY-MM-DD" compare as strings (a 29 February birthday too). */
  if (employee->date_of_birth != NULL && rota_date_parse (employee->date_of_birth, &birth_year, &birth_month, &birth_day))
    g_snprintf (adult_from, sizeof adult_from, "%04d-%02d-%02d", birth_year + 18, birth_month, birth_day);

  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);
      Item *item;

      if (shift->deleted ||
          (shift->employee_id != NULL && g_strcmp0 (shift->employee_id, employee->id) != 0) ||
          !rota_instant_is_valid (shift->start) || !rota_instant_is_valid (shift->end))
        continue;

      item = g_new0 (Item, 1);
      item->shift = shift;
      item->start = shift->start;
      item->end = MAX (shift->end, shift->start);
      item->worked = MAX (item->end - item->start - shift->break_minutes * MINUTE, 0);
      item->day = rota_time_work_date (item->start, zone);
      /* A local day is at least 23 h long: a shift that ends less than
       * that after its day's midnight ends on the same day. */
      if ((gint64) rota_time_local_minutes (item->start, zone) * MINUTE + (item->end - item->start) <= 23 * HOUR)
        item->last_day = g_strdup (item->day);
      else
        item->last_day = rota_time_work_date (MAX (item->end - 1, item->start), zone);

      /* Shifts come mostly in order: the week of the shift before is
       * often this one's. */
      if (known_week == NULL || strcmp (item->day, known_week) < 0 || strcmp (item->day, known_week_end) >= 0)
        {
          g_free (known_week);
          g_free (known_week_end);
          known_week = rota_date_week_start (item->day);
          known_week_end = rota_date_add_days (known_week, 7);
          known_week_days = rota_date_diff_days ("2000-01-03", known_week);
        }
      item->week = g_strdup (known_week);
      item->week_days = known_week_days;
      item->day_days = known_week_days + rota_date_diff_days (known_week, item->day);
      item->last_days = item->day_days + (strcmp (item->last_day, item->day) == 0
                                          ? 0 : rota_date_diff_days (item->day, item->last_day));
      item->minor = adult_from[0] != '\0' && strcmp (item->day, adult_from) < 0;
      g_ptr_array_add (items, item);
    }

  g_ptr_array_sort (items, compare_items);
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      if (check.last_day == NULL || strcmp (item->last_day, check.last_day) > 0)
        check.last_day = item->last_day;
    }

  check_overlaps (&check);
  check_shift_length (&check);
  check_absences (&check, absences);
  check_availability (&check, availability);
  check_employment (&check);

  if (items->len > 0)
    {
      for_each_run (&check, G_STRUCT_OFFSET (Item, day), check_day);
      for_each_run (&check, G_STRUCT_OFFSET (Item, week), check_week);
    }

  if (profile == ROTA_RULES_PROFILE_DE || profile == ROTA_RULES_PROFILE_NL)
    {
      check_rest (&check);

      for (guint i = 0; i < items->len; i++)
        {
          Item *item = g_ptr_array_index (items, i);

          check_shift (&check, item);
          if (profile == ROTA_RULES_PROFILE_DE)
            check_night (&check, item, 20 * 60, "de.minor.night");
          else
            check_night (&check, item, 23 * 60, "nl.minor.night");
        }
    }

  if (profile == ROTA_RULES_PROFILE_NL)
    {
      check_average (&check, 4, 55 * HOUR, "nl.average-4-weeks");
      check_average (&check, 16, 48 * HOUR, "nl.average-16-weeks");
    }

  return findings;
}
