/* td-ical.c — on-call shifts as an iCalendar (RFC 5545) feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "td-ical.h"

/* The feed is METHOD:PUBLISH: calendar apps subscribe to it and replace
 * what they had on every refresh, matching events by UID. So a UID must
 * name the shift itself (rotation, slot, start), never the export, and a
 * changed shift keeps its UID and gets a higher SEQUENCE.
 *
 * With a time zone, the VTIMEZONE lists every transition in the span of
 * the events as its own observance, without RRULE: it is exact for past
 * rule changes and needs no guessing of the zone's recurrence rules. */

#define SECONDS_PER_DAY ((gint64) 86400)
#define FOLD_OCTETS     75

typedef struct
{
  TdInstant start;
  TdInstant end;
  GString  *text;
} Event;

struct _TdIcalWriter
{
  char              *prodid;
  TdInstant          dtstamp;
  char              *time_zone_id;
  GTimeZone         *time_zone;
  char              *calendar_name;
  gboolean           name_person;
  TdIcalSequenceFunc sequence;
  gpointer           sequence_data;
  GArray            *events; /* Event */
};

static void
event_clear (gpointer data)
{
  Event *event = data;

  g_string_free (event->text, TRUE);
}

static gint64
offset_at (GTimeZone *zone, TdInstant instant)
{
  return g_time_zone_get_offset (zone,
                                 g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, instant));
}

static char *
format_utc (TdInstant instant)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);

  if (utc == NULL)
    return g_strdup ("19700101T000000Z");
  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

/* Wall-clock seconds as "YYYYMMDDTHHMMSS" (no zone). */
static char *
format_local_seconds (gint64 local)
{
  g_autoptr (GDateTime) as_utc = g_date_time_new_from_unix_utc (local);

  if (as_utc == NULL)
    return g_strdup ("19700101T000000");
  return g_date_time_format (as_utc, "%Y%m%dT%H%M%S");
}

static char *
format_offset (gint64 offset)
{
  char   sign = offset < 0 ? '-' : '+';
  gint64 a = ABS (offset);

  if (a % 60 != 0)
    return g_strdup_printf ("%c%02d%02d%02d", sign, (int) (a / 3600), (int) (a / 60 % 60),
                            (int) (a % 60));
  return g_strdup_printf ("%c%02d%02d", sign, (int) (a / 3600), (int) (a / 60 % 60));
}

/* RFC 5545 reads a local time shown twice as its first occurrence. An
 * instant in the second one cannot be written with TZID, so it is written
 * in UTC instead: still exact, only less pretty. */
static gboolean
is_first_occurrence (GTimeZone *zone, TdInstant instant)
{
  gint64 local = instant + offset_at (zone, instant);
  gint64 before = offset_at (zone, local - SECONDS_PER_DAY);
  gint64 after = offset_at (zone, local + SECONDS_PER_DAY);

  for (int i = 0; i < 2; i++)
    {
      gint64    offset = i == 0 ? MAX (before, after) : MIN (before, after);
      TdInstant candidate = local - offset;

      if (offset_at (zone, candidate) == offset)
        return candidate == instant;
    }
  return TRUE;
}

static void
append_line (GString *out, const char *line)
{
  g_autofree char *folded = td_ical_fold_line (line);

  g_string_append (out, folded);
}

static void
append_property (GString *out, const char *name, const char *value)
{
  g_autofree char *line = g_strconcat (name, ":", value, NULL);

  append_line (out, line);
}

static void
append_text (GString *out, const char *name, const char *text)
{
  g_autofree char *escaped = td_ical_escape_text (text);

  append_property (out, name, escaped);
}

static void
append_time (TdIcalWriter *self, GString *out, const char *name, TdInstant instant)
{
  g_autofree char *value = NULL;
  g_autofree char *line = NULL;

  if (self->time_zone == NULL || !is_first_occurrence (self->time_zone, instant))
    {
      value = format_utc (instant);
      append_property (out, name, value);
      return;
    }

  value = format_local_seconds (instant + offset_at (self->time_zone, instant));
  line = g_strdup_printf ("%s;TZID=%s:%s", name, self->time_zone_id, value);
  append_line (out, line);
}

