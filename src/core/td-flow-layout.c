/* td-flow-layout.c — the escalation flowchart of [7.3] laid out from the live policy
 *
 * The drawing is never a picture of the seed: every box and arrow comes
 * from the policy that is loaded, so a new tier or a new limit shows at
 * once. The layout is plain geometry with no GTK, so it is tested with a
 * fixed-width measurer and drawn with Pango by the app.
 *
 * The arrangement follows the seed's flowchart, top to bottom:
 *
 *                 [Issue Reported]
 *                        |
 *   [Resolved] <-- [Tier 1 box] -------------+          lanes on the right
 *                        |  criteria, limit  |  SEV-1   carry the paths that
 *   [Resolved] <-- [Tier 2 box]              |  direct  skip a tier
 *                        |                   |
 *   [Resolved] <-- [Tier 3 box] <------------+
 *                        |
 *   [Resolved] <-- [Tier 4 box] <--label-- [From Any Tier]
 *                    |
 *                    +-- [engagement scenario] ...      a comb below [6.2]
 *
 * A path "from any tier" gets a source box of its own beside its target:
 * drawn from every tier, it would cross every other arrow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-flow-layout.h"
#include "td-format.h"

/* Pixels at zoom 1, on the GNOME 8-pixel grid where it matters. */
#define MARGIN         32.0
#define PAD_X          TD_FLOW_PAD_X
#define PAD_Y          TD_FLOW_PAD_Y
#define LINE_SPACING   TD_FLOW_LINE_SPACING
#define TITLE_SPACING  TD_FLOW_TITLE_SPACING
#define BADGE_GAP      12.0
#define ENTRY_GAP      48.0
#define GAP_Y_MIN      64.0
#define GAP_Y_PAD      20.0
#define OUTCOME_GAP    56.0
#define LABEL_OFFSET   14.0
#define LANE_GAP       32.0
#define ARROW_SPREAD   28.0
#define COMB_INDENT    24.0
#define COMB_NODE_X    48.0
#define COMB_GAP       12.0
#define MIN_TIER_WIDTH 260.0
/* Longer text wraps, so one long criterion does not widen the whole chart. */
#define WRAP_LABEL 210.0
#define WRAP_NODE  340.0

struct _TdFlowLayout
{
  GObject parent_instance;

  TdPolicy  *policy;
  GPtrArray *nodes; /* TdFlowNode */
  GPtrArray *edges; /* TdFlowEdge */
  double     width;
  double     height;

  TdFlowMeasureFunc measure;
  gpointer          measure_data;
};

G_DEFINE_FINAL_TYPE (TdFlowLayout, td_flow_layout, G_TYPE_OBJECT)

/* A right-side attachment of an edge to a tier box, ordered so that arrows
 * to boxes above take the upper ports and do not cross. */
typedef struct
{
  TdFlowEdge *edge;
  gboolean    is_source;
  double      other_y;
} Port;

/* Helpers */

static void
flow_line_free (TdFlowLine *line)
{
  g_free (line->text);
  g_free (line);
}

static void
flow_node_free (TdFlowNode *node)
{
  g_free (node->id);
  g_ptr_array_unref (node->lines);
  g_free (node->description);
  g_free (node);
}

static void
flow_edge_free (TdFlowEdge *edge)
{
  g_free (edge->id);
  g_ptr_array_unref (edge->lines);
  g_array_unref (edge->points);
  g_free (edge->description);
  g_free (edge);
}

static void
add_one_line (TdFlowLayout   *self,
              GPtrArray      *lines,
              TdFlowTextStyle style,
              char           *text,
              gboolean        continued)
{
  TdFlowLine *line = g_new0 (TdFlowLine, 1);

  line->text = text;
  line->style = style;
  line->continued = continued;
  self->measure (line->text, style, &line->width, &line->height, self->measure_data);
  g_ptr_array_add (lines, line);
}

/* Greedy word wrap at @max_width, measured with the layout's measurer. */
static void
add_wrapped (TdFlowLayout   *self,
             GPtrArray      *lines,
             TdFlowTextStyle style,
             const char     *text,
             double          max_width)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr (GString) current = g_string_new (NULL);
  gboolean continued = FALSE;

  g_assert (TD_IS_FLOW_LAYOUT (self));

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *candidate = current->len > 0
                                       ? g_strdup_printf ("%s %s", current->str, words[i])
                                       : g_strdup (words[i]);
      double           width, height;

      self->measure (candidate, style, &width, &height, self->measure_data);
      if (width > max_width && current->len > 0)
        {
          add_one_line (self, lines, style, g_strdup (current->str), continued);
          continued = TRUE;
          g_string_assign (current, words[i]);
        }
      else
        g_string_assign (current, candidate);
    }
  add_one_line (self, lines, style, g_string_free (g_steal_pointer (&current), FALSE), continued);
}

static void
add_line (TdFlowLayout *self, GPtrArray *lines, TdFlowTextStyle style, const char *text)
{
  add_wrapped (self, lines, style, text, WRAP_NODE);
}

static void
add_label_line (TdFlowLayout *self, GPtrArray *lines, TdFlowTextStyle style, const char *text)
{
  add_wrapped (self, lines, style, text, WRAP_LABEL);
}

