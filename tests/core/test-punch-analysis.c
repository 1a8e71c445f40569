/* test-punch-analysis.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "rota-codec.h"
#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-punch-analysis-private.h"
#include "rota-punch-analysis.h"
#include "rota-time.h"

#define MIN_ G_GINT64_CONSTANT (60)
#define UNKNOWN G_MININT64

/*
 * Punch sequences in Europe/Amsterdam, one employee each. Times are local
 * "YYYY-MM-DD HH:MM"; a shift's end before its start is on the next day.
 * Punches: "DATE HH:MM KIND" with KIND in, out, bs, be (break start/end),
 * "!" after the kind for a clock that was not trusted; they get the ids
 * p1, p2, ... in the order written. Corrections: "void p2",
 * "add out DATE HH:MM", "move p1 DATE HH:MM", ids c1, c2, ...
 */
typedef struct
{
  const char   *date;
  RotaDayFlags  flags;
  gint64        worked_minutes;   /* UNKNOWN: not checked */
  gint64        break_minutes;    /* UNKNOWN: not checked */
  gboolean      deducted;
} Expect;

typedef struct
{
  const char *name;
  const char *profile;
  int         rounding;
  const char *now;                /* NULL: 2026-12-01 12:00 */
  const char *shifts[3];          /* "DATE HH:MM-HH:MM/BREAK" */
  const char *punches[7];
  const char *corrections[3];
  Expect      days[3];
  RotaPunchRounding rounding_mode; /* 0: the office leaves it out */
  gboolean    early_from_plan;
} Case;

#define D(date, flags, worked, brk, deducted) { date, flags, worked, brk, deducted }
#define MON "2026-03-02"
#define TUE "2026-03-03"
#define NONE ROTA_DAY_NONE
#define MO ROTA_DAY_MISSING_OUT
#define MI ROTA_DAY_MISSING_IN
#define O12 ROTA_DAY_OVER_12H
#define OV ROTA_DAY_OVERLAP
#define NS ROTA_DAY_NO_SHOW
#define UP ROTA_DAY_UNPLANNED
#define LA ROTA_DAY_LATE
#define LE ROTA_DAY_LEFT_EARLY
#define RV ROTA_DAY_RULE_VIOLATION
#define RW ROTA_DAY_RULE_WARNING
#define TU ROTA_DAY_TIME_UNTRUSTED
#define WK ROTA_DAY_WORKING
#define CO ROTA_DAY_CORRECTED

