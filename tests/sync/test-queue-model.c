/* test-queue-model.c — the queue model against a brute-force queue over the same tickets
 *
 * Two data sets. The small one (ten tickets, written out below with their
 * SLA clocks worked by hand) shows each behaviour so a person can check it:
 * filters, sorts with their tie-break, lazy items, live updates, the tick,
 * deleted rows. The big one is 200,000 tickets made from a fixed seed and
 * written with td_cache_apply_page () as a pull would: some thirty filter
 * and sort settings are compared with a brute-force filter and sort in C
 * over the generated data, which implements the order the header
 * documents (every position of a short list; the head, the tail and a
 * random sample of a long one), and so are the counts.
 *
 * Query times are printed (g_test_message, visible with --verbose or in
 * the TAP log) but never asserted: the machines that run this are noisy.
 * Writing the big data set through the cache takes most of the run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "td-cache.h"
#include "td-queue-model.h"
#include "td-sla.h"
#include "td-test-util.h"
#include "td-ticket.h"

#define N_BIG      200000
#define PAGE_SIZE  5000
#define N_PERSONS  30
#define N_NAMED    25
#define N_DELETED  50
#define N_SAMPLES  500
#define FULL_CHECK 3000
#define MINUTE     60
#define HOUR       (60 * MINUTE)

/* A generated ticket, as the brute force sees it. */
typedef struct
{
  char       *uuid;
  char       *title;
  char       *description;
  char       *affected;
  int         tier;
  const char *severity; /* static strings or NULL */
  const char *priority;
  const char *issue_type;
  const char *status;
  const char *owner;     /* a Person's uuid or NULL */
  const char *owner_key; /* what the owner sort compares: the name, else the id */
  gint64      created;
  gint64      first_response;
  gint64      last_update;
  gint64      resolved;
  gboolean    deleted;
  /* The queue clock at the data set's now. */
  TdSlaState state;
  gint64     due;
} Gen;

typedef struct
{
  char *uuid;
  char *name; /* NULL: the cache has no row for this person */
} Person;

typedef struct
{
  char         *dir;
  char         *path;
  TdCache      *cache;
  TdPolicy     *policy;
  gint64        now;
  GPtrArray    *tickets; /* Gen */
  Person        persons[N_PERSONS];
  TdQueueModel *model; /* the big tests' */
} DataSet;

/* Everything the model can be asked; zero is the model's default. */
typedef struct
{
  const char         *label;
  int                 tier;
  const char         *severity;
  TdQueueStatusFilter status_filter;
  const char         *status;
  int                 owner; /* index into persons + 1; 0 for any */
  gboolean            at_risk;
  const char         *search;
  TdQueueSort         sort;
  gboolean            descending;
} Query;

static DataSet *big;

/* Generated data */

static const char *const vocabulary[] = {
  "payroll",  "payslip", "balance", "leave",      "printer",  "login",   "password",
  "report",   "export",  "timeout", "sync",       "approval", "holiday", "overtime",
  "expense",  "invoice", "pension", "tax",        "workflow", "portal",  "manager",
  "schedule", "shift",   "absence", "onboarding", "contract", "bonus",   "audit",
};

static const char *const tier1_types[]
    = { "password-reset", "navigation-help", "known-issue", "general-inquiry" };
static const char *const tier2_types[]
    = { "balance-discrepancy", "workflow-issue", "configuration-change", "report-issue",
        "integration-status" };

/* Two people share a name, so the owner sort needs its second key. */
static const char *const person_names[N_NAMED] = {
  "alex Smith",   "Bea Jones",    "carl Wu",   "Dana Patel",  "eve Moreau",
  "Farid Haddad", "gus Berg",     "Hana Sato", "ivan Petrov", "Jo Okafor",
  "kim Novak",    "Lena Fischer", "Sam Lee",   "sam lee",     "Mia Costa",
  "noor Ali",     "Omar Diaz",    "Pia Lund",  "quinn Ross",  "Rui Alves",
  "Sara Kim",     "tom Hardy",    "Uma Rao",   "Vic Stone",   "wen Zhao",
};

static const char *
pick (GRand *rand, const char *const *items, guint n_items)
{
  return items[g_rand_int_range (rand, 0, (gint32) n_items)];
}

static char *
words (GRand *rand, guint n_words)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      const char *word = pick (rand, vocabulary, G_N_ELEMENTS (vocabulary));

      if (i > 0)
        g_string_append_c (text, ' ');
      /* Mixed case, for the case-blind title sort and search. */
      if (g_rand_int_range (rand, 0, 3) == 0)
        {
          g_string_append_c (text, g_ascii_toupper (word[0]));
          g_string_append (text, word + 1);
        }
      else
        g_string_append (text, word);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
is_open (const char *status)
{
  return !g_str_equal (status, "resolved") && !g_str_equal (status, "closed");
}

/* The queue clock as the header defines it, worked out here on its own:
 * the earliest due of the running response and resolution clocks. */
static void
gen_clock (TdPolicy *policy, Gen *gen, gint64 now)
{
  TdSlaTicket input = { 0 };
  TdSlaResult result;

  gen->state = TD_SLA_NO_CLOCK;
  gen->due = G_MAXINT64;
  if (!is_open (gen->status))
    return;

  input.tier = gen->tier;
  input.severity = gen->severity;
  input.issue_type = gen->issue_type;
  input.created = gen->created;
  input.first_response = gen->first_response;
  input.last_update = gen->last_update;
  input.resolved = gen->resolved;
  if (!td_sla_compute (policy, &input, now, &result, NULL))
    return;

  if (result.response.has_clock
      && (result.response.state == TD_SLA_OK || result.response.state == TD_SLA_AT_RISK
          || result.response.state == TD_SLA_BREACHED))
    {
      gen->state = result.response.state;
      gen->due = result.response.due;
    }
  if (result.resolution.has_clock
      && (result.resolution.state == TD_SLA_OK || result.resolution.state == TD_SLA_AT_RISK
          || result.resolution.state == TD_SLA_BREACHED)
      && result.resolution.due < gen->due)
    {
      gen->state = result.resolution.state;
      gen->due = result.resolution.due;
    }
}

static void
gen_free (Gen *gen)
{
  g_free (gen->uuid);
  g_free (gen->title);
  g_free (gen->description);
  g_free (gen->affected);
  g_free (gen);
}

