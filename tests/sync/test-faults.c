/* test-faults.c — sync under faults: the server killed under four clients, a network that
 * drops, delays, cuts and resets, disks that fill up or fail, clocks that lie, a month offline
 *
 * Like test-sync.c, each test runs in a subprocess of its own with the real
 * tierdeskd; what the server holds is read from its database and compared
 * with every cache. Nothing here asserts on wall-clock time: where a clock
 * matters, it is a fake one (libfaketime) and the checks compare instants
 * with each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "td-fault-proxy.h"
#include "td-schema.h"
#include "td-sync.h"
#include "td-test-server.h"
#include "td-test-util.h"
#include "td-ticket.h"

#define LIBFAKETIME "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

static const char *const accounts[] = {
  "lead:app-support-lead",
  "analyst:service-desk-analyst",
  "manager:service-desk-manager",
  "appsupport:app-support-analyst",
  NULL,
};

typedef struct
{
  TdTestServer *server;
  char         *url;
} Fixture;

typedef struct
{
  char         *path;
  char         *user;
  TdCache      *cache;
  TdSyncClient *client;
} Desktop;

static void
desktop_free (Desktop *desktop)
{
  g_clear_object (&desktop->client);
  g_clear_object (&desktop->cache);
  g_free (desktop->path);
  g_free (desktop->user);
  g_free (desktop);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desktop, desktop_free)
typedef sqlite3_stmt Statement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, sqlite3_finalize)

/* Helpers */

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
file_int (const char *path, const char *sql)
{
  sqlite3 *db = open_read_only (path);
  gint64   value = td_test_query_int (db, sql);

  sqlite3_close (db);
  return value;
}

static gint64
server_int (Fixture *fixture, const char *sql)
{
  return file_int (fixture->server->db, sql);
}

static void
assert_integrity (const char *path)
{
  sqlite3 *db = open_read_only (path);
  g_autoptr (Statement) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_test_message ("integrity of %s: %s", path, sqlite3_column_text (stmt, 0));
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (db);
}

/* Every synced table: the same live rows with the same values on both
 * sides, and no tombstone left in the cache. */
static void
assert_cache_equals_server (Fixture *fixture, const char *cache_path)
{
  const char *const *tables = td_schema_get_synced_tables ();
  sqlite3           *db = open_read_only (fixture->server->db);
  g_autofree char   *attach = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS c", cache_path);

  g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint t = 0; tables[t] != NULL; t++)
    {
      g_autoptr (GString) columns = g_string_new (NULL);
      g_autofree char *info
          = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", tables[t]);
      g_autoptr (Statement) stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, info, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (columns, "%s%s", columns->len > 0 ? ", " : "",
                                sqlite3_column_text (stmt, 0));
      for (int side = 0; side < 2; side++)
        {
          g_autofree char *sql = g_strdup_printf (
              "SELECT COUNT (*) FROM (SELECT %s FROM %s.%s WHERE deleted = 0 EXCEPT "
              "SELECT %s FROM %s.%s WHERE deleted = 0)",
              columns->str, side == 0 ? "main" : "c", tables[t], columns->str,
              side == 0 ? "c" : "main", tables[t]);
          gint64 only = td_test_query_int (db, sql);

          if (only != 0)
            g_printerr ("# %s: %" G_GINT64_FORMAT " rows only %s\n", tables[t], only,
                        side == 0 ? "on the server" : "in the cache");
          g_assert_cmpint (only, ==, 0);
        }
      {
        g_autofree char *sql
            = g_strdup_printf ("SELECT COUNT (*) FROM c.%s WHERE deleted = 1", tables[t]);
        g_assert_cmpint (td_test_query_int (db, sql), ==, 0);
      }
    }
  sqlite3_close (db);
}

/* The parent kills what a failed test leaves running: each server's PID
 * and directory go to $TD_TEST_LEFTOVERS. */
static void
server_start (Fixture *fixture)
{
  FILE *leftovers;

  td_test_server_start (fixture->server);
  leftovers = fopen (g_getenv ("TD_TEST_LEFTOVERS"), "a");
  g_assert_nonnull (leftovers);
  fprintf (leftovers, "%d %s\n", (int) fixture->server->pid, fixture->server->dir);
  fclose (leftovers);
  if (fixture->url == NULL)
    fixture->url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);
}

static Desktop *
desktop_new_at (Fixture *fixture, const char *name, const char *user, const char *url)
{
  Desktop *desktop = g_new0 (Desktop, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".db", NULL);

  desktop->path = g_build_filename (fixture->server->dir, file, NULL);
  desktop->user = g_strdup (user);
  desktop->cache = td_cache_open (desktop->path, &error);
  g_assert_no_error (error);
  desktop->client = td_sync_client_new (url);
  return desktop;
}

static void
desktop_login (Desktop *desktop)
{
  g_autoptr (GError) error = NULL;

  td_sync_client_login (desktop->client, desktop->user, TD_TEST_PASSWORD, &error);
  g_assert_no_error (error);
}

