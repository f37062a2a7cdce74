/* test-demo-data.c — the demo data set: sizes, policy consistency, SLA states, determinism
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "td-demo-data.h"
#include "td-escalation.h"
#include "td-schema.h"
#include "td-sla.h"
#include "td-time.h"
#include "td-triage.h"

#include "td-test-util.h"

#define N_TICKETS 500
#define SEED      42
#define NOW       "2026-11-20T12:00:00Z"

/* One generated store shared by the read-only tests: generating is the
 * slow part. */
static char     *tmp_dir;
static char     *shared_path;
static TdPolicy *shared_policy;

static TdPolicy *
load_policy (void)
{
  const char *path = g_getenv ("TD_POLICY_FILE");
  g_autoptr (GError) error = NULL;
  TdPolicy *policy;

  g_assert_nonnull (path);
  policy = td_policy_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (policy);
  return policy;
}

static TdInstant
now_instant (void)
{
  TdInstant instant = 0;

  g_assert_true (td_time_parse_instant (NOW, &instant));
  return instant;
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static sqlite3 *
create_store (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *db = open_db (path);

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), ==, SQLITE_OK);
  td_schema_migrate (db, TD_SCHEMA_SERVER, &error);
  g_assert_no_error (error);
  return db;
}

static sqlite3 *
generate_store (const char *name, guint n_tickets, guint32 seed)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = create_store (name);

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA cache_size = -3000", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (
      td_demo_data_generate (db, shared_policy, n_tickets, seed, now_instant (), &error));
  g_assert_no_error (error);
  /* The connection is handed back as it came. */
  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_cmpint (td_test_query_int (db, "PRAGMA cache_size"), ==, -3000);
  return db;
}

static sqlite3 *
shared_db (void)
{
  if (shared_path == NULL)
    {
      sqlite3 *db = generate_store ("shared.db", N_TICKETS, SEED);

      sqlite3_close (db);
      shared_path = g_build_filename (tmp_dir, "shared.db", NULL);
    }
  return open_db (shared_path);
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* Every synced table, rows in revision order, all columns: a byte-exact
 * picture of what a client would pull. */
static char *
dump_synced (sqlite3 *db)
{
  g_autoptr (GString) dump = g_string_new (NULL);
  const char *const *tables = td_schema_get_synced_tables ();

  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY rev", tables[i]);
      sqlite3_stmt    *stmt = prepare (db, sql);

      g_string_append_printf (dump, "== %s\n", tables[i]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *text = column_text (stmt, c);

              g_string_append_printf (dump, "%s|", text != NULL ? text : "<null>");
            }
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (g_steal_pointer (&dump), FALSE);
}

static void
test_counts (void)
{
  sqlite3   *db = shared_db ();
  GPtrArray *rotas = td_policy_get_rota_templates (shared_policy);
  gint64     members = 0;
  gint64     events;

  for (guint i = 0; i < rotas->len; i++)
    {
      const TdRotaTemplate *rota = g_ptr_array_index (rotas, i);

      members += (gint64) rota->weeks * rota->positions->len;
    }

  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM person"), ==,
                   TD_DEMO_DATA_N_PEOPLE);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket"), ==, N_TICKETS);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM rotation"), ==, rotas->len);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM rotation_member"), ==, members);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM training_record"), ==,
                   TD_DEMO_DATA_N_TRAINING);

  /* About three events per ticket. */
  events = td_test_query_int (db, "SELECT count(*) FROM ticket_event");
  g_test_message ("%" G_GINT64_FORMAT " events for %d tickets", events, N_TICKETS);
  g_assert_cmpint (events, >=, 2 * N_TICKETS);
  g_assert_cmpint (events, <=, 4 * N_TICKETS);

  /* Every kind of history entry appears. */
  g_assert_cmpint (td_test_query_int (db, "SELECT count(DISTINCT kind) FROM ticket_event"), ==, 5);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket_event WHERE kind NOT IN "
                                          "('comment', 'update', 'status', 'assign', 'escalate')"),
                   ==, 0);

  /* A realistic queue: mostly closed, some of every status. */
  g_assert_cmpint (td_test_query_int (db, "SELECT count(DISTINCT status) FROM ticket"), >=, 3);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket WHERE status NOT IN "
                                          "('new', 'in_progress', 'resolved', 'closed')"),
                   ==, 0);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket WHERE status = 'closed'"), >,
                   N_TICKETS / 2);
  g_assert_cmpint (
      td_test_query_int (db, "SELECT count(*) FROM ticket WHERE status = 'in_progress'"), >, 0);
  sqlite3_close (db);
}

