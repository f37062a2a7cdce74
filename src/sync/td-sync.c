/* td-sync.c — one round of sync with tierdeskd: push the outbox, then pull the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "td-sync.h"
#include "td-time.h"

struct _TdSyncClient
{
  GObject parent_instance;

  SoupSession *session;
  char        *url;
  char        *token;
  GMutex       lock;
};

G_DEFINE_FINAL_TYPE (TdSyncClient, td_sync_client, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (td-sync-error-quark, td_sync_error)
/* clang-format on */

void
td_sync_stats_clear (TdSyncStats *stats)
{
  g_clear_pointer (&stats->changed, g_ptr_array_unref);
  memset (stats, 0, sizeof *stats);
}

typedef struct
{
  guint     status;
  JsonNode *json;
  gint64    server_time;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static const char *
error_message (JsonNode *json)
{
  JsonObject *object
      = json != NULL && JSON_NODE_HOLDS_OBJECT (json) ? json_node_get_object (json) : NULL;
  JsonObject *error = object != NULL && json_object_has_member (object, "error")
                          ? json_object_get_object_member (object, "error")
                          : NULL;

  return error != NULL ? json_object_get_string_member_with_default (error, "message", "")
                       : "no message";
}

/* Sends one request; FALSE only when no answer came back. */
static gboolean
request (TdSyncClient *self,
         const char   *method,
         const char   *path,
         JsonNode     *body,
         Reply        *reply,
         GCancellable *cancellable,
         GError      **error)
{
  g_autofree char *url = g_strconcat (self->url, "/api/v1", path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GDateTime) date = NULL;
  const char *date_header;

  if (msg == NULL)
    {
      g_set_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_OFFLINE, "%s is not a valid server address",
                   self->url);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  if (self->token != NULL)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", self->token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  g_mutex_unlock (&self->lock);
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize            length = strlen (text);
      g_autoptr (GBytes) request_body = g_bytes_new_take (g_steal_pointer (&text), length);
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  bytes = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
  if (bytes == NULL && local_error->domain == G_TLS_ERROR)
    {
      g_set_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_CERTIFICATE,
                   "the certificate of %s is not trusted: %s", self->url, local_error->message);
      return FALSE;
    }
  if (bytes == NULL)
    {
      g_set_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_OFFLINE, "cannot reach %s: %s", self->url,
                   local_error->message);
      return FALSE;
    }

  reply->status = soup_message_get_status (msg);
  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL)
      && json_parser_get_root (parser) != NULL)
    reply->json = json_node_copy (json_parser_get_root (parser));

  /* The server's clock, for SLA countdowns on a desktop whose clock is off. */
  date_header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  if (date_header != NULL && (date = soup_date_time_new_from_http_string (date_header)) != NULL)
    reply->server_time = g_date_time_to_unix (date);
  return TRUE;
}

/* Every answer carries the server's clock; the last one seen wins. */
static void
note_server_time (TdSyncStats *stats, Reply *reply)
{
  if (reply->server_time == 0)
    return;
  stats->clock_offset = reply->server_time - td_time_now ();
  stats->has_clock_offset = TRUE;
}

static gboolean
fail_on_status (Reply *reply, GError **error)
{
  if (reply->status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_UNAUTHORIZED, "%s",
                 error_message (reply->json));
  else
    g_set_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_SERVER, "the server answered %u: %s",
                 reply->status, error_message (reply->json));
  return FALSE;
}

