/* test-team.c — the Team page as a lead and an analyst use it, against a real tierdeskd
 *
 * Like test-oncall-page.c, each test runs in a subprocess with a home and a
 * session bus of its own, starts tierdeskd with demo data and signs in
 * through the connect form. It reads the directory, edits a person through
 * the form, copies the contact card and reads the clipboard, files a data
 * correction as an analyst and approves it as the lead it is routed to.
 * What reached the server is read from its database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "td-app-test.h"
#include "td-application.h"
#include "td-pir-window.h"
#include "td-team-page.h"
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

static const char *const accounts[] = { "lead:app-support-lead", "appsupport:app-support-analyst",
                                        "deskmanager:service-desk-manager", NULL };

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

static gboolean
wait_until (Fixture *fixture, Predicate done, gconstpointer data)
{
  return td_app_test_wait ((TdAppTestDone) done, fixture, data, 20);
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A visible toplevel named @name (the page's forms name themselves). */
static GtkWidget *
find_form (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (window) && g_strcmp0 (gtk_widget_get_name (window), name) == 0)
        return window;
    }
  return NULL;
}

static TdTeamPage *
page (Fixture *fixture)
{
  return TD_TEAM_PAGE (find_type (GTK_WIDGET (fixture->window), TD_TYPE_TEAM_PAGE));
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

static char *
server_text (Fixture *fixture, const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->server->db, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static gboolean
server_has (Fixture *fixture, gconstpointer sql)
{
  return td_test_server_query_int (fixture->server, sql) > 0;
}

/* Set-up */

static void
fixture_set_up (Fixture *fixture, gboolean demo_data)
{
  fixture->home = td_app_test_isolate (&fixture->bus);
  if (!gtk_init_check ())
    g_error ("test-team needs a display: run it under xvfb-run (./run test does)");
  adw_init ();

  fixture->server = td_test_server_new (accounts);
  /* People in every role and sub-team, the rotas, and pending requests. */
  if (demo_data)
    g_assert_cmpint (td_test_tierdeskd (NULL, NULL, "demo-data", "--db", fixture->server->db,
                                        "--tickets", "20", NULL),
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
  return td_session_is_connected (session (fixture)) && td_session_get_role (session (fixture))
         && td_sync_engine_get_state (engine (fixture)) == TD_SYNC_STATE_IDLE
         && td_sync_engine_get_pending (engine (fixture)) == 0;
}

static guint
visible_people (Fixture *fixture)
{
  GtkWidget *list = find_type (GTK_WIDGET (page (fixture)), GTK_TYPE_LIST_BOX);
  guint      n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row))
      n++;
  return n;
}

static gboolean
has_people (Fixture *fixture, gconstpointer data)
{
  return visible_people (fixture) >= GPOINTER_TO_UINT (data);
}

static gboolean
few_people (Fixture *fixture, gconstpointer most)
{
  return visible_people (fixture) <= GPOINTER_TO_UINT (most);
}

static void
sign_in_with (Fixture *fixture, const char *user, guint people)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);

  td_connect_view_sign_in (td_window_get_connect_view (fixture->window), url, user,
                           TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "team");
  g_assert_true (wait_until (fixture, has_people, GUINT_TO_POINTER (people)));
  /* Let the page settle after the first pull's last page. */
  td_app_test_spin (300);
}

static void
sign_in_as (Fixture *fixture, const char *user)
{
  /* The demo directory has a few hundred people. */
  sign_in_with (fixture, user, 100);
}

static gboolean
transition_done (Fixture *fixture, gconstpointer stack)
{
  return !gtk_stack_get_transition_running (GTK_STACK (stack));
}

static void
show_section (Fixture *fixture, const char *name)
{
  GtkStack *stack = GTK_STACK (find_type (GTK_WIDGET (page (fixture)), GTK_TYPE_STACK));

  gtk_stack_set_visible_child_name (stack, name);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, name);
  /* Past the crossfade, so a screenshot shows one section. */
  td_app_test_spin (100);
  g_assert_true (wait_until (fixture, transition_done, stack));
  td_app_test_spin (100);
}

typedef struct
{
  const char *widget;
  const char *text;
} Shows;

static gboolean
shows (Fixture *fixture, gconstpointer data)
{
  const Shows     *expected = data;
  GtkWidget       *widget = td_app_test_find_named (GTK_WIDGET (page (fixture)), expected->widget);
  g_autofree char *text = widget != NULL ? td_app_test_widget_text (widget) : g_strdup ("");

  return strstr (text, expected->text) != NULL;
}

static void
select_person (Fixture *fixture, const char *uuid)
{
  g_autofree char *name = g_strdup_printf ("person-%s", uuid);
  GtkWidget       *row = td_app_test_find_named (GTK_WIDGET (page (fixture)), name);
  GtkWidget       *list = find_type (GTK_WIDGET (page (fixture)), GTK_TYPE_LIST_BOX);

  g_assert_nonnull (row);
  gtk_list_box_select_row (GTK_LIST_BOX (list), GTK_LIST_BOX_ROW (row));
  td_app_test_spin (100);
}

