/* td-flow-view.c — the escalation flowchart as a widget: zoom, pan, fit, keyboard, export
 *
 * The chart is drawn in one cairo pass (td_flow_render). Over each box and
 * arrow lies a TdFlowItem, an invisible focusable child that carries the
 * shape's text for screen readers and lets Tab and the arrow keys move
 * between shapes: GTK's own focus chain sorts the children by position.
 *
 * Coordinates: a layout point p shows at p × zoom + pan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-flow-item.h"
#include "td-flow-view.h"

#define ZOOM_MIN      0.2
#define ZOOM_MAX      4.0
#define ZOOM_STEP     1.2
#define FIT_PAD       16.0
#define READABLE_ZOOM 0.8

struct _TdFlowView
{
  GtkWidget parent_instance;

  TdFlowLayout *layout;
  TdFlowText   *text;
  TdFlowPalette palette;
  GPtrArray    *items; /* TdFlowItem: nodes, then edges */
  double        zoom;
  double        pan_x;
  double        pan_y;
  gboolean      fit_pending;
  gboolean      user_moved; /* after a zoom or a pan, a resize no longer refits */

  GArray    *node_on_path; /* gboolean */
  GArray    *edge_on_path;
  GArray    *badge_alert;
  GPtrArray *badges; /* char *, NULL for none */
  GStrv      path_ids;
  int        current_node;
  int        selected_node;

  gboolean in_allocate;
  guint    notify_zoom_id;

  double drag_pan_x;
  double drag_pan_y;
  double zoom_start;
  double pointer_x;
  double pointer_y;
};

G_DEFINE_FINAL_TYPE (TdFlowView, td_flow_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ZOOM,
  PROP_SELECTED_NODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  NODE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static void
update_palette (TdFlowView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_assert (TD_IS_FLOW_VIEW (self));

  td_flow_palette_init (&self->palette, adw_style_manager_get_dark (manager),
                        adw_style_manager_get_high_contrast (manager));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_items (TdFlowView *self)
{
  g_assert (TD_IS_FLOW_VIEW (self));

  for (guint i = 0; i < self->items->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->items, i));
  g_ptr_array_set_size (self->items, 0);
}

static void
reset_path (TdFlowView *self)
{
  guint n_nodes = self->layout != NULL ? td_flow_layout_get_n_nodes (self->layout) : 0;
  guint n_edges = self->layout != NULL ? td_flow_layout_get_n_edges (self->layout) : 0;

  g_assert (TD_IS_FLOW_VIEW (self));

  g_array_set_size (self->node_on_path, 0);
  g_array_set_size (self->node_on_path, n_nodes);
  g_array_set_size (self->badge_alert, 0);
  g_array_set_size (self->badge_alert, n_nodes);
  g_array_set_size (self->edge_on_path, 0);
  g_array_set_size (self->edge_on_path, n_edges);
  g_ptr_array_set_size (self->badges, 0);
  g_ptr_array_set_size (self->badges, n_nodes);
  g_clear_pointer (&self->path_ids, g_strfreev);
  self->current_node = -1;
}

static TdFlowRect
item_rect (TdFlowView *self, TdFlowItem *item)
{
  guint index = td_flow_item_get_index (item);

  if (td_flow_item_is_node (item))
    return td_flow_layout_get_node (self->layout, index)->box;
  else
    {
      const TdFlowEdge *edge = td_flow_layout_get_edge (self->layout, index);
      TdFlowRect        box = { G_MAXDOUBLE, G_MAXDOUBLE, 0, 0 };
      double            x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

      if (edge->lines->len > 0)
        return edge->label_box;
      for (guint i = 0; i < edge->points->len; i++)
        {
          const TdFlowPoint *point = &g_array_index (edge->points, TdFlowPoint, i);

          box.x = MIN (box.x, point->x);
          box.y = MIN (box.y, point->y);
          x1 = MAX (x1, point->x);
          y1 = MAX (y1, point->y);
        }
      box.x -= 4;
      box.y -= 4;
      box.width = x1 - box.x + 4;
      box.height = y1 - box.y + 4;
      return box;
    }
}

static int
focused_item (TdFlowView *self, gboolean nodes)
{
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (self));

  if (focus == NULL || !TD_IS_FLOW_ITEM (focus) || !gtk_widget_has_focus (focus)
      || td_flow_item_is_node (TD_FLOW_ITEM (focus)) != nodes)
    return -1;
  return (int) td_flow_item_get_index (TD_FLOW_ITEM (focus));
}

