/* td-schema.c — the SQLite schema shared by the server store and the client cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema is a list of numbered migrations per kind of database; the
 * number of migrations applied is kept in PRAGMA user_version. Migrations
 * are never edited once released: a change is always a new migration
 * appended to the arrays below (see docs/schema.md).
 *
 * Journal mode, busy timeout and PRAGMA foreign_keys are the caller's
 * business: the server puts its store in WAL mode, the client cache chooses
 * its own. Both must set a busy timeout, since migrating takes the write lock.
 */

#include "td-schema.h"

/* Each migration is the SQL both kinds share at that step, then the SQL of
 * the kind itself. Either may be NULL. */
typedef struct
{
  const char *shared;
  const char *own;
} TdMigration;

/* The SQL is laid out by hand so that it reads as SQL here and in the
 * schema SQLite stores (sqlite3 file.db .schema). */
/* clang-format off */

/* Migration 1, both kinds: the synced entities.
 *
 * Every synced table has uuid (client-generated), rev (the server revision
 * that last changed the row, 0 for a row the server has not seen yet) and
 * deleted (tombstone). Every other column is nullable or has a default, so
 * that sync code can write a row from uuid, rev and deleted alone (a
 * tombstone for a row this database never saw), and an UPSERT of a partial
 * row does not trip a NOT NULL check before its conflict clause is reached.
 *
 * References between synced tables (ticket_event.ticket, ticket.owner, …)
 * are plain uuids without FOREIGN KEY: a pull delivers rows in revision
 * order, so an event can arrive before the ticket it belongs to.
 *
 * Instants are INTEGER Unix seconds UTC; calendar dates (start dates,
 * training completions) are TEXT 'YYYY-MM-DD'; rota handoff times are local
 * wall-clock 'HH:MM' with an IANA zone, so they keep their hour across DST.
 * Values that come from the policy are its ids, as TEXT without a CHECK
 * since another policy may name them differently: severity ('SEV-1'),
 * priority ('P1'), impact, urgency, issue type, role, on-call position,
 * training, tool, correction type. Tiers are the policy's integer levels. */
#define SYNCED_COLUMNS                                                  \
  "  uuid    TEXT PRIMARY KEY NOT NULL,\n"                              \
  "  rev     INTEGER NOT NULL DEFAULT 0 CHECK (rev >= 0),\n"            \
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),\n"

#define DATE_CHECK(col) \
  "CHECK (" col " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')"

