/* rota-time.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-time"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "rota-time.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)
#define MINUTES_PER_DAY 1440

/* GDate's Julian day number of 1970-01-01 (day 1 is 0001-01-01). */
#define UNIX_EPOCH_JULIAN 719163

/* Julian day numbers of 0001-01-01 and 9999-12-31: the dates that fit
 * the four-digit year of our text formats. */
#define JULIAN_FORMAT_MIN 1
#define JULIAN_FORMAT_MAX 3652059

/* Instants whose local date, in any zone, stays within years 1..9999.
 * Real UTC offsets stay well below a day. */
#define INSTANT_SANE_MIN (((gint64) JULIAN_FORMAT_MIN - UNIX_EPOCH_JULIAN + 1) * SECONDS_PER_DAY)
#define INSTANT_SANE_MAX (((gint64) JULIAN_FORMAT_MAX - UNIX_EPOCH_JULIAN) * SECONDS_PER_DAY)
#define INSTANT_IS_SANE(t) ((t) >= INSTANT_SANE_MIN && (t) < INSTANT_SANE_MAX)

/* Each cached zone gets a table of its UTC offsets over the Rota range
 * (with a margin for local-time probing), so that the hot paths do a
 * binary search instead of GTimeZone's linear scan over every
 * transition since the 1800s. */
#define TABLE_MARGIN (8 * SECONDS_PER_DAY)
#define TABLE_LO (ROTA_INSTANT_MIN - TABLE_MARGIN)
#define TABLE_HI (ROTA_INSTANT_MAX + TABLE_MARGIN)

/* Zones reachable by the lock-free lookup; more are still cached and
 * correct, just answered by GTimeZone directly. */
#define MAX_FAST_ZONES 64

typedef struct
{
  GTimeZone *tz;
  guint      n_spans;
  gint64    *span_starts;  /* span_starts[0] == TABLE_LO, ascending */
  gint32    *span_offsets; /* offset in effect from span_starts[i] */
} ZoneEntry;

static GMutex      zone_mutex;
static GHashTable *zone_cache;  /* owned identifier → owned ZoneEntry */
static ZoneEntry  *fast_zones[MAX_FAST_ZONES];
static gint        n_fast_zones;

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;

  return q;
}

static gboolean
parse_digits (const char *p,
              guint       n,
              int        *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      value = value * 10 + (p[i] - '0');
    }

  *out = value;
  return TRUE;
}

static guint32
julian_from_dmy (int year,
                 int month,
                 int day)
{
  GDate date;

  g_assert (g_date_valid_dmy (day, month, year));

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  return g_date_get_julian (&date);
}

/* Parses exactly "YYYY-MM-DD" (a real date, any year 1..9999) at @p,
 * without requiring a terminator; the caller checks what follows. */
static gboolean
parse_date_prefix (const char *p,
                   int        *year,
                   int        *month,
                   int        *day)
{
  if (!parse_digits (p, 4, year) || p[4] != '-' ||
      !parse_digits (p + 5, 2, month) || p[7] != '-' ||
      !parse_digits (p + 8, 2, day))
    return FALSE;

  return g_date_valid_dmy (*day, *month, *year);
}

static gboolean
parse_rota_date (const char *text,
                 int        *year,
                 int        *month,
                 int        *day)
{
  return parse_date_prefix (text, year, month, day) &&
         text[10] == '\0' &&
         *year >= ROTA_DATE_YEAR_MIN &&
         *year <= ROTA_DATE_YEAR_MAX;
}

static gboolean
date_to_julian (const char *text,
                guint32    *out_julian)
{
  int year, month, day;

  if (!parse_rota_date (text, &year, &month, &day))
    return FALSE;

  *out_julian = julian_from_dmy (year, month, day);
  return TRUE;
}

static gboolean
julian_in_rota_range (gint64 julian)
{
  return julian >= julian_from_dmy (ROTA_DATE_YEAR_MIN, 1, 1) &&
         julian <= julian_from_dmy (ROTA_DATE_YEAR_MAX, 12, 31);
}

static inline void
put_digits (char *p,
            int   value,
            guint n)
{
  while (n-- > 0)
    {
      p[n] = (char) ('0' + value % 10);
      value /= 10;
    }
}

