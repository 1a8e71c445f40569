/* rota-correction-dialog.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-correction-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-correction-dialog.h"
#include "rota-department.h"
#include "rota-employee.h"
#include "rota-office.h"
#include "rota-punch.h"
#include "rota-punch-analysis.h"
#include "rota-punch-correction.h"
#include "rota-punch-format.h"
#include "rota-time.h"

/*
 * Correcting one employee-day: the day's punches as clocked, with what
 * earlier corrections did to them (a voided punch is struck through, never
 * hidden; a moved one shows its original time), and one change to make:
 * add a punch, move one, or void one. A reason from the list and a few
 * words of explanation are required. The preview runs the same analysis
 * as the list, with the change laid over the day, so what it shows is what
 * the row will show.
 *
 * Saving writes the correction and its outbox item in one transaction
 * (rota_store_record_edit()); the punches themselves never change.
 */

enum {
  ACTION_ADD,
  ACTION_MOVE,
  ACTION_VOID,
};

enum {
  DAY_SAME,
  DAY_NEXT,
};

struct _RotaCorrectionDialog
{
  AdwWindow        parent_instance;

  RotaStore       *store;
  char            *author;
  RotaEmployee    *employee;
  char            *employee_id;
  char            *work_date;
  GTimeZone       *zone;
  RotaPunchInput  *input;
  RotaPunchReport *report;

  GtkWidget       *save_button;
  GtkListBox      *punch_list;
  AdwComboRow     *action_row;
  AdwComboRow     *kind_row;
  AdwEntryRow     *time_row;
  AdwComboRow     *day_row;
  AdwComboRow     *reason_row;
  AdwEntryRow     *text_row;
  GtkLabel        *preview_label;
  GtkLabel        *problem_label;
  gboolean         ignore_changes;
};

G_DEFINE_FINAL_TYPE (RotaCorrectionDialog, rota_correction_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const RotaPunchKind kinds[] = {
  ROTA_PUNCH_KIND_IN,
  ROTA_PUNCH_KIND_OUT,
  ROTA_PUNCH_KIND_BREAK_START,
  ROTA_PUNCH_KIND_BREAK_END,
};

static guint
kind_position (RotaPunchKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i] == kind)
      return i;

  return 0;
}

static const RotaPunchDay *
current_day (RotaCorrectionDialog *self)
{
  return self->report != NULL ? rota_punch_report_find_day (self->report, self->employee_id, self->work_date) : NULL;
}

static RotaPunchCorrection *
find_correction (RotaCorrectionDialog *self,
                 const char           *id,
                 const char           *punch_id,
                 RotaCorrectionAction  action)
{
  RotaPunchCorrection *found = NULL;

  /* The last one wins, as in the analysis. */
  for (guint i = 0; i < self->input->corrections->len; i++)
    {
      RotaPunchCorrection *correction = g_ptr_array_index (self->input->corrections, i);

      if (id != NULL && g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (correction)), id) == 0)
        return correction;
      if (punch_id != NULL && g_strcmp0 (rota_punch_correction_get_punch_id (correction), punch_id) == 0 &&
          rota_punch_correction_get_action (correction) == action &&
          (found == NULL || rota_punch_correction_get_created_at (correction) >= rota_punch_correction_get_created_at (found)))
        found = correction;
    }

  return found;
}

static RotaPunch *
find_original (RotaCorrectionDialog *self,
               const char           *id)
{
  for (guint i = 0; i < self->input->punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (self->input->punches, i);

      if (g_strcmp0 (rota_entity_get_id (ROTA_ENTITY (punch)), id) == 0)
        return punch;
    }

  return NULL;
}

static char *
describe_correction (RotaPunchCorrection *correction)
{
  g_autofree char *when = NULL;
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (rota_punch_correction_get_created_at (correction));
  const char *text = rota_punch_correction_get_reason_text (correction);

  when = g_date_time_format (time, C_("correction time", "%-d %b %H:%M"));

  /* Translators: who corrected a punch, when and why: "Anna Schmidt, 24 Nov 09:12: Forgot to clock out (left at 18:00)" */
  if (text != NULL && *text != '\0')
    return g_strdup_printf (_("%s, %s: %s (%s)"), rota_punch_correction_get_author (correction), when,
                            rota_punch_reason_label (rota_punch_correction_get_reason_code (correction)), text);

  return g_strdup_printf (_("%s, %s: %s"), rota_punch_correction_get_author (correction), when,
                          rota_punch_reason_label (rota_punch_correction_get_reason_code (correction)));
}

