/* td-sync-engine.c — keeps a cache in sync in the background, for the app
 *
 * One round of sync (td_sync_run) runs on a worker thread; everything else
 * — state, timers, the server's stream, signals — lives on the main loop, so
 * the UI never waits on the network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "td-json-guard.h"
#include "td-sync-engine.h"
#include "td-time.h"

struct _TdSyncIssue
{
  GObject parent_instance;

  char    *id;
  char    *entity;
  char    *entity_id;
  char    *reason;
  gboolean conflict;
};

G_DEFINE_FINAL_TYPE (TdSyncIssue, td_sync_issue, G_TYPE_OBJECT)

struct _TdSyncEngine
{
  GObject parent_instance;

  TdCache      *cache;
  TdSyncClient *client;
  TdSyncState   state;
  char         *error;
  guint         pending;
  gint64        last_sync;
  gint64        clock_offset;

  GListStore *conflicts;
  GListStore *rejected;

  gboolean      started;
  gboolean      forced_offline;
  gboolean      running;
  gboolean      again;
  guint         failures;
  guint         timer;
  gint64        retry_at;
  GCancellable *cancellable;

  GNetworkMonitor         *monitor;
  SoupSession             *stream_session;
  SoupWebsocketConnection *stream;
  gboolean                 stream_connecting;
};

G_DEFINE_FINAL_TYPE (TdSyncEngine, td_sync_engine, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TdSyncState,
                    td_sync_state,
                    G_DEFINE_ENUM_VALUE (TD_SYNC_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (TD_SYNC_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (TD_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (TD_SYNC_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (TD_SYNC_STATE_ERROR, "error"))

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_SYNC,
  PROP_ERROR,
  N_PROPS
};

enum
{
  ROWS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void schedule (TdSyncEngine *self, guint seconds);
static void connect_stream (TdSyncEngine *self);

/* TdSyncIssue */

static void
td_sync_issue_finalize (GObject *object)
{
  TdSyncIssue *self = (TdSyncIssue *) object;

  g_free (self->id);
  g_free (self->entity);
  g_free (self->entity_id);
  g_free (self->reason);
  G_OBJECT_CLASS (td_sync_issue_parent_class)->finalize (object);
}

static void
td_sync_issue_class_init (TdSyncIssueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_sync_issue_finalize;
}

static void
td_sync_issue_init (TdSyncIssue *self)
{
}

/* A value as a person reads it: text as it is, shortened; anything else
 * as JSON. */
static char *
describe_value (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("(empty)");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (node));
  else
    text = td_json_to_string (node, FALSE);
  if (g_utf8_strlen (text, -1) > 60)
    {
      g_autofree char *head = g_utf8_substring (text, 0, 59);
      return g_strconcat ("“", head, "…”", NULL);
    }
  return g_strconcat ("“", text, "”", NULL);
}

/* "title: yours “…”, the server’s “…”" for each field both sides changed,
 * so the person choosing sees what they choose between. */
static char *
describe_conflict (const TdConflict *conflict)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GList) members = NULL;

  if (conflict->local != NULL)
    members = json_object_get_members (conflict->local);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode   *mine = json_object_get_member (conflict->local, field);
      JsonNode   *theirs
          = conflict->remote != NULL ? json_object_get_member (conflict->remote, field) : NULL;
      g_autofree char *mine_text = describe_value (mine);
      g_autofree char *theirs_text = describe_value (theirs);

      if (g_str_equal (mine_text, theirs_text))
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: yours %s, the server’s %s", field, mine_text, theirs_text);
    }
  if (text->len == 0)
    g_string_append (text, "changed on the server as well");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static TdSyncIssue *
issue_new (const char *id,
           const char *entity,
           const char *entity_id,
           const char *reason,
           gboolean    conflict)
{
  TdSyncIssue *issue = g_object_new (TD_TYPE_SYNC_ISSUE, NULL);

  issue->id = g_strdup (id);
  issue->entity = g_strdup (entity);
  issue->entity_id = g_strdup (entity_id);
  issue->reason = g_strdup (reason);
  issue->conflict = conflict;
  return issue;
}

const char *
td_sync_issue_get_id (TdSyncIssue *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ISSUE (self), NULL);
  return self->id;
}

const char *
td_sync_issue_get_entity (TdSyncIssue *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ISSUE (self), NULL);
  return self->entity;
}

