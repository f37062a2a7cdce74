/* td-team-page.c — the team directory, Tier 4 engagement, the contact card and approvals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four sections over the synced cache: People (the directory [3.6, 4.6,
 * 5.6] by tier and sub-team [5.3], with edit forms for those the policy
 * lets write it, and the support model's unnamed slots to fill), Tier 4
 * Engagement ([6.2] with the contacts of [6.3]), the Contact Card
 * ([Appendix A] with who is on call now, copied or printed) and Approvals
 * (data corrections [4.5] and tool access [9.2]). Every write goes through
 * the cache's outbox; the server checks each one again.
 */
#include "config.h"

#include "td-team-page.h"

#include <glib/gi18n.h>

#include "td-a11y.h"
#include "td-access.h"
#include "td-cache.h"
#include "td-contact-card.h"
#include "td-correction.h"
#include "td-follow-ups.h"
#include "td-pir.h"
#include "td-rota-store.h"
#include "td-sync-engine.h"
#include "td-time.h"

struct _TdTeamPage
{
  GtkWidget parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack        *sections;
  GtkSearchEntry  *search_entry;
  GtkDropDown     *filter_dropdown;
  GtkStringList   *filter_list;
  GtkListBox      *people_list;
  GtkButton       *add_person_button;
  GtkBox          *details_box;
  GtkBox          *engagement_box;
  GtkLabel        *card_title;
  GtkLabel        *card_subtitle;
  GtkBox          *card_box;
  GtkBox          *approvals_box;

  TdSession *session;
  gulong     rows_changed_id;
  guint      reload_id;

  GPtrArray         *people;      /* JsonObject person rows, by tier then name */
  GPtrArray         *corrections; /* JsonObject correction_request rows, newest first */
  GPtrArray         *accesses;    /* JsonObject access_request rows, newest first */
  GArray            *filters;     /* Filter, parallel to filter_list */
  char              *selected;    /* person uuid */
  gboolean           rebuilding;  /* the list is being refilled: keep the selection */
  TdRotaStore       *rotas;
  TdContactCard     *card;
  GtkPrintOperation *printing;       /* while its dialog is open, or it prints */
  GtkPrintSettings  *print_settings; /* preset: what the print dialog opens with */
};

G_DEFINE_FINAL_TYPE (TdTeamPage, td_team_page, GTK_TYPE_WIDGET)

typedef struct
{
  int   tier;     /* 0: any */
  char *sub_team; /* NULL: any */
} Filter;

/* Helpers */

static TdCache *
cache (TdTeamPage *self)
{
  return self->session != NULL ? td_session_get_cache (self->session) : NULL;
}

static TdPolicy *
policy (TdTeamPage *self)
{
  return self->session != NULL ? td_session_get_policy (self->session) : NULL;
}

/* Who the server records as requester or decider: the account's person,
 * else its user name. */
static const char *
me (TdTeamPage *self)
{
  if (self->session == NULL)
    return NULL;
  return td_session_get_person (self->session) != NULL ? td_session_get_person (self->session)
                                                       : td_session_get_user (self->session);
}

static const char *
my_role (TdTeamPage *self)
{
  return self->session != NULL ? td_session_get_role (self->session) : NULL;
}

static gboolean
may (TdTeamPage *self, const char *action)
{
  return self->session != NULL && my_role (self) != NULL
         && td_session_may (self->session, action, 0);
}

static void
toast (TdTeamPage *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static const char *
text_member (JsonObject *row, const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *row, const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static JsonObject *
find_person (TdTeamPage *self, const char *uuid)
{
  for (guint i = 0; uuid != NULL && i < self->people->len; i++)
    {
      JsonObject *row = g_ptr_array_index (self->people, i);

      if (g_strcmp0 (text_member (row, "uuid"), uuid) == 0)
        return row;
    }
  return NULL;
}

/* A requester or decider as a person reads it: the name, else the
 * account name the server recorded. */
static const char *
who (TdTeamPage *self, const char *id)
{
  JsonObject *person = find_person (self, id);

  if (id == NULL)
    return _ ("someone");
  return person != NULL && text_member (person, "name") != NULL ? text_member (person, "name") : id;
}

static const char *
role_name (TdTeamPage *self, const char *id)
{
  const TdRole *role
      = id != NULL && policy (self) != NULL ? td_policy_get_role (policy (self), id) : NULL;

  return role != NULL ? role->name : id;
}

static const TdTier *
tier_info (TdTeamPage *self, int level)
{
  return policy (self) != NULL ? td_policy_get_tier (policy (self), level) : NULL;
}

static const char *
sub_team_name (TdTeamPage *self, const char *id)
{
  GPtrArray *tiers = policy (self) != NULL ? td_policy_get_tiers (policy (self)) : NULL;

  for (guint i = 0; id != NULL && tiers != NULL && i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      for (guint j = 0; tier->sub_teams != NULL && j < tier->sub_teams->len; j++)
        {
          const TdSubTeam *sub_team = g_ptr_array_index (tier->sub_teams, j);

          if (g_str_equal (sub_team->id, id))
            return sub_team->name;
        }
    }
  return id;
}

/* The person's tier, else their role's. */
static int
person_tier (TdTeamPage *self, JsonObject *person)
{
  const TdRole *role;

  if (int_member (person, "tier") > 0)
    return (int) int_member (person, "tier");
  role = policy (self) != NULL && text_member (person, "role") != NULL
             ? td_policy_get_role (policy (self), text_member (person, "role"))
             : NULL;
  return role != NULL ? role->tier : 0;
}

static GtkWidget *
label_new (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* A button with a mnemonic, named for screen readers by the text it shows:
 * GTK 4.8 would also read its raw label ("_Approve Approve"); see td-a11y.c. */
static GtkWidget *
mnemonic_button_new (const char *label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  return button;
}

static GtkWidget *
group_new (const char *title, const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  return group;
}

/* A row reading "label … value"; a blank value reads "Not set". */
static GtkWidget *
value_row (const char *label, const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *text = gtk_label_new (is_blank (value) ? _ ("Not set") : value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  gtk_label_set_selectable (GTK_LABEL (text), !is_blank (value));
  /* A number or an address reads on one line; the row's title gives way. */
  gtk_label_set_xalign (GTK_LABEL (text), 1);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_halign (text, GTK_ALIGN_END);
  if (is_blank (value))
    gtk_widget_add_css_class (text, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), text);
  return row;
}

static GtkWidget *
info_row (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static gint64
server_now (TdTeamPage *self)
{
  TdSyncEngine *engine = self->session != NULL ? td_session_get_engine (self->session) : NULL;

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

static char *
format_local (gint64 instant, const char *zone_id, const char *format)
{
  g_autoptr (GTimeZone) zone = zone_id != NULL ? g_time_zone_new_identifier (zone_id) : NULL;
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  if (zone == NULL)
    zone = g_time_zone_new_local ();
  local = g_date_time_to_timezone (utc, zone);
  return g_date_time_format (local, format);
}

/* Writes @fields through the outbox and tells the engine; FALSE with a
 * toast if the cache refused. */
static gboolean
write_row (TdTeamPage *self, const char *entity, const char *uuid, JsonObject *fields)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *created = NULL;

  if (cache (self) == NULL)
    return FALSE;
  if (uuid == NULL)
    created = td_cache_create (cache (self), entity, fields, &error);
  else if (!td_cache_update (cache (self), entity, uuid, fields, &error))
    g_prefix_error (&error, "%s: ", entity);
  if (error != NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  if (td_session_get_engine (self->session) != NULL)
    td_sync_engine_local_change (td_session_get_engine (self->session), entity,
                                 uuid != NULL ? uuid : created);
  return TRUE;
}

/* People */

static int
compare_people (gconstpointer a, gconstpointer b, gpointer user_data)
{
  TdTeamPage *self = user_data;
  JsonObject *left = *(JsonObject **) a;
  JsonObject *right = *(JsonObject **) b;
  int         left_tier = person_tier (self, left);
  int         right_tier = person_tier (self, right);

  /* People without a tier (trainers, administrators) come last. */
  if (left_tier != right_tier)
    return (left_tier == 0 ? 99 : left_tier) - (right_tier == 0 ? 99 : right_tier);
  return g_utf8_collate (text_member (left, "name") != NULL ? text_member (left, "name") : "",
                         text_member (right, "name") != NULL ? text_member (right, "name") : "");
}

static char *
tier_heading (TdTeamPage *self, int level)
{
  const TdTier *tier = tier_info (self, level);

  if (level == 0)
    return g_strdup (_ ("Outside the Tiers"));
  return tier != NULL ? g_strdup (tier->name) : g_strdup_printf (_ ("Tier %d"), level);
}

static void
people_header (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  TdTeamPage *self = user_data;
  int         tier = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "tier"));

  if (before == NULL || GPOINTER_TO_INT (g_object_get_data (G_OBJECT (before), "tier")) != tier)
    {
      g_autofree char *text = tier_heading (self, tier);
      GtkWidget       *header = label_new (text, "heading");

      gtk_widget_set_margin_top (header, before == NULL ? 6 : 18);
      gtk_widget_set_margin_bottom (header, 6);
      gtk_widget_set_margin_start (header, 12);
      gtk_widget_add_css_class (header, "dim-label");
      gtk_list_box_row_set_header (row, header);
    }
  else
    gtk_list_box_row_set_header (row, NULL);
}

static gboolean
people_filter (GtkListBoxRow *row, gpointer user_data)
{
  TdTeamPage   *self = user_data;
  const char   *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint         chosen = gtk_drop_down_get_selected (self->filter_dropdown);
  const char   *haystack = g_object_get_data (G_OBJECT (row), "search");
  const Filter *filter
      = chosen < self->filters->len ? &g_array_index (self->filters, Filter, chosen) : NULL;

  if (filter != NULL && filter->tier != 0
      && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "tier")) != filter->tier)
    return FALSE;
  if (filter != NULL && filter->sub_team != NULL
      && g_strcmp0 (g_object_get_data (G_OBJECT (row), "sub-team"), filter->sub_team) != 0)
    return FALSE;
  if (!is_blank (query))
    {
      g_autofree char *folded = g_utf8_casefold (query, -1);
      g_autofree char *needle = g_strstrip (g_strdup (folded));

      return haystack != NULL && strstr (haystack, needle) != NULL;
    }
  return TRUE;
}

static GtkWidget *
person_row (TdTeamPage *self, JsonObject *person)
{
  GtkWidget       *row = gtk_list_box_row_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  const char      *uuid = text_member (person, "uuid");
  const char      *name = text_member (person, "name");
  const char      *sub_team = text_member (person, "sub_team");
  const char      *role = role_name (self, text_member (person, "role"));
  g_autofree char *subtitle = NULL;
  g_autofree char *search = NULL;
  g_autofree char *widget_name = g_strdup_printf ("person-%s", uuid);

  if (sub_team != NULL)
    subtitle = g_strdup_printf ("%s · %s", role != NULL ? role : _ ("No role"),
                                sub_team_name (self, sub_team));
  else
    subtitle = g_strdup (role != NULL ? role : _ ("No role"));
  search = g_strjoin (" ", name != NULL ? name : "", subtitle,
                      text_member (person, "email") != NULL ? text_member (person, "email") : "",
                      text_member (person, "shift") != NULL ? text_member (person, "shift") : "",
                      NULL);

  gtk_widget_set_name (row, widget_name);
  g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (uuid), g_free);
  g_object_set_data_full (G_OBJECT (row), "sub-team", g_strdup (sub_team), g_free);
  g_object_set_data_full (G_OBJECT (row), "search", g_utf8_casefold (search, -1), g_free);
  g_object_set_data (G_OBJECT (row), "tier", GINT_TO_POINTER (person_tier (self, person)));
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), label_new (name != NULL && *name ? name : _ ("Unnamed"), NULL));
  {
    GtkWidget *sub = label_new (subtitle, "dim-label");
    gtk_widget_add_css_class (sub, "caption");
    gtk_box_append (GTK_BOX (box), sub);
  }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
