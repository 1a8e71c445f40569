/* rota-conflict-dialog.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-conflict-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rota-codec.h"
#include "rota-conflict-dialog.h"
#include "rota-models.h"
#include "rota-punch-format.h"

/*
 * The question a conflict or a refused ("parked") edit puts to a person:
 * both versions side by side, field by field, and the choices the store
 * offers for it (rota_store_outbox_resolve(), rota_store_outbox_discard()).
 * The dialog only asks; whoever shows it acts on the response.
 */

struct _RotaConflictDialog
{
  AdwMessageDialog  parent_instance;

  RotaOutboxItem   *item;
  GHashTable       *names;
};

G_DEFINE_FINAL_TYPE (RotaConflictDialog, rota_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

/* The desktop's 12/24-hour setting, when its schema is installed. */
static gboolean
use_12_hours (void)
{
  static gsize initialized;
  static gboolean twelve;

  if (g_once_init_enter (&initialized))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
      if (schema != NULL && g_settings_schema_has_key (schema, "clock-format"))
        {
          g_autoptr(GSettings) settings = g_settings_new_full (schema, NULL, NULL);
          g_autofree char *format = g_settings_get_string (settings, "clock-format");

          twelve = g_strcmp0 (format, "12h") == 0;
        }
      g_once_init_leave (&initialized, 1);
    }

  return twelve;
}

static char *
format_clock (GDateTime *time)
{
  return g_date_time_format (time, use_12_hours () ? "%-I:%M %p" : "%H:%M");
}

static char *
format_day (GDateTime *time)
{
  /* Translators: a shift's day, as in "Mon 23 Nov"; see
   * https://docs.gtk.org/glib/method.DateTime.format.html */
  return g_date_time_format (time, C_("shift day", "%a %-d %b"));
}

/* "Mon 23 Nov" for a work date, "2026-11-23". */
static char *
format_work_date (const char *work_date)
{
  int year, month, day;
  g_autoptr(GDateTime) time = NULL;

  if (work_date == NULL || sscanf (work_date, "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      (time = g_date_time_new_local (year, month, day, 12, 0, 0)) == NULL)
    return g_strdup (work_date != NULL ? work_date : "");

  return format_day (time);
}

/* An employee's name, or their id when @names does not know them. */
static const char *
employee_name (GHashTable *names,
               const char *employee_id)
{
  const char *name = names != NULL && employee_id != NULL ? g_hash_table_lookup (names, employee_id) : NULL;

  return name != NULL ? name : employee_id;
}

/**
 * rota_format_local_time:
 * @instant: seconds since the epoch
 * @with_date: whether to name the day too
 *
 * Returns: (transfer full): @instant in this computer's time zone, per
 *   the locale and the desktop's 12/24-hour setting
 */
char *
rota_format_local_time (gint64   instant,
                        gboolean with_date)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (instant);
  g_autofree char *clock = NULL;
  g_autofree char *day = NULL;

  if (time == NULL)
    return g_strdup ("");

  clock = format_clock (time);
  if (!with_date)
    return g_steal_pointer (&clock);

  /* Translators: a full date, as in "Sunday 29 November 2026"; see
   * https://docs.gtk.org/glib/method.DateTime.format.html */
  day = g_date_time_format (time, C_("full date", "%A %-d %B %Y"));

  /* Translators: a date and a time of day, as in "Sunday 29 November 2026, 14:07" */
  return g_strdup_printf (C_("date and time", "%s, %s"), day, clock);
}

static char *
format_shift_times (RotaShift *shift,
                    gboolean   with_day)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (rota_shift_get_start (shift));
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (rota_shift_get_end (shift));
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *day = NULL;
  g_autofree char *range = NULL;

  if (start == NULL || end == NULL)
    return g_strdup ("");

  from = format_clock (start);
  to = format_clock (end);

  if (g_date_time_get_day_of_year (start) != g_date_time_get_day_of_year (end) ||
      g_date_time_get_year (start) != g_date_time_get_year (end))
    /* Translators: a shift that ends on the next day, as in "22:00–06:00 (next day)" */
    range = g_strdup_printf (C_("shift times", "%s–%s (next day)"), from, to);
  else
    /* Translators: a shift's times, as in "08:00–16:30" */
    range = g_strdup_printf (C_("shift times", "%s–%s"), from, to);

  if (!with_day)
    return g_steal_pointer (&range);

  day = format_day (start);

  /* Translators: a shift's day and times, as in "Mon 23 Nov, 08:00–16:30" */
  return g_strdup_printf (C_("shift day and times", "%s, %s"), day, range);
}

