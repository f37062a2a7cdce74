/* td-flow-item.c — one box or arrow of the flowchart, for the keyboard and accessibility
 *
 * GTK 4.8 cannot give a drawn shape accessible children of its own, so
 * each box and arrow of TdFlowView gets one of these: an invisible,
 * focusable widget laid over it, with the role of a button and the shape's
 * text as its label. It draws nothing; the view draws the focus ring in
 * the shape of the box, in the same pass as the chart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-flow-item.h"

struct _TdFlowItem
{
  GtkWidget parent_instance;

  gboolean is_node;
  guint    index;
  char    *id;
  char    *text;
};

G_DEFINE_FINAL_TYPE (TdFlowItem, td_flow_item, GTK_TYPE_WIDGET)

enum
{
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Overrides */

static void
td_flow_item_finalize (GObject *object)
{
  TdFlowItem *self = TD_FLOW_ITEM (object);

  g_free (self->id);
  g_free (self->text);

  G_OBJECT_CLASS (td_flow_item_parent_class)->finalize (object);
}

/* Class and instance init */

static void
td_flow_item_class_init (TdFlowItemClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_flow_item_finalize;

  /* Enter and Space, as on any button. */
  signals[ACTIVATE]
      = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, 0,
                      NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_activate_signal (widget_class, signals[ACTIVATE]);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_Return, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_KP_Enter, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_space, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_KP_Space, 0, "activate", NULL);

  gtk_widget_class_set_css_name (widget_class, "flowitem");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
td_flow_item_init (TdFlowItem *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  /* Clicks go to the view, which knows the shapes better than a rectangle. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/* Public API */

GtkWidget *
td_flow_item_new (gboolean is_node, guint index, const char *id, const char *text)
{
  TdFlowItem *self = g_object_new (TD_TYPE_FLOW_ITEM, NULL);

  self->is_node = is_node;
  self->index = index;
  self->id = g_strdup (id);
  self->text = g_strdup (text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return GTK_WIDGET (self);
}

gboolean
td_flow_item_is_node (TdFlowItem *self)
{
  g_return_val_if_fail (TD_IS_FLOW_ITEM (self), FALSE);
  return self->is_node;
}

guint
td_flow_item_get_index (TdFlowItem *self)
{
  g_return_val_if_fail (TD_IS_FLOW_ITEM (self), 0);
  return self->index;
}

const char *
td_flow_item_get_id (TdFlowItem *self)
{
  g_return_val_if_fail (TD_IS_FLOW_ITEM (self), NULL);
  return self->id;
}

const char *
td_flow_item_get_text (TdFlowItem *self)
{
  g_return_val_if_fail (TD_IS_FLOW_ITEM (self), NULL);
  return self->text;
}
