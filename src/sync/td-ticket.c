/* td-ticket.c — one ticket as the queue shows it: a cache row and its SLA clocks
 *
 * A TdTicket is what a queue row binds to. It keeps a private copy of the
 * cache row, so a caller that goes on editing its JsonObject cannot change
 * what the list shows behind its back, and it notifies only the properties
 * whose value really changed: a per-minute tick over a screenful of rows
 * then redraws only the labels whose countdown moved on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-ticket.h"
#include "td-time.h"

struct _TdTicket
{
  GObject parent_instance;

  JsonObject *row;

  /* The row's values, read once: getters are called on every redraw. */
  char    *uuid;
  char    *title;
  char    *severity;
  char    *priority;
  char    *status;
  char    *owner;
  int      tier;
  gint64   created_at;
  gboolean open;

  TdSlaState sla_state;
  gint64     sla_due;
  TdSlaState update_state;
  gint64     update_due;
};

G_DEFINE_FINAL_TYPE (TdTicket, td_ticket, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_UUID,
  PROP_TITLE,
  PROP_TIER,
  PROP_SEVERITY,
  PROP_PRIORITY,
  PROP_STATUS,
  PROP_OWNER,
  PROP_CREATED_AT,
  PROP_SLA_STATE,
  PROP_SLA_DUE,
  PROP_UPDATE_DUE,
  PROP_UPDATE_STATE,
  PROP_OPEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

/* Member by member, so that later edits of @row by its owner do not show
 * here. Ticket rows hold only scalars, for which json_node_copy() is deep. */
static JsonObject *
copy_row (JsonObject *row)
{
  JsonObject    *copy = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, row);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (copy, name, json_node_copy (value));
  return copy;
}

