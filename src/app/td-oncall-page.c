/* td-oncall-page.c — the On-call page: who is on call, the rota grid, overrides, swaps
 *
 * Planning is kept as a draft until Publish: assignments and overrides are
 * edits of rows (rotation_member, rota_override) that the page lays over the
 * cache's rows in its TdRotaStore, so the grid, the cards and the linter see
 * the rota as it will be. The draft is saved beside the cache after every
 * edit, so a crash or a restart loses nothing. Publish shows the linter's
 * findings for the coming year, then writes each edit through TdCache and
 * tells the sync engine, so it works offline like any other edit.
 *
 * Swap offers and their answers are a person's own business, not planning:
 * they go to the cache at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "td-oncall-page.h"
#include "td-rota-lint.h"
#include "td-save-text.h"
#include "td-time.h"
#include "td-training-cache.h"

#define WEEKS_SHOWN  16
#define LINT_HORIZON (52 * 7 * 24 * 3600)
#define FEED_PAST    (30 * 24 * 3600)
#define FEED_AHEAD   (366 * 24 * 3600)

struct _TdOncallPage
{
  GtkWidget parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkRevealer     *draft_revealer;
  GtkLabel        *draft_label;
  GtkDropDown     *team_dropdown;
  GtkStringList   *team_list;
  GtkButton       *swap_button;
  GtkButton       *export_button;
  GtkStack        *stack;
  AdwStatusPage   *empty_page;
  GtkFlowBox      *now_box;
  GtkWidget       *swaps_box;
  GtkListBox      *swaps_list;
  GtkBox          *grids_box;

  TdSession   *session;
  gulong       rows_changed_id;
  TdRotaStore *store;
  /* Draft edits, in the order made (Draft). */
  GPtrArray *drafts;
  /* Team drop-down position → tier (0: every team). */
  GArray *team_tiers;
  gint64  now;
  /* The earliest handoff on the cards: the page redraws once it passes. */
  gint64 next_change;
  guint  reload_id;
  /* A cell's picker is open: a pull waits for it to close, since redrawing
   * the grid would take the picker away under the pointer. */
  gboolean picker_open;
  gboolean reload_pending;
};

G_DEFINE_FINAL_TYPE (TdOncallPage, td_oncall_page, GTK_TYPE_WIDGET)

typedef struct
{
  char       *entity;
  char       *uuid;
  gboolean    create;
  JsonObject *fields;
} Draft;

/* What a cell of the grid stands for. */
typedef struct
{
  char  *rotation;
  char  *slot;
  gint64 index;
  char  *person;
} Cell;

static void reload (TdOncallPage *self);

/* Helpers */

static void
draft_free (gpointer data)
{
  Draft *draft = data;

  g_free (draft->entity);
  g_free (draft->uuid);
  g_clear_pointer (&draft->fields, json_object_unref);
  g_free (draft);
}

static void
cell_free (gpointer data)
{
  Cell *cell = data;

  g_free (cell->rotation);
  g_free (cell->slot);
  g_free (cell->person);
  g_free (cell);
}

static TdCache *
cache (TdOncallPage *self)
{
  return self->session != NULL ? td_session_get_cache (self->session) : NULL;
}

static gint64
server_now (TdOncallPage *self)
{
  TdSyncEngine *engine = self->session != NULL ? td_session_get_engine (self->session) : NULL;

  return td_time_now () + (engine != NULL ? td_sync_engine_get_clock_offset (engine) : 0);
}

