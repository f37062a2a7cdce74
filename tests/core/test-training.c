/* test-training.c — the training tracker [11]: due dates, status, onboarding hours, CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-csv.h"
#include "td-time.h"
#include "td-training.h"

#include "td-test-util.h"

#include <string.h>

static GDate
date (const char *text)
{
  GDate out;

  g_date_clear (&out, 1);
  g_assert_true (td_time_parse_date (text, &out));
  return out;
}

static void
assert_date (const GDate *actual, const char *expected)
{
  char text[16] = "(invalid)";

  if (g_date_valid (actual))
    g_date_strftime (text, sizeof text, "%Y-%m-%d", actual);
  g_assert_cmpstr (text, ==, expected);
}

static void
add_person (TdTrainingTracker *tracker,
            const char        *uuid,
            const char        *name,
            int                tier,
            const char        *team,
            const char        *start)
{
  TdTrainee *trainee = g_new0 (TdTrainee, 1);

  trainee->uuid = g_strdup (uuid);
  trainee->name = g_strdup (name);
  trainee->tier = tier;
  trainee->team = g_strdup (team);
  g_date_clear (&trainee->start_date, 1);
  if (start != NULL)
    trainee->start_date = date (start);
  td_training_tracker_add_person (tracker, trainee);
}

static void
add_completion (TdTrainingTracker *tracker,
                const char        *uuid,
                const char        *person,
                const char        *topic,
                const char        *on,
                guint              minutes)
{
  TdTrainingCompletion *completion = g_new0 (TdTrainingCompletion, 1);

  completion->uuid = g_strdup (uuid);
  completion->person = g_strdup (person);
  completion->topic = g_strdup (topic);
  completion->completed_on = date (on);
  completion->minutes = minutes;
  td_training_tracker_add_completion (tracker, completion);
}

static TdTrainingStatus
status_on (TdTrainingTracker *tracker, const char *person, const char *topic, const char *today)
{
  TdTrainingState state;
  GDate           day = date (today);

  td_training_tracker_get_state (tracker, person, topic, &day, &state);
  return state.status;
}

static TdTrainingTracker *
new_tracker (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();

  return td_training_tracker_new (policy);
}

static void
test_add_months (void)
{
  struct
  {
    const char *from;
    guint       months;
    const char *expected;
  } cases[] = {
    { "2026-01-31", 3, "2026-04-30" },  /* April has 30 days */
    { "2026-11-30", 3, "2027-02-28" },  /* into a common February */
    { "2027-11-30", 3, "2028-02-29" },  /* into a leap February */
    { "2028-02-29", 12, "2029-02-28" }, /* a leap day a year on */
    { "2028-02-29", 48, "2032-02-29" }, /* and four years on */
    { "2026-12-31", 3, "2027-03-31" },  /* across the year */
    { "2026-03-15", 12, "2027-03-15" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate from = date (cases[i].from);
      GDate out;

      td_training_add_months (&from, cases[i].months, &out);
      assert_date (&out, cases[i].expected);
    }
}

static void
test_onboarding_due (void)
{
  g_autoptr (TdTrainingTracker) tracker = new_tracker ();
  TdTrainingState state;
  GDate           today = date ("2026-02-01");

  /* 30 days after a start on the last of January: 2 March. */
  add_person (tracker, "ana", "Ana", 1, "Service Desk", "2026-01-31");
  /* 30 days after 1 February: 2 March in a leap year, 3 March otherwise. */
  add_person (tracker, "ben", "Ben", 1, "Service Desk", "2028-02-01");
  add_person (tracker, "cal", "Cal", 1, "Service Desk", "2027-02-01");

  td_training_tracker_get_state (tracker, "ana", "t1-ticketing", &today, &state);
  g_assert_cmpint (state.status, ==, TD_TRAINING_TO_DO);
  assert_date (&state.due, "2026-03-02");
  g_assert_false (g_date_valid (&state.last_done));

  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2026-02-15"), ==, TD_TRAINING_TO_DO);
  /* 14 days before is "due soon", the due date itself too, the day after overdue. */
  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2026-02-16"), ==,
                   TD_TRAINING_DUE_SOON);
  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2026-03-02"), ==,
                   TD_TRAINING_DUE_SOON);
  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2026-03-03"), ==,
                   TD_TRAINING_OVERDUE);

  today = date ("2028-02-02");
  td_training_tracker_get_state (tracker, "ben", "t1-ticketing", &today, &state);
  assert_date (&state.due, "2028-03-02");
  today = date ("2027-02-02");
  td_training_tracker_get_state (tracker, "cal", "t1-ticketing", &today, &state);
  assert_date (&state.due, "2027-03-03");

  /* Done once, for good, however late. */
  add_completion (tracker, "r1", "ana", "t1-ticketing", "2026-03-10", 120);
  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2030-01-01"), ==, TD_TRAINING_DONE);
  today = date ("2026-03-11");
  td_training_tracker_get_state (tracker, "ana", "t1-ticketing", &today, &state);
  assert_date (&state.last_done, "2026-03-10");
  g_assert_cmpuint (state.n_done, ==, 1);
}

