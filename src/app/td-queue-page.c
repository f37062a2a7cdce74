/* td-queue-page.c — the ticket queue: filters, counts, and the list with its SLA clocks
 *
 * The list never holds a widget tree per ticket: the column view asks the
 * model (SQLite underneath) for the rows on screen, and each cell follows
 * its ticket's properties, so the minute tick updates countdowns in place.
 *
 * Sorting: GTK 4.8 has no API to ask the column view which column it sorts
 * by. Each column's sorter answers "less" for a pair of probe tickets and
 * records its key; comparing the probes with the view's sorter therefore
 * says which column is primary, and the sign says the direction. The
 * sorting itself is done by TdQueueModel over its own index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-format.h"
#include "td-follow-ups.h"
#include "td-knowledge.h"
#include "td-queue-page.h"
#include "td-time.h"

struct _TdQueuePage
{
  GtkWidget parent_instance;

  GtkSearchEntry  *search_entry;
  GtkDropDown     *tier_dropdown;
  GtkDropDown     *severity_dropdown;
  GtkDropDown     *status_dropdown;
  GtkToggleButton *mine_button;
  GtkToggleButton *risk_button;
  GtkLabel        *tier_counts_label;
  GtkLabel        *breached_label;
  GtkLabel        *at_risk_label;
  GtkLabel        *ok_label;
  TdFollowUps     *follow_ups;
  GtkStack        *list_stack;
  GtkColumnView   *column_view;

  TdSession          *session;
  TdQueueModel       *model;
  GtkSingleSelection *selection;
  GHashTable         *person_names; /* uuid → name, for the owner column */
  GPtrArray          *tier_levels;  /* dropdown position → tier level */
  GPtrArray          *severity_ids; /* dropdown position → severity id */
  GPtrArray          *status_ids;   /* dropdown position → status id */
  TdTicket           *probe_a;
  TdTicket           *probe_b;
  int                 probed_sort;
  gint64              now;
  gulong              rows_changed_id;
};

G_DEFINE_FINAL_TYPE (TdQueuePage, td_queue_page, GTK_TYPE_WIDGET)

