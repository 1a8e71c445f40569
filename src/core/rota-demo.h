/* rota-demo.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-entity.h"
#include "rota-store.h"

G_BEGIN_DECLS

/**
 * RotaDemoOptions:
 * @seed: the seed; the same options always give the same data
 * @n_employees: how many employees (at least 1)
 * @n_offices: how many offices, alternating Germany and the Netherlands (at least 1)
 * @n_departments: how many departments in all, spread over the offices (at least @n_offices)
 * @n_weeks: how many weeks of shifts (at least 1)
 * @first_week: the Monday of the first week, "YYYY-MM-DD"
 * @now: the instant the data is made for: shifts before it have punches,
 *   later ones are only planned
 *
 * What rota_demo_generate() makes. rota_demo_options_init() fills in the
 * small default; rota_demo_options_init_large() the standard large tenant
 * of DESIGN §7.
 */
typedef struct
{
  guint64  seed;
  guint    n_employees;
  guint    n_offices;
  guint    n_departments;
  guint    n_weeks;
  char     first_week[11];
  gint64   now;
} RotaDemoOptions;

/**
 * RotaDemoSink:
 * @entity: (transfer none): an entity; the generator may reuse the object
 *   after the sink returns, so a sink that keeps it must copy it
 * @user_data: the data given to rota_demo_generate()
 * @error: a location for a #GError
 *
 * Receives the generated entities in an order that satisfies references:
 * offices, departments, employees, then per week shifts, punches,
 * absences and availability.
 *
 * Returns: %FALSE with @error set to stop generating
 */
typedef gboolean (*RotaDemoSink) (RotaEntity  *entity,
                                  gpointer     user_data,
                                  GError     **error);

void     rota_demo_options_init       (RotaDemoOptions        *options,
                                       gint64                  now);
void     rota_demo_options_init_large (RotaDemoOptions        *options,
                                       gint64                  now);
gboolean rota_demo_generate           (const RotaDemoOptions  *options,
                                       RotaDemoSink            sink,
                                       gpointer                user_data,
                                       GCancellable           *cancellable,
                                       GError                **error);

/**
 * RotaDemoProgress:
 * @fraction: how much is done, from 0 to 1
 * @user_data: the data given to rota_demo_fill_store()
 *
 * Reports progress of a long fill.
 */
typedef void (*RotaDemoProgress) (double    fraction,
                                  gpointer  user_data);

gboolean rota_demo_fill_store         (RotaStore              *store,
                                       const RotaDemoOptions  *options,
                                       RotaDemoProgress        progress,
                                       gpointer                user_data,
                                       GCancellable           *cancellable,
                                       GError                **error);

G_END_DECLS
