/* td-cache.c — the desktop's offline SQLite cache and its outbox
 *
 * The cache holds the server's rows plus what the user changed locally. A
 * local edit changes the row at once (the user sees it) and queues a command
 * in the outbox in the same transaction. Rows with commands still queued are
 * not overwritten by a pull: the server's answer to the push decides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "td-cache.h"
#include "td-knowledge.h"
#include "td-json-guard.h"
#include "td-schema.h"
#include "td-time.h"
#include "td-triage.h"

struct _TdCache
{
  GObject parent_instance;

  /* The sync thread and the UI share the cache: one connection, one lock. */
  GRecMutex   lock;
  sqlite3    *db;
  char       *path;
  TdPolicy   *policy;
  GHashTable *columns;    /* table → GStrv of its columns */
  GHashTable *statements; /* SQL text → sqlite3_stmt, prepared once */
  GHashTable *upserts;    /* "table/column mask" → Upsert */

  /* Set while a page is applied and nothing local waits: no row can be
   * protected by a command or have a server copy to forget, so the
   * per-row lookups for those are skipped (most of an initial sync). */
  gboolean page_outbox_idle;
  gboolean page_no_server_copies;
  /* What td_fts_live () answers: FALSE while a page's tickets are written
   * and indexed afterwards in one go (client migration 3). */
  int *fts_live;
};

/* The statement that writes a given set of columns of a table. */
typedef struct
{
  char      *sql;
  GPtrArray *names; /* const char *, borrowed from TdCache.columns */
} Upsert;

static void
upsert_free (Upsert *upsert)
{
  g_free (upsert->sql);
  g_ptr_array_unref (upsert->names);
  g_free (upsert);
}

G_DEFINE_FINAL_TYPE (TdCache, td_cache, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (td-cache-error-quark, td_cache_error)
/* clang-format on */

/* A pull writes each row with the same few statements; compiling them
 * again for every row cost more than the writes. Each cache keeps its
 * statements (TdCache.statements). This set says, for every kept
 * statement, whether someone is using it: the UI thread and the sync
 * thread share the cache, and a statement is marked free only after it
 * has been reset, so no thread ever steps one another is still using
 * (whatever order a function releases its lock and its statements in). */
#define KEPT_FREE  GINT_TO_POINTER (1)
#define KEPT_TAKEN GINT_TO_POINTER (2)
static GHashTable *kept_statements;
G_LOCK_DEFINE_STATIC (kept_statements);

static void
statement_release (sqlite3_stmt *stmt)
{
  gboolean kept;

  G_LOCK (kept_statements);
  kept = kept_statements != NULL && g_hash_table_contains (kept_statements, stmt);
  G_UNLOCK (kept_statements);

  if (!kept)
    {
      sqlite3_finalize (stmt);
      return;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  G_LOCK (kept_statements);
  g_hash_table_insert (kept_statements, stmt, KEPT_FREE);
  G_UNLOCK (kept_statements);
}

/* Takes @stmt if it is free; FALSE if someone is using it. */
static gboolean
statement_take (sqlite3_stmt *stmt)
{
  gboolean taken = FALSE;

  G_LOCK (kept_statements);
  if (g_hash_table_lookup (kept_statements, stmt) == KEPT_FREE)
    {
      g_hash_table_insert (kept_statements, stmt, KEPT_TAKEN);
      taken = TRUE;
    }
  G_UNLOCK (kept_statements);
  return taken;
}

static void
statement_forget (gpointer data)
{
  G_LOCK (kept_statements);
  g_hash_table_remove (kept_statements, data);
  G_UNLOCK (kept_statements);
  sqlite3_finalize (data);
}

typedef sqlite3_stmt Statement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, statement_release)

typedef struct
{
  GRecMutex *mutex;
} Locker;

static Locker *
locker_new (GRecMutex *mutex)
{
  Locker *locker = g_new (Locker, 1);

  g_rec_mutex_lock (mutex);
  locker->mutex = mutex;
  return locker;
}

static void
locker_free (Locker *locker)
{
  g_rec_mutex_unlock (locker->mutex);
  g_free (locker);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Locker, locker_free)

/* The entities a desktop may write, as the server takes them. */
static const char *const writable_entities[] = { "ticket",
                                                 "ticket_event",
                                                 "person",
                                                 "rotation",
                                                 "rotation_member",
                                                 "rota_override",
                                                 "swap_request",
                                                 "training_record",
                                                 "training_topic",
                                                 "correction_request",
                                                 "access_request",
                                                 "article",
                                                 "article_link",
                                                 "pir",
                                                 "shift_handoff",
                                                 "change_record",
                                                 NULL };
/* Columns holding JSON, which the API sends as JSON values. */
static const char *const json_columns[]
    = { "data", "positions", "authority", "approval", "report", NULL };

void
td_outbox_command_free (TdOutboxCommand *command)
{
  if (command == NULL)
    return;
  g_free (command->id);
  g_free (command->type);
  g_free (command->entity);
  g_free (command->entity_id);
  g_clear_pointer (&command->fields, json_object_unref);
  g_clear_pointer (&command->base, json_object_unref);
  g_free (command->state);
  g_free (command->code);
  g_free (command->last_error);
  g_free (command);
}

void
td_conflict_free (TdConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->command);
  g_free (conflict->entity);
  g_free (conflict->entity_id);
  g_clear_pointer (&conflict->local, json_object_unref);
  g_clear_pointer (&conflict->remote, json_object_unref);
  g_clear_pointer (&conflict->base, json_object_unref);
  g_free (conflict);
}

/* SQLite helpers */

/* The statement for @sql, to be released with g_autoptr (Statement). One
 * still being stepped by a caller further up is left alone: that caller
 * gets a fresh statement, finalized when released. */
static sqlite3_stmt *
prepare (TdCache *self, const char *sql)
{
  sqlite3_stmt *stmt;
  gboolean      keep;

  G_LOCK (kept_statements);
  stmt = g_hash_table_lookup (self->statements, sql);
  G_UNLOCK (kept_statements);
  keep = stmt == NULL;
  if (stmt != NULL && statement_take (stmt))
    return stmt;

  stmt = NULL;
  if (sqlite3_prepare_v3 (self->db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, NULL)
      != SQLITE_OK)
    g_error ("SQL does not compile (%s): %s", sqlite3_errmsg (self->db), sql);
  if (keep)
    {
      G_LOCK (kept_statements);
      if (kept_statements == NULL)
        kept_statements = g_hash_table_new (NULL, NULL);
      g_hash_table_insert (kept_statements, stmt, KEPT_TAKEN);
      /* Two threads may have compiled the same SQL at once: the first
       * one kept stays kept, the other is a one-off. */
      if (g_hash_table_lookup (self->statements, sql) == NULL)
        g_hash_table_insert (self->statements, g_strdup (sql), stmt);
      else
        g_hash_table_remove (kept_statements, stmt);
      G_UNLOCK (kept_statements);
    }
  return stmt;
}

