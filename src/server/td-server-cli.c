/* td-server-cli.c — tierdeskd's command line
 *
 * Support staff run these by hand (`policy check` before deploying a new
 * policy, `sla-due` to explain a breach), so every message names the file,
 * the option or the JSON path it is about.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "td-policy.h"
#include "td-server-cli.h"
#include "td-sla.h"
#include "td-time.h"

static const char usage_text[] =
  "Usage: tierdeskd COMMAND [OPTION…]\n"
  "\n"
  "The Tierdesk server and its administration commands.\n"
  "\n"
  "Commands:\n"
  "  policy check FILE      Validate a policy file; print a summary or every error\n"
  "  sla-due [OPTION…]      Print the SLA due instants for a ticket as JSON\n"
  "                         (run 'tierdeskd sla-due --help' for its options)\n"
  "\n"
  "Options:\n"
  "  -h, --help             Show this help\n"
  "  --version              Show the version\n";

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("tierdeskd: %s\nTry 'tierdeskd --help' for more information.\n", message);
  return TD_EXIT_USAGE;
}

static int
cmd_policy_check (const char *file)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) errors = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  gsize length = 0;

  if (!g_file_get_contents (file, &data, &length, &error))
    {
      g_printerr ("%s: cannot read: %s\n", file, error->message);
      return TD_EXIT_FAILURE;
    }

  policy = td_policy_load (data, length, &errors);
  if (policy == NULL)
    {
      for (guint i = 0; i < errors->len; i++)
        g_printerr ("%s: %s\n", file, (const char *) g_ptr_array_index (errors, i));
      g_printerr ("%s: %u error%s\n", file, errors->len, errors->len == 1 ? "" : "s");
      return TD_EXIT_FAILURE;
    }

  {
    g_autofree char *summary = td_policy_describe (policy);
    g_print ("%s: valid: %s\n", file, summary);
  }
  return TD_EXIT_OK;
}

static int
cmd_policy (int    argc,
            char **argv)
{
  if (argc < 2)
    return usage_error ("policy: missing subcommand (expected 'check FILE')");
  if (g_str_equal (argv[1], "check"))
    {
      if (argc != 3)
        return usage_error ("policy check: expected exactly one FILE");
      return cmd_policy_check (argv[2]);
    }
  return usage_error ("policy: unknown subcommand '%s' (expected 'check')", argv[1]);
}

static void
add_clock (JsonBuilder      *builder,
           const char       *name,
           const TdSlaClock *clock)
{
  g_autofree char *due_member = g_strconcat (name, "_due", NULL);

  json_builder_set_member_name (builder, due_member);
  if (clock->has_clock && clock->due != TD_INSTANT_NEVER)
    {
      g_autofree char *due = td_time_format_instant (clock->due);
      json_builder_add_string_value (builder, due);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_clock_detail (JsonBuilder      *builder,
                  const char       *name,
                  const TdSlaClock *clock)
{
  g_autofree char *target = td_sla_clock_describe (clock);

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "calendar");
  if (clock->has_clock)
    json_builder_add_string_value (builder, td_calendar_get_id (clock->calendar));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "due_local");
  if (clock->has_clock && clock->due != TD_INSTANT_NEVER)
    {
      g_autofree char *local = td_time_format_local (clock->due,
                                                     td_calendar_get_time_zone (clock->calendar));
      json_builder_add_string_value (builder, local);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, clock->source == TD_SLA_SOURCE_NONE ? "none" : target);

  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, td_sla_state_to_string (clock->state));

  json_builder_end_object (builder);
}

static gboolean
parse_instant_option (const char *option,
                      const char *value,
                      TdInstant  *out)
{
  if (value == NULL)
    return TRUE;
  if (!td_time_parse_instant (value, out))
    {
      g_printerr ("tierdeskd: sla-due: %s: cannot parse \"%s\" as an ISO 8601 instant with a "
                  "time zone (for example 2026-03-27T15:00:00Z)\n",
                  option, value);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_sla_due (int    argc,
             char **argv)
{
  g_autofree char *policy_file = NULL;
  g_autofree char *severity = NULL;
  g_autofree char *issue_type = NULL;
  g_autofree char *start = NULL;
  g_autofree char *responded = NULL;
  g_autofree char *now_text = NULL;
  int tier = 0;
  const GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_file, "Policy file (default: the shipped one)", "FILE" },
    { "severity", 0, 0, G_OPTION_ARG_STRING, &severity, "Severity, such as SEV-2", "SEV-N" },
    { "tier", 0, 0, G_OPTION_ARG_INT, &tier, "Tier the ticket is at", "N" },
    { "issue-type", 0, 0, G_OPTION_ARG_STRING, &issue_type, "Issue type id, such as balance-discrepancy", "ID" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, "When the ticket was created", "ISO8601" },
    { "responded", 0, 0, G_OPTION_ARG_STRING, &responded, "When it was first responded to", "ISO8601" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, "Evaluate the state at this instant (default: now)", "ISO8601" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- print SLA due instants as JSON");
  g_autoptr (GError) error = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *start_text = NULL;
  TdSlaTicket ticket = { 0 };
  TdSlaResult result;
  TdInstant now = td_time_now ();

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("sla-due: %s", error->message);
  if (argc > 1)
    return usage_error ("sla-due: unexpected argument '%s'", argv[1]);
  if (start == NULL)
    return usage_error ("sla-due: --start is required");
  if (severity == NULL && issue_type == NULL && tier == 0)
    return usage_error ("sla-due: give --severity SEV-N, or --tier N with --issue-type ID");
  if (issue_type != NULL && tier == 0)
    return usage_error ("sla-due: --issue-type needs --tier");

  if (!parse_instant_option ("--start", start, &ticket.created)
      || !parse_instant_option ("--responded", responded, &ticket.first_response)
      || !parse_instant_option ("--now", now_text, &now))
    return TD_EXIT_USAGE;

  policy = policy_file != NULL ? td_policy_new_from_file (policy_file, &error)
                               : td_policy_new_default (&error);
  if (policy == NULL)
    {
      g_printerr ("tierdeskd: sla-due: the policy is not valid:\n%s\n", error->message);
      return TD_EXIT_FAILURE;
    }

  ticket.tier = tier;
  ticket.severity = severity;
  ticket.issue_type = issue_type;
  if (!td_sla_compute (policy, &ticket, now, &result, &error))
    {
      g_printerr ("tierdeskd: sla-due: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  start_text = td_time_format_instant (ticket.created);
  json_builder_add_string_value (builder, start_text);
  add_clock (builder, "response", &result.response);
  add_clock (builder, "resolution", &result.resolution);
  add_clock (builder, "update", &result.update);
  add_clock_detail (builder, "response", &result.response);
  add_clock_detail (builder, "resolution", &result.resolution);
  add_clock_detail (builder, "update", &result.update);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  g_print ("%s\n", json);
  return TD_EXIT_OK;
}

int
td_server_cli_run (int    argc,
                   char **argv)
{
  if (argc < 2)
    return usage_error ("missing command");

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      g_print ("%s", usage_text);
      return TD_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("tierdeskd %s\n", PACKAGE_VERSION);
      return TD_EXIT_OK;
    }
  if (g_str_equal (argv[1], "policy"))
    return cmd_policy (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "sla-due"))
    return cmd_sla_due (argc - 1, argv + 1);

  return usage_error ("unknown command '%s'", argv[1]);
}
