/* rotactl.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rotactl"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "rota-account.h"
#include "rota-client.h"
#include "rota-demo.h"
#include "rota-kiosk.h"
#include "rota-payroll.h"
#include "rota-pbkdf2.h"
#include "rota-store.h"
#include "rota-time.h"

/* Exit codes, documented in the README. */
enum {
  EXIT_OK = 0,
  EXIT_FAILURE_RUNTIME = 1,
  EXIT_USAGE = 2,
  EXIT_PROBLEM_FOUND = 3,
  EXIT_OFFLINE = 4,
  EXIT_NEEDS_PERSON = 5,
};

typedef int (*CommandFunc) (const char  *store_path,
                            int          argc,
                            char       **argv);

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the prefix of an error message of the command line tool */
  g_printerr (_("rotactl: %s\n"), message);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  print_error ("%s", message);
  g_printerr ("\n%s", help);

  return EXIT_USAGE;
}

static gboolean
parse_command_options (GOptionContext  *context,
                       int             *argc,
                       char          ***argv,
                       int              max_args,
                       int             *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = usage_error (context, error->message);
      return FALSE;
    }

  /* argv[0] is the command's name. */
  if (*argc - 1 > max_args)
    {
      *exit_code = usage_error (context, _("Too many arguments"));
      return FALSE;
    }

  return TRUE;
}

/* Opens a store that must exist. On failure, says why and sets
 * *exit_code; a file that cannot be read at all is a problem that
 * `verify` reports as such. */
static RotaStore *
open_existing_store (const char *path,
                     int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  RotaStore *store;

  *exit_code = EXIT_FAILURE_RUNTIME;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      print_error (_("There is no store at %s. Make a demo workspace with “rotactl demo”, "
                     "or name another store with --store."), path);
      return NULL;
    }

  store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      print_error ("%s", error->message);
      if (g_error_matches (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_CORRUPT))
        *exit_code = EXIT_PROBLEM_FOUND;
      return NULL;
    }

  if (rota_store_get_read_only (store))
    g_printerr (_("Warning: %s is damaged and was opened read-only (%s). Keep its unsynced work "
                  "with “rotactl export-unsynced --output FILE”, then restore a backup.\n"),
                path, rota_store_get_recovery_reason (store));

  return store;
}

/* demo */

static void
demo_progress_cb (double   fraction,
                  gpointer user_data)
{
  int *last_percent = user_data;
  int percent = (int) (fraction * 100);

  /* One line per tenth, so that logs stay readable. */
  if (percent / 10 > *last_percent / 10 || percent == 100)
    {
      g_printerr (_("Generating demo data: %d%%\n"), percent);
      *last_percent = percent;
    }
}

