/* td-server-cli.h — tierdeskd's command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes, as scripts and the tests rely on them. */
enum
{
  TD_EXIT_OK = 0,
  TD_EXIT_FAILURE = 1, /* the input was read and found wrong */
  TD_EXIT_USAGE = 2,   /* the command line itself is wrong */
};

int td_server_cli_run (int argc, char **argv);

G_END_DECLS