static const char *
lookup_field (const char *field_id, gpointer user_data)
{
  GHashTable *row = user_data;

  return g_hash_table_lookup (row, field_id);
}

static void
test_required_fields (void)
{
  sqlite3      *db = shared_db ();
  sqlite3_stmt *stmt = prepare (db, "SELECT * FROM ticket");
  GPtrArray    *fields = td_policy_get_ticket_fields (shared_policy);
  guint         n = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (GHashTable) row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr (GPtrArray) missing = NULL;

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *name = sqlite3_column_name (stmt, c);
          const char *text = column_text (stmt, c);

          /* Policy field ids map to columns by name, except user_id. */
          if (g_str_equal (name, "affected_user_id"))
            name = "user_id";
          if (text != NULL)
            g_hash_table_insert (row, g_strdup (name), g_strdup (text));
        }

      missing = td_triage_missing_fields (shared_policy, lookup_field, row);
      g_assert_cmpuint (missing->len, ==, 0);
      for (guint i = 0; i < fields->len; i++)
        {
          const TdTicketField *field = g_ptr_array_index (fields, i);
          const char          *value = g_hash_table_lookup (row, field->id);

          if (field->required)
            g_assert_true (value != NULL && value[0] != '\0');
        }

      g_assert_cmpstr (g_hash_table_lookup (row, "title"), !=, "");
      g_assert_true (
          g_regex_match_simple ("^E[0-9]{5}$", g_hash_table_lookup (row, "user_id"), 0, 0));
      g_assert_nonnull (strstr (g_hash_table_lookup (row, "contact"), "@example.com"));
      g_assert_nonnull (g_hash_table_lookup (row, "owner"));
      g_assert_nonnull (g_hash_table_lookup (row, "created_by"));
      /* Every template placeholder was filled in. */
      g_assert_null (strchr (g_hash_table_lookup (row, "title"), '{'));
      g_assert_null (strchr (g_hash_table_lookup (row, "description"), '{'));
      g_assert_null (strchr (g_hash_table_lookup (row, "steps_to_reproduce"), '{'));
      g_assert_null (strchr (g_hash_table_lookup (row, "error_message"), '{'));
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, N_TICKETS);

  /* Text varies: a benchmark's search must not hit every row alike. */
  g_assert_cmpint (td_test_query_int (db, "SELECT count(DISTINCT title) FROM ticket"), >, 60);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(DISTINCT description) FROM ticket"), >,
                   N_TICKETS / 2);
  g_assert_cmpint (td_test_query_int (db,
                                      "SELECT count(*) FROM ticket_event WHERE author IS NULL OR "
                                      "author NOT IN (SELECT uuid FROM person)"),
                   ==, 0);
  sqlite3_close (db);
}

static void
test_triage (void)
{
  sqlite3      *db = shared_db ();
  sqlite3_stmt *stmt = prepare (db, "SELECT impact, urgency, severity, priority, pir_required, "
                                    "issue_type, tier FROM ticket");
  g_autoptr (GHashTable) severities = g_hash_table_new (g_str_hash, g_str_equal);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (GError) error = NULL;
      const TdTriageRule *rule
          = td_triage (shared_policy, column_text (stmt, 0), column_text (stmt, 1), &error);
      const char *issue_type = column_text (stmt, 5);

      g_assert_no_error (error);
      g_assert_cmpstr (column_text (stmt, 2), ==, rule->severity);
      g_assert_cmpstr (column_text (stmt, 3), ==, rule->priority);
      g_assert_cmpint (sqlite3_column_int (stmt, 4), ==,
                       td_escalation_pir_required (shared_policy, rule->severity) ? 1 : 0);
      g_hash_table_add (severities, (gpointer) rule->severity);

      /* An issue type, when there is one, belongs to the ticket's tier. */
      if (issue_type != NULL)
        {
          const TdIssueType *type = td_policy_get_issue_type (shared_policy, issue_type);

          g_assert_nonnull (type);
          g_assert_cmpint (type->tier, ==, sqlite3_column_int (stmt, 6));
        }
    }
  sqlite3_finalize (stmt);

  g_assert_cmpuint (g_hash_table_size (severities), >=, 3);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(DISTINCT tier) FROM ticket"), >=, 3);
  g_assert_cmpint (
      td_test_query_int (db, "SELECT count(*) FROM ticket WHERE issue_type IS NOT NULL"), >,
      N_TICKETS / 2);
  sqlite3_close (db);
}

