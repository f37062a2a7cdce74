/* td-sla.h — SLA clocks: response, resolution and update due instants and their state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"

G_BEGIN_DECLS

#define TD_SLA_ERROR (td_sla_error_quark ())

typedef enum
{
  TD_SLA_ERROR_UNKNOWN_SEVERITY,
  TD_SLA_ERROR_UNKNOWN_TIER,
  TD_SLA_ERROR_UNKNOWN_ISSUE_TYPE,
  TD_SLA_ERROR_NO_TARGET,
} TdSlaError;

typedef enum
{
  TD_SLA_NO_CLOCK, /* "Next release", or a clock that stopped with resolution */
  TD_SLA_OK,
  TD_SLA_AT_RISK, /* the policy's at-risk fraction of the budget is used */
  TD_SLA_BREACHED,
  TD_SLA_MET, /* stopped in time */
} TdSlaState;

typedef enum
{
  TD_SLA_SOURCE_NONE,
  TD_SLA_SOURCE_TIER,
  TD_SLA_SOURCE_SEVERITY,
  TD_SLA_SOURCE_ISSUE_TYPE,
} TdSlaSource;

/* What the SLA depends on. Instants of 0 mean "not yet". */
typedef struct
{
  int               tier;
  const char       *severity;
  const char       *issue_type;
  TdInstant         created;
  TdInstant         first_response;
  TdInstant         last_update;
  TdInstant         resolved;
  const TdInterval *pauses;
  guint             n_pauses;
} TdSlaTicket;

typedef struct
{
  gboolean    has_clock;
  TdSlaState  state;
  TdInstant   start;
  TdInstant   due;        /* TD_INSTANT_NEVER without a clock */
  TdInstant   at_risk_at; /* when the at-risk fraction is reached */
  gint64      budget;     /* working seconds */
  gint64      used;       /* working seconds used, at now or when the clock stopped */
  TdCalendar *calendar;   /* borrowed from the policy */
  TdSlaSource source;
  const char *source_id; /* severity or issue type id, borrowed */
  int         source_tier;
  const char *label; /* the target as the policy words it, borrowed */
} TdSlaClock;

typedef struct
{
  TdSlaClock response;
  TdSlaClock resolution;
  TdSlaClock update;
} TdSlaResult;

/* What a queue shows for a ticket: the earliest-due of its running
 * response and resolution clocks, and its update clock (SEV-1/2 cadence),
 * each TD_SLA_NO_CLOCK with TD_INSTANT_NEVER when none runs. The states
 * hold at every instant from now until valid_until, so a list of
 * thousands of tickets need not work them out again before then. */
typedef struct
{
  TdSlaState state;
  TdInstant  due;
  TdSlaState update_state;
  TdInstant  update_due;
  TdInstant  valid_until;
} TdSlaQueueClock;

GQuark   td_sla_error_quark (void);
gboolean td_sla_compute (TdPolicy          *policy,
                         const TdSlaTicket *ticket,
                         TdInstant          now,
                         TdSlaResult       *result,
                         GError           **error);
/* td_sla_compute () without the working seconds used, which the states do
 * not need. @open is FALSE for a resolved or closed ticket. */
void        td_sla_queue_clock (TdPolicy          *policy,
                                const TdSlaTicket *ticket,
                                gboolean           open,
                                TdInstant          now,
                                TdSlaQueueClock   *clock);
gint64      td_sla_target_seconds (const TdTarget *target);
const char *td_sla_state_to_string (TdSlaState state);
/* "SEV-2 response", "Tier 2 response target", "issue type balance-discrepancy" */
char *td_sla_clock_describe (const TdSlaClock *clock);

G_END_DECLS
