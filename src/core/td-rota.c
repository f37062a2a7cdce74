/* td-rota.c — on-call rotations: shifts across DST, overrides, swaps, who is on call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "td-rota.h"
#include "td-time.h"

/* How a rotation maps to instants
 * ===============================
 *
 * A rotation is stored the way people think of it: "hand off on Mondays at
 * 09:00 Berlin time". Shift n starts on local date first_date + n × days at
 * the handoff time and ends where shift n + 1 starts, so shifts are
 * contiguous by construction: no gap and no overlap can come from DST. A
 * weekly shift that spans a change is 167 or 169 hours long.
 *
 * A handoff time the clock skips (spring forward) happens at the jump: the
 * first instant whose clock reads past it, the rule td-calendar.c uses for
 * openings. A handoff time the clock shows twice (fall back) happens the
 * first time it is shown. Both are plain functions of the zone's rules, so
 * every desktop and the server agree.
 *
 * Overrides are concrete instants (rota_override stores UTC). Where several
 * cover the same instant the latest one wins; "latest" is its creation
 * time, except that an override always beats the one it replaces, even if
 * a desktop with a wrong clock stamped it earlier. Ties go to the larger
 * id, so the order is total and the same everywhere.
 */

#define SECONDS_PER_DAY ((gint64) 86400)

/* GDate's Julian day number of 1970-01-01. */
#define UNIX_EPOCH_JULIAN 719163

/* Replace chains longer than this are cut (they can only be a cycle). */
#define MAX_REPLACE_DEPTH 64

struct _TdRotation
{
  GObject parent_instance;

  char      *id;
  char      *name;
  char      *policy_id;
  int        tier;
  char      *time_zone_id;
  GTimeZone *time_zone;

  /* start_date as days since 1970-01-01, and the day of the first handoff
   * after moving it to the handoff weekday. */
  gint64       start_day;
  gint64       first_day;
  GDateWeekday handoff_weekday;
  int          handoff_minute;
  guint        shift_days;
  guint        cycle_length;

  GPtrArray  *positions; /* TdRotaPosition */
  GHashTable *members;   /* slot id → GPtrArray of person ids, index 0 = shift 1 */
  GHashTable *names;     /* person id → display name */
  TdCalendar *holidays;

  GPtrArray *overrides; /* TdRotaOverride */
  GPtrArray *swaps;     /* TdRotaSwap */
};

G_DEFINE_FINAL_TYPE (TdRotation, td_rotation, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (td-rota-error-quark, td_rota_error)
/* clang-format on */

/* An override with its place in the precedence order. */
typedef struct
{
  const TdRotaOverride *override;
  gint64                rank;
} Ranked;

static const char *const swap_status_names[] = {
  [TD_ROTA_SWAP_PENDING] = "pending",   [TD_ROTA_SWAP_ACCEPTED] = "accepted",
  [TD_ROTA_SWAP_DECLINED] = "declined", [TD_ROTA_SWAP_CANCELLED] = "cancelled",
  [TD_ROTA_SWAP_EXPIRED] = "expired",
};

/* Messages are read by managers in any locale the server runs in, and the
 * tests compare them, so the names do not depend on the C library's locale. */
static const char *const weekday_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const month_names[]
    = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static void
position_free (gpointer data)
{
  TdRotaPosition *position = data;

  g_free (position->id);
  g_free (position->name);
  g_free (position);
}

static inline gint64
floor_div (gint64 a, gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;

  return q;
}

static gint64
offset_at (GTimeZone *zone, TdInstant instant)
{
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, instant);

  return g_time_zone_get_offset (zone, interval);
}

/* @local is wall-clock seconds since 1970-01-01T00:00 in @zone. See the
 * comment at the top for the gap and repeated-hour rules. Offsets never
 * change twice within two days in the tz database, so the offsets a day
 * either side are the only candidates. */
