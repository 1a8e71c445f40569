/* test-print.c: the planner's week printed to PDF
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gui-testlib.h"
#include "rota-model-private.h"
#include "rota-plan.h"
#include "rota-planner-print.h"
#include "rota-time.h"

#define MONDAY   "2026-11-23"
#define ZONE     "Europe/Berlin"
#define KITCHEN  "dep-kitchen"
#define SERVICE  "dep-service"
#define N_KITCHEN 60
#define N_SERVICE 5

/* The layout's arithmetic, from rota-planner-print.c: A4 landscape is
 * 595.28 pt high; 10 mm margins leave 538.58 pt; the title (30 pt), the
 * head row (2 × 3 + 2 × 12 pt) and the legend (18 pt) leave 460.58 pt for
 * rows of one line, 3 + 12 + 3 = 18 pt each: 25 of them a page. */
#define ROWS_PER_PAGE 25

static const char * const first_names[] = {
  "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ida", "Jonas",
};
static const char * const last_names[][2] = {
  { NULL, "Bakker" }, { NULL, "Schmidt" }, { "de", "Vries" },
  { NULL, "Müller" }, { NULL, "Jansen" }, { NULL, "Weber" },
};
/* Kitchen shift slots: start, end (minutes of the day), break. */
static const int slots[][3] = {
  { 8 * 60, 16 * 60 + 30, 30 }, { 10 * 60, 18 * 60 + 30, 30 }, { 14 * 60, 22 * 60 + 30, 30 },
};
static const char * const slot_texts[] = {
  "08:00–16:30", "10:00–18:30", "14:00–22:30",
};

typedef struct
{
  char      *dir;
  RotaStore *store;
  RotaPlan  *plan;
  char      *names[N_KITCHEN];
} Fixture;

static RotaEntity *
make_employee (const char *id,
               const char *department_id,
               const char *first,
               const char *prefix,
               const char *last)
{
  RotaEmployee *employee = rota_employee_new ();
  const char * const departments[] = { department_id, NULL };

  employee->id = g_strdup (id);
  employee->version = 1;
  employee->first_name = g_strdup (first);
  employee->last_name_prefix = g_strdup (prefix);
  employee->last_name = g_strdup (last);
  employee->department_ids = g_strdupv ((char **) departments);
  employee->contract_hours_week = 32;
  employee->max_hours_week = 48;
  employee->date_of_birth = g_strdup ("1990-01-01");

  return ROTA_ENTITY (employee);
}

static RotaEntity *
make_shift (const char *id,
            const char *employee_id,
            const char *department_id,
            guint       day,
            int         start,
            int         end,
            int         break_minutes)
{
  RotaShift *shift = rota_shift_new ();
  g_autofree char *date = rota_date_add_days (MONDAY, day);
  GTimeZone *zone = rota_time_zone_get (ZONE);

  shift->id = g_strdup (id);
  shift->version = 1;
  shift->employee_id = g_strdup (employee_id);
  shift->department_id = g_strdup (department_id);
  shift->start = rota_time_from_local (zone, date, start);
  shift->end = rota_time_from_local (zone, date, end);
  shift->break_minutes = break_minutes;
  shift->published = TRUE;

  return ROTA_ENTITY (shift);
}

