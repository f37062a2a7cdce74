/* test-api.c — tierdeskd's JSON API against the real server on a loopback port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "td-ical.h"
#include "td-rota.h"
#include "td-test-server.h"
#include "td-test-util.h"
#include "td-time.h"

/* One account per role the permission matrix looks at. */
static const char *const accounts[] = {
  "analyst:service-desk-analyst",
  "deskmanager:service-desk-manager",
  "appsupport:app-support-analyst",
  "lead:app-support-lead",
  "engineer:engineer",
  "engmanager:engineering-manager",
  "director:it-director",
  "trainer:trainer",
  NULL,
};

typedef struct
{
  TdTestServer *server;
  char         *admin;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = td_test_server_new (accounts);
  td_test_server_start (fixture->server);
  fixture->admin = td_test_login (fixture->server, "admin");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_free (fixture->admin);
  td_test_server_free (fixture->server);
}

static const char *
ticket_fields_json (void)
{
  return "{\"title\": \"Leave balance shows 0 days\","
         " \"description\": \"Annual leave balance shows 0 after the payroll sync\","
         " \"affected_user_id\": \"E10442\","
         " \"contact\": \"pat@example.com, +44 20 7946 0123\","
         " \"steps_to_reproduce\": \"Log in, open My Leave\","
         " \"error_message\": \"Balance: 0.0 days\","
         " \"impact\": \"low\", \"urgency\": \"medium\","
         " \"occurred_at\": \"2026-11-20T09:00:00Z\"}";
}

static char *
batch (const char *command)
{
  return g_strdup_printf ("{\"commands\": [%s]}", command);
}

static JsonObject *
first_result (TdTestResponse *response)
{
  g_assert_cmpuint (response->status, ==, 200);
  return json_array_get_object_element (
      json_object_get_array_member (td_test_object (response), "results"), 0);
}

/* Creates a ticket through /commands as @token and returns its uuid. */
static char *
create_ticket (Fixture *fixture, const char *token)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *command
      = td_test_command_json ("create", "ticket", uuid, -1, ticket_fields_json ());
  g_autofree char *body = batch (command);
  g_autoptr (TdTestResponse) response
      = td_test_request (fixture->server, "POST", "/commands", token, body);
  JsonObject *result = first_result (response);

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  return g_steal_pointer (&uuid);
}

/* Endpoints */

static void
test_health (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdTestResponse) response
      = td_test_request (fixture->server, "GET", "/health", NULL, NULL);
  JsonObject *object = td_test_object (response);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "epoch")), ==, 32);
  g_assert_nonnull (soup_message_headers_get_one (response->headers, "Date"));
}

static void
test_login_logout (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdTestResponse) login
      = td_test_request (fixture->server, "POST", "/login", NULL,
                         "{\"username\": \"lead\", \"password\": \"" TD_TEST_PASSWORD "\"}");
  const char *token;
  JsonObject *user;
  g_autoptr (TdTestResponse) me = NULL;
  g_autoptr (TdTestResponse) logout = NULL;
  g_autoptr (TdTestResponse) after = NULL;

  g_assert_cmpuint (login->status, ==, 200);
  token = json_object_get_string_member (td_test_object (login), "token");
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpint (json_object_get_int_member (td_test_object (login), "expires_at"), >,
                   g_get_real_time () / G_USEC_PER_SEC);
  user = json_object_get_object_member (td_test_object (login), "user");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "app-support-lead");

  me = td_test_request (fixture->server, "GET", "/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (td_test_object (me), "username"), ==, "lead");

  logout = td_test_request (fixture->server, "POST", "/logout", token, NULL);
  g_assert_cmpuint (logout->status, ==, 200);
  after = td_test_request (fixture->server, "GET", "/me", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  g_assert_cmpstr (td_test_error_code (after), ==, "unauthorized");
}

static void
test_wrong_password_and_rate_limit (Fixture *fixture, gconstpointer data)
{
  for (int i = 0; i < 5; i++)
    {
      g_autoptr (TdTestResponse) response
          = td_test_request (fixture->server, "POST", "/login", NULL,
                             "{\"username\": \"analyst\", \"password\": \"wrong password\"}");
      g_assert_cmpuint (response->status, ==, 401);
      g_assert_cmpstr (td_test_error_code (response), ==, "unauthorized");
    }
  {
    /* The sixth attempt within a minute is refused even with the right password. */
    g_autoptr (TdTestResponse) response
        = td_test_request (fixture->server, "POST", "/login", NULL,
                           "{\"username\": \"analyst\", \"password\": \"" TD_TEST_PASSWORD "\"}");
    const char *retry;

    g_assert_cmpuint (response->status, ==, 429);
    g_assert_cmpstr (td_test_error_code (response), ==, "too_many_requests");
    retry = soup_message_headers_get_one (response->headers, "Retry-After");
    g_assert_nonnull (retry);
    g_assert_cmpint (atoi (retry), >=, 1);
    g_assert_cmpint (atoi (retry), <=, 61);
  }
  {
    /* Other users are not locked out. */
    g_autofree char *token = td_test_login (fixture->server, "lead");
    g_assert_nonnull (token);
  }
}

static void
test_tickets_resource (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autoptr (TdTestResponse) created
      = td_test_request (fixture->server, "POST", "/tickets", token, ticket_fields_json ());
  g_autoptr (TdTestResponse) list = NULL;
  g_autoptr (TdTestResponse) search = NULL;
  g_autoptr (TdTestResponse) one = NULL;
  g_autoptr (TdTestResponse) event = NULL;
  g_autofree char *path = NULL;
  g_autofree char *events_path = NULL;
  JsonObject      *ticket;
  const char      *uuid;

  g_assert_cmpuint (created->status, ==, 201);
  ticket = td_test_object (created);
  uuid = json_object_get_string_member (ticket, "uuid");
  /* Triage: low impact, medium urgency gives P4 / SEV-4 in the shipped policy. */
  g_assert_cmpstr (json_object_get_string_member (ticket, "priority"), ==, "P4");
  g_assert_cmpstr (json_object_get_string_member (ticket, "severity"), ==, "SEV-4");
  g_assert_cmpint (json_object_get_int_member (ticket, "tier"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (ticket, "status"), ==, "new");
  g_assert_cmpstr (json_object_get_string_member (ticket, "created_by"), ==, "analyst");

  list = td_test_request (fixture->server, "GET", "/tickets?status=new&tier=1", token, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (td_test_object (list), "tickets")), ==,
      1);
  search = td_test_request (fixture->server, "GET", "/tickets?q=payroll", token, NULL);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (td_test_object (search), "tickets")), ==,
      1);

  events_path = g_strdup_printf ("/tickets/%s/events", uuid);
  event = td_test_request (fixture->server, "POST", events_path, token,
                           "{\"kind\": \"update\", \"body\": \"We are looking into it\"}");
  g_assert_cmpuint (event->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (td_test_object (event), "kind"), ==, "update");

  path = g_strdup_printf ("/tickets/%s", uuid);
  one = td_test_request (fixture->server, "GET", path, token, NULL);
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (td_test_object (one), "first_response_at"), >, 0);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (td_test_object (one), "events")), ==, 1);
}

static void
test_ticket_missing_fields (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autoptr (TdTestResponse) response = td_test_request (
      fixture->server, "POST", "/tickets", token,
      "{\"title\": \"Cannot log in\", \"description\": \"Locked out\", \"impact\": \"low\", "
      "\"urgency\": \"low\"}");
  JsonObject *error;

  g_assert_cmpuint (response->status, ==, 422);
  error = json_object_get_object_member (td_test_object (response), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "missing_fields");
  g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, "affected_user_id");
  g_assert_cmpstr (json_object_get_string_member (error, "message"), ==,
                   "required fields are missing: User ID, Contact Info, Steps to Reproduce, "
                   "Error Message, Timestamp");
}

static void
test_escalation_rules (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autofree char *uuid = create_ticket (fixture, token);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/events", uuid);
  g_autoptr (TdTestResponse) refused = td_test_request (
      fixture->server, "POST", path, token,
      "{\"kind\": \"escalate\", \"data\": {\"to_tier\": 2, \"checklist\": [\"documented\", "
      "\"impact\"]}}");
  g_autoptr (TdTestResponse) direct = NULL;
  g_autoptr (TdTestResponse) allowed = NULL;
  g_autoptr (TdTestResponse) ticket = NULL;
  g_autofree char *ticket_path = g_strdup_printf ("/tickets/%s", uuid);

  g_assert_cmpuint (refused->status, ==, 422);
  g_assert_cmpstr (td_test_error_code (refused), ==, "rule");
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (td_test_object (refused), "error"), "message"),
      ==,
      "cannot escalate from Tier 1 to Tier 2: the handoff checklist \"Tier 1 → Tier 2 Handoff\" "
      "is missing Steps to reproduce, Screenshots/error messages, Initial troubleshooting done, "
      "User notified of escalation");

  /* SEV-4 may not go straight to Tier 3. */
  direct = td_test_request (fixture->server, "POST", path, token,
                            "{\"kind\": \"escalate\", \"data\": {\"to_tier\": 3}}");
  g_assert_cmpuint (direct->status, ==, 422);

  allowed = td_test_request (
      fixture->server, "POST", path, token,
      "{\"kind\": \"escalate\", \"body\": \"Balance wrong after sync\", \"data\": {\"to_tier\": 2, "
      "\"checklist\": [\"documented\", \"impact\", \"steps\", \"evidence\", \"troubleshooting\", "
      "\"user-notified\"]}}");
  g_assert_cmpuint (allowed->status, ==, 201);
  {
    /* The event records the path taken, as JSON. */
    JsonObject *event_data = json_object_get_object_member (td_test_object (allowed), "data");

    g_assert_nonnull (event_data);
    g_assert_cmpstr (json_object_get_string_member (event_data, "path"), ==, "t1-t2");
    g_assert_cmpint (json_object_get_int_member (event_data, "from_tier"), ==, 1);
  }

  ticket = td_test_request (fixture->server, "GET", ticket_path, token, NULL);
  g_assert_cmpint (json_object_get_int_member (td_test_object (ticket), "tier"), ==, 2);
}

