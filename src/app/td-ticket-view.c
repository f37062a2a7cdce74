/* td-ticket-view.c — one ticket: every field, its clocks, its history, and what can be done
 *
 * Every action writes to the cache through TdCache (so it works offline)
 * and tells the sync engine; the server checks it again, and a refusal
 * shows in the header's sync status with the server's reason.
 *
 * The Escalate button stays disabled until the chosen path's handoff
 * checklist [8.1, 8.2] is complete, and the line beside it names what is
 * missing, using the same rule the server applies (td_escalation_check).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-a11y.h"
#include "td-escalation.h"
#include "td-format.h"
#include "td-change-dialog.h"
#include "td-change-row.h"
#include "td-pir-window.h"
#include "td-pir.h"
#include "td-sla.h"
#include "td-ticket-knowledge.h"
#include "td-ticket-view.h"
#include "td-time.h"

struct _TdTicketView
{
  AdwWindow parent_instance;

  AdwWindowTitle      *window_title;
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwActionRow        *sla_row;
  AdwActionRow        *pir_row;
  AdwComboRow         *owner_row;
  AdwActionRow        *status_row;
  GtkBox              *status_buttons;
  AdwEntryRow         *resolution_row;
  AdwEntryRow         *note_row;
  AdwPreferencesGroup *escalate_group;
  AdwPreferencesGroup *status_group;
  AdwComboRow         *target_row;
  AdwPreferencesGroup *checklist_group;
  AdwEntryRow         *escalate_note_row;
  GtkLabel            *escalate_missing_label;
  GtkWidget           *escalate_button;
  AdwPreferencesGroup *details_group;
  AdwPreferencesGroup *changes_group;
  GtkListBox          *changes_list;
  GtkListBox          *history_list;
  TdTicketKnowledge   *knowledge_group;

  TdSession  *session;
  char       *uuid;
  JsonObject *row;
  GPtrArray  *people;     /* person rows, in owner_row order after "Unassigned" */
  GArray     *targets;    /* tier per target_row position */
  GPtrArray  *added_rows; /* rows added to details_group, to remove on reload */
  GPtrArray  *check_rows; /* rows added to checklist_group */
  GHashTable *checked;    /* checklist item id → TRUE */
  gboolean    loading;    /* programmatic changes are not the user's */
  gboolean    may_escalate;
};

G_DEFINE_FINAL_TYPE (TdTicketView, td_ticket_view, ADW_TYPE_WINDOW)

static void load (TdTicketView *self);

/* Helpers */

static const char *
row_text (JsonObject *row, const char *name)
{
  return row != NULL ? json_object_get_string_member_with_default (row, name, NULL) : NULL;
}

static gint64
row_int (JsonObject *row, const char *name)
{
  return row != NULL ? json_object_get_int_member_with_default (row, name, 0) : 0;
}

