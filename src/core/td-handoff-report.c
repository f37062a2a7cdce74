/* td-handoff-report.c — the shift handoff report [8.3]: built from live data, laid out, Markdown
 *
 * The report is built once, when the outgoing lead hands over, and stored
 * as JSON with the handoff: what was handed over stays what it was, however
 * the tickets move on. Everything that shows it (the preview, the PDF, the
 * print-out and the Markdown) lays out that JSON the same way, through
 * td_handoff_report_layout ().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-escalation.h"
#include "td-format.h"
#include "td-handoff-report.h"
#include "td-sla.h"

/* Escalation time limits further away than this are not yet an action for
 * the shift. */
#define ESCALATION_HORIZON (4 * 3600)

void
td_handoff_block_free (TdHandoffBlock *block)
{
  if (block == NULL)
    return;
  g_strfreev (block->cells);
  g_free (block);
}

/* Building */

static gboolean
is_open (const TdHandoffTicket *ticket)
{
  return g_strcmp0 (ticket->status, "resolved") != 0 && g_strcmp0 (ticket->status, "closed") != 0;
}

static int
severity_level (TdPolicy *policy, const char *id)
{
  const TdSeverity *severity = td_policy_get_severity (policy, id);

  return severity != NULL ? severity->level : G_MAXINT;
}

typedef struct
{
  TdPolicy              *policy;
  const TdHandoffTicket *ticket;
} Sortable;

static int
compare_tickets (gconstpointer a, gconstpointer b)
{
  const Sortable *x = a;
  const Sortable *y = b;
  int             level_x = severity_level (x->policy, x->ticket->severity);
  int             level_y = severity_level (y->policy, y->ticket->severity);

  if (level_x != level_y)
    return level_x < level_y ? -1 : 1;
  if (x->ticket->created_at != y->ticket->created_at)
    return x->ticket->created_at < y->ticket->created_at ? -1 : 1;
  return g_strcmp0 (x->ticket->id, y->ticket->id);
}

static void
set_nullable (JsonObject *object, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonObject *
ticket_json (const TdHandoffTicket *ticket)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", ticket->id);
  json_object_set_string_member (object, "title", ticket->title != NULL ? ticket->title : "");
  set_nullable (object, "status", ticket->status);
  set_nullable (object, "severity", ticket->severity);
  set_nullable (object, "priority", ticket->priority);
  json_object_set_int_member (object, "tier", ticket->tier);
  set_nullable (object, "owner", ticket->owner_name);
  json_object_set_int_member (object, "created_at", ticket->created_at);
  return object;
}

static void
add_action (GArray                *actions,
            const TdHandoffTicket *ticket,
            const char            *kind,
            TdInstant              due,
            TdInstant              now,
            const TdChecklist     *checklist)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "ticket", ticket->id);
  json_object_set_string_member (object, "title", ticket->title != NULL ? ticket->title : "");
  json_object_set_string_member (object, "action", kind);
  json_object_set_int_member (object, "due", due);
  json_object_set_boolean_member (object, "overdue", due <= now);
  if (checklist != NULL)
    {
      guint required = 0;

      for (guint i = 0; i < checklist->items->len; i++)
        required += ((const TdChecklistItem *) g_ptr_array_index (checklist->items, i))->required;
      json_object_set_string_member (object, "checklist", checklist->name);
      json_object_set_int_member (object, "checklist_items", required);
    }
  g_array_append_val (actions, object);
}

/* The checklist of the usual way up from @tier (a path with a checklist
 * and no severity or reason condition). */
static const TdChecklist *
checklist_up_from (TdPolicy *policy, int tier)
{
  GPtrArray *paths = td_policy_get_escalation_paths (policy);

  for (guint i = 0; paths != NULL && i < paths->len; i++)
    {
      const TdEscalationPath *path = g_ptr_array_index (paths, i);

      /* The loader gives empty lists, never NULL. */
      if (path->from == tier && path->checklist != NULL
          && (path->severities == NULL || path->severities[0] == NULL)
          && (path->reasons == NULL || path->reasons[0] == NULL))
        return td_policy_get_checklist (policy, path->checklist);
    }
  return NULL;
}

