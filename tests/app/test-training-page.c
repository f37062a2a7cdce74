/* test-training-page.c — the Training page as a trainer uses it, against a real tierdeskd
 *
 * Each test runs in a subprocess with a home and a session bus of its own,
 * starts tierdeskd with the demo data (300 people, their training) and
 * signs in through the connect form as the demo trainer. It then works the
 * page's widgets: it records one session for two people in the dialog,
 * edits and deletes a record, filters the matrix and exports it, and reads
 * what the page shows. What reached the server is read from its database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "td-app-test.h"
#include "td-application.h"
#include "td-csv.h"
#include "td-test-server.h"
#include "td-test-util.h"
#include "td-curriculum-window.h"
#include "td-training-page.h"
#include "td-training-session-dialog.h"
#include "td-window.h"

typedef struct
{
  char          *home;
  GSubprocess   *bus;
  TdTestServer  *server;
  TdApplication *app;
  TdWindow      *window;
} Fixture;

static const char *const accounts[] = { "trainer:trainer", "analyst:service-desk-analyst", NULL };

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

static gboolean
wait_until (Fixture *fixture, Predicate done, gconstpointer data)
{
  return td_app_test_wait ((TdAppTestDone) done, fixture, data, 20);
}

static TdTrainingPage *
page (Fixture *fixture)
{
  return td_window_get_training_page (fixture->window);
}

static TdTrainingTracker *
tracker (Fixture *fixture)
{
  return td_training_page_get_tracker (page (fixture));
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
server_exec (Fixture *fixture, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->server->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Set-up */

static void
fixture_set_up (Fixture *fixture)
{
  fixture->home = td_app_test_isolate (&fixture->bus);
  if (!gtk_init_check ())
    g_error ("test-training-page needs a display: run it under xvfb-run (./run test does)");
  adw_init ();

  fixture->server = td_test_server_new (accounts);
  g_assert_cmpint (td_test_tierdeskd (NULL, NULL, "demo-data", "--db", fixture->server->db,
                                      "--tickets", "50", NULL),
                   ==, 0);
  /* The trainer account is the demo directory's trainer, so it can sign off. */
  server_exec (fixture, "UPDATE account SET person = (SELECT uuid FROM person WHERE role = "
                        "'trainer' ORDER BY name LIMIT 1) WHERE username = 'trainer'");
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

/* The first pull is over and the page shows every record the cache has. */
static gboolean
has_people (Fixture *fixture, gconstpointer data)
{
  TdCache   *cache = td_session_get_cache (session (fixture));
  GPtrArray *people = td_training_tracker_get_people (tracker (fixture));
  gint64     records = 0;

  if (!is_idle (fixture, NULL) || td_cache_get_last_sync (cache) == 0)
    return FALSE;
  for (guint i = 0; i < people->len; i++)
    {
      g_autoptr (GPtrArray) list = td_training_tracker_list_completions (
          tracker (fixture), ((TdTrainee *) people->pdata[i])->uuid);
      records += list->len;
    }
  return people->len >= 100 && records >= 1000
         && records == td_cache_count (cache, "training_record");
}

static void
sign_in (Fixture *fixture, const char *user)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);

  td_connect_view_sign_in (td_window_get_connect_view (fixture->window), url, user,
                           TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "training");
  g_assert_true (wait_until (fixture, has_people, NULL));
  td_app_test_spin (300);
}

static GDate
today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return day;
}

/* The first topic that two people of its tier have not done (or not
 * lately), and those two: recording it turns both to "Done". */
static const TdTrainingTopic *
two_without (Fixture *fixture, char **first, char **second)
{
  GPtrArray *people = td_training_tracker_get_people (tracker (fixture));
  g_autoptr (GPtrArray) topics = td_training_tracker_get_topics (tracker (fixture));
  GDate day = today ();

  for (guint t = 0; t < topics->len; t++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, t);

      g_clear_pointer (first, g_free);
      g_clear_pointer (second, g_free);
      for (guint i = 0; i < people->len && *second == NULL; i++)
        {
          const TdTrainee *trainee = g_ptr_array_index (people, i);
          TdTrainingState  state;

          td_training_tracker_get_state (tracker (fixture), trainee->uuid, topic->id, &day, &state);
          if (state.status == TD_TRAINING_NOT_REQUIRED || state.status == TD_TRAINING_DONE)
            continue;
          if (*first == NULL)
            *first = g_strdup (trainee->uuid);
          else
            *second = g_strdup (trainee->uuid);
        }
      if (*second != NULL)
        return topic;
    }
  g_error ("everyone in the demo data is up to date on everything");
}

