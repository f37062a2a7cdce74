/* test-metrics.c — tier metrics [10.1] and quality standards [10.2] on a prepared history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Eight tickets and three changes, with every value worked out by hand in
 * the comments. The period is the two weeks from Monday 2 March 2026 00:00
 * UTC; London is on GMT then, so 09:00–17:00 UTC is inside business hours
 * and no holiday falls in it.
 */
#include "td-metrics.h"

#include "td-test-util.h"

#define MINUTE ((gint64) 60)
#define HOUR   ((gint64) 3600)
#define DAY    (24 * HOUR)

/* Monday 2 March 2026 00:00 UTC. */
#define M ((TdInstant) 1772409600)
/* Day d (0 = Monday 2 March), hh:mm UTC. */
#define AT(d, h, m) (M + (d) *DAY + (h) *HOUR + (m) *MINUTE)

static const char *const all_fields[] = {
  "user_id", "contact",     "description", "steps_to_reproduce", "error_message", "impact",
  "urgency", "occurred_at", NULL,
};

/* No steps to reproduce: not documented. */
static const char *const no_steps[] = {
  "user_id", "contact", "description", "error_message", "impact", "urgency", "occurred_at", NULL,
};

#define ACT(at)       \
  {                   \
    (at), FALSE, 0, 0 \
  }
#define MOVE(at, a, b)   \
  {                      \
    (at), TRUE, (a), (b) \
  }

/* A: SEV-3 at Tier 1, Mon 09:00, answered and closed at 09:05 (first contact).
 * Flagged as a new issue; an article was linked at 15:00, within 24 h. */
static const TdMetricsEvent events_a[] = { ACT (AT (0, 9, 5)) };
/* B: SEV-3, Mon 10:00, answered 10:20, escalated 1→2 at 10:40, picked up at
 * 11:10, resolved 14:00 at Tier 2. Steps to reproduce missing. A new issue,
 * documented on Tue at 15:00: 25 h, late. */
static const TdMetricsEvent events_b[] = {
  ACT (AT (0, 10, 20)),
  MOVE (AT (0, 10, 40), 1, 2),
  ACT (AT (0, 11, 10)),
  ACT (AT (0, 14, 0)),
};
/* C: SEV-1, Tue 09:00, answered 09:02, straight to Tier 3 at 09:10, picked
 * up 09:20, resolved 12:00; its review is complete. */
static const TdMetricsEvent events_c[] = {
  ACT (AT (1, 9, 2)),
  MOVE (AT (1, 9, 10), 1, 3),
  ACT (AT (1, 9, 20)),
  ACT (AT (1, 12, 0)),
};
/* D: SEV-2, Wed 09:00, answered 09:10, escalated 1→2 at 09:30, picked up
 * 10:30, sent back 2→1 at 11:00, worked on 11:05, escalated again at 12:00,
 * picked up 12:15, resolved 16:00. No review recorded. A new issue never
 * documented. */
static const TdMetricsEvent events_d[] = {
  ACT (AT (2, 9, 10)), MOVE (AT (2, 9, 30), 1, 2), ACT (AT (2, 10, 30)), MOVE (AT (2, 11, 0), 2, 1),
  ACT (AT (2, 11, 5)), MOVE (AT (2, 12, 0), 1, 2), ACT (AT (2, 12, 15)), ACT (AT (2, 16, 0)),
};
/* E: SEV-3, Thu 09:00, nobody has answered (flagged new, but not resolved). */
/* F: SEV-1, second week, Mon 9 March 09:00, answered 09:20, to Tier 3 at
 * 09:30, picked up 09:50, resolved 15:00; review pending. A new issue,
 * documented Tue 10 March 10:00 (19 h). */
static const TdMetricsEvent events_f[] = {
  ACT (AT (7, 9, 20)),
  MOVE (AT (7, 9, 30), 1, 3),
  ACT (AT (7, 9, 50)),
  ACT (AT (7, 15, 0)),
};
/* G: opened before the period (Fri 27 February 09:00), escalated 1→2 on
 * Mon 2 March 09:30, picked up 09:40, still open at Tier 2. */
