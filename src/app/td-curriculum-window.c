/* td-curriculum-window.c — trainers edit the curriculum [11]: topics, tiers, hours, frequency
 *
 * The policy gives the curriculum; a trainer's edit of a topic is a
 * training_topic row with that topic's id (one per topic, updated after
 * the first), and a new topic is a row with a new id. A topic leaves by
 * being retired, so the records made against it keep their meaning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-curriculum-window.h"

struct _TdCurriculumWindow
{
  AdwWindow parent_instance;

  GtkStack           *stack;
  AdwPreferencesPage *topics_page;
  AdwWindowTitle     *editor_title;
  GtkLabel           *error_label;
  AdwEntryRow        *name_row;
  AdwComboRow        *tier_row;
  GtkSpinButton      *hours_spin;
  AdwComboRow        *frequency_row;
  GtkSwitch          *retired_switch;

  TdSession         *session;
  TdTrainingTracker *tracker;
  GPtrArray         *groups; /* AdwPreferencesGroup shown on topics_page */
  GArray            *tier_levels;
  /* The topic being edited; NULL while adding one. */
  char *editing;
};

G_DEFINE_FINAL_TYPE (TdCurriculumWindow, td_curriculum_window, ADW_TYPE_WINDOW)

enum
{
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const TdTrainingFrequency frequencies[]
    = { TD_TRAINING_ONBOARDING, TD_TRAINING_QUARTERLY, TD_TRAINING_ANNUAL };

static char *
describe_topic (const TdTrainingTopic *topic)
{
  const char *frequency = topic->frequency == TD_TRAINING_QUARTERLY ? _ ("quarterly")
                          : topic->frequency == TD_TRAINING_ANNUAL  ? _ ("annual")
                                                                    : _ ("onboarding, once");

  /* TRANSLATORS: "4 hours · quarterly" */
  return g_strdup_printf (_ ("%g hours · %s"), topic->hours, frequency);
}

static void
add_row (TdCurriculumWindow *self, AdwPreferencesGroup *group, const TdTrainingTopic *topic)
{
  GtkWidget *row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  GtkWidget       *button = gtk_button_new_from_icon_name ("document-edit-symbolic");
  g_autofree char *subtitle = describe_topic (topic);
  g_autofree char *label = g_strdup_printf (_ ("Edit “%s”"), topic->topic);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), topic->topic);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "curriculum.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", topic->id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (group, row);
}

static void
fill_topics (TdCurriculumWindow *self)
{
  GPtrArray           *topics = td_training_tracker_get_all_topics (self->tracker);
  AdwPreferencesGroup *retired = NULL;

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->topics_page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);

  for (guint t = 0; t < self->tier_levels->len; t++)
    {
      int                  level = g_array_index (self->tier_levels, int, t);
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      g_autofree char     *title = g_strdup_printf (_ ("Tier %d"), level);
      double               onboarding = 0;

      adw_preferences_group_set_title (group, title);
      for (guint i = 0; i < topics->len; i++)
        {
          const TdTrainingTopic *topic = g_ptr_array_index (topics, i);

          if (topic->tier != level || td_training_tracker_is_retired (self->tracker, topic->id))
            continue;
          add_row (self, group, topic);
          if (topic->frequency == TD_TRAINING_ONBOARDING)
            onboarding += topic->hours;
        }
      {
        g_autofree char *description = g_strdup_printf (_ ("Onboarding: %g hours"), onboarding);
        adw_preferences_group_set_description (group, description);
      }
      adw_preferences_page_add (self->topics_page, group);
      g_ptr_array_add (self->groups, group);
    }

  for (guint i = 0; i < topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, i);

      if (!td_training_tracker_is_retired (self->tracker, topic->id))
        continue;
      if (retired == NULL)
        {
          retired = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (retired, _ ("Retired"));
          adw_preferences_page_add (self->topics_page, retired);
          g_ptr_array_add (self->groups, retired);
        }
      add_row (self, retired, topic);
    }
}

