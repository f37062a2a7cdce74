/* test-schema.c — migrations of the server store and the client cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "td-schema.h"

#include "td-test-util.h"

typedef struct
{
  char    *dir;
  char    *path;
  sqlite3 *db;
} Fixture;

/* Written out here rather than taken from td-schema.c, so that a table
 * dropped from a migration by mistake fails the test. */
static const char *const synced_tables[] = {
  "ticket",
  "ticket_event",
  "person",
  "rotation",
  "rotation_member",
  "rota_override",
  "swap_request",
  "training_record",
  "training_topic",
  "training_change",
  "correction_request",
  "access_request",
  "shift_handoff",
  "policy_version",
  "article",
  "article_link",
  "article_revision",
  "pir",
  "change_record",
  NULL,
};

static const char *const server_tables[] = {
  "meta", "account", "token", "applied_command", "audit_log", "login_attempt", NULL,
};

static const char *const client_tables[] = {
  "outbox",
  "sync_state",
  "conflict",
  NULL,
};

static TdSchemaKind
kind_of (gconstpointer user_data)
{
  return (TdSchemaKind) GPOINTER_TO_INT (user_data);
}

static const char *const *
own_tables (TdSchemaKind kind)
{
  return kind == TD_SCHEMA_SERVER ? server_tables : client_tables;
}

static const char *const *
other_tables (TdSchemaKind kind)
{
  return kind == TD_SCHEMA_SERVER ? client_tables : server_tables;
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;
  int      rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  return db;
}

