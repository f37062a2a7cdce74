/* test-queue.c — the queue as a support lead uses it, against a real tierdeskd
 *
 * Each test starts tierdeskd on a free port and the app on a session bus
 * and a home of its own, signs in through the connect form, and then works
 * the widgets: it types into entries, picks from drop-downs, ticks
 * checklists, activates the actions the buttons and shortcuts activate,
 * and reads what the labels and cells show. What reached the server is
 * read from its database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "td-app-test.h"
#include "td-application.h"
#include "td-demo-server.h"
#include "td-sync.h"
#include "td-sync-indicator.h"
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
    = { "lead:app-support-lead", "analyst:service-desk-analyst", "trainer:trainer", NULL };

/* Waiting */

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

/* Spins the main loop until @done holds, for at most @seconds. */
static gboolean
wait_until (Fixture *fixture, Predicate done, gconstpointer data)
{
  return td_app_test_wait ((TdAppTestDone) done, fixture, data, 20);
}

/* Widgets, found the way a person finds them: by what they say */

static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      const char *text = NULL;

      if (label == NULL)
        return root;
      if (GTK_IS_BUTTON (root))
        text = gtk_button_get_label (GTK_BUTTON (root));
      if (text == NULL)
        text = gtk_widget_get_tooltip_text (root);
      if (g_strcmp0 (text, label) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
queue_widget (Fixture *fixture, GType type, const char *label)
{
  GtkWidget *found
      = find_widget (GTK_WIDGET (td_window_get_queue_page (fixture->window)), type, label);

  g_assert_nonnull (found);
  return found;
}

static GListModel *
queue_model (Fixture *fixture)
{
  return G_LIST_MODEL (td_queue_page_get_model (td_window_get_queue_page (fixture->window)));
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

/* The server's database, read-only, as an auditor would read it */

static gint64
cache_int (Fixture *fixture, const char *sql)
{
  sqlite3 *db = NULL;
  gint64   value;

  g_assert_cmpint (sqlite3_open_v2 (td_cache_get_path (td_session_get_cache (session (fixture))),
                                    &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  value = td_test_query_int (db, sql);
  sqlite3_close (db);
  return value;
}

/* Set-up */

/* A home and a session bus of the test's own, before GTK connects to any
 * bus: the app's keyring, its GApplication name and its caches all stay in
 * here, whatever desktop runs the tests. */
static void
fixture_set_up_environment (Fixture *fixture)
{
  fixture->home = td_app_test_isolate (&fixture->bus);
}

static void
fixture_set_up (Fixture *fixture, gboolean demo_data)
{
  fixture->server = td_test_server_new (accounts);
  if (demo_data)
    g_assert_cmpint (td_test_tierdeskd (NULL, NULL, "demo-data", "--db", fixture->server->db,
                                        "--tickets", "500", NULL),
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

static char *
server_url (Fixture *fixture)
{
  return g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);
}

static gboolean
role_known (Fixture *fixture, gconstpointer data)
{
  return td_session_get_role (session (fixture)) != NULL;
}

/* Signs in through the form and waits for the first sync to finish. */
static void
sign_in_as (Fixture *fixture, const char *user)
{
  g_autofree char *url = server_url (fixture);

  td_connect_view_sign_in (td_window_get_connect_view (fixture->window), url, user,
                           TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  g_assert_true (wait_until (fixture, role_known, NULL));
}

static void
sign_in (Fixture *fixture)
{
  sign_in_as (fixture, "lead");
}

/* Connecting */

static gboolean
error_shown (Fixture *fixture, gconstpointer expected)
{
  g_autofree char *text
      = td_app_test_widget_text (GTK_WIDGET (td_window_get_connect_view (fixture->window)));

  return strstr (text, expected) != NULL;
}

static void
test_connect_errors (Fixture *fixture)
{
  TdConnectView   *view = td_window_get_connect_view (fixture->window);
  g_autofree char *url = server_url (fixture);

  td_connect_view_sign_in (view, url, "lead", "not the password");
  g_assert_true (wait_until (fixture, error_shown, "Wrong user name or password"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "connect-wrong-password");
  g_assert_false (td_session_is_connected (session (fixture)));

  td_connect_view_sign_in (view, "ftp://example.org", "lead", TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, error_shown, "“ftp://example.org” is not a server address"));

  /* Nothing listens on the port once the server is stopped. */
  td_test_server_stop (fixture->server);
  td_connect_view_sign_in (view, url, "lead", TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, error_shown, "Could not reach"));
  g_assert_false (td_session_is_connected (session (fixture)));

  td_test_server_start (fixture->server);
  sign_in (fixture);
  {
    g_autofree char *summary = g_strdup (td_sync_indicator_get_summary (TD_SYNC_INDICATOR (
        find_widget (GTK_WIDGET (fixture->window), TD_TYPE_SYNC_INDICATOR, NULL))));
    g_assert_cmpstr (summary, ==, "Up to Date");
  }
}

/* A new ticket */

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

static gboolean
editor_closed (Fixture *fixture, gconstpointer data)
{
  return find_editor () == NULL;
}

static void
type_into (TdTicketEditor *editor, const char *field, const char *text)
{
  GtkWidget *row = td_ticket_editor_get_field (editor, field);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Picks the policy item whose label starts with @name ("High — …"). */
static void
choose (TdTicketEditor *editor, const char *field, const char *name)
{
  AdwComboRow *row = ADW_COMBO_ROW (td_ticket_editor_get_field (editor, field));
  GListModel  *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_has_prefix (gtk_string_object_get_string (item), name))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("no %s “%s” to choose", field, name);
}

static gboolean
ticket_synced (Fixture *fixture, gconstpointer title)
{
  g_autofree char *sql
      = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE title = '%s'", (const char *) title);

  return is_idle (fixture, NULL) && td_test_server_query_int (fixture->server, sql) == 1;
}

static void
test_create_ticket (Fixture *fixture)
{
  TdTicketEditor *editor;
  GtkWidget      *contact;

  sign_in (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-ticket", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);

  /* Triage shows as impact and urgency change [3.2]. */
  g_assert_cmpstr (td_ticket_editor_get_triage_text (editor), ==, "Choose impact and urgency");
  choose (editor, "impact", "High");
  choose (editor, "urgency", "High");
  g_assert_cmpstr (td_ticket_editor_get_triage_text (editor), ==, "P1 · SEV-1");
  choose (editor, "impact", "Medium");
  g_assert_cmpstr (td_ticket_editor_get_triage_text (editor), ==, "P2 · SEV-2");
  choose (editor, "urgency", "Low");
  g_assert_cmpstr (td_ticket_editor_get_triage_text (editor), ==, "P4 · SEV-4");

  /* Everything but the contact: refused, the field named, nothing saved. */
  type_into (editor, "title", "Payslip PDF will not open");
  type_into (editor, "description", "The March payslip PDF shows a blank page");
  type_into (editor, "steps_to_reproduce", "Payroll › Payslips › March › Open");
  type_into (editor, "error_message", "Failed to load PDF document");
  type_into (editor, "user_id", "E20417");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.create", NULL);
  g_assert_cmpstr (td_ticket_editor_get_missing_text (editor), ==,
                   "Required fields are missing: Contact Info");
  td_app_test_screenshot (GTK_WIDGET (editor), "editor-missing");
  contact = td_ticket_editor_get_field (editor, "contact");
  g_assert_true (gtk_widget_has_css_class (contact, "error"));
  g_assert_cmpint (cache_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, 0);
  g_assert_cmpint (cache_int (fixture, "SELECT COUNT (*) FROM outbox"), ==, 0);

  /* A timestamp that is not one is named too. */
  type_into (editor, "contact", "ana.silva@example.org, +44 20 7946 0000");
  type_into (editor, "occurred_at", "2026-13-40 25:00");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.create", NULL);
  g_assert_cmpstr (td_ticket_editor_get_missing_text (editor), ==,
                   "Timestamp: “2026-13-40 25:00” is not a date and time such as 2026-11-27 "
                   "09:30");
  g_assert_cmpint (cache_int (fixture, "SELECT COUNT (*) FROM ticket"), ==, 0);

  type_into (editor, "occurred_at", "2026-11-26 08:45");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.create", NULL);
  g_assert_true (wait_until (fixture, editor_closed, NULL));

  /* In the queue at once, then on the server with its triage. */
  g_assert_cmpuint (g_list_model_get_n_items (queue_model (fixture)), ==, 1);
  g_assert_true (wait_until (fixture, ticket_synced, "Payslip PDF will not open"));
  g_assert_cmpint (td_test_server_query_int (
                       fixture->server, "SELECT COUNT (*) FROM ticket WHERE priority = 'P4' AND "
                                        "severity = 'SEV-4' AND contact LIKE 'ana.silva%'"),
                   ==, 1);
  {
    g_autofree char *text = td_app_test_widget_text (
        GTK_WIDGET (td_queue_page_get_column_view (td_window_get_queue_page (fixture->window))));
    g_assert_nonnull (strstr (text, "Payslip PDF will not open\n"));
    g_assert_nonnull (strstr (text, "SEV-4 · P4\n"));
    g_assert_nonnull (strstr (text, "New\n"));
  }
}

/* Filter, sort and search */

static guint
count_open_in_cache (Fixture *fixture, const char *condition)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE deleted = 0 AND "
                                          "status NOT IN ('resolved', 'closed') AND %s",
                                          condition);
  return (guint) cache_int (fixture, sql);
}

static gboolean
model_has_n_items (Fixture *fixture, gconstpointer n)
{
  return g_list_model_get_n_items (queue_model (fixture)) == GPOINTER_TO_UINT (n);
}

static void
test_filter_sort_search (Fixture *fixture)
{
  GListModel    *model;
  GtkDropDown   *tier;
  GtkColumnView *view;
  guint          all;
  g_autoptr (TdTicket) first = NULL;
  g_autofree char *word = NULL;

  sign_in (fixture);
  model = queue_model (fixture);
  all = g_list_model_get_n_items (model);
  g_assert_cmpuint (all, >, 3);
  g_assert_cmpuint (all, ==, count_open_in_cache (fixture, "1"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "queue");

  /* Tier 1 only: every row says so. */
  tier = GTK_DROP_DOWN (queue_widget (fixture, GTK_TYPE_DROP_DOWN, "Tier"));
  gtk_drop_down_set_selected (tier, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    count_open_in_cache (fixture, "tier = 1"));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TdTicket) ticket = g_list_model_get_item (model, i);
      g_assert_cmpint (td_ticket_get_tier (ticket), ==, 1);
    }
  gtk_drop_down_set_selected (tier, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, all);

  /* At risk or breached. */
  gtk_toggle_button_set_active (
      GTK_TOGGLE_BUTTON (queue_widget (fixture, GTK_TYPE_TOGGLE_BUTTON, "At _Risk")), TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TdTicket) ticket = g_list_model_get_item (model, i);
      TdSlaState state = td_ticket_get_sla_state (ticket);
      g_assert_true (state == TD_SLA_AT_RISK || state == TD_SLA_BREACHED
                     || td_ticket_get_update_state (ticket) == TD_SLA_BREACHED
                     || td_ticket_get_update_state (ticket) == TD_SLA_AT_RISK);
    }
  gtk_toggle_button_set_active (
      GTK_TOGGLE_BUTTON (queue_widget (fixture, GTK_TYPE_TOGGLE_BUTTON, "At _Risk")), FALSE);

  /* Sorting by title, as a click on its header does. */
  view = td_queue_page_get_column_view (td_window_get_queue_page (fixture->window));
  {
    GListModel *columns = gtk_column_view_get_columns (view);

    for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
      {
        g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

        if (g_strcmp0 (gtk_column_view_column_get_title (column), "Title") == 0)
          gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
      }
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, all);
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TdTicket) before = g_list_model_get_item (model, i - 1);
      g_autoptr (TdTicket) after = g_list_model_get_item (model, i);
      g_autofree char *a = g_utf8_casefold (td_ticket_get_title (before), -1);
      g_autofree char *b = g_utf8_casefold (td_ticket_get_title (after), -1);
      g_assert_cmpint (strcmp (a, b), >=, 0);
    }

  /* Search: a word from one title finds every ticket that has it. */
  first = g_list_model_get_item (model, 0);
  {
    g_auto (GStrv) words = g_strsplit (td_ticket_get_title (first), " ", -1);
    for (guint i = 0; words[i] != NULL && word == NULL; i++)
      if (strlen (words[i]) >= 6 && g_ascii_isalpha (words[i][0]))
        word = g_strdup (words[i]);
  }
  g_assert_nonnull (word);
  gtk_editable_set_text (GTK_EDITABLE (queue_widget (fixture, GTK_TYPE_SEARCH_ENTRY, NULL)), word);
  {
    g_autofree char *condition = g_strdup_printf (
        "(title LIKE '%%%s%%' OR description LIKE '%%%s%%' OR affected_user_id LIKE '%%%s%%')",
        word, word, word);
    guint expected = count_open_in_cache (fixture, condition);

    g_test_message ("searching for “%s”: %u of %u", word, expected, all);
    g_assert_cmpuint (expected, >=, 1);
    /* The search entry waits for typing to pause, then the model filters:
     * under load that is more than a fixed pause. */
    g_assert_true (wait_until (fixture, model_has_n_items, GUINT_TO_POINTER (expected)));
  }
  gtk_editable_set_text (GTK_EDITABLE (queue_widget (fixture, GTK_TYPE_SEARCH_ENTRY, NULL)),
                         "zzqxnothingmatches");
  td_app_test_spin (400);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "queue-empty");
  {
    g_autofree char *text
        = td_app_test_widget_text (GTK_WIDGET (td_window_get_queue_page (fixture->window)));
    g_assert_nonnull (strstr (text, "No Tickets Match\n"));
  }
}