rebuild_filters (TdTeamPage *self)
{
  GPtrArray *tiers = policy (self) != NULL ? td_policy_get_tiers (policy (self)) : NULL;
  guint      chosen = gtk_drop_down_get_selected (self->filter_dropdown);
  guint      n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_list));
  Filter     all = { 0, NULL };

  g_array_set_size (self->filters, 0);
  g_array_append_val (self->filters, all);
  for (guint i = 0; tiers != NULL && i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);
      Filter        by_tier = { tier->level, NULL };

      g_array_append_val (self->filters, by_tier);
      for (guint j = 0; tier->sub_teams != NULL && j < tier->sub_teams->len; j++)
        {
          const TdSubTeam *sub_team = g_ptr_array_index (tier->sub_teams, j);
          Filter           by_sub_team = { tier->level, g_strdup (sub_team->id) };

          g_array_append_val (self->filters, by_sub_team);
        }
    }
  {
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < self->filters->len; i++)
      {
        const Filter *filter = &g_array_index (self->filters, Filter, i);

        if (filter->tier == 0)
          g_ptr_array_add (names, g_strdup (_ ("Everyone")));
        else if (filter->sub_team == NULL)
          g_ptr_array_add (names, tier_heading (self, filter->tier));
        else
          /* TRANSLATORS: a sub-team under its tier in the filter, e.g. "— DBA" */
          g_ptr_array_add (names,
                           g_strdup_printf (_ ("— %s"), sub_team_name (self, filter->sub_team)));
      }
    g_ptr_array_add (names, NULL);
    gtk_string_list_splice (self->filter_list, 0, n, (const char *const *) names->pdata);
  }
  gtk_drop_down_set_selected (self->filter_dropdown, chosen < self->filters->len ? chosen : 0);
}

static void rebuild_details (TdTeamPage *self);

static void
rebuild_people (TdTeamPage *self)
{
  GtkListBoxRow *row;
  GtkListBoxRow *selected = NULL;

  self->rebuilding = TRUE;
  /* Rows only (their headers go with them), and no headers made for rows
   * about to go: the header function comes back once the list is full. */
  gtk_list_box_set_header_func (self->people_list, NULL, NULL, NULL);
  while ((row = gtk_list_box_get_row_at_index (self->people_list, 0)) != NULL)
    gtk_list_box_remove (self->people_list, GTK_WIDGET (row));
  for (guint i = 0; i < self->people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (self->people, i);
      GtkWidget  *widget = person_row (self, person);

      gtk_list_box_append (self->people_list, widget);
      if (g_strcmp0 (self->selected, text_member (person, "uuid")) == 0)
        selected = GTK_LIST_BOX_ROW (widget);
    }
  gtk_list_box_set_header_func (self->people_list, people_header, self, NULL);
  if (selected != NULL)
    gtk_list_box_select_row (self->people_list, selected);
  else
    g_clear_pointer (&self->selected, g_free);
  self->rebuilding = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.add-person", may (self, "person.write"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_person_button),
                               may (self, "person.write")
                                   ? _ ("Add someone to the team directory (Ctrl+Shift+N)")
                                   : _ ("Only managers and administrators edit the directory"));
}

/* The support model's slots [3.6, 4.6, 5.6, 6.3] nobody in the directory
 * fills yet: a role with three slots and one person leaves two. */
typedef struct
{
  int               tier;
  const TdTeamSlot *slot;
} OpenSlot;

static GArray *
open_slots (TdTeamPage *self)
{
  GArray    *open = g_array_new (FALSE, FALSE, sizeof (OpenSlot));
  GPtrArray *tiers = policy (self) != NULL ? td_policy_get_tiers (policy (self)) : NULL;

  for (guint i = 0; tiers != NULL && i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint j = 0; tier->team_structure != NULL && j < tier->team_structure->len; j++)
        {
          const TdTeamSlot *slot = g_ptr_array_index (tier->team_structure, j);
          guint             held = 0;
          guint             before = GPOINTER_TO_UINT (g_hash_table_lookup (seen, slot->role));

          for (guint k = 0; k < self->people->len; k++)
            if (g_strcmp0 (text_member (g_ptr_array_index (self->people, k), "role"), slot->role)
                == 0)
              held++;
          /* This is the (before + 1)th slot of its role. */
          if (held <= before)
            {
              OpenSlot entry = { tier->level, slot };
              g_array_append_val (open, entry);
            }
          g_hash_table_insert (seen, slot->role, GUINT_TO_POINTER (before + 1));
        }
    }
  return open;
}

static void
on_missed_review_activated (AdwActionRow *row, TdTeamPage *self)
{
  td_follow_ups_open_review (GTK_WIDGET (self), self->session, GTK_LIST_BOX_ROW (row));
}

/* PIR participation [10.2]: the held reviews @person was required at,
 * from the synced pir rows, and the ones missed, for a manager to follow
 * up; each opens its review. */
static GtkWidget *
participation_group (TdTeamPage *self, const char *person)
{
  TdCache *cache = td_session_get_cache (self->session);
  g_autoptr (GPtrArray) rows = td_cache_list (cache, "pir", NULL, NULL, "held_at");
  g_autoptr (GPtrArray) pirs = g_ptr_array_new_with_free_func ((GDestroyNotify) td_pir_free);
  g_autoptr (GPtrArray) missed = NULL;
  GtkWidget *group;
  guint      required = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      TdPir *pir = td_pir_new_from_row (g_ptr_array_index (rows, i), NULL);

      if (pir != NULL)
        g_ptr_array_add (pirs, pir);
    }
  td_pir_participation (pirs, person, &required, NULL);
  missed = td_pir_missed (pirs, person);

  group = group_new (_ ("Post-Incident Reviews"),
                     _ ("Attendance is mandatory where required, for SEV-1 and SEV-2 incidents."));
  gtk_widget_set_name (group, "person-pir-participation");
  if (required == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               info_row (_ ("Not required at any review held so far"), NULL));
  else
    {
      g_autofree char *title
          = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Attended %u of %u required review",
                                          "Attended %u of %u required reviews", required),
                             required - missed->len, required);
      g_autofree char *subtitle
          = missed->len == 0
                ? g_strdup (_ ("None missed"))
                : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u missed, listed below",
                                                "%u missed, listed below", missed->len),
                                   missed->len);
      GtkWidget *row = info_row (title, subtitle);

      gtk_widget_set_name (row, "pir-participation");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  for (guint i = 0; i < missed->len; i++)
    {
      const TdPir *pir = g_ptr_array_index (missed, i);
      g_autoptr (JsonObject) ticket = td_cache_get_row (cache, "ticket", pir->ticket);
      g_autoptr (GDateTime) held = g_date_time_new_from_unix_local (pir->held_at);
      g_autofree char *date = g_date_time_format (held, "%Y-%m-%d");
      const char      *severity = ticket != NULL ? text_member (ticket, "severity") : NULL;
      /* TRANSLATORS: a review someone missed: "Missed · SEV-2 · held 2026-11-20" */
      g_autofree char *subtitle
          = g_strdup_printf (_ ("Missed · %s · held %s"), severity != NULL ? severity : "—", date);
      GtkWidget *row = info_row (ticket != NULL && text_member (ticket, "title") != NULL
                                     ? text_member (ticket, "title")
                                     : pir->ticket,
                                 subtitle);

      gtk_widget_add_css_class (row, "error");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _ ("Open the review"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "ticket", g_strdup (pir->ticket), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_missed_review_activated), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  return group;
}

static void
rebuild_details (TdTeamPage *self)
{
  JsonObject *person = find_person (self, self->selected);
  g_autoptr (GArray) open = open_slots (self);
  gboolean writer = may (self, "person.write");

  clear_box (self->details_box);
  if (person != NULL)
    {
      const char      *name = text_member (person, "name");
      int              tier = person_tier (self, person);
      g_autofree char *heading = NULL;
      GtkWidget       *group;
      GtkWidget       *edit;

      heading = tier > 0 ? g_strdup_printf (_ ("%s · Tier %d"),
                                            role_name (self, text_member (person, "role")) != NULL
                                                ? role_name (self, text_member (person, "role"))
                                                : _ ("No role"),
                                            tier)
                         : g_strdup (role_name (self, text_member (person, "role")) != NULL
                                         ? role_name (self, text_member (person, "role"))
                                         : _ ("No role"));
      group = group_new (name != NULL ? name : _ ("Unnamed"), heading);
      gtk_widget_set_name (group, "person-details");
      edit = mnemonic_button_new (_ ("_Edit…"));
      gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "team.edit-person");
      gtk_widget_set_name (edit, "edit-person");
      gtk_widget_set_tooltip_text (edit, writer ? _ ("Change this entry (Ctrl+E)")
                                                : _ ("Only managers and administrators edit the "
                                                     "directory"));
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), edit);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 value_row (_ ("Email"), text_member (person, "email")));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 value_row (_ ("Phone"), text_member (person, "phone")));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 value_row (_ ("Shift"), text_member (person, "shift")));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 value_row (_ ("Time zone"), text_member (person, "time_zone")));
      if (text_member (person, "sub_team") != NULL || tier == 3)
        adw_preferences_group_add (
            ADW_PREFERENCES_GROUP (group),
            value_row (_ ("Sub-team"), sub_team_name (self, text_member (person, "sub_team"))));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 value_row (_ ("Start date"), text_member (person, "start_date")));
      if (tier == 4 || text_member (person, "engage_when") != NULL)
        adw_preferences_group_add (
            ADW_PREFERENCES_GROUP (group),
            value_row (_ ("Engage when"), text_member (person, "engage_when")));
      gtk_box_append (self->details_box, group);
      gtk_box_append (self->details_box, participation_group (self, text_member (person, "uuid")));
    }
  else if (self->session != NULL && open->len > 0)
    /* The open positions below are what there is to do: a line, not a
     * status page, which would crowd them. */
    gtk_box_append (self->details_box,
                    label_new (self->people->len > 0
                                   ? _ ("Choose someone on the left to see their details.")
                                   : _ ("Nobody is in the directory yet. Fill the support "
                                        "model’s positions below, or add people."),
                               "dim-label"));
  else
    {
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "system-users-symbolic");
      if (self->session == NULL)
        {
          adw_status_page_set_title (ADW_STATUS_PAGE (status), _ ("Not Signed In"));
          adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                           _ ("Sign in on the Queue page to see the team."));
        }
      else
        {
          adw_status_page_set_title (ADW_STATUS_PAGE (status), _ ("Choose Someone"));
          adw_status_page_set_description (
              ADW_STATUS_PAGE (status),
              _ ("Their contact details, shift and sub-team appear here."));
        }
      gtk_widget_add_css_class (status, "compact");
      gtk_box_append (self->details_box, status);
    }

  if (self->session != NULL && open->len > 0)
    {
      GtkWidget *group = group_new (
          _ ("Open Positions"),
          _ ("Places in the support model that nobody in the directory fills yet ([TBD] in the "
             "model)."));

      gtk_widget_set_name (group, "open-positions");
      for (guint i = 0; i < open->len; i++)
        {
          const OpenSlot  *entry = &g_array_index (open, OpenSlot, i);
          g_autofree char *title = g_strdup_printf ("%s · %s", role_name (self, entry->slot->role),
                                                    tier_info (self, entry->tier) != NULL
                                                        ? tier_info (self, entry->tier)->short_name
                                                        : "");
          GtkWidget       *row = info_row (title, entry->slot->note);
          GtkWidget       *fill = mnemonic_button_new (_ ("_Fill…"));

          gtk_widget_set_valign (fill, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (fill), "team.fill-slot");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (fill), "(is)", entry->tier,
                                            entry->slot->role);
          gtk_widget_set_tooltip_text (fill, writer ? _ ("Add the person who holds this position")
                                                    : _ ("Only managers and administrators edit "
                                                         "the directory"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), fill);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
      gtk_box_append (self->details_box, group);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.edit-person", person != NULL && writer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.fill-slot", writer);
}

