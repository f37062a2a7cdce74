/* td-demo-server.h — a tierdeskd of one's own, with demo data, for "Try with demo data"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The demo accounts share one password; the app logs in as the lead. */
#define TD_DEMO_USER     "lead"
#define TD_DEMO_PASSWORD "tierdesk-demo"

#define TD_TYPE_DEMO_SERVER (td_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (TdDemoServer, td_demo_server, TD, DEMO_SERVER, GObject)

/* The server's database lives in @data_dir, created with demo data the
 * first time; the server listens on a free loopback port. */
TdDemoServer *td_demo_server_new (const char *data_dir);
void          td_demo_server_start_async (TdDemoServer       *self,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
/* The server's URL, e.g. http://127.0.0.1:41234. */
char *td_demo_server_start_finish (TdDemoServer *self, GAsyncResult *result, GError **error);
/* Stops the server (also when the object goes away). */
void td_demo_server_stop (TdDemoServer *self);

G_END_DECLS
