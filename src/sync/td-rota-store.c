/* td-rota-store.c — TdRotation objects built from stored rota rows
 *
 * The server (for its calendar feeds) and the app (for its On-call page and
 * exports) both hold rota rows as JSON objects: the server reads them from
 * its store, the app from its cache. This turns them into the core model in
 * one place, so both resolve the same rota the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-json-guard.h"
#include "td-rota-store.h"

struct _TdRotaStore
{
  GObject parent_instance;

  TdPolicy *policy;
  /* entity → (uuid → JsonObject) */
  GHashTable *rows;
  gboolean    built;
  GPtrArray  *rotations; /* TdRotation */
  GPtrArray  *problems;  /* char * */
};

G_DEFINE_FINAL_TYPE (TdRotaStore, td_rota_store, G_TYPE_OBJECT)

static const char *const entities[]
    = { "rotation", "rotation_member", "rota_override", "swap_request", "person", NULL };

/* Helpers */

static const char *
get_text (JsonObject *row, const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *row, const char *name, gint64 fallback)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return fallback;
}

static gboolean
is_deleted (JsonObject *row)
{
  return get_int (row, "deleted", 0) != 0;
}

static GHashTable *
table (TdRotaStore *self, const char *entity)
{
  return g_hash_table_lookup (self->rows, entity);
}

/* A row not yet seen by the server (rev 0) is the newest edit there is. */
static gint64
effective_rev (JsonObject *row)
{
  gint64 rev = get_int (row, "rev", 0);

  return rev == 0 ? G_MAXINT64 : rev;
}

static int
compare_rows_by_rev (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject *const *) a;
  JsonObject *y = *(JsonObject *const *) b;
  gint64      rx = effective_rev (x);
  gint64      ry = effective_rev (y);

  if (rx != ry)
    return rx < ry ? -1 : 1;
  return g_strcmp0 (get_text (x, "uuid"), get_text (y, "uuid"));
}

/* Rows of @entity that belong to @rotation, oldest revision first, so that
 * the latest of two rows for the same cycle position wins. */
static GPtrArray *
rows_of_rotation (TdRotaStore *self, const char *entity, const char *rotation, gboolean deleted)
{
  GPtrArray     *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, table (self, entity));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (get_text (value, "rotation"), rotation) == 0 && (deleted || !is_deleted (value)))
      g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_rows_by_rev);
  return list;
}

static const TdRotaTemplate *
find_template (TdRotaStore *self, const char *id)
{
  GPtrArray *templates = self->policy != NULL ? td_policy_get_rota_templates (self->policy) : NULL;

  for (guint i = 0; id != NULL && templates != NULL && i < templates->len; i++)
    {
      const TdRotaTemplate *rota_template = g_ptr_array_index (templates, i);

      if (g_strcmp0 (rota_template->id, id) == 0)
        return rota_template;
    }
  return NULL;
}

static const char *
position_name (const TdRotaTemplate *rota_template, const char *id)
{
  for (guint i = 0; rota_template != NULL && i < rota_template->positions->len; i++)
    {
      const TdPolicyItem *item = g_ptr_array_index (rota_template->positions, i);

      if (g_strcmp0 (item->id, id) == 0)
        return item->name;
    }
  return id;
}