enum
{
  TICKET_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Columns */

typedef enum
{
  COLUMN_ID,
  COLUMN_TITLE,
  COLUMN_TIER,
  COLUMN_SEVERITY,
  COLUMN_STATUS,
  COLUMN_OWNER,
  COLUMN_AGE,
  COLUMN_SLA,
} Column;

typedef struct
{
  Column      column;
  const char *title;
  int         sort; /* TdQueueSort, or -1 */
  gboolean    expand;
  int         width;
} ColumnInfo;

static const ColumnInfo columns[] = {
  { COLUMN_ID, N_ ("ID"), -1, FALSE, 96 },
  { COLUMN_TITLE, N_ ("Title"), TD_QUEUE_SORT_TITLE, TRUE, 240 },
  { COLUMN_TIER, N_ ("Tier"), TD_QUEUE_SORT_TIER, FALSE, 64 },
  { COLUMN_SEVERITY, N_ ("Severity"), TD_QUEUE_SORT_SEVERITY, FALSE, 96 },
  { COLUMN_STATUS, N_ ("Status"), TD_QUEUE_SORT_STATUS, FALSE, 100 },
  { COLUMN_OWNER, N_ ("Owner"), TD_QUEUE_SORT_OWNER, FALSE, 150 },
  { COLUMN_AGE, N_ ("Age"), TD_QUEUE_SORT_CREATED, FALSE, 72 },
  { COLUMN_SLA, N_ ("SLA"), TD_QUEUE_SORT_SLA, FALSE, 230 },
};

static const char *
person_name (TdQueuePage *self, const char *uuid)
{
  const char *name;

  if (uuid == NULL || *uuid == '\0')
    return _ ("Unassigned");
  name = g_hash_table_lookup (self->person_names, uuid);
  if (name == NULL && self->session != NULL && td_session_get_cache (self->session) != NULL)
    {
      g_autoptr (JsonObject) row
          = td_cache_get_row (td_session_get_cache (self->session), "person", uuid);
      const char *found
          = row != NULL ? json_object_get_string_member_with_default (row, "name", NULL) : NULL;

      name = found != NULL ? found : uuid;
      g_hash_table_insert (self->person_names, g_strdup (uuid), g_strdup (name));
      name = g_hash_table_lookup (self->person_names, uuid);
    }
  return name;
}

static const char *
sla_css_class (TdSlaState state)
{
  switch (state)
    {
      case TD_SLA_BREACHED:
        return "error";
      case TD_SLA_AT_RISK:
        return "warning";
      case TD_SLA_OK:
        return "success";
      case TD_SLA_MET:
      case TD_SLA_NO_CLOCK:
      default:
        return NULL;
    }
}

static gboolean
severity_has_cadence (TdQueuePage *self, const char *severity_id)
{
  GPtrArray *severities = td_policy_get_severities (td_session_get_policy (self->session));

  for (guint i = 0; severity_id != NULL && i < severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (severities, i);

      if (g_str_equal (severity->id, severity_id))
        return severity->level <= 2;
    }
  return FALSE;
}

/* A resolved ticket's cell: its status, and the 24-hour "document it"
 * clock while it runs or after it ran out undocumented [10.2]. */
static char *
describe_documentation (TdQueuePage *self, TdTicket *ticket, TdSlaState *state)
{
  JsonObject *row = td_ticket_get_row (ticket);
  const char *status = td_format_status (td_ticket_get_status (ticket));
  TdDocClock  clock;

  /* Its SLA is settled: only the documentation clock colours it. */
  *state = TD_SLA_MET;
  td_knowledge_documentation_clock (
      td_session_get_policy (self->session),
      json_object_get_int_member_with_default (row, "new_issue", 0) != 0,
      json_object_get_int_member_with_default (row, "resolved_at", 0),
      json_object_get_int_member_with_default (row, "documented_at", 0), self->now, &clock);
  if (clock.state == TD_DOC_CLOCK_RUNNING)
    {
      g_autofree char *left = td_format_countdown (clock.due, self->now);
      *state = TD_SLA_AT_RISK;
      /* TRANSLATORS: queue cell: "Resolved · document it: 20 h left" */
      return g_strdup_printf (_ ("%s · document it: %s"), status, left);
    }
  if (clock.state == TD_DOC_CLOCK_BREACHED && clock.documented_at == 0)
    {
      *state = TD_SLA_BREACHED;
      return g_strdup_printf (_ ("%s · not documented"), status);
    }
  return g_strdup (status);
}

/* What the SLA cell says: the running clock, and for SEV-1/2 when the next
 * update is due; the words carry the meaning, the colour only repeats it. */
static char *
describe_sla (TdQueuePage *self, TdTicket *ticket, TdSlaState *state)
{
  g_autofree char *clock = NULL;
  gint64           due = td_ticket_get_sla_due (ticket);
  gint64           update_due = td_ticket_get_update_due (ticket);

  *state = td_ticket_get_sla_state (ticket);
  if (!td_ticket_is_open (ticket))
    return describe_documentation (self, ticket, state);
  if (due == G_MAXINT64 || *state == TD_SLA_NO_CLOCK)
    clock = g_strdup (_ ("No clock"));
  else
    clock = td_format_countdown (due, self->now);
  /* The update cadence is what SEV-1 and SEV-2 are held to [5.5]. */
  if (update_due != G_MAXINT64 && severity_has_cadence (self, td_ticket_get_severity (ticket)))
    {
      g_autofree char *update = td_format_countdown (update_due, self->now);
      TdSlaState       update_state = td_ticket_get_update_state (ticket);

      if (update_state == TD_SLA_BREACHED && *state != TD_SLA_BREACHED)
        *state = TD_SLA_AT_RISK;
      return g_strdup_printf (_ ("%s · update %s"), clock, update);
    }
  return g_steal_pointer (&clock);
}

static void
update_cell (GtkListItem *item)
{
  TdQueuePage      *self = g_object_get_data (G_OBJECT (item), "page");
  const ColumnInfo *info = g_object_get_data (G_OBJECT (item), "column");
  GtkInscription   *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  TdTicket         *ticket = gtk_list_item_get_item (item);
  g_autofree char  *text = NULL;
  const char       *css = NULL;

  if (ticket == NULL)
    return;
  switch (info->column)
    {
      case COLUMN_ID:
        text = g_strndup (td_ticket_get_uuid (ticket), 8);
        break;
      case COLUMN_TITLE:
        text = g_strdup (td_ticket_get_title (ticket));
        break;
      case COLUMN_TIER:
        text = g_strdup_printf (_ ("Tier %d"), td_ticket_get_tier (ticket));
        break;
      case COLUMN_SEVERITY:
        text = g_strdup_printf (
            "%s · %s",
            td_ticket_get_severity (ticket) != NULL ? td_ticket_get_severity (ticket) : "—",
            td_ticket_get_priority (ticket) != NULL ? td_ticket_get_priority (ticket) : "—");
        if (g_strcmp0 (td_ticket_get_severity (ticket), "SEV-1") == 0)
          css = "error";
        break;
      case COLUMN_STATUS:
        text = g_strdup (td_format_status (td_ticket_get_status (ticket)));
        break;
      case COLUMN_OWNER:
        text = g_strdup (person_name (self, td_ticket_get_owner (ticket)));
        break;
      case COLUMN_AGE:
        text = td_format_age (td_ticket_get_created_at (ticket), self->now);
        break;
      case COLUMN_SLA:
        {
          TdSlaState state;
          text = describe_sla (self, ticket, &state);
          css = sla_css_class (state);
        }
        break;
      default:
        g_assert_not_reached ();
    }
  gtk_inscription_set_text (cell, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (cell), info->column == COLUMN_TITLE ? text : NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (cell), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (cell), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (cell), "success");
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (cell), css);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, TdQueuePage *self)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (((const ColumnInfo *) g_object_get_data (G_OBJECT (factory), "column"))->column == COLUMN_ID)
    gtk_widget_add_css_class (cell, "monospace");
  gtk_widget_set_margin_start (cell, 6);
  gtk_widget_set_margin_end (cell, 6);
  gtk_list_item_set_child (item, cell);
  g_object_set_data (G_OBJECT (item), "page", self);
  g_object_set_data (G_OBJECT (item), "column", g_object_get_data (G_OBJECT (factory), "column"));
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, TdQueuePage *self)
{
  TdTicket *ticket = gtk_list_item_get_item (item);
  gulong    id;

  /* The ticket notifies what changed (a sync, the minute tick): the cell
   * follows it without the row being rebuilt. */
  id = g_signal_connect_swapped (ticket, "notify", G_CALLBACK (update_cell), item);
  g_object_set_data (G_OBJECT (item), "notify-id", GSIZE_TO_POINTER (id));
  update_cell (item);
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, TdQueuePage *self)
{
  TdTicket *ticket = gtk_list_item_get_item (item);
  gulong    id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "notify-id"));

  if (ticket != NULL && id != 0)
    g_signal_handler_disconnect (ticket, id);
  g_object_set_data (G_OBJECT (item), "notify-id", NULL);
}

