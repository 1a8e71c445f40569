/* rota-punch-list.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-punch-list"

#include "config.h"

#include <string.h>

#include "rota-department.h"
#include "rota-employee.h"
#include "rota-office.h"
#include "rota-punch-list.h"
#include "rota-time.h"

/*
 * The rows of the Punches page: one per employee-day of a punch report,
 * filtered and sorted here rather than by a GtkFilterListModel and a
 * GtkSortListModel, which would want a GObject for each of the half a
 * million days of a year. The days stay plain structs in one array; an
 * item is made only for a row that is shown.
 *
 * A search, a status or a department filter is one pass over the days
 * with what each person matches worked out once per person, and one
 * items-changed. Days that were edited in this session stay in the list
 * (pinned) until the filter changes, so a row that was just corrected or
 * approved does not jump away from under the keyboard.
 */

typedef struct
{
  char         *id;
  char         *name;
  char         *sort_key;
  char         *search_key;
  RotaEmployee *employee;
  GTimeZone    *zone;
  guint         rank;
  gboolean      matches;
} Person;

struct _RotaPunchList
{
  GObject          parent_instance;

  GPtrArray       *people;         /* Person */
  GHashTable      *person_by_id;   /* borrowed id → Person */
  GPtrArray       *departments;    /* RotaDepartment */
  GHashTable      *zones;          /* office id → GTimeZone */

  GPtrArray       *reports;        /* keep the days' strings alive */
  GArray          *days;           /* RotaPunchDay */
  GPtrArray       *owners;         /* Person of each day */
  GByteArray      *gone;           /* a day a later analysis dropped */
  GArray          *facets;         /* Facet of each day, for filtering */
  GHashTable      *department_numbers; /* department id → number + 1 */
  GHashTable      *day_index;      /* "employee|date" → index + 1 */
  GArray          *visible;        /* guint day indices, in order */
  GHashTable      *pinned;         /* day index + 1 */
  GHashTable      *conflicts;      /* "employee|date" → RotaOutboxItem */
  GHashTable      *items;          /* day index + 1 → RotaPunchItem, not owned */
  GArray          *order;          /* every day index, in the sort's order */
  gboolean         order_valid;
  GArray          *position_of;    /* day index → row, or G_MAXUINT */
  GHashTable      *conflicted;     /* day index + 1 of the conflicts' days */
  GStringChunk    *strings;        /* authors of approvals made here */

  RotaPunchFilter  filter;
  GByteArray      *department_mask; /* by number: a department and those under it, or NULL */
  char            *search;
  RotaPunchSort    sort;
  gboolean         descending;
  guint            counts[3];
};

/* What a filter reads of a day, side by side for all days: a year is
 * 400,000 of them, and a pass over the days themselves (and a string
 * lookup for each day's department) made a status or department switch
 * cost twice as much. */
typedef struct
{
  guint32 flags;      /* RotaDayFlags */
  guint32 department; /* number + 1, or 0 for none */
} Facet;

struct _RotaPunchItem
{
  GObject        parent_instance;

