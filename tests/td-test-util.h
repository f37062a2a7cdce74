/* td-test-util.h — what several test programs need: the shipped policy, SQL look-ups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "td-policy.h"
#include "td-time.h"

G_BEGIN_DECLS

/* $TD_POLICY_FILE, or data/policy/lms-support-model.json in the source tree. */
char     *td_test_policy_path (void);
char     *td_test_shipped_text (void);
TdPolicy *td_test_shipped_policy (void);
/* The single integer a query returns; the test fails if it returns none. */
gint64 td_test_query_int (sqlite3 *db, const char *sql);

/* Starts a session bus of the test's own in @dir, with no service started
 * on demand (no keyring to prompt, nothing of the desktop running the
 * tests), and points DBUS_SESSION_BUS_ADDRESS at it. Stop it with
 * g_subprocess_force_exit (). */
GSubprocess *td_test_private_bus_start (const char *dir);

/* An ISO 8601 instant written in a test, as core's instant. */
TdInstant td_test_iso (const char *text);

/* Compares an instant with the ISO 8601 UTC text a person would check. */
#define td_test_assert_instant(actual, expected)                \
  G_STMT_START                                                  \
  {                                                             \
    g_autofree char *_actual = td_time_format_instant (actual); \
    g_assert_cmpstr (_actual, ==, (expected));                  \
  }                                                             \
  G_STMT_END

G_END_DECLS
