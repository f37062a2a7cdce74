/* test-access.c — tool access [9.1, 9.2]: which tier may have which tool, and who approves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-access.h"
#include "td-correction.h"

#include "td-test-util.h"

static const struct
{
  const char          *tool;
  int                  tier;
  const char          *level;
  TdAccessRequestCheck expected;
  const char          *explanation;
  const char          *approver;
} cases[] = {
  { "apm", 2, NULL, TD_ACCESS_REQUEST_OK,
    "APM (Datadog/etc.) (full access) for Tier 2 is approved by the Application Support Lead",
    "app-support-lead" },
  { "database-client", 2, NULL, TD_ACCESS_REQUEST_OK,
    "Database Client (read access) for Tier 2 is approved by the Application Support Lead",
    "app-support-lead" },
  { "database-client", 2, "full", TD_ACCESS_REQUEST_LEVEL_TOO_HIGH,
    "Tier 2 may have Database Client only with read access, not full" },
  { "database-client", 3, "full", TD_ACCESS_REQUEST_OK,
    "Database Client (full access) for Tier 3 is approved by the Engineering Manager",
    "engineering-manager" },
  { "lms-admin-console", 1, NULL, TD_ACCESS_REQUEST_OK,
    "LMS Admin Console (limited access) for Tier 1 is approved by the Service Desk Manager",
    "service-desk-manager" },
  { "lms-admin-console", 1, "read", TD_ACCESS_REQUEST_LEVEL_TOO_HIGH,
    "Tier 1 may have LMS Admin Console only with limited access, not read" },
  { "ci-cd", 2, NULL, TD_ACCESS_REQUEST_NOT_FOR_TIER, "CI/CD Pipeline is for Tier 3, not Tier 2" },
  { "pagerduty", 1, NULL, TD_ACCESS_REQUEST_NOT_FOR_TIER,
    "PagerDuty is for Tier 2 or 3, not Tier 1" },
  /* Tier 4 has no row of its own [9.2]: the nearest lower one approves. */
  { "ticketing", 4, NULL, TD_ACCESS_REQUEST_OK,
    "ServiceNow/Jira (full access) for Tier 4 is approved by the Engineering Manager",
    "engineering-manager" },
  /* No tier counts as Tier 1. */
  { "knowledge-base", 0, NULL, TD_ACCESS_REQUEST_OK,
    "Knowledge Base (full access) for Tier 1 is approved by the Service Desk Manager",
    "service-desk-manager" },
  { "spreadsheet", 2, NULL, TD_ACCESS_REQUEST_UNKNOWN_TOOL, "unknown tool \"spreadsheet\"" },
  { "apm", 2, "root", TD_ACCESS_REQUEST_UNKNOWN_LEVEL,
    "unknown access level \"root\" (expected full, read or limited)" },
};

static void
test_check_request (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *explanation = NULL;
      const char      *approver = NULL;
      TdAccessLevel    granted;

      g_test_message ("%s at Tier %d", cases[i].tool, cases[i].tier);
      g_assert_cmpint (td_access_check_request (policy, cases[i].tool, cases[i].tier,
                                                cases[i].level, &granted, &approver, &explanation),
                       ==, cases[i].expected);
      g_assert_cmpstr (explanation, ==, cases[i].explanation);
      g_assert_cmpstr (approver, ==, cases[i].approver);
    }
}

static void
test_levels (void)
{
  TdAccessLevel level = TD_ACCESS_FULL;

  g_assert_true (td_access_level_from_string ("read", &level));
  g_assert_cmpint (level, ==, TD_ACCESS_READ);
  g_assert_cmpstr (td_access_level_to_string (TD_ACCESS_LIMITED), ==, "limited");
  g_assert_false (td_access_level_from_string ("Read", &level));
  g_assert_false (td_access_level_from_string (NULL, &level));
}

/* Correction routing [4.5]: the first approver, never the requester's own role. */
static void
test_correction_route (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  g_assert_cmpstr (td_correction_route (policy, "single-balance", "app-support-analyst"), ==,
                   "app-support-lead");
  g_assert_cmpstr (td_correction_route (policy, "single-balance", "app-support-lead"), ==,
                   "service-desk-manager");
  g_assert_cmpstr (td_correction_route (policy, "bulk-balance", "app-support-lead"), ==,
                   "it-director");
  g_assert_cmpstr (td_correction_route (policy, "historical", "engineer"), ==,
                   "compliance-officer");
  g_assert_null (td_correction_route (policy, "audit-sensitive", "app-support-lead"));
  g_assert_null (td_correction_route (policy, "nonsense", "app-support-lead"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/access/check-request", test_check_request);
  g_test_add_func ("/core/access/levels", test_levels);
  g_test_add_func ("/core/access/correction-route", test_correction_route);
  return g_test_run ();
}