static void
test_changes_feed (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autoptr (TdTestResponse) first = NULL;
  g_autoptr (TdTestResponse) second = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cursor = NULL;
  gint64           last_rev = 0;
  guint            total = 0;
  JsonArray       *changes;

  for (int i = 0; i < 5; i++)
    g_free (create_ticket (fixture, token));

  /* Pages of two, in revision order, until nothing more remains. */
  cursor = g_strdup ("0");
  for (;;)
    {
      g_autofree char *page_path = g_strdup_printf ("/changes?since=%s&limit=2", cursor);
      g_autoptr (TdTestResponse) page
          = td_test_request (fixture->server, "GET", page_path, token, NULL);
      JsonObject *object = td_test_object (page);

      g_assert_cmpuint (page->status, ==, 200);
      changes = json_object_get_array_member (object, "changes");
      g_assert_cmpuint (json_array_get_length (changes), <=, 2);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          gint64 rev
              = json_object_get_int_member (json_array_get_object_element (changes, i), "rev");
          g_assert_cmpint (rev, >, last_rev);
          last_rev = rev;
          total++;
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      if (!json_object_get_boolean_member (object, "more"))
        break;
    }
  /* The policy version row and five tickets. */
  g_assert_cmpuint (total, ==, 6);

  /* A cursor from another epoch, or ahead of the head, must resync. */
  first = td_test_request (fixture->server, "GET",
                           "/changes?since=00000000000000000000000000000000:1", token, NULL);
  g_assert_cmpuint (first->status, ==, 409);
  g_assert_cmpstr (td_test_error_code (first), ==, "resync_required");
  path = g_strdup_printf ("/changes?since=%.*s:999999", 32, cursor);
  second = td_test_request (fixture->server, "GET", path, token, NULL);
  g_assert_cmpuint (second->status, ==, 409);
}

static void
test_commands_idempotent (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *command
      = td_test_command_json ("create", "ticket", uuid, -1, ticket_fields_json ());
  g_autofree char *body = batch (command);
  g_autoptr (TdTestResponse) once
      = td_test_request (fixture->server, "POST", "/commands", token, body);
  g_autoptr (TdTestResponse) twice = NULL;
  g_autoptr (TdTestResponse) list = NULL;
  gint64      head;
  JsonObject *result;

  g_assert_cmpstr (json_object_get_string_member (first_result (once), "status"), ==, "applied");
  head = json_object_get_int_member (td_test_object (once), "head");

  twice = td_test_request (fixture->server, "POST", "/commands", token, body);
  result = first_result (twice);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "duplicate");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (result, "first"), "status"), ==,
      "applied");
  /* Nothing changed the second time. */
  g_assert_cmpint (json_object_get_int_member (td_test_object (twice), "head"), ==, head);
  list = td_test_request (fixture->server, "GET", "/tickets", token, NULL);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (td_test_object (list), "tickets")), ==,
      1);
}

static void
test_restart_between_pushes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *command
      = td_test_command_json ("create", "ticket", uuid, -1, ticket_fields_json ());
  g_autofree char *body = batch (command);
  g_autoptr (TdTestResponse) once
      = td_test_request (fixture->server, "POST", "/commands", token, body);
  g_autoptr (TdTestResponse) twice = NULL;

  g_assert_cmpstr (json_object_get_string_member (first_result (once), "status"), ==, "applied");

  td_test_server_stop (fixture->server);
  td_test_server_start (fixture->server);

  /* Tokens and applied command ids outlive a restart. */
  twice = td_test_request (fixture->server, "POST", "/commands", token, body);
  g_assert_cmpstr (json_object_get_string_member (first_result (twice), "status"), ==, "duplicate");
}

static void
test_conflict_and_tombstone (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "deskmanager");
  g_autofree char *uuid = create_ticket (fixture, token);
  g_autofree char *update
      = td_test_command_json ("update", "ticket", uuid, 1, "{\"title\": \"Stale\"}");
  g_autofree char *update_body = batch (update);
  g_autoptr (TdTestResponse) stale
      = td_test_request (fixture->server, "POST", "/commands", token, update_body);
  JsonObject      *result = first_result (stale);
  gint64           rev;
  g_autofree char *del = NULL;
  g_autofree char *del_body = NULL;
  g_autoptr (TdTestResponse) deleted = NULL;
  g_autoptr (TdTestResponse) changes = NULL;
  JsonArray  *rows;
  JsonObject *last;

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "conflict");
  rev = json_object_get_int_member (json_object_get_object_member (result, "current"), "rev");

  del = td_test_command_json ("delete", "ticket", uuid, rev, NULL);
  del_body = batch (del);
  deleted = td_test_request (fixture->server, "POST", "/commands", token, del_body);
  g_assert_cmpstr (json_object_get_string_member (first_result (deleted), "status"), ==, "applied");

  changes = td_test_request (fixture->server, "GET", "/changes?since=0", token, NULL);
  rows = json_object_get_array_member (td_test_object (changes), "changes");
  last = json_array_get_object_element (rows, json_array_get_length (rows) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "uuid"), ==, uuid);
  g_assert_cmpint (json_object_get_int_member (last, "deleted"), ==, 1);
}

/* Errors */

static void
test_error_codes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autoptr (TdTestResponse) bad_json
      = td_test_request (fixture->server, "POST", "/commands", token, "{\"commands\": [1,");
  g_autoptr (TdTestResponse) unknown = td_test_request (
      fixture->server, "POST", "/login", NULL, "{\"username\": \"a\", \"pasword\": \"b\"}");
  g_autoptr (TdTestResponse) wrong = td_test_request (fixture->server, "POST", "/login", NULL,
                                                      "{\"username\": 42, \"password\": \"b\"}");
  g_autoptr (TdTestResponse) anonymous
      = td_test_request (fixture->server, "GET", "/changes", NULL, NULL);
  g_autoptr (TdTestResponse) missing
      = td_test_request (fixture->server, "GET", "/nothing", token, NULL);
  g_autoptr (TdTestResponse) method
      = td_test_request (fixture->server, "DELETE", "/tickets", token, NULL);
  g_autoptr (TdTestResponse) forbidden
      = td_test_request (fixture->server, "PUT", "/policy", token, "{}");
  g_autoptr (TdTestResponse) bad_field = NULL;
  g_autoptr (GString) huge = g_string_new ("{\"pad\": \"");
  g_autoptr (TdTestResponse) too_large = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *command
      = td_test_command_json ("create", "ticket", uuid, -1, "{\"tier\": \"two\"}");
  g_autofree char *body = batch (command);

  g_assert_cmpuint (bad_json->status, ==, 400);
  g_assert_cmpstr (td_test_error_code (bad_json), ==, "invalid_json");
  g_assert_true (g_str_has_prefix (
      json_object_get_string_member (
          json_object_get_object_member (td_test_object (bad_json), "error"), "message"),
      "invalid JSON at line 1, column "));

  g_assert_cmpuint (unknown->status, ==, 400);
  g_assert_cmpstr (td_test_error_code (unknown), ==, "unknown_field");
  g_assert_cmpstr (td_test_error_field (unknown), ==, "pasword");

  g_assert_cmpuint (wrong->status, ==, 400);
  g_assert_cmpstr (td_test_error_code (wrong), ==, "wrong_type");
  g_assert_cmpstr (td_test_error_field (wrong), ==, "username");

  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (method->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (method->headers, "Allow"), ==, "GET, POST");
  g_assert_cmpuint (forbidden->status, ==, 403);
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (td_test_object (forbidden), "error"), "message"),
      ==, "a Service Desk Analyst may not change the support model");

  /* A field the entity does not have, named in full. */
  bad_field = td_test_request (fixture->server, "POST", "/commands", token, body);
  g_assert_cmpuint (bad_field->status, ==, 400);
  g_assert_cmpstr (td_test_error_code (bad_field), ==, "unknown_field");
  g_assert_cmpstr (td_test_error_field (bad_field), ==, "commands[0].fields.tier");

  while (huge->len < 1100 * 1024)
    g_string_append (huge, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (huge, "\"}");
  too_large = td_test_request (fixture->server, "POST", "/commands", token, huge->str);
  g_assert_cmpuint (too_large->status, ==, 413);
  g_assert_cmpstr (td_test_error_code (too_large), ==, "payload_too_large");
}

/* Permissions: each role × each kind of write. */

typedef struct
{
  const char *user;
  gboolean    create_ticket;
  gboolean    comment;
  gboolean    write_person;
  gboolean    write_policy;
  gboolean    delete_ticket;
  gboolean    change_status;
} Expectation;

static const char *
write_outcome (Fixture    *fixture,
               const char *token,
               const char *entity,
               const char *type,
               const char *entity_id,
               gint64      base_rev,
               const char *fields)
{
  g_autofree char *command = td_test_command_json (type, entity, entity_id, base_rev, fields);
  g_autofree char *body = batch (command);
  g_autoptr (TdTestResponse) response
      = td_test_request (fixture->server, "POST", "/commands", token, body);
  JsonObject *result = first_result (response);

  return g_intern_string (json_object_get_string_member (result, "status"));
}

