/* td-duration.c — durations as the policy writes them ("15m", "4h", "1bd")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "td-duration.h"

/* clang-format would space out the dashes, and they end up in the quark. */
/* clang-format off */
G_DEFINE_QUARK (td-duration-error-quark, td_duration_error)
/* clang-format on */

#define SECONDS_PER_MINUTE ((gint64) 60)
#define SECONDS_PER_HOUR   ((gint64) 60 * 60)
#define SECONDS_PER_DAY    ((gint64) 24 * 60 * 60)
#define SECONDS_PER_WEEK   ((gint64) 7 * 24 * 60 * 60)

/* About a hundred years. No service-level target is that long, so anything
 * above it is a typo (an extra zero or two) rather than a real policy. A
 * business day is counted as 24 hours here, its longest possible length, so
 * that whatever calendar the duration ends up on the sum cannot overflow. */
#define MAX_SECONDS ((gint64) 36525 * SECONDS_PER_DAY)

typedef enum
{
  UNIT_SECONDS,
  UNIT_MINUTES,
  UNIT_HOURS,
  UNIT_DAYS,
  UNIT_WEEKS,
  UNIT_BUSINESS_DAYS,
  N_UNITS
} Unit;

static const struct
{
  const char *suffix;
  gint64      seconds; /* 0 for business days, whose length the calendar decides */
} units[N_UNITS] = {
  [UNIT_SECONDS] = { "s", 1 },
  [UNIT_MINUTES] = { "m", SECONDS_PER_MINUTE },
  [UNIT_HOURS] = { "h", SECONDS_PER_HOUR },
  [UNIT_DAYS] = { "d", SECONDS_PER_DAY },
  [UNIT_WEEKS] = { "w", SECONDS_PER_WEEK },
  [UNIT_BUSINESS_DAYS] = { "bd", 0 },
};

/* Reads a unit suffix at @p and returns how many bytes it took, or 0. "bd"
 * is tried first because "b" alone is not a unit and "d" alone is. */
static gsize
read_unit (const char *p, Unit *unit)
{
  g_assert (p != NULL);
  g_assert (unit != NULL);

  if (p[0] == 'b' && p[1] == 'd')
    {
      *unit = UNIT_BUSINESS_DAYS;
      return 2;
    }

  for (guint i = 0; i < N_UNITS; i++)
    {
      if (i != UNIT_BUSINESS_DAYS && p[0] == units[i].suffix[0])
        {
          *unit = i;
          return 1;
        }
    }

  return 0;
}

/* Parses a sequence of <digits><unit> terms covering all of @text. Returns
 * FALSE on a syntax error. Values too large to be a sensible duration do not
 * stop the parse (the caller wants to tell "too long" apart from "garbage"),
 * they set @overflow and clamp instead. */
static gboolean
parse_terms (const char *text, TdDuration *out, gboolean *overflow)
{
  gboolean    seen[N_UNITS] = { FALSE };
  gint64      seconds = 0;
  gint64      business_days = 0;
  const char *p = text;

  g_assert (text != NULL);
  g_assert (out != NULL);
  g_assert (overflow != NULL);

  *overflow = FALSE;

  if (*p == '\0')
    return FALSE;

  while (*p != '\0')
    {
      gint64 value = 0;
      gsize  unit_len;
      Unit   unit;

      if (!g_ascii_isdigit (*p))
        return FALSE;

      for (; g_ascii_isdigit (*p); p++)
        {
          /* Keep reading digits so the syntax check still sees the unit,
           * but stop growing the value long before gint64 would wrap. */
          if (value <= MAX_SECONDS)
            value = value * 10 + (*p - '0');
        }

      unit_len = read_unit (p, &unit);
      if (unit_len == 0)
        return FALSE;
      p += unit_len;

      /* "1h1h" is far more likely a typo than a wish for two hours. */
      if (seen[unit])
        return FALSE;
      seen[unit] = TRUE;

      if (value > MAX_SECONDS)
        {
          *overflow = TRUE;
          value = MAX_SECONDS;
        }

      if (unit == UNIT_BUSINESS_DAYS)
        business_days = value;
      else if (value > MAX_SECONDS / units[unit].seconds)
        *overflow = TRUE;
      else
        seconds += value * units[unit].seconds;

      /* Each term is at most MAX_SECONDS and there are at most five second
       * terms, so @seconds cannot wrap before this check catches it. */
      if (seconds > MAX_SECONDS)
        *overflow = TRUE;
    }

  if (business_days > (MAX_SECONDS - MIN (seconds, MAX_SECONDS)) / SECONDS_PER_DAY)
    *overflow = TRUE;

  out->seconds = seconds;
  out->business_days = business_days;

  return TRUE;
}

