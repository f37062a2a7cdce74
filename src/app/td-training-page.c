/* td-training-page.c — the Training page: who is cleared for what, sessions, hours
 *
 * A matrix of people against the curriculum's topics, worst first, so a
 * lead sees at a glance who is not cleared; a side panel with one person's
 * onboarding progress, statuses and history; recording a session for
 * several people at once; editing, signing off and deleting records; the
 * curriculum; CSV exports. Everything is computed by the core
 * TdTrainingTracker from the cache, and every edit goes through the cache's
 * outbox, so the page works offline like the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-curriculum-window.h"
#include "td-save-text.h"
#include "td-time.h"
#include "td-training-cache.h"
#include "td-training-page.h"
#include "td-training-session-dialog.h"
#include "td-window.h"

struct _TdTrainingPage
{
  GtkWidget parent_instance;

  GtkSearchEntry *search_entry;
  GtkDropDown    *team_dropdown;
  GtkStringList  *team_list;
  GtkDropDown    *tier_dropdown;
  GtkStringList  *tier_list;
  GtkDropDown    *status_dropdown;
  GtkStringList  *status_list;
  GtkButton      *record_button;
  GtkMenuButton  *export_button;
  GtkLabel       *summary_label;
  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  GtkPaned       *paned;
  GtkColumnView  *column_view;
  GtkBox         *person_box;

  TdSession          *session;
  gulong              rows_changed_id;
  guint               reload_id;
  TdTrainingTracker  *tracker;
  GListStore         *people; /* GtkStringObject: person uuids shown */
  GtkSingleSelection *selection;
  /* Drop-down position → team name (NULL: every team) and tier (0: every). */
  GPtrArray *teams;
  GArray    *tiers;
  char      *selected;
  GDate      today;
  /* Overdue people of my team, by uuid → topic name, as last seen. */
  GHashTable *overdue_seen;
  gboolean    overdue_baseline;
  gboolean    updating_filters;
  /* The topics the matrix has columns for. */
  char    *columns_key;
  gboolean rebuild_on_map;
};

G_DEFINE_FINAL_TYPE (TdTrainingPage, td_training_page, GTK_TYPE_WIDGET)

enum
{
  NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Status drop-down positions. */
enum
{
  SHOW_EVERYONE,
  SHOW_OVERDUE,
  SHOW_DUE_SOON,
  SHOW_TO_DO,
  SHOW_UP_TO_DATE,
};

static void reload (TdTrainingPage *self);
static void rebuild (TdTrainingPage *self);
static void show_person (TdTrainingPage *self);

/* Helpers */

static TdCache *
cache (TdTrainingPage *self)
{
  return self->session != NULL ? td_session_get_cache (self->session) : NULL;
}

static TdPolicy *
policy (TdTrainingPage *self)
{
  return self->session != NULL ? td_session_get_policy (self->session) : NULL;
}

static gboolean
may_write (TdTrainingPage *self)
{
  return self->session != NULL && td_session_may (self->session, "training.write", 0);
}

static void
toast (TdTrainingPage *self, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TD_IS_WINDOW (root))
    td_window_add_toast (TD_WINDOW (root), text);
}

