/* rota-punch-analysis-private.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-punch-analysis.h"

G_BEGIN_DECLS

/* rota_punch_report_load() with the size of its parts: @chunk_days days
 * at a time, or calendar months when it is 0. Tests compare the two. */
RotaPunchReport *_rota_punch_report_load_chunked (RotaStore     *store,
                                                  const char    *first_day,
                                                  const char    *last_day,
                                                  const char    *department_id,
                                                  gint64         now,
                                                  int            chunk_days,
                                                  GCancellable  *cancellable,
                                                  GError       **error);

G_END_DECLS
