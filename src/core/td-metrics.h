/* td-metrics.h — tier metrics [10.1] and quality standards [10.2] from ticket history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-pir.h"
#include "td-policy.h"

G_BEGIN_DECLS

/* One entry of a ticket's history, oldest first. A move is an escalation
 * (or a ticket sent back down): the ticket_event rows of kind "escalate"
 * with data.from_tier and data.to_tier. Every other event (status, assign,
 * comment, update) is activity, which answers a ticket that reached a tier. */
typedef struct
{
  TdInstant at;
  gboolean  is_move;
  int       from_tier;
  int       to_tier;
} TdMetricsEvent;

/* Whether a ticket's post-incident review was held, from its pir row
 * (td_metrics_pir_status ()). A ticket without one is
 * TD_METRICS_PIR_NONE, which counts as not done. Not td-pir.h's
 * TdPirStatus: that one is the review's own workflow. Ordered: a ticket
 * with several reviews takes the furthest along. */
typedef enum
{
  TD_METRICS_PIR_NONE,
  TD_METRICS_PIR_PENDING,
  TD_METRICS_PIR_COMPLETE,
} TdMetricsPirStatus;

/* One ticket as the metrics need it: the ticket row's facts plus its
 * history. Instants are 0 when they have not happened. */
typedef struct
{
  const char *id;
  const char *severity;
  /* The tier it was opened at (the first move's from_tier, else its tier). */
  int       first_tier;
  TdInstant created_at;
  /* The server's first response: in progress, or an update to the user. */
  TdInstant first_response_at;
  /* Resolved, or closed without a resolution. */
  TdInstant resolved_at;
  /* Ids of the policy's ticket fields that have a value, NULL-terminated. */
  const char *const    *filled_fields;
  TdMetricsPirStatus    pir_status;
  const TdMetricsEvent *events;
  guint                 n_events;
  /* The resolver flagged its issue as not documented yet, and when an
   * article was linked to it (0: not yet): the 24-hour clock of
   * td_knowledge_documentation_clock (). */
  gboolean  new_issue;
  TdInstant documented_at;
} TdMetricsTicket;

/* A performed production change [10.1 Change Success Rate]: a
 * change_record row (td-change.h) that succeeded, failed or was rolled
 * back. */
typedef struct
{
  TdInstant at;
  int       tier;
  gboolean  succeeded;
} TdMetricsChange;

typedef struct
{
  const TdMetricsTicket *tickets;
  guint                  n_tickets;
  const TdMetricsChange *changes;
  guint                  n_changes;
  /* FALSE when the input has no post-incident review records at all (a
   * cache from before they existed): PIR completion is then not measured
   * rather than 0%. */
  gboolean pir_recorded;
} TdMetricsInput;

typedef enum
{
  TD_METRIC_UNIT_DURATION, /* value and target in seconds */
  TD_METRIC_UNIT_PERCENT,  /* 0 … 100 */
  TD_METRIC_UNIT_COUNT,
} TdMetricUnit;

typedef enum
{
  TD_COMPARE_BELOW,    /* "< 15 min" */
  TD_COMPARE_ABOVE,    /* "> 95%" */
  TD_COMPARE_AT_MOST,  /* no ping-pong: at most 0 */
  TD_COMPARE_AT_LEAST, /* documentation complete: at least 100% */
} TdComparison;

typedef enum
{
  TD_METRIC_NO_DATA, /* nothing in the period to measure */
  TD_METRIC_PASS,
  TD_METRIC_FAIL,
  TD_METRIC_NOT_MEASURED, /* the policy names no measure for it */
} TdMetricVerdict;

typedef struct
{
  /* Borrowed from the policy. */
  const char *id;
  const char *name;
  /* 0 for a quality standard, which is about every tier. */
  int          tier;
  TdMeasure    measure;
  TdMetricUnit unit;
  TdComparison comparison;
  double       target;
  double       value;
  /* Samples measured (tickets, escalations, stays at a tier, changes) and,
   * for a percentage, how many of them count; for ping-pong, the bounces. */
  guint           samples;
  guint           hits;
  TdMetricVerdict verdict;
} TdMetricResult;

typedef struct
{
  TdInstant start;
  TdInstant end;
  GArray   *results; /* TdMetricResult */
} TdMetricsWeek;

void td_metrics_week_free (TdMetricsWeek *week);

/* Every metric and quality standard of @policy over [@from, @to): for
 * @tier 0 all of them, else the metrics of that tier and the quality
 * standards over the tickets that were at that tier. Returns a GArray of
 * TdMetricResult in the policy's order, metrics first. */
GArray *td_metrics_compute (TdPolicy             *policy,
                            const TdMetricsInput *input,
                            TdInstant             from,
                            TdInstant             to,
                            int                   tier);

/* The same per week (Monday 00:00 in @zone), clipped to [@from, @to):
 * TdMetricsWeek, oldest first. */
GPtrArray *td_metrics_weekly (TdPolicy             *policy,
                              const TdMetricsInput *input,
                              TdInstant             from,
                              TdInstant             to,
                              int                   tier,
                              GTimeZone            *zone);

/* (nullable) The result for @id in @results. */
const TdMetricResult *td_metrics_find (GArray *results, const char *id);

/* RFC 4180 CSV with a header row: one row per result of @results (the
 * whole period [@from, @to)), then one per result of each week of @weeks
 * (nullable). Instants in ISO 8601 UTC, durations in seconds, percentages
 * 0–100, so a spreadsheet can compute with them. */
char *td_metrics_to_csv (GArray *results, TdInstant from, TdInstant to, GPtrArray *weeks);

/* A review that is scheduled is pending; held, with actions open or closed
 * it has taken place, which is what PIR completion counts. */
TdMetricsPirStatus td_metrics_pir_status (TdPirStatus review_status);

/* "pass", "fail", "no-data", "not-measured": for CSV and JSON. */
const char *td_metric_verdict_to_string (TdMetricVerdict verdict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdMetricsWeek, td_metrics_week_free)

G_END_DECLS
