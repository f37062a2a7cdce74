/* test-cache.c — the offline cache and its outbox on their own, without a server
 *
 * Each test shows one property of DESIGN.md §3 that holds inside the cache:
 * a local edit and its command commit together (1), commands keep their
 * UUIDs until answered (2), a page never overwrites a row with commands
 * waiting and tombstones remove rows (3, 7), the merge of a stale update (4),
 * the cursor moves with its page or not at all (5), and a refused command is
 * kept with the server's reason (6). The server's answers are written by
 * hand, in the shapes docs/api.md gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>

#include "td-cache.h"
#include "td-schema.h"
#include "td-test-util.h"

#define TICKET_A "0a0a0a0a-0000-4000-8000-00000000000a"
#define TICKET_B "0b0b0b0b-0000-4000-8000-00000000000b"
#define TICKET_C "0c0c0c0c-0000-4000-8000-00000000000c"
#define TICKET_D "0d0d0d0d-0000-4000-8000-00000000000d"

typedef struct
{
  char     *dir;
  char     *path;
  TdCache  *cache;
  TdPolicy *policy;
} Fixture;

/* Helpers */

static JsonObject *
object_from (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonArray *
array_from (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static char *
object_text (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonObject *
ticket_fields (const char *title)
{
  JsonObject *fields
      = object_from ("{\"description\": \"Annual leave balance shows 0 after the payroll sync\","
                     " \"affected_user_id\": \"E10442\","
                     " \"contact\": \"pat@example.com\","
                     " \"steps_to_reproduce\": \"Log in, open My Leave\","
                     " \"error_message\": \"Balance: 0.0 days\","
                     " \"impact\": \"low\", \"urgency\": \"medium\","
                     " \"occurred_at\": \"2026-11-20T09:00:00Z\"}");

  json_object_set_string_member (fields, "title", title);
  return fields;
}

/* A ticket as the change feed sends it. */
static char *
server_ticket (const char *uuid, gint64 rev, const char *title, const char *contact)
{
  return g_strdup_printf ("{\"entity\": \"ticket\", \"uuid\": \"%s\", \"rev\": %" G_GINT64_FORMAT
                          ", \"deleted\": 0, \"title\": \"%s\", \"description\": \"Payroll\","
                          " \"affected_user_id\": \"E1\", \"contact\": \"%s\", \"impact\": \"low\","
                          " \"urgency\": \"low\", \"tier\": 1, \"severity\": \"SEV-4\","
                          " \"priority\": \"P4\", \"status\": \"new\", \"created_at\": 1795000000}",
                          uuid, rev, title, contact);
}

static void
apply_page_ok (Fixture *fixture, const char *changes_json, const char *cursor)
{
  g_autoptr (JsonArray) changes = array_from (changes_json);
  g_autoptr (GError) error = NULL;

  td_cache_apply_page (fixture->cache, changes, cursor, NULL, &error);
  g_assert_no_error (error);
}

/* A second connection on the cache file, as another process would see it:
 * only what was committed. */
static sqlite3 *
open_file (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gint64
file_query_int (Fixture *fixture, const char *sql)
{
  sqlite3 *db = open_file (fixture->path);
  gint64   value = td_test_query_int (db, sql);

  sqlite3_close (db);
  return value;
}

static char *
file_query_text (const char *path, const char *sql)
{
  sqlite3      *db = open_file (path);
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
command_state (Fixture *fixture, const char *command_id)
{
  g_autofree char *sql
      = g_strdup_printf ("SELECT state FROM outbox WHERE command = '%s'", command_id);

  return file_query_text (fixture->path, sql);
}

static TdOutboxCommand *
only_pending (Fixture *fixture)
{
  g_autoptr (GPtrArray) pending = td_cache_pending (fixture->cache, 0);
  TdOutboxCommand *command;

  g_assert_cmpuint (pending->len, ==, 1);
  command = g_ptr_array_steal_index (pending, 0);
  return command;
}

static void
apply_result_ok (Fixture *fixture, const char *result_json)
{
  g_autoptr (JsonObject) result = object_from (result_json);
  g_autoptr (GError) error = NULL;

  td_cache_apply_result (fixture->cache, result, NULL, &error);
  g_assert_no_error (error);
}

static const char *
row_string (JsonObject *row, const char *name)
{
  g_assert_nonnull (row);
  return json_object_get_string_member_with_default (row, name, NULL);
}

/* Fixture */

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* Made by the parent process, which removes it whatever happens here. */
  fixture->dir = g_strdup (g_getenv ("TD_TEST_WORKDIR"));
  g_assert_nonnull (fixture->dir);
  fixture->path = g_build_filename (fixture->dir, "cache.db", NULL);
  fixture->cache = td_cache_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->cache);
  fixture->policy = td_test_shipped_policy ();
  td_cache_set_policy (fixture->cache, fixture->policy);
}

static void
remove_dir (const char *path)
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

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->cache);
  g_clear_object (&fixture->policy);
  remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&fixture->cache);
  fixture->cache = td_cache_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->cache);
}

/* 1. A local edit writes its row and its command in one transaction */

static void
test_create_writes_row_and_command (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) fields = ticket_fields ("Leave balance shows 0 days");
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = td_cache_create (fixture->cache, "ticket", fields, &error);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (TdOutboxCommand) command = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *typed = NULL;

  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (uuid));

  /* The user sees the ticket at once, with what triage works out offline. */
  row = td_cache_get_row (fixture->cache, "ticket", uuid);
  g_assert_cmpstr (row_string (row, "uuid"), ==, uuid);
  g_assert_cmpstr (row_string (row, "title"), ==, "Leave balance shows 0 days");
  g_assert_cmpstr (row_string (row, "contact"), ==, "pat@example.com");
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "deleted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "tier"), ==, 1);
  g_assert_cmpstr (row_string (row, "status"), ==, "new");
  g_assert_cmpstr (row_string (row, "priority"), ==, "P4");
  g_assert_cmpstr (row_string (row, "severity"), ==, "SEV-4");
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket"), ==, 1);

  /* Exactly one command, for that row, carrying what the user typed. */
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 1);
  command = only_pending (fixture);
  g_assert_true (g_uuid_string_is_valid (command->id));
  g_assert_cmpstr (command->id, !=, uuid);
  g_assert_cmpstr (command->type, ==, "create");
  g_assert_cmpstr (command->entity, ==, "ticket");
  g_assert_cmpstr (command->entity_id, ==, uuid);
  g_assert_cmpint (command->base_rev, ==, 0);
  g_assert_cmpstr (command->state, ==, "pending");
  g_assert_null (command->code);
  g_assert_null (command->last_error);
  /* Only what the user typed goes to the server: the values worked out
   * offline (tier, status, priority, clocks) are the server's to set, and
   * it refuses a batch that sends them (400 unknown_field). */
  sent = object_text (command->fields);
  {
    g_autoptr (JsonObject) pristine = ticket_fields ("Leave balance shows 0 days");
    typed = object_text (pristine);
  }
  g_assert_cmpstr (sent, ==, typed);
  g_assert_false (json_object_has_member (command->fields, "tier"));
  g_assert_false (json_object_has_member (command->fields, "status"));
  g_assert_false (json_object_has_member (command->fields, "created_at"));
  g_assert_false (json_object_has_member (fields, "tier"));

  /* Both are committed: another connection sees them. */
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, 1);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM outbox"), ==, 1);
}

