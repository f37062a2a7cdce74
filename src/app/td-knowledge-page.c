/* td-knowledge-page.c — the Knowledge page: FAQ, known issues and runbooks,
 * searched as you type, read, written and published [3.3, 9.1, 10.2]
 *
 * The list is the cache's full-text search (td_cache_search_articles), so
 * it works offline and answers every keystroke. Saving writes through the
 * cache's outbox; the server checks again who may publish, and keeps each
 * saved version, which the History list shows once it has synced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-format.h"
#include "td-knowledge-page.h"
#include "td-knowledge.h"
#include "td-time.h"

#define MAX_RESULTS 200

struct _TdKnowledgePage
{
  GtkWidget parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *kind_dropdown;
  GtkListBox          *article_list;
  GtkLabel            *count_label;
  GtkStack            *content_stack;
  GtkLabel            *title_label;
  GtkLabel            *meta_label;
  GtkLabel            *body_label;
  AdwPreferencesGroup *workaround_group;
  GtkLabel            *workaround_label;
  AdwPreferencesGroup *links_group;
  GtkListBox          *links_list;
  GtkListBox          *history_list;
  GtkWidget           *publish_button;
  GtkWidget           *edit_button;
  GtkWidget           *delete_button;
  GtkLabel            *revision_heading;
  GtkLabel            *revision_byline;
  GtkWidget           *restore_button;
  GtkLabel            *revision_title_label;
  GtkLabel            *revision_meta_label;
  GtkLabel            *revision_body_label;
  AdwPreferencesGroup *revision_workaround_group;
  GtkLabel            *revision_workaround_label;
  AdwEntryRow         *title_row;
  AdwComboRow         *kind_row;
  AdwEntryRow         *tags_row;
  GtkBox              *tiers_box;
  AdwEntryRow         *reviewed_row;
  GtkTextView         *body_view;
  AdwPreferencesGroup *workaround_editor_group;
  GtkTextView         *workaround_view;
  GtkWidget           *save_publish_button;

  TdSession *session;
  gulong     rows_changed_id;
  guint      reload_id;
  char      *article;   /* shown, or NULL */
  char      *editing;   /* the article in the editor; NULL for a new one */
  char      *revision;  /* the old version read, or NULL */
  gboolean   selecting; /* list selection changed by code */
  guint      n_results;
  GPtrArray *tier_checks; /* GtkCheckButton per policy tier, in order */
};

G_DEFINE_FINAL_TYPE (TdKnowledgePage, td_knowledge_page, GTK_TYPE_WIDGET)

static const char *const kind_filter[]
    = { NULL, TD_ARTICLE_KIND_FAQ, TD_ARTICLE_KIND_KNOWN_ISSUE, TD_ARTICLE_KIND_RUNBOOK };

/* Helpers */

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
toast (TdKnowledgePage *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static TdCache *
cache (TdKnowledgePage *self)
{
  return self->session != NULL ? td_session_get_cache (self->session) : NULL;
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, TD_ARTICLE_KIND_KNOWN_ISSUE) == 0)
    return _ ("Known issue");
  if (g_strcmp0 (kind, TD_ARTICLE_KIND_RUNBOOK) == 0)
    return _ ("Runbook");
  return _ ("FAQ");
}