static TdTrainingSessionDialog *
open_dialog (Fixture *fixture, const char *action, const char *record)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), action, record != NULL ? "s" : NULL,
                              record);
  td_app_test_spin (100);
  dialog = td_app_test_find_toplevel (TD_TYPE_TRAINING_SESSION_DIALOG, NULL);
  g_assert_nonnull (dialog);
  return TD_TRAINING_SESSION_DIALOG (dialog);
}

static char *
error_text (GtkWidget *dialog)
{
  return td_app_test_widget_text (td_app_test_find_named (dialog, "session-error"));
}

/* The status pill of @topic_name in the person panel. */
typedef struct
{
  const char *person;
  const char *topic;
} PanelRow;

static gboolean
panel_has_row (Fixture *fixture, gconstpointer data)
{
  const PanelRow *wanted = data;
  GtkWidget      *header
      = td_app_test_find_named (GTK_WIDGET (page (fixture)), "training-person-header");
  g_autofree char *name = header != NULL ? td_app_test_widget_text (header) : NULL;

  return name != NULL && g_str_has_prefix (name, wanted->person)
         && td_app_test_find_row (GTK_WIDGET (page (fixture)), wanted->topic) != NULL;
}

/* The status of @topic_name in the person panel, once it shows @person
 * (the panel is filled when the page is on screen). */
static char *
panel_status (Fixture *fixture, const char *person, const char *topic_name)
{
  PanelRow         wanted = { NULL, topic_name };
  const TdTrainee *trainee = td_training_tracker_get_person (tracker (fixture), person);

  g_assert_nonnull (trainee);
  wanted.person = trainee->name;
  td_training_page_select_person (page (fixture), person);
  if (!wait_until (fixture, panel_has_row, &wanted))
    g_error ("no row \"%s\" for %s in the page", topic_name, wanted.person);
  return td_app_test_widget_text (td_app_test_find_row (GTK_WIDGET (page (fixture)), topic_name));
}

typedef struct
{
  const char *sql;
  gint64      expected;
} Count;

static gboolean
server_counts (Fixture *fixture, gconstpointer data)
{
  const Count *count = data;
  return td_test_server_query_int (fixture->server, count->sql) == count->expected;
}

static gboolean
has_column (Fixture *fixture, gconstpointer title)
{
  GtkWidget  *matrix = td_app_test_find_named (GTK_WIDGET (page (fixture)), "training-matrix");
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (matrix));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Tests */

