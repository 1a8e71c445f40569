/* rota-mirror.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-mirror"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-mirror.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-store-mirror.h"
#include "rota-time.h"

/*
 * The read-only mirror of a plain Dyflexis server (DESIGN §4: "against
 * plain Dyflexis, re-pull a date window and diff"). Dyflexis has no
 * change feed, so a pull reads the department tree, every employee, and
 * the window's scheduled shifts, sick leave and registered hours, and the
 * store makes its copy of the window equal to what was read.
 *
 * Everything is read and decoded before anything is written: a page that
 * is malformed, cut short, too large or inconsistent, or a record that
 * does not decode, fails the pull with the store exactly as it was. Only
 * then is it all applied in one transaction (rota_store_apply_mirror()).
 *
 * The records are read with the one codec, by their Dyflexis member names
 * (reference/dyflexis-api.md §3). Ids may be JSON strings (Rota's own
 * server) or integers (Dyflexis): the codec takes both for an id field.
 * What Dyflexis leaves out and a Rota entity needs is filled in here
 * before decoding, and said where.
 */

G_DEFINE_QUARK (rota-mirror-error-quark, rota_mirror_error)

typedef enum
{
  LIST_TREE,
  LIST_EMPLOYEES,
  LIST_SCHEDULED,
  LIST_SICK_LEAVE,
  LIST_REGISTERED_HOURS,
  N_LISTS
} ListKind;

typedef struct
{
  const char *step;
  const char *path;
  const char *member;
  gboolean    windowed;
} ListSpec;

static const ListSpec lists[N_LISTS] = {
  [LIST_TREE] = { "tree", "api/department-management/v3/tree", "offices", FALSE },
  [LIST_EMPLOYEES] = { "employees", "api/business/v3/employees", "employees", FALSE },
  [LIST_SCHEDULED] = { "scheduled", "api/business/v3/scheduled", "shifts", TRUE },
  [LIST_SICK_LEAVE] = { "sick-leave", "api/absence/v3/sick-leave", "sickLeave", TRUE },
  [LIST_REGISTERED_HOURS] = { "registered-hours", "api/business/v3/registered-hours", "registeredHours", TRUE },
};

/* One pull. */
typedef struct
{
  RotaStore           *store;
  RotaClient          *client;
  RotaMirrorProgress   progress;
  gpointer             user_data;
  GCancellable        *cancellable;
  GPtrArray           *parts;        /* the window in parts: start, end, start, end, … */
  guint                done;
  guint                total;

  /* What was read; NULL when the token may not read the list. */
  GPtrArray           *offices;
  GPtrArray           *departments;
  GPtrArray           *employees;
  GPtrArray           *shifts;
  GPtrArray           *sick_leave;
  GPtrArray           *registered_hours;
} Pull;

