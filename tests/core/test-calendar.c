/* test-calendar.c — working time on 24x7 and business-hours calendars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected instant below was worked out by hand and is written in UTC
 * with the local wall-clock time next to it. Reminders for 2026:
 * London springs forward on Sun 29 March (01:00 GMT -> 02:00 BST) and falls
 * back on Sun 25 October (02:00 BST -> 01:00 GMT); New York springs forward
 * on Sun 8 March and falls back on Sun 1 November.
 */
#include <gio/gio.h>

#include "td-calendar.h"

#define MINUTE ((gint64) 60)
#define HOUR   ((gint64) 3600)
#define DAY    ((gint64) 86400)

static TdInstant
iso (const char *text)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);

  return g_date_time_to_unix (dt);
}

static char *
format_instant (TdInstant instant)
{
  g_autoptr (GDateTime) dt = NULL;

  if (instant == TD_INSTANT_NEVER)
    return g_strdup ("never");

  dt = g_date_time_new_from_unix_utc (instant);
  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, instant);

  return g_date_time_format (dt, "%a %Y-%m-%dT%H:%M:%SZ");
}

/* Compares as formatted strings so a failure shows both dates. */
#define assert_instant(actual, expected_iso)                          \
  G_STMT_START                                                        \
  {                                                                   \
    g_autofree char *_actual = format_instant (actual);               \
    g_autofree char *_expected = format_instant (iso (expected_iso)); \
    g_assert_cmpstr (_actual, ==, _expected);                         \
  }                                                                   \
  G_STMT_END

static TdDuration
dur (gint64 seconds, gint64 business_days)
{
  TdDuration d = { seconds, business_days };

  return d;
}

static TdInterval
span (const char *start, const char *end)
{
  TdInterval interval = { iso (start), iso (end) };

  return interval;
}

static TdCalendar *
business_calendar (const char *zone, int start_minute, int end_minute)
{
  g_autoptr (GError) error = NULL;
  TdCalendar *calendar = td_calendar_new_business ("office", "Office", zone, &error);

  g_assert_no_error (error);
  g_assert_nonnull (calendar);

  for (GDateWeekday day = G_DATE_MONDAY; day <= G_DATE_FRIDAY; day++)
    td_calendar_add_window (calendar, day, start_minute, end_minute);

  return calendar;
}

/* Mon–Fri 09:00–17:00 London with the bank holidays the tests cross. */
static TdCalendar *
london (void)
{
  TdCalendar *calendar = business_calendar ("Europe/London", 9 * 60, 17 * 60);

  td_calendar_add_holiday (calendar, 2026, 12, 25);
  td_calendar_add_holiday (calendar, 2026, 12, 28);
  td_calendar_add_holiday (calendar, 2027, 1, 1);
  td_calendar_add_holiday (calendar, 2026, 4, 3);
  td_calendar_add_holiday (calendar, 2026, 4, 6);

  return calendar;
}

static TdCalendar *
new_york (void)
{
  return business_calendar ("America/New_York", 9 * 60, 17 * 60);
}

/* A London calendar open only on Sundays, for the DST nights. */
static TdCalendar *
london_sunday (int start_minute, int end_minute)
{
  g_autoptr (GError) error = NULL;
  TdCalendar *calendar = td_calendar_new_business ("night", NULL, "Europe/London", &error);

  g_assert_no_error (error);
  td_calendar_add_window (calendar, G_DATE_SUNDAY, start_minute, end_minute);

  return calendar;
}

static TdInstant
add (TdCalendar *calendar, const char *start, gint64 seconds, gint64 business_days)
{
  TdDuration d = dur (seconds, business_days);

  return td_calendar_add (calendar, iso (start), &d, NULL, 0);
}

static TdInstant
add_paused (TdCalendar       *calendar,
            const char       *start,
            gint64            seconds,
            const TdInterval *pauses,
            guint             n_pauses)
{
  TdDuration d = dur (seconds, 0);

  return td_calendar_add (calendar, iso (start), &d, pauses, n_pauses);
}

static gint64
between (TdCalendar *calendar, const char *from, const char *to)
{
  return td_calendar_working_between (calendar, iso (from), iso (to), NULL, 0);
}

/* ------------------------------------------------------------------------ */

static void
test_always_basics (void)
{
  g_autoptr (TdCalendar) calendar = td_calendar_new_always ("24x7", "Around the clock");

  g_assert_cmpstr (td_calendar_get_id (calendar), ==, "24x7");
  g_assert_cmpstr (td_calendar_get_name (calendar), ==, "Around the clock");
  g_assert_null (td_calendar_get_time_zone (calendar));
  g_assert_true (td_calendar_is_always (calendar));
  g_assert_true (td_calendar_has_open_hours (calendar));
  g_assert_cmpint (td_calendar_get_business_day (calendar), ==, DAY);
  g_assert_true (td_calendar_is_working (calendar, iso ("2026-03-28T03:00:00Z")));
  g_assert_true (td_calendar_is_working (calendar, 0));

  assert_instant (add (calendar, "2026-03-28T03:00:00Z", 4 * HOUR, 0), "2026-03-28T07:00:00Z");
  assert_instant (add (calendar, "2026-03-28T03:00:00Z", 0, 2), "2026-03-30T03:00:00Z");
  assert_instant (add (calendar, "2026-03-28T03:00:00Z", 30 * MINUTE, 1), "2026-03-29T03:30:00Z");
  g_assert_cmpint (between (calendar, "2026-03-28T03:00:00Z", "2026-03-30T03:00:00Z"), ==, 2 * DAY);
  g_assert_cmpint (between (calendar, "2026-03-30T03:00:00Z", "2026-03-28T03:00:00Z"), ==, 0);
}