const char *
td_sync_issue_get_entity_id (TdSyncIssue *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ISSUE (self), NULL);
  return self->entity_id;
}

const char *
td_sync_issue_get_reason (TdSyncIssue *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ISSUE (self), NULL);
  return self->reason;
}

gboolean
td_sync_issue_is_conflict (TdSyncIssue *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ISSUE (self), FALSE);
  return self->conflict;
}

/* Engine state */

static void
set_state (TdSyncEngine *self, TdSyncState state, const char *error)
{
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
refresh_outbox (TdSyncEngine *self)
{
  g_autoptr (GPtrArray) conflicts = td_cache_list_conflicts (self->cache);
  g_autoptr (GPtrArray) rejected = td_cache_list_rejected (self->cache);
  guint pending = td_cache_count_pending (self->cache);

  /* One items-changed per list: the dialog showing them redraws once. */
  {
    g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < conflicts->len; i++)
      {
        TdConflict      *conflict = g_ptr_array_index (conflicts, i);
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, conflict->id);
        g_autofree char *reason = describe_conflict (conflict);

        g_ptr_array_add (items,
                         issue_new (id, conflict->entity, conflict->entity_id, reason, TRUE));
      }
    g_list_store_splice (self->conflicts, 0,
                         g_list_model_get_n_items (G_LIST_MODEL (self->conflicts)), items->pdata,
                         items->len);
  }
  {
    g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < rejected->len; i++)
      {
        TdOutboxCommand *command = g_ptr_array_index (rejected, i);

        g_ptr_array_add (items, issue_new (command->id, command->entity, command->entity_id,
                                           command->last_error, FALSE));
      }
    g_list_store_splice (self->rejected, 0,
                         g_list_model_get_n_items (G_LIST_MODEL (self->rejected)), items->pdata,
                         items->len);
  }

  if (pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
}

/* Groups the changed rows by entity and tells the views which ids moved,
 * so they update those rows only. */
static void
emit_changes (TdSyncEngine *self, GPtrArray *changed)
{
  g_autoptr (GHashTable) by_entity
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer       key, value;

  for (guint i = 0; changed != NULL && i + 1 < changed->len; i += 2)
    {
      const char *entity = g_ptr_array_index (changed, i);
      GPtrArray  *ids = g_hash_table_lookup (by_entity, entity);

      if (ids == NULL)
        {
          ids = g_ptr_array_new ();
          g_hash_table_insert (by_entity, (gpointer) entity, ids);
        }
      g_ptr_array_add (ids, g_ptr_array_index (changed, i + 1));
    }

  g_hash_table_iter_init (&iter, by_entity);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *ids = value;

      g_ptr_array_add (ids, NULL);
      g_signal_emit (self, signals[ROWS_CHANGED], 0, key, ids->pdata);
    }
}

/* One round, on a worker thread */

/* Rows a round has written so far, on their way to the main thread. */
typedef struct
{
  TdSyncEngine *engine;
  GPtrArray    *changed;
} Progress;

