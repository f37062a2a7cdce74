/* td-queue-model.c — the ticket queue as a GListModel, filtered and sorted in SQLite
 *
 * Sysprof's pattern for large models (DESIGN.md §7): one SQL statement per
 * filter or sort change walks the cache and hands back the rowids of the
 * matching tickets in order; the list is that array of integers. A TdTicket
 * is made only when get_item() asks for a position, and is remembered (by
 * rowid, without a reference) for as long as someone holds it, so that the
 * same object comes back while a row shows it, and a tick or a sync can
 * update it in place instead of rebinding the row.
 *
 * SLA clocks depend on the policy's calendars, which SQL cannot evaluate, so
 * for the at-risk filter, the SLA sort and the per-state counts the
 * statement also returns the few columns td_sla_compute() needs, and the
 * clocks are worked out in C over those bare columns, never over a GObject
 * per row. Only open tickets have a running clock, which keeps that pass to
 * the part of the queue people watch. A clock's answer is kept per rowid
 * until its row or a threshold changes it (compute_clock), so only the
 * first such query pays for td_sla_compute () over every open ticket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "td-queue-model.h"
#include "td-time.h"

/* One matching ticket while a query runs. */
typedef struct
{
  gint64     rowid;
  gint64     due; /* G_MAXINT64 without a running clock */
  guint      seq; /* position in SQL's order, the tie-break of the SLA sort */
  int        tier;
  TdSlaState state;
} Candidate;

/* A TdTicket alive somewhere; the model holds no reference to it. */
typedef struct
{
  gint64        rowid; /* the key in TdQueueModel.live, so first */
  TdQueueModel *model;
  TdTicket     *ticket;
} Live;

/* The queue clock of one open ticket, kept between queries. */
typedef struct
{
  gint64      rowid; /* the key in TdQueueModel.clocks, so first */
  gint64      created;
  gint64      first_response;
  gint64      last_update;
  gint64      resolved;
  const char *severity;   /* interned */
  const char *issue_type; /* interned */
  int         tier;
  TdSlaState  state;
  gint64      due;
  gint64      computed_at;
  gint64      valid_until;
} Clock;

/* Which query: the list itself, or one that only counts. */
typedef struct
{
  gboolean ignore_tier; /* count_tier: every filter but the tier */
  gboolean open_only;   /* count_tier: open tickets only */
  gboolean with_sla;    /* select and work out the SLA clock */
  gboolean ordered;     /* ORDER BY the sort (the list) */
} QueryFlags;

enum
{
  RANK_SEVERITY,
  RANK_PRIORITY,
  RANK_STATUS,
  N_RANKS
};

/* The columns every query selects, in this order. */
enum
{
  COL_ROWID,
  COL_TIER,
  COL_STATUS,
  COL_SEVERITY,
  COL_ISSUE_TYPE,
  COL_CREATED_AT,
  COL_FIRST_RESPONSE_AT,
  COL_LAST_UPDATE_AT,
  COL_RESOLVED_AT,
};

struct _TdQueueModel
{
  GObject parent_instance;

  TdCache      *cache;
  TdPolicy     *policy;
  sqlite3      *db;
  sqlite3_stmt *row_stmt;
  GHashTable   *ranks[N_RANKS]; /* id → GINT_TO_POINTER (rank), 1 first */

  int                 tier;
  char               *severity;
  TdQueueStatusFilter status_filter;
  char               *status;
  char               *owner;
  gboolean            at_risk_only;
  char               *match; /* the FTS5 query made of the search words */
  TdQueueSort         sort;
  gboolean            descending;
  gint64              now;

  GArray     *rowids; /* gint64, the list */
  GHashTable *live;   /* &Live.rowid → Live */
  GHashTable *clocks; /* &Clock.rowid → Clock, for open tickets once worked out */

  /* Worked out when first asked, dropped when what they count changes. */
  gboolean    have_state_counts;
  guint       state_counts[TD_SLA_MET + 1];
  GHashTable *tier_counts; /* tier → count */
};

static void td_queue_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdQueueModel,
                               td_queue_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      td_queue_model_list_model_init))

/* The workflow's order, for the status sort. Statuses are not in the
 * policy: the server's status changes (td-store.c) name these. */
static const char *const status_order[]
    = { "new", "assigned", "in_progress", "pending", "resolved", "closed", NULL };

/* Helpers */