static const char shared_1[] =
  "CREATE TABLE ticket (\n"
  SYNCED_COLUMNS
  "  title              TEXT NOT NULL DEFAULT '',\n"
  "  description        TEXT NOT NULL DEFAULT '',\n"
  "  affected_user_id   TEXT NOT NULL DEFAULT '',\n"
  "  contact            TEXT,\n"
  "  steps_to_reproduce TEXT,\n"
  "  error_message      TEXT,\n"
  "  impact             TEXT,\n"
  "  urgency            TEXT,\n"
  "  browser_device     TEXT,\n"
  "  occurred_at        INTEGER,\n"
  "  tier               INTEGER NOT NULL DEFAULT 1 CHECK (tier >= 1),\n"
  "  severity           TEXT,\n"
  "  priority           TEXT,\n"
  "  issue_type         TEXT,\n"
  "  status             TEXT NOT NULL DEFAULT 'new',\n"
  "  owner              TEXT,\n"
  "  created_by         TEXT,\n"
  "  created_at         INTEGER NOT NULL DEFAULT 0,\n"
  "  tier_entered_at    INTEGER,\n"
  "  first_response_at  INTEGER,\n"
  "  last_update_at     INTEGER,\n"
  "  resolved_at        INTEGER,\n"
  "  closed_at          INTEGER,\n"
  "  resolution         TEXT,\n"
  "  pir_required       INTEGER NOT NULL DEFAULT 0 CHECK (pir_required IN (0, 1))\n"
  ");\n"

  /* History is append-only: the server never changes an event once it has
   * a revision, which is why events never conflict. */
  "CREATE TABLE ticket_event (\n"
  SYNCED_COLUMNS
  "  ticket  TEXT,\n"
  "  kind    TEXT NOT NULL DEFAULT 'comment',\n"
  "  author  TEXT,\n"
  "  at      INTEGER NOT NULL DEFAULT 0,\n"
  "  body    TEXT,\n"
  "  data    TEXT CHECK (data IS NULL OR json_valid (data))\n"
  ");\n"

  "CREATE TABLE person (\n"
  SYNCED_COLUMNS
  "  name        TEXT NOT NULL DEFAULT '',\n"
  "  role        TEXT,\n"
  "  tier        INTEGER CHECK (tier >= 1),\n"
  "  sub_team    TEXT,\n"
  "  email       TEXT,\n"
  "  phone       TEXT,\n"
  "  time_zone   TEXT,\n"
  "  shift       TEXT,\n"
  "  start_date  TEXT " DATE_CHECK ("start_date") ",\n"
  "  engage_when TEXT\n"
  ");\n"

  /* Week 1 of the cycle starts on start_date at handoff_time in time_zone;
   * every later week hands off on the same weekday at the same wall-clock
   * time. policy_id names the policy's on-call entry the rota fills;
   * positions is the ordered JSON array of its position ids. */
  "CREATE TABLE rotation (\n"
  SYNCED_COLUMNS
  "  name         TEXT NOT NULL DEFAULT '',\n"
  "  policy_id    TEXT,\n"
  "  tier         INTEGER CHECK (tier >= 1),\n"
  "  time_zone    TEXT NOT NULL DEFAULT 'UTC',\n"
  "  start_date   TEXT " DATE_CHECK ("start_date") ",\n"
  "  handoff_time TEXT NOT NULL DEFAULT '09:00'\n"
  "               CHECK (handoff_time GLOB '[0-2][0-9]:[0-5][0-9]'),\n"
  "  weeks        INTEGER NOT NULL DEFAULT 1 CHECK (weeks >= 1),\n"
  "  positions    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (positions))\n"
  ");\n"

  /* One row: this person holds this position in this week of the cycle. */
  "CREATE TABLE rotation_member (\n"
  SYNCED_COLUMNS
  "  rotation TEXT,\n"
  "  person   TEXT,\n"
  "  position TEXT NOT NULL DEFAULT '',\n"
  "  week     INTEGER NOT NULL DEFAULT 1 CHECK (week >= 1)\n"
  ");\n"

  /* An override is a concrete interval, so instants (not wall-clock). */
  "CREATE TABLE rota_override (\n"
  SYNCED_COLUMNS
  "  rotation   TEXT,\n"
  "  position   TEXT NOT NULL DEFAULT '',\n"
  "  person     TEXT,\n"
  "  replaces   TEXT,\n"
  "  starts_at  INTEGER NOT NULL DEFAULT 0,\n"
  "  ends_at    INTEGER NOT NULL DEFAULT 0,\n"
  "  reason     TEXT,\n"
  "  created_by TEXT,\n"
  "  created_at INTEGER NOT NULL DEFAULT 0,\n"
  "  CHECK (ends_at >= starts_at)\n"
  ");\n"

  /* The requester gives the "give" interval to the counterpart and takes
   * the "take" interval in return; no "take" interval means a plain cover. */
  "CREATE TABLE swap_request (\n"
  SYNCED_COLUMNS
  "  rotation       TEXT,\n"
  "  position       TEXT,\n"
  "  requester      TEXT,\n"
  "  counterpart    TEXT,\n"
  "  give_starts_at INTEGER,\n"
  "  give_ends_at   INTEGER,\n"
  "  take_starts_at INTEGER,\n"
  "  take_ends_at   INTEGER,\n"
  "  status         TEXT NOT NULL DEFAULT 'pending',\n"
  "  note           TEXT,\n"
  "  created_at     INTEGER NOT NULL DEFAULT 0,\n"
  "  decided_by     TEXT,\n"
  "  decided_at     INTEGER,\n"
  "  CHECK (give_ends_at >= give_starts_at),\n"
  "  CHECK (take_ends_at >= take_starts_at)\n"
  ");\n"

  /* Minutes rather than fractional hours, so sums per team are exact. */
  "CREATE TABLE training_record (\n"
  SYNCED_COLUMNS
  "  person       TEXT,\n"
  "  topic        TEXT NOT NULL DEFAULT '',\n"
  "  completed_on TEXT " DATE_CHECK ("completed_on") ",\n"
  "  minutes      INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),\n"
  "  trainer      TEXT,\n"
  "  notes        TEXT,\n"
  "  recorded_by  TEXT,\n"
  "  created_at   INTEGER NOT NULL DEFAULT 0\n"
  ");\n"

  /* authority and approval (JSON, as the policy words them) are copied
   * when the request is made, so a later policy version does not change who
   * had to sign off. */
  "CREATE TABLE correction_request (\n"
  SYNCED_COLUMNS
  "  ticket           TEXT,\n"
  "  correction_type  TEXT NOT NULL DEFAULT '',\n"
  "  affected_user_id TEXT,\n"
  "  description      TEXT NOT NULL DEFAULT '',\n"
  "  authority        TEXT CHECK (authority IS NULL OR json_valid (authority)),\n"
  "  approval         TEXT CHECK (approval IS NULL OR json_valid (approval)),\n"
  "  status           TEXT NOT NULL DEFAULT 'pending',\n"
  "  requested_by     TEXT,\n"
  "  requested_at     INTEGER NOT NULL DEFAULT 0,\n"
  "  decided_by       TEXT,\n"
  "  approver_role    TEXT,\n"
  "  decided_at       INTEGER,\n"
  "  decision_note    TEXT,\n"
  "  applied_by       TEXT,\n"
  "  applied_at       INTEGER\n"
  ");\n"

  "CREATE TABLE access_request (\n"
  SYNCED_COLUMNS
  "  person        TEXT,\n"
  "  tool          TEXT NOT NULL DEFAULT '',\n"
  "  level         TEXT,\n"
  "  reason        TEXT,\n"
  "  approval      TEXT CHECK (approval IS NULL OR json_valid (approval)),\n"
  "  status        TEXT NOT NULL DEFAULT 'pending',\n"
  "  requested_by  TEXT,\n"
  "  requested_at  INTEGER NOT NULL DEFAULT 0,\n"
  "  decided_by    TEXT,\n"
  "  decided_at    INTEGER,\n"
  "  decision_note TEXT,\n"
  "  granted_at    INTEGER,\n"
  "  revoked_at    INTEGER\n"
  ");\n"

  /* report is the snapshot taken at handoff time (open tickets, active
   * SEV-1/2, pending actions and escalations, key contacts), so the printed
   * report stays what was handed over even as the tickets move on. */
  "CREATE TABLE shift_handoff (\n"
  SYNCED_COLUMNS
  "  author       TEXT,\n"
  "  tier         INTEGER CHECK (tier >= 1),\n"
  "  shift        TEXT,\n"
  "  period_start INTEGER,\n"
  "  period_end   INTEGER,\n"
  "  created_at   INTEGER NOT NULL DEFAULT 0,\n"
  "  report       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (report)),\n"
  "  notes        TEXT\n"
  ");\n"

  /* Not UNIQUE on version: the server assigns it, and a unique index would
   * let one bad row stop a client's pull for good. */
  "CREATE TABLE policy_version (\n"
  SYNCED_COLUMNS
  "  version    INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),\n"
  "  json       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (json)),\n"
  "  created_at INTEGER NOT NULL DEFAULT 0,\n"
  "  author     TEXT,\n"
  "  note       TEXT\n"
  ");\n"

  /* External content, so the text is stored once. It is keyed by ticket's
   * rowid: VACUUM keeps rowids in the SQLite we ship (a test checks), but if
   * a ticket's rowid ever changes, run
   *   INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild').
   * The triggers do not see rows removed by INSERT OR REPLACE (unless
   * recursive_triggers is on), so write tickets with UPSERT, never REPLACE.
   * Prefix indexes make search-as-you-type ("ab*") cheap. */
  "CREATE VIRTUAL TABLE ticket_fts USING fts5 (\n"
  "  title, description, affected_user_id,\n"
  "  content = 'ticket', content_rowid = 'rowid',\n"
  "  prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2'\n"
  ");\n"
  "CREATE TRIGGER ticket_fts_insert AFTER INSERT ON ticket BEGIN\n"
  "  INSERT INTO ticket_fts (rowid, title, description, affected_user_id)\n"
  "  VALUES (new.rowid, new.title, new.description, new.affected_user_id);\n"
  "END;\n"
  "CREATE TRIGGER ticket_fts_delete AFTER DELETE ON ticket BEGIN\n"
  "  INSERT INTO ticket_fts (ticket_fts, rowid, title, description, affected_user_id)\n"
  "  VALUES ('delete', old.rowid, old.title, old.description, old.affected_user_id);\n"
  "END;\n"
  /* Only when an indexed column is written, so bumping rev or status does
   * not reindex the text. */
  "CREATE TRIGGER ticket_fts_update\n"
  "AFTER UPDATE OF title, description, affected_user_id ON ticket BEGIN\n"
  "  INSERT INTO ticket_fts (ticket_fts, rowid, title, description, affected_user_id)\n"
  "  VALUES ('delete', old.rowid, old.title, old.description, old.affected_user_id);\n"
  "  INSERT INTO ticket_fts (rowid, title, description, affected_user_id)\n"
  "  VALUES (new.rowid, new.title, new.description, new.affected_user_id);\n"
  "END;\n";

