/* test-mirror.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The read-only mirror of a plain Dyflexis server: against a fake Dyflexis
 * in a thread of this process (plain HTTP on loopback) that serves the v3
 * lists as reference/dyflexis-api.md describes them, with numeric ids,
 * several pages each, pageCount and _links.next.href; then once against
 * the real rota-server, which serves the same lists.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "rota-client.h"
#include "rota-codec.h"
#include "rota-mirror.h"
#include "rota-model-private.h"
#include "rota-store-mirror.h"
#include "rota-store-private.h"
#include "rota-time.h"
#include "server-harness.h"
#include "test-http.h"

#define TENANT    "acme"
#define TOKEN     "dyf-secret-token"
#define PAGE_SIZE 2

/* The windows: a long one, read in two parts of at most 366 days, and
 * March 2026 (Amsterdam is UTC+1 until the 29th, UTC+2 after). */
#define LONG_START  "2025-01-01"
#define LONG_END    "2026-06-30"
#define MARCH_START "2026-03-01"
#define MARCH_END   "2026-03-31"

/* The fake Dyflexis */

typedef enum
{
  FAULT_NONE,
  FAULT_MALFORMED,       /* not JSON */
  FAULT_TRUNCATED,       /* JSON cut short; Content-Length agrees */
  FAULT_SHORT_BODY,      /* Content-Length of the whole page, two thirds sent, then the connection closes */
  FAULT_CUT,             /* the connection closed without an answer */
  FAULT_HUGE_DECLARED,   /* Content-Length beyond ROTA_CLIENT_MAX_RESPONSE */
  FAULT_HUGE_STREAM,     /* a chunked body beyond ROTA_CLIENT_MAX_RESPONSE */
  FAULT_PAGE_COUNT,      /* a pageCount that disagrees with the first page's */
  FAULT_ELSEWHERE,       /* a next link to another host */
  FAULT_RECORD,          /* the page's first record replaced by another text */
  FAULT_STATUS,          /* an error status */
  FAULT_HTML,            /* a login page instead of JSON */
} FaultKind;

typedef struct
{
  const char *name;
  const char *list;        /* the path's last segment, such as "scheduled" */
  guint       page;
  const char *part_start;  /* only for this part of the window, or NULL */
  FaultKind   kind;
  const char *record;      /* FAULT_RECORD */
  guint       status;      /* FAULT_STATUS */
  gboolean    mirror_error;  /* expected: a ROTA_MIRROR_ERROR, else a ROTA_CLIENT_ERROR */
  int         code;        /* expected error code, or -1 for any of the domain */
} Fault;

typedef struct
{
  char *id;
  char *first_day;   /* the day it is listed under */
  char *last_day;    /* the last day it overlaps (sick leave), or NULL for open */
  char *json;
} Record;

typedef struct
{
  TestHttp     *http;        /* set before the first request, so the handler may read it */
  GMutex        lock;

  /* Under lock. */
  GHashTable   *records;     /* list → GPtrArray of Record */
  GHashTable   *forbidden;   /* lists answered with 403 */
  GPtrArray    *parts;       /* "list start end" of each first page asked for */
  const Fault  *fault;
  guint         requests;
} Fake;

static void
record_free (Record *record)
{
  g_free (record->id);
  g_free (record->first_day);
  g_free (record->last_day);
  g_free (record->json);
  g_free (record);
}

static const char *
member_of (const char *list)
{
  if (strcmp (list, "tree") == 0)
    return "offices";
  if (strcmp (list, "scheduled") == 0)
    return "shifts";
  if (strcmp (list, "sick-leave") == 0)
    return "sickLeave";
  if (strcmp (list, "registered-hours") == 0)
    return "registeredHours";
  return list;
}

static gboolean
is_windowed (const char *list)
{
  return strcmp (list, "tree") != 0 && strcmp (list, "employees") != 0;
}

/* Adds or replaces a record of @list. */
static void
fake_put (Fake       *fake,
          const char *list,
          const char *id,
          const char *first_day,
          const char *last_day,
          const char *json)
{
  GPtrArray *records;
  Record *record = g_new0 (Record, 1);

  record->id = g_strdup (id);
  record->first_day = g_strdup (first_day);
  record->last_day = g_strdup (last_day);
  record->json = g_strdup (json);

  g_mutex_lock (&fake->lock);
  records = g_hash_table_lookup (fake->records, list);
  if (records == NULL)
    {
      records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
      g_hash_table_insert (fake->records, g_strdup (list), records);
    }
  for (guint i = 0; i < records->len; i++)
    if (strcmp (((Record *) g_ptr_array_index (records, i))->id, id) == 0)
      {
        g_ptr_array_remove_index (records, i);
        g_ptr_array_insert (records, i, record);
        record = NULL;
        break;
      }
  if (record != NULL)
    g_ptr_array_add (records, record);
  g_mutex_unlock (&fake->lock);
}

static void
fake_remove (Fake       *fake,
             const char *list,
             const char *id)
{
  GPtrArray *records;
  gboolean found = FALSE;

  g_mutex_lock (&fake->lock);
  records = g_hash_table_lookup (fake->records, list);
  for (guint i = 0; records != NULL && i < records->len; i++)
    if (strcmp (((Record *) g_ptr_array_index (records, i))->id, id) == 0)
      {
        g_ptr_array_remove_index (records, i);
        found = TRUE;
        break;
      }
  g_mutex_unlock (&fake->lock);

  g_assert_true (found);
}

static void
fake_set_fault (Fake        *fake,
                const Fault *fault)
{
  g_mutex_lock (&fake->lock);
  fake->fault = fault;
  g_mutex_unlock (&fake->lock);
}

static void
fake_forbid (Fake       *fake,
             const char *list,
             gboolean    forbidden)
{
  g_mutex_lock (&fake->lock);
  if (forbidden)
    g_hash_table_add (fake->forbidden, g_strdup (list));
  else
    g_hash_table_remove (fake->forbidden, list);
  g_mutex_unlock (&fake->lock);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *message)
{
  g_autofree char *body = g_strdup_printf ("{\"error\": {\"code\": \"error\", \"message\": \"%s\"}}", message);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* Writes @head and @body straight to the connection and closes it. */
static void
write_raw (SoupServerMessage *msg,
           const char        *head,
           const char        *body,
           gsize              length)
{
  g_autoptr(GIOStream) io = soup_server_message_steal_connection (msg);
  GOutputStream *out = g_io_stream_get_output_stream (io);

  if (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL) && body != NULL)
    g_output_stream_write_all (out, body, length, NULL, NULL, NULL);
  g_io_stream_close (io, NULL, NULL);
}

/* A chunked body of more than ROTA_CLIENT_MAX_RESPONSE bytes: a list that
 * is all spaces. The client stops reading at the limit; the writes after
 * that fail and end it. */
