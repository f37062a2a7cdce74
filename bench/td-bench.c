/* td-bench.c — the measuring half of `./run bench` (bench/run-bench.py drives it)
 *
 * Each command does one thing and prints one JSON object on standard
 * output, so the driver can repeat it, take medians and compare it with a
 * baseline measured in the same run:
 *
 *   raw-insert SERVER_DB CACHE   the rows of a server store copied into an
 *                                empty cache file with one prepared statement
 *                                per table in one transaction (benchmark 1's
 *                                baseline)
 *   queue CACHE                  50 keystroke-sized queries through the
 *                                TdQueueModel the window uses (benchmark 4)
 *   propagation URL USER N [SEED] N edits on one desktop, each timed until
 *                                it is in another desktop's cache; both
 *                                start from a copy of SEED, a synced cache
 *                                (benchmark 3; password on stdin)
 *   bare-window start|scroll     a bare GTK window, for benchmarks 5 and 7's
 *                                baselines (prints as td-bench-hooks.c does)
 *   constant-server BYTES PORTFILE  a libsoup server answering a constant body
 *                                of BYTES (benchmark 6's baseline)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "td-cache.h"
#include "td-policy.h"
#include "td-queue-model.h"
#include "td-schema.h"
#include "td-sync-engine.h"
#include "td-sync.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  g_print ("%s\n", text);
}

static void
print_latencies (const char *name, GArray *millis)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < millis->len; i++)
    json_builder_add_double_value (builder, g_array_index (millis, double, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  print_json (builder);
}

/* raw-insert */

