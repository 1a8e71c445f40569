/* rota-kiosk-window.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-kiosk-window"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-employee.h"
#include "rota-kiosk-window.h"
#include "rota-punch.h"
#include "rota-shift.h"
#include "rota-time.h"

/*
 * The punch terminal: one fullscreen window with no title bar, no menu and
 * no way to the Planner or the Punches page. A large clock shows the
 * server's time. Staff scan a badge (a keyboard-wedge reader types the
 * number and Enter, whatever has the focus) or type their name and enter
 * their PIN; they see their state and next shift, punch, and see it
 * confirmed. After a short idle time, or once confirmed, the screen goes
 * back to the start and forgets who was there.
 *
 * Closing the window, Ctrl+Q and the like are refused: leaving takes a
 * manager's PIN (the Manager button, or Ctrl+Shift+M).
 */

typedef enum
{
  SCREEN_START,
  SCREEN_PIN,
  SCREEN_PUNCH,
  SCREEN_DONE,
  SCREEN_MANAGER,
} Screen;

static const char * const screen_names[] = { "start", "pin", "punch", "done", "manager" };

typedef enum
{
  MANAGER_LEAVE,
  MANAGER_UNLOCK,
} ManagerMode;

#define DEFAULT_IDLE_SECONDS 30
#define DONE_SECONDS         4
#define BADGE_KEY_GAP_US     (50 * 1000)
#define BADGE_MIN            4
#define BADGE_MAX            32

struct _RotaKioskWindow
{
  AdwApplicationWindow  parent_instance;

  RotaKiosk            *kiosk;
  Screen                screen;
  RotaEmployee         *employee;
  ManagerMode           manager_mode;
  gboolean              leaving;
  guint                 idle_seconds;

  GString              *badge;
  gint64                badge_at;
  char                 *search_before;

  guint                 tick_source;
  guint                 ticks;
  guint                 idle_source;
  guint                 throttle_source;
  gint64                throttle_until;

  GtkStack             *stack;
  GtkLabel             *clock_label;
  GtkLabel             *date_label;
  GtkLabel             *status_label;
  GtkImage             *status_icon;
  GtkWidget            *trust_label;

  GtkSearchEntry       *search_entry;
  GtkListBox           *results;
  GtkLabel             *start_message;

  GtkLabel             *pin_title;
  GtkPasswordEntry     *pin_entry;
  GtkLabel             *pin_message;
  GtkWidget            *unlock_button;

  GtkLabel             *punch_title;
  GtkLabel             *punch_state;
  GtkLabel             *punch_shift;
  GtkBox               *punch_buttons;
  GtkLabel             *punch_message;

  GtkImage             *done_icon;
  GtkLabel             *done_title;
  GtkLabel             *done_detail;

  GtkLabel             *manager_title;
  GtkPasswordEntry     *manager_entry;
  GtkLabel             *manager_message;
};

G_DEFINE_FINAL_TYPE (RotaKioskWindow, rota_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PUNCHED,
  LEAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_screen (RotaKioskWindow *self,
                         Screen           screen);

/* Helpers */

static char *
clock_text (gint64  instant,
            gboolean seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (instant);

  return g_date_time_format (time, seconds ? "%H:%M:%S" : "%H:%M");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
set_message (GtkLabel   *label,
             const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* Idle: back to the start after a while without a key or a click. */

static gboolean
idle_cb (gpointer data)
{
  RotaKioskWindow *self = data;

  self->idle_source = 0;
  rota_kiosk_window_reset (self);

  return G_SOURCE_REMOVE;
}

static void
restart_idle (RotaKioskWindow *self)
{
  guint seconds = self->screen == SCREEN_DONE ? DONE_SECONDS : self->idle_seconds;

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->screen != SCREEN_START || gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    self->idle_source = g_timeout_add_seconds (seconds, idle_cb, self);
}

/* The clock and the status line */

static void
update_status (RotaKioskWindow *self)
{
  gint64 pending = rota_kiosk_get_pending (self->kiosk);
  gboolean online = rota_kiosk_get_online (self->kiosk);
  g_autofree char *text = NULL;

  if (online && pending == 0)
    text = g_strdup_printf (_("%s · Online"), rota_kiosk_get_device (self->kiosk));
  else if (online)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · Online · sending %d punch",
                                         "%s · Online · sending %d punches", pending),
                            rota_kiosk_get_device (self->kiosk), (int) MIN (pending, G_MAXINT));
  else
    /* Translators: the kiosk's status line while the network is down */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · Offline · %d punch waiting to be sent",
                                         "%s · Offline · %d punches waiting to be sent", pending),
                            rota_kiosk_get_device (self->kiosk), (int) MIN (pending, G_MAXINT));

  gtk_label_set_label (self->status_label, text);
  gtk_image_set_from_icon_name (self->status_icon, online ? "network-wired-symbolic" : "network-offline-symbolic");
  if (online)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
  gtk_widget_set_visible (self->trust_label, !rota_kiosk_get_time_trusted (self->kiosk));
}

