/* test-duration.c — parsing and formatting of policy durations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-duration.h"

#define HOUR ((gint64) 3600)
#define DAY  ((gint64) 86400)

static void
assert_parses (const char *text, gint64 seconds, gint64 business_days)
{
  g_autoptr (GError) error = NULL;
  TdDuration d = { -1, -1 };

  if (!td_duration_parse (text, &d, &error))
    g_error ("\"%s\" did not parse: %s", text, error->message);

  g_assert_no_error (error);
  g_assert_cmpint (d.seconds, ==, seconds);
  g_assert_cmpint (d.business_days, ==, business_days);
}

static void
assert_fails (const char *text, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  TdDuration d = { 42, 43 };

  g_assert_false (td_duration_parse (text, &d, &error));
  g_assert_error (error, TD_DURATION_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);

  /* A failed parse must not leave half a result behind. */
  g_assert_cmpint (d.seconds, ==, 42);
  g_assert_cmpint (d.business_days, ==, 43);
}

static void
test_units (void)
{
  assert_parses ("90s", 90, 0);
  assert_parses ("15m", 15 * 60, 0);
  assert_parses ("4h", 4 * HOUR, 0);
  assert_parses ("2d", 2 * DAY, 0);
  assert_parses ("1w", 7 * DAY, 0);
  assert_parses ("3bd", 0, 3);
  assert_parses ("1s", 1, 0);
  assert_parses ("0m", 0, 0);
  assert_parses ("0bd", 0, 0);
  assert_parses ("120m", 2 * HOUR, 0);
  assert_parses ("007m", 7 * 60, 0);
}

static void
test_combinations (void)
{
  assert_parses ("1h30m", HOUR + 30 * 60, 0);
  assert_parses ("1bd4h", 4 * HOUR, 1);
  assert_parses ("4h1bd", 4 * HOUR, 1);
  assert_parses ("30m1h", HOUR + 30 * 60, 0);
  assert_parses ("1w2d3h4m5s", 9 * DAY + 3 * HOUR + 4 * 60 + 5, 0);
  assert_parses ("2bd1w1d1h1m1s", 8 * DAY + HOUR + 61, 2);
  assert_parses ("1m30s", 90, 0);
}

static void
test_whitespace (void)
{
  assert_parses ("  15m", 15 * 60, 0);
  assert_parses ("15m  ", 15 * 60, 0);
  assert_parses ("\t 1bd4h \n", 4 * HOUR, 1);
}

static void
test_is_zero (void)
{
  TdDuration zero = { 0, 0 };
  TdDuration seconds = { 1, 0 };
  TdDuration days = { 0, 1 };

  g_assert_true (td_duration_is_zero (&zero));
  g_assert_false (td_duration_is_zero (&seconds));
  g_assert_false (td_duration_is_zero (&days));
}