static const TdMetricsEvent events_g[] = {
  ACT (AT (-3, 9, 10)),
  MOVE (AT (0, 9, 30), 1, 2),
  ACT (AT (0, 9, 40)),
};
/* H: after the period (Mon 16 March), answered and resolved; a new issue. */
static const TdMetricsEvent events_h[] = { ACT (AT (14, 10, 5)) };

static const TdMetricsTicket tickets[] = {
  { "A", "SEV-3", 1, AT (0, 9, 0), AT (0, 9, 5), AT (0, 9, 5), all_fields, TD_METRICS_PIR_NONE,
    events_a, G_N_ELEMENTS (events_a), TRUE, AT (0, 15, 0) },
  { "B", "SEV-3", 1, AT (0, 10, 0), AT (0, 10, 20), AT (0, 14, 0), no_steps, TD_METRICS_PIR_NONE,
    events_b, G_N_ELEMENTS (events_b), TRUE, AT (1, 15, 0) },
  { "C", "SEV-1", 1, AT (1, 9, 0), AT (1, 9, 2), AT (1, 12, 0), all_fields, TD_METRICS_PIR_COMPLETE,
    events_c, G_N_ELEMENTS (events_c), FALSE, 0 },
  { "D", "SEV-2", 1, AT (2, 9, 0), AT (2, 9, 10), AT (2, 16, 0), all_fields, TD_METRICS_PIR_NONE,
    events_d, G_N_ELEMENTS (events_d), TRUE, 0 },
  { "E", "SEV-3", 1, AT (3, 9, 0), 0, 0, all_fields, TD_METRICS_PIR_NONE, NULL, 0, TRUE, 0 },
  { "F", "SEV-1", 1, AT (7, 9, 0), AT (7, 9, 20), AT (7, 15, 0), all_fields, TD_METRICS_PIR_PENDING,
    events_f, G_N_ELEMENTS (events_f), TRUE, AT (8, 10, 0) },
  { "G", "SEV-3", 1, AT (-3, 9, 0), AT (-3, 9, 10), 0, all_fields, TD_METRICS_PIR_NONE, events_g,
    G_N_ELEMENTS (events_g), FALSE, 0 },
  { "H", "SEV-3", 1, AT (14, 10, 0), AT (14, 10, 5), AT (14, 10, 5), no_steps, TD_METRICS_PIR_NONE,
    events_h, G_N_ELEMENTS (events_h), TRUE, 0 },
};

/* Tier 3 changes: one before the period, one good, one failed. */
static const TdMetricsChange changes[] = {
  { AT (-1, 20, 0), 3, FALSE },
  { AT (1, 20, 0), 3, TRUE },
  { AT (8, 20, 0), 3, FALSE },
};

/* Reviews are recorded (TD_METRICS_PIR_* above). */
static const TdMetricsInput input = {
  tickets, G_N_ELEMENTS (tickets), changes, G_N_ELEMENTS (changes), TRUE,
};

static const TdMetricResult *
find (GArray *results, const char *id)
{
  const TdMetricResult *result = td_metrics_find (results, id);

  g_assert_nonnull (result);
  return result;
}

static void
assert_result (GArray         *results,
               const char     *id,
               guint           samples,
               guint           hits,
               double          value,
               TdMetricVerdict verdict)
{
  const TdMetricResult *result = find (results, id);

  g_test_message ("%s: %u samples, %u hits, %g (%s)", id, result->samples, result->hits,
                  result->value, td_metric_verdict_to_string (result->verdict));
  g_assert_cmpuint (result->samples, ==, samples);
  g_assert_cmpuint (result->hits, ==, hits);
  g_assert_cmpfloat_with_epsilon (result->value, value, 0.01);
  g_assert_cmpint (result->verdict, ==, verdict);
}

