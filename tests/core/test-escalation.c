/* test-escalation.c — escalation paths [7.1], time limits [7.2], handoffs [8.1, 8.2], ping-pong [10.2]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "td-escalation.h"
#include "td-time.h"

#include "td-test-util.h"

#define MINUTE ((gint64) 60)
#define HOUR   ((gint64) 3600)

static const char *const t1_t2_all[] = {
  "documented", "impact", "steps", "evidence", "troubleshooting", "user-notified", NULL,
};

static const char *const t2_t3_all[] = {
  "hypothesis", "technical-evidence", "business-impact", "workaround", "severity", "stakeholders",
  NULL,
};

static void
assert_allowed (TdPolicy                  *policy,
                const TdEscalationRequest *request,
                int                        to_tier,
                const char                *path_id)
{
  g_autoptr (GError) error = NULL;
  const TdEscalationPath *path;

  path = td_escalation_check (policy, request, to_tier, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_cmpstr (path->id, ==, path_id);
  g_assert_cmpint (path->to, ==, to_tier);
}

static void
assert_refused (TdPolicy                  *policy,
                const TdEscalationRequest *request,
                int                        to_tier,
                int                        code,
                const char                *message)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (td_escalation_check (policy, request, to_tier, &error));
  g_assert_error (error, TD_ESCALATION_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static const TdEscalationOption *
find_option (GPtrArray *options, const char *path_id)
{
  for (guint i = 0; i < options->len; i++)
    {
      const TdEscalationOption *option = g_ptr_array_index (options, i);

      if (g_str_equal (option->path->id, path_id))
        return option;
    }
  g_assert_not_reached ();
  return NULL;
}

/* Tier 1 → Tier 2 [7.1, 8.1] */

static void
test_t1_t2_needs_checklist (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationRequest request = { 0 };
  const char         *some[] = { "documented", "steps", NULL };

  request.tier = 1;
  request.severity = "SEV-3";
  assert_refused (policy, &request, 2, TD_ESCALATION_ERROR_CHECKLIST,
                  "cannot escalate from Tier 1 to Tier 2: the handoff checklist "
                  "\"Tier 1 → Tier 2 Handoff\" is missing Ticket fully documented, "
                  "User impact stated, Steps to reproduce, Screenshots/error messages, "
                  "Initial troubleshooting done, User notified of escalation");

  /* Only what is still unticked is named. */
  request.checked = some;
  assert_refused (policy, &request, 2, TD_ESCALATION_ERROR_CHECKLIST,
                  "cannot escalate from Tier 1 to Tier 2: the handoff checklist "
                  "\"Tier 1 → Tier 2 Handoff\" is missing User impact stated, "
                  "Screenshots/error messages, Initial troubleshooting done, "
                  "User notified of escalation");

  /* The Tier 2 → Tier 3 items do not count for Tier 1 → Tier 2: none of
   * their ids is shared. */
  request.checked = (const char *const *) t2_t3_all;
  assert_refused (policy, &request, 2, TD_ESCALATION_ERROR_CHECKLIST,
                  "cannot escalate from Tier 1 to Tier 2: the handoff checklist "
                  "\"Tier 1 → Tier 2 Handoff\" is missing Ticket fully documented, "
                  "User impact stated, Steps to reproduce, Screenshots/error messages, "
                  "Initial troubleshooting done, User notified of escalation");

  /* Even a SEV-1 needs the handoff to go to Tier 2. */
  request.checked = NULL;
  request.severity = "SEV-1";
  assert_refused (policy, &request, 2, TD_ESCALATION_ERROR_CHECKLIST,
                  "cannot escalate from Tier 1 to Tier 2: the handoff checklist "
                  "\"Tier 1 → Tier 2 Handoff\" is missing Ticket fully documented, "
                  "User impact stated, Steps to reproduce, Screenshots/error messages, "
                  "Initial troubleshooting done, User notified of escalation");
}

static void
test_t1_t2_allowed (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationRequest request = { 0 };

  request.tier = 1;
  request.severity = "SEV-3";
  request.checked = t1_t2_all;
  assert_allowed (policy, &request, 2, "t1-t2");

  /* Also without a severity yet. */
  request.severity = NULL;
  assert_allowed (policy, &request, 2, "t1-t2");
}

