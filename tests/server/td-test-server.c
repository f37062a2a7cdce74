/* td-test-server.c — start the real tierdeskd on a free loopback port for a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "td-test-server.h"
#include "td-test-util.h"

static const char *
tierdeskd_path (void)
{
  const char *path = g_getenv ("TD_TIERDESKD");

  g_assert_nonnull (path);
  return path;
}

static int
run_argv (GPtrArray *argv, char **out, char **err)
{
  g_autoptr (GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

int
td_test_tierdeskd (char **out, char **err, const char *first_arg, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list     args;

  g_ptr_array_add (argv, (gpointer) tierdeskd_path ());
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  return run_argv (argv, out, err);
}

TdTestServer *
td_test_server_new (const char *const *accounts)
{
  TdTestServer *server = g_new0 (TdTestServer, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  server->dir = g_dir_make_tmp ("tierdeskd-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->db = g_build_filename (server->dir, "tierdesk.db", NULL);
  server->log = g_build_filename (server->dir, "tierdeskd.log", NULL);
  server->password_file = g_build_filename (server->dir, "password", NULL);
  g_file_set_contents (server->password_file, TD_TEST_PASSWORD "\n", -1, &error);
  g_assert_no_error (error);

  if (td_test_tierdeskd (&out, &err, "init", "--db", server->db, "--admin", "admin",
                         "--password-file", server->password_file, NULL)
      != 0)
    g_error ("tierdeskd init failed: %s", err);

  for (guint i = 0; accounts != NULL && accounts[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (accounts[i], ":", 2);
      g_autofree char *add_out = NULL;
      g_autofree char *add_err = NULL;

      if (td_test_tierdeskd (&add_out, &add_err, "user", "add", "--db", server->db, parts[0],
                             "--role", parts[1], "--password-file", server->password_file, NULL)
          != 0)
        g_error ("tierdeskd user add %s failed: %s", accounts[i], add_err);
    }

  server->session = soup_session_new_with_options ("timeout", 30, NULL);
  return server;
}

void
td_test_server_start (TdTestServer *server)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *port_file = g_build_filename (server->dir, "port", NULL);
  g_autofree char *command = NULL;
  gint64           deadline;
  const char      *argv[] = { "/bin/sh", "-c", NULL, NULL };

  g_unlink (port_file);
  /* exec, so the PID we hold is tierdeskd's own. */
  /* The same port again after a restart, so clients find the server. */
  command = g_strdup_printf ("exec %s '%s' serve --db '%s' --listen 127.0.0.1:%u --port-file '%s' "
                             "%s%s%s%s >/dev/null 2>>'%s'",
                             server->wrapper != NULL ? server->wrapper : "", tierdeskd_path (),
                             server->db, server->port, port_file,
                             server->tls_cert != NULL ? "--tls-cert " : "",
                             server->tls_cert != NULL ? server->tls_cert : "",
                             server->tls_key != NULL ? " --tls-key " : "",
                             server->tls_key != NULL ? server->tls_key : "", server->log);
  argv[2] = command;
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &server->pid,
                 &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (port_file, &contents, NULL, NULL) && contents[0] != '\0'
          && strchr (contents, '\n') != NULL)
        {
          server->port = atoi (contents);
          return;
        }
      g_usleep (20000);
    }
  g_error ("tierdeskd did not start; see %s", server->log);
}

static void
wait_for_exit (TdTestServer *server)
{
  int status = 0;

  waitpid (server->pid, &status, 0);
  g_spawn_close_pid (server->pid);
  server->pid = 0;
}

void
td_test_server_stop (TdTestServer *server)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  int    status = 0;

  if (server->pid == 0)
    return;
  kill (server->pid, SIGTERM);
  /* A server that does not stop must not hang the suite: say so, kill it,
   * and let the test's own checks decide. */
  while (waitpid (server->pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("# tierdeskd %d did not stop within 20 s of SIGTERM; killing it\n",
                      (int) server->pid);
          kill (server->pid, SIGKILL);
          wait_for_exit (server);
          return;
        }
      g_usleep (10 * 1000);
    }
  g_spawn_close_pid (server->pid);
  server->pid = 0;
}

void
td_test_server_kill (TdTestServer *server)
{
  if (server->pid == 0)
    return;
  kill (server->pid, SIGKILL);
  wait_for_exit (server);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

void
td_test_server_free (TdTestServer *server)
{
  if (server == NULL)
    return;
  td_test_server_stop (server);
  g_clear_object (&server->session);
  remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->db);
  g_free (server->log);
  g_free (server->password_file);
  g_free (server->tls_cert);
  g_free (server->tls_key);
  g_free (server->wrapper);
  g_free (server);
}

char *
td_test_server_url (TdTestServer *server, const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u/api/v1%s", server->port, path);
}

TdTestResponse *
td_test_request (TdTestServer *server,
                 const char   *method,
                 const char   *path,
                 const char   *token,
                 const char   *body)
{
  g_autofree char *url = td_test_server_url (server, path);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  TdTestResponse *response = g_new0 (TdTestResponse, 1);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  bytes = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  response->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (json_parser_load_from_data (parser, response->text, -1, NULL))
    response->json = json_node_copy (json_parser_get_root (parser));
  return response;
}

