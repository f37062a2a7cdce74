/* td-pir.c — post-incident reviews [10.2, 5.2]: their rules, the timeline
 * taken from a ticket's history, participation, and a Markdown report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A review's lists (participants, actions, timeline) are JSON in its row;
 * the server sends them as JSON and the client cache keeps them as text,
 * so the reader here takes either.
 */
#include "config.h"

#include "td-pir.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-format.h"
#include "td-time.h"

/* clang-format off */
G_DEFINE_QUARK (td-pir-error-quark, td_pir_error)
/* clang-format on */

#define DEFAULT_DUE (5 * 24 * 60 * 60)
#define DAY         (24 * 60 * 60)

static const char *const status_ids[] = {
  [TD_PIR_SCHEDULED] = "scheduled",
  [TD_PIR_HELD] = "held",
  [TD_PIR_ACTIONS_OPEN] = "actions_open",
  [TD_PIR_CLOSED] = "closed",
};

gboolean
td_pir_status_from_string (const char *id, TdPirStatus *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_ids); i++)
    if (g_strcmp0 (id, status_ids[i]) == 0)
      {
        if (out != NULL)
          *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
td_pir_status_to_string (TdPirStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_ids), NULL);
  return status_ids[status];
}

static void
participant_free (gpointer data)
{
  TdPirParticipant *participant = data;

  g_free (participant->person);
  g_free (participant->name);
  g_free (participant);
}

static void
action_free (gpointer data)
{
  TdPirAction *action = data;

  g_free (action->text);
  g_free (action->owner);
  g_free (action->due);
  g_free (action);
}

static void
event_free (gpointer data)
{
  TdPirEvent *event = data;

  g_free (event->kind);
  g_free (event->author);
  g_free (event->text);
  g_free (event);
}

void
td_pir_free (TdPir *pir)
{
  if (pir == NULL)
    return;
  g_free (pir->uuid);
  g_free (pir->ticket);
  g_clear_pointer (&pir->participants, g_ptr_array_unref);
  g_clear_pointer (&pir->actions, g_ptr_array_unref);
  g_clear_pointer (&pir->timeline, g_ptr_array_unref);
  g_free (pir->root_cause);
  g_free (pir->contributing_factors);
  g_free (pir);
}

static const char *
member_text (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return 0;
}

/* The array in @name, written as JSON or as text; NULL with @error set if
 * it is neither. A missing or null member is an empty array. */
static JsonArray *
member_array (JsonObject *row, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (row, name);
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return json_array_new ();
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_ref (json_node_get_array (node));
  if (member_text (row, name) != NULL)
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, member_text (row, name), -1, NULL)
          && JSON_NODE_HOLDS_ARRAY (root = json_parser_get_root (parser)))
        return json_array_ref (json_node_get_array (root));
    }
  g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_INVALID, "%s: expected an array", name);
  return NULL;
}

static JsonObject *
element_object (JsonArray *array, guint i, const char *name, GError **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_INVALID, "%s[%u]: expected an object", name, i);
  return NULL;
}

