/* rota-planner-row.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-planner-row"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-planner-row.h"
#include "rota-text-cache.h"
#include "rota-time.h"

/**
 * RotaPlannerRow:
 *
 * One row of the Planner, drawn in one go: a person's name, their shifts as
 * chips in the day columns (or as bars on a timeline in the day view) and
 * their hours against the contract. A GtkListView recycles these, so the
 * grid costs the same for 20 people as for 2,000.
 *
 * The same widget draws the day names above the grid and the totals below.
 */

struct _RotaPlannerRow
{
  GtkWidget           parent_instance;

  RotaPlannerRowMode  mode;
  RotaPlan           *plan;
  RotaPlanRow        *row;
  int                 cursor_day;
  char               *cursor_shift;
  gboolean            show_cost;
};

G_DEFINE_FINAL_TYPE (RotaPlannerRow, rota_planner_row, GTK_TYPE_WIDGET)

enum {
  CELL_PRESSED,
  SHIFT_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define CHIP_HEIGHT 18
#define CHIP_GAP    3

static gboolean
is_day_view (RotaPlannerRow *self)
{
  return self->plan != NULL && rota_plan_get_n_days (self->plan) == 1;
}

static double
day_width (RotaPlannerRow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  guint n_days = self->plan ? rota_plan_get_n_days (self->plan) : 7;

  return MAX (1.0, (double) (width - ROTA_PLANNER_NAME_WIDTH - ROTA_PLANNER_TOTAL_WIDTH) / MAX (n_days, 1));
}

/* The day view spans 30 hours: a day and the night after it. */
#define TIMELINE_HOURS 30

static double
timeline_x (RotaPlannerRow *self,
            gint64          offset_seconds)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)) - ROTA_PLANNER_NAME_WIDTH - ROTA_PLANNER_TOTAL_WIDTH;

  return ROTA_PLANNER_NAME_WIDTH + CLAMP (offset_seconds / 3600.0, 0, TIMELINE_HOURS) * width / TIMELINE_HOURS;
}

int
rota_planner_row_day_at (RotaPlannerRow *self,
                         double          x)
{
  guint n_days;
  int day;

  g_return_val_if_fail (ROTA_IS_PLANNER_ROW (self), -1);

  if (self->plan == NULL || x < ROTA_PLANNER_NAME_WIDTH)
    return -1;

  n_days = rota_plan_get_n_days (self->plan);
  day = (int) ((x - ROTA_PLANNER_NAME_WIDTH) / day_width (self));

  return day < (int) n_days ? day : -1;
}

void
rota_planner_row_get_cell (RotaPlannerRow  *self,
                           int              day,
                           graphene_rect_t *rect)
{
  double w = day_width (self);

  graphene_rect_init (rect, ROTA_PLANNER_NAME_WIDTH + day * w, 0, w, gtk_widget_get_height (GTK_WIDGET (self)));
}

/* Where a shift's chip is: in the week and month views the chips of a day
 * stack in its cell; in the day view each is a bar on the timeline. */
static gboolean
chip_rect (RotaPlannerRow  *self,
           RotaShift       *shift,
           guint            index_in_day,
           graphene_rect_t *rect)
{
  int day = rota_plan_day_of (self->plan, self->row, rota_shift_get_start (shift));
  double x, w;

  if (day < 0 || day >= (int) rota_plan_get_n_days (self->plan))
    return FALSE;

  if (is_day_view (self))
    {
      gint64 day_start = rota_plan_day_start (self->plan, self->row, 0);
      double x1 = timeline_x (self, rota_shift_get_start (shift) - day_start);
      double x2 = timeline_x (self, rota_shift_get_end (shift) - day_start);

      graphene_rect_init (rect, x1, 4 + index_in_day * (CHIP_HEIGHT + CHIP_GAP), MAX (x2 - x1, 4), CHIP_HEIGHT);
      return index_in_day < 2;
    }

  w = day_width (self);
  x = ROTA_PLANNER_NAME_WIDTH + day * w;
  graphene_rect_init (rect, x + 3, 3 + index_in_day * (CHIP_HEIGHT + CHIP_GAP), w - 6, CHIP_HEIGHT);

  return index_in_day < 2;
}

/* Calls @func for each shift with its place in its day's stack. */
static void
foreach_chip (RotaPlannerRow *self,
              gboolean      (*func) (RotaPlannerRow *, RotaShift *, guint, gpointer),
              gpointer        data)
{
  GPtrArray *shifts;
  int last_day = G_MININT;
  guint index = 0;

  if (self->row == NULL || self->plan == NULL)
    return;

  shifts = rota_plan_row_get_shifts (self->row);
  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);
      int day = is_day_view (self) ? 0 : rota_plan_day_of (self->plan, self->row, rota_shift_get_start (shift));

      index = day == last_day ? index + 1 : 0;
      last_day = day;
      if (!func (self, shift, index, data))
        return;
    }
}

