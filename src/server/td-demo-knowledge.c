/* td-demo-knowledge.c — the demo data's knowledge base, post-incident reviews and changes
 *
 * Real support content for the Leave Management System the demo tickets are
 * about, so a new user sees the Knowledge page, the documentation clock and
 * the reviews working: FAQ for Tier 1 [3.2], known issues with their
 * workarounds [3.3], runbooks for Tier 2 and 3, reviews of resolved
 * SEV-1/2 incidents in each status [10.2], and the production changes
 * behind the Change Success Rate [10.1].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "td-demo-data.h"
#include "td-demo-knowledge.h"
#include "td-change.h"
#include "td-pir.h"

#define DAY (24 * 60 * 60)

typedef sqlite3_stmt Statement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, sqlite3_finalize)

typedef struct
{
  const char *kind;
  const char *status;
  const char *title;
  const char *body;
  const char *workaround;
  const char *tags;  /* JSON */
  const char *tiers; /* JSON */
  const char *author;
  /* Demo tickets this article answers: SQL LIKE patterns on the title. */
  const char *tickets;
  /* Days before now it was written; a second version a day later. */
  int      age_days;
  gboolean revised;
} DemoArticle;

static const DemoArticle articles[] = {
  { "faq", "published", "Reset a forgotten LMS password",
    "# When to use\nThe user cannot sign in and single sign-on is not in use for their account "
    "(contractors and agency staff).\n\n# Steps\n- Ask the user to choose **Forgot password** on "
    "the sign-in page and enter their work email.\n- The reset email comes from "
    "`no-reply@lms.example.com` within 5 minutes; ask them to check the junk folder.\n- If it "
    "does not arrive, check in the LMS Admin Console (Users > the user > Security) that the "
    "email address is right, then send the reset from there.\n- After 5 failed attempts the "
    "account locks for 30 minutes; unlock it from the same screen.\n\nPasswords need 12 "
    "characters and cannot repeat the last 5 (error PWD-112).",
    NULL, "[\"password\", \"login\", \"account\"]", "[1]", "analyst",
    "Password reset email%|Locked out of LMS%|New password refused%", 120, TRUE },
  { "faq", "published", "Cancel an approved leave request",
    "An employee can cancel approved leave that has not started: **My leave > the request > "
    "Cancel request**. The days return to the balance at once and the approver is told.\n\n"
    "Leave that has started (or is in the past) can only be cancelled by the line manager or HR "
    "from **Team leave**, because payroll may already have used it.\n\n- If the balance does not "
    "go back up, check the request's history for a payroll lock and escalate to Tier 2 as a "
    "balance discrepancy.",
    NULL, "[\"leave request\", \"balance\"]", "[1]", "analyst", "How do I cancel%", 200, FALSE },
  { "faq", "published", "Delegate approvals while you are on leave",
    "Managers set a delegate under **Profile > Delegation**: choose the colleague and the dates. "
    "Requests submitted in that window go to the delegate; requests already waiting stay with "
    "the manager unless **Move waiting requests** is ticked.\n\nThe delegate sees them under "
    "**Approvals > Delegated to me**. If they do not, see the known issue about delegated "
    "approvers.",
    NULL, "[\"approvals\", \"delegation\"]", "[1]", "lead", "How to delegate approvals%", 160,
    FALSE },
  { "faq", "published", "Attach a fit note to a sick leave request",
    "Open the sick leave request, choose **Add document**, and upload a PDF, JPG or PNG up to "
    "10 MB. A fit note is required for absences of more than 7 calendar days.\n\nHR sees the "
    "document; the line manager sees only that one is attached.",
    NULL, "[\"sick leave\", \"documents\"]", "[1]", "analyst", "How to attach a fit note%", 90,
    FALSE },
  { "faq", "published", "How carry-over works at the end of the leave year",
    "Unused annual leave carries over up to the cap of the employee's leave policy (5 days by "
    "default) on the first day of the new leave year. The carry-over appears as a separate line "
    "in **My leave > Balance** and expires after 3 months unless HR extends it.\n\n- Part-time "
    "staff carry over pro rata.\n- A balance lower than expected after the year end is a "
    "balance discrepancy: collect the employee id, the expected and shown figures, and "
    "escalate to Tier 2.",
    NULL, "[\"carry-over\", \"balance\"]", "[1, 2]", "lead",
    "Question about carrying over%|Carry-over from%", 240, TRUE },
  { "faq", "published", "When does a TOIL balance update?",
    "Time off in lieu is added when the manager approves the overtime claim, not when it is "
    "submitted. The balance updates within 15 minutes of approval; the nightly job corrects "
    "anything missed.",
    NULL, "[\"toil\", \"balance\"]", "[1]", "analyst", "When will my TOIL balance%", 60, FALSE },
  { "known_issue", "published", "Single sign-on loops back to the sign-in page",
    "Since the identity provider's certificate rotation, some browsers keep an old LMS session "
    "cookie. The LMS rejects it and sends the user back to single sign-on, which signs them in "
    "again and returns them to the LMS: the page reloads in a loop.\n\nAffects mostly Safari "
    "and Edge with the LMS pinned as a tab. Engineering is changing the cookie name so old "
    "cookies are ignored (ENG-2291).",
    "- Ask the user to sign out of single sign-on at `sso.example.com/logout`.\n- Clear the "
    "cookies for `lms.example.com` (or open a private window).\n- Open the LMS again from the "
    "intranet link, not an old bookmark.\n\nIf the loop continues in a private window, it is "
    "not this issue: escalate to Tier 2.",
    "[\"sso\", \"login\", \"browser\"]", "[1, 2]", "lead", "Single sign-on loop%", 45, TRUE },
  { "known_issue", "published", "Half-day request counted as a full day in the mobile app",
    "In mobile app 4.2, a half-day request submitted from the app is saved as a full day. The "
    "web version is not affected. Fixed in app version 4.3 (in store review).",
    "- Cancel the wrong request in the web version and submit it again there as a half day.\n- "
    "If it was already approved, the manager cancels it from **Team leave** and the employee "
    "resubmits; the balance corrects itself.",
    "[\"mobile app\", \"half day\", \"balance\"]", "[1]", "lead", "Half-day request counted%", 30,
    FALSE },
  { "known_issue", "published", "Approval email links open the training environment",
    "Approval emails sent between 02:00 and 06:00 link to `lms-training.example.com` because "
    "the night job reads the wrong base URL. Approving there changes nothing in production.",
    "- Approve from **Approvals** in the LMS itself, or from the email sent after 06:00.\n- Tell "
    "the manager that an approval made in the training environment did not count.",
    "[\"approvals\", \"email\"]", "[1]", "analyst", "Approval email links%", 20, FALSE },
  { "known_issue", "published", "Team calendar shows an empty week view",
    "The team calendar's week view is empty when a saved filter names a department that was "
    "renamed. Month view is not affected.",
    "- Open **Filters** on the team calendar and choose **Reset filters**, then select the "
    "department again.",
    "[\"team calendar\"]", "[1]", "analyst", "Team calendar shows an empty%", 75, FALSE },
  { "known_issue", "published", "Payroll connector rejects names with accents",
    "The payroll export fails for employees whose names contain accented letters (for example "
    "Zoë, Núñez) with `UnicodeEncodeError: 'latin-1' codec`. The whole export stops at the "
    "first such record.",
    "- Tier 2: in **Admin > Integrations > Payroll**, run the export with **Skip failing "
    "records**, then send the skipped records to payroll by the secure file drop.\n- Link the "
    "ticket to ENG-2310, which switches the export to UTF-8.",
    "[\"payroll\", \"integration\"]", "[2, 3]", "engineer", "Payroll connector fails on names%", 50,
    FALSE },
  { "known_issue", "draft", "Approvals routed to a former line manager",
    "When an employee changes manager in the HRIS, requests already waiting stay with the old "
    "manager. New requests go to the new one after the nightly HRIS import.",
    "- Tier 2 reassigns waiting requests from **Admin > Approvals > Reassign**.",
    "[\"approvals\", \"hris\"]", "[1, 2]", "analyst", "Approvals routed to a former%", 3, FALSE },
  { "runbook", "published", "Payroll sync did not run overnight: check, re-run, verify",
    "# Check\n- **Admin > Integrations > Payroll**: the last run's status and its log.\n- APM: "
    "the `payroll-sync` job's last start; a missing start means the scheduler did not fire.\n\n"
    "# Re-run\n- Before 10:00 on a working day, choose **Run now**. Later than that, agree a "
    "time with payroll first: they may already be processing.\n- Watch the run to the end "
    "(about 12 minutes for 8,000 employees).\n\n# Verify\n- The run reports the same number of "
    "records as yesterday plus new starters.\n- Ask payroll to confirm receipt, and post an "
    "update on the ticket.\n\nIf it fails twice, escalate to Tier 3 with the log excerpt.",
    NULL, "[\"payroll\", \"integration\", \"runbook\"]", "[2]", "lead",
    "Payroll sync did not run%|Payroll export rejected%", 110, TRUE },
  { "runbook", "published", "New starters missing from the HRIS import",
    "# Check\n- The HRIS import log (**Admin > Integrations > HRIS**) for rejected records.\n- "
    "The usual cause is a start date in the future beyond 60 days, or a missing manager.\n\n"
    "# Fix\n- For a missing manager, ask HR to complete the record in the HRIS; the next import "
    "picks it up.\n- To import now, run **Import single employee** with the employee id.\n\n"
    "# Tell\n- Post an update to the requester with the expected date.",
    NULL, "[\"hris\", \"integration\", \"new starter\"]", "[2]", "lead", "New starters from HRIS%",
    80, FALSE },
  { "runbook", "published", "LMS unavailable for all users (SEV-1): the first 15 minutes",
    "# 0–5 minutes\n- Confirm from two networks that the LMS is down; check the status page and "
    "APM.\n- Declare SEV-1, page the Tier 3 on-call engineer and the incident commander "
    "(PagerDuty).\n\n# 5–15 minutes\n- Post the first user update: what is affected, that we "
    "are working on it, the next update time (every 30 minutes [5.5]).\n- Check the last "
    "deployment and the database health; roll back a deployment from the last 2 hours.\n- Tell "
    "payroll if the outage may delay the sync.\n\n# After\n- Resolve with the cause, and book "
    "the post-incident review within 5 days.",
    NULL, "[\"outage\", \"sev-1\", \"incident\"]", "[2, 3]", "engineer",
    "LMS unavailable for all users%|LMS pages take over%", 180, TRUE },
  { "runbook", "published", "Add next year's bank holidays for a region",
    "- In **Admin > Calendars**, open the region's calendar and choose **Import holidays**.\n- "
    "Use the government source for the region; check substitute days.\n- Preview the effect on "
    "booked leave: requests that now include a holiday are reduced automatically and the "
    "employees are emailed.\n- Ask a second Tier 2 analyst to check the list before saving.",
    NULL, "[\"calendar\", \"configuration\"]", "[2]", "lead", "Add the % bank holidays%", 140,
    FALSE },
};

