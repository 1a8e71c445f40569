/* rota-punches-page.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-punch-list.h"
#include "rota-store.h"

G_BEGIN_DECLS

#define ROTA_TYPE_PUNCHES_PAGE (rota_punches_page_get_type ())

G_DECLARE_FINAL_TYPE (RotaPunchesPage, rota_punches_page, ROTA, PUNCHES_PAGE, GtkWidget)

void           rota_punches_page_set_store     (RotaPunchesPage *self,
                                                RotaStore       *store,
                                                const char      *author,
                                                const char      *day);
void           rota_punches_page_set_read_only (RotaPunchesPage *self,
                                                gboolean         read_only);
void           rota_punches_page_set_has_server (RotaPunchesPage *self,
                                                 gboolean         has_server);
const char    *rota_punches_page_get_title     (RotaPunchesPage *self);
void           rota_punches_page_step          (RotaPunchesPage *self,
                                                int              direction);
void           rota_punches_page_set_period    (RotaPunchesPage *self,
                                                const char      *kind);
void           rota_punches_page_reload        (RotaPunchesPage *self);
void           rota_punches_page_show          (RotaPunchesPage *self);
gboolean       rota_punches_page_get_loading   (RotaPunchesPage *self);
RotaPunchList *rota_punches_page_get_list      (RotaPunchesPage *self);
void           rota_punches_page_apply_filter  (RotaPunchesPage *self);
GtkWidget     *rota_punches_page_get_view      (RotaPunchesPage *self);
void           rota_punches_page_sort_by       (RotaPunchesPage *self,
                                                RotaPunchSort    sort,
                                                gboolean         descending);

G_END_DECLS
