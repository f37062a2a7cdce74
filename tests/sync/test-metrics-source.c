/* test-metrics-source.c — the metrics' input read from a cache, and from the demo data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "td-handoff-source.h"
#include "td-metrics-source.h"
#include "td-schema.h"

#include "td-test-util.h"

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The metrics' input read from a fresh client cache holding @sql's rows. */
static TdMetricsSource *
load_cache (TdPolicy *policy, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("td-metrics-source-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  TdMetricsSource *source;
  sqlite3         *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (td_schema_migrate (db, TD_SCHEMA_CLIENT, &error));
  g_assert_no_error (error);
  exec (db, sql);
  sqlite3_close (db);

  source = td_metrics_source_load (path, policy, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
  return source;
}

/* A cache with two tickets: one escalated 1→2 and documented but for the
 * optional browser, one deleted. */
static void
test_cache (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdMetricsSource) source = NULL;
  const TdMetricsInput  *input;
  const TdMetricsTicket *ticket;

  source = load_cache (
      policy,
      "INSERT INTO ticket (uuid, rev, title, description, affected_user_id, contact, "
      "steps_to_reproduce, error_message, impact, urgency, occurred_at, tier, severity, "
      "status, created_at, first_response_at, closed_at) VALUES "
      "('t1', 5, 'Leave', 'Balance wrong', 'E10001', 'a@example.com', '1. Open', 'E42', "
      "'low', 'low', 90, 2, 'SEV-3', 'closed', 100, 160, 900), "
      "('t2', 6, 'Gone', '', '', NULL, NULL, NULL, NULL, NULL, NULL, 1, 'SEV-4', 'new', "
      "50, NULL, NULL);"
      "UPDATE ticket SET deleted = 1 WHERE uuid = 't2';"
      "INSERT INTO ticket_event (uuid, rev, ticket, kind, at, data) VALUES "
      "('e3', 9, 't1', 'assign', 400, '{\"owner\":\"p\"}'), "
      "('e1', 7, 't1', 'status', 160, '{\"status\":\"in_progress\"}'), "
      "('e2', 8, 't1', 'escalate', 300, '{\"from_tier\":1,\"to_tier\":2,\"path\":\"t1-t2\"}'), "
      "('e4', 10, 't2', 'comment', 60, NULL);");
  input = td_metrics_source_get_input (source);
  g_assert_cmpuint (input->n_tickets, ==, 1);
  g_assert_cmpuint (input->n_changes, ==, 0);
  ticket = &input->tickets[0];
  g_assert_cmpstr (ticket->id, ==, "t1");
  g_assert_cmpstr (ticket->severity, ==, "SEV-3");
  /* Its tier is now 2; it was opened where its first move started. */
  g_assert_cmpint (ticket->first_tier, ==, 1);
  g_assert_cmpint (ticket->created_at, ==, 100);
  g_assert_cmpint (ticket->first_response_at, ==, 160);
  /* Closed without a resolved_at: closed_at counts. */
  g_assert_cmpint (ticket->resolved_at, ==, 900);
  /* The cache has the pir table, but no review of this ticket. */
  g_assert_true (input->pir_recorded);
  g_assert_cmpint (ticket->pir_status, ==, TD_METRICS_PIR_NONE);
  g_assert_true (g_strv_contains (ticket->filled_fields, "user_id"));
  g_assert_true (g_strv_contains (ticket->filled_fields, "occurred_at"));
  g_assert_false (g_strv_contains (ticket->filled_fields, "browser_device"));
  g_assert_cmpuint (g_strv_length ((char **) ticket->filled_fields), ==, 8);

  /* By time: in progress, the move, the assignment. */
  g_assert_cmpuint (ticket->n_events, ==, 3);
  g_assert_false (ticket->events[0].is_move);
  g_assert_cmpint (ticket->events[0].at, ==, 160);
  g_assert_true (ticket->events[1].is_move);
  g_assert_cmpint (ticket->events[1].from_tier, ==, 1);
  g_assert_cmpint (ticket->events[1].to_tier, ==, 2);
  g_assert_cmpint (ticket->events[2].at, ==, 400);
}

/* Production changes, read from the change_record rows: planned and
 * deleted ones do not count, a rollback is a failure, each counts for its
 * own tier. */
static void
test_changes (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdMetricsSource) source = NULL;
  g_autoptr (GArray) results = NULL;
  const TdMetricsInput *input;
  const TdMetricResult *rate;
  guint                 tier3 = 0;

  source = load_cache (
      policy, "INSERT INTO change_record (uuid, rev, title, kind, tier, status, performed_at, "
              "deleted) VALUES "
              "('c1', 1, 'Release 4.10', 'code', 3, 'succeeded', 1000, 0), "
              "('c2', 2, 'Release 4.11', 'code', 3, 'rolled_back', 2000, 0), "
              "('c3', 3, 'Patching', 'infrastructure', 3, 'succeeded', 3000, 0), "
              "('c4', 4, 'Release 4.12', 'code', 3, 'planned', NULL, 0), "
              "('c5', 5, 'Typo', 'code', 3, 'failed', 4000, 1), "
              "('c6', 6, 'Carry-over cap', 'configuration', 2, 'failed', 5000, 0), "
              "('c7', 7, 'Next year', 'code', 3, 'succeeded', 20000, 0);");
  input = td_metrics_source_get_input (source);
  g_assert_cmpuint (input->n_changes, ==, 5);
  for (guint i = 0; i < input->n_changes; i++)
    {
      const TdMetricsChange *change = &input->changes[i];

      if (change->at == 2000)
        g_assert_false (change->succeeded);
      if (change->at == 5000)
        g_assert_cmpint (change->tier, ==, 2);
      tier3 += change->tier == 3;
    }
  g_assert_cmpuint (tier3, ==, 4);

  /* Tier 3 in [0, 10000): c1, c2, c3; c2 rolled back: 2/3, below 99%. */
  results = td_metrics_compute (policy, input, 0, 10000, 0);
  rate = td_metrics_find (results, "t3-change-success");
  g_assert_nonnull (rate);
  g_assert_cmpuint (rate->samples, ==, 3);
  g_assert_cmpuint (rate->hits, ==, 2);
  g_assert_cmpfloat_with_epsilon (rate->value, 200.0 / 3, 0.001);
  g_assert_cmpint (rate->verdict, ==, TD_METRIC_FAIL);
}

