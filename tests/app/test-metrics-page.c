/* test-metrics-page.c — the Metrics page and the shift handoff report, against a real tierdeskd
 *
 * Like test-oncall-page.c, each test runs in a subprocess with a home and
 * a session bus of its own, starts tierdeskd with demo data and signs in
 * through the connect form. The figures the page shows are checked against
 * the same computation run on the server's own database, which the cache
 * mirrors once the first sync is over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "td-app-test.h"
#include "td-application.h"
#include "td-format.h"
#include "td-metrics-page.h"
#include "td-metrics-source.h"
#include "td-test-server.h"
#include "td-test-util.h"
#include "td-window.h"

typedef struct
{
  char          *home;
  GSubprocess   *bus;
  TdTestServer  *server;
  TdApplication *app;
  TdWindow      *window;
} Fixture;

static const char *const accounts[] = { "lead:app-support-lead", "lead2:service-desk-manager", NULL };

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

static gboolean
wait_until (Fixture *fixture, Predicate done, gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (fixture, data) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return done (fixture, data);
}

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static TdMetricsPage *
metrics_page (Fixture *fixture)
{
  return td_window_get_metrics_page (fixture->window);
}

static TdSession *
session (Fixture *fixture)
{
  return td_application_get_session (fixture->app);
}

static TdSyncEngine *
engine (Fixture *fixture)
{
  return td_session_get_engine (session (fixture));
}

static void
fixture_set_up (Fixture *fixture)
{
  fixture->home = td_app_test_isolate (&fixture->bus);
  if (!gtk_init_check ())
    g_error ("test-metrics-page needs a display: run it under xvfb-run (./run test does)");
  adw_init ();

  fixture->server = td_test_server_new (accounts);
  g_assert_cmpint (td_test_tierdeskd (NULL, NULL, "demo-data", "--db", fixture->server->db,
                                      "--tickets", "300", "--seed", "11", NULL),
                   ==, 0);
  td_test_server_start (fixture->server);

  fixture->app = td_app_test_start_app ();
  fixture->window = TD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
}

static void
fixture_tear_down (Fixture *fixture)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  td_session_close (session (fixture));
  td_app_test_spin (50);
  g_clear_object (&fixture->app);
  td_test_server_free (fixture->server);
  g_subprocess_force_exit (fixture->bus);
  g_clear_object (&fixture->bus);
}

static gboolean
is_idle (Fixture *fixture, gconstpointer data)
{
  return td_session_is_connected (session (fixture))
         && td_sync_engine_get_state (engine (fixture)) == TD_SYNC_STATE_IDLE
         && td_sync_engine_get_pending (engine (fixture)) == 0;
}

static void
sign_in (Fixture *fixture, const char *user)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);

  td_connect_view_sign_in (td_window_get_connect_view (fixture->window), url, user,
                           TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, is_idle, NULL));
}

/* Metrics */

/* The figures for the page's period and team, computed on the server's
 * database: what the page must show once its cache has caught up. */
static GArray *
expected_results (Fixture *fixture, int tier)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdMetricsSource) source = NULL;
  TdInstant from;
  TdInstant to;

  source = td_metrics_source_load (fixture->server->db, td_session_get_policy (session (fixture)),
                                   &error);
  g_assert_no_error (error);
  td_metrics_page_get_period (metrics_page (fixture), &from, &to);
  return td_metrics_compute (td_session_get_policy (session (fixture)),
                             td_metrics_source_get_input (source), from, to, tier);
}

typedef struct
{
  GArray *expected;
} Match;

static gboolean
page_matches (Fixture *fixture, gconstpointer data)
{
  const Match *match = data;
  GArray      *shown = td_metrics_page_get_results (metrics_page (fixture));

  if (shown == NULL || shown->len != match->expected->len)
    return FALSE;
  for (guint i = 0; i < shown->len; i++)
    {
      const TdMetricResult *a = &g_array_index (shown, TdMetricResult, i);
      const TdMetricResult *b = &g_array_index (match->expected, TdMetricResult, i);

      if (g_strcmp0 (a->id, b->id) != 0 || a->samples != b->samples || a->hits != b->hits
          || fabs (a->value - b->value) > 0.001 || a->verdict != b->verdict)
        return FALSE;
    }
  return TRUE;
}

static char *
card_text (Fixture *fixture, const char *id, const char *part)
{
  GtkWidget *card = find_named (GTK_WIDGET (metrics_page (fixture)), id);
  GtkWidget *label;

  g_assert_nonnull (card);
  label = find_named (card, part);
  g_assert_nonnull (label);
  return g_strdup (gtk_label_get_text (GTK_LABEL (label)));
}

/* What a card must read for @result, worked out here rather than by the
 * page's own code. */