static GtkWidget *
punch_row_new (RotaCorrectionDialog *self,
               RotaPunch            *punch,
               gboolean              voided)
{
  const char *id = rota_entity_get_id (ROTA_ENTITY (punch));
  RotaPunch *original = find_original (self, id);
  g_autofree char *clock = rota_punch_format_clock (rota_punch_get_at (punch), self->zone);
  g_autofree char *date = rota_time_work_date (rota_punch_get_at (punch), self->zone);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (g_strcmp0 (date, self->work_date) != 0)
    {
      g_autofree char *day = rota_punch_format_day (date, FALSE);
      g_autofree char *time_only = g_steal_pointer (&clock);

      /* Translators: a clock time on another day than the one corrected: "06:00 (Tue 24)" */
      clock = g_strdup_printf (_("%s (%s)"), time_only, day);
    }

  title = g_strdup_printf ("%s %s", rota_punch_kind_label (rota_punch_get_kind (punch)), clock);

  if (voided)
    {
      RotaPunchCorrection *correction = find_correction (self, NULL, id, ROTA_CORRECTION_ACTION_VOID);
      g_autofree char *why = correction != NULL ? describe_correction (correction) : g_strdup ("");
      g_autofree char *escaped = g_markup_escape_text (title, -1);

      g_free (title);
      title = g_strdup_printf ("<s>%s</s>", escaped);
      /* Translators: a punch that a correction voided; %s says who, when and why */
      subtitle = g_strdup_printf (_("Voided: %s"), why);
      accessible = g_strdup_printf (_("Voided: %s %s"), rota_punch_kind_label (rota_punch_get_kind (punch)), clock);
    }
  else if (original == NULL)
    {
      RotaPunchCorrection *correction = find_correction (self, id, NULL, ROTA_CORRECTION_ACTION_ADD);
      g_autofree char *why = correction != NULL ? describe_correction (correction) : g_strdup ("");

      subtitle = g_strdup_printf (_("Added: %s"), why);
    }
  else if (rota_punch_get_at (original) != rota_punch_get_at (punch) ||
           rota_punch_get_kind (original) != rota_punch_get_kind (punch))
    {
      RotaPunchCorrection *correction = find_correction (self, NULL, id, ROTA_CORRECTION_ACTION_MOVE);
      g_autofree char *why = correction != NULL ? describe_correction (correction) : g_strdup ("");
      g_autofree char *was = rota_punch_format_clock (rota_punch_get_at (original), self->zone);

      /* Translators: a moved punch: "Clocked as Clock-in 16:30 · Anna, 24 Nov 09:12: Wrong time" */
      subtitle = g_strdup_printf (_("Clocked as %s %s · %s"), rota_punch_kind_label (rota_punch_get_kind (original)),
                                  was, why);
    }
  else
    {
      const char *source = rota_punch_get_source (punch);

      subtitle = rota_punch_get_time_untrusted (punch)
                   ? g_strdup_printf (_("%s · the device’s clock was not trusted"), source ? source : "")
                   : g_strdup (source ? source : "");
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), voided);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (accessible != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  if (voided)
    gtk_widget_add_css_class (row, "dim-label");

  g_object_set_data_full (G_OBJECT (row), "punch", g_object_ref (punch), g_object_unref);
  g_object_set_data (G_OBJECT (row), "voided", GINT_TO_POINTER (voided));

  return row;
}

static void
fill_punches (RotaCorrectionDialog *self)
{
  const RotaPunchDay *day = current_day (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->punch_list))) != NULL)
    gtk_list_box_remove (self->punch_list, child);

  if (day == NULL)
    return;

  for (guint i = 0; day->punches != NULL && i < day->punches->len; i++)
    gtk_list_box_append (self->punch_list, punch_row_new (self, g_ptr_array_index (day->punches, i), FALSE));
  for (guint i = 0; day->voided != NULL && i < day->voided->len; i++)
    gtk_list_box_append (self->punch_list, punch_row_new (self, g_ptr_array_index (day->voided, i), TRUE));
}