/* What a person can act on when the disk refuses a write; otherwise
 * SQLite's own words. */
static void
set_db_error (sqlite3 *db, GError **error, const char *message)
{
  int code = sqlite3_errcode (db);
  int system = sqlite3_system_errno (db);

  if (code == SQLITE_FULL || system == ENOSPC)
    g_set_error_literal (error, TD_CACHE_ERROR, TD_CACHE_ERROR_DISK,
                         _ ("The disk is full, so the change was not saved. Free some space and "
                            "try again; everything saved before is intact."));
  else if (code == SQLITE_READONLY || system == EROFS)
    g_set_error_literal (error, TD_CACHE_ERROR, TD_CACHE_ERROR_DISK,
                         _ ("The offline copy is on a read-only disk, so the change was not "
                            "saved."));
  else if (code == SQLITE_IOERR)
    g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_DISK,
                 _ ("The disk could not be written (%s), so the change was not saved; "
                    "everything saved before is intact."),
                 message);
  else
    g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE, "%s", message);
}

static gboolean
exec (sqlite3 *db, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      set_db_error (db, error, message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_error (sqlite3 *db, GError **error)
{
  set_db_error (db, error, sqlite3_errmsg (db));
  exec (db, "ROLLBACK", NULL);
  return FALSE;
}

/* A COMMIT the disk refused leaves the transaction open: roll it back, or
 * the next write's COMMIT would save what the user was told was not. */
static gboolean
commit (sqlite3 *db, GError **error)
{
  if (exec (db, "COMMIT", error))
    return TRUE;
  if (!sqlite3_get_autocommit (db))
    exec (db, "ROLLBACK", NULL);
  return FALSE;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root)) : NULL;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return td_json_to_string (node, FALSE);
}

static const char *const *
table_columns (TdCache *self, const char *table)
{
  GStrv columns = g_hash_table_lookup (self->columns, table);

  if (columns == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
      g_autoptr (Statement) stmt = prepare (self, sql);
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
      columns = g_strv_builder_end (builder);
      g_hash_table_insert (self->columns, g_strdup (table), columns);
    }
  return (const char *const *) columns;
}

static gboolean
is_synced_table (const char *table)
{
  return table != NULL && g_strv_contains (td_schema_get_synced_tables (), table);
}

static void
bind_node (sqlite3_stmt *stmt, int index, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, index);
  else if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *text = td_json_to_string (node, FALSE);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
    }
  else
    switch (json_node_get_value_type (node))
      {
        case G_TYPE_INT64:
          sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
          break;
        case G_TYPE_BOOLEAN:
          sqlite3_bind_int (stmt, index, json_node_get_boolean (node));
          break;
        case G_TYPE_DOUBLE:
          sqlite3_bind_double (stmt, index, json_node_get_double (node));
          break;
        default:
          sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
          break;
      }
}

/* Writes @values (column → value) into @table: inserts the row, or updates
 * only the columns given. Unknown members are ignored: a newer server may
 * send columns this cache does not have yet. */
static Upsert *
plan_upsert (const char *table, GPtrArray *names)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GString) update = g_string_new (NULL);
  Upsert *plan = g_new0 (Upsert, 1);

  g_string_append_printf (sql, "INSERT INTO %s (uuid", table);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_string_append_printf (sql, ", %s", name);
      g_string_append_printf (update, "%s%s = excluded.%s", i > 0 ? ", " : "", name, name);
    }
  g_string_append (sql, ") VALUES (?");
  for (guint i = 0; i < names->len; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  /* UPSERT, never REPLACE: REPLACE would skip the full-text triggers. */
  if (names->len > 0)
    g_string_append_printf (sql, " ON CONFLICT (uuid) DO UPDATE SET %s", update->str);
  else
    g_string_append (sql, " ON CONFLICT (uuid) DO NOTHING");

  plan->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  plan->names = g_ptr_array_ref (names);
  return plan;
}

static gboolean
upsert (TdCache *self, const char *table, const char *uuid, JsonObject *values)
{
  const char *const *columns = table_columns (self, table);
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *key = NULL;
  guint64          mask = 0;
  Upsert          *plan;

  /* Which columns @values has, as a mask: the SQL is written once per
   * table and set of columns, not once per row. */
  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_assert (i < 64);
      if (!g_str_equal (columns[i], "uuid") && json_object_has_member (values, columns[i]))
        mask |= G_GUINT64_CONSTANT (1) << i;
    }
  key = g_strdup_printf ("%s/%" G_GINT64_MODIFIER "x", table, mask);
  plan = g_hash_table_lookup (self->upserts, key);
  if (plan == NULL)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new ();

      for (guint i = 0; columns[i] != NULL; i++)
        if ((mask & (G_GUINT64_CONSTANT (1) << i)) != 0)
          g_ptr_array_add (names, (gpointer) columns[i]);
      plan = plan_upsert (table, names);
      g_hash_table_insert (self->upserts, g_steal_pointer (&key), plan);
    }

  stmt = prepare (self, plan->sql);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < plan->names->len; i++)
    bind_node (stmt, i + 2, json_object_get_member (values, g_ptr_array_index (plan->names, i)));
  return sqlite3_step (stmt) == SQLITE_DONE;
}