static void
test_recurring_due (void)
{
  g_autoptr (TdTrainingTracker) tracker = new_tracker ();
  TdTrainingState state;
  GDate           today;

  add_person (tracker, "ana", "Ana", 1, "Service Desk", "2025-06-01");
  add_person (tracker, "eve", "Eve", 3, "Engineering", "2025-06-01");

  /* Never done: first due like an onboarding topic. */
  today = date ("2025-06-10");
  td_training_tracker_get_state (tracker, "ana", "t1-refresher", &today, &state);
  assert_date (&state.due, "2025-07-01");

  /* Quarterly from the last of November: the end of February. */
  add_completion (tracker, "q1", "ana", "t1-refresher", "2026-08-31", 120);
  add_completion (tracker, "q2", "ana", "t1-refresher", "2026-11-30", 120);
  today = date ("2027-01-01");
  td_training_tracker_get_state (tracker, "ana", "t1-refresher", &today, &state);
  g_assert_cmpint (state.status, ==, TD_TRAINING_DONE);
  assert_date (&state.due, "2027-02-28");
  assert_date (&state.last_done, "2026-11-30");
  g_assert_cmpuint (state.n_done, ==, 2);
  g_assert_cmpint (status_on (tracker, "ana", "t1-refresher", "2027-02-13"), ==, TD_TRAINING_DONE);
  g_assert_cmpint (status_on (tracker, "ana", "t1-refresher", "2027-02-14"), ==,
                   TD_TRAINING_DUE_SOON);
  g_assert_cmpint (status_on (tracker, "ana", "t1-refresher", "2027-03-01"), ==,
                   TD_TRAINING_OVERDUE);

  /* Annual from a leap day: 28 February the next year. */
  add_completion (tracker, "a1", "eve", "t3-security", "2028-02-29", 240);
  today = date ("2028-03-01");
  td_training_tracker_get_state (tracker, "eve", "t3-security", &today, &state);
  assert_date (&state.due, "2029-02-28");
  g_assert_cmpint (status_on (tracker, "eve", "t3-security", "2029-03-01"), ==,
                   TD_TRAINING_OVERDUE);

  /* The order records are added in does not matter: the latest counts. */
  add_completion (tracker, "a0", "eve", "t3-security", "2027-01-15", 240);
  td_training_tracker_get_state (tracker, "eve", "t3-security", &today, &state);
  assert_date (&state.last_done, "2028-02-29");

  /* Deleting the latest brings the earlier one back. */
  td_training_tracker_remove_completion (tracker, "a1");
  td_training_tracker_get_state (tracker, "eve", "t3-security", &today, &state);
  assert_date (&state.due, "2028-01-15");
  g_assert_cmpint (state.status, ==, TD_TRAINING_OVERDUE);
}

