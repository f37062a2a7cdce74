/* td-oncall-page.h — the On-call page: who is on call, the rota grid, overrides, swaps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "td-rota-store.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_ONCALL_PAGE (td_oncall_page_get_type ())
G_DECLARE_FINAL_TYPE (TdOncallPage, td_oncall_page, TD, ONCALL_PAGE, GtkWidget)

void td_oncall_page_set_session (TdOncallPage *self, TdSession *session);
/* The minute tick, in server time: the cards move on at each handoff. */
void td_oncall_page_tick (TdOncallPage *self, gint64 now);
/* The rotas as shown: the cache with the unpublished draft on top. */
TdRotaStore *td_oncall_page_get_rota_store (TdOncallPage *self);
/* How many edits wait for Publish. */
guint td_oncall_page_get_draft_size (TdOncallPage *self);

G_END_DECLS