static void
test_always_dst (void)
{
  g_autoptr (TdCalendar) calendar = td_calendar_new_always ("24x7", NULL);

  /* Elapsed time: the wall clock jumping (or repeating) an hour in London
   * changes nothing on a 24x7 calendar. */
  assert_instant (add (calendar, "2026-03-29T00:55:00Z", 15 * MINUTE, 0), "2026-03-29T01:10:00Z");
  assert_instant (add (calendar, "2026-10-25T00:55:00Z", 15 * MINUTE, 0), "2026-10-25T01:10:00Z");
  g_assert_cmpint (between (calendar, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"), ==, DAY);
}

static void
test_always_pauses (void)
{
  g_autoptr (TdCalendar) calendar = td_calendar_new_always ("24x7", NULL);
  /* Unsorted and overlapping: together they are [10:30, 11:15). */
  TdInterval overlapping[] = {
    span ("2026-05-05T10:45:00Z", "2026-05-05T11:15:00Z"),
    span ("2026-05-05T10:30:00Z", "2026-05-05T11:00:00Z"),
  };
  TdInterval covering_start[] = {
    span ("2026-05-05T09:00:00Z", "2026-05-05T10:20:00Z"),
  };
  TdInterval forever[] = {
    { iso ("2026-05-05T10:30:00Z"), TD_INSTANT_NEVER },
  };
  TdInterval before_start[] = {
    span ("2026-05-05T08:00:00Z", "2026-05-05T09:00:00Z"),
  };

  assert_instant (add_paused (calendar, "2026-05-05T10:00:00Z", HOUR, overlapping, 2),
                  "2026-05-05T11:45:00Z");
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-05-05T10:00:00Z"),
                                                iso ("2026-05-05T11:45:00Z"), overlapping, 2),
                   ==, HOUR);

  assert_instant (add_paused (calendar, "2026-05-05T10:00:00Z", HOUR, covering_start, 1),
                  "2026-05-05T11:20:00Z");
  assert_instant (add_paused (calendar, "2026-05-05T10:00:00Z", HOUR, before_start, 1),
                  "2026-05-05T11:00:00Z");

  /* On hold indefinitely: the clock never runs out. */
  g_assert_cmpint (add_paused (calendar, "2026-05-05T10:00:00Z", HOUR, forever, 1), ==,
                   TD_INSTANT_NEVER);
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-05-05T10:00:00Z"),
                                                iso ("2026-05-06T10:00:00Z"), forever, 1),
                   ==, 30 * MINUTE);
}

static void
test_business_basics (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  g_assert_cmpstr (td_calendar_get_id (calendar), ==, "office");
  g_assert_cmpstr (td_calendar_get_name (calendar), ==, "Office");
  g_assert_cmpstr (td_calendar_get_time_zone (calendar), ==, "Europe/London");
  g_assert_false (td_calendar_is_always (calendar));
  g_assert_true (td_calendar_has_open_hours (calendar));
  g_assert_cmpint (td_calendar_get_business_day (calendar), ==, 8 * HOUR);

  g_assert_true (td_calendar_is_holiday (calendar, 2026, 12, 25));
  g_assert_true (td_calendar_is_holiday (calendar, 2027, 1, 1));
  g_assert_false (td_calendar_is_holiday (calendar, 2026, 12, 24));
  g_assert_false (td_calendar_is_holiday (calendar, 2027, 12, 25));

  /* Adding the same holiday twice is harmless. */
  td_calendar_add_holiday (calendar, 2026, 12, 25);
  g_assert_true (td_calendar_is_holiday (calendar, 2026, 12, 25));

  td_calendar_set_business_day (calendar, 7 * HOUR + 30 * MINUTE);
  g_assert_cmpint (td_calendar_get_business_day (calendar), ==, 7 * HOUR + 30 * MINUTE);
  /* Tue 17 March, 09:00 GMT + 7h30 = 16:30. */
  assert_instant (add (calendar, "2026-03-17T09:00:00Z", 0, 1), "2026-03-17T16:30:00Z");
}

static void
test_unknown_zone (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdCalendar) calendar = NULL;
  g_autoptr (TdCalendar) empty = NULL;
  g_autoptr (TdCalendar) utc = NULL;

  calendar = td_calendar_new_business ("mars", "Mars", "Mars/Olympus", &error);
  g_assert_null (calendar);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "unknown time zone \"Mars/Olympus\"");
  g_clear_error (&error);

  /* An empty zone must not quietly become the server's local zone. */
  empty = td_calendar_new_business ("empty", NULL, "", &error);
  g_assert_null (empty);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "unknown time zone \"\"");
  g_clear_error (&error);

  utc = td_calendar_new_business ("utc", NULL, "UTC", &error);
  g_assert_no_error (error);
  g_assert_nonnull (utc);
  g_assert_cmpstr (td_calendar_get_time_zone (utc), ==, "UTC");
}