static gboolean
emit_progress (gpointer data)
{
  Progress *progress = data;

  /* A round cancelled by td_sync_engine_stop () tells no one: the views
   * may be gone with the session. */
  if (progress->engine->started)
    emit_changes (progress->engine, progress->changed);
  g_object_unref (progress->engine);
  g_ptr_array_unref (progress->changed);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

/* On the sync thread, after each page: a first sync of a large
 * organisation takes minutes, so what has arrived is shown at most once a
 * second (the open tickets at once) rather than all at the end. */
static void
on_progress (TdSyncStats *stats, gpointer data)
{
  GTask        *task = data;
  TdSyncEngine *self = g_task_get_source_object (task);
  gint64       *last = g_object_get_data (G_OBJECT (task), "td-last-progress");
  gint64        now = g_get_monotonic_time ();
  Progress     *progress;

  if (stats->changed == NULL || stats->changed->len == 0
      || (*last != 0 && now - *last < G_USEC_PER_SEC))
    return;
  *last = now;
  progress = g_new (Progress, 1);
  progress->engine = g_object_ref (self);
  progress->changed = g_steal_pointer (&stats->changed);
  stats->changed = g_ptr_array_new_with_free_func (g_free);
  /* Always queued, never run here: g_main_context_invoke () would run it
   * on this thread whenever the main context happens to be free. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, emit_progress, progress, NULL);
    g_source_set_static_name (source, "[tierdesk] sync progress");
    g_source_attach (source, g_task_get_context (task));
    g_source_unref (source);
  }
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TdSyncEngine *self = source;
  TdSyncStats  *stats = task_data;
  GError       *error = NULL;

  stats->progress = on_progress;
  stats->progress_data = task;

  if (td_sync_run (self->client, self->cache, stats, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
stats_free (TdSyncStats *stats)
{
  td_sync_stats_clear (stats);
  g_free (stats);
}

/* Capped, jittered exponential backoff: 1, 2, 4 … seconds up to five
 * minutes, each between half and all of that, so desktops that lost the
 * server together do not all come back in the same second. */
void
td_sync_engine_backoff_range (guint failures, guint *shortest, guint *longest)
{
  guint base = 1u << MIN (failures, 9u);
  guint capped = MIN (base, (guint) TD_SYNC_ENGINE_MAX_BACKOFF);

  *shortest = MAX (1u, capped / 2 + 1);
  *longest = MAX (1u, capped);
}

static guint
backoff_seconds (guint failures)
{
  guint shortest, longest;

  td_sync_engine_backoff_range (failures, &shortest, &longest);
  return (guint) g_random_int_range (shortest, longest + 1);
}

static void
sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TdSyncEngine *self = TD_SYNC_ENGINE (source);
  g_autoptr (GError) error = NULL;
  TdSyncStats *stats = g_task_get_task_data (G_TASK (result));
  gboolean     ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->running = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Whatever the round applied before it stopped is in the cache now. */
  emit_changes (self, stats->changed);

  if (ok)
    {
      self->failures = 0;
      self->last_sync = td_time_now ();
      if (stats->has_clock_offset)
        self->clock_offset = stats->clock_offset;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      set_state (self, TD_SYNC_STATE_IDLE, NULL);
      refresh_outbox (self);
      if (self->started && self->stream == NULL)
        connect_stream (self);
      /* Without the stream, poll; with it, the server says when to pull. */
      schedule (self, self->again            ? 0
                      : self->stream == NULL ? TD_SYNC_ENGINE_POLL_SECONDS
                                             : TD_SYNC_ENGINE_MAX_BACKOFF);
    }
  else
    {
      gboolean offline = g_error_matches (error, TD_SYNC_ERROR, TD_SYNC_ERROR_OFFLINE);

      self->failures++;
      set_state (self, offline ? TD_SYNC_STATE_OFFLINE : TD_SYNC_STATE_ERROR, error->message);
      refresh_outbox (self);
      /* A refused login will not fix itself: wait for the user. */
      if (!g_error_matches (error, TD_SYNC_ERROR, TD_SYNC_ERROR_UNAUTHORIZED))
        schedule (self, backoff_seconds (self->failures));
    }
  self->again = FALSE;
}

static void
run_now (TdSyncEngine *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->forced_offline)
    return;
  if (self->running)
    {
      /* A change arrived mid-round: go again as soon as it ends. */
      self->again = TRUE;
      return;
    }
  self->running = TRUE;
  set_state (self,
             self->last_sync == 0 && self->failures == 0 ? TD_SYNC_STATE_CONNECTING
                                                         : TD_SYNC_STATE_SYNCING,
             self->error);
  task = g_task_new (self, self->cancellable, sync_done, NULL);
  g_task_set_source_tag (task, run_now);
  /* The stats belong to the task, so a round that fails half-way still
   * tells the views which rows it changed before failing. */
  g_task_set_task_data (task, g_new0 (TdSyncStats, 1), (GDestroyNotify) stats_free);
  g_object_set_data_full (G_OBJECT (task), "td-last-progress", g_new0 (gint64, 1), g_free);
  g_task_run_in_thread (task, sync_thread);
}

