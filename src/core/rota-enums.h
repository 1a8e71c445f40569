/* rota-enums.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Every enum starts with a NONE value of 0. A nullable enum field stores
 * NONE for JSON null; a required one refuses it. The nicks are the JSON
 * and SQL spelling, so they must never change.
 */

typedef enum
{
  ROTA_RULES_PROFILE_NONE, /*< nick=none >*/
  ROTA_RULES_PROFILE_DE,   /*< nick=de >*/
  ROTA_RULES_PROFILE_NL,   /*< nick=nl >*/
} RotaRulesProfile;

/* How worked time is rounded when an office rounds: in up and out down
 * (inward, what NONE means), both to the nearest step, or in down and out
 * up (outward). */
typedef enum
{
  ROTA_PUNCH_ROUNDING_NONE,    /*< nick=none >*/
  ROTA_PUNCH_ROUNDING_INWARD,  /*< nick=inward >*/
  ROTA_PUNCH_ROUNDING_NEAREST, /*< nick=nearest >*/
  ROTA_PUNCH_ROUNDING_OUTWARD, /*< nick=outward >*/
} RotaPunchRounding;

typedef enum
{
  ROTA_PUNCH_KIND_NONE,        /*< nick=none >*/
  ROTA_PUNCH_KIND_IN,          /*< nick=in >*/
  ROTA_PUNCH_KIND_OUT,         /*< nick=out >*/
  ROTA_PUNCH_KIND_BREAK_START, /*< nick=break_start >*/
  ROTA_PUNCH_KIND_BREAK_END,   /*< nick=break_end >*/
} RotaPunchKind;

typedef enum
{
  ROTA_CORRECTION_ACTION_NONE, /*< nick=none >*/
  ROTA_CORRECTION_ACTION_ADD,  /*< nick=add >*/
  ROTA_CORRECTION_ACTION_MOVE, /*< nick=move >*/
  ROTA_CORRECTION_ACTION_VOID, /*< nick=void >*/
} RotaCorrectionAction;

typedef enum
{
  ROTA_APPROVAL_STATE_NONE,     /*< nick=none >*/
  ROTA_APPROVAL_STATE_APPROVED, /*< nick=approved >*/
  ROTA_APPROVAL_STATE_REJECTED, /*< nick=rejected >*/
  /* An earlier approval or rejection taken back: the day is as if
   * nobody had decided it (an undo). */
  ROTA_APPROVAL_STATE_WITHDRAWN, /*< nick=withdrawn >*/
} RotaApprovalState;

typedef enum
{
  ROTA_ABSENCE_KIND_NONE,     /*< nick=none >*/
  ROTA_ABSENCE_KIND_SICK,     /*< nick=sick >*/
  ROTA_ABSENCE_KIND_VACATION, /*< nick=vacation >*/
  ROTA_ABSENCE_KIND_OTHER,    /*< nick=other >*/
} RotaAbsenceKind;

typedef enum
{
  ROTA_AVAILABILITY_KIND_NONE,        /*< nick=none >*/
  ROTA_AVAILABILITY_KIND_AVAILABLE,   /*< nick=available >*/
  ROTA_AVAILABILITY_KIND_UNAVAILABLE, /*< nick=unavailable >*/
} RotaAvailabilityKind;

typedef enum
{
  ROTA_OUTBOX_STATE_NONE,     /*< nick=none >*/
  ROTA_OUTBOX_STATE_PENDING,  /*< nick=pending >*/
  ROTA_OUTBOX_STATE_CONFLICT, /*< nick=conflict >*/
  ROTA_OUTBOX_STATE_PARKED,   /*< nick=parked >*/
} RotaOutboxState;

typedef enum
{
  ROTA_OUTBOX_OP_NONE,   /*< nick=none >*/
  ROTA_OUTBOX_OP_PUT,    /*< nick=put >*/
  ROTA_OUTBOX_OP_DELETE, /*< nick=delete >*/
  ROTA_OUTBOX_OP_POST,   /*< nick=post >*/
} RotaOutboxOp;

typedef enum
{
  ROTA_RESOLUTION_KEEP_MINE,   /*< nick=keep-mine >*/
  ROTA_RESOLUTION_TAKE_THEIRS, /*< nick=take-theirs >*/
} RotaResolution;

typedef enum
{
  ROTA_SYNC_STATE_IDLE,    /*< nick=idle >*/
  ROTA_SYNC_STATE_SYNCING, /*< nick=syncing >*/
  ROTA_SYNC_STATE_OFFLINE, /*< nick=offline >*/
  ROTA_SYNC_STATE_ERROR,   /*< nick=error >*/
} RotaSyncState;

typedef enum
{
  ROTA_SEVERITY_WARNING,   /*< nick=warning >*/
  ROTA_SEVERITY_VIOLATION, /*< nick=violation >*/
} RotaSeverity;

/* What a work day of punches needs (rota-punch-analysis.h). */
typedef enum /*< flags >*/
{
  ROTA_DAY_NONE           = 0,        /*< nick=none >*/
  ROTA_DAY_MISSING_OUT    = 1 << 0,   /*< nick=missing-out >*/
  ROTA_DAY_MISSING_IN     = 1 << 1,   /*< nick=missing-in >*/
  ROTA_DAY_OVER_12H       = 1 << 2,   /*< nick=over-12h >*/
  ROTA_DAY_OVERLAP        = 1 << 3,   /*< nick=overlap >*/
  ROTA_DAY_NO_SHOW        = 1 << 4,   /*< nick=no-show >*/
  ROTA_DAY_UNPLANNED      = 1 << 5,   /*< nick=unplanned >*/
  ROTA_DAY_LATE           = 1 << 6,   /*< nick=late >*/
  ROTA_DAY_LEFT_EARLY     = 1 << 7,   /*< nick=left-early >*/
  ROTA_DAY_RULE_VIOLATION = 1 << 8,   /*< nick=rule-violation >*/
  ROTA_DAY_RULE_WARNING   = 1 << 9,   /*< nick=rule-warning >*/
  ROTA_DAY_TIME_UNTRUSTED = 1 << 10,  /*< nick=time-untrusted >*/
  ROTA_DAY_WORKING        = 1 << 11,  /*< nick=working >*/
  ROTA_DAY_CORRECTED      = 1 << 12,  /*< nick=corrected >*/
  ROTA_DAY_APPROVED       = 1 << 13,  /*< nick=approved >*/
  ROTA_DAY_REJECTED       = 1 << 14,  /*< nick=rejected >*/
} RotaDayFlags;

/* The flags that ask for a human before the day can be paid. */
#define ROTA_DAY_NEEDS_REVIEW (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_OVER_12H | \
                               ROTA_DAY_OVERLAP | ROTA_DAY_NO_SHOW | ROTA_DAY_UNPLANNED |     \
                               ROTA_DAY_LATE | ROTA_DAY_LEFT_EARLY | ROTA_DAY_RULE_VIOLATION | \
                               ROTA_DAY_TIME_UNTRUSTED)

G_END_DECLS
