/* td-correction.h — data-correction authority: who may correct what, with whose approval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"

G_BEGIN_DECLS

typedef enum
{
  TD_CORRECTION_ALLOWED,
  TD_CORRECTION_NEEDS_APPROVAL, /* the right person, but no (or the wrong) approver yet */
  TD_CORRECTION_NOT_AUTHORISED, /* the performer's role may not do this kind */
  TD_CORRECTION_PROHIBITED,     /* nobody may, e.g. audit-sensitive data */
  TD_CORRECTION_UNKNOWN_TYPE,
} TdCorrectionDecision;

/* @approver_role may be NULL while the request waits for approval.
 * @explanation, if not NULL, receives a sentence for the person asking. */
TdCorrectionDecision td_correction_decide (TdPolicy   *policy,
                                           const char *correction_type,
                                           const char *performer_role,
                                           const char *approver_role,
                                           char      **explanation);
const char          *td_correction_decision_to_string (TdCorrectionDecision decision);
/* The role a request of @correction_type made by @requester_role goes to:
 * the first approver the authority table names [4.5], passing over the
 * requester's own role, since nobody approves their own request (the
 * others in the table remain alternatives). NULL for an unknown or
 * prohibited type. */
const char *td_correction_route (TdPolicy   *policy,
                                 const char *correction_type,
                                 const char *requester_role);

G_END_DECLS