static void
test_london_spring_forward (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  /* Fri 15:00 GMT: 2h to 17:00. Mon 30 March opens 09:00 BST (08:00Z),
   * 2h more is 11:00 BST. */
  assert_instant (add (calendar, "2026-03-27T15:00:00Z", 4 * HOUR, 0), "2026-03-30T10:00:00Z");
  g_assert_cmpint (between (calendar, "2026-03-27T15:00:00Z", "2026-03-30T10:00:00Z"), ==,
                   4 * HOUR);
  /* The whole DST weekend holds no working time at all. */
  g_assert_cmpint (between (calendar, "2026-03-27T17:00:00Z", "2026-03-30T08:00:00Z"), ==, 0);
}

static void
test_london_fall_back (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  /* Fri 23 Oct 16:00 BST (15:00Z): 1h to 17:00 BST. Mon 26 opens 09:00 GMT,
   * 3h more is 12:00 GMT. */
  assert_instant (add (calendar, "2026-10-23T15:00:00Z", 4 * HOUR, 0), "2026-10-26T12:00:00Z");
  g_assert_cmpint (between (calendar, "2026-10-23T15:00:00Z", "2026-10-26T12:00:00Z"), ==,
                   4 * HOUR);
}

static void
test_new_york_spring_forward (void)
{
  g_autoptr (TdCalendar) calendar = new_york ();

  /* Fri 6 March 16:00 EST (21:00Z): 1h. Mon 9 March 09:00 EDT (13:00Z) +1h. */
  assert_instant (add (calendar, "2026-03-06T21:00:00Z", 2 * HOUR, 0), "2026-03-09T14:00:00Z");
  assert_instant (add (calendar, "2026-03-06T16:00:00-05:00", 2 * HOUR, 0),
                  "2026-03-09T10:00:00-04:00");
}

static void
test_new_york_fall_back (void)
{
  g_autoptr (TdCalendar) calendar = new_york ();

  /* Fri 30 Oct 16:00 EDT (20:00Z): 1h. Mon 2 Nov 09:00 EST (14:00Z) +1h. */
  assert_instant (add (calendar, "2026-10-30T20:00:00Z", 2 * HOUR, 0), "2026-11-02T15:00:00Z");
  assert_instant (add (calendar, "2026-10-30T16:00:00-04:00", 2 * HOUR, 0),
                  "2026-11-02T10:00:00-05:00");
  g_assert_cmpint (between (calendar, "2026-10-30T20:00:00Z", "2026-11-02T15:00:00Z"), ==,
                   2 * HOUR);
}

static void
test_london_holidays (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  /* Thu 24 Dec 12:00: 5h. Fri 25 (holiday), weekend, Mon 28 (holiday).
   * Tue 29: 09:00 + 3h. */
  assert_instant (add (calendar, "2026-12-24T12:00:00Z", 0, 1), "2026-12-29T12:00:00Z");
  g_assert_cmpint (between (calendar, "2026-12-24T12:00:00Z", "2026-12-29T12:00:00Z"), ==,
                   8 * HOUR);
}

static void
test_london_year_end (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  /* 3bd = 24h. Wed 30 Dec 10:00: 7h. Thu 31: 8h (17 left, then 9).
   * Fri 1 Jan (holiday), weekend. Mon 4 Jan: 8h (1 left). Tue 5 Jan 10:00. */
  assert_instant (add (calendar, "2026-12-30T10:00:00Z", 0, 3), "2027-01-05T10:00:00Z");
  g_assert_cmpint (between (calendar, "2026-12-30T10:00:00Z", "2027-01-05T10:00:00Z"), ==,
                   24 * HOUR);
}

static void
test_london_easter (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  /* Thu 2 April 13:00 BST (12:00Z): 4h. Good Friday, weekend, Easter Monday.
   * Tue 7 April 09:00 BST + 4h = 13:00 BST. */
  assert_instant (add (calendar, "2026-04-02T12:00:00Z", 0, 1), "2026-04-07T12:00:00Z");
}

