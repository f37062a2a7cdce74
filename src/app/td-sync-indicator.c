/* td-sync-indicator.c — the header's sync status, and what needs attention
 *
 * The button always says where this desktop stands (offline, syncing, up to
 * date, how many changes wait); its popover lists the conflicts and refused
 * changes, each with the decision the user can take on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-sync-indicator.h"
#include "td-time.h"

struct _TdSyncIndicator
{
  GtkWidget parent_instance;

  GtkMenuButton *button;
  GtkImage      *icon;
  GtkLabel      *label;
  GtkLabel      *title_label;
  GtkLabel      *detail_label;
  GtkWidget     *attention_box;
  GtkListBox    *conflict_list;
  GtkListBox    *rejected_list;

  TdSyncEngine *engine;
  GSignalGroup *signals;
  guint         clock; /* refreshes "synced 3 minutes ago" */
  char         *summary;
};

G_DEFINE_FINAL_TYPE (TdSyncIndicator, td_sync_indicator, GTK_TYPE_WIDGET)

static char *
describe_age (gint64 when, gint64 now)
{
  gint64 minutes = (now - when) / 60;

  if (when <= 0)
    return g_strdup (_ ("Not synced yet"));
  if (minutes < 1)
    return g_strdup (_ ("Last synced just now"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last synced %d minute ago",
                                         "Last synced %d minutes ago", minutes),
                            (int) minutes);
  {
    g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (when);
    g_autofree char *time = g_date_time_format (local, "%e %b %H:%M");
    return g_strdup_printf (_ ("Last synced %s"), g_strstrip (time));
  }
}

static void
update (TdSyncIndicator *self)
{
  TdSyncState      state;
  guint            pending;
  guint            attention;
  const char      *icon;
  g_autofree char *state_text = NULL;
  g_autofree char *age = NULL;
  GString         *detail = g_string_new (NULL);

  if (self->engine == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      g_string_free (detail, TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  state = td_sync_engine_get_state (self->engine);
  pending = td_sync_engine_get_pending (self->engine);
  attention = g_list_model_get_n_items (td_sync_engine_get_conflicts (self->engine))
              + g_list_model_get_n_items (td_sync_engine_get_rejected (self->engine));
  age = describe_age (td_sync_engine_get_last_sync (self->engine), td_time_now ());

  switch (state)
    {
      case TD_SYNC_STATE_OFFLINE:
        icon = "network-offline-symbolic";
        state_text = g_strdup (_ ("Offline"));
        break;
      case TD_SYNC_STATE_CONNECTING:
        icon = "content-loading-symbolic";
        state_text = g_strdup (_ ("Connecting…"));
        break;
      case TD_SYNC_STATE_SYNCING:
        icon = "emblem-synchronizing-symbolic";
        state_text = g_strdup (_ ("Syncing…"));
        break;
      case TD_SYNC_STATE_ERROR:
        icon = "dialog-warning-symbolic";
        state_text = g_strdup (_ ("Sync Failed"));
        break;
      case TD_SYNC_STATE_IDLE:
      default:
        icon = pending > 0 ? "emblem-synchronizing-symbolic" : "emblem-ok-symbolic";
        state_text = g_strdup (_ ("Up to Date"));
        break;
    }

  g_free (self->summary);
  if (pending > 0)
    self->summary = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%s · %u change waiting", "%s · %u changes waiting", pending),
        state_text, pending);
  else
    self->summary = g_strdup (state_text);
  /* A conflict or a refused change waits for the user: "Up to Date"
   * alone would read as nothing to do. */
  if (attention > 0)
    {
      g_autofree char *before = g_steal_pointer (&self->summary);
      g_autofree char *needs
          = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change needs your decision",
                                          "%u changes need your decision", attention),
                             attention);

      self->summary = g_strdup_printf ("%s · %s", before, needs);
      icon = "dialog-warning-symbolic";
    }

  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_text (self->label, self->summary);
  gtk_label_set_text (self->title_label, self->summary);

  g_string_append (detail, age);
  if (td_sync_engine_get_error (self->engine) != NULL && state != TD_SYNC_STATE_IDLE)
    {
      g_string_append_printf (detail, "\n%s", td_sync_engine_get_error (self->engine));
      if (td_sync_engine_get_retry_in (self->engine) > 0)
        g_string_append_printf (detail, "\n%s", _ ("Tierdesk will try again by itself."));
    }
  if (state == TD_SYNC_STATE_OFFLINE)
    g_string_append_printf (detail, "\n%s",
                            _ ("Your changes are saved on this computer and will be sent "
                               "when the server can be reached."));
  gtk_label_set_text (self->detail_label, detail->str);
  g_string_free (detail, TRUE);

  gtk_widget_set_visible (self->attention_box, attention > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_list),
                          g_list_model_get_n_items (td_sync_engine_get_conflicts (self->engine))
                              > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_list),
                          g_list_model_get_n_items (td_sync_engine_get_rejected (self->engine))
                              > 0);
  if (attention > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");
}

