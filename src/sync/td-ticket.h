/* td-ticket.h — one ticket as the queue shows it: a cache row and its SLA clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "td-policy.h"
#include "td-sla.h"

G_BEGIN_DECLS

#define TD_TYPE_TICKET (td_ticket_get_type ())
G_DECLARE_FINAL_TYPE (TdTicket, td_ticket, TD, TICKET, GObject)

/* Every property is read-only and notifies when td_ticket_update () or
 * td_ticket_refresh_sla () changes it, so a list row rebinds nothing: its
 * labels follow the properties. */
TdTicket *td_ticket_new (JsonObject *row);
/* Takes a newer copy of the same row (same uuid); notifies what changed. */
void td_ticket_update (TdTicket *self, JsonObject *row);
/* Works the SLA clocks out again at @now (UTC seconds); notifies what changed. */
void        td_ticket_refresh_sla (TdTicket *self, TdPolicy *policy, gint64 now);
JsonObject *td_ticket_get_row (TdTicket *self); /* the whole cache row */
const char *td_ticket_get_uuid (TdTicket *self);
const char *td_ticket_get_title (TdTicket *self);
int         td_ticket_get_tier (TdTicket *self);
const char *td_ticket_get_severity (TdTicket *self);
const char *td_ticket_get_priority (TdTicket *self);
const char *td_ticket_get_status (TdTicket *self);
const char *td_ticket_get_owner (TdTicket *self);
gint64      td_ticket_get_created_at (TdTicket *self);
gboolean    td_ticket_is_open (TdTicket *self); /* not resolved or closed */
/* The clock the queue shows: the earliest running of response and
 * resolution; TD_SLA_NO_CLOCK when none runs. */
TdSlaState td_ticket_get_sla_state (TdTicket *self);
gint64     td_ticket_get_sla_due (TdTicket *self); /* G_MAXINT64 without a clock */
/* The next update due, for SEV-1/2 [5.5]; G_MAXINT64 when none is due. */
gint64     td_ticket_get_update_due (TdTicket *self);
TdSlaState td_ticket_get_update_state (TdTicket *self);

G_END_DECLS