/* One office; Kitchen with 60 people, each on four days of a slot of 8 h net,
 * so 32 of 32 h; Service with 5, one with two overlapping shifts on Monday
 * (violations) and one with a long day (a warning); three open shifts. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RotaOffice *office = rota_office_new ();
  RotaDepartment *department;

  fixture->dir = g_dir_make_tmp ("rota-print-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "store.sqlite", NULL);
  fixture->store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  office->id = g_strdup ("office-1");
  office->version = 1;
  office->name = g_strdup ("Gasthaus am Markt");
  office->time_zone = g_strdup (ZONE);
  office->rules_profile = ROTA_RULES_PROFILE_DE;
  g_ptr_array_add (entities, office);

  department = rota_department_new ();
  department->id = g_strdup (KITCHEN);
  department->version = 1;
  department->office_id = g_strdup ("office-1");
  department->name = g_strdup ("Kitchen");
  g_ptr_array_add (entities, department);

  department = rota_department_new ();
  department->id = g_strdup (SERVICE);
  department->version = 1;
  department->office_id = g_strdup ("office-1");
  department->name = g_strdup ("Service");
  g_ptr_array_add (entities, department);

  for (guint i = 0; i < N_KITCHEN; i++)
    {
      g_autofree char *id = g_strdup_printf ("kitchen-%02u", i);
      const char *first = first_names[i % G_N_ELEMENTS (first_names)];
      const char *prefix = last_names[i / G_N_ELEMENTS (first_names)][0];
      const char *last = last_names[i / G_N_ELEMENTS (first_names)][1];
      const int *slot = slots[i % G_N_ELEMENTS (slots)];

      fixture->names[i] = prefix != NULL ? g_strdup_printf ("%s %s %s", first, prefix, last)
                                         : g_strdup_printf ("%s %s", first, last);
      g_ptr_array_add (entities, make_employee (id, KITCHEN, first, prefix, last));

      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *shift_id = g_strdup_printf ("shift-%02u-%u", i, k);

          g_ptr_array_add (entities, make_shift (shift_id, id, KITCHEN, (i + k) % 7,
                                                 slot[0], slot[1], slot[2]));
        }
    }

  for (guint i = 0; i < N_SERVICE; i++)
    {
      g_autofree char *id = g_strdup_printf ("service-%u", i);
      g_autofree char *first = g_strdup_printf ("Server%u", i);

      g_ptr_array_add (entities, make_employee (id, SERVICE, first, NULL, "Kellner"));
    }
  g_ptr_array_add (entities, make_shift ("overlap-a", "service-0", SERVICE, 0, 8 * 60, 12 * 60, 0));
  g_ptr_array_add (entities, make_shift ("overlap-b", "service-0", SERVICE, 0,
                                         11 * 60, 15 * 60, 0));
  g_ptr_array_add (entities, make_shift ("long-day", "service-1", SERVICE, 2,
                                         8 * 60, 18 * 60 + 45, 45));

  g_ptr_array_add (entities, make_shift ("open-1", NULL, KITCHEN, 0, 17 * 60, 23 * 60, 30));
  g_ptr_array_add (entities, make_shift ("open-2", NULL, KITCHEN, 3, 7 * 60, 15 * 60, 30));
  g_ptr_array_add (entities, make_shift ("open-3", NULL, SERVICE, 5, 9 * 60, 17 * 60, 30));

  g_assert_true (rota_store_put_entities (fixture->store, entities, &error));
  g_assert_no_error (error);

  fixture->plan = rota_plan_new (fixture->store, "test");
  g_assert_true (rota_plan_load (fixture->plan, MONDAY, 7, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_assert_finalize_object (fixture->plan);
  g_assert_finalize_object (fixture->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  for (guint i = 0; i < N_KITCHEN; i++)
    g_free (fixture->names[i]);
}

/* Runs @argv and returns what it wrote to stdout. */
static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  if (error != NULL)
    g_test_message ("%s: %s", argv[0], err);
  g_assert_no_error (error);

  return out != NULL ? out : g_strdup ("");
}

static guint
pdf_pages (const char *pdf)
{
  g_autofree char *info = run ((const char * const []) { "pdfinfo", pdf, NULL });
  const char *pages = strstr (info, "\nPages:");

  g_test_message ("pdfinfo:\n%s", info);
  g_assert_nonnull (strstr (info, "841.89 x 595.276 pts (A4)"));
  g_assert_nonnull (pages);

  return pages != NULL ? (guint) g_ascii_strtoull (pages + strlen ("\nPages:"), NULL, 10) : 0;
}

/* The pages' text, split on form feeds; pdftotext ends each page with one. */
static GStrv
pdf_text (const char *pdf)
{
  g_autofree char *text = run ((const char * const []) { "pdftotext", "-layout", pdf, "-", NULL });
  GStrv pages = g_strsplit (text, "\f", -1);
  guint n = g_strv_length (pages);

  /* The part after the last form feed is empty. */
  if (n > 0 && *g_strstrip (pages[n - 1]) == '\0')
    g_clear_pointer (&pages[n - 1], g_free);

  return pages;
}

