/* td-calendar.c — working-time calendars: 24x7, or business hours in an IANA zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "td-calendar.h"

/* How the calendar sees time
 * ==========================
 *
 * An instant is working time when its local wall-clock time (in the
 * calendar's zone) falls inside one of the windows of its local weekday and
 * its local date is not a holiday. Everything below follows from that one
 * rule, including the daylight-saving edge cases:
 *
 *  - A 09:00 opening is 09:00 local all year, so its UTC instant moves by an
 *    hour across a DST change.
 *  - Spring forward: local times in the gap never appear on the clock. A
 *    window 00:30–03:30 on a night London jumps from 01:00 to 02:00 is open
 *    from 00:30 GMT to 01:00 GMT and then from 02:00 BST to 03:30 BST: two
 *    hours of elapsed time. A window that opens inside the gap (say 01:30)
 *    opens at the jump, the first instant whose clock reads past 01:30.
 *  - Fall back: local times in the repeated hour appear twice and are
 *    working both times. A window 00:00–04:00 on a night London goes from
 *    02:00 BST back to 01:00 GMT is five hours of elapsed time. A window
 *    that ends inside the repeated hour (say 00:00–01:30) is open twice,
 *    before and after the change, with a gap in between.
 *
 * So that add() and working_between() can walk time in order even when a
 * transition makes local dates overlap, open hours are computed per span of
 * UTC ("chunk"): the chunk is split wherever the zone's offset changes, and
 * within each piece of constant offset the windows of every local date it
 * touches are mapped back to UTC.
 */

/* Unix seconds of 0001-01-01 and 9999-12-31T23:59:59Z: GDate and GDateTime
 * do not go further, and nothing in a help desk needs to. */
#define INSTANT_MIN ((TdInstant) -62135596800)
#define INSTANT_MAX ((TdInstant) 253402300799)

#define SECONDS_PER_DAY ((gint64) 86400)

/* GDate's Julian day number of 1970-01-01. */
#define UNIX_EPOCH_JULIAN 719163

/* One day of UTC at a time keeps the per-chunk window list tiny. */
#define CHUNK_SECONDS SECONDS_PER_DAY

/* Give up when this much calendar time passes without any open hours. */
#define GIVE_UP_SECONDS ((gint64) 3653 * SECONDS_PER_DAY)

typedef struct
{
  int start_minute;
  int end_minute;
} Window;

struct _TdCalendar
{
  GObject parent_instance;

  char      *id;
  char      *name;
  char      *time_zone_id;
  GTimeZone *time_zone;

  /* Indexed by GDateWeekday - 1 (Monday first); each sorted by start and
   * merged, so overlapping windows from the policy are not counted twice. */
  GArray *windows[7];

  /* Local dates as days since 1970-01-01, used as pointer-sized keys. */
  GHashTable *holidays;

  gint64   business_day;
  gboolean always;
};

G_DEFINE_FINAL_TYPE (TdCalendar, td_calendar, G_TYPE_OBJECT)

static void
td_calendar_finalize (GObject *object)
{
  TdCalendar *self = (TdCalendar *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->time_zone_id, g_free);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->windows); i++)
    g_clear_pointer (&self->windows[i], g_array_unref);
  g_clear_pointer (&self->holidays, g_hash_table_unref);

  G_OBJECT_CLASS (td_calendar_parent_class)->finalize (object);
}

static void
td_calendar_class_init (TdCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = td_calendar_finalize;
}

static void
td_calendar_init (TdCalendar *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->windows); i++)
    self->windows[i] = g_array_new (FALSE, FALSE, sizeof (Window));
  self->holidays = g_hash_table_new (NULL, NULL);
  self->business_day = 8 * 3600;
}

/**
 * td_calendar_new_always:
 * @id: the calendar's identifier in the policy
 * @name: (nullable): a human-readable name
 *
 * Creates a calendar that is open at every instant (24x7). A business day on
 * it is 24 hours.
 *
 * Returns: (transfer full): a new #TdCalendar
 */