const char *
td_cache_row_text (JsonObject *row, const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

gint64
td_cache_row_int (JsonObject *row, const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

JsonObject *
td_cache_row_from_statement (sqlite3_stmt *stmt)
{
  JsonObject *row;

  row = json_object_new ();
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      const char *name = sqlite3_column_name (stmt, i);

      switch (sqlite3_column_type (stmt, i))
        {
          case SQLITE_INTEGER:
            json_object_set_int_member (row, name, sqlite3_column_int64 (stmt, i));
            break;
          case SQLITE_FLOAT:
            json_object_set_double_member (row, name, sqlite3_column_double (stmt, i));
            break;
          case SQLITE_NULL:
            json_object_set_null_member (row, name);
            break;
          default:
            {
              const char *text = (const char *) sqlite3_column_text (stmt, i);
              JsonObject *object
                  = g_strv_contains (json_columns, name) ? parse_object (text) : NULL;

              if (object != NULL)
                json_object_set_object_member (row, name, object);
              else
                json_object_set_string_member (row, name, text);
            }
            break;
        }
    }
  return row;
}

static JsonObject *
read_row (TdCache *self, const char *table, const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE uuid = ?", table);
  g_autoptr (Statement) stmt = prepare (self, sql);

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return td_cache_row_from_statement (stmt);
}

/* Commands still waiting (or in conflict) protect their row from a pull,
 * and an event's command protects its ticket. */
static gboolean
has_local_commands (TdCache *self, const char *uuid)
{
  g_autoptr (Statement) stmt
      = prepare (self, "SELECT 1 FROM outbox WHERE state IN ('pending', 'conflict') "
                       "AND entity_id = ?1 UNION ALL SELECT 1 FROM outbox WHERE ticket = ?1 "
                       "AND state IN ('pending', 'conflict') LIMIT 1");

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static void
note_changed (GPtrArray *changed, const char *entity, const char *uuid)
{
  if (changed != NULL)
    {
      g_ptr_array_add (changed, g_strdup (entity));
      g_ptr_array_add (changed, g_strdup (uuid));
    }
}

static JsonObject *
read_server_copy (TdCache *self, const char *entity, const char *uuid)
{
  g_autoptr (Statement) stmt
      = prepare (self, "SELECT row FROM server_copy WHERE entity = ? AND uuid = ?");

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return parse_object ((const char *) sqlite3_column_text (stmt, 0));
}

static gboolean
write_server_copy (TdCache *self, const char *entity, const char *uuid, JsonObject *row)
{
  g_autoptr (Statement) stmt
      = prepare (self, "INSERT INTO server_copy (entity, uuid, row) VALUES (?, ?, ?) "
                       "ON CONFLICT (entity, uuid) DO UPDATE SET row = excluded.row");
  g_autofree char *text = object_to_string (row);

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
forget_server_copy (TdCache *self, const char *entity, const char *uuid)
{
  g_autoptr (Statement) stmt
      = prepare (self, "DELETE FROM server_copy WHERE entity = ? AND uuid = ?");

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

/* Before the first local edit of a row, what the cache holds is the
 * server's copy: keep it, to fall back on if the server refuses the edit. */
static gboolean
remember_server_copy (TdCache *self, const char *entity, const char *uuid)
{
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) existing = read_server_copy (self, entity, uuid);

  if (existing != NULL || has_local_commands (self, uuid))
    return TRUE;
  row = read_row (self, entity, uuid);
  return row == NULL || write_server_copy (self, entity, uuid, row);
}

static gboolean
delete_row (TdCache *self, const char *entity, const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE uuid = ?", entity);
  g_autoptr (Statement) stmt = prepare (self, sql);

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static void
merge_into (JsonObject *target, JsonObject *changes)
{
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (target, name, json_node_copy (value));
}

/* Works out the row the user sees: the server's copy with the effects of
 * the commands the server has not yet decided replayed over it, oldest
 * first. Refused or discarded commands are not replayed, which is how
 * their effects are undone. */
static gboolean
rebuild_row (TdCache *self, const char *entity, const char *uuid, GPtrArray *changed)
{
  g_autoptr (Statement) stmt
      = prepare (self, "SELECT entity, entity_id, effects FROM outbox WHERE state IN ('pending', "
                       "'conflict') AND ((entity = ?1 AND entity_id = ?2) OR (?1 = 'ticket' AND "
                       "ticket = ?2)) ORDER BY seq");
  g_autoptr (JsonObject) row = read_server_copy (self, entity, uuid);
  gboolean commands = FALSE;
  gboolean exists = row != NULL;

  if (row == NULL)
    row = json_object_new ();
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) effects = parse_object ((const char *) sqlite3_column_text (stmt, 2));
      gboolean own = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), entity) == 0
                     && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), uuid) == 0;
      JsonObject *part = NULL;

      commands = TRUE;
      if (effects != NULL && json_object_has_member (effects, own ? "row" : "ticket"))
        part = json_object_get_object_member (effects, own ? "row" : "ticket");
      if (part == NULL)
        continue;
      /* A row created here exists once its create is replayed. */
      if (own && json_object_get_boolean_member_with_default (effects, "creates", FALSE))
        exists = TRUE;
      merge_into (row, part);
    }

  note_changed (changed, entity, uuid);
  if (!commands && !forget_server_copy (self, entity, uuid))
    return FALSE;
  if (!delete_row (self, entity, uuid))
    return FALSE;
  /* Nothing the server holds and nothing left to create it: the row goes.
   * A tombstone with no local command left removes the row too. */
  if (!exists || (!commands && json_object_get_int_member_with_default (row, "deleted", 0) != 0))
    return TRUE;
  json_object_remove_member (row, "uuid");
  return upsert (self, entity, uuid, row);
}

static gboolean
queue_command (TdCache    *self,
               const char *type,
               const char *entity,
               const char *entity_id,
               gint64      base_rev,
               JsonObject *fields,
               JsonObject *base,
               JsonObject *effects)
{
  g_autoptr (Statement) stmt = prepare (
      self, "INSERT INTO outbox (command, type, entity, entity_id, base_rev, fields, base, "
            "created_at, effects, ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *fields_text = object_to_string (fields);
  g_autofree char *base_text = object_to_string (base);
  g_autofree char *effects_text = object_to_string (effects);
  const char      *ticket = NULL;

  if (g_str_equal (type, "append") && fields != NULL)
    ticket = json_object_get_string_member_with_default (fields, "ticket", NULL);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, base_rev);
  sqlite3_bind_text (stmt, 6, fields_text != NULL ? fields_text : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, base_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, td_time_now ());
  sqlite3_bind_text (stmt, 9, effects_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, ticket, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
check_entity (const char *entity, GError **error)
{
  if (entity != NULL && g_strv_contains (writable_entities, entity))
    return TRUE;
  g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_INVALID,
               "unknown entity \"%s\" (expected ticket, ticket_event, person, rotation, "
               "rotation_member, rota_override, swap_request, training_record, "
               "training_topic, correction_request, access_request, article, article_link, pir, "
               "shift_handoff or change_record)",
               entity != NULL ? entity : "");
  return FALSE;
}

/* Opening */

static void
fts_live_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  sqlite3_result_int (context, *(int *) sqlite3_user_data (context));
}

TdCache *
td_cache_open (const char *path, GError **error)
{
  TdCache *self;
  sqlite3 *db = NULL;
  int     *fts_live;

  g_return_val_if_fail (path != NULL, NULL);

  if (sqlite3_open_v2 (path, &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE, "%s: %s", path,
                   sqlite3_errmsg (db));
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 10000);
  /* WAL so the UI can read while a sync writes; FULL so an edit the user saw
   * saved is on disk before the UI says so. */
  if (!exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", error)
      || !td_schema_migrate (db, TD_SCHEMA_CLIENT, error))
    {
      sqlite3_close_v2 (db);
      return NULL;
    }

  /* After td_schema_migrate (), whose own td_fts_live () always answers
   * TRUE: this one is the cache's switch. Owned by the connection. */
  fts_live = g_new (int, 1);
  *fts_live = TRUE;
  if (sqlite3_create_function_v2 (db, "td_fts_live", 0, SQLITE_UTF8, fts_live, fts_live_function,
                                  NULL, NULL, g_free)
      != SQLITE_OK)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_SQLITE, "%s: %s", path,
                   sqlite3_errmsg (db));
      sqlite3_close_v2 (db);
      return NULL;
    }

  self = g_object_new (TD_TYPE_CACHE, NULL);
  self->db = db;
  self->fts_live = fts_live;
  self->path = g_strdup (path);
  return self;
}