static char *
format_date (gint64 when)
{
  g_autoptr (GDateTime) local = NULL;

  if (when <= 0)
    return g_strdup ("");
  local = g_date_time_new_from_unix_local (when);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* "sso, login" from the stored JSON array. */
static char *
tags_text (const char *json)
{
  g_auto (GStrv) tags = td_knowledge_parse_strings (json);

  return tags != NULL ? g_strjoinv (", ", tags) : g_strdup ("");
}

static char *
tiers_text (const char *json)
{
  g_autoptr (GArray) tiers = td_knowledge_parse_ints (json);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; tiers != NULL && i < tiers->len; i++)
    g_string_append_printf (text, "%s%d", i > 0 ? ", " : "", g_array_index (tiers, int, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
may (TdKnowledgePage *self, const char *action)
{
  return self->session != NULL && td_session_may (self->session, action, 0);
}

/* The list */

static GtkWidget *
make_article_row (JsonObject *article)
{
  GtkWidget       *row = gtk_list_box_row_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget       *title = gtk_label_new (row_text (article, "title"));
  g_autofree char *tags = tags_text (row_text (article, "tags"));
  g_autofree char *subtitle = NULL;
  GtkWidget       *detail;

  if (g_strcmp0 (row_text (article, "status"), "published") != 0)
    /* TRANSLATORS: article list: kind · Draft · tags */
    subtitle = g_strdup_printf (_ ("%s · Draft%s%s"), kind_label (row_text (article, "kind")),
                                *tags != '\0' ? " · " : "", tags);
  else
    subtitle = g_strdup_printf ("%s%s%s", kind_label (row_text (article, "kind")),
                                *tags != '\0' ? " · " : "", tags);
  detail = gtk_label_new (subtitle);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, row_text (article, "uuid"));
  g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (row_text (article, "uuid")), g_free);
  return row;
}

static void
select_shown (TdKnowledgePage *self)
{
  self->selecting = TRUE;
  gtk_list_box_unselect_all (self->article_list);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->article_list));
       child != NULL && self->article != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "uuid"), self->article) == 0)
      gtk_list_box_select_row (self->article_list, GTK_LIST_BOX_ROW (child));
  self->selecting = FALSE;
}

static void
reload_list (TdKnowledgePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint       kind = gtk_drop_down_get_selected (self->kind_dropdown);
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *count = NULL;
  GtkWidget       *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->article_list))) != NULL)
    gtk_list_box_remove (self->article_list, child);
  self->n_results = 0;
  if (cache (self) == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }

  rows = td_cache_search_articles (cache (self), text,
                                   kind < G_N_ELEMENTS (kind_filter) ? kind_filter[kind] : NULL,
                                   MAX_RESULTS);
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_append (self->article_list, make_article_row (g_ptr_array_index (rows, i)));
  self->n_results = rows->len;
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u article", "%u articles", rows->len),
                           rows->len);
  gtk_label_set_text (self->count_label, count);
  select_shown (self);
}

/* The article */

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
on_link_activated (AdwActionRow *row, TdKnowledgePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-ticket", "s",
                              g_object_get_data (G_OBJECT (row), "ticket"));
}

static void
show_links (TdKnowledgePage *self)
{
  g_autoptr (GPtrArray) links
      = td_cache_list (cache (self), "article_link", "article", self->article, "created_at");

  clear_list_box (self->links_list);
  for (guint i = 0; i < links->len; i++)
    {
      const char *ticket_id = row_text (g_ptr_array_index (links, i), "ticket");
      g_autoptr (JsonObject) ticket = td_cache_get_row (cache (self), "ticket", ticket_id);
      GtkWidget       *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      if (ticket == NULL)
        continue;
      subtitle = g_strdup_printf (
          "%s · %s", td_format_status (row_text (ticket, "status")),
          row_text (ticket, "severity") != NULL ? row_text (ticket, "severity") : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_text (ticket, "title"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "ticket", g_strdup (ticket_id), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_link_activated), self);
      gtk_list_box_append (self->links_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->links_group),
                          gtk_widget_get_first_child (GTK_WIDGET (self->links_list)) != NULL);
}

static void show_revision (TdKnowledgePage *self);

static void
on_revision_activated (AdwActionRow *row, TdKnowledgePage *self)
{
  g_free (self->revision);
  self->revision = g_strdup (g_object_get_data (G_OBJECT (row), "revision"));
  gtk_stack_set_visible_child_name (self->content_stack, "revision");
  show_revision (self);
}

