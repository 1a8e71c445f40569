/* rota-punches-page.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-punches-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rota-approval.h"
#include "rota-codec.h"
#include "rota-correction-dialog.h"
#include "rota-department.h"
#include "rota-employee.h"
#include "rota-office.h"
#include "rota-payroll.h"
#include "rota-punch.h"
#include "rota-punch-correction.h"
#include "rota-punch-format.h"
#include "rota-punch-row.h"
#include "rota-punches-page.h"
#include "rota-time.h"

/*
 * The Punches page: HR's review of clocked time. A sidebar with the
 * search, the period, the department and the status; a list with one
 * RotaPunchRow per employee-day under a header of sort buttons; an
 * action bar to correct, approve and export; and the history of the
 * selected day beside it.
 *
 * The period's report is made on a thread (a year of a large tenant takes
 * seconds); filtering and sorting it happen in RotaPunchList without one
 * object per day. After a correction or an approval only that employee's
 * days are worked out again.
 *
 * Keys, on the list: ↑/↓ move, N goes to the next day that needs review,
 * Enter corrects, A approves the selected days, H shows the history;
 * Ctrl+F searches, Alt+←/→ change the period (from the window).
 */

typedef enum
{
  PERIOD_WEEK,
  PERIOD_MONTH,
  PERIOD_YEAR,
} PeriodKind;

struct _RotaPunchesPage
{
  GtkWidget           parent_instance;

  RotaStore          *store;
  char               *author;
  gboolean            read_only;
  gboolean            has_server;
  RotaPunchList      *list;
  GtkMultiSelection  *selection;
  GPtrArray          *department_ids;
  GPtrArray          *undo_approvals; /* RotaApproval: the last ones made, for Ctrl+Z */
  GArray             *undo_states;    /* RotaApprovalState each day had before them */
  AdwToast           *undo_toast;     /* weak: the toast offering to undo them */
  gint64              last_decision_at; /* the latest created_at given to a decision here */
  GCancellable       *cancellable;
  GCancellable       *export_cancellable;
  guint               generation;
  guint               history_source;
  char               *loaded_period;
  gboolean            loading;
  gboolean            stale;

  PeriodKind          period;
  char               *anchor;
  char               *first_day;
  char               *last_day;
  char               *title;

  GHashTable         *bound;          /* GtkListItem of the first column */
  RotaPunchSort       sort;
  gboolean            descending;
  guint               focus_source;
  guint               pending_focus;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkDropDown        *period_dropdown;
  GtkDropDown        *department_dropdown;
  GtkCheckButton     *review_check;
  GtkCheckButton     *all_check;
  GtkCheckButton     *approved_check;
  GtkStack           *content_stack;
  GtkListView        *list_view;
  GtkBox             *header_box;
  GtkWidget          *header_buttons[8];
  GtkSpinner         *loading_spinner;
  GtkLabel           *loading_label;
  AdwStatusPage      *empty_page;
  GtkLabel           *summary_label;
  GtkToggleButton    *history_button;
  GtkRevealer        *history_revealer;
  GtkLabel           *history_subtitle;
  GtkListBox         *history_list;
};

G_DEFINE_FINAL_TYPE (RotaPunchesPage, rota_punches_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_LOADING,
  N_PROPS
};

enum {
  TOAST,
  RESOLVE,
  CHANGED,
  LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void load (RotaPunchesPage *self);
static void fill_departments (RotaPunchesPage *self,
                              GPtrArray       *departments);
static void update_history (RotaPunchesPage *self);

/* Helpers */

static void
toast (RotaPunchesPage *self,
       const char      *message)
{
  g_autoptr(AdwToast) toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  g_signal_emit (self, signals[TOAST], 0, toast);
}

static RotaPunchFilter
current_filter (RotaPunchesPage *self)
{
  if (gtk_check_button_get_active (self->all_check))
    return ROTA_PUNCH_FILTER_ALL;
  if (gtk_check_button_get_active (self->approved_check))
    return ROTA_PUNCH_FILTER_APPROVED;

  return ROTA_PUNCH_FILTER_NEEDS_REVIEW;
}

static const char *
current_department (RotaPunchesPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->department_dropdown);

  if (self->department_ids == NULL || selected == 0 || selected >= self->department_ids->len)
    return NULL;

  return g_ptr_array_index (self->department_ids, selected);
}

