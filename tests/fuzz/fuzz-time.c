/* fuzz-time.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * libFuzzer harness for the time parsers: a parsed instant or date is in
 * range and formats back to text that parses to the same value.
 */

#include "config.h"

#include "rota-time.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  gint64 instant = 0;
  int year, month, day;
  int minutes;

  if (rota_instant_parse (text, NULL, &instant))
    {
      g_autofree char *formatted = rota_instant_format (instant);
      gint64 again = 0;

      g_assert (rota_instant_is_valid (instant));
      g_assert (rota_instant_parse (formatted, NULL, &again));
      g_assert (again == instant);
    }

  if (rota_date_parse (text, &year, &month, &day))
    {
      g_autofree char *formatted = rota_date_new (year, month, day);

      g_assert (formatted != NULL);
      g_assert (g_str_equal (formatted, text));
    }

  if (rota_time_of_day_parse (text, &minutes))
    g_assert (minutes >= 0 && minutes <= 24 * 60);

  return 0;
}
