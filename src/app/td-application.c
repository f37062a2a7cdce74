/* td-application.c — the Tierdesk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "td-a11y.h"
#include "td-application.h"
#include "td-bench-hooks.h"
#include "td-window.h"

struct _TdApplication
{
  AdwApplication parent_instance;

  TdPolicy     *policy;
  GError       *policy_error;
  TdTokenStore *tokens;
  TdSession    *session;
  TdDemoServer *demo;
  TdNotifier   *notifier;

  /* --server, --user, --password-stdin: sign in without typing. */
  char *option_server;
  char *option_user;
  char *option_password;
};

G_DEFINE_FINAL_TYPE (TdApplication, td_application, ADW_TYPE_APPLICATION)

static void
td_application_about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  static const char *developers[] = { "The Tierdesk developers", NULL };
  TdApplication     *self = user_data;
  GtkWindow         *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (
      window, "application-name", _ ("Tierdesk"), "application-icon", APP_ID, "developer-name",
      _ ("The Tierdesk developers"), "version", PACKAGE_VERSION, "comments",
      _ ("Run a tiered production-support model: the queue and its "
         "SLA clocks, escalations with complete handoffs, on-call "
         "rotas and training."),
      "developers", developers, "copyright", _ ("© 2026 The Tierdesk developers"), "license-type",
      GTK_LICENSE_GPL_3_0, NULL);
}

static void
td_application_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* From a notification: the window comes forward with the ticket open. */
static void
td_application_open_ticket_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (user_data));
      window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
    }
  gtk_window_present (window);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.open-ticket", parameter);
}

static const GActionEntry app_actions[] = {
  { "open-ticket", td_application_open_ticket_action, "s" },
  { "about", td_application_about_action },
  { "quit", td_application_quit_action },
};

static void
resumed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TdWindow) window = user_data;
  g_autoptr (GError) error = NULL;

  if (!td_session_resume_finish (TD_SESSION (source), result, &error) && error != NULL)
    td_window_add_toast (window, error->message);
}

static void
td_application_activate (GApplication *app)
{
  TdApplication *self = TD_APPLICATION (app);
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gboolean       first = window == NULL;

  if (window == NULL)
    {
      window = GTK_WINDOW (td_window_new (self));
      td_bench_hooks_install (TD_WINDOW (window));
    }
  gtk_window_present (window);

  if (!first || self->session == NULL)
    return;
  if (self->option_server != NULL && self->option_user != NULL && self->option_password != NULL)
    {
      td_connect_view_sign_in (td_window_get_connect_view (TD_WINDOW (window)), self->option_server,
                               self->option_user, self->option_password);
      memset (self->option_password, 0, strlen (self->option_password));
      g_clear_pointer (&self->option_password, g_free);
    }
  else
    {
      /* Where the last run left off: the queue from the cache at once, and
       * syncing as soon as the server answers. */
      g_autoptr (GSettings) settings = g_settings_new (APP_ID);
      g_autofree char *url = g_settings_get_string (settings, "server-url");
      g_autofree char *user = g_settings_get_string (settings, "user");
      if (self->option_server != NULL)
        td_connect_view_set_server (td_window_get_connect_view (TD_WINDOW (window)),
                                    self->option_server, self->option_user);
      else
        td_session_resume_async (self->session, url, user, NULL, resumed, g_object_ref (window));
    }
}

static char *
read_password (GError **error)
{
  g_autoptr (GInputStream) input = g_unix_input_stream_new (0, FALSE);
  g_autoptr (GDataInputStream) lines = g_data_input_stream_new (input);

  return g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);
}

static int
td_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  TdApplication *self = TD_APPLICATION (app);
  gboolean       password_stdin = FALSE;

  g_variant_dict_lookup (options, "server", "s", &self->option_server);
  g_variant_dict_lookup (options, "user", "s", &self->option_user);
  g_variant_dict_lookup (options, "password-stdin", "b", &password_stdin);
  if (password_stdin)
    {
      g_autoptr (GError) error = NULL;

      self->option_password = read_password (&error);
      if (self->option_password == NULL)
        {
          g_printerr ("tierdesk: --password-stdin: %s\n",
                      error != NULL ? error->message : _ ("no password on standard input"));
          return 2;
        }
    }
  if ((self->option_server != NULL) != (self->option_user != NULL))
    {
      g_printerr (_ ("tierdesk: --server and --user go together\n"));
      return 2;
    }
  return -1;
}