/* Writes "YYYY-MM-DD" plus a terminator (11 bytes) into @buf. */
static void
format_julian (char    *buf,
               guint32  julian)
{
  GDate date;

  g_assert (julian >= JULIAN_FORMAT_MIN && julian <= JULIAN_FORMAT_MAX);

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);

  put_digits (buf, g_date_get_year (&date), 4);
  buf[4] = '-';
  put_digits (buf + 5, g_date_get_month (&date), 2);
  buf[7] = '-';
  put_digits (buf + 8, g_date_get_day (&date), 2);
  buf[10] = '\0';
}

static char *
julian_to_string (guint32 julian)
{
  char *ret = g_malloc (11);

  format_julian (ret, julian);
  return ret;
}

/* Time zones */

static gint32
glib_offset_at (GTimeZone *tz,
                gint64     instant)
{
  gint interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, instant);

  return g_time_zone_get_offset (tz, interval);
}

static ZoneEntry *
zone_entry_new (GTimeZone *tz)
{
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gint32));
  ZoneEntry *entry;
  gint64 start = TABLE_LO;
  gint interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, TABLE_LO);
  gint last = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, TABLE_HI - 1);
  gint32 offset = g_time_zone_get_offset (tz, interval);

  g_array_append_val (starts, start);
  g_array_append_val (offsets, offset);

  /* GTimeZone does not expose its transitions, but interval indexes
   * grow with time, so bisect for the first second of each interval. */
  while (interval < last)
    {
      gint64 lo = start;
      gint64 hi = TABLE_HI - 1;
      gint32 next_offset;

      while (hi - lo > 1)
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, mid) > interval)
            hi = mid;
          else
            lo = mid;
        }

      start = hi;
      interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, start);
      next_offset = g_time_zone_get_offset (tz, interval);

      /* Transitions that only change the abbreviation or the DST flag
       * do not matter here. */
      if (next_offset != offset)
        {
          offset = next_offset;
          g_array_append_val (starts, start);
          g_array_append_val (offsets, offset);
        }
    }

  entry = g_new0 (ZoneEntry, 1);
  entry->tz = g_time_zone_ref (tz);
  entry->n_spans = starts->len;
  entry->span_starts = (gint64 *) (void *) g_array_free (g_steal_pointer (&starts), FALSE);
  entry->span_offsets = (gint32 *) (void *) g_array_free (g_steal_pointer (&offsets), FALSE);

  return entry;
}

static void
zone_entry_free (gpointer data)
{
  ZoneEntry *entry = data;

  g_time_zone_unref (entry->tz);
  g_free (entry->span_starts);
  g_free (entry->span_offsets);
  g_free (entry);
}

static const ZoneEntry *
find_fast_zone (GTimeZone *tz)
{
  gint n = g_atomic_int_get (&n_fast_zones);

  for (gint i = 0; i < n; i++)
    {
      const ZoneEntry *entry = g_atomic_pointer_get (&fast_zones[i]);

      if (entry->tz == tz)
        return entry;
    }

  return NULL;
}

/* The offset at @instant, and the span of the table it comes from; without
 * a table, a span of @instant alone. */
static gint32
offset_span_at (GTimeZone       *tz,
                const ZoneEntry *entry,
                gint64           instant,
                gint64          *out_start,
                gint64          *out_end)
{
  guint lo, hi;

  if (entry == NULL || instant < TABLE_LO || instant >= TABLE_HI)
    {
      *out_start = instant;
      *out_end = instant + 1;
      return glib_offset_at (tz, instant);
    }

  lo = 0;
  hi = entry->n_spans;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (entry->span_starts[mid] <= instant)
        lo = mid;
      else
        hi = mid;
    }

  *out_start = entry->span_starts[lo];
  *out_end = lo + 1 < entry->n_spans ? entry->span_starts[lo + 1] : TABLE_HI;

  return entry->span_offsets[lo];
}

static gint32
offset_at (GTimeZone       *tz,
           const ZoneEntry *entry,
           gint64           instant)
{
  guint lo, hi;

  if (entry == NULL || instant < TABLE_LO || instant >= TABLE_HI)
    return glib_offset_at (tz, instant);

  /* Last span starting at or before @instant; span 0 starts at TABLE_LO. */
  lo = 0;
  hi = entry->n_spans;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (entry->span_starts[mid] <= instant)
        lo = mid;
      else
        hi = mid;
    }

  return entry->span_offsets[lo];
}

