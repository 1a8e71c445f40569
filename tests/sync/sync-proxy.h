/* sync-proxy.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SyncProxy SyncProxy;

SyncProxy  *sync_proxy_start            (const char *upstream,
                                         const char *ca_file);
void        sync_proxy_stop             (SyncProxy  *proxy);
const char *sync_proxy_get_base         (SyncProxy  *proxy);
void        sync_proxy_set_drop_writes  (SyncProxy  *proxy,
                                         gboolean    drop);
void        sync_proxy_set_storm        (SyncProxy  *proxy,
                                         guint       failures);
guint       sync_proxy_count_tries      (SyncProxy  *proxy,
                                         const char *method,
                                         const char *path_prefix);
guint       sync_proxy_count_dropped    (SyncProxy  *proxy);
gint64      sync_proxy_min_retry_gap    (SyncProxy  *proxy,
                                         guint      *requests_retried);

G_END_DECLS