static void
test_time_zone_edges (void)
{
  g_autoptr (TdTrainingTracker) tracker = new_tracker ();
  TdInstant instant;
  GDate     today;

  /* 23:30 UTC on the due date: still that day in Los Angeles and London,
   * already the next day in Tokyo, where the topic is overdue. */
  g_assert_true (td_time_parse_instant ("2026-03-02T23:30:00Z", &instant));
  add_person (tracker, "ana", "Ana", 1, "Service Desk", "2026-01-31");

  td_training_today (instant, "America/Los_Angeles", &today);
  assert_date (&today, "2026-03-02");
  td_training_today (instant, "Europe/London", &today);
  assert_date (&today, "2026-03-02");
  td_training_today (instant, "Asia/Tokyo", &today);
  assert_date (&today, "2026-03-03");
  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2026-03-03"), ==,
                   TD_TRAINING_OVERDUE);

  /* A zone this machine does not know reads as UTC. */
  td_training_today (instant, "Mars/Olympus_Mons", &today);
  assert_date (&today, "2026-03-02");

  /* New Year's Eve in UTC is New Year's Day in Auckland (UTC+13). */
  g_assert_true (td_time_parse_instant ("2026-12-31T12:00:00Z", &instant));
  td_training_today (instant, "Pacific/Auckland", &today);
  assert_date (&today, "2027-01-01");
}

static void
test_not_required (void)
{
  g_autoptr (TdTrainingTracker) tracker = new_tracker ();
  TdTrainingTopic topic
      = { (char *) "t1-ticketing", 1, (char *) "Ticketing System", 2, TD_TRAINING_ONBOARDING };
  TdTrainingState state;
  GDate           today = date ("2026-06-01");
  g_autoptr (GPtrArray) topics = NULL;

  add_person (tracker, "ana", "Ana", 1, "Service Desk", "2026-01-01");
  add_person (tracker, "tom", "Tom", 0, NULL, "2026-01-01");
  add_person (tracker, "new", "Nia", 1, "Service Desk", NULL);

  /* Another tier's topic, or no tier at all. */
  g_assert_cmpint (status_on (tracker, "ana", "t2-deep-dive", "2026-06-01"), ==,
                   TD_TRAINING_NOT_REQUIRED);
  g_assert_cmpint (status_on (tracker, "tom", "t1-ticketing", "2026-06-01"), ==,
                   TD_TRAINING_NOT_REQUIRED);
  /* No start date: required, but nothing is due yet. */
  td_training_tracker_get_state (tracker, "new", "t1-ticketing", &today, &state);
  g_assert_cmpint (state.status, ==, TD_TRAINING_TO_DO);
  g_assert_false (g_date_valid (&state.due));

  /* A retired topic is nobody's, and leaves the curriculum. */
  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2026-06-01"), ==,
                   TD_TRAINING_OVERDUE);
  td_training_tracker_set_topic (tracker, &topic, TRUE);
  g_assert_cmpint (status_on (tracker, "ana", "t1-ticketing", "2026-06-01"), ==,
                   TD_TRAINING_NOT_REQUIRED);
  topics = td_training_tracker_get_topics (tracker);
  g_assert_cmpuint (topics->len, ==, 15);
  for (guint i = 0; i < topics->len; i++)
    g_assert_cmpstr (((TdTrainingTopic *) topics->pdata[i])->id, !=, "t1-ticketing");

  /* An edited topic keeps its place; a new one goes last. */
  td_training_tracker_set_topic (tracker, &topic, FALSE);
  topic.id = (char *) "t1-accessibility";
  topic.topic = (char *) "Accessibility Basics";
  td_training_tracker_set_topic (tracker, &topic, FALSE);
  g_clear_pointer (&topics, g_ptr_array_unref);
  topics = td_training_tracker_get_topics (tracker);
  g_assert_cmpuint (topics->len, ==, 17);
  g_assert_cmpstr (((TdTrainingTopic *) topics->pdata[1])->id, ==, "t1-ticketing");
  g_assert_cmpstr (((TdTrainingTopic *) topics->pdata[16])->id, ==, "t1-accessibility");
}