/* The instant at which the wall clock in @tz shows @local (seconds since
 * 1970-01-01T00:00 on that wall clock). A wall time skipped by a forward
 * transition is moved forward by the size of the gap; one repeated by a
 * backward transition resolves to its first occurrence. */
static gint64
resolve_local (GTimeZone       *tz,
               const ZoneEntry *entry,
               gint64           local)
{
  /* Offsets around any transition that could affect @local; this
   * assumes no zone has two transitions within two days. */
  gint32 before = offset_at (tz, entry, local - SECONDS_PER_DAY);
  gint32 after = offset_at (tz, entry, local + SECONDS_PER_DAY);
  gint64 t_before = local - before;
  gint64 t_after = local - after;
  gboolean before_ok, after_ok;

  if (before == after)
    return t_before;

  before_ok = offset_at (tz, entry, t_before) == before;
  after_ok = offset_at (tz, entry, t_after) == after;

  if (before_ok && after_ok)
    return MIN (t_before, t_after);
  else if (after_ok)
    return t_after;

  /* Either @local is before the transition (before_ok), or it is in the
   * gap: reading it with the old offset lands past the transition, the
   * gap's size later on the new wall clock. */
  return t_before;
}

static gboolean
identifier_looks_iana (const char *identifier)
{
  gsize len = strlen (identifier);
  gboolean component_start = TRUE;

  if (len == 0 || len > 255)
    return FALSE;

  /* "Area/Location" components starting with a letter, such as
   * "Europe/Amsterdam", "Etc/GMT+1" or "UTC". This keeps out file paths
   * ("/etc/localtime", "../x"), fixed offsets ("+01:00") and tzdata's
   * non-zone files ("zone.tab"), which GTimeZone would otherwise
   * try to load. */
  for (const char *p = identifier; *p != '\0'; p++)
    {
      if (component_start)
        {
          if (!g_ascii_isalpha (*p))
            return FALSE;
          component_start = FALSE;
        }
      else if (*p == '/')
        component_start = TRUE;
      else if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '+')
        return FALSE;
    }

  return !component_start;
}

/* GTimeZone also accepts POSIX TZ rule strings ("ABC3", "EST5EDT" without
 * a file) and emits criticals for non-TZif files, so only hand it names
 * that exist as compiled zone files, looked up the way GLib does. */
static gboolean
zone_file_exists (const char *identifier)
{
  const char *tzdir = g_getenv ("TZDIR");
  g_autofree char *path = NULL;
  char magic[4];
  gssize n_read;
  int fd;

  if (tzdir == NULL)
    {
      if (g_file_test ("/usr/share/zoneinfo", G_FILE_TEST_IS_DIR))
        tzdir = "/usr/share/zoneinfo";
      else if (g_file_test ("/usr/share/lib/zoneinfo", G_FILE_TEST_IS_DIR))
        tzdir = "/usr/share/lib/zoneinfo";
      else
        tzdir = "/usr/share/zoneinfo";
    }

  path = g_build_filename (tzdir, identifier, NULL);

  do
    fd = open (path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    return FALSE;

  do
    n_read = read (fd, magic, sizeof magic);
  while (n_read < 0 && errno == EINTR);

  close (fd);

  return n_read == sizeof magic && memcmp (magic, "TZif", sizeof magic) == 0;
}

/**
 * rota_time_zone_get:
 * @identifier: (nullable): an IANA time zone name such as "Europe/Berlin",
 *   or %NULL for %ROTA_DEFAULT_TIME_ZONE
 *
 * Looks up a time zone. Known zones are loaded once and kept for the
 * lifetime of the process. Only IANA zone names backed by the system's
 * tzdata (and "UTC") are accepted: no file paths, fixed offsets or POSIX
 * TZ rule strings. This function is thread-safe.
 *
 * Returns: (transfer none) (nullable): the zone, or %NULL if @identifier
 *   is not a known zone
 */
GTimeZone *
rota_time_zone_get (const char *identifier)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  ZoneEntry *entry;

  if (identifier == NULL)
    identifier = ROTA_DEFAULT_TIME_ZONE;

  locker = g_mutex_locker_new (&zone_mutex);

  if (zone_cache == NULL)
    zone_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, zone_entry_free);

  entry = g_hash_table_lookup (zone_cache, identifier);
  if (entry != NULL)
    return entry->tz;

  /* Unknown names are not cached: they may come from the network. */
  if (!identifier_looks_iana (identifier))
    return NULL;

  if (strcmp (identifier, "UTC") != 0 && !zone_file_exists (identifier))
    return NULL;

  tz = g_time_zone_new_identifier (identifier);
  if (tz == NULL)
    return NULL;

  entry = zone_entry_new (tz);
  g_hash_table_insert (zone_cache, g_strdup (identifier), entry);

  if (n_fast_zones < MAX_FAST_ZONES)
    {
      /* Publish the entry before the count that makes it visible. */
      g_atomic_pointer_set (&fast_zones[n_fast_zones], entry);
      g_atomic_int_inc (&n_fast_zones);
    }

  return entry->tz;
}

