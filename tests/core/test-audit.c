/* test-audit.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rota-audit.h"
#include "rota-model-private.h"
#include "rota-store-private.h"

#define MONDAY_8 G_GINT64_CONSTANT (1795417200)

static void
test_audit_hash_vector (void)
{
  /* Computed independently (Python hashlib) from the canonical form
   * documented in rota-audit.c. */
  g_autofree char *hash = rota_audit_compute_hash (ROTA_AUDIT_GENESIS_HASH, 1, MONDAY_8, "hr@example.org",
                                                   "shift", "s-1", "create", NULL, "{\"id\":\"s-1\"}",
                                                   "Schichttausch");
  g_autofree char *other = rota_audit_compute_hash (ROTA_AUDIT_GENESIS_HASH, 1, MONDAY_8, "hr@example.org",
                                                    "shift", "s-1", "create", "", "{\"id\":\"s-1\"}",
                                                    "Schichttausch");

  g_assert_cmpstr (hash, ==, "cc78b50d41e6dedb35c4cf68232260d5c156a02d6eb67fa55e27d11297c47c39");
  /* NULL and the empty string are different rows. */
  g_assert_cmpstr (hash, !=, other);
}

typedef struct
{
  char      *dir;
  char      *path;
  RotaStore *store;
} Fixture;

