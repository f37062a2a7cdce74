/* td-change-row.h — one production change as a list row, for the changes window and the ticket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

/* An activatable row: the change's title; its kind, tier, implementer and
 * time (planned or performed); its status. @names (nullable) maps person
 * uuids to names; without it the cache is asked. */
GtkWidget *td_change_row_new (TdSession *session, JsonObject *change, GHashTable *names);
/* The change_record uuid of a row td_change_row_new () made. */
const char *td_change_row_get_uuid (GtkListBoxRow *row);

G_END_DECLS
