/* td-change.c — production changes and the rules a record of one obeys
 *
 * The Change Success Rate [10.1] is Tier 3's target, but Tier 2 changes
 * configuration too [4.3]; which tier may make which kind of change comes
 * from the policy's change_kinds. The server and the app's form both call
 * td_change_check (), so the form names the same problem the server would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-change.h"

static const char *const status_names[] = {
  [TD_CHANGE_PLANNED] = "planned",
  [TD_CHANGE_SUCCEEDED] = "succeeded",
  [TD_CHANGE_FAILED] = "failed",
  [TD_CHANGE_ROLLED_BACK] = "rolled_back",
};

const char *
td_change_status_to_string (TdChangeStatus status)
{
  g_return_val_if_fail (status <= TD_CHANGE_ROLLED_BACK, NULL);
  return status_names[status];
}

gboolean
td_change_status_from_string (const char *text, TdChangeStatus *status)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (text, status_names[i]))
      {
        if (status != NULL)
          *status = (TdChangeStatus) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
td_change_status_is_performed (TdChangeStatus status)
{
  return status != TD_CHANGE_PLANNED;
}

static TdChangeCheck
fail (TdChangeCheck check, const char *name, const char **field, char **explanation, char *text)
{
  if (field != NULL)
    *field = name;
  if (explanation != NULL)
    *explanation = text;
  else
    g_free (text);
  return check;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

TdChangeCheck
td_change_check (TdPolicy             *policy,
                 const TdChangeFields *fields,
                 TdInstant             now,
                 const char          **field,
                 char                **explanation)
{
  const TdChangeKind *kind;
  TdChangeStatus      status = TD_CHANGE_PLANNED;

  g_return_val_if_fail (TD_IS_POLICY (policy), TD_CHANGE_CHECK_UNKNOWN_KIND);
  g_return_val_if_fail (fields != NULL, TD_CHANGE_CHECK_NO_TITLE);

  if (field != NULL)
    *field = NULL;
  if (explanation != NULL)
    *explanation = NULL;

  if (is_blank (fields->title))
    return fail (TD_CHANGE_CHECK_NO_TITLE, "title", field, explanation,
                 g_strdup ("title: say what the change is"));
  if (g_utf8_strlen (fields->title, -1) > TD_CHANGE_TITLE_MAX)
    return fail (TD_CHANGE_CHECK_TITLE_TOO_LONG, "title", field, explanation,
                 g_strdup_printf ("title: at most %d characters", TD_CHANGE_TITLE_MAX));

  kind = td_policy_get_change_kind (policy, fields->kind);
  if (kind == NULL)
    return fail (TD_CHANGE_CHECK_UNKNOWN_KIND, "kind", field, explanation,
                 g_strdup_printf ("kind: \"%s\" is not a kind of change the policy lists",
                                  fields->kind != NULL ? fields->kind : ""));
  if (td_policy_get_tier (policy, fields->tier) == NULL)
    return fail (TD_CHANGE_CHECK_UNKNOWN_TIER, "tier", field, explanation,
                 g_strdup_printf ("tier: the policy has no tier %d", fields->tier));
  if (fields->tier < kind->from_tier)
    return fail (TD_CHANGE_CHECK_KIND_NOT_FOR_TIER, "kind", field, explanation,
                 g_strdup_printf ("kind: a %s is made from Tier %d up, not at Tier %d", kind->name,
                                  kind->from_tier, fields->tier));

  if (!td_change_status_from_string (fields->status != NULL ? fields->status : "planned", &status))
    return fail (TD_CHANGE_CHECK_UNKNOWN_STATUS, "status", field, explanation,
                 g_strdup_printf ("status: \"%s\" is not planned, succeeded, failed or "
                                  "rolled_back",
                                  fields->status));
  if (td_change_status_is_performed (status) && fields->performed_at == 0)
    return fail (TD_CHANGE_CHECK_NOT_PERFORMED, "performed_at", field, explanation,
                 g_strdup_printf ("performed_at: a change that %s needs the time it was "
                                  "performed",
                                  status == TD_CHANGE_SUCCEEDED ? "succeeded"
                                  : status == TD_CHANGE_FAILED  ? "failed"
                                                                : "was rolled back"));
  if (fields->performed_at > now + TD_CHANGE_CLOCK_SKEW)
    return fail (TD_CHANGE_CHECK_PERFORMED_LATER, "performed_at", field, explanation,
                 g_strdup ("performed_at: is in the future"));
  if ((status == TD_CHANGE_FAILED || status == TD_CHANGE_ROLLED_BACK)
      && is_blank (fields->outcome_note))
    return fail (TD_CHANGE_CHECK_NO_OUTCOME_NOTE, "outcome_note", field, explanation,
                 g_strdup ("outcome_note: say what went wrong, for the review"));
  return TD_CHANGE_CHECK_OK;
}