static void
pull_clear (Pull *pull)
{
  g_clear_pointer (&pull->parts, g_ptr_array_unref);
  g_clear_pointer (&pull->offices, g_ptr_array_unref);
  g_clear_pointer (&pull->departments, g_ptr_array_unref);
  g_clear_pointer (&pull->employees, g_ptr_array_unref);
  g_clear_pointer (&pull->shifts, g_ptr_array_unref);
  g_clear_pointer (&pull->sick_leave, g_ptr_array_unref);
  g_clear_pointer (&pull->registered_hours, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pull, pull_clear)

static void
report (Pull       *pull,
        const char *step)
{
  pull->done++;
  if (pull->progress != NULL)
    pull->progress (step, pull->done, pull->total, pull->user_data);
}

/* Reading */

static void
prefix_list_error (GError     **error,
                   ListKind     kind,
                   const char  *start_date,
                   const char  *end_date)
{
  switch (kind)
    {
    case LIST_TREE:
      g_prefix_error (error, _("Reading the offices and departments: "));
      break;
    case LIST_EMPLOYEES:
      g_prefix_error (error, _("Reading the employees: "));
      break;
    case LIST_SCHEDULED:
      g_prefix_error (error, _("Reading the scheduled shifts from %s to %s: "), start_date, end_date);
      break;
    case LIST_SICK_LEAVE:
      g_prefix_error (error, _("Reading the sick leave from %s to %s: "), start_date, end_date);
      break;
    case LIST_REGISTERED_HOURS:
      g_prefix_error (error, _("Reading the registered hours from %s to %s: "), start_date, end_date);
      break;
    case N_LISTS:
    default:
      g_assert_not_reached ();
    }
}

/*
 * Every page of one list. A token without the list's scope gets 403 on
 * its first page: then *forbidden is set and NULL returned without an
 * error, and the list is skipped. The client reports 401 and 403 alike,
 * so the first page is asked for once more to tell them apart; 401 (a
 * token the server does not know) and a 403 on a later page fail the
 * pull like any other error.
 */
static JsonArray *
get_list (Pull        *pull,
          const char  *path,
          const char  *member,
          gboolean    *forbidden,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonArray *list;

  *forbidden = FALSE;

  list = rota_client_get_pages (pull->client, path, member, pull->cancellable, &local_error);
  if (list != NULL)
    return list;

  if (g_error_matches (local_error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_UNAUTHORIZED))
    {
      g_autoptr(JsonNode) again = NULL;
      guint status = 0;

      again = rota_client_get (pull->client, path, &status, pull->cancellable, NULL);
      if (again == NULL && status == 403)
        {
          g_debug ("Mirror: %s is forbidden to this token; skipped", path);
          *forbidden = TRUE;
          return NULL;
        }
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* Reads list @kind, over every part of the window if it is windowed.
 * Returns NULL with *forbidden set when the token may not read it. */
static JsonArray *
read_list (Pull       *pull,
           ListKind    kind,
           gboolean   *forbidden,
           GError    **error)
{
  const ListSpec *spec = &lists[kind];
  g_autoptr(JsonArray) all = NULL;

  if (!spec->windowed)
    {
      JsonArray *list = get_list (pull, spec->path, spec->member, forbidden, error);

      if (list == NULL && !*forbidden)
        {
          prefix_list_error (error, kind, NULL, NULL);
          return NULL;
        }
      report (pull, spec->step);
      return list;
    }

  all = json_array_new ();
  for (guint i = 0; i < pull->parts->len; i += 2)
    {
      const char *start = g_ptr_array_index (pull->parts, i);
      const char *end = g_ptr_array_index (pull->parts, i + 1);
      g_autofree char *path = g_strdup_printf ("%s?startDate=%s&endDate=%s", spec->path, start, end);
      g_autoptr(JsonArray) part = get_list (pull, path, spec->member, forbidden, error);

      if (part == NULL && !*forbidden)
        {
          prefix_list_error (error, kind, start, end);
          return NULL;
        }
      if (part == NULL)
        {
          /* Skipped: the parts still to read count as done. */
          pull->done += (pull->parts->len - i) / 2 - 1;
          report (pull, spec->step);
          return NULL;
        }

      for (guint e = 0; e < json_array_get_length (part); e++)
        json_array_add_element (all, json_node_ref (json_array_get_element (part, e)));
      report (pull, spec->step);
    }

  return g_steal_pointer (&all);
}

/* Decoding */

/* An id member as text: a string, or a non-negative integer as Dyflexis
 * writes ids. NULL when absent or of another type (the codec then says
 * what is wrong). */
static char *
id_of (JsonObject *object,
       const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) >= 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return NULL;
}

/* A copy of @object that shares its members' nodes, leaving out @skip,
 * so that members Dyflexis leaves out can be filled in. */
static JsonObject *
object_copy (JsonObject *object,
             const char *skip)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (skip == NULL || strcmp (l->data, skip) != 0)
      json_object_set_member (copy, l->data, json_node_ref (json_object_get_member (object, l->data)));

  return copy;
}

static gboolean
has_value (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

static void
set_default_string (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (!has_value (object, member))
    json_object_set_string_member (object, member, value);
}

static RotaEntity *
decode_object (GType        type,
               JsonObject  *object,
               GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return rota_codec_decode (type, node, error);
}

/* Reports a record of list @kind that did not decode, and why (@cause). */
static void
set_record_error (GError     **error,
                  ListKind     kind,
                  guint        number,
                  const char  *id,
                  GError      *cause)
{
  const char *shown = id != NULL ? id : "?";

  switch (kind)
    {
    case LIST_TREE:
      g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                   _("The server sent an office that Rota cannot read (number %u in its list, id %s): %s"),
                   number, shown, cause->message);
      break;
    case LIST_EMPLOYEES:
      g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                   _("The server sent an employee that Rota cannot read (number %u in its list, id %s): %s"),
                   number, shown, cause->message);
      break;
    case LIST_SCHEDULED:
      g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                   _("The server sent a shift that Rota cannot read (number %u in its list, id %s): %s"),
                   number, shown, cause->message);
      break;
    case LIST_SICK_LEAVE:
      g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                   _("The server sent sick leave that Rota cannot read (number %u in its list, id %s): %s"),
                   number, shown, cause->message);
      break;
    case LIST_REGISTERED_HOURS:
      g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                   _("The server sent registered hours that Rota cannot read (number %u in its list, id %s): %s"),
                   number, shown, cause->message);
      break;
    case N_LISTS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
