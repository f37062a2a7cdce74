/* td-schema.h — the SQLite schema shared by the server store and the client cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define TD_SCHEMA_ERROR (td_schema_error_quark ())

typedef enum
{
  TD_SCHEMA_ERROR_TOO_NEW,
  TD_SCHEMA_ERROR_MIGRATION,
  TD_SCHEMA_ERROR_SQLITE,
} TdSchemaError;

/* Which database a schema is for: both share the synced entities, each has
 * tables of its own (accounts and the audit log on the server, the outbox
 * and the sync cursor on the client). */
typedef enum
{
  TD_SCHEMA_SERVER,
  TD_SCHEMA_CLIENT,
} TdSchemaKind;

GQuark   td_schema_error_quark (void);
int      td_schema_get_latest (TdSchemaKind kind);
int      td_schema_get_version (sqlite3 *db, GError **error);
gboolean td_schema_migrate (sqlite3 *db, TdSchemaKind kind, GError **error);
/* For tests: migrate only up to @target. */
gboolean td_schema_migrate_to (sqlite3 *db, TdSchemaKind kind, int target, GError **error);

/* The synced entity tables (same in both kinds), NULL-terminated, in the
 * order they are created: for change feeds and sync code that must visit
 * every one of them. */
const char *const *td_schema_get_synced_tables (void);

G_END_DECLS
