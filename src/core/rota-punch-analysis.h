/* rota-punch-analysis.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-enums.h"
#include "rota-models.h"
#include "rota-rules.h"
#include "rota-store.h"

G_BEGIN_DECLS

/*
 * Punch analysis: what HR reviews. Client and server both use it.
 *
 * The punches of each employee, with the corrections laid over them
 * (rota_worked_effective_punches()), are paired in time order into worked
 * intervals with their breaks. Each interval counts to the work day it
 * starts on, in the employee's office's time zone (a night shift is the
 * day it starts). The intervals of a day are matched to the shifts that
 * start on that day, and the day gets its flags (RotaDayFlags).
 *
 * Pairing, per employee:
 * - in → out: an interval; breaks are the break_start → break_end pairs
 *   inside it (a break never ended counts until the clock-out).
 * - in, in (no out between) on the same work day, then an out: the two
 *   intervals overlap (a double tap, or a second terminal): the later in
 *   is paired with the out, the earlier one is unmatched, and the day is
 *   OVERLAP. The same for in, out, out on one day: the later out is
 *   unmatched and the day is OVERLAP.
 * - in, then in on a later work day (or nothing, and the in is more than
 *   max_open_hours old at @now): the first day is MISSING_OUT, and its
 *   worked time is not computed. Never silently closed.
 * - in with nothing after it, less than max_open_hours old: WORKING.
 *   If it is older than 12 h, also OVER_12H.
 * - out with no in before it (or whose in is on an earlier day that was
 *   closed already): MISSING_IN on the out's day.
 * - in → out longer than 12 h: OVER_12H (worked time computed, but the
 *   day needs review); longer than max_span_hours (24): not an interval at
 *   all, the in's day is MISSING_OUT and the out's day MISSING_IN.
 *
 * Matching, per employee-day with shifts starting that day: LATE when the
 * first in is more than grace_minutes after the first planned start,
 * LEFT_EARLY when the last out is more than grace_minutes before the last
 * planned end. NO_SHOW: planned, no punch at all, and the planned end is
 * before @now. UNPLANNED: punches, no shift.
 *
 * Breaks: punched breaks when there are any; otherwise the legal minimum
 * of the office's rules profile on net time is deducted (de: 30 min over
 * 6 h, 45 over 9 h; nl: 30 over 5.5 h, 45 over 10 h; never so much that
 * net time falls under the threshold), and break_deducted is set.
 *
 * Rounding, per office, off by default: to rounding_minutes (counted from
 * local midnight), each in up and each out down (inward, the default),
 * both to the nearest step, or in down and out up (outward). With
 * early_from_plan, a clock-in up to an hour before the start of a shift
 * the interval reaches into counts from that start (arriving early is not
 * overtime unless HR moves the punch); staying late still counts. Either way the
 * raw times stay in clocked_start and clocked_end. Durations are instants
 * subtracted, so DST is right (22:00–06:00 over the October change is 9 h
 * in Amsterdam).
 *
 * The labour-law rules (rota-rules.c) run on the clocked intervals as if
 * they were shifts; a day with a finding gets RULE_WARNING or
 * RULE_VIOLATION and its findings.
 *
 * Approval: an approval of the employee and work date is current when its
 * for_version equals the day's version (a digest of the ids of the
 * punches and corrections that make the day); then the day is APPROVED
 * (or REJECTED). A correction after an approval changes the version, and
 * the day needs review again.
 */

typedef struct
{
  int grace_minutes;      /* late / left early tolerance; default 5 */
  int rounding_minutes;   /* 0: off (the default); else 5, 10, 15, 30 */
  RotaPunchRounding rounding_mode; /* NONE: inward */
  gboolean early_from_plan; /* an in before the planned start counts from it */
  int max_open_hours;     /* an in with no out is MISSING_OUT after; default 16 */
  int max_span_hours;     /* an in → out longer than this is split; default 24 */
} RotaPunchPolicy;

void rota_punch_policy_init_for_office (RotaPunchPolicy *policy,
                                        RotaOffice      *office);