static const char *
describe_entity (const char *entity)
{
  if (g_strcmp0 (entity, "ticket") == 0)
    return _ ("Ticket change");
  if (g_strcmp0 (entity, "ticket_event") == 0)
    return _ ("Ticket history entry");
  if (g_strcmp0 (entity, "person") == 0)
    return _ ("Team directory change");
  return entity;
}

static void
report_error (TdSyncIndicator *self, GError *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_message ("%s", error->message);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (error->message));
}

static void
on_keep_mine (GtkButton *button, TdSyncIndicator *self)
{
  TdSyncIssue *issue = g_object_get_data (G_OBJECT (button), "issue");
  g_autoptr (GError) error = NULL;

  if (!td_sync_engine_resolve_conflict (self->engine, issue, TRUE, &error))
    report_error (self, error);
}

static void
on_use_server (GtkButton *button, TdSyncIndicator *self)
{
  TdSyncIssue *issue = g_object_get_data (G_OBJECT (button), "issue");
  g_autoptr (GError) error = NULL;

  if (!td_sync_engine_resolve_conflict (self->engine, issue, FALSE, &error))
    report_error (self, error);
}

static void
on_discard (GtkButton *button, TdSyncIndicator *self)
{
  TdSyncIssue *issue = g_object_get_data (G_OBJECT (button), "issue");
  g_autoptr (GError) error = NULL;

  if (!td_sync_engine_discard_rejected (self->engine, issue, &error))
    report_error (self, error);
}

static GtkWidget *
issue_button (TdSyncIndicator *self, TdSyncIssue *issue, const char *label, GCallback callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "issue", g_object_ref (issue), g_object_unref);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
create_issue_row (gpointer item, gpointer user_data)
{
  TdSyncIndicator *self = user_data;
  TdSyncIssue     *issue = item;
  GtkWidget       *row = adw_action_row_new ();
  g_autofree char *title
      = g_markup_escape_text (describe_entity (td_sync_issue_get_entity (issue)), -1);
  g_autofree char *reason = g_markup_escape_text (td_sync_issue_get_reason (issue) != NULL
                                                      ? td_sync_issue_get_reason (issue)
                                                      : _ ("The server did not say why"),
                                                  -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
  if (td_sync_issue_is_conflict (issue))
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), issue_button (self, issue, _ ("Keep _Mine"),
                                                                     G_CALLBACK (on_keep_mine)));
      adw_action_row_add_suffix (
          ADW_ACTION_ROW (row),
          issue_button (self, issue, _ ("Use _Server’s"), G_CALLBACK (on_use_server)));
    }
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               issue_button (self, issue, _ ("_Discard"), G_CALLBACK (on_discard)));
  return row;
}

static void
on_sync_clicked (TdSyncIndicator *self)
{
  if (self->engine != NULL)
    td_sync_engine_sync_now (self->engine);
}

static gboolean
on_clock (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

void
td_sync_indicator_set_engine (TdSyncIndicator *self, TdSyncEngine *engine)
{
  g_return_if_fail (TD_IS_SYNC_INDICATOR (self));

  if (!g_set_object (&self->engine, engine))
    return;
  g_signal_group_set_target (self->signals, engine);
  gtk_list_box_bind_model (self->conflict_list,
                           engine != NULL ? td_sync_engine_get_conflicts (engine) : NULL,
                           create_issue_row, self, NULL);
  gtk_list_box_bind_model (self->rejected_list,
                           engine != NULL ? td_sync_engine_get_rejected (engine) : NULL,
                           create_issue_row, self, NULL);
  if (engine != NULL)
    {
      g_signal_connect_object (td_sync_engine_get_conflicts (engine), "items-changed",
                               G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (td_sync_engine_get_rejected (engine), "items-changed",
                               G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

const char *
td_sync_indicator_get_summary (TdSyncIndicator *self)
{
  g_return_val_if_fail (TD_IS_SYNC_INDICATOR (self), NULL);
  return self->summary;
}

static void
td_sync_indicator_dispose (GObject *object)
{
  TdSyncIndicator *self = (TdSyncIndicator *) object;

  g_clear_handle_id (&self->clock, g_source_remove);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->signals);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_SYNC_INDICATOR);
  /* The template's top child is not bound, so it is unparented here. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  G_OBJECT_CLASS (td_sync_indicator_parent_class)->dispose (object);
}

static void
td_sync_indicator_finalize (GObject *object)
{
  g_free (TD_SYNC_INDICATOR (object)->summary);
  G_OBJECT_CLASS (td_sync_indicator_parent_class)->finalize (object);
}

static void
td_sync_indicator_class_init (TdSyncIndicatorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_sync_indicator_dispose;
  object_class->finalize = td_sync_indicator_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, title_label);
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, attention_box);
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, conflict_list);
  gtk_widget_class_bind_template_child (widget_class, TdSyncIndicator, rejected_list);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
td_sync_indicator_init (TdSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->signals = g_signal_group_new (TD_TYPE_SYNC_ENGINE);
  g_signal_group_connect_swapped (self->signals, "notify::state", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::pending", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::last-sync", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::error", G_CALLBACK (update), self);
  self->clock = g_timeout_add_seconds (30, on_clock, self);
  update (self);
}
