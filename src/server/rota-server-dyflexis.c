/* rota-server-dyflexis.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server"

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-server-dyflexis.h"
#include "rota-time.h"
#include "rota-worked.h"

/*
 * The Dyflexis v3 reads: getScheduled, getEmployees, getDepartmentTree and
 * getSickLeave of data/openapi.yaml. Paging is Dyflexis's: `page` from 1,
 * `pageCount`, and `_links.next.href` with the original query (absent on
 * the last page, where `_links` is an empty object).
 *
 * Ids: the spec (components/schemas/Id and the Types section) says the
 * server always writes ids as JSON strings, also on these routes, so the
 * entities are encoded with ROTA_CODEC_DEFAULT, not ROTA_CODEC_NUMERIC_IDS.
 */

#define DYFLEXIS_CODEC_FLAGS ROTA_CODEC_DEFAULT

/* How many entities to read from the tenant at a time when a list has to
 * be filtered here (by office time zone, by absence kind) before paging. */
#define SCAN_PAGE_SIZE 1000

/* The largest and smallest UTC offsets there are: a local day starts at
 * most this much before or after midnight UTC. */
#define MAX_EAST_OFFSET (14 * 3600)
#define MAX_WEST_OFFSET (12 * 3600)

/* The UTC days around today whose shifts a clock token may read. */
#define CLOCK_DAYS_BACK  2
#define CLOCK_DAYS_AHEAD 3

#define PLANNING_SCOPES (ROTA_SCOPE_PLANNING_READ | ROTA_SCOPE_PLANNING_WRITE)
#define HOURS_SCOPES    (ROTA_SCOPE_HOURS_READ | ROTA_SCOPE_HOURS_WRITE)

/* Query parameters */

static void
respond_bad_parameter (RotaServerRequest *request,
                       const char        *name,
                       const char        *problem)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", name, problem);

  _rota_server_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "invalid_parameter", name, message);
}

static const char *
query_get (RotaServerRequest *request,
           const char        *name)
{
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

/* `page`: a whole number from 1, default 1. A page past the last is an
 * empty page, however large; only numbers beyond 64 bits are refused. */
static gboolean
query_page (RotaServerRequest *request,
            guint64           *out)
{
  const char *text = query_get (request, "page");
  guint64 value = 0;

  *out = 1;
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      {
        respond_bad_parameter (request, "page", "must be a whole number from 1");
        return FALSE;
      }

  if (*text == '\0' || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, &value, NULL))
    {
      respond_bad_parameter (request, "page", "must be a whole number from 1");
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* `startDate` and `endDate`: both required, YYYY-MM-DD, end not before
 * start and at most 365 days after it (a window of at most 366 days). */
static gboolean
query_window (RotaServerRequest  *request,
              const char        **out_start,
              const char        **out_end)
{
  const char *start = query_get (request, "startDate");
  const char *end = query_get (request, "endDate");
  int span;

  if (start == NULL)
    {
      respond_bad_parameter (request, "startDate", "is required (YYYY-MM-DD)");
      return FALSE;
    }
  if (!rota_date_is_valid (start))
    {
      respond_bad_parameter (request, "startDate", "not a date of the form YYYY-MM-DD");
      return FALSE;
    }
  if (end == NULL)
    {
      respond_bad_parameter (request, "endDate", "is required (YYYY-MM-DD)");
      return FALSE;
    }
  if (!rota_date_is_valid (end))
    {
      respond_bad_parameter (request, "endDate", "not a date of the form YYYY-MM-DD");
      return FALSE;
    }

  span = rota_date_diff_days (start, end);
  if (span < 0)
    {
      respond_bad_parameter (request, "endDate", "must not be before startDate");
      return FALSE;
    }
  if (span > 365)
    {
      respond_bad_parameter (request, "endDate", "must be at most 365 days after startDate (366 days in all)");
      return FALSE;
    }

  *out_start = start;
  *out_end = end;
  return TRUE;
}

static gboolean
id_is_valid (const char *id)
{
  gsize length = strlen (id);

  if (length < 1 || length > 64)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != ':' && *p != '-')
      return FALSE;

  return TRUE;
}

/* Envelope */

/* The absolute URL of this request with page=@page, keeping the other
 * query parameters as they were sent, in their order. */
static char *
next_href (RotaServerRequest *request,
           guint64            page)
{
  GUri *uri = soup_server_message_get_uri (request->msg);
  const char *query = g_uri_get_query (uri);
  g_autoptr(GString) next_query = g_string_new (NULL);
  g_autoptr(GUri) next = NULL;

  if (query != NULL && *query != '\0')
    {
      g_auto(GStrv) pairs = g_strsplit (query, "&", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          const char *equals = strchr (pairs[i], '=');
          g_autofree char *raw_name = equals ? g_strndup (pairs[i], equals - pairs[i]) : g_strdup (pairs[i]);
          g_autofree char *name = g_uri_unescape_string (raw_name, NULL);

          if (*pairs[i] == '\0' || g_strcmp0 (name, "page") == 0)
            continue;
          g_string_append (next_query, pairs[i]);
          g_string_append_c (next_query, '&');
        }
    }
  g_string_append_printf (next_query, "page=%" G_GUINT64_FORMAT, page);

  next = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), g_uri_get_path (uri), next_query->str, NULL);

  return g_uri_to_string (next);
}

