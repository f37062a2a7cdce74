/* td-a11y.c — accessible names for the parts of GTK widgets a template cannot reach
 *
 * GTK 4.8 does not use a tooltip as the accessible name, so an icon-only
 * button, a drop-down or a menu button without a label is announced by its
 * type name ("GtkImage", "GtkDropDown"). A .ui file can name the widget, but
 * not the GtkToggleButton inside a GtkDropDown or a GtkMenuButton, which is
 * what takes the keyboard focus and what a screen reader announces, nor
 * libadwaita's own icon-only parts (the password row's "show text" icon).
 * Each of those has, or sits in a widget that has, a tooltip that says what
 * it is, so it takes its name from there. tests/app/test-a11y.py checks
 * the result on every page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-a11y.h"

static gboolean
is_button_role (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  /* GTK 4.8 has no toggle-button role: a toggle button is a BUTTON. */
  return role == GTK_ACCESSIBLE_ROLE_BUTTON || role == GTK_ACCESSIBLE_ROLE_COMBO_BOX;
}

/* Whether GTK names the widget from text of its own: a button's label. */
static gboolean
has_own_text (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_label (GTK_BUTTON (widget)) != NULL
           && gtk_button_get_icon_name (GTK_BUTTON (widget)) == NULL;
  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL;
  return FALSE;
}

static void
name_from (GtkWidget *widget, const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* drop_down_tooltip: the tooltip of the GtkDropDown around widget, if any,
 * the name its inner button should have. A GtkMenuButton's inner button
 * needs none: GTK labels it by the menu button, which is named here. */
static void
walk (GtkWidget *widget, const char *drop_down_tooltip)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_DROP_DOWN (widget))
    drop_down_tooltip = tooltip;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget))
      && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      /* GTK 4.8 names such a button "_Mine Mine": its label property, raw,
       * then the text of the label widget it is labelled by. Without the
       * first, the name is what the button shows. */
      gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
  else if (is_button_role (widget) && !has_own_text (widget))
    {
      if (tooltip != NULL && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
        name_from (widget, tooltip);
      else if (drop_down_tooltip != NULL && GTK_IS_TOGGLE_BUTTON (widget))
        name_from (widget, drop_down_tooltip);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, drop_down_tooltip);
}

/**
 * td_a11y_name_internal_buttons:
 * @root: a widget whose template has been initialised
 *
 * Names the inner buttons of @root's drop-downs and menu buttons after their
 * tooltips, and icon-only buttons after theirs, and gives buttons with a
 * mnemonic the name they show. #TdApplication calls it on each window it
 * is given, when the window's templates are complete.
 */
void
td_a11y_name_internal_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  walk (root, NULL);
}
