/* td-json-guard.h — check JSON text before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than anything Tierdesk writes (a policy nests about eight levels,
 * a command four), shallow enough for any thread's stack. */
#define TD_JSON_MAX_DEPTH 64

typedef struct
{
  /* "commands[0].fields.title", or NULL when no one value is at fault. */
  char *field;
  /* What is wrong, without the field: "contains \\u0000 (NUL), …". */
  char *message;
  guint line;
  guint column;
} TdJsonProblem;

void td_json_problem_free (TdJsonProblem *problem);

/* json-glib parses recursively, so a body of 100,000 '[' overflows the
 * stack of the thread that parses it; and its strings are C strings, so a
 * "\u0000" silently cuts a text short. This looks at the text first and
 * returns the first problem, or NULL when the text may be parsed:
 * arrays and objects nested deeper than @max_depth, "\u0000", an unpaired
 * surrogate escape, or bytes that are not UTF-8 inside a string. Syntax
 * errors are left to the parser, which names them better. */
TdJsonProblem *td_json_guard_check (const char *data, gsize length, guint max_depth);

/* json_to_string (), but strict JSON: json-glib 1.6 writes U+001F as the
 * raw byte, which JSON forbids (SQLite's json_valid () and most parsers
 * refuse it). The byte can only be inside a string, so it is escaped in
 * place. */
char *td_json_to_string (JsonNode *node, gboolean pretty);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdJsonProblem, td_json_problem_free)

G_END_DECLS