static void
write_huge_stream (SoupServerMessage *msg,
                   const char        *member)
{
  g_autoptr(GIOStream) io = soup_server_message_steal_connection (msg);
  GOutputStream *out = g_io_stream_get_output_stream (io);
  const gsize chunk = 1024 * 1024;
  g_autofree char *spaces = g_malloc (chunk);
  g_autofree char *start = g_strdup_printf ("{\"%s\": [", member);
  g_autofree char *first = g_strdup_printf ("%zx\r\n%s\r\n", strlen (start), start);
  g_autofree char *size = g_strdup_printf ("%zx\r\n", chunk);
  const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  gboolean ok;

  memset (spaces, ' ', chunk);
  ok = g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL) &&
       g_output_stream_write_all (out, first, strlen (first), NULL, NULL, NULL);
  for (gsize written = 0; ok && written <= ROTA_CLIENT_MAX_RESPONSE; written += chunk)
    ok = g_output_stream_write_all (out, size, strlen (size), NULL, NULL, NULL) &&
         g_output_stream_write_all (out, spaces, chunk, NULL, NULL, NULL) &&
         g_output_stream_write_all (out, "\r\n", 2, NULL, NULL, NULL);
  if (ok)
    g_output_stream_write_all (out, "3\r\n]}\n\r\n0\r\n\r\n", 13, NULL, NULL, NULL);
  g_io_stream_close (io, NULL, NULL);
}

/* The absolute address of this request with page=@page, keeping the rest
 * of its query, as Dyflexis writes _links.next.href. */
static char *
next_href (Fake       *fake,
           const char *path,
           GHashTable *query,
           guint       page,
           gboolean    elsewhere)
{
  GString *href = g_string_new (elsewhere ? "http://elsewhere.example.org/"
                                          : test_http_get_base (fake->http));
  const char *start = query != NULL ? g_hash_table_lookup (query, "startDate") : NULL;
  const char *end = query != NULL ? g_hash_table_lookup (query, "endDate") : NULL;

  g_string_append (href, path + 1);
  g_string_append_c (href, '?');
  if (start != NULL && end != NULL)
    g_string_append_printf (href, "startDate=%s&endDate=%s&", start, end);
  g_string_append_printf (href, "page=%u", page);

  return g_string_free (href, FALSE);
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fake *fake = user_data;
  const char *list = strrchr (path, '/') + 1;
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  const char *number = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  const char *start = query != NULL ? g_hash_table_lookup (query, "startDate") : NULL;
  const char *end = query != NULL ? g_hash_table_lookup (query, "endDate") : NULL;
  guint page = number != NULL ? (guint) g_ascii_strtoull (number, NULL, 10) : 1;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  const Fault *fault;
  GPtrArray *records;
  guint page_count;

  g_mutex_lock (&fake->lock);
  fake->requests++;

  if (!g_str_has_prefix (path, "/" TENANT "/api/") || strcmp (list, "capabilities") == 0)
    {
      /* A plain Dyflexis server has no capabilities. */
      g_mutex_unlock (&fake->lock);
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "Not found", 9);
      return;
    }
  if (g_strcmp0 (authorization, "Token " TOKEN) != 0)
    {
      g_mutex_unlock (&fake->lock);
      respond_error (msg, 401, "Unknown token");
      return;
    }
  if (g_hash_table_contains (fake->forbidden, list))
    {
      g_mutex_unlock (&fake->lock);
      respond_error (msg, 403, "The token has no scope for this");
      return;
    }

  if (is_windowed (list))
    {
      if (start == NULL || end == NULL || !rota_date_is_valid (start) || !rota_date_is_valid (end) ||
          rota_date_diff_days (start, end) < 0 || rota_date_diff_days (start, end) > 365)
        {
          g_mutex_unlock (&fake->lock);
          respond_error (msg, 400, "startDate and endDate: a window of at most 366 days");
          return;
        }
      if (page == 1)
        g_ptr_array_add (fake->parts, g_strdup_printf ("%s %s %s", list, start, end));
    }

  records = g_hash_table_lookup (fake->records, list);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      Record *record = g_ptr_array_index (records, i);

      if (!is_windowed (list) ||
          (strcmp (record->first_day, end) <= 0 &&
           (record->last_day == NULL || strcmp (record->last_day, start) >= 0)))
        g_ptr_array_add (listed, record);
    }
  page_count = MAX (1, (listed->len + PAGE_SIZE - 1) / PAGE_SIZE);

  fault = fake->fault;
  if (fault != NULL && (strcmp (fault->list, list) != 0 || fault->page != page ||
                        (fault->part_start != NULL && g_strcmp0 (fault->part_start, start) != 0)))
    fault = NULL;

  g_string_append_printf (body, "{\"%s\": [", member_of (list));
  for (guint i = (page - 1) * PAGE_SIZE; i < listed->len && i < page * PAGE_SIZE; i++)
    {
      Record *record = g_ptr_array_index (listed, i);

      if (i > (page - 1) * PAGE_SIZE)
        g_string_append (body, ", ");
      if (fault != NULL && fault->kind == FAULT_RECORD && i == (page - 1) * PAGE_SIZE)
        g_string_append (body, fault->record);
      else
        g_string_append (body, record->json);
    }
  g_string_append_printf (body, "], \"pageCount\": %u, \"_links\": {",
                          fault != NULL && fault->kind == FAULT_PAGE_COUNT ? page_count + 1 : page_count);
  if (page < page_count)
    {
      g_autofree char *href = next_href (fake, path, query, page + 1,
                                         fault != NULL && fault->kind == FAULT_ELSEWHERE);

      g_string_append_printf (body, "\"next\": {\"href\": \"%s\"}", href);
    }
  g_string_append (body, "}}");
  g_mutex_unlock (&fake->lock);

  switch (fault != NULL ? fault->kind : FAULT_NONE)
    {
    case FAULT_MALFORMED:
      g_string_insert (body, strchr (body->str, '[') - body->str + 1, "{,,},");
      break;
    case FAULT_TRUNCATED:
      g_string_truncate (body, body->len * 2 / 3);
      break;
    case FAULT_SHORT_BODY:
      {
        g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                                 body->len);

        write_raw (msg, head, body->str, body->len * 2 / 3);
      }
      return;
    case FAULT_CUT:
      write_raw (msg, "", NULL, 0);
      return;
    case FAULT_HUGE_DECLARED:
      {
        g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                 "Content-Length: %d\r\nConnection: close\r\n\r\n",
                                                 ROTA_CLIENT_MAX_RESPONSE + 1);

        write_raw (msg, head, body->str, body->len);
      }
      return;
    case FAULT_HUGE_STREAM:
      write_huge_stream (msg, member_of (list));
      return;
    case FAULT_STATUS:
      respond_error (msg, fault->status, "Something went wrong");
      return;
    case FAULT_HTML:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>Login</html>", 18);
      return;
    case FAULT_NONE:
    case FAULT_PAGE_COUNT:
    case FAULT_ELSEWHERE:
    case FAULT_RECORD:
    default:
      break;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str, body->len);
}

/*
 * What the fake serves at first. Dates are the days a record is listed
 * under: a shift's and registered hours' day is the local date of their
 * start (all offices are in Amsterdam), sick leave is listed for every
 * day it overlaps.
 */