static gboolean
status_is_open (const char *status)
{
  /* As td_ticket_is_open () and the SQL in append_where () decide it. */
  return status == NULL || !(g_str_equal (status, "resolved") || g_str_equal (status, "closed"));
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

typedef struct
{
  const char *id;
  int         level;
  guint       seen; /* first appearance, so equal levels keep the policy's order */
} RankEntry;

static int
compare_rank_entries (gconstpointer a, gconstpointer b)
{
  const RankEntry *x = a;
  const RankEntry *y = b;

  if (x->level != y->level)
    return x->level < y->level ? -1 : 1;
  return x->seen < y->seen ? -1 : x->seen > y->seen;
}

static GHashTable *
ranks_from_entries (GArray *entries)
{
  GHashTable *ranks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_array_sort (entries, compare_rank_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      const RankEntry *entry = &g_array_index (entries, RankEntry, i);
      g_hash_table_insert (ranks, g_strdup (entry->id), GINT_TO_POINTER (i + 1));
    }
  return ranks;
}

/* Severities rank by their level (SEV-1 first). Priorities are free labels
 * in the policy, tied to severities only by the triage matrix: a priority
 * ranks with the most severe severity the matrix gives alongside it, so P1
 * (with SEV-1) comes before P2 (with SEV-2) in any policy that reads so. */
static void
build_ranks (TdQueueModel *self)
{
  GPtrArray *severities = td_policy_get_severities (self->policy);
  GPtrArray *rules = td_policy_get_triage_rules (self->policy);
  g_autoptr (GArray) severity_entries = g_array_new (FALSE, FALSE, sizeof (RankEntry));
  g_autoptr (GArray) priority_entries = g_array_new (FALSE, FALSE, sizeof (RankEntry));

  for (guint i = 0; severities != NULL && i < severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (severities, i);
      RankEntry         entry = { severity->id, severity->level, i };

      g_array_append_val (severity_entries, entry);
    }

  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      const TdTriageRule *rule = g_ptr_array_index (rules, i);
      const TdSeverity   *severity = td_policy_get_severity (self->policy, rule->severity);
      int                 level = severity != NULL ? severity->level : G_MAXINT;
      RankEntry           entry = { rule->priority, level, i };
      guint               j;

      for (j = 0; j < priority_entries->len; j++)
        {
          RankEntry *known = &g_array_index (priority_entries, RankEntry, j);

          if (g_str_equal (known->id, rule->priority))
            {
              known->level = MIN (known->level, level);
              break;
            }
        }
      if (j == priority_entries->len)
        g_array_append_val (priority_entries, entry);
    }

  self->ranks[RANK_SEVERITY] = ranks_from_entries (severity_entries);
  self->ranks[RANK_PRIORITY] = ranks_from_entries (priority_entries);
  self->ranks[RANK_STATUS] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; status_order[i] != NULL; i++)
    g_hash_table_insert (self->ranks[RANK_STATUS], g_strdup (status_order[i]),
                         GINT_TO_POINTER (i + 1));
}

/* td_queue_rank (kind, value): the value's place in the policy's order, or
 * NULL for a value the policy does not know (sorted last). A function
 * rather than a CASE built from the policy, so no policy text ever becomes
 * SQL. */
static void
rank_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  TdQueueModel *self = sqlite3_user_data (context);
  int           kind = sqlite3_value_int (argv[0]);
  const char   *value = (const char *) sqlite3_value_text (argv[1]);
  gpointer      rank;

  if (kind < 0 || kind >= N_RANKS || value == NULL
      || !g_hash_table_lookup_extended (self->ranks[kind], value, NULL, &rank))
    {
      sqlite3_result_null (context);
      return;
    }
  sqlite3_result_int (context, GPOINTER_TO_INT (rank));
}

/* Each word of what the user typed becomes a quoted FTS5 string with a
 * prefix star ("pay"* matches "payroll"), so nothing typed is read as FTS5
 * syntax (AND, NEAR, column filters, a stray quote). Words without a letter
 * or digit are dropped: the tokenizer would make them an empty phrase. */
