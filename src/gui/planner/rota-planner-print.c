/* rota-planner-print.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-planner-print"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-department.h"
#include "rota-employee.h"
#include "rota-entity.h"
#include "rota-planner-print.h"
#include "rota-shift.h"
#include "rota-time.h"

/*
 * The plan is printed as one table per department on A4 landscape: a name
 * column, a column per day and a total column. Every department starts a
 * new page; one that does not fit continues on the next page under the same
 * title. Open shifts come first, on pages of their own. A plan of more than
 * seven days is printed in blocks of seven days, each block as above.
 *
 * Sizes are in points. Rows have a fixed height per line of text, so the
 * pages do not depend on font metrics: a row of one line is ROW_PAD + LINE +
 * ROW_PAD high.
 */

#define MARGIN_MM      10.0
#define FONT           "Sans 9"
#define FONT_BOLD      "Sans Bold 9"
#define FONT_TITLE     "Sans Bold 14"
#define FONT_SMALL     "Sans 8"
#define LINE           12.0
#define ROW_PAD        3.0
#define CELL_PAD       4.0
#define HEADER_HEIGHT  30.0
#define HEAD_ROW       (2 * ROW_PAD + 2 * LINE)
#define FOOTER_HEIGHT  18.0
#define NAME_WIDTH     150.0
#define TOTAL_WIDTH    70.0
#define BLOCK_DAYS     7

typedef struct
{
  RotaPlanRow *row;      /* for the time zone */
  char        *name;     /* NULL on a continuation line */
  GPtrArray   *days;     /* a GPtrArray of RotaShift per day of the block */
  guint        first;    /* the first shift of each day shown */
  guint        n_lines;
  char        *total;
} Entry;

typedef struct
{
  char      *title;
  guint      first_day;
  guint      n_days;
  GPtrArray *entries;
} Section;

typedef struct
{
  Section *section;      /* NULL: the page saying there is nothing */
  guint    first_entry;
  guint    n_entries;
  gboolean continued;
} Page;

typedef struct
{
  RotaPlan  *plan;
  GPtrArray *sections;
  GArray    *pages;
} PrintJob;

/* Helpers */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
  g_free (entry->total);
  g_ptr_array_unref (entry->days);
  g_free (entry);
}

static void
section_free (gpointer data)
{
  Section *section = data;

  g_free (section->title);
  g_ptr_array_unref (section->entries);
  g_free (section);
}

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;

  g_clear_object (&job->plan);
  g_clear_pointer (&job->sections, g_ptr_array_unref);
  g_clear_pointer (&job->pages, g_array_unref);
  g_free (job);
}

static GDateTime *
date_time_of (const char *date)
{
  int year, month, day;

  if (!rota_date_parse (date, &year, &month, &day))
    return NULL;

  return g_date_time_new_utc (year, month, day, 12, 0, 0);
}

static char *
format_date (const char *date,
             const char *format)
{
  g_autoptr(GDateTime) dt = date_time_of (date);

  if (dt == NULL)
    return g_strdup (date);

  return g_date_time_format (dt, format);
}

/* "23–29 November 2026", "30 November – 6 December 2026", … */
static char *
format_range (const char *first,
              const char *last)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  int y1, m1, d1, y2, m2, d2;

  if (g_strcmp0 (first, last) == 0 ||
      !rota_date_parse (first, &y1, &m1, &d1) ||
      !rota_date_parse (last, &y2, &m2, &d2))
    /* Translators: one printed day, a GDateTime format (see
     * https://docs.gtk.org/glib/method.DateTime.format.html)
     * xgettext:no-c-format */
    return format_date (first, C_("print date, one day", "%A %-d %B %Y"));

  /* Translators: the end of a printed range of days, a GDateTime format:
   * "29 November 2026" in "23–29 November 2026"
   * xgettext:no-c-format */
  end = format_date (last, C_("print date range end", "%-d %B %Y"));

  if (y1 == y2 && m1 == m2)
    {
      /* Translators: the start of a range of days within one month, a
       * GDateTime format: "23" in "23–29 November 2026"
       * xgettext:no-c-format */
      start = format_date (first, C_("print date range start, same month", "%-d"));
      /* Translators: a range of days within one month: "23–29 November 2026" */
      return g_strdup_printf (C_("print date range, same month", "%s–%s"), start, end);
    }

  if (y1 == y2)
    /* Translators: the start of a range of days within one year, a
     * GDateTime format: "30 November" in "30 November – 6 December 2026"
     * xgettext:no-c-format */
    start = format_date (first, C_("print date range start, same year", "%-d %B"));
  else
    /* Translators: the start of a range of days over a new year, a
     * GDateTime format: "28 December 2026" in "28 December 2026 – 3 January 2027"
     * xgettext:no-c-format */
    start = format_date (first, C_("print date range start, other year", "%-d %B %Y"));

  /* Translators: a range of days over more than one month: "30 November – 6 December 2026" */
  return g_strdup_printf (C_("print date range", "%s – %s"), start, end);
}