not_an_object (GError     **error,
               ListKind     kind,
               guint        number)
{
  g_autoptr(GError) cause = NULL;

  rota_codec_set_error (&cause, ROTA_CODEC_ERROR_WRONG_TYPE, NULL, "expected a JSON object");
  set_record_error (error, kind, number, NULL, cause);

  return FALSE;
}

/* The departments below an office or a department. Dyflexis nests them
 * in the tree and does not repeat the office or parent in each one, so
 * officeId and parentId are filled in from where a department hangs when
 * it does not name them itself. */
static gboolean
decode_departments (Pull        *pull,
                    JsonNode    *list,
                    JsonNode    *office_id,
                    JsonNode    *parent_id,
                    const char  *office_shown,
                    GError     **error)
{
  JsonArray *array;

  if (list == NULL || JSON_NODE_HOLDS_NULL (list))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      g_autoptr(GError) cause = NULL;

      rota_codec_set_error (&cause, ROTA_CODEC_ERROR_WRONG_TYPE, "departments",
                            "departments: expected an array");
      g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                   _("The server sent a department that Rota cannot read (in office %s, id %s): %s"),
                   office_shown, "?", cause->message);
      return FALSE;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(JsonObject) copy = NULL;
      g_autoptr(RotaEntity) department = NULL;
      g_autoptr(GError) cause = NULL;
      g_autofree char *id = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          rota_codec_set_error (&cause, ROTA_CODEC_ERROR_WRONG_TYPE, NULL, "expected a JSON object");
          g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                       _("The server sent a department that Rota cannot read (in office %s, id %s): %s"),
                       office_shown, "?", cause->message);
          return FALSE;
        }

      object = json_node_get_object (element);
      id = id_of (object, "id");
      copy = object_copy (object, "departments");
      if (!has_value (copy, "officeId"))
        json_object_set_member (copy, "officeId", json_node_copy (office_id));
      if (!has_value (copy, "parentId") && parent_id != NULL)
        json_object_set_member (copy, "parentId", json_node_copy (parent_id));

      department = decode_object (ROTA_TYPE_DEPARTMENT, copy, &cause);
      if (department == NULL)
        {
          g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_BAD_RECORD,
                       _("The server sent a department that Rota cannot read (in office %s, id %s): %s"),
                       office_shown, id != NULL ? id : "?", cause->message);
          return FALSE;
        }
      g_ptr_array_add (pull->departments, g_object_ref (department));

      if (!decode_departments (pull, json_object_get_member (object, "departments"), office_id,
                               json_object_get_member (object, "id"), office_shown, error))
        return FALSE;
    }

  return TRUE;
}