static char *
build_match (const char *text)
{
  g_autofree char *valid = NULL;
  g_auto (GStrv) words = NULL;
  g_autoptr (GString) match = g_string_new (NULL);

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  words = g_strsplit_set (valid, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean has_token = FALSE;

      for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
        has_token |= g_unichar_isalnum (g_utf8_get_char (p));
      if (!has_token)
        continue;

      if (match->len > 0)
        g_string_append_c (match, ' ');
      g_string_append_c (match, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append (match, "\"*");
    }

  return match->len > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

static void
append_where (TdQueueModel *self, GString *sql, const QueryFlags *flags)
{
  g_string_append (sql, " WHERE t.deleted = 0");
  if (self->tier != 0 && !flags->ignore_tier)
    g_string_append (sql, " AND t.tier = :tier");
  if (self->severity != NULL)
    g_string_append (sql, " AND t.severity = :severity");
  if (self->status_filter == TD_QUEUE_STATUS_OPEN || flags->open_only || self->at_risk_only)
    g_string_append (sql, " AND t.status NOT IN ('resolved', 'closed')");
  if (self->status_filter == TD_QUEUE_STATUS_ONE && self->status != NULL)
    g_string_append (sql, " AND t.status = :status");
  if (self->owner != NULL)
    g_string_append (sql, " AND t.owner = :owner");
  if (self->match != NULL)
    g_string_append (
        sql, " AND t.rowid IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH :match)");
}

/* Every order ends with created_at then uuid, ascending whatever the
 * direction, so equal keys always come out the same way (see the header). */
static void
append_order (TdQueueModel *self, GString *sql)
{
  const char *dir = self->descending ? "DESC" : "ASC";

  g_string_append (sql, " ORDER BY ");
  switch (self->sort)
    {
      case TD_QUEUE_SORT_CREATED:
        g_string_append_printf (sql, "t.created_at %s, t.uuid", dir);
        return;
      case TD_QUEUE_SORT_TITLE:
        g_string_append_printf (sql, "t.title COLLATE NOCASE %s, ", dir);
        break;
      case TD_QUEUE_SORT_TIER:
        g_string_append_printf (sql, "t.tier %s, ", dir);
        break;
      case TD_QUEUE_SORT_SEVERITY:
        g_string_append_printf (sql,
                                "td_queue_rank (%d, t.severity) %s NULLS LAST, "
                                "t.severity %s NULLS LAST, ",
                                RANK_SEVERITY, dir, dir);
        break;
      case TD_QUEUE_SORT_PRIORITY:
        g_string_append_printf (sql,
                                "td_queue_rank (%d, t.priority) %s NULLS LAST, "
                                "t.priority %s NULLS LAST, ",
                                RANK_PRIORITY, dir, dir);
        break;
      case TD_QUEUE_SORT_STATUS:
        g_string_append_printf (sql,
                                "td_queue_rank (%d, t.status) %s NULLS LAST, "
                                "t.status %s NULLS LAST, ",
                                RANK_STATUS, dir, dir);
        break;
      case TD_QUEUE_SORT_OWNER:
        g_string_append_printf (
            sql,
            "COALESCE (NULLIF (p.name, ''), t.owner) COLLATE NOCASE %s NULLS LAST, "
            "t.owner %s NULLS LAST, ",
            dir, dir);
        break;
      case TD_QUEUE_SORT_SLA:
      default:
        /* Sorted by due instant in C (sort_by_due); SQL gives the tie-break. */
        break;
    }
  g_string_append (sql, "t.created_at, t.uuid");
}

static sqlite3_stmt *
prepare_query (TdQueueModel *self, const QueryFlags *flags)
{
  g_autoptr (GString) sql = g_string_new ("SELECT t.rowid, t.tier");
  sqlite3_stmt *stmt = NULL;
  int           index;

  if (flags->with_sla)
    g_string_append (sql, ", t.status, t.severity, t.issue_type, t.created_at, "
                          "t.first_response_at, t.last_update_at, t.resolved_at");
  g_string_append (sql, " FROM ticket AS t");
  if (flags->ordered && self->sort == TD_QUEUE_SORT_OWNER)
    g_string_append (sql, " LEFT JOIN person AS p ON p.uuid = t.owner AND p.deleted = 0");
  append_where (self, sql, flags);
  if (flags->ordered)
    append_order (self, sql);

  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("%s: the queue query does not compile (%s): %s", td_cache_get_path (self->cache),
                 sqlite3_errmsg (self->db), sql->str);
      sqlite3_finalize (stmt);
      return NULL;
    }

  /* A parameter the WHERE clause leaves out has index 0, which binds nothing. */
  if ((index = sqlite3_bind_parameter_index (stmt, ":tier")) > 0)
    sqlite3_bind_int (stmt, index, self->tier);
  if ((index = sqlite3_bind_parameter_index (stmt, ":severity")) > 0)
    sqlite3_bind_text (stmt, index, self->severity, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":status")) > 0)
    sqlite3_bind_text (stmt, index, self->status, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":owner")) > 0)
    sqlite3_bind_text (stmt, index, self->owner, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":match")) > 0)
    sqlite3_bind_text (stmt, index, self->match, -1, SQLITE_STATIC);
  return stmt;
}

/* Keeps the clock worked out at @now in @clock, and until when it holds:
 * a state changes only when a clock reaches its at-risk or its due instant
 * (TdSlaClock), so up to the next of those after @now it stays as it is. */
