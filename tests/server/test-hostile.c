/* test-hostile.c — tierdeskd against hostile input: no token, stale tokens, every role at every
 * endpoint, brute force, deep and huge JSON, odd headers, SQL and Unicode in text fields
 *
 * Each case starts the real tierdeskd on a loopback port (td-test-server.c) and,
 * after the attack, checks that the server still answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "td-json-guard.h"
#include "td-policy.h"
#include "td-server.h"
#include "td-test-server.h"
#include "td-test-util.h"

typedef struct
{
  TdTestServer *server;
  char         *admin;
  TdPolicy     *policy;
  /* One account per role of the shipped policy, named after the role. */
  GPtrArray *roles;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *roles;

  fixture->policy = td_test_shipped_policy ();
  fixture->roles = g_ptr_array_new_with_free_func (g_free);
  roles = td_policy_get_roles (fixture->policy);
  for (guint i = 0; i < roles->len; i++)
    {
      const TdRole *role = g_ptr_array_index (roles, i);

      /* The administrator exists already ("admin"). */
      if (g_str_equal (role->id, "administrator"))
        continue;
      g_ptr_array_add (fixture->roles, g_strdup (role->id));
      g_ptr_array_add (accounts, g_strdup_printf ("%s:%s", role->id, role->id));
    }
  g_ptr_array_add (accounts, NULL);
  fixture->server = td_test_server_new ((const char *const *) accounts->pdata);
  td_test_server_start (fixture->server);
  fixture->admin = td_test_login (fixture->server, "admin");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_free (fixture->admin);
  g_clear_pointer (&fixture->roles, g_ptr_array_unref);
  g_clear_object (&fixture->policy);
  td_test_server_free (fixture->server);
}

static const char *
ticket_fields_json (void)
{
  return "{\"title\": \"Quiz scores missing\","
         " \"description\": \"Scores of the week 3 quiz are missing from the gradebook\","
         " \"affected_user_id\": \"E20311\","
         " \"contact\": \"sam@example.com\","
         " \"steps_to_reproduce\": \"Open Gradebook, week 3\","
         " \"error_message\": \"No scores\","
         " \"impact\": \"low\", \"urgency\": \"medium\","
         " \"occurred_at\": \"2026-11-20T09:00:00Z\"}";
}

static char *
create_ticket (Fixture *fixture)
{
  g_autoptr (TdTestResponse) response = td_test_request (fixture->server, "POST", "/tickets",
                                                         fixture->admin, ticket_fields_json ());

  g_assert_cmpuint (response->status, ==, 201);
  return g_strdup (json_object_get_string_member (td_test_object (response), "uuid"));
}

static gint64
ticket_rev (Fixture *fixture, const char *uuid)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", uuid);
  g_autoptr (TdTestResponse) response
      = td_test_request (fixture->server, "GET", path, fixture->admin, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_get_int_member (td_test_object (response), "rev");
}

/* The server is still there and still answers correctly. */
static void
assert_alive (Fixture *fixture)
{
  g_autoptr (TdTestResponse) health
      = td_test_request (fixture->server, "GET", "/health", NULL, NULL);
  g_autoptr (TdTestResponse) me
      = td_test_request (fixture->server, "GET", "/me", fixture->admin, NULL);

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpuint (me->status, ==, 200);
}

static void
exec_sql (Fixture *fixture, const char *sql)
{
  sqlite3 *db = NULL;
  char    *message = NULL;

  g_assert_cmpint (sqlite3_open (fixture->server->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Raw bytes to the server, the whole answer back: for what libsoup's
 * client would never send. */
static char *
raw_request (Fixture *fixture, const char *request, gsize length)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) answer = g_byte_array_new ();
  GInputStream *input;
  guint8        buffer[65536];
  gssize        n;

  g_socket_client_set_timeout (client, 30);
  connection
      = g_socket_client_connect_to_host (client, "127.0.0.1", fixture->server->port, NULL, &error);
  g_assert_no_error (error);
  /* The server may refuse and close before reading all of it. */
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             length, NULL, NULL, NULL);
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (answer, buffer, n);
  /* A server that resets the connection after answering is fine too. */
  g_byte_array_append (answer, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&answer), FALSE);
}

static guint
raw_status (const char *answer)
{
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 "));
  return (guint) g_ascii_strtoull (answer + strlen ("HTTP/1.1 "), NULL, 10);
}

/* Every endpoint without a token, or with one that no longer counts */

typedef struct
{
  const char *method;
  const char *path; /* {ticket}: a ticket's uuid */
  const char *body;
} Endpoint;