static const char *
kind_name (const char *kind)
{
  static const struct { const char *kind; const char *name; } names[] = {
    { "absence", NC_("record", "Absence") },
    { "approval", NC_("record", "Approval") },
    { "availability", NC_("record", "Availability") },
    { "department", NC_("record", "Department") },
    { "employee", NC_("record", "Employee") },
    { "office", NC_("record", "Office") },
    { "punch", NC_("record", "Clock punch") },
    { "punch_correction", NC_("record", "Punch correction") },
    { "shift", NC_("record", "Shift") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (kind, names[i].kind) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "record", names[i].name);

  return kind;
}

static RotaEntity *
decode_payload (const char *kind,
                const char *payload)
{
  GType type;

  if (payload == NULL || kind == NULL)
    return NULL;

  type = rota_entity_type_from_kind (kind);
  if (type == G_TYPE_INVALID)
    return NULL;

  /* A payload that does not decode is shown field by field instead. */
  return rota_codec_decode_string (type, payload, strlen (payload), NULL);
}

/* What a correction does, in a few words: "clock-out added at 17:02". */
static char *
describe_correction_action (RotaPunchCorrection *correction)
{
  gint64 at = rota_punch_correction_get_new_at (correction);
  g_autofree char *when = at > 0 ? rota_format_local_time (at, FALSE) : g_strdup ("");
  g_autoptr(GDateTime) time = at > 0 ? g_date_time_new_from_unix_local (at) : NULL;
  g_autofree char *day = time != NULL ? format_day (time) : g_strdup ("");

  switch (rota_punch_correction_get_action (correction))
    {
    case ROTA_CORRECTION_ACTION_ADD:
      /* Translators: a punch a correction adds: "Clock-out added, Mon 23 Nov 17:02" */
      return g_strdup_printf (C_("correction", "%s added, %s %s"),
                              rota_punch_kind_label (rota_punch_correction_get_new_kind (correction)), day, when);
    case ROTA_CORRECTION_ACTION_MOVE:
      /* Translators: a punch a correction moves: "punch moved to Mon 23 Nov 17:02" */
      return g_strdup_printf (C_("correction", "punch moved to %s %s"), day, when);
    case ROTA_CORRECTION_ACTION_VOID:
      return g_strdup (C_("correction", "punch voided"));
    case ROTA_CORRECTION_ACTION_NONE:
    default:
      return g_strdup (C_("correction", "punch corrected"));
    }
}

/**
 * rota_outbox_item_describe:
 * @item: an outbox item
 * @names: (nullable) (element-type utf8 utf8): employee id → name, for
 *   records that name someone
 *
 * Returns: (transfer full): one line that tells a person which record
 *   @item is, such as "Shift of Sanne Dijk, Mon 23 Nov, 08:00–16:30" or
 *   "Approval of Sanne Dijk, Mon 23 Nov"
 */
char *
rota_outbox_item_describe (const RotaOutboxItem *item,
                           GHashTable           *names)
{
  g_autoptr(RotaEntity) entity = NULL;

  g_return_val_if_fail (item != NULL, NULL);

  entity = decode_payload (item->kind, item->payload);
  if (entity == NULL)
    entity = decode_payload (item->kind, item->server_payload);

  if (ROTA_IS_SHIFT (entity))
    {
      RotaShift *shift = ROTA_SHIFT (entity);
      g_autofree char *when = format_shift_times (shift, TRUE);
      const char *employee = rota_shift_get_employee_id (shift);

      if (employee == NULL)
        /* Translators: a shift nobody is planned on; %s is its day and times */
        return g_strdup_printf (_("Open shift, %s"), when);

      /* Translators: the first %s is an employee's name, the second the day and times */
      return g_strdup_printf (_("Shift of %s, %s"), employee_name (names, employee), when);
    }

  if (ROTA_IS_APPROVAL (entity))
    {
      RotaApproval *approval = ROTA_APPROVAL (entity);
      g_autofree char *day = format_work_date (rota_approval_get_work_date (approval));

      /* Translators: an approval of a day's hours: "Approval of Sanne Dijk, Mon 23 Nov" */
      return g_strdup_printf (_("Approval of %s, %s"),
                              employee_name (names, rota_approval_get_employee_id (approval)), day);
    }

  if (ROTA_IS_PUNCH_CORRECTION (entity))
    {
      RotaPunchCorrection *correction = ROTA_PUNCH_CORRECTION (entity);
      g_autofree char *action = describe_correction_action (correction);

      /* Translators: "Correction for Sanne Dijk: Clock-out added, Mon 23 Nov 17:02" */
      return g_strdup_printf (_("Correction for %s: %s"),
                              employee_name (names, rota_punch_correction_get_employee_id (correction)), action);
    }

  /* Translators: a record's kind and its id, as in "Employee e17" */
  return g_strdup_printf (C_("record kind and id", "%s %s"), kind_name (item->kind), item->entity_id);
}

/* One line of the comparison: a field's name and its value. */
typedef struct
{
  char *label;
  char *value;
} Field;

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->label);
  g_free (field->value);
  g_free (field);
}

