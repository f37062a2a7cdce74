/* td-policy.c — the support model as data: loading, validation and look-ups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "td-json-guard.h"
#include "td-json-reader.h"
#include "td-policy.h"
#include "td-time.h"

struct _TdPolicy
{
  GObject parent_instance;

  char            *json;
  int              schema_version;
  TdPolicyDocument document;
  double           at_risk_fraction;
  char            *contact_card_title;

  GPtrArray *calendars;
  GPtrArray *roles;
  GPtrArray *tiers;
  GPtrArray *severities;
  GPtrArray *ticket_fields;
  GPtrArray *impacts;
  GPtrArray *urgencies;
  GPtrArray *triage_rules;
  GPtrArray *escalation_paths;
  GPtrArray *time_limits;
  GPtrArray *flow_outcomes;
  GPtrArray *checklists;
  GPtrArray *shift_handoff;
  GPtrArray *rota_templates;
  GPtrArray *tools;
  GPtrArray *change_kinds;
  GPtrArray *permissions;
  GPtrArray *access_provisioning;
  GPtrArray *corrections;
  GPtrArray *metrics;
  GPtrArray *quality_standards;
  GPtrArray *training;
  int        onboarding_due_days;
  int        training_due_soon_days;
  GPtrArray *contact_card;
};

G_DEFINE_FINAL_TYPE (TdPolicy, td_policy, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (td-policy-error-quark, td_policy_error)
/* clang-format on */

/* A reference from one part of the file to another, checked once the whole
 * file is read, because tiers name roles and roles name tiers. */
typedef enum
{
  REF_TIER,
  REF_ROLE,
  REF_SEVERITY,
  REF_CHECKLIST,
  REF_TOOL,
} RefKind;

typedef struct
{
  RefKind kind;
  int     number;
  char   *value;
  char   *path;
} Ref;

typedef struct
{
  TdJsonReader *reader;
  TdPolicy     *policy;
  GPtrArray    *refs;
} Loader;

/* Structure destructors */

static void
policy_item_free (gpointer data)
{
  TdPolicyItem *item = data;

  g_free (item->id);
  g_free (item->name);
  g_free (item->description);
  g_free (item);
}

static void
target_clear (TdTarget *target)
{
  g_clear_object (&target->calendar);
  g_clear_pointer (&target->label, g_free);
}

static void
issue_type_free (gpointer data)
{
  TdIssueType *issue_type = data;

  g_free (issue_type->id);
  g_free (issue_type->name);
  g_free (issue_type->escalate_if);
  target_clear (&issue_type->resolution);
  g_free (issue_type);
}

static void
team_slot_free (gpointer data)
{
  TdTeamSlot *slot = data;

  g_free (slot->role);
  g_free (slot->name);
  g_free (slot->contact);
  g_free (slot->note_kind);
  g_free (slot->note);
  g_free (slot);
}

static void
sub_team_free (gpointer data)
{
  TdSubTeam *sub_team = data;

  g_free (sub_team->id);
  g_free (sub_team->name);
  g_free (sub_team->focus);
  g_free (sub_team->lead);
  g_free (sub_team);
}

static void
engagement_free (gpointer data)
{
  TdEngagement *engagement = data;

  g_free (engagement->scenario);
  g_strfreev (engagement->roles);
  g_free (engagement->severity);
  g_free (engagement);
}

static void
tier_free (gpointer data)
{
  TdTier *tier = data;

  g_free (tier->name);
  g_free (tier->short_name);
  g_free (tier->team);
  g_free (tier->owner);
  g_free (tier->hours);
  g_free (tier->primary_contact);
  g_free (tier->authority);
  g_clear_object (&tier->calendar);
  g_strfreev (tier->focus);
  target_clear (&tier->response_target);
  g_clear_pointer (&tier->responsibilities, g_ptr_array_unref);
  g_strfreev (tier->in_scope);
  g_strfreev (tier->out_of_scope);
  g_clear_pointer (&tier->issue_types, g_ptr_array_unref);
  g_clear_pointer (&tier->team_structure, g_ptr_array_unref);
  g_clear_pointer (&tier->sub_teams, g_ptr_array_unref);
  g_clear_pointer (&tier->engagement, g_ptr_array_unref);
  g_free (tier);
}

static void
severity_free (gpointer data)
{
  TdSeverity *severity = data;

  g_free (severity->id);
  g_free (severity->name);
  target_clear (&severity->response);
  target_clear (&severity->resolution);
  target_clear (&severity->update);
  g_free (severity);
}

static void
ticket_field_free (gpointer data)
{
  TdTicketField *field = data;

  g_free (field->id);
  g_free (field->name);
  g_free (field->description);
  g_free (field);
}

static void
role_free (gpointer data)
{
  TdRole *role = data;

  g_free (role->id);
  g_free (role->name);
  g_free (role);
}

static void
triage_rule_free (gpointer data)
{
  TdTriageRule *rule = data;

  g_free (rule->impact);
  g_free (rule->urgency);
  g_free (rule->priority);
  g_free (rule->severity);
  g_free (rule);
}

static void
escalation_path_free (gpointer data)
{
  TdEscalationPath *path = data;

  g_free (path->id);
  g_strfreev (path->criteria);
  g_strfreev (path->severities);
  g_strfreev (path->reasons);
  g_free (path->checklist);
  g_free (path->label);
  g_free (path);
}

static void
time_limit_free (gpointer data)
{
  TdTimeLimit *limit = data;

  g_free (limit->severity);
  g_clear_object (&limit->calendar);
  g_free (limit->condition);
  g_free (limit);
}

static void
flow_outcomes_free (gpointer data)
{
  TdFlowOutcomes *outcomes = data;

  g_strfreev (outcomes->outcomes);
  g_free (outcomes);
}

static void
checklist_item_free (gpointer data)
{
  TdChecklistItem *item = data;

  g_free (item->id);
  g_free (item->name);
  g_free (item);
}

static void
checklist_free (gpointer data)
{
  TdChecklist *checklist = data;

  g_free (checklist->id);
  g_free (checklist->name);
  g_free (checklist->trigger);
  g_clear_pointer (&checklist->items, g_ptr_array_unref);
  g_free (checklist);
}

static void
rota_slot_free (gpointer data)
{
  TdRotaSlot *slot = data;

  g_free (slot->position);
  g_free (slot->name);
  g_free (slot->contact);
  g_free (slot);
}

static void
rota_template_free (gpointer data)
{
  TdRotaTemplate *rota = data;

  g_free (rota->id);
  g_free (rota->name);
  g_clear_pointer (&rota->positions, g_ptr_array_unref);
  g_clear_pointer (&rota->slots, g_ptr_array_unref);
  g_free (rota);
}

static void
change_kind_free (gpointer data)
{
  TdChangeKind *kind = data;

  g_free (kind->id);
  g_free (kind->name);
  g_free (kind);
}

static void
tool_free (gpointer data)
{
  TdTool *tool = data;

  g_free (tool->id);
  g_free (tool->name);
  g_free (tool->purpose);
  g_clear_pointer (&tool->access, g_ptr_array_unref);
  g_free (tool);
}

static void
permission_free (gpointer data)
{
  TdPermission *permission = data;

  g_free (permission->action);
  g_free (permission->description);
  g_strfreev (permission->roles);
  g_free (permission);
}

static void
access_provisioning_free (gpointer data)
{
  TdAccessProvisioning *provisioning = data;

  g_free (provisioning->request);
  g_strfreev (provisioning->grants);
  g_free (provisioning->approver);
  g_free (provisioning);
}

static void
correction_rule_free (gpointer data)
{
  TdCorrectionRule *rule = data;

  g_free (rule->id);
  g_free (rule->name);
  g_strfreev (rule->authority_roles);
  g_strfreev (rule->approval_roles);
  g_free (rule->approval_label);
  g_free (rule);
}

static void
metric_target_free (gpointer data)
{
  TdMetricTarget *metric = data;

  g_free (metric->id);
  g_free (metric->name);
  g_free (metric->severity);
  g_free (metric);
}

static void
quality_standard_free (gpointer data)
{
  TdQualityStandard *standard = data;

  g_free (standard->id);
  g_free (standard->name);
  g_free (standard->requirement);
  g_strfreev (standard->severities);
  g_free (standard);
}

static void
training_topic_free (gpointer data)
{
  TdTrainingTopic *topic = data;

  g_free (topic->id);
  g_free (topic->topic);
  g_free (topic);
}

static void
contact_entry_free (gpointer data)
{
  TdContactEntry *entry = data;

  g_free (entry->label);
  g_free (entry->value);
  g_free (entry);
}

static void
contact_section_free (gpointer data)
{
  TdContactSection *section = data;

  g_free (section->id);
  g_free (section->name);
  g_clear_pointer (&section->entries, g_ptr_array_unref);
  g_free (section);
}

static void
ref_free (gpointer data)
{
  Ref *ref = data;

  g_free (ref->value);
  g_free (ref->path);
  g_free (ref);
}

/* Loader helpers */

static char *
member_path (const char *path, const char *member)
{
  return td_json_path_member (path, member);
}

static void
want (Loader *loader, RefKind kind, const char *path, int number, const char *value)
{
  Ref *ref = g_new0 (Ref, 1);

  ref->kind = kind;
  ref->number = number;
  ref->value = g_strdup (value);
  ref->path = g_strdup (path);
  g_ptr_array_add (loader->refs, ref);
}

static void
want_strv (Loader *loader, RefKind kind, const char *path, const char *member, char *const *values)
{
  g_autofree char *array_path = member_path (path, member);

  if (values == NULL)
    return;
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *element_path = td_json_path_index (array_path, i);
      want (loader, kind, element_path, 0, values[i]);
    }
}

/* Remembers an id and reports a second use of it within one collection. */
static void
check_unique (Loader     *loader,
              GHashTable *seen,
              const char *path,
              const char *member,
              const char *id)
{
  g_autofree char *id_path = member_path (path, member);
  const char      *first;

  if (id == NULL)
    return;
  first = g_hash_table_lookup (seen, id);
  if (first != NULL)
    td_json_reader_error (loader->reader, id_path, "duplicate id \"%s\" (first used at %s)", id,
                          first);
  else
    g_hash_table_insert (seen, g_strdup (id), g_steal_pointer (&id_path));
}

static GHashTable *
seen_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static char *
get_string (Loader     *loader,
            JsonObject *object,
            const char *path,
            const char *member,
            gboolean    required)
{
  return td_json_reader_get_string (loader->reader, object, path, member, required);
}

/* An optional string defaults to "": empty slots are how the seed's [TBD]
 * placeholders are kept, for a form to fill in later. */
static char *
get_text (Loader *loader, JsonObject *object, const char *path, const char *member)
{
  char *value = get_string (loader, object, path, member, FALSE);

  return value != NULL ? value : g_strdup ("");
}

static char **
get_strv (Loader     *loader,
          JsonObject *object,
          const char *path,
          const char *member,
          gboolean    required)
{
  char **value = td_json_reader_get_strv (loader->reader, object, path, member, required);

  return value != NULL ? value : g_new0 (char *, 1);
}

static void
check_members (Loader *loader, JsonObject *object, const char *path, const char *const *allowed)
{
  td_json_reader_check_members (loader->reader, object, path, allowed);
}

