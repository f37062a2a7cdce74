/* test-ical.c — the on-call iCalendar feed, checked by a real parser (python3-icalendar)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "td-ical.h"
#include "td-rota.h"
#include "td-time.h"

#include "td-test-util.h"

static const char *const four[] = { "alice", "bob", "carol", "dave", NULL };
static const char *const four_shifted[] = { "carol", "dave", "alice", "bob", NULL };

static TdRotation *
make_rotation (const char *time_zone, const char *handoff)
{
  g_autoptr (GError) error = NULL;
  TdRotation *rotation = td_rotation_new ("rota-1", "Tier 2 On-Call Rotation", 2, time_zone,
                                          "2026-01-05", handoff, &error);

  g_assert_no_error (error);
  td_rotation_add_position (rotation, "primary", "Primary");
  td_rotation_add_position (rotation, "secondary", "Secondary");
  td_rotation_set_members (rotation, "primary", four);
  td_rotation_set_members (rotation, "secondary", four_shifted);
  /* Names that need escaping, and more than ASCII. */
  td_rotation_set_person_name (rotation, "alice", "Archer, Alice; \"Ali\" \\ Ops");
  td_rotation_set_person_name (rotation, "bob", "Bjørn Brøndum");
  td_rotation_set_person_name (rotation, "carol", "Carol Chen");
  td_rotation_set_person_name (rotation, "dave", "Dave Diaz");
  return rotation;
}

/* Changes every few shifts and for overrides, so SEQUENCE is checked to
 * come from the callback and not be a constant. */
static guint
sequence_of (TdRotation *rotation, const TdRotaShift *shift, gpointer user_data)
{
  g_assert_true (user_data == (gpointer) sequence_of);
  return shift->override_id != NULL ? 7 : (guint) (shift->index % 3);
}

static void
assert_folded (const char *line)
{
  g_autofree char *folded = td_ical_fold_line (line);
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) unfolded = g_string_new (NULL);
  guint n;

  g_assert_true (g_str_has_suffix (folded, "\r\n"));
  parts = g_strsplit (folded, "\r\n", -1);
  n = g_strv_length (parts);
  /* The last element is the empty string after the final CRLF. */
  g_assert_cmpstr (parts[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      g_assert_cmpuint (strlen (parts[i]), <=, 75);
      g_assert_true (g_utf8_validate (parts[i], -1, NULL));
      if (i > 0)
        {
          g_assert_cmpint (parts[i][0], ==, ' ');
          g_string_append (unfolded, parts[i] + 1);
        }
      else
        g_string_append (unfolded, parts[i]);
      /* No line is folded shorter than it had to be, except before a
       * character that would not fit. */
      if (i + 2 < n)
        g_assert_cmpuint (strlen (parts[i]), >=, 72);
    }
  g_assert_cmpstr (unfolded->str, ==, line);
}

static void
test_escape (void)
{
  g_autofree char *plain = td_ical_escape_text ("On call: Tier 2 Primary");
  g_autofree char *special = td_ical_escape_text ("a\\b;c,d\ne\r\nf\rg");
  g_autofree char *control = td_ical_escape_text ("bell\a tab\t end\x7f");
  g_autofree char *utf8 = td_ical_escape_text ("Bjørn, 東京");
  g_autofree char *empty = td_ical_escape_text (NULL);

  g_assert_cmpstr (plain, ==, "On call: Tier 2 Primary");
  g_assert_cmpstr (special, ==, "a\\\\b\\;c\\,d\\ne\\nf\\ng");
  g_assert_cmpstr (control, ==, "bell tab\t end");
  g_assert_cmpstr (utf8, ==, "Bjørn\\, 東京");
  g_assert_cmpstr (empty, ==, "");
}

