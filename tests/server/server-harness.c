/* server-harness.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * What the tests of the real rota-server binary share: running it and
 * openssl, a CA and a server certificate made for the run, starting
 * `serve` on a port the kernel picks, and a demo tenant's tokens.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "server-harness.h"

/* The rota-server binary meson built (ROTA_SERVER in the test environment). */
const char *
harness_server_binary (void)
{
  const char *path = g_getenv ("ROTA_SERVER");

  g_assert_nonnull (path);

  return path;
}

static char *
run_argv (int          expected_status,
          char       **err,
          GPtrArray   *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  char *out = NULL;

  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err_text, &error));
  g_assert_no_error (error);
  g_test_message ("%s %s → %d %s", (char *) g_ptr_array_index (args, 0), (char *) g_ptr_array_index (args, 1),
                  g_subprocess_get_exit_status (process), err_text ? err_text : "");
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expected_status);

  if (err != NULL)
    *err = g_steal_pointer (&err_text);

  return out;
}

/**
 * harness_run:
 * @expected_status: the exit status the command must end with
 * @err: (out) (optional): its standard error
 * @first: the program, then its arguments, then %NULL
 *
 * Returns: its standard output
 */
char *
harness_run (int          expected_status,
             char       **err,
             const char  *first,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);

  return run_argv (expected_status, err, args);
}

/**
 * harness_make_certificates:
 * @dir: where to write them
 * @ca: (out): the CA certificate, the only one clients trust
 * @cert: (out): a server certificate for localhost and 127.0.0.1, by that CA
 * @key: (out): its key
 */
void
harness_make_certificates (const char  *dir,
                           char       **ca,
                           char       **cert,
                           char       **key)
{
  g_autofree char *ca_key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *csr = g_build_filename (dir, "server.csr", NULL);
  g_autofree char *ext = g_build_filename (dir, "server.ext", NULL);
  g_autofree char *serial = g_build_filename (dir, "ca.srl", NULL);

  *ca = g_build_filename (dir, "ca.pem", NULL);
  *cert = g_build_filename (dir, "server.pem", NULL);
  *key = g_build_filename (dir, "server.key", NULL);

  g_assert_true (g_file_set_contents (ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n", -1, NULL));

  g_free (harness_run (0, NULL, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                       "-nodes", "-keyout", ca_key, "-out", *ca, "-days", "2", "-subj", "/CN=Rota Test CA", NULL));
  g_free (harness_run (0, NULL, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                       "-nodes", "-keyout", *key, "-out", csr, "-subj", "/CN=localhost", NULL));
  g_free (harness_run (0, NULL, "openssl", "x509", "-req", "-in", csr, "-CA", *ca, "-CAkey", ca_key,
                       "-CAserial", serial, "-CAcreateserial", "-out", *cert, "-days", "2",
                       "-extfile", ext, NULL));
}

/**
 * harness_start_server:
 * @data_dir: the server's data folder
 * @stderr_flag: %G_SUBPROCESS_FLAGS_STDERR_PIPE to read its log, or
 *   %G_SUBPROCESS_FLAGS_STDERR_SILENCE
 * @base: (out): the base URI it prints, such as `https://127.0.0.1:PORT/`
 * @first: arguments after `serve --port 0`, then %NULL
 *
 * Starts `rota-server serve` on a port the kernel picks and waits until it
 * listens.
 *
 * Returns: (transfer full): the server process
 */
GSubprocess *
harness_start_server (const char        *data_dir,
                      GSubprocessFlags   stderr_flag,
                      char             **base,
                      const char        *first,
                      ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;
  const char *asan;
  va_list ap;

  g_ptr_array_add (args, (char *) harness_server_binary ());
  g_ptr_array_add (args, (char *) "--data-dir");
  g_ptr_array_add (args, (char *) data_dir);
  g_ptr_array_add (args, (char *) "serve");
  g_ptr_array_add (args, (char *) "--port");
  g_ptr_array_add (args, (char *) "0");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | stderr_flag);

  /* In the ASan build, LeakSanitizer's tracer crashes at exit on the
   * dynamic TLS of GIO's dlopen()ed TLS module (GCC 12's libasan on
   * Debian 12: "Tracer caught signal 11", DTLS). The server's leak check
   * is therefore off for this one process; address and undefined
   * behaviour checks stay on, and the registry and store code it runs is
   * leak-checked in-process by test-registry and the core tests. */
  asan = g_getenv ("ASAN_OPTIONS");
  if (asan != NULL)
    {
      g_autofree char *no_leaks = g_strconcat (asan, ":detect_leaks=0", NULL);
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", no_leaks, TRUE);
    }

  server = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s", line);
  g_assert_true (g_str_has_prefix (line, "Listening on "));

  *base = g_strdup (line + strlen ("Listening on "));

  return server;
}

/**
 * harness_demo_tokens:
 * @data_dir: the server's data folder
 * @slug: the tenant to make
 * @employees: how many employees, as the option's text
 * @weeks: how many weeks
 *
 * Runs `rota-server demo`, which prints one "SCOPE SECRET" line per scope.
 *
 * Returns: (transfer full): scope → token secret, all five scopes
 */
GHashTable *
harness_demo_tokens (const char *data_dir,
                     const char *slug,
                     const char *employees,
                     const char *weeks)
{
  GHashTable *tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *out = harness_run (0, NULL, harness_server_binary (), "--data-dir", data_dir,
                                      "demo", slug, "--employees", employees, "--weeks", weeks, NULL);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 2);

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_hash_table_insert (tokens, g_strdup (parts[0]), g_strdup (parts[1]));
    }
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 5);

  return tokens;
}