static void
test_onboarding_progress (void)
{
  g_autoptr (TdTrainingTracker) tracker = new_tracker ();
  TdOnboardingProgress progress;

  add_person (tracker, "bo", "Bo", 2, "Applications", "2026-05-04");
  td_training_tracker_get_onboarding (tracker, "bo", &progress);
  /* Tier 2 onboarding is 8 + 4 + 4 + 4 + 4 = 24 hours [11.2]; Advanced
   * Training is quarterly, so not onboarding. */
  g_assert_cmpuint (progress.required_minutes, ==, 24 * 60);
  g_assert_cmpuint (progress.topics_required, ==, 5);
  g_assert_cmpuint (progress.done_minutes, ==, 0);

  /* 8 h deep dive; 10 h on the data model counts as its 4 h; 3 h of
   * configuration counts as 3 h; the quarterly topic counts for nothing. */
  add_completion (tracker, "r1", "bo", "t2-deep-dive", "2026-05-05", 8 * 60);
  add_completion (tracker, "r2", "bo", "t2-data-model", "2026-05-06", 6 * 60);
  add_completion (tracker, "r3", "bo", "t2-data-model", "2026-05-07", 4 * 60);
  add_completion (tracker, "r4", "bo", "t2-configuration", "2026-05-08", 3 * 60);
  add_completion (tracker, "r5", "bo", "t2-advanced", "2026-05-09", 4 * 60);
  td_training_tracker_get_onboarding (tracker, "bo", &progress);
  g_assert_cmpuint (progress.done_minutes, ==, (8 + 4 + 3) * 60);
  g_assert_cmpuint (progress.topics_done, ==, 3);
  g_assert_cmpint (progress.tier, ==, 2);
}

/* A team of four on 2026-06-15, its statuses worked out by hand. */
static TdTrainingTracker *
prepared_team (void)
{
  TdTrainingTracker *tracker = new_tracker ();

  /* Started 2026-06-01: onboarding due 2026-07-01, 16 days away: to do. */
  add_person (tracker, "ana", "Ana Alves", 1, "Service Desk", "2026-06-01");
  /* Started 2026-05-20: due 2026-06-19, 4 days away: due soon. */
  add_person (tracker, "ben", "Ben \"Benny\" Ortiz, Jr.", 1, "Service Desk", "2026-05-20");
  /* Started 2025-01-06: onboarding all done; refresher last 2026-02-10, due
   * 2026-05-10: overdue. */
  add_person (tracker, "cat", "Cat Nguyen", 1, "Service Desk", "2025-01-06");
  /* Tier 3, started 2024-03-01: everything done; security 2025-07-01, due
   * 2026-07-01, 16 days away: done. */
  add_person (tracker, "dev", "Dev Patel\nOn call", 3, "Engineering", "2024-03-01");

  add_completion (tracker, "b1", "ben", "t1-ticketing", "2026-05-25", 120);
  for (guint i = 0; i < 4; i++)
    {
      const char *topics[]
          = { "t1-lms-overview", "t1-ticketing", "t1-common-issues", "t1-escalation" };
      g_autofree char *uuid = g_strdup_printf ("c%u", i);
      add_completion (tracker, uuid, "cat", topics[i], "2025-01-20", 120);
    }
  add_completion (tracker, "c9", "cat", "t1-refresher", "2026-02-10", 120);
  for (guint i = 0; i < 4; i++)
    {
      const char *topics[]
          = { "t3-architecture", "t3-codebase", "t3-incident-response", "t3-on-call" };
      g_autofree char *uuid = g_strdup_printf ("d%u", i);
      add_completion (tracker, uuid, "dev", topics[i], "2024-03-15", 240);
    }
  add_completion (tracker, "d9", "dev", "t3-security", "2025-07-01", 240);
  return tracker;
}