static void
clamp_pan (TdFlowView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double chart_w, chart_h;

  g_assert (TD_IS_FLOW_VIEW (self));

  if (self->layout == NULL)
    return;
  /* Keep at least a quarter of the view on the chart: it can't get lost. */
  chart_w = td_flow_layout_get_width (self->layout) * self->zoom;
  chart_h = td_flow_layout_get_height (self->layout) * self->zoom;
  self->pan_x = CLAMP (self->pan_x, width / 4 - chart_w, width * 3 / 4);
  self->pan_y = CLAMP (self->pan_y, height / 4 - chart_h, height * 3 / 4);
}

static void
set_zoom_at (TdFlowView *self, double zoom, double x, double y)
{
  double lx, ly;

  g_assert (TD_IS_FLOW_VIEW (self));

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  /* The point under @x, @y stays where it is. */
  lx = (x - self->pan_x) / self->zoom;
  ly = (y - self->pan_y) / self->zoom;
  self->zoom = zoom;
  self->pan_x = x - lx * zoom;
  self->pan_y = y - ly * zoom;
  self->user_moved = TRUE;
  clamp_pan (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static gboolean
notify_zoom (gpointer data)
{
  TdFlowView *self = data;

  self->notify_zoom_id = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  return G_SOURCE_REMOVE;
}

/* @whole: the whole chart in view (the Fit button). Otherwise the first
 * view: text stays readable (no smaller than READABLE_ZOOM) and the chart
 * starts at its top, the way the seed's flowchart is read. */
static void
fit (TdFlowView *self, gboolean whole)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double chart_w, chart_h, zoom;

  g_assert (TD_IS_FLOW_VIEW (self));

  if (self->layout == NULL || width <= 0 || height <= 0)
    {
      self->fit_pending = TRUE;
      return;
    }
  chart_w = td_flow_layout_get_width (self->layout);
  chart_h = td_flow_layout_get_height (self->layout);
  /* Never blow a small chart up past its natural size: text would look odd. */
  zoom = MIN (1.0, MIN ((width - 2 * FIT_PAD) / chart_w, (height - 2 * FIT_PAD) / chart_h));
  if (!whole)
    zoom = MAX (zoom, MIN (READABLE_ZOOM, 1.0));
  self->zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  self->pan_x = chart_w * self->zoom <= width ? (width - chart_w * self->zoom) / 2 : 0;
  self->pan_y = chart_h * self->zoom <= height ? (height - chart_h * self->zoom) / 2 : 0;
  self->fit_pending = FALSE;
  self->user_moved = whole;
  /* A zoom label that changes while the window is being laid out would
   * miss this frame's allocation: tell listeners once the frame is done. */
  if (self->in_allocate)
    {
      if (self->notify_zoom_id == 0)
        self->notify_zoom_id = g_idle_add (notify_zoom, self);
    }
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* Brings a focused shape into view, as a list scrolls to its focused row. */
static void
scroll_to_item (TdFlowView *self, TdFlowItem *item)
{
  TdFlowRect rect = item_rect (self, item);
  double     width = gtk_widget_get_width (GTK_WIDGET (self));
  double     height = gtk_widget_get_height (GTK_WIDGET (self));
  double     x0 = rect.x * self->zoom + self->pan_x;
  double     y0 = rect.y * self->zoom + self->pan_y;
  double     x1 = x0 + rect.width * self->zoom;
  double     y1 = y0 + rect.height * self->zoom;
  double     margin = 24;

  if (x0 < margin)
    self->pan_x += margin - x0;
  else if (x1 > width - margin)
    self->pan_x -= MIN (x1 - (width - margin), x0 - margin);
  if (y0 < margin)
    self->pan_y += margin - y0;
  else if (y1 > height - margin)
    self->pan_y -= MIN (y1 - (height - margin), y0 - margin);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
select_index (TdFlowView *self, int index)
{
  g_assert (TD_IS_FLOW_VIEW (self));

  if (self->selected_node == index)
    return;
  self->selected_node = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
}

/* Callbacks */

static void
on_item_focus (TdFlowView *self, GParamSpec *pspec, TdFlowItem *item)
{
  if (gtk_widget_has_focus (GTK_WIDGET (item)))
    scroll_to_item (self, item);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_item_activate (TdFlowItem *item, TdFlowView *self)
{
  if (!td_flow_item_is_node (item))
    return;
  select_index (self, (int) td_flow_item_get_index (item));
  g_signal_emit (self, signals[NODE_ACTIVATED], 0, td_flow_item_get_id (item));
}

static void
on_pressed (GtkGestureClick *gesture, int n_press, double x, double y, TdFlowView *self)
{
  int index;

  if (self->layout == NULL)
    return;
  index = td_flow_layout_node_at (self->layout, (x - self->pan_x) / self->zoom,
                                  (y - self->pan_y) / self->zoom);
  if (index < 0)
    return;
  gtk_widget_grab_focus (g_ptr_array_index (self->items, index));
  on_item_activate (g_ptr_array_index (self->items, index), self);
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, TdFlowView *self)
{
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, TdFlowView *self)
{
  /* A click that wobbles a pixel is still a click. */
  if (ABS (dx) < 3 && ABS (dy) < 3)
    return;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  self->pan_x = self->drag_pan_x + dx;
  self->pan_y = self->drag_pan_y + dy;
  self->user_moved = TRUE;
  clamp_pan (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, TdFlowView *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, TdFlowView *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller, double dx, double dy, TdFlowView *self)
{
  GdkModifierType state
      = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double unit = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL ? 40 : 1;

  if (state & GDK_CONTROL_MASK)
    {
      set_zoom_at (self, self->zoom * pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  /* Shift turns a wheel sideways, as in every GNOME canvas. */
  if ((state & GDK_SHIFT_MASK) && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  self->pan_x -= dx * unit;
  self->pan_y -= dy * unit;
  self->user_moved = TRUE;
  clamp_pan (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  return TRUE;
}

static void
on_zoom_begin (GtkGesture *gesture, GdkEventSequence *sequence, TdFlowView *self)
{
  self->zoom_start = self->zoom;
}

static void
on_zoom_changed (GtkGestureZoom *gesture, double scale, TdFlowView *self)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y);
  set_zoom_at (self, self->zoom_start * scale, x, y);
}

static void
zoom_in_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  td_flow_view_zoom_in (TD_FLOW_VIEW (widget));
}

static void
zoom_out_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  td_flow_view_zoom_out (TD_FLOW_VIEW (widget));
}

static void
fit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  td_flow_view_fit (TD_FLOW_VIEW (widget));
}

/* Overrides */

static void
td_flow_view_measure (GtkWidget     *widget,
                      GtkOrientation orientation,
                      int            for_size,
                      int           *minimum,
                      int           *natural,
                      int           *minimum_baseline,
                      int           *natural_baseline)
{
  TdFlowView *self = TD_FLOW_VIEW (widget);

  /* Children are placed by hand and may lie outside: they add nothing. */
  *minimum = 120;
  if (self->layout == NULL)
    *natural = 400;
  else if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = (int) ceil (td_flow_layout_get_width (self->layout));
  else
    *natural = (int) ceil (td_flow_layout_get_height (self->layout));
}

static void
td_flow_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TdFlowView *self = TD_FLOW_VIEW (widget);

  if (self->layout == NULL)
    return;
  self->in_allocate = TRUE;
  if (self->fit_pending || !self->user_moved)
    fit (self, FALSE);
  self->in_allocate = FALSE;
  for (guint i = 0; i < self->items->len; i++)
    {
      TdFlowItem   *item = g_ptr_array_index (self->items, i);
      TdFlowRect    rect = item_rect (self, item);
      GtkAllocation allocation;

      allocation.x = (int) floor (rect.x * self->zoom + self->pan_x);
      allocation.y = (int) floor (rect.y * self->zoom + self->pan_y);
      allocation.width = MAX (1, (int) ceil (rect.width * self->zoom));
      allocation.height = MAX (1, (int) ceil (rect.height * self->zoom));
      gtk_widget_size_allocate (GTK_WIDGET (item), &allocation, -1);
    }
}

static void
td_flow_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TdFlowView       *self = TD_FLOW_VIEW (widget);
  int               width = gtk_widget_get_width (widget);
  int               height = gtk_widget_get_height (widget);
  TdFlowRenderState state;
  cairo_t          *cr;

  if (self->layout == NULL || width <= 0 || height <= 0)
    return;

  td_flow_render_state_init (&state);
  state.node_on_path = (const gboolean *) self->node_on_path->data;
  state.edge_on_path = (const gboolean *) self->edge_on_path->data;
  state.badges = (char *const *) self->badges->pdata;
  state.badge_alert = (const gboolean *) self->badge_alert->data;
  state.current_node = self->current_node;
  state.selected_node = self->selected_node;
  state.focus_node = focused_item (self, TRUE);
  state.focus_edge = focused_item (self, FALSE);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_translate (cr, self->pan_x, self->pan_y);
  cairo_scale (cr, self->zoom, self->zoom);
  td_flow_render (cr, self->layout, self->text, &self->palette, &state);
  cairo_destroy (cr);
}

/* The view itself is not a stop in the focus chain; its first box is. */
static gboolean
td_flow_view_grab_focus (GtkWidget *widget)
{
  TdFlowView *self = TD_FLOW_VIEW (widget);

  if (self->items->len == 0)
    return FALSE;
  return gtk_widget_grab_focus (g_ptr_array_index (self->items, 0));
}

static void
td_flow_view_dispose (GObject *object)
{
  TdFlowView *self = TD_FLOW_VIEW (object);

  clear_items (self);
  g_clear_object (&self->layout);
  g_clear_handle_id (&self->notify_zoom_id, g_source_remove);

  G_OBJECT_CLASS (td_flow_view_parent_class)->dispose (object);
}

static void
td_flow_view_finalize (GObject *object)
{
  TdFlowView *self = TD_FLOW_VIEW (object);

  g_clear_pointer (&self->text, td_flow_text_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->node_on_path, g_array_unref);
  g_clear_pointer (&self->edge_on_path, g_array_unref);
  g_clear_pointer (&self->badge_alert, g_array_unref);
  g_clear_pointer (&self->badges, g_ptr_array_unref);
  g_clear_pointer (&self->path_ids, g_strfreev);

  G_OBJECT_CLASS (td_flow_view_parent_class)->finalize (object);
}

static void
td_flow_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TdFlowView *self = TD_FLOW_VIEW (object);

  switch (prop_id)
    {
      case PROP_ZOOM:
        g_value_set_double (value, self->zoom);
        break;
      case PROP_SELECTED_NODE:
        g_value_set_string (value, td_flow_view_get_selected_node (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Class and instance init */

static void
td_flow_view_class_init (TdFlowViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_flow_view_dispose;
  object_class->finalize = td_flow_view_finalize;
  object_class->get_property = td_flow_view_get_property;
  widget_class->measure = td_flow_view_measure;
  widget_class->size_allocate = td_flow_view_size_allocate;
  widget_class->snapshot = td_flow_view_snapshot;
  widget_class->grab_focus = td_flow_view_grab_focus;

  properties[PROP_ZOOM]
      = g_param_spec_double ("zoom", NULL, NULL, ZOOM_MIN, ZOOM_MAX, 1.0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_NODE]
      = g_param_spec_string ("selected-node", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A box chosen by click, Enter or Space. */
  signals[NODE_ACTIVATED]
      = g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "flow.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "flow.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "flow.fit", NULL, fit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "flow.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "flow.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "flow.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "flow.zoom-in",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "flow.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "flow.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "flow.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "flow.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "flow.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "flow.fit", NULL);

  gtk_widget_class_set_css_name (widget_class, "flowview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
td_flow_view_init (TdFlowView *self)
{
  GtkWidget          *widget = GTK_WIDGET (self);
  GtkGesture         *click = gtk_gesture_click_new ();
  GtkGesture         *drag = gtk_gesture_drag_new ();
  GtkGesture         *zoom = gtk_gesture_zoom_new ();
  GtkEventController *scroll
      = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  PangoContext       *context = gtk_widget_get_pango_context (widget);

  self->zoom = 1.0;
  self->fit_pending = TRUE;
  self->current_node = -1;
  self->selected_node = -1;
  self->items = g_ptr_array_new ();
  self->node_on_path = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->edge_on_path = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->badge_alert = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->badges = g_ptr_array_new_with_free_func (g_free);
  /* The interface font, so the chart reads like the rest of the window. */
  self->text = td_flow_text_new (pango_context_get_font_description (context));

  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (widget, "grab");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Escalation flowchart"), -1);

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_changed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (zoom));
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, scroll);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (widget, motion);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_palette), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (update_palette), self, G_CONNECT_SWAPPED);
  update_palette (self);
}

/* Public API */

GtkWidget *
td_flow_view_new (void)
{
  return g_object_new (TD_TYPE_FLOW_VIEW, NULL);
}

void
td_flow_view_set_policy (TdFlowView *self, TdPolicy *policy)
{
  g_return_if_fail (TD_IS_FLOW_VIEW (self));
  g_return_if_fail (policy == NULL || TD_IS_POLICY (policy));

  clear_items (self);
  g_clear_object (&self->layout);
  self->selected_node = -1;
  /* The interface font, so the chart reads like the rest of the window. */
  g_clear_pointer (&self->text, td_flow_text_free);
  self->text = td_flow_text_new (
      pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self))));
  if (policy != NULL)
    {
      self->layout = td_flow_layout_new (policy, td_flow_text_measure, self->text);
      for (guint i = 0; i < td_flow_layout_get_n_nodes (self->layout); i++)
        {
          const TdFlowNode *node = td_flow_layout_get_node (self->layout, i);
          GtkWidget        *item = td_flow_item_new (TRUE, i, node->id, node->description);

          g_ptr_array_add (self->items, item);
        }
      for (guint i = 0; i < td_flow_layout_get_n_edges (self->layout); i++)
        {
          const TdFlowEdge *edge = td_flow_layout_get_edge (self->layout, i);
          GtkWidget        *item = td_flow_item_new (FALSE, i, edge->id, edge->description);

          g_ptr_array_add (self->items, item);
        }
      for (guint i = 0; i < self->items->len; i++)
        {
          GtkWidget *item = g_ptr_array_index (self->items, i);

          gtk_widget_set_parent (item, GTK_WIDGET (self));
          g_signal_connect_object (item, "notify::has-focus", G_CALLBACK (on_item_focus), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (item, "activate", G_CALLBACK (on_item_activate), self, 0);
        }
    }
  reset_path (self);
  self->fit_pending = TRUE;
  self->user_moved = FALSE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
}

TdFlowLayout *
td_flow_view_get_layout (TdFlowView *self)
{
  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), NULL);
  return self->layout;
}

