/* rota-planner-page.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-planner-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-planner-page.h"
#include "rota-planner-print.h"
#include "rota-planner-row.h"
#include "rota-time.h"

/**
 * RotaPlannerPage:
 *
 * The Planner: a toolbar (search, department, view, problems, copy week,
 * publish, print), the day names, the recycled rows of people, the totals,
 * and the problems panel. A cell cursor moves with the arrow keys; typing
 * a time range into a cell makes a shift there.
 */

struct _RotaPlannerPage
{
  GtkWidget       parent_instance;

  RotaPlan       *plan;
  GSettings      *settings;

  /* Template widgets */
  GtkSearchEntry *search_entry;
  GtkDropDown    *department_dropdown;
  GtkToggleButton *issues_button;
  AdwFlap        *flap;
  GtkBox         *header_box;
  GtkBox         *totals_box;
  GtkListView    *list_view;
  GtkListBox     *issues_list;
  GtkStack       *issues_stack;
  GtkLabel       *issues_title;
  GtkPopover     *editor;
  GtkLabel       *editor_title;
  GtkEntry       *time_entry;
  GtkSpinButton  *break_spin;
  GtkEntry       *note_entry;
  GtkLabel       *editor_error;
  GtkButton      *delete_button;
  GtkButton      *save_button;

  RotaPlannerRow *header_row;
  RotaPlannerRow *totals_row;
  GHashTable     *bound;          /* RotaPlannerRow widgets in use */

  char           *day;            /* the day the view is about */
  char           *view;           /* "day", "week" or "month" */
  char           *title;
  guint           cursor_position;
  int             cursor_day;
  char           *cursor_shift;

  guint           prefetch_id;
  gboolean        read_only;      /* the token may not change the plan */
  char          **department_ids; /* as the drop-down lists them, after "All" */
  char           *departments_signature;

  char           *editing_shift;  /* NULL: the editor makes a new shift */
  gboolean        break_touched;  /* the break was typed, not proposed */
  gboolean        setting_break;
  char           *editing_employee; /* NULL: the open shifts */
  int             editing_day;
};

G_DEFINE_FINAL_TYPE (RotaPlannerPage, rota_planner_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_VIEW_NAME,
  N_PROPS
};

enum {
  TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* How long after a switch the weeks next to it are read ahead. */
#define PREFETCH_DELAY_MS 120

/* The problems panel lists at most this many; the rest are counted. */
#define MAX_ISSUE_ROWS 200

static void update_issues (RotaPlannerPage *self);
static void apply_filter (RotaPlannerPage *self);
static void department_selected_cb (RotaPlannerPage *self);
static void show_cost_changed_cb (RotaPlannerPage *self);
static void time_changed_cb      (RotaPlannerPage *self);
static void open_editor   (RotaPlannerPage *self,
                           const char      *typed);

/* Helpers */

static void
show_toast (RotaPlannerPage *self,
            const char      *title,
            gboolean         undo)
{
  AdwToast *toast = adw_toast_new (title);

  if (undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "win.undo");
    }
  g_signal_emit (self, signals[TOAST], 0, toast);
}

static void
show_error (RotaPlannerPage *self,
            const GError    *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 8);
  g_signal_emit (self, signals[TOAST], 0, toast);
}

static RotaPlanRow *
row_at (RotaPlannerPage *self,
        guint            position)
{
  GListModel *rows;

  if (self->plan == NULL)
    return NULL;

  rows = rota_plan_get_rows (self->plan);
  if (position >= g_list_model_get_n_items (rows))
    return NULL;

  /* The model keeps the row; hand back a borrowed pointer. */
  {
    RotaPlanRow *row = g_list_model_get_item (rows, position);

    g_object_unref (row);
    return row;
  }
}

static guint
n_days (RotaPlannerPage *self)
{
  return self->plan ? rota_plan_get_n_days (self->plan) : 7;
}

static void
refresh_cursor (RotaPlannerPage *self)
{
  GHashTableIter iter;
  RotaPlannerRow *widget;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, (gpointer *) &widget, NULL))
    {
      RotaPlanRow *row = rota_planner_row_get_row (widget);

      if (row != NULL && rota_plan_row_get_position (row) == self->cursor_position &&
          row_at (self, self->cursor_position) == row)
        rota_planner_row_set_cursor (widget, self->cursor_day, self->cursor_shift);
      else
        rota_planner_row_set_cursor (widget, -1, NULL);
    }
}

static RotaPlannerRow *
cursor_widget (RotaPlannerPage *self)
{
  GHashTableIter iter;
  RotaPlannerRow *widget;
  RotaPlanRow *row = row_at (self, self->cursor_position);

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, (gpointer *) &widget, NULL))
    if (row != NULL && rota_planner_row_get_row (widget) == row)
      return widget;

  return NULL;
}

/* The shifts in the cursor's cell, in order. */
static GPtrArray *
cell_shifts (RotaPlannerPage *self,
             guint            position,
             int              day)
{
  GPtrArray *result = g_ptr_array_new ();
  RotaPlanRow *row = row_at (self, position);
  GPtrArray *shifts;

  if (row == NULL)
    return result;

  shifts = rota_plan_row_get_shifts (row);
  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);

      if (n_days (self) == 1 || rota_plan_day_of (self->plan, row, rota_shift_get_start (shift)) == day)
        g_ptr_array_add (result, shift);
    }

  return result;
}

static void
scroll_to_cursor (RotaPlannerPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", self->cursor_position);
  /* Scrolling moves the focus into the row; keep it where keys reach us. */
}

