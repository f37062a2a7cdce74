/* test-rota.c — on-call rotas [4.7, 5.7]: DST, overrides, swaps, the linter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-rota-lint.h"
#include "td-rota.h"
#include "td-time.h"

#include "td-test-util.h"

#define HOUR ((gint64) 3600)
#define DAY  ((gint64) 86400)
#define WEEK (7 * DAY)

static const char *const four[] = { "alice", "bob", "carol", "dave", NULL };
/* Two weeks behind the primaries: nobody is primary and secondary at once,
 * and everyone does one of each per four weeks. */
static const char *const four_shifted[] = { "carol", "dave", "alice", "bob", NULL };

static TdRotation *
make_rotation (const char        *time_zone,
               const char        *start_date,
               const char        *handoff_time,
               const char *const *primary,
               const char *const *secondary)
{
  g_autoptr (GError) error = NULL;
  TdRotation *rotation;

  rotation = td_rotation_new ("rota-1", "Tier 2 On-Call Rotation", 2, time_zone, start_date,
                              handoff_time, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rotation);
  td_rotation_add_position (rotation, "primary", "Primary");
  td_rotation_add_position (rotation, "secondary", "Secondary");
  if (primary != NULL)
    td_rotation_set_members (rotation, "primary", primary);
  if (secondary != NULL)
    td_rotation_set_members (rotation, "secondary", secondary);
  td_rotation_set_person_name (rotation, "alice", "Alice Archer");
  td_rotation_set_person_name (rotation, "bob", "Bob Brown");
  td_rotation_set_person_name (rotation, "carol", "Carol Chen");
  td_rotation_set_person_name (rotation, "dave", "Dave Diaz");
  return rotation;
}

static gint64
zone_offset (GTimeZone *zone, TdInstant instant)
{
  return g_time_zone_get_offset (zone,
                                 g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, instant));
}

static int
local_minute (GTimeZone *zone, TdInstant instant)
{
  gint64 local = instant + zone_offset (zone, instant);
  gint64 second = ((local % DAY) + DAY) % DAY;

  return (int) (second / 60);
}

static int
local_weekday (GTimeZone *zone, TdInstant instant)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, zone);

  return g_date_time_get_day_of_week (local);
}

/* The transitions of @zone in [from, to), found independently of td-rota. */
static guint
count_transitions (GTimeZone *zone, TdInstant from, TdInstant to, int direction)
{
  guint n = 0;

  for (TdInstant t = from; t + HOUR <= to; t += HOUR)
    {
      gint64 change = zone_offset (zone, t + HOUR) - zone_offset (zone, t);

      if ((direction > 0 && change > 0) || (direction < 0 && change < 0))
        n++;
    }
  return n;
}

/* Shifts of @slot over [from, to): contiguous, each at the handoff time on
 * the same weekday, and as long as the days say, give or take the hour a
 * DST change adds or removes. */
static void
assert_schedule (TdRotation *rotation, TdInstant from, TdInstant to, guint expected_shifts)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (td_rotation_get_time_zone (rotation));
  g_autoptr (GPtrArray) shifts = td_rotation_resolve (rotation, "primary", from, to);
  gint64 days = td_rotation_get_shift_days (rotation);
  int    minute = td_rotation_get_handoff_minute (rotation);
  guint  shorter = 0;
  guint  longer = 0;
  int    weekday = 0;

  g_assert_cmpuint (shifts->len, ==, expected_shifts);

  for (guint i = 0; i < shifts->len; i++)
    {
      const TdRotaShift *shift = g_ptr_array_index (shifts, i);
      gint64             length = shift->interval.end - shift->interval.start;
      gint64             change
          = zone_offset (zone, shift->interval.end) - zone_offset (zone, shift->interval.start);

      g_assert_cmpint (shift->interval.start, ==, shift->shift.start);
      g_assert_cmpint (shift->interval.end, ==, shift->shift.end);
      if (i + 1 < shifts->len)
        {
          const TdRotaShift *next = g_ptr_array_index (shifts, i + 1);

          g_assert_cmpint (shift->interval.end, ==, next->interval.start);
          g_assert_cmpint (next->index, ==, shift->index + 1);
        }

      g_assert_cmpint (local_minute (zone, shift->interval.start), ==, minute);
      if (days == 7)
        {
          if (weekday == 0)
            weekday = local_weekday (zone, shift->interval.start);
          g_assert_cmpint (local_weekday (zone, shift->interval.start), ==, weekday);
        }

      g_assert_cmpint (length, ==, days * DAY - change);
      if (change == 0)
        g_assert_cmpint (length, ==, days * DAY);
      else if (change > 0)
        {
          g_assert_cmpint (length, ==, days * DAY - HOUR);
          shorter++;
        }
      else
        {
          g_assert_cmpint (length, ==, days * DAY + HOUR);
          longer++;
        }
    }

  /* Every DST change of the two years fell inside exactly one shift. */
  g_assert_cmpuint (shorter, ==, count_transitions (zone, from, to, +1));
  g_assert_cmpuint (longer, ==, count_transitions (zone, from, to, -1));
  g_assert_cmpuint (shorter, ==, 2);
  g_assert_cmpuint (longer, ==, 2);
}

