/* test-cli.c — tierdeskd's command line as support staff use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static const char *
policy_file (void)
{
  return g_getenv ("TD_POLICY_FILE");
}

/* Runs tierdeskd with a NULL-terminated argument list. */
static void
run (Result *result, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *binary = g_getenv ("TD_TIERDESKD");
  const char *arg;
  int         wait_status = 0;
  va_list     args;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  va_start (args, result);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &result->out,
                &result->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  result->status = WEXITSTATUS (wait_status);
}

static char *
write_temp (const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int   fd = g_file_open_tmp ("td-policy-XXXXXX.json", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_help_and_version (void)
{
  g_auto (Result) help = { 0 };
  g_auto (Result) version = { 0 };
  g_auto (Result) unknown = { 0 };

  run (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_true (g_str_has_prefix (help.out, "Usage: tierdeskd COMMAND"));
  g_assert_nonnull (strstr (help.out, "policy check FILE"));
  g_assert_nonnull (strstr (help.out, "sla-due"));

  run (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "tierdeskd "));

  run (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_cmpstr (unknown.err, ==,
                   "tierdeskd: unknown command 'frobnicate'\n"
                   "Try 'tierdeskd --help' for more information.\n");
}

static void
test_policy_check_valid (void)
{
  g_auto (Result) result = { 0 };
  g_autofree char *expected = g_strdup_printf (
      "%s: valid: LMS-PHASE30-SUPPORT-001 version 1.0 (schema 1): 4 tiers, 4 severities, "
      "2 calendars, 5 escalation paths, 2 handoff checklists, 20 roles, 16 training topics\n",
      policy_file ());

  run (&result, "policy", "check", policy_file (), NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);
  g_assert_cmpstr (result.err, ==, "");
}

static void
test_policy_check_invalid (void)
{
  g_autofree char *text = NULL;
  g_autoptr (GString) broken = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_auto (Result) result = { 0 };

  g_file_get_contents (policy_file (), &text, NULL, NULL);
  broken = g_string_new (text);
  g_assert_cmpuint (g_string_replace (broken, "\"fri\"", "\"fry\"", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (broken, "\"end\": \"17:00\"", "\"end\": \"25:00\"", 1), ==,
                    1);
  path = write_temp (broken->str);

  run (&result, "policy", "check", path, NULL);
  expected = g_strdup_printf ("%s: $.calendars[1].week[0].end: cannot parse time \"25:00\" "
                              "(expected HH:MM)\n"
                              "%s: $.calendars[1].week[0].days[4]: unknown weekday \"fry\" "
                              "(expected mon, tue, wed, thu, fri, sat or sun)\n"
                              "%s: 2 errors\n",
                              path, path, path);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==, expected);
  g_unlink (path);
}

static void
test_policy_check_unreadable (void)
{
  g_auto (Result) result = { 0 };
  g_auto (Result) usage = { 0 };

  run (&result, "policy", "check", "/nonexistent/policy.json", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_true (g_str_has_prefix (result.err, "/nonexistent/policy.json: cannot read: "));

  run (&usage, "policy", "check", NULL);
  g_assert_cmpint (usage.status, ==, 2);
  g_assert_true (
      g_str_has_prefix (usage.err, "tierdeskd: policy check: expected exactly one FILE\n"));
}

static void
test_sla_due_severity (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (JsonObject) json = NULL;
  JsonObject *update;

  run (&result, "sla-due", "--policy", policy_file (), "--severity", "SEV-2", "--start",
       "2026-03-27T15:00:00Z", "--responded", "2026-03-27T15:20:00Z", "--now",
       "2026-03-27T15:30:00Z", NULL);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);

  json = parse_object (result.out);
  g_assert_cmpstr (json_object_get_string_member (json, "response_due"), ==,
                   "2026-03-27T15:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (json, "resolution_due"), ==,
                   "2026-03-27T23:00:00Z");
  /* The update clock runs from the first response: every hour for SEV-2. */
  g_assert_cmpstr (json_object_get_string_member (json, "update_due"), ==, "2026-03-27T16:20:00Z");
  update = json_object_get_object_member (json, "update");
  g_assert_cmpstr (json_object_get_string_member (update, "calendar"), ==, "24x7");
  g_assert_cmpstr (json_object_get_string_member (update, "target"), ==,
                   "SEV-2 target (Every 1 hour)");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (json, "response"), "state"), ==,
      "met");
}

static void
test_sla_due_issue_type (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (JsonObject) json = NULL;
  JsonObject *resolution;

  /* A Tier 2 balance discrepancy on a Friday afternoon before the clocks go
   * forward: four business hours end on Monday at 11:00 BST. */
  run (&result, "sla-due", "--policy", policy_file (), "--tier", "2", "--issue-type",
       "balance-discrepancy", "--start", "2026-03-27T15:00:00Z", NULL);
  g_assert_cmpint (result.status, ==, 0);
  json = parse_object (result.out);
  g_assert_cmpstr (json_object_get_string_member (json, "response_due"), ==,
                   "2026-03-27T16:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json, "resolution_due"), ==,
                   "2026-03-30T10:00:00Z");
  g_assert_true (json_object_get_null_member (json, "update_due"));
  resolution = json_object_get_object_member (json, "resolution");
  g_assert_cmpstr (json_object_get_string_member (resolution, "calendar"), ==, "business-hours");
  g_assert_cmpstr (json_object_get_string_member (resolution, "due_local"), ==,
                   "2026-03-30T11:00:00+01:00");
}

static void
test_sla_due_no_clock (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (JsonObject) json = NULL;

  run (&result, "sla-due", "--policy", policy_file (), "--severity", "SEV-4", "--start",
       "2026-03-27T15:00:00Z", NULL);
  g_assert_cmpint (result.status, ==, 0);
  json = parse_object (result.out);
  /* "Next release" has no clock. */
  g_assert_true (json_object_get_null_member (json, "resolution_due"));
  g_assert_true (
      json_object_get_null_member (json_object_get_object_member (json, "resolution"), "calendar"));
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (json, "resolution"), "target"),
      ==, "SEV-4 target (Next release)");
  /* One business day from Friday 15:00 GMT is Monday 15:00 BST. */
  g_assert_cmpstr (json_object_get_string_member (json, "response_due"), ==,
                   "2026-03-30T14:00:00Z");
}

