/* td-pir-window.c — one post-incident review: participants, timeline, root
 * cause, contributing factors, actions and status; export to Markdown and
 * PDF [10.2, 5.2]
 *
 * The server makes the review when a SEV-1/2 ticket is resolved, with the
 * ticket's history as its timeline. Edits stay in this window until Save,
 * which checks them with the same core rules the server applies
 * (td_pir_check) and writes them through the cache's outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "td-a11y.h"
#include "td-pir-window.h"
#include "td-pir.h"
#include "td-time.h"

struct _TdPirWindow
{
  AdwWindow parent_instance;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  AdwComboRow     *status_row;
  AdwActionRow    *due_row;
  AdwEntryRow     *scheduled_row;
  AdwEntryRow     *held_row;
  GtkListBox      *participants_list;
  GtkDropDown     *person_dropdown;
  GtkListBox      *timeline_list;
  GtkTextView     *root_cause_view;
  GtkTextView     *factors_view;
  GtkListBox      *actions_list;
  AdwEntryRow     *action_text_row;
  GtkDropDown     *owner_dropdown;
  AdwEntryRow     *action_due_row;

  TdSession  *session;
  char       *ticket;
  char       *uuid;
  JsonObject *row;
  JsonObject *ticket_row;
  GPtrArray  *people;       /* person rows, in the drop-downs' order */
  GPtrArray  *participants; /* JsonObject, edited here until saved */
  GPtrArray  *actions;      /* JsonObject */
  gulong      rows_changed_id;
};

G_DEFINE_FINAL_TYPE (TdPirWindow, td_pir_window, ADW_TYPE_WINDOW)

static const char *
row_text (JsonObject *row, const char *name)
{
  return row != NULL ? json_object_get_string_member_with_default (row, name, NULL) : NULL;
}

static gint64
row_int (JsonObject *row, const char *name)
{
  return row != NULL ? json_object_get_int_member_with_default (row, name, 0) : 0;
}

static void
toast (TdPirWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static TdCache *
cache (TdPirWindow *self)
{
  return td_session_get_cache (self->session);
}

static char *
format_local (gint64 when)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();

  if (when <= 0)
    return g_strdup ("");
  return td_time_format_wall_clock (when, local);
}

/* "YYYY-MM-DD HH:MM" in local time; 0 for an empty field, -1 for one
 * that is not such a time. */
static gint64
parse_local (const char *text)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  TdInstant at = 0;

  if (text == NULL || *text == '\0')
    return 0;
  return td_time_parse_wall_clock (text, local, &at) ? at : -1;
}

static const char *
person_name (TdPirWindow *self, const char *uuid)
{
  for (guint i = 0; uuid != NULL && i < self->people->len; i++)
    if (g_strcmp0 (row_text (g_ptr_array_index (self->people, i), "uuid"), uuid) == 0)
      return row_text (g_ptr_array_index (self->people, i), "name");
  return uuid != NULL && *uuid != '\0' ? uuid : _ ("Nobody");
}

static GPtrArray *
objects_from (JsonObject *row, const char *name)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode  *node = row != NULL ? json_object_get_member (row, name) : NULL;
  JsonArray *array = NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    array = json_node_get_array (node);
  else if (row_text (row, name) != NULL
           && json_parser_load_from_data (parser, row_text (row, name), -1, NULL)
           && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (objects, json_object_ref (json_node_get_object (element)));
    }
  return objects;
}

static JsonNode *
array_of (GPtrArray *objects)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));
  return json_node_init_array (json_node_alloc (), array);
}