/* The offices of the tree and their departments. */
static gboolean
decode_tree (Pull       *pull,
             JsonArray  *tree,
             GError    **error)
{
  pull->offices = g_ptr_array_new_with_free_func (g_object_unref);
  pull->departments = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (tree); i++)
    {
      JsonNode *element = json_array_get_element (tree, i);
      g_autoptr(JsonObject) copy = NULL;
      g_autoptr(RotaEntity) office = NULL;
      g_autoptr(RotaEntity) known = NULL;
      g_autoptr(GError) cause = NULL;
      g_autofree char *id = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return not_an_object (error, LIST_TREE, i + 1);

      object = json_node_get_object (element);
      id = id_of (object, "id");
      copy = object_copy (object, "departments");

      /* Dyflexis has no time zone or labour-law profile per office. An
       * office already in the store keeps the ones it has; a new one
       * gets the Netherlands, where Dyflexis is, as offset-less Dyflexis
       * times are read in Europe/Amsterdam (the codec's default zone). */
      if (id != NULL)
        known = rota_store_get_entity (pull->store, ROTA_TYPE_OFFICE, id, NULL);
      if (known != NULL)
        {
          set_default_string (copy, "timeZone", ROTA_OFFICE (known)->time_zone);
          if (ROTA_OFFICE (known)->rules_profile != ROTA_RULES_PROFILE_NONE)
            {
              g_autoptr(GEnumClass) profiles = g_type_class_ref (ROTA_TYPE_RULES_PROFILE);

              set_default_string (copy, "rulesProfile",
                                  g_enum_get_value (profiles, ROTA_OFFICE (known)->rules_profile)->value_nick);
            }
        }
      set_default_string (copy, "timeZone", ROTA_DEFAULT_TIME_ZONE);
      set_default_string (copy, "rulesProfile", "nl");

      office = decode_object (ROTA_TYPE_OFFICE, copy, &cause);
      if (office == NULL)
        {
          set_record_error (error, LIST_TREE, i + 1, id, cause);
          return FALSE;
        }
      g_ptr_array_add (pull->offices, g_object_ref (office));

      if (!decode_departments (pull, json_object_get_member (object, "departments"),
                               json_object_get_member (object, "id"), NULL,
                               rota_entity_get_id (office), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
decode_employees (Pull       *pull,
                  JsonArray  *list,
                  GError    **error)
{
  pull->employees = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      g_autoptr(RotaEntity) employee = NULL;
      g_autoptr(GError) cause = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return not_an_object (error, LIST_EMPLOYEES, i + 1);

      employee = rota_codec_decode (ROTA_TYPE_EMPLOYEE, element, &cause);
      if (employee == NULL)
        {
          g_autofree char *id = id_of (json_node_get_object (element), "employeeId");

          set_record_error (error, LIST_EMPLOYEES, i + 1, id, cause);
          return FALSE;
        }
      g_ptr_array_add (pull->employees, g_steal_pointer (&employee));
    }

  return TRUE;
}

static gboolean
decode_shifts (Pull       *pull,
               JsonArray  *list,
               GError    **error)
{
  pull->shifts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      g_autoptr(JsonObject) copy = NULL;
      g_autoptr(RotaEntity) shift = NULL;
      g_autoptr(GError) cause = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return not_an_object (error, LIST_SCHEDULED, i + 1);

      /* What `scheduled` lists is the roster as employees see it; it has
       * no draft flag, so a shift without one is published. */
      copy = object_copy (json_node_get_object (element), NULL);
      if (!has_value (copy, "published"))
        json_object_set_boolean_member (copy, "published", TRUE);

      shift = decode_object (ROTA_TYPE_SHIFT, copy, &cause);
      if (shift == NULL)
        {
          g_autofree char *id = id_of (copy, "id");

          set_record_error (error, LIST_SCHEDULED, i + 1, id, cause);
          return FALSE;
        }
      g_ptr_array_add (pull->shifts, g_steal_pointer (&shift));
    }

  return TRUE;
}

/* Dyflexis's sick leave has no kind (the list is of sick leave only) and
 * may end by a recovery date, the first day back at work, instead of an
 * end date (reference/dyflexis-api.md §3.6). The last day sick is then
 * the day before, or the first day if they recovered on it. */
static gboolean
fill_sick_leave (JsonObject  *copy,
                 GError     **error)
{
  JsonNode *recovered = json_object_get_member (copy, "recoveredDate");
  g_autofree char *day = NULL;
  g_autofree char *last = NULL;
  const char *start;

  set_default_string (copy, "kind", "sick");

  if (has_value (copy, "endDate") || recovered == NULL || JSON_NODE_HOLDS_NULL (recovered))
    return TRUE;

  if (json_node_get_value_type (recovered) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (recovered);

      /* A date, or the date of a date-time. */
      if (strlen (text) == 10 || (strlen (text) > 10 && text[10] == 'T'))
        day = g_strndup (text, 10);
    }
  if (day == NULL || !rota_date_is_valid (day) || (last = rota_date_add_days (day, -1)) == NULL)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, "recoveredDate",
                            "recoveredDate: not a date such as 2026-11-23");
      return FALSE;
    }

  start = has_value (copy, "startDate") && json_node_get_value_type (json_object_get_member (copy, "startDate")) == G_TYPE_STRING
          ? json_object_get_string_member (copy, "startDate") : NULL;
  json_object_set_string_member (copy, "endDate",
                                 start != NULL && strcmp (last, start) < 0 ? start : last);

  return TRUE;
}

