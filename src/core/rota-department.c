/* rota-department.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-department"

#include "config.h"

#include <string.h>

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaDepartment:
 *
 * A department of an office; departments may nest.
 */

G_DEFINE_FINAL_TYPE (RotaDepartment, rota_department, ROTA_TYPE_ENTITY)

static const RotaField department_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaDepartment),
  { "office_id", "officeId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaDepartment, office_id), 0, 0, NULL },
  { "parent_id", "parentId", ROTA_FIELD_ID, 0, G_STRUCT_OFFSET (RotaDepartment, parent_id), 0, 0, NULL },
  { "name", "name", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaDepartment, name), 1, 200, NULL },
  { "color", "color", ROTA_FIELD_STRING, 0, G_STRUCT_OFFSET (RotaDepartment, color), 0, 7, NULL },
};

static gboolean
color_is_valid (const char *color)
{
  if (strlen (color) != 7 || color[0] != '#')
    return FALSE;

  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;

  return TRUE;
}

static gboolean
rota_department_validate (RotaEntity  *entity,
                          const char **field,
                          GError     **error)
{
  RotaDepartment *self = ROTA_DEPARTMENT (entity);

  if (self->color != NULL && !color_is_valid (self->color))
    {
      *field = "color";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "color: not a colour of the form #rrggbb");
      return FALSE;
    }

  if (self->parent_id != NULL && g_strcmp0 (self->parent_id, self->id) == 0)
    {
      *field = "parentId";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "parentId: a department cannot be its own parent");
      return FALSE;
    }

  return TRUE;
}

static void
rota_department_class_init (RotaDepartmentClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "department", department_fields, G_N_ELEMENTS (department_fields));

  entity_class->validate = rota_department_validate;
}

static void
rota_department_init (RotaDepartment *self)
{
}

/**
 * rota_department_new:
 *
 * Returns: (transfer full): a new, empty #RotaDepartment
 */
RotaDepartment *
rota_department_new (void)
{
  return g_object_new (ROTA_TYPE_DEPARTMENT, NULL);
}

const char *
rota_department_get_office_id (RotaDepartment *self)
{
  g_return_val_if_fail (ROTA_IS_DEPARTMENT (self), NULL);

  return self->office_id;
}

const char *
rota_department_get_parent_id (RotaDepartment *self)
{
  g_return_val_if_fail (ROTA_IS_DEPARTMENT (self), NULL);

  return self->parent_id;
}

const char *
rota_department_get_name (RotaDepartment *self)
{
  g_return_val_if_fail (ROTA_IS_DEPARTMENT (self), NULL);

  return self->name;
}

const char *
rota_department_get_color (RotaDepartment *self)
{
  g_return_val_if_fail (ROTA_IS_DEPARTMENT (self), NULL);

  return self->color;
}