static void
test_record_session (Fixture *fixture)
{
  g_autofree char         *first = NULL;
  g_autofree char         *second = NULL;
  g_autofree char         *before = NULL;
  g_autofree char         *after = NULL;
  g_autofree char         *error = NULL;
  g_autofree char         *sql = NULL;
  g_autofree char         *signed_sql = NULL;
  TdTrainingSessionDialog *dialog;
  GtkWidget               *check;
  char                     date[16];
  GDate                    day = today ();
  const TdTrainingTopic   *topic;
  g_autofree char         *combo_text = NULL;
  g_autofree char         *topic_id = NULL;
  g_autofree char         *topic_name = NULL;
  guint                    minutes;
  double                   hours;

  sign_in (fixture, "trainer");
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "training");

  topic = two_without (fixture, &first, &second);
  /* The page's tracker is replaced on reload: keep what the checks need. */
  topic_id = g_strdup (topic->id);
  topic_name = g_strdup (topic->topic);
  minutes = (guint) (topic->hours * 60);
  hours = topic->hours;
  combo_text = g_strdup_printf ("Tier %d · %s", topic->tier, topic->topic);
  before = panel_status (fixture, first, topic_name);
  g_assert_null (strstr (before, "Done"));

  dialog = open_dialog (fixture, "training.record-session", NULL);
  td_app_test_select (td_app_test_find_row (GTK_WIDGET (dialog), "Topic"), combo_text);
  td_app_test_spin (50);
  /* The person chosen in the panel is ticked already; tick the second. */
  check = td_app_test_find_named (GTK_WIDGET (dialog), first);
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  check = td_app_test_find_named (GTK_WIDGET (dialog), second);
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  /* The curriculum's hours are offered. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                         td_app_test_find_named (GTK_WIDGET (dialog), "session-hours"))),
                     ==, hours);
  td_app_test_screenshot (GTK_WIDGET (dialog), "training-session");

  /* A date that is not one is named, and nothing is written. */
  gtk_editable_set_text (
      GTK_EDITABLE (td_app_test_find_row (GTK_WIDGET (dialog), "Date (YYYY-MM-DD)")), "2026-13-45");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "session.save", NULL);
  error = error_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (error, "Date: “2026-13-45” is not a date"));
  g_assert_nonnull (td_app_test_find_toplevel (TD_TYPE_TRAINING_SESSION_DIALOG, NULL));

  g_date_strftime (date, sizeof date, "%Y-%m-%d", &day);
  gtk_editable_set_text (
      GTK_EDITABLE (td_app_test_find_row (GTK_WIDGET (dialog), "Date (YYYY-MM-DD)")), date);
  gtk_switch_set_active (
      GTK_SWITCH (td_app_test_find_named (GTK_WIDGET (dialog), "session-sign-off")), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "session.save", NULL);
  td_app_test_spin (100);
  g_assert_null (td_app_test_find_toplevel (TD_TYPE_TRAINING_SESSION_DIALOG, NULL));

  /* Both reached the server, signed off by the trainer, two hours each. */
  sql = g_strdup_printf ("SELECT count(*) FROM training_record WHERE topic = '%s' AND "
                         "completed_on = '%s' AND minutes = %u AND person IN ('%s', '%s') "
                         "AND deleted = 0",
                         topic_id, date, minutes, first, second);
  {
    Count count = { sql, 2 };
    g_assert_true (wait_until (fixture, server_counts, &count));
  }
  signed_sql = g_strdup_printf ("SELECT count(*) FROM training_record WHERE topic = '%s' AND "
                                "completed_on = '%s' AND person IN ('%s', '%s') AND "
                                "signed_off_by = (SELECT person FROM account WHERE username = "
                                "'trainer')",
                                topic_id, date, first, second);
  g_assert_cmpint (td_test_server_query_int (fixture->server, signed_sql), ==, 2);

  /* And the page says so: the status changed for both. */
  g_assert_true (wait_until (fixture, is_idle, NULL));
  td_app_test_spin (300);
  after = panel_status (fixture, first, topic_name);
  g_assert_nonnull (strstr (after, "Done"));
  {
    g_autofree char *other = NULL;
    TdTrainingState  state;

    td_training_tracker_get_state (tracker (fixture), second, topic_id, &day, &state);
    g_assert_cmpint (state.status, ==, TD_TRAINING_DONE);
    other = panel_status (fixture, second, topic_name);
    g_assert_nonnull (strstr (other, "Done"));
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "training-recorded");
}

static void
on_notification (TdTrainingPage *page, const char *title, const char *body, GPtrArray *titles)
{
  g_ptr_array_add (titles, g_strdup (title));
}

