/* td-escalation.c — which escalations are allowed, time limits, handoff checklists, ping-pong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-escalation.h"

/* clang-format off */
G_DEFINE_QUARK (td-escalation-error-quark, td_escalation_error)
/* clang-format on */

void
td_escalation_option_free (TdEscalationOption *option)
{
  if (option == NULL)
    return;
  g_clear_pointer (&option->missing, g_ptr_array_unref);
  g_free (option->why);
  g_free (option);
}

static gboolean
strv_has (char *const *strv, const char *value)
{
  return strv != NULL && value != NULL && g_strv_contains ((const char *const *) strv, value);
}

static gboolean
is_checked (const char *const *checked, const char *id)
{
  return checked != NULL && g_strv_contains (checked, id);
}

static char *
join_names (GPtrArray *items)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const TdChecklistItem *item = g_ptr_array_index (items, i);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, item->name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static TdEscalationOption *
evaluate (TdPolicy *policy, const TdEscalationPath *path, const TdEscalationRequest *request)
{
  TdEscalationOption *option = g_new0 (TdEscalationOption, 1);
  gboolean            restricted;
  gboolean            severity_fits;
  gboolean            reason_fits;

  option->path = path;
  option->missing = g_ptr_array_new ();
  option->checklist
      = path->checklist != NULL ? td_policy_get_checklist (policy, path->checklist) : NULL;

  /* A restricted path (SEV-1 direct, any → Tier 4) opens for its severities
   * or for one of its stated reasons, such as a security breach. */
  restricted = (path->severities != NULL && path->severities[0] != NULL)
               || (path->reasons != NULL && path->reasons[0] != NULL);
  severity_fits = strv_has (path->severities, request->severity);
  reason_fits = strv_has (path->reasons, request->reason);

  /* The app shows these reasons translated; tierdeskd binds no text domain,
   * so its API errors stay in English. */
  if (path->from != 0 && path->from != request->tier)
    {
      /* TRANSLATORS: why an escalation path does not apply to a ticket */
      option->why = g_strdup_printf (_ ("leads from Tier %d, the ticket is at Tier %d"), path->from,
                                     request->tier);
      return option;
    }
  if (path->to <= request->tier)
    {
      option->why = g_strdup_printf (_ ("the ticket is already at Tier %d"), request->tier);
      return option;
    }
  if (restricted && !severity_fits && !reason_fits)
    {
      g_autofree char *severities
          = path->severities != NULL ? g_strjoinv (", ", path->severities) : g_strdup ("");
      g_autofree char *reasons
          = path->reasons != NULL ? g_strjoinv (", ", path->reasons) : g_strdup ("");

      /* A path may be open to reasons alone, with no severities. */
      if (reasons[0] != '\0' && severities[0] == '\0')
        option->why = g_strdup_printf (_ ("only with a stated reason: %s"), reasons);
      else if (reasons[0] != '\0')
        option->why
            = g_strdup_printf (_ ("only for %s, or with a stated reason: %s"), severities, reasons);
      else
        option->why = g_strdup_printf (_ ("only for %s"), severities);
      return option;
    }

  option->applies = TRUE;
  if (option->checklist != NULL)
    for (guint i = 0; i < option->checklist->items->len; i++)
      {
        const TdChecklistItem *item = g_ptr_array_index (option->checklist->items, i);

        if (item->required && !is_checked (request->checked, item->id))
          g_ptr_array_add (option->missing, (gpointer) item);
      }

  option->allowed = option->missing->len == 0;
  if (option->allowed)
    {
      g_autofree char *criteria = g_strjoinv (", ", path->criteria);
      option->why = g_strdup_printf (_ ("allowed: Tier %d → Tier %d (%s)"), request->tier, path->to,
                                     criteria);
    }
  else
    {
      g_autofree char *missing = join_names (option->missing);
      option->why = g_strdup_printf (_ ("handoff checklist \"%s\" is incomplete: %s"),
                                     option->checklist->name, missing);
    }
  return option;
}

GPtrArray *
td_escalation_options (TdPolicy *policy, const TdEscalationRequest *request)
{
  GPtrArray *paths;
  GPtrArray *options;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  options = g_ptr_array_new_with_free_func ((GDestroyNotify) td_escalation_option_free);
  paths = td_policy_get_escalation_paths (policy);
  for (guint i = 0; i < paths->len; i++)
    {
      const TdEscalationPath *path = g_ptr_array_index (paths, i);

      if (path->from == 0 || path->from == request->tier)
        g_ptr_array_add (options, evaluate (policy, path, request));
    }
  return options;
}

