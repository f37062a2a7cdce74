/* td-rota-lint.h — what is wrong with a rota in the coming year, worded for a manager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-rota.h"

G_BEGIN_DECLS

typedef enum
{
  /* Nobody holds a slot. */
  TD_ROTA_FINDING_GAP,
  /* One person holds two slots at once (any rotations linted together). */
  TD_ROTA_FINDING_DOUBLE_BOOKING,
  /* More than max_shifts shifts within window_weeks. */
  TD_ROTA_FINDING_OVERLOAD,
  TD_ROTA_FINDING_UNEVEN_WEEKENDS,
  TD_ROTA_FINDING_UNEVEN_HOLIDAYS,
  /* On call while a mandatory training is overdue. */
  TD_ROTA_FINDING_TRAINING_OVERDUE,
} TdRotaFindingKind;

typedef struct
{
  TdRotaFindingKind kind;
  char             *rotation_id;
  /* NULL for findings about a whole rotation (uneven load). */
  char *slot;
  /* The second slot of a double booking, else NULL. */
  char *other_slot;
  /* The person concerned; for uneven load the most and the least loaded. */
  char     **persons;
  TdInterval interval;
  /* The overdue training topic, else NULL. */
  char *topic;
  /* Names the person, the slot and the dates. */
  char *message;
} TdRotaFinding;

/* Is @person's mandatory training for this slot overdue at @at? On TRUE,
 * sets @topic (transfer full) to the topic's name. The training tracker
 * plugs in here. */
typedef gboolean (*TdRotaTrainingFunc) (const char *person,
                                        const char *slot,
                                        int         tier,
                                        TdInstant   at,
                                        char      **topic,
                                        gpointer    user_data);

typedef struct
{
  /* How far ahead to look, in seconds. */
  gint64 horizon;
  /* More than @max_shifts shifts starting within @window_weeks is an
   * overload; 0 turns the check off. */
  guint max_shifts;
  guint window_weeks;
  /* Uneven load: the most loaded member has more than this many weekend
   * days (holidays) on call than the least loaded. */
  guint weekend_tolerance;
  guint holiday_tolerance;
  /* (nullable): for the tier's holidays when a rotation has no holiday
   * calendar of its own. */
  TdPolicy *policy;
  /* (nullable) */
  TdRotaTrainingFunc training;
  gpointer           training_data;
} TdRotaLintOptions;

/* 52 weeks; 2 shifts in 4 weeks; 4 weekend days; 2 holidays. */
void td_rota_lint_options_init (TdRotaLintOptions *options);

const char *td_rota_finding_kind_to_string (TdRotaFindingKind kind);
void        td_rota_finding_free (TdRotaFinding *finding);

/* Findings for [@from, @from + horizon), sorted by start then kind. */
GPtrArray *td_rota_lint (TdRotation *const       *rotations,
                         guint                    n_rotations,
                         TdInstant                from,
                         const TdRotaLintOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdRotaFinding, td_rota_finding_free)

G_END_DECLS
