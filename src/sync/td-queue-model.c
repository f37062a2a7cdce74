/* td-queue-model.c — the ticket queue as a GListModel, filtered and sorted over an index of its own
 *
 * DESIGN.md §8: at 200,000 tickets neither a GtkSortListModel over GObjects
 * nor a SQL statement per keystroke is fast enough (SQLite needs 100-500 ms
 * to walk and sort the whole table each time). So the model keeps, for
 * every ticket in the cache, the few columns the queue filters and sorts
 * by — integers, and strings as small word ids — about a hundred bytes a
 * ticket, read with one statement when the model is made.
 *
 * - Each sort is one permutation of that index, built when first asked
 *   (a qsort over integer keys) and kept until a ticket changes. Every
 *   filter is then one pass down the permutation: no sorting per keystroke.
 * - Search asks FTS5 for the matching rowids (a few ms even for a short
 *   prefix, thanks to the prefix indexes) and marks them in a bitmap.
 * - The title sort's keys come from SQLite (its NOCASE order) when first
 *   needed; the owner sort ranks the few distinct owners by person name.
 * - SLA clocks depend on the policy's calendars, which SQL cannot evaluate:
 *   a ticket's clock is worked out (td_sla_queue_clock) when the at-risk
 *   filter, the SLA sort or the counts first need it, and kept until its
 *   row changes or the clock passes a threshold.
 *
 * The list itself is the array of matching rowids. A TdTicket is made only
 * when get_item() asks for a position, and is remembered (by rowid, without
 * a reference) for as long as someone holds it, so that the same object
 * comes back while a row shows it, and a tick or a sync can update it in
 * place instead of rebinding the row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "td-queue-model.h"
#include "td-time.h"

/* One ticket of the cache, as the queue filters and sorts it. Word ids
 * index TdQueueModel.words; 0 stands for NULL. */
typedef struct
{
  gint64      rowid;
  const char *uuid; /* in TdQueueModel.uuids */
  gint64      created;
  gint64      first_response;
  gint64      last_update;
  gint64      resolved;
  guint32     base;  /* place in (created_at, uuid) order: every sort's tie-break */
  guint32     title; /* place in title NOCASE order, equal titles equal */
  guint       title_hash;
  int         tier; /* 0 without one */
  guint32     severity;
  guint32     priority;
  guint32     status;
  guint32     issue_type;
  guint32     owner;
  gboolean    open;
  /* The queue clock, once worked out (clock_known), valid from clock_at
   * until clock_until. */
  gboolean   clock_known;
  TdSlaState state;
  gint64     due;
  gint64     clock_at;
  gint64     clock_until;
} Row;

/* A TdTicket alive somewhere; the model holds no reference to it. */
typedef struct
{
  gint64        rowid; /* the key in TdQueueModel.live, so first */
  TdQueueModel *model;
  TdTicket     *ticket;
} Live;

/* What a pass over the index keeps. */
typedef struct
{
  gboolean ignore_tier; /* the tier counts: every filter but the tier */
  gboolean open_only;   /* the tier counts: open tickets only */
} Pass;

enum
{
  RANK_SEVERITY,
  RANK_PRIORITY,
  RANK_STATUS,
  N_RANKS
};

/* A word id that no row has: a filter on an unknown value matches none. */
#define NO_WORD G_MAXUINT32

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

  /* The index: every ticket not deleted, in rowid order. */
  GArray       *rows; /* Row */
  GStringChunk *uuids;
  GPtrArray    *words;    /* word id → interned string; [0] is NULL */
  GHashTable   *word_ids; /* string → GUINT_TO_POINTER (id) */
  gboolean      have_base;
  gboolean      have_titles;
  /* The rows in the order of (order_sort, order_descending), as indexes. */
  GArray     *order; /* guint32, NULL until built */
  TdQueueSort order_sort;
  gboolean    order_descending;
  /* Bit per rowid: matches the search. NULL without a search. */
  guint8 *match_bits;
  gint64  match_bits_len;

  GArray     *rowids; /* gint64, the list */
  GHashTable *live;   /* &Live.rowid → Live */

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

/* The index */

/* The columns read into a Row, in this order. */
#define INDEX_COLUMNS                                                              \
  "rowid, uuid, tier, status, severity, priority, issue_type, owner, created_at, " \
  "first_response_at, last_update_at, resolved_at, title"

