/* main.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <sys/stat.h>

#include "rota-demo.h"
#include "rota-enum-types.h"
#include "rota-office.h"
#include "rota-server-admin.h"
#include "rota-server.h"
#include "rota-tenant-sqlite.h"
#include "rota-time.h"

/*
 * rota-server: the admin commands and `serve`. Admin is this command line
 * only, never a token (DESIGN §3). Exit codes: 0 success, 1 failure,
 * 2 bad arguments.
 */

enum {
  EXIT_OK = 0,
  EXIT_FAILURE_RUNTIME = 1,
  EXIT_USAGE = 2,
};

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

  g_printerr ("rota-server: %s\n", message);
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
parse_options (GOptionContext   *context,
               int              *argc,
               char           ***argv,
               int               n_args,
               int              *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = usage_error (context, error->message);
      return FALSE;
    }

  if (*argc - 1 != n_args)
    {
      *exit_code = usage_error (context, *argc - 1 < n_args ? "Too few arguments" : "Too many arguments");
      return FALSE;
    }

  return TRUE;
}

static RotaServerRegistry *
open_registry (const char *data_dir,
               gboolean    create)
{
  g_autoptr(GError) error = NULL;
  RotaServerRegistry *registry = rota_server_registry_open (data_dir, create, &error);

  if (registry == NULL)
    {
      print_error ("%s", error->message);
      if (!create && g_error_matches (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND))
        g_printerr ("Run “rota-server --data-dir %s init” first.\n", data_dir);
    }

  return registry;
}

