/* test-approvals.c — data-correction [4.5] and tool-access [9.2] requests: routing, who may
 * decide, and the audit log, against the real tierdeskd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "td-test-server.h"
#include "td-test-util.h"

/* One account per role the authority table [4.5] and access provisioning
 * [9.2] name, two leads so one can approve the other's request. */
static const char *const accounts[] = {
  "analyst:service-desk-analyst",   "deskmanager:service-desk-manager",
  "appsupport:app-support-analyst", "lead:app-support-lead",
  "lead2:app-support-lead",         "engineer:engineer",
  "engmanager:engineering-manager", "director:it-director",
  "compliance:compliance-officer",  NULL,
};

typedef struct
{
  TdTestServer *server;
  GHashTable   *tokens; /* username → token */
} Fixture;

/* The directory entries the accounts stand for (access depends on the
 * person's tier). */
static const struct
{
  const char *username;
  const char *name;
  const char *role;
  int         tier;
} people[] = {
  { "analyst", "Desmond Hale", "service-desk-analyst", 1 },
  { "appsupport", "Ana Ruiz", "app-support-analyst", 2 },
  { "lead", "Lee Park", "app-support-lead", 2 },
  { "engineer", "Eve Stone", "engineer", 3 },
};

static char *
person_uuid (const char *username)
{
  /* Fixed, so the tables below can name them. */
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if (g_str_equal (people[i].username, username))
      return g_strdup_printf ("00000000-0000-4000-8000-0000000000%02u", i + 1);
  g_assert_not_reached ();
}

static JsonObject *send (Fixture    *fixture,
                         const char *username,
                         const char *type,
                         const char *entity,
                         const char *entity_id,
                         gint64      base_rev,
                         const char *fields);

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  sqlite3 *db = NULL;

  fixture->server = td_test_server_new (accounts);
  td_test_server_start (fixture->server);
  fixture->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (fixture->tokens, g_strdup ("admin"),
                       td_test_login (fixture->server, "admin"));

  g_assert_cmpint (sqlite3_open (fixture->server->db, &db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *uuid = person_uuid (people[i].username);
      g_autofree char *fields
          = g_strdup_printf ("{\"name\": \"%s\", \"role\": \"%s\", \"tier\": %d}", people[i].name,
                             people[i].role, people[i].tier);
      g_autofree char *sql = g_strdup_printf (
          "UPDATE account SET person = '%s' WHERE username = '%s'", uuid, people[i].username);
      JsonObject *result = send (fixture, "admin", "create", "person", uuid, -1, fields);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
      json_object_unref (result);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_close (db);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_hash_table_unref (fixture->tokens);
  td_test_server_free (fixture->server);
}

static const char *
token_of (Fixture *fixture, const char *username)
{
  const char *token = g_hash_table_lookup (fixture->tokens, username);

  if (token == NULL)
    {
      token = td_test_login (fixture->server, username);
      g_hash_table_insert (fixture->tokens, g_strdup (username), (char *) token);
    }
  return token;
}

/* One command as @username; returns its result (a new reference). */
/* What the server records as the actor: the account's person, or else its name. */
static char *
actor_of (const char *username)
{
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if (g_str_equal (people[i].username, username))
      return person_uuid (username);
  return g_strdup (username);
}

static JsonObject *
send (Fixture    *fixture,
      const char *username,
      const char *type,
      const char *entity,
      const char *entity_id,
      gint64      base_rev,
      const char *fields)
{
  return td_test_server_command (fixture->server, token_of (fixture, username), type, entity,
                                 entity_id, base_rev, fields);
}

static const char *
result_row_text (JsonObject *result, const char *name)
{
  JsonObject *row = json_object_get_object_member (result, "row");

  return json_object_get_string_member_with_default (row, name, NULL);
}

/* Checks a result against the table: "applied", or "CODE FIELD: REASON". */
static void
assert_result (JsonObject *result, const char *expected)
{
  const char *status = json_object_get_string_member (result, "status");

  if (g_str_equal (expected, "applied"))
    {
      if (!g_str_equal (status, "applied"))
        g_error ("expected applied, got %s: %s", status,
                 json_object_get_string_member_with_default (result, "reason", "?"));
    }
  else
    {
      g_autofree char *got = NULL;

      g_assert_cmpstr (status, ==, "rejected");
      got = g_strdup_printf ("%s %s: %s", json_object_get_string_member (result, "code"),
                             json_object_get_string_member_with_default (result, "field", "-"),
                             json_object_get_string_member (result, "reason"));
      g_assert_cmpstr (got, ==, expected);
    }
}

static gint64
result_rev (JsonObject *result)
{
  return json_object_get_int_member (result, "rev");
}

/* Files a correction of @type as @requester; returns its uuid, NULL if refused. */
static char *
file_correction (Fixture *fixture, const char *requester, const char *type, JsonObject **out)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf (
      "{\"correction_type\": \"%s\", \"affected_user_id\": \"E10442, E10443\", "
      "\"description\": \"Annual leave balance is 3 days short after the payroll sync\", "
      "\"evidence\": \"Payroll export line 118; HRIS shows 25 days\"}",
      type);

  *out = send (fixture, requester, "create", "correction_request", uuid, -1, fields);
  return g_str_equal (json_object_get_string_member (*out, "status"), "applied")
             ? g_steal_pointer (&uuid)
             : NULL;
}