static void
test_update_delete_event_write_row_and_command (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) changes = object_from ("{\"title\": \"Payroll export fails\","
                                                " \"contact\": \"sam@example.com\"}");
  g_autoptr (JsonObject) status = object_from ("{\"status\": \"resolved\"}");
  g_autofree char *event = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) event_row = NULL;
  TdOutboxCommand *command;

  /* A row the server sent, at revision 7. */
  {
    g_autofree char *page = NULL;
    g_autofree char *one = server_ticket (TICKET_A, 7, "Payroll", "pat@example.com");
    page = g_strdup_printf ("[%s]", one);
    apply_page_ok (fixture, page, "e1:7");
  }

  g_assert_true (td_cache_update (fixture->cache, "ticket", TICKET_A, changes, &error));
  g_assert_no_error (error);
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "Payroll export fails");
  g_assert_cmpstr (row_string (row, "contact"), ==, "sam@example.com");
  g_assert_cmpstr (row_string (row, "description"), ==, "Payroll");
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 7);

  event = td_cache_append_event (fixture->cache, TICKET_A, "status", "Fixed by a re-sync", status,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (event));
  event_row = td_cache_get_row (fixture->cache, "ticket_event", event);
  g_assert_cmpstr (row_string (event_row, "ticket"), ==, TICKET_A);
  g_assert_cmpstr (row_string (event_row, "kind"), ==, "status");
  g_assert_cmpstr (row_string (event_row, "body"), ==, "Fixed by a re-sync");
  g_assert_cmpint (json_object_get_int_member (event_row, "rev"), ==, 0);
  /* The event's effect on its ticket shows at once. */
  g_clear_pointer (&row, json_object_unref);
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "status"), ==, "resolved");
  g_assert_cmpint (json_object_get_int_member (row, "resolved_at"), >, 0);

  g_assert_true (td_cache_delete (fixture->cache, "ticket", TICKET_A, &error));
  g_assert_no_error (error);
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket"), ==, 0);
  g_clear_pointer (&row, json_object_unref);
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpint (json_object_get_int_member (row, "deleted"), ==, 1);

  /* One command per edit, in the order they were made. */
  pending = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (pending->len, ==, 3);

  command = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (command->type, ==, "update");
  g_assert_cmpstr (command->entity, ==, "ticket");
  g_assert_cmpstr (command->entity_id, ==, TICKET_A);
  g_assert_cmpint (command->base_rev, ==, 7);
  g_assert_cmpuint (json_object_get_size (command->fields), ==, 2);
  g_assert_cmpstr (row_string (command->fields, "title"), ==, "Payroll export fails");
  g_assert_cmpstr (row_string (command->fields, "contact"), ==, "sam@example.com");
  /* What the edited fields held before: the base of the three-way merge. */
  g_assert_cmpuint (json_object_get_size (command->base), ==, 2);
  g_assert_cmpstr (row_string (command->base, "title"), ==, "Payroll");
  g_assert_cmpstr (row_string (command->base, "contact"), ==, "pat@example.com");

  command = g_ptr_array_index (pending, 1);
  g_assert_cmpstr (command->type, ==, "append");
  g_assert_cmpstr (command->entity, ==, "ticket_event");
  g_assert_cmpstr (command->entity_id, ==, event);
  g_assert_cmpint (command->base_rev, ==, 0);
  {
    g_autofree char *fields = object_text (command->fields);
    /* "at", set on the local row, stays out of the command: the server
     * refuses fields it sets itself (400 unknown_field). */
    g_autofree char *expected
        = g_strdup_printf ("{\"ticket\":\"%s\",\"kind\":\"status\",\"body\":\"Fixed by a re-sync\","
                           "\"data\":{\"status\":\"resolved\"}}",
                           TICKET_A);
    g_assert_cmpstr (fields, ==, expected);
  }

  command = g_ptr_array_index (pending, 2);
  g_assert_cmpstr (command->type, ==, "delete");
  g_assert_cmpstr (command->entity_id, ==, TICKET_A);
  g_assert_cmpint (command->base_rev, ==, 7);

  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM outbox WHERE state = 'pending'"),
                   ==, 3);
}

static void
test_failed_edit_leaves_nothing (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) changes = object_from ("{\"title\": \"Nobody has this\"}");
  g_autoptr (JsonObject) bad_person = object_from ("{\"name\": \"Ada\", \"tier\": 0}");
  g_autoptr (JsonObject) person = object_from ("{\"name\": \"Grace\", \"tier\": 2}");
  g_autoptr (JsonObject) fields = ticket_fields ("A ticket");
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  char            *none;

  /* Edits of rows that do not exist are refused before anything is written. */
  g_assert_false (td_cache_update (fixture->cache, "ticket", TICKET_B, changes, &error));
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (td_cache_delete (fixture->cache, "ticket", TICKET_B, &error));
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  none = td_cache_append_event (fixture->cache, TICKET_B, "comment", "Hello", NULL, &error);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND);
  g_assert_null (none);
  g_clear_error (&error);
  none = td_cache_create (fixture->cache, "training_change", fields, &error);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_INVALID);
  g_assert_null (none);
  g_clear_error (&error);
  none = td_cache_create (fixture->cache, "ticket_event", fields, &error);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_INVALID);
  g_assert_null (none);
  g_clear_error (&error);

  /* A row the database refuses (CHECK tier >= 1): no command either. */
  none = td_cache_create (fixture->cache, "person", bad_person, &error);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE);
  g_assert_null (none);
  g_clear_error (&error);

  g_assert_null (td_cache_get_row (fixture->cache, "ticket", TICKET_B));
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM outbox"), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket_event"), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM person"), ==, 0);

  /* The row is written first and the command second: make the command's
   * INSERT fail (a full disk, say) and the row must go too. */
  {
    sqlite3 *db = open_file (fixture->path);
    g_assert_cmpint (sqlite3_exec (db,
                                   "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox "
                                   "BEGIN SELECT RAISE (ABORT, 'database or disk is full'); END",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }
  none = td_cache_create (fixture->cache, "person", person, &error);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE);
  g_assert_null (none);
  g_clear_error (&error);
  none = td_cache_create (fixture->cache, "ticket", fields, &error);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE);
  g_assert_null (none);
  g_clear_error (&error);
  g_assert_cmpint (td_cache_count (fixture->cache, "person"), ==, 0);
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket"), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM person"), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket_fts"), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM outbox"), ==, 0);

  /* Once the disk has room again, edits work as before. */
  {
    sqlite3 *db = open_file (fixture->path);
    g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER fail_outbox", NULL, NULL, NULL), ==,
                     SQLITE_OK);
    sqlite3_close (db);
  }
  uuid = td_cache_create (fixture->cache, "person", person, &error);
  g_assert_no_error (error);
  g_assert_cmpint (td_cache_count (fixture->cache, "person"), ==, 1);
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 1);
}

