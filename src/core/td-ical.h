/* td-ical.h — on-call shifts as an iCalendar (RFC 5545) feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-rota.h"

G_BEGIN_DECLS

/* The SEQUENCE of a shift's VEVENT. It must grow whenever the shift
 * changes (another person, other bounds), which only the store can tell:
 * the server can answer with, say, the largest rev of the rotation,
 * member and override rows behind @shift. */
typedef guint (*TdIcalSequenceFunc) (TdRotation        *rotation,
                                     const TdRotaShift *shift,
                                     gpointer           user_data);

typedef struct
{
  /* NULL: "-//Tierdesk//Tierdesk On-Call//EN". */
  const char *prodid;
  /* DTSTAMP of every event: the instant of the export, from the caller
   * (core never reads the clock). */
  TdInstant dtstamp;
  /* NULL: DTSTART/DTEND in UTC ("…Z"). An IANA zone: local times with TZID
   * and a VTIMEZONE for it. */
  const char *time_zone;
  /* (nullable) X-WR-CALNAME, the name calendar apps show. */
  const char *calendar_name;
  /* Put the person in SUMMARY ("On call: Tier 2 Primary (Alice)"), for a
   * slot's calendar where every event is someone else. */
  gboolean name_person;
  /* (nullable): every SEQUENCE is 0 without it. */
  TdIcalSequenceFunc sequence;
  gpointer           sequence_data;
} TdIcalOptions;

typedef struct _TdIcalWriter TdIcalWriter;

TdIcalWriter *td_ical_writer_new (const TdIcalOptions *options);
void          td_ical_writer_free (TdIcalWriter *writer);
/* One VEVENT per shift with a person; unstaffed stretches are left out. */
void td_ical_writer_add_shift (TdIcalWriter      *writer,
                               TdRotation        *rotation,
                               const TdRotaShift *shift,
                               guint              sequence);
/* Takes each SEQUENCE from the options' callback. */
void td_ical_writer_add_shifts (TdIcalWriter *writer, TdRotation *rotation, GPtrArray *shifts);
/* The whole VCALENDAR, CRLF line ends, folded at 75 octets. */
char *td_ical_writer_to_string (TdIcalWriter *writer);

/* All in one for a single rotation. */
char *td_ical_write (TdRotation *rotation, GPtrArray *shifts, const TdIcalOptions *options);

/* "<rotation>-<slot>-<start as YYYYMMDDTHHMMSSZ>@tierdesk": the same shift
 * has the same UID in every export, so calendar apps update it in place. */
char *td_ical_shift_uid (const char *rotation_id, const char *slot, TdInstant start);
/* TEXT value escaping: backslash, semicolon, comma and newlines; other
 * control characters are dropped and invalid UTF-8 is replaced. */
char *td_ical_escape_text (const char *text);
/* Folds one content line (no line end) into lines of at most 75 octets,
 * never inside a UTF-8 character, each ending in CRLF. */
char *td_ical_fold_line (const char *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdIcalWriter, td_ical_writer_free)

G_END_DECLS
