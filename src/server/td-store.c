/* td-store.c — tierdeskd's SQLite store: accounts, tokens, commands, the change feed
 *
 * Every write goes through one function per kind of command, inside one
 * transaction that also bumps the global revision, remembers the command id
 * and appends to the audit log: either all of it happens or none of it.
 * Rules come from core (triage, escalation, permissions), never the client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "td-access.h"
#include "td-auth.h"
#include "td-change.h"
#include "td-correction.h"
#include "td-escalation.h"
#include "td-json-guard.h"
#include "td-json-reader.h"
#include "td-knowledge.h"
#include "td-pir.h"
#include "td-rota-store.h"
#include "td-schema.h"
#include "td-store.h"
#include "td-time.h"
#include "td-training.h"
#include "td-triage.h"

struct _TdStore
{
  GObject parent_instance;

  /* One connection, used by one thread at a time: SQLite serialises
   * writers anyway, and a store this size answers reads in microseconds. */
  GMutex    lock;
  sqlite3  *db;
  char     *path;
  TdPolicy *policy;
};

G_DEFINE_FINAL_TYPE (TdStore, td_store, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (td-store-error-quark, td_store_error)
/* clang-format on */

typedef enum
{
  FIELD_TEXT,
  FIELD_INT,
  FIELD_INSTANT,
  FIELD_DATE,
  FIELD_JSON,
  /* A JSON array of strings (rotation.positions). */
  FIELD_STRINGS,
  /* Any JSON array (pir.actions); its handler checks the elements. */
  FIELD_ARRAY,
} FieldType;

typedef struct
{
  const char *name;
  FieldType   type;
  gboolean    on_create;
  gboolean    on_update;
} FieldSpec;

typedef struct
{
  const char      *name;
  const FieldSpec *fields;
  /* What each command type needs from the policy's permissions. */
  const char *create_action;
  const char *update_action;
  const char *delete_action;
  gboolean    append_only;
} EntitySpec;

static const FieldSpec ticket_fields[] = { { "title", FIELD_TEXT, TRUE, TRUE },
                                           { "description", FIELD_TEXT, TRUE, TRUE },
                                           { "affected_user_id", FIELD_TEXT, TRUE, TRUE },
                                           { "contact", FIELD_TEXT, TRUE, TRUE },
                                           { "steps_to_reproduce", FIELD_TEXT, TRUE, TRUE },
                                           { "error_message", FIELD_TEXT, TRUE, TRUE },
                                           { "impact", FIELD_TEXT, TRUE, TRUE },
                                           { "urgency", FIELD_TEXT, TRUE, TRUE },
                                           { "browser_device", FIELD_TEXT, TRUE, TRUE },
                                           { "occurred_at", FIELD_INSTANT, TRUE, TRUE },
                                           { "issue_type", FIELD_TEXT, TRUE, TRUE },
                                           { "severity", FIELD_TEXT, TRUE, TRUE },
                                           { "owner", FIELD_TEXT, TRUE, FALSE },
                                           { NULL } };

static const FieldSpec ticket_event_fields[] = { { "ticket", FIELD_TEXT, TRUE, FALSE },
                                                 { "kind", FIELD_TEXT, TRUE, FALSE },
                                                 { "body", FIELD_TEXT, TRUE, FALSE },
                                                 { "data", FIELD_JSON, TRUE, FALSE },
                                                 { NULL } };

static const FieldSpec person_fields[] = { { "name", FIELD_TEXT, TRUE, TRUE },
                                           { "role", FIELD_TEXT, TRUE, TRUE },
                                           { "tier", FIELD_INT, TRUE, TRUE },
                                           { "sub_team", FIELD_TEXT, TRUE, TRUE },
                                           { "email", FIELD_TEXT, TRUE, TRUE },
                                           { "phone", FIELD_TEXT, TRUE, TRUE },
                                           { "time_zone", FIELD_TEXT, TRUE, TRUE },
                                           { "shift", FIELD_TEXT, TRUE, TRUE },
                                           { "start_date", FIELD_DATE, TRUE, TRUE },
                                           { "engage_when", FIELD_TEXT, TRUE, TRUE },
                                           { NULL } };

/* Rotas [4.7, 5.7]: policy_id, tier, rotation, position and week say what
 * a row is, so they are set once; everything else may change. */
static const FieldSpec rotation_fields[] = { { "name", FIELD_TEXT, TRUE, TRUE },
                                             { "policy_id", FIELD_TEXT, TRUE, FALSE },
                                             { "tier", FIELD_INT, TRUE, FALSE },
                                             { "time_zone", FIELD_TEXT, TRUE, TRUE },
                                             { "start_date", FIELD_DATE, TRUE, TRUE },
                                             { "handoff_time", FIELD_TEXT, TRUE, TRUE },
                                             { "weeks", FIELD_INT, TRUE, TRUE },
                                             { "positions", FIELD_STRINGS, TRUE, TRUE },
                                             { "shift_days", FIELD_INT, TRUE, TRUE },
                                             { "handoff_weekday", FIELD_INT, TRUE, TRUE },
                                             { NULL } };

static const FieldSpec rotation_member_fields[] = { { "rotation", FIELD_TEXT, TRUE, FALSE },
                                                    { "position", FIELD_TEXT, TRUE, FALSE },
                                                    { "week", FIELD_INT, TRUE, FALSE },
                                                    { "person", FIELD_TEXT, TRUE, TRUE },
                                                    { NULL } };

static const FieldSpec rota_override_fields[]
    = { { "rotation", FIELD_TEXT, TRUE, FALSE },    { "position", FIELD_TEXT, TRUE, FALSE },
        { "person", FIELD_TEXT, TRUE, TRUE },       { "replaces", FIELD_TEXT, TRUE, FALSE },
        { "starts_at", FIELD_INSTANT, TRUE, TRUE }, { "ends_at", FIELD_INSTANT, TRUE, TRUE },
        { "reason", FIELD_TEXT, TRUE, TRUE },       { NULL } };

/* A swap is offered with a create and decided with an update of status:
 * the server checks who may decide and turns an acceptance into overrides. */
static const FieldSpec swap_request_fields[] = { { "rotation", FIELD_TEXT, TRUE, FALSE },
                                                 { "position", FIELD_TEXT, TRUE, FALSE },
                                                 { "requester", FIELD_TEXT, TRUE, FALSE },
                                                 { "counterpart", FIELD_TEXT, TRUE, FALSE },
                                                 { "give_starts_at", FIELD_INSTANT, TRUE, FALSE },
                                                 { "give_ends_at", FIELD_INSTANT, TRUE, FALSE },
                                                 { "take_starts_at", FIELD_INSTANT, TRUE, FALSE },
                                                 { "take_ends_at", FIELD_INSTANT, TRUE, FALSE },
                                                 { "note", FIELD_TEXT, TRUE, TRUE },
                                                 { "status", FIELD_TEXT, FALSE, TRUE },
                                                 { NULL } };

/* Training [11]: who completed which topic, on which day, for how long and
 * with which trainer; the person is set once. signed_off_by is a trainer
 * vouching for the record: only as themselves, stamped with server time. */
static const FieldSpec training_record_fields[]
    = { { "person", FIELD_TEXT, TRUE, FALSE },       { "topic", FIELD_TEXT, TRUE, TRUE },
        { "completed_on", FIELD_DATE, TRUE, TRUE },  { "minutes", FIELD_INT, TRUE, TRUE },
        { "trainer", FIELD_TEXT, TRUE, TRUE },       { "notes", FIELD_TEXT, TRUE, TRUE },
        { "signed_off_by", FIELD_TEXT, TRUE, TRUE }, { NULL } };

/* A trainer's edit of one curriculum topic; topic_id says which. */
static const FieldSpec training_topic_fields[] = { { "topic_id", FIELD_TEXT, TRUE, FALSE },
                                                   { "tier", FIELD_INT, TRUE, TRUE },
                                                   { "topic", FIELD_TEXT, TRUE, TRUE },
                                                   { "minutes", FIELD_INT, TRUE, TRUE },
                                                   { "frequency", FIELD_TEXT, TRUE, TRUE },
                                                   { "retired", FIELD_INT, TRUE, TRUE },
                                                   { NULL } };

/* Approvals [4.5, 9.2]: filed with a create, decided with an update of
 * status (and decision_note); the server fills in the routing. */
static const FieldSpec correction_request_fields[] = {
  { "ticket", FIELD_TEXT, TRUE, FALSE },           { "correction_type", FIELD_TEXT, TRUE, FALSE },
  { "affected_user_id", FIELD_TEXT, TRUE, FALSE }, { "description", FIELD_TEXT, TRUE, FALSE },
  { "evidence", FIELD_TEXT, TRUE, FALSE },         { "status", FIELD_TEXT, FALSE, TRUE },
  { "decision_note", FIELD_TEXT, FALSE, TRUE },    { NULL }
};

static const FieldSpec access_request_fields[] = { { "person", FIELD_TEXT, TRUE, FALSE },
                                                   { "tool", FIELD_TEXT, TRUE, FALSE },
                                                   { "level", FIELD_TEXT, TRUE, FALSE },
                                                   { "reason", FIELD_TEXT, TRUE, FALSE },
                                                   { "status", FIELD_TEXT, FALSE, TRUE },
                                                   { "decision_note", FIELD_TEXT, FALSE, TRUE },
                                                   { NULL } };

/* The knowledge base and post-incident reviews [3.3, 9.1, 10.2]. An
 * article's author and times, a link's creator and a review's timeline and
 * due time are the server's. Reviews are made by the server when a SEV-1/2
 * ticket is resolved, so clients only update them. */
static const FieldSpec article_fields[] = { { "title", FIELD_TEXT, TRUE, TRUE },
                                            { "kind", FIELD_TEXT, TRUE, TRUE },
                                            { "status", FIELD_TEXT, TRUE, TRUE },
                                            { "body", FIELD_TEXT, TRUE, TRUE },
                                            { "workaround", FIELD_TEXT, TRUE, TRUE },
                                            { "tags", FIELD_STRINGS, TRUE, TRUE },
                                            { "tiers", FIELD_ARRAY, TRUE, TRUE },
                                            { "reviewed_on", FIELD_DATE, TRUE, TRUE },
                                            { NULL } };

static const FieldSpec article_link_fields[]
    = { { "article", FIELD_TEXT, TRUE, FALSE }, { "ticket", FIELD_TEXT, TRUE, FALSE }, { NULL } };

static const FieldSpec pir_fields[] = {
  { "status", FIELD_TEXT, FALSE, TRUE },     { "scheduled_at", FIELD_INSTANT, FALSE, TRUE },
  { "held_at", FIELD_INSTANT, FALSE, TRUE }, { "participants", FIELD_ARRAY, FALSE, TRUE },
  { "root_cause", FIELD_TEXT, FALSE, TRUE }, { "contributing_factors", FIELD_TEXT, FALSE, TRUE },
  { "actions", FIELD_ARRAY, FALSE, TRUE },   { NULL }
};
/* A shift handoff [8.3] is written once by the outgoing lead; its one
 * update is the incoming lead's acknowledgement, which the server checks
 * and stamps. Handoffs are records: nobody deletes them. */
static const FieldSpec shift_handoff_fields[] = { { "tier", FIELD_INT, TRUE, FALSE },
                                                  { "shift", FIELD_TEXT, TRUE, FALSE },
                                                  { "period_start", FIELD_INSTANT, TRUE, FALSE },
                                                  { "period_end", FIELD_INSTANT, TRUE, FALSE },
                                                  { "report", FIELD_JSON, TRUE, FALSE },
                                                  { "notes", FIELD_TEXT, TRUE, FALSE },
                                                  { "handed_to", FIELD_TEXT, TRUE, FALSE },
                                                  { "acknowledged_by", FIELD_TEXT, FALSE, TRUE },
                                                  { NULL } };

/* A production change [10.1]: anyone who makes changes records one and
 * its outcome; author and created_at are the server's. */
static const FieldSpec change_record_fields[] = { { "title", FIELD_TEXT, TRUE, TRUE },
                                                  { "kind", FIELD_TEXT, TRUE, TRUE },
                                                  { "tier", FIELD_INT, TRUE, TRUE },
                                                  { "status", FIELD_TEXT, TRUE, TRUE },
                                                  { "ticket", FIELD_TEXT, TRUE, TRUE },
                                                  { "implementer", FIELD_TEXT, TRUE, TRUE },
                                                  { "planned_for", FIELD_INSTANT, TRUE, TRUE },
                                                  { "performed_at", FIELD_INSTANT, TRUE, TRUE },
                                                  { "description", FIELD_TEXT, TRUE, TRUE },
                                                  { "rollback_plan", FIELD_TEXT, TRUE, TRUE },
                                                  { "outcome_note", FIELD_TEXT, TRUE, TRUE },
                                                  { NULL } };

static const EntitySpec entities[] = {
  { "ticket", ticket_fields, "ticket.create", "ticket.update", "ticket.delete", FALSE },
  { "ticket_event", ticket_event_fields, NULL, NULL, NULL, TRUE },
  { "person", person_fields, "person.write", "person.write", "person.write", FALSE },
  { "rotation", rotation_fields, "rota.write", "rota.write", "rota.write", FALSE },
  { "rotation_member", rotation_member_fields, "rota.write", "rota.write", "rota.write", FALSE },
  { "rota_override", rota_override_fields, "rota.write", "rota.write", "rota.write", FALSE },
  /* Offering and deciding need no permission of the policy: anyone may
   * offer their own shift, and only the counterpart (or a rota planner)
   * decides. Deleting one is planning. */
  { "swap_request", swap_request_fields, NULL, NULL, "rota.write", FALSE },
  { "training_record", training_record_fields, "training.write", "training.write", "training.write",
    FALSE },
  { "training_topic", training_topic_fields, "training.write", "training.write", "training.write",
    FALSE },
  /* Filing needs correction.request or access.request; deciding is for
   * the approver the request was routed to, which no permission names.
   * A decision is a record: nobody deletes one. */
  { "correction_request", correction_request_fields, "correction.request", NULL, NULL, FALSE },
  { "access_request", access_request_fields, "access.request", NULL, NULL, FALSE },
  /* Publishing is checked by the handler: it depends on the status. */
  { "article", article_fields, "knowledge.write", "knowledge.write", "knowledge.publish", FALSE },
  { "article_link", article_link_fields, "knowledge.write", NULL, "knowledge.write", FALSE },
  { "pir", pir_fields, NULL, "pir.write", "pir.write", FALSE },
  { "shift_handoff", shift_handoff_fields, "handoff.write", "handoff.write", NULL, FALSE },
  { "change_record", change_record_fields, "change.write", "change.write", "change.delete", FALSE },
};

/* Account */

void
td_account_free (TdAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->username);
  g_free (account->role);
  g_free (account->person);
  g_free (account);
}

JsonNode *
td_account_to_json (const TdAccount *account)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, account->username);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, account->role);
  json_builder_set_member_name (builder, "person");
  if (account->person != NULL)
    json_builder_add_string_value (builder, account->person);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "disabled");
  json_builder_add_boolean_value (builder, account->disabled);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* SQLite helpers */

static gboolean
set_sqlite_error (sqlite3 *db, GError **error, const char *what)
{
  g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_SQLITE, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

/* A write the database refused, as the API says it: 503, with what went
 * wrong in words an operator acts on (a full disk is not "busy"). */
static TdApiError *
store_write_error (sqlite3 *db, const char *what)
{
  int         code = sqlite3_extended_errcode (db) & 0xff;
  const char *kind = code == SQLITE_FULL       ? "storage_full"
                     : code == SQLITE_READONLY ? "storage_read_only"
                     : code == SQLITE_IOERR    ? "storage_error"
                                               : "busy";
  const char *why = code == SQLITE_FULL       ? "the server's disk is full"
                    : code == SQLITE_READONLY ? "the server's database is read-only"
                    : code == SQLITE_IOERR    ? "the server could not write to its disk"
                                              : "the store is busy";

  return td_api_error_new (503, kind, NULL, "%s (%s): %s; nothing of it was kept, retry later", why,
                           sqlite3_errmsg (db), what);
}

static gboolean
exec (sqlite3 *db, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_SQLITE, "%s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("SQL does not compile (%s): %s", sqlite3_errmsg (db), sql);
  return stmt;
}

typedef sqlite3_stmt Statement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, sqlite3_finalize)

static gint64
meta_get_int (sqlite3 *db, const char *key)
{
  g_autoptr (Statement) stmt = prepare (db, "SELECT value FROM meta WHERE key = ?");

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static char *
meta_get_text (sqlite3 *db, const char *key)
{
  g_autoptr (Statement) stmt = prepare (db, "SELECT value FROM meta WHERE key = ?");

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
meta_set_int (sqlite3 *db, const char *key, gint64 value)
{
  g_autoptr (Statement) stmt
      = prepare (db, "INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  sqlite3_step (stmt);
}

/* The next global revision; only called inside a write transaction. */
static gint64
next_rev (sqlite3 *db)
{
  gint64 rev = meta_get_int (db, "head_rev") + 1;

  meta_set_int (db, "head_rev", rev);
  return rev;
}

static const char *const json_columns[]
    = { "data",         "positions", "authority", "approval", "tags", "tiers",
        "participants", "timeline",  "actions",   "report",   NULL };

static void
add_column (JsonBuilder *builder, sqlite3_stmt *stmt, int column)
{
  json_builder_set_member_name (builder, sqlite3_column_name (stmt, column));
  switch (sqlite3_column_type (stmt, column))
    {
      case SQLITE_INTEGER:
        json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, column));
        break;
      case SQLITE_FLOAT:
        json_builder_add_double_value (builder, sqlite3_column_double (stmt, column));
        break;
      case SQLITE_NULL:
        json_builder_add_null_value (builder);
        break;
      default:
        {
          const char *name = sqlite3_column_name (stmt, column);
          const char *text = (const char *) sqlite3_column_text (stmt, column);
          g_autoptr (JsonParser) parser = NULL;

          /* Columns that hold JSON go out as JSON, not as a string of it. */
          if (g_strv_contains (json_columns, name))
            {
              parser = json_parser_new_immutable ();
              if (json_parser_load_from_data (parser, text, -1, NULL))
                {
                  json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
                  break;
                }
            }
          json_builder_add_string_value (builder, text);
        }
        break;
    }
}

/* The current row as JSON, with its entity name, or NULL. */
static JsonNode *
row_to_json (sqlite3_stmt *stmt, const char *entity)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (entity != NULL)
    {
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, entity);
    }
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    add_column (builder, stmt, i);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
read_row (sqlite3 *db, const char *table, const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE uuid = ?", table);
  g_autoptr (Statement) stmt = prepare (db, sql);

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return row_to_json (stmt, NULL);
}

static char *
node_to_string (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  return td_json_to_string (node, FALSE);
}

static gboolean
audit (sqlite3    *db,
       gint64      now,
       const char *actor,
       const char *action,
       const char *entity,
       const char *entity_id,
       JsonNode   *before,
       JsonNode   *after)
{
  g_autoptr (Statement) stmt
      = prepare (db, "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)");
  g_autofree char *before_text = node_to_string (before);
  g_autofree char *after_text = node_to_string (after);

  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, before_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, after_text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_warning ("could not append to the audit log: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

/* Opening */

static gboolean
configure (sqlite3 *db, GError **error)
{
  sqlite3_busy_timeout (db, 10000);
  /* WAL: readers never block the writer, and a crash loses no committed
   * transaction. synchronous=FULL because an acknowledged command must
   * survive a power cut: clients drop it from their outbox once we say so. */
  return exec (db,
               "PRAGMA journal_mode = WAL;"
               "PRAGMA synchronous = FULL;"
               "PRAGMA foreign_keys = ON;",
               error);
}

static TdPolicy *
load_current_policy (sqlite3 *db, GError **error)
{
  g_autoptr (Statement) stmt = prepare (
      db, "SELECT json FROM policy_version WHERE deleted = 0 ORDER BY version DESC LIMIT 1");

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_POLICY,
                           "the database holds no policy (was it made with tierdeskd init?)");
      return NULL;
    }
  return td_policy_new_from_data ((const char *) sqlite3_column_text (stmt, 0), -1, error);
}