void
rota_planner_page_set_cursor (RotaPlannerPage *self,
                              guint            position,
                              int              day)
{
  g_autoptr(GPtrArray) shifts = NULL;
  guint n_rows;

  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));

  if (self->plan == NULL)
    return;

  n_rows = g_list_model_get_n_items (rota_plan_get_rows (self->plan));
  if (n_rows == 0)
    return;

  self->cursor_position = MIN (position, n_rows - 1);
  self->cursor_day = CLAMP (day, 0, (int) n_days (self) - 1);

  shifts = cell_shifts (self, self->cursor_position, self->cursor_day);
  g_free (self->cursor_shift);
  self->cursor_shift = shifts->len > 0 ? g_strdup (rota_entity_get_id (g_ptr_array_index (shifts, 0))) : NULL;

  refresh_cursor (self);
  scroll_to_cursor (self);
  if (!gtk_widget_has_focus (GTK_WIDGET (self->search_entry)) && !gtk_widget_get_visible (GTK_WIDGET (self->editor)))
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/**
 * rota_planner_page_get_cursor:
 * @position: (out) (optional): the row
 * @day: (out) (optional): the day
 * @shift_id: (out) (optional) (transfer none): the selected shift
 *
 * Returns: %TRUE if there is a cursor
 */
gboolean
rota_planner_page_get_cursor (RotaPlannerPage  *self,
                              guint            *position,
                              int              *day,
                              const char      **shift_id)
{
  g_return_val_if_fail (ROTA_IS_PLANNER_PAGE (self), FALSE);

  if (position != NULL)
    *position = self->cursor_position;
  if (day != NULL)
    *day = self->cursor_day;
  if (shift_id != NULL)
    *shift_id = self->cursor_shift;

  return self->plan != NULL;
}

void
rota_planner_page_select_shift (RotaPlannerPage *self,
                                const char      *shift_id)
{
  RotaShift *shift = NULL;
  RotaPlanRow *row;
  int day;

  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));

  if (self->plan == NULL || shift_id == NULL)
    return;

  row = rota_plan_find_shift (self->plan, shift_id, &shift);
  if (row == NULL)
    return;

  if (row_at (self, rota_plan_row_get_position (row)) != row)
    {
      /* Hidden by the search or the department: show everyone. */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_drop_down_set_selected (self->department_dropdown, 0);
      rota_plan_set_filter (self->plan, NULL, NULL);
    }

  day = rota_plan_day_of (self->plan, row, rota_shift_get_start (shift));
  if (day < 0 || day >= (int) n_days (self))
    return;

  self->cursor_position = rota_plan_row_get_position (row);
  self->cursor_day = n_days (self) == 1 ? 0 : day;
  g_free (self->cursor_shift);
  self->cursor_shift = g_strdup (shift_id);
  refresh_cursor (self);
  scroll_to_cursor (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Says so and returns TRUE when the plan may not be changed here. */
static gboolean
refuse_edit (RotaPlannerPage *self)
{
  /* Writes wait for a large cache's integrity check: rather than freeze
   * for it, say so. */
  if (self->plan != NULL && rota_store_get_checking (rota_plan_get_store (self->plan)))
    {
      show_toast (self, _("Still checking this computer’s copy of the data; try again in a moment."), FALSE);
      return TRUE;
    }

  if (!self->read_only)
    return FALSE;

  show_toast (self, _("This account may only read the plan; ask your administrator for a token that may change it."), FALSE);
  return TRUE;
}

/* Titles and loading */

static void
update_title (RotaPlannerPage *self)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  int y, m, d;

  g_clear_pointer (&self->title, g_free);
  if (self->plan == NULL || rota_plan_get_first_date (self->plan) == NULL)
    return;

  rota_date_parse (rota_plan_get_first_date (self->plan), &y, &m, &d);
  first = g_date_time_new_local (y, m, d, 12, 0, 0);
  last = g_date_time_add_days (first, n_days (self) - 1);

  if (g_strcmp0 (self->view, "day") == 0)
    /* Translators: the day view's title, "Monday 23 November 2026" */
    self->title = g_date_time_format (first, _("%A %-d %B %Y"));
  else if (g_strcmp0 (self->view, "month") == 0)
    /* Translators: the month view's title, "November 2026" */
    self->title = g_date_time_format (first, _("%B %Y"));
  else
    {
      g_autofree char *from = g_date_time_format (first, "%-d");
      /* Translators: the end of a week's range, "29 Nov 2026" */
      g_autofree char *to = g_date_time_format (last, _("%-d %b %Y"));

      /* Translators: the week view's title: "Week 48 · 23–29 Nov 2026" */
      self->title = g_strdup_printf (_("Week %d · %s–%s"), g_date_time_get_week_of_year (first), from, to);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* The days a view of @day shows. */
static void
range_of (RotaPlannerPage  *self,
          const char       *day,
          char            **first,
          guint            *days)
{
  if (g_strcmp0 (self->view, "day") == 0)
    {
      *first = g_strdup (day);
      *days = 1;
    }
  else if (g_strcmp0 (self->view, "month") == 0)
    {
      int y, m, d;

      rota_date_parse (day, &y, &m, &d);
      *first = rota_date_new (y, m, 1);
      *days = g_date_get_days_in_month (m, y);
    }
  else
    {
      *first = rota_date_week_start (day);
      *days = 7;
    }
}

/* The day one step before or after @day in the view. */
static char *
step_day (RotaPlannerPage *self,
          const char      *day,
          int              direction)
{
  if (g_strcmp0 (self->view, "day") == 0)
    return rota_date_add_days (day, direction);

  if (g_strcmp0 (self->view, "month") == 0)
    {
      int y, m, d;

      rota_date_parse (day, &y, &m, &d);
      m += direction;
      if (m < 1)
        m = 12, y--;
      if (m > 12)
        m = 1, y++;
      return rota_date_new (y, m, 1);
    }

  return rota_date_add_days (day, 7 * direction);
}

static gboolean
prefetch_cb (gpointer data)
{
  RotaPlannerPage *self = data;

  self->prefetch_id = 0;
  if (self->plan == NULL || self->day == NULL)
    return G_SOURCE_REMOVE;

  for (int direction = -1; direction <= 1; direction += 2)
    {
      g_autofree char *next_day = step_day (self, self->day, direction);
      g_autofree char *next_first = NULL;
      guint next_days;

      range_of (self, next_day, &next_first, &next_days);
      rota_plan_prefetch (self->plan, next_first, next_days);
    }

  return G_SOURCE_REMOVE;
}

static void
load (RotaPlannerPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  guint days;

  if (self->plan == NULL || self->day == NULL)
    return;

  range_of (self, self->day, &first, &days);
  if (!rota_plan_load (self->plan, first, days, &error))
    {
      show_error (self, error);
      return;
    }

  update_title (self);
  rota_planner_page_set_cursor (self, self->cursor_position, self->cursor_day);
  gtk_widget_queue_draw (GTK_WIDGET (self->header_row));
  gtk_widget_queue_draw (GTK_WIDGET (self->totals_row));

  /* Read the neighbours ahead, so that the next switch only swaps them in;
   * but only once this switch is on screen, not competing with its frame. */
  g_clear_handle_id (&self->prefetch_id, g_source_remove);
  self->prefetch_id = g_timeout_add (PREFETCH_DELAY_MS, prefetch_cb, self);
}

void
rota_planner_page_go_to (RotaPlannerPage *self,
                         const char      *day)
{
  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));
  g_return_if_fail (rota_date_is_valid (day));

  g_free (self->day);
  self->day = g_strdup (day);
  load (self);
}

