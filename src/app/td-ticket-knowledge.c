/* td-ticket-knowledge.c — a ticket's Knowledge group: search the knowledge
 * base, link the article that answers it, flag a new issue, and the
 * 24-hour documentation clock [3.4, 10.2]
 *
 * Linking writes an article_link through the cache's outbox. The server
 * classes the resolution (a linked known issue is "known issue
 * (documented)") and stops the documentation clock; the group works the
 * same answers out from the cache so they show offline at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-format.h"
#include "td-knowledge.h"
#include "td-ticket-knowledge.h"
#include "td-time.h"

#define MAX_RESULTS 5

struct _TdTicketKnowledge
{
  AdwPreferencesGroup parent_instance;

  AdwActionRow   *state_row;
  GtkListBox     *linked_list;
  GtkSearchEntry *search_entry;
  GtkLabel       *results_label;
  GtkListBox     *results_list;
  AdwActionRow   *new_issue_row;
  GtkSwitch      *new_issue_switch;

  TdSession  *session;
  JsonObject *ticket;
  guint       n_linked;
  gboolean    known_issue;
};

G_DEFINE_FINAL_TYPE (TdTicketKnowledge, td_ticket_knowledge, ADW_TYPE_PREFERENCES_GROUP)

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

static TdCache *
cache (TdTicketKnowledge *self)
{
  return td_session_get_cache (self->session);
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

static void
clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static gboolean
is_open (TdTicketKnowledge *self)
{
  const char *status = row_text (self->ticket, "status");

  return g_strcmp0 (status, "new") == 0 || g_strcmp0 (status, "in_progress") == 0;
}

static gint64
server_now (TdTicketKnowledge *self)
{
  TdSyncEngine *engine = td_session_get_engine (self->session);

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

static char *
format_instant (gint64 when)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (when);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* What the resolution counts as, and the documentation clock. */
static void
show_state (TdTicketKnowledge *self)
{
  const char      *resolution_class = row_text (self->ticket, "resolution_class");
  gint64           now = server_now (self);
  g_autofree char *subtitle = NULL;
  TdDocClock       clock;

  gint64 documented_at = row_int (self->ticket, "documented_at");

  /* Linked here but not synced yet: the server will stop the clock now. */
  if (documented_at == 0 && self->n_linked > 0)
    documented_at = now;
  td_knowledge_documentation_clock (
      td_session_get_policy (self->session), row_int (self->ticket, "new_issue") != 0,
      row_int (self->ticket, "resolved_at"), documented_at, now, &clock);
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_row), "warning");

  if (g_strcmp0 (resolution_class, TD_RESOLUTION_KNOWN_ISSUE) == 0
      || (!is_open (self) && resolution_class == NULL && self->known_issue
          && row_int (self->ticket, "resolved_at") > 0))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     _ ("Resolved as a known issue (documented)"));
      subtitle = g_strdup (_ ("Counts towards the 30-minute known-issue target [3.4]."));
    }
  else if (clock.state == TD_DOC_CLOCK_RUNNING)
    {
      g_autofree char *left = td_format_countdown (clock.due, now);
      g_autofree char *due = format_instant (clock.due);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     _ ("New issue: document it within 24 hours"));
      /* TRANSLATORS: "due 2026-11-28 15:00 (23h 10m left)" */
      subtitle = g_strdup_printf (_ ("Write an article and link it: due %s (%s)"), due, left);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_row), "warning");
    }
  else if (clock.state == TD_DOC_CLOCK_BREACHED && clock.documented_at == 0)
    {
      g_autofree char *due = format_instant (clock.due);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     _ ("New issue not documented in time"));
      subtitle = g_strdup_printf (_ ("It was due %s; link an article to stop the clock."), due);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_row), "error");
    }
  else if (clock.state == TD_DOC_CLOCK_MET || clock.state == TD_DOC_CLOCK_BREACHED)
    {
      g_autofree char *when = format_instant (clock.documented_at);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     clock.state == TD_DOC_CLOCK_MET
                                         ? _ ("New issue, documented")
                                         : _ ("New issue, documented late"));
      subtitle = g_strdup_printf (_ ("Article linked %s."), when);
    }
  else if (is_open (self))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     self->known_issue ? _ ("A known issue is linked")
                                                       : _ ("Is this a known issue?"));
      subtitle
          = g_strdup (self->known_issue ? _ ("Resolving now counts as a known issue (documented).")
                                        : _ ("Search below and link the article that answers it."));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     self->n_linked > 0 ? _ ("Documented")
                                                        : _ ("No article linked"));
      subtitle = g_strdup (self->n_linked > 0 ? _ ("The linked articles cover this issue.")
                                              : _ ("Resolved without an article."));
    }
  adw_action_row_set_subtitle (self->state_row, subtitle);
}