  RotaPunchList *list;
  guint          index;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE (RotaPunchItem, rota_punch_item, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE_WITH_CODE (RotaPunchList, rota_punch_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
person_free (Person *person)
{
  g_free (person->id);
  g_free (person->name);
  g_free (person->sort_key);
  g_free (person->search_key);
  g_clear_object (&person->employee);
  g_clear_pointer (&person->zone, g_time_zone_unref);
  g_free (person);
}

static char *
day_key (const char *employee_id,
         const char *work_date)
{
  return g_strconcat (employee_id, "|", work_date, NULL);
}

/* Days */

/**
 * rota_punch_day_needs_review:
 *
 * Whether a day waits for a human: it has a problem, or it was corrected,
 * and nobody approved it since.
 */
static gboolean
flags_need_review (RotaDayFlags flags)
{
  if (flags & (ROTA_DAY_APPROVED | ROTA_DAY_REJECTED))
    return FALSE;

  return (flags & (ROTA_DAY_NEEDS_REVIEW | ROTA_DAY_CORRECTED)) != 0;
}

gboolean
rota_punch_day_needs_review (const RotaPunchDay *day)
{
  return flags_need_review (day->flags);
}

/**
 * rota_punch_day_can_approve:
 *
 * Whether a day's worked time is known, so that it can be approved: not
 * while someone is still clocked in, and not with a clock-in or clock-out
 * missing or doubled (those need a correction first).
 */
gboolean
rota_punch_day_can_approve (const RotaPunchDay *day)
{
  if (day->flags & ROTA_DAY_APPROVED)
    return FALSE;

  return (day->flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_OVERLAP | ROTA_DAY_WORKING)) == 0 &&
         (day->n_punches > 0 || day->n_shifts > 0);
}

/* Items */

static void
rota_punch_item_finalize (GObject *object)
{
  RotaPunchItem *self = ROTA_PUNCH_ITEM (object);

  /* The list may have a newer item for the day (its day changed). */
  if (self->list != NULL && self->list->items != NULL &&
      g_hash_table_lookup (self->list->items, GUINT_TO_POINTER (self->index + 1)) == self)
    g_hash_table_remove (self->list->items, GUINT_TO_POINTER (self->index + 1));
  g_clear_object (&self->list);

  G_OBJECT_CLASS (rota_punch_item_parent_class)->finalize (object);
}

static void
rota_punch_item_class_init (RotaPunchItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rota_punch_item_finalize;
}

static void
rota_punch_item_init (RotaPunchItem *self)
{
}

const RotaPunchDay *
rota_punch_item_get_day (RotaPunchItem *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_ITEM (self), NULL);

  return &g_array_index (self->list->days, RotaPunchDay, self->index);
}

const char *
rota_punch_item_get_name (RotaPunchItem *self)
{
  Person *person;

  g_return_val_if_fail (ROTA_IS_PUNCH_ITEM (self), NULL);

  person = g_ptr_array_index (self->list->owners, self->index);

  return person->name;
}

/**
 * rota_punch_item_get_employee:
 *
 * Returns: (transfer none): the employee of the day
 */
RotaEmployee *
rota_punch_item_get_employee (RotaPunchItem *self)
{
  Person *person;

  g_return_val_if_fail (ROTA_IS_PUNCH_ITEM (self), NULL);

  person = g_ptr_array_index (self->list->owners, self->index);

  return person->employee;
}

/**
 * rota_punch_item_get_zone:
 *
 * Returns: (transfer none): the time zone of the day's office
 */
GTimeZone *
rota_punch_item_get_zone (RotaPunchItem *self)
{
  Person *person;

  g_return_val_if_fail (ROTA_IS_PUNCH_ITEM (self), NULL);

  person = g_ptr_array_index (self->list->owners, self->index);

  return person->zone;
}

/**
 * rota_punch_item_get_conflict:
 *
 * Returns: (nullable): an edit of this day the server refused, or %NULL
 */
const RotaOutboxItem *
rota_punch_item_get_conflict (RotaPunchItem *self)
{
  const RotaPunchDay *day;
  g_autofree char *key = NULL;

  g_return_val_if_fail (ROTA_IS_PUNCH_ITEM (self), NULL);

  if (self->list->conflicts == NULL)
    return NULL;

  day = rota_punch_item_get_day (self);
  key = day_key (day->employee_id, day->work_date);

  return g_hash_table_lookup (self->list->conflicts, key);
}

gboolean
rota_punch_item_needs_review (RotaPunchItem *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_ITEM (self), FALSE);

  return rota_punch_day_needs_review (rota_punch_item_get_day (self)) ||
         rota_punch_item_get_conflict (self) != NULL;
}

/* GListModel */

static GType
list_get_item_type (GListModel *model)
{
  return ROTA_TYPE_PUNCH_ITEM;
}

static guint
list_get_n_items (GListModel *model)
{
  return ROTA_PUNCH_LIST (model)->visible->len;
}

/* The same day is the same item while anyone holds it: GTK 4.8 keeps a
 * row's widgets only for an item it already has, so a filter that leaves a
 * row where it was does not build it again. */
static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  RotaPunchList *self = ROTA_PUNCH_LIST (model);
  RotaPunchItem *item;
  guint index;

  if (position >= self->visible->len)
    return NULL;

  index = g_array_index (self->visible, guint, position);
  item = g_hash_table_lookup (self->items, GUINT_TO_POINTER (index + 1));
  if (item != NULL)
    return g_object_ref (item);

  item = g_object_new (ROTA_TYPE_PUNCH_ITEM, NULL);
  item->list = g_object_ref (self);
  item->index = index;
  g_hash_table_insert (self->items, GUINT_TO_POINTER (index + 1), item);

  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* Filtering and sorting */

static int
status_rank (const RotaPunchDay *day)
{
  RotaDayFlags primary = rota_day_flags_primary (day->flags);

  /* Problems first, in the order of the flags; approved days last. */
  if (primary & (ROTA_DAY_APPROVED | ROTA_DAY_REJECTED))
    return 64;
  if (primary == ROTA_DAY_NONE)
    return 63;

  return g_bit_nth_lsf (primary, -1);
}