static void
toast (TdOncallPage *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static const char *
person_name (TdOncallPage *self, const char *uuid)
{
  JsonObject *row = td_rota_store_get_row (self->store, "person", uuid);

  if (uuid == NULL)
    return _ ("Nobody");
  if (row != NULL && json_object_get_string_member_with_default (row, "name", NULL) != NULL)
    return json_object_get_string_member (row, "name");
  return uuid;
}

/* "Mon 1 Dec 09:00" in the rotation's zone: a manager reads local times. */
static char *
format_local (TdRotation *rotation, gint64 instant, const char *format)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (td_rotation_get_time_zone (rotation));
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = NULL;

  if (zone == NULL || utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_timezone (utc, zone);
  return g_date_time_format (local, format);
}

/* The draft file lives beside the cache, one per server and user. */
static char *
draft_path (TdOncallPage *self)
{
  return cache (self) != NULL
             ? g_strconcat (td_cache_get_path (cache (self)), ".rota-draft.json", NULL)
             : NULL;
}

static void
save_drafts (TdOncallPage *self)
{
  g_autofree char *path = draft_path (self);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  if (self->drafts->len == 0)
    {
      g_unlink (path);
      return;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->drafts->len; i++)
    {
      Draft *draft = g_ptr_array_index (self->drafts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, draft->entity);
      json_builder_set_member_name (builder, "uuid");
      json_builder_add_string_value (builder, draft->uuid);
      json_builder_set_member_name (builder, "create");
      json_builder_add_boolean_value (builder, draft->create);
      json_builder_set_member_name (builder, "fields");
      {
        JsonNode *fields = json_node_new (JSON_NODE_OBJECT);
        json_node_set_object (fields, draft->fields);
        json_builder_add_value (builder, fields);
      }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  if (!g_file_set_contents (path, text, -1, &error))
    g_warning ("could not save the rota draft to %s: %s", path, error->message);
}

static void
load_drafts (TdOncallPage *self)
{
  g_autofree char *path = draft_path (self);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *array;

  g_ptr_array_set_size (self->drafts, 0);
  if (path == NULL || !json_parser_load_from_file (parser, path, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return;
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      Draft      *draft;

      if (object == NULL || !json_object_has_member (object, "fields"))
        continue;
      draft = g_new0 (Draft, 1);
      draft->entity = g_strdup (json_object_get_string_member (object, "entity"));
      draft->uuid = g_strdup (json_object_get_string_member (object, "uuid"));
      draft->create = json_object_get_boolean_member (object, "create");
      draft->fields = json_object_ref (json_object_get_object_member (object, "fields"));
      g_ptr_array_add (self->drafts, draft);
    }
}

/* Adds an edit to the draft, folded into an earlier edit of the same row. */
static void
add_draft (TdOncallPage *self,
           const char   *entity,
           const char   *uuid,
           gboolean      create,
           JsonObject   *fields)
{
  Draft         *draft = NULL;
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  for (guint i = 0; i < self->drafts->len && draft == NULL; i++)
    {
      Draft *candidate = g_ptr_array_index (self->drafts, i);

      if (g_str_equal (candidate->entity, entity) && g_str_equal (candidate->uuid, uuid))
        draft = candidate;
    }
  if (draft == NULL)
    {
      draft = g_new0 (Draft, 1);
      draft->entity = g_strdup (entity);
      draft->uuid = g_strdup (uuid);
      draft->create = create;
      draft->fields = json_object_new ();
      g_ptr_array_add (self->drafts, draft);
    }
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (draft->fields, name, json_node_copy (value));
  save_drafts (self);
  reload (self);
}

/* The rows as the draft will leave them, laid over the cache's. */
static void
overlay_drafts (TdOncallPage *self)
{
  for (guint i = 0; i < self->drafts->len; i++)
    {
      Draft      *draft = g_ptr_array_index (self->drafts, i);
      JsonObject *existing = td_rota_store_get_row (self->store, draft->entity, draft->uuid);
      g_autoptr (JsonObject) row = json_object_new ();
      JsonObjectIter iter;
      const char    *name;
      JsonNode      *value;

      if (existing != NULL)
        {
          json_object_iter_init (&iter, existing);
          while (json_object_iter_next (&iter, &name, &value))
            json_object_set_member (row, name, json_node_copy (value));
        }
      json_object_iter_init (&iter, draft->fields);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (row, name, json_node_copy (value));
      json_object_set_string_member (row, "uuid", draft->uuid);
      /* rev 0: not yet seen by the server, so it wins in TdRotaStore. */
      json_object_set_int_member (row, "rev", 0);
      td_rota_store_add_row (self->store, draft->entity, row);
    }
}

static gboolean
rotation_shown (TdOncallPage *self, TdRotation *rotation)
{
  guint position = gtk_drop_down_get_selected (self->team_dropdown);
  int tier = position < self->team_tiers->len ? g_array_index (self->team_tiers, int, position) : 0;

  return tier == 0 || td_rotation_get_tier (rotation) == tier;
}

/* Cards */

static GtkWidget *
label_new (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
now_card (TdOncallPage *self, TdRotation *rotation, TdRotaShift *shift)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-symbolic");
  g_autofree char *slot = td_rotation_describe_slot (rotation, shift->slot);
  g_autofree char *until = NULL;
  g_autofree char *until_text = NULL;
  g_autofree char *name = g_strdup_printf ("now-%s-%s", td_rotation_get_id (rotation), shift->slot);
  g_autofree char *tooltip = g_strdup_printf (_ ("Export the %s Calendar…"), slot);
  g_autoptr (GPtrArray) after = NULL;
  const char *next = NULL;

  gtk_widget_set_name (card, name);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "oncall-card");
  gtk_box_append (GTK_BOX (header), label_new (slot, "heading"));
  gtk_widget_set_hexpand (gtk_widget_get_first_child (header), TRUE);
  gtk_widget_add_css_class (export, "flat");
  gtk_widget_set_valign (export, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (export, tooltip);
  /* GTK 4.8 does not name a widget from its tooltip (see td-a11y.c). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (export), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (export), "(ss)", td_rotation_get_id (rotation),
                                    shift->slot);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "oncall.export-slot");
  gtk_box_append (GTK_BOX (header), export);
  gtk_box_append (GTK_BOX (card), header);

  gtk_box_append (GTK_BOX (card), label_new (person_name (self, shift->person), "title-3"));
  if (shift->person == NULL)
    gtk_widget_add_css_class (gtk_widget_get_last_child (card), "error");
  if (shift->interval.end > 0)
    {
      until = format_local (rotation, shift->interval.end, "%a %-d %b %H:%M");
      until_text = g_strdup_printf (_ ("Until %s"), until);
      gtk_box_append (GTK_BOX (card), label_new (until_text, "dim-label"));
    }
  if (shift->override_id != NULL)
    {
      g_autofree char *covering
          = g_strdup_printf (_ ("Covering for %s"), person_name (self, shift->scheduled_person));
      gtk_box_append (GTK_BOX (card), label_new (covering, "accent"));
    }

  after = td_rotation_resolve (rotation, shift->slot, shift->interval.end, shift->interval.end + 1);
  for (guint i = 0; i < after->len && next == NULL; i++)
    {
      TdRotaShift *candidate = g_ptr_array_index (after, i);
      if (candidate->interval.start >= shift->interval.end)
        next = person_name (self, candidate->person);
    }
  if (next != NULL)
    {
      g_autofree char *next_text = g_strdup_printf (_ ("Next: %s"), next);
      gtk_box_append (GTK_BOX (card), label_new (next_text, "dim-label"));
    }
  if (shift->interval.end > self->now
      && (self->next_change == 0 || shift->interval.end < self->next_change))
    self->next_change = shift->interval.end;
  return card;
}

/* Swaps */

static GtkWidget *
decide_button (const char *label, const char *uuid, const char *status, gboolean suggested)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", uuid, status);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "oncall.decide-swap");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static guint
fill_swaps (TdOncallPage *self, GPtrArray *rotations)
{
  const char *me = self->session != NULL ? td_session_get_person (self->session) : NULL;
  GtkWidget  *child;
  guint       n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->swaps_list))) != NULL)
    gtk_list_box_remove (self->swaps_list, child);

  for (guint i = 0; i < rotations->len; i++)
    {
      TdRotation *rotation = g_ptr_array_index (rotations, i);
      GPtrArray  *swaps = td_rotation_get_swaps (rotation);

      if (!rotation_shown (self, rotation))
        continue;
      for (guint j = 0; j < swaps->len; j++)
        {
          const TdRotaSwap *swap = g_ptr_array_index (swaps, j);
          GtkWidget        *row;
          g_autofree char  *slot = NULL;
          g_autofree char  *from = NULL;
          g_autofree char  *to = NULL;
          g_autofree char  *title = NULL;
          g_autofree char  *subtitle = NULL;

          if (td_rota_swap_get_status_at (swap, self->now) != TD_ROTA_SWAP_PENDING)
            continue;
          slot = td_rotation_describe_slot (rotation, swap->slot);
          from = format_local (rotation, swap->give.start, "%a %-d %b %H:%M");
          to = format_local (rotation, swap->give.end, "%a %-d %b %H:%M");
          title = g_strdup_printf (_ ("%s offers %s to %s"), person_name (self, swap->requester),
                                   slot, person_name (self, swap->counterpart));
          subtitle = swap->note != NULL && swap->note[0] != '\0'
                         ? g_strdup_printf (_ ("%s – %s · “%s”"), from, to, swap->note)
                         : g_strdup_printf (_ ("%s – %s"), from, to);
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          if (me != NULL && g_strcmp0 (me, swap->counterpart) == 0)
            {
              adw_action_row_add_suffix (
                  ADW_ACTION_ROW (row), decide_button (_ ("Decline"), swap->id, "declined", FALSE));
              adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                         decide_button (_ ("Accept"), swap->id, "accepted", TRUE));
            }
          else if (me != NULL && g_strcmp0 (me, swap->requester) == 0)
            adw_action_row_add_suffix (
                ADW_ACTION_ROW (row), decide_button (_ ("Withdraw"), swap->id, "cancelled", FALSE));
          else
            {
              g_autofree char *waiting
                  = g_strdup_printf (_ ("Waiting for %s"), person_name (self, swap->counterpart));
              GtkWidget *label = gtk_label_new (waiting);

              gtk_widget_add_css_class (label, "dim-label");
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
            }
          gtk_list_box_append (self->swaps_list, row);
          n++;
        }
    }
  return n;
}

/* The grid */

static void assign (TdOncallPage *self, const Cell *cell, const char *person, gboolean this_week);

