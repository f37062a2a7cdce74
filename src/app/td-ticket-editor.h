/* td-ticket-editor.h — logging a new ticket with every field the policy requires
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_TICKET_EDITOR (td_ticket_editor_get_type ())
G_DECLARE_FINAL_TYPE (TdTicketEditor, td_ticket_editor, TD, TICKET_EDITOR, AdwWindow)

TdTicketEditor *td_ticket_editor_new (GtkWindow *parent, TdSession *session);
/* The form field for a policy field id ("user_id", "impact"…) or "title",
 * for the tests and for focusing what is missing. */
GtkWidget *td_ticket_editor_get_field (TdTicketEditor *self, const char *field_id);
/* What the missing-fields message says, or NULL when none is shown. */
const char *td_ticket_editor_get_missing_text (TdTicketEditor *self);
const char *td_ticket_editor_get_triage_text (TdTicketEditor *self);

G_END_DECLS