static Desktop *
desktop_new (Fixture *fixture, const char *name, const char *user)
{
  Desktop *desktop = desktop_new_at (fixture, name, user, fixture->url);

  desktop_login (desktop);
  return desktop;
}

static void
sync_ok (Desktop *desktop, TdSyncStats *stats)
{
  g_autoptr (GError) error = NULL;
  TdSyncStats local = { 0 };

  td_sync_run (desktop->client, desktop->cache, stats != NULL ? stats : &local, NULL, &error);
  g_assert_no_error (error);
  td_sync_stats_clear (&local);
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

static char *
create_ticket (Desktop *desktop, const char *title)
{
  g_autoptr (JsonObject) fields
      = object_from ("{\"description\": \"Course completions are not recorded\","
                     " \"affected_user_id\": \"E30100\", \"contact\": \"kim@example.com\","
                     " \"steps_to_reproduce\": \"Finish a course, open the transcript\","
                     " \"error_message\": \"Transcript empty\","
                     " \"impact\": \"low\", \"urgency\": \"medium\","
                     " \"occurred_at\": \"2026-11-20T09:00:00Z\"}");
  g_autoptr (GError) error = NULL;
  char *uuid;

  json_object_set_string_member (fields, "title", title);
  uuid = td_cache_create (desktop->cache, "ticket", fields, &error);
  g_assert_no_error (error);
  return uuid;
}

static void
comment (Desktop *desktop, const char *ticket, const char *body)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *event
      = td_cache_append_event (desktop->cache, ticket, "comment", body, NULL, &error);

  g_assert_no_error (error);
}

static void
set_title (Desktop *desktop, const char *ticket, const char *title)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (fields, "title", title);
  td_cache_update (desktop->cache, "ticket", ticket, fields, &error);
  g_assert_no_error (error);
}

/* Each body the desktops wrote, exactly once on the server. */
static void
assert_bodies_once (Fixture *fixture, const char *prefix, gint64 expected)
{
  g_autofree char *all = g_strdup_printf (
      "SELECT COUNT (*) FROM ticket_event WHERE body LIKE '%s%%' AND deleted = 0", prefix);
  g_autofree char *distinct = g_strdup_printf (
      "SELECT COUNT (DISTINCT body) FROM ticket_event WHERE body LIKE '%s%%'", prefix);

  g_assert_cmpint (server_int (fixture, all), ==, expected);
  g_assert_cmpint (server_int (fixture, distinct), ==, expected);
}

/* tierdesk-sync as a child, for a client that runs while the server dies */

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
  GSubprocess *process;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                   | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), TD_TEST_PASSWORD "\n",
                             strlen (TD_TEST_PASSWORD "\n"), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
  return process;
}

static gint64
pending_in (const char *cache_path)
{
  return file_int (cache_path, "SELECT COUNT (*) FROM outbox WHERE state = 'pending'");
}

/* 1. tierdeskd killed at random moments under four clients */

#define KILL_CLIENTS    4
#define KILL_PER_CLIENT 500
#define KILL_TIMES      5

