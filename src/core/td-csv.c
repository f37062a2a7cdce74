/* td-csv.c — RFC 4180 CSV: writing rows for exports and reading them back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-csv.h"

#include <string.h>

/* clang-format off */
G_DEFINE_QUARK (td-csv-error-quark, td_csv_error)
/* clang-format on */

void
td_csv_append_row (GString *out, const char *const *fields, gsize n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, ',');
      /* A leading space is kept by quoting too, since some spreadsheets
       * trim unquoted fields. */
      if (strpbrk (field, ",\"\r\n") != NULL || field[0] == ' ')
        {
          g_string_append_c (out, '"');
          for (const char *p = field; *p != '\0'; p++)
            {
              if (*p == '"')
                g_string_append_c (out, '"');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, field);
    }
  g_string_append (out, "\r\n");
}

GPtrArray *
td_csv_parse (const char *text, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  gboolean    quoted = FALSE;
  gboolean    was_quoted = FALSE;
  guint       line = 1;
  guint       field_line = 1;
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);

  while (TRUE)
    {
      char c = *p;

      if (quoted)
        {
          if (c == '\0')
            {
              g_set_error (error, TD_CSV_ERROR, TD_CSV_ERROR_PARSE,
                           "line %u: a quoted field is not closed", field_line);
              return NULL;
            }
          if (c == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p += 2;
              continue;
            }
          if (c == '"')
            {
              quoted = FALSE;
              p++;
              continue;
            }
          if (c == '\n')
            line++;
          g_string_append_c (field, c);
          p++;
          continue;
        }

      if (c == '"')
        {
          if (field->len > 0 || was_quoted)
            {
              g_set_error (error, TD_CSV_ERROR, TD_CSV_ERROR_PARSE,
                           "line %u: a quote inside an unquoted field", line);
              return NULL;
            }
          quoted = was_quoted = TRUE;
          field_line = line;
          p++;
          continue;
        }
      if (c == ',' || c == '\n' || c == '\0' || (c == '\r' && p[1] == '\n'))
        {
          gboolean end_of_row = c != ',';

          /* A final line break does not start an empty row. */
          if (!(c == '\0' && row->len == 0 && field->len == 0 && !was_quoted))
            g_ptr_array_add (row, g_strndup (field->str, field->len));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          if (end_of_row && row->len > 0)
            {
              g_ptr_array_add (row, NULL);
              g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
            }
          if (c == '\0')
            break;
          if (c == '\r')
            p++;
          if (c != ',')
            line++;
          p++;
          continue;
        }
      if (was_quoted)
        {
          g_set_error (error, TD_CSV_ERROR, TD_CSV_ERROR_PARSE,
                       "line %u: text after a closing quote", line);
          return NULL;
        }
      g_string_append_c (field, c);
      p++;
    }
  return g_steal_pointer (&rows);
}