/* Post-incident reviews, read from the pir rows. Four SEV-1/2 tickets
 * resolved at Tier 1:
 * - r1 SEV-1, its review scheduled: pending;
 * - r2 SEV-2, closed: complete;
 * - r3 SEV-1, only a deleted (closed) review: none;
 * - r4 SEV-2, a scheduled row and one with actions open: the furthest
 *   along counts, complete;
 * and a review of a deleted ticket, which is skipped. */
static void
test_reviews (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdMetricsSource) source = NULL;
  g_autoptr (GArray) results = NULL;
  const TdMetricsInput *input;
  const TdMetricResult *pir;

  source = load_cache (policy,
                       "INSERT INTO ticket (uuid, rev, title, tier, severity, status, created_at, "
                       "first_response_at, resolved_at, deleted) VALUES "
                       "('r1', 1, 'One', 1, 'SEV-1', 'resolved', 100, 110, 1000, 0), "
                       "('r2', 2, 'Two', 1, 'SEV-2', 'resolved', 200, 210, 2000, 0), "
                       "('r3', 3, 'Three', 1, 'SEV-1', 'resolved', 300, 310, 3000, 0), "
                       "('r4', 4, 'Four', 1, 'SEV-2', 'resolved', 400, 410, 4000, 0), "
                       "('r5', 5, 'Gone', 1, 'SEV-1', 'resolved', 500, 510, 5000, 1);"
                       /* Two new issues: r1 documented half an hour after its
         * resolution, r2 never. */
                       "UPDATE ticket SET new_issue = 1, documented_at = 2800 WHERE uuid = 'r1';"
                       "UPDATE ticket SET new_issue = 1 WHERE uuid = 'r2';"
                       "INSERT INTO pir (uuid, rev, ticket, status, deleted) VALUES "
                       "('p1', 6, 'r1', 'scheduled', 0), "
                       "('p2', 7, 'r2', 'closed', 0), "
                       "('p3', 8, 'r3', 'closed', 1), "
                       "('p4a', 9, 'r4', 'scheduled', 0), "
                       "('p4b', 10, 'r4', 'actions_open', 0), "
                       "('p5', 11, 'r5', 'held', 0);");
  input = td_metrics_source_get_input (source);
  g_assert_true (input->pir_recorded);
  g_assert_cmpuint (input->n_tickets, ==, 4);
  /* By created_at: r1–r4. */
  g_assert_cmpstr (input->tickets[0].id, ==, "r1");
  g_assert_cmpint (input->tickets[0].pir_status, ==, TD_METRICS_PIR_PENDING);
  g_assert_cmpint (input->tickets[1].pir_status, ==, TD_METRICS_PIR_COMPLETE);
  g_assert_cmpint (input->tickets[2].pir_status, ==, TD_METRICS_PIR_NONE);
  g_assert_cmpint (input->tickets[3].pir_status, ==, TD_METRICS_PIR_COMPLETE);
  g_assert_true (input->tickets[0].new_issue);
  g_assert_cmpint (input->tickets[0].documented_at, ==, 2800);
  g_assert_true (input->tickets[1].new_issue);
  g_assert_cmpint (input->tickets[1].documented_at, ==, 0);
  g_assert_false (input->tickets[2].new_issue);

  /* SEV-1/2 resolved in [0, 10000): r1–r4 (4); complete r2, r4 (2):
   * 2/4 = 50%, below the 100% the standard asks. */
  results = td_metrics_compute (policy, input, 0, 10000, 0);
  pir = td_metrics_find (results, "pir-participation");
  g_assert_nonnull (pir);
  g_assert_cmpuint (pir->samples, ==, 4);
  g_assert_cmpuint (pir->hits, ==, 2);
  g_assert_cmpfloat_with_epsilon (pir->value, 50, 0.001);
  g_assert_cmpint (pir->verdict, ==, TD_METRIC_FAIL);

  /* Knowledge updates over [0, 200000): r1 met (documented 1800 s after
   * its resolution), r2's 24 h ended at 88400 undocumented: 1/2 = 50%. */
  g_clear_pointer (&results, g_array_unref);
  results = td_metrics_compute (policy, input, 0, 200000, 0);
  g_assert_cmpuint (td_metrics_find (results, "knowledge-updates")->samples, ==, 2);
  g_assert_cmpuint (td_metrics_find (results, "knowledge-updates")->hits, ==, 1);
  g_assert_cmpint (td_metrics_find (results, "knowledge-updates")->verdict, ==, TD_METRIC_FAIL);
}