static void
test_permission_matrix (Fixture *fixture, gconstpointer data)
{
  static const Expectation expected[] = {
    { "analyst", TRUE, TRUE, FALSE, FALSE, FALSE, TRUE },
    { "deskmanager", TRUE, TRUE, TRUE, FALSE, TRUE, TRUE },
    { "appsupport", TRUE, TRUE, FALSE, FALSE, FALSE, TRUE },
    { "lead", TRUE, TRUE, TRUE, FALSE, FALSE, TRUE },
    { "engineer", TRUE, TRUE, FALSE, FALSE, FALSE, TRUE },
    { "engmanager", TRUE, TRUE, TRUE, FALSE, FALSE, TRUE },
    { "director", FALSE, TRUE, FALSE, FALSE, FALSE, FALSE },
    { "trainer", FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
    { "admin", TRUE, TRUE, TRUE, TRUE, TRUE, TRUE },
  };
  g_autofree char *policy_text = NULL;
  g_autofree char *ticket = create_ticket (fixture, fixture->admin);

  g_file_get_contents (g_getenv ("TD_POLICY_FILE"), &policy_text, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *token = td_test_login (fixture->server, expected[i].user);
      g_autofree char *ticket_id = g_uuid_string_random ();
      g_autofree char *person_id = g_uuid_string_random ();
      g_autofree char *event_id = g_uuid_string_random ();
      g_autofree char *comment = g_strdup_printf ("{\"ticket\": \"%s\", \"kind\": \"comment\", "
                                                  "\"body\": \"Checked the logs\"}",
                                                  ticket);
      g_autoptr (TdTestResponse) put = NULL;
      g_autoptr (TdTestResponse) current = NULL;
      g_autofree char *victim = create_ticket (fixture, fixture->admin);
      g_autofree char *victim_path = g_strdup_printf ("/tickets/%s", victim);
      gint64           victim_rev;
      const char      *outcome;

      g_test_message ("role of %s", expected[i].user);

      outcome = write_outcome (fixture, token, "ticket", "create", ticket_id, -1,
                               ticket_fields_json ());
      g_assert_cmpstr (outcome, ==, expected[i].create_ticket ? "applied" : "rejected");

      outcome = write_outcome (fixture, token, "ticket_event", "append", event_id, -1, comment);
      g_assert_cmpstr (outcome, ==, expected[i].comment ? "applied" : "rejected");

      {
        g_autofree char *status_id = g_uuid_string_random ();
        g_autofree char *work = create_ticket (fixture, fixture->admin);
        g_autofree char *status = g_strdup_printf (
            "{\"ticket\": \"%s\", \"kind\": \"status\", \"data\": {\"status\": \"in_progress\"}}",
            work);

        outcome = write_outcome (fixture, token, "ticket_event", "append", status_id, -1, status);
        g_assert_cmpstr (outcome, ==, expected[i].change_status ? "applied" : "rejected");
      }

      outcome = write_outcome (fixture, token, "person", "create", person_id, -1,
                               "{\"name\": \"Robin Example\", \"role\": \"engineer\", "
                               "\"time_zone\": \"Europe/London\"}");
      g_assert_cmpstr (outcome, ==, expected[i].write_person ? "applied" : "rejected");

      current = td_test_request (fixture->server, "GET", victim_path, token, NULL);
      victim_rev = json_object_get_int_member (td_test_object (current), "rev");
      outcome = write_outcome (fixture, token, "ticket", "delete", victim, victim_rev, NULL);
      g_assert_cmpstr (outcome, ==, expected[i].delete_ticket ? "applied" : "rejected");

      put = td_test_request (fixture->server, "PUT", "/policy", token, policy_text);
      g_assert_cmpuint (put->status, ==, expected[i].write_policy ? 200 : 403);
    }
}

static void
test_policy_endpoint (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdTestResponse) get
      = td_test_request (fixture->server, "GET", "/policy", fixture->admin, NULL);
  g_autoptr (TdTestResponse) broken = td_test_request (fixture->server, "PUT", "/policy",
                                                       fixture->admin, "{\"schema_version\": 2}");
  JsonObject *policy;

  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (td_test_object (get), "version"), ==, 1);
  policy = json_object_get_object_member (td_test_object (get), "policy");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (policy, "document"), "id"), ==,
      "LMS-PHASE30-SUPPORT-001");

  g_assert_cmpuint (broken->status, ==, 400);
  g_assert_cmpstr (td_test_error_code (broken), ==, "invalid_policy");
  g_assert_cmpstr (td_test_error_field (broken), ==, "$.schema_version");
}

static void
test_audit_log (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autofree char *uuid = create_ticket (fixture, token);
  g_autoptr (TdTestResponse) audit
      = td_test_request (fixture->server, "GET", "/audit?limit=5", fixture->admin, NULL);
  g_autoptr (TdTestResponse) refused
      = td_test_request (fixture->server, "GET", "/audit", token, NULL);
  JsonArray *rows;
  gboolean   found = FALSE;
  sqlite3   *db = NULL;
  char      *message = NULL;

  g_assert_cmpuint (audit->status, ==, 200);
  rows = json_node_get_array (audit->json);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member (row, "entity_id"), uuid) == 0)
        {
          found = TRUE;
          g_assert_cmpstr (json_object_get_string_member (row, "actor"), ==, "analyst");
          g_assert_cmpstr (json_object_get_string_member (row, "action"), ==, "create ticket");
          g_assert_nonnull (json_object_get_string_member (row, "after"));
        }
    }
  g_assert_true (found);
  g_assert_cmpuint (refused->status, ==, 403);

  /* No SQL the server runs can change it either. */
  g_assert_cmpint (sqlite3_open (fixture->server->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_log", NULL, NULL, &message), !=, SQLITE_OK);
  g_assert_cmpstr (message, ==, "audit_log is append-only");
  sqlite3_free (message);
  sqlite3_close (db);
}

static void
test_disable_revokes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "engineer");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (TdTestResponse) after = NULL;

  g_assert_cmpint (td_test_tierdeskd (&out, &err, "user", "disable", "--db", fixture->server->db,
                                      "engineer", NULL),
                   ==, 0);
  after = td_test_request (fixture->server, "GET", "/me", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
}

/* WebSocket */

typedef struct
{
  GMainLoop *loop;
  char      *text;
} StreamWait;

static void
on_message (SoupWebsocketConnection *socket, int type, GBytes *message, StreamWait *wait)
{
  wait->text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_main_loop_quit (wait->loop);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SoupWebsocketConnection **socket = user_data;
  g_autoptr (GError) error = NULL;

  *socket = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
on_timeout (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_stream_notifies (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (SoupWebsocketConnection) socket = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *uuid = NULL;
  StreamWait       wait = { loop, NULL };
  gint64           deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint            timeout;

  url = g_strdup_printf ("ws://127.0.0.1:%u/api/v1/stream?token=%s", fixture->server->port, token);
  msg = soup_message_new ("GET", url);
  soup_session_websocket_connect_async (fixture->server->session, msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, NULL, on_connected, &socket);
  while (socket == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (socket);
  g_signal_connect (socket, "message", G_CALLBACK (on_message), &wait);

  uuid = create_ticket (fixture, token);
  timeout = g_timeout_add_seconds (10, on_timeout, loop);
  g_main_loop_run (loop);
  g_source_remove (timeout);

  g_assert_nonnull (wait.text);
  g_assert_true (g_str_has_prefix (wait.text, "{\"rev\": "));
  g_free (wait.text);
  soup_websocket_connection_close (socket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

/* Backup while clients write */

typedef struct
{
  TdTestServer *server;
  char         *token;
  gboolean      stop;
  guint         written;
} Writer;

static gpointer
write_loop (gpointer data)
{
  Writer *writer = data;
  g_autoptr (SoupSession) session = soup_session_new ();

  while (!g_atomic_int_get (&writer->stop) && writer->written < 400)
    {
      g_autofree char *url = td_test_server_url (writer->server, "/commands");
      g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *command
          = td_test_command_json ("create", "ticket", uuid, -1, ticket_fields_json ());
      g_autofree char *body = batch (command);
      g_autofree char *header = g_strdup_printf ("Bearer %s", writer->token);
      g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
      g_autoptr (GBytes) reply = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
      reply = soup_session_send_and_read (session, msg, NULL, NULL);
      if (soup_message_get_status (msg) == 200)
        writer->written++;
    }
  return NULL;
}

static void
test_backup_under_load (Fixture *fixture, gconstpointer data)
{
  Writer writer = { fixture->server, td_test_login (fixture->server, "analyst"), FALSE, 0 };
  g_autofree char *backup = g_build_filename (fixture->server->dir, "backup.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GThread         *thread = g_thread_new ("writer", write_loop, &writer);
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  int              status;

  while (g_atomic_int_get (&writer.written) < 20)
    g_usleep (10000);
  status
      = td_test_tierdeskd (&out, &err, "backup", "--db", fixture->server->db, "--to", backup, NULL);
  g_atomic_int_set (&writer.stop, TRUE);
  g_thread_join (thread);
  g_assert_cmpint (status, ==, 0);

  g_assert_cmpint (sqlite3_open_v2 (backup, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM ticket", -1, &stmt, NULL);
  sqlite3_step (stmt);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), >=, 20);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_free (writer.token);
}

static void
test_restore_new_epoch (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autofree char *backup = g_build_filename (fixture->server->dir, "backup.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *old_cursor = NULL;
  g_autofree char *path = NULL;
  g_autoptr (TdTestResponse) before = NULL;
  g_autoptr (TdTestResponse) after = NULL;
  g_autoptr (TdTestResponse) health = NULL;

  g_free (create_ticket (fixture, token));
  before = td_test_request (fixture->server, "GET", "/changes?since=0", token, NULL);
  old_cursor = g_strdup (json_object_get_string_member (td_test_object (before), "cursor"));

  g_assert_cmpint (
      td_test_tierdeskd (&out, &err, "backup", "--db", fixture->server->db, "--to", backup, NULL),
      ==, 0);
  td_test_server_stop (fixture->server);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (td_test_tierdeskd (&out, &err, "restore", "--db", fixture->server->db, "--from",
                                      backup, NULL),
                   ==, 0);
  td_test_server_start (fixture->server);

  health = td_test_request (fixture->server, "GET", "/health", NULL, NULL);
  g_assert_false (g_str_has_prefix (
      old_cursor, json_object_get_string_member (td_test_object (health), "epoch")));
  path = g_strdup_printf ("/changes?since=%s", old_cursor);
  after = td_test_request (fixture->server, "GET", path, token, NULL);
  g_assert_cmpuint (after->status, ==, 409);
}

static void
test_tombstone_horizon (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "deskmanager");
  g_autofree char *uuid = create_ticket (fixture, token);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (TdTestResponse) page
      = td_test_request (fixture->server, "GET", "/changes?since=0", token, NULL);
  g_autoptr (TdTestResponse) current = NULL;
  g_autoptr (TdTestResponse) gone = NULL;
  g_autoptr (TdTestResponse) fresh = NULL;
  g_autofree char *old_cursor
      = g_strdup (json_object_get_string_member (td_test_object (page), "cursor"));
  g_autofree char *ticket_path = g_strdup_printf ("/tickets/%s", uuid);
  g_autofree char *del = NULL;
  g_autofree char *body = NULL;
  g_autoptr (TdTestResponse) deleted = NULL;

  current = td_test_request (fixture->server, "GET", ticket_path, token, NULL);
  del = td_test_command_json ("delete", "ticket", uuid,
                              json_object_get_int_member (td_test_object (current), "rev"), NULL);
  body = batch (del);
  deleted = td_test_request (fixture->server, "POST", "/commands", token, body);
  g_assert_cmpstr (json_object_get_string_member (first_result (deleted), "status"), ==, "applied");
  g_free (create_ticket (fixture, token));

  g_assert_cmpint (td_test_tierdeskd (&out, &err, "purge-tombstones", "--db", fixture->server->db,
                                      "--keep-revisions", "0", NULL),
                   ==, 0);

  /* A client that has not seen the deletion can no longer learn of it. */
  path = g_strdup_printf ("/changes?since=%s", old_cursor);
  gone = td_test_request (fixture->server, "GET", path, token, NULL);
  g_assert_cmpuint (gone->status, ==, 410);
  g_assert_cmpstr (td_test_error_code (gone), ==, "cursor_expired");

  /* From 0 it resyncs, without the forgotten row. */
  fresh = td_test_request (fixture->server, "GET", "/changes?since=0", token, NULL);
  g_assert_cmpuint (fresh->status, ==, 200);
  g_assert_null (strstr (fresh->text, uuid));
}

static void
test_outside_api (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/index.html", fixture->server->port);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) bytes = soup_session_send_and_read (fixture->server->session, msg, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  g_assert_true (
      g_str_has_prefix (g_bytes_get_data (bytes, NULL), "{\"error\":{\"code\":\"not_found\""));
}

static gboolean
accept_test_certificate (SoupMessage         *msg,
                         GTlsCertificate     *certificate,
                         GTlsCertificateFlags errors,
                         gpointer             user_data)
{
  /* Self-signed for the test: trust exactly the one we made. */
  return g_tls_certificate_is_same (certificate, user_data);
}

static void
test_tls (void)
{
  g_autoptr (TdTestServer) server = td_test_server_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status = 0;
  const char      *argv[]
      = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",        "-keyout", NULL,
          "-out",    NULL,  "-days", "1",       "-subj",    "/CN=127.0.0.1", NULL };

  server->tls_key = g_build_filename (server->dir, "key.pem", NULL);
  server->tls_cert = g_build_filename (server->dir, "cert.pem", NULL);
  argv[7] = server->tls_key;
  argv[9] = server->tls_cert;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  certificate = g_tls_certificate_new_from_file (server->tls_cert, &error);
  g_assert_no_error (error);

  td_test_server_start (server);
  url = g_strdup_printf ("https://127.0.0.1:%u/api/v1/health", server->port);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_test_certificate), certificate);
  bytes = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bytes, NULL), "{\"status\":\"ok\""));
}

