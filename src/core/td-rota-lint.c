/* td-rota-lint.c — what is wrong with a rota in the coming year, worded for a manager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-rota-lint.h"

/* Everything here reads the resolved rota (td_rotation_resolve), overrides
 * and accepted swaps included, so a finding is about who will really be on
 * call, not about the plan before people traded shifts. */

#define WEEK ((gint64) 7 * 86400)

/* A stretch someone holds, with the rotation it belongs to (borrowed). */
typedef struct
{
  TdRotation        *rotation;
  const TdRotaShift *shift;
  TdInterval         clipped;
  /* Rotations in the order given, then positions in theirs. */
  guint order;
} Held;

/* A double booking before its message is written. */
typedef struct
{
  const Held *a;
  const Held *b;
  TdInterval  overlap;
} Overlap;

typedef struct
{
  TdRotation *rotation;
  char       *slot;
  char       *person;
  char       *topic;
  TdInterval  first;
  TdInstant   last_end;
  guint       later;
} Overdue;

static const char *const kind_names[] = {
  [TD_ROTA_FINDING_GAP] = "gap",
  [TD_ROTA_FINDING_DOUBLE_BOOKING] = "double-booking",
  [TD_ROTA_FINDING_OVERLOAD] = "overload",
  [TD_ROTA_FINDING_UNEVEN_WEEKENDS] = "uneven-weekends",
  [TD_ROTA_FINDING_UNEVEN_HOLIDAYS] = "uneven-holidays",
  [TD_ROTA_FINDING_TRAINING_OVERDUE] = "training-overdue",
};

static void
overdue_free (gpointer data)
{
  Overdue *overdue = data;

  g_free (overdue->slot);
  g_free (overdue->person);
  g_free (overdue->topic);
  g_free (overdue);
}

static TdRotaFinding *
finding_new (TdRotaFindingKind kind,
             TdRotation       *rotation,
             const char       *slot,
             TdInterval        interval,
             char             *message)
{
  TdRotaFinding *finding = g_new0 (TdRotaFinding, 1);

  finding->kind = kind;
  finding->rotation_id = g_strdup (td_rotation_get_id (rotation));
  finding->slot = g_strdup (slot);
  finding->interval = interval;
  finding->message = message;
  return finding;
}

static char **
persons_strv (const char *first, const char *second)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, first);
  if (second != NULL)
    g_strv_builder_add (builder, second);
  return g_strv_builder_end (builder);
}

static char *
span (TdRotation *rotation, TdInterval interval)
{
  g_autofree char *start = td_rotation_format_instant (rotation, interval.start);
  g_autofree char *end = td_rotation_format_instant (rotation, interval.end);

  return g_strdup_printf ("from %s to %s", start, end);
}

static void
flush_gap (TdRotation *rotation, const char *slot, TdInterval *gap, GPtrArray *out)
{
  g_autofree char *name = NULL;
  g_autofree char *when = NULL;

  if (gap->start >= gap->end)
    return;

  name = td_rotation_describe_slot (rotation, slot);
  when = span (rotation, *gap);
  g_ptr_array_add (out, finding_new (TD_ROTA_FINDING_GAP, rotation, slot, *gap,
                                     g_strdup_printf ("Nobody is on call for %s %s.", name, when)));
  gap->start = gap->end = 0;
}

