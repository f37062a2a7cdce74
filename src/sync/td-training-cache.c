/* td-training-cache.c — a training tracker filled from the offline cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-training-cache.h"

/* Topics first, so records meet the curriculum they belong to. */
const char *const td_training_cache_entities[]
    = { "training_topic", "person", "training_record", NULL };

/* The directory stores a sub-team's id ("backend"); people read its name. */
static void
name_teams (TdTrainingTracker *tracker, TdPolicy *policy)
{
  GPtrArray *people = td_training_tracker_get_people (tracker);
  GPtrArray *tiers = td_policy_get_tiers (policy);

  for (guint i = 0; i < people->len; i++)
    {
      TdTrainee *trainee = g_ptr_array_index (people, i);

      for (guint t = 0; trainee->team != NULL && t < tiers->len; t++)
        {
          const TdTier *tier = g_ptr_array_index (tiers, t);

          for (guint s = 0; tier->sub_teams != NULL && s < tier->sub_teams->len; s++)
            {
              const TdSubTeam *sub_team = g_ptr_array_index (tier->sub_teams, s);

              if (g_strcmp0 (sub_team->id, trainee->team) == 0 && sub_team->name != NULL)
                {
                  g_free (trainee->team);
                  trainee->team = g_strdup (sub_team->name);
                  break;
                }
            }
        }
    }
}

TdTrainingTracker *
td_training_cache_load (TdCache *cache, TdPolicy *policy)
{
  TdTrainingTracker *tracker = td_training_tracker_new (policy);

  for (guint i = 0; cache != NULL && td_training_cache_entities[i] != NULL; i++)
    {
      const char *entity = td_training_cache_entities[i];
      g_autoptr (GPtrArray) rows = td_cache_list (cache, entity, NULL, NULL,
                                                  g_str_equal (entity, "person") ? "name" : NULL);

      for (guint j = 0; rows != NULL && j < rows->len; j++)
        td_training_tracker_add_row (tracker, entity, g_ptr_array_index (rows, j));
    }
  if (policy != NULL)
    name_teams (tracker, policy);
  return tracker;
}
