/* rota-store-mirror.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rota-store-mirror.h"
#include "rota-store-private.h"
#include "rota-time.h"

/*
 * The store's side of the read-only mirror of a plain Dyflexis server
 * (rota-mirror.c reads and checks; this writes). One pull of a date window
 * is applied in one transaction: the entities are upserted, and what the
 * server no longer lists in the window is deleted. Only server state is
 * written: pending local edits (the *_pending tables) and the outbox are
 * never read or changed here, so a local edit stays laid over whatever
 * the mirror did below it.
 */

/* The largest UTC offsets there are: a local day starts at most this much
 * before or after midnight UTC. */
#define MAX_EAST_OFFSET (14 * 3600)
#define MAX_WEST_OFFSET (12 * 3600)

G_DEFINE_BOXED_TYPE (RotaRegisteredHours, rota_registered_hours,
                     rota_registered_hours_copy, rota_registered_hours_free)

/**
 * rota_registered_hours_copy:
 * @hours: registered hours
 *
 * Returns: (transfer full): a deep copy of @hours
 */
RotaRegisteredHours *
rota_registered_hours_copy (const RotaRegisteredHours *hours)
{
  RotaRegisteredHours *copy;

  g_return_val_if_fail (hours != NULL, NULL);

  copy = g_new0 (RotaRegisteredHours, 1);
  copy->id = g_strdup (hours->id);
  copy->employee_id = g_strdup (hours->employee_id);
  copy->work_date = g_strdup (hours->work_date);
  copy->start = hours->start;
  copy->end = hours->end;
  copy->break_minutes = hours->break_minutes;
  copy->status = g_strdup (hours->status);
  copy->payload = g_strdup (hours->payload);

  return copy;
}

/**
 * rota_registered_hours_free:
 * @hours: (nullable): registered hours
 *
 * Frees @hours and its strings.
 */
void
rota_registered_hours_free (RotaRegisteredHours *hours)
{
  if (hours == NULL)
    return;

  g_free (hours->id);
  g_free (hours->employee_id);
  g_free (hours->work_date);
  g_free (hours->status);
  g_free (hours->payload);
  g_free (hours);
}

/* SQL helpers; the store's lock is held by the caller. */

static sqlite3_stmt *
prepare_sql (sqlite3     *db,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _rota_store_set_error (error, db, rc, "Preparing a query");
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

static gboolean
step_and_reset (sqlite3       *db,
                sqlite3_stmt  *stmt,
                const char    *what,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _rota_store_set_error (error, db, rc, what);
      return FALSE;
    }

  return TRUE;
}

/* Deletes the rows of @table whose ids are in @ids. */
static gboolean
delete_ids (sqlite3     *db,
            const char  *table,
            GPtrArray   *ids,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?", table);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  if (ids->len == 0)
    return TRUE;

  stmt = prepare_sql (db, sql, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; ok && i < ids->len; i++)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (ids, i), -1, SQLITE_TRANSIENT);
      ok = step_and_reset (db, stmt, "Deleting what the server no longer lists", error);
    }
  sqlite3_finalize (stmt);

  return ok;
}

/* A set of the ids of @entities. */
static GHashTable *
id_set (GPtrArray *entities)
{
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < entities->len; i++)
    g_hash_table_add (ids, (gpointer) rota_entity_get_id (g_ptr_array_index (entities, i)));

  return ids;
}

static gboolean
put_all (RotaStore  *self,
         GPtrArray  *entities,
         GError    **error)
{
  for (guint i = 0; entities != NULL && i < entities->len; i++)
    if (!rota_store_put_entity (self, g_ptr_array_index (entities, i), error))
      return FALSE;

  return TRUE;
}

/*
 * Deletes the server-state shifts that start on one of the window's days
 * and are not in @shifts. A shift's day is the local date of its start in
 * its office's time zone, as the Dyflexis `scheduled` list matches it (see
 * rota-server-dyflexis.c): a night shift belongs to the day it starts.
 */