TdCalendar *
td_calendar_new_always (const char *id, const char *name)
{
  TdCalendar *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (TD_TYPE_CALENDAR, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->always = TRUE;
  self->business_day = SECONDS_PER_DAY;

  return self;
}

/**
 * td_calendar_new_business:
 * @id: the calendar's identifier in the policy
 * @name: (nullable): a human-readable name
 * @time_zone: an IANA time zone identifier such as "Europe/London"
 * @error: return location for a #GError
 *
 * Creates a business-hours calendar with no open hours yet (add them with
 * td_calendar_add_window()), no holidays and an 8-hour business day.
 *
 * Returns: (transfer full) (nullable): a new #TdCalendar, or %NULL with
 *   %G_IO_ERROR_INVALID_ARGUMENT if @time_zone is not known
 */
TdCalendar *
td_calendar_new_business (const char *id, const char *name, const char *time_zone, GError **error)
{
  g_autoptr (GTimeZone) tz = NULL;
  TdCalendar *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (time_zone != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An empty identifier would silently mean "the server's local zone". */
  if (time_zone[0] != '\0')
    tz = g_time_zone_new_identifier (time_zone);

  if (tz == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown time zone \"%s\"",
                   time_zone);
      return NULL;
    }

  self = g_object_new (TD_TYPE_CALENDAR, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->time_zone_id = g_strdup (time_zone);
  self->time_zone = g_steal_pointer (&tz);
  self->always = FALSE;

  return self;
}

/**
 * td_calendar_add_window:
 * @self: a business #TdCalendar
 * @weekday: the local weekday the window belongs to
 * @start_minute: local minutes since midnight at which the window opens
 * @end_minute: local minutes since midnight at which it closes (1440 for
 *   midnight at the end of the day)
 *
 * Adds open hours [@start_minute, @end_minute) to every @weekday. A day may
 * have several windows; overlapping or touching ones are merged.
 */
void
td_calendar_add_window (TdCalendar *self, GDateWeekday weekday, int start_minute, int end_minute)
{
  GArray *windows;
  GArray *merged;
  Window  window = { start_minute, end_minute };
  guint   pos;

  g_return_if_fail (TD_IS_CALENDAR (self));
  g_return_if_fail (!self->always);
  g_return_if_fail (g_date_valid_weekday (weekday));
  g_return_if_fail (start_minute >= 0);
  g_return_if_fail (start_minute < end_minute);
  g_return_if_fail (end_minute <= 24 * 60);

  windows = self->windows[weekday - 1];

  for (pos = 0; pos < windows->len; pos++)
    {
      if (g_array_index (windows, Window, pos).start_minute > start_minute)
        break;
    }
  g_array_insert_val (windows, pos, window);

  merged = g_array_sized_new (FALSE, FALSE, sizeof (Window), windows->len);
  for (guint i = 0; i < windows->len; i++)
    {
      const Window *w = &g_array_index (windows, Window, i);
      Window *last = merged->len > 0 ? &g_array_index (merged, Window, merged->len - 1) : NULL;

      if (last != NULL && w->start_minute <= last->end_minute)
        last->end_minute = MAX (last->end_minute, w->end_minute);
      else
        g_array_append_val (merged, *w);
    }

  g_array_unref (self->windows[weekday - 1]);
  self->windows[weekday - 1] = merged;
}

static gboolean
valid_date (int year, int month, int day)
{
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1
         && g_date_valid_dmy (day, month, year);
}

/* Days since 1970-01-01 of a valid date. */
static gint64
days_from_date (int year, int month, int day)
{
  GDate date;

  g_assert (valid_date (year, month, day));

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  return (gint64) g_date_get_julian (&date) - UNIX_EPOCH_JULIAN;
}

/**
 * td_calendar_add_holiday:
 * @self: a #TdCalendar
 * @year: the year
 * @month: the month, 1 to 12
 * @day: the day of the month
 *
 * Closes the whole local date. Adding the same date twice is harmless.
 * Holidays on an always-open calendar are remembered but have no effect.
 */
void
td_calendar_add_holiday (TdCalendar *self, int year, int month, int day)
{
  gint64 days;

  g_return_if_fail (TD_IS_CALENDAR (self));
  g_return_if_fail (valid_date (year, month, day));

  days = days_from_date (year, month, day);
  g_hash_table_add (self->holidays, GINT_TO_POINTER ((int) days));
}

/**
 * td_calendar_set_business_day:
 * @self: a #TdCalendar
 * @seconds: the length of one business day in working seconds
 *
 * Sets how many seconds of working time "1bd" stands for on this calendar.
 */
void
td_calendar_set_business_day (TdCalendar *self, gint64 seconds)
{
  g_return_if_fail (TD_IS_CALENDAR (self));
  g_return_if_fail (seconds > 0);

  self->business_day = seconds;
}

const char *
td_calendar_get_id (TdCalendar *self)
{
  g_return_val_if_fail (TD_IS_CALENDAR (self), NULL);

  return self->id;
}

const char *
td_calendar_get_name (TdCalendar *self)
{
  g_return_val_if_fail (TD_IS_CALENDAR (self), NULL);

  return self->name;
}

const char *
td_calendar_get_time_zone (TdCalendar *self)
{
  g_return_val_if_fail (TD_IS_CALENDAR (self), NULL);

  return self->time_zone_id;
}

gboolean
td_calendar_is_always (TdCalendar *self)
{
  g_return_val_if_fail (TD_IS_CALENDAR (self), FALSE);

  return self->always;
}

gint64
td_calendar_get_business_day (TdCalendar *self)
{
  g_return_val_if_fail (TD_IS_CALENDAR (self), 0);

  return self->business_day;
}

gboolean
td_calendar_is_holiday (TdCalendar *self, int year, int month, int day)
{
  gint64 days;

  g_return_val_if_fail (TD_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (valid_date (year, month, day), FALSE);

  days = days_from_date (year, month, day);

  return g_hash_table_contains (self->holidays, GINT_TO_POINTER ((int) days));
}

/**
 * td_calendar_has_open_hours:
 * @self: a #TdCalendar
 *
 * Returns: %TRUE if the calendar is always open or has at least one window
 *   (holidays are not considered)
 */
gboolean
td_calendar_has_open_hours (TdCalendar *self)
{
  g_return_val_if_fail (TD_IS_CALENDAR (self), FALSE);

  if (self->always)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (self->windows); i++)
    {
      if (self->windows[i]->len > 0)
        return TRUE;
    }

  return FALSE;
}

static inline gint64
floor_div (gint64 a, gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;

  return q;
}

/* Windows of a local date, or NULL when the date is a holiday. */
static GArray *
windows_for_local_day (TdCalendar *self, gint64 local_day)
{
  /* 1970-01-01 was a Thursday; Monday is 0 here. */
  gint64 weekday = local_day + 3 - floor_div (local_day + 3, 7) * 7;

  g_assert (weekday >= 0 && weekday < 7);

  if (g_hash_table_contains (self->holidays, GINT_TO_POINTER ((int) local_day)))
    return NULL;

  return self->windows[weekday];
}

gboolean
td_calendar_is_working (TdCalendar *self, TdInstant instant)
{
  GArray *windows;
  gint64  local;
  gint64  local_day;
  gint64  second_of_day;
  int     interval;

  g_return_val_if_fail (TD_IS_CALENDAR (self), FALSE);

  if (self->always)
    return TRUE;

  if (instant < INSTANT_MIN || instant > INSTANT_MAX)
    return FALSE;

  interval = g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL, instant);
  local = instant + g_time_zone_get_offset (self->time_zone, interval);
  local_day = floor_div (local, SECONDS_PER_DAY);
  second_of_day = local - local_day * SECONDS_PER_DAY;

  windows = windows_for_local_day (self, local_day);
  if (windows == NULL)
    return FALSE;

  for (guint i = 0; i < windows->len; i++)
    {
      const Window *w = &g_array_index (windows, Window, i);

      if (second_of_day >= w->start_minute * 60 && second_of_day < w->end_minute * 60)
        return TRUE;
    }

  return FALSE;
}

static void
append_interval (GArray *out, TdInstant start, TdInstant end)
{
  TdInterval *last;
  TdInterval  interval = { start, end };

  g_assert (out != NULL);

  if (start >= end)
    return;

  last = out->len > 0 ? &g_array_index (out, TdInterval, out->len - 1) : NULL;

  g_assert (last == NULL || last->end <= start);

  if (last != NULL && last->end == start)
    last->end = end;
  else
    g_array_append_val (out, interval);
}

/* Appends the open intervals inside [from, to), all with the same UTC
 * offset. The local clock is monotonic there, so walking local dates then
 * their (sorted) windows yields the intervals in order. */
static void
collect_constant_offset (TdCalendar *self, TdInstant from, TdInstant to, gint64 offset, GArray *out)
{
  gint64 first_day = floor_div (from + offset, SECONDS_PER_DAY);
  gint64 last_day = floor_div (to - 1 + offset, SECONDS_PER_DAY);

  g_assert (from < to);

  for (gint64 day = first_day; day <= last_day; day++)
    {
      GArray *windows = windows_for_local_day (self, day);
      gint64  midnight = day * SECONDS_PER_DAY - offset;

      if (windows == NULL)
        continue;

      for (guint i = 0; i < windows->len; i++)
        {
          const Window *w = &g_array_index (windows, Window, i);
          TdInstant     start = midnight + w->start_minute * 60;
          TdInstant     end = midnight + w->end_minute * 60;

          append_interval (out, MAX (start, from), MIN (end, to));
        }
    }
}

/* Replaces @out with the open intervals inside [from, to), sorted and with
 * touching intervals merged. */
static void
collect_open (TdCalendar *self, TdInstant from, TdInstant to, GArray *out)
{
  g_assert (TD_IS_CALENDAR (self));
  g_assert (!self->always);
  g_assert (from < to);

  g_array_set_size (out, 0);

  while (from < to)
    {
      int       interval = g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL, from);
      TdInstant piece_end = to;

      /* Interval indexes grow with time, so a different index at the end
       * means a transition in between: bisect to find its exact second. */
      if (g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL, to - 1) != interval)
        {
          TdInstant same = from;
          TdInstant different = to - 1;

          while (different - same > 1)
            {
              TdInstant mid = same + (different - same) / 2;

              if (g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL, mid)
                  == interval)
                same = mid;
              else
                different = mid;
            }

          piece_end = different;
        }

      collect_constant_offset (self, from, piece_end,
                               g_time_zone_get_offset (self->time_zone, interval), out);
      from = piece_end;
    }
}

