/* rota-sync-indicator.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-conflict-dialog.h"
#include "rota-sync-indicator.h"
#include "rota-time.h"

/*
 * The header bar's sync button (UI.md, "Main window"). The button says
 * the state in an icon and a short text, never by colour alone; its
 * tooltip and accessible label say all of it. The popover has the last
 * successful sync, the edits waiting, every conflict and refused edit
 * with "Resolve…", and "Sync now".
 *
 * The engine's properties give the state; the counts and the list come
 * from the store's outbox, read on the store's worker thread, so they are
 * right at once after a resolution rather than after the next sync.
 */

/* Seconds between updates of "Synced 2 min ago". */
#define TICK_SECONDS 30

struct _RotaSyncIndicator
{
  GtkWidget        parent_instance;

  RotaSync        *sync;
  RotaStore       *store;

  /* From the outbox: the counts, and the items a person has to decide. */
  GCancellable    *cancellable;
  GPtrArray       *items;
  gboolean         counts_known;
  gint64           pending;
  gint64           conflicts;
  gint64           parked;

  char            *items_signature;
  GHashTable      *names;           /* employee id → name, for the items */
  char            *error_message;   /* a resolution that failed */
  guint            tick_id;
  gboolean         resolving;

  /* Template widgets */
  GtkMenuButton   *button;
  GtkImage        *icon;
  GtkSpinner      *spinner;
  GtkLabel        *label;
  GtkPopover      *popover;
  GtkLabel        *title_label;
  GtkLabel        *detail_label;
  AdwActionRow    *last_sync_row;
  AdwActionRow    *pending_row;
  GtkLabel        *pending_label;
  GtkWidget       *problems_box;
  GtkListBox      *problem_list;
  GtkButton       *sync_button;
};

G_DEFINE_FINAL_TYPE (RotaSyncIndicator, rota_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SYNC,
  PROP_STORE,
  N_PROPS
};

enum {
  RESOLVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void reload_outbox (RotaSyncIndicator *self);

/* Helpers */

static RotaSyncState
current_state (RotaSyncIndicator *self)
{
  return self->sync != NULL ? rota_sync_get_state (self->sync) : ROTA_SYNC_STATE_IDLE;
}

static void
get_counts (RotaSyncIndicator *self,
            gint64            *pending,
            gint64            *conflicts,
            gint64            *parked)
{
  if (self->counts_known || self->sync == NULL)
    {
      *pending = self->pending;
      *conflicts = self->conflicts;
      *parked = self->parked;
    }
  else
    {
      *pending = rota_sync_get_pending (self->sync);
      *conflicts = rota_sync_get_conflicts (self->sync);
      *parked = rota_sync_get_parked (self->sync);
    }
}

/* "just now", "2 min ago", "3 h ago", "4 days ago". */
static char *
format_relative (gint64 then)
{
  gint64 seconds = MAX (rota_time_now () - then, 0);
  int n;

  if (seconds < 60)
    return g_strdup (_("Synced just now"));

  if (seconds < 60 * 60)
    {
      n = (int) (seconds / 60);
      /* Translators: shown on the sync button; keep it short */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d min ago", "Synced %d min ago", n), n);
    }

  if (seconds < 24 * 60 * 60)
    {
      n = (int) (seconds / (60 * 60));
      /* Translators: shown on the sync button; "h" is hours; keep it short */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d h ago", "Synced %d h ago", n), n);
    }

  n = (int) MIN (seconds / (24 * 60 * 60), G_MAXINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d day ago", "Synced %d days ago", n), n);
}

static void
append_sentence (GString    *text,
                 const char *sentence)
{
  if (sentence == NULL || *sentence == '\0')
    return;
  if (text->len > 0)
    g_string_append_c (text, ' ');
  g_string_append (text, sentence);
}

static void
set_icon (RotaSyncIndicator *self,
          const char        *icon_name,
          gboolean           spinning)
{
  gtk_widget_set_visible (GTK_WIDGET (self->icon), !spinning);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), spinning);
  gtk_spinner_set_spinning (self->spinner, spinning);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->icon, icon_name);
}