static gboolean
tick_cb (gpointer data)
{
  RotaKioskWindow *self = data;
  gint64 now = rota_kiosk_now (self->kiosk);
  g_autofree char *clock = clock_text (now, TRUE);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (now);
  /* Translators: the date under the kiosk's clock; see
   * https://docs.gtk.org/glib/method.DateTime.format.html */
  g_autofree char *date = g_date_time_format (time, C_("kiosk date", "%A %-d %B %Y"));

  gtk_label_set_label (self->clock_label, clock);
  gtk_label_set_label (self->date_label, date);

  /* A wall clock that jumps is noticed, audited and shown. */
  if (++self->ticks % 5 == 0)
    rota_kiosk_check_clock (self->kiosk);

  return G_SOURCE_CONTINUE;
}

/* Punching */

static const char *
kind_done_title (RotaPunchKind kind)
{
  switch (kind)
    {
    case ROTA_PUNCH_KIND_IN:          return _("Clocked in");
    case ROTA_PUNCH_KIND_OUT:         return _("Clocked out");
    case ROTA_PUNCH_KIND_BREAK_START: return _("Break started");
    case ROTA_PUNCH_KIND_BREAK_END:   return _("Break ended");
    case ROTA_PUNCH_KIND_NONE:
    default:                          return _("Punched");
    }
}

static void
punch (RotaKioskWindow *self,
       RotaPunchKind    kind)
{
  g_autoptr(RotaPunch) punch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *detail = NULL;

  if (self->employee == NULL)
    return;

  punch = rota_kiosk_punch (self->kiosk, self->employee, kind, &error);
  if (punch == NULL)
    {
      set_message (self->punch_message, error->message);
      return;
    }

  name = g_strdup (rota_employee_get_first_name (self->employee));
  /* Translators: the confirmation: "Clocked in, Anna" */
  title = g_strdup_printf (_("%s, %s"), kind_done_title (kind), name);
  clock = clock_text (rota_punch_get_at (punch), FALSE);
  if (rota_kiosk_get_online (self->kiosk))
    /* Translators: under the confirmation: "At 08:02." */
    detail = g_strdup_printf (_("At %s."), clock);
  else
    detail = g_strdup_printf (_("At %s. Saved on this terminal: it goes to the server when the network is back."),
                              clock);

  gtk_label_set_label (self->done_title, title);
  gtk_label_set_label (self->done_detail, detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_title), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  show_screen (self, SCREEN_DONE);
  g_signal_emit (self, signals[PUNCHED], 0, punch);
}

static void
punch_clicked_cb (GtkButton       *button,
                  RotaKioskWindow *self)
{
  punch (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "kind")));
}

static void
add_punch_button (RotaKioskWindow *self,
                  const char      *label,
                  RotaPunchKind    kind,
                  gboolean         primary)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "kiosk-action");
  if (primary)
    gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data (G_OBJECT (button), "kind", GINT_TO_POINTER (kind));
  g_signal_connect (button, "clicked", G_CALLBACK (punch_clicked_cb), self);
  gtk_box_append (self->punch_buttons, button);
}

