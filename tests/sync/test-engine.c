/* test-engine.c — the background sync engine: states, the server's stream, offline and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "td-sync-engine.h"
#include "td-test-server.h"
#include "td-test-util.h"

typedef struct
{
  TdTestServer *server;
  char         *cache_path;
  TdCache      *cache;
  TdSyncClient *client;
  TdSyncEngine *engine;
  GPtrArray    *changed_tickets;
} Fixture;

static const char *const accounts[]
    = { "lead:app-support-lead", "analyst:service-desk-analyst", NULL };

static void
on_rows_changed (TdSyncEngine *engine, const char *entity, const char *const *ids, Fixture *fixture)
{
  if (g_str_equal (entity, "ticket"))
    for (guint i = 0; ids[i] != NULL; i++)
      g_ptr_array_add (fixture->changed_tickets, g_strdup (ids[i]));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  fixture->server = td_test_server_new (accounts);
  td_test_server_start (fixture->server);
  fixture->cache_path = g_build_filename (fixture->server->dir, "cache.db", NULL);
  fixture->cache = td_cache_open (fixture->cache_path, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);
  fixture->client = td_sync_client_new (url);
  td_sync_client_login (fixture->client, "lead", TD_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  fixture->engine = td_sync_engine_new (fixture->cache, fixture->client);
  fixture->changed_tickets = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->engine, "rows-changed", G_CALLBACK (on_rows_changed), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  td_sync_engine_stop (fixture->engine);
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->cache);
  g_clear_pointer (&fixture->changed_tickets, g_ptr_array_unref);
  g_free (fixture->cache_path);
  td_test_server_free (fixture->server);
}

/* Spins the main loop until the engine reaches @state, for at most 20 s. */
static gboolean
wait_for_state (Fixture *fixture, TdSyncState state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (td_sync_engine_get_state (fixture->engine) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return td_sync_engine_get_state (fixture->engine) == state;
}

static gboolean
wait_for_ticket (Fixture *fixture, const char *uuid)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < fixture->changed_tickets->len; i++)
        if (g_str_equal (g_ptr_array_index (fixture->changed_tickets, i), uuid))
          return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return FALSE;
}

static const char *
new_ticket_json (void)
{
  return "{\"title\": \"Approvals stuck\", \"description\": \"Approvals stuck in Finance\","
         " \"affected_user_id\": \"E20001\", \"contact\": \"sam@example.com\","
         " \"steps_to_reproduce\": \"Open approvals\", \"error_message\": \"Pending\","
         " \"impact\": \"medium\", \"urgency\": \"medium\","
         " \"occurred_at\": \"2026-11-20T09:00:00Z\"}";
}

static void
test_first_sync_and_stream (Fixture *fixture, gconstpointer data)
{
  g_autofree char *token = td_test_login (fixture->server, "analyst");
  g_autoptr (TdTestResponse) created = NULL;
  const char *uuid;

  g_assert_cmpint (td_sync_engine_get_state (fixture->engine), ==, TD_SYNC_STATE_OFFLINE);
  td_sync_engine_start (fixture->engine);
  g_assert_true (wait_for_state (fixture, TD_SYNC_STATE_IDLE));
  g_assert_cmpint (td_sync_engine_get_last_sync (fixture->engine), >, 0);
  g_assert_cmpuint (td_sync_engine_get_pending (fixture->engine), ==, 0);

  /* Someone else logs a ticket: the server's stream makes this desktop pull
   * within seconds, long before the 30-second poll. */
  {
    gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  }
  created = td_test_request (fixture->server, "POST", "/tickets", token, new_ticket_json ());
  g_assert_cmpuint (created->status, ==, 201);
  uuid = json_object_get_string_member (td_test_object (created), "uuid");
  g_assert_true (wait_for_ticket (fixture, uuid));
  {
    g_autoptr (JsonObject) row = td_cache_get_row (fixture->cache, "ticket", uuid);
    g_assert_nonnull (row);
    g_assert_cmpstr (json_object_get_string_member (row, "title"), ==, "Approvals stuck");
  }
}

