/* td-sync.h — one round of sync with tierdeskd: push the outbox, then pull the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "td-cache.h"

G_BEGIN_DECLS

#define TD_SYNC_ERROR (td_sync_error_quark ())

typedef enum
{
  TD_SYNC_ERROR_OFFLINE,      /* the server could not be reached */
  TD_SYNC_ERROR_UNAUTHORIZED, /* log in again */
  TD_SYNC_ERROR_SERVER,       /* the server answered with an error */
  TD_SYNC_ERROR_CACHE,
  TD_SYNC_ERROR_CERTIFICATE, /* the server's TLS certificate is not trusted */
} TdSyncError;

/* Commands sent per request. */
#define TD_SYNC_BATCH 100
/* Rows asked for per page of the change feed. */
#define TD_SYNC_PAGE 500

typedef struct _TdSyncStats
{
  guint    pushed;
  guint    applied;
  guint    duplicates;
  guint    conflicts;
  guint    rejected;
  guint    pulled;
  guint    pages;
  gboolean resynced;
  /* Server time minus local time, from the Date header, in seconds. */
  gint64     clock_offset;
  gboolean   has_clock_offset; /* FALSE when no answer carried a Date */
  GPtrArray *changed;          /* entity, uuid, entity, uuid … */
  /* Called on the syncing thread after each page written to the cache,
   * so a long first sync can show what has arrived; it may take the
   * entries of @changed to report those rows at once. */
  void (*progress) (struct _TdSyncStats *stats, gpointer data);
  gpointer progress_data;
} TdSyncStats;

#define TD_TYPE_SYNC_CLIENT (td_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (TdSyncClient, td_sync_client, TD, SYNC_CLIENT, GObject)

GQuark td_sync_error_quark (void);
void   td_sync_stats_clear (TdSyncStats *stats);

TdSyncClient *td_sync_client_new (const char *server_url);
const char   *td_sync_client_get_url (TdSyncClient *self);
/* The token lives only in memory here; the app keeps it in the keyring. */
void        td_sync_client_set_token (TdSyncClient *self, const char *token);
const char *td_sync_client_get_token (TdSyncClient *self);
gboolean    td_sync_client_login (TdSyncClient *self,
                                  const char   *username,
                                  const char   *password,
                                  GError      **error);
/* Who the logged-in account is: its directory entry (person uuid, NULL
 * when the account is no one in the directory) and its policy role. */
gboolean td_sync_client_fetch_me (TdSyncClient *self, char **person, char **role, GError **error);
/* Push before pull; a 409 or 410 from the feed leads to a full resync that
 * keeps every local command and pushes it again. Blocking: run it on a
 * worker thread. */
gboolean td_sync_run (TdSyncClient *self,
                      TdCache      *cache,
                      TdSyncStats  *stats,
                      GCancellable *cancellable,
                      GError      **error);

/* The server's answers, checked before anything of them reaches the cache:
 * a proxy or a server gone wrong must not crash the desktop or write
 * half a page. @json is a parsed answer (NULL when it was not JSON). */
typedef struct
{
  JsonArray  *changes; /* of objects, each with a string entity and uuid */
  const char *cursor;  /* NULL in the open snapshot */
  gboolean    more;
} TdSyncPage;

gboolean td_sync_decode_page (JsonNode *json, TdSyncPage *page, GError **error);
/* The results of POST /commands: an array of objects, each with an id and
 * a status. */
JsonArray *td_sync_decode_results (JsonNode *json, GError **error);
/* Parses an answer's body as td_sync_run does (checked with
 * td_json_guard_check first); NULL when it is not JSON. */
JsonNode *td_sync_parse_answer (const char *data, gsize length);

G_END_DECLS