static int
compare_intervals (gconstpointer a, gconstpointer b)
{
  const TdInterval *ia = a;
  const TdInterval *ib = b;

  if (ia->start != ib->start)
    return ia->start < ib->start ? -1 : 1;
  if (ia->end != ib->end)
    return ia->end < ib->end ? -1 : 1;
  return 0;
}

/* Pauses sorted by start with overlapping and touching ones merged, and
 * empty or inverted ones dropped, so a single forward cursor can walk them. */
static GArray *
normalize_pauses (const TdInterval *pauses, guint n_pauses)
{
  g_autoptr (GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (TdInterval), n_pauses);
  GArray *merged = g_array_sized_new (FALSE, FALSE, sizeof (TdInterval), n_pauses);

  g_assert (pauses != NULL || n_pauses == 0);

  for (guint i = 0; i < n_pauses; i++)
    {
      if (pauses[i].start < pauses[i].end)
        g_array_append_val (sorted, pauses[i]);
    }

  g_array_sort (sorted, compare_intervals);

  for (guint i = 0; i < sorted->len; i++)
    {
      const TdInterval *p = &g_array_index (sorted, TdInterval, i);
      TdInterval       *last
          = merged->len > 0 ? &g_array_index (merged, TdInterval, merged->len - 1) : NULL;

      if (last != NULL && p->start <= last->end)
        last->end = MAX (last->end, p->end);
      else
        g_array_append_val (merged, *p);
    }

  return merged;
}