static TdInstant
local_to_instant (GTimeZone *zone, gint64 local)
{
  gint64    before = offset_at (zone, local - SECONDS_PER_DAY);
  gint64    after = offset_at (zone, local + SECONDS_PER_DAY);
  TdInstant early = local - before;
  TdInstant late = local - after;
  gboolean  early_ok = offset_at (zone, early) == before;
  gboolean  late_ok = offset_at (zone, late) == after;
  TdInstant lo, hi;

  if (early_ok && late_ok)
    return MIN (early, late);
  if (early_ok)
    return early;
  if (late_ok)
    return late;

  /* In the gap: find the transition, the first instant after the old
   * offset ends. */
  lo = MIN (early, late);
  hi = MAX (early, late);
  while (hi - lo > 1)
    {
      TdInstant mid = lo + (hi - lo) / 2;

      if (offset_at (zone, mid) == offset_at (zone, lo))
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

static gint64
local_day_of (GTimeZone *zone, TdInstant instant)
{
  return floor_div (instant + offset_at (zone, instant), SECONDS_PER_DAY);
}

static gint64
days_from_gdate (const GDate *date)
{
  return (gint64) g_date_get_julian (date) - UNIX_EPOCH_JULIAN;
}

static void
update_first_day (TdRotation *self)
{
  /* 1970-01-01 was a Thursday; GDateWeekday counts Monday as 1. */
  gint64 days = self->start_day + 3;
  int    weekday = (int) (days - floor_div (days, 7) * 7) + 1;

  self->first_day = self->start_day;
  if (self->handoff_weekday != G_DATE_BAD_WEEKDAY)
    self->first_day += ((int) self->handoff_weekday - weekday + 7) % 7;
}

static GPtrArray *
members_of (TdRotation *self, const char *slot, gboolean create)
{
  GPtrArray *list = g_hash_table_lookup (self->members, slot);

  if (list == NULL && create)
    {
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->members, g_strdup (slot), list);
    }
  return list;
}

static const TdRotaPosition *
find_position (TdRotation *self, const char *slot)
{
  for (guint i = 0; i < self->positions->len; i++)
    {
      const TdRotaPosition *position = g_ptr_array_index (self->positions, i);

      if (g_strcmp0 (position->id, slot) == 0)
        return position;
    }
  return NULL;
}

static int
find_override_index (TdRotation *self, const char *id)
{
  for (guint i = 0; i < self->overrides->len; i++)
    {
      const TdRotaOverride *override = g_ptr_array_index (self->overrides, i);

      if (g_strcmp0 (override->id, id) == 0)
        return (int) i;
    }
  return -1;
}

static TdRotaSwap *
find_swap (TdRotation *self, const char *id)
{
  for (guint i = 0; i < self->swaps->len; i++)
    {
      TdRotaSwap *swap = g_ptr_array_index (self->swaps, i);

      if (g_strcmp0 (swap->id, id) == 0)
        return swap;
    }
  return NULL;
}

/* The override's place in the precedence order: its creation time, but
 * always after the override it replaces. */
static gint64
override_rank (TdRotation *self, const TdRotaOverride *override, int depth)
{
  gint64 rank = override->created_at;
  int    replaced;

  if (override->replaces == NULL || depth >= MAX_REPLACE_DEPTH)
    return rank;

  replaced = find_override_index (self, override->replaces);
  if (replaced >= 0)
    {
      const TdRotaOverride *target = g_ptr_array_index (self->overrides, replaced);

      if (target != override)
        rank = MAX (rank, override_rank (self, target, depth + 1) + 1);
    }
  return rank;
}

static gboolean
ranked_beats (const Ranked *a, const Ranked *b)
{
  if (b == NULL)
    return TRUE;
  if (a->rank != b->rank)
    return a->rank > b->rank;
  return g_strcmp0 (a->override->id, b->override->id) > 0;
}

static GArray *
ranked_overrides_for (TdRotation *self, const char *slot)
{
  GArray *ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));

  for (guint i = 0; i < self->overrides->len; i++)
    {
      const TdRotaOverride *override = g_ptr_array_index (self->overrides, i);
      Ranked                entry;

      if (g_strcmp0 (override->slot, slot) != 0
          || override->interval.end <= override->interval.start)
        continue;
      entry.override = override;
      entry.rank = override_rank (self, override, 0);
      g_array_append_val (ranked, entry);
    }
  return ranked;
}

static int
compare_instants (gconstpointer a, gconstpointer b)
{
  TdInstant ia = *(const TdInstant *) a;
  TdInstant ib = *(const TdInstant *) b;

  return ia < ib ? -1 : ia > ib;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static TdRotaShift *
shift_new (TdRotation *self,
           const char *slot,
           gint64      index,
           TdInterval  bounds,
           const char *scheduled)
{
  TdRotaShift *shift = g_new0 (TdRotaShift, 1);

  shift->rotation_id = g_strdup (self->id);
  shift->slot = g_strdup (slot);
  shift->index = index;
  shift->shift = bounds;
  shift->interval = bounds;
  shift->scheduled_person = g_strdup (scheduled);
  shift->person = g_strdup (scheduled);
  return shift;
}

/* Splits scheduled shift @index of @slot at every override edge inside it
 * and appends the stretches that overlap [from, to) to @out. */
static void
resolve_shift (TdRotation *self,
               const char *slot,
               gint64      index,
               TdInterval  bounds,
               GArray     *ranked,
               TdInstant   from,
               TdInstant   to,
               GPtrArray  *out)
{
  g_autoptr (GArray) edges = g_array_new (FALSE, FALSE, sizeof (TdInstant));
  const char *scheduled
      = td_rotation_get_member (self, slot, (guint) (index % self->cycle_length) + 1);
  TdRotaShift *current = NULL;

  g_assert (bounds.start < bounds.end);

  g_array_append_val (edges, bounds.start);
  g_array_append_val (edges, bounds.end);
  for (guint i = 0; i < ranked->len; i++)
    {
      const TdRotaOverride *override = g_array_index (ranked, Ranked, i).override;

      if (override->interval.start > bounds.start && override->interval.start < bounds.end)
        g_array_append_val (edges, override->interval.start);
      if (override->interval.end > bounds.start && override->interval.end < bounds.end)
        g_array_append_val (edges, override->interval.end);
    }
  g_array_sort (edges, compare_instants);

  for (guint e = 0; e + 1 < edges->len; e++)
    {
      TdInstant     a = g_array_index (edges, TdInstant, e);
      TdInstant     b = g_array_index (edges, TdInstant, e + 1);
      const Ranked *winner = NULL;
      const char   *person;
      const char   *override_id;

      if (a == b)
        continue;

      /* No override edge falls inside (a, b), so whoever covers a covers
       * all of it. */
      for (guint i = 0; i < ranked->len; i++)
        {
          const Ranked *candidate = &g_array_index (ranked, Ranked, i);

          if (candidate->override->interval.start <= a && a < candidate->override->interval.end
              && ranked_beats (candidate, winner))
            winner = candidate;
        }

      person = winner != NULL ? winner->override->person : scheduled;
      override_id = winner != NULL ? winner->override->id : NULL;

      if (current != NULL && g_strcmp0 (current->person, person) == 0
          && g_strcmp0 (current->override_id, override_id) == 0)
        {
          current->interval.end = b;
          continue;
        }

      if (current != NULL)
        {
          if (current->interval.end > from && current->interval.start < to)
            g_ptr_array_add (out, current);
          else
            td_rota_shift_free (current);
        }

      current = shift_new (self, slot, index, bounds, scheduled);
      current->interval.start = a;
      current->interval.end = b;
      g_free (current->person);
      current->person = g_strdup (person);
      current->override_id = g_strdup (override_id);
    }

  if (current != NULL)
    {
      if (current->interval.end > from && current->interval.start < to)
        g_ptr_array_add (out, current);
      else
        td_rota_shift_free (current);
    }
}

static void
resolve_slot (TdRotation *self, const char *slot, TdInstant from, TdInstant to, GPtrArray *out)
{
  g_autoptr (GArray) ranked = NULL;
  TdInterval bounds;
  TdInstant  first;
  gint64     index;

  if (to <= from)
    return;

  first = td_rotation_get_shift_start (self, 0);
  if (to <= first)
    return;
  if (!td_rotation_find_shift (self, MAX (from, first), &index, &bounds))
    return;

  ranked = ranked_overrides_for (self, slot);

  while (bounds.start < to)
    {
      resolve_shift (self, slot, index, bounds, ranked, from, to, out);
      index++;
      bounds.start = bounds.end;
      bounds.end = td_rotation_get_shift_start (self, index + 1);
    }
}

static int
compare_shifts (gconstpointer a, gconstpointer b)
{
  const TdRotaShift *sa = *(const TdRotaShift *const *) a;
  const TdRotaShift *sb = *(const TdRotaShift *const *) b;

  if (sa->interval.start != sb->interval.start)
    return sa->interval.start < sb->interval.start ? -1 : 1;
  return g_strcmp0 (sa->slot, sb->slot);
}

/* TRUE when @person holds @slot for every instant of @interval. */
static gboolean
holds (TdRotation *self, const char *slot, const char *person, TdInterval interval)
{
  g_autoptr (GPtrArray) stretches
      = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_shift_free);
  TdInstant covered;

  if (interval.end <= interval.start)
    return FALSE;

  resolve_slot (self, slot, interval.start, interval.end, stretches);
  covered = interval.start;
  for (guint i = 0; i < stretches->len; i++)
    {
      const TdRotaShift *stretch = g_ptr_array_index (stretches, i);

      if (stretch->interval.start > covered || g_strcmp0 (stretch->person, person) != 0)
        return FALSE;
      covered = stretch->interval.end;
    }
  return covered >= interval.end;
}

