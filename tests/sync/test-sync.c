/* test-sync.c — desktops syncing with the real tierdeskd: offline edits, kills, conflicts, restores
 *
 * Each test starts tierdeskd on a loopback port with a database of its own.
 * A "desktop" is a TdCache in a file of its own plus a TdSyncClient, driven
 * in this process; where a process must die mid-sync, the tierdesk-sync
 * binary runs as a child. What the server holds is read from its database
 * (read-only) and compared with the caches row by row.
 *
 * Each test runs in a subprocess of its own, so that one failing test does
 * not stop the others, and a server left behind by a failed test is killed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "td-rota-store.h"
#include "td-schema.h"
#include "td-sync.h"
#include "td-test-server.h"
#include "td-test-util.h"

static const char *const accounts[] = {
  "lead:app-support-lead",
  "analyst:service-desk-analyst",
  "manager:service-desk-manager",
  NULL,
};

typedef struct
{
  TdTestServer *server;
  char         *url;
  char         *leftovers;
} Fixture;

typedef struct
{
  char         *path;
  char         *user;
  TdCache      *cache;
  TdSyncClient *client;
} Desktop;

typedef TdSyncStats Stats;

typedef struct
{
  int      status; /* exit status, or minus the signal that ended it */
  char    *out;
  char    *err;
  gboolean parsed;
  guint    pushed;
  guint    applied;
  guint    duplicates;
  guint    conflicts;
  guint    rejected;
  guint    pulled;
  guint    pages;
  gboolean resynced;
  guint    pending;
} CliRun;

static void
stats_free (Stats *stats)
{
  td_sync_stats_clear (stats);
  g_free (stats);
}

static void
cli_run_free (CliRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

static void
desktop_free (Desktop *desktop)
{
  g_clear_object (&desktop->client);
  g_clear_object (&desktop->cache);
  g_free (desktop->path);
  g_free (desktop->user);
  g_free (desktop);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stats, stats_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliRun, cli_run_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desktop, desktop_free)
typedef sqlite3_stmt Statement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, sqlite3_finalize)

/* The server */

/* The test's parent kills what a failed test leaves running. */
static void
note_server (Fixture *fixture)
{
  g_autofree char *line
      = g_strdup_printf ("%d %s\n", (int) fixture->server->pid, fixture->server->dir);
  FILE *file = fopen (fixture->leftovers, "a");

  g_assert_nonnull (file);
  fputs (line, file);
  fclose (file);
}

static void
server_start (Fixture *fixture)
{
  td_test_server_start (fixture->server);
  note_server (fixture);
  if (fixture->url == NULL)
    fixture->url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);
}

static sqlite3 *
open_read_only (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    g_error ("cannot open %s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static gint64
server_int (Fixture *fixture, const char *sql)
{
  sqlite3 *db = open_read_only (fixture->server->db);
  gint64   value = td_test_query_int (db, sql);

  sqlite3_close (db);
  return value;
}

/* One text column of one row, or NULL. */
static char *
query_text (const char *path, const char *sql, const char *param)
{
  sqlite3 *db = open_read_only (path);
  g_autoptr (Statement) stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (db);
  return value;
}

static char *
server_ticket_column (Fixture *fixture, const char *uuid, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM ticket WHERE uuid = ?", column);

  return query_text (fixture->server->db, sql, uuid);
}

static gint64
server_ticket_rev (Fixture *fixture, const char *uuid)
{
  g_autofree char *rev = server_ticket_column (fixture, uuid, "rev");

  g_assert_nonnull (rev);
  return g_ascii_strtoll (rev, NULL, 10);
}

static gint64
server_head (Fixture *fixture)
{
  return server_int (fixture, "SELECT value FROM meta WHERE key = 'head_rev'");
}

/* Rows of every synced table, tombstones included, with rev above @rev. */
static gint64
server_rows_after (Fixture *fixture, gint64 rev)
{
  const char *const *tables = td_schema_get_synced_tables ();
  gint64             total = 0;

  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf (
          "SELECT COUNT (*) FROM %s WHERE rev > %" G_GINT64_FORMAT, tables[i], rev);
      total += server_int (fixture, sql);
    }
  return total;
}

/* Rows after @rev that a new desktop has before the feed reaches them:
 * the snapshot of open tickets and people it starts with. */
static gint64
snapshot_rows_after (Fixture *fixture, gint64 rev)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT (SELECT COUNT (*) FROM person WHERE deleted = 0 AND rev > %" G_GINT64_FORMAT ")"
      " + (SELECT COUNT (*) FROM ticket WHERE deleted = 0 AND rev > %" G_GINT64_FORMAT
      " AND status NOT IN ('resolved', 'closed'))",
      rev, rev);

  return server_int (fixture, sql);
}

/* Rows of @table after @rev that only the feed can have brought. */
static char *
beyond_cursor_sql (const char *table, gint64 rev)
{
  if (g_str_equal (table, "person"))
    return g_strdup_printf (
        "SELECT COUNT (*) FROM person WHERE rev > %" G_GINT64_FORMAT " AND deleted <> 0", rev);
  if (g_str_equal (table, "ticket"))
    return g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE rev > %" G_GINT64_FORMAT
                            " AND status IN ('resolved', 'closed')",
                            rev);
  return g_strdup_printf ("SELECT COUNT (*) FROM %s WHERE rev > %" G_GINT64_FORMAT, table, rev);
}

static void tierdeskd_ok (const char *first_arg, ...) G_GNUC_NULL_TERMINATED;

/* Runs a tierdeskd admin command that must succeed. */
static void
tierdeskd_ok (const char *first_arg, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  const char *arg;
  int         wait_status = 0;
  va_list     args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TD_TIERDESKD"));
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (g_ptr_array_index (argv, 0));
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("tierdeskd %s failed: %s", first_arg, err);
}

/* Fixture */

typedef struct
{
  guint demo_tickets;
} Setup;

static void
fixture_set_up (Fixture *fixture, const Setup *setup)
{
  const char *workdir = g_getenv ("TD_TEST_WORKDIR");

  g_assert_nonnull (workdir);
  fixture->leftovers = g_build_filename (workdir, "leftovers", NULL);
  fixture->server = td_test_server_new (accounts);
  if (setup->demo_tickets > 0)
    {
      g_autofree char *tickets = g_strdup_printf ("%u", setup->demo_tickets);
      tierdeskd_ok ("demo-data", "--db", fixture->server->db, "--tickets", tickets, NULL);
    }
  server_start (fixture);
}

static void
fixture_tear_down (Fixture *fixture)
{
  td_test_server_free (fixture->server);
  g_free (fixture->url);
  g_free (fixture->leftovers);
}

/* Desktops */