static gint64
sort_value (RotaPunchList      *self,
            const RotaPunchDay *day)
{
  switch (self->sort)
    {
    case ROTA_PUNCH_SORT_PLANNED:   return day->planned_start;
    case ROTA_PUNCH_SORT_CLOCKED:   return day->clocked_start;
    case ROTA_PUNCH_SORT_BREAK:     return day->break_seconds;
    case ROTA_PUNCH_SORT_WORKED:    return day->worked_seconds;
    case ROTA_PUNCH_SORT_DEVIATION: return day->deviation_seconds;
    case ROTA_PUNCH_SORT_STATUS:    return status_rank (day);
    case ROTA_PUNCH_SORT_DAY:       return day->julian;
    case ROTA_PUNCH_SORT_EMPLOYEE:
    default:                        return 0;
    }
}

static int
compare_visible (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  RotaPunchList *self = data;
  guint i = *(const guint *) a;
  guint j = *(const guint *) b;
  const RotaPunchDay *x = &g_array_index (self->days, RotaPunchDay, i);
  const RotaPunchDay *y = &g_array_index (self->days, RotaPunchDay, j);
  const Person *p = g_ptr_array_index (self->owners, i);
  const Person *q = g_ptr_array_index (self->owners, j);
  gint64 u = sort_value (self, x);
  gint64 v = sort_value (self, y);
  int result = 0;

  if (u != v)
    result = u < v ? -1 : 1;
  else if (self->sort == ROTA_PUNCH_SORT_DAY && p->rank != q->rank)
    result = p->rank < q->rank ? -1 : 1;
  else if (p->rank != q->rank)
    result = p->rank < q->rank ? -1 : 1;
  else if (x->julian != y->julian)
    result = x->julian < y->julian ? -1 : 1;

  return self->descending ? -result : result;
}

static gboolean
passes (RotaPunchList *self,
        guint          index,
        guint          counts[3])
{
  const Facet *facet = &g_array_index (self->facets, Facet, index);
  const Person *person = g_ptr_array_index (self->owners, index);
  gboolean review;
  gboolean approved;

  if (self->gone->data[index] || !person->matches)
    return FALSE;
  if (self->department_mask != NULL &&
      (facet->department == 0 || facet->department > self->department_mask->len ||
       !self->department_mask->data[facet->department - 1]))
    return FALSE;

  approved = (facet->flags & ROTA_DAY_APPROVED) != 0;
  review = flags_need_review (facet->flags) ||
           (g_hash_table_size (self->conflicted) > 0 &&
            g_hash_table_contains (self->conflicted, GUINT_TO_POINTER (index + 1)));

  counts[ROTA_PUNCH_FILTER_ALL]++;
  if (review)
    counts[ROTA_PUNCH_FILTER_NEEDS_REVIEW]++;
  if (approved)
    counts[ROTA_PUNCH_FILTER_APPROVED]++;

  switch (self->filter)
    {
    case ROTA_PUNCH_FILTER_NEEDS_REVIEW:
      return review || (g_hash_table_size (self->pinned) > 0 &&
                        g_hash_table_contains (self->pinned, GUINT_TO_POINTER (index + 1)));
    case ROTA_PUNCH_FILTER_APPROVED:
      return approved || (g_hash_table_size (self->pinned) > 0 &&
                          g_hash_table_contains (self->pinned, GUINT_TO_POINTER (index + 1)));
    case ROTA_PUNCH_FILTER_ALL:
    default:
      return TRUE;
    }
}

#define BIG_CHANGE 2000

static void
index_positions (RotaPunchList *self)
{
  g_array_set_size (self->position_of, self->days->len);
  memset (self->position_of->data, 0xff, self->days->len * sizeof (guint));
  for (guint pos = 0; pos < self->visible->len; pos++)
    g_array_index (self->position_of, guint, g_array_index (self->visible, guint, pos)) = pos;
}

/* Works out the rows again. @changed (nullable): day indices whose rows
 * must be drawn again even when the rows stay where they are. */