static char *
describe_interval (TdRotation *self, TdInterval interval)
{
  g_autofree char *start = td_rotation_format_instant (self, interval.start);
  g_autofree char *end = td_rotation_format_instant (self, interval.end);

  return g_strdup_printf ("%s to %s", start, end);
}

static gboolean
check_pending (TdRotation *self, TdRotaSwap *swap, TdInstant now, GError **error)
{
  TdRotaSwapStatus status = td_rota_swap_get_status_at (swap, now);

  if (status == TD_ROTA_SWAP_EXPIRED)
    {
      TdInstant began
          = swap->has_take ? MIN (swap->give.start, swap->take.start) : swap->give.start;
      g_autofree char *when = td_rotation_format_instant (self, began);

      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_SWAP_EXPIRED,
                   "the swap offered by %s expired when its shift began on %s",
                   td_rotation_get_person_name (self, swap->requester), when);
      return FALSE;
    }
  if (status != TD_ROTA_SWAP_PENDING)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_SWAP_DECIDED,
                   "the swap offered by %s was already %s",
                   td_rotation_get_person_name (self, swap->requester),
                   td_rota_swap_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static TdRotaSwap *
lookup_swap (TdRotation *self, const char *swap_id, GError **error)
{
  TdRotaSwap *swap = find_swap (self, swap_id);

  if (swap == NULL)
    g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_NOT_FOUND,
                 "rotation \"%s\" has no swap request \"%s\"", self->name, swap_id);
  return swap;
}

/* The override in force at the start of @interval, which a swap's override
 * replaces. */
static char *
override_in_force (TdRotation *self, const char *slot, TdInstant at)
{
  g_autoptr (GPtrArray) stretches
      = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_shift_free);

  resolve_slot (self, slot, at, at + 1, stretches);
  if (stretches->len == 0)
    return NULL;
  return g_strdup (((TdRotaShift *) g_ptr_array_index (stretches, 0))->override_id);
}

static TdRotaOverride *
swap_override (TdRotation *self,
               TdRotaSwap *swap,
               const char *covers,
               const char *covered,
               TdInterval  interval,
               const char *decided_by,
               TdInstant   now)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *reason
      = g_strdup_printf ("Swap: %s covers %s", td_rotation_get_person_name (self, covers),
                         td_rotation_get_person_name (self, covered));
  TdRotaOverride *override
      = td_rota_override_new (uuid, swap->slot, covers, interval.start, interval.end, reason);

  override->replaces = override_in_force (self, swap->slot, interval.start);
  override->created_by = g_strdup (decided_by);
  override->created_at = now;
  return override;
}

static void
td_rotation_finalize (GObject *object)
{
  TdRotation *self = (TdRotation *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->policy_id, g_free);
  g_clear_pointer (&self->time_zone_id, g_free);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->positions, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_object (&self->holidays);
  g_clear_pointer (&self->overrides, g_ptr_array_unref);
  g_clear_pointer (&self->swaps, g_ptr_array_unref);

  G_OBJECT_CLASS (td_rotation_parent_class)->finalize (object);
}

static void
td_rotation_class_init (TdRotationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = td_rotation_finalize;
}