void
td_flow_view_set_path (TdFlowView        *self,
                       const char *const *node_ids,
                       const char *const *edge_ids,
                       const char        *current_node)
{
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();

  g_return_if_fail (TD_IS_FLOW_VIEW (self));

  reset_path (self);
  if (self->layout == NULL)
    return;
  for (guint i = 0; node_ids != NULL && node_ids[i] != NULL; i++)
    {
      int index = td_flow_layout_find_node (self->layout, node_ids[i]);

      if (index >= 0)
        {
          g_array_index (self->node_on_path, gboolean, index) = TRUE;
          g_strv_builder_add (ids, node_ids[i]);
        }
    }
  for (guint i = 0; edge_ids != NULL && edge_ids[i] != NULL; i++)
    {
      int index = td_flow_layout_find_edge (self->layout, edge_ids[i]);

      if (index >= 0)
        {
          g_array_index (self->edge_on_path, gboolean, index) = TRUE;
          g_strv_builder_add (ids, edge_ids[i]);
        }
    }
  self->path_ids = g_strv_builder_end (ids);
  self->current_node
      = current_node != NULL ? td_flow_layout_find_node (self->layout, current_node) : -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
td_flow_view_set_badge (TdFlowView *self, const char *node_id, const char *text, gboolean alert)
{
  int index;

  g_return_if_fail (TD_IS_FLOW_VIEW (self));

  if (self->layout == NULL || (index = td_flow_layout_find_node (self->layout, node_id)) < 0)
    return;
  g_free (g_ptr_array_index (self->badges, index));
  g_ptr_array_index (self->badges, index) = g_strdup (text);
  g_array_index (self->badge_alert, gboolean, index) = alert;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
td_flow_view_clear_path (TdFlowView *self)
{
  g_return_if_fail (TD_IS_FLOW_VIEW (self));
  reset_path (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

char **
td_flow_view_get_highlighted_path (TdFlowView *self)
{
  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), NULL);
  return self->path_ids != NULL ? g_strdupv (self->path_ids) : g_new0 (char *, 1);
}

const char *
td_flow_view_get_current_node (TdFlowView *self)
{
  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), NULL);
  if (self->layout == NULL || self->current_node < 0)
    return NULL;
  return td_flow_layout_get_node (self->layout, self->current_node)->id;
}

