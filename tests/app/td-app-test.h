/* td-app-test.h — what every GUI test does: wait, read the screen, take a picture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Lets pending idle work (search debounce, redraws) run for @ms. */
void td_app_test_spin (guint ms);
/* Every visible label and inscription under @widget, one per line: what a
 * person reads there. */
char *td_app_test_widget_text (GtkWidget *widget);
/* With TD_SCREENSHOTS=DIR, saves what @window shows as DIR/NAME.png
 * (NAME-dark.png in dark mode), for a person to look at. */
void td_app_test_screenshot (GtkWidget *window, const char *name);

G_END_DECLS