static void
td_rotation_init (TdRotation *self)
{
  self->positions = g_ptr_array_new_with_free_func (position_free);
  self->members
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->overrides = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_override_free);
  self->swaps = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_swap_free);
  self->shift_days = 7;
  self->cycle_length = 1;
  self->handoff_weekday = G_DATE_BAD_WEEKDAY;
}

/* Overrides, swaps and shifts */

TdRotaOverride *
td_rota_override_new (const char *id,
                      const char *slot,
                      const char *person,
                      TdInstant   starts_at,
                      TdInstant   ends_at,
                      const char *reason)
{
  TdRotaOverride *override;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (slot != NULL, NULL);

  override = g_new0 (TdRotaOverride, 1);
  override->id = g_strdup (id);
  override->slot = g_strdup (slot);
  override->person = g_strdup (person);
  override->interval.start = starts_at;
  override->interval.end = ends_at;
  override->reason = g_strdup (reason);
  return override;
}

TdRotaOverride *
td_rota_override_copy (const TdRotaOverride *override)
{
  TdRotaOverride *copy;

  g_return_val_if_fail (override != NULL, NULL);

  copy = g_memdup2 (override, sizeof *override);
  copy->id = g_strdup (override->id);
  copy->slot = g_strdup (override->slot);
  copy->person = g_strdup (override->person);
  copy->replaces = g_strdup (override->replaces);
  copy->reason = g_strdup (override->reason);
  copy->created_by = g_strdup (override->created_by);
  return copy;
}

void
td_rota_override_free (TdRotaOverride *override)
{
  if (override == NULL)
    return;
  g_free (override->id);
  g_free (override->slot);
  g_free (override->person);
  g_free (override->replaces);
  g_free (override->reason);
  g_free (override->created_by);
  g_free (override);
}

TdRotaSwap *
td_rota_swap_new (const char *id,
                  const char *slot,
                  const char *requester,
                  const char *counterpart,
                  TdInstant   give_starts_at,
                  TdInstant   give_ends_at)
{
  TdRotaSwap *swap;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (slot != NULL, NULL);

  swap = g_new0 (TdRotaSwap, 1);
  swap->id = g_strdup (id);
  swap->slot = g_strdup (slot);
  swap->requester = g_strdup (requester);
  swap->counterpart = g_strdup (counterpart);
  swap->give.start = give_starts_at;
  swap->give.end = give_ends_at;
  swap->status = TD_ROTA_SWAP_PENDING;
  return swap;
}

void
td_rota_swap_set_take (TdRotaSwap *swap, TdInstant starts_at, TdInstant ends_at)
{
  g_return_if_fail (swap != NULL);

  swap->has_take = TRUE;
  swap->take.start = starts_at;
  swap->take.end = ends_at;
}

TdRotaSwap *
td_rota_swap_copy (const TdRotaSwap *swap)
{
  TdRotaSwap *copy;

  g_return_val_if_fail (swap != NULL, NULL);

  copy = g_memdup2 (swap, sizeof *swap);
  copy->id = g_strdup (swap->id);
  copy->slot = g_strdup (swap->slot);
  copy->requester = g_strdup (swap->requester);
  copy->counterpart = g_strdup (swap->counterpart);
  copy->note = g_strdup (swap->note);
  copy->decided_by = g_strdup (swap->decided_by);
  return copy;
}

void
td_rota_swap_free (TdRotaSwap *swap)
{
  if (swap == NULL)
    return;
  g_free (swap->id);
  g_free (swap->slot);
  g_free (swap->requester);
  g_free (swap->counterpart);
  g_free (swap->note);
  g_free (swap->decided_by);
  g_free (swap);
}

const char *
td_rota_swap_status_to_string (TdRotaSwapStatus status)
{
  g_return_val_if_fail (status <= TD_ROTA_SWAP_EXPIRED, NULL);

  return swap_status_names[status];
}

gboolean
td_rota_swap_status_from_string (const char *text, TdRotaSwapStatus *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (swap_status_names); i++)
    {
      if (g_strcmp0 (text, swap_status_names[i]) == 0)
        {
          *status = (TdRotaSwapStatus) i;
          return TRUE;
        }
    }
  /* The issue calls a pending swap an offer. */
  if (g_strcmp0 (text, "offered") == 0)
    {
      *status = TD_ROTA_SWAP_PENDING;
      return TRUE;
    }
  return FALSE;
}

/**
 * td_rota_swap_get_status_at:
 * @swap: a #TdRotaSwap
 * @now: the instant to judge by
 *
 * An offer nobody answered before its interval began can no longer be
 * taken: the shift is already under way. So a pending swap reads as
 * expired from the start of its give interval (or of its take interval, if
 * that comes first). Expiry is computed, never stored, so no one has to
 * write it at the right moment.
 *
 * Returns: the status as of @now
 */
TdRotaSwapStatus
td_rota_swap_get_status_at (const TdRotaSwap *swap, TdInstant now)
{
  TdInstant begins;

  g_return_val_if_fail (swap != NULL, TD_ROTA_SWAP_EXPIRED);

  if (swap->status != TD_ROTA_SWAP_PENDING)
    return swap->status;

  begins = swap->give.start;
  if (swap->has_take)
    begins = MIN (begins, swap->take.start);
  return now >= begins ? TD_ROTA_SWAP_EXPIRED : TD_ROTA_SWAP_PENDING;
}

TdRotaShift *
td_rota_shift_copy (const TdRotaShift *shift)
{
  TdRotaShift *copy;

  g_return_val_if_fail (shift != NULL, NULL);

  copy = g_memdup2 (shift, sizeof *shift);
  copy->rotation_id = g_strdup (shift->rotation_id);
  copy->slot = g_strdup (shift->slot);
  copy->person = g_strdup (shift->person);
  copy->scheduled_person = g_strdup (shift->scheduled_person);
  copy->override_id = g_strdup (shift->override_id);
  return copy;
}