/* Sorting */

static int
probe_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const ColumnInfo *info = user_data;
  TdQueuePage      *self = g_object_get_data (G_OBJECT (a), "page");

  /* Only the probes are ever compared: the view sorts nothing itself. */
  if (self != NULL)
    self->probed_sort = info->sort;
  return a == b ? GTK_ORDERING_EQUAL : GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed (TdQueuePage *self)
{
  GtkSorter  *sorter;
  GtkOrdering order;

  /* The view's columns go away on dispose, and their sorter says so. */
  if (self->model == NULL || self->column_view == NULL)
    return;
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->probed_sort = -1;
  order = gtk_sorter_compare (sorter, self->probe_a, self->probe_b);
  if (order == GTK_ORDERING_EQUAL || self->probed_sort < 0)
    td_queue_model_set_sort (self->model, TD_QUEUE_SORT_SLA, FALSE);
  else
    td_queue_model_set_sort (self->model, self->probed_sort, order == GTK_ORDERING_LARGER);
}

/* Filters and counts */

static void
update_counts (TdQueuePage *self)
{
  TdPolicy  *policy;
  GPtrArray *tiers;
  g_autoptr (GString) text = g_string_new (NULL);
  guint            breached, at_risk, ok;
  g_autofree char *breached_text = NULL;
  g_autofree char *at_risk_text = NULL;
  g_autofree char *ok_text = NULL;
  guint            n;

  if (self->model == NULL)
    return;
  policy = td_session_get_policy (self->session);
  tiers = td_policy_get_tiers (policy);
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      g_string_append_printf (text, "%s%s %u", i > 0 ? "   " : "", tier->short_name,
                              td_queue_model_count_tier (self->model, tier->level));
    }
  gtk_label_set_text (self->tier_counts_label, text->str);

  breached = td_queue_model_count_sla_state (self->model, TD_SLA_BREACHED);
  at_risk = td_queue_model_count_sla_state (self->model, TD_SLA_AT_RISK);
  ok = td_queue_model_count_sla_state (self->model, TD_SLA_OK);
  breached_text = g_strdup_printf (_ ("%u breached"), breached);
  at_risk_text = g_strdup_printf (_ ("%u at risk"), at_risk);
  ok_text = g_strdup_printf (_ ("%u on track"), ok);
  gtk_label_set_text (self->breached_label, breached_text);
  gtk_label_set_text (self->at_risk_label, at_risk_text);
  gtk_label_set_text (self->ok_label, ok_text);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static void
