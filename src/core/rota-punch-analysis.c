/* rota-punch-analysis.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-punch-analysis"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "rota-model-private.h"
#include "rota-punch-analysis-private.h"
#include "rota-punch-analysis.h"
#include "rota-time.h"

/*
 * The contract is the comment in rota-punch-analysis.h. How it is done:
 *
 * Everything is grouped per employee first (one hash lookup per shift,
 * punch, correction, approval and absence), then each employee is
 * analysed on their own, in the order of their ids, so that the days
 * come out sorted and nothing is sorted at the end.
 *
 * Per employee the corrections are laid over the punches in small
 * structs (EPunch) rather than copies of the punch objects: a month of a
 * large tenant has some 100,000 punches, and only the correction dialog
 * (keep_punches) needs objects. The days of the range are slots of an
 * array indexed by day; a slot becomes a day of the report when it has a
 * shift, a punch, a correction or an approval.
 *
 * Which day: the Julian day of the local date in the office's zone, with
 * the zone's offset looked up once per span between changes
 * (rota_time_zone_offset()). Durations are instants subtracted.
 *
 * The day's version: 63-bit FNV-1a over the sorted ids of the punches
 * (effective ones, and originals voided there) and corrections of the
 * day, each id followed by a NUL. It depends on nothing but those ids, so
 * the server, which analyses one employee-day to check an approval, gets
 * the same number as the client that analysed a month.
 *
 * What is loaded around the range: punches and shifts from 8 days before
 * (pairing needs a day or two; the rest rules look back 7 days, as the
 * planner's do) to 2 days after (an interval is at most max_span_hours
 * long). The Dutch 4- and 16-week averages are left to the planner: a
 * week of clocked time before the range cannot judge them, and a report
 * loaded in parts must be the same as one loaded at once.
 *
 * Punches are read by the time they were clocked; a correction can move
 * one from further away into the window (a kiosk's clock was wrong), so
 * those are read by id too (rota_punch_input_list_moved_in()), and a
 * punch moved out of the window is left out of the pairing like an added
 * one there. A day is then the same however wide the range read is.
 */

#define MINUTE G_GINT64_CONSTANT (60)
#define HOUR   G_GINT64_CONSTANT (3600)
#define DAY    G_GINT64_CONSTANT (86400)

/* 1970-01-01 in GDate's Julian day numbers (0001-01-01 is day 1). */
#define UNIX_EPOCH_JULIAN 719163

#define MAX_RANGE_DAYS   400
#define LOAD_DAYS_BEFORE 8
#define LOAD_DAYS_AFTER  2
#define LONG_HOURS       12

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch (address)
#else
#define PREFETCH(address) ((void) 0)
#endif
#define PREFETCH_AHEAD 8

#define FNV_OFFSET G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define FNV_PRIME  G_GUINT64_CONSTANT (0x100000001b3)

struct _RotaPunchReport
{
  GArray       *days;      /* RotaPunchDay, by employee id then date */
  GStringChunk *strings;
};

G_DEFINE_BOXED_TYPE (RotaPunchReport, rota_punch_report, rota_punch_report_ref, rota_punch_report_unref)

/* Policy */

/**
 * rota_punch_policy_init_for_office:
 * @policy: (out caller-allocates): the policy to fill
 * @office: (nullable): the office, or %NULL for the defaults
 *
 * Fills @policy from @office's punch grace and rounding; the limits for
 * open and long intervals are the same for every office.
 */
void
rota_punch_policy_init_for_office (RotaPunchPolicy *policy,
                                   RotaOffice      *office)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (office == NULL || ROTA_IS_OFFICE (office));

  policy->grace_minutes = ROTA_OFFICE_DEFAULT_PUNCH_GRACE_MINUTES;
  policy->rounding_minutes = 0;
  policy->rounding_mode = ROTA_PUNCH_ROUNDING_INWARD;
  policy->early_from_plan = FALSE;
  policy->max_open_hours = 16;
  policy->max_span_hours = 24;

  if (office != NULL)
    {
      policy->grace_minutes = (int) CLAMP (office->punch_grace_minutes, 0, 120);
      policy->rounding_minutes = (int) CLAMP (office->punch_rounding_minutes, 0, 60);
      if (office->punch_rounding_mode != ROTA_PUNCH_ROUNDING_NONE)
        policy->rounding_mode = office->punch_rounding_mode;
      policy->early_from_plan = office->punch_early_from_plan;
    }
}

/* Dates */

static gboolean
date_to_julian (const char *date,
                guint32    *out_julian)
{
  int year, month, day;
  GDate g;

  if (date == NULL || !rota_date_parse (date, &year, &month, &day))
    return FALSE;

  g_date_clear (&g, 1);
  g_date_set_dmy (&g, day, month, year);
  *out_julian = g_date_get_julian (&g);

  return TRUE;
}

static void
julian_format (guint32 julian,
               char    out[11])
{
  GDate g;

  g_date_clear (&g, 1);
  g_date_set_julian (&g, julian);
  g_snprintf (out, 11, "%04d-%02d-%02d", g_date_get_year (&g), g_date_get_month (&g), g_date_get_day (&g));
}

/* Checks a range; the message names what is wrong. */
static gboolean
range_check (const char  *first_day,
             const char  *last_day,
             guint32     *out_first,
             guint32     *out_last,
             GError     **error)
{
  guint32 first, last;

  if (!date_to_julian (first_day, &first))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The first day “%s” is not a date (YYYY-MM-DD)"), first_day ? first_day : "");
      return FALSE;
    }
  if (!date_to_julian (last_day, &last))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The last day “%s” is not a date (YYYY-MM-DD)"), last_day ? last_day : "");
      return FALSE;
    }
  if (last < first)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The last day %s comes before the first day %s"), last_day, first_day);
      return FALSE;
    }
  if (last - first + 1 > MAX_RANGE_DAYS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("From %s to %s is %u days; at most %d days can be analysed at once"),
                   first_day, last_day, last - first + 1, MAX_RANGE_DAYS);
      return FALSE;
    }

  if (out_first != NULL)
    *out_first = first;
  if (out_last != NULL)
    *out_last = last;

  return TRUE;
}

/* Input */

/**
 * rota_punch_input_new:
 * @first_day: the first day, "YYYY-MM-DD"
 * @last_day: the last day, inclusive, at most 400 days after @first_day
 * @now: the instant to judge open punches and no-shows at
 *
 * An empty input for rota_punch_analyze(), to fill by hand (tests, the
 * server) or with rota_punch_input_load().
 *
 * Returns: (transfer full) (nullable): the input, or %NULL when the dates
 *   are not dates, @last_day comes before @first_day or the range is
 *   longer than 400 days
 */
RotaPunchInput *
rota_punch_input_new (const char *first_day,
                      const char *last_day,
                      gint64      now)
{
  RotaPunchInput *input;

  if (!range_check (first_day, last_day, NULL, NULL, NULL))
    return NULL;

  input = g_new0 (RotaPunchInput, 1);
  input->offices = g_ptr_array_new_with_free_func (g_object_unref);
  input->departments = g_ptr_array_new_with_free_func (g_object_unref);
  input->employees = g_ptr_array_new_with_free_func (g_object_unref);
  input->shifts = g_ptr_array_new_with_free_func (g_object_unref);
  input->punches = g_ptr_array_new_with_free_func (g_object_unref);
  input->corrections = g_ptr_array_new_with_free_func (g_object_unref);
  input->approvals = g_ptr_array_new_with_free_func (g_object_unref);
  input->absences = g_ptr_array_new_with_free_func (g_object_unref);
  g_strlcpy (input->first_day, first_day, sizeof input->first_day);
  g_strlcpy (input->last_day, last_day, sizeof input->last_day);
  input->now = now;

  return input;
}

void
rota_punch_input_free (RotaPunchInput *input)
{
  if (input == NULL)
    return;

  g_clear_pointer (&input->offices, g_ptr_array_unref);
  g_clear_pointer (&input->departments, g_ptr_array_unref);
  g_clear_pointer (&input->employees, g_ptr_array_unref);
  g_clear_pointer (&input->shifts, g_ptr_array_unref);
  g_clear_pointer (&input->punches, g_ptr_array_unref);
  g_clear_pointer (&input->corrections, g_ptr_array_unref);
  g_clear_pointer (&input->approvals, g_ptr_array_unref);
  g_clear_pointer (&input->absences, g_ptr_array_unref);
  g_free (input);
}

/* The UTC bounds of what is read around a range: generous enough for any
 * zone (UTC-12 to UTC+14). */
static void
window_bounds (guint32  first,
               guint32  last,
               gint64  *out_from,
               gint64  *out_to)
{
  *out_from = ((gint64) first - UNIX_EPOCH_JULIAN - LOAD_DAYS_BEFORE) * DAY - 14 * HOUR;
  *out_to = ((gint64) last + 1 - UNIX_EPOCH_JULIAN + LOAD_DAYS_AFTER) * DAY + 14 * HOUR;
}

/**
 * rota_punch_input_get_window:
 * @input: an input
 * @out_from: (out): the first instant to read shifts and punches from
 * @out_to: (out): the instant to read them up to, not included
 *
 * The UTC bounds of the shifts and punches rota_punch_analyze() needs
 * around the input's range: for a caller that fills the input itself
 * (the server), so that it reads what rota_punch_input_load() reads and
 * computes the same days and versions.
 */