static char *
text_of (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/* Participants and actions */

static void
clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void show_participants (TdPirWindow *self);
static void show_actions (TdPirWindow *self);

static void
on_attended_toggled (GtkCheckButton *check, TdPirWindow *self)
{
  JsonObject *participant = g_object_get_data (G_OBJECT (check), "participant");

  json_object_set_boolean_member (participant, "attended", gtk_check_button_get_active (check));
}

static void
on_remove_participant (GtkButton *button, TdPirWindow *self)
{
  g_ptr_array_remove (self->participants, g_object_get_data (G_OBJECT (button), "participant"));
  show_participants (self);
}

static void
show_participants (TdPirWindow *self)
{
  clear (self->participants_list);
  for (guint i = 0; i < self->participants->len; i++)
    {
      JsonObject *participant = g_ptr_array_index (self->participants, i);
      GtkWidget  *row = adw_action_row_new ();
      GtkWidget  *attended = gtk_check_button_new_with_label (_ ("Attended"));
      const char *name = row_text (participant, "name");
      gboolean    required
          = json_object_get_boolean_member_with_default (participant, "required", FALSE);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (
          ADW_PREFERENCES_ROW (row),
          name != NULL ? name : person_name (self, row_text (participant, "person")));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   required ? _ ("Required") : _ ("Optional"));
      gtk_check_button_set_active (
          GTK_CHECK_BUTTON (attended),
          json_object_get_boolean_member_with_default (participant, "attended", FALSE));
      g_object_set_data (G_OBJECT (attended), "participant", participant);
      g_signal_connect (attended, "toggled", G_CALLBACK (on_attended_toggled), self);
      gtk_widget_set_valign (attended, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), attended);
      if (!required)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");

          gtk_widget_set_tooltip_text (remove, _ ("Remove Participant"));
          gtk_widget_add_css_class (remove, "flat");
          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (remove), "participant", participant);
          g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_participant), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }
      gtk_list_box_append (self->participants_list, row);
    }
  if (self->participants->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No participants yet"));
      gtk_list_box_append (self->participants_list, row);
    }
}

static void
on_done_toggled (GtkCheckButton *check, TdPirWindow *self)
{
  JsonObject *action = g_object_get_data (G_OBJECT (check), "action");

  json_object_set_boolean_member (action, "done", gtk_check_button_get_active (check));
}

static void
on_remove_action (GtkButton *button, TdPirWindow *self)
{
  g_ptr_array_remove (self->actions, g_object_get_data (G_OBJECT (button), "action"));
  show_actions (self);
}

static void
show_actions (TdPirWindow *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  clear (self->actions_list);
  for (guint i = 0; i < self->actions->len; i++)
    {
      JsonObject *action = g_ptr_array_index (self->actions, i);
      GtkWidget  *row = adw_action_row_new ();
      GtkWidget  *done = gtk_check_button_new ();
      GtkWidget  *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      const char *due = row_text (action, "due");
      gboolean    is_done = json_object_get_boolean_member_with_default (action, "done", FALSE);
      gboolean    late = !is_done && due != NULL && g_strcmp0 (due, today) < 0;
      g_autofree char *subtitle = g_strdup_printf (
          late ? _ ("%s · due %s, overdue") : _ ("%s · due %s"),
          person_name (self, row_text (action, "owner")), due != NULL ? due : "—");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_text (action, "text"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (late)
        gtk_widget_add_css_class (row, "error");
      gtk_check_button_set_active (GTK_CHECK_BUTTON (done), is_done);
      gtk_widget_set_valign (done, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (done, _ ("Done"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (done), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Done"), -1);
      g_object_set_data (G_OBJECT (done), "action", action);
      g_signal_connect (done, "toggled", G_CALLBACK (on_done_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), done);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), done);
      gtk_widget_set_tooltip_text (remove, _ ("Remove Action"));
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (remove), "action", action);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_action), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->actions_list, row);
    }
  if (self->actions->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No actions yet"));
      gtk_list_box_append (self->actions_list, row);
    }
}

static void
show_timeline (TdPirWindow *self)
{
  g_autoptr (GPtrArray) events = objects_from (self->row, "timeline");

  clear (self->timeline_list);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject      *event = g_ptr_array_index (events, i);
      GtkWidget       *row = adw_action_row_new ();
      g_autofree char *when = format_local (row_int (event, "at"));
      const char      *author = row_text (event, "author");
      g_autofree char *subtitle
          = g_strdup_printf ("%s · %s", when, author != NULL ? person_name (self, author) : "—");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_text (event, "text"));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->timeline_list, row);
    }
}

static void
show_due (TdPirWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TdPir) pir = td_pir_new_from_row (self->row, &error);
  g_autofree char *due = format_local (row_int (self->row, "due_at"));
  g_autofree char *subtitle = NULL;
  TdSyncEngine    *engine = td_session_get_engine (self->session);
  gint64 now = td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);

  gtk_widget_remove_css_class (GTK_WIDGET (self->due_row), "error");
  if (pir != NULL && td_pir_is_overdue (pir, now))
    {
      subtitle = g_strdup_printf (_ ("%s — overdue: hold the review"), due);
      gtk_widget_add_css_class (GTK_WIDGET (self->due_row), "error");
    }
  else
    subtitle = g_strdup (due);
  adw_action_row_set_subtitle (self->due_row, subtitle);
}

