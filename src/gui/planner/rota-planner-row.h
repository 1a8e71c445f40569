/* rota-planner-row.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rota-plan.h"

G_BEGIN_DECLS

/* How a row draws: a person's or the open shifts' days, the day names
 * above them, or the totals below. */
typedef enum
{
  ROTA_PLANNER_ROW_MODE_ROW,
  ROTA_PLANNER_ROW_MODE_HEADER,
  ROTA_PLANNER_ROW_MODE_TOTALS,
} RotaPlannerRowMode;

#define ROTA_PLANNER_NAME_WIDTH  200
#define ROTA_PLANNER_TOTAL_WIDTH 96
#define ROTA_PLANNER_ROW_HEIGHT  44

#define ROTA_TYPE_PLANNER_ROW (rota_planner_row_get_type ())

G_DECLARE_FINAL_TYPE (RotaPlannerRow, rota_planner_row, ROTA, PLANNER_ROW, GtkWidget)

GtkWidget   *rota_planner_row_new          (RotaPlannerRowMode  mode);
void         rota_planner_row_set_plan     (RotaPlannerRow     *self,
                                            RotaPlan           *plan);
void         rota_planner_row_set_row      (RotaPlannerRow     *self,
                                            RotaPlanRow        *row);
RotaPlanRow *rota_planner_row_get_row      (RotaPlannerRow     *self);
void         rota_planner_row_set_cursor   (RotaPlannerRow     *self,
                                            int                 day,
                                            const char         *shift_id);
void         rota_planner_row_set_show_cost (RotaPlannerRow    *self,
                                            gboolean            show_cost);
int          rota_planner_row_day_at       (RotaPlannerRow     *self,
                                            double              x);
RotaShift   *rota_planner_row_shift_at     (RotaPlannerRow     *self,
                                            double              x,
                                            double              y);
void         rota_planner_row_get_cell     (RotaPlannerRow     *self,
                                            int                 day,
                                            graphene_rect_t    *rect);
char        *rota_planner_row_describe     (RotaPlannerRow     *self) G_GNUC_WARN_UNUSED_RESULT;
void         rota_planner_row_update_totals (RotaPlannerRow    *self);

G_END_DECLS