static RotaPunch *
selected_punch (RotaCorrectionDialog *self,
                gboolean             *voided)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->punch_list);

  if (row == NULL)
    return NULL;
  if (voided != NULL)
    *voided = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "voided"));

  return g_object_get_data (G_OBJECT (row), "punch");
}

/* The change as the form describes it, or NULL with why not. */
static RotaPunchCorrection *
build_correction (RotaCorrectionDialog  *self,
                  char                 **problem)
{
  guint action = adw_combo_row_get_selected (self->action_row);
  RotaPunchKind kind = kinds[MIN (adw_combo_row_get_selected (self->kind_row), G_N_ELEMENTS (kinds) - 1)];
  const char *time_text = gtk_editable_get_text (GTK_EDITABLE (self->time_row));
  guint reason = adw_combo_row_get_selected (self->reason_row);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->text_row))));
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *date = NULL;
  const RotaReasonCode *codes;
  guint n_codes;
  RotaPunch *punch = NULL;
  gboolean voided = FALSE;
  gint64 at = 0;
  int minutes;

  codes = rota_punch_reason_codes (&n_codes);

  if (action != ACTION_ADD)
    {
      punch = selected_punch (self, &voided);
      if (punch == NULL)
        {
          *problem = g_strdup (_("Select the punch to change in the list above."));
          return NULL;
        }
      if (voided)
        {
          *problem = g_strdup (_("That punch is voided already. Add a new punch instead."));
          return NULL;
        }
    }

  if (action != ACTION_VOID)
    {
      if (!rota_time_of_day_parse (time_text, &minutes))
        {
          *problem = *time_text == '\0'
                       ? g_strdup (_("Enter the time, as 18:00."))
                       : g_strdup_printf (_("“%s” is not a time. Write it as 18:00 or 1800."), time_text);
          return NULL;
        }
      date = rota_date_add_days (self->work_date, adw_combo_row_get_selected (self->day_row) == DAY_NEXT ? 1 : 0);
      at = rota_time_from_local (self->zone, date, minutes);
    }

  if (reason == 0 || reason > n_codes)
    {
      *problem = g_strdup (_("Choose a reason."));
      return NULL;
    }
  if (*text == '\0')
    {
      *problem = g_strdup (_("Say in a few words what happened; payroll and auditors read it."));
      return NULL;
    }

  return g_object_new (ROTA_TYPE_PUNCH_CORRECTION,
                       "id", uuid,
                       "employee-id", self->employee_id,
                       "punch-id", punch != NULL ? rota_entity_get_id (ROTA_ENTITY (punch)) : NULL,
                       "action", action == ACTION_ADD ? ROTA_CORRECTION_ACTION_ADD
                                 : action == ACTION_MOVE ? ROTA_CORRECTION_ACTION_MOVE
                                 : ROTA_CORRECTION_ACTION_VOID,
                       "new-kind", action == ACTION_VOID ? ROTA_PUNCH_KIND_NONE : kind,
                       "new-at", at,
                       "reason-code", codes[reason - 1].code,
                       "reason-text", text,
                       "author", self->author,
                       "created-at", rota_time_now (),
                       NULL);
}

