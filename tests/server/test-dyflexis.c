/* test-dyflexis.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The Dyflexis v3 reads of the real rota-server binary (scheduled,
 * employees, department tree, sick leave) on a loopback port over TLS,
 * with a CA made by openssl for this run, against demo tenants. What the
 * routes answer is checked against the tenant's whole state as the change
 * feed gives it, with the office time zones worked out here
 * independently.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "server-harness.h"

typedef struct
{
  char        *dir;
  char        *data_dir;
  char        *ca;
  char        *cert;
  char        *key;
  GHashTable  *gamma;     /* scope → token of the demo tenant "gamma" */
  GHashTable  *delta;     /* the same for the tenant "delta" */
  GSubprocess *server;
  char        *base;
  SoupSession *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  const char *employees = data != NULL ? data : "10";

  fixture->dir = g_dir_make_tmp ("rota-dyflexis-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->dir, "data", NULL);
  harness_make_certificates (fixture->dir, &fixture->ca, &fixture->cert, &fixture->key);

  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "init", NULL));
  fixture->gamma = harness_demo_tokens (fixture->data_dir, "gamma", employees, "2");
  fixture->delta = harness_demo_tokens (fixture->data_dir, "delta", "5", "1");

  fixture->server = harness_start_server (fixture->data_dir, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &fixture->base,
                                          "--tls-cert", fixture->cert, "--tls-key", fixture->key, NULL);

  database = g_tls_file_database_new (fixture->ca, &error);
  g_assert_no_error (error);
  fixture->session = soup_session_new_with_options ("tls-database", database, "timeout", 20, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->server != NULL)
    {
      g_subprocess_force_exit (fixture->server);
      g_subprocess_wait (fixture->server, NULL, NULL);
    }
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->session);
  harness_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->data_dir);
  g_free (fixture->ca);
  g_free (fixture->cert);
  g_free (fixture->key);
  g_clear_pointer (&fixture->gamma, g_hash_table_unref);
  g_clear_pointer (&fixture->delta, g_hash_table_unref);
  g_free (fixture->base);
}

/* Sends METHOD to @url (absolute, or a path below the server) and returns
 * the status; *reply gets the JSON body when there is one. */
static guint
send_full (Fixture     *fixture,
           const char  *method,
           const char  *url,
           const char  *token,
           const char  *body,
           const char  *header,
           const char  *value,
           JsonNode   **reply)
{
  g_autofree char *uri = g_str_has_prefix (url, "https://") ? g_strdup (url) : g_strconcat (fixture->base, url + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Token ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), header, value);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (response, &length);
  g_test_message ("%s %s → %u %.*s", method, url, soup_message_get_status (msg),
                  (int) MIN (length, 200), data ? data : "");

  if (reply != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      *reply = NULL;
      if (length > 0)
        {
          g_assert_true (json_parser_load_from_data (parser, data, length, &error));
          g_assert_no_error (error);
          *reply = json_node_ref (json_parser_get_root (parser));
        }
    }

  return soup_message_get_status (msg);
}

static guint
get (Fixture     *fixture,
     const char  *url,
     const char  *token,
     JsonNode   **reply)
{
  return send_full (fixture, "GET", url, token, NULL, NULL, NULL, reply);
}

static const char *
token_of (GHashTable *tokens,
          const char *scope)
{
  const char *token = g_hash_table_lookup (tokens, scope);

  g_assert_nonnull (token);

  return token;
}

/* The tenant's state through the change feed, as a planning:read token
 * sees it: kind → array of entity objects (owned by *feed). */
static GHashTable *
load_state (Fixture    *fixture,
            const char *slug,
            const char *token,
            GPtrArray  *feeds)
{
  GHashTable *state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/%s/api/sync/v3/changes?since=%" G_GINT64_FORMAT "&limit=10000",
                                               slug, since);
      JsonNode *feed = NULL;
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (get (fixture, path, token, &feed), ==, 200);
      g_ptr_array_add (feeds, feed);
      object = json_node_get_object (feed);
      changes = json_object_get_array_member (object, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *kind = json_object_get_string_member (change, "entity");
          GPtrArray *list = g_hash_table_lookup (state, kind);

          if (json_object_get_boolean_member (change, "deleted"))
            continue;
          if (list == NULL)
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (state, g_strdup (kind), list);
            }
          g_ptr_array_add (list, json_object_get_object_member (change, "data"));
        }
      more = json_object_get_boolean_member (object, "hasMore");
      since = json_object_get_int_member (object, "revision");
    }

  return state;
}

static GPtrArray *
state_list (GHashTable *state,
            const char *kind)
{
  GPtrArray *list = g_hash_table_lookup (state, kind);

  g_assert_nonnull (list);

  return list;
}

static JsonObject *
find_by_id (GPtrArray  *list,
            const char *member,
            const char *id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (list, i), member), id) == 0)
      return g_ptr_array_index (list, i);

  return NULL;
}

/* The local date, in the zone named @zone, of an RFC 3339 instant. */
static char *
local_date (const char *instant,
            const char *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (instant, NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) local = NULL;

  g_assert_nonnull (utc);
  g_assert_nonnull (tz);
  local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%d");
}

static char *
add_days (const char *date,
          int         days)
{
  g_autofree char *text = g_strconcat (date, "T12:00:00Z", NULL);
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);
  g_autoptr(GDateTime) later = NULL;

  g_assert_nonnull (time);
  later = g_date_time_add_days (time, days);

  return g_date_time_format (later, "%Y-%m-%d");
}

/* The office time zone of a shift, from the state. */
static const char *
shift_zone (GHashTable *state,
            JsonObject *shift)
{
  JsonObject *department = find_by_id (state_list (state, "department"), "id",
                                       json_object_get_string_member (shift, "departmentId"));
  JsonObject *office;

  g_assert_nonnull (department);
  office = find_by_id (state_list (state, "office"), "id", json_object_get_string_member (department, "officeId"));
  g_assert_nonnull (office);

  return json_object_get_string_member (office, "timeZone");
}