static TdFlowNode *
add_node (TdFlowLayout *self, TdFlowNodeKind kind, int tier, char *id)
{
  TdFlowNode *node = g_new0 (TdFlowNode, 1);

  node->id = id;
  node->kind = kind;
  node->tier = tier;
  node->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_line_free);
  g_ptr_array_add (self->nodes, node);
  return node;
}

static TdFlowEdge *
add_edge (TdFlowLayout *self, TdFlowEdgeKind kind, char *id, guint from, guint to)
{
  TdFlowEdge *edge = g_new0 (TdFlowEdge, 1);

  edge->id = id;
  edge->kind = kind;
  edge->from = from;
  edge->to = to;
  edge->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_line_free);
  edge->points = g_array_new (FALSE, FALSE, sizeof (TdFlowPoint));
  g_ptr_array_add (self->edges, edge);
  return edge;
}

static void
add_point (TdFlowEdge *edge, double x, double y)
{
  TdFlowPoint point = { x, y };

  g_array_append_val (edge->points, point);
}

static TdFlowNode *
node_at_index (TdFlowLayout *self, guint index)
{
  return g_ptr_array_index (self->nodes, index);
}

/* The natural size of a block of lines, padding included. */
static void
lines_size (GPtrArray *lines, double extra_first, double *width, double *height)
{
  double w = 0, h = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const TdFlowLine *line = g_ptr_array_index (lines, i);

      w = MAX (w, line->width + (i == 0 ? extra_first : 0));
      h += line->height;
      if (i > 0)
        h += td_flow_line_spacing (g_ptr_array_index (lines, i - 1), line);
    }
  *width = w;
  *height = h;
}

static void
node_natural_size (const TdFlowNode *node, double *width, double *height)
{
  double extra = node->badge_width > 0 ? node->badge_width + BADGE_GAP : 0;

  lines_size (node->lines, extra, width, height);
  *width += 2 * PAD_X;
  *height += 2 * PAD_Y;
}

static void
label_size (const TdFlowEdge *edge, double *width, double *height)
{
  if (edge->lines->len == 0)
    {
      *width = *height = 0;
      return;
    }
  lines_size (edge->lines, 0, width, height);
}