static void
test_kill_under_four_clients (Fixture *fixture, gconstpointer data)
{
  static const char *const users[KILL_CLIENTS] = { "lead", "analyst", "manager", "appsupport" };
  char                    *paths[KILL_CLIENTS];
  char                    *tickets[KILL_CLIENTS];
  gint64                   before;
  guint                    kills = 0;

  for (guint c = 0; c < KILL_CLIENTS; c++)
    {
      g_autofree char *name = g_strdup_printf ("desk%u", c);
      g_autoptr (Desktop) desktop = desktop_new (fixture, name, users[c]);
      g_autofree char *title = g_strdup_printf ("Completions lost on desk %u", c);

      /* 1 create + 499 comments: 500 commands a client, 2,000 in all. */
      tickets[c] = create_ticket (desktop, title);
      for (guint i = 1; i < KILL_PER_CLIENT; i++)
        {
          g_autofree char *body
              = g_strdup_printf ("kill-c%u-%04u: checked the transcript job", c, i);
          comment (desktop, tickets[c], body);
        }
      g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, KILL_PER_CLIENT);
      paths[c] = g_strdup (desktop->path);
    }
  before = server_int (fixture, "SELECT COUNT (*) FROM applied_command");

  /* Four clients push at once; the server dies under them, again and again. */
  while (kills < KILL_TIMES)
    {
      GSubprocess *processes[KILL_CLIENTS] = { NULL };
      gint64       seen = server_int (fixture, "SELECT COUNT (*) FROM applied_command");
      gint64       deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      for (guint c = 0; c < KILL_CLIENTS; c++)
        if (pending_in (paths[c]) > 0)
          processes[c] = cli_spawn (fixture, paths[c], users[c]);
      /* Once some commands land, a random moment later. */
      while (server_int (fixture, "SELECT COUNT (*) FROM applied_command") == seen
             && g_get_monotonic_time () < deadline)
        g_usleep (1000);
      g_usleep (g_test_rand_int_range (0, 150000));
      td_test_server_kill (fixture->server);
      kills++;
      for (guint c = 0; c < KILL_CLIENTS; c++)
        if (processes[c] != NULL)
          {
            g_subprocess_wait (processes[c], NULL, NULL);
            g_object_unref (processes[c]);
          }
      g_printerr ("# kill %u: %" G_GINT64_FORMAT " of %u commands applied\n", kills,
                  server_int (fixture, "SELECT COUNT (*) FROM applied_command") - before,
                  KILL_CLIENTS * KILL_PER_CLIENT);
      assert_integrity (fixture->server->db);
      server_start (fixture);
    }

  /* Then every client syncs until nothing is left. */
  for (guint c = 0; c < KILL_CLIENTS; c++)
    {
      g_autoptr (Desktop) desktop = NULL;
      g_autofree char *name = g_strdup_printf ("desk%u", c);

      desktop = desktop_new (fixture, name, users[c]);
      for (int round = 0; round < 5 && td_cache_count_pending (desktop->cache) > 0; round++)
        sync_ok (desktop, NULL);
      g_assert_cmpuint (td_cache_count_pending (desktop->cache), ==, 0);
      g_assert_cmpuint (file_int (paths[c], "SELECT COUNT (*) FROM outbox WHERE state != 'done'"),
                        ==, 0);
    }
  /* A last pull each, so every cache has what the others pushed. */
  for (guint c = 0; c < KILL_CLIENTS; c++)
    {
      g_autofree char *name = g_strdup_printf ("desk%u", c);
      g_autoptr (Desktop) desktop = desktop_new (fixture, name, users[c]);

      sync_ok (desktop, NULL);
    }

  /* Every command applied exactly once. */
  g_assert_cmpint (server_int (fixture, "SELECT COUNT (*) FROM applied_command") - before, ==,
                   KILL_CLIENTS * KILL_PER_CLIENT);
  assert_bodies_once (fixture, "kill-c", KILL_CLIENTS * (KILL_PER_CLIENT - 1));
  for (guint c = 0; c < KILL_CLIENTS; c++)
    {
      g_autofree char *sql = g_strdup_printf (
          "SELECT COUNT (*) FROM ticket WHERE uuid = '%s' AND deleted = 0", tickets[c]);

      g_assert_cmpint (server_int (fixture, sql), ==, 1);
      assert_cache_equals_server (fixture, paths[c]);
      assert_integrity (paths[c]);
      g_free (paths[c]);
      g_free (tickets[c]);
    }
  assert_integrity (fixture->server->db);
}

/* 2. A network that drops, delays, cuts and resets */

/* Cancels a sync round that has not finished by its deadline: the proxy
 * must not be able to hang the test, and a round that needs cancelling is
 * reported. */
typedef struct
{
  GMutex        lock;
  GCond         cond;
  gboolean      done;
  GCancellable *cancellable;
  gint64        deadline;
} Watchdog;

static gpointer
watchdog_run (gpointer data)
{
  Watchdog *watchdog = data;

  g_mutex_lock (&watchdog->lock);
  while (!watchdog->done)
    if (!g_cond_wait_until (&watchdog->cond, &watchdog->lock, watchdog->deadline))
      {
        if (!watchdog->done)
          g_cancellable_cancel (watchdog->cancellable);
        break;
      }
  g_mutex_unlock (&watchdog->lock);
  return NULL;
}

static void
renew_session (Desktop *desktop, const char *url)
{
  TdSyncClient *fresh = td_sync_client_new (url);

  td_sync_client_set_token (fresh, td_sync_client_get_token (desktop->client));
  g_object_unref (desktop->client);
  desktop->client = fresh;
}

#define PROXY_DESKTOPS 3
#define PROXY_COMMENTS 60