static void
on_person_selected (TdTeamPage *self, GtkListBoxRow *row)
{
  const char *uuid = row != NULL ? g_object_get_data (G_OBJECT (row), "uuid") : NULL;

  if (self->rebuilding || (row == NULL && self->selected == NULL))
    return;
  if (g_strcmp0 (uuid, self->selected) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (uuid);
  rebuild_details (self);
}

static void
on_filter_changed (TdTeamPage *self)
{

  gtk_list_box_invalidate_filter (self->people_list);
}

/* The person form */

typedef struct
{
  TdTeamPage  *page;
  GtkWindow   *window;
  char        *uuid; /* NULL: a new person */
  AdwEntryRow *name;
  AdwComboRow *role;
  AdwComboRow *tier;
  AdwComboRow *sub_team;
  AdwEntryRow *email;
  AdwEntryRow *phone;
  AdwEntryRow *shift;
  AdwEntryRow *time_zone;
  AdwEntryRow *start_date;
  AdwEntryRow *engage_when;
  GtkLabel    *error;
  GPtrArray   *role_ids;     /* index 0: none */
  GPtrArray   *sub_team_ids; /* index 0: none */
} PersonForm;

static void
person_form_free (gpointer data)
{
  PersonForm *form = data;

  g_object_unref (form->page);
  g_free (form->uuid);
  g_ptr_array_unref (form->role_ids);
  g_ptr_array_unref (form->sub_team_ids);
  g_free (form);
}

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
form_error (GtkLabel *label, GtkWidget *culprit, const char *message)
{
  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  if (culprit != NULL)
    {
      gtk_widget_add_css_class (culprit, "error");
      gtk_widget_grab_focus (culprit);
    }
}

/* Sets @name in @fields if it differs from @row (a new person: if not
 * blank); blank clears it. */
static void
set_changed (JsonObject *fields, JsonObject *row, const char *name, const char *value)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value != NULL ? value : ""));
  const char      *old = text_member (row, name);

  if (row == NULL && *stripped == '\0')
    return;
  if (g_strcmp0 (old, *stripped != '\0' ? stripped : NULL) == 0)
    return;
  if (*stripped == '\0')
    json_object_set_null_member (fields, name);
  else
    json_object_set_string_member (fields, name, stripped);
}

static void
on_person_save (PersonForm *form)
{
  TdTeamPage *self = form->page;
  JsonObject *row = form->uuid != NULL ? find_person (self, form->uuid) : NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autofree char *zone = g_strstrip (g_strdup (entry_text (form->time_zone)));
  g_autofree char *date = g_strstrip (g_strdup (entry_text (form->start_date)));
  guint            role = adw_combo_row_get_selected (form->role);
  guint            tier = adw_combo_row_get_selected (form->tier);
  guint            sub_team = adw_combo_row_get_selected (form->sub_team);

  gtk_widget_remove_css_class (GTK_WIDGET (form->name), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (form->time_zone), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (form->start_date), "error");
  if (is_blank (entry_text (form->name)))
    return form_error (form->error, GTK_WIDGET (form->name), _ ("Name: required"));
  if (*zone != '\0')
    {
      g_autoptr (GTimeZone) time_zone = g_time_zone_new_identifier (zone);

      if (time_zone == NULL)
        {
          g_autofree char *message = g_strdup_printf (
              _ ("Time zone: “%s” is not a time zone (expected a name such as Europe/London)"),
              zone);
          return form_error (form->error, GTK_WIDGET (form->time_zone), message);
        }
    }
  if (*date != '\0' && !td_time_parse_date (date, NULL))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("Start date: “%s” is not a date (expected YYYY-MM-DD)"), date);
      return form_error (form->error, GTK_WIDGET (form->start_date), message);
    }

  set_changed (fields, row, "name", entry_text (form->name));
  set_changed (fields, row, "role",
               role > 0 && role < form->role_ids->len ? g_ptr_array_index (form->role_ids, role)
                                                      : NULL);
  if (row == NULL ? tier > 0 : int_member (row, "tier") != (gint64) tier)
    {
      if (tier > 0)
        json_object_set_int_member (fields, "tier", tier);
      else
        json_object_set_null_member (fields, "tier");
    }
  set_changed (fields, row, "sub_team",
               sub_team > 0 && sub_team < form->sub_team_ids->len
                   ? g_ptr_array_index (form->sub_team_ids, sub_team)
                   : NULL);
  set_changed (fields, row, "email", entry_text (form->email));
  set_changed (fields, row, "phone", entry_text (form->phone));
  set_changed (fields, row, "shift", entry_text (form->shift));
  set_changed (fields, row, "time_zone", zone);
  set_changed (fields, row, "start_date", date);
  set_changed (fields, row, "engage_when", entry_text (form->engage_when));

  if (json_object_get_size (fields) > 0 && !write_row (self, "person", form->uuid, fields))
    return;
  toast (self, form->uuid != NULL ? _ ("Saved") : _ ("Added to the directory"));
  gtk_window_destroy (form->window);
}

static void
on_role_picked (PersonForm *form)
{
  guint         role = adw_combo_row_get_selected (form->role);
  const TdRole *picked
      = role > 0 && role < form->role_ids->len
            ? td_policy_get_role (policy (form->page), g_ptr_array_index (form->role_ids, role))
            : NULL;

  /* A role belongs to a tier: follow it unless there is none. */
  if (picked != NULL && picked->tier > 0)
    adw_combo_row_set_selected (form->tier, picked->tier);
}

static AdwEntryRow *
entry_row (AdwPreferencesGroup *group, const char *title, const char *value, const char *name)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  gtk_widget_set_name (row, name);
  adw_preferences_group_add (group, row);
  return ADW_ENTRY_ROW (row);
}

static AdwComboRow *
combo_row (AdwPreferencesGroup *group, const char *title, GtkStringList *names, guint selected)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  adw_preferences_group_add (group, row);
  g_object_unref (names);
  return ADW_COMBO_ROW (row);
}

/* A modal form: a header bar with Cancel and @action_label, @content under it. */
static GtkWindow *
form_window (TdTeamPage    *self,
             const char    *title,
             const char    *action_label,
             GtkWidget     *content,
             GCallback      on_action,
             gpointer       form,
             GDestroyNotify free_form,
             GtkWidget    **action_button)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = mnemonic_button_new (_ ("_Cancel"));
  GtkWidget *action = mnemonic_button_new (action_label);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_default_size (GTK_WINDOW (window), 580, -1);
  g_object_set_data_full (G_OBJECT (window), "form", form, free_form);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  gtk_widget_add_css_class (action, "suggested-action");
  gtk_widget_set_name (action, "form-action");
  g_signal_connect_swapped (action, "clicked", on_action, form);
  gtk_window_set_default_widget (GTK_WINDOW (window), action);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), action);
  gtk_box_append (GTK_BOX (box), header);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  /* As tall as the form, up to what a laptop screen shows. */
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 600);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), content);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);
  td_a11y_name_internal_buttons (window);
  if (action_button != NULL)
    *action_button = action;
  return GTK_WINDOW (window);
}

static GtkLabel *
error_label (GtkWidget *box)
{
  GtkWidget *label = label_new (NULL, "error");

  gtk_widget_set_visible (label, FALSE);
  gtk_widget_set_name (label, "form-error");
  /* At the top, where it is seen without scrolling; the field turns red too. */
  gtk_box_prepend (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static void
open_person_form (TdTeamPage *self, JsonObject *row, int tier, const TdTeamSlot *slot)
{
  PersonForm    *form = g_new0 (PersonForm, 1);
  GtkWidget     *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget     *group = adw_preferences_group_new ();
  GtkStringList *roles = gtk_string_list_new (NULL);
  GtkStringList *tiers = gtk_string_list_new (NULL);
  GtkStringList *sub_teams = gtk_string_list_new (NULL);
  GPtrArray     *policy_roles = td_policy_get_roles (policy (self));
  GPtrArray     *policy_tiers = td_policy_get_tiers (policy (self));
  const char *role_id = row != NULL ? text_member (row, "role") : slot != NULL ? slot->role : NULL;
  const char *sub_team_id = text_member (row, "sub_team");
  guint       role_index = 0;
  guint       sub_team_index = 0;
  g_autofree char *title = NULL;

  form->page = g_object_ref (self);
  form->uuid = g_strdup (text_member (row, "uuid"));
  form->role_ids = g_ptr_array_new_with_free_func (g_free);
  form->sub_team_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_string_list_append (roles, _ ("No role"));
  g_ptr_array_add (form->role_ids, NULL);
  for (guint i = 0; i < policy_roles->len; i++)
    {
      const TdRole *role = g_ptr_array_index (policy_roles, i);

      gtk_string_list_append (roles, role->name);
      g_ptr_array_add (form->role_ids, g_strdup (role->id));
      if (g_strcmp0 (role->id, role_id) == 0)
        role_index = i + 1;
    }
  gtk_string_list_append (tiers, _ ("No tier"));
  for (guint i = 0; i < policy_tiers->len; i++)
    gtk_string_list_append (tiers, ((TdTier *) g_ptr_array_index (policy_tiers, i))->name);
  gtk_string_list_append (sub_teams, _ ("None"));
  g_ptr_array_add (form->sub_team_ids, NULL);
  for (guint i = 0; i < policy_tiers->len; i++)
    {
      const TdTier *policy_tier = g_ptr_array_index (policy_tiers, i);

      for (guint j = 0; policy_tier->sub_teams != NULL && j < policy_tier->sub_teams->len; j++)
        {
          const TdSubTeam *sub_team = g_ptr_array_index (policy_tier->sub_teams, j);

          gtk_string_list_append (sub_teams, sub_team->name);
          g_ptr_array_add (form->sub_team_ids, g_strdup (sub_team->id));
          if (g_strcmp0 (sub_team->id, sub_team_id) == 0)
            sub_team_index = form->sub_team_ids->len - 1;
        }
    }

  form->name = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Name"), text_member (row, "name"),
                          "person-name");
  form->role = combo_row (ADW_PREFERENCES_GROUP (group), _ ("Role"), roles, role_index);
  form->tier = combo_row (ADW_PREFERENCES_GROUP (group), _ ("Tier"), tiers,
                          row != NULL ? (guint) int_member (row, "tier") : (guint) MAX (tier, 0));
  form->sub_team
      = combo_row (ADW_PREFERENCES_GROUP (group), _ ("Sub-team"), sub_teams, sub_team_index);
  gtk_box_append (GTK_BOX (box), group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Contact and Shift"));
  form->email = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Email"), text_member (row, "email"),
                           "person-email");
  form->phone = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Phone"), text_member (row, "phone"),
                           "person-phone");
  form->shift = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Shift"),
                           row != NULL ? text_member (row, "shift")
                           : slot != NULL && g_strcmp0 (slot->note_kind, "shift") == 0 ? slot->note
                                                                                       : NULL,
                           "person-shift");
  form->time_zone = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Time zone (e.g. Europe/London)"),
                               text_member (row, "time_zone"), "person-time-zone");
  form->start_date = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Start date (YYYY-MM-DD)"),
                                text_member (row, "start_date"), "person-start-date");
  form->engage_when
      = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Engage when (Tier 4)"),
                   row != NULL ? text_member (row, "engage_when")
                   : slot != NULL && g_strcmp0 (slot->note_kind, "when") == 0 ? slot->note
                                                                              : NULL,
                   "person-engage-when");
  gtk_box_append (GTK_BOX (box), group);
  form->error = error_label (box);
  g_signal_connect_swapped (form->role, "notify::selected", G_CALLBACK (on_role_picked), form);
  if (row == NULL && slot != NULL)
    on_role_picked (form);

  title = row != NULL ? g_strdup_printf (_ ("Edit %s"), text_member (row, "name"))
                      : g_strdup (slot != NULL ? _ ("Fill a Position") : _ ("Add a Person"));
  form->window = form_window (self, title, row != NULL ? _ ("_Save") : _ ("_Add"), box,
                              G_CALLBACK (on_person_save), form, person_form_free, NULL);
  gtk_widget_set_name (GTK_WIDGET (form->window), "person-form");
  gtk_window_present (form->window);
  gtk_widget_grab_focus (GTK_WIDGET (form->name));
}