static void
test_cli_init_refuses_overwrite (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf (
      "tierdeskd: init: %s already exists; tierdeskd init never overwrites a database\n",
      fixture->server->db);
  int status
      = td_test_tierdeskd (&out, &err, "init", "--db", fixture->server->db, "--admin", "someone",
                           "--password-file", fixture->server->password_file, NULL);

  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (err, ==, expected);
}

/* GET /changes/open: every open ticket and every person, no more. */
static void
test_open_snapshot (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "lead");
  g_autofree char *open = create_ticket (fixture, token);
  g_autofree char *resolved = create_ticket (fixture, token);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/events", resolved);
  g_autoptr (TdTestResponse) resolve = td_test_request (
      fixture->server, "POST", path, token,
      "{\"kind\": \"status\", \"data\": {\"status\": \"resolved\", \"resolution\": "
      "\"Re-ran the payroll sync\"}}");
  g_autoptr (TdTestResponse) anonymous
      = td_test_request (fixture->server, "GET", "/changes/open", NULL, NULL);
  g_autoptr (TdTestResponse) snapshot
      = td_test_request (fixture->server, "GET", "/changes/open", token, NULL);
  JsonArray *changes;
  guint      tickets = 0;
  guint      people = 0;

  g_assert_cmpuint (resolve->status, ==, 201);
  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_cmpuint (snapshot->status, ==, 200);
  changes = json_object_get_array_member (td_test_object (snapshot), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *row = json_array_get_object_element (changes, i);
      const char *entity = json_object_get_string_member (row, "entity");

      g_assert_cmpint (json_object_get_int_member (row, "rev"), >, 0);
      if (g_str_equal (entity, "ticket"))
        {
          g_assert_cmpstr (json_object_get_string_member (row, "uuid"), ==, open);
          tickets++;
        }
      else
        {
          g_assert_cmpstr (entity, ==, "person");
          people++;
        }
    }
  g_assert_cmpuint (tickets, ==, 1);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open_v2 (fixture->server->db, &db, SQLITE_OPEN_READONLY, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (people, ==,
                     td_test_query_int (db, "SELECT COUNT (*) FROM person WHERE deleted = 0"));
    sqlite3_close (db);
  }
}

/* Rotas: entities, swaps and the calendar feeds */

#define ALICE "a11ce000-0000-4000-8000-000000000001"
#define BOB   "b0b00000-0000-4000-8000-000000000002"
#define CAROL "ca201000-0000-4000-8000-000000000003"

/* One command as @token; returns its result (a new reference). */
static JsonObject *
apply (Fixture    *fixture,
       const char *token,
       const char *type,
       const char *entity,
       const char *uuid,
       gint64      base_rev,
       const char *fields)
{
  return td_test_server_command (fixture->server, token, type, entity, uuid, base_rev, fields);
}

static void
assert_applied (JsonObject *result)
{
  if (!g_str_equal (json_object_get_string_member (result, "status"), "applied"))
    g_error ("not applied: %s",
             json_object_get_string_member_with_default (result, "reason", "(no reason)"));
}

static void
assert_rejected (JsonObject *result, const char *code, const char *field)
{
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member_with_default (result, "field", NULL), ==, field);
}

static void
make_people (Fixture *fixture, const char *token)
{
  const char *people[][2]
      = { { ALICE, "Alice Archer" }, { BOB, "Bob Brown" }, { CAROL, "Carol Chen" } };

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *fields = g_strdup_printf (
          "{\"name\": \"%s\", \"tier\": 2, \"role\": \"app-support-analyst\"}", people[i][1]);
      g_autoptr (JsonObject) result
          = apply (fixture, token, "create", "person", people[i][0], -1, fields);
      assert_applied (result);
    }
}

/* A Tier 2 rota from the policy's template, two weeks to a cycle: Alice
 * then Bob as primary, Bob then Alice as secondary. */
static char *
make_rota (Fixture *fixture, const char *token, const char *start_date)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *fields
      = g_strdup_printf ("{\"policy_id\": \"tier2-on-call\", \"time_zone\": \"Europe/London\", "
                         "\"start_date\": \"%s\", \"handoff_time\": \"09:00\", \"weeks\": 2}",
                         start_date);
  g_autoptr (JsonObject) result = apply (fixture, token, "create", "rotation", uuid, -1, fields);
  const char *members[][3] = { { "primary", "1", ALICE },
                               { "primary", "2", BOB },
                               { "secondary", "1", BOB },
                               { "secondary", "2", ALICE } };
  JsonObject *row;

  assert_applied (result);
  row = json_object_get_object_member (result, "row");
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Tier 2 On-Call Rotation");
  g_assert_cmpint (json_object_get_int_member (row, "tier"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "shift_days"), ==, 7);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *member = g_uuid_string_random ();
      g_autofree char *member_fields
          = g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"%s\", \"week\": %s, "
                             "\"person\": \"%s\"}",
                             uuid, members[i][0], members[i][1], members[i][2]);
      g_autoptr (JsonObject) added
          = apply (fixture, token, "create", "rotation_member", member, -1, member_fields);
      assert_applied (added);
    }
  return g_steal_pointer (&uuid);
}

/* The same rota built directly in core, to compare the feeds with. */
static TdRotation *
expected_rota (const char *uuid, const char *start_date)
{
  static const char *const primary[] = { ALICE, BOB, NULL };
  static const char *const secondary[] = { BOB, ALICE, NULL };
  g_autoptr (GError) error = NULL;
  TdRotation *rotation = td_rotation_new (uuid, "Tier 2 On-Call Rotation", 2, "Europe/London",
                                          start_date, "09:00", &error);

  g_assert_no_error (error);
  td_rotation_add_position (rotation, "primary", "Primary");
  td_rotation_add_position (rotation, "secondary", "Secondary");
  td_rotation_set_members (rotation, "primary", primary);
  td_rotation_set_members (rotation, "secondary", secondary);
  td_rotation_set_person_name (rotation, ALICE, "Alice Archer");
  td_rotation_set_person_name (rotation, BOB, "Bob Brown");
  td_rotation_set_person_name (rotation, CAROL, "Carol Chen");
  return rotation;
}