static const Case cases[] = {
  { "normal", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 08:58 in", MON " 17:02 out" }, { NULL },
    { D (MON, NONE, 8 * 60 + 4 - 30, 30, TRUE) } },
  { "untrusted", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 08:58 in!", MON " 17:02 out" }, { NULL },
    { D (MON, TU, 8 * 60 + 4 - 30, 30, TRUE) } },
  { "missing-out", "de", 0, NULL, { MON " 09:00-17:00/30", TUE " 09:00-17:00/30" },
    { MON " 09:00 in", TUE " 09:00 in", TUE " 17:00 out" }, { NULL },
    { D (MON, MO, 0, 0, FALSE), D (TUE, NONE, 450, 30, TRUE) } },
  { "missing-in", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 17:00 out" }, { NULL },
    { D (MON, MI, 0, 0, FALSE) } },
  { "double-in", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in", MON " 09:01 in", MON " 17:00 out" },
    { NULL }, { D (MON, OV, 7 * 60 + 59 - 30, 30, TRUE) } },
  { "in-out-out", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in", MON " 17:00 out", MON " 17:01 out" },
    { NULL }, { D (MON, OV, 450, 30, TRUE) } },
  { "out-before-in", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 out", MON " 17:00 in" }, { NULL },
    { D (MON, MI | MO | LA, 0, 0, FALSE) } },
  { "30h-gap", "de", 0, NULL, { MON " 09:00-17:00/30", TUE " 09:00-17:00/30" }, { MON " 09:00 in", TUE " 15:00 out" },
    { NULL }, { D (MON, MO, 0, 0, FALSE), D (TUE, MI | LE, 0, 0, FALSE) } },
  { "midnight", "de", 0, NULL, { MON " 22:00-06:00/30" }, { MON " 22:00 in", TUE " 06:00 out" }, { NULL },
    { D (MON, NONE, 450, 30, TRUE) } },
  { "dst-march", "nl", 0, NULL, { "2026-03-28 22:00-06:00/30" }, { "2026-03-28 22:00 in", "2026-03-29 06:00 out" },
    { NULL }, { D ("2026-03-28", NONE, 7 * 60 - 30, 30, TRUE) } },
  { "dst-october", "nl", 0, NULL, { "2026-10-24 22:00-06:00/30" }, { "2026-10-24 22:00 in", "2026-10-25 06:00 out" },
    { NULL }, { D ("2026-10-24", NONE, 9 * 60 - 30, 30, TRUE) } },
  { "break-punched", "de", 0, NULL, { MON " 09:00-17:00/45" },
    { MON " 09:00 in", MON " 12:00 bs", MON " 12:45 be", MON " 17:00 out" }, { NULL },
    { D (MON, NONE, 8 * 60 - 45, 45, FALSE) } },
  { "break-never-ended", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in", MON " 12:00 bs", MON " 17:00 out" },
    { NULL }, { D (MON, NONE, 3 * 60, 5 * 60, FALSE) } },
  { "de-6:00", "de", 0, NULL, { MON " 09:00-15:00/0" }, { MON " 09:00 in", MON " 15:00 out" }, { NULL },
    { D (MON, NONE, 360, 0, FALSE) } },
  { "de-6:01", "de", 0, NULL, { MON " 09:00-15:01/0" }, { MON " 09:00 in", MON " 15:01 out" }, { NULL },
    { D (MON, NONE, 360, 1, TRUE) } },
  { "de-6:01-net", "de", 0, NULL, { MON " 09:00-15:31/30" }, { MON " 09:00 in", MON " 15:31 out" }, { NULL },
    { D (MON, NONE, 361, 30, TRUE) } },
  { "de-9h-net", "de", 0, NULL, { MON " 08:00-17:40/45" }, { MON " 08:00 in", MON " 17:40 out" }, { NULL },
    { D (MON, RW, 9 * 60, 40, TRUE) } },
  { "de-over-9h", "de", 0, NULL, { MON " 08:00-18:00/45" }, { MON " 08:00 in", MON " 18:00 out" }, { NULL },
    { D (MON, RW, 9 * 60 + 15, 45, TRUE) } },
  { "nl-5:30", "nl", 0, NULL, { MON " 09:00-14:30/0" }, { MON " 09:00 in", MON " 14:30 out" }, { NULL },
    { D (MON, NONE, 330, 0, FALSE) } },
  { "nl-5:31", "nl", 0, NULL, { MON " 09:00-14:31/0" }, { MON " 09:00 in", MON " 14:31 out" }, { NULL },
    { D (MON, NONE, 330, 1, TRUE) } },
  { "nl-10h-net", "nl", 0, NULL, { MON " 08:00-18:40/45" }, { MON " 08:00 in", MON " 18:40 out" }, { NULL },
    { D (MON, NONE, 10 * 60, 40, TRUE) } },
  { "nl-over-10h", "nl", 0, NULL, { MON " 08:00-19:00/45" }, { MON " 08:00 in", MON " 19:00 out" }, { NULL },
    { D (MON, NONE, 10 * 60 + 15, 45, TRUE) } },
  { "late-in-grace", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:05 in", MON " 17:00 out" }, { NULL },
    { D (MON, NONE, 7 * 60 + 25, 30, TRUE) } },
  { "late", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:06 in", MON " 17:00 out" }, { NULL },
    { D (MON, LA, 7 * 60 + 24, 30, TRUE) } },
  { "early-in-grace", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in", MON " 16:55 out" }, { NULL },
    { D (MON, NONE, 7 * 60 + 25, 30, TRUE) } },
  { "left-early", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in", MON " 16:54 out" }, { NULL },
    { D (MON, LE, 7 * 60 + 24, 30, TRUE) } },
  { "no-show", "de", 0, MON " 17:30", { MON " 09:00-17:00/30" }, { NULL }, { NULL },
    { D (MON, NS, 0, 0, FALSE) } },
  { "not-yet", "de", 0, MON " 16:30", { MON " 09:00-17:00/30" }, { NULL }, { NULL },
    { D (MON, NONE, 0, 0, FALSE) } },
  { "unplanned", "de", 0, NULL, { NULL }, { MON " 09:00 in", MON " 17:00 out" }, { NULL },
    { D (MON, UP, 450, 30, TRUE) } },
  { "over-12h", "nl", 0, NULL, { MON " 07:00-20:00/45" }, { MON " 07:00 in", MON " 20:00 out" }, { NULL },
    { D (MON, O12 | RV, 13 * 60 - 45, 45, TRUE) } },
  { "working", "de", 0, MON " 15:00", { MON " 09:00-17:00/30" }, { MON " 09:00 in" }, { NULL },
    { D (MON, WK, 0, 0, FALSE) } },
  { "working-over-12h", "de", 0, MON " 22:00", { MON " 09:00-17:00/30" }, { MON " 09:00 in" }, { NULL },
    { D (MON, WK | O12, 0, 0, FALSE) } },
  { "open-over-16h", "de", 0, TUE " 02:00", { MON " 09:00-17:00/30" }, { MON " 09:00 in" }, { NULL },
    { D (MON, MO, 0, 0, FALSE) } },
  { "rounding-15", "de", 15, NULL, { MON " 09:00-17:00/30" }, { MON " 08:53 in", MON " 17:08 out" }, { NULL },
    { D (MON, NONE, 450, 30, TRUE) } },
  { "rounding-off", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 08:53 in", MON " 17:08 out" }, { NULL },
    { D (MON, NONE, 8 * 60 + 15 - 30, 30, TRUE) } },
  { "rounding-15-late", "de", 15, NULL, { MON " 09:00-17:00/30" }, { MON " 09:07 in", MON " 17:00 out" }, { NULL },
    { D (MON, LA, 7 * 60 + 15, 30, TRUE) } },
  /* The same punches, three ways: inward 09:00–17:00, nearest 08:45–17:15,
   * outward 08:45–17:15. */
  { "rounding-15-inward", "de", 15, NULL, { MON " 09:00-17:00/30" }, { MON " 08:52 in", MON " 17:08 out" }, { NULL },
    { D (MON, NONE, 450, 30, TRUE) }, ROTA_PUNCH_ROUNDING_INWARD },
  { "rounding-15-nearest", "de", 15, NULL, { MON " 09:00-17:00/30" }, { MON " 08:52 in", MON " 17:08 out" }, { NULL },
    { D (MON, NONE, 480, 30, TRUE) }, ROTA_PUNCH_ROUNDING_NEAREST },
  { "rounding-15-nearest-half", "de", 15, NULL, { MON " 09:00-17:00/30" }, { MON " 08:53 in", MON " 17:07 out" }, { NULL },
    { D (MON, NONE, 450, 30, TRUE) }, ROTA_PUNCH_ROUNDING_NEAREST },
  { "rounding-15-outward", "de", 15, NULL, { MON " 09:00-17:00/30" }, { MON " 08:53 in", MON " 17:01 out" }, { NULL },
    { D (MON, NONE, 480, 30, TRUE) }, ROTA_PUNCH_ROUNDING_OUTWARD },
  /* Early from plan: 20 minutes early counts from 09:00, staying late
   * counts; an hour and a half early is not an early arrival and counts. */
  { "early-from-plan", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 08:40 in", MON " 17:05 out" }, { NULL },
    { D (MON, NONE, 455, 30, TRUE) }, 0, TRUE },
  { "early-off", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 08:40 in", MON " 17:05 out" }, { NULL },
    { D (MON, NONE, 475, 30, TRUE) } },
  { "early-from-plan-late-out", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 08:50 in", MON " 17:15 out" }, { NULL },
    { D (MON, NONE, 465, 30, TRUE) }, 0, TRUE },
  { "early-from-plan-hours-before", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 07:30 in", MON " 17:00 out" },
    { NULL }, { D (MON, RW, 540, 30, TRUE) }, 0, TRUE },
  { "early-from-plan-rounded", "de", 15, NULL, { MON " 09:00-17:00/30" }, { MON " 08:40 in", MON " 17:08 out" },
    { NULL }, { D (MON, NONE, 465, 30, TRUE) }, ROTA_PUNCH_ROUNDING_NEAREST, TRUE },
  { "void-double-in", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in", MON " 09:01 in", MON " 17:00 out" },
    { "void p2" }, { D (MON, CO, 450, 30, TRUE) } },
  { "add-missing-out", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in" }, { "add out " MON " 17:00" },
    { D (MON, CO, 450, 30, TRUE) } },
  { "move-late-in", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:30 in", MON " 17:00 out" },
    { "move p1 " MON " 09:00" }, { D (MON, CO, 450, 30, TRUE) } },
  { "move-untrusted", "de", 0, NULL, { MON " 09:00-17:00/30" }, { MON " 09:00 in!", MON " 17:00 out" },
    { "move p1 " MON " 09:01" }, { D (MON, CO, 449, 30, TRUE) } },
  { "night-out-voided", "de", 0, NULL, { MON " 22:00-06:00/30" },
    { MON " 22:00 in", TUE " 06:00 out", TUE " 06:01 out" }, { "void p3" }, { D (MON, CO, 450, 30, TRUE) } },
  { "de-11h", "de", 0, NULL, { MON " 07:00-18:45/45" }, { MON " 07:00 in", MON " 12:00 bs", MON " 12:45 be", MON " 18:45 out" },
    { NULL }, { D (MON, RV, 11 * 60, 45, FALSE) } },
};