static const struct {
  const char *list;
  const char *id;
  const char *first_day;
  const char *last_day;
  const char *json;
} initial[] = {
  { "tree", "3", NULL, NULL,
    "{\"id\": 3, \"name\": \"Amsterdam Centrum\", \"departments\": ["
    " {\"id\": 12, \"name\": \"Keuken\", \"departments\": [{\"id\": 13, \"name\": \"Afwas\"}]},"
    " {\"id\": 14, \"name\": \"Bediening\"}]}" },
  { "tree", "4", NULL, NULL,
    "{\"id\": 4, \"name\": \"Utrecht\", \"departments\": [{\"id\": 21, \"name\": \"Bar\"}]}" },

  { "employees", "1042", NULL, NULL,
    "{\"employeeId\": 1042, \"personnelNumber\": \"P-0042\", \"firstName\": \"Sanne\", "
    "\"lastNamePrefix\": \"van\", \"lastName\": \"Dijk\", \"nameFormat\": \"first_last\", "
    "\"employmentStart\": \"2021-03-01\", \"employmentEnd\": null, \"costCenter\": \"K1\", "
    "\"contracts\": [{\"contractReference\": \"C-17\", \"officeId\": 3, \"type\": 7, \"start\": \"2021-03-01\", "
    "\"end\": null, \"hoursPerWeek\": 24.0, \"daysPerWeek\": 3.0, \"hourlySalary\": 14.5, \"maxHoursPerWeek\": 32.0}]}" },
  { "employees", "1043", NULL, NULL,
    "{\"employeeId\": 1043, \"personnelNumber\": \"P-0043\", \"firstName\": \"Daan\", "
    "\"lastNamePrefix\": null, \"lastName\": \"Jansen\", \"employmentStart\": \"2022-01-15\", "
    "\"employmentEnd\": null, \"contracts\": []}" },
  { "employees", "1044", NULL, NULL,
    "{\"employeeId\": 1044, \"personnelNumber\": \"P-0044\", \"firstName\": \"Fatima\", "
    "\"lastNamePrefix\": \"el\", \"lastName\": \"Amrani\", \"employmentStart\": \"2023-06-01\", "
    "\"employmentEnd\": null}" },
  { "employees", "1045", NULL, NULL,
    "{\"employeeId\": 1045, \"personnelNumber\": \"P-0045\", \"firstName\": \"Lars\", "
    "\"lastNamePrefix\": \"de\", \"lastName\": \"Vries\", \"employmentStart\": \"2020-09-01\", "
    "\"employmentEnd\": \"2026-12-31\"}" },
  { "employees", "1046", NULL, NULL,
    "{\"employeeId\": 1046, \"personnelNumber\": \"P-0046\", \"firstName\": \"Emma\", "
    "\"lastName\": \"Bakker\", \"employmentStart\": \"2024-04-01\"}" },

  { "scheduled", "88001", "2026-03-02", "2026-03-02",
    "{\"id\": 88001, \"employeeId\": 1042, \"officeId\": 3, \"departmentId\": 12, "
    "\"startDateTime\": \"2026-03-02T08:00:00\", \"endDateTime\": \"2026-03-02T16:30:00\", \"breakMinutes\": 30}" },
  { "scheduled", "88002", "2026-03-02", "2026-03-02",
    "{\"id\": 88002, \"employeeId\": 1043, \"officeId\": 3, \"departmentId\": 14, "
    "\"startDateTime\": \"2026-03-02T17:00:00\", \"endDateTime\": \"2026-03-02T23:00:00\", \"breakMinutes\": 15}" },
  /* An open shift: nobody assigned yet. */
  { "scheduled", "88003", "2026-03-03", "2026-03-03",
    "{\"id\": 88003, \"employeeId\": null, \"officeId\": 4, \"departmentId\": 21, "
    "\"startDateTime\": \"2026-03-03T10:00:00\", \"endDateTime\": \"2026-03-03T14:00:00\", \"breakMinutes\": 0}" },
  /* The first day of March in Amsterdam, still February in UTC. */
  { "scheduled", "88004", "2026-03-01", "2026-03-01",
    "{\"id\": 88004, \"employeeId\": 1045, \"officeId\": 3, \"departmentId\": 13, "
    "\"startDateTime\": \"2026-03-01T00:30:00\", \"endDateTime\": \"2026-03-01T06:00:00\", \"breakMinutes\": 0}" },
  /* A night shift that starts the day before March and ends in it. */
  { "scheduled", "88005", "2026-02-28", "2026-02-28",
    "{\"id\": 88005, \"employeeId\": 1046, \"officeId\": 3, \"departmentId\": 12, "
    "\"startDateTime\": \"2026-02-28T22:00:00\", \"endDateTime\": \"2026-03-01T06:00:00\", \"breakMinutes\": 30}" },
  /* The last evening of March, in summer time. */
  { "scheduled", "88006", "2026-03-31", "2026-03-31",
    "{\"id\": 88006, \"employeeId\": 1042, \"officeId\": 3, \"departmentId\": 14, "
    "\"startDateTime\": \"2026-03-31T23:30:00\", \"endDateTime\": \"2026-04-01T05:00:00\", \"breakMinutes\": 0}" },
  { "scheduled", "88007", "2026-05-10", "2026-05-10",
    "{\"id\": 88007, \"employeeId\": 1043, \"officeId\": 3, \"departmentId\": 12, "
    "\"startDateTime\": \"2026-05-10T09:00:00\", \"endDateTime\": \"2026-05-10T17:00:00\", \"breakMinutes\": 30}" },
  { "scheduled", "88008", "2025-02-03", "2025-02-03",
    "{\"id\": 88008, \"employeeId\": 1044, \"officeId\": 4, \"departmentId\": 21, "
    "\"startDateTime\": \"2025-02-03T09:00:00\", \"endDateTime\": \"2025-02-03T13:00:00\", \"breakMinutes\": 0}" },
  /* The same id space written as strings, as Rota's own server does. */
  { "scheduled", "88009", "2026-03-20", "2026-03-20",
    "{\"id\": \"88009\", \"employeeId\": \"1046\", \"officeId\": \"3\", \"departmentId\": \"13\", "
    "\"startDateTime\": \"2026-03-20T07:00:00+01:00\", \"endDateTime\": \"2026-03-20T12:00:00+01:00\"}" },

  { "sick-leave", "301", "2026-03-05", "2026-03-07",
    "{\"id\": 301, \"employeeId\": 1042, \"startDate\": \"2026-03-05\", \"endDate\": \"2026-03-07\", "
    "\"recoveredDate\": null}" },
  /* Ended by recovering on the 4th: sick up to the 3rd. */
  { "sick-leave", "302", "2026-02-20", "2026-03-03",
    "{\"id\": 302, \"employeeId\": 1043, \"startDate\": \"2026-02-20\", \"endDate\": null, "
    "\"recoveredDate\": \"2026-03-04\"}" },
  /* Still sick. */
  { "sick-leave", "303", "2026-03-25", NULL,
    "{\"id\": 303, \"employeeId\": 1044, \"startDate\": \"2026-03-25\", \"endDate\": null, "
    "\"recoveredDate\": null}" },
  { "sick-leave", "304", "2026-01-10", "2026-01-12",
    "{\"id\": 304, \"employeeId\": 1045, \"startDate\": \"2026-01-10\", \"endDate\": \"2026-01-12\"}" },
  { "sick-leave", "305", "2026-02-25", "2026-03-02",
    "{\"id\": 305, \"employeeId\": 1046, \"startDate\": \"2026-02-25\", \"endDate\": \"2026-03-02\"}" },

  { "registered-hours", "5531901", "2026-03-02", "2026-03-02",
    "{\"id\": 5531901, \"employeeId\": 1042, \"personnelNumber\": \"P-0042\", \"firstName\": \"Sanne\", "
    "\"infix\": \"van\", \"lastName\": \"Dijk\", \"employeeCostCenter\": \"K1\", \"contractTypeId\": 7, "
    "\"contractType\": \"Oproepkracht\", \"officeId\": 3, \"officeName\": \"Amsterdam Centrum\", "
    "\"departmentId\": 12, \"departmentName\": \"Keuken\", \"startDateTime\": \"2026-03-02T08:02:00\", "
    "\"endDateTime\": \"2026-03-02T16:31:00\", \"hourType\": \"worked\", \"hours\": 7.98, "
    "\"status\": \"approved\", \"breakMinutes\": 30, \"duration\": 479}" },
  { "registered-hours", "5531902", "2026-03-02", "2026-03-02",
    "{\"id\": 5531902, \"employeeId\": 1043, \"officeId\": 3, \"departmentId\": 14, "
    "\"startDateTime\": \"2026-03-02T17:00:00\", \"endDateTime\": \"2026-03-02T23:05:00\", "
    "\"hourType\": \"worked\", \"hours\": 5.83, \"status\": \"open\", \"breakMinutes\": 15, \"duration\": 350}" },
  { "registered-hours", "5531903", "2026-03-01", "2026-03-01",
    "{\"id\": 5531903, \"employeeId\": 1045, \"officeId\": 3, \"departmentId\": 13, "
    "\"startDateTime\": \"2026-03-01T00:35:00\", \"endDateTime\": \"2026-03-01T06:00:00\", "
    "\"hourType\": \"worked\", \"hours\": 5.42, \"status\": \"open\", \"breakMinutes\": 0, \"duration\": 325}" },
  { "registered-hours", "5531904", "2026-05-11", "2026-05-11",
    "{\"id\": 5531904, \"employeeId\": 1042, \"officeId\": 3, \"departmentId\": 12, "
    "\"startDateTime\": \"2026-05-11T09:00:00\", \"endDateTime\": \"2026-05-11T13:00:00\", "
    "\"hourType\": \"worked\", \"hours\": 4.0, \"status\": \"open\", \"breakMinutes\": 0, \"duration\": 240}" },
  { "registered-hours", "5531905", "2026-03-20", "2026-03-20",
    "{\"id\": \"5531905\", \"employeeId\": \"1046\", \"officeId\": \"3\", \"departmentId\": \"13\", "
    "\"startDateTime\": \"2026-03-20T07:01:00+01:00\", \"endDateTime\": \"2026-03-20T12:00:00+01:00\", "
    "\"status\": null}" },
};