enum
{
  COL_ROWID,
  COL_UUID,
  COL_TIER,
  COL_STATUS,
  COL_SEVERITY,
  COL_PRIORITY,
  COL_ISSUE_TYPE,
  COL_OWNER,
  COL_CREATED_AT,
  COL_FIRST_RESPONSE_AT,
  COL_LAST_UPDATE_AT,
  COL_RESOLVED_AT,
  COL_TITLE,
};

/* The id of @text, made on first sight; 0 for NULL. Words are interned so
 * that td_sla_queue_clock () gets the same pointer every time. */
static guint32
word_id (TdQueueModel *self, const char *text)
{
  gpointer id;

  if (text == NULL)
    return 0;
  if (g_hash_table_lookup_extended (self->word_ids, text, NULL, &id))
    return GPOINTER_TO_UINT (id);

  text = g_intern_string (text);
  g_ptr_array_add (self->words, (gpointer) text);
  g_hash_table_insert (self->word_ids, (gpointer) text, GUINT_TO_POINTER (self->words->len - 1));
  return self->words->len - 1;
}

/* The id of @text if some row has it, else NO_WORD. */
static guint32
find_word (TdQueueModel *self, const char *text)
{
  gpointer id;

  if (text != NULL && g_hash_table_lookup_extended (self->word_ids, text, NULL, &id))
    return GPOINTER_TO_UINT (id);
  return NO_WORD;
}

static const char *
word (TdQueueModel *self, guint32 id)
{
  return g_ptr_array_index (self->words, id);
}

static void
read_row (TdQueueModel *self, sqlite3_stmt *stmt, Row *row)
{
  const char *title = column_text (stmt, COL_TITLE);

  memset (row, 0, sizeof *row);
  row->rowid = sqlite3_column_int64 (stmt, COL_ROWID);
  row->uuid = g_string_chunk_insert (self->uuids, column_text (stmt, COL_UUID) ?: "");
  row->tier = sqlite3_column_int (stmt, COL_TIER);
  row->status = word_id (self, column_text (stmt, COL_STATUS));
  row->severity = word_id (self, column_text (stmt, COL_SEVERITY));
  row->priority = word_id (self, column_text (stmt, COL_PRIORITY));
  row->issue_type = word_id (self, column_text (stmt, COL_ISSUE_TYPE));
  row->owner = word_id (self, column_text (stmt, COL_OWNER));
  row->created = sqlite3_column_int64 (stmt, COL_CREATED_AT);
  row->first_response = sqlite3_column_int64 (stmt, COL_FIRST_RESPONSE_AT);
  row->last_update = sqlite3_column_int64 (stmt, COL_LAST_UPDATE_AT);
  row->resolved = sqlite3_column_int64 (stmt, COL_RESOLVED_AT);
  row->title_hash = title != NULL ? g_str_hash (title) : 0;
  row->open = status_is_open (word (self, row->status));
}

static void
forget_order (TdQueueModel *self)
{
  g_clear_pointer (&self->order, g_array_unref);
}

static void
invalidate_counts (TdQueueModel *self, gboolean tiers)
{
  self->have_state_counts = FALSE;
  if (tiers)
    g_clear_pointer (&self->tier_counts, g_hash_table_unref);
}

static sqlite3_stmt *
prepare (TdQueueModel *self, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (self->db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("%s: the queue cannot read the cache (%s): %s", td_cache_get_path (self->cache),
                 sqlite3_errmsg (self->db), sql);
      g_clear_pointer (&stmt, sqlite3_finalize);
    }
  return stmt;
}

static void
finish (TdQueueModel *self, sqlite3_stmt *stmt, int rc)
{
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_warning ("%s: reading the queue failed: %s", td_cache_get_path (self->cache),
               sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);
}

/* Reads the whole index again: at start and after a resync. */
static void
load_index (TdQueueModel *self)
{
  sqlite3_stmt *stmt;
  int           rc;

  g_array_set_size (self->rows, 0);
  g_string_chunk_clear (self->uuids);
  self->have_base = FALSE;
  self->have_titles = FALSE;
  forget_order (self);

  stmt = prepare (self, "SELECT " INDEX_COLUMNS " FROM ticket WHERE deleted = 0 ORDER BY rowid");
  if (stmt == NULL)
    return;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row row;

      read_row (self, stmt, &row);
      g_array_append_val (self->rows, row);
    }
  finish (self, stmt, rc);
}

