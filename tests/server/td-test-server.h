/* td-test-server.h — start the real tierdeskd on a free loopback port for a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char        *dir;
  char        *db;
  char        *password_file;
  char        *log;
  GPid         pid;
  guint        port;
  SoupSession *session;
  /* Set before starting to serve HTTPS. */
  char *tls_cert;
  char *tls_key;
  /* Set before starting to run tierdeskd under a command that execs it,
   * such as "env LD_PRELOAD=… FAKETIME=…" (a shell word list). */
  char *wrapper;
} TdTestServer;

typedef struct
{
  guint               status;
  JsonNode           *json;
  char               *text;
  SoupMessageHeaders *headers;
} TdTestResponse;

#define TD_TEST_PASSWORD "correct horse battery"

/* Runs tierdeskd with arguments; returns the exit status. */
int td_test_tierdeskd (char **out, char **err, const char *first_arg, ...) G_GNUC_NULL_TERMINATED;
/* A fresh database with an administrator "admin" (and "demo" accounts per
 * @roles: "username:role" strings), served on a free port. */
TdTestServer *td_test_server_new (const char *const *accounts);
void          td_test_server_start (TdTestServer *server);
/* SIGTERM, and wait: what a service manager does. */
void            td_test_server_stop (TdTestServer *server);
void            td_test_server_kill (TdTestServer *server);
void            td_test_server_free (TdTestServer *server);
char           *td_test_server_url (TdTestServer *server, const char *path);
TdTestResponse *td_test_request (TdTestServer *server,
                                 const char   *method,
                                 const char   *path,
                                 const char   *token,
                                 const char   *body);
char           *td_test_login (TdTestServer *server, const char *username);
/* One integer from the server's database, read on a connection of its own
 * (waiting up to 5 s for the server's writer): what the server has now. */
gint64 td_test_server_query_int (TdTestServer *server, const char *sql);
/* One command of a POST /commands batch, with a fresh id (base_rev < 0:
 * none; @fields NULL: none). */
char *td_test_command_json (const char *type,
                            const char *entity,
                            const char *entity_id,
                            gint64      base_rev,
                            const char *fields);
/* One command through POST /commands with @token (base_rev < 0: none);
 * returns its result, applied or not (a new reference). */
JsonObject *td_test_server_command (TdTestServer *server,
                                    const char   *token,
                                    const char   *type,
                                    const char   *entity,
                                    const char   *uuid,
                                    gint64        base_rev,
                                    const char   *fields);
/* The same as @username; fails the test unless it was applied. */
JsonObject *td_test_server_apply (TdTestServer *server,
                                  const char   *username,
                                  const char   *type,
                                  const char   *entity,
                                  const char   *uuid,
                                  gint64        base_rev,
                                  const char   *fields);
/* A review of a test's own: a SEV-2 ticket titled @title created and
 * resolved through the API as @username, and the review the server opened
 * for it updated with @pir_fields (a JSON object; NULL: left scheduled).
 * Returns the ticket's uuid. */
char       *td_test_server_add_review (TdTestServer *server,
                                       const char   *username,
                                       const char   *title,
                                       const char   *pir_fields);
void        td_test_response_free (TdTestResponse *response);
const char *td_test_error_code (TdTestResponse *response);
const char *td_test_error_field (TdTestResponse *response);
JsonObject *td_test_object (TdTestResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTestServer, td_test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTestResponse, td_test_response_free)

G_END_DECLS