static void
add_field (GPtrArray  *fields,
           const char *label,
           char       *value)
{
  Field *field = g_new0 (Field, 1);

  field->label = g_strdup (label);
  field->value = value;
  g_ptr_array_add (fields, field);
}

static char *
json_value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (C_("no value", "—"));

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *element = json_value_text (json_array_get_element (array, i));

          if (i > 0)
            g_string_append (text, ", ");
          g_string_append (text, element);
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  return rota_json_to_string (node, NULL);
}

/* A version's fields as a person reads them; NULL when there is none. */
static GPtrArray *
describe_version (const char   *kind,
                  const char   *payload,
                  RotaOutboxOp  op,
                  gboolean      mine,
                  gint64        base_version,
                  GHashTable   *names)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(RotaEntity) entity = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (payload == NULL)
    return NULL;

  fields = g_ptr_array_new_with_free_func (field_free);
  entity = decode_payload (kind, payload);

  if (mine && op == ROTA_OUTBOX_OP_DELETE)
    add_field (fields, _("Change"), g_strdup (_("Delete")));
  else if (mine && base_version == 0)
    add_field (fields, _("Change"), g_strdup (_("New")));
  else if (mine)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, base_version);
      /* Translators: a local edit made on the server's version %s of a record */
      char *value = g_strdup_printf (_("Edit of version %s"), number);

      add_field (fields, _("Change"), value);
    }
  else if (entity != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, rota_entity_get_version (entity));
      /* Translators: the server's version of a record, as in "Version 4" */
      char *value = g_strdup_printf (_("Version %s"), number);

      add_field (fields, _("Change"), value);
    }

  if (ROTA_IS_SHIFT (entity))
    {
      RotaShift *shift = ROTA_SHIFT (entity);
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (rota_shift_get_start (shift));
      const char *employee = rota_shift_get_employee_id (shift);
      const char *note = rota_shift_get_note (shift);
      gint64 break_minutes = rota_shift_get_break_minutes (shift);

      add_field (fields, _("Employee"), g_strdup (employee != NULL ? employee_name (names, employee) : _("Open shift")));
      add_field (fields, _("Day"), start != NULL ? format_day (start) : g_strdup (""));
      add_field (fields, _("Time"), format_shift_times (shift, FALSE));
      add_field (fields, _("Break"),
                 break_minutes > 0
                   ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", break_minutes),
                                      (int) break_minutes)
                   : g_strdup (C_("break", "None")));
      add_field (fields, _("Note"), g_strdup (note != NULL && *note != '\0' ? note : C_("no value", "—")));
      add_field (fields, _("Published"), g_strdup (rota_shift_get_published (shift) ? _("Yes") : _("No")));
      if (rota_shift_get_deleted (shift))
        add_field (fields, _("Deleted"), g_strdup (_("Yes")));

      return g_steal_pointer (&fields);
    }

  if (ROTA_IS_APPROVAL (entity))
    {
      RotaApproval *approval = ROTA_APPROVAL (entity);
      const char *author = rota_approval_get_author (approval);

      add_field (fields, _("Employee"), g_strdup (employee_name (names, rota_approval_get_employee_id (approval))));
      add_field (fields, _("Day"), format_work_date (rota_approval_get_work_date (approval)));
      add_field (fields, _("Decision"),
                 g_strdup (rota_approval_get_state (approval) == ROTA_APPROVAL_STATE_REJECTED
                             ? C_("approval", "Rejected")
                             : rota_approval_get_state (approval) == ROTA_APPROVAL_STATE_WITHDRAWN
                             ? C_("approval", "Withdrawn (undone)")
                             : C_("approval", "Approved")));
      add_field (fields, _("By"), g_strdup (author != NULL && *author != '\0' ? author : C_("no value", "—")));
      if (rota_approval_get_created_at (approval) > 0)
        add_field (fields, _("Made"), rota_format_local_time (rota_approval_get_created_at (approval), TRUE));

      return g_steal_pointer (&fields);
    }

  if (ROTA_IS_PUNCH_CORRECTION (entity))
    {
      RotaPunchCorrection *correction = ROTA_PUNCH_CORRECTION (entity);
      const char *code = rota_punch_correction_get_reason_code (correction);
      const char *text = rota_punch_correction_get_reason_text (correction);
      const char *author = rota_punch_correction_get_author (correction);
      char *action = describe_correction_action (correction);

      /* The first letter up: the action stands alone here. */
      if (*action != '\0')
        {
          g_autofree char *rest = g_utf8_substring (action, 1, g_utf8_strlen (action, -1));
          g_autofree char *first = g_utf8_substring (action, 0, 1);
          g_autofree char *upper = g_utf8_strup (first, -1);

          g_free (action);
          action = g_strconcat (upper, rest, NULL);
        }
      add_field (fields, _("Employee"), g_strdup (employee_name (names, rota_punch_correction_get_employee_id (correction))));
      add_field (fields, _("Correction"), action);
      add_field (fields, _("Reason"), g_strdup (code != NULL ? rota_punch_reason_label (code) : C_("no value", "—")));
      add_field (fields, _("Note"), g_strdup (text != NULL && *text != '\0' ? text : C_("no value", "—")));
      add_field (fields, _("By"), g_strdup (author != NULL && *author != '\0' ? author : C_("no value", "—")));
      if (rota_punch_correction_get_created_at (correction) > 0)
        add_field (fields, _("Made"), rota_format_local_time (rota_punch_correction_get_created_at (correction), TRUE));

      return g_steal_pointer (&fields);
    }

  /* Any other record: its JSON members, as they are named on the wire. */
  node = rota_json_parse (payload, strlen (payload), 0, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (g_str_equal (name, "id") || g_str_equal (name, "version") || g_str_equal (name, "updatedAt"))
            continue;
          add_field (fields, name, json_value_text (json_object_get_member (object, name)));
        }
    }
  else
    add_field (fields, _("Content"), g_strdup (payload));

  return g_steal_pointer (&fields);
}

