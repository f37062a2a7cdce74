/* td-metrics-page.c — the Metrics page: each tier's figures against its targets [10.1, 10.2]
 *
 * The cache is read on a worker thread (TdMetricsSource), again whenever a
 * pull brings tickets or their history; the figures are computed from that
 * copy whenever the period or the team changes, so the choosers answer at
 * once. Each figure is a card: its value, its target, whether it is met
 * (in words and with an icon, not colour alone) and its weekly trend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "td-follow-ups.h"
#include "td-format.h"
#include "td-metrics-page.h"
#include "td-metrics-source.h"
#include "td-time.h"
#include "td-trend-chart.h"

#define RELOAD_DELAY_MS 500
#define DAY             ((gint64) 24 * 3600)

struct _TdMetricsPage
{
  GtkWidget parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkDropDown     *period_dropdown;
  GtkDropDown     *team_dropdown;
  GtkStringList   *team_list;
  GtkLabel        *period_label;
  GtkStack        *stack;
  AdwStatusPage   *empty_page;
  GtkFlowBox      *tier_box;
  GtkFlowBox      *quality_box;
  GtkListBox      *pir_follow_ups_list;

  TdSession       *session;
  TdPolicy        *policy;
  gulong           rows_changed_id;
  guint            reload_id;
  guint            minute_id; /* while shown: a review may fall overdue */
  GCancellable    *cancellable;
  GCancellable    *compute_cancellable;
  TdMetricsSource *source;
  /* Team drop-down position → tier (0: every team). */
  GArray    *team_tiers;
  GArray    *results;
  GPtrArray *weeks;
  TdInstant  from;
  TdInstant  to;
  guint      generation;
  /* The cache changed while the page was hidden. */
  gboolean stale;
};

G_DEFINE_FINAL_TYPE (TdMetricsPage, td_metrics_page, GTK_TYPE_WIDGET)

static TdInstant
server_now (TdMetricsPage *self)
{
  TdSyncEngine *engine = self->session != NULL ? td_session_get_engine (self->session) : NULL;

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

static void
toast (TdMetricsPage *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Texts */

static char *
format_amount (TdMetricUnit unit, double value)
{
  switch (unit)
    {
      case TD_METRIC_UNIT_DURATION:
        return td_format_span ((gint64) round (value));
      case TD_METRIC_UNIT_PERCENT:
        /* TRANSLATORS: a percentage with one decimal, such as "97.5 %" */
        return g_strdup_printf (_ ("%.1f %%"), value);
      case TD_METRIC_UNIT_COUNT:
      default:
        return g_strdup_printf ("%.0f", value);
    }
}

static gboolean
has_value (const TdMetricResult *result)
{
  return result->samples > 0 && result->verdict != TD_METRIC_NOT_MEASURED;
}

static char *
format_value (const TdMetricResult *result)
{
  /* TRANSLATORS: shown in place of a figure when there is nothing to measure */
  return has_value (result) ? format_amount (result->unit, result->value) : g_strdup (_ ("—"));
}

static char *
format_target (const TdMetricResult *result)
{
  g_autofree char *amount = format_amount (result->unit, result->target);

  switch (result->comparison)
    {
      case TD_COMPARE_BELOW:
        return g_strdup_printf (_ ("Target: under %s"), amount);
      case TD_COMPARE_ABOVE:
        return g_strdup_printf (_ ("Target: over %s"), amount);
      case TD_COMPARE_AT_MOST:
        if (result->target == 0)
          return g_strdup (_ ("Target: none"));
        return g_strdup_printf (_ ("Target: at most %s"), amount);
      case TD_COMPARE_AT_LEAST:
      default:
        return g_strdup_printf (_ ("Target: %s"), amount);
    }
}

static const char *
format_verdict (TdMetricVerdict verdict)
{
  switch (verdict)
    {
      case TD_METRIC_PASS:
        return _ ("Meets Target");
      case TD_METRIC_FAIL:
        return _ ("Misses Target");
      case TD_METRIC_NO_DATA:
        return _ ("No Data in This Period");
      case TD_METRIC_NOT_MEASURED:
      default:
        return _ ("Not Measured Yet");
    }
}

/* What was counted, so a figure can be trusted or questioned. */
static char *
format_samples (const TdMetricResult *result)
{
  guint n = result->samples;
  guint k = result->hits;

  if (result->measure == TD_MEASURE_PIR_COMPLETION && result->verdict == TD_METRIC_NOT_MEASURED)
    return g_strdup (_ ("Post-incident reviews are not recorded in Tierdesk yet"));
  if (n == 0 && result->measure == TD_MEASURE_CHANGE_SUCCESS)
    return g_strdup (_ ("No changes performed in this period"));
  if (n == 0 && result->measure != TD_MEASURE_NONE)
    return g_strdup (_ ("Nothing to measure in this period"));

  switch (result->measure)
    {
      case TD_MEASURE_RESPONSE:
        return g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "Mean of %u response", "Mean of %u responses", n), n);
      case TD_MEASURE_RESOLUTION_TIME:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Mean of %u resolved ticket",
                                             "Mean of %u resolved tickets", n),
                                n);
      case TD_MEASURE_FIRST_CONTACT_RESOLUTION:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u new ticket solved at once",
                                             "%u of %u new tickets solved at once", n),
                                k, n);
      case TD_MEASURE_ESCALATION_ACCURACY:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u escalation kept",
                                             "%u of %u escalations kept", n),
                                k, n);
      case TD_MEASURE_RESOLUTION_RATE:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u ticket resolved here",
                                             "%u of %u tickets resolved here", n),
                                k, n);
      case TD_MEASURE_CHANGE_SUCCESS:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u change succeeded",
                                             "%u of %u changes succeeded", n),
                                k, n);
      case TD_MEASURE_DOCUMENTATION:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u ticket complete",
                                             "%u of %u tickets complete", n),
                                k, n);
      case TD_MEASURE_PING_PONG:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In %u ticket", "In %u tickets", n),
                                n);
      case TD_MEASURE_PIR_COMPLETION:
        return g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%u of %u review held", "%u of %u reviews held", n), k,
            n);
      case TD_MEASURE_KNOWLEDGE_UPDATES:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u of %u new issue documented in time",
                                             "%u of %u new issues documented in time", n),
                                k, n);
      case TD_MEASURE_NONE:
      default:
        return g_strdup (_ ("The support model names no measure"));
    }
}

