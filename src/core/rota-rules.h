/* rota-rules.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rota-enums.h"
#include "rota-models.h"

G_BEGIN_DECLS

#define ROTA_TYPE_FINDING (rota_finding_get_type ())

/**
 * RotaFinding:
 * @severity: a warning or a violation
 * @rule: the rule's stable id, for example "de.rest" or "nl.minor.night"
 * @employee_id: whose shifts
 * @shift_ids: the ids of the shifts concerned
 * @start: the start of the span concerned, UTC seconds
 * @end: the end of the span concerned, UTC seconds
 * @message: a translated sentence naming the times in the office's zone
 *
 * One finding of the labour-law rules.
 */
typedef struct
{
  RotaSeverity   severity;
  char          *rule;
  char          *employee_id;
  char         **shift_ids;
  gint64         start;
  gint64         end;
  char          *message;
} RotaFinding;

GType        rota_finding_get_type        (void) G_GNUC_CONST;
RotaFinding *rota_finding_new             (RotaSeverity        severity,
                                           const char         *rule,
                                           const char         *employee_id,
                                           const char * const *shift_ids,
                                           gint64              start,
                                           gint64              end,
                                           const char         *message) G_GNUC_WARN_UNUSED_RESULT;
RotaFinding *rota_finding_copy            (const RotaFinding  *finding) G_GNUC_WARN_UNUSED_RESULT;
void         rota_finding_free            (RotaFinding        *finding);

gint64       rota_rules_break_needed      (RotaRulesProfile    profile,
                                           gint64              worked);
GPtrArray   *rota_rules_check_employee    (RotaRulesProfile    profile,
                                           GTimeZone          *zone,
                                           RotaEmployee       *employee,
                                           GPtrArray          *shifts,
                                           GPtrArray          *absences,
                                           GPtrArray          *availability,
                                           gint64              from,
                                           gint64              to) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RotaFinding, rota_finding_free)

G_END_DECLS