/* "Tier 1 – Service Desk. Owner: …": a node's lines as one sentence list. */
static char *
join_lines (GPtrArray *lines, const char *separator)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      const TdFlowLine *line = g_ptr_array_index (lines, i);

      if (i > 0)
        g_string_append (text, line->continued ? " " : separator);
      g_string_append (text, line->text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
compare_tiers (gconstpointer a, gconstpointer b)
{
  const TdTier *ta = *(const TdTier *const *) a;
  const TdTier *tb = *(const TdTier *const *) b;

  return ta->level - tb->level;
}

static gboolean
strv_is_empty (char **strv)
{
  return strv == NULL || strv[0] == NULL;
}

/* The policy's own word for a tier that resolves: Tier 1's "Resolved (FAQ)"
 * [7.3]; NULL when the tier lists outcomes and none resolves. */
static char *
resolved_text (TdPolicy *policy, int tier)
{
  GPtrArray *outcomes = td_policy_get_flow_outcomes (policy);

  for (guint i = 0; i < outcomes->len; i++)
    {
      const TdFlowOutcomes *entry = g_ptr_array_index (outcomes, i);

      if (entry->tier != tier)
        continue;
      for (guint j = 0; entry->outcomes != NULL && entry->outcomes[j] != NULL; j++)
        if (g_str_has_prefix (entry->outcomes[j], "Resolved"))
          return g_strdup (entry->outcomes[j]);
      return NULL;
    }
  return g_strdup (_ ("Resolved"));
}

static char *
role_names (TdPolicy *policy, char **roles)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      const TdRole *role = td_policy_get_role (policy, roles[i]);

      if (i > 0)
        g_string_append (text, " / ");
      g_string_append (text, role != NULL && role->name != NULL ? role->name : roles[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The time limits [7.2] of the path's source tier that can apply to it:
 * a path open only to SEV-1 shows the SEV-1 limit, not the SEV-2 one. */
static void
add_limit_lines (TdFlowLayout *self, TdFlowEdge *edge, const TdEscalationPath *path)
{
  GPtrArray *limits = td_policy_get_time_limits (self->policy);

  for (guint i = 0; i < limits->len; i++)
    {
      const TdTimeLimit *limit = g_ptr_array_index (limits, i);
      g_autofree char   *span = NULL;
      g_autofree char   *text = NULL;

      if (limit->tier != path->from)
        continue;
      if (limit->severity != NULL && !strv_is_empty (path->severities)
          && !g_strv_contains ((const char *const *) path->severities, limit->severity))
        continue;
      span = td_flow_layout_format_duration (&limit->max);
      if (limit->severity != NULL)
        /* TRANSLATORS: "SEV-1: escalate within 1 h · Around the clock (24/7)" */
        text = g_strdup_printf (_ ("%s: escalate within %s · %s"), limit->severity, span,
                                td_calendar_get_name (limit->calendar));
      else
        /* TRANSLATORS: "Escalate within 2 h · Business hours (London)" */
        text = g_strdup_printf (_ ("Escalate within %s · %s"), span,
                                td_calendar_get_name (limit->calendar));
      add_label_line (self, edge->lines, TD_FLOW_TEXT_CAPTION, text);
    }
}

static void
describe_edge (TdFlowLayout *self, TdFlowEdge *edge)
{
  const TdFlowNode *from = node_at_index (self, edge->from);
  const TdFlowNode *to = node_at_index (self, edge->to);
  const TdFlowLine *from_title = g_ptr_array_index (from->lines, 0);
  const TdFlowLine *to_title = g_ptr_array_index (to->lines, 0);
  g_autofree char  *label = join_lines (edge->lines, "; ");

  if (edge->kind == TD_FLOW_EDGE_ENGAGE)
    edge->description = g_strdup_printf (_ ("%s engages: %s"), from_title->text, to_title->text);
  /* "From Any Tier" is already a "from": not "From From Any Tier to …". */
  else if (from->kind == TD_FLOW_NODE_ANY && *label != '\0')
    edge->description = g_strdup_printf (_ ("From any tier to %s: %s"), to_title->text, label);
  else if (from->kind == TD_FLOW_NODE_ANY)
    edge->description = g_strdup_printf (_ ("From any tier to %s"), to_title->text);
  else if (*label != '\0')
    edge->description
        = g_strdup_printf (_ ("From %s to %s: %s"), from_title->text, to_title->text, label);
  else
    edge->description = g_strdup_printf (_ ("From %s to %s"), from_title->text, to_title->text);
}

/* Building: the boxes and arrows with their text, not yet placed */

static void
build (TdFlowLayout *self, GPtrArray *tiers, GArray *tier_nodes, GArray *outcome_nodes)
{
  GPtrArray  *paths = td_policy_get_escalation_paths (self->policy);
  TdFlowNode *node;
  double      badge_height;

  node = add_node (self, TD_FLOW_NODE_START, 0, g_strdup ("start"));
  add_line (self, node->lines, TD_FLOW_TEXT_TITLE, _ ("Issue Reported"));

  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier    *tier = g_ptr_array_index (tiers, i);
      g_autofree char *owner = NULL;
      g_autofree char *response = NULL;
      g_autofree char *hours = NULL;
      g_autofree char *resolved = NULL;
      guint            index = self->nodes->len;
      guint            none = G_MAXUINT;

      node = add_node (self, TD_FLOW_NODE_TIER, tier->level,
                       g_strdup_printf ("tier-%d", tier->level));
      /* Room for "12 d 23 h overdue" beside the title once a ticket is shown. */
      self->measure (_ ("00 d 00 h overdue"), TD_FLOW_TEXT_CAPTION, &node->badge_width,
                     &badge_height, self->measure_data);
      node->badge_width += 16;
      add_line (self, node->lines, TD_FLOW_TEXT_TITLE, tier->name);
      /* Empty policy text is a slot still to fill in, and says so. */
      owner = g_strdup_printf (_ ("Owner: %s"), tier->owner != NULL && *tier->owner != '\0'
                                                    ? tier->owner
                                                    : _ ("not set yet"));
      add_line (self, node->lines, TD_FLOW_TEXT_BODY, owner);
      response
          = g_strdup_printf (_ ("Response: %s"), tier->response_target.label != NULL
                                                         && *tier->response_target.label != '\0'
                                                     ? tier->response_target.label
                                                     : _ ("not set yet"));
      add_line (self, node->lines, TD_FLOW_TEXT_BODY, response);
      if (tier->hours != NULL && *tier->hours != '\0')
        {
          hours = g_strdup_printf (_ ("Hours: %s"), tier->hours);
          add_line (self, node->lines, TD_FLOW_TEXT_CAPTION, hours);
        }
      node->description = join_lines (node->lines, ". ");
      g_array_append_val (tier_nodes, index);

      resolved = resolved_text (self->policy, tier->level);
      if (resolved != NULL)
        {
          guint outcome = self->nodes->len;

          node = add_node (self, TD_FLOW_NODE_OUTCOME, tier->level,
                           g_strdup_printf ("resolved-%d", tier->level));
          add_line (self, node->lines, TD_FLOW_TEXT_TITLE, resolved);
          node->description = g_strdup_printf (_ ("%s at %s"), resolved, tier->name);
          g_array_append_val (outcome_nodes, outcome);
        }
      else
        g_array_append_val (outcome_nodes, none);
    }

  /* Entry, then the escalation paths in policy order. */
  if (tiers->len > 0)
    {
      TdFlowEdge *edge = add_edge (self, TD_FLOW_EDGE_ENTRY, g_strdup ("entry"), 0,
                                   g_array_index (tier_nodes, guint, 0));

      edge->to_tier = ((const TdTier *) g_ptr_array_index (tiers, 0))->level;
    }
  for (guint i = 0; i < paths->len; i++)
    {
      const TdEscalationPath *path = g_ptr_array_index (paths, i);
      int                     from = -1, to = -1;
      TdFlowEdgeKind          kind;
      TdFlowEdge             *edge;

      for (guint t = 0; t < tiers->len; t++)
        {
          const TdTier *tier = g_ptr_array_index (tiers, t);

          if (tier->level == path->from)
            from = (int) g_array_index (tier_nodes, guint, t);
          if (tier->level == path->to)
            to = (int) g_array_index (tier_nodes, guint, t);
        }
      /* The loader has checked the tiers; a path to nowhere is not drawn. */
      if (to < 0 || (path->from != 0 && from < 0))
        continue;

      if (path->from == 0)
        {
          from = (int) self->nodes->len;
          node = add_node (self, TD_FLOW_NODE_ANY, path->to, g_strdup_printf ("any-%s", path->id));
          add_line (self, node->lines, TD_FLOW_TEXT_TITLE, _ ("From Any Tier"));
          node->description = g_strdup_printf (_ ("From any tier to Tier %d"), path->to);
          kind = TD_FLOW_EDGE_ANY_TIER;
        }
      else if (!strv_is_empty (path->severities) || !strv_is_empty (path->reasons))
        kind = TD_FLOW_EDGE_RESTRICTED;
      else
        kind = TD_FLOW_EDGE_NORMAL;

      edge = add_edge (self, kind, g_strdup (path->id), (guint) from, (guint) to);
      edge->from_tier = path->from;
      edge->to_tier = path->to;
      if (path->label != NULL && *path->label != '\0')
        add_label_line (self, edge->lines, TD_FLOW_TEXT_TITLE, path->label);
      for (guint c = 0; path->criteria != NULL && path->criteria[c] != NULL; c++)
        add_label_line (self, edge->lines, TD_FLOW_TEXT_BODY, path->criteria[c]);
      if (!strv_is_empty (path->severities))
        {
          g_autofree char *severities = g_strjoinv (", ", path->severities);
          g_autofree char *text = g_strdup_printf (_ ("Only for %s"), severities);

          add_label_line (self, edge->lines, TD_FLOW_TEXT_CAPTION, text);
        }
      if (!strv_is_empty (path->reasons))
        {
          g_autofree char *reasons = g_strjoinv (", ", path->reasons);
          g_autofree char *text
              = g_strdup_printf (!strv_is_empty (path->severities) ? _ ("or when stated: %s")
                                                                   : _ ("Only when stated: %s"),
                                 reasons);

          add_label_line (self, edge->lines, TD_FLOW_TEXT_CAPTION, text);
        }
      if (path->from != 0)
        add_limit_lines (self, edge, path);
    }

  /* Outcomes and engagement scenarios [6.2]. */
  for (guint t = 0; t < tiers->len; t++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, t);
      guint         tier_node = g_array_index (tier_nodes, guint, t);
      guint         outcome = g_array_index (outcome_nodes, guint, t);

      if (outcome != G_MAXUINT)
        {
          TdFlowEdge *edge
              = add_edge (self, TD_FLOW_EDGE_OUTCOME, g_strdup_printf ("resolved-%d", tier->level),
                          tier_node, outcome);
          edge->from_tier = tier->level;
        }
      for (guint e = 0; tier->engagement != NULL && e < tier->engagement->len; e++)
        {
          const TdEngagement *engagement = g_ptr_array_index (tier->engagement, e);
          g_autofree char    *contacts = role_names (self->policy, engagement->roles);
          g_autofree char    *contact = g_strdup_printf (_ ("Contact: %s"), contacts);
          guint               index = self->nodes->len;
          TdFlowEdge         *edge;

          node = add_node (self, TD_FLOW_NODE_SCENARIO, tier->level,
                           g_strdup_printf ("scenario-%d-%u", tier->level, e));
          add_line (self, node->lines, TD_FLOW_TEXT_TITLE, engagement->scenario);
          add_line (self, node->lines, TD_FLOW_TEXT_BODY, contact);
          if (engagement->has_after || engagement->severity != NULL)
            {
              g_autofree char *after = engagement->has_after
                                           ? td_flow_layout_format_duration (&engagement->after)
                                           : NULL;
              g_autofree char *text = NULL;

              if (after != NULL && engagement->severity != NULL)
                text = g_strdup_printf (_ ("%s unresolved after %s"), engagement->severity, after);
              else if (after != NULL)
                text = g_strdup_printf (_ ("Unresolved after %s"), after);
              else
                text = g_strdup_printf (_ ("For %s"), engagement->severity);
              add_line (self, node->lines, TD_FLOW_TEXT_CAPTION, text);
            }
          node->description = join_lines (node->lines, ". ");

          edge = add_edge (self, TD_FLOW_EDGE_ENGAGE,
                           g_strdup_printf ("engage-%d-%u", tier->level, e), tier_node, index);
          edge->from_tier = tier->level;
        }
    }

  for (guint i = 0; i < self->nodes->len; i++)
    {
      node = node_at_index (self, i);
      if (node->description == NULL)
        node->description = join_lines (node->lines, ". ");
    }
}

/* Placing */

static int
compare_ports (gconstpointer a, gconstpointer b)
{
  const Port *pa = a;
  const Port *pb = b;

  return (pa->other_y > pb->other_y) - (pa->other_y < pb->other_y);
}

static void
place (TdFlowLayout *self, GPtrArray *tiers, GArray *tier_nodes, GArray *outcome_nodes)
{
  guint   n = tiers->len;
  double  tier_w = MIN_TIER_WIDTH, outcome_w = 0, scenario_w = 0;
  double  x_out, x_tier, cx, y, lanes_x0, lanes_end, right = 0, bottom = 0;
  double *gap_labels_h = g_new0 (double, MAX (n, 1));
  double  max_adj_right;
  g_autoptr (GPtrArray) lanes = g_ptr_array_new ();
  g_autoptr (GPtrArray) any_edges = g_ptr_array_new ();
  g_autoptr (GArray) ports = g_array_new (FALSE, FALSE, sizeof (Port));
  int         last_level = n > 0 ? ((const TdTier *) g_ptr_array_index (tiers, n - 1))->level : 0;
  TdFlowNode *start = node_at_index (self, 0);
  double      w, h;

  /* Uniform widths per column read as a chart, not a pile of boxes. */
  for (guint i = 0; i < self->nodes->len; i++)
    {
      TdFlowNode *node = node_at_index (self, i);

      node_natural_size (node, &w, &h);
      node->box.width = w;
      node->box.height = h;
      if (node->kind == TD_FLOW_NODE_TIER)
        tier_w = MAX (tier_w, w);
      else if (node->kind == TD_FLOW_NODE_OUTCOME)
        outcome_w = MAX (outcome_w, w);
      else if (node->kind == TD_FLOW_NODE_SCENARIO)
        scenario_w = MAX (scenario_w, w);
    }
  for (guint i = 0; i < self->nodes->len; i++)
    {
      TdFlowNode *node = node_at_index (self, i);

      if (node->kind == TD_FLOW_NODE_TIER)
        node->box.width = tier_w;
      else if (node->kind == TD_FLOW_NODE_OUTCOME)
        node->box.width = outcome_w;
      else if (node->kind == TD_FLOW_NODE_SCENARIO)
        node->box.width = scenario_w;
    }

  x_out = MARGIN;
  x_tier = outcome_w > 0 ? x_out + outcome_w + OUTCOME_GAP : MARGIN;
  cx = x_tier + tier_w / 2;

  /* Sort the paths: to the next tier up (down the page), or a lane. */
  max_adj_right = x_tier + tier_w;
  for (guint t = 0; t + 1 < n; t++)
    {
      const TdTier *a = g_ptr_array_index (tiers, t);
      const TdTier *b = g_ptr_array_index (tiers, t + 1);
      g_autoptr (GPtrArray) adjacent = g_ptr_array_new ();
      double label_x;

      for (guint e = 0; e < self->edges->len; e++)
        {
          TdFlowEdge *edge = g_ptr_array_index (self->edges, e);

          if ((edge->kind == TD_FLOW_EDGE_NORMAL || edge->kind == TD_FLOW_EDGE_RESTRICTED)
              && edge->from_tier == a->level && edge->to_tier == b->level)
            g_ptr_array_add (adjacent, edge);
        }
      label_x
          = cx + (adjacent->len > 0 ? (adjacent->len - 1) * ARROW_SPREAD / 2 : 0) + LABEL_OFFSET;
      for (guint k = 0; k < adjacent->len; k++)
        {
          TdFlowEdge *edge = g_ptr_array_index (adjacent, k);

          label_size (edge, &w, &h);
          edge->label_box.x = label_x;
          edge->label_box.width = w;
          edge->label_box.height = h;
          gap_labels_h[t] += h + (k > 0 ? 12 : 0);
          max_adj_right = MAX (max_adj_right, label_x + w);
        }
    }
  for (guint e = 0; e < self->edges->len; e++)
    {
      TdFlowEdge *edge = g_ptr_array_index (self->edges, e);

      if (edge->kind == TD_FLOW_EDGE_ANY_TIER)
        g_ptr_array_add (any_edges, edge);
      else if ((edge->kind == TD_FLOW_EDGE_NORMAL || edge->kind == TD_FLOW_EDGE_RESTRICTED)
               && edge->label_box.x == 0)
        g_ptr_array_add (lanes, edge);
    }

  /* Vertical: start, then the tiers with room between them for the labels. */
  start->box.x = cx - start->box.width / 2;
  start->box.y = MARGIN;
  y = MARGIN + start->box.height + ENTRY_GAP;
  for (guint t = 0; t < n; t++)
    {
      TdFlowNode *node = node_at_index (self, g_array_index (tier_nodes, guint, t));
      guint       outcome = g_array_index (outcome_nodes, guint, t);
      double      tier_h = node->box.height;

      if (outcome != G_MAXUINT)
        tier_h = MAX (tier_h, node_at_index (self, outcome)->box.height);
      node->box.x = x_tier;
      node->box.y = y;
      node->box.height = tier_h;
      if (outcome != G_MAXUINT)
        {
          TdFlowNode *resolved = node_at_index (self, outcome);

          resolved->box.x = x_out;
          resolved->box.y = y + (tier_h - resolved->box.height) / 2;
        }
      y += tier_h;
      if (t + 1 < n)
        y += MAX (GAP_Y_MIN, gap_labels_h[t] + 2 * GAP_Y_PAD);
    }

  /* Lanes, shortest span innermost so that lanes nest. */
  lanes_x0 = max_adj_right + LANE_GAP;
  lanes_end = x_tier + tier_w;
  for (guint i = 0; i < lanes->len; i++)
    for (guint j = i + 1; j < lanes->len; j++)
      {
        TdFlowEdge *a = g_ptr_array_index (lanes, i);
        TdFlowEdge *b = g_ptr_array_index (lanes, j);

        if (ABS (b->to_tier - b->from_tier) < ABS (a->to_tier - a->from_tier))
          {
            lanes->pdata[i] = b;
            lanes->pdata[j] = a;
          }
      }
  {
    double x = lanes_x0;

    for (guint i = 0; i < lanes->len; i++)
      {
        TdFlowEdge *edge = g_ptr_array_index (lanes, i);

        label_size (edge, &w, &h);
        edge->label_box.x = x + LABEL_OFFSET; /* marks it as a lane, x is final */
        edge->label_box.width = w;
        edge->label_box.height = h;
        g_array_append_val (edge->points, ((TdFlowPoint){ x, 0 }));
        x += LABEL_OFFSET + w + LANE_GAP;
      }
    if (lanes->len > 0)
      lanes_end = x - LANE_GAP;
  }

  /* Sources of paths from any tier, right of the lanes, beside their target. */
  for (guint i = 0; i < any_edges->len; i++)
    {
      TdFlowEdge *edge = g_ptr_array_index (any_edges, i);
      TdFlowNode *source = node_at_index (self, edge->from);
      TdFlowNode *target = node_at_index (self, edge->to);

      label_size (edge, &w, &h);
      edge->label_box.x = MAX (lanes_end, x_tier + tier_w) + LANE_GAP;
      edge->label_box.width = w;
      edge->label_box.height = h;
      source->box.x = edge->label_box.x + w + LANE_GAP;
      source->box.y = target->box.y; /* moved onto the port below */
    }

  /* Ports on the right side of each tier box. */
  for (guint t = 0; t < n; t++)
    {
      guint       index = g_array_index (tier_nodes, guint, t);
      TdFlowNode *node = node_at_index (self, index);

      g_array_set_size (ports, 0);
      for (guint e = 0; e < self->edges->len; e++)
        {
          TdFlowEdge *edge = g_ptr_array_index (self->edges, e);
          Port        port = { edge, FALSE, 0 };

          if (g_ptr_array_find (lanes, edge, NULL))
            {
              if (edge->from == index)
                {
                  port.is_source = TRUE;
                  port.other_y = node_at_index (self, edge->to)->box.y;
                }
              else if (edge->to == index)
                port.other_y = node_at_index (self, edge->from)->box.y;
              else
                continue;
            }
          else if (edge->kind == TD_FLOW_EDGE_ANY_TIER && edge->to == index)
            port.other_y = node->box.y;
          else
            continue;
          g_array_append_val (ports, port);
        }
      g_array_sort (ports, compare_ports);
      for (guint p = 0; p < ports->len; p++)
        {
          Port       *port = &g_array_index (ports, Port, p);
          double      py = node->box.y + node->box.height * (p + 1) / (ports->len + 1);
          TdFlowEdge *edge = port->edge;

          if (edge->kind == TD_FLOW_EDGE_ANY_TIER)
            {
              TdFlowNode *source = node_at_index (self, edge->from);

              source->box.y = py - source->box.height / 2;
              add_point (edge, source->box.x, py);
              add_point (edge, node->box.x + node->box.width, py);
              edge->label_box.y = py - 8 - edge->label_box.height;
            }
          else if (port->is_source)
            {
              /* The lane's first point holds its x until both ends are known. */
              double lane_x = g_array_index (edge->points, TdFlowPoint, 0).x;

              g_array_index (edge->points, TdFlowPoint, 0)
                  = (TdFlowPoint){ node->box.x + node->box.width, py };
              g_array_insert_val (edge->points, 1, ((TdFlowPoint){ lane_x, py }));
            }
          else
            {
              /* The target end, kept in label_box.y until the source
               * end is placed too. */
              edge->label_box.y = py;
            }
        }
    }
  for (guint i = 0; i < lanes->len; i++)
    {
      TdFlowEdge *edge = g_ptr_array_index (lanes, i);
      TdFlowNode *target = node_at_index (self, edge->to);
      double      ty = edge->label_box.y;
      double      lane_x = g_array_index (edge->points, TdFlowPoint, 1).x;
      double      sy = g_array_index (edge->points, TdFlowPoint, 0).y;

      add_point (edge, lane_x, ty);
      add_point (edge, target->box.x + target->box.width, ty);
      edge->label_box.y = (sy + ty) / 2 - edge->label_box.height / 2;
    }

  /* Arrows to the next tier, spread when several, labels stacked in the gap. */
  for (guint t = 0; t + 1 < n; t++)
    {
      TdFlowNode *a = node_at_index (self, g_array_index (tier_nodes, guint, t));
      TdFlowNode *b = node_at_index (self, g_array_index (tier_nodes, guint, t + 1));
      double      gap_top = a->box.y + a->box.height;
      double      gap_bottom = b->box.y;
      double      label_y = (gap_top + gap_bottom) / 2 - gap_labels_h[t] / 2;
      guint       count = 0, k = 0;

      for (guint e = 0; e < self->edges->len; e++)
        {
          TdFlowEdge *edge = g_ptr_array_index (self->edges, e);

          if (edge->from == g_array_index (tier_nodes, guint, t)
              && edge->to == g_array_index (tier_nodes, guint, t + 1)
              && !g_ptr_array_find (lanes, edge, NULL))
            count++;
        }
      for (guint e = 0; e < self->edges->len; e++)
        {
          TdFlowEdge *edge = g_ptr_array_index (self->edges, e);
          double      x;

          if (!(edge->from == g_array_index (tier_nodes, guint, t)
                && edge->to == g_array_index (tier_nodes, guint, t + 1)
                && !g_ptr_array_find (lanes, edge, NULL)))
            continue;
          x = cx + (k - (count - 1) / 2.0) * ARROW_SPREAD;
          add_point (edge, x, gap_top);
          add_point (edge, x, gap_bottom);
          edge->label_box.y = label_y;
          label_y += edge->label_box.height + 12;
          k++;
        }
    }

  /* Entry and outcomes. */
  for (guint e = 0; e < self->edges->len; e++)
    {
      TdFlowEdge *edge = g_ptr_array_index (self->edges, e);
      TdFlowNode *from = node_at_index (self, edge->from);
      TdFlowNode *to = node_at_index (self, edge->to);

      if (edge->kind == TD_FLOW_EDGE_ENTRY)
        {
          add_point (edge, cx, from->box.y + from->box.height);
          add_point (edge, cx, to->box.y);
        }
      else if (edge->kind == TD_FLOW_EDGE_OUTCOME)
        {
          double py = from->box.y + from->box.height / 2;

          add_point (edge, from->box.x, py);
          add_point (edge, to->box.x + to->box.width, py);
        }
    }

  for (guint i = 0; i < self->nodes->len; i++)
    {
      TdFlowNode *node = node_at_index (self, i);

      right = MAX (right, node->box.x + node->box.width);
      bottom = MAX (bottom, node->box.y + node->box.height);
    }

  /* Engagement combs below the chart: the last tier's first, straight down
   * from its box; another tier's come out of its left side. */
  y = bottom + ENTRY_GAP / 2;
  for (int pass = 0; pass < 2; pass++)
    for (guint t = 0; t < n; t++)
      {
        const TdTier *tier = g_ptr_array_index (tiers, t);
        TdFlowNode   *tier_node = node_at_index (self, g_array_index (tier_nodes, guint, t));
        gboolean      is_last = tier->level == last_level;

        if ((pass == 0) != is_last)
          continue;
        for (guint e = 0; e < self->edges->len; e++)
          {
            TdFlowEdge *edge = g_ptr_array_index (self->edges, e);
            TdFlowNode *scenario;
            double      py;

            if (edge->kind != TD_FLOW_EDGE_ENGAGE || edge->from_tier != tier->level)
              continue;
            scenario = node_at_index (self, edge->to);
            scenario->box.x = x_tier + COMB_NODE_X;
            scenario->box.y = y;
            py = y + scenario->box.height / 2;
            if (is_last)
              add_point (edge, x_tier + COMB_INDENT, tier_node->box.y + tier_node->box.height);
            else
              {
                double sy = tier_node->box.y + tier_node->box.height - PAD_Y;

                add_point (edge, x_tier, sy);
                add_point (edge, x_tier - COMB_INDENT, sy);
                add_point (edge, x_tier - COMB_INDENT, py);
              }
            if (is_last)
              add_point (edge, x_tier + COMB_INDENT, py);
            add_point (edge, scenario->box.x, py);
            y += scenario->box.height + COMB_GAP;
          }
      }

  right = 0;
  bottom = 0;
  for (guint i = 0; i < self->nodes->len; i++)
    {
      TdFlowNode *node = node_at_index (self, i);

      right = MAX (right, node->box.x + node->box.width);
      bottom = MAX (bottom, node->box.y + node->box.height);
    }
  for (guint e = 0; e < self->edges->len; e++)
    {
      TdFlowEdge *edge = g_ptr_array_index (self->edges, e);

      if (edge->lines->len == 0)
        edge->label_box = (TdFlowRect){ 0 };
      else
        {
          right = MAX (right, edge->label_box.x + edge->label_box.width);
          bottom = MAX (bottom, edge->label_box.y + edge->label_box.height);
        }
      for (guint p = 0; p < edge->points->len; p++)
        right = MAX (right, g_array_index (edge->points, TdFlowPoint, p).x);
      describe_edge (self, edge);
    }
  self->width = right + MARGIN;
  self->height = bottom + MARGIN;
  g_free (gap_labels_h);
}

/* Overrides */

static void
td_flow_layout_finalize (GObject *object)
{
  TdFlowLayout *self = TD_FLOW_LAYOUT (object);

  g_clear_object (&self->policy);
  g_clear_pointer (&self->nodes, g_ptr_array_unref);
  g_clear_pointer (&self->edges, g_ptr_array_unref);

  G_OBJECT_CLASS (td_flow_layout_parent_class)->finalize (object);
}

/* Class and instance init */

static void
td_flow_layout_class_init (TdFlowLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = td_flow_layout_finalize;
}

static void
td_flow_layout_init (TdFlowLayout *self)
{
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_node_free);
  self->edges = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_edge_free);
}