/* Migration 1, server: accounts, tokens, idempotency, audit. */
static const char server_1[] =
  /* No declared type on value: it keeps the type it was written with, so
   * head_rev stays an integer and the epoch stays text. The epoch is made
   * with the database so that a client can tell a restored or recreated
   * store from the one its cursor belongs to. */
  "CREATE TABLE meta (\n"
  "  key   TEXT PRIMARY KEY NOT NULL,\n"
  "  value NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "INSERT INTO meta (key, value) VALUES\n"
  "  ('epoch', lower (hex (randomblob (16)))),\n"
  "  ('head_rev', 0);\n"

  "CREATE TABLE account (\n"
  "  id            INTEGER PRIMARY KEY,\n"
  "  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
  "  password_hash TEXT NOT NULL,\n"
  "  role          TEXT NOT NULL,\n"
  "  person        TEXT,\n"
  "  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),\n"
  "  created_at    INTEGER NOT NULL\n"
  ");\n"

  /* Only a hash of each token is stored, so a copy of the file does not
   * hand out sessions. */
  "CREATE TABLE token (\n"
  "  hash       TEXT PRIMARY KEY NOT NULL,\n"
  "  account    INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,\n"
  "  created_at INTEGER NOT NULL,\n"
  "  expires_at INTEGER NOT NULL,\n"
  "  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))\n"
  ") WITHOUT ROWID;\n"

  /* The answer given the first time, replayed when a client retries. rev
   * is NULL for a command that changed nothing (rejected). */
  "CREATE TABLE applied_command (\n"
  "  command    TEXT PRIMARY KEY NOT NULL,\n"
  "  rev        INTEGER,\n"
  "  result     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (result)),\n"
  "  applied_at INTEGER NOT NULL\n"
  ") WITHOUT ROWID;\n"

  /* AUTOINCREMENT so an id is never reused. The triggers refuse UPDATE and
   * DELETE from any SQL the server runs; they cannot stop someone who edits
   * the file or drops the table. */
  "CREATE TABLE audit_log (\n"
  "  id        INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  at        INTEGER NOT NULL,\n"
  "  actor     TEXT,\n"
  "  action    TEXT NOT NULL,\n"
  "  entity    TEXT,\n"
  "  entity_id TEXT,\n"
  "  before    TEXT CHECK (before IS NULL OR json_valid (before)),\n"
  "  after     TEXT CHECK (after IS NULL OR json_valid (after))\n"
  ");\n"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN\n"
  "  SELECT RAISE (ABORT, 'audit_log is append-only');\n"
  "END;\n"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN\n"
  "  SELECT RAISE (ABORT, 'audit_log is append-only');\n"
  "END;\n"

  "CREATE TABLE login_attempt (\n"
  "  id       INTEGER PRIMARY KEY,\n"
  "  username TEXT NOT NULL COLLATE NOCASE,\n"
  "  at       INTEGER NOT NULL\n"
  ");\n";

