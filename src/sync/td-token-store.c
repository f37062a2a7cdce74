/* td-token-store.c — where the login token is kept between runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "td-token-store.h"

struct _TdTokenStore
{
  GObject     parent_instance;
  GHashTable *memory; /* "server\nuser" → token, when there is no Secret Service */
};

G_DEFINE_FINAL_TYPE (TdTokenStore, td_token_store, G_TYPE_OBJECT)

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Token",
    SECRET_SCHEMA_NONE,
    {
        { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
    0,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
  };

  return &schema;
}

static char *
memory_key (const char *server, const char *user)
{
  return g_strdup_printf ("%s\n%s", server, user);
}

/* Tokens are credentials: wipe them before the memory is reused. */
static void
wipe_free (gpointer data)
{
  char *token = data;

  if (token != NULL)
    memset (token, 0, strlen (token));
  g_free (token);
}

TdTokenStore *
td_token_store_new (void)
{
  return g_object_new (TD_TYPE_TOKEN_STORE, NULL);
}

gboolean
td_token_store_save (TdTokenStore *self,
                     const char   *server,
                     const char   *user,
                     const char   *token,
                     GError      **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (TD_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (server != NULL && user != NULL && token != NULL, FALSE);

  /* The in-memory copy always exists, so a keyring that goes away during
   * the session does not log the user out. */
  g_hash_table_replace (self->memory, memory_key (server, user), g_strdup (token));
  label = g_strdup_printf ("Tierdesk: %s on %s", user, server);
  return secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, NULL,
                                     error, "server", server, "user", user, NULL);
}

static void
stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_message ("The login token is kept in memory only: %s", error->message);
}

void
td_token_store_save_in_background (TdTokenStore *self,
                                   const char   *server,
                                   const char   *user,
                                   const char   *token)
{
  g_autofree char *label = NULL;

  g_return_if_fail (TD_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL && user != NULL && token != NULL);

  g_hash_table_replace (self->memory, memory_key (server, user), g_strdup (token));
  label = g_strdup_printf ("Tierdesk: %s on %s", user, server);
  /* The keyring may ask the user to unlock it: never on the UI's time. */
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, NULL, stored,
                         NULL, "server", server, "user", user, NULL);
}

static void
looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_debug ("No Secret Service for the login token: %s", error->message);
  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  g_task_return_pointer (task, g_strdup (secret), wipe_free);
  secret_password_free (secret);
}

void
td_token_store_lookup_async (TdTokenStore       *self,
                             const char         *server,
                             const char         *user,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = NULL;
  const char      *remembered;

  g_return_if_fail (TD_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL && user != NULL);

  key = memory_key (server, user);
  remembered = g_hash_table_lookup (self->memory, key);
  if (remembered != NULL)
    {
      g_task_return_pointer (task, g_strdup (remembered), wipe_free);
      return;
    }
  secret_password_lookup (token_schema (), cancellable, looked_up, g_steal_pointer (&task),
                          "server", server, "user", user, NULL);
}

char *
td_token_store_lookup_finish (TdTokenStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
td_token_store_lookup (TdTokenStore *self, const char *server, const char *user)
{
  g_autofree char *key = NULL;
  g_autoptr (GError) error = NULL;
  const char *remembered;
  char       *secret;

  g_return_val_if_fail (TD_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (server != NULL && user != NULL, NULL);

  key = memory_key (server, user);
  remembered = g_hash_table_lookup (self->memory, key);
  if (remembered != NULL)
    return g_strdup (remembered);

  secret = secret_password_lookup_sync (token_schema (), NULL, &error, "server", server, "user",
                                        user, NULL);
  if (error != NULL)
    g_debug ("No Secret Service for the login token: %s", error->message);
  if (secret == NULL)
    return NULL;
  {
    char *token = g_strdup (secret);
    secret_password_free (secret);
    return token;
  }
}

void
td_token_store_forget (TdTokenStore *self, const char *server, const char *user)
{
  g_autofree char *key = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TD_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL && user != NULL);

  key = memory_key (server, user);
  g_hash_table_remove (self->memory, key);
  secret_password_clear_sync (token_schema (), NULL, &error, "server", server, "user", user, NULL);
  if (error != NULL)
    g_debug ("Could not clear the login token from the Secret Service: %s", error->message);
}

static void
td_token_store_finalize (GObject *object)
{
  TdTokenStore *self = (TdTokenStore *) object;

  g_clear_pointer (&self->memory, g_hash_table_unref);
  G_OBJECT_CLASS (td_token_store_parent_class)->finalize (object);
}

static void
td_token_store_class_init (TdTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_token_store_finalize;
}

static void
td_token_store_init (TdTokenStore *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
}