static void
store_clock (Clock *clock, const TdSlaResult *result, gint64 now)
{
  const TdSlaClock *clocks[] = { &result->response, &result->resolution };

  clock->state = TD_SLA_NO_CLOCK;
  clock->due = G_MAXINT64;
  clock->computed_at = now;
  clock->valid_until = G_MAXINT64;

  for (guint i = 0; i < G_N_ELEMENTS (clocks); i++)
    {
      const TdSlaClock *sla = clocks[i];

      if (!sla->has_clock)
        continue;
      if (sla->at_risk_at > now)
        clock->valid_until = MIN (clock->valid_until, sla->at_risk_at);
      if (sla->due > now)
        clock->valid_until = MIN (clock->valid_until, sla->due);

      /* The queue's clock: the earliest due of those still running, as
       * td_ticket_refresh_sla () picks it. */
      if (sla->state == TD_SLA_MET || sla->state == TD_SLA_NO_CLOCK)
        continue;
      if (sla->due < clock->due)
        {
          clock->due = sla->due;
          clock->state = sla->state;
        }
    }
}

static gboolean
clock_holds (const Clock *clock, const TdSlaTicket *input, gint64 now)
{
  return clock->tier == input->tier && clock->severity == input->severity
         && clock->issue_type == input->issue_type && clock->created == input->created
         && clock->first_response == input->first_response
         && clock->last_update == input->last_update && clock->resolved == input->resolved
         && now >= clock->computed_at && now < clock->valid_until;
}

/* The clock the queue shows for the row under @stmt. td_sla_compute ()
 * walks the business calendar from creation to now, which for a whole
 * queue of open tickets is far too slow to repeat on every keystroke; its
 * answer is kept per rowid with the inputs it came from, and worked out
 * again only when they change or a threshold passes. */
static void
compute_clock (TdQueueModel *self, sqlite3_stmt *stmt, Candidate *candidate)
{
  TdSlaTicket input = { 0 };
  TdSlaResult result;
  Clock      *clock;

  g_assert (TD_IS_QUEUE_MODEL (self));

  candidate->state = TD_SLA_NO_CLOCK;
  candidate->due = G_MAXINT64;
  if (!status_is_open (column_text (stmt, COL_STATUS)))
    return;

  /* Interned: a handful of ids, compared by pointer below. */
  input.tier = sqlite3_column_int (stmt, COL_TIER);
  input.severity = g_intern_string (column_text (stmt, COL_SEVERITY));
  input.issue_type = g_intern_string (column_text (stmt, COL_ISSUE_TYPE));
  input.created = sqlite3_column_int64 (stmt, COL_CREATED_AT);
  input.first_response = sqlite3_column_int64 (stmt, COL_FIRST_RESPONSE_AT);
  input.last_update = sqlite3_column_int64 (stmt, COL_LAST_UPDATE_AT);
  input.resolved = sqlite3_column_int64 (stmt, COL_RESOLVED_AT);

  clock = g_hash_table_lookup (self->clocks, &candidate->rowid);
  if (clock == NULL)
    {
      clock = g_new (Clock, 1);
      clock->rowid = candidate->rowid;
      g_hash_table_insert (self->clocks, &clock->rowid, clock);
    }
  else if (clock_holds (clock, &input, self->now))
    {
      candidate->state = clock->state;
      candidate->due = clock->due;
      return;
    }

  clock->tier = input.tier;
  clock->severity = input.severity;
  clock->issue_type = input.issue_type;
  clock->created = input.created;
  clock->first_response = input.first_response;
  clock->last_update = input.last_update;
  clock->resolved = input.resolved;
  if (td_sla_compute (self->policy, &input, self->now, &result, NULL))
    store_clock (clock, &result, self->now);
  else
    {
      /* A ticket the policy cannot place (an unknown severity) has no
       * clock whatever the time. */
      clock->state = TD_SLA_NO_CLOCK;
      clock->due = G_MAXINT64;
      clock->computed_at = G_MININT64;
      clock->valid_until = G_MAXINT64;
    }
  candidate->state = clock->state;
  candidate->due = clock->due;
}

