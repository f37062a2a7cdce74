/* td-trend-chart.c — a small weekly trend line with its target, drawn with cairo
 *
 * The vertical scale always includes the target, so a line far from it
 * still shows which side it is on. Weeks without data leave a gap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "td-trend-chart.h"

#define PAD 6.0

struct _TdTrendChart
{
  GtkWidget parent_instance;

  GArray *values; /* double */
  GArray *passed; /* gboolean */
  double  target;
};

G_DEFINE_FINAL_TYPE (TdTrendChart, td_trend_chart, GTK_TYPE_WIDGET)

static void
get_colors (TdTrendChart *self, GdkRGBA *fg, GdkRGBA *miss)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  /* gtk_widget_get_color () is GTK 4.10; the style context is what 4.8 has. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* libadwaita's error colours (red 3 on light, a lighter red on dark). */
  gdk_rgba_parse (miss, dark ? "#ff7b63" : "#c01c28");
}

static void
td_trend_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TdTrendChart *self = TD_TREND_CHART (widget);
  double        width = gtk_widget_get_width (widget);
  double        height = gtk_widget_get_height (widget);
  double        low = self->target;
  double        high = self->target;
  double        step;
  gboolean      pen_down = FALSE;
  GdkRGBA       fg;
  GdkRGBA       miss;
  cairo_t      *cr;

  if (self->values->len == 0 || width <= 2 * PAD || height <= 2 * PAD)
    return;

  for (guint i = 0; i < self->values->len; i++)
    {
      double value = g_array_index (self->values, double, i);
      if (!isnan (value))
        {
          low = MIN (low, value);
          high = MAX (high, value);
        }
    }
  if (high - low < 1e-9)
    {
      low -= 1;
      high += 1;
    }
  /* Some air above and below. */
  low -= (high - low) * 0.1;
  high += (high - low) * 0.1;

  get_colors (self, &fg, &miss);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  step = self->values->len > 1 ? (width - 2 * PAD) / (self->values->len - 1) : 0;

#define X(i) (self->values->len > 1 ? PAD + (i) *step : width / 2)
#define Y(v) (PAD + (height - 2 * PAD) * (1 - ((v) -low) / (high - low)))

  /* The target: a dashed line across. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.45);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, (double[]){ 4, 3 }, 2, 0);
  cairo_move_to (cr, PAD, round (Y (self->target)) + 0.5);
  cairo_line_to (cr, width - PAD, round (Y (self->target)) + 0.5);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* The line, broken where a week has no data. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.8);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->values->len; i++)
    {
      double value = g_array_index (self->values, double, i);

      if (isnan (value))
        {
          pen_down = FALSE;
          continue;
        }
      if (pen_down)
        cairo_line_to (cr, X (i), Y (value));
      else
        cairo_move_to (cr, X (i), Y (value));
      pen_down = TRUE;
    }
  cairo_stroke (cr);

  /* Points: filled when the week met the target, a red ring when not. */
  for (guint i = 0; i < self->values->len; i++)
    {
      double value = g_array_index (self->values, double, i);

      if (isnan (value))
        continue;
      cairo_new_sub_path (cr);
      if (g_array_index (self->passed, gboolean, i))
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
          cairo_arc (cr, X (i), Y (value), 3, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        {
          gdk_cairo_set_source_rgba (cr, &miss);
          cairo_set_line_width (cr, 2);
          cairo_arc (cr, X (i), Y (value), 3.5, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
    }
#undef X
#undef Y

  cairo_destroy (cr);
}

static void
td_trend_chart_measure (GtkWidget     *widget,
                        GtkOrientation orientation,
                        int            for_size,
                        int           *minimum,
                        int           *natural,
                        int           *minimum_baseline,
                        int           *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 48;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 56;
}

static void
td_trend_chart_finalize (GObject *object)
{
  TdTrendChart *self = TD_TREND_CHART (object);

  g_clear_pointer (&self->values, g_array_unref);
  g_clear_pointer (&self->passed, g_array_unref);

  G_OBJECT_CLASS (td_trend_chart_parent_class)->finalize (object);
}

static void
td_trend_chart_class_init (TdTrendChartClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_trend_chart_finalize;
  widget_class->snapshot = td_trend_chart_snapshot;
  widget_class->measure = td_trend_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "trendchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
td_trend_chart_init (TdTrendChart *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->passed = g_array_new (FALSE, FALSE, sizeof (gboolean));
  /* The chart follows the style: redraw when dark mode toggles. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

GtkWidget *
td_trend_chart_new (void)
{
  return g_object_new (TD_TYPE_TREND_CHART, NULL);
}

void
td_trend_chart_set_points (TdTrendChart   *self,
                           const double   *values,
                           const gboolean *passed,
                           guint           n_values,
                           double          target,
                           const char     *description)
{
  g_return_if_fail (TD_IS_TREND_CHART (self));
  g_return_if_fail (values != NULL || n_values == 0);

  g_array_set_size (self->values, 0);
  g_array_set_size (self->passed, 0);
  g_array_append_vals (self->values, values, n_values);
  g_array_append_vals (self->passed, passed, n_values);
  self->target = target;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description != NULL ? description : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
td_trend_chart_get_n_points (TdTrendChart *self)
{
  g_return_val_if_fail (TD_IS_TREND_CHART (self), 0);

  return self->values->len;
}