/* Ends the list member and adds pageCount and _links. */
static void
end_page (RotaServerRequest *request,
          JsonBuilder       *builder,
          guint64            page,
          guint64            page_count)
{
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "pageCount");
  json_builder_add_int_value (builder, (gint64) MAX (page_count, 1));
  json_builder_set_member_name (builder, "_links");
  json_builder_begin_object (builder);
  if (page < page_count)
    {
      g_autofree char *href = next_href (request, page + 1);

      json_builder_set_member_name (builder, "next");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "href");
      json_builder_add_string_value (builder, href);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
respond_builder (RotaServerRequest *request,
                 JsonBuilder       *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  _rota_server_respond_json (request->msg, SOUP_STATUS_OK, node);
}

/* Filtered scans */

typedef gboolean (*EntityFilter) (RotaEntity *entity,
                                  gpointer    user_data);

/* Reads every entity @query matches, @SCAN_PAGE_SIZE at a time, keeps
 * those @filter accepts, and returns the ones on @page of
 * ROTA_SERVER_PAGE_SIZE (in the tenant's order) with the page count. */
static GPtrArray *
scan_page (RotaServerRequest *request,
           RotaTenantQuery   *query,
           EntityFilter       filter,
           gpointer           user_data,
           guint64            page,
           guint64           *page_count,
           GError           **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 first = (page - 1) * ROTA_SERVER_PAGE_SIZE;
  guint64 matched = 0;
  guint scan_pages = 1;

  if (page - 1 > G_MAXUINT64 / ROTA_SERVER_PAGE_SIZE)
    first = G_MAXUINT64;

  query->page_size = SCAN_PAGE_SIZE;
  for (query->page = 1; query->page <= scan_pages; query->page++)
    {
      g_autoptr(GPtrArray) entities = rota_tenant_list (request->data, query, &scan_pages, error);

      if (entities == NULL)
        return NULL;

      for (guint i = 0; i < entities->len; i++)
        {
          RotaEntity *entity = g_ptr_array_index (entities, i);

          if (!filter (entity, user_data))
            continue;
          if (matched >= first && matched - first < ROTA_SERVER_PAGE_SIZE)
            g_ptr_array_add (result, g_object_ref (entity));
          matched++;
        }

      if (entities->len < SCAN_PAGE_SIZE)
        break;
    }

  *page_count = MAX (1, (matched + ROTA_SERVER_PAGE_SIZE - 1) / ROTA_SERVER_PAGE_SIZE);

  return g_steal_pointer (&result);
}

/* GET /api/business/v3/scheduled */

typedef struct
{
  RotaServerRequest *request;
  GHashTable        *zones;       /* department id → GTimeZone (not owned) */
  const char        *start_date;
  const char        *end_date;
  gboolean           planning;
} ScheduledScan;