static int
get_tier_ref (Loader     *loader,
              JsonObject *object,
              const char *path,
              const char *member,
              gboolean    required)
{
  gint64           level = 0;
  g_autofree char *ref_path = member_path (path, member);

  if (!td_json_reader_get_int (loader->reader, object, path, member, required, 0, &level))
    return 0;
  if (json_object_has_member (object, member))
    want (loader, REF_TIER, ref_path, (int) level, NULL);
  return (int) level;
}

static TdCalendar *
get_calendar_ref (Loader     *loader,
                  JsonObject *object,
                  const char *path,
                  const char *member,
                  gboolean    required)
{
  g_autofree char *id = get_string (loader, object, path, member, required);
  TdCalendar      *calendar;

  if (id == NULL)
    return NULL;
  calendar = td_policy_get_calendar (loader->policy, id);
  if (calendar == NULL)
    {
      g_autofree char *ref_path = member_path (path, member);
      td_json_reader_error (loader->reader, ref_path,
                            "unknown calendar \"%s\" (not defined in $.calendars)", id);
      return NULL;
    }
  return g_object_ref (calendar);
}

static void
read_target (Loader     *loader,
             JsonObject *parent,
             const char *parent_path,
             const char *member,
             TdTarget   *target)
{
  static const char *const allowed[] = { "duration", "calendar", "label", NULL };
  g_autofree char         *path = member_path (parent_path, member);
  JsonObject              *object;

  object = td_json_reader_get_object (loader->reader, parent, parent_path, member, TRUE);
  if (object == NULL)
    return;

  check_members (loader, object, path, allowed);
  target->label = get_text (loader, object, path, "label");
  target->has_clock = json_object_has_member (object, "duration");
  if (target->has_clock)
    {
      td_json_reader_get_duration (loader->reader, object, path, "duration", TRUE,
                                   &target->duration);
      target->calendar = get_calendar_ref (loader, object, path, "calendar", TRUE);
    }
  else if (json_object_has_member (object, "calendar"))
    {
      g_autofree char *calendar_path = member_path (path, "calendar");
      td_json_reader_error (loader->reader, calendar_path,
                            "a calendar is only meaningful with a duration");
    }
}

/* Iterates over the objects of an array member, with each element's path. */
typedef void (*ElementFunc) (Loader     *loader,
                             JsonObject *object,
                             const char *path,
                             guint       index,
                             gpointer    user_data);

static void
for_each_object (Loader     *loader,
                 JsonObject *parent,
                 const char *parent_path,
                 const char *member,
                 gboolean    required,
                 ElementFunc func,
                 gpointer    user_data)
{
  g_autofree char *array_path = member_path (parent_path, member);
  JsonArray       *array;
  guint            n;

  array = td_json_reader_get_array (loader->reader, parent, parent_path, member, required);
  if (array == NULL)
    return;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *element_path = td_json_path_index (array_path, i);
      JsonObject *object = td_json_reader_element_object (loader->reader, array, array_path, i);

      if (object != NULL)
        func (loader, object, element_path, i, user_data);
    }
}

/* Document */

static void
read_document (Loader *loader, JsonObject *root)
{
  static const char *const allowed[]
      = { "id",     "title",          "system",  "version", "last_updated",
          "status", "classification", "summary", "history", NULL };
  TdPolicyDocument *document = &loader->policy->document;
  JsonObject       *object;

  object = td_json_reader_get_object (loader->reader, root, "$", "document", TRUE);
  if (object == NULL)
    return;

  check_members (loader, object, "$.document", allowed);
  document->id = get_string (loader, object, "$.document", "id", TRUE);
  document->title = get_string (loader, object, "$.document", "title", TRUE);
  document->system = get_text (loader, object, "$.document", "system");
  document->version = get_string (loader, object, "$.document", "version", TRUE);
  document->last_updated = get_text (loader, object, "$.document", "last_updated");
  document->status = get_text (loader, object, "$.document", "status");
  document->classification = get_text (loader, object, "$.document", "classification");
  document->summary = get_text (loader, object, "$.document", "summary");

  if (document->last_updated[0] != '\0' && !td_time_parse_date (document->last_updated, NULL))
    td_json_reader_error (loader->reader, "$.document.last_updated",
                          "cannot parse date \"%s\" (expected YYYY-MM-DD)", document->last_updated);
}

/* Calendars */

static const char *const weekday_names[]
    = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

static void
read_window (Loader *loader, JsonObject *object, const char *path, guint index, gpointer user_data)
{
  static const char *const allowed[] = { "days", "start", "end", NULL };
  TdCalendar              *calendar = user_data;
  g_autofree char         *start = get_string (loader, object, path, "start", TRUE);
  g_autofree char         *end = get_string (loader, object, path, "end", TRUE);
  g_auto (GStrv) days = get_strv (loader, object, path, "days", TRUE);
  g_autofree char *days_path = member_path (path, "days");
  int              start_minute = -1;
  int              end_minute = -1;

  check_members (loader, object, path, allowed);

  if (start != NULL && !td_time_parse_clock (start, &start_minute))
    {
      g_autofree char *start_path = member_path (path, "start");
      td_json_reader_error (loader->reader, start_path, "cannot parse time \"%s\" (expected HH:MM)",
                            start);
    }
  if (end != NULL && !td_time_parse_clock (end, &end_minute))
    {
      g_autofree char *end_path = member_path (path, "end");
      td_json_reader_error (loader->reader, end_path, "cannot parse time \"%s\" (expected HH:MM)",
                            end);
    }
  if (start_minute >= 0 && end_minute >= 0 && end_minute <= start_minute)
    td_json_reader_error (loader->reader, path, "the window ends (%s) before it starts (%s)", end,
                          start);

  if (g_strv_length (days) == 0 && json_object_has_member (object, "days"))
    td_json_reader_error (loader->reader, days_path, "needs at least one weekday");

  for (guint i = 0; days[i] != NULL; i++)
    {
      int weekday = -1;

      for (guint d = 0; weekday_names[d] != NULL; d++)
        if (g_str_equal (days[i], weekday_names[d]))
          weekday = d + 1;

      if (weekday < 0)
        {
          g_autofree char *day_path = td_json_path_index (days_path, i);
          td_json_reader_error (loader->reader, day_path,
                                "unknown weekday \"%s\" (expected mon, tue, wed, thu, fri, "
                                "sat or sun)",
                                days[i]);
        }
      else if (calendar != NULL && start_minute >= 0 && end_minute > start_minute)
        td_calendar_add_window (calendar, (GDateWeekday) weekday, start_minute, end_minute);
    }
}

static void
read_holiday (Loader *loader, JsonObject *object, const char *path, guint index, gpointer user_data)
{
  static const char *const allowed[] = { "date", "name", NULL };
  TdCalendar              *calendar = user_data;
  g_autofree char         *date = get_string (loader, object, path, "date", TRUE);
  g_autofree char         *name = get_text (loader, object, path, "name");
  GDate                    parsed;

  check_members (loader, object, path, allowed);
  if (date == NULL)
    return;

  if (!td_time_parse_date (date, &parsed))
    {
      g_autofree char *date_path = member_path (path, "date");
      td_json_reader_error (loader->reader, date_path,
                            "cannot parse date \"%s\" (expected YYYY-MM-DD)", date);
      return;
    }
  if (calendar != NULL)
    td_calendar_add_holiday (calendar, g_date_get_year (&parsed), g_date_get_month (&parsed),
                             g_date_get_day (&parsed));
}

static void
read_calendar (Loader     *loader,
               JsonObject *object,
               const char *path,
               guint       index,
               gpointer    user_data)
{
  static const char *const allowed[]
      = { "id", "name", "kind", "time_zone", "business_day", "week", "holidays", NULL };
  GHashTable      *seen = user_data;
  g_autofree char *id = get_string (loader, object, path, "id", TRUE);
  g_autofree char *name = get_text (loader, object, path, "name");
  g_autofree char *kind = get_string (loader, object, path, "kind", TRUE);
  g_autoptr (TdCalendar) calendar = NULL;

  check_members (loader, object, path, allowed);
  check_unique (loader, seen, path, "id", id);

  if (kind == NULL)
    return;

  if (g_str_equal (kind, "always"))
    {
      static const char *const business_only[]
          = { "time_zone", "business_day", "week", "holidays", NULL };
      for (guint i = 0; business_only[i] != NULL; i++)
        if (json_object_has_member (object, business_only[i]))
          {
            g_autofree char *extra_path = member_path (path, business_only[i]);
            td_json_reader_error (loader->reader, extra_path,
                                  "only a calendar of kind \"business\" has this member");
          }
      calendar = td_calendar_new_always (id != NULL ? id : "", name);
    }
  else if (g_str_equal (kind, "business"))
    {
      g_autofree char *time_zone = get_string (loader, object, path, "time_zone", TRUE);
      g_autoptr (GError) error = NULL;
      TdDuration business_day = { 8 * 3600, 0 };
      guint      n_errors;
      gboolean   week_ok;

      if (time_zone != NULL)
        {
          calendar = td_calendar_new_business (id != NULL ? id : "", name, time_zone, &error);
          if (calendar == NULL)
            {
              g_autofree char *zone_path = member_path (path, "time_zone");
              td_json_reader_error (loader->reader, zone_path,
                                    "unknown time zone \"%s\" (expected an IANA name such as "
                                    "\"Europe/London\")",
                                    time_zone);
              /* Carry on in UTC so that the targets naming this calendar
               * are not reported as well: one mistake, one message. */
              calendar = td_calendar_new_business (id != NULL ? id : "", name, "UTC", NULL);
            }
        }

      if (json_object_has_member (object, "business_day")
          && td_json_reader_get_duration (loader->reader, object, path, "business_day", TRUE,
                                          &business_day))
        {
          if (business_day.business_days != 0 || business_day.seconds <= 0)
            {
              g_autofree char *day_path = member_path (path, "business_day");
              td_json_reader_error (loader->reader, day_path,
                                    "a business day must be a positive number of hours");
            }
          else if (calendar != NULL)
            td_calendar_set_business_day (calendar, business_day.seconds);
        }

      n_errors = td_json_reader_get_n_errors (loader->reader);
      for_each_object (loader, object, path, "week", TRUE, read_window, calendar);
      week_ok = td_json_reader_get_n_errors (loader->reader) == n_errors;
      for_each_object (loader, object, path, "holidays", FALSE, read_holiday, calendar);

      /* Said only when the windows themselves were fine: one mistake, one message. */
      if (calendar != NULL && week_ok && !td_calendar_has_open_hours (calendar)
          && json_object_has_member (object, "week"))
        {
          g_autofree char *week_path = member_path (path, "week");
          td_json_reader_error (loader->reader, week_path,
                                "a business calendar needs at least one open window");
        }
    }
  else
    {
      g_autofree char *kind_path = member_path (path, "kind");
      td_json_reader_error (loader->reader, kind_path,
                            "unknown calendar kind \"%s\" (expected \"always\" or \"business\")",
                            kind);
    }

  if (calendar != NULL && id != NULL)
    g_ptr_array_add (loader->policy->calendars, g_steal_pointer (&calendar));
}

/* Roles */

