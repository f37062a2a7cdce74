/* main.c — tierdeskd, the Tierdesk server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "td-server-cli.h"

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  return td_server_cli_run (argc, argv);
}