/**
 * rota_planner_page_step:
 * @direction: -1 for the previous day, week or month; 1 for the next; 0
 *   for today
 */
void
rota_planner_page_step (RotaPlannerPage *self,
                        int              direction)
{
  g_autofree char *day = NULL;

  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));

  if (self->day == NULL)
    return;

  if (direction == 0)
    day = rota_time_work_date (rota_time_now (), rota_time_zone_get (NULL));
  else
    day = step_day (self, self->day, direction);

  rota_planner_page_go_to (self, day);
}

void
rota_planner_page_set_view (RotaPlannerPage *self,
                            const char      *view)
{
  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));
  g_return_if_fail (g_strv_contains ((const char * const []) { "day", "week", "month", NULL }, view));

  if (g_strcmp0 (self->view, view) == 0)
    return;

  /* The day view shows the cursor's day; the others the week or month
   * around it. */
  if (g_strcmp0 (view, "day") == 0 && self->plan != NULL && rota_plan_get_first_date (self->plan) != NULL)
    {
      g_free (self->day);
      self->day = rota_date_add_days (rota_plan_get_first_date (self->plan), self->cursor_day);
    }

  g_free (self->view);
  self->view = g_strdup (view);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "planner.copy-week", g_str_equal (view, "week"));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "planner-view", view);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_NAME]);
  load (self);
}

const char *
rota_planner_page_get_title (RotaPlannerPage *self)
{
  g_return_val_if_fail (ROTA_IS_PLANNER_PAGE (self), NULL);

  return self->title;
}

/* Rows */

static void
row_changed_cb (RotaPlannerPage *self,
                RotaPlanRow     *row)
{
  rota_planner_row_update_totals (self->totals_row);
  gtk_widget_queue_draw (GTK_WIDGET (self->totals_row));
}

static void
findings_changed_cb (RotaPlannerPage *self)
{
  update_issues (self);
}

static void
loaded_cb (RotaPlannerPage *self)
{
  GListModel *departments = rota_plan_get_departments (self->plan);
  guint n = g_list_model_get_n_items (departments);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) new_ids = NULL;
  g_autoptr(GString) signature = g_string_new (NULL);

  /* The department list follows the departments (a rename, one more, one
   * gone) and keeps the one chosen, by its id. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RotaDepartment) department = g_list_model_get_item (departments, i);

      g_strv_builder_add (ids, rota_entity_get_id (ROTA_ENTITY (department)));
      g_string_append_printf (signature, "%s\n%s\n", rota_entity_get_id (ROTA_ENTITY (department)),
                              rota_department_get_name (department));
    }
  new_ids = g_strv_builder_end (ids);

  if (g_strcmp0 (signature->str, self->departments_signature) != 0)
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      const char *chosen = NULL;
      guint selected = gtk_drop_down_get_selected (self->department_dropdown);
      guint position = 0;

      if (self->department_ids != NULL && selected > 0 && selected <= g_strv_length (self->department_ids))
        chosen = self->department_ids[selected - 1];

      gtk_string_list_append (names, _("All departments"));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RotaDepartment) department = g_list_model_get_item (departments, i);

          gtk_string_list_append (names, rota_department_get_name (department));
          if (chosen != NULL && g_str_equal (chosen, new_ids[i]))
            position = i + 1;
        }

      g_signal_handlers_block_by_func (self->department_dropdown, department_selected_cb, self);
      gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (names));
      gtk_drop_down_set_selected (self->department_dropdown, position);
      g_signal_handlers_unblock_by_func (self->department_dropdown, department_selected_cb, self);

      g_strfreev (self->department_ids);
      self->department_ids = g_steal_pointer (&new_ids);
      g_free (self->departments_signature);
      self->departments_signature = g_string_free (g_steal_pointer (&signature), FALSE);
      if (chosen != NULL && position == 0)
        apply_filter (self);
    }

  /* The rows on screen show other days now: draw and describe them anew. */
  {
    GHashTableIter iter;
    RotaPlannerRow *widget;
    gint64 start = g_get_monotonic_time ();

    g_hash_table_iter_init (&iter, self->bound);
    while (g_hash_table_iter_next (&iter, (gpointer *) &widget, NULL))
      rota_planner_row_set_row (widget, rota_planner_row_get_row (widget));
    g_debug ("%u rows described again in %.1f ms", g_hash_table_size (self->bound),
             (g_get_monotonic_time () - start) / 1000.0);
  }

  rota_planner_row_update_totals (self->totals_row);
  gtk_widget_queue_draw (GTK_WIDGET (self->totals_row));
  gtk_widget_queue_draw (GTK_WIDGET (self->header_row));
}

