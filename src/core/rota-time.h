/* rota-time.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Time in Rota: instants are gint64 seconds since the Unix epoch, UTC.
 * Calendar dates are "YYYY-MM-DD" strings, local times of day "HH:MM".
 * "Which day" always goes through an office's IANA time zone.
 */

/* The range Rota accepts for instants: 2000-01-01T00:00:00Z up to,
 * not including, 2100-01-01T00:00:00Z. */
#define ROTA_INSTANT_MIN G_GINT64_CONSTANT (946684800)
#define ROTA_INSTANT_MAX G_GINT64_CONSTANT (4102444800)

/* Dates are accepted from 1900-01-01 to 2199-12-31 (birth dates reach back). */
#define ROTA_DATE_YEAR_MIN 1900
#define ROTA_DATE_YEAR_MAX 2199

#define ROTA_DEFAULT_TIME_ZONE "Europe/Amsterdam"

GTimeZone *rota_time_zone_get            (const char   *identifier);
gboolean   rota_time_zone_is_valid       (const char   *identifier);

gboolean   rota_instant_is_valid         (gint64        instant);
gboolean   rota_instant_parse            (const char   *text,
                                          GTimeZone    *default_tz,
                                          gint64       *out_instant);
char      *rota_instant_format           (gint64        instant) G_GNUC_WARN_UNUSED_RESULT;
char      *rota_instant_format_local     (gint64        instant,
                                          GTimeZone    *tz) G_GNUC_WARN_UNUSED_RESULT;

gboolean   rota_date_parse               (const char   *text,
                                          int          *out_year,
                                          int          *out_month,
                                          int          *out_day);
gboolean   rota_date_is_valid            (const char   *text);
char      *rota_date_new                 (int           year,
                                          int           month,
                                          int           day) G_GNUC_WARN_UNUSED_RESULT;
char      *rota_date_add_days            (const char   *date,
                                          int           days) G_GNUC_WARN_UNUSED_RESULT;
int        rota_date_weekday             (const char   *date);
char      *rota_date_week_start          (const char   *date) G_GNUC_WARN_UNUSED_RESULT;
int        rota_date_diff_days           (const char   *from,
                                          const char   *to);

gboolean   rota_time_of_day_parse        (const char   *text,
                                          int          *out_minutes);
gboolean   rota_time_of_day_is_valid     (const char   *text);
gboolean   rota_time_range_parse         (const char   *text,
                                          int          *out_start_minutes,
                                          int          *out_end_minutes,
                                          GError      **error);
char      *rota_time_range_format        (int           start_minutes,
                                          int           end_minutes) G_GNUC_WARN_UNUSED_RESULT;

gint64     rota_time_from_local          (GTimeZone    *tz,
                                          const char   *date,
                                          int           minutes_of_day);
gint64     rota_time_day_start           (GTimeZone    *tz,
                                          const char   *date);
char      *rota_time_work_date           (gint64        instant,
                                          GTimeZone    *tz) G_GNUC_WARN_UNUSED_RESULT;
int        rota_time_local_minutes       (gint64        instant,
                                          GTimeZone    *tz);
gint32     rota_time_zone_offset         (GTimeZone    *tz,
                                          gint64        instant,
                                          gint64       *out_span_start,
                                          gint64       *out_span_end);
gint64     rota_time_now                 (void);

G_END_DECLS