static void
compute_period (RotaPunchesPage *self)
{
  int year, month, day;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (!rota_date_parse (self->anchor, &year, &month, &day))
    return;

  switch (self->period)
    {
    case PERIOD_WEEK:
      first = rota_date_week_start (self->anchor);
      last = rota_date_add_days (first, 6);
      break;
    case PERIOD_YEAR:
      first = rota_date_new (year, 1, 1);
      last = rota_date_new (year, 12, 31);
      break;
    case PERIOD_MONTH:
    default:
      first = rota_date_new (year, month, 1);
      last = rota_date_add_days (first, g_date_get_days_in_month (month, year) - 1);
      break;
    }

  g_free (self->first_day);
  g_free (self->last_day);
  self->first_day = g_steal_pointer (&first);
  self->last_day = g_steal_pointer (&last);

  rota_date_parse (self->first_day, &year, &month, &day);
  start = g_date_time_new_utc (year, month, day, 12, 0, 0);
  rota_date_parse (self->last_day, &year, &month, &day);
  end = g_date_time_new_utc (year, month, day, 12, 0, 0);

  g_free (self->title);
  switch (self->period)
    {
    case PERIOD_WEEK:
      {
        g_autofree char *from = g_date_time_format (start, C_("punch period", "%-d %b"));
        g_autofree char *to = g_date_time_format (end, C_("punch period", "%-d %b %Y"));

        /* Translators: the week shown: "Week 48 · 23 Nov – 29 Nov 2026" */
        self->title = g_strdup_printf (_("Week %d · %s – %s"), g_date_time_get_week_of_year (start), from, to);
      }
      break;
    case PERIOD_YEAR:
      self->title = g_date_time_format (start, "%Y");
      break;
    case PERIOD_MONTH:
    default:
      /* Translators: the month shown, as in "November 2026" */
      self->title = g_date_time_format (start, C_("punch period", "%B %Y"));
      break;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
update_summary (RotaPunchesPage *self)
{
  guint review = rota_punch_list_count (self->list, ROTA_PUNCH_FILTER_NEEDS_REVIEW);
  guint all = rota_punch_list_count (self->list, ROTA_PUNCH_FILTER_ALL);
  guint approved = rota_punch_list_count (self->list, ROTA_PUNCH_FILTER_APPROVED);
  g_autofree char *review_label = g_strdup_printf (_("_Needs review (%u)"), review);
  g_autofree char *all_label = g_strdup_printf (_("A_ll (%u)"), all);
  g_autofree char *approved_label = g_strdup_printf (_("Appro_ved (%u)"), approved);
  g_autofree char *summary = NULL;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  gtk_check_button_set_label (self->review_check, review_label);
  gtk_check_button_set_label (self->all_check, all_label);
  gtk_check_button_set_label (self->approved_check, approved_label);
  /* GTK 4.8 does not name a check button after a label set later. */
  {
    GtkCheckButton *checks[] = { self->review_check, self->all_check, self->approved_check };
    const char *labels[] = { review_label, all_label, approved_label };

    for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
      {
        g_autofree char *plain = g_strdup (labels[i]);
        char *underscore = strchr (plain, '_');

        if (underscore != NULL)
          memmove (underscore, underscore + 1, strlen (underscore));
        gtk_accessible_update_property (GTK_ACCESSIBLE (checks[i]), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
      }
  }

  /* Translators: under the Punches list: "14 days need review · 230 days · 180 approved" */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day needs review", "%u days need review", review), review);
  {
    g_autofree char *rest = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day shown", "%u days shown", shown), shown);
    g_autofree char *joined = g_strdup_printf ("%s · %s", summary, rest);

    g_free (summary);
    summary = g_steal_pointer (&joined);
  }
  gtk_label_set_label (self->summary_label, summary);

  if (self->loading)
    return;

  if (shown > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  else
    {
      if (current_filter (self) == ROTA_PUNCH_FILTER_NEEDS_REVIEW && all > 0)
        {
          adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
          adw_status_page_set_title (self->empty_page, _("Nothing to Review"));
          adw_status_page_set_description (self->empty_page,
                                           _("Every day of this period is clocked as planned or approved. Choose “All” to see them."));
        }
      else if (all == 0 && gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0')
        {
          adw_status_page_set_icon_name (self->empty_page, "document-open-recent-symbolic");
          adw_status_page_set_title (self->empty_page, _("No Punches"));
          adw_status_page_set_description (self->empty_page,
                                           _("Nobody was planned or clocked in this period. Alt+Left goes to the one before."));
        }
      else
        {
          adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
          adw_status_page_set_title (self->empty_page, _("No Matching Days"));
          adw_status_page_set_description (self->empty_page,
                                           _("Try another name, department or status."));
        }
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
}

/* Positions and focus.
 *
 * GTK 4.8's list view cannot say which row has the focus or move it; the
 * bound rows know their positions, and focusing a row widget tells the
 * view. */

static GtkWidget *
inner_list_view (RotaPunchesPage *self)
{
  return GTK_WIDGET (self->list_view);
}

static GtkWidget *
row_widget_of (GtkWidget *list_view,
               GtkWidget *widget)
{
  while (widget != NULL && gtk_widget_get_parent (widget) != list_view)
    widget = gtk_widget_get_parent (widget);

  return widget;
}

static guint
focus_position (RotaPunchesPage *self)
{
  GtkWidget *list_view = inner_list_view (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = list_view != NULL && focus != NULL ? row_widget_of (list_view, focus) : NULL;
  GHashTableIter iter;
  gpointer key;
  GtkBitset *selected;
  guint position = G_MAXUINT;

  if (row != NULL)
    {
      g_hash_table_iter_init (&iter, self->bound);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          GtkListItem *list_item = key;
          GtkWidget *child = gtk_list_item_get_child (list_item);

          if (child != NULL && row_widget_of (list_view, child) == row)
            return gtk_list_item_get_position (list_item);
        }
    }

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (!gtk_bitset_is_empty (selected))
    position = gtk_bitset_get_minimum (selected);
  gtk_bitset_unref (selected);

  return position;
}

static gboolean
focus_row_idle (gpointer data)
{
  RotaPunchesPage *self = data;
  GtkWidget *list_view = inner_list_view (self);
  GHashTableIter iter;
  gpointer key;

  self->focus_source = 0;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GtkListItem *list_item = key;
      GtkWidget *child = gtk_list_item_get_child (list_item);

      if (child != NULL && gtk_list_item_get_position (list_item) == self->pending_focus)
        {
          GtkWidget *row = row_widget_of (list_view, child);

          if (row != NULL)
            gtk_widget_grab_focus (row);
          break;
        }
    }

  update_history (self);

  return G_SOURCE_REMOVE;
}

/* Selects the row at @position, scrolls to it and gives it the focus. */
static void
go_to_position (RotaPunchesPage *self,
                guint            position)
{
  GtkWidget *list_view = inner_list_view (self);

  if (list_view == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    return;

  /* A row already in a selection keeps the selection; another one
   * becomes the selection. */
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);

  /* The row's widget exists after the next layout. */
  self->pending_focus = position;
  if (self->focus_source == 0)
    self->focus_source = g_timeout_add (30, focus_row_idle, self);
}

static RotaPunchItem *
item_at (RotaPunchesPage *self,
         guint            position)
{
  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    return NULL;

  return g_list_model_get_item (G_LIST_MODEL (self->list), position);
}

/* The focus follows the employee-day, not the position: after a reload
 * or an edit, rows before it may have come or gone. */
typedef struct
{
  guint  position;
  char  *employee_id;
  char   work_date[11];
} FocusMark;

static void
focus_mark (RotaPunchesPage *self,
            FocusMark       *mark)
{
  g_autoptr(RotaPunchItem) item = NULL;

  mark->position = focus_position (self);
  mark->employee_id = NULL;
  mark->work_date[0] = '\0';
  item = item_at (self, mark->position);
  if (item != NULL)
    {
      mark->employee_id = g_strdup (rota_punch_item_get_day (item)->employee_id);
      g_strlcpy (mark->work_date, rota_punch_item_get_day (item)->work_date, sizeof mark->work_date);
    }
}

static void
focus_restore (RotaPunchesPage *self,
               FocusMark       *mark)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint position = G_MAXUINT;

  if (mark->employee_id != NULL)
    position = rota_punch_list_find (self->list, mark->employee_id, mark->work_date);
  if (position == G_MAXUINT && mark->position != G_MAXUINT && n > 0)
    position = MIN (mark->position, n - 1);
  if (position != G_MAXUINT)
    go_to_position (self, position);

  g_clear_pointer (&mark->employee_id, g_free);
}

/* The selection, by employee-day: a reload or a filter builds new rows,
 * and GtkMultiSelection forgets what they were. Up to a few thousand rows;
 * a selection of everything is not kept across a reload. */
#define MAX_KEPT_SELECTION 5000

static GPtrArray *
selection_save (RotaPunchesPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_get_size (selected) > MAX_KEPT_SELECTION)
    return keys;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(RotaPunchItem) item = item_at (self, position);

      if (item != NULL)
        g_ptr_array_add (keys, g_strconcat (rota_punch_item_get_day (item)->employee_id, "|",
                                            rota_punch_item_get_day (item)->work_date, NULL));
    }

  return keys;
}

static void
selection_restore (RotaPunchesPage *self,
                   GPtrArray       *keys)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  if (keys == NULL || keys->len == 0)
    return;

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *bar = strchr (key, '|');
      g_autofree char *employee_id = g_strndup (key, bar - key);
      guint position = rota_punch_list_find (self->list, employee_id, bar + 1);

      if (position != G_MAXUINT)
        gtk_bitset_add (selected, position);
    }

  mask = gtk_bitset_new_range (0, n);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
}

/* Rows */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              RotaPunchesPage          *self)
{
  gtk_list_item_set_child (list_item, rota_punch_row_new (GTK_WIDGET (self->header_box)));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             RotaPunchesPage          *self)
{
  RotaPunchItem *item = gtk_list_item_get_item (list_item);
  RotaPunchRow *row = ROTA_PUNCH_ROW (gtk_list_item_get_child (list_item));
  GtkWidget *list_row = gtk_widget_get_parent (GTK_WIDGET (row));
  const RotaPunchDay *day = rota_punch_item_get_day (item);
  g_autofree char *day_label = rota_punch_format_day (day->work_date, TRUE);
  g_autofree char *status = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *details = NULL;

  g_hash_table_add (self->bound, list_item);
  rota_punch_row_set_item (row, item, self->period != PERIOD_WEEK);

  /* The row, as a screen reader says it: whose day and its state, then
   * the times. */
  if (list_row == NULL)
    return;
  status = rota_punch_item_get_conflict (item) != NULL ? g_strdup (_("Not synced"))
                                                       : rota_punch_item_dup_status (item);
  /* Translators: a row of the Punches list for screen readers:
   * "Jonas Müller, Tue 24 Nov: Missing clock-out" */
  summary = g_strdup_printf (_("%s, %s: %s"), rota_punch_item_get_name (item), day_label, status);
  details = rota_punch_row_describe (row);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               RotaPunchesPage          *self)
{
  g_hash_table_remove (self->bound, list_item);
  /* The item's day is an index into the list: not kept past its row. */
  if (ROTA_IS_PUNCH_ROW (gtk_list_item_get_child (list_item)))
    rota_punch_row_set_item (ROTA_PUNCH_ROW (gtk_list_item_get_child (list_item)), NULL, FALSE);
}