static void
show_punch (RotaKioskWindow *self)
{
  const char *id = rota_entity_get_id (ROTA_ENTITY (self->employee));
  g_autoptr(RotaShift) shift = rota_kiosk_get_next_shift (self->kiosk, id);
  g_autofree char *name = rota_employee_dup_name (self->employee);
  g_autofree char *state_text = NULL;
  g_autofree char *shift_text = NULL;
  g_autofree char *since_text = NULL;
  RotaKioskState state;
  gint64 since = 0;
  GtkWidget *child;

  state = rota_kiosk_get_state (self->kiosk, id, &since);
  since_text = since != 0 ? clock_text (since, FALSE) : NULL;
  switch (state)
    {
    case ROTA_KIOSK_STATE_IN:
      state_text = g_strdup_printf (_("Clocked in since %s"), since_text);
      break;
    case ROTA_KIOSK_STATE_BREAK:
      state_text = g_strdup_printf (_("On a break since %s"), since_text);
      break;
    case ROTA_KIOSK_STATE_OUT:
    default:
      state_text = g_strdup (_("Not clocked in"));
      break;
    }

  if (shift != NULL)
    {
      g_autofree char *from = clock_text (rota_shift_get_start (shift), FALSE);
      g_autofree char *to = clock_text (rota_shift_get_end (shift), FALSE);
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (rota_shift_get_start (shift));
      g_autofree char *day = g_date_time_format (start, C_("kiosk shift day", "%A"));

      /* Translators: "Your shift: Monday 08:00–16:30" */
      shift_text = g_strdup_printf (_("Your shift: %s %s–%s"), day, from, to);
    }
  else
    shift_text = g_strdup (_("No shift planned today or tomorrow."));

  gtk_label_set_label (self->punch_title, name);
  gtk_label_set_label (self->punch_state, state_text);
  gtk_label_set_label (self->punch_shift, shift_text);
  set_message (self->punch_message, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->punch_buttons))) != NULL)
    gtk_box_remove (self->punch_buttons, child);

  /* Only what can follow: the likely one first, and focused. */
  switch (state)
    {
    case ROTA_KIOSK_STATE_IN:
      add_punch_button (self, _("Clock _Out"), ROTA_PUNCH_KIND_OUT, TRUE);
      add_punch_button (self, _("Start a _Break"), ROTA_PUNCH_KIND_BREAK_START, FALSE);
      break;
    case ROTA_KIOSK_STATE_BREAK:
      add_punch_button (self, _("_End the Break"), ROTA_PUNCH_KIND_BREAK_END, TRUE);
      add_punch_button (self, _("Clock _Out"), ROTA_PUNCH_KIND_OUT, FALSE);
      break;
    case ROTA_KIOSK_STATE_OUT:
    default:
      add_punch_button (self, _("Clock _In"), ROTA_PUNCH_KIND_IN, TRUE);
      break;
    }

  show_screen (self, SCREEN_PUNCH);
  gtk_widget_grab_focus (gtk_widget_get_first_child (GTK_WIDGET (self->punch_buttons)));
}

/* Identifying */

static void
forget (RotaKioskWindow *self)
{
  g_clear_object (&self->employee);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->manager_entry), "");
  set_message (self->pin_message, NULL);
  set_message (self->manager_message, NULL);
  set_message (self->punch_message, NULL);
  g_clear_handle_id (&self->throttle_source, g_source_remove);
}

static void
identify_badge (RotaKioskWindow *self,
                const char      *badge)
{
  g_autoptr(GError) error = NULL;
  RotaEmployee *employee;

  forget (self);
  employee = rota_kiosk_find_badge (self->kiosk, badge, &error);
  if (employee == NULL)
    {
      rota_kiosk_window_reset (self);
      set_message (self->start_message, error->message);
      return;
    }

  /* A badge is enough: the reader is the proof of presence. */
  self->employee = employee;
  show_punch (self);
}

static gboolean
throttle_tick_cb (gpointer data)
{
  RotaKioskWindow *self = data;
  gint64 left = (self->throttle_until - g_get_monotonic_time ()) / 1000;
  GtkLabel *message = self->screen == SCREEN_MANAGER ? self->manager_message : self->pin_message;
  g_autofree char *text = NULL;

  if (left <= 0)
    {
      self->throttle_source = 0;
      set_message (message, _("Try again."));
      return G_SOURCE_REMOVE;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrong PIN. Try again in %d second.",
                                       "Wrong PIN. Try again in %d seconds.", (int) ((left + 999) / 1000)),
                          (int) ((left + 999) / 1000));
  set_message (message, text);

  return G_SOURCE_CONTINUE;
}

