/* rota-punch-correction.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-punch-correction"

#include "config.h"

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaPunchCorrection:
 *
 * A correction of the punches: adds, moves or voids one, with a reason and an author.
 */

G_DEFINE_FINAL_TYPE (RotaPunchCorrection, rota_punch_correction, ROTA_TYPE_ENTITY)

static const RotaField punch_correction_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaPunchCorrection),
  { "punch_id", "punchId", ROTA_FIELD_ID, 0, G_STRUCT_OFFSET (RotaPunchCorrection, punch_id), 0, 0, NULL },
  { "employee_id", "employeeId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunchCorrection, employee_id), 0, 0, NULL },
  { "action", "action", ROTA_FIELD_ENUM, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunchCorrection, action), 0, 0, rota_correction_action_get_type },
  { "new_kind", "newKind", ROTA_FIELD_ENUM, 0, G_STRUCT_OFFSET (RotaPunchCorrection, new_kind), 0, 0, rota_punch_kind_get_type },
  { "new_at", "newDateTime", ROTA_FIELD_INSTANT, 0, G_STRUCT_OFFSET (RotaPunchCorrection, new_at), 0, 0, NULL },
  { "reason_code", "reasonCode", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunchCorrection, reason_code), 1, 64, NULL },
  { "reason_text", "reasonText", ROTA_FIELD_STRING, 0, G_STRUCT_OFFSET (RotaPunchCorrection, reason_text), 0, 2000, NULL },
  { "author", "author", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunchCorrection, author), 1, 200, NULL },
  { "created_at", "createdAt", ROTA_FIELD_INSTANT, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunchCorrection, created_at), 0, 0, NULL },
};

static gboolean
rota_punch_correction_validate (RotaEntity  *entity,
                                const char **field,
                                GError     **error)
{
  RotaPunchCorrection *self = ROTA_PUNCH_CORRECTION (entity);

  switch (self->action)
    {
    case ROTA_CORRECTION_ACTION_ADD:
      if (self->punch_id != NULL)
        {
          *field = "punchId";
          rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                                "punchId: an added punch refers to no punch");
          return FALSE;
        }
      if (self->new_kind == ROTA_PUNCH_KIND_NONE)
        {
          *field = "newKind";
          rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, *field,
                                "newKind: required to add a punch");
          return FALSE;
        }
      if (self->new_at == 0)
        {
          *field = "newDateTime";
          rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, *field,
                                "newDateTime: required to add a punch");
          return FALSE;
        }
      return TRUE;

    case ROTA_CORRECTION_ACTION_MOVE:
      if (self->new_at == 0)
        {
          *field = "newDateTime";
          rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, *field,
                                "newDateTime: required to move a punch");
          return FALSE;
        }
      G_GNUC_FALLTHROUGH;

    case ROTA_CORRECTION_ACTION_VOID:
      if (self->punch_id == NULL)
        {
          *field = "punchId";
          rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, *field,
                                "punchId: required to move or void a punch");
          return FALSE;
        }
      return TRUE;

    case ROTA_CORRECTION_ACTION_NONE:
    default:
      *field = "action";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_MISSING_FIELD, *field, "action: required");
      return FALSE;
    }
}

static void
rota_punch_correction_class_init (RotaPunchCorrectionClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "punch_correction", punch_correction_fields, G_N_ELEMENTS (punch_correction_fields));

  entity_class->validate = rota_punch_correction_validate;
}

static void
rota_punch_correction_init (RotaPunchCorrection *self)
{
}

/**
 * rota_punch_correction_new:
 *
 * Returns: (transfer full): a new, empty #RotaPunchCorrection
 */
RotaPunchCorrection *
rota_punch_correction_new (void)
{
  return g_object_new (ROTA_TYPE_PUNCH_CORRECTION, NULL);
}

const char *
rota_punch_correction_get_punch_id (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), NULL);

  return self->punch_id;
}

const char *
rota_punch_correction_get_employee_id (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), NULL);

  return self->employee_id;
}

RotaCorrectionAction
rota_punch_correction_get_action (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), 0);

  return self->action;
}

RotaPunchKind
rota_punch_correction_get_new_kind (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), 0);

  return self->new_kind;
}

gint64
rota_punch_correction_get_new_at (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), 0);

  return self->new_at;
}

const char *
rota_punch_correction_get_reason_code (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), NULL);

  return self->reason_code;
}

const char *
rota_punch_correction_get_reason_text (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), NULL);

  return self->reason_text;
}

const char *
rota_punch_correction_get_author (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), NULL);

  return self->author;
}

gint64
rota_punch_correction_get_created_at (RotaPunchCorrection *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH_CORRECTION (self), 0);

  return self->created_at;
}