static void
link_account (Fixture *fixture, const char *username, const char *person)
{
  sqlite3         *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE account SET person = '%s' WHERE username = '%s'",
                                          person, username);

  g_assert_cmpint (sqlite3_open (fixture->server->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Training [11] */

static JsonObject *
result_row (JsonObject *result)
{
  return json_object_get_object_member (result, "row");
}

static void
test_training_records (Fixture *fixture, gconstpointer data)
{
  g_autofree char *trainer = td_test_login (fixture->server, "trainer");
  g_autofree char *analyst = td_test_login (fixture->server, "analyst");
  g_autofree char *lead = td_test_login (fixture->server, "lead");
  g_autofree char *record = g_uuid_string_random ();
  g_autofree char *fields = NULL;
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) signed_off = NULL;
  g_autoptr (JsonObject) edited = NULL;
  g_autoptr (JsonObject) deleted = NULL;
  g_autoptr (TdTestResponse) changes = NULL;
  g_autoptr (GPtrArray) kinds = g_ptr_array_new ();
  JsonArray *rows;

  make_people (fixture, lead);
  link_account (fixture, "trainer", CAROL);
  fields = g_strdup_printf ("{\"person\": \"%s\", \"topic\": \"t2-deep-dive\", "
                            "\"completed_on\": \"2026-03-02\", \"minutes\": 480, "
                            "\"trainer\": \"%s\", \"notes\": \"Course catalogue module\"}",
                            ALICE, CAROL);

  /* Only roles with training.write record training. */
  {
    g_autoptr (JsonObject) refused
        = apply (fixture, analyst, "create", "training_record", record, -1, fields);
    assert_rejected (refused, "forbidden", NULL);
    g_assert_nonnull (strstr (json_object_get_string_member (refused, "reason"), "training.write"));
  }
  created = apply (fixture, trainer, "create", "training_record", record, -1, fields);
  assert_applied (created);
  g_assert_cmpstr (json_object_get_string_member (result_row (created), "recorded_by"), ==, CAROL);
  g_assert_true (json_object_get_null_member (result_row (created), "signed_off_by"));

  /* A trainer signs off as themselves only, stamped by the server. */
  {
    g_autofree char *as_other = g_strdup_printf ("{\"signed_off_by\": \"%s\"}", BOB);
    g_autoptr (JsonObject) refused
        = apply (fixture, trainer, "update", "training_record", record,
                 json_object_get_int_member (result_row (created), "rev"), as_other);
    assert_rejected (refused, "forbidden", "signed_off_by");
  }
  {
    g_autofree char *as_me = g_strdup_printf ("{\"signed_off_by\": \"%s\"}", CAROL);
    signed_off = apply (fixture, trainer, "update", "training_record", record,
                        json_object_get_int_member (result_row (created), "rev"), as_me);
  }
  assert_applied (signed_off);
  g_assert_cmpint (json_object_get_int_member (result_row (signed_off), "signed_off_at"), >, 0);

  /* Changing what was vouched for withdraws the sign-off. */
  edited
      = apply (fixture, lead, "update", "training_record", record,
               json_object_get_int_member (result_row (signed_off), "rev"), "{\"minutes\": 420}");
  assert_applied (edited);
  g_assert_cmpint (json_object_get_int_member (result_row (edited), "minutes"), ==, 420);
  g_assert_true (json_object_get_null_member (result_row (edited), "signed_off_by"));

  deleted = apply (fixture, trainer, "delete", "training_record", record,
                   json_object_get_int_member (result_row (edited), "rev"), NULL);
  assert_applied (deleted);

  /* The history keeps every step, the deleted record's last state too. */
  changes = td_test_request (fixture->server, "GET", "/changes?since=0&limit=1000", trainer, NULL);
  g_assert_cmpuint (changes->status, ==, 200);
  rows = json_object_get_array_member (td_test_object (changes), "changes");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      /* A change is the row itself, named by its entity. */
      JsonObject *change = json_array_get_object_element (rows, i);
      JsonObject *row = change;

      if (g_strcmp0 (json_object_get_string_member (change, "entity"), "training_change") != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (row, "record"), ==, record);
      g_assert_cmpstr (json_object_get_string_member (row, "person"), ==, ALICE);
      g_ptr_array_add (kinds, (gpointer) json_object_get_string_member (row, "kind"));
      if (g_str_equal (json_object_get_string_member (row, "kind"), "deleted"))
        {
          JsonObject *history = json_object_get_object_member (row, "data");
          g_assert_true (json_object_get_null_member (history, "after"));
          g_assert_cmpint (json_object_get_int_member (
                               json_object_get_object_member (history, "before"), "minutes"),
                           ==, 420);
        }
    }
  g_assert_cmpuint (kinds->len, ==, 4);
  g_assert_cmpstr (kinds->pdata[0], ==, "recorded");
  g_assert_cmpstr (kinds->pdata[1], ==, "signed_off");
  g_assert_cmpstr (kinds->pdata[2], ==, "edited");
  g_assert_cmpstr (kinds->pdata[3], ==, "deleted");

  /* Nobody writes the history directly. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *command = td_test_command_json ("create", "training_change", id, -1, "{}");
    g_autofree char *body = batch (command);
    g_autoptr (TdTestResponse) refused
        = td_test_request (fixture->server, "POST", "/commands", trainer, body);
    g_assert_cmpuint (refused->status, ==, 400);
  }
}

static void
test_training_validation (Fixture *fixture, gconstpointer data)
{
  g_autofree char *trainer = td_test_login (fixture->server, "trainer");
  struct
  {
    const char *entity;
    const char *fields;
    const char *code;
    const char *field;
    const char *reason;
  } cases[] = {
    { "training_record", "{\"person\": \"" ALICE "\", \"topic\": \"t2-deep-dive\"}",
      "missing_fields", NULL, "required fields are missing: completed_on, minutes" },
    { "training_record",
      "{\"person\": \"" ALICE "\", \"topic\": \"t9-juggling\", "
      "\"completed_on\": \"2026-03-02\", \"minutes\": 60}",
      "invalid", "topic", "topic: \"t9-juggling\" is not in the curriculum (or has been retired)" },
    { "training_record",
      "{\"person\": \"" ALICE "\", \"topic\": \"t2-deep-dive\", "
      "\"completed_on\": \"2099-01-01\", \"minutes\": 60}",
      "invalid", "completed_on", "completed_on: 2099-01-01 is in the future" },
    { "training_record",
      "{\"person\": \"" ALICE "\", \"topic\": \"t2-deep-dive\", "
      "\"completed_on\": \"2026-03-02\", \"minutes\": 0}",
      "invalid", "minutes", "minutes: a session lasts from 1 minute to 24 hours, not 0" },
    { "training_record",
      "{\"person\": \"0000dead-0000-4000-8000-000000000000\", \"topic\": \"t2-deep-dive\", "
      "\"completed_on\": \"2026-03-02\", \"minutes\": 60}",
      "invalid", "person", NULL },
    { "training_topic",
      "{\"topic_id\": \"t2-sso\", \"tier\": 9, \"topic\": \"SSO\", \"minutes\": 60, "
      "\"frequency\": \"onboarding\"}",
      "invalid", "tier", "tier: 9 is not a tier of the policy" },
    { "training_topic",
      "{\"topic_id\": \"t2-sso\", \"tier\": 2, \"topic\": \"SSO\", \"minutes\": 60, "
      "\"frequency\": \"weekly\"}",
      "invalid", "frequency", "frequency: \"weekly\" is not onboarding, quarterly or annual" },
    { "training_topic",
      "{\"topic_id\": \"t2-sso\", \"tier\": 2, \"topic\": \"  \", \"minutes\": 60, "
      "\"frequency\": \"annual\"}",
      "missing_fields", "topic", "topic: a topic needs a name" },
  };

  make_people (fixture, fixture->admin);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autoptr (JsonObject) result
          = apply (fixture, trainer, "create", cases[i].entity, uuid, -1, cases[i].fields);

      assert_rejected (result, cases[i].code, cases[i].field);
      if (cases[i].reason != NULL)
        g_assert_cmpstr (json_object_get_string_member (result, "reason"), ==, cases[i].reason);
    }

  /* A retired topic takes no new records; a new topic does. */
  {
    g_autofree char *retire = g_uuid_string_random ();
    g_autofree char *add = g_uuid_string_random ();
    g_autofree char *record = g_uuid_string_random ();
    g_autoptr (JsonObject) retired = apply (
        fixture, trainer, "create", "training_topic", retire, -1,
        "{\"topic_id\": \"t2-integration\", \"tier\": 2, \"topic\": \"Integration Overview\", "
        "\"minutes\": 240, \"frequency\": \"onboarding\", \"retired\": 1}");
    g_autoptr (JsonObject) added
        = apply (fixture, trainer, "create", "training_topic", add, -1,
                 "{\"topic_id\": \"t2-sso\", \"tier\": 2, \"topic\": \"Single Sign-On\", "
                 "\"minutes\": 90, \"frequency\": \"annual\"}");
    g_autoptr (JsonObject) twice = NULL;
    g_autoptr (JsonObject) on_retired = NULL;
    g_autoptr (JsonObject) on_new = NULL;
    g_autofree char *other = g_uuid_string_random ();

    assert_applied (retired);
    assert_applied (added);
    twice = apply (fixture, trainer, "create", "training_topic", other, -1,
                   "{\"topic_id\": \"t2-sso\", \"tier\": 2, \"topic\": \"SSO again\", "
                   "\"minutes\": 90, \"frequency\": \"annual\"}");
    assert_rejected (twice, "exists", "topic_id");
    on_retired = apply (fixture, trainer, "create", "training_record", record, -1,
                        "{\"person\": \"" ALICE "\", \"topic\": \"t2-integration\", "
                        "\"completed_on\": \"2026-03-02\", \"minutes\": 60}");
    assert_rejected (on_retired, "invalid", "topic");
    on_new = apply (fixture, trainer, "create", "training_record", record, -1,
                    "{\"person\": \"" ALICE "\", \"topic\": \"t2-sso\", "
                    "\"completed_on\": \"2026-03-02\", \"minutes\": 90}");
    assert_applied (on_new);
  }
}

static void
test_rota_permissions (Fixture *fixture, gconstpointer data)
{
  g_autofree char *analyst = td_test_login (fixture->server, "analyst");
  g_autofree char *engineer = td_test_login (fixture->server, "engineer");
  g_autofree char *lead = td_test_login (fixture->server, "lead");
  g_autofree char *rota = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  const char      *fields = "{\"policy_id\": \"tier2-on-call\", \"time_zone\": \"Europe/London\", "
                            "\"start_date\": \"2026-01-05\", \"handoff_time\": \"09:00\"}";
  g_autoptr (TdTestResponse) refused = NULL;
  g_autoptr (TdTestResponse) created = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autoptr (JsonObject) override = NULL;

  /* A Tier 1 analyst cannot plan a rota, and is told which permission
   * that takes. */
  refused = td_test_request (fixture->server, "POST", "/rotations", analyst, fields);
  g_assert_cmpuint (refused->status, ==, 403);
  g_assert_cmpstr (td_test_error_code (refused), ==, "forbidden");
  g_assert_nonnull (
      strstr (json_object_get_string_member (
                  json_object_get_object_member (td_test_object (refused), "error"), "message"),
              "rota.write"));
  result = apply (fixture, analyst, "create", "rotation", uuid, -1, fields);
  assert_rejected (result, "forbidden", NULL);
  g_assert_nonnull (strstr (json_object_get_string_member (result, "reason"), "rota.write"));

  created = td_test_request (fixture->server, "POST", "/rotations", lead, fields);
  g_assert_cmpuint (created->status, ==, 201);

  make_people (fixture, lead);
  rota = make_rota (fixture, lead, "2026-01-05");
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *override_fields
        = g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"primary\", \"person\": \"%s\", "
                           "\"starts_at\": 1767690000, \"ends_at\": 1767776400}",
                           rota, CAROL);
    g_autoptr (JsonObject) by_engineer
        = apply (fixture, engineer, "create", "rota_override", id, -1, override_fields);

    /* An engineer (no rota.write) cannot either; the lead can. */
    assert_rejected (by_engineer, "forbidden", NULL);
    override = apply (fixture, lead, "create", "rota_override", id, -1, override_fields);
    assert_applied (override);
    g_assert_cmpint (
        json_object_get_int_member (json_object_get_object_member (override, "row"), "created_at"),
        >, 0);
  }
}

