/* test-escalation-page.c — the Escalation page: the live flowchart, a ticket's path, what-if, export
 *
 * Each case runs in a process of its own, with its own home and session
 * bus (as test-queue.c does); the ticket case also starts tierdeskd and
 * signs in. Times are checked against core's rules for the ticket's own
 * instants, never against the wall clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "td-app-test.h"
#include "td-application.h"
#include "td-escalation-page.h"
#include "td-escalation.h"
#include "td-flow-item.h"
#include "td-format.h"
#include "td-sla.h"
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

typedef struct
{
  const char *path;
  void (*func) (Fixture *fixture);
  gboolean server;
} TestCase;

static const char *const accounts[] = { "lead:app-support-lead", NULL };

/* Waiting */

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

static gboolean
wait_until (Fixture *fixture, Predicate done, gconstpointer data)
{
  return td_app_test_wait ((TdAppTestDone) done, fixture, data, 20);
}

static TdSession *
session (Fixture *fixture)
{
  return td_application_get_session (fixture->app);
}

static TdEscalationPage *
page (Fixture *fixture)
{
  return td_window_get_escalation_page (fixture->window);
}

static TdFlowView *
view (Fixture *fixture)
{
  return td_escalation_page_get_flow_view (page (fixture));
}

/* Set-up, as in test-queue.c */

static void
fixture_set_up_environment (Fixture *fixture)
{
  fixture->home = td_app_test_isolate (&fixture->bus);
  /* Dates on the page are local time: London's, where the calendar is. */
  g_setenv ("TZ", "Europe/London", TRUE);
}

static void
fixture_set_up (Fixture *fixture, gboolean server)
{
  if (server)
    {
      fixture->server = td_test_server_new (accounts);
      td_test_server_start (fixture->server);
    }
  fixture->app = td_app_test_start_app ();
  fixture->window = TD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "escalation");
  td_app_test_spin (200);
}

static void
fixture_tear_down (Fixture *fixture)
{
  td_app_test_close (&fixture->app, &fixture->server, &fixture->bus);
}

static gboolean
is_idle (Fixture *fixture, gconstpointer data)
{
  TdSyncEngine *engine = td_session_get_engine (session (fixture));

  return td_session_is_connected (session (fixture)) && engine != NULL
         && td_sync_engine_get_state (engine) == TD_SYNC_STATE_IDLE
         && td_sync_engine_get_pending (engine) == 0;
}

static void
sign_in (Fixture *fixture)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);

  td_connect_view_sign_in (td_window_get_connect_view (fixture->window), url, "lead",
                           TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, is_idle, NULL));
}

/* The chart */

static TdFlowItem *
item_for (Fixture *fixture, const char *id)
{
  GPtrArray *items = td_flow_view_get_items (view (fixture));

  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (td_flow_item_get_id (g_ptr_array_index (items, i)), id) == 0)
      return g_ptr_array_index (items, i);
  return NULL;
}

static void
test_every_node (Fixture *fixture)
{
  TdFlowLayout *layout = td_flow_view_get_layout (view (fixture));
  TdPolicy     *policy = td_application_get_policy (fixture->app);
  GPtrArray    *tiers = td_policy_get_tiers (policy);
  GPtrArray    *paths = td_policy_get_escalation_paths (policy);
  GPtrArray    *items = td_flow_view_get_items (view (fixture));
  double        zoom;

  g_assert_nonnull (layout);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view (fixture))));
  g_assert_cmpuint (items->len, ==,
                    td_flow_layout_get_n_nodes (layout) + td_flow_layout_get_n_edges (layout));

  /* Every tier and every path is on the chart, each readable by a screen
   * reader with its text, and reachable with the keyboard. */
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier    *tier = g_ptr_array_index (tiers, i);
      g_autofree char *id = g_strdup_printf ("tier-%d", tier->level);
      TdFlowItem      *item = item_for (fixture, id);

      g_assert_nonnull (item);
      g_assert_true (g_str_has_prefix (td_flow_item_get_text (item), tier->name));
      g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (item)));
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (item)), ==,
                       GTK_ACCESSIBLE_ROLE_BUTTON);
    }
  for (guint i = 0; i < paths->len; i++)
    {
      const TdEscalationPath *path = g_ptr_array_index (paths, i);
      TdFlowItem             *item = item_for (fixture, path->id);

      g_assert_nonnull (item);
      g_assert_nonnull (strstr (td_flow_item_get_text (item), path->criteria[0]));
    }
  g_assert_nonnull (strstr (td_flow_item_get_text (item_for (fixture, "scenario-4-3")),
                            "Security breach. Contact: CISO"));

  /* Enter on a tier box selects it and makes it the what-if tier. */
  gtk_widget_grab_focus (GTK_WIDGET (item_for (fixture, "tier-3")));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (item_for (fixture, "tier-3"))));
  g_signal_emit_by_name (item_for (fixture, "tier-3"), "activate");
  g_assert_cmpstr (td_flow_view_get_selected_node (view (fixture)), ==, "tier-3");
  /* The arrow keys move between boxes, as the window's focus chain does. */
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (view (fixture)), GTK_DIR_DOWN));
  g_assert_false (gtk_widget_has_focus (GTK_WIDGET (item_for (fixture, "tier-3"))));

  /* Zoom and fit. */
  td_flow_view_fit (view (fixture));
  zoom = td_flow_view_get_zoom (view (fixture));
  g_assert_cmpfloat (zoom, >, 0.1);
  g_assert_cmpfloat (zoom, <=, 1.0);
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "page.zoom-in", NULL);
  g_assert_cmpfloat (td_flow_view_get_zoom (view (fixture)), >, zoom);
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "page.fit", NULL);
  g_assert_cmpfloat (td_flow_view_get_zoom (view (fixture)), ==, zoom);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "escalation");
}

