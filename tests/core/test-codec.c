/* test-codec.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-model-private.h"
#include "rota-models.h"

/* 2026-11-23T07:00:00Z, a Monday 08:00 in Amsterdam. */
#define MONDAY_8 G_GINT64_CONSTANT (1795417200)

static GPtrArray *
make_samples (void)
{
  GPtrArray *samples = g_ptr_array_new_with_free_func (g_object_unref);
  RotaOffice *office = rota_office_new ();
  RotaDepartment *department = rota_department_new ();
  RotaEmployee *employee = rota_employee_new ();
  RotaShift *shift = rota_shift_new ();
  RotaPunch *punch = rota_punch_new ();
  RotaPunchCorrection *correction = rota_punch_correction_new ();
  RotaApproval *approval = rota_approval_new ();
  RotaAbsence *absence = rota_absence_new ();
  RotaAvailability *availability = rota_availability_new ();
  RotaAuditEntry *audit = rota_audit_entry_new ();
  const char * const cards[] = { "04A1B2C3", NULL };
  const char * const departments[] = { "12", "d-2", NULL };

  g_object_set (office, "id", "3", "version", (gint64) 2, "updated-at", MONDAY_8,
                "name", "Hotel Spree Berlin", "time-zone", "Europe/Berlin",
                "rules-profile", ROTA_RULES_PROFILE_DE, NULL);
  g_object_set (department, "id", "12", "version", (gint64) 1, "office-id", "3",
                "name", "Küche", "color", "#e66100", NULL);
  g_object_set (employee, "id", "1042", "version", (gint64) 7, "personnel-number", "P-0042",
                "first-name", "Sanne", "last-name-prefix", "van", "last-name", "Dijk",
                "email", "sanne@example.org", "card-numbers", cards, "department-ids", departments,
                "contract-hours-week", 32.5, "max-hours-week", 48.0, "hourly-wage-cents", (gint64) 1650,
                "date-of-birth", "2009-03-01", "employment-start", "2021-03-01",
                "kiosk-pin-hash", "pbkdf2-sha256$100000$c2FsdA$aGFzaA", NULL);
  g_object_set (shift, "id", "5f0e8d4e-7c59-4d2a-9b1c-2f3e4a5b6c7d", "version", (gint64) 3,
                "department-id", "12", "employee-id", "1042",
                "start", MONDAY_8, "end", MONDAY_8 + 8 * 3600 + 1800, "break-minutes", (gint64) 30,
                "note", "Inventur\nbitte pünktlich, \"sofort\" \\ \t/Ende", "published", TRUE, NULL);
  g_object_set (punch, "id", "p-1", "employee-id", "1042", "kind", ROTA_PUNCH_KIND_BREAK_END,
                "at", MONDAY_8 + 4 * 3600, "source", "kiosk:backoffice-1", "device-seq", (gint64) 77,
                "device-monotonic-ms", (gint64) 123456789, "device-boot-id", "b0a1e3c4",
                "time-untrusted", TRUE, "received-at", MONDAY_8 + 4 * 3600 + 2, NULL);
  g_object_set (correction, "id", "c-1", "punch-id", "p-1", "employee-id", "1042",
                "action", ROTA_CORRECTION_ACTION_MOVE, "new-at", MONDAY_8 + 4 * 3600 - 60,
                "reason-code", "wrong-time", "reason-text", "Terminal ging vor",
                "author", "hr@example.org", "created-at", MONDAY_8 + 86400, NULL);
  g_object_set (approval, "id", "a-1", "employee-id", "1042", "work-date", "2026-11-23",
                "state", ROTA_APPROVAL_STATE_APPROVED, "author", "hr@example.org",
                "created-at", MONDAY_8 + 86400, "for-version", (gint64) 4, NULL);
  g_object_set (absence, "id", "301", "employee-id", "1042", "kind", ROTA_ABSENCE_KIND_SICK,
                "start-date", "2026-11-24", NULL);
  g_object_set (availability, "id", "v-1", "employee-id", "1042", "weekday", (gint64) 3,
                "from-time", "00:00", "to-time", "24:00", "kind", ROTA_AVAILABILITY_KIND_UNAVAILABLE, NULL);
  g_object_set (audit, "seq", (gint64) 1, "at", MONDAY_8, "actor", "hr@example.org", "entity", "shift",
                "entity-id", "s-1", "action", "create", "after-json", "{\"id\":\"s-1\"}",
                "prev-hash", "0000000000000000000000000000000000000000000000000000000000000000",
                "hash", "1111111111111111111111111111111111111111111111111111111111111111", NULL);

  g_ptr_array_add (samples, office);
  g_ptr_array_add (samples, department);
  g_ptr_array_add (samples, employee);
  g_ptr_array_add (samples, shift);
  g_ptr_array_add (samples, punch);
  g_ptr_array_add (samples, correction);
  g_ptr_array_add (samples, approval);
  g_ptr_array_add (samples, absence);
  g_ptr_array_add (samples, availability);
  g_ptr_array_add (samples, audit);

  return samples;
}

