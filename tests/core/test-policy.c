/* test-policy.c — the shipped support model loads whole; broken files are refused by JSON path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "td-policy.h"

#include "td-test-util.h"

/* The shipped file with @from replaced by @to, which must occur exactly once,
 * so a test never silently mutates nothing. */
static char *
mutate (const char *text, const char *from, const char *to)
{
  g_autoptr (GString) result = g_string_new (text);
  const char *first = strstr (text, from);

  g_assert_nonnull (first);
  g_assert_null (strstr (first + 1, from));
  g_string_replace (result, from, to, 1);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static void
assert_errors (const char *text, const char *const *expected)
{
  g_autoptr (GPtrArray) errors = NULL;
  g_autoptr (TdPolicy) policy = td_policy_load (text, -1, &errors);
  guint n_expected = g_strv_length ((char **) expected);

  g_assert_null (policy);
  g_assert_nonnull (errors);
  for (guint i = 0; i < errors->len; i++)
    g_test_message ("error %u: %s", i, (const char *) g_ptr_array_index (errors, i));
  g_assert_cmpuint (errors->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpstr (g_ptr_array_index (errors, i), ==, expected[i]);
}

static void
assert_mutation_error (const char *from, const char *to, const char *expected)
{
  g_autofree char *text = td_test_shipped_text ();
  g_autofree char *broken = mutate (text, from, to);
  const char      *errors[] = { expected, NULL };

  assert_errors (broken, errors);
}

/* The shipped model */

static void
test_shipped_loads (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  const TdPolicyDocument *document = td_policy_get_document (policy);
  g_autofree char        *summary = td_policy_describe (policy);

  g_assert_cmpint (td_policy_get_schema_version (policy), ==, TD_POLICY_SCHEMA_VERSION);
  g_assert_cmpstr (document->id, ==, "LMS-PHASE30-SUPPORT-001");
  g_assert_cmpstr (document->version, ==, "1.0");
  g_assert_cmpstr (document->last_updated, ==, "2025-12-20");
  g_assert_cmpstr (document->status, ==, "ACTIVE");
  g_assert_cmpstr (document->classification, ==, "Internal");
  g_assert_cmpstr (summary, ==,
                   "LMS-PHASE30-SUPPORT-001 version 1.0 (schema 1): 4 tiers, 4 severities, "
                   "2 calendars, 5 escalation paths, 2 handoff checklists, 20 roles, "
                   "16 training topics");
}

static void
test_shipped_tiers (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  struct
  {
    int         level;
    const char *name;
    const char *team;
    const char *response;
    guint       responsibilities, in_scope, out_of_scope, issue_types, team_slots;
  } expected[] = {
    { 1, "Tier 1 – Service Desk", "IT Service Desk", "< 15 minutes", 7, 6, 6, 4, 4 },
    { 2, "Tier 2 – Application Support", "LMS Application Support", "< 1 hour (business hours)", 8,
      7, 7, 5, 4 },
    { 3, "Tier 3 – Engineering", "LMS Engineering Team", "Per severity (see SLA matrix)", 8, 7, 6,
      0, 6 },
    { 4, "Tier 4 – Executive / Vendor", "IT Leadership / Vendors",
      "Immediate for SEV-1 (the SEV-1 response clock applies)", 0, 0, 0, 0, 5 },
  };

  g_assert_cmpuint (td_policy_get_tiers (policy)->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpint (td_policy_get_max_tier (policy), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const TdTier *tier = td_policy_get_tier (policy, expected[i].level);

      g_assert_nonnull (tier);
      g_assert_cmpstr (tier->name, ==, expected[i].name);
      g_assert_cmpstr (tier->team, ==, expected[i].team);
      g_assert_cmpstr (tier->response_target.label, ==, expected[i].response);
      g_assert_cmpuint (tier->responsibilities->len, ==, expected[i].responsibilities);
      g_assert_cmpuint (g_strv_length (tier->in_scope), ==, expected[i].in_scope);
      g_assert_cmpuint (g_strv_length (tier->out_of_scope), ==, expected[i].out_of_scope);
      g_assert_cmpuint (tier->issue_types->len, ==, expected[i].issue_types);
      g_assert_cmpuint (tier->team_structure->len, ==, expected[i].team_slots);
    }

  /* Tier 1 responds within 15 minutes around the clock, Tier 2 within an
   * hour of business time; Tier 3 has no tier-wide clock (per severity). */
  {
    const TdTier *t1 = td_policy_get_tier (policy, 1);
    const TdTier *t2 = td_policy_get_tier (policy, 2);
    const TdTier *t3 = td_policy_get_tier (policy, 3);

    g_assert_true (t1->response_target.has_clock);
    g_assert_cmpint (t1->response_target.duration.seconds, ==, 15 * 60);
    g_assert_cmpstr (td_calendar_get_id (t1->response_target.calendar), ==, "24x7");
    g_assert_cmpint (t2->response_target.duration.seconds, ==, 3600);
    g_assert_cmpstr (td_calendar_get_id (t2->response_target.calendar), ==, "business-hours");
    g_assert_false (t3->response_target.has_clock);
    g_assert_cmpuint (t3->sub_teams->len, ==, 5);
    g_assert_cmpuint (td_policy_get_tier (policy, 4)->engagement->len, ==, 6);
  }
}

static void
test_shipped_issue_types (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  struct
  {
    const char *id;
    int         tier;
    gint64      seconds;
    gint64      business_days;
    const char *calendar;
    const char *escalate_if;
  } expected[] = {
    { "password-reset", 1, 15 * 60, 0, "24x7", "System-level issue" },
    { "navigation-help", 1, 15 * 60, 0, "24x7", "Application defect" },
    { "known-issue", 1, 30 * 60, 0, "24x7", "No workaround" },
    { "general-inquiry", 1, 4 * 3600, 0, "24x7", "Requires investigation" },
    { "balance-discrepancy", 2, 4 * 3600, 0, "business-hours", "Data corruption suspected" },
    { "workflow-issue", 2, 4 * 3600, 0, "business-hours", "Code defect identified" },
    { "configuration-change", 2, 8 * 3600, 0, "business-hours", "Requires code change" },
    { "report-issue", 2, 0, 1, "business-hours", "Requires development" },
    { "integration-status", 2, 2 * 3600, 0, "business-hours", "System connectivity issue" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const TdIssueType *issue_type = td_policy_get_issue_type (policy, expected[i].id);

      g_assert_nonnull (issue_type);
      g_assert_cmpint (issue_type->tier, ==, expected[i].tier);
      g_assert_cmpint (issue_type->resolution.duration.seconds, ==, expected[i].seconds);
      g_assert_cmpint (issue_type->resolution.duration.business_days, ==,
                       expected[i].business_days);
      g_assert_cmpstr (td_calendar_get_id (issue_type->resolution.calendar), ==,
                       expected[i].calendar);
      g_assert_cmpstr (issue_type->escalate_if, ==, expected[i].escalate_if);
    }
  g_assert_null (td_policy_get_issue_type (policy, "no-such-type"));
}

static void
test_shipped_severities (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  const TdSeverity *sev1 = td_policy_get_severity (policy, "SEV-1");
  const TdSeverity *sev3 = td_policy_get_severity (policy, "SEV-3");
  const TdSeverity *sev4 = td_policy_get_severity (policy, "SEV-4");

  g_assert_cmpuint (td_policy_get_severities (policy)->len, ==, 4);
  g_assert_cmpint (sev1->response.duration.seconds, ==, 15 * 60);
  g_assert_cmpint (sev1->resolution.duration.seconds, ==, 4 * 3600);
  g_assert_cmpint (sev1->update.duration.seconds, ==, 30 * 60);
  g_assert_true (sev1->pir_required);
  g_assert_true (td_policy_get_severity (policy, "SEV-2")->pir_required);
  g_assert_false (sev3->pir_required);
  g_assert_cmpint (sev3->resolution.duration.business_days, ==, 3);
  g_assert_cmpstr (td_calendar_get_id (sev3->resolution.calendar), ==, "business-hours");
  g_assert_cmpint (sev4->response.duration.business_days, ==, 1);
  g_assert_false (sev4->resolution.has_clock);
  g_assert_cmpstr (sev4->resolution.label, ==, "Next release");
  g_assert_cmpint (sev4->update.duration.seconds, ==, 7 * 86400);
  g_assert_cmpfloat (td_policy_get_at_risk_fraction (policy), ==, 0.75);
}

static void
test_shipped_fields_and_triage (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  GPtrArray *fields = td_policy_get_ticket_fields (policy);
  guint      required = 0;

  g_assert_cmpuint (fields->len, ==, 9);
  for (guint i = 0; i < fields->len; i++)
    {
      const TdTicketField *field = g_ptr_array_index (fields, i);

      if (field->required)
        required++;
      else
        g_assert_cmpstr (field->id, ==, "browser_device");
    }
  g_assert_cmpuint (required, ==, 8);
  g_assert_cmpuint (td_policy_get_impacts (policy)->len, ==, 3);
  g_assert_cmpuint (td_policy_get_urgencies (policy)->len, ==, 3);
  g_assert_cmpuint (td_policy_get_triage_rules (policy)->len, ==, 9);
}

static void
test_shipped_escalation (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  GPtrArray         *limits = td_policy_get_time_limits (policy);
  const TdChecklist *t1 = td_policy_get_checklist (policy, "t1-t2");
  const TdChecklist *t2 = td_policy_get_checklist (policy, "t2-t3");
  const TdTimeLimit *t3_sev1;

  g_assert_cmpuint (td_policy_get_escalation_paths (policy)->len, ==, 5);
  g_assert_cmpuint (limits->len, ==, 4);
  t3_sev1 = g_ptr_array_index (limits, 2);
  g_assert_cmpint (t3_sev1->tier, ==, 3);
  g_assert_cmpstr (t3_sev1->severity, ==, "SEV-1");
  g_assert_cmpint (t3_sev1->max.seconds, ==, 3600);
  g_assert_cmpuint (t1->items->len, ==, 6);
  g_assert_cmpuint (t2->items->len, ==, 6);
  g_assert_cmpstr (((TdChecklistItem *) g_ptr_array_index (t2->items, 0))->name, ==,
                   "Root cause hypothesis");
  g_assert_cmpuint (td_policy_get_shift_handoff (policy)->len, ==, 5);
  g_assert_cmpuint (td_policy_get_flow_outcomes (policy)->len, ==, 3);
}

static void
test_shipped_rotas_tools_training (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  GPtrArray            *rotas = td_policy_get_rota_templates (policy);
  GPtrArray            *training = td_policy_get_training (policy);
  double                onboarding_hours[5] = { 0 };
  const TdRotaTemplate *tier2;
  const TdRotaTemplate *tier3;

  g_assert_cmpuint (rotas->len, ==, 2);
  tier2 = g_ptr_array_index (rotas, 0);
  tier3 = g_ptr_array_index (rotas, 1);
  g_assert_cmpint (tier2->tier, ==, 2);
  g_assert_cmpuint (tier2->positions->len, ==, 2);
  g_assert_cmpuint (tier2->slots->len, ==, 8);
  g_assert_cmpint (tier3->tier, ==, 3);
  g_assert_cmpuint (tier3->positions->len, ==, 4);
  g_assert_cmpuint (tier3->slots->len, ==, 16);

  g_assert_cmpuint (td_policy_get_tools (policy)->len, ==, 9);
  g_assert_cmpuint (td_policy_get_access_provisioning (policy)->len, ==, 3);
  g_assert_cmpuint (td_policy_get_corrections (policy)->len, ==, 4);
  g_assert_true (td_policy_get_correction (policy, "audit-sensitive")->prohibited);
  g_assert_cmpuint (td_policy_get_metrics (policy)->len, ==, 9);
  g_assert_cmpuint (td_policy_get_quality_standards (policy)->len, ==, 5);
  {
    /* [10.1] SEV-1 Response < 15 min: Tier 3's response to SEV-1 tickets. */
    const TdMetricTarget    *sev1 = g_ptr_array_index (td_policy_get_metrics (policy), 6);
    const TdQualityStandard *pir = g_ptr_array_index (td_policy_get_quality_standards (policy), 4);

    g_assert_cmpstr (sev1->id, ==, "t3-sev1-response");
    g_assert_cmpint (sev1->measure, ==, TD_MEASURE_RESPONSE);
    g_assert_cmpstr (sev1->severity, ==, "SEV-1");
    g_assert_cmpint (pir->measure, ==, TD_MEASURE_PIR_COMPLETION);
    g_assert_cmpstr (td_measure_to_string (pir->measure), ==, "pir_completion");
  }
  {
    /* [10.2] Knowledge updates: the 24-hour documentation clock. */
    const TdQualityStandard *updates
        = g_ptr_array_index (td_policy_get_quality_standards (policy), 1);

    g_assert_cmpstr (updates->id, ==, "knowledge-updates");
    g_assert_cmpint (updates->measure, ==, TD_MEASURE_KNOWLEDGE_UPDATES);
    g_assert_cmpstr (td_measure_to_string (updates->measure), ==, "knowledge_updates");
  }
  g_assert_cmpuint (td_policy_get_contact_card (policy)->len, ==, 5);

  /* [11.1]–[11.3]: onboarding hours per tier add up to the seed's tables. */
  g_assert_cmpuint (training->len, ==, 16);
  for (guint i = 0; i < training->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (training, i);

      if (topic->frequency == TD_TRAINING_ONBOARDING)
        onboarding_hours[topic->tier] += topic->hours;
    }
  g_assert_cmpfloat (onboarding_hours[1], ==, 12);
  g_assert_cmpfloat (onboarding_hours[2], ==, 24);
  g_assert_cmpfloat (onboarding_hours[3], ==, 22);
}

/* [TBD], [Name] and [NUMBER] are slots to fill in, never invented people. */
static void
test_shipped_placeholders_empty (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  GPtrArray       *tiers = td_policy_get_tiers (policy);
  GPtrArray       *rotas = td_policy_get_rota_templates (policy);
  GPtrArray       *card = td_policy_get_contact_card (policy);
  g_autofree char *text = td_test_shipped_text ();

  g_assert_null (strstr (text, "[TBD]"));
  g_assert_null (strstr (text, "[Name]"));
  g_assert_null (strstr (text, "[NUMBER]"));

  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      for (guint j = 0; j < tier->team_structure->len; j++)
        {
          const TdTeamSlot *slot = g_ptr_array_index (tier->team_structure, j);
          g_assert_cmpstr (slot->name, ==, "");
          g_assert_cmpstr (slot->contact, ==, "");
          g_assert_nonnull (td_policy_get_role (policy, slot->role));
        }
      for (guint j = 0; j < tier->sub_teams->len; j++)
        g_assert_cmpstr (((TdSubTeam *) g_ptr_array_index (tier->sub_teams, j))->lead, ==, "");
    }
  for (guint i = 0; i < rotas->len; i++)
    {
      const TdRotaTemplate *rota = g_ptr_array_index (rotas, i);

      for (guint j = 0; j < rota->slots->len; j++)
        g_assert_cmpstr (((TdRotaSlot *) g_ptr_array_index (rota->slots, j))->name, ==, "");
    }
  /* The card's phone numbers are blank; its e-mail and pager ids are real. */
  {
    const TdContactSection *desk = g_ptr_array_index (card, 0);
    const TdContactEntry   *phone = g_ptr_array_index (desk->entries, 0);
    const TdContactEntry   *email = g_ptr_array_index (desk->entries, 1);

    g_assert_cmpstr (phone->label, ==, "Phone");
    g_assert_cmpstr (phone->value, ==, "");
    g_assert_cmpstr (email->value, ==, "lms-support@company.com");
  }
}

static void
test_shipped_permissions (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  g_assert_cmpuint (td_policy_get_permissions (policy)->len, ==, 20);
  /* Tier 2 and 3 record changes; only their leads delete one [10.1]. */
  g_assert_true (td_policy_role_may (policy, "app-support-analyst", "change.write"));
  g_assert_false (td_policy_role_may (policy, "service-desk-analyst", "change.write"));
  g_assert_false (td_policy_role_may (policy, "engineer", "change.delete"));
  g_assert_true (td_policy_role_may (policy, "engineering-manager", "change.delete"));
  /* Anyone in support drafts articles; leads and managers publish [9.1]. */
  g_assert_true (td_policy_role_may (policy, "service-desk-analyst", "knowledge.write"));
  g_assert_false (td_policy_role_may (policy, "service-desk-analyst", "knowledge.publish"));
  g_assert_true (td_policy_role_may (policy, "service-desk-manager", "knowledge.publish"));
  g_assert_true (td_policy_role_may (policy, "engineer", "pir.write"));
  g_assert_false (td_policy_role_may (policy, "trainer", "pir.write"));
  g_assert_true (td_policy_role_may (policy, "service-desk-analyst", "ticket.create"));
  g_assert_true (td_policy_role_may (policy, "it-director", "ticket.comment"));
  g_assert_false (td_policy_role_may (policy, "it-director", "ticket.escalate"));
  g_assert_false (td_policy_role_may (policy, "trainer", "ticket.create"));
  g_assert_true (td_policy_role_may (policy, "trainer", "training.write"));
  g_assert_true (td_policy_role_may (policy, "administrator", "policy.write"));
  g_assert_false (td_policy_role_may (policy, "app-support-lead", "policy.write"));
  /* Deny by default: an action the policy does not name, or no role. */
  g_assert_false (td_policy_role_may (policy, "administrator", "ticket.frobnicate"));
  g_assert_false (td_policy_role_may (policy, NULL, "ticket.create"));

  /* Refusals read as sentences. */
  {
    g_autofree char *create = td_policy_describe_action (policy, "ticket.create");
    g_autofree char *unknown = td_policy_describe_action (policy, "ticket.frobnicate");

    g_assert_cmpstr (create, ==, "log a new ticket");
    g_assert_cmpstr (unknown, ==, "ticket.frobnicate");
  }
}

static void
test_calendars (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdCalendar *always = td_policy_get_calendar (policy, "24x7");
  TdCalendar *business = td_policy_get_calendar (policy, "business-hours");

  g_assert_true (td_calendar_is_always (always));
  g_assert_false (td_calendar_is_always (business));
  g_assert_cmpstr (td_calendar_get_time_zone (business), ==, "Europe/London");
  g_assert_cmpint (td_calendar_get_business_day (business), ==, 8 * 3600);
  g_assert_true (td_calendar_is_holiday (business, 2026, 12, 25));
  g_assert_false (td_calendar_is_holiday (business, 2026, 12, 24));
  g_assert_null (td_policy_get_calendar (policy, "weekdays"));
}

static void
test_from_file_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdPolicy) policy = td_policy_new_from_file ("/nonexistent/policy.json", &error);

  g_assert_null (policy);
  g_assert_error (error, TD_POLICY_ERROR, TD_POLICY_ERROR_IO);
}

/* Broken files: each error names the JSON path and the reason, word for word. */

static void
test_error_not_json (void)
{
  const char *errors[] = {
    "$: not valid JSON: 1:22: Parse error: unexpected character `,', expected string constant", NULL
  };
  const char *errors_array[] = { "$: expected an object, found an array", NULL };

  assert_errors ("{ \"schema_version\": 1,", errors);
  assert_errors ("[1, 2, 3]", errors_array);
}

static void
test_error_schema_version (void)
{
  assert_mutation_error ("\"schema_version\": 1,", "\"schema_version\": 2,",
                         "$.schema_version: unsupported schema version 2 "
                         "(this program reads version 1)");
}

static void
test_error_missing_member (void)
{
  assert_mutation_error ("\"name\": \"Tier 2 – Application Support\",", "",
                         "$.tiers[1]: missing required member \"name\"");
}

static void
test_error_unknown_member (void)
{
  assert_mutation_error ("\"id\": \"SEV-1\", \"level\": 1,",
                         "\"id\": \"SEV-1\", \"colour\": \"red\", \"level\": 1,",
                         "$.severities[0].colour: unknown member");
}

static void
test_error_wrong_type (void)
{
  assert_mutation_error ("\"id\": \"SEV-1\", \"level\": 1,",
                         "\"id\": \"SEV-1\", \"level\": \"one\",",
                         "$.severities[0].level: expected an integer, found a string");
  assert_mutation_error ("\"in_scope\": [\"Password resets\",", "\"in_scope\": [42,",
                         "$.tiers[0].in_scope[0]: expected a string, found an integer");
}

static void
test_error_unparseable_duration (void)
{
  assert_mutation_error ("\"resolution\": { \"duration\": \"8h\", \"calendar\": \"24x7\"",
                         "\"resolution\": { \"duration\": \"8 hrs\", \"calendar\": \"24x7\"",
                         "$.severities[1].resolution.duration: cannot parse duration \"8 hrs\" "
                         "(expected a number and a unit: s, m, h, d, w or bd, e.g. \"15m\", "
                         "\"4h\", \"3bd\")");
}

static void
test_error_negative_duration (void)
{
  assert_mutation_error (
      "\"response\": { \"duration\": \"15m\", \"calendar\": \"24x7\", \"label\": "
      "\"15 min\" }",
      "\"response\": { \"duration\": \"-15m\", \"calendar\": \"24x7\", "
      "\"label\": \"15 min\" }",
      "$.severities[0].response.duration: negative duration \"-15m\"");
}

static void
test_error_unknown_tier (void)
{
  assert_mutation_error ("\"id\": \"t2-t3\", \"from\": 2, \"to\": 3,",
                         "\"id\": \"t2-t3\", \"from\": 2, \"to\": 7,",
                         "$.escalation.paths[1].to: unknown tier 7 "
                         "(the policy defines tiers 1, 2, 3, 4)");
}

static void
test_error_unknown_role (void)
{
  assert_mutation_error ("\"approver\": \"app-support-lead\"", "\"approver\": \"app-support-boss\"",
                         "$.access_provisioning[1].approver: unknown role \"app-support-boss\" "
                         "(not defined in $.roles)");
}

static void
test_error_change_kind_tier (void)
{
  assert_mutation_error (
      "\"id\": \"database\", \"name\": \"Database schema change\", \"from_tier\": 3",
      "\"id\": \"database\", \"name\": \"Database schema change\", \"from_tier\": 6",
      "$.change_kinds[2].from_tier: unknown tier 6 "
      "(the policy defines tiers 1, 2, 3, 4)");
}

static void
test_error_duplicate_id (void)
{
  assert_mutation_error ("\"id\": \"t1-ticketing\"", "\"id\": \"t1-lms-overview\"",
                         "$.training[1].id: duplicate id \"t1-lms-overview\" "
                         "(first used at $.training[0].id)");
}

static void
test_error_unknown_calendar (void)
{
  assert_mutation_error ("\"response_target\": { \"duration\": \"1h\", \"calendar\": "
                         "\"business-hours\"",
                         "\"response_target\": { \"duration\": \"1h\", \"calendar\": "
                         "\"weekdays\"",
                         "$.tiers[1].response_target.calendar: unknown calendar \"weekdays\" "
                         "(not defined in $.calendars)");
}

static void
test_error_unknown_time_zone (void)
{
  assert_mutation_error ("\"time_zone\": \"Europe/London\"", "\"time_zone\": \"Europe/Londn\"",
                         "$.calendars[1].time_zone: unknown time zone \"Europe/Londn\" "
                         "(expected an IANA name such as \"Europe/London\")");
}

static void
test_error_bad_time_and_date (void)
{
  assert_mutation_error ("\"end\": \"17:00\"", "\"end\": \"25:00\"",
                         "$.calendars[1].week[0].end: cannot parse time \"25:00\" "
                         "(expected HH:MM)");
  assert_mutation_error ("\"end\": \"17:00\"", "\"end\": \"08:00\"",
                         "$.calendars[1].week[0]: the window ends (08:00) before it starts "
                         "(09:00)");
  assert_mutation_error ("\"date\": \"2026-04-03\"", "\"date\": \"2026-02-30\"",
                         "$.calendars[1].holidays[1].date: cannot parse date \"2026-02-30\" "
                         "(expected YYYY-MM-DD)");
  assert_mutation_error ("\"fri\"", "\"fry\"",
                         "$.calendars[1].week[0].days[4]: unknown weekday \"fry\" "
                         "(expected mon, tue, wed, thu, fri, sat or sun)");
}

static void
test_error_unknown_severity (void)
{
  assert_mutation_error ("\"severity\": \"SEV-2\", \"max\": \"4h\"",
                         "\"severity\": \"SEV-9\", \"max\": \"4h\"",
                         "$.escalation.time_limits[3].severity: unknown severity \"SEV-9\" "
                         "(not defined in $.severities)");
}

static void
test_error_unknown_checklist (void)
{
  assert_mutation_error ("\"checklist\": \"t2-t3\"", "\"checklist\": \"t3-t4\"",
                         "$.escalation.paths[1].checklist: unknown checklist \"t3-t4\" "
                         "(not defined in $.handoffs.checklists)");
}

static void
test_error_triage_incomplete (void)
{
  assert_mutation_error (
      ",\n      { \"impact\": \"low\", \"urgency\": \"low\", \"priority\": \"P4\", \"severity\": "
      "\"SEV-4\" }",
      "", "$.triage.matrix: no entry for impact \"low\" and urgency \"low\"");
}

static void
test_error_enum_values (void)
{
  assert_mutation_error ("\"hours\": 2, \"frequency\": \"quarterly\"",
                         "\"hours\": 2, \"frequency\": \"monthly\"",
                         "$.training[4].frequency: unknown frequency \"monthly\" "
                         "(expected onboarding, quarterly or annual)");
  assert_mutation_error ("\"topic\": \"Ticketing System\", \"hours\": 2",
                         "\"topic\": \"Ticketing System\", \"hours\": -2",
                         "$.training[1].hours: training hours must be more than zero, not -2");
}

static void
test_error_measure (void)
{
  assert_mutation_error ("\"measure\": \"ping_pong\"", "\"measure\": \"pingpong\"",
                         "$.quality_standards[2].measure: unknown measure \"pingpong\" "
                         "(expected documentation, ping_pong, pir_completion or "
                         "knowledge_updates)");
  /* A quality standard's measure is not a metric's. */
  assert_mutation_error ("\"measure\": \"change_success\"", "\"measure\": \"ping_pong\"",
                         "$.metrics[8].measure: unknown measure \"ping_pong\" (expected response, "
                         "resolution_time, first_contact_resolution, escalation_accuracy, "
                         "resolution_rate or change_success)");
  assert_mutation_error ("\"measure\": \"response\", \"severity\": \"SEV-1\"",
                         "\"measure\": \"response\", \"severity\": \"SEV-7\"",
                         "$.metrics[6].severity: unknown severity \"SEV-7\" "
                         "(not defined in $.severities)");
}

static void
test_error_escalation_downwards (void)
{
  assert_mutation_error ("\"id\": \"t3-t4\", \"from\": 3, \"to\": 4,",
                         "\"id\": \"t3-t4\", \"from\": 3, \"to\": 2,",
                         "$.escalation.paths[2].to: an escalation goes up: tier 2 is not above "
                         "tier 3");
}

static void
test_error_all_reported (void)
{
  g_autofree char *text = td_test_shipped_text ();
  g_autofree char *once = mutate (text, "\"id\": \"t1-ticketing\"", "\"id\": \"t1-lms-overview\"");
  g_autofree char *twice
      = mutate (once, "\"approver\": \"app-support-lead\"", "\"approver\": \"app-support-boss\"");
  g_autofree char *thrice = mutate (twice, "\"fri\"", "\"fry\"");
  const char      *errors[] = {
         "$.calendars[1].week[0].days[4]: unknown weekday \"fry\" "
              "(expected mon, tue, wed, thu, fri, sat or sun)",
         "$.training[1].id: duplicate id \"t1-lms-overview\" (first used at $.training[0].id)",
         "$.access_provisioning[1].approver: unknown role \"app-support-boss\" "
              "(not defined in $.roles)",
         NULL,
  };

  assert_errors (thrice, errors);
}

static void
test_gerror_joins_lines (void)
{
  g_autofree char *text = td_test_shipped_text ();
  g_autofree char *broken = mutate (text, "\"fri\"", "\"fry\"");
  g_autoptr (GError) error = NULL;
  g_autoptr (TdPolicy) policy = td_policy_new_from_data (broken, -1, &error);

  g_assert_null (policy);
  g_assert_error (error, TD_POLICY_ERROR, TD_POLICY_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "$.calendars[1].week[0].days[4]: "));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/policy/shipped/loads", test_shipped_loads);
  g_test_add_func ("/core/policy/shipped/tiers", test_shipped_tiers);
  g_test_add_func ("/core/policy/shipped/issue-types", test_shipped_issue_types);
  g_test_add_func ("/core/policy/shipped/severities", test_shipped_severities);
  g_test_add_func ("/core/policy/shipped/fields-and-triage", test_shipped_fields_and_triage);
  g_test_add_func ("/core/policy/shipped/escalation", test_shipped_escalation);
  g_test_add_func ("/core/policy/shipped/rotas-tools-training", test_shipped_rotas_tools_training);
  g_test_add_func ("/core/policy/shipped/placeholders-empty", test_shipped_placeholders_empty);
  g_test_add_func ("/core/policy/shipped/calendars", test_calendars);
  g_test_add_func ("/core/policy/shipped/permissions", test_shipped_permissions);
  g_test_add_func ("/core/policy/error/file", test_from_file_errors);
  g_test_add_func ("/core/policy/error/not-json", test_error_not_json);
  g_test_add_func ("/core/policy/error/schema-version", test_error_schema_version);
  g_test_add_func ("/core/policy/error/missing-member", test_error_missing_member);
  g_test_add_func ("/core/policy/error/unknown-member", test_error_unknown_member);
  g_test_add_func ("/core/policy/error/wrong-type", test_error_wrong_type);
  g_test_add_func ("/core/policy/error/unparseable-duration", test_error_unparseable_duration);
  g_test_add_func ("/core/policy/error/negative-duration", test_error_negative_duration);
  g_test_add_func ("/core/policy/error/unknown-tier", test_error_unknown_tier);
  g_test_add_func ("/core/policy/error/unknown-role", test_error_unknown_role);
  g_test_add_func ("/core/policy/error/change-kind-tier", test_error_change_kind_tier);
  g_test_add_func ("/core/policy/error/duplicate-id", test_error_duplicate_id);
  g_test_add_func ("/core/policy/error/unknown-calendar", test_error_unknown_calendar);
  g_test_add_func ("/core/policy/error/unknown-time-zone", test_error_unknown_time_zone);
  g_test_add_func ("/core/policy/error/bad-time-and-date", test_error_bad_time_and_date);
  g_test_add_func ("/core/policy/error/unknown-severity", test_error_unknown_severity);
  g_test_add_func ("/core/policy/error/unknown-checklist", test_error_unknown_checklist);
  g_test_add_func ("/core/policy/error/triage-incomplete", test_error_triage_incomplete);
  g_test_add_func ("/core/policy/error/enum-values", test_error_enum_values);
  g_test_add_func ("/core/policy/error/escalation-downwards", test_error_escalation_downwards);
  g_test_add_func ("/core/policy/error/measure", test_error_measure);
  g_test_add_func ("/core/policy/error/all-reported", test_error_all_reported);
  g_test_add_func ("/core/policy/error/gerror", test_gerror_joins_lines);

  return g_test_run ();
}
