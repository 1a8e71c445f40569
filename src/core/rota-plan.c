/* rota-plan.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rota-plan.h"
#include "rota-time.h"

/**
 * RotaPlan:
 *
 * What the planner shows: the rows of a range of days (an open-shifts row,
 * then each department's header and people), each person's shifts, the
 * labour-law findings and the totals; and the edits, each recorded in the
 * store's outbox and kept on an undo stack.
 *
 * Rules are checked again only for the people an edit touched.
 */

/* The rest and the weekly rules look back this far before the first day. */
#define CONTEXT_DAYS 7

/* The Dutch averages look back 16 weeks. The shifts before the 7 days
 * are read for the people of Dutch offices only, on a thread: a range read
 * ahead has them at once, a range read while one waits gets them a moment
 * after it shows. */
#define DEEP_DAYS (16 * 7)
#define DEEPEN_DELAY_MS 150

struct _RotaPlanRow
{
  GObject          parent_instance;

  RotaPlanRowKind  kind;
  RotaEmployee    *employee;
  RotaDepartment  *department;
  char            *title;
  char            *search_key;
  GPtrArray       *shifts;   /* in the range, sorted by start */
  GPtrArray       *context;  /* with the days before, for the rules */
  GPtrArray       *findings;
  GTimeZone       *zone;
  const gint64    *day_starts;
  RotaRulesProfile profile;
  gint64           minutes;
  struct _DaySum  *sums;     /* per day shown: for the totals */
  guint            position;
  guint            index;    /* in the plan's all_rows */
};

typedef struct _DaySum
{
  gint64 minutes;
  gint64 cost_cents;
  guint  shifts;
} DaySum;

G_DEFINE_FINAL_TYPE (RotaPlanRow, rota_plan_row, G_TYPE_OBJECT)

typedef struct
{
  GTimeZone *zone;
  gint64    *starts; /* n_days + 1 */
} ZoneDays;

typedef struct
{
  RotaShift *before; /* NULL: the step made the shift */
  RotaShift *after;  /* NULL: the step deleted it */
} Step;

typedef struct
{
  char      *label;
  GPtrArray *steps;
} Group;

struct _RotaPlan
{
  GObject      parent_instance;

  RotaStore   *store;
  char        *actor;
  char        *first_date;
  guint        n_days;

  GHashTable  *offices;       /* id → RotaOffice */
  GHashTable  *departments;   /* id → RotaDepartment */
  GListStore  *department_list;
  GPtrArray   *employees;
  GHashTable  *absences;      /* employee id → GPtrArray */
  GHashTable  *availability;  /* employee id → GPtrArray */
  GHashTable  *zones;         /* identifier → ZoneDays */

  RotaPlanRow *open_row;
  GPtrArray   *all_rows;
  GHashTable  *rows_by_employee;
  GHashTable  *row_of_shift;  /* shift id → RotaPlanRow (borrowed) */
  GHashTable  *pending;       /* shift id → RotaOutboxState */
  GListStore  *visible;
  GPtrArray   *findings;      /* all rows' findings, borrowed */
  gboolean     findings_dirty;

  char        *search;
  char        *department_id;

  GPtrArray   *undo;
  GPtrArray   *redo;

  /* The day totals of the visible rows, made when asked for. */
  gboolean     totals_dirty;
  gint64       total_minutes[42];
  guint        total_people[42];
  gint64       total_cost[42];

  /* Ranges read ahead on a thread, for the next switch; and those dropped
   * by an edit but perhaps still being read, waited for at the end. */
  guint        generation;
  GPtrArray   *prefetched;
  GPtrArray   *draining;
  gboolean     loaded;
  guint        deepen_serial;
  guint        deepen_source;
  gboolean     deep;          /* the rows have the weeks before too */
};

G_DEFINE_FINAL_TYPE (RotaPlan, rota_plan, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

enum {
  LOADED,
  ROW_CHANGED,
  FINDINGS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Rows */

static void
rota_plan_row_finalize (GObject *object)
{
  RotaPlanRow *self = ROTA_PLAN_ROW (object);

  g_clear_object (&self->employee);
  g_clear_object (&self->department);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->shifts, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->sums, g_free);

  G_OBJECT_CLASS (rota_plan_row_parent_class)->finalize (object);
}

static void
rota_plan_row_class_init (RotaPlanRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rota_plan_row_finalize;
}

static void
rota_plan_row_init (RotaPlanRow *self)
{
  self->shifts = g_ptr_array_new_with_free_func (g_object_unref);
  self->context = g_ptr_array_new_with_free_func (g_object_unref);
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_finding_free);
}

RotaPlanRowKind
rota_plan_row_get_kind (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), 0);

  return self->kind;
}

/**
 * rota_plan_row_get_employee:
 *
 * Returns: (transfer none) (nullable): the row's employee
 */
RotaEmployee *
rota_plan_row_get_employee (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), NULL);

  return self->employee;
}

/**
 * rota_plan_row_get_department:
 *
 * Returns: (transfer none) (nullable): the department of a header row, or
 *   the department an employee is listed under
 */
RotaDepartment *
rota_plan_row_get_department (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), NULL);

  return self->department;
}

const char *
rota_plan_row_get_title (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), NULL);

  return self->title;
}

/**
 * rota_plan_row_get_shifts:
 *
 * Returns: (transfer none) (element-type RotaShift): the row's shifts in the
 *   plan's days, sorted by start
 */
GPtrArray *
rota_plan_row_get_shifts (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), NULL);

  return self->shifts;
}

gint64
rota_plan_row_get_minutes (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), 0);

  return self->minutes;
}

/**
 * rota_plan_row_get_zone:
 *
 * Returns: (transfer none): the time zone of the row's office
 */
GTimeZone *
rota_plan_row_get_zone (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), NULL);

  return self->zone;
}

guint
rota_plan_row_get_position (RotaPlanRow *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (self), 0);

  return self->position;
}

/* Helpers */

/* A shift's length by the clock on the wall: 22:00 to 06:00 is 480 minutes
 * even in the nights the clocks change (when it lasts 7 or 9 hours), so
 * that moving or copying it keeps both its start and its end. */
static int
wall_minutes (RotaShift *shift,
              GTimeZone *zone)
{
  gint64 start = rota_shift_get_start (shift);
  gint64 end = rota_shift_get_end (shift);
  g_autofree char *start_date = rota_time_work_date (start, zone);
  g_autofree char *end_date = rota_time_work_date (end, zone);
  int minutes = rota_date_diff_days (start_date, end_date) * 24 * 60
                + rota_time_local_minutes (end, zone) - rota_time_local_minutes (start, zone);

  /* Within the hour that repeats in autumn the clock can run backwards. */
  if (minutes <= 0)
    minutes = (int) ((end - start) / 60);

  return minutes;
}

static gint64
net_minutes (RotaShift *shift)
{
  gint64 minutes = (rota_shift_get_end (shift) - rota_shift_get_start (shift)) / 60
                   - rota_shift_get_break_minutes (shift);

  return MAX (minutes, 0);
}

static int
compare_shifts (gconstpointer a,
                gconstpointer b)
{
  RotaShift *x = *(RotaShift * const *) a;
  RotaShift *y = *(RotaShift * const *) b;
  gint64 xs = rota_shift_get_start (x), ys = rota_shift_get_start (y);

  if (xs != ys)
    return xs < ys ? -1 : 1;

  return g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (x)), rota_entity_get_id (ROTA_ENTITY (y)));
}

static void
zone_days_free (gpointer data)
{
  ZoneDays *days = data;

  g_free (days->starts);
  g_free (days);
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_object (&step->before);
  g_clear_object (&step->after);
  g_free (step);
}

static void
group_free (gpointer data)
{
  Group *group = data;

  g_free (group->label);
  g_ptr_array_unref (group->steps);
  g_free (group);
}

static const gint64 *
zone_days (GHashTable *zones,
           const char *first_date,
           guint       n_days,
           GTimeZone  *zone)
{
  const char *identifier = g_time_zone_get_identifier (zone);
  ZoneDays *days = g_hash_table_lookup (zones, identifier);

  if (days == NULL)
    {
      days = g_new0 (ZoneDays, 1);
      days->zone = zone;
      days->starts = g_new (gint64, n_days + 1);
      for (guint i = 0; i <= n_days; i++)
        {
          g_autofree char *date = rota_date_add_days (first_date, i);

          days->starts[i] = rota_time_day_start (zone, date);
        }
      g_hash_table_insert (zones, g_strdup (identifier), days);
    }

  return days->starts;
}

static RotaOffice *
office_of_department (RotaPlan       *self,
                      RotaDepartment *department)
{
  if (department == NULL)
    return NULL;

  return g_hash_table_lookup (self->offices, rota_department_get_office_id (department));
}

static void
row_set_office (RotaPlan    *self,
                RotaPlanRow *row)
{
  RotaOffice *office = office_of_department (self, row->department);
  GTimeZone *zone = NULL;

  if (office != NULL)
    {
      zone = rota_time_zone_get (rota_office_get_time_zone (office));
      row->profile = rota_office_get_rules_profile (office);
    }
  if (zone == NULL)
    zone = rota_time_zone_get (NULL);

  row->zone = zone;
}

/* Each day's minutes, cost and shifts of @shifts (sorted, in the days
 * shown), for the totals: summed once per row, not at every frame. */
static DaySum *
day_sums (RotaPlanRow  *row,
          GPtrArray    *shifts,
          const gint64 *starts,
          guint         n_days)
{
  DaySum *sums = g_new0 (DaySum, n_days);
  gint64 wage = row->employee ? rota_employee_get_hourly_wage_cents (row->employee) : 0;
  guint day = 0;

  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);
      gint64 start = rota_shift_get_start (shift);
      gint64 m;

      while (day + 1 < n_days && start >= starts[day + 1])
        day++;
      if (start < starts[day] || start >= starts[n_days])
        continue;

      m = net_minutes (shift);
      sums[day].minutes += m;
      sums[day].cost_cents += m * wage / 60;
      sums[day].shifts++;
    }

  return sums;
}

/* Rules */

