/* test-time.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gio/gio.h>

#include "rota-time.h"

/* Expected epoch values below were computed outside Rota, with
 * `date -u -d ... +%s` and `TZ=... date -d ... +%s` (tzdata 2024a). */

/* DST changes of 2026 in Europe/Amsterdam and Europe/Berlin. */
#define SPRING_2026 G_GINT64_CONSTANT (1774746000) /* 2026-03-29T01:00:00Z */
#define AUTUMN_2026 G_GINT64_CONSTANT (1792890000) /* 2026-10-25T01:00:00Z */
#define SAMPLE      G_GINT64_CONSTANT (1781526896) /* 2026-06-15T12:34:56Z */

typedef struct
{
  const char *text;
  gint64      expected;
} InstantCase;

static GTimeZone *
get_zone (const char *identifier)
{
  GTimeZone *tz = rota_time_zone_get (identifier);

  g_assert_nonnull (tz);
  return tz;
}

static gint64
random_instant (GRand *rand)
{
  double span = (double) (ROTA_INSTANT_MAX - ROTA_INSTANT_MIN);

  return ROTA_INSTANT_MIN + (gint64) (g_rand_double (rand) * span);
}

static void
assert_work_date (gint64      instant,
                  GTimeZone  *tz,
                  const char *expected)
{
  g_autofree char *date = rota_time_work_date (instant, tz);

  g_assert_cmpstr (date, ==, expected);
}

static void
assert_format_local (gint64      instant,
                     GTimeZone  *tz,
                     const char *expected)
{
  g_autofree char *text = rota_instant_format_local (instant, tz);

  g_assert_cmpstr (text, ==, expected);
}

/* Time zones */

static void
test_zone_known (void)
{
  GTimeZone *ams = get_zone ("Europe/Amsterdam");
  GTimeZone *ber = get_zone ("Europe/Berlin");
  GTimeZone *utc = get_zone ("UTC");

  g_assert_cmpstr (g_time_zone_get_identifier (ams), ==, "Europe/Amsterdam");
  g_assert_cmpstr (g_time_zone_get_identifier (ber), ==, "Europe/Berlin");
  g_assert_cmpstr (g_time_zone_get_identifier (utc), ==, "UTC");

  /* Cached: the same object every time, and NULL means the default. */
  g_assert_true (rota_time_zone_get ("Europe/Amsterdam") == ams);
  g_assert_true (rota_time_zone_get (NULL) == ams);
  g_assert_true (rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE) == ams);
  g_assert_true (ams != ber);

  g_assert_true (rota_time_zone_is_valid ("Europe/Amsterdam"));
  g_assert_true (rota_time_zone_is_valid ("Europe/Berlin"));
  g_assert_true (rota_time_zone_is_valid ("UTC"));
  g_assert_true (rota_time_zone_is_valid ("Etc/GMT+1"));
  g_assert_true (rota_time_zone_is_valid ("America/Argentina/Buenos_Aires"));
  g_assert_true (rota_time_zone_is_valid ("Asia/Kolkata"));
}

static void
test_zone_unknown (void)
{
  static const char *const identifiers[] = {
    "Nope/Zone",
    "Europe/Atlantis",
    "",
    " ",
    "europe/amsterdam",        /* names are case-sensitive */
    "Europe/Amsterdam ",
    "Europe/",
    "Europe",                  /* a directory */
    "/Europe/Amsterdam",
    "Europe//Amsterdam",
    "/etc/localtime",          /* file paths */
    "/etc/passwd",
    "../zoneinfo/UTC",
    "Europe/../Europe/Berlin",
    "zone.tab",                /* tzdata files that are not zones */
    "leapseconds",
    "tzdata.zi",
    "+01:00",                  /* fixed offsets */
    "-05",
    "Z",
    "ABC3",                    /* POSIX TZ rules */
    "CET-1CEST,M3.5.0,M10.5.0/3",
    "utc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (identifiers); i++)
    {
      g_test_message ("rejecting time zone \"%s\"", identifiers[i]);
      g_assert_null (rota_time_zone_get (identifiers[i]));
      g_assert_false (rota_time_zone_is_valid (identifiers[i]));
    }

  g_assert_false (rota_time_zone_is_valid (NULL));
}

#define N_ZONE_THREADS 8

static const char *const thread_zones[] = {
  "Asia/Tokyo", "Africa/Nairobi", "America/Denver", "Europe/Lisbon",
  "Australia/Sydney", "Europe/Helsinki",
};

static gpointer
zone_thread (gpointer data)
{
  GTimeZone **seen = data;

  for (guint round = 0; round < 50; round++)
    for (guint i = 0; i < G_N_ELEMENTS (thread_zones); i++)
      {
        GTimeZone *tz = rota_time_zone_get (thread_zones[i]);
        gint64 instant;
        gint32 offset;

        g_assert_nonnull (tz);
        if (round == 0)
          seen[i] = tz;
        else
          g_assert_true (seen[i] == tz);

        /* Use the zone while others may still be adding theirs: noon
         * local is 2026-06-15T12:00:00Z on the local wall clock. */
        instant = rota_time_from_local (tz, "2026-06-15", 12 * 60);
        offset = g_time_zone_get_offset (tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL,
                                                                        instant));
        g_assert_cmpint (instant + offset, ==, G_GINT64_CONSTANT (1781524800));
        g_assert_cmpint (rota_time_local_minutes (instant, tz), ==, 12 * 60);
      }

  return NULL;
}

static void
test_zone_threads (void)
{
  GThread *threads[N_ZONE_THREADS];
  GTimeZone *seen[N_ZONE_THREADS][G_N_ELEMENTS (thread_zones)];

  for (guint i = 0; i < N_ZONE_THREADS; i++)
    threads[i] = g_thread_new ("zone", zone_thread, seen[i]);

  for (guint i = 0; i < N_ZONE_THREADS; i++)
    g_thread_join (threads[i]);

  for (guint i = 1; i < N_ZONE_THREADS; i++)
    for (guint j = 0; j < G_N_ELEMENTS (thread_zones); j++)
      g_assert_true (seen[i][j] == seen[0][j]);
}

/* Instants */

