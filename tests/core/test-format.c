/* test-format.c — spans, countdowns, ages and status names as the queue shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-format.h"

static void
check (char *text, const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_span (void)
{
  check (td_format_span (0), "0 min");
  check (td_format_span (1), "1 min"); /* one second left is not "0 min" */
  check (td_format_span (59), "1 min");
  check (td_format_span (45 * 60), "45 min");
  check (td_format_span (3600), "1 h");
  check (td_format_span (3 * 3600 + 20 * 60), "3 h 20 min");
  check (td_format_span (86400), "1 d");
  check (td_format_span (2 * 86400 + 4 * 3600 + 59), "2 d 4 h");
  check (td_format_span (-90 * 60), "1 h 30 min");
}

static void
test_countdown (void)
{
  check (td_format_countdown (1000 + 15 * 60, 1000), "15 min left");
  check (td_format_countdown (1000, 1000), "0 min left");
  check (td_format_countdown (1000, 1000 + 12 * 60), "12 min overdue");
  check (td_format_countdown (0, 26 * 3600), "1 d 2 h overdue");
}

static void
test_age (void)
{
  check (td_format_age (1000, 1000), "0 min");
  check (td_format_age (0, 59 * 60 + 59), "59 min");
  check (td_format_age (0, 5 * 3600 + 1), "5 h");
  check (td_format_age (0, 3 * 86400 + 7200), "3 d");
  check (td_format_age (500, 100), "0 min"); /* a clock behind the server's */
}

static void
test_status (void)
{
  g_assert_cmpstr (td_format_status ("in_progress"), ==, "In Progress");
  g_assert_cmpstr (td_format_status ("new"), ==, "New");
  g_assert_cmpstr (td_format_status ("closed"), ==, "Closed");
  g_assert_cmpstr (td_format_status ("on_hold"), ==, "on_hold");
  g_assert_cmpstr (td_format_status (NULL), ==, "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/format/span", test_span);
  g_test_add_func ("/core/format/countdown", test_countdown);
  g_test_add_func ("/core/format/age", test_age);
  g_test_add_func ("/core/format/status", test_status);
  return g_test_run ();
}
