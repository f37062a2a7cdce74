/* td-api-error.c — an API error: HTTP status, a stable code, a message, the field at fault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-api-error.h"

TdApiError *
td_api_error_new (guint status, const char *code, const char *field, const char *format, ...)
{
  TdApiError      *error = g_new0 (TdApiError, 1);
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages quote what the client sent (a cursor, a path): bytes that are
   * not UTF-8 would make the error itself invalid JSON. */
  error->message = g_utf8_make_valid (message, -1);
  error->status = status;
  error->code = g_strdup (code);
  error->field = g_strdup (field);
  return error;
}

void
td_api_error_free (TdApiError *error)
{
  if (error == NULL)
    return;
  g_free (error->code);
  g_free (error->message);
  g_free (error->field);
  g_free (error);
}

JsonNode *
td_api_error_to_json (const TdApiError *error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, error->code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  if (error->field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, error->field);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
