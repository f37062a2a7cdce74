/* test-oncall-page.c — the On-call page as a rota planner uses it, against a real tierdeskd
 *
 * Like test-queue.c, each test runs in a subprocess with a home and a
 * session bus of its own, starts tierdeskd with demo data and signs in
 * through the connect form. It then works the page's widgets: it clicks a
 * grid cell, searches the person picker, publishes through the linter's
 * dialog, fills in the override dialog, and reads what the cards show.
 * What reached the server is read from its database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "td-app-test.h"
#include "td-application.h"
#include "td-oncall-page.h"
#include "td-test-server.h"
#include "td-test-util.h"
#include "td-window.h"

typedef struct
{
  char          *home;
  GSubprocess   *bus;
  TdTestServer  *server;
  TdApplication *app;
  TdWindow      *window;
} Fixture;

static const char *const accounts[] = { "lead:app-support-lead", NULL };

/* Waiting, as in test-queue.c */

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

static gboolean
wait_until (Fixture *fixture, Predicate done, gconstpointer data)
{
  return td_app_test_wait ((TdAppTestDone) done, fixture, data, 20);
}

/* Widgets */

static TdOncallPage *
page (Fixture *fixture)
{
  return td_window_get_oncall_page (fixture->window);
}

static TdSession *
session (Fixture *fixture)
{
  return td_application_get_session (fixture->app);
}

static TdSyncEngine *
engine (Fixture *fixture)
{
  return td_session_get_engine (session (fixture));
}

/* Set-up */

static void
fixture_set_up (Fixture *fixture)
{
  fixture->home = td_app_test_isolate (&fixture->bus);
  if (!gtk_init_check ())
    g_error ("test-oncall-page needs a display: run it under xvfb-run (./run test does)");
  adw_init ();

  fixture->server = td_test_server_new (accounts);
  /* The demo rotas, with people for every position, overrides and a swap. */
  g_assert_cmpint (td_test_tierdeskd (NULL, NULL, "demo-data", "--db", fixture->server->db,
                                      "--tickets", "50", NULL),
                   ==, 0);
  td_test_server_start (fixture->server);

  fixture->app = td_app_test_start_app ();
  fixture->window = TD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
}

static void
fixture_tear_down (Fixture *fixture)
{
  td_app_test_close (&fixture->app, &fixture->server, &fixture->bus);
}

static gboolean
is_idle (Fixture *fixture, gconstpointer data)
{
  return td_session_is_connected (session (fixture))
         && td_sync_engine_get_state (engine (fixture)) == TD_SYNC_STATE_IDLE
         && td_sync_engine_get_pending (engine (fixture)) == 0;
}

static gboolean
has_rotas (Fixture *fixture, gconstpointer data)
{
  return td_rota_store_get_rotations (td_oncall_page_get_rota_store (page (fixture)))->len >= 2;
}

static void
sign_in (Fixture *fixture)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server->port);

  td_connect_view_sign_in (td_window_get_connect_view (fixture->window), url, "lead",
                           TD_TEST_PASSWORD);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "on-call");
  g_assert_true (wait_until (fixture, has_rotas, NULL));
  /* Let the page settle after the first pull's last page. */
  td_app_test_spin (300);
}

static gboolean
has_drafts (Fixture *fixture, gconstpointer count)
{
  return td_oncall_page_get_draft_size (page (fixture)) == GPOINTER_TO_UINT (count);
}

static gboolean
server_has (Fixture *fixture, gconstpointer sql)
{
  return td_test_server_query_int (fixture->server, sql) > 0;
}

typedef struct
{
  const char *widget;
  const char *text;
} Shows;

static gboolean
shows (Fixture *fixture, gconstpointer data)
{
  const Shows     *expected = data;
  g_autofree char *text = td_app_test_widget_text (
      td_app_test_find_named (GTK_WIDGET (page (fixture)), expected->widget));

  return strstr (text, expected->text) != NULL;
}