static void
test_london_outside_hours (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  /* Saturday: the clock starts Monday 09:00. */
  assert_instant (add (calendar, "2026-03-14T12:00:00Z", HOUR, 0), "2026-03-16T10:00:00Z");
  /* Before opening, after closing. */
  assert_instant (add (calendar, "2026-03-17T07:00:00Z", 30 * MINUTE, 0), "2026-03-17T09:30:00Z");
  assert_instant (add (calendar, "2026-03-17T18:00:00Z", 30 * MINUTE, 0), "2026-03-18T09:30:00Z");
  /* Friday evening in summer: 18:00 BST, next opening Monday 09:00 BST. */
  assert_instant (add (calendar, "2026-06-19T17:00:00Z", 30 * MINUTE, 0), "2026-06-22T08:30:00Z");
  /* Christmas Day: next opening is Tue 29 December. */
  assert_instant (add (calendar, "2026-12-25T10:00:00Z", HOUR, 0), "2026-12-29T10:00:00Z");
  /* At closing time the window is already shut. */
  assert_instant (add (calendar, "2026-03-17T17:00:00Z", 1, 0), "2026-03-18T09:00:01Z");
  /* Running out exactly at closing time ends the same day. */
  assert_instant (add (calendar, "2026-03-17T09:00:00Z", 8 * HOUR, 0), "2026-03-17T17:00:00Z");
  assert_instant (add (calendar, "2026-03-17T09:00:00Z", 0, 1), "2026-03-17T17:00:00Z");
  assert_instant (add (calendar, "2026-03-17T09:00:00Z", 0, 2), "2026-03-18T17:00:00Z");
  /* 1bd4h from Tue 09:00: all of Tuesday, then Wed 09:00 + 4h. */
  assert_instant (add (calendar, "2026-03-17T09:00:00Z", 4 * HOUR, 1), "2026-03-18T13:00:00Z");

  g_assert_cmpint (between (calendar, "2026-03-14T00:00:00Z", "2026-03-15T23:59:59Z"), ==, 0);
  g_assert_cmpint (between (calendar, "2026-03-17T07:00:00Z", "2026-03-17T09:30:00Z"), ==,
                   30 * MINUTE);
  g_assert_cmpint (between (calendar, "2026-03-17T18:00:00Z", "2026-03-18T09:30:00Z"), ==,
                   30 * MINUTE);
  g_assert_cmpint (between (calendar, "2026-12-25T00:00:00Z", "2026-12-26T00:00:00Z"), ==, 0);
  /* Mon 16 to Mon 23 March: five full days. */
  g_assert_cmpint (between (calendar, "2026-03-16T00:00:00Z", "2026-03-23T00:00:00Z"), ==,
                   40 * HOUR);
}

static void
test_zero_duration (void)
{
  g_autoptr (TdCalendar) calendar = london ();
  g_autoptr (TdCalendar) always = td_calendar_new_always ("24x7", NULL);
  g_autoptr (TdCalendar) closed = td_calendar_new_business ("closed", NULL, "UTC", NULL);
  TdInterval pause = span ("2026-03-14T00:00:00Z", "2026-03-15T00:00:00Z");
  TdDuration zero = dur (0, 0);

  /* Due immediately means now, even on a Saturday or during a pause. */
  assert_instant (add (calendar, "2026-03-14T12:00:00Z", 0, 0), "2026-03-14T12:00:00Z");
  assert_instant (add (always, "2026-03-14T12:00:00Z", 0, 0), "2026-03-14T12:00:00Z");
  assert_instant (add (closed, "2026-03-14T12:00:00Z", 0, 0), "2026-03-14T12:00:00Z");
  assert_instant (td_calendar_add (calendar, iso ("2026-03-14T12:00:00Z"), &zero, &pause, 1),
                  "2026-03-14T12:00:00Z");
}

static void
test_london_pauses (void)
{
  g_autoptr (TdCalendar) calendar = london ();
  TdInterval inside[] = {
    span ("2026-03-17T10:00:00Z", "2026-03-17T10:30:00Z"),
  };
  /* From Tuesday afternoon over the night to Wednesday morning. */
  TdInterval two_windows[] = {
    span ("2026-03-17T16:00:00Z", "2026-03-18T10:00:00Z"),
  };
  /* Together [09:30, 11:00). */
  TdInterval unsorted[] = {
    span ("2026-03-17T10:30:00Z", "2026-03-17T11:00:00Z"),
    span ("2026-03-17T09:30:00Z", "2026-03-17T10:00:00Z"),
    span ("2026-03-17T09:45:00Z", "2026-03-17T10:45:00Z"),
  };
  TdInterval covering_start[] = {
    span ("2026-03-17T08:00:00Z", "2026-03-17T10:15:00Z"),
  };
  /* Empty and inverted pauses are ignored. */
  TdInterval degenerate[] = {
    span ("2026-03-17T11:00:00Z", "2026-03-17T10:00:00Z"),
    span ("2026-03-17T10:00:00Z", "2026-03-17T10:00:00Z"),
  };
  /* A pause outside open hours costs nothing. */
  TdInterval weekend[] = {
    span ("2026-03-21T00:00:00Z", "2026-03-22T00:00:00Z"),
  };
  /* A pause ending on one window and a second pause on the next. */
  TdInterval several_days[] = {
    span ("2026-03-19T09:00:00Z", "2026-03-19T17:00:00Z"),
    span ("2026-03-17T12:00:00Z", "2026-03-18T12:00:00Z"),
  };

  assert_instant (add_paused (calendar, "2026-03-17T09:00:00Z", 2 * HOUR, inside, 1),
                  "2026-03-17T11:30:00Z");
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-03-17T09:00:00Z"),
                                                iso ("2026-03-17T11:30:00Z"), inside, 1),
                   ==, 2 * HOUR);

  /* Tue 15:00–16:00 counts, then paused until Wed 10:00, 3h more. */
  assert_instant (add_paused (calendar, "2026-03-17T15:00:00Z", 4 * HOUR, two_windows, 1),
                  "2026-03-18T13:00:00Z");
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-03-17T15:00:00Z"),
                                                iso ("2026-03-18T13:00:00Z"), two_windows, 1),
                   ==, 4 * HOUR);

  /* 09:00–09:30 counts, then 11:00 + 1h30. */
  assert_instant (add_paused (calendar, "2026-03-17T09:00:00Z", 2 * HOUR, unsorted, 3),
                  "2026-03-17T12:30:00Z");
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-03-17T09:00:00Z"),
                                                iso ("2026-03-17T12:30:00Z"), unsorted, 3),
                   ==, 2 * HOUR);

  assert_instant (add_paused (calendar, "2026-03-17T10:00:00Z", HOUR, covering_start, 1),
                  "2026-03-17T11:15:00Z");
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-03-17T10:00:00Z"),
                                                iso ("2026-03-17T11:15:00Z"), covering_start, 1),
                   ==, HOUR);

  assert_instant (add_paused (calendar, "2026-03-17T09:00:00Z", HOUR, degenerate, 2),
                  "2026-03-17T10:00:00Z");

  /* Fri 16:30: 30m, weekend (paused or not), Mon 09:30. */
  assert_instant (add_paused (calendar, "2026-03-20T16:30:00Z", HOUR, weekend, 1),
                  "2026-03-23T09:30:00Z");

  /* Tue 09:00–12:00 (3h), paused to Wed 12:00, Wed 12:00–17:00 (5h), Thu
   * paused all day, Fri 09:00 + 2h. */
  assert_instant (add_paused (calendar, "2026-03-17T09:00:00Z", 10 * HOUR, several_days, 2),
                  "2026-03-20T11:00:00Z");
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-03-17T00:00:00Z"),
                                                iso ("2026-03-21T00:00:00Z"), several_days, 2),
                   ==, 3 * HOUR + 5 * HOUR + 8 * HOUR);
}