static void
append_observance (GString   *out,
                   GTimeZone *zone,
                   int        interval,
                   gint64     from_offset,
                   gint64     onset_local)
{
  g_autofree char *dtstart = format_local_seconds (onset_local);
  g_autofree char *from = format_offset (from_offset);
  g_autofree char *to = format_offset (g_time_zone_get_offset (zone, interval));
  const char      *kind = g_time_zone_is_dst (zone, interval) ? "DAYLIGHT" : "STANDARD";

  append_property (out, "BEGIN", kind);
  append_property (out, "DTSTART", dtstart);
  append_property (out, "TZOFFSETFROM", from);
  append_property (out, "TZOFFSETTO", to);
  append_text (out, "TZNAME", g_time_zone_get_abbreviation (zone, interval));
  append_property (out, "END", kind);
}

/* The first instant after @lo in another interval than @lo's. */
static TdInstant
find_transition (GTimeZone *zone, TdInstant lo, TdInstant hi)
{
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, lo);

  while (hi - lo > 1)
    {
      TdInstant mid = lo + (hi - lo) / 2;

      if (g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, mid) == interval)
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

/* Observances for [from, to): the one in force at @from (its onset found
 * up to two years back) and every transition up to @to. */
static void
append_vtimezone (TdIcalWriter *self, GString *out, TdInstant from, TdInstant to)
{
  GTimeZone *zone = self->time_zone;
  TdInstant  t;
  gboolean   any = FALSE;
  TdInstant  scan_from = from - 2 * 366 * SECONDS_PER_DAY;
  TdInstant  onset = G_MININT64;

  append_property (out, "BEGIN", "VTIMEZONE");
  append_text (out, "TZID", self->time_zone_id);

  for (t = scan_from; t < to; t += SECONDS_PER_DAY)
    {
      TdInstant next = t + SECONDS_PER_DAY;
      int       now = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, t);
      int       later = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, next);
      TdInstant transition;

      if (now == later)
        continue;

      transition = find_transition (zone, t, next);
      if (transition <= from)
        {
          onset = transition;
          continue;
        }
      if (onset != G_MININT64)
        {
          append_observance (out, zone,
                             g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, onset),
                             offset_at (zone, onset - 1), onset + offset_at (zone, onset - 1));
          onset = G_MININT64;
          any = TRUE;
        }
      append_observance (out, zone, later, offset_at (zone, transition - 1),
                         transition + offset_at (zone, transition - 1));
      any = TRUE;
    }

  if (onset != G_MININT64)
    {
      append_observance (out, zone, g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, onset),
                         offset_at (zone, onset - 1), onset + offset_at (zone, onset - 1));
      any = TRUE;
    }

  /* A zone without changes in the span still needs one observance. */
  if (!any)
    {
      int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, from);

      append_observance (out, zone, interval, g_time_zone_get_offset (zone, interval),
                         from + g_time_zone_get_offset (zone, interval));
    }

  append_property (out, "END", "VTIMEZONE");
}

static const TdRotaOverride *
find_override (TdRotation *rotation, const char *id)
{
  GPtrArray *overrides = td_rotation_get_overrides (rotation);

  for (guint i = 0; id != NULL && i < overrides->len; i++)
    {
      const TdRotaOverride *override = g_ptr_array_index (overrides, i);

      if (g_strcmp0 (override->id, id) == 0)
        return override;
    }
  return NULL;
}

