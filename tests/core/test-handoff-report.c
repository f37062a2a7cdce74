/* test-handoff-report.c — the shift handoff report [8.3] from prepared live data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Monday 2 March 2026, 12:00 UTC (London is on GMT, so business hours are
 * 09:00–17:00 UTC that day).
 */
#include <string.h>

#include "td-handoff-report.h"

#include "td-test-util.h"

#define MINUTE ((gint64) 60)
#define HOUR   ((gint64) 3600)
/* Monday 2 March 2026 00:00 UTC. */
#define M        ((TdInstant) 1772409600)
#define AT(h, m) (M + (h) *HOUR + (m) *MINUTE)
#define NOW      AT (12, 0)

static const TdHandoffTicket tickets[] = {
  /* SEV-1 at Tier 3 since 10:30, last update to the user 11:50. */
  { "t-sev1", "Payroll export fails", "in_progress", "SEV-1", "P1", NULL, 3, "Bob Brown",
    AT (10, 0), AT (10, 5), AT (11, 50), AT (10, 30), FALSE, 0, 0 },
  /* SEV-3 escalated to Tier 2 at 11:40, not yet answered nor picked up. */
  { "t-sev3", "Leave balance | wrong", "new", "SEV-3", "P3", NULL, 2, NULL, AT (11, 0), 0, 0,
    AT (11, 40), TRUE, 1, AT (11, 40) },
  /* Resolved: not in the report. */
  { "t-done", "Password reset", "resolved", "SEV-4", "P4", NULL, 1, "Ann", AT (9, 0), AT (9, 5), 0,
    AT (9, 0), FALSE, 0, 0 },
  /* SEV-4 at Tier 1, owned, answered. */
  { "t-sev4", "Report layout question", "in_progress", "SEV-4", "P4", NULL, 1, "Ann", AT (8, 0),
    AT (8, 10), AT (8, 10), AT (8, 0), FALSE, 0, 0 },
};

static const TdHandoffContact contacts[] = {
  { 2, "Tier 2 On-Call Rotation", "Primary", "Alice Archer", "+44 7700 900001", AT (9, 0),
    AT (9, 0) + 7 * 24 * HOUR, FALSE },
  { 2, "Tier 2 On-Call Rotation", "Primary", "Bob Brown", NULL, AT (9, 0) + 7 * 24 * HOUR,
    AT (9, 0) + 14 * 24 * HOUR, TRUE },
};

static JsonObject *
build (TdPolicy *policy, int tier)
{
  TdHandoffInput input
      = { tier, NOW, tickets, G_N_ELEMENTS (tickets), contacts, G_N_ELEMENTS (contacts) };

  return td_handoff_report_build (policy, &input);
}

static JsonObject *
element (JsonObject *report, const char *array, guint index)
{
  return json_array_get_object_element (json_object_get_array_member (report, array), index);
}

static guint
length (JsonObject *report, const char *array)
{
  return json_array_get_length (json_object_get_array_member (report, array));
}

