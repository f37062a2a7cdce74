/* td-api-error.h — an API error: HTTP status, a stable code, a message, the field at fault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint status;
  char *code;
  char *message;
  char *field;
  int   retry_after;
} TdApiError;

TdApiError *td_api_error_new (guint       status,
                              const char *code,
                              const char *field,
                              const char *format,
                              ...) G_GNUC_PRINTF (4, 5);
void        td_api_error_free (TdApiError *error);
/* {"error": {"code", "message", "field"?}} */
JsonNode *td_api_error_to_json (const TdApiError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdApiError, td_api_error_free)

G_END_DECLS