static void
test_matrix (void)
{
  g_autoptr (TdTrainingTracker) tracker = prepared_team ();
  GDate today = date ("2026-06-15");
  struct
  {
    const char      *person;
    const char      *topic;
    TdTrainingStatus status;
  } cells[] = {
    { "ana", "t1-lms-overview", TD_TRAINING_TO_DO },
    { "ana", "t1-refresher", TD_TRAINING_TO_DO },
    { "ana", "t2-deep-dive", TD_TRAINING_NOT_REQUIRED },
    { "ben", "t1-ticketing", TD_TRAINING_DONE },
    { "ben", "t1-escalation", TD_TRAINING_DUE_SOON },
    { "cat", "t1-common-issues", TD_TRAINING_DONE },
    { "cat", "t1-refresher", TD_TRAINING_OVERDUE },
    { "dev", "t3-security", TD_TRAINING_DONE },
    { "dev", "t3-on-call", TD_TRAINING_DONE },
    { "dev", "t1-ticketing", TD_TRAINING_NOT_REQUIRED },
  };
  g_autoptr (GPtrArray) overdue = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_assert_cmpstr (td_training_status_to_string (
                         status_on (tracker, cells[i].person, cells[i].topic, "2026-06-15")),
                     ==, td_training_status_to_string (cells[i].status));

  g_assert_cmpint (td_training_tracker_get_worst (tracker, "ana", &today), ==, TD_TRAINING_TO_DO);
  g_assert_cmpint (td_training_tracker_get_worst (tracker, "ben", &today), ==,
                   TD_TRAINING_DUE_SOON);
  g_assert_cmpint (td_training_tracker_get_worst (tracker, "cat", &today), ==, TD_TRAINING_OVERDUE);
  g_assert_cmpint (td_training_tracker_get_worst (tracker, "dev", &today), ==, TD_TRAINING_DONE);

  /* On call at Tier 3 after the security training lapses. */
  today = date ("2026-07-02");
  overdue = td_training_tracker_list_overdue (tracker, "dev", 3, &today);
  g_assert_cmpuint (overdue->len, ==, 1);
  g_assert_cmpstr (((TdTrainingTopic *) overdue->pdata[0])->topic, ==, "Security Training");
  g_clear_pointer (&overdue, g_ptr_array_unref);
  overdue = td_training_tracker_list_overdue (tracker, "dev", 2, &today);
  g_assert_cmpuint (overdue->len, ==, 0);
}

static void
test_matrix_csv_round_trip (void)
{
  g_autoptr (TdTrainingTracker) tracker = prepared_team ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) topics = td_training_tracker_get_topics (tracker);
  g_autofree char *csv = NULL;
  GDate            today = date ("2026-06-15");
  GPtrArray       *people = td_training_tracker_get_people (tracker);

  csv = td_training_tracker_matrix_csv (tracker, NULL, &today);
  rows = td_csv_parse (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1 + people->len);

  /* The header names each topic, then its due date. */
  g_assert_cmpuint (g_strv_length (rows->pdata[0]), ==, 3 + 2 * topics->len);
  g_assert_cmpstr (((char **) rows->pdata[0])[3], ==, "LMS Application Overview");
  g_assert_cmpstr (((char **) rows->pdata[0])[4], ==, "LMS Application Overview due");

  /* Every cell parsed back equals the tracker, names with commas, quotes
   * and line breaks included. */
  for (guint p = 0; p < people->len; p++)
    {
      const TdTrainee *trainee = people->pdata[p];
      char           **row = rows->pdata[p + 1];

      g_assert_cmpuint (g_strv_length (row), ==, 3 + 2 * topics->len);
      g_assert_cmpstr (row[0], ==, trainee->name);
      for (guint t = 0; t < topics->len; t++)
        {
          const TdTrainingTopic *topic = topics->pdata[t];
          TdTrainingState        state;
          char                   due[16] = "";

          td_training_tracker_get_state (tracker, trainee->uuid, topic->id, &today, &state);
          if (g_date_valid (&state.due))
            g_date_strftime (due, sizeof due, "%Y-%m-%d", &state.due);
          g_assert_cmpstr (row[3 + 2 * t], ==, td_training_status_to_string (state.status));
          g_assert_cmpstr (row[4 + 2 * t], ==, due);
        }
    }
  g_assert_cmpstr (((char **) rows->pdata[2])[0], ==, "Ben \"Benny\" Ortiz, Jr.");
  g_assert_cmpstr (((char **) rows->pdata[4])[0], ==, "Dev Patel\nOn call");
  g_assert_cmpstr (((char **) rows->pdata[3])[3 + 2 * 4], ==, "overdue");

  /* Only the people asked for. */
  {
    const char *const only[] = { "cat", NULL };
    g_autofree char  *one = td_training_tracker_matrix_csv (tracker, only, &today);
    g_autoptr (GPtrArray) one_rows = td_csv_parse (one, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (one_rows->len, ==, 2);
    g_assert_cmpstr (((char **) one_rows->pdata[1])[0], ==, "Cat Nguyen");
  }
}