typedef struct
{
  sqlite3  *db;
  TdPolicy *policy;
  gint64    now;
  gint64   *rev;
} Writer;

static gboolean
sqlite_error (Writer *writer, const char *what, GError **error)
{
  g_set_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE, "%s: %s", what,
               sqlite3_errmsg (writer->db));
  return FALSE;
}

/* A uuid made from @seed, so the same demo data has the same ids. */
static char *
stable_uuid (const char *kind, const char *seed)
{
  g_autofree char *input = g_strconcat (kind, ":", seed, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, input, -1);

  return g_strdup_printf ("%.8s-%.4s-5%.3s-8%.3s-%.12s", hash, hash + 8, hash + 13, hash + 17,
                          hash + 20);
}

/* JSON as the server writes it (compact), so a pulled row's text matches
 * the store's byte for byte. */
static char *
compact_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_error ("demo article JSON does not parse: %s", text);
  return json_to_string (json_parser_get_root (parser), FALSE);
}

static gint64
next_rev (Writer *writer)
{
  return ++*writer->rev;
}

static gboolean
run (Writer *writer, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_error (writer, what, error);
  return TRUE;
}

static gboolean
prepare (Writer *writer, const char *sql, sqlite3_stmt **stmt, GError **error)
{
  if (sqlite3_prepare_v2 (writer->db, sql, -1, stmt, NULL) != SQLITE_OK)
    return sqlite_error (writer, "could not prepare the knowledge base SQL", error);
  return TRUE;
}

