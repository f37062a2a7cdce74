/* test-flow-layout.c — the escalation flowchart [7.3] from the live policy, and the what-if clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "td-flow-layout.h"
#include "td-time.h"
#include "td-what-if.h"

#include "td-test-util.h"

/* A fixed-width font: 7 px a character, titles wider and taller. */
static void
measure (const char *text, TdFlowTextStyle style, double *width, double *height, gpointer data)
{
  glong chars = g_utf8_strlen (text, -1);

  *width = chars * (style == TD_FLOW_TEXT_TITLE ? 8.0 : style == TD_FLOW_TEXT_CAPTION ? 6.0 : 7.0);
  *height = style == TD_FLOW_TEXT_TITLE ? 18.0 : style == TD_FLOW_TEXT_CAPTION ? 14.0 : 16.0;
}

static const TdFlowEdge *
edge_by_id (TdFlowLayout *layout, const char *id)
{
  int index = td_flow_layout_find_edge (layout, id);

  g_assert_cmpint (index, >=, 0);
  return td_flow_layout_get_edge (layout, index);
}

static const TdFlowNode *
node_by_id (TdFlowLayout *layout, const char *id)
{
  int index = td_flow_layout_find_node (layout, id);

  g_assert_cmpint (index, >=, 0);
  return td_flow_layout_get_node (layout, index);
}