/* The ticket: an update, an escalation, and working offline */

static char *
create_ticket_with (Fixture *fixture, const char *title, const char *impact, const char *urgency)
{
  g_autofree char *token = td_test_login (fixture->server, "lead");
  g_autofree char *body = g_strdup_printf (
      "{\"title\": \"%s\", \"description\": \"Annual leave balance shows 0 after the payroll "
      "sync\", \"affected_user_id\": \"E10442\", \"contact\": \"pat@example.com\","
      " \"steps_to_reproduce\": \"Log in, open My Leave\", \"error_message\": \"Balance: 0\","
      " \"impact\": \"%s\", \"urgency\": \"%s\", \"occurred_at\": "
      "\"2026-11-26T09:00:00Z\"}",
      title, impact, urgency);
  g_autoptr (TdTestResponse) response
      = td_test_request (fixture->server, "POST", "/tickets", token, body);

  g_assert_cmpuint (response->status, ==, 201);
  return g_strdup (json_object_get_string_member (td_test_object (response), "uuid"));
}

static char *
create_ticket_on_server (Fixture *fixture, const char *title)
{
  return create_ticket_with (fixture, title, "medium", "medium");
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

static gboolean
server_has (Fixture *fixture, gconstpointer sql)
{
  return td_test_server_query_int (fixture->server, sql) > 0;
}

/* When the server did not take a change, the test log says why. */
static void
log_refusals (Fixture *fixture)
{
  g_autoptr (GPtrArray) rejected
      = td_cache_list_rejected (td_session_get_cache (session (fixture)));

  for (guint i = 0; i < rejected->len; i++)
    {
      TdOutboxCommand *command = g_ptr_array_index (rejected, i);
      g_printerr ("# refused %s %s: %s\n", command->type, command->entity, command->last_error);
    }
  {
    g_autoptr (GPtrArray) pending = td_cache_pending (td_session_get_cache (session (fixture)), 0);
    for (guint i = 0; i < pending->len; i++)
      {
        TdOutboxCommand *command = g_ptr_array_index (pending, i);
        g_autofree char *fields = NULL;
        g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), command->fields);

        fields = json_to_string (node, FALSE);
        g_printerr ("# pending %s %s %s\n", command->id, command->type, fields);
      }
  }
  g_printerr (
      "# sync state %d, %u pending, error: %s\n", td_sync_engine_get_state (engine (fixture)),
      td_sync_engine_get_pending (engine (fixture)), td_sync_engine_get_error (engine (fixture)));
}