static void
add_person_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_person_form (TD_TEAM_PAGE (widget), NULL, 0, NULL);
}

static void
edit_person_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTeamPage *self = TD_TEAM_PAGE (widget);
  JsonObject *person = find_person (self, self->selected);

  if (person != NULL)
    open_person_form (self, person, 0, NULL);
}

static void
fill_slot_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTeamPage   *self = TD_TEAM_PAGE (widget);
  int           tier;
  const char   *role;
  const TdTier *info;

  g_variant_get (parameter, "(i&s)", &tier, &role);
  info = tier_info (self, tier);
  for (guint i = 0; info != NULL && i < info->team_structure->len; i++)
    {
      const TdTeamSlot *slot = g_ptr_array_index (info->team_structure, i);

      if (g_str_equal (slot->role, role))
        {
          g_autoptr (GArray) open = open_slots (self);

          /* The first open slot of that role, so its note comes along. */
          for (guint j = 0; j < open->len; j++)
            if (g_array_index (open, OpenSlot, j).tier == tier
                && g_str_equal (g_array_index (open, OpenSlot, j).slot->role, role))
              {
                open_person_form (self, NULL, tier, g_array_index (open, OpenSlot, j).slot);
                return;
              }
          open_person_form (self, NULL, tier, slot);
          return;
        }
    }
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTeamPage *self = TD_TEAM_PAGE (widget);

  gtk_stack_set_visible_child_name (self->sections, "people");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Tier 4 engagement [6.2, 6.3] */

static char *
contacts_for_role (TdTeamPage *self, const char *role)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (self->people, i);
      const char *phone = text_member (person, "phone");

      if (g_strcmp0 (text_member (person, "role"), role) != 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text,
                       text_member (person, "name") != NULL ? text_member (person, "name") : "?");
      if (phone != NULL)
        g_string_append_printf (text, " (%s)", phone);
    }
  if (text->len == 0)
    /* TRANSLATORS: the role has no one in the directory yet */
    return g_strdup_printf (_ ("%s: nobody named yet"), role_name (self, role));
  return g_strdup_printf ("%s: %s", role_name (self, role), text->str);
}

static void
rebuild_engagement (TdTeamPage *self)
{
  GPtrArray *tiers = policy (self) != NULL ? td_policy_get_tiers (policy (self)) : NULL;
  gboolean   shown = FALSE;

  clear_box (self->engagement_box);
  for (guint i = 0; tiers != NULL && i < tiers->len; i++)
    {
      const TdTier    *tier = g_ptr_array_index (tiers, i);
      GtkWidget       *group;
      g_autofree char *description = NULL;

      if (tier->engagement == NULL || tier->engagement->len == 0)
        continue;
      shown = TRUE;
      description = g_strdup_printf (_ ("%s [6.2]: %s"), tier->name,
                                     tier->primary_contact != NULL ? tier->primary_contact : "");
      group = group_new (_ ("When to Engage"), description);
      gtk_widget_set_name (group, "engagement");
      for (guint j = 0; j < tier->engagement->len; j++)
        {
          const TdEngagement *engagement = g_ptr_array_index (tier->engagement, j);
          g_autoptr (GString) contacts = g_string_new (NULL);

          for (guint k = 0; engagement->roles != NULL && engagement->roles[k] != NULL; k++)
            {
              g_autofree char *line = contacts_for_role (self, engagement->roles[k]);

              g_string_append_printf (contacts, "%s%s", k > 0 ? "\n" : "", line);
            }
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                     info_row (engagement->scenario, contacts->str));
        }
      gtk_box_append (self->engagement_box, group);

      group = group_new (_ ("Executive Contacts"),
                         _ ("Who they are and when to call them [6.3]; edit them on the People "
                            "page."));
      gtk_widget_set_name (group, "executive-contacts");
      for (guint j = 0; tier->team_structure != NULL && j < tier->team_structure->len; j++)
        {
          const TdTeamSlot *slot = g_ptr_array_index (tier->team_structure, j);
          g_autoptr (GString) who_text = g_string_new (NULL);

          for (guint k = 0; k < self->people->len; k++)
            {
              JsonObject *person = g_ptr_array_index (self->people, k);

              if (g_strcmp0 (text_member (person, "role"), slot->role) != 0)
                continue;
              g_string_append_printf (
                  who_text, "%s%s", who_text->len > 0 ? "\n" : "",
                  text_member (person, "name") != NULL ? text_member (person, "name") : "?");
              if (text_member (person, "phone") != NULL)
                g_string_append_printf (who_text, " · %s", text_member (person, "phone"));
              if (text_member (person, "email") != NULL)
                g_string_append_printf (who_text, " · %s", text_member (person, "email"));
            }
          if (who_text->len == 0)
            g_string_append (who_text, _ ("Nobody named yet ([TBD] in the support model)"));
          if (slot->note != NULL)
            /* TRANSLATORS: when to engage this executive */
            g_string_append_printf (who_text, "\n%s %s", _ ("Engage for:"), slot->note);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                     info_row (role_name (self, slot->role), who_text->str));
        }
      gtk_box_append (self->engagement_box, group);
    }
  if (!shown)
    {
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "system-users-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), self->session == NULL
                                                               ? _ ("Not Signed In")
                                                               : _ ("No Engagement Guide"));
      adw_status_page_set_description (
          ADW_STATUS_PAGE (status),
          self->session == NULL ? _ ("Sign in on the Queue page to see the team.")
                                : _ ("The support model in force names no Tier 4 scenarios."));
      gtk_box_append (self->engagement_box, status);
    }
}

/* The contact card [Appendix A] */

static void
rebuild_card (TdTeamPage *self)
{
  g_autoptr (GArray) on_call = g_array_new (FALSE, TRUE, sizeof (TdCardOnCall));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  GPtrArray       *rotations = td_rota_store_get_rotations (self->rotas);
  gint64           now = server_now (self);
  g_autofree char *as_of = NULL;

  clear_box (self->card_box);
  g_clear_pointer (&self->card, td_contact_card_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.copy-card", policy (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.print-card", policy (self) != NULL);
  if (policy (self) == NULL)
    {
      gtk_label_set_text (self->card_title, _ ("Contact Card"));
      gtk_label_set_text (self->card_subtitle, _ ("Sign in on the Queue page to see the card."));
      return;
    }

  for (guint i = 0; i < rotations->len; i++)
    {
      TdRotation *rotation = g_ptr_array_index (rotations, i);
      g_autoptr (GPtrArray) shifts = td_rotation_on_call_at (rotation, now);

      for (guint j = 0; j < shifts->len; j++)
        {
          TdRotaShift *shift = g_ptr_array_index (shifts, j);
          JsonObject  *person = find_person (self, shift->person);
          TdCardOnCall entry = { 0 };
          char        *position = td_rotation_describe_slot (rotation, shift->slot);
          char *until = format_local (shift->interval.end, td_rotation_get_time_zone (rotation),
                                      "%a %-d %b %H:%M");

          if (shift->person == NULL)
            {
              g_free (position);
              g_free (until);
              continue;
            }
          g_ptr_array_add (strings, position);
          g_ptr_array_add (strings, until);
          entry.tier = td_rotation_get_tier (rotation);
          entry.position = position;
          entry.name = who (self, shift->person);
          entry.phone = text_member (person, "phone");
          entry.until = until;
          g_array_append_val (on_call, entry);
        }
    }
  self->card = td_contact_card_new (policy (self), (TdCardOnCall *) on_call->data, on_call->len);
  gtk_label_set_text (self->card_title, self->card->title);
  as_of = format_local (now, NULL, "%a %-d %b %Y %H:%M");
  {
    g_autofree char *subtitle = g_strdup_printf (
        _ ("Who is on call comes from the rota, as of %s. Blank numbers are not set in the "
           "support model."),
        as_of);
    gtk_label_set_text (self->card_subtitle, subtitle);
  }

  for (guint i = 0; i < self->card->sections->len; i++)
    {
      const TdCardSection *section = g_ptr_array_index (self->card->sections, i);
      GtkWidget           *group = group_new (section->name, NULL);
      g_autofree char     *name = g_strdup_printf ("card-%s", section->id);

      gtk_widget_set_name (group, name);
      for (guint j = 0; j < section->entries->len; j++)
        {
          const TdCardEntry *entry = g_ptr_array_index (section->entries, j);

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                     value_row (entry->label, entry->value));
        }
      gtk_box_append (self->card_box, group);
    }
}

static void
copy_card_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTeamPage      *self = TD_TEAM_PAGE (widget);
  g_autofree char *text = td_team_page_dup_card_text (self);

  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _ ("Contact card copied"));
}

static char *
card_markup (TdTeamPage *self)
{
  GString *markup = g_string_new (NULL);

  if (self->card == NULL)
    return g_string_free (markup, FALSE);
  {
    g_autofree char *title = g_markup_escape_text (self->card->title, -1);
    g_string_append_printf (markup, "<span size='x-large' weight='bold'>%s</span>\n", title);
  }
  for (guint i = 0; i < self->card->sections->len; i++)
    {
      const TdCardSection *section = g_ptr_array_index (self->card->sections, i);
      g_autofree char     *name = g_markup_escape_text (section->name, -1);

      g_string_append_printf (markup, "\n<b>%s</b>\n", name);
      for (guint j = 0; j < section->entries->len; j++)
        {
          const TdCardEntry *entry = g_ptr_array_index (section->entries, j);
          g_autofree char   *label = g_markup_escape_text (entry->label, -1);
          g_autofree char   *value
              = g_markup_escape_text (entry->value[0] != '\0' ? entry->value : _ ("not set"), -1);

          g_string_append_printf (markup, "    %s: %s\n", label, value);
        }
    }
  return g_string_free (markup, FALSE);
}

