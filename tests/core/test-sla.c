/* test-sla.c — SLA clocks computed with the seed's own numbers from the shipped policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected instant is written in UTC, with the local wall-clock time
 * next to it where a business-hours calendar is involved. The numbers come
 * from the support model: [5.5] for severities, [3.1]/[4.1] for tier response
 * targets, [3.4]/[4.4] for issue types. Reminders for 2026: London springs
 * forward on Sun 29 March (01:00 GMT -> 02:00 BST) and falls back on
 * Sun 25 October (01:00 UTC); New York springs forward on Sun 8 March
 * (07:00 UTC) and falls back on Sun 1 November (06:00 UTC).
 */
#include <string.h>

#include "td-sla.h"
#include "td-time.h"

#include "td-test-util.h"

#define MINUTE ((gint64) 60)
#define HOUR   ((gint64) 3600)

/* The shipped model with its business-hours calendar moved to New York; the
 * London bank holidays stay, which does not matter for the dates used here. */
static TdPolicy *
new_york_policy (void)
{
  g_autofree char *path = td_test_policy_path ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GString) moved = NULL;
  TdPolicy *policy;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  moved = g_string_new (text);
  g_assert_cmpuint (g_string_replace (moved, "Europe/London", "America/New_York", 0), ==, 1);

  policy = td_policy_new_from_data (moved->str, moved->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (policy);
  g_assert_cmpstr (td_calendar_get_time_zone (td_policy_get_calendar (policy, "business-hours")),
                   ==, "America/New_York");
  return policy;
}

#define assert_local(actual, zone, expected)                            \
  G_STMT_START                                                          \
  {                                                                     \
    g_autofree char *_actual = td_time_format_local ((actual), (zone)); \
    g_assert_cmpstr (_actual, ==, (expected));                          \
  }                                                                     \
  G_STMT_END

#define assert_state(clock, expected) \
  g_assert_cmpstr (td_sla_state_to_string ((clock).state), ==, td_sla_state_to_string (expected))

#define assert_describe(clock, expected)                       \
  G_STMT_START                                                 \
  {                                                            \
    g_autofree char *_text = td_sla_clock_describe (&(clock)); \
    g_assert_cmpstr (_text, ==, (expected));                   \
  }                                                            \
  G_STMT_END

static void
compute (TdPolicy *policy, const TdSlaTicket *ticket, TdInstant now, TdSlaResult *result)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = td_sla_compute (policy, ticket, now, result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
assert_no_clock (const TdSlaClock *clock)
{
  g_assert_false (clock->has_clock);
  assert_state (*clock, TD_SLA_NO_CLOCK);
  g_assert_cmpint (clock->due, ==, TD_INSTANT_NEVER);
  g_assert_cmpint (clock->at_risk_at, ==, TD_INSTANT_NEVER);
}

static void
assert_calendar (const TdSlaClock *clock, const char *id)
{
  g_assert_nonnull (clock->calendar);
  g_assert_cmpstr (td_calendar_get_id (clock->calendar), ==, id);
}

/* [5.5] SEV-2 */

static void
test_sev2 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  ticket.severity = "SEV-2";
  ticket.created = td_test_iso ("2026-03-10T10:00:00Z");
  compute (policy, &ticket, ticket.created + 5 * MINUTE, &result);

  /* Response 30 min */
  g_assert_true (result.response.has_clock);
  assert_state (result.response, TD_SLA_OK);
  g_assert_cmpint (result.response.start, ==, ticket.created);
  td_test_assert_instant (result.response.due, "2026-03-10T10:30:00Z");
  td_test_assert_instant (result.response.at_risk_at, "2026-03-10T10:22:30Z");
  g_assert_cmpint (result.response.budget, ==, 30 * MINUTE);
  g_assert_cmpint (result.response.used, ==, 5 * MINUTE);
  assert_calendar (&result.response, "24x7");
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.response.source_id, ==, "SEV-2");
  g_assert_cmpstr (result.response.label, ==, "30 min");
  assert_describe (result.response, "SEV-2 target (30 min)");

  /* Resolution 8 hours */
  g_assert_true (result.resolution.has_clock);
  assert_state (result.resolution, TD_SLA_OK);
  td_test_assert_instant (result.resolution.due, "2026-03-10T18:00:00Z");
  td_test_assert_instant (result.resolution.at_risk_at, "2026-03-10T16:00:00Z");
  g_assert_cmpint (result.resolution.budget, ==, 8 * HOUR);
  assert_calendar (&result.resolution, "24x7");
  g_assert_cmpint (result.resolution.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.resolution.source_id, ==, "SEV-2");
  g_assert_cmpstr (result.resolution.label, ==, "8 hours");

  /* Every 1 hour */
  g_assert_true (result.update.has_clock);
  assert_state (result.update, TD_SLA_OK);
  td_test_assert_instant (result.update.due, "2026-03-10T11:00:00Z");
  td_test_assert_instant (result.update.at_risk_at, "2026-03-10T10:45:00Z");
  g_assert_cmpint (result.update.budget, ==, HOUR);
  assert_calendar (&result.update, "24x7");
  g_assert_cmpstr (result.update.source_id, ==, "SEV-2");
  g_assert_cmpstr (result.update.label, ==, "Every 1 hour");
  assert_describe (result.update, "SEV-2 target (Every 1 hour)");
}

