/* td-rota.h — on-call rotations: shifts across DST, overrides, swaps, who is on call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "td-calendar.h"
#include "td-policy.h"

G_BEGIN_DECLS

/* docs/rota.md has the rules: how handoffs map to instants across DST,
 * which override wins, what a swap turns into. */

#define TD_ROTA_ERROR (td_rota_error_quark ())

typedef enum
{
  TD_ROTA_ERROR_INVALID,
  TD_ROTA_ERROR_NOT_FOUND,
  /* The swap was already decided (accepted, declined or cancelled). */
  TD_ROTA_ERROR_SWAP_DECIDED,
  /* The swap was still pending when its interval began. */
  TD_ROTA_ERROR_SWAP_EXPIRED,
  /* A swap gives away time its requester does not hold. */
  TD_ROTA_ERROR_NOT_ON_CALL,
} TdRotaError;

/* The stored strings are the swap_request.status values; "expired" is never
 * stored: a pending offer whose interval has begun reads as expired. */
typedef enum
{
  TD_ROTA_SWAP_PENDING,
  TD_ROTA_SWAP_ACCEPTED,
  TD_ROTA_SWAP_DECLINED,
  TD_ROTA_SWAP_CANCELLED,
  TD_ROTA_SWAP_EXPIRED,
} TdRotaSwapStatus;

/* A position of the rotation: "primary", "secondary", "dba" … */
typedef struct
{
  char *id;
  char *name;
} TdRotaPosition;

/* One rota_override row: @person covers @slot during @interval. */
typedef struct
{
  char *id;
  char *slot;
  /* NULL: nobody covers the interval (the slot is deliberately left open). */
  char *person;
  /* The override this one replaces, if any: it always wins over it. */
  char      *replaces;
  TdInterval interval;
  char      *reason;
  char      *created_by;
  TdInstant  created_at;
} TdRotaOverride;

/* One swap_request row. The requester hands @give to the counterpart and,
 * when @has_take, takes @take from the counterpart in return. */
typedef struct
{
  char            *id;
  char            *slot;
  char            *requester;
  char            *counterpart;
  TdInterval       give;
  gboolean         has_take;
  TdInterval       take;
  TdRotaSwapStatus status;
  char            *note;
  TdInstant        created_at;
  char            *decided_by;
  TdInstant        decided_at;
} TdRotaSwap;

/* A resolved stretch of one slot: who really is on call, overrides applied.
 * A scheduled shift is split where an override begins or ends. */
typedef struct
{
  char *rotation_id;
  char *slot;
  /* NULL when nobody is on call (an unstaffed week or an empty override). */
  char      *person;
  TdInterval interval;
  /* Which scheduled shift this is part of (0 is the first after start_date)
   * and that shift's own bounds and person. */
  gint64     index;
  TdInterval shift;
  char      *scheduled_person;
  /* The override in force, or NULL for the schedule itself. */
  char *override_id;
} TdRotaShift;

#define TD_TYPE_ROTATION (td_rotation_get_type ())
G_DECLARE_FINAL_TYPE (TdRotation, td_rotation, TD, ROTATION, GObject)

GQuark td_rota_error_quark (void);

TdRotaOverride *td_rota_override_new (const char *id,
                                      const char *slot,
                                      const char *person,
                                      TdInstant   starts_at,
                                      TdInstant   ends_at,
                                      const char *reason);
TdRotaOverride *td_rota_override_copy (const TdRotaOverride *override);
void            td_rota_override_free (TdRotaOverride *override);

TdRotaSwap *td_rota_swap_new (const char *id,
                              const char *slot,
                              const char *requester,
                              const char *counterpart,
                              TdInstant   give_starts_at,
                              TdInstant   give_ends_at);
void        td_rota_swap_set_take (TdRotaSwap *swap, TdInstant starts_at, TdInstant ends_at);
TdRotaSwap *td_rota_swap_copy (const TdRotaSwap *swap);
void        td_rota_swap_free (TdRotaSwap *swap);
const char *td_rota_swap_status_to_string (TdRotaSwapStatus status);
gboolean    td_rota_swap_status_from_string (const char *text, TdRotaSwapStatus *status);
/* The status as of @now: a pending swap whose give or take interval has
 * begun is expired. */
TdRotaSwapStatus td_rota_swap_get_status_at (const TdRotaSwap *swap, TdInstant now);

TdRotaShift *td_rota_shift_copy (const TdRotaShift *shift);
void         td_rota_shift_free (TdRotaShift *shift);

/* @start_date "YYYY-MM-DD" and @handoff_time "HH:MM" are wall-clock in
 * @time_zone (IANA), as the rotation table stores them. The first shift
 * starts on @start_date at @handoff_time; shifts are 7 days long, and the
 * cycle is one shift, until changed. */
TdRotation *td_rotation_new (const char *id,
                             const char *name,
                             int         tier,
                             const char *time_zone,
                             const char *start_date,
                             const char *handoff_time,
                             GError    **error);
/* A rotation with the template's tier, name, cycle (weeks) and positions
 * [4.7, 5.7]; template slots with a name become members. */
TdRotation *td_rotation_new_from_template (const TdRotaTemplate *rota_template,
                                           const char           *id,
                                           const char           *time_zone,
                                           const char           *start_date,
                                           const char           *handoff_time,
                                           GError              **error);

