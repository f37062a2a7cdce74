/* td-notifier.c — desktop notifications for the tickets a person owns
 *
 * Three moments matter to an owner: a ticket will breach within fifteen
 * minutes, it has breached, and (SEV-1/2) the next update to the user is
 * due. Each is said once per deadline, so the minute tick never repeats
 * itself, and a new deadline (after an update, an escalation) is said anew.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-format.h"
#include "td-notifier.h"
#include "td-ticket.h"

struct _TdNotifier
{
  GObject parent_instance;

  GApplication *application; /* weak */
  TdSession    *session;
  GHashTable   *said; /* "kind uuid due" already notified */
};

G_DEFINE_FINAL_TYPE (TdNotifier, td_notifier, G_TYPE_OBJECT)

enum
{
  NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
has_update_cadence (TdPolicy *policy, const char *severity_id)
{
  GPtrArray *severities = td_policy_get_severities (policy);

  for (guint i = 0; severity_id != NULL && i < severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (severities, i);

      if (g_str_equal (severity->id, severity_id))
        return severity->level <= 2;
    }
  return FALSE;
}

static void
say (TdNotifier *self,
     const char *kind,
     TdTicket   *ticket,
     gint64      due,
     const char *title,
     const char *body)
{
  g_autofree char *key
      = g_strdup_printf ("%s %s %" G_GINT64_FORMAT, kind, td_ticket_get_uuid (ticket), due);
  g_autofree char *id = NULL;

  if (g_hash_table_contains (self->said, key))
    return;
  g_hash_table_add (self->said, g_steal_pointer (&key));
  /* One notification per ticket and kind: a newer one replaces it. */
  id = g_strdup_printf ("%s-%s", kind, td_ticket_get_uuid (ticket));
  g_signal_emit (self, signals[NOTIFICATION], 0, id, title, body, td_ticket_get_uuid (ticket));

  if (self->application != NULL)
    {
      g_autoptr (GNotification) notification = g_notification_new (title);

      g_notification_set_body (notification, body);
      g_notification_set_priority (notification, g_str_equal (kind, "breached")
                                                     ? G_NOTIFICATION_PRIORITY_URGENT
                                                     : G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_set_default_action_and_target (notification, "app.open-ticket", "s",
                                                    td_ticket_get_uuid (ticket));
      g_application_send_notification (self->application, id, notification);
    }
}

static char *
clock_time (gint64 when)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (when);
  return g_date_time_format (local, "%H:%M");
}

void
td_notifier_check (TdNotifier *self, gint64 now)
{
  const char *person;
  TdPolicy   *policy;
  g_autoptr (GPtrArray) rows = NULL;

  g_return_if_fail (TD_IS_NOTIFIER (self));

  if (!td_session_is_connected (self->session))
    return;
  person = td_session_get_person (self->session);
  if (person == NULL)
    return;
  policy = td_session_get_policy (self->session);
  rows = td_cache_list (td_session_get_cache (self->session), "ticket", "owner", person,
                        "created_at");

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr (TdTicket) ticket = td_ticket_new (g_ptr_array_index (rows, i));
      gint64 due, update_due;

      td_ticket_refresh_sla (ticket, policy, now);
      if (!td_ticket_is_open (ticket))
        continue;
      due = td_ticket_get_sla_due (ticket);
      update_due = td_ticket_get_update_due (ticket);

      if (due != G_MAXINT64 && td_ticket_get_sla_state (ticket) != TD_SLA_NO_CLOCK)
        {
          g_autofree char *at = clock_time (due);

          if (due <= now)
            {
              g_autofree char *title
                  = g_strdup_printf (_ ("Breached: %s"), td_ticket_get_title (ticket));
              g_autofree char *body = g_strdup_printf (
                  _ ("%s ticket in Tier %d; its SLA was due at %s"),
                  td_ticket_get_severity (ticket) != NULL ? td_ticket_get_severity (ticket) : "",
                  td_ticket_get_tier (ticket), at);

              say (self, "breached", ticket, due, title, body);
            }
          else if (due - now <= TD_NOTIFIER_WARNING_SECONDS)
            {
              g_autofree char *left = td_format_span (due - now);
              g_autofree char *title
                  = g_strdup_printf (_ ("Breaches in %s: %s"), left, td_ticket_get_title (ticket));
              g_autofree char *body = g_strdup_printf (
                  _ ("%s ticket in Tier %d; its SLA is due at %s"),
                  td_ticket_get_severity (ticket) != NULL ? td_ticket_get_severity (ticket) : "",
                  td_ticket_get_tier (ticket), at);

              say (self, "breach-soon", ticket, due, title, body);
            }
        }
      if (update_due != G_MAXINT64 && update_due - now <= TD_NOTIFIER_WARNING_SECONDS
          && has_update_cadence (policy, td_ticket_get_severity (ticket)))
        {
          g_autofree char *at = clock_time (update_due);
          g_autofree char *title
              = g_strdup_printf (_ ("Update due: %s"), td_ticket_get_title (ticket));
          g_autofree char *body
              = g_strdup_printf (update_due <= now ? _ ("The next update to the user was due at %s")
                                                   : _ ("The next update to the user is due at %s"),
                                 at);

          say (self, "update-due", ticket, update_due, title, body);
        }
    }
}

TdNotifier *
td_notifier_new (GApplication *application, TdSession *session)
{
  TdNotifier *self = g_object_new (TD_TYPE_NOTIFIER, NULL);

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);
  self->session = g_object_ref (session);
  if (application != NULL)
    g_set_weak_pointer (&self->application, application);
  return self;
}

static void
td_notifier_finalize (GObject *object)
{
  TdNotifier *self = (TdNotifier *) object;

  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->session);
  g_clear_pointer (&self->said, g_hash_table_unref);
  G_OBJECT_CLASS (td_notifier_parent_class)->finalize (object);
}

static void
td_notifier_class_init (TdNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_notifier_finalize;

  /* (id, title, body, ticket uuid) */
  signals[NOTIFICATION] = g_signal_new ("notification", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                                        G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
td_notifier_init (TdNotifier *self)
{
  self->said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
