/* td-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-application.h"

G_BEGIN_DECLS

#define TD_TYPE_WINDOW (td_window_get_type ())
G_DECLARE_FINAL_TYPE (TdWindow, td_window, TD, WINDOW, AdwApplicationWindow)

TdWindow *td_window_new (TdApplication *application);

G_END_DECLS