static void
test_revisions (void)
{
  sqlite3           *db = shared_db ();
  const char *const *tables = td_schema_get_synced_tables ();
  g_autoptr (GString) all = g_string_new ("SELECT rev FROM (");
  g_autofree char *count_sql = NULL;
  g_autofree char *distinct_sql = NULL;
  g_autofree char *max_sql = NULL;
  g_autofree char *min_sql = NULL;
  gint64           count;

  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE deleted != 0 OR "
                                              "rev < 1 OR length (uuid) != 36",
                                              tables[i]);

      g_assert_cmpint (td_test_query_int (db, sql), ==, 0);
      g_string_append_printf (all, "%sSELECT rev, uuid FROM %s", i > 0 ? " UNION ALL " : "",
                              tables[i]);
    }
  g_string_append (all, ")");

  count_sql = g_strdup_printf ("SELECT count(*) FROM (%s)", all->str);
  distinct_sql = g_strdup_printf ("SELECT count(DISTINCT rev) FROM (%s)", all->str);
  max_sql = g_strdup_printf ("SELECT max(rev) FROM (%s)", all->str);
  min_sql = g_strdup_printf ("SELECT min(rev) FROM (%s)", all->str);

  /* Unique, contiguous from the head the store had (0), ending at the head. */
  count = td_test_query_int (db, count_sql);
  g_assert_cmpint (td_test_query_int (db, distinct_sql), ==, count);
  g_assert_cmpint (td_test_query_int (db, min_sql), ==, 1);
  g_assert_cmpint (td_test_query_int (db, max_sql), ==, count);
  g_assert_cmpint (td_test_query_int (db, "SELECT value FROM meta WHERE key = 'head_rev'"), ==,
                   count);
  g_assert_cmpint (td_test_query_int (db, "SELECT typeof (value) = 'integer' FROM meta "
                                          "WHERE key = 'head_rev'"),
                   ==, 1);

  /* The uuids look like version 4 UUIDs. */
  g_assert_cmpint (td_test_query_int (db,
                                      "SELECT count(*) FROM ticket WHERE uuid NOT GLOB "
                                      "'[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
                                      "[0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-4*'"),
                   ==, 0);

  /* The full-text index followed the inserts. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO ticket_fts (ticket_fts, rank) "
                                 "VALUES ('integrity-check', 1)",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket_fts WHERE ticket_fts MATCH "
                                          "'leave OR password OR payroll OR report'"),
                   >, 0);
  sqlite3_close (db);
}

/* The last revision handed out, in any synced table: the knowledge base
 * and the reviews are written after the tickets. */
static gint64
max_synced_rev (sqlite3 *db)
{
  const char *const *tables = td_schema_get_synced_tables ();
  gint64             max = 0;

  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT coalesce (max (rev), 0) FROM %s", tables[i]);
      max = MAX (max, td_test_query_int (db, sql));
    }
  return max;
}