/* The button: icon, short text, warning style, tooltip, accessible label. */
static void
update_button (RotaSyncIndicator *self)
{
  RotaSyncState state = current_state (self);
  g_autoptr(GString) full = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *sentence = NULL;
  gint64 pending, conflicts, parked;
  gboolean warning = FALSE;
  gboolean pending_said = FALSE;

  if (self->sync == NULL && self->store == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->button), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->button), TRUE);

  get_counts (self, &pending, &conflicts, &parked);

  if (state == ROTA_SYNC_STATE_SYNCING)
    {
      double progress = rota_sync_get_progress (self->sync);

      set_icon (self, NULL, TRUE);
      if (progress >= 0.0)
        {
          int percent = (int) (CLAMP (progress, 0.0, 1.0) * 100.0 + 0.5);

          /* Translators: shown on the sync button while it syncs */
          text = g_strdup_printf (_("Syncing… %d%%"), percent);
          /* Translators: the sync button's accessible label while it syncs */
          sentence = g_strdup_printf (_("Syncing with the server, %d%% done."), percent);
        }
      else
        {
          text = g_strdup (_("Syncing…"));
          sentence = g_strdup (_("Syncing with the server."));
        }
    }
  else if (state == ROTA_SYNC_STATE_OFFLINE)
    {
      set_icon (self, "network-offline-symbolic", FALSE);
      if (pending > 0)
        /* Translators: shown on the sync button when the server cannot be reached */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline · %d edit waiting", "Offline · %d edits waiting",
                                             (int) pending), (int) pending);
      else
        text = g_strdup (_("Offline"));
      sentence = g_strdup (_("Offline: the server cannot be reached."));
    }
  else if (state == ROTA_SYNC_STATE_ERROR)
    {
      const char *message = rota_sync_get_message (self->sync);

      set_icon (self, "dialog-error-symbolic", FALSE);
      text = g_strdup (_("Sync failed"));
      if (message != NULL)
        /* Translators: %s is why the sync failed */
        sentence = g_strdup_printf (_("Sync failed: %s"), message);
      else
        sentence = g_strdup (_("Sync failed."));
    }
  else if (self->sync == NULL)
    {
      set_icon (self, "computer-symbolic", FALSE);
      text = g_strdup (_("Local workspace"));
      sentence = g_strdup (_("Local workspace: edits stay on this computer."));
      if (pending > 0)
        {
          append_sentence (full, sentence);
          g_clear_pointer (&sentence, g_free);
          sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d edit saved here.", "%d edits saved here.",
                                                   (int) pending), (int) pending);
        }
      pending_said = TRUE;
    }
  else
    {
      gint64 last = rota_sync_get_last_success (self->sync);

      if (last > 0)
        {
          g_autofree char *absolute = rota_format_local_time (last, TRUE);

          set_icon (self, "emblem-ok-symbolic", FALSE);
          text = format_relative (last);
          /* Translators: the first %s is "Synced 2 min ago", the second the date and time */
          sentence = g_strdup_printf (_("%s, on %s."), text, absolute);
        }
      else
        {
          set_icon (self, "emblem-synchronizing-symbolic", FALSE);
          text = g_strdup (_("Not synced yet"));
          sentence = g_strdup (_("Not synced with the server yet."));
        }
    }
  append_sentence (full, sentence);

  /* Edits that wait for a person matter more than the rest, except
   * that a running sync shows its progress. */
  if (state != ROTA_SYNC_STATE_SYNCING && (conflicts > 0 || parked > 0))
    {
      warning = TRUE;
      set_icon (self, "dialog-warning-symbolic", FALSE);
      g_clear_pointer (&text, g_free);
      if (conflicts > 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d conflict", "%d conflicts", (int) conflicts),
                                (int) conflicts);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d edit refused", "%d edits refused", (int) parked),
                                (int) parked);
    }

  if (conflicts > 0)
    {
      g_clear_pointer (&sentence, g_free);
      sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d conflict needs your decision.",
                                               "%d conflicts need your decision.", (int) conflicts),
                                  (int) conflicts);
      append_sentence (full, sentence);
    }
  if (parked > 0)
    {
      g_clear_pointer (&sentence, g_free);
      sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d edit was refused by the server.",
                                               "%d edits were refused by the server.", (int) parked),
                                  (int) parked);
      append_sentence (full, sentence);
    }
  if (pending > 0 && !pending_said)
    {
      g_clear_pointer (&sentence, g_free);
      sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d edit waiting to be sent.",
                                               "%d edits waiting to be sent.", (int) pending),
                                  (int) pending);
      append_sentence (full, sentence);
    }
  if (self->error_message != NULL)
    append_sentence (full, self->error_message);

  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), full->str);

  /* The menu button's own toggle button is what takes the focus and
   * what a screen reader announces; both get the label. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, full->str,
                                  -1);
  {
    GtkWidget *toggle = gtk_widget_get_first_child (GTK_WIDGET (self->button));

    if (GTK_IS_TOGGLE_BUTTON (toggle))
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, full->str,
                                      -1);
  }

  if (warning)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");
}

static GtkWidget *
make_problem_row (RotaSyncIndicator    *self,
                  const RotaOutboxItem *item)
{
  g_autofree char *title = rota_outbox_item_describe (item, self->names);
  g_autofree char *button_label = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row, *button;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  if (item->state == ROTA_OUTBOX_STATE_CONFLICT)
    subtitle = g_strdup (_("Conflict: changed on the server too"));
  else if (item->message != NULL && *item->message != '\0')
    /* Translators: %s is the server's message */
    subtitle = g_strdup_printf (_("Refused: %s"), item->message);
  else
    subtitle = g_strdup (_("Refused by the server"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  button = gtk_button_new_with_mnemonic (_("_Resolve…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sync-indicator.resolve");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", item->seq);

  /* Every row has a "Resolve…"; the label says which record it is for. */
  button_label = g_strdup_printf (_("Resolve: %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_label,
                                  -1);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

  return row;
}

/* The popover: summary rows, the problem list, "Sync now". */
static void
update_popover (RotaSyncIndicator *self)
{
  RotaSyncState state = current_state (self);
  g_autofree char *count = NULL;
  const char *detail = NULL;
  gint64 pending, conflicts, parked;

  get_counts (self, &pending, &conflicts, &parked);

  if (self->sync == NULL)
    {
      gtk_label_set_label (self->title_label, _("Local Workspace"));
      detail = _("This workspace is not connected to a server. Edits stay on this computer.");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pending_row), _("Edits saved on this computer"));
      gtk_widget_set_visible (GTK_WIDGET (self->last_sync_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->sync_button), FALSE);
    }
  else
    {
      gint64 last = rota_sync_get_last_success (self->sync);
      g_autofree char *when = last > 0 ? rota_format_local_time (last, TRUE) : g_strdup (_("Never"));

      switch (state)
        {
        case ROTA_SYNC_STATE_SYNCING:
          gtk_label_set_label (self->title_label, _("Syncing"));
          break;

        case ROTA_SYNC_STATE_OFFLINE:
          gtk_label_set_label (self->title_label, _("Offline"));
          detail = _("The server cannot be reached. Edits are kept on this computer and sent when it "
                     "can be reached again.");
          break;

        case ROTA_SYNC_STATE_ERROR:
          gtk_label_set_label (self->title_label, _("Sync Failed"));
          detail = rota_sync_get_message (self->sync);
          break;

        case ROTA_SYNC_STATE_IDLE:
        default:
          gtk_label_set_label (self->title_label, last > 0 ? _("Synced") : _("Not Synced Yet"));
          break;
        }

      adw_action_row_set_subtitle (self->last_sync_row, when);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pending_row), _("Edits waiting to be sent"));
      gtk_widget_set_visible (GTK_WIDGET (self->last_sync_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->sync_button), TRUE);
    }

  if (self->error_message != NULL)
    detail = self->error_message;

  gtk_label_set_label (self->detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL);

  count = g_strdup_printf ("%" G_GINT64_FORMAT, pending);
  gtk_label_set_label (self->pending_label, count);

  gtk_widget_set_visible (self->problems_box, self->items != NULL && self->items->len > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync-indicator.sync-now",
                                 self->sync != NULL && state != ROTA_SYNC_STATE_SYNCING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync-indicator.resolve",
                                 self->store != NULL && !self->resolving);
}

