/* td-policy.h — the support model as data: tiers, SLAs, escalation, handoffs, rotas, training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "td-calendar.h"
#include "td-duration.h"

G_BEGIN_DECLS

/* The schema version of policy files this program reads. */
#define TD_POLICY_SCHEMA_VERSION 1

#define TD_POLICY_ERROR (td_policy_error_quark ())

typedef enum
{
  TD_POLICY_ERROR_INVALID,
  TD_POLICY_ERROR_IO,
} TdPolicyError;

/* The structures below are owned by their TdPolicy and read-only: a policy is
 * immutable once loaded, so the server and every desktop can share one. */

typedef struct
{
  char *id;
  char *name;
  char *description;
} TdPolicyItem;

typedef struct
{
  /* FALSE for a target with no clock, such as "Next release". */
  gboolean    has_clock;
  TdDuration  duration;
  TdCalendar *calendar;
  char       *label;
} TdTarget;

typedef struct
{
  char    *id;
  char    *name;
  int      tier;
  TdTarget resolution;
  char    *escalate_if;
} TdIssueType;

typedef struct
{
  char *role;
  char *name;
  char *contact;
  /* The seed's third column differs by tier: shift, responsibilities, focus or when. */
  char *note_kind;
  char *note;
} TdTeamSlot;

typedef struct
{
  char *id;
  char *name;
  char *focus;
  char *lead;
} TdSubTeam;

typedef struct
{
  char      *scenario;
  char     **roles;
  char      *severity;
  gboolean   has_after;
  TdDuration after;
} TdEngagement;

typedef struct
{
  int         level;
  char       *name;
  char       *short_name;
  char       *team;
  char       *owner;
  char       *hours;
  char       *primary_contact;
  char       *authority;
  TdCalendar *calendar;
  char      **focus;
  TdTarget    response_target;
  GPtrArray  *responsibilities; /* TdPolicyItem */
  char      **in_scope;
  char      **out_of_scope;
  GPtrArray  *issue_types;    /* TdIssueType */
  GPtrArray  *team_structure; /* TdTeamSlot */
  GPtrArray  *sub_teams;      /* TdSubTeam */
  GPtrArray  *engagement;     /* TdEngagement */
} TdTier;

typedef struct
{
  char    *id;
  int      level;
  char    *name;
  TdTarget response;
  TdTarget resolution;
  TdTarget update;
  gboolean pir_required;
} TdSeverity;

typedef struct
{
  char    *id;
  char    *name;
  gboolean required;
  char    *description;
} TdTicketField;

typedef struct
{
  char *id;
  char *name;
  int   tier;
  int   manages_tier;
} TdRole;

typedef struct
{
  char *impact;
  char *urgency;
  char *priority;
  char *severity;
} TdTriageRule;

/* Escalation paths: from == 0 means "from any tier". */
typedef struct
{
  char  *id;
  int    from;
  int    to;
  char **criteria;
  /* When set, the path is open only to these severities, or to one of
   * @reasons stated by the person escalating. */
  char **severities;
  char **reasons;
  char  *checklist;
  char  *label;
} TdEscalationPath;

typedef struct
{
  int         tier;
  char       *severity;
  TdDuration  max;
  TdCalendar *calendar;
  char       *condition;
} TdTimeLimit;

typedef struct
{
  int    tier;
  char **outcomes;
} TdFlowOutcomes;

typedef struct
{
  char    *id;
  char    *name;
  gboolean required;
} TdChecklistItem;

typedef struct
{
  char      *id;
  char      *name;
  char      *trigger;
  GPtrArray *items; /* TdChecklistItem */
} TdChecklist;

typedef struct
{
  int   week;
  char *position;
  char *name;
  char *contact;
} TdRotaSlot;

typedef struct
{
  char      *id;
  int        tier;
  char      *name;
  int        weeks;
  GPtrArray *positions; /* TdPolicyItem */
  GPtrArray *slots;     /* TdRotaSlot */
} TdRotaTemplate;

