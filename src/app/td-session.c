/* td-session.c — who is logged in where: the client, the cache and the sync engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-session.h"
#include "td-sync.h"

struct _TdSession
{
  GObject parent_instance;

  TdPolicy     *policy;
  TdTokenStore *tokens;
  char         *cache_dir;

  char         *url;
  char         *user;
  char         *person;
  char         *role;
  TdSyncClient *client;
  TdCache      *cache;
  TdSyncEngine *engine;
};

G_DEFINE_FINAL_TYPE (TdSession, td_session, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (td-session-error-quark, td_session_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_CONNECTED,
  PROP_PERSON,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TdSession *
td_session_new (TdPolicy *policy, TdTokenStore *tokens, const char *cache_dir)
{
  TdSession *self = g_object_new (TD_TYPE_SESSION, NULL);

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);
  self->policy = g_object_ref (policy);
  self->tokens = g_object_ref (tokens);
  self->cache_dir = g_strdup (cache_dir);
  return self;
}

/* One cache per server and user: another account must never see rows (or
 * push commands) that were someone else's. */
static char *
cache_path (TdSession *self, const char *url, const char *user)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", url, user);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = g_strdup_printf ("cache-%.16s.db", digest);

  return g_build_filename (self->cache_dir, name, NULL);
}

static void
set_person (TdSession *self, const char *person, const char *role)
{
  if (g_strcmp0 (self->person, person) != 0)
    {
      g_free (self->person);
      self->person = g_strdup (person);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSON]);
    }
  if (g_strcmp0 (self->role, role) != 0)
    {
      g_free (self->role);
      self->role = g_strdup (role);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
    }
}

static gboolean
start (TdSession *self, const char *url, const char *user, TdSyncClient *client, GError **error)
{
  g_autofree char *path = cache_path (self, url, user);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (TdCache) cache = NULL;

  if (g_mkdir_with_parents (self->cache_dir, 0700) != 0)
    {
      g_set_error (error, TD_SESSION_ERROR, TD_SESSION_ERROR_CACHE,
                   _ ("Could not create the folder for the offline copy (%s)"), self->cache_dir);
      return FALSE;
    }
  cache = td_cache_open (path, &local_error);
  if (cache == NULL)
    {
      g_set_error (error, TD_SESSION_ERROR, TD_SESSION_ERROR_CACHE,
                   _ ("Could not open the offline copy: %s"), local_error->message);
      return FALSE;
    }
  td_session_close (self);
  td_cache_set_policy (cache, self->policy);
  self->url = g_strdup (url);
  self->user = g_strdup (user);
  self->client = g_object_ref (client);
  self->cache = g_steal_pointer (&cache);
  self->engine = td_sync_engine_new (self->cache, self->client);
  td_sync_engine_start (self->engine);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  return TRUE;
}

/* Tells the user what to change: the address, the certificate, or the
 * password. */
static void
set_connect_error (GError **error, const char *url, GError *sync_error)
{
  if (g_error_matches (sync_error, TD_SYNC_ERROR, TD_SYNC_ERROR_UNAUTHORIZED))
    g_set_error_literal (error, TD_SESSION_ERROR, TD_SESSION_ERROR_WRONG_PASSWORD,
                         _ ("Wrong user name or password"));
  else if (g_error_matches (sync_error, TD_SYNC_ERROR, TD_SYNC_ERROR_CERTIFICATE))
    g_set_error (error, TD_SESSION_ERROR, TD_SESSION_ERROR_CERTIFICATE,
                 _ ("The server’s certificate is not trusted. Check the address, or ask the "
                    "administrator of %s for a certificate signed by a trusted authority."),
                 url);
  else if (g_error_matches (sync_error, TD_SYNC_ERROR, TD_SYNC_ERROR_OFFLINE))
    g_set_error (error, TD_SESSION_ERROR, TD_SESSION_ERROR_UNREACHABLE,
                 _ ("Could not reach %s. Check the address and your network connection."), url);
  else
    g_set_error (error, TD_SESSION_ERROR, TD_SESSION_ERROR_SERVER, _ ("The server said: %s"),
                 sync_error->message);
}