static void
find_actions (TdPolicy *policy, const TdHandoffTicket *ticket, TdInstant now, GArray *actions)
{
  TdSlaTicket          sla_ticket = { 0 };
  TdSlaResult          sla;
  TdEscalationDeadline deadline = { 0 };

  sla_ticket.tier = ticket->tier;
  sla_ticket.severity = ticket->severity;
  sla_ticket.issue_type = ticket->issue_type;
  sla_ticket.created = ticket->created_at;
  sla_ticket.first_response = ticket->first_response_at;
  sla_ticket.last_update = ticket->last_update_at;
  if (td_sla_compute (policy, &sla_ticket, now, &sla, NULL))
    {
      if (ticket->first_response_at == 0 && sla.response.has_clock)
        add_action (actions, ticket, "respond", sla.response.due, now, NULL);
      else if (sla.update.has_clock && sla.update.state != TD_SLA_NO_CLOCK)
        add_action (actions, ticket, "update", sla.update.due, now, NULL);
    }

  if (td_escalation_time_limit (policy, ticket->tier, ticket->severity,
                                ticket->tier_entered_at != 0 ? ticket->tier_entered_at
                                                             : ticket->created_at,
                                NULL, 0, now, &deadline)
      && deadline.deadline - now <= ESCALATION_HORIZON)
    add_action (actions, ticket, "escalation-review", deadline.deadline, now,
                checklist_up_from (policy, ticket->tier));
}

static int
compare_actions (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;
  gint64      due_x = json_object_get_int_member (x, "due");
  gint64      due_y = json_object_get_int_member (y, "due");

  if (due_x != due_y)
    return due_x < due_y ? -1 : 1;
  return g_strcmp0 (json_object_get_string_member (x, "title"),
                    json_object_get_string_member (y, "title"));
}

JsonObject *
td_handoff_report_build (TdPolicy *policy, const TdHandoffInput *input)
{
  JsonObject *report = json_object_new ();
  JsonArray  *open = json_array_new ();
  JsonArray  *incidents = json_array_new ();
  JsonArray  *pending = json_array_new ();
  JsonArray  *escalations = json_array_new ();
  JsonArray  *contacts = json_array_new ();
  g_autoptr (GArray) sorted = g_array_new (FALSE, FALSE, sizeof (Sortable));
  g_autoptr (GArray) actions = g_array_new (FALSE, FALSE, sizeof (JsonObject *));

  g_return_val_if_fail (TD_IS_POLICY (policy), report);
  g_return_val_if_fail (input != NULL, report);

  for (guint i = 0; i < input->n_tickets; i++)
    {
      const TdHandoffTicket *ticket = &input->tickets[i];
      Sortable               item = { policy, ticket };

      if (is_open (ticket) && (input->tier == 0 || ticket->tier == input->tier))
        g_array_append_val (sorted, item);
    }
  g_array_sort (sorted, compare_tickets);

  for (guint i = 0; i < sorted->len; i++)
    {
      const TdHandoffTicket *ticket = g_array_index (sorted, Sortable, i).ticket;

      json_array_add_object_element (open, ticket_json (ticket));
      /* [8.3] "Any ongoing SEV-1/SEV-2". */
      if (severity_level (policy, ticket->severity) <= 2)
        json_array_add_object_element (incidents, ticket_json (ticket));
      find_actions (policy, ticket, input->now, actions);
      if (ticket->awaiting_pickup)
        {
          JsonObject *escalation = json_object_new ();

          json_object_set_string_member (escalation, "ticket", ticket->id);
          json_object_set_string_member (escalation, "title",
                                         ticket->title != NULL ? ticket->title : "");
          json_object_set_int_member (escalation, "from_tier", ticket->escalated_from);
          json_object_set_int_member (escalation, "to_tier", ticket->tier);
          json_object_set_int_member (escalation, "at", ticket->escalated_at);
          json_array_add_object_element (escalations, escalation);
        }
    }

  g_array_sort (actions, compare_actions);
  for (guint i = 0; i < actions->len; i++)
    json_array_add_object_element (pending, g_array_index (actions, JsonObject *, i));

  for (guint i = 0; i < input->n_contacts; i++)
    {
      const TdHandoffContact *contact = &input->contacts[i];
      JsonObject             *object = json_object_new ();

      json_object_set_int_member (object, "tier", contact->tier);
      set_nullable (object, "rotation", contact->rotation);
      set_nullable (object, "position", contact->position);
      set_nullable (object, "person", contact->person);
      set_nullable (object, "contact", contact->contact);
      json_object_set_int_member (object, "starts_at", contact->starts_at);
      json_object_set_int_member (object, "ends_at", contact->ends_at);
      json_object_set_string_member (object, "when", contact->is_next ? "next" : "now");
      json_array_add_object_element (contacts, object);
    }

  json_object_set_int_member (report, "generated_at", input->now);
  json_object_set_int_member (report, "tier", input->tier);
  json_object_set_array_member (report, "open_tickets", open);
  json_object_set_array_member (report, "active_incidents", incidents);
  json_object_set_array_member (report, "pending_actions", pending);
  json_object_set_array_member (report, "pending_escalations", escalations);
  json_object_set_array_member (report, "key_contacts", contacts);
  return report;
}