static void
test_whole_period (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GArray) results = td_metrics_compute (policy, &input, M, M + 14 * DAY, 0);

  /* Nine metrics [10.1], then the four measured standards [10.2]. */
  g_assert_cmpuint (results->len, ==, 13);

  /* T1 first response (24x7): A 5, B 20, C 2, D 10, F 20 min, and D again
   * when it came back to Tier 1 at 11:00 and was worked on at 11:05: 5 min.
   * E has no answer, G was opened before. 62 min / 6 = 10.33 min = 620 s,
   * below 15 min. */
  assert_result (results, "t1-first-response", 6, 0, 620, TD_METRIC_PASS);
  g_assert_cmpfloat (find (results, "t1-first-response")->target, ==, 15 * MINUTE);
  g_assert_cmpint (find (results, "t1-first-response")->unit, ==, TD_METRIC_UNIT_DURATION);

  /* FCR: opened at Tier 1 in the period A–F (6); only A closed at the first
   * contact (C was escalated). 1/6 = 16.67% < 40%. */
  assert_result (results, "t1-first-contact-resolution", 6, 1, 100.0 / 6, TD_METRIC_FAIL);

  /* T1 escalation accuracy: B, C, D 09:30, D 12:00, F and G escalated up
   * from Tier 1 in the period (6); D's first one was sent back. 5/6 = 83.33%. */
  assert_result (results, "t1-escalation-accuracy", 6, 5, 500.0 / 6, TD_METRIC_FAIL);

  /* T2 response (business hours, all inside 09:00–17:00): B 10:40→11:10
   * 30 min, D 09:30→10:30 60 min, D 12:00→12:15 15 min, G 09:30→09:40 10 min.
   * 115 / 4 = 28.75 min = 1725 s < 1 h. */
  assert_result (results, "t2-response", 4, 0, 1725, TD_METRIC_PASS);

  /* T2 resolution rate: stays begun in the period and ended: B (resolved),
   * D 09:30–11:00 (sent back), D from 12:00 (resolved); G still open.
   * 2/3 = 66.67% is not above 70%. */
  assert_result (results, "t2-resolution-rate", 3, 2, 200.0 / 3, TD_METRIC_FAIL);

  /* Nobody escalated from Tier 2 (D's 2→1 goes down): no data, no verdict. */
  assert_result (results, "t2-escalation-accuracy", 0, 0, 0, TD_METRIC_NO_DATA);

  /* SEV-1 response at Tier 3 (24x7): C 09:10→09:20 10 min, F 09:30→09:50
   * 20 min: exactly 15 min, which is not below 15 min. */
  assert_result (results, "t3-sev1-response", 2, 0, 15 * MINUTE, TD_METRIC_FAIL);

  /* SEV-1 resolution: C 3 h, F 6 h: 4.5 h > 4 h. */
  assert_result (results, "t3-sev1-resolution", 2, 0, 4.5 * HOUR, TD_METRIC_FAIL);

  /* Changes in the period: one of two succeeded. */
  assert_result (results, "t3-change-success", 2, 1, 50, TD_METRIC_FAIL);

  /* Documentation: A–F opened in the period; B lacks steps. 5/6. */
  assert_result (results, "ticket-documentation", 6, 5, 500.0 / 6, TD_METRIC_FAIL);
  /* Knowledge updates: new issues resolved in the period A, B, D, F (E is
   * open, H after); at the period's end A (6 h) and F (19 h) were
   * documented within 24 h, B late (25 h), D not at all. 2/4 = 50%. */
  assert_result (results, "knowledge-updates", 4, 2, 50, TD_METRIC_FAIL);
  /* Ping-pong: D went 2→1 and back to 2: one bounce. */
  assert_result (results, "handoff-quality", 6, 1, 1, TD_METRIC_FAIL);
  /* PIR: SEV-1/2 resolved in the period: C (complete), D (none), F
   * (pending): 1/3. */
  assert_result (results, "pir-participation", 3, 1, 100.0 / 3, TD_METRIC_FAIL);

  /* Without review records, PIR completion is not measured at all. */
  {
    TdMetricsInput unrecorded = input;
    g_autoptr (GArray) without = NULL;

    unrecorded.pir_recorded = FALSE;
    without = td_metrics_compute (policy, &unrecorded, M, M + 14 * DAY, 0);
    g_assert_cmpint (find (without, "pir-participation")->verdict, ==, TD_METRIC_NOT_MEASURED);
  }

  /* User communication names no measure. */
  g_assert_null (td_metrics_find (results, "user-communication"));
}