static void
test_rota_validation (Fixture *fixture, gconstpointer data)
{
  g_autofree char *lead = td_test_login (fixture->server, "lead");
  g_autofree char *rota = NULL;
  struct
  {
    const char *path;
    const char *body;
    const char *field;
  } cases[] = {
    { "/rotations",
      "{\"policy_id\": \"tier2-on-call\", \"time_zone\": \"Mars/Olympus_Mons\", "
      "\"start_date\": \"2026-01-05\"}",
      "time_zone" },
    { "/rotations",
      "{\"policy_id\": \"tier2-on-call\", \"time_zone\": \"Europe/London\", "
      "\"start_date\": \"2026-01-05\", \"handoff_time\": \"25:00\"}",
      "handoff_time" },
    { "/rotations",
      "{\"policy_id\": \"tier2-on-call\", \"start_date\": \"2026-01-05\", "
      "\"positions\": [\"primary\", \"dba\"]}",
      "positions" },
    { "/rotations", "{\"policy_id\": \"tier9-on-call\", \"start_date\": \"2026-01-05\"}",
      "policy_id" },
    { "/rotations", "{\"policy_id\": \"tier2-on-call\", \"start_date\": \"5 Jan 2026\"}",
      "start_date" },
    { "/rotations",
      "{\"policy_id\": \"tier2-on-call\", \"start_date\": \"2026-01-05\", \"shift_days\": 0}",
      "shift_days" },
    { "/rotations",
      "{\"policy_id\": \"tier2-on-call\", \"start_date\": \"2026-01-05\", \"handoff_weekday\": 8}",
      "handoff_weekday" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TdTestResponse) response
          = td_test_request (fixture->server, "POST", cases[i].path, lead, cases[i].body);

      g_test_message ("%s %s", cases[i].path, cases[i].body);
      g_assert_cmpuint (response->status / 100, ==, 4);
      g_assert_cmpstr (td_test_error_field (response), ==, cases[i].field);
      g_assert_nonnull (strstr (
          json_object_get_string_member (
              json_object_get_object_member (td_test_object (response), "error"), "message"),
          cases[i].field));
    }

  make_people (fixture, lead);
  rota = make_rota (fixture, lead, "2026-01-05");
  {
    struct
    {
      const char *path;
      char       *body;
      const char *field;
    } children[] = {
      { "/rota-members",
        g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"primary\", \"week\": 3, "
                         "\"person\": \"%s\"}",
                         rota, ALICE),
        "week" },
      { "/rota-members",
        g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"dba\", \"week\": 1}", rota),
        "position" },
      { "/rota-members",
        g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"primary\", \"week\": 1, "
                         "\"person\": \"%s\"}",
                         rota, "00000000-0000-4000-8000-00000000dead"),
        "person" },
      { "/rota-overrides",
        g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"primary\", \"person\": \"%s\", "
                         "\"starts_at\": 1767776400, \"ends_at\": 1767690000}",
                         rota, CAROL),
        "ends_at" },
      { "/rota-overrides",
        g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"tertiary\", \"person\": \"%s\", "
                         "\"starts_at\": 1767690000, \"ends_at\": 1767776400}",
                         rota, CAROL),
        "position" },
      { "/rota-overrides",
        g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"primary\", "
                         "\"starts_at\": \"yesterday\", \"ends_at\": 1767776400}",
                         rota),
        "starts_at" },
      { "/rota-overrides",
        g_strdup ("{\"rotation\": \"00000000-0000-4000-8000-00000000beef\", \"position\": "
                  "\"primary\", \"starts_at\": 1767690000, \"ends_at\": 1767776400}"),
        "rotation" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (children); i++)
      {
        g_autoptr (TdTestResponse) response
            = td_test_request (fixture->server, "POST", children[i].path, lead, children[i].body);

        g_test_message ("%s %s", children[i].path, children[i].body);
        g_assert_cmpuint (response->status / 100, ==, 4);
        g_assert_cmpstr (td_test_error_field (response), ==, children[i].field);
        g_free (children[i].body);
      }
  }
}

/* A shift handoff [8.3]: the outgoing lead hands over, only the incoming
 * lead named acknowledges, once; nobody deletes one. */
static void
test_shift_handoff (Fixture *fixture, gconstpointer data)
{
  g_autofree char *lead = td_test_login (fixture->server, "lead");
  g_autofree char *appsupport = td_test_login (fixture->server, "appsupport");
  g_autofree char *trainer = td_test_login (fixture->server, "trainer");
  g_autofree char *handoff = g_uuid_string_random ();
  g_autofree char *other = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf (
      "{\"tier\": 2, \"shift\": \"Day\", \"period_start\": \"2026-11-27T09:00:00Z\", "
      "\"period_end\": \"2026-11-27T17:00:00Z\", \"handed_to\": \"%s\", \"notes\": "
      "\"Watch the payroll export\", \"report\": {\"open_tickets\": [{\"title\": "
      "\"Payroll export fails\"}]}}",
      BOB);
  g_autofree char *ack_bob = g_strdup_printf ("{\"acknowledged_by\": \"%s\"}", BOB);
  g_autofree char *ack_alice = g_strdup_printf ("{\"acknowledged_by\": \"%s\"}", ALICE);
  g_autofree char *to_self = g_strdup_printf ("{\"tier\": 2, \"handed_to\": \"%s\", "
                                              "\"report\": {}}",
                                              ALICE);
  JsonObject      *row;
  gint64           rev;

  make_people (fixture, fixture->admin);
  link_account (fixture, "lead", ALICE);
  link_account (fixture, "appsupport", BOB);

  {
    g_autoptr (JsonObject) refused
        = apply (fixture, trainer, "create", "shift_handoff", handoff, -1, fields);
    g_autoptr (JsonObject) no_report
        = apply (fixture, lead, "create", "shift_handoff", other, -1, "{\"tier\": 2}");
    g_autoptr (JsonObject) self
        = apply (fixture, lead, "create", "shift_handoff", other, -1, to_self);
    g_autoptr (JsonObject) bad_tier = apply (fixture, lead, "create", "shift_handoff", other, -1,
                                             "{\"tier\": 9, \"report\": {}}");

    assert_rejected (refused, "forbidden", NULL);
    g_assert_nonnull (strstr (json_object_get_string_member (refused, "reason"), "handoff.write"));
    assert_rejected (no_report, "missing_fields", "report");
    assert_rejected (self, "invalid", "handed_to");
    assert_rejected (bad_tier, "invalid", "tier");
  }

  {
    g_autoptr (JsonObject) created
        = apply (fixture, lead, "create", "shift_handoff", handoff, -1, fields);

    assert_applied (created);
    row = json_object_get_object_member (created, "row");
    /* The server signs it, whatever the client says. */
    g_assert_cmpstr (json_object_get_string_member (row, "author"), ==, ALICE);
    g_assert_cmpint (json_object_get_int_member (row, "created_at"), >, 0);
    g_assert_true (json_object_get_null_member (row, "acknowledged_by"));
    g_assert_cmpstr (json_object_get_string_member (row, "notes"), ==, "Watch the payroll export");
    /* The report goes out as JSON, as it came in. */
    g_assert_cmpstr (json_object_get_string_member (
                         json_array_get_object_element (
                             json_object_get_array_member (
                                 json_object_get_object_member (row, "report"), "open_tickets"),
                             0),
                         "title"),
                     ==, "Payroll export fails");
    rev = json_object_get_int_member (row, "rev");
  }

  {
    g_autoptr (JsonObject) own
        = apply (fixture, lead, "update", "shift_handoff", handoff, rev, ack_alice);
    g_autoptr (JsonObject) as_other
        = apply (fixture, appsupport, "update", "shift_handoff", handoff, rev, ack_alice);
    g_autoptr (JsonObject) deleted
        = apply (fixture, fixture->admin, "delete", "shift_handoff", handoff, rev, "{}");

    assert_rejected (own, "forbidden", "acknowledged_by");
    g_assert_nonnull (strstr (json_object_get_string_member (own, "reason"), "outgoing lead"));
    assert_rejected (as_other, "forbidden", "acknowledged_by");
    /* Nothing else of a handoff changes: the batch is refused as malformed. */
    {
      g_autofree char *command = td_test_command_json ("update", "shift_handoff", handoff, rev,
                                                       "{\"notes\": \"changed\"}");
      g_autofree char *body = batch (command);
      g_autoptr (TdTestResponse) response
          = td_test_request (fixture->server, "POST", "/commands", appsupport, body);

      g_assert_cmpint (response->status, ==, 400);
      g_assert_nonnull (strstr (response->text, "notes"));
    }
    assert_rejected (deleted, "forbidden", NULL);
  }

  {
    g_autoptr (JsonObject) acknowledged
        = apply (fixture, appsupport, "update", "shift_handoff", handoff, rev, ack_bob);
    g_autoptr (JsonObject) again = NULL;

    assert_applied (acknowledged);
    row = json_object_get_object_member (acknowledged, "row");
    g_assert_cmpstr (json_object_get_string_member (row, "acknowledged_by"), ==, BOB);
    g_assert_cmpint (json_object_get_int_member (row, "acknowledged_at"), >=,
                     json_object_get_int_member (row, "created_at"));
    again = apply (fixture, appsupport, "update", "shift_handoff", handoff,
                   json_object_get_int_member (row, "rev"), ack_bob);
    assert_rejected (again, "rule", "acknowledged_by");
  }
}

/* A production change [10.1]: recorded by those who make changes, of a
 * kind the tier may make [4.3], with an outcome that says when and, for a
 * failure, why; deleted only by a lead; every write audited. */