/**
 * td_duration_parse:
 * @text: a duration such as "15m", "4h", "1h30m" or "3bd"
 * @out: (out): where to store the duration
 * @error: return location for a #GError
 *
 * Parses a duration written as one or more terms of a number followed by a
 * unit: s, m, h, d (24 hours of elapsed time), w (7 days) or bd (business
 * days, whose length depends on the calendar). Surrounding whitespace is
 * ignored; whitespace between terms is not accepted, nor are fractions,
 * upper-case units or the same unit twice.
 *
 * Returns: %TRUE on success; on failure @out is left untouched.
 */
gboolean
td_duration_parse (const char *text, TdDuration *out, GError **error)
{
  g_autofree char *trimmed = NULL;
  TdDuration       parsed = { 0, 0 };
  gboolean         overflow = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, TD_DURATION_ERROR, TD_DURATION_ERROR_EMPTY, "empty duration");
      return FALSE;
    }

  /* Only call it negative when the rest is a duration, so "-" or "-x" get
   * the more useful "expected a number and a unit" message. */
  if (trimmed[0] == '-' && parse_terms (trimmed + 1, &parsed, &overflow))
    {
      g_set_error (error, TD_DURATION_ERROR, TD_DURATION_ERROR_NEGATIVE, "negative duration \"%s\"",
                   trimmed);
      return FALSE;
    }

  if (!parse_terms (trimmed, &parsed, &overflow))
    {
      g_set_error (error, TD_DURATION_ERROR, TD_DURATION_ERROR_PARSE,
                   "cannot parse duration \"%s\" (expected a number and a unit: "
                   "s, m, h, d, w or bd, e.g. \"15m\", \"4h\", \"3bd\")",
                   trimmed);
      return FALSE;
    }

  if (overflow)
    {
      g_set_error (error, TD_DURATION_ERROR, TD_DURATION_ERROR_OVERFLOW,
                   "duration \"%s\" is too long", trimmed);
      return FALSE;
    }

  *out = parsed;

  return TRUE;
}

/**
 * td_duration_to_string:
 * @duration: a #TdDuration
 *
 * Formats @duration in its canonical compact form: business days first,
 * then the seconds split greedily into w, d, h, m and s ("1bd4h", "1h30m",
 * "1w1d"). A zero duration is "0m". The result parses back to an equal
 * duration.
 *
 * Returns: (transfer full): a newly allocated string
 */
char *
td_duration_to_string (const TdDuration *duration)
{
  static const Unit order[] = { UNIT_WEEKS, UNIT_DAYS, UNIT_HOURS, UNIT_MINUTES, UNIT_SECONDS };
  g_autoptr (GString) str = NULL;
  gint64 rest;

  g_return_val_if_fail (duration != NULL, NULL);
  g_return_val_if_fail (duration->seconds >= 0, NULL);
  g_return_val_if_fail (duration->business_days >= 0, NULL);

  if (td_duration_is_zero (duration))
    return g_strdup ("0m");

  str = g_string_new (NULL);

  if (duration->business_days > 0)
    g_string_append_printf (str, "%" G_GINT64_FORMAT "bd", duration->business_days);

  rest = duration->seconds;
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      gint64 size = units[order[i]].seconds;

      if (rest >= size)
        {
          g_string_append_printf (str, "%" G_GINT64_FORMAT "%s", rest / size,
                                  units[order[i]].suffix);
          rest %= size;
        }
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

/**
 * td_duration_is_zero:
 * @duration: a #TdDuration
 *
 * Returns: %TRUE if @duration has neither seconds nor business days
 */
gboolean
td_duration_is_zero (const TdDuration *duration)
{
  g_return_val_if_fail (duration != NULL, FALSE);

  return duration->seconds == 0 && duration->business_days == 0;
}