/* Filing: each correction type × requesting role [4.5] */

static const struct
{
  const char *type;
  const char *requester;
  const char *expected;
  const char *approver_role; /* routed to, when applied */
} filing[] = {
  { "single-balance", "appsupport", "applied", "app-support-lead" },
  /* A lead's own request goes to the next manager the table names. */
  { "single-balance", "lead", "applied", "service-desk-manager" },
  { "single-balance", "engineer",
    "forbidden correction_type: correction_type: Single user balance "
    "is a Tier 2 correction: only Application Support Analyst or "
    "Application Support Lead may perform it, not Engineer" },
  { "single-balance", "analyst",
    "forbidden -: a Service Desk Analyst may not request a data "
    "correction (correction.request)" },
  { "bulk-balance", "lead", "applied", "it-director" },
  { "bulk-balance", "appsupport",
    "forbidden correction_type: correction_type: Bulk balance "
    "adjustment is a Tier 2 correction: only Application Support "
    "Lead may perform it, not Application Support Analyst" },
  { "historical", "engineer", "applied", "compliance-officer" },
  { "historical", "engmanager", "applied", "compliance-officer" },
  { "historical", "appsupport",
    "forbidden correction_type: correction_type: Historical data is a "
    "Tier 3 correction: only Engineer, Senior Backend Engineer, DBA or "
    "Engineering Manager may perform it, not Application Support "
    "Analyst" },
  /* Audit-sensitive data is refused at Tier 2 (and everywhere), with the reason. */
  { "audit-sensitive", "appsupport",
    "rule correction_type: correction_type: Audit-sensitive data "
    "may not be corrected: prohibited (Never at Tier 2)" },
  { "audit-sensitive", "lead",
    "rule correction_type: correction_type: Audit-sensitive data may "
    "not be corrected: prohibited (Never at Tier 2)" },
  { "payroll-rerun", "lead",
    "invalid correction_type: correction_type: unknown correction type "
    "\"payroll-rerun\"" },
};

static void
test_correction_filing (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (filing); i++)
    {
      g_autoptr (JsonObject) result = NULL;
      g_autofree char *uuid = NULL;

      g_test_message ("%s by %s", filing[i].type, filing[i].requester);
      uuid = file_correction (fixture, filing[i].requester, filing[i].type, &result);
      assert_result (result, filing[i].expected);
      if (uuid == NULL)
        continue;
      g_assert_cmpstr (result_row_text (result, "status"), ==, "pending");
      g_assert_cmpstr (result_row_text (result, "approver_role"), ==, filing[i].approver_role);
      g_assert_cmpstr (result_row_text (result, "evidence"), ==,
                       "Payroll export line 118; HRIS shows 25 days");
      g_assert_cmpstr (result_row_text (result, "affected_user_id"), ==, "E10442, E10443");
    }
}

static void
test_correction_missing (Fixture *fixture, gconstpointer data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr (JsonObject) no_description
      = send (fixture, "appsupport", "create", "correction_request", uuid, -1,
              "{\"correction_type\": \"single-balance\", \"affected_user_id\": \"E1\"}");
  g_autoptr (JsonObject) no_user
      = send (fixture, "appsupport", "create", "correction_request", uuid, -1,
              "{\"correction_type\": \"single-balance\", \"description\": \"3 days short\"}");

  assert_result (no_description,
                 "missing_fields description: required fields are missing: description");
  assert_result (no_user,
                 "missing_fields affected_user_id: required fields are missing: affected_user_id");
}

