/* td-ticket-editor.c — logging a new ticket with every field the policy requires
 *
 * Nothing is sent until every required field [3.5] is there: the message
 * names the missing fields, each missing row is marked, and the first gets
 * the focus. Impact and urgency show the priority and severity the triage
 * matrix [3.2] gives, as they change. The ticket is written to the cache
 * (and its outbox) at once, so creating works offline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "td-a11y.h"
#include "td-knowledge.h"
#include "td-ticket-editor.h"
#include "td-time.h"
#include "td-triage.h"

struct _TdTicketEditor
{
  AdwWindow parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkLabel            *missing_label;
  AdwEntryRow         *title_row;
  AdwEntryRow         *description_row;
  AdwEntryRow         *steps_to_reproduce_row;
  AdwEntryRow         *error_message_row;
  AdwEntryRow         *occurred_at_row;
  AdwEntryRow         *browser_device_row;
  AdwEntryRow         *user_id_row;
  AdwEntryRow         *contact_row;
  AdwComboRow         *impact_row;
  AdwComboRow         *urgency_row;
  GtkLabel            *priority_label;
  AdwPreferencesGroup *knowledge_group;
  GtkListBox          *suggestions_list;

  TdSession  *session;
  GHashTable *linked; /* article uuids ticked to be linked */
  guint       suggest_id;
};

G_DEFINE_FINAL_TYPE (TdTicketEditor, td_ticket_editor, ADW_TYPE_WINDOW)

enum
{
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The policy's items behind a combo row; position 0 is "not chosen". */
static const char *
chosen_id (AdwComboRow *row, GPtrArray *items)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > items->len)
    return NULL;
  return ((const TdPolicyItem *) g_ptr_array_index (items, selected - 1))->id;
}

static const char *
impact_id (TdTicketEditor *self)
{
  return chosen_id (self->impact_row,
                    td_policy_get_impacts (td_session_get_policy (self->session)));
}

static const char *
urgency_id (TdTicketEditor *self)
{
  return chosen_id (self->urgency_row,
                    td_policy_get_urgencies (td_session_get_policy (self->session)));
}

GtkWidget *
td_ticket_editor_get_field (TdTicketEditor *self, const char *field_id)
{
  const struct
  {
    const char *id;
    gpointer    row;
  } fields[] = {
    { "title", self->title_row },
    { "description", self->description_row },
    { "steps_to_reproduce", self->steps_to_reproduce_row },
    { "error_message", self->error_message_row },
    { "occurred_at", self->occurred_at_row },
    { "browser_device", self->browser_device_row },
    { "user_id", self->user_id_row },
    { "contact", self->contact_row },
    { "impact", self->impact_row },
    { "urgency", self->urgency_row },
  };

  g_return_val_if_fail (TD_IS_TICKET_EDITOR (self), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].id, field_id))
      return GTK_WIDGET (fields[i].row);
  return NULL;
}

static const char *
field_text (TdTicketEditor *self, const char *field_id)
{
  GtkWidget *row;

  if (g_str_equal (field_id, "impact"))
    return impact_id (self);
  if (g_str_equal (field_id, "urgency"))
    return urgency_id (self);
  row = td_ticket_editor_get_field (self, field_id);
  if (row == NULL || !GTK_IS_EDITABLE (row))
    return NULL;
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* For td_triage_missing_fields: blanks count as missing. */
static const char *
lookup_field (const char *field_id, gpointer user_data)
{
  const char *text = field_text (user_data, field_id);

  if (text == NULL)
    return NULL;
  while (g_ascii_isspace (*text))
    text++;
  return *text != '\0' ? text : NULL;
}

/* "2026-11-27 09:30" in local time, or an ISO 8601 instant. */
static GDateTime *
parse_timestamp (const char *text)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  GDateTime *parsed;
  TdInstant  at = 0;

  if (text == NULL)
    return NULL;
  parsed = g_date_time_new_from_iso8601 (text, local);
  if (parsed != NULL)
    return parsed;
  if (td_time_parse_wall_clock (text, local, &at))
    return g_date_time_new_from_unix_local (at);
  return NULL;
}

static void
on_triage_changed (TdTicketEditor *self)
{
  const char         *impact = impact_id (self);
  const char         *urgency = urgency_id (self);
  const TdTriageRule *rule = NULL;
  g_autofree char    *text = NULL;

  if (impact != NULL && urgency != NULL)
    rule = td_triage (td_session_get_policy (self->session), impact, urgency, NULL);
  if (rule != NULL)
    text = g_strdup_printf ("%s · %s", rule->priority, rule->severity);
  else
    text = g_strdup (_ ("Choose impact and urgency"));
  gtk_label_set_text (self->priority_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->priority_label), "error");
  if (rule != NULL && g_strcmp0 (rule->severity, "SEV-1") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->priority_label), "error");
}

