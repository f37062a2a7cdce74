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
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "td-auth.h"
#include "td-demo-data.h"
#include "td-policy.h"
#include "td-server-cli.h"
#include "td-server.h"
#include "td-store.h"
#include "td-sla.h"
#include "td-time.h"

static const char usage_text[]
    = "Usage: tierdeskd COMMAND [OPTION…]\n"
      "\n"
      "The Tierdesk server and its administration commands.\n"
      "\n"
      "Commands:\n"
      "  init --db FILE --admin NAME [--password-file F] [--policy FILE]\n"
      "                         Create a database with the policy and an administrator\n"
      "  serve --db FILE [--listen HOST:PORT] [--tls-cert F --tls-key F] [--port-file F]\n"
      "        [--exit-with-stdin]\n"
      "                         Serve the API (default 127.0.0.1:8470)\n"
      "  user add --db FILE NAME --role ROLE [--password-file F]\n"
      "  user disable|enable|passwd --db FILE NAME\n"
      "  user list --db FILE    Manage accounts (passwords are read from stdin)\n"
      "  policy check FILE      Validate a policy file; print a summary or every error\n"
      "  policy import --db FILE POLICY\n"
      "  policy export --db FILE\n"
      "                         Replace or print the policy a database runs on\n"
      "  backup --db FILE --to FILE\n"
      "                         Copy a live database consistently\n"
      "  restore --db FILE --from BACKUP\n"
      "                         Replace a database with a backup (clients resync)\n"
      "  purge-tombstones --db FILE --keep-revisions N\n"
      "                         Forget deletions older than the last N revisions\n"
      "  demo-data --db FILE [--tickets N] [--seed S]\n"
      "                         Fill a database with realistic demo data\n"
      "  sla-due [OPTION…]      Print the SLA due instants for a ticket as JSON\n"
      "                         (run 'tierdeskd sla-due --help' for its options)\n"
      "\n"
      "Every command takes --help for its options.\n"
      "\n"
      "Options:\n"
      "  -h, --help             Show this help\n"
      "  --version              Show the version\n";

static int usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list          args;

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

/* Parses a command's options; returns FALSE after printing the problem. */
static gboolean
parse_options (const char *command, GOptionEntry *entries, int *argc, char ***argv, int *status)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix = g_strdup_printf ("tierdeskd %s", command);

  g_set_prgname (prefix);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error ("%s: %s", command, error->message);
      return FALSE;
    }
  return TRUE;
}

static TdStore *
open_store (const char *command, const char *db, int *status)
{
  g_autoptr (GError) error = NULL;
  TdStore *store;

  if (db == NULL)
    {
      *status = usage_error ("%s: --db FILE is required", command);
      return NULL;
    }
  store = td_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("tierdeskd: %s: %s\n", command, error->message);
      *status = TD_EXIT_FAILURE;
    }
  return store;
}

