/* rota-worked.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "rota-models.h"

G_BEGIN_DECLS

/**
 * RotaWorkedSpan:
 * @id: the id of the punch, or of the correction that added it, opening the span
 * @employee_id: whose span
 * @start: the clock-in
 * @end: the clock-out
 * @break_seconds: time between break starts and break ends inside the span
 *
 * One worked span, from a clock-in to its clock-out, after corrections.
 */
typedef struct
{
  char   *id;
  char   *employee_id;
  gint64  start;
  gint64  end;
  gint64  break_seconds;
} RotaWorkedSpan;

void       rota_worked_span_free          (RotaWorkedSpan *span);

GPtrArray *rota_worked_effective_punches (GPtrArray      *punches,
                                          GPtrArray      *corrections) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *rota_worked_spans             (GPtrArray      *punches) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