static void
lint_gaps (TdRotation *rotation, TdInstant from, TdInstant to, GPtrArray *out)
{
  GPtrArray *positions = td_rotation_get_positions (rotation);
  TdInstant  first = td_rotation_get_shift_start (rotation, 0);

  for (guint p = 0; p < positions->len; p++)
    {
      const TdRotaPosition *position = g_ptr_array_index (positions, p);
      g_autoptr (GPtrArray) stretches = td_rotation_resolve (rotation, position->id, from, to);
      TdInterval gap = { 0, 0 };

      /* Before its first handoff a rotation covers nothing. */
      if (from < first)
        gap = (TdInterval){ from, MIN (first, to) };

      for (guint i = 0; i < stretches->len; i++)
        {
          const TdRotaShift *stretch = g_ptr_array_index (stretches, i);
          TdInstant          start = MAX (stretch->interval.start, from);
          TdInstant          end = MIN (stretch->interval.end, to);

          if (stretch->person != NULL)
            {
              flush_gap (rotation, position->id, &gap, out);
              continue;
            }
          if (gap.end == start && gap.start < gap.end)
            gap.end = end;
          else
            {
              flush_gap (rotation, position->id, &gap, out);
              gap = (TdInterval){ start, end };
            }
        }
      flush_gap (rotation, position->id, &gap, out);
    }
}

static guint
position_order (TdRotation *rotation, const char *slot)
{
  GPtrArray *positions = td_rotation_get_positions (rotation);

  for (guint p = 0; p < positions->len; p++)
    if (g_strcmp0 (((TdRotaPosition *) g_ptr_array_index (positions, p))->id, slot) == 0)
      return p;
  return positions->len;
}

/* The rotations linted together may not all know a person's name. */
static const char *
name_of (const Held *a, const Held *b)
{
  const char *person = a->shift->person;
  const char *name = td_rotation_get_person_name (a->rotation, person);

  if (name == person && b != NULL)
    name = td_rotation_get_person_name (b->rotation, person);
  return name;
}

static int
compare_held (gconstpointer a, gconstpointer b)
{
  const Held *ha = a;
  const Held *hb = b;
  int         by_person = g_strcmp0 (ha->shift->person, hb->shift->person);

  if (by_person != 0)
    return by_person;
  if (ha->clipped.start != hb->clipped.start)
    return ha->clipped.start < hb->clipped.start ? -1 : 1;
  return ha->order < hb->order ? -1 : ha->order > hb->order;
}

static gboolean
same_slot (const Held *a, const Held *b)
{
  return a->rotation == b->rotation && g_strcmp0 (a->shift->slot, b->shift->slot) == 0;
}

static void
lint_double_bookings (GArray *held, GPtrArray *out)
{
  g_autoptr (GArray) overlaps = g_array_new (FALSE, FALSE, sizeof (Overlap));

  for (guint i = 0; i < held->len; i++)
    {
      const Held *a = &g_array_index (held, Held, i);

      for (guint j = i + 1; j < held->len; j++)
        {
          const Held *b = &g_array_index (held, Held, j);
          Overlap     overlap;
          Overlap    *last;

          if (g_strcmp0 (a->shift->person, b->shift->person) != 0
              || b->clipped.start >= a->clipped.end)
            break;
          if (same_slot (a, b))
            continue;

          overlap.a = a;
          overlap.b = b;
          overlap.overlap.start = b->clipped.start;
          overlap.overlap.end = MIN (a->clipped.end, b->clipped.end);

          /* Stretches split by an override would otherwise report one
           * double booking as several. */
          last = overlaps->len > 0 ? &g_array_index (overlaps, Overlap, overlaps->len - 1) : NULL;
          if (last != NULL && g_strcmp0 (last->a->shift->person, a->shift->person) == 0
              && last->overlap.end == overlap.overlap.start
              && ((same_slot (last->a, a) && same_slot (last->b, b))
                  || (same_slot (last->a, b) && same_slot (last->b, a))))
            last->overlap.end = overlap.overlap.end;
          else
            g_array_append_val (overlaps, overlap);
        }
    }

  for (guint i = 0; i < overlaps->len; i++)
    {
      const Overlap   *overlap = &g_array_index (overlaps, Overlap, i);
      g_autofree char *first
          = td_rotation_describe_slot (overlap->a->rotation, overlap->a->shift->slot);
      g_autofree char *second
          = td_rotation_describe_slot (overlap->b->rotation, overlap->b->shift->slot);
      g_autofree char *when = span (overlap->a->rotation, overlap->overlap);
      const char      *person = overlap->a->shift->person;
      TdRotaFinding   *finding;

      finding
          = finding_new (TD_ROTA_FINDING_DOUBLE_BOOKING, overlap->a->rotation,
                         overlap->a->shift->slot, overlap->overlap,
                         g_strdup_printf ("%s is on call for both %s and %s %s.",
                                          name_of (overlap->a, overlap->b), first, second, when));
      finding->other_slot = g_strdup (overlap->b->shift->slot);
      finding->persons = persons_strv (person, NULL);
      g_ptr_array_add (out, finding);
    }
}

