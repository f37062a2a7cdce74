/* td-connect-view.c — first run: sign in to a server, or try the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-connect-view.h"

struct _TdConnectView
{
  GtkWidget parent_instance;

  AdwEntryRow *url_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  GtkLabel    *error_label;
  GtkButton   *connect_button;
  GtkStack    *connect_stack;
  GtkButton   *demo_button;

  TdSession    *session;
  TdDemoServer *demo;
  GCancellable *cancellable;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (TdConnectView, td_connect_view, GTK_TYPE_WIDGET)

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
form_complete (TdConnectView *self)
{
  return *row_text (self->url_row) != '\0' && *row_text (self->user_row) != '\0'
         && *row_text (self->password_row) != '\0';
}

static void
set_busy (TdConnectView *self, gboolean busy)
{
  self->busy = busy;
  gtk_stack_set_visible_child_name (self->connect_stack, busy ? "spinner" : "label");
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy && form_complete (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_button), !busy);
  /* The rows stay editable: making a focused entry insensitive loses its
   * focus-out, and nothing typed meanwhile changes the attempt under way. */
}

static void
show_error (TdConnectView *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
connect_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TdConnectView) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!td_session_connect_finish (TD_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      /* The field to fix gets the focus and the error style. */
      if (g_error_matches (error, TD_SESSION_ERROR, TD_SESSION_ERROR_WRONG_PASSWORD))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
        }
      else if (!g_error_matches (error, TD_SESSION_ERROR, TD_SESSION_ERROR_CACHE))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
        }
      return;
    }
  /* Signed in: the password is not kept anywhere, not even in the form. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  set_busy (self, FALSE);
  show_error (self, NULL);
}

static void
start_connect (TdConnectView *self, const char *url, const char *user, const char *password)
{
  g_return_if_fail (self->session != NULL);

  show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  td_session_connect_async (self->session, url, user, password, self->cancellable, connect_done,
                            g_object_ref (self));
}

static void
on_connect_clicked (TdConnectView *self)
{
  if (self->busy || !form_complete (self))
    return;
  start_connect (self, row_text (self->url_row), row_text (self->user_row),
                 row_text (self->password_row));
}

static void
on_entry_activated (TdConnectView *self)
{
  on_connect_clicked (self);
}

static void
on_entry_changed (TdConnectView *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !self->busy && form_complete (self));
}

static void
demo_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TdConnectView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = td_demo_server_start_finish (TD_DEMO_SERVER (source), result, &error);

  if (url == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), TD_DEMO_USER);
  start_connect (self, url, TD_DEMO_USER, TD_DEMO_PASSWORD);
}

static void
on_demo_clicked (TdConnectView *self)
{
  g_return_if_fail (self->demo != NULL);
  if (self->busy)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  td_demo_server_start_async (self->demo, NULL, demo_started, g_object_ref (self));
}

void
td_connect_view_set_session (TdConnectView *self, TdSession *session, TdDemoServer *demo)
{
  g_return_if_fail (TD_IS_CONNECT_VIEW (self));
  g_set_object (&self->session, session);
  g_set_object (&self->demo, demo);
}

void
td_connect_view_sign_in (TdConnectView *self,
                         const char    *url,
                         const char    *user,
                         const char    *password)
{
  g_return_if_fail (TD_IS_CONNECT_VIEW (self));
  td_connect_view_set_server (self, url, user);
  start_connect (self, url, user, password);
}

void
td_connect_view_set_server (TdConnectView *self, const char *url, const char *user)
{
  g_return_if_fail (TD_IS_CONNECT_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user != NULL ? user : "");
}

static void
td_connect_view_dispose (GObject *object)
{
  TdConnectView *self = (TdConnectView *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->demo);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_CONNECT_VIEW);
  /* The template's top child is not bound, so it is unparented here. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  G_OBJECT_CLASS (td_connect_view_parent_class)->dispose (object);
}

static void
td_connect_view_class_init (TdConnectViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_connect_view_dispose;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-connect-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TdConnectView, url_row);
  gtk_widget_class_bind_template_child (widget_class, TdConnectView, user_row);
  gtk_widget_class_bind_template_child (widget_class, TdConnectView, password_row);
  gtk_widget_class_bind_template_child (widget_class, TdConnectView, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdConnectView, connect_button);
  gtk_widget_class_bind_template_child (widget_class, TdConnectView, connect_stack);
  gtk_widget_class_bind_template_child (widget_class, TdConnectView, demo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_demo_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
td_connect_view_init (TdConnectView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
