/* td-training-session-dialog.c — record one training session for several people, or edit a record
 *
 * A trainer runs a session for a group: one topic, one day, one length,
 * one trainer, and one record per attendee. The attendee list offers the
 * people whose tier the topic belongs to, with their status on it, so the
 * ones who need it stand out. Nothing is written until every field is
 * right; a problem is named with its field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-time.h"
#include "td-training-session-dialog.h"

struct _TdTrainingSessionDialog
{
  AdwWindow parent_instance;

  GtkLabel            *error_label;
  AdwComboRow         *topic_row;
  AdwEntryRow         *date_row;
  GtkSpinButton       *hours_spin;
  AdwComboRow         *trainer_row;
  AdwEntryRow         *notes_row;
  AdwActionRow        *sign_off_row;
  GtkSwitch           *sign_off_switch;
  AdwPreferencesGroup *attendees_group;
  GtkSearchEntry      *attendee_search;
  GtkListBox          *attendee_list;
  GtkButton           *save_button;

  TdSession         *session;
  TdTrainingTracker *tracker;
  /* The record edited, a copy; NULL for a new session. */
  TdTrainingCompletion *record;
  GDate                 today;
  GPtrArray            *topics;   /* TdTrainingTopic, borrowed from the tracker */
  GPtrArray            *trainers; /* person uuids; [0] is NULL: no trainer */
  GHashTable           *attendees;
};

G_DEFINE_FINAL_TYPE (TdTrainingSessionDialog, td_training_session_dialog, ADW_TYPE_WINDOW)

enum
{
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const TdTrainingTopic *
selected_topic (TdTrainingSessionDialog *self)
{
  guint position = adw_combo_row_get_selected (self->topic_row);

  return position < self->topics->len ? g_ptr_array_index (self->topics, position) : NULL;
}

static void
show_error (TdTrainingSessionDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Attendees */

static void
on_attendee_toggled (GtkCheckButton *check, TdTrainingSessionDialog *self)
{
  const char *uuid = gtk_widget_get_name (GTK_WIDGET (check));

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->attendees, g_strdup (uuid));
  else
    g_hash_table_remove (self->attendees, uuid);
}

static char *
status_words (TdTrainingSessionDialog *self, const TdTrainee *trainee, const TdTrainingTopic *topic)
{
  TdTrainingState state;
  char            due[64] = "";

  td_training_tracker_get_state (self->tracker, trainee->uuid, topic->id, &self->today, &state);
  if (g_date_valid (&state.due))
    g_date_strftime (due, sizeof due, "%-d %b %Y", &state.due);
  switch (state.status)
    {
      case TD_TRAINING_OVERDUE:
        return g_strdup_printf (_ ("Overdue since %s"), due);
      case TD_TRAINING_DUE_SOON:
        return g_strdup_printf (_ ("Due %s"), due);
      case TD_TRAINING_TO_DO:
        return *due != '\0' ? g_strdup_printf (_ ("Not done yet, due %s"), due)
                            : g_strdup (_ ("Not done yet"));
      case TD_TRAINING_DONE:
        return g_strdup (_ ("Done"));
      case TD_TRAINING_NOT_REQUIRED:
      default:
        return g_strdup (_ ("Not in their curriculum"));
    }
}

static void
fill_attendees (TdTrainingSessionDialog *self)
{
  const TdTrainingTopic *topic = selected_topic (self);
  GPtrArray             *people = td_training_tracker_get_people (self->tracker);
  g_autofree char       *needle = NULL;
  GtkWidget             *child;
  guint                  shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attendee_list))) != NULL)
    gtk_list_box_remove (self->attendee_list, child);
  if (topic == NULL)
    return;

  needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->attendee_search)), -1);
  for (guint i = 0; i < people->len; i++)
    {
      const TdTrainee *trainee = g_ptr_array_index (people, i);
      gboolean         ticked = g_hash_table_contains (self->attendees, trainee->uuid);
      g_autofree char *name = g_utf8_casefold (trainee->name != NULL ? trainee->name : "", -1);
      g_autofree char *status = NULL;
      GtkWidget       *row;
      GtkWidget       *check;

      /* The topic's tier, and whoever is already ticked. */
      if (trainee->tier != topic->tier && !ticked)
        continue;
      if (*needle != '\0' && strstr (name, needle) == NULL && !ticked)
        continue;
      status = status_words (self, trainee, topic);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), trainee->name);
      if (trainee->team != NULL)
        {
          g_autofree char *subtitle = g_strdup_printf ("%s · %s", trainee->team, status);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), status);
      check = gtk_check_button_new ();
      gtk_widget_set_name (check, trainee->uuid);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), ticked);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      trainee->name, -1);
      g_signal_connect (check, "toggled", G_CALLBACK (on_attendee_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->attendee_list, row);
      shown++;
    }
  if (shown == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _ ("Nobody in the directory has this topic’s tier"));
      gtk_list_box_append (self->attendee_list, row);
    }
}