/* The time zone of a department's office; ROTA_DEFAULT_TIME_ZONE if the
 * office or its zone cannot be found. */
static GTimeZone *
department_zone (ScheduledScan *scan,
                 const char    *department_id)
{
  g_autoptr(RotaEntity) department = NULL;
  g_autoptr(RotaEntity) office = NULL;
  GTimeZone *tz = NULL;

  tz = g_hash_table_lookup (scan->zones, department_id);
  if (tz != NULL)
    return tz;

  department = rota_tenant_get (scan->request->data, ROTA_TYPE_DEPARTMENT, department_id, NULL, NULL);
  if (department != NULL)
    office = rota_tenant_get (scan->request->data, ROTA_TYPE_OFFICE, ROTA_DEPARTMENT (department)->office_id,
                              NULL, NULL);
  if (office != NULL)
    tz = rota_time_zone_get (ROTA_OFFICE (office)->time_zone);
  if (tz == NULL)
    tz = rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE);

  g_hash_table_insert (scan->zones, g_strdup (department_id), tz);

  return tz;
}

/* A shift is in the window when it starts on one of its days in its
 * office's time zone (data/openapi.yaml, Paging: "matched against the day
 * an item starts on in its office's time zone"). So a night shift counts
 * only for the day it starts, and an office in Berlin and one in
 * Amsterdam each use their own local midnight; Europe/Amsterdam
 * (ROTA_DEFAULT_TIME_ZONE) only stands in for an office without a zone. */
static gboolean
scheduled_filter (RotaEntity *entity,
                  gpointer    user_data)
{
  ScheduledScan *scan = user_data;
  RotaShift *shift = ROTA_SHIFT (entity);
  g_autofree char *day = NULL;

  if (shift->deleted)
    return FALSE;
  if (!shift->published && !scan->planning)
    return FALSE;
  if (!rota_instant_is_valid (shift->start))
    return FALSE;

  day = rota_time_work_date (shift->start, department_zone (scan, shift->department_id));

  return strcmp (day, scan->start_date) >= 0 && strcmp (day, scan->end_date) <= 0;
}