static char *
edge_text (const TdFlowEdge *edge)
{
  g_autoptr (GString) text = g_string_new (NULL);

  /* Wrapped lines join with a space: the text as it was written. */
  for (guint i = 0; i < edge->lines->len; i++)
    {
      const TdFlowLine *line = g_ptr_array_index (edge->lines, i);

      if (line->continued)
        g_string_truncate (text, text->len - 1);
      g_string_append_printf (text, "%s%s\n", line->continued ? " " : "", line->text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
point_on_box (const TdFlowPoint *point, const TdFlowRect *box)
{
  gboolean inside_x = point->x >= box->x - 0.01 && point->x <= box->x + box->width + 0.01;
  gboolean inside_y = point->y >= box->y - 0.01 && point->y <= box->y + box->height + 0.01;
  gboolean on_x = G_APPROX_VALUE (point->x, box->x, 0.01)
                  || G_APPROX_VALUE (point->x, box->x + box->width, 0.01);
  gboolean on_y = G_APPROX_VALUE (point->y, box->y, 0.01)
                  || G_APPROX_VALUE (point->y, box->y + box->height, 0.01);

  return inside_x && inside_y && (on_x || on_y);
}

/* What any readable chart must hold, whatever the policy. */
static void
assert_readable (TdFlowLayout *layout)
{
  TdPolicy  *policy = td_flow_layout_get_policy (layout);
  guint      n_nodes = td_flow_layout_get_n_nodes (layout);
  guint      n_edges = td_flow_layout_get_n_edges (layout);
  GPtrArray *paths = td_policy_get_escalation_paths (policy);
  GPtrArray *tiers = td_policy_get_tiers (policy);

  for (guint i = 0; i < n_nodes; i++)
    {
      const TdFlowNode *a = td_flow_layout_get_node (layout, i);

      g_assert_cmpfloat (a->box.width, >, 0);
      g_assert_cmpfloat (a->box.height, >, 0);
      g_assert_cmpfloat (a->box.x, >=, 0);
      g_assert_cmpfloat (a->box.y, >=, 0);
      g_assert_cmpfloat (a->box.x + a->box.width, <=, td_flow_layout_get_width (layout));
      g_assert_cmpfloat (a->box.y + a->box.height, <=, td_flow_layout_get_height (layout));
      g_assert_nonnull (a->description);
      for (guint j = i + 1; j < n_nodes; j++)
        {
          const TdFlowNode *b = td_flow_layout_get_node (layout, j);

          if (td_flow_rect_intersects (&a->box, &b->box))
            g_error ("nodes %s and %s overlap", a->id, b->id);
        }
    }

  for (guint e = 0; e < n_edges; e++)
    {
      const TdFlowEdge *edge = td_flow_layout_get_edge (layout, e);
      const TdFlowNode *from = td_flow_layout_get_node (layout, edge->from);
      const TdFlowNode *to = td_flow_layout_get_node (layout, edge->to);

      g_assert_cmpuint (edge->points->len, >=, 2);
      /* Arrows start and end on the boxes they join. */
      if (!point_on_box (&g_array_index (edge->points, TdFlowPoint, 0), &from->box))
        g_error ("edge %s does not start on %s", edge->id, from->id);
      if (!point_on_box (&g_array_index (edge->points, TdFlowPoint, edge->points->len - 1),
                         &to->box))
        g_error ("edge %s does not end on %s", edge->id, to->id);
      g_assert_nonnull (edge->description);
      if (edge->lines->len == 0)
        continue;
      g_assert_cmpfloat (edge->label_box.x + edge->label_box.width, <=,
                         td_flow_layout_get_width (layout));
      for (guint i = 0; i < n_nodes; i++)
        {
          const TdFlowNode *node = td_flow_layout_get_node (layout, i);

          if (td_flow_rect_intersects (&edge->label_box, &node->box))
            g_error ("the label of %s overlaps node %s", edge->id, node->id);
        }
      for (guint f = e + 1; f < n_edges; f++)
        {
          const TdFlowEdge *other = td_flow_layout_get_edge (layout, f);

          if (other->lines->len > 0
              && td_flow_rect_intersects (&edge->label_box, &other->label_box))
            g_error ("the labels of %s and %s overlap", edge->id, other->id);
        }
    }

  /* Every tier is a node, every path an edge between the right boxes. */
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier     *tier = g_ptr_array_index (tiers, i);
      g_autofree char  *id = g_strdup_printf ("tier-%d", tier->level);
      const TdFlowNode *node = node_by_id (layout, id);
      const TdFlowLine *title = g_ptr_array_index (node->lines, 0);

      g_assert_cmpint (node->kind, ==, TD_FLOW_NODE_TIER);
      g_assert_cmpstr (title->text, ==, tier->name);
    }
  for (guint i = 0; i < paths->len; i++)
    {
      const TdEscalationPath *path = g_ptr_array_index (paths, i);
      const TdFlowEdge       *edge = edge_by_id (layout, path->id);
      const TdFlowNode       *to = td_flow_layout_get_node (layout, edge->to);
      const TdFlowNode       *from = td_flow_layout_get_node (layout, edge->from);

      g_assert_cmpint (edge->to_tier, ==, path->to);
      g_assert_cmpint (to->tier, ==, path->to);
      if (path->from == 0)
        g_assert_cmpint (from->kind, ==, TD_FLOW_NODE_ANY);
      else
        g_assert_cmpint (from->tier, ==, path->from);
      for (guint c = 0; path->criteria[c] != NULL; c++)
        {
          g_autofree char *text = edge_text (edge);
          g_assert_nonnull (strstr (text, path->criteria[c]));
        }
    }
}

static void
test_shipped (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdFlowLayout) layout = td_flow_layout_new (policy, measure, NULL);
  g_autofree char *t1_t2 = NULL;
  g_autofree char *t3_t4 = NULL;
  g_autofree char *direct = NULL;
  g_autofree char *any = NULL;
  guint            scenarios = 0;

  assert_readable (layout);

  /* The seed's flowchart [7.3]: Tier 1 resolves from the FAQ. */
  g_assert_cmpstr (
      ((TdFlowLine *) g_ptr_array_index (node_by_id (layout, "resolved-1")->lines, 0))->text, ==,
      "Resolved (FAQ)");
  g_assert_cmpstr (
      ((TdFlowLine *) g_ptr_array_index (node_by_id (layout, "tier-1")->lines, 1))->text, ==,
      "Owner: Service Desk Team");
  g_assert_cmpstr (
      ((TdFlowLine *) g_ptr_array_index (node_by_id (layout, "tier-1")->lines, 2))->text, ==,
      "Response: < 15 minutes");

  /* Criteria [7.1] and the source tier's time limit [7.2] on each arrow. */
  t1_t2 = edge_text (edge_by_id (layout, "t1-t2"));
  g_assert_cmpstr (t1_t2, ==,
                   "Functional issue\nData problem\nConfiguration needed\n"
                   "Escalate within 30 min · Around the clock (24/7)\n");
  t3_t4 = edge_text (edge_by_id (layout, "t3-t4"));
  g_assert_nonnull (strstr (t3_t4, "SEV-1: escalate within 1 h · Around the clock (24/7)\n"));
  g_assert_nonnull (strstr (t3_t4, "SEV-2: escalate within 4 h · Around the clock (24/7)\n"));
  g_assert_cmpint (edge_by_id (layout, "t1-t2")->kind, ==, TD_FLOW_EDGE_NORMAL);

  /* SEV-1 goes direct [7.1]: its own arrow, from Tier 1 to Tier 3. */
  direct = edge_text (edge_by_id (layout, "sev1-direct"));
  g_assert_cmpint (edge_by_id (layout, "sev1-direct")->kind, ==, TD_FLOW_EDGE_RESTRICTED);
  g_assert_true (g_str_has_prefix (direct, "Tier 3 URGENT\nSEV-1 direct\nOnly for SEV-1\n"));
  any = edge_text (edge_by_id (layout, "any-t4"));
  g_assert_cmpint (edge_by_id (layout, "any-t4")->kind, ==, TD_FLOW_EDGE_ANY_TIER);
  g_assert_nonnull (strstr (any, "or when stated: Security breach, Compliance risk"));
  /* Read aloud as one "from", not "From From Any Tier to …". */
  g_assert_true (g_str_has_prefix (edge_by_id (layout, "any-t4")->description,
                                   "From any tier to Tier 4 – Executive / Vendor: "));
  g_assert_cmpstr (
      edge_by_id (layout, "sev1-direct")->description, ==,
      "From Tier 1 – Service Desk to Tier 3 – Engineering: Tier 3 URGENT; "
      "SEV-1 direct; Only for SEV-1; Escalate within 30 min · Around the clock (24/7)");

  /* Tier 4's engagement scenarios [6.2], each with who to call. */
  for (guint i = 0; i < td_flow_layout_get_n_nodes (layout); i++)
    if (td_flow_layout_get_node (layout, i)->kind == TD_FLOW_NODE_SCENARIO)
      scenarios++;
  g_assert_cmpuint (scenarios, ==, 6);
  g_assert_cmpstr (node_by_id (layout, "scenario-4-0")->description, ==,
                   "SEV-1 incident > 1 hour unresolved. Contact: IT Director. "
                   "SEV-1 unresolved after 1 h");

  /* A ticket's history finds its arrow, named or not. */
  g_assert_cmpint (td_flow_layout_find_move (layout, "t2-t3", 2, 3), ==,
                   td_flow_layout_find_edge (layout, "t2-t3"));
  g_assert_cmpint (td_flow_layout_find_move (layout, NULL, 1, 2), ==,
                   td_flow_layout_find_edge (layout, "t1-t2"));
  g_assert_cmpint (td_flow_layout_find_move (layout, NULL, 2, 4), ==,
                   td_flow_layout_find_edge (layout, "any-t4"));
  g_assert_cmpint (td_flow_layout_find_move (layout, NULL, 2, 1), ==, -1);
  {
    const TdFlowNode *tier = node_by_id (layout, "tier-2");

    g_assert_cmpint (td_flow_layout_node_at (layout, tier->box.x + 1, tier->box.y + 1), ==,
                     td_flow_layout_find_node (layout, "tier-2"));
    g_assert_cmpint (td_flow_layout_node_at (layout, 0, 0), ==, -1);
  }
}

/* A policy with a fifth tier: the drawing follows the policy, not the seed. */
static void
test_extra_tier (void)
{
  g_autofree char *text = td_test_shipped_text ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) tier5 = NULL;
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (TdPolicy) policy = NULL;
  g_autoptr (TdFlowLayout) layout = NULL;
  g_autofree char *path = NULL;
  g_autofree char *label = NULL;
  JsonObject      *root, *escalation, *t5;
  JsonArray       *tiers, *paths, *limits;
  int              fd;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  tiers = json_object_get_array_member (root, "tiers");
  /* json_node_copy () shares the object: go through text for a real copy. */
  {
    g_autofree char *tier4 = json_to_string (json_array_get_element (tiers, 3), FALSE);

    tier5 = json_from_string (tier4, &error);
    g_assert_no_error (error);
  }
  t5 = json_node_get_object (tier5);
  json_object_set_int_member (t5, "level", 5);
  json_object_set_string_member (t5, "name", "Tier 5 – Board");
  json_object_set_string_member (t5, "short_name", "Board");
  json_object_set_string_member (t5, "owner", "Board of Directors");
  json_array_add_element (tiers, g_steal_pointer (&tier5));

  escalation = json_object_get_object_member (root, "escalation");
  paths = json_object_get_array_member (escalation, "paths");
  {
    JsonObject *t4_t5 = json_object_new ();
    JsonArray  *criteria = json_array_new ();

    json_object_set_string_member (t4_t5, "id", "t4-t5");
    json_object_set_int_member (t4_t5, "from", 4);
    json_object_set_int_member (t4_t5, "to", 5);
    json_array_add_string_element (criteria, "Company at risk");
    json_object_set_array_member (t4_t5, "criteria", criteria);
    json_array_add_object_element (paths, t4_t5);
  }
  limits = json_object_get_array_member (escalation, "time_limits");
  {
    JsonObject *limit = json_object_new ();

    json_object_set_int_member (limit, "tier", 4);
    json_object_set_string_member (limit, "max", "2h");
    json_object_set_string_member (limit, "calendar", "24x7");
    json_object_set_string_member (limit, "condition", "No decision");
    json_array_add_object_element (limits, limit);
  }

  fd = g_file_open_tmp ("td-flow-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);
  policy = td_policy_new_from_file (path, &error);
  g_assert_no_error (error);
  g_unlink (path);

  layout = td_flow_layout_new (policy, measure, NULL);
  assert_readable (layout);
  g_assert_cmpstr (
      ((TdFlowLine *) g_ptr_array_index (node_by_id (layout, "tier-5")->lines, 0))->text, ==,
      "Tier 5 – Board");
  label = edge_text (edge_by_id (layout, "t4-t5"));
  g_assert_cmpstr (label, ==, "Company at risk\nEscalate within 2 h · Around the clock (24/7)\n");
  /* Tier 5 sits below Tier 4, and Tier 4's scenarios no longer close the chart. */
  g_assert_cmpfloat (node_by_id (layout, "tier-5")->box.y, >, node_by_id (layout, "tier-4")->box.y);
  g_assert_nonnull (node_by_id (layout, "scenario-5-0"));
  g_assert_nonnull (node_by_id (layout, "scenario-4-0"));
}

/* What-if [7.2, 5.5]: a SEV-2 at 17:50 on Friday 1 May 2026, before the
 * Early May bank holiday, at Tier 2 (London, BST = UTC+1). */
static void
test_what_if (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdInstant start = td_test_iso ("2026-05-01T16:50:00Z");
  g_autoptr (GPtrArray) steps = NULL;
  g_autoptr (GError) error = NULL;
  TdEscalationDeadline deadline;
  TdSlaTicket          ticket = { 0 };
  TdSlaResult          sla;
  const TdWhatIfStep  *step;

  steps = td_what_if_compute (policy, "SEV-2", 2, start, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 5);

  /* Tier 2 hands over after 2 business hours: Tuesday 11:00 BST. */
  step = g_ptr_array_index (steps, 0);
  g_assert_cmpint (step->kind, ==, TD_WHAT_IF_ESCALATION);
  g_assert_cmpint (step->tier, ==, 2);
  g_assert_cmpint (step->next_tier, ==, 3);
  td_test_assert_instant (step->due, "2026-05-05T10:00:00Z");
  g_assert_true (td_escalation_time_limit (policy, 2, "SEV-2", start, NULL, 0, start, &deadline));
  g_assert_cmpint (step->due, ==, deadline.deadline);

  /* Then Tier 3 has 4 hours around the clock for SEV-2. */
  step = g_ptr_array_index (steps, 1);
  g_assert_cmpint (step->tier, ==, 3);
  g_assert_cmpint (step->next_tier, ==, 4);
  td_test_assert_instant (step->due, "2026-05-05T14:00:00Z");
  g_assert_true (
      td_escalation_time_limit (policy, 3, "SEV-2", deadline.deadline, NULL, 0, start, &deadline));
  g_assert_cmpint (step->due, ==, deadline.deadline);

  /* The SLA clocks are td_sla_compute's, exactly. */
  ticket.tier = 2;
  ticket.severity = "SEV-2";
  ticket.created = start;
  g_assert_true (td_sla_compute (policy, &ticket, start, &sla, NULL));
  step = g_ptr_array_index (steps, 2);
  g_assert_cmpint (step->kind, ==, TD_WHAT_IF_RESPONSE);
  g_assert_cmpint (step->due, ==, sla.response.due);
  td_test_assert_instant (step->due, "2026-05-01T17:20:00Z");
  step = g_ptr_array_index (steps, 3);
  g_assert_cmpint (step->kind, ==, TD_WHAT_IF_RESOLUTION);
  g_assert_cmpint (step->due, ==, sla.resolution.due);
  step = g_ptr_array_index (steps, 4);
  g_assert_cmpint (step->kind, ==, TD_WHAT_IF_UPDATE);
  g_assert_cmpint (step->due, ==, sla.update.due);

  /* SEV-4 resolves "Next release": shown, with no due instant. */
  g_clear_pointer (&steps, g_ptr_array_unref);
  steps = td_what_if_compute (policy, "SEV-4", 1, start, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < steps->len; i++)
    {
      step = g_ptr_array_index (steps, i);
      if (step->kind == TD_WHAT_IF_RESOLUTION)
        {
          g_assert_cmpint (step->due, ==, TD_INSTANT_NEVER);
          g_assert_cmpstr (step->clock.label, ==, "Next release");
        }
    }

  g_assert_null (td_what_if_compute (policy, "SEV-9", 1, start, &error));
  g_assert_error (error, TD_SLA_ERROR, TD_SLA_ERROR_UNKNOWN_SEVERITY);
  g_clear_error (&error);
  g_assert_null (td_what_if_compute (policy, "SEV-1", 7, start, &error));
  g_assert_error (error, TD_SLA_ERROR, TD_SLA_ERROR_UNKNOWN_TIER);
}

static void
test_format_duration (void)
{
  TdDuration       duration = { 0 };
  g_autofree char *zero = td_flow_layout_format_duration (&duration);
  g_autofree char *three = NULL;
  g_autofree char *half = NULL;

  g_assert_cmpstr (zero, ==, "at once");
  duration.business_days = 3;
  three = td_flow_layout_format_duration (&duration);
  g_assert_cmpstr (three, ==, "3 business days");
  duration.business_days = 0;
  duration.seconds = 90 * 60;
  half = td_flow_layout_format_duration (&duration);
  g_assert_cmpstr (half, ==, "1 h 30 min");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/flow-layout/shipped", test_shipped);
  g_test_add_func ("/core/flow-layout/extra-tier", test_extra_tier);
  g_test_add_func ("/core/flow-layout/what-if", test_what_if);
  g_test_add_func ("/core/flow-layout/format-duration", test_format_duration);

  return g_test_run ();
}
