/* td-training.c — the training tracker [11]: curriculum, completions, due dates and status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Due dates are calendar dates, not instants: a topic is due on a day,
 * whatever the hour, and "today" is the day where the person reading is.
 * An onboarding topic is due onboarding_due_days after the start date and
 * is done once completed. A recurring topic is first due like an
 * onboarding one, then 3 (quarterly) or 12 (annual) months after its
 * latest completion, clamped to the end of a shorter month.
 */
#include "td-training.h"

#include "td-csv.h"
#include "td-time.h"

#include <string.h>

struct _TdTrainingTracker
{
  GObject parent_instance;

  int onboarding_due_days;
  int due_soon_days;

  /* TdTrainingTopic, curriculum order, retired ones too. */
  GPtrArray  *topics;
  GHashTable *retired; /* topic id set */
  /* TdTrainee, in the order added; uuid → TdTrainee. */
  GPtrArray  *people;
  GHashTable *people_by_uuid;
  /* uuid → TdTrainingCompletion (owned); person → GPtrArray of them. */
  GHashTable *completions;
  GHashTable *by_person;
};

G_DEFINE_FINAL_TYPE (TdTrainingTracker, td_training_tracker, G_TYPE_OBJECT)

const char *
td_training_status_to_string (TdTrainingStatus status)
{
  switch (status)
    {
      case TD_TRAINING_NOT_REQUIRED:
        return "not-required";
      case TD_TRAINING_DONE:
        return "done";
      case TD_TRAINING_TO_DO:
        return "to-do";
      case TD_TRAINING_DUE_SOON:
        return "due-soon";
      case TD_TRAINING_OVERDUE:
        return "overdue";
      default:
        g_return_val_if_reached (NULL);
    }
}

const char *
td_training_frequency_to_string (TdTrainingFrequency frequency)
{
  switch (frequency)
    {
      case TD_TRAINING_ONBOARDING:
        return "onboarding";
      case TD_TRAINING_QUARTERLY:
        return "quarterly";
      case TD_TRAINING_ANNUAL:
        return "annual";
      default:
        g_return_val_if_reached (NULL);
    }
}

gboolean
td_training_frequency_from_string (const char *text, TdTrainingFrequency *out)
{
  static const TdTrainingFrequency all[]
      = { TD_TRAINING_ONBOARDING, TD_TRAINING_QUARTERLY, TD_TRAINING_ANNUAL };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (all); i++)
    if (g_str_equal (text, td_training_frequency_to_string (all[i])))
      {
        *out = all[i];
        return TRUE;
      }
  return FALSE;
}

void
td_trainee_free (TdTrainee *trainee)
{
  if (trainee == NULL)
    return;
  g_free (trainee->uuid);
  g_free (trainee->name);
  g_free (trainee->team);
  g_free (trainee->role);
  g_free (trainee);
}

void
td_training_completion_free (TdTrainingCompletion *completion)
{
  if (completion == NULL)
    return;
  g_free (completion->uuid);
  g_free (completion->person);
  g_free (completion->topic);
  g_free (completion->trainer);
  g_free (completion->notes);
  g_free (completion->signed_off_by);
  g_free (completion);
}

TdTrainingCompletion *
td_training_completion_copy (const TdTrainingCompletion *completion)
{
  TdTrainingCompletion *copy = g_memdup2 (completion, sizeof *completion);

  copy->uuid = g_strdup (completion->uuid);
  copy->person = g_strdup (completion->person);
  copy->topic = g_strdup (completion->topic);
  copy->trainer = g_strdup (completion->trainer);
  copy->notes = g_strdup (completion->notes);
  copy->signed_off_by = g_strdup (completion->signed_off_by);
  return copy;
}

void
td_training_topic_free (TdTrainingTopic *topic)
{
  if (topic == NULL)
    return;
  g_free (topic->id);
  g_free (topic->topic);
  g_free (topic);
}

TdTrainingTopic *
td_training_topic_copy (const TdTrainingTopic *topic)
{
  TdTrainingTopic *copy = g_memdup2 (topic, sizeof *topic);

  copy->id = g_strdup (topic->id);
  copy->topic = g_strdup (topic->topic);
  return copy;
}

