/* rota-punch.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_PUNCH (rota_punch_get_type ())

G_DECLARE_FINAL_TYPE (RotaPunch, rota_punch, ROTA, PUNCH, RotaEntity)

RotaPunch    *rota_punch_new                     (void) G_GNUC_WARN_UNUSED_RESULT;
const char   *rota_punch_get_employee_id         (RotaPunch *self);
RotaPunchKind rota_punch_get_kind                (RotaPunch *self);
gint64        rota_punch_get_at                  (RotaPunch *self);
const char   *rota_punch_get_source              (RotaPunch *self);
gint64        rota_punch_get_device_seq          (RotaPunch *self);
gint64        rota_punch_get_device_monotonic_ms (RotaPunch *self);
const char   *rota_punch_get_device_boot_id      (RotaPunch *self);
gboolean      rota_punch_get_time_untrusted      (RotaPunch *self);
gint64        rota_punch_get_received_at         (RotaPunch *self);

G_END_DECLS