static void
test_t1_options (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GPtrArray) options = NULL;
  TdEscalationRequest request = { 0 };
  const char *some[] = { "documented", "impact", "steps", "evidence", "troubleshooting", NULL };
  const TdEscalationOption *option;

  request.tier = 1;
  request.severity = "SEV-3";
  request.checked = some;
  options = td_escalation_options (policy, &request);

  /* Every path from Tier 1 or from any tier, in the policy's order. */
  g_assert_cmpuint (options->len, ==, 3);
  g_assert_cmpstr (((TdEscalationOption *) g_ptr_array_index (options, 0))->path->id, ==, "t1-t2");
  g_assert_cmpstr (((TdEscalationOption *) g_ptr_array_index (options, 1))->path->id, ==,
                   "sev1-direct");
  g_assert_cmpstr (((TdEscalationOption *) g_ptr_array_index (options, 2))->path->id, ==, "any-t4");

  option = find_option (options, "t1-t2");
  g_assert_true (option->applies);
  g_assert_false (option->allowed);
  g_assert_nonnull (option->checklist);
  g_assert_cmpstr (option->checklist->id, ==, "t1-t2");
  g_assert_cmpuint (option->missing->len, ==, 1);
  g_assert_cmpstr (((const TdChecklistItem *) g_ptr_array_index (option->missing, 0))->id, ==,
                   "user-notified");
  g_assert_cmpstr (option->why, ==,
                   "handoff checklist \"Tier 1 → Tier 2 Handoff\" is incomplete: "
                   "User notified of escalation");

  option = find_option (options, "sev1-direct");
  g_assert_false (option->applies);
  g_assert_false (option->allowed);
  g_assert_cmpstr (option->why, ==, "only for SEV-1");

  option = find_option (options, "any-t4");
  g_assert_false (option->applies);
  g_assert_false (option->allowed);
  g_assert_cmpstr (option->why, ==,
                   "only for SEV-1, or with a stated reason: Security breach, Compliance risk");

  g_clear_pointer (&options, g_ptr_array_unref);
  request.checked = t1_t2_all;
  options = td_escalation_options (policy, &request);
  option = find_option (options, "t1-t2");
  g_assert_true (option->applies);
  g_assert_true (option->allowed);
  g_assert_cmpuint (option->missing->len, ==, 0);
  g_assert_cmpstr (option->why, ==,
                   "allowed: Tier 1 → Tier 2 (Functional issue, Data problem, "
                   "Configuration needed)");
}

/* Tier 2 → Tier 3 [7.1, 8.2] */

static void
test_t2_t3 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationRequest request = { 0 };
  const char         *some[]
      = { "hypothesis", "technical-evidence", "business-impact", "workaround", NULL };

  request.tier = 2;
  request.severity = "SEV-2";
  assert_refused (policy, &request, 3, TD_ESCALATION_ERROR_CHECKLIST,
                  "cannot escalate from Tier 2 to Tier 3: the handoff checklist "
                  "\"Tier 2 → Tier 3 Handoff\" is missing Root cause hypothesis, "
                  "Technical evidence (logs, traces), Business impact quantified, "
                  "Workaround status, Severity confirmed, Stakeholders informed");

  request.checked = some;
  assert_refused (policy, &request, 3, TD_ESCALATION_ERROR_CHECKLIST,
                  "cannot escalate from Tier 2 to Tier 3: the handoff checklist "
                  "\"Tier 2 → Tier 3 Handoff\" is missing Severity confirmed, "
                  "Stakeholders informed");

  /* The Tier 1 → Tier 2 ticks count for nothing here: the two lists share
   * no item ids, so one handoff never completes the other. */
  request.checked = t1_t2_all;
  assert_refused (policy, &request, 3, TD_ESCALATION_ERROR_CHECKLIST,
                  "cannot escalate from Tier 2 to Tier 3: the handoff checklist "
                  "\"Tier 2 → Tier 3 Handoff\" is missing Root cause hypothesis, "
                  "Technical evidence (logs, traces), Business impact quantified, "
                  "Workaround status, Severity confirmed, Stakeholders informed");

  request.checked = t2_t3_all;
  assert_allowed (policy, &request, 3, "t2-t3");
}

/* Tier 3 → Tier 4 [7.1] */

static void
test_t3_t4 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationRequest request = { 0 };

  /* No checklist, no severity restriction: the first path that fits wins. */
  request.tier = 3;
  request.severity = "SEV-2";
  assert_allowed (policy, &request, 4, "t3-t4");
  request.severity = "SEV-1";
  assert_allowed (policy, &request, 4, "t3-t4");
}