static void
on_topic_changed (TdTrainingSessionDialog *self)
{
  const TdTrainingTopic *topic = selected_topic (self);
  g_autofree char       *description = NULL;

  if (topic == NULL)
    return;
  /* The curriculum's length is the usual length of a session. */
  if (self->record == NULL)
    gtk_spin_button_set_value (self->hours_spin, topic->hours);
  description = g_strdup_printf (_ ("Tier %d people, with their status on “%s”"), topic->tier,
                                 topic->topic);
  adw_preferences_group_set_description (self->attendees_group, description);
  fill_attendees (self);
}

/* Saving */

static gboolean
read_form (TdTrainingSessionDialog *self, JsonObject *fields, GDate *date)
{
  const TdTrainingTopic *topic = selected_topic (self);
  const char            *date_text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  double                 hours = gtk_spin_button_get_value (self->hours_spin);
  guint                  trainer = adw_combo_row_get_selected (self->trainer_row);
  const char            *notes = gtk_editable_get_text (GTK_EDITABLE (self->notes_row));

  if (topic == NULL)
    {
      show_error (self, _ ("Topic: choose the topic of the session."));
      return FALSE;
    }
  g_date_clear (date, 1);
  if (!td_time_parse_date (date_text, date))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("Date: “%s” is not a date; write it as YYYY-MM-DD."), date_text);
      show_error (self, message);
      return FALSE;
    }
  if (g_date_compare (date, &self->today) > 0)
    {
      g_autofree char *message = g_strdup_printf (_ ("Date: %s is in the future."), date_text);
      show_error (self, message);
      return FALSE;
    }
  if (hours <= 0)
    {
      show_error (self, _ ("Hours: enter the hours the session took."));
      return FALSE;
    }

  json_object_set_string_member (fields, "topic", topic->id);
  json_object_set_string_member (fields, "completed_on", date_text);
  json_object_set_int_member (fields, "minutes", (gint64) (hours * 60 + 0.5));
  if (trainer < self->trainers->len && g_ptr_array_index (self->trainers, trainer) != NULL)
    json_object_set_string_member (fields, "trainer", g_ptr_array_index (self->trainers, trainer));
  else
    json_object_set_null_member (fields, "trainer");
  if (*notes != '\0')
    json_object_set_string_member (fields, "notes", notes);
  else
    json_object_set_null_member (fields, "notes");
  return TRUE;
}

