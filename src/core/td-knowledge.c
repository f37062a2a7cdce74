/* td-knowledge.c — knowledge-base rules: article kinds and checks, the
 * 24-hour "document it" clock [10.2], resolution classes, search queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server applies these when it stores an article or resolves a ticket,
 * and the app shows the same answers offline.
 */
#include "td-knowledge.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* clang-format off */
G_DEFINE_QUARK (td-knowledge-error-quark, td_knowledge_error)
/* clang-format on */

#define DEFAULT_WINDOW (24 * 60 * 60)
#define BUSINESS_DAY   (24 * 60 * 60)

static const char *const kind_ids[] = {
  [TD_ARTICLE_FAQ] = TD_ARTICLE_KIND_FAQ,
  [TD_ARTICLE_KNOWN_ISSUE] = TD_ARTICLE_KIND_KNOWN_ISSUE,
  [TD_ARTICLE_RUNBOOK] = TD_ARTICLE_KIND_RUNBOOK,
};

static JsonNode *
parse_json (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  /* json_node_init_array() takes a reference of its own. */
  if (json == NULL || *json == '\0')
    {
      g_autoptr (JsonArray) empty = json_array_new ();
      return json_node_init_array (json_node_alloc (), empty);
    }
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

gboolean
td_article_kind_from_string (const char *id, TdArticleKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_ids); i++)
    if (g_strcmp0 (id, kind_ids[i]) == 0)
      {
        if (out != NULL)
          *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
td_article_kind_to_string (TdArticleKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_ids), NULL);
  return kind_ids[kind];
}

static const TdQualityStandard *
find_standard (TdPolicy *policy, const char *id)
{
  GPtrArray *standards = policy != NULL ? td_policy_get_quality_standards (policy) : NULL;

  for (guint i = 0; standards != NULL && i < standards->len; i++)
    {
      const TdQualityStandard *standard = g_ptr_array_index (standards, i);

      if (g_strcmp0 (standard->id, id) == 0)
        return standard;
    }
  return NULL;
}

gint64
td_knowledge_documentation_window (TdPolicy *policy)
{
  const TdQualityStandard *standard = find_standard (policy, TD_STANDARD_KNOWLEDGE_UPDATES);

  /* The standard is about elapsed time ("within 24h"), so a business day
   * here is a day on the clock, not a working day of some calendar. */
  if (standard == NULL || !standard->has_within || td_duration_is_zero (&standard->within))
    return DEFAULT_WINDOW;
  return standard->within.seconds + standard->within.business_days * BUSINESS_DAY;
}

void
td_knowledge_documentation_clock (TdPolicy   *policy,
                                  gboolean    new_issue,
                                  TdInstant   resolved_at,
                                  TdInstant   documented_at,
                                  TdInstant   now,
                                  TdDocClock *out)
{
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  if (!new_issue || resolved_at <= 0)
    return;

  out->due = resolved_at + td_knowledge_documentation_window (policy);
  out->documented_at = MAX (documented_at, 0);
  if (documented_at > 0)
    out->state = documented_at <= out->due ? TD_DOC_CLOCK_MET : TD_DOC_CLOCK_BREACHED;
  else
    out->state = now <= out->due ? TD_DOC_CLOCK_RUNNING : TD_DOC_CLOCK_BREACHED;
}

const char *
td_knowledge_resolution_class (gboolean linked_known_issue, gboolean new_issue)
{
  if (linked_known_issue)
    return TD_RESOLUTION_KNOWN_ISSUE;
  if (new_issue)
    return TD_RESOLUTION_NEW_ISSUE;
  return NULL;
}

GStrv
td_knowledge_parse_strings (const char *json)
{
  g_autoptr (JsonNode) root = parse_json (json);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

GArray *
td_knowledge_parse_ints (const char *json)
{
  g_autoptr (JsonNode) root = parse_json (json);
  g_autoptr (GArray) ints = g_array_new (FALSE, FALSE, sizeof (int));
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      int       value;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64)
        return NULL;
      value = json_node_get_int (item);
      g_array_append_val (ints, value);
    }
  return g_steal_pointer (&ints);
}