static void
test_template (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  GPtrArray            *templates = td_policy_get_rota_templates (policy);
  const TdRotaTemplate *tier2 = NULL;
  const TdRotaTemplate *tier3 = NULL;
  g_autoptr (TdRotation) t2 = NULL;
  g_autoptr (TdRotation) t3 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *devops = NULL;
  g_autofree char *primary = NULL;
  g_autoptr (GPtrArray) now = NULL;

  for (guint i = 0; i < templates->len; i++)
    {
      const TdRotaTemplate *t = g_ptr_array_index (templates, i);

      if (t->tier == 2)
        tier2 = t;
      if (t->tier == 3)
        tier3 = t;
    }
  g_assert_nonnull (tier2);
  g_assert_nonnull (tier3);

  /* [4.7]: Tier 2 primary and secondary, a four-week cycle. */
  t2 = td_rotation_new_from_template (tier2, "t2", "Europe/London", "2026-01-05", "09:00", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_rotation_get_policy_id (t2), ==, "tier2-on-call");
  g_assert_cmpuint (td_rotation_get_cycle_length (t2), ==, 4);
  g_assert_cmpuint (td_rotation_get_positions (t2)->len, ==, 2);
  primary = td_rotation_describe_slot (t2, "primary");
  g_assert_cmpstr (primary, ==, "Tier 2 Primary");

  /* [5.7]: Tier 3 primary and secondary engineer, DevOps, DBA. */
  t3 = td_rotation_new_from_template (tier3, "t3", "Europe/London", "2026-01-05", "09:00", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_rotation_get_positions (t3)->len, ==, 4);
  devops = td_rotation_describe_slot (t3, "devops");
  g_assert_cmpstr (devops, ==, "Tier 3 DevOps On-Call");

  /* The seed's names are placeholders, so nobody is on call yet. */
  now = td_rotation_on_call_at (t3, td_test_iso ("2026-02-02T12:00:00Z"));
  g_assert_cmpuint (now->len, ==, 4);
  for (guint i = 0; i < now->len; i++)
    g_assert_null (((TdRotaShift *) g_ptr_array_index (now, i))->person);

  td_rotation_set_member (t3, "dba", 1, "dave");
  g_assert_cmpstr (td_rotation_who_is_on_call (t3, "dba", td_test_iso ("2026-01-05T09:00:00Z")), ==,
                   "dave");
  g_assert_null (td_rotation_who_is_on_call (t3, "dba", td_test_iso ("2026-01-12T09:00:00Z")));
  g_assert_cmpstr (td_rotation_who_is_on_call (t3, "dba", td_test_iso ("2026-02-02T09:00:00Z")), ==,
                   "dave");
}

static void
test_invalid (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (td_rotation_new ("r", "Night", 2, "Mars/Olympus", "2026-01-05", "09:00", &error));
  g_assert_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "rotation \"Night\": unknown time zone \"Mars/Olympus\" (expected an IANA name "
                   "such as Europe/Berlin)");
  g_clear_error (&error);

  g_assert_null (td_rotation_new ("r", "Night", 2, "Europe/Berlin", "2026-02-30", "09:00", &error));
  g_assert_cmpstr (error->message, ==,
                   "rotation \"Night\": start date \"2026-02-30\" is not a date (expected "
                   "YYYY-MM-DD)");
  g_clear_error (&error);

  g_assert_null (td_rotation_new ("r", "Night", 2, "Europe/Berlin", "2026-01-05", "24:00", &error));
  g_assert_cmpstr (error->message, ==,
                   "rotation \"Night\": handoff time \"24:00\" is not a time (expected HH:MM from "
                   "00:00 to 23:59)");
}

/* Europe/Berlin, Mondays 09:00, two years: 2026-03-29, 2026-10-25,
 * 2027-03-28 and 2027-10-31 each fall inside one shift. */
static void
test_dst_berlin_weekly (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (GPtrArray) around = NULL;
  const TdRotaShift *shift;

  assert_schedule (rotation, td_test_iso ("2026-01-05T08:00:00Z"),
                   td_test_iso ("2028-01-03T08:00:00Z"), 104);

  /* The week of the spring change is 167 hours: 09:00 CET to 09:00 CEST. */
  around = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-03-25T00:00:00Z"),
                                td_test_iso ("2026-03-25T00:00:01Z"));
  g_assert_cmpuint (around->len, ==, 1);
  shift = g_ptr_array_index (around, 0);
  td_test_assert_instant (shift->interval.start, "2026-03-23T08:00:00Z");
  td_test_assert_instant (shift->interval.end, "2026-03-30T07:00:00Z");
  g_clear_pointer (&around, g_ptr_array_unref);

  /* And the autumn one 169. */
  around = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-10-21T00:00:00Z"),
                                td_test_iso ("2026-10-21T00:00:01Z"));
  shift = g_ptr_array_index (around, 0);
  td_test_assert_instant (shift->interval.start, "2026-10-19T07:00:00Z");
  td_test_assert_instant (shift->interval.end, "2026-10-26T08:00:00Z");
}

static void
test_dst_los_angeles_weekly (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("America/Los_Angeles", "2026-01-04", "17:30", four, four_shifted);

  /* Sundays 17:30 Pacific; the changes are on Sundays at 02:00, so the
   * shift that starts the evening of a change is a normal one. */
  assert_schedule (rotation, td_test_iso ("2026-01-05T01:30:00Z"),
                   td_test_iso ("2028-01-03T01:30:00Z"), 104);
  td_test_assert_instant (td_rotation_get_shift_start (rotation, 9), "2026-03-09T00:30:00Z");
  td_test_assert_instant (td_rotation_get_shift_start (rotation, 10), "2026-03-16T00:30:00Z");
}