static Gen *
generate_ticket (GRand *rand, DataSet *data, guint index)
{
  Gen   *gen = g_new0 (Gen, 1);
  gint32 r;

  gen->uuid = g_strdup_printf (
      "%08x-%04x-4%03x-%04x-%012x", g_rand_int (rand), g_rand_int_range (rand, 0, 0x10000),
      g_rand_int_range (rand, 0, 0x1000), 0x8000 | g_rand_int_range (rand, 0, 0x4000), index);
  gen->title = words (rand, 3);
  gen->description = words (rand, 8);
  /* A rare word, to search for few rows. */
  if (g_rand_int_range (rand, 0, 2000) == 0)
    {
      char *description = g_strconcat (gen->description, " zebracorn", NULL);
      g_free (gen->description);
      gen->description = description;
    }
  gen->affected = g_strdup_printf ("E%05d", g_rand_int_range (rand, 0, 100000));
  gen->tier = g_rand_int_range (rand, 1, 5);

  r = g_rand_int_range (rand, 0, 1000);
  gen->severity = r < 50    ? "SEV-1"
                  : r < 200 ? "SEV-2"
                  : r < 600 ? "SEV-3"
                  : r < 960 ? "SEV-4"
                  : r < 990 ? NULL
                            : "SEV-9"; /* unknown to the policy: no clock, sorted last */
  r = g_rand_int_range (rand, 0, 1000);
  gen->priority = r < 60 ? "P1" : r < 250 ? "P2" : r < 600 ? "P3" : r < 950 ? "P4" : NULL;
  if (gen->tier == 1 && g_rand_int_range (rand, 0, 10) < 4)
    gen->issue_type = pick (rand, tier1_types, G_N_ELEMENTS (tier1_types));
  else if (gen->tier == 2 && g_rand_int_range (rand, 0, 10) < 4)
    gen->issue_type = pick (rand, tier2_types, G_N_ELEMENTS (tier2_types));

  r = g_rand_int_range (rand, 0, 1000);
  gen->status = r < 250   ? "new"
                : r < 400 ? "assigned"
                : r < 600 ? "in_progress"
                : r < 700 ? "pending"
                : r < 900 ? "resolved"
                          : "closed";
  if (g_rand_int_range (rand, 0, 5) != 0)
    {
      const Person *person = &data->persons[g_rand_int_range (rand, 0, N_PERSONS)];

      gen->owner = person->uuid;
      gen->owner_key = person->name != NULL ? person->name : person->uuid;
    }

  /* Whole minutes over 30 days: about five tickets share each minute, so
   * the tie-break is exercised everywhere. One in ten is recent, so that
   * clocks are still running (ok or at risk) at now. */
  if (g_rand_int_range (rand, 0, 10) == 0)
    gen->created = data->now - g_rand_int_range (rand, 0, 8 * 60) * MINUTE;
  else
    gen->created = data->now - g_rand_int_range (rand, 0, 30 * 24 * 60) * MINUTE;

  if (!g_str_equal (gen->status, "new") && g_rand_int_range (rand, 0, 10) < 7)
    {
      gen->first_response = gen->created + g_rand_int_range (rand, 1, 240) * MINUTE;
      if (gen->first_response > data->now)
        gen->first_response = 0;
    }
  if (gen->first_response != 0 && g_rand_int_range (rand, 0, 10) < 4)
    {
      gen->last_update = gen->first_response + g_rand_int_range (rand, 1, 48 * 60) * MINUTE;
      if (gen->last_update > data->now)
        gen->last_update = 0;
    }
  if (!is_open (gen->status))
    gen->resolved
        = MIN (data->now, gen->created + g_rand_int_range (rand, 10, 5 * 24 * 60) * MINUTE);
  return gen;
}

/* A value left out is NULL in a new row; leaving it out rather than
 * sending null keeps td_cache_apply_page () on fewer columns, which
 * matters over 200,000 rows. */
static void
set_text_if_any (JsonObject *row, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (row, name, value);
}

static void
set_instant_if_any (JsonObject *row, const char *name, gint64 value)
{
  if (value != 0)
    json_object_set_int_member (row, name, value);
}

/* The ticket as the change feed sends it. */
static JsonObject *
gen_row (const Gen *gen, gint64 rev)
{
  JsonObject *row = json_object_new ();

  json_object_set_string_member (row, "entity", "ticket");
  json_object_set_string_member (row, "uuid", gen->uuid);
  json_object_set_int_member (row, "rev", rev);
  json_object_set_string_member (row, "title", gen->title);
  json_object_set_string_member (row, "description", gen->description);
  json_object_set_string_member (row, "affected_user_id", gen->affected);
  json_object_set_int_member (row, "tier", gen->tier);
  set_text_if_any (row, "severity", gen->severity);
  set_text_if_any (row, "priority", gen->priority);
  set_text_if_any (row, "issue_type", gen->issue_type);
  json_object_set_string_member (row, "status", gen->status);
  set_text_if_any (row, "owner", gen->owner);
  json_object_set_int_member (row, "created_at", gen->created);
  set_instant_if_any (row, "first_response_at", gen->first_response);
  set_instant_if_any (row, "last_update_at", gen->last_update);
  set_instant_if_any (row, "resolved_at", gen->resolved);
  return row;
}

static void
apply_page (TdCache *cache, JsonArray *page, const char *cursor)
{
  g_autoptr (GError) error = NULL;

  td_cache_apply_page (cache, page, cursor, NULL, &error);
  g_assert_no_error (error);
}

static DataSet *
data_set_new (gint64 now)
{
  DataSet *data = g_new0 (DataSet, 1);
  g_autoptr (GError) error = NULL;

  data->dir = g_dir_make_tmp ("test-queue-model-XXXXXX", &error);
  g_assert_no_error (error);
  data->path = g_build_filename (data->dir, "cache.db", NULL);
  data->cache = td_cache_open (data->path, &error);
  g_assert_no_error (error);
  data->policy = td_test_shipped_policy ();
  data->now = now;
  data->tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) gen_free);
  return data;
}

