/* td-server.c — the HTTP and WebSocket API of tierdeskd
 *
 * Requests are parsed and answered on the main loop; everything that touches
 * the store runs on a worker thread while the message is paused, so one slow
 * query never stalls every other connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "td-json-guard.h"
#include "td-server.h"
#include "td-time.h"

#define API_PREFIX "/api/v1"

struct _TdServer
{
  GObject parent_instance;

  TdStore      *store;
  SoupServer   *soup;
  GThreadPool  *pool;
  GMainContext *context;
  GPtrArray    *sockets;
  gint64        notified_head;
  /* Remote address → GArray of the times (gint64) of its failed logins
   * within the window; workers share it under the lock. */
  GHashTable *failed_logins;
  GMutex      failed_logins_lock;
};

G_DEFINE_FINAL_TYPE (TdServer, td_server, G_TYPE_OBJECT)

typedef struct
{
  TdServer          *server;
  SoupServerMessage *msg;
  char              *method;
  char              *path;
  GHashTable        *query;
  GBytes            *body;
  char              *token;
  char              *remote;
  gint64             started;

  /* The answer, filled in on the worker. */
  guint     status;
  JsonNode *response;
  /* A response that is not JSON (a calendar), with its content type. */
  char       *text;
  const char *content_type;
  int         retry_after;
  char       *user;
  const char *allow;
  gint64      head;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->server);
  g_clear_object (&job->msg);
  g_free (job->method);
  g_free (job->path);
  g_clear_pointer (&job->query, g_hash_table_unref);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->token);
  g_free (job->remote);
  g_clear_pointer (&job->response, json_node_unref);
  g_free (job->text);
  g_free (job->user);
  g_free (job);
}

/* Answers */

static void
job_error (Job *job, TdApiError *error)
{
  job->status = error->status;
  job->retry_after = error->retry_after;
  g_clear_pointer (&job->response, json_node_unref);
  job->response = td_api_error_to_json (error);
  td_api_error_free (error);
}

static void
job_ok (Job *job, guint status, JsonNode *response)
{
  job->status = status;
  g_clear_pointer (&job->response, json_node_unref);
  job->response = response;
}

/* json-glib says "<data>:1:22: Parse error: …"; a caller wants the position. */
static TdApiError *
invalid_json (const GError *error)
{
  const char *message = error->message;
  int         line = 0;
  int         column = 0;

  if (g_str_has_prefix (message, "<data>:"))
    message += strlen ("<data>:");
  if (sscanf (message, "%d:%d:", &line, &column) == 2)
    {
      const char *rest = strchr (strchr (message, ':') + 1, ':') + 1;
      return td_api_error_new (400, "invalid_json", NULL, "invalid JSON at line %d, column %d:%s",
                               line, column, rest);
    }
  return td_api_error_new (400, "invalid_json", NULL, "invalid JSON: %s", message);
}