static Row *
row_at (TdQueueModel *self, guint index)
{
  return &g_array_index (self->rows, Row, index);
}

/* Where the row with @rowid is, or where it would go (*found FALSE). */
static guint
find_row (TdQueueModel *self, gint64 rowid, gboolean *found)
{
  guint low = 0;
  guint high = self->rows->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (row_at (self, mid)->rowid < rowid)
        low = mid + 1;
      else
        high = mid;
    }
  *found = low < self->rows->len && row_at (self, low)->rowid == rowid;
  return low;
}

static int
compare_created_uuid (const void *a, const void *b, void *data)
{
  TdQueueModel *self = data;
  const Row    *x = row_at (self, *(const guint32 *) a);
  const Row    *y = row_at (self, *(const guint32 *) b);

  if (x->created != y->created)
    return x->created < y->created ? -1 : 1;
  return strcmp (x->uuid, y->uuid);
}

/* Every order ends with created_at then uuid, ascending whatever the
 * direction, so equal keys always come out the same way: Row.base. */
static void
ensure_base (TdQueueModel *self)
{
  g_autofree guint32 *indexes = NULL;

  if (self->have_base)
    return;
  indexes = g_new (guint32, self->rows->len);
  for (guint i = 0; i < self->rows->len; i++)
    indexes[i] = i;
  g_qsort_with_data (indexes, self->rows->len, sizeof (guint32), compare_created_uuid, self);
  for (guint i = 0; i < self->rows->len; i++)
    row_at (self, indexes[i])->base = i;
  self->have_base = TRUE;
}

/* The title sort's keys, in SQLite's own NOCASE order: equal titles
 * (ignoring ASCII case, as NOCASE does) get the same key. */
static void
ensure_titles (TdQueueModel *self)
{
  g_autofree char *previous = NULL;
  sqlite3_stmt    *stmt;
  guint32          rank = 0;
  int              rc;

  if (self->have_titles)
    return;
  self->have_titles = TRUE;
  stmt = prepare (self, "SELECT rowid, title FROM ticket WHERE deleted = 0 "
                        "ORDER BY title COLLATE NOCASE");
  if (stmt == NULL)
    return;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *title = column_text (stmt, 1);
      gboolean    found;
      guint       index = find_row (self, sqlite3_column_int64 (stmt, 0), &found);

      if (previous == NULL || title == NULL || g_ascii_strcasecmp (previous, title) != 0)
        rank++;
      g_free (previous);
      previous = g_strdup (title);
      if (found)
        row_at (self, index)->title = title != NULL ? rank : 0;
    }
  finish (self, stmt, rc);
}

/* The clock the queue shows for @row at the model's now. Worked out again
 * only when its row changed or it passed a threshold (see
 * TdSlaQueueClock.valid_until): td_sla_queue_clock () walks the business
 * calendar, far too slow to repeat for every open ticket on each
 * keystroke. Its due instant does not move with time, only its state. */
static TdSlaState
row_clock (TdQueueModel *self, Row *row)
{
  TdSlaTicket     input = { 0 };
  TdSlaQueueClock clock;

  if (!row->open)
    return TD_SLA_NO_CLOCK;
  if (row->clock_known && self->now >= row->clock_at && self->now < row->clock_until)
    return row->state;

  input.tier = row->tier;
  input.severity = word (self, row->severity);
  input.issue_type = word (self, row->issue_type);
  input.created = row->created;
  input.first_response = row->first_response;
  input.last_update = row->last_update;
  input.resolved = row->resolved;
  td_sla_queue_clock (self->policy, &input, row->open, self->now, &clock);

  row->clock_known = TRUE;
  row->state = clock.state;
  row->due = clock.due;
  row->clock_at = self->now;
  row->clock_until = clock.valid_until;
  return row->state;
}

/* Sorting */

/* A row's place in one sort: class first (values the policy does not
 * know, then none at all, come last in both directions), then the key in
 * the direction asked, then Row.base. */
typedef struct
{
  gint64  key;
  guint32 base;
  guint32 index;
} SortKey;

#define SORT_CLASS(c) ((gint64) (c) << 50)

