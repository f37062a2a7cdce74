/* td-access.c — tool access [9.1, 9.2]: which tier may have which tool, and who approves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-access.h"

#include <glib/gi18n.h>

static const TdTool *
find_tool (TdPolicy *policy, const char *id)
{
  GPtrArray *tools = td_policy_get_tools (policy);

  for (guint i = 0; id != NULL && i < tools->len; i++)
    {
      const TdTool *tool = g_ptr_array_index (tools, i);

      if (g_str_equal (tool->id, id))
        return tool;
    }
  return NULL;
}

/* Limited and read are both less than full; neither includes the other. */
static gboolean
level_within (TdAccessLevel wanted, TdAccessLevel allowed)
{
  return allowed == TD_ACCESS_FULL || wanted == allowed;
}

const char *
td_access_level_to_string (TdAccessLevel level)
{
  switch (level)
    {
      case TD_ACCESS_FULL:
        return "full";
      case TD_ACCESS_READ:
        return "read";
      case TD_ACCESS_LIMITED:
        return "limited";
      default:
        return NULL;
    }
}

gboolean
td_access_level_from_string (const char *text, TdAccessLevel *level)
{
  static const TdAccessLevel levels[] = { TD_ACCESS_FULL, TD_ACCESS_READ, TD_ACCESS_LIMITED };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (levels); i++)
    if (g_str_equal (text, td_access_level_to_string (levels[i])))
      {
        if (level != NULL)
          *level = levels[i];
        return TRUE;
      }
  return FALSE;
}

const TdAccessProvisioning *
td_access_provisioning_for_tier (TdPolicy *policy, int tier)
{
  GPtrArray                  *rows;
  const TdAccessProvisioning *best = NULL;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);

  rows = td_policy_get_access_provisioning (policy);
  if (tier < 1)
    tier = 1;
  for (guint i = 0; i < rows->len; i++)
    {
      const TdAccessProvisioning *row = g_ptr_array_index (rows, i);

      if (row->tier <= tier && (best == NULL || row->tier > best->tier))
        best = row;
    }
  return best;
}

TdAccessRequestCheck
td_access_check_request (TdPolicy      *policy,
                         const char    *tool_id,
                         int            tier,
                         const char    *level,
                         TdAccessLevel *granted,
                         const char   **approver_role,
                         char         **explanation)
{
  const TdTool               *tool;
  const TdToolAccess         *access = NULL;
  const TdAccessProvisioning *provisioning;
  TdAccessLevel               wanted = TD_ACCESS_FULL;
  TdAccessRequestCheck        check;
  char                       *text;

  g_return_val_if_fail (TD_IS_POLICY (policy), TD_ACCESS_REQUEST_UNKNOWN_TOOL);

  if (tier < 1)
    tier = 1;
  tool = find_tool (policy, tool_id);
  for (guint i = 0; tool != NULL && i < tool->access->len; i++)
    {
      const TdToolAccess *candidate = g_ptr_array_index (tool->access, i);

      if (candidate->tier == tier)
        access = candidate;
    }
  provisioning = td_access_provisioning_for_tier (policy, tier);

  if (tool == NULL)
    {
      check = TD_ACCESS_REQUEST_UNKNOWN_TOOL;
      text = g_strdup_printf (_ ("unknown tool \"%s\""), tool_id != NULL ? tool_id : "");
    }
  else if (level != NULL && !td_access_level_from_string (level, &wanted))
    {
      check = TD_ACCESS_REQUEST_UNKNOWN_LEVEL;
      text = g_strdup_printf (_ ("unknown access level \"%s\" (expected full, read or limited)"),
                              level);
    }
  else if (access == NULL)
    {
      g_autoptr (GString) tiers = g_string_new (NULL);

      for (guint i = 0; i < tool->access->len; i++)
        {
          const TdToolAccess *candidate = g_ptr_array_index (tool->access, i);

          g_string_append_printf (tiers, "%s%d",
                                  i == 0                       ? ""
                                  : i + 1 == tool->access->len ? _ (" or ")
                                                               : ", ",
                                  candidate->tier);
        }
      check = TD_ACCESS_REQUEST_NOT_FOR_TIER;
      text = g_strdup_printf (_ ("%s is for Tier %s, not Tier %d"), tool->name, tiers->str, tier);
    }
  else if (level != NULL && !level_within (wanted, access->level))
    {
      check = TD_ACCESS_REQUEST_LEVEL_TOO_HIGH;
      text = g_strdup_printf (_ ("Tier %d may have %s only with %s access, not %s"), tier,
                              tool->name, td_access_level_to_string (access->level), level);
    }
  else if (provisioning == NULL)
    {
      check = TD_ACCESS_REQUEST_NO_APPROVER;
      text = g_strdup_printf (_ ("the policy's access provisioning names no approver for Tier %d"),
                              tier);
    }
  else
    {
      const TdRole *approver = td_policy_get_role (policy, provisioning->approver);

      check = TD_ACCESS_REQUEST_OK;
      if (level == NULL)
        wanted = access->level;
      text = g_strdup_printf (_ ("%s (%s access) for Tier %d is approved by the %s"), tool->name,
                              td_access_level_to_string (wanted), tier,
                              approver != NULL ? approver->name : provisioning->approver);
      if (granted != NULL)
        *granted = wanted;
      if (approver_role != NULL)
        *approver_role = provisioning->approver;
    }

  if (explanation != NULL)
    *explanation = text;
  else
    g_free (text);
  return check;
}