TdIcalWriter *
td_ical_writer_new (const TdIcalOptions *options)
{
  TdIcalWriter *self;

  g_return_val_if_fail (options != NULL, NULL);

  self = g_new0 (TdIcalWriter, 1);
  self->prodid
      = g_strdup (options->prodid != NULL ? options->prodid : "-//Tierdesk//Tierdesk On-Call//EN");
  self->dtstamp = options->dtstamp;
  self->calendar_name = g_strdup (options->calendar_name);
  self->name_person = options->name_person;
  self->sequence = options->sequence;
  self->sequence_data = options->sequence_data;
  self->events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (self->events, event_clear);

  /* An unknown zone falls back to UTC rather than writing a TZID no
   * client could resolve. */
  if (options->time_zone != NULL && options->time_zone[0] != '\0')
    self->time_zone = g_time_zone_new_identifier (options->time_zone);
  if (self->time_zone != NULL)
    self->time_zone_id = g_strdup (options->time_zone);
  else if (options->time_zone != NULL)
    g_warning ("iCalendar export: unknown time zone \"%s\", writing UTC", options->time_zone);

  return self;
}

void
td_ical_writer_free (TdIcalWriter *writer)
{
  if (writer == NULL)
    return;
  g_free (writer->prodid);
  g_free (writer->time_zone_id);
  g_clear_pointer (&writer->time_zone, g_time_zone_unref);
  g_free (writer->calendar_name);
  g_array_unref (writer->events);
  g_free (writer);
}

void
td_ical_writer_add_shift (TdIcalWriter      *writer,
                          TdRotation        *rotation,
                          const TdRotaShift *shift,
                          guint              sequence)
{
  g_autofree char *uid = NULL;
  g_autofree char *slot = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *seq = NULL;
  g_autoptr (GString) description = g_string_new (NULL);
  const TdRotaOverride *override;
  const char           *person;
  Event                 event;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (TD_IS_ROTATION (rotation));
  g_return_if_fail (shift != NULL);

  if (shift->person == NULL)
    return;

  person = td_rotation_get_person_name (rotation, shift->person);
  slot = td_rotation_describe_slot (rotation, shift->slot);
  if (slot == NULL)
    slot = g_strdup (shift->slot);
  summary = writer->name_person ? g_strdup_printf ("On call: %s (%s)", slot, person)
                                : g_strdup_printf ("On call: %s", slot);
  uid = td_ical_shift_uid (shift->rotation_id, shift->slot, shift->interval.start);
  stamp = format_utc (writer->dtstamp);
  seq = g_strdup_printf ("%u", sequence);

  g_string_append_printf (description, "%s is on call for %s (%s).", person, slot,
                          td_rotation_get_name (rotation));
  override = find_override (rotation, shift->override_id);
  if (override != NULL)
    {
      g_string_append_printf (description, "\nCovering for %s",
                              td_rotation_get_person_name (rotation, shift->scheduled_person));
      if (override->reason != NULL && override->reason[0] != '\0')
        g_string_append_printf (description, ": %s", override->reason);
      g_string_append_c (description, '.');
    }

  event.start = shift->interval.start;
  event.end = shift->interval.end;
  event.text = g_string_new (NULL);
  append_property (event.text, "BEGIN", "VEVENT");
  append_text (event.text, "UID", uid);
  append_property (event.text, "DTSTAMP", stamp);
  append_time (writer, event.text, "DTSTART", shift->interval.start);
  append_time (writer, event.text, "DTEND", shift->interval.end);
  append_property (event.text, "SEQUENCE", seq);
  append_text (event.text, "SUMMARY", summary);
  append_text (event.text, "DESCRIPTION", description->str);
  append_property (event.text, "STATUS", "CONFIRMED");
  /* Being on call is not being busy: it must not block meeting invites. */
  append_property (event.text, "TRANSP", "TRANSPARENT");
  append_property (event.text, "END", "VEVENT");
  g_array_append_val (writer->events, event);
}

void
td_ical_writer_add_shifts (TdIcalWriter *writer, TdRotation *rotation, GPtrArray *shifts)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (shifts != NULL);

  for (guint i = 0; i < shifts->len; i++)
    {
      const TdRotaShift *shift = g_ptr_array_index (shifts, i);
      guint              sequence = writer->sequence != NULL
                                        ? writer->sequence (rotation, shift, writer->sequence_data)
                                        : 0;

      td_ical_writer_add_shift (writer, rotation, shift, sequence);
    }
}