static gboolean
delete_missing_shifts (sqlite3     *db,
                       const char  *start_date,
                       const char  *end_date,
                       GPtrArray   *shifts,
                       GError     **error)
{
  g_autoptr(GHashTable) keep = id_set (shifts);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *after_end = rota_date_add_days (end_date, 1);
  GTimeZone *utc = rota_time_zone_get ("UTC");
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_sql (db,
                      "SELECT s.id, s.start, o.time_zone FROM shift AS s "
                      "LEFT JOIN department AS d ON d.id = s.department_id "
                      "LEFT JOIN office AS o ON o.id = d.office_id "
                      "WHERE s.start >= ? AND s.start < ?",
                      error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, rota_time_day_start (utc, start_date) - MAX_EAST_OFFSET);
  sqlite3_bind_int64 (stmt, 2, rota_time_day_start (utc, after_end) + MAX_WEST_OFFSET);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      gint64 start = sqlite3_column_int64 (stmt, 1);
      const char *zone = (const char *) sqlite3_column_text (stmt, 2);
      GTimeZone *tz = zone != NULL ? rota_time_zone_get (zone) : NULL;
      g_autofree char *day = NULL;

      if (g_hash_table_contains (keep, id))
        continue;

      day = rota_time_work_date (start, tz != NULL ? tz : rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE));
      if (strcmp (day, start_date) >= 0 && strcmp (day, end_date) <= 0)
        g_ptr_array_add (gone, g_strdup (id));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _rota_store_set_error (error, db, rc, "Reading the shifts of the window");
      return FALSE;
    }

  g_debug ("Mirror: %u shifts from %s to %s are gone from the server", gone->len, start_date, end_date);

  return delete_ids (db, "shift", gone, error);
}

/* Deletes the sick leave overlapping the window (an open end overlaps
 * every later day) that is not in @absences. Other kinds of absence are
 * not the server's sick-leave list and stay. */
static gboolean
delete_missing_sick_leave (sqlite3     *db,
                           const char  *start_date,
                           const char  *end_date,
                           GPtrArray   *absences,
                           GError     **error)
{
  g_autoptr(GHashTable) keep = id_set (absences);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_sql (db,
                      "SELECT id FROM absence WHERE kind = 'sick' AND start_date <= ?2 "
                      "AND (end_date IS NULL OR end_date >= ?1)",
                      error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, start_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, end_date, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (keep, id))
        g_ptr_array_add (gone, g_strdup (id));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _rota_store_set_error (error, db, rc, "Reading the sick leave of the window");
      return FALSE;
    }

  g_debug ("Mirror: %u sick leaves from %s to %s are gone from the server", gone->len, start_date, end_date);

  return delete_ids (db, "absence", gone, error);
}

static gboolean
registered_hours_are_valid (const RotaRegisteredHours  *hours,
                            GError                    **error)
{
  if (hours->id == NULL || *hours->id == '\0' || strlen (hours->id) > 64 ||
      hours->employee_id == NULL || *hours->employee_id == '\0' ||
      hours->work_date == NULL || !rota_date_is_valid (hours->work_date) ||
      !rota_instant_is_valid (hours->start) || !rota_instant_is_valid (hours->end) ||
      hours->end < hours->start || hours->break_minutes < 0 ||
      hours->payload == NULL)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("The registered hours %s are incomplete or out of range"),
                   hours->id != NULL ? hours->id : "?");
      return FALSE;
    }

  return TRUE;
}

/* Replaces the registered hours of the window's days with @hours. An
 * entry listed again under another day is moved there (its id is kept). */