static TdStore *
store_new (sqlite3 *db, const char *path, TdPolicy *policy)
{
  TdStore *self = g_object_new (TD_TYPE_STORE, NULL);

  self->db = db;
  self->path = g_strdup (path);
  self->policy = g_object_ref (policy);
  return self;
}

static void
close_db (sqlite3 *db)
{
  if (db != NULL)
    sqlite3_close_v2 (db);
}

TdStore *
td_store_open (const char *path, GError **error)
{
  sqlite3 *db = NULL;
  g_autoptr (TdPolicy) policy = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_FOUND,
                   "%s does not exist (create it with tierdeskd init)", path);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (db, error, path);
      close_db (db);
      return NULL;
    }
  if (!configure (db, error) || !td_schema_migrate (db, TD_SCHEMA_SERVER, error)
      || (policy = load_current_policy (db, error)) == NULL)
    {
      close_db (db);
      return NULL;
    }
  return store_new (db, path, policy);
}

static gboolean
insert_policy_version (sqlite3    *db,
                       const char *json,
                       const char *actor,
                       gint64      now,
                       gint64     *version_out)
{
  g_autoptr (Statement) version_stmt
      = prepare (db, "SELECT COALESCE (MAX (version), 0) + 1 FROM policy_version");
  g_autoptr (Statement) stmt
      = prepare (db, "INSERT INTO policy_version (uuid, rev, version, json, created_at, author) "
                     "VALUES (?, ?, ?, ?, ?, ?)");
  g_autofree char *uuid = g_uuid_string_random ();
  gint64           version;

  sqlite3_step (version_stmt);
  version = sqlite3_column_int64 (version_stmt, 0);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_rev (db));
  sqlite3_bind_int64 (stmt, 3, version);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, actor, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return FALSE;
  if (version_out != NULL)
    *version_out = version;
  return TRUE;
}

static gboolean
insert_account (sqlite3    *db,
                const char *username,
                const char *password,
                const char *role,
                gint64      now,
                GError    **error)
{
  g_autofree char *hash = td_auth_hash_password (password, error);
  g_autoptr (Statement) stmt = NULL;

  if (hash == NULL)
    return FALSE;
  stmt = prepare (db, "INSERT INTO account (username, password_hash, role, created_at) "
                      "VALUES (?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_EXISTS,
                     "an account named \"%s\" already exists", username);
      else
        set_sqlite_error (db, error, "could not add the account");
      return FALSE;
    }
  return TRUE;
}

static gboolean
valid_username (const char *username, GError **error)
{
  if (username == NULL || username[0] == '\0' || strlen (username) > 64)
    {
      g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_INVALID,
                           "a username has 1 to 64 characters");
      return FALSE;
    }
  for (const char *p = username; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-@", *p) == NULL)
      {
        g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_INVALID,
                     "a username may only use letters, digits and . _ - @ (\"%s\")", username);
        return FALSE;
      }
  return TRUE;
}

TdStore *
td_store_create (const char *path,
                 const char *policy_json,
                 const char *admin,
                 const char *admin_password,
                 GError    **error)
{
  sqlite3 *db = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  g_autoptr (GError) local_error = NULL;
  gint64 now = td_time_now ();

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (policy_json != NULL, NULL);

  /* Never overwrite: an operator who types the wrong path must not lose
   * the organisation's tickets. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_EXISTS,
                   "%s already exists; tierdeskd init never overwrites a database", path);
      return NULL;
    }
  if (!valid_username (admin, error))
    return NULL;
  policy = td_policy_new_from_data (policy_json, -1, error);
  if (policy == NULL)
    return NULL;
  if (td_policy_get_role (policy, "administrator") == NULL)
    {
      g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_POLICY,
                           "the policy has no \"administrator\" role for the first account");
      return NULL;
    }

  if (sqlite3_open_v2 (path, &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE
                           | SQLITE_OPEN_FULLMUTEX,
                       NULL)
      != SQLITE_OK)
    {
      set_sqlite_error (db, error, path);
      close_db (db);
      return NULL;
    }

  if (!configure (db, error) || !td_schema_migrate (db, TD_SCHEMA_SERVER, error)
      || !exec (db, "BEGIN IMMEDIATE", error))
    goto failed;

  if (!insert_policy_version (db, policy_json, admin, now, NULL)
      || !insert_account (db, admin, admin_password, "administrator", now, &local_error))
    {
      exec (db, "ROLLBACK", NULL);
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_sqlite_error (db, error, "could not initialise the database");
      goto failed;
    }
  audit (db, now, admin, "init", "account", admin, NULL, NULL);
  if (!exec (db, "COMMIT", error))
    goto failed;

  return store_new (db, path, policy);

failed:
  close_db (db);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  return NULL;
}

const char *
td_store_get_path (TdStore *self)
{
  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  return self->path;
}

char *
td_store_dup_epoch (TdStore *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);
  return meta_get_text (self->db, "epoch");
}

gint64
td_store_get_head (TdStore *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  return meta_get_int (self->db, "head_rev");
}

sqlite3 *
td_store_get_db (TdStore *self)
{
  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  return self->db;
}

TdPolicy *
td_store_get_policy (TdStore *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);
  return g_object_ref (self->policy);
}

JsonNode *
td_store_get_policy_json (TdStore *self)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self->db, "SELECT version, json, created_at, author FROM policy_version "
                            "WHERE deleted = 0 ORDER BY version DESC LIMIT 1");
  if (sqlite3_step (stmt) != SQLITE_ROW
      || !json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 1), -1,
                                      NULL))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 2));
  json_builder_set_member_name (builder, "author");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 3));
  json_builder_set_member_name (builder, "policy");
  json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
td_store_set_policy (TdStore     *self,
                     const char  *json,
                     const char  *actor,
                     gint64      *version,
                     TdApiError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (TdPolicy) policy = NULL;
  gint64 now = td_time_now ();

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  policy = td_policy_load (json, -1, &problems);
  if (policy == NULL)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      const char      *first = problems->len > 0 ? g_ptr_array_index (problems, 0) : "";
      g_autofree char *field = g_strndup (first, strcspn (first, ":"));

      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                                (const char *) g_ptr_array_index (problems, i));
      *error = td_api_error_new (400, "invalid_policy", field, "%s", text->str);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (!exec (self->db, "BEGIN IMMEDIATE", NULL))
    {
      *error = store_write_error (self->db, "the policy");
      return FALSE;
    }
  if (!insert_policy_version (self->db, json, actor, now, version))
    {
      *error = store_write_error (self->db, "the policy");
      exec (self->db, "ROLLBACK", NULL);
      return FALSE;
    }
  audit (self->db, now, actor, "set policy", "policy_version", NULL, NULL, NULL);
  if (!exec (self->db, "COMMIT", NULL))
    {
      *error = store_write_error (self->db, "the policy");
      exec (self->db, "ROLLBACK", NULL);
      return FALSE;
    }
  g_set_object (&self->policy, policy);
  return TRUE;
}

/* Accounts */

static TdAccount *
account_from_row (sqlite3_stmt *stmt)
{
  TdAccount *account = g_new0 (TdAccount, 1);

  account->id = sqlite3_column_int64 (stmt, 0);
  account->username = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  account->role = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  account->person = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  account->disabled = sqlite3_column_int (stmt, 4);
  account->created_at = sqlite3_column_int64 (stmt, 5);
  return account;
}

#define ACCOUNT_COLUMNS "id, username, role, person, disabled, created_at"

gboolean
td_store_add_account (TdStore    *self,
                      const char *username,
                      const char *password,
                      const char *role,
                      const char *actor,
                      GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  if (!valid_username (username, error))
    return FALSE;
  if (td_policy_get_role (self->policy, role) == NULL)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_INVALID,
                   "unknown role \"%s\" (the policy's roles are listed by 'tierdeskd policy "
                   "export')",
                   role != NULL ? role : "");
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (!insert_account (self->db, username, password, role, td_time_now (), error))
    return FALSE;
  audit (self->db, td_time_now (), actor, "add account", "account", username, NULL, NULL);
  return TRUE;
}

/* Ends every session of @username at once. */
static void
revoke_tokens (sqlite3 *db, const char *username)
{
  g_autoptr (Statement) revoke = prepare (db, "UPDATE token SET revoked = 1 WHERE account = "
                                              "(SELECT id FROM account WHERE username = ?)");

  sqlite3_bind_text (revoke, 1, username, -1, SQLITE_STATIC);
  sqlite3_step (revoke);
}

gboolean
td_store_set_disabled (TdStore    *self,
                       const char *username,
                       gboolean    disabled,
                       const char *actor,
                       GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self->db, "UPDATE account SET disabled = ? WHERE username = ?");
  sqlite3_bind_int (stmt, 1, disabled);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_FOUND, "no account named \"%s\"",
                   username);
      return FALSE;
    }
  /* Disabling someone ends their sessions now, not when tokens expire. */
  if (disabled)
    revoke_tokens (self->db, username);
  audit (self->db, td_time_now (), actor, disabled ? "disable account" : "enable account",
         "account", username, NULL, NULL);
  return TRUE;
}

gboolean
td_store_set_password (TdStore    *self,
                       const char *username,
                       const char *password,
                       const char *actor,
                       GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *hash = td_auth_hash_password (password, error);

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);
  if (hash == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self->db, "UPDATE account SET password_hash = ? WHERE username = ?");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_FOUND, "no account named \"%s\"",
                   username);
      return FALSE;
    }
  revoke_tokens (self->db, username);
  audit (self->db, td_time_now (), actor, "set password", "account", username, NULL, NULL);
  return TRUE;
}

GPtrArray *
td_store_list_accounts (TdStore *self)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  GPtrArray *accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) td_account_free);

  g_return_val_if_fail (TD_IS_STORE (self), accounts);
  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self->db, "SELECT " ACCOUNT_COLUMNS " FROM account ORDER BY username");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  return accounts;
}

/* Sessions */

/* A hash to verify against when the user does not exist, so that the time a
 * failed login takes does not say whether the name is right. */
static const char *
dummy_hash (void)
{
  static gsize hash;

  if (g_once_init_enter (&hash))
    g_once_init_leave (&hash, (gsize) td_auth_hash_password ("not a real password", NULL));
  return (const char *) hash;
}

char *
td_store_login (TdStore     *self,
                const char  *username,
                const char  *password,
                gint64       now,
                gint64      *expires_at,
                TdAccount  **account_out,
                TdApiError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) failures = NULL;
  g_autoptr (Statement) lookup = NULL;
  g_autoptr (TdAccount) account = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  gint64           oldest = 0;
  int              n_failures = 0;
  gboolean         ok;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);

  failures = prepare (self->db, "SELECT COUNT (*), MIN (at) FROM login_attempt "
                                "WHERE username = ? AND at > ?");
  sqlite3_bind_text (failures, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (failures, 2, now - TD_STORE_LOGIN_WINDOW);
  if (sqlite3_step (failures) == SQLITE_ROW)
    {
      n_failures = sqlite3_column_int (failures, 0);
      oldest = sqlite3_column_int64 (failures, 1);
    }
  if (n_failures >= TD_STORE_LOGIN_LIMIT)
    {
      *error
          = td_api_error_new (429, "too_many_requests", NULL,
                              "too many failed logins for \"%s\"; try again in a minute", username);
      (*error)->retry_after = (int) MAX (1, oldest + TD_STORE_LOGIN_WINDOW - now + 1);
      return NULL;
    }

  lookup = prepare (self->db, "SELECT " ACCOUNT_COLUMNS ", password_hash FROM account "
                              "WHERE username = ?");
  sqlite3_bind_text (lookup, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (lookup) == SQLITE_ROW)
    {
      account = account_from_row (lookup);
      hash = g_strdup ((const char *) sqlite3_column_text (lookup, 6));
    }

  ok = td_auth_verify_password (hash != NULL ? hash : dummy_hash (), password);
  if (!ok || account == NULL || account->disabled)
    {
      g_autoptr (Statement) record
          = prepare (self->db, "INSERT INTO login_attempt (username, at) VALUES (?, ?)");

      sqlite3_bind_text (record, 1, username, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (record, 2, now);
      sqlite3_step (record);
      /* One message for all three, so a caller cannot probe for names. */
      *error = td_api_error_new (401, "unauthorized", NULL,
                                 "wrong username or password, or the account is disabled");
      return NULL;
    }

  token = td_auth_new_token ();
  token_hash = td_auth_hash_token (token);
  {
    g_autoptr (Statement) insert = prepare (
        self->db, "INSERT INTO token (hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)");

    sqlite3_bind_text (insert, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert, 2, account->id);
    sqlite3_bind_int64 (insert, 3, now);
    sqlite3_bind_int64 (insert, 4, now + TD_AUTH_TOKEN_LIFETIME);
    /* A token the server did not keep would fail every request after. */
    if (sqlite3_step (insert) != SQLITE_DONE)
      {
        *error = store_write_error (self->db, "the login");
        return NULL;
      }
  }
  audit (self->db, now, account->username, "login", "account", account->username, NULL, NULL);

  *expires_at = now + TD_AUTH_TOKEN_LIFETIME;
  *account_out = g_steal_pointer (&account);
  return g_steal_pointer (&token);
}

TdAccount *
td_store_authenticate (TdStore *self, const char *token, gint64 now)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  if (token == NULL)
    return NULL;

  hash = td_auth_hash_token (token);
  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self->db, "SELECT a.id, a.username, a.role, a.person, a.disabled, a.created_at "
                            "FROM token t JOIN account a ON a.id = t.account "
                            "WHERE t.hash = ? AND t.revoked = 0 AND t.expires_at > ? "
                            "AND a.disabled = 0");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return account_from_row (stmt);
}

void
td_store_logout (TdStore *self, const char *token, const char *actor)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *hash = NULL;

  g_return_if_fail (TD_IS_STORE (self));

  hash = td_auth_hash_token (token);
  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self->db, "UPDATE token SET revoked = 1 WHERE hash = ?");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  audit (self->db, td_time_now (), actor, "logout", "account", actor, NULL, NULL);
}

/* The change feed */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* "EPOCH:REV", or "0" for a client that has nothing yet. */
static gboolean
parse_cursor (const char *since, char **epoch, gint64 *rev)
{
  const char *colon;
  char       *end = NULL;

  if (since == NULL || g_str_equal (since, "0") || since[0] == '\0')
    {
      *epoch = NULL;
      *rev = 0;
      return TRUE;
    }
  colon = strrchr (since, ':');
  if (colon == NULL || colon == since)
    return FALSE;
  *rev = g_ascii_strtoll (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || *rev < 0)
    return FALSE;
  *epoch = g_strndup (since, colon - since);
  return TRUE;
}

JsonNode *
td_store_open_snapshot (TdStore *self)
{
  static const char *const queries[][2] = {
    { "person", "SELECT * FROM person WHERE deleted = 0" },
    { "ticket", "SELECT * FROM ticket WHERE deleted = 0 AND status NOT IN ('resolved', 'closed')" },
  };
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = prepare (self->db, queries[q][1]);

      while (sqlite3_step (stmt) == SQLITE_ROW)
        json_builder_add_value (builder, row_to_json (stmt, queries[q][0]));
      sqlite3_finalize (stmt);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "epoch");
  {
    g_autofree char *epoch = meta_get_text (self->db, "epoch");
    json_builder_add_string_value (builder, epoch);
  }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
td_store_changes (TdStore *self, const char *since, guint limit, TdApiError **error)
{
  const char *const *tables = td_schema_get_synced_tables ();
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) statements = g_ptr_array_new_with_free_func (finalize_statement);
  g_autofree char *cursor_epoch = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *next = NULL;
  gboolean        *has_row;
  gint64           since_rev = 0;
  gint64           head;
  gint64           horizon;
  gint64           last = 0;
  guint            n = 0;
  gboolean         more = FALSE;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  if (!parse_cursor (since, &cursor_epoch, &since_rev))
    {
      *error = td_api_error_new (400, "bad_request", "since",
                                 "cannot parse the cursor \"%s\" (expected EPOCH:REV or 0)", since);
      return NULL;
    }
  limit = CLAMP (limit, 1, TD_STORE_MAX_PAGE);

  locker = g_mutex_locker_new (&self->lock);
  epoch = meta_get_text (self->db, "epoch");
  head = meta_get_int (self->db, "head_rev");
  horizon = meta_get_int (self->db, "tombstone_horizon");

  /* A cursor from another history (a restore, a re-init) or from the
   * future cannot be trusted: the client must start again from 0. */
  if ((cursor_epoch != NULL && !g_str_equal (cursor_epoch, epoch)) || since_rev > head)
    {
      *error = td_api_error_new (409, "resync_required", "since",
                                 "the cursor \"%s\" belongs to another history of this server "
                                 "(epoch %s, head %" G_GINT64_FORMAT "); sync again from 0",
                                 since, epoch, head);
      return NULL;
    }
  if (since_rev > 0 && since_rev < horizon)
    {
      *error = td_api_error_new (410, "cursor_expired", "since",
                                 "deletions before revision %" G_GINT64_FORMAT
                                 " are forgotten; sync again from 0",
                                 horizon);
      return NULL;
    }

  /* Merge the tables' rows in revision order: each table is read in rev
   * order from its index, and the smallest head wins each round. */
  for (guint t = 0; tables[t] != NULL; t++)
    {
      g_autofree char *sql
          = g_strdup_printf ("SELECT * FROM %s WHERE rev > ? ORDER BY rev LIMIT ?", tables[t]);
      sqlite3_stmt *stmt = prepare (self->db, sql);

      sqlite3_bind_int64 (stmt, 1, since_rev);
      sqlite3_bind_int (stmt, 2, limit + 1);
      g_ptr_array_add (statements, stmt);
    }
  has_row = g_newa (gboolean, statements->len);
  for (guint t = 0; t < statements->len; t++)
    has_row[t] = sqlite3_step (g_ptr_array_index (statements, t)) == SQLITE_ROW;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (;;)
    {
      int    best = -1;
      gint64 best_rev = G_MAXINT64;

      for (guint t = 0; t < statements->len; t++)
        {
          sqlite3_stmt *stmt = g_ptr_array_index (statements, t);
          gint64        rev;

          if (!has_row[t])
            continue;
          rev = sqlite3_column_int64 (stmt, 1);
          if (rev < best_rev)
            {
              best_rev = rev;
              best = t;
            }
        }
      if (best < 0)
        break;
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      {
        sqlite3_stmt *stmt = g_ptr_array_index (statements, best);
        json_builder_add_value (builder, row_to_json (stmt, tables[best]));
        last = best_rev;
        n++;
        has_row[best] = sqlite3_step (stmt) == SQLITE_ROW;
      }
    }
  json_builder_end_array (builder);

  /* An empty page keeps the cursor where it was. */
  next = g_strdup_printf ("%s:%" G_GINT64_FORMAT, epoch, n > 0 ? last : since_rev);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, epoch);
  json_builder_set_member_name (builder, "cursor");
  json_builder_add_string_value (builder, next);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, more);
  json_builder_set_member_name (builder, "head");
  json_builder_add_int_value (builder, head);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Commands */