static void
on_draw_page (GtkPrintOperation *operation, GtkPrintContext *context, int page, TdTeamPage *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr (PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans 11");
  g_autofree char *markup = card_markup (self);
  double           width = gtk_print_context_get_width (context);
  int              text_width, text_height;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((width - 48) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);

  /* A card: the text in a frame, as Appendix A draws it. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, text_height + 48);
  cairo_stroke (cr);
  cairo_move_to (cr, 24, 24);
  pango_cairo_show_layout (cr, layout);
}

static void
on_print_done (GtkPrintOperation *operation, GtkPrintOperationResult result, TdTeamPage *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr (GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      toast (self, error != NULL ? error->message : _ ("Could not print the card"));
    }
  g_signal_handlers_disconnect_by_data (operation, self);
  g_clear_object (&self->printing);
}

static void
print_card_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTeamPage *self = TD_TEAM_PAGE (widget);
  g_autoptr (GError) error = NULL;

  if (self->card == NULL || self->printing != NULL)
    return;
  self->printing = gtk_print_operation_new ();
  if (self->print_settings != NULL)
    gtk_print_operation_set_print_settings (self->printing, self->print_settings);
  gtk_print_operation_set_n_pages (self->printing, 1);
  gtk_print_operation_set_job_name (self->printing, self->card->title);
  gtk_print_operation_set_embed_page_setup (self->printing, TRUE);
  /* The window stays live while the print dialog is open. */
  gtk_print_operation_set_allow_async (self->printing, TRUE);
  g_signal_connect (self->printing, "draw-page", G_CALLBACK (on_draw_page), self);
  g_signal_connect (self->printing, "done", G_CALLBACK (on_print_done), self);
  if (gtk_print_operation_run (self->printing, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      toast (self, error->message);
      g_signal_handlers_disconnect_by_data (self->printing, self);
      g_clear_object (&self->printing);
    }
}

static void
on_section_changed (TdTeamPage *self)
{
  /* Who is on call changes with the clock: look again on each visit. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->sections), "card") == 0)
    rebuild_card (self);
}

/* Approvals [4.5, 9.2] */

static JsonArray *
json_array_member (JsonObject *row, const char *column, const char *member)
{
  JsonNode   *node = row != NULL ? json_object_get_member (row, column) : NULL;
  JsonObject *object = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    object = json_node_get_object (node);
  if (object == NULL || !json_object_has_member (object, member)
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)))
    return NULL;
  return json_object_get_array_member (object, member);
}

static gboolean
array_contains (JsonArray *array, const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* Whether I may approve or reject @row: what the server will check. */
static gboolean
may_decide (TdTeamPage *self, const char *entity, JsonObject *row)
{
  const char *role = my_role (self);

  if (role == NULL || g_strcmp0 (text_member (row, "status"), "pending") != 0
      || g_strcmp0 (text_member (row, "requested_by"), me (self)) == 0)
    return FALSE;
  if (g_str_equal (entity, "correction_request"))
    return array_contains (json_array_member (row, "approval", "roles"), role);
  return g_strcmp0 (text_member (row, "approver_role"), role) == 0
         && g_strcmp0 (text_member (row, "person"), td_session_get_person (self->session)) != 0;
}

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return _ ("Pending");
  if (g_strcmp0 (status, "approved") == 0)
    return _ ("Approved");
  if (g_strcmp0 (status, "rejected") == 0)
    return _ ("Rejected");
  if (g_strcmp0 (status, "applied") == 0)
    return _ ("Applied");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _ ("Withdrawn");
  if (g_strcmp0 (status, "revoked") == 0)
    return _ ("Revoked");
  return status != NULL ? status : "";
}

static const char *
level_text (const char *level)
{
  if (g_strcmp0 (level, "read") == 0)
    return _ ("read-only access");
  if (g_strcmp0 (level, "limited") == 0)
    return _ ("limited access");
  return _ ("full access");
}

static char *
request_title (TdTeamPage *self, const char *entity, JsonObject *row)
{
  if (g_str_equal (entity, "correction_request"))
    {
      const TdCorrectionRule *rule
          = td_policy_get_correction (policy (self), text_member (row, "correction_type"));

      /* TRANSLATORS: a data correction, e.g. "Single user balance for E10442" */
      return g_strdup_printf (
          _ ("%s for %s"), rule != NULL ? rule->name : text_member (row, "correction_type"),
          text_member (row, "affected_user_id") != NULL ? text_member (row, "affected_user_id")
                                                        : "?");
    }
  {
    GPtrArray  *tools = td_policy_get_tools (policy (self));
    const char *tool_name = text_member (row, "tool");

    for (guint i = 0; i < tools->len; i++)
      if (g_strcmp0 (((TdTool *) g_ptr_array_index (tools, i))->id, tool_name) == 0)
        tool_name = ((TdTool *) g_ptr_array_index (tools, i))->name;
    /* TRANSLATORS: tool access, e.g. "Database Client: read-only access for Ana Ruiz" */
    return g_strdup_printf (_ ("%s: %s for %s"), tool_name, level_text (text_member (row, "level")),
                            who (self, text_member (row, "person")));
  }
}

static char *
request_subtitle (TdTeamPage *self, const char *entity, JsonObject *row)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *status = text_member (row, "status");
  const char *body = g_str_equal (entity, "correction_request") ? text_member (row, "description")
                                                                : text_member (row, "reason");

  g_string_append_printf (text, _ ("%s · requested by %s"), status_text (status),
                          who (self, text_member (row, "requested_by")));
  if (g_strcmp0 (status, "pending") == 0)
    g_string_append_printf (text, _ (" · waiting for the %s"),
                            role_name (self, text_member (row, "approver_role")));
  else if (g_strcmp0 (status, "revoked") == 0 && int_member (row, "revoked_at") > 0)
    {
      g_autofree char *when
          = format_local (int_member (row, "revoked_at"), NULL, "%a %-d %b %Y %H:%M");

      /* TRANSLATORS: e.g. " · revoked by Lee Park on Fri 27 Nov 2026 10:42" */
      g_string_append_printf (text, _ (" · revoked by %s on %s"),
                              who (self, text_member (row, "decided_by")), when);
    }
  else if (text_member (row, "decided_by") != NULL)
    g_string_append_printf (text, _ (" · decided by %s"),
                            who (self, text_member (row, "decided_by")));
  if (body != NULL)
    g_string_append_printf (text, "\n%s", body);
  if (text_member (row, "evidence") != NULL)
    g_string_append_printf (text, _ ("\nEvidence: %s"), text_member (row, "evidence"));
  if (text_member (row, "decision_note") != NULL)
    g_string_append_printf (text, _ ("\nReason given: %s"), text_member (row, "decision_note"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef enum
{
  ROW_READ_ONLY,
  ROW_DECIDE,   /* Reject… and Approve */
  ROW_APPLY,    /* an approved correction, for its performer */
  ROW_WITHDRAW, /* the requester's own pending request */
  ROW_REVOKE,   /* granted tool access, for its approver */
} RowActions;

static GtkWidget *
row_button (const char *label,
            const char *prefix,
            const char *action,
            const char *entity,
            const char *uuid)
{
  GtkWidget       *button = mnemonic_button_new (label);
  g_autofree char *name = g_strdup_printf ("%s-%s", prefix, uuid);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", entity, uuid);
  return button;
}

static GtkWidget *
request_row (TdTeamPage *self, const char *entity, JsonObject *row, RowActions actions)
{
  g_autofree char *title = request_title (self, entity, row);
  g_autofree char *subtitle = request_subtitle (self, entity, row);
  GtkWidget       *widget = info_row (title, subtitle);
  const char      *uuid = text_member (row, "uuid");
  g_autofree char *name = g_strdup_printf ("request-%s", uuid);
  GtkWidget       *button;

  gtk_widget_set_name (widget, name);
  switch (actions)
    {
      case ROW_DECIDE:
        adw_action_row_add_suffix (
            ADW_ACTION_ROW (widget),
            row_button (_ ("_Reject…"), "reject", "team.reject", entity, uuid));
        button = row_button (_ ("_Approve"), "approve", "team.approve", entity, uuid);
        gtk_widget_add_css_class (button, "suggested-action");
        adw_action_row_add_suffix (ADW_ACTION_ROW (widget), button);
        break;
      case ROW_APPLY:
        button = row_button (_ ("_Mark Applied"), "apply", "team.mark-applied", entity, uuid);
        gtk_widget_set_tooltip_text (button, _ ("Say that the approved correction has been made"));
        adw_action_row_add_suffix (ADW_ACTION_ROW (widget), button);
        break;
      case ROW_WITHDRAW:
        adw_action_row_add_suffix (
            ADW_ACTION_ROW (widget),
            row_button (_ ("_Withdraw"), "withdraw", "team.withdraw", entity, uuid));
        break;
      case ROW_REVOKE:
        button = row_button (_ ("Re_voke…"), "revoke", "team.revoke", entity, uuid);
        gtk_widget_set_tooltip_text (button, _ ("End this access, giving a reason"));
        adw_action_row_add_suffix (ADW_ACTION_ROW (widget), button);
        break;
      case ROW_READ_ONLY:
      default:
        break;
    }
  return widget;
}

/* Whether I carry out @row, an approved correction: my role is in its authority. */
static gboolean
may_apply (TdTeamPage *self, const char *entity, JsonObject *row)
{
  return g_str_equal (entity, "correction_request") && my_role (self) != NULL
         && g_strcmp0 (text_member (row, "status"), "approved") == 0
         && array_contains (json_array_member (row, "authority", "roles"), my_role (self));
}

/* Whether I may revoke @row, granted tool access: what the server checks [9.2]. */
static gboolean
may_revoke (TdTeamPage *self, const char *entity, JsonObject *row)
{
  return g_str_equal (entity, "access_request") && my_role (self) != NULL
         && g_strcmp0 (text_member (row, "status"), "approved") == 0
         && g_strcmp0 (text_member (row, "approver_role"), my_role (self)) == 0
         && g_strcmp0 (text_member (row, "requested_by"), me (self)) != 0
         && g_strcmp0 (text_member (row, "person"), td_session_get_person (self->session)) != 0;
}

static gboolean
is_mine (TdTeamPage *self, JsonObject *row)
{
  return g_strcmp0 (text_member (row, "requested_by"), me (self)) == 0
         || (td_session_get_person (self->session) != NULL
             && g_strcmp0 (text_member (row, "person"), td_session_get_person (self->session))
                    == 0);
}

static void
rebuild_approvals (TdTeamPage *self)
{
  GtkWidget  *waiting;
  GtkWidget  *mine;
  GtkWidget  *others;
  GtkWidget  *granted;
  guint       n_waiting = 0, n_mine = 0, n_others = 0, n_granted = 0;
  const char *kinds[] = { "correction_request", "access_request" };
  GPtrArray  *lists[] = { self->corrections, self->accesses };

  clear_box (self->approvals_box);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.new-correction",
                                 may (self, "correction.request"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.new-access",
                                 may (self, "access.request")
                                     && td_session_get_person (self->session) != NULL);
  if (self->session == NULL)
    return;
  waiting = group_new (
      _ ("Waiting for You"),
      _ ("Requests the support model routes to your role [4.5, 9.2], and approved corrections "
         "for you to carry out."));
  mine = group_new (_ ("Your Requests"), NULL);
  others = group_new (_ ("Other Open Requests"), NULL);
  granted = group_new (_ ("Tool Access Granted"),
                       _ ("Access that was approved, and access that was revoked, with who ended "
                          "it and why [9.2]."));
  gtk_widget_set_name (granted, "approvals-granted");
  gtk_widget_set_name (waiting, "approvals-waiting");
  gtk_widget_set_name (mine, "approvals-mine");
  gtk_widget_set_name (others, "approvals-others");
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint i = 0; i < lists[k]->len; i++)
      {
        JsonObject *row = g_ptr_array_index (lists[k], i);

        gboolean pending = g_strcmp0 (text_member (row, "status"), "pending") == 0;

        if (may_decide (self, kinds[k], row) || may_apply (self, kinds[k], row))
          {
            adw_preferences_group_add (
                ADW_PREFERENCES_GROUP (waiting),
                request_row (self, kinds[k], row, pending ? ROW_DECIDE : ROW_APPLY));
            n_waiting++;
          }
        else if (is_mine (self, row))
          {
            /* Only the requester withdraws, not the person someone else asked for. */
            gboolean withdraw
                = pending && g_strcmp0 (text_member (row, "requested_by"), me (self)) == 0;

            adw_preferences_group_add (
                ADW_PREFERENCES_GROUP (mine),
                request_row (self, kinds[k], row, withdraw ? ROW_WITHDRAW : ROW_READ_ONLY));
            n_mine++;
          }
        else if (pending)
          {
            adw_preferences_group_add (ADW_PREFERENCES_GROUP (others),
                                       request_row (self, kinds[k], row, ROW_READ_ONLY));
            n_others++;
          }
        else if (g_str_equal (kinds[k], "access_request")
                 && (g_strcmp0 (text_member (row, "status"), "approved") == 0
                     || g_strcmp0 (text_member (row, "status"), "revoked") == 0))
          {
            adw_preferences_group_add (
                ADW_PREFERENCES_GROUP (granted),
                request_row (self, kinds[k], row,
                             may_revoke (self, kinds[k], row) ? ROW_REVOKE : ROW_READ_ONLY));
            n_granted++;
          }
      }
  if (n_waiting == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (waiting),
                               info_row (_ ("Nothing waits for you"), NULL));
  gtk_box_append (self->approvals_box, waiting);
  /* Groups left empty are dropped. */
  g_object_ref_sink (mine);
  g_object_ref_sink (others);
  g_object_ref_sink (granted);
  if (n_mine > 0)
    gtk_box_append (self->approvals_box, mine);
  if (n_others > 0)
    gtk_box_append (self->approvals_box, others);
  if (n_granted > 0)
    gtk_box_append (self->approvals_box, granted);
  g_object_unref (mine);
  g_object_unref (others);
  g_object_unref (granted);
}

static JsonObject *
find_request (TdTeamPage *self, const char *entity, const char *uuid)
{
  GPtrArray *list = g_str_equal (entity, "correction_request") ? self->corrections : self->accesses;

  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (text_member (g_ptr_array_index (list, i), "uuid"), uuid) == 0)
      return g_ptr_array_index (list, i);
  return NULL;
}

static void
decide (TdTeamPage *self,
        const char *entity,
        const char *uuid,
        const char *status,
        const char *note)
{
  g_autoptr (JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, "status", status);
  if (note != NULL)
    json_object_set_string_member (fields, "decision_note", note);
  if (!write_row (self, entity, uuid, fields))
    return;
  if (g_str_equal (status, "approved"))
    toast (self, _ ("Approved"));
  else if (g_str_equal (status, "rejected"))
    toast (self, _ ("Rejected"));
  else if (g_str_equal (status, "applied"))
    toast (self, _ ("Marked as applied"));
  else if (g_str_equal (status, "revoked"))
    toast (self, _ ("Access revoked"));
  else
    toast (self, _ ("Request withdrawn"));
}

static void
mark_applied_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *entity, *uuid;

  g_variant_get (parameter, "(&s&s)", &entity, &uuid);
  decide (TD_TEAM_PAGE (widget), entity, uuid, "applied", NULL);
}

