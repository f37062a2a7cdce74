/* td-escalation-page.c — the Escalation page: the live flowchart, a ticket's path, what-if
 *
 * The chart is drawn from the policy that is loaded (TdFlowView), so it
 * changes with the policy. A ticket shown on it is read from the offline
 * cache: its escalations ("escalate" events) give the path and the time
 * spent in each tier, and core's rules give the time left before the next
 * escalation limit and the SLA due, exactly as the queue and the server
 * work them out. The what-if panel asks core the same questions for a
 * ticket that does not exist yet. "Policy Tables" keeps the plain list of
 * tiers, severities and limits for those who would rather read a table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td-escalation-page.h"
#include "td-escalation.h"
#include "td-format.h"
#include "td-queue-model.h"
#include "td-ticket.h"
#include "td-time.h"
#include "td-what-if.h"
#include "td-window.h"

#define MAX_RESULTS 8

struct _TdEscalationPage
{
  GtkWidget parent_instance;

  GtkLabel            *heading;
  GtkLabel            *zoom_label;
  GtkStack            *content_stack;
  TdFlowView          *flow_view;
  GtkBox              *model_box;
  GtkLabel            *model_heading;
  GtkSearchEntry      *search_entry;
  GtkListBox          *results_list;
  AdwPreferencesGroup *find_group;
  AdwPreferencesGroup *ticket_group;
  AdwPreferencesGroup *steps_group;
  AdwComboRow         *severity_row;
  AdwComboRow         *tier_row;
  AdwEntryRow         *start_row;
  GtkLabel            *what_if_error;
  AdwPreferencesGroup *results_group;

  TdPolicy     *policy;
  TdSession    *session;
  TdQueueModel *search_model;
  gulong        rows_changed_id;
  GPtrArray    *table_groups; /* widgets added to model_box */
  GPtrArray    *ticket_rows;
  GPtrArray    *step_rows;
  GPtrArray    *result_rows;
  GPtrArray    *severity_ids; /* combo position → severity id */
  GArray       *tier_levels;  /* combo position → tier level */
  char         *ticket;       /* uuid of the ticket shown */
  gint64        now;
};

G_DEFINE_FINAL_TYPE (TdEscalationPage, td_escalation_page, GTK_TYPE_WIDGET)

/* One stay of a ticket in a tier, from its history. */
typedef struct
{
  int         tier;
  gint64      entered;
  gint64      left; /* 0 while it is still there */
  const char *path; /* the path it came in by; NULL for where it was logged */
  int         from;
} Visit;

/* Helpers: text */

static char *
format_instant (gint64 when)
{
  g_autoptr (GDateTime) local = NULL;

  if (when <= 0)
    return g_strdup (_ ("not yet"));
  if (when == TD_INSTANT_NEVER)
    return g_strdup (_ ("never"));
  local = g_date_time_new_from_unix_local (when);
  /* TRANSLATORS: a date and time as a lead reads it, "Fri 1 May 2026, 17:50"; see strftime */
  return g_date_time_format (local, _ ("%a %-d %b %Y, %H:%M"));
}

static const char *
row_text (JsonObject *row, const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
row_int (JsonObject *row, const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;
  TdInstant instant = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING
      && td_time_parse_instant (json_node_get_string (node), &instant))
    return instant;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return 0;
  return json_node_get_int (node);
}

static JsonObject *
row_object (JsonObject *row, const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
tier_name (TdEscalationPage *self, int level)
{
  const TdTier *tier = self->policy != NULL ? td_policy_get_tier (self->policy, level) : NULL;

  return tier != NULL ? tier->name : "";
}

/* Helpers: rows */

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *name,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget       *row = adw_action_row_new ();
  g_autofree char *title_markup = g_markup_escape_text (title, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_markup);
  if (subtitle != NULL)
    {
      g_autofree char *subtitle_markup = g_markup_escape_text (subtitle, -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle_markup);
    }
  if (name != NULL)
    gtk_widget_set_name (row, name);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static void
clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* "title: subtitle" per row, as a person reads the panel top to bottom. */
static char *
rows_text (GPtrArray *rows)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget  *row = g_ptr_array_index (rows, i);
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      g_string_append (text, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      if (subtitle != NULL && *subtitle != '\0')
        g_string_append_printf (text, ": %s", subtitle);
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Policy tables: the support model as plain lists */

/* A fact from the policy: what it is, then its value underneath, so long
 * values wrap across the whole row instead of a narrow column. */
static GtkWidget *
info_row (const char *title, const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  /* Rows take markup, and policy text such as "< 15 minutes" is not. */
  g_autofree char *title_markup = g_markup_escape_text (title, -1);
  g_autofree char *value_markup = g_markup_escape_text (value, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_markup);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value_markup);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* "15 min", "4 hours" as the policy words it, and the calendar it runs on. */
static char *
describe_target (const TdTarget *target)
{
  if (!target->has_clock)
    return g_strdup (target->label);
  return g_strdup_printf ("%s · %s", target->label, td_calendar_get_name (target->calendar));
}

static GtkWidget *
tier_group (const TdTier *tier)
{
  GtkWidget       *group = adw_preferences_group_new ();
  g_autofree char *description = g_strdup_printf ("%s · %s", tier->team, tier->hours);
  g_autofree char *response = describe_target (&tier->response_target);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), tier->name);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_widget_set_name (group, "tier-group");

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             info_row (_ ("Response target"), response));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             info_row (_ ("Primary contact"), tier->primary_contact));

  for (guint i = 0; i < tier->issue_types->len; i++)
    {
      const TdIssueType *issue_type = g_ptr_array_index (tier->issue_types, i);
      g_autofree char   *resolution = describe_target (&issue_type->resolution);
      g_autofree char   *value
          = g_strdup_printf (_ ("%s · escalate if: %s"), resolution, issue_type->escalate_if);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), info_row (issue_type->name, value));
    }
  return group;
}

