/* rota-punch-row.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-punch-row"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-punch-format.h"
#include "rota-punch-row.h"
#include "rota-text-cache.h"

/*
 * One row of the Punches list: an employee-day's eight columns, drawn by
 * the row itself under the header's buttons.
 *
 * A filter or a status switch over a year replaces every row the list
 * view keeps (about 200 in GTK 4.8, which makes new row widgets for new
 * items). A row of eight labels, an image and a box made that the cost
 * of the frame after the switch; one widget that keeps its texts and
 * draws them from the shaped texts all rows share (rota-text-cache.c)
 * costs a tenth of it.
 *
 * The columns line up with the header's buttons: a row reads their
 * places when it draws. Without a header (or before it is laid out) the
 * row lays the columns out as a box with ROTA_PUNCH_COLUMN_SPACING
 * would, the employee taking what the others leave.
 *
 * Screen readers get the day from the list item (see the page); the
 * tooltips for the status and a deducted break are the row's.
 */

#define STATUS_ICON_SIZE 16
#define STATUS_ICON_GAP  6

struct _RotaPunchRow
{
  GtkWidget      parent_instance;

  GtkWidget     *header;
  RotaPunchItem *item;
  char          *texts[ROTA_PUNCH_N_COLUMNS];
  const char    *icon_name;
  gboolean       warning;
};

G_DEFINE_FINAL_TYPE (RotaPunchRow, rota_punch_row, GTK_TYPE_WIDGET)

static const int column_widths[ROTA_PUNCH_N_COLUMNS] = { 200, 100, 110, 110, 80, 100, 70, 190 };

/**
 * rota_punch_column_width:
 *
 * Returns: the width of @column in the header and in every row; the
 *   employee's is the least it gets, as it takes the room left over.
 */
int
rota_punch_column_width (RotaPunchColumn column)
{
  g_return_val_if_fail (column < ROTA_PUNCH_N_COLUMNS, 0);

  return column_widths[column];
}

/**
 * rota_punch_column_is_numeric:
 *
 * Returns: whether @column holds a number, set to the right.
 */
gboolean
rota_punch_column_is_numeric (RotaPunchColumn column)
{
  return column == ROTA_PUNCH_COLUMN_BREAK || column == ROTA_PUNCH_COLUMN_WORKED ||
         column == ROTA_PUNCH_COLUMN_DEVIATION;
}

/* Column places */

typedef struct
{
  double x;
  double width;
} Span;

/* Where each column is, in the row's coordinates: under its heading, or
 * as a box would put it. */
static void
compute_spans (RotaPunchRow *self,
               Span          spans[ROTA_PUNCH_N_COLUMNS])
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  graphene_point_t origin;
  GtkWidget *button;
  RotaPunchColumn column = 0;
  double fixed = 0, x = 0;

  if (self->header != NULL && gtk_widget_get_width (self->header) > 0 &&
      gtk_widget_compute_point (self->header, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (0, 0), &origin))
    {
      for (button = gtk_widget_get_first_child (self->header);
           button != NULL && column < ROTA_PUNCH_N_COLUMNS;
           button = gtk_widget_get_next_sibling (button), column++)
        {
          graphene_rect_t bounds;

          if (!gtk_widget_compute_bounds (button, self->header, &bounds))
            break;
          spans[column].x = origin.x + bounds.origin.x;
          spans[column].width = bounds.size.width;
        }
      if (column == ROTA_PUNCH_N_COLUMNS)
        return;
    }

  for (column = 1; column < ROTA_PUNCH_N_COLUMNS; column++)
    fixed += column_widths[column] + ROTA_PUNCH_COLUMN_SPACING;
  for (column = 0; column < ROTA_PUNCH_N_COLUMNS; column++)
    {
      spans[column].x = x;
      spans[column].width = column == ROTA_PUNCH_COLUMN_EMPLOYEE ? MAX (column_widths[0], width - fixed)
                                                                 : column_widths[column];
      x += spans[column].width + ROTA_PUNCH_COLUMN_SPACING;
    }
}

/**
 * rota_punch_row_column_at:
 *
 * Returns: the column under @x (in the row's coordinates), or
 *   %ROTA_PUNCH_N_COLUMNS between columns.
 */