/* The first line of @page with text, without the space around it. */
static char *
first_line (const char *page)
{
  g_auto(GStrv) lines = g_strsplit (page, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      return g_strdup (lines[i]);

  return g_strdup ("");
}

/* The line of @page that starts with @name, which the layout puts in the
 * name column, with at least two spaces after it; NULL if there is none. */
static char *
name_line (const char *page,
           const char *name)
{
  g_auto(GStrv) lines = g_strsplit (page, "\n", -1);
  gsize length = strlen (name);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strchug (lines[i]);

      if (g_str_has_prefix (line, name) && line[length] == ' ' && line[length + 1] == ' ')
        return g_strdup (line);
    }

  return NULL;
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + strlen (needle), needle))
    n++;

  return n;
}

static char *
export (Fixture    *fixture,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  char *pdf = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (rota_planner_print_export_pdf (fixture->plan, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  return pdf;
}

static void
test_print_week (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *range = "23–29 November 2026";
  g_autofree char *pdf = export (fixture, "week.pdf");
  g_autofree char *open_title = g_strdup_printf ("Open shifts · %s", range);
  g_autofree char *kitchen_title = g_strdup_printf ("Kitchen · %s", range);
  g_autofree char *service_title = g_strdup_printf ("Service · %s", range);
  guint kitchen_pages = (N_KITCHEN + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE;
  guint expected = 1 + kitchen_pages + 1;
  guint on_page[8] = { 0 };
  g_auto(GStrv) pages = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *prefix = NULL;
  const char *dir = g_getenv ("ROTA_TEST_SCREENSHOTS");
  guint n_pages;

  /* Open shifts, three pages of Kitchen (25, 25 and 10 people), Service. */
  g_assert_cmpuint (kitchen_pages, >, 1);
  g_assert_cmpuint (expected, ==, 5);
  n_pages = pdf_pages (pdf);
  g_test_message ("%s: %u pages", pdf, n_pages);
  g_assert_cmpuint (n_pages, ==, expected);

  pages = pdf_text (pdf);
  g_assert_cmpuint (g_strv_length (pages), ==, expected);
  if (g_strv_length (pages) != expected)
    return;

  /* Every department starts a page, and its title heads each of its pages. */
  for (guint p = 0; p < expected; p++)
    {
      g_autofree char *top = first_line (pages[p]);
      const char *title = p == 0 ? open_title : p < expected - 1 ? kitchen_title : service_title;
      g_autofree char *number = g_strdup_printf ("age %u of %u", p + 1, expected);

      g_test_message ("page %u starts: %s", p + 1, top);
      g_assert_true (g_str_has_prefix (top, title));
      g_assert_nonnull (strstr (top, number));
      g_assert_nonnull (strstr (pages[p], "Mon"));
      g_assert_nonnull (strstr (pages[p], "23 Nov"));
      g_assert_nonnull (strstr (pages[p], "29 Nov"));
      g_assert_nonnull (strstr (pages[p], "Rule violation"));
    }
  g_assert_null (strstr (pages[1], "Continued"));
  g_assert_nonnull (strstr (pages[2], "Continued"));
  g_assert_nonnull (strstr (pages[3], "Continued"));

  /* Open shifts: one line per department, its shifts on their days. */
  {
    g_autofree char *kitchen = name_line (pages[0], "Kitchen");
    g_autofree char *service = name_line (pages[0], "Service");

    g_assert_nonnull (kitchen);
    g_assert_nonnull (service);
    g_assert_nonnull (strstr (kitchen != NULL ? kitchen : "", "17:00–23:00"));
    g_assert_nonnull (strstr (kitchen != NULL ? kitchen : "", "07:00–15:00"));
    g_assert_nonnull (strstr (service != NULL ? service : "", "09:00–17:00"));
  }

  /* Every one of the 60 once, on one row with their four shifts and total. */
  for (guint i = 0; i < N_KITCHEN; i++)
    {
      guint found = 0;

      for (guint p = 0; p < expected; p++)
        {
          g_autofree char *line = name_line (pages[p], fixture->names[i]);

          if (line == NULL)
            continue;
          found++;
          on_page[p]++;
          g_assert_cmpuint (count (line, slot_texts[i % G_N_ELEMENTS (slot_texts)]), ==, 4);
          g_assert_nonnull (strstr (line, "32/32 h"));
          g_assert_true (p >= 1 && p <= kitchen_pages);
        }
      if (found != 1)
        g_test_message ("%s found %u times", fixture->names[i], found);
      g_assert_cmpuint (found, ==, 1);
    }
  g_assert_cmpuint (on_page[1], ==, ROWS_PER_PAGE);
  g_assert_cmpuint (on_page[2], ==, ROWS_PER_PAGE);
  g_assert_cmpuint (on_page[3], ==, N_KITCHEN - 2 * ROWS_PER_PAGE);

  /* Service: rule findings are marked in text. The overlap is a violation
   * on both shifts, on two lines of one row; the long day a warning. */
  {
    g_autofree char *overlap = name_line (pages[4], "Server0 Kellner");
    g_autofree char *long_day = name_line (pages[4], "Server1 Kellner");

    g_assert_nonnull (overlap);
    g_assert_nonnull (long_day);
    g_assert_nonnull (strstr (overlap != NULL ? overlap : "", "08:00–12:00 !!"));
    g_assert_nonnull (strstr (pages[4], "11:00–15:00 !!"));
    g_assert_nonnull (strstr (overlap != NULL ? overlap : "", "8/32 h"));
    g_assert_nonnull (strstr (long_day != NULL ? long_day : "", "08:00–18:45 !"));
    g_assert_null (strstr (long_day != NULL ? long_day : "", "08:00–18:45 !!"));
    g_assert_null (strstr (pages[4], "Bakker"));
  }

  /* Page 1 and the first Kitchen page as pictures, to look at. */
  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  prefix = g_build_filename (dir, "print-week-page1", NULL);
  g_free (run ((const char * const []) { "pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1",
                                         "-singlefile", pdf, prefix, NULL }));
  shot = g_strconcat (prefix, ".png", NULL);
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
  g_test_message ("screenshot: %s", shot);
  g_clear_pointer (&prefix, g_free);
  prefix = g_build_filename (dir, "print-week-page2", NULL);
  g_free (run ((const char * const []) { "pdftoppm", "-png", "-r", "50", "-f", "2", "-l", "2",
                                         "-singlefile", pdf, prefix, NULL }));

  /* And the PDF itself, next to the pictures. */
  {
    g_autofree char *contents = NULL;
    g_autofree char *copy = g_build_filename (dir, "print-week.pdf", NULL);
    gsize length = 0;

    g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  }
}

static void
test_print_filter (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *pdf = NULL;
  g_auto(GStrv) pages = NULL;

  /* The department filter applies: Service's open shift and Service. */
  rota_plan_set_filter (fixture->plan, NULL, SERVICE);
  pdf = export (fixture, "service.pdf");
  g_assert_cmpuint (pdf_pages (pdf), ==, 2);
  pages = pdf_text (pdf);
  g_assert_cmpuint (g_strv_length (pages), ==, 2);
  if (g_strv_length (pages) != 2)
    return;

  g_assert_nonnull (strstr (pages[0], "Open shifts · 23–29 November 2026"));
  g_assert_nonnull (strstr (pages[0], "09:00–17:00"));
  g_assert_null (strstr (pages[0], "17:00–23:00"));
  g_assert_nonnull (strstr (pages[1], "Service · 23–29 November 2026"));
  for (guint i = 0; i < N_KITCHEN; i++)
    {
      g_autofree char *line = name_line (pages[1], fixture->names[i]);

      g_assert_null (line);
    }
}

static void
test_print_error (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (fixture->dir, "missing", "week.pdf", NULL);

  g_assert_false (rota_planner_print_export_pdf (fixture->plan, pdf, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (error != NULL ? strstr (error->message, pdf) : NULL);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

static void
test_print_operation (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GtkPrintOperation) operation = rota_planner_print_new (fixture->plan);
  GtkPageSetup *setup = gtk_print_operation_get_default_page_setup (operation);

  g_assert_nonnull (setup);
  g_assert_cmpint (gtk_page_setup_get_orientation (setup), ==, GTK_PAGE_ORIENTATION_LANDSCAPE);
  g_assert_cmpstr (gtk_paper_size_get_name (gtk_page_setup_get_paper_size (setup)), ==,
                   GTK_PAPER_NAME_A4);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add ("/gui/print/week", Fixture, NULL, fixture_setup, test_print_week, fixture_teardown);
  g_test_add ("/gui/print/filter", Fixture, NULL, fixture_setup, test_print_filter,
              fixture_teardown);
  g_test_add ("/gui/print/error", Fixture, NULL, fixture_setup, test_print_error, fixture_teardown);
  g_test_add ("/gui/print/operation", Fixture, NULL, fixture_setup, test_print_operation,
              fixture_teardown);

  return g_test_run ();
}