static void
test_fault_proxy (Fixture *fixture, gconstpointer data)
{
  static const char *const users[PROXY_DESKTOPS] = { "lead", "analyst", "manager" };
  g_autoptr (TdFaultProxy) proxy = td_fault_proxy_new (fixture->server->port, g_test_rand_int ());
  g_autofree char *proxy_url
      = g_strdup_printf ("http://127.0.0.1:%u", td_fault_proxy_get_port (proxy));
  const TdFaults faults
      = { .drop = 10, .delay = 15, .truncate = 20, .reset = 15, .max_delay_ms = 150 };
  const TdFaults none = { 0 };
  Desktop       *desktops[PROXY_DESKTOPS];
  char          *tickets[PROXY_DESKTOPS];
  guint          failures = 0;
  guint          cancelled = 0;
  TdFaultCounts  counts;

  for (guint d = 0; d < PROXY_DESKTOPS; d++)
    {
      g_autofree char *name = g_strdup_printf ("net%u", d);
      g_autofree char *title = g_strdup_printf ("Transcript export %u", d);

      desktops[d] = desktop_new_at (fixture, name, users[d], proxy_url);
      /* Logging in goes through the proxy too: try until it passes. */
      td_fault_proxy_set_faults (proxy, &none);
      desktop_login (desktops[d]);
      tickets[d] = create_ticket (desktops[d], title);
      for (guint i = 0; i < PROXY_COMMENTS; i++)
        {
          g_autofree char *body = g_strdup_printf ("net-d%u-%03u: retried the export", d, i);
          comment (desktops[d], tickets[d], body);
        }
    }

  td_fault_proxy_set_faults (proxy, &faults);
  for (guint round = 0; round < 60; round++)
    {
      guint pending = 0;

      for (guint d = 0; d < PROXY_DESKTOPS; d++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (GCancellable) cancellable = g_cancellable_new ();
          TdSyncStats stats = { 0 };
          Watchdog    watchdog = { .cancellable = cancellable,
                                   .deadline = g_get_monotonic_time () + 45 * G_TIME_SPAN_SECOND };
          GThread    *watcher;
          gboolean    synced;

          /* A new session each round, so new connections meet new faults
           * (libsoup keeps a connection for every request it can). */
          renew_session (desktops[d], proxy_url);
          g_mutex_init (&watchdog.lock);
          g_cond_init (&watchdog.cond);
          watcher = g_thread_new ("watchdog", watchdog_run, &watchdog);
          synced
              = td_sync_run (desktops[d]->client, desktops[d]->cache, &stats, cancellable, &error);
          g_mutex_lock (&watchdog.lock);
          watchdog.done = TRUE;
          g_cond_signal (&watchdog.cond);
          g_mutex_unlock (&watchdog.lock);
          g_thread_join (watcher);
          g_mutex_clear (&watchdog.lock);
          g_cond_clear (&watchdog.cond);
          if (g_cancellable_is_cancelled (cancellable))
            {
              cancelled++;
              g_printerr ("# a sync round through the proxy was still running after 45 s: "
                          "cancelled (%s)\n",
                          error != NULL ? error->message : "it finished as it was cancelled");
            }
          if (!synced && g_cancellable_is_cancelled (cancellable))
            failures++;
          else if (!synced)
            {
              failures++;
              /* Cut answers are "offline" or a malformed answer; never a
               * crash, never a half-written cache. */
              g_assert_true (g_error_matches (error, TD_SYNC_ERROR, TD_SYNC_ERROR_OFFLINE)
                             || g_error_matches (error, TD_SYNC_ERROR, TD_SYNC_ERROR_SERVER));
            }
          td_sync_stats_clear (&stats);
          pending += td_cache_count_pending (desktops[d]->cache);
        }
      if (pending == 0 && round >= 5)
        break;
    }
  counts = td_fault_proxy_get_counts (proxy);
  g_printerr ("# proxy: %u connections, %u dropped, %u delayed, %u truncated, %u reset; "
              "%u failed syncs, %u cancelled\n",
              counts.connections, counts.dropped, counts.delayed, counts.truncated, counts.reset,
              failures, cancelled);
  g_assert_cmpuint (counts.dropped + counts.truncated + counts.reset, >, 0);
  g_assert_cmpuint (failures, >, 0);

  /* The network heals: one clean round each, and they converge. */
  td_fault_proxy_set_faults (proxy, &none);
  for (guint pass = 0; pass < 2; pass++)
    for (guint d = 0; d < PROXY_DESKTOPS; d++)
      {
        /* Connections made before stay as faulty as they were. */
        renew_session (desktops[d], proxy_url);
        sync_ok (desktops[d], NULL);
      }

  assert_bodies_once (fixture, "net-d", PROXY_DESKTOPS * PROXY_COMMENTS);
  for (guint d = 0; d < PROXY_DESKTOPS; d++)
    {
      g_autofree char *sql
          = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE uuid = '%s'", tickets[d]);

      g_assert_cmpuint (td_cache_count_pending (desktops[d]->cache), ==, 0);
      g_assert_cmpuint (file_int (desktops[d]->path, "SELECT COUNT (*) FROM outbox WHERE state IN "
                                                     "('rejected', 'conflict')"),
                        ==, 0);
      g_assert_cmpint (server_int (fixture, sql), ==, 1);
      assert_cache_equals_server (fixture, desktops[d]->path);
      assert_integrity (desktops[d]->path);
      desktop_free (desktops[d]);
      g_free (tickets[d]);
    }
  /* Each command once: 1 create and the comments a desktop. */
  g_assert_cmpint (server_int (fixture, "SELECT COUNT (*) FROM applied_command"), ==,
                   PROXY_DESKTOPS * (PROXY_COMMENTS + 1));
  assert_integrity (fixture->server->db);
}

/* 3. The server's disk: full, failing, read-only */

typedef struct
{
  GSubprocess *strace;
} Injection;

/* Makes every call of @syscalls fail with @error in @pid (all its threads),
 * through strace's fault injection, until injection_stop (). */
