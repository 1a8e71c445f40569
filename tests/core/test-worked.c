/* test-worked.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rota-model-private.h"
#include "rota-worked.h"

/* 2026-11-23T07:00:00Z, 08:00 in Amsterdam. */
#define T0   G_GINT64_CONSTANT (1795417200)
#define HOUR 3600

static RotaPunch *
punch (const char    *id,
       const char    *employee,
       RotaPunchKind  kind,
       gint64         at)
{
  RotaPunch *p = rota_punch_new ();

  p->id = g_strdup (id);
  p->employee_id = g_strdup (employee);
  p->kind = kind;
  p->at = at;
  p->source = g_strdup ("terminal");

  return p;
}

static RotaPunchCorrection *
correction (const char           *id,
            const char           *punch_id,
            RotaCorrectionAction  action,
            RotaPunchKind         new_kind,
            gint64                new_at,
            gint64                created_at)
{
  RotaPunchCorrection *c = rota_punch_correction_new ();

  c->id = g_strdup (id);
  c->punch_id = g_strdup (punch_id);
  c->employee_id = g_strdup ("e1");
  c->action = action;
  c->new_kind = new_kind;
  c->new_at = new_at;
  c->reason_code = g_strdup ("test");
  c->author = g_strdup ("hr");
  c->created_at = created_at;

  return c;
}

typedef struct
{
  const char *name;
  struct { RotaPunchKind kind; gint64 at; } punches[6];
  guint n_spans;
  gint64 first_start;
  gint64 first_end;
  gint64 first_break;
} Case;

#define IN ROTA_PUNCH_KIND_IN
#define OUT ROTA_PUNCH_KIND_OUT
#define BS ROTA_PUNCH_KIND_BREAK_START
#define BE ROTA_PUNCH_KIND_BREAK_END

static const Case cases[] = {
  { "day", { { IN, T0 }, { OUT, T0 + 8 * HOUR } }, 1, T0, T0 + 8 * HOUR, 0 },
  { "break-punched", { { IN, T0 }, { BS, T0 + 4 * HOUR }, { BE, T0 + 4 * HOUR + 1800 }, { OUT, T0 + 8 * HOUR + 1800 } },
    1, T0, T0 + 8 * HOUR + 1800, 1800 },
  { "two-breaks", { { IN, T0 }, { BS, T0 + 2 * HOUR }, { BE, T0 + 2 * HOUR + 900 }, { BS, T0 + 5 * HOUR },
                    { BE, T0 + 5 * HOUR + 1800 }, { OUT, T0 + 9 * HOUR } }, 1, T0, T0 + 9 * HOUR, 2700 },
  { "break-not-ended", { { IN, T0 }, { BS, T0 + 7 * HOUR }, { OUT, T0 + 8 * HOUR } }, 1, T0, T0 + 8 * HOUR, HOUR },
  { "missing-out", { { IN, T0 } }, 0, 0, 0, 0 },
  { "missing-in", { { OUT, T0 + 8 * HOUR } }, 0, 0, 0, 0 },
  { "double-in", { { IN, T0 }, { IN, T0 + HOUR }, { OUT, T0 + 8 * HOUR } }, 1, T0 + HOUR, T0 + 8 * HOUR, 0 },
  { "out-before-in", { { OUT, T0 - HOUR }, { IN, T0 }, { OUT, T0 + 8 * HOUR } }, 1, T0, T0 + 8 * HOUR, 0 },
  { "midnight", { { IN, T0 + 14 * HOUR }, { OUT, T0 + 22 * HOUR } }, 1, T0 + 14 * HOUR, T0 + 22 * HOUR, 0 },
  { "thirty-hour-gap", { { IN, T0 }, { OUT, T0 + 30 * HOUR } }, 1, T0, T0 + 30 * HOUR, 0 },
  { "two-days", { { IN, T0 }, { OUT, T0 + 8 * HOUR }, { IN, T0 + 24 * HOUR }, { OUT, T0 + 32 * HOUR } },
    2, T0, T0 + 8 * HOUR, 0 },
};