/* SEV-1 direct [7.3] and Any → Tier 4 [7.1] */

static void
test_sev1_direct (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GError) error = NULL;
  TdEscalationRequest     request = { 0 };
  const TdEscalationPath *path;

  request.tier = 1;
  request.severity = "SEV-1";

  /* No handoff checklist on the urgent paths. */
  path = td_escalation_check (policy, &request, 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_cmpstr (path->id, ==, "sev1-direct");
  g_assert_cmpstr (path->label, ==, "Tier 3 URGENT");
  g_assert_null (path->checklist);

  assert_allowed (policy, &request, 4, "any-t4");

  /* From Tier 2 a SEV-1 goes straight to Tier 4 as well. */
  request.tier = 2;
  assert_allowed (policy, &request, 4, "any-t4");
}

static void
test_sev2_not_direct (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationRequest request = { 0 };

  request.tier = 1;
  request.severity = "SEV-2";
  assert_refused (policy, &request, 3, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 1 to Tier 3: sev1-direct: only for SEV-1");
  assert_refused (policy, &request, 4, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 1 to Tier 4: any-t4: only for SEV-1, or with a "
                  "stated reason: Security breach, Compliance risk");

  /* A ticked checklist does not open a severity-restricted path. */
  request.checked = t1_t2_all;
  assert_refused (policy, &request, 3, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 1 to Tier 3: sev1-direct: only for SEV-1");

  /* Nor does a reason that only Tier 4 accepts. */
  request.reason = "Security breach";
  assert_refused (policy, &request, 3, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 1 to Tier 3: sev1-direct: only for SEV-1");
}

static void
test_any_t4_reasons (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationRequest request = { 0 };

  request.tier = 2;
  request.severity = "SEV-3";
  assert_refused (policy, &request, 4, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 2 to Tier 4: any-t4: only for SEV-1, or with a "
                  "stated reason: Security breach, Compliance risk");

  request.reason = "Security breach";
  assert_allowed (policy, &request, 4, "any-t4");

  request.reason = "Compliance risk";
  assert_allowed (policy, &request, 4, "any-t4");

  request.reason = "Vendor issue";
  assert_refused (policy, &request, 4, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 2 to Tier 4: any-t4: only for SEV-1, or with a "
                  "stated reason: Security breach, Compliance risk");

  request.reason = "";
  assert_refused (policy, &request, 4, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 2 to Tier 4: any-t4: only for SEV-1, or with a "
                  "stated reason: Security breach, Compliance risk");

  /* A Tier 1 SEV-4 with a security breach. */
  request.tier = 1;
  request.severity = "SEV-4";
  request.reason = "Security breach";
  assert_allowed (policy, &request, 4, "any-t4");
}

/* A path open only to stated reasons must not read "only for , or ...". */
static void
test_reasons_only_path (void)
{
  g_autofree char *path = td_test_policy_path ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GString) changed = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  TdEscalationRequest request = { 0 };

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  changed = g_string_new (text);
  g_assert_cmpuint (g_string_replace (changed,
                                      "\"severities\": [\"SEV-1\"],\n"
                                      "        \"reasons\":",
                                      "\"reasons\":", 0),
                    ==, 1);
  policy = td_policy_new_from_data (changed->str, changed->len, &error);
  g_assert_no_error (error);

  request.tier = 2;
  request.severity = "SEV-1";
  assert_refused (policy, &request, 4, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 2 to Tier 4: any-t4: only with a stated reason: "
                  "Security breach, Compliance risk");
  request.reason = "Compliance risk";
  assert_allowed (policy, &request, 4, "any-t4");
}

/* Nowhere to go from Tier 4, and down is not up */

static void
test_from_tier4 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GPtrArray) options = NULL;
  TdEscalationRequest request = { 0 };

  request.tier = 4;
  request.severity = "SEV-1";
  request.reason = "Security breach";

  options = td_escalation_options (policy, &request);
  for (guint i = 0; i < options->len; i++)
    {
      const TdEscalationOption *option = g_ptr_array_index (options, i);

      g_assert_false (option->applies);
      g_assert_false (option->allowed);
    }
  g_assert_cmpstr (find_option (options, "any-t4")->why, ==, "the ticket is already at Tier 4");

  assert_refused (policy, &request, 4, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 4 to Tier 4: any-t4: the ticket is already at "
                  "Tier 4");
  assert_refused (policy, &request, 5, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 4 to Tier 5: the policy has no such path");
}

static void
test_down_is_not_escalation (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GPtrArray) options = NULL;
  TdEscalationRequest request = { 0 };

  request.tier = 3;
  request.severity = "SEV-1";
  request.checked = t2_t3_all;
  assert_refused (policy, &request, 2, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 3 to Tier 2: the policy has no such path");
  assert_refused (policy, &request, 1, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 3 to Tier 1: the policy has no such path");
  assert_refused (policy, &request, 3, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 3 to Tier 3: the policy has no such path");

  request.tier = 2;
  request.checked = t1_t2_all;
  assert_refused (policy, &request, 1, TD_ESCALATION_ERROR_NO_PATH,
                  "cannot escalate from Tier 2 to Tier 1: the policy has no such path");

  /* No option ever leads down or sideways. */
  options = td_escalation_options (policy, &request);
  for (guint i = 0; i < options->len; i++)
    {
      const TdEscalationOption *option = g_ptr_array_index (options, i);

      g_assert_cmpint (option->path->to, >, request.tier);
    }
}

/* Time limits [7.2] */

static void
time_limit (TdPolicy             *policy,
            int                   tier,
            const char           *severity,
            TdInstant             entered,
            TdInstant             now,
            TdEscalationDeadline *out)
{
  g_assert_true (td_escalation_time_limit (policy, tier, severity, entered, NULL, 0, now, out));
  g_assert_true (out->has_limit);
  g_assert_nonnull (out->limit);
  g_assert_cmpint (out->limit->tier, ==, tier);
}

static void
test_time_limit_tier1 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationDeadline out;
  TdInstant            entered = td_test_iso ("2026-03-10T10:00:00Z");
  TdInterval           pause = { entered + 5 * MINUTE, entered + 20 * MINUTE };

  time_limit (policy, 1, "SEV-3", entered, entered + 10 * MINUTE, &out);
  td_test_assert_instant (out.deadline, "2026-03-10T10:30:00Z");
  g_assert_cmpstr (td_calendar_get_id (out.limit->calendar), ==, "24x7");
  g_assert_cmpstr (out.limit->condition, ==, "Cannot resolve, functional issue");
  g_assert_null (out.limit->severity);
  g_assert_false (out.passed);
  g_assert_cmpint (out.remaining, ==, 20 * MINUTE);

  time_limit (policy, 1, NULL, entered, entered + 30 * MINUTE, &out);
  g_assert_true (out.passed);
  g_assert_cmpint (out.remaining, ==, 0);

  /* Out of hours too: Tier 1 is 24x7. */
  time_limit (policy, 1, "SEV-4", td_test_iso ("2026-03-07T23:50:00Z"),
              td_test_iso ("2026-03-07T23:55:00Z"), &out);
  td_test_assert_instant (out.deadline, "2026-03-08T00:20:00Z");
  g_assert_cmpint (out.remaining, ==, 25 * MINUTE);

  /* Paused time does not count. */
  g_assert_true (td_escalation_time_limit (policy, 1, "SEV-3", entered, &pause, 1, entered, &out));
  td_test_assert_instant (out.deadline, "2026-03-10T10:45:00Z");
}

static void
test_time_limit_tier2 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationDeadline out;
  TdInstant            entered = td_test_iso ("2026-03-27T16:00:00Z");

  /* Entered Tier 2 on Friday 16:00 London (GMT): 1 business hour on Friday,
   * 1 on Monday from 09:00 BST (08:00Z), after the clocks went forward. */
  time_limit (policy, 2, "SEV-3", entered, entered, &out);
  td_test_assert_instant (out.deadline, "2026-03-30T09:00:00Z");
  g_assert_cmpstr (td_calendar_get_id (out.limit->calendar), ==, "business-hours");
  g_assert_cmpstr (out.limit->condition, ==, "Code/infrastructure suspected");
  g_assert_false (out.passed);
  g_assert_cmpint (out.remaining, ==, 2 * HOUR);

  time_limit (policy, 2, "SEV-3", entered, td_test_iso ("2026-03-27T16:30:00Z"), &out);
  g_assert_cmpint (out.remaining, ==, 90 * MINUTE);

  /* The weekend does not eat into it. */
  time_limit (policy, 2, "SEV-3", entered, td_test_iso ("2026-03-28T12:00:00Z"), &out);
  g_assert_false (out.passed);
  g_assert_cmpint (out.remaining, ==, HOUR);

  time_limit (policy, 2, "SEV-3", entered, td_test_iso ("2026-03-30T08:59:59Z"), &out);
  g_assert_false (out.passed);
  g_assert_cmpint (out.remaining, ==, 1);

  time_limit (policy, 2, "SEV-3", entered, td_test_iso ("2026-03-30T09:00:00Z"), &out);
  g_assert_true (out.passed);
  g_assert_cmpint (out.remaining, ==, 0);

  /* Tier 2 has one limit for every severity. */
  time_limit (policy, 2, "SEV-1", entered, entered, &out);
  td_test_assert_instant (out.deadline, "2026-03-30T09:00:00Z");
}

static void
test_time_limit_tier3 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdEscalationDeadline out;
  TdInstant            entered = td_test_iso ("2026-03-27T16:00:00Z");

  /* SEV-1: 1 hour, around the clock. */
  time_limit (policy, 3, "SEV-1", entered, entered + 30 * MINUTE, &out);
  td_test_assert_instant (out.deadline, "2026-03-27T17:00:00Z");
  g_assert_cmpstr (out.limit->severity, ==, "SEV-1");
  g_assert_cmpstr (out.limit->condition, ==, "No progress, need executive");
  g_assert_cmpstr (td_calendar_get_id (out.limit->calendar), ==, "24x7");
  g_assert_false (out.passed);
  g_assert_cmpint (out.remaining, ==, 30 * MINUTE);

  /* SEV-2: 4 hours, around the clock (into Friday night). */
  time_limit (policy, 3, "SEV-2", entered, entered + 4 * HOUR, &out);
  td_test_assert_instant (out.deadline, "2026-03-27T20:00:00Z");
  g_assert_cmpstr (out.limit->severity, ==, "SEV-2");
  g_assert_cmpstr (out.limit->condition, ==, "No progress");
  g_assert_true (out.passed);
  g_assert_cmpint (out.remaining, ==, 0);
}