/* Sorting: the header's buttons, one per column. A second click on the
 * column sorted by turns the order round. */

static void
update_header (RotaPunchesPage *self)
{
  for (RotaPunchColumn column = 0; column < ROTA_PUNCH_N_COLUMNS; column++)
    {
      GtkWidget *button = self->header_buttons[column];
      GtkWidget *box = gtk_button_get_child (GTK_BUTTON (button));
      GtkWidget *arrow = gtk_widget_get_last_child (box);
      gboolean sorted = (RotaPunchSort) column == self->sort;

      gtk_image_set_from_icon_name (GTK_IMAGE (arrow), self->descending ? "pan-down-symbolic" : "pan-up-symbolic");
      gtk_widget_set_visible (arrow, sorted);
      gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_PRESSED,
                                   sorted ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
    }
}

/**
 * rota_punches_page_sort_by:
 *
 * Sorts the rows by @sort, as a click on that column's heading does.
 */
void
rota_punches_page_sort_by (RotaPunchesPage *self,
                           RotaPunchSort    sort,
                           gboolean         descending)
{
  g_autoptr(GPtrArray) selected = NULL;

  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  self->sort = sort;
  self->descending = descending;
  selected = selection_save (self);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  rota_punch_list_set_sort (self->list, sort, descending);
  selection_restore (self, selected);
  update_header (self);
}

static void
heading_clicked_cb (GtkButton       *button,
                    RotaPunchesPage *self)
{
  RotaPunchSort sort = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "sort"));

  rota_punches_page_sort_by (self, sort, sort == self->sort ? !self->descending : FALSE);
}

static void
add_heading (RotaPunchesPage *self,
             RotaPunchColumn  column,
             const char      *title,
             const char      *name)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new (title);
  g_autofree char *accessible = g_strdup_printf (_("Sort by %s"), title);

  gtk_label_set_xalign (GTK_LABEL (label), rota_punch_column_is_numeric (column) ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 1);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), gtk_image_new ());
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "punch-heading");
  gtk_widget_set_name (button, name);
  gtk_widget_set_size_request (button, rota_punch_column_width (column), -1);
  gtk_widget_set_hexpand (button, column == ROTA_PUNCH_COLUMN_EMPLOYEE);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data (G_OBJECT (button), "sort", GINT_TO_POINTER (column));
  g_signal_connect (button, "clicked", G_CALLBACK (heading_clicked_cb), self);
  gtk_box_append (self->header_box, button);
  self->header_buttons[column] = button;
}

/* Loading */

typedef struct
{
  RotaStore *store;
  char      *first_day;
  char      *last_day;
  gint64     now;
  guint      generation;
  GPtrArray *employees;
  GPtrArray *departments;
  GPtrArray *offices;
  FocusMark  mark;
  GPtrArray *selected;    /* "employee|date" of the rows selected before */
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load_data = data;

  g_clear_object (&load_data->store);
  g_free (load_data->first_day);
  g_free (load_data->last_day);
  g_clear_pointer (&load_data->employees, g_ptr_array_unref);
  g_clear_pointer (&load_data->departments, g_ptr_array_unref);
  g_clear_pointer (&load_data->offices, g_ptr_array_unref);
  g_clear_pointer (&load_data->mark.employee_id, g_free);
  g_clear_pointer (&load_data->selected, g_ptr_array_unref);
  g_free (load_data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  RotaPunchReport *report;

  report = rota_punch_report_load (data->store, data->first_day, data->last_day, NULL, data->now,
                                   cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) rota_punch_report_unref);
}

static char *
conflict_key (RotaPunchesPage      *self,
              const RotaOutboxItem *item)
{
  g_autoptr(RotaEntity) entity = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (item->kind, "approval") == 0)
    {
      entity = rota_codec_decode_string (ROTA_TYPE_APPROVAL, item->payload, strlen (item->payload), &error);
      if (entity == NULL)
        return NULL;

      return g_strconcat (rota_approval_get_employee_id (ROTA_APPROVAL (entity)), "|",
                          rota_approval_get_work_date (ROTA_APPROVAL (entity)), NULL);
    }

  if (g_strcmp0 (item->kind, "punch_correction") == 0)
    {
      RotaPunchCorrection *correction;
      g_autoptr(RotaEntity) employee = NULL;
      g_autoptr(RotaEntity) punch = NULL;
      g_autofree char *date = NULL;
      gint64 at;

      entity = rota_codec_decode_string (ROTA_TYPE_PUNCH_CORRECTION, item->payload, strlen (item->payload), &error);
      if (entity == NULL)
        return NULL;
      correction = ROTA_PUNCH_CORRECTION (entity);
      at = rota_punch_correction_get_new_at (correction);
      if (at == 0 && rota_punch_correction_get_punch_id (correction) != NULL)
        {
          punch = rota_store_get_entity (self->store, ROTA_TYPE_PUNCH, rota_punch_correction_get_punch_id (correction), NULL);
          if (punch != NULL)
            at = rota_punch_get_at (ROTA_PUNCH (punch));
        }
      if (at == 0)
        return NULL;

      /* The day in the employee's office's zone, as the rows have it. */
      date = rota_time_work_date (at, rota_punch_list_get_zone_of (self->list,
                                                                   rota_punch_correction_get_employee_id (correction)));
      {
        guint found = G_MAXUINT;

        for (int offset = 0; offset >= -1 && found == G_MAXUINT; offset--)
          {
            g_autofree char *candidate = rota_date_add_days (date, offset);
            g_autofree char *key = g_strconcat (rota_punch_correction_get_employee_id (correction), "|", candidate, NULL);

            found = rota_punch_list_find (self->list, rota_punch_correction_get_employee_id (correction), candidate);
            if (found != G_MAXUINT)
              return g_steal_pointer (&key);
          }
      }

      return g_strconcat (rota_punch_correction_get_employee_id (correction), "|", date, NULL);
    }

  return NULL;
}

static void
outbox_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RotaPunchesPage) self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  items = rota_store_list_outbox_finish (ROTA_STORE (object), result, &error);
  if (items == NULL || self->store != ROTA_STORE (object))
    return;

  conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) rota_outbox_item_free);
  for (guint i = 0; i < items->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (items, i);
      char *key;

      if (item->state != ROTA_OUTBOX_STATE_CONFLICT && item->state != ROTA_OUTBOX_STATE_PARKED)
        continue;
      key = conflict_key (self, item);
      if (key != NULL)
        g_hash_table_replace (conflicts, key, rota_outbox_item_copy (item));
    }

  rota_punch_list_set_conflicts (self->list, conflicts);
  update_summary (self);
}