static void
cell_pressed_cb (RotaPlannerPage *self,
                 int              day,
                 RotaShift       *shift,
                 int              n_press,
                 RotaPlannerRow  *widget)
{
  RotaPlanRow *row = rota_planner_row_get_row (widget);

  if (row == NULL)
    return;

  self->cursor_position = rota_plan_row_get_position (row);
  self->cursor_day = day;
  g_free (self->cursor_shift);
  self->cursor_shift = shift ? g_strdup (rota_entity_get_id (ROTA_ENTITY (shift))) : NULL;
  if (shift == NULL)
    {
      g_autoptr(GPtrArray) shifts = cell_shifts (self, self->cursor_position, day);

      if (shifts->len > 0 && n_days (self) != 1)
        self->cursor_shift = g_strdup (rota_entity_get_id (g_ptr_array_index (shifts, 0)));
    }
  refresh_cursor (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));

  if (n_press == 2)
    open_editor (self, NULL);
}

static void
shift_dropped_cb (RotaPlannerPage *self,
                  const char      *shift_id,
                  int              day,
                  gboolean         copy,
                  RotaPlannerRow  *widget)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaShift) moved = NULL;
  RotaShift *shift = NULL;
  RotaPlanRow *from = rota_plan_find_shift (self->plan, shift_id, &shift);
  RotaPlanRow *to = rota_planner_row_get_row (widget);
  int from_day;

  if (from == NULL || to == NULL || refuse_edit (self))
    return;

  from_day = rota_plan_day_of (self->plan, from, rota_shift_get_start (shift));
  moved = rota_plan_move_shift (self->plan, shift_id, to, n_days (self) == 1 ? 0 : day - from_day, copy, &error);
  if (moved == NULL)
    {
      show_error (self, error);
      return;
    }

  show_toast (self, copy ? _("Shift copied") : _("Shift moved"), TRUE);
  rota_planner_page_select_shift (self, rota_entity_get_id (ROTA_ENTITY (moved)));
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          RotaPlannerPage          *self)
{
  GtkWidget *widget = rota_planner_row_new (ROTA_PLANNER_ROW_MODE_ROW);

  g_signal_connect_object (widget, "cell-pressed", G_CALLBACK (cell_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (widget, "shift-dropped", G_CALLBACK (shift_dropped_cb), self, G_CONNECT_SWAPPED);
  gtk_list_item_set_child (item, widget);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         RotaPlannerPage          *self)
{
  RotaPlannerRow *widget = ROTA_PLANNER_ROW (gtk_list_item_get_child (item));
  RotaPlanRow *row = gtk_list_item_get_item (item);

  rota_planner_row_set_plan (widget, self->plan);
  rota_planner_row_set_row (widget, row);
  /* GTK 4.8's list item around the row takes the focus but has no name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (widget))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, rota_plan_row_get_title (row), -1);
  if (rota_plan_row_get_position (row) == self->cursor_position)
    rota_planner_row_set_cursor (widget, self->cursor_day, self->cursor_shift);
  else
    rota_planner_row_set_cursor (widget, -1, NULL);
  gtk_list_item_set_selectable (item, rota_plan_row_get_kind (row) != ROTA_PLAN_ROW_DEPARTMENT);
  g_hash_table_add (self->bound, widget);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           RotaPlannerPage          *self)
{
  RotaPlannerRow *widget = ROTA_PLANNER_ROW (gtk_list_item_get_child (item));

  g_hash_table_remove (self->bound, widget);
  rota_planner_row_set_row (widget, NULL);
}

/* Problems panel */

static void
update_issues (RotaPlannerPage *self)
{
  GPtrArray *findings;
  GtkWidget *child;
  g_autofree char *label = NULL;
  RotaSeverity last = 0;
  guint shown = 0;

  if (self->plan == NULL)
    return;

  findings = rota_plan_get_findings (self->plan);
  label = findings->len > 0 ? g_strdup_printf (_("Problems (%u)"), findings->len) : g_strdup (_("Problems"));
  gtk_button_set_label (GTK_BUTTON (self->issues_button), label);
  gtk_label_set_label (self->issues_title, label);

  /* The list is built only while the panel shows: a month of a large
   * tenant has hundreds of findings, and building their rows at every
   * switch of the week would cost more than the switch. */
  if (!adw_flap_get_reveal_flap (self->flap))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->issues_list))) != NULL)
    gtk_list_box_remove (self->issues_list, child);

  for (guint i = 0; i < findings->len && shown < MAX_ISSUE_ROWS; i++, shown++)
    {
      RotaFinding *finding = g_ptr_array_index (findings, i);
      RotaPlanRow *row = rota_plan_find_row (self->plan, finding->employee_id);
      GtkWidget *action_row, *icon;

      if (finding->severity != last)
        {
          GtkWidget *heading = gtk_label_new (finding->severity == ROTA_SEVERITY_VIOLATION ? _("Violations") : _("Warnings"));

          gtk_label_set_xalign (GTK_LABEL (heading), 0);
          gtk_widget_add_css_class (heading, "dim-label");
          gtk_widget_set_margin_start (heading, 12);
          gtk_widget_set_margin_top (heading, 6);
          gtk_list_box_append (self->issues_list, heading);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_last_child (GTK_WIDGET (self->issues_list))), FALSE);
          gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_last_child (GTK_WIDGET (self->issues_list))),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_label (GTK_LABEL (heading)), -1);
          last = finding->severity;
        }

      action_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), finding->message);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (action_row), 3);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), row ? rota_plan_row_get_title (row) : "");
      icon = gtk_image_new_from_icon_name (finding->severity == ROTA_SEVERITY_VIOLATION ? "dialog-error-symbolic"
                                                                                         : "dialog-warning-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      finding->severity == ROTA_SEVERITY_VIOLATION ? _("Violation") : _("Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), icon);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (action_row), TRUE);
      g_object_set_data_full (G_OBJECT (action_row), "shift-id",
                              g_strdup (finding->shift_ids ? finding->shift_ids[0] : NULL), g_free);
      gtk_list_box_append (self->issues_list, action_row);
    }

  if (findings->len > shown)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "And %u more. Pick a department or search for a person to see them.",
                                                            "And %u more. Pick a department or search for a person to see them.",
                                                            findings->len - shown),
                                               findings->len - shown);
      GtkWidget *note = gtk_label_new (more);

      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_widget_set_margin_start (note, 12);
      gtk_widget_set_margin_end (note, 12);
      gtk_widget_set_margin_top (note, 6);
      gtk_list_box_append (self->issues_list, note);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_last_child (GTK_WIDGET (self->issues_list))), FALSE);
    }

  gtk_stack_set_visible_child_name (self->issues_stack, findings->len > 0 ? "list" : "empty");
}