static void
throttle (RotaKioskWindow  *self,
          GtkPasswordEntry *entry,
          gint64            retry_in_ms)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  if (retry_in_ms <= 0)
    return;

  /* The entry stays usable (its focus and what is typed are kept); the
   * kiosk refuses a try before the wait is over, and says so. */
  self->throttle_until = g_get_monotonic_time () + retry_in_ms * 1000;
  g_clear_handle_id (&self->throttle_source, g_source_remove);
  self->throttle_source = g_timeout_add (250, throttle_tick_cb, self);
  throttle_tick_cb (self);
}

static void
pin_activate_cb (RotaKioskWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));
  gint64 retry_in_ms = 0;

  if (self->employee == NULL || *pin == '\0')
    return;

  if (rota_kiosk_check_pin (self->kiosk, self->employee, pin, &retry_in_ms, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
      show_punch (self);
      return;
    }

  set_message (self->pin_message, error->message);
  gtk_widget_set_visible (self->unlock_button, g_error_matches (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_LOCKED_OUT));
  if (g_error_matches (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_LOCKED_OUT))
    {
      /* The focus leaves the entry before it goes insensitive. */
      gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
      gtk_widget_grab_focus (self->unlock_button);
      gtk_widget_set_sensitive (GTK_WIDGET (self->pin_entry), FALSE);
      return;
    }

  throttle (self, self->pin_entry, retry_in_ms);
}

static void
show_pin (RotaKioskWindow *self,
          RotaEmployee    *employee)
{
  g_autofree char *name = rota_employee_dup_name (employee);
  g_autofree char *title = g_strdup_printf (_("Hello, %s. Enter your PIN."), name);
  const char *id = rota_entity_get_id (ROTA_ENTITY (employee));
  gboolean locked;

  forget (self);
  self->employee = g_object_ref (employee);
  gtk_label_set_label (self->pin_title, title);
  show_screen (self, SCREEN_PIN);

  locked = rota_kiosk_get_locked_out (self->kiosk, id);
  gtk_widget_set_visible (self->unlock_button, locked);
  if (locked)
    {
      set_message (self->pin_message, _("Locked after too many wrong PINs. A manager can unlock it."));
      gtk_widget_grab_focus (self->unlock_button);
      gtk_widget_set_sensitive (GTK_WIDGET (self->pin_entry), FALSE);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->pin_entry), TRUE);
  throttle (self, self->pin_entry, rota_kiosk_get_pin_delay (self->kiosk, id));
  if (self->throttle_source == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
}

static void
result_activated_cb (RotaKioskWindow *self,
                     GtkListBoxRow   *row)
{
  RotaEmployee *employee = g_object_get_data (G_OBJECT (row), "employee");

  if (rota_employee_get_kiosk_pin_hash (employee) == NULL)
    {
      set_message (self->start_message, _("You have no PIN yet. Use your badge, or ask a manager to set a PIN."));
      return;
    }

  show_pin (self, employee);
}

static void
search_changed_cb (RotaKioskWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) found = NULL;

  clear_list (self->results);
  set_message (self->start_message, NULL);
  restart_idle (self);
  if (g_utf8_strlen (text, -1) < 2)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->results), FALSE);
      return;
    }

  found = rota_kiosk_search (self->kiosk, text, 6);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      RotaEmployee *employee = g_ptr_array_index (found, i);
      g_autofree char *name = rota_employee_dup_name (employee);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "employee", g_object_ref (employee), g_object_unref);
      gtk_list_box_append (self->results, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->results), found != NULL && found->len > 0);
  if (found == NULL || found->len == 0)
    set_message (self->start_message, _("Nobody by that name. Check the spelling, or scan your badge."));
}

static void
search_activate_cb (RotaKioskWindow *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->results, 0);

  if (first != NULL)
    result_activated_cb (self, first);
}

/* The manager */

static void
show_manager (RotaKioskWindow *self,
              ManagerMode      mode)
{
  self->manager_mode = mode;
  gtk_editable_set_text (GTK_EDITABLE (self->manager_entry), "");
  set_message (self->manager_message, NULL);
  if (mode == MANAGER_LEAVE)
    gtk_label_set_label (self->manager_title, _("To leave the kiosk, a manager enters their PIN."));
  else
    {
      g_autofree char *name = rota_employee_dup_name (self->employee);
      g_autofree char *title = g_strdup_printf (_("To unlock the PIN of %s, a manager enters their PIN."), name);

      gtk_label_set_label (self->manager_title, title);
    }
  show_screen (self, SCREEN_MANAGER);
  throttle (self, self->manager_entry, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->manager_entry));
}

