/* test-knowledge.c — the Knowledge page and a ticket's Knowledge group,
 * against a real tierdeskd with demo data [3.4, 10.2]
 *
 * Like test-oncall-page.c, each test runs in a subprocess with a home and
 * a session bus of its own, starts tierdeskd with demo data and signs in
 * through the connect form. It types in the real search entries, links an
 * article from a ticket's window, resolves the ticket with its real
 * buttons, and reads what the labels and rows show; what reached the
 * server is read from its database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "td-app-test.h"
#include "td-pir.h"
#include "td-application.h"
#include "td-follow-ups.h"
#include "td-knowledge-page.h"
#include "td-pir-window.h"
#include "td-test-server.h"
#include "td-test-util.h"
#include "td-ticket-editor.h"
#include "td-ticket-view.h"
#include "td-window.h"

typedef struct
{
  char          *home;
  GSubprocess   *bus;
  TdTestServer  *server;
  TdApplication *app;
  TdWindow      *window;
} Fixture;

static const char *const accounts[]
    = { "lead:app-support-lead", "analyst:service-desk-analyst", NULL };

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

static gboolean
wait_until (Fixture *fixture, Predicate done, gconstpointer data)
{
  return td_app_test_wait ((TdAppTestDone) done, fixture, data, 20);
}

/* An entry row by the title it shows. */
static GtkWidget *
find_entry_row (GtkWidget *root, const char *title)
{
  if (ADW_IS_ENTRY_ROW (root)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static TdKnowledgePage *
page (Fixture *fixture)
{
  return td_window_get_knowledge_page (fixture->window);
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

static gboolean
server_has (Fixture *fixture, gconstpointer sql)
{
  return td_test_server_query_int (fixture->server, sql) > 0;
}

/* When the server did not take a change, the test log says why. */
static void
assert_server_has (Fixture *fixture, const char *sql)
{
  g_autoptr (GPtrArray) rejected = NULL;

  if (wait_until (fixture, server_has, sql))
    return;
  rejected = td_cache_list_rejected (td_session_get_cache (session (fixture)));
  for (guint i = 0; i < rejected->len; i++)
    {
      TdOutboxCommand *command = g_ptr_array_index (rejected, i);
      g_printerr ("# refused %s %s: %s\n", command->type, command->entity, command->last_error);
    }
  {
    g_autoptr (GPtrArray) conflicts
        = td_cache_list_conflicts (td_session_get_cache (session (fixture)));
    g_printerr ("# %u conflicts, %u pending\n", conflicts->len,
                td_cache_count_pending (td_session_get_cache (session (fixture))));
  }
  {
    sqlite3      *db = NULL;
    sqlite3_stmt *stmt = NULL;

    /* What the server has instead, for the reviews. */
    if (sqlite3_open_v2 (fixture->server->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
        && sqlite3_prepare_v2 (
               db, "SELECT ticket, rev, held_at, actions FROM pir ORDER BY rev DESC LIMIT 2", -1,
               &stmt, NULL)
               == SQLITE_OK)
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_printerr ("# pir %s rev %lld held %lld actions %s\n", sqlite3_column_text (stmt, 0),
                    (long long) sqlite3_column_int64 (stmt, 1),
                    (long long) sqlite3_column_int64 (stmt, 2), sqlite3_column_text (stmt, 3));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  g_error ("the server has no row for: %s", sql);
}

static void
fixture_set_up (Fixture *fixture)
{
  fixture->home = td_app_test_isolate (&fixture->bus);
  if (!gtk_init_check ())
    g_error ("test-knowledge needs a display: run it under xvfb-run (./run test does)");
  adw_init ();

  fixture->server = td_test_server_new (accounts);
  g_assert_cmpint (td_test_tierdeskd (NULL, NULL, "demo-data", "--db", fixture->server->db,
                                      "--tickets", "200", NULL),
                   ==, 0);
  td_test_server_start (fixture->server);

  fixture->app = td_app_test_start_app ();
  fixture->window = TD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
}

static void
fixture_tear_down (Fixture *fixture)
{
  td_app_test_close (&fixture->app, &fixture->server, &fixture->bus);
}

static gboolean
is_idle (Fixture *fixture, gconstpointer data)
{
  return td_session_is_connected (session (fixture))
         && td_sync_engine_get_state (engine (fixture)) == TD_SYNC_STATE_IDLE
         && td_sync_engine_get_pending (engine (fixture)) == 0;
}

static gboolean
has_articles (Fixture *fixture, gconstpointer data)
{
  return td_knowledge_page_get_n_results (page (fixture)) >= GPOINTER_TO_UINT (data);
}

static gboolean
lists_exactly (Fixture *fixture, gconstpointer data)
{
  return td_knowledge_page_get_n_results (page (fixture)) == GPOINTER_TO_UINT (data);
}

/* The search entry waits for typing to pause, longer on a busy machine. */
static void
assert_lists (Fixture *fixture, guint expected)
{
  if (!wait_until (fixture, lists_exactly, GUINT_TO_POINTER (expected)))
    g_error ("the page lists %u articles, expected %u",
             td_knowledge_page_get_n_results (page (fixture)), expected);
}

static void
sign_in_as (Fixture *fixture, const char *username)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);

  td_connect_view_sign_in (td_window_get_connect_view (fixture->window), url, username,
                           TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  td_app_test_spin (300);
}

static void
sign_in (Fixture *fixture)
{
  sign_in_as (fixture, "lead");
}

typedef struct
{
  GtkWidget  *root;
  const char *widget;
  const char *text;
} Shows;

static gboolean
shows (Fixture *fixture, gconstpointer data)
{
  const Shows     *expected = data;
  GtkWidget       *widget = td_app_test_find_named (expected->root, expected->widget);
  g_autofree char *text = widget != NULL ? td_app_test_widget_text (widget) : g_strdup ("");

  return strstr (text, expected->text) != NULL;
}

static void
assert_shows (Fixture *fixture, GtkWidget *root, const char *widget, const char *text)
{
  Shows expected = { root, widget, text };

  if (!wait_until (fixture, shows, &expected))
    {
      GtkWidget       *found = td_app_test_find_named (root, widget);
      g_autofree char *shown = found != NULL ? td_app_test_widget_text (found) : g_strdup ("");
      g_error ("%s does not show \"%s\"; it shows:\n%s", widget, text, shown);
    }
}

/* The page: search as you type, read, write and publish */

static void
test_page (Fixture *fixture)
{
  GtkWidget       *root = GTK_WIDGET (page (fixture));
  GtkWidget       *search;
  g_autofree char *meta = NULL;

  sign_in (fixture);
  /* Alt+6 is win.show-page "knowledge". */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "knowledge");
  g_assert_true (wait_until (fixture, has_articles, GUINT_TO_POINTER (15)));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-list");

  /* Words from the body only, typed as a prefix. */
  search = td_app_test_find_named (root, "knowledge-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "cookie rotat");
  assert_lists (fixture, 1);
  g_signal_emit_by_name (search, "activate");
  td_app_test_spin (100);
  assert_shows (fixture, root, "article-title", "Single sign-on loops back to the sign-in page");
  assert_shows (fixture, root, "article-workaround", "private window");
  assert_shows (fixture, root, "article-meta", "Known issue · Published · Tiers 1, 2");
  assert_shows (fixture, root, "article-history", "Published by lead");
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-article");

  /* The kind filter. */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (td_app_test_find_named (root, "knowledge-kind")), 3);
  assert_lists (fixture,
                (guint) td_test_server_query_int (
                    fixture->server, "SELECT count(*) FROM article WHERE kind = 'runbook'"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (td_app_test_find_named (root, "knowledge-kind")), 0);

  /* A new article: the editor refuses a missing body, naming it. */
  gtk_widget_activate_action (root, "knowledge.new", NULL);
  td_app_test_spin (100);
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "editor-title")),
                         "Leave balance shows 0 after the payroll sync");
  gtk_widget_activate_action (root, "knowledge.save", "s", "published");
  td_app_test_spin (100);
  g_assert_true (gtk_widget_has_css_class (td_app_test_find_named (root, "editor-body"), "error"));
  g_assert_cmpint (td_test_server_query_int (fixture->server,
                                             "SELECT count(*) FROM article WHERE title LIKE "
                                             "'Leave balance shows 0%'"),
                   ==, 0);

  adw_combo_row_set_selected (ADW_COMBO_ROW (td_app_test_find_named (root, "editor-kind")), 1);
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "editor-tags")),
                         "balance, payroll");
  gtk_text_buffer_set_text (
      gtk_text_view_get_buffer (GTK_TEXT_VIEW (td_app_test_find_named (root, "editor-body"))),
      "# Symptom\nThe balance reads **0 days** after the nightly payroll sync.\n- Only "
      "employees with a contract change this month",
      -1);
  gtk_text_buffer_set_text (
      gtk_text_view_get_buffer (GTK_TEXT_VIEW (td_app_test_find_named (root, "editor-workaround"))),
      "Re-run the balance job for the employee from the admin console.", -1);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-editor");
  gtk_widget_activate_action (root, "knowledge.save", "s", "published");
  td_app_test_spin (100);
  g_assert_true (wait_until (fixture, server_has,
                             "SELECT count(*) FROM article WHERE title = 'Leave balance shows 0 "
                             "after the payroll sync' AND status = 'published' AND kind = "
                             "'known_issue' AND tags = '[\"balance\",\"payroll\"]' AND author = "
                             "'lead'"));
  assert_shows (fixture, root, "article-title", "Leave balance shows 0 after the payroll sync");
  assert_shows (fixture, root, "article-body", "Symptom");
  /* The server's history of it reaches the page. */
  assert_shows (fixture, root, "article-history", "Version 1");
  meta = td_app_test_widget_text (td_app_test_find_named (root, "article-meta"));
  g_assert_nonnull (strstr (meta, "Written by lead"));
  /* Found by a word of its body at once. */
  gtk_editable_set_text (GTK_EDITABLE (search), "contract change");
  assert_lists (fixture, 1);
}

