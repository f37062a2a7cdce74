/* test-knowledge-rules.c — the 24-hour "document it" clock and knowledge-base rules [10.2, 3.4]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-knowledge.h"
#include "td-time.h"

#include "td-test-util.h"

#define HOUR ((gint64) 3600)

static TdPolicy *policy;

static void
test_window (void)
{
  /* "Document new issues within 24h" [10.2]. */
  g_assert_cmpint (td_knowledge_documentation_window (policy), ==, 24 * HOUR);
  g_assert_cmpint (td_knowledge_documentation_window (NULL), ==, 24 * HOUR);
}

static void
test_clock_none (void)
{
  TdInstant  resolved = td_test_iso ("2026-03-27T15:00:00Z");
  TdDocClock clock;

  /* Not flagged as new: nothing to document. */
  td_knowledge_documentation_clock (policy, FALSE, resolved, 0, resolved + HOUR, &clock);
  g_assert_cmpint (clock.state, ==, TD_DOC_CLOCK_NONE);
  g_assert_cmpint (clock.due, ==, 0);
  /* Flagged but not resolved yet: the clock starts at resolution. */
  td_knowledge_documentation_clock (policy, TRUE, 0, 0, resolved, &clock);
  g_assert_cmpint (clock.state, ==, TD_DOC_CLOCK_NONE);
}

static void
test_clock_starts_and_runs (void)
{
  TdInstant  resolved = td_test_iso ("2026-03-27T15:00:00Z");
  TdDocClock clock;

  td_knowledge_documentation_clock (policy, TRUE, resolved, 0, resolved, &clock);
  g_assert_cmpint (clock.state, ==, TD_DOC_CLOCK_RUNNING);
  td_test_assert_instant (clock.due, "2026-03-28T15:00:00Z");

  /* Still running at the last second of the window, breached after it. */
  td_knowledge_documentation_clock (policy, TRUE, resolved, 0, resolved + 24 * HOUR, &clock);
  g_assert_cmpint (clock.state, ==, TD_DOC_CLOCK_RUNNING);
  td_knowledge_documentation_clock (policy, TRUE, resolved, 0, resolved + 24 * HOUR + 1, &clock);
  g_assert_cmpint (clock.state, ==, TD_DOC_CLOCK_BREACHED);
  g_assert_cmpint (clock.documented_at, ==, 0);
}

static void
test_clock_stops (void)
{
  TdInstant  resolved = td_test_iso ("2026-03-27T15:00:00Z");
  TdInstant  documented = td_test_iso ("2026-03-28T09:30:00Z");
  TdDocClock clock;

  /* Linking an article stops it: met, and it stays met days later. */
  td_knowledge_documentation_clock (policy, TRUE, resolved, documented, resolved + 72 * HOUR,
                                    &clock);
  g_assert_cmpint (clock.state, ==, TD_DOC_CLOCK_MET);
  g_assert_cmpint (clock.documented_at, ==, documented);

  /* Documented after the window: late is breached, even once stopped. */
  td_knowledge_documentation_clock (policy, TRUE, resolved, resolved + 25 * HOUR,
                                    resolved + 26 * HOUR, &clock);
  g_assert_cmpint (clock.state, ==, TD_DOC_CLOCK_BREACHED);
  g_assert_cmpint (clock.documented_at, ==, resolved + 25 * HOUR);
}

static void
test_resolution_class (void)
{
  g_assert_cmpstr (td_knowledge_resolution_class (TRUE, FALSE), ==, "known_issue_documented");
  /* A linked known issue is documented, whatever the flag says. */
  g_assert_cmpstr (td_knowledge_resolution_class (TRUE, TRUE), ==, "known_issue_documented");
  g_assert_cmpstr (td_knowledge_resolution_class (FALSE, TRUE), ==, "new_issue");
  g_assert_null (td_knowledge_resolution_class (FALSE, FALSE));
}