static void
read_role (Loader *loader, JsonObject *object, const char *path, guint index, gpointer user_data)
{
  static const char *const allowed[] = { "id", "name", "tier", "manages_tier", NULL };
  GHashTable              *seen = user_data;
  TdRole                  *role = g_new0 (TdRole, 1);

  check_members (loader, object, path, allowed);
  role->id = get_string (loader, object, path, "id", TRUE);
  role->name = get_string (loader, object, path, "name", TRUE);
  role->tier = get_tier_ref (loader, object, path, "tier", FALSE);
  role->manages_tier = get_tier_ref (loader, object, path, "manages_tier", FALSE);
  check_unique (loader, seen, path, "id", role->id);

  if (role->id == NULL)
    {
      role_free (role);
      return;
    }
  g_ptr_array_add (loader->policy->roles, role);
}

/* Severities */

static void
read_severity (Loader     *loader,
               JsonObject *object,
               const char *path,
               guint       index,
               gpointer    user_data)
{
  static const char *const allowed[]
      = { "id", "level", "name", "response", "resolution", "update", "pir_required", NULL };
  GHashTable *seen = user_data;
  TdSeverity *severity = g_new0 (TdSeverity, 1);
  gint64      level = 0;

  check_members (loader, object, path, allowed);
  severity->id = get_string (loader, object, path, "id", TRUE);
  severity->name = get_text (loader, object, path, "name");
  if (td_json_reader_get_int (loader->reader, object, path, "level", TRUE, 0, &level) && level < 1)
    {
      g_autofree char *level_path = member_path (path, "level");
      td_json_reader_error (loader->reader, level_path,
                            "severity level must be 1 or more, not %" G_GINT64_FORMAT, level);
    }
  severity->level = (int) level;
  read_target (loader, object, path, "response", &severity->response);
  read_target (loader, object, path, "resolution", &severity->resolution);
  read_target (loader, object, path, "update", &severity->update);
  td_json_reader_get_bool (loader->reader, object, path, "pir_required", FALSE, FALSE,
                           &severity->pir_required);
  check_unique (loader, seen, path, "id", severity->id);

  if (severity->id == NULL)
    {
      severity_free (severity);
      return;
    }
  g_ptr_array_add (loader->policy->severities, severity);
}

/* Tiers */

static void
read_responsibility (Loader     *loader,
                     JsonObject *object,
                     const char *path,
                     guint       index,
                     gpointer    user_data)
{
  static const char *const allowed[] = { "name", "description", NULL };
  GPtrArray               *items = user_data;
  TdPolicyItem            *item = g_new0 (TdPolicyItem, 1);

  check_members (loader, object, path, allowed);
  item->id = g_strdup_printf ("%u", index + 1);
  item->name = get_text (loader, object, path, "name");
  item->description = get_text (loader, object, path, "description");
  g_ptr_array_add (items, item);
}

typedef struct
{
  TdTier     *tier;
  GHashTable *seen;
} TierContext;

static void
read_issue_type (Loader     *loader,
                 JsonObject *object,
                 const char *path,
                 guint       index,
                 gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "resolution", "escalate_if", NULL };
  TierContext             *context = user_data;
  TdIssueType             *issue_type = g_new0 (TdIssueType, 1);

  check_members (loader, object, path, allowed);
  issue_type->id = get_string (loader, object, path, "id", TRUE);
  issue_type->name = get_string (loader, object, path, "name", TRUE);
  issue_type->tier = context->tier->level;
  read_target (loader, object, path, "resolution", &issue_type->resolution);
  issue_type->escalate_if = get_text (loader, object, path, "escalate_if");
  check_unique (loader, context->seen, path, "id", issue_type->id);

  if (issue_type->id == NULL)
    {
      issue_type_free (issue_type);
      return;
    }
  g_ptr_array_add (context->tier->issue_types, issue_type);
}

static void
read_team_slot (Loader     *loader,
                JsonObject *object,
                const char *path,
                guint       index,
                gpointer    user_data)
{
  static const char *const allowed[]
      = { "role", "name", "contact", "shift", "responsibilities", "focus", "when", NULL };
  static const char *const note_kinds[] = { "shift", "responsibilities", "focus", "when", NULL };
  TdTier                  *tier = user_data;
  TdTeamSlot              *slot = g_new0 (TdTeamSlot, 1);
  g_autofree char         *role_path = member_path (path, "role");

  check_members (loader, object, path, allowed);
  slot->role = get_string (loader, object, path, "role", TRUE);
  slot->name = get_text (loader, object, path, "name");
  slot->contact = get_text (loader, object, path, "contact");
  for (guint i = 0; note_kinds[i] != NULL; i++)
    if (json_object_has_member (object, note_kinds[i]) && slot->note == NULL)
      {
        slot->note_kind = g_strdup (note_kinds[i]);
        slot->note = get_string (loader, object, path, note_kinds[i], TRUE);
      }
  if (slot->role != NULL)
    want (loader, REF_ROLE, role_path, 0, slot->role);
  g_ptr_array_add (tier->team_structure, slot);
}

static void
read_sub_team (Loader     *loader,
               JsonObject *object,
               const char *path,
               guint       index,
               gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "focus", "lead", NULL };
  TierContext             *context = user_data;
  TdSubTeam               *sub_team = g_new0 (TdSubTeam, 1);

  check_members (loader, object, path, allowed);
  sub_team->id = get_string (loader, object, path, "id", TRUE);
  sub_team->name = get_string (loader, object, path, "name", TRUE);
  sub_team->focus = get_text (loader, object, path, "focus");
  sub_team->lead = get_text (loader, object, path, "lead");
  check_unique (loader, context->seen, path, "id", sub_team->id);
  g_ptr_array_add (context->tier->sub_teams, sub_team);
}

static void
read_engagement (Loader     *loader,
                 JsonObject *object,
                 const char *path,
                 guint       index,
                 gpointer    user_data)
{
  static const char *const allowed[] = { "scenario", "roles", "severity", "after", NULL };
  TdTier                  *tier = user_data;
  TdEngagement            *engagement = g_new0 (TdEngagement, 1);

  check_members (loader, object, path, allowed);
  engagement->scenario = get_string (loader, object, path, "scenario", TRUE);
  engagement->roles = get_strv (loader, object, path, "roles", TRUE);
  want_strv (loader, REF_ROLE, path, "roles", engagement->roles);
  engagement->severity = get_string (loader, object, path, "severity", FALSE);
  if (engagement->severity != NULL)
    {
      g_autofree char *severity_path = member_path (path, "severity");
      want (loader, REF_SEVERITY, severity_path, 0, engagement->severity);
    }
  engagement->has_after = json_object_has_member (object, "after")
                          && td_json_reader_get_duration (loader->reader, object, path, "after",
                                                          TRUE, &engagement->after);
  g_ptr_array_add (tier->engagement, engagement);
}

static void
read_tier (Loader *loader, JsonObject *object, const char *path, guint index, gpointer user_data)
{
  static const char *const allowed[] = { "level",
                                         "name",
                                         "short_name",
                                         "team",
                                         "owner",
                                         "hours",
                                         "calendar",
                                         "primary_contact",
                                         "authority",
                                         "focus",
                                         "response_target",
                                         "responsibilities",
                                         "in_scope",
                                         "out_of_scope",
                                         "issue_types",
                                         "team_structure",
                                         "sub_teams",
                                         "engagement",
                                         NULL };
  GHashTable             **seen = user_data;
  TdTier                  *tier = g_new0 (TdTier, 1);
  gint64                   level = 0;
  g_autofree char         *level_path = member_path (path, "level");
  TierContext              issue_context = { tier, seen[1] };
  TierContext              sub_team_context = { tier, seen[2] };

  check_members (loader, object, path, allowed);

  tier->responsibilities = g_ptr_array_new_with_free_func (policy_item_free);
  tier->issue_types = g_ptr_array_new_with_free_func (issue_type_free);
  tier->team_structure = g_ptr_array_new_with_free_func (team_slot_free);
  tier->sub_teams = g_ptr_array_new_with_free_func (sub_team_free);
  tier->engagement = g_ptr_array_new_with_free_func (engagement_free);

  if (td_json_reader_get_int (loader->reader, object, path, "level", TRUE, 0, &level))
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, level);
      const char      *first = g_hash_table_lookup (seen[0], key);

      if (level < 1 || level > 9)
        td_json_reader_error (loader->reader, level_path,
                              "tier level must be between 1 and 9, not %" G_GINT64_FORMAT, level);
      else if (first != NULL)
        td_json_reader_error (loader->reader, level_path,
                              "duplicate tier %" G_GINT64_FORMAT " (first defined at %s)", level,
                              first);
      else
        g_hash_table_insert (seen[0], g_steal_pointer (&key), g_strdup (level_path));
    }
  tier->level = (int) level;
  tier->name = get_string (loader, object, path, "name", TRUE);
  tier->short_name = get_text (loader, object, path, "short_name");
  tier->team = get_text (loader, object, path, "team");
  tier->owner = get_text (loader, object, path, "owner");
  tier->hours = get_text (loader, object, path, "hours");
  tier->calendar = get_calendar_ref (loader, object, path, "calendar", TRUE);
  tier->primary_contact = get_text (loader, object, path, "primary_contact");
  tier->authority = get_text (loader, object, path, "authority");
  tier->focus = get_strv (loader, object, path, "focus", FALSE);
  read_target (loader, object, path, "response_target", &tier->response_target);
  for_each_object (loader, object, path, "responsibilities", FALSE, read_responsibility,
                   tier->responsibilities);
  tier->in_scope = get_strv (loader, object, path, "in_scope", FALSE);
  tier->out_of_scope = get_strv (loader, object, path, "out_of_scope", FALSE);
  for_each_object (loader, object, path, "issue_types", FALSE, read_issue_type, &issue_context);
  for_each_object (loader, object, path, "team_structure", FALSE, read_team_slot, tier);
  for_each_object (loader, object, path, "sub_teams", FALSE, read_sub_team, &sub_team_context);
  for_each_object (loader, object, path, "engagement", FALSE, read_engagement, tier);

  /* A tier missing a member is kept, so that whatever names it is not
   * reported too; only one without a usable level is dropped. */
  if (tier->name == NULL)
    tier->name = g_strdup ("");
  if (tier->level < 1 || tier->level > 9 || td_policy_get_tier (loader->policy, tier->level))
    {
      tier_free (tier);
      return;
    }
  g_ptr_array_add (loader->policy->tiers, tier);
}

/* Ticket fields and triage */

static void
read_ticket_field (Loader     *loader,
                   JsonObject *object,
                   const char *path,
                   guint       index,
                   gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "required", "description", NULL };
  GHashTable              *seen = user_data;
  TdTicketField           *field = g_new0 (TdTicketField, 1);

  check_members (loader, object, path, allowed);
  field->id = get_string (loader, object, path, "id", TRUE);
  field->name = get_string (loader, object, path, "name", TRUE);
  td_json_reader_get_bool (loader->reader, object, path, "required", TRUE, FALSE, &field->required);
  field->description = get_text (loader, object, path, "description");
  check_unique (loader, seen, path, "id", field->id);
  if (field->id == NULL)
    {
      ticket_field_free (field);
      return;
    }
  g_ptr_array_add (loader->policy->ticket_fields, field);
}

typedef struct
{
  GPtrArray  *items;
  GHashTable *seen;
} ItemContext;