/* Migration 1, client: what the sync engine keeps between runs. */
static const char client_1[] =
  /* AUTOINCREMENT: seq is the push order and is never reused, even once
   * the outbox has drained. A rejected command stays until the user deals
   * with it; a conflicting one until the conflict is resolved. An applied
   * command is kept as 'done' for a while, so that after the server is
   * restored from an older backup it can be pushed again (the server
   * answers "duplicate" for those it still has). base holds the values the
   * edited fields had before the edit, for the three-way merge; effects
   * what the command did to the cache ({"row": …, "ticket": …}), replayed
   * over the server's copy of the row; ticket is the ticket an appended
   * event changes. */
  "CREATE TABLE outbox (\n"
  "  seq        INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  command    TEXT NOT NULL UNIQUE,\n"
  "  type       TEXT NOT NULL,\n"
  "  entity     TEXT NOT NULL,\n"
  "  entity_id  TEXT NOT NULL,\n"
  "  base_rev   INTEGER NOT NULL DEFAULT 0 CHECK (base_rev >= 0),\n"
  "  fields     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (fields)),\n"
  "  base       TEXT CHECK (base IS NULL OR json_valid (base)),\n"
  "  effects    TEXT CHECK (effects IS NULL OR json_valid (effects)),\n"
  "  ticket     TEXT,\n"
  "  created_at INTEGER NOT NULL,\n"
  "  state      TEXT NOT NULL DEFAULT 'pending'\n"
  "             CHECK (state IN ('pending', 'rejected', 'conflict', 'done')),\n"
  "  attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),\n"
  "  code       TEXT,\n"
  "  last_error TEXT,\n"
  "  done_at    INTEGER\n"
  ");\n"

  /* Untyped value for the same reason as the server's meta table. */
  "CREATE TABLE sync_state (\n"
  "  key   TEXT PRIMARY KEY NOT NULL,\n"
  "  value\n"
  ") WITHOUT ROWID;\n"

  /* The server's latest copy of a row that has local commands waiting:
   * the row shown is this copy with those commands replayed over it, so a
   * refused command can be undone and a pull never hides a local edit. */
  "CREATE TABLE server_copy (\n"
  "  entity TEXT NOT NULL,\n"
  "  uuid   TEXT NOT NULL,\n"
  "  row    TEXT NOT NULL CHECK (json_valid (row)),\n"
  "  PRIMARY KEY (entity, uuid)\n"
  ") WITHOUT ROWID;\n"

  "CREATE TABLE conflict (\n"
  "  id         INTEGER PRIMARY KEY,\n"
  "  command    TEXT,\n"
  "  entity     TEXT NOT NULL,\n"
  "  entity_id  TEXT NOT NULL,\n"
  "  local      TEXT CHECK (local IS NULL OR json_valid (local)),\n"
  "  remote     TEXT CHECK (remote IS NULL OR json_valid (remote)),\n"
  "  base       TEXT CHECK (base IS NULL OR json_valid (base)),\n"
  "  created_at INTEGER NOT NULL\n"
  ");\n";

/* Migration 2, both kinds: indexes for the queue, the ticket history, the
 * rota and the training tracker. Kept out of migration 1 so the table
 * definitions read on their own and indexes can be tuned by later steps. */
static const char shared_2[] =
  "CREATE INDEX ticket_queue_idx ON ticket (status, tier, severity);\n"
  "CREATE INDEX ticket_owner_idx ON ticket (owner, status);\n"
  "CREATE INDEX ticket_event_ticket_idx ON ticket_event (ticket, at);\n"
  "CREATE INDEX rotation_member_rotation_idx ON rotation_member (rotation, week);\n"
  "CREATE INDEX rota_override_rotation_idx ON rota_override (rotation, starts_at);\n"
  "CREATE INDEX swap_request_rotation_idx ON swap_request (rotation, status);\n"
  "CREATE INDEX training_record_person_idx ON training_record (person, topic);\n"
  "CREATE INDEX policy_version_version_idx ON policy_version (version);\n";

/* Migration 2, server: only the server answers "changes since REV", so only
 * it pays for an index on rev in every synced table; the client cache would
 * just insert more slowly on its initial sync. */
static const char server_2[] =
  "CREATE INDEX ticket_rev_idx ON ticket (rev);\n"
  "CREATE INDEX ticket_event_rev_idx ON ticket_event (rev);\n"
  "CREATE INDEX person_rev_idx ON person (rev);\n"
  "CREATE INDEX rotation_rev_idx ON rotation (rev);\n"
  "CREATE INDEX rotation_member_rev_idx ON rotation_member (rev);\n"
  "CREATE INDEX rota_override_rev_idx ON rota_override (rev);\n"
  "CREATE INDEX swap_request_rev_idx ON swap_request (rev);\n"
  "CREATE INDEX training_record_rev_idx ON training_record (rev);\n"
  "CREATE INDEX correction_request_rev_idx ON correction_request (rev);\n"
  "CREATE INDEX access_request_rev_idx ON access_request (rev);\n"
  "CREATE INDEX shift_handoff_rev_idx ON shift_handoff (rev);\n"
  "CREATE INDEX policy_version_rev_idx ON policy_version (rev);\n"
  "CREATE INDEX token_account_idx ON token (account);\n"
  "CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);\n"
  "CREATE INDEX login_attempt_username_idx ON login_attempt (username, at);\n";

/* Migration 2, client: a pull asks, for every row it receives, whether that
 * row still has commands waiting in the outbox. */
