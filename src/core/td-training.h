/* td-training.h — the training tracker [11]: curriculum, completions, due dates and status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "td-calendar.h"
#include "td-policy.h"
#include "td-rota-lint.h"

G_BEGIN_DECLS

/* What a person owes on one topic on one day. Ordered by urgency, so the
 * worst status of a set is its maximum. */
typedef enum
{
  /* The topic is for another tier, or retired. */
  TD_TRAINING_NOT_REQUIRED,
  /* Completed, and the next one (if any) is not due soon. */
  TD_TRAINING_DONE,
  /* Not completed yet, and not due soon (a new joiner's first weeks). */
  TD_TRAINING_TO_DO,
  /* Due within the policy's due-soon days, today included. */
  TD_TRAINING_DUE_SOON,
  /* The due date has passed. */
  TD_TRAINING_OVERDUE,
} TdTrainingStatus;

/* One person as the tracker sees them. */
typedef struct
{
  char *uuid;
  char *name;
  /* 0: no tier, so no curriculum. */
  int   tier;
  char *team;
  char *role;
  /* Invalid when the start date is unknown. */
  GDate start_date;
} TdTrainee;

/* One completion record. */
typedef struct
{
  char *uuid;
  char *person;
  char *topic;
  GDate completed_on;
  guint minutes;
  char *trainer;
  char *notes;
  char *signed_off_by;
} TdTrainingCompletion;

typedef struct
{
  TdTrainingStatus status;
  /* Invalid when nothing is due (not required, or no start date yet). */
  GDate due;
  /* The latest completion, invalid if none. */
  GDate last_done;
  guint n_done;
} TdTrainingState;

typedef struct
{
  int   tier;
  guint required_minutes;
  /* Minutes spent on the tier's onboarding topics, each topic counted up
   * to its own hours, so 20 hours on one topic cannot stand for the rest. */
  guint done_minutes;
  guint topics_required;
  guint topics_done;
} TdOnboardingProgress;

#define TD_TYPE_TRAINING_TRACKER (td_training_tracker_get_type ())
G_DECLARE_FINAL_TYPE (TdTrainingTracker, td_training_tracker, TD, TRAINING_TRACKER, GObject)

const char *td_training_status_to_string (TdTrainingStatus status);
const char *td_training_frequency_to_string (TdTrainingFrequency frequency);
gboolean    td_training_frequency_from_string (const char *text, TdTrainingFrequency *out);

void                  td_trainee_free (TdTrainee *trainee);
void                  td_training_completion_free (TdTrainingCompletion *completion);
TdTrainingCompletion *td_training_completion_copy (const TdTrainingCompletion *completion);
void                  td_training_topic_free (TdTrainingTopic *topic);
TdTrainingTopic      *td_training_topic_copy (const TdTrainingTopic *topic);

/* The date it is in @time_zone at @now; UTC for NULL or an unknown zone. */
void td_training_today (TdInstant now, const char *time_zone, GDate *out);
/* @date plus @months, the day clamped to the month's last (31 January plus
 * one month is 28 or 29 February). */
void td_training_add_months (const GDate *date, guint months, GDate *out);

/* The curriculum starts as the policy's; onboarding_due_days and
 * due_soon_days come from it too. */
TdTrainingTracker *td_training_tracker_new (TdPolicy *policy);

/* Adds or replaces (same id) a curriculum topic, as a trainer edits it;
 * @retired takes it out of everyone's requirements but keeps its history. */
void td_training_tracker_set_topic (TdTrainingTracker     *self,
                                    const TdTrainingTopic *topic,
                                    gboolean               retired);
/* The topics in curriculum order (policy order, then added ones), retired
 * ones left out; borrowed. */
GPtrArray             *td_training_tracker_get_topics (TdTrainingTracker *self);
const TdTrainingTopic *td_training_tracker_get_topic (TdTrainingTracker *self, const char *id);
/* Every topic, retired ones included, in curriculum order; borrowed. */
GPtrArray *td_training_tracker_get_all_topics (TdTrainingTracker *self);
gboolean   td_training_tracker_is_retired (TdTrainingTracker *self, const char *id);

/* Takes ownership. Adding a uuid again replaces the earlier one. */
void td_training_tracker_add_person (TdTrainingTracker *self, TdTrainee *trainee);
void td_training_tracker_add_completion (TdTrainingTracker *self, TdTrainingCompletion *completion);
void td_training_tracker_remove_completion (TdTrainingTracker *self, const char *uuid);
GPtrArray *td_training_tracker_get_people (TdTrainingTracker *self);
TdTrainee *td_training_tracker_get_person (TdTrainingTracker *self, const char *uuid);
/* @person's records, newest first (borrowed; free the array). */
GPtrArray *td_training_tracker_list_completions (TdTrainingTracker *self, const char *person);

/* Whether @topic is part of @trainee's curriculum. */
gboolean td_training_tracker_is_required (TdTrainingTracker     *self,
                                          const TdTrainee       *trainee,
                                          const TdTrainingTopic *topic);
/* @person's status on @topic on @today. */
void td_training_tracker_get_state (TdTrainingTracker *self,
                                    const char        *person,
                                    const char        *topic,
                                    const GDate       *today,
                                    TdTrainingState   *out);
/* The worst status of @person over their curriculum. */
TdTrainingStatus td_training_tracker_get_worst (TdTrainingTracker *self,
                                                const char        *person,
                                                const GDate       *today);
/* The topics (borrowed) of @tier's curriculum that @person has overdue on
 * @today. For the rota: a tier's topics are mandatory for its on-call. */
GPtrArray *td_training_tracker_list_overdue (TdTrainingTracker *self,
                                             const char        *person,
                                             int                tier,
                                             const GDate       *today);
void       td_training_tracker_get_onboarding (TdTrainingTracker    *self,
                                               const char           *person,
                                               TdOnboardingProgress *out);

/* One synced row as the change feed and the cache give it: a person,
 * training_record or training_topic row (a tombstone removes a record or
 * a curriculum edit). Rows of other entities are ignored. */
void td_training_tracker_add_row (TdTrainingTracker *self, const char *entity, JsonObject *row);

/* A TdRotaTrainingFunc (@user_data is the tracker): whether @person will
 * have a topic of @tier's curriculum overdue on the (UTC) day of @at; sets
 * @topic to the first one's name. A tier's topics are all mandatory for
 * its on-call. */
gboolean td_training_tracker_rota_check (const char *person,
                                         const char *slot,
                                         int         tier,
                                         TdInstant   at,
                                         char      **topic,
                                         gpointer    user_data);

/* CSV (RFC 4180, CRLF, a header row). The matrix: one row per person of
 * @people (uuids; NULL for everyone), one column per topic, the status and
 * due date of each cell. */
char *td_training_tracker_matrix_csv (TdTrainingTracker *self,
                                      const char *const *people,
                                      const GDate       *today);
/* Hours per person completed in [@from, @to], both included: onboarding,
 * recurring and total. */
char *td_training_tracker_hours_csv (TdTrainingTracker *self,
                                     const char *const *people,
                                     const GDate       *from,
                                     const GDate       *to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTrainee, td_trainee_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTrainingCompletion, td_training_completion_free)

G_END_DECLS