/* NULL for a missing member, a JSON null or a value that is not text. */
static const char *
row_text (JsonObject *row, const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Instants are integers in the cache; a row from elsewhere (the API, a
 * test) may carry them as RFC 3339 text. 0 means "not yet". */
static gint64
row_instant (JsonObject *row, const char *name)
{
  JsonNode *node = json_object_get_member (row, name);
  TdInstant instant = 0;
  GType     type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  if (type == G_TYPE_STRING && td_time_parse_instant (json_node_get_string (node), &instant))
    return instant;
  return 0;
}

static gboolean
status_is_open (const char *status)
{
  return status == NULL || !(g_str_equal (status, "resolved") || g_str_equal (status, "closed"));
}

static void
set_text (TdTicket *self, char **field, const char *value, int prop)
{
  g_assert (TD_IS_TICKET (self));

  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (TdTicket *self, gint64 *field, gint64 value, int prop)
{
  g_assert (TD_IS_TICKET (self));

  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (TdTicket *self, TdSlaState *field, TdSlaState value, int prop)
{
  g_assert (TD_IS_TICKET (self));

  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Reads the shown values out of self->row, notifying what differs from
 * before; a new object has nobody listening yet, so it costs nothing. */
static void
load_row (TdTicket *self)
{
  const char *status = row_text (self->row, "status");
  gint64      tier = 0;
  gboolean    open;
  JsonNode   *node;

  g_assert (TD_IS_TICKET (self));

  node = json_object_get_member (self->row, "tier");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    tier = json_node_get_int (node);

  set_text (self, &self->uuid, row_text (self->row, "uuid"), PROP_UUID);
  set_text (self, &self->title, row_text (self->row, "title"), PROP_TITLE);
  set_text (self, &self->severity, row_text (self->row, "severity"), PROP_SEVERITY);
  set_text (self, &self->priority, row_text (self->row, "priority"), PROP_PRIORITY);
  set_text (self, &self->status, status, PROP_STATUS);
  set_text (self, &self->owner, row_text (self->row, "owner"), PROP_OWNER);
  if (self->tier != (int) tier)
    {
      self->tier = (int) tier;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIER]);
    }
  set_int64 (self, &self->created_at, row_instant (self->row, "created_at"), PROP_CREATED_AT);

  open = status_is_open (status);
  if (self->open != open)
    {
      self->open = open;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
    }
}

/* Overrides */

static void
td_ticket_finalize (GObject *object)
{
  TdTicket *self = TD_TICKET (object);

  g_clear_pointer (&self->row, json_object_unref);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->severity, g_free);
  g_clear_pointer (&self->priority, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->owner, g_free);

  G_OBJECT_CLASS (td_ticket_parent_class)->finalize (object);
}

static void
td_ticket_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TdTicket *self = TD_TICKET (object);

  switch (prop_id)
    {
      case PROP_UUID:
        g_value_set_string (value, self->uuid);
        break;
      case PROP_TITLE:
        g_value_set_string (value, self->title);
        break;
      case PROP_TIER:
        g_value_set_int (value, self->tier);
        break;
      case PROP_SEVERITY:
        g_value_set_string (value, self->severity);
        break;
      case PROP_PRIORITY:
        g_value_set_string (value, self->priority);
        break;
      case PROP_STATUS:
        g_value_set_string (value, self->status);
        break;
      case PROP_OWNER:
        g_value_set_string (value, self->owner);
        break;
      case PROP_CREATED_AT:
        g_value_set_int64 (value, self->created_at);
        break;
      case PROP_SLA_STATE:
        g_value_set_int (value, self->sla_state);
        break;
      case PROP_SLA_DUE:
        g_value_set_int64 (value, self->sla_due);
        break;
      case PROP_UPDATE_DUE:
        g_value_set_int64 (value, self->update_due);
        break;
      case PROP_UPDATE_STATE:
        g_value_set_int (value, self->update_state);
        break;
      case PROP_OPEN:
        g_value_set_boolean (value, self->open);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Class and instance init */

static void
td_ticket_class_init (TdTicketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = td_ticket_finalize;
  object_class->get_property = td_ticket_get_property;

  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_TIER] = g_param_spec_int ("tier", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_SEVERITY] = g_param_spec_string ("severity", NULL, NULL, NULL, flags);
  properties[PROP_PRIORITY] = g_param_spec_string ("priority", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_OWNER] = g_param_spec_string ("owner", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT]
      = g_param_spec_int64 ("created-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  /* TdSlaState has no GType (core does not register types for its enums),
   * so the states travel as their integer values. */
  properties[PROP_SLA_STATE] = g_param_spec_int ("sla-state", NULL, NULL, TD_SLA_NO_CLOCK,
                                                 TD_SLA_MET, TD_SLA_NO_CLOCK, flags);
  properties[PROP_SLA_DUE]
      = g_param_spec_int64 ("sla-due", NULL, NULL, G_MININT64, G_MAXINT64, G_MAXINT64, flags);
  properties[PROP_UPDATE_DUE]
      = g_param_spec_int64 ("update-due", NULL, NULL, G_MININT64, G_MAXINT64, G_MAXINT64, flags);
  properties[PROP_UPDATE_STATE] = g_param_spec_int ("update-state", NULL, NULL, TD_SLA_NO_CLOCK,
                                                    TD_SLA_MET, TD_SLA_NO_CLOCK, flags);
  properties[PROP_OPEN] = g_param_spec_boolean ("open", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
td_ticket_init (TdTicket *self)
{
  self->sla_state = TD_SLA_NO_CLOCK;
  self->sla_due = G_MAXINT64;
  self->update_state = TD_SLA_NO_CLOCK;
  self->update_due = G_MAXINT64;
}

/* Public API */

TdTicket *
td_ticket_new (JsonObject *row)
{
  TdTicket *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (TD_TYPE_TICKET, NULL);
  self->row = copy_row (row);
  load_row (self);
  return self;
}

void
td_ticket_update (TdTicket *self, JsonObject *row)
{
  g_return_if_fail (TD_IS_TICKET (self));
  g_return_if_fail (row != NULL);
  g_return_if_fail (g_strcmp0 (row_text (row, "uuid"), self->uuid) == 0);

  /* Frozen so that a label bound to several properties redraws once. */
  g_object_freeze_notify (G_OBJECT (self));
  g_clear_pointer (&self->row, json_object_unref);
  self->row = copy_row (row);
  load_row (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
td_ticket_refresh_sla (TdTicket *self, TdPolicy *policy, gint64 now)
{
  TdSlaTicket     input = { 0 };
  TdSlaQueueClock clock;

  g_return_if_fail (TD_IS_TICKET (self));
  g_return_if_fail (TD_IS_POLICY (policy));

  /* The same clock TdQueueModel sorts and filters by (td_sla_queue_clock). */
  input.tier = self->tier;
  input.severity = self->severity;
  input.issue_type = row_text (self->row, "issue_type");
  input.created = self->created_at;
  input.first_response = row_instant (self->row, "first_response_at");
  input.last_update = row_instant (self->row, "last_update_at");
  input.resolved = row_instant (self->row, "resolved_at");
  td_sla_queue_clock (policy, &input, self->open, now, &clock);

  g_object_freeze_notify (G_OBJECT (self));
  set_state (self, &self->sla_state, clock.state, PROP_SLA_STATE);
  set_int64 (self, &self->sla_due, clock.due, PROP_SLA_DUE);
  set_state (self, &self->update_state, clock.update_state, PROP_UPDATE_STATE);
  set_int64 (self, &self->update_due, clock.update_due, PROP_UPDATE_DUE);
  g_object_thaw_notify (G_OBJECT (self));
}

JsonObject *
td_ticket_get_row (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), NULL);
  return self->row;
}

const char *
td_ticket_get_uuid (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), NULL);
  return self->uuid;
}

const char *
td_ticket_get_title (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), NULL);
  return self->title;
}

int
td_ticket_get_tier (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), 0);
  return self->tier;
}

const char *
td_ticket_get_severity (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), NULL);
  return self->severity;
}

const char *
td_ticket_get_priority (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), NULL);
  return self->priority;
}

const char *
td_ticket_get_status (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), NULL);
  return self->status;
}

const char *
td_ticket_get_owner (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), NULL);
  return self->owner;
}

gint64
td_ticket_get_created_at (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), 0);
  return self->created_at;
}

gboolean
td_ticket_is_open (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), FALSE);
  return self->open;
}

TdSlaState
td_ticket_get_sla_state (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), TD_SLA_NO_CLOCK);
  return self->sla_state;
}

gint64
td_ticket_get_sla_due (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), G_MAXINT64);
  return self->sla_due;
}

gint64
td_ticket_get_update_due (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), G_MAXINT64);
  return self->update_due;
}

TdSlaState
td_ticket_get_update_state (TdTicket *self)
{
  g_return_val_if_fail (TD_IS_TICKET (self), TD_SLA_NO_CLOCK);
  return self->update_state;
}
