/* td-follow-ups.h — the queue's follow-ups: post-incident reviews overdue
 * or with open actions, and new issues still to be documented [10.2]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "td-pir.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_FOLLOW_UPS (td_follow_ups_get_type ())
G_DECLARE_FINAL_TYPE (TdFollowUps, td_follow_ups, TD, FOLLOW_UPS, GtkWidget)

void td_follow_ups_set_session (TdFollowUps *self, TdSession *session);
/* The minute tick, in server time: clocks run out, reviews fall due. */
void td_follow_ups_tick (TdFollowUps *self, gint64 now);
/* What the button says, "" when there is nothing to follow up. */
const char *td_follow_ups_get_summary (TdFollowUps *self);
guint       td_follow_ups_get_n_reviews (TdFollowUps *self);
guint       td_follow_ups_get_n_undocumented (TdFollowUps *self);

/* A row for a review td_pir_list_follow_ups () returned: its ticket's
 * title, why it needs someone, red when overdue. Shared with the Metrics
 * page, so both say the same. */
GtkWidget *td_follow_ups_review_row_new (TdCache *cache, const TdPir *pir, gint64 now);
/* Opens the review window of such a row, transient for @from's window. */
void td_follow_ups_open_review (GtkWidget *from, TdSession *session, GtkListBoxRow *row);

G_END_DECLS
