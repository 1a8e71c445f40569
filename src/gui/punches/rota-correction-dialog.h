/* rota-correction-dialog.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-models.h"
#include "rota-store.h"

G_BEGIN_DECLS

#define ROTA_TYPE_CORRECTION_DIALOG (rota_correction_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RotaCorrectionDialog, rota_correction_dialog, ROTA, CORRECTION_DIALOG, AdwWindow)

GtkWidget *rota_correction_dialog_new          (GtkWindow            *parent,
                                                RotaStore            *store,
                                                const char           *author,
                                                RotaEmployee         *employee,
                                                const char           *work_date,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void       rota_correction_dialog_set_action   (RotaCorrectionDialog *self,
                                                RotaCorrectionAction  action);
gboolean   rota_correction_dialog_save         (RotaCorrectionDialog *self,
                                                GError              **error);

G_END_DECLS