static int
compare_due (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Candidate *x = a;
  const Candidate *y = b;
  gboolean         descending = GPOINTER_TO_INT (user_data);

  if (x->due != y->due)
    {
      /* No clock stays last in both directions: it is never urgent. */
      if (x->due == G_MAXINT64)
        return 1;
      if (y->due == G_MAXINT64)
        return -1;
      return (x->due < y->due) == !descending ? -1 : 1;
    }
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Runs one query and returns its rows as Candidates, after the at-risk
 * filter and the SLA sort when they apply. */
static GArray *
run_query (TdQueueModel *self, const QueryFlags *flags)
{
  GArray       *candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  sqlite3_stmt *stmt;
  gboolean      with_sla = flags->with_sla || self->at_risk_only;
  QueryFlags    query = *flags;
  int           rc;

  if (self->db == NULL)
    return candidates;

  query.with_sla = with_sla;
  stmt = prepare_query (self, &query);
  if (stmt == NULL)
    return candidates;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Candidate candidate = { 0 };

      candidate.rowid = sqlite3_column_int64 (stmt, COL_ROWID);
      candidate.tier = sqlite3_column_int (stmt, COL_TIER);
      candidate.seq = candidates->len;
      candidate.state = TD_SLA_NO_CLOCK;
      candidate.due = G_MAXINT64;
      if (with_sla)
        compute_clock (self, stmt, &candidate);
      if (self->at_risk_only && candidate.state != TD_SLA_AT_RISK
          && candidate.state != TD_SLA_BREACHED)
        continue;
      g_array_append_val (candidates, candidate);
    }
  if (rc != SQLITE_DONE)
    g_warning ("%s: the queue query failed: %s", td_cache_get_path (self->cache),
               sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);

  if (flags->ordered && self->sort == TD_QUEUE_SORT_SLA)
    g_array_sort_with_data (candidates, compare_due, GINT_TO_POINTER (self->descending));
  return candidates;
}

static void
count_states (TdQueueModel *self, GArray *candidates)
{
  memset (self->state_counts, 0, sizeof self->state_counts);
  for (guint i = 0; i < candidates->len; i++)
    self->state_counts[g_array_index (candidates, Candidate, i).state]++;
  self->have_state_counts = TRUE;
}

static void
invalidate_counts (TdQueueModel *self, gboolean tiers)
{
  self->have_state_counts = FALSE;
  if (tiers)
    g_clear_pointer (&self->tier_counts, g_hash_table_unref);
}

/* Announces the change from @old to the current list as one items-changed
 * covering only what differs between the common head and tail, so a ticket
 * that leaves the list is one removal and the rows around it stay bound. */
static void
emit_difference (TdQueueModel *self, GArray *old)
{
  const gint64 *before = (const gint64 *) (gpointer) old->data;
  const gint64 *after = (const gint64 *) (gpointer) self->rowids->data;
  guint         n_before = old->len;
  guint         n_after = self->rowids->len;
  guint         head = 0;
  guint         tail = 0;

  while (head < n_before && head < n_after && before[head] == after[head])
    head++;
  if (head == n_before && head == n_after)
    return;
  while (tail < n_before - head && tail < n_after - head
         && before[n_before - 1 - tail] == after[n_after - 1 - tail])
    tail++;

  g_list_model_items_changed (G_LIST_MODEL (self), head, n_before - head - tail,
                              n_after - head - tail);
}

/* Runs the list's query again and tells the view what moved. The counts
 * are the caller's to drop (invalidate_counts): a new order moves none. */
static void
requery (TdQueueModel *self)
{
  QueryFlags query = { FALSE, FALSE, FALSE, TRUE };
  g_autoptr (GArray) old = g_steal_pointer (&self->rowids);
  g_autoptr (GArray) candidates = NULL;

  query.with_sla = self->sort == TD_QUEUE_SORT_SLA;
  candidates = run_query (self, &query);

  self->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), candidates->len);
  for (guint i = 0; i < candidates->len; i++)
    g_array_append_val (self->rowids, g_array_index (candidates, Candidate, i).rowid);

  /* The clocks are worked out anyway; counting them is free. Otherwise
   * the callers dropped the counts their change may move. */
  if (query.with_sla || self->at_risk_only)
    count_states (self, candidates);

  emit_difference (self, old);
}

/* The ticket at @rowid as a cache row, or NULL once it is gone or deleted. */
static JsonObject *
fetch_row (TdQueueModel *self, gint64 rowid)
{
  sqlite3_stmt *stmt = self->row_stmt;
  JsonObject   *row = NULL;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, rowid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = td_cache_row_from_statement (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (row != NULL && json_object_get_int_member_with_default (row, "deleted", 0) != 0)
    g_clear_pointer (&row, json_object_unref);
  return row;
}

static void
live_gone (gpointer data, GObject *where_the_object_was)
{
  Live *live = data;

  g_hash_table_remove (live->model->live, &live->rowid);
}

/* Stops following a ticket: its row left the cache, or its rowid now
 * belongs to another ticket. The object lives on for whoever holds it. */
static void
forget_live (TdQueueModel *self, Live *live)
{
  g_object_weak_unref (G_OBJECT (live->ticket), live_gone, live);
  g_hash_table_remove (self->live, &live->rowid);
}

/* The tickets alive, each with a reference: a notify handler run by an
 * update may drop the last one held elsewhere, which must not free an
 * entry of self->live while this walks them. */
static GPtrArray *
ref_live (TdQueueModel *self)
{
  GPtrArray     *tickets = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Live          *live;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &live))
    g_ptr_array_add (tickets, g_object_ref (live->ticket));
  return tickets;
}