const char *td_rotation_get_id (TdRotation *self);
const char *td_rotation_get_name (TdRotation *self);
int         td_rotation_get_tier (TdRotation *self);
/* The policy's on-call template id (rotation.policy_id), or NULL. */
const char *td_rotation_get_policy_id (TdRotation *self);
void        td_rotation_set_policy_id (TdRotation *self, const char *policy_id);
const char *td_rotation_get_time_zone (TdRotation *self);
/* Minutes after local midnight. */
int td_rotation_get_handoff_minute (TdRotation *self);
/* The local date of the first handoff (start_date, moved forward to the
 * handoff weekday when one is set). */
void td_rotation_get_first_date (TdRotation *self, GDate *out);

/* 7 (weekly, the default), 1 (daily) or any number of days. */
void  td_rotation_set_shift_days (TdRotation *self, guint days);
guint td_rotation_get_shift_days (TdRotation *self);
/* Moves the first handoff to the first @weekday on or after start_date;
 * G_DATE_BAD_WEEKDAY hands off on start_date's own weekday. */
void td_rotation_set_handoff_weekday (TdRotation *self, GDateWeekday weekday);
/* How many shifts make one cycle (rotation.weeks for weekly shifts). */
void  td_rotation_set_cycle_length (TdRotation *self, guint shifts);
guint td_rotation_get_cycle_length (TdRotation *self);

void       td_rotation_add_position (TdRotation *self, const char *id, const char *name);
GPtrArray *td_rotation_get_positions (TdRotation *self); /* TdRotaPosition, borrowed */
/* "Tier 2 Primary": how a slot is named to people. NULL for an unknown slot. */
char *td_rotation_describe_slot (TdRotation *self, const char *slot);

/* One rotation_member row: @person holds @slot in shift @position_in_cycle
 * (1 … cycle length) of every cycle. NULL @person clears it. */
void td_rotation_set_member (TdRotation *self,
                             const char *slot,
                             guint       position_in_cycle,
                             const char *person);
/* Ordered members: the n-th person holds the slot in the n-th shift of
 * each cycle. Grows the cycle to the number of people if shorter. */
void td_rotation_set_members (TdRotation *self, const char *slot, const char *const *persons);
const char *td_rotation_get_member (TdRotation *self, const char *slot, guint position_in_cycle);
/* Every person who holds any slot in the cycle, sorted. */
GPtrArray *td_rotation_list_members (TdRotation *self);

/* Names for messages and calendars; an unknown person is shown by id. */
void        td_rotation_set_person_name (TdRotation *self, const char *person, const char *name);
const char *td_rotation_get_person_name (TdRotation *self, const char *person);

/* The holidays the linter balances: normally the tier's calendar. */
void        td_rotation_set_holiday_calendar (TdRotation *self, TdCalendar *calendar);
TdCalendar *td_rotation_get_holiday_calendar (TdRotation *self);

gboolean   td_rotation_add_override (TdRotation           *self,
                                     const TdRotaOverride *override,
                                     GError              **error);
gboolean   td_rotation_remove_override (TdRotation *self, const char *id);
GPtrArray *td_rotation_get_overrides (TdRotation *self); /* TdRotaOverride, borrowed */

gboolean          td_rotation_add_swap (TdRotation *self, const TdRotaSwap *swap, GError **error);
const TdRotaSwap *td_rotation_get_swap (TdRotation *self, const char *id);
GPtrArray        *td_rotation_get_swaps (TdRotation *self); /* TdRotaSwap, borrowed */
/* Turns a pending swap into its overrides (added to the rotation and
 * returned in @overrides, new UUIDs, created at @now by @decided_by). */
gboolean td_rotation_accept_swap (TdRotation *self,
                                  const char *swap_id,
                                  const char *decided_by,
                                  TdInstant   now,
                                  GPtrArray **overrides,
                                  GError    **error);
gboolean td_rotation_decline_swap (TdRotation *self,
                                   const char *swap_id,
                                   const char *decided_by,
                                   TdInstant   now,
                                   GError    **error);
gboolean td_rotation_cancel_swap (TdRotation *self,
                                  const char *swap_id,
                                  const char *decided_by,
                                  TdInstant   now,
                                  GError    **error);

/* The instant scheduled shift @index starts (index 0 is the first). */
TdInstant td_rotation_get_shift_start (TdRotation *self, gint64 index);
/* The scheduled shift containing @at; FALSE before the first handoff. */
gboolean td_rotation_find_shift (TdRotation *self, TdInstant at, gint64 *index, TdInterval *bounds);
/* Who holds @slot at @at, overrides applied; NULL for nobody. */
const char *td_rotation_who_is_on_call (TdRotation *self, const char *slot, TdInstant at);
/* One TdRotaShift per position, in position order, for the stretch that
 * contains @at (person NULL when nobody is on call). */
GPtrArray *td_rotation_on_call_at (TdRotation *self, TdInstant at);
/* Resolved stretches of @slot (or of every slot when NULL, position by
 * position) that overlap [@from, @to), in order and not clipped, so the
 * same shift has the same bounds whatever range is asked for. */
GPtrArray *td_rotation_resolve (TdRotation *self, const char *slot, TdInstant from, TdInstant to);
/* The stretches @person holds, every slot, sorted by start. */
GPtrArray *td_rotation_resolve_for_person (TdRotation *self,
                                           const char *person,
                                           TdInstant   from,
                                           TdInstant   to);
/* "Mon 30 Mar 2026 09:00 CEST" in the rotation's zone, for messages. */
char *td_rotation_format_instant (TdRotation *self, TdInstant instant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdRotaOverride, td_rota_override_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdRotaSwap, td_rota_swap_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdRotaShift, td_rota_shift_free)

G_END_DECLS