static void
on_unlink (GtkButton *button, TdTicketKnowledge *self)
{
  const char *link = g_object_get_data (G_OBJECT (button), "link");
  g_autoptr (GError) error = NULL;

  if (!td_cache_delete (cache (self), "article_link", link, &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "ticket.toast", "s", error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "article_link", link);
}

static void
show_linked (TdTicketKnowledge *self)
{
  g_autoptr (GPtrArray) links = td_cache_list (cache (self), "article_link", "ticket",
                                               row_text (self->ticket, "uuid"), "created_at");
  gboolean may_link = td_session_may (self->session, "knowledge.write", 0);

  clear (self->linked_list);
  self->n_linked = 0;
  self->known_issue = FALSE;
  for (guint i = 0; i < links->len; i++)
    {
      JsonObject *link = g_ptr_array_index (links, i);
      g_autoptr (JsonObject) article
          = td_cache_get_row (cache (self), "article", row_text (link, "article"));
      GtkWidget       *row;
      GtkWidget       *unlink;
      g_autofree char *subtitle = NULL;
      const char      *workaround;

      if (article == NULL)
        continue;
      self->n_linked++;
      self->known_issue
          = self->known_issue
            || g_strcmp0 (row_text (article, "kind"), TD_ARTICLE_KIND_KNOWN_ISSUE) == 0;
      workaround = row_text (article, "workaround");
      /* Tier 1 reads the workaround here, without leaving the ticket. */
      if (workaround != NULL && *workaround != '\0')
        {
          g_autofree char *plain = td_knowledge_body_to_plain (workaround);
          subtitle = g_strdup_printf (_ ("%s · Workaround: %s"),
                                      kind_label (row_text (article, "kind")), plain);
        }
      else
        subtitle = g_strdup (kind_label (row_text (article, "kind")));
      row = adw_action_row_new ();
      gtk_widget_set_name (row, "linked-article");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_text (article, "title"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("emblem-documents-symbolic"));
      unlink = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      gtk_widget_set_tooltip_text (unlink, _ ("Unlink Article"));
      gtk_widget_set_valign (unlink, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (unlink, "flat");
      gtk_widget_set_sensitive (unlink, may_link);
      g_object_set_data_full (G_OBJECT (unlink), "link", g_strdup (row_text (link, "uuid")),
                              g_free);
      g_signal_connect (unlink, "clicked", G_CALLBACK (on_unlink), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), unlink);
      gtk_list_box_append (self->linked_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->linked_list), self->n_linked > 0);
}

static void
on_link (GtkButton *button, TdTicketKnowledge *self)
{
  const char *article = g_object_get_data (G_OBJECT (button), "article");
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;

  json_object_set_string_member (fields, "article", article);
  json_object_set_string_member (fields, "ticket", row_text (self->ticket, "uuid"));
  uuid = td_cache_create (cache (self), "article_link", fields, &error);
  if (uuid == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "ticket.toast", "s", error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  td_sync_engine_local_change (td_session_get_engine (self->session), "article_link", uuid);
}

static void
show_results (TdTicketKnowledge *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean    may_link = td_session_may (self->session, "knowledge.write", 0);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) linked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) links = td_cache_list (cache (self), "article_link", "ticket",
                                               row_text (self->ticket, "uuid"), NULL);
  guint shown = 0;

  for (guint i = 0; i < links->len; i++)
    g_hash_table_add (linked, g_strdup (row_text (g_ptr_array_index (links, i), "article")));
  clear (self->results_list);
  /* Nothing typed: what the ticket's title suggests, until an article is
   * linked. */
  if (*typed == '\0' && self->n_linked > 0)
    rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  else if (*typed == '\0')
    rows = td_cache_suggest_articles (cache (self), row_text (self->ticket, "title"),
                                      MAX_RESULTS + links->len);
  else
    rows = td_cache_search_articles (cache (self), typed, NULL, MAX_RESULTS + links->len);

  for (guint i = 0; i < rows->len && shown < MAX_RESULTS; i++)
    {
      JsonObject      *article = g_ptr_array_index (rows, i);
      GtkWidget       *row;
      GtkWidget       *link;
      g_autofree char *subtitle = NULL;

      if (g_hash_table_contains (linked, row_text (article, "uuid")))
        continue;
      subtitle = g_strcmp0 (row_text (article, "status"), "published") == 0
                     ? g_strdup (kind_label (row_text (article, "kind")))
                     : g_strdup_printf (_ ("%s · Draft"), kind_label (row_text (article, "kind")));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_text (article, "title"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      link = gtk_button_new_with_label (_ ("Link"));
      gtk_widget_set_name (link, "link-article");
      gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (link, may_link);
      g_object_set_data_full (G_OBJECT (link), "article", g_strdup (row_text (article, "uuid")),
                              g_free);
      g_signal_connect (link, "clicked", G_CALLBACK (on_link), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), link);
      gtk_list_box_append (self->results_list, row);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), shown > 0);
  gtk_label_set_text (
      self->results_label,
      shown > 0 ? (*typed == '\0' ? _ ("Suggested by the ticket’s title") : _ ("Matching articles"))
      : *typed != '\0' ? _ ("No article matches; if the issue is new, flag it "
                            "below and write one within 24 hours.")
                       : "");
  gtk_widget_set_visible (GTK_WIDGET (self->results_label),
                          *gtk_label_get_text (self->results_label) != '\0');
}