static void
refilter (RotaPunchList *self,
          GHashTable    *changed)
{
  g_autoptr(GArray) visible = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->visible->len);
  guint counts[3] = { 0, 0, 0 };
  guint old_len = self->visible->len;
  GHashTableIter iter;
  gpointer key;

  /* A day that changed gets a new item, so that its row is bound again. */
  if (changed != NULL)
    {
      g_hash_table_iter_init (&iter, changed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_remove (self->items, key);
    }

  /* The days of the conflicts, found once rather than per day. */
  g_hash_table_remove_all (self->conflicted);
  if (self->conflicts != NULL)
    {
      g_hash_table_iter_init (&iter, self->conflicts);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gpointer found = g_hash_table_lookup (self->day_index, key);

          if (found != NULL)
            g_hash_table_add (self->conflicted, found);
        }
    }

  /* All days are kept in the sort's order, so a filter is one pass and
   * no sort: a year is 400,000 days. */
  if (!self->order_valid)
    {
      g_array_set_size (self->order, self->days->len);
      for (guint i = 0; i < self->days->len; i++)
        g_array_index (self->order, guint, i) = i;
      g_array_sort_with_data (self->order, compare_visible, self);
      self->order_valid = TRUE;
    }

  for (guint k = 0; k < self->order->len; k++)
    {
      guint i = g_array_index (self->order, guint, k);

      if (passes (self, i, counts))
        g_array_append_val (visible, i);
    }

  memcpy (self->counts, counts, sizeof counts);

  if (visible->len == old_len &&
      memcmp (visible->data, self->visible->data, old_len * sizeof (guint)) == 0)
    {
      if (self->position_of->len != self->days->len)
        index_positions (self);
      /* The same rows: only those that changed are drawn again. */
      for (guint pos = 0; changed != NULL && pos < visible->len; pos++)
        if (g_hash_table_contains (changed, GUINT_TO_POINTER (g_array_index (visible, guint, pos) + 1)))
          g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
      return;
    }

  /* Only the part between what stayed at the start and at the end
   * changed: the rows around it keep their widgets. */
  {
    const guint *before = (const guint *) self->visible->data;
    const guint *after = (const guint *) visible->data;
    guint new_len = visible->len;
    guint prefix = 0;
    guint suffix = 0;

    while (prefix < old_len && prefix < new_len && before[prefix] == after[prefix])
      prefix++;
    while (suffix < old_len - prefix && suffix < new_len - prefix &&
           before[old_len - 1 - suffix] == after[new_len - 1 - suffix])
      suffix++;

    /* A big change goes out as a removal and then an addition. As one
     * change, GTK 4.8's list item manager looks for the rows it keeps its
     * place by among every added row, asking the model for each: 400,000
     * items made and dropped for a year. In two, there is nothing to look
     * through; the view starts again at the top, as after a new filter it
     * should. */
    if ((old_len - prefix - suffix) + (new_len - prefix - suffix) > BIG_CHANGE)
      {
        g_autoptr(GArray) kept = g_array_sized_new (FALSE, FALSE, sizeof (guint), prefix + suffix);

        g_array_append_vals (kept, before, prefix);
        g_array_append_vals (kept, before + old_len - suffix, suffix);
        g_array_unref (self->visible);
        self->visible = g_steal_pointer (&kept);
        index_positions (self);
        g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix - suffix, 0);

        g_array_unref (self->visible);
        self->visible = g_steal_pointer (&visible);
        index_positions (self);
        g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, new_len - prefix - suffix);
      }
    else
      {
        g_array_unref (self->visible);
        self->visible = g_steal_pointer (&visible);
        index_positions (self);
        g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix - suffix, new_len - prefix - suffix);
      }

    /* Rows that stayed but whose day changed are drawn again. */
    for (guint pos = 0; changed != NULL && pos < new_len; pos++)
      if ((pos < prefix || pos >= new_len - suffix) &&
          g_hash_table_contains (changed, GUINT_TO_POINTER (g_array_index (self->visible, guint, pos) + 1)))
        g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
  }
}

/* GObject */

static void
rota_punch_list_finalize (GObject *object)
{
  RotaPunchList *self = ROTA_PUNCH_LIST (object);

  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->person_by_id, g_hash_table_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->zones, g_hash_table_unref);
  g_clear_pointer (&self->reports, g_ptr_array_unref);
  g_clear_pointer (&self->days, g_array_unref);
  g_clear_pointer (&self->owners, g_ptr_array_unref);
  g_clear_pointer (&self->gone, g_byte_array_unref);
  g_clear_pointer (&self->day_index, g_hash_table_unref);
  g_clear_pointer (&self->visible, g_array_unref);
  g_clear_pointer (&self->pinned, g_hash_table_unref);
  g_clear_pointer (&self->conflicts, g_hash_table_unref);
  g_clear_pointer (&self->department_mask, g_byte_array_unref);
  g_clear_pointer (&self->facets, g_array_unref);
  g_clear_pointer (&self->department_numbers, g_hash_table_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->position_of, g_array_unref);
  g_clear_pointer (&self->conflicted, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_free (self->search);

  G_OBJECT_CLASS (rota_punch_list_parent_class)->finalize (object);
}