static Live *
find_live (TdQueueModel *self, TdTicket *ticket)
{
  GHashTableIter iter;
  Live          *live;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &live))
    if (live->ticket == ticket)
      return live;
  return NULL;
}

/* Reads the tickets alive again from the cache (those in @uuids, or all of
 * them when it is NULL) and updates them in place. */
static void
refresh_live (TdQueueModel *self, GHashTable *uuids)
{
  g_autoptr (GPtrArray) tickets = ref_live (self);

  for (guint i = 0; i < tickets->len; i++)
    {
      TdTicket   *ticket = g_ptr_array_index (tickets, i);
      const char *uuid = td_ticket_get_uuid (ticket);
      g_autoptr (JsonObject) row = NULL;
      Live *live;

      if (uuids != NULL && (uuid == NULL || !g_hash_table_contains (uuids, uuid)))
        continue;
      live = find_live (self, ticket);
      if (live == NULL)
        continue;

      row = fetch_row (self, live->rowid);
      if (row == NULL
          || g_strcmp0 (json_object_get_string_member_with_default (row, "uuid", NULL), uuid) != 0)
        {
          forget_live (self, live);
          continue;
        }
      td_ticket_update (ticket, row);
      td_ticket_refresh_sla (ticket, self->policy, self->now);
    }
}

static gboolean
open_database (TdQueueModel *self)
{
  const char *path = td_cache_get_path (self->cache);

  /* Its own connection: the cache's one is shared with the sync thread
   * behind a lock, and in WAL mode a reader never waits for a writer. */
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_warning ("%s: cannot open the cache to read the queue: %s", path,
                 self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return FALSE;
    }
  /* Short: the UI thread waits, and a reader is blocked only by a
   * checkpoint or WAL recovery. */
  sqlite3_busy_timeout (self->db, 2000);

  if (sqlite3_create_function_v2 (self->db, "td_queue_rank", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, self,
                                  rank_function, NULL, NULL, NULL)
          != SQLITE_OK
      || sqlite3_prepare_v2 (self->db, "SELECT * FROM ticket WHERE rowid = ?1", -1, &self->row_stmt,
                             NULL)
             != SQLITE_OK)
    {
      g_warning ("%s: cannot read tickets: %s", path, sqlite3_errmsg (self->db));
      g_clear_pointer (&self->row_stmt, sqlite3_finalize);
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return FALSE;
    }
  return TRUE;
}

static void
set_clock (TdQueueModel *self, gint64 now)
{
  g_autoptr (GPtrArray) tickets = NULL;

  self->now = now;
  tickets = ref_live (self);
  for (guint i = 0; i < tickets->len; i++)
    td_ticket_refresh_sla (g_ptr_array_index (tickets, i), self->policy, now);

  /* States move with the clock, and with them the at-risk tier counts. */
  invalidate_counts (self, self->at_risk_only);
  if (self->at_risk_only || self->sort == TD_QUEUE_SORT_SLA)
    requery (self);
}

/* GListModel */

static GType
td_queue_model_get_item_type (GListModel *model)
{
  return TD_TYPE_TICKET;
}

static guint
td_queue_model_get_n_items (GListModel *model)
{
  return TD_QUEUE_MODEL (model)->rowids->len;
}

static gpointer
td_queue_model_get_item (GListModel *model, guint position)
{
  TdQueueModel *self = TD_QUEUE_MODEL (model);
  g_autoptr (JsonObject) row = NULL;
  TdTicket *ticket;
  Live     *live;
  gint64    rowid;

  if (position >= self->rowids->len)
    return NULL;

  rowid = g_array_index (self->rowids, gint64, position);
  live = g_hash_table_lookup (self->live, &rowid);
  if (live != NULL)
    return g_object_ref (live->ticket);

  row = fetch_row (self, rowid);
  if (row == NULL)
    {
      /* Deleted since the query ran; tickets_changed () will take it out.
       * GListModel has no "no item" for a valid position, so until then it
       * is an empty ticket, not followed. */
      g_autoptr (JsonObject) empty = json_object_new ();
      return td_ticket_new (empty);
    }

  ticket = td_ticket_new (row);
  td_ticket_refresh_sla (ticket, self->policy, self->now);

  live = g_new0 (Live, 1);
  live->rowid = rowid;
  live->model = self;
  live->ticket = ticket;
  g_object_weak_ref (G_OBJECT (ticket), live_gone, live);
  g_hash_table_insert (self->live, &live->rowid, live);
  return ticket;
}