static void
row_check (RotaPlan    *self,
           RotaPlanRow *row)
{
  g_autoptr(GPtrArray) findings = NULL;

  row->minutes = 0;
  for (guint i = 0; i < row->shifts->len; i++)
    row->minutes += net_minutes (g_ptr_array_index (row->shifts, i));
  g_free (row->sums);
  row->sums = day_sums (row, row->shifts, row->day_starts, self->n_days);

  if (row->kind != ROTA_PLAN_ROW_EMPLOYEE)
    return;

  findings = rota_rules_check_employee (row->profile, row->zone, row->employee, row->context,
                                        g_hash_table_lookup (self->absences, rota_entity_get_id (ROTA_ENTITY (row->employee))),
                                        g_hash_table_lookup (self->availability, rota_entity_get_id (ROTA_ENTITY (row->employee))),
                                        row->day_starts[0], row->day_starts[self->n_days]);
  g_ptr_array_unref (row->findings);
  row->findings = g_steal_pointer (&findings);
  self->findings_dirty = TRUE;
}

/* Placing shifts */

static RotaPlanRow *
row_for_shift (RotaPlan  *self,
               RotaShift *shift)
{
  const char *employee_id = rota_shift_get_employee_id (shift);

  if (employee_id == NULL)
    return self->open_row;

  return g_hash_table_lookup (self->rows_by_employee, employee_id);
}

static gboolean
in_range (RotaPlanRow *row,
          guint        n_days,
          RotaShift   *shift)
{
  gint64 start = rota_shift_get_start (shift);

  return start >= row->day_starts[0] && start < row->day_starts[n_days];
}

static void
place_shift (RotaPlan  *self,
             RotaShift *shift)
{
  RotaPlanRow *row = row_for_shift (self, shift);

  if (row == NULL || rota_shift_get_deleted (shift))
    return;

  g_ptr_array_add (row->context, g_object_ref (shift));
  if (in_range (row, self->n_days, shift))
    g_ptr_array_add (row->shifts, g_object_ref (shift));
  g_hash_table_replace (self->row_of_shift, g_strdup (rota_entity_get_id (ROTA_ENTITY (shift))), row);
}

static gboolean
remove_from (GPtrArray  *array,
             const char *id)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (g_strcmp0 (rota_entity_get_id (g_ptr_array_index (array, i)), id) == 0)
        {
          g_ptr_array_remove_index (array, i);
          return TRUE;
        }
    }

  return FALSE;
}

static RotaPlanRow *
unplace_shift (RotaPlan   *self,
               const char *shift_id)
{
  RotaPlanRow *row = g_hash_table_lookup (self->row_of_shift, shift_id);

  if (row == NULL)
    return NULL;

  remove_from (row->context, shift_id);
  remove_from (row->shifts, shift_id);
  g_hash_table_remove (self->row_of_shift, shift_id);

  return row;
}

/* Visible rows */

static gboolean
row_matches (RotaPlan    *self,
             RotaPlanRow *row)
{
  if (self->department_id != NULL &&
      (row->department == NULL ||
       g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (row->department)), self->department_id) != 0))
    return FALSE;

  if (self->search != NULL && row->kind == ROTA_PLAN_ROW_EMPLOYEE)
    return strstr (row->search_key, self->search) != NULL;

  return TRUE;
}

static void
rebuild_visible (RotaPlan *self)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  RotaPlanRow *header = NULL;
  guint header_index = 0;
  guint n_in_department = 0;

  g_ptr_array_add (rows, self->open_row);
  self->open_row->position = 0;

  for (guint i = 0; i < self->all_rows->len; i++)
    {
      RotaPlanRow *row = g_ptr_array_index (self->all_rows, i);

      if (row->kind == ROTA_PLAN_ROW_OPEN)
        continue;

      if (row->kind == ROTA_PLAN_ROW_DEPARTMENT)
        {
          /* A department with nobody matching the search is left out. */
          if (header != NULL && n_in_department == 0 && self->search != NULL)
            g_ptr_array_set_size (rows, header_index);
          header = row;
          n_in_department = 0;
          if (!row_matches (self, row))
            {
              header = NULL;
              continue;
            }
          header_index = rows->len;
          row->position = rows->len;
          g_ptr_array_add (rows, row);
          continue;
        }

      if (header == NULL || !row_matches (self, row))
        continue;

      row->position = rows->len;
      g_ptr_array_add (rows, row);
      n_in_department++;
    }
  if (header != NULL && n_in_department == 0 && self->search != NULL)
    g_ptr_array_set_size (rows, header_index);

  self->totals_dirty = TRUE;
  g_list_store_splice (self->visible, 0, g_list_model_get_n_items (G_LIST_MODEL (self->visible)),
                       rows->pdata, rows->len);
}

static void
notify_row (RotaPlan    *self,
            RotaPlanRow *row)
{
  if (row == NULL)
    return;

  g_signal_emit (self, signals[ROW_CHANGED], 0, row);

  if (row->position < g_list_model_get_n_items (G_LIST_MODEL (self->visible)))
    {
      g_autoptr(RotaPlanRow) shown = g_list_model_get_item (G_LIST_MODEL (self->visible), row->position);

      /* Rebinding the row redraws it. */
      if (shown == row)
        g_list_model_items_changed (G_LIST_MODEL (self->visible), row->position, 1, 1);
    }
}

/* Loading */

static int
compare_departments (gconstpointer a,
                     gconstpointer b)
{
  RotaDepartment *x = *(RotaDepartment * const *) a;
  RotaDepartment *y = *(RotaDepartment * const *) b;

  return g_utf8_collate (rota_department_get_name (x), rota_department_get_name (y));
}

static int
compare_employees (gconstpointer a,
                   gconstpointer b)
{
  RotaEmployee *x = *(RotaEmployee * const *) a;
  RotaEmployee *y = *(RotaEmployee * const *) b;
  int result = g_utf8_collate (rota_employee_get_last_name (x), rota_employee_get_last_name (y));

  if (result == 0)
    result = g_utf8_collate (rota_employee_get_first_name (x), rota_employee_get_first_name (y));
  if (result == 0)
    result = g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (x)), rota_entity_get_id (ROTA_ENTITY (y)));

  return result;
}

static GHashTable *
group_by_employee (GPtrArray   *entities,
                   const char *(*get_employee_id) (gpointer))
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < entities->len; i++)
    {
      gpointer entity = g_ptr_array_index (entities, i);
      const char *id = get_employee_id (entity);
      GPtrArray *list = g_hash_table_lookup (table, id);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (table, g_strdup (id), list);
        }
      g_ptr_array_add (list, g_object_ref (entity));
    }

  return table;
}

static gboolean
load_people (RotaPlan  *self,
             GError   **error)
{
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GPtrArray) absences = NULL;
  g_autoptr(GPtrArray) availability = NULL;

  offices = rota_store_list_entities (self->store, ROTA_TYPE_OFFICE, error);
  if (offices == NULL)
    return FALSE;
  departments = rota_store_list_entities (self->store, ROTA_TYPE_DEPARTMENT, error);
  if (departments == NULL)
    return FALSE;
  employees = rota_store_list_entities (self->store, ROTA_TYPE_EMPLOYEE, error);
  if (employees == NULL)
    return FALSE;
  absences = rota_store_list_entities (self->store, ROTA_TYPE_ABSENCE, error);
  if (absences == NULL)
    return FALSE;
  availability = rota_store_list_entities (self->store, ROTA_TYPE_AVAILABILITY, error);
  if (availability == NULL)
    return FALSE;

  g_hash_table_remove_all (self->offices);
  for (guint i = 0; i < offices->len; i++)
    g_hash_table_insert (self->offices, g_strdup (rota_entity_get_id (g_ptr_array_index (offices, i))),
                         g_object_ref (g_ptr_array_index (offices, i)));

  g_ptr_array_sort (departments, compare_departments);
  g_hash_table_remove_all (self->departments);
  for (guint i = 0; i < departments->len; i++)
    g_hash_table_insert (self->departments, g_strdup (rota_entity_get_id (g_ptr_array_index (departments, i))),
                         g_object_ref (g_ptr_array_index (departments, i)));
  g_list_store_splice (self->department_list, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->department_list)),
                       departments->pdata, departments->len);

  g_ptr_array_sort (employees, compare_employees);
  g_clear_pointer (&self->employees, g_ptr_array_unref);
  self->employees = g_steal_pointer (&employees);

  g_clear_pointer (&self->absences, g_hash_table_unref);
  self->absences = group_by_employee (absences, (const char *(*) (gpointer)) rota_absence_get_employee_id);
  g_clear_pointer (&self->availability, g_hash_table_unref);
  self->availability = group_by_employee (availability, (const char *(*) (gpointer)) rota_availability_get_employee_id);

  return TRUE;
}

static void
build_rows (RotaPlan *self)
{
  g_autoptr(GHashTable) by_department = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                                (GDestroyNotify) g_ptr_array_unref);
  guint n_departments = g_list_model_get_n_items (G_LIST_MODEL (self->department_list));

  /* New containers, not emptied ones: a read-ahead thread may hold the
   * old ones. */
  g_ptr_array_unref (self->all_rows);
  self->all_rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_unref (self->rows_by_employee);
  self->rows_by_employee = g_hash_table_new (g_str_hash, g_str_equal);

  g_clear_object (&self->open_row);
  self->open_row = g_object_new (ROTA_TYPE_PLAN_ROW, NULL);
  self->open_row->kind = ROTA_PLAN_ROW_OPEN;
  self->open_row->title = g_strdup (_("Open shifts"));
  self->open_row->search_key = g_strdup ("");
  row_set_office (self, self->open_row);
  if (n_departments > 0)
    {
      /* Open shifts are shown in the zone of the first office. */
      g_autoptr(RotaDepartment) first = g_list_model_get_item (G_LIST_MODEL (self->department_list), 0);

      self->open_row->department = g_object_ref (first);
      row_set_office (self, self->open_row);
      g_clear_object (&self->open_row->department);
    }
  g_ptr_array_add (self->all_rows, g_object_ref (self->open_row));

  for (guint i = 0; i < self->employees->len; i++)
    {
      RotaEmployee *employee = g_ptr_array_index (self->employees, i);
      const char * const *ids = rota_employee_get_department_ids (employee);
      const char *department_id = NULL;
      GPtrArray *list;

      for (guint j = 0; ids != NULL && ids[j] != NULL; j++)
        {
          if (g_hash_table_contains (self->departments, ids[j]))
            {
              department_id = ids[j];
              break;
            }
        }
      if (department_id == NULL)
        continue;

      list = g_hash_table_lookup (by_department, department_id);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (by_department, (gpointer) department_id, list);
        }
      g_ptr_array_add (list, employee);
    }

  for (guint i = 0; i < n_departments; i++)
    {
      g_autoptr(RotaDepartment) department = g_list_model_get_item (G_LIST_MODEL (self->department_list), i);
      GPtrArray *list = g_hash_table_lookup (by_department, rota_entity_get_id (ROTA_ENTITY (department)));
      RotaPlanRow *header;

      if (list == NULL)
        continue;

      header = g_object_new (ROTA_TYPE_PLAN_ROW, NULL);
      header->kind = ROTA_PLAN_ROW_DEPARTMENT;
      header->department = g_object_ref (department);
      header->title = g_strdup (rota_department_get_name (department));
      header->search_key = rota_text_fold (header->title);
      row_set_office (self, header);
      g_ptr_array_add (self->all_rows, header);

      for (guint j = 0; j < list->len; j++)
        {
          RotaPlanRow *row = g_object_new (ROTA_TYPE_PLAN_ROW, NULL);

          row->kind = ROTA_PLAN_ROW_EMPLOYEE;
          row->employee = g_object_ref (g_ptr_array_index (list, j));
          row->department = g_object_ref (department);
          row->title = rota_employee_dup_name (row->employee);
          row->search_key = rota_text_fold (row->title);
          row_set_office (self, row);
          g_ptr_array_add (self->all_rows, row);
          g_hash_table_insert (self->rows_by_employee,
                               (gpointer) rota_entity_get_id (ROTA_ENTITY (row->employee)), row);
        }
    }

  for (guint i = 0; i < self->all_rows->len; i++)
    ((RotaPlanRow *) g_ptr_array_index (self->all_rows, i))->index = i;
}

