/* td-metrics-source.c — the metrics' input (td-metrics.h) read from the client cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where each input comes from:
 * - a ticket's facts: its ticket row (resolved_at, or closed_at for a
 *   ticket closed straight away);
 * - its history: its ticket_event rows by time; "escalate" events are the
 *   moves (data.from_tier, data.to_tier), every other kind is activity;
 * - documentation: the policy's ticket fields, each read from the column
 *   of the same name (user_id from affected_user_id);
 * - the post-incident review: the ticket's pir rows (not deleted), their
 *   status mapped by td_metrics_pir_status (); with several rows for one
 *   ticket the furthest along counts, with none it is TD_METRICS_PIR_NONE.
 *   A cache without the pir table (from before migration 6) leaves PIR
 *   completion not measured (pir_recorded FALSE);
 * - the documentation clock: the ticket's new_issue and documented_at
 *   (absent in a cache from before migration 6: no new issues);
 * - changes: the change_record rows (not deleted) that were performed
 *   (succeeded, failed, rolled_back), at performed_at, for their tier; a
 *   rollback is a failure. A cache without the table (from before
 *   migration 8) has none.
 */
#include "config.h"

#include <sqlite3.h>

#include "td-change.h"
#include "td-metrics-source.h"

struct _TdMetricsSource
{
  GObject parent_instance;

  GArray       *tickets; /* TdMetricsTicket */
  GArray       *events;  /* TdMetricsEvent, grouped by ticket */
  GArray       *changes; /* TdMetricsChange */
  GStringChunk *strings;
  /* NULL-terminated field lists, one per ticket. */
  GPtrArray     *field_lists;
  TdMetricsInput input;
};

G_DEFINE_FINAL_TYPE (TdMetricsSource, td_metrics_source, G_TYPE_OBJECT)