static const Endpoint authenticated_endpoints[] = {
  { "GET", "/me", NULL },
  { "POST", "/logout", NULL },
  { "GET", "/changes?since=0", NULL },
  { "GET", "/changes/open", NULL },
  { "POST", "/commands", "{\"commands\": []}" },
  { "GET", "/tickets", NULL },
  { "POST", "/tickets", "{}" },
  { "GET", "/tickets/{ticket}", NULL },
  { "POST", "/tickets/{ticket}/events", "{\"kind\": \"comment\", \"body\": \"hi\"}" },
  { "GET", "/policy", NULL },
  { "PUT", "/policy", "{}" },
  { "GET", "/audit", NULL },
  { "POST", "/rotations", "{}" },
  { "POST", "/rota-members", "{}" },
  { "POST", "/rota-overrides", "{}" },
  { "POST", "/swap-requests", "{}" },
  { "GET", "/me/feed-key", NULL },
  { "POST", "/me/feed-key", NULL },
};

static void
assert_all_refused (Fixture *fixture, const char *ticket, const char *token, const char *why)
{
  for (guint i = 0; i < G_N_ELEMENTS (authenticated_endpoints); i++)
    {
      const Endpoint *endpoint = &authenticated_endpoints[i];
      g_auto (GStrv) parts = g_strsplit (endpoint->path, "{ticket}", -1);
      g_autofree char *path = g_strjoinv (ticket, parts);
      g_autoptr (TdTestResponse) response
          = td_test_request (fixture->server, endpoint->method, path, token, endpoint->body);

      g_test_message ("%s %s %s", why, endpoint->method, path);
      g_assert_cmpuint (response->status, ==, 401);
      g_assert_cmpstr (td_test_error_code (response), ==, "unauthorized");
    }
}

static void
test_no_token (Fixture *fixture, gconstpointer data)
{
  g_autofree char *ticket = create_ticket (fixture);
  g_autofree char *feed = g_strdup_printf ("/oncall/person/%s.ics", ticket);
  g_autoptr (TdTestResponse) no_key = NULL;
  g_autoptr (TdTestResponse) wrong_key = NULL;
  g_autofree char *wrong_path = NULL;

  assert_all_refused (fixture, ticket, NULL, "no token:");
  assert_all_refused (fixture, ticket, "", "empty token:");
  assert_all_refused (fixture, ticket,
                      "0000000000000000000000000000000000000000000000000000000000000000",
                      "unknown token:");
  assert_all_refused (fixture, ticket, "' OR '1'='1", "SQL in the token:");

  /* A calendar feed takes a key, not a token: without one, or with a
   * wrong one, it does not exist. */
  no_key = td_test_request (fixture->server, "GET", feed, NULL, NULL);
  g_assert_cmpuint (no_key->status, ==, 404);
  wrong_path = g_strdup_printf ("%s?key=%s", feed, "00ff");
  wrong_key = td_test_request (fixture->server, "GET", wrong_path, NULL, NULL);
  g_assert_cmpuint (wrong_key->status, ==, 404);

  /* Basic authentication is not a way in either. */
  {
    g_autofree char *request = g_strdup_printf (
        "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic YWRtaW46eA==\r\n"
        "Connection: close\r\n\r\n");
    g_autofree char *answer = raw_request (fixture, request, strlen (request));

    g_assert_cmpuint (raw_status (answer), ==, 401);
  }
  assert_alive (fixture);
}