static int
cmd_policy_import (int argc, char **argv)
{
  g_autofree char *db = NULL;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file", "FILE" }, { NULL } };
  g_autoptr (TdStore) store = NULL;
  g_autoptr (TdApiError) error = NULL;
  g_autoptr (GError) read_error = NULL;
  g_autofree char *json = NULL;
  gint64           version = 0;
  int              status = TD_EXIT_OK;

  if (!parse_options ("policy import", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error ("policy import: expected exactly one POLICY file");
  if (!g_file_get_contents (argv[1], &json, NULL, &read_error))
    {
      g_printerr ("%s: cannot read: %s\n", argv[1], read_error->message);
      return TD_EXIT_FAILURE;
    }
  if ((store = open_store ("policy import", db, &status)) == NULL)
    return status;
  if (!td_store_set_policy (store, json, "tierdeskd policy import", &version, &error))
    {
      g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        g_printerr ("%s: %s\n", argv[1], lines[i]);
      return TD_EXIT_FAILURE;
    }
  g_print ("%s: imported as policy version %" G_GINT64_FORMAT "\n", argv[1], version);
  return TD_EXIT_OK;
}

static int
cmd_policy_export (int argc, char **argv)
{
  g_autofree char *db = NULL;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file", "FILE" }, { NULL } };
  g_autoptr (TdStore) store = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  int status = TD_EXIT_OK;

  if (!parse_options ("policy export", entries, &argc, &argv, &status))
    return status;
  if ((store = open_store ("policy export", db, &status)) == NULL)
    return status;
  policy = td_store_get_policy (store);
  g_print ("%s", td_policy_get_json (policy));
  return TD_EXIT_OK;
}

static int
cmd_policy (int argc, char **argv)
{
  if (argc < 2)
    return usage_error ("policy: missing subcommand (expected check, import or export)");
  if (g_str_equal (argv[1], "check"))
    {
      if (argc != 3)
        return usage_error ("policy check: expected exactly one FILE");
      return cmd_policy_check (argv[2]);
    }
  if (g_str_equal (argv[1], "import"))
    return cmd_policy_import (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "export"))
    return cmd_policy_export (argc - 1, argv + 1);
  return usage_error ("policy: unknown subcommand '%s' (expected check, import or export)",
                      argv[1]);
}

static int
cmd_init (int argc, char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *policy_file = NULL;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file to create", "FILE" },
          { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, "The first administrator's username",
            "NAME" },
          { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
            "Read the password from FILE (default: stdin)", "FILE" },
          { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_file,
            "Policy to load (default: the shipped one)", "FILE" },
          { NULL } };
  g_autoptr (GError) error = NULL;
  g_autoptr (TdStore) store = NULL;
  g_autofree char *password = NULL;
  g_autofree char *json = NULL;
  g_autofree char *epoch = NULL;
  int              status = TD_EXIT_OK;

  if (!parse_options ("init", entries, &argc, &argv, &status))
    return status;
  if (db == NULL || admin == NULL)
    return usage_error ("init: --db FILE and --admin NAME are required");
  if (policy_file == NULL)
    policy_file = td_policy_find_default_file ();
  if (!g_file_get_contents (policy_file, &json, NULL, &error))
    {
      g_printerr ("%s: cannot read: %s\n", policy_file, error->message);
      return TD_EXIT_FAILURE;
    }
  if ((password = td_auth_read_password (password_file, &error)) == NULL)
    {
      g_printerr ("tierdeskd: init: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }

  store = td_store_create (db, json, admin, password, &error);
  if (store == NULL)
    {
      g_printerr ("tierdeskd: init: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  epoch = td_store_dup_epoch (store);
  g_print ("%s: created with policy %s and administrator %s (epoch %s)\n", db, policy_file, admin,
           epoch);
  return TD_EXIT_OK;
}

static gboolean
quit_on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* Standard input closed: whoever started this server is gone. */
static gboolean
quit_on_stdin_closed (int fd, GIOCondition condition, gpointer user_data)
{
  char   buffer[256];
  gssize n = 0;

  if ((condition & G_IO_IN) != 0)
    n = read (fd, buffer, sizeof buffer);
  if (n > 0)
    return G_SOURCE_CONTINUE;
  g_printerr ("tierdeskd: standard input closed, stopping\n");
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
cmd_serve (int argc, char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *port_file = NULL;
  gboolean         exit_with_stdin = FALSE;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file", "FILE" },
          { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
            "Address to listen on (default 127.0.0.1:8470)", "HOST:PORT" },
          { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "TLS certificate (PEM)", "FILE" },
          { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, "TLS private key (PEM)", "FILE" },
          { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file,
            "Write the port listened on to FILE", "FILE" },
          { "exit-with-stdin", 0, 0, G_OPTION_ARG_NONE, &exit_with_stdin,
            "Stop when standard input closes (a server started by the app goes with it)", NULL },
          { NULL } };
  g_autoptr (GError) error = NULL;
  g_autoptr (TdStore) store = NULL;
  g_autoptr (TdServer) server = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *host = NULL;
  int              status = TD_EXIT_OK;

  if (!parse_options ("serve", entries, &argc, &argv, &status))
    return status;
  if ((cert == NULL) != (key == NULL))
    return usage_error ("serve: --tls-cert and --tls-key go together");
  if (cert != NULL && (certificate = g_tls_certificate_new_from_files (cert, key, &error)) == NULL)
    {
      g_printerr ("tierdeskd: serve: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  if ((store = open_store ("serve", db, &status)) == NULL)
    return status;

  server = td_server_new (store);
  if (!td_server_listen (server, listen != NULL ? listen : "127.0.0.1:8470", certificate, &error))
    {
      g_printerr ("tierdeskd: serve: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  if (port_file != NULL)
    {
      g_autofree char *port = g_strdup_printf ("%u\n", td_server_get_port (server));
      if (!g_file_set_contents (port_file, port, -1, &error))
        {
          g_printerr ("tierdeskd: serve: %s\n", error->message);
          return TD_EXIT_FAILURE;
        }
    }

  epoch = td_store_dup_epoch (store);
  host = listen != NULL ? g_strndup (listen, strrchr (listen, ':') - listen)
                        : g_strdup ("127.0.0.1");
  g_printerr ("tierdeskd %s: serving %s on %s://%s:%u (epoch %s, head %" G_GINT64_FORMAT ")\n",
              PACKAGE_VERSION, db, certificate != NULL ? "https" : "http", host,
              td_server_get_port (server), epoch, td_store_get_head (store));

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  g_unix_signal_add (SIGINT, quit_on_signal, loop);
  /* The app keeps the write end of a pipe on our standard input; the
   * kernel closes it however the app ends, even by SIGKILL, so a demo
   * server never outlives it. */
  if (exit_with_stdin)
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, quit_on_stdin_closed, loop);
  g_main_loop_run (loop);

  /* Every request under way finishes and commits before the store closes. */
  td_server_shutdown (server);
  g_printerr ("tierdeskd: stopped\n");
  return TD_EXIT_OK;
}

static int
cmd_user (int argc, char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *role = NULL;
  g_autofree char *password_file = NULL;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file", "FILE" },
          { "role", 0, 0, G_OPTION_ARG_STRING, &role, "Role from the policy (user add)", "ROLE" },
          { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
            "Read the password from FILE (default: stdin)", "FILE" },
          { NULL } };
  g_autoptr (GError) error = NULL;
  g_autoptr (TdStore) store = NULL;
  g_autofree char *password = NULL;
  const char      *action;
  int              status = TD_EXIT_OK;

  if (argc < 2)
    return usage_error ("user: missing subcommand (expected add, disable, enable, passwd or list)");
  action = argv[1];
  argc--;
  argv++;
  if (!parse_options ("user", entries, &argc, &argv, &status))
    return status;

  if (g_str_equal (action, "list"))
    {
      g_autoptr (GPtrArray) accounts = NULL;

      if ((store = open_store ("user list", db, &status)) == NULL)
        return status;
      accounts = td_store_list_accounts (store);
      for (guint i = 0; i < accounts->len; i++)
        {
          const TdAccount *account = g_ptr_array_index (accounts, i);
          g_print ("%s\t%s%s\n", account->username, account->role,
                   account->disabled ? "\tdisabled" : "");
        }
      return TD_EXIT_OK;
    }

  if (!g_strv_contains ((const char *[]){ "add", "disable", "enable", "passwd", NULL }, action))
    return usage_error ("user: unknown subcommand '%s' (expected add, disable, enable, passwd or "
                        "list)",
                        action);
  if (argc != 2)
    return usage_error ("user %s: expected exactly one NAME", action);
  if (g_str_equal (action, "add") && role == NULL)
    return usage_error ("user add: --role ROLE is required");
  if ((store = open_store ("user", db, &status)) == NULL)
    return status;

  if (g_str_equal (action, "add") || g_str_equal (action, "passwd"))
    {
      if ((password = td_auth_read_password (password_file, &error)) == NULL)
        {
          g_printerr ("tierdeskd: user %s: %s\n", action, error->message);
          return TD_EXIT_FAILURE;
        }
    }

  if ((g_str_equal (action, "add")
       && !td_store_add_account (store, argv[1], password, role, "tierdeskd user", &error))
      || (g_str_equal (action, "passwd")
          && !td_store_set_password (store, argv[1], password, "tierdeskd user", &error))
      || ((g_str_equal (action, "disable") || g_str_equal (action, "enable"))
          && !td_store_set_disabled (store, argv[1], g_str_equal (action, "disable"),
                                     "tierdeskd user", &error)))
    {
      g_printerr ("tierdeskd: user %s: %s\n", action, error->message);
      return TD_EXIT_FAILURE;
    }
  g_print ("%s: %s\n", argv[1],
           g_str_equal (action, "add")       ? "added"
           : g_str_equal (action, "passwd")  ? "password changed; sessions ended"
           : g_str_equal (action, "disable") ? "disabled; sessions ended"
                                             : "enabled");
  return TD_EXIT_OK;
}

static int
cmd_backup (int argc, char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *to = NULL;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file", "FILE" },
          { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "Backup file to write", "FILE" },
          { NULL } };
  g_autoptr (GError) error = NULL;
  g_autoptr (TdStore) store = NULL;
  int status = TD_EXIT_OK;

  if (!parse_options ("backup", entries, &argc, &argv, &status))
    return status;
  if (to == NULL)
    return usage_error ("backup: --to FILE is required");
  if ((store = open_store ("backup", db, &status)) == NULL)
    return status;
  if (!td_store_backup (store, to, &error))
    {
      g_printerr ("tierdeskd: backup: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  g_print ("%s: backed up to %s at revision %" G_GINT64_FORMAT "\n", db, to,
           td_store_get_head (store));
  return TD_EXIT_OK;
}

static int
cmd_restore (int argc, char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *from = NULL;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file to replace", "FILE" },
          { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "Backup to restore", "FILE" },
          { NULL } };
  g_autoptr (GError) error = NULL;
  int status = TD_EXIT_OK;

  if (!parse_options ("restore", entries, &argc, &argv, &status))
    return status;
  if (db == NULL || from == NULL)
    return usage_error ("restore: --db FILE and --from BACKUP are required");
  if (!td_store_restore (db, from, &error))
    {
      g_printerr ("tierdeskd: restore: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  g_print ("%s: restored from %s with a new epoch; clients will resync\n", db, from);
  return TD_EXIT_OK;
}

static int
cmd_purge_tombstones (int argc, char **argv)
{
  g_autofree char *db = NULL;
  gint64           keep = -1;
  GOptionEntry entries[] = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file", "FILE" },
                             { "keep-revisions", 0, 0, G_OPTION_ARG_INT64, &keep,
                               "Keep the deletions of the last N revisions", "N" },
                             { NULL } };
  g_autoptr (GError) error = NULL;
  g_autoptr (TdStore) store = NULL;
  int    status = TD_EXIT_OK;
  gint64 horizon;

  if (!parse_options ("purge-tombstones", entries, &argc, &argv, &status))
    return status;
  if (keep < 0)
    return usage_error ("purge-tombstones: --keep-revisions N (0 or more) is required");
  if ((store = open_store ("purge-tombstones", db, &status)) == NULL)
    return status;
  /* Clients whose cursor is older than the horizon get 410 and resync. */
  horizon = MAX (0, td_store_get_head (store) - keep);
  if (!td_store_purge_tombstones (store, horizon, &error))
    {
      g_printerr ("tierdeskd: purge-tombstones: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  g_print ("%s: deletions before revision %" G_GINT64_FORMAT " forgotten\n", db, horizon);
  return TD_EXIT_OK;
}

static int
cmd_demo_data (int argc, char **argv)
{
  g_autofree char *db = NULL;
  int              tickets = 500;
  int              seed = 1;
  GOptionEntry     entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file (made with init)", "FILE" },
          { "tickets", 0, 0, G_OPTION_ARG_INT, &tickets, "How many tickets (default 500)", "N" },
          { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed, for the same data every time",
            "S" },
          { NULL } };
  g_autoptr (GError) error = NULL;
  g_autoptr (TdStore) store = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  int status = TD_EXIT_OK;

  if (!parse_options ("demo-data", entries, &argc, &argv, &status))
    return status;
  if (tickets < 0)
    return usage_error ("demo-data: --tickets must be 0 or more, not %d", tickets);
  if ((store = open_store ("demo-data", db, &status)) == NULL)
    return status;
  policy = td_store_get_policy (store);
  if (!td_demo_data_generate (td_store_get_db (store), policy, tickets, seed, td_time_now (),
                              &error))
    {
      g_printerr ("tierdeskd: demo-data: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  td_demo_data_link_accounts (td_store_get_db (store), &error);
  if (error != NULL)
    {
      g_printerr ("tierdeskd: demo-data: linking accounts to people: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
  g_print ("%s: added demo data with %d tickets (seed %d); head is now %" G_GINT64_FORMAT "\n", db,
           tickets, seed, td_store_get_head (store));
  return TD_EXIT_OK;
}

static void
add_clock (JsonBuilder *builder, const char *name, const TdSlaClock *clock)
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
add_clock_detail (JsonBuilder *builder, const char *name, const TdSlaClock *clock)
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
      g_autofree char *local
          = td_time_format_local (clock->due, td_calendar_get_time_zone (clock->calendar));
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
parse_instant_option (const char *option, const char *value, TdInstant *out)
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
cmd_sla_due (int argc, char **argv)
{
  g_autofree char   *policy_file = NULL;
  g_autofree char   *severity = NULL;
  g_autofree char   *issue_type = NULL;
  g_autofree char   *start = NULL;
  g_autofree char   *responded = NULL;
  g_autofree char   *now_text = NULL;
  int                tier = 0;
  const GOptionEntry entries[]
      = { { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_file,
            "Policy file (default: the shipped one)", "FILE" },
          { "severity", 0, 0, G_OPTION_ARG_STRING, &severity, "Severity, such as SEV-2", "SEV-N" },
          { "tier", 0, 0, G_OPTION_ARG_INT, &tier, "Tier the ticket is at", "N" },
          { "issue-type", 0, 0, G_OPTION_ARG_STRING, &issue_type,
            "Issue type id, such as balance-discrepancy", "ID" },
          { "start", 0, 0, G_OPTION_ARG_STRING, &start, "When the ticket was created", "ISO8601" },
          { "responded", 0, 0, G_OPTION_ARG_STRING, &responded, "When it was first responded to",
            "ISO8601" },
          { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
            "Evaluate the state at this instant (default: now)", "ISO8601" },
          { NULL } };
  g_autoptr (GOptionContext) context = g_option_context_new ("- print SLA due instants as JSON");
  g_autoptr (GError) error = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *start_text = NULL;
  TdSlaTicket      ticket = { 0 };
  TdSlaResult      result;
  TdInstant        now = td_time_now ();

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
td_server_cli_run (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  if (!td_auth_init (&error))
    {
      g_printerr ("tierdeskd: %s\n", error->message);
      return TD_EXIT_FAILURE;
    }
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
  if (g_str_equal (argv[1], "init"))
    return cmd_init (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "serve"))
    return cmd_serve (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "user"))
    return cmd_user (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "backup"))
    return cmd_backup (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "restore"))
    return cmd_restore (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "purge-tombstones"))
    return cmd_purge_tombstones (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "demo-data"))
    return cmd_demo_data (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "sla-due"))
    return cmd_sla_due (argc - 1, argv + 1);

  return usage_error ("unknown command '%s'", argv[1]);
}