static void
issue_activated_cb (RotaPlannerPage *self,
                    GtkListBoxRow   *row)
{
  const char *shift_id = g_object_get_data (G_OBJECT (row), "shift-id");

  if (shift_id != NULL)
    rota_planner_page_select_shift (self, shift_id);
}

/* Filter */

static void
apply_filter (RotaPlannerPage *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint selected = gtk_drop_down_get_selected (self->department_dropdown);
  const char *department_id = NULL;

  if (self->plan == NULL)
    return;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 &&
      self->department_ids != NULL && selected <= g_strv_length (self->department_ids))
    department_id = self->department_ids[selected - 1];

  rota_plan_set_filter (self->plan, search, department_id);
  rota_planner_row_update_totals (self->totals_row);
  rota_planner_page_set_cursor (self, 0, self->cursor_day);
  gtk_widget_queue_draw (GTK_WIDGET (self->totals_row));
}

static void
search_changed_cb (RotaPlannerPage *self)
{
  apply_filter (self);
}

static void
stop_search_cb (RotaPlannerPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
department_selected_cb (RotaPlannerPage *self)
{
  apply_filter (self);
}

/* The editor */

static void
open_editor (RotaPlannerPage *self,
             const char      *typed)
{
  RotaPlanRow *row = row_at (self, self->cursor_position);
  RotaPlannerRow *widget = cursor_widget (self);
  RotaShift *shift = NULL;
  graphene_rect_t cell, bounds;
  g_autofree char *date = NULL;

  if (row == NULL || widget == NULL || refuse_edit (self))
    return;

  if (rota_plan_row_get_kind (row) == ROTA_PLAN_ROW_DEPARTMENT)
    {
      show_toast (self, _("Pick a person’s row or the open shifts to plan a shift."), FALSE);
      return;
    }

  g_clear_pointer (&self->editing_shift, g_free);
  if (typed == NULL && self->cursor_shift != NULL)
    rota_plan_find_shift (self->plan, self->cursor_shift, &shift);

  /* The row by whom it is for: a sync may reload the rows meanwhile. */
  g_free (self->editing_employee);
  self->editing_employee = rota_plan_row_get_employee (row)
                           ? g_strdup (rota_entity_get_id (ROTA_ENTITY (rota_plan_row_get_employee (row))))
                           : NULL;
  self->editing_day = self->cursor_day;
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->time_entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_widget_set_visible (GTK_WIDGET (self->editor_error), FALSE);

  date = rota_date_add_days (rota_plan_get_first_date (self->plan), self->cursor_day);
  if (shift != NULL)
    {
      GTimeZone *zone = rota_plan_row_get_zone (row);
      int start = rota_time_local_minutes (rota_shift_get_start (shift), zone);
      int end = start + (int) ((rota_shift_get_end (shift) - rota_shift_get_start (shift)) / 60);
      g_autofree char *range = rota_time_range_format (start, end);
      g_autofree char *title = g_strdup_printf (_("Shift of %s"), rota_plan_row_get_title (row));

      self->editing_shift = g_strdup (rota_entity_get_id (ROTA_ENTITY (shift)));
      gtk_label_set_label (self->editor_title, title);
      gtk_editable_set_text (GTK_EDITABLE (self->time_entry), range);
      gtk_spin_button_set_value (self->break_spin, rota_shift_get_break_minutes (shift));
      gtk_editable_set_text (GTK_EDITABLE (self->note_entry), rota_shift_get_note (shift) ?: "");
      gtk_widget_set_visible (GTK_WIDGET (self->delete_button), TRUE);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (_("New shift for %s"), rota_plan_row_get_title (row));

      gtk_label_set_label (self->editor_title, title);
      gtk_editable_set_text (GTK_EDITABLE (self->time_entry), typed ? typed : "");
      gtk_spin_button_set_value (self->break_spin, 0);
      gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
      gtk_widget_set_visible (GTK_WIDGET (self->delete_button), FALSE);
    }
  /* A new shift is offered the legal break as its time is typed. */
  self->break_touched = shift != NULL;
  time_changed_cb (self);

  rota_planner_row_get_cell (widget, self->cursor_day, &cell);
  if (!gtk_widget_compute_bounds (GTK_WIDGET (widget), GTK_WIDGET (self), &bounds))
    graphene_rect_init (&bounds, 0, 0, 0, 0);
  gtk_popover_set_pointing_to (self->editor, &(GdkRectangle) {
    bounds.origin.x + cell.origin.x, bounds.origin.y + cell.origin.y, cell.size.width, cell.size.height });
  gtk_popover_popup (self->editor);
  gtk_widget_grab_focus (GTK_WIDGET (self->time_entry));
  gtk_editable_set_position (GTK_EDITABLE (self->time_entry), -1);
}

static void
time_changed_cb (RotaPlannerPage *self)
{
  int start, end;

  if (self->break_touched ||
      !rota_time_range_parse (gtk_editable_get_text (GTK_EDITABLE (self->time_entry)), &start, &end, NULL))
    return;

  self->setting_break = TRUE;
  gtk_spin_button_set_value (self->break_spin, rota_plan_default_break (end - start));
  self->setting_break = FALSE;
}

static void
break_changed_cb (RotaPlannerPage *self)
{
  if (!self->setting_break)
    self->break_touched = TRUE;
}

static void
editor_closed_cb (RotaPlannerPage *self)
{
  g_clear_pointer (&self->editing_shift, g_free);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
editor_fail (RotaPlannerPage *self,
             const GError    *error)
{
  gtk_label_set_label (self->editor_error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->editor_error), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->time_entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  error->message, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->time_entry));
}

