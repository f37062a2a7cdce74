/* td-time.h — parsing and printing instants, dates and wall-clock times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "td-calendar.h"

G_BEGIN_DECLS

/* "2026-03-27T15:00:00Z" or with an offset; a time without a zone is refused,
 * because an SLA clock must never guess which zone a person meant. */
gboolean td_time_parse_instant (const char *text, TdInstant *out);
/* Always UTC with a Z: "2026-03-30T10:00:00Z". */
char *td_time_format_instant (TdInstant instant);
/* The same instant as wall-clock time in @time_zone, with its offset. */
char *td_time_format_local (TdInstant instant, const char *time_zone);
/* "YYYY-MM-DD", a real calendar date; @out may be NULL. */
gboolean td_time_parse_date (const char *text, GDate *out);
/* "HH:MM" from 00:00 to 24:00, as minutes since midnight. */
gboolean td_time_parse_clock (const char *text, int *minutes);
/* "YYYY-MM-DD HH:MM" (a T instead of the space is taken too) as
 * wall-clock time in @zone, for the forms where people type a time; spaces
 * around it are ignored. FALSE for anything else, and for a date or time
 * that does not exist (30 February, 25:00). */
gboolean td_time_parse_wall_clock (const char *text, GTimeZone *zone, TdInstant *out);
/* @instant as "YYYY-MM-DD HH:MM" wall-clock time in @zone: what
 * td_time_parse_wall_clock () reads back. */
char     *td_time_format_wall_clock (TdInstant instant, GTimeZone *zone);
TdInstant td_time_now (void);

G_END_DECLS