static void
test_daily (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("America/Los_Angeles", "2026-01-01", "08:00", four, four_shifted);

  td_rotation_set_shift_days (rotation, 1);
  /* 2026-01-01 08:00 PST to 2028-01-01 08:00 PST: 730 days. */
  assert_schedule (rotation, td_test_iso ("2026-01-01T16:00:00Z"),
                   td_test_iso ("2028-01-01T16:00:00Z"), 730);
  /* 2026-03-07 08:00 PST to 2026-03-08 08:00 PDT is 23 hours. */
  td_test_assert_instant (td_rotation_get_shift_start (rotation, 65), "2026-03-07T16:00:00Z");
  td_test_assert_instant (td_rotation_get_shift_start (rotation, 66), "2026-03-08T15:00:00Z");
  /* Members turn over each day. */
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-02T15:59:59Z")), ==,
      "alice");
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-02T16:00:00Z")), ==,
      "bob");
}

static void
test_n_days (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-03-20", "18:00",
                       (const char *const[]){ "alice", "bob", "carol", NULL }, NULL);
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) shifts = NULL;

  td_rotation_set_shift_days (rotation, 3);
  shifts = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-03-20T17:00:00Z"),
                                td_test_iso ("2026-04-01T00:00:00Z"));
  g_assert_cmpuint (shifts->len, ==, 4);
  for (guint i = 0; i < shifts->len; i++)
    {
      const TdRotaShift *shift = g_ptr_array_index (shifts, i);

      g_assert_cmpint (local_minute (zone, shift->interval.start), ==, 18 * 60);
      g_assert_cmpstr (shift->person, ==, i % 3 == 0 ? "alice" : i % 3 == 1 ? "bob" : "carol");
    }
  /* 2026-03-26 18:00 CET to 2026-03-29 18:00 CEST spans the change: 71 h. */
  td_test_assert_instant (((TdRotaShift *) g_ptr_array_index (shifts, 2))->interval.start,
                          "2026-03-26T17:00:00Z");
  td_test_assert_instant (((TdRotaShift *) g_ptr_array_index (shifts, 2))->interval.end,
                          "2026-03-29T16:00:00Z");
}

/* A handoff in the skipped hour happens at the jump; in the repeated hour,
 * the first time the clock shows it. */
static void
test_dst_gap_and_repeat (void)
{
  g_autoptr (TdRotation) berlin
      = make_rotation ("Europe/Berlin", "2026-03-22", "02:30", four, NULL);
  g_autoptr (TdRotation) la
      = make_rotation ("America/Los_Angeles", "2026-10-25", "01:30", four, NULL);
  gint64     index;
  TdInterval bounds;

  /* 2026-03-29 02:30 does not exist in Berlin: 03:00 CEST, 01:00 UTC. */
  td_test_assert_instant (td_rotation_get_shift_start (berlin, 0), "2026-03-22T01:30:00Z");
  td_test_assert_instant (td_rotation_get_shift_start (berlin, 1), "2026-03-29T01:00:00Z");
  td_test_assert_instant (td_rotation_get_shift_start (berlin, 2), "2026-04-05T00:30:00Z");
  /* 2026-10-25 02:30 happens twice in Berlin: the first is 02:30 CEST. */
  td_test_assert_instant (td_rotation_get_shift_start (berlin, 31), "2026-10-25T00:30:00Z");
  td_test_assert_instant (td_rotation_get_shift_start (berlin, 32), "2026-11-01T01:30:00Z");

  /* 2026-11-01 01:30 happens twice in Los Angeles: the first is PDT. */
  td_test_assert_instant (td_rotation_get_shift_start (la, 1), "2026-11-01T08:30:00Z");
  g_assert_true (
      td_rotation_find_shift (la, td_test_iso ("2026-11-01T09:15:00Z"), &index, &bounds));
  g_assert_cmpint (index, ==, 1);
  td_test_assert_instant (bounds.end, "2026-11-08T09:30:00Z");
  g_assert_true (td_rotation_find_shift (la, td_test_iso ("2026-11-01T08:29:59Z"), &index, NULL));
  g_assert_cmpint (index, ==, 0);
}