/* A ticket: link a known issue and resolve; flag a new issue and resolve */

static char *
open_ticket_id (Fixture *fixture, guint skip)
{
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *sql = g_strdup_printf (
      "SELECT uuid FROM ticket WHERE status IN ('new', 'in_progress') AND pir_required = 0 AND "
      "uuid NOT IN (SELECT ticket FROM article_link) ORDER BY created_at, uuid LIMIT 1 OFFSET %u",
      skip);
  char *uuid = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->server->db, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_nonnull (uuid);
  return uuid;
}

static TdTicketView *
open_ticket (Fixture *fixture, const char *uuid)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-ticket", "s", uuid);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TD_IS_TICKET_VIEW (window)
          && g_strcmp0 (td_ticket_view_get_uuid (TD_TICKET_VIEW (window)), uuid) == 0)
        return TD_TICKET_VIEW (window);
    }
  g_error ("no window for ticket %s", uuid);
}

/* The Link button of the result titled @title. */
static GtkWidget *
link_button (GtkWidget *root, const char *title)
{
  GtkWidget *row = td_app_test_find_row (td_app_test_find_named (root, "knowledge-results"), title);
  GtkWidget *link;

  g_assert_nonnull (row);
  link = td_app_test_find_named (row, "link-article");
  g_assert_nonnull (link);
  return link;
}

