/* td-window.c — the main window
 *
 * Until the queue and the other pages land, the window shows the support
 * model the desktop runs on, read from the loaded policy: a lead can check
 * tiers, SLA targets and escalation limits at a glance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-window.h"

struct _TdWindow
{
  AdwApplicationWindow parent_instance;

  GtkStack        *content_stack;
  GtkBox          *model_box;
  AdwStatusPage   *error_page;
  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (TdWindow, td_window, ADW_TYPE_APPLICATION_WINDOW)

/* A fact from the policy: what it is, then its value underneath, so long
 * values wrap across the whole row instead of a narrow column. */
static GtkWidget *
info_row (const char *title, const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  /* Rows take markup, and policy text such as "< 15 minutes" is not. */
  g_autofree char *title_markup = g_markup_escape_text (title, -1);
  g_autofree char *value_markup = g_markup_escape_text (value, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_markup);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value_markup);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* "15 min", "4 hours" as the policy words it, and the calendar it runs on. */
static char *
describe_target (const TdTarget *target)
{
  if (!target->has_clock)
    return g_strdup (target->label);
  return g_strdup_printf ("%s · %s", target->label, td_calendar_get_name (target->calendar));
}

static GtkWidget *
tier_group (const TdTier *tier)
{
  GtkWidget       *group = adw_preferences_group_new ();
  g_autofree char *description = g_strdup_printf ("%s · %s", tier->team, tier->hours);
  g_autofree char *response = describe_target (&tier->response_target);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), tier->name);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_widget_set_name (group, "tier-group");

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             info_row (_ ("Response target"), response));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             info_row (_ ("Primary contact"), tier->primary_contact));

  for (guint i = 0; i < tier->issue_types->len; i++)
    {
      const TdIssueType *issue_type = g_ptr_array_index (tier->issue_types, i);
      g_autofree char   *resolution = describe_target (&issue_type->resolution);
      g_autofree char   *value
          = g_strdup_printf (_ ("%s · escalate if: %s"), resolution, issue_type->escalate_if);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), info_row (issue_type->name, value));
    }
  return group;
}

static GtkWidget *
severity_group (TdPolicy *policy)
{
  GtkWidget *group = adw_preferences_group_new ();
  GPtrArray *severities = td_policy_get_severities (policy);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Severity SLA Matrix"));
  for (guint i = 0; i < severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (severities, i);
      g_autofree char  *title = g_strdup_printf ("%s · %s", severity->id, severity->name);
      g_autofree char  *value = g_strdup_printf (_ ("Response %s · Resolution %s · Updates %s"),
                                                 severity->response.label,
                                                 severity->resolution.label, severity->update.label);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), info_row (title, value));
    }
  return group;
}

static GtkWidget *
time_limit_group (TdPolicy *policy)
{
  GtkWidget *group = adw_preferences_group_new ();
  GPtrArray *limits = td_policy_get_time_limits (policy);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   _ ("Maximum Time Before Escalation"));
  for (guint i = 0; i < limits->len; i++)
    {
      const TdTimeLimit *limit = g_ptr_array_index (limits, i);
      g_autofree char   *max = td_duration_to_string (&limit->max);
      g_autofree char   *title
          = limit->severity != NULL
                ? g_strdup_printf (_ ("Tier %d (%s)"), limit->tier, limit->severity)
                : g_strdup_printf (_ ("Tier %d"), limit->tier);
      g_autofree char *value = g_strdup_printf ("%s · %s", max, limit->condition);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), info_row (title, value));
    }
  return group;
}

static void
td_window_show_policy (TdWindow *self, TdPolicy *policy)
{
  const TdPolicyDocument *document = td_policy_get_document (policy);
  GPtrArray              *tiers = td_policy_get_tiers (policy);
  g_autofree char        *subtitle
      = g_strdup_printf (_ ("%s · version %s"), document->id, document->version);

  adw_window_title_set_subtitle (self->window_title, subtitle);

  for (guint i = 0; i < tiers->len; i++)
    gtk_box_append (self->model_box, tier_group (g_ptr_array_index (tiers, i)));
  gtk_box_append (self->model_box, severity_group (policy));
  gtk_box_append (self->model_box, time_limit_group (policy));

  gtk_stack_set_visible_child_name (self->content_stack, "model");
}

static void
td_window_dispose (GObject *object)
{
  TdWindow *self = (TdWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (td_window_parent_class)->dispose (object);
}

static void
td_window_class_init (TdWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tierdesk/Tierdesk/ui/td-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, model_box);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, toast_overlay);
}

static void
td_window_init (TdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Window size is remembered the GNOME way: bound to GSettings. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

TdWindow *
td_window_new (TdApplication *application)
{
  TdWindow *self;
  TdPolicy *policy;

  g_return_val_if_fail (TD_IS_APPLICATION (application), NULL);

  self = g_object_new (TD_TYPE_WINDOW, "application", application, NULL);

  /* A broken policy file is shown with every reason, never a blank window. */
  policy = td_application_get_policy (application);
  if (policy != NULL)
    td_window_show_policy (self, policy);
  else if (td_application_get_policy_error (application) != NULL)
    {
      const GError    *error = td_application_get_policy_error (application);
      g_autofree char *markup = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, markup);
    }
  return self;
}