static void
data_set_free (DataSet *data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&data->model);
  g_clear_object (&data->cache);
  g_clear_object (&data->policy);
  g_ptr_array_unref (data->tickets);
  for (guint i = 0; i < N_PERSONS; i++)
    {
      g_free (data->persons[i].uuid);
      g_free (data->persons[i].name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (data->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (data->dir);
  g_free (data->path);
  g_free (data->dir);
  g_free (data);
}

static gpointer
work_out_clocks (gpointer data)
{
  DataSet *set = data;

  for (guint i = 0; i < set->tickets->len; i++)
    gen_clock (set->policy, g_ptr_array_index (set->tickets, i), set->now);
  return NULL;
}

static DataSet *
get_big (void)
{
  g_autoptr (GRand) rand = NULL;
  g_autoptr (JsonArray) people = json_array_new ();
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
  GThread *clocks;
  gint64   start;
  gint64   rev = 0;

  if (big != NULL)
    return big;

  start = g_get_monotonic_time ();
  big = data_set_new (td_test_iso ("2026-03-18T12:00:00Z"));
  rand = g_rand_new_with_seed (20260318);

  for (guint i = 0; i < N_PERSONS; i++)
    {
      Person *person = &big->persons[i];

      person->uuid = g_strdup_printf ("9e000000-0000-4000-8000-%012x", i);
      /* The last few have no row in the cache: the owner sort falls back on the id. */
      if (i < N_NAMED)
        {
          JsonObject *row = json_object_new ();

          person->name = g_strdup (person_names[i]);
          json_object_set_string_member (row, "entity", "person");
          json_object_set_string_member (row, "uuid", person->uuid);
          json_object_set_int_member (row, "rev", ++rev);
          json_object_set_string_member (row, "name", person->name);
          json_array_add_object_element (people, row);
        }
    }
  apply_page (big->cache, people, "people");

  for (guint i = 0; i < N_BIG; i++)
    g_ptr_array_add (big->tickets, generate_ticket (rand, big, i));
  for (guint i = 0; i < N_DELETED; i++)
    g_ptr_array_add (doomed, g_ptr_array_index (big->tickets, g_rand_int_range (rand, 0, N_BIG)));

  /* The brute force's clocks need nothing from the cache: work them out on
   * the other core while the cache is written. */
  clocks = g_thread_new ("clocks", work_out_clocks, big);

  for (guint first = 0; first < N_BIG; first += PAGE_SIZE)
    {
      g_autoptr (JsonArray) page = json_array_sized_new (PAGE_SIZE);
      g_autofree char *cursor = NULL;

      for (guint i = first; i < first + PAGE_SIZE; i++)
        json_array_add_object_element (page, gen_row (g_ptr_array_index (big->tickets, i), ++rev));
      cursor = g_strdup_printf ("%" G_GINT64_FORMAT, rev);
      apply_page (big->cache, page, cursor);
    }

  /* Deleted locally: the row stays in the cache with deleted = 1 until the
   * server answers, and must never show. */
  for (guint i = 0; i < doomed->len; i++)
    {
      Gen *gen = g_ptr_array_index (doomed, i);
      g_autoptr (GError) error = NULL;

      if (gen->deleted)
        continue;
      td_cache_delete (big->cache, "ticket", gen->uuid, &error);
      g_assert_no_error (error);
      gen->deleted = TRUE;
    }

  g_thread_join (clocks);
  g_test_message ("big data set: %u tickets written with td_cache_apply_page () in %.1f s", N_BIG,
                  (g_get_monotonic_time () - start) / 1e6);
  return big;
}

/* One model for all the big tests: its first pass over the SLA clocks of
 * 140,000 open tickets is paid once. Each test sets every filter. */
static TdQueueModel *
get_big_model (void)
{
  DataSet *data = get_big ();

  if (data->model == NULL)
    {
      gint64 start = g_get_monotonic_time ();

      data->model = td_queue_model_new (data->cache, data->policy);
      td_queue_model_set_now (data->model, data->now);
      g_test_message ("%-44s %7u rows %8.1f ms", "td_queue_model_new (open, by age)",
                      g_list_model_get_n_items (G_LIST_MODEL (data->model)),
                      (g_get_monotonic_time () - start) / 1e3);
    }
  td_queue_model_set_now (data->model, data->now);
  return data->model;
}

/* The brute force */

/* Each word of the search must be the start of a token (a run of letters
 * and digits, case folded) of the title, the description or the user id,
 * as FTS5's unicode61 tokenizer and a "word"* query have it. */
static gboolean
text_has_prefix (const char *text, const char *prefix)
{
  gsize length = strlen (prefix);

  for (const char *p = text; *p != '\0';)
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (*p != '\0' && g_ascii_isalnum (*p))
        p++;
      if ((gsize) (p - start) >= length && g_ascii_strncasecmp (start, prefix, length) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
search_matches (const Gen *gen, const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (!text_has_prefix (gen->title, words[i]) && !text_has_prefix (gen->description, words[i])
          && !text_has_prefix (gen->affected, words[i]))
        return FALSE;
    }
  return TRUE;
}

static const char *
query_owner (const DataSet *data, const Query *query)
{
  return query->owner > 0 ? data->persons[query->owner - 1].uuid : NULL;
}

/* @words: the search, split. */
static gboolean
matches (const DataSet     *data,
         const Gen         *gen,
         const Query       *query,
         const char *const *words,
         gboolean           ignore_tier,
         gboolean           open_only)
{
  const char *owner = query_owner (data, query);

  if (gen->deleted)
    return FALSE;
  if (query->tier != 0 && !ignore_tier && gen->tier != query->tier)
    return FALSE;
  if (query->severity != NULL && g_strcmp0 (gen->severity, query->severity) != 0)
    return FALSE;
  if ((query->status_filter == TD_QUEUE_STATUS_OPEN || open_only) && !is_open (gen->status))
    return FALSE;
  if (query->status_filter == TD_QUEUE_STATUS_ONE && query->status != NULL
      && !g_str_equal (gen->status, query->status))
    return FALSE;
  if (owner != NULL && g_strcmp0 (gen->owner, owner) != 0)
    return FALSE;
  if (query->at_risk && gen->state != TD_SLA_AT_RISK && gen->state != TD_SLA_BREACHED)
    return FALSE;
  if (words != NULL && !search_matches (gen, words))
    return FALSE;
  return TRUE;
}

/* The orders a person reading the shipped policy expects. */
static int
severity_rank (const char *severity)
{
  static const char *const order[] = { "SEV-1", "SEV-2", "SEV-3", "SEV-4" };

  for (guint i = 0; severity != NULL && i < G_N_ELEMENTS (order); i++)
    if (g_str_equal (severity, order[i]))
      return (int) i + 1;
  return 0;
}

static int
priority_rank (const char *priority)
{
  static const char *const order[] = { "P1", "P2", "P3", "P4" };

  for (guint i = 0; priority != NULL && i < G_N_ELEMENTS (order); i++)
    if (g_str_equal (priority, order[i]))
      return (int) i + 1;
  return 0;
}

static int
status_rank (const char *status)
{
  static const char *const order[]
      = { "new", "assigned", "in_progress", "pending", "resolved", "closed" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_str_equal (status, order[i]))
      return (int) i + 1;
  return 0;
}

static int
compare_int64 (gint64 a, gint64 b)
{
  return a < b ? -1 : a > b;
}

/* Rank 0 (unknown) last in both directions. */
static int
compare_rank (int a, int b, gboolean descending)
{
  if (a == b)
    return 0;
  if (a == 0 || b == 0)
    return a == 0 ? 1 : -1;
  return descending ? b - a : a - b;
}

/* NULL last in both directions. */
static int
compare_text (const char *a, const char *b, gboolean nocase, gboolean descending)
{
  int result;

  if (a == NULL || b == NULL)
    return a == b ? 0 : a == NULL ? 1 : -1;
  result = nocase ? g_ascii_strcasecmp (a, b) : strcmp (a, b);
  result = result < 0 ? -1 : result > 0;
  return descending ? -result : result;
}

typedef struct
{
  const DataSet *data;
  const Query   *query;
} SortContext;

/* The order the header documents. */
static int
compare_gens (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
  const SortContext *context = user_data;
  const Gen         *a = *(Gen *const *) pa;
  const Gen         *b = *(Gen *const *) pb;
  gboolean           descending = context->query->descending;
  int                result = 0;

  switch (context->query->sort)
    {
      case TD_QUEUE_SORT_CREATED:
        result = compare_int64 (a->created, b->created);
        result = descending ? -result : result;
        break;
      case TD_QUEUE_SORT_TITLE:
        result = compare_text (a->title, b->title, TRUE, descending);
        break;
      case TD_QUEUE_SORT_TIER:
        result = descending ? b->tier - a->tier : a->tier - b->tier;
        break;
      case TD_QUEUE_SORT_SEVERITY:
        result
            = compare_rank (severity_rank (a->severity), severity_rank (b->severity), descending);
        if (result == 0)
          result = compare_text (a->severity, b->severity, FALSE, descending);
        break;
      case TD_QUEUE_SORT_PRIORITY:
        result
            = compare_rank (priority_rank (a->priority), priority_rank (b->priority), descending);
        if (result == 0)
          result = compare_text (a->priority, b->priority, FALSE, descending);
        break;
      case TD_QUEUE_SORT_STATUS:
        result = compare_rank (status_rank (a->status), status_rank (b->status), descending);
        if (result == 0)
          result = compare_text (a->status, b->status, FALSE, descending);
        break;
      case TD_QUEUE_SORT_OWNER:
        result = compare_text (a->owner_key, b->owner_key, TRUE, descending);
        if (result == 0)
          result = compare_text (a->owner, b->owner, FALSE, descending);
        break;
      case TD_QUEUE_SORT_SLA:
        if (a->due != b->due)
          {
            if (a->due == G_MAXINT64 || b->due == G_MAXINT64)
              result = a->due == G_MAXINT64 ? 1 : -1;
            else
              result = descending ? compare_int64 (b->due, a->due) : compare_int64 (a->due, b->due);
          }
        break;
      default:
        g_assert_not_reached ();
    }
  if (result != 0)
    return result;
  result = compare_int64 (a->created, b->created);
  if (result != 0)
    return result;
  return strcmp (a->uuid, b->uuid);
}

/* The list, and in @tier_counts the open tickets per tier matching every
 * filter but the tier. */
static GPtrArray *
brute_force (const DataSet *data, const Query *query, guint tier_counts[5])
{
  GPtrArray  *expected = g_ptr_array_new ();
  SortContext context = { data, query };
  g_auto (GStrv) words = query->search != NULL ? g_strsplit (query->search, " ", -1) : NULL;

  for (guint i = 0; i < data->tickets->len; i++)
    {
      Gen *gen = g_ptr_array_index (data->tickets, i);

      if (matches (data, gen, query, (const char *const *) words, FALSE, FALSE))
        g_ptr_array_add (expected, gen);
      if (tier_counts != NULL
          && matches (data, gen, query, (const char *const *) words, TRUE, TRUE))
        tier_counts[gen->tier]++;
    }
  g_qsort_with_data (expected->pdata, (gint) expected->len, sizeof (gpointer), compare_gens,
                     &context);
  return expected;
}

/* Driving the model */

/* Each setter that changed something ran one query; with @times, their
 * durations are noted as "tier 58.2 ms, search 12.0 ms". A setter that
 * changes nothing returns at once and is left out. */
#define TIMED(name, call)                                                              \
  G_STMT_START                                                                         \
  {                                                                                    \
    gint64 _start = g_get_monotonic_time ();                                           \
    call;                                                                              \
    if (times != NULL && g_get_monotonic_time () - _start >= 100)                      \
      g_string_append_printf (times, "%s%s %.1f ms", times->len > 0 ? ", " : "", name, \
                              (g_get_monotonic_time () - _start) / 1e3);               \
  }                                                                                    \
  G_STMT_END

static void
apply_query (const DataSet *data, TdQueueModel *model, const Query *query, GString *times)
{
  TIMED ("tier", td_queue_model_set_tier (model, query->tier));
  TIMED ("severity", td_queue_model_set_severity (model, query->severity));
  TIMED ("status", td_queue_model_set_status (model, query->status_filter, query->status));
  TIMED ("owner", td_queue_model_set_owner (model, query_owner (data, query)));
  TIMED ("at-risk", td_queue_model_set_at_risk_only (model, query->at_risk));
  TIMED ("search", td_queue_model_set_search (model, query->search));
  TIMED ("sort", td_queue_model_set_sort (model, query->sort, query->descending));
}

static char *
item_uuid (TdQueueModel *model, guint position)
{
  g_autoptr (TdTicket) ticket = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (ticket);
  return g_strdup (td_ticket_get_uuid (ticket));
}

/* Every position of a short list; of a long one the head, the tail and
 * random positions between (making a TdTicket for each of 150,000 rows
 * would test get_item () more than the order). */
static GArray *
positions_to_check (guint n_items, GRand *rand)
{
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_items; i++)
    {
      if (n_items <= FULL_CHECK || i < 250 || i >= n_items - 250
          || (guint) g_rand_int_range (rand, 0, (gint32) n_items) < N_SAMPLES)
        g_array_append_val (positions, i);
    }
  return positions;
}

static void
check_model (const DataSet *data, TdQueueModel *model, const Query *query)
{
  guint tier_counts[5] = { 0 };
  guint state_counts[TD_SLA_MET + 1] = { 0 };
  g_autoptr (GPtrArray) expected = brute_force (data, query, tier_counts);
  g_autoptr (GRand) rand = g_rand_new_with_seed (expected->len);
  g_autoptr (GArray) positions = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected->len);

  positions = positions_to_check (expected->len, rand);
  for (guint i = 0; i < positions->len; i++)
    {
      guint      position = g_array_index (positions, guint, i);
      const Gen *gen = g_ptr_array_index (expected, position);
      g_autoptr (TdTicket) ticket = g_list_model_get_item (G_LIST_MODEL (model), position);

      if (g_strcmp0 (td_ticket_get_uuid (ticket), gen->uuid) != 0)
        g_test_message ("%s: position %u of %u differs", query->label, position, expected->len);
      g_assert_cmpstr (td_ticket_get_uuid (ticket), ==, gen->uuid);
      /* The object's clock agrees with the list's and the brute force's. */
      g_assert_cmpint (td_ticket_get_sla_state (ticket), ==, gen->state);
      g_assert_cmpint (td_ticket_get_sla_due (ticket), ==, gen->due);
    }

  for (guint i = 0; i < expected->len; i++)
    state_counts[((Gen *) g_ptr_array_index (expected, i))->state]++;
  for (TdSlaState state = TD_SLA_NO_CLOCK; state <= TD_SLA_MET; state++)
    g_assert_cmpuint (td_queue_model_count_sla_state (model, state), ==, state_counts[state]);

  for (int tier = 1; tier <= 4; tier++)
    g_assert_cmpuint (td_queue_model_count_tier (model, tier), ==, tier_counts[tier]);
}

/* Applies each query in turn, timing the query each changed setting runs,
 * then checks the list and the counts against the brute force. */
static void
run_queries (const Query *queries, guint n_queries)
{
  DataSet      *data = get_big ();
  TdQueueModel *model = get_big_model ();

  for (guint i = 0; i < n_queries; i++)
    {
      g_autoptr (GString) times = g_string_new (NULL);
      gint64 elapsed;
      gint64 start;

      apply_query (data, model, &queries[i], times);
      g_test_message ("%-40s %6u rows: %s", queries[i].label,
                      g_list_model_get_n_items (G_LIST_MODEL (model)),
                      times->len > 0 ? times->str : "no query");

      start = g_get_monotonic_time ();
      for (TdSlaState state = TD_SLA_NO_CLOCK; state <= TD_SLA_MET; state++)
        td_queue_model_count_sla_state (model, state);
      elapsed = g_get_monotonic_time () - start;
      start = g_get_monotonic_time ();
      for (int tier = 1; tier <= 4; tier++)
        td_queue_model_count_tier (model, tier);
      g_test_message ("%-40s counts by SLA state %.1f ms, by tier %.1f ms", "", elapsed / 1e3,
                      (g_get_monotonic_time () - start) / 1e3);

      start = g_get_monotonic_time ();
      check_model (data, model, &queries[i]);
      g_test_message ("%-40s checked in %.1f ms", "", (g_get_monotonic_time () - start) / 1e3);
    }
}

/* Big data set */

/* Each step changes one or two settings from the one before, so that the
 * times printed are those of one or two queries. */
static void
test_big_filters (void)
{
  static const Query queries[] = {
    { "open, by age (the default)" },
    { "tier 2", .tier = 2 },
    { "tier 2, SEV-2", .tier = 2, .severity = "SEV-2" },
    { "SEV-2, all statuses", .severity = "SEV-2", .status_filter = TD_QUEUE_STATUS_ALL },
    { "status pending", .status_filter = TD_QUEUE_STATUS_ONE, .status = "pending" },
    { "status pending, owner 4", .status_filter = TD_QUEUE_STATUS_ONE, .status = "pending",
      .owner = 4 },
    { "owner 30 (no person row)", .owner = 30 },
    { "search \"pay\" (a prefix)", .search = "pay" },
    { "search \"PAY Bal\" (case, two words)", .search = "PAY Bal" },
    { "search \"zebracorn\", all statuses", .status_filter = TD_QUEUE_STATUS_ALL,
      .search = "zebracorn" },
    { "at risk, search \"zebracorn\"", .at_risk = TRUE, .search = "zebracorn" },
    { "at risk or breached", .at_risk = TRUE },
    { "at risk, tier 3", .tier = 3, .at_risk = TRUE },
    { "at risk, tier 3, search \"leave\"", .tier = 3, .at_risk = TRUE, .search = "leave" },
  };

  run_queries (queries, G_N_ELEMENTS (queries));
}

static void
test_big_sorts (void)
{
  static const Query queries[] = {
    { "by SLA, at risk, tier 3, search \"leave\"", .tier = 3, .at_risk = TRUE, .search = "leave",
      .sort = TD_QUEUE_SORT_SLA },
    { "by SLA", .sort = TD_QUEUE_SORT_SLA },
    { "by SLA, descending, all statuses", .status_filter = TD_QUEUE_STATUS_ALL,
      .sort = TD_QUEUE_SORT_SLA, .descending = TRUE },
    { "by severity, descending, all statuses", .status_filter = TD_QUEUE_STATUS_ALL,
      .sort = TD_QUEUE_SORT_SEVERITY, .descending = TRUE },
    { "by severity, all statuses", .status_filter = TD_QUEUE_STATUS_ALL,
      .sort = TD_QUEUE_SORT_SEVERITY },
    { "by priority, descending", .sort = TD_QUEUE_SORT_PRIORITY, .descending = TRUE },
    { "by status, all statuses", .status_filter = TD_QUEUE_STATUS_ALL,
      .sort = TD_QUEUE_SORT_STATUS },
    { "by owner, all statuses, descending", .status_filter = TD_QUEUE_STATUS_ALL,
      .sort = TD_QUEUE_SORT_OWNER, .descending = TRUE },
    { "by owner", .sort = TD_QUEUE_SORT_OWNER },
    { "by title", .sort = TD_QUEUE_SORT_TITLE },
    { "by tier, descending, search \"tax\"", .search = "tax", .sort = TD_QUEUE_SORT_TIER,
      .descending = TRUE },
    { "by age, newest first", .descending = TRUE },
  };

  run_queries (queries, G_N_ELEMENTS (queries));
}

static void
count_items_changed (GListModel *model, guint position, guint removed, guint added, guint *count)
{
  (*count)++;
}

/* The other side of a query: making the rows a screen shows, and the
 * per-minute tick over them. */
static void
test_big_screenful (void)
{
  DataSet      *data = get_big ();
  TdQueueModel *model = get_big_model ();
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  static const Query open_by_age = { "open, by age" };
  guint              changes = 0;
  gulong             handler;
  gint64             start;

  apply_query (data, model, &open_by_age, NULL);
  handler = g_signal_connect (model, "items-changed", G_CALLBACK (count_items_changed), &changes);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 60; i++)
    g_ptr_array_add (shown, g_list_model_get_item (G_LIST_MODEL (model), 5000 + i));
  g_test_message ("get_item for a screenful (60 rows): %.2f ms",
                  (g_get_monotonic_time () - start) / 1e3);

  start = g_get_monotonic_time ();
  td_queue_model_tick (model, data->now + MINUTE);
  g_test_message ("tick with 60 rows alive: %.2f ms", (g_get_monotonic_time () - start) / 1e3);
  g_assert_cmpuint (changes, ==, 0);

  td_queue_model_set_sort (model, TD_QUEUE_SORT_SLA, FALSE);
  changes = 0;
  start = g_get_monotonic_time ();
  td_queue_model_tick (model, data->now + 2 * MINUTE);
  g_test_message ("tick sorted by SLA (queries again): %.1f ms, %u items-changed",
                  (g_get_monotonic_time () - start) / 1e3, changes);

  /* Objects alive stay the model's items at their positions. */
  for (guint i = 0; i < shown->len; i++)
    {
      guint position
          = td_queue_model_find (model, td_ticket_get_uuid (g_ptr_array_index (shown, i)));
      g_autoptr (TdTicket) item = g_list_model_get_item (G_LIST_MODEL (model), position);

      g_assert_true (item == g_ptr_array_index (shown, i));
    }
  g_signal_handler_disconnect (model, handler);
}