static void
test_instant_parse_valid (void)
{
  static const InstantCase cases[] = {
    { "2026-06-15T12:34:56Z", SAMPLE },
    { "2026-06-15T12:34:56+00:00", SAMPLE },
    { "2026-06-15T12:34:56-00:00", SAMPLE },
    { "2026-06-15T14:34:56+02:00", SAMPLE },
    { "2026-06-15T07:04:56-05:30", SAMPLE },
    { "2026-06-16T02:19:56+13:45", SAMPLE },
    { "2026-06-15T12:34:56.999Z", SAMPLE },             /* truncated */
    { "2026-06-15T12:34:56.1+00:00", SAMPLE },
    { "2026-06-15T12:34:56.123456789012Z", SAMPLE },
    { "2026-06-15T12:34Z", SAMPLE - 56 },
    { "2026-06-15T14:34:56", SAMPLE },                  /* Amsterdam, CEST */
    { "2026-06-15T14:34:56.5", SAMPLE },
    { "2026-06-15T14:34", SAMPLE - 56 },
    { "2026-01-15T23:30:00", G_GINT64_CONSTANT (1768516200) }, /* CET */
    { "2024-02-29T12:00:00Z", G_GINT64_CONSTANT (1709208000) },
    { "2026-12-31T23:30:00Z", G_GINT64_CONSTANT (1798759800) },
    { "2000-01-01T00:00:00Z", ROTA_INSTANT_MIN },
    { "2000-01-01T01:00:00+01:00", ROTA_INSTANT_MIN },
    { "2000-01-01T01:00:00", ROTA_INSTANT_MIN },        /* Amsterdam, CET */
    { "1999-12-31T23:30:00-01:00", G_GINT64_CONSTANT (946686600) },
    { "2099-12-31T23:59:59Z", ROTA_INSTANT_MAX - 1 },
    { "2099-12-31T23:59:59.999999999Z", ROTA_INSTANT_MAX - 1 },
    { "2026-03-29T01:59:59", SPRING_2026 - 1 },
    { "2026-03-29T02:30:00", SPRING_2026 + 1800 },      /* gap: 03:30 CEST */
    { "2026-03-29T03:00:00", SPRING_2026 },
    { "2026-10-25T02:30:00", AUTUMN_2026 - 1800 },      /* first 02:30 */
    { "2026-10-25T02:30:00+02:00", AUTUMN_2026 - 1800 },
    { "2026-10-25T02:30:00+01:00", AUTUMN_2026 + 1800 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 instant = -1;

      g_test_message ("parsing \"%s\"", cases[i].text);
      g_assert_true (rota_instant_parse (cases[i].text, NULL, &instant));
      g_assert_cmpint (instant, ==, cases[i].expected);
    }

  /* The output is optional. */
  g_assert_true (rota_instant_parse ("2026-06-15T12:34:56Z", NULL, NULL));
}

static void
test_instant_parse_invalid (void)
{
  static const char *const texts[] = {
    "",
    " ",
    "garbage",
    "now",
    "1781526896",
    "2026-06-15",
    "2026-06-15T",
    "2026-06-15T12",
    "2026-06-15T12:",
    "2026-06-15T12:3",
    "2026-06-15T12:34:",
    "2026-06-15T12:34:5Z",
    "2026-06-15T1:34:56Z",
    "2026-6-15T12:34:56Z",
    "2026-06-5T12:34:56Z",
    "26-06-15T12:34:56Z",
    "+2026-06-15T12:34:56Z",
    "02026-06-15T12:34:56Z",
    "2026-02-30T10:00:00Z",
    "2025-02-29T10:00:00Z",
    "2100-02-29T10:00:00Z",
    "2026-04-31T10:00:00Z",
    "2026-13-01T10:00:00Z",
    "2026-00-10T10:00:00Z",
    "2026-01-00T10:00:00Z",
    "2026-01-32T10:00:00Z",
    "0000-01-01T00:00:00Z",
    "2026-06-15T24:00:00Z",
    "2026-06-15T25:00:00Z",
    "2026-06-15T12:60:00Z",
    "2026-06-15T12:34:60Z",
    "2026-06-15T12:34:99Z",
    "2026-06-15 12:34:56Z",
    "2026-06-15t12:34:56Z",
    "2026-06-15T12:34:56z",
    "2026-06-15T12:34:56.Z",
    "2026-06-15T12:34:56.",
    "2026-06-15T12:34:56,5Z",
    "2026-06-15T12:34.5Z",
    "2026-06-15T12:34:56ZZ",
    "2026-06-15T12:34:56Z ",
    " 2026-06-15T12:34:56Z",
    "2026-06-15T12:34:56Z\n",
    "2026-06-15T12:34:56Zgarbage",
    "2026-06-15T12:34:56+02:00x",
    "2026-06-15T12:34:56+02:00Z",
    "2026-06-15T12:34:56Z+02:00",
    "2026-06-15T12:34:56+0200",
    "2026-06-15T12:34:56+02",
    "2026-06-15T12:34:56+2:00",
    "2026-06-15T12:34:56+",
    "2026-06-15T12:34:56-",
    "2026-06-15T12:34:56+24:00",
    "2026-06-15T12:34:56+02:60",
    "2026-06-15T12:34:56 +02:00",
    "20260615T123456Z",
    "2026-W25-1T12:00:00Z",
    "2026-166T12:00:00Z",
    "2026-06-15T12:34:56 UTC",
    "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-06-15T12:34:56Z",
    /* Out of the Rota range. */
    "1999-12-31T23:59:59Z",
    "2000-01-01T00:59:59+01:00",
    "2000-01-01T00:30:00",     /* Amsterdam: 1999-12-31T23:30:00Z */
    "2100-01-01T00:00:00Z",
    "2099-12-31T23:59:59-00:01",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gint64 instant = 42;

      g_test_message ("rejecting instant \"%s\"", texts[i]);
      g_assert_false (rota_instant_parse (texts[i], NULL, &instant));
      g_assert_cmpint (instant, ==, 42);
    }
}

static void
test_instant_parse_default_zone (void)
{
  gint64 instant = 0;

  /* 09:15 local on 2026-07-01 (summer) and 08:00 on 2026-01-15 (winter). */
  g_assert_true (rota_instant_parse ("2026-07-01T09:15:00", get_zone ("Europe/Amsterdam"),
                                     &instant));
  g_assert_cmpint (instant, ==, G_GINT64_CONSTANT (1782890100));
  g_assert_true (rota_instant_parse ("2026-07-01T09:15:00", NULL, &instant));
  g_assert_cmpint (instant, ==, G_GINT64_CONSTANT (1782890100));
  g_assert_true (rota_instant_parse ("2026-01-15T08:00:00", get_zone ("Europe/Berlin"), &instant));
  g_assert_cmpint (instant, ==, G_GINT64_CONSTANT (1768460400));
  g_assert_true (rota_instant_parse ("2026-07-01T09:15:00", get_zone ("Asia/Kolkata"), &instant));
  g_assert_cmpint (instant, ==, G_GINT64_CONSTANT (1782877500));
  g_assert_true (rota_instant_parse ("2026-06-15T12:34:56", get_zone ("UTC"), &instant));
  g_assert_cmpint (instant, ==, SAMPLE);

  /* An explicit offset wins over the default zone. */
  g_assert_true (rota_instant_parse ("2026-06-15T12:34:56Z", get_zone ("Asia/Kolkata"), &instant));
  g_assert_cmpint (instant, ==, SAMPLE);

  /* A zone Rota did not create works as well. */
  {
    g_autoptr(GTimeZone) plus_one = g_time_zone_new_offset (3600);

    g_assert_true (rota_instant_parse ("2026-06-15T13:34:56", plus_one, &instant));
    g_assert_cmpint (instant, ==, SAMPLE);
  }
}

static void
test_instant_range (void)
{
  g_assert_true (rota_instant_is_valid (ROTA_INSTANT_MIN));
  g_assert_true (rota_instant_is_valid (SAMPLE));
  g_assert_true (rota_instant_is_valid (ROTA_INSTANT_MAX - 1));
  g_assert_false (rota_instant_is_valid (ROTA_INSTANT_MIN - 1));
  g_assert_false (rota_instant_is_valid (ROTA_INSTANT_MAX));
  g_assert_false (rota_instant_is_valid (0));
  g_assert_false (rota_instant_is_valid (-1));
  g_assert_false (rota_instant_is_valid (G_MININT64));
  g_assert_false (rota_instant_is_valid (G_MAXINT64));
}

static void
test_instant_format (void)
{
  static const InstantCase cases[] = {
    { "2026-06-15T12:34:56Z", SAMPLE },
    { "2000-01-01T00:00:00Z", ROTA_INSTANT_MIN },
    { "2099-12-31T23:59:59Z", ROTA_INSTANT_MAX - 1 },
    { "2100-01-01T00:00:00Z", ROTA_INSTANT_MAX },
    { "1970-01-01T00:00:00Z", 0 },
    { "1969-12-31T23:59:59Z", -1 },
    { "2024-02-29T12:00:00Z", G_GINT64_CONSTANT (1709208000) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = rota_instant_format (cases[i].expected);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_instant_format_local (void)
{
  GTimeZone *ams = get_zone ("Europe/Amsterdam");
  GTimeZone *ber = get_zone ("Europe/Berlin");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260329);

  assert_format_local (SAMPLE, ams, "2026-06-15T14:34:56+02:00");
  assert_format_local (SAMPLE, ber, "2026-06-15T14:34:56+02:00");
  assert_format_local (SAMPLE, get_zone ("UTC"), "2026-06-15T12:34:56+00:00");
  assert_format_local (SAMPLE, get_zone ("Asia/Kolkata"), "2026-06-15T18:04:56+05:30");
  assert_format_local (SAMPLE, get_zone ("America/New_York"), "2026-06-15T08:34:56-04:00");
  assert_format_local (G_GINT64_CONSTANT (1768516200), ams, "2026-01-15T23:30:00+01:00");

  /* Either side of both 2026 changes. */
  assert_format_local (SPRING_2026 - 1, ams, "2026-03-29T01:59:59+01:00");
  assert_format_local (SPRING_2026, ams, "2026-03-29T03:00:00+02:00");
  assert_format_local (AUTUMN_2026 - 1, ber, "2026-10-25T02:59:59+02:00");
  assert_format_local (AUTUMN_2026, ber, "2026-10-25T02:00:00+01:00");

  /* Local mean time before 1909: Amsterdam was 19 min 32 s ahead of UTC;
   * 1900-01-01T00:00:00Z is -2208988800. */
  assert_format_local (G_GINT64_CONSTANT (-2208988800), ams, "1900-01-01T00:19:32+00:19:32");

  /* Whatever format_local writes, parse reads back. */
  for (guint i = 0; i < 2000; i++)
    {
      gint64 instant = random_instant (rand);
      g_autofree char *local = rota_instant_format_local (instant, i % 2 ? ams : ber);
      g_autofree char *utc = rota_instant_format (instant);
      gint64 parsed = 0;

      g_assert_true (rota_instant_parse (local, NULL, &parsed));
      g_assert_cmpint (parsed, ==, instant);
      g_assert_true (rota_instant_parse (utc, NULL, &parsed));
      g_assert_cmpint (parsed, ==, instant);
    }
}

/* DST */

static void
check_night_shifts (const char *zone)
{
  GTimeZone *tz = get_zone (zone);
  gint64 start, end;

  /* 22:00-06:00 across the spring change is 7 hours... */
  start = rota_time_from_local (tz, "2026-03-28", 22 * 60);
  end = rota_time_from_local (tz, "2026-03-29", 6 * 60);
  g_assert_cmpint (start, ==, G_GINT64_CONSTANT (1774731600)); /* 21:00Z */
  g_assert_cmpint (end, ==, G_GINT64_CONSTANT (1774756800));   /* 04:00Z */
  g_assert_cmpint (end - start, ==, 7 * 3600);

  /* ...also when the end is given as 30:00 of the first day... */
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-28", 30 * 60), ==, end);

  /* ...and 9 hours across the autumn change. */
  start = rota_time_from_local (tz, "2026-10-24", 22 * 60);
  end = rota_time_from_local (tz, "2026-10-25", 6 * 60);
  g_assert_cmpint (start, ==, G_GINT64_CONSTANT (1792872000)); /* 20:00Z */
  g_assert_cmpint (end, ==, G_GINT64_CONSTANT (1792904400));   /* 05:00Z */
  g_assert_cmpint (end - start, ==, 9 * 3600);
  g_assert_cmpint (rota_time_from_local (tz, "2026-10-24", 30 * 60), ==, end);

  /* A week before, the same shift is 8 hours. */
  g_assert_cmpint (rota_time_from_local (tz, "2026-10-18", 6 * 60) -
                   rota_time_from_local (tz, "2026-10-17", 22 * 60), ==, 8 * 3600);

  /* The change days are 23 and 25 hours long. */
  g_assert_cmpint (rota_time_day_start (tz, "2026-03-29"), ==, G_GINT64_CONSTANT (1774738800));
  g_assert_cmpint (rota_time_day_start (tz, "2026-03-30") -
                   rota_time_day_start (tz, "2026-03-29"), ==, 23 * 3600);
  g_assert_cmpint (rota_time_day_start (tz, "2026-10-25"), ==, G_GINT64_CONSTANT (1792879200));
  g_assert_cmpint (rota_time_day_start (tz, "2026-10-26") -
                   rota_time_day_start (tz, "2026-10-25"), ==, 25 * 3600);
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-29", 1440), ==,
                   rota_time_day_start (tz, "2026-03-30"));

  /* Work dates and wall clocks stay right through the change. */
  assert_work_date (SPRING_2026 - 1, tz, "2026-03-29");
  assert_work_date (SPRING_2026, tz, "2026-03-29");
  g_assert_cmpint (rota_time_local_minutes (SPRING_2026 - 60, tz), ==, 1 * 60 + 59);
  g_assert_cmpint (rota_time_local_minutes (SPRING_2026, tz), ==, 3 * 60);
  g_assert_cmpint (rota_time_local_minutes (AUTUMN_2026 - 60, tz), ==, 2 * 60 + 59);
  g_assert_cmpint (rota_time_local_minutes (AUTUMN_2026, tz), ==, 2 * 60);
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (1792904400), tz), ==, 6 * 60);

  /* The same changes in 2099 (29 March, 25 October), near the end of the
   * range, where tzdata has no explicit transitions left. */
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (4078429200) - 1, tz),
                   ==, 1 * 60 + 59);
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (4078429200), tz), ==, 3 * 60);
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (4096573200) - 1, tz),
                   ==, 2 * 60 + 59);
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (4096573200), tz), ==, 2 * 60);
}