/* Deciding: who may approve or reject each type */

static const struct
{
  const char *type;
  const char *requester;
  const char *decider;
  const char *status;
  const char *note;
  const char *expected;
} deciding[] = {
  { "single-balance", "appsupport", "lead", "approved", NULL, "applied" },
  { "single-balance", "appsupport", "engmanager", "approved", NULL, "applied" },
  { "single-balance", "appsupport", "deskmanager", "rejected", "Balance is right after accrual",
    "applied" },
  { "single-balance", "appsupport", "deskmanager", "rejected", NULL,
    "missing_fields decision_note: decision_note: a rejection needs a reason" },
  { "single-balance", "appsupport", "deskmanager", "rejected", "  ",
    "missing_fields decision_note: decision_note: a rejection needs a reason" },
  { "single-balance", "appsupport", "engineer", "approved", NULL,
    "forbidden status: status: Manager approval for a Single user balance correction comes from "
    "the Application Support Lead, Service Desk Manager or Engineering Manager, not from the "
    "Engineer" },
  { "single-balance", "appsupport", "appsupport", "approved", NULL,
    "forbidden status: status: Manager approval for a Single user balance correction comes from "
    "the Application Support Lead, Service Desk Manager or Engineering Manager, not from the "
    "Application Support Analyst" },
  { "single-balance", "lead", "lead2", "approved", NULL, "applied" },
  { "single-balance", "lead", "lead", "approved", NULL,
    "forbidden status: status: nobody may decide their own request; it goes to the Service Desk "
    "Manager" },
  { "bulk-balance", "lead", "director", "approved", NULL, "applied" },
  { "bulk-balance", "lead", "engmanager", "approved", NULL,
    "forbidden status: status: Director approval for a Bulk balance adjustment correction comes "
    "from the IT Director, not from the Engineering Manager" },
  { "historical", "engineer", "compliance", "approved", NULL, "applied" },
  { "historical", "engineer", "compliance", "rejected", "Outside the retention window", "applied" },
  { "historical", "engineer", "engmanager", "approved", NULL,
    "forbidden status: status: Compliance approval for a Historical data correction comes from "
    "the Compliance Officer, not from the Engineering Manager" },
  { "historical", "engineer", "engineer", "cancelled", NULL, "applied" },
  { "historical", "engineer", "compliance", "cancelled", NULL,
    "forbidden status: status: only the requester may withdraw a request" },
  { "historical", "engineer", "compliance", "done", NULL,
    "invalid status: status: \"done\" is not a decision (expected approved, rejected, applied or "
    "cancelled)" },
};

static void
test_correction_deciding (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (deciding); i++)
    {
      g_autoptr (JsonObject) filed = NULL;
      g_autoptr (JsonObject) result = NULL;
      g_autofree char *uuid = NULL;
      g_autofree char *fields = NULL;

      g_test_message ("%s by %s, %s by %s", deciding[i].type, deciding[i].requester,
                      deciding[i].status, deciding[i].decider);
      uuid = file_correction (fixture, deciding[i].requester, deciding[i].type, &filed);
      g_assert_nonnull (uuid);
      fields = deciding[i].note != NULL
                   ? g_strdup_printf ("{\"status\": \"%s\", \"decision_note\": \"%s\"}",
                                      deciding[i].status, deciding[i].note)
                   : g_strdup_printf ("{\"status\": \"%s\"}", deciding[i].status);
      result = send (fixture, deciding[i].decider, "update", "correction_request", uuid,
                     result_rev (filed), fields);
      assert_result (result, deciding[i].expected);
      if (g_str_equal (deciding[i].expected, "applied"))
        {
          g_assert_cmpstr (result_row_text (result, "status"), ==, deciding[i].status);
          if (!g_str_equal (deciding[i].status, "cancelled"))
            {
              g_autofree char *actor = actor_of (deciding[i].decider);

              g_assert_cmpstr (result_row_text (result, "decided_by"), ==, actor);
              g_assert_true (json_object_get_int_member (
                                 json_object_get_object_member (result, "row"), "decided_at")
                             > 0);
            }
        }
    }
}

