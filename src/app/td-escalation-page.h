/* td-escalation-page.h — the Escalation page: the live flowchart, a ticket's path, what-if
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-flow-view.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_ESCALATION_PAGE (td_escalation_page_get_type ())
G_DECLARE_FINAL_TYPE (TdEscalationPage, td_escalation_page, TD, ESCALATION_PAGE, GtkWidget)

void td_escalation_page_set_policy (TdEscalationPage *self, TdPolicy *policy);
/* Tickets are found and read through @session's cache; NULL when signed out. */
void td_escalation_page_set_session (TdEscalationPage *self, TdSession *session);
/* Countdowns run on the server's clock: the window passes it each minute. */
void td_escalation_page_tick (TdEscalationPage *self, gint64 now);
/* Shows a ticket's path on the chart; FALSE if the cache has no such ticket. */
gboolean    td_escalation_page_show_ticket (TdEscalationPage *self, const char *uuid);
const char *td_escalation_page_get_ticket (TdEscalationPage *self);
void        td_escalation_page_focus_search (TdEscalationPage *self);
TdFlowView *td_escalation_page_get_flow_view (TdEscalationPage *self);

/* For the tests: the what-if form as a person fills it in, and its answer. */
gboolean    td_escalation_page_set_what_if (TdEscalationPage *self,
                                            const char       *severity,
                                            int               tier,
                                            const char       *start);
const char *td_escalation_page_get_what_if_error (TdEscalationPage *self);
/* The results, one "title: subtitle" line per row. */
char *td_escalation_page_get_what_if_text (TdEscalationPage *self);
/* The ticket panel and next steps, one "title: subtitle" line per row. */
char *td_escalation_page_get_ticket_text (TdEscalationPage *self);

G_END_DECLS