static void
test_reopen_keeps_everything (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) fields = ticket_fields ("Certificates not issued");
  g_autoptr (JsonObject) changes = object_from ("{\"urgency\": \"high\"}");
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = td_cache_create (fixture->cache, "ticket", fields, &error);
  g_autofree char *event = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *cursor = NULL;

  g_assert_no_error (error);
  g_assert_true (td_cache_update (fixture->cache, "ticket", uuid, changes, &error));
  g_assert_no_error (error);
  event = td_cache_append_event (fixture->cache, uuid, "comment", "Called the user", NULL, &error);
  g_assert_no_error (error);
  apply_page_ok (fixture, "[]", "e1:40");
  before = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (before->len, ==, 3);

  /* A restart: a new TdCache on the same file. */
  reopen (fixture);
  row = td_cache_get_row (fixture->cache, "ticket", uuid);
  g_assert_cmpstr (row_string (row, "title"), ==, "Certificates not issued");
  g_assert_cmpstr (row_string (row, "urgency"), ==, "high");
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket_event"), ==, 1);
  cursor = td_cache_dup_cursor (fixture->cache);
  g_assert_cmpstr (cursor, ==, "e1:40");

  after = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (after->len, ==, 3);
  for (guint i = 0; i < after->len; i++)
    {
      TdOutboxCommand *a = g_ptr_array_index (before, i);
      TdOutboxCommand *b = g_ptr_array_index (after, i);

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpint (a->seq, ==, b->seq);
      g_assert_cmpstr (a->type, ==, b->type);
      g_assert_cmpstr (a->entity_id, ==, b->entity_id);
    }
  g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (after, 2))->entity_id, ==, event);
}

/* The process dies right after an edit returned: no finalize, no
 * checkpoint, no clean close of the WAL. */
static void
test_crash_after_edit (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("TD_TEST_CRASH_CACHE");
      g_autoptr (GError) error = NULL;
      TdCache *cache = td_cache_open (path, &error);
      g_autoptr (JsonObject) fields = ticket_fields ("Typed just before the crash");
      g_autofree char *uuid = NULL;
      g_autofree char *event = NULL;
      g_autofree char *note = g_strconcat (path, ".uuid", NULL);

      g_assert_no_error (error);
      uuid = td_cache_create (cache, "ticket", fields, &error);
      g_assert_no_error (error);
      event = td_cache_append_event (cache, uuid, "comment", "And a note", NULL, &error);
      g_assert_no_error (error);
      g_file_set_contents (note, uuid, -1, &error);
      g_assert_no_error (error);
      raise (SIGKILL);
      return;
    }

  {
    g_autoptr (GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("td-cache-crash-XXXXXX", &error);
    g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
    g_autofree char *note = g_strconcat (path, ".uuid", NULL);
    g_autofree char *uuid = NULL;
    g_autoptr (TdCache) cache = NULL;
    g_autoptr (JsonObject) row = NULL;
    g_autoptr (GPtrArray) pending = NULL;

    g_assert_no_error (error);
    g_setenv ("TD_TEST_CRASH_CACHE", path, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed ();

    g_file_get_contents (note, &uuid, NULL, &error);
    g_assert_no_error (error);
    cache = td_cache_open (path, &error);
    g_assert_no_error (error);
    row = td_cache_get_row (cache, "ticket", uuid);
    g_assert_cmpstr (row_string (row, "title"), ==, "Typed just before the crash");
    g_assert_cmpint (td_cache_count (cache, "ticket_event"), ==, 1);
    pending = td_cache_pending (cache, 0);
    g_assert_cmpuint (pending->len, ==, 2);
    g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (pending, 0))->type, ==, "create");
    g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (pending, 0))->entity_id, ==, uuid);
    g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (pending, 1))->type, ==, "append");

    g_clear_object (&cache);
    remove_dir (dir);
  }
}

/* 2. Every command has a UUID, the same one until the server answers */

