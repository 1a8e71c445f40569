/* rota-sync-indicator.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-store.h"
#include "rota-sync.h"

G_BEGIN_DECLS

#define ROTA_TYPE_SYNC_INDICATOR (rota_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (RotaSyncIndicator, rota_sync_indicator, ROTA, SYNC_INDICATOR, GtkWidget)

GtkWidget  *rota_sync_indicator_new       (void) G_GNUC_WARN_UNUSED_RESULT;
void        rota_sync_indicator_set_sync  (RotaSyncIndicator *self,
                                           RotaSync          *sync,
                                           RotaStore         *store);
RotaSync   *rota_sync_indicator_get_sync  (RotaSyncIndicator *self);
RotaStore  *rota_sync_indicator_get_store (RotaSyncIndicator *self);
void        rota_sync_indicator_reload    (RotaSyncIndicator *self);
void        rota_sync_indicator_resolve_item (RotaSyncIndicator    *self,
                                              const RotaOutboxItem *item);

G_END_DECLS
