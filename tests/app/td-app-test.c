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