TdPir *
td_pir_new_from_row (JsonObject *row, GError **error)
{
  g_autoptr (TdPir) pir = g_new0 (TdPir, 1);
  g_autoptr (JsonArray) participants = NULL;
  g_autoptr (JsonArray) actions = NULL;
  g_autoptr (JsonArray) timeline = NULL;
  const char *status;

  g_return_val_if_fail (row != NULL, NULL);

  pir->participants = g_ptr_array_new_with_free_func (participant_free);
  pir->actions = g_ptr_array_new_with_free_func (action_free);
  pir->timeline = g_ptr_array_new_with_free_func (event_free);
  pir->uuid = g_strdup (member_text (row, "uuid"));
  pir->ticket = g_strdup (member_text (row, "ticket"));
  status = member_text (row, "status");
  if (status != NULL && !td_pir_status_from_string (status, &pir->status))
    {
      g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_INVALID,
                   "status: \"%s\" is not a review status (expected scheduled, held, "
                   "actions_open or closed)",
                   status);
      return NULL;
    }
  pir->due_at = member_int (row, "due_at");
  pir->scheduled_at = member_int (row, "scheduled_at");
  pir->held_at = member_int (row, "held_at");
  pir->root_cause = g_strdup (member_text (row, "root_cause"));
  pir->contributing_factors = g_strdup (member_text (row, "contributing_factors"));

  if ((participants = member_array (row, "participants", error)) == NULL
      || (actions = member_array (row, "actions", error)) == NULL
      || (timeline = member_array (row, "timeline", error)) == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonObject       *object = element_object (participants, i, "participants", error);
      TdPirParticipant *participant;

      if (object == NULL)
        return NULL;
      participant = g_new0 (TdPirParticipant, 1);
      participant->person = g_strdup (member_text (object, "person"));
      participant->name = g_strdup (member_text (object, "name"));
      participant->required = member_int (object, "required") != 0;
      participant->attended = member_int (object, "attended") != 0;
      g_ptr_array_add (pir->participants, participant);
    }
  for (guint i = 0; i < json_array_get_length (actions); i++)
    {
      JsonObject  *object = element_object (actions, i, "actions", error);
      TdPirAction *action;

      if (object == NULL)
        return NULL;
      action = g_new0 (TdPirAction, 1);
      action->text = g_strdup (member_text (object, "text"));
      action->owner = g_strdup (member_text (object, "owner"));
      action->due = g_strdup (member_text (object, "due"));
      action->done = member_int (object, "done") != 0;
      g_ptr_array_add (pir->actions, action);
    }
  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonObject *object = element_object (timeline, i, "timeline", error);
      TdPirEvent *event;

      if (object == NULL)
        return NULL;
      event = g_new0 (TdPirEvent, 1);
      event->at = member_int (object, "at");
      event->kind = g_strdup (member_text (object, "kind"));
      event->author = g_strdup (member_text (object, "author"));
      event->text = g_strdup (member_text (object, "text"));
      g_ptr_array_add (pir->timeline, event);
    }
  return g_steal_pointer (&pir);
}

static const TdQualityStandard *
find_standard (TdPolicy *policy, const char *id)
{
  GPtrArray *standards = policy != NULL ? td_policy_get_quality_standards (policy) : NULL;

  for (guint i = 0; standards != NULL && i < standards->len; i++)
    {
      const TdQualityStandard *standard = g_ptr_array_index (standards, i);

      if (g_strcmp0 (standard->id, id) == 0)
        return standard;
    }
  return NULL;
}

TdInstant
td_pir_due (TdPolicy *policy, TdInstant resolved_at)
{
  const TdQualityStandard *standard = find_standard (policy, TD_STANDARD_PIR_PARTICIPATION);

  if (standard == NULL || !standard->has_within || td_duration_is_zero (&standard->within))
    return resolved_at + DEFAULT_DUE;
  return resolved_at + standard->within.seconds + standard->within.business_days * DAY;
}

static gboolean
blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

gboolean
td_pir_check (const TdPir *pir, GError **error)
{
  const char *status;

  g_return_val_if_fail (pir != NULL, FALSE);

  for (guint i = 0; i < pir->participants->len; i++)
    {
      const TdPirParticipant *participant = g_ptr_array_index (pir->participants, i);

      if (blank (participant->name) && blank (participant->person))
        {
          g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_INVALID,
                       "participants[%u]: a participant needs a person or a name", i);
          return FALSE;
        }
    }
  for (guint i = 0; i < pir->actions->len; i++)
    {
      const TdPirAction *action = g_ptr_array_index (pir->actions, i);

      if (blank (action->text))
        {
          g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_INVALID,
                       "actions[%u].text: an action says what is to be done", i);
          return FALSE;
        }
      if (blank (action->owner))
        {
          g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_INVALID,
                       "actions[%u].owner: every action needs an owner", i);
          return FALSE;
        }
      if (action->due == NULL || !td_time_parse_date (action->due, NULL))
        {
          g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_INVALID,
                       "actions[%u].due: \"%s\" is not a date (expected YYYY-MM-DD)", i,
                       action->due != NULL ? action->due : "");
          return FALSE;
        }
    }

  status = td_pir_status_to_string (pir->status);
  if (pir->status != TD_PIR_SCHEDULED)
    {
      if (pir->held_at <= 0)
        {
          g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                       "held_at: a review that is %s says when it was held", status);
          return FALSE;
        }
      if (blank (pir->root_cause))
        {
          g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                       "root_cause: a review that is %s states the root cause", status);
          return FALSE;
        }
    }
  if (pir->status == TD_PIR_ACTIONS_OPEN && td_pir_count_open_actions (pir) == 0)
    {
      g_set_error_literal (error, TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                           "status: actions_open needs at least one action not yet done");
      return FALSE;
    }
  if (pir->status == TD_PIR_CLOSED && td_pir_count_open_actions (pir) > 0)
    {
      g_set_error (error, TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                   "status: a review closes once every action is done (%u still open)",
                   td_pir_count_open_actions (pir));
      return FALSE;
    }
  return TRUE;
}