static gboolean
replace_registered_hours (sqlite3     *db,
                          const char  *start_date,
                          const char  *end_date,
                          GPtrArray   *hours,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  stmt = prepare_sql (db, "DELETE FROM registered_hours WHERE work_date >= ? AND work_date <= ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, start_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, end_date, -1, SQLITE_TRANSIENT);
  ok = step_and_reset (db, stmt, "Clearing the registered hours of the window", error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;

  stmt = prepare_sql (db,
                      "INSERT INTO registered_hours "
                      "(id, employee_id, work_date, start, \"end\", break_minutes, status, payload) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (id) DO UPDATE SET employee_id = excluded.employee_id, "
                      "work_date = excluded.work_date, start = excluded.start, \"end\" = excluded.\"end\", "
                      "break_minutes = excluded.break_minutes, status = excluded.status, "
                      "payload = excluded.payload",
                      error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; ok && i < hours->len; i++)
    {
      const RotaRegisteredHours *entry = g_ptr_array_index (hours, i);

      sqlite3_bind_text (stmt, 1, entry->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, entry->employee_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, entry->work_date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, entry->start);
      sqlite3_bind_int64 (stmt, 5, entry->end);
      sqlite3_bind_int64 (stmt, 6, entry->break_minutes);
      if (entry->status != NULL)
        sqlite3_bind_text (stmt, 7, entry->status, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 7);
      sqlite3_bind_text (stmt, 8, entry->payload, -1, SQLITE_TRANSIENT);
      ok = step_and_reset (db, stmt, "Storing registered hours", error);
    }
  sqlite3_finalize (stmt);

  return ok;
}

/* "YYYY-MM-DD" as the integer YYYYMMDD, for a sync cursor. */
static gint64
date_as_integer (const char *date)
{
  int year = 0, month = 0, day = 0;

  if (!rota_date_parse (date, &year, &month, &day))
    return 0;

  return (gint64) year * 10000 + month * 100 + day;
}

static gboolean
set_cursors (sqlite3               *db,
             const RotaMirrorData  *data,
             GError               **error)
{
  const struct {
    const char *name;
    gint64      value;
  } cursors[] = {
    { ROTA_MIRROR_CURSOR_AT, data->mirrored_at },
    { ROTA_MIRROR_CURSOR_START, date_as_integer (data->start_date) },
    { ROTA_MIRROR_CURSOR_END, date_as_integer (data->end_date) },
  };
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  stmt = prepare_sql (db, "INSERT INTO sync_cursor (name, value) VALUES (?, ?) "
                          "ON CONFLICT (name) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; ok && i < G_N_ELEMENTS (cursors); i++)
    {
      sqlite3_bind_text (stmt, 1, cursors[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, cursors[i].value);
      ok = step_and_reset (db, stmt, "Recording the mirrored window", error);
    }
  sqlite3_finalize (stmt);

  return ok;
}

static gboolean
apply_locked (RotaStore             *self,
              const RotaMirrorData  *data,
              GError               **error)
{
  sqlite3 *db = _rota_store_get_db (self);

  /* Employees, departments and offices are only ever upserted, never
   * deleted: shifts, punches, absences and the audit trail of the past
   * refer to them, also after they left the server's lists. */
  if (!put_all (self, data->offices, error) ||
      !put_all (self, data->departments, error) ||
      !put_all (self, data->employees, error))
    return FALSE;

  if (data->shifts != NULL &&
      (!put_all (self, data->shifts, error) ||
       !delete_missing_shifts (db, data->start_date, data->end_date, data->shifts, error)))
    return FALSE;

  if (data->sick_leave != NULL &&
      (!put_all (self, data->sick_leave, error) ||
       !delete_missing_sick_leave (db, data->start_date, data->end_date, data->sick_leave, error)))
    return FALSE;

  if (data->registered_hours != NULL &&
      !replace_registered_hours (db, data->start_date, data->end_date, data->registered_hours, error))
    return FALSE;

  return set_cursors (db, data, error);
}

/**
 * rota_store_apply_mirror:
 * @self: a store
 * @data: what one pull of a window read
 * @error: a location for a #GError
 *
 * Applies one pull of a plain Dyflexis server in one transaction: upserts
 * the offices, departments, employees, shifts and sick leave of @data;
 * deletes the server-state shifts that start in the window and the sick
 * leave that overlaps it when the pull did not list them; replaces the
 * registered hours of the window's days; and records the window and
 * @data's time in the sync cursors %ROTA_MIRROR_CURSOR_START and
 * %ROTA_MIRROR_CURSOR_END (as integers YYYYMMDD) and
 * %ROTA_MIRROR_CURSOR_AT. A list of @data that is %NULL changes nothing
 * of its kind. Employees, departments and offices are never deleted.
 * Pending local edits and the outbox are not touched.
 *
 * On failure nothing is changed.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_store_apply_mirror (RotaStore             *self,
                         const RotaMirrorData  *data,
                         GError               **error)
{
  g_autofree char *after_end = NULL;

  g_return_val_if_fail (ROTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (data->start_date != NULL && data->end_date != NULL, FALSE);

  if (rota_date_is_valid (data->start_date) && rota_date_is_valid (data->end_date))
    after_end = rota_date_add_days (data->end_date, 1);
  if (after_end == NULL || strcmp (data->start_date, data->end_date) > 0)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("“%s” to “%s” is not a window of days to mirror"), data->start_date, data->end_date);
      return FALSE;
    }

  for (guint i = 0; data->registered_hours != NULL && i < data->registered_hours->len; i++)
    if (!registered_hours_are_valid (g_ptr_array_index (data->registered_hours, i), error))
      return FALSE;

  if (!rota_store_begin (self, error))
    return FALSE;

  if (!apply_locked (self, data, error))
    {
      rota_store_rollback (self);
      return FALSE;
    }

  return rota_store_commit (self, error);
}

/**
 * rota_store_list_registered_hours:
 * @self: a store
 * @from_date: the first day, "YYYY-MM-DD"
 * @to_date: the last day, inclusive
 * @error: a location for a #GError
 *
 * Reads the mirrored registered hours whose work date lies from
 * @from_date to @to_date, ordered by work date, start and id.
 *
 * Returns: (transfer full) (element-type RotaRegisteredHours): the
 *   registered hours, or %NULL on error
 */
GPtrArray *
rota_store_list_registered_hours (RotaStore   *self,
                                  const char  *from_date,
                                  const char  *to_date,
                                  GError     **error)
{
  g_autoptr(GPtrArray) result = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (ROTA_IS_STORE (self), NULL);
  g_return_val_if_fail (from_date != NULL && to_date != NULL, NULL);

  if (!rota_date_is_valid (from_date) || !rota_date_is_valid (to_date))
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_INVALID,
                   _("“%s” to “%s” is not a range of days"), from_date, to_date);
      return NULL;
    }

  db = _rota_store_lock (self);
  if (db == NULL)
    {
      _rota_store_unlock (self);
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_FAILED,
                   _("The store %s is closed"), rota_store_get_path (self));
      return NULL;
    }

  stmt = prepare_sql (db,
                      "SELECT id, employee_id, work_date, start, \"end\", break_minutes, status, payload "
                      "FROM registered_hours WHERE work_date >= ? AND work_date <= ? "
                      "ORDER BY work_date, start, id",
                      error);
  if (stmt == NULL)
    {
      _rota_store_unlock (self);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, from_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to_date, -1, SQLITE_TRANSIENT);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_registered_hours_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RotaRegisteredHours *hours = g_new0 (RotaRegisteredHours, 1);

      hours->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      hours->employee_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      hours->work_date = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      hours->start = sqlite3_column_int64 (stmt, 3);
      hours->end = sqlite3_column_int64 (stmt, 4);
      hours->break_minutes = sqlite3_column_int64 (stmt, 5);
      hours->status = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      hours->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (result, hours);
    }

  if (rc != SQLITE_DONE)
    _rota_store_set_error (error, db, rc, "Reading the registered hours");
  sqlite3_finalize (stmt);
  _rota_store_unlock (self);

  return rc == SQLITE_DONE ? g_steal_pointer (&result) : NULL;
}
