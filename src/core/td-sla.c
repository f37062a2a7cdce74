/* td-sla.c — SLA clocks: response, resolution and update due instants and their state
 *
 * Several targets can apply to one ticket (a Tier 2 "Balance discrepancy"
 * that is also SEV-2); the earliest due instant wins, and the clock says which
 * target it came from so a breach can be explained.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-sla.h"

/* clang-format off */
G_DEFINE_QUARK (td-sla-error-quark, td_sla_error)
/* clang-format on */

gint64
td_sla_target_seconds (const TdTarget *target)
{
  g_return_val_if_fail (target != NULL, 0);

  if (!target->has_clock || target->calendar == NULL)
    return 0;
  return target->duration.seconds
         + target->duration.business_days * td_calendar_get_business_day (target->calendar);
}

static void
clock_clear (TdSlaClock *clock)
{
  *clock = (TdSlaClock){ 0 };
  clock->state = TD_SLA_NO_CLOCK;
  clock->due = TD_INSTANT_NEVER;
  clock->at_risk_at = TD_INSTANT_NEVER;
}

/* Offers one candidate target for a clock; keeps it if it is due earliest. */
static void
offer (TdSlaClock        *clock,
       const TdTarget    *target,
       TdInstant          start,
       TdSlaSource        source,
       const char        *source_id,
       int                source_tier,
       const TdSlaTicket *ticket)
{
  TdInstant due;

  g_assert (clock != NULL);
  g_assert (target != NULL);

  /* A target with no clock still names itself, so "Next release" shows. */
  if (!target->has_clock)
    {
      if (!clock->has_clock && clock->label == NULL)
        {
          clock->source = source;
          clock->source_id = source_id;
          clock->source_tier = source_tier;
          clock->label = target->label;
        }
      return;
    }

  due = td_calendar_add (target->calendar, start, &target->duration, ticket->pauses,
                         ticket->n_pauses);
  if (clock->has_clock && clock->due <= due)
    return;

  clock->has_clock = TRUE;
  clock->start = start;
  clock->due = due;
  clock->budget = td_sla_target_seconds (target);
  clock->calendar = target->calendar;
  clock->source = source;
  clock->source_id = source_id;
  clock->source_tier = source_tier;
  clock->label = target->label;
}

/* Works out the state of a clock that is running at @now or stopped at @stop. */
static void
settle (TdSlaClock        *clock,
        double             at_risk_fraction,
        TdInstant          stop,
        TdInstant          now,
        const TdSlaTicket *ticket,
        gboolean           measure_used)
{
  TdDuration at_risk = { 0, 0 };
  TdInstant  until;

  if (!clock->has_clock)
    {
      clock->state = TD_SLA_NO_CLOCK;
      return;
    }

  at_risk.seconds = (gint64) (clock->budget * at_risk_fraction);
  clock->at_risk_at
      = td_calendar_add (clock->calendar, clock->start, &at_risk, ticket->pauses, ticket->n_pauses);

  /* Counting working seconds walks the calendar from the start: for a
   * ticket open for months that is most of the cost, and a queue of open
   * tickets only needs the state. */
  until = stop != 0 ? stop : now;
  if (measure_used)
    clock->used = td_calendar_working_between (clock->calendar, clock->start, until, ticket->pauses,
                                               ticket->n_pauses);

  if (stop != 0)
    clock->state = stop <= clock->due ? TD_SLA_MET : TD_SLA_BREACHED;
  else if (now >= clock->due)
    clock->state = TD_SLA_BREACHED;
  else if (now >= clock->at_risk_at)
    clock->state = TD_SLA_AT_RISK;
  else
    clock->state = TD_SLA_OK;
}