gboolean
td_sync_client_login (TdSyncClient *self,
                      const char   *username,
                      const char   *password,
                      GError      **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  g_auto (Reply) reply = { 0 };

  g_return_val_if_fail (TD_IS_SYNC_CLIENT (self), FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  if (!request (self, "POST", "/login", body, &reply, NULL, error))
    return FALSE;
  if (reply.status != SOUP_STATUS_OK)
    return fail_on_status (&reply, error);
  td_sync_client_set_token (
      self, json_object_get_string_member (json_node_get_object (reply.json), "token"));
  return TRUE;
}

gboolean
td_sync_client_fetch_me (TdSyncClient *self, char **person, char **role, GError **error)
{
  g_auto (Reply) reply = { 0 };
  JsonObject *me;

  g_return_val_if_fail (TD_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (person != NULL && role != NULL, FALSE);

  *person = NULL;
  *role = NULL;
  if (!request (self, "GET", "/me", NULL, &reply, NULL, error))
    return FALSE;
  if (reply.status != SOUP_STATUS_OK)
    return fail_on_status (&reply, error);
  me = reply.json != NULL && JSON_NODE_HOLDS_OBJECT (reply.json) ? json_node_get_object (reply.json)
                                                                 : NULL;
  if (me == NULL)
    {
      g_set_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_SERVER,
                   "the server's answer to /me is not a JSON object");
      return FALSE;
    }
  /* An account need not be anyone in the directory (an administrator). */
  *person = g_strdup (json_object_get_string_member_with_default (me, "person", NULL));
  *role = g_strdup (json_object_get_string_member_with_default (me, "role", NULL));
  return TRUE;
}

static JsonNode *
batch_json (GPtrArray *commands)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "commands");
  json_builder_begin_array (builder);
  for (guint i = 0; i < commands->len; i++)
    {
      TdOutboxCommand *command = g_ptr_array_index (commands, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, command->id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, command->type);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, command->entity);
      json_builder_set_member_name (builder, "entity_id");
      json_builder_add_string_value (builder, command->entity_id);
      if (g_str_equal (command->type, "update") || g_str_equal (command->type, "delete"))
        {
          json_builder_set_member_name (builder, "base_rev");
          json_builder_add_int_value (builder, command->base_rev);
        }
      if (command->fields != NULL && !g_str_equal (command->type, "delete"))
        {
          json_builder_set_member_name (builder, "fields");
          json_builder_add_value (builder,
                                  json_node_init_object (json_node_alloc (), command->fields));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Pushes until the outbox holds nothing pending, or only what keeps coming
 * back (a conflict re-based on a row that moves again is retried next round). */
static gboolean
push (TdSyncClient *self,
      TdCache      *cache,
      TdSyncStats  *stats,
      GCancellable *cancellable,
      GError      **error)
{
  for (guint round = 0; round < 1000; round++)
    {
      g_autoptr (GPtrArray) commands = td_cache_pending (cache, TD_SYNC_BATCH);
      g_autoptr (JsonNode) body = NULL;
      g_auto (Reply) reply = { 0 };
      JsonArray *results;
      gboolean   progress = FALSE;

      if (commands->len == 0)
        return TRUE;

      body = batch_json (commands);
      /* Retrying resends the same ids: the server applies each at most once. */
      if (!request (self, "POST", "/commands", body, &reply, cancellable, error))
        return FALSE;
      if (reply.status != SOUP_STATUS_OK)
        return fail_on_status (&reply, error);
      note_server_time (stats, &reply);

      results = json_object_get_array_member (json_node_get_object (reply.json), "results");
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);
          const char *status = json_object_get_string_member (result, "status");

          if (!td_cache_apply_result (cache, result, stats->changed, error))
            return FALSE;
          stats->pushed++;
          if (g_str_equal (status, "applied"))
            stats->applied++, progress = TRUE;
          else if (g_str_equal (status, "duplicate"))
            stats->duplicates++, progress = TRUE;
          else if (g_str_equal (status, "rejected"))
            stats->rejected++, progress = TRUE;
          else if (g_str_equal (status, "conflict"))
            stats->conflicts++;
        }
      /* Only re-based conflicts left and none of them went through: they
       * wait for the next round rather than spin. */
      if (!progress && td_cache_count_pending (cache) >= commands->len)
        return TRUE;
    }
  return TRUE;
}

typedef enum
{
  PULL_OK,
  PULL_FAILED,
  PULL_RESYNC,
} PullResult;

/* One page of the change feed, fetched and parsed on a thread of its
 * own: while a page is written to the cache, the next one travels and is
 * parsed, so the server, the network and SQLite work at the same time
 * instead of taking turns. */
typedef struct
{
  TdSyncClient *client;
  char         *path;
  GCancellable *cancellable;
  GThread      *thread;
  Reply         reply;
  GError       *error;
  gboolean      ok;
} Fetch;

static gpointer
fetch_run (gpointer data)
{
  Fetch *fetch = data;

  fetch->ok = request (fetch->client, "GET", fetch->path, NULL, &fetch->reply, fetch->cancellable,
                       &fetch->error);
  return NULL;
}

static Fetch *
fetch_start (TdSyncClient *self, const char *cursor, GCancellable *cancellable)
{
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
  Fetch           *fetch = g_new0 (Fetch, 1);

  fetch->client = g_object_ref (self);
  fetch->path = g_strdup_printf ("/changes?since=%s&limit=%d", escaped, TD_SYNC_PAGE);
  fetch->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  fetch->thread = g_thread_new ("td-sync-fetch", fetch_run, fetch);
  return fetch;
}