/* Public API */

TdFlowLayout *
td_flow_layout_new (TdPolicy *policy, TdFlowMeasureFunc measure, gpointer user_data)
{
  TdFlowLayout *self;
  g_autoptr (GPtrArray) tiers = NULL;
  g_autoptr (GArray) tier_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) outcome_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray *policy_tiers;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (measure != NULL, NULL);

  self = g_object_new (TD_TYPE_FLOW_LAYOUT, NULL);
  self->policy = g_object_ref (policy);
  self->measure = measure;
  self->measure_data = user_data;

  policy_tiers = td_policy_get_tiers (policy);
  tiers = g_ptr_array_new ();
  for (guint i = 0; i < policy_tiers->len; i++)
    g_ptr_array_add (tiers, g_ptr_array_index (policy_tiers, i));
  g_ptr_array_sort (tiers, compare_tiers);

  build (self, tiers, tier_nodes, outcome_nodes);
  place (self, tiers, tier_nodes, outcome_nodes);

  /* The measurer may not outlive this call. */
  self->measure = NULL;
  self->measure_data = NULL;
  return self;
}

TdPolicy *
td_flow_layout_get_policy (TdFlowLayout *self)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), NULL);
  return self->policy;
}

double
td_flow_layout_get_width (TdFlowLayout *self)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), 0);
  return self->width;
}