static gint64
server_now (TdTrainingPage *self)
{
  TdSyncEngine *engine = self->session != NULL ? td_session_get_engine (self->session) : NULL;

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

/* "2 Mar", or "2 Mar 2027" outside this year. */
static char *
short_date (TdTrainingPage *self, const GDate *date)
{
  char text[64] = "";

  if (!g_date_valid (date))
    return g_strdup ("");
  g_date_strftime (
      text, sizeof text,
      g_date_get_year (date) == g_date_get_year (&self->today) ? "%-d %b" : "%-d %b %Y", date);
  return g_strdup (text);
}

static char *
long_date (const GDate *date)
{
  char text[64] = "";

  if (g_date_valid (date))
    g_date_strftime (text, sizeof text, "%-d %B %Y", date);
  return g_strdup (text);
}

static char *
format_hours (guint minutes)
{
  if (minutes % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", minutes / 60),
                            minutes / 60);
  return g_strdup_printf (_ ("%.1f hours"), minutes / 60.0);
}

static const char *
person_name (TdTrainingPage *self, const char *uuid)
{
  TdTrainee *trainee = td_training_tracker_get_person (self->tracker, uuid);

  if (uuid == NULL)
    return _ ("Nobody");
  return trainee != NULL && trainee->name != NULL ? trainee->name : uuid;
}

static const char *const status_classes[]
    = { "training-not-required", "training-done",    "training-to-do",
        "training-due-soon",     "training-overdue", NULL };

static void
set_status_class (GtkWidget *widget, TdTrainingStatus status)
{
  for (guint i = 0; status_classes[i] != NULL; i++)
    gtk_widget_remove_css_class (widget, status_classes[i]);
  gtk_widget_add_css_class (widget, status_classes[status]);
}

/* What a cell says, and its tooltip: words, not colour alone. */
static void
describe_state (TdTrainingPage *self, const TdTrainingState *state, char **text, char **tooltip)
{
  g_autofree char *due = short_date (self, &state->due);
  g_autofree char *due_long = long_date (&state->due);
  g_autofree char *done_long = long_date (&state->last_done);

  switch (state->status)
    {
      case TD_TRAINING_NOT_REQUIRED:
        *text = g_strdup ("—");
        *tooltip = g_strdup (_ ("Not part of this person’s curriculum"));
        break;
      case TD_TRAINING_DONE:
        *text = g_strdup (_ ("Done"));
        *tooltip = g_date_valid (&state->due)
                       ? g_strdup_printf (_ ("Last done %s; next due %s"), done_long, due_long)
                       : g_strdup_printf (_ ("Done %s"), done_long);
        break;
      case TD_TRAINING_TO_DO:
        *text = g_date_valid (&state->due) ? g_strdup_printf (_ ("Due %s"), due)
                                           : g_strdup (_ ("To do"));
        *tooltip = g_date_valid (&state->due)
                       ? g_strdup_printf (_ ("Not done yet; due %s"), due_long)
                       : g_strdup (_ ("Not done yet; no start date, so no due date"));
        break;
      case TD_TRAINING_DUE_SOON:
        *text = g_strdup_printf (_ ("Due %s"), due);
        *tooltip = g_strdup_printf (_ ("Due soon: %s"), due_long);
        break;
      case TD_TRAINING_OVERDUE:
      default:
        *text = g_strdup (_ ("Overdue"));
        *tooltip = g_strdup_printf (_ ("Overdue since %s"), due_long);
        break;
    }
}

static int
selected_tier (TdTrainingPage *self)
{
  guint position = gtk_drop_down_get_selected (self->tier_dropdown);

  return position < self->tiers->len ? g_array_index (self->tiers, int, position) : 0;
}

static const char *
selected_team (TdTrainingPage *self)
{
  guint position = gtk_drop_down_get_selected (self->team_dropdown);

  return position < self->teams->len ? g_ptr_array_index (self->teams, position) : NULL;
}

/* The people whose training the signed-in person answers for: everyone
 * for trainers and roles without a tier (administrators), a manager's or
 * lead's own tier, nobody for the others. */
static gboolean
is_my_team (TdTrainingPage *self, const TdTrainee *trainee)
{
  const char   *role_id = self->session != NULL ? td_session_get_role (self->session) : NULL;
  const TdRole *role = role_id != NULL && policy (self) != NULL
                           ? td_policy_get_role (policy (self), role_id)
                           : NULL;

  if (role == NULL || trainee->tier == 0)
    return FALSE;
  if (role->manages_tier > 0)
    return trainee->tier == role->manages_tier;
  return role->tier == 0 && td_session_may (self->session, "training.write", 0);
}

/* Overdue notifications */

/* Says once when someone on my team becomes overdue. What was overdue when
 * the page first loaded is the baseline: the page's own badge shows it. */
static void
notify_overdue (TdTrainingPage *self)
{
  g_autoptr (GHashTable) now_overdue
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) newly = g_ptr_array_new ();
  GPtrArray    *people = td_training_tracker_get_people (self->tracker);
  GApplication *application = g_application_get_default ();

  for (guint i = 0; i < people->len; i++)
    {
      const TdTrainee *trainee = g_ptr_array_index (people, i);
      g_autoptr (GPtrArray) overdue = NULL;

      if (!is_my_team (self, trainee))
        continue;
      overdue = td_training_tracker_list_overdue (self->tracker, trainee->uuid, 0, &self->today);
      if (overdue->len == 0)
        continue;
      g_hash_table_insert (now_overdue, g_strdup (trainee->uuid),
                           g_strdup (((TdTrainingTopic *) overdue->pdata[0])->topic));
      if (self->overdue_baseline && !g_hash_table_contains (self->overdue_seen, trainee->uuid))
        g_ptr_array_add (newly, (gpointer) trainee);
    }
  g_clear_pointer (&self->overdue_seen, g_hash_table_unref);
  self->overdue_seen = g_steal_pointer (&now_overdue);
  /* Only a cache that has finished a pull is a baseline: the first pull
   * brings people and records page by page. */
  if (!self->overdue_baseline)
    {
      self->overdue_baseline = td_cache_get_last_sync (cache (self)) > 0;
      return;
    }

  if (newly->len == 0)
    return;
  {
    const TdTrainee *first = newly->pdata[0];
    g_autoptr (GNotification) notification = NULL;
    g_autofree char *title = NULL;
    g_autofree char *body = NULL;

    if (newly->len == 1)
      {
        title = g_strdup_printf (_ ("%s is overdue on training"), first->name);
        body = g_strdup_printf (_ ("“%s” is past its due date."),
                                (char *) g_hash_table_lookup (self->overdue_seen, first->uuid));
      }
    else
      {
        title = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%u person on your team is overdue on training",
                         "%u people on your team are overdue on training", newly->len),
            newly->len);
        body = g_strdup_printf (_ ("%s and others: see the Training page."), first->name);
      }
    g_signal_emit (self, signals[NOTIFICATION], 0, title, body);
    notification = g_notification_new (title);
    g_notification_set_body (notification, body);
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
    if (application != NULL)
      g_application_send_notification (application, "training-overdue", notification);
  }
}

/* Matrix cells */

static void
setup_label (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "training-cell");
  gtk_list_item_set_child (item, label);
}

static void
setup_person (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *team = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (team), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (team), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (team, "dim-label");
  gtk_widget_add_css_class (team, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), team);
  gtk_widget_add_css_class (box, "training-cell");
  gtk_list_item_set_child (item, box);
}

static const char *
item_person (GtkListItem *item)
{
  return gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_list_item_get_item (item)));
}

static void
bind_person (GtkSignalListItemFactory *factory, GtkListItem *item, TdTrainingPage *self)
{
  GtkWidget       *box = gtk_list_item_get_child (item);
  TdTrainee       *trainee = td_training_tracker_get_person (self->tracker, item_person (item));
  g_autofree char *tier = NULL;

  if (trainee == NULL)
    return;
  tier = trainee->tier > 0 ? g_strdup_printf (_ ("Tier %d"), trainee->tier) : g_strdup ("");
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), trainee->name);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)),
                      trainee->team != NULL ? trainee->team : tier);
}