static const char *
find_value (GPtrArray  *fields,
            const char *label)
{
  if (fields == NULL)
    return NULL;

  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->label, label))
        return field->value;
    }

  return NULL;
}

static GtkWidget *
make_label (const char *text,
            gboolean    bold)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0);
  /* Wrapping, but never narrower than a few words: a label that may
   * shrink to one character makes the dialog ask for a huge height. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_set_hexpand (label, TRUE);

  /* Changed values stand out by weight, not by colour. */
  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      gtk_label_set_attributes (GTK_LABEL (label), attrs);
      pango_attr_list_unref (attrs);
    }

  return label;
}

static GtkWidget *
make_comparison (RotaConflictDialog *self)
{
  const RotaOutboxItem *item = self->item;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *title = NULL;
  GtkWidget *box, *heading, *grid, *label;
  int row = 1;

  mine = describe_version (item->kind, item->payload, item->op, TRUE, item->base_version, self->names);
  theirs = describe_version (item->kind, item->server_payload, item->op, FALSE, 0, self->names);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  title = rota_outbox_item_describe (item, self->names);
  heading = gtk_label_new (title);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "rota-conflict-comparison");
  gtk_box_append (GTK_BOX (box), grid);

  label = make_label (_("Your edit"), FALSE);
  gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (GTK_GRID (grid), label, 1, 0, 1, 1);
  if (theirs != NULL)
    {
      label = make_label (_("On the server"), FALSE);
      gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (GTK_GRID (grid), label, 2, 0, 1, 1);
    }

  /* Rows in the order of the edit, then what only the server has. */
  for (guint i = 0; mine != NULL && i < mine->len; i++)
    g_ptr_array_add (labels, ((Field *) g_ptr_array_index (mine, i))->label);
  for (guint i = 0; theirs != NULL && i < theirs->len; i++)
    {
      Field *field = g_ptr_array_index (theirs, i);

      if (find_value (mine, field->label) == NULL)
        g_ptr_array_add (labels, field->label);
    }

  for (guint i = 0; i < labels->len; i++, row++)
    {
      const char *name = g_ptr_array_index (labels, i);
      const char *my_value = find_value (mine, name);
      const char *their_value = find_value (theirs, name);
      gboolean differs = theirs != NULL && g_strcmp0 (my_value, their_value) != 0 &&
                         !g_str_equal (name, _("Change"));
      GtkWidget *name_label = make_label (name, FALSE);

      gtk_widget_set_hexpand (name_label, FALSE);
      gtk_label_set_wrap (GTK_LABEL (name_label), FALSE);
      gtk_label_set_width_chars (GTK_LABEL (name_label), -1);
      gtk_widget_add_css_class (name_label, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), name_label, 0, row, 1, 1);

      label = make_label (my_value != NULL ? my_value : C_("no value", "—"), differs);
      gtk_grid_attach (GTK_GRID (grid), label, 1, row, 1, 1);

      if (theirs != NULL)
        {
          label = make_label (their_value != NULL ? their_value : C_("no value", "—"), differs);
          gtk_grid_attach (GTK_GRID (grid), label, 2, row, 1, 1);
        }
    }

  if (mine != NULL && theirs != NULL)
    {
      label = gtk_label_new (_("Values that differ are shown in bold."));
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }

  return box;
}