static void
test_sla_due_errors (void)
{
  g_auto (Result) severity = { 0 };
  g_auto (Result) start = { 0 };
  g_auto (Result) missing = { 0 };
  g_auto (Result) issue = { 0 };

  run (&severity, "sla-due", "--policy", policy_file (), "--severity", "SEV-9", "--start",
       "2026-03-27T15:00:00Z", NULL);
  g_assert_cmpint (severity.status, ==, 1);
  g_assert_cmpstr (severity.err, ==, "tierdeskd: sla-due: unknown severity \"SEV-9\"\n");

  run (&start, "sla-due", "--severity", "SEV-1", "--start", "2026-03-27 15:00", NULL);
  g_assert_cmpint (start.status, ==, 2);
  g_assert_cmpstr (start.err, ==,
                   "tierdeskd: sla-due: --start: cannot parse \"2026-03-27 15:00\" as an ISO 8601 "
                   "instant with a time zone (for example 2026-03-27T15:00:00Z)\n");

  run (&missing, "sla-due", "--severity", "SEV-1", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_true (g_str_has_prefix (missing.err, "tierdeskd: sla-due: --start is required\n"));

  run (&issue, "sla-due", "--tier", "2", "--issue-type", "nope", "--start", "2026-03-27T15:00:00Z",
       NULL);
  g_assert_cmpint (issue.status, ==, 1);
  g_assert_cmpstr (issue.err, ==, "tierdeskd: sla-due: unknown issue type \"nope\"\n");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/cli/help-and-version", test_help_and_version);
  g_test_add_func ("/server/cli/policy-check/valid", test_policy_check_valid);
  g_test_add_func ("/server/cli/policy-check/invalid", test_policy_check_invalid);
  g_test_add_func ("/server/cli/policy-check/unreadable", test_policy_check_unreadable);
  g_test_add_func ("/server/cli/sla-due/severity", test_sla_due_severity);
  g_test_add_func ("/server/cli/sla-due/issue-type", test_sla_due_issue_type);
  g_test_add_func ("/server/cli/sla-due/no-clock", test_sla_due_no_clock);
  g_test_add_func ("/server/cli/sla-due/errors", test_sla_due_errors);

  return g_test_run ();
}