/* A cache from before the reviews (no pir table): PIR completion is not
 * measured, rather than 0%. Only the tables the source reads. */
static void
test_no_review_table (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("td-metrics-source-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr (TdMetricsSource) source = NULL;
  g_autoptr (GArray) results = NULL;
  const TdMetricsInput *input;
  sqlite3              *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "CREATE TABLE ticket (uuid TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0, "
            "tier INTEGER, severity TEXT, created_at INTEGER, first_response_at INTEGER, "
            "resolved_at INTEGER, closed_at INTEGER);"
            "CREATE TABLE ticket_event (uuid TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0, "
            "ticket TEXT, kind TEXT, at INTEGER, data TEXT);"
            "INSERT INTO ticket (uuid, tier, severity, created_at, first_response_at, resolved_at) "
            "VALUES ('old', 1, 'SEV-1', 100, 110, 1000);");
  sqlite3_close (db);

  source = td_metrics_source_load (path, policy, &error);
  g_assert_no_error (error);
  input = td_metrics_source_get_input (source);
  g_assert_false (input->pir_recorded);
  g_assert_cmpuint (input->n_tickets, ==, 1);
  g_assert_cmpint (input->tickets[0].pir_status, ==, TD_METRICS_PIR_NONE);
  results = td_metrics_compute (policy, input, 0, 10000, 0);
  /* One SEV-1 resolved in the period, counted but not judged. */
  g_assert_cmpuint (td_metrics_find (results, "pir-participation")->samples, ==, 1);
  g_assert_cmpint (td_metrics_find (results, "pir-participation")->verdict, ==,
                   TD_METRIC_NOT_MEASURED);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_missing_file (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TdMetricsSource) source
      = td_metrics_source_load ("/nonexistent/cache.db", policy, &error);

  g_assert_null (source);
  g_assert_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE);
  g_assert_nonnull (strstr (error->message, "/nonexistent/cache.db"));
}