static void
exec_ok (sqlite3 *db, const char *sql)
{
  char *message = NULL;
  int   rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Returns the SQLite message of a statement that must fail. */
static char *
exec_fails (sqlite3 *db, const char *sql)
{
  char *message = NULL;
  char *copy;
  int   rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  g_assert_nonnull (message);
  copy = g_strdup (message);
  sqlite3_free (message);
  return copy;
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;
  int           rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  rc = sqlite3_step (stmt);
  g_assert_true (rc == SQLITE_ROW || rc == SQLITE_DONE);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
object_exists (sqlite3 *db, const char *type, const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      found;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static gint64
count_schema_objects (sqlite3 *db)
{
  return td_test_query_int (db,
                            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
}

static int
get_version (sqlite3 *db)
{
  g_autoptr (GError) error = NULL;
  int version;

  version = td_schema_get_version (db, &error);
  g_assert_no_error (error);
  return version;
}

static void
migrate_ok (sqlite3 *db, TdSchemaKind kind)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (td_schema_migrate (db, kind, &error));
  g_assert_no_error (error);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_file_unchanged (const char *path, GBytes *before)
{
  g_autoptr (GBytes) after = read_file (path);

  g_assert_true (g_bytes_equal (before, after));
}

/* How many live tickets the full-text index finds for @query. */
static gint64
search_count (sqlite3 *db, const char *query)
{
  sqlite3_stmt *stmt = NULL;
  gint64        count;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count(*) FROM ticket_fts"
                                       " JOIN ticket ON ticket.rowid = ticket_fts.rowid"
                                       " WHERE ticket_fts MATCH ? AND ticket.deleted = 0",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

/* Fails (SQLITE_CORRUPT_VTAB) if the index and the ticket table disagree. */
static void
assert_fts_consistent (sqlite3 *db)
{
  exec_ok (db, "INSERT INTO ticket_fts (ticket_fts, rank) VALUES ('integrity-check', 1)");
}

static void
fixture_set_up (Fixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tierdesk-schema-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->db = open_db (fixture->path);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_clear_pointer (&fixture->db, sqlite3_close);

  /* Tests may leave more than one database (and its journal) behind. */
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);

  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

static void
test_latest (void)
{
  /* Upgrading from version 1 is only tested if there is something above it. */
  g_assert_cmpint (td_schema_get_latest (TD_SCHEMA_SERVER), >=, 2);
  g_assert_cmpint (td_schema_get_latest (TD_SCHEMA_CLIENT), >=, 2);
}

static void
test_synced_tables_list (void)
{
  const char *const *tables = td_schema_get_synced_tables ();

  g_assert_cmpstrv (tables, synced_tables);
}

static void
test_fresh (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind       kind = kind_of (user_data);
  const char *const *tables;

  g_assert_cmpint (get_version (fixture->db), ==, 0);
  migrate_ok (fixture->db, kind);
  g_assert_cmpint (get_version (fixture->db), ==, td_schema_get_latest (kind));

  for (guint i = 0; synced_tables[i] != NULL; i++)
    g_assert_true (object_exists (fixture->db, "table", synced_tables[i]));
  g_assert_true (object_exists (fixture->db, "table", "ticket_fts"));

  tables = own_tables (kind);
  for (guint i = 0; tables[i] != NULL; i++)
    g_assert_true (object_exists (fixture->db, "table", tables[i]));

  tables = other_tables (kind);
  for (guint i = 0; tables[i] != NULL; i++)
    g_assert_false (object_exists (fixture->db, "table", tables[i]));

  g_assert_true (object_exists (fixture->db, "index", "ticket_queue_idx"));
  g_assert_true (object_exists (fixture->db, "index", "ticket_event_ticket_idx"));
  g_assert_cmpint (kind == TD_SCHEMA_SERVER, ==,
                   object_exists (fixture->db, "index", "ticket_rev_idx"));

  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT count(*) FROM pragma_foreign_key_check"),
                   ==, 0);
  {
    g_autofree char *ok = query_text (fixture->db, "PRAGMA integrity_check");
    g_assert_cmpstr (ok, ==, "ok");
  }
}

static void
test_twice (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);
  g_autoptr (GBytes) before = NULL;
  gint64 n_objects;

  migrate_ok (fixture->db, kind);
  n_objects = count_schema_objects (fixture->db);
  before = read_file (fixture->path);

  migrate_ok (fixture->db, kind);
  g_assert_cmpint (get_version (fixture->db), ==, td_schema_get_latest (kind));
  g_assert_cmpint (count_schema_objects (fixture->db), ==, n_objects);
  /* Not even the change counter in the header moved: nothing was written. */
  assert_file_unchanged (fixture->path, before);
}

static void
test_upgrade_from_1 (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;

  g_assert_true (td_schema_migrate_to (fixture->db, kind, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (get_version (fixture->db), ==, 1);
  g_assert_true (object_exists (fixture->db, "table", "ticket"));
  g_assert_false (object_exists (fixture->db, "index", "ticket_queue_idx"));

  exec_ok (fixture->db,
           "INSERT INTO ticket (uuid, rev, title, description, tier, severity, created_at)"
           " VALUES ('t-1', 3, 'Leave balance wrong', 'accrual shows negative hours', 2, 'SEV-3',"
           " 1700000000);"
           "INSERT INTO ticket_event (uuid, rev, ticket, kind, at, body)"
           " VALUES ('e-1', 4, 't-1', 'comment', 1700000100, 'looking');"
           "INSERT INTO person (uuid, rev, name, tier, start_date)"
           " VALUES ('p-1', 5, 'Ada', 2, '2024-01-15');");

  /* Upgrade as a later run of the program would: a new connection. */
  g_clear_pointer (&fixture->db, sqlite3_close);
  fixture->db = open_db (fixture->path);
  migrate_ok (fixture->db, kind);

  g_assert_cmpint (get_version (fixture->db), ==, td_schema_get_latest (kind));
  g_assert_true (object_exists (fixture->db, "index", "ticket_queue_idx"));
  title = query_text (fixture->db, "SELECT title FROM ticket WHERE uuid = 't-1' AND rev = 3");
  g_assert_cmpstr (title, ==, "Leave balance wrong");
  g_assert_cmpint (
      td_test_query_int (fixture->db, "SELECT count(*) FROM ticket_event WHERE ticket = 't-1'"), ==,
      1);
  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT tier FROM person WHERE uuid = 'p-1'"),
                   ==, 2);
  g_assert_cmpint (
      td_test_query_int (fixture->db, "SELECT severity = 'SEV-3' FROM ticket WHERE uuid = 't-1'"),
      ==, 1);
  g_assert_cmpint (search_count (fixture->db, "accrual"), ==, 1);
  assert_fts_consistent (fixture->db);
}

/* Migration 3: a rotation stored before it stays weekly, handing off on its
 * start date's weekday; the new columns refuse nonsense. */
static void
test_upgrade_from_2 (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);
  g_autoptr (GError) error = NULL;
  char *message = NULL;

  g_assert_true (td_schema_migrate_to (fixture->db, kind, 2, &error));
  g_assert_no_error (error);
  exec_ok (fixture->db,
           "INSERT INTO rotation (uuid, rev, name, policy_id, tier, time_zone, start_date,"
           " handoff_time, weeks, positions) VALUES ('r-1', 7, 'Tier 2 On-Call Rotation',"
           " 'tier2-on-call', 2, 'Europe/London', '2026-01-05', '09:00', 4,"
           " '[\"primary\",\"secondary\"]');");

  g_clear_pointer (&fixture->db, sqlite3_close);
  fixture->db = open_db (fixture->path);
  migrate_ok (fixture->db, kind);

  g_assert_cmpint (get_version (fixture->db), ==, td_schema_get_latest (kind));
  g_assert_cmpint (
      td_test_query_int (fixture->db, "SELECT shift_days FROM rotation WHERE uuid = 'r-1'"), ==, 7);
  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT handoff_weekday IS NULL AND rev = 7"
                                                   " AND weeks = 4 FROM rotation"),
                   ==, 1);
  g_assert_cmpint (
      sqlite3_exec (fixture->db, "UPDATE rotation SET shift_days = 0", NULL, NULL, &message), ==,
      SQLITE_CONSTRAINT);
  sqlite3_free (message);
  message = NULL;
  g_assert_cmpint (
      sqlite3_exec (fixture->db, "UPDATE rotation SET handoff_weekday = 8", NULL, NULL, &message),
      ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
  g_assert_cmpint (object_exists (fixture->db, "table", "feed_key"), ==, kind == TD_SCHEMA_SERVER);
}

/* Migrations 4 to 8 on a database of version 3: requests filed before
 * them keep everything, with no evidence and no routed approver for access
 * until someone decides them; tickets keep their rows, with no
 * documentation clock; the knowledge tables are there, and in a client
 * cache an article is found by words of its body; a handoff stored before
 * stays, unacknowledged; production changes can be recorded, and only
 * with a status the metrics know. */
static void
test_upgrade_from_3 (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);
  g_autoptr (GError) error = NULL;
  char *message = NULL;

  g_assert_true (td_schema_migrate_to (fixture->db, kind, 3, &error));
  g_assert_no_error (error);
  exec_ok (fixture->db,
           "INSERT INTO correction_request (uuid, rev, correction_type, affected_user_id,"
           " description, status) VALUES ('c-1', 9, 'single-balance', 'E1', '3 days short',"
           " 'pending');"
           "INSERT INTO access_request (uuid, rev, person, tool, reason) VALUES"
           " ('a-1', 10, 'p-1', 'apm', 'On call');");
  exec_ok (fixture->db, "INSERT INTO ticket (uuid, rev, title, status, resolved_at)"
                        " VALUES ('t-1', 9, 'Payroll sync did not run', 'resolved', 1700000000);");
  exec_ok (fixture->db,
           "INSERT INTO shift_handoff (uuid, rev, author, tier, created_at, report, notes)"
           " VALUES ('h-1', 9, 'p-1', 2, 1700000000, '{\"open_tickets\":[]}', 'Quiet night');");

  g_clear_pointer (&fixture->db, sqlite3_close);
  fixture->db = open_db (fixture->path);
  migrate_ok (fixture->db, kind);

  g_assert_cmpint (get_version (fixture->db), ==, td_schema_get_latest (kind));
  g_assert_cmpint (td_test_query_int (fixture->db,
                                      "SELECT evidence IS NULL AND rev = 9 AND description = "
                                      "'3 days short' FROM correction_request WHERE uuid = 'c-1'"),
                   ==, 1);
  g_assert_cmpint (td_test_query_int (fixture->db,
                                      "SELECT approver_role IS NULL AND tool = 'apm' AND status = "
                                      "'pending' FROM access_request WHERE uuid = 'a-1'"),
                   ==, 1);
  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT new_issue = 0 AND resolution_class IS"
                                                   " NULL AND documented_at IS NULL AND rev = 9"
                                                   " FROM ticket WHERE uuid = 't-1'"),
                   ==, 1);
  exec_ok (fixture->db,
           "INSERT INTO article (uuid, title, kind, body, tags) VALUES ('a-1', 'Payroll sync',"
           " 'runbook', 'Check the scheduler host first', '[\"payroll\"]');"
           "INSERT INTO pir (uuid, ticket) VALUES ('p-1', 't-1');");
  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT count(*) FROM pir WHERE status ="
                                                   " 'scheduled' AND actions = '[]'"),
                   ==, 1);
  g_assert_cmpint (
      sqlite3_exec (fixture->db, "UPDATE article SET kind = 'howto'", NULL, NULL, &message), ==,
      SQLITE_CONSTRAINT);
  sqlite3_free (message);
  g_assert_cmpint (object_exists (fixture->db, "table", "article_fts"), ==,
                   kind == TD_SCHEMA_CLIENT);
  if (kind == TD_SCHEMA_CLIENT)
    g_assert_cmpint (td_test_query_int (fixture->db, "SELECT count(*) FROM article_fts WHERE"
                                                     " article_fts MATCH 'schedul*'"),
                     ==, 1);
  g_assert_cmpint (td_test_query_int (fixture->db,
                                      "SELECT handed_to IS NULL AND acknowledged_by IS NULL"
                                      " AND acknowledged_at IS NULL AND rev = 9"
                                      " AND notes = 'Quiet night' FROM shift_handoff"),
                   ==, 1);
  g_assert_true (object_exists (fixture->db, "index", "shift_handoff_tier_idx"));
  exec_ok (fixture->db, "INSERT INTO change_record (uuid, title, kind, tier, ticket)"
                        " VALUES ('c-1', 'Raise the sync timeout', 'configuration', 2, 't-1');");
  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT status = 'planned' AND performed_at IS"
                                                   " NULL FROM change_record WHERE uuid = 'c-1'"),
                   ==, 1);
  g_assert_cmpint (
      sqlite3_exec (fixture->db, "UPDATE change_record SET status = 'done'", NULL, NULL, &message),
      ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
  g_assert_true (object_exists (fixture->db, "index", "change_record_performed_idx"));
}