void
td_training_today (TdInstant now, const char *time_zone, GDate *out)
{
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) local = NULL;

  if (time_zone != NULL)
    zone = g_time_zone_new_identifier (time_zone);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (utc, zone);
  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

void
td_training_add_months (const GDate *date, guint months, GDate *out)
{
  /* g_date_add_months() clamps the day to the target month's length. */
  *out = *date;
  g_date_add_months (out, months);
}

static void
td_training_tracker_finalize (GObject *object)
{
  TdTrainingTracker *self = (TdTrainingTracker *) object;

  g_clear_pointer (&self->topics, g_ptr_array_unref);
  g_clear_pointer (&self->retired, g_hash_table_unref);
  g_clear_pointer (&self->people_by_uuid, g_hash_table_unref);
  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->by_person, g_hash_table_unref);
  g_clear_pointer (&self->completions, g_hash_table_unref);

  G_OBJECT_CLASS (td_training_tracker_parent_class)->finalize (object);
}

static void
td_training_tracker_class_init (TdTrainingTrackerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_training_tracker_finalize;
}

static void
td_training_tracker_init (TdTrainingTracker *self)
{
  self->onboarding_due_days = 30;
  self->due_soon_days = 14;
  self->topics = g_ptr_array_new_with_free_func ((GDestroyNotify) td_training_topic_free);
  self->retired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) td_trainee_free);
  self->people_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  self->completions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) td_training_completion_free);
  self->by_person
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
}

TdTrainingTracker *
td_training_tracker_new (TdPolicy *policy)
{
  TdTrainingTracker *self = g_object_new (TD_TYPE_TRAINING_TRACKER, NULL);

  if (policy != NULL)
    {
      GPtrArray *topics = td_policy_get_training (policy);

      self->onboarding_due_days = td_policy_get_onboarding_due_days (policy);
      self->due_soon_days = td_policy_get_training_due_soon_days (policy);
      for (guint i = 0; i < topics->len; i++)
        g_ptr_array_add (self->topics, td_training_topic_copy (g_ptr_array_index (topics, i)));
    }
  return self;
}

static int
find_topic (TdTrainingTracker *self, const char *id)
{
  for (guint i = 0; i < self->topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (self->topics, i);
      if (g_strcmp0 (topic->id, id) == 0)
        return (int) i;
    }
  return -1;
}

void
td_training_tracker_set_topic (TdTrainingTracker     *self,
                               const TdTrainingTopic *topic,
                               gboolean               retired)
{
  int index;

  g_return_if_fail (TD_IS_TRAINING_TRACKER (self));
  g_return_if_fail (topic != NULL && topic->id != NULL);

  index = find_topic (self, topic->id);
  if (index >= 0)
    {
      td_training_topic_free (self->topics->pdata[index]);
      self->topics->pdata[index] = td_training_topic_copy (topic);
    }
  else
    g_ptr_array_add (self->topics, td_training_topic_copy (topic));

  if (retired)
    g_hash_table_add (self->retired, g_strdup (topic->id));
  else
    g_hash_table_remove (self->retired, topic->id);
}

GPtrArray *
td_training_tracker_get_topics (TdTrainingTracker *self)
{
  GPtrArray *topics = g_ptr_array_new ();

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);

  for (guint i = 0; i < self->topics->len; i++)
    {
      TdTrainingTopic *topic = g_ptr_array_index (self->topics, i);
      if (!g_hash_table_contains (self->retired, topic->id))
        g_ptr_array_add (topics, topic);
    }
  return topics;
}

GPtrArray *
td_training_tracker_get_all_topics (TdTrainingTracker *self)
{
  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);
  return self->topics;
}

gboolean
td_training_tracker_is_retired (TdTrainingTracker *self, const char *id)
{
  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), FALSE);
  return id != NULL && g_hash_table_contains (self->retired, id);
}

const TdTrainingTopic *
td_training_tracker_get_topic (TdTrainingTracker *self, const char *id)
{
  int index;

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);
  index = find_topic (self, id);
  return index >= 0 ? g_ptr_array_index (self->topics, index) : NULL;
}

