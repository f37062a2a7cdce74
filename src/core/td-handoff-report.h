/* td-handoff-report.h — the shift handoff report [8.3]: built from live data, laid out, Markdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "td-policy.h"

G_BEGIN_DECLS

/* One open ticket as the report needs it. Instants are 0 when they have
 * not happened. */
typedef struct
{
  const char *id;
  const char *title;
  const char *status;
  const char *severity;
  const char *priority;
  const char *issue_type;
  int         tier;
  const char *owner_name; /* nullable */
  TdInstant   created_at;
  TdInstant   first_response_at;
  TdInstant   last_update_at;
  TdInstant   tier_entered_at;
  /* Escalated to its tier and nobody there has acted on it since. */
  gboolean  awaiting_pickup;
  int       escalated_from;
  TdInstant escalated_at;
} TdHandoffTicket;

/* Who holds an on-call position now, or next. */
typedef struct
{
  int         tier;
  const char *rotation;
  const char *position;
  const char *person;
  const char *contact; /* nullable: phone or e-mail */
  TdInstant   starts_at;
  TdInstant   ends_at;
  gboolean    is_next;
} TdHandoffContact;

typedef struct
{
  /* 0: every tier. */
  int                     tier;
  TdInstant               now;
  const TdHandoffTicket  *tickets;
  guint                   n_tickets;
  const TdHandoffContact *contacts;
  guint                   n_contacts;
} TdHandoffInput;

/* What is printed above the report: from the shift_handoff row. */
typedef struct
{
  const char *team;
  /* (nullable) the outgoing lead's shift, as the directory words it. */
  const char *shift;
  /* The stretch the report covers: since the team's previous handoff (0:
   * none before). */
  TdInstant   period_start;
  TdInstant   period_end;
  const char *author;
  const char *handed_to;
  TdInstant   created_at; /* 0: not handed over yet (a preview) */
  const char *acknowledged_by;
  TdInstant   acknowledged_at;
  const char *notes;
} TdHandoffHeader;

typedef enum
{
  TD_HANDOFF_BLOCK_TITLE,
  TD_HANDOFF_BLOCK_FIELD,      /* cells: label, value */
  TD_HANDOFF_BLOCK_HEADING,    /* cells: heading, description */
  TD_HANDOFF_BLOCK_TABLE_HEAD, /* cells: column names */
  TD_HANDOFF_BLOCK_TABLE_ROW,  /* cells: one per column */
  TD_HANDOFF_BLOCK_ITEM,       /* a bullet */
  TD_HANDOFF_BLOCK_TEXT,
} TdHandoffBlockKind;

typedef struct
{
  TdHandoffBlockKind kind;
  char             **cells;
} TdHandoffBlock;

void td_handoff_block_free (TdHandoffBlock *block);

/* The snapshot stored in shift_handoff.report (docs/schema.md): open
 * tickets (most severe first), active SEV-1/2 incidents, pending actions
 * (responses and updates due, escalation time limits with the checklist
 * to complete), escalations awaiting pick-up and the key contacts on call
 * now and next. Only tickets at @input->tier count, unless it is 0. */
JsonObject *td_handoff_report_build (TdPolicy *policy, const TdHandoffInput *input);

/* The report as blocks (TdHandoffBlock), for the preview, the PDF and the
 * Markdown alike; times in @zone. Sections are named as the policy's
 * shift_handoff items name them. */
GPtrArray *td_handoff_report_layout (TdPolicy              *policy,
                                     JsonObject            *report,
                                     const TdHandoffHeader *header,
                                     GTimeZone             *zone);

char *td_handoff_report_to_markdown (GPtrArray *blocks);

/* The open ticket titles of a stored report, in order (borrowed). */
GPtrArray *td_handoff_report_ticket_titles (JsonObject *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdHandoffBlock, td_handoff_block_free)

G_END_DECLS