static gboolean
filter_people (GtkListBoxRow *row, gpointer user_data)
{
  GtkEditable     *entry = user_data;
  const char      *text = gtk_editable_get_text (entry);
  const char      *name = g_object_get_data (G_OBJECT (row), "name");
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (text == NULL || text[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  haystack = g_utf8_casefold (name != NULL ? name : "", -1);
  return strstr (haystack, needle) != NULL;
}

static void
on_search_changed (GtkSearchEntry *entry, GtkListBox *list)
{
  /* The entry's delayed "search-changed" may come after an assignment
   * rebuilt the grid and took the list with it. */
  if (gtk_widget_get_root (GTK_WIDGET (list)) != NULL)
    gtk_list_box_invalidate_filter (list);
}

/* The grid is rebuilt by an assignment, taking the cell's button and its
 * popover with it: so the assignment waits until the signal that asked for
 * it has returned. */
typedef struct
{
  TdOncallPage *page;
  Cell         *cell;
  char         *person;
  gboolean      this_week;
} Assignment;

static gboolean
assign_idle (gpointer data)
{
  Assignment *assignment = data;

  assign (assignment->page, assignment->cell, assignment->person, assignment->this_week);
  g_object_unref (assignment->page);
  cell_free (assignment->cell);
  g_free (assignment->person);
  g_free (assignment);
  return G_SOURCE_REMOVE;
}

static void
assign_later (TdOncallPage *self, const Cell *cell, const char *person, gboolean this_week)
{
  Assignment *assignment = g_new0 (Assignment, 1);

  assignment->page = g_object_ref (self);
  assignment->cell = g_new0 (Cell, 1);
  assignment->cell->rotation = g_strdup (cell->rotation);
  assignment->cell->slot = g_strdup (cell->slot);
  assignment->cell->index = cell->index;
  assignment->cell->person = g_strdup (cell->person);
  assignment->person = g_strdup (person);
  assignment->this_week = this_week;
  /* After the picker's own idle unparenting (on_popover_closed): the
   * assignment redraws the grid, and a cell must not be finalized with the
   * picker still parented to it (GtkButton does not know of it). */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE + 10, assign_idle, assignment, NULL);
}

static gboolean
unparent_idle (gpointer data)
{
  GtkWidget *popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
  return G_SOURCE_REMOVE;
}

static gboolean reload_idle (gpointer data);

static void
on_popover_closed (GtkPopover *popover, TdOncallPage *self)
{
  g_idle_add (unparent_idle, g_object_ref (popover));
  self->picker_open = FALSE;
  if (self->reload_pending && self->reload_id == 0)
    self->reload_id = g_timeout_add (100, reload_idle, self);
  self->reload_pending = FALSE;
}

static void
on_person_activated (GtkListBox *list, GtkListBoxRow *row, TdOncallPage *self)
{
  GtkWidget      *popover = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER);
  GtkWidget      *cell_button = gtk_widget_get_parent (popover);
  Cell           *cell = g_object_get_data (G_OBJECT (cell_button), "cell");
  GtkCheckButton *week_only = g_object_get_data (G_OBJECT (popover), "week-only");

  assign_later (self, cell, g_object_get_data (G_OBJECT (row), "person"),
                gtk_check_button_get_active (week_only));
  gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
on_export_person_clicked (GtkButton *button, TdOncallPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  Cell      *cell = g_object_get_data (G_OBJECT (gtk_widget_get_parent (popover)), "cell");

  gtk_popover_popdown (GTK_POPOVER (popover));
  if (cell->person != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "oncall.export-person", "s", cell->person);
}

/* The picker: people of the rotation's tier, searchable. Built when the
 * cell is clicked, so the grid itself stays light. */
static void
on_cell_clicked (GtkButton *button, TdOncallPage *self)
{
  Cell            *cell = g_object_get_data (G_OBJECT (button), "cell");
  TdRotation      *rotation = td_rota_store_get_rotation (self->store, cell->rotation);
  GtkWidget       *popover = gtk_popover_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget       *entry = gtk_search_entry_new ();
  GtkWidget       *scroller = gtk_scrolled_window_new ();
  GtkWidget       *list = gtk_list_box_new ();
  GtkWidget       *week_only = NULL;
  g_autofree char *slot = NULL;
  g_autofree char *week_text = NULL;
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (TdTrainingTracker) training = NULL;
  guint cycle;

  if (rotation == NULL)
    return;
  training = td_training_cache_load (
      cache (self), self->session != NULL ? td_session_get_policy (self->session) : NULL);
  slot = td_rotation_describe_slot (rotation, cell->slot);
  cycle = td_rotation_get_cycle_length (rotation);
  people = td_rota_store_list_people (self->store, td_rotation_get_tier (rotation));

  gtk_box_append (GTK_BOX (box), label_new (slot, "heading"));
  g_object_set (entry, "placeholder-text", _ ("Search people"), NULL);
  gtk_widget_set_name (entry, "person-search");
  gtk_box_append (GTK_BOX (box), entry);
  for (guint i = 0; i < people->len; i++)
    {
      JsonObject *person = g_ptr_array_index (people, i);
      const char *name = json_object_get_string_member_with_default (person, "name", "");
      GtkWidget  *row = gtk_list_box_row_new ();

      g_autofree char *topic = NULL;

      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label_new (name, NULL));
      /* The editor warns before the linter does: this person would be on
       * call with the tier's mandatory training overdue. */
      if (td_training_tracker_rota_check (json_object_get_string_member (person, "uuid"),
                                          cell->slot, td_rotation_get_tier (rotation),
                                          td_rotation_get_shift_start (rotation, cell->index),
                                          &topic, training))
        {
          g_autofree char *warning = g_strdup_printf (_ ("Training overdue: %s"), topic);
          GtkWidget       *lines = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
          GtkWidget       *line = label_new (warning, "caption");

          gtk_widget_add_css_class (line, "warning");
          gtk_box_append (GTK_BOX (lines), label_new (name, NULL));
          gtk_box_append (GTK_BOX (lines), line);
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), lines);
        }
      gtk_widget_set_margin_top (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)), 6);
      gtk_widget_set_margin_bottom (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)), 6);
      gtk_widget_set_margin_start (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)), 6);
      g_object_set_data_full (G_OBJECT (row), "person",
                              g_strdup (json_object_get_string_member (person, "uuid")), g_free);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (people->len == 0)
    gtk_list_box_set_placeholder (
        GTK_LIST_BOX (list),
        label_new (_ ("Nobody of this tier is in the directory."), "dim-label"));
  gtk_list_box_set_filter_func (GTK_LIST_BOX (list), filter_people, entry, NULL);
  g_signal_connect_object (entry, "search-changed", G_CALLBACK (on_search_changed), list, 0);
  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_person_activated), self, 0);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 280);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_size_request (scroller, 260, -1);
  gtk_box_append (GTK_BOX (box), scroller);

  /* A member holds the slot in every cycle; "this week only" is an
   * override of one shift. */
  week_text = g_strdup_printf (_ ("Only this week (otherwise week %u of every %u-week cycle)"),
                               (guint) (cell->index % cycle) + 1, cycle);
  week_only = gtk_check_button_new_with_label (week_text);
  gtk_widget_set_name (week_only, "week-only");
  gtk_label_set_wrap (GTK_LABEL (gtk_widget_get_last_child (week_only)), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (gtk_widget_get_last_child (week_only)), 30);
  gtk_box_append (GTK_BOX (box), week_only);
  g_object_set_data (G_OBJECT (popover), "week-only", week_only);

  if (cell->person != NULL)
    {
      g_autofree char *export_label
          = g_strdup_printf (_ ("Export %s’s Calendar…"), person_name (self, cell->person));
      GtkWidget *export = gtk_button_new_with_label (export_label);

      gtk_widget_add_css_class (export, "flat");
      g_signal_connect_object (export, "clicked", G_CALLBACK (on_export_person_clicked), self, 0);
      gtk_box_append (GTK_BOX (box), export);
    }

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (button));
  g_signal_connect_object (popover, "closed", G_CALLBACK (on_popover_closed), self, 0);
  self->picker_open = TRUE;
  gtk_popover_popup (GTK_POPOVER (popover));
  gtk_widget_grab_focus (entry);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source, double x, double y, gpointer user_data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  Cell      *cell = g_object_get_data (G_OBJECT (button), "cell");

  if (cell->person == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, cell->person);
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, TdOncallPage *self)
{
  GtkWidget  *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  Cell       *cell = g_object_get_data (G_OBJECT (button), "cell");
  const char *person = g_value_get_string (value);

  if (person == NULL || !g_uuid_string_is_valid (person) || g_strcmp0 (person, cell->person) == 0)
    return FALSE;
  assign_later (self, cell, person, FALSE);
  return TRUE;
}

/* Capped and ellipsized, so every slot column of a grid gets the same
 * width; the tooltip has the whole text. */
static GtkWidget *
cell_label_new (const char *text, const char *css_class)
{
  GtkWidget *label = label_new (text, css_class);

  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
  return label;
}