typedef struct
{
  double     x, y;
  RotaShift *found;
} HitTest;

static gboolean
hit_test_cb (RotaPlannerRow *self,
             RotaShift      *shift,
             guint           index,
             gpointer        data)
{
  HitTest *hit = data;
  graphene_rect_t rect;

  if (chip_rect (self, shift, index, &rect) &&
      graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (hit->x, hit->y)))
    {
      hit->found = shift;
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_planner_row_shift_at:
 *
 * Returns: (transfer none) (nullable): the shift whose chip is at @x, @y
 */
RotaShift *
rota_planner_row_shift_at (RotaPlannerRow *self,
                           double          x,
                           double          y)
{
  HitTest hit = { x, y, NULL };

  g_return_val_if_fail (ROTA_IS_PLANNER_ROW (self), NULL);

  foreach_chip (self, hit_test_cb, &hit);

  return hit.found;
}

/* Drawing */

typedef struct
{
  cairo_t    *cr;
  GdkRGBA     fg;
  GdkRGBA     accent;
  GPtrArray  *icons; /* what to draw after the cairo node */
} Paint;

typedef struct
{
  const char      *icon_name;
  graphene_rect_t  rect;
} IconSpot;

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
rounded_rect (cairo_t               *cr,
              const graphene_rect_t *r,
              double                 radius)
{
  double x = r->origin.x, y = r->origin.y, w = r->size.width, h = r->size.height;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_text (RotaPlannerRow *self,
           cairo_t        *cr,
           const char     *text,
           double          x,
           double          y,
           double          width,
           gboolean        bold,
           PangoAlignment  alignment)
{
  const RotaShapedText *cached = rota_text_cache_lookup (gtk_widget_get_pango_context (GTK_WIDGET (self)), text,
                                                         bold ? ROTA_TEXT_BOLD : ROTA_TEXT_PLAIN);
  g_autoptr(PangoLayout) ellipsized = NULL;

  if (cached->width <= width)
    {
      /* It fits: place it by hand rather than by the layout's width. */
      if (alignment == PANGO_ALIGN_CENTER)
        x += (width - cached->width) / 2;
      else if (alignment == PANGO_ALIGN_RIGHT)
        x += width - cached->width;
      cairo_move_to (cr, x, y - cached->height / 2.0);
      pango_cairo_show_layout (cr, cached->layout);
      return;
    }

  ellipsized = pango_layout_copy (cached->layout);
  pango_layout_set_width (ellipsized, MAX (1, (int) width) * PANGO_SCALE);
  pango_layout_set_ellipsize (ellipsized, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (ellipsized, alignment);
  cairo_move_to (cr, x, y - cached->height / 2.0);
  pango_cairo_show_layout (cr, ellipsized);
}

static gboolean
draw_chip_cb (RotaPlannerRow *self,
              RotaShift      *shift,
              guint           index,
              gpointer        data)
{
  Paint *paint = data;
  cairo_t *cr = paint->cr;
  RotaPlanShiftFlags flags = rota_plan_get_shift_flags (self->plan, shift);
  const char *id = rota_entity_get_id (ROTA_ENTITY (shift));
  gboolean selected = self->cursor_shift != NULL && g_strcmp0 (self->cursor_shift, id) == 0;
  GTimeZone *zone = rota_plan_row_get_zone (self->row);
  g_autofree char *text = NULL;
  graphene_rect_t rect;
  double text_x;
  int start, end;

  if (!chip_rect (self, shift, index, &rect))
    {
      if (index == 2)
        {
          /* More than two in a day: say how many are hidden. */
          graphene_rect_t cell;
          int day = is_day_view (self) ? 0 : rota_plan_day_of (self->plan, self->row, rota_shift_get_start (shift));

          rota_planner_row_get_cell (self, day, &cell);
          set_source (cr, &paint->fg, 0.7);
          draw_text (self, cr, _("more…"), cell.origin.x + cell.size.width - 48, ROTA_PLANNER_ROW_HEIGHT - 6, 44,
                     FALSE, PANGO_ALIGN_RIGHT);
        }
      return TRUE;
    }

  /* The chip: filled when published, outlined and dashed when not. */
  rounded_rect (cr, &rect, 4);
  set_source (cr, &paint->accent, rota_shift_get_published (shift) ? 0.22 : 0.08);
  cairo_fill_preserve (cr);
  if (!rota_shift_get_published (shift))
    {
      static const double dash[] = { 3, 2 };

      cairo_set_dash (cr, dash, 2, 0);
    }
  set_source (cr, &paint->accent, selected ? 1.0 : 0.6);
  cairo_set_line_width (cr, selected ? 2.5 : 1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* The department's colour stripe. */
  {
    RotaDepartment *department = rota_plan_row_get_department (self->row);
    GdkRGBA color;

    if (department != NULL && rota_department_get_color (department) != NULL &&
        gdk_rgba_parse (&color, rota_department_get_color (department)))
      {
        cairo_rectangle (cr, rect.origin.x + 1, rect.origin.y + 2, 3, rect.size.height - 4);
        set_source (cr, &color, 1.0);
        cairo_fill (cr);
      }
  }

  start = rota_time_local_minutes (rota_shift_get_start (shift), zone);
  end = start + (int) ((rota_shift_get_end (shift) - rota_shift_get_start (shift)) / 60);
  /* Narrow month cells get the hours alone ("8–16"), narrower ones the
   * start ("8"); the tooltip and the row's description say it all. */
  if (rect.size.width >= 96)
    text = rota_time_range_format (start, end);
  else if (rect.size.width >= 44)
    text = g_strdup_printf ("%d\xe2\x80\x93%d", start / 60, (end / 60) % 24);
  else
    text = g_strdup_printf ("%d", start / 60);

  /* Up to two symbols: a rule's finding, then the state of the edit (in
   * conflict, waiting to sync) or, failing that, not published yet. */
  text_x = rect.origin.x + 7;
  {
    const char *symbols[2] = { NULL, NULL };
    guint n_symbols = 0;

    if (flags & ROTA_PLAN_SHIFT_VIOLATION)
      symbols[n_symbols++] = "dialog-error-symbolic";
    else if (flags & ROTA_PLAN_SHIFT_WARNING)
      symbols[n_symbols++] = "dialog-warning-symbolic";
    if (flags & ROTA_PLAN_SHIFT_CONFLICT)
      symbols[n_symbols++] = "dialog-question-symbolic";
    else if (flags & ROTA_PLAN_SHIFT_PENDING)
      symbols[n_symbols++] = "emblem-synchronizing-symbolic";
    else if (!rota_shift_get_published (shift))
      symbols[n_symbols++] = "view-conceal-symbolic";

    /* Narrow chips keep their most important symbol only, and room for
     * the time. */
    if (rect.size.width < 124)
      n_symbols = MIN (n_symbols, 1);

    for (guint i = 0; i < n_symbols; i++)
      {
        IconSpot *spot = g_new0 (IconSpot, 1);

        spot->icon_name = symbols[i];
        graphene_rect_init (&spot->rect, MIN (text_x, rect.origin.x + rect.size.width - 15), rect.origin.y + 2, 14, 14);
        g_ptr_array_add (paint->icons, spot);
        text_x += 16;
      }

    /* Too narrow for both: the symbol wins over the time. */
    if (n_symbols > 0 && rect.size.width < 36)
      return TRUE;
  }

  set_source (cr, &paint->fg, 1.0);
  draw_text (self, cr, text, text_x, rect.origin.y + rect.size.height / 2,
             rect.origin.x + rect.size.width - text_x - 2, FALSE, PANGO_ALIGN_LEFT);

  return TRUE;
}

static void
draw_header (RotaPlannerRow *self,
             cairo_t        *cr,
             const GdkRGBA  *fg)
{
  const char *first = rota_plan_get_first_date (self->plan);
  guint n_days = rota_plan_get_n_days (self->plan);
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double w = day_width (self);

  set_source (cr, fg, 0.8);
  if (is_day_view (self))
    {
      for (int hour = 0; hour < TIMELINE_HOURS; hour += 2)
        {
          g_autofree char *label = g_strdup_printf ("%02d", hour % 24);
          double x = timeline_x (self, hour * 3600);

          draw_text (self, cr, label, x + 2, height / 2.0, 30, FALSE, PANGO_ALIGN_LEFT);
        }
    }
  else
    {
      for (guint day = 0; day < n_days; day++)
        {
          g_autofree char *date = rota_date_add_days (first, day);
          g_autoptr(GDateTime) dt = NULL;
          g_autofree char *label = NULL;
          int y, m, d;

          rota_date_parse (date, &y, &m, &d);
          dt = g_date_time_new_local (y, m, d, 12, 0, 0);
          /* Translators: a day column's heading in the week view, "Mon 23";
             in the month view only the day's number is shown */
          label = n_days > 7 ? g_strdup_printf ("%d", d) : g_date_time_format (dt, _("%a %-d"));
          draw_text (self, cr, label, ROTA_PLANNER_NAME_WIDTH + day * w, height / 2.0, w, TRUE, PANGO_ALIGN_CENTER);
        }
    }

  draw_text (self, cr, C_("planner column", "Hours"), gtk_widget_get_width (GTK_WIDGET (self)) - ROTA_PLANNER_TOTAL_WIDTH,
             height / 2.0, ROTA_PLANNER_TOTAL_WIDTH - 8, TRUE, PANGO_ALIGN_RIGHT);
}

static char *
format_hours (gint64 minutes)
{
  if (minutes % 60 == 0)
    return g_strdup_printf ("%d", (int) (minutes / 60));

  return g_strdup_printf ("%.1f", minutes / 60.0);
}

static char *
format_money (gint64 cents)
{
  g_autofree char *amount = g_strdup_printf ("%'d", (int) (cents / 100));

  /* Translators: an amount in euros, "€ 18,420" */
  return g_strdup_printf (_("€ %s"), amount);
}

static void
draw_totals (RotaPlannerRow *self,
             cairo_t        *cr,
             const GdkRGBA  *fg)
{
  guint n_days = rota_plan_get_n_days (self->plan);
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double w = day_width (self);
  gint64 all_minutes = 0;

  set_source (cr, fg, 1.0);
  draw_text (self, cr, is_day_view (self) ? _("On shift") : _("Day totals"), 12, height / 2.0,
             ROTA_PLANNER_NAME_WIDTH - 16, TRUE, PANGO_ALIGN_LEFT);

  if (is_day_view (self))
    {
      /* The coverage strip: how many people are on shift each hour. */
      GListModel *rows = rota_plan_get_rows (self->plan);
      guint n_rows = g_list_model_get_n_items (rows);
      guint counts[TIMELINE_HOURS] = { 0 };
      guint max = 1;

      for (guint i = 0; i < n_rows; i++)
        {
          g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);
          GPtrArray *shifts = rota_plan_row_get_shifts (row);
          gint64 day_start = rota_plan_day_start (self->plan, row, 0);

          for (guint j = 0; j < shifts->len; j++)
            {
              RotaShift *shift = g_ptr_array_index (shifts, j);

              for (int hour = 0; hour < TIMELINE_HOURS; hour++)
                {
                  gint64 a = day_start + hour * 3600, b = a + 3600;

                  if (rota_shift_get_start (shift) < b && rota_shift_get_end (shift) > a)
                    counts[hour]++;
                }
            }
        }
      for (int hour = 0; hour < TIMELINE_HOURS; hour++)
        max = MAX (max, counts[hour]);
      rota_plan_get_day_totals (self->plan, 0, &all_minutes, NULL, NULL);
      for (int hour = 0; hour < TIMELINE_HOURS; hour++)
        {
          double x1 = timeline_x (self, hour * 3600), x2 = timeline_x (self, (hour + 1) * 3600);
          double bar = (height - 20) * counts[hour] / (double) max;
          g_autofree char *label = g_strdup_printf ("%u", counts[hour]);

          cairo_rectangle (cr, x1 + 1, height - 4 - bar, x2 - x1 - 2, bar);
          set_source (cr, fg, 0.2);
          cairo_fill (cr);
          set_source (cr, fg, 1.0);
          draw_text (self, cr, label, x1, 10, x2 - x1, FALSE, PANGO_ALIGN_CENTER);
        }
    }
  else
    {
      for (guint day = 0; day < n_days; day++)
        {
          gint64 minutes, cost;
          guint people;
          g_autofree char *hours = NULL;
          g_autofree char *label = NULL;

          rota_plan_get_day_totals (self->plan, day, &minutes, &people, &cost);
          all_minutes += minutes;
          hours = format_hours (minutes);
          /* Translators: a day's total: people at work · planned hours */
          label = n_days > 7 ? g_strdup_printf ("%u", people) : g_strdup_printf (_("%u · %s h"), people, hours);
          if (self->show_cost && n_days <= 7)
            {
              g_autofree char *money = format_money (cost);

              /* The day's labour cost under its people and hours. */
              draw_text (self, cr, label, ROTA_PLANNER_NAME_WIDTH + day * w, height / 2.0 - 8, w, FALSE, PANGO_ALIGN_CENTER);
              draw_text (self, cr, money, ROTA_PLANNER_NAME_WIDTH + day * w, height / 2.0 + 8, w, FALSE, PANGO_ALIGN_CENTER);
            }
          else
            draw_text (self, cr, label, ROTA_PLANNER_NAME_WIDTH + day * w, height / 2.0, w, FALSE, PANGO_ALIGN_CENTER);
        }
    }

  {
    g_autofree char *hours = format_hours (all_minutes);
    g_autofree char *label = g_strdup_printf (_("%s h"), hours);
    double x = gtk_widget_get_width (GTK_WIDGET (self)) - ROTA_PLANNER_TOTAL_WIDTH;

    if (self->show_cost)
      {
        g_autofree char *money = format_money (rota_plan_get_cost_cents (self->plan));

        draw_text (self, cr, label, x, height / 2.0 - 8, ROTA_PLANNER_TOTAL_WIDTH - 8, TRUE, PANGO_ALIGN_RIGHT);
        draw_text (self, cr, money, x, height / 2.0 + 8, ROTA_PLANNER_TOTAL_WIDTH - 8, TRUE, PANGO_ALIGN_RIGHT);
      }
    else
      draw_text (self, cr, label, x, height / 2.0, ROTA_PLANNER_TOTAL_WIDTH - 8, TRUE, PANGO_ALIGN_RIGHT);
  }
}

/**
 * rota_planner_row_update_totals:
 *
 * Puts the totals a totals row draws into its accessible description, for
 * screen readers: each day's people, hours and cost, then the whole.
 */
void
rota_planner_row_update_totals (RotaPlannerRow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 all_minutes = 0;

  g_return_if_fail (ROTA_IS_PLANNER_ROW (self));

  if (self->mode != ROTA_PLANNER_ROW_MODE_TOTALS || self->plan == NULL ||
      rota_plan_get_first_date (self->plan) == NULL)
    return;

  for (guint day = 0; day < rota_plan_get_n_days (self->plan); day++)
    {
      g_autofree char *date = rota_date_add_days (rota_plan_get_first_date (self->plan), day);
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *day_name = NULL;
      g_autofree char *hours = NULL;
      gint64 minutes, cost;
      guint people;
      int y, m, d;

      rota_plan_get_day_totals (self->plan, day, &minutes, &people, &cost);
      all_minutes += minutes;
      rota_date_parse (date, &y, &m, &d);
      dt = g_date_time_new_local (y, m, d, 12, 0, 0);
      day_name = g_date_time_format (dt, _("%A %-d %B"));
      hours = format_hours (minutes);
      if (day > 0)
        g_string_append_c (text, ' ');
      /* Translators: one day's totals: "Monday 23 November: 17 people, 132 hours." */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s: %u person, %s hours.", "%s: %u people, %s hours.", people),
                              day_name, people, hours);
      if (self->show_cost)
        {
          g_autofree char *money = format_money (cost);

          g_string_append_c (text, ' ');
          /* Translators: a day's labour cost, "Labour cost € 2,100." */
          g_string_append_printf (text, _("Labour cost %s."), money);
        }
    }

  {
    g_autofree char *hours = format_hours (all_minutes);

    g_string_append_c (text, ' ');
    /* Translators: the hours of all days shown */
    g_string_append_printf (text, _("In all %s hours."), hours);
  }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}

static void
draw_row (RotaPlannerRow *self,
          Paint          *paint)
{
  cairo_t *cr = paint->cr;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  RotaPlanRowKind kind = rota_plan_row_get_kind (self->row);
  guint n_days = rota_plan_get_n_days (self->plan);
  double w = day_width (self);

  if (kind == ROTA_PLAN_ROW_DEPARTMENT)
    {
      set_source (cr, &paint->fg, 0.06);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
      set_source (cr, &paint->fg, 0.9);
      draw_text (self, cr, rota_plan_row_get_title (self->row), 12, height / 2.0, width - 24, TRUE, PANGO_ALIGN_LEFT);
      return;
    }

  /* The cell cursor. */
  if (self->cursor_day >= 0 && self->cursor_day < (int) n_days)
    {
      graphene_rect_t cell;

      rota_planner_row_get_cell (self, self->cursor_day, &cell);
      if (is_day_view (self))
        graphene_rect_init (&cell, ROTA_PLANNER_NAME_WIDTH, 0, width - ROTA_PLANNER_NAME_WIDTH - ROTA_PLANNER_TOTAL_WIDTH, height);
      cairo_rectangle (cr, cell.origin.x + 1, cell.origin.y + 1, cell.size.width - 2, cell.size.height - 2);
      set_source (cr, &paint->accent, 0.12);
      cairo_fill_preserve (cr);
      set_source (cr, &paint->accent, 1.0);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }

  /* Grid lines. */
  set_source (cr, &paint->fg, 0.12);
  cairo_set_line_width (cr, 1);
  if (!is_day_view (self))
    for (guint day = 0; day <= n_days; day++)
      {
        cairo_move_to (cr, floor (ROTA_PLANNER_NAME_WIDTH + day * w) + 0.5, 0);
        cairo_line_to (cr, floor (ROTA_PLANNER_NAME_WIDTH + day * w) + 0.5, height);
      }
  cairo_move_to (cr, 0, height - 0.5);
  cairo_line_to (cr, width, height - 0.5);
  cairo_stroke (cr);

  set_source (cr, &paint->fg, kind == ROTA_PLAN_ROW_OPEN ? 0.75 : 1.0);
  draw_text (self, cr, rota_plan_row_get_title (self->row), 12, height / 2.0, ROTA_PLANNER_NAME_WIDTH - 16,
             kind == ROTA_PLAN_ROW_OPEN, PANGO_ALIGN_LEFT);

  foreach_chip (self, draw_chip_cb, paint);

  if (kind == ROTA_PLAN_ROW_EMPLOYEE)
    {
      RotaEmployee *employee = rota_plan_row_get_employee (self->row);
      g_autofree char *hours = format_hours (rota_plan_row_get_minutes (self->row));
      g_autofree char *label = NULL;
      double contract = rota_employee_get_contract_hours_week (employee);

      if (n_days == 7 && contract > 0)
        {
          g_autofree char *contract_text = format_hours ((gint64) (contract * 60));

          /* Translators: planned against contract hours in a week, "32/38 h" */
          label = g_strdup_printf (_("%s/%s h"), hours, contract_text);
        }
      else
        label = g_strdup_printf (_("%s h"), hours);

      set_source (cr, &paint->fg, 1.0);
      draw_text (self, cr, label, width - ROTA_PLANNER_TOTAL_WIDTH, height / 2.0, ROTA_PLANNER_TOTAL_WIDTH - 8,
                 FALSE, PANGO_ALIGN_RIGHT);
    }
}

static void
rota_planner_row_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  RotaPlannerRow *self = ROTA_PLANNER_ROW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GPtrArray) icons = g_ptr_array_new_with_free_func (g_free);
  GtkStyleContext *style;
  Paint paint = { 0, };

  if (self->plan == NULL || rota_plan_get_first_date (self->plan) == NULL || width <= 0 || height <= 0)
    return;
  if (self->mode == ROTA_PLANNER_ROW_MODE_ROW && self->row == NULL)
    return;

  /* GtkListView keeps about 200 rows around and snapshots all of them;
   * only the ones in the scrolled window's view are worth drawing. */
  if (self->mode == ROTA_PLANNER_ROW_MODE_ROW)
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
      graphene_rect_t bounds;

      if (scroller != NULL && gtk_widget_compute_bounds (widget, scroller, &bounds) &&
          (bounds.origin.y + bounds.size.height < 0 ||
           bounds.origin.y > gtk_widget_get_height (scroller)))
        return;
    }

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (style, &paint.fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &paint.accent))
    gdk_rgba_parse (&paint.accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
  paint.icons = icons;
  paint.cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  switch (self->mode)
    {
    case ROTA_PLANNER_ROW_MODE_HEADER:
      draw_header (self, paint.cr, &paint.fg);
      break;

    case ROTA_PLANNER_ROW_MODE_TOTALS:
      draw_totals (self, paint.cr, &paint.fg);
      break;

    case ROTA_PLANNER_ROW_MODE_ROW:
    default:
      draw_row (self, &paint);
      break;
    }

  cairo_destroy (paint.cr);

  /* The symbols for findings and sync state, in the theme's colours. */
  for (guint i = 0; i < icons->len; i++)
    {
      IconSpot *spot = g_ptr_array_index (icons, i);
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
      g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, spot->icon_name, NULL, 14,
                                                                     gtk_widget_get_scale_factor (widget),
                                                                     GTK_TEXT_DIR_NONE, 0);
      GdkRGBA colors[4] = { paint.fg, paint.fg, paint.fg, paint.fg };

      gdk_rgba_parse (&colors[2], "#e5a50a"); /* warning */
      gdk_rgba_parse (&colors[1], "#e01b24"); /* error */
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &spot->rect.origin);
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                                spot->rect.size.width, spot->rect.size.height, colors, 4);
      gtk_snapshot_restore (snapshot);
    }
}