guint
td_pir_count_open_actions (const TdPir *pir)
{
  guint open = 0;

  g_return_val_if_fail (pir != NULL, 0);
  for (guint i = 0; i < pir->actions->len; i++)
    if (!((TdPirAction *) g_ptr_array_index (pir->actions, i))->done)
      open++;
  return open;
}

guint
td_pir_count_overdue_actions (const TdPir *pir, const GDate *today)
{
  guint overdue = 0;

  g_return_val_if_fail (pir != NULL, 0);
  g_return_val_if_fail (today != NULL && g_date_valid (today), 0);
  for (guint i = 0; i < pir->actions->len; i++)
    {
      const TdPirAction *action = g_ptr_array_index (pir->actions, i);
      GDate              due;

      g_date_clear (&due, 1);
      if (!action->done && action->due != NULL && td_time_parse_date (action->due, &due)
          && g_date_compare (&due, today) < 0)
        overdue++;
    }
  return overdue;
}

gboolean
td_pir_is_overdue (const TdPir *pir, TdInstant now)
{
  g_return_val_if_fail (pir != NULL, FALSE);
  return pir->status == TD_PIR_SCHEDULED && pir->due_at > 0 && now > pir->due_at;
}

gboolean
td_pir_needs_attention (const TdPir *pir, TdInstant now)
{
  g_return_val_if_fail (pir != NULL, FALSE);
  return td_pir_is_overdue (pir, now)
         || (pir->status != TD_PIR_SCHEDULED && pir->status != TD_PIR_CLOSED
             && td_pir_count_open_actions (pir) > 0);
}

void
td_pir_participation (GPtrArray *pirs, const char *person, guint *required, guint *attended)
{
  guint n_required = 0;
  guint n_attended = 0;

  g_return_if_fail (pirs != NULL);
  for (guint i = 0; i < pirs->len; i++)
    {
      const TdPir *pir = g_ptr_array_index (pirs, i);

      /* A review not held yet has no attendance to count. */
      if (pir->status == TD_PIR_SCHEDULED)
        continue;
      for (guint j = 0; j < pir->participants->len; j++)
        {
          const TdPirParticipant *participant = g_ptr_array_index (pir->participants, j);

          if (g_strcmp0 (participant->person, person) != 0)
            continue;
          if (participant->required)
            n_required++;
          if (participant->attended)
            n_attended++;
        }
    }
  if (required != NULL)
    *required = n_required;
  if (attended != NULL)
    *attended = n_attended;
}

GPtrArray *
td_pir_missed (GPtrArray *pirs, const char *person)
{
  GPtrArray *missed = g_ptr_array_new ();

  g_return_val_if_fail (pirs != NULL, missed);
  for (guint i = 0; i < pirs->len; i++)
    {
      TdPir *pir = g_ptr_array_index (pirs, i);

      /* As td_pir_participation (): nobody has missed a review not held yet. */
      if (pir->status == TD_PIR_SCHEDULED)
        continue;
      for (guint j = 0; j < pir->participants->len; j++)
        {
          const TdPirParticipant *participant = g_ptr_array_index (pir->participants, j);

          if (g_strcmp0 (participant->person, person) == 0 && participant->required
              && !participant->attended)
            {
              g_ptr_array_add (missed, pir);
              break;
            }
        }
    }
  return missed;
}