/**
 * harness_serve_tls:
 * @base: (inout): %NULL for a port the kernel picks, which it then names;
 *   or the address of an earlier start, whose port is taken again (an
 *   account or a kiosk's credential file keeps the address)
 *
 * Starts `rota-server serve` over TLS with @cert and @key.
 *
 * Returns: (transfer full): the server process
 */
GSubprocess *
harness_serve_tls (const char  *data_dir,
                   const char  *cert,
                   const char  *key,
                   char       **base)
{
  g_autofree char *started = NULL;
  g_autofree char *port = NULL;
  GSubprocess *server;

  if (*base == NULL)
    {
      server = harness_start_server (data_dir, G_SUBPROCESS_FLAGS_STDERR_SILENCE, base,
                                     "--tls-cert", cert, "--tls-key", key, NULL);
      return server;
    }

  port = g_strndup (strrchr (*base, ':') + 1, strcspn (strrchr (*base, ':') + 1, "/"));
  server = harness_start_server (data_dir, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &started,
                                 "--tls-cert", cert, "--tls-key", key, "--port", port, NULL);
  g_assert_cmpstr (started, ==, *base);

  return server;
}

/* Stops a server started by harness_start_server(), and forgets it. */
void
harness_stop_server (GSubprocess **server)
{
  g_subprocess_force_exit (*server);
  g_subprocess_wait (*server, NULL, NULL);
  g_clear_object (server);
}

/* rm -r, without a shell. */
void
harness_remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        harness_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

void
harness_server_set_up (HarnessServer *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rota-harness-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->dir, "data", NULL);
  harness_make_certificates (fixture->dir, &fixture->ca, &fixture->cert, &fixture->key);
  g_free (harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir, "init", NULL));
  fixture->tokens = harness_demo_tokens (fixture->data_dir, "alpha", "5", "1");
  fixture->server = harness_start_server (fixture->data_dir, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &fixture->base,
                                          "--tls-cert", fixture->cert, "--tls-key", fixture->key, NULL);
}

void
harness_server_tear_down (HarnessServer *fixture,
                          gconstpointer  data)
{
  g_subprocess_force_exit (fixture->server);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_object (&fixture->server);
  harness_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->data_dir);
  g_free (fixture->ca);
  g_free (fixture->cert);
  g_free (fixture->key);
  g_free (fixture->base);
  g_hash_table_unref (fixture->tokens);
}
