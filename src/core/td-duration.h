/* td-duration.h — durations as the policy writes them ("15m", "4h", "1bd")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TD_DURATION_ERROR (td_duration_error_quark ())

typedef enum
{
  TD_DURATION_ERROR_EMPTY,
  TD_DURATION_ERROR_PARSE,
  TD_DURATION_ERROR_NEGATIVE,
  TD_DURATION_ERROR_OVERFLOW,
} TdDurationError;

/* A span of working time. Business days are kept apart from seconds because
 * their length depends on the calendar they are counted on (an 8-hour day on
 * a 09:00–17:00 calendar, 24 hours on a 24x7 one). */
typedef struct
{
  gint64 seconds;
  gint64 business_days;
} TdDuration;

GQuark   td_duration_error_quark (void);
gboolean td_duration_parse (const char *text, TdDuration *out, GError **error);
char    *td_duration_to_string (const TdDuration *duration);
gboolean td_duration_is_zero (const TdDuration *duration);

G_END_DECLS
