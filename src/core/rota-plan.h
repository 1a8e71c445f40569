/* rota-plan.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-models.h"
#include "rota-rules.h"
#include "rota-store.h"

G_BEGIN_DECLS

typedef enum
{
  ROTA_PLAN_ROW_OPEN,       /*< nick=open >*/
  ROTA_PLAN_ROW_DEPARTMENT, /*< nick=department >*/
  ROTA_PLAN_ROW_EMPLOYEE,   /*< nick=employee >*/
} RotaPlanRowKind;

/* What the planner knows of a shift besides the shift itself. */
typedef enum
{
  ROTA_PLAN_SHIFT_PENDING     = 1 << 0, /* an edit not synced yet */
  ROTA_PLAN_SHIFT_CONFLICT    = 1 << 1, /* an edit in conflict or refused */
  ROTA_PLAN_SHIFT_WARNING     = 1 << 2, /* a rule's warning */
  ROTA_PLAN_SHIFT_VIOLATION   = 1 << 3, /* a rule's violation */
} RotaPlanShiftFlags;

#define ROTA_TYPE_PLAN_ROW (rota_plan_row_get_type ())
G_DECLARE_FINAL_TYPE (RotaPlanRow, rota_plan_row, ROTA, PLAN_ROW, GObject)

#define ROTA_TYPE_PLAN (rota_plan_get_type ())
G_DECLARE_FINAL_TYPE (RotaPlan, rota_plan, ROTA, PLAN, GObject)

RotaPlanRowKind  rota_plan_row_get_kind         (RotaPlanRow  *self);
RotaEmployee    *rota_plan_row_get_employee     (RotaPlanRow  *self);
RotaDepartment  *rota_plan_row_get_department   (RotaPlanRow  *self);
const char      *rota_plan_row_get_title        (RotaPlanRow  *self);
GPtrArray       *rota_plan_row_get_shifts       (RotaPlanRow  *self);
gint64           rota_plan_row_get_minutes      (RotaPlanRow  *self);
GTimeZone       *rota_plan_row_get_zone         (RotaPlanRow  *self);
guint            rota_plan_row_get_position     (RotaPlanRow  *self);

RotaPlan        *rota_plan_new                  (RotaStore    *store,
                                                 const char   *actor) G_GNUC_WARN_UNUSED_RESULT;
RotaStore       *rota_plan_get_store            (RotaPlan     *self);
gboolean         rota_plan_load                 (RotaPlan     *self,
                                                 const char   *first_date,
                                                 guint         n_days,
                                                 GError      **error);
gboolean         rota_plan_reload               (RotaPlan     *self,
                                                 GError      **error);
void             rota_plan_prefetch             (RotaPlan     *self,
                                                 const char   *first_date,
                                                 guint         n_days);
const char      *rota_plan_get_first_date       (RotaPlan     *self);
guint            rota_plan_get_n_days           (RotaPlan     *self);
GListModel      *rota_plan_get_rows             (RotaPlan     *self);
GListModel      *rota_plan_get_departments      (RotaPlan     *self);
void             rota_plan_set_filter           (RotaPlan     *self,
                                                 const char   *search,
                                                 const char   *department_id);
RotaPlanRow     *rota_plan_find_row             (RotaPlan     *self,
                                                 const char   *employee_id);
RotaPlanRow     *rota_plan_find_shift           (RotaPlan     *self,
                                                 const char   *shift_id,
                                                 RotaShift   **out_shift);
int              rota_plan_day_of               (RotaPlan     *self,
                                                 RotaPlanRow  *row,
                                                 gint64        instant);
gint64           rota_plan_day_start            (RotaPlan     *self,
                                                 RotaPlanRow  *row,
                                                 guint         day);
RotaPlanShiftFlags rota_plan_get_shift_flags    (RotaPlan     *self,
                                                 RotaShift    *shift);
GPtrArray       *rota_plan_get_shift_findings   (RotaPlan     *self,
                                                 const char   *shift_id) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray       *rota_plan_get_findings         (RotaPlan     *self);
void             rota_plan_get_day_totals       (RotaPlan     *self,
                                                 guint         day,
                                                 gint64       *out_minutes,
                                                 guint        *out_people,
                                                 gint64       *out_cost_cents);
gint64           rota_plan_get_cost_cents       (RotaPlan     *self);
char            *rota_plan_describe_shift       (RotaPlan     *self,
                                                 RotaShift    *shift) G_GNUC_WARN_UNUSED_RESULT;

/* Edits: each goes through the store's outbox and can be undone. */
RotaShift       *rota_plan_create_shift         (RotaPlan     *self,
                                                 RotaPlanRow  *row,
                                                 guint         day,
                                                 int           start_minutes,
                                                 int           end_minutes,
                                                 GError      **error) G_GNUC_WARN_UNUSED_RESULT;
RotaShift       *rota_plan_create_shift_full    (RotaPlan     *self,
                                                 RotaPlanRow  *row,
                                                 guint         day,
                                                 int           start_minutes,
                                                 int           end_minutes,
                                                 gint64        break_minutes,
                                                 const char   *note,
                                                 GError      **error) G_GNUC_WARN_UNUSED_RESULT;
gint64           rota_plan_default_break        (int           minutes);
gboolean         rota_plan_update_shift         (RotaPlan     *self,
                                                 const char   *shift_id,
                                                 int           start_minutes,
                                                 int           end_minutes,
                                                 gint64        break_minutes,
                                                 const char   *note,
                                                 GError      **error);
RotaShift       *rota_plan_move_shift           (RotaPlan     *self,
                                                 const char   *shift_id,
                                                 RotaPlanRow  *to_row,
                                                 int           day_delta,
                                                 gboolean      copy,
                                                 GError      **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean         rota_plan_delete_shift         (RotaPlan     *self,
                                                 const char   *shift_id,
                                                 GError      **error);
guint            rota_plan_copy_to_next_week    (RotaPlan     *self,
                                                 GError      **error);
guint            rota_plan_publish              (RotaPlan     *self,
                                                 guint         first_day,
                                                 guint         n_days,
                                                 GError      **error);
gboolean         rota_plan_can_undo             (RotaPlan     *self);
gboolean         rota_plan_can_redo             (RotaPlan     *self);
const char      *rota_plan_get_undo_label       (RotaPlan     *self);
const char      *rota_plan_get_redo_label       (RotaPlan     *self);
gboolean         rota_plan_undo                 (RotaPlan     *self,
                                                 GError      **error);
gboolean         rota_plan_redo                 (RotaPlan     *self,
                                                 GError      **error);

G_END_DECLS