/* The ids the spec says getScheduled lists for [start, end], in order. */
static GPtrArray *
expected_shifts (GHashTable *state,
                 const char *start,
                 const char *end,
                 const char *department_id,
                 gboolean    drafts)
{
  GPtrArray *list = state_list (state, "shift");
  g_autoptr(GPtrArray) matched = g_ptr_array_new ();
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < list->len; i++)
    {
      JsonObject *shift = g_ptr_array_index (list, i);
      g_autofree char *day = local_date (json_object_get_string_member (shift, "startDateTime"),
                                         shift_zone (state, shift));

      if (json_object_get_boolean_member (shift, "deleted"))
        continue;
      if (!drafts && !json_object_get_boolean_member (shift, "published"))
        continue;
      if (department_id != NULL && g_strcmp0 (json_object_get_string_member (shift, "departmentId"), department_id) != 0)
        continue;
      if (strcmp (day, start) >= 0 && strcmp (day, end) <= 0)
        g_ptr_array_add (matched, shift);
    }

  /* Ordered by start, then id; the instants are all written in UTC with
   * Z and whole seconds, so their text sorts as they do. */
  for (guint i = 1; i < matched->len; i++)
    for (guint j = i; j > 0; j--)
      {
        JsonObject *a = g_ptr_array_index (matched, j - 1);
        JsonObject *b = g_ptr_array_index (matched, j);
        int order = strcmp (json_object_get_string_member (a, "startDateTime"),
                            json_object_get_string_member (b, "startDateTime"));

        if (order == 0)
          order = strcmp (json_object_get_string_member (a, "id"), json_object_get_string_member (b, "id"));
        if (order <= 0)
          break;
        matched->pdata[j - 1] = b;
        matched->pdata[j] = a;
      }

  for (guint i = 0; i < matched->len; i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (g_ptr_array_index (matched, i), "id")));

  return ids;
}

/* Follows a list's pages from @path to the end by `_links.next.href`,
 * checking the envelope on the way, and returns the ids of @member's
 * items (from @id_member) in the order they came. */
static GPtrArray *
collect_pages (Fixture    *fixture,
               const char *path,
               const char *token,
               const char *list_member,
               const char *id_member,
               gint64     *out_page_count)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = g_strdup (path);
  gint64 page_count = -1;
  gint64 page = 1;

  while (url != NULL)
    {
      g_autoptr(JsonNode) reply = NULL;
      JsonObject *object;
      JsonObject *links;
      JsonArray *items;

      g_assert_cmpuint (get (fixture, url, token, &reply), ==, 200);
      object = json_node_get_object (reply);
      items = json_object_get_array_member (object, list_member);
      g_assert_nonnull (items);
      if (page_count < 0)
        page_count = json_object_get_int_member (object, "pageCount");
      g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, page_count);
      g_assert_cmpint (page_count, >=, 1);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          JsonNode *id = json_object_get_member (item, id_member);

          /* Ids are JSON strings (components/schemas/Id). */
          g_assert_nonnull (id);
          g_assert_cmpint (json_node_get_value_type (id), ==, G_TYPE_STRING);
          g_ptr_array_add (ids, g_strdup (json_node_get_string (id)));
        }

      /* Every page but the last is full; the last has no next link. */
      links = json_object_get_object_member (object, "_links");
      g_assert_nonnull (links);
      g_clear_pointer (&url, g_free);
      if (page < page_count)
        {
          JsonObject *next = json_object_get_object_member (links, "next");
          g_autofree char *suffix = g_strdup_printf ("page=%" G_GINT64_FORMAT, page + 1);
          const char *href;

          g_assert_cmpuint (json_array_get_length (items), ==, 100);
          g_assert_nonnull (next);
          href = json_object_get_string_member (next, "href");
          g_assert_true (g_str_has_prefix (href, fixture->base));
          g_assert_true (g_str_has_suffix (href, suffix));
          url = g_strdup (href);
        }
      else
        {
          g_assert_cmpuint (json_object_get_size (links), ==, 0);
          g_assert_cmpuint (json_array_get_length (items), <=, 100);
        }
      page++;
    }

  *out_page_count = page_count;

  return ids;
}

static void
assert_same_ids (GPtrArray *got,
                 GPtrArray *expected)
{
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpstr (g_ptr_array_index (got, i), ==, g_ptr_array_index (expected, i));
}

static gboolean
ids_contain (GPtrArray  *ids,
             const char *id)
{
  return g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL);
}

static GPtrArray *
scheduled_ids (Fixture    *fixture,
               const char *token,
               const char *start,
               const char *end,
               const char *department_id)
{
  g_autofree char *path = NULL;
  gint64 page_count;

  if (department_id != NULL)
    path = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s&departmentId=%s",
                            start, end, department_id);
  else
    path = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s", start, end);

  return collect_pages (fixture, path, token, "shifts", "id", &page_count);
}

/* The first and last local day with a shift in the demo tenant. */
static void
shift_days (GHashTable  *state,
            char       **first,
            char       **last)
{
  GPtrArray *list = state_list (state, "shift");

  *first = NULL;
  *last = NULL;
  for (guint i = 0; i < list->len; i++)
    {
      JsonObject *shift = g_ptr_array_index (list, i);
      char *day = local_date (json_object_get_string_member (shift, "startDateTime"), shift_zone (state, shift));

      if (*first == NULL || strcmp (day, *first) < 0)
        {
          g_free (*first);
          *first = g_strdup (day);
        }
      if (*last == NULL || strcmp (day, *last) > 0)
        {
          g_free (*last);
          *last = g_strdup (day);
        }
      g_free (day);
    }
  g_assert_nonnull (*first);
}