static gint64
server_now (TdTicketView *self)
{
  TdSyncEngine *engine = td_session_get_engine (self->session);

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

static void
toast (TdTicketView *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static char *
format_instant (gint64 when)
{
  g_autoptr (GDateTime) local = NULL;

  if (when <= 0)
    return g_strdup (_ ("Not yet"));
  local = g_date_time_new_from_unix_local (when);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static const char *
person_name (TdTicketView *self, const char *uuid)
{
  for (guint i = 0; uuid != NULL && i < self->people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (self->people, i);

      if (g_strcmp0 (row_text (person, "uuid"), uuid) == 0)
        return row_text (person, "name");
    }
  return uuid != NULL ? uuid : _ ("Unassigned");
}

/* Writes one history entry: the cache shows it at once, the outbox sends it. */
static gboolean
append (TdTicketView *self, const char *kind, const char *body, JsonObject *data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *event = td_cache_append_event (td_session_get_cache (self->session), self->uuid,
                                                  kind, body, data, &error);

  if (event == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "ticket", self->uuid);
  load (self);
  return TRUE;
}

/* SLA */

static char *
describe_clock (const char *name, const TdSlaClock *clock, gint64 now)
{
  g_autofree char *state = NULL;

  if (!clock->has_clock)
    return g_strdup_printf (_ ("%s: no clock"), name);
  switch (clock->state)
    {
      case TD_SLA_MET:
        return g_strdup_printf (_ ("%s: met"), name);
      case TD_SLA_NO_CLOCK:
        return g_strdup_printf (_ ("%s: stopped"), name);
      case TD_SLA_BREACHED:
        state = td_format_countdown (clock->due, now);
        return g_strdup_printf (_ ("%s: breached, %s"), name, state);
      case TD_SLA_AT_RISK:
        state = td_format_countdown (clock->due, now);
        return g_strdup_printf (_ ("%s: at risk, %s"), name, state);
      case TD_SLA_OK:
      default:
        state = td_format_countdown (clock->due, now);
        return g_strdup_printf (_ ("%s: %s"), name, state);
    }
}

static void
show_sla (TdTicketView *self)
{
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;
  gint64      now = server_now (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  ticket.tier = (int) row_int (self->row, "tier");
  ticket.severity = row_text (self->row, "severity");
  ticket.issue_type = row_text (self->row, "issue_type");
  ticket.created = row_int (self->row, "created_at");
  ticket.first_response = row_int (self->row, "first_response_at");
  ticket.last_update = row_int (self->row, "last_update_at");
  ticket.resolved = row_int (self->row, "resolved_at");
  if (!td_sla_compute (td_session_get_policy (self->session), &ticket, now, &result, &error))
    text = g_strdup (error->message);
  else
    {
      g_autofree char *response = describe_clock (_ ("Response"), &result.response, now);
      g_autofree char *resolution = describe_clock (_ ("Resolution"), &result.resolution, now);
      g_autofree char *update = describe_clock (_ ("Next update"), &result.update, now);

      text = g_strdup_printf ("%s\n%s\n%s", response, resolution, update);
    }
  adw_action_row_set_subtitle (self->sla_row, text);
}

/* Owner */

static void
on_owner_selected (TdTicketView *self)
{
  guint selected = adw_combo_row_get_selected (self->owner_row);
  g_autoptr (JsonObject) data = json_object_new ();
  JsonObject *person;

  if (self->loading || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected == 0)
    json_object_set_null_member (data, "owner");
  else
    {
      person = g_ptr_array_index (self->people, selected - 1);
      if (g_strcmp0 (row_text (person, "uuid"), row_text (self->row, "owner")) == 0)
        return;
      json_object_set_string_member (data, "owner", row_text (person, "uuid"));
    }
  if (selected == 0 && row_text (self->row, "owner") == NULL)
    return;
  if (append (self, "assign", NULL, data))
    toast (self, selected == 0 ? _ ("Unassigned") : _ ("Assigned"));
}

static void
show_owner (TdTicketView *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  const char *owner = row_text (self->row, "owner");
  guint       selected = 0;

  g_clear_pointer (&self->people, g_ptr_array_unref);
  self->people = td_cache_list (td_session_get_cache (self->session), "person", NULL, NULL, "name");
  gtk_string_list_append (names, _ ("Unassigned"));
  for (guint i = 0; i < self->people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (self->people, i);

      gtk_string_list_append (names, row_text (person, "name") != NULL ? row_text (person, "name")
                                                                       : row_text (person, "uuid"));
      if (owner != NULL && g_strcmp0 (owner, row_text (person, "uuid")) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->owner_row, selected);
}

/* Status */

static void
change_status (GtkButton *button, TdTicketView *self)
{
  const char *status = g_object_get_data (G_OBJECT (button), "status");
  g_autoptr (JsonObject) data = json_object_new ();
  const char *resolution = gtk_editable_get_text (GTK_EDITABLE (self->resolution_row));

  json_object_set_string_member (data, "status", status);
  if (g_str_equal (status, "resolved"))
    {
      if (*resolution == '\0')
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->resolution_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->resolution_row));
          toast (self, _ ("Resolution: say how the issue was resolved"));
          return;
        }
      json_object_set_string_member (data, "resolution", resolution);
      /* The resolver's word that no article covers it yet [10.2]. */
      json_object_set_boolean_member (data, "new_issue",
                                      td_ticket_knowledge_get_new_issue (self->knowledge_group));
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->resolution_row), "error");
  if (append (self, "status", NULL, data))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("Status: %s"), td_format_status (row_text (self->row, "status")));
      gtk_editable_set_text (GTK_EDITABLE (self->resolution_row), "");
      toast (self, message);
    }
}

static void
add_status_button (TdTicketView *self, const char *label, const char *status, gboolean suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (button), "status", (gpointer) status);
  g_signal_connect (button, "clicked", G_CALLBACK (change_status), self);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_name (button, status);
  gtk_box_append (self->status_buttons, button);
}