/* [5.5] SEV-1, and an elapsed-time clock across a DST change */

static void
check_sev1 (TdPolicy   *policy,
            const char *created,
            const char *response_due,
            const char *update_due,
            const char *resolution_due)
{
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  ticket.severity = "SEV-1";
  ticket.created = td_test_iso (created);
  compute (policy, &ticket, ticket.created, &result);

  td_test_assert_instant (result.response.due, response_due);
  td_test_assert_instant (result.update.due, update_due);
  td_test_assert_instant (result.resolution.due, resolution_due);
  g_assert_cmpstr (result.response.label, ==, "15 min");
  g_assert_cmpstr (result.resolution.label, ==, "4 hours");
  g_assert_cmpstr (result.update.label, ==, "Every 30 min");
  assert_calendar (&result.resolution, "24x7");
  /* Elapsed time, whatever the clocks on the wall do. */
  g_assert_cmpint (result.response.due - ticket.created, ==, 15 * MINUTE);
  g_assert_cmpint (result.resolution.due - ticket.created, ==, 4 * HOUR);
  assert_state (result.response, TD_SLA_OK);
  assert_state (result.resolution, TD_SLA_OK);
}

static void
test_sev1_london_spring (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  /* 00:50 GMT, ten minutes before London jumps from 01:00 GMT to 02:00 BST. */
  check_sev1 (policy, "2026-03-29T00:50:00Z", "2026-03-29T01:05:00Z", "2026-03-29T01:20:00Z",
              "2026-03-29T04:50:00Z");

  ticket.severity = "SEV-1";
  ticket.created = td_test_iso ("2026-03-29T00:50:00Z");
  compute (policy, &ticket, ticket.created, &result);
  assert_local (ticket.created, "Europe/London", "2026-03-29T00:50:00+00:00");
  assert_local (result.response.due, "Europe/London", "2026-03-29T02:05:00+01:00");
  assert_local (result.resolution.due, "Europe/London", "2026-03-29T05:50:00+01:00");
}

static void
test_sev1_london_autumn (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  /* 01:50 BST, ten minutes before London goes from 02:00 BST back to 01:00 GMT. */
  check_sev1 (policy, "2026-10-25T00:50:00Z", "2026-10-25T01:05:00Z", "2026-10-25T01:20:00Z",
              "2026-10-25T04:50:00Z");

  ticket.severity = "SEV-1";
  ticket.created = td_test_iso ("2026-10-25T00:50:00Z");
  compute (policy, &ticket, ticket.created, &result);
  assert_local (ticket.created, "Europe/London", "2026-10-25T01:50:00+01:00");
  /* Due 15 minutes later, though the wall clock reads earlier. */
  assert_local (result.response.due, "Europe/London", "2026-10-25T01:05:00+00:00");
  assert_local (result.resolution.due, "Europe/London", "2026-10-25T04:50:00+00:00");
}

static void
test_sev1_new_york_spring (void)
{
  g_autoptr (TdPolicy) policy = new_york_policy ();

  /* 01:50 EST, ten minutes before New York jumps from 02:00 EST to 03:00 EDT. */
  check_sev1 (policy, "2026-03-08T06:50:00Z", "2026-03-08T07:05:00Z", "2026-03-08T07:20:00Z",
              "2026-03-08T10:50:00Z");
  assert_local (td_test_iso ("2026-03-08T07:05:00Z"), "America/New_York",
                "2026-03-08T03:05:00-04:00");
}

static void
test_sev1_new_york_autumn (void)
{
  g_autoptr (TdPolicy) policy = new_york_policy ();

  /* 01:50 EDT, ten minutes before New York goes from 02:00 EDT back to 01:00 EST. */
  check_sev1 (policy, "2026-11-01T05:50:00Z", "2026-11-01T06:05:00Z", "2026-11-01T06:20:00Z",
              "2026-11-01T09:50:00Z");
  assert_local (td_test_iso ("2026-11-01T06:05:00Z"), "America/New_York",
                "2026-11-01T01:05:00-05:00");
}

/* [4.4] Balance discrepancy: 4 hours on the business-hours calendar; [4.1]
 * Tier 2 responds within 1 business hour. */