static void
load_conflicts (RotaPunchesPage *self)
{
  if (self->store != NULL)
    rota_store_list_outbox_async (self->store, self->cancellable, outbox_cb, g_object_ref (self));
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (object);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(GError) error = NULL;
  FocusMark mark;

  report = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled (a newer load, or the page going away): nothing to show. */
  if (data->generation != self->generation || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self->loading = FALSE;
  gtk_spinner_stop (self->loading_spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (report == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The punches could not be read: %s"), error->message);
      toast (self, message);
      rota_punch_list_set_report (self->list, NULL);
      update_summary (self);
      return;
    }

  mark = data->mark;
  data->mark.employee_id = NULL;
  /* Off before the rows change, back after (see apply_filter). */
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  fill_departments (self, data->departments);
  rota_punch_list_set_people (self->list, data->employees, data->departments, data->offices);
  rota_punch_list_set_filter (self->list, current_filter (self), current_department (self),
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  rota_punch_list_set_report (self->list, report);
  g_free (self->loaded_period);
  self->loaded_period = g_strdup (data->first_day);
  update_summary (self);
  load_conflicts (self);
  selection_restore (self, data->selected);

  /* The day in focus before stays in focus; on a first load the list
   * takes the focus when nothing in the page has it, so that the keys
   * work at once. */
  if (mark.position != G_MAXUINT)
    focus_restore (self, &mark);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focused = root != NULL ? gtk_root_get_focus (root) : NULL;

      if (focused == NULL || !gtk_widget_is_ancestor (focused, GTK_WIDGET (self)))
        gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
    }

  g_signal_emit (self, signals[LOADED], 0);
}

static void
fill_departments (RotaPunchesPage *self,
                  GPtrArray       *departments)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *selected_id = g_strdup (current_department (self));
  guint selected = 0;

  g_clear_pointer (&self->department_ids, g_ptr_array_unref);
  self->department_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->department_ids, NULL);
  gtk_string_list_append (names, _("All departments"));

  for (guint i = 0; i < departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (departments, i);
      const char *id = rota_entity_get_id (ROTA_ENTITY (department));

      if (g_strcmp0 (id, selected_id) == 0)
        selected = self->department_ids->len;
      g_ptr_array_add (self->department_ids, g_strdup (id));
      gtk_string_list_append (names, rota_department_get_name (department));
    }

  g_signal_handlers_block_matched (self->department_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->department_dropdown, selected);
  g_signal_handlers_unblock_matched (self->department_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
load (RotaPunchesPage *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  LoadData *data;

  if (self->store == NULL || self->first_day == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->stale = FALSE;

  /* The people are few and read here; their days are many and read on a
   * thread. What shows stays until the new days are there. */
  employees = rota_store_list_entities (self->store, ROTA_TYPE_EMPLOYEE, &error);
  if (employees != NULL)
    departments = rota_store_list_entities (self->store, ROTA_TYPE_DEPARTMENT, &error);
  if (departments != NULL)
    offices = rota_store_list_entities (self->store, ROTA_TYPE_OFFICE, &error);
  if (offices == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The punches could not be read: %s"), error->message);

      toast (self, message);
      return;
    }

  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  /* Another period shows the spinner; the same one read again (after a
   * sync) keeps its rows on screen meanwhile. */
  if (g_strcmp0 (self->loaded_period, self->first_day) != 0)
    {
      /* Translators: while the punches of a period are read: "Reading the punches of November 2026…" */
      label = g_strdup_printf (_("Reading the punches of %s…"), self->title);
      gtk_label_set_label (self->loading_label, label);
      gtk_spinner_start (self->loading_spinner);
      gtk_stack_set_visible_child_name (self->content_stack, "loading");
    }

  data = g_new0 (LoadData, 1);
  data->employees = g_steal_pointer (&employees);
  data->departments = g_steal_pointer (&departments);
  data->offices = g_steal_pointer (&offices);
  focus_mark (self, &data->mark);
  data->selected = selection_save (self);
  data->store = g_object_ref (self->store);
  data->first_day = g_strdup (self->first_day);
  data->last_day = g_strdup (self->last_day);
  data->now = rota_time_now ();
  data->generation = self->generation;

  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, load);
  g_task_set_task_data (task, data, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/* One employee's days again, after their correction or approval. */
static void
reload_employee (RotaPunchesPage *self,
                 const char      *employee_id)
{
  g_autoptr(RotaPunchInput) input = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(GError) error = NULL;
  FocusMark mark;

  input = rota_punch_input_load (self->store, self->first_day, self->last_day, NULL, employee_id,
                                 rota_time_now (), NULL, &error);
  if (input == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The punches could not be read: %s"), error->message);

      toast (self, message);
      return;
    }

  report = rota_punch_analyze (input);
  focus_mark (self, &mark);
  rota_punch_list_replace_employee (self->list, employee_id, report);
  update_summary (self);
  focus_restore (self, &mark);
  update_history (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* History */

typedef struct
{
  gint64  at;
  char   *title;
  char   *subtitle;
} HistoryEntry;

static void
history_entry_free (gpointer data)
{
  HistoryEntry *entry = data;

  g_free (entry->title);
  g_free (entry->subtitle);
  g_free (entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const HistoryEntry *x = *(HistoryEntry * const *) a;
  const HistoryEntry *y = *(HistoryEntry * const *) b;

  return (x->at > y->at) - (x->at < y->at);
}

static void
add_entry (GPtrArray *entries,
           gint64     at,
           char      *title,
           char      *subtitle)
{
  HistoryEntry *entry = g_new0 (HistoryEntry, 1);

  entry->at = at;
  entry->title = title;
  entry->subtitle = subtitle;
  g_ptr_array_add (entries, entry);
}

static gboolean
punch_of_day (const RotaPunchDay *day,
              const char         *id)
{
  for (int pass = 0; pass < 2; pass++)
    {
      GPtrArray *punches = pass == 0 ? day->punches : day->voided;

      for (guint i = 0; punches != NULL && i < punches->len; i++)
        if (g_strcmp0 (rota_entity_get_id (g_ptr_array_index (punches, i)), id) == 0)
          return TRUE;
    }

  return FALSE;
}

static void
update_history (RotaPunchesPage *self)
{
  g_autoptr(RotaPunchItem) item = NULL;
  g_autoptr(RotaPunchInput) input = NULL;
  g_autoptr(RotaPunchReport) report = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day_label = NULL;
  g_autofree char *subtitle = NULL;
  const RotaPunchDay *day;
  const RotaPunchDay *analysed;
  GTimeZone *zone;
  GtkWidget *child;

  if (!gtk_revealer_get_reveal_child (self->history_revealer))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  item = item_at (self, focus_position (self));
  if (item == NULL)
    {
      gtk_label_set_label (self->history_subtitle, _("Select a day to see its history."));
      return;
    }

  day = rota_punch_item_get_day (item);
  zone = rota_punch_item_get_zone (item);
  day_label = rota_punch_format_day (day->work_date, TRUE);
  subtitle = g_strdup_printf ("%s · %s", rota_punch_item_get_name (item), day_label);
  gtk_label_set_label (self->history_subtitle, subtitle);

  input = rota_punch_input_load (self->store, day->work_date, day->work_date, NULL, day->employee_id,
                                 rota_time_now (), NULL, &error);
  if (input == NULL)
    {
      gtk_label_set_label (self->history_subtitle, error->message);
      return;
    }
  input->keep_punches = TRUE;
  report = rota_punch_analyze (input);
  analysed = rota_punch_report_find_day (report, day->employee_id, day->work_date);

  entries = g_ptr_array_new_with_free_func (history_entry_free);

  for (guint i = 0; analysed != NULL && i < input->punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (input->punches, i);
      g_autofree char *clock = NULL;

      if (!punch_of_day (analysed, rota_entity_get_id (ROTA_ENTITY (punch))))
        continue;
      clock = rota_punch_format_clock (rota_punch_get_at (punch), zone);
      /* Translators: a punch as clocked, in the history: "Clock-in 16:12 clocked" */
      add_entry (entries, rota_punch_get_at (punch),
                 g_strdup_printf (_("%s %s clocked"), rota_punch_kind_label (rota_punch_get_kind (punch)), clock),
                 g_strdup_printf (_("at %s%s"), rota_punch_get_source (punch) ? rota_punch_get_source (punch) : "",
                                  rota_punch_get_time_untrusted (punch) ? _(", the device’s clock was not trusted") : ""));
    }

  for (guint i = 0; analysed != NULL && i < input->corrections->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (input->corrections, i);
      const char *punch_id = rota_punch_correction_get_punch_id (correction);
      RotaCorrectionAction action = rota_punch_correction_get_action (correction);
      g_autofree char *when = rota_punch_format_clock (rota_punch_correction_get_new_at (correction), zone);
      g_autofree char *what = NULL;
      const char *text = rota_punch_correction_get_reason_text (correction);
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (rota_punch_correction_get_created_at (correction));
      g_autofree char *created_text = g_date_time_format (created, C_("correction time", "%-d %b %H:%M"));

      RotaPunch *original = NULL;
      g_autofree char *original_clock = NULL;

      if (!punch_of_day (analysed, punch_id != NULL ? punch_id : rota_entity_get_id (ROTA_ENTITY (correction))))
        continue;

      /* What the punch was as clocked; an added punch was never clocked. */
      for (guint j = 0; punch_id != NULL && j < input->punches->len && original == NULL; j++)
        if (g_strcmp0 (rota_entity_get_id (g_ptr_array_index (input->punches, j)), punch_id) == 0)
          original = g_ptr_array_index (input->punches, j);
      if (original != NULL)
        original_clock = rota_punch_format_clock (rota_punch_get_at (original), zone);

      switch (action)
        {
        case ROTA_CORRECTION_ACTION_ADD:
          /* Translators: "Added Clock-out 18:00" */
          what = g_strdup_printf (_("Added %s %s"), rota_punch_kind_label (rota_punch_correction_get_new_kind (correction)), when);
          break;
        case ROTA_CORRECTION_ACTION_MOVE:
          if (original != NULL)
            /* Translators: "Moved Clock-in 16:30 to Clock-in 16:00" */
            what = g_strdup_printf (_("Moved %s %s to %s %s"), rota_punch_kind_label (rota_punch_get_kind (original)),
                                    original_clock, rota_punch_kind_label (rota_punch_correction_get_new_kind (correction)),
                                    when);
          else
            what = g_strdup_printf (_("Moved a punch to %s %s"),
                                    rota_punch_kind_label (rota_punch_correction_get_new_kind (correction)), when);
          break;
        case ROTA_CORRECTION_ACTION_VOID:
          if (original != NULL)
            /* Translators: "Voided Clock-in 15:26" */
            what = g_strdup_printf (_("Voided %s %s"), rota_punch_kind_label (rota_punch_get_kind (original)),
                                    original_clock);
          else
            what = g_strdup (_("Voided a punch"));
          break;
        case ROTA_CORRECTION_ACTION_NONE:
        default:
          what = g_strdup (_("Changed a punch"));
          break;
        }

      /* Translators: who, when and why, under a correction in the history */
      add_entry (entries, rota_punch_correction_get_created_at (correction), g_steal_pointer (&what),
                 g_strdup_printf (_("%s, %s · %s%s%s"), rota_punch_correction_get_author (correction), created_text,
                                  rota_punch_reason_label (rota_punch_correction_get_reason_code (correction)),
                                  text != NULL && *text != '\0' ? ": " : "", text != NULL ? text : ""));
    }

  for (guint i = 0; i < input->approvals->len; i++)
    {
      RotaApproval *approval = g_ptr_array_index (input->approvals, i);
      g_autoptr(GDateTime) created = NULL;
      g_autofree char *created_text = NULL;
      gboolean current;

      if (g_strcmp0 (rota_approval_get_employee_id (approval), day->employee_id) != 0 ||
          g_strcmp0 (rota_approval_get_work_date (approval), day->work_date) != 0)
        continue;

      created = g_date_time_new_from_unix_local (rota_approval_get_created_at (approval));
      created_text = g_date_time_format (created, C_("correction time", "%-d %b %H:%M"));
      current = analysed != NULL && rota_approval_get_for_version (approval) == analysed->version;
      if (rota_approval_get_state (approval) == ROTA_APPROVAL_STATE_WITHDRAWN)
        add_entry (entries, rota_approval_get_created_at (approval),
                   /* Translators: in a day's history, an approval taken back (undone) */
                   g_strdup (_("Approval withdrawn")),
                   g_strdup_printf (_("%s, %s"), rota_approval_get_author (approval), created_text));
      else
        add_entry (entries, rota_approval_get_created_at (approval),
                   g_strdup (rota_approval_get_state (approval) == ROTA_APPROVAL_STATE_REJECTED ? _("Rejected") : _("Approved")),
                   g_strdup_printf (current ? _("%s, %s") : _("%s, %s · the day changed since"),
                                    rota_approval_get_author (approval), created_text));
    }

  g_ptr_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      HistoryEntry *entry = g_ptr_array_index (entries, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), entry->subtitle);
      gtk_list_box_append (self->history_list, row);
    }

  if (entries->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing was clocked or changed on this day."));
      gtk_list_box_append (self->history_list, row);
    }
}

/* Callbacks */

static void
search_changed_cb (RotaPunchesPage *self)
{
  rota_punches_page_apply_filter (self);
}

static void
stop_search_cb (RotaPunchesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
search_activate_cb (RotaPunchesPage *self)
{
  guint next = rota_punch_list_next_to_review (self->list, G_MAXUINT);

  go_to_position (self, next != G_MAXUINT ? next : 0);
}

static void
filter_changed_cb (RotaPunchesPage *self)
{
  rota_punches_page_apply_filter (self);
}

static void
status_toggled_cb (RotaPunchesPage *self,
                   GtkCheckButton  *button)
{
  /* A radio group toggles twice per click: only the one switched on
   * filters. */
  if (gtk_check_button_get_active (button))
    rota_punches_page_apply_filter (self);
}

static void
period_changed_cb (RotaPunchesPage *self)
{
  self->period = gtk_drop_down_get_selected (self->period_dropdown);
  compute_period (self);
  load (self);
}

static void
correction_saved_cb (RotaPunchesPage *self,
                     const char      *employee_id,
                     const char      *work_date)
{
  toast (self, _("Correction saved. It goes to the server with the next sync."));
  reload_employee (self, employee_id);
}

static void
open_correction (RotaPunchesPage *self,
                 guint            position)
{
  g_autoptr(RotaPunchItem) item = item_at (self, position);
  g_autoptr(GError) error = NULL;
  const RotaOutboxItem *conflict;
  GtkWidget *dialog;
  GtkRoot *root;

  if (item == NULL)
    return;

  /* A refused edit is resolved first: both versions, one choice. */
  conflict = rota_punch_item_get_conflict (item);
  if (conflict != NULL)
    {
      g_signal_emit (self, signals[RESOLVE], 0, conflict);
      return;
    }

  if (self->read_only)
    {
      toast (self, _("This token may not change hours. Ask your administrator for one with the “hours:write” scope."));
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = rota_correction_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, self->author,
                                       rota_punch_item_get_employee (item),
                                       rota_punch_item_get_day (item)->work_date, &error);
  if (dialog == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The day could not be opened: %s"), error->message);

      toast (self, message);
      return;
    }

  g_signal_connect_object (dialog, "saved", G_CALLBACK (correction_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
row_activated_cb (RotaPunchesPage *self,
                  guint            position)
{
  open_correction (self, position);
}

static void
history_toggled_cb (RotaPunchesPage *self)
{
  gtk_revealer_set_reveal_child (self->history_revealer, gtk_toggle_button_get_active (self->history_button));
  update_history (self);
}

static gboolean
history_idle_cb (gpointer data)
{
  RotaPunchesPage *self = data;

  self->history_source = 0;
  update_history (self);

  return G_SOURCE_REMOVE;
}

/* Holding ↓ with the history shown reads it once, where the keys stop. */
static void
selection_changed_cb (RotaPunchesPage *self)
{
  if (!gtk_revealer_get_reveal_child (self->history_revealer))
    return;

  g_clear_handle_id (&self->history_source, g_source_remove);
  self->history_source = g_timeout_add (150, history_idle_cb, self);
}

/* Actions */

static void
correct_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (widget);
  guint position = focus_position (self);

  if (position == G_MAXUINT)
    {
      toast (self, _("Select a day first: ↑ and ↓ move through the list."));
      return;
    }

  open_correction (self, position);
}

static void
next_problem_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  /* From the day selected; with none, from the top, the first row too. */
  guint from = gtk_bitset_is_empty (selected) ? G_MAXUINT : focus_position (self);
  guint next = rota_punch_list_next_to_review (self->list, from);

  if (next == G_MAXUINT)
    {
      toast (self, _("No day here needs review."));
      return;
    }

  go_to_position (self, next);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (widget);

  gtk_toggle_button_set_active (self->history_button, !gtk_toggle_button_get_active (self->history_button));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (ROTA_PUNCHES_PAGE (widget)->search_entry));
}

/* When a decision made here is dated: now, but always after the one made
 * before it here, even within the same second. The latest decision of a
 * day wins (by created_at, then by id), so an approval made right after
 * an undo must not tie with the withdrawal it follows. */
static gint64
next_decision_time (RotaPunchesPage *self,
                    gint64           at_least)
{
  self->last_decision_at = MAX (MAX (rota_time_now (), at_least), self->last_decision_at + 1);

  return self->last_decision_at;
}

/* Undo of the last approvals: for each, the decision the day had before
 * (a rejection again, or a withdrawal: no decision), written with its
 * outbox item in one transaction like the approvals were; the days are
 * then worked out again. The offer lasts as long as the toast. */
static void
undo_approvals (RotaPunchesPage *self)
{
  g_autoptr(GPtrArray) approvals = g_steal_pointer (&self->undo_approvals);
  g_autoptr(GArray) states = g_steal_pointer (&self->undo_states);
  g_autoptr(GHashTable) employees = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gboolean ok;
  gboolean began;

  /* Its offer is used up, whichever way it was taken. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_weak_pointer (&self->undo_toast);

  if (approvals == NULL || approvals->len == 0 || self->store == NULL)
    {
      toast (self, _("There is no approval to undo."));
      return;
    }

  ok = began = rota_store_begin (self->store, &error);
  for (guint i = 0; ok && i < approvals->len; i++)
    {
      RotaApproval *approval = g_ptr_array_index (approvals, i);
      RotaApprovalState before = states != NULL && i < states->len ? g_array_index (states, RotaApprovalState, i)
                                                                  : ROTA_APPROVAL_STATE_WITHDRAWN;
      g_autofree char *uuid = g_uuid_string_random ();
      g_autoptr(RotaApproval) withdrawal = g_object_new (ROTA_TYPE_APPROVAL,
                                                         "id", uuid,
                                                         "employee-id", rota_approval_get_employee_id (approval),
                                                         "work-date", rota_approval_get_work_date (approval),
                                                         "state", before,
                                                         "author", self->author,
                                                         "created-at",
                                                         next_decision_time (self, rota_approval_get_created_at (approval) + 1),
                                                         "for-version", rota_approval_get_for_version (approval),
                                                         NULL);
      g_autoptr(RotaOutboxItem) item = rota_store_record_edit (self->store, ROTA_OUTBOX_OP_POST,
                                                               ROTA_ENTITY (withdrawal), self->author, NULL, &error);

      ok = item != NULL;
      g_hash_table_add (employees, (char *) rota_approval_get_employee_id (approval));
    }
  if (ok)
    ok = rota_store_commit (self->store, &error);
  else if (began)
    rota_store_rollback (self->store);

  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("The approval could not be undone: %s"), error->message);

      /* Still there to try again with Ctrl+Z. */
      self->undo_approvals = g_steal_pointer (&approvals);
      self->undo_states = g_steal_pointer (&states);
      toast (self, message);
      return;
    }

  /* A few people are worked out again at once; many, with the period. */
  if (g_hash_table_size (employees) <= 5)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, employees);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        reload_employee (self, key);
    }
  else
    {
      rota_punches_page_reload (self);
      g_signal_emit (self, signals[CHANGED], 0);
    }

  toast (self, g_dngettext (GETTEXT_PACKAGE, "The approval was withdrawn; the day is as before.",
                            "The approvals were withdrawn; the days are as before.", approvals->len));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  undo_approvals (ROTA_PUNCHES_PAGE (widget));
}

/* The offer to undo goes with its toast: a Ctrl+Z much later would take
 * back what someone may have decided since. */
static void
undo_dismissed_cb (AdwToast        *toast,
                   RotaPunchesPage *self)
{
  if (toast != self->undo_toast)
    return;

  g_clear_weak_pointer (&self->undo_toast);
  g_clear_pointer (&self->undo_approvals, g_ptr_array_unref);
  g_clear_pointer (&self->undo_states, g_array_unref);
}

static void
undo_clicked_cb (AdwToast        *toast,
                 RotaPunchesPage *self)
{
  /* Only the toast of the last approvals undoes: an older one still in
   * the overlay's queue offers what is gone. */
  if (toast != self->undo_toast)
    return;

  /* The toast goes by itself after this; dismissing it here, while it
   * emits, would drop its last reference too early. */
  g_clear_weak_pointer (&self->undo_toast);
  undo_approvals (self);
}

/* Approves the days at @positions; with @only_clean, only those with
 * nothing to review (review by exception: what is clocked as planned
 * needs no look one by one). */
static void
approve_positions (RotaPunchesPage *self,
                   GtkBitset       *selected,
                   gboolean         only_clean)
{
  g_autoptr(GPtrArray) approvals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (RotaApprovalState));
  g_autoptr(GArray) approved = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autofree char *single = NULL;
  GtkBitsetIter iter;
  guint position;
  guint blocked = 0;
  guint refused = 0;
  guint already = 0;
  gint64 now = rota_time_now ();
  g_autofree char *today = NULL;
  gboolean ok = TRUE;
  gboolean began = FALSE;

  if (self->store == NULL)
    return;
  if (self->read_only)
    {
      toast (self, _("This token may not approve hours. Ask your administrator for one with the “hours:write” scope."));
      return;
    }

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(RotaPunchItem) item = item_at (self, position);
      const RotaPunchDay *day;
      g_autofree char *uuid = NULL;

      if (item == NULL)
        continue;
      day = rota_punch_item_get_day (item);
      if (today == NULL)
        today = rota_time_work_date (now, rota_punch_item_get_zone (item));
      if (day->flags & ROTA_DAY_APPROVED)
        {
          already++;
          continue;
        }
      if (only_clean && rota_punch_item_needs_review (item))
        continue;
      /* An approval of a day whose edit the server refused would be
       * refused too: that edit is resolved first. */
      if (rota_punch_item_get_conflict (item) != NULL)
        {
          refused++;
          continue;
        }
      if (!rota_punch_day_can_approve (day) || g_strcmp0 (day->work_date, today) > 0)
        {
          blocked++;
          continue;
        }

      if (single == NULL)
        {
          g_autofree char *day_label = rota_punch_format_day (day->work_date, TRUE);

          /* Translators: one day approved: "Jonas Müller, Tue 24 Nov" */
          single = g_strdup_printf (_("%s, %s"), rota_punch_item_get_name (item), day_label);
        }
      g_array_append_val (approved, position);
      {
        RotaApprovalState before = day->flags & ROTA_DAY_REJECTED ? ROTA_APPROVAL_STATE_REJECTED
                                                                   : ROTA_APPROVAL_STATE_WITHDRAWN;

        g_array_append_val (states, before);
      }

      uuid = g_uuid_string_random ();
      g_ptr_array_add (approvals, g_object_new (ROTA_TYPE_APPROVAL,
                                                "id", uuid,
                                                "employee-id", day->employee_id,
                                                "work-date", day->work_date,
                                                "state", ROTA_APPROVAL_STATE_APPROVED,
                                                "author", self->author,
                                                "created-at", next_decision_time (self, now),
                                                "for-version", day->version,
                                                NULL));
    }

  /* All of them or none: one transaction, each with its outbox item. */
  if (approvals->len > 0)
    {
      ok = began = rota_store_begin (self->store, &error);
      for (guint i = 0; ok && i < approvals->len; i++)
        {
          g_autoptr(RotaOutboxItem) item = rota_store_record_edit (self->store, ROTA_OUTBOX_OP_POST,
                                                                   g_ptr_array_index (approvals, i),
                                                                   self->author, NULL, &error);

          ok = item != NULL;
        }
      if (ok)
        ok = rota_store_commit (self->store, &error);
      else if (began)
        rota_store_rollback (self->store);
    }

  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("Nothing was approved: %s"), error->message);

      toast (self, message);
      return;
    }

  {
    g_autoptr(GString) message = g_string_new (NULL);

    /* What an approval of the day's version means for the analysis, set
     * at once rather than worked out again for everyone approved. */
    if (approved->len > 0)
      {
        rota_punch_list_mark_approved (self->list, approved, self->author, now);
        update_summary (self);
        update_history (self);
        g_signal_emit (self, signals[CHANGED], 0);
      }

    if (approvals->len == 1)
      /* Translators: %s is who and which day: "Jonas Müller, Tue 24 Nov" */
      g_string_append_printf (message, _("Approved %s."), single);
    else if (approvals->len > 0)
      g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, "Approved %u day.", "Approved %u days.",
                                                    approvals->len), approvals->len);
    if (refused > 0)
      {
        if (message->len > 0)
          g_string_append_c (message, ' ');
        g_string_append_printf (message,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u day has an edit the server refused: press Enter on it to resolve that first.",
                                             "%u days have an edit the server refused: press Enter on them to resolve that first.",
                                             refused), refused);
      }
    if (blocked > 0)
      {
        if (message->len > 0)
          g_string_append_c (message, ' ');
        g_string_append_printf (message,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u day was left: its clock-in or clock-out is missing or doubled, or it is still running. Correct it first.",
                                             "%u days were left: their clock-in or clock-out is missing or doubled, or they are still running. Correct them first.",
                                             blocked), blocked);
      }
    if (message->len == 0 && already > 0)
      g_string_append (message, _("Already approved."));
    if (message->len == 0 && only_clean)
      g_string_append (message, _("No day shown is free of problems and waiting for approval."));

    /* What was approved can be taken back: the toast's Undo, or Ctrl+Z. */
    if (approvals->len > 0)
      {
        g_autoptr(AdwToast) undo = adw_toast_new (message->str);

        if (self->undo_toast != NULL)
          adw_toast_dismiss (self->undo_toast);
        g_clear_pointer (&self->undo_approvals, g_ptr_array_unref);
        g_clear_pointer (&self->undo_states, g_array_unref);
        self->undo_approvals = g_ptr_array_ref (approvals);
        self->undo_states = g_array_ref (states);
        g_set_weak_pointer (&self->undo_toast, undo);
        g_signal_connect_object (undo, "dismissed", G_CALLBACK (undo_dismissed_cb), self, 0);
        /* Normal priority: libadwaita 1.2 aborts when a high-priority
         * toast pushes aside one that is being dismissed. */
        adw_toast_set_timeout (undo, 10);
        adw_toast_set_button_label (undo, _("_Undo"));
        g_signal_connect_object (undo, "button-clicked", G_CALLBACK (undo_clicked_cb), self, 0);
        g_signal_emit (self, signals[TOAST], 0, undo);
      }
    else if (message->len > 0)
      toast (self, message->str);
  }
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  /* Only what is selected: never a row the focus fell on by itself. */
  if (gtk_bitset_is_empty (selected))
    {
      toast (self, _("Select a day first: ↑ and ↓ select, Shift extends, Ctrl+A selects all."));
      return;
    }

  approve_positions (self, selected, FALSE);
}