void
_rota_server_handle_scheduled (RotaServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after_end = NULL;
  RotaTenantQuery query = { 0 };
  ScheduledScan scan = { 0 };
  GTimeZone *utc = rota_time_zone_get ("UTC");
  const char *department_id = query_get (request, "departmentId");
  const char *start_date = NULL;
  const char *end_date = NULL;
  guint64 page_count = 1;
  guint64 page;

  if (!query_window (request, &start_date, &end_date))
    return;
  if (department_id != NULL)
    {
      g_autoptr(RotaEntity) department = NULL;

      if (!id_is_valid (department_id))
        {
          respond_bad_parameter (request, "departmentId",
                                 "not an id (1 to 64 letters, digits, '-', '_', '.' or ':')");
          return;
        }
      department = rota_tenant_get (request->data, ROTA_TYPE_DEPARTMENT, department_id, NULL, NULL);
      if (department == NULL)
        {
          respond_bad_parameter (request, "departmentId", "there is no such department");
          return;
        }
    }
  if (!query_page (request, &page))
    return;

  /* A kiosk sees only the days around now (UTC dates). It asks for
   * yesterday to the day after tomorrow (ROTA_SYNC_KIOSK_DAYS_BACK and
   * _AHEAD), which holds today and tomorrow in every office east of UTC
   * at any hour; a day's leeway on each side keeps a kiosk whose clock
   * is off around midnight from being refused. */
  if ((request->scopes & (PLANNING_SCOPES | HOURS_SCOPES)) == 0)
    {
      g_autofree char *today = rota_time_work_date (rota_time_now (), utc);
      g_autofree char *first = rota_date_add_days (today, -CLOCK_DAYS_BACK);
      g_autofree char *last = rota_date_add_days (today, CLOCK_DAYS_AHEAD);

      if (strcmp (start_date, first) < 0 || strcmp (end_date, last) > 0)
        {
          _rota_server_respond_error (request->msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL,
                                      "A clock token may only read the shifts of two days back to three days "
                                      "ahead (UTC dates)");
          return;
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shifts");
  json_builder_begin_array (builder);

  /* Shifts exist only from ROTA_INSTANT_MIN to ROTA_INSTANT_MAX; a window
   * wholly outside has none (and its dates may be outside what the time
   * functions take). */
  after_end = rota_date_add_days (end_date, 1);
  if (strcmp (after_end, "2000-01-01") > 0 && strcmp (start_date, "2100-01-01") < 0)
    {
      /* Every local day from start_date to end_date lies in this UTC span,
       * whatever the office's zone; the filter then decides exactly. */
      query.type = ROTA_TYPE_SHIFT;
      query.from = MAX (ROTA_INSTANT_MIN, rota_time_day_start (utc, strcmp (start_date, "2000-01-01") < 0 ?
                                                                    "2000-01-01" : start_date) - MAX_EAST_OFFSET);
      query.to = MIN (ROTA_INSTANT_MAX, rota_time_day_start (utc, strcmp (after_end, "2100-01-01") > 0 ?
                                                                  "2100-01-01" : after_end) + MAX_WEST_OFFSET);
      query.department_id = department_id;
      query.published_only = (request->scopes & PLANNING_SCOPES) == 0;
      query.include_deleted = FALSE;

      scan.request = request;
      scan.zones = zones;
      scan.start_date = start_date;
      scan.end_date = end_date;
      scan.planning = (request->scopes & PLANNING_SCOPES) != 0;

      shifts = scan_page (request, &query, scheduled_filter, &scan, page, &page_count, &error);
      if (shifts == NULL)
        {
          _rota_server_respond_store_error (request->msg, error);
          return;
        }

      for (guint i = 0; i < shifts->len; i++)
        json_builder_add_value (builder, _rota_server_encode_for_scopes (g_ptr_array_index (shifts, i),
                                                                         request->scopes));
    }

  end_page (request, builder, page, page_count);
  respond_builder (request, builder);
}

/* GET /api/business/v3/employees */

void
_rota_server_handle_employees (RotaServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GError) error = NULL;
  RotaTenantQuery query = { 0 };
  guint page_count = 1;
  guint64 page;

  if (!query_page (request, &page))
    return;

  query.type = ROTA_TYPE_EMPLOYEE;
  query.page = (guint) MIN (page, G_MAXUINT / ROTA_SERVER_PAGE_SIZE);
  query.page_size = ROTA_SERVER_PAGE_SIZE;
  employees = rota_tenant_list (request->data, &query, &page_count, &error);
  if (employees == NULL)
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "employees");
  json_builder_begin_array (builder);
  /* A page beyond what the query could ask for is past the last one. */
  if (page <= G_MAXUINT / ROTA_SERVER_PAGE_SIZE)
    for (guint i = 0; i < employees->len; i++)
      json_builder_add_value (builder, _rota_server_encode_for_scopes (g_ptr_array_index (employees, i),
                                                                       request->scopes));
  end_page (request, builder, page, page_count);
  respond_builder (request, builder);
}

/* GET /api/department-management/v3/tree */

static GPtrArray *
list_all (RotaServerRequest  *request,
          GType               type,
          GError            **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  RotaTenantQuery query = { 0 };
  guint page_count = 1;

  query.type = type;
  query.page_size = SCAN_PAGE_SIZE;
  for (query.page = 1; query.page <= page_count; query.page++)
    {
      g_autoptr(GPtrArray) entities = rota_tenant_list (request->data, &query, &page_count, error);

      if (entities == NULL)
        return NULL;
      for (guint i = 0; i < entities->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (entities, i)));
      if (entities->len < SCAN_PAGE_SIZE)
        break;
    }

  return g_steal_pointer (&all);
}

/* Copies the members of an encoded entity into the object being built. */
static void
add_members (JsonBuilder *builder,
             JsonObject  *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (object, l->data)));
    }
}