gboolean
td_knowledge_check_article (TdPolicy   *policy,
                            const char *title,
                            const char *kind,
                            const char *body,
                            const char *tags_json,
                            const char *tiers_json,
                            GError    **error)
{
  g_auto (GStrv) tags = NULL;
  g_autoptr (GArray) tiers = NULL;
  g_autofree char *stripped_title = g_strstrip (g_strdup (title != NULL ? title : ""));

  if (*stripped_title == '\0')
    {
      g_set_error_literal (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID,
                           "title: an article needs a title");
      return FALSE;
    }
  if (!td_article_kind_from_string (kind, NULL))
    {
      g_set_error (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID,
                   "kind: \"%s\" is not a kind of article (expected faq, known_issue or runbook)",
                   kind != NULL ? kind : "");
      return FALSE;
    }
  if (body == NULL || *body == '\0')
    {
      g_set_error_literal (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID,
                           "body: an article needs a body");
      return FALSE;
    }
  tags = td_knowledge_parse_strings (tags_json);
  if (tags == NULL)
    {
      g_set_error_literal (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID,
                           "tags: expected an array of strings");
      return FALSE;
    }
  for (guint i = 0; tags[i] != NULL; i++)
    if (*g_strstrip (tags[i]) == '\0')
      {
        g_set_error (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID,
                     "tags[%u]: a tag cannot be empty", i);
        return FALSE;
      }
  tiers = td_knowledge_parse_ints (tiers_json);
  if (tiers == NULL)
    {
      g_set_error_literal (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID,
                           "tiers: expected an array of tier levels (integers)");
      return FALSE;
    }
  for (guint i = 0; policy != NULL && i < tiers->len; i++)
    {
      int level = g_array_index (tiers, int, i);

      if (td_policy_get_tier (policy, level) == NULL)
        {
          g_set_error (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID,
                       "tiers[%u]: unknown tier %d (the policy has tiers 1 to %d)", i, level,
                       td_policy_get_max_tier (policy));
          return FALSE;
        }
    }
  return TRUE;
}

/* Words are runs of letters and digits: everything else, FTS5's quotes
 * and operators included, only separates them, so nothing typed can be
 * read as query syntax. */
static char *
fts_words (const char *text, const char *separator, guint min_length)
{
  g_autoptr (GString) query = g_string_new (NULL);
  const char *p = text;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start && g_utf8_strlen (start, p - start) >= min_length)
        {
          if (query->len > 0)
            g_string_append (query, separator);
          g_string_append_c (query, '"');
          g_string_append_len (query, start, p - start);
          g_string_append (query, "\"*");
        }
    }
  return query->len > 0 ? g_string_free (g_steal_pointer (&query), FALSE) : NULL;
}

char *
td_knowledge_fts_query (const char *text)
{
  return fts_words (text, " ", 1);
}

char *
td_knowledge_fts_query_any (const char *text)
{
  return fts_words (text, " OR ", 3);
}

/* Replaces each pair of @marker in an escaped line with @open … @close; an
 * unpaired marker stays as typed. */
static char *
replace_pairs (const char *line, const char *marker, const char *open, const char *close)
{
  g_autoptr (GString) out = g_string_new (NULL);
  gsize       marker_len = strlen (marker);
  const char *p = line;

  while (*p != '\0')
    {
      const char *start = strstr (p, marker);
      const char *end = start != NULL ? strstr (start + marker_len, marker) : NULL;

      if (start == NULL || end == NULL || end == start + marker_len)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, start - p);
      g_string_append (out, open);
      g_string_append_len (out, start + marker_len, end - start - marker_len);
      g_string_append (out, close);
      p = end + marker_len;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
td_knowledge_body_to_markup (const char *body)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (body != NULL ? body : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char      *line = lines[i];
      gboolean         heading = g_str_has_prefix (line, "# ");
      gboolean         bullet = g_str_has_prefix (line, "- ") || g_str_has_prefix (line, "* ");
      g_autofree char *escaped = g_markup_escape_text (heading || bullet ? line + 2 : line, -1);
      g_autofree char *bold = replace_pairs (escaped, "**", "<b>", "</b>");
      g_autofree char *code = replace_pairs (bold, "`", "<tt>", "</tt>");

      if (i > 0)
        g_string_append_c (out, '\n');
      if (heading)
        g_string_append_printf (out, "<span weight=\"bold\" size=\"large\">%s</span>", code);
      else if (bullet)
        g_string_append_printf (out, "  •  %s", code);
      else
        g_string_append (out, code);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
td_knowledge_body_to_plain (const char *body)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (body != NULL ? body : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char            *line = g_strstrip (lines[i]);
      g_autofree char *bold = NULL;
      g_autofree char *code = NULL;

      if (g_str_has_prefix (line, "# ") || g_str_has_prefix (line, "- ")
          || g_str_has_prefix (line, "* "))
        line = g_strchug (line + 2);
      if (*line == '\0')
        continue;
      bold = replace_pairs (line, "**", "", "");
      code = replace_pairs (bold, "`", "", "");
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, code);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
