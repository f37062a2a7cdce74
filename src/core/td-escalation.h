/* td-escalation.h — which escalations are allowed, time limits, handoff checklists, ping-pong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"

G_BEGIN_DECLS

#define TD_ESCALATION_ERROR (td_escalation_error_quark ())

typedef enum
{
  TD_ESCALATION_ERROR_NO_PATH,
  TD_ESCALATION_ERROR_CHECKLIST,
} TdEscalationError;

/* One move of a ticket between tiers, up or down, as its history records it. */
typedef struct
{
  int       from_tier;
  int       to_tier;
  TdInstant at;
} TdTierMove;

typedef struct
{
  int         tier;
  const char *severity;
  /* Checklist item ids the person escalating has ticked; NULL-terminated. */
  const char *const *checked;
  /* A reason stated by the person escalating, such as "Security breach". */
  const char *reason;
} TdEscalationRequest;

typedef struct
{
  const TdEscalationPath *path;
  const TdChecklist      *checklist;
  /* The path leads from this ticket's tier and its severity or reason fits. */
  gboolean applies;
  /* It applies and every required checklist item is ticked. */
  gboolean   allowed;
  GPtrArray *missing; /* const TdChecklistItem*, borrowed */
  char      *why;
} TdEscalationOption;

typedef struct
{
  gboolean           has_limit;
  const TdTimeLimit *limit;
  TdInstant          deadline;
  gboolean           passed;
  gint64             remaining; /* working seconds left; 0 once passed */
} TdEscalationDeadline;

GQuark td_escalation_error_quark (void);
void   td_escalation_option_free (TdEscalationOption *option);
/* Every path from the ticket's tier, applicable or not, with the reason. */
GPtrArray *td_escalation_options (TdPolicy *policy, const TdEscalationRequest *request);
/* The check a write must pass: a path to @to_tier that applies, with its
 * checklist complete. On refusal the error says why and names what is missing. */
const TdEscalationPath *td_escalation_check (TdPolicy                  *policy,
                                             const TdEscalationRequest *request,
                                             int                        to_tier,
                                             GError                   **error);
gboolean                td_escalation_time_limit (TdPolicy             *policy,
                                                  int                   tier,
                                                  const char           *severity,
                                                  TdInstant             entered_tier,
                                                  const TdInterval     *pauses,
                                                  guint                 n_pauses,
                                                  TdInstant             now,
                                                  TdEscalationDeadline *out);
/* A ticket sent down a tier and then up again counts once per bounce. */
guint td_escalation_count_ping_pong (const TdTierMove *moves, guint n_moves);
/* Seconds spent in each tier, indexed by tier level (0..max), up to @now. */
GArray  *td_escalation_time_per_tier (TdInstant         created,
                                      int               first_tier,
                                      const TdTierMove *moves,
                                      guint             n_moves,
                                      TdInstant         now);
gboolean td_escalation_pir_required (TdPolicy *policy, const char *severity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdEscalationOption, td_escalation_option_free)

G_END_DECLS
