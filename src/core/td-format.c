/* td-format.c — how times and ticket states read in the queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-format.h"

#define MINUTE 60
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

char *
td_format_span (gint64 seconds)
{
  gint64 minutes;

  if (seconds < 0)
    seconds = -seconds;
  /* Round up below an hour: "1 min" left must not read "0 min". */
  minutes = (seconds + MINUTE - 1) / MINUTE;
  if (seconds < HOUR)
    return g_strdup_printf (_ ("%d min"), (int) minutes);
  if (seconds < DAY)
    {
      int hours = (int) (seconds / HOUR);
      int rest = (int) ((seconds % HOUR) / MINUTE);

      if (rest == 0)
        return g_strdup_printf (_ ("%d h"), hours);
      return g_strdup_printf (_ ("%d h %d min"), hours, rest);
    }
  {
    int days = (int) (seconds / DAY);
    int hours = (int) ((seconds % DAY) / HOUR);

    if (hours == 0)
      return g_strdup_printf (_ ("%d d"), days);
    return g_strdup_printf (_ ("%d d %d h"), days, hours);
  }
}

char *
td_format_countdown (gint64 due, gint64 now)
{
  g_autofree char *span = td_format_span (due - now);

  if (due >= now)
    return g_strdup_printf (_ ("%s left"), span);
  return g_strdup_printf (_ ("%s overdue"), span);
}

char *
td_format_age (gint64 since, gint64 now)
{
  gint64 age = MAX (now - since, 0);

  if (age < HOUR)
    return g_strdup_printf (_ ("%d min"), (int) (age / MINUTE));
  if (age < DAY)
    return g_strdup_printf (_ ("%d h"), (int) (age / HOUR));
  return g_strdup_printf (_ ("%d d"), (int) (age / DAY));
}

const char *
td_format_status (const char *status)
{
  static const struct
  {
    const char *id;
    const char *label;
  } statuses[] = {
    { "new", N_ ("New") },
    { "assigned", N_ ("Assigned") },
    { "in_progress", N_ ("In Progress") },
    { "pending", N_ ("Pending") },
    { "resolved", N_ ("Resolved") },
    { "closed", N_ ("Closed") },
    { "reopened", N_ ("Reopened") },
  };

  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (status, statuses[i].id))
      return _ (statuses[i].label);
  return status != NULL ? status : "";
}
