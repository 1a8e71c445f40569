/* test-planner.c: the Planner driven by keys through the X server
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "gui-testlib.h"
#include "rota-planner-page.h"
#include "rota-planner-row.h"
#include "rota-time.h"
#include "rota-window.h"

#define MONDAY "2026-11-23"

typedef struct
{
  char            *dir;
  RotaStore       *store;
  RotaWindow      *window;
  RotaPlannerPage *page;
  RotaPlan        *plan;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("rota-gui-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = gui_test_demo_store (f->dir, 24, MONDAY);
  path = g_strdup (rota_store_get_path (f->store));

  f->window = rota_window_new (NULL);
  rota_window_set_first_day (f->window, "2026-11-25");
  rota_window_open_workspace (f->window, path);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 860);
  gtk_window_present (GTK_WINDOW (f->window));
  gui_test_iterate (300);
  gui_test_focus (GTK_WINDOW (f->window));
  gui_test_screenshot ("planner-start");

  f->page = ROTA_PLANNER_PAGE (rota_window_get_planner_page (f->window));
  f->plan = rota_window_get_plan (f->window);
  g_assert_nonnull (f->plan);
  g_assert_cmpstr (rota_plan_get_first_date (f->plan), ==, MONDAY);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gui_test_close (GTK_WINDOW (f->window));
  gui_test_iterate (50);
  g_clear_object (&f->store);
  /* The files stay for a look after a failure; the folder is temporary. */
  g_free (f->dir);
}

/* An employee's row whose @day is free, and the day after it too. */
static guint
free_row (Fixture *f,
          int      day)
{
  GListModel *rows = rota_plan_get_rows (f->plan);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);
      GPtrArray *shifts = rota_plan_row_get_shifts (row);
      gboolean busy = FALSE;

      if (rota_plan_row_get_kind (row) != ROTA_PLAN_ROW_EMPLOYEE)
        continue;
      for (guint j = 0; j < shifts->len; j++)
        {
          int d = rota_plan_day_of (f->plan, row, rota_shift_get_start (g_ptr_array_index (shifts, j)));

          busy |= d >= day - 1 && d <= day + 2;
        }
      if (!busy)
        return i;
    }

  g_assert_not_reached ();
  return 0;
}

static gint64
outbox_length (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = rota_store_list_outbox (f->store, &error);

  g_assert_no_error (error);
  return items->len;
}

static RotaOutboxItem *
last_outbox_item (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = rota_store_list_outbox (f->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >, 0);
  return rota_outbox_item_copy (g_ptr_array_index (items, items->len - 1));
}

/* The shifts the store has for an employee from @date on, for a day. */
static GPtrArray *
stored_shifts (Fixture    *f,
               const char *employee_id,
               const char *date)
{
  g_autoptr(GError) error = NULL;
  GTimeZone *zone = rota_time_zone_get ("Europe/Amsterdam");
  gint64 from = rota_time_day_start (zone, date);
  g_autoptr(GPtrArray) all = rota_store_list_shifts (f->store, from, from + 86400, NULL, &error);
  GPtrArray *mine = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (rota_shift_get_employee_id (g_ptr_array_index (all, i)), employee_id) == 0)
      g_ptr_array_add (mine, g_object_ref (g_ptr_array_index (all, i)));

  return mine;
}

static void
assert_shift_at (Fixture    *f,
                 const char *employee_id,
                 const char *date,
                 const char *range)
{
  g_autoptr(GPtrArray) shifts = stored_shifts (f, employee_id, date);
  g_autoptr(RotaPlanRow) row = NULL;
  GTimeZone *zone;
  g_autofree char *text = NULL;
  RotaShift *shift;
  int start;

  g_assert_cmpuint (shifts->len, ==, 1);
  shift = g_ptr_array_index (shifts, 0);
  zone = rota_plan_row_get_zone (rota_plan_find_row (f->plan, employee_id));
  start = rota_time_local_minutes (rota_shift_get_start (shift), zone);
  text = rota_time_range_format (start, start + (int) ((rota_shift_get_end (shift) - rota_shift_get_start (shift)) / 60));
  g_assert_cmpstr (text, ==, range);
}