static void
rota_punch_list_class_init (RotaPunchListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rota_punch_list_finalize;
}

static void
rota_punch_list_init (RotaPunchList *self)
{
  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) person_free);
  self->person_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->departments = g_ptr_array_new_with_free_func (g_object_unref);
  self->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_time_zone_unref);
  self->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_punch_report_unref);
  self->days = g_array_new (FALSE, FALSE, sizeof (RotaPunchDay));
  self->owners = g_ptr_array_new ();
  self->gone = g_byte_array_new ();
  self->facets = g_array_new (FALSE, FALSE, sizeof (Facet));
  self->department_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->day_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->visible = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pinned = g_hash_table_new (NULL, NULL);
  self->items = g_hash_table_new (NULL, NULL);
  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
  self->position_of = g_array_new (FALSE, FALSE, sizeof (guint));
  self->conflicted = g_hash_table_new (NULL, NULL);
  self->strings = g_string_chunk_new (256);
}

RotaPunchList *
rota_punch_list_new (void)
{
  return g_object_new (ROTA_TYPE_PUNCH_LIST, NULL);
}

static int
compare_people (gconstpointer a,
                gconstpointer b)
{
  const Person *p = *(Person * const *) a;
  const Person *q = *(Person * const *) b;
  int result = g_utf8_collate (p->sort_key, q->sort_key);

  return result != 0 ? result : strcmp (p->id, q->id);
}

static void
clear_days (RotaPunchList *self)
{
  guint old_len = self->visible->len;

  /* The rows go first, while their days are still there. */
  g_array_set_size (self->visible, 0);
  g_hash_table_remove_all (self->items);
  if (old_len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, 0);

  g_ptr_array_set_size (self->reports, 0);
  g_array_set_size (self->days, 0);
  g_ptr_array_set_size (self->owners, 0);
  g_byte_array_set_size (self->gone, 0);
  g_array_set_size (self->facets, 0);
  g_hash_table_remove_all (self->day_index);
  g_hash_table_remove_all (self->pinned);
  g_array_set_size (self->order, 0);
  g_array_set_size (self->position_of, 0);
  self->order_valid = FALSE;
}

/**
 * rota_punch_list_set_people:
 * @employees: (element-type RotaEmployee): everyone whose days can show
 * @departments: (element-type RotaDepartment): for the names, offices and
 *   the department filter
 * @offices: (element-type RotaOffice): for the time zones
 *
 * Drops the days shown: set a report after this.
 */
void
rota_punch_list_set_people (RotaPunchList *self,
                            GPtrArray     *employees,
                            GPtrArray     *departments,
                            GPtrArray     *offices)
{
  g_autoptr(GHashTable) office_of_department = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (ROTA_IS_PUNCH_LIST (self));

  clear_days (self);
  g_hash_table_remove_all (self->person_by_id);
  g_ptr_array_set_size (self->people, 0);
  g_ptr_array_set_size (self->departments, 0);
  g_hash_table_remove_all (self->zones);

  for (guint i = 0; offices != NULL && i < offices->len; i++)
    {
      RotaOffice *office = g_ptr_array_index (offices, i);

      g_hash_table_insert (self->zones, g_strdup (rota_entity_get_id (ROTA_ENTITY (office))),
                           g_time_zone_ref (rota_time_zone_get (rota_office_get_time_zone (office))));
    }

  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (departments, i);

      g_ptr_array_add (self->departments, g_object_ref (department));
      g_hash_table_insert (office_of_department, (char *) rota_entity_get_id (ROTA_ENTITY (department)),
                           (char *) rota_department_get_office_id (department));
    }

  for (guint i = 0; employees != NULL && i < employees->len; i++)
    {
      RotaEmployee *employee = g_ptr_array_index (employees, i);
      const char * const *department_ids = rota_employee_get_department_ids (employee);
      const char *office_id = NULL;
      GTimeZone *zone = NULL;
      Person *person = g_new0 (Person, 1);
      g_autofree char *sort = NULL;

      if (department_ids != NULL && department_ids[0] != NULL)
        office_id = g_hash_table_lookup (office_of_department, department_ids[0]);
      if (office_id != NULL)
        zone = g_hash_table_lookup (self->zones, office_id);

      person->id = g_strdup (rota_entity_get_id (ROTA_ENTITY (employee)));
      person->employee = g_object_ref (employee);
      person->name = rota_employee_dup_name (employee);
      sort = g_strdup_printf ("%s %s", rota_employee_get_last_name (employee),
                              rota_employee_get_first_name (employee));
      person->sort_key = rota_text_fold (sort);
      person->search_key = rota_text_fold (person->name);
      person->zone = g_time_zone_ref (zone != NULL ? zone : rota_time_zone_get (NULL));
      person->matches = TRUE;
      g_ptr_array_add (self->people, person);
    }

  g_ptr_array_sort (self->people, compare_people);
  for (guint i = 0; i < self->people->len; i++)
    {
      Person *person = g_ptr_array_index (self->people, i);

      person->rank = i;
      g_hash_table_insert (self->person_by_id, person->id, person);
    }
}