/* Layout */

static void add_block (GPtrArray *blocks, TdHandoffBlockKind kind, ...) G_GNUC_NULL_TERMINATED;

static void
add_block (GPtrArray *blocks, TdHandoffBlockKind kind, ...)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  TdHandoffBlock *block = g_new0 (TdHandoffBlock, 1);
  const char     *cell;
  va_list         args;

  va_start (args, kind);
  while ((cell = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, cell);
  va_end (args);
  block->kind = kind;
  block->cells = g_strv_builder_end (builder);
  g_ptr_array_add (blocks, block);
}

static char *
format_time (TdInstant instant, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, zone);

  /* TRANSLATORS: a time in the handoff report; see strftime */
  return g_date_time_format (local, _ ("%-d %b %Y %H:%M"));
}

/* Without the year: the on-call table is narrow, and shifts are near. */
static char *
format_short_time (TdInstant instant, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, zone);

  /* TRANSLATORS: when an on-call shift starts or ends; see strftime */
  return g_date_time_format (local, _ ("%a %-d %b %H:%M"));
}

static const char *
text_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

static gint64
int_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

static JsonArray *
array_member (JsonObject *report, const char *name)
{
  JsonNode *node = json_object_get_member (report, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static guint
array_length (JsonArray *array)
{
  return array != NULL ? json_array_get_length (array) : 0;
}

/* The section's heading as the policy names it [8.3], with its count. */
static void
add_heading (GPtrArray *blocks, TdPolicy *policy, const char *id, const char *fallback, guint count)
{
  GPtrArray       *items = td_policy_get_shift_handoff (policy);
  const char      *name = fallback;
  const char      *description = "";
  g_autofree char *heading = NULL;

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const TdPolicyItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->id, id) == 0)
        {
          name = item->name;
          description = item->description != NULL ? item->description : "";
        }
    }
  heading = g_strdup_printf ("%s (%u)", name, count);
  add_block (blocks, TD_HANDOFF_BLOCK_HEADING, heading, description, NULL);
}

static char *
tier_name (TdPolicy *policy, int level)
{
  const TdTier *tier = td_policy_get_tier (policy, level);

  /* TRANSLATORS: a tier without a name in the policy */
  return tier != NULL ? g_strdup (tier->name) : g_strdup_printf (_ ("Tier %d"), level);
}

static void
layout_tickets (GPtrArray *blocks, TdPolicy *policy, JsonArray *tickets)
{
  if (array_length (tickets) == 0)
    {
      add_block (blocks, TD_HANDOFF_BLOCK_TEXT, _ ("None."), NULL);
      return;
    }
  add_block (blocks, TD_HANDOFF_BLOCK_TABLE_HEAD, _ ("Ticket"), _ ("Status"), _ ("Severity"),
             _ ("Tier"), _ ("Owner"), NULL);
  for (guint i = 0; i < array_length (tickets); i++)
    {
      JsonObject      *ticket = json_array_get_object_element (tickets, i);
      g_autofree char *tier = g_strdup_printf ("%" G_GINT64_FORMAT, int_member (ticket, "tier"));
      const char      *severity = text_member (ticket, "severity");
      const char      *priority = text_member (ticket, "priority");
      g_autofree char *rank
          = priority != NULL
                ? g_strdup_printf ("%s · %s", severity != NULL ? severity : "—", priority)
                : g_strdup (severity != NULL ? severity : "—");
      const char *owner = text_member (ticket, "owner");

      add_block (blocks, TD_HANDOFF_BLOCK_TABLE_ROW, text_member (ticket, "title"),
                 td_format_status (text_member (ticket, "status")), rank, tier,
                 /* TRANSLATORS: a ticket nobody owns */
                 owner != NULL ? owner : _ ("Unassigned"), NULL);
    }
}

