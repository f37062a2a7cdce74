/* test-knowledge-api.c — tierdeskd's knowledge base and post-incident
 * reviews [3.4, 9.1, 10.2]: who may publish, resolution classes, the
 * documentation clock, reviews made on resolve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "td-test-server.h"
#include "td-test-util.h"

static const char *const accounts[] = {
  "analyst:service-desk-analyst",
  "deskmanager:service-desk-manager",
  "engineer:engineer",
  "trainer:trainer",
  NULL,
};

#define ENGINEER_PERSON "e0000000-0000-4000-8000-00000000000e"

typedef struct
{
  TdTestServer *server;
  char         *admin;
  char         *analyst;
  char         *manager;
  char         *engineer;
  char         *trainer;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = td_test_server_new (accounts);
  td_test_server_start (fixture->server);
  fixture->admin = td_test_login (fixture->server, "admin");
  fixture->analyst = td_test_login (fixture->server, "analyst");
  fixture->manager = td_test_login (fixture->server, "deskmanager");
  fixture->engineer = td_test_login (fixture->server, "engineer");
  fixture->trainer = td_test_login (fixture->server, "trainer");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_free (fixture->admin);
  g_free (fixture->analyst);
  g_free (fixture->manager);
  g_free (fixture->engineer);
  g_free (fixture->trainer);
  td_test_server_free (fixture->server);
}

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

static gint64
row_rev (JsonObject *result)
{
  return json_object_get_int_member (json_object_get_object_member (result, "row"), "rev");
}

static sqlite3 *
open_db (Fixture *fixture)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->server->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static gint64
query_int (Fixture *fixture, const char *sql)
{
  sqlite3 *db = open_db (fixture);
  gint64   value = td_test_query_int (db, sql);

  sqlite3_close (db);
  return value;
}

/* A ticket triaged high impact, @urgency: SEV-2 for "medium" [5.1]. */
static char *
create_ticket (Fixture *fixture, const char *urgency)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf (
      "{\"title\": \"Gradebook does not sync to the SIS\", \"description\": \"Final grades "
      "entered in the LMS are missing in the student information system\", "
      "\"affected_user_id\": \"S20931\", \"contact\": \"registrar@example.edu\", "
      "\"steps_to_reproduce\": \"Enter a final grade, wait for the nightly sync\", "
      "\"error_message\": \"SIS export: 0 records\", \"impact\": \"high\", \"urgency\": \"%s\", "
      "\"occurred_at\": \"2026-11-20T09:00:00Z\"}",
      urgency);
  g_autoptr (JsonObject) result
      = apply (fixture, fixture->analyst, "create", "ticket", uuid, -1, fields);

  assert_applied (result);
  return g_steal_pointer (&uuid);
}

static char *
create_article (Fixture *fixture, const char *token, const char *kind, const char *status)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf (
      "{\"title\": \"Grades missing after the nightly SIS sync\", \"kind\": \"%s\", \"status\": "
      "\"%s\", \"body\": \"The export skips courses whose term code changed.\", \"workaround\": "
      "\"Re-run the export for the course from the admin console.\", \"tags\": [\"grades\", "
      "\"sis\"], \"tiers\": [1, 2]}",
      kind, status);
  g_autoptr (JsonObject) result = apply (fixture, token, "create", "article", uuid, -1, fields);

  assert_applied (result);
  return g_steal_pointer (&uuid);
}

static JsonObject *
append_event (Fixture *fixture, const char *token, const char *ticket, const char *rest)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{\"ticket\": \"%s\", %s}", ticket, rest);

  return apply (fixture, token, "append", "ticket_event", uuid, -1, fields);
}

static JsonObject *
resolve (Fixture *fixture, const char *ticket, gboolean new_issue)
{
  g_autofree char *rest = g_strdup_printf ("\"kind\": \"status\", \"data\": {\"status\": "
                                           "\"resolved\", \"resolution\": \"Export re-run\", "
                                           "\"new_issue\": %s}",
                                           new_issue ? "true" : "false");
  JsonObject      *result = append_event (fixture, fixture->analyst, ticket, rest);

  assert_applied (result);
  return result;
}