/* Weeks of wall-clock time in the rotation's zone: four weeks after a
 * Monday 09:00 handoff is the Monday 09:00 handoff four weeks on, even when
 * a DST change makes that 671 hours. */
static TdInstant
add_local_weeks (TdRotation *rotation, TdInstant from, guint weeks)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (td_rotation_get_time_zone (rotation));
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (from);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) later = NULL;

  if (zone == NULL || utc == NULL)
    return from + weeks * WEEK;
  local = g_date_time_to_timezone (utc, zone);
  later = g_date_time_add_weeks (local, (int) weeks);
  return later != NULL ? g_date_time_to_unix (later) : from + weeks * WEEK;
}

static void
lint_overload (GArray *held, const TdRotaLintOptions *options, GPtrArray *out)
{
  g_autoptr (GArray) shifts = g_array_new (FALSE, FALSE, sizeof (Held));

  if (options->max_shifts == 0 || options->window_weeks == 0)
    return;

  /* One entry per scheduled shift held, even if overrides split it. */
  for (guint i = 0; i < held->len; i++)
    {
      const Held *h = &g_array_index (held, Held, i);
      gboolean    seen = FALSE;

      for (guint j = shifts->len; j > 0; j--)
        {
          const Held *other = &g_array_index (shifts, Held, j - 1);

          if (g_strcmp0 (other->shift->person, h->shift->person) != 0)
            break;
          if (same_slot (other, h) && other->shift->index == h->shift->index)
            {
              seen = TRUE;
              break;
            }
        }
      if (!seen)
        g_array_append_val (shifts, *h);
    }

  for (guint i = 0; i < shifts->len;)
    {
      const Held *first = &g_array_index (shifts, Held, i);
      TdInstant   window_end
          = add_local_weeks (first->rotation, first->clipped.start, options->window_weeks);
      guint j = i;

      while (j + 1 < shifts->len
             && g_strcmp0 (g_array_index (shifts, Held, j + 1).shift->person, first->shift->person)
                    == 0
             && g_array_index (shifts, Held, j + 1).clipped.start < window_end)
        j++;

      if (j - i + 1 > options->max_shifts)
        {
          g_autoptr (GString) list = g_string_new (NULL);
          TdInterval interval
              = { first->clipped.start, g_array_index (shifts, Held, j).clipped.end };
          TdRotaFinding *finding;

          for (guint k = i; k <= j; k++)
            {
              const Held      *h = &g_array_index (shifts, Held, k);
              g_autofree char *slot = td_rotation_describe_slot (h->rotation, h->shift->slot);
              g_autofree char *start = td_rotation_format_instant (h->rotation, h->clipped.start);

              g_string_append_printf (list, "%s%s from %s", k > i ? "; " : "", slot, start);
            }

          finding = finding_new (
              TD_ROTA_FINDING_OVERLOAD, first->rotation, first->shift->slot, interval,
              g_strdup_printf ("%s has %u on-call shifts within %u weeks, more than the limit "
                               "of %u: %s.",
                               td_rotation_get_person_name (first->rotation, first->shift->person),
                               j - i + 1, options->window_weeks, options->max_shifts, list->str));
          finding->persons = persons_strv (first->shift->person, NULL);
          g_ptr_array_add (out, finding);
          i = j + 1;
        }
      else
        i++;
    }
}

