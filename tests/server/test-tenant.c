/* test-tenant.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-store-private.h"
#include "rota-tenant-sqlite.h"
#include "rota-time.h"

#include "server-harness.h"

#define DAY  (24 * 60 * 60)
#define HOUR (60 * 60)
/* Monday 2026-03-02 00:00 UTC. */
#define T0   G_GINT64_CONSTANT (1772409600)

typedef struct
{
  char       *dir;
  char       *path;
  RotaTenant *tenant;
} Fixture;

static RotaStore *
store_of (Fixture *fixture)
{
  return rota_tenant_sqlite_get_store (ROTA_TENANT_SQLITE (fixture->tenant));
}

static RotaEntity *
make_office (const char *id)
{
  RotaOffice *office = g_object_new (ROTA_TYPE_OFFICE, NULL);

  office->id = g_strdup (id);
  office->name = g_strdup ("Amsterdam");
  /* The office starts with the default zone; replace it. */
  g_free (office->time_zone);
  office->time_zone = g_strdup ("Europe/Amsterdam");
  office->rules_profile = ROTA_RULES_PROFILE_NL;

  return ROTA_ENTITY (office);
}

static RotaEntity *
make_department (const char *id)
{
  RotaDepartment *department = g_object_new (ROTA_TYPE_DEPARTMENT, NULL);

  department->id = g_strdup (id);
  department->office_id = g_strdup ("o1");
  department->name = g_strdup_printf ("Department %s", id);

  return ROTA_ENTITY (department);
}

static RotaEntity *
make_employee (const char *id)
{
  RotaEmployee *employee = g_object_new (ROTA_TYPE_EMPLOYEE, NULL);

  employee->id = g_strdup (id);
  employee->first_name = g_strdup ("Anna");
  employee->last_name = g_strdup_printf ("Jansen %s", id);

  return ROTA_ENTITY (employee);
}

static RotaEntity *
make_shift (const char *id,
            const char *department_id,
            const char *employee_id,
            gint64      start,
            gboolean    published)
{
  RotaShift *shift = g_object_new (ROTA_TYPE_SHIFT, NULL);

  shift->id = g_strdup (id);
  shift->department_id = g_strdup (department_id);
  shift->employee_id = g_strdup (employee_id);
  shift->start = start;
  shift->end = start + 8 * HOUR;
  shift->break_minutes = 30;
  shift->published = published;

  return ROTA_ENTITY (shift);
}

static RotaEntity *
make_punch (const char *id,
            const char *employee_id,
            gint64      at)
{
  RotaPunch *punch = g_object_new (ROTA_TYPE_PUNCH, NULL);

  punch->id = g_strdup (id);
  punch->employee_id = g_strdup (employee_id);
  punch->kind = ROTA_PUNCH_KIND_IN;
  punch->at = at;
  punch->source = g_strdup ("kiosk:front");
  punch->received_at = at + 1;

  return ROTA_ENTITY (punch);
}

static RotaEntity *
make_absence (const char *id,
              const char *employee_id,
              const char *start_date,
              const char *end_date)
{
  RotaAbsence *absence = g_object_new (ROTA_TYPE_ABSENCE, NULL);

  absence->id = g_strdup (id);
  absence->employee_id = g_strdup (employee_id);
  absence->kind = ROTA_ABSENCE_KIND_SICK;
  absence->start_date = g_strdup (start_date);
  absence->end_date = g_strdup (end_date);

  return ROTA_ENTITY (absence);
}