static JsonObject *
link_article (Fixture *fixture, const char *article, const char *ticket)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *fields
      = g_strdup_printf ("{\"article\": \"%s\", \"ticket\": \"%s\"}", article, ticket);

  return apply (fixture, fixture->analyst, "create", "article_link", uuid, -1, fields);
}

static void
test_publish_permissions (Fixture *fixture, gconstpointer data)
{
  g_autofree char *draft = create_article (fixture, fixture->analyst, "faq", "draft");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  g_autoptr (JsonObject) published = NULL;
  g_autoptr (JsonObject) edited = NULL;
  g_autoptr (JsonObject) publish = NULL;
  g_autoptr (JsonObject) analyst_edit = NULL;
  g_autoptr (JsonObject) trainer_draft = NULL;
  g_autoptr (JsonObject) analyst_delete = NULL;
  const char *fields = "{\"title\": \"Reset a password\", \"kind\": \"faq\", \"status\": "
                       "\"published\", \"body\": \"Use Forgot password on the sign-in page.\"}";

  /* A Tier 1 analyst drafts, but may not publish [9.1]. */
  published = apply (fixture, fixture->analyst, "create", "article", uuid, -1, fields);
  assert_rejected (published, "forbidden", NULL);
  g_assert_nonnull (
      strstr (json_object_get_string_member (published, "reason"), "knowledge.publish"));
  sql = g_strdup_printf ("SELECT rev FROM article WHERE uuid = '%s'", draft);
  edited = apply (fixture, fixture->analyst, "update", "article", draft, query_int (fixture, sql),
                  "{\"body\": \"The export skips courses whose term code changed mid-term.\"}");
  g_clear_pointer (&sql, g_free);
  assert_applied (edited);

  /* The service desk manager publishes it. */
  publish = apply (fixture, fixture->manager, "update", "article", draft, row_rev (edited),
                   "{\"status\": \"published\"}");
  assert_applied (publish);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (publish, "row"), "author"), ==,
      "analyst");

  /* Once published, only a publisher changes it or deletes it. */
  analyst_edit = apply (fixture, fixture->analyst, "update", "article", draft, row_rev (publish),
                        "{\"title\": \"Grades missing\"}");
  assert_rejected (analyst_edit, "forbidden", NULL);
  analyst_delete
      = apply (fixture, fixture->analyst, "delete", "article", draft, row_rev (publish), "{}");
  assert_rejected (analyst_delete, "forbidden", NULL);
  /* Deleting is for publishers even while it is a draft (the Knowledge
   * page shows Delete to them only); a publisher's deletion is a tombstone. */
  {
    g_autofree char *other = create_article (fixture, fixture->analyst, "faq", "draft");
    g_autofree char *rev_sql = g_strdup_printf ("SELECT rev FROM article WHERE uuid = '%s'", other);
    g_autofree char *gone_sql = NULL;
    g_autoptr (JsonObject) draft_delete = apply (fixture, fixture->analyst, "delete", "article",
                                                 other, query_int (fixture, rev_sql), "{}");
    g_autoptr (JsonObject) manager_delete = NULL;

    assert_rejected (draft_delete, "forbidden", NULL);
    g_assert_nonnull (
        strstr (json_object_get_string_member (draft_delete, "reason"), "knowledge.publish"));
    manager_delete = apply (fixture, fixture->manager, "delete", "article", other,
                            query_int (fixture, rev_sql), "{}");
    assert_applied (manager_delete);
    gone_sql = g_strdup_printf ("SELECT deleted FROM article WHERE uuid = '%s'", other);
    g_assert_cmpint (query_int (fixture, gone_sql), ==, 1);
  }
  /* A trainer is not in support: no drafting either. */
  {
    g_autofree char *other = g_uuid_string_random ();
    trainer_draft = apply (fixture, fixture->trainer, "create", "article", other, -1,
                           "{\"title\": \"T\", \"kind\": \"faq\", \"body\": \"B\"}");
    assert_rejected (trainer_draft, "forbidden", NULL);
  }

  /* Every saved version is kept: created, edited, published. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM article_revision WHERE article = '%s'", draft);
  g_assert_cmpint (query_int (fixture, sql), ==, 3);
  g_free (sql);
  sql = g_strdup_printf ("SELECT number FROM article_revision WHERE article = '%s' "
                         "AND status = 'published' AND author = 'deskmanager'",
                         draft);
  g_assert_cmpint (query_int (fixture, sql), ==, 3);
}

static void
test_article_validation (Fixture *fixture, gconstpointer data)
{
  struct
  {
    const char *fields;
    const char *field;
  } cases[] = {
    { "{\"title\": \" \", \"kind\": \"faq\", \"body\": \"B\"}", "title" },
    { "{\"title\": \"T\", \"kind\": \"howto\", \"body\": \"B\"}", "kind" },
    { "{\"title\": \"T\", \"kind\": \"faq\", \"body\": \"B\", \"tiers\": [1, 9]}", "tiers" },
    { "{\"title\": \"T\", \"kind\": \"faq\", \"body\": \"B\", \"status\": \"live\"}", "status" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autoptr (JsonObject) result
          = apply (fixture, fixture->analyst, "create", "article", uuid, -1, cases[i].fields);

      assert_rejected (result, "invalid", cases[i].field);
    }
  {
    g_autofree char *uuid = g_uuid_string_random ();
    g_autoptr (JsonObject) result
        = apply (fixture, fixture->analyst, "create", "article", uuid, -1,
                 "{\"title\": \"T\", \"kind\": \"faq\", \"body\": \"B\", \"tiers\": [1, 9]}");
    g_assert_cmpstr (json_object_get_string_member (result, "reason"), ==,
                     "tiers[1]: unknown tier 9 (the policy has tiers 1 to 4)");
  }
}

static void
test_resolve_with_known_issue (Fixture *fixture, gconstpointer data)
{
  g_autofree char *ticket = create_ticket (fixture, "low");
  g_autofree char *article = create_article (fixture, fixture->manager, "known_issue", "published");
  g_autoptr (JsonObject) linked = link_article (fixture, article, ticket);
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) resolved = NULL;
  JsonObject *row;

  assert_applied (linked);
  again = link_article (fixture, article, ticket);
  assert_rejected (again, "exists", "article");

  resolved = resolve (fixture, ticket, FALSE);
  row = json_object_get_object_member (resolved, "ticket");
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (row, "resolution_class"), ==,
                   "known_issue_documented");
  g_assert_cmpint (json_object_get_int_member (row, "new_issue"), ==, 0);
  g_assert_true (json_object_get_null_member (row, "documented_at"));
}

static void
test_documentation_clock (Fixture *fixture, gconstpointer data)
{
  g_autofree char *ticket = create_ticket (fixture, "low");
  g_autofree char *plain = create_ticket (fixture, "low");
  g_autoptr (JsonObject) resolved = resolve (fixture, ticket, TRUE);
  g_autoptr (JsonObject) plain_resolved = resolve (fixture, plain, FALSE);
  g_autofree char *article = NULL;
  g_autoptr (JsonObject) linked = NULL;
  JsonObject *row = json_object_get_object_member (resolved, "ticket");
  gint64      resolved_at = json_object_get_int_member (row, "resolved_at");

  /* The flag is a boolean, or the resolve is refused naming it. */
  {
    g_autofree char *other = create_ticket (fixture, "low");
    g_autoptr (JsonObject) refused = append_event (
        fixture, fixture->analyst, other,
        "\"kind\": \"status\", \"data\": {\"status\": \"resolved\", \"new_issue\": \"yes\"}");

    assert_rejected (refused, "invalid", "fields.data.new_issue");
  }

  /* Flagged new, nothing linked: the clock runs. */
  g_assert_cmpstr (json_object_get_string_member (row, "resolution_class"), ==, "new_issue");
  g_assert_cmpint (json_object_get_int_member (row, "new_issue"), ==, 1);
  g_assert_true (json_object_get_null_member (row, "documented_at"));
  /* Not flagged: no clock, no class. */
  row = json_object_get_object_member (plain_resolved, "ticket");
  g_assert_cmpint (json_object_get_int_member (row, "new_issue"), ==, 0);
  g_assert_true (json_object_get_null_member (row, "resolution_class"));

  /* Writing and linking the article stops it. */
  article = create_article (fixture, fixture->analyst, "known_issue", "draft");
  linked = link_article (fixture, article, ticket);
  assert_applied (linked);
  row = json_object_get_object_member (linked, "ticket");
  g_assert_nonnull (row);
  g_assert_cmpint (json_object_get_int_member (row, "documented_at"), >=, resolved_at);
  g_assert_cmpstr (json_object_get_string_member (row, "resolution_class"), ==, "new_issue");
}

