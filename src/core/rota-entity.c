/* rota-entity.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-entity"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include "rota-codec.h"
#include "rota-entity.h"
#include "rota-enum-types.h"
#include "rota-models.h"
#include "rota-time.h"

/* Strings without an explicit maximum are capped all the same, so that no
 * field can carry a document of its own. */
#define DEFAULT_STRING_MAX 4096
#define MAX_STRV_LENGTH    64

G_DEFINE_ABSTRACT_TYPE (RotaEntity, rota_entity, G_TYPE_OBJECT)

/* g_set_str() is GLib 2.76; we build against 2.74. */
static gboolean
set_str (char       **ptr,
         const char  *value)
{
  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  g_free (*ptr);
  *ptr = g_strdup (value);

  return TRUE;
}

static const RotaField *
field_for_property (GObject *object,
                    guint    prop_id)
{
  RotaEntityClass *klass = ROTA_ENTITY_GET_CLASS (object);

  g_assert (prop_id >= 1 && prop_id <= klass->n_fields);

  return &klass->fields[prop_id - 1];
}

static void
rota_entity_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  const RotaField *field = field_for_property (object, prop_id);

  switch (field->type)
    {
    case ROTA_FIELD_ID:
    case ROTA_FIELD_STRING:
    case ROTA_FIELD_DATE:
    case ROTA_FIELD_TIME:
      g_value_set_string (value, *ROTA_FIELD_PTR (object, field, char *));
      break;

    case ROTA_FIELD_INT:
    case ROTA_FIELD_INSTANT:
      g_value_set_int64 (value, *ROTA_FIELD_PTR (object, field, gint64));
      break;

    case ROTA_FIELD_DOUBLE:
      g_value_set_double (value, *ROTA_FIELD_PTR (object, field, gdouble));
      break;

    case ROTA_FIELD_BOOL:
      g_value_set_boolean (value, *ROTA_FIELD_PTR (object, field, gboolean));
      break;

    case ROTA_FIELD_ENUM:
      g_value_set_enum (value, *ROTA_FIELD_PTR (object, field, int));
      break;

    case ROTA_FIELD_STRV:
      g_value_set_boxed (value, *ROTA_FIELD_PTR (object, field, char **));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_entity_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  const RotaField *field = field_for_property (object, prop_id);
  gboolean changed = FALSE;

  switch (field->type)
    {
    case ROTA_FIELD_ID:
    case ROTA_FIELD_STRING:
    case ROTA_FIELD_DATE:
    case ROTA_FIELD_TIME:
      changed = set_str (ROTA_FIELD_PTR (object, field, char *), g_value_get_string (value));
      break;

    case ROTA_FIELD_INT:
    case ROTA_FIELD_INSTANT:
      {
        gint64 *ptr = ROTA_FIELD_PTR (object, field, gint64);
        changed = *ptr != g_value_get_int64 (value);
        *ptr = g_value_get_int64 (value);
      }
      break;

    case ROTA_FIELD_DOUBLE:
      {
        gdouble *ptr = ROTA_FIELD_PTR (object, field, gdouble);
        changed = *ptr != g_value_get_double (value);
        *ptr = g_value_get_double (value);
      }
      break;

    case ROTA_FIELD_BOOL:
      {
        gboolean *ptr = ROTA_FIELD_PTR (object, field, gboolean);
        changed = *ptr != !!g_value_get_boolean (value);
        *ptr = !!g_value_get_boolean (value);
      }
      break;

    case ROTA_FIELD_ENUM:
      {
        int *ptr = ROTA_FIELD_PTR (object, field, int);
        changed = *ptr != g_value_get_enum (value);
        *ptr = g_value_get_enum (value);
      }
      break;

    case ROTA_FIELD_STRV:
      {
        char ***ptr = ROTA_FIELD_PTR (object, field, char **);
        const char * const *strv = g_value_get_boxed (value);

        changed = !g_strv_equal ((const char * const *) (*ptr ? *ptr : (char *[]) { NULL }),
                                 strv ? strv : (const char * const[]) { NULL });
        if (changed)
          {
            g_strfreev (*ptr);
            *ptr = g_strdupv ((char **) strv);
          }
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
rota_entity_finalize (GObject *object)
{
  RotaEntityClass *klass = ROTA_ENTITY_GET_CLASS (object);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const RotaField *field = &klass->fields[i];

      if (field->type == ROTA_FIELD_STRV)
        g_clear_pointer (ROTA_FIELD_PTR (object, field, char **), g_strfreev);
      else if (field->type == ROTA_FIELD_ID ||
               field->type == ROTA_FIELD_STRING ||
               field->type == ROTA_FIELD_DATE ||
               field->type == ROTA_FIELD_TIME)
        g_clear_pointer (ROTA_FIELD_PTR (object, field, char *), g_free);
    }

  G_OBJECT_CLASS (rota_entity_parent_class)->finalize (object);
}

static void
rota_entity_class_init (RotaEntityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rota_entity_get_property;
  object_class->set_property = rota_entity_set_property;
  object_class->finalize = rota_entity_finalize;

  klass->id_field = -1;
}

static void
rota_entity_init (RotaEntity *self)
{
}

static GParamSpec *
param_spec_for_field (const RotaField *field,
                      const char      *name)
{
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  switch (field->type)
    {
    case ROTA_FIELD_ID:
    case ROTA_FIELD_STRING:
    case ROTA_FIELD_DATE:
    case ROTA_FIELD_TIME:
      return g_param_spec_string (name, NULL, NULL, NULL, flags);

    case ROTA_FIELD_INT:
      return g_param_spec_int64 (name, NULL, NULL,
                                 field->min, field->max > field->min ? field->max : G_MAXINT64,
                                 field->min, flags);

    case ROTA_FIELD_INSTANT:
      return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0, flags);

    case ROTA_FIELD_DOUBLE:
      return g_param_spec_double (name, NULL, NULL,
                                  (double) field->min, (double) field->max, (double) field->min, flags);

    case ROTA_FIELD_BOOL:
      return g_param_spec_boolean (name, NULL, NULL, FALSE, flags);

    case ROTA_FIELD_ENUM:
      return g_param_spec_enum (name, NULL, NULL, field->get_enum_type (), 0, flags);

    case ROTA_FIELD_STRV:
      return g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, flags);

    default:
      g_assert_not_reached ();
    }
}