static char *
describe_action (TdPolicy *policy, JsonObject *action, GTimeZone *zone)
{
  const char      *kind = text_member (action, "action");
  g_autofree char *due = format_time (int_member (action, "due"), zone);
  gboolean         overdue = json_object_get_boolean_member_with_default (action, "overdue", FALSE);

  if (g_strcmp0 (kind, "respond") == 0)
    return g_strdup_printf (
        overdue ? _ ("First response overdue since %s") : _ ("First response due by %s"), due);
  if (g_strcmp0 (kind, "update") == 0)
    return g_strdup_printf (overdue ? _ ("Update to the user overdue since %s")
                                    : _ ("Update to the user due by %s"),
                            due);
  if (text_member (action, "checklist") != NULL)
    return g_strdup_printf (
        /* %d, not G_GINT64_FORMAT: xgettext cannot see through the macro. */
        overdue ? _ ("Escalation time limit passed at %s: escalate with the %s (%d items) or "
                     "record why it stays")
                : _ ("Escalation time limit at %s: escalate with the %s (%d items) or record why "
                     "it stays"),
        due, text_member (action, "checklist"), (int) int_member (action, "checklist_items"));
  return g_strdup_printf (
      overdue ? _ ("Escalation time limit passed at %s") : _ ("Escalation time limit at %s"), due);
}

