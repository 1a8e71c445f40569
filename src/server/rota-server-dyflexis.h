/* rota-server-dyflexis.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-server-private.h"

G_BEGIN_DECLS

/*
 * The Dyflexis v3 reads (data/openapi.yaml, tag Dyflexis): the same paths,
 * query parameters, envelopes and paging as the public Dyflexis API.
 */

void _rota_server_handle_scheduled  (RotaServerRequest *request);
void _rota_server_handle_employees  (RotaServerRequest *request);
void _rota_server_handle_tree       (RotaServerRequest *request);
void _rota_server_handle_sick_leave (RotaServerRequest *request);

void _rota_server_handle_punches (RotaServerRequest *request);
void _rota_server_handle_registered_hours (RotaServerRequest *request);

G_END_DECLS
