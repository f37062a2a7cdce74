/* td-metrics.c — tier metrics [10.1] and quality standards [10.2] from ticket history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each sample belongs to the period in which it started, so a period's
 * figures do not change once the period is over except for samples still
 * open then:
 *
 * - response: each time a ticket enters the tier (opened there, or
 *   moved to it, up or back down) in the period, the working time on the tier's
 *   calendar (the severity's response calendar when the metric names a
 *   severity) until it was answered: the ticket's first response for a
 *   ticket opened there, else the first event after the move. Not yet
 *   answered: not a sample. The value is the mean.
 * - resolution_time: tickets resolved in the period that were at the tier,
 *   mean working time from creation (severity's resolution calendar).
 * - first_contact_resolution: of the tickets opened at the tier in the
 *   period, the share resolved without a move and without a first response
 *   before the resolution.
 * - escalation_accuracy: of the escalations from the tier in the period,
 *   the share not sent back: the next move out of the tier it reached is
 *   not downwards.
 * - resolution_rate: of the stays at the tier that began in the period and
 *   have ended, the share that ended with the ticket resolved there.
 * - change_success: of the tier's changes in the period, the share that
 *   succeeded.
 * - documentation: of the tickets opened in the period, the share with a
 *   value in every required ticket field of the policy.
 * - ping_pong: bounces (down a tier and back up) of tickets opened in the
 *   period; none is the standard.
 * - pir_completion: of the tickets of the standard's severities resolved in
 *   the period, the share whose review is complete: its pir row is held,
 *   actions_open or closed (the review took place; follow-up actions may
 *   still be open). A review still scheduled, or no pir row, is not
 *   complete. Held after its due time still counts as complete.
 * - knowledge_updates: of the tickets flagged as a new issue and resolved
 *   in the period, the share documented (an article linked) within the
 *   window of the standard (td_knowledge_documentation_clock ()). The clock
 *   is read at the end of the period, with only what happened by then: a
 *   clock still running then is not a sample.
 */
#include "td-metrics.h"

#include <string.h>

#include "td-escalation.h"
#include "td-knowledge.h"
#include "td-time.h"

typedef struct
{
  TdPolicy             *policy;
  const TdMetricsInput *input;
  TdInstant             from;
  TdInstant             to;
  int                   tier;
  /* Required ticket field ids of the policy, NULL-terminated. */
  GPtrArray *required_fields;
} Context;

static gboolean
in_period (const Context *context, TdInstant at)
{
  return at >= context->from && at < context->to;
}

static gboolean
ticket_visited_tier (const TdMetricsTicket *ticket, int tier)
{
  if (ticket->first_tier == tier)
    return TRUE;
  for (guint i = 0; i < ticket->n_events; i++)
    if (ticket->events[i].is_move && ticket->events[i].to_tier == tier)
      return TRUE;
  return FALSE;
}

/* The quality standards with a tier filter look only at tickets that were
 * at that tier. */
static gboolean
ticket_counts (const Context *context, const TdMetricsTicket *ticket)
{
  return context->tier == 0 || ticket_visited_tier (ticket, context->tier);
}

static gboolean
has_move (const TdMetricsTicket *ticket)
{
  for (guint i = 0; i < ticket->n_events; i++)
    if (ticket->events[i].is_move)
      return TRUE;
  return FALSE;
}

static gint64
elapsed (TdCalendar *calendar, TdInstant from, TdInstant to)
{
  if (to <= from)
    return 0;
  if (calendar == NULL)
    return to - from;
  return td_calendar_working_between (calendar, from, to, NULL, 0);
}

static gboolean
severity_matches (const char *wanted, const TdMetricsTicket *ticket)
{
  return wanted == NULL || g_strcmp0 (wanted, ticket->severity) == 0;
}

static TdCalendar *
tier_calendar (TdPolicy *policy, int level)
{
  const TdTier *tier = td_policy_get_tier (policy, level);

  return tier != NULL ? tier->calendar : NULL;
}

