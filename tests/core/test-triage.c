/* test-triage.c — impact × urgency gives priority and severity; required ticket fields [3.5]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-triage.h"

#include "td-test-util.h"

/* The matrix */

static void
test_matrix (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  static const struct
  {
    const char *impact;
    const char *urgency;
    const char *priority;
    const char *severity;
  } cells[] = {
    { "high", "high", "P1", "SEV-1" },     { "high", "medium", "P2", "SEV-2" },
    { "high", "low", "P3", "SEV-3" },      { "medium", "high", "P2", "SEV-2" },
    { "medium", "medium", "P3", "SEV-3" }, { "medium", "low", "P4", "SEV-4" },
    { "low", "high", "P3", "SEV-3" },      { "low", "medium", "P4", "SEV-4" },
    { "low", "low", "P4", "SEV-4" },
  };

  g_assert_cmpuint (td_policy_get_triage_rules (policy)->len, ==, G_N_ELEMENTS (cells));

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autoptr (GError) error = NULL;
      const TdTriageRule *rule;

      g_test_message ("impact %s, urgency %s", cells[i].impact, cells[i].urgency);
      rule = td_triage (policy, cells[i].impact, cells[i].urgency, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rule);
      g_assert_cmpstr (rule->impact, ==, cells[i].impact);
      g_assert_cmpstr (rule->urgency, ==, cells[i].urgency);
      g_assert_cmpstr (rule->priority, ==, cells[i].priority);
      g_assert_cmpstr (rule->severity, ==, cells[i].severity);
      /* Every severity the matrix gives is one the SLA matrix [5.5] knows. */
      g_assert_nonnull (td_policy_get_severity (policy, rule->severity));
    }
}

static void
test_matrix_without_error_location (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  g_assert_nonnull (td_triage (policy, "low", "low", NULL));
  g_assert_null (td_triage (policy, "extreme", "low", NULL));
  g_assert_null (td_triage (policy, "low", "extreme", NULL));
}

/* Unknown values */

static void
assert_triage_error (TdPolicy   *policy,
                     const char *impact,
                     const char *urgency,
                     int         code,
                     const char *message)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (td_triage (policy, impact, urgency, &error));
  g_assert_error (error, TD_TRIAGE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_unknown_impact (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  assert_triage_error (policy, "extreme", "high", TD_TRIAGE_ERROR_UNKNOWN_IMPACT,
                       "unknown impact \"extreme\" (expected high, medium or low)");
  assert_triage_error (policy, "", "high", TD_TRIAGE_ERROR_UNKNOWN_IMPACT,
                       "unknown impact \"\" (expected high, medium or low)");
  assert_triage_error (policy, NULL, "high", TD_TRIAGE_ERROR_UNKNOWN_IMPACT,
                       "unknown impact \"\" (expected high, medium or low)");
  /* The impact is checked first. */
  assert_triage_error (policy, "extreme", "whenever", TD_TRIAGE_ERROR_UNKNOWN_IMPACT,
                       "unknown impact \"extreme\" (expected high, medium or low)");
}

static void
test_unknown_urgency (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  assert_triage_error (policy, "high", "whenever", TD_TRIAGE_ERROR_UNKNOWN_URGENCY,
                       "unknown urgency \"whenever\" (expected high, medium or low)");
  assert_triage_error (policy, "medium", NULL, TD_TRIAGE_ERROR_UNKNOWN_URGENCY,
                       "unknown urgency \"\" (expected high, medium or low)");
}

/* Required fields [3.5] */

static const char *
lookup_table (const char *field_id, gpointer user_data)
{
  return g_hash_table_lookup (user_data, field_id);
}

static GHashTable *
complete_ticket (void)
{
  GHashTable *fields = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (fields, "user_id", "E12345");
  g_hash_table_insert (fields, "contact", "jo@example.com, +44 20 7946 0000");
  g_hash_table_insert (fields, "description", "Annual leave balance shows 3 days too few");
  g_hash_table_insert (fields, "steps_to_reproduce", "Open My Leave, look at the balance");
  g_hash_table_insert (fields, "error_message", "none shown");
  g_hash_table_insert (fields, "impact", "low");
  g_hash_table_insert (fields, "urgency", "medium");
  g_hash_table_insert (fields, "browser_device", "Firefox 140 on Fedora");
  g_hash_table_insert (fields, "occurred_at", "2026-03-27T15:00:00Z");
  return fields;
}

static void
assert_missing (TdPolicy          *policy,
                GHashTable        *fields,
                const char *const *expected_ids,
                const char *const *expected_names)
{
  g_autoptr (GPtrArray) missing = td_triage_missing_fields (policy, lookup_table, fields);
  guint n = g_strv_length ((char **) expected_ids);

  g_assert_nonnull (missing);
  for (guint i = 0; i < missing->len; i++)
    g_test_message ("missing %u: %s", i,
                    ((const TdTicketField *) g_ptr_array_index (missing, i))->id);
  g_assert_cmpuint (missing->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const TdTicketField *field = g_ptr_array_index (missing, i);

      g_assert_cmpstr (field->id, ==, expected_ids[i]);
      g_assert_cmpstr (field->name, ==, expected_names[i]);
      g_assert_true (field->required);
    }
}

static void
test_fields_complete (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GHashTable) fields = complete_ticket ();
  const char *none[] = { NULL };

  assert_missing (policy, fields, none, none);
}