static int
command_init (const char  *data_dir,
              int          argc,
              char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(RotaServerRegistry) registry = NULL;
  int exit_code;

  g_option_context_set_summary (context, "Create the server's data folder and registry.");
  if (!parse_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  registry = open_registry (data_dir, TRUE);
  if (registry == NULL)
    return EXIT_FAILURE_RUNTIME;

  g_print ("Initialised %s\n", data_dir);

  return EXIT_OK;
}

static int
command_tenant (const char  *data_dir,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("add SLUG | list");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, "Add a tenant (a customer, with its own database), or list them.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (argc == 3 && g_str_equal (argv[1], "add"))
    {
      registry = open_registry (data_dir, FALSE);
      if (registry == NULL)
        return EXIT_FAILURE_RUNTIME;
      if (!rota_server_registry_add_tenant (registry, argv[2], &error))
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }

      /* The tenant's own database, one file per customer. */
      {
        g_autofree char *path = rota_server_registry_tenant_path (registry, argv[2]);
        g_autoptr(RotaTenant) data = rota_tenant_sqlite_open (path, TRUE, &error);

        if (data == NULL)
          {
            print_error ("%s", error->message);
            return EXIT_FAILURE_RUNTIME;
          }
      }
      g_print ("Added the tenant %s\n", argv[2]);
      return EXIT_OK;
    }

  if (argc == 2 && g_str_equal (argv[1], "list"))
    {
      g_auto(GStrv) tenants = NULL;

      registry = open_registry (data_dir, FALSE);
      if (registry == NULL)
        return EXIT_FAILURE_RUNTIME;
      tenants = rota_server_registry_list_tenants (registry, &error);
      if (tenants == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      for (guint i = 0; tenants[i] != NULL; i++)
        g_print ("%s\n", tenants[i]);
      return EXIT_OK;
    }

  (void) exit_code;
  return usage_error (context, "Say “add SLUG” or “list”");
}

static int
command_token (const char  *data_dir,
               int          argc,
               char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("add TENANT NAME --scopes SCOPES | revoke TOKEN-ID | list TENANT");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scopes_text = NULL;
  const GOptionEntry entries[] = {
    { "scopes", 0, 0, G_OPTION_ARG_STRING, &scopes_text,
      "What the token may do: planning:read planning:write hours:read hours:write clock", "SCOPES" },
    { NULL }
  };

  g_option_context_set_summary (context, "Make an API token (shown once), revoke one, or list a tenant's tokens.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (argc == 4 && g_str_equal (argv[1], "add"))
    {
      g_autofree char *secret = NULL;
      g_autofree char *token_id = NULL;
      RotaScopes scopes;

      if (scopes_text == NULL)
        return usage_error (context, "Give the token's scopes with --scopes");
      if (!rota_scopes_parse (scopes_text, &scopes, &error))
        return usage_error (context, error->message);

      registry = open_registry (data_dir, FALSE);
      if (registry == NULL)
        return EXIT_FAILURE_RUNTIME;
      secret = rota_server_registry_add_token (registry, argv[2], argv[3], scopes, &token_id, &error);
      if (secret == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }

      /* The secret goes to standard output once, alone on its line, so
       * that a script can take it; what it is goes to standard error. */
      g_printerr ("Token %s for %s (%s). Keep it now: it is not stored and cannot be shown again.\n",
                  token_id, argv[2], scopes_text);
      g_print ("%s\n", secret);
      return EXIT_OK;
    }

  if (argc == 3 && g_str_equal (argv[1], "revoke"))
    {
      registry = open_registry (data_dir, FALSE);
      if (registry == NULL)
        return EXIT_FAILURE_RUNTIME;
      if (!rota_server_registry_revoke_token (registry, argv[2], &error))
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      g_print ("Revoked the token %s\n", argv[2]);
      return EXIT_OK;
    }

  if (argc == 3 && g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) tokens = NULL;

      registry = open_registry (data_dir, FALSE);
      if (registry == NULL)
        return EXIT_FAILURE_RUNTIME;
      tokens = rota_server_registry_list_tokens (registry, argv[2], &error);
      if (tokens == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      for (guint i = 0; i < tokens->len; i++)
        {
          RotaTokenInfo *info = g_ptr_array_index (tokens, i);

          g_print ("%s  %-24s  %-40s  %s\n", info->token_id, info->name, info->scopes,
                   info->revoked_at ? "revoked" : "active");
        }
      return EXIT_OK;
    }

  return usage_error (context, "Say “add TENANT NAME --scopes …”, “revoke TOKEN-ID” or “list TENANT”");
}

typedef struct
{
  RotaServer *server;
  GMainLoop  *loop;
  guint       drain_id;
} ServeState;

static gboolean
drain_cb (gpointer user_data)
{
  ServeState *state = user_data;

  if (rota_server_get_n_active (state->server) > 0)
    return G_SOURCE_CONTINUE;

  state->drain_id = 0;
  g_main_loop_quit (state->loop);

  return G_SOURCE_REMOVE;
}

static gboolean
terminate_cb (gpointer user_data)
{
  ServeState *state = user_data;

  /* Take no new connections, let the requests in flight finish, then go. */
  g_message ("Stopping: finishing %u request(s) in flight", rota_server_get_n_active (state->server));
  rota_server_stop_listening (state->server);
  if (state->drain_id == 0)
    state->drain_id = g_timeout_add (20, drain_cb, state);

  return G_SOURCE_CONTINUE;
}

static int
command_serve (const char  *data_dir,
               int          argc,
               char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(RotaServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *uri = NULL;
  gboolean plain_http = FALSE;
  double rate = ROTA_SERVER_DEFAULT_RATE;
  int port = 8443;
  int exit_code;
  ServeState state = { NULL, NULL, 0 };
  guint term_id;
  guint int_id;
  const GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "IP address to listen on (default 127.0.0.1)", "ADDRESS" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on, 0 for any free one (default 8443)", "PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, "PEM certificate (chain) for HTTPS", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "PEM private key for HTTPS", "FILE" },
    { "plain-http", 0, 0, G_OPTION_ARG_NONE, &plain_http, "Serve plain HTTP, only on a loopback address (tests, a local reverse proxy)", NULL },
    { "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Requests a second per token on average, 0 for none (default 50)", "N" },
    { NULL }
  };

  g_option_context_set_summary (context, "Serve the API over HTTPS (TLS 1.2 or 1.3 only).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  if (port < 0 || port > 65535)
    return usage_error (context, "--port must be between 0 and 65535");
  if (rate < 0 || rate > 1e6)
    return usage_error (context, "--rate-limit must be between 0 and 1000000");
  if (plain_http == (cert_file != NULL))
    return usage_error (context, "Give --tls-cert and --tls-key, or --plain-http (never both)");
  if ((cert_file == NULL) != (key_file == NULL))
    return usage_error (context, "--tls-cert and --tls-key go together");

  registry = open_registry (data_dir, FALSE);
  if (registry == NULL)
    return EXIT_FAILURE_RUNTIME;

  if (cert_file != NULL)
    {
      certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
      if (certificate == NULL)
        {
          print_error ("Cannot load the certificate: %s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
    }

  server = rota_server_new (registry, certificate);
  rota_server_set_rate_limit (server, rate);
  if (!rota_server_listen (server, address ? address : "127.0.0.1", port, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  uri = rota_server_get_uri (server);
  /* Tests and scripts read the address from this line. */
  g_print ("Listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  state.server = server;
  state.loop = loop;
  term_id = g_unix_signal_add (SIGTERM, terminate_cb, &state);
  int_id = g_unix_signal_add (SIGINT, terminate_cb, &state);
  g_main_loop_run (loop);
  g_source_remove (term_id);
  g_source_remove (int_id);

  g_message ("Stopped");

  return EXIT_OK;
}

static int
command_demo (const char  *data_dir,
              int          argc,
              char       **argv)
{
  static const char * const scopes[] = { "planning:read", "planning:write", "hours:read", "hours:write", "clock" };
  g_autoptr(GOptionContext) context = g_option_context_new ("SLUG");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(RotaTenant) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RotaDemoOptions options;
  gboolean large = FALSE;
  int employees = 0;
  int weeks = 0;
  int exit_code;
  const GOptionEntry entries[] = {
    { "employees", 0, 0, G_OPTION_ARG_INT, &employees, "Number of employees", "N" },
    { "weeks", 0, 0, G_OPTION_ARG_INT, &weeks, "Number of weeks of shifts, ending with this week", "N" },
    { "large", 0, 0, G_OPTION_ARG_NONE, &large, "The standard large tenant: 2,000 employees, 52 weeks", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Make a new tenant filled with demo data, and print one token per scope.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, 1, &exit_code))
    return exit_code;

  if (large)
    rota_demo_options_init_large (&options, rota_time_now ());
  else
    rota_demo_options_init (&options, rota_time_now ());
  if (employees < 0 || employees > 100000 || weeks < 0 || weeks > 260)
    return usage_error (context, "--employees must be 1 to 100000 and --weeks 1 to 260");
  if (employees > 0)
    options.n_employees = employees;
  if (weeks > 0)
    {
      g_autofree char *today = rota_time_work_date (options.now, rota_time_zone_get (NULL));
      g_autofree char *this_week = rota_date_week_start (today);
      g_autofree char *first = rota_date_add_days (this_week, -7 * (weeks - 1));

      g_strlcpy (options.first_week, first, sizeof options.first_week);
      options.n_weeks = weeks;
    }

  registry = open_registry (data_dir, TRUE);
  if (registry == NULL)
    return EXIT_FAILURE_RUNTIME;
  if (!rota_server_registry_add_tenant (registry, argv[1], &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  path = rota_server_registry_tenant_path (registry, argv[1]);
  data = rota_tenant_sqlite_open (path, TRUE, &error);
  if (data == NULL ||
      !rota_demo_fill_store (rota_tenant_sqlite_get_store (ROTA_TENANT_SQLITE (data)), &options,
                             NULL, NULL, NULL, &error) ||
      !rota_tenant_sqlite_index_existing (ROTA_TENANT_SQLITE (data), &error))
    {
      print_error ("Could not fill the tenant %s: %s", argv[1], error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_printerr ("Made the tenant %s with %u employees and %u weeks of shifts. Its tokens, one per "
              "scope, are shown once:\n", argv[1], options.n_employees, options.n_weeks);

  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      g_autofree char *secret = NULL;
      g_autofree char *name = g_strdup_printf ("demo %s", scopes[i]);
      RotaScopes scope;

      if (!rota_scopes_parse (scopes[i], &scope, &error) ||
          (secret = rota_server_registry_add_token (registry, argv[1], name, scope, NULL, &error)) == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      g_print ("%s %s\n", scopes[i], secret);
    }

  return EXIT_OK;
}

static int
command_backup (const char  *data_dir,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SLUG DEST | --all DIR");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;
  gboolean ok;
  int exit_code;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_FILENAME, &all, "Back up the registry and every tenant into the new folder DIR, with a MANIFEST of SHA-256 sums", "DIR" },
    { NULL }
  };

  g_option_context_set_summary (context, "Back up one tenant, or everything, with SQLite's online backup; safe while serving.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, all != NULL ? 0 : 2, &exit_code))
    {
      /* parse_options counted before --all was known; check again. */
      if (all == NULL || argc != 1)
        return exit_code;
    }

  registry = open_registry (data_dir, FALSE);
  if (registry == NULL)
    return EXIT_FAILURE_RUNTIME;

  ok = all != NULL ? rota_server_admin_backup_all (registry, all, &error)
                   : rota_server_admin_backup (registry, argv[1], argv[2], &error);
  if (!ok)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_print ("Backed up %s\n", all != NULL ? "every tenant" : argv[1]);

  return EXIT_OK;
}

static int
command_restore (const char  *data_dir,
                 int          argc,
                 char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SLUG SOURCE");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  gboolean force = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Restore even an anonymised copy, or over a damaged tenant", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Replace a tenant's data with a backup, after checking it. "
                                         "Stop the server first: a tenant in use is refused.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, 2, &exit_code))
    return exit_code;

  registry = open_registry (data_dir, FALSE);
  if (registry == NULL)
    return EXIT_FAILURE_RUNTIME;

  if (!rota_server_admin_restore (registry, argv[1], argv[2], force, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_print ("Restored %s from %s\n", argv[1], argv[2]);

  return EXIT_OK;
}

static int
command_anonymize (const char  *data_dir,
                   int          argc,
                   char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SLUG DEST");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, "Write a copy of a tenant without names, e-mails, badges, "
                                         "birth dates or notes, for debugging.");
  if (!parse_options (context, &argc, &argv, 2, &exit_code))
    return exit_code;

  registry = open_registry (data_dir, FALSE);
  if (registry == NULL)
    return EXIT_FAILURE_RUNTIME;

  if (!rota_server_admin_anonymize (registry, argv[1], argv[2], &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  g_print ("Wrote an anonymised copy of %s to %s\n", argv[1], argv[2]);

  return EXIT_OK;
}

static int
command_verify (const char  *data_dir,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SLUG");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  int exit_code;

  g_option_context_set_summary (context, "Check a tenant: database integrity, the audit chain and the "
                                         "change log. Names the first broken link; exit code 3 then.");
  if (!parse_options (context, &argc, &argv, 1, &exit_code))
    return exit_code;

  registry = open_registry (data_dir, FALSE);
  if (registry == NULL)
    return EXIT_FAILURE_RUNTIME;

  if (!rota_server_admin_verify (registry, argv[1], &problem, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE_RUNTIME;
    }

  if (problem != NULL)
    {
      g_print ("FAILED: %s\n", problem);
      return 3;
    }

  g_print ("OK: %s is intact\n", argv[1]);

  return EXIT_OK;
}

static void
print_office (RotaEntity *entity)
{
  RotaOffice *office = ROTA_OFFICE (entity);
  RotaPunchRounding mode = rota_office_get_punch_rounding_mode (office);
  g_autoptr(GEnumClass) modes = g_type_class_ref (ROTA_TYPE_PUNCH_ROUNDING);
  GEnumValue *mode_value = g_enum_get_value (modes, mode == ROTA_PUNCH_ROUNDING_NONE ? ROTA_PUNCH_ROUNDING_INWARD : mode);
  g_autofree char *rounding = NULL;

  if (rota_office_get_punch_rounding_minutes (office) == 0)
    rounding = g_strdup ("off");
  else
    rounding = g_strdup_printf ("%" G_GINT64_FORMAT " min %s", rota_office_get_punch_rounding_minutes (office),
                                mode_value->value_nick);

  /* One office a line, tab-separated: id, name, then the policy. */
  g_print ("%s\t%s\tgrace %" G_GINT64_FORMAT " min\trounding %s\tearly from plan %s\n",
           rota_entity_get_id (entity), rota_office_get_name (office),
           rota_office_get_punch_grace_minutes (office), rounding,
           rota_office_get_punch_early_from_plan (office) ? "on" : "off");
}

static int
command_office (const char  *data_dir,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("list TENANT | set TENANT OFFICE-ID [OPTIONS…]");
  g_autoptr(RotaServerRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *early = NULL;
  int grace = G_MININT, rounding = G_MININT;
  const GOptionEntry entries[] = {
    { "grace", 0, 0, G_OPTION_ARG_INT, &grace, "Minutes a clock-in may be late, or a clock-out early, and still be on time (0–120; 5 by default)", "MIN" },
    { "rounding", 0, 0, G_OPTION_ARG_INT, &rounding, "Round worked time to 5, 10, 15 or 30 minutes; 0 turns it off (the default)", "MIN" },
    { "rounding-mode", 0, 0, G_OPTION_ARG_STRING, &mode, "inward (clock-in up, clock-out down; the default), nearest or outward", "MODE" },
    { "early-from-plan", 0, 0, G_OPTION_ARG_STRING, &early, "on: a clock-in up to an hour before a shift counts from its start; off (the default)", "on|off" },
    { NULL }
  };

  g_option_context_set_summary (context, "List a tenant's offices with their punch policy, or change an office's "
                                         "policy. A change is a new version of the office, in the audit chain, "
                                         "and reaches the apps at their next sync. It applies to every day from "
                                         "then on, approved ones too: change it between pay periods.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (argc == 3 && g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) offices = NULL;

      registry = open_registry (data_dir, FALSE);
      if (registry == NULL)
        return EXIT_FAILURE_RUNTIME;
      offices = rota_server_admin_list_offices (registry, argv[2], &error);
      if (offices == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE_RUNTIME;
        }
      for (guint i = 0; i < offices->len; i++)
        print_office (g_ptr_array_index (offices, i));
      return EXIT_OK;
    }

  if (argc == 4 && g_str_equal (argv[1], "set"))
    {
      RotaServerOfficePolicy policy = { grace == G_MININT ? -1 : grace, rounding == G_MININT ? -1 : rounding, mode, -1 };
      g_autoptr(RotaEntity) office = NULL;

      if (grace != G_MININT && grace < 0)
        return usage_error (context, "--grace takes 0 to 120 minutes");
      if (rounding != G_MININT && rounding < 0)
        return usage_error (context, "--rounding takes 0 (off), 5, 10, 15 or 30 minutes");

      if (early != NULL)
        {
          if (g_str_equal (early, "on"))
            policy.early_from_plan = 1;
          else if (g_str_equal (early, "off"))
            policy.early_from_plan = 0;
          else
            return usage_error (context, "--early-from-plan takes “on” or “off”");
        }
      if (grace == G_MININT && rounding == G_MININT && mode == NULL && early == NULL)
        return usage_error (context, "Say what to change: --grace, --rounding, --rounding-mode or --early-from-plan");

      registry = open_registry (data_dir, FALSE);
      if (registry == NULL)
        return EXIT_FAILURE_RUNTIME;
      office = rota_server_admin_set_office (registry, argv[2], argv[3], &policy, &error);
      if (office == NULL)
        {
          print_error ("%s", error->message);
          if (g_error_matches (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND))
            g_printerr ("“rota-server office list %s” lists the offices.\n", argv[2]);
          return EXIT_FAILURE_RUNTIME;
        }
      print_office (office);
      return EXIT_OK;
    }

  return usage_error (context, "Say “list TENANT” or “set TENANT OFFICE-ID” with what to change");
}

static int
command_routes (const char  *data_dir,
                int          argc,
                char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) routes = NULL;
  gboolean scopes = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    { "scopes", 0, 0, G_OPTION_ARG_NONE, &scopes, "Also print the scopes each route takes (any one is enough)", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Print every route the server serves, as “METHOD /path”.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv, 0, &exit_code))
    return exit_code;

  routes = rota_server_list_routes (scopes);
  for (guint i = 0; routes[i] != NULL; i++)
    g_print ("%s\n", routes[i]);

  return EXIT_OK;
}

static const struct {
  const char *name;
  int       (*func) (const char *data_dir, int argc, char **argv);
  const char *summary;
} commands[] = {
  { "init", command_init, "Create the data folder and the registry" },
  { "tenant", command_tenant, "Add or list tenants" },
  { "token", command_token, "Add, revoke or list API tokens" },
  { "serve", command_serve, "Serve the API" },
  { "demo", command_demo, "Make a tenant filled with demo data" },
  { "backup", command_backup, "Back up a tenant, or all of them" },
  { "restore", command_restore, "Restore a tenant from a backup" },
  { "anonymize", command_anonymize, "Write a copy of a tenant without personal data" },
  { "verify", command_verify, "Check a tenant's integrity and audit chain" },
  { "office", command_office, "List offices, or change an office's punch policy" },
  { "routes", command_routes, "List the API's routes" },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) description = g_string_new ("Commands:");
  g_autofree char *data_dir = NULL;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, "The server's data folder (default: $XDG_DATA_HOME/rota-server)", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  umask (077);

  /* Before anything loads GIO's TLS backend: TLS 1.2 and 1.3 only. The
   * program sets this itself rather than trusting the environment. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", ROTA_SERVER_TLS_PRIORITY, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (description, "\n  %-10s %s", commands[i].name, commands[i].summary);

  context = g_option_context_new ("COMMAND [OPTIONS…]");
  g_option_context_set_summary (context, "The Rota sync server: one database per tenant, token scopes, TLS.");
  g_option_context_set_description (context, description->str);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (argc < 2)
    return usage_error (context, "Name a command");

  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "rota-server", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (data_dir, argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf ("Unknown command “%s”", argv[1]);
    return usage_error (context, message);
  }
}