static TdTicketView *view_for_text;

static gboolean
view_shows (Fixture *fixture, gconstpointer text)
{
  g_autofree char *shown = td_app_test_widget_text (GTK_WIDGET (view_for_text));

  return strstr (shown, text) != NULL;
}

static GtkWidget *
escalate_button (TdTicketView *view)
{
  GtkWidget *button = find_widget (GTK_WIDGET (view), GTK_TYPE_BUTTON, "_Escalate");

  g_assert_nonnull (button);
  return button;
}

static void
test_update_and_escalate (Fixture *fixture)
{
  g_autofree char         *uuid = create_ticket_on_server (fixture, "Leave balance shows 0");
  g_autofree char         *updated = NULL;
  g_autofree char         *escalated = NULL;
  static const char *const checklist[]
      = { "documented", "impact", "steps", "evidence", "troubleshooting", "user-notified" };
  TdTicketView *view;

  sign_in (fixture);
  view = open_ticket (fixture, uuid);
  {
    g_autofree char *text = td_app_test_widget_text (GTK_WIDGET (view));
    g_assert_nonnull (strstr (text, "Leave balance shows 0\n"));
    g_assert_nonnull (strstr (text, "E10442\n"));
    g_assert_nonnull (strstr (text, "Response: "));
  }

  /* An update restarts the update clock, on the server too. */
  td_ticket_view_set_note (view, "Reproduced; payroll sync job is being re-run");
  gtk_widget_activate_action (GTK_WIDGET (view), "ticket.update", NULL);
  {
    g_autofree char *text = td_app_test_widget_text (GTK_WIDGET (view));
    g_assert_nonnull (strstr (text, "Reproduced; payroll sync job is being re-run\n"));
  }
  updated = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE uuid = '%s' AND last_update_at "
                             "IS NOT NULL AND first_response_at IS NOT NULL",
                             uuid);
  g_assert_true (wait_until (fixture, server_has, updated));

  /* T1 → T2: the button waits for the whole handoff checklist [8.1]. */
  g_assert_true (td_ticket_view_select_target (view, 2));
  g_assert_false (gtk_widget_get_sensitive (escalate_button (view)));
  g_assert_nonnull (strstr (td_ticket_view_get_escalate_hint (view), "missing"));
  g_assert_nonnull (strstr (td_ticket_view_get_escalate_hint (view), "Steps to reproduce"));
  td_app_test_screenshot (GTK_WIDGET (view), "ticket-escalate-missing");
  gtk_widget_activate_action (GTK_WIDGET (view), "ticket.escalate", NULL);
  g_assert_cmpint (
      cache_int (fixture, "SELECT COUNT (*) FROM ticket_event WHERE kind = 'escalate'"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (checklist); i++)
    g_assert_true (td_ticket_view_check_item (view, checklist[i], TRUE));
  g_assert_true (gtk_widget_get_sensitive (escalate_button (view)));
  g_assert_cmpstr (td_ticket_view_get_escalate_hint (view), ==, "Ready to hand over to Tier 2");
  gtk_widget_activate_action (GTK_WIDGET (view), "ticket.escalate", NULL);

  escalated = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE uuid = '%s' AND tier = 2", uuid);
  if (!wait_until (fixture, server_has, escalated))
    log_refusals (fixture);
  g_assert_true (server_has (fixture, escalated));
  g_assert_cmpint (td_test_server_query_int (
                       fixture->server, "SELECT COUNT (*) FROM ticket_event WHERE kind = "
                                        "'escalate' AND json_extract (data, '$.path') = 't1-t2'"),
                   ==, 1);
  /* The server has it; the window shows it once the answer is back. */
  view_for_text = view;
  g_assert_true (wait_until (fixture, view_shows, "Escalated to Tier 2"));
}