static void
show_history (TdKnowledgePage *self)
{
  g_autoptr (GPtrArray) revisions
      = td_cache_list (cache (self), "article_revision", "article", self->article, "number");

  clear_list_box (self->history_list);
  /* Newest first. */
  for (guint i = revisions->len; i > 0; i--)
    {
      JsonObject      *revision = g_ptr_array_index (revisions, i - 1);
      GtkWidget       *row = adw_action_row_new ();
      g_autofree char *when = format_date (row_int (revision, "at"));
      g_autofree char *title
          = g_strdup_printf (_ ("Version %d"), (int) row_int (revision, "number"));
      g_autofree char *subtitle = g_strdup_printf (
          /* TRANSLATORS: article history: "Published by lead, 2026-11-20 14:02" */
          g_strcmp0 (row_text (revision, "status"), "published") == 0 ? _ ("Published by %s, %s")
                                                                      : _ ("Draft by %s, %s"),
          row_text (revision, "author") != NULL ? row_text (revision, "author") : "?", when);

      g_autofree char *name = g_strdup_printf ("revision-%d", (int) row_int (revision, "number"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_widget_set_name (row, name);
      gtk_widget_set_tooltip_text (row, _ ("Read this version"));
      g_object_set_data_full (G_OBJECT (row), "revision", g_strdup (row_text (revision, "uuid")),
                              g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_revision_activated), self);
      gtk_list_box_append (self->history_list, row);
    }
  if (revisions->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Not synced yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _ ("The server keeps each saved version once it has this one."));
      gtk_list_box_append (self->history_list, row);
    }
}

static void
show_article (TdKnowledgePage *self)
{
  g_autoptr (JsonObject) article = NULL;
  g_autoptr (GString) meta = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *tiers = NULL;
  g_autofree char *updated = NULL;
  const char      *workaround;
  gboolean         published;

  if (self->article != NULL && cache (self) != NULL)
    article = td_cache_get_row (cache (self), "article", self->article);
  if (article == NULL || row_int (article, "deleted"))
    {
      g_clear_pointer (&self->article, g_free);
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "editor") != 0)
        gtk_stack_set_visible_child_name (self->content_stack, "empty");
      g_clear_pointer (&self->revision, g_free);
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "editor") != 0)
        gtk_stack_set_visible_child_name (self->content_stack, "empty");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.edit", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.publish", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.delete", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.restore", FALSE);
      return;
    }

  published = g_strcmp0 (row_text (article, "status"), "published") == 0;
  gtk_label_set_text (self->title_label, row_text (article, "title"));
  tags = tags_text (row_text (article, "tags"));
  tiers = tiers_text (row_text (article, "tiers"));
  updated = format_date (row_int (article, "updated_at"));
  g_string_append (meta, kind_label (row_text (article, "kind")));
  g_string_append_printf (meta, " · %s", published ? _ ("Published") : _ ("Draft"));
  if (*tiers != '\0')
    /* TRANSLATORS: the tiers an article is for: "Tiers 1, 2" */
    g_string_append_printf (meta, " · %s", _ ("Tiers"));
  if (*tiers != '\0')
    g_string_append_printf (meta, " %s", tiers);
  if (*tags != '\0')
    g_string_append_printf (meta, " · %s", tags);
  g_string_append_c (meta, '\n');
  if (row_text (article, "author") != NULL)
    g_string_append_printf (meta, _ ("Written by %s"), row_text (article, "author"));
  if (*updated != '\0')
    g_string_append_printf (meta, _ (", updated %s"), updated);
  if (row_text (article, "reviewed_on") != NULL)
    g_string_append_printf (meta, _ (", reviewed %s"), row_text (article, "reviewed_on"));
  gtk_label_set_text (self->meta_label, meta->str);
  body = td_knowledge_body_to_markup (row_text (article, "body"));
  gtk_label_set_markup (self->body_label, body);

  workaround = row_text (article, "workaround");
  gtk_widget_set_visible (GTK_WIDGET (self->workaround_group),
                          workaround != NULL && *workaround != '\0');
  if (workaround != NULL)
    {
      g_autofree char *markup = td_knowledge_body_to_markup (workaround);
      gtk_label_set_markup (self->workaround_label, markup);
    }

  show_links (self);
  show_history (self);

  gtk_widget_set_visible (self->publish_button, !published);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.publish",
                                 !published && may (self, "knowledge.publish"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.edit",
                                 may (self, published ? "knowledge.publish" : "knowledge.write"));
  gtk_widget_set_tooltip_text (
      self->edit_button, may (self, published ? "knowledge.publish" : "knowledge.write")
                             ? NULL
                             : _ ("Only a role that may publish changes a published article"));
  /* The server lets only publishers delete (the policy's knowledge.publish):
   * the others do not see the button. */
  gtk_widget_set_visible (self->delete_button, may (self, "knowledge.publish"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.delete",
                                 may (self, "knowledge.publish"));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "revision") == 0
      && self->revision != NULL)
    show_revision (self);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "editor") != 0)
    gtk_stack_set_visible_child_name (self->content_stack, "article");
}