static void
test_handoff_weekday (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-07", "09:00", four, NULL);
  GDate date;

  td_rotation_set_handoff_weekday (rotation, G_DATE_MONDAY);
  td_rotation_get_first_date (rotation, &date);
  g_assert_cmpint (g_date_get_day (&date), ==, 12);
  g_assert_cmpint (g_date_get_weekday (&date), ==, G_DATE_MONDAY);
  td_test_assert_instant (td_rotation_get_shift_start (rotation, 0), "2026-01-12T08:00:00Z");
  g_assert_null (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-10T12:00:00Z")));
}

static void
test_who_is_on_call (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (GPtrArray) now = NULL;
  TdInstant handoff = td_test_iso ("2026-01-12T08:00:00Z");

  g_assert_null (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-05T07:59:59Z")));
  g_assert_cmpstr (td_rotation_who_is_on_call (rotation, "primary", handoff - 1), ==, "alice");
  g_assert_cmpstr (td_rotation_who_is_on_call (rotation, "primary", handoff), ==, "bob");
  g_assert_cmpstr (td_rotation_who_is_on_call (rotation, "secondary", handoff), ==, "dave");
  /* Week 5 is week 1 of the next cycle. */
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-02-04T12:00:00Z")), ==,
      "alice");

  now = td_rotation_on_call_at (rotation, handoff + HOUR);
  g_assert_cmpuint (now->len, ==, 2);
  g_assert_cmpstr (((TdRotaShift *) g_ptr_array_index (now, 0))->slot, ==, "primary");
  g_assert_cmpstr (((TdRotaShift *) g_ptr_array_index (now, 0))->person, ==, "bob");
  g_assert_cmpstr (((TdRotaShift *) g_ptr_array_index (now, 1))->person, ==, "dave");
  g_assert_cmpint (((TdRotaShift *) g_ptr_array_index (now, 1))->interval.start, ==, handoff);
}

static void
add_override (TdRotation *rotation,
              const char *id,
              const char *person,
              const char *start,
              const char *end,
              TdInstant   created_at,
              const char *replaces)
{
  g_autoptr (TdRotaOverride) override = NULL;
  g_autoptr (GError) error = NULL;

  override = td_rota_override_new (id, "primary", person, td_test_iso (start), td_test_iso (end),
                                   "cover");
  override->created_at = created_at;
  override->replaces = g_strdup (replaces);
  g_assert_true (td_rotation_add_override (rotation, override, &error));
  g_assert_no_error (error);
}

static void
assert_stretch (GPtrArray  *stretches,
                guint       i,
                const char *person,
                const char *start,
                const char *end,
                const char *override_id)
{
  const TdRotaShift *stretch;

  g_assert_cmpuint (i, <, stretches->len);
  stretch = g_ptr_array_index (stretches, i);
  g_assert_cmpstr (stretch->person, ==, person);
  td_test_assert_instant (stretch->interval.start, start);
  td_test_assert_instant (stretch->interval.end, end);
  g_assert_cmpstr (stretch->override_id, ==, override_id);
}

static void
test_overrides (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (GPtrArray) stretches = NULL;
  g_autoptr (TdRotaOverride) bad = NULL;
  g_autoptr (GError) error = NULL;

  /* Bob covers Wednesday to Friday of Alice's week; later Carol covers
   * Thursday of Bob's cover; then Dave covers Thursday morning, created
   * earlier by a desktop with a slow clock, but replacing Carol's. */
  add_override (rotation, "o1", "bob", "2026-01-07T08:00:00Z", "2026-01-10T08:00:00Z", 100, NULL);
  add_override (rotation, "o2", "carol", "2026-01-08T08:00:00Z", "2026-01-09T08:00:00Z", 200, NULL);
  add_override (rotation, "o3", "dave", "2026-01-08T08:00:00Z", "2026-01-08T12:00:00Z", 50, "o2");

  stretches = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-01-05T08:00:00Z"),
                                   td_test_iso ("2026-01-12T08:00:00Z"));
  g_assert_cmpuint (stretches->len, ==, 6);
  assert_stretch (stretches, 0, "alice", "2026-01-05T08:00:00Z", "2026-01-07T08:00:00Z", NULL);
  assert_stretch (stretches, 1, "bob", "2026-01-07T08:00:00Z", "2026-01-08T08:00:00Z", "o1");
  assert_stretch (stretches, 2, "dave", "2026-01-08T08:00:00Z", "2026-01-08T12:00:00Z", "o3");
  assert_stretch (stretches, 3, "carol", "2026-01-08T12:00:00Z", "2026-01-09T08:00:00Z", "o2");
  assert_stretch (stretches, 4, "bob", "2026-01-09T08:00:00Z", "2026-01-10T08:00:00Z", "o1");
  assert_stretch (stretches, 5, "alice", "2026-01-10T08:00:00Z", "2026-01-12T08:00:00Z", NULL);
  for (guint i = 0; i < stretches->len; i++)
    {
      const TdRotaShift *stretch = g_ptr_array_index (stretches, i);

      g_assert_cmpstr (stretch->scheduled_person, ==, "alice");
      g_assert_cmpint (stretch->index, ==, 0);
    }
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-08T10:00:00Z")), ==,
      "dave");
  g_assert_cmpstr (td_rotation_get_person_name (
                       rotation, td_rotation_who_is_on_call (rotation, "primary",
                                                             td_test_iso ("2026-01-08T13:00:00Z"))),
                   ==, "Carol Chen");

  /* The same override id again is an update of that row. */
  add_override (rotation, "o2", "carol", "2026-01-08T08:00:00Z", "2026-01-08T09:00:00Z", 200, NULL);
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-08T13:00:00Z")), ==,
      "bob");

  /* An override with nobody leaves the slot open. */
  add_override (rotation, "o4", NULL, "2026-01-11T08:00:00Z", "2026-01-11T09:00:00Z", 300, NULL);
  g_assert_null (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-11T08:30:00Z")));

  g_assert_true (td_rotation_remove_override (rotation, "o1"));
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-07T10:00:00Z")), ==,
      "alice");

  bad = td_rota_override_new ("o9", "tertiary", "bob", 10, 20, NULL);
  g_assert_false (td_rotation_add_override (rotation, bad, &error));
  g_assert_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "override \"o9\": rotation \"Tier 2 On-Call Rotation\" has no position "
                   "\"tertiary\"");
}

static TdRotaSwap *
trade (const char *id)
{
  /* Alice (week 1) gives her week to Bob and takes Bob's (week 2). */
  TdRotaSwap *swap
      = td_rota_swap_new (id, "primary", "alice", "bob", td_test_iso ("2026-01-05T08:00:00Z"),
                          td_test_iso ("2026-01-12T08:00:00Z"));

  td_rota_swap_set_take (swap, td_test_iso ("2026-01-12T08:00:00Z"),
                         td_test_iso ("2026-01-19T08:00:00Z"));
  swap->created_at = td_test_iso ("2026-01-01T10:00:00Z");
  return swap;
}