void
rota_punch_input_get_window (RotaPunchInput *input,
                             gint64         *out_from,
                             gint64         *out_to)
{
  guint32 first = 0, last = 0;

  g_return_if_fail (input != NULL);
  g_return_if_fail (out_from != NULL && out_to != NULL);

  if (!range_check (input->first_day, input->last_day, &first, &last, NULL))
    g_return_if_reached ();

  window_bounds (first, last, out_from, out_to);
}

/**
 * rota_punch_input_list_moved_in:
 * @input: an input with its punches and corrections
 *
 * The punches that a correction of @input moves into its window
 * (rota_punch_input_get_window()) but that are not among its punches:
 * they were clocked further away than the window reaches. A caller that
 * reads punches by their clocked time reads these by id and adds them,
 * so that a day with a punch moved in from weeks away (a kiosk whose
 * clock was wrong) is the same day, with the same version, however wide
 * the range it is read in. rota_punch_input_load() does.
 *
 * Returns: (transfer container) (element-type utf8): punch ids, owned by
 *   the input's corrections
 */
GPtrArray *
rota_punch_input_list_moved_in (RotaPunchInput *input)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *ids = g_ptr_array_new ();
  gint64 from, to;

  g_return_val_if_fail (input != NULL, ids);

  rota_punch_input_get_window (input, &from, &to);
  for (guint i = 0; i < input->punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (input->punches, i);

      if (punch->id != NULL)
        g_hash_table_add (seen, punch->id);
    }

  for (guint i = 0; i < input->corrections->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (input->corrections, i);

      if (correction->action != ROTA_CORRECTION_ACTION_MOVE || correction->punch_id == NULL ||
          !rota_instant_is_valid (correction->new_at) || correction->new_at < from || correction->new_at >= to ||
          g_hash_table_contains (seen, correction->punch_id))
        continue;
      g_hash_table_add (seen, correction->punch_id);
      g_ptr_array_add (ids, correction->punch_id);
    }

  return ids;
}

static gboolean
strv_contains (char       **strv,
               const char  *value)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, value);
}

/* What a range's input holds beside its shifts and punches: the same for
 * every part of a long range. */