static char *
format_day (TdInstant instant)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = g_date_time_to_local (utc);

  /* TRANSLATORS: a day in the period and trend labels; see strftime */
  return g_date_time_format (local, _ ("%-d %b %Y"));
}

/* Cards */

static const char *
subtitle_for (TdMetricsPage *self, const TdMetricResult *result)
{
  if (result->tier > 0)
    {
      const TdTier *tier = td_policy_get_tier (self->policy, result->tier);
      return tier != NULL ? tier->name : NULL;
    }
  for (guint i = 0; i < td_policy_get_quality_standards (self->policy)->len; i++)
    {
      const TdQualityStandard *standard
          = g_ptr_array_index (td_policy_get_quality_standards (self->policy), i);
      if (g_strcmp0 (standard->id, result->id) == 0)
        return standard->requirement;
    }
  return NULL;
}

static GtkWidget *
add_label (GtkWidget *box, const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Wrapped text asks for its whole length as natural width, which would
   * leave the flow box room for fewer cards per line. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static GtkWidget *
make_chart (TdMetricsPage *self, const TdMetricResult *result)
{
  GtkWidget *chart = td_trend_chart_new ();
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) passed = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr (GString) description = g_string_new (_ ("Weekly trend:"));

  for (guint i = 0; self->weeks != NULL && i < self->weeks->len; i++)
    {
      const TdMetricsWeek  *week = g_ptr_array_index (self->weeks, i);
      const TdMetricResult *weekly = td_metrics_find (week->results, result->id);
      double                value = weekly != NULL && has_value (weekly) ? weekly->value : NAN;
      gboolean              met = weekly != NULL && weekly->verdict == TD_METRIC_PASS;
      g_autofree char      *day = format_day (week->start);
      g_autofree char      *shown = weekly != NULL ? format_value (weekly) : g_strdup (_ ("—"));

      g_array_append_val (values, value);
      g_array_append_val (passed, met);
      /* TRANSLATORS: one week of a trend read aloud: "week of 2 Nov 2026: 9 min, meets target" */
      g_string_append_printf (description, _ (" week of %s: %s, %s;"), day, shown,
                              weekly != NULL ? format_verdict (weekly->verdict) : "");
    }
  td_trend_chart_set_points (TD_TREND_CHART (chart), (const double *) values->data,
                             (const gboolean *) passed->data, values->len, result->target,
                             description->str);
  gtk_widget_set_margin_top (chart, 6);
  return chart;
}