static void
test_existing_head (void)
{
  g_autoptr (GError) error = NULL;
  sqlite3         *db = create_store ("head.db");
  g_autofree char *dump = NULL;

  /* Revisions continue from whatever the store has handed out already. */
  g_assert_cmpint (
      sqlite3_exec (db, "UPDATE meta SET value = 1000 WHERE key = 'head_rev'", NULL, NULL, NULL),
      ==, SQLITE_OK);
  g_assert_true (td_demo_data_generate (db, shared_policy, 20, 7, now_instant (), &error));
  g_assert_no_error (error);
  g_assert_cmpint (td_test_query_int (db, "SELECT min(rev) FROM person"), ==, 1001);
  g_assert_cmpint (td_test_query_int (db, "SELECT value FROM meta WHERE key = 'head_rev'"), ==,
                   max_synced_rev (db));
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket"), ==, 20);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM temp.sqlite_master"), ==, 0);

  /* The same seed again collides on every uuid: nothing of the second
   * run may stay behind. */
  dump = dump_synced (db);
  g_assert_false (td_demo_data_generate (db, shared_policy, 20, 7, now_instant (), &error));
  g_assert_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE);
  g_test_message ("%s", error->message);
  g_assert_true (sqlite3_get_autocommit (db));
  /* The staging table went with the rollback. */
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM temp.sqlite_master"), ==, 0);
  {
    g_autofree char *after = dump_synced (db);

    g_assert_cmpstr (after, ==, dump);
  }
  g_assert_cmpint (td_test_query_int (db, "SELECT value FROM meta WHERE key = 'head_rev'"), ==,
                   max_synced_rev (db));
  sqlite3_close (db);
}

static void
test_determinism (void)
{
  sqlite3         *a = generate_store ("a.db", N_TICKETS, SEED);
  sqlite3         *b = generate_store ("b.db", N_TICKETS, SEED);
  sqlite3         *c = generate_store ("c.db", N_TICKETS, SEED + 1);
  g_autofree char *dump_a = dump_synced (a);
  g_autofree char *dump_b = dump_synced (b);
  g_autofree char *dump_c = dump_synced (c);

  g_assert_cmpuint (strlen (dump_a), >, 100000);
  g_assert_true (g_str_equal (dump_a, dump_b));
  g_assert_false (g_str_equal (dump_a, dump_c));
  sqlite3_close (a);
  sqlite3_close (b);
  sqlite3_close (c);
}

static void
test_sla_states (void)
{
  sqlite3      *db = shared_db ();
  sqlite3_stmt *stmt = prepare (db, "SELECT tier, severity, issue_type, created_at, "
                                    "first_response_at, last_update_at, resolved_at "
                                    "FROM ticket WHERE status IN ('new', 'in_progress')");
  TdInstant     now = now_instant ();
  guint         counts[TD_SLA_MET + 1] = { 0 };
  guint         open = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (GError) error = NULL;
      TdSlaTicket ticket = { 0 };
      TdSlaResult result;

      ticket.tier = sqlite3_column_int (stmt, 0);
      ticket.severity = column_text (stmt, 1);
      ticket.issue_type = column_text (stmt, 2);
      ticket.created = sqlite3_column_int64 (stmt, 3);
      ticket.first_response = sqlite3_column_int64 (stmt, 4);
      ticket.last_update = sqlite3_column_int64 (stmt, 5);
      ticket.resolved = sqlite3_column_int64 (stmt, 6);
      g_assert_true (td_sla_compute (shared_policy, &ticket, now, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ticket.resolved, ==, 0);
      counts[result.resolution.state]++;
      open++;
    }
  sqlite3_finalize (stmt);

  g_test_message ("%u open: %u ok, %u at risk, %u breached, %u without a clock", open,
                  counts[TD_SLA_OK], counts[TD_SLA_AT_RISK], counts[TD_SLA_BREACHED],
                  counts[TD_SLA_NO_CLOCK]);
  g_assert_cmpuint (counts[TD_SLA_AT_RISK], >=, 1);
  g_assert_cmpuint (counts[TD_SLA_BREACHED], >=, 1);
  /* At risk and breached stand out from a queue that is mostly fine. */
  g_assert_cmpuint (counts[TD_SLA_BREACHED], <, open / 2);
  sqlite3_close (db);
}

static char **
json_strv (JsonArray *array)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char        **strv;

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

/* Each ticket's history: times increase within its life, escalations
 * chain from tier to tier along allowed paths with their checklist
 * complete, and the row agrees with the last of them. */
