/* td-changes-window.h — the production changes behind the Change Success Rate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_CHANGES_WINDOW (td_changes_window_get_type ())
G_DECLARE_FINAL_TYPE (TdChangesWindow, td_changes_window, TD, CHANGES_WINDOW, AdwWindow)

TdChangesWindow *td_changes_window_new (GtkWindow *parent, TdSession *session);

G_END_DECLS