static gboolean
compute (TdPolicy          *policy,
         const TdSlaTicket *ticket,
         TdInstant          now,
         gboolean           measure_used,
         TdSlaResult       *result,
         GError           **error)
{
  const TdSeverity  *severity = NULL;
  const TdIssueType *issue_type = NULL;
  const TdTier      *tier = NULL;
  double             fraction;
  TdInstant          response_stop;
  TdInstant          update_start;

  g_return_val_if_fail (TD_IS_POLICY (policy), FALSE);
  g_return_val_if_fail (ticket != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  clock_clear (&result->response);
  clock_clear (&result->resolution);
  clock_clear (&result->update);

  if (ticket->severity != NULL && ticket->severity[0] != '\0')
    {
      severity = td_policy_get_severity (policy, ticket->severity);
      if (severity == NULL)
        {
          g_set_error (error, TD_SLA_ERROR, TD_SLA_ERROR_UNKNOWN_SEVERITY,
                       "unknown severity \"%s\"", ticket->severity);
          return FALSE;
        }
    }
  if (ticket->issue_type != NULL && ticket->issue_type[0] != '\0')
    {
      issue_type = td_policy_get_issue_type (policy, ticket->issue_type);
      if (issue_type == NULL)
        {
          g_set_error (error, TD_SLA_ERROR, TD_SLA_ERROR_UNKNOWN_ISSUE_TYPE,
                       "unknown issue type \"%s\"", ticket->issue_type);
          return FALSE;
        }
    }
  if (ticket->tier != 0)
    {
      tier = td_policy_get_tier (policy, ticket->tier);
      if (tier == NULL)
        {
          g_set_error (error, TD_SLA_ERROR, TD_SLA_ERROR_UNKNOWN_TIER, "unknown tier %d",
                       ticket->tier);
          return FALSE;
        }
    }
  if (severity == NULL && issue_type == NULL && tier == NULL)
    {
      g_set_error_literal (error, TD_SLA_ERROR, TD_SLA_ERROR_NO_TARGET,
                           "an SLA needs a severity, an issue type or a tier");
      return FALSE;
    }

  fraction = td_policy_get_at_risk_fraction (policy);

  /* Response: the tier's own target and the severity's, from creation. */
  if (tier != NULL)
    offer (&result->response, &tier->response_target, ticket->created, TD_SLA_SOURCE_TIER, NULL,
           tier->level, ticket);
  if (severity != NULL)
    offer (&result->response, &severity->response, ticket->created, TD_SLA_SOURCE_SEVERITY,
           severity->id, 0, ticket);
  /* Resolving a ticket answers it: one resolved before anyone recorded a
   * response must not show its response clock running, or breached, forever. */
  response_stop = ticket->first_response;
  if (ticket->resolved != 0 && (response_stop == 0 || ticket->resolved < response_stop))
    response_stop = ticket->resolved;
  settle (&result->response, fraction, response_stop, now, ticket, measure_used);

  /* Resolution: the issue type's target and the severity's. */
  if (issue_type != NULL)
    offer (&result->resolution, &issue_type->resolution, ticket->created, TD_SLA_SOURCE_ISSUE_TYPE,
           issue_type->id, issue_type->tier, ticket);
  if (severity != NULL)
    offer (&result->resolution, &severity->resolution, ticket->created, TD_SLA_SOURCE_SEVERITY,
           severity->id, 0, ticket);
  settle (&result->resolution, fraction, ticket->resolved, now, ticket, measure_used);

  /* Update cadence runs from the last thing said to the user, and stops
   * once the ticket is resolved: there is nothing left to report. */
  update_start = ticket->last_update != 0      ? ticket->last_update
                 : ticket->first_response != 0 ? ticket->first_response
                                               : ticket->created;
  if (severity != NULL && ticket->resolved == 0)
    {
      offer (&result->update, &severity->update, update_start, TD_SLA_SOURCE_SEVERITY, severity->id,
             0, ticket);
      settle (&result->update, fraction, 0, now, ticket, measure_used);
    }

  return TRUE;
}

gboolean
td_sla_compute (TdPolicy          *policy,
                const TdSlaTicket *ticket,
                TdInstant          now,
                TdSlaResult       *result,
                GError           **error)
{
  return compute (policy, ticket, now, TRUE, result, error);
}

/* Keeps @clock as the queue's clock if it runs and is due before it. */
static void
pick_running (const TdSlaClock *clock, TdSlaState *state, TdInstant *due)
{
  if (!clock->has_clock || clock->state == TD_SLA_MET || clock->state == TD_SLA_NO_CLOCK)
    return;
  if (clock->due < *due)
    {
      *due = clock->due;
      *state = clock->state;
    }
}

/* A running clock's state changes only at its at-risk and due instants. */
static void
limit_validity (const TdSlaClock *clock, TdInstant now, TdInstant *valid_until)
{
  if (!clock->has_clock)
    return;
  if (clock->at_risk_at > now)
    *valid_until = MIN (*valid_until, clock->at_risk_at);
  if (clock->due > now)
    *valid_until = MIN (*valid_until, clock->due);
}

void
td_sla_queue_clock (TdPolicy          *policy,
                    const TdSlaTicket *ticket,
                    gboolean           open,
                    TdInstant          now,
                    TdSlaQueueClock   *clock)
{
  TdSlaResult result;

  g_return_if_fail (TD_IS_POLICY (policy));
  g_return_if_fail (ticket != NULL);
  g_return_if_fail (clock != NULL);

  clock->state = TD_SLA_NO_CLOCK;
  clock->due = TD_INSTANT_NEVER;
  clock->update_state = TD_SLA_NO_CLOCK;
  clock->update_due = TD_INSTANT_NEVER;
  clock->valid_until = TD_INSTANT_NEVER;

  /* A resolved or closed ticket has nothing left to watch, whatever its
   * instants say (a closed one may lack resolved_at); one the policy
   * cannot place (an unknown severity from a newer policy) shows no clock
   * rather than a wrong one. */
  if (!open || !compute (policy, ticket, now, FALSE, &result, NULL))
    return;

  pick_running (&result.response, &clock->state, &clock->due);
  pick_running (&result.resolution, &clock->state, &clock->due);
  pick_running (&result.update, &clock->update_state, &clock->update_due);
  limit_validity (&result.response, now, &clock->valid_until);
  limit_validity (&result.resolution, now, &clock->valid_until);
  limit_validity (&result.update, now, &clock->valid_until);
}

const char *
td_sla_state_to_string (TdSlaState state)
{
  switch (state)
    {
      case TD_SLA_NO_CLOCK:
        return "no-clock";
      case TD_SLA_OK:
        return "ok";
      case TD_SLA_AT_RISK:
        return "at-risk";
      case TD_SLA_BREACHED:
        return "breached";
      case TD_SLA_MET:
        return "met";
      default:
        g_return_val_if_reached ("unknown");
    }
}

/* Translated in the app; tierdeskd binds no text domain, so its JSON and
 * messages stay in English. */
char *
td_sla_clock_describe (const TdSlaClock *clock)
{
  g_return_val_if_fail (clock != NULL, NULL);

  switch (clock->source)
    {
      case TD_SLA_SOURCE_TIER:
        /* TRANSLATORS: "Tier 1 target (< 15 minutes)"; the second %s is policy text */
        return g_strdup_printf (_ ("Tier %d target (%s)"), clock->source_tier, clock->label);
      case TD_SLA_SOURCE_SEVERITY:
        /* TRANSLATORS: "SEV-2 target (4 hours)" */
        return g_strdup_printf (_ ("%s target (%s)"), clock->source_id, clock->label);
      case TD_SLA_SOURCE_ISSUE_TYPE:
        /* TRANSLATORS: "issue type balance-discrepancy target (4 hours)" */
        return g_strdup_printf (_ ("issue type %s target (%s)"), clock->source_id, clock->label);
      case TD_SLA_SOURCE_NONE:
      default:
        return g_strdup (_ ("no target"));
    }
}