static void
show_error (TdCurriculumWindow *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
open_editor (TdCurriculumWindow *self, const TdTrainingTopic *topic)
{
  g_free (self->editing);
  self->editing = topic != NULL ? g_strdup (topic->id) : NULL;
  show_error (self, NULL);
  adw_window_title_set_title (self->editor_title,
                              topic != NULL ? _ ("Edit Topic") : _ ("New Topic"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), topic != NULL ? topic->topic : "");
  gtk_spin_button_set_value (self->hours_spin, topic != NULL ? topic->hours : 2);
  gtk_switch_set_active (self->retired_switch,
                         topic != NULL
                             && td_training_tracker_is_retired (self->tracker, topic->id));
  adw_combo_row_set_selected (self->frequency_row, 0);
  for (guint i = 0; topic != NULL && i < G_N_ELEMENTS (frequencies); i++)
    if (frequencies[i] == topic->frequency)
      adw_combo_row_set_selected (self->frequency_row, i);
  adw_combo_row_set_selected (self->tier_row, 0);
  for (guint i = 0; topic != NULL && i < self->tier_levels->len; i++)
    if (g_array_index (self->tier_levels, int, i) == topic->tier)
      adw_combo_row_set_selected (self->tier_row, i);
  /* A topic's tier is what its records mean: it is set once. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->tier_row), topic == NULL);
  gtk_stack_set_visible_child_name (self->stack, "editor");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_editor (TD_CURRICULUM_WINDOW (widget), NULL);
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdCurriculumWindow *self = TD_CURRICULUM_WINDOW (widget);

  open_editor (
      self, td_training_tracker_get_topic (self->tracker, g_variant_get_string (parameter, NULL)));
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_stack_set_visible_child_name (TD_CURRICULUM_WINDOW (widget)->stack, "topics");
}

/* "t2-single-sign-on": the tier and the name's letters and digits. */
static char *
new_topic_id (TdCurriculumWindow *self, int tier, const char *name)
{
  g_autoptr (GString) id = g_string_new (NULL);
  g_autofree char *lower = g_utf8_strdown (name, -1);
  g_autofree char *ascii = g_str_to_ascii (lower, "C");
  g_autofree char *base = NULL;

  g_string_printf (id, "t%d-", tier);
  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (id, *p);
      else if (id->str[id->len - 1] != '-')
        g_string_append_c (id, '-');
    }
  while (id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);
  base = g_strdup (id->str);
  for (guint n = 2; td_training_tracker_get_topic (self->tracker, id->str) != NULL; n++)
    g_string_printf (id, "%s-%u", base, n);
  return g_string_free (g_steal_pointer (&id), FALSE);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdCurriculumWindow *self = TD_CURRICULUM_WINDOW (widget);
  TdCache            *cache = td_session_get_cache (self->session);
  g_autofree char    *name
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  double   hours = gtk_spin_button_get_value (self->hours_spin);
  guint    tier_position = adw_combo_row_get_selected (self->tier_row);
  guint    frequency_position = adw_combo_row_get_selected (self->frequency_row);
  gboolean retired = gtk_switch_get_active (self->retired_switch);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GPtrArray) existing = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *message = NULL;
  TdTrainingTopic  topic = { 0 };

  if (*name == '\0')
    {
      show_error (self, _ ("Topic: give the topic a name."));
      return;
    }
  if (hours <= 0)
    {
      show_error (self, _ ("Hours: a topic takes some time; enter its hours."));
      return;
    }
  if (tier_position >= self->tier_levels->len || frequency_position >= G_N_ELEMENTS (frequencies))
    return;

  topic.tier = self->editing != NULL
                   ? td_training_tracker_get_topic (self->tracker, self->editing)->tier
                   : g_array_index (self->tier_levels, int, tier_position);
  id = self->editing != NULL ? g_strdup (self->editing) : new_topic_id (self, topic.tier, name);
  topic.id = id;
  topic.topic = name;
  topic.hours = hours;
  topic.frequency = frequencies[frequency_position];

  json_object_set_string_member (fields, "topic", name);
  json_object_set_int_member (fields, "tier", topic.tier);
  json_object_set_int_member (fields, "minutes", (gint64) (hours * 60 + 0.5));
  json_object_set_string_member (fields, "frequency",
                                 td_training_frequency_to_string (topic.frequency));
  json_object_set_int_member (fields, "retired", retired ? 1 : 0);

  /* One row per topic id: update the trainers' earlier edit if there is one. */
  existing = td_cache_list (cache, "training_topic", "topic_id", id, NULL);
  if (existing != NULL && existing->len > 0)
    {
      JsonObject *row = g_ptr_array_index (existing, 0);
      if (td_cache_update (cache, "training_topic", json_object_get_string_member (row, "uuid"),
                           fields, &error))
        td_session_local_change (self->session, "training_topic",
                                 json_object_get_string_member (row, "uuid"));
    }
  else
    {
      g_autofree char *uuid = NULL;

      json_object_set_string_member (fields, "topic_id", id);
      uuid = td_cache_create (cache, "training_topic", fields, &error);
      if (uuid != NULL)
        td_session_local_change (self->session, "training_topic", uuid);
    }
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  td_training_tracker_set_topic (self->tracker, &topic, retired);
  fill_topics (self);
  gtk_stack_set_visible_child_name (self->stack, "topics");
  message = g_strdup_printf (retired ? _ ("“%s” retired") : _ ("“%s” saved"), name);
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
td_curriculum_window_finalize (GObject *object)
{
  TdCurriculumWindow *self = TD_CURRICULUM_WINDOW (object);

  g_clear_object (&self->session);
  g_clear_object (&self->tracker);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->tier_levels, g_array_unref);
  g_clear_pointer (&self->editing, g_free);

  G_OBJECT_CLASS (td_curriculum_window_parent_class)->finalize (object);
}

static void
td_curriculum_window_class_init (TdCurriculumWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_curriculum_window_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-curriculum-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, topics_page);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, editor_title);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, tier_row);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, hours_spin);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, frequency_row);
  gtk_widget_class_bind_template_child (widget_class, TdCurriculumWindow, retired_switch);

  gtk_widget_class_install_action (widget_class, "curriculum.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "curriculum.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "curriculum.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "curriculum.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "curriculum.add",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_curriculum_window_init (TdCurriculumWindow *self)
{
  self->groups = g_ptr_array_new ();
  self->tier_levels = g_array_new (FALSE, FALSE, sizeof (int));
  gtk_widget_init_template (GTK_WIDGET (self));
}

TdCurriculumWindow *
td_curriculum_window_new (TdSession *session, TdTrainingTracker *tracker)
{
  TdCurriculumWindow *self = g_object_new (TD_TYPE_CURRICULUM_WINDOW, NULL);
  GPtrArray          *tiers = td_policy_get_tiers (td_session_get_policy (session));
  g_autoptr (GtkStringList) tier_names = gtk_string_list_new (NULL);

  self->session = g_object_ref (session);
  self->tracker = g_object_ref (tracker);
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier    *tier = g_ptr_array_index (tiers, i);
      g_autofree char *name = g_strdup_printf (_ ("Tier %d · %s"), tier->level, tier->name);

      g_array_append_val (self->tier_levels, tier->level);
      gtk_string_list_append (tier_names, name);
    }
  adw_combo_row_set_model (self->tier_row, G_LIST_MODEL (tier_names));
  fill_topics (self);
  return self;
}