static void
test_swap_accept (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (TdRotaSwap) swap = trade ("s1");
  g_autoptr (GPtrArray) made = NULL;
  g_autoptr (GError) error = NULL;
  TdInstant             now = td_test_iso ("2026-01-02T09:00:00Z");
  const TdRotaOverride *give;
  const TdRotaOverride *take;
  const TdRotaSwap     *stored;

  g_assert_true (td_rotation_add_swap (rotation, swap, &error));
  g_assert_cmpint (td_rota_swap_get_status_at (td_rotation_get_swap (rotation, "s1"), now), ==,
                   TD_ROTA_SWAP_PENDING);
  g_assert_true (td_rotation_accept_swap (rotation, "s1", "bob", now, &made, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (made->len, ==, 2);
  give = g_ptr_array_index (made, 0);
  take = g_ptr_array_index (made, 1);
  g_assert_cmpstr (give->person, ==, "bob");
  g_assert_cmpstr (give->slot, ==, "primary");
  td_test_assert_instant (give->interval.start, "2026-01-05T08:00:00Z");
  td_test_assert_instant (give->interval.end, "2026-01-12T08:00:00Z");
  g_assert_cmpstr (give->reason, ==, "Swap: Bob Brown covers Alice Archer");
  g_assert_cmpint (give->created_at, ==, now);
  g_assert_cmpstr (take->person, ==, "alice");
  td_test_assert_instant (take->interval.start, "2026-01-12T08:00:00Z");
  g_assert_cmpuint (td_rotation_get_overrides (rotation)->len, ==, 2);

  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-06T12:00:00Z")), ==,
      "bob");
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-13T12:00:00Z")), ==,
      "alice");
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-20T12:00:00Z")), ==,
      "carol");

  stored = td_rotation_get_swap (rotation, "s1");
  g_assert_cmpint (stored->status, ==, TD_ROTA_SWAP_ACCEPTED);
  g_assert_cmpstr (stored->decided_by, ==, "bob");
  g_assert_cmpint (stored->decided_at, ==, now);
  g_assert_cmpstr (td_rota_swap_status_to_string (stored->status), ==, "accepted");
  /* The caller's copy is not the rotation's. */
  g_assert_cmpint (swap->status, ==, TD_ROTA_SWAP_PENDING);

  /* Once decided, it stays decided. */
  g_assert_false (td_rotation_accept_swap (rotation, "s1", "bob", now, NULL, &error));
  g_assert_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_SWAP_DECIDED);
  g_assert_cmpstr (error->message, ==, "the swap offered by Alice Archer was already accepted");
}

static void
test_swap_over_override (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (TdRotaSwap) swap = NULL;
  g_autoptr (GPtrArray) made = NULL;
  g_autoptr (GError) error = NULL;

  /* Carol already covers Alice's week; now Carol hands it on to Dave. */
  add_override (rotation, "o1", "carol", "2026-01-05T08:00:00Z", "2026-01-12T08:00:00Z", 100, NULL);
  swap = td_rota_swap_new ("s2", "primary", "carol", "dave", td_test_iso ("2026-01-05T08:00:00Z"),
                           td_test_iso ("2026-01-12T08:00:00Z"));
  g_assert_true (td_rotation_add_swap (rotation, swap, &error));
  g_assert_true (td_rotation_accept_swap (rotation, "s2", "dave", 10, &made, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (made->len, ==, 1);
  g_assert_cmpstr (((TdRotaOverride *) g_ptr_array_index (made, 0))->replaces, ==, "o1");
  /* It replaces o1, so it wins even though its clock (10) is earlier. */
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-06T12:00:00Z")), ==,
      "dave");
}

static void
test_swap_decline_cancel (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (TdRotaSwap) s1 = trade ("s1");
  g_autoptr (TdRotaSwap) s2 = trade ("s2");
  g_autoptr (GError) error = NULL;
  TdInstant now = td_test_iso ("2026-01-02T09:00:00Z");

  g_assert_true (td_rotation_add_swap (rotation, s1, NULL));
  g_assert_true (td_rotation_add_swap (rotation, s2, NULL));
  g_assert_true (td_rotation_decline_swap (rotation, "s1", "bob", now, &error));
  g_assert_true (td_rotation_cancel_swap (rotation, "s2", "alice", now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (td_rotation_get_swap (rotation, "s1")->status, ==, TD_ROTA_SWAP_DECLINED);
  g_assert_cmpint (td_rotation_get_swap (rotation, "s2")->status, ==, TD_ROTA_SWAP_CANCELLED);
  g_assert_cmpuint (td_rotation_get_overrides (rotation)->len, ==, 0);
  g_assert_cmpstr (
      td_rotation_who_is_on_call (rotation, "primary", td_test_iso ("2026-01-06T12:00:00Z")), ==,
      "alice");

  g_assert_false (td_rotation_accept_swap (rotation, "s1", "bob", now, NULL, &error));
  g_assert_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_SWAP_DECIDED);
  g_assert_cmpstr (error->message, ==, "the swap offered by Alice Archer was already declined");
  g_clear_error (&error);

  g_assert_false (td_rotation_decline_swap (rotation, "nope", "bob", now, &error));
  g_assert_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_NOT_FOUND);
}

static void
test_swap_expires (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (TdRotaSwap) swap = trade ("s1");
  g_autoptr (GError) error = NULL;
  TdInstant        began = td_test_iso ("2026-01-05T08:00:00Z");
  TdRotaSwapStatus status;

  g_assert_true (td_rotation_add_swap (rotation, swap, NULL));
  g_assert_cmpint (td_rota_swap_get_status_at (swap, began - 1), ==, TD_ROTA_SWAP_PENDING);
  g_assert_cmpint (td_rota_swap_get_status_at (swap, began), ==, TD_ROTA_SWAP_EXPIRED);

  g_assert_false (td_rotation_accept_swap (rotation, "s1", "bob", began + HOUR, NULL, &error));
  g_assert_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_SWAP_EXPIRED);
  g_assert_cmpstr (error->message, ==,
                   "the swap offered by Alice Archer expired when its shift began on "
                   "Mon 5 Jan 2026 09:00 CET");
  /* Expiry is read, not written: the stored row still says pending. */
  g_assert_cmpint (td_rotation_get_swap (rotation, "s1")->status, ==, TD_ROTA_SWAP_PENDING);
  g_assert_true (td_rota_swap_status_from_string ("pending", &status));
  g_assert_cmpint (status, ==, TD_ROTA_SWAP_PENDING);
  g_assert_true (td_rota_swap_status_from_string ("offered", &status));
  g_assert_cmpint (status, ==, TD_ROTA_SWAP_PENDING);
  g_assert_false (td_rota_swap_status_from_string ("maybe", &status));
}

