/* test-token-store.c — the login token goes to the Secret Service or stays in memory
 *
 * Each case runs in a subprocess with its own session bus and its own home,
 * so the tests never touch the keyring of whoever runs them (and libsecret's
 * per-process connection never outlives its bus). One case runs a real
 * gnome-keyring-daemon on that bus; the other has no Secret Service at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "td-test-util.h"
#include "td-token-store.h"

#define SERVER "https://tierdesk.example.org:8470"
#define TOKEN  "td1.0f9c2e7ab51d4c3e8a6b0d1f2e3c4b5a"

typedef struct
{
  char        *home;
  GSubprocess *bus;
  GSubprocess *keyring;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *runtime = NULL;

  fixture->home = g_dir_make_tmp ("td-token-test-XXXXXX", &error);
  g_assert_no_error (error);
  runtime = g_build_filename (fixture->home, "run", NULL);
  g_mkdir_with_parents (runtime, 0700);
  g_setenv ("HOME", fixture->home, TRUE);
  g_setenv ("XDG_DATA_HOME", fixture->home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", fixture->home, TRUE);
  g_setenv ("XDG_CACHE_HOME", fixture->home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  /* A bus with no service directories: nothing is started on demand, so
   * the only Secret Service is the one a test starts itself. */
  fixture->bus = td_test_private_bus_start (fixture->home);
}

static void
stop (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_force_exit (*process);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  secret_service_disconnect ();
  stop (&fixture->keyring);
  stop (&fixture->bus);
  remove_tree (fixture->home);
  g_free (fixture->home);
}

/* No file under the home may hold the token in plain text. */
static gboolean
tree_contains (const char *path, const char *needle)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize            length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (tree_contains (child, needle))
            return TRUE;
        }
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR)
               && g_file_get_contents (child, &contents, &length, NULL)
               && memmem (contents, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_memory_only_without_secret_service (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdTokenStore) store = td_token_store_new ();
  g_autoptr (TdTokenStore) next_run = td_token_store_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *lost = NULL;
  g_autofree char *other_user = NULL;

  /* Nothing owns org.freedesktop.secrets on this bus: the save says it only
   * kept the token in memory, and why. */
  g_assert_false (td_token_store_save (store, SERVER, "lead", TOKEN, &error));
  g_assert_nonnull (error);
  token = td_token_store_lookup (store, SERVER, "lead");
  g_assert_cmpstr (token, ==, TOKEN);
  other_user = td_token_store_lookup (store, SERVER, "analyst");
  g_assert_null (other_user);

  /* The next run has to log in again: nothing was written anywhere. */
  lost = td_token_store_lookup (next_run, SERVER, "lead");
  g_assert_null (lost);
  g_assert_false (tree_contains (fixture->home, TOKEN));

  td_token_store_forget (store, SERVER, "lead");
  g_clear_pointer (&token, g_free);
  token = td_token_store_lookup (store, SERVER, "lead");
  g_assert_null (token);
}

static gboolean
start_keyring (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = NULL;
  GOutputStream *input;
  gint64         deadline;

  fixture->keyring = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
      "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets", NULL);
  if (fixture->keyring == NULL)
    {
      g_printerr ("# gnome-keyring-daemon: %s\n", error->message);
      return FALSE;
    }
  /* --unlock reads the new login keyring's password from stdin. */
  input = g_subprocess_get_stdin_pipe (fixture->keyring);
  g_output_stream_write_all (input, "keyring password", 16, NULL, NULL, NULL);
  g_output_stream_close (input, NULL, NULL);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (GVariant) owner = g_dbus_connection_call_sync (
          bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
          "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"),
          G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
      gboolean owned = FALSE;

      if (owner != NULL)
        g_variant_get (owner, "(b)", &owned);
      if (owned)
        return TRUE;
      g_usleep (50 * 1000);
    }
  return FALSE;
}

static void
test_secret_service_keeps_token (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TdTokenStore) store = td_token_store_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *gone = NULL;

  g_assert_true (start_keyring (fixture));
  g_assert_true (td_token_store_save (store, SERVER, "lead", TOKEN, &error));
  g_assert_no_error (error);

  /* The next run finds it without logging in again, */
  {
    g_autoptr (TdTokenStore) next_run = td_token_store_new ();
    g_autofree char *other_server = NULL;

    token = td_token_store_lookup (next_run, SERVER, "lead");
    g_assert_cmpstr (token, ==, TOKEN);
    other_server = td_token_store_lookup (next_run, "https://other.example.org", "lead");
    g_assert_null (other_server);
  }
  /* and the keyring's files hold it encrypted, not in plain text. */
  g_assert_false (tree_contains (fixture->home, TOKEN));

  /* Logging out forgets it everywhere. */
  td_token_store_forget (store, SERVER, "lead");
  {
    g_autoptr (TdTokenStore) after = td_token_store_new ();
    gone = td_token_store_lookup (after, SERVER, "lead");
    g_assert_null (gone);
  }
}

static void
run_isolated (gconstpointer data)
{
  void (*test) (Fixture *, gconstpointer) = data;

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      fixture_set_up (&fixture, NULL);
      test (&fixture, NULL);
      fixture_tear_down (&fixture, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sync/token/memory-only", test_memory_only_without_secret_service,
                        run_isolated);
  g_test_add_data_func ("/sync/token/secret-service", test_secret_service_keeps_token,
                        run_isolated);
  return g_test_run ();
}