const char *
td_cache_get_path (TdCache *self)
{
  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  return self->path;
}

void
td_cache_set_policy (TdCache *self, TdPolicy *policy)
{
  g_return_if_fail (TD_IS_CACHE (self));
  g_set_object (&self->policy, policy);
}

/* Local edits */

/* What the server will work out, worked out now so the desktop shows it
 * offline; the server's answer replaces it. */
static void
fill_ticket_defaults (TdCache *self, JsonObject *row)
{
  const char *impact = json_object_get_string_member_with_default (row, "impact", NULL);
  const char *urgency = json_object_get_string_member_with_default (row, "urgency", NULL);

  json_object_set_int_member (row, "tier", 1);
  json_object_set_string_member (row, "status", "new");
  json_object_set_int_member (row, "created_at", td_time_now ());
  json_object_set_int_member (row, "tier_entered_at", td_time_now ());
  if (self->policy != NULL && impact != NULL && urgency != NULL)
    {
      const TdTriageRule *rule = td_triage (self->policy, impact, urgency, NULL);

      if (rule != NULL)
        {
          json_object_set_string_member (row, "priority", rule->priority);
          if (!json_object_has_member (row, "severity"))
            json_object_set_string_member (row, "severity", rule->severity);
        }
    }
}

/* What a command did to the cache, to replay over the server's copy. */
static JsonObject *
make_effects (JsonObject *row, JsonObject *ticket, gboolean creates)
{
  JsonObject *effects = json_object_new ();

  if (row != NULL)
    json_object_set_object_member (effects, "row", json_object_ref (row));
  if (ticket != NULL)
    json_object_set_object_member (effects, "ticket", json_object_ref (ticket));
  if (creates)
    json_object_set_boolean_member (effects, "creates", TRUE);
  return effects;
}

static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject    *copy = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (copy, name, json_node_copy (value));
  return copy;
}

char *
td_cache_create (TdCache *self, const char *entity, JsonObject *fields, GError **error)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) effects = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if (!check_entity (entity, error))
    return NULL;
  if (g_str_equal (entity, "ticket_event"))
    {
      g_set_error_literal (error, TD_CACHE_ERROR, TD_CACHE_ERROR_INVALID,
                           "events are appended with td_cache_append_event");
      return NULL;
    }

  row = copy_object (fields);
  if (g_str_equal (entity, "ticket"))
    fill_ticket_defaults (self, row);

  effects = make_effects (row, NULL, TRUE);

  locker = locker_new (&self->lock);
  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!upsert (self, entity, uuid, row)
      || !queue_command (self, "create", entity, uuid, 0, fields, NULL, effects))
    {
      sqlite_error (self->db, error);
      return NULL;
    }
  if (!commit (self->db, error))
    return NULL;
  return g_steal_pointer (&uuid);
}

gboolean
td_cache_update (TdCache    *self,
                 const char *entity,
                 const char *uuid,
                 JsonObject *fields,
                 GError    **error)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (JsonObject) current = NULL;
  g_autoptr (JsonObject) base = json_object_new ();
  g_autoptr (JsonObject) effects = NULL;
  JsonObjectIter iter;
  const char    *name;

  g_return_val_if_fail (TD_IS_CACHE (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  if (!check_entity (entity, error))
    return FALSE;

  locker = locker_new (&self->lock);
  current = read_row (self, entity, uuid);
  if (current == NULL)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND, "no %s %s", entity, uuid);
      return FALSE;
    }

  /* The edited fields' values before the edit: what the server had, as far
   * as this desktop knows, for the three-way merge of a conflict. */
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      JsonNode *before = json_object_get_member (current, name);
      json_object_set_member (
          base, name, before != NULL ? json_node_copy (before) : json_node_new (JSON_NODE_NULL));
    }

  effects = make_effects (fields, NULL, FALSE);
  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!remember_server_copy (self, entity, uuid) || !upsert (self, entity, uuid, fields)
      || !queue_command (self, "update", entity, uuid,
                         json_object_get_int_member_with_default (current, "rev", 0), fields, base,
                         effects))
    return sqlite_error (self->db, error);
  return commit (self->db, error);
}

gboolean
td_cache_delete (TdCache *self, const char *entity, const char *uuid, GError **error)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (JsonObject) current = NULL;
  g_autoptr (JsonObject) deleted = json_object_new ();
  g_autoptr (JsonObject) effects = NULL;

  g_return_val_if_fail (TD_IS_CACHE (self), FALSE);

  if (!check_entity (entity, error))
    return FALSE;

  locker = locker_new (&self->lock);
  current = read_row (self, entity, uuid);
  if (current == NULL)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND, "no %s %s", entity, uuid);
      return FALSE;
    }

  json_object_set_int_member (deleted, "deleted", 1);
  effects = make_effects (deleted, NULL, FALSE);
  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!remember_server_copy (self, entity, uuid) || !upsert (self, entity, uuid, deleted)
      || !queue_command (self, "delete", entity, uuid,
                         json_object_get_int_member_with_default (current, "rev", 0), NULL, NULL,
                         effects))
    return sqlite_error (self->db, error);
  return commit (self->db, error);
}

/* What an event does to its ticket, shown at once; the server checks it. */
static void
event_effects (JsonObject *ticket_changes,
               const char *kind,
               JsonObject *data,
               gint64      first_response_at)
{
  gint64 now = td_time_now ();

  if (g_str_equal (kind, "update"))
    {
      /* As the server does: the first update is the response too. */
      json_object_set_int_member (ticket_changes, "last_update_at", now);
      if (first_response_at == 0)
        json_object_set_int_member (ticket_changes, "first_response_at", now);
    }
  else if (g_str_equal (kind, "status") && data != NULL)
    {
      const char *status = json_object_get_string_member_with_default (data, "status", "");

      if (g_str_equal (status, "reopened"))
        status = "in_progress";
      json_object_set_string_member (ticket_changes, "status", status);
      if (g_str_equal (status, "in_progress") && first_response_at == 0)
        json_object_set_int_member (ticket_changes, "first_response_at", now);
      if (g_str_equal (status, "resolved"))
        json_object_set_int_member (ticket_changes, "resolved_at", now);
      else if (g_str_equal (status, "closed"))
        json_object_set_int_member (ticket_changes, "closed_at", now);
    }
  else if (g_str_equal (kind, "assign") && data != NULL)
    {
      JsonNode *owner = json_object_get_member (data, "owner");
      json_object_set_member (ticket_changes, "owner",
                              owner != NULL ? json_node_copy (owner)
                                            : json_node_new (JSON_NODE_NULL));
    }
  else if (g_str_equal (kind, "escalate") && data != NULL
           && json_object_has_member (data, "to_tier"))
    {
      json_object_set_int_member (ticket_changes, "tier",
                                  json_object_get_int_member (data, "to_tier"));
      json_object_set_int_member (ticket_changes, "tier_entered_at", now);
    }
}