/* A chart of nothing but its target line says nothing. */
static gboolean
has_weekly_values (TdMetricsPage *self, const TdMetricResult *result)
{
  for (guint i = 0; self->weeks != NULL && self->weeks->len > 1 && i < self->weeks->len; i++)
    {
      const TdMetricsWeek  *week = g_ptr_array_index (self->weeks, i);
      const TdMetricResult *weekly = td_metrics_find (week->results, result->id);

      if (weekly != NULL && has_value (weekly))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
make_card (TdMetricsPage *self, const TdMetricResult *result)
{
  GtkWidget       *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget       *verdict_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget       *icon;
  GtkWidget       *label;
  const char      *subtitle = subtitle_for (self, result);
  g_autofree char *value = format_value (result);
  g_autofree char *target = format_target (result);
  g_autofree char *samples = format_samples (result);
  g_autofree char *accessible = NULL;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "metric-card");
  gtk_widget_set_name (card, result->id);

  add_label (card, result->name, "heading");
  if (subtitle != NULL)
    add_label (card, subtitle, "dim-label");
  label = add_label (card, value, "title-1");
  gtk_widget_set_name (label, "value");
  gtk_widget_set_margin_top (label, 6);

  switch (result->verdict)
    {
      case TD_METRIC_PASS:
        icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
        gtk_widget_add_css_class (verdict_box, "success");
        break;
      case TD_METRIC_FAIL:
        icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
        gtk_widget_add_css_class (verdict_box, "error");
        break;
      default:
        icon = gtk_image_new_from_icon_name ("content-loading-symbolic");
        gtk_widget_add_css_class (verdict_box, "dim-label");
        break;
    }
  gtk_box_append (GTK_BOX (verdict_box), icon);
  label = add_label (verdict_box, format_verdict (result->verdict), "heading");
  gtk_widget_set_name (label, "verdict");
  gtk_box_append (GTK_BOX (card), verdict_box);

  label = add_label (card, target, NULL);
  gtk_widget_set_name (label, "target");
  label = add_label (card, samples, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_name (label, "samples");

  if (has_weekly_values (self, result))
    {
      gtk_box_append (GTK_BOX (card), make_chart (self, result));
      add_label (card, _ ("Weekly; dashed line is the target, rings are misses"), "dim-label");
      gtk_widget_add_css_class (gtk_widget_get_last_child (card), "caption");
    }

  /* One sentence for a screen reader that does not walk into the card. */
  accessible = g_strdup_printf ("%s%s%s: %s. %s. %s. %s.", result->name,
                                subtitle != NULL ? ", " : "", subtitle != NULL ? subtitle : "",
                                value, format_verdict (result->verdict), target, samples);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return card;
}

static void
clear_box (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_flow_box_remove (box, child);
}

/* Figures */

static void
period_bounds (TdMetricsPage *self, TdInstant now, TdInstant *from, TdInstant *to)
{
  switch ((TdMetricsPeriod) gtk_drop_down_get_selected (self->period_dropdown))
    {
      case TD_METRICS_PERIOD_7_DAYS:
        *from = now - 7 * DAY;
        break;
      case TD_METRICS_PERIOD_90_DAYS:
        *from = now - 90 * DAY;
        break;
      case TD_METRICS_PERIOD_QUARTER:
        {
          g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now);
          g_autoptr (GDateTime) local = g_date_time_to_local (utc);
          int month = (g_date_time_get_month (local) - 1) / 3 * 3 + 1;
          g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
          g_autoptr (GDateTime) start
              = g_date_time_new (zone, g_date_time_get_year (local), month, 1, 0, 0, 0);

          *from = g_date_time_to_unix (start);
        }
        break;
      case TD_METRICS_PERIOD_30_DAYS:
      default:
        *from = now - 30 * DAY;
        break;
    }
  *to = now + 1;
}

static int
selected_tier (TdMetricsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->team_dropdown);

  return selected < self->team_tiers->len ? g_array_index (self->team_tiers, int, selected) : 0;
}

/* What one computation needs and gives: the source and the policy are
 * immutable, so a worker thread may read them while the page goes on. */