static gboolean
same_value (JsonObject *fields, const char *name, const char *text)
{
  JsonNode *node = json_object_get_member (fields, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return text == NULL;
  return g_strcmp0 (json_node_get_string (node), text) == 0;
}

/* Only what changed goes to the server, so an edit does not undo
 * someone else's change to another field. */
static void
keep_changes (TdTrainingSessionDialog *self, JsonObject *fields)
{
  char date[16] = "";

  if (g_date_valid (&self->record->completed_on))
    g_date_strftime (date, sizeof date, "%Y-%m-%d", &self->record->completed_on);
  if (same_value (fields, "topic", self->record->topic))
    json_object_remove_member (fields, "topic");
  if (same_value (fields, "completed_on", date))
    json_object_remove_member (fields, "completed_on");
  if (json_object_get_int_member (fields, "minutes") == self->record->minutes)
    json_object_remove_member (fields, "minutes");
  if (same_value (fields, "trainer", self->record->trainer))
    json_object_remove_member (fields, "trainer");
  if (same_value (fields, "notes", self->record->notes))
    json_object_remove_member (fields, "notes");
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdTrainingSessionDialog *self = TD_TRAINING_SESSION_DIALOG (widget);
  TdCache                 *cache = td_session_get_cache (self->session);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  GDate            date;

  if (!read_form (self, fields, &date))
    return;

  if (self->record != NULL)
    {
      keep_changes (self, fields);
      if (json_object_get_size (fields) == 0)
        {
          gtk_window_close (GTK_WINDOW (self));
          return;
        }
      if (!td_cache_update (cache, "training_record", self->record->uuid, fields, &error))
        {
          show_error (self, error->message);
          return;
        }
      td_session_local_change (self->session, "training_record", self->record->uuid);
      message = g_strdup (_ ("Record saved"));
    }
  else
    {
      g_autoptr (GPtrArray) people = g_ptr_array_new ();
      GPtrArray  *all = td_training_tracker_get_people (self->tracker);
      const char *me = td_session_get_person (self->session);

      /* In directory order, so the outbox reads like the list. */
      for (guint i = 0; i < all->len; i++)
        {
          TdTrainee *trainee = g_ptr_array_index (all, i);
          if (g_hash_table_contains (self->attendees, trainee->uuid))
            g_ptr_array_add (people, trainee);
        }
      if (people->len == 0)
        {
          show_error (self, _ ("Attendees: tick at least one person who attended."));
          return;
        }
      if (gtk_switch_get_active (self->sign_off_switch) && me != NULL)
        json_object_set_string_member (fields, "signed_off_by", me);

      for (guint i = 0; i < people->len; i++)
        {
          TdTrainee *trainee = g_ptr_array_index (people, i);
          g_autoptr (JsonObject) one = json_object_new ();
          g_autofree char *uuid = NULL;
          g_autoptr (GList) members = json_object_get_members (fields);

          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (one, l->data,
                                    json_node_copy (json_object_get_member (fields, l->data)));
          json_object_set_string_member (one, "person", trainee->uuid);
          uuid = td_cache_create (cache, "training_record", one, &error);
          if (uuid == NULL)
            {
              g_autofree char *text = g_strdup_printf (
                  _ ("Attendees: could not record %s (%s); the %u before are saved."),
                  trainee->name, error->message, i);
              show_error (self, text);
              if (i > 0)
                g_signal_emit (self, signals[SAVED], 0, text);
              return;
            }
          td_session_local_change (self->session, "training_record", uuid);
        }
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recorded “%s” for %u person",
                                              "Recorded “%s” for %u people", people->len),
                                 selected_topic (self)->topic, people->len);
    }

  g_signal_emit (self, signals[SAVED], 0, message);
  gtk_window_close (GTK_WINDOW (self));
}

/* GObject */

static void
td_training_session_dialog_finalize (GObject *object)
{
  TdTrainingSessionDialog *self = TD_TRAINING_SESSION_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_object (&self->tracker);
  g_clear_pointer (&self->record, td_training_completion_free);
  g_clear_pointer (&self->topics, g_ptr_array_unref);
  g_clear_pointer (&self->trainers, g_ptr_array_unref);
  g_clear_pointer (&self->attendees, g_hash_table_unref);

  G_OBJECT_CLASS (td_training_session_dialog_parent_class)->finalize (object);
}

static void
td_training_session_dialog_class_init (TdTrainingSessionDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_training_session_dialog_finalize;

  /* The sentence for a toast. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-training-session-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, topic_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, hours_spin);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, trainer_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, sign_off_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, sign_off_switch);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, attendees_group);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, attendee_search);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, attendee_list);
  gtk_widget_class_bind_template_child (widget_class, TdTrainingSessionDialog, save_button);

  gtk_widget_class_install_action (widget_class, "session.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "session.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_training_session_dialog_init (TdTrainingSessionDialog *self)
{
  self->trainers = g_ptr_array_new_with_free_func (g_free);
  self->attendees = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->attendee_search, "search-changed", G_CALLBACK (fill_attendees),
                            self);
}

static void
fill_choices (TdTrainingSessionDialog *self)
{
  g_autoptr (GtkStringList) topic_names = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) trainer_names = gtk_string_list_new (NULL);
  TdPolicy   *policy = td_session_get_policy (self->session);
  GPtrArray  *people = td_training_tracker_get_people (self->tracker);
  const char *me = td_session_get_person (self->session);
  guint       trainer_position = 0;

  for (guint i = 0; i < self->topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (self->topics, i);
      g_autofree char *name = g_strdup_printf (_ ("Tier %d · %s"), topic->tier, topic->topic);
      gtk_string_list_append (topic_names, name);
    }
  adw_combo_row_set_model (self->topic_row, G_LIST_MODEL (topic_names));

  /* Trainers: whoever may record training, the account's person first. */
  g_ptr_array_add (self->trainers, NULL);
  gtk_string_list_append (trainer_names, _ ("No trainer named"));
  for (guint i = 0; i < people->len; i++)
    {
      const TdTrainee *trainee = g_ptr_array_index (people, i);
      gboolean         is_me = g_strcmp0 (trainee->uuid, me) == 0;
      gboolean         is_record_trainer
          = self->record != NULL && g_strcmp0 (trainee->uuid, self->record->trainer) == 0;

      if (!is_me && !is_record_trainer
          && (trainee->role == NULL
              || !td_policy_role_may (policy, trainee->role, "training.write")))
        continue;
      g_ptr_array_add (self->trainers, g_strdup (trainee->uuid));
      gtk_string_list_append (trainer_names, trainee->name);
      if (self->record != NULL ? is_record_trainer : is_me)
        trainer_position = self->trainers->len - 1;
    }
  adw_combo_row_set_model (self->trainer_row, G_LIST_MODEL (trainer_names));
  adw_combo_row_set_selected (self->trainer_row, trainer_position);
}