static void
test_expired_and_revoked (Fixture *fixture, gconstpointer data)
{
  g_autofree char *ticket = create_ticket (fixture);
  g_autofree char *expiring = td_test_login (fixture->server, "engineer");
  g_autofree char *logged_out = td_test_login (fixture->server, "app-support-lead");
  g_autofree char *changed = td_test_login (fixture->server, "service-desk-analyst");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  {
    g_autoptr (TdTestResponse) before
        = td_test_request (fixture->server, "GET", "/me", expiring, NULL);
    g_assert_cmpuint (before->status, ==, 200);
  }
  /* The token's seven days are over (one second ago). */
  exec_sql (fixture, "UPDATE token SET expires_at = strftime ('%s', 'now') - 1 WHERE account = "
                     "(SELECT id FROM account WHERE username = 'engineer')");
  assert_all_refused (fixture, ticket, expiring, "expired:");

  {
    g_autoptr (TdTestResponse) logout
        = td_test_request (fixture->server, "POST", "/logout", logged_out, NULL);
    g_assert_cmpuint (logout->status, ==, 200);
  }
  assert_all_refused (fixture, ticket, logged_out, "logged out:");

  /* A new password revokes every token of the account. */
  {
    const char *argv[] = { g_getenv ("TD_TIERDESKD"), "user", "passwd", "--db", fixture->server->db,
                           "service-desk-analyst",    NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (GSubprocess) process = g_subprocess_newv (
        argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, "a new password for the desk\n", NULL, &out, &err,
                                   &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_successful (process));
  }
  assert_all_refused (fixture, ticket, changed, "password changed:");
  assert_alive (fixture);
}

/* The permission matrix: every role of the policy × every endpoint and action */

typedef enum
{
  CASE_CREATE_TICKET,
  CASE_UPDATE_TICKET,
  CASE_COMMENT,
  CASE_ASSIGN,
  CASE_STATUS,
  CASE_ESCALATE,
  CASE_DELETE_TICKET,
  CASE_WRITE_PERSON,
  CASE_CREATE_ROTATION,
  CASE_WRITE_POLICY,
  CASE_READ_AUDIT,
} MatrixCase;

typedef struct
{
  MatrixCase  id;
  const char *what;
  /* The policy's action; NULL: every account may. */
  const char *action;
} MatrixColumn;

static const MatrixColumn matrix[] = {
  { CASE_CREATE_TICKET, "POST /tickets", "ticket.create" },
  { CASE_UPDATE_TICKET, "POST /commands update ticket", "ticket.update" },
  { CASE_COMMENT, "POST /tickets/ID/events comment", "ticket.comment" },
  { CASE_ASSIGN, "POST /tickets/ID/events assign", "ticket.assign" },
  { CASE_STATUS, "POST /tickets/ID/events status", "ticket.status" },
  { CASE_ESCALATE, "POST /tickets/ID/events escalate", "ticket.escalate" },
  { CASE_DELETE_TICKET, "POST /commands delete ticket", "ticket.delete" },
  { CASE_WRITE_PERSON, "POST /commands create person", "person.write" },
  { CASE_CREATE_ROTATION, "POST /rotations", "rota.write" },
  { CASE_WRITE_POLICY, "PUT /policy", "policy.write" },
  { CASE_READ_AUDIT, "GET /audit", "account.admin" },
};

/* The answer's status and, for a refusal, its code. */
static guint
matrix_request (Fixture *fixture, const char *token, MatrixCase id, const char **code)
{
  g_autoptr (TdTestResponse) response = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;

  *code = NULL;
  switch (id)
    {
      case CASE_CREATE_TICKET:
        response
            = td_test_request (fixture->server, "POST", "/tickets", token, ticket_fields_json ());
        break;
      case CASE_UPDATE_TICKET:
      case CASE_DELETE_TICKET:
      case CASE_WRITE_PERSON:
        {
          g_autofree char *command_id = g_uuid_string_random ();
          g_autofree char *entity_id = NULL;
          JsonObject      *result;

          if (id == CASE_WRITE_PERSON)
            {
              entity_id = g_uuid_string_random ();
              body = g_strdup_printf (
                  "{\"commands\": [{\"id\": \"%s\", \"type\": \"create\", \"entity\": \"person\", "
                  "\"entity_id\": \"%s\", \"fields\": {\"name\": \"Robin Example\", \"role\": "
                  "\"engineer\", \"time_zone\": \"Europe/London\"}}]}",
                  command_id, entity_id);
            }
          else
            {
              entity_id = create_ticket (fixture);
              body = g_strdup_printf (
                  "{\"commands\": [{\"id\": \"%s\", \"type\": \"%s\", \"entity\": \"ticket\", "
                  "\"entity_id\": \"%s\", \"base_rev\": %" G_GINT64_FORMAT "%s}]}",
                  command_id, id == CASE_UPDATE_TICKET ? "update" : "delete", entity_id,
                  ticket_rev (fixture, entity_id),
                  id == CASE_UPDATE_TICKET ? ", \"fields\": {\"title\": \"Quiz scores gone\"}"
                                           : "");
            }
          response = td_test_request (fixture->server, "POST", "/commands", token, body);
          g_assert_cmpuint (response->status, ==, 200);
          result = json_array_get_object_element (
              json_object_get_array_member (td_test_object (response), "results"), 0);
          if (g_str_equal (json_object_get_string_member (result, "status"), "applied"))
            return 200;
          *code
              = g_intern_string (json_object_get_string_member_with_default (result, "code", "?"));
          return g_str_equal (*code, "forbidden") ? 403 : 422;
        }
      case CASE_COMMENT:
      case CASE_ASSIGN:
      case CASE_STATUS:
      case CASE_ESCALATE:
        ticket = create_ticket (fixture);
        path = g_strdup_printf ("/tickets/%s/events", ticket);
        body = g_strdup (
            id == CASE_COMMENT  ? "{\"kind\": \"comment\", \"body\": \"Checked the quiz logs\"}"
            : id == CASE_ASSIGN ? "{\"kind\": \"assign\", \"data\": {\"owner\": null}}"
            : id == CASE_STATUS ? "{\"kind\": \"status\", \"data\": {\"status\": \"in_progress\"}}"
                                : "{\"kind\": \"escalate\", \"body\": \"Scores lost in the sync\", "
                                  "\"data\": {\"to_tier\": 2, \"checklist\": [\"documented\", "
                                  "\"impact\", \"steps\", \"evidence\", \"troubleshooting\", "
                                  "\"user-notified\"]}}");
        response = td_test_request (fixture->server, "POST", path, token, body);
        break;
      case CASE_CREATE_ROTATION:
        response = td_test_request (fixture->server, "POST", "/rotations", token,
                                    "{\"policy_id\": \"tier2-on-call\", \"time_zone\": "
                                    "\"Europe/London\", \"start_date\": \"2027-01-04\", "
                                    "\"handoff_time\": \"09:00\"}");
        break;
      case CASE_WRITE_POLICY:
        {
          g_autofree char *policy_text = td_test_shipped_text ();

          response = td_test_request (fixture->server, "PUT", "/policy", token, policy_text);
          break;
        }
      case CASE_READ_AUDIT:
        response = td_test_request (fixture->server, "GET", "/audit?limit=1", token, NULL);
        break;
    }
  if (response->status >= 400)
    *code = g_intern_string (td_test_error_code (response));
  return response->status;
}

static void
test_permission_matrix (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  guint allowed_cells = 0;
  guint refused_cells = 0;

  g_ptr_array_add (users, g_strdup ("admin"));
  for (guint i = 0; i < fixture->roles->len; i++)
    g_ptr_array_add (users, g_strdup (g_ptr_array_index (fixture->roles, i)));

  for (guint u = 0; u < users->len; u++)
    {
      const char      *user = g_ptr_array_index (users, u);
      const char      *role = g_str_equal (user, "admin") ? "administrator" : user;
      g_autofree char *token = td_test_login (fixture->server, user);

      /* What every account may read. */
      {
        static const char *const reads[]
            = { "/me",           "/tickets?limit=1", "/changes?since=0&limit=1",
                "/changes/open", "/policy",          "/me/feed-key" };

        for (guint r = 0; r < G_N_ELEMENTS (reads); r++)
          {
            g_autoptr (TdTestResponse) response
                = td_test_request (fixture->server, "GET", reads[r], token, NULL);

            g_test_message ("%s: GET %s", role, reads[r]);
            g_assert_cmpuint (response->status, ==, 200);
          }
      }

      for (guint c = 0; c < G_N_ELEMENTS (matrix); c++)
        {
          gboolean    may = td_policy_role_may (fixture->policy, role, matrix[c].action);
          const char *code = NULL;
          guint       status = matrix_request (fixture, token, matrix[c].id, &code);

          g_test_message ("%s: %s (%s): %s → %u %s", role, matrix[c].what, matrix[c].action,
                          may ? "may" : "may not", status, code != NULL ? code : "");
          if (may)
            {
              g_assert_cmpuint (status, >=, 200);
              g_assert_cmpuint (status, <, 300);
              allowed_cells++;
            }
          else
            {
              g_assert_cmpuint (status, ==, 403);
              g_assert_cmpstr (code, ==, "forbidden");
              refused_cells++;
            }
        }
    }
  /* The table has both kinds of cell, and the roles the support model is
   * about land where [2] puts them. */
  g_assert_cmpuint (allowed_cells, >, 0);
  g_assert_cmpuint (refused_cells, >, 0);
  g_assert_false (td_policy_role_may (fixture->policy, "trainer", "ticket.create"));
  g_assert_false (td_policy_role_may (fixture->policy, "service-desk-analyst", "policy.write"));
  g_assert_true (td_policy_role_may (fixture->policy, "administrator", "policy.write"));
  g_assert_true (td_policy_role_may (fixture->policy, "app-support-lead", "rota.write"));
}

/* Brute force */

static guint
login_status (Fixture *fixture, const char *username, const char *password)
{
  g_autofree char *body
      = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}", username, password);
  g_autoptr (TdTestResponse) response
      = td_test_request (fixture->server, "POST", "/login", NULL, body);

  return response->status;
}