static void
td_queue_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = td_queue_model_get_item_type;
  iface->get_n_items = td_queue_model_get_n_items;
  iface->get_item = td_queue_model_get_item;
}

/* Overrides */

static void
td_queue_model_dispose (GObject *object)
{
  TdQueueModel  *self = TD_QUEUE_MODEL (object);
  GHashTableIter iter;
  Live          *live;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &live))
    {
      g_object_weak_unref (G_OBJECT (live->ticket), live_gone, live);
      g_hash_table_iter_remove (&iter);
    }

  g_clear_pointer (&self->row_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_object (&self->cache);
  g_clear_object (&self->policy);

  G_OBJECT_CLASS (td_queue_model_parent_class)->dispose (object);
}

static void
td_queue_model_finalize (GObject *object)
{
  TdQueueModel *self = TD_QUEUE_MODEL (object);

  for (guint i = 0; i < N_RANKS; i++)
    g_clear_pointer (&self->ranks[i], g_hash_table_unref);
  g_clear_pointer (&self->severity, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->owner, g_free);
  g_clear_pointer (&self->match, g_free);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->clocks, g_hash_table_unref);
  g_clear_pointer (&self->tier_counts, g_hash_table_unref);

  G_OBJECT_CLASS (td_queue_model_parent_class)->finalize (object);
}

/* Class and instance init */

static void
td_queue_model_class_init (TdQueueModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = td_queue_model_dispose;
  object_class->finalize = td_queue_model_finalize;
}

static void
td_queue_model_init (TdQueueModel *self)
{
  self->status_filter = TD_QUEUE_STATUS_OPEN;
  self->sort = TD_QUEUE_SORT_CREATED;
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->clocks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

/* Public API */

TdQueueModel *
td_queue_model_new (TdCache *cache, TdPolicy *policy)
{
  TdQueueModel *self;

  g_return_val_if_fail (TD_IS_CACHE (cache), NULL);
  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);

  self = g_object_new (TD_TYPE_QUEUE_MODEL, NULL);
  self->cache = g_object_ref (cache);
  self->policy = g_object_ref (policy);
  self->now = td_time_now ();
  build_ranks (self);
  /* A cache that cannot be read gives an empty queue, with a warning
   * naming the file, rather than no model for the window to show. */
  if (open_database (self))
    requery (self);
  return self;
}

void
td_queue_model_set_tier (TdQueueModel *self, int tier)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));
  g_return_if_fail (tier >= 0);

  if (self->tier == tier)
    return;
  self->tier = tier;
  /* The tier counts ignore the tier filter, so they stand. */
  invalidate_counts (self, FALSE);
  requery (self);
}

/* Replaces *@field with a copy of @value, "" counting as NULL; TRUE if
 * that changed it. */
static gboolean
set_filter_text (char **field, const char *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
td_queue_model_set_severity (TdQueueModel *self, const char *severity)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  if (!set_filter_text (&self->severity, severity))
    return;
  invalidate_counts (self, TRUE);
  requery (self);
}

void
td_queue_model_set_status (TdQueueModel *self, TdQueueStatusFilter filter, const char *status)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));
  g_return_if_fail (filter <= TD_QUEUE_STATUS_ONE);

  /* The status matters only for TD_QUEUE_STATUS_ONE; forgetting it
   * otherwise keeps "no change" recognisable. */
  if (filter != TD_QUEUE_STATUS_ONE)
    status = NULL;
  if (self->status_filter == filter && g_strcmp0 (self->status, status) == 0)
    return;
  self->status_filter = filter;
  set_filter_text (&self->status, status);
  invalidate_counts (self, TRUE);
  requery (self);
}

void
td_queue_model_set_owner (TdQueueModel *self, const char *owner)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  if (!set_filter_text (&self->owner, owner))
    return;
  invalidate_counts (self, TRUE);
  requery (self);
}

void
td_queue_model_set_at_risk_only (TdQueueModel *self, gboolean at_risk_or_breached)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  at_risk_or_breached = !!at_risk_or_breached;
  if (self->at_risk_only == at_risk_or_breached)
    return;
  self->at_risk_only = at_risk_or_breached;
  invalidate_counts (self, TRUE);
  requery (self);
}