static Desktop *
desktop_new (Fixture *fixture, const char *name, const char *user)
{
  Desktop *desktop = g_new0 (Desktop, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".db", NULL);

  desktop->path = g_build_filename (fixture->server->dir, file, NULL);
  desktop->user = g_strdup (user);
  desktop->cache = td_cache_open (desktop->path, &error);
  g_assert_no_error (error);
  desktop->client = td_sync_client_new (fixture->url);
  td_sync_client_login (desktop->client, user, TD_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  return desktop;
}

static Stats *
sync_ok (Desktop *desktop)
{
  Stats *stats = g_new0 (Stats, 1);
  g_autoptr (GError) error = NULL;
  gboolean ok = td_sync_run (desktop->client, desktop->cache, stats, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return stats;
}

/* A sync whose figures the test does not look at. */
static void
sync_quietly (Desktop *desktop)
{
  stats_free (sync_ok (desktop));
}

static JsonObject *
object_from (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Only what a user types goes into the command: tier, status, priority
 * and the clocks are the server's to set. */
static char *
create_ticket (Desktop *desktop, const char *title)
{
  g_autoptr (JsonObject) fields
      = object_from ("{\"description\": \"Annual leave balance shows 0 after the payroll sync\","
                     " \"affected_user_id\": \"E10442\","
                     " \"contact\": \"pat@example.com\","
                     " \"steps_to_reproduce\": \"Log in, open My Leave\","
                     " \"error_message\": \"Balance: 0.0 days\","
                     " \"impact\": \"low\", \"urgency\": \"medium\","
                     " \"occurred_at\": \"2026-11-20T09:00:00Z\"}");
  g_autoptr (GError) error = NULL;
  char *uuid;

  json_object_set_string_member (fields, "title", title);
  uuid = td_cache_create (desktop->cache, "ticket", fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  return uuid;
}

static void
update_ticket (Desktop *desktop, const char *uuid, const char *field, const char *value)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (fields, field, value);
  td_cache_update (desktop->cache, "ticket", uuid, fields, &error);
  g_assert_no_error (error);
}

static char *
cache_ticket_column (Desktop *desktop, const char *uuid, const char *column)
{
  g_autoptr (JsonObject) row = td_cache_get_row (desktop->cache, "ticket", uuid);
  JsonNode *node;

  g_assert_nonnull (row);
  node = json_object_get_member (row, column);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (json_node_get_string (node));
}

static gint64
cache_ticket_rev (Desktop *desktop, const char *uuid)
{
  g_autoptr (JsonObject) row = td_cache_get_row (desktop->cache, "ticket", uuid);

  g_assert_nonnull (row);
  return json_object_get_int_member (row, "rev");
}

/* "EPOCH:REV" → REV */
static gint64
cursor_rev (const char *cursor)
{
  const char *colon = cursor != NULL ? strrchr (cursor, ':') : NULL;

  return colon != NULL ? g_ascii_strtoll (colon + 1, NULL, 10) : 0;
}

/* The cache equals the server: for every synced table, the same live rows
 * (same uuids, same revs: compared as a checksum) with the same value in
 * every column. Tombstones are gone from the cache. */
static void
assert_cache_equals_server (Fixture *fixture, const char *cache_path)
{
  const char *const *tables = td_schema_get_synced_tables ();
  sqlite3           *db = open_read_only (fixture->server->db);
  g_autofree char   *attach = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS c", cache_path);
  gboolean           equal = TRUE;

  g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint t = 0; tables[t] != NULL; t++)
    {
      const char *table = tables[t];
      g_autoptr (GString) columns = g_string_new (NULL);
      char  *checksums[2] = { NULL, NULL };
      gint64 counts[2] = { 0, 0 };
      gint64 only[2] = { 0, 0 };
      gint64 tombstones;

      {
        g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
        g_autoptr (Statement) stmt = NULL;

        g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          g_string_append_printf (columns, "%s%s", columns->len > 0 ? ", " : "",
                                  sqlite3_column_text (stmt, 0));
      }

      for (int side = 0; side < 2; side++)
        {
          g_autofree char *sql
              = g_strdup_printf ("SELECT uuid, rev FROM %s.%s WHERE deleted = 0 ORDER BY uuid",
                                 side == 0 ? "main" : "c", table);
          g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
          g_autoptr (Statement) stmt = NULL;

          g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              g_autofree char *line
                  = g_strdup_printf ("%s %" G_GINT64_FORMAT "\n", sqlite3_column_text (stmt, 0),
                                     (gint64) sqlite3_column_int64 (stmt, 1));
              g_checksum_update (checksum, (const guchar *) line, -1);
              counts[side]++;
            }
          checksums[side] = g_strdup (g_checksum_get_string (checksum));
        }

      for (int side = 0; side < 2; side++)
        {
          g_autofree char *sql = g_strdup_printf (
              "SELECT COUNT (*) FROM (SELECT %s FROM %s.%s WHERE deleted = 0 EXCEPT "
              "SELECT %s FROM %s.%s WHERE deleted = 0)",
              columns->str, side == 0 ? "main" : "c", table, columns->str, side == 0 ? "c" : "main",
              table);
          only[side] = td_test_query_int (db, sql);
        }
      {
        g_autofree char *sql
            = g_strdup_printf ("SELECT COUNT (*) FROM c.%s WHERE deleted = 1", table);
        tombstones = td_test_query_int (db, sql);
      }

      if (counts[0] != counts[1] || g_strcmp0 (checksums[0], checksums[1]) != 0 || only[0] != 0
          || only[1] != 0 || tombstones != 0)
        {
          g_autofree char *sql = g_strdup_printf (
              "SELECT 'server', uuid, rev FROM (SELECT %s FROM main.%s WHERE deleted = 0 EXCEPT "
              "SELECT %s FROM c.%s WHERE deleted = 0) UNION ALL "
              "SELECT 'cache', uuid, rev FROM (SELECT %s FROM c.%s WHERE deleted = 0 EXCEPT "
              "SELECT %s FROM main.%s WHERE deleted = 0) ORDER BY 2, 1 LIMIT 6",
              columns->str, table, columns->str, table, columns->str, table, columns->str, table);
          g_autoptr (Statement) stmt = NULL;

          g_printerr ("# %s: server %" G_GINT64_FORMAT " rows (%s), cache %" G_GINT64_FORMAT
                      " rows (%s); %" G_GINT64_FORMAT " rows only on the server, %" G_GINT64_FORMAT
                      " only in the cache, %" G_GINT64_FORMAT " tombstones in the cache\n",
                      table, counts[0], checksums[0], counts[1], checksums[1], only[0], only[1],
                      tombstones);
          g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_printerr ("#   %s has %s at rev %s\n", sqlite3_column_text (stmt, 0),
                        sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
          equal = FALSE;
        }
      g_free (checksums[0]);
      g_free (checksums[1]);
    }
  sqlite3_close (db);
  g_assert_true (equal);
}

/* The tierdesk-sync binary, for a process that must die */

static GSubprocess *
cli_spawn (Fixture *fixture, const char *cache_path, const char *user)
{
  const char *argv[] = { g_getenv ("TD_TIERDESK_SYNC"),
                         "--cache",
                         cache_path,
                         "--server",
                         fixture->url,
                         "--user",
                         user,
                         NULL };
  g_autoptr (GError) error = NULL;
  GSubprocess   *process;
  GOutputStream *input;

  g_assert_nonnull (argv[0]);
  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  /* The password on standard input, as a script would give it. */
  input = g_subprocess_get_stdin_pipe (process);
  g_output_stream_write_all (input, TD_TEST_PASSWORD "\n", strlen (TD_TEST_PASSWORD "\n"), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  /* Left open: cli_finish () closes it when it collects the output. */
  return process;
}

static CliRun *
cli_finish (GSubprocess *process)
{
  CliRun *run = g_new0 (CliRun, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GMatchInfo) match = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (process))
    run->status = g_subprocess_get_exit_status (process);
  else
    run->status = -g_subprocess_get_term_sig (process);

  regex = g_regex_new ("pushed (\\d+) \\(applied (\\d+), duplicate (\\d+), conflict (\\d+), "
                       "rejected (\\d+)\\), pulled (\\d+) in (\\d+) pages( after a full resync)?, "
                       "pending (\\d+), \\d+ ms",
                       0, 0, &error);
  g_assert_no_error (error);
  if (run->out != NULL && g_regex_match (regex, run->out, 0, &match))
    {
      guint *fields[] = { &run->pushed,   &run->applied, &run->duplicates, &run->conflicts,
                          &run->rejected, &run->pulled,  &run->pages };

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          g_autofree char *number = g_match_info_fetch (match, i + 1);
          *fields[i] = (guint) g_ascii_strtoull (number, NULL, 10);
        }
      {
        g_autofree char *resync = g_match_info_fetch (match, 8);
        g_autofree char *pending = g_match_info_fetch (match, 9);
        run->resynced = resync != NULL && resync[0] != '\0';
        run->pending = (guint) g_ascii_strtoull (pending, NULL, 10);
      }
      run->parsed = TRUE;
    }
  return run;
}

static CliRun *
cli_run (Fixture *fixture, const char *cache_path, const char *user)
{
  g_autoptr (GSubprocess) process = cli_spawn (fixture, cache_path, user);
  CliRun *run = cli_finish (process);

  if (run->status != 0 || !run->parsed)
    g_printerr ("# tierdesk-sync exited with %d: %s%s\n", run->status, run->out, run->err);
  return run;
}

static gboolean
cli_running (GSubprocess *process)
{
  /* NULL once GLib has reaped the process. */
  return g_subprocess_get_identifier (process) != NULL;
}

/* Field-level merge (§3.4): different fields of one ticket, edited offline */

static void
test_merge_different_fields (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) one = desktop_new (fixture, "one", "lead");
  g_autoptr (Desktop) two = desktop_new (fixture, "two", "analyst");
  g_autofree char *ticket = create_ticket (one, "Payroll export fails");
  g_autofree char *title = NULL;
  g_autofree char *contact = NULL;
  gint64           rev;

  {
    g_autoptr (Stats) stats = sync_ok (one);
    g_assert_cmpuint (stats->pushed, ==, 1);
    g_assert_cmpuint (stats->applied, ==, 1);
    g_assert_cmpuint (stats->rejected, ==, 0);
    g_assert_cmpuint (td_cache_count_pending (one->cache), ==, 0);
  }
  {
    g_autoptr (Stats) stats = sync_ok (two);
    g_assert_cmpuint (stats->pushed, ==, 0);
    g_assert_cmpint (cache_ticket_rev (two, ticket), ==, server_ticket_rev (fixture, ticket));
  }

  /* Both desktops are offline and each edits another field. */
  update_ticket (one, ticket, "title", "Payroll export fails for March");
  update_ticket (two, ticket, "contact", "finance-desk@example.com");

  {
    g_autoptr (Stats) stats = sync_ok (one);
    g_assert_cmpuint (stats->applied, ==, 1);
    g_assert_cmpuint (stats->conflicts, ==, 0);
  }
  {
    /* Two's update is stale: the server says so, and the cache merges. */
    g_autoptr (Stats) stats = sync_ok (two);
    GPtrArray *conflicts = td_cache_list_conflicts (two->cache);

    g_assert_cmpuint (stats->conflicts, >=, 1);
    g_assert_cmpuint (stats->rejected, ==, 0);
    g_assert_cmpuint (conflicts->len, ==, 0);
    g_ptr_array_unref (conflicts);
  }
  /* And again, both: the re-based update goes through, the other learns of it. */
  {
    g_autoptr (Stats) stats = sync_ok (two);
    g_assert_cmpuint (stats->rejected, ==, 0);
  }
  {
    g_autoptr (Stats) stats = sync_ok (one);
    g_assert_cmpuint (stats->pushed, ==, 0);
  }

  title = server_ticket_column (fixture, ticket, "title");
  contact = server_ticket_column (fixture, ticket, "contact");
  g_assert_cmpstr (title, ==, "Payroll export fails for March");
  g_assert_cmpstr (contact, ==, "finance-desk@example.com");
  rev = server_ticket_rev (fixture, ticket);

  for (guint i = 0; i < 2; i++)
    {
      Desktop         *desktop = i == 0 ? one : two;
      g_autofree char *cached_title = cache_ticket_column (desktop, ticket, "title");
      g_autofree char *cached_contact = cache_ticket_column (desktop, ticket, "contact");
      g_autoptr (GPtrArray) conflicts = td_cache_list_conflicts (desktop->cache);

      g_assert_cmpstr (cached_title, ==, "Payroll export fails for March");
      g_assert_cmpstr (cached_contact, ==, "finance-desk@example.com");
      g_assert_cmpint (cache_ticket_rev (desktop, ticket), ==, rev);
      g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 0);
      g_assert_cmpuint (conflicts->len, ==, 0);
      assert_cache_equals_server (fixture, desktop->path);
    }

  /* The API says the same as the database. */
  {
    g_autofree char *token = td_test_login (fixture->server, "lead");
    g_autofree char *path = g_strdup_printf ("/tickets/%s", ticket);
    g_autoptr (TdTestResponse) response
        = td_test_request (fixture->server, "GET", path, token, NULL);
    JsonObject *object;

    g_assert_cmpuint (response->status, ==, 200);
    object = td_test_object (response);
    g_assert_cmpstr (json_object_get_string_member (object, "title"), ==,
                     "Payroll export fails for March");
    g_assert_cmpstr (json_object_get_string_member (object, "contact"), ==,
                     "finance-desk@example.com");
  }
}