/* The clocks the model keeps between queries follow the time: three hours
 * later, SEV-2 tickets have moved on from ok to at risk to breached. The
 * brute force works those tickets out again at that time (the filter keeps
 * every other ticket out of the list and the counts). */
static void
set_sev2_clocks (DataSet *data, gint64 now)
{
  for (guint i = 0; i < data->tickets->len; i++)
    {
      Gen *gen = g_ptr_array_index (data->tickets, i);

      if (g_strcmp0 (gen->severity, "SEV-2") == 0)
        gen_clock (data->policy, gen, now);
    }
}

static void
test_big_later (void)
{
  static const Query query = { "SEV-2, at risk, by SLA", .severity = "SEV-2", .at_risk = TRUE,
                               .sort = TD_QUEUE_SORT_SLA };
  DataSet           *data = get_big ();
  TdQueueModel      *model = get_big_model ();
  guint              changes = 0;
  gulong             handler;

  apply_query (data, model, &query, NULL);
  check_model (data, model, &query);

  handler = g_signal_connect (model, "items-changed", G_CALLBACK (count_items_changed), &changes);
  for (gint64 later = HOUR; later <= 3 * HOUR; later += HOUR)
    {
      gint64 start = g_get_monotonic_time ();

      td_queue_model_tick (model, data->now + later);
      g_test_message ("tick to %" G_GINT64_FORMAT " h later: %u rows, %.1f ms", later / HOUR,
                      g_list_model_get_n_items (G_LIST_MODEL (model)),
                      (g_get_monotonic_time () - start) / 1e3);
      set_sev2_clocks (data, data->now + later);
      check_model (data, model, &query);
    }
  g_assert_cmpuint (changes, >, 0);
  g_signal_handler_disconnect (model, handler);

  /* And back, as a clock corrected by the server's time would go. */
  set_sev2_clocks (data, data->now);
  td_queue_model_tick (model, data->now);
  check_model (data, model, &query);
}