static gboolean
load_common (RotaStore       *store,
             RotaPunchInput  *input,
             const char      *department_id,
             const char      *employee_id,
             GError         **error)
{
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GPtrArray) corrections = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(GPtrArray) absences = NULL;
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);

  g_clear_pointer (&input->offices, g_ptr_array_unref);
  g_clear_pointer (&input->departments, g_ptr_array_unref);
  if ((input->offices = rota_store_list_entities (store, ROTA_TYPE_OFFICE, error)) == NULL ||
      (input->departments = rota_store_list_entities (store, ROTA_TYPE_DEPARTMENT, error)) == NULL ||
      (employees = rota_store_list_entities (store, ROTA_TYPE_EMPLOYEE, error)) == NULL ||
      (corrections = rota_store_list_entities (store, ROTA_TYPE_PUNCH_CORRECTION, error)) == NULL ||
      (approvals = rota_store_list_entities (store, ROTA_TYPE_APPROVAL, error)) == NULL ||
      (absences = rota_store_list_entities (store, ROTA_TYPE_ABSENCE, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < employees->len; i++)
    {
      RotaEmployee *employee = g_ptr_array_index (employees, i);

      if (employee_id != NULL && g_strcmp0 (employee->id, employee_id) != 0)
        continue;
      if (department_id != NULL && !strv_contains (employee->department_ids, department_id))
        continue;
      g_ptr_array_add (input->employees, g_object_ref (employee));
      g_hash_table_add (wanted, employee->id);
    }

  for (guint i = 0; i < corrections->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (corrections, i);

      if (correction->employee_id != NULL && g_hash_table_contains (wanted, correction->employee_id))
        g_ptr_array_add (input->corrections, g_object_ref (correction));
    }

  for (guint i = 0; i < approvals->len; i++)
    {
      RotaApproval *approval = g_ptr_array_index (approvals, i);

      if (approval->employee_id != NULL && approval->work_date != NULL &&
          g_hash_table_contains (wanted, approval->employee_id) &&
          strcmp (approval->work_date, input->first_day) >= 0 &&
          strcmp (approval->work_date, input->last_day) <= 0)
        g_ptr_array_add (input->approvals, g_object_ref (approval));
    }

  for (guint i = 0; i < absences->len; i++)
    {
      RotaAbsence *absence = g_ptr_array_index (absences, i);

      if (absence->employee_id != NULL && g_hash_table_contains (wanted, absence->employee_id))
        g_ptr_array_add (input->absences, g_object_ref (absence));
    }

  return TRUE;
}

/* The shifts and punches around the input's range. */
static gboolean
load_window (RotaStore       *store,
             RotaPunchInput  *input,
             const char      *employee_id,
             GError         **error)
{
  guint32 first, last;
  gint64 from, to;

  if (!range_check (input->first_day, input->last_day, &first, &last, error))
    return FALSE;
  window_bounds (first, last, &from, &to);

  g_clear_pointer (&input->shifts, g_ptr_array_unref);
  g_clear_pointer (&input->punches, g_ptr_array_unref);
  input->shifts = rota_store_list_shifts (store, from, to, NULL, error);
  if (input->shifts == NULL)
    return FALSE;
  input->punches = rota_store_list_punches (store, from, to, employee_id, error);
  if (input->punches == NULL)
    return FALSE;

  /* Punches clocked further away that a correction moves in. A punch an
   * added one stands for is not in the store, nor is one not synced to
   * this device yet: neither is there to read. */
  {
    g_autoptr(GPtrArray) moved_in = rota_punch_input_list_moved_in (input);

    for (guint i = 0; i < moved_in->len; i++)
      {
        g_autoptr(GError) local_error = NULL;
        RotaEntity *punch = rota_store_get_entity (store, ROTA_TYPE_PUNCH, g_ptr_array_index (moved_in, i),
                                                   &local_error);

        if (punch != NULL)
          g_ptr_array_add (input->punches, punch);
        else if (!g_error_matches (local_error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
      }
  }

  return TRUE;
}

/**
 * rota_punch_input_load:
 * @store: the store to read
 * @first_day: the first day, "YYYY-MM-DD"
 * @last_day: the last day, inclusive
 * @department_id: (nullable): only the employees of this department
 * @employee_id: (nullable): only this employee
 * @now: the instant to judge open punches and no-shows at
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Reads what rota_punch_analyze() needs for the range: the shifts and
 * punches around it, the corrections, the approvals of the range, the
 * absences, offices, departments and the employees asked for.
 *
 * Returns: (transfer full) (nullable): the input, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_ARGUMENT for a bad range)
 */
RotaPunchInput *
rota_punch_input_load (RotaStore     *store,
                       const char    *first_day,
                       const char    *last_day,
                       const char    *department_id,
                       const char    *employee_id,
                       gint64         now,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(RotaPunchInput) input = NULL;

  g_return_val_if_fail (ROTA_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!range_check (first_day, last_day, NULL, NULL, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  input = rota_punch_input_new (first_day, last_day, now);
  if (!load_common (store, input, department_id, employee_id, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !load_window (store, input, employee_id, error))
    return NULL;

  return g_steal_pointer (&input);
}

/* Analysis */

typedef struct
{
  GTimeZone *zone;
  gint64     start;
  gint64     end;
  gint32     offset;
} Clock;

static inline gint32
clock_offset (Clock  *clock,
              gint64  instant)
{
  if (instant < clock->start || instant >= clock->end)
    clock->offset = rota_time_zone_offset (clock->zone, instant, &clock->start, &clock->end);

  return clock->offset;
}

static inline guint32
clock_julian (Clock  *clock,
              gint64  instant)
{
  gint64 local = instant + clock_offset (clock, instant);
  gint64 days = local >= 0 ? local / DAY : -((-local + DAY - 1) / DAY);

  return (guint32) (days + UNIX_EPOCH_JULIAN);
}

/* Which way clock_round() goes: up, down, or to the nearer step (a half
 * step up). */
typedef enum
{
  ROUND_DOWN,
  ROUND_UP,
  ROUND_NEAREST,
} RoundWay;

/* Rounds @instant to @step seconds counted from local midnight. */
static gint64
clock_round (Clock    *clock,
             gint64    instant,
             gint64    step,
             RoundWay  way)
{
  gint64 local = instant + clock_offset (clock, instant);
  gint64 rest = ((local % step) + step) % step;

  if (rest == 0)
    return instant;

  if (way == ROUND_UP || (way == ROUND_NEAREST && 2 * rest >= step))
    return instant + (step - rest);

  return instant - rest;
}

typedef struct
{
  RotaOffice       *office;     /* NULL: the defaults */
  const char       *id;         /* interned in the report, or NULL */
  GTimeZone        *zone;       /* rota_time_zone_get()'s, not owned */
  RotaRulesProfile  profile;
  RotaPunchPolicy   policy;
  gint64            range_from; /* local midnight of the first day */
  gint64            range_to;   /* local midnight after the last day */
} OfficeInfo;

typedef struct
{
  RotaEmployee *employee;
  OfficeInfo   *office;
  const char   *department_id; /* the employee's first */
  GPtrArray    *shifts;
  GPtrArray    *punches;
  GPtrArray    *corrections;
  GPtrArray    *approvals;
  GPtrArray    *absences;
  guint         n_items;       /* while distributing */
} Person;

/* A punch with the corrections laid over it. */
typedef struct
{
  const char          *id;         /* the punch's, or the adding correction's */
  RotaPunch           *punch;      /* the original; NULL when added */
  RotaPunchCorrection *added;
  gint64               at;
  gint64               original_at;
  RotaPunchKind        kind;
  RotaPunchKind        original_kind;
  guint                untrusted : 1;
  guint                voided : 1;
  guint                moved : 1;
  guint32              day;        /* the work day it counts to */
} EPunch;

typedef struct
{
  guint  in;                       /* EPunch indices */
  guint  out;
  guint32 day;
  gint64 break_seconds;
  gboolean punched_breaks;
} Interval;

/* A day of the range while it is being built. */
typedef struct
{
  gboolean      used;
  gboolean      absent;
  RotaDayFlags  flags;
  gint64        planned_start;
  gint64        planned_end;
  gint64        planned_seconds;
  guint         n_shifts;
  const char   *department_id;
  gint64        first_shift_start;
  gint64        clocked_start;
  gint64        clocked_end;
  gint64        break_seconds;
  gboolean      break_deducted;
  gint64        worked_seconds;
  guint         n_punches;
  guint         n_corrections;
  RotaApproval *approval;
  GPtrArray    *findings;
} Slot;

/* The latest interval that a rule shift's id names. */
typedef struct
{
  const char *id;
  gint64      at;
  guint32     day;
} RuleId;

/* Pairs an id with the slot whose version it goes into. */
typedef struct
{
  guint       slot;
  const char *id;
} VersionId;

typedef struct
{
  RotaPunchInput  *input;
  RotaPunchReport *report;
  guint32          first;
  guint32          last;
  guint            n_days;
  gint64           window_from;
  gint64           window_to;

  /* Scratch, reused from one employee to the next. */
  char           (*dates)[11];   /* the range's days as text */
  Slot            *slots;
  GArray          *epunches;     /* EPunch */
  GArray          *order;        /* guint: EPunch indices in time order */
  GArray          *intervals;    /* Interval */
  GArray          *version_ids;  /* VersionId, n_version_ids of them while filled */
  guint            n_version_ids;
  GPtrArray       *sorted_corrections;
  GPtrArray       *rule_shifts;  /* RotaShift, reused; fields borrowed */
  GPtrArray       *rule_input;
  GArray          *rule_ids;     /* RuleId */
  const char      *department;   /* the last department id interned */
} Analysis;

static inline Slot *
slot_at (Analysis *a,
         guint32   julian)
{
  if (julian < a->first || julian > a->last)
    return NULL;

  return &a->slots[julian - a->first];
}

static void
slot_flag (Analysis     *a,
           guint32       julian,
           RotaDayFlags  flag)
{
  Slot *slot = slot_at (a, julian);

  if (slot != NULL)
    {
      slot->used = TRUE;
      slot->flags |= flag;
    }
}

static void
add_version_id (Analysis   *a,
                guint32     julian,
                const char *id)
{
  VersionId v;

  if (id == NULL || julian < a->first || julian > a->last)
    return;

  v.slot = julian - a->first;
  v.id = id;
  g_assert (a->n_version_ids < a->version_ids->len);
  g_array_index (a->version_ids, VersionId, a->n_version_ids++) = v;
}

static int
compare_version_ids (gconstpointer x,
                     gconstpointer y)
{
  const VersionId *a = x;
  const VersionId *b = y;

  if (a->slot != b->slot)
    return a->slot < b->slot ? -1 : 1;

  return strcmp (a->id, b->id);
}

static int
compare_rule_ids (gconstpointer x,
                  gconstpointer y)
{
  const RuleId *a = x;
  const RuleId *b = y;
  int by_id = strcmp (a->id, b->id);

  if (by_id != 0)
    return by_id;

  return a->at > b->at ? -1 : a->at < b->at;
}

static int
compare_corrections (gconstpointer a,
                     gconstpointer b)
{
  RotaPunchCorrection *x = *(RotaPunchCorrection * const *) a;
  RotaPunchCorrection *y = *(RotaPunchCorrection * const *) b;

  if (x->created_at != y->created_at)
    return x->created_at < y->created_at ? -1 : 1;

  return g_strcmp0 (x->id, y->id);
}

static int
compare_order_with (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  GArray *epunches = user_data;
  const EPunch *x = &g_array_index (epunches, EPunch, *(const guint *) a);
  const EPunch *y = &g_array_index (epunches, EPunch, *(const guint *) b);

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;

  return strcmp (x->id, y->id);
}

/* The legal break that is deducted from @gross when no break was punched:
 * the least break b with which the net time keeps the law (b at least
 * the break needed for gross - b), so that the net time never falls under
 * a threshold: 6:10 gross in Germany is 6:00 net, not 5:40. As b grows the
 * break needed for gross - b can only fall, so the least such b is found
 * by bisection, in seconds. */
static gint64
deducted_break (RotaRulesProfile profile,
                gint64           gross)
{
  gint64 lo = 0;
  gint64 hi = rota_rules_break_needed (profile, gross);

  if (hi == 0)
    return 0;

  /* Mostly gross is well over a threshold, and a second less than hi
   * breaks the law already: then hi is the least. */
  if (hi - 1 < rota_rules_break_needed (profile, gross - (hi - 1)))
    return hi;

  /* hi keeps the law; find the least b in [lo, hi] that does. */
  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (mid >= rota_rules_break_needed (profile, gross - mid))
        hi = mid;
      else
        lo = mid + 1;
    }

  return hi;
}

/* The work day of a punch that is not an in and opens nothing: the day of
 * the nearest effective punch before it when that is recent (a break or
 * an out belongs to the shift it ends), else its own local day. Used for
 * voided punches and for where a moved punch was, so that a correction
 * of a night shift's clock-out touches the night's day. */
static guint32
day_near (Analysis      *a,
          Clock         *clock,
          gint64         at,
          RotaPunchKind  kind,
          gint64         max_gap)
{
  GArray *order = a->order;
  guint lo = 0, hi = order->len;

  if (kind != ROTA_PUNCH_KIND_IN)
    {
      /* The last effective punch at or before @at. */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          const EPunch *p = &g_array_index (a->epunches, EPunch, g_array_index (order, guint, mid));

          if (p->at <= at)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo > 0)
        {
          const EPunch *p = &g_array_index (a->epunches, EPunch, g_array_index (order, guint, lo - 1));

          if (at - p->at <= max_gap)
            return p->day;
        }
    }

  return clock_julian (clock, at);
}

static RotaPunch *
epunch_to_punch (const EPunch *p,
                 const char   *employee_id)
{
  RotaPunch *punch;

  if (p->punch != NULL)
    {
      punch = ROTA_PUNCH (rota_entity_copy (ROTA_ENTITY (p->punch)));
      punch->at = p->at;
      punch->kind = p->kind;
      return punch;
    }

  punch = rota_punch_new ();
  punch->id = g_strdup (p->id);
  punch->employee_id = g_strdup (employee_id);
  punch->kind = p->kind;
  punch->at = p->at;
  punch->source = g_strdup ("manual");

  return punch;
}

/* Lays the corrections over the punches, in the order they were made. */
static void
build_epunches (Analysis *a,
                Person   *person)
{
  GArray *epunches = a->epunches;
  guint n = 0;

  /* Written in place, the array made as long as it can get and cut to
   * size after: a hundred thousand appends are worth saving. */
  g_array_set_size (epunches, 0);
  g_array_set_size (epunches, person->punches != NULL ? person->punches->len : 0);

  for (guint i = 0; person->punches != NULL && i < person->punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (person->punches, i);
      EPunch *p = &g_array_index (epunches, EPunch, n);

      /* The punches were read last while distributing, all of them:
       * not in the cache any more. */
      if (i + PREFETCH_AHEAD < person->punches->len)
        PREFETCH (g_ptr_array_index (person->punches, i + PREFETCH_AHEAD));

      if (!rota_instant_is_valid (punch->at) || punch->id == NULL ||
          punch->kind == ROTA_PUNCH_KIND_NONE)
        continue;

      p->id = punch->id;
      p->punch = punch;
      p->at = p->original_at = punch->at;
      p->kind = p->original_kind = punch->kind;
      p->untrusted = punch->time_untrusted != FALSE;
      n++;
    }
  g_array_set_size (epunches, n);

  g_ptr_array_set_size (a->sorted_corrections, 0);
  for (guint i = 0; person->corrections != NULL && i < person->corrections->len; i++)
    g_ptr_array_add (a->sorted_corrections, g_ptr_array_index (person->corrections, i));
  g_ptr_array_sort (a->sorted_corrections, compare_corrections);

  for (guint i = 0; i < a->sorted_corrections->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (a->sorted_corrections, i);

      switch (correction->action)
        {
        case ROTA_CORRECTION_ACTION_ADD:
          /* Wherever it was added: a later correction may move it into
           * the window. One that ends outside is left out below. */
          if (rota_instant_is_valid (correction->new_at) && correction->id != NULL &&
              correction->new_kind != ROTA_PUNCH_KIND_NONE)
            {
              EPunch p = { 0, };

              p.id = correction->id;
              p.added = correction;
              p.at = p.original_at = correction->new_at;
              p.kind = p.original_kind = correction->new_kind;
              g_array_append_val (epunches, p);
            }
          break;

        case ROTA_CORRECTION_ACTION_MOVE:
        case ROTA_CORRECTION_ACTION_VOID:
          if (correction->punch_id == NULL)
            break;
          for (guint j = 0; j < epunches->len; j++)
            {
              EPunch *p = &g_array_index (epunches, EPunch, j);

              if (strcmp (p->id, correction->punch_id) != 0)
                continue;
              if (correction->action == ROTA_CORRECTION_ACTION_VOID)
                p->voided = TRUE;
              else if (rota_instant_is_valid (correction->new_at))
                {
                  p->at = correction->new_at;
                  if (correction->new_kind != ROTA_PUNCH_KIND_NONE)
                    p->kind = correction->new_kind;
                  p->moved = TRUE;
                  /* HR set the time: the kiosk's clock no longer matters. */
                  p->untrusted = FALSE;
                }
              break;
            }
          break;

        case ROTA_CORRECTION_ACTION_NONE:
        default:
          break;
        }
    }

  n = 0;
  g_array_set_size (a->order, epunches->len);
  for (guint j = 0; j < epunches->len; j++)
    {
      EPunch *p = &g_array_index (epunches, EPunch, j);

      /* A punch (clocked or added) that ends outside what was read around
       * the range is paired with nothing there (a moved one still counts
       * where it was clocked, below). Whether it was read depends on how
       * wide the range is; being left out does not. */
      p->day = 0;
      if (!p->voided && p->at >= a->window_from && p->at < a->window_to)
        g_array_index (a->order, guint, n++) = j;
    }
  g_array_set_size (a->order, n);
  /* Punches mostly come in time order already. */
  for (guint k = 1; k < a->order->len; k++)
    if (compare_order_with (&g_array_index (a->order, guint, k - 1), &g_array_index (a->order, guint, k),
                            epunches) > 0)
      {
        g_array_sort_with_data (a->order, compare_order_with, epunches);
        break;
      }
}

/* Pairs the effective punches into intervals and gives every punch its
 * work day (the header's "Pairing"). */
static void
pair_punches (Analysis        *a,
              Clock           *clock,
              const RotaPunchPolicy *policy)
{
  gint64 max_span = (gint64) policy->max_span_hours * HOUR;
  gint64 max_open = (gint64) policy->max_open_hours * HOUR;
  gboolean have_open = FALSE;
  guint open = 0;
  guint32 open_day = 0;
  gint64 break_start = 0;
  gint64 break_seconds = 0;
  gboolean punched_breaks = FALSE;
  gboolean have_closed = FALSE;
  guint32 closed_day = 0;
  guint32 closed_out_day = 0;

  g_array_set_size (a->intervals, 0);

  for (guint k = 0; k < a->order->len; k++)
    {
      EPunch *p = &g_array_index (a->epunches, EPunch, g_array_index (a->order, guint, k));
      guint32 local_day = clock_julian (clock, p->at);
      /* A stray punch belongs to the day of the interval just closed when
       * it comes on that day or on the day the interval ended. */
      guint32 stray_day = have_closed && (local_day == closed_day || local_day == closed_out_day)
                          ? closed_day : local_day;

      switch (p->kind)
        {
        case ROTA_PUNCH_KIND_IN:
          if (have_open)
            {
              /* A double tap or a second terminal: the later in counts. */
              if (local_day == open_day)
                slot_flag (a, open_day, ROTA_DAY_OVERLAP);
              else
                slot_flag (a, open_day, ROTA_DAY_MISSING_OUT);
            }
          have_open = TRUE;
          open = g_array_index (a->order, guint, k);
          open_day = local_day;
          p->day = local_day;
          break_start = 0;
          break_seconds = 0;
          punched_breaks = FALSE;
          break;

        case ROTA_PUNCH_KIND_BREAK_START:
          if (have_open)
            {
              p->day = open_day;
              punched_breaks = TRUE;
              if (break_start == 0)
                break_start = p->at;
            }
          else
            p->day = stray_day;
          break;

        case ROTA_PUNCH_KIND_BREAK_END:
          if (have_open)
            {
              p->day = open_day;
              punched_breaks = TRUE;
              if (break_start != 0)
                {
                  break_seconds += p->at - break_start;
                  break_start = 0;
                }
            }
          else
            p->day = stray_day;
          break;

        case ROTA_PUNCH_KIND_OUT:
          if (have_open)
            {
              EPunch *in = &g_array_index (a->epunches, EPunch, open);
              gint64 span = p->at - in->at;

              if (span > max_span)
                {
                  /* Not one interval: the in's out and the out's in were
                   * both forgotten. */
                  slot_flag (a, open_day, ROTA_DAY_MISSING_OUT);
                  slot_flag (a, local_day, ROTA_DAY_MISSING_IN);
                  p->day = local_day;
                  have_closed = FALSE;
                }
              else
                {
                  Interval interval = { 0, };

                  /* A break never ended counts until the clock-out. */
                  if (break_start != 0)
                    break_seconds += p->at - break_start;

                  interval.in = open;
                  interval.out = g_array_index (a->order, guint, k);
                  interval.day = open_day;
                  interval.break_seconds = MIN (break_seconds, span);
                  interval.punched_breaks = punched_breaks;
                  g_array_append_val (a->intervals, interval);

                  if (span > LONG_HOURS * HOUR)
                    slot_flag (a, open_day, ROTA_DAY_OVER_12H);
                  p->day = open_day;
                  have_closed = TRUE;
                  closed_day = open_day;
                  closed_out_day = local_day;
                }
              have_open = FALSE;
            }
          else if (have_closed && stray_day == closed_day)
            {
              /* in, out, out: the later out is the stray one. */
              slot_flag (a, closed_day, ROTA_DAY_OVERLAP);
              p->day = closed_day;
            }
          else
            {
              slot_flag (a, local_day, ROTA_DAY_MISSING_IN);
              p->day = local_day;
              have_closed = FALSE;
            }
          break;

        case ROTA_PUNCH_KIND_NONE:
        default:
          p->day = local_day;
          break;
        }
    }

  if (have_open)
    {
      EPunch *in = &g_array_index (a->epunches, EPunch, open);
      gint64 age = a->input->now - in->at;

      if (age > max_open)
        slot_flag (a, open_day, ROTA_DAY_MISSING_OUT);
      else
        {
          slot_flag (a, open_day, ROTA_DAY_WORKING);
          if (age > LONG_HOURS * HOUR)
            slot_flag (a, open_day, ROTA_DAY_OVER_12H);
        }
    }
}

/* With early_from_plan: the start of the shift that an early clock-in at
 * @start reaches into before @end, when it is at most EARLY_LIMIT away and
 * no shift of the person was going on at @start already; else @start.
 * Hours before a shift are not an early arrival but work someone asked
 * for (or a mistake): they count, and HR sees them in the deviation. */
#define EARLY_LIMIT HOUR

static gint64
start_from_plan (Person *person,
                 gint64  start,
                 gint64  end)
{
  gint64 planned = G_MAXINT64;

  for (guint i = 0; person->shifts != NULL && i < person->shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (person->shifts, i);

      if (shift->deleted || !rota_instant_is_valid (shift->start) || !rota_instant_is_valid (shift->end))
        continue;
      if (shift->start <= start && start < shift->end)
        return start;
      if (shift->start > start && shift->start <= start + EARLY_LIMIT && shift->start < end &&
          shift->start < planned)
        planned = shift->start;
    }

  return planned != G_MAXINT64 ? planned : start;
}

/* Worked and break time of the intervals, rounded when the office rounds. */
static void
sum_intervals (Analysis   *a,
               Clock      *clock,
               Person     *person,
               OfficeInfo *office)
{
  gint64 step = (gint64) office->policy.rounding_minutes * MINUTE;
  RoundWay in_way = ROUND_UP, out_way = ROUND_DOWN;

  if (office->policy.rounding_mode == ROTA_PUNCH_ROUNDING_NEAREST)
    in_way = out_way = ROUND_NEAREST;
  else if (office->policy.rounding_mode == ROTA_PUNCH_ROUNDING_OUTWARD)
    in_way = ROUND_DOWN, out_way = ROUND_UP;

  for (guint i = 0; i < a->intervals->len; i++)
    {
      Interval *interval = &g_array_index (a->intervals, Interval, i);
      Slot *slot = slot_at (a, interval->day);
      gint64 start = g_array_index (a->epunches, EPunch, interval->in).at;
      gint64 end = g_array_index (a->epunches, EPunch, interval->out).at;
      gint64 gross, pause;

      if (slot == NULL)
        continue;

      if (office->policy.early_from_plan)
        start = start_from_plan (person, start, end);
      if (step > 0)
        {
          start = clock_round (clock, start, step, in_way);
          end = clock_round (clock, end, step, out_way);
        }
      gross = MAX (end - start, 0);

      if (interval->punched_breaks)
        pause = MIN (interval->break_seconds, gross);
      else
        {
          pause = deducted_break (office->profile, gross);
          if (pause > 0)
            slot->break_deducted = TRUE;
        }

      slot->break_seconds += pause;
      slot->worked_seconds += gross - pause;
    }
}

/* The labour-law rules on the clocked intervals, as if they were shifts;
 * each finding goes to the day of the latest interval it names. */
static void
check_rules (Analysis   *a,
             Clock      *clock,
             Person     *person,
             OfficeInfo *office)
{
  g_autoptr(GPtrArray) findings = NULL;
  gpointer *stolen;
  gsize n_stolen = 0;

  if (a->intervals->len == 0)
    return;

  g_ptr_array_set_size (a->rule_input, 0);
  for (guint i = 0; i < a->intervals->len; i++)
    {
      Interval *interval = &g_array_index (a->intervals, Interval, i);
      const EPunch *in = &g_array_index (a->epunches, EPunch, interval->in);
      const EPunch *out = &g_array_index (a->epunches, EPunch, interval->out);
      gint64 gross = out->at - in->at;
      gint64 pause;
      RotaShift *shift;

      if (i >= a->rule_shifts->len)
        g_ptr_array_add (a->rule_shifts, rota_shift_new ());
      shift = g_ptr_array_index (a->rule_shifts, i);

      /* The law is about time really worked: raw times, not rounded. A
       * punched break counts in whole minutes down, a deducted one up, so
       * that neither hides nor makes a shortfall. */
      if (interval->punched_breaks)
        pause = MIN (interval->break_seconds, gross) / MINUTE;
      else
        pause = (deducted_break (office->profile, gross) + MINUTE - 1) / MINUTE;

      /* Borrowed strings: cleared before the shifts are freed. */
      shift->id = (char *) in->id;
      shift->employee_id = person->employee->id;
      shift->department_id = (char *) person->department_id;
      shift->start = in->at;
      shift->end = out->at;
      shift->break_minutes = pause;
      shift->deleted = FALSE;
      g_ptr_array_add (a->rule_input, shift);
    }

  findings = rota_rules_check_employee (office->profile, office->zone, person->employee, a->rule_input,
                                        person->absences, NULL, office->range_from, office->range_to);
  if (findings->len == 0)
    return;

  g_ptr_array_set_free_func (findings, NULL);
  stolen = g_ptr_array_steal (findings, &n_stolen);

  /* The intervals by id, the latest first among equal ids, so that each
   * id of a finding is a binary search rather than a scan. */
  g_array_set_size (a->rule_ids, 0);
  for (guint i = 0; i < a->intervals->len; i++)
    {
      Interval *interval = &g_array_index (a->intervals, Interval, i);
      const EPunch *in = &g_array_index (a->epunches, EPunch, interval->in);
      RuleId r = { in->id, in->at, interval->day };

      g_array_append_val (a->rule_ids, r);
    }
  g_array_sort (a->rule_ids, compare_rule_ids);

  for (gsize f = 0; f < n_stolen; f++)
    {
      RotaFinding *finding = stolen[f];
      gboolean found = FALSE;
      gint64 latest = G_MININT64;
      guint32 day = 0;
      Slot *slot;

      /* A week of clocked time before the range cannot judge the Dutch
       * averages over 4 and 16 weeks; the planner checks them. */
      if (g_str_has_prefix (finding->rule, "nl.average-"))
        {
          rota_finding_free (finding);
          continue;
        }

      for (guint s = 0; finding->shift_ids != NULL && finding->shift_ids[s] != NULL; s++)
        {
          const RuleId *ids = (const RuleId *) (gpointer) a->rule_ids->data;
          guint lo = 0, hi = a->rule_ids->len;

          /* The first entry of the id: its latest interval. */
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (strcmp (ids[mid].id, finding->shift_ids[s]) < 0)
                lo = mid + 1;
              else
                hi = mid;
            }

          /* The latest even when its day is outside the range: then
           * the finding belongs to the range that holds that day. */
          if (lo < a->rule_ids->len && strcmp (ids[lo].id, finding->shift_ids[s]) == 0 && ids[lo].at > latest)
            {
              latest = ids[lo].at;
              day = ids[lo].day;
              found = TRUE;
            }
        }
      if (!found && rota_instant_is_valid (finding->start))
        day = clock_julian (clock, finding->start);

      slot = slot_at (a, day);
      if (slot == NULL)
        {
          rota_finding_free (finding);
          continue;
        }

      slot->used = TRUE;
      slot->flags |= finding->severity == ROTA_SEVERITY_VIOLATION ? ROTA_DAY_RULE_VIOLATION : ROTA_DAY_RULE_WARNING;
      if (slot->findings == NULL)
        slot->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_finding_free);
      g_ptr_array_add (slot->findings, finding);
    }

  g_free (stolen);
}

/* The report's copy of @department_id. The days of one employee mostly
 * name one department: comparing with the last one is cheaper than
 * hashing it into the string chunk again for every day. */
static const char *
intern_department (Analysis   *a,
                   const char *department_id)
{
  if (a->department == NULL || strcmp (a->department, department_id) != 0)
    a->department = g_string_chunk_insert_const (a->report->strings, department_id);

  return a->department;
}

/* Sorts the day's version ids. They come mostly in order already (the
 * effective punches in time order, so by day), with a few ids of a day
 * out of order: insertion sort is linear then, where a merge sort
 * allocates and compares n log n times. Any order of equal ids digests
 * the same. */
static void
sort_version_ids (GArray *version_ids)
{
  VersionId *ids = (VersionId *) (gpointer) version_ids->data;
  guint moves = 0;

  for (guint i = 1; i < version_ids->len; i++)
    {
      VersionId v = ids[i];
      guint j = i;

      while (j > 0 && compare_version_ids (&ids[j - 1], &v) > 0)
        {
          ids[j] = ids[j - 1];
          j--;
          /* Far out of order (many corrections): a merge sort is better. */
          if (++moves > 16 * version_ids->len + 64)
            {
              ids[j] = v;
              g_array_sort (version_ids, compare_version_ids);
              return;
            }
        }
      ids[j] = v;
    }
}

static gint64
version_digest (const VersionId *ids,
                guint            n)
{
  guint64 hash = FNV_OFFSET;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && strcmp (ids[i].id, ids[i - 1].id) == 0)
        continue;
      for (const guchar *c = (const guchar *) ids[i].id; ; c++)
        {
          hash ^= *c;
          hash *= FNV_PRIME;
          if (*c == '\0')
            break;
        }
    }

  return (gint64) (hash & G_GUINT64_CONSTANT (0x7fffffffffffffff));
}