static void
test_change_record (Fixture *fixture, gconstpointer data)
{
  g_autofree char *analyst = td_test_login (fixture->server, "analyst");
  g_autofree char *appsupport = td_test_login (fixture->server, "appsupport");
  g_autofree char *engineer = td_test_login (fixture->server, "engineer");
  g_autofree char *engmanager = td_test_login (fixture->server, "engmanager");
  g_autofree char *ticket = create_ticket (fixture, appsupport);
  g_autofree char *change = g_uuid_string_random ();
  g_autofree char *other = g_uuid_string_random ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *performed = g_date_time_format_iso8601 (hour_ago);
  g_autofree char *later = g_date_time_format_iso8601 (tomorrow);
  g_autofree char *fields = g_strdup_printf (
      "{\"title\": \"Raise the payroll sync timeout to 120 s\", \"kind\": \"configuration\", "
      "\"tier\": 2, \"status\": \"succeeded\", \"performed_at\": \"%s\", \"ticket\": \"%s\", "
      "\"implementer\": \"%s\", \"rollback_plan\": \"Set it back to 60 s\"}",
      performed, ticket, BOB);
  g_autofree char *future = g_strdup_printf (
      "{\"title\": \"Timeout\", \"kind\": \"configuration\", \"tier\": 2, \"status\": "
      "\"succeeded\", \"performed_at\": \"%s\"}",
      later);
  g_autofree char *unknown_ticket
      = g_strdup_printf ("{\"title\": \"Timeout\", \"kind\": \"configuration\", \"tier\": 2, "
                         "\"ticket\": \"%s\"}",
                         other);
  g_autofree char *sql = NULL;
  JsonObject      *row;
  gint64           rev;

  make_people (fixture, fixture->admin);
  link_account (fixture, "appsupport", BOB);

  {
    g_autoptr (JsonObject) refused
        = apply (fixture, analyst, "create", "change_record", change, -1, fields);
    g_autoptr (JsonObject) schema_at_tier2
        = apply (fixture, appsupport, "create", "change_record", other, -1,
                 "{\"title\": \"Add an index\", \"kind\": \"database\", \"tier\": 2}");
    g_autoptr (JsonObject) no_time
        = apply (fixture, appsupport, "create", "change_record", other, -1,
                 "{\"title\": \"Timeout\", \"kind\": \"configuration\", \"tier\": 2, "
                 "\"status\": \"succeeded\"}");
    g_autoptr (JsonObject) in_future
        = apply (fixture, appsupport, "create", "change_record", other, -1, future);
    g_autoptr (JsonObject) no_such_ticket
        = apply (fixture, appsupport, "create", "change_record", other, -1, unknown_ticket);
    g_autoptr (JsonObject) bad_status = apply (
        fixture, appsupport, "create", "change_record", other, -1,
        "{\"title\": \"Timeout\", \"kind\": \"configuration\", \"tier\": 2, \"status\": \"ok\"}");

    assert_rejected (refused, "forbidden", NULL);
    g_assert_nonnull (strstr (json_object_get_string_member (refused, "reason"), "change.write"));
    assert_rejected (schema_at_tier2, "invalid", "kind");
    g_assert_cmpstr (json_object_get_string_member (schema_at_tier2, "reason"), ==,
                     "kind: a Database schema change is made from Tier 3 up, not at Tier 2");
    assert_rejected (no_time, "invalid", "performed_at");
    assert_rejected (in_future, "invalid", "performed_at");
    assert_rejected (no_such_ticket, "not_found", "ticket");
    assert_rejected (bad_status, "invalid", "status");
    g_assert_cmpint (
        td_test_server_query_int (fixture->server, "SELECT count(*) FROM change_record"), ==, 0);
  }

  {
    g_autoptr (JsonObject) created
        = apply (fixture, appsupport, "create", "change_record", change, -1, fields);

    assert_applied (created);
    row = json_object_get_object_member (created, "row");
    /* The server signs it, whatever the client says. */
    g_assert_cmpstr (json_object_get_string_member (row, "author"), ==, BOB);
    g_assert_cmpint (json_object_get_int_member (row, "created_at"), >, 0);
    g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "succeeded");
    g_assert_cmpstr (json_object_get_string_member (row, "ticket"), ==, ticket);
    rev = json_object_get_int_member (row, "rev");
  }

  {
    g_autoptr (JsonObject) no_reason = apply (fixture, engineer, "update", "change_record", change,
                                              rev, "{\"status\": \"rolled_back\"}");
    g_autoptr (JsonObject) rolled_back = NULL;

    assert_rejected (no_reason, "invalid", "outcome_note");
    rolled_back = apply (fixture, engineer, "update", "change_record", change, rev,
                         "{\"status\": \"rolled_back\", \"outcome_note\": "
                         "\"Exports timed out at month end\"}");
    assert_applied (rolled_back);
    row = json_object_get_object_member (rolled_back, "row");
    g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "rolled_back");
    /* An edit keeps who recorded it. */
    g_assert_cmpstr (json_object_get_string_member (row, "author"), ==, BOB);
    rev = json_object_get_int_member (row, "rev");
  }

  {
    g_autoptr (JsonObject) by_engineer
        = apply (fixture, engineer, "delete", "change_record", change, rev, "{}");
    g_autoptr (JsonObject) by_manager = NULL;

    assert_rejected (by_engineer, "forbidden", NULL);
    g_assert_nonnull (
        strstr (json_object_get_string_member (by_engineer, "reason"), "change.delete"));
    by_manager = apply (fixture, engmanager, "delete", "change_record", change, rev, "{}");
    assert_applied (by_manager);
  }

  sql = g_strdup_printf ("SELECT deleted FROM change_record WHERE uuid = '%s'", change);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  /* Applied and refused alike: three of each for this change. */
  sql = g_strdup_printf ("SELECT group_concat (action, '; ') = 'create change_record (rejected); "
                         "create change_record; update change_record (rejected); update "
                         "change_record; delete change_record (rejected); delete change_record'"
                         " FROM (SELECT action FROM audit_log WHERE entity = 'change_record'"
                         " AND entity_id = '%s' ORDER BY id)",
                         change);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);
}

static void
test_rota_swaps (Fixture *fixture, gconstpointer data)
{
  g_autofree char *lead = td_test_login (fixture->server, "lead");
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *carol = NULL;
  g_autofree char *rota = NULL;
  g_autofree char *swap = g_uuid_string_random ();
  g_autofree char *fields = NULL;
  g_autoptr (TdRotation) expected = NULL;
  g_autoptr (JsonObject) offered = NULL;
  g_autoptr (JsonObject) not_hers = NULL;
  g_autoptr (JsonObject) by_alice = NULL;
  g_autoptr (JsonObject) accepted = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (GPtrArray) shifts = NULL;
  TdRotaShift *third;
  gint64       rev;

  make_people (fixture, lead);
  /* Far ahead, so the shifts offered have not begun whenever this runs. */
  rota = make_rota (fixture, lead, "2040-01-02");
  expected = expected_rota (rota, "2040-01-02");
  link_account (fixture, "appsupport", ALICE);
  link_account (fixture, "engineer", BOB);
  link_account (fixture, "analyst", CAROL);
  alice = td_test_login (fixture->server, "appsupport");
  bob = td_test_login (fixture->server, "engineer");
  carol = td_test_login (fixture->server, "analyst");

  /* Week 3 (cycle week 1): Alice is primary. */
  shifts = td_rotation_resolve (expected, "primary", td_rotation_get_shift_start (expected, 2),
                                td_rotation_get_shift_start (expected, 3));
  third = g_ptr_array_index (shifts, 0);
  g_assert_cmpstr (third->person, ==, ALICE);

  /* Carol cannot offer Alice's shift, and Alice cannot offer Bob's. */
  fields = g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"primary\", \"requester\": "
                            "\"%s\", \"counterpart\": \"%s\", \"give_starts_at\": %" G_GINT64_FORMAT
                            ", \"give_ends_at\": %" G_GINT64_FORMAT "}",
                            rota, ALICE, BOB, third->interval.start, third->interval.end);
  not_hers = apply (fixture, carol, "create", "swap_request", swap, -1, fields);
  assert_rejected (not_hers, "forbidden", "requester");
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *bobs = g_strdup_printf (
        "{\"rotation\": \"%s\", \"position\": \"primary\", \"counterpart\": \"%s\", "
        "\"give_starts_at\": %" G_GINT64_FORMAT ", \"give_ends_at\": %" G_GINT64_FORMAT "}",
        rota, CAROL, third->interval.end, third->interval.end + 7 * 24 * 3600);

    by_alice = apply (fixture, alice, "create", "swap_request", id, -1, bobs);
    assert_rejected (by_alice, "rule", "give_starts_at");
  }

  /* Alice offers her own; only Bob may accept it. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autoptr (JsonObject) result = NULL;

    g_free (swap);
    swap = g_steal_pointer (&id);
    offered = apply (fixture, alice, "create", "swap_request", swap, -1, fields);
    assert_applied (offered);
    g_assert_cmpstr (
        json_object_get_string_member (json_object_get_object_member (offered, "row"), "status"),
        ==, "pending");
    rev = json_object_get_int_member (offered, "rev");
    result
        = apply (fixture, carol, "update", "swap_request", swap, rev, "{\"status\": \"accepted\"}");
    assert_rejected (result, "forbidden", "status");
  }
  accepted
      = apply (fixture, bob, "update", "swap_request", swap, rev, "{\"status\": \"accepted\"}");
  assert_applied (accepted);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (accepted, "row"), "decided_by"),
      ==, BOB);

  /* The acceptance became an override: Bob covers Alice's week. */
  {
    g_autoptr (TdTestResponse) changes
        = td_test_request (fixture->server, "GET", "/changes?since=0&limit=1000", lead, NULL);
    JsonArray *rows = json_object_get_array_member (td_test_object (changes), "changes");
    guint      found = 0;

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);

        if (g_str_equal (json_object_get_string_member (row, "entity"), "rota_override"))
          {
            g_assert_cmpstr (json_object_get_string_member (row, "person"), ==, BOB);
            g_assert_cmpint (json_object_get_int_member (row, "starts_at"), ==,
                             third->interval.start);
            g_assert_cmpint (json_object_get_int_member (row, "ends_at"), ==, third->interval.end);
            found++;
          }
      }
    g_assert_cmpuint (found, ==, 1);
  }

  /* A decided swap cannot be decided again. */
  again = apply (fixture, bob, "update", "swap_request", swap,
                 json_object_get_int_member (accepted, "rev"), "{\"status\": \"declined\"}");
  assert_rejected (again, "rule", "status");
}