static void
test_big_deleted (void)
{
  DataSet           *data = get_big ();
  TdQueueModel      *model = get_big_model ();
  static const Query all = { "all statuses", .status_filter = TD_QUEUE_STATUS_ALL };
  guint              n_deleted = 0;

  apply_query (data, model, &all, NULL);
  for (guint i = 0; i < data->tickets->len; i++)
    {
      Gen *gen = g_ptr_array_index (data->tickets, i);

      if (!gen->deleted)
        continue;
      n_deleted++;
      g_assert_cmpuint (td_queue_model_find (model, gen->uuid), ==, G_MAXUINT);
    }
  g_assert_cmpuint (n_deleted, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_BIG - n_deleted);
  g_assert_cmpint (td_cache_count (data->cache, "ticket"), ==, N_BIG - n_deleted);
}

/* Small data set: ten tickets at 2026-03-18T12:00Z, a Wednesday. Their
 * clocks, from the shipped policy (response: the tier's target and the
 * severity's, the earlier wins; at risk at 75 %):
 *
 *   A  T2 SEV-2 P2 new       11:00   SEV-2 responds in 30 min: due 11:30, breached
 *   B  T1 SEV-4 P4 in_prog.  03-17   answered in time, no resolution clock: none
 *   C  T3 SEV-3 P3 assigned  09:30   4 business hours: due 13:30, at risk 12:30: ok
 *   D  T3 SEV-1 P1 new       11:50   15 min: due 12:05, at risk 12:01:15: ok
 *   E  T1 SEV-3 P3 resolved  08:30
 *   F  T2 SEV-3 P3 closed    03-10
 *   G  T1 SEV-4 P4 pending   03-16   Tier 1 responds in 15 min: due 03-16 15:15, breached
 *   H  T2 SEV-2 P2 new       11:00   as A; created in the same second, so the uuid decides
 *   I  T4 none   -  new      08:00   Tier 4 has no response clock of its own: none
 *   J  T1 SEV-3 P3 new       10:00   deleted locally
 */

#define UUID_A "aaaaaaaa-0000-4000-8000-00000000000a"
#define UUID_B "bbbbbbbb-0000-4000-8000-00000000000b"
#define UUID_C "cccccccc-0000-4000-8000-00000000000c"
#define UUID_D "dddddddd-0000-4000-8000-00000000000d"
#define UUID_E "eeeeeeee-0000-4000-8000-00000000000e"
#define UUID_F "ffffffff-0000-4000-8000-00000000000f"
#define UUID_G "66666666-0000-4000-8000-000000000006"
#define UUID_H "88888888-0000-4000-8000-000000000008"
#define UUID_I "99999999-0000-4000-8000-000000000009"
#define UUID_J "11111111-0000-4000-8000-000000000001"
#define ALEX   "9e000000-0000-4000-8000-0000000000a1"
#define BEA    "9e000000-0000-4000-8000-0000000000b2"

typedef struct
{
  const char *name;
  const char *uuid;
  const char *title;
  int         tier;
  const char *severity;
  const char *priority;
  const char *status;
  const char *owner;
  const char *created;
  const char *first_response;
  const char *resolved;
} SmallTicket;

