/* rota-server-hours.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-server-private.h"

G_BEGIN_DECLS

void _rota_server_handle_clock_in          (RotaServerRequest *request);
void _rota_server_handle_clock_out         (RotaServerRequest *request);
void _rota_server_handle_punch_correction  (RotaServerRequest *request);
void _rota_server_handle_approval          (RotaServerRequest *request);

G_END_DECLS