static void
test_history (void)
{
  sqlite3      *db = shared_db ();
  sqlite3_stmt *tickets = prepare (db, "SELECT uuid, tier, severity, status, owner, created_at, "
                                       "tier_entered_at, first_response_at, last_update_at, "
                                       "resolved_at, closed_at FROM ticket");
  sqlite3_stmt *events = prepare (db, "SELECT kind, at, data FROM ticket_event "
                                      "WHERE ticket = ?1 ORDER BY at");
  sqlite3_stmt *owner = prepare (db, "SELECT tier FROM person WHERE uuid = ?1");
  TdInstant     now = now_instant ();
  guint         n_escalations = 0;
  g_autoptr (GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (sqlite3_step (tickets) == SQLITE_ROW)
    {
      int         tier = sqlite3_column_int (tickets, 1);
      const char *severity = column_text (tickets, 2);
      const char *status = column_text (tickets, 3);
      gint64      created = sqlite3_column_int64 (tickets, 5);
      gint64      tier_entered = sqlite3_column_int64 (tickets, 6);
      gint64      first_response = sqlite3_column_int64 (tickets, 7);
      gint64      last_update = sqlite3_column_int64 (tickets, 8);
      gint64      resolved = sqlite3_column_int64 (tickets, 9);
      gint64      closed = sqlite3_column_int64 (tickets, 10);
      gint64      last_at = created;
      gint64      last_escalation = created;
      int         current_tier = 1;
      const char *last_status = "new";
      guint       n_events = 0;

      /* Clocks in order, and consistent with the status. */
      g_assert_cmpint (created, <=, now);
      g_assert_cmpint (created, >, now - 4 * 365 * 86400);
      if (first_response != 0)
        g_assert_cmpint (first_response, >=, created);
      if (resolved != 0)
        g_assert_cmpint (resolved, >=, first_response);
      if (closed != 0)
        g_assert_cmpint (closed, >=, resolved);
      g_assert_cmpint (closed != 0, ==, g_str_equal (status, "closed"));
      g_assert_cmpint (resolved != 0, ==,
                       g_str_equal (status, "closed") || g_str_equal (status, "resolved"));
      g_assert_cmpint (first_response == 0, ==, g_str_equal (status, "new"));

      /* The owner works at the ticket's tier. */
      sqlite3_bind_text (owner, 1, column_text (tickets, 4), -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (owner), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (owner, 0), ==, tier);
      sqlite3_reset (owner);

      sqlite3_bind_text (events, 1, column_text (tickets, 0), -1, SQLITE_TRANSIENT);
      while (sqlite3_step (events) == SQLITE_ROW)
        {
          const char *kind = column_text (events, 0);
          gint64      at = sqlite3_column_int64 (events, 1);
          const char *data = column_text (events, 2);

          g_assert_cmpint (at, >, n_events == 0 ? created - 1 : last_at);
          g_assert_cmpint (at, <=, now);
          last_at = at;
          n_events++;

          if (g_str_equal (kind, "status"))
            {
              g_autoptr (JsonNode) node = json_from_string (data, NULL);

              g_assert_nonnull (node);
              last_status = json_object_get_string_member (json_node_get_object (node), "status");
              last_status = g_intern_string (last_status);
            }
          else if (g_str_equal (kind, "assign"))
            {
              g_autoptr (JsonNode) node = json_from_string (data, NULL);

              g_assert_nonnull (node);
              g_assert_true (json_object_has_member (json_node_get_object (node), "owner"));
            }
          else if (g_str_equal (kind, "escalate"))
            {
              g_autoptr (JsonNode) node = json_from_string (data, NULL);
              g_autoptr (GError) error = NULL;
              g_auto (GStrv) checked = NULL;
              JsonObject             *object;
              TdEscalationRequest     request = { 0 };
              const TdEscalationPath *path;
              int                     to_tier;

              g_assert_nonnull (node);
              object = json_node_get_object (node);
              checked = json_strv (json_object_get_array_member (object, "checklist"));
              to_tier = (int) json_object_get_int_member (object, "to_tier");

              request.tier = (int) json_object_get_int_member (object, "from_tier");
              request.severity = severity;
              request.checked = (const char *const *) checked;
              g_assert_cmpint (request.tier, ==, current_tier);

              path = td_escalation_check (shared_policy, &request, to_tier, &error);
              g_assert_no_error (error);
              g_assert_nonnull (path);
              g_assert_cmpstr (path->id, ==, json_object_get_string_member (object, "path"));
              g_hash_table_add (paths, g_strdup (path->id));

              current_tier = to_tier;
              last_escalation = at;
              n_escalations++;
            }
        }
      sqlite3_reset (events);

      g_assert_cmpint (current_tier, ==, tier);
      g_assert_cmpint (tier_entered, ==, last_escalation);
      g_assert_cmpint (last_update, ==, n_events > 0 ? last_at : 0);
      if (!g_str_equal (status, "new"))
        g_assert_cmpstr (last_status, ==, status);
      else
        g_assert_cmpuint (n_events, ==, 0);
    }
  sqlite3_finalize (tickets);
  sqlite3_finalize (events);
  sqlite3_finalize (owner);

  /* Both handoff checklists and SEV-1 shortcuts are exercised. */
  g_assert_cmpuint (n_escalations, >, N_TICKETS / 10);
  g_assert_true (g_hash_table_contains (paths, "t1-t2"));
  g_assert_true (g_hash_table_contains (paths, "t2-t3"));
  sqlite3_close (db);
}

static void
test_people (void)
{
  sqlite3      *db = shared_db ();
  GPtrArray    *tiers = td_policy_get_tiers (shared_policy);
  sqlite3_stmt *stmt = prepare (db, "SELECT role, tier, sub_team, email, phone, time_zone, "
                                    "start_date FROM person");
  sqlite3_stmt *count = prepare (db, "SELECT count(*) FROM person WHERE role = ?1");
  TdInstant     now = now_instant ();
  g_autoptr (GDateTime) now_time = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) three_years = g_date_time_add_years (now_time, -3);
  g_autofree char *earliest = g_date_time_format (three_years, "%Y-%m-%d");
  g_autofree char *today = g_date_time_format (now_time, "%Y-%m-%d");

  /* Every slot of every tier's team structure has someone. */
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      for (guint j = 0; j < tier->team_structure->len; j++)
        {
          const TdTeamSlot *slot = g_ptr_array_index (tier->team_structure, j);
          gint64            slots = 0;

          for (guint k = 0; k < tier->team_structure->len; k++)
            if (g_str_equal (
                    ((const TdTeamSlot *) g_ptr_array_index (tier->team_structure, k))->role,
                    slot->role))
              slots++;
          sqlite3_bind_text (count, 1, slot->role, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (count), ==, SQLITE_ROW);
          g_assert_cmpint (sqlite3_column_int64 (count, 0), >=, slots);
          sqlite3_reset (count);
        }
    }

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char   *role_id = column_text (stmt, 0);
      const TdRole *role = td_policy_get_role (shared_policy, role_id);
      const char   *sub_team = column_text (stmt, 2);
      const char   *start = column_text (stmt, 6);

      g_assert_nonnull (role);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, role->tier);
      g_assert_true (
          g_regex_match_simple ("^[a-z-]+\\.[a-z-]+@example\\.com$", column_text (stmt, 3), 0, 0));
      g_assert_true (g_regex_match_simple ("^(\\+44 20 7946 0[0-9]{3}|\\+1 212 555 01[0-9]{2})$",
                                           column_text (stmt, 4), 0, 0));
      g_assert_true (g_str_equal (column_text (stmt, 5), "Europe/London")
                     || g_str_equal (column_text (stmt, 5), "America/New_York"));
      g_assert_cmpstr (start, >=, earliest);
      g_assert_cmpstr (start, <=, today);

      if (sub_team != NULL)
        {
          const TdTier *tier = td_policy_get_tier (shared_policy, role->tier);
          gboolean      known = FALSE;

          for (guint i = 0; tier != NULL && tier->sub_teams != NULL && i < tier->sub_teams->len;
               i++)
            known |= g_str_equal (((const TdSubTeam *) g_ptr_array_index (tier->sub_teams, i))->id,
                                  sub_team);
          g_assert_true (known);
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_finalize (count);

  g_assert_cmpint (td_test_query_int (db, "SELECT count(DISTINCT email) FROM person"), ==,
                   TD_DEMO_DATA_N_PEOPLE);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(DISTINCT phone) FROM person"), ==,
                   TD_DEMO_DATA_N_PEOPLE);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM person WHERE role = 'engineer' AND "
                                          "sub_team IS NULL"),
                   ==, 0);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM person WHERE role = 'trainer'"), >=,
                   1);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM person "
                                          "WHERE time_zone = 'America/New_York'"),
                   >, 0);
  sqlite3_close (db);
}

