/* td-application.h — the Tierdesk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-demo-server.h"
#include "td-notifier.h"
#include "td-policy.h"
#include "td-session.h"
#include "td-token-store.h"

G_BEGIN_DECLS

#define TD_TYPE_APPLICATION (td_application_get_type ())
G_DECLARE_FINAL_TYPE (TdApplication, td_application, TD, APPLICATION, AdwApplication)

void           td_application_setup_i18n (void);
TdApplication *td_application_new (void);
/* NULL when the policy could not be loaded; then the error says why. */
TdPolicy     *td_application_get_policy (TdApplication *self);
const GError *td_application_get_policy_error (TdApplication *self);
/* NULL when the policy could not be loaded: nothing can be worked on. */
TdSession    *td_application_get_session (TdApplication *self);
TdTokenStore *td_application_get_token_store (TdApplication *self);
TdDemoServer *td_application_get_demo_server (TdApplication *self);
TdNotifier   *td_application_get_notifier (TdApplication *self);

G_END_DECLS
