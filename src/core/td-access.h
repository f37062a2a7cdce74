/* td-access.h — tool access [9.1, 9.2]: which tier may have which tool, and who approves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"

G_BEGIN_DECLS

typedef enum
{
  TD_ACCESS_REQUEST_OK,
  TD_ACCESS_REQUEST_UNKNOWN_TOOL,
  TD_ACCESS_REQUEST_UNKNOWN_LEVEL,
  TD_ACCESS_REQUEST_NOT_FOR_TIER,   /* the tool is not one this tier uses [9.1] */
  TD_ACCESS_REQUEST_LEVEL_TOO_HIGH, /* e.g. full database access at Tier 2 */
  TD_ACCESS_REQUEST_NO_APPROVER,    /* access_provisioning names nobody for the tier */
} TdAccessRequestCheck;

/* "full", "read", "limited"; NULL for anything else. */
const char *td_access_level_to_string (TdAccessLevel level);
gboolean    td_access_level_from_string (const char *text, TdAccessLevel *level);

/* The access_provisioning row that approves requests of a person at
 * @tier [9.2]: the row of that tier, or else the nearest lower one (a
 * person without a tier counts as Tier 1). NULL if there is none. */
const TdAccessProvisioning *td_access_provisioning_for_tier (TdPolicy *policy, int tier);

/* Whether a person at @tier may be given @tool_id at @level (NULL: the
 * most the tier may have). On success @granted receives the level and
 * @approver_role the role that approves; @explanation (if not NULL)
 * receives a sentence for the person asking, on success too. */
TdAccessRequestCheck td_access_check_request (TdPolicy      *policy,
                                              const char    *tool_id,
                                              int            tier,
                                              const char    *level,
                                              TdAccessLevel *granted,
                                              const char   **approver_role,
                                              char         **explanation);

G_END_DECLS