void
td_training_tracker_add_person (TdTrainingTracker *self, TdTrainee *trainee)
{
  TdTrainee *old;

  g_return_if_fail (TD_IS_TRAINING_TRACKER (self));
  g_return_if_fail (trainee != NULL && trainee->uuid != NULL);

  old = g_hash_table_lookup (self->people_by_uuid, trainee->uuid);
  g_hash_table_replace (self->people_by_uuid, trainee->uuid, trainee);
  if (old != NULL)
    {
      guint index;
      if (g_ptr_array_find (self->people, old, &index))
        {
          self->people->pdata[index] = trainee;
          td_trainee_free (old);
        }
    }
  else
    g_ptr_array_add (self->people, trainee);
}

GPtrArray *
td_training_tracker_get_people (TdTrainingTracker *self)
{
  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);
  return self->people;
}

TdTrainee *
td_training_tracker_get_person (TdTrainingTracker *self, const char *uuid)
{
  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);
  return uuid != NULL ? g_hash_table_lookup (self->people_by_uuid, uuid) : NULL;
}

void
td_training_tracker_remove_completion (TdTrainingTracker *self, const char *uuid)
{
  TdTrainingCompletion *completion;
  GPtrArray            *list;

  g_return_if_fail (TD_IS_TRAINING_TRACKER (self));

  completion = g_hash_table_lookup (self->completions, uuid);
  if (completion == NULL)
    return;
  list
      = g_hash_table_lookup (self->by_person, completion->person != NULL ? completion->person : "");
  if (list != NULL)
    g_ptr_array_remove (list, completion);
  g_hash_table_remove (self->completions, uuid);
}

void
td_training_tracker_add_completion (TdTrainingTracker *self, TdTrainingCompletion *completion)
{
  const char *person;
  GPtrArray  *list;

  g_return_if_fail (TD_IS_TRAINING_TRACKER (self));
  g_return_if_fail (completion != NULL && completion->uuid != NULL);

  td_training_tracker_remove_completion (self, completion->uuid);
  person = completion->person != NULL ? completion->person : "";
  list = g_hash_table_lookup (self->by_person, person);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (self->by_person, g_strdup (person), list);
    }
  g_ptr_array_add (list, completion);
  g_hash_table_insert (self->completions, completion->uuid, completion);
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  const TdTrainingCompletion *ca = *(TdTrainingCompletion **) a;
  const TdTrainingCompletion *cb = *(TdTrainingCompletion **) b;
  int                         order = 0;

  if (g_date_valid (&ca->completed_on) && g_date_valid (&cb->completed_on))
    order = g_date_compare (&cb->completed_on, &ca->completed_on);
  return order != 0 ? order : g_strcmp0 (ca->uuid, cb->uuid);
}

GPtrArray *
td_training_tracker_list_completions (TdTrainingTracker *self, const char *person)
{
  GPtrArray *list;
  GPtrArray *copy = g_ptr_array_new ();

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);

  list = g_hash_table_lookup (self->by_person, person != NULL ? person : "");
  for (guint i = 0; list != NULL && i < list->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (list, i));
  g_ptr_array_sort (copy, compare_newest_first);
  return copy;
}

gboolean
td_training_tracker_is_required (TdTrainingTracker     *self,
                                 const TdTrainee       *trainee,
                                 const TdTrainingTopic *topic)
{
  return trainee != NULL && topic != NULL && trainee->tier > 0 && topic->tier == trainee->tier
         && !g_hash_table_contains (self->retired, topic->id);
}

