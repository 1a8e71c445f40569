/* rota-store-mirror.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rota-store.h"

G_BEGIN_DECLS

/* The sync cursors a mirror writes (see rota_store_apply_mirror()). */
#define ROTA_MIRROR_CURSOR_AT    "dyflexis-mirrored-at"
#define ROTA_MIRROR_CURSOR_START "dyflexis-mirror-start"
#define ROTA_MIRROR_CURSOR_END   "dyflexis-mirror-end"

/**
 * RotaRegisteredHours:
 * @id: the record's id on the server
 * @employee_id: whose hours they are
 * @work_date: the day they count for, "YYYY-MM-DD", in their office's time zone
 * @start: when they start, seconds since the epoch (UTC)
 * @end: when they end
 * @break_minutes: the break within them, in minutes
 * @status: (nullable): the server's status, such as "approved"
 * @payload: the record's JSON as the server sent it
 *
 * One entry of registered (worked) hours as a plain Dyflexis server lists
 * them. They are read-only: there is no local edit of them.
 */
typedef struct
{
  char   *id;
  char   *employee_id;
  char   *work_date;
  gint64  start;
  gint64  end;
  gint64  break_minutes;
  char   *status;
  char   *payload;
} RotaRegisteredHours;

#define ROTA_TYPE_REGISTERED_HOURS (rota_registered_hours_get_type ())

GType                rota_registered_hours_get_type (void) G_GNUC_CONST;
RotaRegisteredHours *rota_registered_hours_copy     (const RotaRegisteredHours *hours);
void                 rota_registered_hours_free     (RotaRegisteredHours       *hours);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaRegisteredHours, rota_registered_hours_free)

/**
 * RotaMirrorData:
 * @start_date: the window's first day, "YYYY-MM-DD"
 * @end_date: its last day, inclusive
 * @mirrored_at: when the data was read, seconds since the epoch
 * @offices: (element-type RotaOffice) (nullable): the offices, or %NULL
 *   when they were not read
 * @departments: (element-type RotaDepartment) (nullable): the departments
 * @employees: (element-type RotaEmployee) (nullable): the employees
 * @shifts: (element-type RotaShift) (nullable): the shifts starting in
 *   the window, or %NULL when they were not read
 * @sick_leave: (element-type RotaAbsence) (nullable): the sick leave
 *   overlapping the window
 * @registered_hours: (element-type RotaRegisteredHours) (nullable): the
 *   registered hours of the window's days
 *
 * What one pull of a window read from a plain Dyflexis server, for
 * rota_store_apply_mirror(). A list that is %NULL was not read (the
 * token may not read it): nothing of its kind is changed.
 */
typedef struct
{
  const char *start_date;
  const char *end_date;
  gint64      mirrored_at;
  GPtrArray  *offices;
  GPtrArray  *departments;
  GPtrArray  *employees;
  GPtrArray  *shifts;
  GPtrArray  *sick_leave;
  GPtrArray  *registered_hours;
} RotaMirrorData;

gboolean   rota_store_apply_mirror          (RotaStore             *self,
                                             const RotaMirrorData  *data,
                                             GError               **error);
GPtrArray *rota_store_list_registered_hours (RotaStore             *self,
                                             const char            *from_date,
                                             const char            *to_date,
                                             GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