static void
show_status (TdTicketView *self)
{
  const char *status = row_text (self->row, "status");
  GtkWidget  *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->status_buttons))) != NULL)
    gtk_box_remove (self->status_buttons, child);
  adw_action_row_set_subtitle (self->status_row, td_format_status (status));
  /* The transitions the server accepts, and nothing else. */
  if (g_strcmp0 (status, "new") == 0)
    {
      add_status_button (self, _ ("_Start Work"), "in_progress", FALSE);
      add_status_button (self, _ ("_Resolve"), "resolved", TRUE);
    }
  else if (g_strcmp0 (status, "in_progress") == 0)
    add_status_button (self, _ ("_Resolve"), "resolved", TRUE);
  else if (g_strcmp0 (status, "resolved") == 0)
    {
      add_status_button (self, _ ("Re_open"), "reopened", FALSE);
      add_status_button (self, _ ("_Close"), "closed", TRUE);
    }
  else if (g_strcmp0 (status, "closed") == 0)
    add_status_button (self, _ ("Re_open"), "reopened", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->resolution_row),
                          g_strcmp0 (status, "new") == 0 || g_strcmp0 (status, "in_progress") == 0);
}

/* Escalation */

static int
selected_target (TdTicketView *self)
{
  guint selected = adw_combo_row_get_selected (self->target_row);

  if (self->targets->len == 0 || selected >= self->targets->len)
    return 0;
  return g_array_index (self->targets, int, selected);
}

static GPtrArray *
checked_ids (TdTicketView *self)
{
  GPtrArray     *ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, self->checked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  g_ptr_array_add (ids, NULL);
  return ids;
}

static TdEscalationRequest
make_request (TdTicketView *self, GPtrArray *checked)
{
  TdEscalationRequest request = { 0 };

  request.tier = (int) row_int (self->row, "tier");
  request.severity = row_text (self->row, "severity");
  request.checked = (const char *const *) checked->pdata;
  return request;
}

/* Whether the chosen escalation may go, and if not, why: the same check
 * as the server's. */
static void
update_escalate_state (TdTicketView *self)
{
  int to_tier = selected_target (self);
  g_autoptr (GPtrArray) checked = checked_ids (self);
  TdEscalationRequest request = make_request (self, checked);
  g_autoptr (GError) error = NULL;

  if (to_tier == 0 || !self->may_escalate)
    {
      gtk_widget_set_sensitive (self->escalate_button, FALSE);
      return;
    }
  if (td_escalation_check (td_session_get_policy (self->session), &request, to_tier, &error)
      != NULL)
    {
      g_autofree char *ready = g_strdup_printf (_ ("Ready to hand over to Tier %d"), to_tier);
      gtk_label_set_text (self->escalate_missing_label, ready);
      gtk_widget_set_sensitive (self->escalate_button, TRUE);
    }
  else
    {
      gtk_label_set_text (self->escalate_missing_label, error->message);
      gtk_widget_set_sensitive (self->escalate_button, FALSE);
    }
}

static void
on_item_toggled (GtkCheckButton *check, TdTicketView *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "item");

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->checked, g_strdup (id));
  else
    g_hash_table_remove (self->checked, id);
  update_escalate_state (self);
}

static void
show_checklist (TdTicketView *self)
{
  TdPolicy *policy = td_session_get_policy (self->session);
  int       to_tier = selected_target (self);
  g_autoptr (GPtrArray) checked = checked_ids (self);
  TdEscalationRequest request = make_request (self, checked);
  g_autoptr (GPtrArray) options = td_escalation_options (policy, &request);
  const TdChecklist *checklist = NULL;

  /* Taken out of the array before removing: removing a focused row moves
   * the focus, which can run this again before the loop ends. */
  {
    g_autoptr (GPtrArray) rows = g_steal_pointer (&self->check_rows);

    self->check_rows = g_ptr_array_new ();
    for (guint i = 0; i < rows->len; i++)
      {
        GtkWidget *row = g_ptr_array_index (rows, i);

        if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)
            == GTK_WIDGET (self->checklist_group))
          adw_preferences_group_remove (self->checklist_group, row);
      }
  }

  for (guint i = 0; i < options->len && to_tier != 0; i++)
    {
      TdEscalationOption *option = g_ptr_array_index (options, i);

      if (option->applies && option->path->to == to_tier)
        {
          checklist = option->checklist;
          break;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->checklist_group),
                          checklist != NULL && self->may_escalate);
  if (checklist == NULL)
    {
      update_escalate_state (self);
      return;
    }
  adw_preferences_group_set_title (self->checklist_group, checklist->name);
  adw_preferences_group_set_description (self->checklist_group, checklist->trigger);
  for (guint i = 0; i < checklist->items->len; i++)
    {
      const TdChecklistItem *item = g_ptr_array_index (checklist->items, i);
      GtkWidget             *row = adw_action_row_new ();
      GtkWidget             *check = gtk_check_button_new ();
      g_autofree char       *title = g_markup_escape_text (item->name, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (!item->required)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _ ("Optional"));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_hash_table_contains (self->checked, item->id));
      g_object_set_data_full (G_OBJECT (check), "item", g_strdup (item->id), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (on_item_toggled), self);
      gtk_widget_set_name (check, item->id);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->checklist_group, row);
      g_ptr_array_add (self->check_rows, row);
    }
  update_escalate_state (self);
}