static void
check_balance_discrepancy (TdPolicy   *policy,
                           const char *zone,
                           const char *created,
                           const char *response_due,
                           const char *resolution_due,
                           const char *resolution_local)
{
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  ticket.tier = 2;
  ticket.issue_type = "balance-discrepancy";
  ticket.created = td_test_iso (created);
  compute (policy, &ticket, ticket.created, &result);

  g_assert_true (result.response.has_clock);
  td_test_assert_instant (result.response.due, response_due);
  assert_calendar (&result.response, "business-hours");
  g_assert_cmpint (result.response.budget, ==, HOUR);
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_TIER);
  g_assert_cmpint (result.response.source_tier, ==, 2);
  g_assert_null (result.response.source_id);
  g_assert_cmpstr (result.response.label, ==, "< 1 hour (business hours)");
  assert_describe (result.response, "Tier 2 target (< 1 hour (business hours))");

  g_assert_true (result.resolution.has_clock);
  td_test_assert_instant (result.resolution.due, resolution_due);
  assert_local (result.resolution.due, zone, resolution_local);
  assert_calendar (&result.resolution, "business-hours");
  g_assert_cmpstr (td_calendar_get_time_zone (result.resolution.calendar), ==, zone);
  g_assert_cmpint (result.resolution.budget, ==, 4 * HOUR);
  g_assert_cmpint (result.resolution.source, ==, TD_SLA_SOURCE_ISSUE_TYPE);
  g_assert_cmpstr (result.resolution.source_id, ==, "balance-discrepancy");
  g_assert_cmpint (result.resolution.source_tier, ==, 2);
  g_assert_cmpstr (result.resolution.label, ==, "4 hours");
  assert_describe (result.resolution, "issue type balance-discrepancy target (4 hours)");

  /* The update cadence belongs to severities; this ticket has none. */
  assert_no_clock (&result.update);
}

static void
test_balance_london_spring (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  /* Fri 15:00 GMT: 2 hours on Friday, 2 on Monday from 09:00 BST (08:00Z). */
  check_balance_discrepancy (policy, "Europe/London", "2026-03-27T15:00:00Z",
                             "2026-03-27T16:00:00Z", "2026-03-30T10:00:00Z",
                             "2026-03-30T11:00:00+01:00");
}

static void
test_balance_london_autumn (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  /* Fri 15:00 BST (14:00Z): 2 hours on Friday, 2 on Monday from 09:00 GMT. */
  check_balance_discrepancy (policy, "Europe/London", "2026-10-23T14:00:00Z",
                             "2026-10-23T15:00:00Z", "2026-10-26T11:00:00Z",
                             "2026-10-26T11:00:00+00:00");
}

static void
test_balance_new_york_spring (void)
{
  g_autoptr (TdPolicy) policy = new_york_policy ();

  /* Fri 16:00 EST (21:00Z): 1 hour on Friday, 3 on Monday from 09:00 EDT (13:00Z). */
  check_balance_discrepancy (policy, "America/New_York", "2026-03-06T21:00:00Z",
                             "2026-03-06T22:00:00Z", "2026-03-09T16:00:00Z",
                             "2026-03-09T12:00:00-04:00");
}

static void
test_balance_new_york_autumn (void)
{
  g_autoptr (TdPolicy) policy = new_york_policy ();

  /* Fri 16:00 EDT (20:00Z): 1 hour on Friday, 3 on Monday from 09:00 EST (14:00Z). */
  check_balance_discrepancy (policy, "America/New_York", "2026-10-30T20:00:00Z",
                             "2026-10-30T21:00:00Z", "2026-11-02T17:00:00Z",
                             "2026-11-02T12:00:00-05:00");
}

/* [4.4] Report issue: 1 business day, across bank holidays */

static void
check_report_issue (TdPolicy *policy, const char *created, const char *due)
{
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  ticket.tier = 2;
  ticket.issue_type = "report-issue";
  ticket.created = td_test_iso (created);
  compute (policy, &ticket, ticket.created, &result);

  td_test_assert_instant (result.resolution.due, due);
  g_assert_cmpint (result.resolution.budget, ==, 8 * HOUR);
  g_assert_cmpstr (result.resolution.label, ==, "1 business day");
  g_assert_cmpstr (result.resolution.source_id, ==, "report-issue");
}

static void
test_holiday_christmas (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  /* Thu 24 Dec 12:00 GMT: 5 hours on Thursday; Christmas Day (Fri), the
   * weekend and the Boxing Day substitute (Mon 28) are closed; the last
   * 3 hours run on Tuesday from 09:00. */
  check_report_issue (policy, "2026-12-24T12:00:00Z", "2026-12-29T12:00:00Z");
}

static void
test_holiday_easter (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  /* Thu 2 Apr 13:00 BST: 4 hours on Thursday; Good Friday, the weekend and
   * Easter Monday are closed; 4 more hours on Tuesday 7 April, 09:00-13:00 BST. */
  check_report_issue (policy, "2026-04-02T12:00:00Z", "2026-04-07T12:00:00Z");
}

/* [5.5] SEV-3: response 4 hours, resolution 3 business days, update daily */

