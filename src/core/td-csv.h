/* td-csv.h — RFC 4180 CSV: writing rows for exports and reading them back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TD_CSV_ERROR (td_csv_error_quark ())
GQuark td_csv_error_quark (void);

typedef enum
{
  TD_CSV_ERROR_PARSE,
} TdCsvError;

/* Appends one row: fields quoted when they hold a comma, a quote or a line
 * break; NULL fields are empty; the row ends with CRLF. */
void td_csv_append_row (GString *out, const char *const *fields, gsize n_fields);

/* Rows of fields (each a NULL-terminated GStrv). A stray quote is an error
 * naming its line. */
GPtrArray *td_csv_parse (const char *text, GError **error);

G_END_DECLS