/* What the problem rows show, to rebuild them only when it changed:
 * a rebuild takes the keyboard focus away from a row. */
static char *
items_signature (GPtrArray *items)
{
  GString *signature = g_string_new (NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (items, i);

      g_string_append_printf (signature, "%" G_GINT64_FORMAT ":%d:%s:%s\n", item->seq, item->state,
                              item->message != NULL ? item->message : "",
                              item->payload != NULL ? item->payload : "");
    }

  return g_string_free (signature, FALSE);
}

static void
rebuild_problem_rows (RotaSyncIndicator *self,
                      gboolean           names_changed)
{
  g_autofree char *signature = items_signature (self->items);
  GtkWidget *child;

  if (!names_changed && g_strcmp0 (signature, self->items_signature) == 0)
    return;

  g_free (self->items_signature);
  self->items_signature = g_steal_pointer (&signature);

  /* The rows are few: each one waits for a person. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problem_list))) != NULL)
    gtk_list_box_remove (self->problem_list, child);
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    gtk_list_box_append (self->problem_list, make_problem_row (self, g_ptr_array_index (self->items, i)));
}

static void
refresh (RotaSyncIndicator *self)
{
  update_button (self);
  update_popover (self);
}

static gboolean
names_equal (GHashTable *a,
             GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (a == NULL || b == NULL || g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;

  return TRUE;
}

static void
list_names_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RotaSyncIndicator) self = user_data;
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GError) error = NULL;

  employees = rota_store_list_entities_finish (ROTA_STORE (object), result, &error);
  if (employees == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Reading the names for the sync problems: %s", error->message);
      return;
    }
  if (ROTA_STORE (object) != self->store)
    return;

  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < employees->len; i++)
    {
      RotaEmployee *employee = g_ptr_array_index (employees, i);

      g_hash_table_insert (names, g_strdup (rota_entity_get_id (ROTA_ENTITY (employee))),
                           rota_employee_dup_name (employee));
    }

  /* The same names: the rows stay, and the focus in an open popover. */
  if (names_equal (names, self->names))
    return;

  g_clear_pointer (&self->names, g_hash_table_unref);
  self->names = g_steal_pointer (&names);
  rebuild_problem_rows (self, TRUE);
}

