/* td-triage.h — impact × urgency gives priority and severity; required ticket fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"

G_BEGIN_DECLS

#define TD_TRIAGE_ERROR (td_triage_error_quark ())

typedef enum
{
  TD_TRIAGE_ERROR_UNKNOWN_IMPACT,
  TD_TRIAGE_ERROR_UNKNOWN_URGENCY,
  TD_TRIAGE_ERROR_NO_RULE,
} TdTriageError;

/* Looks up a ticket field's value by field id; NULL or "" means not given. */
typedef const char *(*TdFieldLookup) (const char *field_id, gpointer user_data);

GQuark td_triage_error_quark (void);
/* Returns the matrix cell, owned by the policy. */
const TdTriageRule *td_triage (TdPolicy   *policy,
                               const char *impact,
                               const char *urgency,
                               GError    **error);
/* The required fields [3.5] that are missing, as borrowed TdTicketField*. */
GPtrArray *td_triage_missing_fields (TdPolicy *policy, TdFieldLookup lookup, gpointer user_data);

G_END_DECLS