static JsonNode *
parse_body (Job *job, TdApiError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (TdJsonProblem) problem = NULL;
  gsize       size = 0;
  const char *data = job->body != NULL ? g_bytes_get_data (job->body, &size) : NULL;

  if (size == 0)
    {
      *error = td_api_error_new (400, "invalid_json", NULL, "the request needs a JSON body");
      return NULL;
    }
  /* Before json-glib sees it: deep nesting would overflow this thread's
   * stack, and "\u0000" would cut a text short without a word. */
  problem = td_json_guard_check (data, size, TD_JSON_MAX_DEPTH);
  if (problem != NULL && problem->field != NULL)
    {
      *error = td_api_error_new (400, "bad_value", problem->field, "%s: %s", problem->field,
                                 problem->message);
      return NULL;
    }
  if (problem != NULL)
    {
      *error
          = td_api_error_new (400, "invalid_json", NULL, "invalid JSON at line %u, column %u: %s",
                              problem->line, problem->column, problem->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, &parse_error))
    {
      *error = invalid_json (parse_error);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
body_object (JsonNode *body, const char *const *allowed, TdApiError **error)
{
  JsonObjectIter iter;
  const char    *name;
  JsonObject    *object;

  if (!JSON_NODE_HOLDS_OBJECT (body))
    {
      *error = td_api_error_new (400, "wrong_type", NULL, "the body must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (body);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    if (allowed != NULL && !g_strv_contains (allowed, name))
      {
        *error = td_api_error_new (400, "unknown_field", name, "%s: unknown field", name);
        return NULL;
      }
  return object;
}

static const char *
body_string (JsonObject *object, const char *member, TdApiError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      *error = td_api_error_new (400, "missing_field", member, "%s: missing", member);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *error = td_api_error_new (400, "wrong_type", member, "%s: expected a string", member);
      return NULL;
    }
  return json_node_get_string (node);
}

/* Routes, on the worker thread */

static TdAccount *
require_account (Job *job)
{
  TdAccount *account = td_store_authenticate (job->server->store, job->token, td_time_now ());

  if (account == NULL)
    {
      job_error (job, td_api_error_new (401, "unauthorized", NULL,
                                        job->token == NULL
                                            ? "log in first: send Authorization: Bearer TOKEN"
                                            : "the token is unknown, expired or revoked"));
      return NULL;
    }
  g_free (job->user);
  job->user = g_strdup (account->username);
  return account;
}

static gboolean
require_permission (Job *job, const TdAccount *account, const char *action)
{
  g_autoptr (TdPolicy) policy = td_store_get_policy (job->server->store);

  const TdRole    *role = td_policy_get_role (policy, account->role);
  g_autofree char *what = NULL;

  if (td_policy_role_may (policy, account->role, action))
    return TRUE;
  what = td_policy_describe_action (policy, action);
  job_error (job, td_api_error_new (403, "forbidden", NULL, "a %s may not %s",
                                    role != NULL ? role->name : account->role, what));
  return FALSE;
}

static void
route_health (Job *job)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *epoch = td_store_dup_epoch (job->server->store);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, epoch);
  json_builder_set_member_name (builder, "head");
  json_builder_add_int_value (builder, td_store_get_head (job->server->store));
  json_builder_set_member_name (builder, "time");
  json_builder_add_int_value (builder, td_time_now ());
  json_builder_end_object (builder);
  job_ok (job, 200, json_builder_get_root (builder));
}

/* How many failed logins @remote has within the window (forgetting older
 * ones), and the oldest of them. With @record, counts one more now. */
static guint
address_failures (TdServer *self, const char *remote, gint64 now, gboolean record, gint64 *oldest)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->failed_logins_lock);
  GArray *times;
  guint   kept = 0;

  if (remote == NULL)
    return 0;
  times = g_hash_table_lookup (self->failed_logins, remote);
  if (times == NULL && !record)
    return 0;
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->failed_logins, g_strdup (remote), times);
    }
  for (guint i = 0; i < times->len; i++)
    if (g_array_index (times, gint64, i) > now - TD_STORE_LOGIN_WINDOW)
      g_array_index (times, gint64, kept++) = g_array_index (times, gint64, i);
  g_array_set_size (times, kept);
  if (record)
    g_array_append_val (times, now);
  if (times->len == 0)
    {
      g_hash_table_remove (self->failed_logins, remote);
      return 0;
    }
  *oldest = g_array_index (times, gint64, 0);
  return times->len;
}

static void
route_login (Job *job)
{
  static const char *const allowed[] = { "username", "password", NULL };
  g_autoptr (JsonNode) body = NULL;
  g_autoptr (TdAccount) account = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  TdApiError      *error = NULL;
  const char      *username;
  const char      *password;
  JsonObject      *object;
  gint64           expires_at = 0;

  if ((body = parse_body (job, &error)) == NULL
      || (object = body_object (body, allowed, &error)) == NULL
      || (username = body_string (object, "username", &error)) == NULL
      || (password = body_string (object, "password", &error)) == NULL)
    {
      job_error (job, error);
      return;
    }

  job->user = g_strdup (username);
  {
    gint64 now = td_time_now ();
    gint64 oldest = 0;

    if (address_failures (job->server, job->remote, now, FALSE, &oldest)
        >= TD_SERVER_ADDRESS_LOGIN_LIMIT)
      {
        error = td_api_error_new (429, "too_many_requests", NULL,
                                  "too many failed logins from %s; try again in a minute",
                                  job->remote);
        error->retry_after = (int) MAX (1, oldest + TD_STORE_LOGIN_WINDOW - now + 1);
        job_error (job, error);
        return;
      }
  }
  token = td_store_login (job->server->store, username, password, td_time_now (), &expires_at,
                          &account, &error);
  if (token == NULL)
    {
      gint64 oldest = 0;

      if (error->status == 401)
        address_failures (job->server, job->remote, td_time_now (), TRUE, &oldest);
      job_error (job, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, expires_at);
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, td_account_to_json (account));
  json_builder_end_object (builder);
  job_ok (job, 200, json_builder_get_root (builder));
}

