/* td-handoff-window.c — the shift handoff [8.3]: preview, hand over, acknowledge, export, print
 *
 * For the chosen team, the window shows the latest handoff nobody has
 * acknowledged yet: its stored report, with Acknowledge for the incoming
 * lead. Without one, it shows a draft built from live data (open tickets,
 * SEV-1/2, pending actions, escalations, who is on call now and next),
 * which the outgoing lead completes with notes and hands over. Both writes
 * go through the cache and its outbox; the server checks who may
 * acknowledge and stamps when. Export and print show what the preview
 * shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-a11y.h"
#include "td-handoff-print.h"
#include "td-handoff-report.h"
#include "td-handoff-source.h"
#include "td-handoff-window.h"
#include "td-rota-store.h"
#include "td-time.h"

#define RELOAD_DELAY_MS 300

struct _TdHandoffWindow
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkButton       *hand_over_button;
  GtkButton       *acknowledge_button;
  GtkLabel        *status_label;
  GtkDropDown     *team_dropdown;
  GtkStringList   *team_list;
  GtkDropDown     *incoming_dropdown;
  GtkStringList   *incoming_list;
  GtkTextView     *notes_view;
  GtkBox          *preview_box;

  TdSession   *session;
  TdRotaStore *rotas;
  gulong       rows_changed_id;
  guint        reload_id;
  /* Team drop-down position → tier (0: every tier). */
  GArray *team_tiers;
  /* Incoming drop-down position → person uuid (NULL: anyone). */
  GPtrArray *incoming_people;
  /* The stored handoff shown (NULL: a draft) and the report shown. */
  JsonObject *handoff;
  JsonObject *report;
  GPtrArray  *blocks;
  /* Kept on screen after acknowledging it, until the team changes. */
  char *pinned;
  /* The incoming drop-down lists the team (a draft), not a stored choice. */
  gboolean incoming_filled;
  /* Preset: what the print dialog opens with (tests pick "Print to File"). */
  GtkPrintSettings *print_settings;
};

G_DEFINE_FINAL_TYPE (TdHandoffWindow, td_handoff_window, ADW_TYPE_WINDOW)

static void rebuild (TdHandoffWindow *self);

static TdCache *
cache (TdHandoffWindow *self)
{
  return self->session != NULL ? td_session_get_cache (self->session) : NULL;
}

static TdPolicy *
policy (TdHandoffWindow *self)
{
  return td_session_get_policy (self->session);
}

static TdInstant
server_now (TdHandoffWindow *self)
{
  TdSyncEngine *engine = td_session_get_engine (self->session);

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

/* Who this account is to the server: its person, else its user name. */
static const char *
me (TdHandoffWindow *self)
{
  const char *person = td_session_get_person (self->session);

  return person != NULL ? person : td_session_get_user (self->session);
}

static const char *
person_name (TdHandoffWindow *self, const char *uuid)
{
  JsonObject *row = uuid != NULL ? td_rota_store_get_row (self->rotas, "person", uuid) : NULL;
  const char *name
      = row != NULL ? json_object_get_string_member_with_default (row, "name", NULL) : NULL;

  return name != NULL ? name : uuid;
}

static void
toast (TdHandoffWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static int
selected_tier (TdHandoffWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->team_dropdown);

  return selected < self->team_tiers->len ? g_array_index (self->team_tiers, int, selected) : 0;
}

static const char *
text_member (JsonObject *object, const char *name)
{
  return object != NULL ? json_object_get_string_member_with_default (object, name, NULL) : NULL;
}

static gint64
int_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

/* Loading */

static void
load_rotas (TdHandoffWindow *self)
{
  static const char *const entities[]
      = { "person", "rotation", "rotation_member", "rota_override", "swap_request", NULL };

  td_rota_store_clear (self->rotas);
  for (guint i = 0; cache (self) != NULL && entities[i] != NULL; i++)
    {
      g_autoptr (GPtrArray) rows = td_cache_list (cache (self), entities[i], NULL, NULL, NULL);

      for (guint j = 0; rows != NULL && j < rows->len; j++)
        td_rota_store_add_row (self->rotas, entities[i], g_ptr_array_index (rows, j));
    }
}

/* The latest handoff of @tier nobody has acknowledged yet, or the pinned one. */
static JsonObject *
find_handoff (TdHandoffWindow *self, int tier)
{
  g_autofree char *value = g_strdup_printf ("%d", tier);
  g_autoptr (GPtrArray) rows = NULL;
  JsonObject *found = NULL;

  if (self->pinned != NULL)
    {
      found = td_cache_get_row (cache (self), "shift_handoff", self->pinned);
      if (found != NULL)
        return found;
      g_clear_pointer (&self->pinned, g_free);
    }
  rows = td_cache_list (cache (self), "shift_handoff", "tier", value, "created_at");
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);

      if (text_member (row, "acknowledged_by") == NULL)
        {
          g_clear_pointer (&found, json_object_unref);
          found = json_object_ref (row);
        }
    }
  return found;
}