typedef struct
{
  /* Borrowed from the report's string chunk. */
  const char   *employee_id;
  const char   *department_id;   /* the first shift's, else the employee's first */
  const char   *office_id;
  char          work_date[11];   /* YYYY-MM-DD in the office's zone */
  guint32       julian;          /* the same as a GDate Julian day */

  gint64        planned_start;   /* first planned start, 0 when unplanned */
  gint64        planned_end;     /* last planned end, 0 when unplanned */
  gint64        planned_seconds; /* net: the shifts' lengths less their breaks */
  guint         n_shifts;

  gint64        clocked_start;   /* first in, raw; 0 when there is none */
  gint64        clocked_end;     /* last out, raw; 0 when there is none */
  gint64        break_seconds;   /* punched, or deducted (break_deducted) */
  gboolean      break_deducted;
  gint64        worked_seconds;  /* net, rounded when the office rounds; 0 when unknown */
  gint64        deviation_seconds; /* worked - planned */
  guint         n_punches;       /* effective punches of the day */
  guint         n_corrections;   /* corrections that touch the day */

  RotaDayFlags  flags;
  gint64        version;         /* what an approval's for_version must be */

  const char   *approved_by;     /* the current approval's author, or NULL */
  gint64        approved_at;

  GPtrArray    *findings;        /* (element-type RotaFinding) or NULL */

  /* Only with RotaPunchInput.keep_punches (the correction dialog): */
  GPtrArray    *punches;         /* (element-type RotaPunch) effective, in time order */
  GPtrArray    *voided;          /* (element-type RotaPunch) originals voided */
} RotaPunchDay;

typedef struct
{
  /* Read by rota_punch_analyze(); owned by the input. */
  GPtrArray *offices;            /* RotaOffice */
  GPtrArray *departments;        /* RotaDepartment */
  GPtrArray *employees;          /* RotaEmployee: only these are analysed */
  GPtrArray *shifts;             /* RotaShift, around the range */
  GPtrArray *punches;            /* RotaPunch, around the range */
  GPtrArray *corrections;        /* RotaPunchCorrection */
  GPtrArray *approvals;          /* RotaApproval */
  GPtrArray *absences;           /* RotaAbsence, for the rules; may be NULL */

  char       first_day[11];      /* YYYY-MM-DD, inclusive */
  char       last_day[11];       /* YYYY-MM-DD, inclusive */
  gint64     now;
  gboolean   keep_punches;
} RotaPunchInput;

RotaPunchInput *rota_punch_input_new   (const char   *first_day,
                                        const char   *last_day,
                                        gint64        now) G_GNUC_WARN_UNUSED_RESULT;
void            rota_punch_input_free  (RotaPunchInput *input);
void            rota_punch_input_get_window (RotaPunchInput *input,
                                             gint64         *out_from,
                                             gint64         *out_to);
GPtrArray      *rota_punch_input_list_moved_in (RotaPunchInput *input) G_GNUC_WARN_UNUSED_RESULT;
RotaPunchInput *rota_punch_input_load  (RotaStore    *store,
                                        const char   *first_day,
                                        const char   *last_day,
                                        const char   *department_id,
                                        const char   *employee_id,
                                        gint64        now,
                                        GCancellable *cancellable,
                                        GError      **error) G_GNUC_WARN_UNUSED_RESULT;

typedef struct _RotaPunchReport RotaPunchReport;

GType               rota_punch_report_get_type   (void) G_GNUC_CONST;
RotaPunchReport    *rota_punch_analyze           (RotaPunchInput  *input) G_GNUC_WARN_UNUSED_RESULT;
RotaPunchReport    *rota_punch_report_load       (RotaStore       *store,
                                                  const char      *first_day,
                                                  const char      *last_day,
                                                  const char      *department_id,
                                                  gint64           now,
                                                  GCancellable    *cancellable,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
RotaPunchReport    *rota_punch_report_ref        (RotaPunchReport *self);
void                rota_punch_report_unref      (RotaPunchReport *self);
guint               rota_punch_report_get_n_days (RotaPunchReport *self);
const RotaPunchDay *rota_punch_report_get_day    (RotaPunchReport *self,
                                                  guint            index);
const RotaPunchDay *rota_punch_report_find_day   (RotaPunchReport *self,
                                                  const char      *employee_id,
                                                  const char      *work_date);

/* The flag that names the day in a status column: the most urgent one. */
RotaDayFlags        rota_day_flags_primary       (RotaDayFlags     flags);
const char         *rota_day_flag_get_label      (RotaDayFlags     flag);
const char         *rota_day_flag_get_icon_name  (RotaDayFlags     flag);
char               *rota_day_flags_describe      (RotaDayFlags     flags) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaPunchReport, rota_punch_report_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaPunchInput, rota_punch_input_free)

G_END_DECLS
