/* test-knowledge-cache.c — the knowledge base in the offline cache: full-text
 * search as you type, articles and links written offline and synced, the
 * review the server makes reaching the desktop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "td-cache.h"
#include "td-pir.h"
#include "td-sync.h"
#include "td-test-server.h"
#include "td-test-util.h"

static const char *const accounts[] = {
  "analyst:service-desk-analyst",
  "deskmanager:service-desk-manager",
  NULL,
};

static JsonObject *
object_from (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
add_article (TdCache *cache, const char *json)
{
  g_autoptr (JsonObject) fields = object_from (json);
  g_autoptr (GError) error = NULL;
  char *uuid = td_cache_create (cache, "article", fields, &error);

  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  return uuid;
}

/* The titles @text finds, in order, joined by "|". */
static char *
search (TdCache *cache, const char *text, const char *kind)
{
  g_autoptr (GPtrArray) rows = td_cache_search_articles (cache, text, kind, 0);
  g_autoptr (GString) titles = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (titles, "%s%s", i > 0 ? "|" : "",
                            json_object_get_string_member (g_ptr_array_index (rows, i), "title"));
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

#define assert_search(cache, text, kind, expected)        \
  G_STMT_START                                            \
  {                                                       \
    g_autofree char *found_ = search (cache, text, kind); \
    g_assert_cmpstr (found_, ==, expected);               \
  }                                                       \
  G_STMT_END

static const char sso[]
    = "{\"title\": \"SSO login loops back to the sign-in page\", \"kind\": \"known_issue\", "
      "\"body\": \"After the identity provider certificate rotation, Safari users are sent back "
      "to the sign-in page.\", \"workaround\": \"Clear the site cookies or use a private "
      "window.\", \"tags\": [\"sso\", \"login\"], \"tiers\": [1]}";
static const char grades[]
    = "{\"title\": \"Grades missing after the nightly SIS sync\", \"kind\": \"known_issue\", "
      "\"body\": \"The export skips courses whose term code changed mid-term.\", \"tags\": "
      "[\"grades\"], \"tiers\": [1, 2]}";
static const char enrol[]
    = "{\"title\": \"Enrol a student in a course by hand\", \"kind\": \"faq\", \"body\": \"Open "
      "the course, Participants, Enrol users; search by student number.\", \"tags\": "
      "[\"enrolment\"], \"tiers\": [1]}";
static const char video[]
    = "{\"title\": \"Lecture video does not play\", \"kind\": \"runbook\", \"body\": \"Check "
      "the media server status page, then the browser's autoplay setting.\", \"tags\": "
      "[\"video\"], \"tiers\": [1, 2]}";

static void
test_search (void)
{
  g_autofree char *dir = g_dir_make_tmp ("td-knowledge-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TdCache) cache = td_cache_open (path, &error);
  g_autofree char *sso_id = NULL;
  g_autofree char *video_id = NULL;

  g_assert_no_error (error);
  sso_id = add_article (cache, sso);
  g_free (add_article (cache, grades));
  g_free (add_article (cache, enrol));
  video_id = add_article (cache, video);

  /* Words in the title, and words only in the body. */
  assert_search (cache, "sync", NULL, "Grades missing after the nightly SIS sync");
  assert_search (cache, "term code", NULL, "Grades missing after the nightly SIS sync");
  assert_search (cache, "certificate safari", NULL, "SSO login loops back to the sign-in page");
  /* As you type: the last word is a prefix, and case does not matter. */
  assert_search (cache, "Enr", NULL, "Enrol a student in a course by hand");
  assert_search (cache, "lecture vid", NULL, "Lecture video does not play");
  /* The workaround and the tags are searched too. */
  assert_search (cache, "private window", NULL, "SSO login loops back to the sign-in page");
  /* Every word must match. */
  assert_search (cache, "sync safari", NULL, "");
  /* The kind filter, and no words: every article of that kind by title. */
  assert_search (cache, "", "known_issue",
                 "Grades missing after the nightly SIS sync|SSO login loops back to the sign-in "
                 "page");
  assert_search (cache, "page", "runbook", "Lecture video does not play");
  /* Query syntax is text. */
  assert_search (cache, "sso OR grades", NULL, "");

  /* Suggestions for a ticket's title: any longer word will do. */
  {
    g_autoptr (GPtrArray) suggested
        = td_cache_suggest_articles (cache, "Video stops on SIS page", 10);

    g_assert_cmpuint (suggested->len, ==, 3);
  }

  /* An edit is searchable at once; a deleted article is gone. */
  {
    g_autoptr (JsonObject) fields = object_from ("{\"body\": \"Check the streaming CDN first.\"}");
    g_assert_true (td_cache_update (cache, "article", video_id, fields, &error));
    g_assert_no_error (error);
  }
  assert_search (cache, "cdn", NULL, "Lecture video does not play");
  assert_search (cache, "autoplay", NULL, "");
  g_assert_true (td_cache_delete (cache, "article", sso_id, &error));
  g_assert_no_error (error);
  assert_search (cache, "safari", NULL, "");

  g_clear_object (&cache);
  g_remove (path);
  g_rmdir (dir);
}

/* Written offline by an analyst, linked to a ticket, synced; a second
 * desktop pulls the article, finds it by search and sees the ticket's
 * resolution class; the server's review of a SEV-2 arrives too. */
static void
test_sync (void)
{
  g_autoptr (TdTestServer) server = td_test_server_new (accounts);
  g_autofree char *url = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  g_autoptr (TdCache) desk_a = NULL;
  g_autoptr (TdCache) desk_b = NULL;
  g_autoptr (TdSyncClient) client_a = NULL;
  g_autoptr (TdSyncClient) client_b = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket_fields = NULL;
  g_autoptr (JsonObject) link = json_object_new ();
  g_autoptr (JsonObject) resolve = NULL;
  g_autoptr (JsonObject) ticket = NULL;
  g_autoptr (GPtrArray) pirs = NULL;
  g_autofree char *ticket_id = NULL;
  g_autofree char *article_id = NULL;
  TdSyncStats      stats = { 0 };

  td_test_server_start (server);
  url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  path_a = g_build_filename (server->dir, "a.db", NULL);
  path_b = g_build_filename (server->dir, "b.db", NULL);
  desk_a = td_cache_open (path_a, &error);
  g_assert_no_error (error);
  desk_b = td_cache_open (path_b, &error);
  g_assert_no_error (error);
  client_a = td_sync_client_new (url);
  client_b = td_sync_client_new (url);
  g_assert_true (td_sync_client_login (client_a, "analyst", TD_TEST_PASSWORD, &error));
  g_assert_true (td_sync_client_login (client_b, "deskmanager", TD_TEST_PASSWORD, &error));
  g_assert_no_error (error);

  /* High impact, medium urgency: SEV-2 [5.1], so a review is due. */
  ticket_fields = object_from (
      "{\"title\": \"Gradebook does not sync\", \"description\": \"Final grades missing in the "
      "SIS\", \"affected_user_id\": \"S20931\", \"contact\": \"registrar@example.edu\", "
      "\"steps_to_reproduce\": \"Enter a grade, wait for the sync\", \"error_message\": \"0 "
      "records\", \"impact\": \"high\", \"urgency\": \"medium\", \"occurred_at\": "
      "\"2026-11-20T09:00:00Z\"}");
  ticket_id = td_cache_create (desk_a, "ticket", ticket_fields, &error);
  g_assert_no_error (error);
  article_id = add_article (desk_a, grades);
  json_object_set_string_member (link, "article", article_id);
  json_object_set_string_member (link, "ticket", ticket_id);
  g_free (td_cache_create (desk_a, "article_link", link, &error));
  g_assert_no_error (error);
  resolve = object_from ("{\"status\": \"resolved\", \"resolution\": \"Export re-run\"}");
  g_free (td_cache_append_event (desk_a, ticket_id, "status", NULL, resolve, &error));
  g_assert_no_error (error);

  g_assert_true (td_sync_run (client_a, desk_a, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (td_cache_count_pending (desk_a), ==, 0);
  g_assert_true (td_sync_run (client_b, desk_b, &stats, NULL, &error));
  g_assert_no_error (error);

  assert_search (desk_b, "term code", NULL, "Grades missing after the nightly SIS sync");
  ticket = td_cache_get_row (desk_b, "ticket", ticket_id);
  g_assert_cmpstr (json_object_get_string_member (ticket, "resolution_class"), ==,
                   "known_issue_documented");
  g_assert_cmpint (td_cache_count (desk_b, "article_link"), ==, 1);
  g_assert_cmpint (td_cache_count (desk_b, "article_revision"), ==, 1);

  /* The review, kept as text in the cache, reads back through core. */
  pirs = td_cache_list (desk_b, "pir", "ticket", ticket_id, NULL);
  g_assert_cmpuint (pirs->len, ==, 1);
  {
    g_autoptr (TdPir) pir = td_pir_new_from_row (g_ptr_array_index (pirs, 0), &error);

    g_assert_no_error (error);
    g_assert_cmpint (pir->status, ==, TD_PIR_SCHEDULED);
    g_assert_cmpuint (pir->timeline->len, ==, 1);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/knowledge/search", test_search);
  g_test_add_func ("/sync/knowledge/sync", test_sync);

  return g_test_run ();
}