static TdCalendar *
holiday_calendar (TdRotation *rotation, const TdRotaLintOptions *options)
{
  const TdTier *tier;

  if (td_rotation_get_holiday_calendar (rotation) != NULL)
    return td_rotation_get_holiday_calendar (rotation);
  if (options->policy == NULL)
    return NULL;
  tier = td_policy_get_tier (options->policy, td_rotation_get_tier (rotation));
  return tier != NULL ? tier->calendar : NULL;
}

static void
report_uneven (TdRotation       *rotation,
               TdRotaFindingKind kind,
               GHashTable       *counts,
               GPtrArray        *members,
               guint             tolerance,
               TdInterval        horizon,
               GPtrArray        *out)
{
  const char      *most = NULL;
  const char      *least = NULL;
  guint            most_days = 0;
  guint            least_days = G_MAXUINT;
  g_autofree char *when = NULL;
  TdRotaFinding   *finding;

  if (members->len < 2)
    return;

  /* Members are sorted, so ties go to the first id: the same every run. */
  for (guint i = 0; i < members->len; i++)
    {
      const char *person = g_ptr_array_index (members, i);
      guint       days = GPOINTER_TO_UINT (g_hash_table_lookup (counts, person));

      if (most == NULL || days > most_days)
        {
          most = person;
          most_days = days;
        }
      if (least == NULL || days < least_days)
        {
          least = person;
          least_days = days;
        }
    }

  if (most_days - least_days <= tolerance)
    return;

  when = span (rotation, horizon);
  finding = finding_new (
      kind, rotation, NULL, horizon,
      g_strdup_printf ("%s on-call is uneven in %s %s: %s is on call on %u %s, %s on %u "
                       "(more than %u apart).",
                       kind == TD_ROTA_FINDING_UNEVEN_WEEKENDS ? "Weekend" : "Holiday",
                       td_rotation_get_name (rotation), when,
                       td_rotation_get_person_name (rotation, most), most_days,
                       kind == TD_ROTA_FINDING_UNEVEN_WEEKENDS ? "weekend days" : "holidays",
                       td_rotation_get_person_name (rotation, least), least_days, tolerance));
  finding->persons = persons_strv (most, least);
  g_ptr_array_add (out, finding);
}

/* Load is counted in days: who is on call at local noon of each weekend
 * day or holiday. Noon never falls in a DST change, and a day counts once
 * per person even if they hold two slots (that is a double booking). */
static void
lint_uneven (TdRotation              *rotation,
             TdInterval               horizon,
             const TdRotaLintOptions *options,
             GPtrArray               *out)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (td_rotation_get_time_zone (rotation));
  g_autoptr (GHashTable) weekends = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) holidays = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) members = td_rotation_list_members (rotation);
  g_autoptr (GDateTime) start_utc = g_date_time_new_from_unix_utc (horizon.start);
  g_autoptr (GDateTime) day = NULL;
  GPtrArray  *positions = td_rotation_get_positions (rotation);
  TdCalendar *calendar = holiday_calendar (rotation, options);

  if (zone == NULL || start_utc == NULL)
    return;

  {
    g_autoptr (GDateTime) local = g_date_time_to_timezone (start_utc, zone);

    day = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                           g_date_time_get_day_of_month (local), 12, 0, 0);
  }

  for (; day != NULL;)
    {
      TdInstant noon = g_date_time_to_unix (day);
      int       weekday = g_date_time_get_day_of_week (day);
      gboolean  weekend = weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY;
      gboolean  holiday = FALSE;
      g_autoptr (GHashTable) today = g_hash_table_new (g_str_hash, g_str_equal);
      GDateTime *next;

      if (noon >= horizon.end)
        break;

      if (calendar != NULL)
        holiday = td_calendar_is_holiday (calendar, g_date_time_get_year (day),
                                          g_date_time_get_month (day),
                                          g_date_time_get_day_of_month (day));

      if (noon >= horizon.start && (weekend || holiday))
        for (guint p = 0; p < positions->len; p++)
          {
            const TdRotaPosition *position = g_ptr_array_index (positions, p);
            const char *person = td_rotation_who_is_on_call (rotation, position->id, noon);

            if (person == NULL || !g_hash_table_add (today, (gpointer) person))
              continue;
            if (weekend)
              g_hash_table_insert (
                  weekends, (gpointer) person,
                  GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (weekends, person)) + 1));
            if (holiday)
              g_hash_table_insert (
                  holidays, (gpointer) person,
                  GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (holidays, person)) + 1));
          }

      next = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = next;
    }

  report_uneven (rotation, TD_ROTA_FINDING_UNEVEN_WEEKENDS, weekends, members,
                 options->weekend_tolerance, horizon, out);
  if (calendar != NULL)
    report_uneven (rotation, TD_ROTA_FINDING_UNEVEN_HOLIDAYS, holidays, members,
                   options->holiday_tolerance, horizon, out);
}