static void
analyze_person (Analysis *a,
                Person   *person)
{
  RotaPunchInput *input = a->input;
  OfficeInfo *office = person->office;
  Clock clock = { office->zone, 0, 0, 0 };
  const char *employee_id;
  guint next_version = 0;

  memset (a->slots, 0, sizeof (Slot) * a->n_days);

  build_epunches (a, person);
  pair_punches (a, &clock, &office->policy);

  /* The version ids are written in place: at most one per effective
   * punch, one per voided or moved one, two per correction. */
  a->n_version_ids = 0;
  g_array_set_size (a->version_ids, a->order->len + a->epunches->len + 2 * a->sorted_corrections->len);

  /* The effective punches of each day. */
  for (guint k = 0; k < a->order->len; k++)
    {
      const EPunch *p = &g_array_index (a->epunches, EPunch, g_array_index (a->order, guint, k));
      Slot *slot = slot_at (a, p->day);

      if (slot == NULL)
        continue;

      slot->used = TRUE;
      slot->n_punches++;
      if (p->untrusted)
        slot->flags |= ROTA_DAY_TIME_UNTRUSTED;
      if (p->kind == ROTA_PUNCH_KIND_IN && (slot->clocked_start == 0 || p->at < slot->clocked_start))
        slot->clocked_start = p->at;
      if (p->kind == ROTA_PUNCH_KIND_OUT && p->at > slot->clocked_end)
        slot->clocked_end = p->at;
      add_version_id (a, p->day, p->id);
    }

  /* Where the voided punches were, and what each correction touched. */
  for (guint j = 0; j < a->epunches->len; j++)
    {
      const EPunch *p = &g_array_index (a->epunches, EPunch, j);
      gint64 max_gap = (gint64) office->policy.max_span_hours * HOUR;

      if (p->voided)
        {
          guint32 day = day_near (a, &clock, p->original_at, p->original_kind, max_gap);

          add_version_id (a, day, p->id);
          if (slot_at (a, day) != NULL)
            slot_at (a, day)->used = TRUE;
        }
      else if (p->moved && p->punch != NULL)
        add_version_id (a, day_near (a, &clock, p->original_at, p->original_kind, max_gap), p->id);
    }

  for (guint i = 0; i < a->sorted_corrections->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (a->sorted_corrections, i);
      gint64 max_gap = (gint64) office->policy.max_span_hours * HOUR;
      guint32 days[2];
      guint n_days = 0;

      for (guint j = 0; j < a->epunches->len; j++)
        {
          const EPunch *p = &g_array_index (a->epunches, EPunch, j);

          if (p->added == correction ||
              (p->punch != NULL && correction->punch_id != NULL && strcmp (p->id, correction->punch_id) == 0))
            {
              if (correction->action == ROTA_CORRECTION_ACTION_MOVE && !p->voided)
                {
                  days[n_days++] = p->day;
                  days[n_days++] = day_near (a, &clock, p->original_at, p->original_kind, max_gap);
                }
              else if (correction->action == ROTA_CORRECTION_ACTION_ADD && !p->voided)
                days[n_days++] = p->day;
              else
                days[n_days++] = day_near (a, &clock, p->original_at, p->original_kind, max_gap);
              break;
            }
        }

      for (guint d = 0; d < n_days; d++)
        {
          Slot *slot = slot_at (a, days[d]);

          if (slot == NULL || (d == 1 && days[1] == days[0]))
            continue;
          slot->used = TRUE;
          slot->n_corrections++;
          slot->flags |= ROTA_DAY_CORRECTED;
          add_version_id (a, days[d], correction->id);
        }
    }

  sum_intervals (a, &clock, person, office);

  /* Planned. */
  for (guint i = 0; person->shifts != NULL && i < person->shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (person->shifts, i);
      Slot *slot;

      if (i + PREFETCH_AHEAD < person->shifts->len)
        PREFETCH (g_ptr_array_index (person->shifts, i + PREFETCH_AHEAD));

      if (shift->deleted || !rota_instant_is_valid (shift->start) || !rota_instant_is_valid (shift->end))
        continue;
      slot = slot_at (a, clock_julian (&clock, shift->start));
      if (slot == NULL)
        continue;

      slot->used = TRUE;
      if (slot->n_shifts == 0 || shift->start < slot->planned_start)
        slot->planned_start = shift->start;
      if (slot->n_shifts == 0 || shift->end > slot->planned_end)
        slot->planned_end = shift->end;
      if (slot->n_shifts == 0 || shift->start < slot->first_shift_start)
        {
          slot->first_shift_start = shift->start;
          slot->department_id = shift->department_id;
        }
      slot->planned_seconds += MAX (shift->end - shift->start - shift->break_minutes * MINUTE, 0);
      slot->n_shifts++;
    }

  /* The latest approval of each day; whether it is current is decided
   * once the day's version is known. */
  for (guint i = 0; person->approvals != NULL && i < person->approvals->len; i++)
    {
      RotaApproval *approval = g_ptr_array_index (person->approvals, i);
      guint32 julian;
      Slot *slot;

      if (!date_to_julian (approval->work_date, &julian) || (slot = slot_at (a, julian)) == NULL)
        continue;
      slot->used = TRUE;
      if (slot->approval == NULL || approval->created_at > slot->approval->created_at ||
          (approval->created_at == slot->approval->created_at &&
           g_strcmp0 (approval->id, slot->approval->id) > 0))
        slot->approval = approval;
    }

  /* Somebody off sick or on leave is not a no-show. */
  for (guint i = 0; person->absences != NULL && i < person->absences->len; i++)
    {
      RotaAbsence *absence = g_ptr_array_index (person->absences, i);
      guint32 from, to;

      if (!date_to_julian (absence->start_date, &from) || !date_to_julian (absence->end_date, &to))
        continue;
      for (guint32 d = MAX (from, a->first); d <= MIN (to, a->last); d++)
        a->slots[d - a->first].absent = TRUE;
    }

  check_rules (a, &clock, person, office);

  g_array_set_size (a->version_ids, a->n_version_ids);
  sort_version_ids (a->version_ids);

  employee_id = g_string_chunk_insert_const (a->report->strings, person->employee->id);

  for (guint s = 0; s < a->n_days; s++)
    {
      Slot *slot = &a->slots[s];
      RotaPunchDay day = { 0, };
      gint64 grace = (gint64) office->policy.grace_minutes * MINUTE;
      guint first_id = next_version;

      while (next_version < a->version_ids->len &&
             g_array_index (a->version_ids, VersionId, next_version).slot == s)
        next_version++;

      if (!slot->used)
        {
          g_clear_pointer (&slot->findings, g_ptr_array_unref);
          continue;
        }

      day.employee_id = employee_id;
      day.office_id = office->id;
      day.department_id = slot->department_id != NULL
                          ? intern_department (a, slot->department_id)
                          : person->department_id != NULL
                          ? intern_department (a, person->department_id)
                          : NULL;
      day.julian = a->first + s;
      memcpy (day.work_date, a->dates[s], sizeof day.work_date);
      day.planned_start = slot->planned_start;
      day.planned_end = slot->planned_end;
      day.planned_seconds = slot->planned_seconds;
      day.n_shifts = slot->n_shifts;
      day.clocked_start = slot->clocked_start;
      day.clocked_end = slot->clocked_end;
      day.n_punches = slot->n_punches;
      day.n_corrections = slot->n_corrections;
      day.flags = slot->flags;

      if (slot->n_shifts > 0 && slot->n_punches == 0 && slot->planned_end < input->now && !slot->absent)
        day.flags |= ROTA_DAY_NO_SHOW;
      if (slot->n_shifts == 0 && slot->n_punches > 0)
        day.flags |= ROTA_DAY_UNPLANNED;
      if (slot->n_shifts > 0 && slot->clocked_start != 0 && slot->clocked_start > slot->planned_start + grace)
        day.flags |= ROTA_DAY_LATE;
      if (slot->n_shifts > 0 && slot->clocked_end != 0 &&
          (day.flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_WORKING)) == 0 &&
          slot->clocked_end < slot->planned_end - grace)
        day.flags |= ROTA_DAY_LEFT_EARLY;

      /* Worked time is not guessed: with an in or an out missing, or
       * still at work, it is unknown. */
      if ((day.flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_WORKING)) == 0)
        {
          day.break_seconds = slot->break_seconds;
          day.break_deducted = slot->break_deducted;
          day.worked_seconds = slot->worked_seconds;
          day.deviation_seconds = day.worked_seconds - day.planned_seconds;
        }

      day.version = version_digest (&g_array_index (a->version_ids, VersionId, 0) + first_id,
                                    next_version - first_id);

      if (slot->approval != NULL && slot->approval->for_version == day.version)
        {
          if (slot->approval->state == ROTA_APPROVAL_STATE_APPROVED)
            day.flags |= ROTA_DAY_APPROVED;
          else if (slot->approval->state == ROTA_APPROVAL_STATE_REJECTED)
            day.flags |= ROTA_DAY_REJECTED;
          if (day.flags & (ROTA_DAY_APPROVED | ROTA_DAY_REJECTED))
            {
              day.approved_by = slot->approval->author != NULL
                                ? g_string_chunk_insert_const (a->report->strings, slot->approval->author)
                                : NULL;
              day.approved_at = slot->approval->created_at;
            }
        }

      day.findings = g_steal_pointer (&slot->findings);

      if (input->keep_punches)
        {
          day.punches = g_ptr_array_new_with_free_func (g_object_unref);
          day.voided = g_ptr_array_new_with_free_func (g_object_unref);
          for (guint k = 0; k < a->order->len; k++)
            {
              const EPunch *p = &g_array_index (a->epunches, EPunch, g_array_index (a->order, guint, k));

              if (p->day == day.julian)
                g_ptr_array_add (day.punches, epunch_to_punch (p, person->employee->id));
            }
          for (guint j = 0; j < a->epunches->len; j++)
            {
              const EPunch *p = &g_array_index (a->epunches, EPunch, j);

              if (p->voided && p->punch != NULL &&
                  day_near (a, &clock, p->original_at, p->original_kind,
                            (gint64) office->policy.max_span_hours * HOUR) == day.julian)
                g_ptr_array_add (day.voided, g_object_ref (p->punch));
            }
        }

      g_array_append_val (a->report->days, day);
    }
}