static void
measure_response (const Context *context, const TdMetricTarget *metric, TdMetricResult *result)
{
  const TdSeverity *severity = metric->severity != NULL
                                   ? td_policy_get_severity (context->policy, metric->severity)
                                   : NULL;
  TdCalendar       *calendar = severity != NULL && severity->response.calendar != NULL
                                   ? severity->response.calendar
                                   : tier_calendar (context->policy, metric->tier);
  double            total = 0;

  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];

      if (!severity_matches (metric->severity, ticket))
        continue;

      if (ticket->first_tier == metric->tier && in_period (context, ticket->created_at))
        {
          TdInstant answered = ticket->first_response_at;

          /* Escalated on at once, before any reply: the move is its answer. */
          for (guint i = 0; answered == 0 && i < ticket->n_events; i++)
            if (ticket->events[i].is_move)
              answered = ticket->events[i].at;
          if (answered != 0)
            {
              total += elapsed (calendar, ticket->created_at, answered);
              result->samples++;
            }
        }

      for (guint i = 0; i < ticket->n_events; i++)
        {
          const TdMetricsEvent *move = &ticket->events[i];

          if (!move->is_move || move->to_tier != metric->tier || !in_period (context, move->at))
            continue;
          if (i + 1 < ticket->n_events)
            {
              total += elapsed (calendar, move->at, ticket->events[i + 1].at);
              result->samples++;
            }
        }
    }

  if (result->samples > 0)
    result->value = total / result->samples;
}

static void
measure_resolution_time (const Context        *context,
                         const TdMetricTarget *metric,
                         TdMetricResult       *result)
{
  const TdSeverity *severity = metric->severity != NULL
                                   ? td_policy_get_severity (context->policy, metric->severity)
                                   : NULL;
  TdCalendar       *calendar = severity != NULL && severity->resolution.calendar != NULL
                                   ? severity->resolution.calendar
                                   : tier_calendar (context->policy, metric->tier);
  double            total = 0;

  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];

      if (ticket->resolved_at == 0 || !in_period (context, ticket->resolved_at)
          || !severity_matches (metric->severity, ticket)
          || !ticket_visited_tier (ticket, metric->tier))
        continue;
      total += elapsed (calendar, ticket->created_at, ticket->resolved_at);
      result->samples++;
    }

  if (result->samples > 0)
    result->value = total / result->samples;
}

static void
measure_first_contact (const Context *context, const TdMetricTarget *metric, TdMetricResult *result)
{
  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];

      if (ticket->first_tier != metric->tier || !in_period (context, ticket->created_at)
          || !severity_matches (metric->severity, ticket))
        continue;
      result->samples++;
      if (ticket->resolved_at != 0 && !has_move (ticket)
          && (ticket->first_response_at == 0 || ticket->first_response_at >= ticket->resolved_at))
        result->hits++;
    }
}

static void
measure_escalation_accuracy (const Context        *context,
                             const TdMetricTarget *metric,
                             TdMetricResult       *result)
{
  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];

      if (!severity_matches (metric->severity, ticket))
        continue;
      for (guint i = 0; i < ticket->n_events; i++)
        {
          const TdMetricsEvent *move = &ticket->events[i];
          gboolean              sent_back = FALSE;

          if (!move->is_move || move->from_tier != metric->tier || move->to_tier <= move->from_tier
              || !in_period (context, move->at))
            continue;
          for (guint j = i + 1; j < ticket->n_events; j++)
            if (ticket->events[j].is_move)
              {
                sent_back = ticket->events[j].to_tier < move->to_tier;
                break;
              }
          result->samples++;
          if (!sent_back)
            result->hits++;
        }
    }
}