/* The demo data's tickets share the client's ticket tables, so the source
 * reads the server's file too: every measured metric has samples. */
static void
test_demo_data (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("td-metrics-demo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *password = g_build_filename (dir, "password", NULL);
  const char      *tierdeskd = g_getenv ("TD_TIERDESKD");
  g_autoptr (TdMetricsSource) source = NULL;
  g_autoptr (GArray) results = NULL;
  const TdMetricsInput *input;
  TdInstant             latest = 0;
  sqlite3              *db = NULL;
  int                   status;

  if (tierdeskd == NULL)
    {
      g_test_skip ("TD_TIERDESKD is not set");
      return;
    }
  g_assert_true (g_file_set_contents (password, "demo-password-1\n", -1, NULL));
  {
    const char *init[] = { tierdeskd,         "init",   "--db", path, "--admin", "admin",
                           "--password-file", password, NULL };
    const char *demo[]
        = { tierdeskd, "demo-data", "--db", path, "--tickets", "3000", "--seed", "7", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) init, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_spawn_sync (NULL, (char **) demo, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  source = td_metrics_source_load (path, policy, &error);
  g_assert_no_error (error);
  input = td_metrics_source_get_input (source);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (input->n_tickets, ==, td_test_query_int (db, "SELECT COUNT (*) FROM ticket"));

  for (guint i = 0; i < input->n_tickets; i++)
    latest = MAX (latest, input->tickets[i].created_at);
  results = td_metrics_compute (policy, input, latest - 90 * 24 * 3600, latest + 1, 0);
  for (guint i = 0; i < results->len; i++)
    {
      const TdMetricResult *result = &g_array_index (results, TdMetricResult, i);

      g_test_message ("%s: %u samples, %g", result->id, result->samples, result->value);
      /* Everything is there, the reviews of the SEV-1/2 tickets too:
       * some held, the recent ones scheduled; and the changes, counted
       * as the database has them. */
      if (result->measure == TD_MEASURE_CHANGE_SUCCESS)
        {
          g_autofree char *performed = g_strdup_printf (
              "SELECT count(*) FROM change_record WHERE deleted = 0 AND tier = %d AND status <> "
              "'planned' AND performed_at >= %" G_GINT64_FORMAT
              " AND performed_at < %" G_GINT64_FORMAT,
              result->tier, latest - 90 * 24 * 3600, latest + 1);
          g_autofree char *succeeded = g_strdup_printf ("%s AND status = 'succeeded'", performed);

          g_assert_cmpuint (result->samples, >, 0);
          g_assert_cmpint (result->samples, ==, td_test_query_int (db, performed));
          g_assert_cmpint (result->hits, ==, td_test_query_int (db, succeeded));
          g_assert_cmpuint (result->hits, <, result->samples);
        }
      else if (result->measure == TD_MEASURE_PIR_COMPLETION)
        {
          g_assert_true (input->pir_recorded);
          g_assert_cmpuint (result->samples, >, 0);
          g_assert_cmpuint (result->hits, >, 0);
          g_assert_cmpint (result->verdict, !=, TD_METRIC_NOT_MEASURED);
        }
      else if (result->measure == TD_MEASURE_KNOWLEDGE_UPDATES)
        {
          /* Only new issues whose 24 hours are over by the period's end
           * count; the demo's are few, so a period may have none, and
           * then the card says so rather than passing or failing. */
          if (result->samples == 0)
            g_assert_cmpint (result->verdict, ==, TD_METRIC_NO_DATA);
          else
            g_assert_cmpint (result->verdict, !=, TD_METRIC_NOT_MEASURED);
        }
      else
        g_assert_cmpuint (result->samples, >, 0);
    }
  sqlite3_close (db);

  g_unlink (path);
  g_unlink (password);
  {
    g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;
    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *leftover = g_build_filename (dir, name, NULL);
        g_unlink (leftover);
      }
  }
  g_rmdir (dir);
}

/* A demo database, made with tierdeskd; NULL (and a skip) without it. */
static char *
make_demo (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *password = g_build_filename (dir, "password", NULL);
  const char      *tierdeskd = g_getenv ("TD_TIERDESKD");
  const char      *init[]
      = { tierdeskd, "init", "--db", path, "--admin", "admin", "--password-file", password, NULL };
  const char *demo[]
      = { tierdeskd, "demo-data", "--db", path, "--tickets", "300", "--seed", "5", NULL };
  int status;

  if (tierdeskd == NULL)
    return NULL;
  g_assert_true (g_file_set_contents (password, "demo-password-1\n", -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) init, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) demo, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&path);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* The handoff report from the demo data: the open tickets the database
 * has, and for each position on call now, who holds it next from the
 * moment the current stretch ends. */
static void
test_handoff_demo (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdRotaStore) rotas = td_rota_store_new (policy);
  g_autoptr (GError) error = NULL;
  g_autofree char         *dir = g_dir_make_tmp ("td-handoff-demo-XXXXXX", NULL);
  g_autofree char         *path = make_demo (dir);
  static const char *const entities[]
      = { "person", "rotation", "rotation_member", "rota_override", "swap_request", NULL };
  g_autoptr (JsonObject) report = NULL;
  JsonArray *contacts;
  JsonArray *open;
  TdInstant  now;
  sqlite3   *db = NULL;

  if (path == NULL)
    {
      g_test_skip ("TD_TIERDESKD is not set");
      return;
    }
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE deleted = 0", entities[i]);
      sqlite3_stmt    *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr (JsonObject) row = td_cache_row_from_statement (stmt);
          td_rota_store_add_row (rotas, entities[i], row);
        }
      sqlite3_finalize (stmt);
    }
  now = td_test_query_int (db, "SELECT MAX (created_at) FROM ticket") + 60;

  report = td_handoff_source_build (path, policy, rotas, 0, now, &error);
  g_assert_no_error (error);
  open = json_object_get_array_member (report, "open_tickets");
  g_assert_cmpint (json_array_get_length (open), ==,
                   td_test_query_int (db, "SELECT COUNT (*) FROM ticket WHERE deleted = 0 AND "
                                          "status NOT IN ('resolved', 'closed')"));
  sqlite3_close (db);

  contacts = json_object_get_array_member (report, "key_contacts");
  g_assert_cmpuint (json_array_get_length (contacts), >, 0);
  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      JsonObject *contact = json_array_get_object_element (contacts, i);
      JsonObject *next;

      if (!g_str_equal (json_object_get_string_member (contact, "when"), "now"))
        continue;
      g_assert_cmpint (json_object_get_int_member (contact, "starts_at"), <=, now);
      g_assert_cmpint (json_object_get_int_member (contact, "ends_at"), >, now);
      /* Right after it: the same position, from when this stretch ends. */
      g_assert_cmpuint (i + 1, <, json_array_get_length (contacts));
      next = json_array_get_object_element (contacts, i + 1);
      g_assert_cmpstr (json_object_get_string_member (next, "when"), ==, "next");
      g_assert_cmpstr (json_object_get_string_member (next, "position"), ==,
                       json_object_get_string_member (contact, "position"));
      g_assert_cmpint (json_object_get_int_member (next, "starts_at"), ==,
                       json_object_get_int_member (contact, "ends_at"));
    }
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/metrics-source/cache", test_cache);
  g_test_add_func ("/sync/metrics-source/reviews", test_reviews);
  g_test_add_func ("/sync/metrics-source/changes", test_changes);
  g_test_add_func ("/sync/metrics-source/no-review-table", test_no_review_table);
  g_test_add_func ("/sync/metrics-source/missing-file", test_missing_file);
  g_test_add_func ("/sync/metrics-source/demo-data", test_demo_data);
  g_test_add_func ("/sync/handoff-source/demo-data", test_handoff_demo);
  return g_test_run ();
}
