/* td-team-page.h — the team directory, Tier 4 engagement, the contact card and approvals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_TEAM_PAGE (td_team_page_get_type ())
G_DECLARE_FINAL_TYPE (TdTeamPage, td_team_page, TD, TEAM_PAGE, GtkWidget)

/* @session (nullable): the signed-in session whose cache the page reads. */
void td_team_page_set_session (TdTeamPage *self, TdSession *session);
/* The contact card as the clipboard gets it (plain text). */
char *td_team_page_dup_card_text (TdTeamPage *self);
/* What Print (team.print-card) opens the print dialog with: a printer, an
 * output file… (nullable: GTK's defaults). For tests, which pick GTK's
 * "Print to File" printer and a PDF to write. */
void td_team_page_set_print_settings (TdTeamPage *self, GtkPrintSettings *settings);
/* Whether a print of the card is under way (its dialog open, or printing). */
gboolean td_team_page_is_printing (TdTeamPage *self);

G_END_DECLS