static void
withdraw_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *entity, *uuid;

  g_variant_get (parameter, "(&s&s)", &entity, &uuid);
  decide (TD_TEAM_PAGE (widget), entity, uuid, "cancelled", NULL);
}

static void
approve_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *entity, *uuid;

  g_variant_get (parameter, "(&s&s)", &entity, &uuid);
  decide (TD_TEAM_PAGE (widget), entity, uuid, "approved", NULL);
}

typedef struct
{
  TdTeamPage  *page;
  GtkWindow   *window;
  char        *entity;
  char        *uuid;
  AdwEntryRow *reason;
  GtkWidget   *action;
} RejectForm;

static void
reject_form_free (gpointer data)
{
  RejectForm *form = data;

  g_object_unref (form->page);
  g_free (form->entity);
  g_free (form->uuid);
  g_free (form);
}

static void
on_reject_reason_changed (RejectForm *form)
{
  gtk_widget_set_sensitive (form->action, !is_blank (entry_text (form->reason)));
}

static void
on_reject_send (RejectForm *form)
{
  g_autofree char *reason = g_strstrip (g_strdup (entry_text (form->reason)));

  if (*reason == '\0')
    return;
  decide (form->page, form->entity, form->uuid, "rejected", reason);
  gtk_window_destroy (form->window);
}

static void
reject_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTeamPage      *self = TD_TEAM_PAGE (widget);
  RejectForm      *form = g_new0 (RejectForm, 1);
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget       *group = adw_preferences_group_new ();
  const char      *entity, *uuid;
  g_autofree char *title = NULL;

  g_variant_get (parameter, "(&s&s)", &entity, &uuid);
  form->page = g_object_ref (self);
  form->entity = g_strdup (entity);
  form->uuid = g_strdup (uuid);
  title = request_title (self, entity, find_request (self, entity, uuid));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (group), _ ("The requester reads the reason; a rejection needs one."));
  form->reason = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Reason"), NULL, "reject-reason");
  gtk_box_append (GTK_BOX (box), group);
  form->window = form_window (self, _ ("Reject Request"), _ ("_Reject"), box,
                              G_CALLBACK (on_reject_send), form, reject_form_free, &form->action);
  gtk_widget_remove_css_class (form->action, "suggested-action");
  gtk_widget_add_css_class (form->action, "destructive-action");
  gtk_window_set_default_size (form->window, 460, -1);
  gtk_widget_set_sensitive (form->action, FALSE);
  g_signal_connect_swapped (form->reason, "changed", G_CALLBACK (on_reject_reason_changed), form);
  gtk_widget_set_name (GTK_WIDGET (form->window), "reject-form");
  gtk_window_present (form->window);
  gtk_widget_grab_focus (GTK_WIDGET (form->reason));
}

/* Revoking granted access [9.2]: a confirmation that names the person and
 * the tool, and will not send without a reason. */

typedef struct
{
  TdTeamPage  *page;
  char        *uuid;
  GtkEditable *reason;
  GtkLabel    *required;
  gboolean     edited;
} RevokeForm;

static void
revoke_form_free (gpointer data)
{
  RevokeForm *form = data;

  g_object_unref (form->page);
  g_free (form->uuid);
  g_free (form);
}

static void
on_revoke_reason_changed (RevokeForm *form)
{
  gboolean   blank = is_blank (gtk_editable_get_text (form->reason));
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (form->reason), ADW_TYPE_MESSAGE_DIALOG);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke", !blank);
  gtk_widget_set_visible (GTK_WIDGET (form->required), blank);
  /* A hint until something was typed and cleared again; then an error. */
  if (blank && form->edited)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (form->required), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (form->required), "error");
      gtk_widget_add_css_class (GTK_WIDGET (form->reason), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (form->reason), "error");
}

static void
on_revoke_reason_edited (RevokeForm *form)
{
  form->edited = TRUE;
  on_revoke_reason_changed (form);
}

static void
on_revoke_response (AdwMessageDialog *dialog, const char *response, RevokeForm *form)
{
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "revoke") != 0)
    return;
  reason = g_strstrip (g_strdup (gtk_editable_get_text (form->reason)));
  if (*reason == '\0')
    return;
  decide (form->page, "access_request", form->uuid, "revoked", reason);
}