/* The same field: a conflict shown to the user, nothing lost (§3.4) */

static void
test_conflict_same_field (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) one = desktop_new (fixture, "one", "lead");
  g_autoptr (Desktop) two = desktop_new (fixture, "two", "analyst");
  g_autofree char *ticket = create_ticket (one, "Certificates not issued");
  g_autofree char *command_id = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  TdConflict *conflict;
  gint64      conflict_id;

  sync_quietly (one);
  sync_quietly (two);
  {
    g_autoptr (JsonObject) row = td_cache_get_row (two->cache, "ticket", ticket);
    g_assert_nonnull (row);
  }

  update_ticket (one, ticket, "title", "Certificates not issued after the course");
  update_ticket (two, ticket, "title", "Certificates missing for the compliance course");
  {
    g_autoptr (GPtrArray) pending = td_cache_pending (two->cache, 0);
    g_assert_cmpuint (pending->len, ==, 1);
    command_id = g_strdup (((TdOutboxCommand *) g_ptr_array_index (pending, 0))->id);
  }

  sync_quietly (one);
  {
    g_autoptr (Stats) stats = sync_ok (two);
    g_assert_cmpuint (stats->conflicts, ==, 1);
    g_assert_cmpuint (stats->applied, ==, 0);
  }

  /* The server keeps the first; the second is surfaced, not dropped. */
  {
    g_autofree char *title = server_ticket_column (fixture, ticket, "title");
    g_assert_cmpstr (title, ==, "Certificates not issued after the course");
  }
  conflicts = td_cache_list_conflicts (two->cache);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  conflict_id = conflict->id;
  g_assert_cmpstr (conflict->command, ==, command_id);
  g_assert_cmpstr (conflict->entity, ==, "ticket");
  g_assert_cmpstr (conflict->entity_id, ==, ticket);
  g_assert_cmpstr (json_object_get_string_member (conflict->local, "title"), ==,
                   "Certificates missing for the compliance course");
  g_assert_cmpstr (json_object_get_string_member (conflict->remote, "title"), ==,
                   "Certificates not issued after the course");
  g_assert_cmpint (json_object_get_int_member (conflict->remote, "rev"), ==,
                   server_ticket_rev (fixture, ticket));
  g_assert_cmpstr (json_object_get_string_member (conflict->base, "title"), ==,
                   "Certificates not issued");
  {
    /* What the user typed is still what the user sees. */
    g_autofree char *title = cache_ticket_column (two, ticket, "title");
    g_assert_cmpstr (title, ==, "Certificates missing for the compliance course");
  }
  g_assert_cmpuint (td_cache_count_pending (two->cache), ==, 0);

  /* Syncing again neither pushes it nor forgets it. */
  {
    g_autoptr (Stats) stats = sync_ok (two);
    g_autoptr (GPtrArray) still = td_cache_list_conflicts (two->cache);
    g_assert_cmpuint (stats->pushed, ==, 0);
    g_assert_cmpuint (still->len, ==, 1);
  }

  /* The user keeps their version: it goes to the server. */
  {
    g_autoptr (GError) error = NULL;
    td_cache_resolve_conflict (two->cache, conflict_id, TRUE, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr (Stats) stats = sync_ok (two);
    g_autoptr (GPtrArray) none = td_cache_list_conflicts (two->cache);
    g_assert_cmpuint (stats->applied, ==, 1);
    g_assert_cmpuint (stats->conflicts, ==, 0);
    g_assert_cmpuint (none->len, ==, 0);
  }
  sync_quietly (one);
  {
    g_autofree char *title = server_ticket_column (fixture, ticket, "title");
    g_autofree char *title_one = cache_ticket_column (one, ticket, "title");
    g_autofree char *title_two = cache_ticket_column (two, ticket, "title");
    g_assert_cmpstr (title, ==, "Certificates missing for the compliance course");
    g_assert_cmpstr (title_one, ==, "Certificates missing for the compliance course");
    g_assert_cmpstr (title_two, ==, "Certificates missing for the compliance course");
  }
  assert_cache_equals_server (fixture, one->path);
  assert_cache_equals_server (fixture, two->path);
}

/* tierdeskd killed with SIGKILL in the middle of a push of 1,000 commands (§3.2) */

static gint64
applied_commands (Fixture *fixture)
{
  return server_int (fixture, "SELECT COUNT (*) FROM applied_command");
}

