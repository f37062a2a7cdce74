/* td-change-dialog.c — record a production change, or edit or delete one
 *
 * The Change Success Rate [10.1] counts what people record here: what was
 * changed, of which kind and by which tier [4.3], when, by whom, and how
 * it went. A change is usually recorded as planned and given its outcome
 * afterwards. The form checks with the server's own rules
 * (td_change_check ()) and names the field at fault before anything is
 * written; only the fields that changed are sent, so an edit does not undo
 * someone else's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-change-dialog.h"
#include "td-change.h"
#include "td-time.h"

struct _TdChangeDialog
{
  AdwWindow parent_instance;

  GtkLabel     *error_label;
  AdwEntryRow  *title_row;
  AdwComboRow  *kind_row;
  AdwComboRow  *tier_row;
  AdwComboRow  *status_row;
  AdwEntryRow  *planned_row;
  AdwEntryRow  *performed_row;
  AdwComboRow  *implementer_row;
  AdwActionRow *ticket_row;
  AdwEntryRow  *description_row;
  AdwEntryRow  *rollback_row;
  AdwEntryRow  *outcome_row;
  GtkButton    *save_button;
  GtkButton    *delete_button;

  TdSession  *session;
  JsonObject *row;    /* the change edited, or NULL */
  char       *ticket; /* the ticket's uuid, or NULL */
  GArray     *tiers;  /* tier_row position → level */
  GPtrArray  *people; /* implementer_row position → person uuid; [0] NULL */
};

G_DEFINE_FINAL_TYPE (TdChangeDialog, td_change_dialog, ADW_TYPE_WINDOW)

enum
{
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of TdChangeStatus. */
static const char *const status_labels[] = {
  N_ ("Planned"),
  N_ ("Succeeded"),
  N_ ("Failed"),
  N_ ("Rolled Back"),
};

static TdPolicy *
policy (TdChangeDialog *self)
{
  return td_session_get_policy (self->session);
}

static TdInstant
server_now (TdChangeDialog *self)
{
  TdSyncEngine *engine = td_session_get_engine (self->session);

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

static void
show_error (TdChangeDialog *self, GtkWidget *field, const char *message)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->title_row),   GTK_WIDGET (self->kind_row),
                        GTK_WIDGET (self->tier_row),    GTK_WIDGET (self->status_row),
                        GTK_WIDGET (self->planned_row), GTK_WIDGET (self->performed_row),
                        GTK_WIDGET (self->outcome_row) };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  if (field != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_widget_grab_focus (field);
    }
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const TdChangeKind *
selected_kind (TdChangeDialog *self)
{
  GPtrArray *kinds = td_policy_get_change_kinds (policy (self));
  guint      position = adw_combo_row_get_selected (self->kind_row);

  return position < kinds->len ? g_ptr_array_index (kinds, position) : NULL;
}

static int
selected_tier (TdChangeDialog *self)
{
  guint position = adw_combo_row_get_selected (self->tier_row);

  return position < self->tiers->len ? g_array_index (self->tiers, int, position) : 0;
}

static void
select_tier (TdChangeDialog *self, int level)
{
  for (guint i = 0; i < self->tiers->len; i++)
    if (g_array_index (self->tiers, int, i) == level)
      adw_combo_row_set_selected (self->tier_row, i);
}

/* A schema change is not Tier 2's [4.3]: choosing one moves the tier up
 * to the first that makes it, rather than leaving a form that will be
 * refused. */
static void
on_kind_changed (TdChangeDialog *self)
{
  const TdChangeKind *kind = selected_kind (self);

  if (kind != NULL && selected_tier (self) < kind->from_tier)
    select_tier (self, kind->from_tier);
}

/* A failure needs its reason [10.2]; a success may have a note. */
static void
show_outcome_row (TdChangeDialog *self)
{
  guint status = adw_combo_row_get_selected (self->status_row);

  gtk_widget_set_visible (GTK_WIDGET (self->outcome_row), status != TD_CHANGE_PLANNED);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->outcome_row),
                                 status == TD_CHANGE_SUCCEEDED ? _ ("Outcome Notes")
                                                               : _ ("What Went Wrong"));
}