static void
test_brute_force (Fixture *fixture, gconstpointer data)
{
  guint i;

  /* Spraying one password over many names: each name stays under its
   * own limit, but the address does not. */
  for (i = 0; i < TD_SERVER_ADDRESS_LOGIN_LIMIT; i++)
    {
      g_autofree char *name = g_strdup_printf ("nobody%02u", i);

      g_assert_cmpuint (login_status (fixture, name, "Winter2026!"), ==, 401);
    }
  {
    g_autoptr (TdTestResponse) response
        = td_test_request (fixture->server, "POST", "/login", NULL,
                           "{\"username\": \"engineer\", \"password\": \"" TD_TEST_PASSWORD "\"}");
    const char *retry = soup_message_headers_get_one (response->headers, "Retry-After");

    g_assert_cmpuint (response->status, ==, 429);
    g_assert_cmpstr (td_test_error_code (response), ==, "too_many_requests");
    g_assert_nonnull (retry);
    g_assert_cmpint (atoi (retry), >=, 1);
    g_assert_cmpint (atoi (retry), <=, 61);
  }
  /* A token already given keeps working: the limit is on logging in. */
  assert_alive (fixture);
}

/* Huge and deep JSON */

static void
test_deep_json (Fixture *fixture, gconstpointer data)
{
  static const char *const targets[][2] = {
    { "POST", "/login" }, { "POST", "/commands" },  { "POST", "/tickets" },
    { "PUT", "/policy" }, { "POST", "/rotations" },
  };
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (GString) deep_object = g_string_new (NULL);
  const guint levels = 100000;

  for (guint i = 0; i < levels; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (deep, ']');
  /* Objects inside a real member, as a client bug might send. */
  g_string_append (deep_object, "{\"commands\": [{\"id\": \"x\", \"fields\": ");
  for (guint i = 0; i < levels; i++)
    g_string_append (deep_object, "{\"a\":");
  g_string_append (deep_object, "1");
  for (guint i = 0; i < levels; i++)
    g_string_append_c (deep_object, '}');
  g_string_append (deep_object, "}]}");

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (guint body = 0; body < 2; body++)
      {
        g_autoptr (TdTestResponse) response
            = td_test_request (fixture->server, targets[t][0], targets[t][1], fixture->admin,
                               body == 0 ? deep->str : deep_object->str);
        const char *message;

        g_test_message ("%s %s, %u levels", targets[t][0], targets[t][1], levels);
        g_assert_cmpuint (response->status, ==, 400);
        g_assert_cmpstr (td_test_error_code (response), ==, "invalid_json");
        message = json_object_get_string_member (
            json_object_get_object_member (td_test_object (response), "error"), "message");
        g_assert_nonnull (strstr (message, "nest deeper than 64 levels"));
        assert_alive (fixture);
      }

  /* Just inside the limit is parsed, and refused for what it says. */
  {
    g_autoptr (GString) inside = g_string_new ("{\"username\": \"a\", \"password\": ");
    g_autoptr (TdTestResponse) response = NULL;

    for (guint i = 0; i < TD_JSON_MAX_DEPTH - 1; i++)
      g_string_append_c (inside, '[');
    for (guint i = 0; i < TD_JSON_MAX_DEPTH - 1; i++)
      g_string_append_c (inside, ']');
    g_string_append_c (inside, '}');
    response = td_test_request (fixture->server, "POST", "/login", NULL, inside->str);
    g_assert_cmpuint (response->status, ==, 400);
    g_assert_cmpstr (td_test_error_code (response), ==, "wrong_type");
    g_assert_cmpstr (td_test_error_field (response), ==, "password");
  }
}

static void
test_oversize (Fixture *fixture, gconstpointer data)
{
  /* A length that says "a gigabyte is coming": refused before it comes. */
  {
    g_autofree char *request
        = g_strdup_printf ("POST /api/v1/commands HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                           "Bearer %s\r\nContent-Type: application/json\r\nContent-Length: "
                           "1073741824\r\nConnection: close\r\n\r\n{\"commands\": [",
                           fixture->admin);
    g_autofree char *answer = raw_request (fixture, request, strlen (request));

    g_assert_cmpuint (raw_status (answer), ==, 413);
    g_assert_nonnull (strstr (answer, "payload_too_large"));
  }
  /* Chunks with no length given, adding up to more than the limit. */
  {
    g_autoptr (GString) request = g_string_new (NULL);
    g_autofree char *chunk = g_strnfill (64 * 1024, 'x');
    g_autofree char *answer = NULL;

    g_string_append_printf (request,
                            "POST /api/v1/commands HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                            "Bearer %s\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                            "chunked\r\nConnection: close\r\n\r\n",
                            fixture->admin);
    for (guint i = 0; i < 20; i++)
      g_string_append_printf (request, "%x\r\n%s\r\n", (guint) strlen (chunk), chunk);
    g_string_append (request, "0\r\n\r\n");
    answer = raw_request (fixture, request->str, request->len);
    g_assert_cmpuint (raw_status (answer), ==, 413);
  }
  assert_alive (fixture);
}

/* Headers */

static void
test_hostile_headers (Fixture *fixture, gconstpointer data)
{
  {
    const char *request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example"
                          "\r\nConnection: close\r\n\r\n";
    g_autofree char *answer = raw_request (fixture, request, strlen (request));

    g_assert_cmpuint (raw_status (answer), ==, 400);
    g_assert_nonnull (strstr (answer, "Host headers"));
  }
  {
    /* Outside the API too. */
    const char      *request = "GET /index.html HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close"
                               "\r\n\r\n";
    g_autofree char *answer = raw_request (fixture, request, strlen (request));

    g_assert_cmpuint (raw_status (answer), ==, 400);
  }

  {
    static const char *const ranges[] = {
      "bytes=0-0",
      "bytes=-1",
      "bytes=5-",
      "bytes=99999999999999999999-1",
      "bytes=18446744073709551615-18446744073709551615",
      "bytes=1-0",
      "bytes=0-1,1-2,2-3,0-100,-5",
      "bytes=--1",
      "items=0-5",
    };
    g_autoptr (GString) many = g_string_new ("bytes=");

    for (guint i = 0; i < 5000; i++)
      g_string_append_printf (many, "%s0-0", i > 0 ? "," : "");

    for (guint i = 0; i <= G_N_ELEMENTS (ranges); i++)
      {
        const char      *range = i < G_N_ELEMENTS (ranges) ? ranges[i] : many->str;
        g_autofree char *request = g_strdup_printf (
            "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
            "Range: %s\r\nIf-Range: \"x\"\r\nConnection: close\r\n\r\n",
            fixture->admin, range);
        g_autofree char *answer = raw_request (fixture, request, strlen (request));
        const char      *body = strstr (answer, "\r\n\r\n");

        g_test_message ("Range: %.60s", range);
        /* The whole JSON document, never parts of it. */
        g_assert_cmpuint (raw_status (answer), ==, 200);
        g_assert_null (strstr (answer, "Content-Range"));
        g_assert_null (strstr (answer, "multipart/byteranges"));
        g_assert_nonnull (body);
        g_assert_true (g_str_has_prefix (body, "\r\n\r\n{\"username\":\"admin\""));
      }
  }

  {
    /* A header line far longer than any real one. */
    g_autofree char *filler = g_strnfill (200 * 1024, 'a');
    g_autofree char *request = g_strdup_printf (
        "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: %s\r\nConnection: close"
        "\r\n\r\n",
        filler);
    g_autofree char *answer = raw_request (fixture, request, strlen (request));

    /* libsoup drops the connection, or answers a 4xx: either way no 2xx. */
    g_assert_true (answer[0] == '\0' || (raw_status (answer) >= 400 && raw_status (answer) < 500));
  }
  assert_alive (fixture);
}

/* SQL metacharacters and Unicode in text fields */

static const char *const kept_texts[] = {
  "Robert'); DROP TABLE ticket;--",
  "\" OR \"\"=\" ; SELECT * FROM account; -- 100% _wild_ \\ back\\slash",
  "\xe2\x80\xae"
  "evil.exe"
  "\xe2\x80\xac"
  " and \xe2\x80\x8f"
  "RTL mark \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
  "fire \xf0\x9f\x94\xa5 extinguisher \xf0\x9f\xa7\xaf family "
  "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",
  "\xef\xbb\xbf"
  "BOM, zero\xe2\x80\x8bwidth, combining e\xcc\x81 and \xef\xbf\xbf noncharacter",
  "tab\tnew\nline\rreturn \x01\x1f control",
};

static char *
json_string (const char *text)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

static void
test_text_kept_verbatim (Fixture *fixture, gconstpointer data)
{
  static const char *const fields[] = { "title",   "description",        "affected_user_id",
                                        "contact", "steps_to_reproduce", "error_message" };

  for (guint t = 0; t < G_N_ELEMENTS (kept_texts); t++)
    {
      g_autofree char *text = json_string (kept_texts[t]);
      g_autoptr (GString) body = g_string_new ("{");
      g_autoptr (TdTestResponse) created = NULL;
      g_autoptr (TdTestResponse) read = NULL;
      g_autoptr (TdTestResponse) event = NULL;
      g_autoptr (TdTestResponse) ticket = NULL;
      g_autofree char *path = NULL;
      g_autofree char *events_path = NULL;
      g_autofree char *event_body = NULL;
      JsonArray       *events;
      const char      *uuid;

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_string_append_printf (body, "\"%s\": %s, ", fields[f], text);
      g_string_append (body, "\"impact\": \"low\", \"urgency\": \"low\", "
                             "\"occurred_at\": \"2026-11-20T09:00:00Z\"}");
      created = td_test_request (fixture->server, "POST", "/tickets", fixture->admin, body->str);
      g_test_message ("text %u", t);
      g_assert_cmpuint (created->status, ==, 201);
      uuid = json_object_get_string_member (td_test_object (created), "uuid");

      path = g_strdup_printf ("/tickets/%s", uuid);
      read = td_test_request (fixture->server, "GET", path, fixture->admin, NULL);
      g_assert_cmpuint (read->status, ==, 200);
      /* Strict JSON: no raw control character (json-glib wrote U+001F raw). */
      for (const char *c = read->text; *c != '\0'; c++)
        g_assert_cmpint ((guchar) *c, >=, 0x20);
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_assert_cmpstr (json_object_get_string_member (td_test_object (read), fields[f]), ==,
                         kept_texts[t]);

      events_path = g_strdup_printf ("/tickets/%s/events", uuid);
      event_body = g_strdup_printf ("{\"kind\": \"comment\", \"body\": %s}", text);
      event = td_test_request (fixture->server, "POST", events_path, fixture->admin, event_body);
      g_assert_cmpuint (event->status, ==, 201);
      ticket = td_test_request (fixture->server, "GET", path, fixture->admin, NULL);
      events = json_object_get_array_member (td_test_object (ticket), "events");
      g_assert_cmpstr (
          json_object_get_string_member (
              json_array_get_object_element (events, json_array_get_length (events) - 1), "body"),
          ==, kept_texts[t]);
    }

  /* Search takes any text, FTS syntax and SQL included, and never fails. */
  {
    static const char *const queries[] = {
      "%22",
      "%27",
      "*",
      "NEAR(",
      "AND%20OR%20NOT",
      "-",
      "%5E",
      "title:",
      "%22unterminated",
      "Robert%27)%3B%20DROP%20TABLE%20ticket%3B--",
      "%F0%9F%94%A5",
      "%00",
      "%FF%FE",
    };

    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        g_autofree char *path = g_strdup_printf ("/tickets?q=%s&limit=5", queries[q]);
        g_autoptr (TdTestResponse) response
            = td_test_request (fixture->server, "GET", path, fixture->admin, NULL);

        g_test_message ("GET %s", path);
        g_assert_cmpuint (response->status, ==, 200);
        g_assert_nonnull (response->json);
      }
  }
  {
    g_autoptr (TdTestResponse) search = td_test_request (
        fixture->server, "GET", "/tickets?q=extinguisher&limit=5", fixture->admin, NULL);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (td_test_object (search), "tickets")),
        ==, 1);
  }
  /* Every write is in the audit log, whatever its text (a row the log's
   * json_valid () check refused used to be left out). */
  {
    g_autoptr (TdTestResponse) audit
        = td_test_request (fixture->server, "GET", "/audit?limit=1000", fixture->admin, NULL);
    JsonArray *rows = json_node_get_array (audit->json);
    guint      created = 0;
    guint      comments = 0;

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        const char *action
            = json_object_get_string_member (json_array_get_object_element (rows, i), "action");

        created += g_str_equal (action, "create ticket");
        comments += g_str_equal (action, "append ticket_event");
      }
    g_assert_cmpuint (created, ==, G_N_ELEMENTS (kept_texts));
    g_assert_cmpuint (comments, ==, G_N_ELEMENTS (kept_texts));
  }
  /* The tables are all still there. */
  {
    g_autoptr (TdTestResponse) list
        = td_test_request (fixture->server, "GET", "/tickets?limit=100", fixture->admin, NULL);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (td_test_object (list), "tickets")), ==,
        G_N_ELEMENTS (kept_texts));
  }
  assert_alive (fixture);
}