static void
test_scheduled (Fixture       *fixture,
                gconstpointer  data)
{
  const char *planner = token_of (fixture->gamma, "planning:read");
  const char *writer = token_of (fixture->gamma, "planning:write");
  const char *hours = token_of (fixture->gamma, "hours:read");
  g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) state = load_state (fixture, "gamma", planner, feeds);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  JsonObject *night = NULL;
  guint published = 0;

  shift_days (state, &first, &last);

  /* The whole demo window: every shift for a planner, the published ones
   * for hours, in order, all on one page with 88 or so shifts. */
  {
    g_autoptr(GPtrArray) got = scheduled_ids (fixture, planner, first, last, NULL);
    g_autoptr(GPtrArray) expected = expected_shifts (state, first, last, NULL, TRUE);
    g_autoptr(GPtrArray) got_hours = scheduled_ids (fixture, hours, first, last, NULL);
    g_autoptr(GPtrArray) expected_hours = expected_shifts (state, first, last, NULL, FALSE);

    g_assert_cmpuint (expected->len, ==, state_list (state, "shift")->len);
    g_assert_cmpuint (expected->len, >, 0);
    assert_same_ids (got, expected);
    assert_same_ids (got_hours, expected_hours);
    published = expected_hours->len;
    /* The demo has published and draft weeks. */
    g_assert_cmpuint (published, >, 0);
    g_assert_cmpuint (published, <, expected->len);
  }

  /* Each day on its own adds up to the whole, and matches the spec. */
  {
    guint total = 0;
    g_autofree char *day = g_strdup (first);

    while (strcmp (day, last) <= 0)
      {
        g_autoptr(GPtrArray) got = scheduled_ids (fixture, planner, day, day, NULL);
        g_autoptr(GPtrArray) expected = expected_shifts (state, day, day, NULL, TRUE);
        char *next = add_days (day, 1);

        assert_same_ids (got, expected);
        total += got->len;
        g_free (day);
        day = next;
      }
    g_assert_cmpuint (total, ==, state_list (state, "shift")->len);
  }

  /* A night shift across midnight counts for the day it starts on. */
  for (guint i = 0; night == NULL && i < state_list (state, "shift")->len; i++)
    {
      JsonObject *shift = g_ptr_array_index (state_list (state, "shift"), i);
      const char *zone = shift_zone (state, shift);
      g_autofree char *start_day = local_date (json_object_get_string_member (shift, "startDateTime"), zone);
      g_autofree char *end_day = local_date (json_object_get_string_member (shift, "endDateTime"), zone);

      if (strcmp (start_day, end_day) != 0)
        night = shift;
    }
  g_assert_nonnull (night);
  {
    const char *zone = shift_zone (state, night);
    g_autofree char *start_day = local_date (json_object_get_string_member (night, "startDateTime"), zone);
    g_autofree char *end_day = local_date (json_object_get_string_member (night, "endDateTime"), zone);
    g_autoptr(GPtrArray) on_start = scheduled_ids (fixture, planner, start_day, start_day, NULL);
    g_autoptr(GPtrArray) on_end = scheduled_ids (fixture, planner, end_day, end_day, NULL);

    g_assert_true (ids_contain (on_start, json_object_get_string_member (night, "id")));
    g_assert_false (ids_contain (on_end, json_object_get_string_member (night, "id")));
  }

  /* The items: the shift as the codec writes it, ids as strings. */
  {
    g_autofree char *path = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s", first, last);
    g_autoptr(JsonNode) reply = NULL;
    JsonObject *object;
    JsonObject *shift;

    g_assert_cmpuint (get (fixture, path, planner, &reply), ==, 200);
    object = json_node_get_object (reply);
    g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, 1);
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "_links")), ==, 0);
    shift = json_array_get_object_element (json_object_get_array_member (object, "shifts"), 0);
    for (guint i = 0; i < 2; i++)
      {
        const char *member = i == 0 ? "id" : "departmentId";
        g_assert_cmpint (json_node_get_value_type (json_object_get_member (shift, member)), ==, G_TYPE_STRING);
      }
    g_assert_true (json_object_has_member (shift, "startDateTime"));
    g_assert_true (json_object_has_member (shift, "endDateTime"));
    g_assert_true (json_object_has_member (shift, "breakMinutes"));
    g_assert_true (json_object_has_member (shift, "employeeId"));
    g_assert_true (json_object_has_member (shift, "published"));
    g_assert_false (json_object_get_boolean_member (shift, "deleted"));
  }

  /* Window edges in the office's time zone, not UTC: in an Amsterdam
   * office in December (UTC+1), a shift from 23:30 local (22:30Z) is on
   * its day, and one from 00:30 local (23:30Z the day before in UTC) is on
   * the next. Both are drafts, seen only by planners; a deleted shift is
   * never listed. */
  {
    GPtrArray *departments = state_list (state, "department");
    const char *amsterdam = NULL;
    const char *department_id = NULL;
    g_autofree char *late = NULL;
    g_autofree char *early = NULL;
    const char *late_id = "0a1b2c3d-0000-4000-8000-000000000001";
    const char *early_id = "0a1b2c3d-0000-4000-8000-000000000002";

    for (guint i = 0; i < state_list (state, "office")->len; i++)
      {
        JsonObject *office = g_ptr_array_index (state_list (state, "office"), i);

        if (g_str_equal (json_object_get_string_member (office, "timeZone"), "Europe/Amsterdam"))
          amsterdam = json_object_get_string_member (office, "id");
      }
    g_assert_nonnull (amsterdam);
    for (guint i = 0; department_id == NULL && i < departments->len; i++)
      if (g_str_equal (json_object_get_string_member (g_ptr_array_index (departments, i), "officeId"), amsterdam))
        department_id = json_object_get_string_member (g_ptr_array_index (departments, i), "id");
    g_assert_nonnull (department_id);

    late = g_strdup_printf ("{\"id\": \"%s\", \"departmentId\": \"%s\", \"startDateTime\": \"2027-01-14T22:30:00Z\", "
                            "\"endDateTime\": \"2027-01-15T06:00:00Z\", \"breakMinutes\": 30}", late_id, department_id);
    early = g_strdup_printf ("{\"id\": \"%s\", \"departmentId\": \"%s\", \"startDateTime\": \"2027-01-14T23:30:00Z\", "
                             "\"endDateTime\": \"2027-01-15T07:00:00Z\", \"breakMinutes\": 30}", early_id, department_id);
    g_assert_cmpuint (send_full (fixture, "PUT", "/gamma/api/planning/v3/shifts/0a1b2c3d-0000-4000-8000-000000000001",
                                 writer, late, "If-None-Match", "*", NULL), ==, 201);
    g_assert_cmpuint (send_full (fixture, "PUT", "/gamma/api/planning/v3/shifts/0a1b2c3d-0000-4000-8000-000000000002",
                                 writer, early, "If-None-Match", "*", NULL), ==, 201);

    {
      g_autoptr(GPtrArray) day14 = scheduled_ids (fixture, planner, "2027-01-14", "2027-01-14", NULL);
      g_autoptr(GPtrArray) day15 = scheduled_ids (fixture, planner, "2027-01-15", "2027-01-15", NULL);
      g_autoptr(GPtrArray) both = scheduled_ids (fixture, planner, "2027-01-14", "2027-01-15", department_id);
      g_autoptr(GPtrArray) day13 = scheduled_ids (fixture, planner, "2027-01-13", "2027-01-13", NULL);
      g_autoptr(GPtrArray) hours_both = scheduled_ids (fixture, hours, "2027-01-14", "2027-01-15", NULL);

      g_assert_cmpuint (day14->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (day14, 0), ==, late_id);
      g_assert_cmpuint (day15->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (day15, 0), ==, early_id);
      g_assert_cmpuint (both->len, ==, 2);
      g_assert_cmpstr (g_ptr_array_index (both, 0), ==, late_id);
      g_assert_cmpuint (day13->len, ==, 0);
      g_assert_cmpuint (hours_both->len, ==, 0);
    }

    /* departmentId: only that department's shifts. */
    {
      g_autoptr(GPtrArray) got = scheduled_ids (fixture, planner, first, last, department_id);
      g_autoptr(GPtrArray) expected = expected_shifts (state, first, last, department_id, TRUE);

      assert_same_ids (got, expected);
      g_assert_cmpuint (got->len, <, state_list (state, "shift")->len);
    }

    g_assert_cmpuint (send_full (fixture, "DELETE", "/gamma/api/planning/v3/shifts/0a1b2c3d-0000-4000-8000-000000000001",
                                 writer, NULL, "If-Match", "\"1\"", NULL), ==, 204);
    {
      g_autoptr(GPtrArray) day14 = scheduled_ids (fixture, planner, "2027-01-14", "2027-01-15", NULL);

      g_assert_cmpuint (day14->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (day14, 0), ==, early_id);
    }
  }

  /* A window of 366 days is allowed; outside the years with shifts it is
   * one empty page. */
  {
    g_autoptr(JsonNode) reply = NULL;
    JsonObject *object;

    g_assert_cmpuint (get (fixture, "/gamma/api/business/v3/scheduled?startDate=1990-01-01&endDate=1991-01-01",
                           planner, &reply), ==, 200);
    object = json_node_get_object (reply);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "shifts")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, 1);
  }
}