static void
read_named_item (Loader     *loader,
                 JsonObject *object,
                 const char *path,
                 guint       index,
                 gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "description", NULL };
  ItemContext             *context = user_data;
  TdPolicyItem            *item = g_new0 (TdPolicyItem, 1);

  check_members (loader, object, path, allowed);
  item->id = get_string (loader, object, path, "id", TRUE);
  item->name = get_string (loader, object, path, "name", TRUE);
  item->description = get_text (loader, object, path, "description");
  check_unique (loader, context->seen, path, "id", item->id);
  if (item->id == NULL)
    {
      policy_item_free (item);
      return;
    }
  g_ptr_array_add (context->items, item);
}

static gboolean
items_contain (GPtrArray *items, const char *id)
{
  for (guint i = 0; i < items->len; i++)
    {
      const TdPolicyItem *item = g_ptr_array_index (items, i);
      if (g_strcmp0 (item->id, id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
read_triage_rule (Loader     *loader,
                  JsonObject *object,
                  const char *path,
                  guint       index,
                  gpointer    user_data)
{
  static const char *const allowed[] = { "impact", "urgency", "priority", "severity", NULL };
  GHashTable              *seen = user_data;
  TdPolicy                *policy = loader->policy;
  TdTriageRule            *rule = g_new0 (TdTriageRule, 1);

  check_members (loader, object, path, allowed);
  rule->impact = get_string (loader, object, path, "impact", TRUE);
  rule->urgency = get_string (loader, object, path, "urgency", TRUE);
  rule->priority = get_string (loader, object, path, "priority", TRUE);
  rule->severity = get_string (loader, object, path, "severity", TRUE);

  if (rule->impact != NULL && !items_contain (policy->impacts, rule->impact))
    {
      g_autofree char *impact_path = member_path (path, "impact");
      td_json_reader_error (loader->reader, impact_path,
                            "unknown impact \"%s\" (not defined in $.triage.impacts)",
                            rule->impact);
    }
  if (rule->urgency != NULL && !items_contain (policy->urgencies, rule->urgency))
    {
      g_autofree char *urgency_path = member_path (path, "urgency");
      td_json_reader_error (loader->reader, urgency_path,
                            "unknown urgency \"%s\" (not defined in $.triage.urgencies)",
                            rule->urgency);
    }
  if (rule->severity != NULL)
    {
      g_autofree char *severity_path = member_path (path, "severity");
      want (loader, REF_SEVERITY, severity_path, 0, rule->severity);
    }
  if (rule->impact != NULL && rule->urgency != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", rule->impact, rule->urgency);
      const char      *first = g_hash_table_lookup (seen, key);

      if (first != NULL)
        td_json_reader_error (loader->reader, path,
                              "duplicate entry for impact \"%s\" and urgency \"%s\" (first at %s)",
                              rule->impact, rule->urgency, first);
      else
        g_hash_table_insert (seen, g_steal_pointer (&key), g_strdup (path));
    }

  if (rule->impact == NULL || rule->urgency == NULL || rule->severity == NULL)
    {
      triage_rule_free (rule);
      return;
    }
  g_ptr_array_add (policy->triage_rules, rule);
}

static void
read_triage (Loader *loader, JsonObject *root)
{
  static const char *const allowed[] = { "impacts", "urgencies", "matrix", NULL };
  g_autoptr (GHashTable) seen_impacts = seen_new ();
  g_autoptr (GHashTable) seen_urgencies = seen_new ();
  g_autoptr (GHashTable) seen_cells = seen_new ();
  ItemContext impacts = { loader->policy->impacts, seen_impacts };
  ItemContext urgencies = { loader->policy->urgencies, seen_urgencies };
  JsonObject *object;

  object = td_json_reader_get_object (loader->reader, root, "$", "triage", TRUE);
  if (object == NULL)
    return;

  check_members (loader, object, "$.triage", allowed);
  for_each_object (loader, object, "$.triage", "impacts", TRUE, read_named_item, &impacts);
  for_each_object (loader, object, "$.triage", "urgencies", TRUE, read_named_item, &urgencies);
  for_each_object (loader, object, "$.triage", "matrix", TRUE, read_triage_rule, seen_cells);

  /* Every combination must give an answer, or triage could leave a ticket
   * without a severity and so without an SLA clock. */
  if (json_object_has_member (object, "matrix"))
    for (guint i = 0; i < loader->policy->impacts->len; i++)
      for (guint u = 0; u < loader->policy->urgencies->len; u++)
        {
          const TdPolicyItem *impact = g_ptr_array_index (loader->policy->impacts, i);
          const TdPolicyItem *urgency = g_ptr_array_index (loader->policy->urgencies, u);
          g_autofree char    *key = g_strdup_printf ("%s\x1f%s", impact->id, urgency->id);

          if (!g_hash_table_contains (seen_cells, key))
            td_json_reader_error (loader->reader, "$.triage.matrix",
                                  "no entry for impact \"%s\" and urgency \"%s\"", impact->id,
                                  urgency->id);
        }
}

/* Escalation */

static void
read_escalation_path (Loader     *loader,
                      JsonObject *object,
                      const char *path,
                      guint       index,
                      gpointer    user_data)
{
  static const char *const allowed[]
      = { "id", "from", "to", "criteria", "severities", "reasons", "checklist", "label", NULL };
  GHashTable       *seen = user_data;
  TdEscalationPath *escalation = g_new0 (TdEscalationPath, 1);
  g_autofree char  *from_path = member_path (path, "from");
  JsonNode         *from = json_object_get_member (object, "from");

  check_members (loader, object, path, allowed);
  escalation->id = get_string (loader, object, path, "id", TRUE);
  check_unique (loader, seen, path, "id", escalation->id);

  if (from == NULL)
    td_json_reader_error (loader->reader, path, "missing required member \"from\"");
  else if (JSON_NODE_HOLDS_VALUE (from) && json_node_get_value_type (from) == G_TYPE_STRING
           && g_str_equal (json_node_get_string (from), "any"))
    escalation->from = 0;
  else if (JSON_NODE_HOLDS_VALUE (from) && json_node_get_value_type (from) == G_TYPE_INT64)
    {
      escalation->from = (int) json_node_get_int (from);
      want (loader, REF_TIER, from_path, escalation->from, NULL);
    }
  else
    td_json_reader_error (loader->reader, from_path, "expected a tier number or \"any\", found %s",
                          td_json_node_describe (from));

  escalation->to = get_tier_ref (loader, object, path, "to", TRUE);
  if (escalation->from > 0 && escalation->to > 0 && escalation->to <= escalation->from)
    {
      g_autofree char *to_path = member_path (path, "to");
      td_json_reader_error (loader->reader, to_path,
                            "an escalation goes up: tier %d is not above tier %d", escalation->to,
                            escalation->from);
    }
  escalation->criteria = get_strv (loader, object, path, "criteria", TRUE);
  escalation->severities = get_strv (loader, object, path, "severities", FALSE);
  want_strv (loader, REF_SEVERITY, path, "severities", escalation->severities);
  escalation->reasons = get_strv (loader, object, path, "reasons", FALSE);
  escalation->checklist = get_string (loader, object, path, "checklist", FALSE);
  if (escalation->checklist != NULL)
    {
      g_autofree char *checklist_path = member_path (path, "checklist");
      want (loader, REF_CHECKLIST, checklist_path, 0, escalation->checklist);
    }
  escalation->label = get_text (loader, object, path, "label");

  if (escalation->id == NULL)
    {
      escalation_path_free (escalation);
      return;
    }
  g_ptr_array_add (loader->policy->escalation_paths, escalation);
}

static void
read_time_limit (Loader     *loader,
                 JsonObject *object,
                 const char *path,
                 guint       index,
                 gpointer    user_data)
{
  static const char *const allowed[] = { "tier", "severity", "max", "calendar", "condition", NULL };
  TdTimeLimit             *limit = g_new0 (TdTimeLimit, 1);

  check_members (loader, object, path, allowed);
  limit->tier = get_tier_ref (loader, object, path, "tier", TRUE);
  limit->severity = get_string (loader, object, path, "severity", FALSE);
  if (limit->severity != NULL)
    {
      g_autofree char *severity_path = member_path (path, "severity");
      want (loader, REF_SEVERITY, severity_path, 0, limit->severity);
    }
  td_json_reader_get_duration (loader->reader, object, path, "max", TRUE, &limit->max);
  limit->calendar = get_calendar_ref (loader, object, path, "calendar", TRUE);
  limit->condition = get_text (loader, object, path, "condition");
  if (limit->calendar == NULL)
    {
      time_limit_free (limit);
      return;
    }
  g_ptr_array_add (loader->policy->time_limits, limit);
}

static void
read_flow_outcomes (Loader     *loader,
                    JsonObject *object,
                    const char *path,
                    guint       index,
                    gpointer    user_data)
{
  static const char *const allowed[] = { "tier", "outcomes", NULL };
  TdFlowOutcomes          *outcomes = g_new0 (TdFlowOutcomes, 1);

  check_members (loader, object, path, allowed);
  outcomes->tier = get_tier_ref (loader, object, path, "tier", TRUE);
  outcomes->outcomes = get_strv (loader, object, path, "outcomes", TRUE);
  g_ptr_array_add (loader->policy->flow_outcomes, outcomes);
}

static void
read_escalation (Loader *loader, JsonObject *root)
{
  static const char *const allowed[] = { "paths", "time_limits", "outcomes", NULL };
  g_autoptr (GHashTable) seen = seen_new ();
  JsonObject *object;

  object = td_json_reader_get_object (loader->reader, root, "$", "escalation", TRUE);
  if (object == NULL)
    return;

  check_members (loader, object, "$.escalation", allowed);
  for_each_object (loader, object, "$.escalation", "paths", TRUE, read_escalation_path, seen);
  for_each_object (loader, object, "$.escalation", "time_limits", TRUE, read_time_limit, NULL);
  for_each_object (loader, object, "$.escalation", "outcomes", FALSE, read_flow_outcomes, NULL);
}

/* Handoffs */

static void
read_checklist_item (Loader     *loader,
                     JsonObject *object,
                     const char *path,
                     guint       index,
                     gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "required", NULL };
  ItemContext             *context = user_data;
  TdChecklistItem         *item = g_new0 (TdChecklistItem, 1);

  check_members (loader, object, path, allowed);
  item->id = get_string (loader, object, path, "id", TRUE);
  item->name = get_string (loader, object, path, "name", TRUE);
  td_json_reader_get_bool (loader->reader, object, path, "required", FALSE, TRUE, &item->required);
  check_unique (loader, context->seen, path, "id", item->id);
  if (item->id == NULL)
    {
      checklist_item_free (item);
      return;
    }
  g_ptr_array_add (context->items, item);
}

static void
read_checklist (Loader     *loader,
                JsonObject *object,
                const char *path,
                guint       index,
                gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "trigger", "items", NULL };
  GHashTable              *seen = user_data;
  TdChecklist             *checklist = g_new0 (TdChecklist, 1);
  g_autoptr (GHashTable) seen_items = seen_new ();
  ItemContext items;

  check_members (loader, object, path, allowed);
  checklist->id = get_string (loader, object, path, "id", TRUE);
  checklist->name = get_string (loader, object, path, "name", TRUE);
  checklist->trigger = get_text (loader, object, path, "trigger");
  checklist->items = g_ptr_array_new_with_free_func (checklist_item_free);
  items = (ItemContext){ checklist->items, seen_items };
  for_each_object (loader, object, path, "items", TRUE, read_checklist_item, &items);
  check_unique (loader, seen, path, "id", checklist->id);
  if (checklist->id == NULL)
    {
      checklist_free (checklist);
      return;
    }
  g_ptr_array_add (loader->policy->checklists, checklist);
}

static void
read_handoffs (Loader *loader, JsonObject *root)
{
  static const char *const allowed[] = { "checklists", "shift_handoff", NULL };
  g_autoptr (GHashTable) seen = seen_new ();
  g_autoptr (GHashTable) seen_shift = seen_new ();
  ItemContext shift = { loader->policy->shift_handoff, seen_shift };
  JsonObject *object;

  object = td_json_reader_get_object (loader->reader, root, "$", "handoffs", TRUE);
  if (object == NULL)
    return;

  check_members (loader, object, "$.handoffs", allowed);
  for_each_object (loader, object, "$.handoffs", "checklists", TRUE, read_checklist, seen);
  for_each_object (loader, object, "$.handoffs", "shift_handoff", TRUE, read_named_item, &shift);
}

/* On-call rotation templates */

typedef struct
{
  TdRotaTemplate *rota;
  const char     *path;
} RotaContext;

static void
read_rota_slot (Loader     *loader,
                JsonObject *object,
                const char *path,
                guint       index,
                gpointer    user_data)
{
  static const char *const allowed[] = { "week", "position", "name", "contact", NULL };
  RotaContext             *context = user_data;
  TdRotaSlot              *slot = g_new0 (TdRotaSlot, 1);
  gint64                   week = 0;

  check_members (loader, object, path, allowed);
  if (td_json_reader_get_int (loader->reader, object, path, "week", TRUE, 0, &week)
      && (week < 1 || week > context->rota->weeks))
    {
      g_autofree char *week_path = member_path (path, "week");
      td_json_reader_error (loader->reader, week_path,
                            "week %" G_GINT64_FORMAT " is outside the rotation (1 to %d)", week,
                            context->rota->weeks);
    }
  slot->week = (int) week;
  slot->position = get_string (loader, object, path, "position", TRUE);
  if (slot->position != NULL && !items_contain (context->rota->positions, slot->position))
    {
      g_autofree char *position_path = member_path (path, "position");
      td_json_reader_error (loader->reader, position_path,
                            "unknown position \"%s\" (not defined in %s.positions)", slot->position,
                            context->path);
    }
  slot->name = get_text (loader, object, path, "name");
  slot->contact = get_text (loader, object, path, "contact");
  g_ptr_array_add (context->rota->slots, slot);
}

static void
read_rota_template (Loader     *loader,
                    JsonObject *object,
                    const char *path,
                    guint       index,
                    gpointer    user_data)
{
  static const char *const allowed[]
      = { "id", "tier", "name", "weeks", "positions", "slots", NULL };
  GHashTable     *seen = user_data;
  TdRotaTemplate *rota = g_new0 (TdRotaTemplate, 1);
  g_autoptr (GHashTable) seen_positions = seen_new ();
  ItemContext positions;
  RotaContext slots = { rota, path };
  gint64      weeks = 0;

  check_members (loader, object, path, allowed);
  rota->id = get_string (loader, object, path, "id", TRUE);
  check_unique (loader, seen, path, "id", rota->id);
  rota->tier = get_tier_ref (loader, object, path, "tier", TRUE);
  rota->name = get_text (loader, object, path, "name");
  if (td_json_reader_get_int (loader->reader, object, path, "weeks", TRUE, 0, &weeks)
      && (weeks < 1 || weeks > 52))
    {
      g_autofree char *weeks_path = member_path (path, "weeks");
      td_json_reader_error (loader->reader, weeks_path,
                            "a rotation lasts 1 to 52 weeks, not %" G_GINT64_FORMAT, weeks);
    }
  rota->weeks = (int) weeks;
  rota->positions = g_ptr_array_new_with_free_func (policy_item_free);
  rota->slots = g_ptr_array_new_with_free_func (rota_slot_free);
  positions = (ItemContext){ rota->positions, seen_positions };
  for_each_object (loader, object, path, "positions", TRUE, read_named_item, &positions);
  for_each_object (loader, object, path, "slots", FALSE, read_rota_slot, &slots);
  if (rota->id == NULL)
    {
      rota_template_free (rota);
      return;
    }
  g_ptr_array_add (loader->policy->rota_templates, rota);
}

/* Tools and access */

static void
read_tool_access (Loader     *loader,
                  JsonObject *object,
                  const char *path,
                  guint       index,
                  gpointer    user_data)
{
  static const char *const allowed[] = { "tier", "level", NULL };
  TdTool                  *tool = user_data;
  TdToolAccess            *access = g_new0 (TdToolAccess, 1);
  g_autofree char         *level = NULL;

  check_members (loader, object, path, allowed);
  access->tier = get_tier_ref (loader, object, path, "tier", TRUE);
  level = get_string (loader, object, path, "level", FALSE);
  if (level == NULL || g_str_equal (level, "full"))
    access->level = TD_ACCESS_FULL;
  else if (g_str_equal (level, "read"))
    access->level = TD_ACCESS_READ;
  else if (g_str_equal (level, "limited"))
    access->level = TD_ACCESS_LIMITED;
  else
    {
      g_autofree char *level_path = member_path (path, "level");
      td_json_reader_error (loader->reader, level_path,
                            "unknown access level \"%s\" (expected full, read or limited)", level);
    }
  g_ptr_array_add (tool->access, access);
}

static void
read_tool (Loader *loader, JsonObject *object, const char *path, guint index, gpointer user_data)
{
  static const char *const allowed[] = { "id", "name", "purpose", "access", NULL };
  GHashTable              *seen = user_data;
  TdTool                  *tool = g_new0 (TdTool, 1);

  check_members (loader, object, path, allowed);
  tool->id = get_string (loader, object, path, "id", TRUE);
  tool->name = get_string (loader, object, path, "name", TRUE);
  tool->purpose = get_text (loader, object, path, "purpose");
  tool->access = g_ptr_array_new_with_free_func (g_free);
  for_each_object (loader, object, path, "access", TRUE, read_tool_access, tool);
  check_unique (loader, seen, path, "id", tool->id);
  if (tool->id == NULL)
    {
      tool_free (tool);
      return;
    }
  g_ptr_array_add (loader->policy->tools, tool);
}

static void
read_change_kind (Loader     *loader,
                  JsonObject *object,
                  const char *path,
                  guint       index,
                  gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "from_tier", NULL };
  GHashTable              *seen = user_data;
  TdChangeKind            *kind = g_new0 (TdChangeKind, 1);

  check_members (loader, object, path, allowed);
  kind->id = get_string (loader, object, path, "id", TRUE);
  kind->name = get_string (loader, object, path, "name", TRUE);
  kind->from_tier = get_tier_ref (loader, object, path, "from_tier", TRUE);
  check_unique (loader, seen, path, "id", kind->id);
  if (kind->id == NULL)
    {
      change_kind_free (kind);
      return;
    }
  g_ptr_array_add (loader->policy->change_kinds, kind);
}

static void
read_permission (Loader     *loader,
                 JsonObject *object,
                 const char *path,
                 guint       index,
                 gpointer    user_data)
{
  static const char *const allowed[] = { "action", "description", "roles", NULL };
  GHashTable              *seen = user_data;
  TdPermission            *permission = g_new0 (TdPermission, 1);

  check_members (loader, object, path, allowed);
  permission->action = get_string (loader, object, path, "action", TRUE);
  check_unique (loader, seen, path, "action", permission->action);
  permission->description = get_text (loader, object, path, "description");
  permission->roles = get_strv (loader, object, path, "roles", TRUE);
  want_strv (loader, REF_ROLE, path, "roles", permission->roles);
  if (permission->action == NULL)
    {
      permission_free (permission);
      return;
    }
  g_ptr_array_add (loader->policy->permissions, permission);
}

static void
read_access_provisioning (Loader     *loader,
                          JsonObject *object,
                          const char *path,
                          guint       index,
                          gpointer    user_data)
{
  static const char *const allowed[] = { "tier", "request", "grants", "approver", NULL };
  TdAccessProvisioning    *provisioning = g_new0 (TdAccessProvisioning, 1);
  g_autofree char         *approver_path = member_path (path, "approver");

  check_members (loader, object, path, allowed);
  provisioning->tier = get_tier_ref (loader, object, path, "tier", TRUE);
  provisioning->request = get_text (loader, object, path, "request");
  provisioning->grants = get_strv (loader, object, path, "grants", TRUE);
  want_strv (loader, REF_TOOL, path, "grants", provisioning->grants);
  provisioning->approver = get_string (loader, object, path, "approver", TRUE);
  if (provisioning->approver != NULL)
    want (loader, REF_ROLE, approver_path, 0, provisioning->approver);
  g_ptr_array_add (loader->policy->access_provisioning, provisioning);
}

/* Data corrections */

static void
read_correction (Loader     *loader,
                 JsonObject *object,
                 const char *path,
                 guint       index,
                 gpointer    user_data)
{
  static const char *const allowed[]
      = { "id", "name", "authority", "approval", "approval_label", "prohibited", NULL };
  static const char *const authority_allowed[] = { "tier", "roles", NULL };
  GHashTable              *seen = user_data;
  TdCorrectionRule        *rule = g_new0 (TdCorrectionRule, 1);
  g_autofree char         *authority_path = member_path (path, "authority");

  check_members (loader, object, path, allowed);
  rule->id = get_string (loader, object, path, "id", TRUE);
  rule->name = get_string (loader, object, path, "name", TRUE);
  rule->approval_label = get_text (loader, object, path, "approval_label");
  td_json_reader_get_bool (loader->reader, object, path, "prohibited", FALSE, FALSE,
                           &rule->prohibited);
  check_unique (loader, seen, path, "id", rule->id);

  if (rule->prohibited)
    {
      /* A prohibited correction has nobody who may do it; a stray authority
       * would suggest otherwise to whoever reads the file. */
      if (json_object_has_member (object, "authority"))
        td_json_reader_error (loader->reader, authority_path,
                              "a prohibited correction has no authority");
      rule->authority_roles = g_new0 (char *, 1);
      rule->approval_roles = g_new0 (char *, 1);
    }
  else
    {
      JsonObject *authority
          = td_json_reader_get_object (loader->reader, object, path, "authority", TRUE);
      if (authority != NULL)
        {
          check_members (loader, authority, authority_path, authority_allowed);
          rule->authority_tier = get_tier_ref (loader, authority, authority_path, "tier", TRUE);
          rule->authority_roles = get_strv (loader, authority, authority_path, "roles", TRUE);
          want_strv (loader, REF_ROLE, authority_path, "roles", rule->authority_roles);
        }
      else
        rule->authority_roles = g_new0 (char *, 1);
      rule->approval_roles = get_strv (loader, object, path, "approval", TRUE);
      want_strv (loader, REF_ROLE, path, "approval", rule->approval_roles);
    }

  if (rule->id == NULL)
    {
      correction_rule_free (rule);
      return;
    }
  g_ptr_array_add (loader->policy->corrections, rule);
}

/* Metrics and standards */

static const char *const measure_names[] = {
  [TD_MEASURE_NONE] = "none",
  [TD_MEASURE_RESPONSE] = "response",
  [TD_MEASURE_RESOLUTION_TIME] = "resolution_time",
  [TD_MEASURE_FIRST_CONTACT_RESOLUTION] = "first_contact_resolution",
  [TD_MEASURE_ESCALATION_ACCURACY] = "escalation_accuracy",
  [TD_MEASURE_RESOLUTION_RATE] = "resolution_rate",
  [TD_MEASURE_CHANGE_SUCCESS] = "change_success",
  [TD_MEASURE_DOCUMENTATION] = "documentation",
  [TD_MEASURE_PING_PONG] = "ping_pong",
  [TD_MEASURE_PIR_COMPLETION] = "pir_completion",
  [TD_MEASURE_KNOWLEDGE_UPDATES] = "knowledge_updates",
};

/* Reads the optional "measure" member; @first and @last bound the values
 * this kind of entry may name (a metric is not a quality standard). */
static TdMeasure
get_measure (Loader *loader, JsonObject *object, const char *path, TdMeasure first, TdMeasure last)
{
  g_autofree char *text = get_string (loader, object, path, "measure", FALSE);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autofree char *measure_path = NULL;

  if (text == NULL)
    return TD_MEASURE_NONE;
  for (TdMeasure measure = first; measure <= last; measure++)
    {
      if (g_str_equal (text, measure_names[measure]))
        return measure;
      g_string_append_printf (expected, "%s%s",
                              measure == first  ? ""
                              : measure == last ? " or "
                                                : ", ",
                              measure_names[measure]);
    }
  measure_path = member_path (path, "measure");
  td_json_reader_error (loader->reader, measure_path, "unknown measure \"%s\" (expected %s)", text,
                        expected->str);
  return TD_MEASURE_NONE;
}

static void
read_metric (Loader *loader, JsonObject *object, const char *path, guint index, gpointer user_data)
{
  static const char *const allowed[]
      = { "id",      "tier",     "name", "comparison", "target", "target_percent",
          "measure", "severity", NULL };
  GHashTable      *seen = user_data;
  TdMetricTarget  *metric = g_new0 (TdMetricTarget, 1);
  g_autofree char *comparison = NULL;
  gboolean         has_duration = json_object_has_member (object, "target");
  gboolean         has_percent = json_object_has_member (object, "target_percent");

  check_members (loader, object, path, allowed);
  metric->id = get_string (loader, object, path, "id", TRUE);
  check_unique (loader, seen, path, "id", metric->id);
  metric->tier = get_tier_ref (loader, object, path, "tier", TRUE);
  metric->name = get_string (loader, object, path, "name", TRUE);
  metric->measure
      = get_measure (loader, object, path, TD_MEASURE_RESPONSE, TD_MEASURE_CHANGE_SUCCESS);
  metric->severity = get_string (loader, object, path, "severity", FALSE);
  if (metric->severity != NULL)
    {
      g_autofree char *severity_path = member_path (path, "severity");
      want (loader, REF_SEVERITY, severity_path, 0, metric->severity);
    }
  comparison = get_string (loader, object, path, "comparison", TRUE);
  if (g_strcmp0 (comparison, "<") == 0 || g_strcmp0 (comparison, ">") == 0)
    metric->comparison = comparison[0];
  else if (comparison != NULL)
    {
      g_autofree char *comparison_path = member_path (path, "comparison");
      td_json_reader_error (loader->reader, comparison_path,
                            "unknown comparison \"%s\" (expected \"<\" or \">\")", comparison);
    }

  if (has_duration == has_percent)
    td_json_reader_error (loader->reader, path,
                          "needs exactly one of \"target\" (a duration) or \"target_percent\"");
  else if (has_duration)
    td_json_reader_get_duration (loader->reader, object, path, "target", TRUE, &metric->duration);
  else
    {
      metric->is_percent = TRUE;
      if (td_json_reader_get_double (loader->reader, object, path, "target_percent", TRUE, 0,
                                     &metric->percent)
          && (metric->percent < 0 || metric->percent > 100))
        {
          g_autofree char *percent_path = member_path (path, "target_percent");
          td_json_reader_error (loader->reader, percent_path,
                                "a percentage must be between 0 and 100, not %g", metric->percent);
        }
    }

  if (metric->id == NULL)
    {
      metric_target_free (metric);
      return;
    }
  g_ptr_array_add (loader->policy->metrics, metric);
}

static void
read_quality_standard (Loader     *loader,
                       JsonObject *object,
                       const char *path,
                       guint       index,
                       gpointer    user_data)
{
  static const char *const allowed[]
      = { "id", "name", "requirement", "within", "severities", "measure", NULL };
  GHashTable        *seen = user_data;
  TdQualityStandard *standard = g_new0 (TdQualityStandard, 1);

  check_members (loader, object, path, allowed);
  standard->id = get_string (loader, object, path, "id", TRUE);
  check_unique (loader, seen, path, "id", standard->id);
  standard->name = get_string (loader, object, path, "name", TRUE);
  standard->requirement = get_text (loader, object, path, "requirement");
  standard->has_within = json_object_has_member (object, "within")
                         && td_json_reader_get_duration (loader->reader, object, path, "within",
                                                         TRUE, &standard->within);
  standard->severities = get_strv (loader, object, path, "severities", FALSE);
  want_strv (loader, REF_SEVERITY, path, "severities", standard->severities);
  standard->measure
      = get_measure (loader, object, path, TD_MEASURE_DOCUMENTATION, TD_MEASURE_KNOWLEDGE_UPDATES);
  if (standard->id == NULL)
    {
      quality_standard_free (standard);
      return;
    }
  g_ptr_array_add (loader->policy->quality_standards, standard);
}

/* Training */

static void
read_training_topic (Loader     *loader,
                     JsonObject *object,
                     const char *path,
                     guint       index,
                     gpointer    user_data)
{
  static const char *const allowed[] = { "id", "tier", "topic", "hours", "frequency", NULL };
  GHashTable              *seen = user_data;
  TdTrainingTopic         *topic = g_new0 (TdTrainingTopic, 1);
  g_autofree char         *frequency = NULL;

  check_members (loader, object, path, allowed);
  topic->id = get_string (loader, object, path, "id", TRUE);
  check_unique (loader, seen, path, "id", topic->id);
  topic->tier = get_tier_ref (loader, object, path, "tier", TRUE);
  topic->topic = get_string (loader, object, path, "topic", TRUE);
  if (td_json_reader_get_double (loader->reader, object, path, "hours", TRUE, 0, &topic->hours)
      && topic->hours <= 0)
    {
      g_autofree char *hours_path = member_path (path, "hours");
      td_json_reader_error (loader->reader, hours_path,
                            "training hours must be more than zero, not %g", topic->hours);
    }
  frequency = get_string (loader, object, path, "frequency", TRUE);
  if (g_strcmp0 (frequency, "onboarding") == 0)
    topic->frequency = TD_TRAINING_ONBOARDING;
  else if (g_strcmp0 (frequency, "quarterly") == 0)
    topic->frequency = TD_TRAINING_QUARTERLY;
  else if (g_strcmp0 (frequency, "annual") == 0)
    topic->frequency = TD_TRAINING_ANNUAL;
  else if (frequency != NULL)
    {
      g_autofree char *frequency_path = member_path (path, "frequency");
      td_json_reader_error (loader->reader, frequency_path,
                            "unknown frequency \"%s\" (expected onboarding, quarterly or annual)",
                            frequency);
    }

  if (topic->id == NULL)
    {
      training_topic_free (topic);
      return;
    }
  g_ptr_array_add (loader->policy->training, topic);
}

/* Contact card */

static void
read_contact_entry (Loader     *loader,
                    JsonObject *object,
                    const char *path,
                    guint       index,
                    gpointer    user_data)
{
  static const char *const allowed[] = { "label", "value", NULL };
  TdContactSection        *section = user_data;
  TdContactEntry          *entry = g_new0 (TdContactEntry, 1);

  check_members (loader, object, path, allowed);
  entry->label = get_string (loader, object, path, "label", TRUE);
  entry->value = get_text (loader, object, path, "value");
  g_ptr_array_add (section->entries, entry);
}

static void
read_contact_section (Loader     *loader,
                      JsonObject *object,
                      const char *path,
                      guint       index,
                      gpointer    user_data)
{
  static const char *const allowed[] = { "id", "name", "entries", NULL };
  GHashTable              *seen = user_data;
  TdContactSection        *section = g_new0 (TdContactSection, 1);

  check_members (loader, object, path, allowed);
  section->id = get_string (loader, object, path, "id", TRUE);
  check_unique (loader, seen, path, "id", section->id);
  section->name = get_string (loader, object, path, "name", TRUE);
  section->entries = g_ptr_array_new_with_free_func (contact_entry_free);
  for_each_object (loader, object, path, "entries", TRUE, read_contact_entry, section);
  g_ptr_array_add (loader->policy->contact_card, section);
}

static void
read_contact_card (Loader *loader, JsonObject *root)
{
  static const char *const allowed[] = { "title", "sections", NULL };
  g_autoptr (GHashTable) seen = seen_new ();
  JsonObject *object;

  object = td_json_reader_get_object (loader->reader, root, "$", "contact_card", TRUE);
  if (object == NULL)
    return;
  check_members (loader, object, "$.contact_card", allowed);
  loader->policy->contact_card_title = get_text (loader, object, "$.contact_card", "title");
  for_each_object (loader, object, "$.contact_card", "sections", TRUE, read_contact_section, seen);
}

static void
read_sla (Loader *loader, JsonObject *root)
{
  static const char *const allowed[] = { "at_risk_fraction", "combine", NULL };
  g_autofree char         *combine = NULL;
  JsonObject              *object;
  double                   fraction = 0.75;

  object = td_json_reader_get_object (loader->reader, root, "$", "sla", FALSE);
  if (object == NULL)
    return;
  check_members (loader, object, "$.sla", allowed);
  if (td_json_reader_get_double (loader->reader, object, "$.sla", "at_risk_fraction", FALSE, 0.75,
                                 &fraction)
      && (fraction <= 0 || fraction >= 1))
    td_json_reader_error (loader->reader, "$.sla.at_risk_fraction",
                          "must be between 0 and 1 (exclusive), not %g", fraction);
  else
    loader->policy->at_risk_fraction = fraction;

  combine = get_string (loader, object, "$.sla", "combine", FALSE);
  if (combine != NULL && !g_str_equal (combine, "earliest"))
    td_json_reader_error (loader->reader, "$.sla.combine",
                          "unknown rule \"%s\" (only \"earliest\" is supported)", combine);
}

/* How soon training falls due [11]: onboarding topics within
 * onboarding_due_days of the start date, and "due soon" within
 * due_soon_days of a due date. Optional, with the defaults the tracker
 * was specified with. */
static void
read_training_rules (Loader *loader, JsonObject *root)
{
  static const char *const allowed[] = { "onboarding_due_days", "due_soon_days", NULL };
  JsonObject              *object;
  gint64                   days = 0;

  object = td_json_reader_get_object (loader->reader, root, "$", "training_rules", FALSE);
  if (object == NULL)
    return;
  check_members (loader, object, "$.training_rules", allowed);
  if (td_json_reader_get_int (loader->reader, object, "$.training_rules", "onboarding_due_days",
                              FALSE, 30, &days))
    {
      if (days < 1 || days > 3660)
        td_json_reader_error (loader->reader, "$.training_rules.onboarding_due_days",
                              "must be between 1 and 3660 days, not %" G_GINT64_FORMAT, days);
      else
        loader->policy->onboarding_due_days = (int) days;
    }
  if (td_json_reader_get_int (loader->reader, object, "$.training_rules", "due_soon_days", FALSE,
                              14, &days))
    {
      if (days < 0 || days > 366)
        td_json_reader_error (loader->reader, "$.training_rules.due_soon_days",
                              "must be between 0 and 366 days, not %" G_GINT64_FORMAT, days);
      else
        loader->policy->training_due_soon_days = (int) days;
    }
}

/* Cross references, once everything is read */

static char *
describe_tiers (TdPolicy *policy)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < policy->tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (policy->tiers, i);
      g_string_append_printf (text, "%s%d", i > 0 ? ", " : "", tier->level);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
has_tool (TdPolicy *policy, const char *id)
{
  for (guint i = 0; i < policy->tools->len; i++)
    {
      const TdTool *tool = g_ptr_array_index (policy->tools, i);
      if (g_str_equal (tool->id, id))
        return TRUE;
    }
  return FALSE;
}

static void
check_refs (Loader *loader)
{
  TdPolicy        *policy = loader->policy;
  g_autofree char *tiers = describe_tiers (policy);

  for (guint i = 0; i < loader->refs->len; i++)
    {
      const Ref *ref = g_ptr_array_index (loader->refs, i);

      switch (ref->kind)
        {
          case REF_TIER:
            if (td_policy_get_tier (policy, ref->number) == NULL)
              td_json_reader_error (loader->reader, ref->path,
                                    "unknown tier %d (the policy defines tiers %s)", ref->number,
                                    tiers);
            break;

          case REF_ROLE:
            if (td_policy_get_role (policy, ref->value) == NULL)
              td_json_reader_error (loader->reader, ref->path,
                                    "unknown role \"%s\" (not defined in $.roles)", ref->value);
            break;

          case REF_SEVERITY:
            if (td_policy_get_severity (policy, ref->value) == NULL)
              td_json_reader_error (loader->reader, ref->path,
                                    "unknown severity \"%s\" (not defined in $.severities)",
                                    ref->value);
            break;

          case REF_CHECKLIST:
            if (td_policy_get_checklist (policy, ref->value) == NULL)
              td_json_reader_error (loader->reader, ref->path,
                                    "unknown checklist \"%s\" (not defined in "
                                    "$.handoffs.checklists)",
                                    ref->value);
            break;

          case REF_TOOL:
            if (!has_tool (policy, ref->value))
              td_json_reader_error (loader->reader, ref->path,
                                    "unknown tool \"%s\" (not defined in $.tools)", ref->value);
            break;

          default:
            g_assert_not_reached ();
        }
    }
}

static void
read_root (Loader *loader, JsonObject *root)
{
  static const char *const allowed[] = { "schema_version",
                                         "document",
                                         "calendars",
                                         "roles",
                                         "tiers",
                                         "severities",
                                         "sla",
                                         "ticket_fields",
                                         "triage",
                                         "escalation",
                                         "handoffs",
                                         "on_call",
                                         "tools",
                                         "change_kinds",
                                         "access_provisioning",
                                         "data_corrections",
                                         "metrics",
                                         "quality_standards",
                                         "training",
                                         "training_rules",
                                         "contact_card",
                                         "permissions",
                                         NULL };
  g_autoptr (GHashTable) seen_calendars = seen_new ();
  g_autoptr (GHashTable) seen_roles = seen_new ();
  g_autoptr (GHashTable) seen_tiers = seen_new ();
  g_autoptr (GHashTable) seen_issue_types = seen_new ();
  g_autoptr (GHashTable) seen_sub_teams = seen_new ();
  g_autoptr (GHashTable) seen_severities = seen_new ();
  g_autoptr (GHashTable) seen_fields = seen_new ();
  g_autoptr (GHashTable) seen_rotas = seen_new ();
  g_autoptr (GHashTable) seen_tools = seen_new ();
  g_autoptr (GHashTable) seen_change_kinds = seen_new ();
  g_autoptr (GHashTable) seen_corrections = seen_new ();
  g_autoptr (GHashTable) seen_metrics = seen_new ();
  g_autoptr (GHashTable) seen_standards = seen_new ();
  g_autoptr (GHashTable) seen_training = seen_new ();
  g_autoptr (GHashTable) seen_permissions = seen_new ();
  GHashTable *tier_tables[] = { seen_tiers, seen_issue_types, seen_sub_teams };
  gint64      version = 0;

  check_members (loader, root, "$", allowed);

  /* A file from a newer Tierdesk would be misread member by member: stop. */
  if (td_json_reader_get_int (loader->reader, root, "$", "schema_version", TRUE, 0, &version)
      && version != TD_POLICY_SCHEMA_VERSION)
    {
      td_json_reader_error (loader->reader, "$.schema_version",
                            "unsupported schema version %" G_GINT64_FORMAT
                            " (this program reads version %d)",
                            version, TD_POLICY_SCHEMA_VERSION);
      return;
    }
  loader->policy->schema_version = (int) version;

  read_document (loader, root);
  for_each_object (loader, root, "$", "calendars", TRUE, read_calendar, seen_calendars);
  for_each_object (loader, root, "$", "roles", TRUE, read_role, seen_roles);
  for_each_object (loader, root, "$", "severities", TRUE, read_severity, seen_severities);
  for_each_object (loader, root, "$", "tiers", TRUE, read_tier, tier_tables);
  read_sla (loader, root);
  for_each_object (loader, root, "$", "ticket_fields", TRUE, read_ticket_field, seen_fields);
  read_triage (loader, root);
  read_handoffs (loader, root);
  read_escalation (loader, root);
  for_each_object (loader, root, "$", "on_call", FALSE, read_rota_template, seen_rotas);
  for_each_object (loader, root, "$", "permissions", TRUE, read_permission, seen_permissions);
  for_each_object (loader, root, "$", "tools", FALSE, read_tool, seen_tools);
  for_each_object (loader, root, "$", "change_kinds", FALSE, read_change_kind, seen_change_kinds);
  for_each_object (loader, root, "$", "access_provisioning", FALSE, read_access_provisioning, NULL);
  for_each_object (loader, root, "$", "data_corrections", FALSE, read_correction, seen_corrections);
  for_each_object (loader, root, "$", "metrics", FALSE, read_metric, seen_metrics);
  for_each_object (loader, root, "$", "quality_standards", FALSE, read_quality_standard,
                   seen_standards);
  for_each_object (loader, root, "$", "training", FALSE, read_training_topic, seen_training);
  read_training_rules (loader, root);
  read_contact_card (loader, root);

  if (json_object_has_member (root, "tiers") && loader->policy->tiers->len == 0
      && td_json_reader_get_n_errors (loader->reader) == 0)
    td_json_reader_error (loader->reader, "$.tiers", "a policy needs at least one tier");
  if (json_object_has_member (root, "severities") && loader->policy->severities->len == 0
      && td_json_reader_get_n_errors (loader->reader) == 0)
    td_json_reader_error (loader->reader, "$.severities", "a policy needs at least one severity");

  check_refs (loader);
}

static int
compare_tiers (gconstpointer a, gconstpointer b)
{
  const TdTier *tier_a = *(const TdTier **) a;
  const TdTier *tier_b = *(const TdTier **) b;

  return tier_a->level - tier_b->level;
}

/* GObject */

static void
td_policy_finalize (GObject *object)
{
  TdPolicy         *self = (TdPolicy *) object;
  TdPolicyDocument *document = &self->document;

  g_clear_pointer (&self->json, g_free);
  g_clear_pointer (&self->contact_card_title, g_free);
  g_clear_pointer (&document->id, g_free);
  g_clear_pointer (&document->title, g_free);
  g_clear_pointer (&document->system, g_free);
  g_clear_pointer (&document->version, g_free);
  g_clear_pointer (&document->last_updated, g_free);
  g_clear_pointer (&document->status, g_free);
  g_clear_pointer (&document->classification, g_free);
  g_clear_pointer (&document->summary, g_free);
  g_clear_pointer (&self->calendars, g_ptr_array_unref);
  g_clear_pointer (&self->roles, g_ptr_array_unref);
  g_clear_pointer (&self->tiers, g_ptr_array_unref);
  g_clear_pointer (&self->severities, g_ptr_array_unref);
  g_clear_pointer (&self->ticket_fields, g_ptr_array_unref);
  g_clear_pointer (&self->impacts, g_ptr_array_unref);
  g_clear_pointer (&self->urgencies, g_ptr_array_unref);
  g_clear_pointer (&self->triage_rules, g_ptr_array_unref);
  g_clear_pointer (&self->escalation_paths, g_ptr_array_unref);
  g_clear_pointer (&self->time_limits, g_ptr_array_unref);
  g_clear_pointer (&self->flow_outcomes, g_ptr_array_unref);
  g_clear_pointer (&self->checklists, g_ptr_array_unref);
  g_clear_pointer (&self->shift_handoff, g_ptr_array_unref);
  g_clear_pointer (&self->rota_templates, g_ptr_array_unref);
  g_clear_pointer (&self->tools, g_ptr_array_unref);
  g_clear_pointer (&self->change_kinds, g_ptr_array_unref);
  g_clear_pointer (&self->permissions, g_ptr_array_unref);
  g_clear_pointer (&self->access_provisioning, g_ptr_array_unref);
  g_clear_pointer (&self->corrections, g_ptr_array_unref);
  g_clear_pointer (&self->metrics, g_ptr_array_unref);
  g_clear_pointer (&self->quality_standards, g_ptr_array_unref);
  g_clear_pointer (&self->training, g_ptr_array_unref);
  g_clear_pointer (&self->contact_card, g_ptr_array_unref);

  G_OBJECT_CLASS (td_policy_parent_class)->finalize (object);
}

static void
td_policy_class_init (TdPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = td_policy_finalize;
}

static void
td_policy_init (TdPolicy *self)
{
  self->at_risk_fraction = 0.75;
  self->calendars = g_ptr_array_new_with_free_func (g_object_unref);
  self->roles = g_ptr_array_new_with_free_func (role_free);
  self->tiers = g_ptr_array_new_with_free_func (tier_free);
  self->severities = g_ptr_array_new_with_free_func (severity_free);
  self->ticket_fields = g_ptr_array_new_with_free_func (ticket_field_free);
  self->impacts = g_ptr_array_new_with_free_func (policy_item_free);
  self->urgencies = g_ptr_array_new_with_free_func (policy_item_free);
  self->triage_rules = g_ptr_array_new_with_free_func (triage_rule_free);
  self->escalation_paths = g_ptr_array_new_with_free_func (escalation_path_free);
  self->time_limits = g_ptr_array_new_with_free_func (time_limit_free);
  self->flow_outcomes = g_ptr_array_new_with_free_func (flow_outcomes_free);
  self->checklists = g_ptr_array_new_with_free_func (checklist_free);
  self->shift_handoff = g_ptr_array_new_with_free_func (policy_item_free);
  self->rota_templates = g_ptr_array_new_with_free_func (rota_template_free);
  self->tools = g_ptr_array_new_with_free_func (tool_free);
  self->change_kinds = g_ptr_array_new_with_free_func (change_kind_free);
  self->permissions = g_ptr_array_new_with_free_func (permission_free);
  self->access_provisioning = g_ptr_array_new_with_free_func (access_provisioning_free);
  self->corrections = g_ptr_array_new_with_free_func (correction_rule_free);
  self->metrics = g_ptr_array_new_with_free_func (metric_target_free);
  self->quality_standards = g_ptr_array_new_with_free_func (quality_standard_free);
  self->training = g_ptr_array_new_with_free_func (training_topic_free);
  self->onboarding_due_days = 30;
  self->training_due_soon_days = 14;
  self->contact_card = g_ptr_array_new_with_free_func (contact_section_free);
}

/* Public API */

TdPolicy *
td_policy_load (const char *data, gssize length, GPtrArray **errors)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (TdJsonReader) reader = td_json_reader_new ();
  g_autoptr (TdPolicy) policy = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (GPtrArray) refs = NULL;
  g_autoptr (TdJsonProblem) problem = NULL;
  JsonNode *root;
  Loader    loader;

  g_return_val_if_fail (data != NULL, NULL);

  if (errors != NULL)
    *errors = NULL;

  if (length < 0)
    length = strlen (data);

  /* json-glib parses recursively: refuse what would overflow the stack. */
  problem = td_json_guard_check (data, length, TD_JSON_MAX_DEPTH);
  if (problem != NULL)
    {
      g_autofree char *path = problem->field == NULL     ? g_strdup ("$")
                              : problem->field[0] == '[' ? g_strconcat ("$", problem->field, NULL)
                                                         : g_strconcat ("$.", problem->field, NULL);

      td_json_reader_error (reader, path, "%s (line %u, column %u)", problem->message,
                            problem->line, problem->column);
      goto failed;
    }
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      /* json-glib says "<data>:LINE:COLUMN: …"; the line and column are
       * what a person needs, "<data>" means nothing to them. */
      const char *message = parse_error->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      td_json_reader_error (reader, "$", "not valid JSON: %s", message);
      goto failed;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      td_json_reader_error (reader, "$", "expected an object, found %s",
                            td_json_node_describe (root));
      goto failed;
    }

  policy = g_object_new (TD_TYPE_POLICY, NULL);
  policy->json = g_strndup (data, length);
  refs = g_ptr_array_new_with_free_func (ref_free);
  loader = (Loader){ reader, policy, refs };
  read_root (&loader, json_node_get_object (root));

  if (td_json_reader_get_n_errors (reader) > 0)
    goto failed;

  g_ptr_array_sort (policy->tiers, compare_tiers);
  return g_steal_pointer (&policy);