static void
bind_onboarding (GtkSignalListItemFactory *factory, GtkListItem *item, TdTrainingPage *self)
{
  GtkWidget           *label = gtk_list_item_get_child (item);
  TdOnboardingProgress progress;
  g_autofree char     *text = NULL;
  g_autofree char     *tooltip = NULL;

  td_training_tracker_get_onboarding (self->tracker, item_person (item), &progress);
  if (progress.required_minutes == 0)
    {
      gtk_label_set_text (GTK_LABEL (label), "—");
      gtk_widget_set_tooltip_text (label, _ ("No onboarding for this person’s tier"));
      return;
    }
  /* TRANSLATORS: onboarding hours done of hours required, "14 of 24 h" */
  text = g_strdup_printf (_ ("%.*f of %.*f h"), progress.done_minutes % 60 != 0 ? 1 : 0,
                          progress.done_minutes / 60.0, progress.required_minutes % 60 != 0 ? 1 : 0,
                          progress.required_minutes / 60.0);
  tooltip = g_strdup_printf (_ ("Tier %d onboarding: %u of %u topics done"), progress.tier,
                             progress.topics_done, progress.topics_required);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, tooltip);
  set_status_class (label, progress.done_minutes >= progress.required_minutes ? TD_TRAINING_DONE
                                                                              : TD_TRAINING_TO_DO);
}

/* The person's worst status, and which topics make it so. */
static void
bind_status (GtkSignalListItemFactory *factory, GtkListItem *item, TdTrainingPage *self)
{
  GtkWidget  *label = gtk_list_item_get_child (item);
  const char *person = item_person (item);
  g_autoptr (GPtrArray) topics = td_training_tracker_get_topics (self->tracker);
  g_autoptr (GString) names = g_string_new (NULL);
  TdTrainingStatus worst = TD_TRAINING_NOT_REQUIRED;
  guint            n_worst = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, i);
      TdTrainingState        state;

      td_training_tracker_get_state (self->tracker, person, topic->id, &self->today, &state);
      if (state.status > worst)
        {
          worst = state.status;
          n_worst = 0;
          g_string_truncate (names, 0);
        }
      if (state.status == worst)
        {
          n_worst++;
          g_string_append_printf (names, "%s%s", names->len > 0 ? "\n" : "", topic->topic);
        }
    }
  switch (worst)
    {
      case TD_TRAINING_OVERDUE:
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u overdue", "%u overdue", n_worst),
                                n_worst);
        break;
      case TD_TRAINING_DUE_SOON:
        text = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%u due soon", "%u due soon", n_worst), n_worst);
        break;
      case TD_TRAINING_TO_DO:
        text = g_strdup (_ ("Onboarding"));
        break;
      case TD_TRAINING_DONE:
        text = g_strdup (_ ("Up to date"));
        g_string_truncate (names, 0);
        break;
      case TD_TRAINING_NOT_REQUIRED:
      default:
        text = g_strdup ("—");
        g_string_truncate (names, 0);
        break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, names->len > 0 ? names->str : NULL);
  set_status_class (label, worst);
}

static void
bind_topic (GtkSignalListItemFactory *factory, GtkListItem *item, TdTrainingPage *self)
{
  GtkWidget       *label = gtk_list_item_get_child (item);
  const char      *topic = g_object_get_data (G_OBJECT (factory), "topic");
  TdTrainingState  state;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  td_training_tracker_get_state (self->tracker, item_person (item), topic, &self->today, &state);
  describe_state (self, &state, &text, &tooltip);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, tooltip);
  set_status_class (label, state.status);
}

static void
add_column (TdTrainingPage *self,
            const char     *title,
            const char     *topic,
            int             width,
            GCallback       setup,
            GCallback       bind)
{
  GtkListItemFactory  *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  if (topic != NULL)
    g_object_set_data_full (G_OBJECT (factory), "topic", g_strdup (topic), g_free);
  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_fixed_width (column, width);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

/* One column per topic of the tier shown (every topic for all tiers). */
static void
rebuild_columns (TdTrainingPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  g_autoptr (GPtrArray) topics = td_training_tracker_get_topics (self->tracker);
  int tier = selected_tier (self);
  g_autoptr (GString) key = g_string_new (NULL);

  /* Columns come and go with the tier filter and the curriculum only. */
  for (guint i = 0; i < topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, i);
      if (tier == 0 || topic->tier == tier)
        g_string_append_printf (key, "%s\x1f%s\x1e", topic->id, topic->topic);
    }
  if (g_strcmp0 (key->str, self->columns_key) == 0)
    return;
  g_free (self->columns_key);
  self->columns_key = g_strdup (key->str);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, column);
    }
  add_column (self, _ ("Person"), NULL, 200, G_CALLBACK (setup_person), G_CALLBACK (bind_person));
  add_column (self, _ ("Status"), NULL, 110, G_CALLBACK (setup_label), G_CALLBACK (bind_status));
  add_column (self, _ ("Onboarding"), NULL, 120, G_CALLBACK (setup_label),
              G_CALLBACK (bind_onboarding));
  for (guint i = 0; i < topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, i);

      if (tier == 0 || topic->tier == tier)
        add_column (self, topic->topic, topic->id, 130, G_CALLBACK (setup_label),
                    G_CALLBACK (bind_topic));
    }
}

/* Filters and the list */

/* Replaces the drop-down's strings in one step, and only when they
 * differ: each change makes the drop-down rebuild its rows. */
static void
set_strings (GtkStringList *list, GStrv names)
{
  guint    n = g_list_model_get_n_items (G_LIST_MODEL (list));
  gboolean same = n == g_strv_length (names);

  for (guint i = 0; same && i < n; i++)
    same = g_str_equal (gtk_string_list_get_string (list, i), names[i]);
  if (!same)
    gtk_string_list_splice (list, 0, n, (const char *const *) names);
}

