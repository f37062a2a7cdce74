/* test-time.c — reading and writing the times people type into forms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-time.h"

static void
test_wall_clock (void)
{
  g_autoptr (GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  static const char *const refused[] = {
    "",
    "2026-11-27",
    "2026-11-27 9:30",
    "2026-02-30 09:30",
    "2026-11-27 25:00",
    "2026-13-01 09:30",
    "2026-11-27 09:30:00",
    "2026-11-27_09:30",
    "27/11/2026 09:30",
    "2026-11-27 09:30 x",
    "2026-1-27 09:300",
  };
  TdInstant at = 0;

  /* Winter: London is UTC. */
  g_assert_true (td_time_parse_wall_clock ("2026-11-27 09:30", london, &at));
  g_assert_cmpint (at, ==, 1795771800);
  g_assert_true (td_time_parse_wall_clock ("  2026-11-27T09:30 ", utc, &at));
  g_assert_cmpint (at, ==, 1795771800);
  /* Summer: London is an hour ahead. */
  g_assert_true (td_time_parse_wall_clock ("2026-07-01 12:00", london, &at));
  g_assert_cmpint (at, ==, 1782903600);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("refused: \"%s\"", refused[i]);
      g_assert_false (td_time_parse_wall_clock (refused[i], london, &at));
    }
  g_assert_false (td_time_parse_wall_clock (NULL, london, &at));
}

static void
test_wall_clock_round_trip (void)
{
  g_autoptr (GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr (GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autofree char *winter = td_time_format_wall_clock (1795771800, london);
  g_autofree char *summer = td_time_format_wall_clock (1782903600, london);
  g_autofree char *there = td_time_format_wall_clock (1795771800, new_york);
  TdInstant        back = 0;

  g_assert_cmpstr (winter, ==, "2026-11-27 09:30");
  g_assert_cmpstr (summer, ==, "2026-07-01 12:00");
  g_assert_cmpstr (there, ==, "2026-11-27 04:30");
  g_assert_true (td_time_parse_wall_clock (there, new_york, &back));
  g_assert_cmpint (back, ==, 1795771800);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/time/wall-clock", test_wall_clock);
  g_test_add_func ("/core/time/wall-clock-round-trip", test_wall_clock_round_trip);
  return g_test_run ();
}