static TdRotation *
load_rotation (TdRotaStore *self, JsonObject *row, GError **error)
{
  const char           *uuid = get_text (row, "uuid");
  const TdRotaTemplate *rota_template = find_template (self, get_text (row, "policy_id"));
  g_autoptr (TdRotation) rotation = NULL;
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GPtrArray) overrides = NULL;
  g_autoptr (GPtrArray) swaps = NULL;
  JsonNode      *positions = json_object_get_member (row, "positions");
  gint64         weeks = MAX (get_int (row, "weeks", 1), 1);
  gint64         weekday = get_int (row, "handoff_weekday", 0);
  GHashTable    *people = table (self, "person");
  GHashTableIter iter;
  gpointer       value;

  rotation = td_rotation_new (uuid, get_text (row, "name"), (int) get_int (row, "tier", 0),
                              get_text (row, "time_zone"), get_text (row, "start_date"),
                              get_text (row, "handoff_time"), error);
  if (rotation == NULL)
    return NULL;
  td_rotation_set_policy_id (rotation, get_text (row, "policy_id"));
  td_rotation_set_shift_days (rotation, (guint) MAX (get_int (row, "shift_days", 7), 1));
  if (weekday >= 1 && weekday <= 7)
    td_rotation_set_handoff_weekday (rotation, (GDateWeekday) weekday);
  td_rotation_set_cycle_length (rotation, (guint) weeks);

  /* The cache keeps JSON columns as text; the API sends them as JSON. */
  if (positions != NULL && JSON_NODE_HOLDS_VALUE (positions))
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      const char *text = json_node_get_string (positions);
      g_autoptr (TdJsonProblem) problem
          = text != NULL ? td_json_guard_check (text, strlen (text), TD_JSON_MAX_DEPTH) : NULL;

      if (text != NULL && problem == NULL && json_parser_load_from_data (parser, text, -1, NULL))
        positions = json_node_copy (json_parser_get_root (parser));
      else
        positions = NULL;
    }
  else if (positions != NULL)
    positions = json_node_copy (positions);
  if (positions != NULL && JSON_NODE_HOLDS_ARRAY (positions))
    {
      JsonArray *array = json_node_get_array (positions);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            td_rotation_add_position (rotation, json_node_get_string (item),
                                      position_name (rota_template, json_node_get_string (item)));
        }
    }
  g_clear_pointer (&positions, json_node_unref);

  members = rows_of_rotation (self, "rotation_member", uuid, FALSE);
  for (guint i = 0; i < members->len; i++)
    {
      JsonObject *member = g_ptr_array_index (members, i);
      gint64      week = get_int (member, "week", 1);
      const char *position = get_text (member, "position");

      if (position != NULL && week >= 1 && week <= weeks)
        td_rotation_set_member (rotation, position, (guint) week, get_text (member, "person"));
    }

  overrides = rows_of_rotation (self, "rota_override", uuid, FALSE);
  for (guint i = 0; i < overrides->len; i++)
    {
      JsonObject *object = g_ptr_array_index (overrides, i);
      g_autoptr (TdRotaOverride) override = NULL;

      /* A row without its key or slot (a damaged cache, a server gone
       * wrong) says nothing usable: left out, like a slot the model refuses. */
      if (get_text (object, "uuid") == NULL || get_text (object, "position") == NULL)
        continue;
      override
          = td_rota_override_new (get_text (object, "uuid"), get_text (object, "position"),
                                  get_text (object, "person"), get_int (object, "starts_at", 0),
                                  get_int (object, "ends_at", 0), get_text (object, "reason"));

      override->replaces = g_strdup (get_text (object, "replaces"));
      override->created_by = g_strdup (get_text (object, "created_by"));
      /* The server stamps created_at; an override it has not seen yet is
       * the latest decision on this desktop. */
      override->created_at
          = get_int (object, "rev", 0) == 0 ? G_MAXINT64 / 2 : get_int (object, "created_at", 0);
      /* A row the model refuses (an unknown slot) is left out, not fatal. */
      td_rotation_add_override (rotation, override, NULL);
    }

  swaps = rows_of_rotation (self, "swap_request", uuid, FALSE);
  for (guint i = 0; i < swaps->len; i++)
    {
      JsonObject *object = g_ptr_array_index (swaps, i);
      g_autoptr (TdRotaSwap) swap = NULL;

      if (get_text (object, "uuid") == NULL || get_text (object, "position") == NULL)
        continue;
      swap = td_rota_swap_new (get_text (object, "uuid"), get_text (object, "position"),
                               get_text (object, "requester"), get_text (object, "counterpart"),
                               get_int (object, "give_starts_at", 0),
                               get_int (object, "give_ends_at", 0));

      if (json_object_has_member (object, "take_starts_at")
          && get_int (object, "take_starts_at", -1) >= 0
          && get_int (object, "take_ends_at", -1) > get_int (object, "take_starts_at", 0))
        td_rota_swap_set_take (swap, get_int (object, "take_starts_at", 0),
                               get_int (object, "take_ends_at", 0));
      if (get_text (object, "status") == NULL
          || !td_rota_swap_status_from_string (get_text (object, "status"), &swap->status))
        swap->status = TD_ROTA_SWAP_PENDING;
      swap->note = g_strdup (get_text (object, "note"));
      swap->created_at = get_int (object, "created_at", 0);
      swap->decided_by = g_strdup (get_text (object, "decided_by"));
      swap->decided_at = get_int (object, "decided_at", 0);
      td_rotation_add_swap (rotation, swap, NULL);
    }

  g_hash_table_iter_init (&iter, people);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!is_deleted (value) && get_text (value, "name") != NULL)
      td_rotation_set_person_name (rotation, get_text (value, "uuid"), get_text (value, "name"));

  return g_steal_pointer (&rotation);
}