/* Writes each entity in its own transaction; takes them. */
static void
write_all (RotaTenant *tenant,
           ...)
{
  va_list args;
  RotaEntity *entity;

  va_start (args, tenant);
  while ((entity = va_arg (args, RotaEntity *)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (rota_tenant_begin (tenant, &error));
      g_assert_true (rota_tenant_write (tenant, entity, FALSE, "test", NULL, &error));
      g_assert_no_error (error);
      g_assert_true (rota_tenant_commit (tenant, &error));
      g_assert_no_error (error);
      g_object_unref (entity);
    }
  va_end (args);
}

static gboolean
write_one (RotaTenant  *tenant,
           RotaEntity  *entity,
           gboolean     deleted,
           GError     **error)
{
  if (!rota_tenant_begin (tenant, error))
    return FALSE;
  if (!rota_tenant_write (tenant, entity, deleted, "alice", "testing", error))
    {
      rota_tenant_rollback (tenant);
      return FALSE;
    }
  return rota_tenant_commit (tenant, error);
}

static guint
count_audit (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = rota_store_list_audit (store_of (fixture), NULL, NULL, &error);

  g_assert_no_error (error);
  return audit->len;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rota-tenant-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "tenant.db", NULL);
  fixture->tenant = rota_tenant_sqlite_open (fixture->path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->tenant);

  if (data == NULL)
    write_all (fixture->tenant, make_office ("o1"), make_department ("d1"), make_department ("d2"),
               make_employee ("e1"), make_employee ("e2"), NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->tenant);
  harness_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_write_get (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) shift = make_shift ("s1", "d1", "e1", T0 + 8 * HOUR, FALSE);
  g_autoptr(RotaEntity) got = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  RotaAuditEntry *entry;
  gint64 revision = rota_tenant_get_revision (fixture->tenant);
  gboolean deleted = TRUE;

  g_assert_cmpint (revision, ==, 5);

  g_assert_true (write_one (fixture->tenant, shift, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (shift), ==, 1);
  g_assert_cmpint (rota_entity_get_updated_at (shift), >, 0);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision + 1);

  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "s1", &deleted, &error);
  g_assert_no_error (error);
  g_assert_false (deleted);
  g_assert_cmpint (rota_entity_get_version (got), ==, 1);
  g_assert_true (rota_entity_equal (got, shift));
  g_clear_object (&got);

  ((RotaShift *) shift)->note = g_strdup ("bring keys");
  g_assert_true (write_one (fixture->tenant, shift, FALSE, &error));
  g_assert_cmpint (rota_entity_get_version (shift), ==, 2);
  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "s1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (got), ==, 2);
  g_assert_cmpstr (((RotaShift *) got)->note, ==, "bring keys");
  g_clear_object (&got);

  audit = rota_store_list_audit (store_of (fixture), "shift", "s1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 2);
  entry = g_ptr_array_index (audit, 0);
  g_assert_cmpstr (entry->action, ==, "create");
  g_assert_cmpstr (entry->actor, ==, "alice");
  g_assert_cmpstr (entry->reason, ==, "testing");
  g_assert_null (entry->before_json);
  g_assert_nonnull (strstr (entry->after_json, "\"s1\""));
  entry = g_ptr_array_index (audit, 1);
  g_assert_cmpstr (entry->action, ==, "update");
  g_assert_nonnull (entry->before_json);
  g_assert_nonnull (strstr (entry->after_json, "bring keys"));

  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "nope", &deleted, &error);
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_assert_false (deleted);
  g_clear_error (&error);

  /* Invalid input is refused with the validator's message, and nothing
   * is written. */
  ((RotaShift *) shift)->end = ((RotaShift *) shift)->start - HOUR;
  revision = rota_tenant_get_revision (fixture->tenant);
  g_assert_false (write_one (fixture->tenant, shift, FALSE, &error));
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "endDateTime"));
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision);
}

