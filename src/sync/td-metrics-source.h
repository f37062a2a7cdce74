/* td-metrics-source.h — the metrics' input (td-metrics.h) read from the client cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-cache.h"
#include "td-metrics.h"

G_BEGIN_DECLS

#define TD_TYPE_METRICS_SOURCE (td_metrics_source_get_type ())
G_DECLARE_FINAL_TYPE (TdMetricsSource, td_metrics_source, TD, METRICS_SOURCE, GObject)

/* Reads every ticket and its history from the cache at @path on a
 * read-only connection of its own, so it may run on a worker thread while
 * the sync engine writes. @policy names the ticket fields that count as
 * documentation. */
TdMetricsSource *td_metrics_source_load (const char *path, TdPolicy *policy, GError **error);

/* Borrowed until the source is freed. */
const TdMetricsInput *td_metrics_source_get_input (TdMetricsSource *self);

G_END_DECLS
