/* test-change.c — the rules of a production change record [4.3, 10.1]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-change.h"

#include "td-test-util.h"

#define NOW ((TdInstant) 1795000000)

static const struct
{
  TdChangeFields fields;
  TdChangeCheck  expected;
  const char    *field;
  const char    *explanation;
} cases[] = {
  { { "Raise the payroll sync timeout", "configuration", 2, "succeeded", NOW - 3600, NULL },
    TD_CHANGE_CHECK_OK },
  { { "Raise the payroll sync timeout", "configuration", 3, "planned", 0, NULL },
    TD_CHANGE_CHECK_OK },
  /* A rollback is a failure, and the review wants to know why. */
  { { "Hotfix 4.2.1", "code", 3, "rolled_back", NOW - 60, "Broke the approval screen" },
    TD_CHANGE_CHECK_OK },
  { { "Hotfix 4.2.1", "code", 3, "rolled_back", NOW - 60, "  " },
    TD_CHANGE_CHECK_NO_OUTCOME_NOTE,
    "outcome_note",
    "outcome_note: say what went wrong, for the review" },
  { { " \t", "code", 3, "planned", 0, NULL },
    TD_CHANGE_CHECK_NO_TITLE,
    "title",
    "title: say what the change is" },
  /* Tier 2 does not change schemas or infrastructure [4.3]. */
  { { "Add an index", "database", 2, "planned", 0, NULL },
    TD_CHANGE_CHECK_KIND_NOT_FOR_TIER,
    "kind",
    "kind: a Database schema change is made from Tier 3 up, not at Tier 2" },
  { { "Add an index", "firmware", 3, "planned", 0, NULL },
    TD_CHANGE_CHECK_UNKNOWN_KIND,
    "kind",
    "kind: \"firmware\" is not a kind of change the policy lists" },
  { { "Add an index", "database", 7, "planned", 0, NULL },
    TD_CHANGE_CHECK_UNKNOWN_TIER,
    "tier",
    "tier: the policy has no tier 7" },
  { { "Add an index", "database", 3, "done", NOW, NULL },
    TD_CHANGE_CHECK_UNKNOWN_STATUS,
    "status",
    "status: \"done\" is not planned, succeeded, failed or rolled_back" },
  { { "Add an index", "database", 3, "failed", 0, "Locked the table" },
    TD_CHANGE_CHECK_NOT_PERFORMED,
    "performed_at",
    "performed_at: a change that failed needs the time it was performed" },
  /* A drifting laptop clock is forgiven; tomorrow is not. */
  { { "Add an index", "database", 3, "succeeded", NOW + TD_CHANGE_CLOCK_SKEW, NULL },
    TD_CHANGE_CHECK_OK },
  { { "Add an index", "database", 3, "succeeded", NOW + 86400, NULL },
    TD_CHANGE_CHECK_PERFORMED_LATER,
    "performed_at",
    "performed_at: is in the future" },
};

static void
test_check (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char      *field = NULL;
      g_autofree char *explanation = NULL;
      TdChangeCheck    check;

      g_test_message ("case %u: %s", i, cases[i].fields.title);
      check = td_change_check (policy, &cases[i].fields, NOW, &field, &explanation);
      g_assert_cmpint (check, ==, cases[i].expected);
      g_assert_cmpstr (field, ==, cases[i].field);
      g_assert_cmpstr (explanation, ==, cases[i].explanation);
    }
}

static void
test_title_length (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  /* Characters, not bytes: 200 of "é" is 400 bytes and still fits. */
  g_autoptr (GString) title = g_string_new (NULL);
  TdChangeFields fields = { NULL, "code", 3, "planned", 0, NULL };

  for (int i = 0; i < TD_CHANGE_TITLE_MAX; i++)
    g_string_append (title, "é");
  fields.title = title->str;
  g_assert_cmpint (td_change_check (policy, &fields, NOW, NULL, NULL), ==, TD_CHANGE_CHECK_OK);
  g_string_append (title, "e");
  fields.title = title->str;
  g_assert_cmpint (td_change_check (policy, &fields, NOW, NULL, NULL), ==,
                   TD_CHANGE_CHECK_TITLE_TOO_LONG);
}

static void
test_status_names (void)
{
  for (TdChangeStatus status = TD_CHANGE_PLANNED; status <= TD_CHANGE_ROLLED_BACK; status++)
    {
      TdChangeStatus back = TD_CHANGE_PLANNED;

      g_assert_true (td_change_status_from_string (td_change_status_to_string (status), &back));
      g_assert_cmpint (back, ==, status);
      g_assert_cmpint (td_change_status_is_performed (status), ==, status != TD_CHANGE_PLANNED);
    }
  g_assert_false (td_change_status_from_string ("Succeeded", NULL));
  g_assert_false (td_change_status_from_string (NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/change/check", test_check);
  g_test_add_func ("/core/change/title-length", test_title_length);
  g_test_add_func ("/core/change/status-names", test_status_names);
  return g_test_run ();
}