static int
command_demo (const char  *store_path,
              int          argc,
              char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RotaDemoOptions options;
  gint64 seed = -1;
  int employees = 0;
  int weeks = 0;
  gboolean large = FALSE;
  gboolean force = FALSE;
  g_autofree char *fill_path = NULL;
  int last_percent = -1;
  int exit_code;
  gboolean exists;
  gboolean ok;
  gint64 started;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the generator (the same seed gives the same data)"), N_("N") },
    { "employees", 0, 0, G_OPTION_ARG_INT, &employees, N_("Number of employees"), N_("N") },
    { "weeks", 0, 0, G_OPTION_ARG_INT, &weeks, N_("Number of weeks of shifts"), N_("N") },
    { "large", 0, 0, G_OPTION_ARG_NONE, &large, N_("Make the standard large tenant: 2,000 employees, 52 weeks"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace an existing workspace"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Make a local demo workspace with generated offices, people, shifts and punches."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  if (large)
    rota_demo_options_init_large (&options, rota_time_now ());
  else
    rota_demo_options_init (&options, rota_time_now ());

  if (seed != -1)
    {
      if (seed < 0)
        return usage_error (context, _("The seed must not be negative"));
      options.seed = (guint64) seed;
    }
  if (employees != 0)
    {
      if (employees < 1 || employees > 100000)
        return usage_error (context, _("--employees must be between 1 and 100000"));
      options.n_employees = employees;
    }
  if (weeks != 0)
    {
      g_autofree char *first_week = NULL;
      g_autofree char *this_week = NULL;
      g_autofree char *today = NULL;

      if (weeks < 1 || weeks > 260)
        return usage_error (context, _("--weeks must be between 1 and 260"));

      /* Keep the last week where it was, and reach further back. */
      today = rota_time_work_date (options.now, rota_time_zone_get (NULL));
      this_week = rota_date_week_start (today);
      first_week = rota_date_add_days (this_week, -7 * (large ? weeks : weeks - 2));
      if (first_week == NULL)
        return usage_error (context, _("--weeks reaches too far back"));
      g_strlcpy (options.first_week, first_week, sizeof options.first_week);
      options.n_weeks = weeks;
    }
  if (options.n_departments < options.n_offices)
    options.n_departments = options.n_offices;

  exists = g_file_test (store_path, G_FILE_TEST_EXISTS);
  if (exists && !force)
    {
      print_error (_("%s already exists. Use --force to replace it, or --store to choose another file."),
                   store_path);
      return EXIT_FAILURE_RUNTIME;
    }

  /* A new workspace is made beside the old one and then copied into it
   * the way a backup is restored: that refuses anything that is not a
   * Rota store and any store another program has open, where deleting
   * the file could corrupt it under that program (reliability.md D5). */
  if (exists)
    {
      g_autoptr(RotaStore) old = NULL;
      int fd;

      /* Find out now, not after minutes of generating, whether the old
       * workspace can be replaced at all. */
      old = open_existing_store (store_path, &exit_code);
      if (old == NULL)
        return EXIT_FAILURE_RUNTIME;
      g_clear_object (&old);

      fill_path = g_strconcat (store_path, ".new-XXXXXX", NULL);
      fd = g_mkstemp_full (fill_path, O_RDWR | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          print_error ("%s: %s", fill_path, g_strerror (errno));
          return EXIT_FAILURE_RUNTIME;
        }
      close (fd);
    }
  else
    {
      fill_path = g_strdup (store_path);
    }

  store = rota_store_open (fill_path, ROTA_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  started = g_get_monotonic_time ();
  ok = rota_demo_fill_store (store, &options, demo_progress_cb, &last_percent, NULL, &error);
  rota_store_close (store);

  if (ok && exists)
    ok = rota_store_restore (store_path, fill_path, TRUE, &error);

  if (!ok)
    {
      print_error (_("Could not make the demo workspace: %s"), error->message);
      rota_store_delete_files (fill_path, NULL);
      return EXIT_FAILURE_RUNTIME;
    }

  if (exists)
    rota_store_delete_files (fill_path, NULL);

  g_print (_("Made a demo workspace at %s in %.1f s (seed %" PRIu64 ", first week %s).\n"),
           store_path, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
           options.seed, options.first_week);

  return EXIT_OK;
}

/* stats */

static gint64
count_of (GHashTable *counts,
          const char *table)
{
  gint64 *count = g_hash_table_lookup (counts, table);

  return count != NULL ? *count : 0;
}

static gint64
file_size (const char *path,
           const char *suffix)
{
  g_autofree char *file = g_strconcat (path, suffix, NULL);
  GStatBuf st;

  return g_stat (file, &st) == 0 ? (gint64) st.st_size : 0;
}

static int
command_stats (const char  *store_path,
               int          argc,
               char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GHashTable) hashes = NULL;
  g_autoptr(GList) tables = NULL;
  g_autofree char *size = NULL;
  gboolean show_hashes = FALSE;
  gint64 pending = 0;
  gint64 conflicts = 0;
  gint64 parked = 0;
  int exit_code;
  const GOptionEntry entries[] = {
    { "hashes", 0, 0, G_OPTION_ARG_NONE, &show_hashes, N_("Print a SHA-256 of every table"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Summarise a store: rows per table, unsynced edits, audit trail."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  store = open_existing_store (store_path, &exit_code);
  if (store == NULL)
    return exit_code == EXIT_PROBLEM_FOUND ? EXIT_FAILURE_RUNTIME : exit_code;

  counts = rota_store_table_counts (store, &error);
  if (counts == NULL || !rota_store_count_outbox (store, &pending, &conflicts, &parked, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  size = g_format_size (file_size (store_path, "") + file_size (store_path, "-wal"));

  g_print (_("Store:          %s\n"), store_path);
  g_print (_("Schema version: %d\n"), rota_store_get_schema_version (store));
  g_print (_("Size on disk:   %s\n"), size);
  if (rota_store_get_read_only (store))
    g_print (_("State:          damaged, read-only (%s)\n"), rota_store_get_recovery_reason (store));
  g_print ("\n");
  g_print (_("Offices:        %" PRId64 "\n"), count_of (counts, "office"));
  g_print (_("Departments:    %" PRId64 "\n"), count_of (counts, "department"));
  g_print (_("Employees:      %" PRId64 "\n"), count_of (counts, "employee"));
  g_print (_("Shifts:         %" PRId64 "\n"), count_of (counts, "shift"));
  g_print (_("Punches:        %" PRId64 "\n"), count_of (counts, "punch"));
  g_print (_("Corrections:    %" PRId64 "\n"), count_of (counts, "punch_correction"));
  g_print (_("Approvals:      %" PRId64 "\n"), count_of (counts, "approval"));
  g_print (_("Absences:       %" PRId64 "\n"), count_of (counts, "absence"));
  g_print (_("Availability:   %" PRId64 "\n"), count_of (counts, "availability"));
  g_print ("\n");
  g_print (_("Unsynced edits: %" PRId64 " pending, %" PRId64 " in conflict, "
             "%" PRId64 " refused by the server\n"), pending, conflicts, parked);
  g_print (ngettext ("Audit trail:    %" PRId64 " entry\n",
                     "Audit trail:    %" PRId64 " entries\n",
                     (gulong) count_of (counts, "audit")),
           count_of (counts, "audit"));

  if (!show_hashes)
    return EXIT_OK;

  hashes = rota_store_table_hashes (store, &error);
  if (hashes == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_print ("\n");
  tables = g_list_sort (g_hash_table_get_keys (hashes), (GCompareFunc) g_strcmp0);
  for (GList *l = tables; l != NULL; l = l->next)
    g_print ("%-22s %s\n", (const char *) l->data, (const char *) g_hash_table_lookup (hashes, l->data));

  return EXIT_OK;
}

/* verify */

static int
command_verify (const char  *store_path,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GHashTable) counts = NULL;
  gint64 n_entries;
  int exit_code;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Check a store: database integrity, references, and the audit chain. "
                                           "Names the first broken link."));
  if (!parse_command_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  store = open_existing_store (store_path, &exit_code);
  if (store == NULL)
    return exit_code == EXIT_PROBLEM_FOUND ? EXIT_PROBLEM_FOUND : EXIT_FAILURE_RUNTIME;

  if (rota_store_get_read_only (store))
    {
      g_print (_("FAILED: the database is damaged: %s\n"), rota_store_get_recovery_reason (store));
      return EXIT_PROBLEM_FOUND;
    }

  if (!rota_store_verify (store, &problem, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  if (problem != NULL)
    {
      g_print (_("FAILED: %s\n"), problem);
      return EXIT_PROBLEM_FOUND;
    }

  counts = rota_store_table_counts (store, NULL);
  n_entries = counts ? count_of (counts, "audit") : 0;
  g_print (ngettext ("OK: database integrity, references and the audit chain (%" PRId64 " entry) are intact.\n",
                     "OK: database integrity, references and the audit chain (%" PRId64 " entries) are intact.\n",
                     (gulong) n_entries),
           n_entries);

  return EXIT_OK;
}

/* backup and restore */

static int
command_backup (const char  *store_path,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  context = g_option_context_new (_("DEST"));
  g_option_context_set_summary (context, _("Copy a store to DEST with SQLite's online backup; "
                                           "safe while Rota is running."));
  if (!parse_command_options (context, &argc, &argv, 1, &exit_code))
    return exit_code;
  if (argc < 2)
    return usage_error (context, _("Name the file to write the backup to"));

  store = open_existing_store (store_path, &exit_code);
  if (store == NULL)
    return exit_code == EXIT_PROBLEM_FOUND ? EXIT_FAILURE_RUNTIME : exit_code;

  if (!rota_store_backup (store, argv[1], &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_print (_("Backed up %s to %s.\n"), store_path, argv[1]);

  return EXIT_OK;
}

static int
command_restore (const char  *store_path,
                 int          argc,
                 char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean force = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Restore even if the store has unsynced edits, losing them"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("SOURCE"));
  g_option_context_set_summary (context, _("Replace the store's content with the backup SOURCE, after checking it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 1, &exit_code))
    return exit_code;
  if (argc < 2)
    return usage_error (context, _("Name the backup to restore"));

  if (!rota_store_restore (store_path, argv[1], force, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_print (_("Restored %s from %s.\n"), store_path, argv[1]);

  return EXIT_OK;
}

/* export-unsynced */

static int
command_export_unsynced (const char  *store_path,
                         int          argc,
                         char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  int exit_code;
  int fd;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE (created with mode 0600) instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Write every edit that was not synced yet as JSON, "
                                           "also from a damaged store, so that no work is lost."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  store = open_existing_store (store_path, &exit_code);
  if (store == NULL)
    return EXIT_FAILURE_RUNTIME;

  json = rota_store_export_outbox (store, &error);
  if (json == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  if (output == NULL)
    {
      g_print ("%s\n", json);
      return EXIT_OK;
    }

  /* Unsynced work is personal data like the store itself: a new file,
   * ours alone, never one that appeared under the name meanwhile. */
  fd = g_open (output, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        print_error (_("%s already exists; choose a new file name"), output);
      else
        print_error ("%s: %s", output, g_strerror (saved_errno));
      return EXIT_FAILURE_RUNTIME;
    }

  stream = g_unix_output_stream_new (fd, TRUE);
  if (!g_output_stream_write_all (stream, json, strlen (json), NULL, NULL, &error) ||
      fsync (fd) != 0 ||
      !g_output_stream_close (stream, NULL, &error))
    {
      print_error ("%s: %s", output, error ? error->message : g_strerror (errno));
      return EXIT_FAILURE_RUNTIME;
    }

  g_print (_("Wrote the unsynced edits of %s to %s.\n"), store_path, output);

  return EXIT_OK;
}

/* export */

/* Writes the export to a temporary file beside @path, made with mode
 * 0600 (payroll data is personal), and renames it over @path only once
 * it is complete and on disk: a reader never sees half a file, and a
 * failed export leaves an earlier one as it was. */
static gboolean
export_to_file (RotaStore   *store,
                const char  *path,
                const char  *first_day,
                const char  *last_day,
                const char  *department_id,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  int fd;
  int dir_fd;

  temp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  stream = g_unix_output_stream_new (fd, TRUE);
  if (!rota_payroll_export (store, first_day, last_day, department_id, stream,
                            rota_time_now (), NULL, error) ||
      !g_output_stream_flush (stream, NULL, error))
    {
      g_output_stream_close (stream, NULL, NULL);
      g_unlink (temp);
      return FALSE;
    }

  if (fsync (fd) != 0 || g_rename (temp, path) != 0)
    {
      int saved_errno = errno;

      g_output_stream_close (stream, NULL, NULL);
      g_unlink (temp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_output_stream_close (stream, NULL, error))
    return FALSE;

  /* The rename itself is on disk once the folder is. */
  dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  return TRUE;
}

static int
command_export (const char  *store_path,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *period = NULL;
  g_autofree char *format = NULL;
  g_autofree char *department_id = NULL;
  g_autofree char *output = NULL;
  char first_day[11];
  char last_day[11];
  int exit_code;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "period", 'p', 0, G_OPTION_ARG_STRING, &period, N_("The period: YYYY-MM, YYYY-Www, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"), N_("PERIOD") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("The file format; only “csv” for now, the default"), N_("FORMAT") },
    { "department", 'd', 0, G_OPTION_ARG_STRING, &department_id, N_("Only this department and those below it"), N_("ID") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE (replaced at once when complete, mode 0600) instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Write the approved hours of a period for payroll: one row per employee "
                                           "and approved day, as CSV (UTF-8, comma separated, with a header row)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  if (period == NULL)
    return usage_error (context, _("Name the period with --period, such as --period 2026-03"));
  if (!rota_period_parse (period, first_day, last_day, &error))
    return usage_error (context, error->message);
  if (format != NULL && !g_str_equal (format, "csv"))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown format “%s”; the formats are: %s"),
                                                  format, "csv");
      return usage_error (context, message);
    }
  if (department_id != NULL && *department_id == '\0')
    return usage_error (context, _("The department id is empty"));

  store = open_existing_store (store_path, &exit_code);
  if (store == NULL)
    return exit_code == EXIT_PROBLEM_FOUND ? EXIT_FAILURE_RUNTIME : exit_code;

  if (output != NULL)
    {
      ok = export_to_file (store, output, first_day, last_day, department_id, &error);
    }
  else
    {
      g_autoptr(GOutputStream) stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      ok = rota_payroll_export (store, first_day, last_day, department_id, stream,
                                rota_time_now (), NULL, &error) &&
           g_output_stream_flush (stream, NULL, &error);
    }

  if (!ok)
    {
      print_error ("%s", error->message);
      if (g_error_matches (error, ROTA_PAYROLL_ERROR, ROTA_PAYROLL_ERROR_UNKNOWN_DEPARTMENT))
        return EXIT_USAGE;
      return EXIT_FAILURE_RUNTIME;
    }

  if (output != NULL)
    g_print (_("Wrote the approved hours from %s to %s to %s.\n"), first_day, last_day, output);

  return EXIT_OK;
}

/* account */

/* Reads one line from standard input, never a secret from the command
 * line (where ps and shell history would keep it). On a terminal it
 * shows @prompt and does not echo. Returns NULL at the end of input;
 * *too_long is set when the line had more than 4096 bytes. */
static char *
read_secret_line (const char *prompt,
                  gboolean   *too_long)
{
  char line[4097];
  struct termios saved;
  gboolean terminal = isatty (STDIN_FILENO);
  gsize length = 0;
  char *result = NULL;
  int c = EOF;

  *too_long = FALSE;
  if (terminal)
    {
      struct termios quiet;

      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      else
        terminal = FALSE;
    }

  while ((c = getchar ()) != EOF && c != '\n')
    {
      if (length < sizeof line - 1)
        line[length++] = (char) c;
      else
        *too_long = TRUE;
    }
  line[length] = '\0';

  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (c != EOF || length > 0)
    result = g_strdup (g_strstrip (line));
  explicit_bzero (line, sizeof line);

  return result;
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* Reads the API token from standard input (see read_secret_line ()). */
static char *
read_token (GError **error)
{
  gboolean too_long = FALSE;
  char *token = read_secret_line (_("API token (not shown): "), &too_long);

  if (too_long)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("The API token on standard input is too long to be one"));
  else if (token == NULL || *token == '\0')
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("No API token on standard input; pipe it in, or type it when asked"));
  else
    return token;

  free_secret (token);
  return NULL;
}

static int
command_account (const char  *store_path,
                 int          argc,
                 char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_file = NULL;
  gboolean discard = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("add: also trust the CAs in FILE, for a self-hosted server"), N_("FILE") },
    { "discard-unsynced", 0, 0, G_OPTION_ARG_NONE, &discard,
      N_("remove: remove even with edits not synced yet, losing them"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("add SERVER TENANT | list | remove SERVER TENANT"));
  g_option_context_set_summary (context, _("Add, list or remove the accounts Rota syncs with. “add” reads the "
                                           "API token from standard input, checks it with the server and keeps "
                                           "it in the keyring."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 3, &exit_code))
    return exit_code;
  if (argc < 2)
    return usage_error (context, _("Say add, list or remove"));

  if (g_str_equal (argv[1], "list") && argc == 2)
    {
      g_autoptr(GPtrArray) accounts = rota_account_list (&error);

      if (accounts == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      for (guint i = 0; i < accounts->len; i++)
        {
          RotaAccount *account = g_ptr_array_index (accounts, i);
          g_autofree char *scopes = account->scopes != NULL ? g_strjoinv (" ", account->scopes) : NULL;

          /* An empty last column: the scopes are not known (see RotaAccount). */
          g_print ("%s\t%s\t%s\t%s\n", account->server, account->tenant,
                   account->token_name != NULL ? account->token_name : "",
                   scopes != NULL ? scopes : "");
        }
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "add") && argc == 4)
    {
      g_autoptr(RotaAccount) account = NULL;
      char *token = read_token (&error);

      if (token != NULL)
        {
          account = rota_account_add (argv[2], argv[3], token, ca_file, NULL, &error);
          memset (token, 0, strlen (token));
          g_free (token);
        }
      if (account == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      g_print (_("Added %s on %s (token “%s”); its token is in the keyring.\n"), account->tenant,
               account->server, account->token_name != NULL ? account->token_name : "");
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "remove") && argc == 4)
    {
      if (!rota_account_remove (argv[2], argv[3], discard, NULL, &error))
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      g_print (_("Removed %s on %s, its token and its cache.\n"), argv[3], argv[2]);
      return EXIT_OK;
    }

  return usage_error (context, _("Say “add SERVER TENANT”, “list” or “remove SERVER TENANT”"));
}

/* kiosk-credentials, pin-hash */

/* Reads a PIN from standard input and checks its form. */
static char *
read_pin (const char  *prompt,
          GError     **error)
{
  gboolean too_long = FALSE;
  char *pin = read_secret_line (prompt, &too_long);

  if (pin == NULL || *pin == '\0')
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("No PIN on standard input; pipe it in, or type it when asked"));
  else if (too_long || !rota_pin_is_valid (pin))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("A PIN is 4 to 8 digits"));
  else
    return pin;

  free_secret (pin);
  return NULL;
}

/* A salted PIN hash for production (ROTA_PBKDF2_PIN_ITERATIONS), the salt
 * from the kernel's random source. */
static char *
hash_pin (const char  *pin,
          GError     **error)
{
  guint8 salt[ROTA_PBKDF2_SALT_LENGTH];
  gsize done = 0;

  while (done < sizeof salt)
    {
      ssize_t n = getrandom (salt + done, sizeof salt - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("No random numbers for the PIN's salt: %s"), g_strerror (saved_errno));
          return NULL;
        }
      done += (gsize) n;
    }

  return rota_pbkdf2_format_pin_hash (pin, ROTA_PBKDF2_PIN_ITERATIONS, salt);
}

/* What a kiosk calls itself: its punches say "kiosk:DEVICE". */
static gboolean
device_name_is_valid (const char *device)
{
  gsize length = strlen (device);

  if (length < 1 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (device[i]) && device[i] != '-' && device[i] != '_' && device[i] != '.')
      return FALSE;

  return TRUE;
}

/* The token must be a kiosk's: whoami says its scopes are exactly
 * "clock" (DESIGN §5: the kiosk refuses a broader token; refusing it here
 * too keeps a broad token out of a file on a shared PC). */
static gboolean
check_kiosk_token (const char    *server,
                   const char    *tenant,
                   const char    *token,
                   const char    *ca_file,
                   GError       **error)
{
  g_autoptr(RotaClient) client = NULL;
  const char * const *scopes;

  client = rota_client_new (server, tenant, token, ca_file, error);
  if (client == NULL || !rota_client_connect (client, NULL, error))
    return FALSE;

  if (rota_client_get_profile (client) != ROTA_CLIENT_PROFILE_ROTA)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s has no whoami, so the token's scopes cannot be checked; a kiosk needs a Rota server"),
                   server);
      return FALSE;
    }

  scopes = rota_client_get_scopes (client);
  if (scopes == NULL || g_strv_length ((char **) scopes) != 1 || !g_str_equal (scopes[0], "clock"))
    {
      g_autofree char *listed = scopes != NULL ? g_strjoinv (" ", (char **) scopes) : g_strdup ("");

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("The token's scopes are “%s”, but a kiosk takes a token with only the clock scope. "
                     "Make one on the server with: rota-server token add %s NAME --scopes clock"),
                   listed, tenant);
      return FALSE;
    }

  return TRUE;
}

static int
command_kiosk_credentials (const char  *store_path,
                           int          argc,
                           char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *device = NULL;
  g_autofree char *output = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *ca_path = NULL;
  g_autofree char *manager_pin_hash = NULL;
  char *token = NULL;
  char *pin = NULL;
  gboolean ok;
  int exit_code;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server's address, https://…"), N_("URL") },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, N_("The tenant"), N_("TENANT") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("The kiosk's name; its punches say kiosk:NAME"), N_("NAME") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, N_("The credential file to write (mode 0600)"), N_("FILE") },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the CAs in FILE, for a self-hosted server"),
      N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Write the credential file a kiosk (rota --kiosk) starts with. Reads "
                                           "two lines from standard input: the API token, which must have only "
                                           "the clock scope, and then the manager's PIN (4 to 8 digits), which "
                                           "is kept only as a salted hash."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;
  if (server == NULL || tenant == NULL || device == NULL || output == NULL)
    return usage_error (context, _("Give --server, --tenant, --device and --output"));
  if (!device_name_is_valid (device))
    return usage_error (context, _("A device name is 1 to 64 letters, digits, “-”, “_” or “.”"));
  if (ca_file != NULL)
    {
      /* The kiosk starts elsewhere: keep where the CA is, not where it was
       * named from. */
      ca_path = g_canonicalize_filename (ca_file, NULL);
      if (!g_file_test (ca_path, G_FILE_TEST_IS_REGULAR))
        {
          print_error (_("There is no CA file %s"), ca_path);
          return EXIT_USAGE;
        }
    }

  token = read_token (&error);
  if (token == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }
  pin = read_pin (_("Manager PIN (not shown): "), &error);
  if (pin == NULL)
    {
      free_secret (token);
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  ok = check_kiosk_token (server, tenant, token, ca_path, &error) &&
       (manager_pin_hash = hash_pin (pin, &error)) != NULL;
  free_secret (pin);
  if (!ok)
    {
      free_secret (token);
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  /* Written by the kiosk's own writer: a new file of mode 0600, synced,
   * that then replaces FILE, so that the token is never readable by
   * others, not even for a moment, and a crash leaves the old file or the
   * new one. */
  {
    RotaKioskCredentials credentials = {
      .server = (char *) server,
      .tenant = (char *) tenant,
      .token = token,
      .ca_file = (char *) ca_path,
      .device = (char *) device,
      .manager_pin_hash = manager_pin_hash,
    };

    ok = rota_kiosk_credentials_write (output, &credentials, &error);
  }
  free_secret (token);
  if (!ok)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_print (_("Wrote %s for the kiosk “%s” of %s. Start it with: rota --kiosk --credential-file %s\n"), output, device, tenant, output);

  return EXIT_OK;
}

static int
command_pin_hash (const char  *store_path,
                  int          argc,
                  char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  char *pin;
  int exit_code;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Read a kiosk PIN (4 to 8 digits) from standard input and print its "
                                           "salted PBKDF2-SHA256 hash, the form an employee's kioskPinHash "
                                           "takes."));
  if (!parse_command_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  pin = read_pin (_("PIN (not shown): "), &error);
  if (pin == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }
  hash = hash_pin (pin, &error);
  free_secret (pin);
  if (hash == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }
  g_print ("%s\n", hash);

  return EXIT_OK;
}

/* sync */

typedef struct
{
  RotaSync  *sync;
  GMainLoop *loop;
  gboolean   tty;
  int        exit_code;
  int        last_percent;
} SyncWatch;

/* The account named on the command line, or the only one there is. */
static RotaAccount *
pick_account (int      argc,
              char   **argv,
              GError **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GString) names = NULL;

  if (argc == 3)
    return rota_account_find (argv[1], argv[2], error);

  accounts = rota_account_list (error);
  if (accounts == NULL)
    return NULL;

  if (accounts->len == 1)
    {
      RotaAccount *only = g_ptr_array_index (accounts, 0);

      return rota_account_find (only->server, only->tenant, error);
    }

  if (accounts->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no account to sync; add one with “rotactl account add SERVER TENANT”"));
      return NULL;
    }

  names = g_string_new (NULL);
  for (guint i = 0; i < accounts->len; i++)
    {
      RotaAccount *account = g_ptr_array_index (accounts, i);

      g_string_append_printf (names, "\n  %s %s", account->server, account->tenant);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("There are several accounts; name the one to sync as SERVER TENANT:%s"), names->str);
  return NULL;
}

/* 0, or 4 offline, 5 when a person has to look at conflicts or refused
 * edits, 1 for any other failure. */
static int
sync_exit_code (RotaSync     *sync,
                const GError *error)
{
  if (error != NULL && g_error_matches (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_OFFLINE))
    return EXIT_OFFLINE;
  if (error != NULL)
    return EXIT_FAILURE_RUNTIME;
  if (rota_sync_get_conflicts (sync) > 0 || rota_sync_get_parked (sync) > 0)
    return EXIT_NEEDS_PERSON;
  return EXIT_OK;
}

static void
print_sync_outcome (RotaSync     *sync,
                    const GError *error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%X");

  if (error != NULL)
    {
      print_error ("%s", error->message);
      if (rota_sync_get_pending (sync) > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u edit is kept here and will be sent on the next sync.\n",
                                 "%u edits are kept here and will be sent on the next sync.\n",
                                 (gulong) MIN (rota_sync_get_pending (sync), G_MAXUINT)),
                    (guint) MIN (rota_sync_get_pending (sync), G_MAXUINT));
      return;
    }

  /* Translators: %s is a time of day */
  g_print (_("Synced at %s."), when);
  if (rota_sync_get_pending (sync) > 0)
    {
      g_print (" ");
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u edit still to send.", "%u edits still to send.",
                            (gulong) MIN (rota_sync_get_pending (sync), G_MAXUINT)),
               (guint) MIN (rota_sync_get_pending (sync), G_MAXUINT));
    }
  g_print ("\n");

  if (rota_sync_get_conflicts (sync) > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u edit conflicts with a change on the server; open Rota to keep yours or take theirs.\n",
                          "%u edits conflict with changes on the server; open Rota to keep yours or take theirs.\n",
                          (gulong) MIN (rota_sync_get_conflicts (sync), G_MAXUINT)),
             (guint) MIN (rota_sync_get_conflicts (sync), G_MAXUINT));
  if (rota_sync_get_parked (sync) > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u edit was refused by the server; open Rota to see why and fix or drop it.\n",
                          "%u edits were refused by the server; open Rota to see why and fix or drop them.\n",
                          (gulong) MIN (rota_sync_get_parked (sync), G_MAXUINT)),
             (guint) MIN (rota_sync_get_parked (sync), G_MAXUINT));
  if (rota_sync_get_local_only (sync) > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u plan edit stays on this computer only: this Dyflexis server takes clock-ins and "
                          "clock-outs, not plan changes.\n",
                          "%u plan edits stay on this computer only: this Dyflexis server takes clock-ins and "
                          "clock-outs, not plan changes.\n",
                          (gulong) MIN (rota_sync_get_local_only (sync), G_MAXUINT)),
             (guint) MIN (rota_sync_get_local_only (sync), G_MAXUINT));
}