static void
test_worked_table (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) punches = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) effective = NULL;
      g_autoptr(GPtrArray) spans = NULL;

      /* Given out of order: the analysis sorts. */
      for (int i = G_N_ELEMENTS (cases[c].punches) - 1; i >= 0; i--)
        if (cases[c].punches[i].kind != ROTA_PUNCH_KIND_NONE)
          {
            g_autofree char *id = g_strdup_printf ("%s-%d", cases[c].name, i);
            g_ptr_array_add (punches, punch (id, "e1", cases[c].punches[i].kind, cases[c].punches[i].at));
          }

      effective = rota_worked_effective_punches (punches, NULL);
      spans = rota_worked_spans (effective);
      g_test_message ("%s: %u spans", cases[c].name, spans->len);
      g_assert_cmpuint (spans->len, ==, cases[c].n_spans);
      if (spans->len > 0)
        {
          RotaWorkedSpan *span = g_ptr_array_index (spans, 0);

          g_assert_cmpint (span->start, ==, cases[c].first_start);
          g_assert_cmpint (span->end, ==, cases[c].first_end);
          g_assert_cmpint (span->break_seconds, ==, cases[c].first_break);
          g_assert_cmpstr (span->employee_id, ==, "e1");
        }
    }
}

static void
test_worked_corrections (void)
{
  g_autoptr(GPtrArray) punches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) corrections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) effective = NULL;
  g_autoptr(GPtrArray) spans = NULL;
  RotaWorkedSpan *span;

  /* Monday: in at 8 (really 7:55), a double in at 8:02 voided, the
   * clock-out forgotten and added at 16:30. */
  g_ptr_array_add (punches, punch ("p1", "e1", IN, T0));
  g_ptr_array_add (punches, punch ("p2", "e1", IN, T0 + 120));
  /* Tuesday: a normal day of another employee in between. */
  g_ptr_array_add (punches, punch ("q1", "e2", IN, T0 + 3600));
  g_ptr_array_add (punches, punch ("q2", "e2", OUT, T0 + 5 * 3600));

  g_ptr_array_add (corrections, correction ("c2", "p2", ROTA_CORRECTION_ACTION_VOID, ROTA_PUNCH_KIND_NONE, 0, T0 + 48 * HOUR));
  g_ptr_array_add (corrections, correction ("c3", NULL, ROTA_CORRECTION_ACTION_ADD, OUT, T0 + 8 * HOUR + 1800, T0 + 49 * HOUR));
  /* Given before the move it follows: applied in the order made. */
  g_ptr_array_add (corrections, correction ("c1b", "p1", ROTA_CORRECTION_ACTION_MOVE, ROTA_PUNCH_KIND_NONE, T0 - 300, T0 + 50 * HOUR));
  g_ptr_array_add (corrections, correction ("c1a", "p1", ROTA_CORRECTION_ACTION_MOVE, ROTA_PUNCH_KIND_NONE, T0 - 600, T0 + 47 * HOUR));

  effective = rota_worked_effective_punches (punches, corrections);
  g_assert_cmpuint (effective->len, ==, 4);
  spans = rota_worked_spans (effective);
  g_assert_cmpuint (spans->len, ==, 2);

  span = g_ptr_array_index (spans, 0);
  g_assert_cmpstr (span->employee_id, ==, "e1");
  g_assert_cmpstr (span->id, ==, "p1");
  g_assert_cmpint (span->start, ==, T0 - 300);
  g_assert_cmpint (span->end, ==, T0 + 8 * HOUR + 1800);

  span = g_ptr_array_index (spans, 1);
  g_assert_cmpstr (span->employee_id, ==, "e2");
  g_assert_cmpint (span->end - span->start, ==, 4 * HOUR);

  /* The punches as clocked are untouched. */
  g_assert_cmpint (ROTA_PUNCH (g_ptr_array_index (punches, 0))->at, ==, T0);
  g_assert_cmpuint (punches->len, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/worked/table", test_worked_table);
  g_test_add_func ("/core/worked/corrections", test_worked_corrections);

  return g_test_run ();
}