static char *
expected_value_text (const TdMetricResult *result)
{
  if (result->samples == 0)
    return g_strdup ("—");
  switch (result->unit)
    {
      case TD_METRIC_UNIT_DURATION:
        return td_format_span ((gint64) round (result->value));
      case TD_METRIC_UNIT_PERCENT:
        return g_strdup_printf ("%.1f %%", result->value);
      case TD_METRIC_UNIT_COUNT:
      default:
        return g_strdup_printf ("%.0f", result->value);
    }
}

static void
select_period (Fixture *fixture, guint position)
{
  GtkDropDown *dropdown
      = GTK_DROP_DOWN (find_named (GTK_WIDGET (metrics_page (fixture)), "period-dropdown"));

  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (dropdown, position);
}

static void
test_metrics_page (Fixture *fixture)
{
  Match            match = { 0 };
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr (GFile) csv_file = NULL;
  g_autoptr (GError) error = NULL;
  GtkDropDown *team;
  guint        failing = 0;

  sign_in (fixture, "lead");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "metrics");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (
                       GTK_WIDGET (metrics_page (fixture)), ADW_TYPE_VIEW_STACK))),
                   ==, "metrics");
  select_period (fixture, TD_METRICS_PERIOD_90_DAYS);

  /* Nine targets [10.1] and three standards [10.2], equal to the same
   * computation on the server's database. */
  match.expected = expected_results (fixture, 0);
  g_assert_cmpuint (match.expected->len, ==, 12);
  g_assert_true (wait_until (fixture, page_matches, &match));
  td_app_test_spin (200);

  for (guint i = 0; i < match.expected->len; i++)
    {
      const TdMetricResult *result = &g_array_index (match.expected, TdMetricResult, i);
      g_autofree char      *value = card_text (fixture, result->id, "value");
      g_autofree char      *verdict = card_text (fixture, result->id, "verdict");
      g_autofree char      *target = card_text (fixture, result->id, "target");
      g_autofree char      *wanted = expected_value_text (result);

      g_test_message ("%s: %s (%s, %s)", result->id, value, verdict, target);
      g_assert_cmpstr (value, ==, wanted);
      g_assert_cmpstr (verdict, ==,
                       result->verdict == TD_METRIC_PASS   ? "Meets Target"
                       : result->verdict == TD_METRIC_FAIL ? "Misses Target"
                                                           : "No Data in This Period");
      g_assert_true (g_str_has_prefix (target, "Target: "));
      failing += result->verdict == TD_METRIC_FAIL;
    }
  /* The demo data's tickets answer and resolve, so most figures have
   * samples; it records no changes and no reviews. */
  g_assert_cmpint (td_metrics_find (match.expected, "t3-change-success")->verdict, ==,
                   TD_METRIC_NO_DATA);
  g_assert_cmpuint (td_metrics_find (match.expected, "t1-first-response")->samples, >, 0);
  g_assert_cmpuint (td_metrics_find (match.expected, "pir-participation")->samples, >, 0);
  g_assert_cmpint (td_metrics_find (match.expected, "pir-participation")->verdict, ==,
                   TD_METRIC_FAIL);
  {
    g_autofree char *target = card_text (fixture, "t1-first-response", "target");
    g_assert_cmpstr (target, ==, "Target: under 15 min");
  }
  g_test_message ("%u figures miss their target", failing);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "metrics");

  /* Tier 2 alone: its three targets and the standards over its tickets. */
  team = GTK_DROP_DOWN (find_named (GTK_WIDGET (metrics_page (fixture)), "metrics-team-dropdown"));
  g_assert_nonnull (team);
  gtk_drop_down_set_selected (team, 2);
  g_array_unref (match.expected);
  match.expected = expected_results (fixture, 2);
  g_assert_cmpuint (match.expected->len, ==, 6);
  g_assert_true (wait_until (fixture, page_matches, &match));
  g_assert_null (find_named (GTK_WIDGET (metrics_page (fixture)), "t1-first-response"));
  g_assert_nonnull (find_named (GTK_WIDGET (metrics_page (fixture)), "t2-response"));
  td_app_test_spin (100);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "metrics-tier2");

  /* The export writes what is shown, and the weeks behind the charts. */
  csv_path = g_build_filename (fixture->home, "metrics.csv", NULL);
  csv_file = g_file_new_for_path (csv_path);
  g_assert_true (td_metrics_page_write_csv (metrics_page (fixture), csv_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "period_start,period_end,id,name,tier,unit,value"));
  g_assert_nonnull (strstr (csv, ",t2-resolution-rate,Resolution Rate,2,percent,"));
  g_assert_null (strstr (csv, ",t1-first-response,"));
  g_array_unref (match.expected);
}

static void
run_isolated (gconstpointer data)
{
  void (*func) (Fixture *) = data;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      fixture_set_up (&fixture);
      func (&fixture);
      fixture_tear_down (&fixture);
      return;
    }
  g_test_trap_subprocess (NULL, 180 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/app/metrics/page", test_metrics_page, run_isolated);
  return g_test_run ();
}
