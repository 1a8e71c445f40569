/* rota-entity.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * RotaFieldType:
 * @ROTA_FIELD_ID: a string id; JSON string, an integer is accepted (Dyflexis ids)
 * @ROTA_FIELD_STRING: a UTF-8 string
 * @ROTA_FIELD_INT: a #gint64 within the field's min and max
 * @ROTA_FIELD_DOUBLE: a #gdouble within the field's min and max
 * @ROTA_FIELD_BOOL: a #gboolean
 * @ROTA_FIELD_INSTANT: a #gint64 of seconds since the epoch, UTC; ISO 8601 in JSON; 0 is null
 * @ROTA_FIELD_DATE: a "YYYY-MM-DD" string
 * @ROTA_FIELD_TIME: a "HH:MM" string
 * @ROTA_FIELD_ENUM: an enum value stored as a #gint; its nick in JSON and SQL; 0 is null
 * @ROTA_FIELD_STRV: a %NULL-terminated string array
 *
 * The storage and wire types of an entity field.
 */
typedef enum
{
  ROTA_FIELD_ID,
  ROTA_FIELD_STRING,
  ROTA_FIELD_INT,
  ROTA_FIELD_DOUBLE,
  ROTA_FIELD_BOOL,
  ROTA_FIELD_INSTANT,
  ROTA_FIELD_DATE,
  ROTA_FIELD_TIME,
  ROTA_FIELD_ENUM,
  ROTA_FIELD_STRV,
} RotaFieldType;

/**
 * RotaFieldFlags:
 * @ROTA_FIELD_REQUIRED: must be present and not null
 * @ROTA_FIELD_PERSONAL: personal data, replaced when a copy is anonymised
 * @ROTA_FIELD_KEY: the entity's primary key
 *
 * What the codec and the store need to know of a field beyond its type.
 */
typedef enum
{
  ROTA_FIELD_FLAGS_NONE = 0,
  ROTA_FIELD_REQUIRED   = 1 << 0,
  ROTA_FIELD_PERSONAL   = 1 << 1,
  ROTA_FIELD_KEY        = 1 << 2,
} RotaFieldFlags;

/**
 * RotaField:
 * @name: the SQL column; the property name is the same with '-' for '_'
 * @json_name: the JSON member name
 * @type: the field's type
 * @flags: the field's flags
 * @offset: the offset of the value in the instance structure
 * @min: the smallest value (numbers) or length in bytes (strings)
 * @max: the largest value (numbers) or length in bytes (strings); 0 for no limit
 * @get_enum_type: the enum's get_type function, for %ROTA_FIELD_ENUM
 *
 * One field of an entity, spelled once: the GObject property, the JSON
 * codec and the SQLite columns are all made from this table.
 */
typedef struct
{
  const char     *name;
  const char     *json_name;
  RotaFieldType   type;
  RotaFieldFlags  flags;
  guint           offset;
  gint64          min;
  gint64          max;
  GType         (*get_enum_type) (void);
} RotaField;

#define ROTA_TYPE_ENTITY (rota_entity_get_type ())

G_DECLARE_DERIVABLE_TYPE (RotaEntity, rota_entity, ROTA, ENTITY, GObject)

struct _RotaEntityClass
{
  GObjectClass parent_class;

  /*< public >*/
  const char      *kind;
  const RotaField *fields;
  guint            n_fields;
  int              id_field;

  gboolean (*validate) (RotaEntity  *self,
                        const char **field,
                        GError     **error);

  /*< private >*/
  gpointer _reserved[8];
};

void             rota_entity_class_install_fields (RotaEntityClass  *klass,
                                                   const char       *kind,
                                                   const RotaField  *fields,
                                                   guint             n_fields);
const RotaField *rota_entity_class_find_field     (RotaEntityClass  *klass,
                                                   const char       *name);

const char      *rota_entity_get_kind             (RotaEntity       *self);
const char      *rota_entity_get_id               (RotaEntity       *self);
gint64           rota_entity_get_version          (RotaEntity       *self);
gint64           rota_entity_get_updated_at       (RotaEntity       *self);
RotaEntity      *rota_entity_copy                 (RotaEntity       *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean         rota_entity_equal                (RotaEntity       *a,
                                                   RotaEntity       *b);
gboolean         rota_entity_validate             (RotaEntity       *self,
                                                   const char      **field,
                                                   GError          **error);

GType            rota_entity_type_from_kind       (const char       *kind);
const GType     *rota_entity_get_types            (guint            *n_types);

/* Raw access by field, for the codec and the store. */
#define ROTA_FIELD_PTR(obj, field, ctype) ((ctype *) (gpointer) (((guint8 *) (obj)) + (field)->offset))

void             rota_entity_set_string_field     (RotaEntity       *self,
                                                   const RotaField  *field,
                                                   const char       *value);
void             rota_entity_set_strv_field       (RotaEntity       *self,
                                                   const RotaField  *field,
                                                   const char * const *value);

G_END_DECLS
