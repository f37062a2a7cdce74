/* td-save-text.h — "Save As" for an export held in memory: CSV, iCalendar, Markdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Asks where to save @text (transfer full) with a file chooser over
 * @from's window, writes it, and says how it went in a toast on the
 * window. @mime_type and @pattern describe the one file filter. */
void td_save_text (GtkWidget  *from,
                   const char *title,
                   const char *file_name,
                   const char *filter_name,
                   const char *mime_type,
                   const char *pattern,
                   char       *text);

G_END_DECLS
