/* td-json-guard.c — check JSON text before json-glib parses it
 *
 * A single pass over the bytes, keeping only the path to where it is (a
 * stack of object members and array indexes) so that a problem can be
 * named the way the API names fields: "commands[0].fields.description".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-json-guard.h"

#include <string.h>

typedef struct
{
  gboolean is_object;
  guint    index;
  /* The member being read, in an object; its raw text between the quotes. */
  char *member;
  /* In an object: the next string is a member name, not a value. */
  gboolean expect_name;
} Frame;

typedef struct
{
  const char *data;
  gsize       length;
  gsize       position;
  GArray     *frames;
} Scanner;

void
td_json_problem_free (TdJsonProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

static void
frame_clear (gpointer data)
{
  Frame *frame = data;

  g_clear_pointer (&frame->member, g_free);
}

static char *
scanner_path (Scanner *scanner)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < scanner->frames->len; i++)
    {
      Frame *frame = &g_array_index (scanner->frames, Frame, i);

      if (frame->is_object)
        {
          if (frame->member == NULL)
            break;
          g_string_append_printf (path, "%s%s", path->len > 0 ? "." : "", frame->member);
        }
      else
        g_string_append_printf (path, "[%u]", frame->index);
    }
  if (path->len == 0)
    return g_string_free (path, TRUE);
  return g_string_free (path, FALSE);
}

static TdJsonProblem *problem_at (Scanner    *scanner,
                                  gsize       position,
                                  gboolean    name_field,
                                  const char *format,
                                  ...) G_GNUC_PRINTF (4, 5);

static TdJsonProblem *
problem_at (Scanner *scanner, gsize position, gboolean name_field, const char *format, ...)
{
  TdJsonProblem *problem = g_new0 (TdJsonProblem, 1);
  va_list        args;

  problem->line = 1;
  problem->column = 1;
  for (gsize i = 0; i < position && i < scanner->length; i++)
    {
      if (scanner->data[i] == '\n')
        {
          problem->line++;
          problem->column = 1;
        }
      /* Columns count characters, not the bytes that continue one. */
      else if (((guchar) scanner->data[i] & 0xC0) != 0x80)
        problem->column++;
    }
  if (name_field)
    problem->field = scanner_path (scanner);
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  return problem;
}