typedef struct
{
  RotaPunchInput *input;
  GTimeZone      *zone;
  guint           n_punches;
  guint           n_corrections;
} Builder;

static gint64
local_time (GTimeZone  *zone,
            const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, " ", 2);
  int minutes = 0;

  g_assert_true (rota_time_of_day_parse (parts[1], &minutes));

  return rota_time_from_local (zone, parts[0], minutes);
}

static RotaPunchKind
parse_kind (const char *text)
{
  if (g_str_has_prefix (text, "in"))
    return ROTA_PUNCH_KIND_IN;
  if (g_str_has_prefix (text, "out"))
    return ROTA_PUNCH_KIND_OUT;
  if (g_str_has_prefix (text, "bs"))
    return ROTA_PUNCH_KIND_BREAK_START;
  if (g_str_has_prefix (text, "be"))
    return ROTA_PUNCH_KIND_BREAK_END;
  g_assert_not_reached ();
}

static void
builder_init (Builder    *b,
              const char *profile,
              int         rounding,
              const char *first_day,
              const char *last_day,
              gint64      now)
{
  RotaOffice *office = rota_office_new ();
  RotaDepartment *department = rota_department_new ();
  RotaEmployee *employee = rota_employee_new ();
  const char *departments[] = { "d1", NULL };

  memset (b, 0, sizeof *b);
  b->zone = rota_time_zone_get ("Europe/Amsterdam");
  b->input = rota_punch_input_new (first_day, last_day, now);
  g_assert_nonnull (b->input);

  office->id = g_strdup ("o1");
  office->name = g_strdup ("Office");
  office->rules_profile = g_str_equal (profile, "de") ? ROTA_RULES_PROFILE_DE : ROTA_RULES_PROFILE_NL;
  office->punch_rounding_minutes = rounding;
  g_ptr_array_add (b->input->offices, office);

  department->id = g_strdup ("d1");
  department->office_id = g_strdup ("o1");
  department->name = g_strdup ("Bar");
  g_ptr_array_add (b->input->departments, department);

  employee->id = g_strdup ("e1");
  employee->first_name = g_strdup ("Finn");
  employee->last_name = g_strdup ("de Vries");
  employee->department_ids = g_strdupv ((char **) departments);
  g_ptr_array_add (b->input->employees, employee);
}

static void
builder_shift (Builder    *b,
               const char *spec)
{
  g_auto(GStrv) halves = g_strsplit (spec, " ", 2);
  g_auto(GStrv) times = g_strsplit_set (halves[1], "-/", 3);
  const char *parts[4] = { halves[0], times[0], times[1], times[2] };
  RotaShift *shift = rota_shift_new ();
  int start_minutes, end_minutes;

  g_assert_cmpuint (g_strv_length (times), ==, 3);
  g_assert_true (rota_time_of_day_parse (parts[1], &start_minutes));
  g_assert_true (rota_time_of_day_parse (parts[2], &end_minutes));
  if (end_minutes <= start_minutes)
    end_minutes += 24 * 60;

  shift->id = g_strdup_printf ("s%u", b->input->shifts->len + 1);
  shift->employee_id = g_strdup ("e1");
  shift->department_id = g_strdup ("d1");
  shift->start = rota_time_from_local (b->zone, parts[0], start_minutes);
  if (end_minutes >= 24 * 60)
    {
      g_autofree char *next = rota_date_add_days (parts[0], 1);

      shift->end = rota_time_from_local (b->zone, next, end_minutes - 24 * 60);
    }
  else
    shift->end = rota_time_from_local (b->zone, parts[0], end_minutes);
  shift->break_minutes = g_ascii_strtoll (parts[3], NULL, 10);
  shift->published = TRUE;
  g_ptr_array_add (b->input->shifts, shift);
}

static RotaPunch *
builder_punch (Builder    *b,
               const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, " ", 3);
  g_autofree char *when = g_strdup_printf ("%s %s", parts[0], parts[1]);
  RotaPunch *punch = rota_punch_new ();

  punch->id = g_strdup_printf ("p%u", ++b->n_punches);
  punch->employee_id = g_strdup ("e1");
  punch->kind = parse_kind (parts[2]);
  punch->at = local_time (b->zone, when);
  punch->source = g_strdup ("terminal");
  punch->time_untrusted = g_str_has_suffix (parts[2], "!");
  g_ptr_array_add (b->input->punches, punch);

  return punch;
}