static void
test_offline_and_back (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr (JsonObject) row = NULL;

  td_sync_engine_start (fixture->engine);
  g_assert_true (wait_for_state (fixture, TD_SYNC_STATE_IDLE));

  /* The server goes away; the user keeps working. */
  td_test_server_stop (fixture->server);
  json_parser_load_from_data (parser, new_ticket_json (), -1, NULL);
  uuid = td_cache_create (fixture->cache, "ticket",
                          json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  td_sync_engine_sync_now (fixture->engine);
  g_assert_true (wait_for_state (fixture, TD_SYNC_STATE_OFFLINE));
  g_assert_cmpuint (td_sync_engine_get_pending (fixture->engine), ==, 1);
  g_assert_nonnull (td_sync_engine_get_error (fixture->engine));
  g_assert_cmpuint (td_sync_engine_get_retry_in (fixture->engine), >=, 0);

  /* Back: the retry (capped, jittered backoff) pushes the ticket. */
  td_test_server_start (fixture->server);
  td_sync_engine_sync_now (fixture->engine);
  g_assert_true (wait_for_state (fixture, TD_SYNC_STATE_IDLE));
  g_assert_cmpuint (td_sync_engine_get_pending (fixture->engine), ==, 0);
  row = td_cache_get_row (fixture->cache, "ticket", uuid);
  g_assert_cmpint (json_object_get_int_member (row, "rev"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "priority"), ==, "P3");
}

static void
test_rejected_listed (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *event = NULL;
  g_autoptr (JsonObject) escalate = json_object_new ();
  GListModel *rejected;
  g_autoptr (TdSyncIssue) issue = NULL;

  json_parser_load_from_data (parser, new_ticket_json (), -1, NULL);
  ticket = td_cache_create (fixture->cache, "ticket",
                            json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  /* An escalation without the handoff checklist: the server says no. */
  json_object_set_int_member (escalate, "to_tier", 2);
  event = td_cache_append_event (fixture->cache, ticket, "escalate", NULL, escalate, &error);
  g_assert_no_error (error);

  td_sync_engine_start (fixture->engine);
  g_assert_true (wait_for_state (fixture, TD_SYNC_STATE_IDLE));
  rejected = td_sync_engine_get_rejected (fixture->engine);
  g_assert_cmpuint (g_list_model_get_n_items (rejected), ==, 1);
  issue = g_list_model_get_item (rejected, 0);
  g_assert_cmpstr (td_sync_issue_get_entity_id (issue), ==, event);
  g_assert_true (g_str_has_prefix (td_sync_issue_get_reason (issue),
                                   "cannot escalate from Tier 1 to Tier 2: the handoff checklist"));
  g_assert_false (td_sync_issue_is_conflict (issue));
}

/* Capped, jittered exponential backoff (no server needed). */
static void
test_backoff (void)
{
  guint previous = 0;

  for (guint failures = 1; failures <= 20; failures++)
    {
      guint shortest, longest;

      td_sync_engine_backoff_range (failures, &shortest, &longest);
      g_assert_cmpuint (shortest, >=, 1);
      g_assert_cmpuint (shortest, <=, longest);
      g_assert_cmpuint (longest, <=, TD_SYNC_ENGINE_MAX_BACKOFF);
      /* Grows until the cap, and never shrinks. */
      g_assert_cmpuint (longest, >=, previous);
      if (failures <= 8)
        g_assert_cmpuint (longest, ==, 1u << failures);
      previous = longest;
    }
  /* The cap: five minutes, jittered over its upper half. */
  {
    guint shortest, longest;

    td_sync_engine_backoff_range (1000, &shortest, &longest);
    g_assert_cmpuint (longest, ==, TD_SYNC_ENGINE_MAX_BACKOFF);
    g_assert_cmpuint (shortest, ==, TD_SYNC_ENGINE_MAX_BACKOFF / 2 + 1);
  }
  /* Jitter: a wider range than a single value once past the first retry. */
  {
    guint shortest, longest;

    td_sync_engine_backoff_range (4, &shortest, &longest);
    g_assert_cmpuint (shortest, ==, 9);
    g_assert_cmpuint (longest, ==, 16);
  }
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/sync/engine/first-sync-and-stream", test_first_sync_and_stream);
  ADD ("/sync/engine/offline-and-back", test_offline_and_back);
  ADD ("/sync/engine/rejected", test_rejected_listed);
  g_test_add_func ("/sync/engine/backoff", test_backoff);

  return g_test_run ();
}