static void
test_server_killed_during_push (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  g_autofree char *ticket = create_ticket (desktop, "Gradebook sync drops comments");
  g_autofree char *path = g_strdup (desktop->path);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (CliRun) killed = NULL;
  gint64   before;
  gint64   applied_at_kill;
  gint64   answered;
  gint64   deadline;
  guint    applied = 0;
  guint    duplicates = 0;
  guint    pending = 1;
  sqlite3 *db;

  sync_quietly (desktop);
  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *body = g_strdup_printf ("Note %04d: checked the gradebook export", i);
      g_autofree char *event = NULL;
      g_autoptr (GError) error = NULL;

      event = td_cache_append_event (desktop->cache, ticket, "comment", body, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 1000);
  /* The binary takes the cache over. */
  g_clear_object (&desktop->cache);

  before = applied_commands (fixture);
  g_assert_cmpint (before, ==, 1);
  process = cli_spawn (fixture, path, "lead");

  /* Kill the server once it has started applying, a moment later. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (applied_commands (fixture) == before)
    {
      g_assert_true (cli_running (process));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (500);
    }
  g_usleep (g_test_rand_int_range (0, 50000));
  td_test_server_kill (fixture->server);

  killed = cli_finish (process);
  g_assert_cmpint (killed->status, ==, 1);
  g_assert_nonnull (strstr (killed->err, "cannot reach"));

  server_start (fixture);
  applied_at_kill = applied_commands (fixture) - before;
  g_printerr ("# %" G_GINT64_FORMAT " of 1000 commands applied when tierdeskd was killed\n",
              applied_at_kill);
  /* The kill did land in the middle of the push. */
  g_assert_cmpint (applied_at_kill, >, 0);
  g_assert_cmpint (applied_at_kill, <, 1000);
  {
    db = open_read_only (path);
    answered = td_test_query_int (
        db, "SELECT COUNT (*) FROM outbox WHERE state = 'done' AND type = 'append'");
    sqlite3_close (db);
  }
  g_assert_cmpint (answered, <=, applied_at_kill);

  /* Sync again until nothing is left. */
  for (int round = 0; round < 3 && pending > 0; round++)
    {
      g_autoptr (CliRun) run = cli_run (fixture, path, "lead");

      g_assert_cmpint (run->status, ==, 0);
      g_assert_true (run->parsed);
      g_assert_cmpuint (run->conflicts, ==, 0);
      g_assert_cmpuint (run->rejected, ==, 0);
      applied += run->applied;
      duplicates += run->duplicates;
      pending = run->pending;
    }
  g_assert_cmpuint (pending, ==, 0);
  /* What was applied before the kill answers "duplicate"; the rest is new. */
  g_assert_cmpuint (applied, ==, 1000 - applied_at_kill);
  g_assert_cmpuint (duplicates, ==, applied_at_kill - answered);

  /* Each command applied exactly once. */
  db = open_read_only (fixture->server->db);
  {
    g_autofree char *attach = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS c", path);
    g_autofree char *events = g_strdup_printf (
        "SELECT COUNT (*) FROM ticket_event WHERE ticket = '%s' AND deleted = 0", ticket);
    g_autofree char *bodies = g_strdup_printf (
        "SELECT COUNT (DISTINCT body) FROM ticket_event WHERE ticket = '%s'", ticket);

    g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (td_test_query_int (db, events), ==, 1000);
    g_assert_cmpint (td_test_query_int (db, bodies), ==, 1000);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM audit_log "
                                            "WHERE action = 'append ticket_event'"),
                     ==, 1000);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM applied_command"), ==, 1001);
    /* The server's applied ids are the desktop's command ids, and its events
     * the desktop's event ids. */
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM c.outbox o JOIN "
                                            "applied_command a ON a.command = o.command "
                                            "WHERE o.type = 'append' AND a.rev IS NOT NULL"),
                     ==, 1000);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM c.outbox o JOIN ticket_event "
                                            "e ON e.uuid = o.entity_id WHERE o.type = 'append'"),
                     ==, 1000);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM c.outbox WHERE state != 'done'"),
                     ==, 0);
  }
  sqlite3_close (db);
  assert_cache_equals_server (fixture, path);
}

/* A desktop killed in the middle of a big first pull (§3.5) */

static gint64
cache_cursor_rev (const char *path)
{
  g_autofree char *cursor
      = query_text (path, "SELECT value FROM sync_state WHERE key = 'cursor'", NULL);

  return cursor_rev (cursor);
}

static void
test_client_killed_during_pull (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->server->dir, "killed.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr (GSubprocess) process = cli_spawn (fixture, path, "lead");
  g_autoptr (CliRun) killed = NULL;
  g_autoptr (CliRun) again = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 head = server_head (fixture);
  gint64 saved = 0;
  gint64 cached = 0;
  gint64 target;

  g_assert_cmpint (head, >, 15000);
  /* Somewhere in the first half of the pull. */
  target = TD_SYNC_PAGE * g_test_rand_int_range (1, head / TD_SYNC_PAGE / 2);

  /* Wait until that many rows are in, then kill the desktop's process. */
  while (saved < target)
    {
      g_assert_true (cli_running (process));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
      if (g_file_test (wal, G_FILE_TEST_EXISTS))
        {
          sqlite3 *db = NULL;
          g_autoptr (Statement) stmt = NULL;

          /* The schema may still be on its way: look without asserting. */
          if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
              && sqlite3_prepare_v2 (db, "SELECT value FROM sync_state WHERE key = 'cursor'", -1,
                                     &stmt, NULL)
                     == SQLITE_OK
              && sqlite3_step (stmt) == SQLITE_ROW)
            saved = cursor_rev ((const char *) sqlite3_column_text (stmt, 0));
          g_clear_pointer (&stmt, sqlite3_finalize);
          sqlite3_close (db);
        }
    }
  g_subprocess_force_exit (process);
  killed = cli_finish (process);
  g_assert_cmpint (killed->status, ==, -SIGKILL);

  /* The cursor names the last page applied, and exactly the rows up to it
   * are in the cache, besides the open tickets and people every new
   * desktop starts with: nothing of a half-applied page. */
  saved = cache_cursor_rev (path);
  g_printerr ("# tierdesk-sync killed with the cursor at %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
              "\n",
              saved, head);
  g_assert_cmpint (saved, >, 0);
  g_assert_cmpint (saved, <, head);
  g_assert_cmpint (saved % TD_SYNC_PAGE, ==, 0);
  {
    const char *const *tables = td_schema_get_synced_tables ();
    sqlite3           *db = open_read_only (path);

    for (guint i = 0; tables[i] != NULL; i++)
      {
        g_autofree char *count = g_strdup_printf ("SELECT COUNT (*) FROM %s", tables[i]);
        g_autofree char *beyond = beyond_cursor_sql (tables[i], saved);
        cached += td_test_query_int (db, count);
        g_assert_cmpint (td_test_query_int (db, beyond), ==, 0);
      }
    sqlite3_close (db);
  }
  g_assert_cmpint (cached, ==,
                   server_rows_after (fixture, 0) - server_rows_after (fixture, saved)
                       + snapshot_rows_after (fixture, saved));

  /* Restarted, it carries on from its cursor and converges. */
  again = cli_run (fixture, path, "lead");
  g_assert_cmpint (again->status, ==, 0);
  g_assert_true (again->parsed);
  g_assert_false (again->resynced);
  g_assert_cmpuint (again->pushed, ==, 0);
  g_assert_cmpuint (again->pending, ==, 0);
  g_assert_cmpint (again->pulled, ==, server_rows_after (fixture, saved));
  g_assert_cmpint (again->pages, ==, (again->pulled + TD_SYNC_PAGE - 1) / TD_SYNC_PAGE);
  g_assert_cmpint (cache_cursor_rev (path), ==, head);
  assert_cache_equals_server (fixture, path);
}

/* Deletes are tombstones, so an offline desktop learns of them (§3.7) */

static void
test_tombstone_reaches_offline_desktop (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) manager = desktop_new (fixture, "manager", "manager");
  g_autoptr (Desktop) offline = desktop_new (fixture, "offline", "lead");
  g_autofree char *doomed = create_ticket (manager, "Logged in error");
  g_autofree char *kept = create_ticket (manager, "Quiz scores missing");
  g_autoptr (GError) error = NULL;

  sync_quietly (manager);
  sync_quietly (offline);
  g_assert_cmpint (td_cache_count (offline->cache, "ticket"), ==, 2);
  g_assert_nonnull (td_cache_get_row (offline->cache, "ticket", doomed));

  /* While the other desktop is offline. */
  td_cache_delete (manager->cache, "ticket", doomed, &error);
  g_assert_no_error (error);
  {
    g_autoptr (Stats) stats = sync_ok (manager);
    g_assert_cmpuint (stats->applied, ==, 1);
  }
  {
    g_autofree char *deleted = server_ticket_column (fixture, doomed, "deleted");
    g_assert_cmpstr (deleted, ==, "1");
  }
  g_assert_null (td_cache_get_row (manager->cache, "ticket", doomed));

  {
    g_autoptr (Stats) stats = sync_ok (offline);
    g_assert_cmpuint (stats->pulled, >=, 1);
  }
  g_assert_null (td_cache_get_row (offline->cache, "ticket", doomed));
  g_assert_nonnull (td_cache_get_row (offline->cache, "ticket", kept));
  g_assert_cmpint (td_cache_count (offline->cache, "ticket"), ==, 1);
  {
    sqlite3         *db = open_read_only (offline->path);
    g_autofree char *sql
        = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE uuid = '%s'", doomed);
    g_assert_cmpint (td_test_query_int (db, sql), ==, 0);
    sqlite3_close (db);
  }
  assert_cache_equals_server (fixture, offline->path);
  assert_cache_equals_server (fixture, manager->path);
}

