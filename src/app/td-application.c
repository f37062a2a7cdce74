/* td-application.c — the Tierdesk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-application.h"
#include "td-window.h"

struct _TdApplication
{
  AdwApplication parent_instance;

  TdPolicy *policy;
  GError   *policy_error;
};

G_DEFINE_FINAL_TYPE (TdApplication, td_application, ADW_TYPE_APPLICATION)

static void
td_application_about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  static const char *developers[] = { "The Tierdesk developers", NULL };
  TdApplication     *self = user_data;
  GtkWindow         *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window, "application-name", _ ("Tierdesk"), "application-icon", APP_ID,
                         "developer-name", _ ("The Tierdesk developers"), "version",
                         PACKAGE_VERSION, "comments",
                         _ ("Run a tiered production-support model: the queue and its "
                            "SLA clocks, escalations with complete handoffs, on-call "
                            "rotas and training."),
                         "developers", developers, "copyright", "© 2026 The Tierdesk developers",
                         "license-type", GTK_LICENSE_GPL_3_0, NULL);
}

static void
td_application_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", td_application_about_action },
  { "quit", td_application_quit_action },
};

static void
td_application_activate (GApplication *app)
{
  TdApplication *self = TD_APPLICATION (app);
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (td_window_new (self));
  gtk_window_present (window);
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
    g_message ("Could not load the support model: %s", self->policy_error->message);
}

static void
td_application_finalize (GObject *object)
{
  TdApplication *self = (TdApplication *) object;

  g_clear_object (&self->policy);
  g_clear_error (&self->policy_error);

  G_OBJECT_CLASS (td_application_parent_class)->finalize (object);
}

static void
td_application_class_init (TdApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = td_application_finalize;
  app_class->activate = td_application_activate;
  app_class->startup = td_application_startup;
}

static void
td_application_init (TdApplication *self)
{
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

const GError *
td_application_get_policy_error (TdApplication *self)
{
  g_return_val_if_fail (TD_IS_APPLICATION (self), NULL);
  return self->policy_error;
}
