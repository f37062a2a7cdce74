/* td-save-text.c — "Save As" for an export held in memory: CSV, iCalendar, Markdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-save-text.h"
#include "td-window.h"

typedef struct
{
  GtkWidget *from;
  char      *text;
} Save;

static void
on_response (GtkNativeDialog *chooser, int response, Save *save)
{
  GtkRoot *root = gtk_widget_get_root (save->from);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *done = g_strdup_printf (_ ("Saved “%s”"), name);

      g_file_replace_contents (file, save->text, strlen (save->text), NULL, FALSE,
                               G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error);
      if (TD_IS_WINDOW (root))
        td_window_add_toast (TD_WINDOW (root), error != NULL ? error->message : done);
    }
  g_object_unref (save->from);
  g_free (save->text);
  g_free (save);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
td_save_text (GtkWidget  *from,
              const char *title,
              const char *file_name,
              const char *filter_name,
              const char *mime_type,
              const char *pattern,
              char       *text)
{
  GtkRoot *root = gtk_widget_get_root (from);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  Save                 *save = g_new0 (Save, 1);

  /* GtkFileDialog is GTK 4.10; this goes through the portal under Flatpak. */
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  save->from = g_object_ref (from);
  save->text = text;
  g_signal_connect (chooser, "response", G_CALLBACK (on_response), save);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