/* Ranges
 *
 * Everything that depends on the days shown is read into a Range: the
 * shifts (with the days before, for the rules), each row's findings and
 * hours, the outbox's state of each shift. A Range is made on a thread
 * for the weeks next to the one shown, so that switching to them only
 * swaps pointers; or at once when nothing was read ahead.
 */

typedef struct
{
  GPtrArray *shifts;
  GPtrArray *context;
  GPtrArray *findings;
  gint64     minutes;
  DaySum    *sums;
} RowDays;

typedef struct
{
  gatomicrefcount  ref_count;
  guint            generation;
  char            *first_date;
  guint            n_days;

  /* What the thread reads; owned references. */
  RotaStore       *store;
  GPtrArray       *rows;
  GHashTable      *rows_by_employee;
  RotaPlanRow     *open_row;
  GHashTable      *absences;
  GHashTable      *availability;
  gboolean         deep;
  char           **deep_departments; /* of offices with the nl profile */

  /* What it makes. */
  GMutex           mutex;
  GCond            cond;
  gboolean         done;
  GError          *error;
  GHashTable      *zones;
  GHashTable      *row_of_shift;
  GHashTable      *pending;
  RowDays         *days;         /* one per row */
  guint            n_shifts;
} Range;

static void
range_unref (Range *range)
{
  if (!g_atomic_ref_count_dec (&range->ref_count))
    return;

  if (range->days != NULL)
    for (guint i = 0; i < range->rows->len; i++)
      {
        g_clear_pointer (&range->days[i].shifts, g_ptr_array_unref);
        g_clear_pointer (&range->days[i].context, g_ptr_array_unref);
        g_clear_pointer (&range->days[i].findings, g_ptr_array_unref);
        g_clear_pointer (&range->days[i].sums, g_free);
      }
  g_free (range->days);
  g_free (range->first_date);
  g_clear_object (&range->store);
  g_clear_pointer (&range->rows, g_ptr_array_unref);
  g_clear_pointer (&range->rows_by_employee, g_hash_table_unref);
  g_clear_object (&range->open_row);
  g_clear_pointer (&range->absences, g_hash_table_unref);
  g_clear_pointer (&range->availability, g_hash_table_unref);
  g_clear_pointer (&range->deep_departments, g_strfreev);
  g_clear_error (&range->error);
  g_clear_pointer (&range->zones, g_hash_table_unref);
  g_clear_pointer (&range->row_of_shift, g_hash_table_unref);
  g_clear_pointer (&range->pending, g_hash_table_unref);
  g_mutex_clear (&range->mutex);
  g_cond_clear (&range->cond);
  g_free (range);
}

static Range *
range_new (RotaPlan   *self,
           const char *first_date,
           guint       n_days)
{
  Range *range = g_new0 (Range, 1);

  g_atomic_ref_count_init (&range->ref_count);
  g_mutex_init (&range->mutex);
  g_cond_init (&range->cond);
  range->generation = self->generation;
  range->first_date = g_strdup (first_date);
  range->n_days = n_days;
  range->store = g_object_ref (self->store);
  range->rows = g_ptr_array_ref (self->all_rows);
  range->rows_by_employee = g_hash_table_ref (self->rows_by_employee);
  range->open_row = g_object_ref (self->open_row);
  range->absences = g_hash_table_ref (self->absences);
  range->availability = g_hash_table_ref (self->availability);

  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    GHashTableIter iter;
    RotaDepartment *department;

    g_hash_table_iter_init (&iter, self->departments);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &department))
      {
        RotaOffice *office = office_of_department (self, department);

        if (office != NULL && rota_office_get_rules_profile (office) == ROTA_RULES_PROFILE_NL)
          g_strv_builder_add (builder, rota_entity_get_id (ROTA_ENTITY (department)));
      }
    range->deep_departments = g_strv_builder_end (builder);
  }

  return range;
}

static RotaPlanRow *
range_row_for_shift (Range     *range,
                     RotaShift *shift)
{
  const char *employee_id = rota_shift_get_employee_id (shift);

  if (employee_id == NULL)
    return range->open_row;

  return g_hash_table_lookup (range->rows_by_employee, employee_id);
}

/* Reads and checks a range; runs on any thread. */
static void
range_compute (Range *range)
{
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  GError *error = NULL;
  gint64 from = G_MAXINT64, to = G_MININT64;
  gint64 t0 = g_get_monotonic_time (), t1, t2;

  range->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, zone_days_free);
  range->row_of_shift = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  range->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  range->days = g_new0 (RowDays, range->rows->len);

  for (guint i = 0; i < range->rows->len; i++)
    {
      RotaPlanRow *row = g_ptr_array_index (range->rows, i);
      const gint64 *starts = zone_days (range->zones, range->first_date, range->n_days, row->zone);

      from = MIN (from, starts[0]);
      to = MAX (to, starts[range->n_days]);
      range->days[i].shifts = g_ptr_array_new_with_free_func (g_object_unref);
      range->days[i].context = g_ptr_array_new_with_free_func (g_object_unref);
      range->days[i].findings = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_finding_free);
    }

  outbox = rota_store_list_outbox (range->store, &error);
  if (outbox != NULL && from != G_MAXINT64)
    shifts = rota_store_list_shifts (range->store, from - CONTEXT_DAYS * 86400, to, NULL, &error);
  if (shifts == NULL)
    {
      if (error == NULL && from == G_MAXINT64)
        shifts = g_ptr_array_new ();
      else
        {
          range->error = error;
          return;
        }
    }
  t1 = g_get_monotonic_time ();

  for (guint i = 0; i < outbox->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (outbox, i);
      gpointer state = g_hash_table_lookup (range->pending, item->entity_id);

      if (g_strcmp0 (item->kind, "shift") != 0)
        continue;
      if (state == NULL || GPOINTER_TO_INT (state) == ROTA_OUTBOX_STATE_PENDING)
        g_hash_table_replace (range->pending, g_strdup (item->entity_id), GINT_TO_POINTER (item->state));
    }

  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);
      RotaPlanRow *row = range_row_for_shift (range, shift);
      const gint64 *starts;
      RowDays *days;
      gint64 start;

      if (row == NULL || rota_shift_get_deleted (shift))
        continue;

      days = &range->days[row->index];
      starts = zone_days (range->zones, range->first_date, range->n_days, row->zone);
      start = rota_shift_get_start (shift);
      g_ptr_array_add (days->context, g_object_ref (shift));
      if (start >= starts[0] && start < starts[range->n_days])
        {
          g_ptr_array_add (days->shifts, g_object_ref (shift));
          days->minutes += net_minutes (shift);
        }
      g_hash_table_replace (range->row_of_shift, g_strdup (rota_entity_get_id (ROTA_ENTITY (shift))), row);
    }
  range->n_shifts = shifts->len;

  if (range->deep && range->deep_departments[0] != NULL && from != G_MAXINT64)
    {
      g_autoptr(GPtrArray) earlier = NULL;

      earlier = rota_store_list_shifts (range->store, from - DEEP_DAYS * 86400, from - CONTEXT_DAYS * 86400,
                                        (const char * const *) range->deep_departments, &error);
      if (earlier == NULL)
        {
          range->error = error;
          return;
        }

      for (guint i = 0; i < earlier->len; i++)
        {
          RotaShift *shift = g_ptr_array_index (earlier, i);
          RotaPlanRow *row = range_row_for_shift (range, shift);
          const char *id = rota_entity_get_id (ROTA_ENTITY (shift));

          /* A shift across the seam came with the days already read. */
          if (row == NULL || row->profile != ROTA_RULES_PROFILE_NL || rota_shift_get_deleted (shift) ||
              g_hash_table_contains (range->row_of_shift, id))
            continue;

          g_ptr_array_add (range->days[row->index].context, g_object_ref (shift));
          g_hash_table_replace (range->row_of_shift, g_strdup (id), row);
        }
      range->n_shifts += earlier->len;
    }
  t2 = g_get_monotonic_time ();

  for (guint i = 0; i < range->rows->len; i++)
    {
      RotaPlanRow *row = g_ptr_array_index (range->rows, i);
      RowDays *days = &range->days[i];
      const gint64 *starts = zone_days (range->zones, range->first_date, range->n_days, row->zone);
      const char *employee_id;

      g_ptr_array_sort (days->shifts, compare_shifts);
      days->sums = day_sums (row, days->shifts, starts, range->n_days);
      if (row->kind != ROTA_PLAN_ROW_EMPLOYEE)
        continue;

      employee_id = rota_entity_get_id (ROTA_ENTITY (row->employee));
      g_ptr_array_unref (days->findings);
      days->findings = rota_rules_check_employee (row->profile, row->zone, row->employee, days->context,
                                                  g_hash_table_lookup (range->absences, employee_id),
                                                  g_hash_table_lookup (range->availability, employee_id),
                                                  starts[0], starts[range->n_days]);
    }

  g_debug ("Read %s + %u days: %u shifts read in %.1f ms, placed in %.1f ms, checked in %.1f ms",
           range->first_date, range->n_days, shifts->len, (t1 - t0) / 1000.0, (t2 - t1) / 1000.0,
           (g_get_monotonic_time () - t2) / 1000.0);
}

/* Drops what only the reading needed, above all the store: a plan that
 * is gone must not keep its store open through a range read ahead. */