static void
fake_start (Fake *fake)
{
  fake->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  fake->forbidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->parts = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&fake->lock);

  for (guint i = 0; i < G_N_ELEMENTS (initial); i++)
    fake_put (fake, initial[i].list, initial[i].id, initial[i].first_day, initial[i].last_day, initial[i].json);

  fake->http = test_http_start (fake_handler, fake);
}

static void
fake_stop (Fake *fake)
{
  test_http_stop (fake->http);
  g_hash_table_unref (fake->records);
  g_hash_table_unref (fake->forbidden);
  g_ptr_array_unref (fake->parts);
  g_mutex_clear (&fake->lock);
}

/* The server removes a shift, a sick leave and registered hours from
 * March, and one of each outside it; it changes a shift and the status of
 * registered hours. */
static void
fake_change (Fake *fake)
{
  fake_remove (fake, "scheduled", "88002");
  fake_remove (fake, "scheduled", "88004");
  fake_remove (fake, "scheduled", "88005");
  fake_remove (fake, "scheduled", "88007");
  fake_put (fake, "scheduled", "88003", "2026-03-03", "2026-03-03",
            "{\"id\": 88003, \"employeeId\": 1044, \"officeId\": 4, \"departmentId\": 21, "
            "\"startDateTime\": \"2026-03-03T10:00:00\", \"endDateTime\": \"2026-03-03T15:00:00\", "
            "\"breakMinutes\": 15}");
  fake_remove (fake, "sick-leave", "301");
  fake_remove (fake, "sick-leave", "304");
  fake_remove (fake, "registered-hours", "5531902");
  fake_remove (fake, "registered-hours", "5531904");
  fake_put (fake, "registered-hours", "5531901", "2026-03-02", "2026-03-02",
            "{\"id\": 5531901, \"employeeId\": 1042, \"officeId\": 3, \"departmentId\": 12, "
            "\"startDateTime\": \"2026-03-02T08:02:00\", \"endDateTime\": \"2026-03-02T16:31:00\", "
            "\"hourType\": \"worked\", \"hours\": 7.98, \"status\": \"exported\", \"breakMinutes\": 30, "
            "\"duration\": 479}");
}

/* The fixture: the fake, a client of it and an empty store. */

typedef struct
{
  Fake        fake;
  RotaClient *client;
  RotaStore  *store;
  char       *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fake_start (&fixture->fake);

  fixture->client = rota_client_new (test_http_get_base (fixture->fake.http), TENANT, TOKEN, NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_true (rota_client_connect (fixture->client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_client_get_profile (fixture->client), ==, ROTA_CLIENT_PROFILE_DYFLEXIS);

  fixture->dir = g_dir_make_tmp ("rota-mirror-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "cache.sqlite", NULL);
  fixture->store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  fake_stop (&fixture->fake);
  harness_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

typedef struct
{
  GPtrArray *steps;
  guint      last_done;
  guint      total;
} Progress;

static void
progress_cb (const char *what,
             guint       done,
             guint       total,
             gpointer    user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (done, >, progress->last_done);
  g_assert_cmpuint (done, <=, total);
  g_assert_true (progress->total == 0 || progress->total == total);
  progress->last_done = done;
  progress->total = total;
  g_ptr_array_add (progress->steps, g_strdup (what));
}

static gboolean
pull (Fixture     *fixture,
      const char  *start,
      const char  *end,
      GError     **error)
{
  return rota_mirror_pull (fixture->store, fixture->client, start, end, NULL, NULL, NULL, error);
}

static RotaEntity *
get (Fixture    *fixture,
     GType       type,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  RotaEntity *entity = rota_store_get_entity (fixture->store, type, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entity);

  return entity;
}

/* Whether the server state (not the pending overlay) has @id. */
static gboolean
server_has (Fixture    *fixture,
            const char *table,
            const char *id)
{
  sqlite3 *db = _rota_store_get_db (fixture->store);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\" WHERE id = ?", table);
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  found = sqlite3_column_int (stmt, 0) > 0;
  sqlite3_finalize (stmt);

  return found;
}

static gint64
count (Fixture    *fixture,
       const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) counts = rota_store_table_counts (fixture->store, &error);

  g_assert_no_error (error);

  return *(gint64 *) g_hash_table_lookup (counts, table);
}

static RotaRegisteredHours *
find_hours (GPtrArray  *hours,
            const char *id)
{
  for (guint i = 0; i < hours->len; i++)
    if (strcmp (((RotaRegisteredHours *) g_ptr_array_index (hours, i))->id, id) == 0)
      return g_ptr_array_index (hours, i);

  return NULL;
}

static void
assert_hashes_equal (GHashTable *before,
                     GHashTable *after)
{
  GHashTableIter iter;
  gpointer table, hash;

  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &table, &hash))
    {
      g_test_message ("  %s %s", (char *) table, (char *) hash);
      g_assert_cmpstr (g_hash_table_lookup (after, table), ==, hash);
    }
}

