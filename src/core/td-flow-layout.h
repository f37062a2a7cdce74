/* td-flow-layout.h — the escalation flowchart of [7.3] laid out from the live policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "td-policy.h"

G_BEGIN_DECLS

/* How text sits in a box: the renderer places lines as the layout measured them. */
#define TD_FLOW_PAD_X         16.0
#define TD_FLOW_PAD_Y         12.0
#define TD_FLOW_LINE_SPACING  3.0
#define TD_FLOW_TITLE_SPACING 6.0

typedef enum
{
  TD_FLOW_NODE_START,    /* "Issue reported" */
  TD_FLOW_NODE_TIER,     /* one tier of the policy */
  TD_FLOW_NODE_OUTCOME,  /* "Resolved" beside a tier */
  TD_FLOW_NODE_ANY,      /* "From any tier", the source of an any → tier path */
  TD_FLOW_NODE_SCENARIO, /* a Tier 4 engagement scenario [6.2] */
} TdFlowNodeKind;

typedef enum
{
  TD_FLOW_EDGE_ENTRY,      /* issue reported → the first tier */
  TD_FLOW_EDGE_NORMAL,     /* an escalation path to the next tier up */
  TD_FLOW_EDGE_RESTRICTED, /* a path open only to some severities or reasons (SEV-1 direct) */
  TD_FLOW_EDGE_ANY_TIER,   /* a path from any tier */
  TD_FLOW_EDGE_OUTCOME,    /* a tier → resolved */
  TD_FLOW_EDGE_ENGAGE,     /* a tier → one of its engagement scenarios */
} TdFlowEdgeKind;

/* How a piece of text is set; the measurer and the renderer agree on it. */
typedef enum
{
  TD_FLOW_TEXT_TITLE,
  TD_FLOW_TEXT_BODY,
  TD_FLOW_TEXT_CAPTION,
} TdFlowTextStyle;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} TdFlowRect;

typedef struct
{
  double x;
  double y;
} TdFlowPoint;

typedef struct
{
  char           *text;
  TdFlowTextStyle style;
  double          width;
  double          height;
  /* Wrapped from the line above: one sentence, read without a break. */
  gboolean continued;
} TdFlowLine;

typedef struct
{
  char          *id; /* "start", "tier-2", "resolved-2", "any-4", "scenario-4-0" */
  TdFlowNodeKind kind;
  int            tier;  /* the tier it belongs to; 0 for the start */
  GPtrArray     *lines; /* TdFlowLine: the first is the title */
  TdFlowRect     box;
  /* Room kept free at the right of the title line, for a badge such as
   * "1 h 20 min left" when a ticket is shown. */
  double badge_width;
  /* Everything the node says, one sentence, for accessibility. */
  char *description;
} TdFlowNode;

typedef struct
{
  char          *id; /* the escalation path id; "entry", "resolved-N", "engage-N-I" otherwise */
  TdFlowEdgeKind kind;
  guint          from; /* node indices */
  guint          to;
  int            from_tier; /* 0 for "any" and the start */
  int            to_tier;
  GPtrArray     *lines;     /* TdFlowLine: criteria, severities, time limit; may be empty */
  TdFlowRect     label_box; /* width 0 without a label */
  GArray        *points;    /* TdFlowPoint, the route from source to target */
  char          *description;
} TdFlowEdge;

/* Measures one line of text set in @style, in the units the layout uses
 * (pixels at zoom 1). */
typedef void (*TdFlowMeasureFunc) (const char     *text,
                                   TdFlowTextStyle style,
                                   double         *width,
                                   double         *height,
                                   gpointer        user_data);

#define TD_TYPE_FLOW_LAYOUT (td_flow_layout_get_type ())
G_DECLARE_FINAL_TYPE (TdFlowLayout, td_flow_layout, TD, FLOW_LAYOUT, GObject)

/* Lays out the policy's flow. @measure gives text sizes: Pango in the app,
 * a fixed-width font in the tests. */
TdFlowLayout *td_flow_layout_new (TdPolicy *policy, TdFlowMeasureFunc measure, gpointer user_data);
TdPolicy     *td_flow_layout_get_policy (TdFlowLayout *self);
double        td_flow_layout_get_width (TdFlowLayout *self);
double        td_flow_layout_get_height (TdFlowLayout *self);
guint         td_flow_layout_get_n_nodes (TdFlowLayout *self);
const TdFlowNode *td_flow_layout_get_node (TdFlowLayout *self, guint index);
guint             td_flow_layout_get_n_edges (TdFlowLayout *self);
const TdFlowEdge *td_flow_layout_get_edge (TdFlowLayout *self, guint index);
/* Index of the node or edge with @id, or -1. */
int td_flow_layout_find_node (TdFlowLayout *self, const char *id);
int td_flow_layout_find_edge (TdFlowLayout *self, const char *id);
/* The edge a ticket took from @from_tier to @to_tier: @path_id when the
 * history names it, otherwise the first path between the two tiers, then a
 * path from any tier. -1 when the policy has none. */
int td_flow_layout_find_move (TdFlowLayout *self, const char *path_id, int from_tier, int to_tier);
/* The node at (@x, @y), or -1. */
int td_flow_layout_node_at (TdFlowLayout *self, double x, double y);

/* "30 min", "2 business days": a policy duration as a lead reads it. */
char *td_flow_layout_format_duration (const TdDuration *duration);

/* The space above @line when it follows @previous. */
double   td_flow_line_spacing (const TdFlowLine *previous, const TdFlowLine *line);
gboolean td_flow_rect_intersects (const TdFlowRect *a, const TdFlowRect *b);

G_END_DECLS