static Injection
injection_start (GPid pid, const char *syscalls, const char *error_name, const char *log)
{
  g_autofree char *pid_text = g_strdup_printf ("%d", (int) pid);
  g_autofree char *trace = g_strdup_printf ("trace=%s", syscalls);
  g_autofree char *inject = g_strdup_printf ("inject=%s:error=%s", syscalls, error_name);
  const char      *argv[]
      = { "strace", "-f", "-qq", "-p", pid_text, "-e", trace, "-e", inject, "-o", log, NULL };
  g_autoptr (GError) error = NULL;
  Injection injection;
  gint64    deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  injection.strace = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *status_path = g_strdup_printf ("/proc/%d/status", (int) pid);
      g_autofree char *status = NULL;

      /* TracerPid is set on the main thread once attached. */
      if (g_file_get_contents (status_path, &status, NULL, NULL)
          && strstr (status, "TracerPid:\t0\n") == NULL)
        break;
      g_usleep (20 * 1000);
    }
  /* Give strace a moment to reach the other threads. */
  g_usleep (300 * 1000);
  return injection;
}

static void
injection_stop (Injection *injection)
{
  /* SIGTERM: strace detaches and the process goes on untraced. */
  g_subprocess_send_signal (injection->strace, SIGTERM);
  g_subprocess_wait (injection->strace, NULL, NULL);
  g_clear_object (&injection->strace);
}

static char *
command_batch (const char *command_id, const char *ticket_id, const char *title)
{
  return g_strdup_printf (
      "{\"commands\": [{\"id\": \"%s\", \"type\": \"create\", \"entity\": \"ticket\", "
      "\"entity_id\": \"%s\", \"fields\": {\"title\": \"%s\", \"description\": \"d\", "
      "\"affected_user_id\": \"E1\", \"contact\": \"c\", \"steps_to_reproduce\": \"s\", "
      "\"error_message\": \"e\", \"impact\": \"low\", \"urgency\": \"low\", "
      "\"occurred_at\": \"2026-11-20T09:00:00Z\"}}]}",
      command_id, ticket_id, title);
}

static void
test_server_disk_faults (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    const char *syscalls;
    const char *errno_name;
    const char *code;
    const char *words;
  } faults[] = {
    { "pwrite64", "ENOSPC", "storage_full", "disk is full" },
    /* SQLite reports a write refused by a read-only file system as an I/O error. */
    { "pwrite64", "EROFS", "storage_error", "could not write to its disk" },
    { "fdatasync,fsync", "EIO", "storage_error", "could not write to its disk" },
  };
  g_autofree char *lead = td_test_login (fixture->server, "lead");
  g_autofree char *strace_log = g_build_filename (fixture->server->dir, "strace.log", NULL);

  if (!g_file_test ("/usr/bin/strace", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("strace is needed (Debian package strace)");
      return;
    }

  for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
    {
      g_autofree char *command_id = g_uuid_string_random ();
      g_autofree char *ticket_id = g_uuid_string_random ();
      g_autofree char *title = g_strdup_printf ("Written after %s", faults[f].errno_name);
      g_autofree char *body = command_batch (command_id, ticket_id, title);
      g_autofree char *ticket_path = g_strdup_printf ("/tickets/%s", ticket_id);
      g_autofree char *count_sql
          = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE uuid = '%s'", ticket_id);
      gint64    head_before = server_int (fixture, "SELECT value FROM meta WHERE key = 'head_rev'");
      Injection injection;

      g_test_message ("%s fails with %s", faults[f].syscalls, faults[f].errno_name);
      injection = injection_start (fixture->server->pid, faults[f].syscalls, faults[f].errno_name,
                                   strace_log);
      {
        g_autoptr (TdTestResponse) write
            = td_test_request (fixture->server, "POST", "/commands", lead, body);
        g_autoptr (TdTestResponse) resource
            = td_test_request (fixture->server, "POST", "/tickets", lead, "{\"title\": \"x\"}");
        g_autoptr (TdTestResponse) list
            = td_test_request (fixture->server, "GET", "/tickets?limit=5", lead, NULL);
        g_autoptr (TdTestResponse) changes
            = td_test_request (fixture->server, "GET", "/changes?since=0&limit=5", lead, NULL);
        g_autoptr (TdTestResponse) health
            = td_test_request (fixture->server, "GET", "/health", NULL, NULL);
        const char *message;

        /* The write: refused, saying why. */
        g_assert_cmpuint (write->status, ==, 503);
        g_assert_cmpstr (td_test_error_code (write), ==, faults[f].code);
        message = json_object_get_string_member (
            json_object_get_object_member (td_test_object (write), "error"), "message");
        g_test_message ("503: %s", message);
        g_assert_nonnull (strstr (message, faults[f].words));
        g_assert_nonnull (strstr (message, "nothing of it was kept"));
        /* A refusal is remembered like an applied command: a write too. */
        g_assert_cmpuint (resource->status, ==, 503);
        /* Reads go on. */
        g_assert_cmpuint (list->status, ==, 200);
        g_assert_cmpuint (changes->status, ==, 200);
        g_assert_cmpuint (health->status, ==, 200);
      }
      injection_stop (&injection);

      /* Nothing half-written: the head did not move, the row is not there,
       * and the same batch now applies (not "duplicate"). */
      if (!g_str_equal (faults[f].errno_name, "EIO"))
        {
          g_assert_cmpint (server_int (fixture, "SELECT value FROM meta WHERE key = 'head_rev'"),
                           ==, head_before);
          g_assert_cmpint (server_int (fixture, count_sql), ==, 0);
        }
      {
        g_autoptr (TdTestResponse) retry
            = td_test_request (fixture->server, "POST", "/commands", lead, body);
        JsonObject *result = json_array_get_object_element (
            json_object_get_array_member (td_test_object (retry), "results"), 0);
        const char *status = json_object_get_string_member (result, "status");

        g_assert_cmpuint (retry->status, ==, 200);
        /* A failed fsync may leave the commit in the WAL, to be found
         * again: then the retry is a duplicate. Either way, once. */
        if (g_str_equal (faults[f].errno_name, "EIO"))
          g_assert_true (g_str_equal (status, "applied") || g_str_equal (status, "duplicate"));
        else
          g_assert_cmpstr (status, ==, "applied");
      }
      g_assert_cmpint (server_int (fixture, count_sql), ==, 1);
      {
        g_autoptr (TdTestResponse) read
            = td_test_request (fixture->server, "GET", ticket_path, lead, NULL);
        g_assert_cmpuint (read->status, ==, 200);
        g_assert_cmpstr (json_object_get_string_member (td_test_object (read), "title"), ==, title);
      }
    }

  /* And after a crash on top of it all, the file is sound. */
  td_test_server_kill (fixture->server);
  assert_integrity (fixture->server->db);
  server_start (fixture);
  g_assert_cmpint (server_int (fixture, "SELECT COUNT (*) FROM ticket WHERE title LIKE "
                                        "'Written after %'"),
                   ==, G_N_ELEMENTS (faults));
}