/* An old version, read-only; restoring it saves it as a new version. */
static void
show_revision (TdKnowledgePage *self)
{
  g_autoptr (JsonObject) revision = NULL;
  g_autoptr (JsonObject) article = NULL;
  g_autoptr (GPtrArray) revisions = NULL;
  g_autoptr (GString) meta = g_string_new (NULL);
  g_autofree char *heading = NULL;
  g_autofree char *byline = NULL;
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *tiers = NULL;
  const char      *workaround;
  gint64           newest = 0;
  gboolean         allowed;

  if (self->revision != NULL && cache (self) != NULL)
    revision = td_cache_get_row (cache (self), "article_revision", self->revision);
  if (self->article != NULL && cache (self) != NULL)
    article = td_cache_get_row (cache (self), "article", self->article);
  if (revision == NULL || article == NULL
      || g_strcmp0 (row_text (revision, "article"), self->article) != 0)
    {
      g_clear_pointer (&self->revision, g_free);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.restore", FALSE);
      gtk_stack_set_visible_child_name (self->content_stack, article != NULL ? "article" : "empty");
      return;
    }

  revisions = td_cache_list (cache (self), "article_revision", "article", self->article, "number");
  for (guint i = 0; i < revisions->len; i++)
    newest = MAX (newest, row_int (g_ptr_array_index (revisions, i), "number"));

  heading = row_int (revision, "number") == newest
                /* TRANSLATORS: the heading of the newest version in the history */
                ? g_strdup_printf (_ ("Version %d · Current"), (int) row_int (revision, "number"))
                : g_strdup_printf (_ ("Version %d"), (int) row_int (revision, "number"));
  when = format_date (row_int (revision, "at"));
  byline = g_strdup_printf (
      g_strcmp0 (row_text (revision, "status"), "published") == 0 ? _ ("Published by %s, %s")
                                                                  : _ ("Draft by %s, %s"),
      row_text (revision, "author") != NULL ? row_text (revision, "author") : "?", when);
  gtk_label_set_text (self->revision_heading, heading);
  gtk_label_set_text (self->revision_byline, byline);

  gtk_label_set_text (self->revision_title_label, row_text (revision, "title"));
  tags = tags_text (row_text (revision, "tags"));
  tiers = tiers_text (row_text (revision, "tiers"));
  g_string_append (meta, kind_label (row_text (revision, "kind")));
  if (*tiers != '\0')
    g_string_append_printf (meta, " · %s %s", _ ("Tiers"), tiers);
  if (*tags != '\0')
    g_string_append_printf (meta, " · %s", tags);
  gtk_label_set_text (self->revision_meta_label, meta->str);
  body = td_knowledge_body_to_markup (row_text (revision, "body"));
  gtk_label_set_markup (self->revision_body_label, body);
  workaround = row_text (revision, "workaround");
  gtk_widget_set_visible (GTK_WIDGET (self->revision_workaround_group),
                          workaround != NULL && *workaround != '\0');
  if (workaround != NULL)
    {
      g_autofree char *markup = td_knowledge_body_to_markup (workaround);
      gtk_label_set_markup (self->revision_workaround_label, markup);
    }

  /* As for editing: a published article is changed by publishers only. */
  allowed
      = may (self, g_strcmp0 (row_text (article, "status"), "published") == 0 ? "knowledge.publish"
                                                                              : "knowledge.write");
  gtk_widget_set_visible (self->restore_button, may (self, "knowledge.write"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.restore",
                                 allowed && row_int (revision, "number") < newest);
  gtk_widget_set_tooltip_text (
      self->restore_button,
      !allowed ? _ ("Only a role that may publish changes a published article")
      : row_int (revision, "number") == newest
          ? _ ("This is the current version")
          : _ ("Save this version as the newest one; the history keeps every version"));
}

static void
reload (TdKnowledgePage *self)
{
  reload_list (self);
  show_article (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.new", may (self, "knowledge.write"));
}

static gboolean
reload_idle (gpointer data)
{
  TdKnowledgePage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Callbacks */

static void
on_rows_changed (TdKnowledgePage *self, const char *entity, GStrv ids)
{
  static const char *const watched[]
      = { "article", "article_link", "article_revision", "ticket", NULL };

  if (entity == NULL || !g_strv_contains (watched, entity))
    return;
  /* A pull brings rows in pages: redraw once they have settled. */
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (100, reload_idle, self);
}

static void
on_search_changed (TdKnowledgePage *self)
{
  reload_list (self);
}

static void
on_search_activate (TdKnowledgePage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->article_list, 0);

  if (first != NULL)
    td_knowledge_page_show_article (self, g_object_get_data (G_OBJECT (first), "uuid"));
}

static void
on_row_selected (TdKnowledgePage *self, GtkListBoxRow *row)
{
  if (self->selecting || row == NULL)
    return;
  g_free (self->article);
  self->article = g_strdup (g_object_get_data (G_OBJECT (row), "uuid"));
  g_clear_pointer (&self->revision, g_free);
  gtk_stack_set_visible_child_name (self->content_stack, "article");
  show_article (self);
}

static void
on_kind_changed (TdKnowledgePage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->workaround_editor_group),
                          adw_combo_row_get_selected (self->kind_row) == TD_ARTICLE_KNOWN_ISSUE);
}

