/* td-curriculum-window.h — trainers edit the curriculum [11]: topics, tiers, hours, frequency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"
#include "td-training.h"

G_BEGIN_DECLS

#define TD_TYPE_CURRICULUM_WINDOW (td_curriculum_window_get_type ())
G_DECLARE_FINAL_TYPE (TdCurriculumWindow, td_curriculum_window, TD, CURRICULUM_WINDOW, AdwWindow)

/* Emits "saved" with a sentence for a toast after each change reaches the
 * cache's outbox. */
TdCurriculumWindow *td_curriculum_window_new (TdSession *session, TdTrainingTracker *tracker);

G_END_DECLS