/**
 * rota_entity_class_install_fields:
 * @klass: an entity class
 * @kind: the entity's name in JSON, SQL and the audit trail, such as "shift"
 * @fields: (array length=n_fields): the field table, alive for the process
 * @n_fields: the number of fields
 *
 * Installs one property per field. Called from a subclass's class_init.
 */
void
rota_entity_class_install_fields (RotaEntityClass *klass,
                                  const char      *kind,
                                  const RotaField *fields,
                                  guint            n_fields)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  g_return_if_fail (ROTA_IS_ENTITY_CLASS (klass));
  g_return_if_fail (kind != NULL);
  g_return_if_fail (fields != NULL && n_fields > 0);

  /* GObject does not inherit get_property and set_property, since
   * property ids belong to one class; every model uses the generic ones. */
  object_class->get_property = rota_entity_get_property;
  object_class->set_property = rota_entity_set_property;

  klass->kind = kind;
  klass->fields = fields;
  klass->n_fields = n_fields;
  klass->id_field = -1;

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (fields[i].name), "_", '-');

      if (fields[i].flags & ROTA_FIELD_KEY)
        klass->id_field = i;

      g_object_class_install_property (object_class, i + 1,
                                       param_spec_for_field (&fields[i], g_intern_string (name)));
    }
}

/**
 * rota_entity_class_find_field:
 * @klass: an entity class
 * @name: a column name, such as "employee_id"
 *
 * Returns: (nullable) (transfer none): the field, or %NULL
 */
const RotaField *
rota_entity_class_find_field (RotaEntityClass *klass,
                              const char      *name)
{
  g_return_val_if_fail (ROTA_IS_ENTITY_CLASS (klass), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < klass->n_fields; i++)
    if (strcmp (klass->fields[i].name, name) == 0)
      return &klass->fields[i];

  return NULL;
}

const char *
rota_entity_get_kind (RotaEntity *self)
{
  g_return_val_if_fail (ROTA_IS_ENTITY (self), NULL);

  return ROTA_ENTITY_GET_CLASS (self)->kind;
}

/**
 * rota_entity_get_id:
 * @self: an entity
 *
 * Returns: (nullable): the entity's id; %NULL for an entity without one (audit entries)
 */
const char *
rota_entity_get_id (RotaEntity *self)
{
  RotaEntityClass *klass;
  const RotaField *field;

  g_return_val_if_fail (ROTA_IS_ENTITY (self), NULL);

  klass = ROTA_ENTITY_GET_CLASS (self);
  if (klass->id_field < 0)
    return NULL;

  field = &klass->fields[klass->id_field];
  if (field->type != ROTA_FIELD_ID)
    return NULL;

  return *ROTA_FIELD_PTR (self, field, char *);
}