/* The editor */

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
clear_errors (TdKnowledgePage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->tags_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->reviewed_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->body_view), "error");
}

static void
open_editor (TdKnowledgePage *self, JsonObject *article)
{
  g_autofree char *tags = tags_text (row_text (article, "tags"));
  g_autoptr (GArray) tiers = td_knowledge_parse_ints (row_text (article, "tiers"));
  TdArticleKind kind = TD_ARTICLE_FAQ;

  g_free (self->editing);
  self->editing = g_strdup (row_text (article, "uuid"));
  clear_errors (self);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                         row_text (article, "title") != NULL ? row_text (article, "title") : "");
  td_article_kind_from_string (row_text (article, "kind"), &kind);
  adw_combo_row_set_selected (self->kind_row, kind);
  on_kind_changed (self);
  gtk_editable_set_text (GTK_EDITABLE (self->tags_row), tags);
  gtk_editable_set_text (
      GTK_EDITABLE (self->reviewed_row),
      row_text (article, "reviewed_on") != NULL ? row_text (article, "reviewed_on") : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view),
                            row_text (article, "body") != NULL ? row_text (article, "body") : "",
                            -1);
  gtk_text_buffer_set_text (
      gtk_text_view_get_buffer (self->workaround_view),
      row_text (article, "workaround") != NULL ? row_text (article, "workaround") : "", -1);
  for (guint i = 0; i < self->tier_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->tier_checks, i);
      int             level = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "tier"));
      gboolean        on = FALSE;

      for (guint j = 0; tiers != NULL && j < tiers->len; j++)
        on = on || g_array_index (tiers, int, j) == level;
      gtk_check_button_set_active (check, on);
    }
  gtk_widget_set_sensitive (self->save_publish_button, may (self, "knowledge.publish"));
  gtk_widget_set_tooltip_text (self->save_publish_button,
                               may (self, "knowledge.publish")
                                   ? NULL
                                   : _ ("Your role may write drafts; a lead or manager publishes"));
  gtk_stack_set_visible_child_name (self->content_stack, "editor");
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

static void
build_tier_checks (TdKnowledgePage *self)
{
  GPtrArray *tiers;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tiers_box))) != NULL)
    gtk_box_remove (self->tiers_box, child);
  g_ptr_array_set_size (self->tier_checks, 0);
  if (self->session == NULL)
    return;
  tiers = td_policy_get_tiers (td_session_get_policy (self->session));
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier    *tier = g_ptr_array_index (tiers, i);
      g_autofree char *label = g_strdup_printf (_ ("Tier %d"), tier->level);
      GtkWidget       *check = gtk_check_button_new_with_label (label);

      g_object_set_data (G_OBJECT (check), "tier", GINT_TO_POINTER (tier->level));
      gtk_box_append (self->tiers_box, check);
      g_ptr_array_add (self->tier_checks, check);
    }
}

/* Checked here as the server will check it, so a mistake is shown on the
 * field at once rather than as a refused command later. */
