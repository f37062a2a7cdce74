/* td-trend-chart.h — a small weekly trend line with its target, drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TD_TYPE_TREND_CHART (td_trend_chart_get_type ())
G_DECLARE_FINAL_TYPE (TdTrendChart, td_trend_chart, TD, TREND_CHART, GtkWidget)

GtkWidget *td_trend_chart_new (void);
/* One value per week, oldest first; NAN for a week without data. @passed
 * marks the weeks that met the target (drawn as filled points, misses as
 * rings, so the chart does not rely on colour). @description is what a
 * screen reader says instead of the picture. */
void  td_trend_chart_set_points (TdTrendChart   *self,
                                 const double   *values,
                                 const gboolean *passed,
                                 guint           n_values,
                                 double          target,
                                 const char     *description);
guint td_trend_chart_get_n_points (TdTrendChart *self);

G_END_DECLS