static void
manager_activate_cb (RotaKioskWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->manager_entry));
  gint64 retry_in_ms = 0;

  if (*pin == '\0')
    return;

  if (self->manager_mode == MANAGER_UNLOCK && self->employee != NULL)
    {
      if (rota_kiosk_unlock (self->kiosk, rota_entity_get_id (ROTA_ENTITY (self->employee)), pin, &error))
        {
          g_autoptr(RotaEmployee) employee = g_object_ref (self->employee);

          show_pin (self, employee);
          set_message (self->pin_message, _("Unlocked. Enter your PIN."));
          return;
        }
    }
  else if (rota_kiosk_check_manager_pin (self->kiosk, pin, &retry_in_ms, &error))
    {
      self->leaving = TRUE;
      g_signal_emit (self, signals[LEAVE], 0);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  set_message (self->manager_message, error->message);
  throttle (self, self->manager_entry, retry_in_ms);
}

static void
manager_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  show_manager (ROTA_KIOSK_WINDOW (widget), MANAGER_LEAVE);
}

static void
unlock_clicked_cb (RotaKioskWindow *self)
{
  show_manager (self, MANAGER_UNLOCK);
}

/* Keys: a badge from any focus state.
 *
 * A keyboard-wedge reader types the badge's characters a few
 * milliseconds apart and then Enter; people type far slower. Every key is
 * noted with its time: a run of at least four characters, each within
 * BADGE_KEY_GAP_US of the one before, ended by Enter, is a badge, whatever
 * has the focus. On the start screen the characters also went into the
 * name search, and are taken out again. */

static void
badge_key (RotaKioskWindow *self,
           char             c,
           gint64           now)
{
  if (self->badge->len > 0 && now - self->badge_at > BADGE_KEY_GAP_US)
    g_string_truncate (self->badge, 0);
  if (self->badge->len == 0)
    {
      /* What the search said before this run, to put back for a badge. */
      g_free (self->search_before);
      self->search_before = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
    }
  self->badge_at = now;
  if (self->badge->len < BADGE_MAX)
    g_string_append_c (self->badge, c);
}

static gboolean
take_badge (RotaKioskWindow *self,
            gint64           now)
{
  g_autofree char *badge = NULL;

  if (self->badge->len < BADGE_MIN || now - self->badge_at > BADGE_KEY_GAP_US)
    {
      g_string_truncate (self->badge, 0);
      return FALSE;
    }

  badge = g_strdup (self->badge->str);
  g_string_truncate (self->badge, 0);
  if (self->screen == SCREEN_START && self->search_before != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), self->search_before);
  identify_badge (self, badge);

  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                RotaKioskWindow       *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  gboolean plain = (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0;
  /* When the key was pressed, not when it is handled here: a busy main
   * loop must not make a reader look like a person. */
  gint64 now = (gint64) gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller)) * 1000;

  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

  if (now == 0)
    now = g_get_monotonic_time ();
  restart_idle (self);

  /* A reader presses Shift for the letters of a hexadecimal number: that
   * is part of the run, not its end. */
  if (event != NULL && gdk_key_event_is_modifier (event))
    return FALSE;

  if (keyval == GDK_KEY_Escape)
    {
      g_string_truncate (self->badge, 0);
      if (self->screen != SCREEN_START)
        rota_kiosk_window_reset (self);
      else
        gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      return TRUE;
    }

  /* PINs are typed into their entry; no badge there. */
  if (self->screen == SCREEN_PIN || self->screen == SCREEN_MANAGER)
    return FALSE;

  if (plain && c < 128 && g_ascii_isalnum ((char) c))
    {
      badge_key (self, (char) c, now);

      /* On the start screen the name search takes the key as well. */
      if (self->screen == SCREEN_START)
        {
          if (!gtk_widget_has_focus (GTK_WIDGET (self->search_entry)) &&
              gtk_root_get_focus (GTK_ROOT (self)) != gtk_widget_get_first_child (GTK_WIDGET (self->search_entry)))
            {
              gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
              return gtk_event_controller_key_forward (controller, GTK_WIDGET (self->search_entry));
            }
          return FALSE;
        }

      return TRUE;
    }

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    return take_badge (self, now);

  /* Anything else ends a run of badge characters. */
  g_string_truncate (self->badge, 0);

  /* Letters beyond ASCII start the name search too. */
  if (self->screen == SCREEN_START && plain && c != 0 && g_unichar_isalpha (c) &&
      !gtk_widget_has_focus (GTK_WIDGET (self->search_entry)) &&
      gtk_root_get_focus (GTK_ROOT (self)) != gtk_widget_get_first_child (GTK_WIDGET (self->search_entry)))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return gtk_event_controller_key_forward (controller, GTK_WIDGET (self->search_entry));
    }

  return FALSE;
}