static void
test_command_ids_stable (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GPtrArray) two = NULL;
  g_autoptr (GPtrArray) rest = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  g_autofree char *result = NULL;
  TdOutboxCommand *head;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Ticket %d", i);
      g_autoptr (JsonObject) fields = ticket_fields (title);
      g_autofree char *uuid = td_cache_create (fixture->cache, "ticket", fields, &error);
      g_assert_no_error (error);
      g_assert_true (g_uuid_string_is_valid (uuid));
    }

  first = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (first->len, ==, 5);
  for (guint i = 0; i < first->len; i++)
    {
      TdOutboxCommand *command = g_ptr_array_index (first, i);

      g_assert_true (g_uuid_string_is_valid (command->id));
      g_assert_false (g_hash_table_contains (seen, command->id));
      g_hash_table_add (seen, command->id);
      if (i > 0)
        g_assert_cmpint (command->seq, >,
                         ((TdOutboxCommand *) g_ptr_array_index (first, i - 1))->seq);
    }

  /* Asking again (a retry after a lost answer) gives the same ids. */
  again = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (again->len, ==, 5);
  for (guint i = 0; i < again->len; i++)
    g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (again, i))->id, ==,
                     ((TdOutboxCommand *) g_ptr_array_index (first, i))->id);

  /* A batch limit takes the oldest. */
  two = td_cache_pending (fixture->cache, 2);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (two, 0))->id, ==,
                   ((TdOutboxCommand *) g_ptr_array_index (first, 0))->id);
  g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (two, 1))->id, ==,
                   ((TdOutboxCommand *) g_ptr_array_index (first, 1))->id);

  /* Once the first is answered, the others keep their ids. */
  head = g_ptr_array_index (first, 0);
  {
    g_autofree char *row = server_ticket (head->entity_id, 3, "Ticket 0", "pat@example.com");
    result = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"applied\", \"rev\": 3, \"row\": %s}",
                              head->id, row);
  }
  apply_result_ok (fixture, result);
  rest = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (rest->len, ==, 4);
  for (guint i = 0; i < rest->len; i++)
    g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (rest, i))->id, ==,
                     ((TdOutboxCommand *) g_ptr_array_index (first, i + 1))->id);
  {
    g_autofree char *state = command_state (fixture, head->id);
    g_autoptr (JsonObject) row = td_cache_get_row (fixture->cache, "ticket", head->entity_id);
    g_assert_cmpstr (state, ==, "done");
    g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 3);
  }

  /* And after a restart. */
  reopen (fixture);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (again->len, ==, 4);
  for (guint i = 0; i < again->len; i++)
    g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (again, i))->id, ==,
                     ((TdOutboxCommand *) g_ptr_array_index (rest, i))->id);
}

/* 3 and 7. A page leaves rows with waiting commands alone; tombstones remove rows */

static void
test_page_protects_pending_rows (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) changes = object_from ("{\"title\": \"Typed offline\"}");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) c = NULL;
  g_autofree char *event = NULL;
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *cursor = NULL;

  {
    g_autofree char *ra = server_ticket (TICKET_A, 5, "A from the server", "a@example.com");
    g_autofree char *rb = server_ticket (TICKET_B, 6, "B from the server", "b@example.com");
    g_autofree char *rc = server_ticket (TICKET_C, 7, "C from the server", "c@example.com");
    page1 = g_strdup_printf ("[%s, %s, %s]", ra, rb, rc);
  }
  apply_page_ok (fixture, page1, "e1:7");
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket"), ==, 3);

  /* Offline: an edit of A, a comment on C. */
  g_assert_true (td_cache_update (fixture->cache, "ticket", TICKET_A, changes, &error));
  g_assert_no_error (error);
  event = td_cache_append_event (fixture->cache, TICKET_C, "comment", "Asked for a screenshot",
                                 NULL, &error);
  g_assert_no_error (error);

  /* The server changed all three meanwhile, and deleted D, which this
   * cache never saw. */
  {
    g_autofree char *ra = server_ticket (TICKET_A, 8, "A changed remotely", "a2@example.com");
    g_autofree char *rb = server_ticket (TICKET_B, 9, "B changed remotely", "b2@example.com");
    g_autofree char *rc = server_ticket (TICKET_C, 10, "C changed remotely", "c2@example.com");
    page2 = g_strdup_printf ("[%s, %s, %s, {\"entity\": \"ticket\", \"uuid\": \"" TICKET_D
                             "\", \"rev\": 11,"
                             " \"deleted\": 1}]",
                             ra, rb, rc);
  }
  {
    g_autoptr (JsonArray) array = array_from (page2);
    td_cache_apply_page (fixture->cache, array, "e1:11", changed, &error);
    g_assert_no_error (error);
  }

  a = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (a, "title"), ==, "Typed offline");
  g_assert_cmpstr (row_string (a, "contact"), ==, "a@example.com");
  g_assert_cmpint (json_object_get_int_member (a, "rev"), ==, 5);
  b = td_cache_get_row (fixture->cache, "ticket", TICKET_B);
  g_assert_cmpstr (row_string (b, "title"), ==, "B changed remotely");
  g_assert_cmpstr (row_string (b, "contact"), ==, "b2@example.com");
  g_assert_cmpint (json_object_get_int_member (b, "rev"), ==, 9);
  /* An event waiting to be pushed protects its ticket too. */
  c = td_cache_get_row (fixture->cache, "ticket", TICKET_C);
  g_assert_cmpstr (row_string (c, "title"), ==, "C from the server");
  g_assert_cmpint (json_object_get_int_member (c, "rev"), ==, 7);
  /* A tombstone for a row never seen adds nothing. */
  g_assert_null (td_cache_get_row (fixture->cache, "ticket", TICKET_D));
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, 3);
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 2);
  cursor = td_cache_dup_cursor (fixture->cache);
  g_assert_cmpstr (cursor, ==, "e1:11");
  /* Only B changed, and D was looked at. */
  g_assert_cmpuint (changed->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (changed, 0), ==, "ticket");
  g_assert_cmpstr (g_ptr_array_index (changed, 1), ==, TICKET_B);
  g_assert_cmpstr (g_ptr_array_index (changed, 3), ==, TICKET_D);

  /* A tombstone for B removes it; one for A waits behind the local edit. */
  apply_page_ok (
      fixture,
      "[{\"entity\": \"ticket\", \"uuid\": \"" TICKET_B "\", \"rev\": 12, \"deleted\": 1},"
      " {\"entity\": \"ticket\", \"uuid\": \"" TICKET_A "\", \"rev\": 13, \"deleted\": 1}]",
      "e1:13");
  g_assert_null (td_cache_get_row (fixture->cache, "ticket", TICKET_B));
  g_assert_cmpint (
      file_query_int (fixture, "SELECT COUNT (*) FROM ticket WHERE uuid = '" TICKET_B "'"), ==, 0);
  g_clear_pointer (&a, json_object_unref);
  a = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (a, "title"), ==, "Typed offline");
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket"), ==, 2);
}

static gint64
fts_count (Fixture *fixture, const char *match)
{
  g_autofree char *sql
      = g_strdup_printf ("SELECT COUNT (*) FROM ticket_fts WHERE ticket_fts MATCH '%s'", match);

  return file_query_int (fixture, sql);
}

/* A pull indexes a page's tickets in one go (client migration 3): what
 * the index holds afterwards is exactly what the rows say, for new rows,
 * retitled rows, rows a pending edit protects, and tombstones; and an
 * edit made between pulls is indexed row by row as before. */