static void
set_entry (GtkWidget *form, const char *name, const char *text)
{
  GtkWidget *entry = td_app_test_find_named (form, name);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static void
click_form_action (GtkWidget *form)
{
  GtkWidget *button = td_app_test_find_named (form, "form-action");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  td_app_test_spin (100);
}

/* The directory, an edit, the engagement guide and the contact card */

static void
on_clipboard_text (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static GtkWidget *
find_print_dialog (void)
{
  return td_app_test_find_print_dialog ();
}

static gboolean
print_dialog_chose_file (Fixture *fixture, gconstpointer unused)
{
  return td_app_test_print_dialog_chose_file (find_print_dialog ());
}

static gboolean
print_dialog_open (Fixture *fixture, gconstpointer open)
{
  return (find_print_dialog () != NULL) == GPOINTER_TO_INT (open);
}

static gboolean
not_printing (Fixture *fixture, gconstpointer unused)
{
  return !td_team_page_is_printing (page (fixture));
}

/* The print is done and its PDF whole, with the card's title in it. */
static gboolean
printed (Fixture *fixture, gconstpointer path)
{
  g_autofree char *text = NULL;

  if (td_team_page_is_printing (page (fixture)))
    return FALSE;
  text = td_app_test_pdf_text (path);
  return text != NULL && strstr (text, "LMS Support Contact Card") != NULL;
}

/* With TD_SCREENSHOTS, a copy of the PDF beside the screenshots. */
static void
save_for_a_person (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *copy = NULL;
  g_autoptr (GFile) source = g_file_new_for_path (path);
  g_autoptr (GFile) target = NULL;

  if (g_getenv ("TD_SCREENSHOTS") == NULL)
    return;
  copy = g_build_filename (g_getenv ("TD_SCREENSHOTS"), name, NULL);
  target = g_file_new_for_path (copy);
  g_assert_true (g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
}

static gboolean
form_closed (Fixture *fixture, gconstpointer name)
{
  return find_form (name) == NULL;
}

static void
test_people_and_card (Fixture *fixture)
{
  g_autofree char *lead = NULL;
  g_autofree char *lead_name = NULL;
  g_autofree char *analyst = NULL;
  g_autofree char *analyst_name = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *clipboard = NULL;
  g_autofree char *on_call = NULL;
  g_autoptr (GPtrArray) on_call_names = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *form;
  gint64     deadline;

  sign_in_as (fixture, "lead");
  lead = server_text (fixture, "SELECT person FROM account WHERE username = 'lead'");
  sql = g_strdup_printf ("SELECT name FROM person WHERE uuid = '%s'", lead);
  lead_name = server_text (fixture, sql);
  g_assert_nonnull (lead_name);
  g_assert_cmpint (
      visible_people (fixture), ==,
      td_test_server_query_int (fixture->server, "SELECT COUNT (*) FROM person WHERE deleted = 0"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team");

  /* A person's details. */
  select_person (fixture, lead);
  {
    Shows details = { "person-details", "Application Support Lead · Tier 2" };
    g_assert_true (wait_until (fixture, shows, &details));
    details.text = lead_name;
    g_assert_true (shows (fixture, &details));
  }

  /* Search narrows the list to who matches. */
  gtk_editable_set_text (
      GTK_EDITABLE (find_type (GTK_WIDGET (page (fixture)), GTK_TYPE_SEARCH_ENTRY)), lead_name);
  /* The search runs once typing pauses. */
  g_assert_true (wait_until (fixture, few_people, GUINT_TO_POINTER (3)));
  g_assert_cmpint (visible_people (fixture), >=, 1);
  g_assert_cmpint (visible_people (fixture), <=, 3);
  {
    g_autofree char *row = g_strdup_printf ("person-%s", lead);
    g_assert_true (
        gtk_widget_get_child_visible (td_app_test_find_named (GTK_WIDGET (page (fixture)), row)));
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-search");
  gtk_editable_set_text (
      GTK_EDITABLE (find_type (GTK_WIDGET (page (fixture)), GTK_TYPE_SEARCH_ENTRY)), "");
  g_assert_true (wait_until (fixture, has_people, GUINT_TO_POINTER (100)));

  /* A lead edits the directory: a bad date is refused in the form, naming it. */
  analyst = server_text (fixture, "SELECT uuid FROM person WHERE role = 'app-support-analyst' "
                                  "ORDER BY name LIMIT 1");
  g_free (sql);
  sql = g_strdup_printf ("SELECT name FROM person WHERE uuid = '%s'", analyst);
  analyst_name = server_text (fixture, sql);
  select_person (fixture, analyst);
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.edit-person", NULL);
  td_app_test_spin (200);
  form = find_form ("person-form");
  g_assert_nonnull (form);
  set_entry (form, "person-phone", "+44 20 7946 0999");
  set_entry (form, "person-start-date", "2026-13-45");
  click_form_action (form);
  g_assert_true (gtk_widget_get_visible (td_app_test_find_named (form, "form-error")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (td_app_test_find_named (form, "form-error"))), ==,
                   "Start date: “2026-13-45” is not a date (expected YYYY-MM-DD)");
  td_app_test_screenshot (form, "team-edit");
  set_entry (form, "person-start-date", "2026-03-02");
  click_form_action (form);
  g_assert_true (wait_until (fixture, form_closed, "person-form"));
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM person WHERE uuid = '%s' AND phone = "
                         "'+44 20 7946 0999' AND start_date = '2026-03-02' AND name = '%s'",
                         analyst, analyst_name);
  g_assert_true (wait_until (fixture, server_has, sql));
  {
    Shows details = { "person-details", "+44 20 7946 0999" };
    g_assert_true (wait_until (fixture, shows, &details));
  }

  /* The Tier 4 guide names the executive for each scenario [6.2, 6.3]. */
  show_section (fixture, "engagement");
  {
    g_autofree char *director
        = server_text (fixture, "SELECT name FROM person WHERE role = 'it-director'");
    Shows guide = { "engagement", "SEV-1 incident > 1 hour unresolved" };

    g_assert_true (shows (fixture, &guide));
    guide.text = director;
    g_assert_true (shows (fixture, &guide));
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-engagement");

  /* The contact card: copied as plain text, with who is on call now. */
  show_section (fixture, "card");
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-card");
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.copy-card", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (page (fixture))), NULL,
                                 on_clipboard_text, &clipboard);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (clipboard == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (clipboard);
  g_assert_true (g_str_has_prefix (clipboard, "LMS Support Contact Card\n"));
  g_assert_nonnull (strstr (clipboard, "\nService Desk (Tier 1)\n"));
  g_assert_nonnull (strstr (clipboard, "  Email: lms-support@company.com\n"));
  g_assert_nonnull (strstr (clipboard, "  Teams: #lms-incidents\n"));
  g_assert_nonnull (strstr (clipboard, "  URL: status.company.com/lms\n"));
  /* Tier 2's and Tier 3's person on call, from the rota: someone on it. */
  for (int tier = 2; tier <= 3; tier++)
    {
      g_autofree char *marker = g_strdup_printf ("On call, Tier %d ", tier);
      const char      *line = strstr (clipboard, marker);
      const char      *name;
      g_autofree char *person = NULL;
      g_autofree char *query = NULL;

      g_assert_nonnull (line);
      name = strstr (line, ": ") + 2;
      person = g_strndup (name, strcspn (name, "(\n"));
      g_strchomp (person);
      query = g_strdup_printf (
          "SELECT COUNT (*) FROM person JOIN rotation ON rotation.tier = %d WHERE person.name = "
          "'%s' AND person.uuid IN (SELECT person FROM rotation_member WHERE rotation = "
          "rotation.uuid UNION SELECT person FROM rota_override WHERE rotation = rotation.uuid)",
          tier, person);
      g_assert_cmpint (td_test_server_query_int (fixture->server, query), >, 0);
      g_ptr_array_add (on_call_names, g_steal_pointer (&person));
    }
  on_call = td_team_page_dup_card_text (page (fixture));
  g_assert_cmpstr (clipboard, ==, on_call);

  /* Print opens the print dialog, and the window stays live behind it. */
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.print-card", NULL);
  g_assert_true (wait_until (fixture, print_dialog_open, GINT_TO_POINTER (TRUE)));
  gtk_dialog_response (GTK_DIALOG (find_print_dialog ()), GTK_RESPONSE_CANCEL);
  g_assert_true (wait_until (fixture, print_dialog_open, GINT_TO_POINTER (FALSE)));
  g_assert_true (wait_until (fixture, not_printing, NULL));

  /* Printing for real, as a person does: the dialog opens with GTK's
   * "Print to File" printer (the file print backend) and a PDF to write,
   * preset; Print in the dialog prints. The PDF has every line of the
   * card, and Tier 2's and Tier 3's people on call as the server's rota
   * has them. */
  {
    g_autofree char *pdf = g_build_filename (fixture->home, "contact-card.pdf", NULL);
    g_autoptr (GtkPrintSettings) settings = td_app_test_print_to_file (pdf);
    g_auto (GStrv) lines = g_strsplit (on_call, "\n", -1);
    g_autofree char *text = NULL;
    g_autofree char *squeezed = NULL;

    td_team_page_set_print_settings (page (fixture), settings);
    gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.print-card", NULL);
    g_assert_true (wait_until (fixture, print_dialog_chose_file, NULL));
    td_app_test_screenshot (find_print_dialog (), "team-card-print");
    gtk_dialog_response (GTK_DIALOG (find_print_dialog ()), GTK_RESPONSE_OK);
    g_assert_true (wait_until (fixture, printed, pdf));
    g_assert_null (find_print_dialog ());
    text = td_app_test_pdf_text (pdf);
    squeezed = td_app_test_squeeze (text);
    save_for_a_person (pdf);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_autofree char *line = td_app_test_squeeze (lines[i]);

        if (*line != '\0' && strstr (squeezed, line) == NULL)
          g_error ("the printed card lacks \"%s\":\n%s", line, text);
      }
    g_assert_cmpuint (on_call_names->len, ==, 2);
    for (guint i = 0; i < on_call_names->len; i++)
      g_assert_nonnull (strstr (squeezed, g_ptr_array_index (on_call_names, i)));
    td_team_page_set_print_settings (page (fixture), NULL);
  }
}

/* An empty directory: the support model's positions to fill [4.6] */

static gboolean
shows_open_position (Fixture *fixture, gconstpointer text)
{
  Shows open = { "open-positions", text };

  return shows (fixture, &open);
}

static void
test_fill_position (Fixture *fixture)
{
  GtkWidget *form;
  GtkWidget *fill = NULL;
  GtkWidget *open;

  sign_in_with (fixture, "lead", 0);
  g_assert_cmpint (visible_people (fixture), ==, 0);
  g_assert_true (
      wait_until (fixture, shows_open_position, "Business Analyst · Application Support"));
  g_assert_true (shows_open_position (fixture, "Business rule clarification"));
  g_assert_true (shows_open_position (fixture, "CISO · Executive / Vendor"));
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-open-positions");

  /* The Business Analyst's Fill… button: its row names the role. */
  open = td_app_test_find_named (GTK_WIDGET (page (fixture)), "open-positions");
  for (GtkWidget *row = find_type (open, ADW_TYPE_ACTION_ROW); row != NULL && fill == NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row)
        && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                             "Business Analyst"))
      fill = find_type (row, GTK_TYPE_BUTTON);
  g_assert_nonnull (fill);
  g_signal_emit_by_name (fill, "clicked");
  td_app_test_spin (300);
  form = find_form ("person-form");
  g_assert_nonnull (form);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (form)), ==, "Fill a Position");
  /* A name is required. */
  click_form_action (form);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (td_app_test_find_named (form, "form-error"))), ==,
                   "Name: required");
  set_entry (form, "person-name", "Noor Haddad");
  set_entry (form, "person-email", "noor.haddad@example.com");
  set_entry (form, "person-time-zone", "Mars/Olympus");
  click_form_action (form);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (td_app_test_find_named (form, "form-error"))), ==,
                   "Time zone: “Mars/Olympus” is not a time zone (expected a name such as "
                   "Europe/London)");
  set_entry (form, "person-time-zone", "Europe/London");
  td_app_test_screenshot (form, "team-fill");
  click_form_action (form);
  g_assert_true (wait_until (fixture, form_closed, "person-form"));
  g_assert_true (wait_until (fixture, server_has,
                             "SELECT COUNT (*) FROM person WHERE name = 'Noor Haddad' AND role = "
                             "'business-analyst' AND tier = 2 AND email = "
                             "'noor.haddad@example.com' AND time_zone = 'Europe/London'"));
  g_assert_true (wait_until (fixture, has_people, GUINT_TO_POINTER (1)));
  td_app_test_spin (300);
  g_assert_false (shows_open_position (fixture, "Business Analyst · Application Support"));
}