GPtrArray *
td_handoff_report_layout (TdPolicy              *policy,
                          JsonObject            *report,
                          const TdHandoffHeader *header,
                          GTimeZone             *zone)
{
  GPtrArray       *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) td_handoff_block_free);
  JsonArray       *open;
  JsonArray       *incidents;
  JsonArray       *actions;
  JsonArray       *escalations;
  JsonArray       *contacts;
  g_autofree char *generated = NULL;

  g_return_val_if_fail (TD_IS_POLICY (policy), blocks);
  g_return_val_if_fail (report != NULL && header != NULL && zone != NULL, blocks);

  open = array_member (report, "open_tickets");
  incidents = array_member (report, "active_incidents");
  actions = array_member (report, "pending_actions");
  escalations = array_member (report, "pending_escalations");
  contacts = array_member (report, "key_contacts");

  add_block (blocks, TD_HANDOFF_BLOCK_TITLE, _ ("Shift Handoff Report"), NULL);
  if (header->team != NULL)
    add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Team"), header->team, NULL);
  if (header->shift != NULL && header->shift[0] != '\0')
    add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Shift"), header->shift, NULL);
  if (header->period_start != 0 && header->period_end != 0)
    {
      g_autofree char *start = format_time (header->period_start, zone);
      g_autofree char *end = format_time (header->period_end, zone);
      /* TRANSLATORS: the stretch a handoff covers, "26 Nov 2026 17:00 – 27 Nov 2026 09:00" */
      g_autofree char *covers = g_strdup_printf (_ ("%s – %s"), start, end);
      add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Covers"), covers, NULL);
    }
  generated = format_time (int_member (report, "generated_at"), zone);
  add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Snapshot taken"), generated, NULL);
  if (header->author != NULL)
    add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Outgoing lead"), header->author, NULL);
  if (header->handed_to != NULL)
    add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Incoming lead"), header->handed_to, NULL);
  if (header->created_at != 0)
    {
      g_autofree char *when = format_time (header->created_at, zone);
      add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Handed over"), when, NULL);
    }
  else
    add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Handed over"), _ ("Not yet (preview)"), NULL);
  if (header->acknowledged_at != 0)
    {
      g_autofree char *when = format_time (header->acknowledged_at, zone);
      /* TRANSLATORS: "Bob Brown at 27 Nov 2026 17:05" */
      g_autofree char *who = g_strdup_printf (
          _ ("%s at %s"), header->acknowledged_by != NULL ? header->acknowledged_by : "", when);
      add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Acknowledged"), who, NULL);
    }
  else if (header->acknowledged_by != NULL)
    {
      /* Acknowledged on this desktop; the server stamps the time. */
      g_autofree char *who
          = g_strdup_printf (_ ("%s (not yet on the server)"), header->acknowledged_by);
      add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Acknowledged"), who, NULL);
    }
  else if (header->created_at != 0)
    add_block (blocks, TD_HANDOFF_BLOCK_FIELD, _ ("Acknowledged"), _ ("Not yet"), NULL);

  add_heading (blocks, policy, "open-tickets", _ ("Open tickets"), array_length (open));
  layout_tickets (blocks, policy, open);

  add_heading (blocks, policy, "active-incidents", _ ("Active incidents"),
               array_length (incidents));
  layout_tickets (blocks, policy, incidents);

  add_heading (blocks, policy, "pending-actions", _ ("Pending actions"), array_length (actions));
  if (array_length (actions) == 0)
    add_block (blocks, TD_HANDOFF_BLOCK_TEXT, _ ("None."), NULL);
  for (guint i = 0; i < array_length (actions); i++)
    {
      JsonObject      *action = json_array_get_object_element (actions, i);
      g_autofree char *text = describe_action (policy, action, zone);
      g_autofree char *item = g_strdup_printf ("%s: %s", text_member (action, "title"), text);

      add_block (blocks, TD_HANDOFF_BLOCK_ITEM, item, NULL);
    }

  add_heading (blocks, policy, "escalations", _ ("Escalations"), array_length (escalations));
  if (array_length (escalations) == 0)
    add_block (blocks, TD_HANDOFF_BLOCK_TEXT, _ ("None."), NULL);
  for (guint i = 0; i < array_length (escalations); i++)
    {
      JsonObject      *escalation = json_array_get_object_element (escalations, i);
      g_autofree char *from = tier_name (policy, (int) int_member (escalation, "from_tier"));
      g_autofree char *to = tier_name (policy, (int) int_member (escalation, "to_tier"));
      g_autofree char *at = format_time (int_member (escalation, "at"), zone);
      /* TRANSLATORS: "Payroll export fails: from Tier 1 to Tier 2 at 27 Nov 2026 08:40, not
       * picked up yet" */
      g_autofree char *item = g_strdup_printf (_ ("%s: from %s to %s at %s, not picked up yet"),
                                               text_member (escalation, "title"), from, to, at);

      add_block (blocks, TD_HANDOFF_BLOCK_ITEM, item, NULL);
    }

  add_heading (blocks, policy, "key-contacts", _ ("Key contacts"), array_length (contacts));
  if (array_length (contacts) == 0)
    add_block (blocks, TD_HANDOFF_BLOCK_TEXT, _ ("No one is on call in any rota."), NULL);
  else
    add_block (blocks, TD_HANDOFF_BLOCK_TABLE_HEAD, _ ("Rota"), _ ("Position"), _ ("When"),
               _ ("Person"), _ ("Contact"), NULL);
  for (guint i = 0; i < array_length (contacts); i++)
    {
      JsonObject      *contact = json_array_get_object_element (contacts, i);
      gboolean         next = g_strcmp0 (text_member (contact, "when"), "next") == 0;
      g_autofree char *from = format_short_time (int_member (contact, "starts_at"), zone);
      g_autofree char *until = format_short_time (int_member (contact, "ends_at"), zone);
      g_autofree char *when = next ? g_strdup_printf (_ ("Next, from %s"), from)
                                   : g_strdup_printf (_ ("Now, until %s"), until);
      const char      *reach = text_member (contact, "contact");

      add_block (blocks, TD_HANDOFF_BLOCK_TABLE_ROW, text_member (contact, "rotation"),
                 text_member (contact, "position"), when, text_member (contact, "person"),
                 reach != NULL ? reach : "—", NULL);
    }

  add_block (blocks, TD_HANDOFF_BLOCK_HEADING, _ ("Notes from the outgoing lead"), "", NULL);
  add_block (blocks, TD_HANDOFF_BLOCK_TEXT,
             header->notes != NULL && header->notes[0] != '\0' ? header->notes : _ ("None."), NULL);
  return blocks;
}

