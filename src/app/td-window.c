/* td-window.c — the main window: the pages, the header, and signing in
 *
 * The Queue page shows the connect form until a session runs; the other
 * pages read the policy, which is local, so they work before signing in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-connect-view.h"
#include "td-escalation-page.h"
#include "td-knowledge-page.h"
#include "td-changes-window.h"
#include "td-handoff-window.h"
#include "td-metrics-page.h"
#include "td-queue-page.h"
#include "td-sync-indicator.h"
#include "td-team-page.h"
#include "td-ticket-editor.h"
#include "td-ticket-view.h"
#include "td-time.h"
#include "td-window.h"

struct _TdWindow
{
  AdwApplicationWindow parent_instance;

  GtkStack             *content_stack;
  TdEscalationPage     *escalation_page;
  AdwStatusPage        *error_page;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *queue_stack;
  TdConnectView        *connect_view;
  TdQueuePage          *queue_page;
  TdOncallPage         *oncall_page;
  TdTrainingPage       *training_page;
  TdTeamPage           *team_page;
  TdKnowledgePage      *knowledge_page;
  TdMetricsPage        *metrics_page;
  TdSyncIndicator      *sync_indicator;

  GSettings *settings;
  TdSession *session;
  guint      clock;
};

G_DEFINE_FINAL_TYPE (TdWindow, td_window, ADW_TYPE_APPLICATION_WINDOW)

static void
td_window_show_policy (TdWindow *self, TdPolicy *policy)
{
  td_escalation_page_set_policy (self->escalation_page, policy);
  gtk_stack_set_visible_child_name (self->content_stack, "main");
}

void
td_window_add_toast (TdWindow *self, const char *message)
{
  g_return_if_fail (TD_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* SLA countdowns run on the server's clock: a desktop whose clock is off
 * still shows the right time left. */
static gint64
server_now (TdWindow *self)
{
  TdSyncEngine *engine = self->session != NULL ? td_session_get_engine (self->session) : NULL;

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

static gboolean
on_clock (gpointer user_data)
{
  TdWindow      *self = user_data;
  TdApplication *app = TD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  gint64         now = server_now (self);

  td_queue_page_tick (self->queue_page, now);
  td_escalation_page_tick (self->escalation_page, now);
  td_oncall_page_tick (self->oncall_page, now);
  td_training_page_tick (self->training_page, now);
  if (app != NULL && td_application_get_notifier (app) != NULL)
    td_notifier_check (td_application_get_notifier (app), now);
  return G_SOURCE_CONTINUE;
}

/* A handoff window writes as the session's account: not after it ends. */
static void
close_handoff_windows (TdWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (TD_IS_HANDOFF_WINDOW (window)
          && gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        gtk_window_destroy (window);
    }
}

static void
on_session_changed (TdWindow *self)
{
  gboolean connected = self->session != NULL && td_session_is_connected (self->session);

  td_sync_indicator_set_engine (self->sync_indicator,
                                connected ? td_session_get_engine (self->session) : NULL);
  td_queue_page_set_session (self->queue_page, connected ? self->session : NULL);
  td_escalation_page_set_session (self->escalation_page, connected ? self->session : NULL);
  td_oncall_page_set_session (self->oncall_page, connected ? self->session : NULL);
  td_training_page_set_session (self->training_page, connected ? self->session : NULL);
  td_team_page_set_session (self->team_page, connected ? self->session : NULL);
  td_knowledge_page_set_session (self->knowledge_page, connected ? self->session : NULL);
  td_metrics_page_set_session (self->metrics_page, connected ? self->session : NULL);
  gtk_stack_set_visible_child_name (self->queue_stack, connected ? "queue" : "connect");
  /* Offered only to a role that may log tickets: a trainer or a vendor
   * contact would be refused by the server. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-ticket",
                                 connected && td_session_may (self->session, "ticket.create", 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-ticket", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-escalation", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.log-out", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.shift-handoff", connected);
  if (!connected)
    close_handoff_windows (self);
  if (connected)
    {
      /* Next start signs in by itself, with the token from the keyring. */
      g_settings_set_string (self->settings, "server-url", td_session_get_url (self->session));
      g_settings_set_string (self->settings, "user", td_session_get_user (self->session));
      on_clock (self);
    }
  else
    {
      g_autofree char *url = g_settings_get_string (self->settings, "server-url");
      g_autofree char *user = g_settings_get_string (self->settings, "user");

      td_connect_view_set_server (self->connect_view, url, user);
    }
}