static void
rota_planner_row_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  RotaPlannerRow *self = ROTA_PLANNER_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = ROTA_PLANNER_NAME_WIDTH + ROTA_PLANNER_TOTAL_WIDTH + 7 * 40;
      *natural = ROTA_PLANNER_NAME_WIDTH + ROTA_PLANNER_TOTAL_WIDTH + 7 * 120;
    }
  else if (self->mode == ROTA_PLANNER_ROW_MODE_HEADER)
    *minimum = *natural = 32;
  else if (self->row != NULL && rota_plan_row_get_kind (self->row) == ROTA_PLAN_ROW_DEPARTMENT)
    *minimum = *natural = 30;
  else
    *minimum = *natural = ROTA_PLANNER_ROW_HEIGHT;
}

/* Tooltips and accessibility */

char *
rota_planner_row_describe (RotaPlannerRow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GPtrArray *shifts;

  g_return_val_if_fail (ROTA_IS_PLANNER_ROW (self), NULL);

  if (self->row == NULL || self->plan == NULL)
    return g_strdup ("");

  shifts = rota_plan_row_get_shifts (self->row);
  if (rota_plan_row_get_kind (self->row) == ROTA_PLAN_ROW_DEPARTMENT)
    return g_strdup (_("Department"));

  if (shifts->len == 0)
    g_string_append (text, _("No shifts."));
  for (guint i = 0; i < shifts->len; i++)
    {
      g_autofree char *description = rota_plan_describe_shift (self->plan, g_ptr_array_index (shifts, i));

      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, description);
    }

  if (rota_plan_row_get_kind (self->row) == ROTA_PLAN_ROW_EMPLOYEE)
    {
      g_autofree char *hours = format_hours (rota_plan_row_get_minutes (self->row));

      g_string_append_c (text, ' ');
      /* Translators: the hours a person is planned for in the days shown */
      g_string_append_printf (text, _("%s hours planned."), hours);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
query_tooltip_cb (RotaPlannerRow *self,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip)
{
  RotaShift *shift;
  g_autofree char *text = NULL;

  if (self->mode != ROTA_PLANNER_ROW_MODE_ROW || self->row == NULL)
    return FALSE;

  shift = rota_planner_row_shift_at (self, x, y);
  if (shift == NULL)
    return FALSE;

  text = rota_plan_describe_shift (self->plan, shift);
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

/* What the cell cursor is on, said first, so that a screen reader tells
 * it as the cursor moves. */
static char *
describe_cursor (RotaPlannerRow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *day_name = NULL;
  GPtrArray *shifts;
  guint found = 0;
  int y, m, d;

  if (self->cursor_day < 0 || self->plan == NULL || rota_plan_get_first_date (self->plan) == NULL)
    return NULL;

  date = rota_date_add_days (rota_plan_get_first_date (self->plan), self->cursor_day);
  rota_date_parse (date, &y, &m, &d);
  day = g_date_time_new_local (y, m, d, 12, 0, 0);
  /* Translators: the day of the cell cursor, "Tuesday 24 November" */
  day_name = g_date_time_format (day, _("%A %-d %B"));
  /* Translators: the start of a row's description while the cell cursor is on it */
  g_string_append_printf (text, _("Cell %s:"), day_name);

  shifts = rota_plan_row_get_shifts (self->row);
  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);
      g_autofree char *one = NULL;

      if (rota_plan_get_n_days (self->plan) > 1 &&
          rota_plan_day_of (self->plan, self->row, rota_shift_get_start (shift)) != self->cursor_day)
        continue;

      one = rota_plan_describe_shift (self->plan, shift);
      g_string_append_c (text, ' ');
      if (self->cursor_shift != NULL && g_str_equal (self->cursor_shift, rota_entity_get_id (ROTA_ENTITY (shift))))
        g_string_append (text, _("Selected:"));
      g_string_append_c (text, ' ');
      g_string_append (text, one);
      found++;
    }
  if (found == 0)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No shift; type a time such as 8-16:30 to add one."));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_accessible (RotaPlannerRow *self)
{
  g_autofree char *description = NULL;
  g_autofree char *cursor = NULL;

  if (self->mode != ROTA_PLANNER_ROW_MODE_ROW || self->row == NULL)
    return;

  cursor = describe_cursor (self);
  description = rota_planner_row_describe (self);
  if (cursor != NULL)
    {
      char *both = g_strconcat (cursor, " ", description, NULL);

      g_free (description);
      description = both;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, rota_plan_row_get_title (self->row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Input */

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            RotaPlannerRow  *self)
{
  RotaShift *shift;
  int day;

  if (self->row == NULL || self->mode != ROTA_PLANNER_ROW_MODE_ROW)
    return;

  day = is_day_view (self) ? (x >= ROTA_PLANNER_NAME_WIDTH ? 0 : -1) : rota_planner_row_day_at (self, x);
  if (day < 0)
    return;

  shift = rota_planner_row_shift_at (self, x, y);
  g_signal_emit (self, signals[CELL_PRESSED], 0, day, shift, n_press);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource  *source,
                 double          x,
                 double          y,
                 RotaPlannerRow *self)
{
  RotaShift *shift = self->row ? rota_planner_row_shift_at (self, x, y) : NULL;

  if (shift == NULL)
    return NULL;

  return gdk_content_provider_new_typed (G_TYPE_STRING, rota_entity_get_id (ROTA_ENTITY (shift)));
}

static gboolean
drop_cb (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         RotaPlannerRow *self)
{
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);
  GdkDragAction action = drop ? gdk_drop_get_actions (drop) : GDK_ACTION_MOVE;
  int day = is_day_view (self) ? 0 : rota_planner_row_day_at (self, x);

  if (self->row == NULL || day < 0 || !G_VALUE_HOLDS_STRING (value))
    return FALSE;

  g_signal_emit (self, signals[SHIFT_DROPPED], 0, g_value_get_string (value), day,
                 (action & GDK_ACTION_COPY) && !(action & GDK_ACTION_MOVE));

  return TRUE;
}

static void
rota_planner_row_dispose (GObject *object)
{
  RotaPlannerRow *self = ROTA_PLANNER_ROW (object);

  g_clear_object (&self->plan);
  g_clear_object (&self->row);
  g_clear_pointer (&self->cursor_shift, g_free);

  G_OBJECT_CLASS (rota_planner_row_parent_class)->dispose (object);
}

static void
rota_planner_row_class_init (RotaPlannerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rota_planner_row_dispose;
  widget_class->snapshot = rota_planner_row_snapshot;
  widget_class->measure = rota_planner_row_measure;

  /**
   * RotaPlannerRow::cell-pressed:
   * @day: the day pressed
   * @shift: (nullable): the shift pressed
   * @n_press: 1, or 2 for a double click
   */
  signals[CELL_PRESSED] = g_signal_new ("cell-pressed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                        G_TYPE_INT, ROTA_TYPE_SHIFT, G_TYPE_INT);

  /**
   * RotaPlannerRow::shift-dropped:
   * @shift_id: the shift dragged here
   * @day: the day it was dropped on
   * @copy: whether to copy it
   */
  signals[SHIFT_DROPPED] = g_signal_new ("shift-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                         G_TYPE_STRING, G_TYPE_INT, G_TYPE_BOOLEAN);

  gtk_widget_class_set_css_name (widget_class, "plannerrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ROW);
}

static void
rota_planner_row_init (RotaPlannerRow *self)
{
  self->cursor_day = -1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

GtkWidget *
rota_planner_row_new (RotaPlannerRowMode mode)
{
  RotaPlannerRow *self = g_object_new (ROTA_TYPE_PLANNER_ROW, NULL);

  self->mode = mode;

  if (mode == ROTA_PLANNER_ROW_MODE_ROW)
    {
      GtkGesture *click = gtk_gesture_click_new ();
      GtkDragSource *drag = gtk_drag_source_new ();
      GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE | GDK_ACTION_COPY);

      g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

      gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE | GDK_ACTION_COPY);
      g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

      g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
    }
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    mode == ROTA_PLANNER_ROW_MODE_HEADER ? _("Days") : _("Totals"), -1);

  return GTK_WIDGET (self);
}

void
rota_planner_row_set_plan (RotaPlannerRow *self,
                           RotaPlan       *plan)
{
  g_return_if_fail (ROTA_IS_PLANNER_ROW (self));

  if (g_set_object (&self->plan, plan))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
rota_planner_row_set_row (RotaPlannerRow *self,
                          RotaPlanRow    *row)
{
  gboolean was_header, is_header;

  g_return_if_fail (ROTA_IS_PLANNER_ROW (self));

  was_header = self->row != NULL && rota_plan_row_get_kind (self->row) == ROTA_PLAN_ROW_DEPARTMENT;
  is_header = row != NULL && rota_plan_row_get_kind (row) == ROTA_PLAN_ROW_DEPARTMENT;

  g_set_object (&self->row, row);
  update_accessible (self);
  /* Headings are lower than people's rows. */
  if (was_header != is_header)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * rota_planner_row_get_row:
 *
 * Returns: (transfer none) (nullable): the plan's row shown
 */
RotaPlanRow *
rota_planner_row_get_row (RotaPlannerRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLANNER_ROW (self), NULL);

  return self->row;
}

/**
 * rota_planner_row_set_cursor:
 * @day: the day of the cell cursor in this row, or -1
 * @shift_id: (nullable): the selected shift
 */
void
rota_planner_row_set_cursor (RotaPlannerRow *self,
                             int             day,
                             const char     *shift_id)
{
  g_return_if_fail (ROTA_IS_PLANNER_ROW (self));

  if (self->cursor_day == day && g_strcmp0 (self->cursor_shift, shift_id) == 0)
    return;

  self->cursor_day = day;
  g_free (self->cursor_shift);
  self->cursor_shift = g_strdup (shift_id);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
rota_planner_row_set_show_cost (RotaPlannerRow *self,
                                gboolean        show_cost)
{
  g_return_if_fail (ROTA_IS_PLANNER_ROW (self));

  self->show_cost = !!show_cost;
  rota_planner_row_update_totals (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