static void
resolve (TdTicketView *view, const char *resolution)
{
  GtkWidget *entry = find_entry_row (GTK_WIDGET (view), "Resolution (when resolving)");
  GtkWidget *button = td_app_test_find_named (GTK_WIDGET (view), "resolved");

  g_assert_nonnull (entry);
  g_assert_nonnull (button);
  gtk_editable_set_text (GTK_EDITABLE (entry), resolution);
  g_signal_emit_by_name (button, "clicked");
  td_app_test_spin (100);
}

static void
test_link_and_resolve (Fixture *fixture)
{
  g_autofree char *ticket = NULL;
  g_autofree char *sql = NULL;
  TdTicketView    *view;
  GtkWidget       *root;
  GtkWidget       *link;

  sign_in (fixture);
  ticket = open_ticket_id (fixture, 0);
  view = open_ticket (fixture, ticket);
  root = GTK_WIDGET (view);
  td_app_test_spin (200);
  assert_shows (fixture, root, "knowledge-state-row", "Is this a known issue?");

  /* Searching as the user describes it finds the known issue. */
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "knowledge-ticket-search")),
                         "half day mobile");
  td_app_test_spin (200);
  assert_shows (fixture, root, "knowledge-results",
                "Half-day request counted as a full day in the mobile app");
  td_app_test_screenshot (root, "knowledge-ticket-search");
  /* Its own row's button: until the search has run, the list still holds
   * what the title suggested, in another order. */
  link = link_button (root, "Half-day request counted as a full day in the mobile app");
  g_signal_emit_by_name (link, "clicked");
  td_app_test_spin (200);

  /* Linked: the row shows the workaround, and resolving counts as documented. */
  assert_shows (fixture, root, "knowledge-linked", "Workaround: ");
  assert_shows (fixture, root, "knowledge-linked", "submit it again there as a half day");
  assert_shows (fixture, root, "knowledge-state-row", "A known issue is linked");
  /* Documented already: no "new issue" to flag. */
  g_assert_false (gtk_widget_get_visible (td_app_test_find_named (root, "knowledge-new-issue")));
  sql = g_strdup_printf ("SELECT count(*) FROM article_link l JOIN article a ON a.uuid = "
                         "l.article WHERE l.ticket = '%s' AND a.title LIKE 'Half-day%%'",
                         ticket);
  assert_server_has (fixture, sql);

  resolve (view, "Told the user to submit the half day in the web version");
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM ticket WHERE uuid = '%s' AND status = 'resolved' "
                         "AND resolution_class = 'known_issue_documented' AND new_issue = 0",
                         ticket);
  assert_server_has (fixture, sql);
  assert_shows (fixture, root, "knowledge-state-row", "Resolved as a known issue (documented)");
  td_app_test_screenshot (root, "knowledge-ticket-documented");
  gtk_window_destroy (GTK_WINDOW (view));

  /* No article covers the next one: flagged new, its clock starts. */
  g_free (ticket);
  ticket = open_ticket_id (fixture, 0);
  view = open_ticket (fixture, ticket);
  root = GTK_WIDGET (view);
  td_app_test_spin (200);
  gtk_switch_set_active (GTK_SWITCH (td_app_test_find_named (root, "new-issue")), TRUE);
  resolve (view, "Fixed the approver mapping by hand");
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM ticket WHERE uuid = '%s' AND new_issue = 1 AND "
                         "resolution_class = 'new_issue' AND documented_at IS NULL",
                         ticket);
  assert_server_has (fixture, sql);
  assert_shows (fixture, root, "knowledge-state-row", "New issue: document it within 24 hours");
  assert_shows (fixture, root, "knowledge-state-row", "left");
  td_app_test_screenshot (root, "knowledge-ticket-new-issue");

  /* Writing it up and linking it stops the clock. */
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "knowledge-ticket-search")),
                         "delegate approvals");
  /* Only the matching article is listed once the search has run. */
  assert_shows (fixture, root, "knowledge-results", "Delegate approvals while you are on leave");
  link = link_button (root, "Delegate approvals while you are on leave");
  g_signal_emit_by_name (link, "clicked");
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM ticket WHERE uuid = '%s' AND documented_at >= "
                         "resolved_at",
                         ticket);
  assert_server_has (fixture, sql);
  assert_shows (fixture, root, "knowledge-state-row", "New issue, documented");
}