/* Giving a change its outcome: it was performed, most likely just now. */
static void
on_status_changed (TdChangeDialog *self)
{
  guint status = adw_combo_row_get_selected (self->status_row);

  show_outcome_row (self);
  if (status != TD_CHANGE_PLANNED
      && *gtk_editable_get_text (GTK_EDITABLE (self->performed_row)) == '\0')
    {
      g_autoptr (GTimeZone) local = g_time_zone_new_local ();
      g_autofree char *now = td_time_format_wall_clock (server_now (self), local);

      gtk_editable_set_text (GTK_EDITABLE (self->performed_row), now);
    }
}

static void
now_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdChangeDialog *self = TD_CHANGE_DIALOG (widget);
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *now = td_time_format_wall_clock (server_now (self), local);

  gtk_editable_set_text (GTK_EDITABLE (self->performed_row), now);
}

/* Reading the form */

/* An optional time field: 0 when empty; FALSE (with the error shown) when
 * it is not a time. */
static gboolean
read_time (TdChangeDialog *self, AdwEntryRow *row, TdInstant *out)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  *out = 0;
  if (*text == '\0' || td_time_parse_wall_clock (text, local, out))
    return TRUE;
  {
    g_autofree char *message
        = g_strdup_printf (_ ("%s: “%s” is not a time; write it as YYYY-MM-DD HH:MM."),
                           adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), text);
    show_error (self, GTK_WIDGET (row), message);
  }
  return FALSE;
}

static void
set_text_or_null (JsonObject *fields, const char *name, const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (*trimmed != '\0')
    json_object_set_string_member (fields, name, trimmed);
  else
    json_object_set_null_member (fields, name);
}

static void
set_instant_or_null (JsonObject *fields, const char *name, TdInstant at)
{
  if (at > 0)
    json_object_set_int_member (fields, name, at);
  else
    json_object_set_null_member (fields, name);
}

/* The sentence for a refusal of td_change_check (), naming the field as
 * the form labels it. */
static void
explain (TdChangeDialog *self, TdChangeCheck check, const TdChangeFields *change)
{
  const TdChangeKind *kind = selected_kind (self);
  g_autofree char    *message = NULL;
  GtkWidget          *field = NULL;

  switch (check)
    {
      case TD_CHANGE_CHECK_NO_TITLE:
        message = g_strdup (_ ("Title: say what the change is."));
        field = GTK_WIDGET (self->title_row);
        break;
      case TD_CHANGE_CHECK_TITLE_TOO_LONG:
        message = g_strdup_printf (_ ("Title: at most %d characters."), TD_CHANGE_TITLE_MAX);
        field = GTK_WIDGET (self->title_row);
        break;
      case TD_CHANGE_CHECK_UNKNOWN_KIND:
        message = g_strdup (_ ("Kind: choose the kind of change."));
        field = GTK_WIDGET (self->kind_row);
        break;
      case TD_CHANGE_CHECK_UNKNOWN_TIER:
        message = g_strdup (_ ("Tier: choose the tier that made the change."));
        field = GTK_WIDGET (self->tier_row);
        break;
      case TD_CHANGE_CHECK_KIND_NOT_FOR_TIER:
        message = g_strdup_printf (_ ("Tier: a %s is made from Tier %d up, not at Tier %d."),
                                   kind != NULL ? kind->name : change->kind,
                                   kind != NULL ? kind->from_tier : 0, change->tier);
        field = GTK_WIDGET (self->tier_row);
        break;
      case TD_CHANGE_CHECK_UNKNOWN_STATUS:
        message = g_strdup (_ ("Status: choose how the change went."));
        field = GTK_WIDGET (self->status_row);
        break;
      case TD_CHANGE_CHECK_NOT_PERFORMED:
        message = g_strdup (_ ("Performed: enter when the change was performed."));
        field = GTK_WIDGET (self->performed_row);
        break;
      case TD_CHANGE_CHECK_PERFORMED_LATER:
        message = g_strdup_printf (_ ("Performed: %s is in the future."),
                                   gtk_editable_get_text (GTK_EDITABLE (self->performed_row)));
        field = GTK_WIDGET (self->performed_row);
        break;
      case TD_CHANGE_CHECK_NO_OUTCOME_NOTE:
        message = g_strdup (_ ("What Went Wrong: say what went wrong, for the review."));
        field = GTK_WIDGET (self->outcome_row);
        break;
      case TD_CHANGE_CHECK_OK:
      default:
        return;
    }
  show_error (self, field, message);
}