static void
list_outbox_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RotaSyncIndicator) self = user_data;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;

  outbox = rota_store_list_outbox_finish (ROTA_STORE (object), result, &error);
  if (outbox == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Reading the outbox: %s", error->message);
      return;
    }

  /* Not from the store this indicator shows now. */
  if (ROTA_STORE (object) != self->store)
    return;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_outbox_item_free);
  self->pending = self->conflicts = self->parked = 0;

  for (guint i = 0; i < outbox->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (outbox, i);

      switch (item->state)
        {
        case ROTA_OUTBOX_STATE_PENDING:
          self->pending++;
          break;

        case ROTA_OUTBOX_STATE_CONFLICT:
          self->conflicts++;
          g_ptr_array_add (self->items, rota_outbox_item_copy (item));
          break;

        case ROTA_OUTBOX_STATE_PARKED:
          self->parked++;
          g_ptr_array_add (self->items, rota_outbox_item_copy (item));
          break;

        case ROTA_OUTBOX_STATE_NONE:
        default:
          break;
        }
    }
  self->counts_known = TRUE;

  rebuild_problem_rows (self, FALSE);
  refresh (self);

  /* The items name people by id: their names are read after, and the
   * rows made again with them. */
  if (self->items->len > 0)
    rota_store_list_entities_async (self->store, ROTA_TYPE_EMPLOYEE, self->cancellable, list_names_cb,
                                    g_object_ref (self));
}