/**
 * rota_time_zone_is_valid:
 * @identifier: (nullable): a time zone name
 *
 * Returns: %TRUE if rota_time_zone_get() knows @identifier; %FALSE for
 *   %NULL
 */
gboolean
rota_time_zone_is_valid (const char *identifier)
{
  return identifier != NULL && rota_time_zone_get (identifier) != NULL;
}

/* Instants */

/**
 * rota_instant_is_valid:
 * @instant: seconds since the epoch
 *
 * Returns: %TRUE if @instant is in [%ROTA_INSTANT_MIN, %ROTA_INSTANT_MAX)
 */
gboolean
rota_instant_is_valid (gint64 instant)
{
  return instant >= ROTA_INSTANT_MIN && instant < ROTA_INSTANT_MAX;
}

/**
 * rota_instant_parse:
 * @text: an RFC 3339 date-time
 * @default_tz: (nullable): the zone for times without an offset, or %NULL
 *   for %ROTA_DEFAULT_TIME_ZONE
 * @out_instant: (out) (optional): the instant
 *
 * Parses exactly `YYYY-MM-DDTHH:MM[:SS[.fff…]][Z|±HH:MM]`. Fractions of a
 * second are truncated. A local time without an offset is read in
 * @default_tz; one skipped by a DST change is moved forward by the gap,
 * one that occurs twice means the first occurrence. The instant must be
 * within the Rota range (see rota_instant_is_valid()).
 *
 * Returns: %TRUE if @text was valid; @out_instant is only set then
 */
gboolean
rota_instant_parse (const char *text,
                    GTimeZone  *default_tz,
                    gint64     *out_instant)
{
  const char *p = text;
  int year, month, day, hour, minute, second = 0;
  gint64 local, instant;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!parse_date_prefix (p, &year, &month, &day))
    return FALSE;
  p += 10;

  if (*p++ != 'T' ||
      !parse_digits (p, 2, &hour) || p[2] != ':' ||
      !parse_digits (p + 3, 2, &minute) ||
      hour > 23 || minute > 59)
    return FALSE;
  p += 5;

  if (*p == ':')
    {
      /* Leap seconds (":60") are rejected: Unix time has no room for them. */
      if (!parse_digits (p + 1, 2, &second) || second > 59)
        return FALSE;
      p += 3;

      if (*p == '.')
        {
          p++;
          if (!g_ascii_isdigit (*p))
            return FALSE;
          while (g_ascii_isdigit (*p))
            p++;
        }
    }

  local = ((gint64) julian_from_dmy (year, month, day) - UNIX_EPOCH_JULIAN) * SECONDS_PER_DAY
          + hour * 3600 + minute * 60 + second;

  if (*p == 'Z')
    {
      instant = local;
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int off_hours, off_minutes, offset;

      if (!parse_digits (p + 1, 2, &off_hours) || p[3] != ':' ||
          !parse_digits (p + 4, 2, &off_minutes) ||
          off_hours > 23 || off_minutes > 59)
        return FALSE;

      offset = off_hours * 3600 + off_minutes * 60;
      instant = *p == '+' ? local - offset : local + offset;
      p += 6;
    }
  else
    {
      GTimeZone *tz = default_tz != NULL ? default_tz : rota_time_zone_get (NULL);

      if (tz == NULL)
        return FALSE;

      instant = resolve_local (tz, find_fast_zone (tz), local);
    }

  if (*p != '\0' || !rota_instant_is_valid (instant))
    return FALSE;

  if (out_instant != NULL)
    *out_instant = instant;

  return TRUE;
}