/* rota_codec_decode_string(), and the same text through
 * rota_codec_decode_reader(): both must say the same, to the message. */
static RotaEntity *
decode_both (GType        type,
             const char  *json,
             GError     **error)
{
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) text_error = NULL;
  g_autoptr(RotaEntity) from_text = NULL;
  RotaEntity *from_tree = rota_codec_decode_string (type, json, strlen (json), &tree_error);
  RotaJsonReader reader;

  /* The reader only ever sees text the check accepted. */
  if (!rota_json_check (json, strlen (json), 0, NULL))
    {
      if (tree_error != NULL)
        g_propagate_error (error, g_steal_pointer (&tree_error));
      return from_tree;
    }

  rota_json_reader_init (&reader, json, strlen (json));
  from_text = rota_codec_decode_reader (type, &reader, &text_error);
  if (from_tree != NULL)
    {
      g_assert_no_error (text_error);
      g_assert_true (rota_entity_equal (from_tree, from_text));
    }
  else
    {
      g_assert_null (from_text);
      g_assert_nonnull (text_error);
      g_assert_cmpuint (text_error->domain, ==, tree_error->domain);
      g_assert_cmpint (text_error->code, ==, tree_error->code);
      g_assert_cmpstr (text_error->message, ==, tree_error->message);
      g_assert_cmpstr (rota_codec_error_get_field (text_error), ==, rota_codec_error_get_field (tree_error));
    }

  if (tree_error != NULL)
    g_propagate_error (error, g_steal_pointer (&tree_error));
  return from_tree;
}

static void
test_codec_round_trip (void)
{
  g_autoptr(GPtrArray) samples = make_samples ();
  const GType *types;
  guint n_types;

  /* One sample of every entity type. */
  types = rota_entity_get_types (&n_types);
  g_assert_cmpuint (samples->len, ==, n_types);

  for (guint i = 0; i < samples->len; i++)
    {
      RotaEntity *entity = g_ptr_array_index (samples, i);
      g_autofree char *text = NULL;
      g_autofree char *again = NULL;
      g_autoptr(RotaEntity) decoded = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (G_OBJECT_TYPE (entity) == types[i]);
      g_assert_true (rota_entity_validate (entity, NULL, &error));
      g_assert_no_error (error);

      text = rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT);
      g_test_message ("%s: %s", rota_entity_get_kind (entity), text);

      decoded = decode_both (G_OBJECT_TYPE (entity), text, &error);
      g_assert_no_error (error);
      g_assert_nonnull (decoded);
      g_assert_true (rota_entity_equal (entity, decoded));

      again = rota_codec_encode_string (decoded, ROTA_CODEC_DEFAULT);
      g_assert_cmpstr (text, ==, again);

      /* The streaming writer makes the very same document. */
      {
        g_autoptr(GString) streamed = g_string_new (NULL);
        g_autofree char *numeric = rota_codec_encode_string (entity, ROTA_CODEC_NUMERIC_IDS);

        rota_codec_append (streamed, entity, ROTA_CODEC_DEFAULT, NULL, NULL);
        g_assert_cmpstr (streamed->str, ==, text);
        g_string_truncate (streamed, 0);
        rota_codec_append (streamed, entity, ROTA_CODEC_NUMERIC_IDS, NULL, NULL);
        g_assert_cmpstr (streamed->str, ==, numeric);
      }
    }
}