void
td_test_response_free (TdTestResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response->text);
  g_free (response);
}

JsonObject *
td_test_object (TdTestResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

const char *
td_test_error_code (TdTestResponse *response)
{
  JsonObject *error = json_object_get_object_member (td_test_object (response), "error");

  g_assert_nonnull (error);
  return json_object_get_string_member (error, "code");
}

const char *
td_test_error_field (TdTestResponse *response)
{
  JsonObject *error = json_object_get_object_member (td_test_object (response), "error");

  g_assert_nonnull (error);
  return json_object_get_string_member_with_default (error, "field", NULL);
}

char *
td_test_login (TdTestServer *server, const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}", username,
                                           TD_TEST_PASSWORD);
  g_autoptr (TdTestResponse) response = td_test_request (server, "POST", "/login", NULL, body);

  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup (json_object_get_string_member (td_test_object (response), "token"));
}

gint64
td_test_server_query_int (TdTestServer *server, const char *sql)
{
  sqlite3 *db = NULL;
  gint64   value;

  g_assert_cmpint (sqlite3_open_v2 (server->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  value = td_test_query_int (db, sql);
  sqlite3_close (db);
  return value;
}

char *
td_test_command_json (const char *type,
                      const char *entity,
                      const char *entity_id,
                      gint64      base_rev,
                      const char *fields)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *base = base_rev >= 0
                              ? g_strdup_printf (", \"base_rev\": %" G_GINT64_FORMAT, base_rev)
                              : g_strdup ("");
  g_autofree char *fields_part
      = fields != NULL ? g_strdup_printf (", \"fields\": %s", fields) : g_strdup ("");

  return g_strdup_printf ("{\"id\": \"%s\", \"type\": \"%s\", \"entity\": \"%s\", "
                          "\"entity_id\": \"%s\"%s%s}",
                          id, type, entity, entity_id, base, fields_part);
}

JsonObject *
td_test_server_command (TdTestServer *server,
                        const char   *token,
                        const char   *type,
                        const char   *entity,
                        const char   *uuid,
                        gint64        base_rev,
                        const char   *fields)
{
  g_autofree char *command
      = td_test_command_json (type, entity, uuid, base_rev, fields != NULL ? fields : "{}");
  g_autofree char *body = g_strdup_printf ("{\"commands\": [%s]}", command);
  g_autoptr (TdTestResponse) response = td_test_request (server, "POST", "/commands", token, body);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (json_array_get_object_element (
      json_object_get_array_member (td_test_object (response), "results"), 0));
}

JsonObject *
td_test_server_apply (TdTestServer *server,
                      const char   *username,
                      const char   *type,
                      const char   *entity,
                      const char   *uuid,
                      gint64        base_rev,
                      const char   *fields)
{
  g_autofree char *token = td_test_login (server, username);
  JsonObject *result = td_test_server_command (server, token, type, entity, uuid, base_rev, fields);

  if (g_strcmp0 (json_object_get_string_member_with_default (result, "status", NULL), "applied")
      != 0)
    g_error ("%s %s not applied: %s", type, entity,
             json_object_get_string_member_with_default (result, "reason", "(no reason)"));
  return result;
}

char *
td_test_server_add_review (TdTestServer *server,
                           const char   *username,
                           const char   *title,
                           const char   *pir_fields)
{
  g_autofree char *ticket = g_uuid_string_random ();
  g_autofree char *event = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf (
      "{\"title\": \"%s\", \"description\": \"Reported by several users at once\", "
      "\"affected_user_id\": \"E10442\", \"contact\": \"hr-ops@example.com\", "
      "\"steps_to_reproduce\": \"Open the page\", \"error_message\": \"HTTP 500\", \"impact\": "
      "\"high\", \"urgency\": \"medium\", \"occurred_at\": \"2026-11-20T09:00:00Z\"}",
      title);
  g_autofree char *resolve = g_strdup_printf (
      "{\"ticket\": \"%s\", \"kind\": \"status\", \"data\": {\"status\": \"resolved\", "
      "\"resolution\": \"Service restarted\", \"new_issue\": false}}",
      ticket);
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) resolved = NULL;
  g_autoptr (JsonObject) reviewed = NULL;
  g_autofree char *sql = NULL;
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *pir = NULL;
  gint64           rev;

  created = td_test_server_apply (server, username, "create", "ticket", ticket, -1, fields);
  resolved = td_test_server_apply (server, username, "append", "ticket_event", event, -1, resolve);
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (resolved, "ticket"), "severity"),
                   ==, "SEV-2");

  /* The review the server opened in the resolving transaction. */
  g_assert_cmpint (sqlite3_open_v2 (server->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT uuid, rev FROM pir WHERE ticket = ?", -1, &stmt, NULL), ==,
      SQLITE_OK);
  sqlite3_bind_text (stmt, 1, ticket, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pir = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  rev = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (pir_fields != NULL)
    reviewed = td_test_server_apply (server, username, "update", "pir", pir, rev, pir_fields);
  return g_steal_pointer (&ticket);
}