static int
hex_value (const char *text)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (text[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* A string from its opening quote; leaves the position after the closing one. */
static TdJsonProblem *
scan_string (Scanner *scanner, gboolean is_name)
{
  const char *data = scanner->data;
  gsize       start = ++scanner->position;

  while (scanner->position < scanner->length)
    {
      guchar c = data[scanner->position];

      if (c == '"')
        {
          if (is_name)
            {
              Frame *frame = &g_array_index (scanner->frames, Frame, scanner->frames->len - 1);

              g_free (frame->member);
              frame->member = g_strndup (data + start, scanner->position - start);
            }
          scanner->position++;
          return NULL;
        }
      if (c == '\\' && scanner->position + 1 < scanner->length)
        {
          char next = data[scanner->position + 1];

          /* json-glib 1.6 refuses a bad escape too, but leaks what it had
           * built by then: refuse it first. */
          if (strchr ("\"\\/bfnrtu", next) == NULL || next == '\0'
              || (next == 'u'
                  && (scanner->position + 6 > scanner->length
                      || hex_value (data + scanner->position + 2) < 0)))
            return problem_at (scanner, scanner->position, !is_name, "contains an invalid escape");
          if (next == 'u')
            {
              gsize escape = scanner->position;
              int   unit = hex_value (data + scanner->position + 2);

              scanner->position += 6;
              if (unit == 0)
                return problem_at (scanner, escape, !is_name,
                                   "contains \\u0000 (NUL), which a text cannot hold");
              if (unit >= 0xDC00 && unit <= 0xDFFF)
                return problem_at (scanner, escape, !is_name,
                                   "contains \\u%04x, half of a surrogate pair without its "
                                   "first half",
                                   unit);
              if (unit >= 0xD800 && unit <= 0xDBFF)
                {
                  int low = scanner->position + 6 <= scanner->length
                                    && data[scanner->position] == '\\'
                                    && data[scanner->position + 1] == 'u'
                                ? hex_value (data + scanner->position + 2)
                                : -1;

                  if (low < 0xDC00 || low > 0xDFFF)
                    return problem_at (scanner, escape, !is_name,
                                       "contains \\u%04x, half of a surrogate pair without its "
                                       "second half",
                                       unit);
                  scanner->position += 6;
                }
              continue;
            }
          scanner->position += 2;
          continue;
        }
      if (c == 0)
        return problem_at (scanner, scanner->position, !is_name,
                           "contains a NUL byte, which a text cannot hold");
      if (c >= 0x80)
        {
          gunichar character = g_utf8_get_char_validated (data + scanner->position,
                                                          scanner->length - scanner->position);

          if (character == (gunichar) -1 || character == (gunichar) -2)
            return problem_at (scanner, scanner->position, !is_name,
                               "is not valid UTF-8 (byte 0x%02X)", c);
          scanner->position = g_utf8_next_char (data + scanner->position) - data;
          continue;
        }
      scanner->position++;
    }
  /* Unterminated: the parser says so. */
  return NULL;
}

TdJsonProblem *
td_json_guard_check (const char *data, gsize length, guint max_depth)
{
  g_autoptr (GArray) frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  Scanner scanner = { data, length, 0, frames };
  /* The top-level value: begun, and over (json-glib 1.6 leaks what it
   * built when a second value follows the first, as in "1{…}"). */
  gboolean top_begun = FALSE;
  gboolean top_over = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  g_array_set_clear_func (frames, frame_clear);
  while (scanner.position < length)
    {
      char   c = data[scanner.position];
      Frame *top = frames->len > 0 ? &g_array_index (frames, Frame, frames->len - 1) : NULL;

      if (top == NULL)
        {
          gboolean space = c == ' ' || c == '\t' || c == '\n' || c == '\r';

          if (!space && (top_over || (top_begun && (c == '{' || c == '[' || c == '"'))))
            return problem_at (&scanner, scanner.position, FALSE,
                               "unexpected text after the JSON value");
          if (space && top_begun)
            top_over = TRUE;
          if (!space)
            top_begun = TRUE;
        }

      switch (c)
        {
          case '"':
            {
              gboolean       is_name = top != NULL && top->is_object && top->expect_name;
              TdJsonProblem *problem = scan_string (&scanner, is_name);

              if (problem != NULL)
                return problem;
              if (is_name)
                top->expect_name = FALSE;
              if (top == NULL)
                top_over = TRUE;
              continue;
            }
          case '{':
          case '[':
            {
              Frame frame = { c == '{', 0, NULL, c == '{' };

              if (frames->len >= max_depth)
                return problem_at (&scanner, scanner.position, FALSE,
                                   "arrays and objects nest deeper than %u levels", max_depth);
              g_array_append_val (frames, frame);
              break;
            }
          case '}':
          case ']':
            if (frames->len > 0)
              g_array_set_size (frames, frames->len - 1);
            if (frames->len == 0)
              top_over = TRUE;
            break;
          case ',':
            if (top != NULL && top->is_object)
              {
                g_clear_pointer (&top->member, g_free);
                top->expect_name = TRUE;
              }
            else if (top != NULL)
              top->index++;
            break;
          default:
            break;
        }
      scanner.position++;
    }
  return NULL;
}

char *
td_json_to_string (JsonNode *node, gboolean pretty)
{
  g_autofree char *text = json_to_string (node, pretty);
  GString         *strict;

  if (text == NULL || strchr (text, 0x1F) == NULL)
    return g_steal_pointer (&text);
  strict = g_string_sized_new (strlen (text) + 16);
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == 0x1F)
        g_string_append (strict, "\\u001f");
      else
        g_string_append_c (strict, *c);
    }
  return g_string_free (strict, FALSE);
}