/* When the team last handed over: where this shift's report starts. */
static TdInstant
previous_handoff_at (TdHandoffWindow *self, int tier)
{
  g_autofree char *value = g_strdup_printf ("%d", tier);
  g_autoptr (GPtrArray) rows = td_cache_list (cache (self), "shift_handoff", "tier", value, NULL);
  TdInstant latest = 0;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    latest = MAX (latest, int_member (g_ptr_array_index (rows, i), "created_at"));
  return latest;
}

/* The outgoing lead's shift, as the directory words it. */
static const char *
my_shift (TdHandoffWindow *self)
{
  JsonObject *row = td_rota_store_get_row (self->rotas, "person", me (self));

  return text_member (row, "shift");
}

static void
fill_incoming (TdHandoffWindow *self, int tier)
{
  g_autoptr (GPtrArray) people = td_rota_store_list_people (self->rotas, tier);
  const char *mine = me (self);

  self->incoming_filled = TRUE;
  g_ptr_array_set_size (self->incoming_people, 0);
  gtk_string_list_splice (self->incoming_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->incoming_list)), NULL);
  gtk_string_list_append (self->incoming_list, _ ("Anyone on the Team"));
  g_ptr_array_add (self->incoming_people, NULL);
  for (guint i = 0; i < people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (people, i);
      const char *uuid = text_member (person, "uuid");

      if (uuid == NULL || g_strcmp0 (uuid, mine) == 0)
        continue;
      gtk_string_list_append (self->incoming_list, text_member (person, "name"));
      g_ptr_array_add (self->incoming_people, g_strdup (uuid));
    }
}

/* Preview */

static GtkWidget *
preview_label (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
show_blocks (TdHandoffWindow *self)
{
  GtkWidget *child;
  GtkGrid   *grid = NULL;
  int        row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_box))) != NULL)
    gtk_box_remove (self->preview_box, child);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const TdHandoffBlock *block = g_ptr_array_index (self->blocks, i);
      GtkWidget            *widget = NULL;

      if (block->kind != TD_HANDOFF_BLOCK_TABLE_ROW)
        grid = NULL;
      switch (block->kind)
        {
          case TD_HANDOFF_BLOCK_TITLE:
            widget = preview_label (block->cells[0], "title-1");
            gtk_widget_set_margin_bottom (widget, 12);
            break;
          case TD_HANDOFF_BLOCK_FIELD:
            {
              g_autofree char *markup
                  = g_markup_printf_escaped ("<b>%s:</b> %s", block->cells[0], block->cells[1]);
              widget = preview_label (NULL, NULL);
              gtk_label_set_markup (GTK_LABEL (widget), markup);
            }
            break;
          case TD_HANDOFF_BLOCK_HEADING:
            widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
            gtk_widget_set_margin_top (widget, 18);
            gtk_box_append (GTK_BOX (widget), preview_label (block->cells[0], "title-4"));
            if (block->cells[1] != NULL && block->cells[1][0] != '\0')
              gtk_box_append (GTK_BOX (widget), preview_label (block->cells[1], "dim-label"));
            break;
          case TD_HANDOFF_BLOCK_TABLE_HEAD:
            grid = GTK_GRID (gtk_grid_new ());
            gtk_grid_set_column_spacing (grid, 18);
            gtk_grid_set_row_spacing (grid, 4);
            gtk_widget_set_margin_top (GTK_WIDGET (grid), 6);
            row = 0;
            for (guint c = 0; block->cells[c] != NULL; c++)
              gtk_grid_attach (grid, preview_label (block->cells[c], "heading"), c, row, 1, 1);
            row++;
            widget = GTK_WIDGET (grid);
            break;
          case TD_HANDOFF_BLOCK_TABLE_ROW:
            if (grid == NULL)
              break;
            for (guint c = 0; block->cells[c] != NULL; c++)
              {
                GtkWidget *cell = preview_label (block->cells[c], NULL);

                /* The first column (a title) takes the room that is left. */
                gtk_widget_set_hexpand (cell, c == 0);
                gtk_widget_set_valign (cell, GTK_ALIGN_START);
                gtk_grid_attach (grid, cell, c, row, 1, 1);
              }
            row++;
            break;
          case TD_HANDOFF_BLOCK_ITEM:
            /* A hanging indent: wrapped lines start under the text, not the bullet. */
            widget = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
            gtk_box_append (GTK_BOX (widget), preview_label ("•", NULL));
            gtk_box_append (GTK_BOX (widget), preview_label (block->cells[0], NULL));
            gtk_widget_set_hexpand (gtk_widget_get_last_child (widget), TRUE);
            gtk_widget_set_valign (gtk_widget_get_first_child (widget), GTK_ALIGN_START);
            gtk_widget_set_margin_top (widget, 2);
            break;
          case TD_HANDOFF_BLOCK_TEXT:
          default:
            widget = preview_label (block->cells[0], NULL);
            break;
        }
      if (widget != NULL)
        gtk_box_append (self->preview_box, widget);
    }
}

