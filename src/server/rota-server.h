/* rota-server.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "rota-server-registry.h"

G_BEGIN_DECLS

/* GnuTLS on Debian 12 still speaks TLS 1.0 and 1.1 unless told not to;
 * this must be in the environment before GIO loads its TLS backend. */
#define ROTA_SERVER_TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

/* Requests a second per token, on average. */
#define ROTA_SERVER_DEFAULT_RATE 50.0

#define ROTA_TYPE_SERVER (rota_server_get_type ())

G_DECLARE_FINAL_TYPE (RotaServer, rota_server, ROTA, SERVER, GObject)

RotaServer *rota_server_new            (RotaServerRegistry  *registry,
                                        GTlsCertificate     *certificate) G_GNUC_WARN_UNUSED_RESULT;
gboolean    rota_server_listen         (RotaServer          *self,
                                        const char          *address,
                                        guint                port,
                                        GError             **error);
void        rota_server_set_rate_limit (RotaServer          *self,
                                        double               per_second);
char       *rota_server_get_uri        (RotaServer          *self) G_GNUC_WARN_UNUSED_RESULT;
guint       rota_server_get_n_active   (RotaServer          *self);
void        rota_server_stop_listening (RotaServer          *self);
GStrv       rota_server_list_routes    (gboolean             with_scopes) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