double
td_flow_layout_get_height (TdFlowLayout *self)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), 0);
  return self->height;
}

guint
td_flow_layout_get_n_nodes (TdFlowLayout *self)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), 0);
  return self->nodes->len;
}

const TdFlowNode *
td_flow_layout_get_node (TdFlowLayout *self, guint index)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), NULL);
  g_return_val_if_fail (index < self->nodes->len, NULL);
  return g_ptr_array_index (self->nodes, index);
}

guint
td_flow_layout_get_n_edges (TdFlowLayout *self)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), 0);
  return self->edges->len;
}

const TdFlowEdge *
td_flow_layout_get_edge (TdFlowLayout *self, guint index)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), NULL);
  g_return_val_if_fail (index < self->edges->len, NULL);
  return g_ptr_array_index (self->edges, index);
}

int
td_flow_layout_find_node (TdFlowLayout *self, const char *id)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), -1);
  for (guint i = 0; i < self->nodes->len; i++)
    if (g_strcmp0 (node_at_index (self, i)->id, id) == 0)
      return (int) i;
  return -1;
}

int
td_flow_layout_find_edge (TdFlowLayout *self, const char *id)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), -1);
  for (guint i = 0; i < self->edges->len; i++)
    if (g_strcmp0 (((TdFlowEdge *) g_ptr_array_index (self->edges, i))->id, id) == 0)
      return (int) i;
  return -1;
}