static void
route_logout (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (account == NULL)
    return;
  td_store_logout (job->server->store, job->token, account->username);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "logged out");
  json_builder_end_object (builder);
  job_ok (job, 200, json_builder_get_root (builder));
}

static void
route_me (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);

  if (account != NULL)
    job_ok (job, 200, td_account_to_json (account));
}

static gboolean
query_uint (Job *job, const char *name, guint fallback, guint *out)
{
  const char *text = job->query != NULL ? g_hash_table_lookup (job->query, name) : NULL;
  guint64     value;

  *out = fallback;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      job_error (job, td_api_error_new (400, "bad_value", name,
                                        "%s: expected a whole number, not \"%s\"", name, text));
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static void
route_changes (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);
  const char *since = job->query != NULL ? g_hash_table_lookup (job->query, "since") : NULL;
  TdApiError *error = NULL;
  JsonNode   *changes;
  guint       limit;

  if (account == NULL || !query_uint (job, "limit", 500, &limit))
    return;
  changes = td_store_changes (job->server->store, since != NULL ? since : "0", limit, &error);
  if (changes == NULL)
    job_error (job, error);
  else
    job_ok (job, 200, changes);
}

static void
route_open_snapshot (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);

  if (account != NULL)
    job_ok (job, 200, td_store_open_snapshot (job->server->store));
}

static void
route_commands (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);
  g_autoptr (JsonNode) body = NULL;
  TdApiError *error = NULL;
  JsonNode   *results;

  if (account == NULL)
    return;
  if ((body = parse_body (job, &error)) == NULL)
    {
      job_error (job, error);
      return;
    }
  results = td_store_apply_commands (job->server->store, account, body, td_time_now (), &job->head,
                                     &error);
  if (results == NULL)
    job_error (job, error);
  else
    job_ok (job, 200, results);
}

/* The resource endpoints wrap one command, for scripts and portals that do
 * not keep an outbox: a rejection becomes a 4xx of its own. */
static void
apply_single (Job        *job,
              TdAccount  *account,
              const char *entity,
              const char *entity_id,
              JsonNode   *fields)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) batch = NULL;
  g_autoptr (JsonNode) results = NULL;
  g_autofree char *command_id = g_uuid_string_random ();
  TdApiError      *error = NULL;
  JsonObject      *result;
  const char      *status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "commands");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, command_id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder,
                                 g_str_equal (entity, "ticket_event") ? "append" : "create");
  json_builder_set_member_name (builder, "entity");
  json_builder_add_string_value (builder, entity);
  json_builder_set_member_name (builder, "entity_id");
  json_builder_add_string_value (builder, entity_id);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, json_node_ref (fields));
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  batch = json_builder_get_root (builder);

  results = td_store_apply_commands (job->server->store, account, batch, td_time_now (), &job->head,
                                     &error);
  if (results == NULL)
    {
      /* Name the caller's field, not the wrapped command's. */
      if (error->field != NULL && g_str_has_prefix (error->field, "commands[0].fields."))
        {
          char *field = g_strdup (error->field + strlen ("commands[0].fields."));
          g_free (error->field);
          error->field = field;
        }
      job_error (job, error);
      return;
    }

  result = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (results), "results"), 0);
  status = json_object_get_string_member (result, "status");
  if (g_str_equal (status, "applied"))
    {
      JsonNode *row = json_object_get_member (result, "row");
      job_ok (job, 201, json_node_copy (row));
    }
  else
    {
      const char *code = json_object_get_string_member_with_default (result, "code", "conflict");
      const char *reason = json_object_get_string_member (result, "reason");
      const char *field = json_object_get_string_member_with_default (result, "field", NULL);
      guint       http = g_str_equal (code, "forbidden")   ? 403
                         : g_str_equal (code, "not_found") ? 404
                         : g_str_equal (code, "exists")    ? 409
                                                           : 422;

      if (field != NULL && g_str_has_prefix (field, "fields."))
        field += strlen ("fields.");
      job_error (job, td_api_error_new (http, code, field, "%s", reason));
    }
}