static void
load (TdPirWindow *self)
{
  g_autoptr (GPtrArray) pirs = td_cache_list (cache (self), "pir", "ticket", self->ticket, NULL);
  g_autofree char *scheduled = NULL;
  g_autofree char *held = NULL;
  g_autofree char *subtitle = NULL;
  TdPirStatus      status = TD_PIR_SCHEDULED;

  g_clear_pointer (&self->row, json_object_unref);
  g_clear_pointer (&self->ticket_row, json_object_unref);
  if (pirs->len == 0)
    return;
  self->row = json_object_ref (g_ptr_array_index (pirs, 0));
  g_free (self->uuid);
  self->uuid = g_strdup (row_text (self->row, "uuid"));
  self->ticket_row = td_cache_get_row (cache (self), "ticket", self->ticket);

  /* TRANSLATORS: the window's subtitle: severity · the ticket's title */
  subtitle = g_strdup_printf (
      _ ("%s · %s"),
      row_text (self->ticket_row, "severity") != NULL ? row_text (self->ticket_row, "severity")
                                                      : "—",
      row_text (self->ticket_row, "title") != NULL ? row_text (self->ticket_row, "title")
                                                   : self->ticket);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  td_pir_status_from_string (row_text (self->row, "status"), &status);
  adw_combo_row_set_selected (self->status_row, status);
  scheduled = format_local (row_int (self->row, "scheduled_at"));
  held = format_local (row_int (self->row, "held_at"));
  gtk_editable_set_text (GTK_EDITABLE (self->scheduled_row), scheduled);
  gtk_editable_set_text (GTK_EDITABLE (self->held_row), held);
  gtk_text_buffer_set_text (
      gtk_text_view_get_buffer (self->root_cause_view),
      row_text (self->row, "root_cause") != NULL ? row_text (self->row, "root_cause") : "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->factors_view),
                            row_text (self->row, "contributing_factors") != NULL
                                ? row_text (self->row, "contributing_factors")
                                : "",
                            -1);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  self->participants = objects_from (self->row, "participants");
  self->actions = objects_from (self->row, "actions");
  show_due (self);
  show_participants (self);
  show_timeline (self);
  show_actions (self);
}

static void
load_people (TdPirWindow *self)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  GtkStringList *owners = gtk_string_list_new (NULL);
  g_autoptr (GtkExpression) expression
      = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  g_clear_pointer (&self->people, g_ptr_array_unref);
  self->people = td_cache_list (cache (self), "person", NULL, NULL, "name");
  for (guint i = 0; i < self->people->len; i++)
    {
      gtk_string_list_append (names, row_text (g_ptr_array_index (self->people, i), "name"));
      gtk_string_list_append (owners, row_text (g_ptr_array_index (self->people, i), "name"));
    }
  gtk_drop_down_set_expression (self->person_dropdown, expression);
  gtk_drop_down_set_expression (self->owner_dropdown, expression);
  gtk_drop_down_set_model (self->person_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (owners));
  g_object_unref (names);
  g_object_unref (owners);
}

/* The review as the window shows it, as a pir row; NULL with the
 * offending field marked and named in a toast. */