on_filter_changed (TdQueuePage *self)
{
  guint tier, severity, status;

  if (self->model == NULL)
    return;
  tier = gtk_drop_down_get_selected (self->tier_dropdown);
  severity = gtk_drop_down_get_selected (self->severity_dropdown);
  status = gtk_drop_down_get_selected (self->status_dropdown);

  td_queue_model_set_tier (self->model,
                           tier > 0 && tier < self->tier_levels->len
                               ? GPOINTER_TO_INT (g_ptr_array_index (self->tier_levels, tier))
                               : 0);
  td_queue_model_set_severity (self->model, severity > 0 && severity < self->severity_ids->len
                                                ? g_ptr_array_index (self->severity_ids, severity)
                                                : NULL);
  if (status == 0 || status >= self->status_ids->len)
    td_queue_model_set_status (self->model, TD_QUEUE_STATUS_OPEN, NULL);
  else if (status == 1)
    td_queue_model_set_status (self->model, TD_QUEUE_STATUS_ALL, NULL);
  else
    td_queue_model_set_status (self->model, TD_QUEUE_STATUS_ONE,
                               g_ptr_array_index (self->status_ids, status));
  td_queue_model_set_owner (self->model, gtk_toggle_button_get_active (self->mine_button)
                                             ? td_session_get_person (self->session)
                                             : NULL);
  td_queue_model_set_at_risk_only (self->model, gtk_toggle_button_get_active (self->risk_button));
  update_counts (self);
}