static void
test_tier_filter (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GArray) results = td_metrics_compute (policy, &input, M, M + 14 * DAY, 2);

  /* Tier 2's three metrics and the four standards. */
  g_assert_cmpuint (results->len, ==, 7);
  g_assert_null (td_metrics_find (results, "t1-first-response"));
  assert_result (results, "t2-response", 4, 0, 1725, TD_METRIC_PASS);

  /* Standards over tickets that were at Tier 2 and opened in the period:
   * B (undocumented) and D (documented, one bounce, no review). */
  assert_result (results, "ticket-documentation", 2, 1, 50, TD_METRIC_FAIL);
  assert_result (results, "handoff-quality", 2, 1, 1, TD_METRIC_FAIL);
  assert_result (results, "pir-participation", 1, 0, 0, TD_METRIC_FAIL);
  /* New issues resolved among them: B (late) and D (never): 0/2. */
  assert_result (results, "knowledge-updates", 2, 0, 0, TD_METRIC_FAIL);
}

static void
test_weekly (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GPtrArray) weeks = td_metrics_weekly (policy, &input, M, M + 14 * DAY, 0, utc);
  g_autoptr (GPtrArray) clipped = NULL;
  TdMetricsWeek *first;
  TdMetricsWeek *second;

  g_assert_cmpuint (weeks->len, ==, 2);
  first = g_ptr_array_index (weeks, 0);
  second = g_ptr_array_index (weeks, 1);
  g_assert_cmpint (first->start, ==, M);
  g_assert_cmpint (first->end, ==, M + 7 * DAY);
  g_assert_cmpint (second->end, ==, M + 14 * DAY);

  /* Week 1: A 5, B 20, C 2, D 10, D back 5 min: 42 / 5 = 8.4 min = 504 s.
   * Week 2: F 20 min = 1200 s, a fail. */
  assert_result (first->results, "t1-first-response", 5, 0, 504, TD_METRIC_PASS);
  assert_result (second->results, "t1-first-response", 1, 0, 1200, TD_METRIC_FAIL);
  /* FCR: week 1 A of A–E (1/5); week 2 F is not (0/1). */
  assert_result (first->results, "t1-first-contact-resolution", 5, 1, 20, TD_METRIC_FAIL);
  assert_result (second->results, "t1-first-contact-resolution", 1, 0, 0, TD_METRIC_FAIL);
  /* Knowledge updates: week 1 A met, B late, D past its 24 h by Monday:
   * 1/3; week 2 F met: 1/1, which meets 100%. */
  assert_result (first->results, "knowledge-updates", 3, 1, 100.0 / 3, TD_METRIC_FAIL);
  assert_result (second->results, "knowledge-updates", 1, 1, 100, TD_METRIC_PASS);
  /* Week 2 has only F: SEV-1 resolution 6 h. */
  assert_result (second->results, "t3-sev1-resolution", 1, 0, 6 * HOUR, TD_METRIC_FAIL);

  /* From Wednesday to the next Wednesday: the first bucket starts on
   * Wednesday and ends on Monday, the second ends on Wednesday. Week 1 then
   * has only D's two arrivals at Tier 1: (10 + 5) / 2 = 7.5 min = 450 s. */
  clipped = td_metrics_weekly (policy, &input, M + 2 * DAY, M + 9 * DAY, 0, utc);
  g_assert_cmpuint (clipped->len, ==, 2);
  first = g_ptr_array_index (clipped, 0);
  second = g_ptr_array_index (clipped, 1);
  g_assert_cmpint (first->start, ==, M + 2 * DAY);
  g_assert_cmpint (first->end, ==, M + 7 * DAY);
  g_assert_cmpint (second->start, ==, M + 7 * DAY);
  g_assert_cmpint (second->end, ==, M + 9 * DAY);
  assert_result (first->results, "t1-first-response", 2, 0, 450, TD_METRIC_PASS);
}

