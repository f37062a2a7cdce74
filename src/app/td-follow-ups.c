/* td-follow-ups.c — the queue's follow-ups: post-incident reviews overdue
 * or with open actions, and new issues still to be documented [10.2]
 *
 * Resolved tickets leave the queue's default view, but these still need
 * someone: a button beside the SLA counts says how many, and its popover
 * lists them; a review opens its window, a ticket its ticket window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-follow-ups.h"
#include "td-format.h"
#include "td-knowledge.h"
#include "td-pir-window.h"
#include "td-pir.h"
#include "td-time.h"

struct _TdFollowUps
{
  GtkWidget parent_instance;

  GtkWidget  *button;
  GtkWidget  *reviews_label;
  GtkListBox *reviews_list;
  GtkWidget  *documents_label;
  GtkListBox *documents_list;

  TdSession *session;
  gulong     rows_changed_id;
  guint      reload_id;
  gint64     now;
  char      *summary;
  guint      n_reviews;
  guint      n_undocumented;
};

G_DEFINE_FINAL_TYPE (TdFollowUps, td_follow_ups, GTK_TYPE_WIDGET)

static const char *
row_text (JsonObject *row, const char *name)
{
  return row != NULL ? json_object_get_string_member_with_default (row, name, NULL) : NULL;
}

static gint64
row_int (JsonObject *row, const char *name)
{
  return row != NULL ? json_object_get_int_member_with_default (row, name, 0) : 0;
}

static void
clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
make_row (const char *title, const char *subtitle, const char *ticket, gboolean urgent)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : ticket);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  if (urgent)
    gtk_widget_add_css_class (row, "error");
  g_object_set_data_full (G_OBJECT (row), "ticket", g_strdup (ticket), g_free);
  return row;
}

GtkWidget *
td_follow_ups_review_row_new (TdCache *cache, const TdPir *pir, gint64 now)
{
  g_autoptr (JsonObject) ticket = td_cache_get_row (cache, "ticket", pir->ticket);
  g_autofree char *subtitle = td_pir_describe_follow_up (pir, row_text (ticket, "severity"), now);

  return make_row (row_text (ticket, "title"), subtitle, pir->ticket, td_pir_is_overdue (pir, now));
}

void
td_follow_ups_open_review (GtkWidget *from, TdSession *session, GtkListBoxRow *row)
{
  TdPirWindow *window = td_pir_window_new (GTK_WINDOW (gtk_widget_get_root (from)), session,
                                           g_object_get_data (G_OBJECT (row), "ticket"));

  if (window != NULL)
    gtk_window_present (GTK_WINDOW (window));
}

static void
reload (TdFollowUps *self)
{
  TdCache  *cache = self->session != NULL ? td_session_get_cache (self->session) : NULL;
  TdPolicy *policy = self->session != NULL ? td_session_get_policy (self->session) : NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) reviews = NULL;
  g_autoptr (GPtrArray) flagged = NULL;
  g_autoptr (GString) summary = g_string_new (NULL);

  clear (self->reviews_list);
  clear (self->documents_list);
  self->n_reviews = 0;
  self->n_undocumented = 0;
  if (cache == NULL)
    {
      gtk_widget_set_visible (self->button, FALSE);
      return;
    }

  rows = td_cache_list (cache, "pir", NULL, NULL, "due_at");
  reviews = td_pir_list_follow_ups (rows, self->now);
  for (guint i = 0; i < reviews->len; i++)
    gtk_list_box_append (self->reviews_list, td_follow_ups_review_row_new (
                                                 cache, g_ptr_array_index (reviews, i), self->now));
  self->n_reviews = reviews->len;

  flagged = td_cache_list (cache, "ticket", "new_issue", "1", "resolved_at");
  for (guint i = 0; i < flagged->len; i++)
    {
      JsonObject      *ticket = g_ptr_array_index (flagged, i);
      g_autofree char *subtitle = NULL;
      TdDocClock       clock;

      td_knowledge_documentation_clock (policy, TRUE, row_int (ticket, "resolved_at"),
                                        row_int (ticket, "documented_at"), self->now, &clock);
      if (clock.documented_at != 0 || clock.state == TD_DOC_CLOCK_NONE)
        continue;
      if (clock.state == TD_DOC_CLOCK_RUNNING)
        {
          g_autofree char *left = td_format_countdown (clock.due, self->now);
          subtitle = g_strdup_printf (_ ("Document within %s"), left);
        }
      else
        {
          g_autofree char *late = td_format_age (clock.due, self->now);
          subtitle = g_strdup_printf (_ ("Documentation overdue by %s"), late);
        }
      gtk_list_box_append (self->documents_list, make_row (row_text (ticket, "title"), subtitle,
                                                           row_text (ticket, "uuid"),
                                                           clock.state == TD_DOC_CLOCK_BREACHED));
      self->n_undocumented++;
    }

  if (self->n_reviews > 0)
    g_string_append_printf (summary,
                            g_dngettext (GETTEXT_PACKAGE, "%u review to follow up",
                                         "%u reviews to follow up", self->n_reviews),
                            self->n_reviews);
  if (self->n_undocumented > 0)
    {
      if (summary->len > 0)
        g_string_append (summary, " · ");
      g_string_append_printf (summary,
                              g_dngettext (GETTEXT_PACKAGE, "%u issue to document",
                                           "%u issues to document", self->n_undocumented),
                              self->n_undocumented);
    }
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&summary), FALSE);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->button), self->summary);
  gtk_widget_set_visible (self->button, *self->summary != '\0');
  gtk_widget_set_visible (self->reviews_label, self->n_reviews > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->reviews_list), self->n_reviews > 0);
  gtk_widget_set_visible (self->documents_label, self->n_undocumented > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->documents_list), self->n_undocumented > 0);
}

static gboolean
reload_idle (gpointer data)
{
  TdFollowUps *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_rows_changed (TdFollowUps *self, const char *entity, GStrv ids)
{
  if ((g_strcmp0 (entity, "pir") == 0 || g_strcmp0 (entity, "ticket") == 0) && self->reload_id == 0)
    self->reload_id = g_timeout_add (200, reload_idle, self);
}

static void
on_review_activated (TdFollowUps *self, GtkListBoxRow *row)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  td_follow_ups_open_review (GTK_WIDGET (self), self->session, row);
}

static void
on_document_activated (TdFollowUps *self, GtkListBoxRow *row)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-ticket", "s",
                              g_object_get_data (G_OBJECT (row), "ticket"));
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkListBox *
list_new (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return GTK_LIST_BOX (list);
}

static void
td_follow_ups_dispose (GObject *object)
{
  TdFollowUps *self = TD_FOLLOW_UPS (object);

  td_follow_ups_set_session (self, NULL);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_pointer (&self->button, gtk_widget_unparent);
  G_OBJECT_CLASS (td_follow_ups_parent_class)->dispose (object);
}

static void
td_follow_ups_finalize (GObject *object)
{
  g_free (TD_FOLLOW_UPS (object)->summary);
  G_OBJECT_CLASS (td_follow_ups_parent_class)->finalize (object);
}

static void
td_follow_ups_class_init (TdFollowUpsClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_follow_ups_dispose;
  object_class->finalize = td_follow_ups_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* Built in code: a button and its popover, nothing for a template to lay out. */