/* python3-icalendar, as in tests/core/test-ical.c. */
static JsonObject *
parse_ics (const char *text)
{
  const char      *candidates[] = { g_getenv ("TD_PYTHON3"), "/usr/bin/python3", "python3" };
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "core", "ical-parse.py", NULL);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *python = NULL;
  int         status = -1;
  int         fd;

  for (guint i = 0; i < G_N_ELEMENTS (candidates) && python == NULL; i++)
    {
      const char *argv[] = { candidates[i], "-c", "import icalendar", NULL };

      if (candidates[i] != NULL
          && g_spawn_sync (NULL, (char **) argv, NULL,
                           G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                               | G_SPAWN_STDERR_TO_DEV_NULL,
                           NULL, NULL, NULL, NULL, &status, NULL)
          && g_spawn_check_wait_status (status, NULL))
        python = candidates[i];
    }
  if (python == NULL)
    g_error ("python3-icalendar is not installed: apt-get install -y python3-icalendar");

  fd = g_file_open_tmp ("test-api-XXXXXX.ics", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { python, script, path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                  &error);
  }
  g_assert_no_error (error);
  g_unlink (path);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("ical-parse.py failed: %s", err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static TdTestResponse *
get_feed (Fixture *fixture, const char *what, const char *key)
{
  g_autofree char *path = g_strdup_printf ("/oncall/%s.ics%s%s", what, key != NULL ? "?key=" : "",
                                           key != NULL ? key : "");

  return td_test_request (fixture->server, "GET", path, NULL, NULL);
}

/* Each event of @feed is the shift of @expected with its UID, with the
 * same bounds and person, and every shift between the first and the last
 * event is there. Returns the parsed events. */
static JsonArray *
assert_feed_matches (JsonObject *feed, TdRotation *expected, const char *slot, const char *person)
{
  JsonArray *events = json_object_get_array_member (feed, "events");
  guint      n = json_array_get_length (events);
  TdInstant  first, last;
  g_autoptr (GPtrArray) shifts = NULL;
  guint matched = 0;

  g_assert_cmpuint (n, >, 10);
  g_assert_true (td_time_parse_instant (
      json_object_get_string_member (json_array_get_object_element (events, 0), "start"), &first));
  g_assert_true (td_time_parse_instant (
      json_object_get_string_member (json_array_get_object_element (events, n - 1), "end"), &last));
  shifts = person != NULL ? td_rotation_resolve_for_person (expected, person, first, last)
                          : td_rotation_resolve (expected, slot, first, last);
  g_assert_cmpuint (shifts->len, ==, n);
  for (guint i = 0; i < shifts->len; i++)
    {
      TdRotaShift     *shift = g_ptr_array_index (shifts, i);
      g_autofree char *uid
          = td_ical_shift_uid (td_rotation_get_id (expected), shift->slot, shift->interval.start);
      g_autofree char *start = td_time_format_instant (shift->interval.start);
      g_autofree char *end = td_time_format_instant (shift->interval.end);
      const char      *name = td_rotation_get_person_name (expected, shift->person);

      for (guint j = 0; j < n; j++)
        {
          JsonObject *event = json_array_get_object_element (events, j);

          if (!g_str_equal (json_object_get_string_member (event, "uid"), uid))
            continue;
          g_assert_cmpstr (json_object_get_string_member (event, "start"), ==, start);
          g_assert_cmpstr (json_object_get_string_member (event, "end"), ==, end);
          g_assert_cmpstr (json_object_get_string_member (event, "start_vtimezone"), ==, start);
          g_assert_nonnull (strstr (json_object_get_string_member (event, "description"), name));
          matched++;
        }
    }
  g_assert_cmpuint (matched, ==, n);
  return events;
}

static gint64
sequence_of_uid (JsonArray *events, const char *uid)
{
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_str_equal (json_object_get_string_member (event, "uid"), uid))
        return json_object_get_int_member (event, "sequence");
    }
  return -1;
}

static void
test_oncall_feeds (Fixture *fixture, gconstpointer data)
{
  g_autofree char *lead = td_test_login (fixture->server, "lead");
  g_autofree char *rota = NULL;
  g_autofree char *slot = NULL;
  g_autofree char *person = g_strdup_printf ("person/%s", ALICE);
  g_autofree char *key = NULL;
  g_autofree char *new_key = NULL;
  g_autoptr (TdRotation) expected = NULL;
  g_autoptr (TdTestResponse) status = NULL;
  g_autoptr (TdTestResponse) reset = NULL;
  g_autoptr (TdTestResponse) wrong = NULL;
  g_autoptr (TdTestResponse) none = NULL;
  g_autoptr (TdTestResponse) feed = NULL;
  g_autoptr (TdTestResponse) person_feed = NULL;
  g_autoptr (JsonObject) parsed = NULL;
  g_autoptr (JsonObject) parsed_person = NULL;
  JsonArray *events;

  make_people (fixture, lead);
  rota = make_rota (fixture, lead, "2026-01-05");
  slot = g_strdup_printf ("slot/%s/primary", rota);
  expected = expected_rota (rota, "2026-01-05");

  status = td_test_request (fixture->server, "GET", "/me/feed-key", lead, NULL);
  g_assert_cmpuint (status->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (td_test_object (status), "has_key"));
  reset = td_test_request (fixture->server, "POST", "/me/feed-key", lead, NULL);
  g_assert_cmpuint (reset->status, ==, 200);
  key = g_strdup (json_object_get_string_member (td_test_object (reset), "key"));
  g_assert_cmpuint (strlen (key), ==, 64);

  /* Without the key, or with a wrong one, there is no feed. */
  none = get_feed (fixture, slot, NULL);
  g_assert_cmpuint (none->status, ==, 404);
  wrong = get_feed (fixture, slot,
                    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_assert_cmpuint (wrong->status, ==, 404);

  feed = get_feed (fixture, slot, key);
  g_assert_cmpuint (feed->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (feed->headers, NULL),
                                   "text/calendar"));
  parsed = parse_ics (feed->text);
  events = assert_feed_matches (parsed, expected, "primary", NULL);

  person_feed = get_feed (fixture, person, key);
  g_assert_cmpuint (person_feed->status, ==, 200);
  parsed_person = parse_ics (person_feed->text);
  assert_feed_matches (parsed_person, expected, NULL, ALICE);

  /* An override in the third event's shift raises its SEQUENCE and leaves
   * the others alone; the feed shows Carol there. */
  {
    JsonObject      *third = json_array_get_object_element (events, 2);
    JsonObject      *fifth = json_array_get_object_element (events, 4);
    g_autofree char *third_uid = g_strdup (json_object_get_string_member (third, "uid"));
    g_autofree char *fifth_uid = g_strdup (json_object_get_string_member (fifth, "uid"));
    gint64           third_before = json_object_get_int_member (third, "sequence");
    gint64           fifth_before = json_object_get_int_member (fifth, "sequence");
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *fields = NULL;
    g_autoptr (JsonObject) override = NULL;
    g_autoptr (TdTestResponse) after = NULL;
    g_autoptr (JsonObject) parsed_after = NULL;
    g_autoptr (TdRotaOverride) model = NULL;
    TdInstant start;

    g_assert_true (td_time_parse_instant (json_object_get_string_member (third, "start"), &start));
    fields
        = g_strdup_printf ("{\"rotation\": \"%s\", \"position\": \"primary\", \"person\": \"%s\","
                           " \"starts_at\": %" G_GINT64_FORMAT ", \"ends_at\": %" G_GINT64_FORMAT
                           ", \"reason\": \"Sick leave\"}",
                           rota, CAROL, start + 24 * 3600, start + 3 * 24 * 3600);
    override = apply (fixture, lead, "create", "rota_override", id, -1, fields);
    assert_applied (override);
    model = td_rota_override_new (id, "primary", CAROL, start + 24 * 3600, start + 3 * 24 * 3600,
                                  "Sick leave");
    g_assert_true (td_rotation_add_override (expected, model, NULL));

    after = get_feed (fixture, slot, key);
    g_assert_cmpuint (after->status, ==, 200);
    parsed_after = parse_ics (after->text);
    events = assert_feed_matches (parsed_after, expected, "primary", NULL);
    g_assert_cmpint (sequence_of_uid (events, third_uid), >, third_before);
    g_assert_cmpint (sequence_of_uid (events, fifth_uid), ==, fifth_before);
  }

  /* A reset key replaces the old one at once. */
  {
    g_autoptr (TdTestResponse) again
        = td_test_request (fixture->server, "POST", "/me/feed-key", lead, NULL);
    g_autoptr (TdTestResponse) old = NULL;
    g_autoptr (TdTestResponse) fresh = NULL;
    g_autoptr (TdTestResponse) state = NULL;

    new_key = g_strdup (json_object_get_string_member (td_test_object (again), "key"));
    g_assert_cmpstr (new_key, !=, key);
    old = get_feed (fixture, slot, key);
    g_assert_cmpuint (old->status, ==, 404);
    fresh = get_feed (fixture, slot, new_key);
    g_assert_cmpuint (fresh->status, ==, 200);
    state = td_test_request (fixture->server, "GET", "/me/feed-key", lead, NULL);
    g_assert_true (json_object_get_boolean_member (td_test_object (state), "has_key"));
    /* The key never comes back from a GET. */
    g_assert_null (strstr (state->text, new_key));
  }
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/server/api/health", test_health);
  ADD ("/server/api/login-logout", test_login_logout);
  ADD ("/server/api/rate-limit", test_wrong_password_and_rate_limit);
  ADD ("/server/api/tickets", test_tickets_resource);
  ADD ("/server/api/tickets/missing-fields", test_ticket_missing_fields);
  ADD ("/server/api/tickets/escalation", test_escalation_rules);
  ADD ("/server/api/changes", test_changes_feed);
  ADD ("/server/api/changes/open", test_open_snapshot);
  ADD ("/server/api/commands/idempotent", test_commands_idempotent);
  ADD ("/server/api/commands/restart", test_restart_between_pushes);
  ADD ("/server/api/commands/conflict-and-tombstone", test_conflict_and_tombstone);
  ADD ("/server/api/errors", test_error_codes);
  ADD ("/server/api/permissions", test_permission_matrix);
  ADD ("/server/api/policy", test_policy_endpoint);
  ADD ("/server/api/audit", test_audit_log);
  ADD ("/server/api/disable-revokes", test_disable_revokes);
  ADD ("/server/api/stream", test_stream_notifies);
  ADD ("/server/api/backup-under-load", test_backup_under_load);
  ADD ("/server/api/restore", test_restore_new_epoch);
  ADD ("/server/api/tombstone-horizon", test_tombstone_horizon);
  ADD ("/server/api/outside-api", test_outside_api);
  ADD ("/server/api/training/records", test_training_records);
  ADD ("/server/api/training/validation", test_training_validation);
  ADD ("/server/api/rota/permissions", test_rota_permissions);
  ADD ("/server/api/rota/validation", test_rota_validation);
  ADD ("/server/api/rota/swaps", test_rota_swaps);
  ADD ("/server/api/shift-handoff", test_shift_handoff);
  ADD ("/server/api/change-record", test_change_record);
  ADD ("/server/api/oncall/feeds", test_oncall_feeds);
  ADD ("/server/cli/init-refuses-overwrite", test_cli_init_refuses_overwrite);
  g_test_add_func ("/server/api/tls", test_tls);

  return g_test_run ();
}
