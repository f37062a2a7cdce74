/* td-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-application.h"
#include "td-connect-view.h"
#include "td-escalation-page.h"
#include "td-knowledge-page.h"
#include "td-metrics-page.h"
#include "td-oncall-page.h"
#include "td-queue-page.h"
#include "td-training-page.h"

G_BEGIN_DECLS

#define TD_TYPE_WINDOW (td_window_get_type ())
G_DECLARE_FINAL_TYPE (TdWindow, td_window, TD, WINDOW, AdwApplicationWindow)

TdWindow         *td_window_new (TdApplication *application);
void              td_window_add_toast (TdWindow *self, const char *message);
TdConnectView    *td_window_get_connect_view (TdWindow *self);
TdQueuePage      *td_window_get_queue_page (TdWindow *self);
TdEscalationPage *td_window_get_escalation_page (TdWindow *self);
TdOncallPage     *td_window_get_oncall_page (TdWindow *self);
TdTrainingPage   *td_window_get_training_page (TdWindow *self);
TdKnowledgePage  *td_window_get_knowledge_page (TdWindow *self);
TdMetricsPage    *td_window_get_metrics_page (TdWindow *self);

G_END_DECLS