/* Approvals: an analyst files, the lead it goes to approves */

static char *
newest_correction (Fixture *fixture)
{
  return server_text (fixture, "SELECT uuid FROM correction_request WHERE affected_user_id = "
                               "'E55501' ORDER BY rev DESC LIMIT 1");
}

/* Picks @text in the form's combo row or drop-down named @name, and lets
 * the form react. */
static void
select_in (GtkWidget *form, const char *name, const char *text)
{
  td_app_test_select (td_app_test_find_named (form, name), text);
  td_app_test_spin (50);
}

static gboolean
lacks_widget (Fixture *fixture, gconstpointer name)
{
  return td_app_test_find_named (GTK_WIDGET (page (fixture)), name) == NULL;
}

static void
test_file_and_approve (Fixture *fixture)
{
  GtkWidget       *form;
  GtkWidget       *verdict;
  g_autofree char *uuid = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *button_name = NULL;
  g_autofree char *lead = NULL;

  sign_in_as (fixture, "appsupport");
  show_section (fixture, "approvals");
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-approvals-analyst");

  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.new-correction", NULL);
  td_app_test_spin (200);
  form = find_form ("request-form");
  g_assert_nonnull (form);
  verdict = td_app_test_find_named (form, "request-verdict");

  /* Audit-sensitive data: the refusal and its reason before anything is sent [4.5]. */
  select_in (form, "request-kind", "Audit-sensitive data");
  set_entry (form, "request-users", "E55501");
  set_entry (form, "request-description", "Change the audit trail of a leave approval");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==,
                   "Audit-sensitive data may not be corrected: prohibited (Never at Tier 2)");
  g_assert_false (gtk_widget_get_sensitive (td_app_test_find_named (form, "form-action")));
  td_app_test_screenshot (form, "team-request-refused");

  /* A single user's balance goes to the lead. */
  select_in (form, "request-kind", "Single user balance");
  set_entry (form, "request-description", "Annual leave balance is 2 days short");
  set_entry (form, "request-evidence", "Payroll export line 42");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==,
                   "Goes to the Application Support Lead for Manager approval.");
  td_app_test_screenshot (form, "team-request");
  click_form_action (form);
  g_assert_true (wait_until (fixture, form_closed, "request-form"));
  sql = g_strdup ("SELECT COUNT (*) FROM correction_request WHERE affected_user_id = 'E55501' "
                  "AND status = 'pending' AND approver_role = 'app-support-lead' AND evidence = "
                  "'Payroll export line 42'");
  g_assert_true (wait_until (fixture, server_has, sql));
  uuid = newest_correction (fixture);
  {
    Shows mine = { "approvals-mine", "Single user balance for E55501" };
    g_assert_true (wait_until (fixture, shows, &mine));
  }
  /* The analyst may not decide it, only withdraw it. */
  button_name = g_strdup_printf ("approve-%s", uuid);
  g_assert_null (td_app_test_find_named (GTK_WIDGET (page (fixture)), button_name));
  {
    g_autofree char *withdraw = g_strdup_printf ("withdraw-%s", uuid);
    g_assert_nonnull (td_app_test_find_named (GTK_WIDGET (page (fixture)), withdraw));
  }

  /* Tool access [9.1, 9.2]: the tools of the analyst's tier, approved by its lead. */
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.new-access", NULL);
  td_app_test_spin (200);
  form = find_form ("request-form");
  g_assert_nonnull (form);
  verdict = td_app_test_find_named (form, "request-verdict");
  select_in (form, "request-kind", "CI/CD Pipeline — Deployment");
  set_entry (form, "request-reason", "Deploy the payroll hotfix");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==,
                   "Tool: CI/CD Pipeline is for Tier 3, not Tier 2");
  g_assert_false (gtk_widget_get_sensitive (td_app_test_find_named (form, "form-action")));
  select_in (form, "request-kind", "Database Client — Data queries");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==,
                   "Database Client (read access) for Tier 2 is approved by the Application "
                   "Support Lead");
  click_form_action (form);
  g_assert_true (wait_until (fixture, form_closed, "request-form"));
  g_assert_true (wait_until (fixture, server_has,
                             "SELECT COUNT (*) FROM access_request WHERE tool = 'database-client' "
                             "AND level = 'read' AND approver_role = 'app-support-lead' AND "
                             "reason = 'Deploy the payroll hotfix' AND status = 'pending'"));

  /* The lead it is routed to approves it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.log-out", NULL);
  td_app_test_spin (100);
  sign_in_as (fixture, "lead");
  show_section (fixture, "approvals");
  {
    Shows waiting = { "approvals-waiting", "Single user balance for E55501" };
    g_assert_true (wait_until (fixture, shows, &waiting));
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-approvals");

  /* A rejection needs a reason: the button waits for one. */
  {
    g_autofree char *other = server_text (
        fixture, "SELECT uuid FROM correction_request WHERE status = 'pending' AND "
                 "approver_role = 'app-support-lead' AND affected_user_id <> 'E55501' LIMIT 1");
    GtkWidget *reject;

    g_assert_nonnull (other);
    gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.reject", "(ss)",
                                "correction_request", other);
    td_app_test_spin (200);
    reject = find_form ("reject-form");
    g_assert_nonnull (reject);
    g_assert_false (gtk_widget_get_sensitive (td_app_test_find_named (reject, "form-action")));
    set_entry (reject, "reject-reason", "The accrual posts on the 1st");
    g_assert_true (gtk_widget_get_sensitive (td_app_test_find_named (reject, "form-action")));
    td_app_test_screenshot (reject, "team-reject");
    click_form_action (reject);
    g_free (sql);
    sql = g_strdup_printf ("SELECT COUNT (*) FROM correction_request WHERE uuid = '%s' AND "
                           "status = 'rejected' AND decision_note = 'The accrual posts on the 1st'",
                           other);
    g_assert_true (wait_until (fixture, server_has, sql));
  }

  g_assert_nonnull (td_app_test_find_named (GTK_WIDGET (page (fixture)), button_name));
  g_signal_emit_by_name (td_app_test_find_named (GTK_WIDGET (page (fixture)), button_name),
                         "clicked");
  lead = server_text (fixture, "SELECT person FROM account WHERE username = 'lead'");
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM correction_request WHERE uuid = '%s' AND status "
                         "= 'approved' AND decided_by = '%s' AND approver_role = "
                         "'app-support-lead'",
                         uuid, lead);
  g_assert_true (wait_until (fixture, server_has, sql));
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM audit_log WHERE entity_id = '%s' AND action = "
                         "'approve correction_request' AND actor = 'lead'",
                         uuid);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);
  /* Decided: no Approve any more; a lead may also carry it out [4.5]. */
  {
    g_autofree char *apply = g_strdup_printf ("apply-%s", uuid);

    g_assert_true (wait_until (fixture, lacks_widget, button_name));
    g_assert_nonnull (td_app_test_find_named (GTK_WIDGET (page (fixture)), apply));
  }

  /* The analyst, who performs single-balance corrections, marks it applied. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.log-out", NULL);
  td_app_test_spin (100);
  sign_in_as (fixture, "appsupport");
  show_section (fixture, "approvals");
  {
    g_autofree char *apply = g_strdup_printf ("apply-%s", uuid);
    g_autofree char *analyst
        = server_text (fixture, "SELECT person FROM account WHERE username = 'appsupport'");
    Shows waiting = { "approvals-waiting", "Approved · requested by" };

    g_assert_true (wait_until (fixture, shows, &waiting));
    g_assert_nonnull (td_app_test_find_named (GTK_WIDGET (page (fixture)), apply));
    g_signal_emit_by_name (td_app_test_find_named (GTK_WIDGET (page (fixture)), apply), "clicked");
    g_free (sql);
    sql = g_strdup_printf ("SELECT COUNT (*) FROM correction_request WHERE uuid = '%s' AND "
                           "status = 'applied' AND applied_by = '%s'",
                           uuid, analyst);
    g_assert_true (wait_until (fixture, server_has, sql));
  }
}

/* Tool access for someone else, granted and revoked [9.2] */