static void
test_rotations (void)
{
  sqlite3   *db = shared_db ();
  GPtrArray *rotas = td_policy_get_rota_templates (shared_policy);

  for (guint i = 0; i < rotas->len; i++)
    {
      const TdRotaTemplate *rota = g_ptr_array_index (rotas, i);
      sqlite3_stmt         *stmt = prepare (db, "SELECT uuid, tier, weeks, positions, time_zone, "
                                                        "handoff_time, start_date FROM rotation "
                                                        "WHERE policy_id = ?1");
      sqlite3_stmt         *members = prepare (db, "SELECT m.week, m.position, p.tier, p.uuid "
                                                           "FROM rotation_member m JOIN person p "
                                                           "ON p.uuid = m.person WHERE m.rotation = ?1 "
                                                           "ORDER BY m.week, m.position");
      g_autoptr (JsonNode) positions = NULL;
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GHashTable) busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GDate start;
      guint n = 0;

      sqlite3_bind_text (stmt, 1, rota->id, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, rota->tier);
      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, rota->weeks);
      g_assert_cmpstr (column_text (stmt, 4), ==, "Europe/London");
      g_assert_cmpstr (column_text (stmt, 5), ==, "09:00");
      g_assert_true (td_time_parse_date (column_text (stmt, 6), &start));
      g_assert_cmpint (g_date_get_weekday (&start), ==, G_DATE_MONDAY);

      positions = json_from_string (column_text (stmt, 3), NULL);
      g_assert_nonnull (positions);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (positions)), ==,
                        rota->positions->len);
      for (guint j = 0; j < rota->positions->len; j++)
        g_assert_cmpstr (json_array_get_string_element (json_node_get_array (positions), j), ==,
                         ((const TdPolicyItem *) g_ptr_array_index (rota->positions, j))->id);

      /* Each week and position filled once, by someone of the rota's tier
       * who holds no other position that week. */
      sqlite3_bind_text (members, 1, column_text (stmt, 0), -1, SQLITE_TRANSIENT);
      while (sqlite3_step (members) == SQLITE_ROW)
        {
          int              week = sqlite3_column_int (members, 0);
          g_autofree char *key = g_strdup_printf ("%d/%s", week, column_text (members, 1));
          g_autofree char *person = g_strdup_printf ("%d/%s", week, column_text (members, 3));

          g_assert_cmpint (week, >=, 1);
          g_assert_cmpint (week, <=, rota->weeks);
          g_assert_cmpint (sqlite3_column_int (members, 2), ==, rota->tier);
          g_assert_true (g_hash_table_add (seen, g_steal_pointer (&key)));
          g_assert_true (g_hash_table_add (busy, g_steal_pointer (&person)));
          n++;
        }
      g_assert_cmpuint (n, ==, rota->weeks * rota->positions->len);
      sqlite3_finalize (stmt);
      sqlite3_finalize (members);
    }
  sqlite3_close (db);
}