static void
on_person_changed (TdWindow *self)
{
  td_queue_page_set_session (self->queue_page,
                             td_session_is_connected (self->session) ? self->session : NULL);
  td_oncall_page_set_session (self->oncall_page,
                              td_session_is_connected (self->session) ? self->session : NULL);
  td_training_page_set_session (self->training_page,
                                td_session_is_connected (self->session) ? self->session : NULL);
  td_team_page_set_session (self->team_page,
                            td_session_is_connected (self->session) ? self->session : NULL);
}

static void
on_page_changed (TdWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  if (page != NULL && self->settings != NULL)
    g_settings_set_string (self->settings, "last-page", page);
}

static void
on_ticket_activated (TdWindow *self, const char *uuid)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-ticket", "s", uuid);
}

/* Actions */

static void
log_out_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  if (self->session != NULL)
    td_session_log_out (self->session);
}

static void
on_ticket_created (TdWindow *self, const char *uuid)
{
  TdSyncEngine *engine = td_session_get_engine (self->session);

  td_window_add_toast (self, td_sync_engine_get_state (engine) == TD_SYNC_STATE_OFFLINE
                                 ? _ ("Ticket saved on this computer; it will be sent when the "
                                      "server can be reached")
                                 : _ ("Ticket created"));
}

static void
new_ticket_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow       *self = TD_WINDOW (widget);
  TdTicketEditor *editor;

  if (self->session == NULL || !td_session_is_connected (self->session))
    return;
  editor = td_ticket_editor_new (GTK_WINDOW (self), self->session);
  g_signal_connect_object (editor, "created", G_CALLBACK (on_ticket_created), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_ticket_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow     *self = TD_WINDOW (widget);
  TdTicketView *view;

  if (self->session == NULL || !td_session_is_connected (self->session))
    return;
  view = td_ticket_view_new (GTK_WINDOW (self), self->session,
                             g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (view));
}

/* From the queue or a ticket's window: the ticket's path on the chart. */
static void
show_escalation_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow   *self = TD_WINDOW (widget);
  const char *uuid = g_variant_get_string (parameter, NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "escalation");
  if (!td_escalation_page_show_ticket (self->escalation_page, uuid))
    td_window_add_toast (self, _ ("This ticket is not in this computer’s copy of the queue"));
}

static void
sync_now_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  if (self->session != NULL && td_session_get_engine (self->session) != NULL)
    td_sync_engine_sync_now (td_session_get_engine (self->session));
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "queue");
  td_queue_page_focus_search (self->queue_page);
}

static void
shift_handoff_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow        *self = TD_WINDOW (widget);
  TdHandoffWindow *window;

  if (self->session == NULL || !td_session_is_connected (self->session))
    return;
  window = td_handoff_window_new (GTK_WINDOW (self), self->session);
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_changes_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow        *self = TD_WINDOW (widget);
  TdChangesWindow *window;

  if (self->session == NULL || !td_session_is_connected (self->session))
    return;
  window = td_changes_window_new (GTK_WINDOW (self), self->session);
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_page_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdWindow   *self = TD_WINDOW (widget);
  const char *page = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, page) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, page);
}

/* GObject */