static JsonObject *
editor_fields (TdKnowledgePage *self, const char *status)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *body = text_view_text (self->body_view);
  g_autofree char *workaround = text_view_text (self->workaround_view);
  g_autofree char *title
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  g_autofree char *reviewed
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reviewed_row))));
  g_auto (GStrv) tag_parts
      = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)), ",", -1);
  g_autoptr (JsonNode) tags_node = NULL;
  g_autoptr (JsonNode) tiers_node = NULL;
  g_autofree char *tags_json = NULL;
  g_autofree char *tiers_json = NULL;
  JsonArray       *tags = json_array_new ();
  JsonArray       *tiers = json_array_new ();
  guint            kind = adw_combo_row_get_selected (self->kind_row);

  for (guint i = 0; tag_parts[i] != NULL; i++)
    {
      char *tag = g_strstrip (tag_parts[i]);
      if (*tag != '\0')
        json_array_add_string_element (tags, tag);
    }
  for (guint i = 0; i < self->tier_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->tier_checks, i);

      if (gtk_check_button_get_active (check))
        json_array_add_int_element (tiers,
                                    GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "tier")));
    }
  tags_node = json_node_init_array (json_node_alloc (), tags);
  tiers_node = json_node_init_array (json_node_alloc (), tiers);
  tags_json = json_to_string (tags_node, FALSE);
  tiers_json = json_to_string (tiers_node, FALSE);

  clear_errors (self);
  if (!td_knowledge_check_article (td_session_get_policy (self->session), title,
                                   td_article_kind_to_string (kind), body, tags_json, tiers_json,
                                   &error))
    {
      GtkWidget *field = g_str_has_prefix (error->message, "title")  ? GTK_WIDGET (self->title_row)
                         : g_str_has_prefix (error->message, "tags") ? GTK_WIDGET (self->tags_row)
                                                                     : GTK_WIDGET (self->body_view);
      gtk_widget_add_css_class (field, "error");
      gtk_widget_grab_focus (field);
      toast (self, error->message);
      return NULL;
    }
  if (*reviewed != '\0' && !td_time_parse_date (reviewed, NULL))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("Reviewed on: “%s” is not a date (expected YYYY-MM-DD)"), reviewed);
      gtk_widget_add_css_class (GTK_WIDGET (self->reviewed_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->reviewed_row));
      toast (self, message);
      return NULL;
    }

  json_object_set_string_member (fields, "title", title);
  json_object_set_string_member (fields, "kind", td_article_kind_to_string (kind));
  json_object_set_string_member (fields, "status", status);
  json_object_set_string_member (fields, "body", body);
  if (kind == TD_ARTICLE_KNOWN_ISSUE && *workaround != '\0')
    json_object_set_string_member (fields, "workaround", workaround);
  else
    json_object_set_null_member (fields, "workaround");
  json_object_set_member (fields, "tags", g_steal_pointer (&tags_node));
  json_object_set_member (fields, "tiers", g_steal_pointer (&tiers_node));
  if (*reviewed != '\0')
    json_object_set_string_member (fields, "reviewed_on", reviewed);
  else
    json_object_set_null_member (fields, "reviewed_on");
  return g_steal_pointer (&fields);
}

/* Actions */

static void
new_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);
  g_autoptr (JsonObject) blank = json_object_new ();
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* What was searched for and not found is a good first title. */
  json_object_set_string_member (blank, "title", typed);
  json_object_set_string_member (blank, "kind", TD_ARTICLE_KIND_FAQ);
  open_editor (self, blank);
  g_clear_pointer (&self->editing, g_free);
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);
  g_autoptr (JsonObject) article = NULL;

  if (self->article == NULL || cache (self) == NULL)
    return;
  article = td_cache_get_row (cache (self), "article", self->article);
  if (article != NULL)
    open_editor (self, article);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);

  g_clear_pointer (&self->editing, g_free);
  gtk_stack_set_visible_child_name (self->content_stack,
                                    self->article != NULL ? "article" : "empty");
  show_article (self);
}