char *
td_cache_append_event (TdCache    *self,
                       const char *ticket,
                       const char *kind,
                       const char *body,
                       JsonObject *data,
                       GError    **error)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) ticket_row = NULL;
  g_autoptr (JsonObject) ticket_changes = json_object_new ();
  g_autoptr (JsonObject) effects = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  json_object_set_string_member (fields, "ticket", ticket);
  json_object_set_string_member (fields, "kind", kind);
  if (body != NULL)
    json_object_set_string_member (fields, "body", body);
  if (data != NULL)
    json_object_set_object_member (fields, "data", json_object_ref (data));

  locker = locker_new (&self->lock);
  ticket_row = read_row (self, "ticket", ticket);
  if (ticket_row == NULL)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND, "no ticket %s", ticket);
      return NULL;
    }

  row = copy_object (fields);
  json_object_set_int_member (row, "at", td_time_now ());
  event_effects (ticket_changes, kind, data,
                 json_object_get_int_member_with_default (ticket_row, "first_response_at", 0));
  effects = make_effects (row, ticket_changes, TRUE);

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!remember_server_copy (self, "ticket", ticket) || !upsert (self, "ticket_event", uuid, row)
      || (json_object_get_size (ticket_changes) > 0
          && !upsert (self, "ticket", ticket, ticket_changes))
      || !queue_command (self, "append", "ticket_event", uuid, 0, fields, NULL, effects))
    {
      sqlite_error (self->db, error);
      return NULL;
    }
  if (!commit (self->db, error))
    return NULL;
  return g_steal_pointer (&uuid);
}

JsonObject *
td_cache_get_row (TdCache *self, const char *entity, const char *uuid)
{
  g_autoptr (Locker) locker = NULL;

  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  if (!is_synced_table (entity))
    return NULL;
  locker = locker_new (&self->lock);
  return read_row (self, entity, uuid);
}

GPtrArray *
td_cache_list (TdCache    *self,
               const char *entity,
               const char *column,
               const char *value,
               const char *order_by)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (Statement) stmt = NULL;
  GPtrArray         *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  const char *const *columns;

  g_return_val_if_fail (TD_IS_CACHE (self), rows);
  if (!is_synced_table (entity))
    return rows;
  locker = locker_new (&self->lock);
  columns = table_columns (self, entity);
  /* Names go into the SQL text, so only this table's own columns do. */
  if ((column != NULL && !g_strv_contains (columns, column))
      || (order_by != NULL && !g_strv_contains (columns, order_by)))
    return rows;

  g_string_append_printf (sql, "SELECT uuid FROM %s WHERE deleted = 0", entity);
  if (column != NULL)
    g_string_append_printf (sql, " AND %s = ?1", column);
  g_string_append_printf (sql, " ORDER BY %s, uuid", order_by != NULL ? order_by : "rowid");
  stmt = prepare (self, sql->str);
  if (column != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *row = read_row (self, entity, (const char *) sqlite3_column_text (stmt, 0));

      if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  return rows;
}

static GPtrArray *
match_articles (TdCache *self, const char *query, const char *kind, guint limit)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  locker = locker_new (&self->lock);
  /* Best match first (bm25 weighs a word in the title most); without
   * words, every article by title. */
  if (query != NULL)
    stmt = prepare (self, "SELECT a.uuid FROM article_fts f JOIN article a ON a.rowid = f.rowid "
                          "WHERE article_fts MATCH ?1 AND a.deleted = 0 "
                          "AND (?2 IS NULL OR a.kind = ?2) "
                          "ORDER BY bm25 (article_fts, 10.0, 1.0, 2.0, 5.0), a.title LIMIT ?3");
  else
    stmt = prepare (self, "SELECT uuid FROM article WHERE deleted = 0 "
                          "AND (?2 IS NULL OR kind = ?2) "
                          "ORDER BY title COLLATE NOCASE, uuid LIMIT ?3");
  if (query != NULL)
    sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *row = read_row (self, "article", (const char *) sqlite3_column_text (stmt, 0));

      if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  return rows;
}

GPtrArray *
td_cache_search_articles (TdCache *self, const char *text, const char *kind, guint limit)
{
  g_autofree char *query = td_knowledge_fts_query (text);

  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  return match_articles (self, query, kind, limit);
}

GPtrArray *
td_cache_suggest_articles (TdCache *self, const char *text, guint limit)
{
  g_autofree char *query = td_knowledge_fts_query_any (text);

  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  if (query == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return match_articles (self, query, NULL, limit);
}

gint64
td_cache_count (TdCache *self, const char *entity)
{
  g_autoptr (Locker) locker = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (Statement) stmt = NULL;

  g_return_val_if_fail (TD_IS_CACHE (self), 0);
  if (!is_synced_table (entity))
    return 0;
  locker = locker_new (&self->lock);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM %s WHERE deleted = 0", entity);
  stmt = prepare (self, sql);
  sqlite3_step (stmt);
  return sqlite3_column_int64 (stmt, 0);
}

/* The outbox */

static TdOutboxCommand *
command_from_row (sqlite3_stmt *stmt)
{
  TdOutboxCommand *command = g_new0 (TdOutboxCommand, 1);

  command->seq = sqlite3_column_int64 (stmt, 0);
  command->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  command->type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  command->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  command->entity_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  command->base_rev = sqlite3_column_int64 (stmt, 5);
  command->fields = parse_object ((const char *) sqlite3_column_text (stmt, 6));
  command->base = parse_object ((const char *) sqlite3_column_text (stmt, 7));
  command->state = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  command->code = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  command->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  command->created_at = sqlite3_column_int64 (stmt, 11);
  return command;
}

#define COMMAND_COLUMNS                                                                      \
  "seq, command, type, entity, entity_id, base_rev, fields, base, state, code, last_error, " \
  "created_at"

static GPtrArray *
list_commands (TdCache *self, const char *state, guint limit)
{
  g_autoptr (Locker) locker = locker_new (&self->lock);
  g_autoptr (Statement) stmt = prepare (self, "SELECT " COMMAND_COLUMNS
                                              " FROM outbox WHERE state = ? ORDER BY seq LIMIT ?");
  GPtrArray *commands = g_ptr_array_new_with_free_func ((GDestroyNotify) td_outbox_command_free);

  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : G_MAXINT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (commands, command_from_row (stmt));
  return commands;
}

GPtrArray *
td_cache_pending (TdCache *self, guint limit)
{
  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  return list_commands (self, "pending", limit);
}

GPtrArray *
td_cache_list_rejected (TdCache *self)
{
  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  return list_commands (self, "rejected", 0);
}

guint
td_cache_count_pending (TdCache *self)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;

  g_return_val_if_fail (TD_IS_CACHE (self), 0);
  locker = locker_new (&self->lock);
  stmt = prepare (self, "SELECT COUNT (*) FROM outbox WHERE state = 'pending'");
  sqlite3_step (stmt);
  return sqlite3_column_int (stmt, 0);
}

