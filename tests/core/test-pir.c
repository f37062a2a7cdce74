/* test-pir.c — post-incident reviews [10.2, 5.2]: due time, status rules,
 * timeline, participation, Markdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "td-pir.h"
#include "td-time.h"

#include "td-test-util.h"

#define HOUR ((gint64) 3600)

static TdPolicy *policy;

static JsonObject *
parse (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static TdPir *
pir_from (const char *json)
{
  g_autoptr (JsonObject) row = parse (json);
  g_autoptr (GError) error = NULL;
  TdPir *pir = td_pir_new_from_row (row, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pir);
  return pir;
}

static void
assert_check (const char *json, GQuark domain, int code, const char *message)
{
  g_autoptr (TdPir) pir = pir_from (json);
  g_autoptr (GError) error = NULL;

  if (message == NULL)
    {
      g_assert_true (td_pir_check (pir, &error));
      g_assert_no_error (error);
      return;
    }
  g_assert_false (td_pir_check (pir, &error));
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_due (void)
{
  TdInstant resolved = td_test_iso ("2026-03-27T15:00:00Z");

  /* The policy's pir-participation standard gives "within": "5d". */
  td_test_assert_instant (td_pir_due (policy, resolved), "2026-04-01T15:00:00Z");
  td_test_assert_instant (td_pir_due (NULL, resolved), "2026-04-01T15:00:00Z");
}

static void
test_overdue (void)
{
  TdInstant due = td_test_iso ("2026-04-01T15:00:00Z");
  g_autoptr (TdPir) scheduled = pir_from ("{\"status\": \"scheduled\", \"due_at\": 1775055600}");
  g_autoptr (TdPir) held = pir_from ("{\"status\": \"held\", \"due_at\": 1775055600, "
                                     "\"held_at\": 1774900000, \"root_cause\": \"x\"}");

  g_assert_cmpint (scheduled->due_at, ==, due);
  g_assert_false (td_pir_is_overdue (scheduled, due));
  g_assert_true (td_pir_is_overdue (scheduled, due + 1));
  g_assert_true (td_pir_needs_attention (scheduled, due + 1));
  /* Held: never overdue, and with no open actions nothing to chase. */
  g_assert_false (td_pir_is_overdue (held, due + 100 * HOUR));
  g_assert_false (td_pir_needs_attention (held, due + 100 * HOUR));
}

static const char actions_json[]
    = "\"actions\": ["
      "{\"text\": \"Alert on SSO certificate expiry\", \"owner\": \"p1\", \"due\": "
      "\"2026-04-10\", \"done\": true},"
      "{\"text\": \"Runbook for certificate rotation\", \"owner\": \"p2\", \"due\": "
      "\"2026-04-03\", \"done\": false}]";

static void
test_actions (void)
{
  g_autofree char *json = g_strdup_printf (
      "{\"status\": \"actions_open\", \"held_at\": 1774900000, \"root_cause\": \"Expired "
      "certificate\", %s}",
      actions_json);
  g_autoptr (TdPir) pir = pir_from (json);
  GDate today;

  g_assert_cmpuint (pir->actions->len, ==, 2);
  g_assert_cmpuint (td_pir_count_open_actions (pir), ==, 1);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 3, G_DATE_APRIL, 2026);
  g_assert_cmpuint (td_pir_count_overdue_actions (pir, &today), ==, 0);
  g_date_set_dmy (&today, 4, G_DATE_APRIL, 2026);
  g_assert_cmpuint (td_pir_count_overdue_actions (pir, &today), ==, 1);
  g_assert_true (td_pir_needs_attention (pir, 0));
}