static void
test_hours_csv (void)
{
  g_autoptr (TdTrainingTracker) tracker = prepared_team ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;
  GDate            from = date ("2025-01-01");
  GDate            to = date ("2025-12-31");

  /* 2025: Cat's four onboarding topics (8 h); Dev's annual security (4 h). */
  csv = td_training_tracker_hours_csv (tracker, NULL, &from, &to);
  rows = td_csv_parse (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  g_assert_cmpstr (((char **) rows->pdata[0])[4], ==, "onboarding hours");
  for (guint i = 1; i < rows->len; i++)
    {
      char **row = rows->pdata[i];
      if (g_str_equal (row[0], "Cat Nguyen"))
        {
          g_assert_cmpstr (row[3], ==, "4");
          g_assert_cmpstr (row[4], ==, "8.00");
          g_assert_cmpstr (row[5], ==, "0.00");
          g_assert_cmpstr (row[7], ==, "480");
        }
      else if (g_str_has_prefix (row[0], "Dev"))
        {
          g_assert_cmpstr (row[4], ==, "0.00");
          g_assert_cmpstr (row[5], ==, "4.00");
        }
      else
        g_assert_cmpstr (row[7], ==, "0");
    }

  /* Both ends are inside the period. */
  from = date ("2026-02-10");
  to = date ("2026-05-25");
  g_clear_pointer (&csv, g_free);
  g_clear_pointer (&rows, g_ptr_array_unref);
  csv = td_training_tracker_hours_csv (tracker, NULL, &from, &to);
  rows = td_csv_parse (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((char **) rows->pdata[2])[7], ==, "120"); /* Ben, 25 May */
  g_assert_cmpstr (((char **) rows->pdata[3])[7], ==, "120"); /* Cat, 10 February */
}

static void
test_csv_errors (void)
{
  const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "a,b\r\nc,\"d\r\n", "line 2: a quoted field is not closed" },
    { "a,b\nc,d\"e\n", "line 2: a quote inside an unquoted field" },
    { "a,\"b\"c\n", "line 1: text after a closing quote" },
  };
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) none = td_csv_parse (cases[i].text, &error);
      g_assert_null (none);
      g_assert_error (error, TD_CSV_ERROR, TD_CSV_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }

  /* Empty fields, a last line without a line break, LF alone. */
  rows = td_csv_parse ("a,,\"\"\nx,y,z", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (g_strv_length (rows->pdata[0]), ==, 3);
  g_assert_cmpstr (((char **) rows->pdata[0])[1], ==, "");
  g_assert_cmpstr (((char **) rows->pdata[1])[2], ==, "z");
}

static void
test_policy_rules (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autofree char *path = td_test_policy_path ();
  g_autofree char *text = NULL;
  g_autofree char *broken = NULL;
  g_autoptr (TdPolicy) loaded = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (td_policy_get_onboarding_due_days (policy), ==, 30);
  g_assert_cmpint (td_policy_get_training_due_soon_days (policy), ==, 14);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"onboarding_due_days\": 30"));
  {
    g_autoptr (GString) edited = g_string_new (text);
    g_assert_cmpuint (
        g_string_replace (edited, "\"onboarding_due_days\": 30", "\"onboarding_due_days\": 0", 1),
        ==, 1);
    broken = g_string_free (g_steal_pointer (&edited), FALSE);
  }
  loaded = td_policy_new_from_data (broken, -1, &error);
  g_assert_null (loaded);
  g_assert_nonnull (strstr (error->message, "$.training_rules.onboarding_due_days"));
  g_assert_nonnull (strstr (error->message, "not 0"));
}