static void
on_target_selected (TdTicketView *self)
{
  if (self->loading)
    return;
  g_hash_table_remove_all (self->checked);
  show_checklist (self);
}

static void
show_escalation (TdTicketView *self)
{
  TdPolicy *policy = td_session_get_policy (self->session);
  g_autoptr (GPtrArray) checked = checked_ids (self);
  TdEscalationRequest request = make_request (self, checked);
  g_autoptr (GPtrArray) options = td_escalation_options (policy, &request);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  int      previous = selected_target (self);
  guint    keep = 0;
  gboolean open = g_strcmp0 (row_text (self->row, "status"), "resolved") != 0
                  && g_strcmp0 (row_text (self->row, "status"), "closed") != 0;

  g_array_set_size (self->targets, 0);
  for (guint i = 0; open && i < options->len; i++)
    {
      TdEscalationOption *option = g_ptr_array_index (options, i);
      g_autofree char    *label = NULL;

      /* Only the paths that apply: SEV-1 opens the direct route to Tier 3. */
      if (!option->applies || option->path->to <= request.tier)
        continue;
      if (option->path->label != NULL && *option->path->label != '\0')
        label = g_strdup_printf (_ ("Tier %d — %s"), option->path->to, option->path->label);
      else if (option->checklist != NULL)
        label = g_strdup_printf (_ ("Tier %d — %s"), option->path->to, option->checklist->name);
      else
        label = g_strdup_printf (_ ("Tier %d"), option->path->to);
      if (option->path->to == previous)
        keep = self->targets->len;
      g_array_append_val (self->targets, option->path->to);
      gtk_string_list_append (labels, label);
    }
  adw_combo_row_set_model (self->target_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->target_row, keep);
  gtk_widget_set_visible (GTK_WIDGET (self->escalate_group), TRUE);
  if (self->targets->len == 0)
    {
      adw_preferences_group_set_description (self->escalate_group,
                                             open ? _ ("No escalation path leads up from this tier")
                                                  : _ ("The ticket is not open"));
      gtk_label_set_text (self->escalate_missing_label, "");
    }
  else
    adw_preferences_group_set_description (self->escalate_group, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->target_row), self->targets->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->escalate_note_row), self->targets->len > 0);
  show_checklist (self);
}

static void
escalate_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTicketView *self = TD_TICKET_VIEW (widget);
  int           to_tier = selected_target (self);
  g_autoptr (JsonObject) data = json_object_new ();
  g_autoptr (JsonArray) items = json_array_new ();
  g_autoptr (GPtrArray) checked = checked_ids (self);
  TdEscalationRequest request = make_request (self, checked);
  g_autoptr (GError) error = NULL;
  const char *note = gtk_editable_get_text (GTK_EDITABLE (self->escalate_note_row));

  if (to_tier == 0
      || td_escalation_check (td_session_get_policy (self->session), &request, to_tier, &error)
             == NULL)
    {
      toast (self, error != NULL ? error->message : _ ("Choose the tier to escalate to"));
      return;
    }
  for (guint i = 0; checked->pdata[i] != NULL; i++)
    json_array_add_string_element (items, checked->pdata[i]);
  json_object_set_int_member (data, "to_tier", to_tier);
  json_object_set_array_member (data, "checklist", g_steal_pointer (&items));
  g_hash_table_remove_all (self->checked);
  if (append (self, "escalate", *note != '\0' ? note : NULL, data))
    {
      g_autofree char *message = g_strdup_printf (_ ("Escalated to Tier %d"), to_tier);

      gtk_editable_set_text (GTK_EDITABLE (self->escalate_note_row), "");
      toast (self, message);
    }
}

/* The ticket's path on the main window's flowchart; this window steps aside. */
static void
show_escalation_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTicketView *self = TD_TICKET_VIEW (widget);
  GtkWindow    *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-escalation", "s", self->uuid);
  gtk_window_close (GTK_WINDOW (self));
}

/* Updates and comments */

