/* td-handoff-window.h — the shift handoff [8.3]: preview, hand over, acknowledge, export, print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_HANDOFF_WINDOW (td_handoff_window_get_type ())
G_DECLARE_FINAL_TYPE (TdHandoffWindow, td_handoff_window, TD, HANDOFF_WINDOW, AdwWindow)

TdHandoffWindow *td_handoff_window_new (GtkWindow *parent, TdSession *session);

/* The report shown (TdHandoffBlock), as exported and printed. */
GPtrArray *td_handoff_window_get_blocks (TdHandoffWindow *self);
/* The uuid of the stored handoff shown, or NULL for a draft. */
const char *td_handoff_window_get_handoff (TdHandoffWindow *self);
gboolean    td_handoff_window_write_pdf (TdHandoffWindow *self, GFile *file, GError **error);
gboolean    td_handoff_window_write_markdown (TdHandoffWindow *self, GFile *file, GError **error);
/* What Print (handoff.print) opens the print dialog with: a printer, an
 * output file… (nullable: GTK's defaults). For tests, which pick GTK's
 * "Print to File" printer and a PDF to write. */
void td_handoff_window_set_print_settings (TdHandoffWindow *self, GtkPrintSettings *settings);

G_END_DECLS