/* The widget that draws @row now, found depth first through the window. */
static RotaPlannerRow *
find_row_widget (Fixture     *f,
                 RotaPlanRow *row)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->window));

  while (child != NULL)
    {
      GtkWidget *next;

      if (ROTA_IS_PLANNER_ROW (child) && rota_planner_row_get_row (ROTA_PLANNER_ROW (child)) == row &&
          gtk_widget_get_mapped (child))
        return ROTA_PLANNER_ROW (child);

      next = gtk_widget_get_first_child (child);
      while (next == NULL && child != NULL)
        {
          next = gtk_widget_get_next_sibling (child);
          if (next == NULL)
            child = gtk_widget_get_parent (child);
          if (child == GTK_WIDGET (f->window))
            return NULL;
        }
      child = next;
    }

  return NULL;
}

static void
test_type_move_undo (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RotaOutboxItem) created = NULL;
  g_autoptr(RotaOutboxItem) moved = NULL;
  g_autoptr(RotaOutboxItem) undone = NULL;
  g_autoptr(RotaOutboxItem) redone = NULL;
  g_autoptr(RotaPlanRow) row = NULL;
  guint position = free_row (f, 2);
  const char *employee_id;
  const char *shift_id;
  gint64 before = outbox_length (f);
  guint cursor_position;
  int cursor_day;

  row = g_list_model_get_item (rota_plan_get_rows (f->plan), position);
  employee_id = rota_entity_get_id (ROTA_ENTITY (rota_plan_row_get_employee (row)));
  g_test_message ("row %u: %s", position, rota_plan_row_get_title (row));

  /* The cursor moves with the arrows. */
  rota_planner_page_set_cursor (f->page, position, 1);
  gui_test_keys ("Right");
  g_assert_true (rota_planner_page_get_cursor (f->page, &cursor_position, &cursor_day, NULL));
  g_assert_cmpuint (cursor_position, ==, position);
  g_assert_cmpint (cursor_day, ==, 2);

  /* Typing a range into the cell makes a shift, through the outbox. */
  gui_test_type ("8-16:30");
  g_assert_true (gtk_widget_get_visible (rota_planner_page_get_editor (f->page)));
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

    g_test_message ("focus %s text %s", focus ? G_OBJECT_TYPE_NAME (focus) : "none",
                    GTK_IS_EDITABLE (focus) ? gtk_editable_get_text (GTK_EDITABLE (focus)) : "");
  }
  gui_test_keys ("Return");
  g_assert_false (gtk_widget_get_visible (rota_planner_page_get_editor (f->page)));
  assert_shift_at (f, employee_id, "2026-11-25", "08:00\xe2\x80\x93" "16:30");
  {
    /* Eight and a half hours get the legal half hour's break. */
    g_autoptr(GPtrArray) shifts = stored_shifts (f, employee_id, "2026-11-25");

    g_assert_cmpint (rota_shift_get_break_minutes (g_ptr_array_index (shifts, 0)), ==, 30);
  }
  g_assert_cmpint (outbox_length (f), ==, before + 1);
  created = last_outbox_item (f);
  g_assert_cmpint (created->op, ==, ROTA_OUTBOX_OP_PUT);
  g_assert_cmpint (created->base_version, ==, 0);
  g_assert_nonnull (strstr (created->payload, employee_id));
  rota_planner_page_get_cursor (f->page, NULL, NULL, &shift_id);
  g_assert_cmpstr (shift_id, ==, created->entity_id);

  /* Ctrl+Right moves it a day on. */
  gui_test_keys ("ctrl+Right");
  assert_shift_at (f, employee_id, "2026-11-26", "08:00\xe2\x80\x93" "16:30");
  g_assert_cmpuint (stored_shifts (f, employee_id, "2026-11-25")->len, ==, 0);
  g_assert_cmpint (outbox_length (f), ==, before + 2);
  moved = last_outbox_item (f);
  g_assert_cmpstr (moved->entity_id, ==, created->entity_id);
  g_assert_cmpint (moved->op, ==, ROTA_OUTBOX_OP_PUT);
  gui_test_screenshot ("planner-week-moved");

  /* Undo takes it back, as one more edit in the outbox. */
  gui_test_keys ("ctrl+z");
  assert_shift_at (f, employee_id, "2026-11-25", "08:00\xe2\x80\x93" "16:30");
  g_assert_cmpuint (stored_shifts (f, employee_id, "2026-11-26")->len, ==, 0);
  g_assert_cmpint (outbox_length (f), ==, before + 3);
  undone = last_outbox_item (f);
  g_assert_cmpstr (undone->entity_id, ==, created->entity_id);

  /* Redo moves it again. */
  gui_test_keys ("ctrl+shift+z");
  assert_shift_at (f, employee_id, "2026-11-26", "08:00\xe2\x80\x93" "16:30");
  g_assert_cmpint (outbox_length (f), ==, before + 4);
  redone = last_outbox_item (f);
  g_assert_cmpstr (redone->entity_id, ==, created->entity_id);

  /* Undo twice: the move, then the shift itself (a delete). */
  gui_test_keys ("ctrl+z ctrl+z");
  g_assert_cmpuint (stored_shifts (f, employee_id, "2026-11-25")->len, ==, 0);
  g_assert_cmpuint (stored_shifts (f, employee_id, "2026-11-26")->len, ==, 0);
  {
    g_autoptr(RotaOutboxItem) deleted = last_outbox_item (f);

    g_assert_cmpint (deleted->op, ==, ROTA_OUTBOX_OP_DELETE);
  }

  /* A typo gets a message in the editor and changes nothing. */
  before = outbox_length (f);
  rota_planner_page_set_cursor (f->page, position, 2);
  gui_test_type ("8-16x");
  gui_test_keys ("Return");
  g_assert_true (gtk_widget_get_visible (rota_planner_page_get_editor (f->page)));
  gui_test_screenshot ("planner-editor-error");
  gui_test_keys ("Escape");
  g_assert_cmpint (outbox_length (f), ==, before);
}

