/* csv-read.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <glib.h>

/* What the payroll tests (test-payroll.c, test-rotactl.c) read CSV with.
 * It is the tests' own, independent of the writer in rota-payroll.c. */

typedef enum
{
  /* What Rota writes: a UTF-8 byte order mark first, CRLF line ends. */
  CSV_READ_ROTA = 0,
  /* Another program's CSV: no byte order mark, LF line ends. */
  CSV_READ_LF_NO_BOM = 1 << 0,
  /* A field that was in quotes is returned with CSV_QUOTED before it. */
  CSV_READ_MARK_QUOTED = 1 << 1,
} CsvReadFlags;

#define CSV_QUOTED "\x1f"

/* An RFC 4180 reader, strict: every line ends in CRLF (or LF, with
 * CSV_READ_LF_NO_BOM), a quote only opens or closes a field (or is
 * doubled inside one), and the text begins with a UTF-8 byte order mark
 * (or none). Returns the rows, each a GPtrArray of strings. */
static inline GPtrArray *
csv_read (const char   *text,
          gsize         length,
          CsvReadFlags  flags)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *p = text;
  const char *end = text + length;
  gboolean lf = (flags & CSV_READ_LF_NO_BOM) != 0;

  if (!lf)
    {
      g_assert_cmpuint (length, >=, 3);
      g_assert_cmpmem (p, 3, "\xEF\xBB\xBF", 3);
      p += 3;
    }

  while (p < end)
    {
      GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

      for (;;)
        {
          GString *field = g_string_new (NULL);

          if (*p == '"')
            {
              if (flags & CSV_READ_MARK_QUOTED)
                g_string_append (field, CSV_QUOTED);
              p++;
              for (;;)
                {
                  g_assert_true (p < end);   /* an unterminated quote */
                  if (*p == '"')
                    {
                      if (p + 1 < end && p[1] == '"')
                        {
                          g_string_append_c (field, '"');
                          p += 2;
                        }
                      else
                        {
                          p++;
                          break;
                        }
                    }
                  else
                    {
                      g_string_append_c (field, *p++);
                    }
                }
            }
          else
            {
              while (p < end && *p != ',' && *p != '\r' && *p != '\n')
                {
                  g_assert_cmpint (*p, !=, '"');   /* a quote inside a bare field */
                  g_string_append_c (field, *p++);
                }
            }

          g_ptr_array_add (row, g_string_free (field, FALSE));

          g_assert_true (p < end);   /* the last line ends in CRLF too */
          if (*p == ',')
            {
              p++;
              continue;
            }
          if (lf)
            {
              g_assert_cmpint (p[0], ==, '\n');
              p += 1;
            }
          else
            {
              g_assert_true (p + 1 < end);
              g_assert_cmpint (p[0], ==, '\r');
              g_assert_cmpint (p[1], ==, '\n');
              p += 2;
            }
          break;
        }

      g_ptr_array_add (rows, row);
    }

  return rows;
}
