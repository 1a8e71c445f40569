/* test-model.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rota-entity.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-models.h"

static void
test_model_types (void)
{
  const char * const kinds[] = {
    "office", "department", "employee", "shift", "punch", "punch_correction",
    "approval", "absence", "availability", "audit",
  };
  const GType *types;
  guint n_types;

  types = rota_entity_get_types (&n_types);
  g_assert_cmpuint (n_types, ==, G_N_ELEMENTS (kinds));

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (types[i]);

      /* Every model is final, an entity, and known by its kind. */
      g_assert_true (G_TYPE_IS_FINAL (types[i]));
      g_assert_true (g_type_is_a (types[i], ROTA_TYPE_ENTITY));
      g_assert_cmpstr (ROTA_ENTITY_CLASS (klass)->kind, ==, kinds[i]);
      g_assert_true (rota_entity_type_from_kind (kinds[i]) == types[i]);
      g_assert_cmpint (ROTA_ENTITY_CLASS (klass)->id_field, ==, 0);
    }

  g_assert_true (rota_entity_type_from_kind ("nonsense") == G_TYPE_INVALID);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_model_properties (void)
{
  g_autoptr(RotaShift) shift = rota_shift_new ();
  g_autofree char *department_id = NULL;
  gint64 start = 0;
  guint notified = 0;

  g_signal_connect (shift, "notify", G_CALLBACK (count_notify_cb), &notified);

  g_object_set (shift,
                "id", "s1",
                "department-id", "d1",
                "start", (gint64) 1795000000,
                "end", (gint64) 1795028800,
                "break-minutes", (gint64) 30,
                "published", TRUE,
                NULL);
  g_assert_cmpuint (notified, ==, 6);

  /* Setting the same value again does not notify (explicit notify). */
  g_object_set (shift, "start", (gint64) 1795000000, NULL);
  g_assert_cmpuint (notified, ==, 6);

  g_object_get (shift, "department-id", &department_id, "start", &start, NULL);
  g_assert_cmpstr (department_id, ==, "d1");
  g_assert_cmpint (start, ==, 1795000000);
  g_assert_cmpstr (rota_entity_get_id (ROTA_ENTITY (shift)), ==, "s1");
  g_assert_cmpint (rota_shift_get_break_minutes (shift), ==, 30);
  g_assert_true (rota_shift_get_published (shift));
  g_assert_null (rota_shift_get_employee_id (shift));
  g_assert_true (rota_entity_validate (ROTA_ENTITY (shift), NULL, NULL));
}

static void
test_model_strv_and_enum_properties (void)
{
  g_autoptr(RotaEmployee) employee = rota_employee_new ();
  g_autoptr(RotaPunch) punch = rota_punch_new ();
  const char * const cards[] = { "04A1B2C3", "0000BEEF", NULL };
  g_auto(GStrv) read_back = NULL;
  RotaPunchKind kind;

  g_object_set (employee, "card-numbers", cards, NULL);
  g_object_get (employee, "card-numbers", &read_back, NULL);
  g_assert_cmpstrv (read_back, cards);
  g_assert_cmpstrv (rota_employee_get_card_numbers (employee), cards);

  g_object_set (punch, "kind", ROTA_PUNCH_KIND_BREAK_START, NULL);
  g_object_get (punch, "kind", &kind, NULL);
  g_assert_cmpint (kind, ==, ROTA_PUNCH_KIND_BREAK_START);
  g_assert_cmpint (rota_punch_get_kind (punch), ==, ROTA_PUNCH_KIND_BREAK_START);
}

static void
test_model_copy_equal (void)
{
  g_autoptr(RotaEmployee) employee = rota_employee_new ();
  g_autoptr(RotaEntity) copy = NULL;
  const char * const departments[] = { "d1", "d2", NULL };

  g_object_set (employee,
                "id", "e1",
                "first-name", "Jörg",
                "last-name", "Müller",
                "department-ids", departments,
                "contract-hours-week", 38.5,
                "date-of-birth", "2009-05-01",
                NULL);

  copy = rota_entity_copy (ROTA_ENTITY (employee));
  g_assert_true (rota_entity_equal (ROTA_ENTITY (employee), copy));
  g_assert_true ((gpointer) copy != (gpointer) employee);
  g_assert_true (rota_employee_get_department_ids (ROTA_EMPLOYEE (copy)) !=
                 rota_employee_get_department_ids (employee));

  g_object_set (copy, "contract-hours-week", 38.0, NULL);
  g_assert_false (rota_entity_equal (ROTA_ENTITY (employee), copy));

  g_assert_finalize_object (g_steal_pointer (&copy));
}

static void
test_model_defaults (void)
{
  g_autoptr(RotaOffice) office = rota_office_new ();

  /* An office counts its days in Amsterdam unless told otherwise. */
  g_assert_cmpstr (rota_office_get_time_zone (office), ==, "Europe/Amsterdam");
  g_assert_cmpint (rota_office_get_rules_profile (office), ==, ROTA_RULES_PROFILE_NONE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/model/types", test_model_types);
  g_test_add_func ("/core/model/properties", test_model_properties);
  g_test_add_func ("/core/model/strv-and-enum", test_model_strv_and_enum_properties);
  g_test_add_func ("/core/model/copy-equal", test_model_copy_equal);
  g_test_add_func ("/core/model/defaults", test_model_defaults);

  return g_test_run ();
}