static void
assert_no_limit (TdPolicy *policy, int tier, const char *severity)
{
  TdEscalationDeadline out;
  TdInstant            entered = td_test_iso ("2026-03-27T16:00:00Z");

  g_assert_false (
      td_escalation_time_limit (policy, tier, severity, entered, NULL, 0, entered + HOUR, &out));
  g_assert_false (out.has_limit);
  g_assert_null (out.limit);
  g_assert_cmpint (out.deadline, ==, TD_INSTANT_NEVER);
  g_assert_false (out.passed);
}

static void
test_time_limit_none (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  /* [7.2] lists Tier 3 limits for SEV-1 and SEV-2 only. */
  assert_no_limit (policy, 3, "SEV-3");
  assert_no_limit (policy, 3, "SEV-4");
  assert_no_limit (policy, 3, NULL);
  assert_no_limit (policy, 4, "SEV-1");
  assert_no_limit (policy, 7, NULL);
}

/* Ping-pong [10.2] and time per tier */

static guint
count_path (const int *tiers, guint n_tiers)
{
  g_autofree TdTierMove *moves = g_new0 (TdTierMove, n_tiers);

  for (guint i = 0; i + 1 < n_tiers; i++)
    {
      moves[i].from_tier = tiers[i];
      moves[i].to_tier = tiers[i + 1];
      moves[i].at = 1000 + i * 60;
    }
  return td_escalation_count_ping_pong (moves, n_tiers - 1);
}