static GtkWidget *
grid_cell (TdOncallPage *self, TdRotation *rotation, const char *slot, gint64 index, int row)
{
  TdInstant start = td_rotation_get_shift_start (rotation, index);
  TdInstant end = td_rotation_get_shift_start (rotation, index + 1);
  g_autoptr (GPtrArray) stretches = td_rotation_resolve (rotation, slot, start, end);
  GtkWidget       *button = gtk_button_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkDragSource   *source = gtk_drag_source_new ();
  GtkDropTarget   *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  g_autofree char *name
      = g_strdup_printf ("cell-%s-%s-%d", td_rotation_get_id (rotation), slot, row);
  Cell       *cell = g_new0 (Cell, 1);
  const char *scheduled = NULL;
  g_autoptr (GString) tooltip = g_string_new (NULL);

  for (guint i = 0; i < stretches->len; i++)
    {
      TdRotaShift *stretch = g_ptr_array_index (stretches, i);

      if (stretch->index != index)
        continue;
      scheduled = stretch->scheduled_person;
      if (stretch->override_id != NULL)
        {
          g_autofree char *from = format_local (rotation, stretch->interval.start, "%a %H:%M");
          g_autofree char *to = format_local (rotation, stretch->interval.end, "%a %H:%M");
          g_autofree char *text = g_strdup_printf (
              _ ("%s %s–%s"),
              stretch->person != NULL ? person_name (self, stretch->person) : _ ("Nobody"), from,
              to);
          GtkWidget *label = cell_label_new (text, "caption");

          gtk_widget_add_css_class (label, stretch->person != NULL ? "accent" : "error");
          gtk_box_append (GTK_BOX (box), label);
          g_string_append_printf (tooltip, "%s%s", tooltip->len > 0 ? "\n" : "", text);
          gtk_widget_add_css_class (button, "override");
        }
    }
  gtk_box_prepend (GTK_BOX (box), cell_label_new (person_name (self, scheduled), NULL));
  if (scheduled == NULL)
    gtk_widget_add_css_class (gtk_widget_get_first_child (box), "error");

  cell->rotation = g_strdup (td_rotation_get_id (rotation));
  cell->slot = g_strdup (slot);
  cell->index = index;
  cell->person = g_strdup (scheduled);
  g_object_set_data_full (G_OBJECT (button), "cell", cell, cell_free);
  gtk_widget_set_name (button, name);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "oncall-cell");
  gtk_widget_set_hexpand (button, TRUE);
  if (tooltip->len > 0)
    g_string_prepend (tooltip, _ ("Overrides:\n"));
  g_string_prepend (tooltip, tooltip->len > 0 ? "\n" : "");
  g_string_prepend (tooltip, person_name (self, scheduled));
  gtk_widget_set_tooltip_text (button, tooltip->str);
  /* What a screen reader says for the cell: the slot, the week, who. */
  {
    g_autofree char *slot_name = td_rotation_describe_slot (rotation, slot);
    g_autofree char *week = format_local (rotation, start, "%a %d %b");
    g_autofree char *label
        = g_strdup_printf (_ ("%s, week of %s: %s"), slot_name, week, tooltip->str);

    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  }
  gtk_widget_set_size_request (button, 150, -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_cell_clicked), self, 0);

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), NULL);
  gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (source));
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (target));
  return button;
}

static const char *
weekday_name (GDateWeekday weekday)
{
  switch (weekday)
    {
      case G_DATE_MONDAY:
        return _ ("Mondays");
      case G_DATE_TUESDAY:
        return _ ("Tuesdays");
      case G_DATE_WEDNESDAY:
        return _ ("Wednesdays");
      case G_DATE_THURSDAY:
        return _ ("Thursdays");
      case G_DATE_FRIDAY:
        return _ ("Fridays");
      case G_DATE_SATURDAY:
        return _ ("Saturdays");
      case G_DATE_SUNDAY:
        return _ ("Sundays");
      case G_DATE_BAD_WEEKDAY:
      default:
        return "";
    }
}

static GtkWidget *
rota_grid (TdOncallPage *self, TdRotation *rotation)
{
  GtkWidget       *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget       *grid = gtk_grid_new ();
  GPtrArray       *positions = td_rotation_get_positions (rotation);
  gint64           first = 0;
  TdInterval       bounds;
  GDate            date;
  int              minute = td_rotation_get_handoff_minute (rotation);
  g_autofree char *subtitle = NULL;
  guint            days = td_rotation_get_shift_days (rotation);

  td_rotation_get_first_date (rotation, &date);
  if (days == 7)
    subtitle = g_strdup_printf (_ ("Hands off %s at %02d:%02d (%s) · %u-week cycle"),
                                weekday_name (g_date_get_weekday (&date)), minute / 60, minute % 60,
                                td_rotation_get_time_zone (rotation),
                                td_rotation_get_cycle_length (rotation));
  else
    subtitle = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u-day shifts, handing off at %02d:%02d (%s)",
                     "%u-day shifts, handing off at %02d:%02d (%s)", days),
        days, minute / 60, minute % 60, td_rotation_get_time_zone (rotation));
  gtk_box_append (GTK_BOX (section), label_new (td_rotation_get_name (rotation), "title-4"));
  gtk_box_append (GTK_BOX (section), label_new (subtitle, "dim-label"));

  if (!td_rotation_find_shift (rotation, self->now, &first, &bounds))
    first = 0;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), FALSE);
  gtk_widget_set_margin_top (grid, 6);
  gtk_grid_attach (GTK_GRID (grid),
                   label_new (days == 7 ? _ ("Week of") : _ ("Shift from"), "heading"), 0, 0, 1, 1);
  for (guint j = 0; j < positions->len; j++)
    {
      const TdRotaPosition *position = g_ptr_array_index (positions, j);
      GtkWidget            *label = label_new (position->name, "heading");

      /* Wrapped, not wide: the column widths come from the cells. */
      gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
      gtk_widget_set_size_request (label, 150, -1);
      gtk_grid_attach (GTK_GRID (grid), label, (int) j + 1, 0, 1, 1);
    }
  for (int row = 0; row < WEEKS_SHOWN; row++)
    {
      gint64           index = first + row;
      g_autofree char *when
          = format_local (rotation, td_rotation_get_shift_start (rotation, index), "%a %-d %b %Y");
      GtkWidget *label = label_new (when, row == 0 ? "heading" : NULL);

      gtk_widget_set_size_request (label, 120, -1);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_grid_attach (GTK_GRID (grid), label, 0, row + 1, 1, 1);
      for (guint j = 0; j < positions->len; j++)
        {
          const TdRotaPosition *position = g_ptr_array_index (positions, j);

          gtk_grid_attach (GTK_GRID (grid), grid_cell (self, rotation, position->id, index, row),
                           (int) j + 1, row + 1, 1, 1);
        }
    }
  gtk_box_append (GTK_BOX (section), grid);
  return section;
}

/* Loading */

static void
update_teams (TdOncallPage *self, GPtrArray *rotations)
{
  g_autoptr (GArray) tiers = g_array_new (FALSE, FALSE, sizeof (int));
  int   all = 0;
  guint selected = gtk_drop_down_get_selected (self->team_dropdown);
  int   selected_tier
      = selected < self->team_tiers->len ? g_array_index (self->team_tiers, int, selected) : 0;
  gboolean same;

  g_array_append_val (tiers, all);
  for (guint i = 0; i < rotations->len; i++)
    {
      int      tier = td_rotation_get_tier (g_ptr_array_index (rotations, i));
      gboolean seen = FALSE;

      for (guint j = 0; j < tiers->len; j++)
        seen |= g_array_index (tiers, int, j) == tier;
      if (!seen)
        g_array_append_val (tiers, tier);
    }
  same = tiers->len == self->team_tiers->len
         && memcmp (tiers->data, self->team_tiers->data, tiers->len * sizeof (int)) == 0;
  if (same)
    return;

  g_array_set_size (self->team_tiers, 0);
  g_array_append_vals (self->team_tiers, tiers->data, tiers->len);
  {
    g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
    g_auto (GStrv) names = NULL;

    for (guint i = 0; i < tiers->len; i++)
      {
        int              tier = g_array_index (tiers, int, i);
        g_autofree char *name
            = tier == 0 ? g_strdup (_ ("All Teams")) : g_strdup_printf (_ ("Tier %d"), tier);
        g_strv_builder_add (builder, name);
      }
    names = g_strv_builder_end (builder);
    gtk_string_list_splice (self->team_list, 0,
                            g_list_model_get_n_items (G_LIST_MODEL (self->team_list)),
                            (const char *const *) names);
  }
  for (guint i = 0; i < tiers->len; i++)
    if (g_array_index (tiers, int, i) == selected_tier)
      gtk_drop_down_set_selected (self->team_dropdown, i);
}

static gboolean
has_upcoming_shift (TdOncallPage *self, GPtrArray *rotations, const char *me)
{
  for (guint i = 0; me != NULL && i < rotations->len; i++)
    {
      g_autoptr (GPtrArray) mine = td_rotation_resolve_for_person (
          g_ptr_array_index (rotations, i), me, self->now, self->now + LINT_HORIZON / 4);
      for (guint j = 0; j < mine->len; j++)
        if (((TdRotaShift *) g_ptr_array_index (mine, j))->interval.start > self->now)
          return TRUE;
    }
  return FALSE;
}

