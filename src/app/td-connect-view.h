/* td-connect-view.h — first run: sign in to a server, or try the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-demo-server.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_CONNECT_VIEW (td_connect_view_get_type ())
G_DECLARE_FINAL_TYPE (TdConnectView, td_connect_view, TD, CONNECT_VIEW, GtkWidget)

/* Connects @session; the demo button starts @demo (a local tierdeskd). */
void td_connect_view_set_session (TdConnectView *self, TdSession *session, TdDemoServer *demo);
/* Fills the form, e.g. with the last server used. */
void td_connect_view_set_server (TdConnectView *self, const char *url, const char *user);

/* Signs in as if the user had typed it (the --server/--user options). */
void td_connect_view_sign_in (TdConnectView *self,
                              const char    *url,
                              const char    *user,
                              const char    *password);

G_END_DECLS
