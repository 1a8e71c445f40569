/* rota-punch-format.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-punch-format"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-punch-format.h"
#include "rota-time.h"

/*
 * How the Punches page writes times: clock times in the office's zone,
 * durations as hours:minutes (HR thinks "8:03", not "8.05 h"), deviations
 * with a real minus sign.
 */

static const RotaReasonCode reason_codes[] = {
  { "forgot_out", N_("Forgot to clock out") },
  { "forgot_in", N_("Forgot to clock in") },
  { "wrong_kind", N_("Wrong kind of punch") },
  { "wrong_time", N_("Wrong time") },
  { "duplicate", N_("Duplicate punch") },
  { "device_fault", N_("Terminal or clock fault") },
  { "off_site", N_("Worked away from the terminal") },
  { "other", N_("Other") },
};

/**
 * rota_punch_reason_codes:
 *
 * Returns: (array length=n_codes): the reasons a correction can give; the
 *   codes are what the server stores, the labels are untranslated
 */
const RotaReasonCode *
rota_punch_reason_codes (guint *n_codes)
{
  *n_codes = G_N_ELEMENTS (reason_codes);

  return reason_codes;
}

/**
 * rota_punch_reason_label:
 *
 * Returns: the translated label of a reason code, or the code itself when
 *   it is not one of ours (another client may have sent it)
 */
const char *
rota_punch_reason_label (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_codes); i++)
    if (g_strcmp0 (reason_codes[i].code, code) == 0)
      return _(reason_codes[i].label);

  return code;
}

char *
rota_punch_format_clock (gint64     instant,
                         GTimeZone *zone)
{
  int minutes;

  if (instant == 0)
    return g_strdup ("—");

  minutes = rota_time_local_minutes (instant, zone);

  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

char *
rota_punch_format_span (gint64     start,
                        gint64     end,
                        GTimeZone *zone)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (start == 0 && end == 0)
    return g_strdup ("—");

  /* A side that was not clocked is a question, not a dash. */
  from = start != 0 ? rota_punch_format_clock (start, zone) : g_strdup ("?");
  to = end != 0 ? rota_punch_format_clock (end, zone) : g_strdup ("?");

  /* Translators: a span of clock times, as in "08:00–16:30" */
  return g_strdup_printf (C_("time span", "%s–%s"), from, to);
}

char *
rota_punch_format_duration (gint64 seconds)
{
  gint64 minutes = (ABS (seconds) + 30) / 60;

  return g_strdup_printf ("%s%" G_GINT64_FORMAT ":%02d", seconds < 0 ? "−" : "",
                          minutes / 60, (int) (minutes % 60));
}

char *
rota_punch_format_deviation (gint64 seconds)
{
  g_autofree char *duration = rota_punch_format_duration (ABS (seconds));

  if (seconds == 0)
    return g_strdup ("±0:00");

  return g_strconcat (seconds < 0 ? "−" : "+", duration, NULL);
}

/**
 * rota_punch_format_day:
 * @work_date: YYYY-MM-DD
 * @with_month: whether to name the month too (a period longer than one)
 */
char *
rota_punch_format_day (const char *work_date,
                       gboolean    with_month)
{
  g_autoptr(GDateTime) time = NULL;
  int year, month, day;

  if (!rota_date_parse (work_date, &year, &month, &day))
    return g_strdup (work_date);

  time = g_date_time_new_utc (year, month, day, 12, 0, 0);

  /* Translators: a day in the Punches list, as in "Mon 23" or "Mon 23 Nov";
   * see https://docs.gtk.org/glib/method.DateTime.format.html */
  return g_date_time_format (time, with_month ? C_("punch day", "%a %-d %b") : C_("punch day", "%a %-d"));
}

const char *
rota_punch_kind_label (RotaPunchKind kind)
{
  switch (kind)
    {
    case ROTA_PUNCH_KIND_IN:          return _("Clock-in");
    case ROTA_PUNCH_KIND_OUT:         return _("Clock-out");
    case ROTA_PUNCH_KIND_BREAK_START: return _("Break start");
    case ROTA_PUNCH_KIND_BREAK_END:   return _("Break end");
    case ROTA_PUNCH_KIND_NONE:
    default:                          return _("Punch");
    }
}
