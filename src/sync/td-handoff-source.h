/* td-handoff-source.h — the shift handoff report's live data, read from the client cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-handoff-report.h"
#include "td-rota-store.h"

G_BEGIN_DECLS

/* Builds the report (td_handoff_report_build ()) at @now for @tier (0:
 * every tier) from the open tickets in the cache at @path, read on a
 * read-only connection, and from who is on call now and next in @rotas
 * (nullable). */
JsonObject *td_handoff_source_build (const char  *path,
                                     TdPolicy    *policy,
                                     TdRotaStore *rotas,
                                     int          tier,
                                     TdInstant    now,
                                     GError     **error);

G_END_DECLS