static void
approve_clean_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  g_autoptr(GtkBitset) all = gtk_bitset_new_range (0, n);

  approve_positions (self, all, TRUE);
}

/* Payroll export: the approved days of the period shown, for the
 * department chosen, written on a thread. */

typedef struct
{
  RotaStore *store;
  GFile     *file;
  char      *first_day;
  char      *last_day;
  char      *department_id;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *export = data;

  g_clear_object (&export->store);
  g_clear_object (&export->file);
  g_free (export->first_day);
  g_free (export->last_day);
  g_free (export->department_id);
  g_free (export);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *export = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  GError *error = NULL;

  /* Payroll data is personal: the file is the user's alone. */
  out = g_file_replace (export->file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                        cancellable, &error);
  if (out == NULL ||
      !rota_payroll_export (export->store, export->first_day, export->last_day, export->department_id,
                            G_OUTPUT_STREAM (out), rota_time_now (), cancellable, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (object);
  ExportData *export = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (export->file);
  g_autofree char *message = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "punches.export", TRUE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The hours were not exported: %s"), error->message);
    }
  else
    {
      /* Approvals and corrections the server has not taken yet are in the
       * file too: say so, as payroll may want to wait for a sync. */
      gint64 unsynced = 0;

      if (self->has_server && self->store != NULL)
        unsynced = rota_store_count_outbox_kind (self->store, "approval", NULL) +
                   rota_store_count_outbox_kind (self->store, "punch_correction", NULL);

      if (unsynced > 0)
        /* Translators: %s is a file name; the number is of approvals and corrections */
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Exported the approved hours to %s. %d approval or correction in it is not on the server yet: sync (Ctrl+R) and export again to be sure.",
                                                "Exported the approved hours to %s. %d approvals or corrections in it are not on the server yet: sync (Ctrl+R) and export again to be sure.",
                                                unsynced),
                                   name, (int) MIN (unsynced, G_MAXINT));
      else if (rota_punch_list_count (self->list, ROTA_PUNCH_FILTER_NEEDS_REVIEW) > 0)
        /* Translators: %s is a file name */
        message = g_strdup_printf (_("Exported the approved hours to %s. Days that still need review are not in it."), name);
      else
        message = g_strdup_printf (_("Exported the approved hours to %s."), name);
    }

  toast (self, message);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    RotaPunchesPage *self)
{
  g_autoptr(GTask) task = NULL;
  ExportData *export;

  if (response != GTK_RESPONSE_ACCEPT || self->store == NULL)
    {
      g_object_unref (chooser);
      return;
    }

  export = g_new0 (ExportData, 1);
  export->store = g_object_ref (self->store);
  export->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  export->first_day = g_strdup (self->first_day);
  export->last_day = g_strdup (self->last_day);
  export->department_id = g_strdup (current_department (self));
  g_object_unref (chooser);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "punches.export", FALSE);
  /* Not the page's loads' cancellable: a sync's reload does not stop it. */
  task = g_task_new (self, self->export_cancellable, export_cb, NULL);
  g_task_set_source_tag (task, export_response_cb);
  g_task_set_task_data (task, export, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->store == NULL || self->first_day == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Approved Hours"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: the file name offered for a payroll export; keep the
   * %s (the first and last day) and the .csv */
  name = g_strdup_printf (_("payroll-%s-%s.csv"), self->first_day, self->last_day);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject */

static void
rota_punches_page_dispose (GObject *object)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (object);
  GtkWidget *child;

  /* A load or an export that ends after this finds nothing to show. */
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_handle_id (&self->focus_source, g_source_remove);
  g_clear_handle_id (&self->history_source, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROTA_TYPE_PUNCHES_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rota_punches_page_parent_class)->dispose (object);
}