static void
rebuild (TdOncallPage *self)
{
  GPtrArray       *rotations = td_rota_store_get_rotations (self->store);
  const char      *me = self->session != NULL ? td_session_get_person (self->session) : NULL;
  GtkWidget       *child;
  g_autofree char *draft_text = NULL;
  guint            shown = 0;

  update_teams (self, rotations);
  self->next_change = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->now_box))) != NULL)
    gtk_flow_box_remove (self->now_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grids_box))) != NULL)
    gtk_box_remove (self->grids_box, child);

  for (guint i = 0; i < rotations->len; i++)
    {
      TdRotation *rotation = g_ptr_array_index (rotations, i);
      g_autoptr (GPtrArray) now = NULL;

      if (!rotation_shown (self, rotation))
        continue;
      shown++;
      now = td_rotation_on_call_at (rotation, self->now);
      for (guint j = 0; j < now->len; j++)
        gtk_flow_box_append (self->now_box, now_card (self, rotation, g_ptr_array_index (now, j)));
      gtk_box_append (self->grids_box, rota_grid (self, rotation));
    }
  gtk_widget_set_visible (self->swaps_box, fill_swaps (self, rotations) > 0);

  if (self->session == NULL)
    {
      adw_status_page_set_title (self->empty_page, _ ("Not Signed In"));
      adw_status_page_set_description (self->empty_page,
                                       _ ("Sign in on the Queue page to see and plan the rotas."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _ ("No On-call Rotas"));
      adw_status_page_set_description (
          self->empty_page,
          _ ("A rota appears here once someone who plans rotas creates one from the policy’s "
             "on-call templates."));
    }
  gtk_stack_set_visible_child_name (self->stack, shown > 0 ? "rota" : "empty");
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->swap_button)),
                          self->session != NULL && rotations->len > 0);

  gtk_revealer_set_reveal_child (self->draft_revealer, self->drafts->len > 0);
  draft_text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "Unpublished changes: %u edit to the rota is only on this computer until you "
                   "publish it.",
                   "Unpublished changes: %u edits to the rota are only on this computer until you "
                   "publish them.",
                   self->drafts->len),
      self->drafts->len);
  gtk_label_set_text (self->draft_label, draft_text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "oncall.publish", self->drafts->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "oncall.discard", self->drafts->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "oncall.add-override", rotations->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "oncall.export-mine", me != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button),
                               me != NULL ? _ ("Save your on-call shifts as an iCalendar file")
                                          : _ ("This account is no one in the team directory"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "oncall.offer-swap",
                                 has_upcoming_shift (self, rotations, me));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->swap_button),
                               me == NULL ? _ ("This account is no one in the team directory")
                                          : _ ("Offer one of your coming shifts to someone else"));
}

static void
reload (TdOncallPage *self)
{
  static const char *const entities[]
      = { "person", "rotation", "rotation_member", "rota_override", "swap_request", NULL };

  g_clear_handle_id (&self->reload_id, g_source_remove);
  td_rota_store_clear (self->store);
  if (cache (self) != NULL)
    {
      for (guint i = 0; entities[i] != NULL; i++)
        {
          g_autoptr (GPtrArray) rows = td_cache_list (cache (self), entities[i], NULL, NULL, NULL);

          for (guint j = 0; rows != NULL && j < rows->len; j++)
            td_rota_store_add_row (self->store, entities[i], g_ptr_array_index (rows, j));
        }
      overlay_drafts (self);
    }
  rebuild (self);
}

static gboolean
reload_idle (gpointer data)
{
  TdOncallPage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_rows_changed (TdOncallPage *self, const char *entity, GStrv ids)
{
  static const char *const watched[]
      = { "person", "rotation", "rotation_member", "rota_override", "swap_request", NULL };

  if (entity == NULL || !g_strv_contains (watched, entity))
    return;
  if (self->picker_open)
    self->reload_pending = TRUE;
  /* A pull brings rows in pages: redraw once they have settled. */
  else if (self->reload_id == 0)
    self->reload_id = g_timeout_add (100, reload_idle, self);
}

static void
on_team_changed (TdOncallPage *self)
{
  rebuild (self);
}

/* Edits */

static void
assign (TdOncallPage *self, const Cell *cell, const char *person, gboolean this_week)
{
  TdRotation *rotation = td_rota_store_get_rotation (self->store, cell->rotation);
  g_autoptr (JsonObject) fields = json_object_new ();
  guint       week;
  JsonObject *member;

  if (rotation == NULL)
    return;
  if (this_week)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      json_object_set_string_member (fields, "rotation", cell->rotation);
      json_object_set_string_member (fields, "position", cell->slot);
      json_object_set_string_member (fields, "person", person);
      json_object_set_int_member (fields, "starts_at",
                                  td_rotation_get_shift_start (rotation, cell->index));
      json_object_set_int_member (fields, "ends_at",
                                  td_rotation_get_shift_start (rotation, cell->index + 1));
      json_object_set_string_member (fields, "reason", _ ("Assigned for this week"));
      add_draft (self, "rota_override", uuid, TRUE, fields);
      return;
    }

  week = (guint) (cell->index % td_rotation_get_cycle_length (rotation)) + 1;
  member = td_rota_store_find_member (self->store, cell->rotation, cell->slot, week);
  json_object_set_string_member (fields, "person", person);
  if (member != NULL)
    {
      const char *uuid = json_object_get_string_member (member, "uuid");
      g_autoptr (JsonObject) cached = td_cache_get_row (cache (self), "rotation_member", uuid);

      /* A member only in the draft is still a create. */
      add_draft (self, "rotation_member", uuid, cached == NULL, fields);
    }
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      json_object_set_string_member (fields, "rotation", cell->rotation);
      json_object_set_string_member (fields, "position", cell->slot);
      json_object_set_int_member (fields, "week", week);
      add_draft (self, "rotation_member", uuid, TRUE, fields);
    }
}

/* Publishing */

static void
publish (TdOncallPage *self)
{
  TdCache      *the_cache = cache (self);
  TdSyncEngine *engine = td_session_get_engine (self->session);
  g_autoptr (GPtrArray) failed = g_ptr_array_new_with_free_func (draft_free);
  g_autoptr (GString) errors = g_string_new (NULL);
  guint published = 0;

  for (guint i = 0; i < self->drafts->len; i++)
    {
      Draft *draft = g_ptr_array_index (self->drafts, i);
      g_autoptr (GError) error = NULL;
      g_autofree char *uuid = NULL;

      if (draft->create)
        uuid = td_cache_create (the_cache, draft->entity, draft->fields, &error);
      else if (td_cache_update (the_cache, draft->entity, draft->uuid, draft->fields, &error))
        uuid = g_strdup (draft->uuid);

      if (uuid == NULL)
        {
          g_string_append_printf (errors, "%s%s", errors->len > 0 ? "; " : "", error->message);
          g_ptr_array_add (failed, g_ptr_array_steal_index (self->drafts, i));
          i--;
          continue;
        }
      td_sync_engine_local_change (engine, draft->entity, uuid);
      published++;
    }
  g_ptr_array_set_size (self->drafts, 0);
  /* What the cache refused stays in the draft, with the reason shown. */
  for (guint i = 0; i < failed->len; i++)
    g_ptr_array_add (self->drafts, g_ptr_array_steal_index (failed, i--));
  save_drafts (self);
  reload (self);
  if (errors->len > 0)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Some edits were not published: %s"), errors->str);
      toast (self, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (
              GETTEXT_PACKAGE, "Published %u edit; it is sent as soon as the server can be reached",
              "Published %u edits; they are sent as soon as the server can be reached", published),
          published);
      toast (self, text);
    }
}

static void
on_publish_response (AdwMessageDialog *dialog, const char *response, TdOncallPage *self)
{
  if (g_strcmp0 (response, "publish") == 0)
    publish (self);
}