static int
compare_sort_keys (const void *a, const void *b)
{
  const SortKey *x = a;
  const SortKey *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->base < y->base ? -1 : x->base > y->base;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* For each word id, its key in the policy's order (@ranks); values the
 * policy does not know come after, in byte order, as SQLite's BINARY
 * collation would; NULL last of all. */
static gint64 *
word_keys (TdQueueModel *self, GHashTable *ranks)
{
  gint64 *keys = g_new0 (gint64, self->words->len);
  g_autoptr (GPtrArray) unknown = g_ptr_array_new ();

  keys[0] = SORT_CLASS (2);
  for (guint id = 1; id < self->words->len; id++)
    {
      gpointer rank;

      if (g_hash_table_lookup_extended (ranks, word (self, id), NULL, &rank))
        keys[id] = GPOINTER_TO_INT (rank);
      else
        g_ptr_array_add (unknown, (gpointer) word (self, id));
    }
  if (unknown->len > 0)
    qsort (unknown->pdata, unknown->len, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < unknown->len; i++)
    keys[find_word (self, g_ptr_array_index (unknown, i))] = SORT_CLASS (1) + i;
  return keys;
}

typedef struct
{
  guint32     id;
  const char *name; /* the person's name, else the owner id */
} OwnerKey;

static int
compare_owner_keys (const void *a, const void *b, void *data)
{
  TdQueueModel   *self = data;
  const OwnerKey *x = a;
  const OwnerKey *y = b;
  int             by_name = g_ascii_strcasecmp (x->name, y->name);

  return by_name != 0 ? by_name : strcmp (word (self, x->id), word (self, y->id));
}

/* Owners sort by the person's name ignoring ASCII case (the owner id when
 * the cache has no name for them), then by the owner id; no owner last.
 * Names are read afresh each time the order is built: few rows. */
static gint64 *
owner_keys (TdQueueModel *self)
{
  gint64 *keys = g_new0 (gint64, self->words->len);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GArray) owners = g_array_new (FALSE, FALSE, sizeof (OwnerKey));
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (self, "SELECT uuid, name FROM person WHERE deleted = 0 AND name <> ''");
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (column_text (stmt, 0) != NULL && column_text (stmt, 1) != NULL)
          g_hash_table_insert (names, g_strdup (column_text (stmt, 0)),
                               g_strdup (column_text (stmt, 1)));
      finish (self, stmt, rc);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      guint32 id = row_at (self, i)->owner;

      if (id != 0 && g_hash_table_add (seen, GUINT_TO_POINTER (id)))
        {
          const char *name = g_hash_table_lookup (names, word (self, id));
          OwnerKey    owner = { id, name != NULL ? name : word (self, id) };

          g_array_append_val (owners, owner);
        }
    }
  g_array_sort_with_data (owners, compare_owner_keys, self);

  keys[0] = SORT_CLASS (1);
  for (guint i = 0; i < owners->len; i++)
    keys[g_array_index (owners, OwnerKey, i).id] = i;
  return keys;
}

/* The key of @row in the sort asked, before the direction is applied to
 * the value part. */
static void
row_key (TdQueueModel *self, Row *row, const gint64 *keys, gint64 *class_part, gint64 *value_part)
{
  *class_part = 0;
  switch (self->sort)
    {
      case TD_QUEUE_SORT_TITLE:
        *value_part = row->title;
        break;
      case TD_QUEUE_SORT_TIER:
        /* No tier sorts as SQLite's NULL: first ascending, last descending. */
        *value_part = row->tier;
        break;
      case TD_QUEUE_SORT_SEVERITY:
      case TD_QUEUE_SORT_PRIORITY:
      case TD_QUEUE_SORT_STATUS:
      case TD_QUEUE_SORT_OWNER:
        {
          guint32 id = self->sort == TD_QUEUE_SORT_SEVERITY   ? row->severity
                       : self->sort == TD_QUEUE_SORT_PRIORITY ? row->priority
                       : self->sort == TD_QUEUE_SORT_STATUS   ? row->status
                                                              : row->owner;

          *class_part = keys[id] & ~(SORT_CLASS (1) - 1);
          *value_part = keys[id] & (SORT_CLASS (1) - 1);
        }
        break;
      case TD_QUEUE_SORT_SLA:
        row_clock (self, row);
        if (!row->open || row->due == TD_INSTANT_NEVER)
          *class_part = SORT_CLASS (1), *value_part = 0;
        else
          *value_part = row->due;
        break;
      case TD_QUEUE_SORT_CREATED:
      default:
        *value_part = row->created;
        break;
    }
}