static RotaPunchCorrection *
builder_correction (Builder    *b,
                    const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, " ", 4);
  RotaPunchCorrection *c = rota_punch_correction_new ();

  c->id = g_strdup_printf ("c%u", ++b->n_corrections);
  c->employee_id = g_strdup ("e1");
  c->reason_code = g_strdup ("forgot");
  c->author = g_strdup ("hr");
  c->created_at = local_time (b->zone, "2026-11-30 10:00") + b->n_corrections;

  if (g_str_equal (parts[0], "void"))
    {
      c->action = ROTA_CORRECTION_ACTION_VOID;
      c->punch_id = g_strdup (parts[1]);
    }
  else if (g_str_equal (parts[0], "add"))
    {
      g_autofree char *when = g_strdup_printf ("%s %s", parts[2], parts[3]);

      c->action = ROTA_CORRECTION_ACTION_ADD;
      c->new_kind = parse_kind (parts[1]);
      c->new_at = local_time (b->zone, when);
    }
  else if (g_str_equal (parts[0], "move"))
    {
      g_autofree char *when = g_strdup_printf ("%s %s", parts[2], parts[3]);

      c->action = ROTA_CORRECTION_ACTION_MOVE;
      c->punch_id = g_strdup (parts[1]);
      c->new_at = local_time (b->zone, when);
    }
  else
    g_assert_not_reached ();

  g_ptr_array_add (b->input->corrections, c);

  return c;
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(RotaPunchReport) report = NULL;
  GTimeZone *zone = rota_time_zone_get ("Europe/Amsterdam");
  const char *first = c->days[0].date;
  g_autofree char *before = rota_date_add_days (first, -3);
  g_autofree char *after = rota_date_add_days (first, 3);
  Builder b;
  guint n_expected = 0;

  builder_init (&b, c->profile, c->rounding, before, after,
                local_time (zone, c->now != NULL ? c->now : "2026-12-01 12:00"));
  ROTA_OFFICE (g_ptr_array_index (b.input->offices, 0))->punch_rounding_mode = c->rounding_mode;
  ROTA_OFFICE (g_ptr_array_index (b.input->offices, 0))->punch_early_from_plan = c->early_from_plan;

  for (guint i = 0; i < G_N_ELEMENTS (c->shifts) && c->shifts[i] != NULL; i++)
    builder_shift (&b, c->shifts[i]);
  for (guint i = 0; i < G_N_ELEMENTS (c->punches) && c->punches[i] != NULL; i++)
    builder_punch (&b, c->punches[i]);
  for (guint i = 0; i < G_N_ELEMENTS (c->corrections) && c->corrections[i] != NULL; i++)
    builder_correction (&b, c->corrections[i]);

  report = rota_punch_analyze (b.input);

  for (guint i = 0; i < G_N_ELEMENTS (c->days) && c->days[i].date != NULL; i++)
    {
      const Expect *e = &c->days[i];
      const RotaPunchDay *day = rota_punch_report_find_day (report, "e1", e->date);
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;

      n_expected++;
      g_assert_nonnull (day);
      got = rota_day_flags_describe (day->flags);
      want = rota_day_flags_describe (e->flags);
      g_test_message ("%s %s: %s, worked %" G_GINT64_FORMAT " s, break %" G_GINT64_FORMAT " s%s",
                      c->name, e->date, got, day->worked_seconds, day->break_seconds,
                      day->findings ? ", with findings" : "");
      for (guint f = 0; day->findings != NULL && f < day->findings->len; f++)
        g_test_message ("  %s: %s", ((RotaFinding *) g_ptr_array_index (day->findings, f))->rule,
                        ((RotaFinding *) g_ptr_array_index (day->findings, f))->message);
      g_assert_cmpstr (got, ==, want);
      g_assert_cmpint (day->flags, ==, e->flags);
      g_assert_cmpstr (day->employee_id, ==, "e1");
      g_assert_cmpstr (day->office_id, ==, "o1");
      g_assert_cmpstr (day->department_id, ==, "d1");
      g_assert_cmpint (day->version, >, 0);
      if (e->worked_minutes != UNKNOWN)
        g_assert_cmpint (day->worked_seconds, ==, e->worked_minutes * MIN_);
      if (e->break_minutes != UNKNOWN)
        g_assert_cmpint (day->break_seconds, ==, e->break_minutes * MIN_);
      g_assert_cmpint (day->break_deducted, ==, e->deducted);
      if ((day->flags & (ROTA_DAY_RULE_VIOLATION | ROTA_DAY_RULE_WARNING)) != 0)
        g_assert_nonnull (day->findings);
      else
        g_assert_null (day->findings);
      if (day->n_shifts > 0 && day->worked_seconds > 0)
        g_assert_cmpint (day->deviation_seconds, ==, day->worked_seconds - day->planned_seconds);
    }

  /* No empty days, and no day the case did not expect. */
  g_assert_cmpuint (rota_punch_report_get_n_days (report), ==, n_expected);

  rota_punch_input_free (b.input);
}

/* The DST nights are 7 and 9 hours of clocked and of planned time. */
static void
test_dst_lengths (void)
{
  GTimeZone *zone = rota_time_zone_get ("Europe/Amsterdam");

  g_assert_cmpint (local_time (zone, "2026-03-29 06:00") - local_time (zone, "2026-03-28 22:00"), ==, 7 * 3600);
  g_assert_cmpint (local_time (zone, "2026-10-25 06:00") - local_time (zone, "2026-10-24 22:00"), ==, 9 * 3600);
}

static void
test_midnight_and_times (void)
{
  g_autoptr(RotaPunchReport) report = NULL;
  Builder b;
  const RotaPunchDay *day;

  builder_init (&b, "de", 0, "2026-03-01", "2026-03-05", local_time (rota_time_zone_get ("Europe/Amsterdam"), "2026-12-01 12:00"));
  builder_shift (&b, MON " 22:00-06:00/30");
  builder_punch (&b, MON " 21:55 in");
  builder_punch (&b, TUE " 06:03 out");
  b.input->keep_punches = TRUE;
  report = rota_punch_analyze (b.input);

  g_assert_cmpuint (rota_punch_report_get_n_days (report), ==, 1);
  day = rota_punch_report_get_day (report, 0);
  g_assert_cmpstr (day->work_date, ==, MON);
  g_assert_cmpint (day->clocked_start, ==, local_time (b.zone, MON " 21:55"));
  g_assert_cmpint (day->clocked_end, ==, local_time (b.zone, TUE " 06:03"));
  g_assert_cmpint (day->planned_start, ==, local_time (b.zone, MON " 22:00"));
  g_assert_cmpint (day->planned_end, ==, local_time (b.zone, TUE " 06:00"));
  g_assert_cmpint (day->planned_seconds, ==, 450 * MIN_);
  g_assert_cmpint (day->n_shifts, ==, 1);
  g_assert_cmpint (day->n_punches, ==, 2);
  g_assert_nonnull (day->punches);
  g_assert_cmpuint (day->punches->len, ==, 2);
  g_assert_cmpuint (day->voided->len, ==, 0);
  g_assert_null (rota_punch_report_find_day (report, "e1", TUE));
  g_assert_null (rota_punch_report_find_day (report, "e0", MON));

  rota_punch_input_free (b.input);
}

/* An approval is current for the version it was given for; a later
 * correction makes the day need review again. */
