/* fuzz-policy.c — the policy loader (td_policy_new_from_data) on any bytes
 *
 * Every input must load or be refused with errors; none may crash, leak,
 * or warn. What loads must describe itself without trouble.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "td-policy.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_fatal_warnings ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdPolicy) policy
      = td_policy_new_from_data ((const char *) data, (gssize) size, &error);

  if (policy == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  /* Walk what loaded. */
  for (guint i = 0; i < td_policy_get_roles (policy)->len; i++)
    {
      const TdRole    *role = g_ptr_array_index (td_policy_get_roles (policy), i);
      g_autofree char *what = td_policy_describe_action (policy, "ticket.create");

      (void) td_policy_role_may (policy, role->id, "ticket.create");
      g_assert_nonnull (what);
    }
  return 0;
}
