/* test-correction.c — data-correction authority [4.5]: who may correct what, with whose approval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-correction.h"

#include "td-test-util.h"

static void
assert_decision (TdPolicy            *policy,
                 const char          *type,
                 const char          *performer,
                 const char          *approver,
                 TdCorrectionDecision expected,
                 const char          *explanation)
{
  g_autofree char     *text = NULL;
  TdCorrectionDecision decision;

  g_test_message ("%s by %s, approved by %s", type != NULL ? type : "(none)",
                  performer != NULL ? performer : "(none)", approver != NULL ? approver : "(none)");
  decision = td_correction_decide (policy, type, performer, approver, &text);
  g_assert_cmpstr (td_correction_decision_to_string (decision), ==,
                   td_correction_decision_to_string (expected));
  g_assert_cmpstr (text, ==, explanation);

  /* The explanation is optional. */
  g_assert_cmpint (td_correction_decide (policy, type, performer, approver, NULL), ==, expected);
}

/* Single user balance: Tier 2, Manager approval */

static void
test_single_balance (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  const char *needs = "Single user balance needs Manager approval from Application Support Lead, "
                      "Service Desk Manager or Engineering Manager";

  assert_decision (policy, "single-balance", "app-support-analyst", NULL,
                   TD_CORRECTION_NEEDS_APPROVAL, needs);
  assert_decision (policy, "single-balance", "app-support-analyst", "app-support-lead",
                   TD_CORRECTION_ALLOWED,
                   "Single user balance allowed with Manager approval by Application Support Lead");
  assert_decision (policy, "single-balance", "app-support-analyst", "engineering-manager",
                   TD_CORRECTION_ALLOWED,
                   "Single user balance allowed with Manager approval by Engineering Manager");
  assert_decision (policy, "single-balance", "app-support-lead", "service-desk-manager",
                   TD_CORRECTION_ALLOWED,
                   "Single user balance allowed with Manager approval by Service Desk Manager");

  /* An approver who is not a manager is no approval. */
  assert_decision (policy, "single-balance", "app-support-analyst", "app-support-analyst",
                   TD_CORRECTION_NEEDS_APPROVAL, needs);
  assert_decision (policy, "single-balance", "app-support-analyst", "nobody",
                   TD_CORRECTION_NEEDS_APPROVAL, needs);

  /* Tier 1 may not do it at all, approved or not. */
  assert_decision (policy, "single-balance", "service-desk-analyst", "app-support-lead",
                   TD_CORRECTION_NOT_AUTHORISED,
                   "Single user balance is a Tier 2 correction: only Application Support "
                   "Analyst or Application Support Lead may perform it, not Service Desk Analyst");
}

/* Bulk balance adjustment: Tier 2 Lead, Director approval */

static void
test_bulk_balance (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  const char *needs = "Bulk balance adjustment needs Director approval from IT Director";

  assert_decision (policy, "bulk-balance", "app-support-analyst", NULL,
                   TD_CORRECTION_NOT_AUTHORISED,
                   "Bulk balance adjustment is a Tier 2 correction: only Application Support "
                   "Lead may perform it, not Application Support Analyst");
  /* The director's approval does not make an analyst a lead. */
  assert_decision (policy, "bulk-balance", "app-support-analyst", "it-director",
                   TD_CORRECTION_NOT_AUTHORISED,
                   "Bulk balance adjustment is a Tier 2 correction: only Application Support "
                   "Lead may perform it, not Application Support Analyst");

  assert_decision (policy, "bulk-balance", "app-support-lead", NULL, TD_CORRECTION_NEEDS_APPROVAL,
                   needs);
  /* A manager's approval is not a director's. */
  assert_decision (policy, "bulk-balance", "app-support-lead", "engineering-manager",
                   TD_CORRECTION_NEEDS_APPROVAL, needs);
  assert_decision (policy, "bulk-balance", "app-support-lead", "app-support-lead",
                   TD_CORRECTION_NEEDS_APPROVAL, needs);
  assert_decision (policy, "bulk-balance", "app-support-lead", "it-director", TD_CORRECTION_ALLOWED,
                   "Bulk balance adjustment allowed with Director approval by IT Director");
}

/* Historical data: Tier 3, Compliance approval */