static GtkWidget *
severity_group (TdPolicy *policy)
{
  GtkWidget *group = adw_preferences_group_new ();
  GPtrArray *severities = td_policy_get_severities (policy);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Severity SLA Matrix"));
  for (guint i = 0; i < severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (severities, i);
      g_autofree char  *title = g_strdup_printf ("%s · %s", severity->id, severity->name);
      g_autofree char  *value = g_strdup_printf (_ ("Response %s · Resolution %s · Updates %s"),
                                                 severity->response.label,
                                                 severity->resolution.label, severity->update.label);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), info_row (title, value));
    }
  return group;
}

static GtkWidget *
time_limit_group (TdPolicy *policy)
{
  GtkWidget *group = adw_preferences_group_new ();
  GPtrArray *limits = td_policy_get_time_limits (policy);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   _ ("Maximum Time Before Escalation"));
  for (guint i = 0; i < limits->len; i++)
    {
      const TdTimeLimit *limit = g_ptr_array_index (limits, i);
      g_autofree char   *max = td_duration_to_string (&limit->max);
      g_autofree char   *title
          = limit->severity != NULL
                ? g_strdup_printf (_ ("Tier %d (%s)"), limit->tier, limit->severity)
                : g_strdup_printf (_ ("Tier %d"), limit->tier);
      g_autofree char *value = g_strdup_printf ("%s · %s", max, limit->condition);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), info_row (title, value));
    }
  return group;
}

static void
show_tables (TdEscalationPage *self)
{
  const TdPolicyDocument *document = td_policy_get_document (self->policy);
  GPtrArray              *tiers = td_policy_get_tiers (self->policy);
  g_autofree char        *heading
      = g_strdup_printf (_ ("%s · version %s"), document->id, document->version);

  for (guint i = 0; i < self->table_groups->len; i++)
    gtk_box_remove (self->model_box, g_ptr_array_index (self->table_groups, i));
  g_ptr_array_set_size (self->table_groups, 0);

  gtk_label_set_text (self->model_heading, heading);
  gtk_label_set_text (self->heading, heading);
  for (guint i = 0; i < tiers->len; i++)
    g_ptr_array_add (self->table_groups, tier_group (g_ptr_array_index (tiers, i)));
  g_ptr_array_add (self->table_groups, severity_group (self->policy));
  g_ptr_array_add (self->table_groups, time_limit_group (self->policy));
  for (guint i = 0; i < self->table_groups->len; i++)
    gtk_box_append (self->model_box, g_ptr_array_index (self->table_groups, i));
}

/* A ticket on the chart */

/* The ticket's stays in each tier, oldest first, from its escalations. */
static GArray *
read_visits (TdEscalationPage *self, JsonObject *ticket, GPtrArray *events)
{
  GArray    *visits = g_array_new (FALSE, TRUE, sizeof (Visit));
  GPtrArray *tiers = td_policy_get_tiers (self->policy);
  Visit      visit = { 0 };
  int        lowest = G_MAXINT;
  gboolean   first = TRUE;

  for (guint i = 0; i < tiers->len; i++)
    lowest = MIN (lowest, ((const TdTier *) g_ptr_array_index (tiers, i))->level);

  visit.tier = (int) row_int (ticket, "tier");
  visit.entered = row_int (ticket, "created_at");
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = g_ptr_array_index (events, i);
      JsonObject *data = row_object (event, "data");
      int         to;
      int         from;

      if (g_strcmp0 (row_text (event, "kind"), "escalate") != 0 || data == NULL)
        continue;
      to = (int) row_int (data, "to_tier");
      /* The server adds from_tier; an escalation not sent yet lacks it. */
      from = json_object_has_member (data, "from_tier") ? (int) row_int (data, "from_tier") : 0;
      if (first)
        visit.tier = from != 0 ? from : lowest;
      first = FALSE;
      if (from == 0)
        from = visit.tier;
      visit.left = row_int (event, "at");
      g_array_append_val (visits, visit);
      visit = (Visit){ 0 };
      visit.tier = to;
      visit.from = from;
      visit.entered = row_int (event, "at");
      visit.path = row_text (data, "path");
    }
  g_array_append_val (visits, visit);
  return visits;
}