/* The form as the fields of a change_record; NULL (with the error shown)
 * when something is wrong. */
static JsonObject *
read_form (TdChangeDialog *self)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  const TdChangeKind *kind = selected_kind (self);
  guint               status = adw_combo_row_get_selected (self->status_row);
  guint               implementer = adw_combo_row_get_selected (self->implementer_row);
  g_autofree char    *title
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  const char    *outcome = gtk_editable_get_text (GTK_EDITABLE (self->outcome_row));
  TdInstant      planned = 0;
  TdInstant      performed = 0;
  TdChangeFields change = { 0 };
  TdChangeCheck  check;

  if (!read_time (self, self->planned_row, &planned)
      || !read_time (self, self->performed_row, &performed))
    return NULL;
  /* A planned change has not been performed: a time typed before the
   * status went back to Planned is not kept. */
  if (status == TD_CHANGE_PLANNED)
    performed = 0;

  change.title = title;
  change.kind = kind != NULL ? kind->id : NULL;
  change.tier = selected_tier (self);
  change.status = status <= TD_CHANGE_ROLLED_BACK ? td_change_status_to_string (status) : NULL;
  change.performed_at = performed;
  change.outcome_note = status != TD_CHANGE_PLANNED ? outcome : NULL;
  check = td_change_check (policy (self), &change, server_now (self), NULL, NULL);
  if (check != TD_CHANGE_CHECK_OK)
    {
      explain (self, check, &change);
      return NULL;
    }

  json_object_set_string_member (fields, "title", title);
  json_object_set_string_member (fields, "kind", change.kind);
  json_object_set_int_member (fields, "tier", change.tier);
  json_object_set_string_member (fields, "status", change.status);
  set_instant_or_null (fields, "planned_for", planned);
  set_instant_or_null (fields, "performed_at", performed);
  if (implementer < self->people->len && g_ptr_array_index (self->people, implementer) != NULL)
    json_object_set_string_member (fields, "implementer",
                                   g_ptr_array_index (self->people, implementer));
  else
    json_object_set_null_member (fields, "implementer");
  if (self->ticket != NULL)
    json_object_set_string_member (fields, "ticket", self->ticket);
  set_text_or_null (fields, "description",
                    gtk_editable_get_text (GTK_EDITABLE (self->description_row)));
  set_text_or_null (fields, "rollback_plan",
                    gtk_editable_get_text (GTK_EDITABLE (self->rollback_row)));
  set_text_or_null (fields, "outcome_note", change.outcome_note);
  return g_steal_pointer (&fields);
}

