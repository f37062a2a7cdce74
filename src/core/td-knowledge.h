/* td-knowledge.h — knowledge-base rules: article kinds and checks, the
 * 24-hour "document it" clock [10.2], resolution classes, search queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"

G_BEGIN_DECLS

#define TD_KNOWLEDGE_ERROR (td_knowledge_error_quark ())

typedef enum
{
  TD_KNOWLEDGE_ERROR_INVALID,
} TdKnowledgeError;

typedef enum
{
  TD_ARTICLE_FAQ,
  TD_ARTICLE_KNOWN_ISSUE,
  TD_ARTICLE_RUNBOOK,
} TdArticleKind;

/* The ids stored in article.kind. */
#define TD_ARTICLE_KIND_FAQ         "faq"
#define TD_ARTICLE_KIND_KNOWN_ISSUE "known_issue"
#define TD_ARTICLE_KIND_RUNBOOK     "runbook"

/* ticket.resolution_class values. */
#define TD_RESOLUTION_KNOWN_ISSUE "known_issue_documented"
#define TD_RESOLUTION_NEW_ISSUE   "new_issue"

/* The quality standards of [10.2] these rules read their numbers from. */
#define TD_STANDARD_KNOWLEDGE_UPDATES "knowledge-updates"

typedef enum
{
  /* No clock: the ticket is not resolved, or its issue was not new. */
  TD_DOC_CLOCK_NONE,
  TD_DOC_CLOCK_RUNNING,
  /* Documented within the window. */
  TD_DOC_CLOCK_MET,
  /* Past the window, documented late or not at all. */
  TD_DOC_CLOCK_BREACHED,
} TdDocClockState;

typedef struct
{
  TdDocClockState state;
  /* resolved_at + the window; 0 without a clock. */
  TdInstant due;
  /* When an article was linked; 0 while the clock runs. */
  TdInstant documented_at;
} TdDocClock;

GQuark td_knowledge_error_quark (void);

gboolean    td_article_kind_from_string (const char *id, TdArticleKind *out);
const char *td_article_kind_to_string (TdArticleKind kind);

/* The window of the "knowledge-updates" standard, in seconds; 24 hours if
 * the policy has no such standard or it gives no "within". */
gint64 td_knowledge_documentation_window (TdPolicy *policy);

/* The clock of a ticket resolved at @resolved_at (0: not resolved) whose
 * resolver flagged its issue as new, stopped at @documented_at (0: not
 * yet) by linking an article. */
void td_knowledge_documentation_clock (TdPolicy   *policy,
                                       gboolean    new_issue,
                                       TdInstant   resolved_at,
                                       TdInstant   documented_at,
                                       TdInstant   now,
                                       TdDocClock *out);

/* The class a resolution gets: known issue (documented) when a known issue
 * is linked, new issue when the resolver flagged it, otherwise NULL. */
const char *td_knowledge_resolution_class (gboolean linked_known_issue, gboolean new_issue);

/* Checks an article's fields as they will be stored. @tags_json and
 * @tiers_json are JSON text (NULL: empty); tiers must be the policy's
 * levels. The error names the field: "title: …", "tiers[1]: …". */
gboolean td_knowledge_check_article (TdPolicy   *policy,
                                     const char *title,
                                     const char *kind,
                                     const char *body,
                                     const char *tags_json,
                                     const char *tiers_json,
                                     GError    **error);

/* A JSON array of strings as a NULL-terminated vector; NULL if @json is not
 * one. NULL or "" is the empty vector. */
GStrv td_knowledge_parse_strings (const char *json);
/* A JSON array of integers; NULL if @json is not one. */
GArray *td_knowledge_parse_ints (const char *json);

/* An FTS5 MATCH expression for what a person typed: every word must occur,
 * the last one as a prefix (search as you type). NULL when nothing
 * searchable was typed. Quotes and operators are taken as text. */
char *td_knowledge_fts_query (const char *text);
/* Articles that may be about what @text describes (a ticket's title): any
 * of its words of three letters or more, best match first. NULL when
 * there is no such word. */
char *td_knowledge_fts_query_any (const char *text);

/* An article body (plain text with simple formatting) as Pango markup:
 * "# " starts a heading line, "- " or "* " a bullet, **text** is bold and
 * `text` monospace; everything else is escaped. */
char *td_knowledge_body_to_markup (const char *body);
/* The same text in one paragraph, its formatting taken out: for a row's
 * subtitle ("Workaround: Clear the cookies. Open a private window."). */
char *td_knowledge_body_to_plain (const char *body);

G_END_DECLS
