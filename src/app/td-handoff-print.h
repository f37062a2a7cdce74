/* td-handoff-print.h — the shift handoff report on paper: PDF (cairo) and printing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Writes @blocks (TdHandoffBlock, td_handoff_report_layout ()) to @path as
 * an A4 PDF, page after page. */
gboolean td_handoff_print_write_pdf (GPtrArray *blocks, const char *path, GError **error);

/* Opens the print dialog for @blocks over @parent, set up with @settings
 * (nullable: GTK's defaults). */
gboolean td_handoff_print_run (GPtrArray        *blocks,
                               GtkWindow        *parent,
                               GtkPrintSettings *settings,
                               GError          **error);

/* What Print sends, through the same GtkPrintOperation, written to a PDF
 * at @path without a dialog: for tests and scripts. */
gboolean td_handoff_print_export (GPtrArray *blocks, const char *path, GError **error);

G_END_DECLS