RotaPunchColumn
rota_punch_row_column_at (RotaPunchRow *self,
                          double        x)
{
  Span spans[ROTA_PUNCH_N_COLUMNS];

  g_return_val_if_fail (ROTA_IS_PUNCH_ROW (self), ROTA_PUNCH_N_COLUMNS);

  compute_spans (self, spans);
  for (RotaPunchColumn column = 0; column < ROTA_PUNCH_N_COLUMNS; column++)
    if (x >= spans[column].x && x < spans[column].x + spans[column].width)
      return column;

  return ROTA_PUNCH_N_COLUMNS;
}

/* Drawing */

static void
append_text (GtkSnapshot   *snapshot,
             PangoContext  *context,
             const char    *text,
             gboolean       numeric,
             double         x,
             double         width,
             double         height,
             gboolean       right,
             const GdkRGBA *color)
{
  const RotaShapedText *cached;
  g_autoptr(PangoLayout) ellipsized = NULL;
  PangoLayout *layout;

  if (text == NULL || *text == '\0' || width <= 0)
    return;

  cached = rota_text_cache_lookup (context, text, numeric ? ROTA_TEXT_NUMERIC : ROTA_TEXT_PLAIN);
  layout = cached->layout;
  if (cached->width > width)
    {
      ellipsized = pango_layout_copy (cached->layout);
      pango_layout_set_width (ellipsized, (int) width * PANGO_SCALE);
      pango_layout_set_ellipsize (ellipsized, PANGO_ELLIPSIZE_END);
      layout = ellipsized;
    }
  else if (right)
    x += width - cached->width;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) ((height - cached->height) / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
rota_punch_row_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  RotaPunchRow *self = ROTA_PUNCH_ROW (widget);
  PangoContext *context = gtk_widget_get_pango_context (widget);
  int height = gtk_widget_get_height (widget);
  Span spans[ROTA_PUNCH_N_COLUMNS];
  GtkStyleContext *style;
  GdkRGBA fg, warning, error, success;
  const GdkRGBA *status_color;

  if (self->item == NULL)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "warning_color", &warning))
    gdk_rgba_parse (&warning, "#9c6e03");
  if (!gtk_style_context_lookup_color (style, "error_color", &error))
    gdk_rgba_parse (&error, "#c01c28");
  if (!gtk_style_context_lookup_color (style, "success_color", &success))
    gdk_rgba_parse (&success, "#1b8553");
  G_GNUC_END_IGNORE_DEPRECATIONS
  status_color = self->warning ? &warning : &fg;

  compute_spans (self, spans);

  for (RotaPunchColumn column = 0; column < ROTA_PUNCH_COLUMN_STATUS; column++)
    append_text (snapshot, context, self->texts[column], column != ROTA_PUNCH_COLUMN_EMPLOYEE,
                 spans[column].x, spans[column].width, height, rota_punch_column_is_numeric (column), &fg);

  /* The status: its symbol, then its word, in the warning colour when
   * the day needs someone. */
  if (self->icon_name != NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
      g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, self->icon_name, NULL, STATUS_ICON_SIZE,
                                                                     gtk_widget_get_scale_factor (widget),
                                                                     gtk_widget_get_direction (widget), 0);
      GdkRGBA colors[4] = { *status_color, error, warning, success };

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) spans[ROTA_PUNCH_COLUMN_STATUS].x,
                                                             (height - STATUS_ICON_SIZE) / 2.0f));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                                STATUS_ICON_SIZE, STATUS_ICON_SIZE, colors, 4);
      gtk_snapshot_restore (snapshot);
    }
  append_text (snapshot, context, self->texts[ROTA_PUNCH_COLUMN_STATUS], FALSE,
               spans[ROTA_PUNCH_COLUMN_STATUS].x + STATUS_ICON_SIZE + STATUS_ICON_GAP,
               spans[ROTA_PUNCH_COLUMN_STATUS].width - STATUS_ICON_SIZE - STATUS_ICON_GAP, height, FALSE,
               status_color);
}

static void
rota_punch_row_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int width = 0;

      for (RotaPunchColumn column = 0; column < ROTA_PUNCH_N_COLUMNS; column++)
        width += column_widths[column];
      *minimum = *natural = width + (ROTA_PUNCH_N_COLUMNS - 1) * ROTA_PUNCH_COLUMN_SPACING;
    }
  else
    {
      /* A line of text, as a label in the row would be. */
      const RotaShapedText *line = rota_text_cache_lookup (gtk_widget_get_pango_context (widget), "Ág",
                                                           ROTA_TEXT_PLAIN);

      *minimum = *natural = MAX (line->height, STATUS_ICON_SIZE);
    }
}