static JsonObject *
edited_row (TdPirWindow *self)
{
  g_autoptr (JsonObject) row = json_object_new ();
  g_autoptr (TdPir) pir = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *root_cause = text_of (self->root_cause_view);
  g_autofree char *factors = text_of (self->factors_view);
  gint64 scheduled = parse_local (gtk_editable_get_text (GTK_EDITABLE (self->scheduled_row)));
  gint64 held = parse_local (gtk_editable_get_text (GTK_EDITABLE (self->held_row)));
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  gtk_widget_remove_css_class (GTK_WIDGET (self->scheduled_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->held_row), "error");
  if (scheduled < 0 || held < 0)
    {
      AdwEntryRow     *bad = scheduled < 0 ? self->scheduled_row : self->held_row;
      g_autofree char *message
          = g_strdup_printf (_ ("%s: “%s” is not a time (expected YYYY-MM-DD HH:MM)"),
                             adw_preferences_row_get_title (ADW_PREFERENCES_ROW (bad)),
                             gtk_editable_get_text (GTK_EDITABLE (bad)));

      gtk_widget_add_css_class (GTK_WIDGET (bad), "error");
      toast (self, message);
      return NULL;
    }

  json_object_iter_init (&iter, self->row);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (row, name, json_node_copy (value));
  json_object_set_string_member (
      row, "status", td_pir_status_to_string (adw_combo_row_get_selected (self->status_row)));
  if (scheduled > 0)
    json_object_set_int_member (row, "scheduled_at", scheduled);
  else
    json_object_set_null_member (row, "scheduled_at");
  if (held > 0)
    json_object_set_int_member (row, "held_at", held);
  else
    json_object_set_null_member (row, "held_at");
  json_object_set_string_member (row, "root_cause", root_cause);
  json_object_set_string_member (row, "contributing_factors", factors);
  json_object_set_member (row, "participants", array_of (self->participants));
  json_object_set_member (row, "actions", array_of (self->actions));

  pir = td_pir_new_from_row (row, &error);
  if (pir == NULL || !td_pir_check (pir, &error))
    {
      if (g_str_has_prefix (error->message, "held_at"))
        gtk_widget_add_css_class (GTK_WIDGET (self->held_row), "error");
      toast (self, error->message);
      return NULL;
    }
  return g_steal_pointer (&row);
}

/* Export */

static TdPir *
shown_pir (TdPirWindow *self, GError **error)
{
  g_autoptr (JsonObject) row = edited_row (self);

  if (row == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _ ("The review has a mistake to fix before it can be exported"));
      return NULL;
    }
  return td_pir_new_from_row (row, error);
}

static char *
markdown (TdPirWindow *self, GError **error)
{
  g_autoptr (TdPir) pir = shown_pir (self, error);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  if (pir == NULL)
    return NULL;
  for (guint i = 0; i < self->people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (self->people, i);
      g_hash_table_insert (names, (gpointer) row_text (person, "uuid"),
                           (gpointer) row_text (person, "name"));
    }
  return td_pir_to_markdown (pir, row_text (self->ticket_row, "title"),
                             row_text (self->ticket_row, "severity"), names);
}

/* One Markdown line as Pango markup: headings larger and bold, **bold**
 * kept, table rows in a fixed font so their columns line up. */