static void
test_approval (void)
{
  g_autoptr(RotaPunchReport) first = NULL;
  g_autoptr(RotaPunchReport) second = NULL;
  g_autoptr(RotaPunchReport) third = NULL;
  RotaApproval *approval = rota_approval_new ();
  const RotaPunchDay *day;
  RotaPunchCorrection *c;
  Builder b;

  builder_init (&b, "de", 0, "2026-03-01", "2026-03-05", local_time (rota_time_zone_get ("Europe/Amsterdam"), "2026-12-01 12:00"));
  builder_shift (&b, MON " 09:00-17:00/30");
  builder_punch (&b, MON " 09:00 in");
  builder_punch (&b, MON " 16:00 out");

  first = rota_punch_analyze (b.input);
  day = rota_punch_report_find_day (first, "e1", MON);
  g_assert_cmpint (day->flags, ==, ROTA_DAY_LEFT_EARLY);
  g_assert_true (day->flags & ROTA_DAY_NEEDS_REVIEW);

  approval->id = g_strdup ("a1");
  approval->employee_id = g_strdup ("e1");
  approval->work_date = g_strdup (MON);
  approval->state = ROTA_APPROVAL_STATE_APPROVED;
  approval->author = g_strdup ("hr");
  approval->created_at = local_time (b.zone, "2026-11-30 09:00");
  approval->for_version = day->version;
  g_ptr_array_add (b.input->approvals, approval);

  second = rota_punch_analyze (b.input);
  day = rota_punch_report_find_day (second, "e1", MON);
  g_assert_cmpint (day->flags, ==, ROTA_DAY_LEFT_EARLY | ROTA_DAY_APPROVED);
  g_assert_cmpint (rota_day_flags_primary (day->flags), ==, ROTA_DAY_APPROVED);
  g_assert_cmpstr (day->approved_by, ==, "hr");
  g_assert_cmpint (day->approved_at, ==, approval->created_at);
  g_assert_cmpint (day->version, ==, rota_punch_report_find_day (first, "e1", MON)->version);

  /* Withdrawn (an undo, in the same second, later by a second): the day
   * is as before the approval; approved again after, it is approved. */
  {
    g_autoptr(RotaPunchReport) withdrawn = NULL;
    g_autoptr(RotaPunchReport) again = NULL;
    RotaApproval *withdrawal = rota_approval_new ();
    RotaApproval *second_approval = rota_approval_new ();

    withdrawal->id = g_strdup ("a0-withdrawn");   /* sorts before a1 */
    withdrawal->employee_id = g_strdup ("e1");
    withdrawal->work_date = g_strdup (MON);
    withdrawal->state = ROTA_APPROVAL_STATE_WITHDRAWN;
    withdrawal->author = g_strdup ("hr");
    withdrawal->created_at = approval->created_at + 1;
    withdrawal->for_version = approval->for_version;
    g_ptr_array_add (b.input->approvals, withdrawal);
    withdrawn = rota_punch_analyze (b.input);
    day = rota_punch_report_find_day (withdrawn, "e1", MON);
    g_assert_cmpint (day->flags, ==, ROTA_DAY_LEFT_EARLY);
    g_assert_true (day->flags & ROTA_DAY_NEEDS_REVIEW);
    g_assert_null (day->approved_by);
    g_assert_cmpint (day->version, ==, approval->for_version);

    second_approval->id = g_strdup ("a2");
    second_approval->employee_id = g_strdup ("e1");
    second_approval->work_date = g_strdup (MON);
    second_approval->state = ROTA_APPROVAL_STATE_APPROVED;
    second_approval->author = g_strdup ("hr2");
    second_approval->created_at = approval->created_at + 2;
    second_approval->for_version = approval->for_version;
    g_ptr_array_add (b.input->approvals, second_approval);
    again = rota_punch_analyze (b.input);
    day = rota_punch_report_find_day (again, "e1", MON);
    g_assert_cmpint (day->flags, ==, ROTA_DAY_LEFT_EARLY | ROTA_DAY_APPROVED);
    g_assert_cmpstr (day->approved_by, ==, "hr2");
  }

  /* A correction after the approval: a new version, stale approval. */
  c = builder_correction (&b, "move p2 " MON " 17:00");
  c->created_at = approval->created_at + 60;
  third = rota_punch_analyze (b.input);
  day = rota_punch_report_find_day (third, "e1", MON);
  g_assert_cmpint (day->flags, ==, ROTA_DAY_CORRECTED);
  g_assert_cmpint (day->version, !=, approval->for_version);
  g_assert_null (day->approved_by);

  rota_punch_input_free (b.input);
}

/* The version depends on the ids only: not on the order the input lists
 * them in, nor on the range around the day. */
static void
test_version_stable (void)
{
  gint64 versions[2];

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(RotaPunchReport) report = NULL;
      Builder b;

      builder_init (&b, "de", 0, round ? MON : "2026-02-20", round ? MON : "2026-03-20",
                    local_time (rota_time_zone_get ("Europe/Amsterdam"), "2026-12-01 12:00"));
      builder_punch (&b, MON " 09:00 in");
      builder_punch (&b, MON " 17:00 out");
      builder_correction (&b, "add bs " MON " 12:00");
      if (round)
        {
          gpointer first_punch = b.input->punches->pdata[0];

          b.input->punches->pdata[0] = b.input->punches->pdata[1];
          b.input->punches->pdata[1] = first_punch;
        }
      report = rota_punch_analyze (b.input);
      versions[round] = rota_punch_report_find_day (report, "e1", MON)->version;
      rota_punch_input_free (b.input);
    }

  g_assert_cmpint (versions[0], ==, versions[1]);
  g_assert_cmpint (versions[0], >, 0);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The version of a day with many corrections: their ids come far out of
 * the order they are digested in (the analysis sorts them another way
 * then), and it is still the FNV-1a of the sorted ids, each with its NUL. */
static void
test_version_many_corrections (void)
{
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  const RotaPunchDay *day;
  Builder b;

  builder_init (&b, "de", 0, MON, MON, local_time (rota_time_zone_get ("Europe/Amsterdam"), "2026-12-01 12:00"));
  builder_shift (&b, MON " 09:00-17:00/30");
  builder_punch (&b, MON " 09:00 in");
  builder_punch (&b, MON " 17:00 out");
  g_ptr_array_add (ids, g_strdup ("p1"));
  g_ptr_array_add (ids, g_strdup ("p2"));
  for (guint k = 0; k < 30; k++)
    {
      g_autofree char *start = g_strdup_printf ("add bs " MON " 10:%02u", 2 * k);
      g_autofree char *end = g_strdup_printf ("add be " MON " 10:%02u", 2 * k + 1);

      builder_correction (&b, start);
      builder_correction (&b, end);
    }
  for (guint k = 1; k <= b.n_corrections; k++)
    g_ptr_array_add (ids, g_strdup_printf ("c%u", k));
  g_ptr_array_sort (ids, compare_ids);

  report = rota_punch_analyze (b.input);
  day = rota_punch_report_find_day (report, "e1", MON);
  g_assert_nonnull (day);
  g_assert_cmpuint (day->n_punches, ==, 62);
  g_assert_cmpuint (day->n_corrections, ==, 60);
  g_assert_true (day->flags & ROTA_DAY_CORRECTED);
  /* 30 breaks of a minute each, punched. */
  g_assert_cmpint (day->break_seconds, ==, 30 * 60);
  g_assert_false (day->break_deducted);

  for (guint i = 0; i < ids->len; i++)
    for (const guchar *c = g_ptr_array_index (ids, i); ; c++)
      {
        hash ^= *c;
        hash *= G_GUINT64_CONSTANT (0x100000001b3);
        if (*c == '\0')
          break;
      }
  g_assert_cmpint (day->version, ==, (gint64) (hash & G_GUINT64_CONSTANT (0x7fffffffffffffff)));

  rota_punch_input_free (b.input);
}