/* (a) The first mirror, of a long window read in two parts. */
static void
test_mirror_first (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  g_autoptr(RotaEntity) office = NULL;
  g_autoptr(RotaEntity) afwas = NULL;
  g_autoptr(RotaEntity) bar = NULL;
  g_autoptr(RotaEntity) sanne = NULL;
  g_autoptr(RotaEntity) lars = NULL;
  g_autoptr(RotaEntity) emma = NULL;
  g_autoptr(RotaEntity) shift = NULL;
  g_autoptr(RotaEntity) open_shift = NULL;
  g_autoptr(RotaEntity) early = NULL;
  g_autoptr(RotaEntity) string_ids = NULL;
  g_autoptr(RotaEntity) recovered = NULL;
  g_autoptr(RotaEntity) still_sick = NULL;
  g_autoptr(JsonNode) payload = NULL;
  Progress progress = { g_ptr_array_new_with_free_func (g_free), 0, 0 };
  const char * const steps[] = {
    "tree", "employees", "scheduled", "scheduled", "sick-leave", "sick-leave",
    "registered-hours", "registered-hours", "store", NULL
  };
  RotaRegisteredHours *entry;
  gint64 before = rota_time_now ();

  g_assert_true (rota_mirror_pull (fixture->store, fixture->client, LONG_START, LONG_END,
                                   progress_cb, &progress, NULL, &error));
  g_assert_no_error (error);

  /* Every windowed list in two parts of at most 366 days. */
  g_assert_cmpuint (fixture->fake.parts->len, ==, 6);
  for (guint i = 0; i < fixture->fake.parts->len; i++)
    g_test_message ("asked for %s", (char *) g_ptr_array_index (fixture->fake.parts, i));
  g_assert_cmpstr (g_ptr_array_index (fixture->fake.parts, 0), ==, "scheduled 2025-01-01 2026-01-01");
  g_assert_cmpstr (g_ptr_array_index (fixture->fake.parts, 1), ==, "scheduled 2026-01-02 2026-06-30");
  g_assert_cmpstr (g_ptr_array_index (fixture->fake.parts, 5), ==, "registered-hours 2026-01-02 2026-06-30");

  g_assert_cmpuint (progress.steps->len, ==, g_strv_length ((char **) steps));
  for (guint i = 0; steps[i] != NULL; i++)
    g_assert_cmpstr (g_ptr_array_index (progress.steps, i), ==, steps[i]);
  g_assert_cmpuint (progress.last_done, ==, 9);
  g_assert_cmpuint (progress.total, ==, 9);
  g_ptr_array_unref (progress.steps);

  g_assert_cmpint (count (fixture, "office"), ==, 2);
  g_assert_cmpint (count (fixture, "department"), ==, 4);
  g_assert_cmpint (count (fixture, "employee"), ==, 5);
  g_assert_cmpint (count (fixture, "shift"), ==, 9);
  g_assert_cmpint (count (fixture, "absence"), ==, 5);
  g_assert_cmpint (count (fixture, "registered_hours"), ==, 5);
  g_assert_cmpint (count (fixture, "outbox"), ==, 0);
  g_assert_cmpint (count (fixture, "shift_pending"), ==, 0);

  /* The tree: offices with what Dyflexis does not say filled in, and
   * departments with the office and parent they hang below. */
  office = get (fixture, ROTA_TYPE_OFFICE, "3");
  g_assert_cmpstr (ROTA_OFFICE (office)->name, ==, "Amsterdam Centrum");
  g_assert_cmpstr (ROTA_OFFICE (office)->time_zone, ==, "Europe/Amsterdam");
  g_assert_cmpint (ROTA_OFFICE (office)->rules_profile, ==, ROTA_RULES_PROFILE_NL);
  afwas = get (fixture, ROTA_TYPE_DEPARTMENT, "13");
  g_assert_cmpstr (ROTA_DEPARTMENT (afwas)->name, ==, "Afwas");
  g_assert_cmpstr (ROTA_DEPARTMENT (afwas)->office_id, ==, "3");
  g_assert_cmpstr (ROTA_DEPARTMENT (afwas)->parent_id, ==, "12");
  bar = get (fixture, ROTA_TYPE_DEPARTMENT, "21");
  g_assert_cmpstr (ROTA_DEPARTMENT (bar)->office_id, ==, "4");
  g_assert_null (ROTA_DEPARTMENT (bar)->parent_id);

  sanne = get (fixture, ROTA_TYPE_EMPLOYEE, "1042");
  g_assert_cmpstr (ROTA_EMPLOYEE (sanne)->personnel_number, ==, "P-0042");
  g_assert_cmpstr (ROTA_EMPLOYEE (sanne)->first_name, ==, "Sanne");
  g_assert_cmpstr (ROTA_EMPLOYEE (sanne)->last_name_prefix, ==, "van");
  g_assert_cmpstr (ROTA_EMPLOYEE (sanne)->last_name, ==, "Dijk");
  g_assert_cmpstr (ROTA_EMPLOYEE (sanne)->employment_start, ==, "2021-03-01");
  g_assert_null (ROTA_EMPLOYEE (sanne)->employment_end);
  lars = get (fixture, ROTA_TYPE_EMPLOYEE, "1045");
  g_assert_cmpstr (ROTA_EMPLOYEE (lars)->employment_end, ==, "2026-12-31");
  emma = get (fixture, ROTA_TYPE_EMPLOYEE, "1046");
  g_assert_null (ROTA_EMPLOYEE (emma)->last_name_prefix);

  /* Shifts: offset-less times are Amsterdam's. */
  shift = get (fixture, ROTA_TYPE_SHIFT, "88001");
  g_assert_cmpstr (ROTA_SHIFT (shift)->employee_id, ==, "1042");
  g_assert_cmpstr (ROTA_SHIFT (shift)->department_id, ==, "12");
  g_assert_cmpint (ROTA_SHIFT (shift)->start, ==, 1772434800);   /* 2026-03-02T07:00:00Z */
  g_assert_cmpint (ROTA_SHIFT (shift)->end, ==, 1772465400);     /* 2026-03-02T15:30:00Z */
  g_assert_cmpint (ROTA_SHIFT (shift)->break_minutes, ==, 30);
  g_assert_true (ROTA_SHIFT (shift)->published);
  g_assert_false (ROTA_SHIFT (shift)->deleted);
  open_shift = get (fixture, ROTA_TYPE_SHIFT, "88003");
  g_assert_null (ROTA_SHIFT (open_shift)->employee_id);
  g_assert_cmpstr (ROTA_SHIFT (open_shift)->department_id, ==, "21");
  early = get (fixture, ROTA_TYPE_SHIFT, "88004");
  g_assert_cmpint (ROTA_SHIFT (early)->start, ==, 1772321400);   /* 2026-02-28T23:30:00Z */
  string_ids = get (fixture, ROTA_TYPE_SHIFT, "88009");
  g_assert_cmpstr (ROTA_SHIFT (string_ids)->employee_id, ==, "1046");
  g_assert_cmpint (ROTA_SHIFT (string_ids)->break_minutes, ==, 0);

  /* Sick leave. */
  recovered = get (fixture, ROTA_TYPE_ABSENCE, "302");
  g_assert_cmpint (ROTA_ABSENCE (recovered)->kind, ==, ROTA_ABSENCE_KIND_SICK);
  g_assert_cmpstr (ROTA_ABSENCE (recovered)->employee_id, ==, "1043");
  g_assert_cmpstr (ROTA_ABSENCE (recovered)->start_date, ==, "2026-02-20");
  g_assert_cmpstr (ROTA_ABSENCE (recovered)->end_date, ==, "2026-03-03");
  still_sick = get (fixture, ROTA_TYPE_ABSENCE, "303");
  g_assert_null (ROTA_ABSENCE (still_sick)->end_date);

  /* Registered hours: their day is the local day of their start. */
  hours = rota_store_list_registered_hours (fixture->store, LONG_START, LONG_END, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hours->len, ==, 5);
  entry = find_hours (hours, "5531901");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->employee_id, ==, "1042");
  g_assert_cmpstr (entry->work_date, ==, "2026-03-02");
  g_assert_cmpint (entry->start, ==, 1772434920);
  g_assert_cmpint (entry->end, ==, 1772465460);
  g_assert_cmpint (entry->break_minutes, ==, 30);
  g_assert_cmpstr (entry->status, ==, "approved");
  payload = rota_json_parse (entry->payload, strlen (entry->payload), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (payload), "id"), ==, 5531901);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (payload), "contractType"), ==,
                   "Oproepkracht");
  entry = find_hours (hours, "5531903");
  g_assert_cmpstr (entry->work_date, ==, "2026-03-01");
  g_assert_cmpint (entry->start, ==, 1772321700);   /* 2026-02-28T23:35:00Z */
  entry = find_hours (hours, "5531905");
  g_assert_cmpstr (entry->employee_id, ==, "1046");
  g_assert_null (entry->status);
  g_assert_cmpint (entry->break_minutes, ==, 0);

  /* The window and the time, with the data. */
  g_assert_cmpint (rota_store_get_cursor (fixture->store, ROTA_MIRROR_CURSOR_START), ==, 20250101);
  g_assert_cmpint (rota_store_get_cursor (fixture->store, ROTA_MIRROR_CURSOR_END), ==, 20260630);
  g_assert_cmpint (rota_store_get_cursor (fixture->store, ROTA_MIRROR_CURSOR_AT), >=, before);
  g_assert_cmpint (rota_store_get_cursor (fixture->store, ROTA_MIRROR_CURSOR_AT), <=, rota_time_now ());
}

