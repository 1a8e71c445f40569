/* rota-planner-page.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-plan.h"

G_BEGIN_DECLS

#define ROTA_TYPE_PLANNER_PAGE (rota_planner_page_get_type ())

G_DECLARE_FINAL_TYPE (RotaPlannerPage, rota_planner_page, ROTA, PLANNER_PAGE, GtkWidget)

void        rota_planner_page_set_plan      (RotaPlannerPage *self,
                                             RotaPlan        *plan,
                                             const char      *day);
RotaPlan   *rota_planner_page_get_plan      (RotaPlannerPage *self);
void        rota_planner_page_set_read_only (RotaPlannerPage *self,
                                             gboolean         read_only);
const char *rota_planner_page_get_title     (RotaPlannerPage *self);
void        rota_planner_page_step          (RotaPlannerPage *self,
                                             int              direction);
void        rota_planner_page_go_to         (RotaPlannerPage *self,
                                             const char      *day);
void        rota_planner_page_set_view      (RotaPlannerPage *self,
                                             const char      *view);
void        rota_planner_page_set_cursor    (RotaPlannerPage *self,
                                             guint            position,
                                             int              day);
gboolean    rota_planner_page_get_cursor    (RotaPlannerPage *self,
                                             guint           *position,
                                             int             *day,
                                             const char     **shift_id);
void        rota_planner_page_select_shift  (RotaPlannerPage *self,
                                             const char      *shift_id);
GtkWidget  *rota_planner_page_get_editor    (RotaPlannerPage *self);
void        rota_planner_page_set_issues_visible (RotaPlannerPage *self,
                                             gboolean         visible);

G_END_DECLS
