/* rota-punch-row.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rota-punch-list.h"

G_BEGIN_DECLS

/* The columns of the Punches list, in the order of RotaPunchSort. */
typedef enum
{
  ROTA_PUNCH_COLUMN_EMPLOYEE,
  ROTA_PUNCH_COLUMN_DAY,
  ROTA_PUNCH_COLUMN_PLANNED,
  ROTA_PUNCH_COLUMN_CLOCKED,
  ROTA_PUNCH_COLUMN_BREAK,
  ROTA_PUNCH_COLUMN_WORKED,
  ROTA_PUNCH_COLUMN_DEVIATION,
  ROTA_PUNCH_COLUMN_STATUS,
  ROTA_PUNCH_N_COLUMNS
} RotaPunchColumn;

/* Between two columns, in the header and in every row. */
#define ROTA_PUNCH_COLUMN_SPACING 12

#define ROTA_TYPE_PUNCH_ROW (rota_punch_row_get_type ())

G_DECLARE_FINAL_TYPE (RotaPunchRow, rota_punch_row, ROTA, PUNCH_ROW, GtkWidget)

int            rota_punch_column_width       (RotaPunchColumn  column);
gboolean       rota_punch_column_is_numeric  (RotaPunchColumn  column);
GtkWidget     *rota_punch_row_new            (GtkWidget       *header);
void           rota_punch_row_set_item       (RotaPunchRow    *self,
                                              RotaPunchItem   *item,
                                              gboolean         long_days);
RotaPunchItem *rota_punch_row_get_item       (RotaPunchRow    *self);
const char    *rota_punch_row_get_text       (RotaPunchRow    *self,
                                              RotaPunchColumn  column);
RotaPunchColumn rota_punch_row_column_at     (RotaPunchRow    *self,
                                              double           x);
char          *rota_punch_row_describe       (RotaPunchRow    *self) G_GNUC_WARN_UNUSED_RESULT;
char          *rota_punch_item_dup_status    (RotaPunchItem   *item) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