/* Adds the departments whose parent is @parent (NULL: the office's top
 * level) as DepartmentNodes. @children maps a parent id ("" for the top
 * level of an office, keyed "office\x1fparent") to its departments in id
 * order. @depth stops a cycle of parents, which the tree cannot show. */
static void
add_departments (JsonBuilder *builder,
                 GHashTable  *children,
                 const char  *office_id,
                 const char  *parent_id,
                 guint        depth)
{
  g_autofree char *key = g_strconcat (office_id, "\x1f", parent_id ? parent_id : "", NULL);
  GPtrArray *list = g_hash_table_lookup (children, key);

  json_builder_begin_array (builder);
  for (guint i = 0; list != NULL && depth < 64 && i < list->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (list, i);
      g_autoptr(JsonNode) node = rota_codec_encode (ROTA_ENTITY (department), DYFLEXIS_CODEC_FLAGS);

      json_builder_begin_object (builder);
      add_members (builder, json_node_get_object (node));
      json_builder_set_member_name (builder, "departments");
      add_departments (builder, children, office_id, department->id, depth + 1);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
_rota_server_handle_tree (RotaServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GError) error = NULL;

  offices = list_all (request, ROTA_TYPE_OFFICE, &error);
  if (offices != NULL)
    departments = list_all (request, ROTA_TYPE_DEPARTMENT, &error);
  if (offices == NULL || departments == NULL)
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  for (guint i = 0; i < departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (departments, i);

      g_hash_table_insert (by_id, department->id, department);
    }

  /* A department hangs below its parent; one whose parent is missing or
   * in another office is shown at its office's top level, so that no
   * department is lost from the tree. */
  for (guint i = 0; i < departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (departments, i);
      RotaDepartment *parent = department->parent_id ? g_hash_table_lookup (by_id, department->parent_id) : NULL;
      g_autofree char *key = NULL;
      GPtrArray *list;

      if (parent != NULL && (parent == department || g_strcmp0 (parent->office_id, department->office_id) != 0))
        parent = NULL;
      key = g_strconcat (department->office_id, "\x1f", parent ? parent->id : "", NULL);
      list = g_hash_table_lookup (children, key);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (children, g_steal_pointer (&key), list);
        }
      g_ptr_array_add (list, department);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "offices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < offices->len; i++)
    {
      RotaOffice *office = g_ptr_array_index (offices, i);
      g_autoptr(JsonNode) node = rota_codec_encode (ROTA_ENTITY (office), DYFLEXIS_CODEC_FLAGS);

      json_builder_begin_object (builder);
      add_members (builder, json_node_get_object (node));
      json_builder_set_member_name (builder, "departments");
      add_departments (builder, children, office->id, NULL, 0);
      json_builder_end_object (builder);
    }
  end_page (request, builder, 1, 1);
  respond_builder (request, builder);
}

/* GET /api/absence/v3/sick-leave */

static gboolean
sick_filter (RotaEntity *entity,
             gpointer    user_data)
{
  return ROTA_ABSENCE (entity)->kind == ROTA_ABSENCE_KIND_SICK;
}

void
_rota_server_handle_sick_leave (RotaServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GPtrArray) absences = NULL;
  g_autoptr(GError) error = NULL;
  RotaTenantQuery query = { 0 };
  const char *start_date = NULL;
  const char *end_date = NULL;
  guint64 page_count = 1;
  guint64 page;

  if (!query_window (request, &start_date, &end_date) ||
      !query_page (request, &page))
    return;

  /* Absences are whole days; the tenant matches those overlapping
   * [start_date, end_date], an open end overlapping every later window. */
  query.type = ROTA_TYPE_ABSENCE;
  query.start_date = start_date;
  query.end_date = end_date;
  absences = scan_page (request, &query, sick_filter, NULL, page, &page_count, &error);
  if (absences == NULL)
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sickLeave");
  json_builder_begin_array (builder);
  for (guint i = 0; i < absences->len; i++)
    json_builder_add_value (builder, rota_codec_encode (g_ptr_array_index (absences, i), DYFLEXIS_CODEC_FLAGS));
  end_page (request, builder, page, page_count);
  respond_builder (request, builder);
}