/* The person picker's entries, one per line. */
static char *
picker_items (GtkWidget *form)
{
  GListModel *model
      = gtk_drop_down_get_model (GTK_DROP_DOWN (td_app_test_find_named (form, "request-person")));
  GString *items = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);

      g_string_append_printf (items, "%s\n", gtk_string_object_get_string (item));
    }
  return g_string_free (items, FALSE);
}

/* Any Revoke… button under @root (they are named revoke-UUID). */
static gboolean
has_revoke_button (GtkWidget *root)
{
  if (g_str_has_prefix (gtk_widget_get_name (root), "revoke-") && GTK_IS_BUTTON (root)
      && gtk_widget_get_visible (root))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_revoke_button (child))
      return TRUE;
  return FALSE;
}

static gboolean
form_open (Fixture *fixture, gconstpointer name)
{
  return find_form (name) != NULL;
}

static gboolean
has_widget (Fixture *fixture, gconstpointer name)
{
  return td_app_test_find_named (GTK_WIDGET (page (fixture)), name) != NULL;
}

/* Scrolls the approvals to their end (the granted access), for a screenshot. */
static void
scroll_to_end (Fixture *fixture)
{
  GtkWidget     *widget = td_app_test_find_named (GTK_WIDGET (page (fixture)), "approvals-granted");
  GtkWidget     *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  td_app_test_spin (200);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  td_app_test_spin (200);
}