static void
test_check (void)
{
  g_autofree char *open = g_strdup_printf (
      "{\"status\": \"closed\", \"held_at\": 1774900000, \"root_cause\": \"x\", %s}", actions_json);

  assert_check ("{\"status\": \"scheduled\"}", 0, 0, NULL);
  assert_check ("{\"status\": \"held\", \"root_cause\": \"x\"}", TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                "held_at: a review that is held says when it was held");
  assert_check ("{\"status\": \"held\", \"held_at\": 1774900000, \"root_cause\": \" \"}",
                TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                "root_cause: a review that is held states the root cause");
  assert_check ("{\"status\": \"actions_open\", \"held_at\": 1774900000, \"root_cause\": \"x\"}",
                TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                "status: actions_open needs at least one action not yet done");
  assert_check (open, TD_PIR_ERROR, TD_PIR_ERROR_RULE,
                "status: a review closes once every action is done (1 still open)");
  assert_check ("{\"actions\": [{\"text\": \"Fix\", \"due\": \"2026-04-01\"}]}", TD_PIR_ERROR,
                TD_PIR_ERROR_INVALID, "actions[0].owner: every action needs an owner");
  assert_check ("{\"actions\": [{\"text\": \"Fix\", \"owner\": \"p\", \"due\": \"01/04/2026\"}]}",
                TD_PIR_ERROR, TD_PIR_ERROR_INVALID,
                "actions[0].due: \"01/04/2026\" is not a date (expected YYYY-MM-DD)");
  assert_check ("{\"participants\": [{\"required\": true}]}", TD_PIR_ERROR, TD_PIR_ERROR_INVALID,
                "participants[0]: a participant needs a person or a name");
}

static void
test_bad_row (void)
{
  g_autoptr (JsonObject) status = parse ("{\"status\": \"done\"}");
  g_autoptr (JsonObject) actions = parse ("{\"actions\": \"not json\"}");
  g_autoptr (GError) error = NULL;

  g_assert_null (td_pir_new_from_row (status, &error));
  g_assert_cmpstr (error->message, ==,
                   "status: \"done\" is not a review status (expected scheduled, held, "
                   "actions_open or closed)");
  g_clear_error (&error);
  g_assert_null (td_pir_new_from_row (actions, &error));
  g_assert_cmpstr (error->message, ==, "actions: expected an array");
}

static void
test_cache_row (void)
{
  /* The client cache keeps the lists as text. */
  g_autoptr (TdPir) pir
      = pir_from ("{\"status\": \"scheduled\", \"participants\": \"[{\\\"person\\\": \\\"p1\\\", "
                  "\\\"name\\\": \\\"Ana\\\", \\\"required\\\": true}]\"}");

  g_assert_cmpuint (pir->participants->len, ==, 1);
  g_assert_cmpstr (((TdPirParticipant *) g_ptr_array_index (pir->participants, 0))->name, ==,
                   "Ana");
}

static void
test_timeline (void)
{
  g_autoptr (GPtrArray) events
      = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (JsonNode) timeline = NULL;
  JsonArray *array;

  /* Out of order, as rows may come; data as JSON and as text. */
  g_ptr_array_add (events, parse ("{\"at\": 300, \"rev\": 9, \"kind\": \"status\", \"author\": "
                                  "\"ana\", \"data\": {\"status\": \"resolved\", \"resolution\": "
                                  "\"Certificate renewed\"}}"));
  g_ptr_array_add (events, parse ("{\"at\": 100, \"rev\": 2, \"kind\": \"comment\", \"author\": "
                                  "\"bo\", \"body\": \"Users cannot sign in\"}"));
  g_ptr_array_add (events,
                   parse ("{\"at\": 200, \"rev\": 5, \"kind\": \"escalate\", \"author\": "
                          "\"bo\", \"data\": \"{\\\"from_tier\\\": 1, \\\"to_tier\\\": 2}\"}"));
  timeline = td_pir_timeline_from_events (events);
  array = json_node_get_array (timeline);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "text"),
                   ==, "Users cannot sign in");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "text"),
                   ==, "Escalated from Tier 1 to Tier 2");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "text"),
                   ==, "Status: resolved (Certificate renewed)");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 2), "at"), ==,
                   300);
}