static void
show_ticket_rows (TdEscalationPage *self, JsonObject *ticket, GArray *visits)
{
  const Visit *current = &g_array_index (visits, Visit, visits->len - 1);
  const char  *severity = row_text (ticket, "severity");
  const char  *status = row_text (ticket, "status");
  gboolean     open = g_strcmp0 (status, "resolved") != 0 && g_strcmp0 (status, "closed") != 0;
  gint64       entered = row_int (ticket, "tier_entered_at");
  TdEscalationDeadline deadline;
  g_autoptr (TdTicket) clocks = td_ticket_new (ticket);
  g_autofree char *description = NULL;

  clear_rows (self->ticket_group, self->ticket_rows);
  /* TRANSLATORS: severity · priority · tier · status, such as "SEV-2 · P2 · Tier 1 · Open" */
  description = g_strdup_printf (
      _ ("%s · %s · Tier %d · %s"), severity != NULL ? severity : "—",
      row_text (ticket, "priority") != NULL ? row_text (ticket, "priority") : "—", current->tier,
      td_format_status (status));
  adw_preferences_group_set_title (self->ticket_group, row_text (ticket, "title"));
  adw_preferences_group_set_description (self->ticket_group, description);

  /* The path so far: when it arrived in each tier and how long it stayed. */
  for (guint i = 0; i < visits->len; i++)
    {
      const Visit     *visit = &g_array_index (visits, Visit, i);
      g_autofree char *when = format_instant (visit->entered);
      g_autofree char *span = NULL;
      g_autofree char *subtitle = NULL;
      gboolean         here = i + 1 == visits->len;

      span = td_format_span ((here ? MAX (self->now, visit->entered) : visit->left)
                             - visit->entered);
      if (i == 0)
        subtitle = here && open ? g_strdup_printf (_ ("Logged %s · %s so far"), when, span)
                                : g_strdup_printf (_ ("Logged %s · %s in this tier"), when, span);
      else
        subtitle = here && open
                       ? g_strdup_printf (_ ("Escalated %s · %s so far"), when, span)
                       : g_strdup_printf (_ ("Escalated %s · %s in this tier"), when, span);
      add_row (self->ticket_group, self->ticket_rows, "path-row", tier_name (self, visit->tier),
               subtitle);
    }

  if (!open)
    {
      g_autofree char *when = format_instant (row_int (ticket, "resolved_at"));
      g_autofree char *subtitle = g_strdup_printf (_ ("%s %s"), td_format_status (status), when);

      add_row (self->ticket_group, self->ticket_rows, "limit-row", _ ("No Clock Running"),
               subtitle);
      return;
    }

  /* Time left at this tier [7.2]. */
  if (entered <= 0)
    entered = current->entered;
  if (td_escalation_time_limit (self->policy, current->tier, severity, entered, NULL, 0, self->now,
                                &deadline))
    {
      g_autofree char *when = format_instant (deadline.deadline);
      g_autofree char *countdown = td_format_countdown (deadline.deadline, self->now);
      g_autofree char *limit = td_flow_layout_format_duration (&deadline.limit->max);
      g_autofree char *subtitle
          = g_strdup_printf (_ ("Hand over by %s · %s (limit %s, %s)"), when, countdown, limit,
                             td_calendar_get_name (deadline.limit->calendar));

      g_autofree char *node = g_strdup_printf ("tier-%d", current->tier);

      add_row (self->ticket_group, self->ticket_rows, "limit-row", _ ("Escalation Limit"),
               subtitle);
      td_flow_view_set_badge (self->flow_view, node, countdown, deadline.passed);
    }
  else
    add_row (self->ticket_group, self->ticket_rows, "limit-row", _ ("Escalation Limit"),
             _ ("This tier has no time limit"));

  /* The SLA clock the queue shows, worked out the same way. */
  td_ticket_refresh_sla (clocks, self->policy, self->now);
  if (td_ticket_get_sla_due (clocks) != G_MAXINT64)
    {
      g_autofree char *when = format_instant (td_ticket_get_sla_due (clocks));
      g_autofree char *countdown = td_format_countdown (td_ticket_get_sla_due (clocks), self->now);
      g_autofree char *subtitle = g_strdup_printf (_ ("%s · %s"), when, countdown);

      add_row (self->ticket_group, self->ticket_rows, "sla-row", _ ("SLA Due"), subtitle);
    }
  else
    add_row (self->ticket_group, self->ticket_rows, "sla-row", _ ("SLA Due"),
             _ ("No SLA clock is running"));
  if (td_ticket_get_update_due (clocks) != G_MAXINT64)
    {
      g_autofree char *when = format_instant (td_ticket_get_update_due (clocks));
      g_autofree char *countdown
          = td_format_countdown (td_ticket_get_update_due (clocks), self->now);
      g_autofree char *subtitle = g_strdup_printf (_ ("%s · %s"), when, countdown);

      add_row (self->ticket_group, self->ticket_rows, "update-row", _ ("Next Update to the User"),
               subtitle);
    }
}

