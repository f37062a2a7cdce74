/* fuzz-replay.c — runs a fuzz target's seed corpus and regression inputs as GLib tests
 *
 * Linked with one fuzz-*.c in the ordinary build (no libFuzzer, no clang):
 * each file under the directories given is one test case, fed to the
 * target's LLVMFuzzerTestOneInput() as libFuzzer would. regressions/<target>
 * keeps every input a fuzzer ever found trouble with, so each fix stays
 * fixed in every `./run test`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "fuzz-common.h"

static void
replay (gconstpointer data)
{
  const char *path = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize            length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *target = TD_FUZZ_TARGET;

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *kind = g_path_get_basename (argv[i]);
      g_autofree char *parent = g_path_get_dirname (argv[i]);
      g_autofree char *group = g_path_get_basename (parent);
      const char      *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
      for (guint n = 0; n < names->len; n++)
        {
          const char      *file = g_ptr_array_index (names, n);
          g_autofree char *test = g_strdup_printf ("/fuzz/%s/%s/%s", target, group, file);
          char            *path = g_build_filename (argv[i], file, NULL);

          g_ptr_array_add (paths, path);
          g_test_add_data_func (test, path, replay);
        }
    }
  return g_test_run ();
}
