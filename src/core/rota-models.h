/* rota-models.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rota-office.h"
#include "rota-department.h"
#include "rota-employee.h"
#include "rota-shift.h"
#include "rota-punch.h"
#include "rota-punch-correction.h"
#include "rota-approval.h"
#include "rota-absence.h"
#include "rota-availability.h"
#include "rota-audit-entry.h"
