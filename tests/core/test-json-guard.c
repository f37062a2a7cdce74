/* test-json-guard.c — the check every JSON text gets before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "td-json-guard.h"

static TdJsonProblem *
check (const char *text)
{
  return td_json_guard_check (text, strlen (text), TD_JSON_MAX_DEPTH);
}

static void
test_accepts (void)
{
  static const char *const good[] = {
    "{}",
    "[]",
    "\"text\"",
    "42",
    "  {\"a\": [1, 2, {\"b\": \"\\u00e9 \\ud83d\\udd25 \\\\u0000 \\\" ]\"}]}\n",
    "{\"rtl\": \"\xe2\x80\xae\", \"emoji\": \"\xf0\x9f\x94\xa5\"}",
    /* Syntax errors are the parser's to name. */
    "{\"a\": ",
    "[1, 2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (TdJsonProblem) problem = check (good[i]);

      g_test_message ("%s", good[i]);
      g_assert_null (problem);
    }
}

static void
test_depth (void)
{
  g_autoptr (GString) deep = g_string_new ("{\"commands\": ");
  g_autoptr (GString) limit = g_string_new (NULL);
  g_autoptr (TdJsonProblem) problem = NULL;
  g_autoptr (TdJsonProblem) none = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  problem = check (deep->str);
  g_assert_nonnull (problem);
  g_assert_null (problem->field);
  g_assert_cmpstr (problem->message, ==, "arrays and objects nest deeper than 64 levels");
  g_assert_cmpuint (problem->line, ==, 1);
  /* The 65th opening: after `{"commands": ` and 63 brackets. */
  g_assert_cmpuint (problem->column, ==, strlen ("{\"commands\": ") + 64);

  for (guint i = 0; i < TD_JSON_MAX_DEPTH; i++)
    g_string_append_c (limit, '[');
  for (guint i = 0; i < TD_JSON_MAX_DEPTH; i++)
    g_string_append_c (limit, ']');
  none = check (limit->str);
  g_assert_null (none);
}

typedef struct
{
  const char *text;
  const char *field;
  const char *words;
} Refused;

static void
test_refused_named (void)
{
  static const Refused refused[] = {
    { "{\"commands\": [{\"fields\": {\"body\": \"a\\u0000b\"}}]}", "commands[0].fields.body",
      "\\u0000 (NUL)" },
    { "{\"commands\": [{}, {\"fields\": {\"title\": \"\\ud800\"}}]}", "commands[1].fields.title",
      "without its second half" },
    { "{\"a\": {\"b\": [\"x\", \"\\udc00\"]}}", "a.b[1]", "without its first half" },
    { "{\"title\": \"caf\xe9\"}", "title", "not valid UTF-8 (byte 0xE9)" },
    { "[\"ok\", \"\xc0\xaf\"]", "[1]", "not valid UTF-8 (byte 0xC0)" },
    { "{\"p\": \"\\ud83d\\u0041\"}", "p", "without its second half" },
    { "{\"a\": \"\\q\"}", "a", "invalid escape" },
    { "{\"a\": [\"\\u12g4\"]}", "a[0]", "invalid escape" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (TdJsonProblem) problem = check (refused[i].text);
      g_autofree char *shown = g_strescape (refused[i].text, NULL);

      /* Escaped: TAP output must be UTF-8. */
      g_test_message ("%s", shown);
      g_assert_nonnull (problem);
      g_assert_cmpstr (problem->field, ==, refused[i].field);
      g_assert_nonnull (strstr (problem->message, refused[i].words));
    }
  {
    /* A raw NUL inside a string: the length says where the text ends. */
    const char text[] = "{\"a\": \"x\0y\"}";
    g_autoptr (TdJsonProblem) problem
        = td_json_guard_check (text, sizeof text - 1, TD_JSON_MAX_DEPTH);

    g_assert_nonnull (problem);
    g_assert_cmpstr (problem->field, ==, "a");
  }
}

static void
test_bad_escape_in_name (void)
{
  /* Found by fuzzing: json-glib leaked on it. A name is no field. */
  g_autoptr (TdJsonProblem) problem = check ("{\"crron\\udffn\": 1}");

  g_assert_nonnull (problem);
  g_assert_null (problem->field);
  g_assert_cmpstr (problem->message, ==, "contains an invalid escape");
  g_assert_cmpuint (problem->column, ==, 8);
}

static void
test_second_value (void)
{
  static const char *const texts[] = { "1{\"a\": 1}", "{} {}", "[] 1", "\"a\" \"b\"", "1 2" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (TdJsonProblem) problem = check (texts[i]);

      g_test_message ("%s", texts[i]);
      g_assert_nonnull (problem);
      g_assert_cmpstr (problem->message, ==, "unexpected text after the JSON value");
    }
}

static void
test_to_string_strict (void)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  json_node_set_string (node, "unit\x1fseparator\x01 and \xf0\x9f\x94\xa5");
  text = td_json_to_string (node, FALSE);
  for (const char *c = text; *c != '\0'; c++)
    g_assert_cmpint ((guchar) *c, >=, 0x20);
  g_assert_nonnull (strstr (text, "\\u001f"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  g_assert_cmpstr (json_node_get_string (json_parser_get_root (parser)), ==,
                   "unit\x1fseparator\x01 and \xf0\x9f\x94\xa5");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/json-guard/accepts", test_accepts);
  g_test_add_func ("/core/json-guard/depth", test_depth);
  g_test_add_func ("/core/json-guard/refused-named", test_refused_named);
  g_test_add_func ("/core/json-guard/bad-escape-in-name", test_bad_escape_in_name);
  g_test_add_func ("/core/json-guard/second-value", test_second_value);
  g_test_add_func ("/core/json-guard/to-string-strict", test_to_string_strict);

  return g_test_run ();
}