static gboolean
notified (Fixture *fixture, gconstpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

/* Someone up to date whose one record of an onboarding topic is their only
 * one, long after it was due: deleting it makes them overdue. */
static const TdTrainee *
find_up_to_date (Fixture *fixture, char **record)
{
  GPtrArray *people = td_training_tracker_get_people (tracker (fixture));
  GDate      day = today ();

  for (guint i = 0; i < people->len; i++)
    {
      const TdTrainee *trainee = people->pdata[i];
      g_autoptr (GPtrArray) records = NULL;

      if (td_training_tracker_get_worst (tracker (fixture), trainee->uuid, &day)
          != TD_TRAINING_DONE)
        continue;
      records = td_training_tracker_list_completions (tracker (fixture), trainee->uuid);
      for (guint j = 0; j < records->len; j++)
        {
          const TdTrainingCompletion *completion = records->pdata[j];
          const TdTrainingTopic      *topic
              = td_training_tracker_get_topic (tracker (fixture), completion->topic);
          TdTrainingState state;

          td_training_tracker_get_state (tracker (fixture), trainee->uuid, completion->topic, &day,
                                         &state);
          if (topic != NULL && topic->frequency == TD_TRAINING_ONBOARDING && state.n_done == 1
              && g_date_days_between (&trainee->start_date, &day) > 60)
            {
              *record = g_strdup (completion->uuid);
              return trainee;
            }
        }
    }
  g_error ("no one in the demo data is up to date with an onboarding record");
}

static void
test_edit_and_delete (Fixture *fixture)
{
  const TdTrainee *someone;
  g_autofree char *person = NULL;
  g_autofree char *name = NULL;
  g_autofree char *record = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *history = NULL;
  g_autofree char *expected_title = NULL;
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  TdTrainingSessionDialog *dialog;
  GtkWidget               *confirm;

  sign_in (fixture, "trainer");
  g_signal_connect (page (fixture), "notification", G_CALLBACK (on_notification), titles);

  someone = find_up_to_date (fixture, &record);
  person = g_strdup (someone->uuid);
  name = g_strdup (someone->name);
  td_training_page_select_person (page (fixture), person);

  /* Edit: 3.5 hours. */
  dialog = open_dialog (fixture, "training.edit-record", record);
  gtk_spin_button_set_value (
      GTK_SPIN_BUTTON (td_app_test_find_named (GTK_WIDGET (dialog), "session-hours")), 3.5);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "session.save", NULL);
  sql = g_strdup_printf ("SELECT count(*) FROM training_record WHERE uuid = '%s' AND minutes = 210",
                         record);
  {
    Count count = { sql, 1 };
    g_assert_true (wait_until (fixture, server_counts, &count));
  }

  /* Delete, after saying yes. */
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "training.delete-record", "s", record);
  td_app_test_spin (100);
  confirm = td_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);
  g_assert_nonnull (confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), ==,
                   "Delete This Record?");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "delete");
  {
    GDate day = today ();
    g_autoptr (GPtrArray) overdue
        = td_training_tracker_list_overdue (tracker (fixture), person, 0, &day);
    g_test_message ("after the deletion %s has %u topics overdue; %u notifications", name,
                    overdue->len, titles->len);
  }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM training_record WHERE uuid = '%s' AND deleted = 1",
                         record);
  {
    Count count = { sql, 1 };
    g_assert_true (wait_until (fixture, server_counts, &count));
  }

  /* The history kept both, and the panel shows it after the next pull. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM training_change WHERE record = '%s' AND kind IN "
                         "('edited', 'deleted')",
                         record);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync-now", NULL);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  td_app_test_spin (400);
  td_training_page_select_person (page (fixture), person);
  history = td_app_test_widget_text (GTK_WIDGET (page (fixture)));
  g_assert_nonnull (strstr (history, "deleted by"));
  g_assert_nonnull (strstr (history, "minutes"));

  /* A trainer answers for everyone: they are told this person is overdue now. */
  g_assert_true (wait_until (fixture, notified, titles));
  expected_title = g_strdup_printf ("%s is overdue on training", name);
  g_assert_cmpstr (titles->pdata[0], ==, expected_title);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "training-history");
}

static void
test_filter_and_export (Fixture *fixture)
{
  g_autofree char *csv = NULL;
  g_autofree char *summary = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *status;
  GDate      day = today ();

  sign_in (fixture, "trainer");

  summary = td_app_test_widget_text (GTK_WIDGET (page (fixture)));
  g_assert_nonnull (strstr (summary, " overdue · "));

  /* Overdue only: every row exported is someone with an overdue topic. */
  status = td_app_test_find_named (GTK_WIDGET (page (fixture)), "training-status");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 1);
  td_app_test_spin (100);
  csv = td_training_page_matrix_csv (page (fixture));
  rows = td_csv_parse (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 1);
  for (guint i = 1; i < rows->len; i++)
    {
      char   **row = rows->pdata[i];
      gboolean overdue = FALSE;

      for (guint j = 3; row[j] != NULL; j += 2)
        overdue |= g_str_equal (row[j], "overdue");
      g_assert_true (overdue);
    }

  /* Every cell of the export equals the tracker. */
  {
    GPtrArray *people = td_training_tracker_get_people (tracker (fixture));
    g_autoptr (GPtrArray) topics = td_training_tracker_get_topics (tracker (fixture));
    char **header = rows->pdata[0];
    guint  checked = 0;

    for (guint i = 1; i < rows->len; i++)
      {
        char **row = rows->pdata[i];
        for (guint p = 0; p < people->len; p++)
          {
            const TdTrainee *trainee = people->pdata[p];
            if (g_strcmp0 (trainee->name, row[0]) != 0)
              continue;
            for (guint t = 0; t < topics->len; t++)
              {
                TdTrainingState state;
                td_training_tracker_get_state (tracker (fixture), trainee->uuid,
                                               ((TdTrainingTopic *) topics->pdata[t])->id, &day,
                                               &state);
                g_assert_cmpstr (header[3 + 2 * t], ==,
                                 ((TdTrainingTopic *) topics->pdata[t])->topic);
                g_assert_cmpstr (row[3 + 2 * t], ==, td_training_status_to_string (state.status));
                checked++;
              }
          }
      }
    g_assert_cmpuint (checked, >, 0);
  }

  /* Tier 3 only: the matrix shows the Tier 3 curriculum's columns. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 0);
  {
    GtkWidget  *tier = td_app_test_find_named (GTK_WIDGET (page (fixture)), "training-tier");
    GtkWidget  *matrix = td_app_test_find_named (GTK_WIDGET (page (fixture)), "training-matrix");
    GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (tier));
    GListModel *columns;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);
        if (g_str_equal (gtk_string_object_get_string (item), "Tier 3"))
          gtk_drop_down_set_selected (GTK_DROP_DOWN (tier), i);
      }
    td_app_test_spin (100);
    columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (matrix));
    /* Person, Status, Onboarding, then the five Tier 3 topics. */
    g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 8);
    {
      g_autoptr (GtkColumnViewColumn) last = g_list_model_get_item (columns, 7);
      g_assert_cmpstr (gtk_column_view_column_get_title (last), ==, "On-Call Procedures");
    }
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "training-tier3");
}