static char *
format_instant (gint64      instant,
                gint32      offset,
                const char *suffix)
{
  gint64 local = instant + offset;
  gint64 days = floor_div (local, SECONDS_PER_DAY);
  int seconds = (int) (local - days * SECONDS_PER_DAY);
  char date[11];

  format_julian (date, (guint32) (days + UNIX_EPOCH_JULIAN));

  return g_strdup_printf ("%sT%02d:%02d:%02d%s",
                          date,
                          seconds / 3600,
                          seconds / 60 % 60,
                          seconds % 60,
                          suffix);
}

/**
 * rota_instant_format:
 * @instant: seconds since the epoch, in years 1..9999
 *
 * Returns: (transfer full): @instant as "YYYY-MM-DDTHH:MM:SSZ"
 */
char *
rota_instant_format (gint64 instant)
{
  g_return_val_if_fail (INSTANT_IS_SANE (instant), NULL);

  return format_instant (instant, 0, "Z");
}

/**
 * rota_instant_format_local:
 * @instant: seconds since the epoch, in years 1..9999
 * @tz: the zone to show @instant in
 *
 * Formats @instant as local time in @tz with its UTC offset, for example
 * "2026-03-29T03:30:00+02:00". Historical offsets with seconds (local
 * mean time, long before the Rota range) get a ":SS" suffix.
 *
 * Returns: (transfer full): the formatted instant
 */
char *
rota_instant_format_local (gint64     instant,
                           GTimeZone *tz)
{
  gint32 offset;
  gint32 magnitude;
  char suffix[16];

  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (INSTANT_IS_SANE (instant), NULL);

  offset = offset_at (tz, find_fast_zone (tz), instant);
  magnitude = ABS (offset);

  if (magnitude % 60 == 0)
    g_snprintf (suffix, sizeof suffix, "%c%02d:%02d",
                offset < 0 ? '-' : '+',
                magnitude / 3600, magnitude / 60 % 60);
  else
    g_snprintf (suffix, sizeof suffix, "%c%02d:%02d:%02d",
                offset < 0 ? '-' : '+',
                magnitude / 3600, magnitude / 60 % 60, magnitude % 60);

  return format_instant (instant, offset, suffix);
}

/* Dates */

/**
 * rota_date_parse:
 * @text: a date
 * @out_year: (out) (optional): the year
 * @out_month: (out) (optional): the month, 1..12
 * @out_day: (out) (optional): the day of the month
 *
 * Parses exactly "YYYY-MM-DD": a real calendar date with a year in
 * %ROTA_DATE_YEAR_MIN..%ROTA_DATE_YEAR_MAX. The outputs are only set on
 * success.
 *
 * Returns: %TRUE if @text is a valid date
 */
gboolean
rota_date_parse (const char *text,
                 int        *out_year,
                 int        *out_month,
                 int        *out_day)
{
  int year, month, day;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!parse_rota_date (text, &year, &month, &day))
    return FALSE;

  if (out_year != NULL)
    *out_year = year;
  if (out_month != NULL)
    *out_month = month;
  if (out_day != NULL)
    *out_day = day;

  return TRUE;
}

/**
 * rota_date_is_valid:
 * @text: (nullable): a date
 *
 * Returns: %TRUE if @text is a valid date, see rota_date_parse()
 */
gboolean
rota_date_is_valid (const char *text)
{
  return text != NULL && rota_date_parse (text, NULL, NULL, NULL);
}

/**
 * rota_date_new:
 * @year: the year
 * @month: the month, 1..12
 * @day: the day of the month
 *
 * Returns: (transfer full) (nullable): "YYYY-MM-DD", or %NULL if that is
 *   not a valid date
 */