static void
test_sev3 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  /* Monday 10:00 GMT */
  ticket.severity = "SEV-3";
  ticket.created = td_test_iso ("2026-03-02T10:00:00Z");
  compute (policy, &ticket, ticket.created, &result);

  td_test_assert_instant (result.response.due, "2026-03-02T14:00:00Z");
  g_assert_cmpstr (result.response.label, ==, "4 hours");
  assert_calendar (&result.response, "business-hours");
  td_test_assert_instant (result.resolution.due, "2026-03-05T10:00:00Z");
  g_assert_cmpint (result.resolution.budget, ==, 3 * 8 * HOUR);
  g_assert_cmpstr (result.resolution.label, ==, "3 business days");
  assert_describe (result.resolution, "SEV-3 target (3 business days)");
  assert_calendar (&result.resolution, "business-hours");
  td_test_assert_instant (result.update.due, "2026-03-03T10:00:00Z");
  g_assert_cmpstr (result.update.label, ==, "Daily");

  /* Friday 15:00 GMT: the weekend does not count. Response: 2 hours on
   * Friday, 2 on Monday. Resolution: 2 + 8 + 8 + 6 hours. */
  ticket.created = td_test_iso ("2026-03-06T15:00:00Z");
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.response.due, "2026-03-09T11:00:00Z");
  td_test_assert_instant (result.resolution.due, "2026-03-11T15:00:00Z");
  td_test_assert_instant (result.update.due, "2026-03-09T15:00:00Z");

  /* The same across London's spring change: due Wednesday 15:00 BST. */
  ticket.created = td_test_iso ("2026-03-27T15:00:00Z");
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.resolution.due, "2026-04-01T14:00:00Z");
  assert_local (result.resolution.due, "Europe/London", "2026-04-01T15:00:00+01:00");
}

/* [5.5] SEV-4: response 1 business day, resolution "Next release", weekly */

static void
test_sev4 (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  ticket.severity = "SEV-4";
  ticket.created = td_test_iso ("2026-03-02T10:00:00Z");
  compute (policy, &ticket, ticket.created + HOUR, &result);

  g_assert_true (result.response.has_clock);
  assert_state (result.response, TD_SLA_OK);
  td_test_assert_instant (result.response.due, "2026-03-03T10:00:00Z");
  g_assert_cmpint (result.response.budget, ==, 8 * HOUR);
  g_assert_cmpstr (result.response.label, ==, "1 business day");

  assert_no_clock (&result.resolution);
  g_assert_cmpstr (result.resolution.label, ==, "Next release");
  g_assert_cmpint (result.resolution.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.resolution.source_id, ==, "SEV-4");
  assert_describe (result.resolution, "SEV-4 target (Next release)");

  g_assert_true (result.update.has_clock);
  td_test_assert_instant (result.update.due, "2026-03-09T10:00:00Z");
  g_assert_cmpint (result.update.budget, ==, 7 * 24 * HOUR);
  assert_calendar (&result.update, "24x7");
  g_assert_cmpstr (result.update.label, ==, "Weekly");

  /* A year later, or resolved, "Next release" still has no clock to breach. */
  compute (policy, &ticket, td_test_iso ("2027-03-02T10:00:00Z"), &result);
  assert_no_clock (&result.resolution);
  g_assert_cmpstr (result.resolution.label, ==, "Next release");
  ticket.resolved = td_test_iso ("2026-06-01T10:00:00Z");
  compute (policy, &ticket, td_test_iso ("2027-03-02T10:00:00Z"), &result);
  assert_no_clock (&result.resolution);
  g_assert_cmpstr (result.resolution.label, ==, "Next release");

  g_assert_cmpint (td_sla_target_seconds (&td_policy_get_severity (policy, "SEV-4")->resolution),
                   ==, 0);
  g_assert_cmpint (td_sla_target_seconds (&td_policy_get_severity (policy, "SEV-3")->resolution),
                   ==, 24 * HOUR);
}

/* States */

static void
sev2_at (TdSlaTicket *ticket)
{
  *ticket = (TdSlaTicket){ 0 };
  ticket->severity = "SEV-2";
  ticket->created = td_test_iso ("2026-03-10T10:00:00Z");
}

static void
test_state_ok (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;

  sev2_at (&ticket);
  compute (policy, &ticket, ticket.created, &result);
  assert_state (result.response, TD_SLA_OK);
  g_assert_cmpint (result.response.used, ==, 0);

  /* One second before 75% of 30 minutes. */
  compute (policy, &ticket, ticket.created + 22 * MINUTE + 29, &result);
  assert_state (result.response, TD_SLA_OK);
  assert_state (result.resolution, TD_SLA_OK);
  assert_state (result.update, TD_SLA_OK);
  g_assert_cmpint (result.response.used, ==, 22 * MINUTE + 29);
}

static void
test_state_at_risk (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;

  g_assert_cmpfloat (td_policy_get_at_risk_fraction (policy), ==, 0.75);

  sev2_at (&ticket);
  compute (policy, &ticket, ticket.created + 22 * MINUTE + 30, &result);
  assert_state (result.response, TD_SLA_AT_RISK);
  assert_state (result.resolution, TD_SLA_OK);
  assert_state (result.update, TD_SLA_OK);

  compute (policy, &ticket, ticket.created + 29 * MINUTE + 59, &result);
  assert_state (result.response, TD_SLA_AT_RISK);

  /* 6 of 8 hours (responded in time, so only resolution is at risk). */
  ticket.first_response = ticket.created + 10 * MINUTE;
  ticket.last_update = ticket.created + 5 * HOUR + 30 * MINUTE;
  compute (policy, &ticket, ticket.created + 6 * HOUR, &result);
  assert_state (result.response, TD_SLA_MET);
  assert_state (result.resolution, TD_SLA_AT_RISK);
  assert_state (result.update, TD_SLA_OK);

  /* On business hours, 75% of the balance discrepancy's 4 hours is reached
   * on Monday: 2 hours on Friday, 1 on Monday from 09:00 BST. */
  ticket = (TdSlaTicket){ 0 };
  ticket.tier = 2;
  ticket.issue_type = "balance-discrepancy";
  ticket.created = td_test_iso ("2026-03-27T15:00:00Z");
  ticket.first_response = td_test_iso ("2026-03-27T15:30:00Z");
  compute (policy, &ticket, td_test_iso ("2026-03-30T08:59:59Z"), &result);
  td_test_assert_instant (result.resolution.at_risk_at, "2026-03-30T09:00:00Z");
  assert_state (result.resolution, TD_SLA_OK);
  g_assert_cmpint (result.resolution.used, ==, 3 * HOUR - 1);
  compute (policy, &ticket, td_test_iso ("2026-03-30T09:00:00Z"), &result);
  assert_state (result.resolution, TD_SLA_AT_RISK);
  g_assert_cmpint (result.resolution.used, ==, 3 * HOUR);
}