/* A department's number + 1, given on first sight; 0 for none. */
static guint
department_number (RotaPunchList *self,
                   const char    *department_id)
{
  gpointer found;

  if (department_id == NULL)
    return 0;

  found = g_hash_table_lookup (self->department_numbers, department_id);
  if (found == NULL)
    {
      found = GUINT_TO_POINTER (g_hash_table_size (self->department_numbers) + 1);
      g_hash_table_insert (self->department_numbers, g_strdup (department_id), found);
    }

  return GPOINTER_TO_UINT (found);
}

static gboolean
add_day (RotaPunchList      *self,
         const RotaPunchDay *day,
         GHashTable         *changed)
{
  g_autofree char *key = day_key (day->employee_id, day->work_date);
  gpointer found = g_hash_table_lookup (self->day_index, key);
  Person *person = g_hash_table_lookup (self->person_by_id, day->employee_id);
  Facet facet;
  guint index;

  /* Days of someone not listed (no longer employed, or not readable
   * with this token) are not shown. */
  if (person == NULL)
    return FALSE;

  facet.flags = day->flags;
  facet.department = department_number (self, day->department_id);
  if (found != NULL)
    {
      index = GPOINTER_TO_UINT (found) - 1;
      g_array_index (self->days, RotaPunchDay, index) = *day;
      g_array_index (self->facets, Facet, index) = facet;
      self->gone->data[index] = FALSE;
    }
  else
    {
      guint8 zero = 0;

      index = self->days->len;
      g_array_append_val (self->days, *day);
      g_array_append_val (self->facets, facet);
      g_ptr_array_add (self->owners, person);
      g_byte_array_append (self->gone, &zero, 1);
      g_hash_table_insert (self->day_index, g_steal_pointer (&key), GUINT_TO_POINTER (index + 1));
    }

  if (changed != NULL)
    g_hash_table_add (changed, GUINT_TO_POINTER (index + 1));
  self->order_valid = FALSE;

  return TRUE;
}

/**
 * rota_punch_list_set_report:
 * @report: (nullable): the days to show
 */
void
rota_punch_list_set_report (RotaPunchList   *self,
                            RotaPunchReport *report)
{
  guint n;

  g_return_if_fail (ROTA_IS_PUNCH_LIST (self));

  clear_days (self);
  if (report == NULL)
    return;

  g_ptr_array_add (self->reports, rota_punch_report_ref (report));
  n = rota_punch_report_get_n_days (report);
  g_array_set_size (self->days, 0);
  for (guint i = 0; i < n; i++)
    add_day (self, rota_punch_report_get_day (report, i), NULL);

  refilter (self, NULL);
}

/**
 * rota_punch_list_replace_employee:
 * @report: one employee's days after an edit, over the period shown
 *
 * Puts in one employee's days again. The rows of that employee stay
 * where they are, even when the filter would now leave them out.
 */
void
rota_punch_list_replace_employee (RotaPunchList   *self,
                                  const char      *employee_id,
                                  RotaPunchReport *report)
{
  g_autoptr(GHashTable) changed = g_hash_table_new (NULL, NULL);
  guint n;

  g_return_if_fail (ROTA_IS_PUNCH_LIST (self));
  g_return_if_fail (employee_id != NULL);
  g_return_if_fail (report != NULL);

  /* What shows of this employee now stays in view. */
  for (guint pos = 0; pos < self->visible->len; pos++)
    {
      guint index = g_array_index (self->visible, guint, pos);

      if (g_str_equal (g_array_index (self->days, RotaPunchDay, index).employee_id, employee_id))
        g_hash_table_add (self->pinned, GUINT_TO_POINTER (index + 1));
    }

  /* Days the new analysis does not have any more (every punch voided)
   * go; the others are replaced in place. */
  for (guint i = 0; i < self->days->len; i++)
    if (g_str_equal (g_array_index (self->days, RotaPunchDay, i).employee_id, employee_id))
      self->gone->data[i] = TRUE;

  g_ptr_array_add (self->reports, rota_punch_report_ref (report));
  n = rota_punch_report_get_n_days (report);
  for (guint i = 0; i < n; i++)
    {
      const RotaPunchDay *day = rota_punch_report_get_day (report, i);

      if (g_str_equal (day->employee_id, employee_id))
        add_day (self, day, changed);
    }

  refilter (self, changed);
}