static void
assert_changes (GPtrArray  *changes,
                const char *expected)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      RotaChange *change = g_ptr_array_index (changes, i);

      g_string_append_printf (text, "%s%s:%s@%" G_GINT64_FORMAT "%s", i ? " " : "",
                              change->kind, change->id, change->version, change->deleted ? "x" : "");
      if (i > 0)
        g_assert_cmpint (change->revision, >, ((RotaChange *) g_ptr_array_index (changes, i - 1))->revision);
      g_assert_true (change->deleted == (change->entity == NULL));
      if (change->entity != NULL)
        {
          g_assert_cmpstr (rota_entity_get_id (change->entity), ==, change->id);
          g_assert_cmpint (rota_entity_get_version (change->entity), ==, change->version);
        }
    }

  g_assert_cmpstr (text->str, ==, expected);
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(RotaEntity) moved = NULL;
  gint64 revision;
  gboolean has_more;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%u", i);

      write_all (fixture->tenant, make_shift (id, "d1", "e1", T0 + i * DAY, TRUE), NULL);
    }

  page = rota_tenant_changes (fixture->tenant, 0, 4, NULL, &revision, &has_more, &error);
  g_assert_no_error (error);
  assert_changes (page, "office:o1@1 department:d1@1 department:d2@1 employee:e1@1");
  g_assert_true (has_more);
  g_assert_cmpint (revision, ==, 4);
  g_assert_true (ROTA_IS_OFFICE (((RotaChange *) g_ptr_array_index (page, 0))->entity));
  g_assert_true (ROTA_IS_EMPLOYEE (((RotaChange *) g_ptr_array_index (page, 3))->entity));

  /* The same page twice is the same. */
  again = rota_tenant_changes (fixture->tenant, 0, 4, NULL, &revision, &has_more, &error);
  g_assert_no_error (error);
  assert_changes (again, "office:o1@1 department:d1@1 department:d2@1 employee:e1@1");
  g_clear_pointer (&again, g_ptr_array_unref);
  g_clear_pointer (&page, g_ptr_array_unref);

  page = rota_tenant_changes (fixture->tenant, 4, 100, NULL, &revision, &has_more, &error);
  g_assert_no_error (error);
  assert_changes (page, "employee:e2@1 shift:s0@1 shift:s1@1 shift:s2@1 shift:s3@1");
  g_assert_false (has_more);
  g_assert_cmpint (revision, ==, 9);
  g_assert_cmpint (((RotaShift *) ((RotaChange *) g_ptr_array_index (page, 2))->entity)->start, ==, T0 + DAY);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* A changed entity moves to the end, once, with its latest state. */
  moved = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "s1", NULL, &error);
  g_assert_no_error (error);
  ((RotaShift *) moved)->break_minutes = 45;
  g_assert_true (write_one (fixture->tenant, moved, FALSE, &error));
  page = rota_tenant_changes (fixture->tenant, 5, 100, NULL, &revision, &has_more, &error);
  g_assert_no_error (error);
  assert_changes (page, "shift:s0@1 shift:s2@1 shift:s3@1 shift:s1@2");
  g_assert_cmpint (revision, ==, 10);
  g_assert_cmpint (((RotaShift *) ((RotaChange *) g_ptr_array_index (page, 3))->entity)->break_minutes, ==, 45);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Exactly at the end: nothing, the current revision, no more. */
  page = rota_tenant_changes (fixture->tenant, 10, 100, NULL, &revision, &has_more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 0);
  g_assert_cmpint (revision, ==, 10);
  g_assert_false (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Paging one at a time visits every entity once. */
  {
    gint64 since = 0;
    guint pages = 0;
    guint seen = 0;

    do
      {
        page = rota_tenant_changes (fixture->tenant, since, 1, NULL, &since, &has_more, &error);
        g_assert_no_error (error);
        seen += page->len;
        pages++;
        g_clear_pointer (&page, g_ptr_array_unref);
      }
    while (has_more);

    g_assert_cmpuint (seen, ==, 9);
    g_assert_cmpuint (pages, ==, 9);
    g_assert_cmpint (since, ==, 10);
  }

  /* Only some kinds: the others are skipped, and the cursor still ends
   * at the tenant's revision. */
  {
    static const char * const shifts_only[] = { "shift", NULL };
    gint64 since = 0;
    guint seen = 0;

    do
      {
        page = rota_tenant_changes (fixture->tenant, since, 2, shifts_only, &since, &has_more, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < page->len; i++)
          g_assert_cmpstr (((RotaChange *) g_ptr_array_index (page, i))->kind, ==, "shift");
        seen += page->len;
        g_clear_pointer (&page, g_ptr_array_unref);
      }
    while (has_more);

    g_assert_cmpuint (seen, >, 0);
    page = rota_tenant_changes (fixture->tenant, since, 2, shifts_only, &since, &has_more, &error);
    g_assert_cmpuint (page->len, ==, 0);
    g_assert_cmpint (since, ==, rota_tenant_get_revision (fixture->tenant));
    g_clear_pointer (&page, g_ptr_array_unref);
  }
}

