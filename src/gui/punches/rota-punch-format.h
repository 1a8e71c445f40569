/* rota-punch-format.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "rota-enums.h"

G_BEGIN_DECLS

typedef struct
{
  const char *code;
  const char *label;
} RotaReasonCode;

char                 *rota_punch_format_clock     (gint64         instant,
                                                   GTimeZone     *zone) G_GNUC_WARN_UNUSED_RESULT;
char                 *rota_punch_format_span      (gint64         start,
                                                   gint64         end,
                                                   GTimeZone     *zone) G_GNUC_WARN_UNUSED_RESULT;
char                 *rota_punch_format_duration  (gint64         seconds) G_GNUC_WARN_UNUSED_RESULT;
char                 *rota_punch_format_deviation (gint64         seconds) G_GNUC_WARN_UNUSED_RESULT;
char                 *rota_punch_format_day       (const char    *work_date,
                                                   gboolean       with_month) G_GNUC_WARN_UNUSED_RESULT;
const char           *rota_punch_kind_label       (RotaPunchKind  kind);
const RotaReasonCode *rota_punch_reason_codes     (guint         *n_codes);
const char           *rota_punch_reason_label     (const char    *code);

G_END_DECLS