static void
test_codec_dyflexis_names (void)
{
  g_autoptr(GPtrArray) samples = make_samples ();
  g_autoptr(JsonNode) shift = rota_codec_encode (g_ptr_array_index (samples, 3), ROTA_CODEC_NUMERIC_IDS);
  g_autoptr(JsonNode) employee = rota_codec_encode (g_ptr_array_index (samples, 2), ROTA_CODEC_NUMERIC_IDS);
  JsonObject *object;

  /* The Dyflexis spelling (reference/dyflexis-api.md §3.3, §3.1). */
  object = json_node_get_object (shift);
  g_assert_cmpstr (json_object_get_string_member (object, "startDateTime"), ==, "2026-11-23T07:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (object, "endDateTime"), ==, "2026-11-23T15:30:00Z");
  g_assert_cmpint (json_object_get_int_member (object, "breakMinutes"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (object, "employeeId"), ==, 1042);
  g_assert_cmpint (json_object_get_int_member (object, "departmentId"), ==, 12);
  /* A UUID stays a string even with numeric ids. */
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "5f0e8d4e-7c59-4d2a-9b1c-2f3e4a5b6c7d");

  object = json_node_get_object (employee);
  g_assert_cmpint (json_object_get_int_member (object, "employeeId"), ==, 1042);
  g_assert_cmpstr (json_object_get_string_member (object, "firstName"), ==, "Sanne");
  g_assert_cmpstr (json_object_get_string_member (object, "lastNamePrefix"), ==, "van");
  g_assert_cmpstr (json_object_get_string_member (object, "personnelNumber"), ==, "P-0042");
  g_assert_cmpstr (json_object_get_string_member (object, "employmentStart"), ==, "2021-03-01");
  g_assert_true (json_object_has_member (object, "cardNumbers"));
}

static void
test_codec_accepts_dyflexis_forms (void)
{
  const char *text = "{\"id\": 88123, \"employeeId\": 1042, \"departmentId\": 12, "
                     "\"startDateTime\": \"2026-11-23T08:00:00\", \"endDateTime\": \"2026-11-23T16:30:00\", "
                     "\"breakMinutes\": 30, \"officeId\": 3, \"somethingNew\": [1, 2]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaEntity) entity = decode_both (ROTA_TYPE_SHIFT, text, &error);
  RotaShift *shift;

  g_assert_no_error (error);
  shift = ROTA_SHIFT (entity);
  /* Integer ids become decimal strings; unknown members are ignored;
   * offset-less times are Amsterdam wall-clock times. */
  g_assert_cmpstr (rota_entity_get_id (entity), ==, "88123");
  g_assert_cmpstr (rota_shift_get_employee_id (shift), ==, "1042");
  g_assert_cmpint (rota_shift_get_start (shift), ==, MONDAY_8);
  g_assert_cmpint (rota_shift_get_end (shift) - rota_shift_get_start (shift), ==, 8 * 3600 + 1800);
}

typedef struct
{
  const char *name;
  GType     (*get_type) (void);
  const char *json;
  int         code;
  const char *field;
} Malformed;

#define SHIFT_OK "\"id\": \"s1\", \"departmentId\": \"d1\", "

static const Malformed malformed[] = {
  { "not-json", rota_shift_get_type, "{\"id\": ", ROTA_CODEC_ERROR_SYNTAX, NULL },
  /* The grammar, checked before json-glib or the reader sees the text. */
  { "blank", rota_shift_get_type, "  ", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "no-comma", rota_shift_get_type, "{\"id\": \"s1\" \"note\": \"x\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "no-colon", rota_shift_get_type, "{\"id\" \"s1\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "trailing-comma", rota_shift_get_type, "{\"id\": \"s1\",}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "leading-comma", rota_shift_get_type, "{, \"id\": \"s1\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "double-colon", rota_shift_get_type, "{\"id\":: \"s1\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "key-without-value", rota_shift_get_type, "{\"id\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "value-as-key", rota_shift_get_type, "{7: \"s1\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "wrong-bracket", rota_shift_get_type, "{\"id\": \"s1\"]", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "array-no-comma", rota_employee_get_type, "{\"employeeId\": \"e1\", \"cardNumbers\": [\"a\" \"b\"]}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "number-minus-inside", rota_shift_get_type, "{\"id\": \"s1\", \"breakMinutes\": 1-2}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "number-leading-zero", rota_shift_get_type, "{\"id\": \"s1\", \"breakMinutes\": 015}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "number-bare-point", rota_shift_get_type, "{\"id\": \"s1\", \"breakMinutes\": 1.}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "number-bare-exponent", rota_shift_get_type, "{\"id\": \"s1\", \"breakMinutes\": 1e}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "number-plus", rota_shift_get_type, "{\"id\": \"s1\", \"breakMinutes\": +1}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "unclosed-array", rota_shift_get_type, "[", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "truncated", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\"", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "empty", rota_shift_get_type, "", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "single-quotes", rota_shift_get_type, "{'id': 's1'}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "comment", rota_shift_get_type, "/* shift */ {\"id\": \"s1\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "trailing-garbage", rota_shift_get_type, "{\"id\": \"s1\"} x", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "bad-literal", rota_shift_get_type, "{\"published\": tru}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "escaped-nul", rota_shift_get_type, "{\"id\": \"s1\\u0000evil\", \"departmentId\": \"d1\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "raw-tab-in-string", rota_shift_get_type, "{\"note\": \"a\tb\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "unknown-escape", rota_shift_get_type, "{\"note\": \"a\\qb\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "duplicate-member", rota_shift_get_type, "{\"id\": \"s1\", \"departmentId\": \"d1\", \"id\": \"s2\"}", ROTA_CODEC_ERROR_SYNTAX, "id" },
  { "integer-too-large", rota_shift_get_type, "{\"breakMinutes\": 123456789012345678901}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "two-objects", rota_shift_get_type, "{\"id\": \"s1\"} {\"id\": \"s2\"}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "two-arrays", rota_shift_get_type, "[\"a\"] [\"b\"]", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "object-then-number", rota_shift_get_type, "{\"id\": \"s1\"} 5", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "stray-bracket", rota_shift_get_type, "{\"id\": \"s1\"}}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "duplicate-escaped", rota_employee_get_type, "{\"employeeId\": 1, \"firstName\": \"Alice\", \"first\\u004eame\": \"Mallory\", \"lastName\": \"B\"}", ROTA_CODEC_ERROR_SYNTAX, "firstName" },
  { "duplicate-solidus", rota_shift_get_type, "{\"a/b\": 1, \"a\\/b\": 2}", ROTA_CODEC_ERROR_SYNTAX, "a/b" },
  { "int64-overflow", rota_shift_get_type, "{\"breakMinutes\": 9223372036854775808}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "int64-underflow", rota_shift_get_type, "{\"breakMinutes\": -9223372036854775809}", ROTA_CODEC_ERROR_SYNTAX, NULL },
  { "array-not-object", rota_shift_get_type, "[1, 2]", ROTA_CODEC_ERROR_WRONG_TYPE, NULL },
  { "bare-string", rota_shift_get_type, "\"shift\"", ROTA_CODEC_ERROR_WRONG_TYPE, NULL },
  { "invalid-utf8", rota_shift_get_type, "{" SHIFT_OK "\"note\": \"K\xc3\x28he\"}", ROTA_CODEC_ERROR_INVALID_UTF8, NULL },
  { "overlong-utf8", rota_shift_get_type, "{\"note\": \"\xc0\xaf\"}", ROTA_CODEC_ERROR_INVALID_UTF8, NULL },
  { "missing-id", rota_shift_get_type, "{\"departmentId\": \"d1\", \"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_MISSING_FIELD, "id" },
  { "missing-start", rota_shift_get_type, "{" SHIFT_OK "\"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_MISSING_FIELD, "startDateTime" },
  { "null-required", rota_shift_get_type, "{\"id\": \"s1\", \"departmentId\": null, \"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_MISSING_FIELD, "departmentId" },
  { "start-is-number", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": 1795417200, \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_WRONG_TYPE, "startDateTime" },
  { "break-is-string", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\", \"breakMinutes\": \"30\"}", ROTA_CODEC_ERROR_WRONG_TYPE, "breakMinutes" },
  { "break-is-fraction", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\", \"breakMinutes\": 30.5}", ROTA_CODEC_ERROR_WRONG_TYPE, "breakMinutes" },
  { "break-negative", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\", \"breakMinutes\": -5}", ROTA_CODEC_ERROR_INVALID_VALUE, "breakMinutes" },
  { "published-is-string", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\", \"published\": \"yes\"}", ROTA_CODEC_ERROR_WRONG_TYPE, "published" },
  { "unparsable-time", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"next monday\", \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "startDateTime" },
  { "impossible-date", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-02-30T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "startDateTime" },
  { "time-out-of-range", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"1999-12-31T08:00:00Z\", \"endDateTime\": \"1999-12-31T16:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "startDateTime" },
  { "time-far-future", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2100-01-01T08:00:00Z\", \"endDateTime\": \"2100-01-01T16:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "startDateTime" },
  { "end-before-start", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T16:00:00Z\", \"endDateTime\": \"2026-11-23T08:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "endDateTime" },
  { "end-equals-start", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T08:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "endDateTime" },
  { "shift-over-24h", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-24T08:00:01Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "endDateTime" },
  { "break-longer-than-shift", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T09:00:00Z\", \"breakMinutes\": 60}", ROTA_CODEC_ERROR_INVALID_VALUE, "breakMinutes" },
  { "id-with-slash", rota_shift_get_type, "{\"id\": \"../x\", \"departmentId\": \"d1\", \"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "id" },
  { "id-negative-number", rota_shift_get_type, "{\"id\": -4, \"departmentId\": \"d1\", \"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "id" },
  { "id-is-object", rota_shift_get_type, "{\"id\": {}, \"departmentId\": \"d1\", \"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\"}", ROTA_CODEC_ERROR_WRONG_TYPE, "id" },
  { "note-too-long", rota_shift_get_type, NULL, ROTA_CODEC_ERROR_INVALID_VALUE, "note" },
  { "control-character", rota_shift_get_type, "{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", \"endDateTime\": \"2026-11-23T16:00:00Z\", \"note\": \"a\\u0007b\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "note" },
  { "punch-unknown-kind", rota_punch_get_type, "{\"id\": \"p1\", \"employeeId\": \"e1\", \"kind\": \"lunch\", \"dateTime\": \"2026-11-23T08:00:00Z\", \"source\": \"manual\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "kind" },
  { "punch-kind-none", rota_punch_get_type, "{\"id\": \"p1\", \"employeeId\": \"e1\", \"kind\": \"none\", \"dateTime\": \"2026-11-23T08:00:00Z\", \"source\": \"manual\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "kind" },
  { "punch-bad-source", rota_punch_get_type, "{\"id\": \"p1\", \"employeeId\": \"e1\", \"kind\": \"in\", \"dateTime\": \"2026-11-23T08:00:00Z\", \"source\": \"kiosk:\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "source" },
  { "employee-cards-not-array", rota_employee_get_type, "{\"employeeId\": 1, \"firstName\": \"A\", \"lastName\": \"B\", \"cardNumbers\": \"04A1\"}", ROTA_CODEC_ERROR_WRONG_TYPE, "cardNumbers" },
  { "employee-card-number", rota_employee_get_type, "{\"employeeId\": 1, \"firstName\": \"A\", \"lastName\": \"B\", \"cardNumbers\": [1234]}", ROTA_CODEC_ERROR_WRONG_TYPE, "cardNumbers" },
  { "employee-empty-name", rota_employee_get_type, "{\"employeeId\": 1, \"firstName\": \"\", \"lastName\": \"B\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "firstName" },
  { "employee-bad-birth-date", rota_employee_get_type, "{\"employeeId\": 1, \"firstName\": \"A\", \"lastName\": \"B\", \"dateOfBirth\": \"01.05.2009\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "dateOfBirth" },
  { "employee-hours-too-high", rota_employee_get_type, "{\"employeeId\": 1, \"firstName\": \"A\", \"lastName\": \"B\", \"contractHoursWeek\": 200}", ROTA_CODEC_ERROR_INVALID_VALUE, "contractHoursWeek" },
  { "employee-end-before-start", rota_employee_get_type, "{\"employeeId\": 1, \"firstName\": \"A\", \"lastName\": \"B\", \"employmentStart\": \"2026-01-01\", \"employmentEnd\": \"2025-12-31\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "employmentEnd" },
  { "office-unknown-zone", rota_office_get_type, "{\"id\": \"o1\", \"name\": \"X\", \"timeZone\": \"Mars/Olympus\", \"rulesProfile\": \"de\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "timeZone" },
  { "office-bad-profile", rota_office_get_type, "{\"id\": \"o1\", \"name\": \"X\", \"timeZone\": \"Europe/Berlin\", \"rulesProfile\": \"fr\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "rulesProfile" },
  { "department-bad-color", rota_department_get_type, "{\"id\": \"d1\", \"officeId\": \"o1\", \"name\": \"Bar\", \"color\": \"red\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "color" },
  { "correction-add-without-time", rota_punch_correction_get_type, "{\"id\": \"c1\", \"employeeId\": \"e1\", \"action\": \"add\", \"newKind\": \"out\", \"reasonCode\": \"forgot\", \"author\": \"hr\", \"createdAt\": \"2026-11-23T08:00:00Z\"}", ROTA_CODEC_ERROR_MISSING_FIELD, "newDateTime" },
  { "correction-void-without-punch", rota_punch_correction_get_type, "{\"id\": \"c1\", \"employeeId\": \"e1\", \"action\": \"void\", \"reasonCode\": \"double\", \"author\": \"hr\", \"createdAt\": \"2026-11-23T08:00:00Z\"}", ROTA_CODEC_ERROR_MISSING_FIELD, "punchId" },
  { "correction-without-reason", rota_punch_correction_get_type, "{\"id\": \"c1\", \"punchId\": \"p1\", \"employeeId\": \"e1\", \"action\": \"void\", \"author\": \"hr\", \"createdAt\": \"2026-11-23T08:00:00Z\"}", ROTA_CODEC_ERROR_MISSING_FIELD, "reasonCode" },
  { "absence-end-before-start", rota_absence_get_type, "{\"id\": \"a1\", \"employeeId\": \"e1\", \"kind\": \"sick\", \"startDate\": \"2026-11-24\", \"endDate\": \"2026-11-20\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "endDate" },
  { "availability-both", rota_availability_get_type, "{\"id\": \"v1\", \"employeeId\": \"e1\", \"weekday\": 2, \"date\": \"2026-11-24\", \"from\": \"08:00\", \"to\": \"12:00\", \"kind\": \"available\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "date" },
  { "availability-weekday-8", rota_availability_get_type, "{\"id\": \"v1\", \"employeeId\": \"e1\", \"weekday\": 8, \"from\": \"08:00\", \"to\": \"12:00\", \"kind\": \"available\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "weekday" },
  { "availability-bad-time", rota_availability_get_type, "{\"id\": \"v1\", \"employeeId\": \"e1\", \"weekday\": 2, \"from\": \"8:00\", \"to\": \"12:00\", \"kind\": \"available\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "from" },
  { "availability-to-before-from", rota_availability_get_type, "{\"id\": \"v1\", \"employeeId\": \"e1\", \"weekday\": 2, \"from\": \"12:00\", \"to\": \"08:00\", \"kind\": \"available\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "to" },
  { "approval-bad-state", rota_approval_get_type, "{\"id\": \"a1\", \"employeeId\": \"e1\", \"workDate\": \"2026-11-23\", \"state\": \"maybe\", \"author\": \"hr\", \"createdAt\": \"2026-11-23T08:00:00Z\"}", ROTA_CODEC_ERROR_INVALID_VALUE, "state" },
};

static void
test_codec_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      const Malformed *m = &malformed[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(RotaEntity) entity = NULL;
      g_autofree char *generated = NULL;
      const char *json = m->json;

      if (json == NULL)
        {
          /* 2,001 bytes of note, one over the limit. */
          g_autofree char *note = g_strnfill (2001, 'x');
          json = generated = g_strdup_printf ("{" SHIFT_OK "\"startDateTime\": \"2026-11-23T08:00:00Z\", "
                                              "\"endDateTime\": \"2026-11-23T16:00:00Z\", \"note\": \"%s\"}", note);
        }

      entity = decode_both (m->get_type (), json, &error);
      g_test_message ("%s: %s", m->name, error ? error->message : "(accepted)");
      g_assert_null (entity);
      g_assert_error (error, ROTA_CODEC_ERROR, m->code);
      g_assert_cmpstr (rota_codec_error_get_field (error), ==, m->field);
      if (m->field != NULL)
        g_assert_nonnull (strstr (error->message, m->field));
    }
}

static char *
nested (guint depth)
{
  GString *text = g_string_sized_new (depth * 2 + 16);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');

  return g_string_free (text, FALSE);
}

static void
test_codec_depth (void)
{
  g_autofree char *ok = nested (ROTA_JSON_MAX_DEPTH);
  g_autofree char *deep = nested (ROTA_JSON_MAX_DEPTH + 1);
  g_autofree char *very_deep = nested (100000);
  const char *in_string = "{\"note\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = rota_json_parse (ok, strlen (ok), 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  g_assert_false (rota_json_check (deep, strlen (deep), 0, &error));
  g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* json-glib 1.6 would crash on this one; it must never get it. */
  node = rota_json_parse (very_deep, strlen (very_deep), 0, &error);
  g_assert_null (node);
  g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* Single quotes and comments, which json-glib takes, cannot hide
   * brackets from the scan: they are refused outright. */
  {
    g_autofree char *quoted = g_strdup_printf ("['\"', %s, '\"']", very_deep);
    g_autofree char *commented = g_strdup_printf ("/* \" */ %s /* \" */", very_deep);

    node = rota_json_parse (quoted, strlen (quoted), 0, &error);
    g_assert_null (node);
    g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_SYNTAX);
    g_clear_error (&error);

    node = rota_json_parse (commented, strlen (commented), 0, &error);
    g_assert_null (node);
    g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_SYNTAX);
    g_clear_error (&error);
  }

  /* The largest and smallest 64-bit integers are JSON like any other. */
  {
    const char *limits = "[9223372036854775807, -9223372036854775808, -0.5e-3, 1E+10, -0]";

    g_assert_true (rota_json_check (limits, strlen (limits), 0, &error));
    g_assert_no_error (error);
  }

  /* Many distinct member names cost a hash lookup each, not a search. */
  {
    g_autoptr(GString) wide = g_string_new ("{");

    for (guint i = 0; wide->len < ROTA_JSON_MAX_SIZE - 32; i++)
      g_string_append_printf (wide, "%s\"%06u\":0", i ? "," : "", i);
    g_string_append_c (wide, '}');
    g_assert_true (rota_json_check (wide->str, wide->len, 0, &error));
    g_assert_no_error (error);
  }

  /* The same member name in different objects is fine. */
  {
    const char *nested_ok = "{\"a\": {\"id\": 1}, \"b\": {\"id\": 2}, \"id\": [ {\"id\": 3} ]}";

    g_assert_true (rota_json_check (nested_ok, strlen (nested_ok), 0, &error));
    g_assert_no_error (error);
  }

  /* Brackets inside strings, even after an escaped quote, do not count. */
  g_assert_true (rota_json_check (in_string, strlen (in_string), 0, &error));
  g_assert_no_error (error);
}

static void
test_codec_size (void)
{
  gsize size = ROTA_JSON_MAX_SIZE + 1;
  g_autofree char *big = g_malloc (size);
  g_autoptr(GError) error = NULL;

  memset (big, ' ', size);
  big[0] = '{';
  big[size - 1] = '}';

  g_assert_false (rota_json_check (big, size, 0, &error));
  g_assert_error (error, ROTA_CODEC_ERROR, ROTA_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* The same document passes under a larger cap. */
  g_assert_true (rota_json_check (big, size, size, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/codec/round-trip", test_codec_round_trip);
  g_test_add_func ("/core/codec/dyflexis-names", test_codec_dyflexis_names);
  g_test_add_func ("/core/codec/dyflexis-forms", test_codec_accepts_dyflexis_forms);
  g_test_add_func ("/core/codec/malformed", test_codec_malformed);
  g_test_add_func ("/core/codec/depth", test_codec_depth);
  g_test_add_func ("/core/codec/size", test_codec_size);

  return g_test_run ();
}
