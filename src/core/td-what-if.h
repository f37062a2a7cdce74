/* td-what-if.h — when each escalation limit and SLA breach would fall for a ticket not yet real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-escalation.h"
#include "td-sla.h"

G_BEGIN_DECLS

typedef enum
{
  TD_WHAT_IF_ESCALATION, /* a tier's time limit [7.2] */
  TD_WHAT_IF_RESPONSE,   /* the SLA clocks [5.5] */
  TD_WHAT_IF_RESOLUTION,
  TD_WHAT_IF_UPDATE,
} TdWhatIfKind;

typedef struct
{
  TdWhatIfKind kind;
  /* The tier whose limit it is; for SLA clocks, the tier the ticket starts at. */
  int tier;
  /* The tier it goes to once the limit passes; 0 for SLA clocks. */
  int                next_tier;
  TdInstant          starts;
  TdInstant          due; /* TD_INSTANT_NEVER for a target with no clock */
  const TdTimeLimit *limit;
  TdSlaClock         clock; /* SLA kinds only */
} TdWhatIfStep;

/* The escalation limits of @tier and of each tier above it, assuming the
 * ticket is escalated the moment each limit passes (along the lowest path
 * open to @severity), then the SLA clocks of a ticket logged at @start.
 * Returns TdWhatIfStep, in that order; NULL with @error (TD_SLA_ERROR) for
 * a severity or tier the policy does not know. */
GPtrArray *td_what_if_compute (TdPolicy   *policy,
                               const char *severity,
                               int         tier,
                               TdInstant   start,
                               GError    **error);

G_END_DECLS
