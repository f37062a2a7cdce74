/* td-demo-server.c — a tierdeskd of one's own, with demo data, for "Try with demo data"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "td-demo-server.h"

struct _TdDemoServer
{
  GObject parent_instance;

  char        *data_dir;
  GSubprocess *process;
};

G_DEFINE_FINAL_TYPE (TdDemoServer, td_demo_server, G_TYPE_OBJECT)

static const char *const demo_accounts[][2] = {
  { "analyst", "service-desk-analyst" }, { "lead", "app-support-lead" }, { "engineer", "engineer" },
  { "manager", "engineering-manager" },  { "trainer", "trainer" },
};

TdDemoServer *
td_demo_server_new (const char *data_dir)
{
  TdDemoServer *self = g_object_new (TD_TYPE_DEMO_SERVER, NULL);

  self->data_dir = g_strdup (data_dir);
  return self;
}

/* The tierdeskd to start: the one named in TD_TIERDESKD, the one beside
 * this build, or the installed one. */
static char *
find_tierdeskd (void)
{
  const char      *forced = g_getenv ("TD_TIERDESKD");
  g_autofree char *installed = g_build_filename (BINDIR, "tierdeskd", NULL);

  if (forced != NULL && *forced != '\0')
    return g_strdup (forced);
  if (g_file_test (BUILD_TIERDESKD, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (BUILD_TIERDESKD);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);
  return g_find_program_in_path ("tierdeskd");
}

static gboolean
run (const char *const *argv, GError **error)
{
  g_autoptr (GSubprocess) process = g_subprocess_newv (
      argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  g_autofree char *errors = NULL;

  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &errors, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("tierdeskd %s failed: %s"), argv[1],
                   errors != NULL ? g_strstrip (errors) : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_demo_database (const char *tierdeskd, const char *data_dir, const char *db, GError **error)
{
  g_autofree char *password_file = g_build_filename (data_dir, "password", NULL);
  g_autofree char *partial = g_strconcat (db, ".partial", NULL);
  gboolean         ok;

  /* Built under another name and renamed, so an interrupted first start
   * is started over rather than taken for a finished one. */
  g_unlink (partial);
  if (!g_file_set_contents_full (password_file, TD_DEMO_PASSWORD "\n", -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  {
    const char *init[] = { tierdeskd,         "init",        "--db", partial, "--admin", "admin",
                           "--password-file", password_file, NULL };
    ok = run (init, error);
  }
  for (guint i = 0; ok && i < G_N_ELEMENTS (demo_accounts); i++)
    {
      const char *add[] = { tierdeskd,
                            "user",
                            "add",
                            "--db",
                            partial,
                            demo_accounts[i][0],
                            "--role",
                            demo_accounts[i][1],
                            "--password-file",
                            password_file,
                            NULL };
      ok = run (add, error);
    }
  if (ok)
    {
      const char *demo[] = { tierdeskd, "demo-data", "--db", partial, "--tickets", "500", NULL };
      ok = run (demo, error);
    }
  g_unlink (password_file);
  if (ok && g_rename (partial, db) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", db,
                   g_strerror (errno));
      return FALSE;
    }
  return ok;
}

static void
start_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TdDemoServer    *self = source;
  g_autofree char *tierdeskd = find_tierdeskd ();
  g_autofree char *db = g_build_filename (self->data_dir, "tierdesk.db", NULL);
  g_autofree char *port_file = g_build_filename (self->data_dir, "port", NULL);
  g_autofree char *log = g_build_filename (self->data_dir, "tierdeskd.log", NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  GError *error = NULL;
  gint64  deadline;

  if (tierdeskd == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _ ("The demo server, tierdeskd, is not installed"));
      return;
    }
  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s",
                               self->data_dir, g_strerror (errno));
      return;
    }
  if (!g_file_test (db, G_FILE_TEST_EXISTS)
      && !create_demo_database (tierdeskd, self->data_dir, db, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_unlink (port_file);
  /* Its log goes to a file, not to our stderr: a pipe of ours held by a
   * server that outlived us would keep whoever reads it (a terminal, a
   * test runner) waiting. Its stdin is a pipe we never write to: when we
   * end, however we end, it reads end-of-file and stops
   * (--exit-with-stdin). */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  process = g_subprocess_launcher_spawn (launcher, &error, tierdeskd, "serve", "--db", db,
                                         "--listen", "127.0.0.1:0", "--port-file", port_file,
                                         "--exit-with-stdin", NULL);
  if (process == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *port = NULL;

      if (g_file_get_contents (port_file, &port, NULL, NULL) && *g_strstrip (port) != '\0')
        {
          self->process = g_steal_pointer (&process);
          g_task_return_pointer (task, g_strdup_printf ("http://127.0.0.1:%s", port), g_free);
          return;
        }
      /* No identifier any more: it exited (a taken port, a bad database). */
      if (g_subprocess_get_identifier (process) == NULL || g_cancellable_is_cancelled (cancellable))
        break;
      g_usleep (50 * 1000);
    }
  g_subprocess_force_exit (process);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _ ("The demo server did not start (see %s/tierdeskd.log)"),
                           self->data_dir);
}

void
td_demo_server_start_async (TdDemoServer       *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (TD_IS_DEMO_SERVER (self));
  td_demo_server_stop (self);
  g_task_run_in_thread (task, start_thread);
}

char *
td_demo_server_start_finish (TdDemoServer *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
td_demo_server_stop (TdDemoServer *self)
{
  g_return_if_fail (TD_IS_DEMO_SERVER (self));
  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

static void
td_demo_server_dispose (GObject *object)
{
  td_demo_server_stop (TD_DEMO_SERVER (object));
  G_OBJECT_CLASS (td_demo_server_parent_class)->dispose (object);
}

static void
td_demo_server_finalize (GObject *object)
{
  g_free (TD_DEMO_SERVER (object)->data_dir);
  G_OBJECT_CLASS (td_demo_server_parent_class)->finalize (object);
}

static void
td_demo_server_class_init (TdDemoServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = td_demo_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = td_demo_server_finalize;
}

static void
td_demo_server_init (TdDemoServer *self)
{
}