/* 4. The desktop's disk full: the edit refused, nothing saved damaged */

static void
test_client_disk_full (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) desktop = desktop_new (fixture, "desk", "lead");
  g_autofree char *ticket = create_ticket (desktop, "Badges not awarded");
  g_autofree char *strace_log = g_build_filename (fixture->server->dir, "strace-self.log", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  gint64    outbox_before;
  Injection injection;

  sync_ok (desktop, NULL);
  comment (desktop, ticket, "Saved before the disk filled up");
  outbox_before = td_cache_count_pending (desktop->cache);

  /* This process's writes fail as on a full disk. */
  injection = injection_start (getpid (), "pwrite64", "ENOSPC", strace_log);
  json_object_set_string_member (fields, "title", "Badges not awarded after the quiz");
  g_assert_false (td_cache_update (desktop->cache, "ticket", ticket, fields, &error));
  {
    g_autofree char *second = td_cache_append_event (desktop->cache, ticket, "comment",
                                                     "Lost to the full disk", NULL, NULL);
    g_assert_null (second);
  }
  injection_stop (&injection);

  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_DISK);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_nonnull (strstr (error->message, "not saved"));

  /* What was saved before is all there, unchanged. */
  {
    g_autoptr (JsonObject) row = td_cache_get_row (desktop->cache, "ticket", ticket);
    g_assert_cmpstr (json_object_get_string_member (row, "title"), ==, "Badges not awarded");
  }
  g_assert_cmpint (td_cache_count_pending (desktop->cache), ==, outbox_before);

  /* With space again, the next edit saves, and the refused one never
   * slips in with it. */
  json_object_set_string_member (fields, "title", "Badges not awarded (any quiz)");
  g_clear_error (&error);
  g_assert_true (td_cache_update (desktop->cache, "ticket", ticket, fields, &error));
  g_assert_no_error (error);
  g_assert_cmpint (td_cache_count_pending (desktop->cache), ==, outbox_before + 1);
  g_clear_object (&desktop->cache);
  assert_integrity (desktop->path);
  g_assert_cmpint (file_int (desktop->path, "SELECT COUNT (*) FROM ticket_event WHERE body = "
                                            "'Lost to the full disk'"),
                   ==, 0);
  desktop->cache = td_cache_open (desktop->path, &error);
  g_assert_no_error (error);
  sync_ok (desktop, NULL);
  g_assert_cmpint (td_cache_count_pending (desktop->cache), ==, 0);
  assert_cache_equals_server (fixture, desktop->path);
}

/* 5. Clocks: the server at a DST change, a desktop hours off */

static char *
faketime_wrapper (const char *spec)
{
  /* In the sanitizer build, ASan must let the preload come first. */
  return g_strdup_printf ("env LD_PRELOAD=%s FAKETIME='%s' FAKETIME_DONT_FAKE_MONOTONIC=1 "
                          "TZ=Europe/London ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0",
                          LIBFAKETIME, spec);
}