void
td_rota_shift_free (TdRotaShift *shift)
{
  if (shift == NULL)
    return;
  g_free (shift->rotation_id);
  g_free (shift->slot);
  g_free (shift->person);
  g_free (shift->scheduled_person);
  g_free (shift->override_id);
  g_free (shift);
}

/* Rotations */

/**
 * td_rotation_new:
 * @id: the rotation's uuid
 * @name: (nullable): how people call it, e.g. "Tier 2 On-Call Rotation"
 * @tier: the tier level it serves
 * @time_zone: an IANA zone such as "Europe/Berlin"
 * @start_date: "YYYY-MM-DD", the local date of the first handoff
 * @handoff_time: "HH:MM", the local handoff time
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a weekly rotation with no positions
 *   yet, or %NULL with %TD_ROTA_ERROR_INVALID naming the bad value
 */
TdRotation *
td_rotation_new (const char *id,
                 const char *name,
                 int         tier,
                 const char *time_zone,
                 const char *start_date,
                 const char *handoff_time,
                 GError    **error)
{
  g_autoptr (GTimeZone) zone = NULL;
  TdRotation *self;
  GDate       date;
  int         minute;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An empty identifier would silently mean "the server's local zone". */
  if (time_zone != NULL && time_zone[0] != '\0')
    zone = g_time_zone_new_identifier (time_zone);
  if (zone == NULL)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "rotation \"%s\": unknown time zone \"%s\" (expected an IANA name such as "
                   "Europe/Berlin)",
                   name != NULL ? name : id, time_zone != NULL ? time_zone : "");
      return NULL;
    }

  g_date_clear (&date, 1);
  if (!td_time_parse_date (start_date, &date))
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "rotation \"%s\": start date \"%s\" is not a date (expected YYYY-MM-DD)",
                   name != NULL ? name : id, start_date != NULL ? start_date : "");
      return NULL;
    }

  /* 24:00 would be the next day's 00:00 with another weekday. */
  if (!td_time_parse_clock (handoff_time, &minute) || minute >= 24 * 60)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "rotation \"%s\": handoff time \"%s\" is not a time (expected HH:MM from "
                   "00:00 to 23:59)",
                   name != NULL ? name : id, handoff_time != NULL ? handoff_time : "");
      return NULL;
    }

  self = g_object_new (TD_TYPE_ROTATION, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name != NULL ? name : id);
  self->tier = tier;
  self->time_zone_id = g_strdup (time_zone);
  self->time_zone = g_steal_pointer (&zone);
  self->start_day = days_from_gdate (&date);
  self->handoff_minute = minute;
  update_first_day (self);
  return self;
}

TdRotation *
td_rotation_new_from_template (const TdRotaTemplate *rota_template,
                               const char           *id,
                               const char           *time_zone,
                               const char           *start_date,
                               const char           *handoff_time,
                               GError              **error)
{
  g_autoptr (TdRotation) self = NULL;

  g_return_val_if_fail (rota_template != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = td_rotation_new (id, rota_template->name, rota_template->tier, time_zone, start_date,
                          handoff_time, error);
  if (self == NULL)
    return NULL;

  self->policy_id = g_strdup (rota_template->id);
  self->cycle_length = MAX (rota_template->weeks, 1);
  for (guint i = 0; i < rota_template->positions->len; i++)
    {
      const TdPolicyItem *item = g_ptr_array_index (rota_template->positions, i);

      td_rotation_add_position (self, item->id, item->name);
    }

  /* The seed's slots are "[Name]" placeholders, loaded as "". */
  if (rota_template->slots != NULL)
    for (guint i = 0; i < rota_template->slots->len; i++)
      {
        const TdRotaSlot *slot = g_ptr_array_index (rota_template->slots, i);

        if (slot->name != NULL && slot->name[0] != '\0' && slot->week >= 1)
          td_rotation_set_member (self, slot->position, (guint) slot->week, slot->name);
      }

  return g_steal_pointer (&self);
}

const char *
td_rotation_get_id (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->id;
}

const char *
td_rotation_get_name (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->name;
}

int
td_rotation_get_tier (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), 0);

  return self->tier;
}

const char *
td_rotation_get_policy_id (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->policy_id;
}

void
td_rotation_set_policy_id (TdRotation *self, const char *policy_id)
{
  g_return_if_fail (TD_IS_ROTATION (self));

  g_free (self->policy_id);
  self->policy_id = g_strdup (policy_id);
}

const char *
td_rotation_get_time_zone (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->time_zone_id;
}

int
td_rotation_get_handoff_minute (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), 0);

  return self->handoff_minute;
}

void
td_rotation_get_first_date (TdRotation *self, GDate *out)
{
  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (out != NULL);

  g_date_clear (out, 1);
  g_date_set_julian (out, (guint32) (self->first_day + UNIX_EPOCH_JULIAN));
}

void
td_rotation_set_shift_days (TdRotation *self, guint days)
{
  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (days >= 1);

  self->shift_days = days;
}

guint
td_rotation_get_shift_days (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), 7);

  return self->shift_days;
}

void
td_rotation_set_handoff_weekday (TdRotation *self, GDateWeekday weekday)
{
  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (weekday == G_DATE_BAD_WEEKDAY || g_date_valid_weekday (weekday));

  self->handoff_weekday = weekday;
  update_first_day (self);
}