static gint64
get_int_field (RotaEntity *self,
               const char *name)
{
  const RotaField *field = rota_entity_class_find_field (ROTA_ENTITY_GET_CLASS (self), name);

  return field != NULL ? *ROTA_FIELD_PTR (self, field, gint64) : 0;
}

gint64
rota_entity_get_version (RotaEntity *self)
{
  g_return_val_if_fail (ROTA_IS_ENTITY (self), 0);

  return get_int_field (self, "version");
}

gint64
rota_entity_get_updated_at (RotaEntity *self)
{
  g_return_val_if_fail (ROTA_IS_ENTITY (self), 0);

  return get_int_field (self, "updated_at");
}

void
rota_entity_set_string_field (RotaEntity      *self,
                              const RotaField *field,
                              const char      *value)
{
  g_return_if_fail (ROTA_IS_ENTITY (self));
  g_return_if_fail (field != NULL);

  set_str (ROTA_FIELD_PTR (self, field, char *), value);
}

void
rota_entity_set_strv_field (RotaEntity         *self,
                            const RotaField    *field,
                            const char * const *value)
{
  char ***ptr;

  g_return_if_fail (ROTA_IS_ENTITY (self));
  g_return_if_fail (field != NULL && field->type == ROTA_FIELD_STRV);

  ptr = ROTA_FIELD_PTR (self, field, char **);
  g_strfreev (*ptr);
  *ptr = g_strdupv ((char **) value);
}

/**
 * rota_entity_copy:
 * @self: an entity
 *
 * Returns: (transfer full): a deep copy of @self
 */
RotaEntity *
rota_entity_copy (RotaEntity *self)
{
  RotaEntityClass *klass;
  RotaEntity *copy;

  g_return_val_if_fail (ROTA_IS_ENTITY (self), NULL);

  klass = ROTA_ENTITY_GET_CLASS (self);
  copy = g_object_new (G_OBJECT_TYPE (self), NULL);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const RotaField *field = &klass->fields[i];

      switch (field->type)
        {
        case ROTA_FIELD_ID:
        case ROTA_FIELD_STRING:
        case ROTA_FIELD_DATE:
        case ROTA_FIELD_TIME:
          set_str (ROTA_FIELD_PTR (copy, field, char *), *ROTA_FIELD_PTR (self, field, char *));
          break;

        case ROTA_FIELD_STRV:
          rota_entity_set_strv_field (copy, field, (const char * const *) *ROTA_FIELD_PTR (self, field, char **));
          break;

        case ROTA_FIELD_INT:
        case ROTA_FIELD_INSTANT:
          *ROTA_FIELD_PTR (copy, field, gint64) = *ROTA_FIELD_PTR (self, field, gint64);
          break;

        case ROTA_FIELD_DOUBLE:
          *ROTA_FIELD_PTR (copy, field, gdouble) = *ROTA_FIELD_PTR (self, field, gdouble);
          break;

        case ROTA_FIELD_BOOL:
          *ROTA_FIELD_PTR (copy, field, gboolean) = *ROTA_FIELD_PTR (self, field, gboolean);
          break;

        case ROTA_FIELD_ENUM:
          *ROTA_FIELD_PTR (copy, field, int) = *ROTA_FIELD_PTR (self, field, int);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return copy;
}

static gboolean
strv_equal_nullable (char **a,
                     char **b)
{
  static const char * const empty[] = { NULL };

  return g_strv_equal (a ? (const char * const *) a : empty,
                       b ? (const char * const *) b : empty);
}

/**
 * rota_entity_equal:
 * @a: an entity
 * @b: another entity
 *
 * Returns: %TRUE if @a and @b are of the same type and every field is equal
 */
gboolean
rota_entity_equal (RotaEntity *a,
                   RotaEntity *b)
{
  RotaEntityClass *klass;

  g_return_val_if_fail (ROTA_IS_ENTITY (a), FALSE);
  g_return_val_if_fail (ROTA_IS_ENTITY (b), FALSE);

  if (G_OBJECT_TYPE (a) != G_OBJECT_TYPE (b))
    return FALSE;

  klass = ROTA_ENTITY_GET_CLASS (a);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const RotaField *field = &klass->fields[i];
      gboolean same;

      switch (field->type)
        {
        case ROTA_FIELD_ID:
        case ROTA_FIELD_STRING:
        case ROTA_FIELD_DATE:
        case ROTA_FIELD_TIME:
          same = g_strcmp0 (*ROTA_FIELD_PTR (a, field, char *), *ROTA_FIELD_PTR (b, field, char *)) == 0;
          break;

        case ROTA_FIELD_STRV:
          same = strv_equal_nullable (*ROTA_FIELD_PTR (a, field, char **), *ROTA_FIELD_PTR (b, field, char **));
          break;

        case ROTA_FIELD_INT:
        case ROTA_FIELD_INSTANT:
          same = *ROTA_FIELD_PTR (a, field, gint64) == *ROTA_FIELD_PTR (b, field, gint64);
          break;

        case ROTA_FIELD_DOUBLE:
          same = *ROTA_FIELD_PTR (a, field, gdouble) == *ROTA_FIELD_PTR (b, field, gdouble);
          break;

        case ROTA_FIELD_BOOL:
          same = *ROTA_FIELD_PTR (a, field, gboolean) == *ROTA_FIELD_PTR (b, field, gboolean);
          break;

        case ROTA_FIELD_ENUM:
          same = *ROTA_FIELD_PTR (a, field, int) == *ROTA_FIELD_PTR (b, field, int);
          break;

        default:
          g_assert_not_reached ();
        }

      if (!same)
        return FALSE;
    }

  return TRUE;
}

