/* fuzz-change-page.c — the desktop's decoding of the server's answers
 *
 * Each input is the body of an answer to GET /changes (or POST /commands),
 * from a server or a proxy gone wrong: parsed as td-sync.c parses it,
 * checked by td_sync_decode_page() and td_sync_decode_results(), and
 * what passes written to a real cache. Nothing may crash, leak, warn, or
 * leave the cache unable to take the next page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "td-sync.h"

static TdCache *cache;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("td-fuzz-page-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.db", NULL);
  cache = td_cache_open (path, &error);
  g_assert_no_error (error);
  fuzz_fatal_warnings ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) json = td_sync_parse_answer ((const char *) data, size);
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  TdSyncPage page;
  JsonArray *results;

  if (td_sync_decode_page (json, &page, &error))
    {
      /* A refusal by the cache is fine; a crash or a stuck transaction is not. */
      td_cache_apply_page (cache, page.changes, page.cursor, changed, NULL);
    }
  g_clear_error (&error);
  results = td_sync_decode_results (json, &error);
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      g_autoptr (GError) result_error = NULL;

      td_cache_apply_result (cache, json_array_get_object_element (results, i), changed,
                             &result_error);
    }
  /* The cache still takes a page afterwards. */
  g_clear_error (&error);
  g_assert_true (td_cache_apply_page (cache, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return 0;
}