static void
route_tickets (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);
  TdApiError *error = NULL;

  if (account == NULL)
    return;

  if (g_str_equal (job->method, "GET"))
    {
      const char *status = job->query ? g_hash_table_lookup (job->query, "status") : NULL;
      const char *search = job->query ? g_hash_table_lookup (job->query, "q") : NULL;
      JsonNode   *list;
      guint       tier;
      guint       limit;

      if (!query_uint (job, "tier", 0, &tier) || !query_uint (job, "limit", 100, &limit))
        return;
      list = td_store_list_tickets (job->server->store, status, tier, search, limit, &error);
      if (list == NULL)
        job_error (job, error);
      else
        job_ok (job, 200, list);
    }
  else
    {
      g_autoptr (JsonNode) body = parse_body (job, &error);
      g_autofree char *uuid = g_uuid_string_random ();

      if (body == NULL || body_object (body, NULL, &error) == NULL)
        {
          job_error (job, error);
          return;
        }
      apply_single (job, account, "ticket", uuid, body);
    }
}

static void
route_ticket (Job *job, const char *id)
{
  g_autoptr (TdAccount) account = require_account (job);
  TdApiError *error = NULL;
  JsonNode   *ticket;

  if (account == NULL)
    return;
  ticket = td_store_get_ticket (job->server->store, id, &error);
  if (ticket == NULL)
    job_error (job, error);
  else
    job_ok (job, 200, ticket);
}

static void
route_ticket_events (Job *job, const char *id)
{
  static const char *const allowed[] = { "kind", "body", "data", NULL };
  g_autoptr (TdAccount) account = require_account (job);
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  TdApiError      *error = NULL;
  JsonObject      *object;

  if (account == NULL)
    return;
  if ((body = parse_body (job, &error)) == NULL
      || (object = body_object (body, allowed, &error)) == NULL)
    {
      job_error (job, error);
      return;
    }
  json_object_set_string_member (object, "ticket", id);
  apply_single (job, account, "ticket_event", uuid, body);
}

static void
route_policy (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);
  g_autoptr (JsonBuilder) builder = NULL;
  TdApiError      *error = NULL;
  gint64           version = 0;
  gsize            size = 0;
  const char      *data;
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) body = NULL;

  if (account == NULL)
    return;
  if (g_str_equal (job->method, "GET"))
    {
      job_ok (job, 200, td_store_get_policy_json (job->server->store));
      return;
    }

  if (!require_permission (job, account, "policy.write"))
    return;
  /* Parse first, so a syntax error gets its line and column. */
  if ((body = parse_body (job, &error)) == NULL)
    {
      job_error (job, error);
      return;
    }
  data = g_bytes_get_data (job->body, &size);
  text = g_strndup (data, size);
  if (!td_store_set_policy (job->server->store, text, account->username, &version, &error))
    {
      job_error (job, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_end_object (builder);
  job->head = td_store_get_head (job->server->store);
  job_ok (job, 200, json_builder_get_root (builder));
}

static void
route_audit (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);
  guint limit;

  if (account == NULL || !require_permission (job, account, "account.admin")
      || !query_uint (job, "limit", 100, &limit))
    return;
  job_ok (job, 200, td_store_audit (job->server->store, limit));
}

static gboolean
method_is (Job *job, const char *allow)
{
  g_auto (GStrv) methods = g_strsplit (allow, ", ", -1);

  if (g_strv_contains ((const char *const *) methods, job->method))
    return TRUE;
  job->allow = allow;
  job_error (job, td_api_error_new (405, "method_not_allowed", NULL,
                                    "%s %s is not supported (allowed: %s)", job->method, job->path,
                                    allow));
  return FALSE;
}

/* POST /rotations, /rota-members, /rota-overrides, /swap-requests: one
 * create each, for scripts; desktops send commands. */