static void
test_dst_amsterdam_night_shifts (void)
{
  check_night_shifts ("Europe/Amsterdam");
}

static void
test_dst_berlin_night_shifts (void)
{
  check_night_shifts ("Europe/Berlin");
}

static void
check_gap (GTimeZone *tz)
{
  gint64 instant = 0;

  /* 02:00-02:59 do not exist on 2026-03-29: moved forward by the hour. */
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-29", 1 * 60 + 59), ==, SPRING_2026 - 60);
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-29", 2 * 60), ==, SPRING_2026);
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-29", 2 * 60 + 30), ==, SPRING_2026 + 1800);
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-29", 2 * 60 + 59), ==, SPRING_2026 + 3540);
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-29", 3 * 60), ==, SPRING_2026);
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-29", 3 * 60 + 30), ==, SPRING_2026 + 1800);
  instant = rota_time_from_local (tz, "2026-03-29", 2 * 60 + 30);
  g_assert_cmpint (rota_time_local_minutes (instant, tz), ==, 3 * 60 + 30);

  g_assert_true (rota_instant_parse ("2026-03-29T02:30:00", tz, &instant));
  g_assert_cmpint (instant, ==, SPRING_2026 + 1800);
  assert_format_local (instant, tz, "2026-03-29T03:30:00+02:00");
  g_assert_true (rota_instant_parse ("2026-03-29T02:00:00", tz, &instant));
  g_assert_cmpint (instant, ==, SPRING_2026);
  g_assert_true (rota_instant_parse ("2026-03-29T02:59:59", tz, &instant));
  g_assert_cmpint (instant, ==, SPRING_2026 + 3599);
}