/* "YYYY-MM-DD HH:MM" in London, as a planner types it. */
static char *
london (gint64 instant)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/London");
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, zone);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
publish (Fixture *fixture)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "oncall.publish", NULL);
  td_app_test_spin (100);
  dialog = td_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);
  g_assert_nonnull (dialog);
  g_assert_true (
      g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "Publish"));
  /* The linter has looked at the coming year: the body says what it found. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "52 weeks"));
  td_app_test_screenshot (dialog, "oncall-publish");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "publish");
  td_app_test_spin (50);
  g_assert_cmpuint (td_oncall_page_get_draft_size (page (fixture)), ==, 0);
}

static gboolean
has_more_drafts (Fixture *fixture, gconstpointer before)
{
  return td_oncall_page_get_draft_size (page (fixture)) > GPOINTER_TO_UINT (before);
}

/* Clicks @cell_name, searches its list for @name and picks @person. */
static void
pick_in_cell (Fixture *fixture, const char *cell_name, const char *person, const char *name)
{
  GtkWidget     *cell = td_app_test_find_named (GTK_WIDGET (page (fixture)), cell_name);
  GtkWidget     *popover;
  GtkListBoxRow *row = NULL;
  guint          drafts;

  g_assert_nonnull (cell);
  g_signal_emit_by_name (cell, "clicked");
  td_app_test_spin (200);
  popover = gtk_widget_get_last_child (cell);
  g_assert_true (GTK_IS_POPOVER (popover));
  gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (popover, "person-search")), name);
  td_app_test_spin (400);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall-picker");
  /* The rows the search left visible, by the person they stand for. */
  for (GtkWidget *w = td_app_test_find_named (popover, "person-search"); w != NULL && row == NULL;
       w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *viewport = GTK_IS_SCROLLED_WINDOW (w)
                                ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (w))
                                : NULL;
      GtkWidget *list = viewport != NULL ? gtk_widget_get_first_child (viewport) : NULL;

      if (GTK_IS_VIEWPORT (viewport) && GTK_IS_LIST_BOX (list))
        for (GtkWidget *r = gtk_widget_get_first_child (list); r != NULL && row == NULL;
             r = gtk_widget_get_next_sibling (r))
          if (GTK_IS_LIST_BOX_ROW (r) && gtk_widget_get_child_visible (r)
              && g_strcmp0 (g_object_get_data (G_OBJECT (r), "person"), person) == 0)
            row = GTK_LIST_BOX_ROW (r);
    }
  g_assert_nonnull (row);
  drafts = td_oncall_page_get_draft_size (page (fixture));
  gtk_widget_activate (GTK_WIDGET (row));
  /* The assignment is made once the picker has gone. */
  g_assert_true (wait_until (fixture, has_more_drafts, GUINT_TO_POINTER (drafts)));
}

/* A button of @root by its label. */
static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The test */