static void
test_fold (void)
{
  g_autoptr (GString) ascii = g_string_new ("DESCRIPTION:");
  g_autoptr (GString) two = g_string_new ("SUMMARY:");
  g_autoptr (GString) three = g_string_new ("SUMMARY:x");
  g_autoptr (GString) four_bytes = g_string_new ("SUMMARY:xy");
  g_autofree char *exact = NULL;
  g_autofree char *exact_folded = NULL;
  g_autofree char *short_folded = td_ical_fold_line ("VERSION:2.0");

  g_assert_cmpstr (short_folded, ==, "VERSION:2.0\r\n");

  /* Exactly 75 octets is not folded; 76 is. */
  exact = g_strnfill (75, 'a');
  exact_folded = td_ical_fold_line (exact);
  g_assert_cmpuint (strlen (exact_folded), ==, 77);
  exact[74] = '\0';
  assert_folded (exact);

  for (int i = 0; i < 200; i++)
    g_string_append_c (ascii, 'a' + i % 26);
  assert_folded (ascii->str);
  {
    g_autofree char *folded = td_ical_fold_line (ascii->str);

    /* 75 octets, then 1 space + 74 per line. */
    g_assert_cmpint (strstr (folded, "\r\n") - folded, ==, 75);
  }

  /* ø is two octets, 東 three, 😀 four: the offsets put a character across
   * the 75-octet mark in each case. */
  for (int i = 0; i < 100; i++)
    g_string_append (two, "ø");
  for (int i = 0; i < 100; i++)
    g_string_append (three, "東");
  for (int i = 0; i < 100; i++)
    g_string_append (four_bytes, "😀");
  assert_folded (two->str);
  assert_folded (three->str);
  assert_folded (four_bytes->str);
}

static void
test_uid_stable (void)
{
  g_autoptr (TdRotation) rotation = make_rotation ("Europe/Berlin", "09:00");
  g_autoptr (GPtrArray) a
      = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-01-01T00:00:00Z"),
                             td_test_iso ("2026-03-01T00:00:00Z"));
  g_autoptr (GPtrArray) b
      = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-02-04T00:00:00Z"),
                             td_test_iso ("2026-02-05T00:00:00Z"));
  const TdRotaShift *in_a = g_ptr_array_index (a, 4);
  const TdRotaShift *in_b = g_ptr_array_index (b, 0);
  g_autofree char *uid_a = td_ical_shift_uid (in_a->rotation_id, in_a->slot, in_a->interval.start);
  g_autofree char *uid_b = td_ical_shift_uid (in_b->rotation_id, in_b->slot, in_b->interval.start);
  g_autofree char *first = NULL;

  /* The range asked for does not change a shift's bounds or UID. */
  g_assert_cmpint (in_a->interval.start, ==, in_b->interval.start);
  g_assert_cmpstr (uid_a, ==, uid_b);
  g_assert_cmpstr (uid_a, ==, "rota-1-primary-20260202T080000Z@tierdesk");

  in_a = g_ptr_array_index (a, 0);
  first = td_ical_shift_uid (in_a->rotation_id, in_a->slot, in_a->interval.start);
  g_assert_cmpstr (first, ==, "rota-1-primary-20260105T080000Z@tierdesk");
}

static void
test_structure (void)
{
  g_autoptr (TdRotation) rotation = make_rotation ("Europe/Berlin", "09:00");
  g_autoptr (GPtrArray) shifts
      = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-01-05T08:00:00Z"),
                             td_test_iso ("2026-03-02T08:00:00Z"));
  TdIcalOptions    options = { 0 };
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint events = 0;

  options.dtstamp = td_test_iso ("2026-01-01T12:00:00Z");
  options.sequence = sequence_of;
  options.sequence_data = (gpointer) sequence_of;
  options.calendar_name = "On call, Tier 2";
  text = td_ical_write (rotation, shifts, &options);

  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"
                                         "PRODID:-//Tierdesk//Tierdesk On-Call//EN\r\n"
                                         "VERSION:2.0\r\n"
                                         "CALSCALE:GREGORIAN\r\n"
                                         "METHOD:PUBLISH\r\n"
                                         "X-WR-CALNAME:On call\\, Tier 2\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
  /* UTC without a zone: no VTIMEZONE, every time ends in Z. */
  g_assert_null (strstr (text, "VTIMEZONE"));
  g_assert_nonnull (strstr (text, "\r\nDTSTART:20260105T080000Z\r\nDTEND:20260112T080000Z\r\n"));
  g_assert_nonnull (strstr (text, "\r\nDTSTAMP:20260101T120000Z\r\n"));
  g_assert_nonnull (strstr (text, "\r\nSUMMARY:On call: Tier 2 Primary\r\n"));
  g_assert_nonnull (strstr (text, "\r\nSEQUENCE:2\r\n"));

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      g_assert_true (p > text && p[-1] == '\r');

  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      if (g_str_equal (lines[i], "BEGIN:VEVENT"))
        events++;
    }
  g_assert_cmpuint (events, ==, shifts->len);
  g_assert_cmpuint (events, ==, 8);
}