/* More than 10,000 changes pulled in pages (§3.5) */

/* What the first progress call of a new desktop's first sync saw. */
typedef struct
{
  TdCache *cache;
  guint    calls;
  gint64   tickets;
  gint64   open_tickets;
  gint64   people;
  gint64   events;
  char    *cursor;
} FirstProgress;

static void
note_first_progress (TdSyncStats *stats, gpointer data)
{
  FirstProgress *first = data;

  if (first->calls++ > 0)
    return;
  first->tickets = td_cache_count (first->cache, "ticket");
  first->people = td_cache_count (first->cache, "person");
  first->events = td_cache_count (first->cache, "ticket_event");
  first->cursor = td_cache_dup_cursor (first->cache);
  {
    g_autoptr (GPtrArray) open = td_cache_list (first->cache, "ticket", "status", "new", NULL);
    g_autoptr (GPtrArray) working
        = td_cache_list (first->cache, "ticket", "status", "in_progress", NULL);
    first->open_tickets = open->len + working->len;
  }
}

/* A new desktop gets every open ticket and every person before the
 * history (the change feed) starts to arrive, and the feed then brings
 * everything, those rows included. */
static void
test_open_tickets_first (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  Stats         stats = { 0 };
  FirstProgress first = { desktop->cache };
  g_autoptr (GError) error = NULL;
  gint64 open = server_int (fixture, "SELECT COUNT (*) FROM ticket WHERE deleted = 0 AND status "
                                     "NOT IN ('resolved', 'closed')");

  g_assert_cmpint (open, >, 0);
  g_assert_cmpint (open, <, server_int (fixture, "SELECT COUNT (*) FROM ticket"));
  stats.progress = note_first_progress;
  stats.progress_data = &first;
  g_assert_true (td_sync_run (desktop->client, desktop->cache, &stats, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (first.calls, >, 1);
  g_assert_cmpstr (first.cursor, ==, "0");
  g_assert_cmpint (first.tickets, ==, open);
  g_assert_cmpint (first.open_tickets, ==, open);
  g_assert_cmpint (first.people, ==,
                   server_int (fixture, "SELECT COUNT (*) FROM person WHERE deleted = 0"));
  g_assert_cmpint (first.events, ==, 0);
  assert_cache_equals_server (fixture, desktop->path);
  g_free (first.cursor);
  td_sync_stats_clear (&stats);
}

static void
test_pull_ten_thousand (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  g_autoptr (Stats) stats = sync_ok (desktop);
  gint64           rows = server_rows_after (fixture, 0);
  g_autofree char *cursor = td_cache_dup_cursor (desktop->cache);

  g_assert_cmpint (rows, >, 10000);
  g_assert_cmpuint (stats->pulled, ==, rows);
  g_assert_cmpuint (stats->pages, ==, (rows + TD_SYNC_PAGE - 1) / TD_SYNC_PAGE);
  g_assert_cmpuint (stats->pushed, ==, 0);
  g_assert_false (stats->resynced);
  g_assert_cmpint (cursor_rev (cursor), ==, server_head (fixture));
  g_assert_cmpint (td_cache_count (desktop->cache, "ticket"), ==, 1500);
  g_assert_cmpint (td_cache_count (desktop->cache, "ticket_event"), ==,
                   server_int (fixture, "SELECT COUNT (*) FROM ticket_event WHERE deleted = 0"));
  g_assert_cmpint (td_cache_count (desktop->cache, "person"), ==,
                   server_int (fixture, "SELECT COUNT (*) FROM person WHERE deleted = 0"));
  g_assert_cmpint (td_cache_count (desktop->cache, "training_record"), ==,
                   server_int (fixture, "SELECT COUNT (*) FROM training_record"));
  assert_cache_equals_server (fixture, desktop->path);

  /* A few values spelled out, in case both sides were wrong the same way. */
  {
    g_autofree char *uuid = query_text (fixture->server->db,
                                        "SELECT uuid FROM ticket ORDER BY rev DESC LIMIT 1", NULL);
    g_autofree char *title = server_ticket_column (fixture, uuid, "title");
    g_autofree char *severity = server_ticket_column (fixture, uuid, "severity");
    g_autofree char *cached_title = cache_ticket_column (desktop, uuid, "title");
    g_autofree char *cached_severity = cache_ticket_column (desktop, uuid, "severity");

    g_assert_nonnull (title);
    g_assert_cmpstr (cached_title, ==, title);
    g_assert_cmpstr (cached_severity, ==, severity);
  }

  /* Nothing new: one empty page. */
  {
    g_autoptr (Stats) again = sync_ok (desktop);
    g_assert_cmpuint (again->pulled, ==, 0);
    g_assert_cmpuint (again->pages, ==, 1);
  }
}

/* A refused command stays, with the server's reason (§3.6) */

static char *
server_result (Fixture *fixture, const char *command_id, const char *member)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT json_extract (result, '$.%s') FROM applied_command WHERE command = ?", member);

  return query_text (fixture->server->db, sql, command_id);
}

static void
test_rejected_kept_with_reason (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "analyst");
  g_autofree char *ticket = create_ticket (desktop, "Course enrolment fails");
  g_autoptr (JsonObject) person = object_from (
      "{\"name\": \"Ada Lovelace\", \"role\": \"app-support-analyst\", \"tier\": 2}");
  g_autoptr (JsonObject) escalate
      = object_from ("{\"to_tier\": 2, \"checklist\": [\"documented\"]}");
  g_autoptr (GError) error = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *event = NULL;
  g_autoptr (GPtrArray) rejected = NULL;

  sync_quietly (desktop);
  g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 0);

  /* A service desk analyst may not edit the directory, and may not
   * escalate without the handoff checklist. */
  person_id = td_cache_create (desktop->cache, "person", person, &error);
  g_assert_no_error (error);
  event = td_cache_append_event (desktop->cache, ticket, "escalate", "Needs Tier 2", escalate,
                                 &error);
  g_assert_no_error (error);
  {
    g_autoptr (Stats) stats = sync_ok (desktop);
    g_assert_cmpuint (stats->pushed, ==, 2);
    g_assert_cmpuint (stats->rejected, ==, 2);
    g_assert_cmpuint (stats->applied, ==, 0);
  }

  rejected = td_cache_list_rejected (desktop->cache);
  g_assert_cmpuint (rejected->len, ==, 2);
  for (guint i = 0; i < rejected->len; i++)
    {
      TdOutboxCommand *command = g_ptr_array_index (rejected, i);
      g_autofree char *status = server_result (fixture, command->id, "status");
      g_autofree char *code = server_result (fixture, command->id, "code");
      g_autofree char *reason = server_result (fixture, command->id, "reason");

      g_assert_cmpstr (status, ==, "rejected");
      g_assert_cmpstr (command->state, ==, "rejected");
      g_assert_cmpstr (command->code, ==, code);
      g_assert_cmpstr (command->last_error, ==, reason);
      if (i == 0)
        {
          g_assert_cmpstr (command->entity, ==, "person");
          g_assert_cmpstr (command->entity_id, ==, person_id);
          g_assert_cmpstr (command->code, ==, "forbidden");
          g_assert_true (g_str_has_prefix (command->last_error, "a Service Desk Analyst may not"));
        }
      else
        {
          g_assert_cmpstr (command->entity, ==, "ticket_event");
          g_assert_cmpstr (command->entity_id, ==, event);
          g_assert_cmpstr (command->code, ==, "rule");
          g_assert_true (g_str_has_prefix (command->last_error,
                                           "cannot escalate from Tier 1 to Tier 2: the handoff "
                                           "checklist"));
        }
    }

  /* What the user typed is still there, in the refused commands; the
   * cache shows the server's truth again at once, so no one reads a
   * refused escalation as done: the ticket is back at Tier 1 and the
   * person is not in the directory. */
  {
    TdOutboxCommand *refused_person = g_ptr_array_index (rejected, 0);
    TdOutboxCommand *refused_escalation = g_ptr_array_index (rejected, 1);
    g_autoptr (JsonObject) row = td_cache_get_row (desktop->cache, "person", person_id);
    g_autoptr (JsonObject) event_row = td_cache_get_row (desktop->cache, "ticket_event", event);
    g_autofree char *tier = cache_ticket_column (desktop, ticket, "tier");

    g_assert_cmpstr (json_object_get_string_member (refused_person->fields, "name"), ==,
                     "Ada Lovelace");
    g_assert_cmpstr (json_object_get_string_member (refused_escalation->fields, "body"), ==,
                     "Needs Tier 2");
    g_assert_null (row);
    g_assert_null (event_row);
    g_assert_cmpstr (tier, ==, "1");
  }
  {
    g_autofree char *sql
        = g_strdup_printf ("SELECT COUNT (*) FROM person WHERE uuid = '%s'", person_id);
    g_autofree char *events
        = g_strdup_printf ("SELECT COUNT (*) FROM ticket_event WHERE uuid = '%s'", event);
    g_autofree char *tier = server_ticket_column (fixture, ticket, "tier");
    g_assert_cmpint (server_int (fixture, sql), ==, 0);
    g_assert_cmpint (server_int (fixture, events), ==, 0);
    g_assert_cmpstr (tier, ==, "1");
  }

  /* A retry does not send them again, and they stay listed. */
  {
    g_autoptr (Stats) stats = sync_ok (desktop);
    g_autoptr (GPtrArray) still = td_cache_list_rejected (desktop->cache);
    g_assert_cmpuint (stats->pushed, ==, 0);
    g_assert_cmpuint (still->len, ==, 2);
  }

  /* Discarding the refusals leaves the cache equal to the server. */
  {
    g_autoptr (GError) discard_error = NULL;
    for (guint i = 0; i < rejected->len; i++)
      {
        TdOutboxCommand *command = g_ptr_array_index (rejected, i);
        td_cache_discard_rejected (desktop->cache, command->id, &discard_error);
        g_assert_no_error (discard_error);
      }
  }
  sync_quietly (desktop);
  {
    g_autoptr (GPtrArray) none = td_cache_list_rejected (desktop->cache);
    g_autofree char *tier = cache_ticket_column (desktop, ticket, "tier");
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpstr (tier, ==, "1");
  }
  assert_cache_equals_server (fixture, desktop->path);
}