void
td_rotation_set_cycle_length (TdRotation *self, guint shifts)
{
  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (shifts >= 1);

  self->cycle_length = shifts;
}

guint
td_rotation_get_cycle_length (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), 1);

  return self->cycle_length;
}

void
td_rotation_add_position (TdRotation *self, const char *id, const char *name)
{
  TdRotaPosition *position;

  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (id != NULL);

  if (find_position (self, id) != NULL)
    return;

  position = g_new0 (TdRotaPosition, 1);
  position->id = g_strdup (id);
  position->name = g_strdup (name != NULL ? name : id);
  g_ptr_array_add (self->positions, position);
}

GPtrArray *
td_rotation_get_positions (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->positions;
}

char *
td_rotation_describe_slot (TdRotation *self, const char *slot)
{
  const TdRotaPosition *position;

  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  position = find_position (self, slot);
  if (position == NULL)
    return NULL;
  if (self->tier > 0)
    return g_strdup_printf ("Tier %d %s", self->tier, position->name);
  return g_strdup (position->name);
}

void
td_rotation_set_member (TdRotation *self,
                        const char *slot,
                        guint       position_in_cycle,
                        const char *person)
{
  GPtrArray *list;

  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (slot != NULL);
  g_return_if_fail (position_in_cycle >= 1);

  list = members_of (self, slot, TRUE);
  if (list->len < position_in_cycle)
    g_ptr_array_set_size (list, position_in_cycle);
  g_free (g_ptr_array_index (list, position_in_cycle - 1));
  g_ptr_array_index (list, position_in_cycle - 1) = g_strdup (person);
}

void
td_rotation_set_members (TdRotation *self, const char *slot, const char *const *persons)
{
  GPtrArray *list;
  guint      n;

  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (slot != NULL);

  list = members_of (self, slot, TRUE);
  g_ptr_array_set_size (list, 0);
  n = persons != NULL ? g_strv_length ((char **) persons) : 0;
  for (guint i = 0; i < n; i++)
    td_rotation_set_member (self, slot, i + 1, persons[i]);
  self->cycle_length = MAX (self->cycle_length, n);
}

const char *
td_rotation_get_member (TdRotation *self, const char *slot, guint position_in_cycle)
{
  GPtrArray *list;

  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  list = members_of (self, slot, FALSE);
  if (list == NULL || position_in_cycle < 1 || position_in_cycle > list->len
      || position_in_cycle > self->cycle_length)
    return NULL;
  return g_ptr_array_index (list, position_in_cycle - 1);
}

GPtrArray *
td_rotation_list_members (TdRotation *self)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *people = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (TD_IS_ROTATION (self), people);

  for (guint p = 0; p < self->positions->len; p++)
    {
      const TdRotaPosition *position = g_ptr_array_index (self->positions, p);

      for (guint week = 1; week <= self->cycle_length; week++)
        {
          const char *person = td_rotation_get_member (self, position->id, week);

          if (person != NULL && g_hash_table_add (seen, (gpointer) person))
            g_ptr_array_add (people, g_strdup (person));
        }
    }
  g_ptr_array_sort (people, compare_strings);
  return people;
}

void
td_rotation_set_person_name (TdRotation *self, const char *person, const char *name)
{
  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (person != NULL);

  if (name == NULL)
    g_hash_table_remove (self->names, person);
  else
    g_hash_table_insert (self->names, g_strdup (person), g_strdup (name));
}

const char *
td_rotation_get_person_name (TdRotation *self, const char *person)
{
  const char *name;

  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  if (person == NULL)
    return "nobody";
  name = g_hash_table_lookup (self->names, person);
  return name != NULL ? name : person;
}

void
td_rotation_set_holiday_calendar (TdRotation *self, TdCalendar *calendar)
{
  g_return_if_fail (TD_IS_ROTATION (self));
  g_return_if_fail (calendar == NULL || TD_IS_CALENDAR (calendar));

  g_set_object (&self->holidays, calendar);
}

TdCalendar *
td_rotation_get_holiday_calendar (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->holidays;
}

/**
 * td_rotation_add_override:
 * @self: a #TdRotation
 * @override: the override to copy in
 * @error: return location for a #GError
 *
 * Adds a copy of @override, or replaces the one with the same id (a synced
 * row that changed).
 *
 * Returns: %FALSE with %TD_ROTA_ERROR_INVALID if the slot is unknown or the
 *   interval is empty
 */
gboolean
td_rotation_add_override (TdRotation *self, const TdRotaOverride *override, GError **error)
{
  int index;

  g_return_val_if_fail (TD_IS_ROTATION (self), FALSE);
  g_return_val_if_fail (override != NULL && override->id != NULL, FALSE);

  if (find_position (self, override->slot) == NULL)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "override \"%s\": rotation \"%s\" has no position \"%s\"", override->id,
                   self->name, override->slot != NULL ? override->slot : "");
      return FALSE;
    }
  if (override->interval.end <= override->interval.start)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "override \"%s\": it must end after it starts", override->id);
      return FALSE;
    }

  index = find_override_index (self, override->id);
  if (index >= 0)
    g_ptr_array_remove_index (self->overrides, (guint) index);
  g_ptr_array_add (self->overrides, td_rota_override_copy (override));
  return TRUE;
}

gboolean
td_rotation_remove_override (TdRotation *self, const char *id)
{
  int index;

  g_return_val_if_fail (TD_IS_ROTATION (self), FALSE);

  index = find_override_index (self, id);
  if (index < 0)
    return FALSE;
  g_ptr_array_remove_index (self->overrides, (guint) index);
  return TRUE;
}

GPtrArray *
td_rotation_get_overrides (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->overrides;
}