static void
fill_filters (TdTrainingPage *self)
{
  GPtrArray *people = td_training_tracker_get_people (self->tracker);
  g_autoptr (GPtrArray) topics = td_training_tracker_get_topics (self->tracker);
  g_autoptr (GHashTable) teams = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) team_names = g_ptr_array_new ();
  g_autoptr (GArray) tier_levels = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *team = g_strdup (selected_team (self));
  int              tier = selected_tier (self);
  guint            team_position = 0;
  guint            tier_position = 0;

  for (guint i = 0; i < people->len; i++)
    {
      const TdTrainee *trainee = g_ptr_array_index (people, i);
      if (trainee->team != NULL && !g_hash_table_contains (teams, trainee->team))
        {
          g_hash_table_add (teams, trainee->team);
          g_ptr_array_add (team_names, trainee->team);
        }
    }
  g_ptr_array_sort (team_names, (GCompareFunc) (void (*) (void)) g_strcmp0);
  for (guint i = 0; i < topics->len; i++)
    {
      int      level = ((TdTrainingTopic *) topics->pdata[i])->tier;
      gboolean seen = FALSE;

      for (guint j = 0; j < tier_levels->len; j++)
        seen |= g_array_index (tier_levels, int, j) == level;
      if (!seen)
        g_array_append_val (tier_levels, level);
    }

  self->updating_filters = TRUE;
  g_ptr_array_set_size (self->teams, 0);
  g_ptr_array_add (self->teams, NULL);
  {
    g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
    g_auto (GStrv) strv = NULL;

    g_strv_builder_add (names, _ ("All Teams"));
    for (guint i = 0; i < team_names->len; i++)
      {
        g_ptr_array_add (self->teams, g_strdup (team_names->pdata[i]));
        g_strv_builder_add (names, team_names->pdata[i]);
        if (g_strcmp0 (team, team_names->pdata[i]) == 0)
          team_position = i + 1;
      }
    strv = g_strv_builder_end (names);
    set_strings (self->team_list, strv);
  }

  g_array_set_size (self->tiers, 0);
  {
    g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
    g_auto (GStrv) strv = NULL;
    int all = 0;

    g_array_append_val (self->tiers, all);
    g_strv_builder_add (names, _ ("All Tiers"));
    for (guint i = 0; i < tier_levels->len; i++)
      {
        int              level = g_array_index (tier_levels, int, i);
        g_autofree char *name = g_strdup_printf (_ ("Tier %d"), level);

        g_array_append_val (self->tiers, level);
        g_strv_builder_add (names, name);
        if (level == tier)
          tier_position = i + 1;
      }
    strv = g_strv_builder_end (names);
    set_strings (self->tier_list, strv);
  }
  if (gtk_drop_down_get_selected (self->team_dropdown) != team_position)
    gtk_drop_down_set_selected (self->team_dropdown, team_position);
  if (gtk_drop_down_get_selected (self->tier_dropdown) != tier_position)
    gtk_drop_down_set_selected (self->tier_dropdown, tier_position);
  self->updating_filters = FALSE;
}

static gboolean
matches_status (TdTrainingStatus worst, guint filter)
{
  switch (filter)
    {
      case SHOW_OVERDUE:
        return worst == TD_TRAINING_OVERDUE;
      case SHOW_DUE_SOON:
        return worst == TD_TRAINING_DUE_SOON;
      case SHOW_TO_DO:
        return worst == TD_TRAINING_TO_DO;
      case SHOW_UP_TO_DATE:
        return worst == TD_TRAINING_DONE;
      case SHOW_EVERYONE:
      default:
        return TRUE;
    }
}

typedef struct
{
  const TdTrainee *trainee;
  TdTrainingStatus worst;
} Shown;

/* Worst first, then by name: the people to chase come to the top. */
static int
compare_shown (gconstpointer a, gconstpointer b)
{
  const Shown *sa = a;
  const Shown *sb = b;

  if (sa->worst != sb->worst)
    return (int) sb->worst - (int) sa->worst;
  return g_utf8_collate (sa->trainee->name != NULL ? sa->trainee->name : "",
                         sb->trainee->name != NULL ? sb->trainee->name : "");
}

static void
rebuild (TdTrainingPage *self)
{
  /* Nothing to lay out while another page is on screen: the matrix is
   * filled when the page shows. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->rebuild_on_map = TRUE;
      return;
    }
  self->rebuild_on_map = FALSE;

  GPtrArray *people = td_training_tracker_get_people (self->tracker);
  g_autoptr (GArray) shown = g_array_new (FALSE, FALSE, sizeof (Shown));
  g_autofree char *needle = NULL;
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  const char *team = selected_team (self);
  int         tier = selected_tier (self);
  guint       status = gtk_drop_down_get_selected (self->status_dropdown);
  guint       counts[TD_TRAINING_OVERDUE + 1] = { 0 };
  guint       in_scope = 0;
  guint       selected_position = GTK_INVALID_LIST_POSITION;

  needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  for (guint i = 0; i < people->len; i++)
    {
      const TdTrainee *trainee = g_ptr_array_index (people, i);
      g_autofree char *name = NULL;
      Shown            row = { trainee, TD_TRAINING_NOT_REQUIRED };

      /* The matrix is for people with a curriculum. */
      if (trainee->tier == 0 || (tier != 0 && trainee->tier != tier)
          || (team != NULL && g_strcmp0 (trainee->team, team) != 0))
        continue;
      row.worst = td_training_tracker_get_worst (self->tracker, trainee->uuid, &self->today);
      counts[row.worst]++;
      in_scope++;
      name = g_utf8_casefold (trainee->name != NULL ? trainee->name : "", -1);
      if (*needle != '\0' && strstr (name, needle) == NULL)
        continue;
      if (!matches_status (row.worst, status))
        continue;
      g_array_append_val (shown, row);
    }
  g_array_sort (shown, compare_shown);

  for (guint i = 0; i < shown->len; i++)
    {
      const Shown *row = &g_array_index (shown, Shown, i);
      g_ptr_array_add (items, gtk_string_object_new (row->trainee->uuid));
      if (g_strcmp0 (row->trainee->uuid, self->selected) == 0)
        selected_position = i;
    }
  g_list_store_splice (self->people, 0, g_list_model_get_n_items (G_LIST_MODEL (self->people)),
                       items->pdata, items->len);
  rebuild_columns (self);

  if (in_scope == 0)
    gtk_label_set_text (self->summary_label, "");
  else
    {
      /* TRANSLATORS: the counts of people by their worst training status */
      g_autofree char *summary
          = g_strdup_printf (_ ("%u overdue · %u due soon · %u still onboarding · %u up to date"),
                             counts[TD_TRAINING_OVERDUE], counts[TD_TRAINING_DUE_SOON],
                             counts[TD_TRAINING_TO_DO], counts[TD_TRAINING_DONE]);
      gtk_label_set_text (self->summary_label, summary);
    }

  gtk_stack_set_visible_child_name (self->stack, people->len > 0 ? "matrix" : "empty");
  /* The panel shows someone in the matrix: the first one when the filters
   * hid the person chosen before. */
  if (selected_position == GTK_INVALID_LIST_POSITION && shown->len > 0)
    {
      selected_position = 0;
      g_free (self->selected);
      self->selected = g_strdup (g_array_index (shown, Shown, 0).trainee->uuid);
    }
  if (selected_position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, selected_position);
  show_person (self);
}