static void
test_london_pause_forever (void)
{
  g_autoptr (TdCalendar) calendar = london ();
  TdInterval forever[] = {
    { iso ("2026-03-17T10:00:00Z"), TD_INSTANT_NEVER },
  };
  g_autoptr (GTimer) timer = g_timer_new ();

  g_assert_cmpint (add_paused (calendar, "2026-03-17T09:00:00Z", 2 * HOUR, forever, 1), ==,
                   TD_INSTANT_NEVER);
  g_assert_cmpint (td_calendar_working_between (calendar, iso ("2026-03-17T09:00:00Z"),
                                                TD_INSTANT_NEVER, forever, 1),
                   ==, HOUR);
  /* Skipped in one jump, not scanned day by day to the year 9999. */
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 1.0);
}

static void
test_no_windows (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdCalendar) calendar
      = td_calendar_new_business ("closed", NULL, "Europe/London", &error);
  g_autoptr (TdCalendar) holidays_only = NULL;

  g_assert_no_error (error);
  g_assert_false (td_calendar_has_open_hours (calendar));
  g_assert_false (td_calendar_is_working (calendar, iso ("2026-03-17T10:00:00Z")));
  g_assert_cmpint (add (calendar, "2026-03-17T10:00:00Z", HOUR, 0), ==, TD_INSTANT_NEVER);
  g_assert_cmpint (add (calendar, "2026-03-17T10:00:00Z", 0, 1), ==, TD_INSTANT_NEVER);
  g_assert_cmpint (between (calendar, "2026-03-17T10:00:00Z", "2036-03-17T10:00:00Z"), ==, 0);

  /* Open on Sundays only, and every Sunday for the next eleven years is a
   * holiday: the scan gives up after ten years without open hours rather
   * than answering in 2037. */
  holidays_only = td_calendar_new_business ("never", NULL, "UTC", &error);
  g_assert_no_error (error);
  td_calendar_add_window (holidays_only, G_DATE_SUNDAY, 9 * 60, 17 * 60);
  {
    g_autoptr (GDateTime) sunday = g_date_time_new_utc (2026, 3, 15, 0, 0, 0);

    for (int week = 0; week < 52 * 11; week++)
      {
        g_autoptr (GDateTime) day = g_date_time_add_weeks (sunday, week);

        td_calendar_add_holiday (holidays_only, g_date_time_get_year (day),
                                 g_date_time_get_month (day), g_date_time_get_day_of_month (day));
      }
  }
  g_assert_true (td_calendar_has_open_hours (holidays_only));
  g_assert_cmpint (add (holidays_only, "2026-03-14T10:00:00Z", HOUR, 0), ==, TD_INSTANT_NEVER);
}

static void
test_never_start (void)
{
  g_autoptr (TdCalendar) calendar = london ();
  g_autoptr (TdCalendar) always = td_calendar_new_always ("24x7", NULL);
  TdDuration hour = dur (HOUR, 0);

  /* Chaining on a previous NEVER stays NEVER instead of overflowing. */
  g_assert_cmpint (td_calendar_add (calendar, TD_INSTANT_NEVER, &hour, NULL, 0), ==,
                   TD_INSTANT_NEVER);
  g_assert_cmpint (td_calendar_add (always, TD_INSTANT_NEVER, &hour, NULL, 0), ==,
                   TD_INSTANT_NEVER);
  g_assert_cmpint (
      td_calendar_working_between (always, iso ("2026-03-17T10:00:00Z"), TD_INSTANT_NEVER, NULL, 0),
      >, 0);
}