/* Whole hours as "32", others with one or two decimals: "7.5", "7.75". */
static char *
format_hours (gint64 minutes)
{
  if (minutes % 60 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, minutes / 60);
  if (minutes % 6 == 0)
    return g_strdup_printf ("%.1f", minutes / 60.0);

  return g_strdup_printf ("%.2f", minutes / 60.0);
}

static char *
format_contract_hours (double hours)
{
  return format_hours ((gint64) (hours * 60 + 0.5));
}

static gint64
net_minutes (RotaShift *shift)
{
  gint64 minutes = (rota_shift_get_end (shift) - rota_shift_get_start (shift)) / 60
                   - rota_shift_get_break_minutes (shift);

  return MAX (minutes, 0);
}

/* Shifts of @row by day of the block that starts at @first_day. */
static GPtrArray *
shifts_by_day (RotaPlan    *plan,
               RotaPlanRow *row,
               guint        first_day,
               guint        n_days,
               const char  *department_id)
{
  GPtrArray *days = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *shifts = rota_plan_row_get_shifts (row);

  for (guint d = 0; d < n_days; d++)
    g_ptr_array_add (days, g_ptr_array_new_with_free_func (g_object_unref));

  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);
      int day = rota_plan_day_of (plan, row, rota_shift_get_start (shift));

      if (department_id != NULL &&
          g_strcmp0 (rota_shift_get_department_id (shift), department_id) != 0)
        continue;
      if (day < (int) first_day || day >= (int) (first_day + n_days))
        continue;

      g_ptr_array_add (g_ptr_array_index (days, day - first_day), g_object_ref (shift));
    }

  return days;
}

static guint
max_per_day (GPtrArray *days)
{
  guint max = 0;

  for (guint d = 0; d < days->len; d++)
    max = MAX (max, ((GPtrArray *) g_ptr_array_index (days, d))->len);

  return max;
}

static Section *
section_new (const char *name,
             const char *range,
             guint       first_day,
             guint       n_days)
{
  Section *section = g_new0 (Section, 1);

  /* Translators: the title of a printed page: a department and a range of days */
  section->title = g_strdup_printf (C_("print title", "%s · %s"), name, range);
  section->first_day = first_day;
  section->n_days = n_days;
  section->entries = g_ptr_array_new_with_free_func (entry_free);

  return section;
}

/* Open shifts, one group per department, one line per shift of a day. */
static Section *
open_section (RotaPlan    *plan,
              RotaPlanRow *open_row,
              GPtrArray   *headers,
              const char  *range,
              guint        first_day,
              guint        n_days)
{
  GListModel *departments = rota_plan_get_departments (plan);
  g_autoptr(GPtrArray) other = shifts_by_day (plan, open_row, first_day, n_days, NULL);
  Section *section = section_new (_("Open shifts"), range, first_day, n_days);
  guint n_departments = g_list_model_get_n_items (departments);

  /* What is left in @other after the shown departments took theirs goes
   * under "Other", unless it belongs to a department that is filtered out. */
  for (guint d = 0; d < other->len; d++)
    {
      GPtrArray *shifts = g_ptr_array_index (other, d);

      for (guint i = shifts->len; i > 0; i--)
        {
          const char *id = rota_shift_get_department_id (g_ptr_array_index (shifts, i - 1));
          gboolean known = FALSE;

          for (guint k = 0; id != NULL && k < n_departments && !known; k++)
            {
              g_autoptr(RotaDepartment) department = g_list_model_get_item (departments, k);

              known = g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (department)), id) == 0;
            }
          if (known)
            g_ptr_array_remove_index (shifts, i - 1);
        }
    }

  for (guint h = 0; h <= headers->len; h++)
    {
      g_autoptr(GPtrArray) days = NULL;
      const char *name;
      guint n;

      if (h < headers->len)
        {
          RotaPlanRow *header = g_ptr_array_index (headers, h);
          RotaDepartment *department = rota_plan_row_get_department (header);

          days = shifts_by_day (plan, open_row, first_day, n_days,
                                rota_entity_get_id (ROTA_ENTITY (department)));
          name = rota_department_get_name (department);
        }
      else
        {
          days = g_ptr_array_ref (other);
          /* Translators: open shifts of no department (or an unknown one) */
          name = C_("print open shifts", "Other");
        }

      n = max_per_day (days);
      for (guint line = 0; line < n; line++)
        {
          Entry *entry = g_new0 (Entry, 1);

          entry->row = open_row;
          entry->name = line == 0 ? g_strdup (name) : NULL;
          entry->days = g_ptr_array_ref (days);
          entry->first = line;
          entry->n_lines = 1;
          g_ptr_array_add (section->entries, entry);
        }
    }

  if (section->entries->len == 0)
    g_clear_pointer (&section, section_free);

  return section;
}