/* Puts a shift of the first department, today + @day_offset from 11:00 to
 * 13:00 UTC, with a note and a break. */
static void
put_clock_test_shift (Fixture    *fixture,
                      GHashTable *state,
                      const char *id,
                      const char *today,
                      int         day_offset,
                      gboolean    published)
{
  g_autofree char *day = add_days (today, day_offset);
  g_autofree char *path = g_strdup_printf ("/gamma/api/planning/v3/shifts/%s", id);
  g_autofree char *shift = NULL;
  JsonObject *employee = g_ptr_array_index (state_list (state, "employee"), 0);

  shift = g_strdup_printf ("{\"id\": \"%s\", \"departmentId\": \"%s\", \"employeeId\": \"%s\", "
                           "\"startDateTime\": \"%sT11:00:00Z\", \"endDateTime\": \"%sT13:00:00Z\", "
                           "\"breakMinutes\": 15, \"note\": \"Arzttermin 14 Uhr\", \"published\": %s}",
                           id, json_object_get_string_member (g_ptr_array_index (state_list (state, "department"), 0), "id"),
                           json_object_get_string_member (employee, "employeeId"), day, day, published ? "true" : "false");
  g_assert_cmpuint (send_full (fixture, "PUT", path, token_of (fixture->gamma, "planning:write"), shift,
                               "If-None-Match", "*", NULL), ==, 201);
}

#define CLOCK_TODAY     "0a1b2c3d-0000-4000-8000-0000000000c1"
#define CLOCK_DRAFT     "0a1b2c3d-0000-4000-8000-0000000000c2"
#define CLOCK_LATER     "0a1b2c3d-0000-4000-8000-0000000000c3"

/* A kiosk (a token with only the clock scope) reads the published
 * shifts of a few days around now (two days back to three ahead, UTC
 * dates; a wider window is 403), with only who, where and when: no note,
 * no break. Drafts and next month's shifts it never sees, and its change
 * feed has no shifts, punches, corrections, approvals, absences or
 * availability at all (data/openapi.yaml, getScheduled and getChanges). */