static void
test_delete_shift (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) shift = make_shift ("s1", "d1", "e1", T0, TRUE);
  g_autoptr(RotaEntity) victim = NULL;
  g_autoptr(RotaEntity) got = NULL;
  g_autoptr(RotaEntity) ghost = make_shift ("ghost", "d1", NULL, T0, FALSE);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  RotaTenantQuery query = { ROTA_TYPE_SHIFT, .page = 1, .page_size = 10 };
  gboolean deleted = FALSE;
  gboolean has_more;
  gint64 revision;

  g_assert_true (write_one (fixture->tenant, shift, FALSE, &error));
  revision = rota_tenant_get_revision (fixture->tenant);

  /* Only the id matters for a delete. */
  victim = make_shift ("s1", "d1", NULL, T0, FALSE);
  g_assert_true (write_one (fixture->tenant, victim, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (victim), ==, 2);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision + 1);

  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "s1", &deleted, &error);
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_assert_true (deleted);
  g_clear_error (&error);

  page = rota_tenant_changes (fixture->tenant, revision, 10, NULL, &revision, &has_more, &error);
  g_assert_no_error (error);
  assert_changes (page, "shift:s1@2x");
  g_clear_pointer (&page, g_ptr_array_unref);

  /* The tombstone is listed only when asked for, and keeps the shift. */
  page = rota_tenant_list (fixture->tenant, &query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 0);
  g_clear_pointer (&page, g_ptr_array_unref);
  query.include_deleted = TRUE;
  page = rota_tenant_list (fixture->tenant, &query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_true (((RotaShift *) g_ptr_array_index (page, 0))->deleted);
  g_assert_cmpstr (((RotaShift *) g_ptr_array_index (page, 0))->employee_id, ==, "e1");
  g_clear_pointer (&page, g_ptr_array_unref);

  audit = rota_store_list_audit (store_of (fixture), "shift", "s1", &error);
  g_assert_cmpuint (audit->len, ==, 2);
  g_assert_cmpstr (((RotaAuditEntry *) g_ptr_array_index (audit, 1))->action, ==, "delete");

  /* A retried delete changes nothing. */
  g_assert_true (write_one (fixture->tenant, victim, TRUE, &error));
  g_assert_cmpint (rota_entity_get_version (victim), ==, 2);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision);

  /* Bringing it back continues the versions. */
  ((RotaShift *) shift)->deleted = TRUE;
  g_assert_true (write_one (fixture->tenant, shift, FALSE, &error));
  g_assert_cmpint (rota_entity_get_version (shift), ==, 3);
  g_assert_false (((RotaShift *) shift)->deleted);
  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "s1", &deleted, &error);
  g_assert_no_error (error);
  g_assert_false (deleted);
  g_assert_cmpint (rota_entity_get_version (got), ==, 3);

  /* What never existed cannot be deleted; employees cannot be at all. */
  g_assert_false (write_one (fixture->tenant, ghost, TRUE, &error));
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(RotaEntity) employee = make_employee ("e2");

    g_assert_false (write_one (fixture->tenant, employee, TRUE, &error));
    g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID);
  }
}

static void
test_delete_absence (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) absence = make_absence ("a1", "e1", "2026-03-02", "2026-03-04");
  g_autoptr(RotaEntity) got = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gboolean deleted = FALSE;
  gboolean has_more;
  gint64 revision;

  g_assert_true (write_one (fixture->tenant, absence, FALSE, &error));
  g_assert_true (write_one (fixture->tenant, absence, FALSE, &error));
  g_assert_cmpint (rota_entity_get_version (absence), ==, 2);
  revision = rota_tenant_get_revision (fixture->tenant);

  g_assert_true (write_one (fixture->tenant, absence, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (absence), ==, 3);

  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_ABSENCE, "a1", &deleted, &error);
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND);
  g_assert_true (deleted);
  g_clear_error (&error);

  /* The row is gone; the feed remembers. */
  {
    g_autoptr(RotaEntity) raw = rota_store_get_entity (store_of (fixture), ROTA_TYPE_ABSENCE, "a1", &error);

    g_assert_null (raw);
    g_clear_error (&error);
  }
  page = rota_tenant_changes (fixture->tenant, revision, 10, NULL, NULL, &has_more, &error);
  g_assert_no_error (error);
  assert_changes (page, "absence:a1@3x");
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Deleting again is fine; re-creating continues from the deletion. */
  g_assert_true (write_one (fixture->tenant, absence, TRUE, &error));
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision + 1);
  g_assert_true (write_one (fixture->tenant, absence, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (absence), ==, 4);
  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_ABSENCE, "a1", &deleted, &error);
  g_assert_no_error (error);
  g_assert_false (deleted);
  g_assert_cmpint (rota_entity_get_version (got), ==, 4);
}