static gboolean
on_timer (gpointer user_data)
{
  TdSyncEngine *self = user_data;

  self->timer = 0;
  self->retry_at = 0;
  run_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (TdSyncEngine *self, guint seconds)
{
  gint64 at = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  /* An earlier round already asked for (a local edit while the last round
   * was finishing) is never put off by the end of that round. */
  if (self->timer != 0 && self->retry_at <= at)
    return;
  g_clear_handle_id (&self->timer, g_source_remove);
  if (!self->started || self->forced_offline)
    return;
  self->retry_at = at;
  self->timer = seconds == 0 ? g_idle_add (on_timer, self)
                             : g_timeout_add_seconds (seconds, on_timer, self);
}

/* The server's stream: {"rev": N} after each change means "pull now". */

static void
on_stream_message (SoupWebsocketConnection *stream, int type, GBytes *message, gpointer user_data)
{
  td_sync_engine_sync_now (user_data);
}

static void
on_stream_closed (SoupWebsocketConnection *stream, gpointer user_data)
{
  TdSyncEngine *self = user_data;

  if (self->stream == stream)
    g_clear_object (&self->stream);
}

static void
on_stream_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TdSyncEngine) self = user_data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *stream;

  stream = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  self->stream_connecting = FALSE;
  if (stream == NULL)
    return; /* polling every 30 s covers it; the next good sync tries again */
  self->stream = stream;
  g_signal_connect_object (stream, "message", G_CALLBACK (on_stream_message), self, 0);
  g_signal_connect_object (stream, "closed", G_CALLBACK (on_stream_closed), self, 0);
}

static void
connect_stream (TdSyncEngine *self)
{
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  const char *token = td_sync_client_get_token (self->client);

  if (self->stream_connecting || token == NULL)
    return;
  url = g_strdup_printf ("%s/api/v1/stream", td_sync_client_get_url (self->client));
  if (g_str_has_prefix (url, "http"))
    {
      /* ws:// and wss:// mirror http:// and https://. */
      char *ws = g_strconcat ("ws", url + 4, NULL);
      g_free (url);
      url = ws;
    }
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    return;
  {
    g_autofree char *header = g_strdup_printf ("Bearer %s", token);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  }
  self->stream_connecting = TRUE;
  soup_session_websocket_connect_async (self->stream_session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, on_stream_connected,
                                        g_object_ref (self));
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
  TdSyncEngine *self = user_data;

  /* Back online: do not wait out the backoff. */
  if (available && self->state != TD_SYNC_STATE_IDLE)
    {
      self->failures = 0;
      td_sync_engine_sync_now (self);
    }
}

/* GObject */

static void
td_sync_engine_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TdSyncEngine *self = TD_SYNC_ENGINE (object);

  switch (prop_id)
    {
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;
      case PROP_PENDING:
        g_value_set_uint (value, self->pending);
        break;
      case PROP_LAST_SYNC:
        g_value_set_int64 (value, self->last_sync);
        break;
      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_sync_engine_dispose (GObject *object)
{
  TdSyncEngine *self = (TdSyncEngine *) object;

  td_sync_engine_stop (self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->stream_session);

  G_OBJECT_CLASS (td_sync_engine_parent_class)->dispose (object);
}

static void
td_sync_engine_finalize (GObject *object)
{
  TdSyncEngine *self = (TdSyncEngine *) object;

  g_clear_object (&self->cache);
  g_clear_object (&self->client);
  g_clear_object (&self->conflicts);
  g_clear_object (&self->rejected);
  g_clear_object (&self->cancellable);
  g_free (self->error);

  G_OBJECT_CLASS (td_sync_engine_parent_class)->finalize (object);
}

static void
td_sync_engine_class_init (TdSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = td_sync_engine_get_property;
  object_class->dispose = td_sync_engine_dispose;
  object_class->finalize = td_sync_engine_finalize;

  properties[PROP_STATE]
      = g_param_spec_enum ("state", NULL, NULL, TD_TYPE_SYNC_STATE, TD_SYNC_STATE_OFFLINE,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PENDING]
      = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_SYNC]
      = g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::rows-changed (entity, ids): rows of one table changed by a sync. */
  signals[ROWS_CHANGED]
      = g_signal_new ("rows-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
}

static void
td_sync_engine_init (TdSyncEngine *self)
{
  self->state = TD_SYNC_STATE_OFFLINE;
  self->conflicts = g_list_store_new (TD_TYPE_SYNC_ISSUE);
  self->rejected = g_list_store_new (TD_TYPE_SYNC_ISSUE);
  self->stream_session = soup_session_new ();
}

/* Public API */

TdSyncEngine *
td_sync_engine_new (TdCache *cache, TdSyncClient *client)
{
  TdSyncEngine *self;

  g_return_val_if_fail (TD_IS_CACHE (cache), NULL);
  g_return_val_if_fail (TD_IS_SYNC_CLIENT (client), NULL);

  self = g_object_new (TD_TYPE_SYNC_ENGINE, NULL);
  self->cache = g_object_ref (cache);
  self->client = g_object_ref (client);
  self->last_sync = td_cache_get_last_sync (cache);
  refresh_outbox (self);
  return self;
}

TdCache *
td_sync_engine_get_cache (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), NULL);
  return self->cache;
}