/**
 * rota_punch_list_set_conflicts:
 * @conflicts: (nullable) (transfer none): "employee|date" → RotaOutboxItem
 *   of the edits the server refused
 */
void
rota_punch_list_set_conflicts (RotaPunchList *self,
                               GHashTable    *conflicts)
{
  g_autoptr(GHashTable) changed = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (ROTA_IS_PUNCH_LIST (self));

  /* The rows that had a conflict and those that have one now. */
  for (int pass = 0; pass < 2; pass++)
    {
      GHashTable *table = pass == 0 ? self->conflicts : conflicts;

      if (table == NULL)
        continue;
      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gpointer found = g_hash_table_lookup (self->day_index, key);

          if (found != NULL)
            g_hash_table_add (changed, found);
        }
    }

  g_clear_pointer (&self->conflicts, g_hash_table_unref);
  if (conflicts != NULL)
    self->conflicts = g_hash_table_ref (conflicts);

  refilter (self, changed);
}

static void
add_department_tree (RotaPunchList *self,
                     GHashTable    *set,
                     const char    *department_id)
{
  if (g_hash_table_contains (set, department_id))
    return;
  g_hash_table_add (set, (char *) department_id);

  for (guint i = 0; i < self->departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (self->departments, i);

      if (g_strcmp0 (rota_department_get_parent_id (department), department_id) == 0)
        add_department_tree (self, set, rota_entity_get_id (ROTA_ENTITY (department)));
    }
}

/**
 * rota_punch_list_set_filter:
 * @department_id: (nullable): a department: it and those under it
 * @search: (nullable): part of a name; case and accents do not matter
 */
void
rota_punch_list_set_filter (RotaPunchList   *self,
                            RotaPunchFilter  filter,
                            const char      *department_id,
                            const char      *search)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (ROTA_IS_PUNCH_LIST (self));

  if (search != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (search));

      if (*stripped != '\0')
        folded = rota_text_fold (stripped);
    }

  self->filter = filter;
  g_clear_pointer (&self->department_mask, g_byte_array_unref);
  if (department_id != NULL && *department_id != '\0')
    {
      g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      gpointer key;

      add_department_tree (self, set, department_id);
      self->department_mask = g_byte_array_new ();
      g_hash_table_iter_init (&iter, set);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          guint number = department_number (self, key);

          if (number > self->department_mask->len)
            {
              guint old_len = self->department_mask->len;

              g_byte_array_set_size (self->department_mask, number);
              memset (self->department_mask->data + old_len, 0, number - old_len);
            }
          self->department_mask->data[number - 1] = TRUE;
        }
    }

  /* Each person is matched once, not each of their days. */
  if (g_strcmp0 (folded, self->search) != 0)
    {
      g_free (self->search);
      self->search = g_steal_pointer (&folded);
      for (guint i = 0; i < self->people->len; i++)
        {
          Person *person = g_ptr_array_index (self->people, i);

          person->matches = self->search == NULL || strstr (person->search_key, self->search) != NULL;
        }
    }

  g_hash_table_remove_all (self->pinned);
  refilter (self, NULL);
}

void
rota_punch_list_set_sort (RotaPunchList *self,
                          RotaPunchSort  sort,
                          gboolean       descending)
{
  g_return_if_fail (ROTA_IS_PUNCH_LIST (self));

  if (self->sort == sort && self->descending == descending)
    return;

  self->sort = sort;
  self->descending = descending;
  self->order_valid = FALSE;

  /* In two changes when big, as in refilter(). */
  if (self->visible->len > BIG_CHANGE)
    {
      g_autoptr(GArray) sorted = self->visible;
      guint n = sorted->len;

      self->visible = g_array_new (FALSE, FALSE, sizeof (guint));
      index_positions (self);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
      g_array_sort_with_data (sorted, compare_visible, self);
      g_array_unref (self->visible);
      self->visible = g_steal_pointer (&sorted);
      index_positions (self);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, n);
      return;
    }

  g_array_sort_with_data (self->visible, compare_visible, self);
  index_positions (self);
  if (self->visible->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, self->visible->len, self->visible->len);
}