static void
test_assign_and_override (Fixture *fixture)
{
  TdRotaStore *store = td_oncall_page_get_rota_store (page (fixture));
  TdRotation  *tier2 = NULL;
  GPtrArray   *rotations;
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (GPtrArray) now = NULL;
  g_autofree char *cell_name = NULL;
  g_autofree char *card_name = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *assigned = NULL;
  g_autofree char *assigned_name = NULL;
  g_autofree char *cover = NULL;
  g_autofree char *cover_name = NULL;
  const char      *on_call_now;
  gint64           t;

  sign_in (fixture);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall");
  /* The page's store: the session's rows with the draft on top. */
  store = td_oncall_page_get_rota_store (page (fixture));
  rotations = td_rota_store_get_rotations (store);
  for (guint i = 0; i < rotations->len && tier2 == NULL; i++)
    if (td_rotation_get_tier (g_ptr_array_index (rotations, i)) == 2)
      /* The page rebuilds its rotations on every edit: keep this one. */
      tier2 = g_object_ref (g_ptr_array_index (rotations, i));
  g_assert_nonnull (tier2);
  t = td_sync_engine_get_clock_offset (engine (fixture)) + g_get_real_time () / G_USEC_PER_SEC;
  now = td_rotation_on_call_at (tier2, t);
  on_call_now = ((TdRotaShift *) g_ptr_array_index (now, 0))->person;
  g_assert_nonnull (on_call_now);

  /* Someone of Tier 2 who is not on call at all now. */
  people = td_rota_store_list_people (store, 2);
  for (guint i = 0; i < people->len && cover == NULL; i++)
    {
      const char *uuid = json_object_get_string_member (g_ptr_array_index (people, i), "uuid");
      gboolean    busy = FALSE;

      for (guint j = 0; j < now->len; j++)
        busy |= g_strcmp0 (((TdRotaShift *) g_ptr_array_index (now, j))->person, uuid) == 0;
      if (busy)
        continue;
      if (assigned == NULL)
        {
          assigned = g_strdup (uuid);
          assigned_name
              = g_strdup (json_object_get_string_member (g_ptr_array_index (people, i), "name"));
        }
      else
        {
          cover = g_strdup (uuid);
          cover_name
              = g_strdup (json_object_get_string_member (g_ptr_array_index (people, i), "name"));
        }
    }
  g_assert_nonnull (cover);

  /* Assign through the picker of this week's Primary cell. */
  cell_name = g_strdup_printf ("cell-%s-primary-0", td_rotation_get_id (tier2));
  card_name = g_strdup_printf ("now-%s-primary", td_rotation_get_id (tier2));
  pick_in_cell (fixture, cell_name, assigned, assigned_name);
  g_assert_cmpuint (td_oncall_page_get_draft_size (page (fixture)), ==, 1);
  {
    /* The draft already shows: the card and the cell name the new person. */
    Shows card = { card_name, assigned_name };
    Shows in_cell = { cell_name, assigned_name };

    g_assert_true (wait_until (fixture, shows, &card));
    g_assert_true (wait_until (fixture, shows, &in_cell));
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall-draft");
  /* Nothing reaches the server before Publish. */
  sql = g_strdup_printf ("SELECT COUNT (*) FROM rotation_member WHERE rotation = '%s' AND "
                         "position = 'primary' AND person = '%s'",
                         td_rotation_get_id (tier2), assigned);
  g_assert_cmpint (td_test_server_query_int (fixture->server, sql), ==, 0);
  publish (fixture);
  g_assert_true (wait_until (fixture, server_has, sql));

  /* An override covering now, with a mistake first. */
  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "oncall.add-override", NULL);
  td_app_test_spin (100);
  {
    GtkWidget       *dialog = td_app_test_find_toplevel (ADW_TYPE_WINDOW, "Add Override");
    g_autofree char *from = london (t - 3600);
    g_autofree char *to = london (t + 2 * 24 * 3600);
    g_autofree char *slot = td_rotation_describe_slot (tier2, "primary");
    GtkWidget       *add;
    g_autofree char *error = NULL;

    g_assert_nonnull (dialog);
    td_app_test_select (td_app_test_find_named (dialog, "override-slot"), slot);
    td_app_test_select (td_app_test_find_named (dialog, "override-person"), cover_name);
    gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (dialog, "override-from")), from);
    gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (dialog, "override-to")), from);
    gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (dialog, "override-reason")),
                           "Sick leave");
    add = NULL;
    {
      /* The header bar's "Add" button, found by its label. */
      GtkWidget *stack[64];
      int        n = 0;

      stack[n++] = dialog;
      while (n > 0 && add == NULL)
        {
          GtkWidget *w = stack[--n];

          if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), "_Add") == 0)
            add = w;
          for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL && n < 64;
               c = gtk_widget_get_next_sibling (c))
            stack[n++] = c;
        }
    }
    g_assert_nonnull (add);
    g_signal_emit_by_name (add, "clicked");
    td_app_test_spin (100);
    error = td_app_test_widget_text (td_app_test_find_named (dialog, "override-error"));
    g_assert_nonnull (strstr (error, "To:"));
    td_app_test_screenshot (dialog, "oncall-override-error");
    gtk_editable_set_text (GTK_EDITABLE (td_app_test_find_named (dialog, "override-to")), to);
    g_signal_emit_by_name (add, "clicked");
    td_app_test_spin (100);
    g_assert_null (td_app_test_find_toplevel (ADW_TYPE_WINDOW, "Add Override"));
  }
  {
    Shows card = { card_name, cover_name };
    Shows covering = { card_name, "Covering for" };

    g_assert_true (wait_until (fixture, shows, &card));
    g_assert_true (wait_until (fixture, shows, &covering));
  }
  publish (fixture);
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM rota_override WHERE rotation = '%s' AND "
                         "position = 'primary' AND person = '%s' AND reason = 'Sick leave' "
                         "AND starts_at <= %" G_GINT64_FORMAT " AND ends_at > %" G_GINT64_FORMAT,
                         td_rotation_get_id (tier2), cover, t, t);
  g_assert_true (wait_until (fixture, server_has, sql));
  g_assert_true (wait_until (fixture, is_idle, NULL));
  {
    /* After the sync, from the server's rows: still the cover on the card. */
    Shows card = { card_name, cover_name };
    g_assert_true (wait_until (fixture, shows, &card));
  }
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall-override");

  /* Drag the new Primary onto next week's Secondary, then think better of it. */
  {
    g_autofree char *from_name = g_strdup_printf ("cell-%s-primary-4", td_rotation_get_id (tier2));
    g_autofree char *to_name = g_strdup_printf ("cell-%s-secondary-1", td_rotation_get_id (tier2));
    GtkWidget       *source = td_app_test_find_named (GTK_WIDGET (page (fixture)), from_name);
    GtkWidget       *target = td_app_test_find_named (GTK_WIDGET (page (fixture)), to_name);
    g_autoptr (GListModel) controllers = NULL;
    GtkDragSource *drag = NULL;
    GtkDropTarget *drop = NULL;
    g_autoptr (GdkContentProvider) content = NULL;
    g_auto (GValue) value = G_VALUE_INIT;
    gboolean accepted = FALSE;

    g_assert_nonnull (source);
    g_assert_nonnull (target);
    controllers = gtk_widget_observe_controllers (source);
    for (guint i = 0; i < g_list_model_get_n_items (controllers) && drag == NULL; i++)
      {
        g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);
        if (GTK_IS_DRAG_SOURCE (controller))
          drag = GTK_DRAG_SOURCE (controller);
      }
    g_clear_object (&controllers);
    controllers = gtk_widget_observe_controllers (target);
    for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
      {
        g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);
        if (GTK_IS_DROP_TARGET (controller))
          drop = GTK_DROP_TARGET (controller);
      }
    g_assert_nonnull (drag);
    g_assert_nonnull (drop);

    /* What a drag carries is what the source prepares: the person. */
    g_signal_emit_by_name (drag, "prepare", 1.0, 1.0, &content);
    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, assigned);
    g_signal_emit_by_name (drop, "drop", &value, 1.0, 1.0, &accepted);
    g_assert_true (accepted);
    /* The drop assigns from an idle callback: under load, 100 ms of
     * spinning was not always enough for it to run. */
    g_assert_true (wait_until (fixture, has_drafts, GUINT_TO_POINTER (1)));
    {
      Shows dropped = { to_name, assigned_name };
      g_assert_true (wait_until (fixture, shows, &dropped));
    }
    gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "oncall.discard", NULL);
    td_app_test_spin (100);
    g_assert_cmpuint (td_oncall_page_get_draft_size (page (fixture)), ==, 0);
    {
      g_autofree char *text
          = td_app_test_widget_text (td_app_test_find_named (GTK_WIDGET (page (fixture)), to_name));
      g_assert_null (strstr (text, assigned_name));
    }
  }

  if (g_getenv ("TD_SCREENSHOTS") != NULL)
    {
      /* The grids, below the cards, and one team on its own. */
      GtkWidget *scroller = gtk_widget_get_ancestor (
          td_app_test_find_named (GTK_WIDGET (page (fixture)), cell_name),
          GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adjustment
          = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      GtkWidget *team = td_app_test_find_named (GTK_WIDGET (page (fixture)), "team-dropdown");

      gtk_adjustment_set_value (adjustment, 420);
      td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall-grid");
      td_app_test_select (GTK_WIDGET (team), "Tier 3");
      td_app_test_spin (100);
      gtk_adjustment_set_value (adjustment, 0);
      td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall-tier3");
      gtk_adjustment_set_value (adjustment, 380);
      td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall-tier3-grid");
    }
}

