/* td-flow-render.c — drawing the flowchart with cairo, the same for the screen, PNG and SVG
 *
 * One function draws the chart. TdFlowView calls it from snapshot() through
 * gtk_snapshot_append_cairo(), and the export calls it on an image or SVG
 * surface, so a saved chart is exactly what the lead saw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-svg.h>
#include <math.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "td-flow-render.h"

struct _TdFlowText
{
  PangoContext         *context;
  PangoFontDescription *fonts[3]; /* by TdFlowTextStyle */
};

#define ARROW_LENGTH 10.0
#define ARROW_WIDTH  5.0
#define BADGE_PAD_X  8.0
#define BADGE_PAD_Y  2.0

/* Helpers */

static void
set_color (cairo_t *cr, const GdkRGBA *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
set_color_alpha (cairo_t *cr, const GdkRGBA *color, double alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double width, double height, double radius)
{
  radius = MIN (radius, MIN (width, height) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static PangoLayout *
make_layout (TdFlowText *text, TdFlowTextStyle style, const char *string)
{
  PangoLayout *layout = pango_layout_new (text->context);

  pango_layout_set_font_description (layout, text->fonts[style]);
  pango_layout_set_text (layout, string, -1);
  return layout;
}

static void
draw_text (cairo_t *cr, TdFlowText *text, const TdFlowLine *line, double x, double y)
{
  g_autoptr (PangoLayout) layout = make_layout (text, line->style, line->text);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static double
node_radius (const TdFlowNode *node)
{
  switch (node->kind)
    {
      case TD_FLOW_NODE_START:
      case TD_FLOW_NODE_OUTCOME:
        return node->box.height / 2; /* a pill: where the flow starts or ends */
      case TD_FLOW_NODE_TIER:
        return 12;
      case TD_FLOW_NODE_ANY:
      case TD_FLOW_NODE_SCENARIO:
      default:
        return 8;
    }
}

static void
draw_lines (cairo_t             *cr,
            TdFlowText          *text,
            const TdFlowPalette *palette,
            GPtrArray           *lines,
            double               x,
            double               y,
            const GdkRGBA       *title_color)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const TdFlowLine *line = g_ptr_array_index (lines, i);

      if (i > 0)
        y += td_flow_line_spacing (g_ptr_array_index (lines, i - 1), line);
      if (line->style == TD_FLOW_TEXT_TITLE)
        set_color (cr, title_color);
      else if (line->style == TD_FLOW_TEXT_CAPTION)
        set_color (cr, &palette->dim);
      else
        set_color (cr, &palette->foreground);
      draw_text (cr, text, line, x, y);
      y += line->height;
    }
}

static void
draw_badge (cairo_t             *cr,
            TdFlowText          *text,
            const TdFlowPalette *palette,
            const TdFlowNode    *node,
            const char          *badge,
            gboolean             current,
            gboolean             alert)
{
  g_autoptr (PangoLayout) layout = make_layout (text, TD_FLOW_TEXT_CAPTION, badge);
  const TdFlowLine *title = g_ptr_array_index (node->lines, 0);
  int               width, height;
  double            x, y, w, h;

  pango_layout_get_pixel_size (layout, &width, &height);
  w = width + 2 * BADGE_PAD_X;
  h = height + 2 * BADGE_PAD_Y;
  x = node->box.x + node->box.width - TD_FLOW_PAD_X - w + BADGE_PAD_X / 2;
  y = node->box.y + TD_FLOW_PAD_Y + (title->height - h) / 2;
  rounded_rect (cr, x, y, w, h, h / 2);
  if (alert)
    set_color (cr, &palette->urgent_bg);
  else if (current)
    set_color (cr, &palette->accent_bg);
  else
    set_color_alpha (cr, &palette->foreground, 0.1);
  cairo_fill (cr);
  if (alert || current)
    set_color (cr, &palette->accent_fg);
  else
    set_color (cr, &palette->foreground);
  cairo_move_to (cr, x + BADGE_PAD_X, y + BADGE_PAD_Y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_node (cairo_t                 *cr,
           TdFlowText              *text,
           const TdFlowPalette     *palette,
           const TdFlowRenderState *state,
           const TdFlowNode        *node,
           guint                    index)
{
  const TdFlowRect *box = &node->box;
  gboolean          on_path = state->node_on_path != NULL && state->node_on_path[index];
  gboolean          current = state->current_node == (int) index;
  gboolean          selected = state->selected_node == (int) index;
  double            radius = node_radius (node);
  const GdkRGBA    *title_color = &palette->foreground;

  /* The card */
  rounded_rect (cr, box->x, box->y, box->width, box->height, radius);
  set_color (cr, &palette->card);
  cairo_fill_preserve (cr);
  if (node->kind == TD_FLOW_NODE_OUTCOME)
    {
      set_color_alpha (cr, &palette->success, 0.12);
      cairo_fill_preserve (cr);
    }
  if (on_path || current)
    {
      set_color_alpha (cr, &palette->accent_bg, current ? 0.22 : 0.12);
      cairo_fill_preserve (cr);
    }
  cairo_save (cr);
  if (node->kind == TD_FLOW_NODE_ANY)
    cairo_set_dash (cr, (const double[]){ 6, 4 }, 2, 0);
  if (current || on_path || selected)
    {
      set_color (cr, &palette->accent);
      cairo_set_line_width (cr, current || selected ? 3 : 2);
    }
  else
    {
      set_color (cr, node->kind == TD_FLOW_NODE_OUTCOME ? &palette->success
                     : node->kind == TD_FLOW_NODE_ANY   ? &palette->urgent
                                                        : &palette->border);
      cairo_set_line_width (cr, 1);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  /* The text, left-aligned in boxes, centred in pills. */
  if (node->kind == TD_FLOW_NODE_ANY)
    title_color = &palette->urgent;
  if (node->kind == TD_FLOW_NODE_START || node->kind == TD_FLOW_NODE_OUTCOME)
    {
      const TdFlowLine *line = g_ptr_array_index (node->lines, 0);

      set_color (cr, &palette->foreground);
      draw_text (cr, text, line, box->x + (box->width - line->width) / 2,
                 box->y + (box->height - line->height) / 2);
    }
  else
    draw_lines (cr, text, palette, node->lines, box->x + TD_FLOW_PAD_X, box->y + TD_FLOW_PAD_Y,
                title_color);

  if (state->badges != NULL && state->badges[index] != NULL && node->badge_width > 0)
    draw_badge (cr, text, palette, node, state->badges[index], current,
                state->badge_alert != NULL && state->badge_alert[index]);

  /* A focus ring like libadwaita's: outside the shape, in the accent. */
  if (state->focus_node == (int) index)
    {
      rounded_rect (cr, box->x - 4, box->y - 4, box->width + 8, box->height + 8, radius + 4);
      set_color_alpha (cr, &palette->accent, 0.6);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
}

static const GdkRGBA *
edge_color (const TdFlowPalette *palette, const TdFlowEdge *edge)
{
  switch (edge->kind)
    {
      case TD_FLOW_EDGE_RESTRICTED:
      case TD_FLOW_EDGE_ANY_TIER:
        return &palette->urgent;
      case TD_FLOW_EDGE_OUTCOME:
        return &palette->success;
      case TD_FLOW_EDGE_ENTRY:
      case TD_FLOW_EDGE_NORMAL:
      case TD_FLOW_EDGE_ENGAGE:
      default:
        return &palette->line;
    }
}

/* The box an edge's focus ring goes round: its label, or its route. */
static TdFlowRect
edge_focus_box (const TdFlowEdge *edge)
{
  TdFlowRect box;
  double     x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (edge->lines->len > 0)
    return edge->label_box;
  for (guint i = 0; i < edge->points->len; i++)
    {
      const TdFlowPoint *point = &g_array_index (edge->points, TdFlowPoint, i);

      x0 = MIN (x0, point->x);
      y0 = MIN (y0, point->y);
      x1 = MAX (x1, point->x);
      y1 = MAX (y1, point->y);
    }
  box.x = x0 - 4;
  box.y = y0 - 4;
  box.width = x1 - x0 + 8;
  box.height = y1 - y0 + 8;
  return box;
}

static void
draw_edge_line (cairo_t                 *cr,
                const TdFlowPalette     *palette,
                const TdFlowRenderState *state,
                const TdFlowEdge        *edge,
                guint                    index)
{
  gboolean           on_path = state->edge_on_path != NULL && state->edge_on_path[index];
  const TdFlowPoint *end, *before;
  double             dx, dy, length;

  if (edge->points->len < 2)
    return;
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (on_path)
    {
      set_color (cr, &palette->accent);
      cairo_set_line_width (cr, 3.5);
    }
  else
    {
      set_color (cr, edge_color (palette, edge));
      cairo_set_line_width (cr, edge->kind == TD_FLOW_EDGE_RESTRICTED ? 2 : 1.5);
      if (edge->kind == TD_FLOW_EDGE_ANY_TIER)
        cairo_set_dash (cr, (const double[]){ 6, 4 }, 2, 0);
    }

  /* Stop short of the target so the line does not poke through the head. */
  end = &g_array_index (edge->points, TdFlowPoint, edge->points->len - 1);
  before = &g_array_index (edge->points, TdFlowPoint, edge->points->len - 2);
  dx = end->x - before->x;
  dy = end->y - before->y;
  length = MAX (sqrt (dx * dx + dy * dy), 0.001);
  dx /= length;
  dy /= length;
  for (guint i = 0; i < edge->points->len; i++)
    {
      const TdFlowPoint *point = &g_array_index (edge->points, TdFlowPoint, i);

      if (i == 0)
        cairo_move_to (cr, point->x, point->y);
      else if (i + 1 == edge->points->len)
        cairo_line_to (cr, point->x - dx * ARROW_LENGTH * 0.8, point->y - dy * ARROW_LENGTH * 0.8);
      else
        cairo_line_to (cr, point->x, point->y);
    }
  cairo_stroke (cr);

  cairo_set_dash (cr, NULL, 0, 0);
  cairo_move_to (cr, end->x, end->y);
  cairo_line_to (cr, end->x - dx * ARROW_LENGTH - dy * ARROW_WIDTH,
                 end->y - dy * ARROW_LENGTH + dx * ARROW_WIDTH);
  cairo_line_to (cr, end->x - dx * ARROW_LENGTH + dy * ARROW_WIDTH,
                 end->y - dy * ARROW_LENGTH - dx * ARROW_WIDTH);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_edge_label (cairo_t                 *cr,
                 TdFlowText              *text,
                 const TdFlowPalette     *palette,
                 const TdFlowRenderState *state,
                 const TdFlowEdge        *edge,
                 guint                    index)
{
  gboolean on_path = state->edge_on_path != NULL && state->edge_on_path[index];

  if (edge->lines->len > 0)
    {
      const TdFlowRect *box = &edge->label_box;

      /* Lines that pass behind a label must not cut through its words. */
      rounded_rect (cr, box->x - 4, box->y - 2, box->width + 8, box->height + 4, 4);
      set_color (cr, &palette->background);
      cairo_fill (cr);
      draw_lines (cr, text, palette, edge->lines, box->x, box->y,
                  on_path ? &palette->accent : edge_color (palette, edge));
    }
  if (state->focus_edge == (int) index)
    {
      TdFlowRect box = edge_focus_box (edge);

      rounded_rect (cr, box.x - 4, box.y - 4, box.width + 8, box.height + 8, 6);
      set_color_alpha (cr, &palette->accent, 0.6);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
}

static void
parse_color (GdkRGBA *color, const char *spec)
{
  gboolean parsed = gdk_rgba_parse (color, spec);

  g_assert (parsed);
}

/* Public API */

TdFlowText *
td_flow_text_new (const PangoFontDescription *base)
{
  TdFlowText           *text = g_new0 (TdFlowText, 1);
  cairo_font_options_t *options = cairo_font_options_create ();
  int                   size = pango_font_description_get_size (base);

  if (size <= 0)
    size = 11 * PANGO_SCALE;
  /* Unhinted metrics scale with the zoom: a label measured at zoom 1 fits
   * its box at any zoom, and on the export surfaces. */
  text->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (text->context, options);
  pango_cairo_context_set_resolution (text->context, 96);
  pango_context_set_round_glyph_positions (text->context, FALSE);
  cairo_font_options_destroy (options);

  for (int style = 0; style < 3; style++)
    {
      text->fonts[style] = pango_font_description_copy (base);
      pango_font_description_set_size (text->fonts[style], size);
    }
  pango_font_description_set_weight (text->fonts[TD_FLOW_TEXT_TITLE], PANGO_WEIGHT_BOLD);
  pango_font_description_set_size (text->fonts[TD_FLOW_TEXT_CAPTION], size * 9 / 10);
  return text;
}

void
td_flow_text_free (TdFlowText *text)
{
  if (text == NULL)
    return;
  g_object_unref (text->context);
  for (int style = 0; style < 3; style++)
    pango_font_description_free (text->fonts[style]);
  g_free (text);
}

void
td_flow_text_measure (const char     *string,
                      TdFlowTextStyle style,
                      double         *width,
                      double         *height,
                      gpointer        user_data)
{
  TdFlowText *text = user_data;
  g_autoptr (PangoLayout) layout = NULL;
  PangoRectangle logical;

  g_return_if_fail (text != NULL);

  layout = make_layout (text, style, string);
  pango_layout_get_extents (layout, NULL, &logical);
  *width = ceil ((double) logical.width / PANGO_SCALE);
  *height = ceil ((double) logical.height / PANGO_SCALE);
}

void
td_flow_palette_init (TdFlowPalette *palette, gboolean dark, gboolean high_contrast)
{
  g_return_if_fail (palette != NULL);

  /* libadwaita 1.2's named colours (window_bg, card_bg, accent, success,
   * error): the chart sits on the page like a set of cards. */
  if (dark)
    {
      parse_color (&palette->background, "#242424");
      parse_color (&palette->card, "#363636");
      parse_color (&palette->border,
                   high_contrast ? "rgba(255,255,255,0.6)" : "rgba(255,255,255,0.18)");
      parse_color (&palette->foreground, "#ffffff");
      parse_color (&palette->dim,
                   high_contrast ? "rgba(255,255,255,0.9)" : "rgba(255,255,255,0.7)");
      parse_color (&palette->line,
                   high_contrast ? "rgba(255,255,255,0.9)" : "rgba(255,255,255,0.6)");
      parse_color (&palette->accent, "#78aeed");
      parse_color (&palette->accent_bg, "#3584e4");
      parse_color (&palette->accent_fg, "#ffffff");
      parse_color (&palette->success, "#8ff0a4");
      parse_color (&palette->urgent, "#ff7b63");
      parse_color (&palette->urgent_bg, "#c01c28");
    }
  else
    {
      parse_color (&palette->background, "#fafafa");
      parse_color (&palette->card, "#ffffff");
      parse_color (&palette->border, high_contrast ? "rgba(0,0,0,0.6)" : "rgba(0,0,0,0.18)");
      parse_color (&palette->foreground, "rgba(0,0,0,0.8)");
      parse_color (&palette->dim, high_contrast ? "rgba(0,0,0,0.8)" : "rgba(0,0,0,0.6)");
      parse_color (&palette->line, high_contrast ? "rgba(0,0,0,0.8)" : "rgba(0,0,0,0.5)");
      parse_color (&palette->accent, "#1c71d8");
      parse_color (&palette->accent_bg, "#3584e4");
      parse_color (&palette->accent_fg, "#ffffff");
      parse_color (&palette->success, "#1b8553");
      parse_color (&palette->urgent, "#c01c28");
      parse_color (&palette->urgent_bg, "#e01b24");
    }
}

void
td_flow_render_state_init (TdFlowRenderState *state)
{
  g_return_if_fail (state != NULL);

  *state = (TdFlowRenderState){ 0 };
  state->current_node = -1;
  state->selected_node = -1;
  state->focus_node = -1;
  state->focus_edge = -1;
}

void
td_flow_render (cairo_t                 *cr,
                TdFlowLayout            *layout,
                TdFlowText              *text,
                const TdFlowPalette     *palette,
                const TdFlowRenderState *state)
{
  guint n_edges, n_nodes;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (TD_IS_FLOW_LAYOUT (layout));
  g_return_if_fail (text != NULL && palette != NULL && state != NULL);

  n_edges = td_flow_layout_get_n_edges (layout);
  n_nodes = td_flow_layout_get_n_nodes (layout);

  /* Lines first, then the boxes over their ends, then the labels on top;
   * the ticket's path last of the lines so nothing covers it. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n_edges; i++)
      {
        gboolean on_path = state->edge_on_path != NULL && state->edge_on_path[i];

        if (on_path == (pass == 1))
          draw_edge_line (cr, palette, state, td_flow_layout_get_edge (layout, i), i);
      }
  for (guint i = 0; i < n_nodes; i++)
    draw_node (cr, text, palette, state, td_flow_layout_get_node (layout, i), i);
  for (guint i = 0; i < n_edges; i++)
    draw_edge_label (cr, text, palette, state, td_flow_layout_get_edge (layout, i), i);
}

gboolean
td_flow_render_export (TdFlowLayout            *layout,
                       TdFlowText              *text,
                       const TdFlowPalette     *palette,
                       const TdFlowRenderState *state,
                       TdFlowExportFormat       format,
                       double                   scale,
                       const char              *path,
                       GError                 **error)
{
  double           width, height;
  cairo_surface_t *surface;
  cairo_t         *cr;
  cairo_status_t   status;

  g_return_val_if_fail (TD_IS_FLOW_LAYOUT (layout), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  width = td_flow_layout_get_width (layout);
  height = td_flow_layout_get_height (layout);
  if (format == TD_FLOW_EXPORT_SVG)
    surface = cairo_svg_surface_create (path, width, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                          (int) ceil (height * scale));
  cr = cairo_create (surface);
  if (format == TD_FLOW_EXPORT_PNG)
    cairo_scale (cr, scale, scale);
  set_color (cr, &palette->background);
  cairo_paint (cr);
  td_flow_render (cr, layout, text, palette, state);
  cairo_destroy (cr);

  if (format == TD_FLOW_EXPORT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not save the chart to “%s”: %s"),
                   name, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