static void
lint_training (GArray *held, const TdRotaLintOptions *options, GPtrArray *out)
{
  g_autoptr (GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (overdue_free);

  if (options->training == NULL)
    return;

  for (guint i = 0; i < held->len; i++)
    {
      const Held      *h = &g_array_index (held, Held, i);
      g_autofree char *topic = NULL;
      g_autofree char *key = NULL;
      Overdue         *overdue;

      if (!options->training (h->shift->person, h->shift->slot, td_rotation_get_tier (h->rotation),
                              h->clipped.start, &topic, options->training_data))
        continue;

      key = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s", td_rotation_get_id (h->rotation),
                             h->shift->slot, h->shift->person, topic != NULL ? topic : "");
      overdue = g_hash_table_lookup (by_key, key);
      if (overdue != NULL)
        {
          overdue->later++;
          overdue->last_end = MAX (overdue->last_end, h->clipped.end);
          continue;
        }

      overdue = g_new0 (Overdue, 1);
      overdue->rotation = h->rotation;
      overdue->slot = g_strdup (h->shift->slot);
      overdue->person = g_strdup (h->shift->person);
      overdue->topic = g_strdup (topic != NULL ? topic : "mandatory");
      overdue->first = h->clipped;
      overdue->last_end = h->clipped.end;
      g_hash_table_insert (by_key, g_steal_pointer (&key), overdue);
      g_ptr_array_add (found, overdue);
    }

  for (guint i = 0; i < found->len; i++)
    {
      const Overdue   *overdue = g_ptr_array_index (found, i);
      g_autofree char *slot = td_rotation_describe_slot (overdue->rotation, overdue->slot);
      g_autofree char *when = span (overdue->rotation, overdue->first);
      g_autofree char *later = overdue->later == 0
                                   ? g_strdup ("")
                                   : g_strdup_printf (" (and %u later shift%s)", overdue->later,
                                                      overdue->later == 1 ? "" : "s");
      const char      *name = td_rotation_get_person_name (overdue->rotation, overdue->person);
      TdRotaFinding   *finding;

      finding = finding_new (
          TD_ROTA_FINDING_TRAINING_OVERDUE, overdue->rotation, overdue->slot,
          (TdInterval){ overdue->first.start, overdue->last_end },
          g_strdup_printf ("%s is on call for %s %s%s, but their \"%s\" training is overdue.", name,
                           slot, when, later, overdue->topic));
      finding->persons = persons_strv (overdue->person, NULL);
      finding->topic = g_strdup (overdue->topic);
      g_ptr_array_add (out, finding);
    }
}