/* Only what changed goes to the server. */
static void
keep_changes (TdChangeDialog *self, JsonObject *fields)
{
  g_autoptr (GList) names = json_object_get_members (fields);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode   *mine = json_object_get_member (fields, name);
      JsonNode   *stored = json_object_get_member (self->row, name);
      gboolean    same;

      if (JSON_NODE_HOLDS_NULL (mine))
        same = stored == NULL || JSON_NODE_HOLDS_NULL (stored);
      else if (stored == NULL || JSON_NODE_HOLDS_NULL (stored))
        same = FALSE;
      else if (json_node_get_value_type (mine) == G_TYPE_INT64)
        same = json_node_get_int (mine) == json_node_get_int (stored);
      else
        same = g_strcmp0 (json_node_get_string (mine), json_node_get_string (stored)) == 0;
      if (same)
        json_object_remove_member (fields, name);
    }
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdChangeDialog *self = TD_CHANGE_DIALOG (widget);
  TdCache        *cache = td_session_get_cache (self->session);
  g_autoptr (JsonObject) fields = read_form (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *message = NULL;

  if (fields == NULL)
    return;
  message = g_strdup_printf (self->row != NULL ? _ ("Saved “%s”") : _ ("Recorded “%s”"),
                             json_object_get_string_member (fields, "title"));
  if (self->row != NULL)
    {
      uuid = g_strdup (td_cache_row_text (self->row, "uuid"));
      keep_changes (self, fields);
      if (json_object_get_size (fields) == 0)
        {
          gtk_window_close (GTK_WINDOW (self));
          return;
        }
      if (!td_cache_update (cache, "change_record", uuid, fields, &error))
        {
          show_error (self, NULL, error->message);
          return;
        }
    }
  else if ((uuid = td_cache_create (cache, "change_record", fields, &error)) == NULL)
    {
      show_error (self, NULL, error->message);
      return;
    }
  td_session_local_change (self->session, "change_record", uuid);
  g_signal_emit (self, signals[SAVED], 0, message);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_later (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, TdChangeDialog *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  const char      *uuid = td_cache_row_text (self->row, "uuid");

  if (g_strcmp0 (response, "delete") != 0)
    return;
  if (!td_cache_delete (td_session_get_cache (self->session), "change_record", uuid, &error))
    {
      show_error (self, NULL, error->message);
      return;
    }
  td_session_local_change (self->session, "change_record", uuid);
  message = g_strdup_printf (_ ("Deleted “%s”"), td_cache_row_text (self->row, "title"));
  g_signal_emit (self, signals[SAVED], 0, message);
  /* Not now: the question is transient for this window and destroyed with
   * it, and it still has its own closing to do once this handler returns. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_later, g_object_ref (self), g_object_unref);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdChangeDialog  *self = TD_CHANGE_DIALOG (widget);
  g_autofree char *heading = NULL;
  GtkWidget       *dialog;

  if (self->row == NULL)
    return;
  heading = g_strdup_printf (_ ("Delete “%s”?"), td_cache_row_text (self->row, "title"));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _ ("It will no longer count for the Change Success Rate. "
                                      "Delete a change only if it was recorded in error."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "delete",
                                    _ ("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
td_change_dialog_finalize (GObject *object)
{
  TdChangeDialog *self = TD_CHANGE_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->row, json_object_unref);
  g_clear_pointer (&self->ticket, g_free);
  g_clear_pointer (&self->tiers, g_array_unref);
  g_clear_pointer (&self->people, g_ptr_array_unref);

  G_OBJECT_CLASS (td_change_dialog_parent_class)->finalize (object);
}

static void
td_change_dialog_class_init (TdChangeDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_change_dialog_finalize;

  /* The sentence for a toast. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-change-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, tier_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, planned_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, performed_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, implementer_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, ticket_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, rollback_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, TdChangeDialog, delete_button);

  gtk_widget_class_install_action (widget_class, "change.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "change.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "change.now", NULL, now_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "change.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_change_dialog_init (TdChangeDialog *self)
{
  self->tiers = g_array_new (FALSE, FALSE, sizeof (int));
  self->people = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
fill_choices (TdChangeDialog *self, int my_tier)
{
  g_autoptr (GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) tiers = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) people = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) rows
      = td_cache_list (td_session_get_cache (self->session), "person", NULL, NULL, "name");
  GPtrArray  *change_kinds = td_policy_get_change_kinds (policy (self));
  GPtrArray  *policy_tiers = td_policy_get_tiers (policy (self));
  const char *implementer = self->row != NULL ? td_cache_row_text (self->row, "implementer")
                                              : td_session_get_person (self->session);
  int         lowest = G_MAXINT;
  guint       implementer_position = 0;

  for (guint i = 0; i < change_kinds->len; i++)
    {
      const TdChangeKind *kind = g_ptr_array_index (change_kinds, i);
      gtk_string_list_append (kinds, kind->name);
      lowest = MIN (lowest, kind->from_tier);
    }
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));

  /* Only the tiers that make some kind of change. */
  for (guint i = 0; i < policy_tiers->len; i++)
    {
      const TdTier    *tier = g_ptr_array_index (policy_tiers, i);
      g_autofree char *name = NULL;

      if (tier->level < lowest)
        continue;
      name = g_strdup_printf (_ ("Tier %d · %s"), tier->level, tier->short_name);
      gtk_string_list_append (tiers, name);
      g_array_append_val (self->tiers, tier->level);
    }
  adw_combo_row_set_model (self->tier_row, G_LIST_MODEL (tiers));
  select_tier (self, my_tier);

  for (guint i = 0; i < G_N_ELEMENTS (status_labels); i++)
    gtk_string_list_append (statuses, _ (status_labels[i]));
  adw_combo_row_set_model (self->status_row, G_LIST_MODEL (statuses));

  /* Whoever may record changes, and whoever the change names already. */
  g_ptr_array_add (self->people, NULL);
  gtk_string_list_append (people, _ ("Nobody named"));
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *person = g_ptr_array_index (rows, i);
      const char *uuid = td_cache_row_text (person, "uuid");
      const char *role = td_cache_row_text (person, "role");
      gboolean    named = g_strcmp0 (uuid, implementer) == 0;

      if (!named && (role == NULL || !td_policy_role_may (policy (self), role, "change.write")))
        continue;
      g_ptr_array_add (self->people, g_strdup (uuid));
      gtk_string_list_append (people, td_cache_row_text (person, "name"));
      if (named)
        implementer_position = self->people->len - 1;
    }
  adw_combo_row_set_model (self->implementer_row, G_LIST_MODEL (people));
  adw_combo_row_set_selected (self->implementer_row, implementer_position);
}