static void
test_state_breached (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;

  sev2_at (&ticket);
  compute (policy, &ticket, ticket.created + 30 * MINUTE, &result);
  assert_state (result.response, TD_SLA_BREACHED);
  g_assert_cmpint (result.response.used, ==, 30 * MINUTE);

  compute (policy, &ticket, ticket.created + 9 * HOUR, &result);
  assert_state (result.response, TD_SLA_BREACHED);
  assert_state (result.resolution, TD_SLA_BREACHED);
  assert_state (result.update, TD_SLA_BREACHED);
  g_assert_cmpint (result.response.used, ==, 9 * HOUR);

  /* Over the weekend a business-hours clock does not run out. */
  ticket = (TdSlaTicket){ 0 };
  ticket.tier = 2;
  ticket.issue_type = "balance-discrepancy";
  ticket.created = td_test_iso ("2026-03-27T15:00:00Z");
  compute (policy, &ticket, td_test_iso ("2026-03-29T12:00:00Z"), &result);
  assert_state (result.response, TD_SLA_BREACHED);
  assert_state (result.resolution, TD_SLA_OK);
  g_assert_cmpint (result.resolution.used, ==, 2 * HOUR);
  compute (policy, &ticket, td_test_iso ("2026-03-30T10:00:00Z"), &result);
  assert_state (result.resolution, TD_SLA_BREACHED);
  g_assert_cmpint (result.resolution.used, ==, 4 * HOUR);
}

static void
test_state_met (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;

  sev2_at (&ticket);
  ticket.first_response = ticket.created + 20 * MINUTE;
  compute (policy, &ticket, ticket.created + 5 * HOUR, &result);
  assert_state (result.response, TD_SLA_MET);
  /* The clock stopped: time used is counted up to the response. */
  g_assert_cmpint (result.response.used, ==, 20 * MINUTE);
  td_test_assert_instant (result.response.due, "2026-03-10T10:30:00Z");

  /* Exactly on time is in time. */
  ticket.first_response = ticket.created + 30 * MINUTE;
  compute (policy, &ticket, ticket.created + 5 * HOUR, &result);
  assert_state (result.response, TD_SLA_MET);

  ticket.resolved = ticket.created + 7 * HOUR;
  compute (policy, &ticket, ticket.created + 20 * HOUR, &result);
  assert_state (result.resolution, TD_SLA_MET);
  g_assert_cmpint (result.resolution.used, ==, 7 * HOUR);
}

static void
test_state_breached_after_response (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;

  sev2_at (&ticket);
  ticket.first_response = ticket.created + 45 * MINUTE;
  compute (policy, &ticket, ticket.created + HOUR, &result);
  /* Responding late stops the clock but does not undo the breach. */
  assert_state (result.response, TD_SLA_BREACHED);
  g_assert_cmpint (result.response.used, ==, 45 * MINUTE);

  ticket.first_response = ticket.created + 30 * MINUTE + 1;
  compute (policy, &ticket, ticket.created + HOUR, &result);
  assert_state (result.response, TD_SLA_BREACHED);

  ticket.resolved = ticket.created + 9 * HOUR;
  compute (policy, &ticket, ticket.created + 20 * HOUR, &result);
  assert_state (result.resolution, TD_SLA_BREACHED);
  g_assert_cmpint (result.resolution.used, ==, 9 * HOUR);
}

/* A ticket resolved before anyone recorded a response has been answered:
 * its response clock stops at the resolution, in time or not. */
static void
test_state_resolved_without_response (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  /* A password reset [3.4] done at Tier 1 in 10 minutes. */
  ticket.tier = 1;
  ticket.issue_type = "password-reset";
  ticket.created = td_test_iso ("2026-03-10T10:00:00Z");
  ticket.resolved = ticket.created + 10 * MINUTE;
  compute (policy, &ticket, ticket.created + 24 * HOUR, &result);
  assert_state (result.response, TD_SLA_MET);
  g_assert_cmpint (result.response.used, ==, 10 * MINUTE);
  assert_state (result.resolution, TD_SLA_MET);
  td_test_assert_instant (result.resolution.due, "2026-03-10T10:15:00Z");
  g_assert_cmpstr (result.resolution.label, ==, "15 minutes");

  /* Done in 20 minutes: both Tier 1's response and the reset's 15 minutes are missed. */
  ticket.resolved = ticket.created + 20 * MINUTE;
  compute (policy, &ticket, ticket.created + 24 * HOUR, &result);
  assert_state (result.response, TD_SLA_BREACHED);
  g_assert_cmpint (result.response.used, ==, 20 * MINUTE);
  assert_state (result.resolution, TD_SLA_BREACHED);

  /* A response recorded after the resolution does not move the stop later. */
  ticket.resolved = ticket.created + 10 * MINUTE;
  ticket.first_response = ticket.created + 30 * MINUTE;
  compute (policy, &ticket, ticket.created + 24 * HOUR, &result);
  assert_state (result.response, TD_SLA_MET);
  g_assert_cmpint (result.response.used, ==, 10 * MINUTE);
}