GPtrArray *
td_pir_list_follow_ups (GPtrArray *rows, TdInstant now)
{
  GPtrArray *follow_ups = g_ptr_array_new_with_free_func ((GDestroyNotify) td_pir_free);

  g_return_val_if_fail (rows != NULL, follow_ups);
  for (guint i = 0; i < rows->len; i++)
    {
      TdPir *pir = td_pir_new_from_row (g_ptr_array_index (rows, i), NULL);

      if (pir != NULL && td_pir_needs_attention (pir, now))
        g_ptr_array_add (follow_ups, pir);
      else if (pir != NULL)
        td_pir_free (pir);
    }
  return follow_ups;
}

char *
td_pir_describe_follow_up (const TdPir *pir, const char *severity, TdInstant now)
{
  guint open;

  g_return_val_if_fail (pir != NULL, NULL);
  if (severity == NULL)
    severity = "—";
  if (td_pir_is_overdue (pir, now))
    {
      g_autofree char *late = td_format_age (pir->due_at, now);
      /* TRANSLATORS: "SEV-2 · review overdue by 3 d" */
      return g_strdup_printf (_ ("%s · review overdue by %s"), severity, late);
    }
  open = td_pir_count_open_actions (pir);
  return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%s · %u action open", "%s · %u actions open", open), severity,
      open);
}

/* The event's data object (a new reference), written as JSON or as text. */
static JsonObject *
event_data (JsonObject *event)
{
  JsonNode *node = json_object_get_member (event, "data");
  g_autoptr (JsonParser) parser = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_ref (json_node_get_object (node));
  if (member_text (event, "data") == NULL)
    return NULL;
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, member_text (event, "data"), -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return NULL;
}

char *
td_pir_describe_event (JsonObject *event)
{
  const char *kind = member_text (event, "kind");
  const char *body = member_text (event, "body");
  g_autoptr (JsonObject) data = NULL;
  g_autoptr (GString) text = g_string_new (NULL);

  g_return_val_if_fail (event != NULL, NULL);

  data = event_data (event);

  if (g_strcmp0 (kind, "status") == 0 && data != NULL)
    {
      const char *status = member_text (data, "status");
      const char *resolution = member_text (data, "resolution");

      g_autofree char *words = g_strdup (status != NULL ? status : "changed");

      /* "in_progress" is an id; the timeline is read by people. */
      g_strdelimit (words, "_", ' ');
      g_string_append_printf (text, "Status: %s", words);
      if (resolution != NULL && *resolution != '\0')
        g_string_append_printf (text, " (%s)", resolution);
    }
  else if (g_strcmp0 (kind, "escalate") == 0 && data != NULL)
    {
      if (member_int (data, "from_tier") > 0)
        g_string_append_printf (
            text, "Escalated from Tier %" G_GINT64_FORMAT " to Tier %" G_GINT64_FORMAT,
            member_int (data, "from_tier"), member_int (data, "to_tier"));
      else
        g_string_append_printf (text, "Escalated to Tier %" G_GINT64_FORMAT,
                                member_int (data, "to_tier"));
      if (member_text (data, "reason") != NULL)
        g_string_append_printf (text, ": %s", member_text (data, "reason"));
    }
  else if (g_strcmp0 (kind, "assign") == 0)
    g_string_append (text, data != NULL && member_text (data, "owner") != NULL ? "Assigned"
                                                                               : "Unassigned");
  else if (g_strcmp0 (kind, "update") == 0)
    g_string_append (text, "Update to the user");

  if (body != NULL && *body != '\0')
    g_string_append_printf (text, "%s%s", text->len > 0 ? ": " : "", body);
  if (text->len == 0)
    g_string_append (text, kind != NULL ? kind : "event");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
compare_events (gconstpointer a, gconstpointer b)
{
  JsonObject *left = *(JsonObject **) a;
  JsonObject *right = *(JsonObject **) b;
  gint64      at_left = member_int (left, "at");
  gint64      at_right = member_int (right, "at");

  if (at_left != at_right)
    return at_left < at_right ? -1 : 1;
  /* Events of one second keep the server's order. */
  return member_int (left, "rev") < member_int (right, "rev")   ? -1
         : member_int (left, "rev") > member_int (right, "rev") ? 1
                                                                : 0;
}

JsonNode *
td_pir_timeline_from_events (GPtrArray *events)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (events != NULL, NULL);

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (events, i));
  g_ptr_array_sort (sorted, compare_events);

  json_builder_begin_array (builder);
  for (guint i = 0; i < sorted->len; i++)
    {
      JsonObject      *event = g_ptr_array_index (sorted, i);
      g_autofree char *text = td_pir_describe_event (event);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "at");
      json_builder_add_int_value (builder, member_int (event, "at"));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, member_text (event, "kind"));
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, member_text (event, "author"));
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static const char *
person_name (GHashTable *names, const char *uuid)
{
  const char *name = names != NULL && uuid != NULL ? g_hash_table_lookup (names, uuid) : NULL;

  return name != NULL ? name : (uuid != NULL ? uuid : "");
}