static void
measure_resolution_rate (const Context        *context,
                         const TdMetricTarget *metric,
                         TdMetricResult       *result)
{
  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];
      int                    tier = ticket->first_tier;
      TdInstant              entered = ticket->created_at;

      if (!severity_matches (metric->severity, ticket))
        continue;

      /* Walk the stays: each ends with a move or, for the last, with the
       * resolution (or not yet). */
      for (guint i = 0; i <= ticket->n_events; i++)
        {
          const TdMetricsEvent *move = NULL;

          if (i < ticket->n_events)
            {
              if (!ticket->events[i].is_move)
                continue;
              move = &ticket->events[i];
            }

          if (tier == metric->tier && in_period (context, entered))
            {
              if (move != NULL)
                result->samples++;
              else if (ticket->resolved_at != 0)
                {
                  result->samples++;
                  result->hits++;
                }
            }
          if (move != NULL)
            {
              tier = move->to_tier;
              entered = move->at;
            }
        }
    }
}

static void
measure_change_success (const Context        *context,
                        const TdMetricTarget *metric,
                        TdMetricResult       *result)
{
  for (guint i = 0; i < context->input->n_changes; i++)
    {
      const TdMetricsChange *change = &context->input->changes[i];

      if (change->tier != metric->tier || !in_period (context, change->at))
        continue;
      result->samples++;
      if (change->succeeded)
        result->hits++;
    }
}

static gboolean
documented (const Context *context, const TdMetricsTicket *ticket)
{
  for (guint i = 0; i < context->required_fields->len; i++)
    {
      const char *field = g_ptr_array_index (context->required_fields, i);

      if (ticket->filled_fields == NULL
          || !g_strv_contains ((const char *const *) ticket->filled_fields, field))
        return FALSE;
    }
  return TRUE;
}

static void
measure_documentation (const Context *context, TdMetricResult *result)
{
  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];

      if (!in_period (context, ticket->created_at) || !ticket_counts (context, ticket))
        continue;
      result->samples++;
      if (documented (context, ticket))
        result->hits++;
    }
}

static void
measure_ping_pong (const Context *context, TdMetricResult *result)
{
  g_autoptr (GArray) moves = g_array_new (FALSE, FALSE, sizeof (TdTierMove));

  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];

      if (!in_period (context, ticket->created_at) || !ticket_counts (context, ticket))
        continue;
      g_array_set_size (moves, 0);
      for (guint i = 0; i < ticket->n_events; i++)
        if (ticket->events[i].is_move)
          {
            TdTierMove move
                = { ticket->events[i].from_tier, ticket->events[i].to_tier, ticket->events[i].at };
            g_array_append_val (moves, move);
          }
      result->samples++;
      result->hits += td_escalation_count_ping_pong ((const TdTierMove *) moves->data, moves->len);
    }
  result->value = result->hits;
}

static gboolean
needs_pir (const Context *context, const TdQualityStandard *standard, const char *severity)
{
  if (severity == NULL)
    return FALSE;
  /* The loader gives an empty list when the standard names none. */
  if (standard->severities != NULL && standard->severities[0] != NULL)
    return g_strv_contains ((const char *const *) standard->severities, severity);
  return td_escalation_pir_required (context->policy, severity);
}

static void
measure_pir (const Context *context, const TdQualityStandard *standard, TdMetricResult *result)
{
  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];

      if (ticket->resolved_at == 0 || !in_period (context, ticket->resolved_at)
          || !needs_pir (context, standard, ticket->severity) || !ticket_counts (context, ticket))
        continue;
      result->samples++;
      if (ticket->pir_status == TD_METRICS_PIR_COMPLETE)
        result->hits++;
    }
}

static void
measure_knowledge_updates (const Context *context, TdMetricResult *result)
{
  for (guint t = 0; t < context->input->n_tickets; t++)
    {
      const TdMetricsTicket *ticket = &context->input->tickets[t];
      TdInstant              documented = ticket->documented_at;
      TdDocClock             clock;

      if (!ticket->new_issue || ticket->resolved_at == 0
          || !in_period (context, ticket->resolved_at) || !ticket_counts (context, ticket))
        continue;
      /* What was known at the end of the period, so a period's figure
       * stays what it was. */
      if (documented >= context->to)
        documented = 0;
      td_knowledge_documentation_clock (context->policy, TRUE, ticket->resolved_at, documented,
                                        context->to - 1, &clock);
      if (clock.state == TD_DOC_CLOCK_RUNNING || clock.state == TD_DOC_CLOCK_NONE)
        continue;
      result->samples++;
      if (clock.state == TD_DOC_CLOCK_MET)
        result->hits++;
    }
}