static void
save_clicked_cb (RotaPlannerPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->time_entry));
  int start, end;

  if (!rota_time_range_parse (text, &start, &end, &error))
    {
      editor_fail (self, error);
      return;
    }

  if (self->editing_shift != NULL)
    {
      if (!rota_plan_update_shift (self->plan, self->editing_shift, start, end,
                                   gtk_spin_button_get_value_as_int (self->break_spin),
                                   gtk_editable_get_text (GTK_EDITABLE (self->note_entry)), &error))
        {
          editor_fail (self, error);
          return;
        }
      show_toast (self, _("Shift changed"), TRUE);
    }
  else
    {
      RotaPlanRow *row = rota_plan_find_row (self->plan, self->editing_employee);
      g_autoptr(RotaShift) shift = NULL;
      const char *note = gtk_editable_get_text (GTK_EDITABLE (self->note_entry));

      shift = row ? rota_plan_create_shift_full (self->plan, row, self->editing_day, start, end,
                                                 self->break_touched ? gtk_spin_button_get_value_as_int (self->break_spin) : -1,
                                                 note, &error) : NULL;
      if (shift == NULL)
        {
          if (error != NULL)
            editor_fail (self, error);
          return;
        }
      g_free (self->cursor_shift);
      self->cursor_shift = g_strdup (rota_entity_get_id (ROTA_ENTITY (shift)));
      show_toast (self, _("Shift added"), TRUE);
    }

  gtk_popover_popdown (self->editor);
  refresh_cursor (self);
}

static void
delete_clicked_cb (RotaPlannerPage *self)
{
  g_autofree char *id = g_strdup (self->editing_shift);

  gtk_popover_popdown (self->editor);
  if (id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "planner.delete", NULL);
}

/* Keyboard */

static gboolean
is_employee_or_open (RotaPlannerPage *self,
                     guint            position)
{
  RotaPlanRow *row = row_at (self, position);

  return row != NULL && rota_plan_row_get_kind (row) != ROTA_PLAN_ROW_DEPARTMENT;
}

/* The next row up or down that can hold shifts. */
static gboolean
next_row (RotaPlannerPage *self,
          int              direction,
          guint           *position)
{
  guint n = g_list_model_get_n_items (rota_plan_get_rows (self->plan));
  int p = (int) self->cursor_position + direction;

  while (p >= 0 && p < (int) n)
    {
      if (is_employee_or_open (self, p))
        {
          *position = p;
          return TRUE;
        }
      p += direction;
    }

  return FALSE;
}

static void
move_selected (RotaPlannerPage *self,
               int              rows,
               int              days,
               gboolean         copy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaShift) moved = NULL;
  RotaPlanRow *to = NULL;
  guint position;

  if (refuse_edit (self))
    return;

  if (self->cursor_shift == NULL)
    {
      show_toast (self, _("There is no shift in this cell to move."), FALSE);
      return;
    }

  /* The day view shows one day: there is no other day to move to. */
  if (rows == 0 && n_days (self) == 1)
    return;

  if (rows != 0)
    {
      if (!next_row (self, rows, &position))
        return;
      to = row_at (self, position);
    }

  moved = rota_plan_move_shift (self->plan, self->cursor_shift, to, n_days (self) == 1 ? 0 : days, copy, &error);
  if (moved == NULL)
    {
      show_error (self, error);
      return;
    }

  show_toast (self, copy ? _("Shift copied") : _("Shift moved"), TRUE);
  rota_planner_page_select_shift (self, rota_entity_get_id (ROTA_ENTITY (moved)));
}