/* GET /api/clock/v3/punches */

typedef struct
{
  ScheduledScan  scan;
  GHashTable    *employee_departments;  /* employee id → department id or "" */
  const char    *employee_id;
} PunchScan;

/* A punch is in the window when it falls on one of its days in the time
 * zone of its employee's (first) department's office. */
static gboolean
punch_filter (RotaEntity *entity,
              gpointer    user_data)
{
  PunchScan *punches = user_data;
  RotaPunch *punch = ROTA_PUNCH (entity);
  const char *department_id;
  g_autofree char *day = NULL;
  GTimeZone *tz;

  if (punches->employee_id != NULL && g_strcmp0 (punch->employee_id, punches->employee_id) != 0)
    return FALSE;

  department_id = g_hash_table_lookup (punches->employee_departments, punch->employee_id);
  if (department_id == NULL)
    {
      g_autoptr(RotaEntity) employee = rota_tenant_get (punches->scan.request->data, ROTA_TYPE_EMPLOYEE,
                                                        punch->employee_id, NULL, NULL);
      char **departments = employee != NULL ? ROTA_EMPLOYEE (employee)->department_ids : NULL;

      department_id = departments != NULL && departments[0] != NULL ? departments[0] : "";
      g_hash_table_insert (punches->employee_departments, g_strdup (punch->employee_id), g_strdup (department_id));
      department_id = g_hash_table_lookup (punches->employee_departments, punch->employee_id);
    }

  tz = *department_id != '\0' ? department_zone (&punches->scan, department_id)
                               : rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE);
  day = rota_time_work_date (punch->at, tz);

  return strcmp (day, punches->scan.start_date) >= 0 && strcmp (day, punches->scan.end_date) <= 0;
}

void
_rota_server_handle_punches (RotaServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) employee_departments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after_end = NULL;
  RotaTenantQuery query = { 0 };
  PunchScan scan = { { 0 }, NULL, NULL };
  GTimeZone *utc = rota_time_zone_get ("UTC");
  const char *employee_id = query_get (request, "employeeId");
  const char *start_date = NULL;
  const char *end_date = NULL;
  guint64 page_count = 1;
  guint64 page;

  if (!query_window (request, &start_date, &end_date))
    return;
  if (employee_id != NULL && !id_is_valid (employee_id))
    {
      respond_bad_parameter (request, "employeeId", "not an id (1 to 64 letters, digits, '-', '_', '.' or ':')");
      return;
    }
  if (!query_page (request, &page))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "punches");
  json_builder_begin_array (builder);

  after_end = rota_date_add_days (end_date, 1);
  if (strcmp (after_end, "2000-01-01") > 0 && strcmp (start_date, "2100-01-01") < 0)
    {
      query.type = ROTA_TYPE_PUNCH;
      query.from = MAX (ROTA_INSTANT_MIN, rota_time_day_start (utc, strcmp (start_date, "2000-01-01") < 0 ?
                                                                    "2000-01-01" : start_date) - MAX_EAST_OFFSET);
      query.to = MIN (ROTA_INSTANT_MAX, rota_time_day_start (utc, strcmp (after_end, "2100-01-01") > 0 ?
                                                                  "2100-01-01" : after_end) + MAX_WEST_OFFSET);
      query.employee_id = employee_id;

      scan.scan.request = request;
      scan.scan.zones = zones;
      scan.scan.start_date = start_date;
      scan.scan.end_date = end_date;
      scan.employee_departments = employee_departments;
      scan.employee_id = employee_id;

      punches = scan_page (request, &query, punch_filter, &scan, page, &page_count, &error);
      if (punches == NULL)
        {
          _rota_server_respond_store_error (request->msg, error);
          return;
        }

      for (guint i = 0; i < punches->len; i++)
        json_builder_add_value (builder, rota_codec_encode (g_ptr_array_index (punches, i), DYFLEXIS_CODEC_FLAGS));
    }

  end_page (request, builder, page, page_count);
  respond_builder (request, builder);
}

