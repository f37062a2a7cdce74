/* fuzz-ical.c — the iCalendar writer's inputs: rota rows from the store
 *
 * Each input is a JSON object {"rows": [{"entity": …, …row}], "slot": …,
 * "person": …}: the rows go into a TdRotaStore as the server loads them,
 * and the feeds td_store_oncall_feed() serves are written for the slot
 * and the person. Whatever the rows hold (names, zones, dates, reasons),
 * the feed must be valid UTF-8, every line must end in CRLF within 75
 * octets, and no control character may reach it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "td-policy.h"
#include "td-rota-store.h"

static TdPolicy *policy;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  policy = td_policy_new_from_file (TD_FUZZ_POLICY, &error);
  g_assert_no_error (error);
  fuzz_fatal_warnings ();
  return 0;
}

static void
check_feed (const char *text)
{
  const char *line = text;

  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  while (*line != '\0')
    {
      const char *end = strstr (line, "\r\n");

      g_assert_nonnull (end);
      g_assert_cmpint (end - line, <=, 75);
      for (const char *c = line; c < end; c++)
        g_assert_true ((guchar) *c >= 0x20 || *c == '\t');
      line = end + 2;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = fuzz_parse (data, size);
  g_autoptr (TdRotaStore) store = NULL;
  JsonObject *object;
  JsonArray  *rows;
  const char *slot;
  const char *person;
  /* Thirty days around a fixed instant: the shifts, not the clock. */
  const TdInstant now = 1798761600;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "rows")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "rows")))
    return 0;
  rows = json_object_get_array_member (object, "rows");
  store = td_rota_store_new (policy);
  for (guint i = 0; i < json_array_get_length (rows) && i < 200; i++)
    {
      JsonNode   *node = json_array_get_element (rows, i);
      JsonObject *row;
      JsonNode   *entity;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = json_node_get_object (node);
      entity = json_object_get_member (row, "entity");
      if (entity == NULL || !JSON_NODE_HOLDS_VALUE (entity)
          || json_node_get_value_type (entity) != G_TYPE_STRING)
        continue;
      td_rota_store_add_row (store, json_node_get_string (entity), row);
    }

  slot = json_object_get_string_member_with_default (object, "slot", "primary");
  person = json_object_get_string_member_with_default (object, "person", NULL);
  {
    GPtrArray *rotations = td_rota_store_get_rotations (store);

    for (guint i = 0; i < rotations->len; i++)
      {
        TdRotation *rotation = g_ptr_array_index (rotations, i);
        g_autoptr (GError) error = NULL;
        g_autofree char *text
            = td_rota_store_write_slot_ics (store, td_rotation_get_id (rotation), slot,
                                            now - 15 * 86400, now + 15 * 86400, now, &error);

        check_feed (text);
      }
  }
  if (person != NULL)
    {
      g_autofree char *text
          = td_rota_store_write_person_ics (store, person, now - 15 * 86400, now + 15 * 86400, now);

      check_feed (text);
    }
  return 0;
}