/* Overrides */

static void
rota_conflict_dialog_constructed (GObject *object)
{
  RotaConflictDialog *self = ROTA_CONFLICT_DIALOG (object);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  const RotaOutboxItem *item = self->item;
  g_autoptr(GString) body = g_string_new (NULL);

  G_OBJECT_CLASS (rota_conflict_dialog_parent_class)->constructed (object);

  g_assert (item != NULL);

  adw_message_dialog_add_response (dialog, ROTA_CONFLICT_RESPONSE_CANCEL, _("_Cancel"));

  if (item->state == ROTA_OUTBOX_STATE_PARKED)
    {
      adw_message_dialog_set_heading (dialog, _("Edit Refused by the Server"));
      g_string_append (body, _("The server will not take this edit as it is. Discard it here, and "
                               "make the edit again if it is still needed."));
      adw_message_dialog_add_response (dialog, ROTA_CONFLICT_RESPONSE_DISCARD, _("_Discard Edit"));
      adw_message_dialog_set_response_appearance (dialog, ROTA_CONFLICT_RESPONSE_DISCARD,
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      adw_message_dialog_set_heading (dialog, _("Resolve Conflict"));
      g_string_append (body, _("This was changed on the server after you edited it. "
                               "Keep Mine sends your edit again, over the server’s version. "
                               "Take Theirs drops your edit."));
      adw_message_dialog_add_response (dialog, ROTA_CONFLICT_RESPONSE_TAKE_THEIRS, _("_Take Theirs"));
      adw_message_dialog_add_response (dialog, ROTA_CONFLICT_RESPONSE_KEEP_MINE, _("_Keep Mine"));

      /* The store cannot put an edit on a version the server no longer has. */
      if (item->server_payload == NULL)
        {
          g_string_append (body, "\n\n");
          g_string_append (body, _("The server no longer has this record, so your edit cannot be kept. "
                                   "Take the server’s side, then make the edit anew."));
          adw_message_dialog_set_response_enabled (dialog, ROTA_CONFLICT_RESPONSE_KEEP_MINE, FALSE);
        }
    }

  if (item->message != NULL && *item->message != '\0')
    {
      g_string_append (body, "\n\n");
      /* Translators: %s is the server's own message, in its language */
      g_string_append_printf (body, _("The server said: “%s”"), item->message);
    }

  adw_message_dialog_set_body (dialog, body->str);
  adw_message_dialog_set_extra_child (dialog, make_comparison (self));
  adw_message_dialog_set_default_response (dialog, ROTA_CONFLICT_RESPONSE_CANCEL);
  adw_message_dialog_set_close_response (dialog, ROTA_CONFLICT_RESPONSE_CANCEL);
}

static void
rota_conflict_dialog_finalize (GObject *object)
{
  RotaConflictDialog *self = ROTA_CONFLICT_DIALOG (object);

  g_clear_pointer (&self->item, rota_outbox_item_free);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (rota_conflict_dialog_parent_class)->finalize (object);
}

static void
rota_conflict_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RotaConflictDialog *self = ROTA_CONFLICT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_boxed (value, self->item);
      break;

    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_conflict_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RotaConflictDialog *self = ROTA_CONFLICT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_boxed (value);
      break;

    case PROP_NAMES:
      self->names = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_conflict_dialog_class_init (RotaConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rota_conflict_dialog_constructed;
  object_class->finalize = rota_conflict_dialog_finalize;
  object_class->get_property = rota_conflict_dialog_get_property;
  object_class->set_property = rota_conflict_dialog_set_property;

  properties[PROP_ITEM] =
    g_param_spec_boxed ("item", NULL, NULL, ROTA_TYPE_OUTBOX_ITEM,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Employee id → name, for the records that name someone. */
  properties[PROP_NAMES] =
    g_param_spec_boxed ("names", NULL, NULL, G_TYPE_HASH_TABLE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rota_conflict_dialog_init (RotaConflictDialog *self)
{
}

/* Public API */

/**
 * rota_conflict_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @item: an outbox item in conflict or parked
 * @names: (nullable) (element-type utf8 utf8): employee id → name
 *
 * Returns: (transfer floating): a modal dialog; its responses are the
 *   ROTA_CONFLICT_RESPONSE_ ids
 */
GtkWidget *
rota_conflict_dialog_new (GtkWindow            *parent,
                          const RotaOutboxItem *item,
                          GHashTable           *names)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (item->state == ROTA_OUTBOX_STATE_CONFLICT ||
                        item->state == ROTA_OUTBOX_STATE_PARKED, NULL);

  return g_object_new (ROTA_TYPE_CONFLICT_DIALOG,
                       "item", item,
                       "names", names,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}

const RotaOutboxItem *
rota_conflict_dialog_get_item (RotaConflictDialog *self)
{
  g_return_val_if_fail (ROTA_IS_CONFLICT_DIALOG (self), NULL);

  return self->item;
}