/* The rows in the current sort, built when first asked for it. */
static GArray *
ensure_order (TdQueueModel *self)
{
  g_autofree SortKey *sorted = NULL;
  g_autofree gint64  *keys = NULL;
  guint               n = self->rows->len;

  if (self->order != NULL && self->order_sort == self->sort
      && self->order_descending == self->descending)
    return self->order;

  forget_order (self);
  ensure_base (self);
  if (self->sort == TD_QUEUE_SORT_TITLE)
    ensure_titles (self);
  else if (self->sort == TD_QUEUE_SORT_SEVERITY)
    keys = word_keys (self, self->ranks[RANK_SEVERITY]);
  else if (self->sort == TD_QUEUE_SORT_PRIORITY)
    keys = word_keys (self, self->ranks[RANK_PRIORITY]);
  else if (self->sort == TD_QUEUE_SORT_STATUS)
    keys = word_keys (self, self->ranks[RANK_STATUS]);
  else if (self->sort == TD_QUEUE_SORT_OWNER)
    keys = owner_keys (self);

  sorted = g_new (SortKey, n);
  for (guint i = 0; i < n; i++)
    {
      Row   *row = row_at (self, i);
      gint64 class_part;
      gint64 value_part;

      row_key (self, row, keys, &class_part, &value_part);
      sorted[i].key = class_part + (self->descending ? -value_part : value_part);
      sorted[i].base = row->base;
      sorted[i].index = i;
    }
  if (n > 0)
    qsort (sorted, n, sizeof (SortKey), compare_sort_keys);

  self->order = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  for (guint i = 0; i < n; i++)
    g_array_append_val (self->order, sorted[i].index);
  self->order_sort = self->sort;
  self->order_descending = self->descending;
  return self->order;
}

/* Filtering */

static void
set_match_bit (TdQueueModel *self, gint64 rowid)
{
  if (rowid < 0)
    return;
  if (rowid / 8 >= self->match_bits_len)
    {
      gint64 len = MAX (rowid / 8 + 1, self->match_bits_len * 2);

      self->match_bits = g_realloc (self->match_bits, len);
      memset (self->match_bits + self->match_bits_len, 0, len - self->match_bits_len);
      self->match_bits_len = len;
    }
  self->match_bits[rowid / 8] |= 1 << (rowid % 8);
}

static gboolean
matches_search (TdQueueModel *self, gint64 rowid)
{
  return rowid >= 0 && rowid / 8 < self->match_bits_len
         && (self->match_bits[rowid / 8] & (1 << (rowid % 8))) != 0;
}

/* Marks the rows the search words match, as FTS5 finds them. */
static void
run_search (TdQueueModel *self)
{
  sqlite3_stmt *stmt;
  int           rc;

  g_clear_pointer (&self->match_bits, g_free);
  self->match_bits_len = 0;
  if (self->match == NULL)
    return;

  /* An empty bitmap, not NULL: a search that matches nothing shows nothing. */
  self->match_bits = g_malloc0 (1);
  self->match_bits_len = 1;
  stmt = prepare (self, "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?1");
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, self->match, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    set_match_bit (self, sqlite3_column_int64 (stmt, 0));
  finish (self, stmt, rc);
}

/* The filters as word ids, worked out once per pass. */
typedef struct
{
  int      tier;
  guint32  severity;
  guint32  status;
  guint32  owner;
  gboolean open_only;
  gboolean search;
} Filter;

static void
filter_init (TdQueueModel *self, const Pass *pass, Filter *filter)
{
  filter->tier = pass->ignore_tier ? 0 : self->tier;
  filter->severity = self->severity != NULL ? find_word (self, self->severity) : 0;
  filter->status = self->status_filter == TD_QUEUE_STATUS_ONE && self->status != NULL
                       ? find_word (self, self->status)
                       : 0;
  filter->owner = self->owner != NULL ? find_word (self, self->owner) : 0;
  filter->open_only
      = self->status_filter == TD_QUEUE_STATUS_OPEN || pass->open_only || self->at_risk_only;
  filter->search = self->match != NULL;
}