static void
range_release_inputs (Range *range)
{
  g_clear_object (&range->store);
  g_clear_pointer (&range->rows_by_employee, g_hash_table_unref);
  g_clear_object (&range->open_row);
  g_clear_pointer (&range->absences, g_hash_table_unref);
  g_clear_pointer (&range->availability, g_hash_table_unref);
}

static gpointer
range_thread (gpointer data)
{
  Range *range = data;

  range_compute (range);
  range_release_inputs (range);

  g_mutex_lock (&range->mutex);
  range->done = TRUE;
  g_cond_broadcast (&range->cond);
  g_mutex_unlock (&range->mutex);

  range_unref (range);

  return NULL;
}

static void
range_wait (Range *range)
{
  g_mutex_lock (&range->mutex);
  while (!range->done)
    g_cond_wait (&range->cond, &range->mutex);
  g_mutex_unlock (&range->mutex);
}

static gpointer
range_free_thread (gpointer data)
{
  range_unref (data);

  return NULL;
}

static gboolean
free_later_cb (gpointer data)
{
  g_thread_unref (g_thread_new ("rota-plan-free", range_free_thread, data));

  return G_SOURCE_REMOVE;
}

/* Shows @range: its data goes into the rows, theirs into @range, which is
 * then freed on a thread (freeing a week of 2,000 people's shifts takes a
 * few milliseconds). */
static void
range_apply (RotaPlan *self,
             Range    *range)
{
  GHashTable *swap;

  for (guint i = 0; i < range->rows->len; i++)
    {
      RotaPlanRow *row = g_ptr_array_index (range->rows, i);
      RowDays *days = &range->days[i];
      GPtrArray *tmp;

      tmp = row->shifts, row->shifts = days->shifts, days->shifts = tmp;
      tmp = row->context, row->context = days->context, days->context = tmp;
      tmp = row->findings, row->findings = days->findings, days->findings = tmp;
      row->minutes = days->minutes;
      {
        DaySum *sums = row->sums;

        row->sums = days->sums;
        days->sums = sums;
      }
    }

  swap = self->zones, self->zones = range->zones, range->zones = swap;
  swap = self->row_of_shift, self->row_of_shift = range->row_of_shift, range->row_of_shift = swap;
  swap = self->pending, self->pending = range->pending, range->pending = swap;

  for (guint i = 0; i < range->rows->len; i++)
    {
      RotaPlanRow *row = g_ptr_array_index (range->rows, i);

      row->day_starts = zone_days (self->zones, range->first_date, range->n_days, row->zone);
    }

  g_free (self->first_date);
  self->first_date = g_strdup (range->first_date);
  self->n_days = range->n_days;
  self->deep = range->deep || range->deep_departments == NULL || range->deep_departments[0] == NULL;
  self->findings_dirty = TRUE;
  self->totals_dirty = TRUE;

  /* Freed a little later, after the frame that shows the new days. */
  g_timeout_add_full (G_PRIORITY_LOW, 250, free_later_cb, range, NULL);
}

static gboolean
range_is_done (Range *range)
{
  gboolean done;

  g_mutex_lock (&range->mutex);
  done = range->done;
  g_mutex_unlock (&range->mutex);

  return done;
}

static void
drop_prefetched (RotaPlan *self)
{
  self->generation++;

  /* Those done let go of the store already; the others are kept until
   * they are, so that the plan can wait for them at its end. */
  for (guint i = self->draining->len; i > 0; i--)
    if (range_is_done (g_ptr_array_index (self->draining, i - 1)))
      g_thread_unref (g_thread_new ("rota-plan-free", range_free_thread,
                                    g_ptr_array_steal_index_fast (self->draining, i - 1)));
  while (self->prefetched->len > 0)
    {
      Range *range = g_ptr_array_steal_index_fast (self->prefetched, self->prefetched->len - 1);

      if (range_is_done (range))
        g_thread_unref (g_thread_new ("rota-plan-free", range_free_thread, range));
      else
        g_ptr_array_add (self->draining, range);
    }
}

/* Waits for the ranges still being read, so that they let go of the
 * store before the plan does. */
static void
finish_prefetched (RotaPlan *self)
{
  for (guint i = 0; i < self->prefetched->len; i++)
    range_wait (g_ptr_array_index (self->prefetched, i));
  g_ptr_array_set_size (self->prefetched, 0);
  for (guint i = 0; i < self->draining->len; i++)
    range_wait (g_ptr_array_index (self->draining, i));
  g_ptr_array_set_size (self->draining, 0);
}

/* A read-ahead range for these days, if one was started since the last
 * edit. */
static Range *
take_prefetched (RotaPlan   *self,
                 const char *first_date,
                 guint       n_days)
{
  for (guint i = 0; i < self->prefetched->len; i++)
    {
      Range *range = g_ptr_array_index (self->prefetched, i);

      if (range->generation == self->generation && range->n_days == n_days &&
          g_str_equal (range->first_date, first_date))
        return g_ptr_array_steal_index (self->prefetched, i);
    }

  return NULL;
}

/**
 * rota_plan_prefetch:
 * @self: a plan
 * @first_date: the first day
 * @n_days: how many days
 *
 * Starts reading a range of days on a thread, so that a later
 * rota_plan_load() of it is quick. An edit or a reload drops what was
 * read ahead. At most four ranges are kept.
 */
void
rota_plan_prefetch (RotaPlan   *self,
                    const char *first_date,
                    guint       n_days)
{
  Range *range;

  g_return_if_fail (ROTA_IS_PLAN (self));
  g_return_if_fail (rota_date_is_valid (first_date));
  g_return_if_fail (n_days >= 1 && n_days <= 42);

  if (self->open_row == NULL)
    return;

  for (guint i = 0; i < self->prefetched->len; i++)
    {
      range = g_ptr_array_index (self->prefetched, i);
      if (range->generation == self->generation && range->n_days == n_days &&
          g_str_equal (range->first_date, first_date))
        return;
    }

  while (self->prefetched->len >= 4)
    {
      Range *oldest = g_ptr_array_steal_index (self->prefetched, 0);

      if (range_is_done (oldest))
        range_unref (oldest);
      else
        g_ptr_array_add (self->draining, oldest);
    }

  range = range_new (self, first_date, n_days);
  range->deep = TRUE;
  g_atomic_ref_count_inc (&range->ref_count);
  g_thread_unref (g_thread_new ("rota-plan-read", range_thread, range));
  g_ptr_array_add (self->prefetched, range);
}

/* GObject */

static void
rota_plan_finalize (GObject *object)
{
  RotaPlan *self = ROTA_PLAN (object);

  g_clear_handle_id (&self->deepen_source, g_source_remove);
  finish_prefetched (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->first_date, g_free);
  g_clear_pointer (&self->offices, g_hash_table_unref);
  g_clear_pointer (&self->departments, g_hash_table_unref);
  g_clear_object (&self->department_list);
  g_clear_pointer (&self->employees, g_ptr_array_unref);
  g_clear_pointer (&self->absences, g_hash_table_unref);
  g_clear_pointer (&self->availability, g_hash_table_unref);
  g_clear_pointer (&self->zones, g_hash_table_unref);
  g_clear_object (&self->open_row);
  g_clear_pointer (&self->all_rows, g_ptr_array_unref);
  g_clear_pointer (&self->rows_by_employee, g_hash_table_unref);
  g_clear_pointer (&self->row_of_shift, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_object (&self->visible);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->department_id, g_free);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->prefetched, g_ptr_array_unref);
  g_clear_pointer (&self->draining, g_ptr_array_unref);

  G_OBJECT_CLASS (rota_plan_parent_class)->finalize (object);
}