void
td_training_tracker_get_state (TdTrainingTracker *self,
                               const char        *person,
                               const char        *topic_id,
                               const GDate       *today,
                               TdTrainingState   *out)
{
  const TdTrainingTopic *topic;
  const TdTrainee       *trainee;
  GPtrArray             *list;

  g_return_if_fail (TD_IS_TRAINING_TRACKER (self));
  g_return_if_fail (today != NULL && g_date_valid (today));

  memset (out, 0, sizeof *out);
  g_date_clear (&out->due, 1);
  g_date_clear (&out->last_done, 1);

  topic = td_training_tracker_get_topic (self, topic_id);
  trainee = td_training_tracker_get_person (self, person);

  list = g_hash_table_lookup (self->by_person, person != NULL ? person : "");
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const TdTrainingCompletion *completion = g_ptr_array_index (list, i);

      if (g_strcmp0 (completion->topic, topic_id) != 0 || !g_date_valid (&completion->completed_on))
        continue;
      out->n_done++;
      if (!g_date_valid (&out->last_done)
          || g_date_compare (&completion->completed_on, &out->last_done) > 0)
        out->last_done = completion->completed_on;
    }

  if (!td_training_tracker_is_required (self, trainee, topic))
    {
      out->status = TD_TRAINING_NOT_REQUIRED;
      return;
    }

  if (out->n_done > 0 && topic->frequency == TD_TRAINING_ONBOARDING)
    {
      out->status = TD_TRAINING_DONE;
      return;
    }

  if (out->n_done > 0)
    td_training_add_months (&out->last_done, topic->frequency == TD_TRAINING_QUARTERLY ? 3 : 12,
                            &out->due);
  else if (g_date_valid (&trainee->start_date))
    {
      out->due = trainee->start_date;
      g_date_add_days (&out->due, self->onboarding_due_days);
    }

  if (!g_date_valid (&out->due))
    out->status = TD_TRAINING_TO_DO;
  else if (g_date_compare (today, &out->due) > 0)
    out->status = TD_TRAINING_OVERDUE;
  else if (g_date_days_between (today, &out->due) <= self->due_soon_days)
    out->status = TD_TRAINING_DUE_SOON;
  else
    out->status = out->n_done > 0 ? TD_TRAINING_DONE : TD_TRAINING_TO_DO;
}

TdTrainingStatus
td_training_tracker_get_worst (TdTrainingTracker *self, const char *person, const GDate *today)
{
  TdTrainingStatus worst = TD_TRAINING_NOT_REQUIRED;

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), worst);

  for (guint i = 0; i < self->topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (self->topics, i);
      TdTrainingState        state;

      td_training_tracker_get_state (self, person, topic->id, today, &state);
      worst = MAX (worst, state.status);
    }
  return worst;
}

GPtrArray *
td_training_tracker_list_overdue (TdTrainingTracker *self,
                                  const char        *person,
                                  int                tier,
                                  const GDate       *today)
{
  GPtrArray *overdue = g_ptr_array_new ();

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), overdue);

  for (guint i = 0; i < self->topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (self->topics, i);
      TdTrainingState        state;

      if (tier > 0 && topic->tier != tier)
        continue;
      td_training_tracker_get_state (self, person, topic->id, today, &state);
      if (state.status == TD_TRAINING_OVERDUE)
        g_ptr_array_add (overdue, (gpointer) topic);
    }
  return overdue;
}

void
td_training_tracker_get_onboarding (TdTrainingTracker    *self,
                                    const char           *person,
                                    TdOnboardingProgress *out)
{
  const TdTrainee *trainee;
  GPtrArray       *list;

  g_return_if_fail (TD_IS_TRAINING_TRACKER (self));

  memset (out, 0, sizeof *out);
  trainee = td_training_tracker_get_person (self, person);
  if (trainee == NULL)
    return;
  out->tier = trainee->tier;
  list = g_hash_table_lookup (self->by_person, person);

  for (guint i = 0; i < self->topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (self->topics, i);
      guint                  required;
      guint                  spent = 0;
      gboolean               done = FALSE;

      if (topic->frequency != TD_TRAINING_ONBOARDING
          || !td_training_tracker_is_required (self, trainee, topic))
        continue;
      required = (guint) (topic->hours * 60 + 0.5);
      for (guint j = 0; list != NULL && j < list->len; j++)
        {
          const TdTrainingCompletion *completion = g_ptr_array_index (list, j);
          if (g_strcmp0 (completion->topic, topic->id) == 0)
            {
              spent += completion->minutes;
              done = TRUE;
            }
        }
      out->required_minutes += required;
      out->done_minutes += MIN (spent, required);
      out->topics_required++;
      out->topics_done += done ? 1 : 0;
    }
}

static gboolean
wanted (const char *const *people, const char *uuid)
{
  return people == NULL || g_strv_contains (people, uuid);
}