const TdEscalationPath *
td_escalation_check (TdPolicy                  *policy,
                     const TdEscalationRequest *request,
                     int                        to_tier,
                     GError                   **error)
{
  g_autoptr (GPtrArray) options = NULL;
  const TdEscalationOption *incomplete = NULL;
  g_autoptr (GString) reasons = g_string_new (NULL);

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  options = td_escalation_options (policy, request);
  for (guint i = 0; i < options->len; i++)
    {
      const TdEscalationOption *option = g_ptr_array_index (options, i);

      if (option->path->to != to_tier)
        continue;
      if (option->allowed)
        return option->path;
      if (option->applies && incomplete == NULL)
        incomplete = option;
      g_string_append_printf (reasons, "%s%s: %s", reasons->len > 0 ? "; " : "", option->path->id,
                              option->why);
    }

  if (incomplete != NULL)
    {
      g_autofree char *missing = join_names (incomplete->missing);
      g_set_error (error, TD_ESCALATION_ERROR, TD_ESCALATION_ERROR_CHECKLIST,
                   _ ("cannot escalate from Tier %d to Tier %d: the handoff checklist \"%s\" "
                      "is missing %s"),
                   request->tier, to_tier, incomplete->checklist->name, missing);
    }
  else if (reasons->len > 0)
    g_set_error (error, TD_ESCALATION_ERROR, TD_ESCALATION_ERROR_NO_PATH,
                 _ ("cannot escalate from Tier %d to Tier %d: %s"), request->tier, to_tier,
                 reasons->str);
  else
    g_set_error (error, TD_ESCALATION_ERROR, TD_ESCALATION_ERROR_NO_PATH,
                 _ ("cannot escalate from Tier %d to Tier %d: the policy has no such path"),
                 request->tier, to_tier);
  return NULL;
}

gboolean
td_escalation_time_limit (TdPolicy             *policy,
                          int                   tier,
                          const char           *severity,
                          TdInstant             entered_tier,
                          const TdInterval     *pauses,
                          guint                 n_pauses,
                          TdInstant             now,
                          TdEscalationDeadline *out)
{
  GPtrArray         *limits;
  const TdTimeLimit *found = NULL;

  g_return_val_if_fail (TD_IS_POLICY (policy), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = (TdEscalationDeadline){ 0 };
  out->deadline = TD_INSTANT_NEVER;

  /* A limit for the ticket's severity beats the tier's general one. */
  limits = td_policy_get_time_limits (policy);
  for (guint i = 0; i < limits->len; i++)
    {
      const TdTimeLimit *limit = g_ptr_array_index (limits, i);

      if (limit->tier != tier)
        continue;
      if (limit->severity != NULL && g_strcmp0 (limit->severity, severity) == 0)
        {
          found = limit;
          break;
        }
      if (limit->severity == NULL && found == NULL)
        found = limit;
    }

  if (found == NULL)
    return FALSE;

  out->has_limit = TRUE;
  out->limit = found;
  out->deadline = td_calendar_add (found->calendar, entered_tier, &found->max, pauses, n_pauses);
  out->passed = now >= out->deadline;
  out->remaining = out->passed ? 0
                               : td_calendar_working_between (found->calendar, now, out->deadline,
                                                              pauses, n_pauses);
  return TRUE;
}

guint
td_escalation_count_ping_pong (const TdTierMove *moves, guint n_moves)
{
  guint bounces = 0;
  int   sent_down_from = 0;

  g_return_val_if_fail (moves != NULL || n_moves == 0, 0);

  for (guint i = 0; i < n_moves; i++)
    {
      const TdTierMove *move = &moves[i];

      if (move->to_tier < move->from_tier)
        {
          /* Remember the highest tier it was sent down from. */
          sent_down_from = MAX (sent_down_from, move->from_tier);
        }
      else if (sent_down_from != 0 && move->to_tier >= sent_down_from)
        {
          bounces++;
          sent_down_from = 0;
        }
    }
  return bounces;
}

GArray *
td_escalation_time_per_tier (TdInstant         created,
                             int               first_tier,
                             const TdTierMove *moves,
                             guint             n_moves,
                             TdInstant         now)
{
  GArray   *seconds = g_array_new (FALSE, TRUE, sizeof (gint64));
  int       tier = first_tier;
  TdInstant since = created;

  g_return_val_if_fail (moves != NULL || n_moves == 0, seconds);

  for (guint i = 0; i <= n_moves; i++)
    {
      TdInstant until = i < n_moves ? moves[i].at : now;

      if (tier >= 0)
        {
          if ((guint) tier >= seconds->len)
            g_array_set_size (seconds, tier + 1);
          if (until > since)
            g_array_index (seconds, gint64, tier) += until - since;
        }
      if (i < n_moves)
        {
          tier = moves[i].to_tier;
          since = MAX (since, moves[i].at);
        }
    }
  return seconds;
}

gboolean
td_escalation_pir_required (TdPolicy *policy, const char *severity)
{
  const TdSeverity *found;

  g_return_val_if_fail (TD_IS_POLICY (policy), FALSE);

  found = td_policy_get_severity (policy, severity);
  return found != NULL && found->pir_required;
}