static void
judge (TdMetricResult *result)
{
  gboolean passed = FALSE;

  if (result->unit == TD_METRIC_UNIT_PERCENT && result->samples > 0)
    result->value = 100.0 * result->hits / result->samples;

  if (result->verdict == TD_METRIC_NOT_MEASURED)
    return;
  if (result->samples == 0)
    {
      result->verdict = TD_METRIC_NO_DATA;
      return;
    }

  switch (result->comparison)
    {
      case TD_COMPARE_BELOW:
        passed = result->value < result->target;
        break;
      case TD_COMPARE_ABOVE:
        passed = result->value > result->target;
        break;
      case TD_COMPARE_AT_MOST:
        passed = result->value <= result->target;
        break;
      case TD_COMPARE_AT_LEAST:
        passed = result->value >= result->target;
        break;
    }
  result->verdict = passed ? TD_METRIC_PASS : TD_METRIC_FAIL;
}

static double
target_seconds (TdPolicy *policy, const TdMetricTarget *metric)
{
  TdCalendar *calendar = tier_calendar (policy, metric->tier);
  gint64      day = calendar != NULL ? td_calendar_get_business_day (calendar) : 24 * 3600;

  return (double) metric->duration.seconds + (double) metric->duration.business_days * day;
}

static void
compute_metric (const Context *context, const TdMetricTarget *metric, GArray *results)
{
  TdMetricResult result = { 0 };

  result.id = metric->id;
  result.name = metric->name;
  result.tier = metric->tier;
  result.measure = metric->measure;
  result.comparison = metric->comparison == '<' ? TD_COMPARE_BELOW : TD_COMPARE_ABOVE;
  result.unit = metric->is_percent ? TD_METRIC_UNIT_PERCENT : TD_METRIC_UNIT_DURATION;
  result.target = metric->is_percent ? metric->percent : target_seconds (context->policy, metric);

  switch (metric->measure)
    {
      case TD_MEASURE_RESPONSE:
        measure_response (context, metric, &result);
        break;
      case TD_MEASURE_RESOLUTION_TIME:
        measure_resolution_time (context, metric, &result);
        break;
      case TD_MEASURE_FIRST_CONTACT_RESOLUTION:
        measure_first_contact (context, metric, &result);
        break;
      case TD_MEASURE_ESCALATION_ACCURACY:
        measure_escalation_accuracy (context, metric, &result);
        break;
      case TD_MEASURE_RESOLUTION_RATE:
        measure_resolution_rate (context, metric, &result);
        break;
      case TD_MEASURE_CHANGE_SUCCESS:
        measure_change_success (context, metric, &result);
        break;
      case TD_MEASURE_NONE:
      case TD_MEASURE_DOCUMENTATION:
      case TD_MEASURE_PING_PONG:
      case TD_MEASURE_PIR_COMPLETION:
      default:
        result.verdict = TD_METRIC_NOT_MEASURED;
        break;
    }

  /* A time measured against a percentage target (or the other way round)
   * would be meaningless: the policy's target decides the unit. */
  if (result.verdict != TD_METRIC_NOT_MEASURED
      && (metric->measure == TD_MEASURE_RESPONSE || metric->measure == TD_MEASURE_RESOLUTION_TIME)
             == metric->is_percent)
    result.verdict = TD_METRIC_NOT_MEASURED;

  judge (&result);
  g_array_append_val (results, result);
}

