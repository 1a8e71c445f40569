/* rota-availability.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-entity.h"
#include "rota-enums.h"

G_BEGIN_DECLS

#define ROTA_TYPE_AVAILABILITY (rota_availability_get_type ())

G_DECLARE_FINAL_TYPE (RotaAvailability, rota_availability, ROTA, AVAILABILITY, RotaEntity)

RotaAvailability    *rota_availability_new             (void) G_GNUC_WARN_UNUSED_RESULT;
const char          *rota_availability_get_employee_id (RotaAvailability *self);
gint64               rota_availability_get_weekday     (RotaAvailability *self);
const char          *rota_availability_get_date        (RotaAvailability *self);
const char          *rota_availability_get_from_time   (RotaAvailability *self);
const char          *rota_availability_get_to_time     (RotaAvailability *self);
RotaAvailabilityKind rota_availability_get_kind        (RotaAvailability *self);

G_END_DECLS
