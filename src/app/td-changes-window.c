/* td-changes-window.c — the production changes behind the Change Success Rate
 *
 * What is planned, soonest first, then what was performed, latest first,
 * each with its kind, tier, implementer, time and outcome, so an
 * engineering manager sees at a glance what went out and what went wrong
 * [10.1]. A row opens the change to give it its outcome; Record Change
 * adds one. The list follows the cache: a change synced from another
 * desktop appears without reopening the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-change-dialog.h"
#include "td-change-row.h"
#include "td-change.h"
#include "td-changes-window.h"
#include "td-time.h"

#define RELOAD_DELAY_MS 300

struct _TdChangesWindow
{
  AdwWindow parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  AdwPreferencesGroup *planned_group;
  AdwPreferencesGroup *performed_group;
  GtkListBox          *planned_list;
  GtkListBox          *performed_list;

  TdSession *session;
  gulong     rows_changed_id;
  guint      reload_id;
};

G_DEFINE_FINAL_TYPE (TdChangesWindow, td_changes_window, ADW_TYPE_WINDOW)

static void
toast (TdChangesWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
on_dialog_saved (TdChangesWindow *self, const char *message)
{
  toast (self, message);
}

static void
open_change (TdChangesWindow *self, const char *uuid)
{
  TdChangeDialog *dialog = td_change_dialog_new (GTK_WINDOW (self), self->session, uuid, NULL);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_dialog_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, TdChangesWindow *self)
{
  const char *uuid = td_change_row_get_uuid (row);

  if (uuid != NULL)
    open_change (self, uuid);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static int
compare_planned (gconstpointer a, gconstpointer b)
{
  gint64 left = td_cache_row_int (*(JsonObject **) a, "planned_for");
  gint64 right = td_cache_row_int (*(JsonObject **) b, "planned_for");

  return left < right ? -1 : left > right;
}

static int
compare_performed (gconstpointer a, gconstpointer b)
{
  gint64 left = td_cache_row_int (*(JsonObject **) a, "performed_at");
  gint64 right = td_cache_row_int (*(JsonObject **) b, "performed_at");

  return left > right ? -1 : left < right;
}

static void
reload (TdChangesWindow *self)
{
  TdCache *cache = td_session_get_cache (self->session);
  g_autoptr (GPtrArray) rows = td_cache_list (cache, "change_record", NULL, NULL, "created_at");
  g_autoptr (GPtrArray) people = td_cache_list (cache, "person", NULL, NULL, "name");
  g_autoptr (GPtrArray) planned = g_ptr_array_new ();
  g_autoptr (GPtrArray) performed = g_ptr_array_new ();
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *subtitle = NULL;
  guint            failed = 0;

  for (guint i = 0; i < people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (people, i);
      if (td_cache_row_text (person, "uuid") != NULL && td_cache_row_text (person, "name") != NULL)
        g_hash_table_insert (names, (gpointer) td_cache_row_text (person, "uuid"),
                             (gpointer) td_cache_row_text (person, "name"));
    }
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject    *change = g_ptr_array_index (rows, i);
      TdChangeStatus status = TD_CHANGE_PLANNED;

      td_change_status_from_string (td_cache_row_text (change, "status"), &status);
      if (status == TD_CHANGE_PLANNED)
        g_ptr_array_add (planned, change);
      else
        {
          g_ptr_array_add (performed, change);
          failed += status != TD_CHANGE_SUCCEEDED;
        }
    }
  g_ptr_array_sort (planned, compare_planned);
  g_ptr_array_sort (performed, compare_performed);

  clear_list (self->planned_list);
  clear_list (self->performed_list);
  for (guint i = 0; i < planned->len; i++)
    gtk_list_box_append (self->planned_list,
                         td_change_row_new (self->session, planned->pdata[i], names));
  for (guint i = 0; i < performed->len; i++)
    gtk_list_box_append (self->performed_list,
                         td_change_row_new (self->session, performed->pdata[i], names));
  gtk_widget_set_visible (GTK_WIDGET (self->planned_group), planned->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->performed_group), performed->len > 0);
  gtk_stack_set_visible_child_name (self->stack, rows->len > 0 ? "changes" : "empty");

  /* TRANSLATORS: "2 planned · 41 performed, 2 failed or rolled back" */
  subtitle = g_strdup_printf (_ ("%u planned · %u performed, %u failed or rolled back"),
                              planned->len, performed->len, failed);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static gboolean
reload_timeout (gpointer data)
{
  TdChangesWindow *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_rows_changed (TdChangesWindow *self, const char *entity, GStrv ids)
{
  if (g_strcmp0 (entity, "change_record") != 0 && g_strcmp0 (entity, "person") != 0)
    return;
  /* A pull brings rows in pages: read once they have settled. */
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout, self);
}

static void
record_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_change (TD_CHANGES_WINDOW (widget), NULL);
}

/* GObject */

static void
td_changes_window_dispose (GObject *object)
{
  TdChangesWindow *self = TD_CHANGES_WINDOW (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->rows_changed_id != 0 && self->session != NULL
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_changes_window_parent_class)->dispose (object);
}

static void
td_changes_window_class_init (TdChangesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_changes_window_dispose;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-changes-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdChangesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdChangesWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdChangesWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TdChangesWindow, planned_group);
  gtk_widget_class_bind_template_child (widget_class, TdChangesWindow, performed_group);
  gtk_widget_class_bind_template_child (widget_class, TdChangesWindow, planned_list);
  gtk_widget_class_bind_template_child (widget_class, TdChangesWindow, performed_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "changes.record", NULL, record_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "changes.record",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_changes_window_init (TdChangesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TdChangesWindow *
td_changes_window_new (GtkWindow *parent, TdSession *session)
{
  TdChangesWindow *self;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  self = g_object_new (TD_TYPE_CHANGES_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "changes.record",
                                 td_session_may (session, "change.write", 0));
  if (td_session_get_engine (session) != NULL)
    self->rows_changed_id
        = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                   G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  reload (self);
  return self;
}