static char *
describe_day (RotaCorrectionDialog *self,
              const RotaPunchDay   *day)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *status = NULL;

  if (day == NULL)
    return g_strdup (_("No punches left on this day."));

  if (day->flags & (ROTA_DAY_MISSING_OUT | ROTA_DAY_MISSING_IN | ROTA_DAY_WORKING))
    g_string_append (text, _("Worked: not known until the punches pair up"));
  else
    {
      g_autofree char *worked = rota_punch_format_duration (day->worked_seconds);
      g_autofree char *pause = rota_punch_format_duration (day->break_seconds);

      g_string_append_printf (text, _("Worked: %s"), worked);
      g_string_append (text, " · ");
      g_string_append_printf (text, day->break_deducted ? _("Break: %s (deducted by law)") : _("Break: %s"), pause);
    }

  status = rota_day_flags_describe (day->flags & ~(ROTA_DAY_APPROVED | ROTA_DAY_REJECTED));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Status: %s"), status);

  for (guint i = 0; day->findings != NULL && i < day->findings->len; i++)
    {
      RotaFinding *finding = g_ptr_array_index (day->findings, i);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s %s", finding->severity == ROTA_SEVERITY_VIOLATION ? "⛔" : "⚠", finding->message);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_preview (RotaCorrectionDialog *self)
{
  g_autoptr(RotaPunchCorrection) correction = NULL;
  g_autoptr(RotaPunchReport) preview = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  guint action;

  if (self->ignore_changes)
    return;

  action = adw_combo_row_get_selected (self->action_row);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), action != ACTION_VOID);
  gtk_widget_set_sensitive (GTK_WIDGET (self->time_row), action != ACTION_VOID);
  gtk_widget_set_sensitive (GTK_WIDGET (self->day_row), action != ACTION_VOID);

  before = describe_day (self, current_day (self));
  correction = build_correction (self, &problem);
  gtk_widget_set_sensitive (self->save_button, correction != NULL);
  gtk_label_set_label (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);

  if (correction == NULL)
    {
      text = g_strdup_printf ("%s\n\n%s", _("Now"), before);
      gtk_label_set_label (self->preview_label, text);
      return;
    }

  /* The same analysis as the list, with the change laid over the day. */
  g_ptr_array_add (self->input->corrections, g_object_ref (correction));
  preview = rota_punch_analyze (self->input);
  g_ptr_array_remove (self->input->corrections, correction);

  after = describe_day (self, rota_punch_report_find_day (preview, self->employee_id, self->work_date));
  text = g_strdup_printf ("%s\n%s\n\n%s\n%s", _("Now"), before, _("After this correction"), after);
  gtk_label_set_label (self->preview_label, text);
}

static void
punch_selected_cb (RotaCorrectionDialog *self)
{
  RotaPunch *punch;
  g_autofree char *clock = NULL;
  g_autofree char *date = NULL;

  if (self->ignore_changes)
    return;

  punch = selected_punch (self, NULL);
  if (punch == NULL)
    {
      update_preview (self);
      return;
    }

  /* Moving starts from where the punch is now. */
  self->ignore_changes = TRUE;
  if (adw_combo_row_get_selected (self->action_row) == ACTION_ADD)
    adw_combo_row_set_selected (self->action_row, ACTION_MOVE);
  if (adw_combo_row_get_selected (self->action_row) == ACTION_MOVE)
    {
      clock = rota_punch_format_clock (rota_punch_get_at (punch), self->zone);
      date = rota_time_work_date (rota_punch_get_at (punch), self->zone);
      gtk_editable_set_text (GTK_EDITABLE (self->time_row), clock);
      adw_combo_row_set_selected (self->day_row, g_strcmp0 (date, self->work_date) == 0 ? DAY_SAME : DAY_NEXT);
      adw_combo_row_set_selected (self->kind_row, kind_position (rota_punch_get_kind (punch)));
    }
  self->ignore_changes = FALSE;
  update_preview (self);
}

static void
select_punch_of_kind (RotaCorrectionDialog *self,
                      RotaPunchKind         kind,
                      gboolean              last)
{
  GtkListBoxRow *found = NULL;

  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->punch_list, i);
      RotaPunch *punch;

      if (row == NULL)
        break;
      punch = g_object_get_data (G_OBJECT (row), "punch");
      if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "voided")) || rota_punch_get_kind (punch) != kind)
        continue;
      found = row;
      if (!last)
        break;
    }

  if (found != NULL)
    gtk_list_box_select_row (self->punch_list, found);
}

/* What the day most likely needs, so that a forgotten clock-out is a
 * reason away from fixed. */