static gboolean
decode_sick_leave (Pull       *pull,
                   JsonArray  *list,
                   GError    **error)
{
  pull->sick_leave = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      g_autoptr(JsonObject) copy = NULL;
      g_autoptr(RotaEntity) absence = NULL;
      g_autoptr(GError) cause = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return not_an_object (error, LIST_SICK_LEAVE, i + 1);

      copy = object_copy (json_node_get_object (element), NULL);
      if (fill_sick_leave (copy, &cause))
        absence = decode_object (ROTA_TYPE_ABSENCE, copy, &cause);
      if (absence != NULL && ROTA_ABSENCE (absence)->kind != ROTA_ABSENCE_KIND_SICK)
        rota_codec_set_error (&cause, ROTA_CODEC_ERROR_INVALID_VALUE, "kind",
                              "kind: the list of sick leave holds an absence of another kind");
      if (cause != NULL)
        {
          g_autofree char *id = id_of (copy, "id");

          set_record_error (error, LIST_SICK_LEAVE, i + 1, id, cause);
          return FALSE;
        }
      g_ptr_array_add (pull->sick_leave, g_steal_pointer (&absence));
    }

  return TRUE;
}

/* Registered hours have no model type; they are read here, as strictly
 * as the codec reads an entity, with its error messages. */

static gboolean
read_id_member (JsonObject  *object,
                const char  *member,
                gboolean     required,
                char       **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, member, "%s: missing", member);
      return FALSE;
    }

  *out = id_of (object, member);
  if (*out == NULL)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, member,
                            "%s: expected a string or an integer id", member);
      return FALSE;
    }

  if (**out == '\0' || strlen (*out) > 64)
    {
      g_clear_pointer (out, g_free);
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, member,
                            "%s: an id has 1 to 64 characters", member);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_instant_member (JsonObject  *object,
                     const char  *member,
                     gint64      *out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, member, "%s: missing", member);
      return FALSE;
    }

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, member,
                            "%s: expected a date-time string such as 2026-11-23T08:00:00", member);
      return FALSE;
    }

  /* Offset-less times are Dyflexis wall-clock times in Amsterdam, as the
   * codec reads them. */
  if (!rota_instant_parse (json_node_get_string (node), NULL, out))
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, member,
                            "%s: \"%s\" is not a date-time such as 2026-11-23T08:00:00 "
                            "between the years 2000 and 2099", member, json_node_get_string (node));
      return FALSE;
    }

  return TRUE;
}

/* The time zone of the office the hours are booked on, by officeId or
 * else departmentId, among what was read and what the store has. */
static GTimeZone *
hours_zone (GHashTable  *office_zones,
            GHashTable  *department_offices,
            const char  *office_id,
            const char  *department_id)
{
  const char *zone = NULL;

  if (office_id == NULL && department_id != NULL)
    office_id = g_hash_table_lookup (department_offices, department_id);
  if (office_id != NULL)
    zone = g_hash_table_lookup (office_zones, office_id);

  return zone != NULL && rota_time_zone_get (zone) != NULL ? rota_time_zone_get (zone)
                                                           : rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE);
}