static void
check_ambiguous (GTimeZone *tz)
{
  gint64 instant = 0;

  /* 02:00-02:59 happen twice on 2026-10-25: the first (CEST) one wins. */
  g_assert_cmpint (rota_time_from_local (tz, "2026-10-25", 1 * 60 + 59), ==, AUTUMN_2026 - 3660);
  g_assert_cmpint (rota_time_from_local (tz, "2026-10-25", 2 * 60), ==, AUTUMN_2026 - 3600);
  g_assert_cmpint (rota_time_from_local (tz, "2026-10-25", 2 * 60 + 30), ==, AUTUMN_2026 - 1800);
  g_assert_cmpint (rota_time_from_local (tz, "2026-10-25", 2 * 60 + 59), ==, AUTUMN_2026 - 60);
  g_assert_cmpint (rota_time_from_local (tz, "2026-10-25", 3 * 60), ==, AUTUMN_2026 + 3600);

  g_assert_true (rota_instant_parse ("2026-10-25T02:30:00", tz, &instant));
  g_assert_cmpint (instant, ==, AUTUMN_2026 - 1800);
  assert_format_local (instant, tz, "2026-10-25T02:30:00+02:00");
  g_assert_true (rota_instant_parse ("2026-10-25T02:59:59", tz, &instant));
  g_assert_cmpint (instant, ==, AUTUMN_2026 - 1);

  /* The second 02:30 is reachable with an explicit offset. */
  g_assert_true (rota_instant_parse ("2026-10-25T02:30:00+01:00", tz, &instant));
  g_assert_cmpint (instant, ==, AUTUMN_2026 + 1800);
  assert_format_local (instant, tz, "2026-10-25T02:30:00+01:00");
}

static void
test_dst_amsterdam_gap (void)
{
  check_gap (get_zone ("Europe/Amsterdam"));
}

static void
test_dst_berlin_gap (void)
{
  check_gap (get_zone ("Europe/Berlin"));
}

static void
test_dst_amsterdam_autumn (void)
{
  check_ambiguous (get_zone ("Europe/Amsterdam"));
}

static void
test_dst_berlin_autumn (void)
{
  check_ambiguous (get_zone ("Europe/Berlin"));
}

static void
test_dst_new_york (void)
{
  GTimeZone *tz = get_zone ("America/New_York");

  /* US changes: 2026-03-08 02:00 and 2026-11-01 02:00 local. */
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-08", 1 * 60 + 59),
                   ==, G_GINT64_CONSTANT (1772953140));
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-08", 3 * 60),
                   ==, G_GINT64_CONSTANT (1772953200));
  g_assert_cmpint (rota_time_from_local (tz, "2026-03-08", 2 * 60 + 15),
                   ==, G_GINT64_CONSTANT (1772953200) + 900);
  g_assert_cmpint (rota_time_from_local (tz, "2026-11-01", 1 * 60 + 30),
                   ==, G_GINT64_CONSTANT (1793511000));
}

/* Local time around midnight */

