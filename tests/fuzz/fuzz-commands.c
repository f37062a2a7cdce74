/* fuzz-commands.c — tierdeskd's command decoder and the rules behind it
 *
 * Each input is a POST /commands body, parsed as td-server.c parses it and
 * applied by td_store_apply_commands() to a real store (a database made
 * once, in a temporary directory) as an administrator, who passes every
 * permission check and so reaches every rule. Bad input must be refused
 * with an error naming the field; nothing may crash, leak or warn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fuzz-common.h"
#include "td-policy.h"
#include "td-store.h"

static TdStore  *store;
static TdAccount admin = { 1, (char *) "admin", (char *) "administrator", NULL, FALSE, 0 };

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *dir = g_dir_make_tmp ("td-fuzz-commands-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  g_file_get_contents (TD_FUZZ_POLICY, &policy, NULL, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "fuzz.db", NULL);
  store = td_store_create (path, policy, "admin", "fuzzing password", &error);
  g_assert_no_error (error);
  /* Nothing here must survive a power cut: keep the fuzzer fast. */
  sqlite3_exec (td_store_get_db (store), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
  fuzz_fatal_warnings ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) body = fuzz_parse (data, size);
  g_autoptr (JsonNode) results = NULL;
  TdApiError *error = NULL;
  gint64      head = 0;

  if (body == NULL)
    return 0;
  results = td_store_apply_commands (store, &admin, body, 1795000000, &head, &error);
  if (results == NULL)
    {
      g_assert_nonnull (error);
      g_assert_cmpuint (error->status, >=, 400);
      g_assert_cmpuint (error->status, <, 500);
      td_api_error_free (error);
      return 0;
    }
  g_assert_null (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (results));
  return 0;
}