static void
on_search_changed (TdQueuePage *self)
{
  if (self->model == NULL)
    return;
  td_queue_model_set_search (self->model,
                             gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_counts (self);
}

static void
on_row_activated (TdQueuePage *self, guint position)
{
  g_autoptr (TdTicket) ticket = NULL;

  if (self->model == NULL)
    return;
  ticket = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (ticket != NULL)
    g_signal_emit (self, signals[TICKET_ACTIVATED], 0, td_ticket_get_uuid (ticket));
}

static void
on_rows_changed (TdQueuePage *self, const char *entity, const char *const *ids)
{
  if (self->model == NULL)
    return;
  if (g_str_equal (entity, "ticket"))
    td_queue_model_tickets_changed (self->model, ids);
  else if (g_str_equal (entity, "person"))
    g_hash_table_remove_all (self->person_names);
  update_counts (self);
}

static void
fill_dropdowns (TdQueuePage *self, TdPolicy *policy)
{
  /* The statuses the server knows [5.1]; "reopened" lands in in_progress. */
  static const char *const statuses[] = { "new", "in_progress", "resolved", "closed" };
  g_autoptr (GtkStringList) tiers = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) severities = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) status_list = gtk_string_list_new (NULL);
  GPtrArray *policy_tiers = td_policy_get_tiers (policy);
  GPtrArray *policy_severities = td_policy_get_severities (policy);

  g_ptr_array_set_size (self->tier_levels, 0);
  g_ptr_array_set_size (self->severity_ids, 0);
  g_ptr_array_set_size (self->status_ids, 0);

  gtk_string_list_append (tiers, _ ("All Tiers"));
  g_ptr_array_add (self->tier_levels, GINT_TO_POINTER (0));
  for (guint i = 0; i < policy_tiers->len; i++)
    {
      const TdTier    *tier = g_ptr_array_index (policy_tiers, i);
      g_autofree char *label = g_strdup_printf (_ ("Tier %d"), tier->level);

      gtk_string_list_append (tiers, label);
      g_ptr_array_add (self->tier_levels, GINT_TO_POINTER (tier->level));
    }

  gtk_string_list_append (severities, _ ("All Severities"));
  g_ptr_array_add (self->severity_ids, g_strdup (""));
  for (guint i = 0; i < policy_severities->len; i++)
    {
      const TdSeverity *severity = g_ptr_array_index (policy_severities, i);

      gtk_string_list_append (severities, severity->id);
      g_ptr_array_add (self->severity_ids, g_strdup (severity->id));
    }

  gtk_string_list_append (status_list, _ ("Open"));
  g_ptr_array_add (self->status_ids, g_strdup (""));
  gtk_string_list_append (status_list, _ ("Any Status"));
  g_ptr_array_add (self->status_ids, g_strdup (""));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      gtk_string_list_append (status_list, td_format_status (statuses[i]));
      g_ptr_array_add (self->status_ids, g_strdup (statuses[i]));
    }

  gtk_drop_down_set_model (self->tier_dropdown, G_LIST_MODEL (tiers));
  gtk_drop_down_set_model (self->severity_dropdown, G_LIST_MODEL (severities));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (status_list));
}

/* Public API */