static void
td_application_startup (GApplication *app)
{
  TdApplication     *self = TD_APPLICATION (app);
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *close_accels[] = { "<primary>w", NULL };

  G_APPLICATION_CLASS (td_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  /* The policy is loaded once: every page reads the same rules. */
  self->policy = td_policy_new_default (&self->policy_error);
  if (self->policy == NULL)
    {
      g_message ("Could not load the support model: %s", self->policy_error->message);
      return;
    }

  {
    g_autofree char *cache_dir = g_build_filename (g_get_user_data_dir (), "tierdesk", NULL);
    g_autofree char *demo_dir = g_build_filename (cache_dir, "demo-server", NULL);

    self->tokens = td_token_store_new ();
    self->session = td_session_new (self->policy, self->tokens, cache_dir);
    self->demo = td_demo_server_new (demo_dir);
    self->notifier = td_notifier_new (G_APPLICATION (self), self->session);
  }
}

/* Every window, the ticket windows and the editor included, gets names for
 * what its template cannot name (td-a11y.c). */
static void
td_application_window_added (GtkApplication *app, GtkWindow *window)
{
  GTK_APPLICATION_CLASS (td_application_parent_class)->window_added (app, window);
  td_a11y_name_internal_buttons (GTK_WIDGET (window));
}

static void
td_application_shutdown (GApplication *app)
{
  TdApplication *self = TD_APPLICATION (app);

  /* Stop syncing before the demo server goes, so nothing waits on it. */
  if (self->session != NULL)
    td_session_close (self->session);
  if (self->demo != NULL)
    td_demo_server_stop (self->demo);
  G_APPLICATION_CLASS (td_application_parent_class)->shutdown (app);
}

static void
td_application_finalize (GObject *object)
{
  TdApplication *self = (TdApplication *) object;

  g_clear_object (&self->notifier);
  g_clear_object (&self->session);
  g_clear_object (&self->demo);
  g_clear_object (&self->tokens);
  g_clear_object (&self->policy);
  g_clear_error (&self->policy_error);
  g_free (self->option_server);
  g_free (self->option_user);
  g_free (self->option_password);

  G_OBJECT_CLASS (td_application_parent_class)->finalize (object);
}

static void
td_application_class_init (TdApplicationClass *klass)
{
  GObjectClass        *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass   *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = td_application_finalize;
  app_class->activate = td_application_activate;
  app_class->startup = td_application_startup;
  app_class->shutdown = td_application_shutdown;
  app_class->handle_local_options = td_application_handle_local_options;
  gtk_app_class->window_added = td_application_window_added;
}

static const GOptionEntry options[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Sign in to this tierdeskd server"), "URL" },
  { "user", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Sign in as this user"), "NAME" },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Read the password from standard input (with --server and --user)"), NULL },
  { NULL },
};

static void
td_application_init (TdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/**
 * td_application_setup_i18n:
 *
 * Sets the locale and binds the "tierdesk" text domain, before any string is
 * translated. $TD_LOCALEDIR replaces the installed locale directory, so the
 * tests and `./run` find the catalogues meson builds in build/po/.
 */
void
td_application_setup_i18n (void)
{
  const char *localedir = g_getenv ("TD_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

TdApplication *
td_application_new (void)
{
  return g_object_new (TD_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path",
                       "/io/github/tierdesk/Tierdesk", NULL);
}

TdPolicy *
td_application_get_policy (TdApplication *self)
{
  g_return_val_if_fail (TD_IS_APPLICATION (self), NULL);
  return self->policy;
}

TdSession *
td_application_get_session (TdApplication *self)
{
  g_return_val_if_fail (TD_IS_APPLICATION (self), NULL);
  return self->session;
}

TdNotifier *
td_application_get_notifier (TdApplication *self)
{
  g_return_val_if_fail (TD_IS_APPLICATION (self), NULL);
  return self->notifier;
}

TdTokenStore *
td_application_get_token_store (TdApplication *self)
{
  g_return_val_if_fail (TD_IS_APPLICATION (self), NULL);
  return self->tokens;
}

TdDemoServer *
td_application_get_demo_server (TdApplication *self)
{
  g_return_val_if_fail (TD_IS_APPLICATION (self), NULL);
  return self->demo;
}

const GError *
td_application_get_policy_error (TdApplication *self)
{
  g_return_val_if_fail (TD_IS_APPLICATION (self), NULL);
  return self->policy_error;
}