void
td_queue_model_set_search (TdQueueModel *self, const char *text)
{
  g_autofree char *match = NULL;

  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  /* Compared as FTS5 queries, so typing a space runs nothing again. */
  match = build_match (text);
  if (g_strcmp0 (self->match, match) == 0)
    return;
  g_free (self->match);
  self->match = g_steal_pointer (&match);
  invalidate_counts (self, TRUE);
  requery (self);
}

void
td_queue_model_set_sort (TdQueueModel *self, TdQueueSort sort, gboolean descending)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));
  g_return_if_fail (sort <= TD_QUEUE_SORT_SLA);

  descending = !!descending;
  if (self->sort == sort && self->descending == descending)
    return;
  self->sort = sort;
  self->descending = descending;
  /* Counts do not depend on the order: they stand. */
  requery (self);
}

void
td_queue_model_set_now (TdQueueModel *self, gint64 now)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  if (self->now == now)
    return;
  set_clock (self, now);
}

void
td_queue_model_tick (TdQueueModel *self, gint64 now)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  set_clock (self, now);
}

void
td_queue_model_tickets_changed (TdQueueModel *self, const char *const *uuids)
{
  g_autoptr (GHashTable) changed = NULL;

  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  if (uuids == NULL || uuids[0] == NULL)
    return;

  changed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; uuids[i] != NULL; i++)
    g_hash_table_add (changed, (gpointer) uuids[i]);
  refresh_live (self, changed);

  /* Whether a changed ticket enters, leaves or moves depends on every
   * filter, the sort and its SLA clock; asking SQLite again is the one
   * answer that is always right, and emit_difference () stays silent when
   * the order came out the same. */
  invalidate_counts (self, TRUE);
  requery (self);
}

void
td_queue_model_reload (TdQueueModel *self)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  /* A resync writes every row again, possibly under new rowids: follow
   * only the tickets still found where they were. The kept clocks would
   * still be right (each is checked against its row), but those of rows
   * gone would stay for good. */
  refresh_live (self, NULL);
  g_hash_table_remove_all (self->clocks);
  invalidate_counts (self, TRUE);
  requery (self);
}

guint
td_queue_model_count_tier (TdQueueModel *self, int tier)
{
  g_return_val_if_fail (TD_IS_QUEUE_MODEL (self), 0);

  if (self->tier_counts == NULL)
    {
      QueryFlags query = { TRUE, TRUE, FALSE, FALSE };
      g_autoptr (GArray) candidates = run_query (self, &query);

      /* Every tier at once: a tier bar asks for each in turn. */
      self->tier_counts = g_hash_table_new (g_direct_hash, g_direct_equal);
      for (guint i = 0; i < candidates->len; i++)
        {
          gpointer key = GINT_TO_POINTER (g_array_index (candidates, Candidate, i).tier);
          guint    count = GPOINTER_TO_UINT (g_hash_table_lookup (self->tier_counts, key));

          g_hash_table_insert (self->tier_counts, key, GUINT_TO_POINTER (count + 1));
        }
    }
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->tier_counts, GINT_TO_POINTER (tier)));
}

guint
td_queue_model_count_sla_state (TdQueueModel *self, TdSlaState state)
{
  g_return_val_if_fail (TD_IS_QUEUE_MODEL (self), 0);
  g_return_val_if_fail (state <= TD_SLA_MET, 0);

  if (!self->have_state_counts)
    {
      QueryFlags query = { FALSE, FALSE, TRUE, FALSE };
      g_autoptr (GArray) candidates = run_query (self, &query);

      count_states (self, candidates);
    }
  return self->state_counts[state];
}

guint
td_queue_model_find (TdQueueModel *self, const char *uuid)
{
  sqlite3_stmt *stmt = NULL;
  gint64        rowid = 0;
  gboolean      found = FALSE;

  g_return_val_if_fail (TD_IS_QUEUE_MODEL (self), G_MAXUINT);
  g_return_val_if_fail (uuid != NULL, G_MAXUINT);

  if (self->db == NULL
      || sqlite3_prepare_v2 (self->db, "SELECT rowid FROM ticket WHERE uuid = ?1", -1, &stmt, NULL)
             != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return G_MAXUINT;
    }
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      rowid = sqlite3_column_int64 (stmt, 0);
      found = TRUE;
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; found && i < self->rowids->len; i++)
    if (g_array_index (self->rowids, gint64, i) == rowid)
      return i;
  return G_MAXUINT;
}