static const char client_2[] =
  "CREATE INDEX outbox_entity_idx ON outbox (entity, entity_id);\n"
  "CREATE INDEX outbox_ticket_idx ON outbox (ticket) WHERE ticket IS NOT NULL;\n"
  "CREATE INDEX conflict_entity_idx ON conflict (entity, entity_id);\n";

/* Migration 3, both kinds: what the rota model needs beyond migration 1.
 * shift_days is the length of one shift (7: weekly, 1: daily);
 * handoff_weekday (ISO 8601, 1 = Monday … 7 = Sunday) moves the first
 * handoff to that weekday on or after start_date; NULL hands off on
 * start_date's own weekday. Existing rotations stay weekly. */
static const char shared_3[] =
  "ALTER TABLE rotation ADD COLUMN shift_days INTEGER NOT NULL DEFAULT 7\n"
  "  CHECK (shift_days >= 1);\n"
  "ALTER TABLE rotation ADD COLUMN handoff_weekday INTEGER\n"
  "  CHECK (handoff_weekday BETWEEN 1 AND 7);\n";

/* Migration 3, server: one secret calendar-feed key per account, for
 * calendar apps that cannot send a bearer token. Only its SHA-256 is kept,
 * like a token's, so a copy of the file does not open anyone's feed. */
static const char server_3[] =
  "CREATE TABLE feed_key (\n"
  "  account    INTEGER PRIMARY KEY NOT NULL REFERENCES account (id) ON DELETE CASCADE,\n"
  "  hash       TEXT NOT NULL UNIQUE,\n"
  "  created_at INTEGER NOT NULL\n"
  ");\n";

/* Migration 3, client: search and pulls at organisation scale.
 * - The full-text index gets a one-letter prefix index as well, so the
 *   first keystroke of a search is answered from the index rather than by
 *   merging every term that starts with that letter.
 * - Its triggers ask td_fts_live (), a function the cache registers on its
 *   connection. A pull turns it off and indexes a page's tickets with two
 *   statements: SQLite 3.40's FTS5 writes its pending terms to disk at the
 *   end of every statement that touches it, so indexing row by row cost a
 *   segment per ticket. */
static const char client_3[] =
  "DROP TRIGGER ticket_fts_insert;\n"
  "DROP TRIGGER ticket_fts_delete;\n"
  "DROP TRIGGER ticket_fts_update;\n"
  "DROP TABLE ticket_fts;\n"
  "CREATE VIRTUAL TABLE ticket_fts USING fts5 (\n"
  "  title, description, affected_user_id,\n"
  "  content = 'ticket', content_rowid = 'rowid',\n"
  "  prefix = '1 2 3', tokenize = 'unicode61 remove_diacritics 2'\n"
  ");\n"
  "INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild');\n"
  "CREATE TRIGGER ticket_fts_insert AFTER INSERT ON ticket WHEN td_fts_live () BEGIN\n"
  "  INSERT INTO ticket_fts (rowid, title, description, affected_user_id)\n"
  "  VALUES (new.rowid, new.title, new.description, new.affected_user_id);\n"
  "END;\n"
  "CREATE TRIGGER ticket_fts_delete AFTER DELETE ON ticket WHEN td_fts_live () BEGIN\n"
  "  INSERT INTO ticket_fts (ticket_fts, rowid, title, description, affected_user_id)\n"
  "  VALUES ('delete', old.rowid, old.title, old.description, old.affected_user_id);\n"
  "END;\n"
  "CREATE TRIGGER ticket_fts_update\n"
  "AFTER UPDATE OF title, description, affected_user_id ON ticket WHEN td_fts_live () BEGIN\n"
  "  INSERT INTO ticket_fts (ticket_fts, rowid, title, description, affected_user_id)\n"
  "  VALUES ('delete', old.rowid, old.title, old.description, old.affected_user_id);\n"
  "  INSERT INTO ticket_fts (rowid, title, description, affected_user_id)\n"
  "  VALUES (new.rowid, new.title, new.description, new.affected_user_id);\n"
  "END;\n";

/* Migration 4, both kinds: the training tracker [11].
 * training_topic holds trainers' edits to the policy's curriculum: a row
 * with a policy topic's id replaces it, a new id adds one, retired takes
 * it out of everyone's requirements. A record's sign-off is who vouched
 * for it, and when (server time). training_change is the history of every
 * record, written by the server in the command's transaction and never
 * changed afterwards, so an edited or deleted record can still be
 * explained; data holds {"before": …, "after": …}. */
static const char shared_4[] =
  "CREATE TABLE training_topic (\n"
  SYNCED_COLUMNS
  "  topic_id   TEXT NOT NULL DEFAULT '',\n"
  "  tier       INTEGER CHECK (tier >= 1),\n"
  "  topic      TEXT NOT NULL DEFAULT '',\n"
  "  minutes    INTEGER NOT NULL DEFAULT 60 CHECK (minutes > 0),\n"
  "  frequency  TEXT NOT NULL DEFAULT 'onboarding',\n"
  "  retired    INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),\n"
  "  updated_by TEXT,\n"
  "  updated_at INTEGER NOT NULL DEFAULT 0\n"
  ");\n"
  "ALTER TABLE training_record ADD COLUMN signed_off_by TEXT;\n"
  "ALTER TABLE training_record ADD COLUMN signed_off_at INTEGER;\n"
  "CREATE TABLE training_change (\n"
  SYNCED_COLUMNS
  "  record TEXT,\n"
  "  person TEXT,\n"
  "  topic  TEXT,\n"
  "  kind   TEXT NOT NULL DEFAULT 'recorded',\n"
  "  actor  TEXT,\n"
  "  at     INTEGER NOT NULL DEFAULT 0,\n"
  "  data   TEXT CHECK (data IS NULL OR json_valid (data))\n"
  ");\n"
  "CREATE INDEX training_change_person_idx ON training_change (person, at);\n";

