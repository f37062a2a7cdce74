/* td-handoff-source.c — the shift handoff report's live data, read from the client cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ticket waits to be picked up when the last thing that happened to it is
 * its escalation: nobody at the tier it reached has assigned, answered or
 * commented since.
 */
#include "config.h"

#include <sqlite3.h>

#include "td-cache.h"
#include "td-handoff-source.h"

static const char open_tickets_sql[]
    = "SELECT t.uuid, t.title, t.status, t.severity, t.priority, t.issue_type, t.tier, p.name,"
      "       t.created_at, t.first_response_at, t.last_update_at, t.tier_entered_at,"
      "       e.kind, e.at, json_extract (e.data, '$.from_tier')"
      " FROM ticket t"
      " LEFT JOIN person p ON p.uuid = t.owner AND p.deleted = 0"
      " LEFT JOIN ticket_event e ON e.rowid = ("
      "   SELECT rowid FROM ticket_event WHERE ticket = t.uuid AND deleted = 0"
      "   ORDER BY at DESC, rowid DESC LIMIT 1)"
      " WHERE t.deleted = 0 AND t.status NOT IN ('resolved', 'closed')"
      "   AND (?1 = 0 OR t.tier = ?1)";

static const char *
keep (GStringChunk *strings, sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_string_chunk_insert_const (strings, text) : NULL;
}

static gboolean
read_tickets (const char *path, int tier, GStringChunk *strings, GArray *tickets, GError **error)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE, "could not open %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_prepare_v2 (db, open_tickets_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE,
                   "could not read the open tickets: %s", sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, tier);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdHandoffTicket ticket = { 0 };

      ticket.id = keep (strings, stmt, 0);
      ticket.title = keep (strings, stmt, 1);
      ticket.status = keep (strings, stmt, 2);
      ticket.severity = keep (strings, stmt, 3);
      ticket.priority = keep (strings, stmt, 4);
      ticket.issue_type = keep (strings, stmt, 5);
      ticket.tier = sqlite3_column_int (stmt, 6);
      ticket.owner_name = keep (strings, stmt, 7);
      ticket.created_at = sqlite3_column_int64 (stmt, 8);
      ticket.first_response_at = sqlite3_column_int64 (stmt, 9);
      ticket.last_update_at = sqlite3_column_int64 (stmt, 10);
      ticket.tier_entered_at = sqlite3_column_int64 (stmt, 11);
      ticket.awaiting_pickup
          = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 12), "escalate") == 0;
      if (ticket.awaiting_pickup)
        {
          ticket.escalated_at = sqlite3_column_int64 (stmt, 13);
          ticket.escalated_from = sqlite3_column_int (stmt, 14);
        }
      g_array_append_val (tickets, ticket);
    }
  if (rc != SQLITE_DONE)
    g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE,
                 "could not read the open tickets: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc == SQLITE_DONE;
}

static const char *
person_contact (TdRotaStore *rotas, const char *person)
{
  JsonObject *row = person != NULL ? td_rota_store_get_row (rotas, "person", person) : NULL;
  const char *phone
      = row != NULL ? json_object_get_string_member_with_default (row, "phone", NULL) : NULL;

  if (phone != NULL && phone[0] != '\0')
    return phone;
  return row != NULL ? json_object_get_string_member_with_default (row, "email", NULL) : NULL;
}

static const char *
position_name (TdRotation *rotation, const char *slot)
{
  GPtrArray *positions = td_rotation_get_positions (rotation);

  for (guint i = 0; i < positions->len; i++)
    {
      const TdRotaPosition *position = g_ptr_array_index (positions, i);
      if (g_strcmp0 (position->id, slot) == 0)
        return position->name;
    }
  return slot;
}

static void
add_shifts (GArray       *contacts,
            GStringChunk *strings,
            TdRotaStore  *rotas,
            TdRotation   *rotation,
            GPtrArray    *shifts,
            gboolean      is_next)
{
  for (guint i = 0; i < shifts->len; i++)
    {
      const TdRotaShift *shift = g_ptr_array_index (shifts, i);
      TdHandoffContact   contact = { 0 };
      const char        *name;

      if (shift->person == NULL)
        continue;
      name = td_rotation_get_person_name (rotation, shift->person);
      contact.tier = td_rotation_get_tier (rotation);
      contact.rotation = g_string_chunk_insert_const (strings, td_rotation_get_name (rotation));
      contact.position
          = g_string_chunk_insert_const (strings, position_name (rotation, shift->slot));
      contact.person = g_string_chunk_insert_const (strings, name != NULL ? name : shift->person);
      contact.contact = person_contact (rotas, shift->person);
      if (contact.contact != NULL)
        contact.contact = g_string_chunk_insert_const (strings, contact.contact);
      contact.starts_at = shift->interval.start;
      contact.ends_at = shift->interval.end;
      contact.is_next = is_next;
      g_array_append_val (contacts, contact);
    }
}

static void
read_contacts (TdRotaStore *rotas, TdInstant now, GStringChunk *strings, GArray *contacts)
{
  GPtrArray *rotations = td_rota_store_get_rotations (rotas);

  for (guint i = 0; i < rotations->len; i++)
    {
      TdRotation *rotation = g_ptr_array_index (rotations, i);
      g_autoptr (GPtrArray) now_on = td_rotation_on_call_at (rotation, now);

      /* Each position now, then whoever holds it once its current stretch
       * ends (positions hand over at different times once overrides are
       * in). */
      for (guint j = 0; j < now_on->len; j++)
        {
          const TdRotaShift *shift = g_ptr_array_index (now_on, j);
          g_autoptr (GPtrArray) current = g_ptr_array_new ();
          g_autoptr (GPtrArray) then = NULL;
          g_autoptr (GPtrArray) next = g_ptr_array_new ();

          g_ptr_array_add (current, (gpointer) shift);
          add_shifts (contacts, strings, rotas, rotation, current, FALSE);
          if (shift->interval.end <= now || shift->interval.end == G_MAXINT64)
            continue;
          then = td_rotation_on_call_at (rotation, shift->interval.end);
          for (guint k = 0; k < then->len; k++)
            {
              const TdRotaShift *candidate = g_ptr_array_index (then, k);
              if (g_strcmp0 (candidate->slot, shift->slot) == 0)
                g_ptr_array_add (next, (gpointer) candidate);
            }
          add_shifts (contacts, strings, rotas, rotation, next, TRUE);
        }
    }
}

JsonObject *
td_handoff_source_build (const char  *path,
                         TdPolicy    *policy,
                         TdRotaStore *rotas,
                         int          tier,
                         TdInstant    now,
                         GError     **error)
{
  g_autoptr (GArray) tickets = g_array_new (FALSE, TRUE, sizeof (TdHandoffTicket));
  g_autoptr (GArray) contacts = g_array_new (FALSE, TRUE, sizeof (TdHandoffContact));
  GStringChunk  *strings = g_string_chunk_new (4096);
  TdHandoffInput input = { 0 };
  JsonObject    *report = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);

  if (read_tickets (path, tier, strings, tickets, error))
    {
      if (rotas != NULL)
        read_contacts (rotas, now, strings, contacts);
      input.tier = tier;
      input.now = now;
      input.tickets = (const TdHandoffTicket *) tickets->data;
      input.n_tickets = tickets->len;
      input.contacts = (const TdHandoffContact *) contacts->data;
      input.n_contacts = contacts->len;
      report = td_handoff_report_build (policy, &input);
    }
  g_string_chunk_free (strings);
  return report;
}