static void
propose (RotaCorrectionDialog *self)
{
  const RotaPunchDay *day = current_day (self);
  const RotaReasonCode *codes;
  guint n_codes;
  const char *reason = NULL;

  codes = rota_punch_reason_codes (&n_codes);
  self->ignore_changes = TRUE;

  if (day != NULL && (day->flags & ROTA_DAY_MISSING_OUT))
    {
      adw_combo_row_set_selected (self->action_row, ACTION_ADD);
      adw_combo_row_set_selected (self->kind_row, kind_position (ROTA_PUNCH_KIND_OUT));
      if (day->planned_end != 0)
        {
          g_autofree char *clock = rota_punch_format_clock (day->planned_end, self->zone);
          g_autofree char *date = rota_time_work_date (day->planned_end, self->zone);

          gtk_editable_set_text (GTK_EDITABLE (self->time_row), clock);
          adw_combo_row_set_selected (self->day_row, g_strcmp0 (date, self->work_date) == 0 ? DAY_SAME : DAY_NEXT);
        }
      reason = "forgot_out";
    }
  else if (day != NULL && (day->flags & ROTA_DAY_MISSING_IN))
    {
      adw_combo_row_set_selected (self->action_row, ACTION_ADD);
      adw_combo_row_set_selected (self->kind_row, kind_position (ROTA_PUNCH_KIND_IN));
      if (day->planned_start != 0)
        {
          g_autofree char *clock = rota_punch_format_clock (day->planned_start, self->zone);

          gtk_editable_set_text (GTK_EDITABLE (self->time_row), clock);
        }
      reason = "forgot_in";
    }
  else if (day != NULL && (day->flags & ROTA_DAY_OVERLAP))
    {
      /* A double tap: the second one goes. */
      adw_combo_row_set_selected (self->action_row, ACTION_VOID);
      select_punch_of_kind (self, ROTA_PUNCH_KIND_IN, TRUE);
      reason = "duplicate";
    }
  else
    {
      adw_combo_row_set_selected (self->action_row, ACTION_MOVE);
      select_punch_of_kind (self, ROTA_PUNCH_KIND_IN, FALSE);
    }

  for (guint i = 0; reason != NULL && i < n_codes; i++)
    if (g_str_equal (codes[i].code, reason))
      adw_combo_row_set_selected (self->reason_row, i + 1);

  self->ignore_changes = FALSE;
  if (adw_combo_row_get_selected (self->action_row) == ACTION_MOVE)
    punch_selected_cb (self);
  update_preview (self);
}

/**
 * rota_correction_dialog_save:
 *
 * Records the correction with its outbox item, in one transaction.
 *
 * Returns: %TRUE when it is recorded
 */
gboolean
rota_correction_dialog_save (RotaCorrectionDialog  *self,
                             GError               **error)
{
  g_autoptr(RotaPunchCorrection) correction = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autofree char *problem = NULL;

  g_return_val_if_fail (ROTA_IS_CORRECTION_DIALOG (self), FALSE);

  correction = build_correction (self, &problem);
  if (correction == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, problem);
      return FALSE;
    }

  item = rota_store_record_edit (self->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (correction), self->author,
                                 rota_punch_correction_get_reason_text (correction), error);
  if (item == NULL)
    return FALSE;

  g_signal_emit (self, signals[SAVED], 0, self->employee_id, self->work_date);

  return TRUE;
}