static JsonObject *
object_from (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
add_json (TdTrainingTracker *tracker, const char *entity, const char *json)
{
  g_autoptr (JsonObject) row = object_from (json);

  td_training_tracker_add_row (tracker, entity, row);
}

static void
test_rows_and_rota (void)
{
  g_autoptr (TdTrainingTracker) tracker = new_tracker ();
  g_autofree char       *topic = NULL;
  TdInstant              before, after;
  const TdTrainingTopic *edited;

  add_json (tracker, "person",
            "{\"uuid\": \"eve\", \"rev\": 3, \"deleted\": 0, \"name\": \"Eve Ek\", "
            "\"tier\": 3, \"sub_team\": \"Engineering\", \"start_date\": \"2026-01-05\"}");
  for (guint i = 0; i < 4; i++)
    {
      const char *topics[]
          = { "t3-architecture", "t3-codebase", "t3-incident-response", "t3-security" };
      g_autofree char *json = g_strdup_printf (
          "{\"uuid\": \"r%u\", \"rev\": 9, \"deleted\": 0, \"person\": \"eve\", "
          "\"topic\": \"%s\", \"completed_on\": \"2026-01-20\", \"minutes\": 240}",
          i, topics[i]);
      add_json (tracker, "training_record", json);
    }

  /* On-Call Procedures was due 2026-02-04: a shift on the 4th is fine,
   * one on the 5th is not. */
  g_assert_true (td_time_parse_instant ("2026-02-04T09:00:00Z", &before));
  g_assert_true (td_time_parse_instant ("2026-02-05T09:00:00Z", &after));
  g_assert_false (td_training_tracker_rota_check ("eve", "primary", 3, before, &topic, tracker));
  g_assert_true (td_training_tracker_rota_check ("eve", "primary", 3, after, &topic, tracker));
  g_assert_cmpstr (topic, ==, "On-Call Procedures");
  g_clear_pointer (&topic, g_free);
  /* Only the rotation's tier counts; strangers are not flagged. */
  g_assert_false (td_training_tracker_rota_check ("eve", "primary", 2, after, &topic, tracker));
  g_assert_false (td_training_tracker_rota_check ("nobody", "primary", 3, after, &topic, tracker));

  /* Recording it clears the warning; a tombstone brings it back. */
  add_json (tracker, "training_record",
            "{\"uuid\": \"r9\", \"rev\": 10, \"deleted\": 0, \"person\": \"eve\", "
            "\"topic\": \"t3-on-call\", \"completed_on\": \"2026-02-05\", \"minutes\": 120}");
  g_assert_false (td_training_tracker_rota_check ("eve", "primary", 3, after, &topic, tracker));
  add_json (tracker, "training_record", "{\"uuid\": \"r9\", \"rev\": 11, \"deleted\": 1}");
  g_assert_true (td_training_tracker_rota_check ("eve", "primary", 3, after, &topic, tracker));
  g_clear_pointer (&topic, g_free);

  /* A trainer's curriculum edit: hours and frequency change, and retiring
   * the topic takes the warning away. */
  add_json (tracker, "training_topic",
            "{\"uuid\": \"e1\", \"rev\": 12, \"deleted\": 0, \"topic_id\": \"t3-on-call\", "
            "\"tier\": 3, \"topic\": \"On-Call Procedures\", \"minutes\": 150, "
            "\"frequency\": \"annual\", \"retired\": 0}");
  edited = td_training_tracker_get_topic (tracker, "t3-on-call");
  g_assert_cmpfloat (edited->hours, ==, 2.5);
  g_assert_cmpint (edited->frequency, ==, TD_TRAINING_ANNUAL);
  add_json (tracker, "training_topic",
            "{\"uuid\": \"e1\", \"rev\": 13, \"deleted\": 0, \"topic_id\": \"t3-on-call\", "
            "\"tier\": 3, \"topic\": \"On-Call Procedures\", \"minutes\": 150, "
            "\"frequency\": \"annual\", \"retired\": 1}");
  g_assert_false (td_training_tracker_rota_check ("eve", "primary", 3, after, &topic, tracker));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/training/add-months", test_add_months);
  g_test_add_func ("/training/onboarding-due", test_onboarding_due);
  g_test_add_func ("/training/recurring-due", test_recurring_due);
  g_test_add_func ("/training/time-zone-edges", test_time_zone_edges);
  g_test_add_func ("/training/not-required", test_not_required);
  g_test_add_func ("/training/onboarding-progress", test_onboarding_progress);
  g_test_add_func ("/training/matrix", test_matrix);
  g_test_add_func ("/training/matrix-csv", test_matrix_csv_round_trip);
  g_test_add_func ("/training/hours-csv", test_hours_csv);
  g_test_add_func ("/training/csv-errors", test_csv_errors);
  g_test_add_func ("/training/policy-rules", test_policy_rules);
  g_test_add_func ("/training/rows-and-rota", test_rows_and_rota);

  return g_test_run ();
}