/* A forward-only view of the normalized pauses. Callers query it with
 * instants that never go backwards, which keeps walking many intervals
 * linear in the number of pauses. */
typedef struct
{
  GArray *pauses;
  guint   next;
} PauseCursor;

/* Forgets the pauses that end at or before @at. */
static void
pause_cursor_advance (PauseCursor *cursor, TdInstant at)
{
  GArray *pauses = cursor->pauses;

  while (cursor->next < pauses->len && g_array_index (pauses, TdInterval, cursor->next).end <= at)
    cursor->next++;
}

/* Returns @at, or the end of the pause covering it. The covering pause is
 * not forgotten yet: the next open interval may start before it ends. */
static TdInstant
pause_cursor_skip (PauseCursor *cursor, TdInstant at)
{
  GArray *pauses = cursor->pauses;

  pause_cursor_advance (cursor, at);

  if (cursor->next < pauses->len && g_array_index (pauses, TdInterval, cursor->next).start <= at)
    return g_array_index (pauses, TdInterval, cursor->next).end;

  return at;
}

/* The end of the unpaused stretch starting at @start (an instant
 * pause_cursor_skip() returned), capped at @end. */
static TdInstant
pause_cursor_next_stop (PauseCursor *cursor, TdInstant start, TdInstant end)
{
  GArray *pauses = cursor->pauses;

  pause_cursor_advance (cursor, start);

  if (cursor->next < pauses->len)
    {
      const TdInterval *p = &g_array_index (pauses, TdInterval, cursor->next);

      /* Merged pauses never touch, so the one after a skipped pause starts
       * strictly later. */
      g_assert (p->start > start);

      if (p->start < end)
        return p->start;
    }

  return end;
}