char *
rota_date_new (int year,
               int month,
               int day)
{
  if (year < ROTA_DATE_YEAR_MIN || year > ROTA_DATE_YEAR_MAX ||
      month < 1 || month > 12 || day < 1 || day > 31 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;

  return julian_to_string (julian_from_dmy (year, month, day));
}

/**
 * rota_date_add_days:
 * @date: a valid date
 * @days: days to add, may be negative
 *
 * Returns: (transfer full) (nullable): the date @days after @date, or
 *   %NULL if @date is invalid or the result is outside the date range
 */
char *
rota_date_add_days (const char *date,
                    int         days)
{
  guint32 julian;
  gint64 result;

  g_return_val_if_fail (date != NULL, NULL);

  if (!date_to_julian (date, &julian))
    return NULL;

  result = (gint64) julian + days;
  if (!julian_in_rota_range (result))
    return NULL;

  return julian_to_string ((guint32) result);
}

/**
 * rota_date_weekday:
 * @date: a date
 *
 * Returns: the ISO weekday of @date, 1 (Monday) to 7 (Sunday), or 0 if
 *   @date is invalid
 */
int
rota_date_weekday (const char *date)
{
  guint32 julian;

  g_return_val_if_fail (date != NULL, 0);

  if (!date_to_julian (date, &julian))
    return 0;

  /* Julian day 1, 0001-01-01, was a Monday. */
  return (int) ((julian - 1) % 7) + 1;
}

/**
 * rota_date_week_start:
 * @date: a date
 *
 * Returns: (transfer full) (nullable): the Monday of the ISO week of
 *   @date, or %NULL if @date is invalid
 */
char *
rota_date_week_start (const char *date)
{
  guint32 julian;

  g_return_val_if_fail (date != NULL, NULL);

  if (!date_to_julian (date, &julian))
    return NULL;

  /* 1900-01-01 is a Monday, so this never leaves the date range. */
  return julian_to_string (julian - (julian - 1) % 7);
}

/**
 * rota_date_diff_days:
 * @from: a valid date
 * @to: a valid date
 *
 * Returns: the number of days from @from to @to (negative if @to is
 *   earlier); 0, with a critical warning, if either date is invalid
 */
int
rota_date_diff_days (const char *from,
                     const char *to)
{
  guint32 from_julian = 0, to_julian = 0;
  gboolean from_ok, to_ok;

  g_return_val_if_fail (from != NULL, 0);
  g_return_val_if_fail (to != NULL, 0);

  /* Not inside g_return_val_if_fail(): with G_DISABLE_CHECKS the
   * conversions would not happen at all. */
  from_ok = date_to_julian (from, &from_julian);
  to_ok = date_to_julian (to, &to_julian);
  g_return_val_if_fail (from_ok && to_ok, 0);

  return (int) ((gint64) to_julian - (gint64) from_julian);
}

/* Times of day */

/**
 * rota_time_of_day_parse:
 * @text: a time of day
 * @out_minutes: (out) (optional): minutes since midnight
 *
 * Parses exactly "HH:MM", "00:00" to "23:59", or "24:00" for the end of
 * the day (1440 minutes).
 *
 * Returns: %TRUE if @text is a valid time of day
 */
gboolean
rota_time_of_day_parse (const char *text,
                        int        *out_minutes)
{
  int hours, minutes;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!parse_digits (text, 2, &hours) || text[2] != ':' ||
      !parse_digits (text + 3, 2, &minutes) || text[5] != '\0')
    return FALSE;

  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return FALSE;

  if (out_minutes != NULL)
    *out_minutes = hours * 60 + minutes;

  return TRUE;
}

/**
 * rota_time_of_day_is_valid:
 * @text: (nullable): a time of day
 *
 * Returns: %TRUE if @text is a valid time of day, see
 *   rota_time_of_day_parse()
 */
gboolean
rota_time_of_day_is_valid (const char *text)
{
  return text != NULL && rota_time_of_day_parse (text, NULL);
}

/* Parses one end of a typed range: "8", "08", "8:30", "8.30", "0830".
 * Returns the minutes after midnight (0 to 1440) or -1. */