gboolean
td_rotation_add_swap (TdRotation *self, const TdRotaSwap *swap, GError **error)
{
  TdRotaSwap *existing;

  g_return_val_if_fail (TD_IS_ROTATION (self), FALSE);
  g_return_val_if_fail (swap != NULL && swap->id != NULL, FALSE);

  if (find_position (self, swap->slot) == NULL)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "swap request \"%s\": rotation \"%s\" has no position \"%s\"", swap->id,
                   self->name, swap->slot != NULL ? swap->slot : "");
      return FALSE;
    }
  if (swap->requester == NULL || swap->counterpart == NULL
      || g_strcmp0 (swap->requester, swap->counterpart) == 0)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "swap request \"%s\": it needs a requester and a different counterpart",
                   swap->id);
      return FALSE;
    }
  if (swap->give.end <= swap->give.start || (swap->has_take && swap->take.end <= swap->take.start))
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_INVALID,
                   "swap request \"%s\": each interval must end after it starts", swap->id);
      return FALSE;
    }

  existing = find_swap (self, swap->id);
  if (existing != NULL)
    g_ptr_array_remove (self->swaps, existing);
  g_ptr_array_add (self->swaps, td_rota_swap_copy (swap));
  return TRUE;
}

const TdRotaSwap *
td_rotation_get_swap (TdRotation *self, const char *id)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return find_swap (self, id);
}

GPtrArray *
td_rotation_get_swaps (TdRotation *self)
{
  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  return self->swaps;
}

/**
 * td_rotation_accept_swap:
 * @self: a #TdRotation
 * @swap_id: the swap request's id
 * @decided_by: (nullable): the person accepting (the counterpart, or a manager)
 * @now: the instant of the decision, stamped by the server
 * @overrides: (out) (optional) (transfer container): the overrides made
 * @error: return location for a #GError
 *
 * An accepted swap becomes overrides, so resolution needs no notion of
 * swaps: the counterpart covers the give interval and, for a trade, the
 * requester covers the take interval. Each replaces the override in force
 * where it starts, if any. The requester must hold the slot for all of the
 * give interval and the counterpart for all of the take interval: nobody
 * can give away a shift that is not theirs.
 *
 * Returns: %FALSE with %TD_ROTA_ERROR_NOT_FOUND, %TD_ROTA_ERROR_SWAP_EXPIRED,
 *   %TD_ROTA_ERROR_SWAP_DECIDED or %TD_ROTA_ERROR_NOT_ON_CALL
 */
gboolean
td_rotation_accept_swap (TdRotation *self,
                         const char *swap_id,
                         const char *decided_by,
                         TdInstant   now,
                         GPtrArray **overrides,
                         GError    **error)
{
  g_autoptr (GPtrArray) made = NULL;
  g_autoptr (TdRotaOverride) give = NULL;
  g_autoptr (TdRotaOverride) take = NULL;
  TdRotaSwap *swap;

  g_return_val_if_fail (TD_IS_ROTATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  swap = lookup_swap (self, swap_id, error);
  if (swap == NULL || !check_pending (self, swap, now, error))
    return FALSE;

  if (!holds (self, swap->slot, swap->requester, swap->give))
    {
      g_autofree char *slot = td_rotation_describe_slot (self, swap->slot);
      g_autofree char *when = describe_interval (self, swap->give);

      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_NOT_ON_CALL,
                   "%s cannot give away %s from %s: they are not on call for all of it",
                   td_rotation_get_person_name (self, swap->requester), slot, when);
      return FALSE;
    }
  if (swap->has_take && !holds (self, swap->slot, swap->counterpart, swap->take))
    {
      g_autofree char *slot = td_rotation_describe_slot (self, swap->slot);
      g_autofree char *when = describe_interval (self, swap->take);

      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_NOT_ON_CALL,
                   "%s cannot take %s from %s in return: %s is not on call for all of it",
                   td_rotation_get_person_name (self, swap->requester), slot, when,
                   td_rotation_get_person_name (self, swap->counterpart));
      return FALSE;
    }

  /* Both are computed before either is added, so the take override does
   * not see the give override as the one it replaces. */
  give
      = swap_override (self, swap, swap->counterpart, swap->requester, swap->give, decided_by, now);
  if (swap->has_take)
    take = swap_override (self, swap, swap->requester, swap->counterpart, swap->take, decided_by,
                          now);

  made = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_override_free);
  g_ptr_array_add (self->overrides, td_rota_override_copy (give));
  g_ptr_array_add (made, g_steal_pointer (&give));
  if (take != NULL)
    {
      g_ptr_array_add (self->overrides, td_rota_override_copy (take));
      g_ptr_array_add (made, g_steal_pointer (&take));
    }

  swap->status = TD_ROTA_SWAP_ACCEPTED;
  g_free (swap->decided_by);
  swap->decided_by = g_strdup (decided_by);
  swap->decided_at = now;

  if (overrides != NULL)
    *overrides = g_steal_pointer (&made);
  return TRUE;
}