static void
reload_outbox (RotaSyncIndicator *self)
{
  g_assert (ROTA_IS_SYNC_INDICATOR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->store == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  rota_store_list_outbox_async (self->store, self->cancellable, list_outbox_cb, g_object_ref (self));
}

/* Resolutions run on a thread: they are store transactions. */
typedef struct
{
  RotaStore *store;
  gint64     seq;
  char      *response;
  char      *actor;
} Resolution;

static void
resolution_free (gpointer data)
{
  Resolution *resolution = data;

  g_clear_object (&resolution->store);
  g_free (resolution->response);
  g_free (resolution->actor);
  g_free (resolution);
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Resolution *resolution = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (resolution->response, ROTA_CONFLICT_RESPONSE_DISCARD))
    ok = rota_store_outbox_discard (resolution->store, resolution->seq, resolution->actor, NULL, &error);
  else
    ok = rota_store_outbox_resolve (resolution->store, resolution->seq,
                                    g_str_equal (resolution->response, ROTA_CONFLICT_RESPONSE_KEEP_MINE)
                                      ? ROTA_RESOLUTION_KEEP_MINE
                                      : ROTA_RESOLUTION_TAKE_THEIRS,
                                    resolution->actor, NULL, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (object);
  g_autoptr(GError) error = NULL;

  self->resolving = FALSE;
  g_clear_pointer (&self->error_message, g_free);

  /* Disposed while the store worked: nothing left to show it in. */
  if (self->store == NULL)
    return;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Translators: %s says why; shown in the sync popover */
      self->error_message = g_strdup_printf (_("The edit could not be resolved: %s"), error->message);
      refresh (self);
      return;
    }

  if (self->sync != NULL)
    rota_sync_request (self->sync);

  reload_outbox (self);
  g_signal_emit (self, signals[RESOLVED], 0);
}

static void
resolve (RotaSyncIndicator *self,
         gint64             seq,
         const char        *response)
{
  g_autoptr(GTask) task = NULL;
  Resolution *resolution;

  g_assert (self->store != NULL);

  resolution = g_new0 (Resolution, 1);
  resolution->store = g_object_ref (self->store);
  resolution->seq = seq;
  resolution->response = g_strdup (response);
  resolution->actor = g_strdup (g_get_user_name ());

  self->resolving = TRUE;
  refresh (self);

  task = g_task_new (self, NULL, resolve_cb, NULL);
  g_task_set_source_tag (task, resolve);
  g_task_set_task_data (task, resolution, resolution_free);
  g_task_run_in_thread (task, resolve_thread);
}

/* Callbacks */

static void
dialog_response_cb (RotaSyncIndicator  *self,
                    const char         *response,
                    RotaConflictDialog *dialog)
{
  const RotaOutboxItem *item = rota_conflict_dialog_get_item (dialog);

  if (g_str_equal (response, ROTA_CONFLICT_RESPONSE_KEEP_MINE) ||
      g_str_equal (response, ROTA_CONFLICT_RESPONSE_TAKE_THEIRS) ||
      g_str_equal (response, ROTA_CONFLICT_RESPONSE_DISCARD))
    resolve (self, item->seq, response);
}

static void
popover_show_cb (RotaSyncIndicator *self)
{
  reload_outbox (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  RotaSyncIndicator *self = user_data;

  update_button (self);

  return G_SOURCE_CONTINUE;
}

static void
sync_changed_cb (RotaSyncIndicator *self)
{
  refresh (self);
}

static void
sync_finished_cb (RotaSyncIndicator *self)
{
  reload_outbox (self);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (widget);

  if (self->sync != NULL)
    rota_sync_request (self->sync);
}

/**
 * rota_sync_indicator_resolve_item:
 * @item: a conflict or a refused edit
 *
 * Shows both versions of @item and resolves it as the user chooses, as
 * the indicator's own "Resolve…" does; for views that show the conflict
 * on its row.
 */
void
rota_sync_indicator_resolve_item (RotaSyncIndicator    *self,
                                  const RotaOutboxItem *item)
{
  GtkWidget *dialog;
  GtkRoot *root;

  g_return_if_fail (ROTA_IS_SYNC_INDICATOR (self));
  g_return_if_fail (item != NULL);

  if (self->store == NULL)
    return;

  gtk_popover_popdown (self->popover);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = rota_conflict_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, item, self->names);
  g_signal_connect_object (dialog, "response", G_CALLBACK (dialog_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (widget);
  gint64 seq = g_variant_get_int64 (parameter);

  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    if (((RotaOutboxItem *) g_ptr_array_index (self->items, i))->seq == seq)
      {
        rota_sync_indicator_resolve_item (self, g_ptr_array_index (self->items, i));
        return;
      }
}

/* Overrides */

static void
rota_sync_indicator_map (GtkWidget *widget)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (widget);

  GTK_WIDGET_CLASS (rota_sync_indicator_parent_class)->map (widget);

  update_button (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
}

static void
rota_sync_indicator_unmap (GtkWidget *widget)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (rota_sync_indicator_parent_class)->unmap (widget);
}

static void
rota_sync_indicator_dispose (GObject *object)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), ROTA_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (rota_sync_indicator_parent_class)->dispose (object);
}