static void
post_note (TdTicketView *self, const char *kind)
{
  g_autofree char *text
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));

  if (*text == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->note_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->note_row));
      toast (self, _ ("Text: write the update or comment first"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->note_row), "error");
  if (append (self, kind, text, NULL))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
      toast (self, g_str_equal (kind, "update") ? _ ("Update posted") : _ ("Comment added"));
    }
}

static void
update_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  post_note (TD_TICKET_VIEW (widget), "update");
}

static void
comment_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  post_note (TD_TICKET_VIEW (widget), "comment");
}

/* Details and history */

static void
add_detail (TdTicketView *self, const char *title, const char *value)
{
  GtkWidget       *row = adw_action_row_new ();
  g_autofree char *title_markup = g_markup_escape_text (title, -1);
  g_autofree char *value_markup
      = g_markup_escape_text (value != NULL && *value != '\0' ? value : "—", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_markup);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value_markup);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (self->details_group, row);
  g_ptr_array_add (self->added_rows, row);
}

static void
add_instant (TdTicketView *self, const char *title, const char *column)
{
  g_autofree char *text = format_instant (row_int (self->row, column));
  add_detail (self, title, text);
}

static void
show_details (TdTicketView *self)
{
  g_autofree char *tier = g_strdup_printf (_ ("Tier %d"), (int) row_int (self->row, "tier"));

  {
    g_autoptr (GPtrArray) rows = g_steal_pointer (&self->added_rows);

    self->added_rows = g_ptr_array_new ();
    for (guint i = 0; i < rows->len; i++)
      {
        GtkWidget *row = g_ptr_array_index (rows, i);

        if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)
            == GTK_WIDGET (self->details_group))
          adw_preferences_group_remove (self->details_group, row);
      }
  }

  add_detail (self, _ ("Title"), row_text (self->row, "title"));
  add_detail (self, _ ("Issue Description"), row_text (self->row, "description"));
  add_detail (self, _ ("User ID"), row_text (self->row, "affected_user_id"));
  add_detail (self, _ ("Contact Info"), row_text (self->row, "contact"));
  add_detail (self, _ ("Steps to Reproduce"), row_text (self->row, "steps_to_reproduce"));
  add_detail (self, _ ("Error Message"), row_text (self->row, "error_message"));
  add_detail (self, _ ("Browser/Device"), row_text (self->row, "browser_device"));
  add_instant (self, _ ("Timestamp"), "occurred_at");
  add_detail (self, _ ("Impact"), row_text (self->row, "impact"));
  add_detail (self, _ ("Urgency"), row_text (self->row, "urgency"));
  add_detail (self, _ ("Priority"), row_text (self->row, "priority"));
  add_detail (self, _ ("Severity"), row_text (self->row, "severity"));
  add_detail (self, _ ("Tier"), tier);
  add_detail (self, _ ("Issue Type"), row_text (self->row, "issue_type"));
  add_instant (self, _ ("Logged"), "created_at");
  add_instant (self, _ ("In This Tier Since"), "tier_entered_at");
  add_instant (self, _ ("First Response"), "first_response_at");
  add_instant (self, _ ("Last Update to the User"), "last_update_at");
  add_instant (self, _ ("Resolved"), "resolved_at");
  add_detail (self, _ ("Resolution"), row_text (self->row, "resolution"));
  add_instant (self, _ ("Closed"), "closed_at");
  add_detail (self, _ ("Ticket ID"), self->uuid);
}

static char *
describe_event (TdTicketView *self, JsonObject *event)
{
  const char *kind = row_text (event, "kind");
  JsonObject *data = json_object_has_member (event, "data")
                             && JSON_NODE_HOLDS_OBJECT (json_object_get_member (event, "data"))
                         ? json_object_get_object_member (event, "data")
                         : NULL;

  if (g_strcmp0 (kind, "update") == 0)
    return g_strdup (_ ("Update to the user"));
  if (g_strcmp0 (kind, "comment") == 0)
    return g_strdup (_ ("Comment"));
  if (g_strcmp0 (kind, "status") == 0)
    return g_strdup_printf (_ ("Status: %s"), td_format_status (row_text (data, "status")));
  if (g_strcmp0 (kind, "assign") == 0)
    return g_strdup_printf (_ ("Assigned to %s"), person_name (self, row_text (data, "owner")));
  if (g_strcmp0 (kind, "escalate") == 0)
    return g_strdup_printf (_ ("Escalated to Tier %d"), (int) row_int (data, "to_tier"));
  return g_strdup (kind != NULL ? kind : "");
}