static void
test_scheduled_clock (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *kiosk = token_of (fixture->gamma, "clock");
  const char *planner = token_of (fixture->gamma, "planning:read");
  static const char * const kiosk_members[] = {
    "id", "version", "updatedAt", "employeeId", "departmentId", "startDateTime", "endDateTime", "published", NULL
  };
  g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  /* Shifts today at noon UTC, so the kiosk has one to see whatever day
   * of the demo's weeks today is: one published, one a draft, and one
   * published a month ahead. */
  state = load_state (fixture, "gamma", planner, feeds);
  put_clock_test_shift (fixture, state, CLOCK_TODAY, today, 0, TRUE);
  put_clock_test_shift (fixture, state, CLOCK_DRAFT, today, 0, FALSE);
  put_clock_test_shift (fixture, state, CLOCK_LATER, today, 30, TRUE);
  g_clear_pointer (&state, g_hash_table_unref);
  state = load_state (fixture, "gamma", planner, feeds);

  {
    g_autofree char *yesterday = add_days (today, -1);
    g_autofree char *after_tomorrow = add_days (today, 2);
    g_autofree char *first = add_days (today, -2);
    g_autofree char *last = add_days (today, 3);
    g_autofree char *before = add_days (today, -3);
    g_autofree char *after = add_days (today, 4);
    g_autofree char *later = add_days (today, 30);
    g_autofree char *widest = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s",
                                               first, last);
    g_autofree char *wide_start = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s",
                                                   before, today);
    g_autofree char *wide_end = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s",
                                                 today, after);
    g_autofree char *next_month = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s",
                                                   later, later);
    g_autofree char *today_only = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s",
                                                   today, today);
    g_autoptr(GPtrArray) got = scheduled_ids (fixture, kiosk, yesterday, after_tomorrow, NULL);
    g_autoptr(GPtrArray) expected = expected_shifts (state, yesterday, after_tomorrow, NULL, FALSE);
    g_autoptr(GPtrArray) widest_got = scheduled_ids (fixture, kiosk, first, last, NULL);
    g_autoptr(JsonNode) reply = NULL;
    JsonArray *shifts;
    gboolean seen = FALSE;

    assert_same_ids (got, expected);
    g_assert_true (ids_contain (got, CLOCK_TODAY));
    g_assert_false (ids_contain (got, CLOCK_DRAFT));
    g_assert_false (ids_contain (widest_got, CLOCK_DRAFT));
    g_assert_false (ids_contain (widest_got, CLOCK_LATER));

    /* Only the members a kiosk needs, on every shift it is given. */
    g_assert_cmpuint (get (fixture, today_only, kiosk, &reply), ==, 200);
    shifts = json_object_get_array_member (json_node_get_object (reply), "shifts");
    for (guint i = 0; i < json_array_get_length (shifts); i++)
      {
        JsonObject *shift = json_array_get_object_element (shifts, i);
        g_autoptr(GList) members = json_object_get_members (shift);

        for (GList *l = members; l != NULL; l = l->next)
          g_assert_true (g_strv_contains (kiosk_members, l->data));
        g_assert_true (json_object_get_boolean_member (shift, "published"));
        if (g_str_equal (json_object_get_string_member (shift, "id"), CLOCK_TODAY))
          seen = TRUE;
      }
    g_assert_true (seen);
    g_clear_pointer (&reply, json_node_unref);
    /* A planner gets all of it. */
    g_assert_cmpuint (get (fixture, today_only, planner, &reply), ==, 200);
    {
      g_autofree char *text = json_to_string (reply, FALSE);

      g_assert_nonnull (strstr (text, "Arzttermin"));
    }
    g_clear_pointer (&reply, json_node_unref);

    g_assert_cmpuint (get (fixture, widest, kiosk, NULL), ==, 200);
    g_assert_cmpuint (get (fixture, wide_start, kiosk, &reply), ==, 403);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (reply), "error"),
                                                    "code"), ==, "forbidden");
    g_clear_pointer (&reply, json_node_unref);
    g_assert_cmpuint (get (fixture, wide_end, kiosk, NULL), ==, 403);
    g_assert_cmpuint (get (fixture, next_month, kiosk, NULL), ==, 403);
    /* The same windows are fine for a planner. */
    g_assert_cmpuint (get (fixture, wide_start, planner, NULL), ==, 200);
    g_assert_cmpuint (get (fixture, next_month, planner, NULL), ==, 200);

    /* Nothing else of the plan or the hours comes through the feed. */
    {
      static const char * const kiosk_kinds[] = { "office", "department", "employee", NULL };
      g_autofree char *everything = NULL;
      guint n = 0;

      g_assert_cmpuint (get (fixture, "/gamma/api/sync/v3/changes?limit=10000", kiosk, &reply), ==, 200);
      g_assert_false (json_object_get_boolean_member (json_node_get_object (reply), "hasMore"));
      shifts = json_object_get_array_member (json_node_get_object (reply), "changes");
      for (guint i = 0; i < json_array_get_length (shifts); i++, n++)
        g_assert_true (g_strv_contains (kiosk_kinds, json_object_get_string_member (json_array_get_object_element (shifts, i),
                                                                                  "entity")));
      g_assert_cmpuint (n, >, 0);
      everything = json_to_string (reply, FALSE);
      g_assert_null (strstr (everything, "Arzttermin"));
      g_assert_null (strstr (everything, CLOCK_TODAY));
    }
  }
}