/* Where the ticket may go next, and what its handoff checklist asks for. */
static void
show_next_steps (TdEscalationPage *self, JsonObject *ticket, int tier, gboolean open)
{
  TdEscalationRequest request = { 0 };
  const char *const   none[] = { NULL };
  g_autoptr (GPtrArray) options = NULL;

  clear_rows (self->steps_group, self->step_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), open);
  if (!open)
    return;

  /* Checklist answers are given when escalating, in the ticket's window;
   * until then every required item is still to do. */
  request.tier = tier;
  request.severity = row_text (ticket, "severity");
  request.checked = none;
  options = td_escalation_options (self->policy, &request);
  for (guint i = 0; i < options->len; i++)
    {
      TdEscalationOption *option = g_ptr_array_index (options, i);
      g_autofree char    *title = NULL;
      g_autofree char    *subtitle = NULL;

      if (!option->applies || option->path->to <= tier)
        continue;
      if (option->path->label != NULL && *option->path->label != '\0')
        title = g_strdup_printf (_ ("Tier %d — %s"), option->path->to, option->path->label);
      else
        title = g_strdup_printf (_ ("Tier %d — %s"), option->path->to,
                                 tier_name (self, option->path->to));
      if (option->missing->len == 0)
        subtitle = g_strdup (_ ("No handoff checklist: can be escalated now"));
      else
        {
          g_autoptr (GString) missing = g_string_new (NULL);

          for (guint m = 0; m < option->missing->len; m++)
            {
              const TdChecklistItem *item = g_ptr_array_index (option->missing, m);

              g_string_append_printf (missing, "%s%s", m > 0 ? ", " : "", item->name);
            }
          subtitle = g_strdup_printf (_ ("Still to tick on “%s”: %s"), option->checklist->name,
                                      missing->str);
        }
      add_row (self->steps_group, self->step_rows, "step-row", title, subtitle);
    }
  if (self->step_rows->len == 0)
    add_row (self->steps_group, self->step_rows, "step-row", _ ("No Escalation Path"),
             _ ("No escalation path leads up from this tier"));
}

static void
clear_ticket (TdEscalationPage *self)
{
  g_clear_pointer (&self->ticket, g_free);
  td_flow_view_clear_path (self->flow_view);
  clear_rows (self->ticket_group, self->ticket_rows);
  clear_rows (self->steps_group, self->step_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->ticket_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), FALSE);
}