static void
publish_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdOncallPage     *self = TD_ONCALL_PAGE (widget);
  GPtrArray        *rotations = td_rota_store_get_rotations (self->store);
  TdRotaLintOptions options;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (TdTrainingTracker) training = NULL;
  GtkWidget       *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (self->drafts->len == 0 || self->session == NULL)
    return;
  td_rota_lint_options_init (&options);
  options.horizon = LINT_HORIZON;
  options.policy = td_session_get_policy (self->session);
  /* On call with a tier's mandatory training overdue is a finding too. */
  training = td_training_cache_load (cache (self), options.policy);
  options.training = td_training_tracker_rota_check;
  options.training_data = training;
  findings
      = td_rota_lint ((TdRotation *const *) rotations->pdata, rotations->len, self->now, &options);

  heading = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Publish %u Edit?", "Publish %u Edits?", self->drafts->len),
      self->drafts->len);
  body = findings->len == 0
             ? g_strdup (_ ("The linter found no gaps, double bookings or uneven load in the "
                            "coming 52 weeks."))
             : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The linter found %u problem in the coming 52 weeks, "
                                             "with these edits:",
                                             "The linter found %u problems in the coming 52 weeks, "
                                             "with these edits:",
                                             findings->len),
                                findings->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "publish",
                                    _ ("_Publish"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "publish",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "publish");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (findings->len > 0)
    {
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *scroller = gtk_scrolled_window_new ();

      for (guint i = 0; i < findings->len; i++)
        {
          const TdRotaFinding *finding = g_ptr_array_index (findings, i);
          GtkWidget           *label = label_new (finding->message, NULL);

          gtk_widget_set_margin_top (label, 6);
          gtk_widget_set_margin_bottom (label, 6);
          gtk_widget_set_margin_start (label, 12);
          gtk_widget_set_margin_end (label, 12);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
          gtk_list_box_append (GTK_LIST_BOX (list), label);
        }
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_widget_set_name (list, "lint-findings");
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_publish_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
discard_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdOncallPage *self = TD_ONCALL_PAGE (widget);

  g_ptr_array_set_size (self->drafts, 0);
  save_drafts (self);
  reload (self);
  toast (self, _ ("Unpublished changes discarded"));
}

/* The override dialog */

typedef struct
{
  TdOncallPage *page;
  GtkWindow    *window;
  GtkDropDown  *slot;
  GtkDropDown  *person;
  GtkEntry     *from;
  GtkEntry     *to;
  GtkEntry     *reason;
  GtkLabel     *error;
  GPtrArray    *slots;  /* "rotation\nslot" */
  GPtrArray    *people; /* person uuids, parallel to the person drop-down */
} OverrideForm;

static void
override_form_free (gpointer data)
{
  OverrideForm *form = data;

  g_clear_object (&form->page);
  g_clear_pointer (&form->slots, g_ptr_array_unref);
  g_clear_pointer (&form->people, g_ptr_array_unref);
  g_free (form);
}

static TdRotation *
form_rotation (OverrideForm *form, const char **slot)
{
  guint       n = gtk_drop_down_get_selected (form->slot);
  const char *key;

  if (n >= form->slots->len)
    return NULL;
  key = g_ptr_array_index (form->slots, n);
  *slot = strchr (key, '\n') + 1;
  {
    g_autofree char *rotation = g_strndup (key, strchr (key, '\n') - key);
    return td_rota_store_get_rotation (form->page->store, rotation);
  }
}

static void
on_form_slot_changed (OverrideForm *form)
{
  const char *slot = NULL;
  TdRotation *rotation = form_rotation (form, &slot);
  g_autoptr (GPtrArray) people = NULL;
  GtkStringList *names = gtk_string_list_new (NULL);

  g_ptr_array_set_size (form->people, 0);
  gtk_string_list_append (names, _ ("Nobody (leave the slot open)"));
  g_ptr_array_add (form->people, NULL);
  if (rotation != NULL)
    {
      people = td_rota_store_list_people (form->page->store, td_rotation_get_tier (rotation));
      for (guint i = 0; i < people->len; i++)
        {
          JsonObject *person = g_ptr_array_index (people, i);

          gtk_string_list_append (names,
                                  json_object_get_string_member_with_default (person, "name", "?"));
          g_ptr_array_add (form->people, g_strdup (json_object_get_string_member (person, "uuid")));
        }
    }
  gtk_drop_down_set_model (form->person, G_LIST_MODEL (names));
  g_object_unref (names);
  gtk_drop_down_set_selected (form->person, people != NULL && people->len > 0 ? 1 : 0);
}

/* "YYYY-MM-DD HH:MM" in the rotation's zone. */
static gboolean
parse_local (TdRotation *rotation, const char *text, gint64 *out)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (td_rotation_get_time_zone (rotation));

  return zone != NULL && td_time_parse_wall_clock (text, zone, out);
}

static void
form_error (OverrideForm *form, GtkEntry *entry, const char *message)
{
  gtk_label_set_text (form->error, message);
  gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
  if (entry != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_grab_focus (GTK_WIDGET (entry));
    }
}

static void
on_form_add (GtkButton *button, OverrideForm *form)
{
  const char      *slot = NULL;
  TdRotation      *rotation = form_rotation (form, &slot);
  guint            n = gtk_drop_down_get_selected (form->person);
  const char      *person = n < form->people->len ? g_ptr_array_index (form->people, n) : NULL;
  const char      *from_text = gtk_editable_get_text (GTK_EDITABLE (form->from));
  const char      *to_text = gtk_editable_get_text (GTK_EDITABLE (form->to));
  const char      *reason = gtk_editable_get_text (GTK_EDITABLE (form->reason));
  gint64           from, to;
  g_autofree char *uuid = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();

  gtk_widget_remove_css_class (GTK_WIDGET (form->from), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (form->to), "error");
  if (rotation == NULL)
    {
      form_error (form, NULL, _ ("Slot: choose the slot the override is for."));
      return;
    }
  if (!parse_local (rotation, from_text, &from))
    {
      g_autofree char *text = g_strdup_printf (
          _ ("From: “%s” is not a date and time (expected YYYY-MM-DD HH:MM)."), from_text);
      form_error (form, form->from, text);
      return;
    }
  if (!parse_local (rotation, to_text, &to))
    {
      g_autofree char *text = g_strdup_printf (
          _ ("To: “%s” is not a date and time (expected YYYY-MM-DD HH:MM)."), to_text);
      form_error (form, form->to, text);
      return;
    }
  if (to <= from)
    {
      form_error (form, form->to, _ ("To: the override must end after it starts."));
      return;
    }

  uuid = g_uuid_string_random ();
  json_object_set_string_member (fields, "rotation", td_rotation_get_id (rotation));
  json_object_set_string_member (fields, "position", slot);
  if (person != NULL)
    json_object_set_string_member (fields, "person", person);
  else
    json_object_set_null_member (fields, "person");
  json_object_set_int_member (fields, "starts_at", from);
  json_object_set_int_member (fields, "ends_at", to);
  if (reason != NULL && reason[0] != '\0')
    json_object_set_string_member (fields, "reason", reason);
  add_draft (form->page, "rota_override", uuid, TRUE, fields);
  gtk_window_destroy (form->window);
}

static GtkWidget *
form_row (GtkGrid *grid, int row, const char *label, GtkWidget *field)
{
  GtkWidget *caption = gtk_label_new_with_mnemonic (label);

  gtk_label_set_xalign (GTK_LABEL (caption), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), field);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_hexpand (field, TRUE);
  gtk_grid_attach (grid, caption, 0, row, 1, 1);
  gtk_grid_attach (grid, field, 1, row, 1, 1);
  return field;
}

