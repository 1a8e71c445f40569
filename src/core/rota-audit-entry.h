/* rota-audit-entry.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_AUDIT_ENTRY (rota_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (RotaAuditEntry, rota_audit_entry, ROTA, AUDIT_ENTRY, RotaEntity)

RotaAuditEntry  *rota_audit_entry_new             (void) G_GNUC_WARN_UNUSED_RESULT;
gint64           rota_audit_entry_get_seq         (RotaAuditEntry *self);
gint64           rota_audit_entry_get_at          (RotaAuditEntry *self);
const char      *rota_audit_entry_get_actor       (RotaAuditEntry *self);
const char      *rota_audit_entry_get_entity      (RotaAuditEntry *self);
const char      *rota_audit_entry_get_entity_id   (RotaAuditEntry *self);
const char      *rota_audit_entry_get_action      (RotaAuditEntry *self);
const char      *rota_audit_entry_get_before_json (RotaAuditEntry *self);
const char      *rota_audit_entry_get_after_json  (RotaAuditEntry *self);
const char      *rota_audit_entry_get_reason      (RotaAuditEntry *self);
const char      *rota_audit_entry_get_prev_hash   (RotaAuditEntry *self);
const char      *rota_audit_entry_get_hash        (RotaAuditEntry *self);

G_END_DECLS
