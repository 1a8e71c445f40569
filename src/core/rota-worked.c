/* rota-worked.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-worked"

#include "config.h"

#include <string.h>

#include "rota-model-private.h"
#include "rota-worked.h"

/*
 * Worked time from punches. Punches are facts and never change (GoBD,
 * BAG 2022); corrections are laid over them here: a void drops a punch, a
 * move gives it another time, an add makes a punch that was never
 * clocked. Then, per employee in time order, a clock-in opens a span and
 * the next clock-out closes it, with the breaks between them.
 *
 * What does not pair is left out rather than guessed: a clock-in followed
 * by another clock-in (a forgotten clock-out) opens no span that ends, and
 * a clock-out with no clock-in before it closes nothing. Finding and
 * naming such days is the punch analysis of the Punches page.
 */

void
rota_worked_span_free (RotaWorkedSpan *span)
{
  if (span == NULL)
    return;

  g_free (span->id);
  g_free (span->employee_id);
  g_free (span);
}

static int
compare_punches (gconstpointer a,
                 gconstpointer b)
{
  RotaPunch *x = *(RotaPunch * const *) a;
  RotaPunch *y = *(RotaPunch * const *) b;
  int by_employee = g_strcmp0 (x->employee_id, y->employee_id);

  if (by_employee != 0)
    return by_employee;
  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;

  return g_strcmp0 (x->id, y->id);
}

static int
compare_corrections (gconstpointer a,
                     gconstpointer b)
{
  RotaPunchCorrection *x = *(RotaPunchCorrection * const *) a;
  RotaPunchCorrection *y = *(RotaPunchCorrection * const *) b;

  if (x->created_at != y->created_at)
    return x->created_at < y->created_at ? -1 : 1;

  return g_strcmp0 (x->id, y->id);
}

/**
 * rota_worked_effective_punches:
 * @punches: (element-type RotaPunch): punches as clocked
 * @corrections: (element-type RotaPunchCorrection): corrections, in any order
 *
 * Applies the corrections to the punches: in the order they were made,
 * so that a later correction of the same punch wins.
 *
 * Returns: (transfer container) (element-type RotaPunch): new punches,
 *   sorted by employee, time and id
 */
GPtrArray *
rota_worked_effective_punches (GPtrArray *punches,
                               GPtrArray *corrections)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ordered = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (punches != NULL, result);

  for (guint i = 0; i < punches->len; i++)
    {
      RotaPunch *copy = ROTA_PUNCH (rota_entity_copy (g_ptr_array_index (punches, i)));

      g_hash_table_insert (by_id, copy->id, copy);
      g_ptr_array_add (result, copy);
    }

  ordered = g_ptr_array_new ();
  for (guint i = 0; corrections != NULL && i < corrections->len; i++)
    g_ptr_array_add (ordered, g_ptr_array_index (corrections, i));
  g_ptr_array_sort (ordered, compare_corrections);

  for (guint i = 0; i < ordered->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (ordered, i);
      RotaPunch *punch = correction->punch_id ? g_hash_table_lookup (by_id, correction->punch_id) : NULL;

      switch (correction->action)
        {
        case ROTA_CORRECTION_ACTION_ADD:
          {
            RotaPunch *added = rota_punch_new ();

            added->id = g_strdup (correction->id);
            added->employee_id = g_strdup (correction->employee_id);
            added->kind = correction->new_kind;
            added->at = correction->new_at;
            added->source = g_strdup ("manual");
            g_hash_table_insert (by_id, added->id, added);
            g_ptr_array_add (result, added);
          }
          break;

        case ROTA_CORRECTION_ACTION_MOVE:
          if (punch != NULL)
            {
              punch->at = correction->new_at;
              if (correction->new_kind != ROTA_PUNCH_KIND_NONE)
                punch->kind = correction->new_kind;
            }
          break;

        case ROTA_CORRECTION_ACTION_VOID:
          if (punch != NULL)
            {
              g_hash_table_remove (by_id, punch->id);
              g_ptr_array_remove (result, punch);
            }
          break;

        case ROTA_CORRECTION_ACTION_NONE:
        default:
          break;
        }
    }

  g_ptr_array_sort (result, compare_punches);

  return result;
}

/**
 * rota_worked_spans:
 * @punches: (element-type RotaPunch): effective punches, sorted by employee
 *   and time (as rota_worked_effective_punches() gives them)
 *
 * Returns: (transfer container) (element-type RotaWorkedSpan): the spans
 *   from each clock-in to its clock-out, in the order of @punches
 */
GPtrArray *
rota_worked_spans (GPtrArray *punches)
{
  GPtrArray *spans = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_worked_span_free);
  RotaPunch *open = NULL;
  gint64 break_started = 0;
  gint64 break_seconds = 0;

  g_return_val_if_fail (punches != NULL, spans);

  for (guint i = 0; i < punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (punches, i);

      /* Another employee: whatever was open stays unclosed. */
      if (open != NULL && g_strcmp0 (open->employee_id, punch->employee_id) != 0)
        open = NULL;

      switch (punch->kind)
        {
        case ROTA_PUNCH_KIND_IN:
          /* A second clock-in: the first one's clock-out was forgotten. */
          open = punch;
          break_started = 0;
          break_seconds = 0;
          break;

        case ROTA_PUNCH_KIND_BREAK_START:
          if (open != NULL && break_started == 0)
            break_started = punch->at;
          break;

        case ROTA_PUNCH_KIND_BREAK_END:
          if (open != NULL && break_started != 0)
            {
              break_seconds += punch->at - break_started;
              break_started = 0;
            }
          break;

        case ROTA_PUNCH_KIND_OUT:
          if (open != NULL && punch->at > open->at)
            {
              RotaWorkedSpan *span = g_new0 (RotaWorkedSpan, 1);

              /* A break never ended counts until the clock-out. */
              if (break_started != 0)
                break_seconds += punch->at - break_started;

              span->id = g_strdup (open->id);
              span->employee_id = g_strdup (open->employee_id);
              span->start = open->at;
              span->end = punch->at;
              span->break_seconds = MIN (break_seconds, span->end - span->start);
              g_ptr_array_add (spans, span);
            }
          open = NULL;
          break_started = 0;
          break_seconds = 0;
          break;

        case ROTA_PUNCH_KIND_NONE:
        default:
          break;
        }
    }

  return spans;
}