GPtrArray *
td_cache_list_conflicts (TdCache *self)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  GPtrArray *conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) td_conflict_free);

  g_return_val_if_fail (TD_IS_CACHE (self), conflicts);
  locker = locker_new (&self->lock);
  stmt = prepare (self, "SELECT id, command, entity, entity_id, local, remote, base "
                        "FROM conflict ORDER BY id");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TdConflict *conflict = g_new0 (TdConflict, 1);

      conflict->id = sqlite3_column_int64 (stmt, 0);
      conflict->command = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      conflict->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      conflict->entity_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      conflict->local = parse_object ((const char *) sqlite3_column_text (stmt, 4));
      conflict->remote = parse_object ((const char *) sqlite3_column_text (stmt, 5));
      conflict->base = parse_object ((const char *) sqlite3_column_text (stmt, 6));
      g_ptr_array_add (conflicts, conflict);
    }
  return conflicts;
}

static TdOutboxCommand *
find_command (TdCache *self, const char *id)
{
  g_autoptr (Statement) stmt
      = prepare (self, "SELECT " COMMAND_COLUMNS " FROM outbox WHERE command = ?");

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return command_from_row (stmt);
}

/* Takes the server's copy of a row. While local commands still wait on
 * it, the row the user sees is left alone (the push's answer brings the
 * server's row with the edit applied) and the copy is kept aside, to fall
 * back on if the server refuses those commands. */
static gboolean
accept_server_row (TdCache *self, const char *entity, JsonObject *row, GPtrArray *changed)
{
  const char *uuid = json_object_get_string_member_with_default (row, "uuid", NULL);

  if (uuid == NULL || !is_synced_table (entity))
    return TRUE;
  if (!self->page_outbox_idle && has_local_commands (self, uuid))
    return write_server_copy (self, entity, uuid, row);
  if (!self->page_no_server_copies && !forget_server_copy (self, entity, uuid))
    return FALSE;
  if (json_object_get_int_member_with_default (row, "deleted", 0) != 0)
    {
      /* A tombstone removes the row: the user must not see it any more. */
      if (!delete_row (self, entity, uuid))
        return FALSE;
    }
  else if (!upsert (self, entity, uuid, row))
    return FALSE;
  note_changed (changed, entity, uuid);
  return TRUE;
}

/* After a command leaves the queue undecided by an applied row (refused,
 * discarded, or its conflict settled), the rows it touched are worked out
 * again without it. */
static gboolean
rebuild_command_rows (TdCache *self, TdOutboxCommand *command, GPtrArray *changed)
{
  const char *ticket = NULL;

  if (g_str_equal (command->type, "append") && command->fields != NULL)
    ticket = json_object_get_string_member_with_default (command->fields, "ticket", NULL);
  if (!rebuild_row (self, command->entity, command->entity_id, changed))
    return FALSE;
  return ticket == NULL || rebuild_row (self, "ticket", ticket, changed);
}

static gboolean
set_command_state (TdCache    *self,
                   const char *id,
                   const char *state,
                   const char *code,
                   const char *reason)
{
  g_autoptr (Statement) stmt = prepare (
      self, "UPDATE outbox SET state = ?, code = ?, last_error = ?, attempts = attempts + 1, "
            "done_at = CASE WHEN ? = 'done' THEN ? ELSE done_at END WHERE command = ?");

  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, td_time_now ());
  sqlite3_bind_text (stmt, 6, id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
nodes_equal (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null == b_null;
  return json_node_equal (a, b);
}

/* A stale update: merge field by field. The server changed a field if its
 * value differs from the base the edit started from; if it changed none of
 * the fields the user edited (or changed them to what the user wrote), the
 * edit is re-based on the server's row and sent again. Otherwise both
 * versions are kept for the user to decide. */
static gboolean
handle_conflict (TdCache *self, TdOutboxCommand *command, JsonObject *current, GPtrArray *changed)
{
  g_autoptr (JsonObject) new_base = json_object_new ();
  gboolean       overlap = FALSE;
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  /* The server's row as it is now, for the fields nobody edited here. */
  if (current == NULL || !write_server_copy (self, command->entity, command->entity_id, current))
    return FALSE;

  if (command->fields != NULL)
    {
      json_object_iter_init (&iter, command->fields);
      while (json_object_iter_next (&iter, &name, &value))
        {
          JsonNode *server = json_object_get_member (current, name);
          JsonNode *before
              = command->base != NULL ? json_object_get_member (command->base, name) : NULL;

          if (!nodes_equal (server, before) && !nodes_equal (server, value))
            overlap = TRUE;
          json_object_set_member (new_base, name,
                                  server != NULL ? json_node_copy (server)
                                                 : json_node_new (JSON_NODE_NULL));
        }
    }

  if (!overlap)
    {
      g_autoptr (Statement) rebase
          = prepare (self, "UPDATE outbox SET base_rev = ?, base = ? WHERE command = ?");
      g_autofree char *base_text = object_to_string (new_base);

      sqlite3_bind_int64 (rebase, 1, json_object_get_int_member_with_default (current, "rev", 0));
      sqlite3_bind_text (rebase, 2, base_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (rebase, 3, command->id, -1, SQLITE_STATIC);
      return sqlite3_step (rebase) == SQLITE_DONE;
    }

  {
    g_autoptr (Statement) insert
        = prepare (self, "INSERT INTO conflict (command, entity, entity_id, local, remote, base, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    g_autofree char *local = object_to_string (command->fields);
    g_autofree char *remote = object_to_string (current);
    g_autofree char *base = object_to_string (command->base);

    sqlite3_bind_text (insert, 1, command->id, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert, 2, command->entity, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert, 3, command->entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert, 4, local, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert, 5, remote, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert, 6, base, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert, 7, td_time_now ());
    if (sqlite3_step (insert) != SQLITE_DONE)
      return FALSE;
  }
  note_changed (changed, command->entity, command->entity_id);
  return set_command_state (self, command->id, "conflict", "conflict",
                            "changed on the server as well; choose which version to keep");
}

gboolean
td_cache_apply_result (TdCache *self, JsonObject *result, GPtrArray *changed, GError **error)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (TdOutboxCommand) command = NULL;
  const char *id = json_object_get_string_member_with_default (result, "id", NULL);
  const char *status = json_object_get_string_member_with_default (result, "status", "");
  gboolean    ok = TRUE;

  g_return_val_if_fail (TD_IS_CACHE (self), FALSE);

  locker = locker_new (&self->lock);
  command = id != NULL ? find_command (self, id) : NULL;
  if (command == NULL)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND,
                   "the server answered for a command this cache does not have (%s)",
                   id != NULL ? id : "no id");
      return FALSE;
    }

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* A duplicate carries the first answer: treat it as that answer. */
  if (g_str_equal (status, "duplicate") && json_object_has_member (result, "first"))
    {
      result = json_object_get_object_member (result, "first");
      status = json_object_get_string_member_with_default (result, "status", "");
    }

  if (g_str_equal (status, "applied"))
    {
      ok = set_command_state (self, command->id, "done", NULL, NULL);
      if (ok && json_object_has_member (result, "row"))
        ok = accept_server_row (self, command->entity,
                                json_object_get_object_member (result, "row"), changed);
      if (ok && json_object_has_member (result, "ticket"))
        ok = accept_server_row (self, "ticket", json_object_get_object_member (result, "ticket"),
                                changed);
    }
  else if (g_str_equal (status, "conflict"))
    ok = handle_conflict (self, command, json_object_get_object_member (result, "current"),
                          changed);
  else if (g_str_equal (status, "rejected"))
    {
      /* Kept, with the server's reason, until the user deals with it. */
      ok = set_command_state (self, command->id, "rejected",
                              json_object_get_string_member_with_default (result, "code", NULL),
                              json_object_get_string_member_with_default (result, "reason", NULL))
           && rebuild_command_rows (self, command, changed);
    }
  else
    {
      exec (self->db, "ROLLBACK", NULL);
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_INVALID,
                   "the server answered \"%s\" for command %s", status, command->id);
      return FALSE;
    }

  if (!ok)
    return sqlite_error (self->db, error);
  return commit (self->db, error);
}

