/* td-a11y.h — accessible names for the parts of GTK widgets a template cannot reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void td_a11y_name_internal_buttons (GtkWidget *root);

G_END_DECLS