static gboolean
load_ticket (TdEscalationPage *self)
{
  TdCache *cache;
  g_autoptr (JsonObject) ticket = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GArray) visits = NULL;
  g_autoptr (GArray) moves = g_array_new (FALSE, FALSE, sizeof (TdTierMove));
  g_autoptr (GArray) per_tier = NULL;
  g_autoptr (GStrvBuilder) nodes = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) edges = g_strv_builder_new ();
  g_auto (GStrv) node_ids = NULL;
  g_auto (GStrv) edge_ids = NULL;
  TdFlowLayout    *layout = td_flow_view_get_layout (self->flow_view);
  g_autofree char *current = NULL;
  const Visit     *last;
  const char      *status;
  gboolean         open;
  int              entry;

  if (self->ticket == NULL || self->session == NULL || self->policy == NULL || layout == NULL
      || (cache = td_session_get_cache (self->session)) == NULL)
    return FALSE;
  ticket = td_cache_get_row (cache, "ticket", self->ticket);
  if (ticket == NULL)
    return FALSE;
  events = td_cache_list (cache, "ticket_event", "ticket", self->ticket, "at");
  visits = read_visits (self, ticket, events);
  last = &g_array_index (visits, Visit, visits->len - 1);
  status = row_text (ticket, "status");
  open = g_strcmp0 (status, "resolved") != 0 && g_strcmp0 (status, "closed") != 0;

  /* The path: where it was logged, each tier since, the arrows between. */
  entry = td_flow_layout_find_edge (layout, "entry");
  if (entry >= 0
      && g_array_index (visits, Visit, 0).tier == td_flow_layout_get_edge (layout, entry)->to_tier)
    {
      g_strv_builder_add (nodes, "start");
      g_strv_builder_add (edges, "entry");
    }
  for (guint i = 0; i < visits->len; i++)
    {
      const Visit     *visit = &g_array_index (visits, Visit, i);
      g_autofree char *node = g_strdup_printf ("tier-%d", visit->tier);

      g_strv_builder_add (nodes, node);
      if (i > 0)
        {
          int edge = td_flow_layout_find_move (layout, visit->path, visit->from, visit->tier);
          TdTierMove move = { visit->from, visit->tier, visit->entered };

          if (edge >= 0)
            g_strv_builder_add (edges, td_flow_layout_get_edge (layout, edge)->id);
          g_array_append_val (moves, move);
        }
    }
  current = g_strdup_printf ("tier-%d", last->tier);
  if (!open)
    {
      g_autofree char *resolved = g_strdup_printf ("resolved-%d", last->tier);

      g_strv_builder_add (nodes, resolved);
      g_strv_builder_add (edges, resolved);
    }
  node_ids = g_strv_builder_end (nodes);
  edge_ids = g_strv_builder_end (edges);
  td_flow_view_set_path (self->flow_view, (const char *const *) node_ids,
                         (const char *const *) edge_ids, current);

  /* Time spent in each tier, on the boxes [DESIGN: per-tier time]. */
  per_tier = td_escalation_time_per_tier (
      g_array_index (visits, Visit, 0).entered, g_array_index (visits, Visit, 0).tier,
      (const TdTierMove *) moves->data, moves->len, MAX (self->now, last->entered));
  for (guint i = 0; i < visits->len; i++)
    {
      int              level = g_array_index (visits, Visit, i).tier;
      gint64           seconds = level >= 0 && (guint) level < per_tier->len
                                     ? g_array_index (per_tier, gint64, level)
                                     : 0;
      g_autofree char *node = g_strdup_printf ("tier-%d", level);
      g_autofree char *span = td_format_span (seconds);

      td_flow_view_set_badge (self->flow_view, node, span, FALSE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->ticket_group), TRUE);
  show_ticket_rows (self, ticket, visits);
  show_next_steps (self, ticket, last->tier, open);
  return TRUE;
}

/* Search */

static void
on_search_changed (TdEscalationPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkWidget  *child;
  guint       n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  if (self->session == NULL || *text == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
      return;
    }
  /* Made at the first search: a queue model indexes every ticket in the
   * cache, which only a lead who searches here should pay for. */
  if (self->search_model == NULL)
    {
      self->search_model = td_queue_model_new (td_session_get_cache (self->session), self->policy);
      td_queue_model_set_status (self->search_model, TD_QUEUE_STATUS_ALL, NULL);
    }
  td_queue_model_set_search (self->search_model, text);
  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (self->search_model)), MAX_RESULTS);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TdTicket) ticket = g_list_model_get_item (G_LIST_MODEL (self->search_model), i);
      GtkWidget       *row = adw_action_row_new ();
      g_autofree char *title = g_markup_escape_text (td_ticket_get_title (ticket), -1);
      /* TRANSLATORS: severity · tier · status, such as "SEV-2 · Tier 1 · Open" */
      g_autofree char *subtitle = g_strdup_printf (
          _ ("%s · Tier %d · %s"),
          td_ticket_get_severity (ticket) != NULL ? td_ticket_get_severity (ticket) : "—",
          td_ticket_get_tier (ticket), td_format_status (td_ticket_get_status (ticket)));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (td_ticket_get_uuid (ticket)),
                              g_free);
      gtk_list_box_append (self->results_list, row);
    }
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No ticket matches"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->results_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), TRUE);
}

static void
on_result_activated (TdEscalationPage *self, GtkListBoxRow *row)
{
  const char *uuid = g_object_get_data (G_OBJECT (row), "uuid");

  if (uuid != NULL)
    td_escalation_page_show_ticket (self, uuid);
}

static void
on_rows_changed (TdEscalationPage *self, const char *entity, const char *const *ids)
{
  if (self->search_model != NULL && g_str_equal (entity, "ticket"))
    td_queue_model_tickets_changed (self->search_model, ids);
  if (self->ticket == NULL)
    return;
  /* An event's ids are its own, not its ticket's: reading one ticket's
   * history again is cheap. */
  if ((g_str_equal (entity, "ticket") && g_strv_contains (ids, self->ticket))
      || g_str_equal (entity, "ticket_event"))
    load_ticket (self);
}

/* What if */

static gboolean
parse_start (const char *text, gint64 *out)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();

  return td_time_parse_wall_clock (text, local, out);
}