static void
test_too_new (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) before = NULL;
  g_autofree char *expected = NULL;
  int              too_new = td_schema_get_latest (kind) + 5;
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", too_new);

  exec_ok (fixture->db, set_version);
  before = read_file (fixture->path);

  g_assert_false (td_schema_migrate (fixture->db, kind, &error));
  g_assert_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_TOO_NEW);
  expected = g_strdup_printf ("database schema version %d is newer than this program supports "
                              "(%d); upgrade Tierdesk",
                              too_new, td_schema_get_latest (kind));
  g_assert_cmpstr (error->message, ==, expected);

  g_assert_cmpint (get_version (fixture->db), ==, too_new);
  g_assert_cmpint (count_schema_objects (fixture->db), ==, 0);
  assert_file_unchanged (fixture->path, before);
}

/* Fails migration 1 on a fresh file by taking one of its table names
 * first, and checks the file is left as it was. */
static void
check_failed_migration_1 (const char *dir, TdSchemaKind kind, const char *taken)
{
  g_autofree char *basename = g_strdup_printf ("collide-%s.db", taken);
  g_autofree char *path = g_build_filename (dir, basename, NULL);
  g_autofree char *create = g_strdup_printf ("CREATE TABLE %s (x)", taken);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) before = NULL;
  sqlite3 *db = open_db (path);

  exec_ok (db, create);
  before = read_file (path);

  g_assert_false (td_schema_migrate (db, kind, &error));
  g_assert_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_MIGRATION);
  g_assert_true (g_str_has_prefix (error->message, "migration 1 failed: "));
  g_assert_nonnull (strstr (error->message, taken));

  g_assert_cmpint (get_version (db), ==, 0);
  g_assert_cmpint (count_schema_objects (db), ==, 1);
  g_assert_true (object_exists (db, "table", taken));
  /* The connection is usable and not left inside a transaction. */
  g_assert_true (sqlite3_get_autocommit (db));
  assert_file_unchanged (path, before);

  sqlite3_close (db);
}