/**
 * rota_kiosk_window_scan:
 * @badge: what a reader would type
 *
 * Does what a badge scan does, for the benchmark.
 */
void
rota_kiosk_window_scan (RotaKioskWindow *self,
                        const char      *badge)
{
  g_return_if_fail (ROTA_IS_KIOSK_WINDOW (self));
  g_return_if_fail (badge != NULL);

  identify_badge (self, badge);
}

/**
 * rota_kiosk_window_activate_default:
 *
 * Presses the focused, likely action of the punch screen, as Enter does.
 *
 * Returns: whether there was one
 */
gboolean
rota_kiosk_window_activate_default (RotaKioskWindow *self)
{
  GtkWidget *button;

  g_return_val_if_fail (ROTA_IS_KIOSK_WINDOW (self), FALSE);

  if (self->screen != SCREEN_PUNCH)
    return FALSE;
  button = gtk_widget_get_first_child (GTK_WIDGET (self->punch_buttons));
  if (button == NULL)
    return FALSE;

  g_signal_emit_by_name (button, "clicked");

  return TRUE;
}

/* Screens */

static void
show_screen (RotaKioskWindow *self,
             Screen           screen)
{
  self->screen = screen;
  gtk_stack_set_visible_child_name (self->stack, screen_names[screen]);
  restart_idle (self);
}

/**
 * rota_kiosk_window_reset:
 *
 * Back to the start screen, with everything the last person saw cleared.
 */
void
rota_kiosk_window_reset (RotaKioskWindow *self)
{
  g_return_if_fail (ROTA_IS_KIOSK_WINDOW (self));

  forget (self);
  g_string_truncate (self->badge, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  clear_list (self->results);
  gtk_widget_set_visible (GTK_WIDGET (self->results), FALSE);
  set_message (self->start_message, NULL);
  show_screen (self, SCREEN_START);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
kiosk_changed_cb (RotaKioskWindow *self)
{
  update_status (self);
}

/* GObject */

static gboolean
rota_kiosk_window_close_request (GtkWindow *window)
{
  RotaKioskWindow *self = ROTA_KIOSK_WINDOW (window);

  /* Only a manager closes the kiosk. */
  if (!self->leaving)
    {
      show_manager (self, MANAGER_LEAVE);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (rota_kiosk_window_parent_class)->close_request (window);
}

static void
rota_kiosk_window_dispose (GObject *object)
{
  RotaKioskWindow *self = ROTA_KIOSK_WINDOW (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->throttle_source, g_source_remove);
  if (self->kiosk != NULL)
    g_signal_handlers_disconnect_by_data (self->kiosk, self);
  g_clear_object (&self->employee);
  g_clear_object (&self->kiosk);

  G_OBJECT_CLASS (rota_kiosk_window_parent_class)->dispose (object);
}

static void
rota_kiosk_window_finalize (GObject *object)
{
  RotaKioskWindow *self = ROTA_KIOSK_WINDOW (object);

  g_string_free (self->badge, TRUE);
  g_free (self->search_before);

  G_OBJECT_CLASS (rota_kiosk_window_parent_class)->finalize (object);
}

static void
rota_kiosk_window_class_init (RotaKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rota_kiosk_window_dispose;
  object_class->finalize = rota_kiosk_window_finalize;
  window_class->close_request = rota_kiosk_window_close_request;

  /**
   * RotaKioskWindow::punched:
   * @punch: the punch recorded
   *
   * Emitted when a punch is recorded and its confirmation is on screen.
   */
  signals[PUNCHED] = g_signal_new ("punched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, ROTA_TYPE_PUNCH);
  /* A manager's PIN was entered to leave: the window closes after this. */
  signals[LEAVE] = g_signal_new ("leave", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "kiosk.manager", NULL, manager_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_M, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "kiosk.manager", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "kiosk.manager", NULL);
}

static GtkLabel *
new_label (const char *css_class,
           gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);

  return GTK_LABEL (label);
}

static GtkWidget *
page_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (box, 560, -1);

  return box;
}

static GtkPasswordEntry *
pin_entry_new (const char *accessible_label)
{
  GtkWidget *entry = gtk_password_entry_new ();

  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), 8);
  gtk_widget_set_halign (entry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (entry, "kiosk-pin");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);

  return GTK_PASSWORD_ENTRY (entry);
}