static gboolean
key_pressed_cb (RotaPlannerPage       *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  gboolean ctrl = (mods & GDK_CONTROL_MASK) != 0;
  gboolean shift = (mods & GDK_SHIFT_MASK) != 0;
  int dx = 0, dy = 0;
  gunichar c;

  if (self->plan == NULL)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      dx = -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      dx = 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      dy = -1;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      dy = 1;
      break;
    case GDK_KEY_Home:
      if (mods == 0)
        {
          rota_planner_page_set_cursor (self, self->cursor_position, 0);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_End:
      if (mods == 0)
        {
          rota_planner_page_set_cursor (self, self->cursor_position, n_days (self) - 1);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (mods == 0)
        {
          open_editor (self, NULL);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      if (mods == 0 && self->cursor_shift != NULL)
        {
          gtk_widget_activate_action (GTK_WIDGET (self), "planner.delete", NULL);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_Tab:
      {
        /* Tab walks through the shifts of a cell with more than one. */
        g_autoptr(GPtrArray) shifts = cell_shifts (self, self->cursor_position, self->cursor_day);

        if (mods != 0 || shifts->len < 2)
          return FALSE;
        for (guint i = 0; i < shifts->len; i++)
          if (g_strcmp0 (rota_entity_get_id (g_ptr_array_index (shifts, i)), self->cursor_shift) == 0)
            {
              g_free (self->cursor_shift);
              self->cursor_shift = g_strdup (rota_entity_get_id (g_ptr_array_index (shifts, (i + 1) % shifts->len)));
              refresh_cursor (self);
              return TRUE;
            }
        return FALSE;
      }
    default:
      break;
    }

  if (dx != 0 || dy != 0)
    {
      if (mods & (GDK_ALT_MASK | GDK_SUPER_MASK))
        return FALSE;

      if (ctrl)
        {
          move_selected (self, dy, dx, shift);
          return TRUE;
        }
      if (dy != 0)
        {
          guint position;

          if (next_row (self, dy, &position))
            rota_planner_page_set_cursor (self, position, self->cursor_day);
        }
      else
        rota_planner_page_set_cursor (self, self->cursor_position, self->cursor_day + dx);
      return TRUE;
    }

  /* Typing a time range into a cell starts a new shift there. */
  c = gdk_keyval_to_unicode (keyval);
  if ((mods & ~GDK_SHIFT_MASK) == 0 && c >= '0' && c <= '9')
    {
      char typed[2] = { (char) c, '\0' };

      if (!is_employee_or_open (self, self->cursor_position))
        return FALSE;
      g_clear_pointer (&self->cursor_shift, g_free);
      open_editor (self, typed);
      return TRUE;
    }

  return FALSE;
}

/* Actions */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  gboolean undo = g_str_equal (action_name, "planner.undo");

  if (self->plan == NULL)
    return;
  if (refuse_edit (self))
    return;

  label = g_strdup (undo ? rota_plan_get_undo_label (self->plan) : rota_plan_get_redo_label (self->plan));
  if (label == NULL)
    {
      show_toast (self, undo ? _("Nothing to undo") : _("Nothing to redo"), FALSE);
      return;
    }

  if (!(undo ? rota_plan_undo (self->plan, &error) : rota_plan_redo (self->plan, &error)))
    {
      show_error (self, error);
      return;
    }

  {
    /* Translators: "Undone: Shift moved" */
    g_autofree char *title = g_strdup_printf (undo ? _("Undone: %s") : _("Redone: %s"), label);

    show_toast (self, title, FALSE);
  }
  rota_planner_page_set_cursor (self, self->cursor_position, self->cursor_day);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  open_editor (ROTA_PLANNER_PAGE (widget), NULL);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (self->editing_shift ? self->editing_shift : self->cursor_shift);

  if (self->plan == NULL || id == NULL)
    return;
  if (refuse_edit (self))
    return;

  if (!rota_plan_delete_shift (self->plan, id, &error))
    {
      show_error (self, error);
      return;
    }

  show_toast (self, _("Shift deleted"), TRUE);
  rota_planner_page_set_cursor (self, self->cursor_position, self->cursor_day);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
issues_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (widget);

  gtk_toggle_button_set_active (self->issues_button, !gtk_toggle_button_get_active (self->issues_button));
}

static void
copy_week_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint n;

  if (self->plan == NULL)
    return;
  if (refuse_edit (self))
    return;

  n = rota_plan_copy_to_next_week (self->plan, &error);
  if (n == 0)
    {
      show_error (self, error);
      return;
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shift copied to next week", "%u shifts copied to next week", n), n);
  show_toast (self, title, TRUE);
}

static void
publish_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     RotaPlannerPage  *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint n;

  if (g_strcmp0 (response, "publish") != 0 || self->plan == NULL)
    return;

  n = rota_plan_publish (self->plan, 0, n_days (self), &error);
  if (error != NULL)
    {
      show_error (self, error);
      return;
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shift published", "%u shifts published", n), n);
  show_toast (self, title, TRUE);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (widget);
  GListModel *rows;
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  guint unpublished = 0;

  if (self->plan == NULL)
    return;
  if (refuse_edit (self))
    return;

  rows = rota_plan_get_rows (self->plan);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);
      GPtrArray *shifts = rota_plan_row_get_shifts (row);

      for (guint j = 0; j < shifts->len; j++)
        unpublished += !rota_shift_get_published (g_ptr_array_index (shifts, j));
    }

  if (unpublished == 0)
    {
      show_toast (self, _("Every shift shown is published already."), FALSE);
      return;
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u unpublished shift in %s will become visible to staff.",
                                       "%u unpublished shifts in %s will become visible to staff.",
                                       unpublished),
                          unpublished, self->title);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Publish These Shifts?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "publish", _("_Publish"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "publish", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "publish");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (publish_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->plan == NULL)
    return;

  operation = rota_planner_print_new (self->plan);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error (self, error);
}

/* GObject */

static void
rota_planner_page_dispose (GObject *object)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (object);
  GtkWidget *child;

  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_data (self->plan, self);
  g_clear_handle_id (&self->prefetch_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROTA_TYPE_PLANNER_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->plan);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->bound, g_hash_table_unref);

  G_OBJECT_CLASS (rota_planner_page_parent_class)->dispose (object);
}

static void
rota_planner_page_finalize (GObject *object)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (object);

  g_free (self->day);
  g_free (self->view);
  g_free (self->title);
  g_free (self->cursor_shift);
  g_free (self->editing_shift);
  g_free (self->editing_employee);
  g_strfreev (self->department_ids);
  g_free (self->departments_signature);

  G_OBJECT_CLASS (rota_planner_page_parent_class)->finalize (object);
}