static void
test_bad_input (void)
{
  static const struct { const char *first; const char *last; } bad[] = {
    { "2026-02-30", "2026-03-01" },
    { "2026-03-01", "2026-13-01" },
    { "yesterday", "2026-03-01" },
    { "", "2026-03-01" },
    { NULL, "2026-03-01" },
    { "2026-03-01", NULL },
    { "2026-03-02", "2026-03-01" },
    { "2026-01-01", "2027-02-05" },
    { "2000-01-01", "2099-12-31" },
    { "2026-3-1", "2026-03-05" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-punch-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.sqlite", NULL);
  g_autoptr(RotaStore) store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(RotaPunchInput) input = rota_punch_input_new (bad[i].first, bad[i].last, 0);
      g_autoptr(RotaPunchInput) loaded = NULL;
      g_autoptr(RotaPunchReport) report = NULL;

      g_assert_null (input);
      loaded = rota_punch_input_load (store, bad[i].first, bad[i].last, NULL, NULL, 0, NULL, &error);
      g_assert_null (loaded);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      report = rota_punch_report_load (store, bad[i].first, bad[i].last, NULL, 0, NULL, &error);
      g_assert_null (report);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }

  /* 400 days is the most. */
  {
    g_autoptr(RotaPunchInput) input = rota_punch_input_new ("2026-01-01", "2027-02-04", 0);

    g_assert_nonnull (input);
  }

  g_clear_object (&store);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_remove (dir);
}

static void
test_flags (void)
{
  g_autofree char *none = rota_day_flags_describe (ROTA_DAY_NONE);
  g_autofree char *two = rota_day_flags_describe (ROTA_DAY_CORRECTED | ROTA_DAY_LATE);

  g_assert_cmpstr (none, ==, "OK");
  g_assert_cmpstr (two, ==, "Late, Corrected");
  g_assert_cmpint (rota_day_flags_primary (ROTA_DAY_NONE), ==, ROTA_DAY_NONE);
  g_assert_cmpint (rota_day_flags_primary (ROTA_DAY_LATE | ROTA_DAY_MISSING_IN), ==, ROTA_DAY_MISSING_IN);
  g_assert_cmpint (rota_day_flags_primary (ROTA_DAY_MISSING_OUT | ROTA_DAY_REJECTED), ==, ROTA_DAY_REJECTED);
  g_assert_cmpint (rota_day_flags_primary (ROTA_DAY_CORRECTED | ROTA_DAY_WORKING), ==, ROTA_DAY_WORKING);
  g_assert_cmpstr (rota_day_flag_get_label (ROTA_DAY_NO_SHOW), ==, "No-show");

  /* Every icon is one that Debian 12's Adwaita theme has. */
  for (guint bit = 0; bit <= 14; bit++)
    {
      RotaDayFlags flag = 1u << bit;
      const char *icon = rota_day_flag_get_icon_name (flag);
      g_autofree char *pattern = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dirs = NULL;
      gboolean found = FALSE;
      const char *name;

      g_assert_nonnull (rota_day_flag_get_label (flag));
      g_assert_true (g_str_has_suffix (icon, "-symbolic"));
      dirs = g_dir_open ("/usr/share/icons/Adwaita/scalable", 0, &error);
      if (dirs == NULL)
        continue;
      while (!found && (name = g_dir_read_name (dirs)) != NULL)
        {
          g_autofree char *file = g_strdup_printf ("/usr/share/icons/Adwaita/scalable/%s/%s.svg", name, icon);

          found = g_file_test (file, G_FILE_TEST_EXISTS);
        }
      g_assert_true (found);
    }
}

/* Demo store */

static gboolean
report_has (RotaPunchReport *report,
            RotaDayFlags     flag)
{
  for (guint i = 0; i < rota_punch_report_get_n_days (report); i++)
    if (rota_punch_report_get_day (report, i)->flags & flag)
      return TRUE;

  return FALSE;
}

static void
assert_days_equal (const RotaPunchDay *x,
                   const RotaPunchDay *y)
{
  g_assert_cmpstr (x->employee_id, ==, y->employee_id);
  g_assert_cmpstr (x->work_date, ==, y->work_date);
  for (guint f = 0; x->flags != y->flags && x->findings != NULL && f < x->findings->len; f++)
    g_test_message ("%s %s: %s", x->employee_id, x->work_date,
                    ((RotaFinding *) g_ptr_array_index (x->findings, f))->message);
  for (guint f = 0; x->flags != y->flags && y->findings != NULL && f < y->findings->len; f++)
    g_test_message ("%s %s, other: %s", y->employee_id, y->work_date,
                    ((RotaFinding *) g_ptr_array_index (y->findings, f))->message);
  g_assert_cmpstr (x->department_id, ==, y->department_id);
  g_assert_cmpstr (x->office_id, ==, y->office_id);
  g_assert_cmpint (x->flags, ==, y->flags);
  g_assert_cmpint (x->version, ==, y->version);
  g_assert_cmpint (x->worked_seconds, ==, y->worked_seconds);
  g_assert_cmpint (x->break_seconds, ==, y->break_seconds);
  g_assert_cmpint (x->planned_seconds, ==, y->planned_seconds);
  g_assert_cmpint (x->clocked_start, ==, y->clocked_start);
  g_assert_cmpint (x->clocked_end, ==, y->clocked_end);
  g_assert_cmpuint (x->n_punches, ==, y->n_punches);
  g_assert_cmpuint (x->findings ? x->findings->len : 0, ==, y->findings ? y->findings->len : 0);
}

static void
test_demo_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rota-punch-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "demo.sqlite", NULL);
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(RotaPunchReport) by_week = NULL;
  g_autoptr(RotaPunchReport) at_once = NULL;
  g_autoptr(RotaPunchInput) input = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RotaPunchReport) cancelled = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *today = NULL;
  RotaDemoOptions options;
  gint64 now;

  g_assert_true (rota_instant_parse ("2026-11-25T12:00:00Z", NULL, &now));
  rota_demo_options_init (&options, now);
  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (rota_demo_fill_store (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The demo's six weeks of history up to now. */
  first = g_strdup (options.first_week);
  today = rota_time_work_date (now, rota_time_zone_get ("Europe/Amsterdam"));
  last = g_strdup (today);
  report = rota_punch_report_load (store, first, last, NULL, now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rota_punch_report_get_n_days (report), >, 100);

  g_assert_true (report_has (report, ROTA_DAY_MISSING_OUT));
  g_assert_true (report_has (report, ROTA_DAY_LATE));
  g_assert_true (report_has (report, ROTA_DAY_LEFT_EARLY));
  g_assert_true (report_has (report, ROTA_DAY_NO_SHOW));
  g_assert_true (report_has (report, ROTA_DAY_UNPLANNED));
  g_assert_true (report_has (report, ROTA_DAY_OVERLAP));

  /* Ordered by employee, then date; every day found again. */
  for (guint i = 0; i < rota_punch_report_get_n_days (report); i++)
    {
      const RotaPunchDay *day = rota_punch_report_get_day (report, i);

      if (i > 0)
        {
          const RotaPunchDay *before = rota_punch_report_get_day (report, i - 1);
          int c = strcmp (before->employee_id, day->employee_id);

          g_assert_true (c < 0 || (c == 0 && before->julian < day->julian));
        }
      g_assert_true (rota_punch_report_find_day (report, day->employee_id, day->work_date) == day);
      g_assert_true (strcmp (day->work_date, first) >= 0 && strcmp (day->work_date, last) <= 0);
    }

  /* In parts of a week, or of a month, or at once: the same days. */
  by_week = _rota_punch_report_load_chunked (store, first, last, NULL, now, 7, NULL, &error);
  g_assert_no_error (error);
  input = rota_punch_input_load (store, first, last, NULL, NULL, now, NULL, &error);
  g_assert_no_error (error);
  at_once = rota_punch_analyze (input);
  g_assert_cmpuint (rota_punch_report_get_n_days (by_week), ==, rota_punch_report_get_n_days (at_once));
  g_assert_cmpuint (rota_punch_report_get_n_days (report), ==, rota_punch_report_get_n_days (at_once));
  for (guint i = 0; i < rota_punch_report_get_n_days (at_once); i++)
    {
      assert_days_equal (rota_punch_report_get_day (by_week, i), rota_punch_report_get_day (at_once, i));
      assert_days_equal (rota_punch_report_get_day (report, i), rota_punch_report_get_day (at_once, i));
    }

  /* One employee alone (as the server analyses a day): the same days. */
  {
    const RotaPunchDay *some = rota_punch_report_get_day (at_once, rota_punch_report_get_n_days (at_once) / 2);
    g_autoptr(RotaPunchInput) one = rota_punch_input_load (store, some->work_date, some->work_date, NULL,
                                                           some->employee_id, now, NULL, &error);
    g_autoptr(RotaPunchReport) alone = NULL;

    g_assert_no_error (error);
    alone = rota_punch_analyze (one);
    g_assert_cmpuint (rota_punch_report_get_n_days (alone), ==, 1);
    assert_days_equal (rota_punch_report_get_day (alone, 0), some);
  }

  /* A punch of the first week moved to three days before the last one
   * (a kiosk's clock was wrong): the day it goes to and the day it was
   * clocked on are the same, with the same version, read alone (as the
   * server checks an approval), in a month whose window does not reach
   * back to where it was clocked, and in the whole range. */
  {
    g_autoptr(GPtrArray) early = NULL;
    g_autoptr(RotaEntity) correction = NULL;
    g_autoptr(RotaPunchReport) whole = NULL;
    g_autoptr(RotaPunchReport) month = NULL;
    g_autoptr(RotaPunchReport) before = NULL;
    g_autoptr(RotaPunchReport) to_alone = NULL;
    g_autoptr(RotaPunchReport) from_alone = NULL;
    g_autoptr(RotaPunchInput) to_input = NULL;
    g_autoptr(RotaPunchInput) from_input = NULL;
    g_autofree char *json = NULL;
    g_autofree char *to_day = NULL;
    g_autofree char *from_day = NULL;
    g_autofree char *new_at = NULL;
    g_autofree char *month_first = NULL;
    const RotaPunchDay *to_before, *to_whole, *to_month, *from_whole;
    RotaPunch *punch = NULL;
    GTimeZone *zone = rota_time_zone_get ("Europe/Amsterdam");
    gint64 week_start = rota_time_from_local (zone, first, 0);

    early = rota_store_list_punches (store, week_start, week_start + 7 * 24 * 3600, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < early->len && punch == NULL; i++)
      if (ROTA_PUNCH (g_ptr_array_index (early, i))->kind == ROTA_PUNCH_KIND_IN)
        punch = g_ptr_array_index (early, i);
    g_assert_nonnull (punch);
    from_day = rota_time_work_date (punch->at, zone);
    to_day = rota_date_add_days (last, -3);
    month_first = g_strdup_printf ("%.8s01", to_day);
    /* The month's window (8 days before its first) does not reach back. */
    g_assert_cmpint (rota_time_from_local (zone, month_first, 0) - 9 * 24 * 3600, >, punch->at);

    before = rota_punch_report_load (store, first, last, NULL, now, NULL, &error);
    g_assert_no_error (error);

    new_at = g_strdup_printf ("%sT04:30:00Z", to_day);
    json = g_strdup_printf ("{\"id\": \"c-far\", \"punchId\": \"%s\", \"employeeId\": \"%s\", "
                            "\"action\": \"move\", \"newDateTime\": \"%s\", \"reasonCode\": \"wrong_time\", "
                            "\"reasonText\": \"The kiosk's clock was three weeks behind\", \"author\": \"hr\", "
                            "\"createdAt\": \"2026-11-25T11:00:00Z\"}",
                            punch->id, punch->employee_id, new_at);
    correction = rota_codec_decode_string (ROTA_TYPE_PUNCH_CORRECTION, json, strlen (json), &error);
    g_assert_no_error (error);
    g_assert_true (rota_store_put_entity (store, correction, &error));
    g_assert_no_error (error);

    /* And a clock-out added on the wrong day, in the first week too, then
     * moved to the same day: it was dropped where it was added before the
     * move could bring it in. */
    {
      g_autofree char *add = g_strdup_printf ("{\"id\": \"c-add-far\", \"employeeId\": \"%s\", \"action\": \"add\", "
                                              "\"newKind\": \"out\", \"newDateTime\": \"%sT11:00:00Z\", "
                                              "\"reasonCode\": \"forgot_out\", \"author\": \"hr\", "
                                              "\"createdAt\": \"2026-11-25T11:01:00Z\"}", punch->employee_id, from_day);
      g_autofree char *move = g_strdup_printf ("{\"id\": \"c-move-added\", \"punchId\": \"c-add-far\", "
                                               "\"employeeId\": \"%s\", \"action\": \"move\", "
                                               "\"newDateTime\": \"%sT13:30:00Z\", \"reasonCode\": \"wrong_time\", "
                                               "\"author\": \"hr\", \"createdAt\": \"2026-11-25T11:02:00Z\"}",
                                               punch->employee_id, to_day);
      const char *texts[] = { add, move };

      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          g_autoptr(RotaEntity) added = rota_codec_decode_string (ROTA_TYPE_PUNCH_CORRECTION, texts[i], strlen (texts[i]),
                                                                  &error);

          g_assert_no_error (error);
          g_assert_true (rota_store_put_entity (store, added, &error));
          g_assert_no_error (error);
        }
    }

    whole = rota_punch_report_load (store, first, last, NULL, now, NULL, &error);
    g_assert_no_error (error);
    month = rota_punch_report_load (store, month_first, last, NULL, now, NULL, &error);
    g_assert_no_error (error);
    to_input = rota_punch_input_load (store, to_day, to_day, NULL, punch->employee_id, now, NULL, &error);
    g_assert_no_error (error);
    to_alone = rota_punch_analyze (to_input);
    from_input = rota_punch_input_load (store, from_day, from_day, NULL, punch->employee_id, now, NULL, &error);
    g_assert_no_error (error);
    from_alone = rota_punch_analyze (from_input);

    to_before = rota_punch_report_find_day (before, punch->employee_id, to_day);
    to_whole = rota_punch_report_find_day (whole, punch->employee_id, to_day);
    to_month = rota_punch_report_find_day (month, punch->employee_id, to_day);
    from_whole = rota_punch_report_find_day (whole, punch->employee_id, from_day);
    g_assert_nonnull (to_whole);
    g_assert_nonnull (to_month);
    g_assert_nonnull (from_whole);
    g_assert_cmpuint (to_whole->n_punches, ==, (to_before != NULL ? to_before->n_punches : 0) + 2);
    g_assert_true (to_whole->flags & ROTA_DAY_CORRECTED);
    g_assert_true (from_whole->flags & ROTA_DAY_CORRECTED);
    assert_days_equal (to_month, to_whole);
    assert_days_equal (rota_punch_report_find_day (to_alone, punch->employee_id, to_day), to_whole);
    assert_days_equal (rota_punch_report_find_day (from_alone, punch->employee_id, from_day), from_whole);
  }

  /* A department: only its employees. */
  {
    g_autoptr(RotaPunchReport) department = rota_punch_report_load (store, first, last, "1", now, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rota_punch_report_get_n_days (department), <, rota_punch_report_get_n_days (at_once));
  }

  g_cancellable_cancel (cancellable);
  cancelled = rota_punch_report_load (store, first, last, NULL, now, cancellable, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&store);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_unlink (file);
      }
  }
  g_remove (dir);
}