static char *
team_name (TdHandoffWindow *self, int tier)
{
  const TdTier *found = tier > 0 ? td_policy_get_tier (policy (self), tier) : NULL;

  return found != NULL ? g_strdup (found->name) : g_strdup (_ ("All Tiers"));
}

static void
update_state (TdHandoffWindow *self)
{
  gboolean         draft = self->handoff == NULL;
  const char      *author = text_member (self->handoff, "author");
  const char      *handed_to = text_member (self->handoff, "handed_to");
  const char      *acknowledged_by = text_member (self->handoff, "acknowledged_by");
  gboolean         mine = author == NULL || g_strcmp0 (author, me (self)) == 0;
  g_autofree char *status = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->hand_over_button), draft);
  /* Offered to whoever takes over, never to the outgoing lead. */
  gtk_widget_set_visible (GTK_WIDGET (self->acknowledge_button),
                          !draft && acknowledged_by == NULL && !mine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handoff.hand-over",
                                 draft && td_session_may (self->session, "handoff.write", 0));
  /* The outgoing lead cannot take their own shift over; the server says
   * so too, and checks the rest (the person named, the tier). */
  gtk_widget_action_set_enabled (
      GTK_WIDGET (self), "handoff.acknowledge",
      !draft && acknowledged_by == NULL && !mine
          && (handed_to == NULL || g_strcmp0 (handed_to, me (self)) == 0));
  gtk_widget_set_sensitive (GTK_WIDGET (self->incoming_dropdown), draft);
  if (!draft)
    {
      /* The choice that was made, not a choice to make. */
      const char *shown
          = handed_to != NULL ? person_name (self, handed_to) : _ ("Anyone on the Team");

      gtk_string_list_splice (self->incoming_list, 0,
                              g_list_model_get_n_items (G_LIST_MODEL (self->incoming_list)),
                              (const char *const[]){ shown, NULL });
      g_ptr_array_set_size (self->incoming_people, 0);
      self->incoming_filled = FALSE;
    }
  else if (!self->incoming_filled)
    fill_incoming (self, selected_tier (self));
  gtk_text_view_set_editable (self->notes_view, draft);
  gtk_text_view_set_cursor_visible (self->notes_view, draft);

  if (draft)
    status = g_strdup (_ ("Draft from live data. Add your notes, choose who takes over, then "
                          "hand over."));
  else if (acknowledged_by != NULL)
    status = g_strdup_printf (_ ("Acknowledged by %s."), person_name (self, acknowledged_by));
  else if (int_member (self->handoff, "rev") == 0)
    status = g_strdup (_ ("Handed over; waiting to reach the server."));
  else if (mine)
    status = g_strdup_printf (_ ("Handed over to %s; waiting for them to acknowledge."),
                              handed_to != NULL ? person_name (self, handed_to)
                                                : _ ("the incoming lead"));
  else
    status = g_strdup_printf (_ ("%s handed this shift over. Read it, then acknowledge."),
                              person_name (self, author));
  gtk_label_set_text (self->status_label, status);
  adw_window_title_set_subtitle (self->window_title, draft                     ? _ ("Draft")
                                                     : acknowledged_by != NULL ? _ ("Acknowledged")
                                                                               : _ ("Handed Over"));
}