static void
test_rest_finding (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RotaPlanRow) row = NULL;
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(GPtrArray) early = NULL;
  guint position = free_row (f, 3);
  RotaPlannerRow *widget = NULL;
  const char *employee_id;
  RotaPlanShiftFlags flags;
  g_autofree char *description = NULL;

  row = g_list_model_get_item (rota_plan_get_rows (f->plan), position);
  employee_id = rota_entity_get_id (ROTA_ENTITY (rota_plan_row_get_employee (row)));

  /* 14:00–23:00, then 06:00 the next morning: 7 hours of rest. */
  rota_planner_page_set_cursor (f->page, position, 3);
  gui_test_type ("14-23");
  gui_test_keys ("Return Right");
  gui_test_type ("6-14");
  gui_test_keys ("Return");

  late = stored_shifts (f, employee_id, "2026-11-26");
  early = stored_shifts (f, employee_id, "2026-11-27");
  g_assert_cmpuint (late->len, ==, 1);
  g_assert_cmpuint (early->len, ==, 1);

  flags = rota_plan_get_shift_flags (f->plan, g_ptr_array_index (early, 0));
  g_assert_true (flags & (ROTA_PLAN_SHIFT_VIOLATION | ROTA_PLAN_SHIFT_WARNING));

  /* The row says so in words, for screen readers and tooltips. */
  widget = find_row_widget (f, row);
  g_assert_nonnull (widget);
  description = rota_planner_row_describe (widget);
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "rest"));
  g_assert_nonnull (strstr (description, "Violation:"));

  gui_test_screenshot ("planner-week-rest-finding");

  /* The problems panel lists it; F9 opens it. */
  gui_test_keys ("F9");
  gui_test_screenshot ("planner-issues-panel");

  /* The day view. */
  gui_test_keys ("ctrl+1");
  g_assert_cmpuint (rota_plan_get_n_days (f->plan), ==, 1);
  gui_test_screenshot ("planner-day");
  gui_test_keys ("ctrl+3");
  g_assert_cmpuint (rota_plan_get_n_days (f->plan), ==, 30);
  gui_test_screenshot ("planner-month");
  gui_test_keys ("ctrl+2");
  g_assert_cmpuint (rota_plan_get_n_days (f->plan), ==, 7);
}