static char *
line_markup (const char *line, double *space_before)
{
  g_autofree char *escaped = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean bold = FALSE;

  *space_before = 0;
  if (g_str_has_prefix (line, "# "))
    {
      escaped = g_markup_escape_text (line + 2, -1);
      *space_before = 0;
      return g_strdup_printf ("<span size=\"xx-large\" weight=\"bold\">%s</span>", escaped);
    }
  if (g_str_has_prefix (line, "## "))
    {
      escaped = g_markup_escape_text (line + 3, -1);
      *space_before = 14;
      return g_strdup_printf ("<span size=\"large\" weight=\"bold\">%s</span>", escaped);
    }
  if (g_str_has_prefix (line, "|"))
    {
      escaped = g_markup_escape_text (line, -1);
      return g_strdup_printf ("<tt>%s</tt>", escaped);
    }
  escaped = g_markup_escape_text (g_str_has_prefix (line, "- ") ? line + 2 : line, -1);
  if (g_str_has_prefix (line, "- "))
    g_string_append (out, "•  ");
  for (const char *p = escaped; *p != '\0'; p++)
    {
      if (p[0] == '*' && p[1] == '*')
        {
          g_string_append (out, bold ? "</b>" : "<b>");
          bold = !bold;
          p++;
        }
      else if (p[0] == '_' && (p == escaped || p[1] == '\0'))
        continue; /* _Not recorded yet._ reads as plain text */
      else
        g_string_append_c (out, *p);
    }
  if (bold)
    g_string_append (out, "</b>");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A4, with 2 cm margins, paginated line by line. */
static gboolean
write_pdf (const char *text, GFile *file, GError **error)
{
  const double     width = 595.28, height = 841.89, margin = 56.7;
  g_autofree char *path = g_file_get_path (file);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  cairo_surface_t      *surface;
  cairo_t              *cr;
  PangoFontDescription *font = pango_font_description_from_string ("Sans 10");
  double                y = margin;
  cairo_status_t        status;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _ ("A PDF can only be written to a local file"));
      pango_font_description_free (font);
      return FALSE;
    }
  surface = cairo_pdf_surface_create (path, width, height);
  cr = cairo_create (surface);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      PangoLayout     *layout = pango_cairo_create_layout (cr);
      double           space_before;
      g_autofree char *markup = line_markup (lines[i], &space_before);
      int              layout_height;

      pango_layout_set_font_description (layout, font);
      pango_layout_set_width (layout, (int) ((width - 2 * margin) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_markup (layout, *lines[i] != '\0' ? markup : " ", -1);
      pango_layout_get_size (layout, NULL, &layout_height);
      y += space_before;
      if (y + layout_height / (double) PANGO_SCALE > height - margin && y > margin)
        {
          cairo_show_page (cr);
          y = margin;
        }
      cairo_move_to (cr, margin, y);
      pango_cairo_show_layout (cr, layout);
      y += layout_height / (double) PANGO_SCALE + 2;
      g_object_unref (layout);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  pango_font_description_free (font);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static void
on_export_response (GtkNativeDialog *chooser, int response, TdPirWindow *self)
{
  TdPirExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr (GError) error = NULL;

      if (td_pir_window_export (self, file, format, &error))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *text = g_strdup_printf (_ ("Saved %s"), name);
          toast (self, text);
        }
      else
        toast (self, error->message);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdPirWindow          *self = TD_PIR_WINDOW (widget);
  gboolean              pdf = g_str_equal (g_variant_get_string (parameter, NULL), "pdf");
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      pdf ? _ ("Export Review as PDF") : _ ("Export Review as Markdown"), GTK_WINDOW (self),
      GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  GtkFileFilter   *filter = gtk_file_filter_new ();
  g_autofree char *name
      = g_strdup_printf ("post-incident-review-%.8s.%s", self->ticket, pdf ? "pdf" : "md");

  gtk_file_filter_set_name (filter, pdf ? _ ("PDF documents") : _ ("Markdown files"));
  gtk_file_filter_add_pattern (filter, pdf ? "*.pdf" : "*.md");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "format",
                     GINT_TO_POINTER (pdf ? TD_PIR_EXPORT_PDF : TD_PIR_EXPORT_MARKDOWN));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions */

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdPirWindow *self = TD_PIR_WINDOW (widget);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  static const char *const editable[]
      = { "status",       "scheduled_at", "held_at", "root_cause", "contributing_factors",
          "participants", "actions",      NULL };

  if (self->row == NULL || (row = edited_row (self)) == NULL)
    return;
  if (!td_session_may (self->session, "pir.write", 0))
    {
      toast (self, _ ("Your role may read reviews but not change them"));
      return;
    }
  for (guint i = 0; editable[i] != NULL; i++)
    json_object_set_member (fields, editable[i],
                            json_node_copy (json_object_get_member (row, editable[i])));
  if (!td_cache_update (cache (self), "pir", self->uuid, fields, &error))
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "pir", self->uuid);
  toast (self, _ ("Review saved"));
}

static void
add_participant_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdPirWindow *self = TD_PIR_WINDOW (widget);
  guint        selected = gtk_drop_down_get_selected (self->person_dropdown);
  JsonObject  *person;
  JsonObject  *participant;

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->people->len)
    return;
  person = g_ptr_array_index (self->people, selected);
  for (guint i = 0; i < self->participants->len; i++)
    if (g_strcmp0 (row_text (g_ptr_array_index (self->participants, i), "person"),
                   row_text (person, "uuid"))
        == 0)
      {
        toast (self, _ ("Already a participant"));
        return;
      }
  participant = json_object_new ();
  json_object_set_string_member (participant, "person", row_text (person, "uuid"));
  json_object_set_string_member (participant, "name", row_text (person, "name"));
  json_object_set_boolean_member (participant, "required", FALSE);
  json_object_set_boolean_member (participant, "attended", FALSE);
  g_ptr_array_add (self->participants, participant);
  show_participants (self);
}