static void
test_pir_on_sev2_resolve (Fixture *fixture, gconstpointer data)
{
  g_autofree char *ticket = create_ticket (fixture, "medium");
  g_autofree char *minor = create_ticket (fixture, "low");
  g_autofree char *sql = NULL;
  g_autoptr (GPtrArray) history = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3      *db;
  JsonArray    *timeline;
  JsonArray    *participants;
  gint64        resolved_at;

  /* The engineer is in the directory, so the review names them. */
  {
    g_autoptr (JsonObject) person
        = apply (fixture, fixture->admin, "create", "person", ENGINEER_PERSON, -1,
                 "{\"name\": \"Erin Engineer\", \"role\": \"engineer\", \"tier\": 3}");
    assert_applied (person);
    db = open_db (fixture);
    g_assert_cmpint (sqlite3_exec (db,
                                   "UPDATE account SET person = '" ENGINEER_PERSON
                                   "' WHERE username = 'engineer'",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }

  {
    g_autoptr (JsonObject) comment = append_event (
        fixture, fixture->engineer, ticket,
        "\"kind\": \"comment\", \"body\": \"SIS export job failed at 02:00 with a term-code "
        "mismatch\"");
    g_autoptr (JsonObject) update
        = append_event (fixture, fixture->analyst, ticket,
                        "\"kind\": \"update\", \"body\": \"We are re-running the export\"");
    g_autoptr (JsonObject) resolved = resolve (fixture, ticket, FALSE);
    g_autoptr (JsonObject) minor_resolved = resolve (fixture, minor, FALSE);

    assert_applied (comment);
    assert_applied (update);
    g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (resolved, "ticket"), "severity"),
                     ==, "SEV-2");
    resolved_at = json_object_get_int_member (json_object_get_object_member (resolved, "ticket"),
                                              "resolved_at");
  }

  /* One review, for the SEV-2 only, due five days on [10.2]. */
  sql = g_strdup_printf ("SELECT count (*) FROM pir WHERE ticket = '%s'", ticket);
  g_assert_cmpint (query_int (fixture, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM pir WHERE ticket = '%s'", minor);
  g_assert_cmpint (query_int (fixture, sql), ==, 0);
  g_free (sql);
  sql = g_strdup_printf ("SELECT due_at FROM pir WHERE ticket = '%s'", ticket);
  g_assert_cmpint (query_int (fixture, sql), ==, resolved_at + 5 * 24 * 3600);

  /* Its timeline is the ticket's history, event for event, oldest first. */
  db = open_db (fixture);
  g_free (sql);
  sql = g_strdup_printf ("SELECT at, kind, author FROM ticket_event WHERE ticket = '%s' "
                         "ORDER BY at, rev",
                         ticket);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (history, g_strdup_printf ("%lld %s %s", sqlite3_column_int64 (stmt, 0),
                                               sqlite3_column_text (stmt, 1),
                                               sqlite3_column_text (stmt, 2)));
  sqlite3_finalize (stmt);
  g_free (sql);
  sql = g_strdup_printf ("SELECT json_object ('timeline', json (timeline), 'participants', "
                         "json (participants)) FROM pir WHERE ticket = '%s'",
                         ticket);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0), -1, &error);
  g_assert_no_error (error);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  timeline = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "timeline");
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpuint (json_array_get_length (timeline), ==, history->len);
  for (guint i = 0; i < history->len; i++)
    {
      JsonObject      *entry = json_array_get_object_element (timeline, i);
      g_autofree char *line
          = g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", json_object_get_int_member (entry, "at"),
                             json_object_get_string_member (entry, "kind"),
                             json_object_get_string_member (entry, "author"));

      g_assert_cmpstr (line, ==, g_ptr_array_index (history, i));
    }
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (timeline, 0), "text"), ==,
      "SIS export job failed at 02:00 with a term-code mismatch");
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (timeline, 2), "text"), ==,
      "Status: resolved (Export re-run)");

  /* Whoever worked it is a required participant. */
  participants = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                               "participants");
  g_assert_cmpuint (json_array_get_length (participants), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (participants, 0), "name"), ==,
      "Erin Engineer");
  g_assert_true (
      json_object_get_boolean_member (json_array_get_object_element (participants, 0), "required"));

  /* Reopened and resolved again: still one review. */
  {
    g_autoptr (JsonObject) reopened
        = append_event (fixture, fixture->analyst, ticket,
                        "\"kind\": \"status\", \"data\": {\"status\": \"reopened\"}");
    g_autoptr (JsonObject) again = NULL;

    assert_applied (reopened);
    again = resolve (fixture, ticket, FALSE);
    g_free (sql);
    sql = g_strdup_printf ("SELECT count (*) FROM pir WHERE ticket = '%s'", ticket);
    g_assert_cmpint (query_int (fixture, sql), ==, 1);
  }
}