static void
test_employees (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) state = load_state (fixture, "gamma", token_of (fixture->gamma, "planning:read"), feeds);
  static const char * const kiosk_members[] = {
    "employeeId", "version", "updatedAt", "firstName", "lastNamePrefix", "lastName",
    "cardNumbers", "departmentIds", "kioskPinHash", NULL
  };
  static const char * const scopes[] = { "planning:read", "planning:write", "hours:read", "hours:write", "clock" };

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      g_autoptr(JsonNode) reply = NULL;
      gboolean kiosk = g_str_equal (scopes[s], "clock");
      JsonObject *object;
      JsonArray *employees;
      const char *previous = "";

      g_assert_cmpuint (get (fixture, "/gamma/api/business/v3/employees", token_of (fixture->gamma, scopes[s]), &reply), ==, 200);
      object = json_node_get_object (reply);
      employees = json_object_get_array_member (object, "employees");
      g_assert_cmpuint (json_array_get_length (employees), ==, 10);
      g_assert_cmpuint (json_array_get_length (employees), ==, state_list (state, "employee")->len);
      g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, 1);
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "_links")), ==, 0);

      for (guint i = 0; i < json_array_get_length (employees); i++)
        {
          JsonObject *employee = json_array_get_object_element (employees, i);
          const char *id = json_object_get_string_member (employee, "employeeId");
          g_autoptr(GList) members = json_object_get_members (employee);

          g_assert_cmpint (json_node_get_value_type (json_object_get_member (employee, "employeeId")), ==, G_TYPE_STRING);
          g_assert_nonnull (find_by_id (state_list (state, "employee"), "employeeId", id));
          /* Ordered by id. */
          g_assert_cmpint (strcmp (previous, id), <, 0);
          previous = id;

          if (kiosk)
            {
              for (GList *l = members; l != NULL; l = l->next)
                g_assert_true (g_strv_contains (kiosk_members, l->data));
              g_assert_true (json_object_has_member (employee, "kioskPinHash"));
              g_assert_false (json_object_has_member (employee, "email"));
              g_assert_false (json_object_has_member (employee, "hourlyWageCents"));
            }
          else
            {
              g_assert_false (json_object_has_member (employee, "kioskPinHash"));
              g_assert_true (json_object_has_member (employee, "email"));
              g_assert_true (json_object_has_member (employee, "personnelNumber"));
            }
        }
    }

  /* A page past the last is an empty list. */
  {
    g_autoptr(JsonNode) reply = NULL;
    JsonObject *object;

    g_assert_cmpuint (get (fixture, "/gamma/api/business/v3/employees?page=2", token_of (fixture->gamma, "hours:read"),
                           &reply), ==, 200);
    object = json_node_get_object (reply);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "employees")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, 1);
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "_links")), ==, 0);
  }
}

/* Every office once, each of its departments once, nested by parentId. */
static guint
check_departments (JsonArray  *departments,
                   GHashTable *state,
                   const char *office_id,
                   const char *parent_id,
                   GHashTable *seen)
{
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (departments); i++)
    {
      JsonObject *department = json_array_get_object_element (departments, i);
      const char *id = json_object_get_string_member (department, "id");
      JsonObject *stored = find_by_id (state_list (state, "department"), "id", id);

      g_assert_nonnull (stored);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (department, "id")), ==, G_TYPE_STRING);
      g_assert_cmpstr (json_object_get_string_member (department, "officeId"), ==, office_id);
      g_assert_cmpstr (json_object_get_string_member (department, "name"), ==,
                       json_object_get_string_member (stored, "name"));
      if (parent_id == NULL)
        g_assert_true (json_object_get_null_member (department, "parentId"));
      else
        g_assert_cmpstr (json_object_get_string_member (department, "parentId"), ==, parent_id);
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);
      count += 1 + check_departments (json_object_get_array_member (department, "departments"), state, office_id, id,
                                      seen);
    }

  return count;
}

static void
test_tree (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) state = load_state (fixture, "gamma", token_of (fixture->gamma, "planning:read"), feeds);
  static const char * const scopes[] = { "planning:read", "planning:write", "hours:read", "hours:write", "clock" };

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      g_autoptr(JsonNode) reply = NULL;
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      JsonObject *object;
      JsonArray *offices;
      guint departments = 0;

      g_assert_cmpuint (get (fixture, "/gamma/api/department-management/v3/tree", token_of (fixture->gamma, scopes[s]),
                             &reply), ==, 200);
      object = json_node_get_object (reply);
      g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, 1);
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "_links")), ==, 0);
      offices = json_object_get_array_member (object, "offices");
      g_assert_cmpuint (json_array_get_length (offices), ==, state_list (state, "office")->len);
      g_assert_cmpuint (json_array_get_length (offices), ==, 2);

      for (guint i = 0; i < json_array_get_length (offices); i++)
        {
          JsonObject *office = json_array_get_object_element (offices, i);
          const char *id = json_object_get_string_member (office, "id");

          g_assert_nonnull (find_by_id (state_list (state, "office"), "id", id));
          g_assert_nonnull (json_object_get_string_member (office, "timeZone"));
          g_assert_nonnull (json_object_get_string_member (office, "rulesProfile"));
          departments += check_departments (json_object_get_array_member (office, "departments"), state, id, NULL, seen);
        }
      g_assert_cmpuint (departments, ==, state_list (state, "department")->len);
    }
}

