/* td-flow-item.h — one box or arrow of the flowchart, for the keyboard and accessibility
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TD_TYPE_FLOW_ITEM (td_flow_item_get_type ())
G_DECLARE_FINAL_TYPE (TdFlowItem, td_flow_item, TD, FLOW_ITEM, GtkWidget)

/* @is_node: a box (else an arrow); @index into the layout's nodes or edges. */
GtkWidget  *td_flow_item_new (gboolean is_node, guint index, const char *id, const char *text);
gboolean    td_flow_item_is_node (TdFlowItem *self);
guint       td_flow_item_get_index (TdFlowItem *self);
const char *td_flow_item_get_id (TdFlowItem *self);
const char *td_flow_item_get_text (TdFlowItem *self);

G_END_DECLS