/* Migration 4, server: changes since REV for the new tables. */
static const char server_4[] =
  "CREATE INDEX training_topic_rev_idx ON training_topic (rev);\n"
  "CREATE INDEX training_change_rev_idx ON training_change (rev);\n";

/* Migration 5, both kinds: approvals [4.5, 9.2]. A correction request
 * carries its evidence (logs, screenshots, the ticket's numbers) beside its
 * description, and an access request remembers the role it was routed to,
 * as a correction request already does, so the approver's list does not
 * depend on the policy in force when it is read. */
static const char shared_5[] =
  "ALTER TABLE correction_request ADD COLUMN evidence TEXT;\n"
  "ALTER TABLE access_request ADD COLUMN approver_role TEXT;\n";

/* Migration 6, both kinds: the knowledge base and post-incident reviews
 * [3.3, 9.1, 10.2]. Kept in one block so it can be renumbered at a merge.
 * - ticket.resolution_class says how a ticket was resolved
 *   ("known_issue_documented" when a linked known issue covered it,
 *   "new_issue" when the resolver flagged it as not documented yet);
 *   new_issue and documented_at drive the 24-hour "document it" clock.
 * - article.tags is a JSON array of strings, article.tiers one of tier
 *   levels; status is draft or published (publishing needs a permission).
 * - article_revision is written by the server only: one row per saved
 *   version of an article, so edits keep their history.
 * - pir.participants is [{person, name, required, attended}], pir.actions
 *   [{text, owner, due, done}] (due a date), pir.timeline the ticket's
 *   history copied when the ticket was resolved [{at, kind, author, text}]. */
static const char shared_6[] =
  "ALTER TABLE ticket ADD COLUMN resolution_class TEXT;\n"
  "ALTER TABLE ticket ADD COLUMN new_issue INTEGER NOT NULL DEFAULT 0\n"
  "  CHECK (new_issue IN (0, 1));\n"
  "ALTER TABLE ticket ADD COLUMN documented_at INTEGER;\n"

  "CREATE TABLE article (\n"
  SYNCED_COLUMNS
  "  title       TEXT NOT NULL DEFAULT '',\n"
  "  kind        TEXT NOT NULL DEFAULT 'faq'\n"
  "              CHECK (kind IN ('faq', 'known_issue', 'runbook')),\n"
  "  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),\n"
  "  body        TEXT NOT NULL DEFAULT '',\n"
  "  workaround  TEXT,\n"
  "  tags        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (tags)),\n"
  "  tiers       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (tiers)),\n"
  "  author      TEXT,\n"
  "  reviewed_on TEXT " DATE_CHECK ("reviewed_on") ",\n"
  "  created_at  INTEGER NOT NULL DEFAULT 0,\n"
  "  updated_at  INTEGER NOT NULL DEFAULT 0\n"
  ");\n"

  "CREATE TABLE article_link (\n"
  SYNCED_COLUMNS
  "  article    TEXT,\n"
  "  ticket     TEXT,\n"
  "  created_by TEXT,\n"
  "  created_at INTEGER NOT NULL DEFAULT 0\n"
  ");\n"

  "CREATE TABLE article_revision (\n"
  SYNCED_COLUMNS
  "  article    TEXT,\n"
  "  number     INTEGER NOT NULL DEFAULT 1 CHECK (number >= 1),\n"
  "  title      TEXT NOT NULL DEFAULT '',\n"
  "  kind       TEXT,\n"
  "  status     TEXT,\n"
  "  body       TEXT NOT NULL DEFAULT '',\n"
  "  workaround TEXT,\n"
  "  tags       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (tags)),\n"
  "  tiers      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (tiers)),\n"
  "  author     TEXT,\n"
  "  at         INTEGER NOT NULL DEFAULT 0\n"
  ");\n"

  "CREATE TABLE pir (\n"
  SYNCED_COLUMNS
  "  ticket               TEXT,\n"
  "  status               TEXT NOT NULL DEFAULT 'scheduled'\n"
  "                       CHECK (status IN ('scheduled', 'held', 'actions_open', 'closed')),\n"
  "  due_at               INTEGER,\n"
  "  scheduled_at         INTEGER,\n"
  "  held_at              INTEGER,\n"
  "  participants         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (participants)),\n"
  "  timeline             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (timeline)),\n"
  "  root_cause           TEXT,\n"
  "  contributing_factors TEXT,\n"
  "  actions              TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (actions)),\n"
  "  created_at           INTEGER NOT NULL DEFAULT 0,\n"
  "  updated_at           INTEGER NOT NULL DEFAULT 0\n"
  ");\n"

  "CREATE INDEX article_link_ticket_idx ON article_link (ticket);\n"
  "CREATE INDEX article_link_article_idx ON article_link (article);\n"
  "CREATE INDEX article_revision_article_idx ON article_revision (article, number);\n"
  "CREATE INDEX pir_ticket_idx ON pir (ticket);\n"
  /* The queue's follow-ups look up resolved new issues at every sync. */
  "CREATE INDEX ticket_new_issue_idx ON ticket (new_issue, resolved_at);\n";

/* Migration 6, server: the change feed's indexes for the new tables. */
static const char server_6[] =
  "CREATE INDEX article_rev_idx ON article (rev);\n"
  "CREATE INDEX article_link_rev_idx ON article_link (rev);\n"
  "CREATE INDEX article_revision_rev_idx ON article_revision (rev);\n"
  "CREATE INDEX pir_rev_idx ON pir (rev);\n";