static int
compare_rotations (gconstpointer a, gconstpointer b)
{
  TdRotation *x = *(TdRotation *const *) a;
  TdRotation *y = *(TdRotation *const *) b;

  if (td_rotation_get_tier (x) != td_rotation_get_tier (y))
    return td_rotation_get_tier (x) - td_rotation_get_tier (y);
  return g_strcmp0 (td_rotation_get_name (x), td_rotation_get_name (y));
}

static void
build (TdRotaStore *self)
{
  GHashTableIter iter;
  gpointer       value;

  if (self->built)
    return;
  g_ptr_array_set_size (self->rotations, 0);
  g_ptr_array_set_size (self->problems, 0);

  g_hash_table_iter_init (&iter, table (self, "rotation"));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autoptr (GError) error = NULL;
      TdRotation *rotation;

      if (is_deleted (value))
        continue;
      rotation = load_rotation (self, value, &error);
      if (rotation != NULL)
        g_ptr_array_add (self->rotations, rotation);
      else
        g_ptr_array_add (self->problems, g_strdup (error->message));
    }
  g_ptr_array_sort (self->rotations, compare_rotations);
  self->built = TRUE;
}

static gboolean
overlaps (gint64 a_start, gint64 a_end, gint64 b_start, gint64 b_end)
{
  return a_start < b_end && b_start < a_end;
}

/* GObject */

static void
td_rota_store_finalize (GObject *object)
{
  TdRotaStore *self = (TdRotaStore *) object;

  g_clear_object (&self->policy);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->rotations, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (td_rota_store_parent_class)->finalize (object);
}

static void
td_rota_store_class_init (TdRotaStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_rota_store_finalize;
}

static void
td_rota_store_init (TdRotaStore *self)
{
  self->rows
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_hash_table_unref);
  for (guint i = 0; entities[i] != NULL; i++)
    g_hash_table_insert (self->rows, (gpointer) entities[i],
                         g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) json_object_unref));
  self->rotations = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func (g_free);
}

/* Public API */

TdRotaStore *
td_rota_store_new (TdPolicy *policy)
{
  TdRotaStore *self = g_object_new (TD_TYPE_ROTA_STORE, NULL);

  g_return_val_if_fail (policy == NULL || TD_IS_POLICY (policy), self);

  if (policy != NULL)
    self->policy = g_object_ref (policy);
  return self;
}