void
td_queue_page_set_session (TdQueuePage *self, TdSession *session)
{
  g_return_if_fail (TD_IS_QUEUE_PAGE (self));

  /* The same session again (its person or role became known): the model
   * stands, only "Mine" may mean someone now. A new model would read the
   * whole index again. */
  if (session != NULL && session == self->session && self->model != NULL
      && td_session_get_cache (session) != NULL)
    {
      on_filter_changed (self);
      return;
    }
  if (self->session != NULL && self->rows_changed_id != 0
      && td_session_get_engine (self->session) != NULL)
    g_signal_handler_disconnect (td_session_get_engine (self->session), self->rows_changed_id);
  self->rows_changed_id = 0;
  g_set_object (&self->session, session);
  td_follow_ups_set_session (self->follow_ups, session);
  g_clear_object (&self->model);
  g_hash_table_remove_all (self->person_names);
  gtk_single_selection_set_model (self->selection, NULL);

  if (session == NULL || td_session_get_cache (session) == NULL)
    return;

  fill_dropdowns (self, td_session_get_policy (session));
  self->model
      = td_queue_model_new (td_session_get_cache (session), td_session_get_policy (session));
  td_queue_model_set_now (self->model, self->now);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  self->rows_changed_id
      = g_signal_connect_object (td_session_get_engine (session), "rows-changed",
                                 G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  on_sorter_changed (self);
  on_filter_changed (self);
}

TdQueueModel *
td_queue_page_get_model (TdQueuePage *self)
{
  g_return_val_if_fail (TD_IS_QUEUE_PAGE (self), NULL);
  return self->model;
}

GtkColumnView *
td_queue_page_get_column_view (TdQueuePage *self)
{
  g_return_val_if_fail (TD_IS_QUEUE_PAGE (self), NULL);
  return self->column_view;
}

void
td_queue_page_tick (TdQueuePage *self, gint64 now)
{
  g_return_if_fail (TD_IS_QUEUE_PAGE (self));
  self->now = now;
  td_follow_ups_tick (self->follow_ups, now);
  if (self->model == NULL)
    return;
  td_queue_model_tick (self->model, now);
  update_counts (self);
}

void
td_queue_page_focus_search (TdQueuePage *self)
{
  g_return_if_fail (TD_IS_QUEUE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* GObject */

static void
td_queue_page_dispose (GObject *object)
{
  TdQueuePage *self = (TdQueuePage *) object;

  td_queue_page_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_QUEUE_PAGE);
  /* The template's top child is not bound, so it is unparented here. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->selection);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);
  G_OBJECT_CLASS (td_queue_page_parent_class)->dispose (object);
}

static void
td_queue_page_finalize (GObject *object)
{
  TdQueuePage *self = (TdQueuePage *) object;

  g_clear_pointer (&self->person_names, g_hash_table_unref);
  g_clear_pointer (&self->tier_levels, g_ptr_array_unref);
  g_clear_pointer (&self->severity_ids, g_ptr_array_unref);
  g_clear_pointer (&self->status_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (td_queue_page_parent_class)->finalize (object);
}

static void
td_queue_page_class_init (TdQueuePageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_queue_page_dispose;
  object_class->finalize = td_queue_page_finalize;

  /* The uuid of the ticket the user opened (double click or Enter). */
  signals[TICKET_ACTIVATED]
      = g_signal_new ("ticket-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (TD_TYPE_FOLLOW_UPS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tierdesk/Tierdesk/ui/td-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, tier_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, severity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, mine_button);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, risk_button);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, tier_counts_label);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, breached_label);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, at_risk_label);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, ok_label);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, follow_ups);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TdQueuePage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* The column's width: its default, or wider if a translation needs it
 * ("Stufe 4", "In Bearbeitung"), so no cell of a short column is cut. */
static int
column_width (TdQueuePage *self, const ColumnInfo *info)
{
  static const char *const statuses[]
      = { "new", "assigned", "in_progress", "pending", "resolved", "closed", "reopened" };
  g_autoptr (GPtrArray) samples = g_ptr_array_new_with_free_func (g_free);
  int width = info->width;

  g_ptr_array_add (samples, g_strdup (_ (info->title)));
  if (info->column == COLUMN_TIER)
    g_ptr_array_add (samples, g_strdup_printf (_ ("Tier %d"), 4));
  else if (info->column == COLUMN_STATUS)
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      g_ptr_array_add (samples, g_strdup (td_format_status (statuses[i])));
  for (guint i = 0; i < samples->len; i++)
    {
      g_autoptr (PangoLayout) layout
          = gtk_widget_create_pango_layout (GTK_WIDGET (self), g_ptr_array_index (samples, i));
      int text_width;

      pango_layout_get_pixel_size (layout, &text_width, NULL);
      /* Room for the cell's padding and the header's sort arrow. */
      width = MAX (width, text_width + 40);
    }
  return width;
}

static void
td_queue_page_init (TdQueuePage *self)
{
  g_autoptr (JsonObject) probe = json_object_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->person_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tier_levels = g_ptr_array_new ();
  self->severity_ids = g_ptr_array_new_with_free_func (g_free);
  self->status_ids = g_ptr_array_new_with_free_func (g_free);
  self->now = td_time_now ();

  json_object_set_string_member (probe, "uuid", "probe-a");
  self->probe_a = td_ticket_new (probe);
  json_object_set_string_member (probe, "uuid", "probe-b");
  self->probe_b = td_ticket_new (probe);
  g_object_set_data (G_OBJECT (self->probe_a), "page", self);
  g_object_set_data (G_OBJECT (self->probe_b), "page", self);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const ColumnInfo    *info = &columns[i];
      GtkListItemFactory  *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "column", (gpointer) info);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
      column = gtk_column_view_column_new (_ (info->title), factory);
      gtk_column_view_column_set_expand (column, info->expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, column_width (self, info));
      if (info->sort >= 0)
        {
          g_autoptr (GtkSorter) sorter
              = GTK_SORTER (gtk_custom_sorter_new (probe_compare, (gpointer) info, NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);
}