TdSyncState
td_sync_engine_get_state (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), TD_SYNC_STATE_OFFLINE);
  return self->state;
}

const char *
td_sync_engine_get_error (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), NULL);
  return self->error;
}

guint
td_sync_engine_get_pending (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

gint64
td_sync_engine_get_last_sync (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), 0);
  return self->last_sync;
}

gint64
td_sync_engine_get_clock_offset (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), 0);
  return self->clock_offset;
}

guint
td_sync_engine_get_retry_in (TdSyncEngine *self)
{
  gint64 left;

  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), 0);
  if (self->retry_at == 0)
    return 0;
  left = (self->retry_at - g_get_monotonic_time ()) / G_USEC_PER_SEC;
  return left > 0 ? (guint) left : 0;
}

GListModel *
td_sync_engine_get_conflicts (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), NULL);
  return G_LIST_MODEL (self->conflicts);
}

GListModel *
td_sync_engine_get_rejected (TdSyncEngine *self)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), NULL);
  return G_LIST_MODEL (self->rejected);
}

void
td_sync_engine_start (TdSyncEngine *self)
{
  g_return_if_fail (TD_IS_SYNC_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_object_unref (self->cancellable);
  if (self->monitor == NULL)
    {
      self->monitor = g_network_monitor_get_default ();
      g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (on_network_changed),
                               self, 0);
    }
  schedule (self, 0);
}

void
td_sync_engine_stop (TdSyncEngine *self)
{
  g_return_if_fail (TD_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  g_clear_handle_id (&self->timer, g_source_remove);
  self->retry_at = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      if (soup_websocket_connection_get_state (self->stream) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->stream, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->stream);
    }
}

void
td_sync_engine_sync_now (TdSyncEngine *self)
{
  g_return_if_fail (TD_IS_SYNC_ENGINE (self));

  refresh_outbox (self);
  if (self->started)
    schedule (self, 0);
}

void
td_sync_engine_set_offline (TdSyncEngine *self, gboolean offline)
{
  g_return_if_fail (TD_IS_SYNC_ENGINE (self));

  self->forced_offline = offline;
  if (offline)
    {
      g_clear_handle_id (&self->timer, g_source_remove);
      set_state (self, TD_SYNC_STATE_OFFLINE, "working offline");
    }
  else
    {
      self->failures = 0;
      set_state (self, self->state, NULL);
      schedule (self, 0);
    }
}

/* The UI's edits go through here after writing the cache, so every view
 * hears of the row at once and the change leaves as soon as it can. */
void
td_sync_engine_local_change (TdSyncEngine *self, const char *entity, const char *uuid)
{
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (TD_IS_SYNC_ENGINE (self));
  g_ptr_array_add (changed, g_strdup (entity));
  g_ptr_array_add (changed, g_strdup (uuid));
  emit_changes (self, changed);
  refresh_outbox (self);
  td_sync_engine_sync_now (self);
}

gboolean
td_sync_engine_resolve_conflict (TdSyncEngine *self,
                                 TdSyncIssue  *issue,
                                 gboolean      keep_mine,
                                 GError      **error)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (TD_IS_SYNC_ISSUE (issue) && issue->conflict, FALSE);

  if (!td_cache_resolve_conflict (self->cache, g_ascii_strtoll (issue->id, NULL, 10), keep_mine,
                                  error))
    return FALSE;
  td_sync_engine_local_change (self, issue->entity, issue->entity_id);
  return TRUE;
}

gboolean
td_sync_engine_discard_rejected (TdSyncEngine *self, TdSyncIssue *issue, GError **error)
{
  g_return_val_if_fail (TD_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (TD_IS_SYNC_ISSUE (issue) && !issue->conflict, FALSE);

  if (!td_cache_discard_rejected (self->cache, issue->id, error))
    return FALSE;
  td_sync_engine_local_change (self, issue->entity, issue->entity_id);
  return TRUE;
}