static void
punch_day_clear (gpointer data)
{
  RotaPunchDay *day = data;

  g_clear_pointer (&day->findings, g_ptr_array_unref);
  g_clear_pointer (&day->punches, g_ptr_array_unref);
  g_clear_pointer (&day->voided, g_ptr_array_unref);
}

static RotaPunchReport *
report_new (void)
{
  RotaPunchReport *self = g_atomic_rc_box_new0 (RotaPunchReport);

  self->days = g_array_new (FALSE, TRUE, sizeof (RotaPunchDay));
  g_array_set_clear_func (self->days, punch_day_clear);
  self->strings = g_string_chunk_new (4096);

  return self;
}

static int
compare_people (gconstpointer a,
                gconstpointer b)
{
  const Person *x = *(Person * const *) a;
  const Person *y = *(Person * const *) b;

  return strcmp (x->employee->id, y->employee->id);
}

static void
person_free (gpointer data)
{
  Person *person = data;

  g_clear_pointer (&person->shifts, g_ptr_array_unref);
  g_clear_pointer (&person->punches, g_ptr_array_unref);
  g_clear_pointer (&person->corrections, g_ptr_array_unref);
  g_clear_pointer (&person->approvals, g_ptr_array_unref);
  g_clear_pointer (&person->absences, g_ptr_array_unref);
  g_free (person);
}

