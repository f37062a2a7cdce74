/* td-app-test.c — what every GUI test does: wait, read the screen, take a picture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include <string.h>

#include "td-app-test.h"
#include "td-test-util.h"

void
td_app_test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static void
collect_text (GtkWidget *widget, GString *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)))
    g_string_append_printf (text, "%s\n", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

char *
td_app_test_widget_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

void
td_app_test_screenshot (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("TD_SCREENSHOTS");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int              width, height;

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (window);
  /* A window that has just changed may not have drawn a frame yet. */
  for (guint attempt = 0; node == NULL && attempt < 10; attempt++)
    {
      td_app_test_spin (300);
      width = gtk_widget_get_width (window);
      height = gtk_widget_get_height (window);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  if (node == NULL)
    {
      g_test_message ("no frame to save as %s.png", name);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* Light and dark runs into one folder keep both. */
  path = g_strdup_printf ("%s/%s%s.png", dir, name,
                          adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "-dark"
                                                                                        : "");
  gdk_texture_save_to_png (texture, path);
}

char *
td_app_test_isolate (GSubprocess **bus)
{
  g_autoptr (GError) error = NULL;
  char *home = g_dir_make_tmp ("td-app-test-XXXXXX", &error);

  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  /* The private bus has no accessibility bus to offer. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  *bus = td_test_private_bus_start (home);
  return home;
}

GtkPrintSettings *
td_app_test_print_to_file (const char *path)
{
  GtkPrintSettings *settings = gtk_print_settings_new ();
  g_autofree char  *uri = g_filename_to_uri (path, NULL, NULL);

  g_assert_nonnull (uri);
  /* Only the file backend: no CUPS server is asked. GTK 4 reads its
   * backends from this setting only (GTK_PRINT_BACKENDS, the environment
   * variable of GTK 2 and 3, is not read any more); it is read when the
   * first print operation starts its backends. */
  g_object_set (gtk_settings_get_default (), "gtk-print-backends", "file", NULL);
  /* The file backend's printer, as GTK names it (the tests run in English). */
  gtk_print_settings_set_printer (settings, "Print to File");
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_URI, uri);
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf");
  return settings;
}

GtkWidget *
td_app_test_find_print_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      /* By name: its header is in gtk4-unix-print, which the app does not need. */
      if (g_str_equal (G_OBJECT_TYPE_NAME (window), "GtkPrintUnixDialog")
          && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

gboolean
td_app_test_print_dialog_chose_file (GtkWidget *dialog)
{
  g_autoptr (GObject) printer = NULL;
  g_autofree char *name = NULL;

  if (dialog == NULL)
    return FALSE;
  /* The printer list arrives after the dialog opens; the dialog then
   * selects the printer the settings name. */
  g_object_get (dialog, "selected-printer", &printer, NULL);
  if (printer == NULL)
    return FALSE;
  g_object_get (printer, "name", &name, NULL);
  return g_strcmp0 (name, "Print to File") == 0;
}

char *
td_app_test_pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", path, "-", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *text = NULL;
  gsize            length = 0;
  int              exit_status;

  if (!g_file_get_contents (path, &head, &length, NULL) || length < 5
      || !g_str_has_prefix (head, "%PDF-"))
    return NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &text, NULL, &exit_status, &error))
    g_error ("pdftotext (package poppler-utils) could not run: %s", error->message);
  /* A PDF still being written has no trailer yet: pdftotext fails on it. */
  if (!g_spawn_check_wait_status (exit_status, NULL))
    return NULL;
  return g_steal_pointer (&text);
}

char *
td_app_test_squeeze (const char *text)
{
  g_autoptr (GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *squeezed = g_regex_replace_literal (spaces, text, -1, 0, " ", 0, NULL);

  return g_strdup (g_strstrip (squeezed));
}

TdApplication *
td_app_test_start_app (void)
{
  g_autoptr (GError) error = NULL;
  TdApplication *app = td_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  return app;
}

gboolean
td_app_test_tolerate_notifications (const char    *domain,
                                    GLogLevelFlags level,
                                    const char    *message,
                                    gpointer       user_data)
{
  return !(g_strcmp0 (domain, "GLib-GIO") == 0
           && strstr (message, "unable to send notifications") != NULL);
}

GtkWidget *
td_app_test_find_named (GtkWidget *root, const char *name)
{
  if (root == NULL)
    return NULL;
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = td_app_test_find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
td_app_test_find_toplevel (GType type, const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window)
          && (title == NULL || g_strcmp0 (gtk_window_get_title (GTK_WINDOW (window)), title) == 0))
        return window;
    }
  return NULL;
}

GtkWidget *
td_app_test_find_row (GtkWidget *root, const char *title)
{
  if (root == NULL)
    return NULL;
  if (ADW_IS_PREFERENCES_ROW (root)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = td_app_test_find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
td_app_test_select (GtkWidget *widget, const char *text)
{
  GListModel *model;
  g_autoptr (GString) offered = g_string_new (NULL);

  g_assert_true (ADW_IS_COMBO_ROW (widget) || GTK_IS_DROP_DOWN (widget));
  model = ADW_IS_COMBO_ROW (widget) ? adw_combo_row_get_model (ADW_COMBO_ROW (widget))
                                    : gtk_drop_down_get_model (GTK_DROP_DOWN (widget));
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);
      const char *string = gtk_string_object_get_string (item);

      if (g_str_equal (string, text))
        {
          if (ADW_IS_COMBO_ROW (widget))
            adw_combo_row_set_selected (ADW_COMBO_ROW (widget), i);
          else
            gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), i);
          return;
        }
      g_string_append_printf (offered, "\n  %s", string);
    }
  g_error ("%s does not offer \"%s\"; it offers:%s", gtk_widget_get_name (widget), text,
           offered->str);
}

gboolean
td_app_test_wait (TdAppTestDone done, gpointer fixture, gconstpointer data, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (fixture, data) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return done (fixture, data);
}

void
td_app_test_close (TdApplication **app, TdTestServer **server, GSubprocess **bus)
{
  TdSession *session = td_application_get_session (*app);
  GList     *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (*app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  if (session != NULL)
    td_session_close (session);
  td_app_test_spin (50);
  g_clear_object (app);
  g_clear_pointer (server, td_test_server_free);
  g_subprocess_force_exit (*bus);
  g_clear_object (bus);
}