int
td_flow_layout_find_move (TdFlowLayout *self, const char *path_id, int from_tier, int to_tier)
{
  int any = -1;

  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), -1);

  if (path_id != NULL)
    {
      int found = td_flow_layout_find_edge (self, path_id);

      if (found >= 0)
        return found;
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      const TdFlowEdge *edge = g_ptr_array_index (self->edges, i);

      if (edge->kind != TD_FLOW_EDGE_NORMAL && edge->kind != TD_FLOW_EDGE_RESTRICTED
          && edge->kind != TD_FLOW_EDGE_ANY_TIER)
        continue;
      if (edge->to_tier != to_tier)
        continue;
      if (edge->from_tier == from_tier)
        return (int) i;
      if (edge->from_tier == 0 && any < 0)
        any = (int) i;
    }
  return any;
}

int
td_flow_layout_node_at (TdFlowLayout *self, double x, double y)
{
  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (self), -1);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      const TdFlowRect *box = &node_at_index (self, i)->box;

      if (x >= box->x && x < box->x + box->width && y >= box->y && y < box->y + box->height)
        return (int) i;
    }
  return -1;
}

char *
td_flow_layout_format_duration (const TdDuration *duration)
{
  g_return_val_if_fail (duration != NULL, NULL);

  if (td_duration_is_zero (duration))
    return g_strdup (_ ("at once"));
  if (duration->business_days > 0 && duration->seconds == 0)
    return g_strdup_printf (
        g_dngettext (NULL, "%d business day", "%d business days", (gulong) duration->business_days),
        (int) duration->business_days);
  if (duration->business_days > 0)
    {
      g_autofree char *rest = td_format_span (duration->seconds);

      return g_strdup_printf (g_dngettext (NULL, "%d business day %s", "%d business days %s",
                                           (gulong) duration->business_days),
                              (int) duration->business_days, rest);
    }
  return td_format_span (duration->seconds);
}

double
td_flow_line_spacing (const TdFlowLine *previous, const TdFlowLine *line)
{
  g_return_val_if_fail (previous != NULL && line != NULL, 0);

  /* A title stands a little apart from what it heads. */
  if (previous->style == TD_FLOW_TEXT_TITLE && line->style != TD_FLOW_TEXT_TITLE)
    return TITLE_SPACING;
  return LINE_SPACING;
}

gboolean
td_flow_rect_intersects (const TdFlowRect *a, const TdFlowRect *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height
         && b->y < a->y + a->height;
}