static void
test_participation (void)
{
  g_autoptr (GPtrArray) pirs = g_ptr_array_new_with_free_func ((GDestroyNotify) td_pir_free);
  guint required, attended;

  g_ptr_array_add (pirs, pir_from ("{\"status\": \"closed\", \"held_at\": 1, \"root_cause\": "
                                   "\"x\", \"participants\": [{\"person\": \"p1\", \"required\": "
                                   "true, \"attended\": true}, {\"person\": \"p2\", \"required\": "
                                   "true, \"attended\": false}]}"));
  g_ptr_array_add (pirs, pir_from ("{\"status\": \"held\", \"held_at\": 1, \"root_cause\": \"x\", "
                                   "\"participants\": [{\"person\": \"p1\", \"required\": true, "
                                   "\"attended\": false}]}"));
  /* Not held yet: does not count. */
  g_ptr_array_add (pirs, pir_from ("{\"status\": \"scheduled\", \"participants\": [{\"person\": "
                                   "\"p1\", \"required\": true}]}"));
  td_pir_participation (pirs, "p1", &required, &attended);
  g_assert_cmpuint (required, ==, 2);
  g_assert_cmpuint (attended, ==, 1);
  td_pir_participation (pirs, "p2", &required, &attended);
  g_assert_cmpuint (required, ==, 1);
  g_assert_cmpuint (attended, ==, 0);
}

/* Who was required and did not come, for a manager to follow up. */
static void
test_missed (void)
{
  g_autoptr (GPtrArray) pirs = g_ptr_array_new_with_free_func ((GDestroyNotify) td_pir_free);
  g_autoptr (GPtrArray) missed_p1 = NULL;
  g_autoptr (GPtrArray) missed_p2 = NULL;
  g_autoptr (GPtrArray) missed_p3 = NULL;

  g_ptr_array_add (pirs, pir_from ("{\"uuid\": \"a\", \"status\": \"closed\", \"held_at\": 1, "
                                   "\"root_cause\": \"x\", \"participants\": [{\"person\": "
                                   "\"p1\", \"required\": true, \"attended\": true}, "
                                   "{\"person\": \"p2\", \"required\": true, \"attended\": "
                                   "false}]}"));
  g_ptr_array_add (pirs, pir_from ("{\"uuid\": \"b\", \"status\": \"held\", \"held_at\": 1, "
                                   "\"root_cause\": \"x\", \"participants\": [{\"person\": "
                                   "\"p1\", \"required\": true, \"attended\": false}, "
                                   "{\"person\": \"p3\", \"required\": false, \"attended\": "
                                   "false}]}"));
  /* Not held yet: nobody has missed it. */
  g_ptr_array_add (pirs, pir_from ("{\"uuid\": \"c\", \"status\": \"scheduled\", "
                                   "\"participants\": [{\"person\": \"p2\", \"required\": "
                                   "true}]}"));
  missed_p1 = td_pir_missed (pirs, "p1");
  g_assert_cmpuint (missed_p1->len, ==, 1);
  g_assert_cmpstr (((TdPir *) g_ptr_array_index (missed_p1, 0))->uuid, ==, "b");
  missed_p2 = td_pir_missed (pirs, "p2");
  g_assert_cmpuint (missed_p2->len, ==, 1);
  g_assert_cmpstr (((TdPir *) g_ptr_array_index (missed_p2, 0))->uuid, ==, "a");
  /* Not required: not missed. */
  missed_p3 = td_pir_missed (pirs, "p3");
  g_assert_cmpuint (missed_p3->len, ==, 0);
}

/* The queue's and the Metrics page's list: overdue, or held with open
 * actions; in the rows' order; a bad row left out. */