/* Whether @row passes; the at-risk filter works its clock out. */
static gboolean
row_passes (TdQueueModel *self, const Filter *filter, Row *row)
{
  TdSlaState state;

  if (filter->tier != 0 && row->tier != filter->tier)
    return FALSE;
  if (filter->severity != 0 && row->severity != filter->severity)
    return FALSE;
  if (filter->open_only && !row->open)
    return FALSE;
  if (filter->status != 0 && row->status != filter->status)
    return FALSE;
  if (filter->owner != 0 && row->owner != filter->owner)
    return FALSE;
  if (filter->search && !matches_search (self, row->rowid))
    return FALSE;
  if (!self->at_risk_only)
    return TRUE;
  state = row_clock (self, row);
  return state == TD_SLA_AT_RISK || state == TD_SLA_BREACHED;
}

/* Counts the list's rows per SLA state; the list is the rows that pass
 * every filter, so a pass in index order finds them. */
static void
count_states (TdQueueModel *self)
{
  Pass   pass = { FALSE, FALSE };
  Filter filter;

  filter_init (self, &pass, &filter);
  memset (self->state_counts, 0, sizeof self->state_counts);
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = row_at (self, i);

      if (row_passes (self, &filter, row))
        self->state_counts[row_clock (self, row)]++;
    }
  self->have_state_counts = TRUE;
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

/* Runs the filters down the current order and tells the view what moved.
 * The counts are the caller's to drop (invalidate_counts): a new order
 * moves none. */
static void
requery (TdQueueModel *self)
{
  g_autoptr (GArray) old = g_steal_pointer (&self->rowids);
  Pass    pass = { FALSE, FALSE };
  Filter  filter;
  GArray *order = ensure_order (self);

  filter_init (self, &pass, &filter);
  self->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), order->len);
  for (guint i = 0; i < order->len; i++)
    {
      Row *row = row_at (self, g_array_index (order, guint32, i));

      if (row_passes (self, &filter, row))
        g_array_append_val (self->rowids, row->rowid);
    }
  emit_difference (self, old);
}

static gboolean
clock_inputs_differ (const Row *a, const Row *b)
{
  return a->tier != b->tier || a->severity != b->severity || a->issue_type != b->issue_type
         || a->created != b->created || a->first_response != b->first_response
         || a->last_update != b->last_update || a->resolved != b->resolved || a->open != b->open;
}

/* Whether a row moved in the built order: its tie-break, or the key of
 * the sort the order was built for. Most changes (a comment, a status
 * under the age sort) move nothing, and the order stands. */
static gboolean
moves_in_order (TdQueueModel *self, const Row *old, const Row *row)
{
  if (old->created != row->created || strcmp (old->uuid, row->uuid) != 0)
    return TRUE;
  switch (self->order_sort)
    {
      case TD_QUEUE_SORT_TITLE:
        return old->title_hash != row->title_hash;
      case TD_QUEUE_SORT_TIER:
        return old->tier != row->tier;
      case TD_QUEUE_SORT_SEVERITY:
        return old->severity != row->severity;
      case TD_QUEUE_SORT_PRIORITY:
        return old->priority != row->priority;
      case TD_QUEUE_SORT_STATUS:
        return old->status != row->status;
      case TD_QUEUE_SORT_OWNER:
        return old->owner != row->owner;
      case TD_QUEUE_SORT_SLA:
        return clock_inputs_differ (old, row);
      case TD_QUEUE_SORT_CREATED:
      default:
        return FALSE;
    }
}