static void
save_cb (RotaCorrectionDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_widget_get_sensitive (self->save_button))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->text_row));
      return;
    }

  if (!rota_correction_dialog_save (self, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The correction was not saved: %s"), error->message);

      gtk_label_set_label (self->problem_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save_cb (ROTA_CORRECTION_DIALOG (widget));
}

void
rota_correction_dialog_set_action (RotaCorrectionDialog *self,
                                   RotaCorrectionAction  action)
{
  g_return_if_fail (ROTA_IS_CORRECTION_DIALOG (self));

  adw_combo_row_set_selected (self->action_row,
                              action == ROTA_CORRECTION_ACTION_VOID ? ACTION_VOID
                              : action == ROTA_CORRECTION_ACTION_MOVE ? ACTION_MOVE : ACTION_ADD);
}

/* GObject */

static void
rota_correction_dialog_dispose (GObject *object)
{
  RotaCorrectionDialog *self = ROTA_CORRECTION_DIALOG (object);

  /* The rows notify as they go; there is nothing to preview any more. */
  self->ignore_changes = TRUE;
  g_clear_pointer (&self->report, rota_punch_report_unref);
  g_clear_pointer (&self->input, rota_punch_input_free);
  g_clear_object (&self->store);
  g_clear_object (&self->employee);

  G_OBJECT_CLASS (rota_correction_dialog_parent_class)->dispose (object);
}

static void
rota_correction_dialog_finalize (GObject *object)
{
  RotaCorrectionDialog *self = ROTA_CORRECTION_DIALOG (object);

  g_free (self->author);
  g_free (self->employee_id);
  g_free (self->work_date);
  g_clear_pointer (&self->zone, g_time_zone_unref);

  G_OBJECT_CLASS (rota_correction_dialog_parent_class)->finalize (object);
}

static void
rota_correction_dialog_class_init (RotaCorrectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rota_correction_dialog_dispose;
  object_class->finalize = rota_correction_dialog_finalize;

  /**
   * RotaCorrectionDialog::saved:
   * @employee_id: whose punches were corrected
   * @work_date: the day
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "correction.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "correction.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "correction.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkStringList *
string_list (const char * const *labels,
             guint               n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, labels[i]);

  return list;
}

static void
build (RotaCorrectionDialog *self)
{
  const RotaPunchDay *day = current_day (self);
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *form = adw_preferences_page_new ();
  GtkWidget *group;
  GtkWidget *title;
  g_autofree char *day_label = rota_punch_format_day (self->work_date, TRUE);
  g_autofree char *name = rota_employee_dup_name (self->employee);
  g_autofree char *next = rota_date_add_days (self->work_date, 1);
  g_autofree char *next_label = rota_punch_format_day (next, TRUE);
  g_autofree char *planned = NULL;
  g_autofree char *description = NULL;
  const char *actions[] = { _("Add a punch"), _("Move the selected punch"), _("Void the selected punch") };
  const char *kind_labels[G_N_ELEMENTS (kinds)];
  const char *days[2];
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  const RotaReasonCode *codes;
  guint n_codes;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    kind_labels[i] = rota_punch_kind_label (kinds[i]);
  days[DAY_SAME] = day_label;
  days[DAY_NEXT] = next_label;
  codes = rota_punch_reason_codes (&n_codes);
  g_ptr_array_add (reasons, _("Choose a reason…"));
  for (guint i = 0; i < n_codes; i++)
    g_ptr_array_add (reasons, (gpointer) _(codes[i].label));

  gtk_window_set_title (GTK_WINDOW (self), _("Correct Punches"));
  gtk_window_set_default_size (GTK_WINDOW (self), 940, 660);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  title = adw_window_title_new (name, day_label);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->save_button, _("Save the correction (Ctrl+Enter)"));
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  /* The day and what the change does on the left, the change on the
   * right: the preview is in view while the form is filled in. */
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), columns);
  gtk_widget_set_vexpand (columns, TRUE);
  gtk_widget_set_hexpand (page, TRUE);
  gtk_widget_set_hexpand (form, TRUE);
  gtk_box_append (GTK_BOX (columns), page);
  gtk_box_append (GTK_BOX (columns), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (columns), form);

  /* The day's punches */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Punches"));
  if (day != NULL && day->n_shifts > 0)
    {
      planned = rota_punch_format_span (day->planned_start, day->planned_end, self->zone);
      description = g_strdup_printf (_("Planned %s. Voided punches stay in the list, struck through."), planned);
    }
  else
    description = g_strdup (_("Not planned. Voided punches stay in the list, struck through."));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  self->punch_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->punch_list), "punch-list");
  gtk_widget_add_css_class (GTK_WIDGET (self->punch_list), "boxed-list");
  gtk_list_box_set_selection_mode (self->punch_list, GTK_SELECTION_SINGLE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->punch_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Punches of the day"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->punch_list));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* The change */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Correction"));
  self->action_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->action_row), _("_Action"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->action_row), TRUE);
  adw_combo_row_set_model (self->action_row, G_LIST_MODEL (string_list (actions, G_N_ELEMENTS (actions))));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->action_row));

  self->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind_row), _("_Kind"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->kind_row), TRUE);
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (string_list (kind_labels, G_N_ELEMENTS (kinds))));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->kind_row));

  self->time_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->time_row), _("_Time"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->time_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->time_row));

  self->day_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->day_row), _("_Day"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->day_row), TRUE);
  adw_combo_row_set_model (self->day_row, G_LIST_MODEL (string_list (days, 2)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->day_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (form), ADW_PREFERENCES_GROUP (group));

  /* Why */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Reason"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Required. It is kept with the correction, with your name, for payroll and audits."));
  self->reason_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reason_row), _("_Reason"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->reason_row), TRUE);
  adw_combo_row_set_model (self->reason_row,
                           G_LIST_MODEL (string_list ((const char * const *) reasons->pdata, reasons->len)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->reason_row));
  self->text_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->text_row), _("_Explanation"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->text_row), TRUE);
  g_signal_connect_swapped (self->text_row, "entry-activated", G_CALLBACK (save_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->text_row));
  self->problem_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem_label, TRUE);
  gtk_label_set_xalign (self->problem_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->problem_label), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->problem_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("What is missing"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->problem_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (form), ADW_PREFERENCES_GROUP (group));

  /* Preview */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Preview"));
  self->preview_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->preview_label, TRUE);
  gtk_label_set_xalign (self->preview_label, 0);
  gtk_label_set_selectable (self->preview_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "punch-preview");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preview of the worked time"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->preview_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  adw_window_set_content (ADW_WINDOW (self), toolbar);

  fill_punches (self);

  g_signal_connect_swapped (self->punch_list, "selected-rows-changed", G_CALLBACK (punch_selected_cb), self);
  g_signal_connect_swapped (self->action_row, "notify::selected", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->day_row, "notify::selected", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->reason_row, "notify::selected", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->time_row, "changed", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->text_row, "changed", G_CALLBACK (update_preview), self);

  propose (self);

  /* What is proposed needs only its explanation: start there. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->text_row));
}

static void
rota_correction_dialog_init (RotaCorrectionDialog *self)
{
}

static GTimeZone *
zone_of (RotaPunchInput *input,
         RotaEmployee   *employee)
{
  const char * const *department_ids = rota_employee_get_department_ids (employee);
  const char *office_id = NULL;

  for (guint i = 0; department_ids != NULL && department_ids[0] != NULL && i < input->departments->len; i++)
    {
      RotaDepartment *department = g_ptr_array_index (input->departments, i);

      if (g_str_equal (rota_entity_get_id (ROTA_ENTITY (department)), department_ids[0]))
        office_id = rota_department_get_office_id (department);
    }

  for (guint i = 0; office_id != NULL && i < input->offices->len; i++)
    {
      RotaOffice *office = g_ptr_array_index (input->offices, i);

      if (g_str_equal (rota_entity_get_id (ROTA_ENTITY (office)), office_id))
        return g_time_zone_ref (rota_time_zone_get (rota_office_get_time_zone (office)));
    }

  return g_time_zone_ref (rota_time_zone_get (NULL));
}

/**
 * rota_correction_dialog_new:
 * @author: who corrects: kept with the correction
 *
 * Returns: (transfer floating) (nullable): the dialog, or %NULL when the
 *   day could not be read
 */
