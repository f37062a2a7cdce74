/* td-training-session-dialog.h — record one training session for several people, or edit a record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"
#include "td-training.h"

G_BEGIN_DECLS

#define TD_TYPE_TRAINING_SESSION_DIALOG (td_training_session_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdTrainingSessionDialog,
                      td_training_session_dialog,
                      TD,
                      TRAINING_SESSION_DIALOG,
                      AdwWindow)

/* @record (nullable): the uuid of a record to edit; else a new session,
 * with @person (nullable) ticked among the attendees. Emits "saved" with a
 * sentence for a toast once the records are in the cache's outbox. */
TdTrainingSessionDialog *td_training_session_dialog_new (TdSession         *session,
                                                         TdTrainingTracker *tracker,
                                                         const char        *record,
                                                         const char        *person,
                                                         const GDate       *today);

G_END_DECLS