typedef struct
{
  char    *name;
  gboolean is_null;
  gboolean is_int;
  gint64   number;
  char    *text;
} Column;

static void
column_free (gpointer data)
{
  Column *column = data;

  g_free (column->name);
  g_free (column->text);
  g_free (column);
}

static GPtrArray *
columns_new (void)
{
  return g_ptr_array_new_with_free_func (column_free);
}

static Column *
columns_slot (GPtrArray *columns, const char *name)
{
  Column *column;

  for (guint i = 0; i < columns->len; i++)
    {
      column = g_ptr_array_index (columns, i);
      if (g_str_equal (column->name, name))
        {
          g_clear_pointer (&column->text, g_free);
          return column;
        }
    }
  column = g_new0 (Column, 1);
  column->name = g_strdup (name);
  g_ptr_array_add (columns, column);
  return column;
}

static void
columns_set_text (GPtrArray *columns, const char *name, const char *value)
{
  Column *column = columns_slot (columns, name);

  column->is_null = value == NULL;
  column->is_int = FALSE;
  column->text = g_strdup (value);
}

static void
columns_set_int (GPtrArray *columns, const char *name, gint64 value)
{
  Column *column = columns_slot (columns, name);

  column->is_null = FALSE;
  column->is_int = TRUE;
  column->number = value;
}

static void
columns_set_null (GPtrArray *columns, const char *name)
{
  Column *column = columns_slot (columns, name);

  column->is_null = TRUE;
  column->is_int = FALSE;
}

static const Column *
columns_get (GPtrArray *columns, const char *name)
{
  for (guint i = 0; i < columns->len; i++)
    {
      const Column *column = g_ptr_array_index (columns, i);
      if (g_str_equal (column->name, name))
        return column;
    }
  return NULL;
}

static void
bind_column (sqlite3_stmt *stmt, int index, const Column *column)
{
  if (column->is_null)
    sqlite3_bind_null (stmt, index);
  else if (column->is_int)
    sqlite3_bind_int64 (stmt, index, column->number);
  else
    sqlite3_bind_text (stmt, index, column->text, -1, SQLITE_TRANSIENT);
}