static void
clear_marks (TdTicketEditor *self)
{
  static const char *const ids[] = { "title",         "description", "steps_to_reproduce",
                                     "error_message", "occurred_at", "browser_device",
                                     "user_id",       "contact",     "impact",
                                     "urgency" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    gtk_widget_remove_css_class (td_ticket_editor_get_field (self, ids[i]), "error");
}

static gboolean
validate (TdTicketEditor *self)
{
  TdPolicy *policy = td_session_get_policy (self->session);
  g_autoptr (GPtrArray) missing = td_triage_missing_fields (policy, lookup_field, self);
  g_autoptr (GString) names = g_string_new (NULL);
  GtkWidget  *first = NULL;
  const char *timestamp = lookup_field ("occurred_at", self);

  clear_marks (self);
  if (lookup_field ("title", self) == NULL)
    {
      g_string_append (names, _ ("Title"));
      first = td_ticket_editor_get_field (self, "title");
      gtk_widget_add_css_class (first, "error");
    }
  for (guint i = 0; i < missing->len; i++)
    {
      const TdTicketField *field = g_ptr_array_index (missing, i);
      GtkWidget           *row = td_ticket_editor_get_field (self, field->id);

      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", field->name);
      if (row != NULL)
        {
          gtk_widget_add_css_class (row, "error");
          if (first == NULL)
            first = row;
        }
    }
  if (names->len > 0)
    {
      g_autofree char *message
          = g_strdup_printf (_ ("Required fields are missing: %s"), names->str);

      gtk_label_set_text (self->missing_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->missing_label), TRUE);
      gtk_widget_grab_focus (first);
      return FALSE;
    }
  if (timestamp != NULL)
    {
      g_autoptr (GDateTime) when = parse_timestamp (timestamp);

      if (when == NULL)
        {
          g_autofree char *message = g_strdup_printf (
              _ ("Timestamp: “%s” is not a date and time such as 2026-11-27 09:30"), timestamp);

          gtk_label_set_text (self->missing_label, message);
          gtk_widget_set_visible (GTK_WIDGET (self->missing_label), TRUE);
          gtk_widget_add_css_class (GTK_WIDGET (self->occurred_at_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->occurred_at_row));
          return FALSE;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), FALSE);
  return TRUE;
}

/* Knowledge base suggestions [3.3]: what the title and description match,
 * so Tier 1 finds a known issue's workaround while the user is still on
 * the line. Ticked articles are linked once the ticket exists. */

static void
on_suggestion_toggled (GtkCheckButton *check, TdTicketEditor *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (check), "article");

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->linked, g_strdup (uuid));
  else
    g_hash_table_remove (self->linked, uuid);
}

static gboolean
show_suggestions (gpointer data)
{
  TdTicketEditor  *self = data;
  g_autofree char *text
      = g_strconcat (gtk_editable_get_text (GTK_EDITABLE (self->title_row)), " ",
                     gtk_editable_get_text (GTK_EDITABLE (self->description_row)), NULL);
  g_autoptr (GPtrArray) articles
      = td_cache_suggest_articles (td_session_get_cache (self->session), text, 5);
  GtkWidget *child;

  self->suggest_id = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_list))) != NULL)
    gtk_list_box_remove (self->suggestions_list, child);
  for (guint i = 0; i < articles->len; i++)
    {
      JsonObject *article = g_ptr_array_index (articles, i);
      const char *uuid = json_object_get_string_member (article, "uuid");
      const char *workaround
          = json_object_get_string_member_with_default (article, "workaround", NULL);
      GtkWidget       *row = adw_action_row_new ();
      GtkWidget       *check = gtk_check_button_new ();
      g_autofree char *subtitle = NULL;

      if (workaround != NULL && *workaround != '\0')
        {
          g_autofree char *plain = td_knowledge_body_to_plain (workaround);
          subtitle = g_strdup_printf (_ ("Workaround: %s"), plain);
        }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     json_object_get_string_member (article, "title"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_set_name (check, "suggestion-link");
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (check, _ ("Link to the new ticket"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Link to the new ticket"), -1);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_hash_table_contains (self->linked, uuid));
      g_object_set_data_full (G_OBJECT (check), "article", g_strdup (uuid), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (on_suggestion_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->suggestions_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->knowledge_group), articles->len > 0);
  return G_SOURCE_REMOVE;
}

static void
on_description_changed (TdTicketEditor *self)
{
  /* Once typing pauses, not at every keystroke. */
  g_clear_handle_id (&self->suggest_id, g_source_remove);
  self->suggest_id = g_timeout_add (150, show_suggestions, self);
}

static void
link_ticked (TdTicketEditor *self, const char *ticket)
{
  GHashTableIter iter;
  gpointer       article;

  g_hash_table_iter_init (&iter, self->linked);
  while (g_hash_table_iter_next (&iter, &article, NULL))
    {
      g_autoptr (JsonObject) fields = json_object_new ();
      g_autoptr (GError) error = NULL;
      g_autofree char *link = NULL;

      json_object_set_string_member (fields, "article", article);
      json_object_set_string_member (fields, "ticket", ticket);
      link = td_cache_create (td_session_get_cache (self->session), "article_link", fields, &error);
      if (link != NULL)
        td_sync_engine_local_change (td_session_get_engine (self->session), "article_link", link);
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
    }
}

static void
create_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTicketEditor *self = TD_TICKET_EDITOR (widget);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) when = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *when_text = NULL;
  static const struct
  {
    const char *form;
    const char *column;
  } texts[] = {
    { "title", "title" },
    { "description", "description" },
    { "steps_to_reproduce", "steps_to_reproduce" },
    { "error_message", "error_message" },
    { "browser_device", "browser_device" },
    { "user_id", "affected_user_id" },
    { "contact", "contact" },
  };

  if (!validate (self))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *value = lookup_field (texts[i].form, self);

      if (value != NULL)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (value));
          json_object_set_string_member (fields, texts[i].column, trimmed);
        }
    }
  json_object_set_string_member (fields, "impact", impact_id (self));
  json_object_set_string_member (fields, "urgency", urgency_id (self));
  when = parse_timestamp (lookup_field ("occurred_at", self));
  {
    g_autoptr (GDateTime) utc = g_date_time_to_utc (when);
    when_text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  json_object_set_string_member (fields, "occurred_at", when_text);

  uuid = td_cache_create (td_session_get_cache (self->session), "ticket", fields, &error);
  if (uuid == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "ticket", uuid);
  link_ticked (self, uuid);
  g_signal_emit (self, signals[CREATED], 0, uuid);
  gtk_window_close (GTK_WINDOW (self));
}