static void
rota_plan_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RotaPlan *self = ROTA_PLAN (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, rota_plan_can_undo (self));
      break;

    case PROP_CAN_REDO:
      g_value_set_boolean (value, rota_plan_can_redo (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_plan_class_init (RotaPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rota_plan_finalize;
  object_class->get_property = rota_plan_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RotaPlan::loaded:
   *
   * Emitted when a range of days has been loaded. The rows are the same
   * objects as before unless the people changed (the rows model then says
   * so); their shifts, findings and totals are new.
   */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * RotaPlan::row-changed:
   * @row: the row whose shifts or findings changed
   */
  signals[ROW_CHANGED] = g_signal_new ("row-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, ROTA_TYPE_PLAN_ROW);

  signals[FINDINGS_CHANGED] = g_signal_new ("findings-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rota_plan_init (RotaPlan *self)
{
  self->offices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->departments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->department_list = g_list_store_new (ROTA_TYPE_DEPARTMENT);
  self->employees = g_ptr_array_new_with_free_func (g_object_unref);
  self->absences = g_hash_table_new (g_str_hash, g_str_equal);
  self->availability = g_hash_table_new (g_str_hash, g_str_equal);
  self->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, zone_days_free);
  self->all_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->rows_by_employee = g_hash_table_new (g_str_hash, g_str_equal);
  self->row_of_shift = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->visible = g_list_store_new (ROTA_TYPE_PLAN_ROW);
  self->findings = g_ptr_array_new ();
  self->undo = g_ptr_array_new_with_free_func (group_free);
  self->redo = g_ptr_array_new_with_free_func (group_free);
  self->prefetched = g_ptr_array_new_with_free_func ((GDestroyNotify) range_unref);
  self->draining = g_ptr_array_new_with_free_func ((GDestroyNotify) range_unref);
}

/* Public API */

/**
 * rota_plan_new:
 * @store: the store
 * @actor: who edits, for the outbox and the audit trail
 *
 * Returns: (transfer full): a plan with nothing loaded
 */
RotaPlan *
rota_plan_new (RotaStore  *store,
               const char *actor)
{
  RotaPlan *self;

  g_return_val_if_fail (ROTA_IS_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL && *actor != '\0', NULL);

  self = g_object_new (ROTA_TYPE_PLAN, NULL);
  self->store = g_object_ref (store);
  self->actor = g_strdup (actor);

  return self;
}

/**
 * rota_plan_get_store:
 *
 * Returns: (transfer none): the store
 */
RotaStore *
rota_plan_get_store (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  return self->store;
}

typedef struct
{
  GWeakRef      plan;
  Range        *range;
  GMainContext *context;
  guint         serial;
} Deepen;

static void
deepen_free (gpointer data)
{
  Deepen *deepen = data;

  g_weak_ref_clear (&deepen->plan);
  g_clear_pointer (&deepen->range, range_unref);
  g_main_context_unref (deepen->context);
  g_free (deepen);
}

/* Back on the plan's context: shows the deep range if nothing changed
 * since it was started (no other days, no edit, no newer one). */
static gboolean
deepen_done_cb (gpointer data)
{
  Deepen *deepen = data;
  g_autoptr(RotaPlan) self = g_weak_ref_get (&deepen->plan);
  Range *range = deepen->range;

  if (self == NULL || range->error != NULL || deepen->serial != self->deepen_serial ||
      range->generation != self->generation || range->n_days != self->n_days ||
      g_strcmp0 (range->first_date, self->first_date) != 0)
    return G_SOURCE_REMOVE;

  g_debug ("The weeks before %s are read for the Dutch averages", range->first_date);
  range_apply (self, g_steal_pointer (&deepen->range));
  g_signal_emit (self, signals[LOADED], 0);
  g_signal_emit (self, signals[FINDINGS_CHANGED], 0);

  return G_SOURCE_REMOVE;
}

static gpointer
deepen_thread (gpointer data)
{
  Deepen *deepen = data;
  GSource *source;

  range_compute (deepen->range);
  range_release_inputs (deepen->range);

  g_mutex_lock (&deepen->range->mutex);
  deepen->range->done = TRUE;
  g_cond_broadcast (&deepen->range->cond);
  g_mutex_unlock (&deepen->range->mutex);

  source = g_idle_source_new ();
  g_source_set_callback (source, deepen_done_cb, deepen, deepen_free);
  g_source_set_static_name (source, "[rota] plan deepened");
  g_source_attach (source, deepen->context);
  g_source_unref (source);

  return NULL;
}

/* Reads the range shown again with the weeks before it, on a thread. */
static gboolean
deepen_cb (gpointer data)
{
  RotaPlan *self = data;
  Deepen *deepen = g_new0 (Deepen, 1);

  self->deepen_source = 0;

  g_weak_ref_init (&deepen->plan, self);
  deepen->range = range_new (self, self->first_date, self->n_days);
  deepen->range->deep = TRUE;
  deepen->context = g_main_context_ref_thread_default ();
  deepen->serial = ++self->deepen_serial;

  /* The plan waits for it at its end, as for what it read ahead. */
  g_atomic_ref_count_inc (&deepen->range->ref_count);
  g_ptr_array_add (self->draining, deepen->range);

  g_thread_unref (g_thread_new ("rota-plan-deepen", deepen_thread, deepen));

  return G_SOURCE_REMOVE;
}

/* After a range read without the weeks before it. A little later, so that
 * switching on (a held Alt+→) does not start one reading per week passed. */
static void
start_deepen (RotaPlan *self)
{
  g_clear_handle_id (&self->deepen_source, g_source_remove);
  self->deepen_serial++;
  self->deepen_source = g_timeout_add (DEEPEN_DELAY_MS, deepen_cb, self);
}

static gboolean
load_range (RotaPlan    *self,
            gboolean     people,
            const char  *first_date,
            guint        n_days,
            GError     **error)
{
  Range *range = NULL;
  gint64 t0 = g_get_monotonic_time (), t1;
  gboolean deep;

  if (people)
    {
      drop_prefetched (self);
      if (!load_people (self, error))
        return FALSE;
      build_rows (self);
    }
  t1 = g_get_monotonic_time ();

  range = take_prefetched (self, first_date, n_days);
  if (range != NULL)
    range_wait (range);
  else
    {
      range = range_new (self, first_date, n_days);
      range_compute (range);
      range_release_inputs (range);
      range->done = TRUE;
    }

  if (range->error != NULL)
    {
      /* The rows stay whole, if empty, and the next load reads all again. */
      g_propagate_error (error, g_steal_pointer (&range->error));
      range_apply (self, range);
      if (people)
        rebuild_visible (self);
      self->loaded = FALSE;
      g_signal_emit (self, signals[LOADED], 0);
      return FALSE;
    }

  deep = range->deep || range->deep_departments == NULL || range->deep_departments[0] == NULL;
  range_apply (self, range);
  if (people)
    rebuild_visible (self);
  self->loaded = TRUE;
  if (!deep)
    start_deepen (self);

  g_debug ("Loaded %s + %u days: people %.1f ms, days %.1f ms", self->first_date, self->n_days,
           (t1 - t0) / 1000.0, (g_get_monotonic_time () - t1) / 1000.0);

  g_signal_emit (self, signals[LOADED], 0);
  g_signal_emit (self, signals[FINDINGS_CHANGED], 0);

  return TRUE;
}

/**
 * rota_plan_load:
 * @self: a plan
 * @first_date: the first day, as "YYYY-MM-DD"
 * @n_days: how many days, 1 to 42
 * @error: a location for a #GError
 *
 * Loads the rows, shifts and findings of @n_days days from @first_date.
 * The people, departments and offices are read at the first load and by
 * rota_plan_reload().
 *
 * Returns: %TRUE if loaded
 */
gboolean
rota_plan_load (RotaPlan    *self,
                const char  *first_date,
                guint        n_days,
                GError     **error)
{
  gboolean first;

  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);
  g_return_val_if_fail (rota_date_is_valid (first_date), FALSE);
  g_return_val_if_fail (n_days >= 1 && n_days <= 42, FALSE);

  first = !self->loaded;

  return load_range (self, first, first_date, n_days, error);
}

/**
 * rota_plan_reload:
 *
 * Reads everything again, after a sync for example.
 *
 * Returns: %TRUE if loaded
 */
gboolean
rota_plan_reload (RotaPlan  *self,
                  GError   **error)
{
  g_autofree char *first_date = NULL;

  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);
  g_return_val_if_fail (self->first_date != NULL, FALSE);

  first_date = g_strdup (self->first_date);

  return load_range (self, TRUE, first_date, self->n_days, error);
}

const char *
rota_plan_get_first_date (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  return self->first_date;
}

guint
rota_plan_get_n_days (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), 0);

  return self->n_days;
}

/**
 * rota_plan_get_rows:
 *
 * Returns: (transfer none): a #GListModel of #RotaPlanRow: the open shifts,
 *   then each department's header and people that match the filter
 */
GListModel *
rota_plan_get_rows (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  return G_LIST_MODEL (self->visible);
}

/**
 * rota_plan_get_departments:
 *
 * Returns: (transfer none): a #GListModel of #RotaDepartment, by name
 */
GListModel *
rota_plan_get_departments (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  return G_LIST_MODEL (self->department_list);
}

/**
 * rota_plan_set_filter:
 * @search: (nullable): part of a name; case and accents do not matter
 * @department_id: (nullable): only this department
 */
void
rota_plan_set_filter (RotaPlan   *self,
                      const char *search,
                      const char *department_id)
{
  g_return_if_fail (ROTA_IS_PLAN (self));

  g_clear_pointer (&self->search, g_free);
  if (search != NULL && *search != '\0')
    {
      g_autofree char *stripped = g_strstrip (g_strdup (search));

      if (*stripped != '\0')
        self->search = rota_text_fold (stripped);
    }
  g_free (self->department_id);
  self->department_id = (department_id != NULL && *department_id != '\0') ? g_strdup (department_id) : NULL;

  if (self->first_date != NULL)
    rebuild_visible (self);
}

/**
 * rota_plan_find_row:
 *
 * Returns: (transfer none) (nullable): the row of @employee_id
 */
RotaPlanRow *
rota_plan_find_row (RotaPlan   *self,
                    const char *employee_id)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  if (employee_id == NULL)
    return self->open_row;

  return g_hash_table_lookup (self->rows_by_employee, employee_id);
}

/**
 * rota_plan_find_shift:
 * @out_shift: (out) (optional) (transfer none): the shift
 *
 * Returns: (transfer none) (nullable): the row that shows @shift_id
 */
RotaPlanRow *
rota_plan_find_shift (RotaPlan    *self,
                      const char  *shift_id,
                      RotaShift  **out_shift)
{
  RotaPlanRow *row;

  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);
  g_return_val_if_fail (shift_id != NULL, NULL);

  row = g_hash_table_lookup (self->row_of_shift, shift_id);
  if (row == NULL)
    return NULL;

  for (guint i = 0; i < row->context->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (row->context, i);

      if (g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (shift)), shift_id) == 0)
        {
          if (out_shift != NULL)
            *out_shift = shift;
          return row;
        }
    }

  return NULL;
}

/**
 * rota_plan_day_of:
 *
 * Returns: the day of @instant in @row's zone, counted from the first day;
 *   -1 before it and the number of days after it
 */
int
rota_plan_day_of (RotaPlan    *self,
                  RotaPlanRow *row,
                  gint64       instant)
{
  guint lo = 0, hi;

  g_return_val_if_fail (ROTA_IS_PLAN (self), -1);
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (row), -1);

  if (instant < row->day_starts[0])
    return -1;
  if (instant >= row->day_starts[self->n_days])
    return self->n_days;

  hi = self->n_days;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (row->day_starts[mid] <= instant)
        lo = mid;
      else
        hi = mid;
    }

  return lo;
}

gint64
rota_plan_day_start (RotaPlan    *self,
                     RotaPlanRow *row,
                     guint        day)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), 0);
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (row), 0);
  g_return_val_if_fail (day <= self->n_days, 0);

  return row->day_starts[day];
}

RotaPlanShiftFlags
rota_plan_get_shift_flags (RotaPlan  *self,
                           RotaShift *shift)
{
  const char *id = rota_entity_get_id (ROTA_ENTITY (shift));
  RotaPlanShiftFlags flags = 0;
  RotaPlanRow *row;
  gpointer state;

  g_return_val_if_fail (ROTA_IS_PLAN (self), 0);

  if (g_hash_table_lookup_extended (self->pending, id, NULL, &state))
    flags |= GPOINTER_TO_INT (state) == ROTA_OUTBOX_STATE_PENDING ? ROTA_PLAN_SHIFT_PENDING
                                                                  : ROTA_PLAN_SHIFT_CONFLICT;

  row = g_hash_table_lookup (self->row_of_shift, id);
  if (row == NULL)
    return flags;

  for (guint i = 0; i < row->findings->len; i++)
    {
      RotaFinding *finding = g_ptr_array_index (row->findings, i);

      if (finding->shift_ids != NULL && g_strv_contains ((const char * const *) finding->shift_ids, id))
        flags |= finding->severity == ROTA_SEVERITY_VIOLATION ? ROTA_PLAN_SHIFT_VIOLATION
                                                              : ROTA_PLAN_SHIFT_WARNING;
    }

  return flags;
}

/**
 * rota_plan_get_shift_findings:
 *
 * Returns: (transfer container) (element-type RotaFinding): the findings
 *   that name @shift_id, owned by the plan
 */