static void
rota_punches_page_finalize (GObject *object)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->list);
  g_clear_object (&self->selection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->export_cancellable);
  g_free (self->loaded_period);
  g_clear_pointer (&self->undo_approvals, g_ptr_array_unref);
  g_clear_pointer (&self->undo_states, g_array_unref);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_pointer (&self->department_ids, g_ptr_array_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_free (self->author);
  g_free (self->anchor);
  g_free (self->first_day);
  g_free (self->last_day);
  g_free (self->title);

  G_OBJECT_CLASS (rota_punches_page_parent_class)->finalize (object);
}

static void
rota_punches_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RotaPunchesPage *self = ROTA_PUNCHES_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_punches_page_class_init (RotaPunchesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rota_punches_page_dispose;
  object_class->finalize = rota_punches_page_finalize;
  object_class->get_property = rota_punches_page_get_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  /**
   * RotaPunchesPage::resolve:
   * @item: (type gpointer): the RotaOutboxItem the server refused
   */
  signals[RESOLVE] = g_signal_new ("resolve", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* An edit was recorded: the outbox grew. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/rota/Rota/punches/rota-punches-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, department_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, review_check);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, all_check);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, approved_check);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, header_box);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, history_button);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, history_revealer);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, history_subtitle);
  gtk_widget_class_bind_template_child (widget_class, RotaPunchesPage, history_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_toggled_cb);

  gtk_widget_class_install_action (widget_class, "punches.correct", NULL, correct_action);
  gtk_widget_class_install_action (widget_class, "punches.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "punches.approve-clean", NULL, approve_clean_action);
  gtk_widget_class_install_action (widget_class, "punches.next-problem", NULL, next_problem_action);
  gtk_widget_class_install_action (widget_class, "punches.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "punches.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "punches.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "punches.undo", NULL, undo_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "punches.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "punches.undo", NULL);
}