static void
reload (TdTrainingPage *self)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_object (&self->tracker);
  self->tracker = td_training_cache_load (cache (self), policy (self));
  {
    /* The day where the person reading is. */
    g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (server_now (self));
    g_date_set_dmy (&self->today, g_date_time_get_day_of_month (local),
                    g_date_time_get_month (local), g_date_time_get_year (local));
  }
  fill_filters (self);
  if (self->session != NULL)
    notify_overdue (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.record-session",
                                 self->session != NULL && may_write (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.edit-curriculum",
                                 self->session != NULL && may_write (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->record_button),
                               self->session == NULL || may_write (self)
                                   ? _ ("Record one session for several people (Shift+Ctrl+N)")
                                   : _ ("Your role may not record training"));
  rebuild (self);
}

static gboolean
reload_idle (gpointer data)
{
  TdTrainingPage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_rows_changed (TdTrainingPage *self, const char *entity, GStrv ids)
{
  if (entity == NULL || !g_strv_contains (td_training_cache_entities, entity))
    return;
  /* A pull brings rows in pages: redraw once they have settled. */
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (150, reload_idle, self);
}

static void
on_filter_changed (TdTrainingPage *self)
{
  if (!self->updating_filters)
    rebuild (self);
}

static void
on_selection_changed (TdTrainingPage *self)
{
  GtkStringObject *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL)
    return;
  g_free (self->selected);
  self->selected = g_strdup (gtk_string_object_get_string (item));
  show_person (self);
}

/* The person panel */

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

static GtkWidget *
icon_button (const char *icon, const char *tooltip, const char *action, const char *record)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", record);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  return button;
}

static char *
describe_change (TdTrainingPage *self, JsonObject *change)
{
  const char *kind = json_object_get_string_member_with_default (change, "kind", "");
  const char *actor = json_object_get_string_member_with_default (change, "actor", NULL);
  gint64      at = json_object_get_int_member_with_default (change, "at", 0);
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (at);
  g_autofree char *date = g_date_time_format (when, "%-d %b %Y %H:%M");
  const char      *who = person_name (self, actor);
  const char      *topic_id = json_object_get_string_member_with_default (change, "topic", NULL);
  const TdTrainingTopic *topic = td_training_tracker_get_topic (self->tracker, topic_id);
  const char            *topic_name = topic != NULL ? topic->topic : topic_id;

  if (g_str_equal (kind, "recorded"))
    return g_strdup_printf (_ ("%s: “%s” recorded by %s"), date, topic_name, who);
  if (g_str_equal (kind, "signed_off"))
    return g_strdup_printf (_ ("%s: “%s” signed off by %s"), date, topic_name, who);
  if (g_str_equal (kind, "sign_off_withdrawn"))
    return g_strdup_printf (_ ("%s: sign-off of “%s” withdrawn by %s"), date, topic_name, who);
  if (g_str_equal (kind, "deleted"))
    return g_strdup_printf (_ ("%s: “%s” deleted by %s"), date, topic_name, who);

  /* An edit: which fields moved, from what to what. */
  {
    JsonObject              *data = json_object_get_object_member (change, "data");
    JsonObject              *before = data != NULL && json_object_has_member (data, "before")
                                 && JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "before"))
                                          ? json_object_get_object_member (data, "before")
                                          : NULL;
    JsonObject              *after = data != NULL && json_object_has_member (data, "after")
                                && JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "after"))
                                         ? json_object_get_object_member (data, "after")
                                         : NULL;
    static const char *const fields[]
        = { "topic", "completed_on", "minutes", "trainer", "notes", NULL };
    g_autoptr (GString) moved = g_string_new (NULL);

    for (guint i = 0; before != NULL && after != NULL && fields[i] != NULL; i++)
      {
        JsonNode        *a = json_object_get_member (before, fields[i]);
        JsonNode        *b = json_object_get_member (after, fields[i]);
        g_autofree char *old_text = a != NULL ? json_to_string (a, FALSE) : g_strdup ("null");
        g_autofree char *new_text = b != NULL ? json_to_string (b, FALSE) : g_strdup ("null");

        if (g_strcmp0 (old_text, new_text) != 0)
          g_string_append_printf (moved, "%s%s %s → %s", moved->len > 0 ? ", " : "", fields[i],
                                  old_text, new_text);
      }
    return g_strdup_printf (_ ("%s: “%s” edited by %s (%s)"), date, topic_name, who,
                            moved->len > 0 ? moved->str : _ ("no visible change"));
  }
}