static void
rebuild (TdHandoffWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autofree char *team = NULL;
  TdHandoffHeader  header = { 0 };
  int              tier = selected_tier (self);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (cache (self) == NULL)
    return;

  load_rotas (self);
  g_clear_pointer (&self->report, json_object_unref);
  if (self->handoff != NULL)
    {
      /* Leaving a stored handoff for a new draft: its notes are not this one's. */
      g_clear_pointer (&self->handoff, json_object_unref);
      self->handoff = find_handoff (self, tier);
      if (self->handoff == NULL)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), "", -1);
    }
  else
    self->handoff = find_handoff (self, tier);

  if (self->handoff != NULL)
    {
      JsonNode *report = json_object_get_member (self->handoff, "report");

      self->report = report != NULL && JSON_NODE_HOLDS_OBJECT (report)
                         ? json_object_ref (json_node_get_object (report))
                         : json_object_new ();
      header.author = person_name (self, text_member (self->handoff, "author"));
      if (header.author == NULL)
        header.author = person_name (self, me (self));
      header.handed_to = person_name (self, text_member (self->handoff, "handed_to"));
      /* Not on the server yet: handed over when it was written here. */
      header.created_at = int_member (self->handoff, "created_at") != 0
                              ? int_member (self->handoff, "created_at")
                              : int_member (self->report, "generated_at");
      header.acknowledged_by = person_name (self, text_member (self->handoff, "acknowledged_by"));
      header.acknowledged_at = int_member (self->handoff, "acknowledged_at");
      header.notes = text_member (self->handoff, "notes");
      header.shift = text_member (self->handoff, "shift");
      header.period_start = int_member (self->handoff, "period_start");
      header.period_end = int_member (self->handoff, "period_end");
      tier = (int) int_member (self->handoff, "tier");
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
        gtk_text_buffer_set_text (buffer, header.notes != NULL ? header.notes : "", -1);
      }
    }
  else
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
      GtkTextIter    start;
      GtkTextIter    end;
      guint          incoming = gtk_drop_down_get_selected (self->incoming_dropdown);

      self->report = td_handoff_source_build (td_cache_get_path (cache (self)), policy (self),
                                              self->rotas, tier, server_now (self), &error);
      if (self->report == NULL)
        {
          toast (self, error->message);
          self->report = json_object_new ();
        }
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      header.notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      header.author = person_name (self, me (self));
      header.handed_to
          = incoming < self->incoming_people->len
                ? person_name (self, g_ptr_array_index (self->incoming_people, incoming))
                : NULL;
    }

  team = team_name (self, tier);
  header.team = team;
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  self->blocks = td_handoff_report_layout (policy (self), self->report, &header, zone);
  if (self->handoff == NULL)
    g_free ((char *) header.notes);
  show_blocks (self);
  update_state (self);
}

static gboolean
reload_timeout (gpointer data)
{
  TdHandoffWindow *self = data;

  self->reload_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_rebuild (TdHandoffWindow *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout, self);
}

static void
on_rows_changed (TdHandoffWindow *self, const char *entity, GStrv ids)
{
  static const char *const watched[]
      = { "shift_handoff",   "ticket",        "ticket_event", "person", "rotation",
          "rotation_member", "rota_override", "swap_request", NULL };

  if (entity != NULL && g_strv_contains (watched, entity))
    schedule_rebuild (self);
}

static void
on_team_changed (TdHandoffWindow *self)
{
  g_clear_pointer (&self->pinned, g_free);
  load_rotas (self);
  fill_incoming (self, selected_tier (self));
  rebuild (self);
}

/* Actions */