/* The server restored from a backup taken before the desktop's last sync */

static void
restore (Fixture *fixture, const char *backup)
{
  td_test_server_stop (fixture->server);
  tierdeskd_ok ("restore", "--db", fixture->server->db, "--from", backup, NULL);
  server_start (fixture);
}

static void
test_restore_full_resync (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  g_autofree char *backup = g_build_filename (fixture->server->dir, "backup.db", NULL);
  g_autofree char *a = create_ticket (desktop, "Ticket A");
  g_autofree char *b = NULL;
  g_autofree char *epoch = NULL;

  sync_quietly (desktop);
  tierdeskd_ok ("backup", "--db", fixture->server->db, "--to", backup, NULL);

  b = create_ticket (desktop, "Ticket B");
  update_ticket (desktop, a, "title", "Ticket A, renamed after the backup");
  {
    g_autoptr (Stats) stats = sync_ok (desktop);
    g_assert_cmpuint (stats->applied, ==, 2);
  }
  epoch = query_text (fixture->server->db, "SELECT value FROM meta WHERE key = 'epoch'", NULL);

  restore (fixture, backup);
  {
    /* The server forgot the last sync. */
    g_autofree char *title = server_ticket_column (fixture, a, "title");
    g_autofree char *new_epoch
        = query_text (fixture->server->db, "SELECT value FROM meta WHERE key = 'epoch'", NULL);
    g_assert_cmpstr (title, ==, "Ticket A");
    g_assert_null (server_ticket_column (fixture, b, "uuid"));
    g_assert_cmpstr (new_epoch, !=, epoch);
  }

  {
    g_autoptr (Stats) stats = sync_ok (desktop);
    g_autofree char *cursor = td_cache_dup_cursor (desktop->cache);
    g_autofree char *new_epoch
        = query_text (fixture->server->db, "SELECT value FROM meta WHERE key = 'epoch'", NULL);
    g_assert_true (stats->resynced);
    g_assert_cmpuint (stats->rejected, ==, 0);
    g_assert_cmpuint (stats->conflicts, ==, 0);
    g_assert_true (g_str_has_prefix (cursor, new_epoch));
  }
  g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 0);

  /* Nothing the user typed is lost. */
  {
    g_autofree char *title = server_ticket_column (fixture, a, "title");
    g_autofree char *b_title = server_ticket_column (fixture, b, "title");
    g_autofree char *cached = cache_ticket_column (desktop, a, "title");
    g_assert_cmpstr (title, ==, "Ticket A, renamed after the backup");
    g_assert_cmpstr (b_title, ==, "Ticket B");
    g_assert_cmpstr (cached, ==, "Ticket A, renamed after the backup");
  }
  g_assert_cmpint (td_cache_count (desktop->cache, "ticket"), ==, 2);
  assert_cache_equals_server (fixture, desktop->path);

  /* And it is settled: the next sync is an ordinary one. */
  {
    g_autoptr (Stats) stats = sync_ok (desktop);
    g_assert_false (stats->resynced);
    g_assert_cmpuint (stats->pushed, ==, 0);
  }
}

/* After a restore the replayed commands are answered "duplicate" with the
 * row as it was when first applied; the resync pushes them before pulling
 * from the start, so changes others made since (an edit, a delete) win on
 * this desktop too. */
static void
test_restore_keeps_others_changes (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) one = desktop_new (fixture, "one", "lead");
  g_autoptr (Desktop) two = desktop_new (fixture, "two", "manager");
  g_autofree char *backup = g_build_filename (fixture->server->dir, "backup.db", NULL);
  g_autofree char *renamed = create_ticket (one, "Ticket renamed by desk two");
  g_autofree char *deleted = create_ticket (one, "Ticket deleted by desk two");
  g_autofree char *later = NULL;
  g_autoptr (GError) error = NULL;

  sync_quietly (one);
  sync_quietly (two);
  update_ticket (two, renamed, "title", "Renamed by desk two");
  td_cache_delete (two->cache, "ticket", deleted, &error);
  g_assert_no_error (error);
  sync_quietly (two);
  sync_quietly (one);
  {
    g_autofree char *title = cache_ticket_column (one, renamed, "title");
    g_assert_cmpstr (title, ==, "Renamed by desk two");
    g_assert_null (td_cache_get_row (one->cache, "ticket", deleted));
  }

  /* The backup has both of desk two's changes; desk one goes on working. */
  tierdeskd_ok ("backup", "--db", fixture->server->db, "--to", backup, NULL);
  later = create_ticket (one, "Logged after the backup");
  sync_quietly (one);

  restore (fixture, backup);
  {
    g_autoptr (Stats) stats = sync_ok (one);
    g_assert_true (stats->resynced);
  }
  {
    g_autofree char *later_title = server_ticket_column (fixture, later, "title");
    g_autofree char *server_title = server_ticket_column (fixture, renamed, "title");
    g_assert_cmpstr (later_title, ==, "Logged after the backup");
    g_assert_cmpstr (server_title, ==, "Renamed by desk two");
  }
  {
    g_autofree char *title = cache_ticket_column (one, renamed, "title");
    g_assert_cmpstr (title, ==, "Renamed by desk two");
  }
  g_assert_null (td_cache_get_row (one->cache, "ticket", deleted));
  assert_cache_equals_server (fixture, one->path);
}

/* The cursor is saved only with its page (§3.5) */

