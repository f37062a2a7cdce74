/* td-pir-window.h — one post-incident review: participants, timeline, root
 * cause, contributing factors, actions and status; export to Markdown and PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

typedef enum
{
  TD_PIR_EXPORT_MARKDOWN,
  TD_PIR_EXPORT_PDF,
} TdPirExportFormat;

#define TD_TYPE_PIR_WINDOW (td_pir_window_get_type ())
G_DECLARE_FINAL_TYPE (TdPirWindow, td_pir_window, TD, PIR_WINDOW, AdwWindow)

/* The review of @ticket; NULL if it has none (yet) in the cache. */
TdPirWindow *td_pir_window_new (GtkWindow *parent, TdSession *session, const char *ticket);
const char  *td_pir_window_get_uuid (TdPirWindow *self);
/* Writes the review as shown (unsaved edits included) to @file. */
gboolean td_pir_window_export (TdPirWindow      *self,
                               GFile            *file,
                               TdPirExportFormat format,
                               GError          **error);

G_END_DECLS