static void
assert_article_error (const char *title,
                      const char *kind,
                      const char *body,
                      const char *tags,
                      const char *tiers,
                      const char *message)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (td_knowledge_check_article (policy, title, kind, body, tags, tiers, &error));
  g_assert_error (error, TD_KNOWLEDGE_ERROR, TD_KNOWLEDGE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_check_article (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (td_knowledge_check_article (policy, "SSO login loops", "known_issue",
                                             "Users return to the sign-in page.", "[\"sso\"]",
                                             "[1, 2]", &error));
  g_assert_no_error (error);
  g_assert_true (
      td_knowledge_check_article (policy, "Reset a password", "faq", "Steps.", NULL, NULL, NULL));

  assert_article_error ("  ", "faq", "x", NULL, NULL, "title: an article needs a title");
  assert_article_error ("T", "howto", "x", NULL, NULL,
                        "kind: \"howto\" is not a kind of article (expected faq, known_issue or "
                        "runbook)");
  assert_article_error ("T", "faq", "", NULL, NULL, "body: an article needs a body");
  assert_article_error ("T", "faq", "x", "[1]", NULL, "tags: expected an array of strings");
  assert_article_error ("T", "faq", "x", "[\"sso\", \" \"]", NULL,
                        "tags[1]: a tag cannot be empty");
  assert_article_error ("T", "faq", "x", NULL, "[1, 7]",
                        "tiers[1]: unknown tier 7 (the policy has tiers 1 to 4)");
  assert_article_error ("T", "faq", "x", NULL, "{}",
                        "tiers: expected an array of tier levels (integers)");
}

static void
test_fts_query (void)
{
  g_autofree char *one = td_knowledge_fts_query ("grade");
  g_autofree char *two = td_knowledge_fts_query ("  Grade sy");
  g_autofree char *syntax = td_knowledge_fts_query ("sso\" OR NEAR(x");
  g_autofree char *accents = td_knowledge_fts_query ("Noté");

  g_assert_cmpstr (one, ==, "\"grade\"*");
  g_assert_cmpstr (two, ==, "\"Grade\"* \"sy\"*");
  /* Query syntax typed by a person is only text. */
  g_assert_cmpstr (syntax, ==, "\"sso\"* \"OR\"* \"NEAR\"* \"x\"*");
  g_assert_cmpstr (accents, ==, "\"Noté\"*");
  g_assert_null (td_knowledge_fts_query (""));
  g_assert_null (td_knowledge_fts_query (" \"* "));
  g_assert_null (td_knowledge_fts_query (NULL));

  {
    g_autofree char *any = td_knowledge_fts_query_any ("Single sign-on loop in LMS");

    /* Short words ("on", "in") would match nearly everything. */
    g_assert_cmpstr (any, ==, "\"Single\"* OR \"sign\"* OR \"loop\"* OR \"LMS\"*");
    g_assert_null (td_knowledge_fts_query_any ("a b on"));
  }
}

static void
test_kinds (void)
{
  TdArticleKind kind;

  g_assert_true (td_article_kind_from_string ("known_issue", &kind));
  g_assert_cmpint (kind, ==, TD_ARTICLE_KNOWN_ISSUE);
  g_assert_cmpstr (td_article_kind_to_string (TD_ARTICLE_RUNBOOK), ==, "runbook");
  g_assert_false (td_article_kind_from_string ("FAQ", NULL));
}

static void
test_body_markup (void)
{
  g_autofree char *markup = td_knowledge_body_to_markup (
      "# Steps\n- Open **Grades** & then `Export`\n* Re-run\nA 2 * 3 **unpaired");

  g_assert_cmpstr (markup, ==,
                   "<span weight=\"bold\" size=\"large\">Steps</span>\n"
                   "  •  Open <b>Grades</b> &amp; then <tt>Export</tt>\n"
                   "  •  Re-run\n"
                   "A 2 * 3 **unpaired");
}

static void
test_body_plain (void)
{
  g_autofree char *plain = td_knowledge_body_to_plain (
      "- Sign out at `sso.example.com`.\n\n* Clear the **cookies**.\n");

  g_assert_cmpstr (plain, ==, "Sign out at sso.example.com. Clear the cookies.");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  policy = td_test_shipped_policy ();

  g_test_add_func ("/core/knowledge/window", test_window);
  g_test_add_func ("/core/knowledge/clock/none", test_clock_none);
  g_test_add_func ("/core/knowledge/clock/starts-and-runs", test_clock_starts_and_runs);
  g_test_add_func ("/core/knowledge/clock/stops", test_clock_stops);
  g_test_add_func ("/core/knowledge/resolution-class", test_resolution_class);
  g_test_add_func ("/core/knowledge/check-article", test_check_article);
  g_test_add_func ("/core/knowledge/fts-query", test_fts_query);
  g_test_add_func ("/core/knowledge/kinds", test_kinds);
  g_test_add_func ("/core/knowledge/body-markup", test_body_markup);
  g_test_add_func ("/core/knowledge/body-plain", test_body_plain);

  status = g_test_run ();
  g_object_unref (policy);
  return status;
}