/* A hash of an id eight bytes at a time: every shift, punch and the rest
 * is looked up by its employee's id, a UUID of 36 characters that
 * g_str_hash() would take one by one. */
static guint
id_hash (gconstpointer key)
{
  const char *s = key;
  gsize n = strlen (s);
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ n;

  for (; n >= 8; s += 8, n -= 8)
    {
      guint64 w;

      memcpy (&w, s, 8);
      h = (h ^ w) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
      h ^= h >> 32;
    }
  for (; n > 0; s++, n--)
    h = (h ^ (guchar) *s) * G_GUINT64_CONSTANT (0x100000001b3);
  h ^= h >> 29;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 32;

  return (guint) h;
}

/* Gives each employee their items, in the order of @items, in the list at
 * @list_offset of their Person. One lookup per item, its Person kept in
 * @owners, so that each list is made once at its size rather than grown. */
static void
distribute (GHashTable  *people,
            GPtrArray   *items,
            gsize        employee_offset,
            gsize        list_offset,
            GPtrArray   *owners)
{
  if (items == NULL)
    return;

  g_ptr_array_set_size (owners, items->len);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      const char *employee_id;
      Person *person;

      /* The items are objects all over the heap, and their ids strings
       * apart from them: ask for them ahead. */
      if (i + PREFETCH_AHEAD < items->len)
        PREFETCH (g_ptr_array_index (items, i + PREFETCH_AHEAD));
      if (i + PREFETCH_AHEAD / 2 < items->len)
        PREFETCH (G_STRUCT_MEMBER (const char *, g_ptr_array_index (items, i + PREFETCH_AHEAD / 2),
                                   employee_offset));

      employee_id = G_STRUCT_MEMBER (const char *, item, employee_offset);
      person = employee_id != NULL ? g_hash_table_lookup (people, employee_id) : NULL;
      if (person != NULL)
        person->n_items++;
      g_ptr_array_index (owners, i) = person;
    }

  for (guint i = 0; i < items->len; i++)
    {
      Person *person = g_ptr_array_index (owners, i);
      GPtrArray **list;

      if (person == NULL)
        continue;
      list = G_STRUCT_MEMBER_P (person, list_offset);
      if (*list == NULL)
        {
          *list = g_ptr_array_sized_new (person->n_items);
          person->n_items = 0;  /* counted afresh for the next list */
        }
      g_ptr_array_add (*list, g_ptr_array_index (items, i));
    }
}

