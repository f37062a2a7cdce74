/* td-test-util.c — what several test programs need: the shipped policy, SQL look-ups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-test-util.h"

char *
td_test_policy_path (void)
{
  const char *env = g_getenv ("TD_POLICY_FILE");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  /* G_TEST_SRCDIR is tests/, so the source root is one level up. */
  return g_test_build_filename (G_TEST_DIST, "..", "data", "policy", "lms-support-model.json",
                                NULL);
}

char *
td_test_shipped_text (void)
{
  g_autofree char *path = td_test_policy_path ();
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

TdPolicy *
td_test_shipped_policy (void)
{
  g_autofree char *path = td_test_policy_path ();
  g_autoptr (GError) error = NULL;
  TdPolicy *policy = td_policy_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (policy);
  return policy;
}

gint64
td_test_query_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64        value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

TdInstant
td_test_iso (const char *text)
{
  TdInstant instant = 0;

  g_assert_true (td_time_parse_instant (text, &instant));
  return instant;
}

GSubprocess *
td_test_private_bus_start (const char *dir)
{
  g_autofree char *config = g_build_filename (dir, "bus.conf", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *address = NULL;
  GSubprocess     *bus;

  g_file_set_contents (config,
                       "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>"
                       "<auth>EXTERNAL</auth><policy context=\"default\">"
                       "<allow send_destination=\"*\"/><allow receive_sender=\"*\"/>"
                       "<allow own=\"*\"/></policy></busconfig>",
                       -1, &error);
  g_assert_no_error (error);
  /* Its stderr is silenced: a bus left behind by a test killed on timeout
   * must not hold the test runner's pipes open. */
  bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, "dbus-daemon", "--config-file", config, "--nofork",
                          "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  return bus;
}