/* The status's whole story, for the tooltip and for screen readers. */
char *
rota_punch_item_dup_status (RotaPunchItem *item)
{
  const RotaPunchDay *day;
  const RotaOutboxItem *conflict;
  g_autofree char *all = NULL;

  g_return_val_if_fail (ROTA_IS_PUNCH_ITEM (item), NULL);

  day = rota_punch_item_get_day (item);
  conflict = rota_punch_item_get_conflict (item);
  if (conflict != NULL)
    return g_strdup_printf (_("The server refused an edit of this day: %s"),
                            conflict->message ? conflict->message : "");

  all = rota_day_flags_describe (day->flags);
  if (day->approved_by != NULL)
    return g_strdup_printf (_("%s · approved by %s"), all, day->approved_by);

  return g_steal_pointer (&all);
}

static gboolean
day_time_unknown (const RotaPunchDay *day)
{
  return (day->flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_WORKING)) != 0;
}

/* Tooltips are made when asked for: the status's story, and why a
 * break nobody punched is there. */
static gboolean
query_tooltip_cb (RotaPunchRow *self,
                  int           x,
                  int           y,
                  gboolean      keyboard,
                  GtkTooltip   *tooltip)
{
  RotaPunchColumn column;
  const RotaPunchDay *day;
  g_autofree char *text = NULL;

  if (self->item == NULL)
    return FALSE;

  day = rota_punch_item_get_day (self->item);
  column = keyboard ? ROTA_PUNCH_COLUMN_STATUS : rota_punch_row_column_at (self, x);
  if (column == ROTA_PUNCH_COLUMN_STATUS)
    text = rota_punch_item_dup_status (self->item);
  else if (column == ROTA_PUNCH_COLUMN_BREAK && day->break_deducted && day->n_punches > 0 &&
           !day_time_unknown (day))
    text = g_strdup (_("No break was punched: the legal minimum is deducted"));

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static char *
format_cell (RotaPunchItem   *item,
             RotaPunchColumn  column,
             gboolean         long_days)
{
  const RotaPunchDay *day = rota_punch_item_get_day (item);
  GTimeZone *zone = rota_punch_item_get_zone (item);
  gboolean unknown = day_time_unknown (day);

  switch (column)
    {
    case ROTA_PUNCH_COLUMN_EMPLOYEE:
      return g_strdup (rota_punch_item_get_name (item));

    case ROTA_PUNCH_COLUMN_DAY:
      return rota_punch_format_day (day->work_date, long_days);

    case ROTA_PUNCH_COLUMN_PLANNED:
      return day->n_shifts > 0 ? rota_punch_format_span (day->planned_start, day->planned_end, zone) : g_strdup ("—");

    case ROTA_PUNCH_COLUMN_CLOCKED:
      return day->n_punches > 0 ? rota_punch_format_span (day->clocked_start, day->clocked_end, zone) : g_strdup ("—");

    case ROTA_PUNCH_COLUMN_BREAK:
      if (unknown || day->n_punches == 0)
        return g_strdup ("—");
      if (day->break_deducted)
        {
          g_autofree char *duration = rota_punch_format_duration (day->break_seconds);

          /* Translators: a break nobody punched, deducted by the labour-law profile */
          return g_strdup_printf (C_("deducted break", "%s auto"), duration);
        }
      return rota_punch_format_duration (day->break_seconds);

    case ROTA_PUNCH_COLUMN_WORKED:
      return unknown || day->n_punches == 0 ? g_strdup ("—") : rota_punch_format_duration (day->worked_seconds);

    case ROTA_PUNCH_COLUMN_DEVIATION:
      return unknown || (day->n_punches == 0 && day->n_shifts == 0) ? g_strdup ("—")
                                                                   : rota_punch_format_deviation (day->deviation_seconds);

    case ROTA_PUNCH_COLUMN_STATUS:
      if (rota_punch_item_get_conflict (item) != NULL)
        /* Translators: a correction or approval the server refused */
        return g_strdup (_("Not synced: press Enter"));
      return g_strdup (rota_day_flag_get_label (rota_day_flags_primary (day->flags)));

    case ROTA_PUNCH_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/**
 * rota_punch_row_set_item:
 * @long_days: whether the day is written with its month ("Tue 24 Nov"),
 *   for periods longer than a week
 *
 * Shows @item, or nothing when it is %NULL.
 */
void
rota_punch_row_set_item (RotaPunchRow  *self,
                         RotaPunchItem *item,
                         gboolean       long_days)
{
  g_return_if_fail (ROTA_IS_PUNCH_ROW (self));
  g_return_if_fail (item == NULL || ROTA_IS_PUNCH_ITEM (item));

  g_set_object (&self->item, item);
  for (RotaPunchColumn column = 0; column < ROTA_PUNCH_N_COLUMNS; column++)
    {
      g_free (self->texts[column]);
      self->texts[column] = item != NULL ? format_cell (item, column, long_days) : NULL;
    }

  self->icon_name = NULL;
  self->warning = FALSE;
  if (item != NULL)
    {
      RotaDayFlags primary = rota_day_flags_primary (rota_punch_item_get_day (item)->flags);
      gboolean conflict = rota_punch_item_get_conflict (item) != NULL;

      self->icon_name = conflict ? "dialog-error-symbolic" : rota_day_flag_get_icon_name (primary);
      self->warning = conflict || (primary & ROTA_DAY_NEEDS_REVIEW) != 0;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

RotaPunchItem *
rota_punch_row_get_item (RotaPunchRow *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_ROW (self), NULL);

  return self->item;
}

/**
 * rota_punch_row_get_text:
 *
 * Returns: (nullable): what the row shows in @column
 */
const char *
rota_punch_row_get_text (RotaPunchRow    *self,
                         RotaPunchColumn  column)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_ROW (self), NULL);
  g_return_val_if_fail (column < ROTA_PUNCH_N_COLUMNS, NULL);

  return self->texts[column];
}

/**
 * rota_punch_row_describe:
 *
 * Returns: the columns other than the name, day and status in words,
 *   for screen readers: "Planned 08:00–16:30, clocked 08:02–?, …"
 */
char *
rota_punch_row_describe (RotaPunchRow *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_ROW (self), NULL);

  if (self->item == NULL)
    return g_strdup ("");

  /* Translators: a day of the Punches list for screen readers; the
   * columns Planned, Clocked, Break, Worked and Δ (deviation) */
  return g_strdup_printf (_("Planned %s, clocked %s, break %s, worked %s, deviation %s"),
                          self->texts[ROTA_PUNCH_COLUMN_PLANNED], self->texts[ROTA_PUNCH_COLUMN_CLOCKED],
                          self->texts[ROTA_PUNCH_COLUMN_BREAK], self->texts[ROTA_PUNCH_COLUMN_WORKED],
                          self->texts[ROTA_PUNCH_COLUMN_DEVIATION]);
}

static void
rota_punch_row_dispose (GObject *object)
{
  RotaPunchRow *self = ROTA_PUNCH_ROW (object);

  g_clear_object (&self->item);
  for (RotaPunchColumn column = 0; column < ROTA_PUNCH_N_COLUMNS; column++)
    g_clear_pointer (&self->texts[column], g_free);
  g_clear_weak_pointer (&self->header);

  G_OBJECT_CLASS (rota_punch_row_parent_class)->dispose (object);
}

static void
rota_punch_row_class_init (RotaPunchRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rota_punch_row_dispose;

  widget_class->measure = rota_punch_row_measure;
  widget_class->snapshot = rota_punch_row_snapshot;

  gtk_widget_class_set_css_name (widget_class, "punchrow");
}

static void
rota_punch_row_init (RotaPunchRow *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

/**
 * rota_punch_row_new:
 * @header: (nullable): the box of the column headings, one button per
 *   column, which the row's columns line up with
 *
 * Returns: a row showing nothing until rota_punch_row_set_item()
 */
GtkWidget *
rota_punch_row_new (GtkWidget *header)
{
  RotaPunchRow *self = g_object_new (ROTA_TYPE_PUNCH_ROW, NULL);

  g_set_weak_pointer (&self->header, header);

  return GTK_WIDGET (self);
}