static void
test_ping_pong (void)
{
  static const int up[] = { 1, 2, 3 };
  static const int bounce_t1_t2[] = { 1, 2, 1, 2 };
  static const int bounce_t2_t3[] = { 1, 2, 3, 2, 3 };
  static const int two_bounces[] = { 1, 2, 1, 2, 1, 2 };
  static const int two_levels[] = { 1, 2, 1, 2, 3, 2, 3 };
  static const int sent_back[] = { 1, 2, 1 };
  static const int up_to_4[] = { 1, 2, 3, 4 };

  g_assert_cmpuint (td_escalation_count_ping_pong (NULL, 0), ==, 0);
  g_assert_cmpuint (count_path (up, G_N_ELEMENTS (up)), ==, 0);
  g_assert_cmpuint (count_path (up_to_4, G_N_ELEMENTS (up_to_4)), ==, 0);
  g_assert_cmpuint (count_path (bounce_t1_t2, G_N_ELEMENTS (bounce_t1_t2)), ==, 1);
  g_assert_cmpuint (count_path (bounce_t2_t3, G_N_ELEMENTS (bounce_t2_t3)), ==, 1);
  g_assert_cmpuint (count_path (two_bounces, G_N_ELEMENTS (two_bounces)), ==, 2);
  g_assert_cmpuint (count_path (two_levels, G_N_ELEMENTS (two_levels)), ==, 2);
  /* Sent back and left there is not (yet) a bounce. */
  g_assert_cmpuint (count_path (sent_back, G_N_ELEMENTS (sent_back)), ==, 0);
}