failed:
  if (errors != NULL)
    *errors = td_json_reader_steal_errors (reader);
  return NULL;
}

static GError *
errors_to_gerror (GPtrArray *errors)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < errors->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (errors, i));
    }
  return g_error_new_literal (TD_POLICY_ERROR, TD_POLICY_ERROR_INVALID, text->str);
}

TdPolicy *
td_policy_new_from_data (const char *data, gssize length, GError **error)
{
  g_autoptr (GPtrArray) errors = NULL;
  TdPolicy *policy;

  g_return_val_if_fail (data != NULL, NULL);

  policy = td_policy_load (data, length, &errors);
  if (policy == NULL)
    g_propagate_error (error, errors_to_gerror (errors));
  return policy;
}

TdPolicy *
td_policy_new_from_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, TD_POLICY_ERROR, TD_POLICY_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  return td_policy_new_from_data (data, length, error);
}

char *
td_policy_find_default_file (void)
{
  const char      *env = g_getenv ("TD_POLICY_FILE");
  g_autofree char *installed
      = g_build_filename (PKGDATADIR, "policy", "lms-support-model.json", NULL);
  g_autofree char *source = g_build_filename (SOURCE_POLICY_DIR, "lms-support-model.json", NULL);

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&installed);
  return g_steal_pointer (&source);
}