/* A new ticket: the editor suggests what its description matches */

static TdTicketEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TD_IS_TICKET_EDITOR (window))
        return TD_TICKET_EDITOR (window);
    }
  return NULL;
}

static void
type_into (TdTicketEditor *editor, const char *field, const char *text)
{
  GtkWidget *row = td_ticket_editor_get_field (editor, field);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
test_new_ticket (Fixture *fixture)
{
  TdTicketEditor *editor;
  GtkWidget      *suggestions;
  GtkWidget      *check = NULL;

  sign_in (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-ticket", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  suggestions = td_app_test_find_named (GTK_WIDGET (editor), "editor-suggestions");
  g_assert_false (gtk_widget_get_visible (
      gtk_widget_get_ancestor (gtk_widget_get_parent (suggestions), ADW_TYPE_PREFERENCES_GROUP)));

  type_into (editor, "title", "Half day booked in the app shows as a full day");
  type_into (editor, "description", "The mobile app took a full day off the balance");
  assert_shows (fixture, GTK_WIDGET (editor), "editor-suggestions",
                "Half-day request counted as a full day in the mobile app");
  assert_shows (fixture, GTK_WIDGET (editor), "editor-suggestions", "Workaround: Cancel the wrong");
  td_app_test_screenshot (GTK_WIDGET (editor), "knowledge-editor-suggestions");

  /* Ticked, it is linked to the ticket once the ticket exists. */
  for (GtkWidget *row = gtk_widget_get_first_child (suggestions); row != NULL && check == NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autofree char *text = td_app_test_widget_text (row);

      if (strstr (text, "Half-day request counted") != NULL)
        check = td_app_test_find_named (row, "suggestion-link");
    }
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  type_into (editor, "steps_to_reproduce", "Book a half day in the app, open the balance");
  type_into (editor, "error_message", "Balance: 1.0 day taken");
  type_into (editor, "user_id", "E30118");
  type_into (editor, "contact", "sam.okafor@example.org");
  adw_combo_row_set_selected (ADW_COMBO_ROW (td_ticket_editor_get_field (editor, "impact")), 3);
  adw_combo_row_set_selected (ADW_COMBO_ROW (td_ticket_editor_get_field (editor, "urgency")), 3);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.create", NULL);
  assert_server_has (fixture, "SELECT count(*) FROM article_link l JOIN article a ON a.uuid = "
                              "l.article JOIN ticket t ON t.uuid = l.ticket WHERE t.title = 'Half "
                              "day booked in the app shows as a full day' AND a.title LIKE "
                              "'Half-day request counted%'");
}

/* Reviews: the queue's follow-ups, the review window, Markdown and PDF */

static char *
server_text (Fixture *fixture, const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char         *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->server->db, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static TdPirWindow *
find_review_window (void)
{
  GtkWidget *window = td_app_test_find_toplevel (TD_TYPE_PIR_WINDOW, NULL);

  return window != NULL ? TD_PIR_WINDOW (window) : NULL;
}

static gboolean
has_reviews (Fixture *fixture, gconstpointer data)
{
  TdFollowUps *follow_ups = TD_FOLLOW_UPS (
      gtk_widget_get_parent (td_app_test_find_named (GTK_WIDGET (fixture->window), "follow-ups")));

  return td_follow_ups_get_n_reviews (follow_ups) == GPOINTER_TO_UINT (data);
}

static void
test_review (Fixture *fixture)
{
  g_autofree char *ticket = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-knowledge-XXXXXX", NULL);
  g_autofree char *md_path = g_build_filename (dir, "review.md", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "review.pdf", NULL);
  g_autoptr (GFile) md_file = g_file_new_for_path (md_path);
  g_autoptr (GFile) pdf_file = g_file_new_for_path (pdf_path);
  g_autoptr (GError) error = NULL;
  TdFollowUps  *follow_ups;
  TdTicketView *view;
  TdPirWindow  *review;
  GtkWidget    *root;
  gsize         length;
  gint64        n_timeline;
  gint64        n_actions;
  gint64        expected_reviews;

  sign_in (fixture);

  /* The queue points at reviews that are overdue or have open actions. */
  follow_ups = TD_FOLLOW_UPS (
      gtk_widget_get_parent (td_app_test_find_named (GTK_WIDGET (fixture->window), "follow-ups")));
  /* The feed's last pages (the reviews come last) may land after sign-in. */
  expected_reviews = td_test_server_query_int (
      fixture->server, "SELECT count(*) FROM pir WHERE status = 'actions_open' OR "
                       "(status = 'scheduled' AND due_at < strftime ('%s', 'now'))");
  if (!wait_until (fixture, has_reviews, GUINT_TO_POINTER ((guint) expected_reviews)))
    g_error ("the queue's follow-ups list %u reviews, the server has %" G_GINT64_FORMAT,
             td_follow_ups_get_n_reviews (follow_ups), expected_reviews);
  g_assert_cmpuint (td_follow_ups_get_n_reviews (follow_ups), >, 0);
  g_assert_nonnull (strstr (td_follow_ups_get_summary (follow_ups), "to follow up"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-queue-follow-ups");

  /* A review with open actions, from its ticket's window. */
  ticket = server_text (fixture, "SELECT ticket FROM pir ORDER BY status = 'actions_open' DESC, "
                                 "json_array_length (timeline) DESC, ticket LIMIT 1");
  g_assert_nonnull (ticket);
  view = open_ticket (fixture, ticket);
  td_app_test_spin (200);
  g_assert_true (
      gtk_widget_get_visible (td_app_test_find_named (GTK_WIDGET (view), "open-review")));
  gtk_widget_activate_action (GTK_WIDGET (view), "ticket.open-review", NULL);
  td_app_test_spin (200);
  review = find_review_window ();
  g_assert_nonnull (review);
  root = GTK_WIDGET (review);

  /* Its timeline is the ticket's history; its actions are listed. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT json_array_length (timeline) FROM pir WHERE ticket = '%s'",
                         ticket);
  n_timeline = td_test_server_query_int (fixture->server, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM ticket_event WHERE ticket = '%s'", ticket);
  g_assert_cmpint (n_timeline, ==, td_test_server_query_int (fixture->server, sql));
  {
    guint rows = 0;
    for (GtkWidget *row
         = gtk_widget_get_first_child (td_app_test_find_named (root, "pir-timeline"));
         row != NULL; row = gtk_widget_get_next_sibling (row))
      rows++;
    g_assert_cmpuint (rows, ==, n_timeline);
  }
  g_free (sql);
  sql = g_strdup_printf ("SELECT json_array_length (actions) FROM pir WHERE ticket = '%s'", ticket);
  n_actions = td_test_server_query_int (fixture->server, sql);
  if (n_actions > 0)
    assert_shows (fixture, root, "pir-actions", "due");
  else
    assert_shows (fixture, root, "pir-actions", "No actions yet");
  td_app_test_screenshot (root, "knowledge-review");

  /* A held time that is not one is refused, naming the field. */
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "pir-held")), "yesterday");
  gtk_widget_activate_action (root, "pir.save", NULL);
  td_app_test_spin (100);
  g_assert_true (gtk_widget_has_css_class (td_app_test_find_named (root, "pir-held"), "error"));
  {
    /* Held a few minutes ago: after the incident (the demo data's times are
     * relative to now) and not in the future. */
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autoptr (GDateTime) held = g_date_time_add_minutes (now, -5);
    g_autofree char *text = g_date_time_format (held, "%Y-%m-%d %H:%M");

    gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "pir-held")), text);
  }
  gtk_text_buffer_set_text (
      gtk_text_view_get_buffer (GTK_TEXT_VIEW (td_app_test_find_named (root, "pir-root-cause"))),
      "Two approvals of one employee locked rows in opposite orders.", -1);

  /* A new action with an owner and a due date, saved to the server. */
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "pir-action-text")),
                         "Add the approval deadlock to the load test");
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "pir-action-due")),
                         "2026-12-18");
  gtk_widget_activate_action (root, "pir.add-action", NULL);
  td_app_test_spin (100);
  assert_shows (fixture, root, "pir-actions", "Add the approval deadlock to the load test");
  /* A new open action means actions are open, whatever the demo review's
   * status was (a closed review with an open action is refused). */
  adw_combo_row_set_selected (ADW_COMBO_ROW (td_app_test_find_row (root, "Status")),
                              TD_PIR_ACTIONS_OPEN);
  gtk_widget_activate_action (root, "pir.save", NULL);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM pir WHERE ticket = '%s' AND json_array_length "
                         "(actions) = %" G_GINT64_FORMAT " AND actions LIKE '%%approval "
                         "deadlock to the load test%%' AND held_at IS NOT NULL",
                         ticket, n_actions + 1);
  assert_server_has (fixture, sql);

  /* Exported as Markdown and as a PDF. */
  g_assert_true (td_pir_window_export (review, md_file, TD_PIR_EXPORT_MARKDOWN, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (md_path, &markdown, &length, &error));
  g_assert_true (g_str_has_prefix (markdown, "# Post-incident review: "));
  g_assert_nonnull (strstr (markdown, "## Timeline"));
  g_assert_nonnull (strstr (markdown, "| [ ] | Add the approval deadlock to the load test |"));
  g_assert_true (td_pir_window_export (review, pdf_file, TD_PIR_EXPORT_PDF, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &length, &error));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_cmpuint (length, >, 2000);

  g_remove (md_path);
  g_remove (pdf_path);
  g_rmdir (dir);
}