static void
rota_planner_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_VIEW_NAME:
      g_value_set_string (value, self->view);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_planner_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RotaPlannerPage *self = ROTA_PLANNER_PAGE (object);

  switch (prop_id)
    {
    case PROP_VIEW_NAME:
      rota_planner_page_set_view (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_planner_page_class_init (RotaPlannerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rota_planner_page_dispose;
  object_class->finalize = rota_planner_page_finalize;
  object_class->get_property = rota_planner_page_get_property;
  object_class->set_property = rota_planner_page_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* "day", "week" or "month"; the action planner.view sets it. */
  properties[PROP_VIEW_NAME] =
    g_param_spec_string ("view-name", NULL, NULL, "week",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RotaPlannerPage::toast:
   * @toast: (transfer full): a toast to show
   */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/rota/Rota/planner/rota-planner-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, department_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, issues_button);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, flap);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, header_box);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, totals_box);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, issues_list);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, issues_stack);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, issues_title);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, editor);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, editor_title);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, time_entry);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, break_spin);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, editor_error);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, RotaPlannerPage, save_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, issue_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_clicked_cb);

  gtk_widget_class_install_action (widget_class, "planner.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "planner.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "planner.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "planner.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "planner.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "planner.issues", NULL, issues_action);
  gtk_widget_class_install_action (widget_class, "planner.copy-week", NULL, copy_week_action);
  gtk_widget_class_install_action (widget_class, "planner.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "planner.print", NULL, print_action);
  gtk_widget_class_install_property_action (widget_class, "planner.view", "view-name");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "planner.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "planner.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "planner.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "planner.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "planner.issues", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "planner.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "planner.view", "s", "day");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "planner.view", "s", "week");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "planner.view", "s", "month");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plannerpage");

  g_type_ensure (ROTA_TYPE_PLANNER_ROW);
}

static void
rota_planner_page_init (RotaPlannerPage *self)
{
  GtkListItemFactory *factory;
  GtkEventController *keys;

  self->view = g_strdup ("week");
  self->bound = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->header_row = ROTA_PLANNER_ROW (rota_planner_row_new (ROTA_PLANNER_ROW_MODE_HEADER));
  gtk_box_append (self->header_box, GTK_WIDGET (self->header_row));
  self->totals_row = ROTA_PLANNER_ROW (rota_planner_row_new (ROTA_PLANNER_ROW_MODE_TOTALS));
  gtk_box_append (self->totals_box, GTK_WIDGET (self->totals_row));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), keys);

  g_signal_connect_swapped (self->department_dropdown, "notify::selected", G_CALLBACK (department_selected_cb), self);
  g_signal_connect_swapped (self->flap, "notify::reveal-flap", G_CALLBACK (update_issues), self);
  /* GTK 4.8's drop-down gives the focus to its inner button, which has no name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->department_dropdown))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Department"), -1);
  gtk_popover_set_default_widget (self->editor, GTK_WIDGET (self->save_button));
  g_signal_connect_swapped (self->time_entry, "activate", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect_swapped (self->note_entry, "activate", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect_swapped (self->time_entry, "changed", G_CALLBACK (time_changed_cb), self);
  g_signal_connect_swapped (self->break_spin, "value-changed", G_CALLBACK (break_changed_cb), self);

  self->settings = g_settings_new ("org.rota.Rota");
  g_free (self->view);
  self->view = g_settings_get_string (self->settings, "planner-view");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "planner.copy-week", g_str_equal (self->view, "week"));
  g_signal_connect_object (self->settings, "changed::show-labour-cost", G_CALLBACK (show_cost_changed_cb),
                           self, G_CONNECT_SWAPPED);
  show_cost_changed_cb (self);
}

static void
show_cost_changed_cb (RotaPlannerPage *self)
{
  rota_planner_row_set_show_cost (self->totals_row, g_settings_get_boolean (self->settings, "show-labour-cost"));
}

void
rota_planner_page_set_plan (RotaPlannerPage *self,
                            RotaPlan        *plan,
                            const char      *day)
{
  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));

  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_data (self->plan, self);

  g_set_object (&self->plan, plan);
  g_free (self->day);
  self->day = g_strdup (day);
  self->cursor_position = 0;
  self->cursor_day = 0;

  rota_planner_row_set_plan (self->header_row, plan);
  rota_planner_row_set_plan (self->totals_row, plan);

  if (plan == NULL)
    {
      gtk_list_view_set_model (self->list_view, NULL);
      return;
    }

  g_signal_connect_swapped (plan, "row-changed", G_CALLBACK (row_changed_cb), self);
  g_signal_connect_swapped (plan, "findings-changed", G_CALLBACK (findings_changed_cb), self);
  g_signal_connect_swapped (plan, "loaded", G_CALLBACK (loaded_cb), self);

  {
    GtkNoSelection *selection = gtk_no_selection_new (g_object_ref (rota_plan_get_rows (plan)));

    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
    g_object_unref (selection);
  }

  load (self);
  update_issues (self);
}

/**
 * rota_planner_page_set_read_only:
 * @read_only: whether the plan may only be looked at
 *
 * For an account whose token may read the plan but not change it: every
 * edit is refused with a message that says why.
 */
void
rota_planner_page_set_read_only (RotaPlannerPage *self,
                                 gboolean         read_only)
{
  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));

  self->read_only = !!read_only;
}

/**
 * rota_planner_page_get_plan:
 *
 * Returns: (transfer none) (nullable): the plan
 */
RotaPlan *
rota_planner_page_get_plan (RotaPlannerPage *self)
{
  g_return_val_if_fail (ROTA_IS_PLANNER_PAGE (self), NULL);

  return self->plan;
}

/**
 * rota_planner_page_get_editor:
 *
 * Returns: (transfer none): the shift editor popover
 */
GtkWidget *
rota_planner_page_get_editor (RotaPlannerPage *self)
{
  g_return_val_if_fail (ROTA_IS_PLANNER_PAGE (self), NULL);

  return GTK_WIDGET (self->editor);
}

void
rota_planner_page_set_issues_visible (RotaPlannerPage *self,
                                      gboolean         visible)
{
  g_return_if_fail (ROTA_IS_PLANNER_PAGE (self));

  gtk_toggle_button_set_active (self->issues_button, visible);
}