static gboolean
fail (sqlite3 *db, GError **error, const char *what)
{
  g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static const char *
column_for_field (const char *field)
{
  return g_str_equal (field, "user_id") ? "affected_user_id" : field;
}

static int
find_column (sqlite3_stmt *stmt, const char *name)
{
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    if (g_str_equal (sqlite3_column_name (stmt, i), name))
      return i;
  return -1;
}

static gboolean
has_value (sqlite3_stmt *stmt, int column)
{
  switch (sqlite3_column_type (stmt, column))
    {
      case SQLITE_NULL:
        return FALSE;
      case SQLITE_TEXT:
        {
          g_autofree char *text
              = g_strstrip (g_strdup ((const char *) sqlite3_column_text (stmt, column)));
          return text[0] != '\0';
        }
      default:
        return TRUE;
    }
}

static gboolean
read_tickets (TdMetricsSource *self,
              sqlite3         *db,
              TdPolicy        *policy,
              GHashTable      *index,
              GError         **error)
{
  GPtrArray    *fields = td_policy_get_ticket_fields (policy);
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GArray) field_columns = g_array_new (FALSE, FALSE, sizeof (int));
  int new_issue_column;
  int documented_column;
  int rc;

  if (sqlite3_prepare_v2 (db,
                          "SELECT *, COALESCE (resolved_at, closed_at) AS td_done_at FROM ticket "
                          "WHERE deleted = 0 ORDER BY created_at, uuid",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return fail (db, error, "could not read the tickets");

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const TdTicketField *field = g_ptr_array_index (fields, i);
      int                  column = find_column (stmt, column_for_field (field->id));

      g_array_append_val (field_columns, column);
    }

  new_issue_column = find_column (stmt, "new_issue");
  documented_column = find_column (stmt, "documented_at");

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdMetricsTicket ticket = { 0 };
      GPtrArray      *filled = g_ptr_array_new ();
      const char     *severity
          = (const char *) sqlite3_column_text (stmt, find_column (stmt, "severity"));

      ticket.id = g_string_chunk_insert_const (
          self->strings, (const char *) sqlite3_column_text (stmt, find_column (stmt, "uuid")));
      ticket.severity
          = severity != NULL ? g_string_chunk_insert_const (self->strings, severity) : NULL;
      ticket.first_tier = sqlite3_column_int (stmt, find_column (stmt, "tier"));
      ticket.created_at = sqlite3_column_int64 (stmt, find_column (stmt, "created_at"));
      ticket.first_response_at
          = sqlite3_column_int64 (stmt, find_column (stmt, "first_response_at"));
      ticket.resolved_at = sqlite3_column_int64 (stmt, find_column (stmt, "td_done_at"));
      ticket.pir_status = TD_METRICS_PIR_NONE;
      ticket.new_issue = new_issue_column >= 0 && sqlite3_column_int (stmt, new_issue_column) != 0;
      ticket.documented_at
          = documented_column >= 0 ? sqlite3_column_int64 (stmt, documented_column) : 0;

      for (guint i = 0; i < field_columns->len; i++)
        {
          const TdTicketField *field = g_ptr_array_index (fields, i);
          int                  column = g_array_index (field_columns, int, i);

          if (column >= 0 && has_value (stmt, column))
            g_ptr_array_add (filled, field->id);
        }
      g_ptr_array_add (filled, NULL);
      g_ptr_array_add (self->field_lists, filled);
      ticket.filled_fields = (const char *const *) filled->pdata;

      g_hash_table_insert (index, (gpointer) ticket.id, GUINT_TO_POINTER (self->tickets->len));
      g_array_append_val (self->tickets, ticket);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (db, error, "could not read the tickets");
  return TRUE;
}

static gboolean
read_events (TdMetricsSource *self, sqlite3 *db, GHashTable *index, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  const char   *current = NULL;
  guint         current_index = 0;
  guint         first = 0;
  int           rc;

  /* Local events (rev 0) keep the order they were made in (rowid). */
  if (sqlite3_prepare_v2 (db,
                          "SELECT ticket, at, kind = 'escalate', "
                          "       json_extract (data, '$.from_tier'), "
                          "       json_extract (data, '$.to_tier') "
                          "FROM ticket_event WHERE deleted = 0 AND ticket IS NOT NULL "
                          "ORDER BY ticket, at, rowid",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return fail (db, error, "could not read the ticket history");

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char    *ticket = (const char *) sqlite3_column_text (stmt, 0);
      TdMetricsEvent event = { 0 };
      gpointer       key;
      gpointer       found;

      if (!g_hash_table_lookup_extended (index, ticket, &key, &found))
        continue;

      /* Rows come by ticket: a new key is the next ticket's first event. */
      if (key != current)
        {
          if (current != NULL)
            g_array_index (self->tickets, TdMetricsTicket, current_index).n_events
                = self->events->len - first;
          current = key;
          current_index = GPOINTER_TO_UINT (found);
          first = self->events->len;
          /* The array may still grow and move: keep the start (plus one,
           * so that 0 means none) and make it a pointer at the end. */
          g_array_index (self->tickets, TdMetricsTicket, current_index).events
              = GUINT_TO_POINTER (first + 1);
        }

      event.at = sqlite3_column_int64 (stmt, 1);
      event.is_move
          = sqlite3_column_int (stmt, 2) != 0 && sqlite3_column_type (stmt, 4) == SQLITE_INTEGER;
      if (event.is_move)
        {
          event.from_tier = sqlite3_column_int (stmt, 3);
          event.to_tier = sqlite3_column_int (stmt, 4);
        }
      g_array_append_val (self->events, event);
    }
  if (current != NULL)
    g_array_index (self->tickets, TdMetricsTicket, current_index).n_events
        = self->events->len - first;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (db, error, "could not read the ticket history");

  for (guint i = 0; i < self->tickets->len; i++)
    {
      TdMetricsTicket *ticket = &g_array_index (self->tickets, TdMetricsTicket, i);
      guint            start = GPOINTER_TO_UINT (ticket->events);

      if (start == 0)
        {
          ticket->events = NULL;
          continue;
        }
      ticket->events = &g_array_index (self->events, TdMetricsEvent, start - 1);
      /* The tier it was opened at: where its first move started. */
      for (guint j = 0; j < ticket->n_events; j++)
        if (ticket->events[j].is_move)
          {
            ticket->first_tier = ticket->events[j].from_tier;
            break;
          }
    }
  return TRUE;
}

static gboolean
has_table (sqlite3 *db, const char *name, gboolean *out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", -1,
                          &stmt, NULL)
      != SQLITE_OK)
    return fail (db, error, "could not read the cache's tables");
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail (db, error, "could not read the cache's tables");
  *out = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
read_reviews (TdMetricsSource *self, sqlite3 *db, GHashTable *index, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      recorded = FALSE;
  int           rc;

  if (!has_table (db, "pir", &recorded, error))
    return FALSE;
  self->input.pir_recorded = recorded;
  if (!recorded)
    return TRUE;

  if (sqlite3_prepare_v2 (db,
                          "SELECT ticket, status FROM pir WHERE deleted = 0 AND ticket IS NOT NULL",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return fail (db, error, "could not read the post-incident reviews");

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char        *ticket_id = (const char *) sqlite3_column_text (stmt, 0);
      const char        *status_text = (const char *) sqlite3_column_text (stmt, 1);
      TdPirStatus        review_status;
      TdMetricsPirStatus status;
      TdMetricsTicket   *ticket;
      gpointer           found;

      if (!g_hash_table_lookup_extended (index, ticket_id, NULL, &found))
        continue;
      /* The table's CHECK allows only the known statuses; anything else
       * would be a newer server's: not counted as held. */
      status = td_pir_status_from_string (status_text, &review_status)
                   ? td_metrics_pir_status (review_status)
                   : TD_METRICS_PIR_PENDING;
      ticket = &g_array_index (self->tickets, TdMetricsTicket, GPOINTER_TO_UINT (found));
      /* NONE < PENDING < COMPLETE: a held review is not undone by a
       * second row still scheduled. */
      ticket->pir_status = MAX (ticket->pir_status, status);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (db, error, "could not read the post-incident reviews");
  return TRUE;
}

static gboolean
read_changes (TdMetricsSource *self, sqlite3 *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      recorded = FALSE;
  int           rc;

  if (!has_table (db, "change_record", &recorded, error))
    return FALSE;
  if (!recorded)
    return TRUE;

  if (sqlite3_prepare_v2 (db,
                          "SELECT performed_at, tier, status FROM change_record WHERE deleted = 0 "
                          "AND performed_at IS NOT NULL AND status <> 'planned'",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return fail (db, error, "could not read the production changes");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdChangeStatus  status;
      TdMetricsChange change = { 0 };

      /* A status from a newer server is not one this program can count. */
      if (!td_change_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &status)
          || !td_change_status_is_performed (status))
        continue;
      change.at = sqlite3_column_int64 (stmt, 0);
      change.tier = sqlite3_column_int (stmt, 1);
      change.succeeded = status == TD_CHANGE_SUCCEEDED;
      g_array_append_val (self->changes, change);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (db, error, "could not read the production changes");
  return TRUE;
}

static void
td_metrics_source_finalize (GObject *object)
{
  TdMetricsSource *self = TD_METRICS_SOURCE (object);

  g_clear_pointer (&self->tickets, g_array_unref);
  g_clear_pointer (&self->events, g_array_unref);
  g_clear_pointer (&self->changes, g_array_unref);
  g_clear_pointer (&self->field_lists, g_ptr_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);

  G_OBJECT_CLASS (td_metrics_source_parent_class)->finalize (object);
}

static void
td_metrics_source_class_init (TdMetricsSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_metrics_source_finalize;
}

static void
td_metrics_source_init (TdMetricsSource *self)
{
  self->tickets = g_array_new (FALSE, TRUE, sizeof (TdMetricsTicket));
  self->events = g_array_new (FALSE, TRUE, sizeof (TdMetricsEvent));
  self->changes = g_array_new (FALSE, TRUE, sizeof (TdMetricsChange));
  self->strings = g_string_chunk_new (4096);
  self->field_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

TdMetricsSource *
td_metrics_source_load (const char *path, TdPolicy *policy, GError **error)
{
  g_autoptr (TdMetricsSource) self = NULL;
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3 *db = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE, "could not open %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  self = g_object_new (TD_TYPE_METRICS_SOURCE, NULL);
  /* One read transaction, so the tickets and their history agree. */
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  ok = read_tickets (self, db, policy, index, error) && read_events (self, db, index, error)
       && read_reviews (self, db, index, error) && read_changes (self, db, error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  if (!ok)
    return NULL;

  self->input.tickets = (const TdMetricsTicket *) self->tickets->data;
  self->input.n_tickets = self->tickets->len;
  self->input.changes = (const TdMetricsChange *) self->changes->data;
  self->input.n_changes = self->changes->len;
  return g_steal_pointer (&self);
}

const TdMetricsInput *
td_metrics_source_get_input (TdMetricsSource *self)
{
  g_return_val_if_fail (TD_IS_METRICS_SOURCE (self), NULL);

  return &self->input;
}