/* History: read an old version and restore it; delete after confirming */

static gboolean
dialog_shown (Fixture *fixture, gconstpointer data)
{
  return td_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL) != NULL;
}

static gboolean
dialog_gone (Fixture *fixture, gconstpointer data)
{
  return !dialog_shown (fixture, data);
}

static void
write_article (Fixture *fixture, const char *title, const char *body)
{
  GtkWidget *root = GTK_WIDGET (page (fixture));

  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "editor-title")), title);
  gtk_text_buffer_set_text (
      gtk_text_view_get_buffer (GTK_TEXT_VIEW (td_app_test_find_named (root, "editor-body"))), body,
      -1);
  gtk_widget_activate_action (root, "knowledge.save", "s", "published");
  td_app_test_spin (100);
}

static void
test_history_and_delete (Fixture *fixture)
{
  GtkWidget       *root = GTK_WIDGET (page (fixture));
  GtkWidget       *first_version;
  GtkWidget       *dialog;
  g_autofree char *uuid = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *heading = NULL;
  g_autoptr (JsonObject) link = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *link_uuid = NULL;

  sign_in (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "knowledge");

  /* An article of the test's own, published, then changed. */
  gtk_widget_activate_action (root, "knowledge.new", NULL);
  td_app_test_spin (100);
  write_article (fixture, "Calendar export misses half-day leave",
                 "The iCal export leaves out **half-day** requests (case 77316).");
  assert_server_has (fixture, "SELECT count(*) FROM article WHERE title = 'Calendar export "
                              "misses half-day leave' AND status = 'published'");
  uuid = server_text (fixture, "SELECT uuid FROM article WHERE title = 'Calendar export misses "
                               "half-day leave'");
  g_assert_nonnull (uuid);
  assert_shows (fixture, root, "article-history", "Version 1");
  gtk_widget_activate_action (root, "knowledge.edit", NULL);
  td_app_test_spin (100);
  write_article (fixture, "Calendar export misses leave", "Fixed in 4.2; nothing to do.");
  sql = g_strdup_printf ("SELECT count(*) FROM article_revision WHERE article = '%s' AND number = "
                         "2 AND body = 'Fixed in 4.2; nothing to do.'",
                         uuid);
  assert_server_has (fixture, sql);
  assert_shows (fixture, root, "article-history", "Version 2");
  assert_shows (fixture, root, "article-body", "Fixed in 4.2");

  /* The first version, read in full. */
  first_version = td_app_test_find_named (root, "revision-1");
  g_assert_nonnull (first_version);
  g_signal_emit_by_name (first_version, "activated");
  td_app_test_spin (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (
                       td_app_test_find_named (root, "revision-title"), GTK_TYPE_STACK))),
                   ==, "revision");
  assert_shows (fixture, root, "revision-heading", "Version 1");
  assert_shows (fixture, root, "revision-byline", "Published by lead");
  assert_shows (fixture, root, "revision-title", "Calendar export misses half-day leave");
  assert_shows (fixture, root, "revision-body",
                "The iCal export leaves out half-day requests (case 77316).");
  g_assert_true (gtk_widget_is_sensitive (td_app_test_find_named (root, "revision-restore")));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-revision");

  /* Restored as a third version; the first two are kept as they were. */
  g_signal_emit_by_name (td_app_test_find_named (root, "revision-restore"), "clicked");
  td_app_test_spin (100);
  g_free (sql);
  sql = g_strdup_printf (
      "SELECT count(*) FROM article a JOIN article_revision r ON r.article = a.uuid WHERE a.uuid = "
      "'%s' AND a.title = 'Calendar export misses half-day leave' AND a.body = 'The iCal export "
      "leaves out **half-day** requests (case 77316).' AND a.status = 'published' AND r.number = 3 "
      "AND r.title "
      "= a.title AND r.body = a.body AND r.author = 'lead'",
      uuid);
  assert_server_has (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM article_revision WHERE article = '%s' AND ((number "
                         "= 1 AND title = 'Calendar export misses half-day leave') OR (number = 2 "
                         "AND title = 'Calendar export misses leave'))",
                         uuid);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 2);
  assert_shows (fixture, root, "article-title", "Calendar export misses half-day leave");
  assert_shows (fixture, root, "article-history", "Version 3");
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-restored");
  /* The newest version is the current one: nothing to restore. */
  g_signal_emit_by_name (td_app_test_find_named (root, "revision-3"), "activated");
  td_app_test_spin (100);
  assert_shows (fixture, root, "revision-heading", "Version 3 · Current");
  g_assert_false (gtk_widget_is_sensitive (td_app_test_find_named (root, "revision-restore")));
  gtk_widget_activate_action (root, "knowledge.back", NULL);
  td_app_test_spin (100);

  /* A ticket links to it: the confirmation says so. */
  ticket = open_ticket_id (fixture, 0);
  json_object_set_string_member (link, "article", uuid);
  json_object_set_string_member (link, "ticket", ticket);
  link_uuid
      = td_cache_create (td_session_get_cache (session (fixture)), "article_link", link, &error);
  g_assert_no_error (error);
  td_sync_engine_local_change (engine (fixture), "article_link", link_uuid);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM article_link WHERE article = '%s' AND deleted = 0",
                         uuid);
  assert_server_has (fixture, sql);
  g_assert_true (gtk_widget_get_visible (td_app_test_find_named (root, "article-delete")));
  g_signal_emit_by_name (td_app_test_find_named (root, "article-delete"), "clicked");
  g_assert_true (wait_until (fixture, dialog_shown, NULL));
  dialog = td_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);
  heading = g_strdup (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_cmpstr (heading, ==, "Delete “Calendar export misses half-day leave”?");
  g_assert_nonnull (
      strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "1 ticket links to it"));
  td_app_test_spin (200);
  td_app_test_screenshot (dialog, "knowledge-delete");
  /* Cancel keeps it. A click on a response emits it and closes the dialog. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_until (fixture, dialog_gone, NULL));
  td_app_test_spin (200);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM article WHERE uuid = '%s' AND deleted = 0", uuid);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);
  assert_shows (fixture, root, "article-title", "Calendar export misses half-day leave");

  /* Found by the words of its body until it is deleted. */
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (root, "knowledge-search")), "77316");
  assert_lists (fixture, 1);
  g_signal_emit_by_name (td_app_test_find_named (root, "article-delete"), "clicked");
  g_assert_true (wait_until (fixture, dialog_shown, NULL));
  dialog = td_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_close (GTK_WINDOW (dialog));
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM article WHERE uuid = '%s' AND deleted = 1", uuid);
  assert_server_has (fixture, sql);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  g_assert_cmpstr (td_knowledge_page_get_article (page (fixture)), ==, NULL);
  assert_lists (fixture, 0);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-deleted");
}