/* The update cadence */

static void
test_update_restarts (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;

  /* Before any response it runs from creation. */
  sev2_at (&ticket);
  compute (policy, &ticket, ticket.created, &result);
  g_assert_cmpint (result.update.start, ==, ticket.created);
  td_test_assert_instant (result.update.due, "2026-03-10T11:00:00Z");

  /* Then from the first response... */
  ticket.first_response = td_test_iso ("2026-03-10T10:10:00Z");
  compute (policy, &ticket, td_test_iso ("2026-03-10T10:20:00Z"), &result);
  g_assert_cmpint (result.update.start, ==, ticket.first_response);
  td_test_assert_instant (result.update.due, "2026-03-10T11:10:00Z");
  assert_state (result.update, TD_SLA_OK);

  /* ...and from the last update, which resets the clock. */
  ticket.last_update = td_test_iso ("2026-03-10T12:00:00Z");
  compute (policy, &ticket, td_test_iso ("2026-03-10T12:30:00Z"), &result);
  g_assert_cmpint (result.update.start, ==, ticket.last_update);
  td_test_assert_instant (result.update.due, "2026-03-10T13:00:00Z");
  td_test_assert_instant (result.update.at_risk_at, "2026-03-10T12:45:00Z");
  assert_state (result.update, TD_SLA_OK);
  g_assert_cmpint (result.update.used, ==, 30 * MINUTE);
  compute (policy, &ticket, td_test_iso ("2026-03-10T12:50:00Z"), &result);
  assert_state (result.update, TD_SLA_AT_RISK);
  compute (policy, &ticket, td_test_iso ("2026-03-10T13:00:00Z"), &result);
  assert_state (result.update, TD_SLA_BREACHED);

  /* SEV-3 reports daily on business hours: from Friday 16:00 GMT to Monday 16:00. */
  ticket = (TdSlaTicket){ 0 };
  ticket.severity = "SEV-3";
  ticket.created = td_test_iso ("2026-03-06T10:00:00Z");
  ticket.last_update = td_test_iso ("2026-03-06T16:00:00Z");
  compute (policy, &ticket, ticket.last_update, &result);
  td_test_assert_instant (result.update.due, "2026-03-09T16:00:00Z");
}

static void
test_update_stops_when_resolved (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;

  sev2_at (&ticket);
  ticket.first_response = ticket.created + 10 * MINUTE;
  ticket.last_update = ticket.created + HOUR;
  ticket.resolved = ticket.created + 90 * MINUTE;
  compute (policy, &ticket, ticket.created + 10 * HOUR, &result);

  /* Long past when an update would have been due, but nothing is owed. */
  assert_no_clock (&result.update);
  assert_state (result.response, TD_SLA_MET);
  assert_state (result.resolution, TD_SLA_MET);
}

/* Pauses */

static void
test_pauses (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket;
  TdSlaResult result;
  TdInterval  pauses[2];

  /* Waiting on the user for 30 minutes, 10 minutes in. */
  sev2_at (&ticket);
  pauses[0] = (TdInterval){ ticket.created + 10 * MINUTE, ticket.created + 40 * MINUTE };
  ticket.pauses = pauses;
  ticket.n_pauses = 1;
  compute (policy, &ticket, ticket.created + 50 * MINUTE, &result);
  td_test_assert_instant (result.response.due, "2026-03-10T11:00:00Z");
  td_test_assert_instant (result.resolution.due, "2026-03-10T18:30:00Z");
  td_test_assert_instant (result.update.due, "2026-03-10T11:30:00Z");
  /* 10 minutes before the pause, 10 after. */
  g_assert_cmpint (result.response.used, ==, 20 * MINUTE);
  assert_state (result.response, TD_SLA_OK);

  /* Overlapping pauses count once. */
  pauses[0] = (TdInterval){ ticket.created + 10 * MINUTE, ticket.created + 30 * MINUTE };
  pauses[1] = (TdInterval){ ticket.created + 20 * MINUTE, ticket.created + 40 * MINUTE };
  ticket.n_pauses = 2;
  compute (policy, &ticket, ticket.created + 50 * MINUTE, &result);
  td_test_assert_instant (result.response.due, "2026-03-10T11:00:00Z");

  /* A pause before the ticket existed changes nothing. */
  pauses[0] = (TdInterval){ ticket.created - 2 * HOUR, ticket.created - HOUR };
  ticket.n_pauses = 1;
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.response.due, "2026-03-10T10:30:00Z");

  /* On business hours only the open part of a pause matters: Friday 15:00
   * GMT, paused 15:30-16:30, leaves 1 hour on Friday and 3 on Monday. */
  ticket = (TdSlaTicket){ 0 };
  ticket.tier = 2;
  ticket.issue_type = "balance-discrepancy";
  ticket.created = td_test_iso ("2026-03-27T15:00:00Z");
  pauses[0]
      = (TdInterval){ td_test_iso ("2026-03-27T15:30:00Z"), td_test_iso ("2026-03-27T16:30:00Z") };
  ticket.pauses = pauses;
  ticket.n_pauses = 1;
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.resolution.due, "2026-03-30T11:00:00Z");
  /* Tier 2's business hour is used up exactly at Friday's closing. */
  td_test_assert_instant (result.response.due, "2026-03-27T17:00:00Z");

  /* A pause over the closed weekend moves nothing. */
  pauses[0]
      = (TdInterval){ td_test_iso ("2026-03-27T17:00:00Z"), td_test_iso ("2026-03-30T08:00:00Z") };
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.resolution.due, "2026-03-30T10:00:00Z");
}

