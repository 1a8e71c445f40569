/* rota-mirror.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-client.h"
#include "rota-store.h"

G_BEGIN_DECLS

#define ROTA_MIRROR_ERROR (rota_mirror_error_quark ())

/**
 * RotaMirrorError:
 * @ROTA_MIRROR_ERROR_INVALID_WINDOW: the window is not a range of days
 *   from 2000 to 2099
 * @ROTA_MIRROR_ERROR_BAD_RECORD: the server listed a record Rota cannot read
 * @ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE: a record refers to an employee,
 *   department or office that neither the server's lists nor the store have
 *
 * How a pull can fail besides the errors of #RotaClient and #RotaStore.
 */
typedef enum
{
  ROTA_MIRROR_ERROR_INVALID_WINDOW,
  ROTA_MIRROR_ERROR_BAD_RECORD,
  ROTA_MIRROR_ERROR_UNKNOWN_REFERENCE,
} RotaMirrorError;

/* The longest window one request asks for, in days: a plain Dyflexis
 * server refuses longer ones, so longer windows are read in parts. */
#define ROTA_MIRROR_MAX_REQUEST_DAYS 366

/**
 * RotaMirrorProgress:
 * @what: the step just done: "tree", "employees", "scheduled",
 *   "sick-leave", "registered-hours" (once per part of the window) or
 *   "store"; not translated
 * @done: the steps done so far
 * @total: the steps of the whole pull
 * @user_data: the data given to rota_mirror_pull()
 *
 * Called on the thread that runs rota_mirror_pull() after each step.
 */
typedef void (*RotaMirrorProgress) (const char *what,
                                    guint       done,
                                    guint       total,
                                    gpointer    user_data);

GQuark   rota_mirror_error_quark (void);
gboolean rota_mirror_pull        (RotaStore           *store,
                                  RotaClient          *client,
                                  const char          *start_date,
                                  const char          *end_date,
                                  RotaMirrorProgress   progress,
                                  gpointer             user_data,
                                  GCancellable        *cancellable,
                                  GError             **error);

G_END_DECLS