/* (b) and (d): March again after the server changed; a pending local
 * edit in March stays. */
static void
test_mirror_again (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  g_autoptr(GPtrArray) march = NULL;
  g_autoptr(RotaEntity) changed = NULL;
  g_autoptr(RotaEntity) edited = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(RotaOutboxItem) edit_item = NULL;
  g_autoptr(RotaShift) local = rota_shift_new ();
  gboolean seen_local = FALSE;
  RotaRegisteredHours *entry;

  g_assert_true (pull (fixture, LONG_START, LONG_END, &error));
  g_assert_no_error (error);

  /* Two local edits not yet pushed: a new shift in March, and a change to
   * a shift the server is about to drop. */
  local->id = g_strdup ("local-1");
  local->department_id = g_strdup ("12");
  local->employee_id = g_strdup ("1044");
  local->start = 1773129600;   /* 2026-03-10T08:00:00Z */
  local->end = local->start + 4 * 3600;
  item = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_PUT, ROTA_ENTITY (local), "planner", NULL, &error);
  g_assert_no_error (error);
  edited = get (fixture, ROTA_TYPE_SHIFT, "88002");
  ROTA_SHIFT (edited)->break_minutes = 45;
  edit_item = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_PUT, edited, "planner", NULL, &error);
  g_assert_no_error (error);

  fake_change (&fixture->fake);
  before = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);

  g_assert_true (pull (fixture, MARCH_START, MARCH_END, &error));
  g_assert_no_error (error);
  after = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);

  /* Gone from March: deleted, the first of March by Amsterdam's day. */
  g_assert_false (server_has (fixture, "shift", "88002"));
  g_assert_false (server_has (fixture, "shift", "88004"));
  g_assert_false (server_has (fixture, "absence", "301"));
  /* Gone from the server outside March, or starting before it: kept. */
  g_assert_true (server_has (fixture, "shift", "88005"));
  g_assert_true (server_has (fixture, "shift", "88007"));
  g_assert_true (server_has (fixture, "shift", "88008"));
  g_assert_true (server_has (fixture, "absence", "304"));
  /* Still listed: kept. */
  g_assert_true (server_has (fixture, "shift", "88001"));
  g_assert_true (server_has (fixture, "shift", "88006"));
  g_assert_true (server_has (fixture, "shift", "88009"));
  g_assert_true (server_has (fixture, "absence", "302"));
  g_assert_true (server_has (fixture, "absence", "303"));
  g_assert_true (server_has (fixture, "absence", "305"));
  g_assert_cmpint (count (fixture, "shift"), ==, 7);
  g_assert_cmpint (count (fixture, "absence"), ==, 4);
  g_assert_cmpint (count (fixture, "employee"), ==, 5);
  g_assert_cmpint (count (fixture, "department"), ==, 4);

  /* Changed: updated. */
  changed = get (fixture, ROTA_TYPE_SHIFT, "88003");
  g_assert_cmpstr (ROTA_SHIFT (changed)->employee_id, ==, "1044");
  g_assert_cmpint (ROTA_SHIFT (changed)->end, ==, 1772546400);   /* 2026-03-03T14:00:00Z */
  g_assert_cmpint (ROTA_SHIFT (changed)->break_minutes, ==, 15);

  /* Registered hours: March replaced, May kept. */
  hours = rota_store_list_registered_hours (fixture->store, LONG_START, LONG_END, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hours->len, ==, 4);
  g_assert_null (find_hours (hours, "5531902"));
  g_assert_nonnull (find_hours (hours, "5531904"));
  entry = find_hours (hours, "5531901");
  g_assert_cmpstr (entry->status, ==, "exported");

  /* (d) The pending edits and the outbox are as they were, and still laid
   * over server state. */
  g_assert_cmpstr (g_hash_table_lookup (after, "shift_pending"), ==, g_hash_table_lookup (before, "shift_pending"));
  g_assert_cmpstr (g_hash_table_lookup (after, "outbox"), ==, g_hash_table_lookup (before, "outbox"));
  g_assert_cmpstr (g_hash_table_lookup (after, "audit"), ==, g_hash_table_lookup (before, "audit"));
  g_assert_cmpint (count (fixture, "outbox"), ==, 2);
  g_clear_object (&edited);
  edited = get (fixture, ROTA_TYPE_SHIFT, "88002");
  g_assert_cmpint (ROTA_SHIFT (edited)->break_minutes, ==, 45);
  march = rota_store_list_shifts (fixture->store, 1772319600, 1774994400, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < march->len; i++)
    seen_local |= g_strcmp0 (rota_entity_get_id (g_ptr_array_index (march, i)), "local-1") == 0;
  g_assert_true (seen_local);

  g_assert_cmpint (rota_store_get_cursor (fixture->store, ROTA_MIRROR_CURSOR_START), ==, 20260301);
  g_assert_cmpint (rota_store_get_cursor (fixture->store, ROTA_MIRROR_CURSOR_END), ==, 20260331);
}