static void
test_facts (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) punch = make_punch ("p1", "e1", T0 + 8 * HOUR);
  g_autoptr(RotaEntity) retry = make_punch ("p1", "e1", T0 + 8 * HOUR);
  g_autoptr(RotaEntity) other = make_punch ("p1", "e1", T0 + 9 * HOUR);
  gint64 revision;
  guint n_audit;

  g_assert_true (write_one (fixture->tenant, punch, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (punch), ==, 1);
  revision = rota_tenant_get_revision (fixture->tenant);
  n_audit = count_audit (fixture);

  /* A retry, even one that arrived later, is the same fact. */
  ((RotaPunch *) retry)->received_at += 60;
  g_assert_true (write_one (fixture->tenant, retry, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_entity_get_version (retry), ==, 1);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision);
  g_assert_cmpuint (count_audit (fixture), ==, n_audit);

  g_assert_false (write_one (fixture->tenant, other, FALSE, &error));
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_false (write_one (fixture->tenant, punch, TRUE, &error));
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision);
  g_assert_cmpuint (count_audit (fixture), ==, n_audit);
}

static char *
list_ids (RotaTenant            *tenant,
          const RotaTenantQuery *query,
          guint                 *page_count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = rota_tenant_list (tenant, query, page_count, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    {
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (page, i), query->type));
      g_string_append_printf (text, "%s%s", i ? " " : "", rota_entity_get_id (g_ptr_array_index (page, i)));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define ASSERT_LIST(query, expected, pages) \
  G_STMT_START { \
    guint page_count_ = 0; \
    g_autofree char *ids_ = list_ids (fixture->tenant, (query), &page_count_); \
    g_assert_cmpstr (ids_, ==, (expected)); \
    g_assert_cmpuint (page_count_, ==, (pages)); \
  } G_STMT_END

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) doomed = NULL;
  RotaTenantQuery query = { ROTA_TYPE_SHIFT, .page = 1, .page_size = 100 };

  /* Written out of order, so that ordering is tested. */
  write_all (fixture->tenant,
             make_shift ("s3", "d2", "e1", T0 + 2 * DAY, TRUE),
             make_shift ("s1", "d1", "e1", T0, TRUE),
             make_shift ("s2b", "d1", "e2", T0 + DAY, FALSE),
             make_shift ("s2a", "d2", NULL, T0 + DAY, TRUE),
             make_shift ("s0", "d1", "e2", T0 - DAY + 20 * HOUR, TRUE),
             make_shift ("s4", "d1", "e1", T0 + 3 * DAY, TRUE),
             make_punch ("p2", "e1", T0 + DAY + 8 * HOUR),
             make_punch ("p1", "e1", T0 + 8 * HOUR),
             make_punch ("p3", "e2", T0 + 8 * HOUR),
             make_absence ("a2", "e1", "2026-03-10", "2026-03-12"),
             make_absence ("a1", "e1", "2026-03-01", "2026-03-03"),
             make_absence ("a3", "e2", "2026-03-05", NULL),
             make_employee ("e0"),
             NULL);

  doomed = make_shift ("s4", "d1", NULL, T0, FALSE);
  g_assert_true (write_one (fixture->tenant, doomed, TRUE, &error));

  ASSERT_LIST (&query, "s0 s1 s2a s2b s3", 1);

  /* Overlap: s0 runs past midnight into the range. */
  query.from = T0;
  query.to = T0 + 2 * DAY;
  ASSERT_LIST (&query, "s0 s1 s2a s2b", 1);
  query.department_id = "d1";
  ASSERT_LIST (&query, "s0 s1 s2b", 1);
  query.published_only = TRUE;
  ASSERT_LIST (&query, "s0 s1", 1);
  query.department_id = NULL;
  query.published_only = FALSE;
  query.employee_id = "e2";
  ASSERT_LIST (&query, "s0 s2b", 1);
  query.employee_id = NULL;
  query.from = T0 + 2 * DAY;
  query.to = T0 + 10 * DAY;
  ASSERT_LIST (&query, "s3", 1);
  query.include_deleted = TRUE;
  ASSERT_LIST (&query, "s3 s4", 1);

  /* Paging. */
  query = (RotaTenantQuery) { ROTA_TYPE_SHIFT, .page = 1, .page_size = 2 };
  ASSERT_LIST (&query, "s0 s1", 3);
  query.page = 3;
  ASSERT_LIST (&query, "s3", 3);
  query.page = 4;
  ASSERT_LIST (&query, "", 3);
  query = (RotaTenantQuery) { ROTA_TYPE_SHIFT, .from = T0 + 50 * DAY, .to = T0 + 51 * DAY, .page = 1, .page_size = 2 };
  ASSERT_LIST (&query, "", 1);

  query = (RotaTenantQuery) { ROTA_TYPE_PUNCH, .page = 1, .page_size = 10 };
  ASSERT_LIST (&query, "p1 p3 p2", 1);
  query.employee_id = "e1";
  ASSERT_LIST (&query, "p1 p2", 1);
  query.from = T0 + DAY;
  ASSERT_LIST (&query, "p2", 1);
  query.from = 0;
  query.to = T0 + DAY;
  ASSERT_LIST (&query, "p1", 1);

  query = (RotaTenantQuery) { ROTA_TYPE_ABSENCE, .page = 1, .page_size = 10 };
  ASSERT_LIST (&query, "a1 a3 a2", 1);
  query.start_date = "2026-03-04";
  query.end_date = "2026-03-09";
  ASSERT_LIST (&query, "a3", 1);
  query.start_date = "2026-03-03";
  ASSERT_LIST (&query, "a1 a3", 1);
  query.end_date = NULL;
  query.employee_id = "e1";
  ASSERT_LIST (&query, "a1 a2", 1);

  query = (RotaTenantQuery) { ROTA_TYPE_EMPLOYEE, .page = 1, .page_size = 2 };
  ASSERT_LIST (&query, "e0 e1", 2);
  query = (RotaTenantQuery) { ROTA_TYPE_DEPARTMENT, .page = 1, .page_size = 10 };
  ASSERT_LIST (&query, "d1 d2", 1);
  query = (RotaTenantQuery) { ROTA_TYPE_OFFICE, .page = 1, .page_size = 10 };
  ASSERT_LIST (&query, "o1", 1);
}