static void
show_history (TdTicketView *self)
{
  g_autoptr (GPtrArray) events = td_cache_list (td_session_get_cache (self->session),
                                                "ticket_event", "ticket", self->uuid, "at");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  /* Newest first: what happened last is what a lead reads first. */
  for (guint i = events->len; i > 0; i--)
    {
      JsonObject      *event = g_ptr_array_index (events, i - 1);
      GtkWidget       *row = adw_action_row_new ();
      g_autofree char *what = describe_event (self, event);
      g_autofree char *when = format_instant (row_int (event, "at"));
      g_autofree char *title = NULL;
      g_autofree char *body = g_markup_escape_text (
          row_text (event, "body") != NULL ? row_text (event, "body") : "", -1);
      const char *author = row_text (event, "author");

      title = g_markup_printf_escaped ("%s · %s%s%s", what, when, author != NULL ? " · " : "",
                                       author != NULL ? author : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (*body != '\0')
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), body);
      /* Not yet on the server: say so, it is the user's own change. */
      if (row_int (event, "rev") == 0)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (_ ("Not sent yet")));
      gtk_list_box_append (self->history_list, row);
    }
  if (events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Nothing yet"));
      gtk_list_box_append (self->history_list, row);
    }
}

static void show_permissions (TdTicketView *self);

/* The post-incident review [10.2]: made by the server on resolve. */
static void
show_review (TdTicketView *self)
{
  g_autoptr (GPtrArray) pirs
      = td_cache_list (td_session_get_cache (self->session), "pir", "ticket", self->uuid, NULL);
  g_autoptr (TdPir) pir = NULL;
  g_autofree char *subtitle = NULL;

  if (pirs->len > 0)
    pir = td_pir_new_from_row (g_ptr_array_index (pirs, 0), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.open-review", pir != NULL);
  if (pir == NULL)
    {
      adw_action_row_set_subtitle (self->pir_row,
                                   _ ("The review is made when the ticket is resolved."));
      return;
    }
  if (td_pir_is_overdue (pir, server_now (self)))
    subtitle = g_strdup (_ ("Overdue: the review has not been held"));
  else if (pir->status == TD_PIR_SCHEDULED)
    {
      g_autofree char *due = format_instant (pir->due_at);
      subtitle = g_strdup_printf (_ ("Scheduled; due %s"), due);
    }
  else if (pir->status == TD_PIR_CLOSED)
    subtitle = g_strdup (_ ("Closed"));
  else
    subtitle
        = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Held; %u action open",
                                        "Held; %u actions open", td_pir_count_open_actions (pir)),
                           td_pir_count_open_actions (pir));
  adw_action_row_set_subtitle (self->pir_row, subtitle);
}

/* Changes [10.1] */

static void
on_change_saved (TdTicketView *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
open_change (TdTicketView *self, const char *change)
{
  TdChangeDialog *dialog
      = td_change_dialog_new (GTK_WINDOW (self), self->session, change, self->uuid);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_change_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
record_change_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_change (TD_TICKET_VIEW (widget), NULL);
}

static void
on_change_activated (GtkListBox *list, GtkListBoxRow *row, TdTicketView *self)
{
  const char *change = td_change_row_get_uuid (row);

  if (change != NULL)
    open_change (self, change);
}

static void
show_changes (TdTicketView *self)
{
  g_autoptr (GPtrArray) changes = td_cache_list (
      td_session_get_cache (self->session), "change_record", "ticket", self->uuid, "created_at");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->changes_list))) != NULL)
    gtk_list_box_remove (self->changes_list, child);
  for (guint i = 0; i < changes->len; i++)
    gtk_list_box_append (self->changes_list,
                         td_change_row_new (self->session, g_ptr_array_index (changes, i), NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->changes_list), changes->len > 0);
  adw_preferences_group_set_description (
      self->changes_group,
      changes->len > 0 ? NULL : _ ("No production change has been recorded for this ticket."));
}

static void
open_review_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTicketView *self = TD_TICKET_VIEW (widget);
  TdPirWindow  *window = td_pir_window_new (GTK_WINDOW (self), self->session, self->uuid);

  if (window != NULL)
    gtk_window_present (GTK_WINDOW (window));
}