typedef struct
{
  const char *escaped; /* as it appears between the quotes of a JSON string */
  const char *words;   /* what the error must say */
} Refused;

static void
test_text_refused (Fixture *fixture, gconstpointer data)
{
  static const Refused refused[] = {
    { "before\\u0000after", "\\u0000 (NUL)" },
    { "lone \\ud83d surrogate", "without its second half" },
    { "lone \\ude00 low", "without its first half" },
    { "bad \xff\xfe bytes", "not valid UTF-8 (byte 0xFF)" },
    { "overlong \xc0\xaf slash", "not valid UTF-8 (byte 0xC0)" },
    { "surrogate \xed\xa0\x80 in UTF-8", "not valid UTF-8 (byte 0xED)" },
    { "cut \xf0\x9f\x94", "not valid UTF-8 (byte 0xF0)" },
  };
  g_autofree char *ticket = create_ticket (fixture);
  gint64           head_before;

  {
    g_autoptr (TdTestResponse) health
        = td_test_request (fixture->server, "GET", "/health", NULL, NULL);
    head_before = json_object_get_int_member (td_test_object (health), "head");
  }

  for (guint r = 0; r < G_N_ELEMENTS (refused); r++)
    {
      g_autofree char *resource = g_strdup_printf (
          "{\"title\": \"Quiz\", \"description\": \"%s\", \"affected_user_id\": \"E1\", "
          "\"contact\": \"c\", \"steps_to_reproduce\": \"s\", \"error_message\": \"e\", "
          "\"impact\": \"low\", \"urgency\": \"low\", \"occurred_at\": \"2026-11-20T09:00:00Z\"}",
          refused[r].escaped);
      g_autofree char *command_id = g_uuid_string_random ();
      g_autofree char *event_id = g_uuid_string_random ();
      g_autofree char *command = g_strdup_printf (
          "{\"commands\": [{\"id\": \"%s\", \"type\": \"append\", \"entity\": \"ticket_event\", "
          "\"entity_id\": \"%s\", \"fields\": {\"ticket\": \"%s\", \"kind\": \"comment\", "
          "\"body\": \"%s\"}}]}",
          command_id, event_id, ticket, refused[r].escaped);
      g_autofree char *login = g_strdup_printf ("{\"username\": \"admin\", \"password\": \"%s%s\"}",
                                                TD_TEST_PASSWORD, refused[r].escaped);
      struct
      {
        const char *method;
        const char *path;
        const char *body;
        const char *field;
      } attempts[] = {
        { "POST", "/tickets", resource, "description" },
        { "POST", "/commands", command, "commands[0].fields.body" },
        { "POST", "/login", login, "password" },
      };

      for (guint a = 0; a < G_N_ELEMENTS (attempts); a++)
        {
          g_autoptr (TdTestResponse) response
              = td_test_request (fixture->server, attempts[a].method, attempts[a].path,
                                 fixture->admin, attempts[a].body);
          const char *message;

          g_test_message ("%s %s with %s", attempts[a].method, attempts[a].path, refused[r].words);
          g_assert_cmpuint (response->status, ==, 400);
          g_assert_cmpstr (td_test_error_code (response), ==, "bad_value");
          g_assert_cmpstr (td_test_error_field (response), ==, attempts[a].field);
          message = json_object_get_string_member (
              json_object_get_object_member (td_test_object (response), "error"), "message");
          g_assert_true (g_str_has_prefix (message, attempts[a].field));
          g_assert_nonnull (strstr (message, refused[r].words));
        }
    }

  /* Nothing of it was written. */
  {
    g_autoptr (TdTestResponse) health
        = td_test_request (fixture->server, "GET", "/health", NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (td_test_object (health), "head"), ==, head_before);
  }

  /* An error that quotes what was sent stays valid UTF-8 JSON. */
  {
    g_autoptr (TdTestResponse) response
        = td_test_request (fixture->server, "GET", "/changes?since=%FF%FE:1", fixture->admin, NULL);

    g_assert_cmpuint (response->status, >=, 400);
    g_assert_true (g_utf8_validate (response->text, -1, NULL));
    g_assert_nonnull (response->json);
  }
  assert_alive (fixture);
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/server/hostile/no-token", test_no_token);
  ADD ("/server/hostile/expired-and-revoked", test_expired_and_revoked);
  ADD ("/server/hostile/permission-matrix", test_permission_matrix);
  ADD ("/server/hostile/brute-force", test_brute_force);
  ADD ("/server/hostile/deep-json", test_deep_json);
  ADD ("/server/hostile/oversize", test_oversize);
  ADD ("/server/hostile/headers", test_hostile_headers);
  ADD ("/server/hostile/text-kept-verbatim", test_text_kept_verbatim);
  ADD ("/server/hostile/text-refused", test_text_refused);

  return g_test_run ();
}