/* Several targets: the earliest wins and says where it came from */

static void
test_earliest_tier_beats_severity (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  /* A Tier 1 SEV-3: Tier 1 responds within 15 minutes [3.1], well before
   * SEV-3's 4 hours [5.5]. */
  ticket.tier = 1;
  ticket.severity = "SEV-3";
  ticket.created = td_test_iso ("2026-03-02T10:00:00Z");
  compute (policy, &ticket, ticket.created, &result);

  td_test_assert_instant (result.response.due, "2026-03-02T10:15:00Z");
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_TIER);
  g_assert_cmpint (result.response.source_tier, ==, 1);
  g_assert_null (result.response.source_id);
  g_assert_cmpstr (result.response.label, ==, "< 15 minutes");
  assert_calendar (&result.response, "24x7");
  g_assert_cmpint (result.response.budget, ==, 15 * MINUTE);
  assert_describe (result.response, "Tier 1 target (< 15 minutes)");

  /* Resolution only has the severity's target. */
  td_test_assert_instant (result.resolution.due, "2026-03-05T10:00:00Z");
  g_assert_cmpint (result.resolution.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.resolution.source_id, ==, "SEV-3");

  /* Even on a Saturday, when SEV-3's business hours would not start until Monday. */
  ticket.created = td_test_iso ("2026-03-07T10:00:00Z");
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.response.due, "2026-03-07T10:15:00Z");
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_TIER);

  /* Without the tier, SEV-3's own 4 hours apply. */
  ticket.tier = 0;
  ticket.created = td_test_iso ("2026-03-02T10:00:00Z");
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.response.due, "2026-03-02T14:00:00Z");
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.response.source_id, ==, "SEV-3");
  g_assert_cmpstr (result.response.label, ==, "4 hours");
}

static void
test_earliest_issue_type_and_severity (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  /* A Tier 2 balance discrepancy that is also SEV-2, on Monday 09:00 GMT:
   * SEV-2's 30 minutes beat Tier 2's business hour; the issue type's 4
   * business hours (13:00) beat SEV-2's 8 hours (17:00). */
  ticket.tier = 2;
  ticket.severity = "SEV-2";
  ticket.issue_type = "balance-discrepancy";
  ticket.created = td_test_iso ("2026-03-02T09:00:00Z");
  compute (policy, &ticket, ticket.created, &result);

  td_test_assert_instant (result.response.due, "2026-03-02T09:30:00Z");
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.response.source_id, ==, "SEV-2");
  td_test_assert_instant (result.resolution.due, "2026-03-02T13:00:00Z");
  g_assert_cmpint (result.resolution.source, ==, TD_SLA_SOURCE_ISSUE_TYPE);
  g_assert_cmpstr (result.resolution.source_id, ==, "balance-discrepancy");
  assert_calendar (&result.resolution, "business-hours");

  /* Opened Friday 15:00: the issue type would wait for Monday, SEV-2's 8
   * hours around the clock end Friday 23:00. */
  ticket.created = td_test_iso ("2026-03-27T15:00:00Z");
  compute (policy, &ticket, ticket.created, &result);
  td_test_assert_instant (result.resolution.due, "2026-03-27T23:00:00Z");
  g_assert_cmpint (result.resolution.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.resolution.source_id, ==, "SEV-2");
  g_assert_cmpstr (result.resolution.label, ==, "8 hours");
  assert_calendar (&result.resolution, "24x7");
  g_assert_cmpint (result.resolution.budget, ==, 8 * HOUR);
}

