/* td-calendar.h — working-time calendars: 24x7, or business hours in an IANA zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "td-duration.h"

G_BEGIN_DECLS

/* Instants are Unix seconds in UTC everywhere in core. */
typedef gint64 TdInstant;

/* The value returned when no working time can be found (a calendar with no
 * open hours for more than ten years from the start). */
#define TD_INSTANT_NEVER G_MAXINT64

/* A half-open interval [start, end) of instants, used for SLA pauses. */
typedef struct
{
  TdInstant start;
  TdInstant end;
} TdInterval;

#define TD_TYPE_CALENDAR (td_calendar_get_type ())
G_DECLARE_FINAL_TYPE (TdCalendar, td_calendar, TD, CALENDAR, GObject)

TdCalendar *td_calendar_new_always (const char *id, const char *name);
TdCalendar *td_calendar_new_business (const char *id,
                                      const char *name,
                                      const char *time_zone,
                                      GError    **error);
/* Open hours for one weekday, local wall-clock minutes since midnight,
 * [start_minute, end_minute) with 0 <= start < end <= 1440. */
void        td_calendar_add_window (TdCalendar  *self,
                                    GDateWeekday weekday,
                                    int          start_minute,
                                    int          end_minute);
void        td_calendar_add_holiday (TdCalendar *self, int year, int month, int day);
void        td_calendar_set_business_day (TdCalendar *self, gint64 seconds);
const char *td_calendar_get_id (TdCalendar *self);
const char *td_calendar_get_name (TdCalendar *self);
/* NULL for an always-open calendar. */
const char *td_calendar_get_time_zone (TdCalendar *self);
gboolean    td_calendar_is_always (TdCalendar *self);
gint64      td_calendar_get_business_day (TdCalendar *self);
gboolean    td_calendar_is_holiday (TdCalendar *self, int year, int month, int day);
gboolean    td_calendar_is_working (TdCalendar *self, TdInstant instant);
gboolean    td_calendar_has_open_hours (TdCalendar *self);
TdInstant   td_calendar_add (TdCalendar       *self,
                             TdInstant         start,
                             const TdDuration *duration,
                             const TdInterval *pauses,
                             guint             n_pauses);
gint64      td_calendar_working_between (TdCalendar       *self,
                                         TdInstant         from,
                                         TdInstant         to,
                                         const TdInterval *pauses,
                                         guint             n_pauses);

G_END_DECLS