/**
 * rota_punch_analyze:
 * @input: what to analyse
 *
 * Analyses the punches of every employee of @input over its range (see
 * the header's comment).
 *
 * Returns: (transfer full): the report
 */
RotaPunchReport *
rota_punch_analyze (RotaPunchInput *input)
{
  g_autoptr(GHashTable) offices = NULL;
  g_autoptr(GHashTable) departments = NULL;
  g_autoptr(GHashTable) people = NULL;
  g_autoptr(GPtrArray) ordered = NULL;
  g_autoptr(GPtrArray) owners = NULL;
  g_autofree OfficeInfo *office_infos = NULL;
  OfficeInfo fallback = { 0, };
  RotaPunchReport *report = report_new ();
  Analysis a = { 0, };
  g_autofree char *day_after = NULL;

  g_return_val_if_fail (input != NULL, report);
  if (!range_check (input->first_day, input->last_day, &a.first, &a.last, NULL))
    {
      g_critical ("%s: the input's range %s to %s is not valid", G_STRFUNC, input->first_day, input->last_day);
      return report;
    }

  a.input = input;
  a.report = report;
  a.n_days = a.last - a.first + 1;
  window_bounds (a.first, a.last, &a.window_from, &a.window_to);
  day_after = rota_date_add_days (input->last_day, 1);

  /* Offices: zone, profile, policy and the range in local time, once. */
  offices = g_hash_table_new (g_str_hash, g_str_equal);
  office_infos = g_new0 (OfficeInfo, (input->offices != NULL ? input->offices->len : 0) + 1);
  for (guint i = 0; input->offices != NULL && i < input->offices->len; i++)
    {
      RotaOffice *office = g_ptr_array_index (input->offices, i);
      OfficeInfo *info = &office_infos[i];

      info->office = office;
      info->id = g_string_chunk_insert_const (report->strings, office->id);
      info->zone = rota_time_zone_get (office->time_zone);
      if (info->zone == NULL)
        info->zone = rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE);
      info->profile = office->rules_profile;
      rota_punch_policy_init_for_office (&info->policy, office);
      g_hash_table_insert (offices, office->id, info);
    }
  fallback.zone = rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE);
  rota_punch_policy_init_for_office (&fallback.policy, NULL);

  departments = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; input->departments != NULL && i < input->departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (input->departments, i);

      g_hash_table_insert (departments, department->id, department);
    }

  people = g_hash_table_new_full (id_hash, g_str_equal, NULL, person_free);
  ordered = g_ptr_array_sized_new (input->employees != NULL ? input->employees->len : 0);
  for (guint i = 0; input->employees != NULL && i < input->employees->len; i++)
    {
      RotaEmployee *employee = g_ptr_array_index (input->employees, i);
      Person *person;
      RotaDepartment *department;
      OfficeInfo *office = NULL;

      if (employee->id == NULL || g_hash_table_contains (people, employee->id))
        continue;

      person = g_new0 (Person, 1);
      person->employee = employee;
      if (employee->department_ids != NULL && employee->department_ids[0] != NULL)
        {
          person->department_id = employee->department_ids[0];
          department = g_hash_table_lookup (departments, person->department_id);
          if (department != NULL && department->office_id != NULL)
            office = g_hash_table_lookup (offices, department->office_id);
        }
      person->office = office != NULL ? office : &fallback;
      g_hash_table_insert (people, employee->id, person);
      g_ptr_array_add (ordered, person);
    }

  for (guint i = 0; input->offices != NULL && i < input->offices->len; i++)
    {
      office_infos[i].range_from = rota_time_day_start (office_infos[i].zone, input->first_day);
      office_infos[i].range_to = rota_time_day_start (office_infos[i].zone, day_after);
    }
  fallback.range_from = rota_time_day_start (fallback.zone, input->first_day);
  fallback.range_to = rota_time_day_start (fallback.zone, day_after);

  owners = g_ptr_array_new ();
  distribute (people, input->shifts, G_STRUCT_OFFSET (RotaShift, employee_id), G_STRUCT_OFFSET (Person, shifts),
              owners);
  distribute (people, input->punches, G_STRUCT_OFFSET (RotaPunch, employee_id), G_STRUCT_OFFSET (Person, punches),
              owners);
  distribute (people, input->corrections, G_STRUCT_OFFSET (RotaPunchCorrection, employee_id),
              G_STRUCT_OFFSET (Person, corrections), owners);
  distribute (people, input->approvals, G_STRUCT_OFFSET (RotaApproval, employee_id),
              G_STRUCT_OFFSET (Person, approvals), owners);
  distribute (people, input->absences, G_STRUCT_OFFSET (RotaAbsence, employee_id),
              G_STRUCT_OFFSET (Person, absences), owners);

  g_ptr_array_sort (ordered, compare_people);

  a.slots = g_new0 (Slot, a.n_days);
  a.dates = g_malloc (sizeof *a.dates * a.n_days);
  for (guint d = 0; d < a.n_days; d++)
    julian_format (a.first + d, a.dates[d]);
  a.epunches = g_array_new (FALSE, TRUE, sizeof (EPunch));
  a.order = g_array_new (FALSE, FALSE, sizeof (guint));
  a.intervals = g_array_new (FALSE, TRUE, sizeof (Interval));
  a.version_ids = g_array_new (FALSE, FALSE, sizeof (VersionId));
  a.sorted_corrections = g_ptr_array_new ();
  a.rule_shifts = g_ptr_array_new ();
  a.rule_input = g_ptr_array_new ();
  a.rule_ids = g_array_new (FALSE, FALSE, sizeof (RuleId));

  for (guint i = 0; i < ordered->len; i++)
    analyze_person (&a, g_ptr_array_index (ordered, i));

  for (guint i = 0; i < a.rule_shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (a.rule_shifts, i);

      shift->id = NULL;
      shift->employee_id = NULL;
      shift->department_id = NULL;
      g_object_unref (shift);
    }
  g_ptr_array_unref (a.rule_shifts);
  g_ptr_array_unref (a.rule_input);
  g_array_unref (a.rule_ids);
  g_ptr_array_unref (a.sorted_corrections);
  g_array_unref (a.version_ids);
  g_array_unref (a.intervals);
  g_array_unref (a.order);
  g_array_unref (a.epunches);
  g_free (a.slots);
  g_free (a.dates);

  return report;
}

/* Report */

RotaPunchReport *
rota_punch_report_ref (RotaPunchReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
report_clear (gpointer data)
{
  RotaPunchReport *self = data;

  g_clear_pointer (&self->days, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
}

void
rota_punch_report_unref (RotaPunchReport *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, report_clear);
}

guint
rota_punch_report_get_n_days (RotaPunchReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->days->len;
}

/**
 * rota_punch_report_get_day:
 *
 * Returns: (transfer none): the day at @index, ordered by employee id,
 *   then date
 */
const RotaPunchDay *
rota_punch_report_get_day (RotaPunchReport *self,
                           guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->days->len, NULL);

  return &g_array_index (self->days, RotaPunchDay, index);
}

static int
compare_day_key (const char         *employee_id,
                 const char         *work_date,
                 const RotaPunchDay *day)
{
  int by_employee = strcmp (employee_id, day->employee_id);

  return by_employee != 0 ? by_employee : strcmp (work_date, day->work_date);
}

/**
 * rota_punch_report_find_day:
 *
 * Returns: (transfer none) (nullable): the employee's day, by binary
 *   search, or %NULL when the report has no such day
 */
const RotaPunchDay *
rota_punch_report_find_day (RotaPunchReport *self,
                            const char      *employee_id,
                            const char      *work_date)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (employee_id != NULL, NULL);
  g_return_val_if_fail (work_date != NULL, NULL);

  hi = self->days->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const RotaPunchDay *day = &g_array_index (self->days, RotaPunchDay, mid);
      int c = compare_day_key (employee_id, work_date, day);

      if (c == 0)
        return day;
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }

  return NULL;
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  const RotaPunchDay *x = a;
  const RotaPunchDay *y = b;
  int by_employee = strcmp (x->employee_id, y->employee_id);

  if (by_employee != 0)
    return by_employee;

  return x->julian < y->julian ? -1 : x->julian > y->julian;
}

