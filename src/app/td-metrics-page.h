/* td-metrics-page.h — the Metrics page: each tier's figures against its targets [10.1, 10.2]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-metrics.h"
#include "td-session.h"

G_BEGIN_DECLS

typedef enum
{
  TD_METRICS_PERIOD_7_DAYS,
  TD_METRICS_PERIOD_30_DAYS,
  TD_METRICS_PERIOD_90_DAYS,
  TD_METRICS_PERIOD_QUARTER,
} TdMetricsPeriod;

#define TD_TYPE_METRICS_PAGE (td_metrics_page_get_type ())
G_DECLARE_FINAL_TYPE (TdMetricsPage, td_metrics_page, TD, METRICS_PAGE, GtkWidget)

void td_metrics_page_set_session (TdMetricsPage *self, TdSession *session);
/* (nullable) The results shown (TdMetricResult), once the cache is read. */
GArray *td_metrics_page_get_results (TdMetricsPage *self);
/* The period shown: [*@from, *@to). */
void td_metrics_page_get_period (TdMetricsPage *self, TdInstant *from, TdInstant *to);
/* How many times the figures were computed: a test waits for it to grow. */
guint td_metrics_page_get_generation (TdMetricsPage *self);
/* The shown figures and their weeks as CSV (td_metrics_to_csv ()). */
gboolean td_metrics_page_write_csv (TdMetricsPage *self, GFile *file, GError **error);

G_END_DECLS