static int
parse_range_time (const char *text,
                  gsize       len)
{
  int hours = 0, minutes = 0;
  gsize i, digits = 0;
  gsize sep = 0;

  if (len == 0 || len > 5)
    return -1;

  for (i = 0; i < len; i++)
    {
      if (text[i] >= '0' && text[i] <= '9')
        digits++;
      else if ((text[i] == ':' || text[i] == '.') && sep == 0 && i > 0)
        sep = i;
      else
        return -1;
    }

  if (sep != 0)
    {
      if (sep > 2 || len - sep - 1 != 2)
        return -1;
      for (i = 0; i < sep; i++)
        hours = hours * 10 + (text[i] - '0');
      minutes = (text[sep + 1] - '0') * 10 + (text[sep + 2] - '0');
    }
  else if (digits <= 2)
    {
      for (i = 0; i < len; i++)
        hours = hours * 10 + (text[i] - '0');
    }
  else if (digits == 4)
    {
      hours = (text[0] - '0') * 10 + (text[1] - '0');
      minutes = (text[2] - '0') * 10 + (text[3] - '0');
    }
  else
    return -1;

  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return -1;

  return hours * 60 + minutes;
}

/**
 * rota_time_range_parse:
 * @text: what someone typed, such as "8-16:30", "22-6" or "08:00 – 16:30"
 * @out_start_minutes: (out): the start, minutes after midnight (0 to 1439)
 * @out_end_minutes: (out): the end, minutes after the start's midnight; more
 *   than 1440 when the range goes past midnight, as "22-6" does
 * @error: a location for a #GError
 *
 * Parses a time range as typed into the planner. Each end is an hour ("8"),
 * hours and minutes with ":" or "." ("16:30", "8.15"), or four digits
 * ("0830"); the two are joined by "-", "–" or "—", with or without spaces.
 * An end at or before the start is on the next day.
 *
 * Returns: %TRUE if @text is a time range; otherwise %FALSE with @error set
 *   to a message that says how to type one
 */
gboolean
rota_time_range_parse (const char  *text,
                       int         *out_start_minutes,
                       int         *out_end_minutes,
                       GError     **error)
{
  static const char * const dashes[] = { "-", "\xe2\x80\x93", "\xe2\x80\x94" };
  const char *dash = NULL;
  gsize dash_len = 0;
  const char *a, *a_end, *b, *b_end;
  int start, end;
  gsize i;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_start_minutes != NULL, FALSE);
  g_return_val_if_fail (out_end_minutes != NULL, FALSE);

  if (strlen (text) > 32 || !g_utf8_validate (text, -1, NULL))
    goto invalid;

  for (i = 0; i < G_N_ELEMENTS (dashes); i++)
    {
      const char *found = strstr (text, dashes[i]);

      if (found != NULL && (dash == NULL || found < dash))
        {
          dash = found;
          dash_len = strlen (dashes[i]);
        }
    }

  if (dash == NULL)
    goto invalid;

  a = text;
  while (*a == ' ')
    a++;
  a_end = dash;
  while (a_end > a && a_end[-1] == ' ')
    a_end--;
  b = dash + dash_len;
  while (*b == ' ')
    b++;
  b_end = b + strlen (b);
  while (b_end > b && b_end[-1] == ' ')
    b_end--;

  start = parse_range_time (a, a_end - a);
  end = parse_range_time (b, b_end - b);

  if (start < 0 || end < 0 || start == 1440)
    goto invalid;

  if (end == start)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” starts and ends at the same time. Type a start and a different end, such as 8-16:30."),
                   text);
      return FALSE;
    }

  if (end < start)
    end += 1440;

  *out_start_minutes = start;
  *out_end_minutes = end;

  return TRUE;

invalid:
  {
    g_autofree char *shown = g_utf8_make_valid (text, MIN (strlen (text), 32));

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a time range. Type a start and an end, such as 8-16:30 or 22-6."),
                 shown);
  }
  return FALSE;
}

/**
 * rota_time_range_format:
 * @start_minutes: minutes after midnight
 * @end_minutes: minutes after the start's midnight
 *
 * Returns: (transfer full): the range as "08:00–16:30"; an end past midnight
 *   shows as the time of day it is ("22:00–06:00")
 */
char *
rota_time_range_format (int start_minutes,
                        int end_minutes)
{
  end_minutes %= 1440;

  return g_strdup_printf ("%02d:%02d\xe2\x80\x93%02d:%02d",
                          start_minutes / 60, start_minutes % 60,
                          end_minutes / 60, end_minutes % 60);
}

/* Local time */

