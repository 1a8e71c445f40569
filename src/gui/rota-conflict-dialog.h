/* rota-conflict-dialog.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-store.h"

G_BEGIN_DECLS

/* The dialog's response ids. */
#define ROTA_CONFLICT_RESPONSE_CANCEL      "cancel"
#define ROTA_CONFLICT_RESPONSE_KEEP_MINE   "keep-mine"
#define ROTA_CONFLICT_RESPONSE_TAKE_THEIRS "take-theirs"
#define ROTA_CONFLICT_RESPONSE_DISCARD     "discard"

#define ROTA_TYPE_CONFLICT_DIALOG (rota_conflict_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RotaConflictDialog, rota_conflict_dialog, ROTA, CONFLICT_DIALOG, AdwMessageDialog)

GtkWidget            *rota_conflict_dialog_new      (GtkWindow            *parent,
                                                     const RotaOutboxItem *item,
                                                     GHashTable           *names) G_GNUC_WARN_UNUSED_RESULT;
const RotaOutboxItem *rota_conflict_dialog_get_item (RotaConflictDialog   *self);

char                 *rota_outbox_item_describe     (const RotaOutboxItem *item,
                                                     GHashTable           *names) G_GNUC_WARN_UNUSED_RESULT;
char                 *rota_format_local_time        (gint64                instant,
                                                     gboolean              with_date) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