/* Moves the days of @from into @into: strings interned again, arrays
 * handed over. */
static void
report_absorb (RotaPunchReport *into,
               RotaPunchReport *from)
{
  GStringChunk *strings = into->strings;

  for (guint i = 0; i < from->days->len; i++)
    {
      RotaPunchDay *day = &g_array_index (from->days, RotaPunchDay, i);
      RotaPunchDay copy = *day;

      copy.employee_id = g_string_chunk_insert_const (strings, day->employee_id);
      copy.department_id = day->department_id ? g_string_chunk_insert_const (strings, day->department_id) : NULL;
      copy.office_id = day->office_id ? g_string_chunk_insert_const (strings, day->office_id) : NULL;
      copy.approved_by = day->approved_by ? g_string_chunk_insert_const (strings, day->approved_by) : NULL;
      day->findings = NULL;
      day->punches = NULL;
      day->voided = NULL;
      g_array_append_val (into->days, copy);
    }
}

static guint32
month_end (guint32 julian)
{
  GDate g;

  g_date_clear (&g, 1);
  g_date_set_julian (&g, julian);
  g_date_set_day (&g, g_date_get_days_in_month (g_date_get_month (&g), g_date_get_year (&g)));

  return g_date_get_julian (&g);
}

RotaPunchReport *
_rota_punch_report_load_chunked (RotaStore     *store,
                                 const char    *first_day,
                                 const char    *last_day,
                                 const char    *department_id,
                                 gint64         now,
                                 int            chunk_days,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(RotaPunchInput) common = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  guint32 first, last;
  guint n_chunks = 0;

  g_return_val_if_fail (ROTA_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!range_check (first_day, last_day, &first, &last, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  common = rota_punch_input_new (first_day, last_day, now);
  if (!load_common (store, common, department_id, NULL, error))
    return NULL;

  for (guint32 start = first; start <= last; )
    {
      guint32 end = chunk_days > 0 ? MIN (last, start + (guint32) chunk_days - 1) : MIN (last, month_end (start));
      char from_text[11], to_text[11];
      g_autoptr(RotaPunchInput) input = NULL;
      g_autoptr(RotaPunchReport) part = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      julian_format (start, from_text);
      julian_format (end, to_text);
      input = rota_punch_input_new (from_text, to_text, now);

      /* The shared lists, by reference. */
      g_ptr_array_unref (input->offices);
      input->offices = g_ptr_array_ref (common->offices);
      g_ptr_array_unref (input->departments);
      input->departments = g_ptr_array_ref (common->departments);
      g_ptr_array_unref (input->employees);
      input->employees = g_ptr_array_ref (common->employees);
      g_ptr_array_unref (input->corrections);
      input->corrections = g_ptr_array_ref (common->corrections);
      g_ptr_array_unref (input->approvals);
      input->approvals = g_ptr_array_ref (common->approvals);
      g_ptr_array_unref (input->absences);
      input->absences = g_ptr_array_ref (common->absences);

      if (!load_window (store, input, NULL, error))
        return NULL;

      part = rota_punch_analyze (input);
      g_clear_pointer (&input, rota_punch_input_free);

      if (report == NULL)
        report = g_steal_pointer (&part);
      else
        report_absorb (report, part);

      n_chunks++;
      start = end + 1;
    }

  if (n_chunks > 1)
    g_array_sort (report->days, compare_days);

  return g_steal_pointer (&report);
}

/**
 * rota_punch_report_load:
 * @store: the store to read
 * @first_day: the first day, "YYYY-MM-DD"
 * @last_day: the last day, inclusive, at most 400 days on
 * @department_id: (nullable): only the employees of this department
 * @now: the instant to judge open punches and no-shows at
 * @cancellable: (nullable): a #GCancellable, checked between months
 * @error: a location for a #GError
 *
 * Loads and analyses the range a calendar month at a time, so that a year
 * of a large tenant never holds all its punches at once, and merges the
 * days into one report, the same as one rota_punch_analyze() of the whole
 * range.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with @error set
 */
RotaPunchReport *
rota_punch_report_load (RotaStore     *store,
                        const char    *first_day,
                        const char    *last_day,
                        const char    *department_id,
                        gint64         now,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return _rota_punch_report_load_chunked (store, first_day, last_day, department_id, now, 0,
                                          cancellable, error);
}

/* Flags */

typedef struct
{
  RotaDayFlags  flag;
  const char   *label;
  const char   *icon_name;
} FlagInfo;

/* In the order of urgency, which is the enum's. */
static const FlagInfo flag_infos[] = {
  { ROTA_DAY_MISSING_OUT, NC_("punch day status", "Missing clock-out"), "dialog-warning-symbolic" },
  { ROTA_DAY_MISSING_IN, NC_("punch day status", "Missing clock-in"), "dialog-warning-symbolic" },
  { ROTA_DAY_OVER_12H, NC_("punch day status", "Over 12 h"), "alarm-symbolic" },
  { ROTA_DAY_OVERLAP, NC_("punch day status", "Overlap"), "view-dual-symbolic" },
  { ROTA_DAY_NO_SHOW, NC_("punch day status", "No-show"), "appointment-missed-symbolic" },
  { ROTA_DAY_UNPLANNED, NC_("punch day status", "Unplanned"), "appointment-new-symbolic" },
  { ROTA_DAY_LATE, NC_("punch day status", "Late"), "appointment-soon-symbolic" },
  { ROTA_DAY_LEFT_EARLY, NC_("punch day status", "Left early"), "system-log-out-symbolic" },
  { ROTA_DAY_RULE_VIOLATION, NC_("punch day status", "Labour-law violation"), "dialog-error-symbolic" },
  { ROTA_DAY_RULE_WARNING, NC_("punch day status", "Labour-law warning"), "dialog-warning-symbolic" },
  { ROTA_DAY_TIME_UNTRUSTED, NC_("punch day status", "Clock not trusted"), "security-low-symbolic" },
  { ROTA_DAY_WORKING, NC_("punch day status", "Working"), "user-available-symbolic" },
  { ROTA_DAY_CORRECTED, NC_("punch day status", "Corrected"), "document-edit-symbolic" },
  { ROTA_DAY_APPROVED, NC_("punch day status", "Approved"), "emblem-ok-symbolic" },
  { ROTA_DAY_REJECTED, NC_("punch day status", "Rejected"), "action-unavailable-symbolic" },
};

static const FlagInfo none_info = { ROTA_DAY_NONE, NC_("punch day status", "OK"), "object-select-symbolic" };

static const FlagInfo *
flag_info (RotaDayFlags flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (flag_infos); i++)
    if (flag_infos[i].flag == flag)
      return &flag_infos[i];

  return NULL;
}

/**
 * rota_day_flags_primary:
 * @flags: a day's flags
 *
 * Returns: the flag that names the day: approved or rejected when the
 *   day is, else the most urgent one set (the enum's order), or
 *   %ROTA_DAY_NONE
 */
RotaDayFlags
rota_day_flags_primary (RotaDayFlags flags)
{
  if (flags & ROTA_DAY_APPROVED)
    return ROTA_DAY_APPROVED;
  if (flags & ROTA_DAY_REJECTED)
    return ROTA_DAY_REJECTED;

  for (guint i = 0; i < G_N_ELEMENTS (flag_infos); i++)
    if (flags & flag_infos[i].flag)
      return flag_infos[i].flag;

  return ROTA_DAY_NONE;
}

/**
 * rota_day_flag_get_label:
 * @flag: one flag, or %ROTA_DAY_NONE
 *
 * Returns: (transfer none): the flag's translated name ("OK" for none)
 */
const char *
rota_day_flag_get_label (RotaDayFlags flag)
{
  const FlagInfo *info = flag == ROTA_DAY_NONE ? &none_info : flag_info (flag);

  g_return_val_if_fail (info != NULL, NULL);

  return g_dpgettext2 (GETTEXT_PACKAGE, "punch day status", info->label);
}

/**
 * rota_day_flag_get_icon_name:
 * @flag: one flag, or %ROTA_DAY_NONE
 *
 * Returns: (transfer none): a symbolic icon of the Adwaita theme for it
 */
const char *
rota_day_flag_get_icon_name (RotaDayFlags flag)
{
  const FlagInfo *info = flag == ROTA_DAY_NONE ? &none_info : flag_info (flag);

  g_return_val_if_fail (info != NULL, NULL);

  return info->icon_name;
}

/**
 * rota_day_flags_describe:
 * @flags: a day's flags
 *
 * Returns: (transfer full): the labels of all the flags set, in the order
 *   of urgency, separated by commas ("OK" for none): for tooltips and
 *   screen readers, so that a status is never told by an icon alone
 */
char *
rota_day_flags_describe (RotaDayFlags flags)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flag_infos); i++)
    {
      if ((flags & flag_infos[i].flag) == 0)
        continue;
      if (text->len > 0)
        /* Translators: between the statuses of a day, "Late, Corrected" */
        g_string_append (text, _(", "));
      g_string_append (text, g_dpgettext2 (GETTEXT_PACKAGE, "punch day status", flag_infos[i].label));
    }

  if (text->len == 0)
    g_string_append (text, rota_day_flag_get_label (ROTA_DAY_NONE));

  return g_string_free (text, FALSE);
}