static Entry *
employee_entry (RotaPlan    *plan,
                RotaPlanRow *row,
                guint        first_day,
                guint        n_days,
                guint        max_lines)
{
  Entry *entry = g_new0 (Entry, 1);
  RotaEmployee *employee = rota_plan_row_get_employee (row);
  double contract = employee != NULL ? rota_employee_get_contract_hours_week (employee) : 0;
  g_autofree char *worked = NULL;
  gint64 minutes = 0;

  entry->row = row;
  entry->name = g_strdup (rota_plan_row_get_title (row));
  entry->days = shifts_by_day (plan, row, first_day, n_days, NULL);
  entry->n_lines = CLAMP (max_per_day (entry->days), 1, max_lines);

  for (guint d = 0; d < entry->days->len; d++)
    {
      GPtrArray *shifts = g_ptr_array_index (entry->days, d);

      for (guint i = 0; i < shifts->len; i++)
        minutes += net_minutes (g_ptr_array_index (shifts, i));
    }

  worked = format_hours (minutes);
  if (contract > 0 && n_days == BLOCK_DAYS)
    {
      g_autofree char *planned = format_contract_hours (contract);

      /* Translators: a week's total: worked hours of the contract's hours, "32/38 h" */
      entry->total = g_strdup_printf (C_("print week total", "%s/%s h"), worked, planned);
    }
  else
    {
      /* Translators: a total of hours, "32 h" */
      entry->total = g_strdup_printf (C_("print total", "%s h"), worked);
    }

  return entry;
}

static void
build_sections (PrintJob *job,
                guint     max_lines)
{
  GListModel *rows = rota_plan_get_rows (job->plan);
  guint n_rows = g_list_model_get_n_items (rows);
  guint n_days = rota_plan_get_n_days (job->plan);
  const char *first_date = rota_plan_get_first_date (job->plan);

  g_ptr_array_set_size (job->sections, 0);

  if (first_date == NULL)
    return;

  for (guint first_day = 0; first_day < n_days; first_day += BLOCK_DAYS)
    {
      guint block = MIN (BLOCK_DAYS, n_days - first_day);
      g_autofree char *from = rota_date_add_days (first_date, first_day);
      g_autofree char *to = rota_date_add_days (first_date, first_day + block - 1);
      g_autofree char *range = format_range (from, to);
      g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(RotaPlanRow) open_row = NULL;
      Section *section = NULL;
      guint open_index = job->sections->len;

      for (guint i = 0; i < n_rows; i++)
        {
          g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);

          switch (rota_plan_row_get_kind (row))
            {
            case ROTA_PLAN_ROW_OPEN:
              g_set_object (&open_row, row);
              break;

            case ROTA_PLAN_ROW_DEPARTMENT:
              g_ptr_array_add (headers, g_object_ref (row));
              section = section_new (rota_plan_row_get_title (row), range, first_day, block);
              g_ptr_array_add (job->sections, section);
              break;

            case ROTA_PLAN_ROW_EMPLOYEE:
              if (section != NULL)
                g_ptr_array_add (section->entries,
                                 employee_entry (job->plan, row, first_day, block, max_lines));
              break;

            default:
              g_assert_not_reached ();
            }
        }

      if (open_row != NULL)
        {
          Section *open = open_section (job->plan, open_row, headers, range, first_day, block);

          if (open != NULL)
            g_ptr_array_insert (job->sections, open_index, open);
        }
    }
}