/* Migration 6, client: search-as-you-type over the knowledge base. Articles
 * are few next to tickets, so the index is kept up row by row, also during
 * a pull (no td_fts_live () switch). Same rules as ticket_fts: external
 * content keyed by rowid, rows written with UPSERT. */
static const char client_6[] =
  "CREATE VIRTUAL TABLE article_fts USING fts5 (\n"
  "  title, body, workaround, tags,\n"
  "  content = 'article', content_rowid = 'rowid',\n"
  "  prefix = '1 2 3', tokenize = 'unicode61 remove_diacritics 2'\n"
  ");\n"
  "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN\n"
  "  INSERT INTO article_fts (rowid, title, body, workaround, tags)\n"
  "  VALUES (new.rowid, new.title, new.body, new.workaround, new.tags);\n"
  "END;\n"
  "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN\n"
  "  INSERT INTO article_fts (article_fts, rowid, title, body, workaround, tags)\n"
  "  VALUES ('delete', old.rowid, old.title, old.body, old.workaround, old.tags);\n"
  "END;\n"
  "CREATE TRIGGER article_fts_update\n"
  "AFTER UPDATE OF title, body, workaround, tags ON article BEGIN\n"
  "  INSERT INTO article_fts (article_fts, rowid, title, body, workaround, tags)\n"
  "  VALUES ('delete', old.rowid, old.title, old.body, old.workaround, old.tags);\n"
  "  INSERT INTO article_fts (rowid, title, body, workaround, tags)\n"
  "  VALUES (new.rowid, new.title, new.body, new.workaround, new.tags);\n"
  "END;\n";

/* Migration 7, both kinds: the shift handoff [8.3] is handed over to an
 * incoming lead, who acknowledges it. handed_to and acknowledged_by are
 * person uuids (or account names for an account with no person);
 * acknowledged_at is set by the server when it accepts the
 * acknowledgement. A handoff stored before stays unacknowledged. The index
 * lists a tier's latest handoffs first. */
static const char shared_7[] =
  "ALTER TABLE shift_handoff ADD COLUMN handed_to TEXT;\n"
  "ALTER TABLE shift_handoff ADD COLUMN acknowledged_by TEXT;\n"
  "ALTER TABLE shift_handoff ADD COLUMN acknowledged_at INTEGER;\n"
  "CREATE INDEX shift_handoff_tier_idx ON shift_handoff (tier, created_at);\n";

/* Migration 8, both kinds: production changes [10.1 Change Success Rate].
 * kind is one of the policy's change_kinds; tier is the tier that made the
 * change; status moves from planned to succeeded, failed or rolled_back,
 * and only those three count. ticket is the ticket the change is for
 * (nullable), implementer a person. author and created_at are the
 * server's. The index serves the metrics' period scan. */
static const char shared_8[] =
  "CREATE TABLE change_record (\n"
  SYNCED_COLUMNS
  "  title         TEXT NOT NULL DEFAULT '',\n"
  "  kind          TEXT NOT NULL DEFAULT '',\n"
  "  tier          INTEGER CHECK (tier >= 1),\n"
  "  status        TEXT NOT NULL DEFAULT 'planned'\n"
  "                CHECK (status IN ('planned', 'succeeded', 'failed', 'rolled_back')),\n"
  "  ticket        TEXT,\n"
  "  implementer   TEXT,\n"
  "  planned_for   INTEGER,\n"
  "  performed_at  INTEGER,\n"
  "  description   TEXT,\n"
  "  rollback_plan TEXT,\n"
  "  outcome_note  TEXT,\n"
  "  author        TEXT,\n"
  "  created_at    INTEGER NOT NULL DEFAULT 0\n"
  ");\n"
  "CREATE INDEX change_record_rev_idx ON change_record (rev);\n"
  "CREATE INDEX change_record_performed_idx ON change_record (performed_at);\n";

/* Append here, never edit a released entry (docs/schema.md). */
static const TdMigration server_migrations[] = {
  { shared_1, server_1 },
  { shared_2, server_2 },
  { shared_3, server_3 },
  { shared_4, server_4 },
  { shared_5, NULL },
  { shared_6, server_6 },
  { shared_7, NULL },
  { shared_8, NULL },
};

static const TdMigration client_migrations[] = {
  { shared_1, client_1 },
  { shared_2, client_2 },
  { shared_3, client_3 },
  { shared_4, NULL },
  { shared_5, NULL },
  { shared_6, client_6 },
  { shared_7, NULL },
  { shared_8, NULL },
};

static const char *const synced_tables[] = {
  "ticket",
  "ticket_event",
  "person",
  "rotation",
  "rotation_member",
  "rota_override",
  "swap_request",
  "training_record",
  "training_topic",
  "training_change",
  "correction_request",
  "access_request",
  "shift_handoff",
  "policy_version",
  "article",
  "article_link",
  "article_revision",
  "pir",
  "change_record",
  NULL,
};

/* clang-format on */

/* clang-format would put spaces around the dashes of the quark name. */
/* clang-format off */
G_DEFINE_QUARK (td-schema-error-quark, td_schema_error)
/* clang-format on */

static const TdMigration *
get_migrations (TdSchemaKind kind, int *n_migrations)
{
  g_assert (kind == TD_SCHEMA_SERVER || kind == TD_SCHEMA_CLIENT);

  if (kind == TD_SCHEMA_CLIENT)
    {
      *n_migrations = G_N_ELEMENTS (client_migrations);
      return client_migrations;
    }

  *n_migrations = G_N_ELEMENTS (server_migrations);
  return server_migrations;
}

