/* td-sync.c — one round of sync with tierdeskd: push the outbox, then pull the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "td-json-guard.h"
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
      g_autofree char *text = td_json_to_string (body, FALSE);
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
  reply->json = td_sync_parse_answer (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* The server's clock, for SLA countdowns on a desktop whose clock is off. */
  date_header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  if (date_header != NULL && (date = soup_date_time_new_from_http_string (date_header)) != NULL)
    reply->server_time = g_date_time_to_unix (date);
  return TRUE;
}

JsonNode *
td_sync_parse_answer (const char *data, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (TdJsonProblem) problem = NULL;

  if (data == NULL || length == 0)
    return NULL;
  /* json-glib parses recursively: a hostile answer must not overflow the
   * stack of the sync thread. */
  problem = td_json_guard_check (data, length, TD_JSON_MAX_DEPTH);
  if (problem != NULL)
    {
      g_debug ("the server's answer is not usable JSON at line %u, column %u: %s%s%s",
               problem->line, problem->column, problem->field != NULL ? problem->field : "",
               problem->field != NULL ? ": " : "", problem->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, NULL)
      || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
malformed (GError **error, const char *what)
{
  g_set_error (error, TD_SYNC_ERROR, TD_SYNC_ERROR_SERVER,
               "the server's answer is malformed: %s; nothing of it was kept", what);
  return FALSE;
}

gboolean
td_sync_decode_page (JsonNode *json, TdSyncPage *page, GError **error)
{
  JsonObject *object;
  JsonNode   *member;

  memset (page, 0, sizeof *page);
  if (json == NULL || !JSON_NODE_HOLDS_OBJECT (json))
    return malformed (error, "not a JSON object");
  object = json_node_get_object (json);
  member = json_object_get_member (object, "changes");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return malformed (error, "changes is not an array");
  page->changes = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (page->changes); i++)
    {
      JsonNode   *row = json_array_get_element (page->changes, i);
      JsonObject *fields;
      JsonNode   *entity;
      JsonNode   *uuid;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        return malformed (error, "a change is not an object");
      fields = json_node_get_object (row);
      entity = json_object_get_member (fields, "entity");
      uuid = json_object_get_member (fields, "uuid");
      if (entity == NULL || !JSON_NODE_HOLDS_VALUE (entity)
          || json_node_get_value_type (entity) != G_TYPE_STRING || uuid == NULL
          || !JSON_NODE_HOLDS_VALUE (uuid) || json_node_get_value_type (uuid) != G_TYPE_STRING)
        return malformed (error, "a change has no entity or uuid");
    }
  member = json_object_get_member (object, "cursor");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        return malformed (error, "cursor is not a string");
      page->cursor = json_node_get_string (member);
    }
  member = json_object_get_member (object, "more");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return malformed (error, "more is not true or false");
      page->more = json_node_get_boolean (member);
    }
  /* More to come needs a cursor to ask for it with. */
  if (page->more && page->cursor == NULL)
    return malformed (error, "more without a cursor");
  return TRUE;
}

JsonArray *
td_sync_decode_results (JsonNode *json, GError **error)
{
  JsonNode  *member;
  JsonArray *results;

  if (json == NULL || !JSON_NODE_HOLDS_OBJECT (json))
    return malformed (error, "not a JSON object"), NULL;
  member = json_object_get_member (json_node_get_object (json), "results");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return malformed (error, "results is not an array"), NULL;
  results = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode   *node = json_array_get_element (results, i);
      JsonObject *result;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return malformed (error, "a result is not an object"), NULL;
      result = json_node_get_object (node);
      for (guint j = 0; j < 2; j++)
        {
          JsonNode *value = json_object_get_member (result, j == 0 ? "id" : "status");

          if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
              || json_node_get_value_type (value) != G_TYPE_STRING)
            return malformed (error, "a result has no id or status"), NULL;
        }
      /* The cache reads these as objects. */
      for (guint j = 0; j < 4; j++)
        {
          static const char *const objects[] = { "row", "ticket", "current", "first" };
          JsonNode                *value = json_object_get_member (result, objects[j]);

          if (value != NULL && !JSON_NODE_HOLDS_OBJECT (value))
            return malformed (error, "a result's row is not an object"), NULL;
        }
    }
  return results;
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
  {
    JsonObject *object = reply.json != NULL && JSON_NODE_HOLDS_OBJECT (reply.json)
                             ? json_node_get_object (reply.json)
                             : NULL;
    const char *token = object != NULL
                            ? json_object_get_string_member_with_default (object, "token", NULL)
                            : NULL;

    if (token == NULL)
      return malformed (error, "the login answer has no token");
    td_sync_client_set_token (self, token);
  }
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

      if ((results = td_sync_decode_results (reply.json, error)) == NULL)
        return FALSE;
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
      if (reply.status == SOUP_STATUS_OK)
        {
          TdSyncPage page;

          if (!td_sync_decode_page (reply.json, &page, error)
              || !td_cache_apply_page (cache, page.changes, NULL, stats->changed, error))
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
      TdSyncPage page;

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

      if (!td_sync_decode_page (current->reply.json, &page, error))
        return PULL_FAILED;
      if (page.more)
        next = fetch_start (self, page.cursor, cancellable);
      if (!td_cache_apply_page (cache, page.changes, page.cursor, stats->changed, error))
        return PULL_FAILED;
      stats->pulled += json_array_get_length (page.changes);
      stats->pages++;
      if (stats->progress != NULL)
        stats->progress (stats, stats->progress_data);
      if (!page.more)
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