static void
td_follow_ups_init (TdFollowUps *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->summary = g_strdup ("");
  self->button = gtk_menu_button_new ();
  gtk_widget_set_name (self->button, "follow-ups");
  gtk_widget_set_tooltip_text (self->button,
                               _ ("Post-incident reviews and new issues that need someone"));
  gtk_widget_add_css_class (self->button, "flat");
  gtk_widget_add_css_class (self->button, "caption-heading");
  gtk_widget_set_visible (self->button, FALSE);

  self->reviews_label = heading (_ ("Post-Incident Reviews"));
  self->reviews_list = list_new ();
  gtk_widget_set_name (GTK_WIDGET (self->reviews_list), "follow-up-reviews");
  g_signal_connect_swapped (self->reviews_list, "row-activated", G_CALLBACK (on_review_activated),
                            self);
  self->documents_label = heading (_ ("New Issues to Document"));
  gtk_widget_set_margin_top (self->documents_label, 12);
  self->documents_list = list_new ();
  gtk_widget_set_name (GTK_WIDGET (self->documents_list), "follow-up-documents");
  g_signal_connect_swapped (self->documents_list, "row-activated",
                            G_CALLBACK (on_document_activated), self);

  gtk_box_append (GTK_BOX (box), self->reviews_label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->reviews_list));
  gtk_box_append (GTK_BOX (box), self->documents_label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->documents_list));
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 480);
  gtk_widget_set_size_request (scrolled, 420, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
}

void
td_follow_ups_set_session (TdFollowUps *self, TdSession *session)
{
  g_return_if_fail (TD_IS_FOLLOW_UPS (self));

  if (self->session != session)
    {
      if (self->session != NULL && self->rows_changed_id != 0
          && td_session_get_engine (self->session) != NULL)
        g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
      self->rows_changed_id = 0;
      g_set_object (&self->session, session);
      if (session != NULL && td_session_get_engine (session) != NULL)
        self->rows_changed_id
            = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                       G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
    }
  if (self->now == 0)
    self->now = td_time_now ();
  if (self->button != NULL)
    reload (self);
}

void
td_follow_ups_tick (TdFollowUps *self, gint64 now)
{
  g_return_if_fail (TD_IS_FOLLOW_UPS (self));

  self->now = now;
  reload (self);
}

const char *
td_follow_ups_get_summary (TdFollowUps *self)
{
  g_return_val_if_fail (TD_IS_FOLLOW_UPS (self), NULL);
  return self->summary;
}

guint
td_follow_ups_get_n_reviews (TdFollowUps *self)
{
  g_return_val_if_fail (TD_IS_FOLLOW_UPS (self), 0);
  return self->n_reviews;
}

guint
td_follow_ups_get_n_undocumented (TdFollowUps *self)
{
  g_return_val_if_fail (TD_IS_FOLLOW_UPS (self), 0);
  return self->n_undocumented;
}