static void
test_business_hours (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  /* Escalated to Tier 2 on Friday 6 March at 16:50 and picked up on Monday
   * 9 March at 09:20: 10 + 20 = 30 business minutes, not 64.5 hours. */
  static const TdMetricsEvent events[] = {
    ACT (AT (4, 16, 40)),
    MOVE (AT (4, 16, 50), 1, 2),
    ACT (AT (7, 9, 20)),
  };
  TdMetricsTicket ticket = { "W",
                             "SEV-3",
                             1,
                             AT (4, 16, 30),
                             AT (4, 16, 40),
                             0,
                             all_fields,
                             TD_METRICS_PIR_NONE,
                             events,
                             G_N_ELEMENTS (events) };
  TdMetricsInput  weekend = { &ticket, 1, NULL, 0, TRUE };
  g_autoptr (GArray) results = td_metrics_compute (policy, &weekend, M, M + 14 * DAY, 2);

  assert_result (results, "t2-response", 1, 0, 30 * MINUTE, TD_METRIC_PASS);
  /* One ticket, no moves down: no bounce, and that passes. */
  assert_result (results, "handoff-quality", 1, 0, 0, TD_METRIC_PASS);
}

static void
test_empty (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  TdMetricsInput nothing = { NULL, 0, NULL, 0, TRUE };
  g_autoptr (GArray) results = td_metrics_compute (policy, &nothing, M, M + 7 * DAY, 0);

  for (guint i = 0; i < results->len; i++)
    g_assert_cmpint (g_array_index (results, TdMetricResult, i).verdict, ==, TD_METRIC_NO_DATA);
}

static void
test_csv (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GArray) results = td_metrics_compute (policy, &input, M, M + 14 * DAY, 0);
  g_autoptr (GPtrArray) weeks = td_metrics_weekly (policy, &input, M, M + 14 * DAY, 0, utc);
  g_autofree char *csv = td_metrics_to_csv (results, M, M + 14 * DAY, weeks);
  g_auto (GStrv) lines = g_strsplit (csv, "\r\n", -1);

  /* A header, 13 rows for the period, 13 for each of the two weeks, and
   * the empty string after the last line end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 13 + 1);
  g_assert_cmpstr (lines[0], ==,
                   "period_start,period_end,id,name,tier,unit,value,target,comparison,verdict,"
                   "samples,hits");
  /* The values of test_whole_period, in seconds and percent. */
  g_assert_cmpstr (lines[1], ==,
                   "2026-03-02T00:00:00Z,2026-03-16T00:00:00Z,t1-first-response,First Response "
                   "Time,1,seconds,620.00,900.00,<,pass,6,0");
  g_assert_cmpstr (lines[2], ==,
                   "2026-03-02T00:00:00Z,2026-03-16T00:00:00Z,t1-first-contact-resolution,First "
                   "Contact Resolution,1,percent,16.67,40.00,>,fail,6,1");
  /* No data: the value is left empty, not 0. */
  g_assert_cmpstr (lines[6], ==,
                   "2026-03-02T00:00:00Z,2026-03-16T00:00:00Z,t2-escalation-accuracy,Escalation "
                   "Accuracy,2,percent,,98.00,>,no-data,0,0");
  g_assert_cmpstr (lines[11], ==,
                   "2026-03-02T00:00:00Z,2026-03-16T00:00:00Z,knowledge-updates,Knowledge updates,,"
                   "percent,50.00,100.00,>=,fail,4,2");
  g_assert_cmpstr (lines[12], ==,
                   "2026-03-02T00:00:00Z,2026-03-16T00:00:00Z,handoff-quality,Handoff quality,,"
                   "count,1.00,0.00,<=,fail,6,1");
  /* Week 2's first row. */
  g_assert_cmpstr (lines[27], ==,
                   "2026-03-09T00:00:00Z,2026-03-16T00:00:00Z,t1-first-response,First Response "
                   "Time,1,seconds,1200.00,900.00,<,fail,1,0");
}

/* The documentation clock is read at the end of the period: until Monday
 * 20:00, A was documented (15:00, within 24 h); B's article came after
 * the period and its 24 h run until Tuesday 14:00, so at 20:00 its clock
 * still runs and it is not a sample. 1/1 = 100%. */
static void
test_knowledge_clock_at_period_end (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (GArray) results = td_metrics_compute (policy, &input, M, AT (0, 20, 0), 0);

  assert_result (results, "knowledge-updates", 1, 1, 100, TD_METRIC_PASS);
}