static char *
notes_text (TdHandoffWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter    start;
  GtkTextIter    end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
hand_over_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdHandoffWindow *self = TD_HANDOFF_WINDOW (widget);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *notes = notes_text (self);
  g_autofree char *uuid = NULL;
  guint            incoming = gtk_drop_down_get_selected (self->incoming_dropdown);
  const char      *handed_to = incoming < self->incoming_people->len
                                   ? g_ptr_array_index (self->incoming_people, incoming)
                                   : NULL;
  int              tier = selected_tier (self);

  if (self->handoff != NULL || self->report == NULL)
    return;
  if (tier == 0)
    {
      toast (self, _ ("Choose the team whose shift you hand over"));
      return;
    }
  /* The report as it is now, not as the preview was drawn a while ago. */
  rebuild (self);
  json_object_set_int_member (fields, "tier", tier);
  json_object_set_object_member (fields, "report", json_object_ref (self->report));
  if (my_shift (self) != NULL)
    json_object_set_string_member (fields, "shift", my_shift (self));
  if (previous_handoff_at (self, tier) != 0)
    json_object_set_int_member (fields, "period_start", previous_handoff_at (self, tier));
  json_object_set_int_member (fields, "period_end", int_member (self->report, "generated_at"));
  if (notes[0] != '\0')
    json_object_set_string_member (fields, "notes", notes);
  if (handed_to != NULL)
    json_object_set_string_member (fields, "handed_to", handed_to);

  uuid = td_cache_create (cache (self), "shift_handoff", fields, &error);
  if (uuid == NULL)
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "shift_handoff", uuid);
  g_free (self->pinned);
  self->pinned = g_strdup (uuid);
  toast (self, _ ("Handed over"));
  rebuild (self);
}

static void
acknowledge_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdHandoffWindow *self = TD_HANDOFF_WINDOW (widget);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  const char *uuid = text_member (self->handoff, "uuid");

  if (uuid == NULL)
    return;
  json_object_set_string_member (fields, "acknowledged_by", me (self));
  if (!td_cache_update (cache (self), "shift_handoff", uuid, fields, &error))
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "shift_handoff", uuid);
  g_free (self->pinned);
  self->pinned = g_strdup (uuid);
  toast (self, _ ("Acknowledged: the shift is yours"));
  rebuild (self);
}

typedef struct
{
  TdHandoffWindow *window;
  gboolean         pdf;
} Export;

static void
on_export_response (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  Export *export = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr (GError) error = NULL;
      gboolean ok = export->pdf ? td_handoff_window_write_pdf (export->window, file, &error)
                                : td_handoff_window_write_markdown (export->window, file, &error);

      if (ok)
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *text = g_strdup_printf (_ ("Saved %s"), name);
          toast (export->window, text);
        }
      else
        toast (export->window, error->message);
    }
  g_object_unref (export->window);
  g_free (export);
  g_object_unref (chooser);
}

static void export(TdHandoffWindow *self, gboolean pdf)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      pdf ? _ ("Export as PDF") : _ ("Export as Markdown"), GTK_WINDOW (self),
      GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  Export        *data = g_new0 (Export, 1);
  g_autoptr (GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d-%H%M");
  g_autofree char *name = g_strdup_printf ("shift-handoff-%s.%s", date, pdf ? "pdf" : "md");

  data->window = g_object_ref (self);
  data->pdf = pdf;
  gtk_file_filter_set_name (filter, pdf ? _ ("PDF documents") : _ ("Markdown files"));
  gtk_file_filter_add_mime_type (filter, pdf ? "application/pdf" : "text/markdown");
  gtk_file_filter_add_pattern (filter, pdf ? "*.pdf" : "*.md");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_pdf_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  export(TD_HANDOFF_WINDOW (widget), TRUE);
}

static void
export_markdown_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  export(TD_HANDOFF_WINDOW (widget), FALSE);
}

static void
print_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdHandoffWindow *self = TD_HANDOFF_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  if (self->blocks != NULL
      && !td_handoff_print_run (self->blocks, GTK_WINDOW (self), self->print_settings, &error))
    toast (self, error->message);
}

/* GObject */

static void
td_handoff_window_dispose (GObject *object)
{
  TdHandoffWindow *self = TD_HANDOFF_WINDOW (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->session != NULL && self->rows_changed_id != 0
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_clear_object (&self->session);
  g_clear_object (&self->print_settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_HANDOFF_WINDOW);

  G_OBJECT_CLASS (td_handoff_window_parent_class)->dispose (object);
}

static void
td_handoff_window_finalize (GObject *object)
{
  TdHandoffWindow *self = TD_HANDOFF_WINDOW (object);

  g_clear_object (&self->rotas);
  g_clear_pointer (&self->team_tiers, g_array_unref);
  g_clear_pointer (&self->incoming_people, g_ptr_array_unref);
  g_clear_pointer (&self->handoff, json_object_unref);
  g_clear_pointer (&self->report, json_object_unref);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->pinned, g_free);

  G_OBJECT_CLASS (td_handoff_window_parent_class)->finalize (object);
}

