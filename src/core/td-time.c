/* td-time.c — parsing and printing instants, dates and wall-clock times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-time.h"

#include <stdio.h>
#include <string.h>

static gboolean
has_zone (const char *text)
{
  const char *t = strchr (text, 'T');

  if (t == NULL)
    t = strchr (text, ' ');
  if (t == NULL)
    return FALSE;
  return strchr (t, 'Z') != NULL || strchr (t, 'z') != NULL || strchr (t, '+') != NULL
         || strchr (t, '-') != NULL;
}

gboolean
td_time_parse_instant (const char *text, TdInstant *out)
{
  g_autoptr (GDateTime) date_time = NULL;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL || !has_zone (text))
    return FALSE;

  date_time = g_date_time_new_from_iso8601 (text, NULL);
  if (date_time == NULL)
    return FALSE;
  *out = g_date_time_to_unix (date_time);
  return TRUE;
}

char *
td_time_format_instant (TdInstant instant)
{
  g_autoptr (GDateTime) date_time = g_date_time_new_from_unix_utc (instant);

  if (date_time == NULL)
    return g_strdup ("invalid");
  return g_date_time_format (date_time, "%Y-%m-%dT%H:%M:%SZ");
}

char *
td_time_format_local (TdInstant instant, const char *time_zone)
{
  g_autoptr (GTimeZone) zone
      = time_zone != NULL ? g_time_zone_new_identifier (time_zone) : g_time_zone_new_utc ();
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = NULL;

  if (zone == NULL || utc == NULL)
    return g_strdup ("invalid");
  local = g_date_time_to_timezone (utc, zone);
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

gboolean
td_time_parse_date (const char *text, GDate *out)
{
  unsigned int year, month, day;
  char         tail;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  if (sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &tail) != 3)
    return FALSE;
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  if (out != NULL)
    g_date_set_dmy (out, day, month, year);
  return TRUE;
}

gboolean
td_time_parse_clock (const char *text, int *minutes)
{
  unsigned int hours, mins;
  char         tail;

  g_return_val_if_fail (minutes != NULL, FALSE);

  if (text == NULL || strlen (text) != 5 || text[2] != ':')
    return FALSE;
  if (!g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || !g_ascii_isdigit (text[3])
      || !g_ascii_isdigit (text[4]))
    return FALSE;
  if (sscanf (text, "%2u:%2u%c", &hours, &mins, &tail) != 2)
    return FALSE;
  if (mins > 59 || hours > 24 || (hours == 24 && mins != 0))
    return FALSE;
  *minutes = hours * 60 + mins;
  return TRUE;
}

gboolean
td_time_parse_wall_clock (const char *text, GTimeZone *zone, TdInstant *out)
{
  g_autofree char *trimmed = NULL;
  g_autoptr (GDateTime) at = NULL;
  int  year, month, day, hour, minute;
  char separator;
  int  end = 0;

  g_return_val_if_fail (zone != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (text));
  if (strlen (trimmed) != 16
      || sscanf (trimmed, "%4d-%2d-%2d%c%2d:%2d%n", &year, &month, &day, &separator, &hour, &minute,
                 &end)
             != 6
      || end != 16 || (separator != ' ' && separator != 'T'))
    return FALSE;
  /* g_date_time_new () refuses month 13, 30 February, 25:00. */
  at = g_date_time_new (zone, year, month, day, hour, minute, 0);
  if (at == NULL)
    return FALSE;
  if (out != NULL)
    *out = g_date_time_to_unix (at);
  return TRUE;
}

char *
td_time_format_wall_clock (TdInstant instant, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = NULL;

  g_return_val_if_fail (zone != NULL, NULL);

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

TdInstant
td_time_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
