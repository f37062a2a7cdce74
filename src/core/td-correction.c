/* td-correction.c — data-correction authority: who may correct what, with whose approval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-correction.h"

static char *
role_names (TdPolicy *policy, char *const *roles)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = roles != NULL ? g_strv_length ((char **) roles) : 0;

  for (guint i = 0; i < n; i++)
    {
      const TdRole *role = td_policy_get_role (policy, roles[i]);

      if (i > 0)
        g_string_append (text, i + 1 == n ? " or " : ", ");
      g_string_append (text, role != NULL ? role->name : roles[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

TdCorrectionDecision
td_correction_decide (TdPolicy   *policy,
                      const char *correction_type,
                      const char *performer_role,
                      const char *approver_role,
                      char      **explanation)
{
  const TdCorrectionRule *rule;
  TdCorrectionDecision    decision;
  char                   *text;

  g_return_val_if_fail (TD_IS_POLICY (policy), TD_CORRECTION_UNKNOWN_TYPE);

  rule = td_policy_get_correction (policy, correction_type);
  if (rule == NULL)
    {
      decision = TD_CORRECTION_UNKNOWN_TYPE;
      text = g_strdup_printf ("unknown correction type \"%s\"",
                              correction_type != NULL ? correction_type : "");
    }
  else if (rule->prohibited)
    {
      decision = TD_CORRECTION_PROHIBITED;
      text = g_strdup_printf ("%s may not be corrected: prohibited (%s)", rule->name,
                              rule->approval_label);
    }
  else if (performer_role == NULL
           || !g_strv_contains ((const char *const *) rule->authority_roles, performer_role))
    {
      g_autofree char *allowed = role_names (policy, rule->authority_roles);
      const TdRole    *role = td_policy_get_role (policy, performer_role);

      decision = TD_CORRECTION_NOT_AUTHORISED;
      text = g_strdup_printf ("%s is a Tier %d correction: only %s may perform it, not %s",
                              rule->name, rule->authority_tier, allowed,
                              role != NULL ? role->name : "this role");
    }
  else if (approver_role == NULL
           || !g_strv_contains ((const char *const *) rule->approval_roles, approver_role))
    {
      g_autofree char *approvers = role_names (policy, rule->approval_roles);

      decision = TD_CORRECTION_NEEDS_APPROVAL;
      text = g_strdup_printf ("%s needs %s from %s", rule->name, rule->approval_label, approvers);
    }
  else
    {
      const TdRole *approver = td_policy_get_role (policy, approver_role);

      decision = TD_CORRECTION_ALLOWED;
      text = g_strdup_printf ("%s allowed with %s by %s", rule->name, rule->approval_label,
                              approver->name);
    }

  if (explanation != NULL)
    *explanation = text;
  else
    g_free (text);
  return decision;
}

const char *
td_correction_decision_to_string (TdCorrectionDecision decision)
{
  switch (decision)
    {
      case TD_CORRECTION_ALLOWED:
        return "allowed";
      case TD_CORRECTION_NEEDS_APPROVAL:
        return "needs-approval";
      case TD_CORRECTION_NOT_AUTHORISED:
        return "not-authorised";
      case TD_CORRECTION_PROHIBITED:
        return "prohibited";
      case TD_CORRECTION_UNKNOWN_TYPE:
        return "unknown-type";
      default:
        g_return_val_if_reached ("unknown");
    }
}

const char *
td_correction_route (TdPolicy *policy, const char *correction_type, const char *requester_role)
{
  const TdCorrectionRule *rule;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);

  rule = td_policy_get_correction (policy, correction_type);
  if (rule == NULL || rule->prohibited || rule->approval_roles == NULL
      || rule->approval_roles[0] == NULL)
    return NULL;
  for (guint i = 0; rule->approval_roles[i] != NULL; i++)
    if (g_strcmp0 (rule->approval_roles[i], requester_role) != 0)
      return rule->approval_roles[i];
  return rule->approval_roles[0];
}
