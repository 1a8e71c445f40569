/* rota-punch.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-punch"

#include "config.h"

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-model-private.h"
#include "rota-time.h"

/**
 * RotaPunch:
 *
 * A clock punch. Punches are facts: never changed, only corrected by a #RotaPunchCorrection.
 */

G_DEFINE_FINAL_TYPE (RotaPunch, rota_punch, ROTA_TYPE_ENTITY)

static const RotaField punch_fields[] = {
  ROTA_IDENTITY_FIELDS (RotaPunch),
  { "employee_id", "employeeId", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunch, employee_id), 0, 0, NULL },
  { "kind", "kind", ROTA_FIELD_ENUM, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunch, kind), 0, 0, rota_punch_kind_get_type },
  { "at", "dateTime", ROTA_FIELD_INSTANT, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunch, at), 0, 0, NULL },
  { "source", "source", ROTA_FIELD_STRING, ROTA_FIELD_REQUIRED, G_STRUCT_OFFSET (RotaPunch, source), 1, 128, NULL },
  { "device_seq", "deviceSeq", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaPunch, device_seq), 0, G_MAXINT64, NULL },
  { "device_monotonic_ms", "deviceMonotonicMs", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (RotaPunch, device_monotonic_ms), 0, G_MAXINT64, NULL },
  { "device_boot_id", "deviceBootId", ROTA_FIELD_STRING, 0, G_STRUCT_OFFSET (RotaPunch, device_boot_id), 0, 64, NULL },
  { "time_untrusted", "timeUntrusted", ROTA_FIELD_BOOL, 0, G_STRUCT_OFFSET (RotaPunch, time_untrusted), 0, 0, NULL },
  { "received_at", "receivedAt", ROTA_FIELD_INSTANT, 0, G_STRUCT_OFFSET (RotaPunch, received_at), 0, 0, NULL },
};

static gboolean
rota_punch_validate (RotaEntity  *entity,
                     const char **field,
                     GError     **error)
{
  RotaPunch *self = ROTA_PUNCH (entity);

  /* kiosk:<device>, terminal or manual (DESIGN §2). */
  if (!(g_str_has_prefix (self->source, "kiosk:") && self->source[6] != '\0') &&
      g_strcmp0 (self->source, "terminal") != 0 &&
      g_strcmp0 (self->source, "manual") != 0)
    {
      *field = "source";
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, *field,
                            "source: must be kiosk:<device>, terminal or manual");
      return FALSE;
    }

  return TRUE;
}

static void
rota_punch_class_init (RotaPunchClass *klass)
{
  RotaEntityClass *entity_class = ROTA_ENTITY_CLASS (klass);

  rota_entity_class_install_fields (entity_class, "punch", punch_fields, G_N_ELEMENTS (punch_fields));

  entity_class->validate = rota_punch_validate;
}

static void
rota_punch_init (RotaPunch *self)
{
}

/**
 * rota_punch_new:
 *
 * Returns: (transfer full): a new, empty #RotaPunch
 */
RotaPunch *
rota_punch_new (void)
{
  return g_object_new (ROTA_TYPE_PUNCH, NULL);
}

const char *
rota_punch_get_employee_id (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), NULL);

  return self->employee_id;
}

RotaPunchKind
rota_punch_get_kind (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), 0);

  return self->kind;
}

gint64
rota_punch_get_at (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), 0);

  return self->at;
}

const char *
rota_punch_get_source (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), NULL);

  return self->source;
}

gint64
rota_punch_get_device_seq (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), 0);

  return self->device_seq;
}

gint64
rota_punch_get_device_monotonic_ms (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), 0);

  return self->device_monotonic_ms;
}

const char *
rota_punch_get_device_boot_id (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), NULL);

  return self->device_boot_id;
}

gboolean
rota_punch_get_time_untrusted (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), 0);

  return self->time_untrusted;
}

gint64
rota_punch_get_received_at (RotaPunch *self)
{
  g_return_val_if_fail (ROTA_IS_PUNCH (self), 0);

  return self->received_at;
}