static void
add_override_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdOncallPage    *self = TD_ONCALL_PAGE (widget);
  GPtrArray       *rotations = td_rota_store_get_rotations (self->store);
  OverrideForm    *form = g_new0 (OverrideForm, 1);
  GtkWidget       *window = adw_window_new ();
  GtkWidget       *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget       *header = adw_header_bar_new ();
  GtkWidget       *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget       *add = gtk_button_new_with_mnemonic (_ ("_Add"));
  GtkWidget       *grid = gtk_grid_new ();
  GtkStringList   *slots = gtk_string_list_new (NULL);
  GtkExpression   *expression;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  TdRotation      *first = NULL;

  form->page = g_object_ref (self);
  form->window = GTK_WINDOW (window);
  form->slots = g_ptr_array_new_with_free_func (g_free);
  form->people = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rotations->len; i++)
    {
      TdRotation *rotation = g_ptr_array_index (rotations, i);
      GPtrArray  *positions = td_rotation_get_positions (rotation);

      if (!rotation_shown (self, rotation))
        continue;
      if (first == NULL)
        first = rotation;
      for (guint j = 0; j < positions->len; j++)
        {
          const TdRotaPosition *position = g_ptr_array_index (positions, j);
          g_autofree char      *name = td_rotation_describe_slot (rotation, position->id);

          gtk_string_list_append (slots, name);
          g_ptr_array_add (form->slots,
                           g_strdup_printf ("%s\n%s", td_rotation_get_id (rotation), position->id));
        }
    }

  gtk_window_set_title (GTK_WINDOW (window), _ ("Add Override"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_default_size (GTK_WINDOW (window), 460, -1);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  g_object_set_data_full (G_OBJECT (window), "form", form, override_form_free);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  gtk_widget_add_css_class (add, "suggested-action");
  g_signal_connect (add, "clicked", G_CALLBACK (on_form_add), form);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), add);
  gtk_box_append (GTK_BOX (content), header);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  /* gtk_drop_down_new() takes the model. */
  form->slot = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (slots), NULL));
  gtk_widget_set_name (GTK_WIDGET (form->slot), "override-slot");
  form_row (GTK_GRID (grid), 0, _ ("_Slot"), GTK_WIDGET (form->slot));
  form->person = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (form->person, expression);
  gtk_expression_unref (expression);
  gtk_drop_down_set_enable_search (form->person, TRUE);
  gtk_widget_set_name (GTK_WIDGET (form->person), "override-person");
  form_row (GTK_GRID (grid), 1, _ ("_Person"), GTK_WIDGET (form->person));

  /* From the next handoff for a week: the commonest cover. */
  if (first != NULL)
    {
      gint64     index = 0;
      TdInterval bounds = { self->now, self->now + 7 * 24 * 3600 };

      if (td_rotation_find_shift (first, self->now, &index, &bounds))
        bounds.start = td_rotation_get_shift_start (first, index + 1),
        bounds.end = td_rotation_get_shift_start (first, index + 2);
      from_text = format_local (first, bounds.start, "%Y-%m-%d %H:%M");
      to_text = format_local (first, bounds.end, "%Y-%m-%d %H:%M");
    }
  form->from = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (form->from), from_text != NULL ? from_text : "");
  gtk_entry_set_placeholder_text (form->from, "YYYY-MM-DD HH:MM");
  gtk_widget_set_name (GTK_WIDGET (form->from), "override-from");
  form_row (GTK_GRID (grid), 2, _ ("_From"), GTK_WIDGET (form->from));
  form->to = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (form->to), to_text != NULL ? to_text : "");
  gtk_entry_set_placeholder_text (form->to, "YYYY-MM-DD HH:MM");
  gtk_widget_set_name (GTK_WIDGET (form->to), "override-to");
  form_row (GTK_GRID (grid), 3, _ ("_To"), GTK_WIDGET (form->to));
  form->reason = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (form->reason, _ ("Sick leave, holiday…"));
  gtk_widget_set_name (GTK_WIDGET (form->reason), "override-reason");
  form_row (GTK_GRID (grid), 4, _ ("_Reason"), GTK_WIDGET (form->reason));
  {
    GtkWidget *hint = label_new (_ ("Times are local to the rota’s time zone."), "dim-label");
    gtk_widget_add_css_class (hint, "caption");
    gtk_grid_attach (GTK_GRID (grid), hint, 1, 5, 1, 1);
  }
  form->error = GTK_LABEL (label_new ("", "error"));
  gtk_widget_set_name (GTK_WIDGET (form->error), "override-error");
  gtk_widget_set_visible (GTK_WIDGET (form->error), FALSE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (form->error), 0, 6, 2, 1);
  gtk_box_append (GTK_BOX (content), grid);
  adw_window_set_content (ADW_WINDOW (window), content);

  g_signal_connect_swapped (form->slot, "notify::selected", G_CALLBACK (on_form_slot_changed),
                            form);
  on_form_slot_changed (form);
  gtk_window_present (GTK_WINDOW (window));
}

/* Swaps */

static void
decide_swap_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdOncallPage *self = TD_ONCALL_PAGE (widget);
  const char   *uuid;
  const char   *status;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;

  g_variant_get (parameter, "(&s&s)", &uuid, &status);
  json_object_set_string_member (fields, "status", status);
  if (!td_cache_update (cache (self), "swap_request", uuid, fields, &error))
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "swap_request", uuid);
  reload (self);
  toast (self, g_str_equal (status, "accepted")   ? _ ("Swap accepted")
               : g_str_equal (status, "declined") ? _ ("Swap declined")
                                                  : _ ("Swap offer withdrawn"));
}

typedef struct
{
  TdOncallPage *page;
  GtkWindow    *window;
  GtkDropDown  *shift;
  GtkDropDown  *counterpart;
  GtkEntry     *note;
  GPtrArray    *shifts; /* TdRotaShift, parallel to the shift drop-down */
  GPtrArray    *people; /* uuids, parallel to the counterpart drop-down */
} SwapForm;

static void
swap_form_free (gpointer data)
{
  SwapForm *form = data;

  g_clear_object (&form->page);
  g_clear_pointer (&form->shifts, g_ptr_array_unref);
  g_clear_pointer (&form->people, g_ptr_array_unref);
  g_free (form);
}

static void
on_swap_offer (GtkButton *button, SwapForm *form)
{
  TdOncallPage *self = form->page;
  guint         s = gtk_drop_down_get_selected (form->shift);
  guint         c = gtk_drop_down_get_selected (form->counterpart);
  TdRotaShift  *shift;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  const char      *note = gtk_editable_get_text (GTK_EDITABLE (form->note));

  if (s >= form->shifts->len || c >= form->people->len)
    return;
  shift = g_ptr_array_index (form->shifts, s);
  json_object_set_string_member (fields, "rotation", shift->rotation_id);
  json_object_set_string_member (fields, "position", shift->slot);
  json_object_set_string_member (fields, "requester", td_session_get_person (self->session));
  json_object_set_string_member (fields, "counterpart", g_ptr_array_index (form->people, c));
  json_object_set_int_member (fields, "give_starts_at", shift->interval.start);
  json_object_set_int_member (fields, "give_ends_at", shift->interval.end);
  if (note[0] != '\0')
    json_object_set_string_member (fields, "note", note);
  uuid = td_cache_create (cache (self), "swap_request", fields, &error);
  if (uuid == NULL)
    {
      toast (self, error->message);
      return;
    }
  td_sync_engine_local_change (td_session_get_engine (self->session), "swap_request", uuid);
  gtk_window_destroy (form->window);
  reload (self);
  toast (self, _ ("Swap offered"));
}