typedef struct
{
  TdMetricsSource *source;
  TdPolicy        *policy;
  TdInstant        from;
  TdInstant        to;
  int              tier;
  GArray          *results;
  GPtrArray       *weeks;
} Computation;

static void
computation_free (gpointer data)
{
  Computation *computation = data;

  g_clear_object (&computation->source);
  g_clear_object (&computation->policy);
  g_clear_pointer (&computation->results, g_array_unref);
  g_clear_pointer (&computation->weeks, g_ptr_array_unref);
  g_free (computation);
}

static void
compute_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Computation          *computation = task_data;
  const TdMetricsInput *input = td_metrics_source_get_input (computation->source);
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();

  computation->results = td_metrics_compute (computation->policy, input, computation->from,
                                             computation->to, computation->tier);
  computation->weeks = td_metrics_weekly (computation->policy, input, computation->from,
                                          computation->to, computation->tier, zone);
  g_task_return_boolean (task, TRUE);
}

static void
show_results (TdMetricsPage *self)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *period = NULL;

  clear_box (self->tier_box);
  clear_box (self->quality_box);
  for (guint i = 0; i < self->results->len; i++)
    {
      const TdMetricResult *result = &g_array_index (self->results, TdMetricResult, i);

      gtk_flow_box_append (result->tier > 0 ? self->tier_box : self->quality_box,
                           make_card (self, result));
    }

  first = format_day (self->from);
  last = format_day (self->to - 1);
  /* TRANSLATORS: the period shown, "1 Oct 2026 – 27 Nov 2026 · 12 weeks" */
  period = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%s – %s · %u week", "%s – %s · %u weeks", self->weeks->len),
      first, last, self->weeks->len);
  gtk_label_set_text (self->period_label, period);
  gtk_stack_set_visible_child_name (self->stack, "metrics");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "metrics.export-csv", TRUE);
  self->generation++;
}

static void
on_computed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  TdMetricsPage *self;
  Computation   *computation;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return; /* cancelled: a newer computation is on its way */
  self = TD_METRICS_PAGE (object);
  computation = g_task_get_task_data (G_TASK (result));
  g_clear_pointer (&self->results, g_array_unref);
  g_clear_pointer (&self->weeks, g_ptr_array_unref);
  self->results = g_steal_pointer (&computation->results);
  self->weeks = g_steal_pointer (&computation->weeks);
  self->from = computation->from;
  self->to = computation->to;
  show_results (self);
}

static void
recompute (TdMetricsPage *self)
{
  g_autoptr (GTask) task = NULL;
  Computation *computation;

  g_cancellable_cancel (self->compute_cancellable);
  g_clear_object (&self->compute_cancellable);

  if (self->source == NULL || self->policy == NULL)
    {
      g_clear_pointer (&self->results, g_array_unref);
      g_clear_pointer (&self->weeks, g_ptr_array_unref);
      clear_box (self->tier_box);
      clear_box (self->quality_box);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_label_set_text (self->period_label, "");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "metrics.export-csv", FALSE);
      return;
    }

  computation = g_new0 (Computation, 1);
  computation->source = g_object_ref (self->source);
  computation->policy = g_object_ref (self->policy);
  computation->tier = selected_tier (self);
  period_bounds (self, server_now (self), &computation->from, &computation->to);

  self->compute_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->compute_cancellable, on_computed, NULL);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, computation, computation_free);
  g_task_run_in_thread (task, compute_thread);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  TdCache         *cache = task_data;
  TdPolicy        *policy = g_object_get_data (G_OBJECT (task), "policy");
  GError          *error = NULL;
  TdMetricsSource *source = td_metrics_source_load (td_cache_get_path (cache), policy, &error);

  if (source == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, source, g_object_unref);
}

static void
on_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  TdMetricsSource *source = g_task_propagate_pointer (G_TASK (result), &error);
  TdMetricsPage   *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TD_METRICS_PAGE (object);
  if (source == NULL)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Could not read the tickets: %s"), error->message);
      toast (self, text);
      return;
    }
  g_clear_object (&self->source);
  self->source = source;
  recompute (self);
}

/* Post-incident reviews to follow up: the queue's follow-ups list
 * (td_pir_list_follow_ups), read from the cache's few pir rows on the
 * main thread; independent of the period, as an overdue review is. */
