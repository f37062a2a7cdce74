/* td-triage.c — impact × urgency gives priority and severity; required ticket fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-triage.h"

/* clang-format off */
G_DEFINE_QUARK (td-triage-error-quark, td_triage_error)
/* clang-format on */

static gboolean
items_contain (GPtrArray *items, const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (((const TdPolicyItem *) g_ptr_array_index (items, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* "high, medium or low", for error messages that say what would be right. */
static char *
list_ids (GPtrArray *items)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const TdPolicyItem *item = g_ptr_array_index (items, i);

      if (i > 0)
        g_string_append (text, i + 1 == items->len ? " or " : ", ");
      g_string_append (text, item->id);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
is_blank (const char *value)
{
  if (value == NULL)
    return TRUE;
  for (; *value != '\0'; value++)
    if (!g_ascii_isspace (*value))
      return FALSE;
  return TRUE;
}

const TdTriageRule *
td_triage (TdPolicy *policy, const char *impact, const char *urgency, GError **error)
{
  GPtrArray *rules;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);

  if (!items_contain (td_policy_get_impacts (policy), impact))
    {
      g_autofree char *expected = list_ids (td_policy_get_impacts (policy));
      g_set_error (error, TD_TRIAGE_ERROR, TD_TRIAGE_ERROR_UNKNOWN_IMPACT,
                   "unknown impact \"%s\" (expected %s)", impact != NULL ? impact : "", expected);
      return NULL;
    }
  if (!items_contain (td_policy_get_urgencies (policy), urgency))
    {
      g_autofree char *expected = list_ids (td_policy_get_urgencies (policy));
      g_set_error (error, TD_TRIAGE_ERROR, TD_TRIAGE_ERROR_UNKNOWN_URGENCY,
                   "unknown urgency \"%s\" (expected %s)", urgency != NULL ? urgency : "",
                   expected);
      return NULL;
    }

  rules = td_policy_get_triage_rules (policy);
  for (guint i = 0; i < rules->len; i++)
    {
      const TdTriageRule *rule = g_ptr_array_index (rules, i);

      if (g_str_equal (rule->impact, impact) && g_str_equal (rule->urgency, urgency))
        return rule;
    }

  /* The loader refuses an incomplete matrix, so this is a defect, not input. */
  g_set_error (error, TD_TRIAGE_ERROR, TD_TRIAGE_ERROR_NO_RULE,
               "the policy has no triage rule for impact \"%s\" and urgency \"%s\"", impact,
               urgency);
  return NULL;
}

GPtrArray *
td_triage_missing_fields (TdPolicy *policy, TdFieldLookup lookup, gpointer user_data)
{
  GPtrArray *fields;
  GPtrArray *missing;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (lookup != NULL, NULL);

  missing = g_ptr_array_new ();
  fields = td_policy_get_ticket_fields (policy);
  for (guint i = 0; i < fields->len; i++)
    {
      const TdTicketField *field = g_ptr_array_index (fields, i);
      const char          *value;

      if (!field->required)
        continue;
      value = lookup (field->id, user_data);
      if (is_blank (value))
        g_ptr_array_add (missing, (gpointer) field);
    }
  return missing;
}