static void
add_list_shortcut (GtkShortcutController *controller,
                   guint                  keyval,
                   const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                                                          gtk_named_action_new (action)));
}

static void
rota_punches_page_init (RotaPunchesPage *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->list = rota_punch_list_new ();
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  self->bound = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
  self->export_cancellable = g_cancellable_new ();
  self->period = PERIOD_MONTH;

  add_heading (self, ROTA_PUNCH_COLUMN_EMPLOYEE, _("Employee"), "sort-employee");
  add_heading (self, ROTA_PUNCH_COLUMN_DAY, _("Day"), "sort-day");
  add_heading (self, ROTA_PUNCH_COLUMN_PLANNED, _("Planned"), "sort-planned");
  add_heading (self, ROTA_PUNCH_COLUMN_CLOCKED, _("Clocked"), "sort-clocked");
  add_heading (self, ROTA_PUNCH_COLUMN_BREAK, _("Break"), "sort-break");
  add_heading (self, ROTA_PUNCH_COLUMN_WORKED, _("Worked"), "sort-worked");
  /* Translators: the column of worked minus planned time */
  add_heading (self, ROTA_PUNCH_COLUMN_DEVIATION, _("Δ"), "sort-deviation");
  add_heading (self, ROTA_PUNCH_COLUMN_STATUS, _("Status"), "sort-status");
  update_header (self);
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
    g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
    gtk_list_view_set_factory (self->list_view, factory);
    g_object_unref (factory);
  }
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* GTK 4.8's drop-downs give the focus to an inner button without a
   * name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->period_dropdown))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Period"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->department_dropdown))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Department"), -1);
  update_summary (self);

  /* Single keys on the list only: the search entry takes letters. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_LOCAL);
  add_list_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_n, "punches.next-problem");
  add_list_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_a, "punches.approve");
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_A, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("punches.approve-clean")));
  add_list_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_h, "punches.history");
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), shortcuts);
}

/**
 * rota_punches_page_set_store:
 * @store: (nullable): the store to review, or %NULL to show nothing
 * @author: who corrects and approves: kept with each edit
 * @day: (nullable): a day in the period to show first, or %NULL for today
 */