gboolean
td_cache_resolve_conflict (TdCache *self, gint64 conflict_id, gboolean keep_local, GError **error)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (Statement) find = NULL;
  g_autoptr (TdOutboxCommand) command = NULL;
  g_autoptr (JsonObject) remote = NULL;
  g_autofree char *command_id = NULL;
  gboolean         ok;

  g_return_val_if_fail (TD_IS_CACHE (self), FALSE);
  locker = locker_new (&self->lock);

  find = prepare (self, "SELECT command, remote FROM conflict WHERE id = ?");
  sqlite3_bind_int64 (find, 1, conflict_id);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND, "no conflict %" G_GINT64_FORMAT,
                   conflict_id);
      return FALSE;
    }
  command_id = g_strdup ((const char *) sqlite3_column_text (find, 0));
  remote = parse_object ((const char *) sqlite3_column_text (find, 1));
  command = find_command (self, command_id);

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  {
    g_autoptr (Statement) drop = prepare (self, "DELETE FROM conflict WHERE id = ?");
    sqlite3_bind_int64 (drop, 1, conflict_id);
    ok = sqlite3_step (drop) == SQLITE_DONE;
  }

  if (ok && command != NULL && keep_local)
    {
      /* The user's version wins: the same edit, based on the server's row. */
      g_autoptr (Statement) requeue
          = prepare (self, "UPDATE outbox SET state = 'pending', code = NULL, last_error = NULL, "
                           "base_rev = ? WHERE command = ?");

      sqlite3_bind_int64 (requeue, 1, json_object_get_int_member_with_default (remote, "rev", 0));
      sqlite3_bind_text (requeue, 2, command_id, -1, SQLITE_STATIC);
      ok = sqlite3_step (requeue) == SQLITE_DONE;
    }
  else if (ok && command != NULL)
    {
      /* The server's version wins: drop the edit, show the server's row. */
      g_autoptr (Statement) drop = prepare (self, "DELETE FROM outbox WHERE command = ?");

      sqlite3_bind_text (drop, 1, command_id, -1, SQLITE_STATIC);
      ok = sqlite3_step (drop) == SQLITE_DONE
           && (remote == NULL || accept_server_row (self, command->entity, remote, NULL));
    }

  if (!ok)
    return sqlite_error (self->db, error);
  return commit (self->db, error);
}

gboolean
td_cache_discard_rejected (TdCache *self, const char *command_id, GError **error)
{
  g_autoptr (Locker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;

  g_return_val_if_fail (TD_IS_CACHE (self), FALSE);
  locker = locker_new (&self->lock);
  stmt = prepare (self, "DELETE FROM outbox WHERE command = ? AND state = 'rejected'");
  sqlite3_bind_text (stmt, 1, command_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE || sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TD_CACHE_ERROR, TD_CACHE_ERROR_NOT_FOUND, "no rejected command %s",
                   command_id);
      return FALSE;
    }
  return TRUE;
}

/* The change feed */