static void
test_training (void)
{
  sqlite3      *db = shared_db ();
  sqlite3_stmt *stmt = prepare (db, "SELECT t.topic, t.minutes, p.tier, p.start_date, "
                                    "t.completed_on, trainer.role "
                                    "FROM training_record t JOIN person p ON p.uuid = t.person "
                                    "JOIN person trainer ON trainer.uuid = t.trainer");
  GPtrArray    *topics = td_policy_get_training (shared_policy);
  guint         n = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const TdTrainingTopic *topic = NULL;

      for (guint i = 0; i < topics->len && topic == NULL; i++)
        if (g_str_equal (((const TdTrainingTopic *) g_ptr_array_index (topics, i))->id,
                         column_text (stmt, 0)))
          topic = g_ptr_array_index (topics, i);

      g_assert_nonnull (topic);
      g_assert_cmpint (topic->tier, ==, sqlite3_column_int (stmt, 2));
      g_assert_cmpint (sqlite3_column_int (stmt, 1), >=, topic->hours * 60 - 15);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), <=, topic->hours * 60 + 15);
      g_assert_cmpstr (column_text (stmt, 4), >, column_text (stmt, 3));
      g_assert_cmpstr (column_text (stmt, 4), <=, "2026-11-20");
      g_assert_true (td_policy_role_may (shared_policy, column_text (stmt, 5), "training.write"));
      {
        GDate day;

        /* Sessions happen on working days. */
        g_assert_true (td_time_parse_date (column_text (stmt, 4), &day));
        g_assert_cmpint (g_date_get_weekday (&day), <=, G_DATE_FRIDAY);
      }
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, TD_DEMO_DATA_N_TRAINING);
  sqlite3_close (db);
}