static void
show_what_if (TdEscalationPage *self)
{
  guint            severity_index = adw_combo_row_get_selected (self->severity_row);
  guint            tier_index = adw_combo_row_get_selected (self->tier_row);
  g_autofree char *text
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->start_row))));
  gint64 start = 0;
  g_autoptr (GPtrArray) steps = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  clear_rows (self->results_group, self->result_rows);
  if (self->policy == NULL || severity_index >= self->severity_ids->len
      || tier_index >= self->tier_levels->len)
    return;

  if (!parse_start (text, &start))
    {
      message = g_strdup_printf (
          _ ("Logged at: “%s” is not a date and time; expected YYYY-MM-DD HH:MM, such as "
             "2026-05-01 17:50"),
          text);
      gtk_label_set_text (self->what_if_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->what_if_error), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->start_row), "error");
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->what_if_error), FALSE);
  gtk_label_set_text (self->what_if_error, "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->start_row), "error");

  steps = td_what_if_compute (self->policy, g_ptr_array_index (self->severity_ids, severity_index),
                              g_array_index (self->tier_levels, int, tier_index), start, &error);
  if (steps == NULL)
    {
      gtk_label_set_text (self->what_if_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->what_if_error), TRUE);
      return;
    }
  for (guint i = 0; i < steps->len; i++)
    {
      const TdWhatIfStep *step = g_ptr_array_index (steps, i);
      g_autofree char    *when = format_instant (step->due);
      g_autofree char    *title = NULL;
      g_autofree char    *subtitle = NULL;

      switch (step->kind)
        {
          case TD_WHAT_IF_ESCALATION:
            {
              g_autofree char *limit = td_flow_layout_format_duration (&step->limit->max);

              title = step->next_tier != 0 ? g_strdup_printf (_ ("Tier %d hands over to Tier %d"),
                                                              step->tier, step->next_tier)
                                           : g_strdup_printf (_ ("Tier %d time limit"), step->tier);
              /* Who would take it: rotas come with the On-call page. */
              subtitle
                  = g_strdup_printf (_ ("By %s · limit %s, %s\nOn call: Rota not set up"), when,
                                     limit, td_calendar_get_name (step->limit->calendar));
              add_row (self->results_group, self->result_rows, "what-if-row", title, subtitle);
              continue;
            }
          case TD_WHAT_IF_RESPONSE:
            title = g_strdup (_ ("First Response Due"));
            break;
          case TD_WHAT_IF_RESOLUTION:
            title = g_strdup (_ ("Resolution Due"));
            break;
          case TD_WHAT_IF_UPDATE:
          default:
            title = g_strdup (_ ("First Update to the User Due"));
            break;
        }
      if (step->due == TD_INSTANT_NEVER)
        subtitle = g_strdup_printf (_ ("No due time · %s"), step->clock.label);
      else
        {
          g_autofree char *source = td_sla_clock_describe (&step->clock);

          subtitle = g_strdup_printf (_ ("%s · %s"), when, source);
        }
      add_row (self->results_group, self->result_rows, "what-if-row", title, subtitle);
    }
}

static void
on_what_if_changed (TdEscalationPage *self)
{
  show_what_if (self);
}

static void
fill_what_if (TdEscalationPage *self)
{
  g_autoptr (GtkStringList) severities = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) tiers = gtk_string_list_new (NULL);
  GPtrArray *policy_severities = td_policy_get_severities (self->policy);
  GPtrArray *policy_tiers = td_policy_get_tiers (self->policy);

  g_ptr_array_set_size (self->severity_ids, 0);
  g_array_set_size (self->tier_levels, 0);
  for (guint i = 0; i < policy_severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (policy_severities, i);
      g_autofree char  *label = g_strdup_printf ("%s · %s", severity->id, severity->name);

      gtk_string_list_append (severities, label);
      g_ptr_array_add (self->severity_ids, g_strdup (severity->id));
    }
  for (guint i = 0; i < policy_tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (policy_tiers, i);

      gtk_string_list_append (tiers, tier->name);
      g_array_append_val (self->tier_levels, tier->level);
    }
  adw_combo_row_set_model (self->severity_row, G_LIST_MODEL (severities));
  adw_combo_row_set_model (self->tier_row, G_LIST_MODEL (tiers));
  /* SEV-2 when there is one: the case leads plan cover for. */
  adw_combo_row_set_selected (self->severity_row, MIN (1, policy_severities->len - 1));
}

/* Export */