static char *
state_get (TdCache *self, const char *key)
{
  g_autoptr (Statement) stmt = prepare (self, "SELECT value FROM sync_state WHERE key = ?");

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gboolean
state_set (TdCache *self, const char *key, const char *value)
{
  g_autoptr (Statement) stmt
      = prepare (self, "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

char *
td_cache_dup_cursor (TdCache *self)
{
  g_autoptr (Locker) locker = NULL;
  char *cursor;

  g_return_val_if_fail (TD_IS_CACHE (self), NULL);
  locker = locker_new (&self->lock);
  cursor = state_get (self, "cursor");
  return cursor != NULL ? cursor : g_strdup ("0");
}

/* The uuids of the page's ticket rows as a JSON array, or NULL. */
static char *
page_tickets (JsonArray *changes)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  guint n = 0;

  json_builder_begin_array (builder);
  for (guint i = 0; changes != NULL && i < json_array_get_length (changes); i++)
    {
      JsonObject *row = json_array_get_object_element (changes, i);
      const char *uuid;

      if (row == NULL
          || g_strcmp0 (json_object_get_string_member_with_default (row, "entity", NULL), "ticket")
                 != 0
          || (uuid = json_object_get_string_member_with_default (row, "uuid", NULL)) == NULL)
        continue;
      json_builder_add_string_value (builder, uuid);
      n++;
    }
  json_builder_end_array (builder);
  if (n == 0)
    return NULL;
  root = json_builder_get_root (builder);
  return td_json_to_string (root, FALSE);
}

/* Takes the tickets in @uuids (a JSON array) out of the full-text index
 * as they are now, or puts them in (@add). */
static gboolean
index_tickets (TdCache *self, const char *uuids, gboolean add)
{
  g_autoptr (Statement) stmt = prepare (
      self, add ? "INSERT INTO ticket_fts (rowid, title, description, affected_user_id) "
                  "SELECT rowid, title, description, affected_user_id FROM ticket "
                  "WHERE uuid IN (SELECT value FROM json_each (?1))"
                : "INSERT INTO ticket_fts (ticket_fts, rowid, title, description, "
                  "affected_user_id) SELECT 'delete', rowid, title, description, "
                  "affected_user_id FROM ticket WHERE uuid IN (SELECT value FROM json_each (?1))");

  sqlite3_bind_text (stmt, 1, uuids, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean apply_page_locked (TdCache    *self,
                                   JsonArray  *changes,
                                   const char *cursor,
                                   GPtrArray  *changed,
                                   GError    **error);

gboolean
td_cache_apply_page (TdCache    *self,
                     JsonArray  *changes,
                     const char *cursor,
                     GPtrArray  *changed,
                     GError    **error)
{
  g_autoptr (Locker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (TD_IS_CACHE (self), FALSE);

  locker = locker_new (&self->lock);
  /* A page need not reach the disk before the next one is asked for: its
   * cursor commits with it, so a page lost to a power cut is pulled again.
   * NORMAL skips the fsync of each page's commit (WAL still keeps the
   * file consistent); an edit the user makes always commits FULL. */
  if (!exec (self->db, "PRAGMA synchronous = NORMAL", error))
    return FALSE;
  ok = apply_page_locked (self, changes, cursor, changed, error);
  exec (self->db, "PRAGMA synchronous = FULL", NULL);
  return ok;
}

static gboolean
apply_page_locked (TdCache    *self,
                   JsonArray  *changes,
                   const char *cursor,
                   GPtrArray  *changed,
                   GError    **error)
{
  g_autofree char *tickets = NULL;

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  {
    g_autoptr (Statement) busy = prepare (
        self, "SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ('pending', 'conflict'))");
    g_autoptr (Statement) copies = prepare (self, "SELECT EXISTS (SELECT 1 FROM server_copy)");

    self->page_outbox_idle = sqlite3_step (busy) == SQLITE_ROW && sqlite3_column_int (busy, 0) == 0;
    self->page_no_server_copies
        = sqlite3_step (copies) == SQLITE_ROW && sqlite3_column_int (copies, 0) == 0;
  }
  /* The page's tickets leave the full-text index before they are written
   * and come back after, two statements for the page (see
   * TdCache.fts_live). */
  tickets = page_tickets (changes);
  if (tickets != NULL && !index_tickets (self, tickets, FALSE))
    return sqlite_error (self->db, error);
  *self->fts_live = FALSE;
  for (guint i = 0; changes != NULL && i < json_array_get_length (changes); i++)
    {
      JsonObject *row = json_array_get_object_element (changes, i);
      const char *entity = json_object_get_string_member_with_default (row, "entity", NULL);

      if (row == NULL || !accept_server_row (self, entity, row, changed))
        {
          self->page_outbox_idle = self->page_no_server_copies = FALSE;
          *self->fts_live = TRUE;
          return sqlite_error (self->db, error);
        }
    }
  self->page_outbox_idle = self->page_no_server_copies = FALSE;
  *self->fts_live = TRUE;
  if (tickets != NULL && !index_tickets (self, tickets, TRUE))
    return sqlite_error (self->db, error);
  /* The cursor moves with the rows, in the same transaction: a crash
   * before COMMIT means the page is pulled again, never skipped. */
  if (cursor != NULL && !state_set (self, "cursor", cursor))
    return sqlite_error (self->db, error);
  return commit (self->db, error);
}

gboolean
td_cache_reset_for_resync (TdCache *self, GError **error)
{
  const char *const *tables = td_schema_get_synced_tables ();
  g_autoptr (Locker) locker = NULL;

  g_return_val_if_fail (TD_IS_CACHE (self), FALSE);
  locker = locker_new (&self->lock);

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf (
          "DELETE FROM %s WHERE uuid NOT IN (SELECT entity_id FROM outbox WHERE state IN "
          "('pending', 'conflict', 'done')) AND uuid NOT IN (SELECT ticket FROM outbox WHERE "
          "state IN ('pending', 'conflict', 'done') AND ticket IS NOT NULL)",
          tables[i]);

      if (!exec (self->db, sql, error))
        {
          exec (self->db, "ROLLBACK", NULL);
          return FALSE;
        }
    }
  /* Everything applied lately goes again: the server answers "duplicate"
   * for what it still has, and applies what the restore lost. */
  if (!exec (self->db,
             "UPDATE outbox SET state = 'pending' WHERE state = 'done';"
             "DELETE FROM sync_state WHERE key = 'cursor';",
             error))
    {
      exec (self->db, "ROLLBACK", NULL);
      return FALSE;
    }
  return commit (self->db, error);
}

gint64
td_cache_get_last_sync (TdCache *self)
{
  g_autoptr (Locker) locker = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (TD_IS_CACHE (self), 0);
  locker = locker_new (&self->lock);
  value = state_get (self, "last_sync");
  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

void
td_cache_set_last_sync (TdCache *self, gint64 when)
{
  g_autoptr (Locker) locker = NULL;
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, when);
  g_autoptr (Statement) purge = NULL;

  g_return_if_fail (TD_IS_CACHE (self));
  locker = locker_new (&self->lock);
  state_set (self, "last_sync", value);
  purge = prepare (self, "DELETE FROM outbox WHERE state = 'done' AND done_at < ?");
  sqlite3_bind_int64 (purge, 1, when - TD_CACHE_DONE_RETENTION);
  sqlite3_step (purge);
}

/* GObject */

static void
td_cache_finalize (GObject *object)
{
  TdCache *self = (TdCache *) object;

  g_clear_pointer (&self->columns, g_hash_table_unref);
  /* Before closing: a connection with statements left open stays open. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->upserts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->policy);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (td_cache_parent_class)->finalize (object);
}

static void
td_cache_class_init (TdCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_cache_finalize;
}

static void
td_cache_init (TdCache *self)
{
  g_rec_mutex_init (&self->lock);
  self->columns
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_forget);
  self->upserts
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) upsert_free);
}