static void
test_swap_not_on_call (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (TdRotaSwap) swap = NULL;
  g_autoptr (GError) error = NULL;

  /* Carol is not primary in week 1: she cannot give it away. */
  swap = td_rota_swap_new ("s1", "primary", "carol", "bob", td_test_iso ("2026-01-05T08:00:00Z"),
                           td_test_iso ("2026-01-12T08:00:00Z"));
  g_assert_true (td_rotation_add_swap (rotation, swap, NULL));
  g_assert_false (td_rotation_accept_swap (rotation, "s1", "bob", 0, NULL, &error));
  g_assert_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_NOT_ON_CALL);
  g_assert_cmpstr (error->message, ==,
                   "Carol Chen cannot give away Tier 2 Primary from Mon 5 Jan 2026 09:00 CET to "
                   "Mon 12 Jan 2026 09:00 CET: they are not on call for all of it");
  g_assert_cmpint (td_rotation_get_swap (rotation, "s1")->status, ==, TD_ROTA_SWAP_PENDING);
}

/* The linter */

static guint training_calls;

static gboolean
never_overdue (const char *person,
               const char *slot,
               int         tier,
               TdInstant   at,
               char      **topic,
               gpointer    user_data)
{
  training_calls++;
  return FALSE;
}

static GPtrArray *
findings_of_kind (GPtrArray *findings, TdRotaFindingKind kind)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < findings->len; i++)
    {
      TdRotaFinding *finding = g_ptr_array_index (findings, i);

      if (finding->kind == kind)
        g_ptr_array_add (out, finding);
    }
  return out;
}

static void
test_lint_clean (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (TdCalendar) calendar = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  TdRotaLintOptions options;

  /* One holiday in each person's primary week (and so in someone's
   * secondary week): two each. */
  calendar = td_calendar_new_business ("berlin", "Berlin", "Europe/Berlin", &error);
  g_assert_no_error (error);
  td_calendar_add_holiday (calendar, 2026, 1, 6);
  td_calendar_add_holiday (calendar, 2026, 1, 14);
  td_calendar_add_holiday (calendar, 2026, 1, 21);
  td_calendar_add_holiday (calendar, 2026, 1, 28);
  td_rotation_set_holiday_calendar (rotation, calendar);

  td_rota_lint_options_init (&options);
  options.training = never_overdue;
  training_calls = 0;

  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T08:00:00Z"), &options);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("unexpected: %s", ((TdRotaFinding *) g_ptr_array_index (findings, i))->message);
  g_assert_cmpuint (findings->len, ==, 0);
  /* 52 weeks, two slots: the training hook saw every shift. */
  g_assert_cmpuint (training_calls, ==, 104);
}

static void
test_lint_gap (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) gaps = NULL;
  TdRotaFinding *gap;

  /* Nobody is secondary in week 3 of the cycle. */
  td_rotation_set_member (rotation, "secondary", 3, NULL);
  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T08:00:00Z"), NULL);
  gaps = findings_of_kind (findings, TD_ROTA_FINDING_GAP);
  g_assert_cmpuint (gaps->len, ==, 13);
  gap = g_ptr_array_index (gaps, 0);
  g_assert_cmpstr (gap->slot, ==, "secondary");
  g_assert_cmpstr (gap->rotation_id, ==, "rota-1");
  td_test_assert_instant (gap->interval.start, "2026-01-19T08:00:00Z");
  td_test_assert_instant (gap->interval.end, "2026-01-26T08:00:00Z");
  g_assert_cmpstr (gap->message, ==,
                   "Nobody is on call for Tier 2 Secondary from Mon 19 Jan 2026 09:00 CET to "
                   "Mon 26 Jan 2026 09:00 CET.");

  /* Before the first handoff, nothing is covered either. */
  g_clear_pointer (&findings, g_ptr_array_unref);
  g_clear_pointer (&gaps, g_ptr_array_unref);
  td_rotation_set_member (rotation, "secondary", 3, "alice");
  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-01T08:00:00Z"), NULL);
  gaps = findings_of_kind (findings, TD_ROTA_FINDING_GAP);
  g_assert_cmpuint (gaps->len, ==, 2);
  gap = g_ptr_array_index (gaps, 0);
  g_assert_cmpstr (gap->message, ==,
                   "Nobody is on call for Tier 2 Primary from Thu 1 Jan 2026 09:00 CET to "
                   "Mon 5 Jan 2026 09:00 CET.");
}