char *
td_ical_writer_to_string (TdIcalWriter *writer)
{
  g_autoptr (GString) out = g_string_new (NULL);
  TdInstant first = G_MAXINT64;
  TdInstant last = G_MININT64;

  g_return_val_if_fail (writer != NULL, NULL);

  append_property (out, "BEGIN", "VCALENDAR");
  append_text (out, "PRODID", writer->prodid);
  append_property (out, "VERSION", "2.0");
  append_property (out, "CALSCALE", "GREGORIAN");
  append_property (out, "METHOD", "PUBLISH");
  if (writer->calendar_name != NULL)
    append_text (out, "X-WR-CALNAME", writer->calendar_name);

  for (guint i = 0; i < writer->events->len; i++)
    {
      const Event *event = &g_array_index (writer->events, Event, i);

      first = MIN (first, event->start);
      last = MAX (last, event->end);
    }

  /* Clients look a zone up before the events that use it. */
  if (writer->time_zone != NULL)
    {
      if (writer->events->len == 0)
        first = last = writer->dtstamp;
      append_vtimezone (writer, out, first, last + 1);
    }

  for (guint i = 0; i < writer->events->len; i++)
    g_string_append (out, g_array_index (writer->events, Event, i).text->str);

  append_property (out, "END", "VCALENDAR");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
td_ical_write (TdRotation *rotation, GPtrArray *shifts, const TdIcalOptions *options)
{
  g_autoptr (TdIcalWriter) writer = NULL;

  g_return_val_if_fail (TD_IS_ROTATION (rotation), NULL);
  g_return_val_if_fail (shifts != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  writer = td_ical_writer_new (options);
  td_ical_writer_add_shifts (writer, rotation, shifts);
  return td_ical_writer_to_string (writer);
}

char *
td_ical_shift_uid (const char *rotation_id, const char *slot, TdInstant start)
{
  g_autofree char *when = format_utc (start);

  g_return_val_if_fail (rotation_id != NULL, NULL);
  g_return_val_if_fail (slot != NULL, NULL);

  return g_strdup_printf ("%s-%s-%s@tierdesk", rotation_id, slot, when);
}

char *
td_ical_escape_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString         *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p++)
    {
      switch (*p)
        {
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case ';':
            g_string_append (out, "\\;");
            break;
          case ',':
            g_string_append (out, "\\,");
            break;
          case '\r':
            /* CRLF is one line break, not two. */
            if (p[1] == '\n')
              p++;
            g_string_append (out, "\\n");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\t':
            g_string_append_c (out, '\t');
            break;
          default:
            /* RFC 5545 allows no other control characters in TEXT. */
            if ((guchar) *p >= 0x20 && *p != 0x7f)
              g_string_append_c (out, *p);
            break;
        }
    }
  return g_string_free (out, FALSE);
}

char *
td_ical_fold_line (const char *line)
{
  GString *out;
  gsize    length;
  gsize    pos = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (line != NULL, NULL);

  length = strlen (line);
  out = g_string_sized_new (length + length / 70 * 3 + 2);

  do
    {
      /* A continuation line starts with a space, which counts. */
      gsize room = first ? FOLD_OCTETS : FOLD_OCTETS - 1;
      gsize cut = MIN (pos + room, length);

      /* Back off to the start of a UTF-8 character. */
      while (cut < length && cut > pos && ((guchar) line[cut] & 0xC0) == 0x80)
        cut--;

      if (!first)
        g_string_append_c (out, ' ');
      g_string_append_len (out, line + pos, (gssize) (cut - pos));
      g_string_append (out, "\r\n");
      pos = cut;
      first = FALSE;
    }
  while (pos < length);

  return g_string_free (out, FALSE);
}
