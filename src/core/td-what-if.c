/* td-what-if.c — when each escalation limit and SLA breach would fall for a ticket not yet real
 *
 * A lead planning cover asks "a SEV-2 at 17:50 on the Friday before a bank
 * holiday: when must Tier 2 hand over?". The answer comes from the same
 * rules the queue and the server use, so it can never disagree with them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-what-if.h"

/* The next tier up that a path open to @severity leads to, or 0. */
static int
next_tier (TdPolicy *policy, int tier, const char *severity)
{
  TdEscalationRequest request = { 0 };
  g_autoptr (GPtrArray) options = NULL;
  int next = 0;

  request.tier = tier;
  request.severity = severity;
  options = td_escalation_options (policy, &request);
  for (guint i = 0; i < options->len; i++)
    {
      const TdEscalationOption *option = g_ptr_array_index (options, i);

      if (option->applies && option->path->to > tier && (next == 0 || option->path->to < next))
        next = option->path->to;
    }
  return next;
}

static void
add_clock (GPtrArray *steps, TdWhatIfKind kind, int tier, const TdSlaClock *clock)
{
  TdWhatIfStep *step;

  if (!clock->has_clock && clock->label == NULL)
    return;
  step = g_new0 (TdWhatIfStep, 1);
  step->kind = kind;
  step->tier = tier;
  step->starts = clock->start;
  step->due = clock->has_clock ? clock->due : TD_INSTANT_NEVER;
  step->clock = *clock;
  g_ptr_array_add (steps, step);
}

GPtrArray *
td_what_if_compute (TdPolicy   *policy,
                    const char *severity,
                    int         tier,
                    TdInstant   start,
                    GError    **error)
{
  g_autoptr (GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;
  TdInstant   entered = start;
  int         at = tier;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (td_policy_get_severity (policy, severity) == NULL)
    {
      g_set_error (error, TD_SLA_ERROR, TD_SLA_ERROR_UNKNOWN_SEVERITY,
                   "the support model has no severity \"%s\"", severity);
      return NULL;
    }
  if (td_policy_get_tier (policy, tier) == NULL)
    {
      g_set_error (error, TD_SLA_ERROR, TD_SLA_ERROR_UNKNOWN_TIER,
                   "the support model has no Tier %d", tier);
      return NULL;
    }

  /* Levels only grow, so the chain ends within the number of tiers. */
  while (at != 0)
    {
      TdEscalationDeadline deadline;
      TdWhatIfStep        *step;

      if (!td_escalation_time_limit (policy, at, severity, entered, NULL, 0, entered, &deadline))
        break;
      step = g_new0 (TdWhatIfStep, 1);
      step->kind = TD_WHAT_IF_ESCALATION;
      step->tier = at;
      step->next_tier = next_tier (policy, at, severity);
      step->starts = entered;
      step->due = deadline.deadline;
      step->limit = deadline.limit;
      g_ptr_array_add (steps, step);
      if (deadline.deadline == TD_INSTANT_NEVER)
        break;
      entered = deadline.deadline;
      at = step->next_tier;
    }

  ticket.tier = tier;
  ticket.severity = severity;
  ticket.created = start;
  if (!td_sla_compute (policy, &ticket, start, &result, error))
    return NULL;
  add_clock (steps, TD_WHAT_IF_RESPONSE, tier, &result.response);
  add_clock (steps, TD_WHAT_IF_RESOLUTION, tier, &result.resolution);
  add_clock (steps, TD_WHAT_IF_UPDATE, tier, &result.update);
  return g_steal_pointer (&steps);
}