/* The review's own statuses (td-pir.h) as PIR completion counts them. */
static void
test_pir_status (void)
{
  g_assert_cmpint (td_metrics_pir_status (TD_PIR_SCHEDULED), ==, TD_METRICS_PIR_PENDING);
  g_assert_cmpint (td_metrics_pir_status (TD_PIR_HELD), ==, TD_METRICS_PIR_COMPLETE);
  g_assert_cmpint (td_metrics_pir_status (TD_PIR_ACTIONS_OPEN), ==, TD_METRICS_PIR_COMPLETE);
  g_assert_cmpint (td_metrics_pir_status (TD_PIR_CLOSED), ==, TD_METRICS_PIR_COMPLETE);
}

/* Reviews in each status of their workflow. All tickets opened and
 * resolved at Tier 1 without a move:
 * - P1 SEV-1, review scheduled (pending);
 * - P2 SEV-1, held;
 * - P3 SEV-2, held with actions open;
 * - P4 SEV-2, closed;
 * - P5 SEV-2, no review;
 * - P6 SEV-3, closed review, but SEV-3 needs none: not a sample;
 * - P7 SEV-1, closed review, resolved before the period: not a sample. */
static void
test_pir_completion (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
#define PIR_TICKET(id, sev, day, review) \
  { (id),                                \
    (sev),                               \
    1,                                   \
    AT (day, 9, 0),                      \
    AT (day, 9, 5),                      \
    AT (day, 11, 0),                     \
    all_fields,                          \
    td_metrics_pir_status (review),      \
    NULL,                                \
    0 }
  TdMetricsTicket reviewed[] = {
    PIR_TICKET ("P1", "SEV-1", 0, TD_PIR_SCHEDULED),
    PIR_TICKET ("P2", "SEV-1", 1, TD_PIR_HELD),
    PIR_TICKET ("P3", "SEV-2", 2, TD_PIR_ACTIONS_OPEN),
    PIR_TICKET ("P4", "SEV-2", 3, TD_PIR_CLOSED),
    { "P5", "SEV-2", 1, AT (4, 9, 0), AT (4, 9, 5), AT (4, 11, 0), all_fields, TD_METRICS_PIR_NONE,
      NULL, 0 },
    PIR_TICKET ("P6", "SEV-3", 4, TD_PIR_CLOSED),
    PIR_TICKET ("P7", "SEV-1", -3, TD_PIR_CLOSED),
  };
#undef PIR_TICKET
  TdMetricsInput reviews = { reviewed, G_N_ELEMENTS (reviewed), NULL, 0, TRUE };
  g_autoptr (GArray) results = td_metrics_compute (policy, &reviews, M, M + 7 * DAY, 0);
  g_autoptr (GArray) all_held = NULL;

  /* SEV-1/2 resolved in the week: P1–P5 (5); held, actions open or
   * closed: P2, P3, P4 (3). 3/5 = 60% < 100%. */
  assert_result (results, "pir-participation", 5, 3, 60, TD_METRIC_FAIL);

  /* Once P1's review is held and P5 gets one that is closed: 5/5 = 100%,
   * which meets "at least 100%". */
  reviewed[0].pir_status = td_metrics_pir_status (TD_PIR_HELD);
  reviewed[4].pir_status = td_metrics_pir_status (TD_PIR_CLOSED);
  all_held = td_metrics_compute (policy, &reviews, M, M + 7 * DAY, 0);
  assert_result (all_held, "pir-participation", 5, 5, 100, TD_METRIC_PASS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/metrics/whole-period", test_whole_period);
  g_test_add_func ("/core/metrics/tier-filter", test_tier_filter);
  g_test_add_func ("/core/metrics/weekly", test_weekly);
  g_test_add_func ("/core/metrics/business-hours", test_business_hours);
  g_test_add_func ("/core/metrics/empty", test_empty);
  g_test_add_func ("/core/metrics/csv", test_csv);
  g_test_add_func ("/core/metrics/knowledge-clock", test_knowledge_clock_at_period_end);
  g_test_add_func ("/core/metrics/pir-status", test_pir_status);
  g_test_add_func ("/core/metrics/pir-completion", test_pir_completion);
  return g_test_run ();
}