static const SmallTicket small_tickets[] = {
  { "A", UUID_A, "Payroll export fails", 2, "SEV-2", "P2", "new", ALEX, "2026-03-18T11:00:00Z" },
  { "B", UUID_B, "Printer offline", 1, "SEV-4", "P4", "in_progress", NULL, "2026-03-17T10:00:00Z",
    "2026-03-17T10:10:00Z" },
  { "C", UUID_C, "Leave balance wrong", 3, "SEV-3", "P3", "assigned", BEA, "2026-03-18T09:30:00Z" },
  { "D", UUID_D, "SSO login loop", 3, "SEV-1", "P1", "new", BEA, "2026-03-18T11:50:00Z" },
  { "E", UUID_E, "payroll totals", 1, "SEV-3", "P3", "resolved", ALEX, "2026-03-18T08:30:00Z",
    "2026-03-18T08:40:00Z", "2026-03-18T10:00:00Z" },
  { "F", UUID_F, "Report timeout", 2, "SEV-3", "P3", "closed", NULL, "2026-03-10T10:00:00Z",
    "2026-03-10T10:20:00Z", "2026-03-11T10:00:00Z" },
  { "G", UUID_G, "Password reset", 1, "SEV-4", "P4", "pending", NULL, "2026-03-16T15:00:00Z" },
  { "H", UUID_H, "Payslip missing", 2, "SEV-2", "P2", "new", NULL, "2026-03-18T11:00:00Z" },
  { "I", UUID_I, "Integration status", 4, NULL, NULL, "new", NULL, "2026-03-18T08:00:00Z" },
  { "J", UUID_J, "Deleted thing", 1, "SEV-3", "P3", "new", NULL, "2026-03-18T10:00:00Z" },
};

typedef struct
{
  DataSet      *data;
  TdQueueModel *model;
  guint         items_changed;
  guint         last_position;
  guint         last_removed;
  guint         last_added;
} Small;

static JsonObject *
small_row (const SmallTicket *ticket, gint64 rev)
{
  JsonObject *row = json_object_new ();

  json_object_set_string_member (row, "entity", "ticket");
  json_object_set_string_member (row, "uuid", ticket->uuid);
  json_object_set_int_member (row, "rev", rev);
  json_object_set_string_member (row, "title", ticket->title);
  json_object_set_string_member (row, "description", "Reported by phone");
  json_object_set_string_member (row, "affected_user_id", "E10442");
  json_object_set_int_member (row, "tier", ticket->tier);
  set_text_if_any (row, "severity", ticket->severity);
  set_text_if_any (row, "priority", ticket->priority);
  json_object_set_string_member (row, "status", ticket->status);
  set_text_if_any (row, "owner", ticket->owner);
  json_object_set_int_member (row, "created_at", td_test_iso (ticket->created));
  set_instant_if_any (row, "first_response_at",
                      ticket->first_response != NULL ? td_test_iso (ticket->first_response) : 0);
  set_instant_if_any (row, "resolved_at",
                      ticket->resolved != NULL ? td_test_iso (ticket->resolved) : 0);
  return row;
}

static const char *
small_name (const char *uuid)
{
  for (guint i = 0; i < G_N_ELEMENTS (small_tickets); i++)
    if (g_str_equal (small_tickets[i].uuid, uuid))
      return small_tickets[i].name;
  return "?";
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Small *small)
{
  small->items_changed++;
  small->last_position = position;
  small->last_removed = removed;
  small->last_added = added;
}

static Small *
small_new (void)
{
  Small *small = g_new0 (Small, 1);
  g_autoptr (JsonArray) page = json_array_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *person;

  small->data = data_set_new (td_test_iso ("2026-03-18T12:00:00Z"));
  for (guint i = 0; i < G_N_ELEMENTS (small_tickets); i++)
    json_array_add_object_element (page, small_row (&small_tickets[i], i + 1));
  person = json_object_new ();
  json_object_set_string_member (person, "entity", "person");
  json_object_set_string_member (person, "uuid", ALEX);
  json_object_set_int_member (person, "rev", 20);
  json_object_set_string_member (person, "name", "Alex");
  json_array_add_object_element (page, person);
  apply_page (small->data->cache, page, "20");

  td_cache_delete (small->data->cache, "ticket", UUID_J, &error);
  g_assert_no_error (error);

  small->model = td_queue_model_new (small->data->cache, small->data->policy);
  td_queue_model_set_now (small->model, small->data->now);
  g_signal_connect (small->model, "items-changed", G_CALLBACK (on_items_changed), small);
  return small;
}

static void
small_free (Small *small)
{
  g_clear_object (&small->model);
  data_set_free (small->data);
  g_free (small);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Small, small_free)

/* The list as ticket names: "G B I C H A D". */
static char *
small_list (Small *small)
{
  g_autoptr (GString) names = g_string_new (NULL);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (small->model));

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *uuid = item_uuid (small->model, i);

      if (i > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, small_name (uuid));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

#define assert_list(small, expected)             \
  G_STMT_START                                   \
  {                                              \
    g_autofree char *_list = small_list (small); \
    g_assert_cmpstr (_list, ==, (expected));     \
  }                                              \
  G_STMT_END

/* A newer copy of one ticket from the server, with the members given
 * (name, value pairs, NULL-terminated; instants as ISO 8601) changed. */
static void
small_pull (Small *small, const char *name, ...)
{
  g_autoptr (JsonArray) page = json_array_new ();
  static gint64 rev = 100;
  JsonObject   *row = NULL;
  const char   *member;
  va_list       args;

  for (guint i = 0; i < G_N_ELEMENTS (small_tickets); i++)
    if (g_str_equal (small_tickets[i].name, name))
      row = small_row (&small_tickets[i], ++rev);
  g_assert_nonnull (row);

  va_start (args, name);
  while ((member = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (g_str_has_suffix (member, "_at"))
        json_object_set_int_member (row, member, td_test_iso (value));
      else
        json_object_set_string_member (row, member, value);
    }
  va_end (args);

  json_array_add_object_element (page, row);
  apply_page (small->data->cache, page, "101");
}

static void
test_small_sorts (void)
{
  g_autoptr (Small) small = small_new ();

  /* Open tickets by age; A and H were created in the same second. */
  assert_list (small, "G B I C H A D");
  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_CREATED, TRUE);
  /* Reversed, except the tie: H stays before A. */
  assert_list (small, "D H A C I B G");

  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_SEVERITY, FALSE);
  assert_list (small, "D H A C G B I");
  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_SEVERITY, TRUE);
  /* I has no severity: last both ways. */
  assert_list (small, "G B C H A D I");

  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_PRIORITY, FALSE);
  assert_list (small, "D H A C G B I");

  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_TITLE, FALSE);
  /* Integration, Leave, Password, Payroll, Payslip, Printer, SSO */
  assert_list (small, "I C G A H B D");

  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_STATUS, FALSE);
  /* new (H A D I by age … I first), assigned, in_progress, pending */
  assert_list (small, "I H A D C B G");

  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_OWNER, FALSE);
  /* BEA has no person row, so C and D sort by her id, which starts with a
   * digit: before "Alex". No owner last. */
  assert_list (small, "C D A G B I H");

  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_SLA, FALSE);
  /* G 03-16 15:15, H A 11:30, D 12:05, C 13:30, then no clock (B I) */
  assert_list (small, "G H A D C B I");
  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_SLA, TRUE);
  assert_list (small, "C D H A G B I");
}

