/* td-ticket-knowledge.h — a ticket's Knowledge group: search the knowledge
 * base, link the article that answers it, flag a new issue, and the
 * 24-hour documentation clock [3.4, 10.2]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_TICKET_KNOWLEDGE (td_ticket_knowledge_get_type ())
G_DECLARE_FINAL_TYPE (TdTicketKnowledge,
                      td_ticket_knowledge,
                      TD,
                      TICKET_KNOWLEDGE,
                      AdwPreferencesGroup)

/* Shows @ticket (a cache row) as it is now; called again whenever it or
 * its links change. */
void td_ticket_knowledge_show (TdTicketKnowledge *self, TdSession *session, JsonObject *ticket);
/* What the resolver said: the issue is new and no article covers it. */
gboolean td_ticket_knowledge_get_new_issue (TdTicketKnowledge *self);
/* Whether a known issue is linked: resolving now counts as documented. */
gboolean td_ticket_knowledge_has_known_issue (TdTicketKnowledge *self);
/* How many articles are linked. */
guint td_ticket_knowledge_get_n_linked (TdTicketKnowledge *self);

G_END_DECLS