static void
test_pir_rules (Fixture *fixture, gconstpointer data)
{
  g_autofree char *ticket = create_ticket (fixture, "medium");
  g_autoptr (JsonObject) resolved = resolve (fixture, ticket, FALSE);
  g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM pir WHERE ticket = '%s'", ticket);
  g_autofree char *uuid = NULL;
  g_autofree char *rev_sql = NULL;
  gint64           rev;

  g_assert_cmpint (query_int (fixture, sql), >, 0);
  {
    sqlite3         *db = open_db (fixture);
    sqlite3_stmt    *stmt = NULL;
    g_autofree char *select
        = g_strdup_printf ("SELECT uuid, rev FROM pir WHERE ticket = '%s'", ticket);

    g_assert_cmpint (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    rev = sqlite3_column_int64 (stmt, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  {
    /* Clients never create reviews; a trainer cannot edit one. */
    g_autofree char *other = g_uuid_string_random ();
    g_autoptr (JsonObject) created
        = apply (fixture, fixture->engineer, "create", "pir", other, -1, "{}");
    g_autoptr (JsonObject) trainer
        = apply (fixture, fixture->trainer, "update", "pir", uuid, rev, "{\"root_cause\": \"x\"}");
    g_autoptr (JsonObject) no_cause
        = apply (fixture, fixture->engineer, "update", "pir", uuid, rev,
                 "{\"status\": \"held\", \"held_at\": \"2026-11-24T14:00:00Z\"}");
    g_autoptr (JsonObject) no_owner = apply (
        fixture, fixture->engineer, "update", "pir", uuid, rev,
        "{\"actions\": [{\"text\": \"Alert on export failures\", \"due\": \"2026-12-04\"}]}");

    assert_rejected (created, "rule", "entity");
    assert_rejected (trainer, "forbidden", NULL);
    assert_rejected (no_cause, "rule", "root_cause");
    assert_rejected (no_owner, "invalid", "actions");
    g_assert_cmpstr (json_object_get_string_member (no_owner, "reason"), ==,
                     "actions[0].owner: every action needs an owner");
  }
  {
    g_autoptr (JsonObject) held = apply (
        fixture, fixture->engineer, "update", "pir", uuid, rev,
        "{\"status\": \"actions_open\", \"held_at\": \"2026-11-24T14:00:00Z\", \"root_cause\": "
        "\"The term-code change was not mapped in the SIS export\", \"actions\": [{\"text\": "
        "\"Alert on export failures\", \"owner\": \"" ENGINEER_PERSON
        "\", \"due\": \"2026-12-04\", \"done\": false}]}");
    JsonObject *row;

    assert_applied (held);
    row = json_object_get_object_member (held, "row");
    g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "actions_open");
    /* Lists go out as JSON. */
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (row, "actions")), ==, 1);
  }
  rev_sql = g_strdup_printf (
      "SELECT count (*) FROM pir WHERE uuid = '%s' AND held_at = %" G_GINT64_FORMAT, uuid,
      td_test_iso ("2026-11-24T14:00:00Z"));
  g_assert_cmpint (query_int (fixture, rev_sql), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/knowledge/publish-permissions", test_publish_permissions);
  ADD ("/server/knowledge/article-validation", test_article_validation);
  ADD ("/server/knowledge/resolve-with-known-issue", test_resolve_with_known_issue);
  ADD ("/server/knowledge/documentation-clock", test_documentation_clock);
  ADD ("/server/pir/created-on-sev2-resolve", test_pir_on_sev2_resolve);
  ADD ("/server/pir/rules", test_pir_rules);
#undef ADD

  return g_test_run ();
}