static void
test_follow_ups (void)
{
  TdInstant due = td_test_iso ("2026-04-01T15:00:00Z");
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autofree char *overdue_text = NULL;
  g_autofree char *open_text = NULL;
  g_autofree char *no_severity = NULL;

  g_ptr_array_add (rows, parse ("{\"uuid\": \"late\", \"status\": \"scheduled\", "
                                "\"due_at\": 1775055600}"));
  g_ptr_array_add (rows, parse ("{\"uuid\": \"open\", \"status\": \"actions_open\", "
                                "\"held_at\": 1, \"root_cause\": \"x\", \"actions\": "
                                "[{\"text\": \"a\", \"owner\": \"p1\", \"due\": "
                                "\"2026-04-09\", \"done\": false}, {\"text\": \"b\", "
                                "\"owner\": \"p1\", \"due\": \"2026-04-09\", \"done\": "
                                "false}]}"));
  g_ptr_array_add (rows, parse ("{\"uuid\": \"done\", \"status\": \"closed\", \"held_at\": "
                                "1, \"root_cause\": \"x\"}"));
  g_ptr_array_add (rows, parse ("{\"uuid\": \"bad\", \"status\": \"postponed\"}"));

  before = td_pir_list_follow_ups (rows, due);
  g_assert_cmpuint (before->len, ==, 1);
  g_assert_cmpstr (((TdPir *) g_ptr_array_index (before, 0))->uuid, ==, "open");
  after = td_pir_list_follow_ups (rows, due + 3 * 24 * HOUR);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpstr (((TdPir *) g_ptr_array_index (after, 0))->uuid, ==, "late");
  g_assert_cmpstr (((TdPir *) g_ptr_array_index (after, 1))->uuid, ==, "open");

  overdue_text
      = td_pir_describe_follow_up (g_ptr_array_index (after, 0), "SEV-2", due + 3 * 24 * HOUR);
  g_assert_cmpstr (overdue_text, ==, "SEV-2 · review overdue by 3 d");
  open_text = td_pir_describe_follow_up (g_ptr_array_index (after, 1), "SEV-1", due);
  g_assert_cmpstr (open_text, ==, "SEV-1 · 2 actions open");
  no_severity = td_pir_describe_follow_up (g_ptr_array_index (after, 1), NULL, due);
  g_assert_cmpstr (no_severity, ==, "— · 2 actions open");
}

static void
test_markdown (void)
{
  g_autofree char *json = g_strdup_printf (
      "{\"status\": \"actions_open\", \"held_at\": 1774962000, \"root_cause\": \"Expired SSO "
      "certificate\", \"participants\": [{\"person\": \"p1\", \"required\": true, \"attended\": "
      "true}], \"timeline\": [{\"at\": 1774900800, \"kind\": \"comment\", \"author\": \"ana\", "
      "\"text\": \"Users cannot sign in\"}], %s}",
      actions_json);
  g_autoptr (TdPir) pir = pir_from (json);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *markdown = NULL;

  g_hash_table_insert (names, "p1", "Ana Lima");
  g_hash_table_insert (names, "p2", "Bo Chen");
  markdown = td_pir_to_markdown (pir, "SSO login fails for all students", "SEV-1", names);
  g_assert_true (g_str_has_prefix (markdown,
                                   "# Post-incident review: SSO login fails for all students\n\n"
                                   "- **Severity:** SEV-1\n- **Status:** actions_open\n"));
  g_assert_nonnull (strstr (markdown, "- Ana Lima (required, attended)\n"));
  g_assert_nonnull (strstr (markdown, "- 2026-03-30T20:00:00Z — Users cannot sign in — ana\n"));
  g_assert_nonnull (strstr (markdown, "## Root cause\n\nExpired SSO certificate\n"));
  g_assert_nonnull (strstr (markdown, "## Contributing factors\n\n_Not recorded yet._\n"));
  g_assert_nonnull (
      strstr (markdown, "| [ ] | Runbook for certificate rotation | Bo Chen | 2026-04-03 |\n"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  policy = td_test_shipped_policy ();

  g_test_add_func ("/core/pir/due", test_due);
  g_test_add_func ("/core/pir/overdue", test_overdue);
  g_test_add_func ("/core/pir/actions", test_actions);
  g_test_add_func ("/core/pir/check", test_check);
  g_test_add_func ("/core/pir/bad-row", test_bad_row);
  g_test_add_func ("/core/pir/cache-row", test_cache_row);
  g_test_add_func ("/core/pir/timeline", test_timeline);
  g_test_add_func ("/core/pir/participation", test_participation);
  g_test_add_func ("/core/pir/missed", test_missed);
  g_test_add_func ("/core/pir/follow-ups", test_follow_ups);
  g_test_add_func ("/core/pir/markdown", test_markdown);

  status = g_test_run ();
  g_object_unref (policy);
  return status;
}