static void
test_page_keeps_search_index (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) offline = object_from ("{\"title\": \"Kronos export typed offline\"}");
  g_autoptr (GError) error = NULL;
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;

  {
    g_autofree char *ra = server_ticket (TICKET_A, 5, "Payslip blank", "a@example.com");
    g_autofree char *rb = server_ticket (TICKET_B, 6, "Leave balance wrong", "b@example.com");
    g_autofree char *rc = server_ticket (TICKET_C, 7, "Approvals stuck", "c@example.com");
    page1 = g_strdup_printf ("[%s, %s, %s]", ra, rb, rc);
  }
  apply_page_ok (fixture, page1, "e1:7");
  g_assert_cmpint (fts_count (fixture, "payslip"), ==, 1);
  g_assert_cmpint (fts_count (fixture, "approvals"), ==, 1);

  g_assert_true (td_cache_update (fixture->cache, "ticket", TICKET_C, offline, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fts_count (fixture, "kronos"), ==, 1);
  g_assert_cmpint (fts_count (fixture, "approvals"), ==, 0);

  {
    g_autofree char *ra = server_ticket (TICKET_A, 8, "Payslip shows zero hours", "a@example.com");
    g_autofree char *rc = server_ticket (TICKET_C, 9, "Approvals stuck again", "c@example.com");
    page2 = g_strdup_printf ("[%s, {\"entity\": \"ticket\", \"uuid\": \"" TICKET_B
                             "\", \"rev\": 10, \"deleted\": 1}, %s]",
                             ra, rc);
  }
  apply_page_ok (fixture, page2, "e1:10");
  g_assert_cmpint (fts_count (fixture, "zero"), ==, 1);
  g_assert_cmpint (fts_count (fixture, "blank"), ==, 0);
  g_assert_cmpint (fts_count (fixture, "leave"), ==, 0);
  /* C still shows (and is found by) what was typed offline. */
  g_assert_cmpint (fts_count (fixture, "kronos"), ==, 1);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket_fts"), ==, 2);
  /* FTS5's own check of the index against the ticket table. */
  {
    sqlite3 *db = open_file (fixture->path);
    char    *message = NULL;

    td_schema_migrate (db, TD_SCHEMA_CLIENT, NULL);
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO ticket_fts (ticket_fts, rank) "
                                   "VALUES ('integrity-check', 1)",
                                   NULL, NULL, &message),
                     ==, SQLITE_OK);
    g_assert_null (message);
    sqlite3_close (db);
  }
}

static void
test_page_skips_unknown_tables (Fixture *fixture, gconstpointer data)
{
  g_autofree char *cursor = NULL;
  g_autofree char *one = server_ticket (TICKET_A, 2, "Known", "a@example.com");
  g_autofree char *page = NULL;

  /* A newer server may send a table this cache does not have: its rows are
   * passed over, the others are applied and the cursor moves. */
  page = g_strdup_printf ("[{\"entity\": \"knowledge_article\", \"uuid\": \"" TICKET_B "\","
                          " \"rev\": 1, \"deleted\": 0, \"title\": \"FAQ\"}, %s]",
                          one);
  apply_page_ok (fixture, page, "e1:2");
  cursor = td_cache_dup_cursor (fixture->cache);
  g_assert_cmpstr (cursor, ==, "e1:2");
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket"), ==, 1);
  g_assert_null (td_cache_get_row (fixture->cache, "knowledge_article", TICKET_B));
}

/* 5. The cursor is saved with its page, in the same transaction */

static void
test_cursor_moves_with_page (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *cursor = td_cache_dup_cursor (fixture->cache);
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  gboolean         ok;

  /* Nothing pulled yet. */
  g_assert_cmpstr (cursor, ==, "0");

  {
    g_autofree char *ra = server_ticket (TICKET_A, 1, "First", "a@example.com");
    page1 = g_strdup_printf ("[%s]", ra);
  }
  apply_page_ok (fixture, page1, "e1:1");
  g_free (cursor);
  cursor = td_cache_dup_cursor (fixture->cache);
  g_assert_cmpstr (cursor, ==, "e1:1");

  /* A page whose third row the database refuses (CHECK tier >= 1): the
   * rows before it are rolled back and the cursor stays, so the whole page
   * is pulled again. */
  {
    g_autofree char *ra = server_ticket (TICKET_A, 2, "A again", "a@example.com");
    g_autofree char *rb = server_ticket (TICKET_B, 3, "B", "b@example.com");
    page2 = g_strdup_printf ("[%s, %s, {\"entity\": \"ticket\", \"uuid\": \"" TICKET_C "\","
                             " \"rev\": 4, \"deleted\": 0, \"title\": \"Broken\", \"tier\": 0}]",
                             ra, rb);
  }
  {
    g_autoptr (JsonArray) array = array_from (page2);
    ok = td_cache_apply_page (fixture->cache, array, "e1:4", NULL, &error);
  }
  g_assert_false (ok);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE);
  g_free (cursor);
  cursor = td_cache_dup_cursor (fixture->cache);
  g_assert_cmpstr (cursor, ==, "e1:1");
  {
    g_autoptr (JsonObject) a = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
    g_assert_cmpstr (row_string (a, "title"), ==, "First");
    g_assert_cmpint (json_object_get_int_member (a, "rev"), ==, 1);
  }
  g_assert_null (td_cache_get_row (fixture->cache, "ticket", TICKET_B));
  g_assert_null (td_cache_get_row (fixture->cache, "ticket", TICKET_C));
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, 1);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM sync_state WHERE key = 'cursor'"
                                            " AND value = 'e1:1'"),
                   ==, 1);

  /* The cache still works: the next page goes in whole. */
  reopen (fixture);
  {
    g_autofree char *rb = server_ticket (TICKET_B, 3, "B", "b@example.com");
    g_autofree char *page3 = g_strdup_printf ("[%s]", rb);
    apply_page_ok (fixture, page3, "e1:3");
  }
  g_free (cursor);
  cursor = td_cache_dup_cursor (fixture->cache);
  g_assert_cmpstr (cursor, ==, "e1:3");
  g_assert_cmpint (td_cache_count (fixture->cache, "ticket"), ==, 2);
}

/* 4. A stale update: field-level merge, or a conflict for the user */

/* A at revision 5 from the server, then the user edits @local_json. */
static TdOutboxCommand *
edit_server_row (Fixture *fixture, const char *local_json)
{
  g_autoptr (JsonObject) changes = object_from (local_json);
  g_autoptr (GError) error = NULL;
  g_autofree char *ra = server_ticket (TICKET_A, 5, "Base title", "base@example.com");
  g_autofree char *page = g_strdup_printf ("[%s]", ra);

  apply_page_ok (fixture, page, "e1:5");
  g_assert_true (td_cache_update (fixture->cache, "ticket", TICKET_A, changes, &error));
  g_assert_no_error (error);
  return only_pending (fixture);
}