static GtkWidget *
cancel_button_new (RotaKioskWindow *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Cancel"));

  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (rota_kiosk_window_reset), self);

  return button;
}

static void
build (RotaKioskWindow *self)
{
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *box, *heading, *manager;

  /* The clock */
  self->clock_label = new_label ("kiosk-clock", FALSE);
  self->date_label = new_label ("title-2", FALSE);
  gtk_widget_set_margin_top (header, 36);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->clock_label));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->date_label));
  gtk_box_append (GTK_BOX (outer), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_transition_duration (self->stack, 100);
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (outer), GTK_WIDGET (self->stack));

  /* Start: scan or search */
  box = page_box ();
  heading = GTK_WIDGET (new_label ("title-1", TRUE));
  gtk_label_set_label (GTK_LABEL (heading), _("Scan your badge, or type your name"));
  gtk_box_append (GTK_BOX (box), heading);
  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_search_entry_set_search_delay (self->search_entry, 0);
  g_object_set (self->search_entry, "placeholder-text", _("Your name"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Your name"), -1);
  gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "kiosk-search");
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_activate_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_entry));
  self->results = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->results), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->results), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("People found"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->results), FALSE);
  g_signal_connect_swapped (self->results, "row-activated", G_CALLBACK (result_activated_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->results));
  self->start_message = new_label ("error", TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->start_message), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->start_message));
  gtk_stack_add_named (self->stack, box, "start");

  /* PIN */
  box = page_box ();
  self->pin_title = new_label ("title-1", TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->pin_title));
  self->pin_entry = pin_entry_new (_("PIN"));
  g_signal_connect_swapped (self->pin_entry, "activate", G_CALLBACK (pin_activate_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->pin_entry));
  self->pin_message = new_label ("error", TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pin_message), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->pin_message));
  self->unlock_button = gtk_button_new_with_mnemonic (_("Manager _Unlock…"));
  gtk_widget_set_halign (self->unlock_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->unlock_button, "pill");
  g_signal_connect_swapped (self->unlock_button, "clicked", G_CALLBACK (unlock_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), self->unlock_button);
  gtk_box_append (GTK_BOX (box), cancel_button_new (self));
  gtk_stack_add_named (self->stack, box, "pin");

  /* Punch */
  box = page_box ();
  self->punch_title = new_label ("title-1", TRUE);
  self->punch_state = new_label ("title-3", TRUE);
  self->punch_shift = new_label (NULL, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->punch_title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->punch_state));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->punch_shift));
  self->punch_buttons = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12));
  gtk_widget_set_halign (GTK_WIDGET (self->punch_buttons), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->punch_buttons));
  self->punch_message = new_label ("error", TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->punch_message), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->punch_message));
  gtk_box_append (GTK_BOX (box), cancel_button_new (self));
  gtk_stack_add_named (self->stack, box, "punch");

  /* Done */
  box = page_box ();
  self->done_icon = GTK_IMAGE (gtk_image_new_from_icon_name ("emblem-ok-symbolic"));
  gtk_image_set_pixel_size (self->done_icon, 96);
  gtk_widget_add_css_class (GTK_WIDGET (self->done_icon), "success");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->done_icon));
  self->done_title = new_label ("title-1", TRUE);
  self->done_detail = new_label ("title-4", TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->done_title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->done_detail));
  gtk_stack_add_named (self->stack, box, "done");

  /* Manager */
  box = page_box ();
  self->manager_title = new_label ("title-2", TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->manager_title));
  self->manager_entry = pin_entry_new (_("Manager PIN"));
  g_signal_connect_swapped (self->manager_entry, "activate", G_CALLBACK (manager_activate_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->manager_entry));
  self->manager_message = new_label ("error", TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->manager_message), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->manager_message));
  gtk_box_append (GTK_BOX (box), cancel_button_new (self));
  gtk_stack_add_named (self->stack, box, "manager");

  /* Status line */
  gtk_widget_set_margin_start (footer, 18);
  gtk_widget_set_margin_end (footer, 18);
  gtk_widget_set_margin_bottom (footer, 12);
  self->status_icon = GTK_IMAGE (gtk_image_new ());
  gtk_box_append (GTK_BOX (footer), GTK_WIDGET (self->status_icon));
  self->status_label = new_label (NULL, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Network and queue"), -1);
  gtk_box_append (GTK_BOX (footer), GTK_WIDGET (self->status_label));
  self->trust_label = GTK_WIDGET (new_label ("warning", FALSE));
  gtk_label_set_label (GTK_LABEL (self->trust_label), _("The clock is not confirmed by the server"));
  gtk_box_append (GTK_BOX (footer), self->trust_label);
  manager = gtk_button_new_with_mnemonic (_("_Manager"));
  gtk_widget_add_css_class (manager, "flat");
  gtk_widget_set_hexpand (manager, TRUE);
  gtk_widget_set_halign (manager, GTK_ALIGN_END);
  gtk_widget_set_tooltip_text (manager, _("Leave the kiosk (Ctrl+Shift+M)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (manager), "kiosk.manager");
  gtk_box_append (GTK_BOX (footer), manager);
  gtk_box_append (GTK_BOX (outer), footer);

  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), outer);
}