/* On failure, *message is a copy of SQLite's message: a ROLLBACK run
 * afterwards would replace the one sqlite3_errmsg() holds. */
static gboolean
exec_sql (sqlite3 *db, const char *sql, char **message)
{
  char *sqlite_message = NULL;

  g_assert (message != NULL && *message == NULL);

  if (sqlite3_exec (db, sql, NULL, NULL, &sqlite_message) == SQLITE_OK)
    return TRUE;

  *message = g_strdup (sqlite_message != NULL ? sqlite_message : sqlite3_errmsg (db));
  sqlite3_free (sqlite_message);
  return FALSE;
}

/* Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, …) have already
 * rolled the transaction back; a second ROLLBACK would only fail. */
static void
rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
check_not_too_new (int version, int latest, GError **error)
{
  if (version <= latest)
    return TRUE;

  g_set_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_TOO_NEW,
               "database schema version %d is newer than this program supports (%d); "
               "upgrade Tierdesk",
               version, latest);
  return FALSE;
}

static gboolean
apply_migration (sqlite3 *db, const TdMigration *migration, char **message)
{
  if (migration->shared != NULL && !exec_sql (db, migration->shared, message))
    return FALSE;

  if (migration->own != NULL && !exec_sql (db, migration->own, message))
    return FALSE;

  return TRUE;
}

int
td_schema_get_latest (TdSchemaKind kind)
{
  int n_migrations;

  g_return_val_if_fail (kind == TD_SCHEMA_SERVER || kind == TD_SCHEMA_CLIENT, 0);

  get_migrations (kind, &n_migrations);
  return n_migrations;
}

const char *const *
td_schema_get_synced_tables (void)
{
  return synced_tables;
}

/* Returns the version, or -1 with @error set. */
int
td_schema_get_version (sqlite3 *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int           version = -1;
  int           rc;

  g_return_val_if_fail (db != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    g_set_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_SQLITE,
                 "could not read the database schema version: %s", sqlite3_errmsg (db));

  sqlite3_finalize (stmt);
  return version;
}

gboolean
td_schema_migrate (sqlite3 *db, TdSchemaKind kind, GError **error)
{
  g_return_val_if_fail (kind == TD_SCHEMA_SERVER || kind == TD_SCHEMA_CLIENT, FALSE);

  return td_schema_migrate_to (db, kind, td_schema_get_latest (kind), error);
}

/* A database already at or past @target (but not past the latest) is left
 * alone: there are no down migrations. */
static void
always_live (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  sqlite3_result_int (context, 1);
}

gboolean
td_schema_migrate_to (sqlite3 *db, TdSchemaKind kind, int target, GError **error)
{
  g_autofree char   *message = NULL;
  g_autofree char   *set_version = NULL;
  const TdMigration *migrations;
  int                latest;
  int                version;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (kind == TD_SCHEMA_SERVER || kind == TD_SCHEMA_CLIENT, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  /* The migration must be its own transaction to be all-or-nothing. */
  g_return_val_if_fail (sqlite3_get_autocommit (db), FALSE);

  migrations = get_migrations (kind, &latest);
  g_return_val_if_fail (target >= 0 && target <= latest, FALSE);

  /* The client's full-text triggers call td_fts_live () (migration 3):
   * any connection that migrates a client database can write tickets,
   * with the index kept up row by row. TdCache replaces it with its own. */
  if (kind == TD_SCHEMA_CLIENT
      && sqlite3_create_function_v2 (db, "td_fts_live", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                     always_live, NULL, NULL, NULL)
             != SQLITE_OK)
    {
      g_set_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_SQLITE, "%s", sqlite3_errmsg (db));
      return FALSE;
    }

  /* Checked first without a transaction, so that opening an up-to-date
   * database (the common case) never takes the write lock. */
  version = td_schema_get_version (db, error);
  if (version < 0)
    return FALSE;
  if (!check_not_too_new (version, latest, error))
    return FALSE;
  if (version >= target)
    return TRUE;

  if (!exec_sql (db, "BEGIN IMMEDIATE", &message))
    {
      g_set_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_SQLITE,
                   "could not start the schema migration: %s", message);
      return FALSE;
    }

  /* Read again under the write lock: another process may have migrated the
   * file while this one waited for the lock. */
  version = td_schema_get_version (db, error);
  if (version < 0 || !check_not_too_new (version, latest, error))
    {
      rollback (db);
      return FALSE;
    }
  if (version >= target)
    {
      rollback (db);
      return TRUE;
    }

  for (int i = version; i < target; i++)
    {
      if (!apply_migration (db, &migrations[i], &message))
        {
          rollback (db);
          g_set_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_MIGRATION, "migration %d failed: %s",
                       i + 1, message);
          return FALSE;
        }
    }

  /* user_version lives in the database header, which is part of the
   * transaction: it moves only if every migration above is committed. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d", target);
  if (!exec_sql (db, set_version, &message))
    {
      rollback (db);
      g_set_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_SQLITE,
                   "could not record the database schema version: %s", message);
      return FALSE;
    }

  /* A busy COMMIT leaves the transaction open; roll it back rather than
   * leave the caller inside a transaction it did not start. */
  if (!exec_sql (db, "COMMIT", &message))
    {
      rollback (db);
      g_set_error (error, TD_SCHEMA_ERROR, TD_SCHEMA_ERROR_SQLITE,
                   "could not commit the schema migration: %s", message);
      return FALSE;
    }

  return TRUE;
}