static gboolean
insert_revision (Writer            *writer,
                 const DemoArticle *article,
                 const char        *uuid,
                 int                number,
                 const char        *status,
                 gint64             at,
                 GError           **error)
{
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *seed = g_strdup_printf ("%s/%d", uuid, number);
  g_autofree char *revision = stable_uuid ("article_revision", seed);

  if (!prepare (writer,
                "INSERT INTO article_revision (uuid, rev, article, number, title, kind, status, "
                "body, workaround, tags, tiers, author, at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, revision, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_rev (writer));
  sqlite3_bind_text (stmt, 3, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, number);
  sqlite3_bind_text (stmt, 5, article->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, article->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, article->body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, article->workaround, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, compact_json (article->tags), -1, g_free);
  sqlite3_bind_text (stmt, 11, compact_json (article->tiers), -1, g_free);
  /* A draft is published by a lead, as the policy requires. */
  sqlite3_bind_text (stmt, 12,
                     number > 1 && g_str_equal (status, "published") ? "lead" : article->author, -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 13, at);
  return run (writer, stmt, "could not insert an article version", error);
}

/* Resolved or closed tickets whose title matches one of @patterns, oldest
 * resolution first. */
static GPtrArray *
matching_tickets (Writer *writer, const char *patterns, guint limit)
{
  GPtrArray *uuids = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = g_strsplit (patterns, "|", -1);

  for (guint i = 0; parts[i] != NULL && uuids->len < limit; i++)
    {
      g_autoptr (Statement) stmt = NULL;

      if (sqlite3_prepare_v2 (writer->db,
                              "SELECT uuid FROM ticket WHERE title LIKE ?1 AND resolved_at IS NOT "
                              "NULL ORDER BY resolved_at, uuid LIMIT ?2",
                              -1, &stmt, NULL)
          != SQLITE_OK)
        break;
      sqlite3_bind_text (stmt, 1, parts[i], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, limit - uuids->len);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (uuids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  return uuids;
}

/* The tickets were written in this same transaction and no client has
 * seen them, so they keep their revision: the feed stays gapless. */
static gboolean
update_ticket (Writer     *writer,
               const char *ticket,
               const char *resolution_class,
               gboolean    new_issue,
               gint64      documented_at,
               GError    **error)
{
  g_autoptr (Statement) stmt = NULL;

  if (!prepare (writer,
                "UPDATE ticket SET resolution_class = ?3, new_issue = ?4, "
                "documented_at = CASE WHEN ?5 > 0 THEN max (?5, resolved_at + 3600) END "
                "WHERE uuid = ?1",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, resolution_class, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, new_issue);
  sqlite3_bind_int64 (stmt, 5, documented_at);
  return run (writer, stmt, "could not class a ticket's resolution", error);
}

static gboolean
insert_link (Writer *writer, const char *article, const char *ticket, GError **error)
{
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *seed = g_strconcat (article, "/", ticket, NULL);
  g_autofree char *uuid = stable_uuid ("article_link", seed);

  if (!prepare (writer,
                "INSERT INTO article_link (uuid, rev, article, ticket, created_by, created_at) "
                "SELECT ?1, ?2, ?3, uuid, 'analyst', coalesce (resolved_at, created_at) "
                "FROM ticket WHERE uuid = ?4",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_rev (writer));
  sqlite3_bind_text (stmt, 3, article, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, ticket, -1, SQLITE_STATIC);
  return run (writer, stmt, "could not link an article", error);
}

static gboolean
insert_articles (Writer *writer, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (articles); i++)
    {
      const DemoArticle *article = &articles[i];
      g_autofree char   *uuid = stable_uuid ("article", article->title);
      g_autoptr (Statement) stmt = NULL;
      g_autoptr (GPtrArray) tickets = NULL;
      gint64   created = writer->now - (gint64) article->age_days * DAY;
      gint64   updated = article->revised ? created + DAY : created;
      gboolean known_issue = g_str_equal (article->kind, "known_issue");

      if (!prepare (writer,
                    "INSERT INTO article (uuid, rev, title, kind, status, body, workaround, tags, "
                    "tiers, author, reviewed_on, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
                    "?5, ?6, ?7, ?8, ?9, ?10, date (?11, 'unixepoch'), ?12, ?13)",
                    &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, next_rev (writer));
      sqlite3_bind_text (stmt, 3, article->title, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, article->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, article->status, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, article->body, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, article->workaround, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, compact_json (article->tags), -1, g_free);
      sqlite3_bind_text (stmt, 9, compact_json (article->tiers), -1, g_free);
      sqlite3_bind_text (stmt, 10, article->author, -1, SQLITE_STATIC);
      if (g_str_equal (article->status, "published"))
        sqlite3_bind_int64 (stmt, 11, updated);
      sqlite3_bind_int64 (stmt, 12, created);
      sqlite3_bind_int64 (stmt, 13, updated);
      if (!run (writer, stmt, "could not insert an article", error))
        return FALSE;

      /* Written as a draft, published the next day; or written once. */
      if (article->revised)
        {
          if (!insert_revision (writer, article, uuid, 1, "draft", created, error)
              || !insert_revision (writer, article, uuid, 2, article->status, updated, error))
            return FALSE;
        }
      else if (!insert_revision (writer, article, uuid, 1, article->status, created, error))
        return FALSE;

      tickets = matching_tickets (writer, article->tickets, 3);
      for (guint j = 0; j < tickets->len; j++)
        {
          const char *ticket = g_ptr_array_index (tickets, j);

          if (!insert_link (writer, uuid, ticket, error))
            return FALSE;
          /* A published known issue resolved these tickets [3.4]; the
           * draft documents a new issue written up after the fact. */
          if (known_issue && g_str_equal (article->status, "published")
              && !update_ticket (writer, ticket, "known_issue_documented", FALSE, 0, error))
            return FALSE;
          if (known_issue && !g_str_equal (article->status, "published")
              && !update_ticket (writer, ticket, "new_issue", TRUE, writer->now - DAY, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* New issues nobody has documented yet: the 24-hour clock runs (or has
 * run out) on these [10.2]. */
static gboolean
flag_new_issues (Writer *writer, GError **error)
{
  g_autoptr (GPtrArray) tickets = matching_tickets (
      writer, "Delegated approver cannot see%|Reminder emails not sent%|Date picker does not open%",
      4);

  for (guint i = 0; i < tickets->len; i++)
    if (!update_ticket (writer, g_ptr_array_index (tickets, i), "new_issue", TRUE, 0, error))
      return FALSE;
  return TRUE;
}

/* Reviews */

typedef struct
{
  const char *title;
  const char *root_cause;
  const char *factors;
  /* "text|days after resolution due|done" per action, ";" between. */
  const char *actions;
} DemoReview;

static const DemoReview reviews[] = {
  { "Payroll connector certificate expired",
    "The payroll connector's client certificate expired. Its expiry date was recorded only in "
    "the vendor's portal, so no alert fired before the connection started failing.",
    "The certificate was issued for two years and its owner had left the team; the connection "
    "test in the admin console was not run after the last renewal reminder was sent to a "
    "shared mailbox nobody reads.",
    "Add every integration certificate to the DevOps expiry monitoring|3|1;"
    "Move renewal reminders from the shared mailbox to the on-call rota|7|1;"
    "Runbook: renewing the payroll connector certificate|10|1" },
  { "Payroll connector fails on names with accents",
    "The payroll export encoded names as Latin-1, which cannot hold every letter in the names "
    "HR now records; the first such name stopped the whole export.",
    "The payroll provider's file format had accepted UTF-8 for a year, but the connector was "
    "never updated; the test data had no accented names.",
    "Write the export as UTF-8, as agreed with the payroll provider|4|1;"
    "Add accented and non-Latin names to the integration test data|9|1" },
  { "Payroll sync did not run overnight",
    "The scheduler host was patched and rebooted at 01:55; the 02:00 payroll sync was missed "
    "because the scheduler does not run jobs whose start time passed while it was down.",
    "Patching windows were not checked against the job schedule, and no alert fires when the "
    "sync does not start.",
    "Alert when the payroll sync has not started by 02:15|2|1;"
    "Move the patch window to 04:00, after the sync|6|1" },
  { "LMS unavailable for all users",
    "A database connection pool limit lowered in the 5.8 release was exhausted at the 09:00 "
    "peak; every request waited for a connection and timed out.",
    "The load test for 5.8 ran with half the production users; the change was not called out "
    "in the release notes, so the on-call engineer did not suspect it.",
    "Restore the pool limit and add an APM alert at 80% use|1|1;"
    "Load-test releases at production peak volume|14|0;"
    "Release notes list configuration changes|21|0" },
  { "Deadlocks when approving leave requests",
    "Approving two requests of the same employee at once locked the balance and request rows "
    "in opposite orders.",
    "Bulk approval in the new manager dashboard made concurrent approvals common.",
    "Lock rows in one order in every approval path|5|1;"
    "Add a concurrency test for bulk approval|12|0" },
  { "Leave request API returns HTTP 500 for approvers", NULL, NULL, NULL },
  { "Session token visible in the URL after single sign-on", NULL, NULL, NULL },
  { "Accrual job fails for employees with mid-year contract changes", NULL, NULL, NULL },
};

static JsonNode *
participants_for (Writer *writer, const char *ticket, gboolean held, guint skip)
{
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  guint n = 0;

  sqlite3_prepare_v2 (writer->db,
                      "SELECT uuid, name FROM person WHERE deleted = 0 AND uuid IN ("
                      " SELECT owner FROM ticket WHERE uuid = ?1"
                      " UNION SELECT author FROM ticket_event WHERE ticket = ?1)"
                      " ORDER BY name, uuid",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, ticket, -1, SQLITE_STATIC);
  json_builder_begin_array (builder);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "person");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "attended");
      /* One of them missed it: participation is tracked per person. */
      json_builder_add_boolean_value (builder, held && n != skip);
      json_builder_end_object (builder);
      n++;
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
timeline_for (Writer *writer, const char *ticket)
{
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (GPtrArray) events
      = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  sqlite3_prepare_v2 (writer->db,
                      "SELECT e.at, e.rev, e.kind, coalesce (p.name, e.author), e.body, e.data "
                      "FROM ticket_event e LEFT JOIN person p ON p.uuid = e.author "
                      "WHERE e.ticket = ?1",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, ticket, -1, SQLITE_STATIC);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *event = json_object_new ();

      json_object_set_int_member (event, "at", sqlite3_column_int64 (stmt, 0));
      json_object_set_int_member (event, "rev", sqlite3_column_int64 (stmt, 1));
      json_object_set_string_member (event, "kind", (const char *) sqlite3_column_text (stmt, 2));
      json_object_set_string_member (event, "author", (const char *) sqlite3_column_text (stmt, 3));
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        json_object_set_string_member (event, "body", (const char *) sqlite3_column_text (stmt, 4));
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        json_object_set_string_member (event, "data", (const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (events, event);
    }
  return td_pir_timeline_from_events (events);
}

static JsonNode *
actions_for (Writer *writer, const DemoReview *review, const char *ticket, gint64 resolved_at)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_auto (GStrv) actions = g_strsplit (review->actions != NULL ? review->actions : "", ";", -1);
  g_autoptr (Statement) owner = NULL;
  g_autofree char *owner_id = NULL;

  /* Actions belong to whoever owned the incident. */
  sqlite3_prepare_v2 (writer->db, "SELECT owner FROM ticket WHERE uuid = ?1", -1, &owner, NULL);
  sqlite3_bind_text (owner, 1, ticket, -1, SQLITE_STATIC);
  if (owner != NULL && sqlite3_step (owner) == SQLITE_ROW && sqlite3_column_text (owner, 0) != NULL)
    owner_id = g_strdup ((const char *) sqlite3_column_text (owner, 0));

  json_builder_begin_array (builder);
  for (guint i = 0; actions[i] != NULL && *actions[i] != '\0'; i++)
    {
      g_auto (GStrv) parts = g_strsplit (actions[i], "|", 3);
      g_autoptr (GDateTime) due = g_date_time_new_from_unix_utc (
          resolved_at + g_ascii_strtoll (parts[1], NULL, 10) * DAY);
      g_autofree char *due_text = g_date_time_format (due, "%Y-%m-%d");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, parts[0]);
      json_builder_set_member_name (builder, "owner");
      json_builder_add_string_value (builder, owner_id != NULL ? owner_id : "");
      json_builder_set_member_name (builder, "due");
      json_builder_add_string_value (builder, due_text);
      json_builder_set_member_name (builder, "done");
      json_builder_add_boolean_value (builder, g_str_equal (parts[2], "1"));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static gboolean
insert_review (Writer           *writer,
               const DemoReview *review,
               const char       *ticket,
               gint64            resolved_at,
               GError          **error)
{
  g_autoptr (Statement) stmt = NULL;
  g_autofree char *uuid = stable_uuid ("pir", ticket);
  gboolean         held = review->root_cause != NULL;
  g_autoptr (JsonNode) participants = participants_for (writer, ticket, held, 1);
  g_autoptr (JsonNode) timeline = timeline_for (writer, ticket);
  g_autoptr (JsonNode) actions = actions_for (writer, review, ticket, resolved_at);
  g_autofree char *participants_text = json_to_string (participants, FALSE);
  g_autofree char *timeline_text = json_to_string (timeline, FALSE);
  g_autofree char *actions_text = json_to_string (actions, FALSE);
  JsonArray       *action_array = json_node_get_array (actions);
  gboolean         all_done = TRUE;
  const char      *status = "scheduled";

  for (guint i = 0; i < json_array_get_length (action_array); i++)
    all_done = all_done
               && json_object_get_boolean_member (json_array_get_object_element (action_array, i),
                                                  "done");
  if (held)
    status = all_done ? "closed" : "actions_open";

  if (!prepare (writer,
                "INSERT INTO pir (uuid, rev, ticket, status, due_at, scheduled_at, held_at, "
                "participants, timeline, root_cause, contributing_factors, actions, created_at, "
                "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_rev (writer));
  sqlite3_bind_text (stmt, 3, ticket, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, td_pir_due (writer->policy, resolved_at));
  /* Booked for the third day after the incident, at 14:00 UTC. */
  sqlite3_bind_int64 (stmt, 6, (resolved_at / DAY + 3) * DAY + 14 * 3600);
  if (held)
    sqlite3_bind_int64 (stmt, 7, (resolved_at / DAY + 3) * DAY + 14 * 3600);
  sqlite3_bind_text (stmt, 8, participants_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, timeline_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, review->root_cause, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, review->factors, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, actions_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 13, resolved_at);
  sqlite3_bind_int64 (stmt, 14, held ? (resolved_at / DAY + 3) * DAY + 15 * 3600 : resolved_at);
  return run (writer, stmt, "could not insert a post-incident review", error);
}

static gboolean
insert_reviews (Writer *writer, GError **error)
{
  g_autoptr (Statement) stmt = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reviews); i++)
    {
      g_autofree char *pattern = g_strconcat (reviews[i].title, "%", NULL);
      g_autoptr (Statement) find = NULL;

      if (!prepare (writer,
                    "SELECT uuid, resolved_at FROM ticket WHERE title LIKE ?1 AND pir_required = 1 "
                    "AND resolved_at IS NOT NULL AND uuid NOT IN (SELECT ticket FROM pir) "
                    "ORDER BY resolved_at DESC, uuid LIMIT 1",
                    &find, error))
        return FALSE;
      sqlite3_bind_text (find, 1, pattern, -1, SQLITE_STATIC);
      if (sqlite3_step (find) == SQLITE_ROW)
        {
          g_autofree char *ticket = g_strdup ((const char *) sqlite3_column_text (find, 0));

          if (!insert_review (writer, &reviews[i], ticket, sqlite3_column_int64 (find, 1), error))
            return FALSE;
        }
    }

  /* The SEV-1/2 tickets of the last two weeks have their review too, not
   * held yet: some are overdue, which the queue points out. Older ones
   * predate the reviews in this made-up history. */
  if (!prepare (writer,
                "SELECT uuid, resolved_at FROM ticket WHERE pir_required = 1 AND resolved_at > ?1 "
                "AND uuid NOT IN (SELECT ticket FROM pir) ORDER BY resolved_at, uuid",
                &stmt, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, writer->now - 14 * DAY);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      static const DemoReview pending = { NULL, NULL, NULL, NULL };
      g_autofree char        *ticket = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

      if (!insert_review (writer, &pending, ticket, sqlite3_column_int64 (stmt, 1), error))
        return FALSE;
    }
  return TRUE;
}

/* Production changes [10.1 Change Success Rate] */

#define WEEK (7 * DAY)

/* The person of @sub_team (or, for NULL, of @role) at @index, wrapping
 * round; NULL when there is none. */
static char *
implementer_for (Writer *writer, const char *sub_team, const char *role, guint index)
{
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (writer->db,
                          "SELECT uuid FROM person WHERE deleted = 0 AND (sub_team = ?1 OR "
                          "(?1 IS NULL AND role = ?2)) ORDER BY name, uuid",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, sub_team, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (people, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (people->len == 0)
    return NULL;
  return g_strdup (g_ptr_array_index (people, index % people->len));
}

/* @prefix and the ticket's title, cut to the longest title a change may
 * have. */
static char *
change_title (const char *prefix, const char *ticket_title)
{
  g_autofree char *title = g_strconcat (prefix, ticket_title, NULL);
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (title, -1) <= TD_CHANGE_TITLE_MAX)
    return g_steal_pointer (&title);
  cut = g_utf8_substring (title, 0, TD_CHANGE_TITLE_MAX - 1);
  return g_strconcat (cut, "…", NULL);
}

typedef struct
{
  const char *title;
  const char *kind;
  int         tier;
  const char *status;
  const char *ticket; /* uuid, or NULL */
  const char *implementer;
  gint64      planned_for;
  gint64      performed_at; /* 0: not yet */
  const char *description;
  const char *rollback_plan;
  const char *outcome_note;
} DemoChange;

static gboolean
insert_change (Writer *writer, Statement *stmt, const DemoChange *change, GError **error)
{
  g_autofree char *seed
      = g_strdup_printf ("%s@%" G_GINT64_FORMAT, change->title, change->planned_for);
  g_autofree char *uuid = stable_uuid ("change", seed);
  gint64           created_at = MIN (change->planned_for - 2 * DAY, writer->now);

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, next_rev (writer));
  sqlite3_bind_text (stmt, 3, change->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, change->kind, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, change->tier);
  sqlite3_bind_text (stmt, 6, change->status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, change->ticket, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, change->implementer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, change->planned_for);
  if (change->performed_at > 0)
    sqlite3_bind_int64 (stmt, 10, change->performed_at);
  sqlite3_bind_text (stmt, 11, change->description, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, change->rollback_plan, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, change->outcome_note, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, change->implementer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 15, created_at);
  return run (writer, stmt, "could not insert a production change", error);
}

/* Twelve weeks of changes and the next week's plan: a release every
 * Tuesday evening, infrastructure patching every other Thursday, database
 * maintenance every four weeks, a hotfix for each of the latest Tier 3
 * tickets and the configuration change each Tier 2 configuration ticket
 * asked for. One release was rolled back and one patch failed, so the
 * Change Success Rate shows a miss against its 99% in the weeks they fell
 * in. */
static gboolean
insert_changes (Writer *writer, GError **error)
{
  g_autoptr (Statement) stmt = NULL;
  g_autoptr (Statement) tickets = NULL;
  /* Tuesday 18:00 UTC of the week twelve weeks ago (1970-01-01 was a
   * Thursday, so Tuesdays are 5 days past a multiple of 7 days). */
  gint64 first_tuesday = ((writer->now - 12 * WEEK - 5 * DAY) / WEEK) * WEEK + 5 * DAY + 18 * 3600;
  guint  n = 0;

  if (!prepare (writer,
                "INSERT INTO change_record (uuid, rev, title, kind, tier, status, ticket, "
                "implementer, planned_for, performed_at, description, rollback_plan, "
                "outcome_note, author, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                "?10, ?11, ?12, ?13, ?14, ?15)",
                &stmt, error))
    return FALSE;

  for (int week = 0; week <= 13; week++)
    {
      gint64           tuesday = first_tuesday + week * WEEK;
      gboolean         done = tuesday + 3600 < writer->now;
      gboolean         rolled_back = week == 7;
      g_autofree char *title = g_strdup_printf ("LMS release 4.%d", 10 + week);
      g_autofree char *developer
          = implementer_for (writer, week % 2 == 0 ? "backend" : "frontend", NULL, week);
      g_autofree char *sre = implementer_for (writer, "devops-sre", NULL, week);
      g_autofree char *dba = implementer_for (writer, "dba", NULL, week);
      DemoChange       release = {
              title,
              "code",
              3,
        !done         ? "planned"
              : rolled_back ? "rolled_back"
                            : "succeeded",
              NULL,
              developer,
              tuesday,
        done ? tuesday + 40 * 60 : 0,
              "The week's fixes and features, deployed by the pipeline with a blue-green switch.",
              "Switch the load balancer back to the previous colour; the database is "
                    "backward-compatible for one release.",
        rolled_back ? "The approval screen failed to load for delegated approvers; switched back "
                            "after 12 minutes and fixed in the next release."
                          : NULL,
      };

      if (!insert_change (writer, stmt, &release, error))
        return FALSE;
      if (week % 2 == 1)
        {
          gint64     thursday = tuesday + 2 * DAY + 3 * 3600;
          gboolean   failed = week == 3;
          DemoChange patching = {
            "Operating system patches on the application servers",
            "infrastructure",
            3,
            thursday + 3600 >= writer->now ? "planned"
            : failed                       ? "failed"
                                           : "succeeded",
            NULL,
            sre,
            thursday,
            thursday + 3600 < writer->now ? thursday + 90 * 60 : 0,
            "Rolling restart, one node at a time behind the load balancer.",
            "Boot the previous kernel from the boot menu.",
            failed ? "The second node did not come back after the reboot (a full /boot); the "
                     "cluster ran on two nodes for 3 hours until it was rebuilt."
                   : NULL,
          };
          if (!insert_change (writer, stmt, &patching, error))
            return FALSE;
        }
      if (week % 4 == 2)
        {
          gint64     sunday = tuesday + 5 * DAY - 12 * 3600;
          DemoChange maintenance = {
            "Database index maintenance and statistics refresh",
            "database",
            3,
            sunday + 3600 < writer->now ? "succeeded" : "planned",
            NULL,
            dba,
            sunday,
            sunday + 3600 < writer->now ? sunday + 45 * 60 : 0,
            "Rebuild the fragmented indexes of leave_request and accrual_entry; refresh the "
            "planner statistics.",
            "Nothing to undo: the old indexes stay until the new ones are built.",
            NULL,
          };
          if (!insert_change (writer, stmt, &maintenance, error))
            return FALSE;
        }
    }

  /* The changes tickets asked for, each done when its ticket was resolved. */
  if (!prepare (writer,
                "SELECT uuid, title, tier, resolved_at FROM ticket WHERE deleted = 0 AND "
                "resolved_at > ?1 AND ((tier = 3 AND severity IN ('SEV-1', 'SEV-2', 'SEV-3')) "
                "OR (tier = 2 AND issue_type = 'configuration-change')) "
                "ORDER BY resolved_at DESC, uuid LIMIT 40",
                &tickets, error))
    return FALSE;
  sqlite3_bind_int64 (tickets, 1, writer->now - 12 * WEEK);
  while (sqlite3_step (tickets) == SQLITE_ROW)
    {
      const char      *ticket = (const char *) sqlite3_column_text (tickets, 0);
      const char      *ticket_title = (const char *) sqlite3_column_text (tickets, 1);
      int              tier = sqlite3_column_int (tickets, 2);
      gint64           resolved_at = sqlite3_column_int64 (tickets, 3);
      g_autofree char *title = change_title (tier == 3 ? "Hotfix: " : "Configure: ", ticket_title);
      g_autofree char *implementer
          = tier == 3 ? implementer_for (writer, n % 2 == 0 ? "backend" : "frontend", NULL, n)
                      : implementer_for (writer, NULL, "app-support-analyst", n);
      DemoChange change = {
        title,
        tier == 3 ? "code" : "configuration",
        tier,
        "succeeded",
        ticket,
        implementer,
        resolved_at - 3600,
        resolved_at - 30 * 60,
        tier == 3 ? "Fix deployed outside the weekly release because the ticket could not wait."
                  : "Changed in the LMS Admin Console as the ticket asked; checked with the "
                    "requester.",
        tier == 3 ? "Redeploy the previous build."
                  : "Put the previous values back; they are in "
                    "the ticket.",
        NULL,
      };

      if (!insert_change (writer, stmt, &change, error))
        return FALSE;
      n++;
    }
  return TRUE;
}

gboolean
td_demo_knowledge_insert (sqlite3 *db, TdPolicy *policy, gint64 now, gint64 *rev, GError **error)
{
  Writer writer = { db, policy, now, rev };

  g_return_val_if_fail (db != NULL && rev != NULL, FALSE);

  return insert_articles (&writer, error) && flag_new_issues (&writer, error)
         && insert_reviews (&writer, error) && insert_changes (&writer, error);
}