/* A token that may only read the plan: every way to edit says so and
 * changes nothing. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  gint64 before = outbox_length (f);
  guint position = free_row (f, 2);

  rota_planner_page_set_read_only (f->page, TRUE);
  rota_planner_page_set_cursor (f->page, position, 2);
  gui_test_type ("8-16");
  g_assert_false (gtk_widget_get_visible (rota_planner_page_get_editor (f->page)));
  gui_test_keys ("Return");
  g_assert_false (gtk_widget_get_visible (rota_planner_page_get_editor (f->page)));

  /* A shift of someone else's, moved and deleted: refused too. */
  for (guint i = 0; i < g_list_model_get_n_items (rota_plan_get_rows (f->plan)); i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rota_plan_get_rows (f->plan), i);
      GPtrArray *shifts = rota_plan_row_get_shifts (row);

      if (rota_plan_row_get_kind (row) == ROTA_PLAN_ROW_EMPLOYEE && shifts->len > 0)
        {
          rota_planner_page_select_shift (f->page, rota_entity_get_id (g_ptr_array_index (shifts, 0)));
          break;
        }
    }
  gui_test_keys ("ctrl+Right Delete ctrl+z");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "planner.copy-week", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "planner.publish", NULL);
  gui_test_iterate (100);
  g_assert_cmpint (outbox_length (f), ==, before);
  gui_test_screenshot ("planner-read-only");
}

/* Dragging a shift's chip two days on, with the mouse through the X
 * server, moves it there through the outbox; with Ctrl held it copies. */
static void
test_drag (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaPlanRow) row = NULL;
  g_autoptr(RotaShift) shift = NULL;
  g_autoptr(RotaOutboxItem) moved = NULL;
  RotaPlannerRow *widget;
  graphene_rect_t from, to;
  guint position = free_row (f, 2);
  const char *employee_id;
  gint64 before;

  row = g_list_model_get_item (rota_plan_get_rows (f->plan), position);
  employee_id = rota_entity_get_id (ROTA_ENTITY (rota_plan_row_get_employee (row)));
  rota_planner_page_select_shift (f->page, NULL);
  rota_planner_page_set_cursor (f->page, position, 0);
  shift = rota_plan_create_shift (f->plan, row, 1, 9 * 60, 17 * 60, &error);
  g_assert_no_error (error);
  gui_test_iterate (200);
  before = outbox_length (f);

  widget = find_row_widget (f, row);
  g_assert_nonnull (widget);
  rota_planner_row_get_cell (widget, 1, &from);
  rota_planner_row_get_cell (widget, 3, &to);
  gui_test_drag (GTK_WIDGET (widget), from.origin.x + from.size.width / 2, 10,
                 GTK_WIDGET (widget), to.origin.x + to.size.width / 2, 10);

  assert_shift_at (f, employee_id, "2026-11-26", "09:00\xe2\x80\x93" "17:00");
  g_assert_cmpuint (stored_shifts (f, employee_id, "2026-11-24")->len, ==, 0);
  g_assert_cmpint (outbox_length (f), ==, before + 1);
  moved = last_outbox_item (f);
  g_assert_cmpstr (moved->entity_id, ==, rota_entity_get_id (ROTA_ENTITY (shift)));
  gui_test_screenshot ("planner-dragged");
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add ("/gui/planner/type-move-undo", Fixture, NULL, fixture_set_up, test_type_move_undo, fixture_tear_down);
  g_test_add ("/gui/planner/rest-finding", Fixture, NULL, fixture_set_up, test_rest_finding, fixture_tear_down);
  g_test_add ("/gui/planner/drag", Fixture, NULL, fixture_set_up, test_drag, fixture_tear_down);
  g_test_add ("/gui/planner/read-only", Fixture, NULL, fixture_set_up, test_read_only, fixture_tear_down);

  return g_test_run ();
}