static int
compare_findings (gconstpointer a, gconstpointer b)
{
  const TdRotaFinding *fa = *(const TdRotaFinding *const *) a;
  const TdRotaFinding *fb = *(const TdRotaFinding *const *) b;

  if (fa->interval.start != fb->interval.start)
    return fa->interval.start < fb->interval.start ? -1 : 1;
  if (fa->kind != fb->kind)
    return fa->kind < fb->kind ? -1 : 1;
  return g_strcmp0 (fa->slot, fb->slot);
}

void
td_rota_lint_options_init (TdRotaLintOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (TdRotaLintOptions){ 0 };
  options->horizon = 52 * WEEK;
  options->max_shifts = 2;
  options->window_weeks = 4;
  /* A year rarely divides into whole cycles: two weekends (four days) of
   * difference is the remainder, not unfairness. */
  options->weekend_tolerance = 4;
  options->holiday_tolerance = 2;
}

const char *
td_rota_finding_kind_to_string (TdRotaFindingKind kind)
{
  g_return_val_if_fail (kind <= TD_ROTA_FINDING_TRAINING_OVERDUE, NULL);

  return kind_names[kind];
}

void
td_rota_finding_free (TdRotaFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->rotation_id);
  g_free (finding->slot);
  g_free (finding->other_slot);
  g_strfreev (finding->persons);
  g_free (finding->topic);
  g_free (finding->message);
  g_free (finding);
}

/**
 * td_rota_lint:
 * @rotations: (array length=n_rotations): the rotations to check together
 * @n_rotations: how many
 * @from: the start of the period, normally now
 * @options: (nullable): limits and hooks; %NULL for the defaults
 *
 * Looks at [@from, @from + horizon) of every rotation. A person in two
 * slots at once is found across all @rotations, so lint the rotations of
 * every tier together to see a Tier 2 primary who is also Tier 3's DBA.
 *
 * Returns: (transfer full) (element-type TdRotaFinding): the findings
 */
GPtrArray *
td_rota_lint (TdRotation *const       *rotations,
              guint                    n_rotations,
              TdInstant                from,
              const TdRotaLintOptions *options)
{
  g_autoptr (GPtrArray) stretches
      = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_shift_free);
  g_autoptr (GArray) held = g_array_new (FALSE, FALSE, sizeof (Held));
  GPtrArray        *out = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_finding_free);
  TdRotaLintOptions defaults;
  TdInterval        horizon;

  g_return_val_if_fail (rotations != NULL || n_rotations == 0, out);

  if (options == NULL)
    {
      td_rota_lint_options_init (&defaults);
      options = &defaults;
    }
  horizon = (TdInterval){ from, from + (options->horizon > 0 ? options->horizon : 52 * WEEK) };

  /* The stretches stay alive in @stretches; @held only borrows them. */
  for (guint r = 0; r < n_rotations; r++)
    {
      g_autoptr (GPtrArray) resolved = NULL;

      g_return_val_if_fail (TD_IS_ROTATION (rotations[r]), out);

      lint_gaps (rotations[r], horizon.start, horizon.end, out);
      lint_uneven (rotations[r], horizon, options, out);

      resolved = td_rotation_resolve (rotations[r], NULL, horizon.start, horizon.end);
      g_ptr_array_set_free_func (resolved, NULL);
      for (guint i = 0; i < resolved->len; i++)
        {
          TdRotaShift *shift = g_ptr_array_index (resolved, i);
          Held         h = { rotations[r],
                             shift,
                             { MAX (shift->interval.start, horizon.start),
                               MIN (shift->interval.end, horizon.end) },
                             r * 1024 + position_order (rotations[r], shift->slot) };

          g_ptr_array_add (stretches, shift);
          if (shift->person != NULL)
            g_array_append_val (held, h);
        }
    }

  g_array_sort (held, compare_held);
  lint_double_bookings (held, out);
  lint_overload (held, options, out);
  lint_training (held, options, out);

  g_ptr_array_sort (out, compare_findings);
  return out;
}