static void
test_historical (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  const char *needs = "Historical data needs Compliance approval from Compliance Officer";

  assert_decision (policy, "historical", "engineer", NULL, TD_CORRECTION_NEEDS_APPROVAL, needs);
  assert_decision (policy, "historical", "engineer", "it-director", TD_CORRECTION_NEEDS_APPROVAL,
                   needs);
  assert_decision (policy, "historical", "engineer", "compliance-officer", TD_CORRECTION_ALLOWED,
                   "Historical data allowed with Compliance approval by Compliance Officer");
  assert_decision (policy, "historical", "dba", "compliance-officer", TD_CORRECTION_ALLOWED,
                   "Historical data allowed with Compliance approval by Compliance Officer");

  /* Tier 2 may not, even its lead. */
  assert_decision (policy, "historical", "app-support-lead", "compliance-officer",
                   TD_CORRECTION_NOT_AUTHORISED,
                   "Historical data is a Tier 3 correction: only Engineer, Senior Backend "
                   "Engineer, DBA or Engineering Manager may perform it, not Application "
                   "Support Lead");
}

/* Audit-sensitive data: prohibited */

static void
test_audit_sensitive (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  const char *text = "Audit-sensitive data may not be corrected: prohibited (Never at Tier 2)";
  const char *approvers[] = { NULL, "app-support-lead", "it-director", "compliance-officer" };
  GPtrArray  *roles = td_policy_get_roles (policy);

  g_assert_cmpuint (roles->len, >, 0);

  /* Nobody, with anybody's approval, including the lead and the administrator. */
  for (guint i = 0; i < roles->len; i++)
    {
      const TdRole *role = g_ptr_array_index (roles, i);

      for (guint j = 0; j < G_N_ELEMENTS (approvers); j++)
        assert_decision (policy, "audit-sensitive", role->id, approvers[j],
                         TD_CORRECTION_PROHIBITED, text);
    }
  assert_decision (policy, "audit-sensitive", "app-support-lead", "it-director",
                   TD_CORRECTION_PROHIBITED, text);
  assert_decision (policy, "audit-sensitive", "administrator", "administrator",
                   TD_CORRECTION_PROHIBITED, text);
  assert_decision (policy, "audit-sensitive", NULL, NULL, TD_CORRECTION_PROHIBITED, text);
}

/* Anything else */

static void
test_unknown (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  assert_decision (policy, "nope", "app-support-lead", "it-director", TD_CORRECTION_UNKNOWN_TYPE,
                   "unknown correction type \"nope\"");
  assert_decision (policy, NULL, "app-support-lead", NULL, TD_CORRECTION_UNKNOWN_TYPE,
                   "unknown correction type \"\"");

  /* A role the policy does not know, or none at all, is not authorised. */
  assert_decision (policy, "single-balance", "janitor", "app-support-lead",
                   TD_CORRECTION_NOT_AUTHORISED,
                   "Single user balance is a Tier 2 correction: only Application Support "
                   "Analyst or Application Support Lead may perform it, not this role");
  assert_decision (policy, "single-balance", NULL, NULL, TD_CORRECTION_NOT_AUTHORISED,
                   "Single user balance is a Tier 2 correction: only Application Support "
                   "Analyst or Application Support Lead may perform it, not this role");
}

static void
test_decision_strings (void)
{
  g_assert_cmpstr (td_correction_decision_to_string (TD_CORRECTION_ALLOWED), ==, "allowed");
  g_assert_cmpstr (td_correction_decision_to_string (TD_CORRECTION_NEEDS_APPROVAL), ==,
                   "needs-approval");
  g_assert_cmpstr (td_correction_decision_to_string (TD_CORRECTION_NOT_AUTHORISED), ==,
                   "not-authorised");
  g_assert_cmpstr (td_correction_decision_to_string (TD_CORRECTION_PROHIBITED), ==, "prohibited");
  g_assert_cmpstr (td_correction_decision_to_string (TD_CORRECTION_UNKNOWN_TYPE), ==,
                   "unknown-type");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/correction/single-balance", test_single_balance);
  g_test_add_func ("/core/correction/bulk-balance", test_bulk_balance);
  g_test_add_func ("/core/correction/historical", test_historical);
  g_test_add_func ("/core/correction/audit-sensitive", test_audit_sensitive);
  g_test_add_func ("/core/correction/unknown", test_unknown);
  g_test_add_func ("/core/correction/decision-strings", test_decision_strings);

  return g_test_run ();
}
