/* td-queue-model.h — the ticket queue as a GListModel, filtered and sorted over an index of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-cache.h"
#include "td-policy.h"
#include "td-ticket.h"

G_BEGIN_DECLS

/* How the list is ordered. @descending reverses the key only. Values the
 * policy does not know, a missing severity, priority or owner, and tickets
 * without a running SLA clock come last in both directions. Equal keys are
 * always broken the same way, whatever the direction: by created_at, oldest
 * first, then by uuid (bytewise), so the order is total and stable across
 * queries. In detail:
 * - CREATED: created_at, then uuid.
 * - TITLE: title ignoring ASCII case (SQLite's NOCASE).
 * - SEVERITY, PRIORITY: the policy's order, unknown ids after known ones
 *   by their text. A severity's place is its level; a priority's is the
 *   most severe severity the triage matrix pairs it with (P1 with SEV-1).
 * - STATUS: new, assigned, in_progress, pending, resolved, closed, then
 *   others by their text.
 * - OWNER: the owner's person name ignoring ASCII case (the owner id when
 *   the cache has no name), then the owner id.
 * - SLA: the queue clock's due instant (td_ticket_get_sla_due ()). */
typedef enum
{
  TD_QUEUE_SORT_CREATED, /* age */
  TD_QUEUE_SORT_TITLE,
  TD_QUEUE_SORT_TIER,
  TD_QUEUE_SORT_SEVERITY, /* SEV-1 first when ascending */
  TD_QUEUE_SORT_PRIORITY, /* P1 first when ascending */
  TD_QUEUE_SORT_STATUS,
  TD_QUEUE_SORT_OWNER,
  TD_QUEUE_SORT_SLA, /* soonest due first when ascending; no clock last */
} TdQueueSort;

typedef enum
{
  TD_QUEUE_STATUS_OPEN, /* everything not resolved or closed (the default) */
  TD_QUEUE_STATUS_ALL,
  TD_QUEUE_STATUS_ONE, /* exactly the status given to set_status */
} TdQueueStatusFilter;

#define TD_TYPE_QUEUE_MODEL (td_queue_model_get_type ())
G_DECLARE_FINAL_TYPE (TdQueueModel, td_queue_model, TD, QUEUE_MODEL, GObject)

/* A GListModel of TdTicket. Filtering and sorting run over a compact index
 * of every ticket, read from the cache file through a read-only connection
 * of its own (search through FTS5), never over a GObject per row: only the
 * rows on screen become TdTicket objects. */
TdQueueModel *td_queue_model_new (TdCache *cache, TdPolicy *policy);

/* Filters; each runs one pass over the index. 0 / NULL means "any". */
void td_queue_model_set_tier (TdQueueModel *self, int tier);
void td_queue_model_set_severity (TdQueueModel *self, const char *severity);
void td_queue_model_set_status (TdQueueModel *self, TdQueueStatusFilter filter, const char *status);
void td_queue_model_set_owner (TdQueueModel *self, const char *owner); /* "assigned to me" */
void td_queue_model_set_at_risk_only (TdQueueModel *self, gboolean at_risk_or_breached);
/* Full-text search over title, description and affected user id (FTS5,
 * each word a prefix); NULL or "" for none. */
void td_queue_model_set_search (TdQueueModel *self, const char *text);
void td_queue_model_set_sort (TdQueueModel *self, TdQueueSort sort, gboolean descending);

/* The clock: SLA states are worked out at this instant (UTC seconds).
 * td_queue_model_tick () moves it on and refreshes the TdTicket objects
 * alive (their properties notify), without items-changed unless the
 * at-risk filter or the SLA sort makes rows move. */
void td_queue_model_set_now (TdQueueModel *self, gint64 now);
void td_queue_model_tick (TdQueueModel *self, gint64 now);

/* The cache changed these tickets (from TdSyncEngine::rows-changed or a
 * local edit): rows alive are updated in place (their properties notify),
 * and items-changed is emitted only where tickets entered, left or moved.
 * The index is sorted again to find that out, so coalesce bursts of
 * changes. */
void td_queue_model_tickets_changed (TdQueueModel *self, const char *const *uuids);
/* Everything may have changed (a resync): runs the query again. */
void td_queue_model_reload (TdQueueModel *self);

/* Counts over the open tickets that match every filter but the tier (for
 * the per-tier counts) and over the rows in the list (per SLA state). */
guint td_queue_model_count_tier (TdQueueModel *self, int tier);
guint td_queue_model_count_sla_state (TdQueueModel *self, TdSlaState state);
/* Position of a ticket in the list, or G_MAXUINT. */
guint td_queue_model_find (TdQueueModel *self, const char *uuid);

G_END_DECLS