static char *
conflict_result (const char *command_id, gint64 rev, const char *title, const char *contact)
{
  g_autofree char *current = server_ticket (TICKET_A, rev, title, contact);

  return g_strdup_printf ("{\"id\": \"%s\", \"status\": \"conflict\", \"reason\": \"the row "
                          "changed since the revision this update is based on\", \"current\": %s}",
                          command_id, current);
}

static void
test_conflict_disjoint_fields_rebased (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdOutboxCommand) command = edit_server_row (fixture, "{\"title\": \"Mine\"}");
  g_autoptr (TdOutboxCommand) rebased = NULL;
  g_autoptr (TdOutboxCommand) again = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *result = NULL;
  g_autofree char *state = NULL;

  g_assert_cmpint (command->base_rev, ==, 5);

  /* Someone else changed the contact: no overlap with the title. */
  result = conflict_result (command->id, 6, "Base title", "theirs@example.com");
  apply_result_ok (fixture, result);

  conflicts = td_cache_list_conflicts (fixture->cache);
  g_assert_cmpuint (conflicts->len, ==, 0);
  rebased = only_pending (fixture);
  g_assert_cmpstr (rebased->id, ==, command->id);
  g_assert_cmpint (rebased->base_rev, ==, 6);
  g_assert_cmpstr (rebased->state, ==, "pending");
  {
    g_autofree char *fields = object_text (rebased->fields);
    g_autofree char *base = object_text (rebased->base);
    g_assert_cmpstr (fields, ==, "{\"title\":\"Mine\"}");
    g_assert_cmpstr (base, ==, "{\"title\":\"Base title\"}");
  }
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "Mine");

  /* The server changed the field to what the user wrote: no overlap either. */
  g_free (result);
  result = conflict_result (command->id, 7, "Mine", "theirs@example.com");
  apply_result_ok (fixture, result);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = td_cache_list_conflicts (fixture->cache);
  g_assert_cmpuint (conflicts->len, ==, 0);
  again = only_pending (fixture);
  g_assert_cmpint (again->base_rev, ==, 7);

  /* The re-based command goes through: the merged row comes back. */
  {
    g_autofree char *merged = server_ticket (TICKET_A, 8, "Mine", "theirs@example.com");
    g_free (result);
    result = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"applied\", \"rev\": 8, \"row\": %s}",
                              command->id, merged);
  }
  apply_result_ok (fixture, result);
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 0);
  state = command_state (fixture, command->id);
  g_assert_cmpstr (state, ==, "done");
  g_clear_pointer (&row, json_object_unref);
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "Mine");
  g_assert_cmpstr (row_string (row, "contact"), ==, "theirs@example.com");
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 8);
}

static void
test_conflict_overlap_keep_local (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdOutboxCommand) command
      = edit_server_row (fixture, "{\"title\": \"Mine\", \"contact\": \"me@example.com\"}");
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *result = conflict_result (command->id, 6, "Theirs", "base@example.com");
  g_autofree char *state = NULL;
  TdConflict      *conflict;
  gint64           conflict_id;

  {
    g_autoptr (JsonObject) object = object_from (result);
    td_cache_apply_result (fixture->cache, object, changed, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (changed, 1), ==, TICKET_A);

  conflicts = td_cache_list_conflicts (fixture->cache);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->command, ==, command->id);
  g_assert_cmpstr (conflict->entity, ==, "ticket");
  g_assert_cmpstr (conflict->entity_id, ==, TICKET_A);
  /* All three versions, for the user to choose from. */
  g_assert_cmpstr (row_string (conflict->local, "title"), ==, "Mine");
  g_assert_cmpstr (row_string (conflict->local, "contact"), ==, "me@example.com");
  g_assert_cmpstr (row_string (conflict->remote, "title"), ==, "Theirs");
  g_assert_cmpint (json_object_get_int_member (conflict->remote, "rev"), ==, 6);
  g_assert_cmpstr (row_string (conflict->base, "title"), ==, "Base title");
  g_assert_cmpstr (row_string (conflict->base, "contact"), ==, "base@example.com");

  /* The command waits in "conflict": not pushed, not dropped, and its row
   * still shows what the user typed, even when a page brings the server's. */
  state = command_state (fixture, command->id);
  g_assert_cmpstr (state, ==, "conflict");
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 0);
  {
    g_autoptr (GPtrArray) rejected = td_cache_list_rejected (fixture->cache);
    g_assert_cmpuint (rejected->len, ==, 0);
  }
  {
    g_autofree char *ra = server_ticket (TICKET_A, 6, "Theirs", "base@example.com");
    g_autofree char *page = g_strdup_printf ("[%s]", ra);
    apply_page_ok (fixture, page, "e1:6");
  }
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "Mine");
  g_assert_cmpstr (row_string (row, "contact"), ==, "me@example.com");

  /* Keep mine: the same command, pending again, based on the server's row. */
  conflict_id = conflict->id;
  g_assert_true (td_cache_resolve_conflict (fixture->cache, conflict->id, TRUE, &error));
  g_assert_no_error (error);
  /* conflict belonged to the list: only its id is used from here on
   * (AddressSanitizer found the read after the free). */
  conflict = NULL;
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = td_cache_list_conflicts (fixture->cache);
  g_assert_cmpuint (conflicts->len, ==, 0);
  after = td_cache_pending (fixture->cache, 0);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (after, 0))->id, ==, command->id);
  g_assert_cmpint (((TdOutboxCommand *) g_ptr_array_index (after, 0))->base_rev, ==, 6);
  g_assert_null (((TdOutboxCommand *) g_ptr_array_index (after, 0))->code);
  g_clear_pointer (&row, json_object_unref);
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "Mine");

  /* A conflict resolved once cannot be resolved again. */
  g_assert_false (td_cache_resolve_conflict (fixture->cache, conflict_id, TRUE, &error));
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND);
}