/* Markdown would read a leading "#" or "-" in a pasted line as structure. */
static void
append_paragraph (GString *out, const char *text)
{
  if (blank (text))
    {
      g_string_append (out, "_Not recorded yet._\n\n");
      return;
    }
  g_string_append_printf (out, "%s\n\n", text);
}

char *
td_pir_to_markdown (const TdPir *pir,
                    const char  *ticket_title,
                    const char  *severity,
                    GHashTable  *names)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (pir != NULL, NULL);

  g_string_append_printf (out, "# Post-incident review: %s\n\n",
                          ticket_title != NULL ? ticket_title : "");
  if (severity != NULL)
    g_string_append_printf (out, "- **Severity:** %s\n", severity);
  g_string_append_printf (out, "- **Status:** %s\n", td_pir_status_to_string (pir->status));
  if (pir->due_at > 0)
    {
      g_autofree char *due = td_time_format_instant (pir->due_at);
      g_string_append_printf (out, "- **Due:** %s\n", due);
    }
  if (pir->scheduled_at > 0)
    {
      g_autofree char *scheduled = td_time_format_instant (pir->scheduled_at);
      g_string_append_printf (out, "- **Scheduled:** %s\n", scheduled);
    }
  if (pir->held_at > 0)
    {
      g_autofree char *held = td_time_format_instant (pir->held_at);
      g_string_append_printf (out, "- **Held:** %s\n", held);
    }
  g_string_append (out, "\n## Participants\n\n");
  if (pir->participants->len == 0)
    g_string_append (out, "_None recorded._\n");
  for (guint i = 0; i < pir->participants->len; i++)
    {
      const TdPirParticipant *participant = g_ptr_array_index (pir->participants, i);

      g_string_append_printf (out, "- %s (%s, %s)\n",
                              !blank (participant->name) ? participant->name
                                                         : person_name (names, participant->person),
                              participant->required ? "required" : "optional",
                              participant->attended ? "attended" : "did not attend");
    }

  g_string_append (out, "\n## Timeline\n\n");
  if (pir->timeline->len == 0)
    g_string_append (out, "_No history._\n");
  for (guint i = 0; i < pir->timeline->len; i++)
    {
      const TdPirEvent *event = g_ptr_array_index (pir->timeline, i);
      g_autofree char  *at = td_time_format_instant (event->at);

      g_string_append_printf (out, "- %s — %s%s%s\n", at, event->text != NULL ? event->text : "",
                              event->author != NULL ? " — " : "",
                              event->author != NULL ? event->author : "");
    }

  g_string_append (out, "\n## Root cause\n\n");
  append_paragraph (out, pir->root_cause);
  g_string_append (out, "## Contributing factors\n\n");
  append_paragraph (out, pir->contributing_factors);

  g_string_append (out, "## Actions\n\n");
  if (pir->actions->len == 0)
    g_string_append (out, "_None._\n");
  else
    g_string_append (out, "| Done | Action | Owner | Due |\n|---|---|---|---|\n");
  for (guint i = 0; i < pir->actions->len; i++)
    {
      const TdPirAction *action = g_ptr_array_index (pir->actions, i);
      g_autofree char   *text = g_strdup (action->text != NULL ? action->text : "");

      /* A bar would end the table cell. */
      g_strdelimit (text, "|\n", ' ');
      g_string_append_printf (out, "| %s | %s | %s | %s |\n", action->done ? "[x]" : "[ ]", text,
                              person_name (names, action->owner),
                              action->due != NULL ? action->due : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
