/* td-queue-page.h — the ticket queue: filters, counts, and the list with its SLA clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-queue-model.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_QUEUE_PAGE (td_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (TdQueuePage, td_queue_page, TD, QUEUE_PAGE, GtkWidget)

/* Shows the queue of @session's cache (NULL: nothing to show). */
void           td_queue_page_set_session (TdQueuePage *self, TdSession *session);
TdQueueModel  *td_queue_page_get_model (TdQueuePage *self);
GtkColumnView *td_queue_page_get_column_view (TdQueuePage *self);
/* The clock the SLA countdowns run on; moved on every minute by a timer. */
void td_queue_page_tick (TdQueuePage *self, gint64 now);
void td_queue_page_focus_search (TdQueuePage *self);

G_END_DECLS