static void
td_handoff_window_class_init (TdHandoffWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_handoff_window_dispose;
  object_class->finalize = td_handoff_window_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/tierdesk/Tierdesk/ui/td-handoff-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, hand_over_button);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, acknowledge_button);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, team_list);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, incoming_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, incoming_list);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, notes_view);
  gtk_widget_class_bind_template_child (widget_class, TdHandoffWindow, preview_box);

  gtk_widget_class_install_action (widget_class, "handoff.hand-over", NULL, hand_over_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "handoff.hand-over", NULL);
  gtk_widget_class_install_action (widget_class, "handoff.acknowledge", NULL, acknowledge_action);
  gtk_widget_class_add_binding_action (
      widget_class, GDK_KEY_Return, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "handoff.acknowledge", NULL);
  gtk_widget_class_install_action (widget_class, "handoff.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "handoff.export-markdown", NULL,
                                   export_markdown_action);
  gtk_widget_class_install_action (widget_class, "handoff.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "handoff.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_handoff_window_init (TdHandoffWindow *self)
{
  self->team_tiers = g_array_new (FALSE, FALSE, sizeof (int));
  self->incoming_people = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  td_a11y_name_internal_buttons (GTK_WIDGET (self));
}

/* Public API */

TdHandoffWindow *
td_handoff_window_new (GtkWindow *parent, TdSession *session)
{
  TdHandoffWindow *self;
  const TdRole    *role;
  GPtrArray       *tiers;
  int              all = 0;
  guint            mine = 0;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  self = g_object_new (TD_TYPE_HANDOFF_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->rotas = td_rota_store_new (td_session_get_policy (session));

  /* The teams, the account's own chosen first. */
  role = td_policy_get_role (td_session_get_policy (session), td_session_get_role (session));
  gtk_string_list_append (self->team_list, _ ("All Tiers"));
  g_array_append_val (self->team_tiers, all);
  tiers = td_policy_get_tiers (td_session_get_policy (session));
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      gtk_string_list_append (self->team_list, tier->name);
      g_array_append_val (self->team_tiers, tier->level);
      if (role != NULL && (tier->level == role->manages_tier || tier->level == role->tier)
          && mine == 0)
        mine = self->team_tiers->len - 1;
    }
  gtk_drop_down_set_selected (self->team_dropdown, mine);
  g_signal_connect_swapped (self->team_dropdown, "notify::selected", G_CALLBACK (on_team_changed),
                            self);
  g_signal_connect_swapped (self->incoming_dropdown, "notify::selected",
                            G_CALLBACK (schedule_rebuild), self);

  if (td_session_get_engine (session) != NULL)
    self->rows_changed_id
        = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                   G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  load_rotas (self);
  fill_incoming (self, selected_tier (self));
  rebuild (self);
  return self;
}

GPtrArray *
td_handoff_window_get_blocks (TdHandoffWindow *self)
{
  g_return_val_if_fail (TD_IS_HANDOFF_WINDOW (self), NULL);

  return self->blocks;
}

const char *
td_handoff_window_get_handoff (TdHandoffWindow *self)
{
  g_return_val_if_fail (TD_IS_HANDOFF_WINDOW (self), NULL);

  return text_member (self->handoff, "uuid");
}

gboolean
td_handoff_window_write_pdf (TdHandoffWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (TD_IS_HANDOFF_WINDOW (self), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _ ("A PDF can only be saved to a local file"));
      return FALSE;
    }
  return td_handoff_print_write_pdf (self->blocks, path, error);
}

void
td_handoff_window_set_print_settings (TdHandoffWindow *self, GtkPrintSettings *settings)
{
  g_return_if_fail (TD_IS_HANDOFF_WINDOW (self));
  g_return_if_fail (settings == NULL || GTK_IS_PRINT_SETTINGS (settings));

  g_set_object (&self->print_settings, settings);
}

gboolean
td_handoff_window_write_markdown (TdHandoffWindow *self, GFile *file, GError **error)
{
  g_autofree char *markdown = NULL;

  g_return_val_if_fail (TD_IS_HANDOFF_WINDOW (self), FALSE);

  markdown = td_handoff_report_to_markdown (self->blocks);
  return g_file_replace_contents (file, markdown, strlen (markdown), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}