static gboolean
close_swap (TdRotation      *self,
            const char      *swap_id,
            TdRotaSwapStatus status,
            const char      *decided_by,
            TdInstant        now,
            GError         **error)
{
  TdRotaSwap *swap;

  g_return_val_if_fail (TD_IS_ROTATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  swap = lookup_swap (self, swap_id, error);
  if (swap == NULL || !check_pending (self, swap, now, error))
    return FALSE;

  swap->status = status;
  g_free (swap->decided_by);
  swap->decided_by = g_strdup (decided_by);
  swap->decided_at = now;
  return TRUE;
}

gboolean
td_rotation_decline_swap (TdRotation *self,
                          const char *swap_id,
                          const char *decided_by,
                          TdInstant   now,
                          GError    **error)
{
  return close_swap (self, swap_id, TD_ROTA_SWAP_DECLINED, decided_by, now, error);
}

gboolean
td_rotation_cancel_swap (TdRotation *self,
                         const char *swap_id,
                         const char *decided_by,
                         TdInstant   now,
                         GError    **error)
{
  return close_swap (self, swap_id, TD_ROTA_SWAP_CANCELLED, decided_by, now, error);
}

TdInstant
td_rotation_get_shift_start (TdRotation *self, gint64 index)
{
  gint64 day;

  g_return_val_if_fail (TD_IS_ROTATION (self), TD_INSTANT_NEVER);

  day = self->first_day + index * (gint64) self->shift_days;
  return local_to_instant (self->time_zone,
                           day * SECONDS_PER_DAY + (gint64) self->handoff_minute * 60);
}

gboolean
td_rotation_find_shift (TdRotation *self, TdInstant at, gint64 *index, TdInterval *bounds)
{
  gint64 k;

  g_return_val_if_fail (TD_IS_ROTATION (self), FALSE);

  if (at < td_rotation_get_shift_start (self, 0))
    return FALSE;

  /* The local date gives the shift to within one; the loops settle the
   * handoff day itself, before or after the handoff time. */
  k = floor_div (local_day_of (self->time_zone, at) - self->first_day, self->shift_days);
  k = MAX (k, 0);
  while (k > 0 && td_rotation_get_shift_start (self, k) > at)
    k--;
  while (td_rotation_get_shift_start (self, k + 1) <= at)
    k++;

  if (index != NULL)
    *index = k;
  if (bounds != NULL)
    {
      bounds->start = td_rotation_get_shift_start (self, k);
      bounds->end = td_rotation_get_shift_start (self, k + 1);
    }
  return TRUE;
}

const char *
td_rotation_who_is_on_call (TdRotation *self, const char *slot, TdInstant at)
{
  g_autoptr (GPtrArray) stretches = NULL;
  const TdRotaShift *stretch;
  gint64             index;
  const char        *scheduled;

  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);
  g_return_val_if_fail (slot != NULL, NULL);

  stretches = td_rotation_resolve (self, slot, at, at + 1);
  if (stretches->len == 0)
    return NULL;
  stretch = g_ptr_array_index (stretches, 0);

  /* Return a string the rotation owns, not one freed with the array. */
  if (stretch->override_id != NULL)
    {
      int found = find_override_index (self, stretch->override_id);

      return ((TdRotaOverride *) g_ptr_array_index (self->overrides, found))->person;
    }
  index = stretch->index;
  scheduled = td_rotation_get_member (self, slot, (guint) (index % self->cycle_length) + 1);
  return scheduled;
}

GPtrArray *
td_rotation_on_call_at (TdRotation *self, TdInstant at)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_shift_free);

  g_return_val_if_fail (TD_IS_ROTATION (self), out);

  for (guint p = 0; p < self->positions->len; p++)
    {
      const TdRotaPosition *position = g_ptr_array_index (self->positions, p);
      g_autoptr (GPtrArray) stretches = td_rotation_resolve (self, position->id, at, at + 1);

      if (stretches->len > 0)
        g_ptr_array_add (out, g_ptr_array_steal_index (stretches, 0));
      else
        {
          /* Before the first handoff: nobody, until it. */
          TdInterval before = { at, td_rotation_get_shift_start (self, 0) };

          g_ptr_array_add (out, shift_new (self, position->id, -1, before, NULL));
        }
    }
  return out;
}

GPtrArray *
td_rotation_resolve (TdRotation *self, const char *slot, TdInstant from, TdInstant to)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_shift_free);

  g_return_val_if_fail (TD_IS_ROTATION (self), out);

  if (slot != NULL)
    {
      resolve_slot (self, slot, from, to, out);
      return out;
    }

  for (guint p = 0; p < self->positions->len; p++)
    {
      const TdRotaPosition *position = g_ptr_array_index (self->positions, p);

      resolve_slot (self, position->id, from, to, out);
    }
  return out;
}

GPtrArray *
td_rotation_resolve_for_person (TdRotation *self, const char *person, TdInstant from, TdInstant to)
{
  g_autoptr (GPtrArray) all = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_shift_free);

  g_return_val_if_fail (TD_IS_ROTATION (self), out);
  g_return_val_if_fail (person != NULL, out);

  all = td_rotation_resolve (self, NULL, from, to);
  for (guint i = 0; i < all->len; i++)
    {
      TdRotaShift *shift = g_ptr_array_index (all, i);

      if (g_strcmp0 (shift->person, person) == 0)
        g_ptr_array_add (out, td_rota_shift_copy (shift));
    }
  g_ptr_array_sort (out, compare_shifts);
  return out;
}

char *
td_rotation_format_instant (TdRotation *self, TdInstant instant)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  g_return_val_if_fail (TD_IS_ROTATION (self), NULL);

  utc = g_date_time_new_from_unix_utc (instant);
  if (utc == NULL)
    return g_strdup ("(invalid date)");
  local = g_date_time_to_timezone (utc, self->time_zone);

  return g_strdup_printf (
      "%s %d %s %d %02d:%02d %s", weekday_names[g_date_time_get_day_of_week (local) - 1],
      g_date_time_get_day_of_month (local), month_names[g_date_time_get_month (local) - 1],
      g_date_time_get_year (local), g_date_time_get_hour (local), g_date_time_get_minute (local),
      g_date_time_get_timezone_abbreviation (local));
}
