/* bench-common.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * What the benchmarks share: one JSON line per figure, running a helper
 * program, medians, and a rota-server on loopback TLS with a CA made for
 * the run.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bench-common.h"

#include "rota-demo.h"
#include "rota-store.h"
#include "rota-time.h"

/* Prints {"bench": NAME, FIELDS}: @format gives the fields. */
void
bench_emit (const char *name,
            const char *format,
            ...)
{
  g_autofree char *fields = NULL;
  va_list args;

  va_start (args, format);
  fields = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("{\"bench\": \"%s\", %s}\n", name, fields);
}

/* Runs a program to its end; returns its standard output. */
char *
bench_run (const char *first,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error) ||
      g_subprocess_get_exit_status (process) != 0)
    g_error ("%s failed: %s", first, error ? error->message : "exit status");

  return out;
}

const char *
bench_server_binary (void)
{
  const char *path = g_getenv ("ROTA_SERVER");

  if (path == NULL)
    g_error ("ROTA_SERVER is not set");

  return path;
}

int
bench_compare_doubles (gconstpointer a,
                       gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values. */
double
bench_median (double *values,
              guint   n)
{
  qsort (values, n, sizeof *values, bench_compare_doubles);

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double
bench_seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
make_certificates (BenchServer *server)
{
  g_autofree char *ca_key = g_build_filename (server->dir, "ca.key", NULL);
  g_autofree char *csr = g_build_filename (server->dir, "server.csr", NULL);
  g_autofree char *ext = g_build_filename (server->dir, "server.ext", NULL);
  g_autofree char *serial = g_build_filename (server->dir, "ca.srl", NULL);

  server->ca = g_build_filename (server->dir, "ca.pem", NULL);
  server->cert = g_build_filename (server->dir, "server.pem", NULL);
  server->key = g_build_filename (server->dir, "server.key", NULL);
  g_file_set_contents (ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n", -1, NULL);

  g_free (bench_run ("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", ca_key, "-out", server->ca, "-days", "2", "-subj", "/CN=Rota Bench CA",
                     NULL));
  g_free (bench_run ("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", server->key, "-out", csr, "-subj", "/CN=localhost", NULL));
  g_free (bench_run ("openssl", "x509", "-req", "-in", csr, "-CA", server->ca, "-CAkey", ca_key,
                     "-CAserial", serial, "-CAcreateserial", "-out", server->cert, "-days", "2", "-extfile", ext,
                     NULL));
}

/**
 * bench_server_start:
 * @server: where to keep what it made
 * @dir: a new, empty folder for the CA, the certificates and the data
 *
 * Makes a CA and a certificate for 127.0.0.1, initialises a data folder
 * and starts `rota-server serve` on a free port, with no rate limit.
 */
void
bench_server_start (BenchServer *server,
                    const char  *dir)
{
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  server->dir = g_strdup (dir);
  server->data_dir = g_build_filename (dir, "data", NULL);
  make_certificates (server);
  g_free (bench_run (bench_server_binary (), "--data-dir", server->data_dir, "init", NULL));

  server->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                     bench_server_binary (), "--data-dir", server->data_dir, "serve",
                                     "--port", "0", "--rate-limit", "0",
                                     "--tls-cert", server->cert, "--tls-key", server->key, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->server));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert (line != NULL && g_str_has_prefix (line, "Listening on "));
  server->base = g_strdup (line + strlen ("Listening on "));
}

/**
 * bench_large_store:
 * @prefix: the name of the temporary folder made for it
 * @options: (nullable): the demo to make, or %NULL for the standard large
 *   tenant as of now
 * @dir_out: (out): the folder made, to remove after, or %NULL when
 *   ROTA_BENCH_LARGE_STORE named a store made before
 *
 * The standard large tenant's store (2,000 employees, 52 weeks): the one
 * ROTA_BENCH_LARGE_STORE names, or a new one (about 30 s).
 *
 * Returns: (transfer full): its path
 */
char *
bench_large_store (const char             *prefix,
                   const RotaDemoOptions  *options,
                   char                  **dir_out)
{
  const char *given = g_getenv ("ROTA_BENCH_LARGE_STORE");
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autofree char *template = NULL;
  RotaDemoOptions large;
  gint64 start = g_get_monotonic_time ();
  char *path;

  if (given != NULL)
    {
      *dir_out = NULL;
      return g_strdup (given);
    }

  if (options == NULL)
    {
      rota_demo_options_init_large (&large, rota_time_now ());
      options = &large;
    }

  template = g_strdup_printf ("%s-XXXXXX", prefix);
  *dir_out = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir_out, "large.sqlite", NULL);

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (rota_demo_fill_store (store, options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_printerr ("Large store made in %.1f s\n", bench_seconds_since (start));

  return path;
}