static void
switch_user (Fixture *fixture, const char *user)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.log-out", NULL);
  td_app_test_spin (100);
  sign_in_as (fixture, user);
  show_section (fixture, "approvals");
}

static void
test_access_for_others (Fixture *fixture)
{
  g_autofree char *analyst
      = server_text (fixture, "SELECT person FROM account WHERE username = 'appsupport'");
  g_autofree char *lead
      = server_text (fixture, "SELECT person FROM account WHERE username = 'lead'");
  g_autofree char *manager
      = server_text (fixture, "SELECT person FROM account WHERE username = 'deskmanager'");
  g_autofree char *analyst_name = NULL;
  g_autofree char *lead_name = NULL;
  g_autofree char *manager_name = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *items = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *revoke = NULL;
  GtkWidget       *form;
  GtkWidget       *verdict;
  GtkWidget       *dialog;
  GtkWidget       *required;

  g_assert_nonnull (analyst);
  g_assert_nonnull (lead);
  g_assert_nonnull (manager);
  sql = g_strdup_printf ("SELECT name FROM person WHERE uuid = '%s'", analyst);
  analyst_name = server_text (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT name FROM person WHERE uuid = '%s'", lead);
  lead_name = server_text (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT name FROM person WHERE uuid = '%s'", manager);
  manager_name = server_text (fixture, sql);
  /* Tier 2 (the analyst) and Tier 1 (the service desk manager), as the
   * verdicts below assume. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM person WHERE uuid = '%s' AND tier = 2", analyst);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);

  /* The service desk manager keeps the directory, so files for others. */
  sign_in_as (fixture, "deskmanager");
  show_section (fixture, "approvals");
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.new-access", NULL);
  td_app_test_spin (200);
  form = find_form ("request-form");
  g_assert_nonnull (form);
  verdict = td_app_test_find_named (form, "request-verdict");
  items = picker_items (form);
  expected = g_strdup_printf ("%s (you)\n", manager_name);
  g_assert_true (g_str_has_prefix (items, expected));
  g_assert_true (gtk_widget_get_sensitive (td_app_test_find_named (form, "request-person")));

  /* For oneself at Tier 1 the database is not offered; the verdict names the field. */
  select_in (form, "request-kind", "Database Client — Data queries");
  g_assert_true (
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (verdict)), "Tool: Database Client "));
  g_assert_true (gtk_widget_has_css_class (verdict, "error"));

  /* For the analyst, at Tier 2: read access, approved by the app support lead. */
  select_in (form, "request-person", analyst_name);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==,
                   "Database Client (read access) for Tier 2 is approved by the Application "
                   "Support Lead");
  {
    g_autofree char *text = td_app_test_widget_text (form);
    g_autofree char *for_whom = g_strdup_printf ("For %s, at Tier 2", analyst_name);

    g_assert_nonnull (strstr (text, for_whom));
    g_assert_cmpstr (adw_action_row_get_subtitle (
                         ADW_ACTION_ROW (td_app_test_find_named (form, "request-person-row"))),
                     ==, "Application Support Analyst · Tier 2");
  }
  g_assert_cmpstr (adw_preferences_row_get_title (
                       ADW_PREFERENCES_ROW (td_app_test_find_named (form, "request-reason"))),
                   ==, "Why they need it");
  /* Full access is more than Tier 2 may have: the Access field is named. */
  select_in (form, "request-level", "Full");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (verdict)), "Access: "));
  g_assert_false (gtk_widget_get_sensitive (td_app_test_find_named (form, "form-action")));
  select_in (form, "request-level", "As much as the tier may have");
  /* A reason typed and cleared: the form says it is required. */
  set_entry (form, "request-reason", "x");
  set_entry (form, "request-reason", "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==, "Why they need it: required");
  g_assert_false (gtk_widget_get_sensitive (td_app_test_find_named (form, "form-action")));
  set_entry (form, "request-reason", "Investigates payroll balance tickets from next week");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==,
                   "Database Client (read access) for Tier 2 is approved by the Application "
                   "Support Lead");
  td_app_test_screenshot (form, "team-access-for-other");
  click_form_action (form);
  g_assert_true (wait_until (fixture, form_closed, "request-form"));
  g_free (sql);
  sql = g_strdup_printf (
      "SELECT COUNT (*) FROM access_request WHERE person = '%s' AND requested_by = '%s' AND "
      "tool = 'database-client' AND level = 'read' AND approver_role = 'app-support-lead' AND "
      "status = 'pending' AND reason = 'Investigates payroll balance tickets from next week'",
      analyst, manager);
  g_assert_true (wait_until (fixture, server_has, sql));
  uuid = server_text (fixture, "SELECT uuid FROM access_request WHERE reason = 'Investigates "
                               "payroll balance tickets from next week'");
  approve = g_strdup_printf ("approve-%s", uuid);
  revoke = g_strdup_printf ("revoke-%s", uuid);

  /* The analyst sees it among their requests, but neither withdraws it
   * (the manager asked) nor decides it. */
  switch_user (fixture, "appsupport");
  {
    g_autofree char *row = g_strdup_printf ("request-%s", uuid);
    g_autofree char *withdraw = g_strdup_printf ("withdraw-%s", uuid);
    g_autofree char *pending = g_strdup_printf ("Pending · requested by %s", manager_name);
    Shows            shown = { row, pending };

    g_assert_true (wait_until (fixture, shows, &shown));
    g_assert_true (
        gtk_widget_get_ancestor (td_app_test_find_named (GTK_WIDGET (page (fixture)), row),
                                 ADW_TYPE_PREFERENCES_GROUP)
        == td_app_test_find_named (GTK_WIDGET (page (fixture)), "approvals-mine"));
    g_assert_null (td_app_test_find_named (GTK_WIDGET (page (fixture)), withdraw));
    g_assert_null (td_app_test_find_named (GTK_WIDGET (page (fixture)), approve));
  }

  /* The approver the table names approves it. */
  switch_user (fixture, "lead");
  g_assert_true (wait_until (fixture, has_widget, approve));
  g_signal_emit_by_name (td_app_test_find_named (GTK_WIDGET (page (fixture)), approve), "clicked");
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM access_request WHERE uuid = '%s' AND status = "
                         "'approved' AND decided_by = '%s' AND granted_at > 0",
                         uuid, lead);
  g_assert_true (wait_until (fixture, server_has, sql));
  g_assert_true (wait_until (fixture, has_widget, revoke));

  /* The analyst sees the access granted to them, and may neither revoke
   * it nor file for anyone else. */
  switch_user (fixture, "appsupport");
  {
    g_autofree char *row = g_strdup_printf ("request-%s", uuid);
    g_autofree char *approved = g_strdup_printf ("Approved · requested by %s", manager_name);
    Shows            shown = { row, approved };

    g_assert_true (wait_until (fixture, shows, &shown));
    g_assert_nonnull (gtk_widget_get_ancestor (
        td_app_test_find_named (GTK_WIDGET (page (fixture)), row), ADW_TYPE_PREFERENCES_GROUP));
    g_assert_true (
        gtk_widget_get_ancestor (td_app_test_find_named (GTK_WIDGET (page (fixture)), row),
                                 ADW_TYPE_PREFERENCES_GROUP)
        == td_app_test_find_named (GTK_WIDGET (page (fixture)), "approvals-mine"));
  }
  g_assert_false (has_revoke_button (GTK_WIDGET (page (fixture))));
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.revoke", "(ss)", "access_request",
                              uuid);
  td_app_test_spin (200);
  g_assert_null (find_form ("revoke-dialog"));
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "team.new-access", NULL);
  td_app_test_spin (200);
  form = find_form ("request-form");
  g_assert_nonnull (form);
  g_free (items);
  g_free (expected);
  items = picker_items (form);
  expected = g_strdup_printf ("%s (you)\n", analyst_name);
  g_assert_cmpstr (items, ==, expected);
  g_assert_false (gtk_widget_get_sensitive (td_app_test_find_named (form, "request-person")));
  g_assert_cmpstr (adw_action_row_get_subtitle (
                       ADW_ACTION_ROW (td_app_test_find_named (form, "request-person-row"))),
                   ==, "Only those who keep the directory ask for someone else");
  td_app_test_screenshot (form, "team-access-analyst");
  gtk_window_destroy (GTK_WINDOW (form));

  /* The lead revokes it: the dialog names the person and the tool, and
   * will not revoke without a reason. */
  switch_user (fixture, "lead");
  g_assert_true (wait_until (fixture, has_widget, revoke));
  g_signal_emit_by_name (td_app_test_find_named (GTK_WIDGET (page (fixture)), revoke), "clicked");
  g_assert_true (wait_until (fixture, form_open, "revoke-dialog"));
  dialog = find_form ("revoke-dialog");
  g_assert_nonnull (dialog);
  {
    g_autofree char *heading
        = g_strdup_printf ("Revoke %s’s Access to Database Client?", analyst_name);

    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);
  }
  g_assert_nonnull (
      strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "The reason is required"));
  required = td_app_test_find_named (dialog, "revoke-required");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke"));
  g_assert_true (gtk_widget_get_visible (required));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (required)), ==, "Reason: required");
  set_entry (dialog, "revoke-reason", "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke"));
  g_assert_true (gtk_widget_has_css_class (required, "error"));
  td_app_test_screenshot (dialog, "team-revoke-empty");
  set_entry (dialog, "revoke-reason", "Moved to the service desk");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke"));
  g_assert_false (gtk_widget_get_visible (required));
  td_app_test_screenshot (dialog, "team-revoke");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "revoke");
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM access_request WHERE uuid = '%s' AND status = "
                         "'revoked' AND decided_by = '%s' AND revoked_at >= granted_at AND "
                         "decision_note = 'Moved to the service desk'",
                         uuid, lead);
  g_assert_true (wait_until (fixture, server_has, sql));
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM audit_log WHERE entity_id = '%s' AND action = "
                         "'revoke access_request' AND actor = 'lead'",
                         uuid);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);
  /* The row says Revoked, by whom, and why; nothing is left to revoke. */
  g_assert_true (wait_until (fixture, lacks_widget, revoke));
  {
    g_autofree char *by = g_strdup_printf ("Revoked · requested by %s · revoked by %s on ",
                                           manager_name, lead_name);
    Shows            granted = { "approvals-granted", by };

    g_assert_true (wait_until (fixture, shows, &granted));
    granted.text = "Reason given: Moved to the service desk";
    g_assert_true (shows (fixture, &granted));
  }
  scroll_to_end (fixture);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-revoked");
}