static void
test_small_filters (void)
{
  g_autoptr (Small) small = small_new ();

  td_queue_model_set_status (small->model, TD_QUEUE_STATUS_ALL, NULL);
  /* J (deleted) never shows. */
  assert_list (small, "F G B I E C H A D");
  td_queue_model_set_status (small->model, TD_QUEUE_STATUS_ONE, "resolved");
  assert_list (small, "E");
  td_queue_model_set_status (small->model, TD_QUEUE_STATUS_OPEN, NULL);
  assert_list (small, "G B I C H A D");

  td_queue_model_set_tier (small->model, 2);
  assert_list (small, "H A");
  td_queue_model_set_tier (small->model, 0);
  td_queue_model_set_severity (small->model, "SEV-4");
  assert_list (small, "G B");
  td_queue_model_set_severity (small->model, NULL);
  td_queue_model_set_owner (small->model, BEA);
  assert_list (small, "C D");
  td_queue_model_set_owner (small->model, NULL);

  /* Words are prefixes, case-blind, and all must match. */
  td_queue_model_set_search (small->model, "pay");
  assert_list (small, "H A");
  td_queue_model_set_search (small->model, "PAY miss");
  assert_list (small, "H");
  td_queue_model_set_search (small->model, "E1044");
  assert_list (small, "G B I C H A D");
  td_queue_model_set_status (small->model, TD_QUEUE_STATUS_ALL, NULL);
  td_queue_model_set_search (small->model, "payroll");
  assert_list (small, "E A");
  td_queue_model_set_search (small->model, "deleted");
  assert_list (small, "");
  td_queue_model_set_search (small->model, "");
  td_queue_model_set_status (small->model, TD_QUEUE_STATUS_OPEN, NULL);

  td_queue_model_set_at_risk_only (small->model, TRUE);
  assert_list (small, "G H A");
  td_queue_model_set_at_risk_only (small->model, FALSE);

  /* Open tickets per tier, whatever the tier filter. */
  td_queue_model_set_tier (small->model, 1);
  g_assert_cmpuint (td_queue_model_count_tier (small->model, 1), ==, 2);
  g_assert_cmpuint (td_queue_model_count_tier (small->model, 2), ==, 2);
  g_assert_cmpuint (td_queue_model_count_tier (small->model, 3), ==, 2);
  g_assert_cmpuint (td_queue_model_count_tier (small->model, 4), ==, 1);
  td_queue_model_set_tier (small->model, 0);
  g_assert_cmpuint (td_queue_model_count_sla_state (small->model, TD_SLA_BREACHED), ==, 3);
  g_assert_cmpuint (td_queue_model_count_sla_state (small->model, TD_SLA_OK), ==, 2);
  g_assert_cmpuint (td_queue_model_count_sla_state (small->model, TD_SLA_AT_RISK), ==, 0);
  g_assert_cmpuint (td_queue_model_count_sla_state (small->model, TD_SLA_NO_CLOCK), ==, 2);

  g_assert_cmpuint (td_queue_model_find (small->model, UUID_C), ==, 3);
  g_assert_cmpuint (td_queue_model_find (small->model, UUID_E), ==, G_MAXUINT);
  g_assert_cmpuint (td_queue_model_find (small->model, UUID_J), ==, G_MAXUINT);
}

/* Nothing the user types is read as FTS5 syntax. */
static void
test_small_search_syntax (void)
{
  static const char *const texts[] = {
    "\"",   "pay\"roll", "AND", "pay OR", "NEAR(pay", "title:pay", "*",
    "pay*", "-",         "(((", "^pay",   "payroll)", "  ",        "ünïcödé",
  };
  g_autoptr (Small) small = small_new ();

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      td_queue_model_set_search (small->model, texts[i]);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (small->model)), <=, 7);
    }
  td_queue_model_set_search (small->model, "pay*");
  assert_list (small, "H A");
  /* Only punctuation: no search at all. */
  td_queue_model_set_search (small->model, "* -");
  assert_list (small, "G B I C H A D");
}

static void
test_small_lazy_items (void)
{
  g_autoptr (Small) small = small_new ();
  GListModel *list = G_LIST_MODEL (small->model);
  TdTicket   *first;
  TdTicket   *again;

  g_assert_true (g_list_model_get_item_type (list) == TD_TYPE_TICKET);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 7);
  g_assert_null (g_list_model_get_item (list, 7));

  first = g_list_model_get_item (list, 0);
  again = g_list_model_get_item (list, 0);
  g_assert_true (first == again);
  g_assert_cmpstr (td_ticket_get_uuid (first), ==, UUID_G);
  g_assert_cmpstr (td_ticket_get_title (first), ==, "Password reset");
  g_assert_cmpint (td_ticket_get_tier (first), ==, 1);
  g_assert_cmpstr (td_ticket_get_severity (first), ==, "SEV-4");
  g_assert_cmpstr (td_ticket_get_priority (first), ==, "P4");
  g_assert_cmpstr (td_ticket_get_status (first), ==, "pending");
  g_assert_null (td_ticket_get_owner (first));
  g_assert_true (td_ticket_is_open (first));
  g_assert_cmpint (td_ticket_get_created_at (first), ==, td_test_iso ("2026-03-16T15:00:00Z"));
  g_assert_cmpint (td_ticket_get_sla_state (first), ==, TD_SLA_BREACHED);
  g_assert_cmpint (td_ticket_get_sla_due (first), ==, td_test_iso ("2026-03-16T15:15:00Z"));
  /* SEV-4 asks for a weekly update, from creation while nobody answered. */
  g_assert_cmpint (td_ticket_get_update_due (first), ==, td_test_iso ("2026-03-23T15:00:00Z"));
  g_assert_cmpint (td_ticket_get_update_state (first), ==, TD_SLA_OK);
  g_assert_cmpstr (json_object_get_string_member (td_ticket_get_row (first), "description"), ==,
                   "Reported by phone");

  /* The model holds no reference: the object goes with its last user. */
  g_object_unref (again);
  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  g_object_unref (first);
  g_assert_null (first);

  first = g_list_model_get_item (list, 0);
  g_assert_cmpstr (td_ticket_get_uuid (first), ==, UUID_G);
  g_object_unref (first);
}