/* After approval, the performer applies it; a decision is final. */
static void
test_correction_lifecycle (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) filed = NULL;
  g_autoptr (JsonObject) early = NULL;
  g_autoptr (JsonObject) approved = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) wrong = NULL;
  g_autoptr (JsonObject) applied = NULL;
  g_autoptr (JsonObject) deleted = NULL;
  g_autofree char *uuid = file_correction (fixture, "appsupport", "single-balance", &filed);
  g_autoptr (TdTestResponse) audit = NULL;
  g_autoptr (GString) actions = g_string_new (NULL);
  JsonArray *rows;

  g_assert_nonnull (uuid);
  early = send (fixture, "appsupport", "update", "correction_request", uuid, result_rev (filed),
                "{\"status\": \"applied\"}");
  assert_result (early, "rule status: status: a request that is pending cannot become applied");

  approved = send (fixture, "lead", "update", "correction_request", uuid, result_rev (filed),
                   "{\"status\": \"approved\", \"decision_note\": \"Matches payroll\"}");
  assert_result (approved, "applied");
  g_assert_cmpstr (result_row_text (approved, "approver_role"), ==, "app-support-lead");

  again = send (fixture, "deskmanager", "update", "correction_request", uuid, result_rev (approved),
                "{\"status\": \"rejected\", \"decision_note\": \"No\"}");
  assert_result (again, "rule status: status: a request that is approved cannot become rejected");

  wrong = send (fixture, "engineer", "update", "correction_request", uuid, result_rev (approved),
                "{\"status\": \"applied\"}");
  assert_result (wrong, "forbidden status: status: a Single user balance correction is applied "
                        "by the Application Support Analyst or Application Support Lead, not by "
                        "the Engineer");

  applied = send (fixture, "appsupport", "update", "correction_request", uuid,
                  result_rev (approved), "{\"status\": \"applied\"}");
  assert_result (applied, "applied");
  {
    g_autofree char *actor = actor_of ("appsupport");
    g_assert_cmpstr (result_row_text (applied, "applied_by"), ==, actor);
  }

  /* A decision is a record: nobody deletes it. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *body = g_strdup_printf (
        "{\"commands\": [{\"id\": \"%s\", \"type\": \"delete\", \"entity\": "
        "\"correction_request\", \"entity_id\": \"%s\", \"base_rev\": %" G_GINT64_FORMAT "}]}",
        id, uuid, result_rev (applied));
    g_autoptr (TdTestResponse) response
        = td_test_request (fixture->server, "POST", "/commands", token_of (fixture, "admin"), body);
    deleted = json_object_ref (json_array_get_object_element (
        json_object_get_array_member (td_test_object (response), "results"), 0));
    g_assert_cmpstr (json_object_get_string_member (deleted, "status"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (deleted, "code"), ==, "forbidden");
    g_assert_cmpstr (json_object_get_string_member (deleted, "reason"), ==,
                     "correction_request: a request is a record and is never deleted; the "
                     "requester withdraws it (status cancelled)");
  }

  /* Every decision is in the audit log, under its own name and actor. */
  audit = td_test_request (fixture->server, "GET", "/audit?limit=1000", token_of (fixture, "admin"),
                           NULL);
  g_assert_cmpuint (audit->status, ==, 200);
  rows = json_node_get_array (audit->json);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (row, "entity_id", NULL), uuid)
          == 0)
        g_string_append_printf (actions, "%s by %s;", json_object_get_string_member (row, "action"),
                                json_object_get_string_member (row, "actor"));
    }
  /* The log is newest first. */
  g_assert_cmpstr (actions->str, ==,
                   "delete correction_request (rejected) by admin;"
                   "apply correction_request by appsupport;"
                   "update correction_request (rejected) by engineer;"
                   "update correction_request (rejected) by deskmanager;"
                   "approve correction_request by lead;"
                   "update correction_request (rejected) by appsupport;"
                   "request correction_request by appsupport;");
}

/* Tool access [9.1, 9.2]: per tool, for the person's tier */

