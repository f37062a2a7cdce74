/* main.c — tierdesk, the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (TdApplication) app = NULL;

  td_application_setup_i18n ();
  app = td_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