static RotaRegisteredHours *
decode_registered_hours (JsonNode    *node,
                         GHashTable  *office_zones,
                         GHashTable  *department_offices,
                         GError     **error)
{
  g_autoptr(RotaRegisteredHours) hours = g_new0 (RotaRegisteredHours, 1);
  g_autofree char *office_id = NULL;
  g_autofree char *department_id = NULL;
  JsonObject *object = json_node_get_object (node);
  JsonNode *member;

  if (!read_id_member (object, "id", TRUE, &hours->id, error) ||
      !read_id_member (object, "employeeId", TRUE, &hours->employee_id, error) ||
      !read_id_member (object, "officeId", FALSE, &office_id, error) ||
      !read_id_member (object, "departmentId", FALSE, &department_id, error) ||
      !read_instant_member (object, "startDateTime", &hours->start, error) ||
      !read_instant_member (object, "endDateTime", &hours->end, error))
    return NULL;

  if (hours->end < hours->start)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, "endDateTime",
                            "endDateTime: before startDateTime");
      return NULL;
    }

  member = json_object_get_member (object, "breakMinutes");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64)
        {
          rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, "breakMinutes",
                                "breakMinutes: expected an integer");
          return NULL;
        }
      hours->break_minutes = json_node_get_int (member);
      if (hours->break_minutes < 0 || hours->break_minutes > 1440)
        {
          rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, "breakMinutes",
                                "breakMinutes: must be from 0 to 1440");
          return NULL;
        }
    }

  member = json_object_get_member (object, "status");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_STRING)
        {
          rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, "status", "status: expected a string");
          return NULL;
        }
      hours->status = g_strdup (json_node_get_string (member));
    }

  hours->work_date = rota_time_work_date (hours->start, hours_zone (office_zones, department_offices,
                                                                    office_id, department_id));
  hours->payload = rota_json_to_string (node, NULL);

  return g_steal_pointer (&hours);
}

/* Office id → time zone, and department id → office id, of what was read
 * and what the store has (what was read wins). */
static gboolean
collect_zones (Pull        *pull,
               GHashTable  *office_zones,
               GHashTable  *department_offices,
               GError     **error)
{
  g_autoptr(GPtrArray) stored_offices = rota_store_list_entities (pull->store, ROTA_TYPE_OFFICE, error);
  g_autoptr(GPtrArray) stored_departments = NULL;

  if (stored_offices == NULL)
    return FALSE;
  stored_departments = rota_store_list_entities (pull->store, ROTA_TYPE_DEPARTMENT, error);
  if (stored_departments == NULL)
    return FALSE;

  for (guint i = 0; i < stored_offices->len; i++)
    {
      RotaOffice *office = g_ptr_array_index (stored_offices, i);

      g_hash_table_insert (office_zones, g_strdup (office->id), g_strdup (office->time_zone));
    }
  for (guint i = 0; pull->offices != NULL && i < pull->offices->len; i++)
    {
      RotaOffice *office = g_ptr_array_index (pull->offices, i);

      g_hash_table_insert (office_zones, g_strdup (office->id), g_strdup (office->time_zone));
    }
  for (guint i = 0; i < stored_departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (stored_departments, i);

      g_hash_table_insert (department_offices, g_strdup (department->id), g_strdup (department->office_id));
    }
  for (guint i = 0; pull->departments != NULL && i < pull->departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (pull->departments, i);

      g_hash_table_insert (department_offices, g_strdup (department->id), g_strdup (department->office_id));
    }

  return TRUE;
}

static gboolean
decode_all_registered_hours (Pull       *pull,
                             JsonArray  *list,
                             GError    **error)
{
  g_autoptr(GHashTable) office_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) department_offices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!collect_zones (pull, office_zones, department_offices, error))
    return FALSE;

  pull->registered_hours = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_registered_hours_free);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      g_autoptr(GError) cause = NULL;
      RotaRegisteredHours *hours;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return not_an_object (error, LIST_REGISTERED_HOURS, i + 1);

      hours = decode_registered_hours (element, office_zones, department_offices, &cause);
      if (hours == NULL)
        {
          g_autofree char *id = id_of (json_node_get_object (element), "id");

          set_record_error (error, LIST_REGISTERED_HOURS, i + 1, id, cause);
          return FALSE;
        }
      g_ptr_array_add (pull->registered_hours, hours);
    }

  return TRUE;
}

/* Checking references */

/* Whether @id of @type is among @read or in the store. */
static gboolean
is_known (Pull        *pull,
          GHashTable  *read,
          GType        type,
          const char  *id)
{
  g_autoptr(RotaEntity) stored = NULL;

  if (read != NULL && g_hash_table_contains (read, id))
    return TRUE;

  stored = rota_store_get_entity (pull->store, type, id, NULL);

  return stored != NULL;
}

static GHashTable *
ids_of (GPtrArray *entities)
{
  GHashTable *ids;

  if (entities == NULL)
    return NULL;

  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < entities->len; i++)
    g_hash_table_add (ids, (gpointer) rota_entity_get_id (g_ptr_array_index (entities, i)));

  return ids;
}