static void
test_idempotency (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"ok\":true}", 11);
  g_autoptr(GBytes) got_body = NULL;
  g_autofree char *hash = NULL;
  guint status = 0;

  g_assert_false (rota_tenant_idempotency_get (fixture->tenant, "t1", "k1", &hash, &status, &got_body, &error));
  g_assert_no_error (error);
  g_assert_null (hash);

  g_assert_true (rota_tenant_begin (fixture->tenant, &error));
  g_assert_true (rota_tenant_idempotency_put (fixture->tenant, "t1", "k1", "h1", 201, body, &error));
  g_assert_no_error (error);
  g_assert_true (rota_tenant_idempotency_put (fixture->tenant, "t1", "k2", "h2", 204, NULL, &error));
  g_assert_false (rota_tenant_idempotency_put (fixture->tenant, "t1", "k1", "h3", 200, NULL, &error));
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (rota_tenant_commit (fixture->tenant, &error));
  g_assert_no_error (error);

  g_assert_true (rota_tenant_idempotency_get (fixture->tenant, "t1", "k1", &hash, &status, &got_body, &error));
  g_assert_cmpstr (hash, ==, "h1");
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (g_bytes_equal (got_body, body));
  g_clear_pointer (&hash, g_free);
  g_clear_pointer (&got_body, g_bytes_unref);

  g_assert_true (rota_tenant_idempotency_get (fixture->tenant, "t1", "k2", &hash, &status, &got_body, &error));
  g_assert_cmpuint (status, ==, 204);
  g_assert_null (got_body);
  g_clear_pointer (&hash, g_free);

  /* Keys are per token. */
  g_assert_false (rota_tenant_idempotency_get (fixture->tenant, "t2", "k1", NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A rolled-back write takes its key with it. */
  g_assert_true (rota_tenant_begin (fixture->tenant, &error));
  g_assert_true (rota_tenant_idempotency_put (fixture->tenant, "t1", "k9", "h9", 201, body, &error));
  rota_tenant_rollback (fixture->tenant);
  g_assert_false (rota_tenant_idempotency_get (fixture->tenant, "t1", "k9", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_rollback (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) shift = make_shift ("s1", "d1", "e1", T0, FALSE);
  g_autoptr(RotaEntity) got = NULL;
  gint64 revision = rota_tenant_get_revision (fixture->tenant);
  guint n_audit = count_audit (fixture);

  g_assert_true (rota_tenant_begin (fixture->tenant, &error));
  g_assert_true (rota_tenant_write (fixture->tenant, shift, FALSE, "alice", NULL, &error));
  g_assert_no_error (error);
  /* Inside the transaction its own write is visible. */
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision + 1);
  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "s1", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&got);
  rota_tenant_rollback (fixture->tenant);

  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision);
  g_assert_cmpuint (count_audit (fixture), ==, n_audit);
  got = rota_tenant_get (fixture->tenant, ROTA_TYPE_SHIFT, "s1", NULL, &error);
  g_assert_error (error, ROTA_TENANT_ERROR, ROTA_TENANT_ERROR_NOT_FOUND);
  g_assert_null (got);
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) shift = make_shift ("s1", "d1", "e1", T0, FALSE);
  g_autoptr(RotaEntity) absence = make_absence ("a1", "e1", "2026-03-02", NULL);
  g_autofree char *problem = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  sqlite3 *db = _rota_store_get_db (store_of (fixture));

  g_assert_true (write_one (fixture->tenant, shift, FALSE, &error));
  g_assert_true (write_one (fixture->tenant, shift, TRUE, &error));
  g_assert_true (write_one (fixture->tenant, absence, FALSE, &error));
  g_assert_true (write_one (fixture->tenant, absence, TRUE, &error));
  g_assert_no_error (error);

  g_assert_true (rota_tenant_verify (fixture->tenant, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);

  /* A backup is a tenant with the same feed. */
  g_assert_true (rota_tenant_backup (fixture->tenant, backup, &error));
  g_assert_no_error (error);
  {
    g_autoptr(RotaTenant) copy = rota_tenant_sqlite_open (backup, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpint (rota_tenant_get_revision (copy), ==, rota_tenant_get_revision (fixture->tenant));
  }

  g_assert_cmpint (sqlite3_exec (db, "UPDATE server_changes SET version = 7 WHERE entity_id = 'e2'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rota_tenant_verify (fixture->tenant, &problem, &error));
  g_assert_no_error (error);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "e2"));
  g_clear_pointer (&problem, g_free);

  g_assert_cmpint (sqlite3_exec (db, "UPDATE server_changes SET version = 1 WHERE entity_id = 'e2';"
                                     "UPDATE server_changes SET deleted = 0 WHERE entity_id = 'a1'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rota_tenant_verify (fixture->tenant, &problem, &error));
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "a1"));
  g_clear_pointer (&problem, g_free);

  g_assert_cmpint (sqlite3_exec (db, "UPDATE server_changes SET deleted = 1 WHERE entity_id = 'a1';"
                                     "UPDATE server_changes SET deleted = 0 WHERE entity_id = 's1'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rota_tenant_verify (fixture->tenant, &problem, &error));
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "s1"));
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 revision = rota_tenant_get_revision (fixture->tenant);

  g_clear_object (&fixture->tenant);
  fixture->tenant = rota_tenant_sqlite_open (fixture->path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision);
  write_all (fixture->tenant, make_employee ("e9"), NULL);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, revision + 1);
}