static double
entry_height (Entry *entry)
{
  return 2 * ROW_PAD + entry->n_lines * LINE;
}

static double
body_height (GtkPrintContext *context)
{
  return gtk_print_context_get_height (context) - HEADER_HEIGHT - HEAD_ROW - FOOTER_HEIGHT;
}

static void
paginate (PrintJob *job,
          double    body)
{
  g_array_set_size (job->pages, 0);

  for (guint s = 0; s < job->sections->len; s++)
    {
      Section *section = g_ptr_array_index (job->sections, s);
      Page page = { section, 0, 0, FALSE };
      double y = 0;

      for (guint i = 0; i < section->entries->len; i++)
        {
          double height = entry_height (g_ptr_array_index (section->entries, i));

          if (page.n_entries > 0 && y + height > body)
            {
              g_array_append_val (job->pages, page);
              page.first_entry = i;
              page.n_entries = 0;
              page.continued = TRUE;
              y = 0;
            }
          page.n_entries++;
          y += height;
        }

      g_array_append_val (job->pages, page);
    }

  if (job->pages->len == 0)
    {
      Page page = { NULL, 0, 0, FALSE };

      g_array_append_val (job->pages, page);
    }
}

/* Drawing */

static void
draw_text (cairo_t        *cr,
           PangoLayout    *layout,
           const char     *font,
           const char     *text,
           double          x,
           double          y,
           double          width,
           PangoAlignment  alignment)
{
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, alignment);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static char *
shift_text (RotaPlan    *plan,
            RotaPlanRow *row,
            RotaShift   *shift)
{
  GTimeZone *zone = rota_plan_row_get_zone (row);
  RotaPlanShiftFlags flags = rota_plan_get_shift_flags (plan, shift);
  int start = rota_time_local_minutes (rota_shift_get_start (shift), zone);
  int end = rota_time_local_minutes (rota_shift_get_end (shift), zone);
  g_autofree char *range = NULL;

  if (end <= start && rota_shift_get_end (shift) > rota_shift_get_start (shift))
    end += 1440;
  range = rota_time_range_format (start, end);

  /* The marker is text, so it survives a black and white printer. */
  if (flags & ROTA_PLAN_SHIFT_VIOLATION)
    return g_strconcat (range, " !!", NULL);
  if (flags & ROTA_PLAN_SHIFT_WARNING)
    return g_strconcat (range, " !", NULL);

  return g_steal_pointer (&range);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              gpointer           user_data)
{
  PrintJob *job = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  double width = gtk_print_context_get_width (context);
  const Page *page;
  Section *section;
  g_autofree char *page_label = NULL;
  g_autofree char *legend = NULL;
  const char *first_date = rota_plan_get_first_date (job->plan);
  double day_width, table_height, y;
  guint n_days;

  g_assert (page_nr >= 0 && (guint) page_nr < job->pages->len);

  page = &g_array_index (job->pages, Page, page_nr);
  section = page->section;

  cairo_set_source_rgb (cr, 0, 0, 0);

  if (page->continued)
    /* Translators: on the second and later page of a department */
    page_label = g_strdup_printf (_("Continued · page %d of %u"), page_nr + 1, job->pages->len);
  else
    page_label = g_strdup_printf (_("Page %d of %u"), page_nr + 1, job->pages->len);
  draw_text (cr, layout, FONT_SMALL, page_label, width - 200, 6, 200, PANGO_ALIGN_RIGHT);

  if (section == NULL)
    {
      g_autofree char *last = NULL;
      g_autofree char *range = NULL;

      if (first_date != NULL)
        {
          last = rota_date_add_days (first_date, MAX (rota_plan_get_n_days (job->plan), 1) - 1);
          range = format_range (first_date, last);
          draw_text (cr, layout, FONT_TITLE, range, 0, 0, width - 210, PANGO_ALIGN_LEFT);
        }
      draw_text (cr, layout, FONT, _("Nobody is planned in this period."),
                 0, HEADER_HEIGHT, width, PANGO_ALIGN_LEFT);
      return;
    }

  draw_text (cr, layout, FONT_TITLE, section->title, 0, 0, width - 210, PANGO_ALIGN_LEFT);

  n_days = section->n_days;
  day_width = (width - NAME_WIDTH - TOTAL_WIDTH) / n_days;
  table_height = HEAD_ROW;
  for (guint i = 0; i < page->n_entries; i++)
    table_height += entry_height (g_ptr_array_index (section->entries, page->first_entry + i));

  /* Shading first, lines and text over it: the head row and weekends. */
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
  cairo_rectangle (cr, 0, HEADER_HEIGHT, width, HEAD_ROW);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.95);
  for (guint d = 0; d < n_days; d++)
    {
      g_autofree char *date = rota_date_add_days (first_date, section->first_day + d);

      if (rota_date_weekday (date) >= 6)
        {
          cairo_rectangle (cr, NAME_WIDTH + d * day_width, HEADER_HEIGHT + HEAD_ROW,
                           day_width, table_height - HEAD_ROW);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);

  /* The head row. */
  y = HEADER_HEIGHT + ROW_PAD;
  draw_text (cr, layout, FONT_BOLD, C_("print column", "Name"),
             CELL_PAD, y + LINE / 2, NAME_WIDTH - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
  for (guint d = 0; d < n_days; d++)
    {
      g_autofree char *date = rota_date_add_days (first_date, section->first_day + d);
      /* Translators: the weekday over a printed column, a GDateTime format: "Mon"
       * xgettext:no-c-format */
      g_autofree char *weekday = format_date (date, C_("print column, weekday", "%a"));
      /* Translators: the date over a printed column, a GDateTime format: "23 Nov"
       * xgettext:no-c-format */
      g_autofree char *day = format_date (date, C_("print column, date", "%-d %b"));
      double x = NAME_WIDTH + d * day_width + CELL_PAD;

      draw_text (cr, layout, FONT_BOLD, weekday, x, y, day_width - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
      draw_text (cr, layout, FONT, day, x, y + LINE, day_width - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
    }
  draw_text (cr, layout, FONT_BOLD,
             n_days == BLOCK_DAYS ? C_("print column", "Week") : C_("print column", "Total"),
             width - TOTAL_WIDTH + CELL_PAD, y + LINE / 2, TOTAL_WIDTH - 2 * CELL_PAD,
             PANGO_ALIGN_RIGHT);

  /* The rows. */
  y = HEADER_HEIGHT + HEAD_ROW;
  for (guint i = 0; i < page->n_entries; i++)
    {
      Entry *entry = g_ptr_array_index (section->entries, page->first_entry + i);
      double height = entry_height (entry);

      if (entry->name != NULL)
        draw_text (cr, layout, FONT, entry->name, CELL_PAD, y + ROW_PAD,
                   NAME_WIDTH - 2 * CELL_PAD, PANGO_ALIGN_LEFT);

      for (guint d = 0; d < n_days; d++)
        {
          GPtrArray *shifts = g_ptr_array_index (entry->days, d);

          for (guint line = 0; line < entry->n_lines; line++)
            {
              g_autofree char *text = NULL;

              if (entry->first + line >= shifts->len)
                break;
              text = shift_text (job->plan, entry->row,
                                 g_ptr_array_index (shifts, entry->first + line));
              draw_text (cr, layout, FONT, text, NAME_WIDTH + d * day_width + CELL_PAD,
                         y + ROW_PAD + line * LINE, day_width - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
            }
        }

      if (entry->total != NULL)
        draw_text (cr, layout, FONT, entry->total, width - TOTAL_WIDTH + CELL_PAD, y + ROW_PAD,
                   TOTAL_WIDTH - 2 * CELL_PAD, PANGO_ALIGN_RIGHT);

      y += height;
    }

  /* The grid: a line under every row but between the lines of one group
   * of open shifts, which is one block. */
  cairo_new_path (cr);
  y = HEADER_HEIGHT + HEAD_ROW;
  for (guint i = 0; i + 1 < page->n_entries; i++)
    {
      Entry *entry = g_ptr_array_index (section->entries, page->first_entry + i);
      Entry *next = g_ptr_array_index (section->entries, page->first_entry + i + 1);

      y += entry_height (entry);
      cairo_move_to (cr, next->name != NULL ? 0 : NAME_WIDTH, y);
      cairo_line_to (cr, next->name != NULL ? width : width - TOTAL_WIDTH, y);
    }
  cairo_set_line_width (cr, 0.5);
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  cairo_stroke (cr);
  cairo_move_to (cr, 0, HEADER_HEIGHT + HEAD_ROW);
  cairo_line_to (cr, width, HEADER_HEIGHT + HEAD_ROW);
  for (guint d = 0; d <= n_days; d++)
    {
      cairo_move_to (cr, NAME_WIDTH + d * day_width, HEADER_HEIGHT);
      cairo_line_to (cr, NAME_WIDTH + d * day_width, HEADER_HEIGHT + table_height);
    }
  cairo_stroke (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, 0, HEADER_HEIGHT, width, table_height);
  cairo_stroke (cr);

  /* Translators: the legend under a printed plan; "!" and "!!" mark shifts */
  legend = g_strdup_printf ("!  %s      !!  %s", C_("print legend", "Rule warning"),
                            C_("print legend", "Rule violation"));
  draw_text (cr, layout, FONT_SMALL, legend,
             0, gtk_print_context_get_height (context) - FOOTER_HEIGHT + 6, width, PANGO_ALIGN_LEFT);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                gpointer           user_data)
{
  PrintJob *job = user_data;
  double body = body_height (context);
  guint max_lines = MAX (1, (guint) ((body - 2 * ROW_PAD) / LINE));

  build_sections (job, max_lines);
  paginate (job, body);
  gtk_print_operation_set_n_pages (operation, job->pages->len);
}

/* Public API */

/**
 * rota_planner_print_new:
 * @plan: a loaded plan
 *
 * Makes a print operation for the rows @plan shows (its filter applies):
 * A4 landscape, a page per department and more where one does not fit.
 *
 * Returns: (transfer full): a print operation, to run
 */
GtkPrintOperation *
rota_planner_print_new (RotaPlan *plan)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GtkPaperSize) paper = NULL;
  g_autofree char *job_name = NULL;
  PrintJob *job;

  g_return_val_if_fail (ROTA_IS_PLAN (plan), NULL);

  paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  setup = gtk_page_setup_new ();
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_page_setup_set_top_margin (setup, MARGIN_MM, GTK_UNIT_MM);
  gtk_page_setup_set_bottom_margin (setup, MARGIN_MM, GTK_UNIT_MM);
  gtk_page_setup_set_left_margin (setup, MARGIN_MM, GTK_UNIT_MM);
  gtk_page_setup_set_right_margin (setup, MARGIN_MM, GTK_UNIT_MM);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, FALSE);

  if (rota_plan_get_first_date (plan) != NULL)
    {
      /* Translators: the name of a print job; %s is a date, "2026-11-23" */
      job_name = g_strdup_printf (_("Rota %s"), rota_plan_get_first_date (plan));
      gtk_print_operation_set_job_name (operation, job_name);
    }

  job = g_new0 (PrintJob, 1);
  job->plan = g_object_ref (plan);
  job->sections = g_ptr_array_new_with_free_func (section_free);
  job->pages = g_array_new (FALSE, TRUE, sizeof (Page));
  g_object_set_data_full (G_OBJECT (operation), "rota-planner-print", job, print_job_free);

  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), job);

  return g_steal_pointer (&operation);
}

/**
 * rota_planner_print_export_pdf:
 * @plan: a loaded plan
 * @path: the PDF file to write
 * @error: a location for a #GError
 *
 * Writes what rota_planner_print_new() prints to @path, without a dialog.
 *
 * Returns: %TRUE when @path was written
 */
gboolean
rota_planner_print_export_pdf (RotaPlan    *plan,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (ROTA_IS_PLAN (plan), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* cairo only says "error while writing to output stream": say which. */
  dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Could not export the plan to “%s”: the folder “%s” does not exist"),
                   path, dir);
      return FALSE;
    }

  operation = rota_planner_print_new (plan);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                    &local_error);

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR || local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not export the plan to “%s”: %s"), path,
                   local_error != NULL ? local_error->message : _("unknown error"));
      return FALSE;
    }

  if (result != GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("Could not export the plan to “%s”: cancelled"), path);
      return FALSE;
    }

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not export the plan to “%s”: no file was written"), path);
      return FALSE;
    }

  return TRUE;
}