static void
load (TdTicketView *self)
{
  g_autofree char *subtitle = NULL;

  g_clear_pointer (&self->row, json_object_unref);
  self->row = td_cache_get_row (td_session_get_cache (self->session), "ticket", self->uuid);
  if (self->row == NULL || row_int (self->row, "deleted") != 0)
    {
      adw_window_title_set_title (self->window_title, _ ("Ticket"));
      gtk_stack_set_visible_child_name (self->stack, "gone");
      return;
    }
  self->loading = TRUE;
  /* TRANSLATORS: severity · priority · tier · status, such as "SEV-2 · P2 · Tier 1 · Open" */
  subtitle = g_strdup_printf (
      _ ("%s · %s · Tier %d · %s"),
      row_text (self->row, "severity") != NULL ? row_text (self->row, "severity") : "—",
      row_text (self->row, "priority") != NULL ? row_text (self->row, "priority") : "—",
      (int) row_int (self->row, "tier"), td_format_status (row_text (self->row, "status")));
  adw_window_title_set_title (self->window_title, row_text (self->row, "title"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), row_text (self->row, "title"));
  gtk_widget_set_visible (GTK_WIDGET (self->pir_row),
                          td_escalation_pir_required (td_session_get_policy (self->session),
                                                      row_text (self->row, "severity")));
  show_review (self);
  show_changes (self);
  show_sla (self);
  show_owner (self);
  show_status (self);
  show_details (self);
  show_history (self);
  show_escalation (self);
  td_ticket_knowledge_show (self->knowledge_group, self->session, self->row);
  show_permissions (self);
  self->loading = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "ticket");
}

/* Offers only what the server will take from this account's role
 * (td_session_may), and says why the rest is not offered. */
static void
show_permissions (TdTicketView *self)
{
  TdPolicy        *policy = td_session_get_policy (self->session);
  const char      *role_id = td_session_get_role (self->session);
  const TdRole    *role = role_id != NULL ? td_policy_get_role (policy, role_id) : NULL;
  int              tier = self->row != NULL ? (int) row_int (self->row, "tier") : 0;
  gboolean         may_comment = td_session_may (self->session, "ticket.comment", 0);
  gboolean         may_status = td_session_may (self->session, "ticket.status", tier);
  gboolean         may_assign = td_session_may (self->session, "ticket.assign", tier);
  g_autofree char *why = NULL;

  self->may_escalate = td_session_may (self->session, "ticket.escalate", tier);
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_buttons), may_status);
  gtk_widget_set_sensitive (GTK_WIDGET (self->resolution_row), may_status);
  gtk_widget_set_sensitive (GTK_WIDGET (self->owner_row), may_assign);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.record-change",
                                 td_session_may (self->session, "change.write", 0));
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_row), may_comment);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.comment", may_comment);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.update", may_comment);
  /* A handoff this role cannot make is not shown at all: a checklist
   * to tick for nothing would only mislead. */
  gtk_widget_set_visible (GTK_WIDGET (self->escalate_group), self->may_escalate);
  gtk_widget_set_visible (GTK_WIDGET (self->checklist_group),
                          self->may_escalate && self->check_rows->len > 0);
  gtk_widget_set_visible (
      gtk_widget_get_ancestor (GTK_WIDGET (self->escalate_note_row), ADW_TYPE_PREFERENCES_GROUP),
      self->may_escalate);
  update_escalate_state (self);

  if (role != NULL && (!may_status || !may_assign || !self->may_escalate))
    {
      if (role->tier != 0 && role->tier < tier && may_comment)
        why = g_strdup_printf (_ ("As %s you can comment on this Tier %d ticket; changing it "
                                  "is for Tier %d and above."),
                               role->name, tier, tier);
      else if (may_comment)
        why = g_strdup_printf (_ ("As %s you can comment on this ticket but not change it."),
                               role->name);
      else
        why = g_strdup_printf (_ ("As %s you can read this ticket but not change it."), role->name);
    }
  adw_preferences_group_set_description (self->status_group, why);
}

static void
on_rows_changed (TdTicketView *self, const char *entity, const char *const *ids)
{
  if (g_str_equal (entity, "ticket") && g_strv_contains (ids, self->uuid))
    load (self);
  else if (g_str_equal (entity, "ticket_event") || g_str_equal (entity, "person"))
    {
      /* An event's rows name their ticket, not the ids: cheap to redraw. */
      self->loading = TRUE;
      show_history (self);
      self->loading = FALSE;
    }
  else if (g_str_equal (entity, "pir") && self->row != NULL)
    show_review (self);
  else if (g_str_equal (entity, "change_record") && self->row != NULL)
    show_changes (self);
  else if ((g_str_equal (entity, "article_link") || g_str_equal (entity, "article"))
           && self->row != NULL)
    td_ticket_knowledge_show (self->knowledge_group, self->session, self->row);
}