static RotaEntity *
decode_office (const char  *json,
               GError     **error)
{
  return rota_codec_decode_string (ROTA_TYPE_OFFICE, json, strlen (json), error);
}

static void
test_office_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) office = NULL;
  g_autoptr(RotaEntity) bad = NULL;
  RotaPunchPolicy policy;

  rota_punch_policy_init_for_office (&policy, NULL);
  g_assert_cmpint (policy.grace_minutes, ==, 5);
  g_assert_cmpint (policy.rounding_minutes, ==, 0);
  g_assert_cmpint (policy.max_open_hours, ==, 16);
  g_assert_cmpint (policy.max_span_hours, ==, 24);

  office = decode_office (
                                     "{\"id\": \"o1\", \"name\": \"Hotel\", \"timeZone\": \"Europe/Berlin\","
                                     " \"rulesProfile\": \"de\", \"punchGraceMinutes\": 10, \"punchRoundingMinutes\": 15}",
                                     &error);
  g_assert_no_error (error);
  rota_punch_policy_init_for_office (&policy, ROTA_OFFICE (office));
  g_assert_cmpint (policy.grace_minutes, ==, 10);
  g_assert_cmpint (policy.rounding_minutes, ==, 15);
  g_assert_cmpint (rota_office_get_punch_rounding_minutes (ROTA_OFFICE (office)), ==, 15);
  g_clear_object (&office);

  office = decode_office (
                                     "{\"id\": \"o1\", \"name\": \"Hotel\", \"timeZone\": \"Europe/Berlin\","
                                     " \"rulesProfile\": \"de\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rota_office_get_punch_grace_minutes (ROTA_OFFICE (office)), ==, 5);
  g_assert_cmpint (rota_office_get_punch_rounding_minutes (ROTA_OFFICE (office)), ==, 0);

  /* The way it rounds, and the early clock-in. */
  office = decode_office ("{\"id\": \"o1\", \"name\": \"Hotel\", \"timeZone\": \"Europe/Berlin\", \"rulesProfile\": \"de\","
                          " \"punchRoundingMinutes\": 15, \"punchRoundingMode\": \"nearest\", \"punchEarlyFromPlan\": true}",
                          &error);
  g_assert_no_error (error);
  rota_punch_policy_init_for_office (&policy, ROTA_OFFICE (office));
  g_assert_cmpint (policy.rounding_mode, ==, ROTA_PUNCH_ROUNDING_NEAREST);
  g_assert_true (policy.early_from_plan);
  g_assert_cmpint (rota_office_get_punch_rounding_mode (ROTA_OFFICE (office)), ==, ROTA_PUNCH_ROUNDING_NEAREST);
  g_assert_true (rota_office_get_punch_early_from_plan (ROTA_OFFICE (office)));
  {
    g_autofree char *json = rota_codec_encode_string (office, 0);

    g_assert_nonnull (strstr (json, "\"punchRoundingMode\":\"nearest\""));
    g_assert_nonnull (strstr (json, "\"punchEarlyFromPlan\":true"));
  }
  g_clear_object (&office);
  rota_punch_policy_init_for_office (&policy, NULL);
  g_assert_cmpint (policy.rounding_mode, ==, ROTA_PUNCH_ROUNDING_INWARD);
  g_assert_false (policy.early_from_plan);

  /* Malformed offices: each refused, naming its member. */
  {
    static const struct { const char *json; const char *member; } malformed[] = {
      { "\"punchRoundingMinutes\": 7", "punchRoundingMinutes" },
      { "\"punchRoundingMinutes\": -15", "punchRoundingMinutes" },
      { "\"punchRoundingMode\": \"sideways\"", "punchRoundingMode" },
      { "\"punchRoundingMode\": 2", "punchRoundingMode" },
      { "\"punchRoundingMode\": \"NEAREST\"", "punchRoundingMode" },
      { "\"punchEarlyFromPlan\": \"yes\"", "punchEarlyFromPlan" },
      { "\"punchEarlyFromPlan\": 1", "punchEarlyFromPlan" },
      { "\"punchGraceMinutes\": 121", "punchGraceMinutes" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"id\": \"o1\", \"name\": \"Hotel\", \"timeZone\": \"Europe/Berlin\","
                                                 " \"rulesProfile\": \"de\", %s}", malformed[i].json);
        g_autoptr(RotaEntity) refused = decode_office (json, &error);

        g_test_message ("%s", malformed[i].json);
        g_assert_null (refused);
        g_assert_nonnull (error);
        g_assert_nonnull (strstr (error->message, malformed[i].member));
        g_clear_error (&error);
      }
  }

  bad = decode_office (
                                  "{\"id\": \"o1\", \"name\": \"Hotel\", \"timeZone\": \"Europe/Berlin\","
                                  " \"rulesProfile\": \"de\", \"punchRoundingMinutes\": 7}", &error);
  g_assert_null (bad);
  g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "punchRoundingMinutes"));
  g_clear_error (&error);

  bad = decode_office (
                                  "{\"id\": \"o1\", \"name\": \"Hotel\", \"timeZone\": \"Europe/Berlin\","
                                  " \"rulesProfile\": \"de\", \"punchGraceMinutes\": 121}", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "punchGraceMinutes"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/punch-analysis/case/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/core/punch-analysis/dst-lengths", test_dst_lengths);
  g_test_add_func ("/core/punch-analysis/midnight-and-times", test_midnight_and_times);
  g_test_add_func ("/core/punch-analysis/approval", test_approval);
  g_test_add_func ("/core/punch-analysis/version-stable", test_version_stable);
  g_test_add_func ("/core/punch-analysis/version-many-corrections", test_version_many_corrections);
  g_test_add_func ("/core/punch-analysis/bad-input", test_bad_input);
  g_test_add_func ("/core/punch-analysis/flags", test_flags);
  g_test_add_func ("/core/punch-analysis/office-policy", test_office_policy);
  g_test_add_func ("/core/punch-analysis/demo-store", test_demo_store);

  return g_test_run ();
}