static void
test_failed_migration (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind       kind = kind_of (user_data);
  const char *const *tables = own_tables (kind);
  guint              last = g_strv_length ((char **) tables) - 1;

  /* The first table migration 1 creates, and the last, so that by the
   * time it fails every other table of the migration has been created and
   * must be rolled back. */
  check_failed_migration_1 (fixture->dir, kind, "ticket");
  check_failed_migration_1 (fixture->dir, kind, tables[last]);
}

/* All missing migrations are one transaction: a failure in migration 2
 * also undoes migration 1. */
static void
test_one_transaction (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) before = NULL;

  /* Tables and indexes share one namespace: this takes an index name. */
  exec_ok (fixture->db, "CREATE TABLE ticket_queue_idx (x)");
  before = read_file (fixture->path);

  g_assert_false (td_schema_migrate (fixture->db, kind, &error));
  g_assert_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_MIGRATION);
  g_assert_true (g_str_has_prefix (error->message, "migration 2 failed: "));

  g_assert_cmpint (get_version (fixture->db), ==, 0);
  g_assert_false (object_exists (fixture->db, "table", "ticket"));
  g_assert_cmpint (count_schema_objects (fixture->db), ==, 1);
  assert_file_unchanged (fixture->path, before);
}

static void
test_failed_upgrade_keeps_data (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) before = NULL;

  g_assert_true (td_schema_migrate_to (fixture->db, kind, 1, &error));
  g_assert_no_error (error);
  exec_ok (fixture->db, "INSERT INTO ticket (uuid, title) VALUES ('t-1', 'kept');"
                        "CREATE INDEX ticket_queue_idx ON ticket (title);");
  before = read_file (fixture->path);

  g_assert_false (td_schema_migrate (fixture->db, kind, &error));
  g_assert_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_MIGRATION);
  g_assert_true (g_str_has_prefix (error->message, "migration 2 failed: "));

  g_assert_cmpint (get_version (fixture->db), ==, 1);
  g_assert_cmpint (
      td_test_query_int (fixture->db, "SELECT count(*) FROM ticket WHERE title = 'kept'"), ==, 1);
  assert_file_unchanged (fixture->path, before);
}