static void
show_person (TdTrainingPage *self)
{
  TdTrainee           *trainee = td_training_tracker_get_person (self->tracker, self->selected);
  GtkWidget           *child;
  TdOnboardingProgress progress;
  g_autoptr (GPtrArray) topics = NULL;
  g_autoptr (GPtrArray) records = NULL;
  GtkWidget  *group;
  gboolean    writer = may_write (self);
  const char *me = self->session != NULL ? td_session_get_person (self->session) : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->person_box))) != NULL)
    gtk_box_remove (self->person_box, child);
  if (trainee == NULL)
    {
      gtk_box_append (
          self->person_box,
          label_new (_ ("Choose someone in the matrix to see their training."), "dim-label"));
      return;
    }

  {
    GtkWidget       *header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
    g_autofree char *start = long_date (&trainee->start_date);
    g_autofree char *about = NULL;

    if (trainee->team != NULL && g_date_valid (&trainee->start_date))
      about
          = g_strdup_printf (_ ("Tier %d · %s · started %s"), trainee->tier, trainee->team, start);
    else if (g_date_valid (&trainee->start_date))
      about = g_strdup_printf (_ ("Tier %d · started %s"), trainee->tier, start);
    else
      about = g_strdup_printf (_ ("Tier %d · no start date"), trainee->tier);
    gtk_box_append (GTK_BOX (header), label_new (trainee->name, "title-2"));
    gtk_box_append (GTK_BOX (header), label_new (about, "dim-label"));
    gtk_widget_set_name (header, "training-person-header");
    gtk_box_append (self->person_box, header);
  }

  td_training_tracker_get_onboarding (self->tracker, trainee->uuid, &progress);
  if (progress.required_minutes > 0)
    {
      GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget       *bar = gtk_level_bar_new_for_interval (0, progress.required_minutes);
      g_autofree char *done = format_hours (progress.done_minutes);
      g_autofree char *required = format_hours (progress.required_minutes);
      g_autofree char *text
          = g_strdup_printf (_ ("Onboarding: %s of %s, %u of %u topics"), done, required,
                             progress.topics_done, progress.topics_required);
      GtkWidget *label = label_new (text, NULL);

      gtk_widget_set_name (label, "training-onboarding");
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), progress.done_minutes);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                      -1);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), bar);
      gtk_box_append (self->person_box, box);
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Curriculum"));
  topics = td_training_tracker_get_topics (self->tracker);
  for (guint i = 0; i < topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, i);
      TdTrainingState        state;
      g_autofree char       *text = NULL;
      g_autofree char       *tooltip = NULL;
      GtkWidget             *row;
      GtkWidget             *status;

      if (!td_training_tracker_is_required (self->tracker, trainee, topic))
        continue;
      td_training_tracker_get_state (self->tracker, trainee->uuid, topic->id, &self->today, &state);
      describe_state (self, &state, &text, &tooltip);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), topic->topic);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tooltip);
      status = gtk_label_new (text);
      gtk_widget_add_css_class (status, "training-pill");
      set_status_class (status, state.status);
      gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (self->person_box, group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Records"));
  records = td_training_tracker_list_completions (self->tracker, trainee->uuid);
  if (records->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _ ("Nothing recorded yet."));
  for (guint i = 0; i < records->len; i++)
    {
      const TdTrainingCompletion *record = g_ptr_array_index (records, i);
      const TdTrainingTopic *topic = td_training_tracker_get_topic (self->tracker, record->topic);
      g_autofree char       *date = long_date (&record->completed_on);
      g_autofree char       *hours = format_hours (record->minutes);
      g_autofree char       *subtitle = NULL;
      GtkWidget             *row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

      if (record->signed_off_by != NULL)
        subtitle = g_strdup_printf (_ ("%s · %s · with %s · signed off by %s"), date, hours,
                                    person_name (self, record->trainer),
                                    person_name (self, record->signed_off_by));
      else
        subtitle = g_strdup_printf (_ ("%s · %s · with %s · not signed off"), date, hours,
                                    person_name (self, record->trainer));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     topic != NULL ? topic->topic : record->topic);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (writer)
        {
          if (record->signed_off_by == NULL && me != NULL)
            adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                       icon_button ("emblem-ok-symbolic", _ ("Sign Off"),
                                                    "training.sign-off", record->uuid));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     icon_button ("document-edit-symbolic", _ ("Edit Record"),
                                                  "training.edit-record", record->uuid));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     icon_button ("user-trash-symbolic", _ ("Delete Record"),
                                                  "training.delete-record", record->uuid));
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (self->person_box, group);

  /* The server's history of this person's records, edits and deletions. */
  if (cache (self) != NULL)
    {
      g_autoptr (GPtrArray) changes
          = td_cache_list (cache (self), "training_change", "person", trainee->uuid, "at");

      if (changes != NULL && changes->len > 0)
        {
          GtkWidget *history = adw_preferences_group_new ();

          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (history), _ ("History"));
          for (guint i = changes->len; i > 0; i--)
            {
              g_autofree char *text = describe_change (self, g_ptr_array_index (changes, i - 1));
              GtkWidget       *label = label_new (text, "caption");

              gtk_widget_set_margin_bottom (label, 6);
              adw_preferences_group_add (ADW_PREFERENCES_GROUP (history), label);
            }
          gtk_box_append (self->person_box, history);
        }
    }
}

/* Actions */

static void
on_saved (TdTrainingSessionDialog *dialog, const char *message, TdTrainingPage *self)
{
  toast (self, message);
  reload (self);
}

static void
open_dialog (TdTrainingPage *self, const char *record)
{
  TdTrainingSessionDialog *dialog;
  GtkRoot                 *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->session == NULL)
    return;
  dialog = td_training_session_dialog_new (self->session, self->tracker, record, self->selected,
                                           &self->today);
  gtk_window_set_transient_for (GTK_WINDOW (dialog),
                                GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_saved), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
record_session_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_dialog (TD_TRAINING_PAGE (widget), NULL);
}

static void
edit_record_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_dialog (TD_TRAINING_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
sign_off_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTrainingPage *self = TD_TRAINING_PAGE (widget);
  const char     *me = td_session_get_person (self->session);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;

  if (me == NULL)
    return;
  json_object_set_string_member (fields, "signed_off_by", me);
  if (!td_cache_update (cache (self), "training_record", g_variant_get_string (parameter, NULL),
                        fields, &error))
    {
      toast (self, error->message);
      return;
    }
  td_session_local_change (self->session, "training_record",
                           g_variant_get_string (parameter, NULL));
  on_saved (NULL, _ ("Signed off"), self);
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, TdTrainingPage *self)
{
  const char *record = g_object_get_data (G_OBJECT (dialog), "record");
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->session == NULL)
    return;
  if (!td_cache_delete (cache (self), "training_record", record, &error))
    toast (self, error->message);
  else
    td_session_local_change (self->session, "training_record", record);
  if (error == NULL)
    on_saved (NULL, _ ("Record deleted; the history keeps it"), self);
}