static GListModel *
items_model (GPtrArray *items)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _ ("Choose…"));
  for (guint i = 0; i < items->len; i++)
    {
      const TdPolicyItem *item = g_ptr_array_index (items, i);
      g_autofree char    *label = g_strdup_printf ("%s — %s", item->name, item->description);

      gtk_string_list_append (list, label);
    }
  return G_LIST_MODEL (list);
}

TdTicketEditor *
td_ticket_editor_new (GtkWindow *parent, TdSession *session)
{
  TdTicketEditor *self = g_object_new (TD_TYPE_TICKET_EDITOR, "transient-for", parent, NULL);
  TdPolicy       *policy = td_session_get_policy (session);
  g_autoptr (GListModel) impacts = items_model (td_policy_get_impacts (policy));
  g_autoptr (GListModel) urgencies = items_model (td_policy_get_urgencies (policy));
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%d %H:%M");

  self->session = g_object_ref (session);
  adw_combo_row_set_model (self->impact_row, impacts);
  adw_combo_row_set_model (self->urgency_row, urgencies);
  /* Most tickets are logged as the issue happens. */
  gtk_editable_set_text (GTK_EDITABLE (self->occurred_at_row), now_text);
  on_triage_changed (self);
  return self;
}

const char *
td_ticket_editor_get_missing_text (TdTicketEditor *self)
{
  g_return_val_if_fail (TD_IS_TICKET_EDITOR (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->missing_label)))
    return NULL;
  return gtk_label_get_text (self->missing_label);
}

const char *
td_ticket_editor_get_triage_text (TdTicketEditor *self)
{
  g_return_val_if_fail (TD_IS_TICKET_EDITOR (self), NULL);
  return gtk_label_get_text (self->priority_label);
}

static void
td_ticket_editor_dispose (GObject *object)
{
  TdTicketEditor *self = (TdTicketEditor *) object;

  g_clear_handle_id (&self->suggest_id, g_source_remove);
  g_clear_pointer (&self->linked, g_hash_table_unref);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_TICKET_EDITOR);
  G_OBJECT_CLASS (td_ticket_editor_parent_class)->dispose (object);
}

static void
td_ticket_editor_class_init (TdTicketEditorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_ticket_editor_dispose;

  /* The new ticket's uuid, once it is in the cache. */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-ticket-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, missing_label);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, steps_to_reproduce_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, error_message_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, occurred_at_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, browser_device_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, user_id_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, contact_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, impact_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, urgency_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, priority_label);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, knowledge_group);
  gtk_widget_class_bind_template_child (widget_class, TdTicketEditor, suggestions_list);
  gtk_widget_class_bind_template_callback (widget_class, on_triage_changed);

  gtk_widget_class_install_action (widget_class, "editor.create", NULL, create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_ticket_editor_init (TdTicketEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not an application window, so TdApplication does not do this for it. */
  td_a11y_name_internal_buttons (GTK_WIDGET (self));
  self->linked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_swapped (self->title_row, "changed", G_CALLBACK (on_description_changed), self);
  g_signal_connect_swapped (self->description_row, "changed", G_CALLBACK (on_description_changed),
                            self);
}