static void
on_export_response (GtkNativeDialog *dialog, int response, TdEscalationPage *self)
{
  TdFlowExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "format"));
  GtkRoot           *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _ ("The chart can only be saved to a local folder"));
      else
        td_flow_view_export (self->flow_view, format, path, &error);
      if (TD_IS_WINDOW (root))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *done = g_strdup_printf (_ ("Chart saved as “%s”"), name);

          td_window_add_toast (TD_WINDOW (root), error != NULL ? error->message : done);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdEscalationPage     *self = TD_ESCALATION_PAGE (widget);
  gboolean              svg = g_strcmp0 (g_variant_get_string (parameter, NULL), "svg") == 0;
  GtkRoot              *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  /* GtkFileDialog is GTK 4.10; this goes through the portal under Flatpak. */
  dialog = gtk_file_chooser_native_new (svg ? _ ("Save the Chart as SVG")
                                            : _ ("Save the Chart as PNG"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     svg ? "escalation-flow.svg" : "escalation-flow.png");
  gtk_file_filter_set_name (filter, svg ? _ ("SVG drawings") : _ ("PNG images"));
  gtk_file_filter_add_mime_type (filter, svg ? "image/svg+xml" : "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "format",
                     GINT_TO_POINTER (svg ? TD_FLOW_EXPORT_SVG : TD_FLOW_EXPORT_PNG));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Other actions and callbacks */

static void
zoom_in_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  td_flow_view_zoom_in (TD_ESCALATION_PAGE (widget)->flow_view);
}

static void
zoom_out_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  td_flow_view_zoom_out (TD_ESCALATION_PAGE (widget)->flow_view);
}

static void
fit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  td_flow_view_fit (TD_ESCALATION_PAGE (widget)->flow_view);
}

static void
clear_ticket_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  clear_ticket (TD_ESCALATION_PAGE (widget));
}

static void
what_if_now_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdEscalationPage *self = TD_ESCALATION_PAGE (widget);
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (self->now);
  g_autofree char *text = g_date_time_format (local, "%Y-%m-%d %H:%M");

  gtk_editable_set_text (GTK_EDITABLE (self->start_row), text);
}

static void
on_zoom_changed (TdEscalationPage *self)
{
  g_autofree char *text
      = g_strdup_printf ("%d%%", (int) (td_flow_view_get_zoom (self->flow_view) * 100 + 0.5));

  gtk_label_set_text (self->zoom_label, text);
}

/* A tier chosen on the chart becomes the what-if tier. */
static void
on_node_activated (TdEscalationPage *self, const char *id)
{
  int level;

  if (!g_str_has_prefix (id, "tier-"))
    return;
  level = atoi (id + strlen ("tier-"));
  for (guint i = 0; i < self->tier_levels->len; i++)
    if (g_array_index (self->tier_levels, int, i) == level)
      adw_combo_row_set_selected (self->tier_row, i);
}

/* GObject */

static void
td_escalation_page_dispose (GObject *object)
{
  TdEscalationPage *self = (TdEscalationPage *) object;
  GtkWidget        *child;

  td_escalation_page_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_ESCALATION_PAGE);
  /* The template's top child is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->policy);

  G_OBJECT_CLASS (td_escalation_page_parent_class)->dispose (object);
}

static void
td_escalation_page_finalize (GObject *object)
{
  TdEscalationPage *self = (TdEscalationPage *) object;

  g_clear_pointer (&self->table_groups, g_ptr_array_unref);
  g_clear_pointer (&self->ticket_rows, g_ptr_array_unref);
  g_clear_pointer (&self->step_rows, g_ptr_array_unref);
  g_clear_pointer (&self->result_rows, g_ptr_array_unref);
  g_clear_pointer (&self->severity_ids, g_ptr_array_unref);
  g_clear_pointer (&self->tier_levels, g_array_unref);
  g_clear_pointer (&self->ticket, g_free);

  G_OBJECT_CLASS (td_escalation_page_parent_class)->finalize (object);
}

static void
td_escalation_page_class_init (TdEscalationPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_escalation_page_dispose;
  object_class->finalize = td_escalation_page_finalize;

  g_type_ensure (TD_TYPE_FLOW_VIEW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-escalation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, heading);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, flow_view);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, model_box);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, model_heading);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, results_list);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, find_group);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, ticket_group);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, steps_group);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, severity_row);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, tier_row);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, start_row);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, what_if_error);
  gtk_widget_class_bind_template_child (widget_class, TdEscalationPage, results_group);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_result_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_what_if_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_node_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "page.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "page.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "page.fit", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "page.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "page.clear-ticket", NULL, clear_ticket_action);
  gtk_widget_class_install_action (widget_class, "page.what-if-now", NULL, what_if_now_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "page.export",
                                       "s", "png");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "page.export", "s", "svg");
}

static void
td_escalation_page_init (TdEscalationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->table_groups = g_ptr_array_new ();
  self->ticket_rows = g_ptr_array_new ();
  self->step_rows = g_ptr_array_new ();
  self->result_rows = g_ptr_array_new ();
  self->severity_ids = g_ptr_array_new_with_free_func (g_free);
  self->tier_levels = g_array_new (FALSE, FALSE, sizeof (int));
  self->now = td_time_now ();
  on_zoom_changed (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
  adw_preferences_group_set_description (self->find_group,
                                         _ ("Sign in to find a ticket and see its path"));
}

/* Public API */

