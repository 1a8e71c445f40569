/* rota-store-schema.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-store"

#include "config.h"

#include "rota-store-private.h"

/*
 * The schema, one step per version of PRAGMA user_version. A step is never
 * changed once released: a new version adds a step. Each step runs in the
 * same transaction as the user_version it sets, so a crash mid-migration
 * leaves the old version intact.
 *
 * Columns follow the field tables of the model types (test-store checks
 * that they match). Nullable instants and enums are NULL, not 0; string
 * arrays are JSON arrays. Foreign keys are deferred, because a change feed
 * may deliver a child before its parent within one transaction.
 */

static const char * const migrations[] = {
  /* 1: the entities. */
  "CREATE TABLE office ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  name TEXT NOT NULL,"
  "  time_zone TEXT NOT NULL,"
  "  rules_profile TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE department ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  office_id TEXT NOT NULL REFERENCES office (id) DEFERRABLE INITIALLY DEFERRED,"
  "  parent_id TEXT REFERENCES department (id) DEFERRABLE INITIALLY DEFERRED,"
  "  name TEXT NOT NULL,"
  "  color TEXT"
  ") STRICT;"
  "CREATE INDEX department_office ON department (office_id);"
  "CREATE TABLE employee ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  personnel_number TEXT,"
  "  first_name TEXT NOT NULL,"
  "  last_name_prefix TEXT,"
  "  last_name TEXT NOT NULL,"
  "  email TEXT,"
  "  card_numbers TEXT NOT NULL DEFAULT '[]',"
  "  department_ids TEXT NOT NULL DEFAULT '[]',"
  "  contract_hours_week REAL NOT NULL DEFAULT 0,"
  "  max_hours_week REAL NOT NULL DEFAULT 0,"
  "  hourly_wage_cents INTEGER NOT NULL DEFAULT 0,"
  "  date_of_birth TEXT,"
  "  employment_start TEXT,"
  "  employment_end TEXT,"
  "  kiosk_pin_hash TEXT"
  ") STRICT;"
  "CREATE TABLE shift ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  department_id TEXT NOT NULL REFERENCES department (id) DEFERRABLE INITIALLY DEFERRED,"
  "  start INTEGER NOT NULL,"
  "  \"end\" INTEGER NOT NULL CHECK (\"end\" > start),"
  "  break_minutes INTEGER NOT NULL DEFAULT 0,"
  "  note TEXT,"
  "  published INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0"
  ") STRICT;"
  "CREATE INDEX shift_department_start ON shift (department_id, start);"
  "CREATE INDEX shift_employee_start ON shift (employee_id, start);"
  "CREATE INDEX shift_start ON shift (start);"
  "CREATE TABLE punch ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  kind TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  source TEXT NOT NULL,"
  "  device_seq INTEGER NOT NULL DEFAULT 0,"
  "  device_monotonic_ms INTEGER NOT NULL DEFAULT 0,"
  "  device_boot_id TEXT,"
  "  time_untrusted INTEGER NOT NULL DEFAULT 0,"
  "  received_at INTEGER"
  ") STRICT;"
  "CREATE INDEX punch_at ON punch (at);"
  "CREATE INDEX punch_employee_at ON punch (employee_id, at);"
  "CREATE TABLE punch_correction ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  punch_id TEXT REFERENCES punch (id) DEFERRABLE INITIALLY DEFERRED,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  action TEXT NOT NULL,"
  "  new_kind TEXT,"
  "  new_at INTEGER,"
  "  reason_code TEXT NOT NULL,"
  "  reason_text TEXT,"
  "  author TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX punch_correction_punch ON punch_correction (punch_id);"
  "CREATE INDEX punch_correction_employee ON punch_correction (employee_id, created_at);"
  "CREATE TABLE approval ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  work_date TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  author TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  for_version INTEGER NOT NULL DEFAULT 0"
  ") STRICT;"
  "CREATE INDEX approval_employee_date ON approval (employee_id, work_date);"
  "CREATE TABLE absence ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  kind TEXT NOT NULL,"
  "  start_date TEXT NOT NULL,"
  "  end_date TEXT,"
  "  note TEXT"
  ") STRICT;"
  "CREATE INDEX absence_employee ON absence (employee_id, start_date);"
  "CREATE TABLE availability ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  weekday INTEGER NOT NULL DEFAULT 0,"
  "  date TEXT,"
  "  from_time TEXT NOT NULL,"
  "  to_time TEXT NOT NULL,"
  "  kind TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX availability_employee ON availability (employee_id);",

  /* 2: the outbox of local edits, sync cursors, and pending copies of the
   * entities a client may change, laid over server state when read. */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  op TEXT NOT NULL CHECK (op IN ('put', 'delete', 'post')),"
  "  payload TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL DEFAULT 0,"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'conflict', 'parked')),"
  "  message TEXT,"
  "  server_payload TEXT,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX outbox_entity ON outbox (kind, entity_id);"
  "CREATE TABLE sync_cursor ("
  "  name TEXT PRIMARY KEY NOT NULL,"
  "  value INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE shift_pending ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  department_id TEXT NOT NULL REFERENCES department (id) DEFERRABLE INITIALLY DEFERRED,"
  "  start INTEGER NOT NULL,"
  "  \"end\" INTEGER NOT NULL CHECK (\"end\" > start),"
  "  break_minutes INTEGER NOT NULL DEFAULT 0,"
  "  note TEXT,"
  "  published INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  outbox_seq INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX shift_pending_department_start ON shift_pending (department_id, start);"
  "CREATE INDEX shift_pending_employee_start ON shift_pending (employee_id, start);"
  "CREATE TABLE absence_pending ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  kind TEXT NOT NULL,"
  "  start_date TEXT NOT NULL,"
  "  end_date TEXT,"
  "  note TEXT,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  outbox_seq INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE availability_pending ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  weekday INTEGER NOT NULL DEFAULT 0,"
  "  date TEXT,"
  "  from_time TEXT NOT NULL,"
  "  to_time TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  outbox_seq INTEGER NOT NULL"
  ") STRICT;",

  /* 3: the hash-chained audit trail, and the triggers that make punches,
   * corrections and audit rows append-only (GoBD, BAG 2022). */
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  before_json TEXT,"
  "  after_json TEXT,"
  "  reason TEXT,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL UNIQUE"
  ") STRICT;"
  "CREATE INDEX audit_entity ON audit (entity, entity_id);"
  "CREATE TRIGGER punch_no_update BEFORE UPDATE ON punch"
  " BEGIN SELECT RAISE (ABORT, 'punches are append-only: add a correction instead'); END;"
  "CREATE TRIGGER punch_no_delete BEFORE DELETE ON punch"
  " BEGIN SELECT RAISE (ABORT, 'punches are append-only: add a correction instead'); END;"
  "CREATE TRIGGER punch_correction_no_update BEFORE UPDATE ON punch_correction"
  " BEGIN SELECT RAISE (ABORT, 'corrections are append-only'); END;"
  "CREATE TRIGGER punch_correction_no_delete BEFORE DELETE ON punch_correction"
  " BEGIN SELECT RAISE (ABORT, 'corrections are append-only'); END;"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  " BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  " BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;",

  /* 4: registered hours as a plain Dyflexis server lists them, mirrored
   * by window (rota-mirror.c). They have no model type: the columns a
   * view sorts and filters by, and the record's JSON as it came. No
   * foreign key on employee_id: hours of an employee the token may not
   * list are kept all the same. */
  "CREATE TABLE registered_hours ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  employee_id TEXT NOT NULL,"
  "  work_date TEXT NOT NULL,"
  "  start INTEGER NOT NULL,"
  "  \"end\" INTEGER NOT NULL CHECK (\"end\" >= start),"
  "  break_minutes INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT,"
  "  payload TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX registered_hours_work_date ON registered_hours (work_date);"
  "CREATE INDEX registered_hours_employee ON registered_hours (employee_id, work_date);",

  /* 5: each office's punch policy (rota-punch-analysis.h): the grace
   * for late and left early, and the rounding of worked time (0: off). */
  "ALTER TABLE office ADD COLUMN punch_grace_minutes INTEGER NOT NULL DEFAULT 5;"
  "ALTER TABLE office ADD COLUMN punch_rounding_minutes INTEGER NOT NULL DEFAULT 0;",

  /* 6: small facts about this device that must survive a restart, by
   * key (rota_store_get_local()): the kiosk's punch sequence, its last
   * contact with the server's clock, and its PIN throttle counters
   * (rota-kiosk.c). Never synced, never part of an entity. The server's
   * tenant files share this schema and leave the table empty. */
  "CREATE TABLE local_state ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ") STRICT;",

  /* 7: a correction may move or void a punch that an earlier correction
   * added (its id is that correction's), so punch_id no longer has a
   * foreign key to punch alone: a trigger takes a punch or an added
   * punch. SQLite cannot drop a constraint, so the table is made again
   * with the same rows (DROP TABLE fires no delete trigger) and its
   * indexes and append-only triggers with it. */
  "CREATE TABLE punch_correction_7 ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER,"
  "  punch_id TEXT,"
  "  employee_id TEXT NOT NULL REFERENCES employee (id) DEFERRABLE INITIALLY DEFERRED,"
  "  action TEXT NOT NULL,"
  "  new_kind TEXT,"
  "  new_at INTEGER,"
  "  reason_code TEXT NOT NULL,"
  "  reason_text TEXT,"
  "  author TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "INSERT INTO punch_correction_7 (id, version, updated_at, punch_id, employee_id, action, new_kind, new_at,"
  "                                reason_code, reason_text, author, created_at)"
  "  SELECT id, version, updated_at, punch_id, employee_id, action, new_kind, new_at,"
  "         reason_code, reason_text, author, created_at FROM punch_correction;"
  "DROP TABLE punch_correction;"
  "ALTER TABLE punch_correction_7 RENAME TO punch_correction;"
  "CREATE INDEX punch_correction_punch ON punch_correction (punch_id);"
  "CREATE INDEX punch_correction_employee ON punch_correction (employee_id, created_at);"
  "CREATE TRIGGER punch_correction_no_update BEFORE UPDATE ON punch_correction"
  " BEGIN SELECT RAISE (ABORT, 'corrections are append-only'); END;"
  "CREATE TRIGGER punch_correction_no_delete BEFORE DELETE ON punch_correction"
  " BEGIN SELECT RAISE (ABORT, 'corrections are append-only'); END;"
  "CREATE TRIGGER punch_correction_target BEFORE INSERT ON punch_correction"
  " WHEN NEW.punch_id IS NOT NULL"
  "  AND NOT EXISTS (SELECT 1 FROM punch WHERE id = NEW.punch_id)"
  "  AND NOT EXISTS (SELECT 1 FROM punch_correction WHERE id = NEW.punch_id AND action = 'add')"
  " BEGIN SELECT RAISE (ABORT, 'FOREIGN KEY constraint failed: punch_id is neither a punch nor an added punch'); END;",

  /* 8: how an office rounds (NULL: inward, as before), and whether a
   * clock-in before the planned start counts from the planned start. */
  "ALTER TABLE office ADD COLUMN punch_rounding_mode TEXT;"
  "ALTER TABLE office ADD COLUMN punch_early_from_plan INTEGER NOT NULL DEFAULT 0;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ROTA_STORE_SCHEMA_VERSION);

static int
get_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

/*
 * Brings the schema of @db up to @target_version. Tests use a smaller
 * target to make stores of every older version.
 */
gboolean
_rota_store_migrate (sqlite3  *db,
                     int       target_version,
                     GError  **error)
{
  int version;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (target_version >= 0 && target_version <= ROTA_STORE_SCHEMA_VERSION, FALSE);

  version = get_user_version (db);
  if (version < 0)
    {
      _rota_store_set_error (error, db, sqlite3_errcode (db), "PRAGMA user_version");
      return FALSE;
    }

  if (version > ROTA_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_TOO_NEW,
                   "The store has schema version %d, but this version of Rota knows only "
                   "up to %d: update Rota to open it",
                   version, ROTA_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  while (version < target_version)
    {
      g_autofree char *set_version = NULL;

      if (!_rota_store_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another connection may have migrated while we waited for the
       * write lock: read the version again under it. */
      version = get_user_version (db);
      if (version < 0 || version > ROTA_STORE_SCHEMA_VERSION)
        {
          _rota_store_exec (db, "ROLLBACK", NULL);
          if (version < 0)
            _rota_store_set_error (error, db, sqlite3_errcode (db), "PRAGMA user_version");
          else
            g_set_error (error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_TOO_NEW,
                         "The store has schema version %d, but this version of Rota knows only "
                         "up to %d: update Rota to open it",
                         version, ROTA_STORE_SCHEMA_VERSION);
          return FALSE;
        }
      if (version >= target_version)
        {
          _rota_store_exec (db, "COMMIT", NULL);
          break;
        }

      set_version = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d;",
                                     version + 1, ROTA_STORE_APPLICATION_ID);

      if (!_rota_store_exec (db, migrations[version], error) ||
          !_rota_store_exec (db, set_version, error) ||
          !_rota_store_exec (db, "COMMIT", error))
        {
          _rota_store_exec (db, "ROLLBACK", NULL);
          g_prefix_error (error, "Upgrading the store to schema version %d: ", version + 1);
          return FALSE;
        }

      g_debug ("Migrated store to schema version %d", version + 1);
      version++;
    }

  return TRUE;
}