/* A role that may write but not publish does not see Delete (the server
 * refuses it too: test-knowledge-api). */
static void
test_reader_may_not_delete (Fixture *fixture)
{
  GtkWidget       *root = GTK_WIDGET (page (fixture));
  g_autofree char *uuid = NULL;
  GtkWidget       *first_version;

  uuid = server_text (fixture, "SELECT uuid FROM article WHERE status = 'published' AND deleted "
                               "= 0 ORDER BY title LIMIT 1");
  g_assert_nonnull (uuid);
  /* A publisher saves it again, so version 1 is an older one. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT rev FROM article WHERE uuid = '%s'", uuid);
    g_autoptr (JsonObject) saved = td_test_server_apply (
        fixture->server, "lead", "update", "article", uuid,
        td_test_server_query_int (fixture->server, sql), "{\"reviewed_on\": \"2026-11-02\"}");
  }

  sign_in_as (fixture, "analyst");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "knowledge");
  g_assert_true (wait_until (fixture, has_articles, GUINT_TO_POINTER (1)));
  td_knowledge_page_show_article (page (fixture), uuid);
  assert_shows (fixture, root, "article-history", "Version 1");
  g_assert_false (gtk_widget_get_visible (td_app_test_find_named (root, "article-delete")));
  g_assert_false (gtk_widget_is_sensitive (td_app_test_find_named (root, "article-delete")));
  gtk_widget_activate_action (root, "knowledge.delete", NULL);
  td_app_test_spin (200);
  g_assert_null (td_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
  /* It reads the history, but restoring a published article is for publishers. */
  first_version = td_app_test_find_named (root, "revision-1");
  g_assert_nonnull (first_version);
  g_signal_emit_by_name (first_version, "activated");
  td_app_test_spin (100);
  assert_shows (fixture, root, "revision-heading", "Version 1");
  g_assert_false (g_str_has_suffix (
      gtk_label_get_text (GTK_LABEL (td_app_test_find_named (root, "revision-heading"))),
      "Current"));
  /* An analyst may write drafts, so the button is there, but off, saying why. */
  g_assert_true (gtk_widget_get_visible (td_app_test_find_named (root, "revision-restore")));
  g_assert_false (gtk_widget_is_sensitive (td_app_test_find_named (root, "revision-restore")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (td_app_test_find_named (root, "revision-restore")),
                   ==, "Only a role that may publish changes a published article");
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "knowledge-revision-reader");
}

static void
run_isolated (gconstpointer data)
{
  void (*func) (Fixture *) = data;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      g_test_log_set_fatal_handler (td_app_test_tolerate_notifications, NULL);
      fixture_set_up (&fixture);
      func (&fixture);
      fixture_tear_down (&fixture);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/app/knowledge/page", test_page, run_isolated);
  g_test_add_data_func ("/app/knowledge/link-and-resolve", test_link_and_resolve, run_isolated);
  g_test_add_data_func ("/app/knowledge/new-ticket", test_new_ticket, run_isolated);
  g_test_add_data_func ("/app/knowledge/review", test_review, run_isolated);
  g_test_add_data_func ("/app/knowledge/history-and-delete", test_history_and_delete, run_isolated);
  g_test_add_data_func ("/app/knowledge/reader-may-not-delete", test_reader_may_not_delete,
                        run_isolated);
  return g_test_run ();
}