GPtrArray *
rota_plan_get_shift_findings (RotaPlan   *self,
                              const char *shift_id)
{
  GPtrArray *result = g_ptr_array_new ();
  RotaPlanRow *row;

  g_return_val_if_fail (ROTA_IS_PLAN (self), result);

  row = g_hash_table_lookup (self->row_of_shift, shift_id);
  if (row == NULL)
    return result;

  for (guint i = 0; i < row->findings->len; i++)
    {
      RotaFinding *finding = g_ptr_array_index (row->findings, i);

      if (finding->shift_ids != NULL && g_strv_contains ((const char * const *) finding->shift_ids, shift_id))
        g_ptr_array_add (result, finding);
    }

  return result;
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const RotaFinding *x = *(const RotaFinding * const *) a;
  const RotaFinding *y = *(const RotaFinding * const *) b;

  if (x->severity != y->severity)
    return x->severity == ROTA_SEVERITY_VIOLATION ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;

  return g_strcmp0 (x->rule, y->rule);
}

/**
 * rota_plan_get_findings:
 *
 * Returns: (transfer none) (element-type RotaFinding): every finding in
 *   the loaded days, violations first, then by time
 */
GPtrArray *
rota_plan_get_findings (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  if (self->findings_dirty)
    {
      g_ptr_array_set_size (self->findings, 0);
      for (guint i = 0; i < self->all_rows->len; i++)
        {
          RotaPlanRow *row = g_ptr_array_index (self->all_rows, i);

          for (guint j = 0; j < row->findings->len; j++)
            g_ptr_array_add (self->findings, g_ptr_array_index (row->findings, j));
        }
      g_ptr_array_sort (self->findings, compare_findings);
      self->findings_dirty = FALSE;
    }

  return self->findings;
}

/**
 * rota_plan_get_day_totals:
 * @out_minutes: (out) (optional): planned minutes, net of breaks, open
 *   shifts included
 * @out_people: (out) (optional): how many people work that day
 * @out_cost_cents: (out) (optional): their wages for it
 *
 * Totals of one day over the rows that match the filter.
 */
void
rota_plan_get_day_totals (RotaPlan *self,
                          guint     day,
                          gint64   *out_minutes,
                          guint    *out_people,
                          gint64   *out_cost_cents)
{
  g_return_if_fail (ROTA_IS_PLAN (self));
  g_return_if_fail (day < self->n_days);

  if (self->totals_dirty)
    {
      GListModel *rows = G_LIST_MODEL (self->visible);
      guint n = g_list_model_get_n_items (rows);

      memset (self->total_minutes, 0, sizeof self->total_minutes);
      memset (self->total_people, 0, sizeof self->total_people);
      memset (self->total_cost, 0, sizeof self->total_cost);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);

          if (row->sums == NULL)
            continue;
          for (guint d = 0; d < self->n_days; d++)
            {
              self->total_minutes[d] += row->sums[d].minutes;
              if (row->employee != NULL)
                {
                  self->total_people[d] += row->sums[d].shifts > 0;
                  self->total_cost[d] += row->sums[d].cost_cents;
                }
            }
        }
      self->totals_dirty = FALSE;
    }

  if (out_minutes != NULL)
    *out_minutes = self->total_minutes[day];
  if (out_people != NULL)
    *out_people = self->total_people[day];
  if (out_cost_cents != NULL)
    *out_cost_cents = self->total_cost[day];
}

/**
 * rota_plan_get_cost_cents:
 *
 * Returns: the wages of every shift shown, in cents
 */
gint64
rota_plan_get_cost_cents (RotaPlan *self)
{
  gint64 total = 0;

  g_return_val_if_fail (ROTA_IS_PLAN (self), 0);

  for (guint day = 0; day < self->n_days; day++)
    {
      gint64 cost;

      rota_plan_get_day_totals (self, day, NULL, NULL, &cost);
      total += cost;
    }

  return total;
}

/**
 * rota_plan_describe_shift:
 *
 * Returns: (transfer full): a sentence that says all a shift's chip shows:
 *   who, when, the break, and whether it is published, waiting to sync, in
 *   conflict, or breaks a rule (with the rules' messages)
 */
char *
rota_plan_describe_shift (RotaPlan  *self,
                          RotaShift *shift)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) findings = NULL;
  RotaPlanRow *row;
  RotaPlanShiftFlags flags;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *day = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);
  g_return_val_if_fail (ROTA_IS_SHIFT (shift), NULL);

  row = row_for_shift (self, shift);
  start = g_date_time_new_from_unix_utc (rota_shift_get_start (shift));
  end = g_date_time_new_from_unix_utc (rota_shift_get_end (shift));
  if (row != NULL)
    {
      GDateTime *local_start = g_date_time_to_timezone (start, row->zone);
      GDateTime *local_end = g_date_time_to_timezone (end, row->zone);

      g_date_time_unref (start);
      g_date_time_unref (end);
      start = local_start;
      end = local_end;
    }
  /* Translators: a day in a shift's description, like "Monday 23 November" */
  day = g_date_time_format (start, _("%A %-d %B"));
  from = g_date_time_format (start, "%H:%M");
  to = g_date_time_format (end, "%H:%M");

  if (row != NULL && row->kind == ROTA_PLAN_ROW_EMPLOYEE)
    /* Translators: "Sanne van Dijk, Monday 23 November, 08:00 to 16:30." */
    g_string_append_printf (text, _("%s, %s, %s to %s."), row->title, day, from, to);
  else
    /* Translators: an open shift: "Open shift, Monday 23 November, 08:00 to 16:30." */
    g_string_append_printf (text, _("Open shift, %s, %s to %s."), day, from, to);

  if (rota_shift_get_break_minutes (shift) > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Break %d minute.", "Break %d minutes.",
                                                 rota_shift_get_break_minutes (shift)),
                              (int) rota_shift_get_break_minutes (shift));
    }

  g_string_append_c (text, ' ');
  g_string_append (text, rota_shift_get_published (shift) ? _("Published.") : _("Not published."));

  flags = rota_plan_get_shift_flags (self, shift);
  if (flags & ROTA_PLAN_SHIFT_CONFLICT)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("The server did not take this edit; resolve it from the sync menu."));
    }
  else if (flags & ROTA_PLAN_SHIFT_PENDING)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Not synced yet."));
    }

  findings = rota_plan_get_shift_findings (self, rota_entity_get_id (ROTA_ENTITY (shift)));
  for (guint i = 0; i < findings->len; i++)
    {
      RotaFinding *finding = g_ptr_array_index (findings, i);

      g_string_append_c (text, ' ');
      g_string_append (text, finding->severity == ROTA_SEVERITY_VIOLATION ? _("Violation:") : _("Warning:"));
      g_string_append_c (text, ' ');
      g_string_append (text, finding->message);
      if (!g_str_has_suffix (finding->message, "."))
        g_string_append_c (text, '.');
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Edits */

static void
refresh_rows (RotaPlan    *self,
              RotaPlanRow *a,
              RotaPlanRow *b)
{
  self->totals_dirty = TRUE;
  if (a != NULL)
    {
      g_ptr_array_sort (a->shifts, compare_shifts);
      row_check (self, a);
    }
  if (b != NULL && b != a)
    {
      g_ptr_array_sort (b->shifts, compare_shifts);
      row_check (self, b);
    }

  notify_row (self, a);
  if (b != a)
    notify_row (self, b);

  g_signal_emit (self, signals[FINDINGS_CHANGED], 0);
}

/* Writes one step's change to the store and shows it. @from is what is
 * there now (NULL: nothing), @to what there shall be (NULL: nothing). */
static gboolean
apply_change (RotaPlan    *self,
              RotaShift   *from,
              RotaShift   *to,
              const char  *label,
              GError     **error)
{
  g_autoptr(RotaOutboxItem) item = NULL;
  RotaPlanRow *old_row = NULL;
  RotaPlanRow *new_row = NULL;

  if (to != NULL)
    item = rota_store_record_edit (self->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (to), self->actor, label, error);
  else if (from != NULL)
    item = rota_store_record_edit (self->store, ROTA_OUTBOX_OP_DELETE, ROTA_ENTITY (from), self->actor, label, error);
  else
    g_assert_not_reached ();

  if (item == NULL)
    return FALSE;

  if (from != NULL)
    old_row = unplace_shift (self, rota_entity_get_id (ROTA_ENTITY (from)));
  if (to != NULL)
    {
      g_autoptr(RotaShift) copy = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (to)));

      place_shift (self, copy);
      new_row = row_for_shift (self, copy);
    }

  /* An earlier edit in conflict stays in conflict, as load_pending() has it. */
  if (!g_hash_table_contains (self->pending, item->entity_id))
    g_hash_table_insert (self->pending, g_strdup (item->entity_id), GINT_TO_POINTER (ROTA_OUTBOX_STATE_PENDING));
  refresh_rows (self, old_row, new_row);

  return TRUE;
}

static void
push_group (RotaPlan   *self,
            const char *label,
            GPtrArray  *steps)
{
  Group *group = g_new0 (Group, 1);

  group->label = g_strdup (label);
  group->steps = g_ptr_array_ref (steps);
  g_ptr_array_add (self->undo, group);
  g_ptr_array_set_size (self->redo, 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static Step *
step_new (RotaShift *before,
          RotaShift *after)
{
  Step *step = g_new0 (Step, 1);

  step->before = before ? ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (before))) : NULL;
  step->after = after ? ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (after))) : NULL;

  return step;
}

/* Runs @steps as one transaction, so that a group is all or nothing. */
static gboolean
run_steps (RotaPlan    *self,
           GPtrArray   *steps,
           const char  *label,
           GError     **error)
{
  /* What was read ahead does not have this edit. */
  drop_prefetched (self);

  if (!rota_store_begin (self->store, error))
    return FALSE;

  for (guint i = 0; i < steps->len; i++)
    {
      Step *step = g_ptr_array_index (steps, i);

      if (!apply_change (self, step->before, step->after, label, error))
        {
          rota_store_rollback (self->store);
          /* What was shown may be ahead of the store now. */
          rota_plan_reload (self, NULL);
          return FALSE;
        }
    }

  if (!rota_store_commit (self->store, error))
    {
      rota_plan_reload (self, NULL);
      return FALSE;
    }

  /* An edit made before the weeks before were read drops that reading:
   * read them again, now with the edit. */
  if (!self->deep)
    start_deepen (self);

  return TRUE;
}

/* An edit: its steps recorded as one transaction, then one undo. */
static gboolean
record_group (RotaPlan    *self,
              const char  *label,
              GPtrArray   *steps,
              GError     **error)
{
  if (!run_steps (self, steps, label, error))
    return FALSE;

  push_group (self, label, steps);

  return TRUE;
}

