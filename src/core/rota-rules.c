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
 * | de.minor.under-15      | de      | under 15: a week with shifts            | warning   |
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
 * | nl.minor.under-16      | nl      | under 16: a week with shifts            | warning   |
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
 * the day a shift starts, from the date of birth. Each shift is turned
 * into numbers once (UTC seconds, local day numbers, its week's Monday)
 * with the zone's offset looked up once per span between changes; the
 * rules compare only those. Dates that do not parse (of an absence, an
 * availability slot, the employment) count as not given. Rest is the gap between
 * the end of one working day's last shift and the next day's first one;
 * two shifts starting on the same day are a split shift, not a rest.
 *
 * The weekly averages (nl) are checked for the windows ending with each
 * week that has shifts: a window ending on an empty week never holds more
 * than the one ending on the week before it.
 *
 * Children: JArbSchG's rules for minors are those for 15 to 17 year olds;
 * under 15 work is banned but for exceptions (§5: light work from 13 with
 * the parents' consent, a few hours a day). The Dutch rules above are
 * those for 16 and 17 year olds; under 16 stricter ones apply (school
 * weeks, holidays, 19:00 instead of 23:00). Neither is modelled: a week
 * with shifts of somebody that young is a warning to check by hand, on
 * top of the minors' rules, which still apply.
 *
 * Not modelled either: the breaks of minors (JArbSchG §11, ATW 5:2);
 * minors get the adults' break rules.
 *
 * Incremental checking: the rules only ever look at one employee's
 * shifts, absences and availability, so after an edit the caller
 * re-checks just the employees the edit touched (the old and the new
 * employee of a moved shift) and replaces their findings; everybody
 * else's findings stay as they were.
 */

/* Fetching a shift ahead of its turn: an employee's shifts are objects
 * spread over the heap, and a month of a large tenant does not fit in a
 * cache, so the loop that reads them would mostly wait for memory. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch (address)
#else
#define PREFETCH(address) ((void) 0)
#endif
#define PREFETCH_AHEAD 8

#define MINUTE G_GINT64_CONSTANT (60)
#define HOUR   G_GINT64_CONSTANT (3600)
#define DAY    G_GINT64_CONSTANT (86400)

G_DEFINE_BOXED_TYPE (RotaFinding, rota_finding, rota_finding_copy, rota_finding_free)

/* 1970-01-01 in GDate's Julian day numbers (0001-01-01 is day 1). */
#define UNIX_EPOCH_JULIAN 719163

/* Every shift once in integers, so that the rules compare numbers, not
 * dates. Days are local days since 1970-01-01 in the office's zone. */
typedef struct
{
  RotaShift *shift;
  gint64     start;
  gint64     end;
  gint64     worked;
  int        day;       /* the local day of the start */
  int        last_day;  /* the local day of the last second */
  int        week;      /* the Monday of day's ISO week */
  gboolean   minor;     /* under 18 on day */
  gboolean   child;     /* under the youngest age the profile's rules cover */
} Item;

/* The office's wall clock, with the offset of the last span looked up:
 * an employee's shifts mostly lie in one or two spans between DST
 * changes, so almost every conversion is two comparisons and an add. */
typedef struct
{
  GTimeZone *zone;
  gint64     span_start;  /* offset holds in [span_start, span_end) */
  gint64     span_end;
  gint32     offset;
} Clock;

typedef struct
{
  RotaRulesProfile  profile;
  Clock             clock;
  RotaEmployee     *employee;
  GPtrArray        *items;
  gint64            from;
  gint64            to;
  GPtrArray        *findings;
  int               last_day;      /* the latest last_day of the items */
  gboolean          weeks_sorted;  /* the items' weeks never go back */
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

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;

  return q;
}

static inline gint32
clock_offset (Clock  *clock,
              gint64  instant)
{
  if (instant < clock->span_start || instant >= clock->span_end)
    clock->offset = rota_time_zone_offset (clock->zone, instant, &clock->span_start, &clock->span_end);

  return clock->offset;
}

static inline int
clock_day (Clock  *clock,
           gint64  instant)
{
  return (int) floor_div (instant + clock_offset (clock, instant), DAY);
}

/* ISO weekday, 1 (Monday) to 7: 1970-01-01 was a Thursday. */
static inline int
day_weekday (int day)
{
  return (int) ((day % 7 + 7 + 3) % 7) + 1;
}

static inline int
day_week (int day)
{
  return day - (day_weekday (day) - 1);
}

/* "YYYY-MM-DD" into @buf (11 bytes). */
static void
day_format (int   day,
            char *buf)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (day + UNIX_EPOCH_JULIAN));
  g_snprintf (buf, 11, "%04d-%02d-%02d",
              g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
}

static int
day_from_dmy (int year,
              int month,
              int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  return (int) g_date_get_julian (&date) - UNIX_EPOCH_JULIAN;
}

static gboolean
day_parse (const char *text,
           int        *out_day)
{
  int year, month, day;

  if (text == NULL || !rota_date_parse (text, &year, &month, &day))
    return FALSE;

  *out_day = day_from_dmy (year, month, day);

  return TRUE;
}

/* The day somebody born on @year-@month-@day turns @years: a 29 February
 * birthday falls on 1 March in other years. */
static int
birthday (int year,
          int month,
          int day,
          int years)
{
  if (!g_date_valid_dmy (day, month, year + years))
    return day_from_dmy (year + years, month, day - 1) + 1;

  return day_from_dmy (year + years, month, day);
}

/* When the wall clock shows @minutes after midnight on @day (1440 and
 * more run into the next days), as rota_time_from_local() finds it. Its
 * answer with no change of offset within a day of that wall time is the
 * wall time less the offset; near a change it is asked. */
static gint64
clock_from_local (Clock *clock,
                  int    day,
                  int    minutes)
{
  gint64 local = (gint64) day * DAY + minutes * MINUTE;
  gint32 before = clock_offset (clock, local - DAY);
  char date[11];

  if (clock_offset (clock, local + DAY) == before)
    return local - before;

  day_format (day, date);

  return rota_time_from_local (clock->zone, date, minutes);
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

/* @instant's wall-clock time in the office's zone, in the user's
 * language. The formats name no zone, so the wall clock is formatted
 * as if it were UTC: GDateTime would otherwise look the offset up again
 * in GTimeZone, which scans its transitions one by one. */
static char *
format_local (Check      *check,
              gint64      instant,
              const char *format)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_utc (instant + clock_offset (&check->clock, instant));

  if (local == NULL)
    return g_strdup ("?");

  return g_date_time_format (local, format);
}

/* "Mon 22:00". */
static char *
format_time (Check  *check,
             gint64  instant)
{
  return format_local (check, instant, "%a %H:%M");
}

/* "Mon 23 Nov", for a local day. */
static char *
format_day (Check *check,
            int    day)
{
  return format_local (check, clock_from_local (&check->clock, day, 0), "%a %d %b");
}

/* The ISO week number of the week starting on Monday @monday. */
static int
week_number (int monday)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (monday + UNIX_EPOCH_JULIAN));

  return (int) g_date_get_iso8601_week_of_year (&date);
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
      int start_day, end_day;

      if ((absence->employee_id != NULL && g_strcmp0 (absence->employee_id, check->employee->id) != 0) ||
          !day_parse (absence->start_date, &start_day) || !day_parse (absence->end_date, &end_day))
        continue;

      /* Items are sorted by start: an absence before the first or after
       * the last one's days touches none. */
      if (check->items->len == 0 ||
          end_day < ((Item *) g_ptr_array_index (check->items, 0))->day ||
          start_day > check->last_day)
        continue;

      for (guint j = 0; j < check->items->len; j++)
        {
          Item *item = g_ptr_array_index (check->items, j);
          g_autofree char *at = NULL;
          g_autofree char *first = NULL;
          g_autofree char *last = NULL;

          if (item->day > end_day || item->last_day < start_day)
            continue;

          at = format_time (check, item->start);
          first = format_day (check, start_day);
          last = format_day (check, end_day);
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
      int date = 0;

      if (slot->kind != ROTA_AVAILABILITY_KIND_UNAVAILABLE ||
          (slot->employee_id != NULL && g_strcmp0 (slot->employee_id, check->employee->id) != 0))
        continue;
      if (slot->date != NULL && !day_parse (slot->date, &date))
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

          /* From the day before (a slot running past midnight) to the last day. */
          for (int day = item->day - 1; day <= item->last_day; day++)
            {
              gboolean applies = slot->date != NULL ? day == date : slot->weekday == day_weekday (day);

              if (applies)
                {
                  gint64 start = clock_from_local (&check->clock, day, from_minutes);
                  gint64 end = clock_from_local (&check->clock, day, to_minutes);

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
  int first, last;
  gboolean has_first = day_parse (check->employee->employment_start, &first);
  gboolean has_last = day_parse (check->employee->employment_end, &last);

  for (guint i = 0; (has_first || has_last) && i < check->items->len; i++)
    {
      Item *item = g_ptr_array_index (check->items, i);
      g_autofree char *at = NULL;
      g_autofree char *day = NULL;

      if (has_first && item->day < first)
        {
          at = format_time (check, item->start);
          day = format_day (check, first);
          add_item_finding (check, ROTA_SEVERITY_VIOLATION, "employment", item,
                            g_strdup_printf (_("The shift at %s is before the employment starts on %s"),
                                             at, day));
        }
      else if (has_last && item->last_day > last)
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

      if (b != NULL && G_STRUCT_MEMBER (int, a, field_offset) == G_STRUCT_MEMBER (int, b, field_offset))
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

/* A week with shifts of somebody younger than the profile's rules for
 * minors cover: one warning over those shifts. */
static void
report_child (Check  *check,
              Item  **items,
              guint   n_items,
              guint   n_children)
{
  g_autofree Item **children = g_new (Item *, n_children);
  guint n = 0;
  const char *rule;
  char *message;

  for (guint i = 0; i < n_items; i++)
    if (items[i]->child)
      children[n++] = items[i];
  g_assert (n == n_children);

  if (check->profile == ROTA_RULES_PROFILE_DE)
    {
      rule = "de.minor.under-15";
      message = g_strdup_printf (_("Planned in week %d while under 15: children may only work by exception, "
                                   "which is not checked here"),
                                 week_number (children[0]->week));
    }
  else
    {
      rule = "nl.minor.under-16";
      message = g_strdup_printf (_("Planned in week %d while under 16: the stricter rules for under-16s "
                                   "are not checked here"),
                                 week_number (children[0]->week));
    }

  add_finding (check, ROTA_SEVERITY_WARNING, rule, children, n,
               children[0]->start, span_end (children, n), message);
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
  guint n_children = 0;

  for (guint i = 0; i < n_items; i++)
    {
      worked += items[i]->worked;
      if (items[i]->minor)
        minor_worked += items[i]->worked;
      else
        any_adult = TRUE;
      if (items[i]->child)
        n_children++;
    }

  if (n_children > 0)
    report_child (check, items, n_items, n_children);

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
  Item **items = (Item **) check->items->pdata;
  guint window_first = 0;  /* with weeks sorted: the first item in the window */
  guint week_first = 0;    /* the first item of the week */

  for (guint i = 0; i < check->items->len; i++)
    {
      Item *last = items[i];
      guint first_candidate;
      guint last_other;
      gint64 worked = 0;

      if (i > 0 && items[i - 1]->week != last->week)
        week_first = i;

      /* Only at the last item of a week. */
      if (i + 1 < check->items->len && items[i + 1]->week == last->week)
        continue;

      /* Weeks that never go back (as in every zone that changes its
       * clocks at night) put the window's items in one run ending here. */
      if (check->weeks_sorted)
        {
          while (last->week - items[window_first]->week >= 7 * n_weeks)
            window_first++;
          first_candidate = window_first;
          last_other = week_first;  /* one past the last item of another week */
        }
      else
        {
          first_candidate = 0;
          last_other = 0;
          for (guint j = 0; j <= i; j++)
            if (items[j]->week != last->week)
              last_other = j + 1;
        }

      for (guint j = first_candidate; j <= i; j++)
        {
          int days = last->week - items[j]->week;

          if (days >= 0 && days < 7 * n_weeks)
            worked += items[j]->worked;
        }

      if (worked > limit * n_weeks)
        {
          g_autoptr(GPtrArray) window = g_ptr_array_new ();
          g_autofree char *average = format_duration (worked / n_weeks);
          g_autofree char *max = format_duration (limit);
          guint week_start = last_other > 0 ? last_other : i;
          Item *first = items[week_start];

          for (guint j = first_candidate; j <= i; j++)
            {
              int days = last->week - items[j]->week;

              if (days >= 0 && days < 7 * n_weeks)
                g_ptr_array_add (window, items[j]);
            }

          /* The span is the checked week, so that the finding belongs to it. */
          add_finding (check, ROTA_SEVERITY_VIOLATION, rule,
                       (Item **) window->pdata, window->len,
                       first->start, span_end (items + week_start, i + 1 - week_start),
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

      if (latest != NULL && item->start >= latest->end && item->day != latest->day)
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

  break_needed = rota_rules_break_needed (check->profile, item->worked);
  if (check->profile == ROTA_RULES_PROFILE_NL)
    {
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
  if (!item->minor)
    return;

  for (int day = item->day - 1; day <= item->last_day; day++)
    {
      gint64 start = clock_from_local (&check->clock, day, night_start);
      gint64 end = clock_from_local (&check->clock, day, 24 * 60 + 6 * 60);

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
    }
}

/**
 * rota_rules_break_needed:
 * @profile: the office's rules
 * @worked: time worked, net of breaks, in seconds
 *
 * The legal minimum break for @worked (de: 30 min over 6 h, 45 min over
 * 9 h; nl: 30 min over 5.5 h, 45 min over 10 h). The planner's rules check
 * a shift's break against it and the punch analysis deducts it from
 * clocked time when no break was punched.
 *
 * Returns: seconds of break, 0 for a profile without break rules
 */
gint64
rota_rules_break_needed (RotaRulesProfile profile,
                         gint64           worked)
{
  switch (profile)
    {
    case ROTA_RULES_PROFILE_DE:
      if (worked > 9 * HOUR)
        return 45 * MINUTE;
      if (worked > 6 * HOUR)
        return 30 * MINUTE;
      return 0;

    case ROTA_RULES_PROFILE_NL:
      if (worked > 10 * HOUR)
        return 45 * MINUTE;
      if (worked > 5 * HOUR + 30 * MINUTE)
        return 30 * MINUTE;
      return 0;

    case ROTA_RULES_PROFILE_NONE:
    default:
      return 0;
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
  g_autoptr(GPtrArray) items = NULL;
  g_autofree Item *storage = NULL;
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_finding_free);
  Check check = { profile, { zone, 0, 0, 0 }, employee, NULL, from, to, findings, G_MININT, TRUE };
  gboolean sorted = TRUE;
  int adult_from = G_MININT;
  int child_until = G_MININT;
  int birth_year, birth_month, birth_day;
  guint n = 0;

  g_return_val_if_fail (zone != NULL, findings);
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (employee), findings);
  g_return_val_if_fail (shifts != NULL, findings);

  /* Under 18 on a day ⇔ the day comes before the 18th birthday. */
  if (employee->date_of_birth != NULL && rota_date_parse (employee->date_of_birth, &birth_year, &birth_month, &birth_day))
    {
      adult_from = birthday (birth_year, birth_month, birth_day, 18);
      if (profile == ROTA_RULES_PROFILE_DE)
        child_until = birthday (birth_year, birth_month, birth_day, 15);
      else if (profile == ROTA_RULES_PROFILE_NL)
        child_until = birthday (birth_year, birth_month, birth_day, 16);
    }

  /* Every shift once into integers: the offset of the zone comes from
   * the clock's span, so no dates are formatted or parsed. */
  storage = g_new (Item, MAX (shifts->len, 1));
  items = g_ptr_array_sized_new (shifts->len);
  check.items = items;

  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);
      Item *item;

      if (i + PREFETCH_AHEAD < shifts->len)
        PREFETCH (g_ptr_array_index (shifts, i + PREFETCH_AHEAD));
      if (i + PREFETCH_AHEAD / 2 < shifts->len)
        PREFETCH (((RotaShift *) g_ptr_array_index (shifts, i + PREFETCH_AHEAD / 2))->employee_id);

      if (shift->deleted ||
          (shift->employee_id != NULL && g_strcmp0 (shift->employee_id, employee->id) != 0) ||
          !rota_instant_is_valid (shift->start) || !rota_instant_is_valid (shift->end))
        continue;

      item = &storage[n++];
      item->shift = shift;
      item->start = shift->start;
      item->end = MAX (shift->end, shift->start);
      item->worked = MAX (item->end - item->start - shift->break_minutes * MINUTE, 0);
      item->day = clock_day (&check.clock, item->start);
      item->last_day = clock_day (&check.clock, MAX (item->end - 1, item->start));
      item->week = day_week (item->day);
      item->minor = item->day < adult_from;
      item->child = item->day < child_until;

      if (items->len > 0 && sorted && compare_items (&items->pdata[items->len - 1], &item) > 0)
        sorted = FALSE;
      g_ptr_array_add (items, item);
    }

  /* Shifts mostly come in order already. */
  if (!sorted)
    g_ptr_array_sort (items, compare_items);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      check.last_day = MAX (check.last_day, item->last_day);
      if (i > 0 && item->week < ((Item *) g_ptr_array_index (items, i - 1))->week)
        check.weeks_sorted = FALSE;
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
