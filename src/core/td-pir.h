/* td-pir.h — post-incident reviews [10.2, 5.2]: their rules, the timeline
 * taken from a ticket's history, participation, and a Markdown report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "td-policy.h"

G_BEGIN_DECLS

#define TD_PIR_ERROR (td_pir_error_quark ())

typedef enum
{
  TD_PIR_ERROR_INVALID,
  TD_PIR_ERROR_RULE,
} TdPirError;

typedef enum
{
  TD_PIR_SCHEDULED,
  TD_PIR_HELD,
  TD_PIR_ACTIONS_OPEN,
  TD_PIR_CLOSED,
} TdPirStatus;

#define TD_STANDARD_PIR_PARTICIPATION "pir-participation"

typedef struct
{
  /* A person's uuid in the directory, or NULL for someone outside it. */
  char    *person;
  char    *name;
  gboolean required;
  gboolean attended;
} TdPirParticipant;

typedef struct
{
  char *text;
  /* The owner's person uuid. */
  char *owner;
  /* "YYYY-MM-DD". */
  char    *due;
  gboolean done;
} TdPirAction;

typedef struct
{
  TdInstant at;
  char     *kind;
  char     *author;
  char     *text;
} TdPirEvent;

typedef struct
{
  char       *uuid;
  char       *ticket;
  TdPirStatus status;
  TdInstant   due_at;
  TdInstant   scheduled_at;
  TdInstant   held_at;
  GPtrArray  *participants; /* TdPirParticipant */
  GPtrArray  *actions;      /* TdPirAction */
  GPtrArray  *timeline;     /* TdPirEvent */
  char       *root_cause;
  char       *contributing_factors;
} TdPir;

GQuark td_pir_error_quark (void);

gboolean    td_pir_status_from_string (const char *id, TdPirStatus *out);
const char *td_pir_status_to_string (TdPirStatus status);

/* A pir row as the server sends it or the cache keeps it (its JSON
 * columns as JSON or as text). The error names the field: "actions[2].due: …". */
TdPir *td_pir_new_from_row (JsonObject *row, GError **error);
void   td_pir_free (TdPir *pir);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdPir, td_pir_free)

/* When the review of an incident resolved at @resolved_at is due: the
 * "within" of the "pir-participation" standard, five days without one. */
TdInstant td_pir_due (TdPolicy *policy, TdInstant resolved_at);

/* What each status needs: every action an owner and a due date; held and
 * later a held_at and a root cause; actions_open an open action; closed
 * every action done. */
gboolean td_pir_check (const TdPir *pir, GError **error);

guint td_pir_count_open_actions (const TdPir *pir);
/* Open actions whose due date is before @today. */
guint td_pir_count_overdue_actions (const TdPir *pir, const GDate *today);
/* Still scheduled after its due time. */
gboolean td_pir_is_overdue (const TdPir *pir, TdInstant now);
/* Overdue, or held with actions still open: what the queue points out. */
gboolean td_pir_needs_attention (const TdPir *pir, TdInstant now);

/* How many reviews @person was required at and attended. */
void td_pir_participation (GPtrArray *pirs, const char *person, guint *required, guint *attended);
/* The reviews (of @pirs, held or later) @person was required at and did
 * not attend, in @pirs' order: what a manager follows up. The array
 * borrows the TdPir pointers of @pirs. */
GPtrArray *td_pir_missed (GPtrArray *pirs, const char *person);

/* The follow-ups: the reviews that td_pir_needs_attention() at @now, read
 * from pir rows (JsonObject, as the cache lists them) and kept in their
 * order; a row that does not parse is left out. The queue's follow-ups
 * and the Metrics page list the same reviews through this. */
GPtrArray *td_pir_list_follow_ups (GPtrArray *rows, TdInstant now);
/* Why a follow-up needs someone, after its ticket's severity (NULL: "—"):
 * "SEV-2 · review overdue by 3 d" or "SEV-2 · 2 actions open". */
char *td_pir_describe_follow_up (const TdPir *pir, const char *severity, TdInstant now);

/* One line for a ticket_event row ({kind, body, data, at, author}). */
char *td_pir_describe_event (JsonObject *event);
/* The timeline of a review, from a ticket's events in any order: a JSON
 * array of {at, kind, author, text}, oldest first. */
JsonNode *td_pir_timeline_from_events (GPtrArray *events);

/* The review as a Markdown document. @names maps person uuids to names
 * (may be NULL). */
char *td_pir_to_markdown (const TdPir *pir,
                          const char  *ticket_title,
                          const char  *severity,
                          GHashTable  *names);

G_END_DECLS
