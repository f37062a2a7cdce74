/* td-change-dialog.h — record a production change, or edit or delete one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_CHANGE_DIALOG (td_change_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdChangeDialog, td_change_dialog, TD, CHANGE_DIALOG, AdwWindow)

/* @change (nullable): the uuid of a change_record to edit; else a new
 * change, for @ticket (nullable: a change no ticket asked for, such as a
 * release). Emits "saved" with a sentence for a toast once the change is
 * in the cache's outbox (or deleted). */
TdChangeDialog *td_change_dialog_new (GtkWindow  *parent,
                                      TdSession  *session,
                                      const char *change,
                                      const char *ticket);

G_END_DECLS