/* For the groups inside the window (the Knowledge group) to report. */
static void
toast_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  toast (TD_TICKET_VIEW (widget), g_variant_get_string (parameter, NULL));
}

/* Public API */

TdTicketView *
td_ticket_view_new (GtkWindow *parent, TdSession *session, const char *uuid)
{
  TdTicketView *self = g_object_new (TD_TYPE_TICKET_VIEW, "transient-for", parent, NULL);

  self->session = g_object_ref (session);
  self->uuid = g_strdup (uuid);
  g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                           G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::role", G_CALLBACK (show_permissions), self,
                           G_CONNECT_SWAPPED);
  load (self);
  return self;
}

const char *
td_ticket_view_get_uuid (TdTicketView *self)
{
  g_return_val_if_fail (TD_IS_TICKET_VIEW (self), NULL);
  return self->uuid;
}

gboolean
td_ticket_view_select_target (TdTicketView *self, int tier)
{
  g_return_val_if_fail (TD_IS_TICKET_VIEW (self), FALSE);
  for (guint i = 0; i < self->targets->len; i++)
    if (g_array_index (self->targets, int, i) == tier)
      {
        adw_combo_row_set_selected (self->target_row, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
td_ticket_view_check_item (TdTicketView *self, const char *item_id, gboolean checked)
{
  g_return_val_if_fail (TD_IS_TICKET_VIEW (self), FALSE);
  for (guint i = 0; i < self->check_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->check_rows, i);
      GtkWidget *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

      if (check != NULL && g_strcmp0 (gtk_widget_get_name (check), item_id) == 0)
        {
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), checked);
          return TRUE;
        }
    }
  return FALSE;
}

const char *
td_ticket_view_get_escalate_hint (TdTicketView *self)
{
  g_return_val_if_fail (TD_IS_TICKET_VIEW (self), NULL);
  return gtk_label_get_text (self->escalate_missing_label);
}

void
td_ticket_view_set_note (TdTicketView *self, const char *text)
{
  g_return_if_fail (TD_IS_TICKET_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), text);
}

/* GObject */

static void
td_ticket_view_dispose (GObject *object)
{
  TdTicketView *self = (TdTicketView *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_TICKET_VIEW);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (td_ticket_view_parent_class)->dispose (object);
}

static void
td_ticket_view_finalize (GObject *object)
{
  TdTicketView *self = (TdTicketView *) object;

  g_free (self->uuid);
  g_clear_pointer (&self->row, json_object_unref);
  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->targets, g_array_unref);
  g_clear_pointer (&self->added_rows, g_ptr_array_unref);
  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_clear_pointer (&self->checked, g_hash_table_unref);
  G_OBJECT_CLASS (td_ticket_view_parent_class)->finalize (object);
}

static void
td_ticket_view_class_init (TdTicketViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_ticket_view_dispose;
  object_class->finalize = td_ticket_view_finalize;

  g_type_ensure (TD_TYPE_TICKET_KNOWLEDGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tierdesk/Tierdesk/ui/td-ticket-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, stack);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, sla_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, pir_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, owner_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, status_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, status_buttons);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, note_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, escalate_group);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, status_group);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, target_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, escalate_note_row);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, escalate_missing_label);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, escalate_button);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, details_group);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, changes_group);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, changes_list);
  gtk_widget_class_bind_template_callback (widget_class, on_change_activated);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, history_list);
  gtk_widget_class_bind_template_child (widget_class, TdTicketView, knowledge_group);

  gtk_widget_class_install_action (widget_class, "ticket.update", NULL, update_action);
  gtk_widget_class_install_action (widget_class, "ticket.comment", NULL, comment_action);
  gtk_widget_class_install_action (widget_class, "ticket.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (widget_class, "ticket.show-escalation", NULL,
                                   show_escalation_action);
  gtk_widget_class_install_action (widget_class, "ticket.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "ticket.open-review", NULL, open_review_action);
  gtk_widget_class_install_action (widget_class, "ticket.record-change", NULL,
                                   record_change_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_ticket_view_init (TdTicketView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not an application window, so TdApplication does not do this for it. */
  td_a11y_name_internal_buttons (GTK_WIDGET (self));

  self->may_escalate = TRUE;
  self->targets = g_array_new (FALSE, FALSE, sizeof (int));
  self->added_rows = g_ptr_array_new ();
  self->check_rows = g_ptr_array_new ();
  self->checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_swapped (self->owner_row, "notify::selected", G_CALLBACK (on_owner_selected),
                            self);
  g_signal_connect_swapped (self->target_row, "notify::selected", G_CALLBACK (on_target_selected),
                            self);
}
