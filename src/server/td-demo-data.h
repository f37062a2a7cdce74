/* td-demo-data.h — deterministic demo data for a server store: people, rotas, training, tickets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "td-policy.h"

G_BEGIN_DECLS

#define TD_DEMO_DATA_ERROR (td_demo_data_error_quark ())

typedef enum
{
  TD_DEMO_DATA_ERROR_SQLITE,
  TD_DEMO_DATA_ERROR_POLICY,
} TdDemoDataError;

/* The reference data set of DESIGN.md §6: the sizes that do not scale with
 * the number of tickets. */
#define TD_DEMO_DATA_N_PEOPLE   300
#define TD_DEMO_DATA_N_TRAINING 5000

GQuark td_demo_data_error_quark (void);
/* Fills a migrated server store in one transaction; the same arguments give
 * the same rows. @now is the instant the data set is built around. */
gboolean td_demo_data_generate (sqlite3  *db,
                                TdPolicy *policy,
                                guint     n_tickets,
                                guint32   seed,
                                gint64    now,
                                GError  **error);

/* Makes each account that is no one in the directory a demo person of its
 * role, so "assigned to me" means something in the demo. Returns how many
 * accounts it linked. */
guint td_demo_data_link_accounts (sqlite3 *db, GError **error);

G_END_DECLS
