/* rota-audit.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-audit"

#include "config.h"

#include <string.h>

#include "rota-audit.h"
#include "rota-model-private.h"

/*
 * hash = SHA-256 (prev_hash || canonical row), in lowercase hex.
 *
 * The canonical row is every field in a fixed order, each written as its
 * length in bytes, a colon, the bytes and a semicolon; a missing value is
 * written as "-;". Length prefixes make the encoding unambiguous whatever
 * the fields contain, and it depends on no JSON library's formatting, so
 * client and server (and any later version of either) agree on it.
 */

static void
add_text (GChecksum  *checksum,
          const char *text)
{
  char prefix[32];

  if (text == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "-;", 2);
      return;
    }

  g_snprintf (prefix, sizeof prefix, "%" G_GSIZE_FORMAT ":", strlen (text));
  g_checksum_update (checksum, (const guchar *) prefix, -1);
  g_checksum_update (checksum, (const guchar *) text, -1);
  g_checksum_update (checksum, (const guchar *) ";", 1);
}

static void
add_int (GChecksum *checksum,
         gint64     value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  add_text (checksum, text);
}

/**
 * rota_audit_compute_hash:
 *
 * Returns: (transfer full): the hash of an audit row, in lowercase hex
 */
char *
rota_audit_compute_hash (const char *prev_hash,
                         gint64      seq,
                         gint64      at,
                         const char *actor,
                         const char *entity,
                         const char *entity_id,
                         const char *action,
                         const char *before_json,
                         const char *after_json,
                         const char *reason)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_return_val_if_fail (prev_hash != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) prev_hash, -1);
  add_int (checksum, seq);
  add_int (checksum, at);
  add_text (checksum, actor);
  add_text (checksum, entity);
  add_text (checksum, entity_id);
  add_text (checksum, action);
  add_text (checksum, before_json);
  add_text (checksum, after_json);
  add_text (checksum, reason);

  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * rota_audit_entry_compute_hash:
 * @entry: an audit entry with its prev_hash set
 *
 * Returns: (transfer full): what @entry's hash must be
 */
char *
rota_audit_entry_compute_hash (RotaAuditEntry *entry)
{
  g_return_val_if_fail (ROTA_IS_AUDIT_ENTRY (entry), NULL);

  return rota_audit_compute_hash (entry->prev_hash != NULL ? entry->prev_hash : "",
                                  entry->seq, entry->at, entry->actor, entry->entity,
                                  entry->entity_id, entry->action, entry->before_json,
                                  entry->after_json, entry->reason);
}