static gint64
sla_remaining (Desktop *desktop, const char *uuid, gint64 now)
{
  g_autoptr (JsonObject) row = td_cache_get_row (desktop->cache, "ticket", uuid);
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdTicket) ticket = td_ticket_new (row);

  td_ticket_refresh_sla (ticket, policy, now);
  g_assert_cmpint (td_ticket_get_sla_due (ticket), <, G_MAXINT64);
  return td_ticket_get_sla_due (ticket) - now;
}

static void
test_clock_faults (Fixture *fixture, gconstpointer data)
{
  /* London goes from GMT to BST at 01:00 UTC on 29 March 2026. */
  const gint64 dst_change = 1774746000;
  g_autoptr (Desktop) desktop = NULL;
  g_autofree char *ticket = NULL;
  TdSyncStats      stats = { 0 };
  gint64           created_at;
  gint64           server_now;

  if (!g_file_test (LIBFAKETIME, G_FILE_TEST_EXISTS))
    {
      g_test_fail_printf ("libfaketime is needed (Debian package faketime)");
      return;
    }

  /* The server restarts thirty seconds before the change. */
  td_test_server_stop (fixture->server);
  fixture->server->wrapper = faketime_wrapper ("@2026-03-29 00:59:30");
  server_start (fixture);

  desktop = desktop_new (fixture, "desk", "lead");
  ticket = create_ticket (desktop, "Certificates dated wrong");
  sync_ok (desktop, &stats);
  g_assert_true (stats.has_clock_offset);

  /* The server stamped the ticket with its own clock, around the change
   * (the desktop's clock says November). */
  created_at = json_object_get_int_member (td_cache_get_row (desktop->cache, "ticket", ticket),
                                           "created_at");
  g_test_message ("created_at %" G_GINT64_FORMAT ", the change at %" G_GINT64_FORMAT, created_at,
                  dst_change);
  g_assert_cmpint (created_at, >=, dst_change - 30);
  g_assert_cmpint (created_at, <, dst_change + 600);
  /* The desktop knows the server's clock, and counts the SLA from it:
   * a ticket just logged has most of its time left, not months overdue. */
  server_now = td_time_now () + stats.clock_offset;
  g_assert_cmpint (llabs (server_now - created_at), <, 600);
  g_assert_cmpint (sla_remaining (desktop, ticket, server_now), >, 0);
  td_sync_stats_clear (&stats);

  /* A desktop whose clock is six hours ahead, against a server on time. */
  td_test_server_stop (fixture->server);
  g_clear_pointer (&fixture->server->wrapper, g_free);
  server_start (fixture);
  {
    g_autoptr (Desktop) ahead = desktop_new (fixture, "ahead", "analyst");
    g_autofree char *late = create_ticket (ahead, "Enrolments doubled");
    g_autofree char *path = g_strdup (ahead->path);
    g_autofree char *wrapper = faketime_wrapper ("+6h");
    g_autofree char *command = NULL;
    g_autoptr (TdTestResponse) health = NULL;
    gint64 server_time;
    gint64 late_created;
    int    status = 0;

    g_clear_object (&ahead->cache);
    command = g_strdup_printf ("echo '%s' | %s '%s' --cache '%s' --server '%s' --user analyst "
                               ">/dev/null",
                               TD_TEST_PASSWORD, wrapper, g_getenv ("TD_TIERDESK_SYNC"), path,
                               fixture->url);
    {
      const char *argv[] = { "/bin/sh", "-c", command, NULL };
      g_autoptr (GError) error = NULL;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                    &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
    health = td_test_request (fixture->server, "GET", "/health", NULL, NULL);
    server_time = json_object_get_int_member (td_test_object (health), "time");
    late_created = file_int (path, "SELECT created_at FROM ticket WHERE title = "
                                   "'Enrolments doubled'");
    /* Stamped by the server: minutes before its clock now, not hours after. */
    g_assert_cmpint (late_created, <=, server_time);
    g_assert_cmpint (server_time - late_created, <, 600);
    g_assert_cmpint (file_int (path, "SELECT COUNT (*) FROM outbox WHERE state != 'done'"), ==, 0);
  }
}

/* 6. A month offline with 500 commands waiting */

static void
test_month_offline (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Desktop) away = desktop_new (fixture, "away", "lead");
  g_autoptr (Desktop) office = desktop_new (fixture, "office", "analyst");
  g_autoptr (GPtrArray) shared = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  guint commands = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Shared ticket %u", i);
      g_ptr_array_add (shared, create_ticket (office, title));
    }
  sync_ok (office, NULL);
  sync_ok (away, NULL);

  /* The laptop leaves; the server goes on without it. */
  td_test_server_stop (fixture->server);
  for (guint i = 0; i < 5; i++)
    {
      const char      *ticket = g_ptr_array_index (shared, i);
      g_autofree char *title = g_strdup_printf ("Shared ticket %u (seen on the road)", i);

      /* The same field the office will change: a conflict each. */
      set_title (away, ticket, title);
      commands++;
    }
  for (guint t = 0; t < 15; t++)
    {
      g_autofree char *title = g_strdup_printf ("Logged offline %02u", t);
      g_autofree char *uuid = create_ticket (away, title);

      commands++;
      for (guint c = 0; c < 32; c++)
        {
          g_autofree char *body = g_strdup_printf ("away-%02u-%02u: noted on the train", t, c);
          comment (away, uuid, body);
          commands++;
        }
    }
  g_assert_cmpuint (commands, ==, 500);
  g_assert_cmpuint (td_cache_count_pending (away->cache), ==, 500);

  /* Thirty days later: the server's clock has moved on (the laptop's
   * token has expired with it), and the office changed the same titles. */
  fixture->server->wrapper = faketime_wrapper ("+30d");
  server_start (fixture);
  desktop_login (office);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Shared ticket %u (fixed in the office)", i);
      set_title (office, g_ptr_array_index (shared, i), title);
    }
  sync_ok (office, NULL);

  {
    TdSyncStats stats = { 0 };

    g_assert_false (td_sync_run (away->client, away->cache, &stats, NULL, &error));
    g_assert_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
    td_sync_stats_clear (&stats);
    g_assert_cmpuint (td_cache_count_pending (away->cache), ==, 500);
  }
  desktop_login (away);
  {
    TdSyncStats stats = { 0 };

    sync_ok (away, &stats);
    g_test_message ("pushed %u: applied %u, conflicts %u", stats.pushed, stats.applied,
                    stats.conflicts);
    g_assert_cmpuint (stats.applied, ==, 495);
    g_assert_cmpuint (stats.conflicts, ==, 5);
    td_sync_stats_clear (&stats);
  }
  /* All applied; the five conflicts wait for the person, with both sides. */
  g_assert_cmpuint (td_cache_count_pending (away->cache), ==, 0);
  {
    g_autoptr (GPtrArray) conflicts = td_cache_list_conflicts (away->cache);

    g_assert_cmpuint (conflicts->len, ==, 5);
  }
  assert_bodies_once (fixture, "away-", 15 * 32);
  g_assert_cmpint (server_int (fixture, "SELECT COUNT (*) FROM ticket WHERE title LIKE "
                                        "'Logged offline %'"),
                   ==, 15);
  /* The office's titles stand until the person decides. */
  g_assert_cmpint (server_int (fixture, "SELECT COUNT (*) FROM ticket WHERE title LIKE "
                                        "'%(fixed in the office)'"),
                   ==, 5);
  assert_integrity (away->path);
  assert_integrity (fixture->server->db);
}