static gboolean
check_day (RotaPlan  *self,
           guint      day,
           GError   **error)
{
  if (day >= self->n_days)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("That day is not shown. Go to its week first."));
      return FALSE;
    }

  return TRUE;
}

static const char *
row_department_id (RotaPlan    *self,
                   RotaPlanRow *row)
{
  RotaDepartment *department = row->department;

  if (department == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->department_list)) > 0)
    {
      g_autoptr(RotaDepartment) first = NULL;

      if (self->department_id != NULL)
        return self->department_id;
      first = g_list_model_get_item (G_LIST_MODEL (self->department_list), 0);
      return rota_entity_get_id (ROTA_ENTITY (first));
    }

  return department ? rota_entity_get_id (ROTA_ENTITY (department)) : NULL;
}

/* A break by default, as the law asks for: 30 minutes over 6 hours, 45
 * over 9 (the stricter of both profiles for shifts of up to 10 hours). */
static gint64
default_break (int minutes)
{
  if (minutes > 9 * 60)
    return 45;
  if (minutes > 6 * 60)
    return 30;
  return 0;
}

/**
 * rota_plan_create_shift:
 * @row: an employee's row or the open-shifts row
 * @day: the day, counted from the first shown
 * @start_minutes: the start, minutes after that day's midnight
 * @end_minutes: the end, minutes after that day's midnight (past 1440 for
 *   a night shift)
 *
 * Returns: (transfer full) (nullable): the new shift
 */
RotaShift *
rota_plan_create_shift (RotaPlan     *self,
                        RotaPlanRow  *row,
                        guint         day,
                        int           start_minutes,
                        int           end_minutes,
                        GError      **error)
{
  return rota_plan_create_shift_full (self, row, day, start_minutes, end_minutes, -1, NULL, error);
}

/**
 * rota_plan_default_break:
 * @minutes: how long a shift lasts
 *
 * Returns: the break a new shift of that length gets unless one is given
 */
gint64
rota_plan_default_break (int minutes)
{
  return default_break (minutes);
}

/**
 * rota_plan_create_shift_full:
 * @break_minutes: the break, or -1 for rota_plan_default_break()
 * @note: (nullable): a note
 *
 * rota_plan_create_shift() with a break and a note, as one edit.
 *
 * Returns: (transfer full) (nullable): the new shift
 */
RotaShift *
rota_plan_create_shift_full (RotaPlan     *self,
                             RotaPlanRow  *row,
                             guint         day,
                             int           start_minutes,
                             int           end_minutes,
                             gint64        break_minutes,
                             const char   *note,
                             GError      **error)
{
  g_autoptr(RotaShift) shift = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  g_autofree char *date = NULL;
  const char *department_id;

  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);
  g_return_val_if_fail (ROTA_IS_PLAN_ROW (row), NULL);

  if (!check_day (self, day, error))
    return NULL;
  if (row->kind == ROTA_PLAN_ROW_DEPARTMENT)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("A shift belongs to a person or to the open shifts, not to a department’s heading."));
      return NULL;
    }
  department_id = row_department_id (self, row);
  if (department_id == NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("There is no department to plan in yet. Sync with the server first."));
      return NULL;
    }

  date = rota_date_add_days (self->first_date, day);
  shift = rota_shift_new_local (row->employee ? rota_entity_get_id (ROTA_ENTITY (row->employee)) : NULL,
                                department_id,
                                rota_time_from_local (row->zone, date, start_minutes),
                                rota_time_from_local (row->zone, date, end_minutes),
                                break_minutes >= 0 ? break_minutes : default_break (end_minutes - start_minutes));
  rota_shift_set_note (shift, note != NULL && *note != '\0' ? note : NULL);
  if (!rota_entity_validate (ROTA_ENTITY (shift), NULL, NULL) && break_minutes >= 0)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("The break must be shorter than the shift."));
      return NULL;
    }

  g_ptr_array_add (steps, step_new (NULL, shift));
  if (!record_group (self, _("Shift added"), steps, error))
    return NULL;

  return g_steal_pointer (&shift);
}

static RotaShift *
current_shift (RotaPlan    *self,
               const char  *shift_id,
               GError     **error)
{
  RotaShift *shift = NULL;

  if (rota_plan_find_shift (self, shift_id, &shift) == NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                   _("That shift is gone; it may have been deleted on another computer."));
      return NULL;
    }

  return shift;
}

/* The shift as it is now, loaded or not: undoing a week's copy from
 * another week finds the copies in the store. */
static RotaShift *
stored_shift (RotaPlan    *self,
              const char  *shift_id,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RotaEntity) entity = NULL;
  RotaShift *shift = NULL;

  if (rota_plan_find_shift (self, shift_id, &shift) != NULL)
    return g_object_ref (shift);

  entity = rota_store_get_entity (self->store, ROTA_TYPE_SHIFT, shift_id, &local_error);
  if (entity == NULL || rota_shift_get_deleted (ROTA_SHIFT (entity)))
    {
      if (local_error != NULL && !g_error_matches (local_error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                   _("That shift is gone; it may have been deleted on another computer."));
      return NULL;
    }

  return ROTA_SHIFT (g_steal_pointer (&entity));
}

/**
 * rota_plan_update_shift:
 * @note: (nullable): the note
 *
 * Changes a shift's times (on the day it starts), break and note.
 *
 * Returns: %TRUE if recorded
 */
gboolean
rota_plan_update_shift (RotaPlan    *self,
                        const char  *shift_id,
                        int          start_minutes,
                        int          end_minutes,
                        gint64       break_minutes,
                        const char  *note,
                        GError     **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  g_autoptr(RotaShift) changed = NULL;
  g_autofree char *date = NULL;
  RotaPlanRow *row;
  RotaShift *shift;
  int day;

  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);

  shift = current_shift (self, shift_id, error);
  if (shift == NULL)
    return FALSE;
  row = row_for_shift (self, shift);
  day = rota_plan_day_of (self, row, rota_shift_get_start (shift));
  /* A shift of the days before, loaded for the rules, is not shown. */
  if (!check_day (self, day < 0 ? G_MAXUINT : (guint) day, error))
    return FALSE;

  if (break_minutes < 0 || break_minutes >= end_minutes - start_minutes)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("The break must be shorter than the shift."));
      return FALSE;
    }

  date = rota_date_add_days (self->first_date, day);
  changed = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (shift)));
  rota_shift_set_times (changed, rota_time_from_local (row->zone, date, start_minutes),
                        rota_time_from_local (row->zone, date, end_minutes));
  rota_shift_set_break_minutes (changed, break_minutes);
  rota_shift_set_note (changed, note != NULL && *note != '\0' ? note : NULL);

  if (rota_entity_equal (ROTA_ENTITY (changed), ROTA_ENTITY (shift)))
    return TRUE;

  g_ptr_array_add (steps, step_new (shift, changed));
  if (!record_group (self, _("Shift changed"), steps, error))
    return FALSE;

  return TRUE;
}

/**
 * rota_plan_move_shift:
 * @to_row: (nullable): the row to move to; %NULL keeps the person
 * @day_delta: days to move by
 * @copy: copy instead of moving
 *
 * Moves or copies a shift to another person or day, keeping its times of
 * day (in the shift's zone, so across a change to or from summer time too).
 *
 * Returns: (transfer full) (nullable): the shift as it is now: the moved
 *   one, or the copy
 */
RotaShift *
rota_plan_move_shift (RotaPlan     *self,
                      const char   *shift_id,
                      RotaPlanRow  *to_row,
                      int           day_delta,
                      gboolean      copy,
                      GError      **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  g_autoptr(RotaShift) moved = NULL;
  g_autofree char *date = NULL;
  RotaPlanRow *row;
  RotaShift *shift;
  const char *label;
  int day, start_minutes, length;

  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  shift = current_shift (self, shift_id, error);
  if (shift == NULL)
    return NULL;
  row = row_for_shift (self, shift);
  if (to_row == NULL)
    to_row = row;
  if (to_row->kind == ROTA_PLAN_ROW_DEPARTMENT)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("A shift belongs to a person or to the open shifts, not to a department’s heading."));
      return NULL;
    }

  /* Nowhere to go: no edit, and the shift stays published. */
  if (to_row == row && day_delta == 0 && !copy)
    return g_object_ref (shift);

  day = rota_plan_day_of (self, row, rota_shift_get_start (shift)) + day_delta;
  if (day < 0 || !check_day (self, day, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                     _("That day is not shown. Go to its week first."));
      return NULL;
    }

  start_minutes = rota_time_local_minutes (rota_shift_get_start (shift), row->zone);
  length = wall_minutes (shift, row->zone);
  date = rota_date_add_days (self->first_date, day);

  moved = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (shift)));
  if (copy)
    {
      g_autoptr(RotaShift) fresh = rota_shift_new_local (NULL, rota_shift_get_department_id (shift), 0, 0,
                                                         rota_shift_get_break_minutes (shift));

      rota_shift_set_note (fresh, rota_shift_get_note (shift));
      g_set_object (&moved, fresh);
    }
  rota_shift_set_employee_id (moved, to_row->employee ? rota_entity_get_id (ROTA_ENTITY (to_row->employee)) : NULL);
  if (to_row->department != NULL && to_row != row)
    rota_shift_set_department_id (moved, rota_entity_get_id (ROTA_ENTITY (to_row->department)));
  rota_shift_set_times (moved, rota_time_from_local (to_row->zone, date, start_minutes),
                        rota_time_from_local (to_row->zone, date, start_minutes + length));
  rota_shift_set_published (moved, FALSE);

  label = copy ? _("Shift copied") : _("Shift moved");
  g_ptr_array_add (steps, step_new (copy ? NULL : shift, moved));
  if (!record_group (self, label, steps, error))
    return NULL;

  return g_steal_pointer (&moved);
}

gboolean
rota_plan_delete_shift (RotaPlan    *self,
                        const char  *shift_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  RotaShift *shift;

  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);

  shift = current_shift (self, shift_id, error);
  if (shift == NULL)
    return FALSE;

  g_ptr_array_add (steps, step_new (shift, NULL));
  if (!record_group (self, _("Shift deleted"), steps, error))
    return FALSE;

  return TRUE;
}

/**
 * rota_plan_copy_to_next_week:
 *
 * Copies every shift shown in the first seven days, for the rows that
 * match the filter, to the same days and times a week later. Runs as one
 * edit: one undo takes all of it back.
 *
 * Returns: how many shifts were copied; 0 with @error set on failure
 */