static void
test_lint_double_booking (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) doubles = NULL;
  TdRotaFinding *finding;

  /* Alice covers Carol's secondary shift while she is primary. */
  {
    g_autoptr (TdRotaOverride) override
        = td_rota_override_new ("o1", "secondary", "alice", td_test_iso ("2026-01-07T08:00:00Z"),
                                td_test_iso ("2026-01-08T20:00:00Z"), "Carol at a conference");

    g_assert_true (td_rotation_add_override (rotation, override, NULL));
  }

  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T08:00:00Z"), NULL);
  doubles = findings_of_kind (findings, TD_ROTA_FINDING_DOUBLE_BOOKING);
  g_assert_cmpuint (doubles->len, ==, 1);
  finding = g_ptr_array_index (doubles, 0);
  g_assert_cmpstr (finding->slot, ==, "primary");
  g_assert_cmpstr (finding->other_slot, ==, "secondary");
  g_assert_cmpstr (finding->persons[0], ==, "alice");
  g_assert_null (finding->persons[1]);
  td_test_assert_instant (finding->interval.start, "2026-01-07T08:00:00Z");
  td_test_assert_instant (finding->interval.end, "2026-01-08T20:00:00Z");
  g_assert_cmpstr (finding->message, ==,
                   "Alice Archer is on call for both Tier 2 Primary and Tier 2 Secondary from "
                   "Wed 7 Jan 2026 09:00 CET to Thu 8 Jan 2026 21:00 CET.");
}

static void
test_lint_double_booking_across_rotations (void)
{
  g_autoptr (TdRotation) t2
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (TdRotation) t3 = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) doubles = NULL;
  g_autoptr (GError) error = NULL;
  TdRotation *both[2];

  t3 = td_rotation_new ("rota-3", "Tier 3 On-Call Rotation", 3, "Europe/Berlin", "2026-01-05",
                        "09:00", &error);
  g_assert_no_error (error);
  td_rotation_add_position (t3, "dba", "DBA On-Call");
  td_rotation_set_members (t3, "dba", (const char *const[]){ "erin", "erin", "erin", "bob", NULL });
  both[0] = t2;
  both[1] = t3;

  findings = td_rota_lint (both, 2, td_test_iso ("2026-01-05T08:00:00Z"), NULL);
  doubles = findings_of_kind (findings, TD_ROTA_FINDING_DOUBLE_BOOKING);
  /* Bob: Tier 3 DBA in week 4 while Tier 2 secondary, every cycle. */
  g_assert_cmpuint (doubles->len, ==, 13);
  g_assert_cmpstr (((TdRotaFinding *) g_ptr_array_index (doubles, 0))->message, ==,
                   "Bob Brown is on call for both Tier 2 Secondary and Tier 3 DBA On-Call from "
                   "Mon 26 Jan 2026 09:00 CET to Mon 2 Feb 2026 09:00 CET.");
}

static void
test_lint_overload (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00",
                       (const char *const[]){ "alice", "bob", "alice", "alice", NULL }, NULL);
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) overloads = NULL;
  TdRotaFinding *finding;

  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T08:00:00Z"), NULL);
  overloads = findings_of_kind (findings, TD_ROTA_FINDING_OVERLOAD);
  g_assert_cmpuint (overloads->len, >=, 1);
  finding = g_ptr_array_index (overloads, 0);
  g_assert_cmpstr (finding->persons[0], ==, "alice");
  td_test_assert_instant (finding->interval.start, "2026-01-05T08:00:00Z");
  td_test_assert_instant (finding->interval.end, "2026-02-02T08:00:00Z");
  g_assert_cmpstr (finding->message, ==,
                   "Alice Archer has 3 on-call shifts within 4 weeks, more than the limit of 2: "
                   "Tier 2 Primary from Mon 5 Jan 2026 09:00 CET; Tier 2 Primary from Mon 19 Jan "
                   "2026 09:00 CET; Tier 2 Primary from Mon 26 Jan 2026 09:00 CET.");
  for (guint i = 0; i < overloads->len; i++)
    g_assert_cmpstr (((TdRotaFinding *) g_ptr_array_index (overloads, i))->persons[0], ==, "alice");
}

static void
test_lint_uneven_weekends (void)
{
  g_autoptr (TdRotation) rotation = make_rotation (
      "Europe/Berlin", "2026-01-05", "09:00",
      (const char *const[]){ "alice", "bob", "alice", "bob", "alice", "carol", "carol", NULL },
      NULL);
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) uneven = NULL;
  TdRotaLintOptions options;
  TdRotaFinding    *finding;

  /* Daily shifts, and Carol has every weekend. */
  td_rotation_set_shift_days (rotation, 1);
  td_rota_lint_options_init (&options);
  options.max_shifts = 0;

  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T08:00:00Z"), &options);
  uneven = findings_of_kind (findings, TD_ROTA_FINDING_UNEVEN_WEEKENDS);
  g_assert_cmpuint (uneven->len, ==, 1);
  finding = g_ptr_array_index (uneven, 0);
  g_assert_null (finding->slot);
  g_assert_cmpstr (finding->persons[0], ==, "carol");
  g_assert_cmpstr (finding->persons[1], ==, "alice");
  g_assert_cmpstr (finding->message, ==,
                   "Weekend on-call is uneven in Tier 2 On-Call Rotation from Mon 5 Jan 2026 "
                   "09:00 CET to Mon 4 Jan 2027 09:00 CET: Carol Chen is on call on 104 weekend "
                   "days, Alice Archer on 0 (more than 4 apart).");
}