void
td_rota_store_add_row (TdRotaStore *self, const char *entity, JsonObject *row)
{
  GHashTable *rows;
  const char *uuid;

  g_return_if_fail (TD_IS_ROTA_STORE (self));
  g_return_if_fail (row != NULL);

  if (entity == NULL || (rows = table (self, entity)) == NULL
      || (uuid = get_text (row, "uuid")) == NULL)
    return;
  g_hash_table_replace (rows, g_strdup (uuid), json_object_ref (row));
  self->built = FALSE;
}

void
td_rota_store_clear (TdRotaStore *self)
{
  g_return_if_fail (TD_IS_ROTA_STORE (self));

  for (guint i = 0; entities[i] != NULL; i++)
    g_hash_table_remove_all (table (self, entities[i]));
  self->built = FALSE;
}

GPtrArray *
td_rota_store_get_rotations (TdRotaStore *self)
{
  g_return_val_if_fail (TD_IS_ROTA_STORE (self), NULL);

  build (self);
  return self->rotations;
}

TdRotation *
td_rota_store_get_rotation (TdRotaStore *self, const char *uuid)
{
  g_return_val_if_fail (TD_IS_ROTA_STORE (self), NULL);

  build (self);
  for (guint i = 0; uuid != NULL && i < self->rotations->len; i++)
    if (g_str_equal (td_rotation_get_id (g_ptr_array_index (self->rotations, i)), uuid))
      return g_ptr_array_index (self->rotations, i);
  return NULL;
}

GPtrArray *
td_rota_store_get_problems (TdRotaStore *self)
{
  g_return_val_if_fail (TD_IS_ROTA_STORE (self), NULL);

  build (self);
  return self->problems;
}

JsonObject *
td_rota_store_get_row (TdRotaStore *self, const char *entity, const char *uuid)
{
  GHashTable *rows;

  g_return_val_if_fail (TD_IS_ROTA_STORE (self), NULL);

  if (entity == NULL || uuid == NULL || (rows = table (self, entity)) == NULL)
    return NULL;
  return g_hash_table_lookup (rows, uuid);
}

JsonObject *
td_rota_store_find_member (TdRotaStore *self, const char *rotation, const char *slot, guint week)
{
  g_autoptr (GPtrArray) members = NULL;

  g_return_val_if_fail (TD_IS_ROTA_STORE (self), NULL);

  members = rows_of_rotation (self, "rotation_member", rotation, FALSE);
  /* Latest last: the one the model uses. */
  for (guint i = members->len; i > 0; i--)
    {
      JsonObject *member = g_ptr_array_index (members, i - 1);

      if (g_strcmp0 (get_text (member, "position"), slot) == 0
          && get_int (member, "week", 1) == (gint64) week)
        return member;
    }
  return NULL;
}

static int
compare_people (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject *const *) a;
  JsonObject *y = *(JsonObject *const *) b;

  return g_utf8_collate (get_text (x, "name") != NULL ? get_text (x, "name") : "",
                         get_text (y, "name") != NULL ? get_text (y, "name") : "");
}

GPtrArray *
td_rota_store_list_people (TdRotaStore *self, int tier)
{
  GPtrArray     *people = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer       value;

  g_return_val_if_fail (TD_IS_ROTA_STORE (self), people);

  g_hash_table_iter_init (&iter, table (self, "person"));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!is_deleted (value) && (tier == 0 || get_int (value, "tier", 0) == tier))
      g_ptr_array_add (people, value);
  g_ptr_array_sort (people, compare_people);
  return people;
}

