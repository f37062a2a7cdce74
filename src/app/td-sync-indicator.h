/* td-sync-indicator.h — the header's sync status, and what needs attention
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-sync-engine.h"

G_BEGIN_DECLS

#define TD_TYPE_SYNC_INDICATOR (td_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (TdSyncIndicator, td_sync_indicator, TD, SYNC_INDICATOR, GtkWidget)

void td_sync_indicator_set_engine (TdSyncIndicator *self, TdSyncEngine *engine);
/* "Up to date", "Offline · 2 pending"…: what the button says. */
const char *td_sync_indicator_get_summary (TdSyncIndicator *self);

G_END_DECLS
