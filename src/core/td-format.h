/* td-format.h — how times and ticket states read in the queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A span of time as a lead reads it at a glance: "45 min", "3 h 20 min",
 * "2 d 4 h". Coarser as it grows, never more than two units. */
char *td_format_span (gint64 seconds);
/* An SLA countdown at @now: "45 min left", or "12 min overdue". */
char *td_format_countdown (gint64 due, gint64 now);
/* How long ago: "12 min", "3 h", "5 d". */
char *td_format_age (gint64 since, gint64 now);
/* "in_progress" → "In Progress"; unknown ids are shown as they are. */
const char *td_format_status (const char *status);

G_END_DECLS