static void
delete_record_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTrainingPage *self = TD_TRAINING_PAGE (widget);
  const char     *uuid = g_variant_get_string (parameter, NULL);
  g_autoptr (GPtrArray) records
      = td_training_tracker_list_completions (self->tracker, self->selected);
  GtkRoot *root = gtk_widget_get_root (widget);

  for (guint i = 0; i < records->len; i++)
    {
      const TdTrainingCompletion *record = g_ptr_array_index (records, i);
      const TdTrainingTopic      *topic;
      g_autofree char            *date = NULL;
      g_autofree char            *body = NULL;
      GtkWidget                  *dialog;

      if (g_strcmp0 (record->uuid, uuid) != 0)
        continue;
      topic = td_training_tracker_get_topic (self->tracker, record->topic);
      date = long_date (&record->completed_on);
      body = g_strdup_printf (_ ("“%s” on %s for %s. The deletion is kept in the history."),
                              topic != NULL ? topic->topic : record->topic, date,
                              person_name (self, record->person));
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _ ("Delete This Record?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"),
                                        "delete", _ ("_Delete"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "record", g_strdup (uuid), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
}

static char **
shown_people (TdTrainingPage *self)
{
  guint  n = g_list_model_get_n_items (G_LIST_MODEL (self->people));
  char **people = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->people), i);
      people[i] = g_strdup (gtk_string_object_get_string (item));
    }
  return people;
}

static void
export_matrix_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTrainingPage  *self = TD_TRAINING_PAGE (widget);
  char            *csv = td_training_page_matrix_csv (self);
  char             day[16];
  g_autofree char *name = NULL;

  g_date_strftime (day, sizeof day, "%Y-%m-%d", &self->today);
  name = g_strdup_printf ("training-matrix-%s.csv", day);
  td_save_text (widget, _ ("Export the Training Matrix"), name, _ ("CSV files"), "text/csv",
                "*.csv", csv);
}

/* Hours for a period: the quarter so far, unless the trainer says otherwise. */
static void
on_hours_response (AdwMessageDialog *dialog, const char *response, TdTrainingPage *self)
{
  GtkEditable     *from_entry = g_object_get_data (G_OBJECT (dialog), "from");
  GtkEditable     *to_entry = g_object_get_data (G_OBJECT (dialog), "to");
  GDate            from, to;
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "export") != 0)
    return;
  td_time_parse_date (gtk_editable_get_text (from_entry), &from);
  td_time_parse_date (gtk_editable_get_text (to_entry), &to);
  name = g_strdup_printf ("training-hours-%s-%s.csv", gtk_editable_get_text (from_entry),
                          gtk_editable_get_text (to_entry));
  td_save_text (GTK_WIDGET (self), _ ("Export Training Hours"), name, _ ("CSV files"), "text/csv",
                "*.csv", td_training_page_hours_csv (self, &from, &to));
}

static void
on_period_changed (AdwMessageDialog *dialog)
{
  GtkEditable *from_entry = g_object_get_data (G_OBJECT (dialog), "from");
  GtkEditable *to_entry = g_object_get_data (G_OBJECT (dialog), "to");
  GDate        from, to;
  const char  *problem = NULL;

  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  if (!td_time_parse_date (gtk_editable_get_text (from_entry), &from))
    problem = _ ("From: write the date as YYYY-MM-DD.");
  else if (!td_time_parse_date (gtk_editable_get_text (to_entry), &to))
    problem = _ ("To: write the date as YYYY-MM-DD.");
  else if (g_date_compare (&from, &to) > 0)
    problem = _ ("To: the period must end on or after its first day.");
  adw_message_dialog_set_body (dialog, problem != NULL
                                           ? problem
                                           : _ ("Hours completed per person in the "
                                                "period, first and last day included."));
  adw_message_dialog_set_response_enabled (dialog, "export", problem == NULL);
}

static void
export_hours_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTrainingPage *self = TD_TRAINING_PAGE (widget);
  GtkRoot        *root = gtk_widget_get_root (widget);
  GtkWidget      *dialog;
  GtkWidget      *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget      *from = gtk_entry_new ();
  GtkWidget      *to = gtk_entry_new ();
  GDate           first = self->today;
  char            text[16];

  /* The first day of this quarter. */
  g_date_set_day (&first, 1);
  g_date_set_month (&first, (GDateMonth) (((g_date_get_month (&first) - 1) / 3) * 3 + 1));
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &first);
  gtk_editable_set_text (GTK_EDITABLE (from), text);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &self->today);
  gtk_editable_set_text (GTK_EDITABLE (to), text);
  gtk_entry_set_placeholder_text (GTK_ENTRY (from), "YYYY-MM-DD");
  gtk_entry_set_placeholder_text (GTK_ENTRY (to), "YYYY-MM-DD");
  gtk_accessible_update_property (GTK_ACCESSIBLE (from), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("From"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (to), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("To"), -1);
  gtk_widget_set_hexpand (from, TRUE);
  gtk_widget_set_hexpand (to, TRUE);
  gtk_box_append (GTK_BOX (box), from);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("–"));
  gtk_box_append (GTK_BOX (box), to);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _ ("Export Training Hours"), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "export",
                                    _ ("_Export…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                              ADW_RESPONSE_SUGGESTED);
  g_object_set_data (G_OBJECT (dialog), "from", from);
  g_object_set_data (G_OBJECT (dialog), "to", to);
  g_signal_connect_swapped (from, "changed", G_CALLBACK (on_period_changed), dialog);
  g_signal_connect_swapped (to, "changed", G_CALLBACK (on_period_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_hours_response), self, 0);
  on_period_changed (ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_curriculum_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTrainingPage *self = TD_TRAINING_PAGE (widget);
  GtkRoot        *root = gtk_widget_get_root (widget);
  GtkWindow      *window;

  if (self->session == NULL)
    return;
  window = GTK_WINDOW (td_curriculum_window_new (self->session, self->tracker));
  gtk_window_set_transient_for (window, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (window, "saved", G_CALLBACK (on_saved), self, 0);
  gtk_window_present (window);
}

static void
focus_search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (TD_TRAINING_PAGE (widget)->search_entry));
}