static void
test_sick_leave (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *planner = token_of (fixture->gamma, "planning:read");
  g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) state = load_state (fixture, "gamma", planner, feeds);
  GPtrArray *absences = state_list (state, "absence");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  const char *windows[][2] = {
    { NULL, NULL }, { NULL, NULL }, { NULL, NULL }, { "2030-06-01", "2030-06-30" }, { "2000-01-01", "2000-12-31" },
  };
  g_autofree char *a = add_days (today, -60);
  g_autofree char *b = add_days (today, 60);
  g_autofree char *c = add_days (today, -7);
  guint sick = 0;

  windows[0][0] = a;
  windows[0][1] = b;
  windows[1][0] = c;
  windows[1][1] = c;
  windows[2][0] = today;
  windows[2][1] = today;

  for (guint i = 0; i < absences->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (absences, i), "kind"), "sick"))
      sick++;
  /* The demo tenant has sick leave, and other absences that are not. */
  g_assert_cmpuint (sick, >, 0);

  for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      const char *start = windows[w][0];
      const char *end = windows[w][1];
      g_autofree char *path = g_strdup_printf ("/gamma/api/absence/v3/sick-leave?startDate=%s&endDate=%s", start, end);
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();
      g_autoptr(JsonNode) reply = NULL;
      JsonObject *object;
      JsonArray *list;

      for (guint i = 0; i < absences->len; i++)
        {
          JsonObject *absence = g_ptr_array_index (absences, i);
          const char *absence_end = json_object_get_null_member (absence, "endDate") ? NULL :
                                    json_object_get_string_member (absence, "endDate");

          if (g_str_equal (json_object_get_string_member (absence, "kind"), "sick") &&
              strcmp (json_object_get_string_member (absence, "startDate"), end) <= 0 &&
              (absence_end == NULL || strcmp (absence_end, start) >= 0))
            g_ptr_array_add (expected, absence);
        }

      for (guint s = 0; s < 4; s++)
        {
          static const char * const scopes[] = { "planning:read", "planning:write", "hours:read", "hours:write" };

          g_clear_pointer (&reply, json_node_unref);
          g_assert_cmpuint (get (fixture, path, token_of (fixture->gamma, scopes[s]), &reply), ==, 200);
          object = json_node_get_object (reply);
          list = json_object_get_array_member (object, "sickLeave");
          g_assert_cmpuint (json_array_get_length (list), ==, expected->len);
          g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, 1);
          g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "_links")), ==, 0);
          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              JsonObject *item = json_array_get_object_element (list, i);

              g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "sick");
              g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "id")), ==, G_TYPE_STRING);
              g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "employeeId")), ==, G_TYPE_STRING);
              g_assert_nonnull (find_by_id (expected, "id", json_object_get_string_member (item, "id")));
            }
        }
    }
}

/* Paging over a tenant with more than a page: 250 employees. */
static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  const char *planner = token_of (fixture->gamma, "planning:read");
  g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) state = load_state (fixture, "gamma", planner, feeds);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  gint64 page_count;

  /* Employees: 3 pages of 100, 100 and 50, ordered by id. */
  {
    g_autoptr(GPtrArray) ids = collect_pages (fixture, "/gamma/api/business/v3/employees", planner,
                                              "employees", "employeeId", &page_count);
    g_autoptr(GHashTable) unique = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_cmpint (page_count, ==, 3);
    g_assert_cmpuint (ids->len, ==, 250);
    for (guint i = 0; i < ids->len; i++)
      {
        g_hash_table_add (unique, g_ptr_array_index (ids, i));
        if (i > 0)
          g_assert_cmpint (strcmp (g_ptr_array_index (ids, i - 1), g_ptr_array_index (ids, i)), <, 0);
      }
    g_assert_cmpuint (g_hash_table_size (unique), ==, 250);
  }

  /* Scheduled: the next links keep the rest of the query (in any order,
   * with unknown parameters too) and the pages add up to the spec's list. */
  shift_days (state, &first, &last);
  {
    g_autofree char *path = g_strdup_printf ("/gamma/api/business/v3/scheduled?endDate=%s&x=y%%20z&startDate=%s",
                                             last, first);
    g_autoptr(GPtrArray) ids = collect_pages (fixture, path, planner, "shifts", "id", &page_count);
    g_autoptr(GPtrArray) expected = expected_shifts (state, first, last, NULL, TRUE);
    g_autofree char *page2 = g_strdup_printf ("/gamma/api/business/v3/scheduled?endDate=%s&x=y%%20z&startDate=%s&page=2",
                                              last, first);
    g_autofree char *past = g_strdup_printf ("/gamma/api/business/v3/scheduled?startDate=%s&endDate=%s&page=%" G_GINT64_FORMAT,
                                             first, last, page_count + 1);
    g_autoptr(JsonNode) reply = NULL;
    const char *href;
    g_autofree char *wanted = NULL;

    g_assert_cmpuint (expected->len, >, 200);
    g_assert_cmpint (page_count, ==, (expected->len + 99) / 100);
    assert_same_ids (ids, expected);

    /* page=1's link, exactly: same scheme, host, path and query. */
    g_assert_cmpuint (get (fixture, path, planner, &reply), ==, 200);
    href = json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (
                                            json_node_get_object (reply), "_links"), "next"), "href");
    wanted = g_strconcat (fixture->base, page2 + 1, NULL);
    g_assert_cmpstr (href, ==, wanted);
    g_clear_pointer (&reply, json_node_unref);

    /* A page past the last: an empty list, the same pageCount. */
    g_assert_cmpuint (get (fixture, past, planner, &reply), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "shifts")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "pageCount"), ==, page_count);
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (reply), "_links")), ==, 0);
  }
}

/* Scopes, tokens and tenants: 401 without a valid token, 403 without an
 * allowed scope, 404 for a token of another tenant on every route. */
static void
test_access (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct
  {
    const char *path;
    gboolean    clock_allowed;
  } routes[] = {
    { "/api/business/v3/scheduled?startDate=2026-01-01&endDate=2026-01-02", FALSE },
    { "/api/business/v3/employees", TRUE },
    { "/api/department-management/v3/tree", TRUE },
    { "/api/absence/v3/sick-leave?startDate=2026-01-01&endDate=2026-01-02", FALSE },
  };
  static const char * const scopes[] = { "planning:read", "planning:write", "hours:read", "hours:write", "clock" };

  for (guint r = 0; r < G_N_ELEMENTS (routes); r++)
    {
      g_autofree char *gamma = g_strconcat ("/gamma", routes[r].path, NULL);
      g_autofree char *missing = g_strconcat ("/nosuchtenant", routes[r].path, NULL);

      for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
        {
          guint expected = g_str_equal (scopes[s], "clock") && !routes[r].clock_allowed ? 403 : 200;
          g_autoptr(JsonNode) reply = NULL;

          g_assert_cmpuint (get (fixture, gamma, token_of (fixture->gamma, scopes[s]), &reply), ==, expected);
          if (expected == 403)
            g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (reply),
                                                                                           "error"), "code"), ==, "forbidden");
          g_clear_pointer (&reply, json_node_unref);

          /* Tenant isolation: delta's tokens on gamma, whatever the scope. */
          g_assert_cmpuint (get (fixture, gamma, token_of (fixture->delta, scopes[s]), &reply), ==, 404);
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (reply),
                                                                                         "error"), "code"), ==, "not_found");
          g_assert_cmpuint (get (fixture, missing, token_of (fixture->gamma, scopes[s]), NULL), ==, 404);
        }

      g_assert_cmpuint (get (fixture, gamma, NULL, NULL), ==, 401);
      g_assert_cmpuint (get (fixture, gamma, "rota_not-a-real-token", NULL), ==, 401);
    }

  /* delta's own tokens work on delta, and see delta's data only. */
  {
    g_autoptr(JsonNode) reply = NULL;

    g_assert_cmpuint (get (fixture, "/delta/api/business/v3/employees", token_of (fixture->delta, "hours:read"), &reply), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "employees")), ==, 5);
  }
}

