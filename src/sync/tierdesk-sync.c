/* tierdesk-sync.c — sync a cache with tierdeskd once and print what happened
 *
 * For scripts, the tests and the benchmarks. The password is read from
 * standard input, never from the command line, where other users can see it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "td-sync.h"

int
main (int argc, char *argv[])
{
  g_autofree char   *cache_path = NULL;
  g_autofree char   *server = NULL;
  g_autofree char   *user = NULL;
  const GOptionEntry entries[] = { { "cache", 0, 0, G_OPTION_ARG_FILENAME, &cache_path,
                                     "Cache file (created if missing)", "FILE" },
                                   { "server", 0, 0, G_OPTION_ARG_STRING, &server,
                                     "Server, such as http://127.0.0.1:8470", "URL" },
                                   { "user", 0, 0, G_OPTION_ARG_STRING, &user,
                                     "Username (password on standard input)", "NAME" },
                                   { NULL } };
  g_autoptr (GOptionContext) context = g_option_context_new ("- sync a Tierdesk cache once");
  g_autoptr (GError) error = NULL;
  g_autoptr (TdCache) cache = NULL;
  g_autoptr (TdSyncClient) client = NULL;
  TdSyncStats stats = { 0 };
  char        password[1024];
  gint64      started;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tierdesk-sync: %s\n", error->message);
      return 2;
    }
  if (cache_path == NULL || server == NULL || user == NULL)
    {
      g_printerr ("tierdesk-sync: --cache FILE, --server URL and --user NAME are required\n");
      return 2;
    }
  if (fgets (password, sizeof password, stdin) == NULL)
    {
      g_printerr ("tierdesk-sync: no password on standard input\n");
      return 2;
    }
  password[strcspn (password, "\r\n")] = '\0';

  if ((cache = td_cache_open (cache_path, &error)) == NULL)
    {
      g_printerr ("tierdesk-sync: %s\n", error->message);
      return 1;
    }
  client = td_sync_client_new (server);
  if (!td_sync_client_login (client, user, password, &error))
    {
      g_printerr ("tierdesk-sync: cannot log in: %s\n", error->message);
      return 1;
    }

  started = g_get_monotonic_time ();
  if (!td_sync_run (client, cache, &stats, NULL, &error))
    {
      g_printerr ("tierdesk-sync: %s\n", error->message);
      td_sync_stats_clear (&stats);
      return 1;
    }

  g_print ("pushed %u (applied %u, duplicate %u, conflict %u, rejected %u), pulled %u in %u "
           "pages%s, pending %u, %.0f ms\n",
           stats.pushed, stats.applied, stats.duplicates, stats.conflicts, stats.rejected,
           stats.pulled, stats.pages, stats.resynced ? " after a full resync" : "",
           td_cache_count_pending (cache), (g_get_monotonic_time () - started) / 1000.0);
  td_sync_stats_clear (&stats);
  return 0;
}