/* What if [7.2, 5.5]: SEV-2 at 17:50 on Friday 1 May 2026, the Friday
 * before the Early May bank holiday. */
static void
test_what_if (Fixture *fixture)
{
  TdPolicy        *policy = td_application_get_policy (fixture->app);
  g_autofree char *text = NULL;
  g_autofree char *response = NULL;
  g_autofree char *expected = NULL;
  TdSlaTicket      ticket = { 0 };
  TdSlaResult      sla;
  g_autoptr (GDateTime) due = NULL;

  g_assert_true (td_escalation_page_set_what_if (page (fixture), "SEV-2", 2, "2026-05-01 17:50"));
  g_assert_null (td_escalation_page_get_what_if_error (page (fixture)));
  text = td_escalation_page_get_what_if_text (page (fixture));
  g_test_message ("what if:\n%s", text);
  /* 2 business hours: none on Friday evening, Monday is a holiday. */
  g_assert_nonnull (strstr (text, "Tier 2 hands over to Tier 3: By Tue 5 May 2026, 11:00 · "
                                  "limit 2 h, Business hours (London)\n"));
  g_assert_nonnull (strstr (text, "Tier 3 hands over to Tier 4: By Tue 5 May 2026, 15:00 · "
                                  "limit 4 h, Around the clock (24/7)\n"));
  /* The SLA clocks are core's, to the minute. */
  ticket.tier = 2;
  ticket.severity = "SEV-2";
  ticket.created = td_test_iso ("2026-05-01T16:50:00Z");
  g_assert_true (td_sla_compute (policy, &ticket, ticket.created, &sla, NULL));
  due = g_date_time_new_from_unix_local (sla.response.due);
  response = g_date_time_format (due, "%a %-d %b %Y, %H:%M");
  g_assert_cmpstr (response, ==, "Fri 1 May 2026, 18:20");
  expected = g_strdup_printf ("First Response Due: %s", response);
  g_assert_nonnull (strstr (text, expected));
  g_assert_nonnull (strstr (text, "Resolution Due: Sat 2 May 2026, 01:50"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "escalation-what-if");

  /* A start that is no date names the field and says what would do. */
  g_assert_true (td_escalation_page_set_what_if (page (fixture), "SEV-2", 2, "2026-02-30 09:00"));
  g_assert_cmpstr (td_escalation_page_get_what_if_error (page (fixture)), ==,
                   "Logged at: “2026-02-30 09:00” is not a date and time; expected "
                   "YYYY-MM-DD HH:MM, such as 2026-05-01 17:50");
  g_free (text);
  text = td_escalation_page_get_what_if_text (page (fixture));
  g_assert_cmpstr (text, ==, "");
}

/* Export: the chart as PNG and as SVG */

static void
on_start_element (GMarkupParseContext *context,
                  const char          *element,
                  const char         **names,
                  const char         **values,
                  gpointer             user_data,
                  GError             **error)
{
  GString *seen = user_data;

  if (seen->len == 0)
    g_string_append (seen, element);
}

static void
test_export (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autofree char           *png = g_build_filename (fixture->home, "flow.png", NULL);
  g_autofree char           *svg = g_build_filename (fixture->home, "flow.svg", NULL);
  g_autofree char           *data = NULL;
  gsize                      length = 0;
  static const GMarkupParser parser = { on_start_element, NULL, NULL, NULL, NULL };
  g_autoptr (GString) root = g_string_new (NULL);
  GMarkupParseContext *context;

  g_assert_true (td_flow_view_export (view (fixture), TD_FLOW_EXPORT_PNG, png, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &data, &length, &error));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  {
    g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (png, &error);

    g_assert_no_error (error);
    /* Twice the chart's size, for print. */
    g_assert_cmpint (
        gdk_texture_get_width (texture), ==,
        (int) ceil (2 * td_flow_layout_get_width (td_flow_view_get_layout (view (fixture)))));
  }
  g_clear_pointer (&data, g_free);

  g_assert_true (td_flow_view_export (view (fixture), TD_FLOW_EXPORT_SVG, svg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &data, &length, &error));
  context = g_markup_parse_context_new (&parser, 0, root, NULL);
  g_assert_true (g_markup_parse_context_parse (context, data, length, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_markup_parse_context_free (context);
  g_assert_cmpstr (root->str, ==, "svg");

  /* A folder that does not exist is an error a person can read. */
  g_assert_false (td_flow_view_export (view (fixture), TD_FLOW_EXPORT_PNG,
                                       "/nonexistent/dir/flow.png", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/flow.png"));
}

/* A ticket's path */

/* The first widget of @type on screen under @root, depth first. */
static GtkWidget *
find_widget (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gtk_widget_get_mapped (child) ? find_widget (child, type) : NULL;

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row on screen titled @title, such as a search result. */
static GtkWidget *
find_row (GtkWidget *root, const char *title)
{
  if (ADW_IS_ACTION_ROW (root) && gtk_widget_get_mapped (root)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_result (Fixture *fixture, gconstpointer title)
{
  return find_row (GTK_WIDGET (page (fixture)), title) != NULL;
}

static char *
create_ticket (Fixture *fixture, const char *token)
{
  const char *body
      = "{\"title\": \"Leave balance shows 0 after payroll sync\", \"description\": \"Annual "
        "leave balance shows 0\", \"affected_user_id\": \"E10442\", \"contact\": "
        "\"pat@example.com\", \"steps_to_reproduce\": \"Log in, open My Leave\", "
        "\"error_message\": \"Balance: 0\", \"impact\": \"medium\", \"urgency\": \"medium\", "
        "\"occurred_at\": \"2026-11-26T09:00:00Z\"}";
  g_autoptr (TdTestResponse) response
      = td_test_request (fixture->server, "POST", "/tickets", token, body);

  g_assert_cmpuint (response->status, ==, 201);
  return g_strdup (json_object_get_string_member (td_test_object (response), "uuid"));
}

static gboolean
cache_has_escalation (Fixture *fixture, gconstpointer uuid)
{
  g_autoptr (JsonObject) row
      = td_cache_get_row (td_session_get_cache (session (fixture)), "ticket", uuid);

  return row != NULL && json_object_get_int_member (row, "tier") == 2 && is_idle (fixture, NULL);
}

static void
test_ticket_path (Fixture *fixture)
{
  g_autofree char *token = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *countdown = NULL;
  g_auto (GStrv) ids = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (TdTestResponse) response = NULL;
  g_autoptr (GDateTime) due = NULL;
  TdEscalationDeadline deadline;
  TdPolicy            *policy = td_application_get_policy (fixture->app);
  gint64               entered;

  sign_in (fixture);
  token = td_test_login (fixture->server, "lead");
  uuid = create_ticket (fixture, token);
  path = g_strdup_printf ("/tickets/%s/events", uuid);
  response = td_test_request (
      fixture->server, "POST", path, token,
      "{\"kind\": \"escalate\", \"data\": {\"to_tier\": 2, \"checklist\": [\"documented\", "
      "\"impact\", \"steps\", \"evidence\", \"troubleshooting\", \"user-notified\"]}}");
  g_assert_cmpuint (response->status, ==, 201);
  td_sync_engine_sync_now (td_session_get_engine (session (fixture)));
  g_assert_true (wait_until (fixture, cache_has_escalation, uuid));

  /* From the ticket, as the queue and the ticket's window do it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-escalation", "s", uuid);
  g_assert_cmpstr (td_escalation_page_get_ticket (page (fixture)), ==, uuid);
  ids = td_flow_view_get_highlighted_path (view (fixture));
  g_assert_true (g_strv_contains ((const char *const *) ids, "start"));
  g_assert_true (g_strv_contains ((const char *const *) ids, "entry"));
  g_assert_true (g_strv_contains ((const char *const *) ids, "tier-1"));
  g_assert_true (g_strv_contains ((const char *const *) ids, "t1-t2"));
  g_assert_true (g_strv_contains ((const char *const *) ids, "tier-2"));
  g_assert_false (g_strv_contains ((const char *const *) ids, "tier-3"));
  g_assert_cmpstr (td_flow_view_get_current_node (view (fixture)), ==, "tier-2");

  /* The time left at Tier 2 is core's limit from when it got there [7.2];
   * the clock is set, not read. */
  row = td_cache_get_row (td_session_get_cache (session (fixture)), "ticket", uuid);
  entered = json_object_get_int_member (row, "tier_entered_at");
  g_assert_cmpint (entered, >, 0);
  td_escalation_page_tick (page (fixture), entered + 600);
  g_assert_true (td_escalation_time_limit (policy, 2,
                                           json_object_get_string_member (row, "severity"), entered,
                                           NULL, 0, entered + 600, &deadline));
  due = g_date_time_new_from_unix_local (deadline.deadline);
  limit_text = g_date_time_format (due, "Escalation Limit: Hand over by %a %-d %b %Y, %H:%M");
  countdown = td_format_countdown (deadline.deadline, entered + 600);
  g_assert_cmpstr (td_flow_view_get_badge (view (fixture), "tier-2"), ==, countdown);
  g_assert_nonnull (td_flow_view_get_badge (view (fixture), "tier-1"));

  text = td_escalation_page_get_ticket_text (page (fixture));
  g_test_message ("ticket panel:\n%s", text);
  g_assert_true (g_str_has_prefix (text, "Tier 1 – Service Desk: Logged "));
  g_assert_nonnull (strstr (text, "\nTier 2 – Application Support: Escalated "));
  g_assert_nonnull (strstr (text, limit_text));
  g_assert_nonnull (strstr (text, countdown));
  g_assert_nonnull (strstr (text, "\nSLA Due: "));
  /* Next: Tier 3, with the whole Tier 2 → Tier 3 checklist still to tick [8.2]. */
  g_assert_nonnull (strstr (text, "Tier 3 — Tier 3 – Engineering: Still to tick on "
                                  "“Tier 2 → Tier 3 Handoff”: Root cause hypothesis, "
                                  "Technical evidence (logs, traces)"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "escalation-ticket");

  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "page.clear-ticket", NULL);
  g_assert_null (td_escalation_page_get_ticket (page (fixture)));
  g_clear_pointer (&ids, g_strfreev);
  ids = td_flow_view_get_highlighted_path (view (fixture));
  g_assert_cmpuint (g_strv_length (ids), ==, 0);

  /* Search on the page finds it again, by a word of its title. */
  {
    GtkWidget *entry = find_widget (GTK_WIDGET (page (fixture)), GTK_TYPE_SEARCH_ENTRY);
    GtkWidget *result;

    g_assert_nonnull (entry);
    g_assert_true (gtk_widget_get_sensitive (entry));
    gtk_editable_set_text (GTK_EDITABLE (entry), "payroll");
    g_assert_true (wait_until (fixture, has_result, "Leave balance shows 0 after payroll sync"));
    result = find_row (GTK_WIDGET (page (fixture)), "Leave balance shows 0 after payroll sync");
    g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (result)));
    g_signal_emit_by_name (gtk_widget_get_parent (result), "row-activated", result);
    g_assert_cmpstr (td_escalation_page_get_ticket (page (fixture)), ==, uuid);
  }
}

static void
run_isolated (gconstpointer data)
{
  const TestCase *test = data;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      g_test_log_set_fatal_handler (td_app_test_tolerate_notifications, NULL);
      fixture_set_up_environment (&fixture);
      if (!gtk_init_check ())
        g_error ("test-escalation-page needs a display: run it under xvfb-run");
      adw_init ();
      fixture_set_up (&fixture, test->server);
      test->func (&fixture);
      fixture_tear_down (&fixture);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static const TestCase tests[] = {
  { "/app/escalation/every-node", test_every_node, FALSE },
  { "/app/escalation/what-if", test_what_if, FALSE },
  { "/app/escalation/export", test_export, FALSE },
  { "/app/escalation/ticket-path", test_ticket_path, TRUE },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_isolated);
  return g_test_run ();
}