static void
show_pir_follow_ups (TdMetricsPage *self)
{
  TdCache   *cache = self->session != NULL ? td_session_get_cache (self->session) : NULL;
  TdInstant  now = server_now (self);
  GtkWidget *child;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) reviews = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pir_follow_ups_list))) != NULL)
    gtk_list_box_remove (self->pir_follow_ups_list, child);
  if (cache == NULL)
    return;
  rows = td_cache_list (cache, "pir", NULL, NULL, "due_at");
  reviews = td_pir_list_follow_ups (rows, now);
  for (guint i = 0; i < reviews->len; i++)
    gtk_list_box_append (self->pir_follow_ups_list,
                         td_follow_ups_review_row_new (cache, g_ptr_array_index (reviews, i), now));
}

static void
on_pir_follow_up_activated (TdMetricsPage *self, GtkListBoxRow *row)
{
  td_follow_ups_open_review (GTK_WIDGET (self), self->session, row);
}

static void
reload (TdMetricsPage *self)
{
  TdCache *cache = self->session != NULL ? td_session_get_cache (self->session) : NULL;
  g_autoptr (GTask) task = NULL;

  /* Reading every ticket's history is work nobody waits for while the page
   * is hidden (and it would compete with the page in front): it is done
   * when the page is shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) && cache != NULL)
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  show_pir_follow_ups (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (cache == NULL || self->policy == NULL)
    {
      g_clear_object (&self->source);
      recompute (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_loaded, NULL);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, g_object_ref (cache), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "policy", g_object_ref (self->policy), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

static gboolean
reload_timeout (gpointer data)
{
  TdMetricsPage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_rows_changed (TdMetricsPage *self, const char *entity, GStrv ids)
{
  /* What TdMetricsSource reads: a review held changes PIR completion, a
   * change's outcome the Change Success Rate. */
  if (g_strcmp0 (entity, "ticket") != 0 && g_strcmp0 (entity, "ticket_event") != 0
      && g_strcmp0 (entity, "pir") != 0 && g_strcmp0 (entity, "change_record") != 0)
    return;
  /* A pull brings rows in pages: read once they have settled. */
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout, self);
}

static void
fill_teams (TdMetricsPage *self)
{
  GPtrArray *metrics = self->policy != NULL ? td_policy_get_metrics (self->policy) : NULL;
  int        all = 0;

  g_array_set_size (self->team_tiers, 0);
  gtk_string_list_splice (self->team_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->team_list)), NULL);
  gtk_string_list_append (self->team_list, _ ("All Teams"));
  g_array_append_val (self->team_tiers, all);

  /* The tiers that have targets, in the policy's order. */
  for (guint i = 0; metrics != NULL && i < metrics->len; i++)
    {
      const TdMetricTarget *metric = g_ptr_array_index (metrics, i);
      const TdTier         *tier = td_policy_get_tier (self->policy, metric->tier);
      gboolean              seen = FALSE;

      for (guint j = 0; j < self->team_tiers->len; j++)
        seen |= g_array_index (self->team_tiers, int, j) == metric->tier;
      if (seen || tier == NULL)
        continue;
      g_array_append_val (self->team_tiers, metric->tier);
      /* The tier's name already says its team ("Tier 2 – Application Support"). */
      gtk_string_list_append (self->team_list, tier->name);
    }
}

/* Actions */

static void
on_export_response (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  TdMetricsPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr (GError) error = NULL;

      if (td_metrics_page_write_csv (self, file, &error))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *text = g_strdup_printf (_ ("Saved %s"), name);
          toast (self, text);
        }
      else
        toast (self, error->message);
    }
  g_object_unref (self);
  g_object_unref (chooser);
}