static void
saved (TdKnowledgePage *self, const char *uuid, const char *status)
{
  td_sync_engine_local_change (td_session_get_engine (self->session), "article", uuid);
  g_free (self->article);
  self->article = g_strdup (uuid);
  g_clear_pointer (&self->editing, g_free);
  gtk_stack_set_visible_child_name (self->content_stack, "article");
  reload (self);
  toast (self, g_str_equal (status, "published") ? _ ("Article published") : _ ("Draft saved"));
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);
  const char      *status = g_variant_get_string (parameter, NULL);
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (GError) error = NULL;

  if (self->session == NULL
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "editor") != 0)
    return;
  if (g_str_equal (status, "published") && !may (self, "knowledge.publish"))
    {
      toast (self, _ ("Your role may write drafts; a lead or manager publishes"));
      return;
    }
  if ((fields = editor_fields (self, status)) == NULL)
    return;

  if (self->editing == NULL)
    {
      g_autofree char *uuid = td_cache_create (cache (self), "article", fields, &error);

      if (uuid == NULL)
        {
          toast (self, error->message);
          return;
        }
      saved (self, uuid, status);
    }
  else
    {
      g_autofree char *uuid = g_strdup (self->editing);

      if (!td_cache_update (cache (self), "article", uuid, fields, &error))
        {
          toast (self, error->message);
          return;
        }
      saved (self, uuid, status);
    }
}

static void
publish_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;

  if (self->article == NULL || cache (self) == NULL)
    return;
  json_object_set_string_member (fields, "status", "published");
  if (!td_cache_update (cache (self), "article", self->article, fields, &error))
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "article", self->article);
  reload (self);
  toast (self, _ ("Article published"));
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "revision") != 0)
    return;
  g_clear_pointer (&self->revision, g_free);
  gtk_stack_set_visible_child_name (self->content_stack, "article");
  show_article (self);
}

/* The stored JSON text of a list, as a node for the command. */
static JsonNode *
json_list (const char *text)
{
  JsonNode *node = text != NULL ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_init_array (json_node_alloc (), json_array_new ());
    }
  return node;
}

/* Never rewrites the history: the old text is saved as a new version, and
 * the article keeps its status (published stays published). */