/* PIR participation per person [10.2] */

static gboolean
review_shown (Fixture *fixture, gconstpointer data)
{
  GtkWidget *review = td_app_test_find_toplevel (TD_TYPE_PIR_WINDOW, NULL);

  /* Its row is read once the window is shown. */
  return review != NULL && td_pir_window_get_uuid (TD_PIR_WINDOW (review)) != NULL;
}

static char *
review_fields (const char *held_iso, const char *person, gboolean attended)
{
  return g_strdup_printf ("{\"status\": \"held\", \"held_at\": \"%s\", \"root_cause\": \"A "
                          "full disk on the report server\", \"participants\": [{\"person\": "
                          "\"%s\", \"required\": true, \"attended\": %s}]}",
                          held_iso, person, attended ? "true" : "false");
}

static void
test_pir_participation (Fixture *fixture)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) held = g_date_time_add_hours (now, -3);
  g_autoptr (GDateTime) held_local = g_date_time_to_local (held);
  g_autofree char *held_iso = g_date_time_format_iso8601 (held);
  g_autofree char *held_day = g_date_time_format (held_local, "%Y-%m-%d");
  g_autofree char *person = NULL;
  g_autofree char *attended_fields = NULL;
  g_autofree char *missed_fields = NULL;
  g_autofree char *attended_ticket = NULL;
  g_autofree char *missed_ticket = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *line = NULL;
  g_autofree char *missed_line = NULL;
  gint64           required;
  gint64           missed;

  /* Two reviews of the test's own: one attended, one missed. */
  person = server_text (fixture, "SELECT uuid FROM person WHERE deleted = 0 AND role = "
                                 "'app-support-analyst' ORDER BY name LIMIT 1");
  g_assert_nonnull (person);
  attended_fields = review_fields (held_iso, person, TRUE);
  missed_fields = review_fields (held_iso, person, FALSE);
  attended_ticket = td_test_server_add_review (
      fixture->server, "lead", "Balance export lists leavers twice", attended_fields);
  missed_ticket = td_test_server_add_review (
      fixture->server, "lead", "Leave reports time out for every manager", missed_fields);

  /* The person's numbers, counted in SQL on the server's database. */
  sql = g_strdup_printf ("SELECT count(*) FROM pir, json_each (pir.participants) p WHERE "
                         "pir.deleted = 0 AND pir.status != 'scheduled' AND json_extract "
                         "(p.value, '$.person') = '%s' AND json_extract (p.value, '$.required') "
                         "= 1",
                         person);
  required = td_test_server_query_int (fixture->server, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM pir, json_each (pir.participants) p WHERE "
                         "pir.deleted = 0 AND pir.status != 'scheduled' AND json_extract "
                         "(p.value, '$.person') = '%s' AND json_extract (p.value, '$.required') "
                         "= 1 AND coalesce (json_extract (p.value, '$.attended'), 0) = 0",
                         person);
  missed = td_test_server_query_int (fixture->server, sql);
  g_assert_cmpint (required, >=, 2);
  g_assert_cmpint (missed, >=, 1);

  sign_in_as (fixture, "lead");
  select_person (fixture, person);
  line = g_strdup_printf ("Attended %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " required reviews",
                          required - missed, required);
  missed_line = g_strdup_printf ("Missed · SEV-2 · held %s", held_day);
  {
    Shows participation = { "person-pir-participation", line };

    if (!wait_until (fixture, shows, &participation))
      {
        GtkWidget *group
            = td_app_test_find_named (GTK_WIDGET (page (fixture)), participation.widget);
        g_autofree char *text
            = group != NULL ? td_app_test_widget_text (group) : g_strdup ("(no group)");
        g_error ("the person's reviews do not say \"%s\"; they say:\n%s", line, text);
      }
    /* The missed one is listed, for a manager to follow up. */
    participation.text = "Leave reports time out for every manager";
    g_assert_true (shows (fixture, &participation));
    participation.text = missed_line;
    g_assert_true (shows (fixture, &participation));
    /* The attended one is not. */
    participation.text = "Balance export lists leavers twice";
    g_assert_false (shows (fixture, &participation));
  }
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (
        td_app_test_find_named (GTK_WIDGET (page (fixture)), "person-pir-participation"),
        GTK_TYPE_SCROLLED_WINDOW);

    if (scrolled != NULL)
      {
        GtkAdjustment *scroll
            = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
        gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
      }
    td_app_test_spin (300);
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "team-pir-participation");

  /* The missed review opens. */
  {
    GtkWidget *row = td_app_test_find_row (GTK_WIDGET (page (fixture)),
                                           "Leave reports time out for every manager");
    GtkWidget *review;

    g_assert_nonnull (row);
    g_signal_emit_by_name (row, "activated");
    g_assert_true (wait_until (fixture, review_shown, NULL));
    review = td_app_test_find_toplevel (TD_TYPE_PIR_WINDOW, NULL);
    g_free (sql);
    sql = g_strdup_printf ("SELECT count(*) FROM pir WHERE ticket = '%s' AND uuid = '%s'",
                           missed_ticket, td_pir_window_get_uuid (TD_PIR_WINDOW (review)));
    g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 1);
    gtk_window_destroy (GTK_WINDOW (review));
  }
}

typedef struct
{
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
      fixture_set_up (&fixture, test->demo_data);
      test->func (&fixture);
      fixture_tear_down (&fixture);
      return;
    }
  g_test_trap_subprocess (NULL, 150 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  static const TestCase people_and_card = { test_people_and_card, TRUE };
  static const TestCase file_and_approve = { test_file_and_approve, TRUE };
  static const TestCase fill_position = { test_fill_position, FALSE };
  static const TestCase access_for_others = { test_access_for_others, TRUE };
  static const TestCase pir_participation = { test_pir_participation, TRUE };

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/app/team/people-and-card", &people_and_card, run_isolated);
  g_test_add_data_func ("/app/team/file-and-approve", &file_and_approve, run_isolated);
  g_test_add_data_func ("/app/team/fill-position", &fill_position, run_isolated);
  g_test_add_data_func ("/app/team/access-for-others", &access_for_others, run_isolated);
  g_test_add_data_func ("/app/team/pir-participation", &pir_participation, run_isolated);
  return g_test_run ();
}