/* GET /api/business/v3/registered-hours */

/* Reads every entity of @query, all pages. */
static GPtrArray *
list_everything (RotaServerRequest  *request,
                 RotaTenantQuery    *query,
                 GError            **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  guint pages = 1;

  query->page_size = SCAN_PAGE_SIZE;
  for (query->page = 1; query->page <= pages; query->page++)
    {
      g_autoptr(GPtrArray) some = rota_tenant_list (request->data, query, &pages, error);

      if (some == NULL)
        return NULL;
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (some, i)));
    }

  return g_steal_pointer (&all);
}

/* `duration` in hours, rounded to two decimals (the spec). */
static double
hours_of (gint64 minutes)
{
  return (double) ((minutes * 100 + 30) / 60) / 100.0;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
_rota_server_handle_registered_hours (RotaServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) employees = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GPtrArray) corrections = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(GPtrArray) effective = NULL;
  g_autoptr(GPtrArray) spans = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *after_end = NULL;
  RotaTenantQuery query = { 0 };
  ScheduledScan scan = { 0 };
  GTimeZone *utc = rota_time_zone_get ("UTC");
  const char *start_date = NULL;
  const char *end_date = NULL;
  guint64 page_count;
  guint64 page;
  guint64 first;

  if (!query_window (request, &start_date, &end_date) ||
      !query_page (request, &page))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "registeredHours");
  json_builder_begin_array (builder);

  after_end = rota_date_add_days (end_date, 1);
  if (strcmp (after_end, "2000-01-01") <= 0 || strcmp (start_date, "2100-01-01") >= 0)
    {
      end_page (request, builder, page, 1);
      respond_builder (request, builder);
      return;
    }

  /* Spans start in the window; a clock-out may come up to a day after, and
   * the day of a span is its office's. */
  query.type = ROTA_TYPE_PUNCH;
  query.from = MAX (ROTA_INSTANT_MIN, rota_time_day_start (utc, strcmp (start_date, "2000-01-01") < 0 ?
                                                                "2000-01-01" : start_date) - MAX_EAST_OFFSET);
  query.to = MIN (ROTA_INSTANT_MAX, rota_time_day_start (utc, strcmp (after_end, "2100-01-01") > 0 ?
                                                              "2100-01-01" : after_end) + MAX_WEST_OFFSET + 86400);
  punches = list_everything (request, &query, &error);
  if (punches != NULL)
    {
      RotaTenantQuery all_corrections = { .type = ROTA_TYPE_PUNCH_CORRECTION };
      RotaTenantQuery all_approvals = { .type = ROTA_TYPE_APPROVAL };

      corrections = list_everything (request, &all_corrections, &error);
      if (corrections != NULL)
        approvals = list_everything (request, &all_approvals, &error);
    }
  if (approvals == NULL)
    {
      _rota_server_respond_store_error (request->msg, error);
      return;
    }

  /* The latest decision per employee and day. */
  for (guint i = 0; i < approvals->len; i++)
    {
      RotaApproval *approval = g_ptr_array_index (approvals, i);
      g_autofree char *key = g_strconcat (approval->employee_id, " ", approval->work_date, NULL);
      RotaApproval *seen = g_hash_table_lookup (statuses, key);

      if (seen == NULL || approval->created_at > seen->created_at ||
          (approval->created_at == seen->created_at && g_strcmp0 (approval->id, seen->id) > 0))
        g_hash_table_replace (statuses, g_steal_pointer (&key), g_object_ref (approval));
    }

  effective = rota_worked_effective_punches (punches, corrections);
  spans = rota_worked_spans (effective);

  scan.request = request;
  scan.zones = zones;
  for (guint i = 0; i < spans->len; i++)
    {
      RotaWorkedSpan *span = g_ptr_array_index (spans, i);
      RotaEmployee *employee = g_hash_table_lookup (employees, span->employee_id);
      const char *department_id;
      char *day;

      if (employee == NULL)
        {
          employee = ROTA_EMPLOYEE (rota_tenant_get (request->data, ROTA_TYPE_EMPLOYEE, span->employee_id, NULL, NULL));
          if (employee == NULL)
            continue;
          g_hash_table_insert (employees, g_strdup (span->employee_id), employee);
        }

      department_id = employee->department_ids != NULL ? employee->department_ids[0] : NULL;
      day = rota_time_work_date (span->start, department_id != NULL ? department_zone (&scan, department_id)
                                                                   : rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE));
      if (strcmp (day, start_date) < 0 || strcmp (day, end_date) > 0)
        {
          g_free (day);
          continue;
        }
      g_ptr_array_add (listed, span);
      g_ptr_array_add (days, day);
    }

  page_count = MAX (1, (listed->len + ROTA_SERVER_PAGE_SIZE - 1) / ROTA_SERVER_PAGE_SIZE);
  first = (page - 1) * ROTA_SERVER_PAGE_SIZE;

  for (guint64 i = first; i < listed->len && i < first + ROTA_SERVER_PAGE_SIZE; i++)
    {
      RotaWorkedSpan *span = g_ptr_array_index (listed, i);
      const char *day = g_ptr_array_index (days, i);
      RotaEmployee *employee = g_hash_table_lookup (employees, span->employee_id);
      const char *department_id = employee->department_ids != NULL ? employee->department_ids[0] : NULL;
      g_autoptr(RotaEntity) department = NULL;
      g_autoptr(RotaEntity) office = NULL;
      g_autofree char *key = g_strconcat (span->employee_id, " ", day, NULL);
      g_autofree char *start = rota_instant_format (span->start);
      g_autofree char *end = rota_instant_format (span->end);
      RotaApproval *approval = g_hash_table_lookup (statuses, key);
      gint64 minutes = (span->end - span->start - span->break_seconds) / 60;

      if (department_id != NULL)
        department = rota_tenant_get (request->data, ROTA_TYPE_DEPARTMENT, department_id, NULL, NULL);
      if (department != NULL)
        office = rota_tenant_get (request->data, ROTA_TYPE_OFFICE, ROTA_DEPARTMENT (department)->office_id, NULL, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, span->id);
      json_builder_set_member_name (builder, "employeeId");
      json_builder_add_string_value (builder, span->employee_id);
      add_nullable_string (builder, "personnelNumber", employee->personnel_number);
      json_builder_set_member_name (builder, "firstName");
      json_builder_add_string_value (builder, employee->first_name);
      add_nullable_string (builder, "infix", employee->last_name_prefix);
      json_builder_set_member_name (builder, "lastName");
      json_builder_add_string_value (builder, employee->last_name);
      add_nullable_string (builder, "officeId", office ? rota_entity_get_id (office) : NULL);
      add_nullable_string (builder, "officeName", office ? ROTA_OFFICE (office)->name : NULL);
      add_nullable_string (builder, "departmentId", department ? rota_entity_get_id (department) : NULL);
      add_nullable_string (builder, "departmentName", department ? ROTA_DEPARTMENT (department)->name : NULL);
      json_builder_set_member_name (builder, "startDateTime");
      json_builder_add_string_value (builder, start);
      json_builder_set_member_name (builder, "endDateTime");
      json_builder_add_string_value (builder, end);
      json_builder_set_member_name (builder, "breakMinutes");
      json_builder_add_int_value (builder, span->break_seconds / 60);
      json_builder_set_member_name (builder, "duration");
      json_builder_add_int_value (builder, minutes);
      json_builder_set_member_name (builder, "hours");
      json_builder_add_double_value (builder, hours_of (minutes));
      json_builder_set_member_name (builder, "hourType");
      json_builder_add_string_value (builder, "worked");
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, approval == NULL || approval->state == ROTA_APPROVAL_STATE_WITHDRAWN
                                              ? "open"
                                              : approval->state == ROTA_APPROVAL_STATE_APPROVED ? "approved"
                                              : "rejected");
      json_builder_end_object (builder);
    }

  end_page (request, builder, page, page_count);
  respond_builder (request, builder);
}