static void
restore_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);
  g_autoptr (JsonObject) revision = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  const char      *workaround;

  if (self->revision == NULL || self->article == NULL || cache (self) == NULL)
    return;
  revision = td_cache_get_row (cache (self), "article_revision", self->revision);
  if (revision == NULL)
    return;
  json_object_set_string_member (fields, "title", row_text (revision, "title"));
  json_object_set_string_member (fields, "kind", row_text (revision, "kind"));
  json_object_set_string_member (fields, "body", row_text (revision, "body"));
  workaround = row_text (revision, "workaround");
  if (workaround != NULL && *workaround != '\0')
    json_object_set_string_member (fields, "workaround", workaround);
  else
    json_object_set_null_member (fields, "workaround");
  json_object_set_member (fields, "tags", json_list (row_text (revision, "tags")));
  json_object_set_member (fields, "tiers", json_list (row_text (revision, "tiers")));
  if (!td_cache_update (cache (self), "article", self->article, fields, &error))
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "article", self->article);
  message = g_strdup_printf (_ ("Version %d restored as the newest version"),
                             (int) row_int (revision, "number"));
  g_clear_pointer (&self->revision, g_free);
  gtk_stack_set_visible_child_name (self->content_stack, "article");
  reload (self);
  toast (self, message);
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, TdKnowledgePage *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "uuid");
  const char *title = g_object_get_data (G_OBJECT (dialog), "title");
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "delete") != 0 || cache (self) == NULL)
    return;
  if (!td_cache_delete (cache (self), "article", uuid, &error))
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "article", uuid);
  if (g_strcmp0 (self->article, uuid) == 0)
    {
      g_clear_pointer (&self->article, g_free);
      g_clear_pointer (&self->revision, g_free);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  reload (self);
  /* TRANSLATORS: a toast after deleting an article */
  message = g_strdup_printf (_ ("“%s” deleted"), title);
  toast (self, message);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);
  g_autoptr (JsonObject) article = NULL;
  g_autoptr (GPtrArray) links = NULL;
  GtkWidget  *dialog;
  const char *title;

  if (self->article == NULL || cache (self) == NULL || !may (self, "knowledge.publish"))
    return;
  article = td_cache_get_row (cache (self), "article", self->article);
  if (article == NULL)
    return;
  links = td_cache_list (cache (self), "article_link", "article", self->article, NULL);
  title = row_text (article, "title");

  /* TRANSLATORS: the heading of the confirmation, with the article's title */
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _ ("Delete “%s”?"), title);
  if (links->len > 0)
    adw_message_dialog_format_body (
        ADW_MESSAGE_DIALOG (dialog),
        g_dngettext (GETTEXT_PACKAGE,
                     "%u ticket links to it and will lose the link. Its history goes with it.",
                     "%u tickets link to it and will lose the link. Its history goes with it.",
                     links->len),
        links->len);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _ ("No ticket links to it. Its history goes with it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "delete",
                                    _ ("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "uuid", g_strdup (self->article), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "title", g_strdup (title), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
find_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Overrides */

static void
td_knowledge_page_dispose (GObject *object)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (object);
  GtkWidget       *child;

  td_knowledge_page_set_session (self, NULL);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_KNOWLEDGE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (td_knowledge_page_parent_class)->dispose (object);
}

static void
td_knowledge_page_finalize (GObject *object)
{
  TdKnowledgePage *self = TD_KNOWLEDGE_PAGE (object);

  g_free (self->article);
  g_free (self->editing);
  g_free (self->revision);
  g_clear_pointer (&self->tier_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (td_knowledge_page_parent_class)->finalize (object);
}

static void
td_knowledge_page_class_init (TdKnowledgePageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_knowledge_page_dispose;
  object_class->finalize = td_knowledge_page_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-knowledge-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, article_list);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, body_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, workaround_group);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, workaround_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, links_group);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, links_list);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, history_list);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, publish_button);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, revision_heading);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, revision_byline);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, restore_button);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, revision_title_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, revision_meta_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, revision_body_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, revision_workaround_group);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, revision_workaround_label);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, title_row);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, tags_row);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, tiers_box);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, reviewed_row);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, body_view);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, workaround_editor_group);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, workaround_view);
  gtk_widget_class_bind_template_child (widget_class, TdKnowledgePage, save_publish_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);

  gtk_widget_class_install_action (widget_class, "knowledge.new", NULL, new_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "knowledge.new", NULL);
  gtk_widget_class_install_action (widget_class, "knowledge.edit", NULL, edit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "knowledge.edit",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "knowledge.save", "s", save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "knowledge.save",
                                       "s", "draft");
  gtk_widget_class_install_action (widget_class, "knowledge.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "knowledge.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "knowledge.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "knowledge.back",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "knowledge.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "knowledge.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "knowledge.delete", NULL);
  gtk_widget_class_install_action (widget_class, "knowledge.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "knowledge.find",
                                       NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
td_knowledge_page_init (TdKnowledgePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->tier_checks = g_ptr_array_new ();
  {
    GtkWidget *placeholder = gtk_label_new (_ ("No articles match"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_widget_set_margin_top (placeholder, 24);
    gtk_list_box_set_placeholder (self->article_list, placeholder);
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.publish", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.new", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.delete", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.restore", FALSE);
}

/* Public API */

void
td_knowledge_page_set_session (TdKnowledgePage *self, TdSession *session)
{
  g_return_if_fail (TD_IS_KNOWLEDGE_PAGE (self));

  if (self->session == session)
    {
      reload (self);
      return;
    }
  if (self->session != NULL && self->rows_changed_id != 0
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_set_object (&self->session, session);
  g_clear_pointer (&self->article, g_free);
  if (session != NULL && td_session_get_engine (session) != NULL)
    self->rows_changed_id
        = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                   G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  build_tier_checks (self);
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
  reload (self);
}

void
td_knowledge_page_show_article (TdKnowledgePage *self, const char *uuid)
{
  g_return_if_fail (TD_IS_KNOWLEDGE_PAGE (self));

  g_free (self->article);
  self->article = g_strdup (uuid);
  g_clear_pointer (&self->revision, g_free);
  gtk_stack_set_visible_child_name (self->content_stack, "article");
  select_shown (self);
  show_article (self);
}

const char *
td_knowledge_page_get_article (TdKnowledgePage *self)
{
  g_return_val_if_fail (TD_IS_KNOWLEDGE_PAGE (self), NULL);
  return self->article;
}

guint
td_knowledge_page_get_n_results (TdKnowledgePage *self)
{
  g_return_val_if_fail (TD_IS_KNOWLEDGE_PAGE (self), 0);
  return self->n_results;
}