/* python3-icalendar is the real parser. Debian installs it for
 * /usr/bin/python3, which may not be the python3 first on PATH. */
static char *
find_python (void)
{
  const char *candidates[] = { g_getenv ("TD_PYTHON3"), "/usr/bin/python3", "python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *argv[] = { candidates[i], "-c", "import icalendar", NULL };
      int         status = -1;

      if (candidates[i] == NULL)
        continue;
      if (g_spawn_sync (NULL, (char **) argv, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                            | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL)
          && g_spawn_check_wait_status (status, NULL))
        return g_strdup (candidates[i]);
    }
  return NULL;
}

/* The parser's view of @text, or NULL after failing the test. */
static JsonObject *
parse_with_icalendar (const char *text)
{
  g_autofree char *python = find_python ();
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "core", "ical-parse.py", NULL);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  int status = -1;
  int fd;

  if (python == NULL)
    {
      g_test_fail_printf ("python3-icalendar is not installed, so the .ics cannot be checked by a "
                          "real parser: install it with apt-get install -y python3-icalendar");
      return NULL;
    }

  fd = g_file_open_tmp ("test-ical-XXXXXX.ics", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { python, script, path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                  &error);
  }
  g_assert_no_error (error);
  g_unlink (path);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_fail_printf ("ical-parse.py failed: %s", err);
      return NULL;
    }

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
utc_text (TdInstant instant)
{
  return td_time_format_instant (instant);
}

/* Every event the parser saw is one of @shifts, in order, with the same
 * instants, UID, SEQUENCE and the text as written before escaping. */
static void
assert_events_match (TdRotation *rotation,
                     GPtrArray  *shifts,
                     const char *text,
                     gboolean    name_person)
{
  g_autoptr (JsonObject) parsed = parse_with_icalendar (text);
  JsonObject *calendar;
  JsonArray  *events;
  guint       n = 0;

  if (parsed == NULL)
    return;

  calendar = json_object_get_object_member (parsed, "calendar");
  g_assert_cmpstr (json_object_get_string_member (calendar, "VERSION"), ==, "2.0");
  g_assert_cmpstr (json_object_get_string_member (calendar, "METHOD"), ==, "PUBLISH");
  g_assert_cmpstr (json_object_get_string_member (calendar, "CALSCALE"), ==, "GREGORIAN");

  events = json_object_get_array_member (parsed, "events");
  for (guint i = 0; i < shifts->len; i++)
    {
      const TdRotaShift *shift = g_ptr_array_index (shifts, i);
      JsonObject        *event;
      g_autofree char   *uid = NULL;
      g_autofree char   *start = NULL;
      g_autofree char   *end = NULL;
      g_autofree char   *slot = NULL;
      g_autofree char   *summary = NULL;
      const char        *name;

      if (shift->person == NULL)
        continue;
      g_assert_cmpuint (n, <, json_array_get_length (events));
      event = json_array_get_object_element (events, n++);

      uid = td_ical_shift_uid (shift->rotation_id, shift->slot, shift->interval.start);
      start = utc_text (shift->interval.start);
      end = utc_text (shift->interval.end);
      slot = td_rotation_describe_slot (rotation, shift->slot);
      name = td_rotation_get_person_name (rotation, shift->person);
      summary = name_person ? g_strdup_printf ("On call: %s (%s)", slot, name)
                            : g_strdup_printf ("On call: %s", slot);

      g_assert_cmpstr (json_object_get_string_member (event, "uid"), ==, uid);
      g_assert_cmpstr (json_object_get_string_member (event, "start"), ==, start);
      g_assert_cmpstr (json_object_get_string_member (event, "end"), ==, end);
      g_assert_cmpstr (json_object_get_string_member (event, "start_vtimezone"), ==, start);
      g_assert_cmpstr (json_object_get_string_member (event, "end_vtimezone"), ==, end);
      g_assert_cmpint (json_object_get_int_member (event, "sequence"), ==,
                       sequence_of (rotation, shift, (gpointer) sequence_of));
      g_assert_cmpstr (json_object_get_string_member (event, "summary"), ==, summary);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (event, "description"), name));
    }
  g_assert_cmpuint (n, ==, json_array_get_length (events));
  g_assert_cmpuint (n, >, 0);
}