static void
test_spring_forward_night_shift (void)
{
  g_autoptr (TdCalendar) midnight_to_four = london_sunday (0, 4 * 60);
  g_autoptr (TdCalendar) half_past = london_sunday (30, 3 * 60 + 30);
  g_autoptr (TdCalendar) in_gap = london_sunday (90, 5 * 60);
  g_autoptr (TdCalendar) ends_in_gap = london_sunday (0, 90);

  /* 00:00 GMT to 04:00 BST (03:00Z): the 01:00–02:00 hour never happens. */
  g_assert_cmpint (between (midnight_to_four, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"), ==,
                   3 * HOUR);
  assert_instant (add (midnight_to_four, "2026-03-28T12:00:00Z", 3 * HOUR, 0),
                  "2026-03-29T03:00:00Z");
  assert_instant (add (midnight_to_four, "2026-03-28T12:00:00Z", 90 * MINUTE, 0),
                  "2026-03-29T01:30:00Z");
  /* A week later it is four hours again, 00:00–04:00 BST. */
  g_assert_cmpint (between (midnight_to_four, "2026-04-04T00:00:00Z", "2026-04-06T00:00:00Z"), ==,
                   4 * HOUR);

  /* 00:30 GMT to 03:30 BST (02:30Z). */
  g_assert_cmpint (between (half_past, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"), ==,
                   2 * HOUR);

  /* Opening at 01:30, a time that does not exist that night: open from the
   * jump (02:00 BST = 01:00Z) to 05:00 BST (04:00Z). */
  g_assert_cmpint (between (in_gap, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"), ==, 3 * HOUR);
  g_assert_false (td_calendar_is_working (in_gap, iso ("2026-03-29T00:59:59Z")));
  g_assert_true (td_calendar_is_working (in_gap, iso ("2026-03-29T01:00:00Z")));
  g_assert_true (td_calendar_is_working (in_gap, iso ("2026-03-29T03:59:59Z")));
  g_assert_false (td_calendar_is_working (in_gap, iso ("2026-03-29T04:00:00Z")));
  assert_instant (add (in_gap, "2026-03-28T12:00:00Z", MINUTE, 0), "2026-03-29T01:01:00Z");

  /* Closing at 01:30, which does not exist: it closes at the jump. */
  g_assert_cmpint (between (ends_in_gap, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"), ==, HOUR);
  assert_instant (add (ends_in_gap, "2026-03-28T12:00:00Z", HOUR, 0), "2026-03-29T01:00:00Z");
}

static void
test_fall_back_night_shift (void)
{
  g_autoptr (TdCalendar) midnight_to_four = london_sunday (0, 4 * 60);
  g_autoptr (TdCalendar) ends_in_repeat = london_sunday (0, 90);

  /* 00:00 BST (23:00Z Saturday) to 04:00 GMT: the 01:00–02:00 hour happens
   * twice, five hours in all. */
  g_assert_cmpint (between (midnight_to_four, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"), ==,
                   5 * HOUR);
  assert_instant (add (midnight_to_four, "2026-10-24T12:00:00Z", 5 * HOUR, 0),
                  "2026-10-25T04:00:00Z");
  assert_instant (add (midnight_to_four, "2026-10-24T12:00:00Z", HOUR, 0), "2026-10-25T00:00:00Z");

  /* 00:00–01:30 happens as 00:00–01:30 BST (23:00Z–00:30Z) and again as
   * 01:00–01:30 GMT (01:00Z–01:30Z). */
  g_assert_cmpint (between (ends_in_repeat, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"), ==,
                   2 * HOUR);
  g_assert_true (td_calendar_is_working (ends_in_repeat, iso ("2026-10-25T00:29:59Z")));
  g_assert_false (td_calendar_is_working (ends_in_repeat, iso ("2026-10-25T00:45:00Z")));
  g_assert_true (td_calendar_is_working (ends_in_repeat, iso ("2026-10-25T01:15:00Z")));
  g_assert_false (td_calendar_is_working (ends_in_repeat, iso ("2026-10-25T01:30:00Z")));
  assert_instant (add (ends_in_repeat, "2026-10-24T12:00:00Z", 100 * MINUTE, 0),
                  "2026-10-25T01:10:00Z");
}

static void
test_is_working (void)
{
  g_autoptr (TdCalendar) calendar = london ();

  /* Winter: 09:00–17:00 GMT. */
  g_assert_false (td_calendar_is_working (calendar, iso ("2026-03-17T08:59:59Z")));
  g_assert_true (td_calendar_is_working (calendar, iso ("2026-03-17T09:00:00Z")));
  g_assert_true (td_calendar_is_working (calendar, iso ("2026-03-17T16:59:59Z")));
  g_assert_false (td_calendar_is_working (calendar, iso ("2026-03-17T17:00:00Z")));
  /* Summer: 09:00–17:00 BST is 08:00–16:00Z. */
  g_assert_false (td_calendar_is_working (calendar, iso ("2026-06-16T07:59:59Z")));
  g_assert_true (td_calendar_is_working (calendar, iso ("2026-06-16T08:00:00Z")));
  g_assert_true (td_calendar_is_working (calendar, iso ("2026-06-16T15:59:59Z")));
  g_assert_false (td_calendar_is_working (calendar, iso ("2026-06-16T16:00:00Z")));
  /* Weekend, holiday. */
  g_assert_false (td_calendar_is_working (calendar, iso ("2026-03-14T12:00:00Z")));
  g_assert_false (td_calendar_is_working (calendar, iso ("2026-12-25T12:00:00Z")));
  g_assert_true (td_calendar_is_working (calendar, iso ("2026-12-24T12:00:00Z")));
}

static void
test_several_windows (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdCalendar) lunch = td_calendar_new_business ("lunch", NULL, "UTC", &error);
  g_autoptr (TdCalendar) overlapping = td_calendar_new_business ("overlap", NULL, "UTC", &error);

  g_assert_no_error (error);

  /* Added out of order on purpose. */
  td_calendar_add_window (lunch, G_DATE_TUESDAY, 13 * 60, 17 * 60);
  td_calendar_add_window (lunch, G_DATE_TUESDAY, 9 * 60, 12 * 60);

  /* Tue 11:00: 1h to lunch, 13:00 + 1h. */
  assert_instant (add (lunch, "2026-03-17T11:00:00Z", 2 * HOUR, 0), "2026-03-17T14:00:00Z");
  g_assert_false (td_calendar_is_working (lunch, iso ("2026-03-17T12:30:00Z")));
  g_assert_cmpint (between (lunch, "2026-03-17T00:00:00Z", "2026-03-18T00:00:00Z"), ==, 7 * HOUR);
  /* Tuesday 17:00 to the next Tuesday 09:00 + 1h. */
  assert_instant (add (lunch, "2026-03-17T16:00:00Z", 2 * HOUR, 0), "2026-03-24T10:00:00Z");

  /* Overlapping and touching windows merge: 09:00–18:00, counted once. */
  td_calendar_add_window (overlapping, G_DATE_MONDAY, 9 * 60, 12 * 60);
  td_calendar_add_window (overlapping, G_DATE_MONDAY, 11 * 60, 13 * 60);
  td_calendar_add_window (overlapping, G_DATE_MONDAY, 13 * 60, 18 * 60);
  td_calendar_add_window (overlapping, G_DATE_MONDAY, 10 * 60, 11 * 60);
  g_assert_cmpint (between (overlapping, "2026-03-16T00:00:00Z", "2026-03-17T00:00:00Z"), ==,
                   9 * HOUR);
  assert_instant (add (overlapping, "2026-03-16T00:00:00Z", 9 * HOUR, 0), "2026-03-16T18:00:00Z");
}

static void
test_midnight_windows (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdCalendar) full = td_calendar_new_business ("full", NULL, "Europe/London", &error);
  g_autoptr (TdCalendar) always = td_calendar_new_always ("24x7", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (1440);
  TdInstant base = iso ("2026-01-01T00:00:00Z");

  g_assert_no_error (error);

  for (GDateWeekday day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
    td_calendar_add_window (full, day, 0, 24 * 60);

  /* Windows covering whole days, DST nights included, are the same as 24x7
   * as long as business days are not involved. */
  assert_instant (add (full, "2026-03-29T00:55:00Z", 15 * MINUTE, 0), "2026-03-29T01:10:00Z");
  assert_instant (add (full, "2026-10-25T00:55:00Z", 15 * MINUTE, 0), "2026-10-25T01:10:00Z");
  g_assert_cmpint (between (full, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"), ==, DAY);

  for (guint i = 0; i < 200; i++)
    {
      TdInstant  start = base + g_rand_int_range (rand, 0, 365 * 86400);
      TdDuration d = dur (g_rand_int_range (rand, 1, 30 * 86400), 0);

      g_assert_cmpint (td_calendar_add (full, start, &d, NULL, 0), ==,
                       td_calendar_add (always, start, &d, NULL, 0));
    }
}

/* add() and working_between() are inverses: the working time between the
 * start and the deadline is the duration, and the second before the
 * deadline is working time. */
static void
check_inverse (TdCalendar *calendar, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  TdInstant base = iso ("2025-06-01T00:00:00Z");

  for (guint i = 0; i < 300; i++)
    {
      TdInstant  start = base + g_rand_int_range (rand, 0, 2 * 365 * 86400);
      TdDuration d = dur (g_rand_int_range (rand, 1, 40 * 3600), g_rand_int_range (rand, 0, 4));
      gint64     wanted = d.seconds + d.business_days * td_calendar_get_business_day (calendar);
      TdInterval pauses[3];
      guint      n_pauses = g_rand_int_range (rand, 0, G_N_ELEMENTS (pauses) + 1);
      TdInstant  deadline;
      TdInstant  deadline_paused;

      for (guint j = 0; j < n_pauses; j++)
        {
          pauses[j].start = start + g_rand_int_range (rand, -86400, 10 * 86400);
          pauses[j].end = pauses[j].start + g_rand_int_range (rand, 0, 3 * 86400);
        }

      deadline = td_calendar_add (calendar, start, &d, NULL, 0);
      g_assert_cmpint (deadline, !=, TD_INSTANT_NEVER);
      g_assert_cmpint (deadline, >, start);
      g_assert_cmpint (td_calendar_working_between (calendar, start, deadline, NULL, 0), ==,
                       wanted);
      g_assert_true (td_calendar_is_working (calendar, deadline - 1));

      deadline_paused = td_calendar_add (calendar, start, &d, pauses, n_pauses);
      g_assert_cmpint (deadline_paused, >=, deadline);
      g_assert_cmpint (
          td_calendar_working_between (calendar, start, deadline_paused, pauses, n_pauses), ==,
          wanted);
      g_assert_true (td_calendar_is_working (calendar, deadline_paused - 1));
    }
}

static void
test_inverse (void)
{
  g_autoptr (TdCalendar) london_calendar = london ();
  g_autoptr (TdCalendar) new_york_calendar = new_york ();
  g_autoptr (TdCalendar) always = td_calendar_new_always ("24x7", NULL);
  g_autoptr (TdCalendar) night = london_sunday (30, 3 * 60 + 30);
  g_autoptr (TdCalendar) shifts = business_calendar ("Australia/Lord_Howe", 22 * 60, 24 * 60);

  /* Lord Howe moves its clocks by half an hour, at 02:00; with a late
   * shift that touches midnight it exercises odd offsets too. */
  for (GDateWeekday day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
    td_calendar_add_window (shifts, day, 0, 150);

  for (guint32 seed = 1; seed <= 3; seed++)
    {
      check_inverse (london_calendar, seed);
      check_inverse (new_york_calendar, seed);
      check_inverse (always, seed);
      check_inverse (night, seed);
      check_inverse (shifts, seed);
    }
}

static void
test_many_business_days (void)
{
  g_autoptr (TdCalendar) calendar = london ();
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (GDateTime) end = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  TdInstant  start = iso ("2026-01-05T09:00:00Z");
  TdDuration d = dur (0, 1000);
  TdInstant  deadline;

  deadline = td_calendar_add (calendar, start, &d, NULL, 0);
  g_assert_cmpint (deadline, !=, TD_INSTANT_NEVER);
  g_assert_cmpint (td_calendar_working_between (calendar, start, deadline, NULL, 0), ==,
                   1000 * 8 * HOUR);

  /* Whole business days from an opening end at a closing, in local time. */
  end = g_date_time_new_from_unix_utc (deadline);
  local = g_date_time_to_timezone (end, tz);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 17);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 0);

  /* About four calendar years: 1000 business days, 8 holidays. */
  g_assert_cmpint (deadline - start, >, 3 * 365 * DAY);
  g_assert_cmpint (deadline - start, <, 5 * 365 * DAY);

  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 1.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/calendar/always/basics", test_always_basics);
  g_test_add_func ("/core/calendar/always/dst", test_always_dst);
  g_test_add_func ("/core/calendar/always/pauses", test_always_pauses);
  g_test_add_func ("/core/calendar/business/basics", test_business_basics);
  g_test_add_func ("/core/calendar/business/unknown-zone", test_unknown_zone);
  g_test_add_func ("/core/calendar/london/spring-forward", test_london_spring_forward);
  g_test_add_func ("/core/calendar/london/fall-back", test_london_fall_back);
  g_test_add_func ("/core/calendar/new-york/spring-forward", test_new_york_spring_forward);
  g_test_add_func ("/core/calendar/new-york/fall-back", test_new_york_fall_back);
  g_test_add_func ("/core/calendar/london/holidays", test_london_holidays);
  g_test_add_func ("/core/calendar/london/year-end", test_london_year_end);
  g_test_add_func ("/core/calendar/london/easter", test_london_easter);
  g_test_add_func ("/core/calendar/london/outside-hours", test_london_outside_hours);
  g_test_add_func ("/core/calendar/london/pauses", test_london_pauses);
  g_test_add_func ("/core/calendar/london/pause-forever", test_london_pause_forever);
  g_test_add_func ("/core/calendar/london/is-working", test_is_working);
  g_test_add_func ("/core/calendar/zero-duration", test_zero_duration);
  g_test_add_func ("/core/calendar/no-windows", test_no_windows);
  g_test_add_func ("/core/calendar/never-start", test_never_start);
  g_test_add_func ("/core/calendar/dst/spring-forward-night", test_spring_forward_night_shift);
  g_test_add_func ("/core/calendar/dst/fall-back-night", test_fall_back_night_shift);
  g_test_add_func ("/core/calendar/windows/several", test_several_windows);
  g_test_add_func ("/core/calendar/windows/whole-days", test_midnight_windows);
  g_test_add_func ("/core/calendar/inverse", test_inverse);
  g_test_add_func ("/core/calendar/many-business-days", test_many_business_days);

  return g_test_run ();
}