static void
sql_or_die (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
never_live (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  sqlite3_result_int (context, 0);
}

static int
raw_insert (const char *server_path, const char *cache_path)
{
  const char *const *tables = td_schema_get_synced_tables ();
  g_autoptr (GError) error = NULL;
  sqlite3 *server = NULL;
  sqlite3 *cache = NULL;
  gint64   rows = 0;
  gint64   start;

  if (sqlite3_open_v2 (server_path, &server, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_open (cache_path, &cache) != SQLITE_OK)
    g_error ("cannot open %s or %s", server_path, cache_path);
  /* The cache's own settings and schema (td_cache_open), so the two
   * figures differ only in what the sync does on top. */
  sql_or_die (cache, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  if (!td_schema_migrate (cache, TD_SCHEMA_CLIENT, &error))
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  /* The best a plain program can do: the index built once at the end. */
  sqlite3_create_function_v2 (cache, "td_fts_live", 0, SQLITE_UTF8, NULL, never_live, NULL, NULL,
                              NULL);
  sql_or_die (cache, "BEGIN");
  for (guint t = 0; tables[t] != NULL; t++)
    {
      g_autofree char *select = g_strdup_printf ("SELECT * FROM %s", tables[t]);
      g_autoptr (GString) insert = g_string_new (NULL);
      sqlite3_stmt *from = NULL;
      sqlite3_stmt *to = NULL;
      int           n;

      sqlite3_prepare_v2 (server, select, -1, &from, NULL);
      n = sqlite3_column_count (from);
      g_string_append_printf (insert, "INSERT INTO %s (", tables[t]);
      for (int i = 0; i < n; i++)
        g_string_append_printf (insert, "%s%s", i > 0 ? ", " : "", sqlite3_column_name (from, i));
      g_string_append (insert, ") VALUES (");
      for (int i = 0; i < n; i++)
        g_string_append (insert, i > 0 ? ", ?" : "?");
      g_string_append (insert, ")");
      if (sqlite3_prepare_v2 (cache, insert->str, -1, &to, NULL) != SQLITE_OK)
        g_error ("%s: %s", insert->str, sqlite3_errmsg (cache));
      while (sqlite3_step (from) == SQLITE_ROW)
        {
          for (int i = 0; i < n; i++)
            sqlite3_bind_value (to, i + 1, sqlite3_column_value (from, i));
          if (sqlite3_step (to) != SQLITE_DONE)
            g_error ("%s: %s", tables[t], sqlite3_errmsg (cache));
          sqlite3_reset (to);
          rows++;
        }
      sqlite3_finalize (from);
      sqlite3_finalize (to);
    }
  sql_or_die (cache, "INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild')");
  sql_or_die (cache, "COMMIT");
  g_print ("{\"rows\": %" G_GINT64_FORMAT ", \"seconds\": %.3f}\n", rows, seconds_since (start));
  sqlite3_close (server);
  sqlite3_close (cache);
  return 0;
}

/* queue */

typedef void (*Step) (TdQueueModel *model, gconstpointer arg);

static void
type_search (TdQueueModel *model, gconstpointer text)
{
  td_queue_model_set_search (model, text);
}

static void
pick_tier (TdQueueModel *model, gconstpointer tier)
{
  td_queue_model_set_tier (model, GPOINTER_TO_INT (tier));
}

static void
pick_severity (TdQueueModel *model, gconstpointer severity)
{
  td_queue_model_set_severity (model, severity);
}

static void
toggle_at_risk (TdQueueModel *model, gconstpointer on)
{
  td_queue_model_set_at_risk_only (model, GPOINTER_TO_INT (on));
}

static void
pick_all_statuses (TdQueueModel *model, gconstpointer all)
{
  td_queue_model_set_status (model, all ? TD_QUEUE_STATUS_ALL : TD_QUEUE_STATUS_OPEN, NULL);
}

static void
click_sort (TdQueueModel *model, gconstpointer sort)
{
  td_queue_model_set_sort (model, GPOINTER_TO_INT (sort), FALSE);
}

/* What the view does after a change: asks the length and binds a screen. */
static void
show_screenful (TdQueueModel *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < MIN (n, 30); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
}

static int
queue (const char *cache_path)
{
  /* A lead's morning: search as they type, narrow by tier and severity,
   * look at what is at risk, widen to every status, re-sort. */
  static const struct
  {
    Step          step;
    gconstpointer arg;
  } steps[] = {
    { type_search, "p" },
    { type_search, "pa" },
    { type_search, "pay" },
    { type_search, "payr" },
    { type_search, "payro" },
    { type_search, "payrol" },
    { type_search, "payroll" },
    { type_search, "payroll s" },
    { type_search, "payroll sy" },
    { type_search, "payroll syn" },
    { type_search, "payroll sync" },
    { type_search, "" },
    { type_search, "l" },
    { type_search, "le" },
    { type_search, "lea" },
    { type_search, "leav" },
    { type_search, "leave" },
    { type_search, "leave b" },
    { type_search, "leave ba" },
    { type_search, "leave bal" },
    { type_search, "leave bala" },
    { type_search, "leave balan" },
    { type_search, "" },
    { type_search, "E" },
    { type_search, "E1" },
    { type_search, "E10" },
    { type_search, "E104" },
    { type_search, "" },
    { pick_tier, GINT_TO_POINTER (1) },
    { pick_tier, GINT_TO_POINTER (2) },
    { pick_tier, GINT_TO_POINTER (3) },
    { pick_tier, GINT_TO_POINTER (0) },
    { pick_severity, "SEV-1" },
    { pick_severity, "SEV-2" },
    { pick_severity, NULL },
    { toggle_at_risk, GINT_TO_POINTER (TRUE) },
    { toggle_at_risk, GINT_TO_POINTER (FALSE) },
    { pick_all_statuses, GINT_TO_POINTER (TRUE) },
    { type_search, "a" },
    { type_search, "ap" },
    { type_search, "app" },
    { type_search, "appr" },
    { type_search, "appro" },
    { type_search, "approv" },
    { type_search, "" },
    { click_sort, GINT_TO_POINTER (TD_QUEUE_SORT_SEVERITY) },
    { click_sort, GINT_TO_POINTER (TD_QUEUE_SORT_SLA) },
    { click_sort, GINT_TO_POINTER (TD_QUEUE_SORT_CREATED) },
    { pick_tier, GINT_TO_POINTER (2) },
    { pick_all_statuses, GINT_TO_POINTER (FALSE) },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TdPolicy) policy = td_policy_new_from_file (g_getenv ("TD_POLICY_FILE"), &error);
  g_autoptr (TdCache) cache = NULL;
  g_autoptr (TdQueueModel) model = NULL;
  g_autoptr (GArray) millis = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start;
  double opened;

  if (policy == NULL)
    g_error ("TD_POLICY_FILE: %s", error != NULL ? error->message : "not set");
  cache = td_cache_open (cache_path, &error);
  if (cache == NULL)
    g_error ("%s", error->message);
  td_cache_set_policy (cache, policy);

  start = g_get_monotonic_time ();
  model = td_queue_model_new (cache, policy);
  td_queue_model_count_sla_state (model, TD_SLA_BREACHED);
  td_queue_model_count_tier (model, 1);
  show_screenful (model);
  opened = seconds_since (start) * 1000;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double ms;

      start = g_get_monotonic_time ();
      steps[i].step (model, steps[i].arg);
      /* The counts above the list are part of every answer. */
      td_queue_model_count_sla_state (model, TD_SLA_BREACHED);
      td_queue_model_count_tier (model, 1);
      show_screenful (model);
      ms = seconds_since (start) * 1000;
      g_array_append_val (millis, ms);
    }
  g_print ("{\"open_ms\": %.3f, ", opened);
  {
    g_autoptr (JsonBuilder) builder = json_builder_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;

    json_builder_begin_array (builder);
    for (guint i = 0; i < millis->len; i++)
      json_builder_add_double_value (builder, g_array_index (millis, double, i));
    json_builder_end_array (builder);
    root = json_builder_get_root (builder);
    text = json_to_string (root, FALSE);
    g_print ("\"query_ms\": %s}\n", text);
  }
  return 0;
}

/* propagation */

typedef struct
{
  TdCache    *cache;
  const char *uuid;
  const char *want;
  gboolean    seen;
} Watch;

static void
on_rows_changed (TdSyncEngine *engine, const char *entity, const char *const *ids, Watch *watch)
{
  g_autoptr (JsonObject) row = NULL;

  if (watch->want == NULL || !g_str_equal (entity, "ticket") || !g_strv_contains (ids, watch->uuid))
    return;
  row = td_cache_get_row (watch->cache, "ticket", watch->uuid);
  watch->seen
      = row != NULL
        && g_strcmp0 (json_object_get_string_member_with_default (row, "title", NULL), watch->want)
               == 0;
}

static gboolean
spin_until (gboolean *flag, double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return *flag;
}

static gboolean
engine_idle (TdSyncEngine *engine)
{
  return td_sync_engine_get_state (engine) == TD_SYNC_STATE_IDLE
         && td_sync_engine_get_last_sync (engine) != 0;
}

static TdSyncEngine *
desktop (const char *dir,
         const char *name,
         const char *seed,
         const char *url,
         const char *user,
         const char *password)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TdCache) cache = td_cache_open (path, &error);
  g_autoptr (TdSyncClient) client = td_sync_client_new (url);
  TdSyncEngine *engine;
  gint64        deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  /* A desktop that has synced before (a copy of a full cache): what is
   * measured is the edits, not two first syncs. */
  if (seed != NULL)
    {
      g_autoptr (GFile) from = g_file_new_for_path (seed);
      g_autoptr (GFile) to = g_file_new_for_path (path);

      g_clear_object (&cache);
      if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
      cache = td_cache_open (path, &error);
    }
  if (cache == NULL || !td_sync_client_login (client, user, password, &error))
    g_error ("%s", error->message);
  engine = td_sync_engine_new (cache, client);
  td_sync_engine_start (engine);
  while (!engine_idle (engine) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return engine;
}

static int
propagation (const char *url, const char *user, guint edits, const char *seed)
{
  g_autofree char *dir = g_dir_make_tmp ("td-bench-XXXXXX", NULL);
  g_autofree char *password = NULL;
  g_autoptr (TdSyncEngine) a = NULL;
  g_autoptr (TdSyncEngine) b = NULL;
  g_autoptr (GArray) millis = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autofree char *uuid = NULL;
  Watch            watch = { 0 };
  char             line[256];
  guint            lost = 0;

  if (fgets (line, sizeof line, stdin) == NULL)
    g_error ("propagation: the password is read from standard input");
  password = g_strstrip (g_strdup (line));
  a = desktop (dir, "a.db", seed, url, user, password);
  b = desktop (dir, "b.db", seed, url, user, password);

  /* One ticket, created on A and seen on B, then edited N times. */
  json_object_set_string_member (fields, "title", "Propagation probe");
  json_object_set_string_member (fields, "description", "Edited by the propagation benchmark");
  json_object_set_string_member (fields, "affected_user_id", "E00001");
  json_object_set_string_member (fields, "contact", "bench@example.com");
  json_object_set_string_member (fields, "steps_to_reproduce", "None");
  json_object_set_string_member (fields, "error_message", "None");
  json_object_set_string_member (fields, "impact", "low");
  json_object_set_string_member (fields, "urgency", "low");
  json_object_set_string_member (fields, "occurred_at", "2026-11-27T09:00:00Z");
  uuid = td_cache_create (td_sync_engine_get_cache (a), "ticket", fields, &error);
  if (uuid == NULL)
    g_error ("%s", error->message);
  watch.cache = td_sync_engine_get_cache (b);
  watch.uuid = uuid;
  watch.want = "Propagation probe";
  g_signal_connect (b, "rows-changed", G_CALLBACK (on_rows_changed), &watch);
  td_sync_engine_local_change (a, "ticket", uuid);
  if (!spin_until (&watch.seen, 30))
    g_error ("the probe ticket never reached the second desktop");

  for (guint i = 0; i < edits; i++)
    {
      g_autoptr (JsonObject) change = json_object_new ();
      g_autofree char *title = g_strdup_printf ("Propagation probe, edit %u", i + 1);
      gint64           start;

      json_object_set_string_member (change, "title", title);
      watch.want = title;
      watch.seen = FALSE;
      start = g_get_monotonic_time ();
      if (!td_cache_update (td_sync_engine_get_cache (a), "ticket", uuid, change, &error))
        g_error ("%s", error->message);
      td_sync_engine_local_change (a, "ticket", uuid);
      if (spin_until (&watch.seen, 10))
        {
          double ms = seconds_since (start) * 1000;
          g_array_append_val (millis, ms);
        }
      else
        lost++;
    }
  td_sync_engine_stop (a);
  td_sync_engine_stop (b);
  if (lost > 0)
    g_printerr ("td-bench: %u edits did not arrive within 10 s\n", lost);
  print_latencies ("propagation_ms", millis);
  return lost > 0 ? 1 : 0;
}

/* bare-window */

static gboolean scroll_mode;

static gint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

static void
bare_after_paint (GdkFrameClock *clock, GtkWindow *window)
{
  g_signal_handlers_disconnect_by_func (clock, bare_after_paint, window);
  g_print ("first-frame\n");
  if (scroll_mode)
    g_print ("rss-peak-kb %" G_GINT64_FORMAT "\n", peak_rss_kb ());
  fflush (stdout);
  gtk_window_destroy (window);
}

static void
bare_realize (GtkWidget *window)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (bare_after_paint), window);
}

