/* td-training-page.h — the Training page: who is cleared for what, sessions, hours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "td-session.h"
#include "td-training.h"

G_BEGIN_DECLS

#define TD_TYPE_TRAINING_PAGE (td_training_page_get_type ())
G_DECLARE_FINAL_TYPE (TdTrainingPage, td_training_page, TD, TRAINING_PAGE, GtkWidget)

void td_training_page_set_session (TdTrainingPage *self, TdSession *session);
/* The minute tick, in server time: statuses move on at midnight. */
void td_training_page_tick (TdTrainingPage *self, gint64 now);
/* The tracker behind the page (the cache as it is now); borrowed. */
TdTrainingTracker *td_training_page_get_tracker (TdTrainingPage *self);
/* Shows @person in the side panel. */
void td_training_page_select_person (TdTrainingPage *self, const char *person);
/* The exports, as the page's actions save them: the people shown. */
char *td_training_page_matrix_csv (TdTrainingPage *self);
char *td_training_page_hours_csv (TdTrainingPage *self, const GDate *from, const GDate *to);

G_END_DECLS