/* Markdown */

/* Table cells and list items are one line; a pipe would end the cell. */
static void
append_inline (GString *out, const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else if (strchr ("|*_`[]<>#\\", *p) != NULL)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else
        g_string_append_c (out, *p);
    }
}

char *
td_handoff_report_to_markdown (GPtrArray *blocks)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (blocks != NULL, g_string_free (out, FALSE));

  for (guint i = 0; i < blocks->len; i++)
    {
      const TdHandoffBlock *block = g_ptr_array_index (blocks, i);
      const TdHandoffBlock *next = i + 1 < blocks->len ? g_ptr_array_index (blocks, i + 1) : NULL;
      guint                 n = g_strv_length (block->cells);

      switch (block->kind)
        {
          case TD_HANDOFF_BLOCK_TITLE:
            g_string_append (out, "# ");
            append_inline (out, block->cells[0]);
            g_string_append (out, "\n\n");
            break;
          case TD_HANDOFF_BLOCK_FIELD:
            g_string_append (out, "**");
            append_inline (out, block->cells[0]);
            g_string_append (out, ":** ");
            append_inline (out, block->cells[1]);
            /* Two spaces: a line break within the paragraph. */
            g_string_append (out, next != NULL && next->kind == TD_HANDOFF_BLOCK_FIELD ? "  \n"
                                                                                       : "\n\n");
            break;
          case TD_HANDOFF_BLOCK_HEADING:
            g_string_append (out, "## ");
            append_inline (out, block->cells[0]);
            g_string_append (out, "\n\n");
            if (block->cells[1] != NULL && block->cells[1][0] != '\0')
              {
                g_string_append_c (out, '_');
                append_inline (out, block->cells[1]);
                g_string_append (out, "_\n\n");
              }
            break;
          case TD_HANDOFF_BLOCK_TABLE_HEAD:
          case TD_HANDOFF_BLOCK_TABLE_ROW:
            g_string_append_c (out, '|');
            for (guint c = 0; c < n; c++)
              {
                g_string_append_c (out, ' ');
                append_inline (out, block->cells[c]);
                g_string_append (out, " |");
              }
            g_string_append_c (out, '\n');
            if (block->kind == TD_HANDOFF_BLOCK_TABLE_HEAD)
              {
                g_string_append_c (out, '|');
                for (guint c = 0; c < n; c++)
                  g_string_append (out, "---|");
                g_string_append_c (out, '\n');
              }
            if (next == NULL || next->kind != TD_HANDOFF_BLOCK_TABLE_ROW)
              g_string_append_c (out, '\n');
            break;
          case TD_HANDOFF_BLOCK_ITEM:
            g_string_append (out, "- ");
            append_inline (out, block->cells[0]);
            g_string_append_c (out, '\n');
            if (next == NULL || next->kind != TD_HANDOFF_BLOCK_ITEM)
              g_string_append_c (out, '\n');
            break;
          case TD_HANDOFF_BLOCK_TEXT:
          default:
            /* Notes keep their own lines. */
            {
              g_auto (GStrv) lines = g_strsplit (block->cells[0], "\n", -1);

              for (guint l = 0; lines[l] != NULL; l++)
                {
                  append_inline (out, lines[l]);
                  g_string_append (out, lines[l + 1] != NULL ? "  \n" : "\n\n");
                }
            }
            break;
        }
    }
  return g_string_free (out, FALSE);
}

GPtrArray *
td_handoff_report_ticket_titles (JsonObject *report)
{
  GPtrArray *titles = g_ptr_array_new ();
  JsonArray *open;

  g_return_val_if_fail (report != NULL, titles);

  open = array_member (report, "open_tickets");
  for (guint i = 0; i < array_length (open); i++)
    g_ptr_array_add (titles,
                     (gpointer) text_member (json_array_get_object_element (open, i), "title"));
  return titles;
}