static void
test_build (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (JsonObject) report = build (policy, 0);
  JsonObject *action;

  g_assert_cmpint (json_object_get_int_member (report, "generated_at"), ==, NOW);

  /* Three open tickets, the most severe first; the resolved one is out. */
  g_assert_cmpuint (length (report, "open_tickets"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (element (report, "open_tickets", 0), "id"), ==,
                   "t-sev1");
  g_assert_cmpstr (json_object_get_string_member (element (report, "open_tickets", 1), "id"), ==,
                   "t-sev3");
  g_assert_cmpstr (json_object_get_string_member (element (report, "open_tickets", 2), "id"), ==,
                   "t-sev4");
  g_assert_true (json_object_get_null_member (element (report, "open_tickets", 1), "owner"));

  /* [8.3] Active incidents: any ongoing SEV-1/SEV-2. */
  g_assert_cmpuint (length (report, "active_incidents"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (element (report, "active_incidents", 0), "id"),
                   ==, "t-sev1");

  /* Pending actions by due time:
   * - t-sev1: Tier 3's SEV-1 limit is 1 h on 24x7 from 10:30: passed at
   *   11:30 (the path to Tier 4 has no checklist);
   * - t-sev3: no response yet; the earliest of Tier 2's 1 business hour
   *   and SEV-3's 4 business hours from 11:00 is 12:00, due now, so overdue;
   * - t-sev1: SEV-1 updates every 30 min: 11:50 + 30 min = 12:20;
   * - t-sev3: Tier 2's limit is 2 business hours from 11:40: 13:40, within
   *   the 4 h horizon, with the Tier 2 → Tier 3 checklist (6 items);
   * - t-sev4: SEV-4 updates weekly: 8 March 08:10. Tier 1's 30 min limit
   *   from 08:00 passed at 08:30, which comes first of all. */
  g_assert_cmpuint (length (report, "pending_actions"), ==, 6);
  action = element (report, "pending_actions", 0);
  g_assert_cmpstr (json_object_get_string_member (action, "ticket"), ==, "t-sev4");
  g_assert_cmpstr (json_object_get_string_member (action, "action"), ==, "escalation-review");
  g_assert_cmpint (json_object_get_int_member (action, "due"), ==, AT (8, 30));
  g_assert_cmpstr (json_object_get_string_member (action, "checklist"), ==,
                   "Tier 1 → Tier 2 Handoff");
  action = element (report, "pending_actions", 1);
  g_assert_cmpstr (json_object_get_string_member (action, "ticket"), ==, "t-sev1");
  g_assert_cmpstr (json_object_get_string_member (action, "action"), ==, "escalation-review");
  g_assert_cmpint (json_object_get_int_member (action, "due"), ==, AT (11, 30));
  g_assert_true (json_object_get_boolean_member (action, "overdue"));
  g_assert_false (json_object_has_member (action, "checklist"));
  action = element (report, "pending_actions", 2);
  g_assert_cmpstr (json_object_get_string_member (action, "ticket"), ==, "t-sev3");
  g_assert_cmpstr (json_object_get_string_member (action, "action"), ==, "respond");
  g_assert_cmpint (json_object_get_int_member (action, "due"), ==, AT (12, 0));
  g_assert_true (json_object_get_boolean_member (action, "overdue"));
  action = element (report, "pending_actions", 3);
  g_assert_cmpstr (json_object_get_string_member (action, "action"), ==, "update");
  g_assert_cmpint (json_object_get_int_member (action, "due"), ==, AT (12, 20));
  g_assert_false (json_object_get_boolean_member (action, "overdue"));
  action = element (report, "pending_actions", 4);
  g_assert_cmpstr (json_object_get_string_member (action, "ticket"), ==, "t-sev3");
  g_assert_cmpint (json_object_get_int_member (action, "due"), ==, AT (13, 40));
  g_assert_cmpint (json_object_get_int_member (action, "checklist_items"), ==, 6);
  action = element (report, "pending_actions", 5);
  g_assert_cmpstr (json_object_get_string_member (action, "ticket"), ==, "t-sev4");
  g_assert_cmpint (json_object_get_int_member (action, "due"), ==, AT (8, 10) + 7 * 24 * HOUR);

  /* Escalations awaiting pick-up. */
  g_assert_cmpuint (length (report, "pending_escalations"), ==, 1);
  g_assert_cmpint (
      json_object_get_int_member (element (report, "pending_escalations", 0), "from_tier"), ==, 1);
  g_assert_cmpint (
      json_object_get_int_member (element (report, "pending_escalations", 0), "to_tier"), ==, 2);

  /* Key contacts, now and next. */
  g_assert_cmpuint (length (report, "key_contacts"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (element (report, "key_contacts", 1), "when"), ==,
                   "next");
}

static void
test_tier_filter (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (JsonObject) report = build (policy, 2);
  g_autoptr (GPtrArray) titles = td_handoff_report_ticket_titles (report);

  g_assert_cmpuint (titles->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, "Leave balance | wrong");
  g_assert_cmpuint (length (report, "active_incidents"), ==, 0);
  /* Contacts are for every tier: whom to reach for anything ongoing. */
  g_assert_cmpuint (length (report, "key_contacts"), ==, 2);
}

static void
test_markdown (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (JsonObject) report = build (policy, 0);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  TdHandoffHeader header = { "Tier 2 – Application Support",
                             "Early (07:00–15:00)",
                             AT (0, 0) - 12 * HOUR,
                             AT (12, 5),
                             "Alice Archer",
                             "Bob Brown",
                             AT (12, 5),
                             "Bob Brown",
                             AT (12, 15),
                             "Watch the payroll export.\n"
                             "Call Bob if it fails again." };
  g_autoptr (GPtrArray) blocks = td_handoff_report_layout (policy, report, &header, utc);
  g_autofree char *markdown = td_handoff_report_to_markdown (blocks);

  g_test_message ("%s", markdown);
  g_assert_true (g_str_has_prefix (
      markdown, "# Shift Handoff Report\n\n"
                "**Team:** Tier 2 – Application Support  \n"
                "**Shift:** Early (07:00–15:00)  \n"
                "**Covers:** 1 Mar 2026 12:00 – 2 Mar 2026 12:05  \n"
                "**Snapshot taken:** 2 Mar 2026 12:00  \n"
                "**Outgoing lead:** Alice Archer  \n"
                "**Incoming lead:** Bob Brown  \n"
                "**Handed over:** 2 Mar 2026 12:05  \n"
                "**Acknowledged:** Bob Brown at 2 Mar 2026 12:15\n\n"
                "## Open tickets (3)\n\n"
                "_List of all open issues with status_\n\n"
                "| Ticket | Status | Severity | Tier | Owner |\n"
                "|---|---|---|---|---|\n"
                "| Payroll export fails | In Progress | SEV-1 · P1 | 3 | Bob Brown |\n"
                "| Leave balance \\| wrong | New | SEV-3 · P3 | 2 | Unassigned |\n"
                "| Report layout question | In Progress | SEV-4 · P4 | 1 | Ann |\n\n"
                "## Active incidents (1)\n\n"));
  g_assert_nonnull (strstr (markdown, "## Pending actions (6)\n\n_What needs follow-up_\n\n"
                                      "- Report layout question: Escalation time limit passed at "
                                      "2 Mar 2026 08:30: escalate with the Tier 1 → Tier 2 Handoff "
                                      "(6 items) or record why it stays\n"));
  g_assert_nonnull (strstr (markdown, "- Payroll export fails: Update to the user due by 2 Mar "
                                      "2026 12:20\n"));
  g_assert_nonnull (strstr (markdown, "## Escalations (1)\n\n_Any pending escalations_\n\n"
                                      "- Leave balance \\| wrong: from Tier 1 – Service Desk to "
                                      "Tier 2 – Application Support at 2 Mar 2026 11:40, not "
                                      "picked up yet\n\n"));
  g_assert_nonnull (strstr (markdown, "| Tier 2 On-Call Rotation | Primary | Now, until Mon 9 Mar "
                                      "09:00 | Alice Archer | +44 7700 900001 |\n"
                                      "| Tier 2 On-Call Rotation | Primary | Next, from Mon 9 Mar "
                                      "09:00 | Bob Brown | — |\n\n"));
  g_assert_true (g_str_has_suffix (markdown, "## Notes from the outgoing lead\n\n"
                                             "Watch the payroll export.  \n"
                                             "Call Bob if it fails again.\n\n"));
}

static void
test_preview_empty (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdHandoffInput input = { 0, NOW, NULL, 0, NULL, 0 };
  g_autoptr (JsonObject) report = td_handoff_report_build (policy, &input);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  TdHandoffHeader header = { NULL, NULL, 0, 0, "Alice Archer", NULL, 0, NULL, 0, NULL };
  g_autoptr (GPtrArray) blocks = td_handoff_report_layout (policy, report, &header, utc);
  g_autofree char *markdown = td_handoff_report_to_markdown (blocks);

  g_assert_nonnull (strstr (markdown, "**Handed over:** Not yet (preview)\n\n"));
  g_assert_null (strstr (markdown, "Acknowledged"));
  g_assert_nonnull (strstr (markdown, "## Open tickets (0)\n\n_List of all open issues with "
                                      "status_\n\nNone.\n\n"));
  g_assert_nonnull (strstr (markdown, "No one is on call in any rota."));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/handoff-report/build", test_build);
  g_test_add_func ("/core/handoff-report/tier-filter", test_tier_filter);
  g_test_add_func ("/core/handoff-report/markdown", test_markdown);
  g_test_add_func ("/core/handoff-report/preview-empty", test_preview_empty);
  return g_test_run ();
}