static void
test_conflict_overlap_keep_remote (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdOutboxCommand) command = edit_server_row (fixture, "{\"title\": \"Mine\"}");
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *result = conflict_result (command->id, 6, "Theirs", "theirs@example.com");
  TdConflict      *conflict;

  apply_result_ok (fixture, result);
  conflicts = td_cache_list_conflicts (fixture->cache);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);

  /* Keep theirs: the edit is dropped and the row is the server's. */
  g_assert_true (td_cache_resolve_conflict (fixture->cache, conflict->id, FALSE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = td_cache_list_conflicts (fixture->cache);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM outbox"), ==, 0);
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "Theirs");
  g_assert_cmpstr (row_string (row, "contact"), ==, "theirs@example.com");
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 6);

  /* Nothing protects the row any more: the next page updates it. */
  {
    g_autofree char *ra = server_ticket (TICKET_A, 9, "Later", "theirs@example.com");
    g_autofree char *page = g_strdup_printf ("[%s]", ra);
    apply_page_ok (fixture, page, "e1:9");
  }
  g_clear_pointer (&row, json_object_unref);
  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "Later");
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 9);
}

/* 6. A refused command is kept, with the server's code and reason */

static void
test_rejected_kept_until_discarded (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) person = object_from ("{\"name\": \"Ada Lovelace\", \"tier\": 2}");
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = td_cache_create (fixture->cache, "person", person, &error);
  g_autoptr (TdOutboxCommand) command = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *result = NULL;
  TdOutboxCommand *kept;

  g_assert_no_error (error);
  command = only_pending (fixture);
  result = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"rejected\", \"code\": \"forbidden\","
                            " \"reason\": \"a Service Desk Analyst may not edit the team "
                            "directory\"}",
                            command->id);
  {
    g_autoptr (JsonObject) object = object_from (result);
    td_cache_apply_result (fixture->cache, object, changed, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (changed, 0), ==, "person");
  g_assert_cmpstr (g_ptr_array_index (changed, 1), ==, uuid);

  /* Not pushed again, not dropped: listed with the server's words. */
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 0);
  rejected = td_cache_list_rejected (fixture->cache);
  g_assert_cmpuint (rejected->len, ==, 1);
  kept = g_ptr_array_index (rejected, 0);
  g_assert_cmpstr (kept->id, ==, command->id);
  g_assert_cmpstr (kept->state, ==, "rejected");
  g_assert_cmpstr (kept->code, ==, "forbidden");
  g_assert_cmpstr (kept->last_error, ==, "a Service Desk Analyst may not edit the team directory");
  g_assert_cmpstr (kept->entity, ==, "person");
  g_assert_cmpstr (kept->entity_id, ==, uuid);
  g_assert_cmpstr (row_string (kept->fields, "name"), ==, "Ada Lovelace");

  /* It survives a restart. */
  reopen (fixture);
  g_clear_pointer (&rejected, g_ptr_array_unref);
  rejected = td_cache_list_rejected (fixture->cache);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (rejected, 0))->last_error, ==,
                   "a Service Desk Analyst may not edit the team directory");

  /* Only the user makes it go. */
  g_assert_true (td_cache_discard_rejected (fixture->cache, command->id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rejected, g_ptr_array_unref);
  rejected = td_cache_list_rejected (fixture->cache);
  g_assert_cmpuint (rejected->len, ==, 0);
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM outbox"), ==, 0);
  g_assert_false (td_cache_discard_rejected (fixture->cache, command->id, &error));
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND);
}

/* A refused edit is undone: the row goes back to the server's latest copy,
 * including what a pull brought while the edit waited. */
static void
test_rejected_edit_undone (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) changes = object_from ("{\"title\": \"Typed offline\"}");
  g_autoptr (GError) error = NULL;
  g_autoptr (TdOutboxCommand) command = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) pending = NULL;
  g_autofree char *first = server_ticket (TICKET_A, 5, "A from the server", "a@example.com");
  g_autofree char *second = server_ticket (TICKET_A, 8, "A changed remotely", "a2@example.com");
  g_autofree char *page1 = g_strdup_printf ("[%s]", first);
  g_autofree char *page2 = g_strdup_printf ("[%s]", second);
  g_autofree char *result = NULL;

  apply_page_ok (fixture, page1, "e1:5");
  g_assert_true (td_cache_update (fixture->cache, "ticket", TICKET_A, changes, &error));
  g_assert_no_error (error);
  apply_page_ok (fixture, page2, "e1:8");
  /* While the edit waits, the row shows it. */
  pending = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (pending, "title"), ==, "Typed offline");

  command = only_pending (fixture);
  result = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"rejected\", \"code\": \"rule\","
                            " \"reason\": \"a closed ticket cannot be edited\"}",
                            command->id);
  apply_result_ok (fixture, result);

  row = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpstr (row_string (row, "title"), ==, "A changed remotely");
  g_assert_cmpstr (row_string (row, "contact"), ==, "a2@example.com");
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 8);
  /* What was typed is kept in the refused command. */
  {
    g_autoptr (GPtrArray) rejected = td_cache_list_rejected (fixture->cache);
    g_assert_cmpuint (rejected->len, ==, 1);
    g_assert_cmpstr (
        row_string (((TdOutboxCommand *) g_ptr_array_index (rejected, 0))->fields, "title"), ==,
        "Typed offline");
  }
  g_assert_cmpint (file_query_int (fixture, "SELECT COUNT (*) FROM server_copy"), ==, 0);
}

static void
test_discard_only_rejected (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) fields = ticket_fields ("Still pending");
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = td_cache_create (fixture->cache, "ticket", fields, &error);
  g_autoptr (TdOutboxCommand) command = only_pending (fixture);

  g_assert_no_error (error);
  g_assert_cmpstr (command->entity_id, ==, uuid);
  /* A pending command is not the user's to discard this way. */
  g_assert_false (td_cache_discard_rejected (fixture->cache, command->id, &error));
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND);
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 1);
}