static void
check_midnight (const char *zone)
{
  GTimeZone *tz = get_zone (zone);
  GTimeZone *utc = get_zone ("UTC");

  /* Winter: 23:30 and 00:30 local are 22:30Z and 23:30Z on the 15th. */
  assert_work_date (G_GINT64_CONSTANT (1768516200), tz, "2026-01-15");
  assert_work_date (G_GINT64_CONSTANT (1768519800), tz, "2026-01-16");
  assert_work_date (G_GINT64_CONSTANT (1768519800), utc, "2026-01-15");
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (1768516200), tz), ==, 23 * 60 + 30);
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (1768519800), tz), ==, 30);
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (1768519800), utc), ==, 23 * 60 + 30);

  /* The last second of a day and the first of the next. */
  assert_work_date (G_GINT64_CONSTANT (1768517999), tz, "2026-01-15");
  assert_work_date (G_GINT64_CONSTANT (1768518000), tz, "2026-01-16");
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (1768517999), tz), ==, 1439);
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (1768518000), tz), ==, 0);
  g_assert_cmpint (rota_time_day_start (tz, "2026-01-16"), ==, G_GINT64_CONSTANT (1768518000));

  /* Summer: 23:30 and 00:30 local are 21:30Z and 22:30Z on 30 June. */
  assert_work_date (G_GINT64_CONSTANT (1782855000), tz, "2026-06-30");
  assert_work_date (G_GINT64_CONSTANT (1782858600), tz, "2026-07-01");
  assert_work_date (G_GINT64_CONSTANT (1782858600), utc, "2026-06-30");
  g_assert_cmpint (rota_time_from_local (tz, "2026-06-30", 23 * 60 + 30),
                   ==, G_GINT64_CONSTANT (1782855000));
  g_assert_cmpint (rota_time_from_local (tz, "2026-07-01", 30), ==, G_GINT64_CONSTANT (1782858600));
  g_assert_cmpint (rota_time_from_local (tz, "2026-06-30", 24 * 60 + 30),
                   ==, G_GINT64_CONSTANT (1782858600));

  /* New Year: 2026-12-31T23:30:00Z is already 00:30 in 2027 locally. */
  assert_work_date (G_GINT64_CONSTANT (1798759800), tz, "2027-01-01");
  assert_work_date (G_GINT64_CONSTANT (1798759800), utc, "2026-12-31");
  g_assert_cmpint (rota_time_local_minutes (G_GINT64_CONSTANT (1798759800), tz), ==, 30);

  /* Both ends of the range. */
  assert_work_date (ROTA_INSTANT_MIN, tz, "2000-01-01");
  assert_work_date (ROTA_INSTANT_MIN, utc, "2000-01-01");
  assert_work_date (ROTA_INSTANT_MAX - 1, tz, "2100-01-01");
  assert_work_date (ROTA_INSTANT_MAX - 1, utc, "2099-12-31");
}

static void
test_local_midnight_amsterdam (void)
{
  check_midnight ("Europe/Amsterdam");
}

static void
test_local_midnight_berlin (void)
{
  check_midnight ("Europe/Berlin");
}

static void
test_local_other_zones (void)
{
  /* 2026-01-16T04:00:00Z is still the 15th in Los Angeles and 13:00 on
   * the 16th in Tokyo. */
  gint64 instant = G_GINT64_CONSTANT (1768536000);

  assert_work_date (instant, get_zone ("America/Los_Angeles"), "2026-01-15");
  assert_work_date (instant, get_zone ("Asia/Tokyo"), "2026-01-16");
  assert_work_date (instant, get_zone ("Europe/Amsterdam"), "2026-01-16");
  g_assert_cmpint (rota_time_from_local (get_zone ("America/Los_Angeles"), "2026-01-15", 20 * 60),
                   ==, instant);
  g_assert_cmpint (rota_time_from_local (get_zone ("Asia/Tokyo"), "2026-01-16", 8 * 60),
                   ==, G_GINT64_CONSTANT (1768518000));
  g_assert_cmpint (rota_time_local_minutes (instant, get_zone ("Asia/Kolkata")), ==, 9 * 60 + 30);
}

static void
test_local_from_local (void)
{
  GTimeZone *ams = get_zone ("Europe/Amsterdam");
  gint64 day_start = G_GINT64_CONSTANT (1767222000); /* 2026-01-01 00:00 CET */

  g_assert_cmpint (rota_time_day_start (ams, "2026-01-01"), ==, day_start);
  g_assert_cmpint (rota_time_from_local (ams, "2026-01-01", 0), ==, day_start);
  g_assert_cmpint (rota_time_from_local (ams, "2026-01-01", 1439), ==, day_start + 1439 * 60);
  g_assert_cmpint (rota_time_from_local (ams, "2026-01-01", 1440), ==, day_start + 86400);

  /* 1800 minutes is 06:00 on the next day. */
  g_assert_cmpint (rota_time_from_local (ams, "2026-01-01", 1800),
                   ==, G_GINT64_CONSTANT (1767330000));
  g_assert_cmpint (rota_time_from_local (ams, "2026-01-02", 360),
                   ==, G_GINT64_CONSTANT (1767330000));

  /* Negative minutes reach back: 2025-12-31 23:00. */
  g_assert_cmpint (rota_time_from_local (ams, "2026-01-01", -60),
                   ==, G_GINT64_CONSTANT (1767218400));

  /* Whole days are added before the wall time is resolved: 26:30 on
   * 2026-03-28 is 02:30 on the change day, moved to 03:30. */
  g_assert_cmpint (rota_time_from_local (ams, "2026-03-28", 26 * 60 + 30), ==, SPRING_2026 + 1800);
  g_assert_cmpint (rota_time_from_local (ams, "2026-10-24", 26 * 60 + 30), ==, AUTUMN_2026 - 1800);
}

/* Compares the zone functions with GDateTime for many instants, in zones
 * with odd offsets and DST rules, and in zones Rota did not create. */
