/* rota-audit-entry.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-audit-entry"

#include "config.h"

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaAuditEntry:
 *
 * One link of the append-only, hash-chained audit trail.
 */

G_DEFINE_FINAL_TYPE (RotaAuditEntry, rota_audit_entry, ROTA_TYPE_ENTITY)

static const RotaField audit_entry_fields[] = {
  { "seq", "seq", ROTA_FIELD_INT, ROTA_FIELD_REQUIRED | ROTA_FIELD_KEY, G_STRUCT_OFFSET (RotaAuditEntry, seq), 1, G_MAXINT64, NULL },
  { "at", "at", ROTA_FIELD_INSTANT, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAuditEntry, at), 0, 0, NULL },
  { "actor", "actor", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAuditEntry, actor), 1, 200, NULL },
  { "entity", "entity", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAuditEntry, entity), 1, 64, NULL },
  { "entity_id", "entityId", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAuditEntry, entity_id), 1, 64, NULL },
  { "action", "action", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAuditEntry, action), 1, 64, NULL },
  { "before_json", "before", ROTA_FIELD_STRING, 0, G_STRUCT_OFFSET (RotaAuditEntry, before_json), 0, 1048576, NULL },
  { "after_json", "after", ROTA_FIELD_STRING, 0, G_STRUCT_OFFSET (RotaAuditEntry, after_json), 0, 1048576, NULL },
  { "reason", "reason", ROTA_FIELD_STRING, 0, G_STRUCT_OFFSET (RotaAuditEntry, reason), 0, 2000, NULL },
  { "prev_hash", "prevHash", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAuditEntry, prev_hash), 64, 64, NULL },
  { "hash", "hash", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaAuditEntry, hash), 64, 64, NULL },
};

static void
rota_audit_entry_class_init (RotaAuditEntryClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "audit", audit_entry_fields, G_N_ELEMENTS (audit_entry_fields));
}

static void
rota_audit_entry_init (RotaAuditEntry *self)
{
}

/**
 * rota_audit_entry_new:
 *
 * Returns: (transfer full): a new, empty #RotaAuditEntry
 */
RotaAuditEntry *
rota_audit_entry_new (void)
{
  return g_object_new (ROTA_TYPE_AUDIT_ENTRY, NULL);
}

gint64
rota_audit_entry_get_seq (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), 0);

  return self->seq;
}

gint64
rota_audit_entry_get_at (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), 0);

  return self->at;
}

const char *
rota_audit_entry_get_actor (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->actor;
}

const char *
rota_audit_entry_get_entity (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->entity;
}

const char *
rota_audit_entry_get_entity_id (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->entity_id;
}

const char *
rota_audit_entry_get_action (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->action;
}

const char *
rota_audit_entry_get_before_json (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->before_json;
}

const char *
rota_audit_entry_get_after_json (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->after_json;
}

const char *
rota_audit_entry_get_reason (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->reason;
}

const char *
rota_audit_entry_get_prev_hash (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->prev_hash;
}

const char *
rota_audit_entry_get_hash (RotaAuditEntry *self)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (self), NULL);

  return self->hash;
}
