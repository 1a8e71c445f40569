/* sync-testlib.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "server-harness.h"

G_BEGIN_DECLS

char       *sync_testlib_make_token   (HarnessServer *fixture,
                                       const char    *name) G_GNUC_WARN_UNUSED_RESULT;
GHashTable *sync_testlib_server_state (HarnessServer *fixture,
                                       const char    *token) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