/* A trainer changes a topic's hours and adds a topic in the curriculum
 * window; the server has both, and the matrix gets the new column. */
static void
test_edit_curriculum (Fixture *fixture)
{
  GtkWidget       *window;
  GtkWidget       *row;
  GtkWidget       *hours;
  g_autofree char *title = NULL;

  sign_in (fixture, "trainer");
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "training.edit-curriculum", NULL);
  td_app_test_spin (100);
  window = td_app_test_find_toplevel (TD_TYPE_CURRICULUM_WINDOW, NULL);
  g_assert_nonnull (window);
  /* The policy's curriculum, by tier. */
  g_assert_nonnull (td_app_test_find_row (window, "Refresher Training"));
  td_app_test_screenshot (window, "training-curriculum");

  /* Refresher Training: 2 → 3 hours. */
  gtk_widget_activate_action (window, "curriculum.edit", "s", "t1-refresher");
  row = td_app_test_find_row (window, "Topic");
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Refresher Training");
  hours = td_app_test_find_named (window, "curriculum-hours");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (hours), 3);
  gtk_widget_activate_action (window, "curriculum.save", NULL);
  {
    Count count = { "SELECT count(*) FROM training_topic WHERE topic_id = 't1-refresher' AND "
                    "minutes = 180 AND frequency = 'quarterly' AND retired = 0",
                    1 };
    g_assert_true (wait_until (fixture, server_counts, &count));
  }

  /* A new Tier 1 topic; a blank name is refused first, naming the field. */
  gtk_widget_activate_action (window, "curriculum.add", NULL);
  row = td_app_test_find_row (window, "Topic");
  gtk_editable_set_text (GTK_EDITABLE (row), "   ");
  gtk_widget_activate_action (window, "curriculum.save", NULL);
  title = td_app_test_widget_text (window);
  g_assert_nonnull (strstr (title, "Topic: give the topic a name."));
  gtk_editable_set_text (GTK_EDITABLE (row), "Accessibility Basics");
  gtk_widget_activate_action (window, "curriculum.save", NULL);
  {
    Count count = { "SELECT count(*) FROM training_topic WHERE topic_id = "
                    "'t1-accessibility-basics' AND tier = 1 AND topic = 'Accessibility Basics'",
                    1 };
    g_assert_true (wait_until (fixture, server_counts, &count));
  }
  gtk_window_close (GTK_WINDOW (window));

  /* The matrix shows the new topic as a column. */
  g_assert_true (wait_until (fixture, has_column, "Accessibility Basics"));
}

static void
test_analyst_may_not_record (Fixture *fixture)
{

  sign_in (fixture, "analyst");
  /* A Tier 1 analyst sees the matrix but is not offered recording. */
  g_assert_false (gtk_widget_is_sensitive (
      td_app_test_find_named (GTK_WIDGET (page (fixture)), "training-record")));
  g_assert_cmpuint (td_training_tracker_get_people (tracker (fixture))->len, >=, 100);
}

static void
run_isolated (gconstpointer data)
{
  void (*func) (Fixture *) = data;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      fixture_set_up (&fixture);
      g_test_log_set_fatal_handler (td_app_test_tolerate_notifications, NULL);
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

  g_test_add_data_func ("/app/training/record-session", test_record_session, run_isolated);
  g_test_add_data_func ("/app/training/edit-and-delete", test_edit_and_delete, run_isolated);
  g_test_add_data_func ("/app/training/filter-and-export", test_filter_and_export, run_isolated);
  g_test_add_data_func ("/app/training/edit-curriculum", test_edit_curriculum, run_isolated);
  g_test_add_data_func ("/app/training/analyst-may-not-record", test_analyst_may_not_record,
                        run_isolated);
  return g_test_run ();
}
