/* test-rules.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rota-model-private.h"
#include "rota-rules.h"
#include "rota-time.h"

#define DE ROTA_RULES_PROFILE_DE
#define NL ROTA_RULES_PROFILE_NL
#define W  ROTA_SEVERITY_WARNING
#define V  ROTA_SEVERITY_VIOLATION

#define BERLIN    "Europe/Berlin"
#define AMSTERDAM "Europe/Amsterdam"

/* 2026-11-23 is a Monday. An adult, a 17-, a 16-, a 15- and a
 * 14-year-old, and somebody who turns 18 (16, 15) on Tuesday 2026-11-24. */
#define ADULT   "1990-01-01"
#define AGE17   "2009-06-01"
#define AGE16   "2010-06-01"
#define AGE15   "2011-06-01"
#define AGE14   "2012-06-01"
#define TURNS18 "2008-11-24"
#define TURNS16 "2010-11-24"
#define TURNS15 "2011-11-24"

typedef struct
{
  const char *id;
  const char *start;  /* local "YYYY-MM-DD HH:MM" in the case's zone */
  const char *end;
  int         break_minutes;
  gboolean    deleted;
} ShiftSpec;

typedef struct
{
  const char   *rule;
  RotaSeverity  severity;
  const char   *shift_ids;  /* comma-separated, in time order */
} Expect;

typedef struct
{
  const char       *name;
  RotaRulesProfile  profile;
  const char       *zone;
  const char       *birth;
  double            max_hours_week;
  const char       *employment_start;
  const char       *employment_end;
  const char       *absence[2];       /* start and end date */
  struct { int weekday; const char *date; const char *from; const char *to; } unavailable;
  ShiftSpec         shifts[8];
  Expect            expect[4];
} Case;

