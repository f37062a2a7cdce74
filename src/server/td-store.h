/* td-store.h — tierdeskd's SQLite store: accounts, tokens, commands, the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "td-api-error.h"
#include "td-policy.h"

G_BEGIN_DECLS

#define TD_STORE_ERROR (td_store_error_quark ())

typedef enum
{
  TD_STORE_ERROR_EXISTS,
  TD_STORE_ERROR_NOT_FOUND,
  TD_STORE_ERROR_INVALID,
  TD_STORE_ERROR_SQLITE,
  TD_STORE_ERROR_POLICY,
} TdStoreError;

/* Failed logins allowed per user per window before 429. */
#define TD_STORE_LOGIN_LIMIT  5
#define TD_STORE_LOGIN_WINDOW 60
/* Largest page of the change feed. */
#define TD_STORE_MAX_PAGE 1000

typedef struct
{
  gint64   id;
  char    *username;
  char    *role;
  char    *person;
  gboolean disabled;
  gint64   created_at;
} TdAccount;

void      td_account_free (TdAccount *account);
JsonNode *td_account_to_json (const TdAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdAccount, td_account_free)

#define TD_TYPE_STORE (td_store_get_type ())
G_DECLARE_FINAL_TYPE (TdStore, td_store, TD, STORE, GObject)

GQuark td_store_error_quark (void);

/* Creates a new store: refuses a path that exists. */
TdStore    *td_store_create (const char *path,
                             const char *policy_json,
                             const char *admin,
                             const char *admin_password,
                             GError    **error);
TdStore    *td_store_open (const char *path, GError **error);
const char *td_store_get_path (TdStore *self);
char       *td_store_dup_epoch (TdStore *self);
gint64      td_store_get_head (TdStore *self);
/* The current policy (a new reference). */
TdPolicy *td_store_get_policy (TdStore *self);
JsonNode *td_store_get_policy_json (TdStore *self);
/* Validates, keeps the version, makes it current. On invalid JSON the
 * error lists every problem. */
gboolean td_store_set_policy (TdStore     *self,
                              const char  *json,
                              const char  *actor,
                              gint64      *version,
                              TdApiError **error);

gboolean   td_store_add_account (TdStore    *self,
                                 const char *username,
                                 const char *password,
                                 const char *role,
                                 const char *actor,
                                 GError    **error);
gboolean   td_store_set_disabled (TdStore    *self,
                                  const char *username,
                                  gboolean    disabled,
                                  const char *actor,
                                  GError    **error);
gboolean   td_store_set_password (TdStore    *self,
                                  const char *username,
                                  const char *password,
                                  const char *actor,
                                  GError    **error);
GPtrArray *td_store_list_accounts (TdStore *self);

/* Returns a token on success; on failure @error is 401 or 429. */
char      *td_store_login (TdStore     *self,
                           const char  *username,
                           const char  *password,
                           gint64       now,
                           gint64      *expires_at,
                           TdAccount  **account,
                           TdApiError **error);
TdAccount *td_store_authenticate (TdStore *self, const char *token, gint64 now);
void       td_store_logout (TdStore *self, const char *token, const char *actor);

/* Every open ticket and every person, as change rows: what a new desktop
 * needs to show its queue before the full history arrives through the
 * change feed (which brings these rows again, so nothing depends on this
 * being current). */
JsonNode *td_store_open_snapshot (TdStore *self);
JsonNode *td_store_changes (TdStore *self, const char *since, guint limit, TdApiError **error);
/* One result per command; each command commits on its own. @head receives
 * the head revision afterwards. A malformed batch is refused whole. */
JsonNode *td_store_apply_commands (TdStore         *self,
                                   const TdAccount *account,
                                   JsonNode        *body,
                                   gint64           now,
                                   gint64          *head,
                                   TdApiError     **error);
JsonNode *td_store_get_ticket (TdStore *self, const char *uuid, TdApiError **error);
JsonNode *td_store_list_tickets (TdStore     *self,
                                 const char  *status,
                                 int          tier,
                                 const char  *search,
                                 guint        limit,
                                 TdApiError **error);
/* Audit rows, newest first, for administrators and the tests. */
JsonNode *td_store_audit (TdStore *self, guint limit);

/* Calendar feeds cover this much before and after the request. */
#define TD_STORE_FEED_PAST  (30 * 24 * 3600)
#define TD_STORE_FEED_AHEAD (366 * 24 * 3600)

/* {has_key, created_at?, person}: whether the account has a feed key. */
JsonNode *td_store_get_feed_key (TdStore *self, const TdAccount *account);
/* A new feed key for @account (returned once, only its hash is kept); the
 * old one stops working. */
char *td_store_reset_feed_key (TdStore *self, const TdAccount *account, gint64 now);
/* The iCalendar feed of @person, or else of @slot of @rotation, for the
 * holder of feed key @key (404 for a wrong key). */
char *td_store_oncall_feed (TdStore     *self,
                            const char  *key,
                            const char  *rotation,
                            const char  *slot,
                            const char  *person,
                            gint64       now,
                            TdApiError **error);

/* Online, consistent copy through SQLite's backup API. */
gboolean td_store_backup (TdStore *self, const char *to, GError **error);
/* Replaces @path with @from and gives it a new epoch, so every client
 * resyncs instead of trusting cursors from a history that was rolled back. */
gboolean td_store_restore (const char *path, const char *from, GError **error);
/* Forgets tombstones older than @before_rev; cursors below it answer 410. */
gboolean td_store_purge_tombstones (TdStore *self, gint64 before_rev, GError **error);
sqlite3 *td_store_get_db (TdStore *self);

G_END_DECLS