static void
test_fields_missing (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GHashTable) fields = complete_ticket ();
  g_autoptr (GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);
  const char *some_ids[] = { "contact", "error_message", "occurred_at", NULL };
  const char *some_names[] = { "Contact Info", "Error Message", "Timestamp", NULL };
  const char *all_ids[]
      = { "user_id", "contact",     "description", "steps_to_reproduce", "error_message", "impact",
          "urgency", "occurred_at", NULL };
  const char *all_names[] = { "User ID",
                              "Contact Info",
                              "Issue Description",
                              "Steps to Reproduce",
                              "Error Message",
                              "Impact",
                              "Urgency",
                              "Timestamp",
                              NULL };

  /* Reported in the policy's order, whatever order they went missing in. */
  g_hash_table_remove (fields, "occurred_at");
  g_hash_table_remove (fields, "contact");
  g_hash_table_remove (fields, "error_message");
  assert_missing (policy, fields, some_ids, some_names);

  /* Nothing given: every required field of [3.5], and not Browser/Device. */
  assert_missing (policy, empty, all_ids, all_names);
}

static void
test_fields_blank (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GHashTable) fields = complete_ticket ();
  const char *ids[] = { "user_id", "description", "steps_to_reproduce", "urgency", NULL };
  const char *names[] = { "User ID", "Issue Description", "Steps to Reproduce", "Urgency", NULL };

  g_hash_table_insert (fields, "user_id", "");
  g_hash_table_insert (fields, "description", "   ");
  g_hash_table_insert (fields, "steps_to_reproduce", " \t\r\n ");
  g_hash_table_insert (fields, "urgency", "\n");
  /* Text with whitespace around it is given. */
  g_hash_table_insert (fields, "error_message", "  HTTP 500  ");
  assert_missing (policy, fields, ids, names);
}

static void
test_fields_optional (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GHashTable) fields = complete_ticket ();
  const char *none[] = { NULL };
  const char *one_id[] = { "impact", NULL };
  const char *one_name[] = { "Impact", NULL };
  GPtrArray  *defined = td_policy_get_ticket_fields (policy);
  gboolean    found = FALSE;

  /* [3.5] marks Browser/Device optional ("If UI-related"). */
  for (guint i = 0; i < defined->len; i++)
    {
      const TdTicketField *field = g_ptr_array_index (defined, i);

      if (g_str_equal (field->id, "browser_device"))
        {
          g_assert_false (field->required);
          g_assert_cmpstr (field->name, ==, "Browser/Device");
          found = TRUE;
        }
      else
        g_assert_true (field->required);
    }
  g_assert_true (found);

  g_hash_table_remove (fields, "browser_device");
  assert_missing (policy, fields, none, none);

  g_hash_table_insert (fields, "browser_device", "  ");
  assert_missing (policy, fields, none, none);

  g_hash_table_remove (fields, "impact");
  assert_missing (policy, fields, one_id, one_name);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/triage/matrix", test_matrix);
  g_test_add_func ("/core/triage/matrix/no-error-location", test_matrix_without_error_location);
  g_test_add_func ("/core/triage/unknown-impact", test_unknown_impact);
  g_test_add_func ("/core/triage/unknown-urgency", test_unknown_urgency);
  g_test_add_func ("/core/triage/fields/complete", test_fields_complete);
  g_test_add_func ("/core/triage/fields/missing", test_fields_missing);
  g_test_add_func ("/core/triage/fields/blank", test_fields_blank);
  g_test_add_func ("/core/triage/fields/optional", test_fields_optional);

  return g_test_run ();
}
