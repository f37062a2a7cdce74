/* td-json-reader.c — read JSON into C structures, collecting errors by JSON path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-json-reader.h"

#include <math.h>

struct _TdJsonReader
{
  GPtrArray *errors;
};

TdJsonReader *
td_json_reader_new (void)
{
  TdJsonReader *self = g_new0 (TdJsonReader, 1);

  self->errors = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
td_json_reader_free (TdJsonReader *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_free (self);
}

void
td_json_reader_error (TdJsonReader *self, const char *path, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (self->errors, g_strdup_printf ("%s: %s", path, message));
}

guint
td_json_reader_get_n_errors (TdJsonReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->errors->len;
}

GPtrArray *
td_json_reader_get_errors (TdJsonReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->errors;
}

GPtrArray *
td_json_reader_steal_errors (TdJsonReader *self)
{
  GPtrArray *errors;

  g_return_val_if_fail (self != NULL, NULL);

  errors = g_steal_pointer (&self->errors);
  self->errors = g_ptr_array_new_with_free_func (g_free);
  return errors;
}

char *
td_json_path_member (const char *path, const char *member)
{
  return g_strconcat (path, ".", member, NULL);
}

char *
td_json_path_index (const char *path, guint index)
{
  return g_strdup_printf ("%s[%u]", path, index);
}

/* The words a person uses for JSON types, for "expected X, found Y". */
const char *
td_json_node_describe (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";

  switch (json_node_get_value_type (node))
    {
      case G_TYPE_STRING:
        return "a string";
      case G_TYPE_BOOLEAN:
        return "a boolean";
      case G_TYPE_INT64:
        return "an integer";
      case G_TYPE_DOUBLE:
        return "a number";
      default:
        return "a value";
    }
}

void
td_json_reader_check_members (TdJsonReader      *self,
                              JsonObject        *object,
                              const char        *path,
                              const char *const *allowed)
{
  JsonObjectIter iter;
  const char    *name;

  g_return_if_fail (self != NULL);
  g_return_if_fail (object != NULL);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *member_path = td_json_path_member (path, name);
          td_json_reader_error (self, member_path, "unknown member");
        }
    }
}

/* Returns the member's node, or NULL after reporting it missing when required. */
static JsonNode *
lookup (TdJsonReader *self,
        JsonObject   *object,
        const char   *path,
        const char   *member,
        gboolean      required)
{
  JsonNode *node;

  g_assert (self != NULL);

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL && required)
    td_json_reader_error (self, path, "missing required member \"%s\"", member);
  return node;
}

static void
wrong_type (TdJsonReader *self,
            const char   *path,
            const char   *member,
            const char   *expected,
            JsonNode     *found)
{
  g_autofree char *member_path = td_json_path_member (path, member);

  td_json_reader_error (self, member_path, "expected %s, found %s", expected,
                        td_json_node_describe (found));
}

JsonObject *
td_json_reader_get_object (TdJsonReader *self,
                           JsonObject   *object,
                           const char   *path,
                           const char   *member,
                           gboolean      required)
{
  JsonNode *node = lookup (self, object, path, member, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (self, path, member, "an object", node);
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
td_json_reader_get_array (TdJsonReader *self,
                          JsonObject   *object,
                          const char   *path,
                          const char   *member,
                          gboolean      required)
{
  JsonNode *node = lookup (self, object, path, member, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      wrong_type (self, path, member, "an array", node);
      return NULL;
    }
  return json_node_get_array (node);
}

JsonObject *
td_json_reader_element_object (TdJsonReader *self, JsonArray *array, const char *path, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *element_path = td_json_path_index (path, index);
      td_json_reader_error (self, element_path, "expected an object, found %s",
                            td_json_node_describe (node));
      return NULL;
    }
  return json_node_get_object (node);
}

char *
td_json_reader_get_string (TdJsonReader *self,
                           JsonObject   *object,
                           const char   *path,
                           const char   *member,
                           gboolean      required)
{
  JsonNode *node = lookup (self, object, path, member, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      wrong_type (self, path, member, "a string", node);
      return NULL;
    }
  return g_strdup (json_node_get_string (node));
}

char **
td_json_reader_get_strv (TdJsonReader *self,
                         JsonObject   *object,
                         const char   *path,
                         const char   *member,
                         gboolean      required)
{
  g_autoptr (GStrvBuilder) builder = NULL;
  g_autofree char *member_path = NULL;
  JsonArray       *array;
  guint            n;

  array = td_json_reader_get_array (self, object, path, member, required);
  if (array == NULL)
    return NULL;

  member_path = td_json_path_member (path, member);
  builder = g_strv_builder_new ();
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *element_path = td_json_path_index (member_path, i);
          td_json_reader_error (self, element_path, "expected a string, found %s",
                                td_json_node_describe (node));
          continue;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

gboolean
td_json_reader_get_int (TdJsonReader *self,
                        JsonObject   *object,
                        const char   *path,
                        const char   *member,
                        gboolean      required,
                        gint64        default_value,
                        gint64       *out)
{
  JsonNode *node = lookup (self, object, path, member, required);

  *out = default_value;
  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      wrong_type (self, path, member, "an integer", node);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
td_json_reader_get_double (TdJsonReader *self,
                           JsonObject   *object,
                           const char   *path,
                           const char   *member,
                           gboolean      required,
                           double        default_value,
                           double       *out)
{
  JsonNode *node = lookup (self, object, path, member, required);
  GType     type;

  *out = default_value;
  if (node == NULL)
    return !required;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      wrong_type (self, path, member, "a number", node);
      return FALSE;
    }
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
td_json_reader_get_bool (TdJsonReader *self,
                         JsonObject   *object,
                         const char   *path,
                         const char   *member,
                         gboolean      required,
                         gboolean      default_value,
                         gboolean     *out)
{
  JsonNode *node = lookup (self, object, path, member, required);

  *out = default_value;
  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      wrong_type (self, path, member, "a boolean", node);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
td_json_reader_get_duration (TdJsonReader *self,
                             JsonObject   *object,
                             const char   *path,
                             const char   *member,
                             gboolean      required,
                             TdDuration   *out)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  *out = (TdDuration){ 0, 0 };
  text = td_json_reader_get_string (self, object, path, member, required);
  if (text == NULL)
    return FALSE;
  if (!td_duration_parse (text, out, &error))
    {
      g_autofree char *member_path = td_json_path_member (path, member);
      td_json_reader_error (self, member_path, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}