static void
test_not_a_database (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind     kind = kind_of (user_data);
  g_autofree char *path = g_build_filename (fixture->dir, "garbage.db", NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *db;

  g_assert_true (
      g_file_set_contents (path, "this is not an SQLite database, not even close\n", -1, &error));
  g_assert_no_error (error);
  db = open_db (path);

  g_assert_cmpint (td_schema_get_version (db, &error), ==, -1);
  g_assert_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_SQLITE);
  g_clear_error (&error);

  g_assert_false (td_schema_migrate (db, kind, &error));
  g_assert_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_SQLITE);

  sqlite3_close (db);
}

/* Every synced table carries uuid, rev and deleted, and can take a row
 * made of those alone: the sync code writes tombstones for rows it never
 * saw, and UPSERTs partial rows. */
static void
test_synced_columns (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);

  migrate_ok (fixture->db, kind);

  for (guint i = 0; synced_tables[i] != NULL; i++)
    {
      const char      *table = synced_tables[i];
      g_autofree char *pk = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *message = NULL;

      sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s') WHERE pk = 1", table);
      pk = query_text (fixture->db, sql);
      g_assert_cmpstr (pk, ==, "uuid");
      g_clear_pointer (&sql, g_free);

      sql = g_strdup_printf ("SELECT count(*) FROM pragma_table_info ('%s')"
                             " WHERE (name = 'rev' OR name = 'deleted')"
                             " AND type = 'INTEGER' AND \"notnull\" = 1 AND dflt_value = '0'",
                             table);
      g_assert_cmpint (td_test_query_int (fixture->db, sql), ==, 2);
      g_clear_pointer (&sql, g_free);

      sql = g_strdup_printf ("INSERT INTO %s (uuid, rev, deleted) VALUES ('tomb', 7, 1)"
                             " ON CONFLICT (uuid) DO UPDATE SET rev = excluded.rev,"
                             " deleted = excluded.deleted",
                             table);
      exec_ok (fixture->db, sql);
      exec_ok (fixture->db, sql);
      g_clear_pointer (&sql, g_free);

      sql = g_strdup_printf ("INSERT INTO %s (uuid) VALUES ('fresh')", table);
      exec_ok (fixture->db, sql);
      g_clear_pointer (&sql, g_free);

      sql = g_strdup_printf ("SELECT rev * 10 + deleted FROM %s WHERE uuid = 'fresh'", table);
      g_assert_cmpint (td_test_query_int (fixture->db, sql), ==, 0);
      g_clear_pointer (&sql, g_free);

      sql = g_strdup_printf ("UPDATE %s SET deleted = 2 WHERE uuid = 'fresh'", table);
      message = exec_fails (fixture->db, sql);
      g_assert_nonnull (strstr (message, "CHECK constraint failed"));
      g_clear_pointer (&message, g_free);
      g_clear_pointer (&sql, g_free);

      sql = g_strdup_printf ("INSERT INTO %s (uuid) VALUES ('fresh')", table);
      message = exec_fails (fixture->db, sql);
      g_assert_nonnull (strstr (message, "UNIQUE constraint failed"));
    }
}

