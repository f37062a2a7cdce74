/* td-flow-view.h — the escalation flowchart as a widget: zoom, pan, fit, keyboard, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "td-flow-layout.h"
#include "td-flow-render.h"

G_BEGIN_DECLS

#define TD_TYPE_FLOW_VIEW (td_flow_view_get_type ())
G_DECLARE_FINAL_TYPE (TdFlowView, td_flow_view, TD, FLOW_VIEW, GtkWidget)

GtkWidget *td_flow_view_new (void);
/* Lays the chart out again from @policy (NULL for none). */
void          td_flow_view_set_policy (TdFlowView *self, TdPolicy *policy);
TdFlowLayout *td_flow_view_get_layout (TdFlowView *self);

/* A ticket's path: node and edge ids in the order it went (NULL-terminated),
 * and the node it is at now (NULL for none). Clears every badge. */
void td_flow_view_set_path (TdFlowView        *self,
                            const char *const *node_ids,
                            const char *const *edge_ids,
                            const char        *current_node);
/* A short note on a node, such as "45 min left"; @alert draws it in red. */
void td_flow_view_set_badge (TdFlowView *self,
                             const char *node_id,
                             const char *text,
                             gboolean    alert);
void td_flow_view_clear_path (TdFlowView *self);
/* The ids set by td_flow_view_set_path(), nodes then edges, for the tests. */
char      **td_flow_view_get_highlighted_path (TdFlowView *self);
const char *td_flow_view_get_current_node (TdFlowView *self);
const char *td_flow_view_get_badge (TdFlowView *self, const char *node_id);

void        td_flow_view_select_node (TdFlowView *self, const char *node_id);
const char *td_flow_view_get_selected_node (TdFlowView *self);
/* The accessible, focusable stand-ins, one per node then one per edge. */
GPtrArray *td_flow_view_get_items (TdFlowView *self);

double   td_flow_view_get_zoom (TdFlowView *self);
void     td_flow_view_zoom_in (TdFlowView *self);
void     td_flow_view_zoom_out (TdFlowView *self);
void     td_flow_view_fit (TdFlowView *self);
gboolean td_flow_view_export (TdFlowView        *self,
                              TdFlowExportFormat format,
                              const char        *path,
                              GError           **error);

G_END_DECLS