static void
export_csv_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdMetricsPage        *self = TD_METRICS_PAGE (widget);
  GtkFileChooserNative *chooser;
  GtkFileFilter        *filter;
  g_autoptr (GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("tierdesk-metrics-%s.csv", date);

  if (self->results == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_ ("Export Metrics"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _ ("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GtkWidget */

/* A review falls overdue with no row changing: the list is read again
 * each minute while the page is shown, as the queue's follow-ups are. */
static gboolean
minute_tick (gpointer data)
{
  show_pir_follow_ups (TD_METRICS_PAGE (data));
  return G_SOURCE_CONTINUE;
}

static void
td_metrics_page_map (GtkWidget *widget)
{
  TdMetricsPage *self = TD_METRICS_PAGE (widget);

  GTK_WIDGET_CLASS (td_metrics_page_parent_class)->map (widget);
  if (self->minute_id == 0)
    self->minute_id = g_timeout_add_seconds (60, minute_tick, self);
  if (self->stale)
    reload (self);
}

static void
td_metrics_page_unmap (GtkWidget *widget)
{
  TdMetricsPage *self = TD_METRICS_PAGE (widget);

  g_clear_handle_id (&self->minute_id, g_source_remove);
  GTK_WIDGET_CLASS (td_metrics_page_parent_class)->unmap (widget);
}

/* GObject */

static void
td_metrics_page_dispose (GObject *object)
{
  TdMetricsPage *self = TD_METRICS_PAGE (object);
  GtkWidget     *child;

  td_metrics_page_set_session (self, NULL);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->minute_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->compute_cancellable);
  g_clear_object (&self->compute_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_METRICS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (td_metrics_page_parent_class)->dispose (object);
}

static void
td_metrics_page_finalize (GObject *object)
{
  TdMetricsPage *self = TD_METRICS_PAGE (object);

  g_clear_object (&self->source);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->team_tiers, g_array_unref);
  g_clear_pointer (&self->results, g_array_unref);
  g_clear_pointer (&self->weeks, g_ptr_array_unref);

  G_OBJECT_CLASS (td_metrics_page_parent_class)->finalize (object);
}

static void
td_metrics_page_class_init (TdMetricsPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_metrics_page_dispose;
  object_class->finalize = td_metrics_page_finalize;
  widget_class->map = td_metrics_page_map;
  widget_class->unmap = td_metrics_page_unmap;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-metrics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, team_list);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, tier_box);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, quality_box);
  gtk_widget_class_bind_template_child (widget_class, TdMetricsPage, pir_follow_ups_list);
  gtk_widget_class_bind_template_callback (widget_class, on_pir_follow_up_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "metrics.export-csv", NULL, export_csv_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "metrics.export-csv", NULL);
}

static void
td_metrics_page_init (TdMetricsPage *self)
{
  self->team_tiers = g_array_new (FALSE, FALSE, sizeof (int));
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->period_dropdown, "notify::selected", G_CALLBACK (recompute),
                            self);
  g_signal_connect_swapped (self->team_dropdown, "notify::selected", G_CALLBACK (recompute), self);
  {
    GtkWidget *placeholder = gtk_label_new (_ ("No review is overdue or has open actions"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_widget_set_margin_top (placeholder, 12);
    gtk_widget_set_margin_bottom (placeholder, 12);
    gtk_list_box_set_placeholder (self->pir_follow_ups_list, placeholder);
  }
  fill_teams (self);
  recompute (self);
}

/* Public API */

void
td_metrics_page_set_session (TdMetricsPage *self, TdSession *session)
{
  g_return_if_fail (TD_IS_METRICS_PAGE (self));

  if (self->session == session)
    return;
  if (self->session != NULL && self->rows_changed_id != 0
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_set_object (&self->session, session);
  g_clear_object (&self->source);

  if (session != NULL && td_session_get_policy (session) != self->policy)
    {
      g_set_object (&self->policy, td_session_get_policy (session));
      fill_teams (self);
    }
  if (session != NULL && td_session_get_engine (session) != NULL)
    self->rows_changed_id
        = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                   G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  reload (self);
}

GArray *
td_metrics_page_get_results (TdMetricsPage *self)
{
  g_return_val_if_fail (TD_IS_METRICS_PAGE (self), NULL);

  return self->results;
}

void
td_metrics_page_get_period (TdMetricsPage *self, TdInstant *from, TdInstant *to)
{
  g_return_if_fail (TD_IS_METRICS_PAGE (self));

  *from = self->from;
  *to = self->to;
}

guint
td_metrics_page_get_generation (TdMetricsPage *self)
{
  g_return_val_if_fail (TD_IS_METRICS_PAGE (self), 0);

  return self->generation;
}

gboolean
td_metrics_page_write_csv (TdMetricsPage *self, GFile *file, GError **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (TD_IS_METRICS_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->results == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _ ("There are no figures to export yet"));
      return FALSE;
    }
  csv = td_metrics_to_csv (self->results, self->from, self->to, self->weeks);
  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}