/* Malformed query parameters: 400 invalid_parameter naming the parameter. */
static void
test_bad_parameters (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *field;
  } cases[] = {
    { "/api/business/v3/scheduled", "startDate" },
    { "/api/business/v3/scheduled?endDate=2026-11-29", "startDate" },
    { "/api/business/v3/scheduled?startDate=2026-11-23", "endDate" },
    { "/api/business/v3/scheduled?startDate=&endDate=2026-11-29", "startDate" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=", "endDate" },
    { "/api/business/v3/scheduled?startDate=23-11-2026&endDate=2026-11-29", "startDate" },
    { "/api/business/v3/scheduled?startDate=2026-11-23T00:00:00Z&endDate=2026-11-29", "startDate" },
    { "/api/business/v3/scheduled?startDate=2026-02-30&endDate=2026-03-01", "startDate" },
    { "/api/business/v3/scheduled?startDate=2026-13-01&endDate=2027-01-01", "startDate" },
    { "/api/business/v3/scheduled?startDate=2026-1-1&endDate=2026-01-02", "startDate" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026/11/29", "endDate" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-22", "endDate" },
    { "/api/business/v3/scheduled?startDate=2026-01-01&endDate=2027-01-02", "endDate" },
    { "/api/business/v3/scheduled?startDate=2024-01-01&endDate=2024-12-31&page=0", "page" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&page=-1", "page" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&page=abc", "page" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&page=1.5", "page" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&page=", "page" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&page=%2B2", "page" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&page=99999999999999999999999", "page" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&departmentId=", "departmentId" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&departmentId=a%20b", "departmentId" },
    { "/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-29&departmentId=no-such-department", "departmentId" },
    { "/api/business/v3/employees?page=0", "page" },
    { "/api/business/v3/employees?page=x", "page" },
    { "/api/absence/v3/sick-leave", "startDate" },
    { "/api/absence/v3/sick-leave?startDate=2026-11-23", "endDate" },
    { "/api/absence/v3/sick-leave?startDate=nope&endDate=2026-11-29", "startDate" },
    { "/api/absence/v3/sick-leave?startDate=2026-11-23&endDate=2026-11-22", "endDate" },
    { "/api/absence/v3/sick-leave?startDate=2025-01-01&endDate=2026-01-02", "endDate" },
    { "/api/absence/v3/sick-leave?startDate=2026-11-23&endDate=2026-11-29&page=0", "page" },
  };
  const char *planner = token_of (fixture->gamma, "planning:write");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/gamma", cases[i].path, NULL);
      g_autoptr(JsonNode) reply = NULL;
      JsonObject *error;

      g_assert_cmpuint (get (fixture, path, planner, &reply), ==, 400);
      error = json_object_get_object_member (json_node_get_object (reply), "error");
      g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "invalid_parameter");
      g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, cases[i].field);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "message"), cases[i].field));
    }

  /* The edges that are fine: 366 days, one day, a large page. */
  g_assert_cmpuint (get (fixture, "/gamma/api/business/v3/scheduled?startDate=2024-01-01&endDate=2024-12-31",
                         planner, NULL), ==, 200);
  g_assert_cmpuint (get (fixture, "/gamma/api/business/v3/scheduled?startDate=2026-01-01&endDate=2027-01-01",
                         planner, NULL), ==, 200);
  g_assert_cmpuint (get (fixture, "/gamma/api/business/v3/scheduled?startDate=2026-11-23&endDate=2026-11-23&page=4000000000",
                         planner, NULL), ==, 200);
  g_assert_cmpuint (get (fixture, "/gamma/api/business/v3/employees?page=18446744073709551615", planner, NULL), ==, 200);

  /* The server is still up. */
  g_assert_cmpuint (get (fixture, "/gamma/api/department-management/v3/tree", planner, NULL), ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/dyflexis/scheduled", Fixture, NULL, fixture_set_up, test_scheduled, fixture_tear_down);
  g_test_add ("/server/dyflexis/scheduled-clock", Fixture, NULL, fixture_set_up, test_scheduled_clock, fixture_tear_down);
  g_test_add ("/server/dyflexis/employees", Fixture, NULL, fixture_set_up, test_employees, fixture_tear_down);
  g_test_add ("/server/dyflexis/tree", Fixture, NULL, fixture_set_up, test_tree, fixture_tear_down);
  g_test_add ("/server/dyflexis/sick-leave", Fixture, NULL, fixture_set_up, test_sick_leave, fixture_tear_down);
  g_test_add ("/server/dyflexis/paging", Fixture, "250", fixture_set_up, test_paging, fixture_tear_down);
  g_test_add ("/server/dyflexis/access", Fixture, NULL, fixture_set_up, test_access, fixture_tear_down);
  g_test_add ("/server/dyflexis/bad-parameters", Fixture, NULL, fixture_set_up, test_bad_parameters, fixture_tear_down);

  return g_test_run ();
}