static void
add_override (TdRotation *rotation,
              const char *id,
              const char *slot,
              const char *person,
              const char *start,
              const char *end,
              const char *reason)
{
  g_autoptr (TdRotaOverride) override
      = td_rota_override_new (id, slot, person, td_test_iso (start), td_test_iso (end), reason);
  g_autoptr (GError) error = NULL;

  override->created_at = 1;
  g_assert_true (td_rotation_add_override (rotation, override, &error));
  g_assert_no_error (error);
}

static void
test_parse_person_utc (void)
{
  g_autoptr (TdRotation) rotation = make_rotation ("Europe/Berlin", "09:00");
  g_autoptr (GPtrArray) shifts = NULL;
  TdIcalOptions    options = { 0 };
  g_autofree char *text = NULL;
  g_autoptr (JsonObject) parsed = NULL;

  /* Alice covers part of Bob's week, for a reason with every character
   * TEXT must escape. */
  add_override (rotation, "o1", "primary", "alice", "2026-01-14T08:00:00Z", "2026-01-16T17:00:00Z",
                "Bob's away; back Friday, \\ see ticket\nline two");
  shifts = td_rotation_resolve_for_person (rotation, "alice", td_test_iso ("2026-01-01T00:00:00Z"),
                                           td_test_iso ("2027-01-01T00:00:00Z"));
  g_assert_cmpuint (shifts->len, >, 20);

  options.dtstamp = td_test_iso ("2026-01-01T12:00:00Z");
  options.sequence = sequence_of;
  options.sequence_data = (gpointer) sequence_of;
  text = td_ical_write (rotation, shifts, &options);
  {
    /* Unfolded, the escaped reason is there as written. */
    g_autoptr (GString) unfolded = g_string_new (text);

    g_string_replace (unfolded, "\r\n ", "", 0);
    g_assert_nonnull (strstr (unfolded->str, "Covering for Bjørn Brøndum: Bob's away\\; back "
                                             "Friday\\, \\\\ see ticket\\nline two.\r\n"));
  }
  assert_events_match (rotation, shifts, text, FALSE);

  /* The description comes back unescaped, newlines and all. */
  parsed = parse_with_icalendar (text);
  if (parsed != NULL)
    {
      JsonArray *events = json_object_get_array_member (parsed, "events");
      gboolean   found = FALSE;

      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          const char *description = json_object_get_string_member (
              json_array_get_object_element (events, i), "description");

          if (strstr (description, "Covering for") != NULL)
            {
              g_assert_cmpstr (description, ==,
                               "Archer, Alice; \"Ali\" \\ Ops is on call for Tier 2 Primary "
                               "(Tier 2 On-Call Rotation).\nCovering for Bjørn Brøndum: Bob's "
                               "away; back Friday, \\ see ticket\nline two.");
              found = TRUE;
            }
        }
      g_assert_true (found);
    }
}