TdPolicy *
td_policy_new_default (GError **error)
{
  g_autofree char *path = td_policy_find_default_file ();

  return td_policy_new_from_file (path, error);
}

const char *
td_policy_get_json (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->json;
}

int
td_policy_get_schema_version (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), 0);
  return self->schema_version;
}

const TdPolicyDocument *
td_policy_get_document (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return &self->document;
}

char *
td_policy_describe (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  return g_strdup_printf ("%s version %s (schema %d): %u tiers, %u severities, %u calendars, "
                          "%u escalation paths, %u handoff checklists, %u roles, "
                          "%u training topics",
                          self->document.id, self->document.version, self->schema_version,
                          self->tiers->len, self->severities->len, self->calendars->len,
                          self->escalation_paths->len, self->checklists->len, self->roles->len,
                          self->training->len);
}

GPtrArray *
td_policy_get_calendars (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->calendars;
}

TdCalendar *
td_policy_get_calendar (TdPolicy *self, const char *id)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; id != NULL && i < self->calendars->len; i++)
    {
      TdCalendar *calendar = g_ptr_array_index (self->calendars, i);
      if (g_str_equal (td_calendar_get_id (calendar), id))
        return calendar;
    }
  return NULL;
}

GPtrArray *
td_policy_get_roles (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->roles;
}

