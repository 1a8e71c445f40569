/* rota-model-private.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rota-entity.h"
#include "rota-enums.h"
#include "rota-models.h"

G_BEGIN_DECLS

/*
 * The instance structures of the model types. Only src/core sees them:
 * the codec and the store go through the field tables, the demo
 * generator and the store fill them directly for speed.
 */

#define ROTA_IDENTITY_FIELDS(Type) \
  { "id", "id", ROTA_FIELD_ID, ROTA_FIELD_REQUIRED | ROTA_FIELD_KEY, G_STRUCT_OFFSET (Type, id), 1, 64, NULL }, \
  { "version", "version", ROTA_FIELD_INT, 0, G_STRUCT_OFFSET (Type, version), 0, G_MAXINT64, NULL }, \
  { "updated_at", "updatedAt", ROTA_FIELD_INSTANT, 0, G_STRUCT_OFFSET (Type, updated_at), 0, 0, NULL }

struct _RotaOffice
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *name;
  char *time_zone;
  RotaRulesProfile rules_profile;
  gint64 punch_grace_minutes;
  gint64 punch_rounding_minutes;
  RotaPunchRounding punch_rounding_mode;
  gboolean punch_early_from_plan;
};

struct _RotaDepartment
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *office_id;
  char *parent_id;
  char *name;
  char *color;
};

struct _RotaEmployee
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *personnel_number;
  char *first_name;
  char *last_name_prefix;
  char *last_name;
  char *email;
  char **card_numbers;
  char **department_ids;
  gdouble contract_hours_week;
  gdouble max_hours_week;
  gint64 hourly_wage_cents;
  char *date_of_birth;
  char *employment_start;
  char *employment_end;
  char *kiosk_pin_hash;
};

struct _RotaShift
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *employee_id;
  char *department_id;
  gint64 start;
  gint64 end;
  gint64 break_minutes;
  char *note;
  gboolean published;
  gboolean deleted;
};

struct _RotaPunch
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *employee_id;
  RotaPunchKind kind;
  gint64 at;
  char *source;
  gint64 device_seq;
  gint64 device_monotonic_ms;
  char *device_boot_id;
  gboolean time_untrusted;
  gint64 received_at;
};

struct _RotaPunchCorrection
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *punch_id;
  char *employee_id;
  RotaCorrectionAction action;
  RotaPunchKind new_kind;
  gint64 new_at;
  char *reason_code;
  char *reason_text;
  char *author;
  gint64 created_at;
};

struct _RotaApproval
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *employee_id;
  char *work_date;
  RotaApprovalState state;
  char *author;
  gint64 created_at;
  gint64 for_version;
};

struct _RotaAbsence
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *employee_id;
  RotaAbsenceKind kind;
  char *start_date;
  char *end_date;
  char *note;
};

struct _RotaAvailability
{
  RotaEntity parent_instance;

  char *id;
  gint64 version;
  gint64 updated_at;
  char *employee_id;
  gint64 weekday;
  char *date;
  char *from_time;
  char *to_time;
  RotaAvailabilityKind kind;
};

struct _RotaAuditEntry
{
  RotaEntity parent_instance;

  gint64 seq;
  gint64 at;
  char *actor;
  char *entity;
  char *entity_id;
  char *action;
  char *before_json;
  char *after_json;
  char *reason;
  char *prev_hash;
  char *hash;
};

G_END_DECLS
