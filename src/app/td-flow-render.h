/* td-flow-render.h — drawing the flowchart with cairo, the same for the screen, PNG and SVG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>
#include <pango/pango.h>

#include "td-flow-layout.h"

G_BEGIN_DECLS

/* Colours of the chart, after libadwaita's named colours. */
typedef struct
{
  GdkRGBA background;
  GdkRGBA card;
  GdkRGBA border;
  GdkRGBA foreground;
  GdkRGBA dim;
  GdkRGBA line;
  GdkRGBA accent;    /* text and lines in the accent colour */
  GdkRGBA accent_bg; /* filled accent */
  GdkRGBA accent_fg;
  GdkRGBA success;
  GdkRGBA urgent; /* SEV-1 direct and paths from any tier */
  GdkRGBA urgent_bg;
} TdFlowPalette;

/* What a ticket adds to the plain chart: its path, where it is now, and a
 * badge per node ("2 h 10 min", "45 min left"). Arrays are indexed like
 * the layout's nodes and edges, and may be NULL. */
typedef struct
{
  const gboolean *node_on_path;
  const gboolean *edge_on_path;
  char *const    *badges;
  const gboolean *badge_alert;
  int             current_node;
  int             selected_node;
  int             focus_node; /* -1 in exports: a focus ring is not part of the chart */
  int             focus_edge;
} TdFlowRenderState;

typedef enum
{
  TD_FLOW_EXPORT_PNG,
  TD_FLOW_EXPORT_SVG,
} TdFlowExportFormat;

/* The fonts and the Pango context text is measured and drawn with, so what
 * the layout measured is what is drawn, at any zoom and on any surface. */
typedef struct _TdFlowText TdFlowText;

TdFlowText *td_flow_text_new (const PangoFontDescription *base);
void        td_flow_text_free (TdFlowText *text);
/* A TdFlowMeasureFunc; @user_data is the TdFlowText. */
void td_flow_text_measure (const char     *text,
                           TdFlowTextStyle style,
                           double         *width,
                           double         *height,
                           gpointer        user_data);

void td_flow_palette_init (TdFlowPalette *palette, gboolean dark, gboolean high_contrast);
void td_flow_render_state_init (TdFlowRenderState *state);
/* Draws the chart in layout units (pixels at zoom 1) from (0, 0). */
void td_flow_render (cairo_t                 *cr,
                     TdFlowLayout            *layout,
                     TdFlowText              *text,
                     const TdFlowPalette     *palette,
                     const TdFlowRenderState *state);
/* The whole chart, background included, at @scale (PNG) or in points (SVG). */
gboolean td_flow_render_export (TdFlowLayout            *layout,
                                TdFlowText              *text,
                                const TdFlowPalette     *palette,
                                const TdFlowRenderState *state,
                                TdFlowExportFormat       format,
                                double                   scale,
                                const char              *path,
                                GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdFlowText, td_flow_text_free)

G_END_DECLS
