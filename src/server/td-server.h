/* td-server.h — the HTTP and WebSocket API of tierdeskd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-store.h"

G_BEGIN_DECLS

/* Largest request body accepted, in bytes. */
#define TD_SERVER_MAX_BODY (1024 * 1024)
/* Failed logins from one address, for any usernames, within
 * TD_STORE_LOGIN_WINDOW before it must wait: the per-user limit alone
 * lets one client try a common password on every account. */
#define TD_SERVER_ADDRESS_LOGIN_LIMIT 20

#define TD_TYPE_SERVER (td_server_get_type ())
G_DECLARE_FINAL_TYPE (TdServer, td_server, TD, SERVER, GObject)

TdServer *td_server_new (TdStore *store);
/* @address is "HOST:PORT"; port 0 picks a free one. */
gboolean td_server_listen (TdServer        *self,
                           const char      *address,
                           GTlsCertificate *certificate,
                           GError         **error);
guint    td_server_get_port (TdServer *self);
/* Stops taking requests and waits for those under way to finish. */
void td_server_shutdown (TdServer *self);

G_END_DECLS