static void
check_slot_with_zone (const char *time_zone, const char *handoff, const char *tzid_line)
{
  g_autoptr (TdRotation) rotation = make_rotation (time_zone, handoff);
  g_autoptr (GPtrArray) shifts = NULL;
  TdIcalOptions    options = { 0 };
  g_autofree char *text = NULL;

  /* Ends in the repeated hour's second pass in Berlin (02:30 CET), which
   * TZID cannot say: that one time is written in UTC. */
  add_override (rotation, "o1", "primary", "dave", "2026-10-24T20:00:00Z", "2026-10-25T01:30:00Z",
                "night cover");
  shifts = td_rotation_resolve (rotation, "primary", td_test_iso ("2026-01-01T00:00:00Z"),
                                td_test_iso ("2028-01-01T00:00:00Z"));

  options.dtstamp = td_test_iso ("2026-01-01T12:00:00Z");
  options.time_zone = time_zone;
  options.name_person = TRUE;
  options.sequence = sequence_of;
  options.sequence_data = (gpointer) sequence_of;
  text = td_ical_write (rotation, shifts, &options);

  g_assert_nonnull (strstr (text, "\r\nBEGIN:VTIMEZONE\r\n"));
  g_assert_nonnull (strstr (text, "\r\nBEGIN:DAYLIGHT\r\n"));
  g_assert_nonnull (strstr (text, "\r\nBEGIN:STANDARD\r\n"));
  g_assert_nonnull (strstr (text, tzid_line));
  /* The VTIMEZONE comes before the first event. */
  g_assert_true (strstr (text, "BEGIN:VTIMEZONE") < strstr (text, "BEGIN:VEVENT"));
  assert_events_match (rotation, shifts, text, TRUE);
}

static void
test_parse_slot_berlin (void)
{
  check_slot_with_zone ("Europe/Berlin", "09:00",
                        "\r\nDTSTART;TZID=Europe/Berlin:20260105T090000\r\n");
  /* The second 02:30 of 2026-10-25 is written in UTC. */
  {
    g_autoptr (TdRotation) rotation = make_rotation ("Europe/Berlin", "09:00");
    g_autoptr (TdRotaShift) shift = g_new0 (TdRotaShift, 1);
    g_autoptr (TdIcalWriter) writer = NULL;
    TdIcalOptions    options = { 0 };
    g_autofree char *text = NULL;

    shift->rotation_id = g_strdup ("rota-1");
    shift->slot = g_strdup ("primary");
    shift->person = g_strdup ("dave");
    shift->interval.start = td_test_iso ("2026-10-25T00:30:00Z");
    shift->interval.end = td_test_iso ("2026-10-25T01:30:00Z");
    options.time_zone = "Europe/Berlin";
    writer = td_ical_writer_new (&options);
    td_ical_writer_add_shift (writer, rotation, shift, 3);
    text = td_ical_writer_to_string (writer);
    g_assert_nonnull (strstr (text, "\r\nDTSTART;TZID=Europe/Berlin:20261025T023000\r\n"));
    g_assert_nonnull (strstr (text, "\r\nDTEND:20261025T013000Z\r\n"));
    g_assert_nonnull (strstr (text, "\r\nSEQUENCE:3\r\n"));
  }
}

static void
test_parse_slot_los_angeles (void)
{
  check_slot_with_zone ("America/Los_Angeles", "17:30",
                        "\r\nDTSTART;TZID=America/Los_Angeles:20260105T173000\r\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/ical/escape", test_escape);
  g_test_add_func ("/core/ical/fold", test_fold);
  g_test_add_func ("/core/ical/uid-stable", test_uid_stable);
  g_test_add_func ("/core/ical/structure", test_structure);
  g_test_add_func ("/core/ical/parse/person-utc", test_parse_person_utc);
  g_test_add_func ("/core/ical/parse/slot-berlin", test_parse_slot_berlin);
  g_test_add_func ("/core/ical/parse/slot-los-angeles", test_parse_slot_los_angeles);

  return g_test_run ();
}