static void
revoke_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTeamPage      *self = TD_TEAM_PAGE (widget);
  const char      *entity, *uuid;
  JsonObject      *row;
  RevokeForm      *form;
  GtkWidget       *dialog;
  GtkWidget       *box;
  GtkWidget       *entry;
  GtkWidget       *required;
  GPtrArray       *tools;
  const char      *tool_name;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  g_variant_get (parameter, "(&s&s)", &entity, &uuid);
  row = find_request (self, entity, uuid);
  if (row == NULL || !may_revoke (self, entity, row))
    return;
  tools = td_policy_get_tools (policy (self));
  tool_name = text_member (row, "tool");
  for (guint i = 0; i < tools->len; i++)
    if (g_strcmp0 (((TdTool *) g_ptr_array_index (tools, i))->id, tool_name) == 0)
      tool_name = ((TdTool *) g_ptr_array_index (tools, i))->name;

  form = g_new0 (RevokeForm, 1);
  form->page = g_object_ref (self);
  form->uuid = g_strdup (uuid);
  /* TRANSLATORS: e.g. "Revoke Ana Ruiz’s Access to Database Client?" */
  heading = g_strdup_printf (_ ("Revoke %s’s Access to %s?"),
                             who (self, text_member (row, "person")), tool_name);
  body = g_strdup_printf (
      _ ("%s loses %s to %s. The reason is required: it is kept with the request and in the "
         "audit log."),
      who (self, text_member (row, "person")), level_text (text_member (row, "level")), tool_name);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  gtk_widget_set_name (dialog, "revoke-dialog");
  g_object_set_data_full (G_OBJECT (dialog), "form", form, revoke_form_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("Reason"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_name (entry, "revoke-reason");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Reason"), -1);
  /* TRANSLATORS: the revoke dialog's "Reason" field, left empty */
  required = label_new (_ ("Reason: required"), "dim-label");
  gtk_widget_set_name (required, "revoke-required");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), required);
  form->reason = GTK_EDITABLE (entry);
  form->required = GTK_LABEL (required);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "revoke",
                                    _ ("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "revoke");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_revoke_response), form);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (on_revoke_reason_edited), form);
  on_revoke_reason_changed (form);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Filing a request: the form says before sending what the server will say. */

typedef struct
{
  TdTeamPage          *page;
  GtkWindow           *window;
  gboolean             correction;
  AdwComboRow         *kind;   /* correction type or tool */
  AdwComboRow         *level;  /* access only */
  GtkDropDown         *person; /* access only: who it is for */
  AdwPreferencesGroup *group;
  AdwEntryRow         *users;
  AdwEntryRow         *description;
  AdwEntryRow         *evidence;
  AdwEntryRow         *reason;
  GtkLabel            *verdict;
  GtkWidget           *action;
  GPtrArray           *ids;        /* correction types or tools, parallel to kind */
  GPtrArray           *person_ids; /* person uuids, parallel to person */
  gboolean             reason_edited;
} RequestForm;

static void
request_form_free (gpointer data)
{
  RequestForm *form = data;

  g_object_unref (form->page);
  g_ptr_array_unref (form->ids);
  g_clear_pointer (&form->person_ids, g_ptr_array_unref);
  g_free (form);
}

static const char *const levels[] = { NULL, "full", "read", "limited" };

static int
my_tier (TdTeamPage *self)
{
  JsonObject   *person = find_person (self, td_session_get_person (self->session));
  const TdRole *role
      = my_role (self) != NULL ? td_policy_get_role (policy (self), my_role (self)) : NULL;

  if (person != NULL && person_tier (self, person) > 0)
    return person_tier (self, person);
  return role != NULL ? role->tier : 0;
}

/* Whom a tool-access request is for: the picked person, the signed-in one by default. */
static const char *
request_person (RequestForm *form)
{
  guint picked = form->person != NULL ? gtk_drop_down_get_selected (form->person)
                                      : GTK_INVALID_LIST_POSITION;

  if (form->person_ids != NULL && picked < form->person_ids->len)
    return g_ptr_array_index (form->person_ids, picked);
  return td_session_get_person (form->page->session);
}

/* The tier the server decides by [9.2]: the person's, else their role's;
 * for oneself, the account's role as a last resort. */
static int
request_tier (RequestForm *form)
{
  const char *person = request_person (form);

  if (g_strcmp0 (person, td_session_get_person (form->page->session)) == 0)
    return my_tier (form->page);
  return person_tier (form->page, find_person (form->page, person));
}

/* Tool access: the verdict names the field it is about, and who approves. */
static gboolean
access_verdict (RequestForm *form, const char *tool, char **verdict)
{
  TdTeamPage          *self = form->page;
  guint                level = adw_combo_row_get_selected (form->level);
  const char          *person = request_person (form);
  g_autofree char     *explanation = NULL;
  TdAccessRequestCheck check;

  if (person == NULL
      || (g_strcmp0 (person, td_session_get_person (self->session)) != 0
          && find_person (self, person) == NULL))
    {
      /* TRANSLATORS: the request form's "For" field */
      *verdict = g_strdup (_ ("For: pick someone in the directory"));
      return FALSE;
    }
  check = td_access_check_request (policy (self), tool, request_tier (form),
                                   level < G_N_ELEMENTS (levels) ? levels[level] : NULL, NULL, NULL,
                                   &explanation);
  switch (check)
    {
      case TD_ACCESS_REQUEST_OK:
        *verdict = g_steal_pointer (&explanation);
        return TRUE;
      case TD_ACCESS_REQUEST_UNKNOWN_LEVEL:
      case TD_ACCESS_REQUEST_LEVEL_TOO_HIGH:
        /* TRANSLATORS: the request form's "Access" field, then why it is refused */
        *verdict = g_strdup_printf (_ ("Access: %s"), explanation);
        return FALSE;
      case TD_ACCESS_REQUEST_UNKNOWN_TOOL:
      case TD_ACCESS_REQUEST_NOT_FOR_TIER:
      case TD_ACCESS_REQUEST_NO_APPROVER:
      default:
        /* TRANSLATORS: the request form's "Tool" field, then why it is refused */
        *verdict = g_strdup_printf (_ ("Tool: %s"), explanation);
        return FALSE;
    }
}

static void
on_request_person_changed (RequestForm *form)
{
  TdTeamPage      *self = form->page;
  const char      *person = request_person (form);
  gboolean         for_me = g_strcmp0 (person, td_session_get_person (self->session)) == 0;
  g_autofree char *description = NULL;

  if (for_me)
    description = g_strdup_printf (_ ("For you, at Tier %d: the tools of your tier [9.1], "
                                      "approved as access provisioning says [9.2]."),
                                   MAX (request_tier (form), 1));
  else
    /* TRANSLATORS: e.g. "For Ana Ruiz, at Tier 2: …" */
    description = g_strdup_printf (_ ("For %s, at Tier %d: the tools of their tier [9.1], "
                                      "approved as access provisioning says [9.2]."),
                                   who (self, person), MAX (request_tier (form), 1));
  adw_preferences_group_set_description (form->group, description);
  /* Who the picked person is; for someone who may only ask for themselves, why. */
  {
    GtkWidget       *row = gtk_widget_get_ancestor (GTK_WIDGET (form->person), ADW_TYPE_ACTION_ROW);
    JsonObject      *picked = find_person (self, person);
    const char      *role = role_name (self, picked != NULL ? text_member (picked, "role")
                                             : for_me       ? my_role (self)
                                                            : NULL);
    g_autofree char *subtitle = NULL;

    if (!gtk_widget_get_sensitive (GTK_WIDGET (form->person)))
      subtitle = g_strdup (_ ("Only those who keep the directory ask for someone else"));
    else if (role != NULL)
      /* TRANSLATORS: the picked person's role and tier, e.g. "Application Support Analyst · Tier 2" */
      subtitle = g_strdup_printf (_ ("%s · Tier %d"), role, MAX (request_tier (form), 1));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->reason),
                                 for_me ? _ ("Why you need it") : _ ("Why they need it"));
}

/* What the server will answer, worked out with the same core rules. */
static void
on_request_changed (RequestForm *form)
{
  TdTeamPage      *self = form->page;
  guint            kind = adw_combo_row_get_selected (form->kind);
  const char      *id = kind < form->ids->len ? g_ptr_array_index (form->ids, kind) : NULL;
  g_autofree char *explanation = NULL;
  gboolean         allowed;
  gboolean         complete;

  if (form->correction)
    {
      TdCorrectionDecision decision
          = td_correction_decide (policy (self), id, my_role (self), NULL, &explanation);
      const char *route = td_correction_route (policy (self), id, my_role (self));

      allowed = decision == TD_CORRECTION_NEEDS_APPROVAL;
      if (allowed && route != NULL)
        {
          g_free (explanation);
          /* TRANSLATORS: e.g. "Goes to the Application Support Lead for Manager approval." */
          explanation
              = g_strdup_printf (_ ("Goes to the %s for %s."), role_name (self, route),
                                 td_policy_get_correction (policy (self), id)->approval_label);
        }
      complete = !is_blank (entry_text (form->users)) && !is_blank (entry_text (form->description));
    }
  else
    {
      allowed = access_verdict (form, id, &explanation);
      complete = !is_blank (entry_text (form->reason));
      /* Once the reason has been typed and cleared, the form says it is
       * missing rather than leaving Send greyed out without a word. */
      if (allowed && !complete && form->reason_edited)
        {
          g_free (explanation);
          /* TRANSLATORS: a field's title, e.g. "Why you need it: required" */
          explanation = g_strdup_printf (
              _ ("%s: required"),
              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (form->reason)));
          allowed = FALSE;
        }
    }
  gtk_label_set_text (form->verdict, explanation);
  if (allowed)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (form->verdict), "error");
      gtk_widget_add_css_class (GTK_WIDGET (form->verdict), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (form->verdict), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (form->verdict), "error");
    }
  gtk_widget_set_sensitive (form->action, allowed && complete);
}

static void
on_request_reason_changed (RequestForm *form)
{
  form->reason_edited = TRUE;
  on_request_changed (form);
}

static void
on_request_picked (RequestForm *form)
{
  on_request_person_changed (form);
  on_request_changed (form);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  const char *left = text_member (*(JsonObject **) a, "name");
  const char *right = text_member (*(JsonObject **) b, "name");

  return g_utf8_collate (left != NULL ? left : "", right != NULL ? right : "");
}

/* "For": the signed-in person first; everyone else in the directory only
 * for a role that may file for others (person.write, as the server checks). */
static GtkWidget *
request_person_row (RequestForm *form)
{
  TdTeamPage    *self = form->page;
  GtkWidget     *row = adw_action_row_new ();
  GtkStringList *names = gtk_string_list_new (NULL);
  GtkWidget     *dropdown;
  const char    *mine = td_session_get_person (self->session);
  gboolean       for_others = may (self, "person.write");

  form->person_ids = g_ptr_array_new_with_free_func (g_free);
  {
    g_autofree char *label = g_strdup_printf (_ ("%s (you)"), who (self, mine));

    gtk_string_list_append (names, label);
    g_ptr_array_add (form->person_ids, g_strdup (mine));
  }
  if (for_others)
    {
      /* A view of the directory, sorted by name: the page keeps the rows. */
      g_autoptr (GPtrArray) people = g_ptr_array_new_full (self->people->len, NULL);

      for (guint i = 0; i < self->people->len; i++)
        g_ptr_array_add (people, g_ptr_array_index (self->people, i));

      g_ptr_array_sort (people, compare_names);
      for (guint i = 0; i < people->len; i++)
        {
          JsonObject *person = g_ptr_array_index (people, i);

          if (g_strcmp0 (text_member (person, "uuid"), mine) == 0
              || text_member (person, "name") == NULL)
            continue;
          gtk_string_list_append (names, text_member (person, "name"));
          g_ptr_array_add (form->person_ids, g_strdup (text_member (person, "uuid")));
        }
    }
  dropdown = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
  gtk_drop_down_set_expression (
      GTK_DROP_DOWN (dropdown),
      gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), TRUE);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_widget_set_name (dropdown, "request-person");
  gtk_widget_set_sensitive (dropdown, for_others);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  gtk_widget_add_css_class (dropdown, "flat");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("For"));
  gtk_widget_set_name (row, "request-person-row");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);
  form->person = GTK_DROP_DOWN (dropdown);
  return row;
}

static void
on_request_send (RequestForm *form)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  guint       kind = adw_combo_row_get_selected (form->kind);
  const char *id = kind < form->ids->len ? g_ptr_array_index (form->ids, kind) : NULL;

  if (!gtk_widget_get_sensitive (form->action) || id == NULL)
    return;
  if (form->correction)
    {
      g_autofree char *users = g_strstrip (g_strdup (entry_text (form->users)));
      g_autofree char *description = g_strstrip (g_strdup (entry_text (form->description)));
      g_autofree char *evidence = g_strstrip (g_strdup (entry_text (form->evidence)));

      json_object_set_string_member (fields, "correction_type", id);
      json_object_set_string_member (fields, "affected_user_id", users);
      json_object_set_string_member (fields, "description", description);
      if (*evidence != '\0')
        json_object_set_string_member (fields, "evidence", evidence);
    }
  else
    {
      guint            level = adw_combo_row_get_selected (form->level);
      g_autofree char *reason = g_strstrip (g_strdup (entry_text (form->reason)));

      json_object_set_string_member (fields, "tool", id);
      json_object_set_string_member (fields, "person", request_person (form));
      if (level > 0 && level < G_N_ELEMENTS (levels))
        json_object_set_string_member (fields, "level", levels[level]);
      json_object_set_string_member (fields, "reason", reason);
    }
  if (!write_row (form->page, form->correction ? "correction_request" : "access_request", NULL,
                  fields))
    return;
  toast (form->page, _ ("Request sent"));
  gtk_window_destroy (form->window);
}