/*
 * Every record must refer to what the server listed or the store already
 * has; the store's foreign keys would refuse it otherwise, with a message
 * that names nothing. Hours are not checked: they are kept as sent.
 */
static gboolean
check_references (Pull    *pull,
                  GError **error)
{
  g_autoptr(GHashTable) offices = ids_of (pull->offices);
  g_autoptr(GHashTable) departments = ids_of (pull->departments);
  g_autoptr(GHashTable) employees = ids_of (pull->employees);

  for (guint i = 0; pull->departments != NULL && i < pull->departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (pull->departments, i);

      if (!is_known (pull, offices, ROTA_TYPE_OFFICE, department->office_id))
        {
          g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE,
                       _("The department %s belongs to the office %s, which the server does not list"),
                       department->id, department->office_id);
          return FALSE;
        }
      if (department->parent_id != NULL &&
          !is_known (pull, departments, ROTA_TYPE_DEPARTMENT, department->parent_id))
        {
          g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE,
                       _("The department %s hangs below the department %s, which the server does not list"),
                       department->id, department->parent_id);
          return FALSE;
        }
    }

  for (guint i = 0; pull->shifts != NULL && i < pull->shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (pull->shifts, i);

      if (!is_known (pull, departments, ROTA_TYPE_DEPARTMENT, shift->department_id))
        {
          g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE,
                       _("The shift %s is in the department %s, which the server does not list"),
                       shift->id, shift->department_id);
          return FALSE;
        }
      if (shift->employee_id != NULL && !is_known (pull, employees, ROTA_TYPE_EMPLOYEE, shift->employee_id))
        {
          g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE,
                       _("The shift %s is for the employee %s, whom the server does not list"),
                       shift->id, shift->employee_id);
          return FALSE;
        }
    }

  for (guint i = 0; pull->sick_leave != NULL && i < pull->sick_leave->len; i++)
    {
      RotaAbsence *absence = g_ptr_array_index (pull->sick_leave, i);

      if (!is_known (pull, employees, ROTA_TYPE_EMPLOYEE, absence->employee_id))
        {
          g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE,
                       _("The sick leave %s is of the employee %s, whom the server does not list"),
                       absence->id, absence->employee_id);
          return FALSE;
        }
    }

  return TRUE;
}

/* The window */

/* Splits the window into parts of at most ROTA_MIRROR_MAX_REQUEST_DAYS
 * days each. The dates are checked already. */
static GPtrArray *
split_window (const char *start_date,
              const char *end_date)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *start = g_strdup (start_date);

  for (;;)
    {
      g_autofree char *longest = rota_date_add_days (start, ROTA_MIRROR_MAX_REQUEST_DAYS - 1);
      const char *end = strcmp (longest, end_date) < 0 ? longest : end_date;

      g_ptr_array_add (parts, g_strdup (start));
      g_ptr_array_add (parts, g_strdup (end));
      if (strcmp (end, end_date) == 0)
        break;
      g_free (start);
      start = rota_date_add_days (end, 1);
    }

  return parts;
}

static gboolean
window_is_valid (const char *start_date,
                 const char *end_date)
{
  return rota_date_is_valid (start_date) && rota_date_is_valid (end_date) &&
         strcmp (start_date, "2000-01-01") >= 0 && strcmp (end_date, "2099-12-31") <= 0 &&
         strcmp (start_date, end_date) <= 0;
}

/**
 * rota_mirror_pull:
 * @store: the account's store
 * @client: a client of the server
 * @start_date: the window's first day, "YYYY-MM-DD"
 * @end_date: its last day, inclusive
 * @progress: (nullable) (scope call): called after each step
 * @user_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Mirrors a plain Dyflexis server (%ROTA_CLIENT_PROFILE_DYFLEXIS) into
 * @store: reads the department tree, every employee, and the scheduled
 * shifts, sick leave and registered hours of the window (in parts of at
 * most %ROTA_MIRROR_MAX_REQUEST_DAYS days), decodes and checks them all,
 * and then applies them in one transaction with
 * rota_store_apply_mirror(): what the server no longer lists in the
 * window is deleted from the store's server state, and the window and
 * the time are recorded in the sync cursors. Pending local edits and the
 * outbox are never touched.
 *
 * A list the token may not read (403) is skipped, and nothing of its kind
 * is changed. Any other failure (the network, a page that is malformed,
 * cut short, too large or inconsistent, a record Rota cannot read or one
 * that refers to what the server does not list) fails the whole pull and
 * leaves @store exactly as it was.
 *
 * Blocks until done: run it on a worker thread in a UI. Works as well
 * with a Rota server, which serves the same lists.
 *
 * Returns: %TRUE when the window was mirrored
 */