static void
test_cursor_saved_with_page (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  g_autofree char *poison = query_text (
      fixture->server->db, "SELECT uuid FROM ticket ORDER BY rev LIMIT 1 OFFSET 10", NULL);
  g_autofree char *poison_rev = server_ticket_column (fixture, poison, "rev");
  g_autoptr (GError) error = NULL;
  TdSyncStats stats = { 0 };
  gint64      rev = g_ascii_strtoll (poison_rev, NULL, 10);
  gint64      expected = (rev - 1) / TD_SYNC_PAGE * TD_SYNC_PAGE;
  gint64      saved;
  gint64      cached = 0;

  g_assert_cmpint (expected, >, 0);
  /* The desktop dies (here: its database refuses) in the middle of the
   * page that holds one ticket. */
  {
    sqlite3         *db = NULL;
    g_autofree char *trigger
        = g_strdup_printf ("CREATE TRIGGER poison BEFORE INSERT ON ticket WHEN NEW.uuid = '%s' "
                           "BEGIN SELECT RAISE (ABORT, 'simulated crash'); END",
                           poison);

    g_assert_cmpint (sqlite3_open_v2 (desktop->path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, trigger, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_false (td_sync_run (desktop->client, desktop->cache, &stats, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (stats.pages, ==, expected / TD_SYNC_PAGE);
  td_sync_stats_clear (&stats);
  g_clear_error (&error);

  {
    g_autofree char *cursor = td_cache_dup_cursor (desktop->cache);
    saved = cursor_rev (cursor);
  }
  g_assert_cmpint (saved, ==, expected);
  {
    const char *const *tables = td_schema_get_synced_tables ();
    for (guint i = 0; tables[i] != NULL; i++)
      cached += td_cache_count (desktop->cache, tables[i]);
  }
  g_assert_cmpint (cached, ==,
                   server_rows_after (fixture, 0) - server_rows_after (fixture, saved)
                       + snapshot_rows_after (fixture, saved));
  g_assert_null (td_cache_get_row (desktop->cache, "ticket", poison));

  /* Fixed, it pulls from that page on, and no further back. */
  {
    sqlite3 *db = NULL;
    g_assert_cmpint (sqlite3_open_v2 (desktop->path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER poison", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_autoptr (Stats) again = sync_ok (desktop);
    g_assert_cmpuint (again->pulled, ==, server_rows_after (fixture, saved));
    g_assert_false (again->resynced);
  }
  g_assert_nonnull (td_cache_get_row (desktop->cache, "ticket", poison));
  assert_cache_equals_server (fixture, desktop->path);
}

/* Retries send the same command ids, which the server applies once (§3.2) */

static JsonNode *
batch_json (GPtrArray *commands)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "commands");
  json_builder_begin_array (builder);
  for (guint i = 0; i < commands->len; i++)
    {
      TdOutboxCommand *command = g_ptr_array_index (commands, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, command->id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, command->type);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, command->entity);
      json_builder_set_member_name (builder, "entity_id");
      json_builder_add_string_value (builder, command->entity_id);
      json_builder_set_member_name (builder, "fields");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), command->fields));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
test_retry_sends_same_ids (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after_offline = NULL;
  g_autoptr (GError) error = NULL;
  TdSyncStats stats = { 0 };

  for (int i = 0; i < 150; i++)
    {
      g_autofree char *title = g_strdup_printf ("Batch ticket %03d", i);
      g_free (create_ticket (desktop, title));
    }
  before = td_cache_pending (desktop->cache, 0);
  g_assert_cmpuint (before->len, ==, 150);

  /* The first batch reaches the server, but its answer is lost. */
  {
    g_autoptr (GPtrArray) first = td_cache_pending (desktop->cache, TD_SYNC_BATCH);
    g_autoptr (JsonNode) body = batch_json (first);
    g_autofree char *text = json_to_string (body, FALSE);
    g_autofree char *token = td_test_login (fixture->server, "lead");
    g_autoptr (TdTestResponse) response
        = td_test_request (fixture->server, "POST", "/commands", token, text);

    g_assert_cmpuint (first->len, ==, TD_SYNC_BATCH);
    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpint (server_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, TD_SYNC_BATCH);
  }
  /* Then the server is gone for a while. */
  td_test_server_stop (fixture->server);
  g_assert_false (td_sync_run (desktop->client, desktop->cache, &stats, NULL, &error));
  g_assert_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_OFFLINE);
  td_sync_stats_clear (&stats);
  after_offline = td_cache_pending (desktop->cache, 0);
  g_assert_cmpuint (after_offline->len, ==, 150);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (((TdOutboxCommand *) g_ptr_array_index (after_offline, i))->id, ==,
                     ((TdOutboxCommand *) g_ptr_array_index (before, i))->id);

  server_start (fixture);
  {
    g_autoptr (Stats) sync = sync_ok (desktop);
    g_assert_cmpuint (sync->pushed, ==, 150);
    g_assert_cmpuint (sync->duplicates, ==, TD_SYNC_BATCH);
    g_assert_cmpuint (sync->applied, ==, 150 - TD_SYNC_BATCH);
    g_assert_cmpuint (sync->rejected, ==, 0);
  }
  g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 0);

  /* The server's applied ids are exactly the desktop's command ids. */
  {
    sqlite3         *db = open_read_only (fixture->server->db);
    g_autofree char *attach = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS c", desktop->path);

    g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM c.outbox"), ==, 150);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM applied_command"), ==, 150);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM applied_command a JOIN "
                                            "c.outbox o ON o.command = a.command"),
                     ==, 150);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM ticket t JOIN c.outbox o "
                                            "ON o.entity_id = t.uuid"),
                     ==, 150);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM ticket"), ==, 150);
    g_assert_cmpint (td_test_query_int (db, "SELECT COUNT (*) FROM c.outbox WHERE state = 'done'"),
                     ==, 150);
    sqlite3_close (db);
  }
  for (guint i = 0; i < before->len; i++)
    {
      TdOutboxCommand *command = g_ptr_array_index (before, i);
      g_autofree char *status = server_result (fixture, command->id, "status");
      g_assert_cmpstr (status, ==, "applied");
    }
  assert_cache_equals_server (fixture, desktop->path);
}

/* Push before pull: a pull does not undo an edit made offline (§3.3) */

static void
test_push_before_pull (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) one = desktop_new (fixture, "one", "lead");
  g_autoptr (Desktop) two = desktop_new (fixture, "two", "analyst");
  g_autofree char *ticket = create_ticket (one, "Timesheet approvals stuck");

  sync_quietly (one);
  sync_quietly (two);

  /* Desk two changes the contact and syncs; desk one, offline, the title. */
  update_ticket (two, ticket, "contact", "payroll-team@example.com");
  sync_quietly (two);
  update_ticket (one, ticket, "title", "Timesheet approvals stuck since Monday");

  /* One run: the pull brings the server's row, which must not replace the
   * edit still on its way. */
  {
    g_autoptr (Stats) stats = sync_ok (one);
    g_autofree char *title = cache_ticket_column (one, ticket, "title");

    g_assert_cmpuint (stats->pushed, >=, 1);
    g_assert_cmpuint (stats->rejected, ==, 0);
    g_assert_cmpstr (title, ==, "Timesheet approvals stuck since Monday");
  }
  {
    g_autoptr (GPtrArray) conflicts = td_cache_list_conflicts (one->cache);
    g_assert_cmpuint (conflicts->len, ==, 0);
  }

  /* At most one more run and both edits are everywhere. */
  if (td_cache_count_pending (one->cache) > 0)
    sync_quietly (one);
  g_assert_cmpuint (td_cache_count_pending (one->cache), ==, 0);
  sync_quietly (two);
  {
    g_autofree char *title = server_ticket_column (fixture, ticket, "title");
    g_autofree char *contact = server_ticket_column (fixture, ticket, "contact");
    g_assert_cmpstr (title, ==, "Timesheet approvals stuck since Monday");
    g_assert_cmpstr (contact, ==, "payroll-team@example.com");
  }
  assert_cache_equals_server (fixture, one->path);
  assert_cache_equals_server (fixture, two->path);
}

/* A cursor older than the tombstone horizon: 410 and a full resync */