static void
count_notify (GObject *object, GParamSpec *pspec, GHashTable *counts)
{
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (
      counts, (gpointer) name,
      GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static guint
notified (GHashTable *counts, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_small_tickets_changed (void)
{
  g_autoptr (Small) small = small_new ();
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  const char *const changed_d[] = { UUID_D, NULL };
  const char *const changed_c[] = { UUID_C, NULL };
  g_autoptr (TdTicket) d = g_list_model_get_item (G_LIST_MODEL (small->model), 6);
  g_autoptr (TdTicket) same = NULL;

  g_assert_cmpstr (td_ticket_get_uuid (d), ==, UUID_D);
  g_signal_connect (d, "notify", G_CALLBACK (count_notify), counts);

  /* A new title: the object changes in place and the list does not move. */
  small_pull (small, "D", "title", "SSO login loop after update", NULL);
  td_queue_model_tickets_changed (small->model, changed_d);
  g_assert_cmpstr (td_ticket_get_title (d), ==, "SSO login loop after update");
  g_assert_cmpuint (notified (counts, "title"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 1);
  g_assert_cmpuint (small->items_changed, ==, 0);
  same = g_list_model_get_item (G_LIST_MODEL (small->model), 6);
  g_assert_true (same == d);

  /* Resolved: it leaves the open queue, as one removal where it was. */
  g_hash_table_remove_all (counts);
  small_pull (small, "D", "title", "SSO login loop after update", "status", "resolved",
              "resolved_at", "2026-03-18T11:58:00Z", NULL);
  td_queue_model_tickets_changed (small->model, changed_d);
  g_assert_cmpuint (small->items_changed, ==, 1);
  g_assert_cmpuint (small->last_position, ==, 6);
  g_assert_cmpuint (small->last_removed, ==, 1);
  g_assert_cmpuint (small->last_added, ==, 0);
  assert_list (small, "G B I C H A");
  g_assert_cmpstr (td_ticket_get_status (d), ==, "resolved");
  g_assert_false (td_ticket_is_open (d));
  g_assert_cmpint (td_ticket_get_sla_state (d), ==, TD_SLA_NO_CLOCK);
  g_assert_cmpuint (notified (counts, "status"), ==, 1);
  g_assert_cmpuint (notified (counts, "open"), ==, 1);
  g_assert_cmpuint (notified (counts, "sla-state"), ==, 1);
  g_assert_cmpuint (notified (counts, "title"), ==, 0);

  /* By severity, C moves up when it becomes SEV-1. */
  td_queue_model_set_sort (small->model, TD_QUEUE_SORT_SEVERITY, FALSE);
  assert_list (small, "H A C G B I");
  small->items_changed = 0;
  small_pull (small, "C", "severity", "SEV-1", NULL);
  td_queue_model_tickets_changed (small->model, changed_c);
  g_assert_cmpuint (small->items_changed, ==, 1);
  assert_list (small, "C H A G B I");

  /* Deleted here: it leaves too. */
  {
    g_autoptr (GError) error = NULL;

    td_cache_delete (small->data->cache, "ticket", UUID_C, &error);
    g_assert_no_error (error);
  }
  td_queue_model_tickets_changed (small->model, changed_c);
  assert_list (small, "H A G B I");
  g_assert_cmpuint (td_queue_model_find (small->model, UUID_C), ==, G_MAXUINT);

  /* A tombstone from the server removes the row from the cache. */
  {
    g_autoptr (JsonArray) page = json_array_new ();
    JsonObject       *row = json_object_new ();
    const char *const changed_h[] = { UUID_H, NULL };

    json_object_set_string_member (row, "entity", "ticket");
    json_object_set_string_member (row, "uuid", UUID_H);
    json_object_set_int_member (row, "rev", 500);
    json_object_set_int_member (row, "deleted", 1);
    json_array_add_object_element (page, row);
    apply_page (small->data->cache, page, "500");
    td_queue_model_tickets_changed (small->model, changed_h);
    assert_list (small, "A G B I");
  }
}

static void
test_small_tick (void)
{
  g_autoptr (Small) small = small_new ();
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (TdTicket) c = g_list_model_get_item (G_LIST_MODEL (small->model), 3);
  gint64 now = small->data->now;

  g_assert_cmpstr (td_ticket_get_uuid (c), ==, UUID_C);
  g_assert_cmpint (td_ticket_get_sla_state (c), ==, TD_SLA_OK);
  g_assert_cmpint (td_ticket_get_sla_due (c), ==, td_test_iso ("2026-03-18T13:30:00Z"));
  g_signal_connect (c, "notify", G_CALLBACK (count_notify), counts);

  /* Nothing moves: no notify at all. */
  td_queue_model_tick (small->model, now + MINUTE);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  /* 75 % of four business hours: at risk at 12:30, breached at 13:30. */
  td_queue_model_tick (small->model, td_test_iso ("2026-03-18T12:30:00Z"));
  g_assert_cmpint (td_ticket_get_sla_state (c), ==, TD_SLA_AT_RISK);
  g_assert_cmpuint (notified (counts, "sla-state"), ==, 1);
  g_assert_cmpuint (notified (counts, "sla-due"), ==, 0);
  g_assert_cmpuint (td_queue_model_count_sla_state (small->model, TD_SLA_AT_RISK), ==, 1);
  td_queue_model_tick (small->model, td_test_iso ("2026-03-18T13:30:00Z"));
  g_assert_cmpint (td_ticket_get_sla_state (c), ==, TD_SLA_BREACHED);
  g_assert_cmpuint (notified (counts, "sla-state"), ==, 2);
  /* Without the at-risk filter or the SLA sort the list stays as it is. */
  g_assert_cmpuint (small->items_changed, ==, 0);

  /* With the filter, ticking brings D in at 12:01:15 and C at 12:30. */
  td_queue_model_tick (small->model, now);
  td_queue_model_set_at_risk_only (small->model, TRUE);
  assert_list (small, "G H A");
  small->items_changed = 0;
  td_queue_model_tick (small->model, td_test_iso ("2026-03-18T12:01:00Z"));
  g_assert_cmpuint (small->items_changed, ==, 0);
  td_queue_model_tick (small->model, td_test_iso ("2026-03-18T12:02:00Z"));
  g_assert_cmpuint (small->items_changed, ==, 1);
  g_assert_cmpuint (small->last_position, ==, 3);
  g_assert_cmpuint (small->last_removed, ==, 0);
  g_assert_cmpuint (small->last_added, ==, 1);
  assert_list (small, "G H A D");
  td_queue_model_tick (small->model, td_test_iso ("2026-03-18T12:30:00Z"));
  assert_list (small, "G C H A D");
}

/* TdTicket on its own: a copy of the row, and notify only for what changed. */
static void
test_ticket_notify (void)
{
  g_autoptr (JsonObject) row = small_row (&small_tickets[2], 1);
  g_autoptr (JsonObject) newer = small_row (&small_tickets[2], 2);
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdTicket) ticket = td_ticket_new (row);

  /* The ticket keeps its own copy. */
  json_object_set_string_member (row, "title", "changed by the caller");
  g_assert_cmpstr (td_ticket_get_title (ticket), ==, "Leave balance wrong");
  g_assert_cmpstr (json_object_get_string_member (td_ticket_get_row (ticket), "title"), ==,
                   "Leave balance wrong");

  /* No clock until it is worked out. */
  g_assert_cmpint (td_ticket_get_sla_state (ticket), ==, TD_SLA_NO_CLOCK);
  g_assert_cmpint (td_ticket_get_sla_due (ticket), ==, G_MAXINT64);

  g_signal_connect (ticket, "notify", G_CALLBACK (count_notify), counts);
  td_ticket_refresh_sla (ticket, policy, td_test_iso ("2026-03-18T12:00:00Z"));
  g_assert_cmpuint (notified (counts, "sla-state"), ==, 1);
  g_assert_cmpuint (notified (counts, "sla-due"), ==, 1);
  g_assert_cmpuint (notified (counts, "update-due"), ==, 1);
  g_assert_cmpuint (notified (counts, "update-state"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 4);

  /* The same row again changes nothing. */
  g_hash_table_remove_all (counts);
  td_ticket_update (ticket, newer);
  td_ticket_refresh_sla (ticket, policy, td_test_iso ("2026-03-18T12:00:00Z"));
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  json_object_set_string_member (newer, "priority", "P1");
  json_object_set_int_member (newer, "tier", 2);
  td_ticket_update (ticket, newer);
  g_assert_cmpuint (notified (counts, "priority"), ==, 1);
  g_assert_cmpuint (notified (counts, "tier"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 2);
  g_assert_cmpstr (td_ticket_get_priority (ticket), ==, "P1");
  g_assert_cmpint (td_ticket_get_tier (ticket), ==, 2);
}

int
main (int argc, char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/queue-model/ticket/notify", test_ticket_notify);
  g_test_add_func ("/sync/queue-model/small/sorts", test_small_sorts);
  g_test_add_func ("/sync/queue-model/small/filters", test_small_filters);
  g_test_add_func ("/sync/queue-model/small/search-syntax", test_small_search_syntax);
  g_test_add_func ("/sync/queue-model/small/lazy-items", test_small_lazy_items);
  g_test_add_func ("/sync/queue-model/small/tickets-changed", test_small_tickets_changed);
  g_test_add_func ("/sync/queue-model/small/tick", test_small_tick);
  g_test_add_func ("/sync/queue-model/big/filters", test_big_filters);
  g_test_add_func ("/sync/queue-model/big/sorts", test_big_sorts);
  g_test_add_func ("/sync/queue-model/big/screenful", test_big_screenful);
  g_test_add_func ("/sync/queue-model/big/later", test_big_later);
  g_test_add_func ("/sync/queue-model/big/deleted", test_big_deleted);

  result = g_test_run ();
  g_clear_pointer (&big, data_set_free);
  return result;
}
