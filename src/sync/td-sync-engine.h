/* td-sync-engine.h — keeps a cache in sync in the background, for the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-cache.h"
#include "td-sync.h"

G_BEGIN_DECLS

typedef enum
{
  TD_SYNC_STATE_OFFLINE,
  TD_SYNC_STATE_CONNECTING,
  TD_SYNC_STATE_SYNCING,
  TD_SYNC_STATE_IDLE,
  TD_SYNC_STATE_ERROR,
} TdSyncState;

#define TD_TYPE_SYNC_STATE (td_sync_state_get_type ())
GType td_sync_state_get_type (void);

/* Polling interval when the server's stream cannot be reached, and the
 * longest wait between retries after failures. */
#define TD_SYNC_ENGINE_POLL_SECONDS 30
#define TD_SYNC_ENGINE_MAX_BACKOFF  300

/* The wait after @failures failed syncs in a row lies in [@shortest,
 * @longest] seconds: doubling from 1 s, capped, and jittered over the upper
 * half so desktops that lost the server together do not return together. */
void td_sync_engine_backoff_range (guint failures, guint *shortest, guint *longest);

#define TD_TYPE_SYNC_ENGINE (td_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (TdSyncEngine, td_sync_engine, TD, SYNC_ENGINE, GObject)

TdSyncEngine *td_sync_engine_new (TdCache *cache, TdSyncClient *client);
TdCache      *td_sync_engine_get_cache (TdSyncEngine *self);
TdSyncState   td_sync_engine_get_state (TdSyncEngine *self);
const char   *td_sync_engine_get_error (TdSyncEngine *self);
guint         td_sync_engine_get_pending (TdSyncEngine *self);
gint64        td_sync_engine_get_last_sync (TdSyncEngine *self);
gint64        td_sync_engine_get_clock_offset (TdSyncEngine *self);
/* The seconds until the next retry while offline, for "retrying in …". */
guint td_sync_engine_get_retry_in (TdSyncEngine *self);
/* TdOutboxCommand-backed lists the user can act on, refreshed after
 * every sync: GListModel of TdSyncIssue. */
GListModel *td_sync_engine_get_conflicts (TdSyncEngine *self);
GListModel *td_sync_engine_get_rejected (TdSyncEngine *self);
/* Start syncing: now, after every local change, on every notification
 * from the server, and when the network comes back. */
void td_sync_engine_start (TdSyncEngine *self);
void td_sync_engine_stop (TdSyncEngine *self);
/* Ask for a sync as soon as possible (after a local edit, or a click). */
void td_sync_engine_sync_now (TdSyncEngine *self);
/* The user went offline on purpose (or the tests simulate it). */
void td_sync_engine_set_offline (TdSyncEngine *self, gboolean offline);

#define TD_TYPE_SYNC_ISSUE (td_sync_issue_get_type ())
G_DECLARE_FINAL_TYPE (TdSyncIssue, td_sync_issue, TD, SYNC_ISSUE, GObject)

/* After the UI wrote @uuid in the cache: tells the views (rows-changed),
 * updates the pending count and syncs as soon as possible. */
void td_sync_engine_local_change (TdSyncEngine *self, const char *entity, const char *uuid);
/* The user's decisions on what needs attention. */
gboolean td_sync_engine_resolve_conflict (TdSyncEngine *self,
                                          TdSyncIssue  *issue,
                                          gboolean      keep_mine,
                                          GError      **error);
gboolean td_sync_engine_discard_rejected (TdSyncEngine *self, TdSyncIssue *issue, GError **error);

/* A conflict (id is the conflict's) or a rejected command (id is the
 * command's), with what the user needs to decide. */
const char *td_sync_issue_get_id (TdSyncIssue *self);
const char *td_sync_issue_get_entity (TdSyncIssue *self);
const char *td_sync_issue_get_entity_id (TdSyncIssue *self);
const char *td_sync_issue_get_reason (TdSyncIssue *self);
gboolean    td_sync_issue_is_conflict (TdSyncIssue *self);

G_END_DECLS