static char *
format_date (const GDate *date)
{
  char text[16] = "";

  if (g_date_valid (date))
    g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  return g_strdup (text);
}

char *
td_training_tracker_matrix_csv (TdTrainingTracker *self,
                                const char *const *people,
                                const GDate       *today)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) topics = NULL;
  g_autoptr (GPtrArray) header = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);

  topics = td_training_tracker_get_topics (self);
  g_ptr_array_add (header, g_strdup ("person"));
  g_ptr_array_add (header, g_strdup ("tier"));
  g_ptr_array_add (header, g_strdup ("team"));
  /* Two columns per topic, so a spreadsheet can sort on either. */
  for (guint i = 0; i < topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, i);
      g_ptr_array_add (header, g_strdup (topic->topic));
      g_ptr_array_add (header, g_strdup_printf ("%s due", topic->topic));
    }
  td_csv_append_row (out, (const char *const *) header->pdata, header->len);

  for (guint p = 0; p < self->people->len; p++)
    {
      const TdTrainee *trainee = g_ptr_array_index (self->people, p);
      g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

      if (!wanted (people, trainee->uuid))
        continue;
      g_ptr_array_add (row, g_strdup (trainee->name));
      g_ptr_array_add (row,
                       trainee->tier > 0 ? g_strdup_printf ("%d", trainee->tier) : g_strdup (""));
      g_ptr_array_add (row, g_strdup (trainee->team));
      for (guint i = 0; i < topics->len; i++)
        {
          const TdTrainingTopic *topic = g_ptr_array_index (topics, i);
          TdTrainingState        state;

          td_training_tracker_get_state (self, trainee->uuid, topic->id, today, &state);
          g_ptr_array_add (row, g_strdup (td_training_status_to_string (state.status)));
          g_ptr_array_add (row, format_date (&state.due));
        }
      td_csv_append_row (out, (const char *const *) row->pdata, row->len);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
format_hours (guint minutes)
{
  return g_strdup_printf ("%u.%02u", minutes / 60, (minutes % 60) * 100 / 60);
}

char *
td_training_tracker_hours_csv (TdTrainingTracker *self,
                               const char *const *people,
                               const GDate       *from,
                               const GDate       *to)
{
  g_autoptr (GString) out = g_string_new (NULL);
  static const char *const header[]
      = { "person",          "tier",        "team",         "sessions", "onboarding hours",
          "recurring hours", "total hours", "total minutes" };

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), NULL);

  td_csv_append_row (out, header, G_N_ELEMENTS (header));
  for (guint p = 0; p < self->people->len; p++)
    {
      const TdTrainee *trainee = g_ptr_array_index (self->people, p);
      GPtrArray       *list = g_hash_table_lookup (self->by_person, trainee->uuid);
      guint            onboarding = 0;
      guint            recurring = 0;
      guint            sessions = 0;

      if (!wanted (people, trainee->uuid))
        continue;
      for (guint i = 0; list != NULL && i < list->len; i++)
        {
          const TdTrainingCompletion *completion = g_ptr_array_index (list, i);
          const TdTrainingTopic      *topic;

          if (!g_date_valid (&completion->completed_on)
              || g_date_compare (&completion->completed_on, from) < 0
              || g_date_compare (&completion->completed_on, to) > 0)
            continue;
          topic = td_training_tracker_get_topic (self, completion->topic);
          sessions++;
          if (topic != NULL && topic->frequency == TD_TRAINING_ONBOARDING)
            onboarding += completion->minutes;
          else
            recurring += completion->minutes;
        }

      {
        g_autofree char *tier = trainee->tier > 0 ? g_strdup_printf ("%d", trainee->tier) : NULL;
        g_autofree char *n_sessions = g_strdup_printf ("%u", sessions);
        g_autofree char *onboarding_hours = format_hours (onboarding);
        g_autofree char *recurring_hours = format_hours (recurring);
        g_autofree char *total_hours = format_hours (onboarding + recurring);
        g_autofree char *total_minutes = g_strdup_printf ("%u", onboarding + recurring);
        const char      *row[]
            = { trainee->name,   tier,        trainee->team, n_sessions, onboarding_hours,
                recurring_hours, total_hours, total_minutes };

        td_csv_append_row (out, row, G_N_ELEMENTS (row));
      }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
row_string (JsonObject *row, const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

static gint64
row_int (JsonObject *row, const char *name, gint64 fallback)
{
  JsonNode *node = json_object_get_member (row, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_INT64
             ? json_node_get_int (node)
             : fallback;
}

static void
parse_row_date (JsonObject *row, const char *name, GDate *out)
{
  g_date_clear (out, 1);
  if (row_string (row, name) != NULL && !td_time_parse_date (row_string (row, name), out))
    g_date_clear (out, 1);
}

void
td_training_tracker_add_row (TdTrainingTracker *self, const char *entity, JsonObject *row)
{
  const char *uuid;
  gboolean    deleted;

  g_return_if_fail (TD_IS_TRAINING_TRACKER (self));

  uuid = row_string (row, "uuid");
  deleted = row_int (row, "deleted", 0) != 0;
  if (uuid == NULL)
    return;

  if (g_str_equal (entity, "person"))
    {
      TdTrainee *trainee;

      if (deleted)
        return;
      trainee = g_new0 (TdTrainee, 1);
      trainee->uuid = g_strdup (uuid);
      trainee->name = g_strdup (row_string (row, "name"));
      trainee->tier = (int) row_int (row, "tier", 0);
      trainee->team = g_strdup (row_string (row, "sub_team"));
      trainee->role = g_strdup (row_string (row, "role"));
      parse_row_date (row, "start_date", &trainee->start_date);
      td_training_tracker_add_person (self, trainee);
    }
  else if (g_str_equal (entity, "training_record"))
    {
      TdTrainingCompletion *completion;

      if (deleted)
        {
          td_training_tracker_remove_completion (self, uuid);
          return;
        }
      completion = g_new0 (TdTrainingCompletion, 1);
      completion->uuid = g_strdup (uuid);
      completion->person = g_strdup (row_string (row, "person"));
      completion->topic = g_strdup (row_string (row, "topic"));
      parse_row_date (row, "completed_on", &completion->completed_on);
      completion->minutes = (guint) CLAMP (row_int (row, "minutes", 0), 0, G_MAXINT);
      completion->trainer = g_strdup (row_string (row, "trainer"));
      completion->notes = g_strdup (row_string (row, "notes"));
      completion->signed_off_by = g_strdup (row_string (row, "signed_off_by"));
      td_training_tracker_add_completion (self, completion);
    }
  else if (g_str_equal (entity, "training_topic"))
    {
      TdTrainingTopic topic = { 0 };

      topic.id = (char *) row_string (row, "topic_id");
      topic.topic = (char *) row_string (row, "topic");
      topic.tier = (int) row_int (row, "tier", 0);
      topic.hours = row_int (row, "minutes", 60) / 60.0;
      if (topic.id == NULL || topic.topic == NULL
          || !td_training_frequency_from_string (row_string (row, "frequency"), &topic.frequency))
        return;
      /* A deleted edit is not the policy's topic back (it may have been a
       * new one): retiring is how a topic leaves, so treat both alike. */
      td_training_tracker_set_topic (self, &topic, deleted || row_int (row, "retired", 0) != 0);
    }
}

gboolean
td_training_tracker_rota_check (const char *person,
                                const char *slot,
                                int         tier,
                                TdInstant   at,
                                char      **topic,
                                gpointer    user_data)
{
  TdTrainingTracker *self = user_data;
  g_autoptr (GPtrArray) overdue = NULL;
  GDate day;

  g_return_val_if_fail (TD_IS_TRAINING_TRACKER (self), FALSE);

  if (person == NULL || td_training_tracker_get_person (self, person) == NULL)
    return FALSE;
  td_training_today (at, NULL, &day);
  overdue = td_training_tracker_list_overdue (self, person, tier, &day);
  if (overdue->len == 0)
    return FALSE;
  if (topic != NULL)
    *topic = g_strdup (((TdTrainingTopic *) g_ptr_array_index (overdue, 0))->topic);
  return TRUE;
}