typedef enum
{
  TD_ACCESS_FULL,
  TD_ACCESS_READ,
  TD_ACCESS_LIMITED,
} TdAccessLevel;

typedef struct
{
  int           tier;
  TdAccessLevel level;
} TdToolAccess;

typedef struct
{
  char      *id;
  char      *name;
  char      *purpose;
  GPtrArray *access; /* TdToolAccess */
} TdTool;

/* A kind of production change [4.3, 5.3, 10.1 Change Success Rate] and the
 * lowest tier whose people make it: configuration from Tier 2, code,
 * database and infrastructure from Tier 3. */
typedef struct
{
  char *id;
  char *name;
  int   from_tier;
} TdChangeKind;

/* Who may perform one kind of write; anything not listed is refused. */
typedef struct
{
  char  *action;
  char  *description;
  char **roles;
} TdPermission;

typedef struct
{
  int    tier;
  char  *request;
  char **grants;
  char  *approver;
} TdAccessProvisioning;

typedef struct
{
  char    *id;
  char    *name;
  gboolean prohibited;
  int      authority_tier;
  char   **authority_roles;
  char   **approval_roles;
  char    *approval_label;
} TdCorrectionRule;

/* What Tierdesk measures for a metric or a quality standard (td-metrics.c
 * says how each is computed). */
typedef enum
{
  TD_MEASURE_NONE,
  TD_MEASURE_RESPONSE,
  TD_MEASURE_RESOLUTION_TIME,
  TD_MEASURE_FIRST_CONTACT_RESOLUTION,
  TD_MEASURE_ESCALATION_ACCURACY,
  TD_MEASURE_RESOLUTION_RATE,
  TD_MEASURE_CHANGE_SUCCESS,
  TD_MEASURE_DOCUMENTATION,
  TD_MEASURE_PING_PONG,
  TD_MEASURE_PIR_COMPLETION,
  TD_MEASURE_KNOWLEDGE_UPDATES,
} TdMeasure;

typedef struct
{
  char *id;
  int   tier;
  char *name;
  /* '<' (lower is better) or '>' (higher is better) */
  char       comparison;
  gboolean   is_percent;
  double     percent;
  TdDuration duration;
  /* TD_MEASURE_NONE when the policy does not say: shown, not computed. */
  TdMeasure measure;
  /* (nullable) only tickets of this severity count ("SEV-1 Response"). */
  char *severity;
} TdMetricTarget;

typedef struct
{
  char      *id;
  char      *name;
  char      *requirement;
  gboolean   has_within;
  TdDuration within;
  char     **severities;
  TdMeasure  measure;
} TdQualityStandard;

typedef enum
{
  TD_TRAINING_ONBOARDING,
  TD_TRAINING_QUARTERLY,
  TD_TRAINING_ANNUAL,
} TdTrainingFrequency;

typedef struct
{
  char               *id;
  int                 tier;
  char               *topic;
  double              hours;
  TdTrainingFrequency frequency;
} TdTrainingTopic;

typedef struct
{
  char *label;
  char *value;
} TdContactEntry;

typedef struct
{
  char      *id;
  char      *name;
  GPtrArray *entries; /* TdContactEntry */
} TdContactSection;

typedef struct
{
  char *id;
  char *title;
  char *system;
  char *version;
  char *last_updated;
  char *status;
  char *classification;
  char *summary;
} TdPolicyDocument;

#define TD_TYPE_POLICY (td_policy_get_type ())
G_DECLARE_FINAL_TYPE (TdPolicy, td_policy, TD, POLICY, GObject)

GQuark td_policy_error_quark (void);

/* On failure @errors (if not NULL) receives every problem as "PATH: REASON". */
TdPolicy *td_policy_load (const char *data, gssize length, GPtrArray **errors);
TdPolicy *td_policy_new_from_data (const char *data, gssize length, GError **error);
TdPolicy *td_policy_new_from_file (const char *path, GError **error);
/* The policy shipped with Tierdesk: $TD_POLICY_FILE, the installed copy, or
 * the source tree's when running uninstalled. */
char     *td_policy_find_default_file (void);
TdPolicy *td_policy_new_default (GError **error);