static gboolean
check_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, TD_SESSION_ERROR, TD_SESSION_ERROR_INVALID_URL,
                   _ ("“%s” is not a server address: use https://host:port"), url);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char         *url;
  char         *user;
  char         *password;
  char         *person;
  char         *role;
  TdSyncClient *client;
} Login;

static void
login_free (Login *login)
{
  g_free (login->url);
  g_free (login->user);
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login->person);
  g_free (login->role);
  g_clear_object (&login->client);
  g_free (login);
}

static void
login_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Login *login = task_data;
  g_autoptr (GError) sync_error = NULL;
  GError *error = NULL;

  if (!td_sync_client_login (login->client, login->user, login->password, &sync_error))
    {
      set_connect_error (&error, login->url, sync_error);
      g_task_return_error (task, error);
      return;
    }
  /* Who this account is in the directory, for "assigned to me", and its
   * role, for what the app offers to do. */
  td_sync_client_fetch_me (login->client, &login->person, &login->role, NULL);
  g_task_return_boolean (task, TRUE);
}

void
td_session_connect_async (TdSession          *self,
                          const char         *url,
                          const char         *user,
                          const char         *password,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *trimmed = g_strstrip (g_strdup (url));
  GError          *error = NULL;
  Login           *login;

  g_return_if_fail (TD_IS_SESSION (self));

  /* A trailing slash is how addresses get pasted. */
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  if (!check_url (trimmed, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  login = g_new0 (Login, 1);
  login->url = g_steal_pointer (&trimmed);
  login->user = g_strstrip (g_strdup (user));
  login->password = g_strdup (password);
  login->client = td_sync_client_new (login->url);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  g_task_run_in_thread (task, login_thread);
}

gboolean
td_session_connect_finish (TdSession *self, GAsyncResult *result, GError **error)
{
  Login *login;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  login = g_task_get_task_data (G_TASK (result));
  td_token_store_save_in_background (self->tokens, login->url, login->user,
                                     td_sync_client_get_token (login->client));
  if (!start (self, login->url, login->user, login->client, error))
    return FALSE;
  set_person (self, login->person, login->role);
  return TRUE;
}

static void
person_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  char *me[2] = { NULL, NULL };

  if (td_sync_client_fetch_me (task_data, &me[0], &me[1], NULL))
    g_task_return_pointer (task, g_memdup2 (me, sizeof me), NULL);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
person_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TdSession *self = TD_SESSION (source);
  char     **me = g_task_propagate_pointer (G_TASK (result), NULL);

  if (me == NULL)
    return;
  if (self->client == g_task_get_task_data (G_TASK (result)))
    set_person (self, me[0], me[1]);
  g_free (me[0]);
  g_free (me[1]);
  g_free (me);
}

typedef struct
{
  char *url;
  char *user;
} Resume;

static void
resume_free (Resume *resume)
{
  g_free (resume->url);
  g_free (resume->user);
  g_free (resume);
}

static void
token_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TdSession       *self = g_task_get_source_object (task);
  Resume          *resume = g_task_get_task_data (task);
  g_autofree char *token = td_token_store_lookup_finish (TD_TOKEN_STORE (source), result, NULL);
  g_autoptr (TdSyncClient) client = NULL;
  GError *error = NULL;

  if (token == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  client = td_sync_client_new (resume->url);
  td_sync_client_set_token (client, token);
  if (!start (self, resume->url, resume->user, client, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Offline at first, perhaps: ask the server who this is when it answers. */
  {
    g_autoptr (GTask) person = g_task_new (self, NULL, person_fetched, NULL);

    g_task_set_task_data (person, g_object_ref (client), g_object_unref);
    g_task_run_in_thread (person, person_thread);
  }
  g_task_return_boolean (task, TRUE);
}

void
td_session_resume_async (TdSession          *self,
                         const char         *url,
                         const char         *user,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Resume *resume;

  g_return_if_fail (TD_IS_SESSION (self));
  if (url == NULL || *url == '\0' || user == NULL || *user == '\0')
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  resume = g_new0 (Resume, 1);
  resume->url = g_strdup (url);
  resume->user = g_strdup (user);
  g_task_set_task_data (task, resume, (GDestroyNotify) resume_free);
  td_token_store_lookup_async (self->tokens, url, user, cancellable, token_found,
                               g_steal_pointer (&task));
}

gboolean
td_session_resume_finish (TdSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
td_session_log_out (TdSession *self)
{
  g_return_if_fail (TD_IS_SESSION (self));
  if (self->url != NULL && self->user != NULL)
    td_token_store_forget (self->tokens, self->url, self->user);
  td_session_close (self);
}

void
td_session_close (TdSession *self)
{
  gboolean was_connected;

  g_return_if_fail (TD_IS_SESSION (self));
  was_connected = self->engine != NULL;
  if (self->engine != NULL)
    td_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->cache);
  g_clear_object (&self->client);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->user, g_free);
  set_person (self, NULL, NULL);
  if (was_connected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

gboolean
td_session_is_connected (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), FALSE);
  return self->engine != NULL;
}

const char *
td_session_get_url (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  return self->url;
}

const char *
td_session_get_user (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  return self->user;
}

const char *
td_session_get_person (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  return self->person;
}

const char *
td_session_get_role (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  return self->role;
}

gboolean
td_session_may (TdSession *self, const char *action, int ticket_tier)
{
  g_return_val_if_fail (TD_IS_SESSION (self), FALSE);

  /* Not known yet (signed in while offline): offer everything; the
   * server decides, and a refusal shows in the sync status. */
  if (self->role == NULL)
    return TRUE;
  if (!td_policy_role_may (self->policy, self->role, action))
    return FALSE;
  return ticket_tier == 0 || td_policy_role_reaches_tier (self->policy, self->role, ticket_tier);
}

TdPolicy *
td_session_get_policy (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  return self->policy;
}

void
td_session_local_change (TdSession *self, const char *entity, const char *uuid)
{
  g_return_if_fail (TD_IS_SESSION (self));
  if (self->engine != NULL)
    td_sync_engine_local_change (self->engine, entity, uuid);
}

TdCache *
td_session_get_cache (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  return self->cache;
}

TdSyncEngine *
td_session_get_engine (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  return self->engine;
}

static void
td_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TdSession *self = TD_SESSION (object);

  switch (prop_id)
    {
      case PROP_CONNECTED:
        g_value_set_boolean (value, td_session_is_connected (self));
        break;
      case PROP_PERSON:
        g_value_set_string (value, self->person);
        break;
      case PROP_ROLE:
        g_value_set_string (value, self->role);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_session_dispose (GObject *object)
{
  TdSession *self = (TdSession *) object;

  if (self->engine != NULL)
    td_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->cache);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (td_session_parent_class)->dispose (object);
}

static void
td_session_finalize (GObject *object)
{
  TdSession *self = (TdSession *) object;

  g_clear_object (&self->policy);
  g_clear_object (&self->tokens);
  g_free (self->cache_dir);
  g_free (self->url);
  g_free (self->user);
  g_free (self->person);
  g_free (self->role);
  G_OBJECT_CLASS (td_session_parent_class)->finalize (object);
}

static void
td_session_class_init (TdSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = td_session_get_property;
  object_class->dispose = td_session_dispose;
  object_class->finalize = td_session_finalize;

  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSON]
      = g_param_spec_string ("person", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE]
      = g_param_spec_string ("role", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
td_session_init (TdSession *self)
{
}