static void
sync_progress_cb (RotaSync   *sync,
                  GParamSpec *pspec,
                  SyncWatch  *watch)
{
  double progress = rota_sync_get_progress (sync);
  int percent = progress < 0 ? -1 : (int) (progress * 100);

  if (rota_sync_get_state (sync) != ROTA_SYNC_STATE_SYNCING || percent == watch->last_percent)
    return;

  /* On a terminal one line that counts up; in a log, every tenth. */
  if (watch->tty)
    {
      if (percent < 0)
        g_printerr ("\r%s", _("Syncing…"));
      else
        {
          g_printerr ("\r");
          /* Translators: a progress line; %d is a percentage */
          g_printerr (_("Syncing… %d %%"), percent);
        }
    }
  else if (percent / 10 != watch->last_percent / 10 || watch->last_percent == -2)
    {
      if (percent < 0)
        g_printerr ("%s\n", _("Syncing…"));
      else
        {
          g_printerr (_("Syncing… %d %%"), percent);
          g_printerr ("\n");
        }
    }

  watch->last_percent = percent;
}

static void
sync_finished_cb (RotaSync  *sync,
                  SyncWatch *watch)
{
  g_autoptr(GError) error = NULL;
  RotaSyncState state = rota_sync_get_state (sync);

  if (watch->tty)
    g_printerr ("\r\033[K");
  watch->last_percent = -2;

  if (state == ROTA_SYNC_STATE_OFFLINE || state == ROTA_SYNC_STATE_ERROR)
    g_set_error_literal (&error, ROTA_CLIENT_ERROR,
                         state == ROTA_SYNC_STATE_OFFLINE ? ROTA_CLIENT_ERROR_OFFLINE : ROTA_CLIENT_ERROR_HTTP,
                         rota_sync_get_message (sync) != NULL ? rota_sync_get_message (sync) : "");

  print_sync_outcome (sync, error);
  watch->exit_code = sync_exit_code (sync, error);
}