const TdRole *
td_policy_get_role (TdPolicy *self, const char *id)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; id != NULL && i < self->roles->len; i++)
    {
      const TdRole *role = g_ptr_array_index (self->roles, i);
      if (g_str_equal (role->id, id))
        return role;
    }
  return NULL;
}

GPtrArray *
td_policy_get_tiers (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->tiers;
}

const TdTier *
td_policy_get_tier (TdPolicy *self, int level)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; i < self->tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (self->tiers, i);
      if (tier->level == level)
        return tier;
    }
  return NULL;
}

int
td_policy_get_max_tier (TdPolicy *self)
{
  int max = 0;

  g_return_val_if_fail (TD_IS_POLICY (self), 0);

  for (guint i = 0; i < self->tiers->len; i++)
    max = MAX (max, ((const TdTier *) g_ptr_array_index (self->tiers, i))->level);
  return max;
}

GPtrArray *
td_policy_get_severities (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->severities;
}

const TdSeverity *
td_policy_get_severity (TdPolicy *self, const char *id)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; id != NULL && i < self->severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (self->severities, i);
      if (g_str_equal (severity->id, id))
        return severity;
    }
  return NULL;
}

const TdIssueType *
td_policy_get_issue_type (TdPolicy *self, const char *id)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; id != NULL && i < self->tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (self->tiers, i);

      for (guint j = 0; j < tier->issue_types->len; j++)
        {
          const TdIssueType *issue_type = g_ptr_array_index (tier->issue_types, j);
          if (g_str_equal (issue_type->id, id))
            return issue_type;
        }
    }
  return NULL;
}