static void
td_window_dispose (GObject *object)
{
  TdWindow *self = (TdWindow *) object;

  g_clear_handle_id (&self->clock, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (td_window_parent_class)->dispose (object);
}

static void
td_window_class_init (TdWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_window_dispose;

  g_type_ensure (TD_TYPE_CONNECT_VIEW);
  g_type_ensure (TD_TYPE_ESCALATION_PAGE);
  g_type_ensure (TD_TYPE_QUEUE_PAGE);
  g_type_ensure (TD_TYPE_ONCALL_PAGE);
  g_type_ensure (TD_TYPE_TRAINING_PAGE);
  g_type_ensure (TD_TYPE_TEAM_PAGE);
  g_type_ensure (TD_TYPE_KNOWLEDGE_PAGE);
  g_type_ensure (TD_TYPE_METRICS_PAGE);
  g_type_ensure (TD_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tierdesk/Tierdesk/ui/td-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, escalation_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, queue_stack);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, connect_view);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, oncall_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, training_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, team_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, knowledge_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, metrics_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, sync_indicator);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_ticket_activated);

  gtk_widget_class_install_action (widget_class, "win.new-ticket", NULL, new_ticket_action);
  gtk_widget_class_install_action (widget_class, "win.open-ticket", "s", open_ticket_action);
  gtk_widget_class_install_action (widget_class, "win.show-escalation", "s",
                                   show_escalation_action);
  gtk_widget_class_install_action (widget_class, "win.log-out", NULL, log_out_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-ticket",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.shift-handoff", NULL, shift_handoff_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.shift-handoff", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-changes", NULL, show_changes_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-changes", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync-now",
                                       NULL);
  {
    static const char *const pages[]
        = { "queue", "escalation", "on-call", "training", "team", "knowledge", "metrics" };

    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                           "win.show-page", "s", pages[i]);
  }
}

static void
td_window_init (TdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Window size is remembered the GNOME way: bound to GSettings. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  self->clock = g_timeout_add_seconds (60, on_clock, self);
}

TdWindow *
td_window_new (TdApplication *application)
{
  TdWindow        *self;
  TdPolicy        *policy;
  g_autofree char *last_page = NULL;

  g_return_val_if_fail (TD_IS_APPLICATION (application), NULL);

  self = g_object_new (TD_TYPE_WINDOW, "application", application, NULL);

  /* A broken policy file is shown with every reason, never a blank window. */
  policy = td_application_get_policy (application);
  if (policy != NULL)
    td_window_show_policy (self, policy);
  else if (td_application_get_policy_error (application) != NULL)
    {
      const GError    *error = td_application_get_policy_error (application);
      g_autofree char *markup = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, markup);
    }

  self->session = td_application_get_session (application);
  if (self->session != NULL)
    {
      g_object_ref (self->session);
      td_connect_view_set_session (self->connect_view, self->session,
                                   td_application_get_demo_server (application));
      g_signal_connect_object (self->session, "notify::connected", G_CALLBACK (on_session_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::person", G_CALLBACK (on_person_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::role", G_CALLBACK (on_session_changed), self,
                               G_CONNECT_SWAPPED);
    }
  on_session_changed (self);

  last_page = g_settings_get_string (self->settings, "last-page");
  if (adw_view_stack_get_child_by_name (self->view_stack, last_page) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, last_page);
  return self;
}

TdConnectView *
td_window_get_connect_view (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);
  return self->connect_view;
}

TdOncallPage *
td_window_get_oncall_page (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);
  return self->oncall_page;
}

TdTrainingPage *
td_window_get_training_page (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);
  return self->training_page;
}

TdKnowledgePage *
td_window_get_knowledge_page (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);
  return self->knowledge_page;
}

TdMetricsPage *
td_window_get_metrics_page (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);
  return self->metrics_page;
}

TdQueuePage *
td_window_get_queue_page (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);
  return self->queue_page;
}

TdEscalationPage *
td_window_get_escalation_page (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);
  return self->escalation_page;
}