/* Waits for the page and frees @fetch; NULL is fine. */
static void
fetch_free (Fetch *fetch)
{
  if (fetch == NULL)
    return;
  if (fetch->thread != NULL)
    g_thread_join (fetch->thread);
  g_object_unref (fetch->client);
  g_free (fetch->path);
  g_clear_object (&fetch->cancellable);
  reply_clear (&fetch->reply);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static PullResult
pull (TdSyncClient *self,
      TdCache      *cache,
      TdSyncStats  *stats,
      GCancellable *cancellable,
      GError      **error)
{
  g_autofree char *cursor = td_cache_dup_cursor (cache);
  g_autoptr (Fetch) current = fetch_start (self, cursor, cancellable);

  /* A new desktop: the open tickets and the people they name first, so
   * the queue is usable in a second while years of history stream in
   * behind them (the feed brings these rows again, in order). */
  if (g_str_equal (cursor, "0"))
    {
      g_auto (Reply) reply = { 0 };

      if (!request (self, "GET", "/changes/open", NULL, &reply, cancellable, error))
        return PULL_FAILED;
      if (reply.status == SOUP_STATUS_OK && reply.json != NULL
          && JSON_NODE_HOLDS_OBJECT (reply.json))
        {
          JsonObject *object = json_node_get_object (reply.json);

          if (!td_cache_apply_page (cache, json_object_get_array_member (object, "changes"), NULL,
                                    stats->changed, error))
            return PULL_FAILED;
          if (stats->progress != NULL)
            stats->progress (stats, stats->progress_data);
        }
      /* A server without the snapshot (404): the feed alone will do. */
      else if (reply.status != SOUP_STATUS_NOT_FOUND)
        return fail_on_status (&reply, error), PULL_FAILED;
    }

  for (;;)
    {
      g_autoptr (Fetch) next = NULL;
      JsonObject *object;
      JsonArray  *changes;
      gboolean    more;

      g_thread_join (g_steal_pointer (&current->thread));
      if (!current->ok)
        {
          g_propagate_error (error, g_steal_pointer (&current->error));
          return PULL_FAILED;
        }
      note_server_time (stats, &current->reply);
      if (current->reply.status == 409 || current->reply.status == 410)
        return PULL_RESYNC;
      if (current->reply.status != SOUP_STATUS_OK)
        return fail_on_status (&current->reply, error), PULL_FAILED;

      object = json_node_get_object (current->reply.json);
      changes = json_object_get_array_member (object, "changes");
      more = json_object_get_boolean_member (object, "more");
      if (more)
        next = fetch_start (self, json_object_get_string_member (object, "cursor"), cancellable);
      if (!td_cache_apply_page (cache, changes, json_object_get_string_member (object, "cursor"),
                                stats->changed, error))
        return PULL_FAILED;
      stats->pulled += json_array_get_length (changes);
      stats->pages++;
      if (stats->progress != NULL)
        stats->progress (stats, stats->progress_data);
      if (!more)
        return PULL_OK;
      g_clear_pointer (&current, fetch_free);
      current = g_steal_pointer (&next);
    }
}

gboolean
td_sync_run (TdSyncClient *self,
             TdCache      *cache,
             TdSyncStats  *stats,
             GCancellable *cancellable,
             GError      **error)
{
  PullResult result;

  g_return_val_if_fail (TD_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (TD_IS_CACHE (cache), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  if (stats->changed == NULL)
    stats->changed = g_ptr_array_new_with_free_func (g_free);

  /* Push before pull, so the pull brings back our own changes as the
   * server stored them and never overwrites an edit still waiting. */
  if (!push (self, cache, stats, cancellable, error))
    return FALSE;
  result = pull (self, cache, stats, cancellable, error);
  if (result == PULL_RESYNC)
    {
      /* The server's history is not the one our cursor came from (a restore
       * or a purge): start again from nothing, keeping what the user typed. */
      stats->resynced = TRUE;
      if (!td_cache_reset_for_resync (cache, error))
        return FALSE;
      if (!push (self, cache, stats, cancellable, error))
        return FALSE;
      result = pull (self, cache, stats, cancellable, error);
    }
  if (result != PULL_OK)
    {
      if (result == PULL_RESYNC)
        g_set_error_literal (error, TD_SYNC_ERROR, TD_SYNC_ERROR_SERVER,
                             "the server asked for a second full resync in a row");
      return FALSE;
    }
  td_cache_set_last_sync (cache, td_time_now ());
  return TRUE;
}

/* GObject */

static void
td_sync_client_finalize (GObject *object)
{
  TdSyncClient *self = (TdSyncClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (td_sync_client_parent_class)->finalize (object);
}

static void
td_sync_client_class_init (TdSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_sync_client_finalize;
}

static void
td_sync_client_init (TdSyncClient *self)
{
  g_mutex_init (&self->lock);
}

TdSyncClient *
td_sync_client_new (const char *server_url)
{
  TdSyncClient *self;

  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (TD_TYPE_SYNC_CLIENT, NULL);
  self->url = g_strdup (server_url);
  /* Drop a trailing slash so paths join cleanly. */
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->session = soup_session_new_with_options ("timeout", 30, "user-agent",
                                                 "Tierdesk/" PACKAGE_VERSION, NULL);
  return self;
}

const char *
td_sync_client_get_url (TdSyncClient *self)
{
  g_return_val_if_fail (TD_IS_SYNC_CLIENT (self), NULL);
  return self->url;
}

void
td_sync_client_set_token (TdSyncClient *self, const char *token)
{
  g_return_if_fail (TD_IS_SYNC_CLIENT (self));
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

const char *
td_sync_client_get_token (TdSyncClient *self)
{
  g_return_val_if_fail (TD_IS_SYNC_CLIENT (self), NULL);
  return self->token;
}