/* GObject */

static void
td_training_page_dispose (GObject *object)
{
  TdTrainingPage *self = TD_TRAINING_PAGE (object);
  GtkWidget      *child;

  /* No reload while going away: just let go of the session. */
  if (self->session != NULL && self->rows_changed_id != 0
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_clear_object (&self->session);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_TRAINING_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (td_training_page_parent_class)->dispose (object);
}

static void
td_training_page_finalize (GObject *object)
{
  TdTrainingPage *self = TD_TRAINING_PAGE (object);

  g_clear_object (&self->tracker);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->teams, g_ptr_array_unref);
  g_clear_pointer (&self->tiers, g_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->overdue_seen, g_hash_table_unref);
  g_clear_pointer (&self->columns_key, g_free);

  G_OBJECT_CLASS (td_training_page_parent_class)->finalize (object);
}

static void
td_training_page_map (GtkWidget *widget)
{
  TdTrainingPage *self = TD_TRAINING_PAGE (widget);

  GTK_WIDGET_CLASS (td_training_page_parent_class)->map (widget);
  if (self->rebuild_on_map)
    rebuild (self);
}

static void
td_training_page_class_init (TdTrainingPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_training_page_dispose;
  object_class->finalize = td_training_page_finalize;
  widget_class->map = td_training_page_map;

  /* A desktop notification was sent (title, body): for tests, and for a
   * future in-app list of them. */
  signals[NOTIFICATION]
      = g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-training-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, team_list);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, tier_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, tier_list);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, status_list);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, paned);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingPage, person_box);

  gtk_widget_class_install_action (widget_class, "training.record-session", NULL,
                                   record_session_action);
  gtk_widget_class_install_action (widget_class, "training.edit-record", "s", edit_record_action);
  gtk_widget_class_install_action (widget_class, "training.delete-record", "s",
                                   delete_record_action);
  gtk_widget_class_install_action (widget_class, "training.sign-off", "s", sign_off_action);
  gtk_widget_class_install_action (widget_class, "training.export-matrix", NULL,
                                   export_matrix_action);
  gtk_widget_class_install_action (widget_class, "training.export-hours", NULL,
                                   export_hours_action);
  gtk_widget_class_install_action (widget_class, "training.edit-curriculum", NULL,
                                   edit_curriculum_action);
  gtk_widget_class_install_action (widget_class, "training.focus-search", NULL,
                                   focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "training.record-session", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "training.export-matrix", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "training.focus-search", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
td_training_page_init (TdTrainingPage *self)
{
  self->teams = g_ptr_array_new_with_free_func (g_free);
  self->tiers = g_array_new (FALSE, FALSE, sizeof (int));
  self->people = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->tracker = td_training_tracker_new (NULL);
  td_training_today (td_time_now (), NULL, &self->today);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (self->status_list, _ ("Any Status"));
  gtk_string_list_append (self->status_list, _ ("Overdue"));
  gtk_string_list_append (self->status_list, _ ("Due Soon"));
  gtk_string_list_append (self->status_list, _ ("Still Onboarding"));
  gtk_string_list_append (self->status_list, _ ("Up to Date"));

  /* The selection owns the store. */
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->people));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                            self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_filter_changed),
                            self);
  g_signal_connect_swapped (self->team_dropdown, "notify::selected", G_CALLBACK (on_filter_changed),
                            self);
  g_signal_connect_swapped (self->tier_dropdown, "notify::selected", G_CALLBACK (on_filter_changed),
                            self);
  g_signal_connect_swapped (self->status_dropdown, "notify::selected",
                            G_CALLBACK (on_filter_changed), self);
  gtk_paned_set_position (self->paned, 620);
  reload (self);
}

/* Public API */

void
td_training_page_set_session (TdTrainingPage *self, TdSession *session)
{
  g_return_if_fail (TD_IS_TRAINING_PAGE (self));

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
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->overdue_seen, g_hash_table_unref);
  self->overdue_baseline = FALSE;

  if (session != NULL && td_session_get_engine (session) != NULL)
    self->rows_changed_id
        = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                   G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  reload (self);
}

void
td_training_page_tick (TdTrainingPage *self, gint64 now)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (now);
  GDate today;

  g_return_if_fail (TD_IS_TRAINING_PAGE (self));

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  /* Statuses change at midnight only. */
  if (g_date_compare (&today, &self->today) != 0)
    reload (self);
}

TdTrainingTracker *
td_training_page_get_tracker (TdTrainingPage *self)
{
  g_return_val_if_fail (TD_IS_TRAINING_PAGE (self), NULL);
  return self->tracker;
}

void
td_training_page_select_person (TdTrainingPage *self, const char *person)
{
  g_return_if_fail (TD_IS_TRAINING_PAGE (self));

  g_free (self->selected);
  self->selected = g_strdup (person);
  rebuild (self);
}

char *
td_training_page_matrix_csv (TdTrainingPage *self)
{
  g_auto (GStrv) people = NULL;

  g_return_val_if_fail (TD_IS_TRAINING_PAGE (self), NULL);
  people = shown_people (self);
  return td_training_tracker_matrix_csv (self->tracker, (const char *const *) people, &self->today);
}

char *
td_training_page_hours_csv (TdTrainingPage *self, const GDate *from, const GDate *to)
{
  g_auto (GStrv) people = NULL;

  g_return_val_if_fail (TD_IS_TRAINING_PAGE (self), NULL);
  people = shown_people (self);
  return td_training_tracker_hours_csv (self->tracker, (const char *const *) people, from, to);
}