static void
compute_standard (const Context *context, const TdQualityStandard *standard, GArray *results)
{
  TdMetricResult result = { 0 };

  result.id = standard->id;
  result.name = standard->name;
  result.measure = standard->measure;

  switch (standard->measure)
    {
      case TD_MEASURE_DOCUMENTATION:
        result.unit = TD_METRIC_UNIT_PERCENT;
        result.comparison = TD_COMPARE_AT_LEAST;
        result.target = 100;
        measure_documentation (context, &result);
        break;
      case TD_MEASURE_PING_PONG:
        result.unit = TD_METRIC_UNIT_COUNT;
        result.comparison = TD_COMPARE_AT_MOST;
        result.target = 0;
        measure_ping_pong (context, &result);
        break;
      case TD_MEASURE_PIR_COMPLETION:
        result.unit = TD_METRIC_UNIT_PERCENT;
        result.comparison = TD_COMPARE_AT_LEAST;
        result.target = 100;
        measure_pir (context, standard, &result);
        if (!context->input->pir_recorded)
          result.verdict = TD_METRIC_NOT_MEASURED;
        break;
      case TD_MEASURE_KNOWLEDGE_UPDATES:
        result.unit = TD_METRIC_UNIT_PERCENT;
        result.comparison = TD_COMPARE_AT_LEAST;
        result.target = 100;
        measure_knowledge_updates (context, &result);
        break;
      default:
        /* User communication is not measured. */
        return;
    }

  judge (&result);
  g_array_append_val (results, result);
}

void
td_metrics_week_free (TdMetricsWeek *week)
{
  if (week == NULL)
    return;
  g_clear_pointer (&week->results, g_array_unref);
  g_free (week);
}

GArray *
td_metrics_compute (TdPolicy             *policy,
                    const TdMetricsInput *input,
                    TdInstant             from,
                    TdInstant             to,
                    int                   tier)
{
  g_autoptr (GPtrArray) required = g_ptr_array_new ();
  GArray    *results = g_array_new (FALSE, TRUE, sizeof (TdMetricResult));
  GPtrArray *metrics;
  GPtrArray *standards;
  GPtrArray *fields;
  Context    context;

  g_return_val_if_fail (TD_IS_POLICY (policy), results);
  g_return_val_if_fail (input != NULL, results);

  fields = td_policy_get_ticket_fields (policy);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const TdTicketField *field = g_ptr_array_index (fields, i);
      if (field->required)
        g_ptr_array_add (required, field->id);
    }

  context = (Context){ policy, input, from, to, tier, required };

  metrics = td_policy_get_metrics (policy);
  for (guint i = 0; metrics != NULL && i < metrics->len; i++)
    {
      const TdMetricTarget *metric = g_ptr_array_index (metrics, i);

      if (tier == 0 || metric->tier == tier)
        compute_metric (&context, metric, results);
    }

  standards = td_policy_get_quality_standards (policy);
  for (guint i = 0; standards != NULL && i < standards->len; i++)
    compute_standard (&context, g_ptr_array_index (standards, i), results);

  return results;
}

/* Monday 00:00 in @zone of the week holding @at. */
static TdInstant
week_start (TdInstant at, GTimeZone *zone)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (at);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (when, zone);
  g_autoptr (GDateTime) midnight
      = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr (GDateTime) monday
      = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (midnight));
  /* Adding days to a local midnight keeps 00:00 across a DST change. */
  return g_date_time_to_unix (monday);
}

static TdInstant
next_week (TdInstant monday, GTimeZone *zone)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (monday);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (when, zone);
  g_autoptr (GDateTime) next = g_date_time_add_weeks (local, 1);

  return g_date_time_to_unix (next);
}

GPtrArray *
td_metrics_weekly (TdPolicy             *policy,
                   const TdMetricsInput *input,
                   TdInstant             from,
                   TdInstant             to,
                   int                   tier,
                   GTimeZone            *zone)
{
  GPtrArray *weeks = g_ptr_array_new_with_free_func ((GDestroyNotify) td_metrics_week_free);

  g_return_val_if_fail (TD_IS_POLICY (policy), weeks);
  g_return_val_if_fail (zone != NULL, weeks);

  for (TdInstant monday = week_start (from, zone); monday < to; monday = next_week (monday, zone))
    {
      TdMetricsWeek *week = g_new0 (TdMetricsWeek, 1);

      week->start = MAX (monday, from);
      week->end = MIN (next_week (monday, zone), to);
      week->results = td_metrics_compute (policy, input, week->start, week->end, tier);
      g_ptr_array_add (weeks, week);
    }
  return weeks;
}