const char             *td_policy_get_json (TdPolicy *self);
int                     td_policy_get_schema_version (TdPolicy *self);
const TdPolicyDocument *td_policy_get_document (TdPolicy *self);
char                   *td_policy_describe (TdPolicy *self);

GPtrArray         *td_policy_get_calendars (TdPolicy *self);
TdCalendar        *td_policy_get_calendar (TdPolicy *self, const char *id);
GPtrArray         *td_policy_get_roles (TdPolicy *self);
const TdRole      *td_policy_get_role (TdPolicy *self, const char *id);
GPtrArray         *td_policy_get_tiers (TdPolicy *self);
const TdTier      *td_policy_get_tier (TdPolicy *self, int level);
int                td_policy_get_max_tier (TdPolicy *self);
GPtrArray         *td_policy_get_severities (TdPolicy *self);
const TdSeverity  *td_policy_get_severity (TdPolicy *self, const char *id);
const TdIssueType *td_policy_get_issue_type (TdPolicy *self, const char *id);
double             td_policy_get_at_risk_fraction (TdPolicy *self);
GPtrArray         *td_policy_get_ticket_fields (TdPolicy *self);
GPtrArray         *td_policy_get_impacts (TdPolicy *self);
GPtrArray         *td_policy_get_urgencies (TdPolicy *self);
GPtrArray         *td_policy_get_triage_rules (TdPolicy *self);
GPtrArray         *td_policy_get_escalation_paths (TdPolicy *self);
GPtrArray         *td_policy_get_time_limits (TdPolicy *self);
GPtrArray         *td_policy_get_flow_outcomes (TdPolicy *self);
GPtrArray         *td_policy_get_checklists (TdPolicy *self);
const TdChecklist *td_policy_get_checklist (TdPolicy *self, const char *id);
GPtrArray         *td_policy_get_shift_handoff (TdPolicy *self);
GPtrArray         *td_policy_get_rota_templates (TdPolicy *self);
GPtrArray         *td_policy_get_tools (TdPolicy *self);
/* TdChangeKind, in the file's order; empty when the policy lists none. */
GPtrArray          *td_policy_get_change_kinds (TdPolicy *self);
const TdChangeKind *td_policy_get_change_kind (TdPolicy *self, const char *id);
GPtrArray          *td_policy_get_permissions (TdPolicy *self);
/* "change the support model": the action as the policy describes it, for
 * refusals a person reads. */
char *td_policy_describe_action (TdPolicy *self, const char *action);
/* Deny by default: FALSE for an action the policy does not list. */
gboolean td_policy_role_may (TdPolicy *self, const char *role, const char *action);
/* Whether @role may change a ticket at @tier: a role tied to a tier acts
 * at its own tier or below; leads and managers, and roles without a tier,
 * anywhere. FALSE for a role the policy does not know. */
gboolean                td_policy_role_reaches_tier (TdPolicy *self, const char *role, int tier);
GPtrArray              *td_policy_get_access_provisioning (TdPolicy *self);
GPtrArray              *td_policy_get_corrections (TdPolicy *self);
const TdCorrectionRule *td_policy_get_correction (TdPolicy *self, const char *id);
GPtrArray              *td_policy_get_metrics (TdPolicy *self);
GPtrArray              *td_policy_get_quality_standards (TdPolicy *self);
/* "response", "ping_pong", …: the policy's word for a measure, and back. */
const char *td_measure_to_string (TdMeasure measure);
gboolean    td_measure_from_string (const char *text, TdMeasure *out);
GPtrArray  *td_policy_get_training (TdPolicy *self);
/* Days after the start date within which onboarding topics are due (30),
 * and how near a due date counts as "due soon" (14). */
int         td_policy_get_onboarding_due_days (TdPolicy *self);
int         td_policy_get_training_due_soon_days (TdPolicy *self);
const char *td_policy_get_contact_card_title (TdPolicy *self);
GPtrArray  *td_policy_get_contact_card (TdPolicy *self);

G_END_DECLS
