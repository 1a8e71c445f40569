/* rota-audit.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "rota-audit-entry.h"

G_BEGIN_DECLS

/* The prev_hash of the first link of a chain. */
#define ROTA_AUDIT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

char *rota_audit_compute_hash       (const char     *prev_hash,
                                     gint64          seq,
                                     gint64          at,
                                     const char     *actor,
                                     const char     *entity,
                                     const char     *entity_id,
                                     const char     *action,
                                     const char     *before_json,
                                     const char     *after_json,
                                     const char     *reason) G_GNUC_WARN_UNUSED_RESULT;
char *rota_audit_entry_compute_hash (RotaAuditEntry *entry) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