static const struct
{
  const char *requester;
  const char *for_whom;
  const char *tool;
  const char *level;
  const char *expected;
  const char *granted_level;
  const char *approver_role;
} access_cases[] = {
  { "appsupport", NULL, "apm", NULL, "applied", "full", "app-support-lead" },
  { "appsupport", NULL, "database-client", "read", "applied", "read", "app-support-lead" },
  { "appsupport", NULL, "database-client", NULL, "applied", "read", "app-support-lead" },
  { "appsupport", NULL, "database-client", "full",
    "rule level: level: Tier 2 may have Database Client only with read access, not full" },
  { "appsupport", NULL, "ci-cd", NULL,
    "rule tool: tool: CI/CD Pipeline is for Tier 3, not Tier 2" },
  { "appsupport", NULL, "spreadsheet", NULL, "invalid tool: tool: unknown tool \"spreadsheet\"" },
  { "appsupport", NULL, "apm", "admin",
    "invalid level: level: unknown access level \"admin\" (expected full, read or limited)" },
  { "analyst", NULL, "lms-admin-console", NULL, "applied", "limited", "service-desk-manager" },
  { "engineer", NULL, "source-code", NULL, "applied", "full", "engineering-manager" },
  { "engineer", NULL, "database-client", "full", "applied", "full", "engineering-manager" },
  /* Only managers file for someone else. */
  { "appsupport", "engineer", "source-code", NULL,
    "forbidden person: person: requesting access for someone else needs person.write, which the "
    "Application Support Analyst lacks" },
  { "lead", "appsupport", "pagerduty", NULL, "applied", "full", "app-support-lead" },
};

static char *
file_access (Fixture     *fixture,
             const char  *requester,
             const char  *for_whom,
             const char  *tool,
             const char  *level,
             JsonObject **out)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *person = for_whom != NULL ? person_uuid (for_whom) : NULL;
  g_autoptr (GString) fields = g_string_new ("{");

  g_string_append_printf (fields, "\"tool\": \"%s\", \"reason\": \"On-call from next week\"", tool);
  if (level != NULL)
    g_string_append_printf (fields, ", \"level\": \"%s\"", level);
  if (person != NULL)
    g_string_append_printf (fields, ", \"person\": \"%s\"", person);
  g_string_append (fields, "}");
  *out = send (fixture, requester, "create", "access_request", uuid, -1, fields->str);
  return g_str_equal (json_object_get_string_member (*out, "status"), "applied")
             ? g_steal_pointer (&uuid)
             : NULL;
}

static void
test_access_filing (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (access_cases); i++)
    {
      g_autoptr (JsonObject) result = NULL;
      g_autofree char *uuid = NULL;

      g_test_message ("%s asks for %s (%s)", access_cases[i].requester, access_cases[i].tool,
                      access_cases[i].level != NULL ? access_cases[i].level : "default level");
      uuid = file_access (fixture, access_cases[i].requester, access_cases[i].for_whom,
                          access_cases[i].tool, access_cases[i].level, &result);
      assert_result (result, access_cases[i].expected);
      if (uuid == NULL)
        continue;
      g_assert_cmpstr (result_row_text (result, "level"), ==, access_cases[i].granted_level);
      g_assert_cmpstr (result_row_text (result, "approver_role"), ==,
                       access_cases[i].approver_role);
      g_assert_cmpstr (result_row_text (result, "status"), ==, "pending");
    }
}

