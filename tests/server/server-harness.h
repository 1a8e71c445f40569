/* server-harness.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

const char  *harness_server_binary     (void);
char        *harness_run               (int                expected_status,
                                        char             **err,
                                        const char        *first,
                                        ...) G_GNUC_NULL_TERMINATED;
void         harness_make_certificates (const char        *dir,
                                        char             **ca,
                                        char             **cert,
                                        char             **key);
GSubprocess *harness_start_server      (const char        *data_dir,
                                        GSubprocessFlags   stderr_flag,
                                        char             **base,
                                        const char        *first,
                                        ...) G_GNUC_NULL_TERMINATED;
GSubprocess *harness_serve_tls         (const char        *data_dir,
                                        const char        *cert,
                                        const char        *key,
                                        char             **base);
void         harness_stop_server       (GSubprocess      **server);
GHashTable  *harness_demo_tokens       (const char        *data_dir,
                                        const char        *slug,
                                        const char        *employees,
                                        const char        *weeks);
void         harness_remove_tree       (const char        *dir);

/* A GTest fixture: rota-server over TLS with a CA of its own, serving a
 * small demo tenant "alpha". */
typedef struct
{
  char        *dir;
  char        *data_dir;
  char        *ca;        /* the only CA that signs the server's certificate */
  char        *cert;
  char        *key;
  GHashTable  *tokens;    /* scope → token of "alpha" */
  GSubprocess *server;
  char        *base;      /* https://127.0.0.1:PORT/ */
} HarnessServer;

void         harness_server_set_up     (HarnessServer     *fixture,
                                        gconstpointer      data);
void         harness_server_tear_down  (HarnessServer     *fixture,
                                        gconstpointer      data);

G_END_DECLS