GtkWidget *
rota_correction_dialog_new (GtkWindow     *parent,
                            RotaStore     *store,
                            const char    *author,
                            RotaEmployee  *employee,
                            const char    *work_date,
                            GError       **error)
{
  RotaCorrectionDialog *self;
  g_autoptr(RotaPunchInput) input = NULL;
  const char *employee_id;

  g_return_val_if_fail (ROTA_IS_STORE (store), NULL);
  g_return_val_if_fail (author != NULL, NULL);
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (employee), NULL);
  g_return_val_if_fail (rota_date_is_valid (work_date), NULL);

  employee_id = rota_entity_get_id (ROTA_ENTITY (employee));
  input = rota_punch_input_load (store, work_date, work_date, NULL, employee_id, rota_time_now (), NULL, error);
  if (input == NULL)
    return NULL;
  input->keep_punches = TRUE;

  self = g_object_new (ROTA_TYPE_CORRECTION_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->author = g_strdup (author);
  self->employee = g_object_ref (employee);
  self->employee_id = g_strdup (employee_id);
  self->work_date = g_strdup (work_date);
  self->zone = zone_of (input, employee);
  self->input = g_steal_pointer (&input);
  self->report = rota_punch_analyze (self->input);

  build (self);

  return GTK_WIDGET (self);
}