/* A new user sees the knowledge base alive [3.3, 10.2]: every kind of
 * article, known issues with workarounds, links to the tickets they
 * resolved, a running documentation clock, and a closed review. */
static void
test_knowledge (void)
{
  sqlite3 *db = shared_db ();

  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM article WHERE kind = 'faq'"), >=,
                   5);
  g_assert_cmpint (td_test_query_int (db,
                                      "SELECT count(*) FROM article WHERE kind = 'known_issue' AND "
                                      "status = 'published' AND length (workaround) > 40"),
                   >=, 4);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM article WHERE kind = 'runbook'"),
                   >=, 3);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM article WHERE status = 'draft'"),
                   >=, 1);
  /* Every article has its history; revised ones two versions. */
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM article WHERE uuid NOT IN "
                                          "(SELECT article FROM article_revision)"),
                   ==, 0);
  g_assert_cmpint (td_test_query_int (db, "SELECT max(number) FROM article_revision"), ==, 2);
  /* Links go to resolved tickets, and known issues class them. */
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM article_link"), >=, 10);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM article_link l JOIN ticket t ON "
                                          "t.uuid = l.ticket WHERE t.resolved_at IS NULL"),
                   ==, 0);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket WHERE resolution_class = "
                                          "'known_issue_documented'"),
                   >=, 3);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM ticket WHERE new_issue = 1 AND "
                                          "documented_at IS NULL"),
                   >=, 1);
  /* A closed review: held, a root cause, every action done. */
  g_assert_cmpint (
      td_test_query_int (db, "SELECT count(*) FROM pir WHERE status = 'closed' AND held_at IS NOT "
                             "NULL AND length (root_cause) > 40 AND json_array_length (actions) "
                             "> 0 AND NOT EXISTS (SELECT 1 FROM json_each (pir.actions) WHERE "
                             "json_extract (value, '$.done') = 0)"),
      >=, 1);
  /* Reviews only for SEV-1/2, with the ticket's history as their timeline. */
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM pir p JOIN ticket t ON t.uuid = "
                                          "p.ticket WHERE t.pir_required = 0"),
                   ==, 0);
  g_assert_cmpint (td_test_query_int (db, "SELECT count(*) FROM pir p WHERE json_array_length "
                                          "(p.timeline) != (SELECT count(*) FROM ticket_event e "
                                          "WHERE e.ticket = p.ticket)"),
                   ==, 0);
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TD_POLICY_FILE") == NULL)
    {
      g_test_skip ("TD_POLICY_FILE is not set");
      return g_test_run ();
    }

  tmp_dir = g_dir_make_tmp ("test-demo-data-XXXXXX", &error);
  g_assert_no_error (error);
  shared_policy = load_policy ();

  g_test_add_func ("/server/demo-data/counts", test_counts);
  g_test_add_func ("/server/demo-data/required-fields", test_required_fields);
  g_test_add_func ("/server/demo-data/triage", test_triage);
  g_test_add_func ("/server/demo-data/revisions", test_revisions);
  g_test_add_func ("/server/demo-data/existing-head", test_existing_head);
  g_test_add_func ("/server/demo-data/determinism", test_determinism);
  g_test_add_func ("/server/demo-data/sla-states", test_sla_states);
  g_test_add_func ("/server/demo-data/history", test_history);
  g_test_add_func ("/server/demo-data/people", test_people);
  g_test_add_func ("/server/demo-data/rotations", test_rotations);
  g_test_add_func ("/server/demo-data/training", test_training);
  g_test_add_func ("/server/demo-data/knowledge", test_knowledge);

  status = g_test_run ();

  /* Remove the stores and their WAL files. */
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_clear_object (&shared_policy);
  g_free (shared_path);
  g_free (tmp_dir);
  return status;
}