static void
test_tier_without_clock (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;

  /* Tier 3 responds "Per severity": no clock of its own. */
  ticket.tier = 3;
  ticket.created = td_test_iso ("2026-03-02T10:00:00Z");
  compute (policy, &ticket, ticket.created, &result);
  assert_no_clock (&result.response);
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_TIER);
  g_assert_cmpint (result.response.source_tier, ==, 3);
  g_assert_cmpstr (result.response.label, ==, "Per severity (see SLA matrix)");
  assert_no_clock (&result.resolution);
  g_assert_cmpint (result.resolution.source, ==, TD_SLA_SOURCE_NONE);
  assert_describe (result.resolution, "no target");
  assert_no_clock (&result.update);

  /* With a severity, the severity's clock takes over. */
  ticket.severity = "SEV-1";
  compute (policy, &ticket, ticket.created, &result);
  g_assert_true (result.response.has_clock);
  td_test_assert_instant (result.response.due, "2026-03-02T10:15:00Z");
  g_assert_cmpint (result.response.source, ==, TD_SLA_SOURCE_SEVERITY);
  g_assert_cmpstr (result.response.source_id, ==, "SEV-1");
  g_assert_cmpstr (result.response.label, ==, "15 min");
}

/* Errors */

static void
assert_sla_error (TdPolicy *policy, const TdSlaTicket *ticket, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  TdSlaResult result;

  g_assert_false (td_sla_compute (policy, ticket, ticket->created, &result, &error));
  g_assert_error (error, TD_SLA_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_errors (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdSlaTicket ticket = { 0 };

  ticket.created = td_test_iso ("2026-03-02T10:00:00Z");
  ticket.tier = 2;

  ticket.severity = "SEV-9";
  assert_sla_error (policy, &ticket, TD_SLA_ERROR_UNKNOWN_SEVERITY, "unknown severity \"SEV-9\"");
  ticket.severity = NULL;

  ticket.issue_type = "nope";
  assert_sla_error (policy, &ticket, TD_SLA_ERROR_UNKNOWN_ISSUE_TYPE,
                    "unknown issue type \"nope\"");
  ticket.issue_type = NULL;

  ticket.tier = 7;
  assert_sla_error (policy, &ticket, TD_SLA_ERROR_UNKNOWN_TIER, "unknown tier 7");

  ticket.tier = 0;
  assert_sla_error (policy, &ticket, TD_SLA_ERROR_NO_TARGET,
                    "an SLA needs a severity, an issue type or a tier");

  /* Empty strings are "not given", not unknown ids. */
  ticket.severity = "";
  ticket.issue_type = "";
  assert_sla_error (policy, &ticket, TD_SLA_ERROR_NO_TARGET,
                    "an SLA needs a severity, an issue type or a tier");
}

static void
test_state_strings (void)
{
  g_assert_cmpstr (td_sla_state_to_string (TD_SLA_NO_CLOCK), ==, "no-clock");
  g_assert_cmpstr (td_sla_state_to_string (TD_SLA_OK), ==, "ok");
  g_assert_cmpstr (td_sla_state_to_string (TD_SLA_AT_RISK), ==, "at-risk");
  g_assert_cmpstr (td_sla_state_to_string (TD_SLA_BREACHED), ==, "breached");
  g_assert_cmpstr (td_sla_state_to_string (TD_SLA_MET), ==, "met");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sla/sev2", test_sev2);
  g_test_add_func ("/core/sla/sev1/london-spring", test_sev1_london_spring);
  g_test_add_func ("/core/sla/sev1/london-autumn", test_sev1_london_autumn);
  g_test_add_func ("/core/sla/sev1/new-york-spring", test_sev1_new_york_spring);
  g_test_add_func ("/core/sla/sev1/new-york-autumn", test_sev1_new_york_autumn);
  g_test_add_func ("/core/sla/balance/london-spring", test_balance_london_spring);
  g_test_add_func ("/core/sla/balance/london-autumn", test_balance_london_autumn);
  g_test_add_func ("/core/sla/balance/new-york-spring", test_balance_new_york_spring);
  g_test_add_func ("/core/sla/balance/new-york-autumn", test_balance_new_york_autumn);
  g_test_add_func ("/core/sla/holiday/christmas", test_holiday_christmas);
  g_test_add_func ("/core/sla/holiday/easter", test_holiday_easter);
  g_test_add_func ("/core/sla/sev3", test_sev3);
  g_test_add_func ("/core/sla/sev4", test_sev4);
  g_test_add_func ("/core/sla/state/ok", test_state_ok);
  g_test_add_func ("/core/sla/state/at-risk", test_state_at_risk);
  g_test_add_func ("/core/sla/state/breached", test_state_breached);
  g_test_add_func ("/core/sla/state/met", test_state_met);
  g_test_add_func ("/core/sla/state/breached-after-response", test_state_breached_after_response);
  g_test_add_func ("/core/sla/state/resolved-without-response",
                   test_state_resolved_without_response);
  g_test_add_func ("/core/sla/state/strings", test_state_strings);
  g_test_add_func ("/core/sla/update/restarts", test_update_restarts);
  g_test_add_func ("/core/sla/update/stops-when-resolved", test_update_stops_when_resolved);
  g_test_add_func ("/core/sla/pauses", test_pauses);
  g_test_add_func ("/core/sla/earliest/tier-beats-severity", test_earliest_tier_beats_severity);
  g_test_add_func ("/core/sla/earliest/issue-type-and-severity",
                   test_earliest_issue_type_and_severity);
  g_test_add_func ("/core/sla/tier-without-clock", test_tier_without_clock);
  g_test_add_func ("/core/sla/errors", test_errors);

  return g_test_run ();
}
