/* rota-server-planning.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-server-private.h"

G_BEGIN_DECLS

void _rota_server_handle_put_shift           (RotaServerRequest *request);
void _rota_server_handle_delete_shift        (RotaServerRequest *request);
void _rota_server_handle_put_absence         (RotaServerRequest *request);
void _rota_server_handle_delete_absence      (RotaServerRequest *request);
void _rota_server_handle_put_availability    (RotaServerRequest *request);
void _rota_server_handle_delete_availability (RotaServerRequest *request);

void _rota_server_handle_publish              (RotaServerRequest *request);

G_END_DECLS
