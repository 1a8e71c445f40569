/* bench-common.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-demo.h"

G_BEGIN_DECLS

/* A rota-server on loopback TLS with a CA made for this run. */
typedef struct
{
  char        *dir;
  char        *data_dir;
  char        *ca;
  char        *cert;
  char        *key;
  GSubprocess *server;
  char        *base;     /* https://127.0.0.1:PORT/ */
} BenchServer;

void        bench_emit               (const char  *name,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (2, 3);
char       *bench_run                (const char  *first,
                                      ...) G_GNUC_NULL_TERMINATED;
const char *bench_server_binary      (void);
int         bench_compare_doubles    (gconstpointer a,
                                      gconstpointer b);
double      bench_median             (double      *values,
                                      guint        n);
double      bench_seconds_since      (gint64       start);
void        bench_server_start       (BenchServer *server,
                                      const char  *dir);
char       *bench_large_store        (const char             *prefix,
                                      const RotaDemoOptions  *options,
                                      char                  **dir_out) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