const TdMetricResult *
td_metrics_find (GArray *results, const char *id)
{
  g_return_val_if_fail (results != NULL, NULL);

  for (guint i = 0; i < results->len; i++)
    {
      const TdMetricResult *result = &g_array_index (results, TdMetricResult, i);
      if (g_strcmp0 (result->id, id) == 0)
        return result;
    }
  return NULL;
}

TdMetricsPirStatus
td_metrics_pir_status (TdPirStatus review_status)
{
  switch (review_status)
    {
      case TD_PIR_HELD:
      case TD_PIR_ACTIONS_OPEN:
      case TD_PIR_CLOSED:
        return TD_METRICS_PIR_COMPLETE;
      case TD_PIR_SCHEDULED:
      default:
        return TD_METRICS_PIR_PENDING;
    }
}

const char *
td_metric_verdict_to_string (TdMetricVerdict verdict)
{
  switch (verdict)
    {
      case TD_METRIC_PASS:
        return "pass";
      case TD_METRIC_FAIL:
        return "fail";
      case TD_METRIC_NO_DATA:
        return "no-data";
      case TD_METRIC_NOT_MEASURED:
      default:
        return "not-measured";
    }
}

static void
append_csv_field (GString *csv, const char *text)
{
  if (text != NULL && strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (csv, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (csv, '"');
          g_string_append_c (csv, *p);
        }
      g_string_append_c (csv, '"');
    }
  else if (text != NULL)
    g_string_append (csv, text);
}

static void
append_csv_number (GString *csv, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Two decimals in the C locale: a comma would split the field. */
  g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));
}

static void
append_csv_rows (GString *csv, GArray *results, TdInstant from, TdInstant to)
{
  static const char *const units[] = { "seconds", "percent", "count" };
  static const char *const comparisons[] = { "<", ">", "<=", ">=" };
  g_autofree char         *start = td_time_format_instant (from);
  g_autofree char         *end = td_time_format_instant (to);

  for (guint i = 0; i < results->len; i++)
    {
      const TdMetricResult *result = &g_array_index (results, TdMetricResult, i);
      gboolean has_value = result->samples > 0 && result->verdict != TD_METRIC_NOT_MEASURED;

      g_string_append_printf (csv, "%s,%s,", start, end);
      append_csv_field (csv, result->id);
      g_string_append_c (csv, ',');
      append_csv_field (csv, result->name);
      g_string_append_c (csv, ',');
      if (result->tier > 0)
        g_string_append_printf (csv, "%d", result->tier);
      g_string_append_printf (csv, ",%s,", units[result->unit]);
      if (has_value)
        append_csv_number (csv, result->value);
      g_string_append_c (csv, ',');
      append_csv_number (csv, result->target);
      g_string_append_printf (csv, ",%s,%s,%u,%u\r\n", comparisons[result->comparison],
                              td_metric_verdict_to_string (result->verdict), result->samples,
                              result->hits);
    }
}

char *
td_metrics_to_csv (GArray *results, TdInstant from, TdInstant to, GPtrArray *weeks)
{
  GString *csv = g_string_new ("period_start,period_end,id,name,tier,unit,value,target,"
                               "comparison,verdict,samples,hits\r\n");

  g_return_val_if_fail (results != NULL, g_string_free (csv, FALSE));

  append_csv_rows (csv, results, from, to);
  for (guint i = 0; weeks != NULL && i < weeks->len; i++)
    {
      const TdMetricsWeek *week = g_ptr_array_index (weeks, i);
      append_csv_rows (csv, week->results, week->start, week->end);
    }
  return g_string_free (csv, FALSE);
}