static void
test_lint_uneven_holidays (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/London", "2026-01-05", "09:00",
                       (const char *const[]){ "alice", "bob", "carol", NULL }, NULL);
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) uneven = NULL;
  TdRotaLintOptions options;
  TdRotaFinding    *finding;

  /* No calendar of its own: Tier 2's (London, with the bank holidays) from
   * the policy. Alice has the weeks of Good Friday, 28 December and New
   * Year's Day 2027; Bob those of Easter Monday and the summer bank
   * holiday; Carol early May, the spring bank holiday and Christmas. */
  td_rota_lint_options_init (&options);
  options.policy = policy;
  options.holiday_tolerance = 0;

  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T09:00:00Z"), &options);
  uneven = findings_of_kind (findings, TD_ROTA_FINDING_UNEVEN_HOLIDAYS);
  g_assert_cmpuint (uneven->len, ==, 1);
  finding = g_ptr_array_index (uneven, 0);
  g_assert_cmpstr (finding->persons[0], ==, "alice");
  g_assert_cmpstr (finding->persons[1], ==, "bob");
  g_assert_cmpstr (finding->message, ==,
                   "Holiday on-call is uneven in Tier 2 On-Call Rotation from Mon 5 Jan 2026 "
                   "09:00 GMT to Mon 4 Jan 2027 09:00 GMT: Alice Archer is on call on 3 holidays, "
                   "Bob Brown on 2 (more than 0 apart).");

  /* With the default tolerance that difference is fine. */
  g_clear_pointer (&findings, g_ptr_array_unref);
  g_clear_pointer (&uneven, g_ptr_array_unref);
  td_rota_lint_options_init (&options);
  options.policy = policy;
  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T09:00:00Z"), &options);
  uneven = findings_of_kind (findings, TD_ROTA_FINDING_UNEVEN_HOLIDAYS);
  g_assert_cmpuint (uneven->len, ==, 0);
}

static gboolean
carol_overdue (const char *person,
               const char *slot,
               int         tier,
               TdInstant   at,
               char      **topic,
               gpointer    user_data)
{
  TdInstant *due = user_data;

  /* Carol's On-Call Procedures [11.3] lapse on the given instant. */
  if (g_strcmp0 (person, "carol") != 0 || g_strcmp0 (slot, "primary") != 0 || at < *due)
    return FALSE;
  g_assert_cmpint (tier, ==, 2);
  *topic = g_strdup ("On-Call Procedures");
  return TRUE;
}

static void
test_lint_training (void)
{
  g_autoptr (TdRotation) rotation
      = make_rotation ("Europe/Berlin", "2026-01-05", "09:00", four, four_shifted);
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) overdue = NULL;
  TdRotaLintOptions options;
  TdRotaFinding    *finding;
  TdInstant         due = td_test_iso ("2026-06-01T00:00:00Z");

  td_rota_lint_options_init (&options);
  options.training = carol_overdue;
  options.training_data = &due;

  findings = td_rota_lint (&rotation, 1, td_test_iso ("2026-01-05T08:00:00Z"), &options);
  overdue = findings_of_kind (findings, TD_ROTA_FINDING_TRAINING_OVERDUE);
  g_assert_cmpuint (overdue->len, ==, 1);
  finding = g_ptr_array_index (overdue, 0);
  g_assert_cmpstr (finding->slot, ==, "primary");
  g_assert_cmpstr (finding->persons[0], ==, "carol");
  g_assert_cmpstr (finding->topic, ==, "On-Call Procedures");
  /* Carol is primary in weeks 3, 7, 11 …: the first after June is week 23. */
  td_test_assert_instant (finding->interval.start, "2026-06-08T07:00:00Z");
  g_assert_cmpstr (finding->message, ==,
                   "Carol Chen is on call for Tier 2 Primary from Mon 8 Jun 2026 09:00 CEST to "
                   "Mon 15 Jun 2026 09:00 CEST (and 7 later shifts), but their \"On-Call "
                   "Procedures\" training is overdue.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/rota/template", test_template);
  g_test_add_func ("/core/rota/invalid", test_invalid);
  g_test_add_func ("/core/rota/dst/berlin-weekly", test_dst_berlin_weekly);
  g_test_add_func ("/core/rota/dst/los-angeles-weekly", test_dst_los_angeles_weekly);
  g_test_add_func ("/core/rota/dst/gap-and-repeat", test_dst_gap_and_repeat);
  g_test_add_func ("/core/rota/daily", test_daily);
  g_test_add_func ("/core/rota/n-days", test_n_days);
  g_test_add_func ("/core/rota/handoff-weekday", test_handoff_weekday);
  g_test_add_func ("/core/rota/who-is-on-call", test_who_is_on_call);
  g_test_add_func ("/core/rota/overrides", test_overrides);
  g_test_add_func ("/core/rota/swap/accept", test_swap_accept);
  g_test_add_func ("/core/rota/swap/over-override", test_swap_over_override);
  g_test_add_func ("/core/rota/swap/decline-cancel", test_swap_decline_cancel);
  g_test_add_func ("/core/rota/swap/expires", test_swap_expires);
  g_test_add_func ("/core/rota/swap/not-on-call", test_swap_not_on_call);
  g_test_add_func ("/core/rota/lint/clean", test_lint_clean);
  g_test_add_func ("/core/rota/lint/gap", test_lint_gap);
  g_test_add_func ("/core/rota/lint/double-booking", test_lint_double_booking);
  g_test_add_func ("/core/rota/lint/double-booking-across-rotations",
                   test_lint_double_booking_across_rotations);
  g_test_add_func ("/core/rota/lint/overload", test_lint_overload);
  g_test_add_func ("/core/rota/lint/uneven-weekends", test_lint_uneven_weekends);
  g_test_add_func ("/core/rota/lint/uneven-holidays", test_lint_uneven_holidays);
  g_test_add_func ("/core/rota/lint/training", test_lint_training);

  return g_test_run ();
}