void
rota_punches_page_set_store (RotaPunchesPage *self,
                             RotaStore       *store,
                             const char      *author,
                             const char      *day)
{
  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  self->generation++;
  g_clear_pointer (&self->loaded_period, g_free);
  g_clear_pointer (&self->undo_approvals, g_ptr_array_unref);
  g_clear_pointer (&self->undo_states, g_array_unref);
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_weak_pointer (&self->undo_toast);
  g_set_object (&self->store, store);
  g_free (self->author);
  self->author = g_strdup (author);
  rota_punch_list_set_people (self->list, NULL, NULL, NULL);

  if (store == NULL)
    return;

  g_free (self->anchor);
  self->anchor = day != NULL ? g_strdup (day) : rota_time_work_date (rota_time_now (), rota_time_zone_get (NULL));
  compute_period (self);
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
}

void
rota_punches_page_set_read_only (RotaPunchesPage *self,
                                 gboolean         read_only)
{
  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  /* The actions stay enabled: trying one says why it cannot be done. */
  self->read_only = read_only;
}

const char *
rota_punches_page_get_title (RotaPunchesPage *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCHES_PAGE (self), NULL);

  return self->title;
}

/**
 * rota_punches_page_step:
 * @direction: -1 for the period before, 1 for the next, 0 for today's
 */
void
rota_punches_page_step (RotaPunchesPage *self,
                        int              direction)
{
  int year, month, day;
  char *anchor = NULL;

  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  if (self->anchor == NULL || !rota_date_parse (self->first_day, &year, &month, &day))
    return;

  if (direction == 0)
    anchor = rota_time_work_date (rota_time_now (), rota_time_zone_get (NULL));
  else if (self->period == PERIOD_WEEK)
    anchor = rota_date_add_days (self->first_day, 7 * direction);
  else if (self->period == PERIOD_YEAR)
    anchor = rota_date_new (year + direction, 1, 1);
  else
    {
      month += direction;
      if (month < 1)
        month = 12, year--;
      else if (month > 12)
        month = 1, year++;
      anchor = rota_date_new (year, month, 1);
    }

  g_free (self->anchor);
  self->anchor = anchor;
  compute_period (self);
  load (self);
}

/**
 * rota_punches_page_set_period:
 * @kind: "week", "month" or "year"
 */
void
rota_punches_page_set_period (RotaPunchesPage *self,
                              const char      *kind)
{
  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  gtk_drop_down_set_selected (self->period_dropdown,
                              g_strcmp0 (kind, "week") == 0 ? PERIOD_WEEK
                              : g_strcmp0 (kind, "year") == 0 ? PERIOD_YEAR : PERIOD_MONTH);
}

/**
 * rota_punches_page_reload:
 *
 * Reads the period again (after a sync), keeping the row in focus; when
 * the page is not shown, it is read when it is shown next.
 */
void
rota_punches_page_reload (RotaPunchesPage *self)
{
  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  if (self->store == NULL)
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
  else
    self->stale = TRUE;
}

/**
 * rota_punches_page_show:
 *
 * Called when the page comes into view: reads it if it is out of date.
 */
void
rota_punches_page_show (RotaPunchesPage *self)
{
  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  if (self->stale)
    load (self);
}

gboolean
rota_punches_page_get_loading (RotaPunchesPage *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCHES_PAGE (self), FALSE);

  return self->loading;
}

/**
 * rota_punches_page_get_list:
 *
 * Returns: (transfer none): the rows
 */
RotaPunchList *
rota_punches_page_get_list (RotaPunchesPage *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCHES_PAGE (self), NULL);

  return self->list;
}

/**
 * rota_punches_page_apply_filter:
 *
 * Filters the rows by the search, department and status shown, at once
 * (the search entry calls it after its short delay).
 */
void
rota_punches_page_apply_filter (RotaPunchesPage *self)
{
  g_autoptr(GPtrArray) selected = NULL;

  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  /* GTK 4.8's multi-selection asks for every added row when a selected
   * row goes: a year is 400,000 of them. The selection is taken off
   * first and put back after, by employee-day. */
  selected = selection_save (self);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  rota_punch_list_set_filter (self->list, current_filter (self), current_department (self),
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  selection_restore (self, selected);
  update_summary (self);
}

/**
 * rota_punches_page_get_view:
 *
 * Returns: (transfer none): the column view
 */
GtkWidget *
rota_punches_page_get_view (RotaPunchesPage *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCHES_PAGE (self), NULL);

  return GTK_WIDGET (self->list_view);
}

/**
 * rota_punches_page_set_has_server:
 *
 * Whether the store shown syncs with a server (an account) or stays on
 * this computer (a workspace): an export then says what is not synced.
 */
void
rota_punches_page_set_has_server (RotaPunchesPage *self,
                                  gboolean         has_server)
{
  g_return_if_fail (ROTA_IS_PUNCHES_PAGE (self));

  self->has_server = has_server;
}
