/* rota-connect-dialog.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROTA_TYPE_CONNECT_DIALOG (rota_connect_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RotaConnectDialog, rota_connect_dialog, ROTA, CONNECT_DIALOG, AdwWindow)

GtkWidget *rota_connect_dialog_new         (GtkWindow         *parent) G_GNUC_WARN_UNUSED_RESULT;
void       rota_connect_dialog_set_ca_file (RotaConnectDialog *self,
                                            const char        *path);

G_END_DECLS