static guint
count_entities (RotaStore *store)
{
  guint n_types;
  const GType *types = rota_entity_get_types (&n_types);
  guint total = 0;

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) all = NULL;

      if (types[i] == ROTA_TYPE_AUDIT_ENTRY)
        continue;
      all = rota_store_list_entities (store, types[i], &error);
      g_assert_no_error (error);
      total += all->len;
    }

  return total;
}

static void
test_index_existing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *problem = NULL;
  RotaDemoOptions options;
  gint64 since = 0;
  gboolean has_more = TRUE;
  guint total;
  int last_kind = -1;
  const char *kinds[] = { "office", "department", "employee", "shift", "punch",
                          "punch_correction", "approval", "absence", "availability" };

  rota_demo_options_init (&options, T0);
  g_assert_true (rota_demo_fill_store (store_of (fixture), &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  total = count_entities (store_of (fixture));
  g_assert_cmpuint (total, >, 100);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, 0);

  g_assert_true (rota_tenant_sqlite_index_existing (ROTA_TENANT_SQLITE (fixture->tenant), &error));
  g_assert_no_error (error);
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, total);
  /* Twice changes nothing. */
  g_assert_true (rota_tenant_sqlite_index_existing (ROTA_TENANT_SQLITE (fixture->tenant), &error));
  g_assert_cmpint (rota_tenant_get_revision (fixture->tenant), ==, total);

  while (has_more)
    {
      g_autoptr(GPtrArray) page = rota_tenant_changes (fixture->tenant, since, 97, NULL, &since, &has_more, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        {
          RotaChange *change = g_ptr_array_index (page, i);
          int kind = -1;

          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            if (g_str_equal (kinds[k], change->kind))
              kind = k;
          g_assert_cmpint (kind, >=, last_kind);
          last_kind = kind;
          g_assert_true (change->deleted || change->entity != NULL);
          g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%s/%s", change->kind, change->id)));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, total);

  g_assert_true (rota_tenant_verify (fixture->tenant, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
}

static void
test_performance (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RotaDemoOptions options;
  RotaTenantQuery query = { ROTA_TYPE_SHIFT, .page = 1, .page_size = 100 };
  gint64 since = 0;
  gboolean has_more = TRUE;
  guint n = 0;
  gint64 start;
  double seconds;

  /* 200 employees over 8 weeks: a print, not an assertion. */
  rota_demo_options_init (&options, T0);
  options.n_employees = 200;
  options.n_departments = 10;

  g_assert_true (rota_demo_fill_store (store_of (fixture), &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rota_tenant_sqlite_index_existing (ROTA_TENANT_SQLITE (fixture->tenant), &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  while (has_more)
    {
      g_autoptr(GPtrArray) page = rota_tenant_changes (fixture->tenant, since, 10000, NULL, &since, &has_more, &error);

      g_assert_no_error (error);
      n += page->len;
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("changes: %u in %.3f s, %.0f changes/s", n, seconds, n / seconds);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GPtrArray) page = NULL;

      query.from = T0 - 6 * 7 * DAY + (i % 40) * DAY;
      query.to = query.from + 7 * DAY;
      page = rota_tenant_list (fixture->tenant, &query, NULL, &error);
      g_assert_no_error (error);
    }
  g_test_message ("list: a week's first page of 100 shifts in %.3f ms",
                  (g_get_monotonic_time () - start) / 100.0 / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/server/tenant/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("write-get", test_write_get, NULL);
  ADD ("changes", test_changes, NULL);
  ADD ("delete-shift", test_delete_shift, NULL);
  ADD ("delete-absence", test_delete_absence, NULL);
  ADD ("facts", test_facts, NULL);
  ADD ("list", test_list, NULL);
  ADD ("idempotency", test_idempotency, NULL);
  ADD ("rollback", test_rollback, NULL);
  ADD ("verify", test_verify, NULL);
  ADD ("reopen", test_reopen, NULL);
  ADD ("index-existing", test_index_existing, "empty");
  ADD ("performance", test_performance, "empty");

#undef ADD

  return g_test_run ();
}