static void
rota_kiosk_window_init (RotaKioskWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->badge = g_string_new (NULL);
  self->idle_seconds = DEFAULT_IDLE_SECONDS;
  build (self);

  gtk_window_set_title (GTK_WINDOW (self), _("Rota Kiosk"));
  /* Fullscreen needs a compositor that grants it; without one, big. */
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 800);
  gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
  gtk_window_set_deletable (GTK_WINDOW (self), FALSE);

  /* Before any widget: a badge reader types into whatever has the focus. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/**
 * rota_kiosk_window_new:
 * @application: (nullable): the app, or %NULL in tests
 *
 * Returns: (transfer full): a fullscreen kiosk window on @kiosk
 */
RotaKioskWindow *
rota_kiosk_window_new (GtkApplication *application,
                       RotaKiosk      *kiosk)
{
  RotaKioskWindow *self;

  g_return_val_if_fail (ROTA_IS_KIOSK (kiosk), NULL);

  self = g_object_new (ROTA_TYPE_KIOSK_WINDOW, "application", application, NULL);
  self->kiosk = g_object_ref (kiosk);
  g_signal_connect_object (kiosk, "changed", G_CALLBACK (kiosk_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kiosk, "notify::online", G_CALLBACK (kiosk_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kiosk, "notify::pending", G_CALLBACK (kiosk_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kiosk, "notify::time-trusted", G_CALLBACK (kiosk_changed_cb), self, G_CONNECT_SWAPPED);

  tick_cb (self);
  update_status (self);
  self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
  gtk_window_fullscreen (GTK_WINDOW (self));
  rota_kiosk_window_reset (self);

  return self;
}

/**
 * rota_kiosk_window_get_kiosk:
 *
 * Returns: (transfer none): the kiosk shown
 */
RotaKiosk *
rota_kiosk_window_get_kiosk (RotaKioskWindow *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK_WINDOW (self), NULL);

  return self->kiosk;
}

/**
 * rota_kiosk_window_get_screen:
 *
 * Returns: "start", "pin", "punch", "done" or "manager"
 */
const char *
rota_kiosk_window_get_screen (RotaKioskWindow *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK_WINDOW (self), NULL);

  return screen_names[self->screen];
}

void
rota_kiosk_window_set_idle_seconds (RotaKioskWindow *self,
                                    guint            seconds)
{
  g_return_if_fail (ROTA_IS_KIOSK_WINDOW (self));
  g_return_if_fail (seconds > 0);

  self->idle_seconds = seconds;
  restart_idle (self);
}