static void
test_audit_log_append_only (Fixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
  g_autofree char *update_message = NULL;
  g_autofree char *delete_message = NULL;
  g_autofree char *action = NULL;

  migrate_ok (fixture->db, TD_SCHEMA_SERVER);
  exec_ok (fixture->db,
           "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after)"
           " VALUES (1700000000, 'ada', 'ticket.update', 'ticket', 't-1',"
           " '{\"status\":\"new\"}', '{\"status\":\"open\"}');"
           "INSERT INTO audit_log (at, actor, action) VALUES (1700000001, 'ada', 'login');");

  update_message = exec_fails (fixture->db, "UPDATE audit_log SET action = 'nothing'");
  g_assert_cmpstr (update_message, ==, "audit_log is append-only");
  delete_message = exec_fails (fixture->db, "DELETE FROM audit_log WHERE id = 1");
  g_assert_cmpstr (delete_message, ==, "audit_log is append-only");
  g_free (exec_fails (fixture->db, "DELETE FROM audit_log"));

  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT count(*) FROM audit_log"), ==, 2);
  action = query_text (fixture->db, "SELECT action FROM audit_log WHERE id = 1");
  g_assert_cmpstr (action, ==, "ticket.update");

  /* Still appendable after the refusals. */
  exec_ok (fixture->db, "INSERT INTO audit_log (at, action) VALUES (1700000002, 'logout')");
  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT max(id) FROM audit_log"), ==, 3);
}