static void
test_cursor_expired_resync (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) manager = desktop_new (fixture, "manager", "manager");
  g_autoptr (Desktop) late = desktop_new (fixture, "late", "lead");
  g_autofree char *doomed = create_ticket (manager, "Duplicate of another ticket");
  g_autofree char *edited = create_ticket (manager, "Badge not awarded");
  g_autofree char *added = NULL;
  g_autoptr (GError) error = NULL;

  sync_quietly (manager);
  sync_quietly (late);

  td_cache_delete (manager->cache, "ticket", doomed, &error);
  g_assert_no_error (error);
  added = create_ticket (manager, "Badge awarded twice");
  sync_quietly (manager);
  tierdeskd_ok ("purge-tombstones", "--db", fixture->server->db, "--keep-revisions", "0", NULL);
  g_assert_cmpint (server_int (fixture, "SELECT COUNT (*) FROM ticket WHERE deleted = 1"), ==, 0);

  /* The late desktop edits offline; its cursor is now too old. */
  update_ticket (late, edited, "title", "Badge not awarded after the quiz");
  {
    g_autoptr (Stats) stats = sync_ok (late);
    g_assert_true (stats->resynced);
    g_assert_cmpuint (stats->rejected, ==, 0);
  }
  g_assert_cmpuint (td_cache_count_pending (late->cache), ==, 0);
  g_assert_null (td_cache_get_row (late->cache, "ticket", doomed));
  g_assert_nonnull (td_cache_get_row (late->cache, "ticket", added));
  {
    g_autofree char *title = server_ticket_column (fixture, edited, "title");
    g_assert_cmpstr (title, ==, "Badge not awarded after the quiz");
  }
  assert_cache_equals_server (fixture, late->path);
}

/* Running each test in a process of its own */

typedef void (*TestFunc) (Fixture *fixture, gconstpointer data);

typedef struct
{
  const char *path;
  TestFunc    func;
  Setup       setup;
} TestCase;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Kills the servers a failed test left running (only ours: the PID must
 * still be tierdeskd serving that test's database) and removes their files. */
static void
clean_up_leftovers (const char *leftovers)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (leftovers, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (lines[i], " ", 2);
      g_autofree char *proc = NULL;
      g_autofree char *cmdline = NULL;
      gsize            length = 0;
      int              pid;

      if (g_strv_length (parts) != 2)
        continue;
      pid = atoi (parts[0]);
      proc = g_strdup_printf ("/proc/%d/cmdline", pid);
      if (pid > 0 && g_file_get_contents (proc, &cmdline, &length, NULL)
          && g_strstr_len (cmdline, length, "serve") != NULL)
        {
          /* cmdline separates arguments with NULs. */
          for (gsize j = 0; j < length; j++)
            if (cmdline[j] == '\0')
              cmdline[j] = ' ';
          if (strstr (cmdline, parts[1]) != NULL)
            kill (pid, SIGKILL);
        }
      if (g_file_test (parts[1], G_FILE_TEST_IS_DIR))
        remove_tree (parts[1]);
    }
}

/* An on-call override made offline reaches the server */

static void
test_override_made_offline (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  g_autoptr (GPtrArray) rotations = NULL;
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (TdRotaStore) rotas = td_rota_store_new (NULL);
  g_autofree char *uuid = NULL;
  g_autofree char *sql = NULL;
  JsonObject      *rotation = NULL;
  const char      *person;
  TdRotation      *model;
  Stats            offline = { 0 };

  sync_quietly (desktop);
  rotations = td_cache_list (desktop->cache, "rotation", NULL, NULL, "tier");
  g_assert_cmpuint (rotations->len, >=, 1);
  rotation = g_ptr_array_index (rotations, 0);
  people = td_cache_list (desktop->cache, "person", "tier", "2", "name");
  g_assert_cmpuint (people->len, >=, 1);
  person = json_object_get_string_member (g_ptr_array_index (people, 0), "uuid");

  /* The server goes away; the override is written to the cache anyway. */
  td_test_server_stop (fixture->server);
  json_object_set_string_member (fields, "rotation",
                                 json_object_get_string_member (rotation, "uuid"));
  json_object_set_string_member (fields, "position", "primary");
  json_object_set_string_member (fields, "person", person);
  json_object_set_int_member (fields, "starts_at", 2000000000);
  json_object_set_int_member (fields, "ends_at", 2000000000 + 2 * 24 * 3600);
  json_object_set_string_member (fields, "reason", "Covering while offline");
  uuid = td_cache_create (desktop->cache, "rota_override", fields, &error);
  g_assert_no_error (error);
  g_assert_false (td_sync_run (desktop->client, desktop->cache, &offline, NULL, &error));
  g_assert_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 1);

  /* The desktop already resolves the rota with it. */
  {
    g_autoptr (GPtrArray) rows = td_cache_list (desktop->cache, "rota_override", NULL, NULL, NULL);
    g_autoptr (GPtrArray) members
        = td_cache_list (desktop->cache, "rotation_member", NULL, NULL, NULL);

    td_rota_store_add_row (rotas, "rotation", rotation);
    for (guint i = 0; i < members->len; i++)
      td_rota_store_add_row (rotas, "rotation_member", g_ptr_array_index (members, i));
    for (guint i = 0; i < rows->len; i++)
      td_rota_store_add_row (rotas, "rota_override", g_ptr_array_index (rows, i));
    model = td_rota_store_get_rotation (rotas, json_object_get_string_member (rotation, "uuid"));
    g_assert_nonnull (model);
    g_assert_cmpstr (td_rotation_who_is_on_call (model, "primary", 2000000000 + 3600), ==, person);
  }

  server_start (fixture);
  {
    g_autoptr (Stats) stats = sync_ok (desktop);
    g_assert_cmpuint (stats->applied, ==, 1);
  }
  g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 0);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM rota_override WHERE uuid = '%s' AND person = '%s' "
                         "AND starts_at = 2000000000 AND reason = 'Covering while offline' "
                         "AND created_at > 0",
                         uuid, person);
  g_assert_cmpint (server_int (fixture, sql), ==, 1);
  {
    g_autoptr (JsonObject) row = td_cache_get_row (desktop->cache, "rota_override", uuid);
    g_assert_cmpint (json_object_get_int_member (row, "rev"), >, 0);
  }
  assert_cache_equals_server (fixture, desktop->path);
}

static void
run_isolated (gconstpointer data)
{
  const TestCase *test = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *workdir = NULL;
  g_autofree char *leftovers = NULL;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      /* tierdeskd inherits our standard output: were it the pipe the parent
       * reads, a server left behind by a failed test would hold the parent
       * until it exits. What a test reports goes to standard error. */
      int null = open ("/dev/null", O_WRONLY);

      g_assert_cmpint (null, >=, 0);
      dup2 (null, STDOUT_FILENO);
      close (null);
      fixture_set_up (&fixture, &test->setup);
      test->func (&fixture, &test->setup);
      fixture_tear_down (&fixture);
      return;
    }

  workdir = g_dir_make_tmp ("td-sync-test-XXXXXX", &error);
  g_assert_no_error (error);
  leftovers = g_build_filename (workdir, "leftovers", NULL);
  g_setenv ("TD_TEST_WORKDIR", workdir, TRUE);
  g_test_trap_subprocess (NULL, 180 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  clean_up_leftovers (leftovers);
  remove_tree (workdir);
  g_test_trap_assert_passed ();
}

static const TestCase tests[] = {
  { "/sync/merge/different-fields", test_merge_different_fields, { 0 } },
  { "/sync/conflict/same-field", test_conflict_same_field, { 0 } },
  { "/sync/kill/server-during-push", test_server_killed_during_push, { 0 } },
  { "/sync/kill/client-during-pull", test_client_killed_during_pull, { 3000 } },
  { "/sync/tombstone/offline-desktop", test_tombstone_reaches_offline_desktop, { 0 } },
  { "/sync/pull/ten-thousand", test_pull_ten_thousand, { 1500 } },
  { "/sync/pull/open-tickets-first", test_open_tickets_first, { 300 } },
  { "/sync/rejected/kept-with-reason", test_rejected_kept_with_reason, { 0 } },
  { "/sync/restore/full-resync", test_restore_full_resync, { 0 } },
  { "/sync/restore/others-changes-kept", test_restore_keeps_others_changes, { 0 } },
  { "/sync/cursor/saved-with-page", test_cursor_saved_with_page, { 100 } },
  { "/sync/retry/same-ids", test_retry_sends_same_ids, { 0 } },
  { "/sync/order/push-before-pull", test_push_before_pull, { 0 } },
  { "/sync/resync/cursor-expired", test_cursor_expired_resync, { 0 } },
  { "/sync/rota/override-made-offline", test_override_made_offline, { 5 } },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* A failed test is reported and the others still run. */
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_isolated);

  return g_test_run ();
}