/* Spends working seconds of the open interval [start, end) outside the
 * pauses. Returns TRUE with @result set when @remaining runs out inside. */
static gboolean
spend (PauseCursor *cursor, TdInstant start, TdInstant end, gint64 *remaining, TdInstant *result)
{
  g_assert (*remaining > 0);

  for (;;)
    {
      TdInstant stop;

      start = pause_cursor_skip (cursor, start);
      if (start >= end)
        return FALSE;

      stop = pause_cursor_next_stop (cursor, start, end);

      /* "<=" so that 8h from 09:00 ends at 17:00 the same day rather than
       * at 09:00 the next one. */
      if (*remaining <= stop - start)
        {
          *result = start + *remaining;
          return TRUE;
        }

      *remaining -= stop - start;
      start = stop;
    }
}

/* Working seconds of the open interval [start, end) outside the pauses. */
static gint64
measure (PauseCursor *cursor, TdInstant start, TdInstant end)
{
  gint64 total = 0;

  for (;;)
    {
      TdInstant stop;

      start = pause_cursor_skip (cursor, start);
      if (start >= end)
        return total;

      stop = pause_cursor_next_stop (cursor, start, end);
      total += stop - start;
      start = stop;
    }
}

/**
 * td_calendar_add:
 * @self: a #TdCalendar
 * @start: the instant the clock starts
 * @duration: how much working time to add
 * @pauses: (array length=n_pauses) (nullable): intervals during which the
 *   clock is stopped; they may overlap and need not be sorted
 * @n_pauses: the number of @pauses
 *
 * Finds the instant at which @duration of working time has elapsed from
 * @start, counting only open hours outside @pauses. A business day is
 * td_calendar_get_business_day() seconds of working time. If @start is not
 * working time the clock starts at the next opening. When the budget runs
 * out exactly at a closing time, that closing time is returned.
 *
 * A zero @duration returns @start as is, even outside open hours: "due
 * immediately" means now, not at the next opening.
 *
 * Returns: the deadline, or %TD_INSTANT_NEVER if the calendar has no open
 *   hours for ten years in a row (for instance because it has no windows),
 *   or the deadline would be past the year 9999
 */