static void
test_duplicate_takes_first_answer (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) fields = ticket_fields ("Sent twice");
  g_autoptr (JsonObject) person = object_from ("{\"name\": \"Grace Hopper\"}");
  g_autoptr (GError) error = NULL;
  g_autofree char *ticket = td_cache_create (fixture->cache, "ticket", fields, &error);
  g_autofree char *person_id = td_cache_create (fixture->cache, "person", person, &error);
  g_autoptr (GPtrArray) pending = td_cache_pending (fixture->cache, 0);
  TdOutboxCommand *create_ticket = g_ptr_array_index (pending, 0);
  TdOutboxCommand *create_person = g_ptr_array_index (pending, 1);
  g_autofree char *result = NULL;
  g_autofree char *state = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 2);
  g_assert_cmpstr (create_ticket->entity_id, ==, ticket);
  g_assert_cmpstr (create_person->entity_id, ==, person_id);

  /* The answer to the first try was lost; the retry says "duplicate" and
   * carries it: the command is done, as if the first answer had arrived. */
  {
    g_autofree char *row = server_ticket (ticket, 12, "Sent twice", "pat@example.com");
    result = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"duplicate\", \"first\": {\"id\": "
                              "\"%s\", \"status\": \"applied\", \"rev\": 12, \"row\": %s}}",
                              create_ticket->id, create_ticket->id, row);
  }
  apply_result_ok (fixture, result);
  state = command_state (fixture, create_ticket->id);
  g_assert_cmpstr (state, ==, "done");

  /* A duplicate of a refusal is a refusal. */
  g_free (result);
  result = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"duplicate\", \"first\": {\"id\": "
                            "\"%s\", \"status\": \"rejected\", \"code\": \"forbidden\","
                            " \"reason\": \"no\"}}",
                            create_person->id, create_person->id);
  apply_result_ok (fixture, result);
  g_free (state);
  state = command_state (fixture, create_person->id);
  g_assert_cmpstr (state, ==, "rejected");

  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 0);
  rejected = td_cache_list_rejected (fixture->cache);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (rejected, 0))->id, ==,
                   create_person->id);
  g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (rejected, 0))->code, ==, "forbidden");
  conflicts = td_cache_list_conflicts (fixture->cache);
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_result_for_unknown_command (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) result = object_from (
      "{\"id\": \"99999999-0000-4000-8000-000000000099\", \"status\": \"applied\", \"rev\": 1}");
  g_autoptr (JsonObject) fields = ticket_fields ("Odd answer");
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr (TdOutboxCommand) command = NULL;
  g_autofree char *odd = NULL;

  g_assert_false (td_cache_apply_result (fixture->cache, result, NULL, &error));
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An answer the cache does not understand leaves the command pending. */
  uuid = td_cache_create (fixture->cache, "ticket", fields, &error);
  g_assert_no_error (error);
  command = only_pending (fixture);
  odd = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"postponed\"}", command->id);
  {
    g_autoptr (JsonObject) object = object_from (odd);
    g_assert_false (td_cache_apply_result (fixture->cache, object, NULL, &error));
  }
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_INVALID);
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 1);
}

static void
test_applied_event_updates_ticket (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *event = NULL;
  g_autofree char *result = NULL;
  g_autoptr (TdOutboxCommand) command = NULL;
  g_autoptr (JsonObject) ticket = NULL;
  g_autoptr (JsonObject) event_row = NULL;

  {
    g_autofree char *ra = server_ticket (TICKET_A, 5, "Needs an answer", "a@example.com");
    g_autofree char *page = g_strdup_printf ("[%s]", ra);
    apply_page_ok (fixture, page, "e1:5");
  }
  event = td_cache_append_event (fixture->cache, TICKET_A, "update", "We are on it", NULL, &error);
  g_assert_no_error (error);
  command = only_pending (fixture);

  /* The server's answer carries the event and the ticket it changed. */
  {
    g_autofree char *ticket_json = server_ticket (TICKET_A, 6, "Needs an answer", "a@example.com");
    result = g_strdup_printf (
        "{\"id\": \"%s\", \"status\": \"applied\", \"rev\": 7, \"row\": {\"entity\": "
        "\"ticket_event\", \"uuid\": \"%s\", \"rev\": 7, \"deleted\": 0, \"ticket\": \"%s\","
        " \"kind\": \"update\", \"author\": \"lead\", \"at\": 1795000100, \"body\": \"We are on "
        "it\", \"data\": null}, \"ticket\": %s}",
        command->id, event, TICKET_A, ticket_json);
  }
  apply_result_ok (fixture, result);
  g_assert_cmpuint (td_cache_count_pending (fixture->cache), ==, 0);
  event_row = td_cache_get_row (fixture->cache, "ticket_event", event);
  g_assert_cmpint (json_object_get_int_member (event_row, "rev"), ==, 7);
  g_assert_cmpstr (row_string (event_row, "author"), ==, "lead");
  g_assert_cmpint (json_object_get_int_member (event_row, "at"), ==, 1795000100);
  ticket = td_cache_get_row (fixture->cache, "ticket", TICKET_A);
  g_assert_cmpint (json_object_get_int_member (ticket, "rev"), ==, 6);
}

/* Each test runs in a process of its own, so that a failing test is
 * reported and the others still run. */

typedef void (*TestFunc) (Fixture *fixture, gconstpointer data);

typedef struct
{
  const char *path;
  TestFunc    func;
} TestCase;

static void
run_isolated (gconstpointer data)
{
  const TestCase *test = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *workdir = NULL;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      fixture_set_up (&fixture, NULL);
      test->func (&fixture, NULL);
      fixture_tear_down (&fixture, NULL);
      return;
    }

  workdir = g_dir_make_tmp ("td-cache-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("TD_TEST_WORKDIR", workdir, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  remove_dir (workdir);
  g_test_trap_assert_passed ();
}

static const TestCase tests[] = {
  { "/sync/cache/edit/create-row-and-command", test_create_writes_row_and_command },
  { "/sync/cache/edit/update-event-delete", test_update_delete_event_write_row_and_command },
  { "/sync/cache/edit/failure-leaves-nothing", test_failed_edit_leaves_nothing },
  { "/sync/cache/edit/reopen", test_reopen_keeps_everything },
  { "/sync/cache/outbox/ids-stable", test_command_ids_stable },
  { "/sync/cache/page/protects-pending", test_page_protects_pending_rows },
  { "/sync/cache/page/unknown-table", test_page_skips_unknown_tables },
  { "/sync/cache/page/search-index", test_page_keeps_search_index },
  { "/sync/cache/page/cursor-with-page", test_cursor_moves_with_page },
  { "/sync/cache/conflict/disjoint-rebased", test_conflict_disjoint_fields_rebased },
  { "/sync/cache/conflict/overlap-keep-local", test_conflict_overlap_keep_local },
  { "/sync/cache/conflict/overlap-keep-remote", test_conflict_overlap_keep_remote },
  { "/sync/cache/result/rejected", test_rejected_kept_until_discarded },
  { "/sync/cache/result/rejected-edit-undone", test_rejected_edit_undone },
  { "/sync/cache/result/discard-only-rejected", test_discard_only_rejected },
  { "/sync/cache/result/duplicate", test_duplicate_takes_first_answer },
  { "/sync/cache/result/unknown", test_result_for_unknown_command },
  { "/sync/cache/result/applied-event", test_applied_event_updates_ticket },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_isolated);
  /* Already a subprocess test of its own. */
  g_test_add_func ("/sync/cache/edit/crash", test_crash_after_edit);

  return g_test_run ();
}
