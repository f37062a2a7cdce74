/* td-session.h — who is logged in where: the client, the cache and the sync engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-cache.h"
#include "td-policy.h"
#include "td-sync-engine.h"
#include "td-token-store.h"

G_BEGIN_DECLS

#define TD_SESSION_ERROR (td_session_error_quark ())

/* What went wrong connecting, in words a support lead can act on. */
typedef enum
{
  TD_SESSION_ERROR_INVALID_URL,
  TD_SESSION_ERROR_UNREACHABLE,
  TD_SESSION_ERROR_CERTIFICATE,
  TD_SESSION_ERROR_WRONG_PASSWORD,
  TD_SESSION_ERROR_SERVER,
  TD_SESSION_ERROR_CACHE,
} TdSessionError;

#define TD_TYPE_SESSION (td_session_get_type ())
G_DECLARE_FINAL_TYPE (TdSession, td_session, TD, SESSION, GObject)

GQuark td_session_error_quark (void);

/* @cache_dir holds one cache file per server and user. */
TdSession *td_session_new (TdPolicy *policy, TdTokenStore *tokens, const char *cache_dir);

/* Logs in (on a worker thread), keeps the token, opens the cache and starts
 * syncing. Errors are TD_SESSION_ERROR, with a message for the user. */
void     td_session_connect_async (TdSession          *self,
                                   const char         *url,
                                   const char         *user,
                                   const char         *password,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
gboolean td_session_connect_finish (TdSession *self, GAsyncResult *result, GError **error);
/* Picks up where the last run left off, with the token kept for @url and
 * @user: works offline at once from the cache. FALSE (no error) when no
 * token is kept. */
void     td_session_resume_async (TdSession          *self,
                                  const char         *url,
                                  const char         *user,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
gboolean td_session_resume_finish (TdSession *self, GAsyncResult *result, GError **error);
/* Forgets the token and stops syncing; the cache stays for next time. */
void td_session_log_out (TdSession *self);
/* Stops syncing and keeps the token (quitting the app). */
void td_session_close (TdSession *self);

gboolean    td_session_is_connected (TdSession *self);
const char *td_session_get_url (TdSession *self);
const char *td_session_get_user (TdSession *self);
/* The account's directory entry (a person uuid), for "assigned to me";
 * NULL until known, or when the account is no one in the directory. */
const char *td_session_get_person (TdSession *self);
/* The account's policy role; NULL until the server has said. */
const char *td_session_get_role (TdSession *self);
/* Whether the account may do @action (a policy permission such as
 * "ticket.escalate") to a ticket at @ticket_tier (0: no ticket): what
 * the server will check, so the app offers only what will be accepted.
 * TRUE while the role is not known. */
gboolean      td_session_may (TdSession *self, const char *action, int ticket_tier);
TdPolicy     *td_session_get_policy (TdSession *self);
TdCache      *td_session_get_cache (TdSession *self);
TdSyncEngine *td_session_get_engine (TdSession *self);
/* After a page wrote @uuid of @entity in the cache: tells the views and
 * syncs soon (nothing while there is no engine). */
void td_session_local_change (TdSession *self, const char *entity, const char *uuid);

G_END_DECLS