static void
offer_swap_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdOncallPage  *self = TD_ONCALL_PAGE (widget);
  const char    *me = td_session_get_person (self->session);
  GPtrArray     *rotations = td_rota_store_get_rotations (self->store);
  SwapForm      *form = g_new0 (SwapForm, 1);
  GtkWidget     *window = adw_window_new ();
  GtkWidget     *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget     *header = adw_header_bar_new ();
  GtkWidget     *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget     *offer = gtk_button_new_with_mnemonic (_ ("_Offer"));
  GtkWidget     *grid = gtk_grid_new ();
  GtkStringList *shift_names = gtk_string_list_new (NULL);
  GtkStringList *people_names = gtk_string_list_new (NULL);
  g_autoptr (GHashTable) tiers = g_hash_table_new (NULL, NULL);

  if (me == NULL)
    return;
  form->page = g_object_ref (self);
  form->window = GTK_WINDOW (window);
  form->shifts = g_ptr_array_new_with_free_func ((GDestroyNotify) td_rota_shift_free);
  form->people = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rotations->len; i++)
    {
      TdRotation *rotation = g_ptr_array_index (rotations, i);
      g_autoptr (GPtrArray) mine
          = td_rotation_resolve_for_person (rotation, me, self->now, self->now + LINT_HORIZON / 4);

      for (guint j = 0; j < mine->len; j++)
        {
          TdRotaShift     *shift = g_ptr_array_index (mine, j);
          g_autofree char *slot = NULL;
          g_autofree char *from = NULL;
          g_autofree char *to = NULL;
          g_autofree char *name = NULL;

          if (shift->interval.start <= self->now)
            continue;
          slot = td_rotation_describe_slot (rotation, shift->slot);
          from = format_local (rotation, shift->interval.start, "%a %-d %b %H:%M");
          to = format_local (rotation, shift->interval.end, "%a %-d %b %H:%M");
          name = g_strdup_printf ("%s: %s – %s", slot, from, to);
          gtk_string_list_append (shift_names, name);
          g_ptr_array_add (form->shifts, td_rota_shift_copy (shift));
          g_hash_table_add (tiers, GINT_TO_POINTER (td_rotation_get_tier (rotation)));
        }
    }
  {
    g_autoptr (GPtrArray) people = td_rota_store_list_people (self->store, 0);

    for (guint i = 0; i < people->len; i++)
      {
        JsonObject *person = g_ptr_array_index (people, i);
        const char *uuid = json_object_get_string_member (person, "uuid");

        if (g_strcmp0 (uuid, me) == 0
            || !g_hash_table_contains (
                tiers,
                GINT_TO_POINTER (json_object_get_int_member_with_default (person, "tier", 0))))
          continue;
        gtk_string_list_append (people_names,
                                json_object_get_string_member_with_default (person, "name", "?"));
        g_ptr_array_add (form->people, g_strdup (uuid));
      }
  }

  gtk_window_set_title (GTK_WINDOW (window), _ ("Offer a Swap"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_default_size (GTK_WINDOW (window), 480, -1);
  g_object_set_data_full (G_OBJECT (window), "form", form, swap_form_free);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  gtk_widget_add_css_class (offer, "suggested-action");
  g_signal_connect (offer, "clicked", G_CALLBACK (on_swap_offer), form);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), offer);
  gtk_box_append (GTK_BOX (content), header);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  form->shift = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (shift_names), NULL));
  form_row (GTK_GRID (grid), 0, _ ("_Shift"), GTK_WIDGET (form->shift));
  form->counterpart = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (people_names), NULL));
  form_row (GTK_GRID (grid), 1, _ ("_To"), GTK_WIDGET (form->counterpart));
  form->note = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (form->note, _ ("Why, or what you offer in return"));
  form_row (GTK_GRID (grid), 2, _ ("_Note"), GTK_WIDGET (form->note));
  {
    GtkWidget *hint = label_new (
        _ ("They can accept or decline until the shift begins; an accepted swap becomes an "
           "override."),
        "dim-label");
    gtk_widget_add_css_class (hint, "caption");
    gtk_grid_attach (GTK_GRID (grid), hint, 1, 3, 1, 1);
  }
  gtk_widget_set_sensitive (offer, form->shifts->len > 0 && form->people->len > 0);
  gtk_box_append (GTK_BOX (content), grid);
  adw_window_set_content (ADW_WINDOW (window), content);
  gtk_window_present (GTK_WINDOW (window));
}

/* Export */

/* Times in an export are those of the rota shown: drafts included. */
static void
save_calendar (TdOncallPage *self, char *text, const char *file_name)
{
  td_save_text (GTK_WIDGET (self), _ ("Export Calendar"), file_name, _ ("iCalendar files"),
                "text/calendar", "*.ics", text);
}

static char *
file_name_for (const char *what)
{
  g_autofree char *lower = g_utf8_strdown (what, -1);

  g_strdelimit (lower, " /\\:’'", '-');
  return g_strdup_printf ("on-call-%s.ics", lower);
}

static void
export_person (TdOncallPage *self, const char *person)
{
  g_autofree char *name = file_name_for (person_name (self, person));

  save_calendar (self,
                 td_rota_store_write_person_ics (self->store, person, self->now - FEED_PAST,
                                                 self->now + FEED_AHEAD, server_now (self)),
                 name);
}

static void
export_mine_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdOncallPage *self = TD_ONCALL_PAGE (widget);

  if (self->session != NULL && td_session_get_person (self->session) != NULL)
    export_person (self, td_session_get_person (self->session));
}

static void
export_person_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  export_person (TD_ONCALL_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
export_slot_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TdOncallPage    *self = TD_ONCALL_PAGE (widget);
  const char      *rotation_id;
  const char      *slot;
  TdRotation      *rotation;
  g_autofree char *described = NULL;
  g_autofree char *name = NULL;
  g_autoptr (GError) error = NULL;
  char *text;

  g_variant_get (parameter, "(&s&s)", &rotation_id, &slot);
  rotation = td_rota_store_get_rotation (self->store, rotation_id);
  if (rotation == NULL)
    return;
  text = td_rota_store_write_slot_ics (self->store, rotation_id, slot, self->now - FEED_PAST,
                                       self->now + FEED_AHEAD, server_now (self), &error);
  if (text == NULL)
    {
      toast (self, error->message);
      return;
    }
  described = td_rotation_describe_slot (rotation, slot);
  name = file_name_for (described);
  save_calendar (self, text, name);
}

/* GObject */

static void
td_oncall_page_dispose (GObject *object)
{
  TdOncallPage *self = TD_ONCALL_PAGE (object);
  GtkWidget    *child;

  td_oncall_page_set_session (self, NULL);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_ONCALL_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (td_oncall_page_parent_class)->dispose (object);
}

static void
td_oncall_page_finalize (GObject *object)
{
  TdOncallPage *self = TD_ONCALL_PAGE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->drafts, g_ptr_array_unref);
  g_clear_pointer (&self->team_tiers, g_array_unref);

  G_OBJECT_CLASS (td_oncall_page_parent_class)->finalize (object);
}

static void
td_oncall_page_class_init (TdOncallPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_oncall_page_dispose;
  object_class->finalize = td_oncall_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tierdesk/Tierdesk/ui/td-oncall-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, draft_revealer);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, draft_label);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, team_list);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, swap_button);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, now_box);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, swaps_box);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, swaps_list);
  gtk_widget_class_bind_template_child (widget_class, TdOncallPage, grids_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "oncall.publish", NULL, publish_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "oncall.publish",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "oncall.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "oncall.add-override", NULL, add_override_action);
  gtk_widget_class_install_action (widget_class, "oncall.offer-swap", NULL, offer_swap_action);
  gtk_widget_class_install_action (widget_class, "oncall.decide-swap", "(ss)", decide_swap_action);
  gtk_widget_class_install_action (widget_class, "oncall.export-mine", NULL, export_mine_action);
  gtk_widget_class_install_action (widget_class, "oncall.export-person", "s", export_person_action);
  gtk_widget_class_install_action (widget_class, "oncall.export-slot", "(ss)", export_slot_action);
}

static void
td_oncall_page_init (TdOncallPage *self)
{
  self->store = td_rota_store_new (NULL);
  self->drafts = g_ptr_array_new_with_free_func (draft_free);
  self->team_tiers = g_array_new (FALSE, FALSE, sizeof (int));
  self->now = td_time_now ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->team_dropdown, "notify::selected", G_CALLBACK (on_team_changed),
                            self);
  rebuild (self);
}

/* Public API */

void
td_oncall_page_set_session (TdOncallPage *self, TdSession *session)
{
  g_return_if_fail (TD_IS_ONCALL_PAGE (self));

  /* The same session again: the account's person may have changed. */
  if (self->session == session)
    {
      reload (self);
      return;
    }
  if (self->session != NULL && self->rows_changed_id != 0
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_set_object (&self->session, session);
  g_clear_object (&self->store);
  self->store = td_rota_store_new (session != NULL ? td_session_get_policy (session) : NULL);
  g_ptr_array_set_size (self->drafts, 0);

  if (session != NULL && td_session_get_engine (session) != NULL)
    {
      self->now = server_now (self);
      self->rows_changed_id
          = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                     G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
      load_drafts (self);
    }
  reload (self);
}

void
td_oncall_page_tick (TdOncallPage *self, gint64 now)
{
  g_return_if_fail (TD_IS_ONCALL_PAGE (self));

  self->now = now;
  if (self->next_change != 0 && now >= self->next_change)
    rebuild (self);
}

TdRotaStore *
td_oncall_page_get_rota_store (TdOncallPage *self)
{
  g_return_val_if_fail (TD_IS_ONCALL_PAGE (self), NULL);

  return self->store;
}

guint
td_oncall_page_get_draft_size (TdOncallPage *self)
{
  g_return_val_if_fail (TD_IS_ONCALL_PAGE (self), 0);

  return self->drafts->len;
}
