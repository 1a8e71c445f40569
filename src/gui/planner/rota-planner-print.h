/* rota-planner-print.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rota-plan.h"

G_BEGIN_DECLS

GtkPrintOperation *rota_planner_print_new        (RotaPlan    *plan) G_GNUC_WARN_UNUSED_RESULT;
gboolean           rota_planner_print_export_pdf (RotaPlan    *plan,
                                                  const char  *path,
                                                  GError     **error);

G_END_DECLS
