/* test-window.c — the app opens a window titled Tierdesk that shows the loaded support model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "td-app-test.h"
#include "td-application.h"

/* Spins the main loop until @done says so, for at most five seconds. */
static gboolean
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return done (data);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
stop_app (TdApplication *app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  while (windows != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (windows->data));
      windows = gtk_application_get_windows (GTK_APPLICATION (app));
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
}

static void
test_window_shows_model (void)
{
  TdApplication   *app = td_app_test_start_app ();
  GtkWindow       *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *text = NULL;

  g_assert_nonnull (window);
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Tierdesk");
  g_assert_true (wait_for (is_mapped, window));
  g_assert_nonnull (td_application_get_policy (app));

  text = td_app_test_widget_text (GTK_WIDGET (window));
  g_test_message ("window text:\n%s", text);
  g_assert_nonnull (strstr (text, "Tierdesk\n"));
  g_assert_nonnull (strstr (text, "LMS-PHASE30-SUPPORT-001 · version 1.0"));
  g_assert_nonnull (strstr (text, "Tier 1 – Service Desk"));
  g_assert_nonnull (strstr (text, "Tier 4 – Executive / Vendor"));
  g_assert_nonnull (strstr (text, "< 15 minutes · Around the clock (24/7)"));
  g_assert_nonnull (strstr (text, "Balance discrepancy"));
  g_assert_nonnull (strstr (text, "4 hours · Business hours (London) · escalate if: Data "
                                  "corruption suspected"));
  g_assert_nonnull (strstr (text, "Response 15 min · Resolution 4 hours · Updates Every 30 min"));
  g_assert_nonnull (strstr (text, "Tier 3 (SEV-1)"));

  stop_app (app);
}

static gboolean
has_about_window (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

static void
test_about_action (void)
{
  TdApplication *app = td_app_test_start_app ();

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (wait_for (has_about_window, NULL));

  /* The quit shortcut is where GNOME users expect it. */
  {
    g_auto (GStrv) accels
        = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
    g_assert_cmpstr (accels[0], ==, "<Control>q");
  }

  stop_app (app);
}

static void
test_broken_policy_explained (void)
{
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *original = g_strdup (g_getenv ("TD_POLICY_FILE"));
  g_autoptr (GError) error = NULL;
  TdApplication *app;
  GtkWindow     *window;
  int            fd;

  fd = g_file_open_tmp ("td-broken-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, "{ \"schema_version\": 2 }", -1, &error);
  g_assert_no_error (error);
  g_setenv ("TD_POLICY_FILE", path, TRUE);

  app = td_app_test_start_app ();
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (wait_for (is_mapped, window));
  g_assert_null (td_application_get_policy (app));

  text = td_app_test_widget_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "The Support Model Could Not Be Loaded"));
  g_assert_nonnull (strstr (text, "$.schema_version: unsupported schema version 2 "
                                  "(this program reads version 1)"));

  stop_app (app);
  g_setenv ("TD_POLICY_FILE", original, TRUE);
  g_unlink (path);
}

/* Each test gets a process of its own: one GApplication per process is
 * what D-Bus and GTK expect. */
#define ISOLATED(name, func)                                                              \
  static void name (void)                                                                 \
  {                                                                                       \
    if (g_test_subprocess ())                                                             \
      {                                                                                   \
        func ();                                                                          \
        return;                                                                           \
      }                                                                                   \
    g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR); \
    g_test_trap_assert_passed ();                                                         \
  }

ISOLATED (isolated_window_shows_model, test_window_shows_model)
ISOLATED (isolated_about_action, test_about_action)
ISOLATED (isolated_broken_policy_explained, test_broken_policy_explained)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* A GUI test that cannot open a window has not passed: say so and fail. */
  if (!gtk_init_check ())
    {
      g_printerr ("test-window needs a display: run it under xvfb-run (./run test does)\n");
      return 1;
    }

  g_test_add_func ("/app/window/shows-model", isolated_window_shows_model);
  g_test_add_func ("/app/window/about", isolated_about_action);
  g_test_add_func ("/app/window/broken-policy", isolated_broken_policy_explained);

  return g_test_run ();
}