static void
test_server_meta (Fixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
  g_autofree char *epoch = NULL;

  migrate_ok (fixture->db, TD_SCHEMA_SERVER);

  epoch = query_text (fixture->db, "SELECT value FROM meta WHERE key = 'epoch'");
  g_assert_nonnull (epoch);
  g_assert_cmpuint (strlen (epoch), ==, 32);
  g_assert_cmpint (td_test_query_int (fixture->db,
                                      "SELECT typeof (value) = 'integer' AND value = 0 FROM meta"
                                      " WHERE key = 'head_rev'"),
                   ==, 1);

  /* Tokens go with their account. */
  exec_ok (fixture->db,
           "INSERT INTO account (id, username, password_hash, role, created_at)"
           " VALUES (1, 'Ada', '$argon2id$...', 'administrator', 0);"
           "INSERT INTO token (hash, account, created_at, expires_at) VALUES ('h', 1, 0, 10);"
           "DELETE FROM account WHERE id = 1;");
  g_assert_cmpint (td_test_query_int (fixture->db, "SELECT count(*) FROM token"), ==, 0);
}

static void
test_client_outbox (Fixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
  g_autofree char *message = NULL;

  migrate_ok (fixture->db, TD_SCHEMA_CLIENT);

  exec_ok (fixture->db, "INSERT INTO outbox (command, type, entity, entity_id, fields, created_at)"
                        " VALUES ('c-1', 'update', 'ticket', 't-1', '{\"title\":\"x\"}', 0)");
  g_assert_cmpint (
      td_test_query_int (fixture->db, "SELECT state = 'pending' AND attempts = 0 FROM outbox"), ==,
      1);

  message = exec_fails (fixture->db, "UPDATE outbox SET state = 'sent'");
  g_assert_nonnull (strstr (message, "CHECK constraint failed"));
  g_clear_pointer (&message, g_free);

  message
      = exec_fails (fixture->db, "INSERT INTO outbox (command, type, entity, entity_id, created_at)"
                                 " VALUES ('c-1', 'update', 'ticket', 't-1', 0)");
  g_assert_nonnull (strstr (message, "UNIQUE constraint failed"));
  g_clear_pointer (&message, g_free);

  message = exec_fails (fixture->db, "UPDATE outbox SET fields = '{not json'");
  g_assert_nonnull (strstr (message, "CHECK constraint failed"));
}