static void
test_time_per_tier (void)
{
  TdInstant  created = td_test_iso ("2026-03-10T10:00:00Z");
  TdTierMove moves[] = {
    { 1, 2, created + 10 * MINUTE },
    { 2, 1, created + 40 * MINUTE },
    { 1, 2, created + 50 * MINUTE },
    { 2, 3, created + 2 * HOUR },
  };
  g_autoptr (GArray) seconds = NULL;

  seconds
      = td_escalation_time_per_tier (created, 1, moves, G_N_ELEMENTS (moves), created + 5 * HOUR);
  g_assert_cmpuint (seconds->len, ==, 4);
  g_assert_cmpint (g_array_index (seconds, gint64, 0), ==, 0);
  /* 10 + 10 minutes at Tier 1, 30 + 70 at Tier 2, 3 hours at Tier 3. */
  g_assert_cmpint (g_array_index (seconds, gint64, 1), ==, 20 * MINUTE);
  g_assert_cmpint (g_array_index (seconds, gint64, 2), ==, 100 * MINUTE);
  g_assert_cmpint (g_array_index (seconds, gint64, 3), ==, 3 * HOUR);
  g_assert_cmpint (g_array_index (seconds, gint64, 1) + g_array_index (seconds, gint64, 2)
                       + g_array_index (seconds, gint64, 3),
                   ==, 5 * HOUR);
  g_clear_pointer (&seconds, g_array_unref);

  /* No moves: all the time in the first tier. */
  seconds = td_escalation_time_per_tier (created, 2, NULL, 0, created + HOUR);
  g_assert_cmpuint (seconds->len, ==, 3);
  g_assert_cmpint (g_array_index (seconds, gint64, 1), ==, 0);
  g_assert_cmpint (g_array_index (seconds, gint64, 2), ==, HOUR);
}

/* PIR [10.2] */

static void
test_pir_required (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  g_assert_true (td_escalation_pir_required (policy, "SEV-1"));
  g_assert_true (td_escalation_pir_required (policy, "SEV-2"));
  g_assert_false (td_escalation_pir_required (policy, "SEV-3"));
  g_assert_false (td_escalation_pir_required (policy, "SEV-4"));
  g_assert_false (td_escalation_pir_required (policy, "SEV-9"));
  g_assert_false (td_escalation_pir_required (policy, ""));
  g_assert_false (td_escalation_pir_required (policy, NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/escalation/t1-t2/needs-checklist", test_t1_t2_needs_checklist);
  g_test_add_func ("/core/escalation/t1-t2/allowed", test_t1_t2_allowed);
  g_test_add_func ("/core/escalation/t1-t2/options", test_t1_options);
  g_test_add_func ("/core/escalation/t2-t3", test_t2_t3);
  g_test_add_func ("/core/escalation/t3-t4", test_t3_t4);
  g_test_add_func ("/core/escalation/sev1-direct", test_sev1_direct);
  g_test_add_func ("/core/escalation/sev2-not-direct", test_sev2_not_direct);
  g_test_add_func ("/core/escalation/any-t4/reasons", test_any_t4_reasons);
  g_test_add_func ("/core/escalation/any-t4/reasons-only", test_reasons_only_path);
  g_test_add_func ("/core/escalation/from-tier-4", test_from_tier4);
  g_test_add_func ("/core/escalation/down", test_down_is_not_escalation);
  g_test_add_func ("/core/escalation/time-limit/tier-1", test_time_limit_tier1);
  g_test_add_func ("/core/escalation/time-limit/tier-2", test_time_limit_tier2);
  g_test_add_func ("/core/escalation/time-limit/tier-3", test_time_limit_tier3);
  g_test_add_func ("/core/escalation/time-limit/none", test_time_limit_none);
  g_test_add_func ("/core/escalation/ping-pong", test_ping_pong);
  g_test_add_func ("/core/escalation/time-per-tier", test_time_per_tier);
  g_test_add_func ("/core/escalation/pir-required", test_pir_required);

  return g_test_run ();
}