/* (c) Pages and records that must fail the pull and change nothing. */
static const Fault faults[] = {
  { "malformed JSON", "scheduled", 2, NULL, FAULT_MALFORMED, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  { "JSON cut short", "registered-hours", 1, NULL, FAULT_TRUNCATED, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  /* These two are taken for network failures, so tried six times with
   * back-off. */
  { "a body cut short of its Content-Length", "sick-leave", 1, NULL, FAULT_SHORT_BODY, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_OFFLINE },
  { "the connection cut without an answer", "registered-hours", 2, NULL, FAULT_CUT, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_OFFLINE },
  { "Content-Length beyond the limit", "employees", 2, NULL, FAULT_HUGE_DECLARED, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  { "a chunked body beyond the limit", "employees", 1, NULL, FAULT_HUGE_STREAM, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  { "a pageCount that disagrees", "scheduled", 2, NULL, FAULT_PAGE_COUNT, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  { "a next link to another host", "scheduled", 1, NULL, FAULT_ELSEWHERE, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  { "a login page", "tree", 1, NULL, FAULT_HTML, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  { "a server error", "sick-leave", 1, NULL, FAULT_STATUS, NULL, 500,
    FALSE, ROTA_CLIENT_ERROR_HTTP },
  { "401 on one list", "registered-hours", 1, NULL, FAULT_STATUS, NULL, 401,
    FALSE, ROTA_CLIENT_ERROR_UNAUTHORIZED },
  { "403 on a later page", "scheduled", 2, NULL, FAULT_STATUS, NULL, 403,
    FALSE, ROTA_CLIENT_ERROR_UNAUTHORIZED },
  { "the second part of the window fails", "registered-hours", 1, "2026-01-02", FAULT_MALFORMED, NULL, 0,
    FALSE, ROTA_CLIENT_ERROR_BAD_RESPONSE },
  { "a shift without its start", "scheduled", 1, NULL, FAULT_RECORD,
    "{\"id\": 88101, \"employeeId\": 1042, \"departmentId\": 12, \"endDateTime\": \"2026-03-04T16:00:00\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "a string for a shift's break", "scheduled", 2, NULL, FAULT_RECORD,
    "{\"id\": 88102, \"employeeId\": 1042, \"departmentId\": 12, \"startDateTime\": \"2026-03-04T08:00:00\", "
    "\"endDateTime\": \"2026-03-04T16:00:00\", \"breakMinutes\": \"30\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "a shift that ends before it starts", "scheduled", 1, NULL, FAULT_RECORD,
    "{\"id\": 88103, \"departmentId\": 12, \"startDateTime\": \"2026-03-04T08:00:00\", "
    "\"endDateTime\": \"2026-03-04T07:00:00\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "a string for registered hours' break", "registered-hours", 1, "2026-01-02", FAULT_RECORD,
    "{\"id\": 5531990, \"employeeId\": 1042, \"startDateTime\": \"2026-03-04T08:00:00\", "
    "\"endDateTime\": \"2026-03-04T16:00:00\", \"breakMinutes\": \"30\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "registered hours without an id", "registered-hours", 1, "2026-01-02", FAULT_RECORD,
    "{\"employeeId\": 1042, \"startDateTime\": \"2026-03-04T08:00:00\", \"endDateTime\": \"2026-03-04T16:00:00\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "a number for an employee's name", "employees", 2, NULL, FAULT_RECORD,
    "{\"employeeId\": 1043, \"firstName\": 7, \"lastName\": \"Jansen\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "a negative employee id", "employees", 1, NULL, FAULT_RECORD,
    "{\"employeeId\": -5, \"firstName\": \"Sanne\", \"lastName\": \"Dijk\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "a department that is not an object", "tree", 1, NULL, FAULT_RECORD,
    "{\"id\": 3, \"name\": \"Amsterdam Centrum\", \"departments\": [12]}", 0,
    TRUE, ROTA_MIRROR_ERROR_BAD_RECORD },
  { "sick leave of an unknown employee", "sick-leave", 1, "2026-01-02", FAULT_RECORD,
    "{\"id\": 399, \"employeeId\": 9999, \"startDate\": \"2026-03-05\", \"endDate\": null}", 0,
    TRUE, ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE },
  { "a shift in an unknown department", "scheduled", 1, NULL, FAULT_RECORD,
    "{\"id\": 88104, \"departmentId\": 99, \"startDateTime\": \"2026-03-04T08:00:00\", "
    "\"endDateTime\": \"2026-03-04T16:00:00\"}", 0,
    TRUE, ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE },
};

static void
test_mirror_bad_pages (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;

  g_assert_true (pull (fixture, LONG_START, LONG_END, &error));
  g_assert_no_error (error);

  /* What the server has now differs from the store: a pull that got
   * through would change it. */
  fake_change (&fixture->fake);
  before = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GHashTable) now = NULL;
      const Fault *fault = &faults[i];

      g_test_message ("%s", fault->name);
      fake_set_fault (&fixture->fake, fault);
      g_assert_false (pull (fixture, LONG_START, LONG_END, &local_error));
      g_assert_nonnull (local_error);
      g_test_message ("  → %s", local_error->message);
      g_assert_cmpuint (local_error->domain, ==, fault->mirror_error ? ROTA_MIRROR_ERROR : ROTA_CLIENT_ERROR);
      if (fault->code >= 0)
        g_assert_cmpint (local_error->code, ==, fault->code);
      g_assert_cmpuint (strlen (local_error->message), >, 20);

      now = rota_store_table_hashes (fixture->store, &error);
      g_assert_no_error (error);
      assert_hashes_equal (before, now);
    }

  /* Without the fault the same pull gets through and changes the store. */
  fake_set_fault (&fixture->fake, NULL);
  g_assert_true (pull (fixture, LONG_START, LONG_END, &error));
  g_assert_no_error (error);
  after = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (after, "shift"), !=, g_hash_table_lookup (before, "shift"));
  g_assert_cmpstr (g_hash_table_lookup (after, "absence"), !=, g_hash_table_lookup (before, "absence"));
  g_assert_cmpstr (g_hash_table_lookup (after, "registered_hours"), !=, g_hash_table_lookup (before, "registered_hours"));
}

/* A token without the scope of a list gets 403 for it: that list is
 * skipped and nothing of its kind changes; the others are mirrored. */
static void
test_mirror_forbidden (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  Progress progress = { g_ptr_array_new_with_free_func (g_free), 0, 0 };

  g_assert_true (pull (fixture, LONG_START, LONG_END, &error));
  g_assert_no_error (error);
  fake_change (&fixture->fake);
  fake_remove (&fixture->fake, "tree", "4");

  fake_forbid (&fixture->fake, "tree", TRUE);
  fake_forbid (&fixture->fake, "sick-leave", TRUE);
  before = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);

  g_assert_true (rota_mirror_pull (fixture->store, fixture->client, MARCH_START, MARCH_END,
                                   progress_cb, &progress, NULL, &error));
  g_assert_no_error (error);
  after = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (g_hash_table_lookup (after, "office"), ==, g_hash_table_lookup (before, "office"));
  g_assert_cmpstr (g_hash_table_lookup (after, "department"), ==, g_hash_table_lookup (before, "department"));
  g_assert_cmpstr (g_hash_table_lookup (after, "absence"), ==, g_hash_table_lookup (before, "absence"));
  g_assert_true (server_has (fixture, "absence", "301"));
  g_assert_cmpstr (g_hash_table_lookup (after, "shift"), !=, g_hash_table_lookup (before, "shift"));
  g_assert_false (server_has (fixture, "shift", "88002"));
  g_assert_cmpint (count (fixture, "registered_hours"), ==, 4);

  /* Every step is reported, the skipped ones too. */
  g_assert_cmpuint (progress.last_done, ==, progress.total);
  g_assert_cmpuint (progress.total, ==, 6);
  g_ptr_array_unref (progress.steps);

  /* A token the server does not know is not a missing scope. */
  {
    g_autoptr(RotaClient) stranger = rota_client_new (test_http_get_base (fixture->fake.http), TENANT,
                                                      "not-the-token", NULL, &error);

    g_assert_no_error (error);
    g_assert_false (rota_mirror_pull (fixture->store, stranger, MARCH_START, MARCH_END, NULL, NULL, NULL, &error));
    g_assert_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_UNAUTHORIZED);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }
}

/* Windows that are not a range of days, and a cancelled pull. */
static void
test_mirror_window (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const windows[][2] = {
    { "2026-03-31", "2026-03-01" },
    { "2026-02-30", "2026-03-01" },
    { "2026-03-01", "yesterday" },
    { "1999-12-31", "2000-01-02" },
    { "2099-12-30", "2100-01-01" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = rota_store_table_hashes (fixture->store, &error);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint requests;

  g_assert_no_error (error);
  g_mutex_lock (&fixture->fake.lock);
  requests = fixture->fake.requests;
  g_mutex_unlock (&fixture->fake.lock);

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_assert_false (pull (fixture, windows[i][0], windows[i][1], &error));
      g_assert_error (error, ROTA_MIRROR_ERROR, ROTA_MIRROR_ERROR_INVALID_WINDOW);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
    }
  /* Refused before asking the server anything. */
  g_assert_cmpuint (fixture->fake.requests, ==, requests);

  g_cancellable_cancel (cancellable);
  g_assert_false (rota_mirror_pull (fixture->store, fixture->client, MARCH_START, MARCH_END,
                                    NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  after = rota_store_table_hashes (fixture->store, &error);
  g_assert_no_error (error);
  assert_hashes_equal (before, after);
}

/* The real rota-server serves the same lists (with string ids and every
 * field of its own): a planning token may not read registered hours, an
 * hours token reads them, and each pull mirrors what the token sees. */

typedef HarnessServer ServerFixture;

static guint
served (RotaClient *client,
        const char *path,
        const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) list = rota_client_get_pages (client, path, member, NULL, &error);

  g_assert_no_error (error);

  return json_array_get_length (list);
}

static void
test_mirror_rota_server (ServerFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaClient) planning = NULL;
  g_autoptr(RotaClient) hours = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GPtrArray) listed_hours = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "mirror.sqlite", NULL);
  g_autofree char *today = rota_time_work_date (rota_time_now (), rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE));
  g_autofree char *start = rota_date_add_days (today, -14);
  g_autofree char *end = rota_date_add_days (today, 14);
  g_autofree char *scheduled = g_strdup_printf ("api/business/v3/scheduled?startDate=%s&endDate=%s", start, end);
  g_autofree char *sick = g_strdup_printf ("api/absence/v3/sick-leave?startDate=%s&endDate=%s", start, end);
  g_autofree char *registered = g_strdup_printf ("api/business/v3/registered-hours?startDate=%s&endDate=%s",
                                                 start, end);
  guint n_shifts;

  /* A tenant with last week too: early on a Monday this week has no
   * worked hours yet, and the window must hold some. */
  g_autoptr(GHashTable) tokens = harness_demo_tokens (fixture->data_dir, "beta", "5", "2");

  planning = rota_client_new (fixture->base, "beta", g_hash_table_lookup (tokens, "planning:read"),
                              fixture->ca, &error);
  g_assert_no_error (error);
  hours = rota_client_new (fixture->base, "beta", g_hash_table_lookup (tokens, "hours:read"),
                           fixture->ca, &error);
  g_assert_no_error (error);
  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  g_assert_true (rota_mirror_pull (store, planning, start, end, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  n_shifts = served (planning, scheduled, "shifts");
  g_test_message ("planning:read: %u shifts from %s to %s", n_shifts, start, end);
  g_assert_cmpuint (n_shifts, >, 0);
  {
    g_autoptr(GHashTable) counts = rota_store_table_counts (store, &error);

    g_assert_no_error (error);
    g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "shift"), ==, n_shifts);
    g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "employee"), ==, 5);
    g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "office"), ==,
                     served (planning, "api/department-management/v3/tree", "offices"));
    g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "absence"), ==, served (planning, sick, "sickLeave"));
    /* 403 for this token: skipped. */
    g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "registered_hours"), ==, 0);
  }

  g_assert_true (rota_mirror_pull (store, hours, start, end, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  listed_hours = rota_store_list_registered_hours (store, start, end, &error);
  g_assert_no_error (error);
  g_test_message ("hours:read: %u registered hours", listed_hours->len);
  g_assert_cmpuint (listed_hours->len, ==, served (hours, registered, "registeredHours"));
  g_assert_cmpuint (listed_hours->len, >, 0);
  {
    g_autoptr(GHashTable) counts = rota_store_table_counts (store, &error);

    /* An hours token sees only the published shifts: the others are gone
     * from the mirror, as from the server's list. */
    g_assert_no_error (error);
    g_assert_cmpint (*(gint64 *) g_hash_table_lookup (counts, "shift"), ==, served (hours, scheduled, "shifts"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/mirror/first", Fixture, NULL, fixture_set_up, test_mirror_first, fixture_tear_down);
  g_test_add ("/sync/mirror/again", Fixture, NULL, fixture_set_up, test_mirror_again, fixture_tear_down);
  g_test_add ("/sync/mirror/bad-pages", Fixture, NULL, fixture_set_up, test_mirror_bad_pages, fixture_tear_down);
  g_test_add ("/sync/mirror/forbidden", Fixture, NULL, fixture_set_up, test_mirror_forbidden, fixture_tear_down);
  g_test_add ("/sync/mirror/window", Fixture, NULL, fixture_set_up, test_mirror_window, fixture_tear_down);
  g_test_add ("/sync/mirror/rota-server", ServerFixture, NULL, harness_server_set_up, test_mirror_rota_server,
              harness_server_tear_down);

  return g_test_run ();
}