static void
test_fts (Fixture *fixture, gconstpointer user_data)
{
  TdSchemaKind kind = kind_of (user_data);

  migrate_ok (fixture->db, kind);

  exec_ok (fixture->db, "INSERT INTO ticket (uuid, title, description, affected_user_id)"
                        " VALUES ('t-1', 'Cannot submit leave', 'the calendar widget freezes',"
                        " 'E1042');"
                        "INSERT INTO ticket (uuid, title, description)"
                        " VALUES ('t-2', 'Password reset', 'locked out after three tries');");
  g_assert_cmpint (search_count (fixture->db, "freezes"), ==, 1);
  g_assert_cmpint (search_count (fixture->db, "e1042"), ==, 1);
  g_assert_cmpint (search_count (fixture->db, "fre*"), ==, 1);
  g_assert_cmpint (search_count (fixture->db, "locked"), ==, 1);
  assert_fts_consistent (fixture->db);

  /* The old words leave the index with the update, the new ones enter it. */
  exec_ok (fixture->db, "UPDATE ticket SET description = 'the approval button crashes'"
                        " WHERE uuid = 't-1'");
  g_assert_cmpint (search_count (fixture->db, "freezes"), ==, 0);
  g_assert_cmpint (search_count (fixture->db, "crashes"), ==, 1);
  assert_fts_consistent (fixture->db);

  /* An update that does not touch the text keeps it searchable. */
  exec_ok (fixture->db, "UPDATE ticket SET status = 'open', rev = 9 WHERE uuid = 't-1'");
  g_assert_cmpint (search_count (fixture->db, "crashes"), ==, 1);

  /* The way sync code writes rows it pulls. */
  exec_ok (fixture->db,
           "INSERT INTO ticket (uuid, rev, title, description) VALUES ('t-1', 10, 'Cannot submit',"
           " 'the approval button hangs')"
           " ON CONFLICT (uuid) DO UPDATE SET rev = excluded.rev, title = excluded.title,"
           " description = excluded.description");
  g_assert_cmpint (search_count (fixture->db, "crashes"), ==, 0);
  g_assert_cmpint (search_count (fixture->db, "hangs"), ==, 1);
  assert_fts_consistent (fixture->db);

  /* A tombstone is filtered by the query, the index still knows it. */
  exec_ok (fixture->db, "UPDATE ticket SET deleted = 1 WHERE uuid = 't-2'");
  g_assert_cmpint (search_count (fixture->db, "locked"), ==, 0);

  exec_ok (fixture->db, "DELETE FROM ticket WHERE uuid = 't-1'");
  g_assert_cmpint (search_count (fixture->db, "hangs"), ==, 0);
  g_assert_cmpint (td_test_query_int (fixture->db,
                                      "SELECT count(*) FROM ticket_fts WHERE ticket_fts"
                                      " MATCH 'hangs'"),
                   ==, 0);
  assert_fts_consistent (fixture->db);

  /* The index is keyed by ticket's rowid: check VACUUM keeps them in step. */
  exec_ok (fixture->db, "INSERT INTO ticket (uuid, description) VALUES ('t-3', 'report export');"
                        "VACUUM;");
  g_assert_cmpint (search_count (fixture->db, "export"), ==, 1);
  assert_fts_consistent (fixture->db);
}

static void
add_kind_test (const char *name, TdSchemaKind kind, void (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/core/schema/%s/%s",
                                           kind == TD_SCHEMA_SERVER ? "server" : "client", name);

  g_test_add (path, Fixture, GINT_TO_POINTER (kind), fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char *argv[])
{
  static const TdSchemaKind kinds[] = { TD_SCHEMA_SERVER, TD_SCHEMA_CLIENT };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/schema/latest", test_latest);
  g_test_add_func ("/core/schema/synced-tables", test_synced_tables_list);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      add_kind_test ("fresh", kinds[i], test_fresh);
      add_kind_test ("twice", kinds[i], test_twice);
      add_kind_test ("upgrade-from-1", kinds[i], test_upgrade_from_1);
      add_kind_test ("upgrade-from-2", kinds[i], test_upgrade_from_2);
      add_kind_test ("upgrade-from-3", kinds[i], test_upgrade_from_3);
      add_kind_test ("too-new", kinds[i], test_too_new);
      add_kind_test ("failed-migration", kinds[i], test_failed_migration);
      add_kind_test ("one-transaction", kinds[i], test_one_transaction);
      add_kind_test ("failed-upgrade-keeps-data", kinds[i], test_failed_upgrade_keeps_data);
      add_kind_test ("not-a-database", kinds[i], test_not_a_database);
      add_kind_test ("synced-columns", kinds[i], test_synced_columns);
      add_kind_test ("fts", kinds[i], test_fts);
    }

  add_kind_test ("audit-log-append-only", TD_SCHEMA_SERVER, test_audit_log_append_only);
  add_kind_test ("meta", TD_SCHEMA_SERVER, test_server_meta);
  add_kind_test ("outbox", TD_SCHEMA_CLIENT, test_client_outbox);

  return g_test_run ();
}