/**
 * rota_punch_list_count:
 *
 * Returns: how many days the department and the search leave that pass
 *   @filter
 */
guint
rota_punch_list_count (RotaPunchList   *self,
                       RotaPunchFilter  filter)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_LIST (self), 0);
  g_return_val_if_fail (filter <= ROTA_PUNCH_FILTER_APPROVED, 0);

  return self->counts[filter];
}

/**
 * rota_punch_list_next_to_review:
 * @after: a position, or %GTK_INVALID_LIST_POSITION to start at the top
 *
 * Returns: the next row after @after that needs review, going round to
 *   the top, or %G_MAXUINT when none does
 */
guint
rota_punch_list_next_to_review (RotaPunchList *self,
                                guint          after)
{
  guint n;
  guint start;

  g_return_val_if_fail (ROTA_IS_PUNCH_LIST (self), G_MAXUINT);

  n = self->visible->len;
  start = after >= n ? 0 : after + 1;
  for (guint k = 0; k < n; k++)
    {
      guint pos = (start + k) % n;
      guint index = g_array_index (self->visible, guint, pos);
      const RotaPunchDay *day = &g_array_index (self->days, RotaPunchDay, index);
      if (rota_punch_day_needs_review (day) || g_hash_table_contains (self->conflicted, GUINT_TO_POINTER (index + 1)))
        return pos;
    }

  return G_MAXUINT;
}

/**
 * rota_punch_list_find:
 *
 * Returns: the row of an employee-day, or %G_MAXUINT when it is not shown
 */
guint
rota_punch_list_find (RotaPunchList *self,
                      const char    *employee_id,
                      const char    *work_date)
{
  g_autofree char *key = NULL;
  gpointer found;
  guint index;

  g_return_val_if_fail (ROTA_IS_PUNCH_LIST (self), G_MAXUINT);

  key = day_key (employee_id, work_date);
  found = g_hash_table_lookup (self->day_index, key);
  if (found == NULL)
    return G_MAXUINT;

  index = GPOINTER_TO_UINT (found) - 1;
  if (index >= self->position_of->len)
    return G_MAXUINT;

  return g_array_index (self->position_of, guint, index);
}

/**
 * rota_punch_list_mark_approved:
 * @positions: rows approved just now
 * @author: who approved them
 * @at: when
 *
 * Shows rows as approved without working their days out again: an
 * approval for the day's version is exactly what makes the analysis call
 * a day approved.
 */
void
rota_punch_list_mark_approved (RotaPunchList *self,
                               GArray        *positions,
                               const char    *author,
                               gint64         at)
{
  g_autoptr(GHashTable) changed = g_hash_table_new (NULL, NULL);
  const char *kept;

  g_return_if_fail (ROTA_IS_PUNCH_LIST (self));
  g_return_if_fail (positions != NULL);

  kept = g_string_chunk_insert_const (self->strings, author != NULL ? author : "");
  for (guint i = 0; i < positions->len; i++)
    {
      guint pos = g_array_index (positions, guint, i);
      guint index;
      RotaPunchDay *day;

      if (pos >= self->visible->len)
        continue;
      index = g_array_index (self->visible, guint, pos);
      day = &g_array_index (self->days, RotaPunchDay, index);
      day->flags |= ROTA_DAY_APPROVED;
      g_array_index (self->facets, Facet, index).flags = day->flags;
      day->approved_by = kept;
      day->approved_at = at;
      g_hash_table_add (changed, GUINT_TO_POINTER (index + 1));
      g_hash_table_add (self->pinned, GUINT_TO_POINTER (index + 1));
    }

  if (self->sort == ROTA_PUNCH_SORT_STATUS)
    self->order_valid = FALSE;
  refilter (self, changed);
}

/**
 * rota_punch_list_get_zone_of:
 *
 * Returns: (transfer none): the time zone an employee's days are counted
 *   in (their office's), or the default one for someone not listed
 */
GTimeZone *
rota_punch_list_get_zone_of (RotaPunchList *self,
                             const char    *employee_id)
{
  Person *person;

  g_return_val_if_fail (ROTA_IS_PUNCH_LIST (self), NULL);

  person = employee_id != NULL ? g_hash_table_lookup (self->person_by_id, employee_id) : NULL;

  return person != NULL ? person->zone : rota_time_zone_get (NULL);
}