guint
rota_plan_copy_to_next_week (RotaPlan  *self,
                             GError   **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  GListModel *rows;
  guint n;

  g_return_val_if_fail (ROTA_IS_PLAN (self), 0);

  rows = G_LIST_MODEL (self->visible);
  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);

      for (guint j = 0; j < row->shifts->len; j++)
        {
          RotaShift *shift = g_ptr_array_index (row->shifts, j);
          g_autoptr(RotaShift) copy = NULL;
          g_autofree char *date = NULL;
          int day = rota_plan_day_of (self, row, rota_shift_get_start (shift));
          int start_minutes, length;

          if (day < 0 || day >= 7)
            continue;

          /* A week later by the clock on the wall, not by 168 hours. */
          start_minutes = rota_time_local_minutes (rota_shift_get_start (shift), row->zone);
          length = wall_minutes (shift, row->zone);
          date = rota_date_add_days (self->first_date, day + 7);
          copy = rota_shift_new_local (rota_shift_get_employee_id (shift), rota_shift_get_department_id (shift),
                                       rota_time_from_local (row->zone, date, start_minutes),
                                       rota_time_from_local (row->zone, date, start_minutes + length),
                                       rota_shift_get_break_minutes (shift));
          rota_shift_set_note (copy, rota_shift_get_note (shift));
          g_ptr_array_add (steps, step_new (NULL, copy));
        }
    }

  if (steps->len == 0)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND,
                   _("There are no shifts in this week to copy."));
      return 0;
    }

  if (!record_group (self, _("Week copied"), steps, error))
    return 0;

  return steps->len;
}

/**
 * rota_plan_publish:
 * @first_day: the first day, counted from the first shown
 * @n_days: how many days
 *
 * Publishes every unpublished shift that starts in the days given, in the
 * rows that match the filter. One edit: one undo takes it back.
 *
 * Returns: how many shifts were published; 0 when there were none, with
 *   @error set only on failure
 */
guint
rota_plan_publish (RotaPlan  *self,
                   guint      first_day,
                   guint      n_days,
                   GError   **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  GListModel *rows;
  guint n;

  g_return_val_if_fail (ROTA_IS_PLAN (self), 0);
  g_return_val_if_fail (first_day + n_days <= self->n_days, 0);

  rows = G_LIST_MODEL (self->visible);
  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RotaPlanRow) row = g_list_model_get_item (rows, i);

      for (guint j = 0; j < row->shifts->len; j++)
        {
          RotaShift *shift = g_ptr_array_index (row->shifts, j);
          g_autoptr(RotaShift) published = NULL;
          int day = rota_plan_day_of (self, row, rota_shift_get_start (shift));

          if (day < (int) first_day || day >= (int) (first_day + n_days) || rota_shift_get_published (shift))
            continue;

          published = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (shift)));
          rota_shift_set_published (published, TRUE);
          g_ptr_array_add (steps, step_new (shift, published));
        }
    }

  if (steps->len == 0)
    return 0;

  if (!record_group (self, _("Shifts published"), steps, error))
    return 0;

  return steps->len;
}

gboolean
rota_plan_can_undo (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);

  return self->undo->len > 0;
}

gboolean
rota_plan_can_redo (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);

  return self->redo->len > 0;
}

const char *
rota_plan_get_undo_label (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  return self->undo->len ? ((Group *) g_ptr_array_index (self->undo, self->undo->len - 1))->label : NULL;
}

const char *
rota_plan_get_redo_label (RotaPlan *self)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), NULL);

  return self->redo->len ? ((Group *) g_ptr_array_index (self->redo, self->redo->len - 1))->label : NULL;
}

/* A shift brought back under a new id: every other edit on the undo and
 * redo stacks that names the old id names the new one now, or undoing or
 * redoing it would not find the shift. */
static void
rename_in_stacks (RotaPlan   *self,
                  const char *old_id,
                  const char *new_id)
{
  const RotaField *id_field = rota_entity_class_find_field (g_type_class_peek (ROTA_TYPE_SHIFT), "id");
  GPtrArray *stacks[] = { self->undo, self->redo };

  for (guint s = 0; s < G_N_ELEMENTS (stacks); s++)
    {
      for (guint g = 0; g < stacks[s]->len; g++)
        {
          Group *group = g_ptr_array_index (stacks[s], g);

          for (guint i = 0; i < group->steps->len; i++)
            {
              Step *step = g_ptr_array_index (group->steps, i);
              RotaShift *shifts[] = { step->before, step->after };

              for (guint k = 0; k < G_N_ELEMENTS (shifts); k++)
                if (shifts[k] != NULL && g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (shifts[k])), old_id) == 0)
                  rota_entity_set_string_field (ROTA_ENTITY (shifts[k]), id_field, new_id);
            }
        }
    }
}

/* @now with each field that differs between @from and @to set as in @to. */
static RotaShift *
merge_back (RotaShift *now,
            RotaShift *from,
            RotaShift *to)
{
  RotaShift *target = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (now)));

  if (g_strcmp0 (rota_shift_get_employee_id (from), rota_shift_get_employee_id (to)) != 0)
    rota_shift_set_employee_id (target, rota_shift_get_employee_id (to));
  if (g_strcmp0 (rota_shift_get_department_id (from), rota_shift_get_department_id (to)) != 0)
    rota_shift_set_department_id (target, rota_shift_get_department_id (to));
  if (rota_shift_get_start (from) != rota_shift_get_start (to) ||
      rota_shift_get_end (from) != rota_shift_get_end (to))
    rota_shift_set_times (target, rota_shift_get_start (to), rota_shift_get_end (to));
  if (rota_shift_get_break_minutes (from) != rota_shift_get_break_minutes (to))
    rota_shift_set_break_minutes (target, rota_shift_get_break_minutes (to));
  if (g_strcmp0 (rota_shift_get_note (from), rota_shift_get_note (to)) != 0)
    rota_shift_set_note (target, rota_shift_get_note (to));
  if (rota_shift_get_published (from) != rota_shift_get_published (to))
    rota_shift_set_published (target, rota_shift_get_published (to));

  return target;
}

/* Turns a group around: undoing it is running its steps backwards with
 * before and after swapped. What was deleted comes back under a new id,
 * as a new shift, since the server may have removed the old one already. */
static gboolean
run_inverse (RotaPlan    *self,
             Group       *group,
             gboolean     undo,
             GError     **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new ();
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (step_free);
  gboolean ok;

  for (guint k = 0; k < group->steps->len; k++)
    {
      guint i = undo ? group->steps->len - 1 - k : k;
      Step *step = g_ptr_array_index (group->steps, i);
      RotaShift *from = undo ? step->after : step->before;
      RotaShift *to = undo ? step->before : step->after;
      g_autoptr(RotaShift) now = NULL;
      Step *change;

      if (from != NULL)
        {
          now = stored_shift (self, rota_entity_get_id (ROTA_ENTITY (from)), error);
          if (now == NULL)
            return FALSE;
        }

      if (now != NULL && to != NULL)
        {
          /* Only what the edit changed goes back: what someone else changed
           * since (a synced note, say) stays. */
          g_autoptr(RotaShift) target = merge_back (now, from, to);

          change = step_new (now, target);
        }
      else
        change = step_new (now, to);
      if (from == NULL && to != NULL && rota_plan_find_shift (self, rota_entity_get_id (ROTA_ENTITY (to)), NULL) == NULL)
        {
          /* Bringing back a deleted shift: give it a new id, and let the
           * group remember it for the next undo or redo. */
          RotaShift *renewed = rota_shift_new_local (rota_shift_get_employee_id (to), rota_shift_get_department_id (to),
                                                     rota_shift_get_start (to), rota_shift_get_end (to),
                                                     rota_shift_get_break_minutes (to));

          rota_shift_set_note (renewed, rota_shift_get_note (to));
          rota_shift_set_published (renewed, rota_shift_get_published (to));
          g_clear_object (&change->after);
          change->after = renewed;
        }
      g_ptr_array_add (fresh, change);
      g_ptr_array_add (steps, change);
    }

  ok = run_steps (self, steps, undo ? _("Undo") : _("Redo"), error);
  if (!ok)
    return FALSE;

  /* Keep the ids current: a shift brought back has a new one. */
  for (guint k = 0; k < group->steps->len; k++)
    {
      guint i = undo ? group->steps->len - 1 - k : k;
      Step *step = g_ptr_array_index (group->steps, i);
      Step *change = g_ptr_array_index (fresh, k);
      RotaShift **target = undo ? &step->before : &step->after;

      if (change->after != NULL && *target != NULL)
        {
          g_autofree char *old_id = g_strdup (rota_entity_get_id (ROTA_ENTITY (*target)));
          const char *new_id = rota_entity_get_id (ROTA_ENTITY (change->after));

          /* The step keeps its own values: those are what the edit was
           * about, while change->after also has what others changed. */
          if (g_strcmp0 (old_id, new_id) != 0)
            {
              g_clear_object (target);
              *target = ROTA_SHIFT (rota_entity_copy (ROTA_ENTITY (change->after)));
              rename_in_stacks (self, old_id, new_id);
            }
        }
    }

  return TRUE;
}

/* An edit whose shift is gone can never be undone or redone: it leaves
 * the stack, so that the ones before it can be. */
static void
drop_if_gone (RotaPlan  *self,
              GPtrArray *stack,
              GError   **error)
{
  if (!g_error_matches (*error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_NOT_FOUND))
    return;

  g_ptr_array_remove_index (stack, stack->len - 1);
  g_prefix_error (error, "%s ", _("That edit can no longer be undone or redone and was taken off the list."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* Takes the last group of @from, runs it backwards (undo) or forwards
 * (redo), and moves it onto @to. */
static gboolean
replay (RotaPlan   *self,
        GPtrArray  *from,
        GPtrArray  *to,
        gboolean    undo,
        GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (from->len == 0)
    return TRUE;

  if (!run_inverse (self, g_ptr_array_index (from, from->len - 1), undo, &local_error))
    {
      drop_if_gone (self, from, &local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_ptr_array_add (to, g_ptr_array_steal_index (from, from->len - 1));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);

  return TRUE;
}

gboolean
rota_plan_undo (RotaPlan  *self,
                GError   **error)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);

  return replay (self, self->undo, self->redo, TRUE, error);
}

gboolean
rota_plan_redo (RotaPlan  *self,
                GError   **error)
{
  g_return_val_if_fail (ROTA_IS_PLAN (self), FALSE);

  return replay (self, self->redo, self->undo, FALSE, error);
}