static void
test_local_against_gdatetime (void)
{
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GTimeZone) fixed = g_time_zone_new_offset (-(3 * 3600 + 30 * 60));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261025);
  GTimeZone *zones[] = {
    get_zone ("Europe/Amsterdam"),
    get_zone ("Europe/Berlin"),
    get_zone ("UTC"),
    get_zone ("America/Sao_Paulo"),
    get_zone ("Australia/Lord_Howe"),
    get_zone ("Pacific/Chatham"),
    get_zone ("Asia/Kathmandu"),
    get_zone ("America/St_Johns"),
    chicago,
    fixed,
  };

  g_assert_nonnull (chicago);

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_test_message ("comparing %s", g_time_zone_get_identifier (zones[z]));

      for (guint i = 0; i < 4000; i++)
        {
          gint64 instant;
          g_autoptr(GDateTime) utc = NULL;
          g_autoptr(GDateTime) local = NULL;
          g_autofree char *expected_date = NULL;
          g_autofree char *date = NULL;
          int expected_minutes;
          gint64 resolved;

          /* Half random over the whole range, half every 10 minutes
           * around the 2026 changes in both hemispheres. */
          if (i % 2 == 0)
            instant = random_instant (rand);
          else if (i % 4 == 1)
            instant = SPRING_2026 - 25 * 86400 + (i / 4) * 600 * 7;
          else
            instant = AUTUMN_2026 - 28 * 86400 + (i / 4) * 600 * 17;
          instant -= instant % 60;

          utc = g_date_time_new_from_unix_utc (instant);
          local = g_date_time_to_timezone (utc, zones[z]);
          expected_date = g_date_time_format (local, "%Y-%m-%d");
          expected_minutes = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);

          date = rota_time_work_date (instant, zones[z]);
          g_assert_cmpstr (date, ==, expected_date);
          g_assert_cmpint (rota_time_local_minutes (instant, zones[z]), ==, expected_minutes);

          /* Back from the wall clock: the same instant, or the first
           * occurrence of a repeated wall time. */
          resolved = rota_time_from_local (zones[z], date, expected_minutes);
          if (resolved != instant)
            {
              g_autofree char *resolved_date = rota_time_work_date (resolved, zones[z]);

              g_assert_cmpint (resolved, <, instant);
              g_assert_cmpint (instant - resolved, <=, 2 * 3600);
              g_assert_cmpstr (resolved_date, ==, date);
              g_assert_cmpint (rota_time_local_minutes (resolved, zones[z]), ==, expected_minutes);
            }
        }
    }
}

/* The offset and its span agree with GDateTime; the span holds the
 * instant and one offset throughout, and for a zone Rota made it runs
 * from one change to the next. */
static void
test_zone_offset (void)
{
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  GTimeZone *amsterdam = get_zone ("Europe/Amsterdam");
  GTimeZone *zones[] = {
    amsterdam,
    get_zone ("UTC"),
    get_zone ("Australia/Lord_Howe"),
    get_zone ("Pacific/Chatham"),
    chicago,
  };
  gint64 start, end;

  g_assert_nonnull (chicago);

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      for (guint i = 0; i < 2000; i++)
        {
          gint64 instant = i % 2 == 0 ? random_instant (rand) : AUTUMN_2026 - 3600 + (i / 2) * 7;
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (instant);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zones[z]);
          gint32 offset = rota_time_zone_offset (zones[z], instant, &start, &end);

          g_assert_cmpint (offset, ==, g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND);
          g_assert_cmpint (start, <=, instant);
          g_assert_cmpint (instant, <, end);
          g_assert_cmpint (rota_time_zone_offset (zones[z], start, NULL, NULL), ==, offset);
          g_assert_cmpint (rota_time_zone_offset (zones[z], end - 1, NULL, NULL), ==, offset);

          if (zones[z] == chicago)
            {
              g_assert_cmpint (start, ==, instant);
              g_assert_cmpint (end, ==, instant + 1);
            }
        }
    }

  /* Amsterdam's summer time of 2026, exactly. */
  g_assert_cmpint (rota_time_zone_offset (amsterdam, SPRING_2026 + 86400, &start, &end), ==, 7200);
  g_assert_cmpint (start, ==, SPRING_2026);
  g_assert_cmpint (end, ==, AUTUMN_2026);
  g_assert_cmpint (rota_time_zone_offset (amsterdam, SPRING_2026 - 1, NULL, &end), ==, 3600);
  g_assert_cmpint (end, ==, SPRING_2026);
  g_assert_cmpint (rota_time_zone_offset (amsterdam, AUTUMN_2026, &start, NULL), ==, 3600);
  g_assert_cmpint (start, ==, AUTUMN_2026);
}

/* Dates */

static void
test_date_parse (void)
{
  static const struct
  {
    const char *text;
    int         year;
    int         month;
    int         day;
  } valid[] = {
    { "2026-01-01", 2026, 1, 1 },
    { "2026-12-31", 2026, 12, 31 },
    { "2024-02-29", 2024, 2, 29 },
    { "2000-02-29", 2000, 2, 29 },
    { "1900-01-01", 1900, 1, 1 },
    { "1985-07-04", 1985, 7, 4 },
    { "2199-12-31", 2199, 12, 31 },
  };
  static const char *const invalid[] = {
    "",
    " ",
    "garbage",
    "2026-02-30",
    "2026-02-29",
    "2025-02-29",
    "2100-02-29",
    "1900-02-29",
    "2026-04-31",
    "2026-00-01",
    "2026-13-01",
    "2026-01-00",
    "2026-01-32",
    "2026-1-01",
    "2026-01-1",
    "26-01-01",
    "02026-01-01",
    "+026-01-01",
    "-2026-01-01",
    "2026/01/01",
    "2026.01.01",
    "20260101",
    "2026-01-01 ",
    " 2026-01-01",
    "2026-01-01T00:00",
    "2026-01-01Z",
    "2026-01-0a",
    "abcd-ef-gh",
    "1899-12-31",
    "2200-01-01",
    "0000-01-01",
    "9999-12-31",
    "2026-W01-1",
    "2026-001",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      int year = 0, month = 0, day = 0;

      g_test_message ("parsing date \"%s\"", valid[i].text);
      g_assert_true (rota_date_parse (valid[i].text, &year, &month, &day));
      g_assert_cmpint (year, ==, valid[i].year);
      g_assert_cmpint (month, ==, valid[i].month);
      g_assert_cmpint (day, ==, valid[i].day);
      g_assert_true (rota_date_is_valid (valid[i].text));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      int year = -1, month = -1, day = -1;

      g_test_message ("rejecting date \"%s\"", invalid[i]);
      g_assert_false (rota_date_parse (invalid[i], &year, &month, &day));
      g_assert_false (rota_date_is_valid (invalid[i]));
      g_assert_cmpint (year, ==, -1);
      g_assert_cmpint (month, ==, -1);
      g_assert_cmpint (day, ==, -1);
      g_assert_cmpint (rota_date_weekday (invalid[i]), ==, 0);
      g_assert_null (rota_date_week_start (invalid[i]));
      g_assert_null (rota_date_add_days (invalid[i], 1));
    }

  g_assert_false (rota_date_is_valid (NULL));
  g_assert_true (rota_date_parse ("2026-06-15", NULL, NULL, NULL));
}