static gboolean
id_is_valid (const char *id,
             gsize       max)
{
  gsize len = strlen (id);

  if (len == 0 || len > max)
    return FALSE;

  /* Ids end up in URL paths and log lines: printable ASCII, no spaces,
   * no slashes. */
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.' && *p != ':')
      return FALSE;

  return TRUE;
}

static gboolean
validate_string (const RotaField  *field,
                 const char       *value,
                 GError          **error)
{
  gsize max = field->max > 0 ? (gsize) field->max : DEFAULT_STRING_MAX;
  gsize len = strlen (value);

  if (!g_utf8_validate (value, len, NULL))
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_UTF8, field->json_name,
                            "%s: not valid UTF-8", field->json_name);
      return FALSE;
    }

  if (len < (gsize) MAX (field->min, 0))
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, field->json_name,
                            "%s: must not be empty", field->json_name);
      return FALSE;
    }

  if (len > max)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, field->json_name,
                            "%s: longer than %zu bytes", field->json_name, max);
      return FALSE;
    }

  for (const char *p = value; *p; p++)
    {
      if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t')
        {
          rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, field->json_name,
                                "%s: contains a control character", field->json_name);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
validate_field (RotaEntity       *self,
                const RotaField  *field,
                GError          **error)
{
  const char *name = field->json_name;
  gboolean required = (field->flags & ROTA_FIELD_REQUIRED) != 0;

  switch (field->type)
    {
    case ROTA_FIELD_ID:
    case ROTA_FIELD_STRING:
    case ROTA_FIELD_DATE:
    case ROTA_FIELD_TIME:
      {
        const char *value = *ROTA_FIELD_PTR (self, field, char *);

        if (value == NULL)
          {
            if (required)
              {
                rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, name,
                                      "%s: required", name);
                return FALSE;
              }
            return TRUE;
          }

        if (field->type == ROTA_FIELD_ID && !id_is_valid (value, field->max > 0 ? field->max : 64))
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: not a valid id (1 to 64 letters, digits, '-', '_', '.' or ':')", name);
            return FALSE;
          }
        if (field->type == ROTA_FIELD_DATE && !rota_date_is_valid (value))
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: not a date of the form YYYY-MM-DD between %d and %d",
                                  name, ROTA_DATE_YEAR_MIN, ROTA_DATE_YEAR_MAX);
            return FALSE;
          }
        if (field->type == ROTA_FIELD_TIME && !rota_time_of_day_is_valid (value))
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: not a time of day of the form HH:MM", name);
            return FALSE;
          }
        if (field->type == ROTA_FIELD_STRING && !validate_string (field, value, error))
          return FALSE;
      }
      return TRUE;

    case ROTA_FIELD_STRV:
      {
        char **strv = *ROTA_FIELD_PTR (self, field, char **);
        guint n = strv ? g_strv_length (strv) : 0;

        if (n > MAX_STRV_LENGTH)
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: more than %d entries", name, MAX_STRV_LENGTH);
            return FALSE;
          }
        for (guint i = 0; i < n; i++)
          if (!validate_string (field, strv[i], error))
            return FALSE;
      }
      return TRUE;

    case ROTA_FIELD_INT:
      {
        gint64 value = *ROTA_FIELD_PTR (self, field, gint64);

        if (value < field->min || (field->max > field->min && value > field->max))
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: %" PRId64 " is outside %" PRId64 "..%" PRId64,
                                  name, value, field->min, field->max);
            return FALSE;
          }
      }
      return TRUE;

    case ROTA_FIELD_DOUBLE:
      {
        gdouble value = *ROTA_FIELD_PTR (self, field, gdouble);

        if (!isfinite (value) || value < (gdouble) field->min || value > (gdouble) field->max)
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: %g is outside %" PRId64 "..%" PRId64,
                                  name, value, field->min, field->max);
            return FALSE;
          }
      }
      return TRUE;

    case ROTA_FIELD_INSTANT:
      {
        gint64 value = *ROTA_FIELD_PTR (self, field, gint64);

        if (value == 0 && !required)
          return TRUE;
        if (value == 0)
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, name, "%s: required", name);
            return FALSE;
          }
        if (!rota_instant_is_valid (value))
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: outside the years 2000 to 2099", name);
            return FALSE;
          }
      }
      return TRUE;

    case ROTA_FIELD_ENUM:
      {
        int value = *ROTA_FIELD_PTR (self, field, int);
        g_autoptr(GEnumClass) enum_class = g_type_class_ref (field->get_enum_type ());

        if (g_enum_get_value (enum_class, value) == NULL)
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: unknown value %d", name, value);
            return FALSE;
          }
        if (value == 0 && required)
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, name, "%s: required", name);
            return FALSE;
          }
      }
      return TRUE;

    case ROTA_FIELD_BOOL:
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/**
 * rota_entity_validate:
 * @self: an entity
 * @field: (out) (optional) (transfer none): the JSON name of the first bad field
 * @error: a location for a #GError in the %ROTA_CODEC_ERROR domain
 *
 * Checks every field against its type and range, then the rules that
 * tie fields together (a shift's end after its start, and so on). The
 * codec runs this on everything it decodes, and the store on everything
 * it writes.
 *
 * Returns: %TRUE if @self is valid
 */