static void
route_rota_create (Job *job, const char *entity)
{
  g_autoptr (TdAccount) account = require_account (job);
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  TdApiError      *error = NULL;

  if (account == NULL)
    return;
  if ((body = parse_body (job, &error)) == NULL)
    {
      job_error (job, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (body))
    {
      job_error (job, td_api_error_new (400, "wrong_type", NULL, "the body must be a JSON object"));
      return;
    }
  apply_single (job, account, entity, uuid, body);
}

static void
route_feed_key (Job *job)
{
  g_autoptr (TdAccount) account = require_account (job);
  g_autoptr (JsonBuilder) builder = NULL;
  g_autofree char *key = NULL;

  if (account == NULL)
    return;
  if (g_str_equal (job->method, "GET"))
    {
      job_ok (job, 200, td_store_get_feed_key (job->server->store, account));
      return;
    }

  key = td_store_reset_feed_key (job->server->store, account, td_time_now ());
  if (key == NULL)
    {
      job_error (job, td_api_error_new (503, "busy", NULL, "could not store the feed key; retry"));
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "person_feed");
  if (account->person != NULL)
    {
      g_autofree char *url
          = g_strdup_printf (API_PREFIX "/oncall/person/%s.ics?key=%s", account->person, key);
      json_builder_add_string_value (builder, url);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "slot_feed");
  {
    g_autofree char *url
        = g_strdup_printf (API_PREFIX "/oncall/slot/ROTATION/POSITION.ics?key=%s", key);
    json_builder_add_string_value (builder, url);
  }
  json_builder_end_object (builder);
  job_ok (job, 200, json_builder_get_root (builder));
}

/* Calendar apps cannot send a bearer token: the feed key in the query
 * stands in for one, and opens only these read-only calendars. */
static void
route_oncall_feed (Job *job, const char *rotation, const char *slot, const char *person)
{
  const char *key = job->query != NULL ? g_hash_table_lookup (job->query, "key") : NULL;
  TdApiError *error = NULL;
  char       *text;

  text = td_store_oncall_feed (job->server->store, key, rotation, slot, person, td_time_now (),
                               &error);
  if (text == NULL)
    {
      job_error (job, error);
      return;
    }
  job->text = text;
  job->content_type = "text/calendar; charset=utf-8";
  job_ok (job, 200, json_node_new (JSON_NODE_NULL));
}

static void
route (Job *job)
{
  const char *path = job->path + strlen (API_PREFIX);
  g_auto (GStrv) parts = NULL;

  if (g_str_equal (path, "/health"))
    {
      if (method_is (job, "GET"))
        route_health (job);
    }
  else if (g_str_equal (path, "/login"))
    {
      if (method_is (job, "POST"))
        route_login (job);
    }
  else if (g_str_equal (path, "/logout"))
    {
      if (method_is (job, "POST"))
        route_logout (job);
    }
  else if (g_str_equal (path, "/me"))
    {
      if (method_is (job, "GET"))
        route_me (job);
    }
  else if (g_str_equal (path, "/rotations") || g_str_equal (path, "/rota-members")
           || g_str_equal (path, "/rota-overrides") || g_str_equal (path, "/swap-requests"))
    {
      const char *entity = g_str_equal (path, "/rotations")        ? "rotation"
                           : g_str_equal (path, "/rota-members")   ? "rotation_member"
                           : g_str_equal (path, "/rota-overrides") ? "rota_override"
                                                                   : "swap_request";
      if (method_is (job, "POST"))
        route_rota_create (job, entity);
    }
  else if (g_str_equal (path, "/me/feed-key"))
    {
      if (method_is (job, "GET, POST"))
        route_feed_key (job);
    }
  else if (g_str_has_prefix (path, "/oncall/")
           && (parts = g_strsplit (path + strlen ("/oncall/"), "/", -1)) != NULL)
    {
      guint n = g_strv_length (parts);
      /* The last part ends in ".ics", which calendar apps like to see. */
      char *last = n > 0 ? parts[n - 1] : NULL;

      if (last != NULL && g_str_has_suffix (last, ".ics"))
        last[strlen (last) - 4] = '\0';
      if (n == 3 && g_str_equal (parts[0], "slot") && g_uuid_string_is_valid (parts[1])
          && parts[2][0] != '\0')
        {
          if (method_is (job, "GET"))
            route_oncall_feed (job, parts[1], parts[2], NULL);
        }
      else if (n == 2 && g_str_equal (parts[0], "person") && g_uuid_string_is_valid (parts[1]))
        {
          if (method_is (job, "GET"))
            route_oncall_feed (job, NULL, NULL, parts[1]);
        }
      else
        job_error (job, td_api_error_new (404, "not_found", NULL,
                                          "no resource %s (expected /oncall/slot/ROTATION/"
                                          "POSITION.ics or /oncall/person/PERSON.ics)",
                                          job->path));
    }
  else if (g_str_equal (path, "/changes"))
    {
      if (method_is (job, "GET"))
        route_changes (job);
    }
  else if (g_str_equal (path, "/changes/open"))
    {
      if (method_is (job, "GET"))
        route_open_snapshot (job);
    }
  else if (g_str_equal (path, "/commands"))
    {
      if (method_is (job, "POST"))
        route_commands (job);
    }
  else if (g_str_equal (path, "/tickets"))
    {
      if (method_is (job, "GET, POST"))
        route_tickets (job);
    }
  else if (g_str_equal (path, "/policy"))
    {
      if (method_is (job, "GET, PUT"))
        route_policy (job);
    }
  else if (g_str_equal (path, "/audit"))
    {
      if (method_is (job, "GET"))
        route_audit (job);
    }
  else if (g_str_has_prefix (path, "/tickets/")
           && (parts = g_strsplit (path + strlen ("/tickets/"), "/", -1)) != NULL
           && g_uuid_string_is_valid (parts[0]))
    {
      if (parts[1] == NULL)
        {
          if (method_is (job, "GET"))
            route_ticket (job, parts[0]);
        }
      else if (g_str_equal (parts[1], "events") && parts[2] == NULL)
        {
          if (method_is (job, "POST"))
            route_ticket_events (job, parts[0]);
        }
      else
        job_error (job, td_api_error_new (404, "not_found", NULL, "no resource %s", job->path));
    }
  else
    job_error (job, td_api_error_new (404, "not_found", NULL, "no resource %s", job->path));
}

/* Main loop side */

static void
broadcast (TdServer *self, gint64 head)
{
  g_autofree char *text = NULL;

  if (head <= self->notified_head)
    return;
  self->notified_head = head;
  text = g_strdup_printf ("{\"rev\": %" G_GINT64_FORMAT "}", head);
  for (guint i = 0; i < self->sockets->len; i++)
    {
      SoupWebsocketConnection *socket = g_ptr_array_index (self->sockets, i);

      if (soup_websocket_connection_get_state (socket) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (socket, text);
    }
}

static gboolean
finish_job (gpointer data)
{
  Job                *job = data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (job->msg);
  g_autofree char    *text = NULL;
  gsize               length;

  if (job->text != NULL && job->status == 200)
    text = g_steal_pointer (&job->text);
  else
    text = td_json_to_string (job->response, FALSE);
  length = strlen (text);
  soup_server_message_set_status (job->msg, job->status, NULL);
  soup_server_message_set_response (
      job->msg,
      job->content_type != NULL && job->status == 200 ? job->content_type : "application/json",
      SOUP_MEMORY_TAKE, g_steal_pointer (&text), length);
  if (job->retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%d", job->retry_after);
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  if (job->allow != NULL)
    soup_message_headers_replace (headers, "Allow", job->allow);
  soup_server_message_unpause (job->msg);

  g_printerr ("%s %s %u %s %.1fms\n", job->method, job->path, job->status,
              job->user != NULL ? job->user : "-",
              (g_get_monotonic_time () - job->started) / 1000.0);

  if (job->head > 0)
    broadcast (job->server, job->head);
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
run_job (gpointer data, gpointer user_data)
{
  Job *job = data;

  route (job);
  if (job->response == NULL)
    job_error (job, td_api_error_new (500, "internal", NULL, "no answer was produced"));
  g_main_context_invoke (job->server->context, finish_job, job);
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    return header + 7;
  return NULL;
}

static void
respond_now (SoupServerMessage *msg, TdApiError *error)
{
  g_autoptr (JsonNode) node = td_api_error_to_json (error);
  char *text = td_json_to_string (node, FALSE);

  soup_server_message_set_status (msg, error->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
  td_api_error_free (error);
}

/* Everything outside the API answers in the API's words too. */
static void
fallback_handler (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  respond_now (msg, td_api_error_new (404, "not_found", NULL,
                                      "no resource %s (the API is under " API_PREFIX ")", path));
}

/* A request body without a length (chunked), kept by us rather than by
 * libsoup, which would hold all of it however large: what goes beyond
 * the limit is read off the wire and dropped. */
typedef struct
{
  GByteArray *data;
  gboolean    too_large;
  goffset     length;
} ChunkedBody;

static void
chunked_body_free (gpointer data)
{
  ChunkedBody *body = data;

  g_byte_array_unref (body->data);
  g_free (body);
}

static void
got_chunk (SoupServerMessage *msg, GBytes *chunk, ChunkedBody *body)
{
  gsize size = g_bytes_get_size (chunk);

  body->length += size;
  if (body->too_large || body->data->len + size > TD_SERVER_MAX_BODY)
    {
      body->too_large = TRUE;
      g_byte_array_set_size (body->data, 0);
      return;
    }
  g_byte_array_append (body->data, g_bytes_get_data (chunk, NULL), size);
}

/* Beyond this, a body announced too large is not even read (and dropped):
 * the answer goes out at once and the connection closes. */
#define TD_SERVER_DRAIN_LIMIT (16 * 1024 * 1024)

/* Answers at once and closes, without reading a body that was announced
 * too large: libsoup would otherwise read all of it before answering. */
static void
refuse_unread (SoupServerMessage *msg, TdApiError *error)
{
  g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autoptr (JsonNode) node = td_api_error_to_json (error);
  g_autofree char *json = td_json_to_string (node, FALSE);
  g_autofree char *answer = g_strdup_printf (
      "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: "
      "%zu\r\nConnection: close\r\n\r\n%s",
      error->status, soup_status_get_phrase (error->status), strlen (json), json);

  td_api_error_free (error);
  if (stream == NULL)
    return;
  /* A few hundred bytes into a fresh socket's buffer: this does not block. */
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), answer, strlen (answer), NULL,
                             NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
count_host (const char *name, const char *value, gpointer data)
{
  if (g_ascii_strcasecmp (name, "Host") == 0)
    (*(guint *) data)++;
}

/* Before the body is read: refuses a body that is too large, and a
 * request with two Host headers (RFC 9112 §3.2 asks for a 400: proxies
 * and servers may each believe a different one). */
static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset             length = soup_message_headers_get_content_length (headers);
  guint               hosts = 0;

  /* Every answer is a whole JSON document or calendar: a Range would
   * only let a client multiply one small request into a large
   * multipart answer (and libsoup's range code asserts on some). */
  soup_message_headers_remove (headers, "Range");
  soup_message_headers_remove (headers, "If-Range");

  soup_message_headers_foreach (headers, count_host, &hosts);
  if (hosts > 1)
    respond_now (msg, td_api_error_new (400, "bad_request", "Host",
                                        "the request has %u Host headers; send one", hosts));
  else if (length > TD_SERVER_MAX_BODY && length <= TD_SERVER_DRAIN_LIMIT)
    {
      /* Read and dropped, so that the client, still sending, gets the 413. */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      respond_now (msg,
                   td_api_error_new (413, "payload_too_large", NULL,
                                     "the body is %" G_GOFFSET_FORMAT " bytes; the limit is %d",
                                     length, TD_SERVER_MAX_BODY));
    }
  else if (length > TD_SERVER_MAX_BODY)
    refuse_unread (msg,
                   td_api_error_new (413, "payload_too_large", NULL,
                                     "the body is %" G_GOFFSET_FORMAT " bytes; the limit is %d",
                                     length, TD_SERVER_MAX_BODY));
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      ChunkedBody *body = g_new0 (ChunkedBody, 1);

      body->data = g_byte_array_new ();
      g_object_set_data_full (G_OBJECT (msg), "td-chunked-body", body, chunked_body_free);
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk), body);
    }
}

static void
api_handler (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  TdServer        *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  ChunkedBody     *chunked = g_object_get_data (G_OBJECT (msg), "td-chunked-body");
  goffset          length = chunked != NULL ? chunked->length : body->length;
  Job             *job;

  if (soup_server_message_get_status (msg) != 0)
    return;
  if ((chunked != NULL && chunked->too_large) || length > TD_SERVER_MAX_BODY)
    {
      respond_now (msg,
                   td_api_error_new (413, "payload_too_large", NULL,
                                     "the body is %" G_GOFFSET_FORMAT " bytes; the limit is %d",
                                     length, TD_SERVER_MAX_BODY));
      return;
    }

  job = g_new0 (Job, 1);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->method = g_strdup (soup_server_message_get_method (msg));
  job->path = g_strdup (path);
  if (query != NULL)
    job->query = g_hash_table_ref (query);
  job->body = chunked != NULL ? g_bytes_new (chunked->data->data, chunked->data->len)
                              : soup_message_body_flatten (body);
  job->token = g_strdup (bearer_token (msg));
  job->remote = g_strdup (soup_server_message_get_remote_host (msg));
  job->started = g_get_monotonic_time ();

  soup_server_message_pause (msg);
  g_thread_pool_push (self->pool, job, NULL);
}

static void
socket_closed (SoupWebsocketConnection *socket, TdServer *self)
{
  g_ptr_array_remove (self->sockets, socket);
}

static void
stream_handler (SoupServer              *soup,
                SoupServerMessage       *msg,
                const char              *path,
                SoupWebsocketConnection *socket,
                gpointer                 user_data)
{
  TdServer   *self = user_data;
  GUri       *uri = soup_server_message_get_uri (msg);
  const char *token = bearer_token (msg);
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (TdAccount) account = NULL;

  /* Browsers cannot set headers on a WebSocket: accept ?token= too. The
   * look-up is one indexed row, cheap enough for the main loop. */
  if (token == NULL && g_uri_get_query (uri) != NULL)
    {
      params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
      if (params != NULL)
        token = g_hash_table_lookup (params, "token");
    }
  account = td_store_authenticate (self->store, token, td_time_now ());
  if (account == NULL)
    {
      soup_websocket_connection_close (socket, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       "log in first");
      return;
    }

  g_ptr_array_add (self->sockets, g_object_ref (socket));
  g_signal_connect_object (socket, "closed", G_CALLBACK (socket_closed), self, 0);
  g_printerr ("GET %s 101 %s websocket\n", path, account->username);
}

/* GObject */

static void
td_server_finalize (GObject *object)
{
  TdServer *self = (TdServer *) object;

  td_server_shutdown (self);
  g_clear_pointer (&self->sockets, g_ptr_array_unref);
  g_clear_pointer (&self->failed_logins, g_hash_table_unref);
  g_mutex_clear (&self->failed_logins_lock);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (td_server_parent_class)->finalize (object);
}

static void
td_server_class_init (TdServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_server_finalize;
}

static void
td_server_init (TdServer *self)
{
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->failed_logins
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  g_mutex_init (&self->failed_logins_lock);
  self->context = g_main_context_ref_thread_default ();
}

TdServer *
td_server_new (TdStore *store)
{
  TdServer *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  self = g_object_new (TD_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->notified_head = td_store_get_head (store);
  self->pool = g_thread_pool_new (run_job, NULL, 2, FALSE, NULL);
  return self;
}

gboolean
td_server_listen (TdServer *self, const char *address, GTlsCertificate *certificate, GError **error)
{
  g_autoptr (GSocketAddress) socket_address = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  g_autofree char *host = NULL;
  const char      *colon;
  guint64          port;

  g_return_val_if_fail (TD_IS_SERVER (self), FALSE);

  colon = address != NULL ? strrchr (address, ':') : NULL;
  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen: expected HOST:PORT such as 127.0.0.1:8470, not \"%s\"",
                   address != NULL ? address : "");
      return FALSE;
    }
  host = g_strndup (address, colon - address);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen: \"%s\" is not an IP address", host);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);

  self->soup = soup_server_new ("server-header", "tierdeskd/" PACKAGE_VERSION, "tls-certificate",
                                certificate, NULL);
  /* A request meets only the early handler of its most specific path. */
  soup_server_add_early_handler (self->soup, API_PREFIX, early_handler, self, NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, API_PREFIX, api_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, fallback_handler, self, NULL);
  soup_server_add_websocket_handler (self->soup, API_PREFIX "/stream", NULL, NULL, stream_handler,
                                     self, NULL);

  return soup_server_listen (self->soup, socket_address,
                             certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

guint
td_server_get_port (TdServer *self)
{
  g_autoslist (GUri) uris = NULL;

  g_return_val_if_fail (TD_IS_SERVER (self), 0);

  uris = soup_server_get_uris (self->soup);
  return uris != NULL ? g_uri_get_port (uris->data) : 0;
}

void
td_server_shutdown (TdServer *self)
{
  g_return_if_fail (TD_IS_SERVER (self));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  /* Let the jobs under way finish: their commits are what clients wait for. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  while (g_main_context_iteration (self->context, FALSE))
    ;
}