static void
put (RotaStore  *store,
     RotaEntity *entity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_store_put_entity (store, entity, &error));
  g_assert_no_error (error);
  g_object_unref (entity);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RotaOffice *office = rota_office_new ();
  RotaDepartment *department = rota_department_new ();
  RotaEmployee *employee = rota_employee_new ();

  fixture->dir = g_dir_make_tmp ("rota-audit-XXXXXX", &error);
  fixture->path = g_build_filename (fixture->dir, "store.sqlite", NULL);
  fixture->store = rota_store_open (fixture->path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  office->id = g_strdup ("o1");
  office->name = g_strdup ("Hotel Spree Berlin");
  office->rules_profile = ROTA_RULES_PROFILE_DE;
  put (fixture->store, ROTA_ENTITY (office));
  department->id = g_strdup ("d1");
  department->office_id = g_strdup ("o1");
  department->name = g_strdup ("Rezeption");
  put (fixture->store, ROTA_ENTITY (department));
  employee->id = g_strdup ("e1");
  employee->first_name = g_strdup ("Jonas");
  employee->last_name = g_strdup ("Müller");
  put (fixture->store, ROTA_ENTITY (employee));

  /* Five local edits: four punches and a correction. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(RotaPunch) punch = rota_punch_new ();
      g_autoptr(RotaOutboxItem) item = NULL;

      punch->id = g_strdup_printf ("p%u", i + 1);
      punch->employee_id = g_strdup ("e1");
      punch->kind = i % 2 ? ROTA_PUNCH_KIND_OUT : ROTA_PUNCH_KIND_IN;
      punch->at = MONDAY_8 + i * 4 * 3600;
      punch->source = g_strdup ("kiosk:rezeption");
      punch->device_seq = i + 1;
      item = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "kiosk", NULL, &error);
      g_assert_no_error (error);
    }

  {
    g_autoptr(RotaPunchCorrection) correction = rota_punch_correction_new ();
    g_autoptr(RotaOutboxItem) item = NULL;

    correction->id = g_strdup ("c1");
    correction->punch_id = g_strdup ("p4");
    correction->employee_id = g_strdup ("e1");
    correction->action = ROTA_CORRECTION_ACTION_VOID;
    correction->reason_code = g_strdup ("double-punch");
    correction->author = g_strdup ("hr@example.org");
    correction->created_at = MONDAY_8 + 86400;
    item = rota_store_record_edit (fixture->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (correction),
                                   "hr@example.org", "Doppelt gestempelt", &error);
    g_assert_no_error (error);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_clear_object (&fixture->store);
  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_audit_chain (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = rota_store_list_audit (fixture->store, NULL, NULL, &error);
  g_autoptr(GPtrArray) for_c1 = rota_store_list_audit (fixture->store, "punch_correction", "c1", &error);
  g_autofree char *problem = NULL;
  const char *prev = ROTA_AUDIT_GENESIS_HASH;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);

  for (guint i = 0; i < entries->len; i++)
    {
      RotaAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *hash = rota_audit_entry_compute_hash (entry);

      g_assert_cmpint (rota_audit_entry_get_seq (entry), ==, i + 1);
      g_assert_cmpstr (rota_audit_entry_get_prev_hash (entry), ==, prev);
      g_assert_cmpstr (rota_audit_entry_get_hash (entry), ==, hash);
      g_assert_cmpstr (rota_audit_entry_get_action (entry), ==, "create");
      prev = rota_audit_entry_get_hash (entry);
    }

  g_assert_cmpuint (for_c1->len, ==, 1);
  g_assert_cmpstr (rota_audit_entry_get_actor (g_ptr_array_index (for_c1, 0)), ==, "hr@example.org");
  g_assert_cmpstr (rota_audit_entry_get_reason (g_ptr_array_index (for_c1, 0)), ==, "Doppelt gestempelt");

  g_assert_true (rota_store_verify (fixture->store, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
}

static void
tamper (const char *path,
        const char *sql)
{
  sqlite3 *db = NULL;
  g_autoptr(GError) error = NULL;

  /* What an attacker with the file could do: drop the guard and edit. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (_rota_store_exec (db, sql, &error));
  g_assert_no_error (error);
  sqlite3_close (db);
}

static int
run_rotactl_verify (const char  *path,
                    char       **out)
{
  const char *rotactl = g_getenv ("ROTACTL");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;

  g_assert_nonnull (rotactl);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                              rotactl, "--store", path, "verify", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("rotactl verify: %s", *out);

  return g_subprocess_get_exit_status (process);
}

typedef struct
{
  const char *name;
  const char *sql;
  const char *expected;
} Tampering;

static const Tampering tamperings[] = {
  { "audit-reason",
    "DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'Kollege hat vergessen' WHERE seq = 5;",
    "entry 5 was changed" },
  { "audit-hash-replaced",
    "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'boss', hash = 'aaaa' WHERE seq = 3;",
    "entry 3 was changed" },
  { "audit-deleted",
    "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2;",
    "entry 2 is missing" },
  { "punch-moved",
    "DROP TRIGGER punch_no_update; UPDATE punch SET at = at - 1800 WHERE id = 'p3';",
    "punch p3 differs" },
  { "punch-deleted",
    "DROP TRIGGER punch_no_delete; DELETE FROM punch WHERE id = 'p2';",
    "punch p2 recorded in audit entry 2 is missing" },
};

static void
test_audit_tampering (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (run_rotactl_verify (fixture->path, &out), ==, 0);
  g_assert_nonnull (strstr (out, "OK"));

  /* Make a backup to tamper with, as an auditor would check a copy. */
  for (guint i = 0; i < G_N_ELEMENTS (tamperings); i++)
    {
      g_autofree char *copy = g_strdup_printf ("%s.%s", fixture->path, tamperings[i].name);
      g_autofree char *copy_out = NULL;
      g_autofree char *problem = NULL;
      g_autoptr(RotaStore) store = NULL;

      g_assert_true (rota_store_backup (fixture->store, copy, &error));
      g_assert_no_error (error);
      tamper (copy, tamperings[i].sql);

      g_assert_cmpint (run_rotactl_verify (copy, &copy_out), ==, 3);
      g_assert_nonnull (strstr (copy_out, "FAILED"));
      g_assert_nonnull (strstr (copy_out, tamperings[i].expected));

      store = rota_store_open (copy, ROTA_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_true (rota_store_verify (store, &problem, &error));
      g_assert_nonnull (problem);
      g_assert_nonnull (strstr (problem, tamperings[i].expected));

      g_clear_object (&store);
      g_unlink (copy);
    }
}

static void
test_audit_rehashed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = rota_store_list_audit (fixture->store, NULL, NULL, &error);
  g_autofree char *copy = g_strdup_printf ("%s.rehashed", fixture->path);
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *out = NULL;
  RotaAuditEntry *third = g_ptr_array_index (entries, 2);

  /* Someone changes entry 3 and gives it the right hash for its new
   * content: entry 3 checks out on its own, but entry 4 no longer links
   * to it. (Rewriting every later entry too would pass: the hash has no
   * key. The server's copy of the chain is what such a rewrite cannot
   * reach.) */
  hash = rota_audit_compute_hash (rota_audit_entry_get_prev_hash (third), 3,
                                  rota_audit_entry_get_at (third), "boss",
                                  rota_audit_entry_get_entity (third), rota_audit_entry_get_entity_id (third),
                                  rota_audit_entry_get_action (third), rota_audit_entry_get_before_json (third),
                                  rota_audit_entry_get_after_json (third), rota_audit_entry_get_reason (third));
  sql = g_strdup_printf ("DROP TRIGGER audit_no_update; "
                         "UPDATE audit SET actor = 'boss', hash = '%s' WHERE seq = 3;", hash);

  g_assert_true (rota_store_backup (fixture->store, copy, &error));
  g_assert_no_error (error);
  tamper (copy, sql);

  g_assert_cmpint (run_rotactl_verify (copy, &out), ==, 3);
  g_assert_nonnull (strstr (out, "entry 4 does not link to the entry before it"));
  g_unlink (copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/audit/hash-vector", test_audit_hash_vector);
  g_test_add ("/core/audit/chain", Fixture, NULL, fixture_set_up, test_audit_chain, fixture_tear_down);
  g_test_add ("/core/audit/tampering", Fixture, NULL, fixture_set_up, test_audit_tampering, fixture_tear_down);
  g_test_add ("/core/audit/rehashed", Fixture, NULL, fixture_set_up, test_audit_rehashed, fixture_tear_down);

  return g_test_run ();
}