guint
td_rota_store_sequence (TdRotation *rotation, const TdRotaShift *shift, gpointer user_data)
{
  TdRotaStore *self = user_data;
  const char  *uuid = td_rotation_get_id (rotation);
  JsonObject  *row;
  gint64       sequence = 0;
  guint        cycle = td_rotation_get_cycle_length (rotation);
  gint64       week = shift->index >= 0 ? shift->index % cycle + 1 : 0;
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GPtrArray) overrides = NULL;

  g_return_val_if_fail (TD_IS_ROTA_STORE (self), 0);

  if ((row = td_rota_store_get_row (self, "rotation", uuid)) != NULL)
    sequence = get_int (row, "rev", 0);

  members = rows_of_rotation (self, "rotation_member", uuid, TRUE);
  for (guint i = 0; i < members->len; i++)
    {
      JsonObject *member = g_ptr_array_index (members, i);

      if (g_strcmp0 (get_text (member, "position"), shift->slot) == 0
          && get_int (member, "week", 1) == week)
        sequence = MAX (sequence, get_int (member, "rev", 0));
    }

  overrides = rows_of_rotation (self, "rota_override", uuid, TRUE);
  for (guint i = 0; i < overrides->len; i++)
    {
      JsonObject *override = g_ptr_array_index (overrides, i);

      if (g_strcmp0 (get_text (override, "position"), shift->slot) == 0
          && overlaps (get_int (override, "starts_at", 0), get_int (override, "ends_at", 0),
                       shift->shift.start, shift->shift.end))
        sequence = MAX (sequence, get_int (override, "rev", 0));
    }
  return (guint) CLAMP (sequence, 0, G_MAXUINT);
}

char *
td_rota_store_write_slot_ics (TdRotaStore *self,
                              const char  *rotation_id,
                              const char  *slot,
                              TdInstant    from,
                              TdInstant    to,
                              TdInstant    now,
                              GError     **error)
{
  TdRotation      *rotation;
  g_autofree char *name = NULL;
  g_autoptr (GPtrArray) shifts = NULL;
  TdIcalOptions options = { 0 };

  g_return_val_if_fail (TD_IS_ROTA_STORE (self), NULL);

  rotation = td_rota_store_get_rotation (self, rotation_id);
  if (rotation == NULL)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_NOT_FOUND, "no rotation %s", rotation_id);
      return NULL;
    }
  name = td_rotation_describe_slot (rotation, slot);
  if (name == NULL)
    {
      g_set_error (error, TD_ROTA_ERROR, TD_ROTA_ERROR_NOT_FOUND, "rotation %s has no slot \"%s\"",
                   td_rotation_get_name (rotation), slot);
      return NULL;
    }

  shifts = td_rotation_resolve (rotation, slot, from, to);
  options.dtstamp = now;
  options.time_zone = td_rotation_get_time_zone (rotation);
  options.calendar_name = name;
  options.name_person = TRUE;
  options.sequence = td_rota_store_sequence;
  options.sequence_data = self;
  return td_ical_write (rotation, shifts, &options);
}

char *
td_rota_store_write_person_ics (TdRotaStore *self,
                                const char  *person,
                                TdInstant    from,
                                TdInstant    to,
                                TdInstant    now)
{
  GPtrArray       *rotations;
  JsonObject      *row;
  g_autofree char *name = NULL;
  g_autoptr (TdIcalWriter) writer = NULL;
  TdIcalOptions options = { 0 };

  g_return_val_if_fail (TD_IS_ROTA_STORE (self), NULL);
  g_return_val_if_fail (person != NULL, NULL);

  rotations = td_rota_store_get_rotations (self);
  row = td_rota_store_get_row (self, "person", person);
  name = g_strdup_printf ("On call: %s", row != NULL && get_text (row, "name") != NULL
                                             ? get_text (row, "name")
                                             : person);
  options.dtstamp = now;
  options.calendar_name = name;
  options.sequence = td_rota_store_sequence;
  options.sequence_data = self;
  writer = td_ical_writer_new (&options);
  for (guint i = 0; i < rotations->len; i++)
    {
      TdRotation *rotation = g_ptr_array_index (rotations, i);
      g_autoptr (GPtrArray) shifts = td_rotation_resolve_for_person (rotation, person, from, to);

      td_ical_writer_add_shifts (writer, rotation, shifts);
    }
  return td_ical_writer_to_string (writer);
}