static void
show_ticket (TdChangeDialog *self)
{
  g_autoptr (JsonObject) ticket = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->ticket_row), self->ticket != NULL);
  if (self->ticket == NULL)
    return;
  ticket = td_cache_get_row (td_session_get_cache (self->session), "ticket", self->ticket);
  adw_action_row_set_subtitle (self->ticket_row,
                               ticket != NULL && td_cache_row_text (ticket, "title") != NULL
                                   ? td_cache_row_text (ticket, "title")
                                   : self->ticket);
}

static void
set_time (AdwEntryRow *row, TdInstant at)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *text = at > 0 ? td_time_format_wall_clock (at, local) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

TdChangeDialog *
td_change_dialog_new (GtkWindow *parent, TdSession *session, const char *change, const char *ticket)
{
  TdChangeDialog *self;
  TdPolicy       *session_policy;
  const char     *me;
  g_autoptr (JsonObject) person = NULL;
  int my_tier = 0;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  self = g_object_new (TD_TYPE_CHANGE_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  session_policy = policy (self);
  if (change != NULL)
    {
      self->row = td_cache_get_row (td_session_get_cache (session), "change_record", change);
      g_return_val_if_fail (self->row != NULL, self);
      self->ticket = g_strdup (td_cache_row_text (self->row, "ticket"));
    }
  else
    self->ticket = g_strdup (ticket);

  /* A new change is the signed-in person's tier's, by default. */
  me = td_session_get_person (session);
  person = me != NULL ? td_cache_get_row (td_session_get_cache (session), "person", me) : NULL;
  if (person != NULL)
    my_tier = (int) td_cache_row_int (person, "tier");
  if (self->row != NULL)
    my_tier = (int) td_cache_row_int (self->row, "tier");
  fill_choices (self, my_tier);

  if (self->row != NULL)
    {
      GPtrArray     *kinds = td_policy_get_change_kinds (session_policy);
      TdChangeStatus status = TD_CHANGE_PLANNED;

      gtk_window_set_title (GTK_WINDOW (self), _ ("Edit Change"));
      gtk_button_set_label (self->save_button, _ ("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                             td_cache_row_text (self->row, "title"));
      for (guint i = 0; i < kinds->len; i++)
        if (g_strcmp0 (((TdChangeKind *) kinds->pdata[i])->id,
                       td_cache_row_text (self->row, "kind"))
            == 0)
          adw_combo_row_set_selected (self->kind_row, i);
      td_change_status_from_string (td_cache_row_text (self->row, "status"), &status);
      adw_combo_row_set_selected (self->status_row, status);
      set_time (self->planned_row, td_cache_row_int (self->row, "planned_for"));
      set_time (self->performed_row, td_cache_row_int (self->row, "performed_at"));
      gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                             td_cache_row_text (self->row, "description") != NULL
                                 ? td_cache_row_text (self->row, "description")
                                 : "");
      gtk_editable_set_text (GTK_EDITABLE (self->rollback_row),
                             td_cache_row_text (self->row, "rollback_plan") != NULL
                                 ? td_cache_row_text (self->row, "rollback_plan")
                                 : "");
      gtk_editable_set_text (GTK_EDITABLE (self->outcome_row),
                             td_cache_row_text (self->row, "outcome_note") != NULL
                                 ? td_cache_row_text (self->row, "outcome_note")
                                 : "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button),
                          self->row != NULL && td_session_may (session, "change.delete", 0));
  show_outcome_row (self);
  show_ticket (self);
  on_kind_changed (self);
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (on_kind_changed), self);
  g_signal_connect_swapped (self->status_row, "notify::selected", G_CALLBACK (on_status_changed),
                            self);
  return self;
}
