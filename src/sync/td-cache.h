/* td-cache.h — the desktop's offline SQLite cache and its outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "td-policy.h"

G_BEGIN_DECLS

#define TD_CACHE_ERROR (td_cache_error_quark ())

typedef enum
{
  TD_CACHE_ERROR_NOT_FOUND,
  TD_CACHE_ERROR_INVALID,
  TD_CACHE_ERROR_SQLITE,
  TD_CACHE_ERROR_DISK, /* the disk is full, read-only or failing: nothing was saved */
} TdCacheError;

/* How long an applied command is kept, to push again after the server is
 * restored from an older backup. */
#define TD_CACHE_DONE_RETENTION (30 * 24 * 3600)

/* A command waiting in the outbox, as it will be sent. */
typedef struct
{
  gint64      seq;
  char       *id;
  char       *type;
  char       *entity;
  char       *entity_id;
  gint64      base_rev;
  JsonObject *fields;
  JsonObject *base;
  char       *state;
  char       *code;
  char       *last_error;
  gint64      created_at;
} TdOutboxCommand;

typedef struct
{
  gint64      id;
  char       *command;
  char       *entity;
  char       *entity_id;
  JsonObject *local;
  JsonObject *remote;
  JsonObject *base;
} TdConflict;

void td_outbox_command_free (TdOutboxCommand *command);
void td_conflict_free (TdConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdOutboxCommand, td_outbox_command_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdConflict, td_conflict_free)

#define TD_TYPE_CACHE (td_cache_get_type ())
G_DECLARE_FINAL_TYPE (TdCache, td_cache, TD, CACHE, GObject)

GQuark      td_cache_error_quark (void);
TdCache    *td_cache_open (const char *path, GError **error);
const char *td_cache_get_path (TdCache *self);
/* The policy used for what the desktop can work out offline (triage). */
void td_cache_set_policy (TdCache *self, TdPolicy *policy);

/* Local edits: each writes the row and its outbox command in one
 * transaction, so nothing typed is lost by a crash or a refusal. */
char    *td_cache_create (TdCache *self, const char *entity, JsonObject *fields, GError **error);
gboolean td_cache_update (TdCache    *self,
                          const char *entity,
                          const char *uuid,
                          JsonObject *fields,
                          GError    **error);
gboolean td_cache_delete (TdCache *self, const char *entity, const char *uuid, GError **error);
char    *td_cache_append_event (TdCache    *self,
                                const char *ticket,
                                const char *kind,
                                const char *body,
                                JsonObject *data,
                                GError    **error);
/* NULL when absent; tombstoned rows are gone from the cache. */
JsonObject *td_cache_get_row (TdCache *self, const char *entity, const char *uuid);
gint64      td_cache_count (TdCache *self, const char *entity);
/* Rows of @entity (not deleted) whose @column equals @value (or all rows
 * when @column is NULL), ordered by @order_by then uuid: a ticket's
 * history, the directory. Unknown columns give an empty list. */
GPtrArray *td_cache_list (TdCache    *self,
                          const char *entity,
                          const char *column,
                          const char *value,
                          const char *order_by);
/* Articles (not deleted) whose title, body, workaround or tags contain
 * every word of @text, each as a prefix (search as you type); best match first.
 * Empty @text lists every article by title. @kind (NULL: any) filters by
 * kind; @limit 0 is no limit. */
GPtrArray *td_cache_search_articles (TdCache    *self,
                                     const char *text,
                                     const char *kind,
                                     guint       limit);
/* Articles that may answer what @text describes (a ticket's title): any
 * of its longer words, best match first; none when it has none. */
GPtrArray *td_cache_suggest_articles (TdCache *self, const char *text, guint limit);

/* The outbox */
GPtrArray *td_cache_pending (TdCache *self, guint limit);
guint      td_cache_count_pending (TdCache *self);
GPtrArray *td_cache_list_rejected (TdCache *self);
GPtrArray *td_cache_list_conflicts (TdCache *self);
/* A result from the server for one command, as docs/api.md describes it.
 * Returns the ids of rows it changed in @changed (entity/uuid pairs). */
gboolean td_cache_apply_result (TdCache    *self,
                                JsonObject *result,
                                GPtrArray  *changed,
                                GError    **error);
gboolean td_cache_resolve_conflict (TdCache *self,
                                    gint64   conflict_id,
                                    gboolean keep_local,
                                    GError **error);
gboolean td_cache_discard_rejected (TdCache *self, const char *command_id, GError **error);

/* The change feed */
char *td_cache_dup_cursor (TdCache *self);
/* Applies one page and saves @cursor in the same transaction; rows that
 * still have pending local commands are left alone. A NULL @cursor
 * leaves it where it was: rows from outside the feed (the open-tickets
 * snapshot a new desktop starts with), which the feed brings again. */
gboolean td_cache_apply_page (TdCache    *self,
                              JsonArray  *changes,
                              const char *cursor,
                              GPtrArray  *changed,
                              GError    **error);
/* After 409/410: forget what the server sent, keep what the user typed,
 * and queue the kept applied commands to be pushed again. */
gboolean td_cache_reset_for_resync (TdCache *self, GError **error);
gint64   td_cache_get_last_sync (TdCache *self);
void     td_cache_set_last_sync (TdCache *self, gint64 when);

/* The row a statement is on, as the cache gives rows (JSON columns parsed);
 * for readers with a connection of their own, such as TdQueueModel. */
JsonObject *td_cache_row_from_statement (sqlite3_stmt *stmt);

/* A column of a row the cache gave: its text, NULL when missing or null;
 * its integer, 0 when missing or null. @row may be NULL. */
const char *td_cache_row_text (JsonObject *row, const char *name);
gint64      td_cache_row_int (JsonObject *row, const char *name);

G_END_DECLS