static void
add_action_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdPirWindow     *self = TD_PIR_WINDOW (widget);
  g_autofree char *text
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->action_text_row))));
  g_autofree char *due
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->action_due_row))));
  guint       owner = gtk_drop_down_get_selected (self->owner_dropdown);
  JsonObject *action;

  gtk_widget_remove_css_class (GTK_WIDGET (self->action_text_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->action_due_row), "error");
  if (*text == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->action_text_row), "error");
      toast (self, _ ("Action: say what is to be done"));
      return;
    }
  if (!td_time_parse_date (due, NULL))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("Due: “%s” is not a date (expected YYYY-MM-DD)"), due);
      gtk_widget_add_css_class (GTK_WIDGET (self->action_due_row), "error");
      toast (self, message);
      return;
    }
  if (owner == GTK_INVALID_LIST_POSITION || owner >= self->people->len)
    {
      toast (self, _ ("Owner: every action needs an owner"));
      return;
    }
  action = json_object_new ();
  json_object_set_string_member (action, "text", text);
  json_object_set_string_member (action, "owner",
                                 row_text (g_ptr_array_index (self->people, owner), "uuid"));
  json_object_set_string_member (action, "due", due);
  json_object_set_boolean_member (action, "done", FALSE);
  g_ptr_array_add (self->actions, action);
  gtk_editable_set_text (GTK_EDITABLE (self->action_text_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->action_due_row), "");
  show_actions (self);
}

static void
on_rows_changed (TdPirWindow *self, const char *entity, const char *const *ids)
{
  /* Only the server's copy of this review after a save; edits in progress
   * are not thrown away by someone else's change meanwhile. */
  if (g_str_equal (entity, "pir") && self->uuid != NULL && g_strv_contains (ids, self->uuid))
    {
      g_autoptr (JsonObject) fresh = td_cache_get_row (cache (self), "pir", self->uuid);

      if (fresh != NULL)
        {
          g_clear_pointer (&self->row, json_object_unref);
          self->row = g_steal_pointer (&fresh);
          show_due (self);
          show_timeline (self);
        }
    }
}

static void
td_pir_window_dispose (GObject *object)
{
  TdPirWindow *self = TD_PIR_WINDOW (object);

  if (self->session != NULL && self->rows_changed_id != 0)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_clear_object (&self->session);
  G_OBJECT_CLASS (td_pir_window_parent_class)->dispose (object);
}

static void
td_pir_window_finalize (GObject *object)
{
  TdPirWindow *self = TD_PIR_WINDOW (object);

  g_free (self->ticket);
  g_free (self->uuid);
  g_clear_pointer (&self->row, json_object_unref);
  g_clear_pointer (&self->ticket_row, json_object_unref);
  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  G_OBJECT_CLASS (td_pir_window_parent_class)->finalize (object);
}

static void
td_pir_window_class_init (TdPirWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_pir_window_dispose;
  object_class->finalize = td_pir_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tierdesk/Tierdesk/ui/td-pir-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, due_row);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, scheduled_row);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, held_row);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, participants_list);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, person_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, root_cause_view);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, factors_view);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, actions_list);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, action_text_row);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdPirWindow, action_due_row);

  gtk_widget_class_install_action (widget_class, "pir.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "pir.save", NULL);
  gtk_widget_class_install_action (widget_class, "pir.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "pir.add-participant", NULL,
                                   add_participant_action);
  gtk_widget_class_install_action (widget_class, "pir.add-action", NULL, add_action_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_pir_window_init (TdPirWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not an application window, so TdApplication does not do this for it. */
  td_a11y_name_internal_buttons (GTK_WIDGET (self));
}

/* Public API */

TdPirWindow *
td_pir_window_new (GtkWindow *parent, TdSession *session, const char *ticket)
{
  TdPirWindow *self;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);
  g_return_val_if_fail (ticket != NULL, NULL);

  self = g_object_new (TD_TYPE_PIR_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->ticket = g_strdup (ticket);
  load_people (self);
  load (self);
  if (self->row == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_row),
                            td_session_may (session, "pir.write", 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pir.save",
                                 td_session_may (session, "pir.write", 0));
  if (td_session_get_engine (session) != NULL)
    self->rows_changed_id
        = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                   G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  return self;
}

const char *
td_pir_window_get_uuid (TdPirWindow *self)
{
  g_return_val_if_fail (TD_IS_PIR_WINDOW (self), NULL);
  return self->uuid;
}

gboolean
td_pir_window_export (TdPirWindow *self, GFile *file, TdPirExportFormat format, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TD_IS_PIR_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if ((text = markdown (self, error)) == NULL)
    return FALSE;
  if (format == TD_PIR_EXPORT_PDF)
    return write_pdf (text, file, error);
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}