static const Case cases[] = {
  /* Every profile */
  { "overlap/fail", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 12:00" }, { "b", "2026-11-23 11:00", "2026-11-23 15:00" } },
    { { "overlap", V, "a,b" } } },
  { "overlap/pass", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 12:00" }, { "b", "2026-11-23 12:00", "2026-11-23 16:00" },
      { "c", "2026-11-23 09:00", "2026-11-23 13:00", 0, TRUE } },
    { { NULL } } },
  { "shift-length/de", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-24 08:30", 60 } },
    { { "shift-length", V, "a" }, { "de.daily-hours", V, "a" } } },
  { "shift-length/nl", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-24 08:30", 60 } },
    { { "shift-length", V, "a" }, { "nl.shift-length", V, "a" } } },
  { "absent/fail", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { "2026-11-24", "2026-11-25" }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 12:00" }, { "b", "2026-11-25 08:00", "2026-11-25 12:00" } },
    { { "absent", V, "b" } } },
  { "absent/pass", DE, BERLIN, ADULT, 0, NULL, NULL, { "2026-11-24", "2026-11-25" }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 12:00" }, { "b", "2026-11-26 08:00", "2026-11-26 12:00" } },
    { { NULL } } },
  { "unavailable/fail", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 1, NULL, "08:00", "12:00" },
    { { "a", "2026-11-23 11:00", "2026-11-23 15:00" } },
    { { "unavailable", W, "a" } } },
  { "unavailable/pass", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 1, NULL, "08:00", "12:00" },
    { { "a", "2026-11-23 12:00", "2026-11-23 16:00" }, { "b", "2026-11-24 08:00", "2026-11-24 12:00" } },
    { { NULL } } },
  { "unavailable/date", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0, "2026-11-24", NULL, NULL },
    { { "a", "2026-11-23 12:00", "2026-11-23 16:00" }, { "b", "2026-11-24 08:00", "2026-11-24 12:00" } },
    { { "unavailable", W, "b" } } },
  { "employment/fail", DE, BERLIN, ADULT, 0, "2026-11-24", "2026-11-30", { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 12:00" }, { "b", "2026-11-24 08:00", "2026-11-24 12:00" },
      { "c", "2026-11-30 08:00", "2026-11-30 12:00" }, { "d", "2026-12-01 08:00", "2026-12-01 12:00" } },
    { { "employment", V, "a" }, { "employment", V, "d" } } },
  { "max-hours-week/fail", NL, AMSTERDAM, ADULT, 20, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 15:30", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 15:30", 30 },
      { "c", "2026-11-25 08:00", "2026-11-25 15:30", 30 } },
    { { "max-hours-week", W, "a,b,c" } } },
  { "max-hours-week/pass", DE, BERLIN, ADULT, 21, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 15:30", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 15:30", 30 },
      { "c", "2026-11-25 08:00", "2026-11-25 15:30", 30 } },
    { { NULL } } },

  /* de */
  { "de/daily-8h/pass", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:30", 30 } }, { { NULL } } },
  { "de/daily-8h/warn", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:31", 30 } }, { { "de.daily-hours", W, "a" } } },
  { "de/daily-10h/warn", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 18:45", 45 } }, { { "de.daily-hours", W, "a" } } },
  { "de/daily-10h/fail", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 07:00", "2026-11-23 12:00" }, { "b", "2026-11-23 13:00", "2026-11-23 18:01" } },
    { { "de.daily-hours", V, "a,b" } } },
  { "de/rest/exactly-11h", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 21:00", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 12:00" } },
    { { NULL } } },
  { "de/rest/10h59", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 21:00", 30 }, { "b", "2026-11-24 07:59", "2026-11-24 12:00" } },
    { { "de.rest", V, "a,b" } } },
  { "de/break/6h-net-of-gross", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 14:20", 20 } }, { { NULL } } },
  { "de/break/6h1-net-of-gross", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 14:21", 20 } }, { { "de.break", V, "a" } } },
  { "de/break/6h", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 14:00" } }, { { NULL } } },
  { "de/break/6h1", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 14:01" } }, { { "de.break", V, "a" } } },
  { "de/break/9h", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 17:30", 30 } }, { { "de.daily-hours", W, "a" } } },
  { "de/break/9h1", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 17:31", 30 } },
    { { "de.break", V, "a" }, { "de.daily-hours", W, "a" } } },
  { "de/minor/daily/pass", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:30", 30 } }, { { NULL } } },
  { "de/minor/daily/fail", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:31", 30 } }, { { "de.minor.daily-hours", V, "a" } } },
  { "de/minor/weekly/pass", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:30", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 16:30", 30 },
      { "c", "2026-11-25 08:00", "2026-11-25 16:30", 30 }, { "d", "2026-11-26 08:00", "2026-11-26 16:30", 30 },
      { "e", "2026-11-27 08:00", "2026-11-27 16:30", 30 } },
    { { NULL } } },
  { "de/minor/weekly/fail", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:30", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 16:30", 30 },
      { "c", "2026-11-25 08:00", "2026-11-25 16:30", 30 }, { "d", "2026-11-26 08:00", "2026-11-26 16:30", 30 },
      { "e", "2026-11-27 08:00", "2026-11-27 16:30", 30 }, { "f", "2026-11-28 08:00", "2026-11-28 08:01" } },
    { { "de.minor.weekly-hours", V, "a,b,c,d,e,f" } } },
  { "de/minor/rest/12h", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 19:00" }, { "b", "2026-11-24 07:00", "2026-11-24 12:00" } },
    { { NULL } } },
  { "de/minor/rest/11h59", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 19:00" }, { "b", "2026-11-24 06:59", "2026-11-24 12:00" } },
    { { "de.minor.rest", V, "a,b" } } },
  { "de/minor/night/pass", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 20:00" }, { "b", "2026-11-25 06:00", "2026-11-25 10:00" } },
    { { NULL } } },
  { "de/minor/night/fail", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 15:00", "2026-11-23 20:01" }, { "b", "2026-11-25 05:59", "2026-11-25 10:00" } },
    { { "de.minor.night", V, "a" }, { "de.minor.night", V, "b" } } },
  { "de/minor/18th-birthday", DE, BERLIN, TURNS18, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 15:00", "2026-11-23 20:30", 30 }, { "b", "2026-11-24 15:00", "2026-11-24 20:30", 30 } },
    { { "de.minor.night", V, "a" } } },
  { "de/adult/night", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 22:00", "2026-11-24 05:00", 30 } }, { { NULL } } },
  /* A night across the spring change is an hour shorter: 8 h elapsed,
   * 7 h 30 min worked, not 8 h 30 min. In the autumn it is an hour
   * longer: 9 h elapsed, 8 h 15 min worked. */
  { "de/dst/spring", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-03-28 22:00", "2026-03-29 07:00", 30 } }, { { NULL } } },
  { "de/dst/autumn", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-24 22:00", "2026-10-25 06:00", 45 } }, { { "de.daily-hours", W, "a" } } },
  /* Rest is elapsed time too: 11 h 59 min on the wall clock are 10 h 59 min
   * in the spring night; 10 h on the wall clock are 11 h in the autumn one. */
  { "de/dst/rest-spring", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-03-28 14:00", "2026-03-28 21:00", 30 }, { "b", "2026-03-29 08:59", "2026-03-29 12:00" } },
    { { "de.rest", V, "a,b" } } },
  { "de/dst/rest-autumn", DE, BERLIN, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-24 14:00", "2026-10-24 21:00", 30 }, { "b", "2026-10-25 07:00", "2026-10-25 12:00" } },
    { { NULL } } },
  { "de/dst/minor-spring-morning", DE, BERLIN, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-03-29 06:00", "2026-03-29 12:00" }, { "b", "2026-03-30 06:00", "2026-03-30 12:00" } },
    { { NULL } } },
  /* 05:00 on the spring morning is an hour of night work for a minor,
   * though only 3 h have passed since midnight. */
  { "de/dst/minor-spring-5am", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-03-29 05:00", "2026-03-29 10:00" } }, { { "de.minor.night", V, "a" } } },
  { "de/dst/minor-autumn-evening", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-24 15:00", "2026-10-24 20:00" }, { "b", "2026-10-25 15:00", "2026-10-25 20:01" } },
    { { "de.minor.night", V, "b" } } },
  /* From 19:00 to 06:59 across the autumn change is 12 h 59 min: rest
   * enough for a minor, though the wall clock shows 11 h 59 min. */
  { "de/dst/minor-rest-autumn", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-24 14:00", "2026-10-24 19:00" }, { "b", "2026-10-25 06:59", "2026-10-25 12:00" } },
    { { NULL } } },
  { "de/minor16/daily/pass", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:30", 30 } }, { { NULL } } },
  { "de/minor16/daily/fail", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:31", 30 } }, { { "de.minor.daily-hours", V, "a" } } },
  { "de/minor16/weekly/fail", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 16:30", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 16:30", 30 },
      { "c", "2026-11-25 08:00", "2026-11-25 16:30", 30 }, { "d", "2026-11-26 08:00", "2026-11-26 16:30", 30 },
      { "e", "2026-11-27 08:00", "2026-11-27 16:30", 30 }, { "f", "2026-11-28 08:00", "2026-11-28 08:01" } },
    { { "de.minor.weekly-hours", V, "a,b,c,d,e,f" } } },
  { "de/minor16/rest/12h", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 19:00" }, { "b", "2026-11-24 07:00", "2026-11-24 12:00" } },
    { { NULL } } },
  { "de/minor16/rest/11h59", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 19:00" }, { "b", "2026-11-24 06:59", "2026-11-24 12:00" } },
    { { "de.minor.rest", V, "a,b" } } },
  { "de/minor16/night/fail", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 15:00", "2026-11-23 20:01" }, { "b", "2026-11-25 05:59", "2026-11-25 10:00" } },
    { { "de.minor.night", V, "a" }, { "de.minor.night", V, "b" } } },
  /* A minor's break is net of the shift too: 6 h worked need none. */
  { "de/minor16/break/6h-net-of-gross", DE, BERLIN, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 14:20", 20 } }, { { NULL } } },
  /* JArbSchG's minors are 15 to 17: a 15-year-old gets their rules only,
   * a 14-year-old a warning on top, up to the day before turning 15. */
  { "de/minor15/night", DE, BERLIN, AGE15, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 15:00", "2026-11-23 20:01" } }, { { "de.minor.night", V, "a" } } },
  { "de/under-15", DE, BERLIN, AGE14, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 16:00" }, { "b", "2026-11-25 14:00", "2026-11-25 16:00" } },
    { { "de.minor.under-15", W, "a,b" } } },
  { "de/under-15/15th-birthday", DE, BERLIN, TURNS15, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 16:00" }, { "b", "2026-11-24 14:00", "2026-11-24 16:00" } },
    { { "de.minor.under-15", W, "a" } } },

  /* nl */
  { "nl/shift-length/12h", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 07:00", "2026-11-23 19:45", 45 } }, { { NULL } } },
  { "nl/shift-length/12h1", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 07:00", "2026-11-23 19:46", 45 } }, { { "nl.shift-length", V, "a" } } },
  { "nl/weekly/60h", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 07:00", "2026-11-23 17:30", 30 }, { "b", "2026-11-24 07:00", "2026-11-24 17:30", 30 },
      { "c", "2026-11-25 07:00", "2026-11-25 17:30", 30 }, { "d", "2026-11-26 07:00", "2026-11-26 17:30", 30 },
      { "e", "2026-11-27 07:00", "2026-11-27 17:30", 30 }, { "f", "2026-11-28 07:00", "2026-11-28 17:30", 30 } },
    { { NULL } } },
  { "nl/weekly/60h1", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 07:00", "2026-11-23 17:30", 30 }, { "b", "2026-11-24 07:00", "2026-11-24 17:30", 30 },
      { "c", "2026-11-25 07:00", "2026-11-25 17:30", 30 }, { "d", "2026-11-26 07:00", "2026-11-26 17:30", 30 },
      { "e", "2026-11-27 07:00", "2026-11-27 17:30", 30 }, { "f", "2026-11-28 07:00", "2026-11-28 17:46", 45 } },
    { { "nl.weekly-hours", V, "a,b,c,d,e,f" } } },
  { "nl/rest/exactly-11h", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 21:00", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 12:00" } },
    { { NULL } } },
  { "nl/rest/once-9h", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 21:00", 30 }, { "b", "2026-11-24 06:00", "2026-11-24 11:00" },
      { "c", "2026-11-30 14:00", "2026-11-30 21:00", 30 }, { "d", "2026-12-01 06:00", "2026-12-01 11:00" } },
    { { "nl.rest", W, "a,b" }, { "nl.rest", W, "c,d" } } },
  { "nl/rest/twice-9h", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 21:00", 30 }, { "b", "2026-11-24 06:00", "2026-11-24 11:00" },
      { "c", "2026-11-26 14:00", "2026-11-26 21:00", 30 }, { "d", "2026-11-27 06:00", "2026-11-27 11:00" } },
    { { "nl.rest", V, "a,b" }, { "nl.rest", V, "c,d" } } },
  { "nl/rest/once-exactly-8h", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 22:00", 30 }, { "b", "2026-11-24 06:00", "2026-11-24 11:00" } },
    { { "nl.rest", W, "a,b" } } },
  { "nl/rest/7h59", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 22:01", 30 }, { "b", "2026-11-24 06:00", "2026-11-24 11:00" } },
    { { "nl.rest", V, "a,b" } } },
  { "nl/break/5h30", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 13:30" } }, { { NULL } } },
  { "nl/break/5h31", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 13:31" } }, { { "nl.break", V, "a" } } },
  { "nl/break/net-of-gross", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 13:45", 15 } }, { { NULL } } },
  { "nl/break/10h", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 18:30", 30 } }, { { NULL } } },
  { "nl/break/10h1", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 18:31", 30 } }, { { "nl.break", V, "a" } } },
  { "nl/minor16/shift-length/9h", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 17:30", 30 } }, { { NULL } } },
  { "nl/minor16/shift-length/9h1", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 17:31", 30 } }, { { "nl.minor.shift-length", V, "a" } } },
  { "nl/minor17/shift-length/9h1", NL, AMSTERDAM, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 17:31", 30 } }, { { "nl.minor.shift-length", V, "a" } } },
  { "nl/minor17/weekly/45h", NL, AMSTERDAM, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 17:30", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 17:30", 30 },
      { "c", "2026-11-25 08:00", "2026-11-25 17:30", 30 }, { "d", "2026-11-26 08:00", "2026-11-26 17:30", 30 },
      { "e", "2026-11-27 08:00", "2026-11-27 17:30", 30 } },
    { { NULL } } },
  { "nl/minor16/weekly/45h1", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 17:30", 30 }, { "b", "2026-11-24 08:00", "2026-11-24 17:30", 30 },
      { "c", "2026-11-25 08:00", "2026-11-25 17:30", 30 }, { "d", "2026-11-26 08:00", "2026-11-26 17:30", 30 },
      { "e", "2026-11-27 08:00", "2026-11-27 17:30", 30 }, { "f", "2026-11-28 08:00", "2026-11-28 08:01" } },
    { { "nl.minor.weekly-hours", V, "a,b,c,d,e,f" } } },
  { "nl/minor16/rest/12h", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 19:00" }, { "b", "2026-11-24 07:00", "2026-11-24 12:00" } },
    { { NULL } } },
  { "nl/minor17/rest/11h59", NL, AMSTERDAM, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 19:00" }, { "b", "2026-11-24 06:59", "2026-11-24 12:00" } },
    { { "nl.minor.rest", V, "a,b" } } },
  { "nl/minor16/night/pass", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 18:00", "2026-11-23 23:00" }, { "b", "2026-11-25 06:00", "2026-11-25 11:00" } },
    { { NULL } } },
  { "nl/minor17/night/fail", NL, AMSTERDAM, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 18:00", "2026-11-23 23:01" }, { "b", "2026-11-25 05:59", "2026-11-25 11:00" } },
    { { "nl.minor.night", V, "a" }, { "nl.minor.night", V, "b" } } },
  /* Under 16: the stricter rules are not modelled, so a warning on top of
   * the minors' rules, week by week, up to the day before turning 16. */
  { "nl/under-16", NL, AMSTERDAM, AGE15, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 17:00" }, { "b", "2026-11-25 18:00", "2026-11-25 23:30" } },
    { { "nl.minor.under-16", W, "a,b" }, { "nl.minor.night", V, "b" } } },
  { "nl/under-16/16th-birthday", NL, AMSTERDAM, TURNS16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 17:00" }, { "b", "2026-11-24 14:00", "2026-11-24 17:00" } },
    { { "nl.minor.under-16", W, "a" } } },
  { "nl/under-16/two-weeks", NL, AMSTERDAM, AGE15, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-29 14:00", "2026-11-29 17:00" }, { "b", "2026-11-30 14:00", "2026-11-30 17:00" } },
    { { "nl.minor.under-16", W, "a" }, { "nl.minor.under-16", W, "b" } } },
  { "nl/minor16/break/net-of-gross", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 08:00", "2026-11-23 13:45", 15 } }, { { NULL } } },
  { "nl/minor17/rest/exactly-12h", NL, AMSTERDAM, AGE17, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 14:00", "2026-11-23 19:00" }, { "b", "2026-11-24 07:00", "2026-11-24 12:00" } },
    { { NULL } } },
  /* 9 h worked over the autumn night: 23:00-08:00 on the wall clock is
   * 10 h elapsed, so 9 h 15 min worked with a 45 min break. */
  { "nl/dst/minor16-autumn-night", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-24 23:00", "2026-10-25 08:00", 45 } },
    { { "nl.minor.night", V, "a" }, { "nl.minor.shift-length", V, "a" } } },
  { "nl/adult/night", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-11-23 22:00", "2026-11-24 05:00", 30 } }, { { NULL } } },
  /* 12 h elapsed in the spring night (11 h 15 min worked), 13 h in the
   * autumn one (12 h 15 min worked). */
  { "nl/dst/spring", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-03-28 22:00", "2026-03-29 11:00", 45 } }, { { NULL } } },
  { "nl/dst/autumn", NL, AMSTERDAM, ADULT, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-24 22:00", "2026-10-25 10:00", 45 } }, { { "nl.shift-length", V, "a" } } },
  /* The night ends at 06:00 local on the day the clocks go back. */
  { "nl/dst/minor-autumn-morning", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-25 06:00", "2026-10-25 11:00" }, { "b", "2026-10-26 05:59", "2026-10-26 11:00" } },
    { { "nl.minor.night", V, "b" } } },
  { "nl/dst/minor-autumn-evening", NL, AMSTERDAM, AGE16, 0, NULL, NULL, { NULL }, { 0 },
    { { "a", "2026-10-24 18:00", "2026-10-24 23:00" }, { "b", "2026-10-25 18:00", "2026-10-25 23:01" } },
    { { "nl.minor.night", V, "b" } } },
};

static gint64
local_instant (GTimeZone  *zone,
               const char *text)
{
  g_autofree char *date = g_strndup (text, 10);
  int minutes = 0;

  g_assert_true (rota_time_of_day_parse (text + 11, &minutes));

  return rota_time_from_local (zone, date, minutes);
}

static RotaShift *
shift_new (const char *id,
           const char *employee_id,
           gint64      start,
           gint64      end,
           int         break_minutes)
{
  RotaShift *shift = rota_shift_new ();

  shift->id = g_strdup (id);
  shift->employee_id = g_strdup (employee_id);
  shift->department_id = g_strdup ("d1");
  shift->start = start;
  shift->end = end;
  shift->break_minutes = break_minutes;

  return shift;
}

static RotaEmployee *
employee_new (const char *birth)
{
  RotaEmployee *employee = rota_employee_new ();

  employee->id = g_strdup ("e1");
  employee->first_name = g_strdup ("Test");
  employee->last_name = g_strdup ("Employee");
  employee->date_of_birth = g_strdup (birth);

  return employee;
}

static char *
joined_ids (RotaFinding *finding)
{
  return g_strjoinv (",", finding->shift_ids);
}

static void
assert_findings (GPtrArray    *findings,
                 const Expect *expect,
                 guint         n_expect)
{
  gboolean used[16] = { FALSE };

  for (guint i = 0; i < findings->len; i++)
    {
      RotaFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *ids = joined_ids (finding);

      g_test_message ("finding %s %s [%s]: %s",
                      finding->severity == W ? "warning" : "violation",
                      finding->rule, ids, finding->message);
      g_assert_cmpstr (finding->employee_id, ==, "e1");
      g_assert_nonnull (finding->message);
      g_assert_cmpuint (strlen (finding->message), >, 0);
      g_assert_cmpint (finding->start, <=, finding->end);
    }

  g_assert_cmpuint (findings->len, ==, n_expect);
  g_assert_cmpuint (n_expect, <=, G_N_ELEMENTS (used));

  for (guint e = 0; e < n_expect; e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < findings->len && !found; i++)
        {
          RotaFinding *finding = g_ptr_array_index (findings, i);
          g_autofree char *ids = joined_ids (finding);

          if (!used[i] && g_str_equal (finding->rule, expect[e].rule) &&
              finding->severity == expect[e].severity &&
              g_str_equal (ids, expect[e].shift_ids))
            used[i] = found = TRUE;
        }

      if (!found)
        g_error ("expected %s %s [%s] not found", expect[e].rule,
                 expect[e].severity == W ? "warning" : "violation", expect[e].shift_ids);
    }
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (c->zone);
  g_autoptr(RotaEmployee) employee = employee_new (c->birth);
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) absences = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) availability = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) findings = NULL;
  guint n_expect = 0;

  g_assert_nonnull (zone);

  employee->max_hours_week = c->max_hours_week;
  employee->employment_start = g_strdup (c->employment_start);
  employee->employment_end = g_strdup (c->employment_end);

  /* In reverse, to show that order does not matter. */
  for (int i = G_N_ELEMENTS (c->shifts) - 1; i >= 0; i--)
    {
      const ShiftSpec *spec = &c->shifts[i];
      RotaShift *shift;

      if (spec->id == NULL)
        continue;

      shift = shift_new (spec->id, "e1",
                         local_instant (zone, spec->start),
                         local_instant (zone, spec->end),
                         spec->break_minutes);
      shift->deleted = spec->deleted;
      g_ptr_array_add (shifts, shift);
    }

  if (c->absence[0] != NULL)
    {
      RotaAbsence *absence = rota_absence_new ();

      absence->id = g_strdup ("ab1");
      absence->employee_id = g_strdup ("e1");
      absence->kind = ROTA_ABSENCE_KIND_VACATION;
      absence->start_date = g_strdup (c->absence[0]);
      absence->end_date = g_strdup (c->absence[1]);
      g_ptr_array_add (absences, absence);
    }

  if (c->unavailable.weekday != 0 || c->unavailable.date != NULL)
    {
      RotaAvailability *slot = rota_availability_new ();

      slot->id = g_strdup ("av1");
      slot->employee_id = g_strdup ("e1");
      slot->weekday = c->unavailable.weekday;
      slot->date = g_strdup (c->unavailable.date);
      slot->from_time = g_strdup (c->unavailable.from);
      slot->to_time = g_strdup (c->unavailable.to);
      slot->kind = ROTA_AVAILABILITY_KIND_UNAVAILABLE;
      g_ptr_array_add (availability, slot);

      /* An available slot is never a finding. */
      slot = rota_availability_new ();
      slot->id = g_strdup ("av2");
      slot->employee_id = g_strdup ("e1");
      slot->weekday = c->unavailable.weekday;
      slot->date = g_strdup (c->unavailable.date);
      slot->kind = ROTA_AVAILABILITY_KIND_AVAILABLE;
      g_ptr_array_add (availability, slot);
    }

  while (n_expect < G_N_ELEMENTS (c->expect) && c->expect[n_expect].rule != NULL)
    n_expect++;

  findings = rota_rules_check_employee (c->profile, zone, employee, shifts, absences, availability,
                                        ROTA_INSTANT_MIN, ROTA_INSTANT_MAX);
  assert_findings (findings, c->expect, n_expect);
}

/* @weeks weeks from Monday 2026-01-05, each with @per_day net hours
 * (a 45 min break on top) on the first @days days of the week, plus
 * @extra_minutes worked on the Friday of every week. */
static GPtrArray *
weeks_of_shifts (GTimeZone *zone,
                 int        weeks,
                 int        days,
                 int        per_day,
                 int        extra_minutes)
{
  GPtrArray *shifts = g_ptr_array_new_with_free_func (g_object_unref);

  for (int w = 0; w < weeks; w++)
    {
      for (int d = 0; d < days; d++)
        {
          g_autofree char *date = rota_date_add_days ("2026-01-05", w * 7 + d);
          g_autofree char *id = g_strdup_printf ("w%02dd%d", w + 1, d + 1);
          gint64 start = rota_time_from_local (zone, date, 7 * 60);

          g_ptr_array_add (shifts, shift_new (id, "e1", start,
                                              start + per_day * 3600 + 45 * 60, 45));
        }

      if (extra_minutes > 0)
        {
          g_autofree char *date = rota_date_add_days ("2026-01-05", w * 7 + 4);
          g_autofree char *id = g_strdup_printf ("w%02dx", w + 1);
          gint64 start = rota_time_from_local (zone, date, 7 * 60);

          int pause = extra_minutes > 5 * 60 + 30 ? 30 : 0;

          g_ptr_array_add (shifts, shift_new (id, "e1", start,
                                              start + (extra_minutes + pause) * 60, pause));
        }
    }

  return shifts;
}

static void
test_average_4_weeks (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (AMSTERDAM);
  g_autoptr(RotaEmployee) employee = employee_new (ADULT);
  g_autoptr(GPtrArray) pass = weeks_of_shifts (zone, 4, 5, 11, 0);
  g_autoptr(GPtrArray) fail = weeks_of_shifts (zone, 4, 4, 12, 8 * 60);
  g_autoptr(GPtrArray) findings = NULL;
  RotaFinding *finding;

  /* 4 × 55 h: exactly the average allowed. */
  findings = rota_rules_check_employee (NL, zone, employee, pass, NULL, NULL,
                                        ROTA_INSTANT_MIN, ROTA_INSTANT_MAX);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* 4 × 56 h (4 × 12 h and 8 h on Friday): no week is over 60 h, but
   * the window ending with week 4 averages 56 h. */
  findings = rota_rules_check_employee (NL, zone, employee, fail, NULL, NULL,
                                        ROTA_INSTANT_MIN, ROTA_INSTANT_MAX);
  g_assert_cmpuint (findings->len, ==, 1);
  finding = g_ptr_array_index (findings, 0);
  g_test_message ("%s: %s", finding->rule, finding->message);
  g_assert_cmpstr (finding->rule, ==, "nl.average-4-weeks");
  g_assert_cmpint (finding->severity, ==, V);
  g_assert_cmpuint (g_strv_length (finding->shift_ids), ==, 4 * 5);
  g_assert_cmpint (finding->start, >=, rota_time_day_start (zone, "2026-01-26"));
  g_assert_cmpuint (strlen (finding->message), >, 0);
}

static void
test_average_16_weeks (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (AMSTERDAM);
  g_autoptr(RotaEmployee) employee = employee_new (ADULT);
  g_autoptr(GPtrArray) pass = weeks_of_shifts (zone, 16, 4, 12, 0);
  g_autoptr(GPtrArray) fail = weeks_of_shifts (zone, 16, 4, 12, 60);
  g_autoptr(GPtrArray) findings = NULL;
  RotaFinding *finding;
  gint64 week16 = rota_time_day_start (zone, "2026-04-20");

  /* 16 × 48 h: exactly the average allowed. */
  findings = rota_rules_check_employee (NL, zone, employee, pass, NULL, NULL,
                                        ROTA_INSTANT_MIN, ROTA_INSTANT_MAX);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* 16 × 49 h: only the window ending with week 16 holds 16 weeks. */
  findings = rota_rules_check_employee (NL, zone, employee, fail, NULL, NULL,
                                        ROTA_INSTANT_MIN, ROTA_INSTANT_MAX);
  g_assert_cmpuint (findings->len, ==, 1);
  finding = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (finding->rule, ==, "nl.average-16-weeks");
  g_assert_cmpint (finding->severity, ==, V);
  g_assert_cmpuint (g_strv_length (finding->shift_ids), ==, 16 * 5);
  g_assert_cmpstr (finding->shift_ids[0], ==, "w01d1");
  g_assert_cmpint (finding->start, >=, week16);
  g_assert_cmpuint (strlen (finding->message), >, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* Checking only week 16 still looks back over the 15 before it... */
  findings = rota_rules_check_employee (NL, zone, employee, fail, NULL, NULL,
                                        week16, week16 + 7 * 86400);
  g_assert_cmpuint (findings->len, ==, 1);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* ...and a range that ends before it has nothing to report. */
  findings = rota_rules_check_employee (NL, zone, employee, fail, NULL, NULL,
                                        ROTA_INSTANT_MIN, week16);
  g_assert_cmpuint (findings->len, ==, 0);
}

static void
test_other_employee (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (BERLIN);
  g_autoptr(RotaEmployee) employee = employee_new (ADULT);
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) findings = NULL;
  gint64 start = local_instant (zone, "2026-11-23 08:00");

  g_ptr_array_add (shifts, shift_new ("a", "e1", start, start + 4 * 3600, 0));
  g_ptr_array_add (shifts, shift_new ("b", "e2", start, start + 4 * 3600, 0));

  findings = rota_rules_check_employee (DE, zone, employee, shifts, NULL, NULL,
                                        ROTA_INSTANT_MIN, ROTA_INSTANT_MAX);
  g_assert_cmpuint (findings->len, ==, 0);
}

static void
test_finding_boxed (void)
{
  const char *ids[] = { "a", "b", NULL };
  g_autoptr(RotaFinding) finding = rota_finding_new (V, "de.rest", "e1", ids, 10, 20, "message");
  g_autoptr(RotaFinding) copy = g_boxed_copy (ROTA_TYPE_FINDING, finding);

  g_assert_true (G_TYPE_IS_BOXED (ROTA_TYPE_FINDING));
  g_assert_cmpint (copy->severity, ==, V);
  g_assert_cmpstr (copy->rule, ==, "de.rest");
  g_assert_cmpstr (copy->employee_id, ==, "e1");
  g_assert_cmpstrv (copy->shift_ids, ids);
  g_assert_cmpint (copy->start, ==, 10);
  g_assert_cmpint (copy->end, ==, 20);
  g_assert_cmpstr (copy->message, ==, "message");
  g_assert_true (copy->shift_ids != finding->shift_ids);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/rules/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }

  g_test_add_func ("/core/rules/nl/average-4-weeks", test_average_4_weeks);
  g_test_add_func ("/core/rules/nl/average-16-weeks", test_average_16_weeks);
  g_test_add_func ("/core/rules/other-employee", test_other_employee);
  g_test_add_func ("/core/rules/finding-boxed", test_finding_boxed);

  return g_test_run ();
}