static void
bare_activate (GtkApplication *app)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Tierdesk"));
  g_signal_connect (window, "realize", G_CALLBACK (bare_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
bare_window (const char *mode)
{
  g_autoptr (GtkApplication) app
      = gtk_application_new ("io.github.tierdesk.Bench", G_APPLICATION_NON_UNIQUE);

  scroll_mode = g_strcmp0 (mode, "scroll") == 0;
  g_signal_connect (app, "activate", G_CALLBACK (bare_activate), NULL);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* constant-server */

static GBytes *constant_body;

static void
answer_constant (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    g_bytes_get_data (constant_body, NULL),
                                    g_bytes_get_size (constant_body));
}

static int
constant_server (guint64 bytes, const char *port_file)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GSList) uris = NULL;
  g_autofree char *body = g_malloc (bytes);
  g_autofree char *port = NULL;

  /* JSON-looking, the size of a page of changes. */
  memset (body, ' ', bytes);
  if (bytes >= 2)
    body[0] = '{', body[bytes - 1] = '}';
  constant_body = g_bytes_new_take (g_steal_pointer (&body), bytes);
  soup_server_add_handler (server, NULL, answer_constant, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (server);
  port = g_strdup_printf ("%d\n", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (!g_file_set_contents (port_file, port, -1, &error))
    g_error ("%s", error->message);
  g_main_loop_run (loop);
  return 0;
}

int
main (int argc, char *argv[])
{
  if (argc >= 4 && g_str_equal (argv[1], "raw-insert"))
    return raw_insert (argv[2], argv[3]);
  if (argc >= 3 && g_str_equal (argv[1], "queue"))
    return queue (argv[2]);
  if (argc >= 5 && g_str_equal (argv[1], "propagation"))
    return propagation (argv[2], argv[3], (guint) g_ascii_strtoull (argv[4], NULL, 10),
                        argc >= 6 ? argv[5] : NULL);
  if (argc >= 3 && g_str_equal (argv[1], "bare-window"))
    return bare_window (argv[2]);
  if (argc >= 4 && g_str_equal (argv[1], "constant-server"))
    return constant_server (g_ascii_strtoull (argv[2], NULL, 10), argv[3]);
  g_printerr (
      "usage: td-bench raw-insert SERVER_DB CACHE | queue CACHE | propagation URL USER N [SEED]"
      " | bare-window start|scroll | constant-server BYTES PORTFILE\n");
  return 2;
}
