/* test-i18n.c — with LANGUAGE=de the window speaks German, from the catalogue meson built
 *
 * The test binds the text domain the way main.c does (td_application_setup_i18n),
 * with $TD_LOCALEDIR pointing at build/po, where i18n.gettext puts
 * de/LC_MESSAGES/tierdesk.mo. LANGUAGE picks German; gettext ignores
 * LANGUAGE in the "C" locale, so LC_ALL is C.UTF-8, which every Debian has.
 *
 * With TD_SCREENSHOTS=DIR the German window is saved as DIR/i18n-*.png, to
 * look for text that no longer fits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

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
assert_shows (const char *text, const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("the German window does not show “%s”; it shows:\n%s", expected, text);
}

static void
test_catalogue (void)
{
  /* The catalogue is found, and its plural forms are German's two. */
  g_assert_cmpstr (_ ("Queue"), ==, "Warteschlange");
  g_assert_cmpstr (
      g_dngettext (GETTEXT_PACKAGE, "Last synced %d minute ago", "Last synced %d minutes ago", 1),
      ==, "Vor %d Minute abgeglichen");
  g_assert_cmpstr (
      g_dngettext (GETTEXT_PACKAGE, "Last synced %d minute ago", "Last synced %d minutes ago", 5),
      ==, "Vor %d Minuten abgeglichen");
}

static void
test_window_in_german (void)
{
  TdApplication   *app = td_app_test_start_app ();
  GtkWindow       *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *text = NULL;

  g_assert_nonnull (window);
  g_assert_true (wait_for (is_mapped, window));
  text = td_app_test_widget_text (GTK_WIDGET (window));
  g_test_message ("window text:\n%s", text);

  /* The pages, as the view switcher names them. */
  assert_shows (text, "Warteschlange\n");
  assert_shows (text, "Eskalation\n");
  assert_shows (text, "Bereitschaft\n");
  assert_shows (text, "Schulung\n");
  assert_shows (text, "Team\n");
  /* The connect view and its button; the escalation page's policy tables. */
  assert_shows (text, "Mit Tierdesk verbinden\n");
  assert_shows (text, "Mit Demodaten ausprobieren\n");
  assert_shows (text, "SLA-Matrix nach Schweregrad\n");
  assert_shows (text, "Stufe 3 (SEV-1)\n");
  assert_shows (text, "Noch niemand zu schulen\n");
  /* An English word from the template would mean a string was missed. */
  g_assert_null (strstr (text, "Connect to Tierdesk"));
  g_assert_null (strstr (text, "Severity SLA Matrix"));

  td_app_test_screenshot (GTK_WIDGET (window), "i18n-connect");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "escalation");
  td_app_test_screenshot (GTK_WIDGET (window), "i18n-escalation");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "on-call");
  td_app_test_screenshot (GTK_WIDGET (window), "i18n-on-call");

  stop_app (app);
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

ISOLATED (isolated_window_in_german, test_window_in_german)

int
main (int argc, char *argv[])
{
  /* Before anything reads the locale: German messages in a UTF-8 locale. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  if (g_getenv ("TD_LOCALEDIR") == NULL)
    {
      g_printerr ("test-i18n needs TD_LOCALEDIR, the build tree's po/ (meson test sets it)\n");
      return 1;
    }
  td_application_setup_i18n ();
  g_test_init (&argc, &argv, NULL);

  /* A GUI test that cannot open a window has not passed: say so and fail. */
  if (!gtk_init_check ())
    {
      g_printerr ("test-i18n needs a display: run it under xvfb-run (./run test does)\n");
      return 1;
    }

  g_test_add_func ("/app/i18n/catalogue", test_catalogue);
  g_test_add_func ("/app/i18n/window", isolated_window_in_german);

  return g_test_run ();
}
