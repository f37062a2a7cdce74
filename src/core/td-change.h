/* td-change.h — production changes and the rules a record of one obeys [4.3, 10.1]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"
#include "td-time.h"

G_BEGIN_DECLS

/* Where a change is. Only a performed change (succeeded, failed, rolled
 * back) counts for the Change Success Rate; a rollback is a failure. */
typedef enum
{
  TD_CHANGE_PLANNED,
  TD_CHANGE_SUCCEEDED,
  TD_CHANGE_FAILED,
  TD_CHANGE_ROLLED_BACK,
} TdChangeStatus;

typedef enum
{
  TD_CHANGE_CHECK_OK,
  TD_CHANGE_CHECK_NO_TITLE,
  TD_CHANGE_CHECK_TITLE_TOO_LONG,
  TD_CHANGE_CHECK_UNKNOWN_KIND,
  TD_CHANGE_CHECK_UNKNOWN_TIER,
  TD_CHANGE_CHECK_KIND_NOT_FOR_TIER, /* e.g. a schema change at Tier 2 [4.3] */
  TD_CHANGE_CHECK_UNKNOWN_STATUS,
  TD_CHANGE_CHECK_NOT_PERFORMED,   /* an outcome with no time it was performed */
  TD_CHANGE_CHECK_PERFORMED_LATER, /* performed in the future */
  TD_CHANGE_CHECK_NO_OUTCOME_NOTE, /* failed or rolled back, and nobody said why */
} TdChangeCheck;

/* The longest title, in characters. */
#define TD_CHANGE_TITLE_MAX 200

/* How far ahead of the server's clock a performed time may be: a laptop's
 * clock drifts. */
#define TD_CHANGE_CLOCK_SKEW (5 * 60)

/* One change as a form or a stored row has it; performed_at 0: not yet. */
typedef struct
{
  const char *title;
  const char *kind;
  int         tier;
  const char *status;
  TdInstant   performed_at;
  const char *outcome_note;
} TdChangeFields;

/* "planned", "succeeded", "failed", "rolled_back". */
const char *td_change_status_to_string (TdChangeStatus status);
gboolean    td_change_status_from_string (const char *text, TdChangeStatus *status);

/* Whether the change was performed, so counts for the success rate; and
 * whether it succeeded. */
gboolean td_change_status_is_performed (TdChangeStatus status);

/* Checks @fields against @policy at @now. On failure @field (if not NULL)
 * receives the name of the column at fault and @explanation (if not NULL)
 * an English sentence starting with that name, for the server's answer. */
TdChangeCheck td_change_check (TdPolicy             *policy,
                               const TdChangeFields *fields,
                               TdInstant             now,
                               const char          **field,
                               char                **explanation);

G_END_DECLS