static gboolean
summary_is (Fixture *fixture, gconstpointer expected)
{
  TdSyncIndicator *indicator = TD_SYNC_INDICATOR (
      find_widget (GTK_WIDGET (fixture->window), TD_TYPE_SYNC_INDICATOR, NULL));

  return g_strcmp0 (td_sync_indicator_get_summary (indicator), expected) == 0;
}

static void
test_offline_and_back (Fixture *fixture)
{
  g_autofree char *uuid = create_ticket_on_server (fixture, "Approvals stuck in Finance");
  g_autofree char *commented = NULL;
  TdTicketView    *view;

  sign_in (fixture);
  g_assert_true (summary_is (fixture, "Up to Date"));
  view = open_ticket (fixture, uuid);

  /* The server goes away; the lead keeps working. */
  td_test_server_stop (fixture->server);
  td_ticket_view_set_note (view, "Finance approver is on leave; re-routed to deputy");
  gtk_widget_activate_action (GTK_WIDGET (view), "ticket.comment", NULL);
  g_assert_true (wait_until (fixture, summary_is, "Offline · 1 change waiting"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "queue-offline");
  {
    g_autofree char *text = td_app_test_widget_text (GTK_WIDGET (view));
    g_assert_nonnull (strstr (text, "Finance approver is on leave; re-routed to deputy\n"));
    g_assert_nonnull (strstr (text, "Not sent yet\n"));
  }

  /* Back: pending becomes synced. */
  td_test_server_start (fixture->server);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync-now", NULL);
  g_assert_true (wait_until (fixture, summary_is, "Up to Date"));
  commented = g_strdup_printf ("SELECT COUNT (*) FROM ticket_event WHERE ticket = '%s' AND kind = "
                               "'comment' AND body LIKE 'Finance approver%%'",
                               uuid);
  g_assert_cmpint (td_test_server_query_int (fixture->server, commented), ==, 1);
  {
    g_autofree char *text = td_app_test_widget_text (GTK_WIDGET (view));
    g_assert_null (strstr (text, "Not sent yet\n"));
  }
}

/* Notifications for the tickets the lead owns */

static void
on_notification (TdNotifier *notifier,
                 const char *id,
                 const char *title,
                 const char *body,
                 const char *uuid,
                 GPtrArray  *titles)
{
  g_ptr_array_add (titles, g_strdup (title));
}

static gboolean
knows_person (Fixture *fixture, gconstpointer data)
{
  return td_session_get_person (session (fixture)) != NULL;
}

static gboolean
has_titles (GPtrArray *titles, const char *expected)
{
  for (guint i = 0; i < titles->len; i++)
    if (g_str_equal (g_ptr_array_index (titles, i), expected))
      return TRUE;
  return FALSE;
}

static void
test_notifications (Fixture *fixture)
{
  g_autofree char *uuid = create_ticket_with (fixture, "Payroll run failed", "high", "high");
  g_autofree char *token = td_test_login (fixture->server, "lead");
  g_autofree char *person_sql
      = g_strdup ("SELECT rowid FROM person WHERE uuid = (SELECT person FROM account WHERE "
                  "username = 'lead')");
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  TdNotifier *notifier = td_application_get_notifier (fixture->app);
  gint64      created;

  /* The demo data made the lead someone in the directory: give them the
   * SEV-1 ticket. */
  g_assert_cmpint (td_test_server_query_int (fixture->server, person_sql), >, 0);
  {
    sqlite3         *db = NULL;
    g_autofree char *person = NULL;
    g_autofree char *path = g_strdup_printf ("/tickets/%s/events", uuid);
    g_autofree char *body = NULL;
    g_autoptr (TdTestResponse) response = NULL;
    sqlite3_stmt *stmt = NULL;

    sqlite3_open_v2 (fixture->server->db, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_prepare_v2 (db, "SELECT person FROM account WHERE username = 'lead'", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    person = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    body = g_strdup_printf ("{\"kind\": \"assign\", \"data\": {\"owner\": \"%s\"}}", person);
    response = td_test_request (fixture->server, "POST", path, token, body);
    g_assert_cmpuint (response->status, ==, 201);
  }

  sign_in (fixture);
  g_assert_true (wait_until (fixture, knows_person, NULL));
  {
    g_autofree char *sql
        = g_strdup_printf ("SELECT created_at FROM ticket WHERE uuid = '%s'", uuid);
    created = cache_int (fixture, sql);
  }
  g_signal_connect (notifier, "notification", G_CALLBACK (on_notification), titles);

  /* SEV-1: a response within 15 minutes [5.5]. Five minutes in, the owner
   * hears it will breach; once, however often the clock ticks. */
  td_notifier_check (notifier, created + 5 * 60);
  td_notifier_check (notifier, created + 5 * 60 + 30);
  g_assert_cmpuint (titles->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, "Breaches in 10 min: Payroll run failed");

  /* Twenty minutes in: breached, and the 30-minute update is due soon. */
  td_notifier_check (notifier, created + 20 * 60);
  g_assert_true (has_titles (titles, "Breached: Payroll run failed"));
  g_assert_true (has_titles (titles, "Update due: Payroll run failed"));
  g_assert_cmpuint (titles->len, ==, 3);
}

/* Each test in a process of its own: GTK and the app are per process. */

/* Trying the demo, a certificate nobody vouches for, a conflict settled */

static gboolean
queue_has_tickets (Fixture *fixture, gconstpointer data)
{
  return is_idle (fixture, NULL) && g_list_model_get_n_items (queue_model (fixture)) > 0;
}

static void
test_try_demo_data (Fixture *fixture)
{
  GtkWidget       *button = find_widget (GTK_WIDGET (td_window_get_connect_view (fixture->window)),
                                         GTK_TYPE_BUTTON, "Try With _Demo Data");
  g_autofree char *log = NULL;

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  /* The first start builds the demo database: give it time. */
  g_assert_true (td_app_test_wait ((TdAppTestDone) queue_has_tickets, fixture, NULL, 90));
  g_assert_cmpstr (td_session_get_user (session (fixture)), ==, TD_DEMO_USER);
  {
    g_autofree char *text
        = td_app_test_widget_text (GTK_WIDGET (td_window_get_queue_page (fixture->window)));
    g_assert_nonnull (strstr (text, "Tier 1"));
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "queue-demo");

  /* The demo server logs beside its database, not to our stderr. */
  log = g_build_filename (fixture->home, "tierdesk", "demo-server", "tierdeskd.log", NULL);
  g_assert_true (g_file_test (log, G_FILE_TEST_EXISTS));
}

static void
test_untrusted_certificate (Fixture *fixture)
{
  TdConnectView   *view = td_window_get_connect_view (fixture->window);
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int         status = 0;
  const char *argv[]
      = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",        "-keyout", NULL,
          "-out",    NULL,  "-days", "1",       "-subj",    "/CN=127.0.0.1", NULL };

  /* The same server, now with a self-signed certificate. */
  td_test_server_stop (fixture->server);
  fixture->server->tls_key = g_build_filename (fixture->server->dir, "key.pem", NULL);
  fixture->server->tls_cert = g_build_filename (fixture->server->dir, "cert.pem", NULL);
  argv[7] = fixture->server->tls_key;
  argv[9] = fixture->server->tls_cert;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  td_test_server_start (fixture->server);

  url = g_strdup_printf ("https://127.0.0.1:%u", fixture->server->port);
  td_connect_view_sign_in (view, url, "lead", TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, error_shown, "certificate is not trusted"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "connect-untrusted-certificate");
  g_assert_false (td_session_is_connected (session (fixture)));
  /* The password was not sent anywhere: nobody logged in. */
  g_assert_cmpint (td_test_server_query_int (fixture->server, "SELECT COUNT (*) FROM token"), ==,
                   0);
}

static gboolean
has_conflict (Fixture *fixture, gconstpointer data)
{
  return g_list_model_get_n_items (td_sync_engine_get_conflicts (engine (fixture))) == 1
         && td_sync_engine_get_state (engine (fixture)) == TD_SYNC_STATE_IDLE;
}

/* Another desktop changes @field of ticket @uuid on the server. */
static void
edit_elsewhere (Fixture *fixture, const char *uuid, const char *field, const char *value)
{
  g_autofree char *dir = g_build_filename (fixture->home, "other-desktop", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *url = server_url (fixture);
  g_autoptr (TdSyncClient) client = td_sync_client_new (url);
  g_autoptr (TdCache) cache = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  TdSyncStats stats = { 0 };

  g_mkdir_with_parents (dir, 0700);
  cache = td_cache_open (path, &error);
  g_assert_no_error (error);
  td_sync_client_login (client, "admin", TD_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  td_sync_run (client, cache, &stats, NULL, &error);
  g_assert_no_error (error);
  td_sync_stats_clear (&stats);
  json_object_set_string_member (fields, field, value);
  td_cache_update (cache, "ticket", uuid, fields, &error);
  g_assert_no_error (error);
  td_sync_run (client, cache, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  td_sync_stats_clear (&stats);
}

static void
test_resolve_conflict (Fixture *fixture)
{
  g_autofree char *uuid = create_ticket_on_server (fixture, "Payslips blank for night shift");
  g_autofree char *mine = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  TdSyncIndicator *indicator;
  GtkWidget       *popover;
  GtkWidget       *keep;

  sign_in (fixture);

  /* Offline, the lead retitles the ticket; meanwhile someone else does too. */
  td_test_server_stop (fixture->server);
  json_object_set_string_member (fields, "title", "Payslips blank for night shift (Kronos export)");
  td_cache_update (td_session_get_cache (session (fixture)), "ticket", uuid, fields, &error);
  g_assert_no_error (error);
  td_sync_engine_local_change (engine (fixture), "ticket", uuid);
  td_test_server_start (fixture->server);
  edit_elsewhere (fixture, uuid, "title", "Night-shift payslips blank");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync-now", NULL);
  g_assert_true (wait_until (fixture, has_conflict, NULL));

  /* The header says so, and its popover offers the way out. */
  indicator = TD_SYNC_INDICATOR (
      find_widget (GTK_WIDGET (fixture->window), TD_TYPE_SYNC_INDICATOR, NULL));
  g_assert_cmpstr (td_sync_indicator_get_summary (indicator), ==,
                   "Up to Date · 1 change needs your decision");
  popover = find_widget (GTK_WIDGET (indicator), GTK_TYPE_POPOVER, NULL);
  g_assert_nonnull (popover);
  gtk_popover_popup (GTK_POPOVER (popover));
  td_app_test_spin (100);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "sync-conflict");
  {
    g_autofree char *text = td_app_test_widget_text (popover);
    g_assert_nonnull (strstr (text, "title: yours “Payslips blank for night shift (Kronos "
                                    "export)”, the server’s “Night-shift payslips blank”"));
  }
  keep = find_widget (popover, GTK_TYPE_BUTTON, "Keep _Mine");
  g_assert_nonnull (keep);
  g_signal_emit_by_name (keep, "clicked");

  g_assert_true (wait_until (fixture, is_idle, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (td_sync_engine_get_conflicts (engine (fixture))), ==,
                    0);
  mine = g_strdup_printf ("SELECT COUNT (*) FROM ticket WHERE uuid = '%s' AND title = "
                          "'Payslips blank for night shift (Kronos export)'",
                          uuid);
  g_assert_true (wait_until (fixture, server_has, mine));
  g_assert_true (wait_until (fixture, summary_is, "Up to Date"));
}

/* What each role is offered */

/* The first button under @root bound to @action. */
static GtkWidget *
find_actionable (GtkWidget *root, const char *action)
{
  if (GTK_IS_BUTTON (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the button a person would press for @action can be pressed: GTK
 * makes a button bound to a disabled action insensitive. */
static gboolean
action_enabled (GtkWidget *root, const char *action)
{
  GtkWidget *button = find_actionable (root, action);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static void
test_permissions (Fixture *fixture)
{
  g_autofree char *uuid = create_ticket_on_server (fixture, "Timesheet approvals missing");
  g_autofree char *token = td_test_login (fixture->server, "lead");
  g_autofree char *path = g_strdup_printf ("/tickets/%s/events", uuid);
  g_autoptr (TdTestResponse) escalated = td_test_request (
      fixture->server, "POST", path, token,
      "{\"kind\": \"escalate\", \"body\": \"Approver chain broken after re-org\", \"data\": "
      "{\"to_tier\": 2, \"checklist\": [\"documented\", \"impact\", \"steps\", \"evidence\", "
      "\"troubleshooting\", \"user-notified\"]}}");
  TdTicketView *view;
  GtkWidget    *status_buttons;

  g_assert_cmpuint (escalated->status, ==, 201);

  /* A Tier 1 analyst may comment on a Tier 2 ticket, not change it. */
  sign_in_as (fixture, "analyst");
  g_assert_true (action_enabled (GTK_WIDGET (fixture->window), "win.new-ticket"));
  view = open_ticket (fixture, uuid);
  td_app_test_spin (100);
  td_app_test_screenshot (GTK_WIDGET (view), "ticket-read-only");
  {
    g_autofree char *text = td_app_test_widget_text (GTK_WIDGET (view));
    g_assert_nonnull (strstr (text, "As Service Desk Analyst you can comment on this Tier 2 "
                                    "ticket; changing it is for Tier 2 and above."));
  }
  status_buttons = find_widget (GTK_WIDGET (view), GTK_TYPE_BUTTON, "_Start Work");
  g_assert_nonnull (status_buttons);
  g_assert_false (gtk_widget_is_sensitive (status_buttons));
  g_assert_true (action_enabled (GTK_WIDGET (view), "ticket.comment"));
  /* No handoff to make: the escalation section is not shown. */
  g_assert_false (gtk_widget_is_drawable (escalate_button (view)));

  /* What it still may do goes through. */
  td_ticket_view_set_note (view, "Checked with the user: approvals page is empty for all of HR");
  gtk_widget_activate_action (GTK_WIDGET (view), "ticket.comment", NULL);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  {
    g_autofree char *sql
        = g_strdup_printf ("SELECT COUNT (*) FROM ticket_event WHERE ticket = '%s' "
                           "AND kind = 'comment'",
                           uuid);
    g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);
  }
  gtk_window_destroy (GTK_WINDOW (view));

  /* A trainer logs no tickets: New Ticket is not offered. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.log-out", NULL);
  td_app_test_spin (100);
  sign_in_as (fixture, "trainer");
  g_assert_false (action_enabled (GTK_WIDGET (fixture->window), "win.new-ticket"));
}

typedef struct
{
  const char *path;
  void (*func) (Fixture *fixture);
  gboolean demo_data;
} TestCase;

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
        g_error ("test-queue needs a display: run it under xvfb-run (./run test does)");
      adw_init ();
      fixture_set_up (&fixture, test->demo_data);
      test->func (&fixture);
      fixture_tear_down (&fixture);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static const TestCase tests[] = {
  { "/app/queue/connect-errors", test_connect_errors, FALSE },
  { "/app/queue/create-ticket", test_create_ticket, FALSE },
  { "/app/queue/filter-sort-search", test_filter_sort_search, TRUE },
  { "/app/queue/update-and-escalate", test_update_and_escalate, FALSE },
  { "/app/queue/offline-and-back", test_offline_and_back, FALSE },
  { "/app/queue/notifications", test_notifications, TRUE },
  { "/app/queue/try-demo-data", test_try_demo_data, FALSE },
  { "/app/queue/untrusted-certificate", test_untrusted_certificate, FALSE },
  { "/app/queue/resolve-conflict", test_resolve_conflict, FALSE },
  { "/app/queue/permissions", test_permissions, FALSE },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_isolated);
  return g_test_run ();
}