/* Running each test in a process of its own */

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

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };
      int     null = open ("/dev/null", O_WRONLY);

      /* tierdeskd inherits standard output; the parent reads ours. */
      g_assert_cmpint (null, >=, 0);
      dup2 (null, STDOUT_FILENO);
      close (null);
      fixture.server = td_test_server_new (accounts);
      server_start (&fixture);
      test->func (&fixture, NULL);
      td_test_server_free (fixture.server);
      g_free (fixture.url);
      return;
    }
  {
    g_autofree char *leftovers = NULL;
    g_autofree char *contents = NULL;
    g_auto (GStrv) lines = NULL;
    int file = g_file_open_tmp ("td-faults-XXXXXX", &leftovers, NULL);

    g_assert_cmpint (file, >=, 0);
    close (file);
    g_setenv ("TD_TEST_LEFTOVERS", leftovers, TRUE);
    g_test_trap_subprocess (NULL, 240 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    /* Only our servers: the PID must still be tierdeskd serving that directory. */
    g_file_get_contents (leftovers, &contents, NULL, NULL);
    lines = g_strsplit (contents != NULL ? contents : "", "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_auto (GStrv) parts = g_strsplit (lines[i], " ", 2);
        g_autofree char *proc = NULL;
        g_autofree char *cmdline = NULL;
        gsize            length = 0;

        if (g_strv_length (parts) != 2)
          continue;
        proc = g_strdup_printf ("/proc/%s/cmdline", parts[0]);
        if (g_file_get_contents (proc, &cmdline, &length, NULL))
          {
            for (gsize j = 0; j + 1 < length; j++)
              if (cmdline[j] == '\0')
                cmdline[j] = ' ';
            if (strstr (cmdline, "serve") != NULL && strstr (cmdline, parts[1]) != NULL)
              kill (atoi (parts[0]), SIGKILL);
          }
      }
    g_unlink (leftovers);
  }
  g_test_trap_assert_passed ();
}

static const TestCase tests[] = {
  { "/sync/faults/kill-under-four-clients", test_kill_under_four_clients },
  { "/sync/faults/proxy", test_fault_proxy },
  { "/sync/faults/server-disk", test_server_disk_faults },
  { "/sync/faults/client-disk-full", test_client_disk_full },
  { "/sync/faults/clocks", test_clock_faults },
  { "/sync/faults/month-offline", test_month_offline },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_isolated);
  return g_test_run ();
}