/**
 * rota_time_from_local:
 * @tz: a time zone
 * @date: a valid date
 * @minutes_of_day: minutes after midnight; 1440 and more (or negative
 *   values) move to later (earlier) days
 *
 * Finds when the wall clock in @tz shows @minutes_of_day on @date. Whole
 * days are added to @date first, so 1800 is 06:00 the next day. A wall
 * time skipped by a DST change is moved forward by the gap (02:30 becomes
 * 03:30); one that occurs twice resolves to the first occurrence.
 *
 * Returns: the instant, or 0 on invalid arguments
 */
gint64
rota_time_from_local (GTimeZone  *tz,
                      const char *date,
                      int         minutes_of_day)
{
  guint32 julian = 0;
  gint64 days, minutes, local;

  gboolean date_ok;

  g_return_val_if_fail (tz != NULL, 0);
  g_return_val_if_fail (date != NULL, 0);

  date_ok = date_to_julian (date, &julian);
  g_return_val_if_fail (date_ok, 0);

  days = floor_div (minutes_of_day, MINUTES_PER_DAY);
  minutes = minutes_of_day - days * MINUTES_PER_DAY;
  local = ((gint64) julian + days - UNIX_EPOCH_JULIAN) * SECONDS_PER_DAY + minutes * 60;

  return resolve_local (tz, find_fast_zone (tz), local);
}

/**
 * rota_time_day_start:
 * @tz: a time zone
 * @date: a valid date
 *
 * Returns: the instant of the first minute of @date in @tz
 */
gint64
rota_time_day_start (GTimeZone  *tz,
                     const char *date)
{
  return rota_time_from_local (tz, date, 0);
}

/**
 * rota_time_work_date:
 * @instant: seconds since the epoch, in years 1..9999
 * @tz: a time zone
 *
 * Returns: (transfer full): the local calendar date of @instant in @tz,
 *   "YYYY-MM-DD"
 */
char *
rota_time_work_date (gint64     instant,
                     GTimeZone *tz)
{
  gint64 local;

  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (INSTANT_IS_SANE (instant), NULL);

  local = instant + offset_at (tz, find_fast_zone (tz), instant);

  return julian_to_string ((guint32) (floor_div (local, SECONDS_PER_DAY) + UNIX_EPOCH_JULIAN));
}

/**
 * rota_time_local_minutes:
 * @instant: seconds since the epoch, in years 1..9999
 * @tz: a time zone
 *
 * Returns: the minutes since local midnight, 0..1439, that the wall clock
 *   in @tz shows at @instant
 */
int
rota_time_local_minutes (gint64     instant,
                         GTimeZone *tz)
{
  gint64 local;

  g_return_val_if_fail (tz != NULL, 0);
  g_return_val_if_fail (INSTANT_IS_SANE (instant), 0);

  local = instant + offset_at (tz, find_fast_zone (tz), instant);

  return (int) ((local - floor_div (local, SECONDS_PER_DAY) * SECONDS_PER_DAY) / 60);
}

/**
 * rota_time_zone_offset:
 * @tz: a time zone
 * @instant: seconds since the epoch, in years 1..9999
 * @out_span_start: (out) (optional): the first instant of a span around
 *   @instant over which the offset does not change
 * @out_span_end: (out) (optional): the end of that span, not included
 *
 * The UTC offset of the wall clock in @tz at @instant, and a span over
 * which it holds, so that a caller converting many instants (the rules,
 * over an employee's shifts) looks the offset up once per span. The span
 * may be shorter than the real one: for a zone that rota_time_zone_get()
 * did not return, or an instant outside the Rota range, it is @instant
 * alone.
 *
 * Returns: the offset in seconds: local = UTC + offset
 */
gint32
rota_time_zone_offset (GTimeZone *tz,
                       gint64     instant,
                       gint64    *out_span_start,
                       gint64    *out_span_end)
{
  gint64 start, end;
  gint32 offset;

  g_return_val_if_fail (tz != NULL, 0);
  g_return_val_if_fail (INSTANT_IS_SANE (instant), 0);

  offset = offset_span_at (tz, find_fast_zone (tz), instant, &start, &end);

  if (out_span_start != NULL)
    *out_span_start = start;
  if (out_span_end != NULL)
    *out_span_end = end;

  return offset;
}

/**
 * rota_time_now:
 *
 * Returns: the current wall-clock time in seconds since the epoch
 */
gint64
rota_time_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
