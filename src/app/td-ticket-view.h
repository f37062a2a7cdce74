/* td-ticket-view.h — one ticket: every field, its clocks, its history, and what can be done
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_TICKET_VIEW (td_ticket_view_get_type ())
G_DECLARE_FINAL_TYPE (TdTicketView, td_ticket_view, TD, TICKET_VIEW, AdwWindow)

TdTicketView *td_ticket_view_new (GtkWindow *parent, TdSession *session, const char *uuid);
const char   *td_ticket_view_get_uuid (TdTicketView *self);
/* For the tests: the escalation form as a person sees it. */
gboolean    td_ticket_view_select_target (TdTicketView *self, int tier);
gboolean    td_ticket_view_check_item (TdTicketView *self, const char *item_id, gboolean checked);
const char *td_ticket_view_get_escalate_hint (TdTicketView *self);
void        td_ticket_view_set_note (TdTicketView *self, const char *text);

G_END_DECLS
