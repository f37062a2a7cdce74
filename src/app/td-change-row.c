/* td-change-row.c — one production change as a list row, for the changes window and the ticket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-change-row.h"
#include "td-change.h"

static const char *
status_label (TdChangeStatus status)
{
  switch (status)
    {
      case TD_CHANGE_SUCCEEDED:
        return _ ("Succeeded");
      case TD_CHANGE_FAILED:
        return _ ("Failed");
      case TD_CHANGE_ROLLED_BACK:
        return _ ("Rolled back");
      case TD_CHANGE_PLANNED:
      default:
        return _ ("Planned");
    }
}

static char *
format_when (TdInstant at)
{
  g_autoptr (GDateTime) local = at > 0 ? g_date_time_new_from_unix_local (at) : NULL;

  /* TRANSLATORS: a change's time, as in "Tue 24 Nov 2026, 18:40" */
  return local != NULL ? g_date_time_format (local, _ ("%a %-d %b %Y, %H:%M")) : NULL;
}

GtkWidget *
td_change_row_new (TdSession *session, JsonObject *change, GHashTable *names)
{
  TdPolicy           *policy = td_session_get_policy (session);
  const TdChangeKind *kind = td_policy_get_change_kind (policy, td_cache_row_text (change, "kind"));
  const char         *implementer = td_cache_row_text (change, "implementer");
  const char         *who
      = implementer != NULL && names != NULL ? g_hash_table_lookup (names, implementer) : NULL;
  g_autoptr (JsonObject) person = NULL;
  TdChangeStatus   status = TD_CHANGE_PLANNED;
  TdInstant        at;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_strdup_printf ("change-%s", td_cache_row_text (change, "uuid"));
  GtkWidget       *row = adw_action_row_new ();
  GtkWidget       *label;

  if (who == NULL && implementer != NULL
      && (person = td_cache_get_row (td_session_get_cache (session), "person", implementer))
             != NULL)
    who = td_cache_row_text (person, "name");
  td_change_status_from_string (td_cache_row_text (change, "status"), &status);
  at = status == TD_CHANGE_PLANNED ? td_cache_row_int (change, "planned_for")
                                   : td_cache_row_int (change, "performed_at");
  when = format_when (at);
  /* TRANSLATORS: kind · tier · implementer · time, as in
   * "Code change · Tier 3 · Sophia Chen · Tue 24 Nov 2026, 18:40" */
  subtitle = g_strdup_printf (
      _ ("%s · Tier %d · %s · %s"), kind != NULL ? kind->name : td_cache_row_text (change, "kind"),
      (int) td_cache_row_int (change, "tier"),
      who != NULL ? who : (implementer != NULL ? implementer : _ ("Nobody named")),
      when != NULL ? when : _ ("No time set"));
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), td_cache_row_text (change, "title"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (td_cache_row_text (change, "uuid")),
                          g_free);

  label = gtk_label_new (status_label (status));
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, status == TD_CHANGE_SUCCEEDED ? "success"
                                   : status == TD_CHANGE_PLANNED ? "dim-label"
                                                                 : "error");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

const char *
td_change_row_get_uuid (GtkListBoxRow *row)
{
  g_return_val_if_fail (GTK_IS_LIST_BOX_ROW (row), NULL);
  return g_object_get_data (G_OBJECT (row), "uuid");
}