gboolean
rota_entity_validate (RotaEntity  *self,
                      const char **field,
                      GError     **error)
{
  RotaEntityClass *klass;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ROTA_IS_ENTITY (self), FALSE);

  klass = ROTA_ENTITY_GET_CLASS (self);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      if (!validate_field (self, &klass->fields[i], &local_error))
        {
          if (field != NULL)
            *field = klass->fields[i].json_name;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (klass->validate != NULL)
    {
      const char *bad = NULL;

      if (!klass->validate (self, &bad, &local_error))
        {
          if (field != NULL)
            *field = bad;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

static GType entity_types[10];

static gpointer
register_types (gpointer data)
{
  guint i = 0;

  entity_types[i++] = ROTA_TYPE_OFFICE;
  entity_types[i++] = ROTA_TYPE_DEPARTMENT;
  entity_types[i++] = ROTA_TYPE_EMPLOYEE;
  entity_types[i++] = ROTA_TYPE_SHIFT;
  entity_types[i++] = ROTA_TYPE_PUNCH;
  entity_types[i++] = ROTA_TYPE_PUNCH_CORRECTION;
  entity_types[i++] = ROTA_TYPE_APPROVAL;
  entity_types[i++] = ROTA_TYPE_ABSENCE;
  entity_types[i++] = ROTA_TYPE_AVAILABILITY;
  entity_types[i++] = ROTA_TYPE_AUDIT_ENTRY;
  g_assert (i == G_N_ELEMENTS (entity_types));

  /* Make sure every class is initialised, so that its kind is known. */
  for (i = 0; i < G_N_ELEMENTS (entity_types); i++)
    g_type_class_ref (entity_types[i]);

  return NULL;
}

/**
 * rota_entity_get_types:
 * @n_types: (out): the number of types
 *
 * Returns: (array length=n_types) (transfer none): every entity type, in
 *   the order a store creates and a change feed applies them
 */
const GType *
rota_entity_get_types (guint *n_types)
{
  static GOnce once = G_ONCE_INIT;

  g_return_val_if_fail (n_types != NULL, NULL);

  g_once (&once, register_types, NULL);
  *n_types = G_N_ELEMENTS (entity_types);

  return entity_types;
}

/**
 * rota_entity_type_from_kind:
 * @kind: an entity kind such as "shift"
 *
 * Returns: the entity's #GType, or %G_TYPE_INVALID for an unknown kind
 */
GType
rota_entity_type_from_kind (const char *kind)
{
  const GType *types;
  guint n_types;

  g_return_val_if_fail (kind != NULL, G_TYPE_INVALID);

  types = rota_entity_get_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (types[i]);

      if (g_strcmp0 (ROTA_ENTITY_CLASS (klass)->kind, kind) == 0)
        return types[i];
    }

  return G_TYPE_INVALID;
}