static gboolean
knows_person (Fixture *fixture, gconstpointer data)
{
  return td_session_get_person (session (fixture)) != NULL;
}

static gboolean
may_offer (Fixture *fixture, gconstpointer data)
{
  return gtk_widget_get_sensitive (find_button (GTK_WIDGET (page (fixture)), "Offer a Swap…"));
}

/* The lead takes a shift, offers it to someone, and withdraws the offer. */
static void
test_offer_and_withdraw_swap (Fixture *fixture)
{
  TdRotaStore *store;
  GPtrArray   *rotations;
  g_autoptr (TdRotation) tier2 = NULL;
  g_autofree char *me = NULL;
  g_autofree char *cell_name = NULL;
  g_autofree char *sql = NULL;
  const char      *my_name;
  GtkWidget       *dialog;
  GtkWidget       *withdraw;

  sign_in (fixture);
  g_assert_true (wait_until (fixture, knows_person, NULL));
  me = g_strdup (td_session_get_person (session (fixture)));
  store = td_oncall_page_get_rota_store (page (fixture));
  rotations = td_rota_store_get_rotations (store);
  for (guint i = 0; i < rotations->len && tier2 == NULL; i++)
    if (td_rotation_get_tier (g_ptr_array_index (rotations, i)) == 2)
      tier2 = g_object_ref (g_ptr_array_index (rotations, i));
  g_assert_nonnull (tier2);
  my_name = json_object_get_string_member (td_rota_store_get_row (store, "person", me), "name");

  /* Next week's Primary: a shift that has not begun. */
  cell_name = g_strdup_printf ("cell-%s-primary-1", td_rotation_get_id (tier2));
  pick_in_cell (fixture, cell_name, me, my_name);
  publish (fixture);
  g_assert_true (wait_until (fixture, is_idle, NULL));
  g_assert_true (wait_until (fixture, may_offer, NULL));

  gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "oncall.offer-swap", NULL);
  td_app_test_spin (100);
  dialog = td_app_test_find_toplevel (ADW_TYPE_WINDOW, "Offer a Swap");
  g_assert_nonnull (dialog);
  td_app_test_screenshot (dialog, "oncall-offer-swap");
  g_signal_emit_by_name (find_button (dialog, "_Offer"), "clicked");
  td_app_test_spin (100);
  g_assert_null (td_app_test_find_toplevel (ADW_TYPE_WINDOW, "Offer a Swap"));
  sql = g_strdup_printf ("SELECT COUNT (*) FROM swap_request WHERE requester = '%s' AND "
                         "status = 'pending' AND give_starts_at > 0",
                         me);
  g_assert_true (wait_until (fixture, server_has, sql));

  /* The offer is listed, with Withdraw for its requester. */
  g_assert_true (wait_until (fixture, is_idle, NULL));
  td_app_test_spin (300);
  withdraw = find_button (GTK_WIDGET (page (fixture)), "Withdraw");
  g_assert_nonnull (withdraw);
  td_app_test_screenshot (GTK_WIDGET (fixture->window), "oncall-swap-offered");
  /* A click activates the button's action with its target (uuid, status). */
  g_signal_emit_by_name (withdraw, "clicked");
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM swap_request WHERE requester = '%s' AND "
                         "status = 'cancelled' AND decided_by = '%s'",
                         me, me);
  g_assert_true (wait_until (fixture, server_has, sql));
}

static void
run_isolated (gconstpointer data)
{
  void (*func) (Fixture *) = data;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      fixture_set_up (&fixture);
      func (&fixture);
      fixture_tear_down (&fixture);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/app/oncall/assign-and-override", test_assign_and_override, run_isolated);
  g_test_add_data_func ("/app/oncall/offer-and-withdraw-swap", test_offer_and_withdraw_swap,
                        run_isolated);
  return g_test_run ();
}
