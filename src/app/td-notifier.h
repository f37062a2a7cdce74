/* td-notifier.h — desktop notifications for the tickets a person owns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-session.h"

G_BEGIN_DECLS

/* How long before a breach the owner is warned [5.5]. */
#define TD_NOTIFIER_WARNING_SECONDS (15 * 60)

#define TD_TYPE_NOTIFIER (td_notifier_get_type ())
G_DECLARE_FINAL_TYPE (TdNotifier, td_notifier, TD, NOTIFIER, GObject)

/* Watches @session's tickets owned by its person. Each warning is given
 * once: the "notification" signal carries (id, title, body, ticket uuid),
 * and @application, when not NULL, shows it as a GNotification that opens
 * the ticket (app.open-ticket). */
TdNotifier *td_notifier_new (GApplication *application, TdSession *session);
/* Looks at the clocks at @now (server time, UTC seconds). */
void td_notifier_check (TdNotifier *self, gint64 now);

G_END_DECLS