static gboolean
sync_quit_cb (gpointer data)
{
  SyncWatch *watch = data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_CONTINUE;
}

static int
command_sync (const char  *store_path,
              int          argc,
              char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaAccount) account = NULL;
  g_autoptr(RotaSync) sync = NULL;
  gboolean watch_mode = FALSE;
  int interval = ROTA_SYNC_DEFAULT_INTERVAL;
  SyncWatch watch = { NULL, NULL, FALSE, EXIT_OK, -2 };
  int exit_code;
  const GOptionEntry entries[] = {
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch_mode,
      N_("Keep running: sync again on a timer, when the network comes back, until stopped"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval,
      N_("With --watch, the seconds between syncs (default 300)"), N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (_("[SERVER TENANT]"));
  g_option_context_set_summary (context, _("Send the edits made here to the server, then fetch its changes. "
                                           "Without SERVER TENANT, syncs the only account there is."));
  g_option_context_set_description (context, _("Exit codes: 0 synced, 1 failed, 2 bad arguments, "
                                               "4 the server could not be reached (edits are kept), "
                                               "5 synced, but conflicts or refused edits need a person."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, &argc, &argv, 3, &exit_code))
    return exit_code;
  if (argc != 1 && argc != 3)
    return usage_error (context, _("Name the account as SERVER TENANT, or nothing for the only one"));
  if (interval < 1)
    return usage_error (context, _("The interval is at least one second"));

  account = pick_account (argc, argv, &error);
  if (account == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  sync = rota_account_open_sync (account, NULL, &error);
  if (sync == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  watch.sync = sync;
  watch.tty = isatty (STDERR_FILENO);
  g_signal_connect (sync, "notify::progress", G_CALLBACK (sync_progress_cb), &watch);

  if (!watch_mode)
    {
      gboolean ok = rota_sync_run (sync, NULL, &error);

      if (watch.tty)
        g_printerr ("\r\033[K");
      print_sync_outcome (sync, ok ? NULL : error);
      return sync_exit_code (sync, ok ? NULL : error);
    }

  watch.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (sync, "finished", G_CALLBACK (sync_finished_cb), &watch);
  g_unix_signal_add (SIGINT, sync_quit_cb, &watch);
  g_unix_signal_add (SIGTERM, sync_quit_cb, &watch);

  rota_sync_set_interval (sync, (guint) interval);
  rota_sync_start (sync);
  g_main_loop_run (watch.loop);
  rota_sync_stop (sync);
  g_main_loop_unref (watch.loop);

  return watch.exit_code;
}

static const struct {
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} commands[] = {
  { "account", command_account, N_("Add, list or remove sync accounts") },
  { "demo", command_demo, N_("Make a local demo workspace") },
  { "sync", command_sync, N_("Sync an account with its server") },
  { "stats", command_stats, N_("Summarise a store") },
  { "verify", command_verify, N_("Check integrity and the audit chain") },
  { "backup", command_backup, N_("Back up a store, safely while it is in use") },
  { "restore", command_restore, N_("Restore a store from a backup") },
  { "export", command_export, N_("Write the approved hours of a period as CSV for payroll") },
  { "export-unsynced", command_export_unsynced, N_("Write the edits not synced yet as JSON") },
  { "kiosk-credentials", command_kiosk_credentials, N_("Write the credential file of a kiosk") },
  { "pin-hash", command_pin_hash, N_("Hash a kiosk PIN read from standard input") },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) description = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *default_dir = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "store", 's', 0, G_OPTION_ARG_FILENAME, &store_path, N_("The store to work on (default: the demo workspace)"), N_("PATH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Whatever we create is ours alone (reliability.md D8). */
  umask (077);

  description = g_string_new (_("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (description, "\n  %-18s %s", commands[i].name, _(commands[i].summary));
  g_string_append (description, "\n\n");
  g_string_append (description, _("Run “rotactl COMMAND --help” for a command's options.\n"
                                  "Exit codes: 0 success, 1 failure, 2 bad arguments, 3 verify found a problem, "
                                  "4 sync could not reach the server, 5 sync needs a person for conflicts."));

  context = g_option_context_new (_("COMMAND [OPTIONS…]"));
  g_option_context_set_summary (context, _("Work with Rota's local stores without the desktop app."));
  g_option_context_set_description (context, description->str);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Stop at the command, so that its options are its own. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (version)
    {
      g_print ("rotactl %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (argc < 2)
    return usage_error (context, _("Name a command"));

  if (store_path == NULL)
    {
      default_dir = rota_store_default_dir ();
      store_path = g_build_filename (default_dir, "demo.sqlite", NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("rotactl %s", commands[i].name);

          g_set_prgname (prgname);
          return commands[i].func (store_path, argc - 1, argv + 1);
        }
    }

  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”"), argv[1]);
    return usage_error (context, message);
  }
}