gboolean
rota_mirror_pull (RotaStore           *store,
                  RotaClient          *client,
                  const char          *start_date,
                  const char          *end_date,
                  RotaMirrorProgress   progress,
                  gpointer             user_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_auto(Pull) pull = { 0 };
  RotaMirrorData data = { 0 };
  JsonArray *lists_read[N_LISTS] = { NULL, };
  gboolean ok = TRUE;

  g_return_val_if_fail (ROTA_IS_STORE (store), FALSE);
  g_return_val_if_fail (ROTA_IS_CLIENT (client), FALSE);
  g_return_val_if_fail (start_date != NULL, FALSE);
  g_return_val_if_fail (end_date != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!window_is_valid (start_date, end_date))
    {
      g_set_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_INVALID_WINDOW,
                   _("“%s” to “%s” is not a window of days to mirror: give two dates such as "
                     "2026-11-23, the first not after the second, from 2000 to 2099"),
                   start_date, end_date);
      return FALSE;
    }

  pull.store = store;
  pull.client = client;
  pull.progress = progress;
  pull.user_data = user_data;
  pull.cancellable = cancellable;
  pull.parts = split_window (start_date, end_date);
  pull.total = 2 + 3 * (pull.parts->len / 2) + 1;

  /* First everything is read; nothing is written before all of it is
   * in and decoded. */
  for (guint kind = 0; ok && kind < N_LISTS; kind++)
    {
      gboolean forbidden = FALSE;

      lists_read[kind] = read_list (&pull, kind, &forbidden, error);
      ok = lists_read[kind] != NULL || forbidden;
    }

  if (ok && lists_read[LIST_TREE] != NULL)
    ok = decode_tree (&pull, lists_read[LIST_TREE], error);
  if (ok && lists_read[LIST_EMPLOYEES] != NULL)
    ok = decode_employees (&pull, lists_read[LIST_EMPLOYEES], error);
  if (ok && lists_read[LIST_SCHEDULED] != NULL)
    ok = decode_shifts (&pull, lists_read[LIST_SCHEDULED], error);
  if (ok && lists_read[LIST_SICK_LEAVE] != NULL)
    ok = decode_sick_leave (&pull, lists_read[LIST_SICK_LEAVE], error);
  if (ok && lists_read[LIST_REGISTERED_HOURS] != NULL)
    ok = decode_all_registered_hours (&pull, lists_read[LIST_REGISTERED_HOURS], error);

  for (guint kind = 0; kind < N_LISTS; kind++)
    g_clear_pointer (&lists_read[kind], json_array_unref);

  if (ok)
    ok = check_references (&pull, error);

  /* The last moment a cancel changes nothing. */
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;

  if (!ok)
    return FALSE;

  data.start_date = start_date;
  data.end_date = end_date;
  data.mirrored_at = rota_time_now ();
  data.offices = pull.offices;
  data.departments = pull.departments;
  data.employees = pull.employees;
  data.shifts = pull.shifts;
  data.sick_leave = pull.sick_leave;
  data.registered_hours = pull.registered_hours;

  if (!rota_store_apply_mirror (store, &data, error))
    {
      g_prefix_error (error, _("Storing the mirrored data: "));
      return FALSE;
    }

  report (&pull, "store");

  g_debug ("Mirrored %s to %s: %u offices, %u departments, %u employees, %u shifts, "
           "%u sick leaves, %u registered hours",
           start_date, end_date,
           pull.offices ? pull.offices->len : 0, pull.departments ? pull.departments->len : 0,
           pull.employees ? pull.employees->len : 0, pull.shifts ? pull.shifts->len : 0,
           pull.sick_leave ? pull.sick_leave->len : 0,
           pull.registered_hours ? pull.registered_hours->len : 0);

  return TRUE;
}