TdInstant
td_calendar_add (TdCalendar       *self,
                 TdInstant         start,
                 const TdDuration *duration,
                 const TdInterval *pauses,
                 guint             n_pauses)
{
  g_autoptr (GArray) normalized = NULL;
  g_autoptr (GArray) open = NULL;
  PauseCursor cursor;
  TdInstant   chunk;
  TdInstant   last_open;
  TdInstant   result;
  gint64      remaining;

  g_return_val_if_fail (TD_IS_CALENDAR (self), TD_INSTANT_NEVER);
  g_return_val_if_fail (duration != NULL, TD_INSTANT_NEVER);
  g_return_val_if_fail (duration->seconds >= 0, TD_INSTANT_NEVER);
  g_return_val_if_fail (duration->business_days >= 0, TD_INSTANT_NEVER);
  g_return_val_if_fail (pauses != NULL || n_pauses == 0, TD_INSTANT_NEVER);

  if (duration->business_days > 0
      && self->business_day > (G_MAXINT64 - duration->seconds) / duration->business_days)
    return TD_INSTANT_NEVER;

  remaining = duration->seconds + duration->business_days * self->business_day;

  if (remaining == 0)
    return start;

  /* Also catches a TD_INSTANT_NEVER fed back in from an earlier call. */
  if (start > INSTANT_MAX || !td_calendar_has_open_hours (self))
    return TD_INSTANT_NEVER;

  start = MAX (start, INSTANT_MIN);

  normalized = normalize_pauses (pauses, n_pauses);
  cursor.pauses = normalized;
  cursor.next = 0;

  if (self->always)
    {
      if (spend (&cursor, start, INSTANT_MAX + 1, &remaining, &result))
        return result;
      return TD_INSTANT_NEVER;
    }

  open = g_array_new (FALSE, FALSE, sizeof (TdInterval));
  chunk = start;
  last_open = start;

  for (;;)
    {
      TdInstant chunk_end;
      TdInstant resumed = pause_cursor_skip (&cursor, chunk);

      /* Jump over a long pause in one go rather than scanning it a day at
       * a time (a ticket on hold "until further notice" may have a pause
       * ending at TD_INSTANT_NEVER). */
      if (resumed != chunk)
        chunk = last_open = resumed;

      if (chunk > INSTANT_MAX)
        return TD_INSTANT_NEVER;

      chunk_end = MIN (chunk + CHUNK_SECONDS, INSTANT_MAX + 1);
      collect_open (self, chunk, chunk_end, open);

      for (guint i = 0; i < open->len; i++)
        {
          const TdInterval *interval = &g_array_index (open, TdInterval, i);

          if (spend (&cursor, interval->start, interval->end, &remaining, &result))
            return result;
        }

      if (open->len > 0)
        last_open = chunk_end;
      else if (chunk_end - last_open >= GIVE_UP_SECONDS)
        return TD_INSTANT_NEVER;

      chunk = chunk_end;
    }
}

/**
 * td_calendar_working_between:
 * @self: a #TdCalendar
 * @from: the start of the span
 * @to: the end of the span (excluded)
 * @pauses: (array length=n_pauses) (nullable): intervals not to count;
 *   they may overlap and need not be sorted
 * @n_pauses: the number of @pauses
 *
 * Counts the working seconds in [@from, @to) outside @pauses. This is the
 * inverse of td_calendar_add(): for a non-zero duration d,
 * working_between (start, add (start, d)) is d in seconds.
 *
 * Returns: working seconds, 0 if @to is not after @from
 */
gint64
td_calendar_working_between (TdCalendar       *self,
                             TdInstant         from,
                             TdInstant         to,
                             const TdInterval *pauses,
                             guint             n_pauses)
{
  g_autoptr (GArray) normalized = NULL;
  g_autoptr (GArray) open = NULL;
  PauseCursor cursor;
  TdInstant   chunk;
  gint64      total = 0;

  g_return_val_if_fail (TD_IS_CALENDAR (self), 0);
  g_return_val_if_fail (pauses != NULL || n_pauses == 0, 0);

  from = MAX (from, INSTANT_MIN);
  to = MIN (to, INSTANT_MAX + 1);

  if (to <= from || !td_calendar_has_open_hours (self))
    return 0;

  normalized = normalize_pauses (pauses, n_pauses);
  cursor.pauses = normalized;
  cursor.next = 0;

  if (self->always)
    return measure (&cursor, from, to);

  open = g_array_new (FALSE, FALSE, sizeof (TdInterval));
  chunk = from;

  for (;;)
    {
      TdInstant chunk_end;

      chunk = pause_cursor_skip (&cursor, chunk);
      if (chunk >= to)
        return total;

      chunk_end = MIN (chunk + CHUNK_SECONDS, to);
      collect_open (self, chunk, chunk_end, open);

      for (guint i = 0; i < open->len; i++)
        {
          const TdInterval *interval = &g_array_index (open, TdInterval, i);

          total += measure (&cursor, interval->start, interval->end);
        }

      chunk = chunk_end;
    }
}
