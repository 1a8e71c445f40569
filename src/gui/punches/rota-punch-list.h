/* rota-punch-list.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-punch-analysis.h"

G_BEGIN_DECLS

typedef enum
{
  ROTA_PUNCH_FILTER_NEEDS_REVIEW,
  ROTA_PUNCH_FILTER_ALL,
  ROTA_PUNCH_FILTER_APPROVED,
} RotaPunchFilter;

typedef enum
{
  ROTA_PUNCH_SORT_EMPLOYEE,
  ROTA_PUNCH_SORT_DAY,
  ROTA_PUNCH_SORT_PLANNED,
  ROTA_PUNCH_SORT_CLOCKED,
  ROTA_PUNCH_SORT_BREAK,
  ROTA_PUNCH_SORT_WORKED,
  ROTA_PUNCH_SORT_DEVIATION,
  ROTA_PUNCH_SORT_STATUS,
} RotaPunchSort;

#define ROTA_TYPE_PUNCH_ITEM (rota_punch_item_get_type ())

G_DECLARE_FINAL_TYPE (RotaPunchItem, rota_punch_item, ROTA, PUNCH_ITEM, GObject)

#define ROTA_TYPE_PUNCH_LIST (rota_punch_list_get_type ())

G_DECLARE_FINAL_TYPE (RotaPunchList, rota_punch_list, ROTA, PUNCH_LIST, GObject)

RotaPunchList      *rota_punch_list_new              (void) G_GNUC_WARN_UNUSED_RESULT;
void                rota_punch_list_set_people       (RotaPunchList   *self,
                                                      GPtrArray       *employees,
                                                      GPtrArray       *departments,
                                                      GPtrArray       *offices);
void                rota_punch_list_set_report       (RotaPunchList   *self,
                                                      RotaPunchReport *report);
void                rota_punch_list_replace_employee (RotaPunchList   *self,
                                                      const char      *employee_id,
                                                      RotaPunchReport *report);
void                rota_punch_list_set_conflicts    (RotaPunchList   *self,
                                                      GHashTable      *conflicts);
void                rota_punch_list_set_filter       (RotaPunchList   *self,
                                                      RotaPunchFilter  filter,
                                                      const char      *department_id,
                                                      const char      *search);
void                rota_punch_list_set_sort         (RotaPunchList   *self,
                                                      RotaPunchSort    sort,
                                                      gboolean         descending);
guint               rota_punch_list_count            (RotaPunchList   *self,
                                                      RotaPunchFilter  filter);
guint               rota_punch_list_next_to_review   (RotaPunchList   *self,
                                                      guint            after);
guint               rota_punch_list_find             (RotaPunchList   *self,
                                                      const char      *employee_id,
                                                      const char      *work_date);
GTimeZone          *rota_punch_list_get_zone_of      (RotaPunchList   *self,
                                                      const char      *employee_id);
void                rota_punch_list_mark_approved    (RotaPunchList   *self,
                                                      GArray          *positions,
                                                      const char      *author,
                                                      gint64           at);

const RotaPunchDay *rota_punch_item_get_day          (RotaPunchItem   *self);
const char         *rota_punch_item_get_name         (RotaPunchItem   *self);
GTimeZone          *rota_punch_item_get_zone         (RotaPunchItem   *self);
const RotaOutboxItem *rota_punch_item_get_conflict   (RotaPunchItem   *self);
gboolean            rota_punch_item_needs_review     (RotaPunchItem   *self);
RotaEmployee       *rota_punch_item_get_employee     (RotaPunchItem   *self);

gboolean            rota_punch_day_needs_review      (const RotaPunchDay *day);
gboolean            rota_punch_day_can_approve       (const RotaPunchDay *day);

G_END_DECLS