static gboolean
insert_row (sqlite3 *db, const char *table, const char *uuid, gint64 rev, GPtrArray *columns)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (Statement) stmt = NULL;

  g_string_append_printf (sql, "INSERT INTO %s (uuid, rev", table);
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, ", %s", ((Column *) g_ptr_array_index (columns, i))->name);
  g_string_append (sql, ") VALUES (?, ?");
  for (guint i = 0; i < columns->len; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");

  stmt = prepare (db, sql->str);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rev);
  for (guint i = 0; i < columns->len; i++)
    bind_column (stmt, i + 3, g_ptr_array_index (columns, i));
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
update_row (sqlite3 *db, const char *table, const char *uuid, gint64 rev, GPtrArray *columns)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (Statement) stmt = NULL;

  g_string_append_printf (sql, "UPDATE %s SET rev = ?", table);
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, ", %s = ?", ((Column *) g_ptr_array_index (columns, i))->name);
  g_string_append (sql, " WHERE uuid = ?");

  stmt = prepare (db, sql->str);
  sqlite3_bind_int64 (stmt, 1, rev);
  for (guint i = 0; i < columns->len; i++)
    bind_column (stmt, i + 2, g_ptr_array_index (columns, i));
  sqlite3_bind_text (stmt, columns->len + 2, uuid, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

/* What one command needs while it is applied. */
typedef struct
{
  TdStore          *store;
  sqlite3          *db;
  TdPolicy         *policy;
  const TdAccount  *account;
  const TdRole     *role;
  gint64            now;
  const char       *id;
  const char       *type;
  const EntitySpec *entity;
  const char       *entity_id;
  gint64            base_rev;
  JsonObject       *fields;
  /* Filled in by the handler. */
  JsonNode *row;
  JsonNode *ticket;
  gint64    rev;
  /* What the audit log calls an applied command ("approve
   * correction_request"); NULL: "TYPE ENTITY". */
  const char *audit_action;
} Command;

typedef enum
{
  OUTCOME_APPLIED,
  OUTCOME_CONFLICT,
  OUTCOME_REJECTED,
} Outcome;

typedef struct
{
  Outcome   outcome;
  char     *code;
  char     *reason;
  char     *field;
  JsonNode *current;
} Verdict;

static void
verdict_clear (Verdict *verdict)
{
  g_clear_pointer (&verdict->code, g_free);
  g_clear_pointer (&verdict->reason, g_free);
  g_clear_pointer (&verdict->field, g_free);
  g_clear_pointer (&verdict->current, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Verdict, verdict_clear)

static gboolean reject (Verdict    *verdict,
                        const char *code,
                        const char *field,
                        const char *format,
                        ...) G_GNUC_PRINTF (4, 5);

static gboolean
reject (Verdict *verdict, const char *code, const char *field, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  verdict->reason = g_strdup_vprintf (format, args);
  va_end (args);
  verdict->outcome = OUTCOME_REJECTED;
  verdict->code = g_strdup (code);
  verdict->field = g_strdup (field);
  return FALSE;
}

static gboolean
conflict (Verdict *verdict, JsonNode *current)
{
  verdict->outcome = OUTCOME_CONFLICT;
  verdict->current = json_node_ref (current);
  verdict->reason = g_strdup ("the row changed since the revision this update is based on");
  return FALSE;
}

static const char *
field_text (JsonObject *fields, const char *name)
{
  JsonNode *node = fields != NULL ? json_object_get_member (fields, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
row_text (JsonNode *row, const char *name)
{
  return row != NULL ? field_text (json_node_get_object (row), name) : NULL;
}

static gint64
row_int (JsonNode *row, const char *name)
{
  JsonObject *object = json_node_get_object (row);
  JsonNode   *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return 0;
  return json_node_get_int (node);
}

/* Copies the command's fields into columns; their types were checked when
 * the batch was read. */
static void
columns_from_fields (GPtrArray *columns, const EntitySpec *entity, JsonObject *fields)
{
  for (const FieldSpec *spec = entity->fields; fields != NULL && spec->name != NULL; spec++)
    {
      JsonNode *node = json_object_get_member (fields, spec->name);

      if (node == NULL)
        continue;
      if (JSON_NODE_HOLDS_NULL (node))
        columns_set_null (columns, spec->name);
      else if (spec->type == FIELD_JSON || spec->type == FIELD_STRINGS || spec->type == FIELD_ARRAY)
        {
          g_autofree char *text = td_json_to_string (node, FALSE);
          columns_set_text (columns, spec->name, text);
        }
      else if (spec->type == FIELD_INT)
        columns_set_int (columns, spec->name, json_node_get_int (node));
      else if (spec->type == FIELD_INSTANT)
        {
          TdInstant instant = 0;

          if (json_node_get_value_type (node) == G_TYPE_INT64)
            instant = json_node_get_int (node);
          else
            td_time_parse_instant (json_node_get_string (node), &instant);
          columns_set_int (columns, spec->name, instant);
        }
      else
        columns_set_text (columns, spec->name, json_node_get_string (node));
    }
}

static gboolean
person_exists (sqlite3 *db, const char *uuid)
{
  g_autoptr (Statement) stmt = prepare (db, "SELECT 1 FROM person WHERE uuid = ? AND deleted = 0");

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* A role tied to a tier acts on tickets at its own tier or below; leads and
 * managers (and roles without a tier) are not limited. */
static gboolean
may_act_at_tier (Command *command, int ticket_tier, Verdict *verdict)
{
  const TdRole *role = command->role;

  if (td_policy_role_reaches_tier (command->policy, role->id, ticket_tier))
    return TRUE;
  return reject (verdict, "forbidden", NULL, "a %s (Tier %d) cannot change a ticket at Tier %d",
                 role->name, role->tier, ticket_tier);
}

static gboolean
require_permission (Command *command, const char *action, Verdict *verdict)
{
  g_autofree char *what = NULL;

  if (action != NULL && td_policy_role_may (command->policy, command->account->role, action))
    return TRUE;
  what = td_policy_describe_action (command->policy, action);
  /* Naming the action tells an administrator which permission to grant. */
  return reject (verdict, "forbidden", NULL, "a %s may not %s (%s)",
                 command->role != NULL ? command->role->name : command->account->role, what,
                 action != NULL ? action : "no permission allows it");
}

/* Triage and the policy's vocabulary, for a ticket's merged fields. */
static gboolean
check_ticket_values (Command *command, GPtrArray *columns, JsonNode *current, Verdict *verdict)
{
  const Column *impact_column = columns_get (columns, "impact");
  const Column *urgency_column = columns_get (columns, "urgency");
  const Column *severity_column = columns_get (columns, "severity");
  const Column *issue_column = columns_get (columns, "issue_type");
  const Column *owner_column = columns_get (columns, "owner");
  const char   *impact = impact_column != NULL ? impact_column->text : row_text (current, "impact");
  const char   *urgency
      = urgency_column != NULL ? urgency_column->text : row_text (current, "urgency");
  g_autoptr (GError) error = NULL;

  if (issue_column != NULL && issue_column->text != NULL
      && td_policy_get_issue_type (command->policy, issue_column->text) == NULL)
    return reject (verdict, "invalid", "issue_type", "unknown issue type \"%s\"",
                   issue_column->text);
  if (severity_column != NULL && severity_column->text != NULL
      && td_policy_get_severity (command->policy, severity_column->text) == NULL)
    return reject (verdict, "invalid", "severity", "unknown severity \"%s\"",
                   severity_column->text);
  if (owner_column != NULL && owner_column->text != NULL
      && !person_exists (command->db, owner_column->text))
    return reject (verdict, "invalid", "owner", "no person %s in the directory",
                   owner_column->text);

  if ((impact_column != NULL || urgency_column != NULL) && impact != NULL && urgency != NULL)
    {
      const TdTriageRule *rule = td_triage (command->policy, impact, urgency, &error);

      if (rule == NULL)
        return reject (verdict, "invalid",
                       g_error_matches (error, TD_TRIAGE_ERROR, TD_TRIAGE_ERROR_UNKNOWN_URGENCY)
                           ? "urgency"
                           : "impact",
                       "%s", error->message);
      columns_set_text (columns, "priority", rule->priority);
      /* Triage sets the severity unless the person triaging chose one. */
      if (severity_column == NULL)
        columns_set_text (columns, "severity", rule->severity);
    }
  {
    const Column *severity = columns_get (columns, "severity");
    if (severity != NULL && severity->text != NULL)
      columns_set_int (columns, "pir_required",
                       td_escalation_pir_required (command->policy, severity->text));
  }
  return TRUE;
}

static const char *
lookup_ticket_field (const char *field_id, gpointer user_data)
{
  JsonObject *fields = user_data;
  JsonNode   *node;

  /* The policy calls the affected user's id "user_id". */
  if (g_str_equal (field_id, "user_id"))
    field_id = "affected_user_id";
  node = json_object_get_member (fields, field_id);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return "set";
}

static gboolean
apply_ticket_create (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (GPtrArray) missing = NULL;

  if (!require_permission (command, "ticket.create", verdict))
    return FALSE;

  missing = td_triage_missing_fields (command->policy, lookup_ticket_field, command->fields);
  if (missing->len > 0 || field_text (command->fields, "title") == NULL)
    {
      g_autoptr (GString) names = g_string_new (NULL);
      const char *first = "title";

      if (field_text (command->fields, "title") == NULL)
        g_string_append (names, "Title");
      for (guint i = 0; i < missing->len; i++)
        {
          const TdTicketField *field = g_ptr_array_index (missing, i);

          if (names->len == 0)
            first = g_str_equal (field->id, "user_id") ? "affected_user_id" : field->id;
          g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", field->name);
        }
      return reject (verdict, "missing_fields", first, "required fields are missing: %s",
                     names->str);
    }

  columns_from_fields (columns, command->entity, command->fields);
  if (!check_ticket_values (command, columns, NULL, verdict))
    return FALSE;

  columns_set_int (columns, "tier", 1);
  columns_set_text (columns, "status", "new");
  columns_set_text (columns, "created_by", command->account->username);
  columns_set_int (columns, "created_at", command->now);
  columns_set_int (columns, "tier_entered_at", command->now);

  command->rev = next_rev (command->db);
  if (!insert_row (command->db, "ticket", command->entity_id, command->rev, columns))
    return reject (verdict, "invalid", NULL, "could not store the ticket: %s",
                   sqlite3_errmsg (command->db));
  command->row = read_row (command->db, "ticket", command->entity_id);
  return TRUE;
}

/* Shared by update and delete: the row, present and at the base revision. */
static JsonNode *
current_row (Command *command, Verdict *verdict)
{
  g_autoptr (JsonNode) row = read_row (command->db, command->entity->name, command->entity_id);

  if (row == NULL || row_int (row, "deleted"))
    {
      reject (verdict, "not_found", "entity_id", "no %s %s", command->entity->name,
              command->entity_id);
      return NULL;
    }
  if (row_int (row, "rev") != command->base_rev)
    {
      conflict (verdict, row);
      return NULL;
    }
  return g_steal_pointer (&row);
}

static gboolean
apply_ticket_update (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;

  if (!require_permission (command, "ticket.update", verdict))
    return FALSE;
  current = current_row (command, verdict);
  if (current == NULL || !may_act_at_tier (command, row_int (current, "tier"), verdict))
    return FALSE;

  columns_from_fields (columns, command->entity, command->fields);
  if (!check_ticket_values (command, columns, current, verdict))
    return FALSE;

  command->rev = next_rev (command->db);
  update_row (command->db, "ticket", command->entity_id, command->rev, columns);
  command->row = read_row (command->db, "ticket", command->entity_id);
  return TRUE;
}

static gboolean
apply_delete (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;

  if (!require_permission (command, command->entity->delete_action, verdict))
    return FALSE;
  current = current_row (command, verdict);
  if (current == NULL)
    return FALSE;

  /* A tombstone, not a DELETE: offline clients must learn of it. */
  columns_set_int (columns, "deleted", 1);
  command->rev = next_rev (command->db);
  update_row (command->db, command->entity->name, command->entity_id, command->rev, columns);
  command->row = read_row (command->db, command->entity->name, command->entity_id);
  return TRUE;
}

static gboolean
check_person_values (Command *command, GPtrArray *columns, Verdict *verdict)
{
  const Column *role = columns_get (columns, "role");
  const Column *tier = columns_get (columns, "tier");
  const Column *zone = columns_get (columns, "time_zone");

  if (role != NULL && role->text != NULL
      && td_policy_get_role (command->policy, role->text) == NULL)
    return reject (verdict, "invalid", "role", "unknown role \"%s\"", role->text);
  if (tier != NULL && !tier->is_null && td_policy_get_tier (command->policy, tier->number) == NULL)
    return reject (verdict, "invalid", "tier", "unknown tier %" G_GINT64_FORMAT, tier->number);
  if (zone != NULL && zone->text != NULL)
    {
      g_autoptr (GTimeZone) time_zone = g_time_zone_new_identifier (zone->text);
      if (time_zone == NULL)
        return reject (verdict, "invalid", "time_zone", "unknown time zone \"%s\"", zone->text);
    }
  return TRUE;
}

static gboolean
apply_person (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  gboolean create = g_str_equal (command->type, "create");

  if (!require_permission (command, "person.write", verdict))
    return FALSE;
  if (create && field_text (command->fields, "name") == NULL)
    return reject (verdict, "missing_fields", "name", "required fields are missing: name");
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;

  columns_from_fields (columns, command->entity, command->fields);
  if (!check_person_values (command, columns, verdict))
    return FALSE;

  command->rev = next_rev (command->db);
  if (create)
    {
      if (!insert_row (command->db, "person", command->entity_id, command->rev, columns))
        return reject (verdict, "invalid", NULL, "could not store the person: %s",
                       sqlite3_errmsg (command->db));
    }
  else
    update_row (command->db, "person", command->entity_id, command->rev, columns);
  command->row = read_row (command->db, "person", command->entity_id);
  return TRUE;
}

static JsonObject *
event_data (Command *command)
{
  JsonNode *node = json_object_get_member (command->fields, "data");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void     resolve_knowledge (Command    *command,
                                   JsonNode   *ticket,
                                   JsonObject *data,
                                   GPtrArray  *ticket_columns);
static gboolean create_pir_on_resolve (Command *command, const char *ticket_id, Verdict *verdict);

/* Applies a status event to the ticket's columns. */
static gboolean
event_status (Command *command, JsonNode *ticket, GPtrArray *ticket_columns, Verdict *verdict)
{
  JsonObject *data = event_data (command);
  const char *status = field_text (data, "status");
  const char *current = row_text (ticket, "status");

  if (status == NULL)
    return reject (verdict, "invalid", "fields.data.status",
                   "a status event needs data.status (in_progress, resolved, closed or reopened)");

  if (g_str_equal (status, "in_progress") && g_str_equal (current, "new"))
    {
      columns_set_text (ticket_columns, "status", "in_progress");
      if (row_int (ticket, "first_response_at") == 0)
        columns_set_int (ticket_columns, "first_response_at", command->now);
    }
  else if (g_str_equal (status, "resolved")
           && (g_str_equal (current, "new") || g_str_equal (current, "in_progress")))
    {
      JsonNode *new_issue = json_object_get_member (data, "new_issue");

      if (new_issue != NULL
          && (!JSON_NODE_HOLDS_VALUE (new_issue)
              || json_node_get_value_type (new_issue) != G_TYPE_BOOLEAN))
        return reject (verdict, "invalid", "fields.data.new_issue",
                       "data.new_issue: expected true or false (the issue is new and no "
                       "article covers it)");
      columns_set_text (ticket_columns, "status", "resolved");
      columns_set_int (ticket_columns, "resolved_at", command->now);
      if (field_text (data, "resolution") != NULL)
        columns_set_text (ticket_columns, "resolution", field_text (data, "resolution"));
      resolve_knowledge (command, ticket, data, ticket_columns);
    }
  else if (g_str_equal (status, "closed") && g_str_equal (current, "resolved"))
    {
      columns_set_text (ticket_columns, "status", "closed");
      columns_set_int (ticket_columns, "closed_at", command->now);
    }
  else if (g_str_equal (status, "reopened")
           && (g_str_equal (current, "resolved") || g_str_equal (current, "closed")))
    {
      columns_set_text (ticket_columns, "status", "in_progress");
      columns_set_null (ticket_columns, "resolved_at");
      columns_set_null (ticket_columns, "closed_at");
      /* Resolved again later, it is classed again then. */
      columns_set_null (ticket_columns, "resolution_class");
      columns_set_int (ticket_columns, "new_issue", 0);
    }
  else
    return reject (verdict, "rule", "fields.data.status", "a ticket that is %s cannot become %s",
                   current, status);
  return TRUE;
}

static gboolean
event_escalate (Command    *command,
                JsonNode   *ticket,
                GPtrArray  *ticket_columns,
                JsonObject *data,
                Verdict    *verdict)
{
  JsonNode *to_node = data != NULL ? json_object_get_member (data, "to_tier") : NULL;
  JsonNode *checklist_node = data != NULL ? json_object_get_member (data, "checklist") : NULL;
  g_autoptr (GPtrArray) checked = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const TdEscalationPath *path;
  TdEscalationRequest     request = { 0 };
  int                     to_tier;

  if (to_node == NULL || !JSON_NODE_HOLDS_VALUE (to_node)
      || json_node_get_value_type (to_node) != G_TYPE_INT64)
    return reject (verdict, "invalid", "fields.data.to_tier",
                   "an escalation needs data.to_tier, the tier to escalate to");
  if (checklist_node != NULL && !JSON_NODE_HOLDS_ARRAY (checklist_node))
    return reject (verdict, "invalid", "fields.data.checklist",
                   "data.checklist is the array of ticked checklist item ids");
  if (checklist_node != NULL)
    {
      JsonArray *array = json_node_get_array (checklist_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_ptr_array_add (checked, (gpointer) json_node_get_string (item));
        }
    }
  g_ptr_array_add (checked, NULL);

  to_tier = json_node_get_int (to_node);
  request.tier = row_int (ticket, "tier");
  request.severity = row_text (ticket, "severity");
  request.checked = (const char *const *) checked->pdata;
  request.reason = field_text (data, "reason");

  path = td_escalation_check (command->policy, &request, to_tier, &error);
  if (path == NULL)
    return reject (verdict, "rule", "fields.data", "%s", error->message);

  json_object_set_string_member (data, "path", path->id);
  json_object_set_int_member (data, "from_tier", request.tier);
  columns_set_int (ticket_columns, "tier", to_tier);
  columns_set_int (ticket_columns, "tier_entered_at", command->now);
  return TRUE;
}

static gboolean
apply_event (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (GPtrArray) ticket_columns = columns_new ();
  g_autoptr (JsonNode) ticket = NULL;
  g_autoptr (JsonNode) existing = NULL;
  const char *ticket_id = field_text (command->fields, "ticket");
  const char *kind = field_text (command->fields, "kind");
  JsonObject *data = event_data (command);
  const char *action;

  if (ticket_id == NULL)
    return reject (verdict, "invalid", "fields.ticket", "an event needs the ticket it is for");
  if (kind == NULL)
    return reject (verdict, "invalid", "fields.kind",
                   "an event needs a kind: comment, update, status, assign or escalate");

  if (g_str_equal (kind, "comment") || g_str_equal (kind, "update"))
    action = "ticket.comment";
  else if (g_str_equal (kind, "status"))
    action = "ticket.status";
  else if (g_str_equal (kind, "assign"))
    action = "ticket.assign";
  else if (g_str_equal (kind, "escalate"))
    action = "ticket.escalate";
  else
    return reject (verdict, "invalid", "fields.kind",
                   "unknown event kind \"%s\" (expected comment, update, status, assign or "
                   "escalate)",
                   kind);

  if (!require_permission (command, action, verdict))
    return FALSE;

  existing = read_row (command->db, "ticket_event", command->entity_id);
  if (existing != NULL)
    return reject (verdict, "exists", "entity_id", "event %s already exists", command->entity_id);

  ticket = read_row (command->db, "ticket", ticket_id);
  if (ticket == NULL || row_int (ticket, "deleted"))
    return reject (verdict, "not_found", "fields.ticket", "no ticket %s", ticket_id);
  if (!g_str_equal (kind, "comment") && !g_str_equal (kind, "update")
      && !may_act_at_tier (command, row_int (ticket, "tier"), verdict))
    return FALSE;

  if (g_str_equal (kind, "update"))
    {
      /* An update to the user: the first one is the response, and each
       * restarts the update-cadence clock [5.5]. */
      columns_set_int (ticket_columns, "last_update_at", command->now);
      if (row_int (ticket, "first_response_at") == 0)
        columns_set_int (ticket_columns, "first_response_at", command->now);
    }
  else if (g_str_equal (kind, "status"))
    {
      if (!event_status (command, ticket, ticket_columns, verdict))
        return FALSE;
    }
  else if (g_str_equal (kind, "assign"))
    {
      const char *owner = field_text (data, "owner");

      if (owner != NULL && !person_exists (command->db, owner))
        return reject (verdict, "invalid", "fields.data.owner", "no person %s in the directory",
                       owner);
      if (owner != NULL)
        columns_set_text (ticket_columns, "owner", owner);
      else
        columns_set_null (ticket_columns, "owner");
    }
  else if (g_str_equal (kind, "escalate"))
    {
      if (data == NULL)
        return reject (verdict, "invalid", "fields.data",
                       "an escalation needs data with to_tier and the checklist");
      if (!event_escalate (command, ticket, ticket_columns, data, verdict))
        return FALSE;
    }

  columns_set_text (columns, "ticket", ticket_id);
  columns_set_text (columns, "kind", kind);
  columns_set_text (columns, "author", command->account->username);
  columns_set_int (columns, "at", command->now);
  columns_set_text (columns, "body", field_text (command->fields, "body"));
  if (data != NULL)
    {
      g_autoptr (JsonNode) data_node = json_node_init_object (json_node_alloc (), data);
      g_autofree char *text = td_json_to_string (data_node, FALSE);
      columns_set_text (columns, "data", text);
    }

  /* Each row gets a revision of its own, so a page boundary never splits
   * two rows that share one. */
  if (ticket_columns->len > 0)
    update_row (command->db, "ticket", ticket_id, next_rev (command->db), ticket_columns);
  command->rev = next_rev (command->db);
  if (!insert_row (command->db, "ticket_event", command->entity_id, command->rev, columns))
    return reject (verdict, "invalid", NULL, "could not store the event: %s",
                   sqlite3_errmsg (command->db));
  /* In this command's transaction: a resolved SEV-1/2 always has its
   * review [10.2]. */
  if (g_str_equal (kind, "status") && g_strcmp0 (field_text (data, "status"), "resolved") == 0
      && row_int (ticket, "pir_required") && !create_pir_on_resolve (command, ticket_id, verdict))
    return FALSE;
  command->row = read_row (command->db, "ticket_event", command->entity_id);
  command->ticket = read_row (command->db, "ticket", ticket_id);
  return TRUE;
}

/* Rotas */

static gboolean is_string (JsonNode *node);

/* The value a field will have once the command is applied: the command's,
 * else the stored row's. */
static const Column *
merged (GPtrArray *columns, const char *name)
{
  return columns_get (columns, name);
}

static const char *
merged_text (GPtrArray *columns, JsonNode *current, const char *name)
{
  const Column *column = merged (columns, name);

  if (column != NULL)
    return column->is_null ? NULL : column->text;
  return row_text (current, name);
}

static gboolean
merged_int (GPtrArray *columns, JsonNode *current, const char *name, gint64 *out)
{
  const Column *column = merged (columns, name);
  JsonNode     *node;

  if (column != NULL)
    {
      *out = column->number;
      return !column->is_null;
    }
  if (current == NULL)
    return FALSE;
  node = json_object_get_member (json_node_get_object (current), name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static const TdRotaTemplate *
find_rota_template (TdPolicy *policy, const char *id)
{
  GPtrArray *templates = td_policy_get_rota_templates (policy);

  for (guint i = 0; id != NULL && templates != NULL && i < templates->len; i++)
    {
      const TdRotaTemplate *rota_template = g_ptr_array_index (templates, i);

      if (g_str_equal (rota_template->id, id))
        return rota_template;
    }
  return NULL;
}

/* The positions of a stored rotation row, as a strv. */
static GStrv
rotation_positions (JsonNode *rotation)
{
  JsonNode *node = json_object_get_member (json_node_get_object (rotation), "positions");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        JsonNode *item = json_array_get_element (json_node_get_array (node), i);

        if (is_string (item))
          g_strv_builder_add (builder, json_node_get_string (item));
      }
  return g_strv_builder_end (builder);
}

static gboolean
check_rotation_values (Command *command, GPtrArray *columns, JsonNode *current, Verdict *verdict)
{
  const char           *policy_id = merged_text (columns, current, "policy_id");
  const TdRotaTemplate *rota_template = find_rota_template (command->policy, policy_id);
  const char           *zone = merged_text (columns, current, "time_zone");
  const char           *handoff = merged_text (columns, current, "handoff_time");
  const Column         *positions = columns_get (columns, "positions");
  gint64                number;
  int                   minute;

  if (policy_id != NULL && rota_template == NULL)
    return reject (verdict, "invalid", "policy_id",
                   "policy_id: the policy has no on-call rotation \"%s\"", policy_id);
  if (rota_template != NULL && merged_int (columns, current, "tier", &number)
      && number != rota_template->tier)
    return reject (verdict, "invalid", "tier",
                   "tier: %s is a Tier %d rotation, not Tier %" G_GINT64_FORMAT,
                   rota_template->name, rota_template->tier, number);
  if (merged_int (columns, current, "tier", &number)
      && td_policy_get_tier (command->policy, (int) number) == NULL)
    return reject (verdict, "invalid", "tier", "tier: unknown tier %" G_GINT64_FORMAT, number);
  if (zone != NULL)
    {
      g_autoptr (GTimeZone) time_zone = zone[0] != '\0' ? g_time_zone_new_identifier (zone) : NULL;
      if (time_zone == NULL)
        return reject (verdict, "invalid", "time_zone",
                       "time_zone: unknown time zone \"%s\" (expected an IANA name such as "
                       "Europe/London)",
                       zone);
    }
  if (handoff != NULL && (!td_time_parse_clock (handoff, &minute) || minute >= 24 * 60))
    return reject (verdict, "invalid", "handoff_time",
                   "handoff_time: \"%s\" is not a time (expected HH:MM from 00:00 to 23:59)",
                   handoff);
  if (merged_text (columns, current, "start_date") == NULL)
    return reject (verdict, "missing_fields", "start_date",
                   "required fields are missing: start_date");
  if (merged_int (columns, current, "weeks", &number) && (number < 1 || number > 520))
    return reject (verdict, "invalid", "weeks",
                   "weeks: %" G_GINT64_FORMAT " is not a cycle length (expected 1 to 520)", number);
  if (merged_int (columns, current, "shift_days", &number) && (number < 1 || number > 366))
    return reject (
        verdict, "invalid", "shift_days",
        "shift_days: %" G_GINT64_FORMAT " is not a shift length (expected 1 to 366 days)", number);
  if (merged_int (columns, current, "handoff_weekday", &number) && (number < 1 || number > 7))
    return reject (verdict, "invalid", "handoff_weekday",
                   "handoff_weekday: %" G_GINT64_FORMAT
                   " is not a weekday (expected 1 = Monday to 7 = Sunday)",
                   number);
  if (positions != NULL)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonArray *array;
      guint      n;

      if (positions->is_null || !json_parser_load_from_data (parser, positions->text, -1, NULL))
        return reject (verdict, "invalid", "positions", "positions: expected an array of strings");
      array = json_node_get_array (json_parser_get_root (parser));
      n = json_array_get_length (array);
      if (n == 0)
        return reject (verdict, "invalid", "positions", "positions: a rotation needs a position");
      for (guint i = 0; i < n; i++)
        {
          const char *id = json_array_get_string_element (array, i);
          gboolean    known = rota_template == NULL;

          for (guint j = 0; rota_template != NULL && j < rota_template->positions->len && !known;
               j++)
            known = g_str_equal (
                ((TdPolicyItem *) g_ptr_array_index (rota_template->positions, j))->id, id);
          if (id[0] == '\0' || !known)
            return reject (verdict, "invalid", "positions",
                           "positions[%u]: \"%s\" is not a position of %s", i, id,
                           rota_template != NULL ? rota_template->name : "this rotation");
          for (guint j = 0; j < i; j++)
            if (g_str_equal (json_array_get_string_element (array, j), id))
              return reject (verdict, "invalid", "positions",
                             "positions[%u]: \"%s\" is listed twice", i, id);
        }
    }
  return TRUE;
}

static gboolean
apply_rotation (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  gboolean              create = g_str_equal (command->type, "create");
  const TdRotaTemplate *rota_template;

  if (!require_permission (command, create ? "rota.write" : command->entity->update_action,
                           verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;

  columns_from_fields (columns, command->entity, command->fields);
  rota_template = find_rota_template (command->policy, merged_text (columns, current, "policy_id"));
  if (create && rota_template != NULL)
    {
      /* A rota made from the policy's template takes what it does not say
       * from there [4.7, 5.7]. */
      if (columns_get (columns, "name") == NULL)
        columns_set_text (columns, "name", rota_template->name);
      if (columns_get (columns, "tier") == NULL)
        columns_set_int (columns, "tier", rota_template->tier);
      if (columns_get (columns, "weeks") == NULL)
        columns_set_int (columns, "weeks", MAX (rota_template->weeks, 1));
      if (columns_get (columns, "positions") == NULL)
        {
          g_autoptr (JsonBuilder) builder = json_builder_new ();
          g_autoptr (JsonNode) root = NULL;
          g_autofree char *text = NULL;

          json_builder_begin_array (builder);
          for (guint i = 0; i < rota_template->positions->len; i++)
            json_builder_add_string_value (
                builder, ((TdPolicyItem *) g_ptr_array_index (rota_template->positions, i))->id);
          json_builder_end_array (builder);
          root = json_builder_get_root (builder);
          text = td_json_to_string (root, FALSE);
          columns_set_text (columns, "positions", text);
        }
    }
  if (!check_rotation_values (command, columns, current, verdict))
    return FALSE;
  if (create && merged_text (columns, current, "name") == NULL)
    return reject (verdict, "missing_fields", "name", "required fields are missing: name");

  command->rev = next_rev (command->db);
  if (create)
    {
      if (!insert_row (command->db, "rotation", command->entity_id, command->rev, columns))
        return reject (verdict, "invalid", NULL, "could not store the rotation: %s",
                       sqlite3_errmsg (command->db));
    }
  else if (!update_row (command->db, "rotation", command->entity_id, command->rev, columns))
    return reject (verdict, "invalid", NULL, "could not store the rotation: %s",
                   sqlite3_errmsg (command->db));
  command->row = read_row (command->db, "rotation", command->entity_id);
  return TRUE;
}

/* The live rotation row a member, override or swap belongs to. */
static JsonNode *
parent_rotation (Command *command, const char *uuid, Verdict *verdict)
{
  g_autoptr (JsonNode) rotation = uuid != NULL ? read_row (command->db, "rotation", uuid) : NULL;

  if (uuid == NULL)
    {
      reject (verdict, "missing_fields", "rotation", "required fields are missing: rotation");
      return NULL;
    }
  if (rotation == NULL || row_int (rotation, "deleted"))
    {
      reject (verdict, "invalid", "rotation", "rotation: no rotation %s", uuid);
      return NULL;
    }
  return g_steal_pointer (&rotation);
}

static gboolean
check_position (JsonNode *rotation, const char *position, Verdict *verdict)
{
  g_auto (GStrv) positions = rotation_positions (rotation);

  if (position == NULL)
    return reject (verdict, "missing_fields", "position", "required fields are missing: position");
  if (!g_strv_contains ((const char *const *) positions, position))
    return reject (verdict, "invalid", "position", "position: %s has no position \"%s\"",
                   row_text (rotation, "name"), position);
  return TRUE;
}

static gboolean
check_person_field (Command *command, const char *name, const char *uuid, Verdict *verdict)
{
  if (uuid != NULL && !person_exists (command->db, uuid))
    return reject (verdict, "invalid", name, "%s: no person %s in the directory", name, uuid);
  return TRUE;
}

static gboolean
store_row (Command *command, gboolean create, GPtrArray *columns, Verdict *verdict)
{
  const char *table = command->entity->name;

  command->rev = next_rev (command->db);
  if (create ? !insert_row (command->db, table, command->entity_id, command->rev, columns)
             : !update_row (command->db, table, command->entity_id, command->rev, columns))
    return reject (verdict, "invalid", NULL, "could not store the %s: %s", table,
                   sqlite3_errmsg (command->db));
  command->row = read_row (command->db, table, command->entity_id);
  return TRUE;
}

static gboolean
apply_rotation_member (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  g_autoptr (JsonNode) rotation = NULL;
  gboolean create = g_str_equal (command->type, "create");
  gint64   week = 1;

  if (!require_permission (command, "rota.write", verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;
  columns_from_fields (columns, command->entity, command->fields);

  if ((rotation = parent_rotation (command, merged_text (columns, current, "rotation"), verdict))
          == NULL
      || !check_position (rotation, merged_text (columns, current, "position"), verdict)
      || !check_person_field (command, "person", merged_text (columns, current, "person"), verdict))
    return FALSE;
  merged_int (columns, current, "week", &week);
  if (week < 1 || week > MAX (row_int (rotation, "weeks"), 1))
    return reject (verdict, "invalid", "week",
                   "week: %" G_GINT64_FORMAT " is outside the cycle of %s (1 to %" G_GINT64_FORMAT
                   ")",
                   week, row_text (rotation, "name"), MAX (row_int (rotation, "weeks"), 1));
  return store_row (command, create, columns, verdict);
}

static gboolean
apply_rota_override (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  g_autoptr (JsonNode) rotation = NULL;
  gboolean    create = g_str_equal (command->type, "create");
  const char *replaces;
  gint64      starts_at = 0;
  gint64      ends_at = 0;

  if (!require_permission (command, "rota.write", verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;
  columns_from_fields (columns, command->entity, command->fields);

  if ((rotation = parent_rotation (command, merged_text (columns, current, "rotation"), verdict))
          == NULL
      || !check_position (rotation, merged_text (columns, current, "position"), verdict)
      || !check_person_field (command, "person", merged_text (columns, current, "person"), verdict))
    return FALSE;
  if (!merged_int (columns, current, "starts_at", &starts_at))
    return reject (verdict, "missing_fields", "starts_at",
                   "required fields are missing: starts_at");
  if (!merged_int (columns, current, "ends_at", &ends_at))
    return reject (verdict, "missing_fields", "ends_at", "required fields are missing: ends_at");
  if (ends_at <= starts_at)
    return reject (verdict, "invalid", "ends_at", "ends_at: the override must end after it starts");
  replaces = merged_text (columns, current, "replaces");
  if (replaces != NULL)
    {
      g_autoptr (JsonNode) replaced = read_row (command->db, "rota_override", replaces);
      if (replaced == NULL
          || g_strcmp0 (row_text (replaced, "rotation"), row_text (rotation, "uuid")) != 0)
        return reject (verdict, "invalid", "replaces", "replaces: no override %s in %s", replaces,
                       row_text (rotation, "name"));
    }
  if (create)
    {
      /* The server's clock decides which override is later (docs/rota.md). */
      columns_set_text (columns, "created_by",
                        command->account->person != NULL ? command->account->person
                                                         : command->account->username);
      columns_set_int (columns, "created_at", command->now);
    }
  return store_row (command, create, columns, verdict);
}

/* Every rotation with its rows, as the feeds and the app see them. */
static TdRotaStore *
load_rota_store (sqlite3 *db, TdPolicy *policy, const char *only_rotation)
{
  static const char *const tables[]
      = { "rotation", "rotation_member", "rota_override", "swap_request", "person", NULL };
  TdRotaStore *rotas = td_rota_store_new (policy);

  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql = NULL;
      g_autoptr (Statement) stmt = NULL;

      if (only_rotation != NULL && i < 4)
        sql = g_strdup_printf ("SELECT * FROM %s WHERE %s = ?", tables[i],
                               i == 0 ? "uuid" : "rotation");
      else
        sql = g_strdup_printf ("SELECT * FROM %s", tables[i]);
      stmt = prepare (db, sql);
      if (only_rotation != NULL && i < 4)
        sqlite3_bind_text (stmt, 1, only_rotation, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr (JsonNode) row = row_to_json (stmt, NULL);
          td_rota_store_add_row (rotas, tables[i], json_node_get_object (row));
        }
    }
  return rotas;
}

static gboolean
may_plan_rotas (Command *command)
{
  return td_policy_role_may (command->policy, command->account->role, "rota.write");
}

static gboolean
insert_override (Command *command, const TdRotaOverride *override, const char *rotation)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  gint64 rev = next_rev (command->db);

  columns_set_text (columns, "rotation", rotation);
  columns_set_text (columns, "position", override->slot);
  if (override->person != NULL)
    columns_set_text (columns, "person", override->person);
  if (override->replaces != NULL)
    columns_set_text (columns, "replaces", override->replaces);
  columns_set_int (columns, "starts_at", override->interval.start);
  columns_set_int (columns, "ends_at", override->interval.end);
  if (override->reason != NULL)
    columns_set_text (columns, "reason", override->reason);
  columns_set_text (columns, "created_by", override->created_by);
  columns_set_int (columns, "created_at", override->created_at);
  return insert_row (command->db, "rota_override", override->id, rev, columns);
}

static gboolean
offer_swap (Command *command, GPtrArray *columns, Verdict *verdict)
{
  g_autoptr (JsonNode) rotation = NULL;
  g_autoptr (TdRotaStore) rotas = NULL;
  g_autoptr (GPtrArray) held = NULL;
  const char *requester = merged_text (columns, NULL, "requester");
  const char *counterpart = merged_text (columns, NULL, "counterpart");
  const char *position = merged_text (columns, NULL, "position");
  const char *me = command->account->person;
  gint64      give_start = 0, give_end = 0, take_start = 0, take_end = 0;
  gboolean    has_take_start, has_take_end;
  TdRotation *model;

  if (requester == NULL && me != NULL)
    {
      columns_set_text (columns, "requester", me);
      requester = me;
    }
  if (requester == NULL)
    return reject (verdict, "missing_fields", "requester",
                   "required fields are missing: requester (this account is no one in the "
                   "directory)");
  if (g_strcmp0 (requester, me) != 0 && !may_plan_rotas (command))
    return reject (verdict, "forbidden", "requester",
                   "requester: a %s may only offer their own shifts (planning others' needs the "
                   "rota.write permission)",
                   command->role->name);
  if ((rotation = parent_rotation (command, merged_text (columns, NULL, "rotation"), verdict))
          == NULL
      || !check_position (rotation, position, verdict)
      || !check_person_field (command, "requester", requester, verdict))
    return FALSE;
  if (counterpart == NULL)
    return reject (verdict, "missing_fields", "counterpart",
                   "required fields are missing: counterpart");
  if (!check_person_field (command, "counterpart", counterpart, verdict))
    return FALSE;
  if (g_str_equal (counterpart, requester))
    return reject (verdict, "invalid", "counterpart",
                   "counterpart: a swap needs someone other than the requester");
  if (!merged_int (columns, NULL, "give_starts_at", &give_start))
    return reject (verdict, "missing_fields", "give_starts_at",
                   "required fields are missing: give_starts_at");
  if (!merged_int (columns, NULL, "give_ends_at", &give_end))
    return reject (verdict, "missing_fields", "give_ends_at",
                   "required fields are missing: give_ends_at");
  if (give_end <= give_start)
    return reject (verdict, "invalid", "give_ends_at",
                   "give_ends_at: the shift given must end after it starts");
  has_take_start = merged_int (columns, NULL, "take_starts_at", &take_start);
  has_take_end = merged_int (columns, NULL, "take_ends_at", &take_end);
  if (has_take_start != has_take_end)
    return reject (verdict, "missing_fields", has_take_start ? "take_ends_at" : "take_starts_at",
                   "%s: a trade needs both ends of the shift taken",
                   has_take_start ? "take_ends_at" : "take_starts_at");
  if (has_take_start && take_end <= take_start)
    return reject (verdict, "invalid", "take_ends_at",
                   "take_ends_at: the shift taken must end after it starts");
  if (give_start <= command->now)
    return reject (verdict, "rule", "give_starts_at",
                   "give_starts_at: a shift that has begun can no longer be offered");

  /* Nobody can give away a shift that is not theirs (docs/rota.md). */
  rotas = load_rota_store (command->db, command->policy, row_text (rotation, "uuid"));
  model = td_rota_store_get_rotation (rotas, row_text (rotation, "uuid"));
  if (model == NULL)
    return reject (verdict, "invalid", "rotation", "rotation: %s does not load",
                   row_text (rotation, "name"));
  held = td_rotation_resolve (model, position, give_start, give_end);
  for (guint i = 0; i < held->len; i++)
    {
      TdRotaShift *shift = g_ptr_array_index (held, i);

      if (g_strcmp0 (shift->person, requester) != 0)
        {
          g_autofree char *slot = td_rotation_describe_slot (model, position);
          g_autofree char *from
              = td_rotation_format_instant (model, MAX (shift->interval.start, give_start));
          return reject (verdict, "rule", "give_starts_at",
                         "give_starts_at: %s is not on call for %s at %s",
                         td_rotation_get_person_name (model, requester), slot, from);
        }
    }
  columns_set_text (columns, "status", "pending");
  columns_set_int (columns, "created_at", command->now);
  return TRUE;
}

static gboolean
decide_swap (Command *command, GPtrArray *columns, JsonNode *current, Verdict *verdict)
{
  const Column *status_column = columns_get (columns, "status");
  const char   *status = status_column != NULL ? status_column->text : NULL;
  const char   *me = command->account->person;
  const char   *rotation_id = row_text (current, "rotation");
  const char   *decided_by = me != NULL ? me : command->account->username;
  g_autoptr (TdRotaStore) rotas = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) overrides = NULL;
  TdRotation *model;
  gboolean    ok;

  if (status == NULL)
    return TRUE;
  if (!g_str_equal (status, "accepted") && !g_str_equal (status, "declined")
      && !g_str_equal (status, "cancelled"))
    return reject (verdict, "invalid", "status",
                   "status: \"%s\" is not a decision (expected accepted, declined or cancelled)",
                   status);
  if (g_str_equal (status, "cancelled")
          ? g_strcmp0 (me, row_text (current, "requester")) != 0 && !may_plan_rotas (command)
          : g_strcmp0 (me, row_text (current, "counterpart")) != 0 && !may_plan_rotas (command))
    return reject (verdict, "forbidden", "status",
                   g_str_equal (status, "cancelled")
                       ? "status: only the requester may withdraw a swap offer"
                       : "status: only the counterpart may accept or decline a swap offer");

  rotas = load_rota_store (command->db, command->policy, rotation_id);
  model = td_rota_store_get_rotation (rotas, rotation_id);
  if (model == NULL)
    return reject (verdict, "invalid", "rotation", "rotation: no rotation %s", rotation_id);
  if (g_str_equal (status, "accepted"))
    ok = td_rotation_accept_swap (model, command->entity_id, decided_by, command->now, &overrides,
                                  &error);
  else if (g_str_equal (status, "declined"))
    ok = td_rotation_decline_swap (model, command->entity_id, decided_by, command->now, &error);
  else
    ok = td_rotation_cancel_swap (model, command->entity_id, decided_by, command->now, &error);
  if (!ok)
    return reject (verdict, "rule", "status", "status: %s", error->message);

  for (guint i = 0; overrides != NULL && i < overrides->len; i++)
    if (!insert_override (command, g_ptr_array_index (overrides, i), rotation_id))
      return reject (verdict, "invalid", NULL, "could not store the swap's override: %s",
                     sqlite3_errmsg (command->db));
  columns_set_text (columns, "decided_by", decided_by);
  columns_set_int (columns, "decided_at", command->now);
  return TRUE;
}

static gboolean
apply_swap_request (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  gboolean create = g_str_equal (command->type, "create");

  columns_from_fields (columns, command->entity, command->fields);
  if (create)
    {
      if (!offer_swap (command, columns, verdict))
        return FALSE;
    }
  else
    {
      if ((current = current_row (command, verdict)) == NULL)
        return FALSE;
      if (columns_get (columns, "note") != NULL && columns_get (columns, "status") == NULL
          && g_strcmp0 (command->account->person, row_text (current, "requester")) != 0
          && !may_plan_rotas (command))
        return reject (verdict, "forbidden", "note",
                       "note: only the requester may change the note of a swap offer");
      if (!decide_swap (command, columns, current, verdict))
        return FALSE;
    }
  return store_row (command, create, columns, verdict);
}

/* Approvals [4.5, 9.2]. A request is filed with a create and decided with
 * an update of status; the server routes it to an approver role, lets only
 * that role (or the authority table's alternatives) decide, and never lets
 * anyone decide their own request. */

static const char *
actor_id (Command *command)
{
  return command->account->person != NULL ? command->account->person : command->account->username;
}

static char *
role_list (TdPolicy *policy, JsonArray *roles)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = roles != NULL ? json_array_get_length (roles) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char   *id = json_array_get_string_element (roles, i);
      const TdRole *role = td_policy_get_role (policy, id);

      if (i > 0)
        g_string_append (text, i + 1 == n ? " or " : ", ");
      g_string_append (text, role != NULL ? role->name : id);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
json_strv_contains (JsonArray *array, const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static JsonNode *
strv_node (char *const *values)
{
  JsonArray *array = json_array_new ();
  JsonNode  *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_node_take_array (node, array);
  return node;
}

static void
columns_set_json (GPtrArray *columns, const char *name, JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (node, object);
  text = td_json_to_string (node, FALSE);
  columns_set_text (columns, name, text);
}

/* A JSON column of a row read back (row_to_json parses those), as an
 * object of its own, or NULL. */
static JsonObject *
row_json (JsonNode *row, const char *name)
{
  JsonNode *node = json_object_get_member (json_node_get_object (row), name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* Shared by both kinds: a decision's status, who may take it is the
 * caller's check; this one checks the state machine and the reason. */
static gboolean
check_decision (Command    *command,
                JsonNode   *current,
                GPtrArray  *columns,
                const char *status,
                const char *from_status,
                Verdict    *verdict)
{
  const char *note = merged_text (columns, current, "decision_note");

  if (g_strcmp0 (row_text (current, "status"), from_status) != 0)
    return reject (verdict, "rule", "status", "status: a request that is %s cannot become %s",
                   row_text (current, "status"), status);
  if (g_str_equal (status, "rejected") && text_is_blank (note))
    return reject (verdict, "missing_fields", "decision_note",
                   "decision_note: a rejection needs a reason");
  /* A revocation gives its own reason: the approval's note, still in
   * the row, does not explain taking the access away. */
  if (g_str_equal (status, "revoked")
      && text_is_blank (merged_text (columns, NULL, "decision_note")))
    return reject (verdict, "missing_fields", "decision_note",
                   "decision_note: a revocation needs a reason");
  return TRUE;
}

static gboolean
file_correction_request (Command *command, GPtrArray *columns, Verdict *verdict)
{
  const char             *type = merged_text (columns, NULL, "correction_type");
  const char             *ticket = merged_text (columns, NULL, "ticket");
  const TdCorrectionRule *rule;
  g_autofree char        *explanation = NULL;
  g_autoptr (JsonObject) authority = json_object_new ();
  g_autoptr (JsonObject) approval = json_object_new ();
  TdCorrectionDecision decision;

  if (!require_permission (command, "correction.request", verdict))
    return FALSE;
  if (text_is_blank (type))
    return reject (verdict, "missing_fields", "correction_type",
                   "required fields are missing: correction_type");
  decision
      = td_correction_decide (command->policy, type, command->account->role, NULL, &explanation);
  if (decision == TD_CORRECTION_UNKNOWN_TYPE)
    return reject (verdict, "invalid", "correction_type", "correction_type: %s", explanation);
  /* Audit-sensitive data: refused outright, with the policy's words [4.5]. */
  if (decision == TD_CORRECTION_PROHIBITED)
    return reject (verdict, "rule", "correction_type", "correction_type: %s", explanation);
  if (decision == TD_CORRECTION_NOT_AUTHORISED)
    return reject (verdict, "forbidden", "correction_type", "correction_type: %s", explanation);
  if (text_is_blank (merged_text (columns, NULL, "affected_user_id")))
    return reject (verdict, "missing_fields", "affected_user_id",
                   "required fields are missing: affected_user_id");
  if (text_is_blank (merged_text (columns, NULL, "description")))
    return reject (verdict, "missing_fields", "description",
                   "required fields are missing: description");
  if (ticket != NULL)
    {
      g_autoptr (JsonNode) row = read_row (command->db, "ticket", ticket);
      if (row == NULL || row_int (row, "deleted"))
        return reject (verdict, "invalid", "ticket", "ticket: no ticket %s", ticket);
    }

  rule = td_policy_get_correction (command->policy, type);
  json_object_set_int_member (authority, "tier", rule->authority_tier);
  json_object_set_member (authority, "roles", strv_node (rule->authority_roles));
  json_object_set_member (approval, "roles", strv_node (rule->approval_roles));
  json_object_set_string_member (approval, "label", rule->approval_label);
  columns_set_json (columns, "authority", authority);
  columns_set_json (columns, "approval", approval);
  columns_set_text (columns, "approver_role",
                    td_correction_route (command->policy, type, command->account->role));
  columns_set_text (columns, "status", "pending");
  columns_set_text (columns, "requested_by", actor_id (command));
  columns_set_int (columns, "requested_at", command->now);
  command->audit_action = "request correction_request";
  return TRUE;
}

/* Who decided and when, stamped by the server. */
static void
stamp_decision (Command *command, GPtrArray *columns)
{
  columns_set_text (columns, "decided_by", actor_id (command));
  columns_set_int (columns, "decided_at", command->now);
}

/* Only the requester withdraws a request, and only while it is pending. */
static gboolean
withdraw_request (Command *command, GPtrArray *columns, JsonNode *current, Verdict *verdict)
{
  if (g_strcmp0 (row_text (current, "requested_by"), actor_id (command)) != 0)
    return reject (verdict, "forbidden", "status",
                   "status: only the requester may withdraw a request");
  if (!check_decision (command, current, columns, "cancelled", "pending", verdict))
    return FALSE;
  command->audit_action = g_str_equal (command->entity->name, "access_request")
                              ? "cancel access_request"
                              : "cancel correction_request";
  return TRUE;
}

static gboolean
decide_correction_request (Command   *command,
                           GPtrArray *columns,
                           JsonNode  *current,
                           Verdict   *verdict)
{
  const char *status = merged_text (columns, NULL, "status");
  const char *role = command->account->role;
  g_autoptr (JsonObject) approval = row_json (current, "approval");
  g_autoptr (JsonObject) authority = row_json (current, "authority");
  JsonArray  *approvers = approval != NULL && json_object_has_member (approval, "roles")
                              ? json_object_get_array_member (approval, "roles")
                              : NULL;
  JsonArray  *performers = authority != NULL && json_object_has_member (authority, "roles")
                               ? json_object_get_array_member (authority, "roles")
                               : NULL;
  const char *type = row_text (current, "correction_type");
  const TdCorrectionRule *rule = td_policy_get_correction (command->policy, type);
  const char             *type_name = rule != NULL ? rule->name : type;

  if (status == NULL)
    return reject (verdict, "invalid", "status",
                   "status: a request is changed only by a decision (approved, rejected, "
                   "applied or cancelled)");
  if (g_str_equal (status, "approved") || g_str_equal (status, "rejected"))
    {
      if (!json_strv_contains (approvers, role))
        {
          g_autofree char *names = role_list (command->policy, approvers);
          return reject (verdict, "forbidden", "status",
                         "status: %s for a %s correction comes from the %s, not from the %s",
                         approval != NULL && json_object_has_member (approval, "label")
                             ? json_object_get_string_member (approval, "label")
                             : "Approval",
                         type_name, names, command->role->name);
        }
      if (g_strcmp0 (row_text (current, "requested_by"), actor_id (command)) == 0)
        return reject (
            verdict, "forbidden", "status",
            "status: nobody may decide their own request; it goes to the %s",
            td_policy_get_role (command->policy, row_text (current, "approver_role")) != NULL
                ? td_policy_get_role (command->policy, row_text (current, "approver_role"))->name
                : row_text (current, "approver_role"));
      if (!check_decision (command, current, columns, status, "pending", verdict))
        return FALSE;
      stamp_decision (command, columns);
      /* The role the approver acted in, for the record. */
      columns_set_text (columns, "approver_role", role);
      command->audit_action = g_str_equal (status, "approved") ? "approve correction_request"
                                                               : "reject correction_request";
      return TRUE;
    }
  if (g_str_equal (status, "applied"))
    {
      if (!json_strv_contains (performers, role))
        {
          g_autofree char *names = role_list (command->policy, performers);
          return reject (verdict, "forbidden", "status",
                         "status: a %s correction is applied by the %s, not by the %s", type_name,
                         names, command->role->name);
        }
      if (!check_decision (command, current, columns, status, "approved", verdict))
        return FALSE;
      columns_set_text (columns, "applied_by", actor_id (command));
      columns_set_int (columns, "applied_at", command->now);
      command->audit_action = "apply correction_request";
      return TRUE;
    }
  if (g_str_equal (status, "cancelled"))
    return withdraw_request (command, columns, current, verdict);
  return reject (verdict, "invalid", "status",
                 "status: \"%s\" is not a decision (expected approved, rejected, applied or "
                 "cancelled)",
                 status);
}

static gboolean
file_access_request (Command *command, GPtrArray *columns, Verdict *verdict)
{
  const char      *person = merged_text (columns, NULL, "person");
  const char      *tool = merged_text (columns, NULL, "tool");
  const char      *level = merged_text (columns, NULL, "level");
  const char      *approver = NULL;
  g_autofree char *explanation = NULL;
  g_autoptr (JsonNode) person_row = NULL;
  g_autoptr (JsonObject) approval = json_object_new ();
  const TdAccessProvisioning *provisioning;
  TdAccessRequestCheck        check;
  TdAccessLevel               granted = TD_ACCESS_FULL;
  gint64                      tier = 0;

  if (!require_permission (command, "access.request", verdict))
    return FALSE;
  if (person == NULL && command->account->person != NULL)
    {
      person = command->account->person;
      columns_set_text (columns, "person", person);
    }
  if (person == NULL)
    return reject (verdict, "missing_fields", "person",
                   "required fields are missing: person (this account is no one in the "
                   "directory)");
  if (g_strcmp0 (person, command->account->person) != 0
      && !td_policy_role_may (command->policy, command->account->role, "person.write"))
    return reject (
        verdict, "forbidden", "person",
        "person: requesting access for someone else needs person.write, which the %s lacks",
        command->role->name);
  person_row = read_row (command->db, "person", person);
  if (person_row == NULL || row_int (person_row, "deleted"))
    return reject (verdict, "invalid", "person", "person: no person %s in the directory", person);
  if (text_is_blank (tool))
    return reject (verdict, "missing_fields", "tool", "required fields are missing: tool");
  if (text_is_blank (merged_text (columns, NULL, "reason")))
    return reject (verdict, "missing_fields", "reason", "required fields are missing: reason");

  /* The person's tier decides the tools and the approver [9.2]; without
   * one, their role's. */
  tier = row_int (person_row, "tier");
  if (tier == 0 && row_text (person_row, "role") != NULL
      && td_policy_get_role (command->policy, row_text (person_row, "role")) != NULL)
    tier = td_policy_get_role (command->policy, row_text (person_row, "role"))->tier;
  check = td_access_check_request (command->policy, tool, (int) tier, level, &granted, &approver,
                                   &explanation);
  if (check == TD_ACCESS_REQUEST_UNKNOWN_TOOL)
    return reject (verdict, "invalid", "tool", "tool: %s", explanation);
  if (check == TD_ACCESS_REQUEST_UNKNOWN_LEVEL)
    return reject (verdict, "invalid", "level", "level: %s", explanation);
  if (check == TD_ACCESS_REQUEST_LEVEL_TOO_HIGH)
    return reject (verdict, "rule", "level", "level: %s", explanation);
  if (check != TD_ACCESS_REQUEST_OK)
    return reject (verdict, "rule", "tool", "tool: %s", explanation);

  provisioning = td_access_provisioning_for_tier (command->policy, (int) tier);
  json_object_set_int_member (approval, "tier", provisioning->tier);
  json_object_set_string_member (approval, "approver", provisioning->approver);
  json_object_set_string_member (approval, "request", provisioning->request);
  columns_set_json (columns, "approval", approval);
  columns_set_text (columns, "level", td_access_level_to_string (granted));
  columns_set_text (columns, "approver_role", approver);
  columns_set_text (columns, "status", "pending");
  columns_set_text (columns, "requested_by", actor_id (command));
  columns_set_int (columns, "requested_at", command->now);
  command->audit_action = "request access_request";
  return TRUE;
}

static gboolean
decide_access_request (Command *command, GPtrArray *columns, JsonNode *current, Verdict *verdict)
{
  const char   *status = merged_text (columns, NULL, "status");
  const char   *approver = row_text (current, "approver_role");
  const TdRole *approver_role = td_policy_get_role (command->policy, approver);
  const char   *approver_name = approver_role != NULL ? approver_role->name : approver;

  if (status == NULL)
    return reject (verdict, "invalid", "status",
                   "status: a request is changed only by a decision (approved, rejected, "
                   "revoked or cancelled)");
  if (g_str_equal (status, "approved") || g_str_equal (status, "rejected")
      || g_str_equal (status, "revoked"))
    {
      if (g_strcmp0 (command->account->role, approver) != 0)
        return reject (verdict, "forbidden", "status",
                       "status: this access request is decided by the %s [9.2], not by the %s",
                       approver_name, command->role->name);
      if (g_strcmp0 (row_text (current, "requested_by"), actor_id (command)) == 0
          || g_strcmp0 (row_text (current, "person"), command->account->person) == 0)
        return reject (verdict, "forbidden", "status",
                       "status: nobody may decide their own access; another %s must",
                       approver_name);
      if (!check_decision (command, current, columns, status,
                           g_str_equal (status, "revoked") ? "approved" : "pending", verdict))
        return FALSE;
      stamp_decision (command, columns);
      if (g_str_equal (status, "approved"))
        columns_set_int (columns, "granted_at", command->now);
      if (g_str_equal (status, "revoked"))
        columns_set_int (columns, "revoked_at", command->now);
      command->audit_action = g_str_equal (status, "approved")   ? "approve access_request"
                              : g_str_equal (status, "rejected") ? "reject access_request"
                                                                 : "revoke access_request";
      return TRUE;
    }
  if (g_str_equal (status, "cancelled"))
    return withdraw_request (command, columns, current, verdict);
  return reject (verdict, "invalid", "status",
                 "status: \"%s\" is not a decision (expected approved, rejected, revoked or "
                 "cancelled)",
                 status);
}

typedef gboolean (*FileRequest) (Command *command, GPtrArray *columns, Verdict *verdict);
typedef gboolean (*DecideRequest) (Command   *command,
                                   GPtrArray *columns,
                                   JsonNode  *current,
                                   Verdict   *verdict);

/* An approval request [4.5, 9.2]: a create files it, an update decides it. */
static gboolean
apply_request (Command *command, Verdict *verdict, FileRequest file, DecideRequest decide)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  gboolean create = g_str_equal (command->type, "create");

  columns_from_fields (columns, command->entity, command->fields);
  if (create ? !file (command, columns, verdict)
             : (current = current_row (command, verdict)) == NULL
                   || !decide (command, columns, current, verdict))
    return FALSE;
  return store_row (command, create, columns, verdict);
}

/* Training */

/* The history of a training record, one row per change, in the command's
 * transaction: the record's before and after as they were stored. */
static gboolean
record_training_change (Command    *command,
                        const char *kind,
                        JsonNode   *before,
                        JsonNode   *after,
                        Verdict    *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) data = NULL;
  g_autofree char *text = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  JsonNode        *row = after != NULL ? after : before;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "before");
  json_builder_add_value (builder, before != NULL ? json_node_copy (before)
                                                  : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (builder, "after");
  json_builder_add_value (builder,
                          after != NULL ? json_node_copy (after) : json_node_new (JSON_NODE_NULL));
  json_builder_end_object (builder);
  data = json_builder_get_root (builder);
  text = td_json_to_string (data, FALSE);

  columns_set_text (columns, "record", command->entity_id);
  columns_set_text (columns, "person", row_text (row, "person"));
  columns_set_text (columns, "topic", row_text (row, "topic"));
  columns_set_text (columns, "kind", kind);
  columns_set_text (columns, "actor", actor_id (command));
  columns_set_int (columns, "at", command->now);
  columns_set_text (columns, "data", text);
  if (!insert_row (command->db, "training_change", uuid, next_rev (command->db), columns))
    return reject (verdict, "invalid", NULL, "could not keep the record's history: %s",
                   sqlite3_errmsg (command->db));
  return TRUE;
}

/* Whether @id names a topic of the curriculum in force: the policy's,
 * as trainers have edited it. */
static gboolean
curriculum_has_topic (Command *command, const char *id)
{
  GPtrArray *topics = td_policy_get_training (command->policy);
  g_autoptr (Statement) stmt = NULL;
  gboolean in_policy = FALSE;

  for (guint i = 0; i < topics->len; i++)
    if (g_strcmp0 (((TdTrainingTopic *) g_ptr_array_index (topics, i))->id, id) == 0)
      in_policy = TRUE;

  stmt = prepare (command->db,
                  "SELECT retired FROM training_topic WHERE topic_id = ? AND deleted = 0");
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int (stmt, 0) == 0;
  return in_policy;
}

static gboolean
apply_training_record (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  g_autoptr (JsonNode) after = NULL;
  gboolean      create = g_str_equal (command->type, "create");
  const Column *topic;
  const Column *completed_on;
  const Column *minutes;
  const Column *signer;
  const char   *kind;

  if (!require_permission (command, "training.write", verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;
  columns_from_fields (columns, command->entity, command->fields);

  if (create)
    {
      static const char *const required[] = { "person", "topic", "completed_on", "minutes", NULL };
      g_autoptr (GString) missing = g_string_new (NULL);

      for (guint i = 0; required[i] != NULL; i++)
        {
          const Column *column = columns_get (columns, required[i]);
          if (column == NULL || column->is_null)
            g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", required[i]);
        }
      if (missing->len > 0)
        return reject (verdict, "missing_fields", NULL, "required fields are missing: %s",
                       missing->str);
    }

  if (!check_person_field (command, "person", merged_text (columns, current, "person"), verdict)
      || !check_person_field (command, "trainer", merged_text (columns, current, "trainer"),
                              verdict))
    return FALSE;

  topic = columns_get (columns, "topic");
  if (topic != NULL && !curriculum_has_topic (command, topic->text))
    return reject (verdict, "invalid", "topic",
                   "topic: \"%s\" is not in the curriculum (or has been retired)",
                   topic->text != NULL ? topic->text : "");

  completed_on = columns_get (columns, "completed_on");
  if (completed_on != NULL && completed_on->text != NULL)
    {
      /* The latest date anywhere on Earth now, UTC+14. */
      g_autoptr (GDateTime) latest = g_date_time_new_from_unix_utc (command->now + 14 * 3600);
      g_autofree char *limit = g_date_time_format (latest, "%Y-%m-%d");

      if (strcmp (completed_on->text, limit) > 0)
        return reject (verdict, "invalid", "completed_on", "completed_on: %s is in the future",
                       completed_on->text);
    }

  minutes = columns_get (columns, "minutes");
  if (minutes != NULL && (minutes->is_null || minutes->number < 1 || minutes->number > 24 * 60))
    return reject (verdict, "invalid", "minutes",
                   "minutes: a session lasts from 1 minute to 24 hours, not %" G_GINT64_FORMAT,
                   minutes->is_null ? 0 : minutes->number);

  signer = columns_get (columns, "signed_off_by");
  if (signer != NULL && !signer->is_null)
    {
      if (g_strcmp0 (signer->text, command->account->person) != 0)
        return reject (verdict, "forbidden", "signed_off_by",
                       "signed_off_by: a trainer signs off only as themselves");
      columns_set_int (columns, "signed_off_at", command->now);
    }
  else if (signer != NULL)
    columns_set_null (columns, "signed_off_at");
  else if (current != NULL && row_text (current, "signed_off_by") != NULL
           && (topic != NULL || completed_on != NULL || minutes != NULL
               || columns_get (columns, "trainer") != NULL))
    {
      /* What was vouched for has changed: it needs signing off again. */
      columns_set_null (columns, "signed_off_by");
      columns_set_null (columns, "signed_off_at");
    }

  if (create)
    {
      columns_set_text (columns, "recorded_by", actor_id (command));
      columns_set_int (columns, "created_at", command->now);
    }
  if (!store_row (command, create, columns, verdict))
    return FALSE;

  after = json_node_copy (command->row);
  if (create)
    kind = "recorded";
  else if (signer != NULL && json_object_get_size (command->fields) == 1)
    kind = signer->is_null ? "sign_off_withdrawn" : "signed_off";
  else
    kind = "edited";
  return record_training_change (command, kind, current, after, verdict);
}

static gboolean
apply_training_topic (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  gboolean            create = g_str_equal (command->type, "create");
  const char         *frequency;
  const char         *name;
  gint64              tier = 0;
  gint64              minutes = 0;
  TdTrainingFrequency parsed;

  if (!require_permission (command, "training.write", verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;
  columns_from_fields (columns, command->entity, command->fields);

  if (create)
    {
      const char *id = merged_text (columns, NULL, "topic_id");
      g_autoptr (Statement) stmt = NULL;

      if (id == NULL || *id == '\0')
        return reject (verdict, "missing_fields", "topic_id",
                       "required fields are missing: topic_id");
      stmt = prepare (command->db,
                      "SELECT uuid FROM training_topic WHERE topic_id = ? AND deleted = 0");
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return reject (verdict, "exists", "topic_id",
                       "topic_id: the curriculum already has an edit of \"%s\"; change that one",
                       id);
    }

  name = merged_text (columns, current, "topic");
  if (name == NULL || strspn (name, " \t\n") == strlen (name))
    return reject (verdict, "missing_fields", "topic", "topic: a topic needs a name");
  if (!merged_int (columns, current, "tier", &tier)
      || td_policy_get_tier (command->policy, (int) tier) == NULL)
    return reject (verdict, "invalid", "tier",
                   "tier: %" G_GINT64_FORMAT " is not a tier of the policy", tier);
  if (!merged_int (columns, current, "minutes", &minutes) || minutes < 1 || minutes > 100 * 60)
    return reject (verdict, "invalid", "minutes",
                   "minutes: a topic takes from 1 minute to 100 hours, not %" G_GINT64_FORMAT,
                   minutes);
  frequency = merged_text (columns, current, "frequency");
  if (!td_training_frequency_from_string (frequency, &parsed))
    return reject (verdict, "invalid", "frequency",
                   "frequency: \"%s\" is not onboarding, quarterly or annual",
                   frequency != NULL ? frequency : "");

  columns_set_text (columns, "updated_by", actor_id (command));
  columns_set_int (columns, "updated_at", command->now);
  return store_row (command, create, columns, verdict);
}

/* Knowledge base and post-incident reviews [3.3, 9.1, 10.2] */

static gboolean
may_publish (Command *command)
{
  return td_policy_role_may (command->policy, command->account->role, "knowledge.publish");
}

/* A column's value as text for the core checks: the command's, else the
 * stored row's; JSON columns as JSON text. */
static char *
merged_json_text (GPtrArray *columns, JsonNode *current, const char *name)
{
  const Column *column = columns_get (columns, name);
  JsonNode     *node;

  if (column != NULL)
    return column->is_null ? NULL : g_strdup (column->text);
  if (current == NULL)
    return NULL;
  node = json_object_get_member (json_node_get_object (current), name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return td_json_to_string (node, FALSE);
}

/* The field a core error names: "tiers[1]: …" → "tiers". */
static char *
error_field (const GError *error)
{
  const char *end = strpbrk (error->message, ":[.");

  return end != NULL ? g_strndup (error->message, end - error->message) : NULL;
}

/* Every saved version of an article is kept, so its history can be read. */
static gboolean
insert_article_revision (Command *command)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (Statement) count
      = prepare (command->db, "SELECT coalesce (max (number), 0) + 1 FROM article_revision "
                              "WHERE article = ?");
  g_autofree char         *uuid = g_uuid_string_random ();
  JsonNode                *row = command->row;
  static const char *const copied[] = { "title", "kind", "status", "body", "workaround", NULL };

  sqlite3_bind_text (count, 1, command->entity_id, -1, SQLITE_STATIC);
  sqlite3_step (count);
  columns_set_text (columns, "article", command->entity_id);
  columns_set_int (columns, "number", sqlite3_column_int64 (count, 0));
  for (guint i = 0; copied[i] != NULL; i++)
    columns_set_text (columns, copied[i], row_text (row, copied[i]));
  for (guint i = 0; i < 2; i++)
    {
      const char      *name = i == 0 ? "tags" : "tiers";
      g_autofree char *text = merged_json_text (columns, row, name);
      columns_set_text (columns, name, text != NULL ? text : "[]");
    }
  columns_set_text (columns, "author", command->account->username);
  columns_set_int (columns, "at", command->now);
  return insert_row (command->db, "article_revision", uuid, next_rev (command->db), columns);
}

static gboolean
apply_article (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *tiers = NULL;
  g_autofree char *status = NULL;
  gboolean         create = g_str_equal (command->type, "create");

  if (!require_permission (command, "knowledge.write", verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;
  columns_from_fields (columns, command->entity, command->fields);

  /* A copy: setting the column below frees the text it points to. */
  status = g_strdup (merged_text (columns, current, "status"));
  if (status == NULL)
    status = g_strdup ("draft");
  if (!g_str_equal (status, "draft") && !g_str_equal (status, "published"))
    return reject (verdict, "invalid", "status",
                   "status: \"%s\" is not an article status (expected draft or published)", status);
  /* Publishing, and changing what is published, is for the roles the
   * policy trusts with it; anyone in support may draft. */
  if ((g_str_equal (status, "published")
       || g_strcmp0 (row_text (current, "status"), "published") == 0)
      && !may_publish (command))
    return require_permission (command, "knowledge.publish", verdict);

  tags = merged_json_text (columns, current, "tags");
  tiers = merged_json_text (columns, current, "tiers");
  if (!td_knowledge_check_article (command->policy, merged_text (columns, current, "title"),
                                   merged_text (columns, current, "kind"),
                                   merged_text (columns, current, "body"), tags, tiers, &error))
    {
      g_autofree char *field = error_field (error);
      return reject (verdict, "invalid", field, "%s", error->message);
    }

  columns_set_text (columns, "status", status);
  columns_set_int (columns, "updated_at", command->now);
  if (create)
    {
      columns_set_text (columns, "author", command->account->username);
      columns_set_int (columns, "created_at", command->now);
    }
  if (!store_row (command, create, columns, verdict))
    return FALSE;
  if (!insert_article_revision (command))
    return reject (verdict, "invalid", NULL, "could not keep the article's history: %s",
                   sqlite3_errmsg (command->db));
  return TRUE;
}

static JsonNode *
live_row (Command *command, const char *table, const char *uuid)
{
  g_autoptr (JsonNode) row = uuid != NULL ? read_row (command->db, table, uuid) : NULL;

  return row != NULL && !row_int (row, "deleted") ? g_steal_pointer (&row) : NULL;
}

/* Linking an article documents the ticket: it stops a running "document
 * it" clock [10.2]. */
static gboolean
apply_article_link (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (GPtrArray) ticket_columns = columns_new ();
  g_autoptr (JsonNode) article = NULL;
  g_autoptr (JsonNode) ticket = NULL;
  g_autoptr (Statement) existing = NULL;
  const char *article_id = field_text (command->fields, "article");
  const char *ticket_id = field_text (command->fields, "ticket");

  if (!require_permission (command, "knowledge.write", verdict))
    return FALSE;
  if ((article = live_row (command, "article", article_id)) == NULL)
    return reject (verdict, "not_found", "article", "article: no article %s",
                   article_id != NULL ? article_id : "(missing)");
  if ((ticket = live_row (command, "ticket", ticket_id)) == NULL)
    return reject (verdict, "not_found", "ticket", "ticket: no ticket %s",
                   ticket_id != NULL ? ticket_id : "(missing)");

  existing = prepare (command->db, "SELECT 1 FROM article_link WHERE article = ? AND ticket = ? "
                                   "AND deleted = 0");
  sqlite3_bind_text (existing, 1, article_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (existing, 2, ticket_id, -1, SQLITE_STATIC);
  if (sqlite3_step (existing) == SQLITE_ROW)
    return reject (verdict, "exists", "article", "article: \"%s\" is already linked to this ticket",
                   row_text (article, "title"));

  columns_from_fields (columns, command->entity, command->fields);
  columns_set_text (columns, "created_by", command->account->username);
  columns_set_int (columns, "created_at", command->now);
  if (!store_row (command, TRUE, columns, verdict))
    return FALSE;

  if (row_int (ticket, "new_issue") && row_int (ticket, "resolved_at") > 0
      && row_int (ticket, "documented_at") == 0)
    {
      columns_set_int (ticket_columns, "documented_at", command->now);
      update_row (command->db, "ticket", ticket_id, next_rev (command->db), ticket_columns);
      command->ticket = read_row (command->db, "ticket", ticket_id);
    }
  return TRUE;
}

static gboolean
ticket_has_link (Command *command, const char *ticket_id, gboolean known_issue_only)
{
  g_autoptr (Statement) stmt = prepare (
      command->db, known_issue_only
                       ? "SELECT 1 FROM article_link l JOIN article a ON a.uuid = l.article "
                         "WHERE l.ticket = ? AND l.deleted = 0 AND a.deleted = 0 "
                         "AND a.kind = 'known_issue'"
                       : "SELECT 1 FROM article_link l JOIN article a ON a.uuid = l.article "
                         "WHERE l.ticket = ? AND l.deleted = 0 AND a.deleted = 0");

  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* The knowledge part of resolving [3.4, 10.2]: a linked known issue makes
 * the resolution "known issue (documented)"; a resolver's "new issue" flag
 * starts the 24-hour clock unless an article is linked already. */
static void
resolve_knowledge (Command *command, JsonNode *ticket, JsonObject *data, GPtrArray *ticket_columns)
{
  const char *ticket_id = row_text (ticket, "uuid");
  JsonNode   *flag = data != NULL ? json_object_get_member (data, "new_issue") : NULL;
  gboolean    new_issue = flag != NULL && JSON_NODE_HOLDS_VALUE (flag)
                       && json_node_get_value_type (flag) == G_TYPE_BOOLEAN
                       && json_node_get_boolean (flag);
  gboolean    known_issue = ticket_has_link (command, ticket_id, TRUE);
  const char *resolution_class = td_knowledge_resolution_class (known_issue, new_issue);

  columns_set_text (ticket_columns, "resolution_class", resolution_class);
  columns_set_int (ticket_columns, "new_issue", new_issue);
  if (new_issue && ticket_has_link (command, ticket_id, FALSE))
    columns_set_int (ticket_columns, "documented_at", command->now);
  else
    columns_set_null (ticket_columns, "documented_at");
}

static gboolean
is_boolean (JsonNode *node)
{
  return node == NULL
         || (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN);
}

/* The people a review needs [10.2]: whoever owned or worked the ticket,
 * as far as the directory knows them. */
static JsonNode *
pir_participants (Command *command, const char *ticket_id)
{
  g_autoptr (Statement) stmt = prepare (
      command->db,
      "SELECT p.uuid, p.name FROM person p WHERE p.deleted = 0 AND p.uuid IN ("
      "  SELECT owner FROM ticket WHERE uuid = ?1"
      "  UNION SELECT a.person FROM ticket_event e JOIN account a ON a.username = e.author"
      "        WHERE e.ticket = ?1 AND e.deleted = 0"
      /* Imported history (the demo data) names people, not accounts. */
      "  UNION SELECT author FROM ticket_event WHERE ticket = ?1 AND deleted = 0)"
      " ORDER BY p.name");
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  json_builder_begin_array (builder);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "person");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "attended");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* Called in the resolving command's transaction, after its event is
 * stored, so the timeline ends with the resolution itself. A ticket
 * resolved again after a reopen keeps its first review. */
static gboolean
create_pir_on_resolve (Command *command, const char *ticket_id, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (GPtrArray) events
      = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (Statement) existing
      = prepare (command->db, "SELECT 1 FROM pir WHERE ticket = ? AND deleted = 0");
  g_autoptr (Statement) history = NULL;
  g_autoptr (JsonNode) timeline = NULL;
  g_autoptr (JsonNode) participants = NULL;
  g_autofree char *timeline_text = NULL;
  g_autofree char *participants_text = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  sqlite3_bind_text (existing, 1, ticket_id, -1, SQLITE_STATIC);
  if (sqlite3_step (existing) == SQLITE_ROW)
    return TRUE;

  history = prepare (command->db, "SELECT * FROM ticket_event WHERE ticket = ? AND deleted = 0");
  sqlite3_bind_text (history, 1, ticket_id, -1, SQLITE_STATIC);
  while (sqlite3_step (history) == SQLITE_ROW)
    {
      g_autoptr (JsonNode) event = row_to_json (history, NULL);
      g_ptr_array_add (events, json_object_ref (json_node_get_object (event)));
    }
  timeline = td_pir_timeline_from_events (events);
  timeline_text = td_json_to_string (timeline, FALSE);
  participants = pir_participants (command, ticket_id);
  participants_text = td_json_to_string (participants, FALSE);

  columns_set_text (columns, "ticket", ticket_id);
  columns_set_text (columns, "status", "scheduled");
  columns_set_int (columns, "due_at", td_pir_due (command->policy, command->now));
  columns_set_text (columns, "participants", participants_text);
  columns_set_text (columns, "timeline", timeline_text);
  columns_set_text (columns, "actions", "[]");
  columns_set_int (columns, "created_at", command->now);
  columns_set_int (columns, "updated_at", command->now);
  if (!insert_row (command->db, "pir", uuid, next_rev (command->db), columns))
    return reject (verdict, "invalid", NULL, "could not create the post-incident review: %s",
                   sqlite3_errmsg (command->db));
  return TRUE;
}

static gboolean
apply_pir (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  g_autoptr (JsonObject) merged_row = NULL;
  g_autoptr (TdPir) pir = NULL;
  g_autoptr (GError) error = NULL;
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  if (g_str_equal (command->type, "create"))
    return reject (verdict, "rule", "entity",
                   "post-incident reviews are created by the server when a SEV-1 or SEV-2 "
                   "ticket is resolved");
  if (!require_permission (command, "pir.write", verdict))
    return FALSE;
  if ((current = current_row (command, verdict)) == NULL)
    return FALSE;

  if (json_object_has_member (command->fields, "participants"))
    {
      JsonArray *array = json_object_get_array_member (command->fields, "participants");

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode   *element = json_array_get_element (array, i);
          JsonObject *object
              = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

          if (object != NULL
              && (!is_boolean (json_object_get_member (object, "required"))
                  || !is_boolean (json_object_get_member (object, "attended"))))
            return reject (verdict, "invalid", "participants",
                           "participants[%u]: required and attended are true or false", i);
        }
    }

  /* The review as it will be, checked as a whole by core. */
  columns_from_fields (columns, command->entity, command->fields);
  merged_row = json_object_new ();
  json_object_iter_init (&iter, json_node_get_object (current));
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (merged_row, name, json_node_copy (value));
  for (guint i = 0; i < columns->len; i++)
    {
      const Column *column = g_ptr_array_index (columns, i);

      if (column->is_null)
        json_object_set_null_member (merged_row, column->name);
      else if (column->is_int)
        json_object_set_int_member (merged_row, column->name, column->number);
      else
        json_object_set_string_member (merged_row, column->name, column->text);
    }

  pir = td_pir_new_from_row (merged_row, &error);
  if (pir == NULL || !td_pir_check (pir, &error))
    {
      g_autofree char *field = error_field (error);
      return reject (verdict,
                     g_error_matches (error, TD_PIR_ERROR, TD_PIR_ERROR_RULE) ? "rule" : "invalid",
                     field, "%s", error->message);
    }

  columns_set_int (columns, "updated_at", command->now);
  return store_row (command, FALSE, columns, verdict);
}

/* Shift handoffs */

static gboolean
hand_over (Command *command, GPtrArray *columns, const char *me, Verdict *verdict)
{
  const Column *tier = columns_get (columns, "tier");
  const Column *start = columns_get (columns, "period_start");
  const Column *end = columns_get (columns, "period_end");
  const Column *handed_to = columns_get (columns, "handed_to");
  JsonNode     *report = json_object_get_member (command->fields, "report");

  if (tier == NULL || tier->is_null)
    return reject (verdict, "missing_fields", "tier", "required fields are missing: tier");
  if (td_policy_get_tier (command->policy, tier->number) == NULL)
    return reject (verdict, "invalid", "tier", "tier: unknown tier %" G_GINT64_FORMAT,
                   tier->number);
  if (report == NULL || !JSON_NODE_HOLDS_OBJECT (report))
    return reject (verdict, "missing_fields", "report",
                   "required fields are missing: report (the report as handed over)");
  if (start != NULL && end != NULL && !start->is_null && !end->is_null
      && end->number < start->number)
    return reject (verdict, "invalid", "period_end",
                   "period_end: the shift must end after it starts");
  if (handed_to != NULL && !handed_to->is_null)
    {
      if (!person_exists (command->db, handed_to->text))
        return reject (verdict, "invalid", "handed_to", "handed_to: no person %s in the directory",
                       handed_to->text);
      if (g_str_equal (handed_to->text, me))
        return reject (verdict, "invalid", "handed_to",
                       "handed_to: a shift is handed over to someone else");
    }
  if (!may_act_at_tier (command, (int) tier->number, verdict))
    return FALSE;
  columns_set_text (columns, "author", me);
  columns_set_int (columns, "created_at", command->now);
  return TRUE;
}

static gboolean
acknowledge (Command    *command,
             GPtrArray  *columns,
             JsonNode   *current,
             const char *me,
             Verdict    *verdict)
{
  const Column *by = columns_get (columns, "acknowledged_by");
  const char   *handed_to = row_text (current, "handed_to");

  if (by == NULL)
    return reject (verdict, "invalid", "fields",
                   "a handoff is only ever acknowledged: send acknowledged_by");
  if (by->is_null || g_strcmp0 (by->text, me) != 0)
    return reject (verdict, "forbidden", "acknowledged_by",
                   "acknowledged_by: a handoff is acknowledged by the incoming lead themselves");
  if (row_text (current, "acknowledged_by") != NULL)
    return reject (verdict, "rule", "acknowledged_by",
                   "acknowledged_by: this handoff was already acknowledged");
  if (g_strcmp0 (row_text (current, "author"), me) == 0)
    return reject (verdict, "forbidden", "acknowledged_by",
                   "acknowledged_by: the outgoing lead cannot acknowledge their own handoff");
  if (handed_to != NULL && !g_str_equal (handed_to, me))
    return reject (verdict, "forbidden", "acknowledged_by",
                   "acknowledged_by: this handoff was handed to someone else");
  if (!may_act_at_tier (command, (int) row_int (current, "tier"), verdict))
    return FALSE;
  columns_set_int (columns, "acknowledged_at", command->now);
  return TRUE;
}

static gboolean
apply_shift_handoff (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  gboolean create = g_str_equal (command->type, "create");
  /* An account without a person (an administrator) signs with its name. */
  const char *me
      = command->account->person != NULL ? command->account->person : command->account->username;

  if (!require_permission (command, "handoff.write", verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;
  columns_from_fields (columns, command->entity, command->fields);
  if (create ? !hand_over (command, columns, me, verdict)
             : !acknowledge (command, columns, current, me, verdict))
    return FALSE;
  return store_row (command, create, columns, verdict);
}

static gboolean
apply_change_record (Command *command, Verdict *verdict)
{
  g_autoptr (GPtrArray) columns = columns_new ();
  g_autoptr (JsonNode) current = NULL;
  g_autofree char *explanation = NULL;
  gboolean         create = g_str_equal (command->type, "create");
  const char      *ticket;
  const char      *field = NULL;
  TdChangeFields   change = { 0 };
  gint64           tier = 0;
  gint64           performed_at = 0;

  if (!require_permission (command, "change.write", verdict))
    return FALSE;
  if (!create && (current = current_row (command, verdict)) == NULL)
    return FALSE;
  columns_from_fields (columns, command->entity, command->fields);

  merged_int (columns, current, "tier", &tier);
  merged_int (columns, current, "performed_at", &performed_at);
  change.title = merged_text (columns, current, "title");
  change.kind = merged_text (columns, current, "kind");
  change.tier = (int) CLAMP (tier, G_MININT, G_MAXINT);
  change.status = merged_text (columns, current, "status");
  change.performed_at = performed_at;
  change.outcome_note = merged_text (columns, current, "outcome_note");
  if (td_change_check (command->policy, &change, command->now, &field, &explanation)
      != TD_CHANGE_CHECK_OK)
    return reject (verdict, "invalid", field, "%s", explanation);

  ticket = merged_text (columns, current, "ticket");
  if (ticket != NULL)
    {
      g_autoptr (JsonNode) row = live_row (command, "ticket", ticket);
      if (row == NULL)
        return reject (verdict, "not_found", "ticket", "ticket: no ticket %s", ticket);
    }
  if (!check_person_field (command, "implementer", merged_text (columns, current, "implementer"),
                           verdict))
    return FALSE;

  if (create)
    {
      columns_set_text (columns, "author", actor_id (command));
      columns_set_int (columns, "created_at", command->now);
    }
  return store_row (command, create, columns, verdict);
}

static gboolean
dispatch (Command *command, Verdict *verdict)
{
  const char *entity = command->entity->name;
  const char *type = command->type;

  if (g_str_equal (type, "delete") && g_str_equal (entity, "training_record"))
    {
      g_autoptr (JsonNode) before = read_row (command->db, entity, command->entity_id);

      return apply_delete (command, verdict)
             && record_training_change (command, "deleted", before, NULL, verdict);
    }
  if (g_str_equal (type, "delete")
      && (g_str_equal (entity, "correction_request") || g_str_equal (entity, "access_request")))
    return reject (verdict, "forbidden", NULL,
                   "%s: a request is a record and is never deleted; the requester withdraws it "
                   "(status cancelled)",
                   entity);
  if (g_str_equal (type, "delete"))
    return apply_delete (command, verdict);
  if (g_str_equal (entity, "ticket"))
    {
      if (g_str_equal (type, "create"))
        {
          g_autoptr (JsonNode) existing = read_row (command->db, "ticket", command->entity_id);
          if (existing != NULL)
            return reject (verdict, "exists", "entity_id", "ticket %s already exists",
                           command->entity_id);
          return apply_ticket_create (command, verdict);
        }
      return apply_ticket_update (command, verdict);
    }
  if (g_str_equal (entity, "person"))
    {
      if (g_str_equal (type, "create"))
        {
          g_autoptr (JsonNode) existing = read_row (command->db, "person", command->entity_id);
          if (existing != NULL)
            return reject (verdict, "exists", "entity_id", "person %s already exists",
                           command->entity_id);
        }
      return apply_person (command, verdict);
    }
  if (g_str_equal (entity, "ticket_event"))
    return apply_event (command, verdict);

  if (g_str_equal (type, "create"))
    {
      g_autoptr (JsonNode) existing = read_row (command->db, entity, command->entity_id);
      if (existing != NULL)
        return reject (verdict, "exists", "entity_id", "%s %s already exists", entity,
                       command->entity_id);
    }
  if (g_str_equal (entity, "rotation"))
    return apply_rotation (command, verdict);
  if (g_str_equal (entity, "rotation_member"))
    return apply_rotation_member (command, verdict);
  if (g_str_equal (entity, "rota_override"))
    return apply_rota_override (command, verdict);
  if (g_str_equal (entity, "training_record"))
    return apply_training_record (command, verdict);
  if (g_str_equal (entity, "training_topic"))
    return apply_training_topic (command, verdict);
  if (g_str_equal (entity, "correction_request"))
    return apply_request (command, verdict, file_correction_request, decide_correction_request);
  if (g_str_equal (entity, "access_request"))
    return apply_request (command, verdict, file_access_request, decide_access_request);
  if (g_str_equal (entity, "article"))
    return apply_article (command, verdict);
  if (g_str_equal (entity, "article_link"))
    return apply_article_link (command, verdict);
  if (g_str_equal (entity, "pir"))
    return apply_pir (command, verdict);
  if (g_str_equal (entity, "shift_handoff"))
    return apply_shift_handoff (command, verdict);
  if (g_str_equal (entity, "change_record"))
    return apply_change_record (command, verdict);
  return apply_swap_request (command, verdict);
}

static JsonNode *
result_json (Command *command, Verdict *verdict)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, command->id);
  json_builder_set_member_name (builder, "status");
  switch (verdict->outcome)
    {
      case OUTCOME_APPLIED:
        json_builder_add_string_value (builder, "applied");
        json_builder_set_member_name (builder, "rev");
        json_builder_add_int_value (builder, command->rev);
        json_builder_set_member_name (builder, "row");
        json_builder_add_value (builder, json_node_copy (command->row));
        if (command->ticket != NULL)
          {
            json_builder_set_member_name (builder, "ticket");
            json_builder_add_value (builder, json_node_copy (command->ticket));
          }
        break;
      case OUTCOME_CONFLICT:
        json_builder_add_string_value (builder, "conflict");
        json_builder_set_member_name (builder, "reason");
        json_builder_add_string_value (builder, verdict->reason);
        json_builder_set_member_name (builder, "current");
        json_builder_add_value (builder, json_node_copy (verdict->current));
        break;
      case OUTCOME_REJECTED:
      default:
        json_builder_add_string_value (builder, "rejected");
        json_builder_set_member_name (builder, "code");
        json_builder_add_string_value (builder, verdict->code);
        json_builder_set_member_name (builder, "reason");
        json_builder_add_string_value (builder, verdict->reason);
        if (verdict->field != NULL)
          {
            json_builder_set_member_name (builder, "field");
            json_builder_add_string_value (builder, verdict->field);
          }
        break;
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Applies one command inside the batch's transaction, under a savepoint of
 * its own so that it stays all-or-nothing; returns its result, or NULL if
 * the store failed (the caller then rolls the whole batch back). */
static JsonNode *
apply_one (Command *command)
{
  g_auto (Verdict) verdict = { OUTCOME_APPLIED };
  g_autoptr (Statement) seen = NULL;
  g_autoptr (JsonNode) before = NULL;
  g_autoptr (JsonNode) result = NULL;
  g_autofree char *action = NULL;
  gboolean         remembered;

  if (!exec (command->db, "SAVEPOINT command", NULL))
    return NULL;

  /* At most once, also across restarts: the first answer is replayed. */
  seen = prepare (command->db, "SELECT result FROM applied_command WHERE command = ?");
  sqlite3_bind_text (seen, 1, command->id, -1, SQLITE_STATIC);
  if (sqlite3_step (seen) == SQLITE_ROW)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_parser_load_from_data (parser, (const char *) sqlite3_column_text (seen, 0), -1, NULL);
      g_clear_pointer (&seen, sqlite3_finalize);
      exec (command->db, "ROLLBACK TO command; RELEASE command", NULL);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, command->id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "duplicate");
      json_builder_set_member_name (builder, "first");
      json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
      json_builder_end_object (builder);
      return json_builder_get_root (builder);
    }

  before = read_row (command->db, command->entity->name, command->entity_id);
  if (command->role == NULL)
    reject (&verdict, "forbidden", NULL, "the account's role \"%s\" is not in the policy",
            command->account->role);
  else
    dispatch (command, &verdict);
  result = result_json (command, &verdict);

  if (verdict.outcome == OUTCOME_CONFLICT)
    {
      /* Nothing changed and nothing is remembered: after merging, the
       * client sends a new command. */
      exec (command->db, "ROLLBACK TO command; RELEASE command", NULL);
      return g_steal_pointer (&result);
    }
  if (verdict.outcome == OUTCOME_REJECTED)
    {
      /* Undo any partial write, but remember the answer (ROLLBACK TO
       * keeps the savepoint open). */
      exec (command->db, "ROLLBACK TO command", NULL);
    }

  {
    g_autoptr (Statement) remember
        = prepare (command->db, "INSERT INTO applied_command (command, rev, result, applied_at) "
                                "VALUES (?, ?, ?, ?)");
    g_autofree char *text = td_json_to_string (result, FALSE);

    sqlite3_bind_text (remember, 1, command->id, -1, SQLITE_STATIC);
    if (verdict.outcome == OUTCOME_APPLIED)
      sqlite3_bind_int64 (remember, 2, command->rev);
    else
      sqlite3_bind_null (remember, 2);
    sqlite3_bind_text (remember, 3, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (remember, 4, command->now);
    /* Unremembered, a retry would apply it twice: the command fails whole. */
    remembered = sqlite3_step (remember) == SQLITE_DONE;
  }

  if (verdict.outcome == OUTCOME_APPLIED && command->audit_action != NULL)
    action = g_strdup (command->audit_action);
  else
    action = g_strdup_printf ("%s %s%s", command->type, command->entity->name,
                              verdict.outcome == OUTCOME_REJECTED ? " (rejected)" : "");
  /* Nor is anything written that the audit log does not record. */
  if (!remembered
      || !audit (command->db, command->now, command->account->username, action,
                 command->entity->name, command->entity_id, before, command->row)
      || !exec (command->db, "RELEASE command", NULL))
    {
      exec (command->db, "ROLLBACK TO command; RELEASE command", NULL);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* Reading the batch: every problem of form is a 400 naming the field. */

static const EntitySpec *
find_entity (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_strcmp0 (entities[i].name, name) == 0)
      return &entities[i];
  return NULL;
}

static const FieldSpec *
find_field (const EntitySpec *entity, const char *name)
{
  for (const FieldSpec *spec = entity->fields; spec->name != NULL; spec++)
    if (g_str_equal (spec->name, name))
      return spec;
  return NULL;
}

static TdApiError *
wrong_type (const char *path, const char *expected, JsonNode *found)
{
  return td_api_error_new (400, "wrong_type", path, "%s: expected %s, found %s", path, expected,
                           td_json_node_describe (found));
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static TdApiError *
check_field (const char *path, const FieldSpec *spec, JsonNode *value)
{
  TdInstant instant;

  if (JSON_NODE_HOLDS_NULL (value))
    return NULL;
  switch (spec->type)
    {
      case FIELD_TEXT:
        if (!is_string (value))
          return wrong_type (path, "a string", value);
        if (strlen (json_node_get_string (value)) > 65536)
          return td_api_error_new (400, "too_long", path, "%s: longer than 65536 bytes", path);
        return NULL;
      case FIELD_INT:
        if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
          return wrong_type (path, "an integer", value);
        return NULL;
      case FIELD_INSTANT:
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
          return NULL;
        if (!is_string (value))
          return wrong_type (path, "an ISO 8601 instant", value);
        if (!td_time_parse_instant (json_node_get_string (value), &instant))
          return td_api_error_new (
              400, "bad_value", path,
              "%s: cannot parse \"%s\" as an ISO 8601 instant with a time zone", path,
              json_node_get_string (value));
        return NULL;
      case FIELD_DATE:
        if (!is_string (value))
          return wrong_type (path, "a date (YYYY-MM-DD)", value);
        if (!td_time_parse_date (json_node_get_string (value), NULL))
          return td_api_error_new (400, "bad_value", path,
                                   "%s: cannot parse \"%s\" as a date (YYYY-MM-DD)", path,
                                   json_node_get_string (value));
        return NULL;
      case FIELD_JSON:
        if (!JSON_NODE_HOLDS_OBJECT (value))
          return wrong_type (path, "an object", value);
        return NULL;
      case FIELD_ARRAY:
        if (!JSON_NODE_HOLDS_ARRAY (value))
          return wrong_type (path, "an array", value);
        return NULL;
      case FIELD_STRINGS:
        if (!JSON_NODE_HOLDS_ARRAY (value))
          return wrong_type (path, "an array of strings", value);
        for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
          {
            JsonNode *item = json_array_get_element (json_node_get_array (value), i);

            if (!is_string (item))
              {
                g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
                return wrong_type (item_path, "a string", item);
              }
          }
        return NULL;
      default:
        g_assert_not_reached ();
    }
}

static TdApiError *
check_command (JsonNode *node, guint index, Command *command)
{
  static const char *const members[]
      = { "id", "type", "entity", "entity_id", "base_rev", "fields", NULL };
  g_autofree char *path = g_strdup_printf ("commands[%u]", index);
  JsonObject      *object;
  JsonObjectIter   iter;
  const char      *name;
  JsonNode        *value;
  JsonNode        *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, "an object", node);
  object = json_node_get_object (node);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_strv_contains (members, name))
      {
        g_autofree char *field = g_strdup_printf ("%s.%s", path, name);
        return td_api_error_new (400, "unknown_field", field, "%s: unknown field", field);
      }

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *field = g_strdup_printf ("%s.%s", path, members[i]);

      member = json_object_get_member (object, members[i]);
      if (member == NULL)
        return td_api_error_new (400, "missing_field", field, "%s: missing", field);
      if (!is_string (member))
        return wrong_type (field, "a string", member);
    }

  command->id = json_object_get_string_member (object, "id");
  command->type = json_object_get_string_member (object, "type");
  command->entity_id = json_object_get_string_member (object, "entity_id");
  command->entity = find_entity (json_object_get_string_member (object, "entity"));

  if (!g_uuid_string_is_valid (command->id))
    {
      g_autofree char *field = g_strdup_printf ("%s.id", path);
      return td_api_error_new (400, "bad_value", field, "%s: \"%s\" is not a UUID", field,
                               command->id);
    }
  if (!g_uuid_string_is_valid (command->entity_id))
    {
      g_autofree char *field = g_strdup_printf ("%s.entity_id", path);
      return td_api_error_new (400, "bad_value", field, "%s: \"%s\" is not a UUID", field,
                               command->entity_id);
    }
  if (command->entity == NULL)
    {
      g_autofree char *field = g_strdup_printf ("%s.entity", path);
      return td_api_error_new (400, "bad_value", field,
                               "%s: unknown entity \"%s\" (expected ticket, ticket_event, "
                               "person, rotation, rotation_member, rota_override, "
                               "swap_request, training_record, training_topic, correction_request, "
                               "access_request, article, article_link or pir)",
                               field, json_object_get_string_member (object, "entity"));
    }
  if (!g_strv_contains ((const char *[]){ "create", "update", "delete", "append", NULL },
                        command->type)
      || (command->entity->append_only != g_str_equal (command->type, "append")))
    {
      g_autofree char *field = g_strdup_printf ("%s.type", path);
      return td_api_error_new (400, "bad_value", field, "%s: %s cannot take the command \"%s\"",
                               field, command->entity->name, command->type);
    }

  member = json_object_get_member (object, "base_rev");
  if (g_str_equal (command->type, "update") || g_str_equal (command->type, "delete"))
    {
      g_autofree char *field = g_strdup_printf ("%s.base_rev", path);

      if (member == NULL)
        return td_api_error_new (400, "missing_field", field,
                                 "%s: missing (an update names the revision it is based on)",
                                 field);
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64)
        return wrong_type (field, "an integer", member);
      command->base_rev = json_node_get_int (member);
    }

  member = json_object_get_member (object, "fields");
  if (member == NULL && !g_str_equal (command->type, "delete"))
    {
      g_autofree char *field = g_strdup_printf ("%s.fields", path);
      return td_api_error_new (400, "missing_field", field, "%s: missing", field);
    }
  if (member != NULL)
    {
      g_autofree char *fields_path = g_strdup_printf ("%s.fields", path);

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return wrong_type (fields_path, "an object", member);
      command->fields = json_node_get_object (member);

      json_object_iter_init (&iter, command->fields);
      while (json_object_iter_next (&iter, &name, &value))
        {
          g_autofree char *field = g_strdup_printf ("%s.%s", fields_path, name);
          const FieldSpec *spec = find_field (command->entity, name);
          TdApiError      *error;

          if (spec == NULL)
            return td_api_error_new (400, "unknown_field", field, "%s: %s has no field \"%s\"",
                                     field, command->entity->name, name);
          if (g_str_equal (command->type, "update") && !spec->on_update)
            return td_api_error_new (400, "read_only", field,
                                     g_str_equal (command->entity->name, "ticket")
                                         ? "%s: cannot be changed by an update (use an event)"
                                         : "%s: cannot be changed by an update",
                                     field);
          if (g_str_equal (command->type, "create") && !spec->on_create)
            return td_api_error_new (400, "read_only", field,
                                     "%s: set by the server, not by a create", field);
          if ((error = check_field (field, spec, value)) != NULL)
            return error;
        }
    }
  return NULL;
}

JsonNode *
td_store_apply_commands (TdStore         *self,
                         const TdAccount *account,
                         JsonNode        *body,
                         gint64           now,
                         gint64          *head,
                         TdApiError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree Command *commands = NULL;
  JsonObject         *object;
  JsonArray          *array;
  JsonNode           *member;
  JsonObjectIter      iter;
  const char         *name;
  guint               n;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      *error = td_api_error_new (400, "wrong_type", NULL, "the body must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (body);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_str_equal (name, "commands"))
      {
        *error = td_api_error_new (400, "unknown_field", name, "%s: unknown field", name);
        return NULL;
      }
  member = json_object_get_member (object, "commands");
  if (member == NULL)
    {
      *error = td_api_error_new (400, "missing_field", "commands", "commands: missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      *error = wrong_type ("commands", "an array", member);
      return NULL;
    }
  array = json_node_get_array (member);
  n = json_array_get_length (array);
  if (n > TD_STORE_MAX_PAGE)
    {
      *error = td_api_error_new (413, "too_many_commands", "commands",
                                 "commands: at most %d in one batch, not %u", TD_STORE_MAX_PAGE, n);
      return NULL;
    }

  locker = g_mutex_locker_new (&self->lock);
  commands = g_new0 (Command, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      commands[i].store = self;
      commands[i].db = self->db;
      commands[i].policy = self->policy;
      commands[i].account = account;
      commands[i].role = td_policy_get_role (self->policy, account->role);
      commands[i].now = now;
      if ((*error = check_command (json_array_get_element (array, i), i, &commands[i])) != NULL)
        return NULL;
    }

  /* One transaction for the batch, a savepoint for each command: each
   * command is still all-or-nothing, but the batch is written to disk once
   * instead of once per command. If anything fails, nothing of the batch
   * is kept, and the client's retry (same ids) applies it exactly once. */
  if (!exec (self->db, "BEGIN IMMEDIATE", NULL))
    {
      *error = store_write_error (self->db, "the batch");
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *result = apply_one (&commands[i]);

      g_clear_pointer (&commands[i].row, json_node_unref);
      g_clear_pointer (&commands[i].ticket, json_node_unref);
      if (result == NULL)
        {
          g_autofree char *what = g_strdup_printf ("command %u of the batch", i);

          *error = store_write_error (self->db, what);
          exec (self->db, "ROLLBACK", NULL);
          json_builder_end_array (builder);
          return NULL;
        }
      json_builder_add_value (builder, result);
    }
  json_builder_end_array (builder);
  if (!exec (self->db, "COMMIT", NULL))
    {
      *error = store_write_error (self->db, "the batch");
      exec (self->db, "ROLLBACK", NULL);
      return NULL;
    }
  json_builder_set_member_name (builder, "head");
  *head = meta_get_int (self->db, "head_rev");
  json_builder_add_int_value (builder, *head);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
td_store_get_ticket (TdStore *self, const char *uuid, TdApiError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (JsonNode) ticket = NULL;
  g_autoptr (Statement) events = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonObject *object;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);

  ticket = read_row (self->db, "ticket", uuid);
  if (ticket == NULL || row_int (ticket, "deleted"))
    {
      *error = td_api_error_new (404, "not_found", "id", "no ticket %s", uuid);
      return NULL;
    }

  events = prepare (self->db, "SELECT * FROM ticket_event WHERE ticket = ? AND deleted = 0 "
                              "ORDER BY at, rev");
  sqlite3_bind_text (events, 1, uuid, -1, SQLITE_STATIC);
  json_builder_begin_array (builder);
  while (sqlite3_step (events) == SQLITE_ROW)
    json_builder_add_value (builder, row_to_json (events, NULL));
  json_builder_end_array (builder);

  object = json_node_get_object (ticket);
  json_object_set_member (object, "events", json_builder_get_root (builder));
  return g_steal_pointer (&ticket);
}

JsonNode *
td_store_list_tickets (TdStore     *self,
                       const char  *status,
                       int          tier,
                       const char  *search,
                       guint        limit,
                       TdApiError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GString) sql = g_string_new ("SELECT t.* FROM ticket t ");
  int index = 1;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  if (search != NULL && search[0] != '\0')
    g_string_append (sql, "JOIN ticket_fts f ON f.rowid = t.rowid AND ticket_fts MATCH ? ");
  g_string_append (sql, "WHERE t.deleted = 0 ");
  if (status != NULL)
    g_string_append (sql, "AND t.status = ? ");
  if (tier > 0)
    g_string_append (sql, "AND t.tier = ? ");
  g_string_append (sql, "ORDER BY t.created_at DESC LIMIT ?");

  locker = g_mutex_locker_new (&self->lock);
  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      *error = td_api_error_new (500, "internal", NULL, "%s", sqlite3_errmsg (self->db));
      return NULL;
    }
  if (search != NULL && search[0] != '\0')
    {
      /* Quote every word, so punctuation in a search is text, not syntax. */
      g_auto (GStrv) words = g_strsplit_set (search, " \t", -1);
      g_autoptr (GString) query = g_string_new (NULL);

      for (guint i = 0; words[i] != NULL; i++)
        {
          g_autoptr (GString) word = g_string_new (words[i]);

          if (word->len == 0)
            continue;
          g_string_replace (word, "\"", "\"\"", 0);
          g_string_append_printf (query, "%s\"%s\"", query->len > 0 ? " " : "", word->str);
        }
      sqlite3_bind_text (stmt, index++, query->str, -1, SQLITE_TRANSIENT);
    }
  if (status != NULL)
    sqlite3_bind_text (stmt, index++, status, -1, SQLITE_STATIC);
  if (tier > 0)
    sqlite3_bind_int (stmt, index++, tier);
  sqlite3_bind_int (stmt, index, CLAMP (limit, 1, TD_STORE_MAX_PAGE));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_array (builder);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    json_builder_add_value (builder, row_to_json (stmt, NULL));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
td_store_audit (TdStore *self, guint limit)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self->db, "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?");
  sqlite3_bind_int (stmt, 1, CLAMP (limit, 1, TD_STORE_MAX_PAGE));
  json_builder_begin_array (builder);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    json_builder_add_value (builder, row_to_json (stmt, NULL));
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* Backup and restore */

static gboolean
copy_database (sqlite3 *from, sqlite3 *to, GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");
  int             rc;

  if (backup == NULL)
    return set_sqlite_error (to, error, "could not start the backup");

  /* Small steps, so the server's writers are never held up for long; a
   * write in between restarts the copy from a consistent snapshot. */
  do
    {
      rc = sqlite3_backup_step (backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        g_usleep (10000);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);

  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (to, error, "the backup failed");
  return TRUE;
}

gboolean
td_store_backup (TdStore *self, const char *to, GError **error)
{
  sqlite3 *source = NULL;
  sqlite3 *target = NULL;
  gboolean ok;

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  if (g_file_test (to, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_EXISTS,
                   "%s already exists; a backup never overwrites a file", to);
      return FALSE;
    }

  /* A connection of its own, so the copy does not hold the store's lock. */
  if (sqlite3_open_v2 (self->path, &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      set_sqlite_error (source, error, self->path);
      close_db (source);
      return FALSE;
    }
  sqlite3_busy_timeout (source, 10000);
  if (sqlite3_open_v2 (to, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      set_sqlite_error (target, error, to);
      close_db (source);
      close_db (target);
      return FALSE;
    }

  ok = copy_database (source, target, error);
  close_db (source);
  close_db (target);
  if (!ok)
    g_unlink (to);
  return ok;
}

gboolean
td_store_restore (const char *path, const char *from, GError **error)
{
  sqlite3 *source = NULL;
  sqlite3 *target = NULL;
  g_autoptr (Statement) check = NULL;
  g_autofree char *epoch = NULL;

  if (sqlite3_open_v2 (from, &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      set_sqlite_error (source, error, from);
      close_db (source);
      return FALSE;
    }
  /* Refuse a file that is not a sound Tierdesk store before touching @path. */
  check = prepare (source, "PRAGMA integrity_check");
  if (sqlite3_step (check) != SQLITE_ROW
      || !g_str_equal ((const char *) sqlite3_column_text (check, 0), "ok")
      || td_schema_get_version (source, NULL) < 1)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_INVALID,
                   "%s is not an intact Tierdesk database", from);
      g_clear_pointer (&check, sqlite3_finalize);
      close_db (source);
      return FALSE;
    }
  g_clear_pointer (&check, sqlite3_finalize);

  if (sqlite3_open_v2 (path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK
      || !configure (target, error) || !copy_database (source, target, error))
    {
      if (error != NULL && *error == NULL)
        set_sqlite_error (target, error, path);
      close_db (source);
      close_db (target);
      return FALSE;
    }
  close_db (source);

  /* A new epoch: clients whose cursors came from the lost history resync. */
  {
    g_autoptr (Statement) stmt = prepare (target, "UPDATE meta SET value = lower (hex (randomblob "
                                                  "(16))) WHERE key = 'epoch'");
    sqlite3_step (stmt);
  }
  epoch = meta_get_text (target, "epoch");
  audit (target, td_time_now (), NULL, "restore", "meta", epoch, NULL, NULL);
  close_db (target);
  return TRUE;
}

gboolean
td_store_purge_tombstones (TdStore *self, gint64 before_rev, GError **error)
{
  const char *const *tables = td_schema_get_synced_tables ();
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql
          = g_strdup_printf ("DELETE FROM %s WHERE deleted = 1 AND rev < ?", tables[i]);
      g_autoptr (Statement) stmt = prepare (self->db, sql);

      sqlite3_bind_int64 (stmt, 1, before_rev);
      sqlite3_step (stmt);
    }
  meta_set_int (self->db, "tombstone_horizon",
                MAX (before_rev, meta_get_int (self->db, "tombstone_horizon")));
  return exec (self->db, "COMMIT", error);
}

/* GObject */

static void
td_store_finalize (GObject *object)
{
  TdStore *self = (TdStore *) object;

  close_db (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->policy);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (td_store_parent_class)->finalize (object);
}

static void
td_store_class_init (TdStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_store_finalize;
}

static void
td_store_init (TdStore *self)
{
  g_mutex_init (&self->lock);
}

/* Calendar feeds */

JsonNode *
td_store_get_feed_key (TdStore *self, const TdAccount *account)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self->db, "SELECT created_at FROM feed_key WHERE account = ?");
  sqlite3_bind_int64 (stmt, 1, account->id);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "has_key");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
    }
  else
    json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "person");
  if (account->person != NULL)
    json_builder_add_string_value (builder, account->person);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
td_store_reset_feed_key (TdStore *self, const TdAccount *account, gint64 now)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  /* 256 random bits, like a token; only the hash is kept, and the new
   * key replaces the old one in the same row, so the old one stops
   * working at once. */
  key = td_auth_new_token ();
  hash = td_auth_hash_token (key);
  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self->db, "INSERT INTO feed_key (account, hash, created_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (account) DO UPDATE SET hash = excluded.hash, "
                            "created_at = excluded.created_at");
  sqlite3_bind_int64 (stmt, 1, account->id);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return NULL;
  audit (self->db, now, account->username, "reset feed key", "account", account->username, NULL,
         NULL);
  return g_steal_pointer (&key);
}

/* Whether @key is the feed key of an enabled account. The row is found by
 * the key's SHA-256, so the look-up's timing says nothing about the key
 * itself; the hashes are then compared in constant time all the same. */
static gboolean
feed_key_valid (sqlite3 *db, const char *key)
{
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *hash = NULL;
  const char      *stored;

  if (key == NULL || strlen (key) < 32)
    return FALSE;
  hash = td_auth_hash_token (key);
  stmt = prepare (db, "SELECT f.hash FROM feed_key f JOIN account a ON a.id = f.account "
                      "WHERE f.hash = ? AND a.disabled = 0");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  stored = (const char *) sqlite3_column_text (stmt, 0);
  return stored != NULL && strlen (stored) == strlen (hash)
         && sodium_memcmp (stored, hash, strlen (hash)) == 0;
}

char *
td_store_oncall_feed (TdStore     *self,
                      const char  *key,
                      const char  *rotation,
                      const char  *slot,
                      const char  *person,
                      gint64       now,
                      TdApiError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (TdRotaStore) rotas = NULL;
  g_autoptr (GError) local_error = NULL;
  char *text;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);

  /* The same answer for a wrong key as for a feed that does not exist, so
   * the URL gives nothing away without the key. */
  if (!feed_key_valid (self->db, key))
    {
      *error = td_api_error_new (404, "not_found", "key",
                                 "no such feed, or the key is wrong or was reset");
      return NULL;
    }

  rotas = load_rota_store (self->db, self->policy, NULL);
  if (person != NULL)
    {
      if (!person_exists (self->db, person))
        {
          *error = td_api_error_new (404, "not_found", "person", "no person %s", person);
          return NULL;
        }
      return td_rota_store_write_person_ics (rotas, person, now - TD_STORE_FEED_PAST,
                                             now + TD_STORE_FEED_AHEAD, now);
    }
  text = td_rota_store_write_slot_ics (rotas, rotation, slot, now - TD_STORE_FEED_PAST,
                                       now + TD_STORE_FEED_AHEAD, now, &local_error);
  if (text == NULL)
    *error = td_api_error_new (404, "not_found", NULL, "%s", local_error->message);
  return text;
}