static void
test_to_string (void)
{
  static const struct
  {
    TdDuration  duration;
    const char *text;
  } cases[] = {
    { { 0, 0 }, "0m" },
    { { 90, 0 }, "1m30s" },
    { { 59, 0 }, "59s" },
    { { 15 * 60, 0 }, "15m" },
    { { 4 * HOUR, 0 }, "4h" },
    { { HOUR + 30 * 60, 0 }, "1h30m" },
    { { DAY, 0 }, "1d" },
    { { 2 * DAY, 0 }, "2d" },
    { { 7 * DAY, 0 }, "1w" },
    { { 8 * DAY, 0 }, "1w1d" },
    { { 9 * DAY + 3 * HOUR + 4 * 60 + 5, 0 }, "1w2d3h4m5s" },
    { { 0, 3 }, "3bd" },
    { { 4 * HOUR, 1 }, "1bd4h" },
    { { 30 * 60, 2 }, "2bd30m" },
    { { HOUR + 1, 0 }, "1h1s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = td_duration_to_string (&cases[i].duration);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_round_trip (void)
{
  static const char *const texts[] = {
    "15m", "4h", "1h30m", "90s", "2d", "1w", "3bd", "1bd4h", "0m", "1w1d1h1m1s", "10bd59s",
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20260327);

  /* Canonical strings come back unchanged. */
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;
      TdDuration       d;

      g_assert_true (td_duration_parse (texts[i], &d, &error));
      g_assert_no_error (error);
      text = td_duration_to_string (&d);
      if (g_strcmp0 (texts[i], "90s") == 0)
        g_assert_cmpstr (text, ==, "1m30s");
      else
        g_assert_cmpstr (text, ==, texts[i]);
    }

  /* Any duration survives to_string then parse. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;
      TdDuration d = { g_rand_int_range (rand, 0, 90 * 86400), g_rand_int_range (rand, 0, 400) };
      TdDuration back = { -1, -1 };

      if (i % 3 == 0)
        d.business_days = 0;
      if (i % 5 == 0)
        d.seconds = 0;

      text = td_duration_to_string (&d);
      g_assert_true (td_duration_parse (text, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back.seconds, ==, d.seconds);
      g_assert_cmpint (back.business_days, ==, d.business_days);
    }
}

static void
test_error_empty (void)
{
  assert_fails ("", TD_DURATION_ERROR_EMPTY, "empty duration");
  assert_fails ("   ", TD_DURATION_ERROR_EMPTY, "empty duration");
  assert_fails ("\t\n", TD_DURATION_ERROR_EMPTY, "empty duration");
}

static void
test_error_negative (void)
{
  assert_fails ("-15m", TD_DURATION_ERROR_NEGATIVE, "negative duration \"-15m\"");
  assert_fails ("  -1bd4h ", TD_DURATION_ERROR_NEGATIVE, "negative duration \"-1bd4h\"");
  assert_fails ("-0m", TD_DURATION_ERROR_NEGATIVE, "negative duration \"-0m\"");
}

static void
test_error_parse (void)
{
  static const char *const bad[] = {
    "15", "m",  "1.5h", "4H", "1h 30m", "1h1h", "+15m", "-",      "-x", "15mm",
    "bd", "1b", "abc",  "1y", "1 h",    "h1",   "1hm",  "1bd1bd", "½h", "1h-30m",
  };

  assert_fails ("4 hrs", TD_DURATION_ERROR_PARSE,
                "cannot parse duration \"4 hrs\" (expected a number and a unit: s, m, h, d, w or "
                "bd, e.g. \"15m\", \"4h\", \"3bd\")");
  assert_fails ("  4 hrs  ", TD_DURATION_ERROR_PARSE,
                "cannot parse duration \"4 hrs\" (expected a number and a unit: s, m, h, d, w or "
                "bd, e.g. \"15m\", \"4h\", \"3bd\")");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *message = g_strdup_printf (
          "cannot parse duration \"%s\" (expected a number and a unit: s, m, h, d, w or bd, "
          "e.g. \"15m\", \"4h\", \"3bd\")",
          bad[i]);

      assert_fails (bad[i], TD_DURATION_ERROR_PARSE, message);
    }
}

static void
test_error_overflow (void)
{
  /* The limit is 36525 days (a hundred years) in total, business days
   * counted as 24 hours. */
  assert_parses ("36525d", 36525 * DAY, 0);
  assert_parses ("36525bd", 0, 36525);
  assert_parses ("36524d24h", 36525 * DAY, 0);

  assert_fails ("36526d", TD_DURATION_ERROR_OVERFLOW, "duration \"36526d\" is too long");
  assert_fails ("36525d1s", TD_DURATION_ERROR_OVERFLOW, "duration \"36525d1s\" is too long");
  assert_fails ("36526bd", TD_DURATION_ERROR_OVERFLOW, "duration \"36526bd\" is too long");
  assert_fails ("36525bd1s", TD_DURATION_ERROR_OVERFLOW, "duration \"36525bd1s\" is too long");
  assert_fails ("5218w", TD_DURATION_ERROR_OVERFLOW, "duration \"5218w\" is too long");
  assert_fails ("99999999999999999999999999h", TD_DURATION_ERROR_OVERFLOW,
                "duration \"99999999999999999999999999h\" is too long");
  assert_fails (" 9223372036854775807s ", TD_DURATION_ERROR_OVERFLOW,
                "duration \"9223372036854775807s\" is too long");
  assert_fails ("20000w20000d", TD_DURATION_ERROR_OVERFLOW,
                "duration \"20000w20000d\" is too long");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/duration/units", test_units);
  g_test_add_func ("/core/duration/combinations", test_combinations);
  g_test_add_func ("/core/duration/whitespace", test_whitespace);
  g_test_add_func ("/core/duration/is-zero", test_is_zero);
  g_test_add_func ("/core/duration/to-string", test_to_string);
  g_test_add_func ("/core/duration/round-trip", test_round_trip);
  g_test_add_func ("/core/duration/error/empty", test_error_empty);
  g_test_add_func ("/core/duration/error/negative", test_error_negative);
  g_test_add_func ("/core/duration/error/parse", test_error_parse);
  g_test_add_func ("/core/duration/error/overflow", test_error_overflow);

  return g_test_run ();
}