static void
test_date_new (void)
{
  static const struct
  {
    int         year;
    int         month;
    int         day;
    const char *expected;
  } cases[] = {
    { 2026, 1, 1, "2026-01-01" },
    { 2026, 12, 31, "2026-12-31" },
    { 2024, 2, 29, "2024-02-29" },
    { 1900, 1, 1, "1900-01-01" },
    { 2199, 12, 31, "2199-12-31" },
    { 2026, 2, 29, NULL },
    { 2026, 2, 30, NULL },
    { 2026, 4, 31, NULL },
    { 2026, 0, 1, NULL },
    { 2026, 13, 1, NULL },
    { 2026, 1, 0, NULL },
    { 2026, 1, 32, NULL },
    { 2026, 1, 257, NULL },  /* 1 when truncated to a byte */
    { 2026, -1, 1, NULL },
    { 1899, 12, 31, NULL },
    { 2200, 1, 1, NULL },
    { 67562, 1, 1, NULL },   /* 2026 when truncated to 16 bits */
    { 0, 1, 1, NULL },
    { -2026, 1, 1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date = rota_date_new (cases[i].year, cases[i].month, cases[i].day);

      g_test_message ("rota_date_new (%d, %d, %d)", cases[i].year, cases[i].month, cases[i].day);
      g_assert_cmpstr (date, ==, cases[i].expected);
    }
}

static void
test_date_add_days (void)
{
  static const struct
  {
    const char *date;
    int         days;
    const char *expected;
  } cases[] = {
    { "2026-01-01", 0, "2026-01-01" },
    { "2026-01-31", 1, "2026-02-01" },
    { "2026-02-28", 1, "2026-03-01" },
    { "2024-02-28", 1, "2024-02-29" },
    { "2026-03-01", -1, "2026-02-28" },
    { "2026-12-31", 1, "2027-01-01" },
    { "2027-01-01", -1, "2026-12-31" },
    { "2026-01-01", 365, "2027-01-01" },
    { "2026-01-01", -365, "2025-01-01" },
    { "2025-12-29", 7, "2026-01-05" },
    { "1900-01-01", 109572, "2199-12-31" },
    { "2199-12-31", -109572, "1900-01-01" },
    { "1900-01-01", -1, NULL },
    { "2199-12-31", 1, NULL },
    { "2026-01-01", G_MAXINT, NULL },
    { "2026-01-01", G_MININT, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date = rota_date_add_days (cases[i].date, cases[i].days);

      g_test_message ("%s + %d days", cases[i].date, cases[i].days);
      g_assert_cmpstr (date, ==, cases[i].expected);
    }
}

static void
test_date_weekday (void)
{
  g_assert_cmpint (rota_date_weekday ("2026-01-01"), ==, 4); /* Thursday */
  g_assert_cmpint (rota_date_weekday ("2026-03-29"), ==, 7); /* Sunday */
  g_assert_cmpint (rota_date_weekday ("2026-03-30"), ==, 1); /* Monday */
  g_assert_cmpint (rota_date_weekday ("2024-02-29"), ==, 4);
  g_assert_cmpint (rota_date_weekday ("2000-01-01"), ==, 6); /* Saturday */
  g_assert_cmpint (rota_date_weekday ("1900-01-01"), ==, 1);
  g_assert_cmpint (rota_date_weekday ("2199-12-31"), ==, 2);
  g_assert_cmpint (rota_date_weekday ("2026-02-30"), ==, 0);
  g_assert_cmpint (rota_date_weekday (""), ==, 0);
}

static void
test_date_week_start (void)
{
  static const struct
  {
    const char *date;
    const char *expected;
  } cases[] = {
    { "2026-01-01", "2025-12-29" },  /* across the year boundary */
    { "2026-01-04", "2025-12-29" },
    { "2026-01-05", "2026-01-05" },
    { "2027-01-03", "2026-12-28" },
    { "2026-03-29", "2026-03-23" },
    { "2026-03-30", "2026-03-30" },
    { "2024-03-01", "2024-02-26" },
    { "2021-01-01", "2020-12-28" },
    { "1900-01-01", "1900-01-01" },
    { "1900-01-07", "1900-01-01" },
    { "2199-12-31", "2199-12-30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *start = rota_date_week_start (cases[i].date);

      g_test_message ("week of %s", cases[i].date);
      g_assert_cmpstr (start, ==, cases[i].expected);
      g_assert_cmpint (rota_date_weekday (start), ==, 1);
    }
}

static void
test_date_diff_days (void)
{
  g_assert_cmpint (rota_date_diff_days ("2026-01-01", "2026-01-01"), ==, 0);
  g_assert_cmpint (rota_date_diff_days ("2026-01-01", "2026-01-02"), ==, 1);
  g_assert_cmpint (rota_date_diff_days ("2026-01-02", "2026-01-01"), ==, -1);
  g_assert_cmpint (rota_date_diff_days ("2025-12-29", "2026-01-01"), ==, 3);
  g_assert_cmpint (rota_date_diff_days ("2026-01-01", "2027-01-01"), ==, 365);
  g_assert_cmpint (rota_date_diff_days ("2024-01-01", "2025-01-01"), ==, 366);
  g_assert_cmpint (rota_date_diff_days ("2026-03-28", "2026-03-30"), ==, 2);
  g_assert_cmpint (rota_date_diff_days ("1900-01-01", "2199-12-31"), ==, 109572);
  g_assert_cmpint (rota_date_diff_days ("2199-12-31", "1900-01-01"), ==, -109572);
}

/* Times of day */

static void
test_time_of_day (void)
{
  static const struct
  {
    const char *text;
    int         minutes;
  } valid[] = {
    { "00:00", 0 },
    { "00:01", 1 },
    { "06:00", 360 },
    { "09:05", 545 },
    { "12:30", 750 },
    { "22:00", 1320 },
    { "23:59", 1439 },
    { "24:00", 1440 },
  };
  static const char *const invalid[] = {
    "",
    "garbage",
    "24:01",
    "24:30",
    "25:00",
    "99:00",
    "12:60",
    "12:99",
    "9:00",
    "09:0",
    "09:000",
    "009:00",
    "0900",
    "09-00",
    "09.00",
    "-1:00",
    "+9:00",
    " 09:00",
    "09:00 ",
    "09:00:00",
    "24:00:00",
    "ab:cd",
    "0x:00",
    "09:",
    ":00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      int minutes = -1;

      g_test_message ("parsing time of day \"%s\"", valid[i].text);
      g_assert_true (rota_time_of_day_parse (valid[i].text, &minutes));
      g_assert_cmpint (minutes, ==, valid[i].minutes);
      g_assert_true (rota_time_of_day_is_valid (valid[i].text));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      int minutes = -1;

      g_test_message ("rejecting time of day \"%s\"", invalid[i]);
      g_assert_false (rota_time_of_day_parse (invalid[i], &minutes));
      g_assert_false (rota_time_of_day_is_valid (invalid[i]));
      g_assert_cmpint (minutes, ==, -1);
    }

  g_assert_false (rota_time_of_day_is_valid (NULL));
}

/* Misc */

static void
test_now (void)
{
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 now = rota_time_now ();
  gint64 after = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, after);
  g_assert_true (rota_instant_is_valid (now));
}

static void
test_programmer_errors (void)
{
  GTimeZone *ams = get_zone ("Europe/Amsterdam");

  g_test_expect_message ("rota-time", G_LOG_LEVEL_CRITICAL, "*tz != NULL*");
  g_assert_cmpint (rota_time_from_local (NULL, "2026-01-01", 0), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("rota-time", G_LOG_LEVEL_CRITICAL, "*date_ok*");
  g_assert_cmpint (rota_time_from_local (ams, "2026-02-30", 0), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("rota-time", G_LOG_LEVEL_CRITICAL, "*from_ok && to_ok*");
  g_assert_cmpint (rota_date_diff_days ("2026-01-01", "garbage"), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("rota-time", G_LOG_LEVEL_CRITICAL, "*INSTANT_IS_SANE*");
  g_assert_null (rota_time_work_date (G_MAXINT64, ams));
  g_test_assert_expected_messages ();

  g_test_expect_message ("rota-time", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (rota_instant_parse (NULL, NULL, NULL));
  g_test_assert_expected_messages ();
}

static void
test_time_range (void)
{
  static const struct { const char *text; int start; int end; } valid[] = {
    { "8-16:30", 480, 990 },
    { "08-16.30", 480, 990 },
    { "08:00-16:30", 480, 990 },
    { " 8 - 17 ", 480, 1020 },
    { "0830-1700", 510, 1020 },
    { "22-6", 1320, 1800 },
    { "16-00:30", 960, 1470 },
    { "8\xe2\x80\x93" "16", 480, 960 },
    { "8 \xe2\x80\x94 16", 480, 960 },
    { "0-24", 0, 1440 },
    { "23:59-0", 1439, 1440 },
  };
  /* Malformed: each gets a message and leaves the outputs alone. */
  static const char * const invalid[] = {
    "", "8", "-", "8-", "-16", "8--16", "8-16-", "25-6", "8-24:01", "8:60-9",
    "8:5-9", "8:555-9", "123-9", "12345-9", "a-b", "8h-16h", "8 16", ":30-9",
    "24-6", "8-16:30x", "8..30-9", "\xff\xfe-1", "8-16 bis 17",
    "1111111111111111111111111111111111111111-2",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      int start = -1, end = -1;

      g_test_message ("valid %s", valid[i].text);
      g_assert_true (rota_time_range_parse (valid[i].text, &start, &end, &error));
      g_assert_no_error (error);
      g_assert_cmpint (start, ==, valid[i].start);
      g_assert_cmpint (end, ==, valid[i].end);
    }

  for (i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      int start = -7, end = -7;

      {
        /* Escaped: some cases are not UTF-8, and TAP output must be. */
        g_autofree char *shown = g_strescape (invalid[i], NULL);

        g_test_message ("invalid %s", shown);
      }
      g_assert_false (rota_time_range_parse (invalid[i], &start, &end, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "8-16:30"));
      g_assert_cmpint (start, ==, -7);
      g_assert_cmpint (end, ==, -7);
    }

  {
    g_autoptr(GError) error = NULL;
    int start = -7, end = -7;

    g_assert_false (rota_time_range_parse ("8-8", &start, &end, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "same time"));
  }

  {
    g_autofree char *a = rota_time_range_format (480, 990);
    g_autofree char *b = rota_time_range_format (1320, 1800);

    g_assert_cmpstr (a, ==, "08:00\xe2\x80\x93" "16:30");
    g_assert_cmpstr (b, ==, "22:00\xe2\x80\x93" "06:00");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/time/zone/known", test_zone_known);
  g_test_add_func ("/core/time/zone/unknown", test_zone_unknown);
  g_test_add_func ("/core/time/zone/threads", test_zone_threads);
  g_test_add_func ("/core/time/instant/parse-valid", test_instant_parse_valid);
  g_test_add_func ("/core/time/instant/parse-invalid", test_instant_parse_invalid);
  g_test_add_func ("/core/time/instant/parse-default-zone", test_instant_parse_default_zone);
  g_test_add_func ("/core/time/instant/range", test_instant_range);
  g_test_add_func ("/core/time/instant/format", test_instant_format);
  g_test_add_func ("/core/time/instant/format-local", test_instant_format_local);
  g_test_add_func ("/core/time/dst/amsterdam-night-shifts", test_dst_amsterdam_night_shifts);
  g_test_add_func ("/core/time/dst/berlin-night-shifts", test_dst_berlin_night_shifts);
  g_test_add_func ("/core/time/dst/amsterdam-spring-gap", test_dst_amsterdam_gap);
  g_test_add_func ("/core/time/dst/berlin-spring-gap", test_dst_berlin_gap);
  g_test_add_func ("/core/time/dst/amsterdam-autumn", test_dst_amsterdam_autumn);
  g_test_add_func ("/core/time/dst/berlin-autumn", test_dst_berlin_autumn);
  g_test_add_func ("/core/time/dst/new-york", test_dst_new_york);
  g_test_add_func ("/core/time/local/midnight-amsterdam", test_local_midnight_amsterdam);
  g_test_add_func ("/core/time/local/midnight-berlin", test_local_midnight_berlin);
  g_test_add_func ("/core/time/local/other-zones", test_local_other_zones);
  g_test_add_func ("/core/time/local/from-local", test_local_from_local);
  g_test_add_func ("/core/time/local/against-gdatetime", test_local_against_gdatetime);
  g_test_add_func ("/core/time/zone/offset", test_zone_offset);
  g_test_add_func ("/core/time/date/parse", test_date_parse);
  g_test_add_func ("/core/time/date/new", test_date_new);
  g_test_add_func ("/core/time/date/add-days", test_date_add_days);
  g_test_add_func ("/core/time/date/weekday", test_date_weekday);
  g_test_add_func ("/core/time/date/week-start", test_date_week_start);
  g_test_add_func ("/core/time/date/diff-days", test_date_diff_days);
  g_test_add_func ("/core/time/time-of-day", test_time_of_day);
  g_test_add_func ("/core/time/range", test_time_range);
  g_test_add_func ("/core/time/now", test_now);
  g_test_add_func ("/core/time/programmer-errors", test_programmer_errors);

  return g_test_run ();
}