static void
on_search_changed (TdTicketKnowledge *self)
{
  if (self->ticket != NULL)
    show_results (self);
}

static GtkWidget *
boxed_list (const char *name)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_set_name (list, name);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static void
td_ticket_knowledge_dispose (GObject *object)
{
  TdTicketKnowledge *self = TD_TICKET_KNOWLEDGE (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->ticket, json_object_unref);

  G_OBJECT_CLASS (td_ticket_knowledge_parent_class)->dispose (object);
}

static void
td_ticket_knowledge_class_init (TdTicketKnowledgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = td_ticket_knowledge_dispose;
}

/* Built in code: a template of its own would replace the group's. */
static void
td_ticket_knowledge_init (TdTicketKnowledge *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self);
  GtkWidget           *state_list = boxed_list ("knowledge-state");
  GtkWidget           *new_issue_list = boxed_list ("knowledge-new-issue");

  adw_preferences_group_set_title (group, _ ("Knowledge"));
  adw_preferences_group_set_description (
      group, _ ("Link the article that answers this ticket. New issues are documented within 24 "
                "hours [10.2]."));

  self->state_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->state_row), "knowledge-state-row");
  adw_action_row_add_prefix (self->state_row,
                             gtk_image_new_from_icon_name ("system-help-symbolic"));
  gtk_list_box_append (GTK_LIST_BOX (state_list), GTK_WIDGET (self->state_row));
  adw_preferences_group_add (group, state_list);

  self->linked_list = GTK_LIST_BOX (boxed_list ("knowledge-linked"));
  gtk_widget_set_margin_top (GTK_WIDGET (self->linked_list), 12);
  adw_preferences_group_add (group, GTK_WIDGET (self->linked_list));

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->search_entry), "knowledge-ticket-search");
  g_object_set (self->search_entry, "placeholder-text", _ ("Search the knowledge base"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Search the knowledge base"),
                                  -1);
  gtk_widget_set_margin_top (GTK_WIDGET (self->search_entry), 12);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                            self);
  adw_preferences_group_add (group, GTK_WIDGET (self->search_entry));

  self->results_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->results_label, 0);
  gtk_label_set_wrap (self->results_label, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->results_label), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->results_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->results_label), "caption");
  adw_preferences_group_add (group, GTK_WIDGET (self->results_label));

  self->results_list = GTK_LIST_BOX (boxed_list ("knowledge-results"));
  gtk_widget_set_margin_top (GTK_WIDGET (self->results_list), 6);
  adw_preferences_group_add (group, GTK_WIDGET (self->results_list));

  self->new_issue_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->new_issue_row),
                                 _ ("New issue, not in the knowledge base"));
  adw_action_row_set_subtitle (self->new_issue_row,
                               _ ("When resolving: starts the 24-hour clock to document it"));
  self->new_issue_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_name (GTK_WIDGET (self->new_issue_switch), "new-issue");
  gtk_widget_set_valign (GTK_WIDGET (self->new_issue_switch), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->new_issue_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("New issue, not in the knowledge base"), -1);
  adw_action_row_add_suffix (self->new_issue_row, GTK_WIDGET (self->new_issue_switch));
  adw_action_row_set_activatable_widget (self->new_issue_row, GTK_WIDGET (self->new_issue_switch));
  gtk_list_box_append (GTK_LIST_BOX (new_issue_list), GTK_WIDGET (self->new_issue_row));
  gtk_widget_set_margin_top (new_issue_list, 12);
  adw_preferences_group_add (group, new_issue_list);
}

void
td_ticket_knowledge_show (TdTicketKnowledge *self, TdSession *session, JsonObject *ticket)
{
  gboolean may_link;

  g_return_if_fail (TD_IS_TICKET_KNOWLEDGE (self));
  g_return_if_fail (TD_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_clear_pointer (&self->ticket, json_object_unref);
  self->ticket = ticket != NULL ? json_object_ref (ticket) : NULL;
  if (ticket == NULL)
    return;

  may_link = td_session_may (session, "knowledge.write", 0);
  show_linked (self);
  show_state (self);
  show_results (self);
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry), may_link);
  /* Only an open ticket is resolved; a linked article documents it. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->new_issue_row)),
                          is_open (self) && self->n_linked == 0);
  if (self->n_linked > 0)
    gtk_switch_set_active (self->new_issue_switch, FALSE);
}

gboolean
td_ticket_knowledge_get_new_issue (TdTicketKnowledge *self)
{
  g_return_val_if_fail (TD_IS_TICKET_KNOWLEDGE (self), FALSE);
  return self->n_linked == 0 && gtk_switch_get_active (self->new_issue_switch);
}

gboolean
td_ticket_knowledge_has_known_issue (TdTicketKnowledge *self)
{
  g_return_val_if_fail (TD_IS_TICKET_KNOWLEDGE (self), FALSE);
  return self->known_issue;
}

guint
td_ticket_knowledge_get_n_linked (TdTicketKnowledge *self)
{
  g_return_val_if_fail (TD_IS_TICKET_KNOWLEDGE (self), 0);
  return self->n_linked;
}