void
td_escalation_page_set_policy (TdEscalationPage *self, TdPolicy *policy)
{
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *start = NULL;

  g_return_if_fail (TD_IS_ESCALATION_PAGE (self));
  g_return_if_fail (TD_IS_POLICY (policy));

  g_set_object (&self->policy, policy);
  td_flow_view_set_policy (self->flow_view, policy);
  show_tables (self);
  fill_what_if (self);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->start_row)) == '\0')
    {
      local = g_date_time_new_from_unix_local (self->now);
      start = g_date_time_format (local, "%Y-%m-%d %H:%M");
      gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
    }
  show_what_if (self);
  if (self->ticket != NULL && !load_ticket (self))
    clear_ticket (self);
}

void
td_escalation_page_set_session (TdEscalationPage *self, TdSession *session)
{
  g_return_if_fail (TD_IS_ESCALATION_PAGE (self));
  g_return_if_fail (session == NULL || TD_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL && self->rows_changed_id != 0)
    {
      TdSyncEngine *engine = td_session_get_engine (self->session);

      if (engine != NULL)
        g_signal_handler_disconnect (engine, self->rows_changed_id);
    }
  self->rows_changed_id = 0;
  g_clear_object (&self->search_model);
  g_clear_object (&self->session);
  if (self->search_entry != NULL)
    clear_ticket (self);

  if (session != NULL && td_session_get_cache (session) != NULL && self->policy != NULL)
    {
      self->session = g_object_ref (session);
      if (td_session_get_engine (session) != NULL)
        self->rows_changed_id
            = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                       G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
    }
  if (self->search_entry != NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), self->session != NULL);
      adw_preferences_group_set_description (
          self->find_group, self->session != NULL
                                ? _ ("Its path so far, the time left at its tier and what its "
                                     "next handoff needs")
                                : _ ("Sign in to find a ticket and see its path"));
      on_search_changed (self);
    }
}

void
td_escalation_page_tick (TdEscalationPage *self, gint64 now)
{
  g_return_if_fail (TD_IS_ESCALATION_PAGE (self));

  self->now = now;
  if (self->ticket != NULL)
    load_ticket (self);
}

gboolean
td_escalation_page_show_ticket (TdEscalationPage *self, const char *uuid)
{
  g_return_val_if_fail (TD_IS_ESCALATION_PAGE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  g_free (self->ticket);
  self->ticket = g_strdup (uuid);
  gtk_stack_set_visible_child_name (self->content_stack, "chart");
  if (!load_ticket (self))
    {
      clear_ticket (self);
      return FALSE;
    }
  return TRUE;
}

const char *
td_escalation_page_get_ticket (TdEscalationPage *self)
{
  g_return_val_if_fail (TD_IS_ESCALATION_PAGE (self), NULL);
  return self->ticket;
}

void
td_escalation_page_focus_search (TdEscalationPage *self)
{
  g_return_if_fail (TD_IS_ESCALATION_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

TdFlowView *
td_escalation_page_get_flow_view (TdEscalationPage *self)
{
  g_return_val_if_fail (TD_IS_ESCALATION_PAGE (self), NULL);
  return self->flow_view;
}

gboolean
td_escalation_page_set_what_if (TdEscalationPage *self,
                                const char       *severity,
                                int               tier,
                                const char       *start)
{
  gboolean found_severity = FALSE, found_tier = FALSE;

  g_return_val_if_fail (TD_IS_ESCALATION_PAGE (self), FALSE);

  for (guint i = 0; i < self->severity_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->severity_ids, i), severity) == 0)
      {
        adw_combo_row_set_selected (self->severity_row, i);
        found_severity = TRUE;
      }
  for (guint i = 0; i < self->tier_levels->len; i++)
    if (g_array_index (self->tier_levels, int, i) == tier)
      {
        adw_combo_row_set_selected (self->tier_row, i);
        found_tier = TRUE;
      }
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
  return found_severity && found_tier;
}

const char *
td_escalation_page_get_what_if_error (TdEscalationPage *self)
{
  g_return_val_if_fail (TD_IS_ESCALATION_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->what_if_error)))
    return NULL;
  return gtk_label_get_text (self->what_if_error);
}

char *
td_escalation_page_get_what_if_text (TdEscalationPage *self)
{
  g_return_val_if_fail (TD_IS_ESCALATION_PAGE (self), NULL);
  return rows_text (self->result_rows);
}

char *
td_escalation_page_get_ticket_text (TdEscalationPage *self)
{
  g_autofree char *ticket = NULL;
  g_autofree char *steps = NULL;

  g_return_val_if_fail (TD_IS_ESCALATION_PAGE (self), NULL);
  ticket = rows_text (self->ticket_rows);
  steps = rows_text (self->step_rows);
  return g_strconcat (ticket, steps, NULL);
}