static void
rota_sync_indicator_finalize (GObject *object)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (object);

  g_free (self->items_signature);
  g_free (self->error_message);

  G_OBJECT_CLASS (rota_sync_indicator_parent_class)->finalize (object);
}

static void
rota_sync_indicator_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RotaSyncIndicator *self = ROTA_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_sync_indicator_class_init (RotaSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rota_sync_indicator_dispose;
  object_class->finalize = rota_sync_indicator_finalize;
  object_class->get_property = rota_sync_indicator_get_property;

  widget_class->map = rota_sync_indicator_map;
  widget_class->unmap = rota_sync_indicator_unmap;

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, ROTA_TYPE_SYNC,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ROTA_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RotaSyncIndicator::resolved:
   *
   * Emitted after a conflict or a refused edit was resolved in the
   * store, so whoever shows its records can load them again.
   */
  signals[RESOLVED] =
    g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/rota/Rota/rota-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, title_label);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, pending_row);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, pending_label);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, problems_box);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, problem_list);
  gtk_widget_class_bind_template_child (widget_class, RotaSyncIndicator, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);

  gtk_widget_class_install_action (widget_class, "sync-indicator.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "sync-indicator.resolve", "x", resolve_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rotasyncindicator");
}

static void
rota_sync_indicator_init (RotaSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  refresh (self);
}

/* Public API */

/**
 * rota_sync_indicator_new:
 *
 * Returns: (transfer floating): a sync indicator that shows nothing until
 *   rota_sync_indicator_set_sync()
 */
GtkWidget *
rota_sync_indicator_new (void)
{
  return g_object_new (ROTA_TYPE_SYNC_INDICATOR, NULL);
}

/**
 * rota_sync_indicator_set_sync:
 * @self: a sync indicator
 * @sync: (nullable): the account's sync engine
 * @store: (nullable): the store; with @sync %NULL, a local workspace
 *
 * Shows the state of @sync, or of the local workspace in @store. With
 * both %NULL the button hides. The engine's store wins over @store.
 */
void
rota_sync_indicator_set_sync (RotaSyncIndicator *self,
                              RotaSync          *sync,
                              RotaStore         *store)
{
  g_return_if_fail (ROTA_IS_SYNC_INDICATOR (self));
  g_return_if_fail (sync == NULL || ROTA_IS_SYNC (sync));
  g_return_if_fail (store == NULL || ROTA_IS_STORE (store));

  if (sync != NULL)
    store = rota_sync_get_store (sync);

  if (self->sync != sync)
    {
      if (self->sync != NULL)
        g_signal_handlers_disconnect_by_data (self->sync, self);
      g_set_object (&self->sync, sync);
      if (sync != NULL)
        {
          static const char * const notifies[] = {
            "notify::state", "notify::progress", "notify::message", "notify::last-success",
            "notify::pending", "notify::conflicts", "notify::parked",
          };

          for (guint i = 0; i < G_N_ELEMENTS (notifies); i++)
            g_signal_connect_object (sync, notifies[i], G_CALLBACK (sync_changed_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (sync, "finished", G_CALLBACK (sync_finished_cb), self, G_CONNECT_SWAPPED);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
    }

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);

  self->counts_known = FALSE;
  self->pending = self->conflicts = self->parked = 0;
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->error_message, g_free);

  rebuild_problem_rows (self, FALSE);
  refresh (self);
  reload_outbox (self);
}

RotaSync *
rota_sync_indicator_get_sync (RotaSyncIndicator *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC_INDICATOR (self), NULL);

  return self->sync;
}

RotaStore *
rota_sync_indicator_get_store (RotaSyncIndicator *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC_INDICATOR (self), NULL);

  return self->store;
}

/**
 * rota_sync_indicator_reload:
 * @self: a sync indicator
 *
 * Reads the store's outbox again, after a local edit, for example. The
 * engine's syncs reload it by themselves.
 */
void
rota_sync_indicator_reload (RotaSyncIndicator *self)
{
  g_return_if_fail (ROTA_IS_SYNC_INDICATOR (self));

  reload_outbox (self);
}