const char *
td_flow_view_get_badge (TdFlowView *self, const char *node_id)
{
  int index;

  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), NULL);
  if (self->layout == NULL || (index = td_flow_layout_find_node (self->layout, node_id)) < 0)
    return NULL;
  return g_ptr_array_index (self->badges, index);
}

void
td_flow_view_select_node (TdFlowView *self, const char *node_id)
{
  g_return_if_fail (TD_IS_FLOW_VIEW (self));
  select_index (self, self->layout != NULL && node_id != NULL
                          ? td_flow_layout_find_node (self->layout, node_id)
                          : -1);
}

const char *
td_flow_view_get_selected_node (TdFlowView *self)
{
  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), NULL);
  if (self->layout == NULL || self->selected_node < 0)
    return NULL;
  return td_flow_layout_get_node (self->layout, self->selected_node)->id;
}

GPtrArray *
td_flow_view_get_items (TdFlowView *self)
{
  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), NULL);
  return self->items;
}

double
td_flow_view_get_zoom (TdFlowView *self)
{
  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), 1.0);
  return self->zoom;
}

void
td_flow_view_zoom_in (TdFlowView *self)
{
  g_return_if_fail (TD_IS_FLOW_VIEW (self));
  set_zoom_at (self, self->zoom * ZOOM_STEP, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
td_flow_view_zoom_out (TdFlowView *self)
{
  g_return_if_fail (TD_IS_FLOW_VIEW (self));
  set_zoom_at (self, self->zoom / ZOOM_STEP, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
td_flow_view_fit (TdFlowView *self)
{
  g_return_if_fail (TD_IS_FLOW_VIEW (self));
  fit (self, TRUE);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
td_flow_view_export (TdFlowView *self, TdFlowExportFormat format, const char *path, GError **error)
{
  TdFlowRenderState state;

  g_return_val_if_fail (TD_IS_FLOW_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->layout == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _ ("There is no chart to save: the support model is not loaded"));
      return FALSE;
    }
  /* What is on screen, ticket and all, but no focus ring. */
  td_flow_render_state_init (&state);
  state.node_on_path = (const gboolean *) self->node_on_path->data;
  state.edge_on_path = (const gboolean *) self->edge_on_path->data;
  state.badges = (char *const *) self->badges->pdata;
  state.badge_alert = (const gboolean *) self->badge_alert->data;
  state.current_node = self->current_node;
  return td_flow_render_export (self->layout, self->text, &self->palette, &state, format, 2.0, path,
                                error);
}