/* Reads the rows of @uuids again into the index. */
static void
update_index (TdQueueModel *self, const char *const *uuids)
{
  g_autoptr (GHashTable) by_uuid = NULL;
  sqlite3_stmt *stmt;
  gboolean      titles_changed = FALSE;
  gboolean      search_changed = FALSE;
  gboolean      rows_moved = FALSE; /* inserted or removed: every index after shifts */
  gboolean      order_moved = FALSE;

  stmt = prepare (self, "SELECT " INDEX_COLUMNS ", deleted FROM ticket WHERE uuid = ?1");
  if (stmt == NULL)
    return;
  /* One read transaction for all of them: each statement on its own
   * would take a fresh WAL snapshot, which while a pull is writing costs
   * a millisecond a ticket. */
  sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL);

  for (guint i = 0; uuids[i] != NULL; i++)
    {
      gboolean found = FALSE;
      guint    index;
      Row      row;

      sqlite3_bind_text (stmt, 1, uuids[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, COL_TITLE + 1) == 0)
        {
          read_row (self, stmt, &row);
          index = find_row (self, row.rowid, &found);
          if (!found)
            {
              g_array_insert_val (self->rows, index, row);
              rows_moved = TRUE;
            }
          else
            {
              Row *old = row_at (self, index);

              titles_changed |= old->title_hash != row.title_hash;
              order_moved |= self->order != NULL && moves_in_order (self, old, &row);
              rows_moved |= old->created != row.created || strcmp (old->uuid, row.uuid) != 0;
              row.base = old->base;
              row.title = old->title;
              /* Its clock still holds if nothing it depends on changed. */
              if (!clock_inputs_differ (old, &row))
                {
                  row.clock_known = old->clock_known;
                  row.state = old->state;
                  row.due = old->due;
                  row.clock_at = old->clock_at;
                  row.clock_until = old->clock_until;
                }
              *old = row;
            }
          titles_changed |= !found;
          search_changed = TRUE;
        }
      else
        {
          /* Gone from the cache (or deleted): find it by its uuid. */
          if (by_uuid == NULL)
            {
              by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
              for (guint j = 0; j < self->rows->len; j++)
                g_hash_table_insert (by_uuid, (gpointer) row_at (self, j)->uuid,
                                     GUINT_TO_POINTER (j + 1));
            }
          index = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, uuids[i]));
          if (index != 0)
            {
              /* Later indexes move down: look them up afresh. */
              g_array_remove_index (self->rows, index - 1);
              g_clear_pointer (&by_uuid, g_hash_table_unref);
              rows_moved = TRUE;
            }
        }
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  /* The order holds indexes into the rows, and every sort ends with the
   * base order: a row in or out, or a new created_at or uuid, means
   * sorting again; a changed key of the current sort, the order only. */
  if (rows_moved)
    self->have_base = FALSE;
  if (titles_changed)
    self->have_titles = FALSE;
  if (rows_moved || order_moved || (titles_changed && self->order_sort == TD_QUEUE_SORT_TITLE))
    forget_order (self);
  if (search_changed && self->match != NULL)
    run_search (self);
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

  if (sqlite3_prepare_v2 (self->db, "SELECT * FROM ticket WHERE rowid = ?1", -1, &self->row_stmt,
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

  /* States move with the clock, and with them the at-risk tier counts.
   * Due instants do not, so the SLA order stands. */
  invalidate_counts (self, self->at_risk_only);
  if (self->at_risk_only)
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
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->uuids, g_string_chunk_free);
  g_clear_pointer (&self->words, g_ptr_array_unref);
  g_clear_pointer (&self->word_ids, g_hash_table_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->match_bits, g_free);
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
  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  self->uuids = g_string_chunk_new (64 * 1024);
  self->words = g_ptr_array_new ();
  g_ptr_array_add (self->words, NULL);
  self->word_ids = g_hash_table_new (g_str_hash, g_str_equal);
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
    load_index (self);
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
  run_search (self);
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

  update_index (self, uuids);
  invalidate_counts (self, TRUE);
  requery (self);
}

void
td_queue_model_reload (TdQueueModel *self)
{
  g_return_if_fail (TD_IS_QUEUE_MODEL (self));

  /* A resync writes every row again, possibly under new rowids: follow
   * only the tickets still found where they were. */
  refresh_live (self, NULL);
  load_index (self);
  run_search (self);
  invalidate_counts (self, TRUE);
  requery (self);
}

guint
td_queue_model_count_tier (TdQueueModel *self, int tier)
{
  g_return_val_if_fail (TD_IS_QUEUE_MODEL (self), 0);

  if (self->tier_counts == NULL)
    {
      Pass   pass = { TRUE, TRUE };
      Filter filter;

      /* Every tier at once: a tier bar asks for each in turn. */
      filter_init (self, &pass, &filter);
      self->tier_counts = g_hash_table_new (g_direct_hash, g_direct_equal);
      for (guint i = 0; i < self->rows->len; i++)
        {
          Row     *row = row_at (self, i);
          gpointer key = GINT_TO_POINTER (row->tier);
          guint    count;

          if (!row_passes (self, &filter, row))
            continue;
          count = GPOINTER_TO_UINT (g_hash_table_lookup (self->tier_counts, key));
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
    count_states (self);
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