static void
open_request_form (TdTeamPage *self, gboolean correction)
{
  RequestForm   *form = g_new0 (RequestForm, 1);
  GtkWidget     *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget     *group = adw_preferences_group_new ();
  GtkStringList *names = gtk_string_list_new (NULL);

  form->page = g_object_ref (self);
  form->correction = correction;
  form->ids = g_ptr_array_new_with_free_func (g_free);
  if (correction)
    {
      GPtrArray *rules = td_policy_get_corrections (policy (self));

      for (guint i = 0; i < rules->len; i++)
        {
          const TdCorrectionRule *rule = g_ptr_array_index (rules, i);

          gtk_string_list_append (names, rule->name);
          g_ptr_array_add (form->ids, g_strdup (rule->id));
        }
      adw_preferences_group_set_description (
          ADW_PREFERENCES_GROUP (group),
          _ ("Who may correct what, and who approves, comes from the authority table [4.5]."));
      form->kind = combo_row (ADW_PREFERENCES_GROUP (group), _ ("Correction"), names, 0);
      gtk_widget_set_name (GTK_WIDGET (form->kind), "request-kind");
      form->users = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Affected users (IDs)"), NULL,
                               "request-users");
      form->description = entry_row (ADW_PREFERENCES_GROUP (group),
                                     _ ("What is wrong, and the fix"), NULL, "request-description");
      form->evidence
          = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Evidence"), NULL, "request-evidence");
      g_signal_connect_swapped (form->users, "changed", G_CALLBACK (on_request_changed), form);
      g_signal_connect_swapped (form->description, "changed", G_CALLBACK (on_request_changed),
                                form);
    }
  else
    {
      GPtrArray     *tools = td_policy_get_tools (policy (self));
      GtkStringList *level_names = gtk_string_list_new (NULL);

      for (guint i = 0; i < tools->len; i++)
        {
          const TdTool    *tool = g_ptr_array_index (tools, i);
          g_autofree char *name = g_strdup_printf ("%s — %s", tool->name, tool->purpose);

          gtk_string_list_append (names, name);
          g_ptr_array_add (form->ids, g_strdup (tool->id));
        }
      gtk_string_list_append (level_names, _ ("As much as the tier may have"));
      gtk_string_list_append (level_names, _ ("Full"));
      gtk_string_list_append (level_names, _ ("Read only"));
      gtk_string_list_append (level_names, _ ("Limited"));
      form->group = ADW_PREFERENCES_GROUP (group);
      adw_preferences_group_add (form->group, request_person_row (form));
      form->kind = combo_row (ADW_PREFERENCES_GROUP (group), _ ("Tool"), names, 0);
      gtk_widget_set_name (GTK_WIDGET (form->kind), "request-kind");
      form->level = combo_row (ADW_PREFERENCES_GROUP (group), _ ("Access"), level_names, 0);
      gtk_widget_set_name (GTK_WIDGET (form->level), "request-level");
      /* "Database Client — Data queries" does not fit beside its title. */
      adw_combo_row_set_use_subtitle (form->kind, TRUE);
      adw_combo_row_set_use_subtitle (form->level, TRUE);
      form->reason = entry_row (ADW_PREFERENCES_GROUP (group), _ ("Why you need it"), NULL,
                                "request-reason");
      on_request_person_changed (form);
      g_signal_connect_swapped (form->level, "notify::selected", G_CALLBACK (on_request_changed),
                                form);
      g_signal_connect_swapped (form->reason, "changed", G_CALLBACK (on_request_reason_changed),
                                form);
      g_signal_connect_swapped (form->person, "notify::selected", G_CALLBACK (on_request_picked),
                                form);
    }
  g_signal_connect_swapped (form->kind, "notify::selected", G_CALLBACK (on_request_changed), form);
  gtk_box_append (GTK_BOX (box), group);
  form->verdict = GTK_LABEL (label_new (NULL, "dim-label"));
  gtk_widget_set_name (GTK_WIDGET (form->verdict), "request-verdict");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->verdict));
  form->window = form_window (
      self, correction ? _ ("Request a Data Correction") : _ ("Request Tool Access"), _ ("_Send"),
      box, G_CALLBACK (on_request_send), form, request_form_free, &form->action);
  gtk_widget_set_name (GTK_WIDGET (form->window), "request-form");
  /* Room for the verdict's two lines under the access form's four rows. */
  if (!correction)
    gtk_window_set_default_size (form->window, 580, 460);
  on_request_changed (form);
  gtk_window_present (form->window);
}

static void
new_correction_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_request_form (TD_TEAM_PAGE (widget), TRUE);
}

static void
new_access_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_request_form (TD_TEAM_PAGE (widget), FALSE);
}

/* Loading */

static int
compare_requested_at (gconstpointer a, gconstpointer b)
{
  gint64 left = int_member (*(JsonObject **) a, "requested_at");
  gint64 right = int_member (*(JsonObject **) b, "requested_at");

  return left < right ? 1 : left > right ? -1 : 0;
}

static void
reload (TdTeamPage *self)
{
  static const char *const rota_entities[]
      = { "person", "rotation", "rotation_member", "rota_override", "swap_request", NULL };

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_ptr_array_set_size (self->people, 0);
  g_ptr_array_set_size (self->corrections, 0);
  g_ptr_array_set_size (self->accesses, 0);
  g_clear_object (&self->rotas);
  self->rotas = td_rota_store_new (policy (self));
  if (cache (self) != NULL)
    {
      g_autoptr (GPtrArray) people = td_cache_list (cache (self), "person", NULL, NULL, "name");
      g_autoptr (GPtrArray) corrections
          = td_cache_list (cache (self), "correction_request", NULL, NULL, NULL);
      g_autoptr (GPtrArray) accesses
          = td_cache_list (cache (self), "access_request", NULL, NULL, NULL);

      for (guint i = 0; people != NULL && i < people->len; i++)
        g_ptr_array_add (self->people, json_object_ref (g_ptr_array_index (people, i)));
      for (guint i = 0; corrections != NULL && i < corrections->len; i++)
        g_ptr_array_add (self->corrections, json_object_ref (g_ptr_array_index (corrections, i)));
      for (guint i = 0; accesses != NULL && i < accesses->len; i++)
        g_ptr_array_add (self->accesses, json_object_ref (g_ptr_array_index (accesses, i)));
      g_ptr_array_sort_with_data (self->people, compare_people, self);
      g_ptr_array_sort (self->corrections, compare_requested_at);
      g_ptr_array_sort (self->accesses, compare_requested_at);

      for (guint i = 0; rota_entities[i] != NULL; i++)
        {
          g_autoptr (GPtrArray) rows
              = td_cache_list (cache (self), rota_entities[i], NULL, NULL, NULL);

          for (guint j = 0; rows != NULL && j < rows->len; j++)
            td_rota_store_add_row (self->rotas, rota_entities[i], g_ptr_array_index (rows, j));
        }
    }
  rebuild_filters (self);
  rebuild_people (self);
  rebuild_details (self);
  rebuild_engagement (self);
  rebuild_card (self);
  rebuild_approvals (self);
}

static gboolean
reload_idle (gpointer data)
{
  TdTeamPage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_rows_changed (TdTeamPage *self, const char *entity, GStrv ids)
{
  static const char *const watched[] = { "person",         "rotation",     "rotation_member",
                                         "rota_override",  "swap_request", "correction_request",
                                         "access_request", "pir",          NULL };

  if (entity == NULL || !g_strv_contains (watched, entity))
    return;
  /* A pull brings rows in pages: rebuild once they have settled. */
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (100, reload_idle, self);
}

/* GObject */

static void
disconnect_session (TdTeamPage *self)
{
  if (self->session != NULL && self->rows_changed_id != 0
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
}

static void
filter_clear (gpointer data)
{
  g_free (((Filter *) data)->sub_team);
}

static void
td_team_page_dispose (GObject *object)
{
  TdTeamPage *self = TD_TEAM_PAGE (object);
  GtkWidget  *child;

  disconnect_session (self);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  /* Taking the template apart selects nothing, clears the search and
   * empties the filter's model: none of it may call back into a page whose
   * widgets are going, nor filter or head rows of a list being freed. */
  if (self->people_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->people_list, self);
      g_signal_handlers_disconnect_by_data (self->sections, self);
      g_signal_handlers_disconnect_by_data (self->search_entry, self);
      g_signal_handlers_disconnect_by_data (self->filter_dropdown, self);
      gtk_list_box_set_filter_func (self->people_list, NULL, NULL, NULL);
      gtk_list_box_set_header_func (self->people_list, NULL, NULL, NULL);
    }
  if (self->printing != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->printing, self);
      g_clear_object (&self->printing);
    }
  g_clear_object (&self->print_settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_TEAM_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (td_team_page_parent_class)->dispose (object);
}

static void
td_team_page_finalize (GObject *object)
{
  TdTeamPage *self = TD_TEAM_PAGE (object);

  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->corrections, g_ptr_array_unref);
  g_clear_pointer (&self->accesses, g_ptr_array_unref);
  g_clear_pointer (&self->filters, g_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->card, td_contact_card_free);
  g_clear_object (&self->rotas);

  G_OBJECT_CLASS (td_team_page_parent_class)->finalize (object);
}

static void
td_team_page_class_init (TdTeamPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_team_page_dispose;
  object_class->finalize = td_team_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tierdesk/Tierdesk/ui/td-team-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, sections);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, filter_list);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, people_list);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, add_person_button);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, details_box);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, engagement_box);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, card_title);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, card_subtitle);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, card_box);
  gtk_widget_class_bind_template_child (widget_class, TdTeamPage, approvals_box);

  gtk_widget_class_install_action (widget_class, "team.add-person", NULL, add_person_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "team.add-person", NULL);
  gtk_widget_class_install_action (widget_class, "team.edit-person", NULL, edit_person_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "team.edit-person", NULL);
  gtk_widget_class_install_action (widget_class, "team.fill-slot", "(is)", fill_slot_action);
  gtk_widget_class_install_action (widget_class, "team.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "team.search",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "team.copy-card", NULL, copy_card_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "team.copy-card", NULL);
  gtk_widget_class_install_action (widget_class, "team.print-card", NULL, print_card_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "team.print-card",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "team.approve", "(ss)", approve_action);
  gtk_widget_class_install_action (widget_class, "team.reject", "(ss)", reject_action);
  gtk_widget_class_install_action (widget_class, "team.mark-applied", "(ss)", mark_applied_action);
  gtk_widget_class_install_action (widget_class, "team.withdraw", "(ss)", withdraw_action);
  gtk_widget_class_install_action (widget_class, "team.revoke", "(ss)", revoke_action);
  gtk_widget_class_install_action (widget_class, "team.new-correction", NULL,
                                   new_correction_action);
  gtk_widget_class_install_action (widget_class, "team.new-access", NULL, new_access_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
td_team_page_init (TdTeamPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->corrections = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->accesses = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_array_set_clear_func (self->filters, filter_clear);
  self->rotas = td_rota_store_new (NULL);

  gtk_list_box_set_header_func (self->people_list, people_header, self, NULL);
  gtk_list_box_set_filter_func (self->people_list, people_filter, self, NULL);
  g_signal_connect_swapped (self->people_list, "row-selected", G_CALLBACK (on_person_selected),
                            self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_filter_changed),
                            self);
  g_signal_connect_swapped (self->filter_dropdown, "notify::selected",
                            G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->sections, "notify::visible-child",
                            G_CALLBACK (on_section_changed), self);
  reload (self);
}

/* Public API */

void
td_team_page_set_session (TdTeamPage *self, TdSession *session)
{
  g_return_if_fail (TD_IS_TEAM_PAGE (self));

  if (self->session != session)
    {
      disconnect_session (self);
      g_set_object (&self->session, session);
      if (session != NULL && td_session_get_engine (session) != NULL)
        self->rows_changed_id
            = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                       G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
    }
  /* The same session again: its person or role may have become known. */
  reload (self);
}

char *
td_team_page_dup_card_text (TdTeamPage *self)
{
  g_return_val_if_fail (TD_IS_TEAM_PAGE (self), NULL);

  if (self->card == NULL)
    rebuild_card (self);
  return self->card != NULL ? td_contact_card_to_text (self->card, _ ("not set")) : NULL;
}

void
td_team_page_set_print_settings (TdTeamPage *self, GtkPrintSettings *settings)
{
  g_return_if_fail (TD_IS_TEAM_PAGE (self));
  g_return_if_fail (settings == NULL || GTK_IS_PRINT_SETTINGS (settings));

  g_set_object (&self->print_settings, settings);
}

gboolean
td_team_page_is_printing (TdTeamPage *self)
{
  g_return_val_if_fail (TD_IS_TEAM_PAGE (self), FALSE);

  return self->printing != NULL;
}