TdTrainingSessionDialog *
td_training_session_dialog_new (TdSession         *session,
                                TdTrainingTracker *tracker,
                                const char        *record,
                                const char        *person,
                                const GDate       *today)
{
  TdTrainingSessionDialog *self = g_object_new (TD_TYPE_TRAINING_SESSION_DIALOG, NULL);
  char                     date[16];
  guint                    topic_position = 0;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);
  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (tracker), NULL);

  self->session = g_object_ref (session);
  self->tracker = g_object_ref (tracker);
  self->today = *today;
  self->topics = td_training_tracker_get_topics (tracker);

  if (record != NULL)
    {
      const TdTrainee *trainee = NULL;
      g_autoptr (GPtrArray) records = NULL;

      /* The record among its person's, as the tracker has it. */
      for (guint i = 0; i < td_training_tracker_get_people (tracker)->len && self->record == NULL;
           i++)
        {
          trainee = g_ptr_array_index (td_training_tracker_get_people (tracker), i);
          g_clear_pointer (&records, g_ptr_array_unref);
          records = td_training_tracker_list_completions (tracker, trainee->uuid);
          for (guint j = 0; j < records->len; j++)
            if (g_strcmp0 (((TdTrainingCompletion *) records->pdata[j])->uuid, record) == 0)
              self->record = td_training_completion_copy (records->pdata[j]);
        }
      g_return_val_if_fail (self->record != NULL, self);
      g_hash_table_add (self->attendees, g_strdup (self->record->person));
    }
  else if (person != NULL)
    g_hash_table_add (self->attendees, g_strdup (person));

  fill_choices (self);

  if (self->record != NULL)
    {
      g_autofree char *title = NULL;
      TdTrainee       *trainee = td_training_tracker_get_person (tracker, self->record->person);

      title = g_strdup_printf (_ ("Edit %s’s Record"),
                               trainee != NULL ? trainee->name : self->record->person);
      gtk_window_set_title (GTK_WINDOW (self), title);
      gtk_button_set_label (self->save_button, _ ("_Save"));
      gtk_widget_set_visible (GTK_WIDGET (self->attendees_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->sign_off_row), FALSE);
      for (guint i = 0; i < self->topics->len; i++)
        if (g_strcmp0 (((TdTrainingTopic *) self->topics->pdata[i])->id, self->record->topic) == 0)
          topic_position = i;
      g_date_strftime (date, sizeof date, "%Y-%m-%d", &self->record->completed_on);
      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
      gtk_spin_button_set_value (self->hours_spin, self->record->minutes / 60.0);
      gtk_editable_set_text (GTK_EDITABLE (self->notes_row),
                             self->record->notes != NULL ? self->record->notes : "");
    }
  else
    {
      const TdTrainee *trainee = td_training_tracker_get_person (tracker, person);

      g_date_strftime (date, sizeof date, "%Y-%m-%d", today);
      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
      /* Start on the first topic of the chosen person's tier. */
      for (guint i = 0; trainee != NULL && i < self->topics->len; i++)
        if (((TdTrainingTopic *) self->topics->pdata[i])->tier == trainee->tier)
          {
            topic_position = i;
            break;
          }
      gtk_widget_set_visible (GTK_WIDGET (self->sign_off_row),
                              td_session_get_person (session) != NULL);
    }

  adw_combo_row_set_selected (self->topic_row, topic_position);
  g_signal_connect_swapped (self->topic_row, "notify::selected", G_CALLBACK (on_topic_changed),
                            self);
  on_topic_changed (self);
  if (self->record != NULL)
    gtk_spin_button_set_value (self->hours_spin, self->record->minutes / 60.0);
  return self;
}