double
td_policy_get_at_risk_fraction (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), 0.75);
  return self->at_risk_fraction;
}

GPtrArray *
td_policy_get_ticket_fields (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->ticket_fields;
}

GPtrArray *
td_policy_get_impacts (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->impacts;
}

GPtrArray *
td_policy_get_urgencies (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->urgencies;
}

GPtrArray *
td_policy_get_triage_rules (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->triage_rules;
}

GPtrArray *
td_policy_get_escalation_paths (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->escalation_paths;
}

GPtrArray *
td_policy_get_time_limits (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->time_limits;
}

GPtrArray *
td_policy_get_flow_outcomes (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->flow_outcomes;
}

GPtrArray *
td_policy_get_checklists (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->checklists;
}

const TdChecklist *
td_policy_get_checklist (TdPolicy *self, const char *id)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; id != NULL && i < self->checklists->len; i++)
    {
      const TdChecklist *checklist = g_ptr_array_index (self->checklists, i);
      if (g_str_equal (checklist->id, id))
        return checklist;
    }
  return NULL;
}

GPtrArray *
td_policy_get_shift_handoff (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->shift_handoff;
}

GPtrArray *
td_policy_get_rota_templates (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->rota_templates;
}

GPtrArray *
td_policy_get_tools (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->tools;
}

GPtrArray *
td_policy_get_change_kinds (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->change_kinds;
}

const TdChangeKind *
td_policy_get_change_kind (TdPolicy *self, const char *id)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; id != NULL && i < self->change_kinds->len; i++)
    {
      const TdChangeKind *kind = g_ptr_array_index (self->change_kinds, i);
      if (g_str_equal (kind->id, id))
        return kind;
    }
  return NULL;
}

GPtrArray *
td_policy_get_permissions (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->permissions;
}

char *
td_policy_describe_action (TdPolicy *self, const char *action)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; action != NULL && i < self->permissions->len; i++)
    {
      const TdPermission *permission = g_ptr_array_index (self->permissions, i);

      if (g_str_equal (permission->action, action) && permission->description[0] != '\0')
        {
          /* "Log a new ticket [3.2]" reads as "log a new ticket". */
          g_autofree char *text
              = g_strndup (permission->description, strcspn (permission->description, "["));

          g_strchomp (text);
          text[0] = g_ascii_tolower (text[0]);
          return g_steal_pointer (&text);
        }
    }
  return g_strdup (action != NULL ? action : "do this");
}

gboolean
td_policy_role_may (TdPolicy *self, const char *role, const char *action)
{
  g_return_val_if_fail (TD_IS_POLICY (self), FALSE);

  if (role == NULL || action == NULL)
    return FALSE;
  for (guint i = 0; i < self->permissions->len; i++)
    {
      const TdPermission *permission = g_ptr_array_index (self->permissions, i);

      if (g_str_equal (permission->action, action))
        return g_strv_contains ((const char *const *) permission->roles, role);
    }
  return FALSE;
}

gboolean
td_policy_role_reaches_tier (TdPolicy *self, const char *role, int tier)
{
  const TdRole *known;

  g_return_val_if_fail (TD_IS_POLICY (self), FALSE);

  known = role != NULL ? td_policy_get_role (self, role) : NULL;
  if (known == NULL)
    return FALSE;
  return known->tier == 0 || known->manages_tier != 0 || known->tier >= tier;
}

GPtrArray *
td_policy_get_access_provisioning (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->access_provisioning;
}

GPtrArray *
td_policy_get_corrections (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->corrections;
}

const TdCorrectionRule *
td_policy_get_correction (TdPolicy *self, const char *id)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);

  for (guint i = 0; id != NULL && i < self->corrections->len; i++)
    {
      const TdCorrectionRule *rule = g_ptr_array_index (self->corrections, i);
      if (g_str_equal (rule->id, id))
        return rule;
    }
  return NULL;
}

GPtrArray *
td_policy_get_metrics (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->metrics;
}

GPtrArray *
td_policy_get_quality_standards (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->quality_standards;
}

GPtrArray *
td_policy_get_training (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->training;
}

int
td_policy_get_onboarding_due_days (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), 30);
  return self->onboarding_due_days;
}

int
td_policy_get_training_due_soon_days (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), 14);
  return self->training_due_soon_days;
}

const char *
td_policy_get_contact_card_title (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->contact_card_title;
}

GPtrArray *
td_policy_get_contact_card (TdPolicy *self)
{
  g_return_val_if_fail (TD_IS_POLICY (self), NULL);
  return self->contact_card;
}

const char *
td_measure_to_string (TdMeasure measure)
{
  g_return_val_if_fail (measure <= TD_MEASURE_KNOWLEDGE_UPDATES, NULL);

  return measure_names[measure];
}

gboolean
td_measure_from_string (const char *text, TdMeasure *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (measure_names); i++)
    if (g_str_equal (text, measure_names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}
