/* td-demo-knowledge.h — the demo data's knowledge base, post-incident reviews and changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "td-policy.h"

G_BEGIN_DECLS

/* Adds articles (FAQ, known issues with workarounds, runbooks) with their
 * history, links them to the demo tickets they answer, classes those
 * tickets' resolutions, flags a few as new issues, and writes the reviews
 * of resolved SEV-1/2 tickets, and twelve weeks of production changes
 * (releases, patching, database maintenance, the changes tickets asked
 * for) with next week's plan. Runs inside the demo data's transaction,
 * after the tickets; *@rev is the last revision handed out. Deterministic:
 * uuids come from the content and the tickets'. */
gboolean td_demo_knowledge_insert (sqlite3  *db,
                                   TdPolicy *policy,
                                   gint64    now,
                                   gint64   *rev,
                                   GError  **error);

G_END_DECLS