static void
test_access_deciding (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) filed = NULL;
  g_autoptr (JsonObject) own_filed = NULL;
  g_autoptr (JsonObject) wrong = NULL;
  g_autoptr (JsonObject) no_reason = NULL;
  g_autoptr (JsonObject) approved = NULL;
  g_autoptr (JsonObject) own = NULL;
  g_autoptr (JsonObject) revoked = NULL;
  g_autoptr (JsonObject) early_revoke = NULL;
  g_autoptr (JsonObject) revoke_wrong_role = NULL;
  g_autoptr (JsonObject) revoke_by_holder = NULL;
  g_autoptr (JsonObject) revoke_no_reason = NULL;
  g_autoptr (JsonObject) revoke_blank = NULL;
  gboolean         revoke_audited = FALSE;
  g_autofree char *uuid = file_access (fixture, "appsupport", NULL, "apm", NULL, &filed);
  g_autofree char *own_uuid = file_access (fixture, "lead", NULL, "apm", NULL, &own_filed);
  g_autoptr (TdTestResponse) audit = NULL;
  gboolean   found = FALSE;
  JsonArray *rows;

  g_assert_nonnull (uuid);
  wrong = send (fixture, "engmanager", "update", "access_request", uuid, result_rev (filed),
                "{\"status\": \"approved\"}");
  assert_result (wrong, "forbidden status: status: this access request is decided by the "
                        "Application Support Lead [9.2], not by the Engineering Manager");
  no_reason = send (fixture, "lead", "update", "access_request", uuid, result_rev (filed),
                    "{\"status\": \"rejected\"}");
  assert_result (no_reason,
                 "missing_fields decision_note: decision_note: a rejection needs a reason");
  /* Nothing granted yet, so nothing to revoke. */
  early_revoke = send (fixture, "lead", "update", "access_request", uuid, result_rev (filed),
                       "{\"status\": \"revoked\", \"decision_note\": \"Too early\"}");
  assert_result (early_revoke,
                 "rule status: status: a request that is pending cannot become revoked");
  approved = send (fixture, "lead", "update", "access_request", uuid, result_rev (filed),
                   "{\"status\": \"approved\", \"decision_note\": \"For the APM rollout\"}");
  assert_result (approved, "applied");
  {
    g_autofree char *actor = actor_of ("lead");
    g_assert_cmpstr (result_row_text (approved, "decided_by"), ==, actor);
  }
  g_assert_true (
      json_object_get_int_member (json_object_get_object_member (approved, "row"), "granted_at")
      > 0);
  /* Revoking: only the approver the request was routed to, and with a
   * reason of its own (the approval's note does not count). */
  revoke_wrong_role
      = send (fixture, "engmanager", "update", "access_request", uuid, result_rev (approved),
              "{\"status\": \"revoked\", \"decision_note\": \"Moved to Tier 1\"}");
  assert_result (revoke_wrong_role,
                 "forbidden status: status: this access request is decided by the Application "
                 "Support Lead [9.2], not by the Engineering Manager");
  revoke_by_holder
      = send (fixture, "appsupport", "update", "access_request", uuid, result_rev (approved),
              "{\"status\": \"revoked\", \"decision_note\": \"I no longer need it\"}");
  assert_result (revoke_by_holder,
                 "forbidden status: status: this access request is decided by the Application "
                 "Support Lead [9.2], not by the Application Support Analyst");
  revoke_no_reason = send (fixture, "lead", "update", "access_request", uuid, result_rev (approved),
                           "{\"status\": \"revoked\"}");
  assert_result (revoke_no_reason,
                 "missing_fields decision_note: decision_note: a revocation needs a reason");
  revoke_blank = send (fixture, "lead", "update", "access_request", uuid, result_rev (approved),
                       "{\"status\": \"revoked\", \"decision_note\": \"  \"}");
  assert_result (revoke_blank,
                 "missing_fields decision_note: decision_note: a revocation needs a reason");
  revoked = send (fixture, "lead", "update", "access_request", uuid, result_rev (approved),
                  "{\"status\": \"revoked\", \"decision_note\": \"Moved to Tier 1\"}");
  assert_result (revoked, "applied");
  g_assert_cmpstr (result_row_text (revoked, "status"), ==, "revoked");
  g_assert_cmpstr (result_row_text (revoked, "decision_note"), ==, "Moved to Tier 1");
  g_assert_true (
      json_object_get_int_member (json_object_get_object_member (revoked, "row"), "revoked_at")
      > 0);

  /* The lead's own request waits for another lead. */
  g_assert_nonnull (own_uuid);
  own = send (fixture, "lead", "update", "access_request", own_uuid, result_rev (own_filed),
              "{\"status\": \"approved\"}");
  assert_result (own, "forbidden status: status: nobody may decide their own access; another "
                      "Application Support Lead must");

  audit = td_test_request (fixture->server, "GET", "/audit?limit=1000", token_of (fixture, "admin"),
                           NULL);
  rows = json_node_get_array (audit->json);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (row, "entity_id", NULL), uuid) == 0
          && g_str_equal (json_object_get_string_member (row, "action"), "approve access_request"))
        {
          found = TRUE;
          g_assert_cmpstr (json_object_get_string_member (row, "actor"), ==, "lead");
        }
      if (g_strcmp0 (json_object_get_string_member_with_default (row, "entity_id", NULL), uuid) == 0
          && g_str_equal (json_object_get_string_member (row, "action"), "revoke access_request"))
        {
          revoke_audited = TRUE;
          g_assert_cmpstr (json_object_get_string_member (row, "actor"), ==, "lead");
        }
    }
  g_assert_true (found);
  g_assert_true (revoke_audited);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/approvals/correction/filing", test_correction_filing);
  ADD ("/server/approvals/correction/missing", test_correction_missing);
  ADD ("/server/approvals/correction/deciding", test_correction_deciding);
  ADD ("/server/approvals/correction/lifecycle", test_correction_lifecycle);
  ADD ("/server/approvals/access/filing", test_access_filing);
  ADD ("/server/approvals/access/deciding", test_access_deciding);
#undef ADD

  return g_test_run ();
}
