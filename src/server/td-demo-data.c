/* td-demo-data.c — deterministic demo data for a server store: people, rotas, training, tickets
 *
 * Builds the reference data set of DESIGN.md §6 around a given instant: a
 * directory of invented people covering every role and team slot of the
 * policy, the on-call rotations, training completions and a ticket queue
 * with history, for benchmarks and demos.
 *
 * Everything random comes from one GRand seeded by the caller, drawn in a
 * fixed order, so the same (n_tickets, seed, now) and policy give the same
 * rows byte for byte. Nothing reads the clock or the environment.
 *
 * Speed matters (200,000 tickets): one transaction, one prepared statement
 * per table, no SELECT per row, tickets moved into place in batches so the
 * full-text index builds in memory (flush_staged_tickets()), and a larger
 * page cache for the run. The exact SLA computation of core is far too slow
 * to run per ticket (about 0.2 ms: it walks business calendars), so ordinary
 * tickets use an elapsed-time estimate of their targets; only the few that
 * must be at risk or breached at @now are placed with td_sla_compute().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "td-access.h"
#include "td-correction.h"
#include "td-demo-data.h"
#include "td-demo-knowledge.h"
#include "td-escalation.h"
#include "td-sla.h"
#include "td-triage.h"

#define MINUTE ((gint64) 60)
#define HOUR   ((gint64) 3600)
#define DAY    ((gint64) 86400)
#define YEAR   (365 * DAY)

/* The history the data set covers, and the share of tickets created in the
 * last 30 days: the queue a benchmark scrolls through is mostly recent. */
#define HISTORY      (3 * YEAR)
#define RECENT       (30 * DAY)
#define RECENT_SHARE 0.55

/* Tier moves one ticket may make; the shipped policy needs at most three. */
#define MAX_STEPS 6
/* Events one ticket gets at most before they are written. */
#define MAX_EVENTS 32

#define UUID_SIZE 37

/* Tickets are written to a staging table and moved into ticket in batches
 * of this many rows (see flush_staged_tickets()). */
#define TICKET_BATCH 8192
#define STAGING      "td_demo_ticket_staging"

/* Page cache while generating, in KiB. */
#define DEMO_CACHE_KIB 65536

/* Structures */

typedef struct
{
  char          uuid[UUID_SIZE];
  char         *name;
  const TdRole *role;
  int           tier;
  const char   *sub_team;
  const char   *shift;
  const char   *engage_when;
  char          email[80];
  char          phone[24];
  const char   *time_zone;
  gint64        start_day; /* days since 1970-01-01 */
} Person;

/* A ticket's shape, drawn before any row is written so that tickets can be
 * written in the order they were created. Times are seconds after @created. */
typedef struct
{
  gint64             created;
  gint64             resolved;       /* absolute; 0 while open */
  gint64             closed;         /* absolute; 0 unless closed */
  gint32             first_response; /* -1: nobody has answered yet */
  gint32             escalated[MAX_STEPS];
  const TdIssueType *issue_type;
  guint32            index;
  guint8             impact;
  guint8             urgency;
  guint8             n_steps;
  guint8             route[MAX_STEPS + 1]; /* tier levels, route[0] the first */
  gint8              path[MAX_STEPS];      /* index into the policy's paths */
  gboolean           first_contact;        /* resolved and closed at the first answer */
} TicketPlan;

typedef enum
{
  SLOT_LEAVE,
  SLOT_DEPT,
  SLOT_REPORT,
  SLOT_BROWSER,
  SLOT_REGION,
  SLOT_WEEKDAY,
  SLOT_MONTH,
  SLOT_PARTTIME,
  SLOT_APPROVER,
  SLOT_KB,
  SLOT_DAYS,
  SLOT_COUNT,
  SLOT_TRIES,
  SLOT_SECS,
  SLOT_CODE,
  SLOT_VERSION,
  SLOT_COLLEAGUES,
  SLOT_USER,
  SLOT_UID,
  SLOT_YEAR,
  SLOT_PREVYEAR,
  SLOT_NEXTYEAR,
  N_SLOTS
} Slot;

/* Values of one ticket's placeholders: chosen on first use and kept, so a
 * title and its description name the same department. */
typedef struct
{
  char values[N_SLOTS][96];
} TextContext;

typedef struct
{
  const char *issue_type; /* the policy issue type it describes, or NULL */
  int         tier;       /* without an issue type: the tier it suits, 0 for any */
  const char *title;
  const char *description;
  const char *steps;
  const char *error;
  const char *resolution;
} TicketTemplate;

typedef struct
{
  gint64 at;
  guint  seq;
  int    kind; /* EventKind */
  int    step;
  guint  author;
} PendingEvent;

typedef enum
{
  EVENT_IN_PROGRESS,
  EVENT_ESCALATE,
  EVENT_ASSIGN,
  EVENT_RESOLVED,
  EVENT_CLOSED,
  EVENT_FIRST_CONTACT,
  /* Floating events fill the gaps and are dropped on a clash. */
  EVENT_COMMENT,
  EVENT_USER_UPDATE,
  EVENT_RETYPE,
  EVENT_BROWSER,
} EventKind;

typedef struct
{
  sqlite3  *db;
  TdPolicy *policy;
  GRand    *rand;
  gint64    now;
  gint64    now_day;
  gint64    rev;
  int       min_tier;
  int       max_tier;

  Person *people;
  guint   n_people;
  /* Per tier level: indices of people who own tickets, and of managers. */
  GArray **workers;
  GArray **managers;
  int      trainer;

  GPtrArray *severities;
  GPtrArray *impacts;
  GPtrArray *urgencies;
  /* [impact * n_urgencies + urgency] */
  const TdTriageRule **rules;
  int                 *rule_severity;
  double              *impact_weights;
  double              *urgency_weights;

  GPtrArray *paths;
  /* [(severity * (max_tier + 1) + from) * (max_tier + 1) + to]: a path index or -1 */
  int   *step_path;
  char **path_checklist_json;
  char **path_id_json;

  sqlite3_stmt *insert_person;
  sqlite3_stmt *insert_rotation;
  sqlite3_stmt *insert_member;
  sqlite3_stmt *insert_training;
  sqlite3_stmt *insert_ticket;
  sqlite3_stmt *flush_tickets;
  sqlite3_stmt *clear_staging;
  guint         n_staged;
  sqlite3_stmt *insert_event;

  TextContext text;
  GString    *title;
  GString    *description;
  GString    *steps;
  GString    *error_message;
  GString    *resolution;
  GString    *body;
  GString    *data;
  GString    *contact;
} Generator;

/* Text */

static const char *const first_names[] = {
  "Amelia",  "Oliver",    "Isla",   "George",  "Ava",    "Harry",    "Mia",     "Noah",   "Sophia",
  "Jack",    "Grace",     "Leo",    "Freya",   "Arthur", "Lily",     "Oscar",   "Emily",  "Charlie",
  "Ella",    "Thomas",    "Priya",  "Arjun",   "Aisha",  "Omar",     "Fatima",  "Yusuf",  "Zara",
  "Ibrahim", "Mei",       "Wei",    "Hana",    "Kenji",  "Chloe",    "Daniel",  "Ruby",   "Samuel",
  "Evie",    "Joseph",    "Poppy",  "Henry",   "Niamh",  "Ciaran",   "Siobhan", "Rhys",   "Carys",
  "Dylan",   "Megan",     "Callum", "Eilidh",  "Fraser", "Kwame",    "Ama",     "Chidi",  "Ngozi",
  "Tomasz",  "Agnieszka", "Lukas",  "Elena",   "Mateo",  "Lucia",    "Kofi",    "Anjali", "Rohan",
  "Deepa",   "Imogen",    "Felix",  "Harriet", "Edward", "Beatrice", "Alfie",
};

static const char *const last_names[] = {
  "Smith",   "Jones",    "Taylor",    "Brown",    "Williams", "Wilson",    "Johnson", "Davies",
  "Patel",   "Robinson", "Wright",    "Thompson", "Evans",    "Walker",    "White",   "Roberts",
  "Green",   "Hall",     "Wood",      "Jackson",  "Clarke",   "Khan",      "Ahmed",   "Shah",
  "Begum",   "Ali",      "Hussain",   "Singh",    "Kaur",     "Chen",      "Wang",    "Nguyen",
  "Okafor",  "Mensah",   "Adeyemi",   "Owusu",    "Kowalski", "Nowak",     "Murphy",  "Kelly",
  "O'Brien", "Byrne",    "MacDonald", "Campbell", "Stewart",  "Morgan",    "Hughes",  "Lewis",
  "Edwards", "Harris",   "Martin",    "Cooper",   "Ward",     "Morris",    "Turner",  "Hill",
  "Moore",   "Baker",    "Price",     "Bennett",  "Rossi",    "Fernandes", "Costa",   "Novak",
  "Fischer", "Mehta",    "Iyer",      "Das",      "Sato",     "Kim",
};

static const char *const leave_types[] = {
  "Annual Leave", "Sick Leave",  "Parental Leave", "Compassionate Leave",
  "TOIL",         "Study Leave", "Unpaid Leave",   "Carer's Leave",
};

static const char *const departments[] = {
  "Finance",   "Human Resources", "Sales",       "Logistics", "Customer Services", "Legal",
  "Marketing", "Facilities",      "Procurement", "Research",  "Operations",        "IT",
};

static const char *const reports[] = {
  "Absence Summary",  "Leave Liability", "Bradford Factor", "Team Calendar Export",
  "Accrual Forecast", "Sickness Trends", "Carry-over",      "Payroll Deductions",
};

static const char *const browsers[] = {
  "Chrome 130 on Windows 11", "Edge 130 on Windows 11",       "Firefox 132 on Ubuntu 24.04",
  "Safari 18 on macOS 15",    "LMS mobile app 4.2 on iOS 18", "LMS mobile app 4.2 on Android 14",
  "Chrome 129 on ChromeOS",   "Edge 129 on Windows 10",
};

static const char *const regions[] = {
  "England and Wales", "Scotland", "Northern Ireland", "Republic of Ireland", "New York",
};

static const char *const weekdays[] = {
  "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
};

static const char *const months[] = {
  "January", "February", "March",     "April",   "May",      "June",
  "July",    "August",   "September", "October", "November", "December",
};

static const char *const part_time_patterns[] = {
  "three-day week", "22.5-hour week", "four-day week", "term-time pattern", "compressed fortnight",
};

static const char *const slot_names[N_SLOTS] = {
  [SLOT_LEAVE] = "leave",
  [SLOT_DEPT] = "dept",
  [SLOT_REPORT] = "report",
  [SLOT_BROWSER] = "browser",
  [SLOT_REGION] = "region",
  [SLOT_WEEKDAY] = "weekday",
  [SLOT_MONTH] = "month",
  [SLOT_PARTTIME] = "parttime",
  [SLOT_APPROVER] = "approver",
  [SLOT_KB] = "kb",
  [SLOT_DAYS] = "days",
  [SLOT_COUNT] = "count",
  [SLOT_TRIES] = "tries",
  [SLOT_SECS] = "secs",
  [SLOT_CODE] = "code",
  [SLOT_VERSION] = "version",
  [SLOT_COLLEAGUES] = "colleagues",
  [SLOT_USER] = "user",
  [SLOT_UID] = "uid",
  [SLOT_YEAR] = "year",
  [SLOT_PREVYEAR] = "prevyear",
  [SLOT_NEXTYEAR] = "nextyear",
};

/* Tickets a Leave Management System's support desk sees, by the policy's
 * issue type, or by tier where the policy has none (Tiers 3 and 4). A
 * policy with other issue types falls back to the tier's templates. */
static const TicketTemplate templates[] = {
  /* Tier 1: password reset */
  { "password-reset", 1, "Locked out of LMS after too many sign-in attempts",
    "{user} from {dept} is locked out of the Leave Management System after {tries} failed "
    "sign-in attempts and cannot submit a {leave} request.",
    "1. Open the LMS sign-in page.\n2. Enter the username and password.\n"
    "3. The account-locked message appears.",
    "Your account has been locked. Contact the service desk. (AUTH-423)",
    "Unlocked the account in the LMS Admin Console and walked the user through setting a new "
    "password." },
  { "password-reset", 1, "Password reset email not arriving",
    "{user} requested a password reset from the LMS sign-in page {tries} times but no email has "
    "arrived, not even in the junk folder.",
    "1. Click 'Forgot password' on the LMS sign-in page.\n2. Enter the work email address.\n"
    "3. Wait for the reset email.",
    "No error; the page says 'If the address is registered you will receive an email'.",
    "A mailbox rule was filtering LMS mail; removed it with the user, the reset email arrived and "
    "the password was changed." },
  { "password-reset", 1, "New password refused after password expiry",
    "After the 90-day password expiry {user} is asked for a new password, but every new "
    "password is refused and the sign-in page loads again.",
    "1. Sign in with the old password.\n2. Enter a new password twice on the 'Password expired' "
    "page.\n3. Submit.",
    "The new password does not meet the complexity requirements (PWD-112)",
    "Explained the password rules (12 characters, none of the last 5 passwords); the user set a "
    "compliant password and signed in." },
  { "password-reset", 1, "Single sign-on loop when opening LMS",
    "{user} is sent back and forth between the single sign-on page and LMS and never reaches "
    "the dashboard. Colleagues in {dept} can sign in.",
    "1. Open lms.example.com in {browser}.\n2. Sign in with single sign-on.\n"
    "3. The browser keeps redirecting.",
    "ERR_TOO_MANY_REDIRECTS",
    "Cleared the stale session cookies for the LMS and single sign-on domains; the user signed "
    "in." },

  /* Tier 1: navigation help */
  { "navigation-help", 1, "How do I cancel an approved {leave} request?",
    "{user} booked {days} days of {leave} that are no longer needed and cannot find how to "
    "cancel the request now that it is approved.",
    "1. Open My Leave > Requests.\n2. Select the approved request.\n"
    "3. No 'Cancel' button is visible.",
    "No error shown (how-to question).",
    "Showed the user 'Request cancellation' in the request's menu; the cancellation went to the "
    "approver." },
  { "navigation-help", 1, "Cannot find the team leave calendar",
    "{user}, a new line manager in {dept}, wants to see who in the team is off in {month} and "
    "cannot find the team calendar.",
    "1. Sign in as a line manager.\n2. Open My Team.\n3. Only individual requests are listed.",
    "No error shown (how-to question).",
    "Pointed the user to My Team > Calendar and the month filter; shared the knowledge base "
    "article on team views." },
  { "navigation-help", 1, "How to delegate approvals while on leave",
    "{user} is going on {leave} and needs {approver} to approve requests for the {dept} team in "
    "the meantime.",
    "1. Open Settings > Approvals.\n2. Look for a delegation option.\n3. None is on the page.",
    "No error shown (how-to question).",
    "Walked the user through Settings > Delegation and set the deputy with start and end "
    "dates." },
  { "navigation-help", 1, "How to attach a fit note to a sick leave request",
    "{user} needs to attach a fit note to a sick leave request submitted last week, but the "
    "request no longer shows an upload button.",
    "1. Open My Leave > Requests.\n2. Open the sick leave request.\n"
    "3. Look for 'Add attachment'.",
    "No error shown (how-to question).",
    "Explained that attachments are added from the request's Documents tab; the user uploaded "
    "the fit note." },

  /* Tier 1: known issue */
  { "known-issue", 1, "Team calendar shows an empty week view",
    "The week view of the team calendar is empty for {user} although the month view shows the "
    "{dept} absences. Matches known issue {kb}.",
    "1. Open My Team > Calendar.\n2. Switch to Week view.\n3. The grid is empty.",
    "No error; the calendar grid renders without entries.",
    "Applied the documented workaround from {kb} (use the month or list view) until the fix "
    "ships." },
  { "known-issue", 1, "Half-day request counted as a full day in the mobile app",
    "{user} booked half a day of {leave} in the LMS mobile app and the balance dropped by a "
    "full day. Known issue {kb}.",
    "1. Open the LMS mobile app.\n2. Request a half day (morning).\n"
    "3. Check the balance after submitting.",
    "Balance shows -1.0 day instead of -0.5 day.",
    "Cancelled and rebooked the half day from the web app as {kb} describes; the balance is "
    "right." },
  { "known-issue", 1, "Approval email links open the training environment",
    "Approval links in notification emails open lms-training instead of production for {user}, "
    "so approvals fail. Documented as {kb}.",
    "1. Receive a 'Leave request awaiting approval' email.\n2. Click 'Review request'.\n"
    "3. The training environment opens.",
    "Request not found (404)",
    "Gave the user the workaround from {kb}: approve from the LMS dashboard instead of the email "
    "link." },

  /* Tier 1: general inquiry */
  { "general-inquiry", 1, "Question about carrying over {leave}",
    "{user} asks how many days of {leave} can be carried over into {nextyear} and by when they "
    "must be taken.",
    "Not applicable: policy question raised by phone.", "None (question).",
    "Explained the carry-over rule (up to 5 days, to be taken by 31 March) and linked the HR "
    "policy page." },
  { "general-inquiry", 1, "When will my TOIL balance update?",
    "{user} worked {days} hours of overtime approved by {approver}, but the TOIL balance has "
    "not changed yet.",
    "1. Open My Leave > Balances.\n2. Check the TOIL line.\n"
    "3. The approved overtime is not included.",
    "None (question).",
    "Explained that TOIL is credited by the nightly payroll sync after approval; the balance "
    "updated the next morning." },
  { "general-inquiry", 1, "How is pro-rata entitlement worked out for part-time staff?",
    "{user} in {dept} moved to a {parttime} and asks how the {leave} entitlement for the rest "
    "of {year} is calculated.",
    "Not applicable: question received by email.", "None (question).",
    "Sent the pro-rata calculation with the user's figures and the HR policy reference." },
  { "general-inquiry", 1, "Access to the {report} report",
    "{user}, newly appointed team lead in {dept}, asks for access to the {report} report.",
    "1. Open Reports.\n2. Look for {report}.\n3. The report is not listed.",
    "You do not have permission to view this report.",
    "The report needs the line-manager role; raised the role change with the LMS administrators "
    "and told the user." },

  /* Tier 2: balance discrepancy */
  { "balance-discrepancy", 2, "{leave} balance {days} days lower than expected",
    "{user} ({uid}) reports that the {leave} balance is {days} days lower than the entitlement "
    "letter says. No requests were cancelled recently.",
    "1. Open My Leave > Balances for {uid}.\n2. Compare the {leave} entitlement with the HRIS "
    "record.\n3. The balances differ.",
    "No error; the balance shows a lower figure than expected.",
    "Accrual had used the old contract start date; corrected the entitlement with manager "
    "approval and recalculated the balance." },
  { "balance-discrepancy", 2, "Carry-over from {prevyear} missing from the balance",
    "Carry-over days from {prevyear} have not been added to {user}'s {leave} balance, although "
    "the year-end report lists them.",
    "1. Open the balance history for {uid}.\n2. Look for the carry-over entry dated 1 January.\n"
    "3. The entry is missing.",
    "No error; no carry-over line in the balance history.",
    "The year-end job skipped employees with a request pending on 31 December; applied the "
    "carry-over by hand after manager approval." },
  { "balance-discrepancy", 2, "Negative {leave} balance after a cancellation",
    "After {approver} cancelled one of {user}'s requests, the {leave} balance went negative "
    "instead of being restored.",
    "1. Book {days} days of {leave}.\n2. Have the approver cancel the approved request.\n"
    "3. Check the balance.",
    "Balance: -{days} days",
    "The cancellation had been applied twice; reversed the duplicate ledger entry and confirmed "
    "the balance with the user." },
  { "balance-discrepancy", 2, "Part-time entitlements in {dept} worked out on full-time hours",
    "Several part-time staff in {dept} have {leave} entitlements calculated on 37.5 hours a "
    "week, so their balances are overstated.",
    "1. Open the entitlement breakdown for {uid}.\n2. Check the contracted hours used.\n"
    "3. Full-time hours are shown.",
    "Entitlement basis: 37.5 h/week (expected 22.5 h/week)",
    "The working pattern was missing from the HRIS feed for {count} staff; corrected the "
    "patterns and recalculated the entitlements." },

  /* Tier 2: workflow issue */
  { "workflow-issue", 2, "Leave requests stuck in 'Pending approval' for {dept}",
    "Requests from {dept} have stayed in 'Pending approval' for {days} days; approvers say "
    "nothing appears in their queue.",
    "1. Submit a {leave} request as a {dept} employee.\n2. Sign in as the line manager.\n"
    "3. The approval queue is empty.",
    "Status: Pending approval (no approver assigned)",
    "The approval rule for {dept} pointed at a deleted role; pointed it at the line manager and "
    "re-queued {count} requests." },
  { "workflow-issue", 2, "Approvals routed to a former line manager",
    "{user} changed team at the start of {month}, but requests still go to the previous "
    "manager, who has left the company.",
    "1. Submit a request as {uid}.\n2. Open the request's approval trail.\n"
    "3. The approver is the former manager.",
    "Approver account inactive (WF-310)",
    "The HRIS change had not reached LMS; updated the reporting line and moved the open "
    "requests to the new approver." },
  { "workflow-issue", 2, "Delegated approver cannot see requests",
    "{approver} was made delegate for {dept} but sees an empty approval queue while the manager "
    "is on leave.",
    "1. Set up delegation from the manager's account.\n2. Sign in as the delegate.\n"
    "3. Open Approvals.",
    "No items to approve",
    "The delegation started in the delegate's time zone and had not begun yet; adjusted the "
    "dates and the requests appeared." },
  { "workflow-issue", 2, "Reminder emails not sent to approvers",
    "Approvers in {dept} have not received the 48-hour reminder emails for pending requests "
    "since {weekday}.",
    "1. Leave a request pending for 48 hours.\n2. Check the approver's mailbox.\n"
    "3. Check the notification log.",
    "Notification job: 0 reminders queued",
    "The reminder schedule had been switched off during maintenance; switched it on and sent "
    "the missed reminders." },

  /* Tier 2: configuration change */
  { "configuration-change", 2, "Add the {region} bank holidays for {nextyear}",
    "HR asks for the {region} bank holidays of {nextyear} to be loaded so that requests "
    "spanning them are counted correctly.",
    "1. Open Admin > Calendars > {region}.\n2. Select {nextyear}.\n3. The holidays are missing.",
    "None (configuration request).",
    "Loaded the {nextyear} bank holidays for {region} after HR sign-off and checked them on a "
    "test request." },
  { "configuration-change", 2, "Two-stage approval for {dept}",
    "The head of {dept} asks for {leave} requests over {days} days to need a second approval "
    "by the department head.",
    "Not applicable: change request from the head of {dept}.", "None (configuration request).",
    "Configured a second approval stage for requests over {days} days in {dept} and tested it "
    "with a sample request." },
  { "configuration-change", 2, "Raise the carry-over cap to {days} days for {nextyear}",
    "HR has approved a temporary rise of the carry-over cap to {days} days for {nextyear} and "
    "asks for the parameter to be changed.",
    "Not applicable: configuration request approved by HR.", "None (configuration request).",
    "Changed the carry-over cap with the HR approval attached and recorded it in the "
    "configuration log." },
  { "configuration-change", 2, "New leave type 'Volunteering Leave' for {dept}",
    "{dept} needs a new leave type, Volunteering Leave, with 2 days a year approved by line "
    "managers.",
    "Not applicable: configuration request.", "None (configuration request).",
    "Created the leave type with a 2-day entitlement and line-manager approval, and told "
    "{dept}." },

  /* Tier 2: report issue */
  { "report-issue", 2, "{report} report totals do not match the team view",
    "The {report} report for {dept} shows {count} days more than the team calendar for "
    "{month}.",
    "1. Run Reports > {report} for {dept}, {month}.\n2. Compare the totals with My Team > "
    "Calendar.\n3. The figures differ.",
    "No error; the totals differ.",
    "The report counted cancelled requests; corrected the report filter and re-ran it for "
    "{dept}." },
  { "report-issue", 2, "{report} export times out",
    "Exporting the {report} report to a spreadsheet for {dept} fails after a long wait.",
    "1. Open Reports > {report}.\n2. Select {dept} and the last 12 months.\n"
    "3. Click 'Export to spreadsheet'.",
    "504 Gateway Time-out",
    "Exports are limited to 6 months at a time; provided the full export from the reporting "
    "database and told the user." },
  { "report-issue", 2, "{report} report leaves out leavers",
    "The {report} report for {month} leaves out employees who left during the month, so the "
    "totals for {dept} are too low.",
    "1. Run {report} for {month}.\n2. Look for employees with a leaving date in {month}.\n"
    "3. They are not listed.",
    "No error; rows are missing.",
    "Switched on 'Include leavers' in the report definition and re-ran {month}." },
  { "report-issue", 2, "Scheduled {report} report not delivered",
    "The weekly {report} report for {dept} did not arrive on {weekday}.",
    "1. Open the scheduled report list.\n2. Open the {report} schedule for {dept}.\n"
    "3. The last run shows an error.",
    "Scheduled job failed: recipient list empty (RPT-204)",
    "The distribution list had been renamed; updated the schedule and sent the report again." },

  /* Tier 2: integration status */
  { "integration-status", 2, "Payroll sync did not run overnight",
    "The nightly LMS-to-payroll sync shows no run for {weekday}; payroll cut-off is in {days} "
    "days.",
    "1. Open Admin > Integrations > Payroll.\n2. Check the run history.\n"
    "3. The last run is from the night before.",
    "Last successful sync: 2 days ago",
    "The sync job was paused after a credential rotation; resumed it and confirmed {count} "
    "records were transferred." },
  { "integration-status", 2, "New starters from HRIS missing in LMS",
    "{colleagues} new starters in {dept} who joined on {weekday} cannot sign in to LMS; they "
    "are not in the directory yet.",
    "1. Search for {uid} in Admin > Users.\n2. There is no result.\n"
    "3. Check the HRIS import log.",
    "User not found",
    "The HRIS import stopped on a record without a cost centre; fixed the record and re-ran the "
    "import." },
  { "integration-status", 2, "Payroll export rejected: records failed validation",
    "The payroll provider rejected this week's LMS export: {count} records failed validation.",
    "1. Open Admin > Integrations > Payroll > Last export.\n2. Download the rejection file.\n"
    "3. Check the failing records.",
    "Validation failed: {count} records with an invalid absence code (PAY-017)",
    "A new leave type had no payroll absence code; added the mapping and sent the export "
    "again." },

  /* Tier 3: engineering */
  { NULL, 3, "Accrual job fails for employees with mid-year contract changes",
    "The nightly accrual job stops at employees whose contract changed mid-year; {count} "
    "balances in {dept} were not updated.",
    "1. Change the contract hours of a test employee mid-year.\n2. Run the accrual job.\n"
    "3. Check the job log.",
    "AccrualService: ArithmeticException: / by zero at ProRataCalculator.java:218",
    "Fixed the pro-rata calculation for zero-length periods; hotfix {version} deployed and the "
    "accrual job re-run." },
  { NULL, 3, "Leave request API returns HTTP 500 for approvers",
    "GET /api/v2/leave-requests fails for approvers in {dept}, so their approval page stays "
    "empty.",
    "1. Sign in as an approver in {dept}.\n2. Open Approvals.\n"
    "3. Watch /api/v2/leave-requests in the browser's network tab.",
    "HTTP 500 Internal Server Error: NullPointerException in ApprovalQueryService",
    "A null delegate was not handled after release {version}; the fix is deployed and approvals "
    "load again." },
  { NULL, 3, "LMS pages take over {secs} seconds to load at peak times",
    "Between 09:00 and 10:00 the dashboard and My Leave pages take more than {secs} seconds to "
    "load for every user.",
    "1. Sign in between 09:00 and 10:00.\n2. Open the dashboard.\n3. Measure the load time.",
    "APM: p95 latency {secs} s on /dashboard",
    "Added a missing index on leave_request (employee_id, start_date) and cached the balance "
    "widget; p95 is back under 1 s." },
  { NULL, 3, "Deadlocks when approving leave requests",
    "Concurrent approvals of requests in {dept} fail now and then with a deadlock error.",
    "1. Approve two requests of the same employee at the same time.\n2. One approval fails.\n"
    "3. Check the database log.",
    "ERROR: deadlock detected (SQLSTATE 40P01)",
    "Reordered the locking of balance and request rows in the approval transaction; released "
    "in {version}." },
  { NULL, 3, "Payroll connector fails on names with accents",
    "The payroll export job crashes when an employee's name has accented letters; the "
    "{weekday} export did not complete.",
    "1. Create a test employee named 'Zoë Núñez'.\n2. Approve a leave request.\n"
    "3. Run the payroll export.",
    "UnicodeEncodeError: 'latin-1' codec can't encode character",
    "The export now writes UTF-8 as agreed with the payroll provider; connector fix deployed in "
    "{version}." },
  { NULL, 3, "Session token visible in the URL after single sign-on",
    "A security review found the session token in the query string after the single sign-on "
    "redirect, where proxy logs can record it.",
    "1. Sign in through single sign-on.\n2. Look at the URL after the redirect.\n"
    "3. The token is visible as ?sid=.",
    "Security finding SEC-{code}: session identifier in URL",
    "Moved the session token to a secure, HttpOnly cookie and revoked the tokens issued before "
    "the fix." },
  { NULL, 3, "Date picker does not open in {browser}",
    "The leave request date picker does not open in {browser} since release {version}; users "
    "cannot pick dates.",
    "1. Open New request in {browser}.\n2. Click the start date field.\n3. Nothing happens.",
    "TypeError: Cannot read properties of undefined (reading 'getTimezoneOffset')",
    "Fixed the time zone handling in the date picker; frontend hotfix deployed." },
  { NULL, 3, "Payroll connector certificate expired",
    "The payroll connector cannot reach the provider since its client certificate expired; "
    "syncs have failed since {weekday}.",
    "1. Open Admin > Integrations > Payroll.\n2. Run 'Test connection'.\n"
    "3. The TLS handshake fails.",
    "SSL routines: certificate has expired",
    "Renewed and deployed the client certificate, and added its expiry to the DevOps "
    "monitoring." },

  /* Tier 4: executive and vendor */
  { NULL, 4, "LMS unavailable for all users",
    "Every user gets an error page when opening the Leave Management System; approvals and the "
    "payroll sync have stopped.",
    "1. Open lms.example.com.\n2. The error page appears for every user.",
    "503 Service Unavailable",
    "Database failover completed and the application restarted; full service restored. PIR "
    "scheduled." },
  { NULL, 4, "Suspected exposure of employee leave records",
    "A line manager in {dept} could see medical leave details of employees outside their team.",
    "1. Sign in as a line manager in {dept}.\n2. Open Reports > {report}.\n"
    "3. Records of other departments are listed.",
    "No error; records outside the user's scope are shown.",
    "Fixed the report access rule, confirmed the exposure window with the CISO and informed the "
    "DPO. PIR scheduled." },
  { NULL, 4, "Payroll vendor outage blocking the month-end run",
    "The payroll provider's API has been down for hours before the month-end cut-off; leave "
    "deductions cannot be sent.",
    "1. Run the payroll export.\n2. The connector cannot reach the provider's API.",
    "Connection refused: payroll-api.example.net:443",
    "The vendor restored the API after escalation by the Vendor Manager; export sent before "
    "cut-off." },
  { NULL, 4, "Leave data lost after a failed database failover",
    "After a failed failover, leave requests submitted in the last hours are missing for "
    "{count} employees.",
    "1. Compare the requests in LMS with the notification emails sent since the failover.\n"
    "2. Requests are missing.",
    "Replica lag at failover: 2 h 14 min",
    "Restored the missing requests from the transaction log with IT Director approval and told "
    "the users." },

  /* Any tier, for a policy whose issue types and tiers are not the above. */
  { NULL, 0, "LMS problem reported by {user}",
    "{user} from {dept} reports that a {leave} request cannot be completed in the Leave "
    "Management System.",
    "1. Sign in as {uid}.\n2. Open My Leave > New request.\n3. Submit the request.",
    "Something went wrong. Please try again later. (LMS-{code})",
    "Found and fixed the cause; the user completed the request." },
  { NULL, 0, "{leave} request fails for {dept}",
    "Staff in {dept} cannot submit {leave} requests since {weekday}.",
    "1. Sign in as a {dept} employee.\n2. Request {days} days of {leave}.\n3. Submit.",
    "Request could not be saved (LMS-{code})",
    "Corrected the cause and confirmed with {dept} that requests go through." },
};

/* Extra sentences that vary otherwise identical descriptions. */
static const char *const description_extras[] = {
  "The user says it worked last week.",
  "{colleagues} colleagues in {dept} report the same problem.",
  "The user needs this sorted before the payroll cut-off.",
  "Reported by phone; the user has already tried another browser.",
  "The user's line manager, {approver}, is copied in.",
  "It has happened twice this month.",
  "The user first noticed it on {weekday}.",
  "Screenshot attached to the original email.",
};

static const char *const comments_tier1[] = {
  "Called {user} back; could not reproduce it while on the call.",
  "Asked {user} for a screenshot of the error.",
  "Checked the knowledge base: no matching article.",
  "{user} confirms it also happens in {browser}.",
  "Cleared cached credentials with the user; the problem persists.",
  "Left a voicemail for {user} asking for a good time to call.",
};

static const char *const comments_tier2[] = {
  "Compared the balance with the HRIS record for {uid}: they differ.",
  "Reproduced it in UAT with a copy of the user's data.",
  "Payroll sync log: the last run completed with {count} warnings.",
  "The workflow audit trail shows the request routed to an inactive approver.",
  "Waiting for confirmation from the {dept} HR business partner.",
  "Checked the configuration change log: nothing changed for {dept} this month.",
};

static const char *const comments_tier3[] = {
  "Found the failing query in the slow query log; preparing an index change.",
  "The stack trace points at the accrual calculation for mid-year contract changes.",
  "Hotfix branch ready; change request raised for tonight's window.",
  "Rolled back the last deployment in staging to confirm the regression.",
  "DBA confirms lock contention on the leave_request table.",
  "Added logging around the payroll connector; waiting for the next run.",
};

static const char *const comments_tier4[] = {
  "IT Director informed; bridge open on #lms-incidents.",
  "Vendor account manager engaged under the premium support contract.",
  "CISO briefed; evidence preserved for the investigation.",
  "Business Owner agreed the communication to all staff.",
};

static const char *const user_updates[] = {
  "Update sent to {user}: the investigation continues; next update within the agreed interval.",
  "Status update to {dept}: engineers are working on a fix.",
  "Told {user} a workaround is being tested.",
};

static const char *const pick_up_bodies[] = {
  "Picked up; contacting the user.",
  "Acknowledged and investigating.",
  "Called {user} to confirm the details.",
  "Looking into it now.",
};

/* Helpers */

/* clang-format off */
G_DEFINE_QUARK (td-demo-data-error-quark, td_demo_data_error)
/* clang-format on */

static gint64
rand_range (Generator *gen, gint64 begin, gint64 end)
{
  g_assert (end > begin);

  /* g_rand_int_range is exact for spans that fit in 32 bits; longer spans
   * (never used here beyond a few years in seconds) go through a double. */
  if (end - begin <= G_MAXINT32)
    return begin + g_rand_int_range (gen->rand, 0, (gint32) (end - begin));
  return begin + (gint64) (g_rand_double (gen->rand) * (double) (end - begin));
}

static gboolean
chance (Generator *gen, double p)
{
  return g_rand_double (gen->rand) < p;
}

static guint
pick (Generator *gen, guint n)
{
  g_assert (n > 0);
  return (guint) g_rand_int_range (gen->rand, 0, (gint32) n);
}

static guint
pick_weighted (Generator *gen, const double *weights, guint n)
{
  double total = 0;
  double x;
  guint  last = 0;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  g_assert (total > 0);

  x = g_rand_double (gen->rand) * total;
  for (guint i = 0; i < n; i++)
    {
      if (weights[i] <= 0)
        continue;
      last = i;
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  /* Rounding left a sliver past the end: never a zero weight. */
  return last;
}

/* A version 4 UUID in form, but made from the seeded generator so the data
 * set can be rebuilt exactly. */
static void
make_uuid (Generator *gen, char out[UUID_SIZE])
{
  guint32           a = g_rand_int (gen->rand);
  guint32           b = (g_rand_int (gen->rand) & 0xffff0fff) | 0x00004000;
  guint32           c = (g_rand_int (gen->rand) & 0x3fffffff) | 0x80000000;
  guint32           d = g_rand_int (gen->rand);
  static const char hex[] = "0123456789abcdef";
  guint32           words[4] = { a, b, c, d };
  int               pos = 0;

  /* Written by hand: a million g_snprintf calls are measurable. */
  for (int i = 0; i < 32; i++)
    {
      guint32 word = words[i / 8];
      int     nibble = (word >> (28 - 4 * (i % 8))) & 0xf;

      if (i == 8 || i == 12 || i == 16 || i == 20)
        out[pos++] = '-';
      out[pos++] = hex[nibble];
    }
  out[pos] = '\0';
}

static void
format_day (gint64 day, char out[11])
{
  GDate date;
  GDate epoch;

  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);
  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (g_date_get_julian (&epoch) + day));
  g_snprintf (out, 11, "%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
}

static int
year_of (gint64 instant)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (instant);

  return g_date_time_get_year (time);
}

/* Monday = 0, from days since 1970-01-01 (a Thursday). */
static int
weekday_of_day (gint64 day)
{
  return (int) (((day + 3) % 7 + 7) % 7);
}

/* Training happens on working days: a weekend moves to the Monday after,
 * or to the Friday before when the Monday would be past @last_day. */
static gint64
working_day (gint64 day, gint64 last_day)
{
  int weekday = weekday_of_day (day);

  if (weekday < 5)
    return day;
  if (day + 7 - weekday <= last_day)
    return day + 7 - weekday;
  return day - (weekday - 4);
}

static void
json_append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
          case '"':
            g_string_append (out, "\\\"");
            break;
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          default:
            if ((guchar) *p < 0x20)
              g_string_append_printf (out, "\\u%04x", (guchar) *p);
            else
              g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* SQL */

static gboolean
sqlite_error (Generator *gen, const char *what, GError **error)
{
  g_set_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE, "%s: %s", what,
               sqlite3_errmsg (gen->db));
  return FALSE;
}

static gboolean
prepare (Generator *gen, const char *sql, sqlite3_stmt **stmt, GError **error)
{
  if (sqlite3_prepare_v3 (gen->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
    return sqlite_error (gen, "could not prepare the demo data statements", error);
  return TRUE;
}

/* Runs a prepared insert and makes it ready for the next row. */
static gboolean
step_insert (Generator *gen, sqlite3_stmt *stmt, const char *table, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE,
                   "could not insert into %s: %s", table, sqlite3_errmsg (gen->db));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Strings stay alive until the statement has run, so SQLite need not copy them. */
static void
bind_text (sqlite3_stmt *stmt, int column, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
}

static void
bind_int_or_null (sqlite3_stmt *stmt, int column, gint64 value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_int64 (stmt, column, value);
}

static gint64
next_rev (Generator *gen)
{
  return ++gen->rev;
}

/* Policy lookups */

static int
severity_index (Generator *gen, const char *id)
{
  for (guint i = 0; i < gen->severities->len; i++)
    if (g_strcmp0 (((const TdSeverity *) g_ptr_array_index (gen->severities, i))->id, id) == 0)
      return (int) i;
  return -1;
}

static int
plan_severity_index (Generator *gen, const TicketPlan *plan)
{
  return gen->rule_severity[plan->impact * (int) gen->urgencies->len + plan->urgency];
}

static const TdSeverity *
plan_severity (Generator *gen, const TicketPlan *plan)
{
  return g_ptr_array_index (gen->severities, plan_severity_index (gen, plan));
}

static const TdTriageRule *
plan_rule (Generator *gen, const TicketPlan *plan)
{
  return gen->rules[plan->impact * gen->urgencies->len + plan->urgency];
}

static int
step_path (Generator *gen, int severity, int from, int to)
{
  int n = gen->max_tier + 1;

  g_assert (from >= 0 && from < n && to >= 0 && to < n);
  return gen->step_path[(severity * n + from) * n + to];
}

/* Seconds of elapsed time a target usually takes, or -1 without a clock.
 * Business time runs five working days in seven calendar days. */
static gint64
approx_elapsed (const TdTarget *target)
{
  gint64 working;
  gint64 day;

  if (!target->has_clock || target->calendar == NULL)
    return -1;
  working = td_sla_target_seconds (target);
  if (td_calendar_is_always (target->calendar))
    return working;
  day = td_calendar_get_business_day (target->calendar);
  if (day <= 0)
    return working;
  return working * 7 * DAY / (5 * day);
}

static gint64
approx_resolution (const TdSeverity *severity, const TdIssueType *issue_type)
{
  gint64 by_severity = approx_elapsed (&severity->resolution);
  gint64 by_type = issue_type != NULL ? approx_elapsed (&issue_type->resolution) : -1;

  /* The earliest target wins, as in td_sla_compute(). */
  if (by_severity < 0)
    return by_type;
  if (by_type < 0)
    return by_severity;
  return MIN (by_severity, by_type);
}

static const TdIssueType *
pick_issue_type (Generator *gen, int tier_level)
{
  const TdTier *tier = td_policy_get_tier (gen->policy, tier_level);

  if (tier == NULL || tier->issue_types == NULL || tier->issue_types->len == 0)
    return NULL;
  return g_ptr_array_index (tier->issue_types, pick (gen, tier->issue_types->len));
}

static const char *
role_name (const Person *person)
{
  return person->role != NULL ? person->role->name : "";
}

static guint
pick_person (Generator *gen, GArray *pool)
{
  g_assert (pool->len > 0);
  return g_array_index (pool, guint, pick (gen, pool->len));
}

/* Who takes a ticket at a tier: a worker of that tier, else anyone there. */
static GArray *
owner_pool (Generator *gen, int tier)
{
  if (gen->workers[tier]->len > 0)
    return gen->workers[tier];
  if (gen->managers[tier]->len > 0)
    return gen->managers[tier];
  return gen->workers[gen->min_tier];
}

/* Text generation */

static int
slot_lookup (const char *name, gsize length)
{
  for (int i = 0; i < N_SLOTS; i++)
    if (strlen (slot_names[i]) == length && strncmp (slot_names[i], name, length) == 0)
      return i;
  return -1;
}

static const char *
slot_value (Generator *gen, Slot slot)
{
  char *value = gen->text.values[slot];
  gsize size = sizeof gen->text.values[slot];

  if (value[0] != '\0')
    return value;

  switch (slot)
    {
      case SLOT_LEAVE:
        g_strlcpy (value, leave_types[pick (gen, G_N_ELEMENTS (leave_types))], size);
        break;
      case SLOT_DEPT:
        g_strlcpy (value, departments[pick (gen, G_N_ELEMENTS (departments))], size);
        break;
      case SLOT_REPORT:
        g_strlcpy (value, reports[pick (gen, G_N_ELEMENTS (reports))], size);
        break;
      case SLOT_BROWSER:
        g_strlcpy (value, browsers[pick (gen, G_N_ELEMENTS (browsers))], size);
        break;
      case SLOT_REGION:
        g_strlcpy (value, regions[pick (gen, G_N_ELEMENTS (regions))], size);
        break;
      case SLOT_WEEKDAY:
        g_strlcpy (value, weekdays[pick (gen, G_N_ELEMENTS (weekdays))], size);
        break;
      case SLOT_MONTH:
        g_strlcpy (value, months[pick (gen, G_N_ELEMENTS (months))], size);
        break;
      case SLOT_PARTTIME:
        g_strlcpy (value, part_time_patterns[pick (gen, G_N_ELEMENTS (part_time_patterns))], size);
        break;
      case SLOT_APPROVER:
        {
          /* Drawn one statement at a time: the order C evaluates function
           * arguments in is unspecified, and the data must not depend on
           * the compiler. */
          const char *first = first_names[pick (gen, G_N_ELEMENTS (first_names))];
          const char *last = last_names[pick (gen, G_N_ELEMENTS (last_names))];

          g_snprintf (value, size, "%s %s", first, last);
        }
        break;
      case SLOT_KB:
        g_snprintf (value, size, "KB%07d", (int) rand_range (gen, 10000, 99999));
        break;
      case SLOT_DAYS:
        g_snprintf (value, size, "%d", (int) rand_range (gen, 2, 13));
        break;
      case SLOT_COUNT:
        g_snprintf (value, size, "%d", (int) rand_range (gen, 3, 240));
        break;
      case SLOT_TRIES:
        g_snprintf (value, size, "%d", (int) rand_range (gen, 2, 7));
        break;
      case SLOT_SECS:
        g_snprintf (value, size, "%d", (int) rand_range (gen, 8, 46));
        break;
      case SLOT_CODE:
        g_snprintf (value, size, "%d", (int) rand_range (gen, 1000, 10000));
        break;
      case SLOT_VERSION:
        {
          int minor = (int) rand_range (gen, 2, 10);
          int patch = (int) rand_range (gen, 0, 13);

          g_snprintf (value, size, "5.%d.%d", minor, patch);
        }
        break;
      case SLOT_COLLEAGUES:
        g_snprintf (value, size, "%d", (int) rand_range (gen, 2, 13));
        break;
      case SLOT_USER:
      case SLOT_UID:
      case SLOT_YEAR:
      case SLOT_PREVYEAR:
      case SLOT_NEXTYEAR:
      case N_SLOTS:
      default:
        /* Set per ticket before any text is expanded. */
        g_assert_not_reached ();
    }
  return value;
}

/* Replaces {name} placeholders with the ticket's slot values. */
static void
expand (Generator *gen, GString *out, const char *template)
{
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      int         slot;

      if (open == NULL)
        {
          g_string_append (out, p);
          return;
        }
      g_string_append_len (out, p, open - p);
      close = strchr (open, '}');
      g_assert (close != NULL);
      slot = slot_lookup (open + 1, close - open - 1);
      g_assert (slot >= 0);
      g_string_append (out, slot_value (gen, slot));
      p = close + 1;
    }
}

static void
expand_pick (Generator *gen, GString *out, const char *const *texts, guint n)
{
  expand (gen, out, texts[pick (gen, n)]);
}

static const TicketTemplate *
pick_template (Generator *gen, int tier, const TdIssueType *issue_type)
{
  const TicketTemplate *found[G_N_ELEMENTS (templates)];
  guint                 n = 0;

  if (issue_type != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
      if (g_strcmp0 (templates[i].issue_type, issue_type->id) == 0)
        found[n++] = &templates[i];

  /* An issue type this file does not know: any template of the tier. */
  if (n == 0)
    for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
      if (templates[i].tier == tier)
        found[n++] = &templates[i];

  if (n == 0)
    for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
      if (templates[i].tier == 0)
        found[n++] = &templates[i];

  g_assert (n > 0);
  return found[pick (gen, n)];
}

/* People */

static gboolean
role_in_team_structure (Generator *gen, const char *role_id)
{
  GPtrArray *tiers = td_policy_get_tiers (gen->policy);

  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      for (guint j = 0; tier->team_structure != NULL && j < tier->team_structure->len; j++)
        {
          const TdTeamSlot *slot = g_ptr_array_index (tier->team_structure, j);

          if (g_strcmp0 (slot->role, role_id) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The role most of a tier's people hold: a non-managing role of the tier
 * that no team slot names (a generic "Engineer"), else the one the team
 * structure lists most often ("Service Desk Analyst"). */
static const TdRole *
bulk_role (Generator *gen, int tier_level)
{
  GPtrArray    *roles = td_policy_get_roles (gen->policy);
  const TdTier *tier = td_policy_get_tier (gen->policy, tier_level);
  const TdRole *best = NULL;
  guint         best_count = 0;

  for (guint i = 0; i < roles->len; i++)
    {
      const TdRole *role = g_ptr_array_index (roles, i);

      if (role->tier == tier_level && role->manages_tier == 0
          && !role_in_team_structure (gen, role->id))
        return role;
    }

  for (guint i = 0; i < roles->len; i++)
    {
      const TdRole *role = g_ptr_array_index (roles, i);
      guint         count = 0;

      if (role->tier != tier_level || role->manages_tier != 0)
        continue;
      for (guint j = 0;
           tier != NULL && tier->team_structure != NULL && j < tier->team_structure->len; j++)
        {
          const TdTeamSlot *slot = g_ptr_array_index (tier->team_structure, j);

          if (g_strcmp0 (slot->role, role->id) == 0)
            count++;
        }
      if (best == NULL || count > best_count)
        {
          best = role;
          best_count = count;
        }
    }
  return best;
}

/* Tier 3 people belong to the sub-team their role names ("dba",
 * "senior-backend-engineer" → "backend"); generic engineers take turns. */
static const char *
sub_team_for (Generator *gen, const TdRole *role, int tier_level, guint turn)
{
  const TdTier *tier = td_policy_get_tier (gen->policy, tier_level);

  if (tier == NULL || tier->sub_teams == NULL || tier->sub_teams->len == 0)
    return NULL;
  for (guint i = 0; i < tier->sub_teams->len; i++)
    {
      const TdSubTeam *sub_team = g_ptr_array_index (tier->sub_teams, i);

      if (role != NULL && strstr (role->id, sub_team->id) != NULL)
        return sub_team->id;
    }
  if (role != NULL && (role->manages_tier != 0 || role_in_team_structure (gen, role->id)))
    return NULL;
  return ((const TdSubTeam *) g_ptr_array_index (tier->sub_teams, turn % tier->sub_teams->len))->id;
}

static void
email_local_part (GString *out, const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
    else if (*p == '-')
      g_string_append_c (out, '-');
}

static Person *
add_person (Generator    *gen,
            GHashTable   *names,
            const TdRole *role,
            int           tier,
            gint64        min_days,
            gint64        max_days)
{
  Person *person = &gen->people[gen->n_people];
  guint   index = gen->n_people++;
  g_autoptr (GString) email = g_string_new (NULL);
  const char *first;
  const char *last;
  char       *name;

  make_uuid (gen, person->uuid);
  do
    {
      first = first_names[pick (gen, G_N_ELEMENTS (first_names))];
      last = last_names[pick (gen, G_N_ELEMENTS (last_names))];
      name = g_strdup_printf ("%s %s", first, last);
      if (!g_hash_table_contains (names, name))
        break;
      g_free (name);
    }
  while (TRUE);
  g_hash_table_add (names, name);

  person->name = name;
  person->role = role;
  person->tier = tier;
  email_local_part (email, first);
  g_string_append_c (email, '.');
  email_local_part (email, last);
  g_string_append (email, "@example.com");
  g_strlcpy (person->email, email->str, sizeof person->email);
  person->start_day = gen->now_day - rand_range (gen, min_days, max_days);
  /* Ofcom's drama range: 020 7946 0000 to 0999 are never allocated; a
   * stride coprime with 1000 gives each person their own number. */
  g_snprintf (person->phone, sizeof person->phone, "+44 20 7946 0%03u", (index * 337 + 101) % 1000);
  person->time_zone = "Europe/London";
  return person;
}

static void
move_to_new_york (Person *person, guint *n_new_york)
{
  /* 555-0100 to 555-0199 are reserved for fiction in every area code. */
  if (*n_new_york >= 100)
    return;
  person->time_zone = "America/New_York";
  g_snprintf (person->phone, sizeof person->phone, "+1 212 555 01%02u", (*n_new_york)++);
}

static void
file_person (Generator *gen, guint index)
{
  Person *person = &gen->people[index];

  if (person->tier < gen->min_tier || person->tier > gen->max_tier)
    return;
  if (person->role != NULL && person->role->manages_tier != 0)
    g_array_append_val (gen->managers[person->tier], index);
  else
    g_array_append_val (gen->workers[person->tier], index);
}

static void
make_people (Generator *gen)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  GPtrArray *tiers = td_policy_get_tiers (gen->policy);
  GPtrArray *roles = td_policy_get_roles (gen->policy);
  g_autoptr (GPtrArray) shifts = g_ptr_array_new ();
  double        weights[MAX_STEPS + 2] = { 0 };
  const TdRole *bulk[MAX_STEPS + 2] = { NULL };
  guint         n_new_york = 0;
  guint         turn = 0;

  gen->people = g_new0 (Person, TD_DEMO_DATA_N_PEOPLE);

  /* Everyone the team structure of each tier names, in the policy's order,
   * so every slot has a person [3.6, 4.6, 5.6, 6.3]. */
  for (guint i = 0; i < tiers->len && gen->n_people < TD_DEMO_DATA_N_PEOPLE; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      for (guint j = 0; tier->team_structure != NULL && j < tier->team_structure->len
                        && gen->n_people < TD_DEMO_DATA_N_PEOPLE;
           j++)
        {
          const TdTeamSlot *slot = g_ptr_array_index (tier->team_structure, j);
          const TdRole     *role = td_policy_get_role (gen->policy, slot->role);
          int               level = role != NULL && role->tier != 0 ? role->tier : tier->level;
          Person           *person = add_person (gen, names, role, level, 730, 3 * 365);

          person->sub_team = sub_team_for (gen, role, level, turn++);
          if (g_strcmp0 (slot->note_kind, "shift") == 0)
            {
              person->shift = slot->note;
              if (role != NULL && role->manages_tier == 0)
                g_ptr_array_add (shifts, slot->note);
            }
          else if (g_strcmp0 (slot->note_kind, "when") == 0)
            person->engage_when = slot->note;
          if (g_strcmp0 (person->shift, "Evening Shift") == 0 && chance (gen, 0.5))
            move_to_new_york (person, &n_new_york);
        }
    }

  /* Roles no slot names (a generic engineer, the CFO, the trainer, the
   * administrator) get one person each. */
  for (guint i = 0; i < roles->len && gen->n_people < TD_DEMO_DATA_N_PEOPLE; i++)
    {
      const TdRole *role = g_ptr_array_index (roles, i);
      gboolean      held = FALSE;
      Person       *person;

      for (guint j = 0; j < gen->n_people && !held; j++)
        held = gen->people[j].role == role;
      if (held)
        continue;
      person = add_person (gen, names, role, role->tier, 400, 3 * 365);
      person->sub_team = sub_team_for (gen, role, role->tier, turn++);
      if (gen->trainer < 0 && role->tier == 0
          && td_policy_role_may (gen->policy, role->id, "training.write"))
        gen->trainer = (int) (gen->n_people - 1);
    }

  /* The rest are the analysts and engineers who own the queue: more at
   * Tier 1 than at Tier 3, none at the executive tier. */
  for (int level = gen->min_tier; level < gen->max_tier && level <= MAX_STEPS; level++)
    {
      bulk[level] = bulk_role (gen, level);
      weights[level] = bulk[level] != NULL ? gen->max_tier - level + 1 : 0;
    }
  if (gen->min_tier == gen->max_tier)
    {
      bulk[gen->min_tier] = bulk_role (gen, gen->min_tier);
      weights[gen->min_tier] = bulk[gen->min_tier] != NULL ? 1 : 0;
    }

  for (guint k = 0; gen->n_people < TD_DEMO_DATA_N_PEOPLE; k++)
    {
      double  total = 0;
      int     level;
      Person *person;

      for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
        total += weights[i];
      if (total == 0)
        level = gen->min_tier;
      else
        level = (int) pick_weighted (gen, weights, G_N_ELEMENTS (weights));

      person = add_person (gen, names, bulk[level], level, 14, 3 * 365);
      person->sub_team = sub_team_for (gen, bulk[level], level, turn++);
      if (level == gen->min_tier && shifts->len > 0)
        person->shift = g_ptr_array_index (shifts, k % shifts->len);
      if (g_strcmp0 (person->shift, "Evening Shift") == 0 ? chance (gen, 0.5) : chance (gen, 0.06))
        move_to_new_york (person, &n_new_york);
    }

  for (guint i = 0; i < gen->n_people; i++)
    file_person (gen, i);
}

static gboolean
insert_people (Generator *gen, GError **error)
{
  sqlite3_stmt *stmt = gen->insert_person;

  for (guint i = 0; i < gen->n_people; i++)
    {
      const Person *person = &gen->people[i];
      char          start[11];

      format_day (person->start_day, start);
      sqlite3_bind_text (stmt, 1, person->uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, next_rev (gen));
      bind_text (stmt, 3, person->name);
      bind_text (stmt, 4, person->role != NULL ? person->role->id : NULL);
      bind_int_or_null (stmt, 5, person->tier);
      bind_text (stmt, 6, person->sub_team);
      bind_text (stmt, 7, person->email);
      bind_text (stmt, 8, person->phone);
      bind_text (stmt, 9, person->time_zone);
      bind_text (stmt, 10, person->shift);
      bind_text (stmt, 11, start);
      bind_text (stmt, 12, person->engage_when);
      if (!step_insert (gen, stmt, "person", error))
        return FALSE;
    }
  return TRUE;
}

/* Rotations */

/* People of the rota's tier who may stand in @position: those of the
 * sub-team the position names ("dba", "devops" → "devops-sre"), else those
 * of no sub-team any position of this rota names, so nobody holds two
 * positions in the same week. */
static GArray *
rota_pool (Generator *gen, const TdRotaTemplate *rota, const char *position)
{
  GArray *pool = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *workers = gen->workers[rota->tier];

  for (guint i = 0; i < workers->len; i++)
    {
      guint       index = g_array_index (workers, guint, i);
      const char *sub_team = gen->people[index].sub_team;

      if (sub_team != NULL && g_str_has_prefix (sub_team, position))
        g_array_append_val (pool, index);
    }
  if (pool->len > 0)
    return pool;

  for (guint i = 0; i < workers->len; i++)
    {
      guint       index = g_array_index (workers, guint, i);
      const char *sub_team = gen->people[index].sub_team;
      gboolean    claimed = FALSE;

      for (guint j = 0; sub_team != NULL && j < rota->positions->len && !claimed; j++)
        {
          const TdPolicyItem *other = g_ptr_array_index (rota->positions, j);

          claimed = g_str_has_prefix (sub_team, other->id);
        }
      if (!claimed)
        g_array_append_val (pool, index);
    }
  return pool;
}

typedef sqlite3_stmt Statement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, sqlite3_finalize)

/* 09:00 London time on day @day (days since 1970-01-01), as an instant. */
static gint64
london_handoff (gint64 day)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/London");
  g_autoptr (GDateTime) at = NULL;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1970);
  g_date_add_days (&date, (guint) day);
  if (zone == NULL)
    return day * DAY + 9 * 3600;
  at = g_date_time_new (zone, g_date_get_year (&date), g_date_get_month (&date),
                        g_date_get_day (&date), 9, 0, 0);
  return g_date_time_to_unix (at);
}

/* A few overrides and one pending swap around now, so the On-call page
 * shows a rota that lives: someone covering now, a cover next week, and an
 * offer waiting for an answer. @holders[p * weeks + w] is the person of
 * position p in cycle week w + 1. */
static gboolean
insert_rota_changes (Generator            *gen,
                     const char           *rotation,
                     const TdRotaTemplate *rota,
                     gint64                start_day,
                     const char          **holders,
                     gboolean              with_swap,
                     GError              **error)
{
  g_autoptr (Statement) override = NULL;
  g_autoptr (Statement) swap = NULL;
  int         weeks = MAX (rota->weeks, 1);
  guint       n_positions = rota->positions->len;
  gint64      shift = (gen->now_day - start_day) / 7;
  const char *reasons[] = { "Sick leave", "Covering a public holiday trip", "Dentist appointment" };

  if (n_positions == 0)
    return TRUE;
  if (sqlite3_prepare_v2 (gen->db,
                          "INSERT INTO rota_override (uuid, rev, deleted, rotation, position, "
                          "person, starts_at, ends_at, reason, created_by, created_at) "
                          "VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          -1, &override, NULL)
          != SQLITE_OK
      || sqlite3_prepare_v2 (gen->db,
                             "INSERT INTO swap_request (uuid, rev, deleted, rotation, position, "
                             "requester, counterpart, give_starts_at, give_ends_at, status, "
                             "note, created_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, "
                             "'pending', ?9, ?10)",
                             -1, &swap, NULL)
             != SQLITE_OK)
    return sqlite_error (gen, "could not prepare the rota statements", error);

  for (guint p = 0; p < n_positions; p++)
    {
      const TdPolicyItem *position = g_ptr_array_index (rota->positions, p);
      /* The last position: someone covers from yesterday to tomorrow, so
       * "on call now" is an override. The first: a mid-week cover next
       * week. */
      gint64      offset = p == n_positions - 1 ? 0 : 1;
      gint64      index = shift + offset;
      const char *scheduled = holders[p * weeks + (int) (index % weeks)];
      const char *cover = holders[p * weeks + (int) ((index + 1) % weeks)];
      gint64      from_day = offset == 0 ? gen->now_day - 1 : start_day + 7 * index + 2;
      char        uuid[UUID_SIZE];

      if ((p != 0 && p != n_positions - 1) || scheduled == NULL || cover == NULL
          || g_str_equal (scheduled, cover))
        continue;
      make_uuid (gen, uuid);
      sqlite3_bind_text (override, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (override, 2, next_rev (gen));
      bind_text (override, 3, rotation);
      bind_text (override, 4, position->id);
      bind_text (override, 5, cover);
      sqlite3_bind_int64 (override, 6, london_handoff (from_day));
      sqlite3_bind_int64 (override, 7, london_handoff (from_day + 2));
      bind_text (override, 8, reasons[p % G_N_ELEMENTS (reasons)]);
      bind_text (override, 9, scheduled);
      sqlite3_bind_int64 (override, 10, gen->now - DAY);
      if (!step_insert (gen, override, "rota_override", error))
        return FALSE;
    }

  if (with_swap && n_positions > 1)
    {
      /* The second position's holder two shifts ahead offers it to the
       * one who holds it the shift after. */
      gint64              index = shift + 2;
      const char         *requester = holders[weeks + (int) (index % weeks)];
      const char         *counterpart = holders[weeks + (int) ((index + 1) % weeks)];
      const TdPolicyItem *position = g_ptr_array_index (rota->positions, 1);
      char                uuid[UUID_SIZE];

      if (requester != NULL && counterpart != NULL && !g_str_equal (requester, counterpart))
        {
          make_uuid (gen, uuid);
          sqlite3_bind_text (swap, 1, uuid, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (swap, 2, next_rev (gen));
          bind_text (swap, 3, rotation);
          bind_text (swap, 4, position->id);
          bind_text (swap, 5, requester);
          bind_text (swap, 6, counterpart);
          sqlite3_bind_int64 (swap, 7, london_handoff (start_day + 7 * index));
          sqlite3_bind_int64 (swap, 8, london_handoff (start_day + 7 * (index + 1)));
          bind_text (swap, 9, "Family wedding that week");
          sqlite3_bind_int64 (swap, 10, gen->now - DAY);
          if (!step_insert (gen, swap, "swap_request", error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
insert_rotations (Generator *gen, GError **error)
{
  gboolean swap_made = FALSE;

  GPtrArray *rotas = td_policy_get_rota_templates (gen->policy);
  gint64     start_day = gen->now_day - 3 * 365;
  char       start[11];

  /* Week 1 starts on a Monday about three years back, handing off at 09:00
   * London time [4.7, 5.7]. */
  start_day -= weekday_of_day (start_day);
  format_day (start_day, start);

  for (guint i = 0; rotas != NULL && i < rotas->len; i++)
    {
      const TdRotaTemplate *rota = g_ptr_array_index (rotas, i);
      g_autoptr (GString) positions = g_string_new ("[");
      char uuid[UUID_SIZE];
      int  weeks = MAX (rota->weeks, 1);

      for (guint j = 0; j < rota->positions->len; j++)
        {
          const TdPolicyItem *position = g_ptr_array_index (rota->positions, j);

          if (j > 0)
            g_string_append_c (positions, ',');
          json_append_string (positions, position->id);
        }
      g_string_append_c (positions, ']');

      make_uuid (gen, uuid);
      sqlite3_bind_text (gen->insert_rotation, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (gen->insert_rotation, 2, next_rev (gen));
      bind_text (gen->insert_rotation, 3, rota->name);
      bind_text (gen->insert_rotation, 4, rota->id);
      sqlite3_bind_int (gen->insert_rotation, 5, rota->tier);
      bind_text (gen->insert_rotation, 6, "Europe/London");
      bind_text (gen->insert_rotation, 7, start);
      bind_text (gen->insert_rotation, 8, "09:00");
      sqlite3_bind_int (gen->insert_rotation, 9, weeks);
      bind_text (gen->insert_rotation, 10, positions->str);
      if (!step_insert (gen, gen->insert_rotation, "rotation", error))
        return FALSE;

      if (rota->tier < gen->min_tier || rota->tier > gen->max_tier)
        continue;

      /* Each position walks its own pool in order, so people take turns
       * week by week. */
      g_autofree const char **holders = g_new0 (const char *, rota->positions->len *weeks + 1);
      for (guint j = 0; j < rota->positions->len; j++)
        {
          const TdPolicyItem *position = g_ptr_array_index (rota->positions, j);
          g_autoptr (GArray) pool = rota_pool (gen, rota, position->id);

          if (pool->len == 0)
            continue;
          for (int week = 1; week <= weeks; week++)
            {
              /* The positions of one week start at different places in
               * a shared pool, so one person never holds two at once. */
              guint         at = ((guint) (week - 1) + j * (guint) weeks) % pool->len;
              const Person *person = &gen->people[g_array_index (pool, guint, at)];
              char          member[UUID_SIZE];

              make_uuid (gen, member);
              sqlite3_bind_text (gen->insert_member, 1, member, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (gen->insert_member, 2, next_rev (gen));
              bind_text (gen->insert_member, 3, uuid);
              bind_text (gen->insert_member, 4, person->uuid);
              holders[j * weeks + (week - 1)] = person->uuid;
              bind_text (gen->insert_member, 5, position->id);
              sqlite3_bind_int (gen->insert_member, 6, week);
              if (!step_insert (gen, gen->insert_member, "rotation_member", error))
                return FALSE;
            }
        }
      if (!insert_rota_changes (gen, uuid, rota, start_day, holders, !swap_made, error))
        return FALSE;
      swap_made = TRUE;
    }
  return TRUE;
}

/* Training */

typedef struct
{
  gint64                 day;
  guint                  person;
  const TdTrainingTopic *topic;
  int                    kind; /* 0 scheduled, 1 repeat */
} Completion;

static int
compare_completions (gconstpointer a, gconstpointer b)
{
  const Completion *x = a;
  const Completion *y = b;

  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  if (x->person != y->person)
    return x->person < y->person ? -1 : 1;
  return g_strcmp0 (x->topic->id, y->topic->id) != 0 ? g_strcmp0 (x->topic->id, y->topic->id)
                                                     : x->kind - y->kind;
}

static void
schedule_training (Generator *gen, GArray *completions, guint index, GPtrArray *topics)
{
  const Person *person = &gen->people[index];
  gint64        last_day = gen->now_day - 1;

  for (guint i = 0; i < topics->len; i++)
    {
      const TdTrainingTopic *topic = g_ptr_array_index (topics, i);
      Completion             completion = { 0, index, topic, 0 };

      if (topic->tier != person->tier)
        continue;

      switch (topic->frequency)
        {
          case TD_TRAINING_ONBOARDING:
            /* Onboarding in the first weeks in the job. */
            completion.day = working_day (person->start_day + rand_range (gen, 2, 40), last_day);
            if (completion.day <= last_day && completion.day > person->start_day)
              g_array_append_val (completions, completion);
            break;

          case TD_TRAINING_QUARTERLY:
          case TD_TRAINING_ANNUAL:
          default:
            {
              gint64 period = topic->frequency == TD_TRAINING_QUARTERLY ? 91 : 365;

              for (gint64 day = person->start_day + period / 2 + rand_range (gen, 0, 30);
                   day <= last_day; day += period + rand_range (gen, -14, 15))
                {
                  completion.day = working_day (day, last_day);
                  g_array_append_val (completions, completion);
                }
            }
            break;
        }
    }
}

static gboolean
insert_training (Generator *gen, GError **error)
{
  GPtrArray *topics = td_policy_get_training (gen->policy);
  g_autoptr (GArray) completions = g_array_new (FALSE, FALSE, sizeof (Completion));
  g_autoptr (GArray) eligible = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *trainer = gen->trainer >= 0 ? gen->people[gen->trainer].uuid : NULL;
  g_autoptr (GString) notes = g_string_new (NULL);

  if (topics == NULL || topics->len == 0)
    return TRUE;

  for (guint i = 0; i < gen->n_people; i++)
    {
      gboolean has_topics = FALSE;

      for (guint j = 0; j < topics->len && !has_topics; j++)
        has_topics = ((const TdTrainingTopic *) g_ptr_array_index (topics, j))->tier
                     == gen->people[i].tier;
      if (!has_topics || gen->people[i].start_day + 30 >= gen->now_day)
        continue;
      g_array_append_val (eligible, i);
      schedule_training (gen, completions, i, topics);
    }

  /* The curriculum alone gives fewer sessions than the reference data set
   * has; the rest are repeats of a topic of the person's tier. */
  while (completions->len < TD_DEMO_DATA_N_TRAINING && eligible->len > 0)
    {
      guint                  index = g_array_index (eligible, guint, pick (gen, eligible->len));
      const Person          *person = &gen->people[index];
      const TdTrainingTopic *topic;
      Completion             completion = { 0, index, NULL, 1 };

      do
        topic = g_ptr_array_index (topics, pick (gen, topics->len));
      while (topic->tier != person->tier);
      completion.topic = topic;
      completion.day
          = working_day (rand_range (gen, person->start_day + 30, gen->now_day), gen->now_day - 1);
      g_array_append_val (completions, completion);
    }

  /* Too many (a policy with a long curriculum): keep a random selection. */
  for (guint i = 0; completions->len > TD_DEMO_DATA_N_TRAINING && i < TD_DEMO_DATA_N_TRAINING; i++)
    {
      guint      j = i + pick (gen, completions->len - i);
      Completion swap = g_array_index (completions, Completion, i);

      g_array_index (completions, Completion, i) = g_array_index (completions, Completion, j);
      g_array_index (completions, Completion, j) = swap;
    }
  if (completions->len > TD_DEMO_DATA_N_TRAINING)
    g_array_set_size (completions, TD_DEMO_DATA_N_TRAINING);

  g_array_sort (completions, compare_completions);

  for (guint i = 0; i < completions->len; i++)
    {
      const Completion *completion = &g_array_index (completions, Completion, i);
      const Person     *person = &gen->people[completion->person];
      static const int  jitter[] = { -15, -10, -5, 0, 0, 0, 0, 5, 10, 15 };
      gint64            minutes = (gint64) (completion->topic->hours * 60 + 0.5)
                       + jitter[pick (gen, G_N_ELEMENTS (jitter))];
      char day[11];
      char uuid[UUID_SIZE];

      format_day (completion->day, day);
      g_string_truncate (notes, 0);
      if (completion->kind == 1)
        g_string_append (notes, "Repeat session");
      else if (completion->topic->frequency == TD_TRAINING_ONBOARDING)
        g_string_append_printf (notes, "Onboarding, cohort of %.7s", day);
      else if (completion->topic->frequency == TD_TRAINING_QUARTERLY)
        g_string_append_printf (notes, "Quarterly session, %.4s", day);
      else
        g_string_append_printf (notes, "Annual session, %.4s", day);

      make_uuid (gen, uuid);
      sqlite3_bind_text (gen->insert_training, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (gen->insert_training, 2, next_rev (gen));
      bind_text (gen->insert_training, 3, person->uuid);
      bind_text (gen->insert_training, 4, completion->topic->id);
      bind_text (gen->insert_training, 5, day);
      sqlite3_bind_int64 (gen->insert_training, 6, MAX (minutes, 15));
      bind_text (gen->insert_training, 7, trainer);
      bind_text (gen->insert_training, 8, notes->str);
      bind_text (gen->insert_training, 9, trainer);
      /* Recorded at the end of the session's afternoon. */
      sqlite3_bind_int64 (gen->insert_training, 10,
                          completion->day * DAY + 16 * HOUR + rand_range (gen, 0, 3 * HOUR));
      if (!step_insert (gen, gen->insert_training, "training_record", error))
        return FALSE;
    }
  return TRUE;
}

/* Ticket plans */

/* More tickets in office hours than at night or at weekends. */
static gint64
draw_created (Generator *gen)
{
  for (;;)
    {
      gint64 ago = chance (gen, RECENT_SHARE) ? rand_range (gen, 0, RECENT)
                                              : rand_range (gen, RECENT, HISTORY);
      gint64 created = gen->now - ago;
      gint64 day = created >= 0 ? created / DAY : (created - DAY + 1) / DAY;
      int    hour = (int) ((created - day * DAY) / HOUR);
      double accept;

      if (weekday_of_day (day) >= 5)
        accept = 0.15;
      else if (hour >= 8 && hour < 18)
        accept = 1.0;
      else
        accept = 0.25;
      if (chance (gen, accept))
        return created;
    }
}

/* How long a ticket stays at @tier before moving on. SEV-1 moves fast. */
static gint32
draw_stay (Generator *gen, int tier, gboolean urgent)
{
  if (tier <= gen->min_tier)
    return urgent ? rand_range (gen, 3 * MINUTE, 12 * MINUTE)
                  : rand_range (gen, 8 * MINUTE, 40 * MINUTE);
  if (tier == gen->min_tier + 1)
    return urgent ? rand_range (gen, 10 * MINUTE, 40 * MINUTE)
                  : rand_range (gen, 40 * MINUTE, 5 * HOUR);
  return urgent ? rand_range (gen, 20 * MINUTE, HOUR) : rand_range (gen, 30 * MINUTE, 3 * HOUR);
}

/* Where a ticket ends up, by severity level: SEV-1 goes to engineering or
 * the executive tier, SEV-4 mostly stays at the service desk. */
static int
draw_final_tier (Generator *gen, const TdSeverity *severity)
{
  static const double by_level[4][4] = {
    { 0, 15, 50, 35 },
    { 20, 45, 33, 2 },
    { 55, 35, 10, 0 },
    { 80, 17, 3, 0 },
  };
  int row = CLAMP (severity->level, 1, 4) - 1;
  int offset = pick_weighted (gen, by_level[row], 4);

  return MIN (gen->min_tier + offset, gen->max_tier);
}

static void
draw_route (Generator *gen, TicketPlan *plan, int severity, int final_tier)
{
  int current = gen->min_tier;

  plan->route[0] = (guint8) current;
  plan->n_steps = 0;

  while (current < final_tier && plan->n_steps < MAX_STEPS)
    {
      int next = -1;
      int path = -1;

      /* Sometimes straight past a tier, when the policy allows it for the
       * severity (SEV-1 direct, any → Tier 4). */
      for (int to = final_tier; to > current + 1 && next < 0; to--)
        {
          int candidate = step_path (gen, severity, current, to);

          if (candidate >= 0 && chance (gen, 0.35))
            {
              next = to;
              path = candidate;
            }
        }
      for (int to = current + 1; to <= final_tier && next < 0; to++)
        {
          path = step_path (gen, severity, current, to);
          if (path >= 0)
            next = to;
        }
      if (next < 0)
        break;

      plan->path[plan->n_steps] = (gint8) path;
      plan->route[++plan->n_steps] = (guint8) next;
      current = next;
    }
}

static int
plan_tier (const TicketPlan *plan)
{
  return plan->route[plan->n_steps];
}

static void
draw_triage (Generator *gen, TicketPlan *plan)
{
  plan->impact = (guint8) pick_weighted (gen, gen->impact_weights, gen->impacts->len);
  plan->urgency = (guint8) pick_weighted (gen, gen->urgency_weights, gen->urgencies->len);
}

/* Squeezes the escalations of an open ticket into its age so far. */
static void
fit_escalations (TicketPlan *plan, gint64 age)
{
  gint64 first = plan->first_response;
  gint64 room = age - 60 - first;
  gint64 last;

  if (plan->n_steps == 0)
    return;
  last = plan->escalated[plan->n_steps - 1];
  if (last < age - 60)
    return;

  for (int k = 0; k < plan->n_steps; k++)
    {
      gint64 at = first + (plan->escalated[k] - first) * room / MAX (last - first, 1);
      gint64 min = k == 0 ? first + 1 : plan->escalated[k - 1] + 2;

      plan->escalated[k] = (gint32) MAX (at, min);
    }
}

static void
draw_escalations (Generator *gen, TicketPlan *plan, gboolean urgent)
{
  gint64 at = plan->first_response;

  for (int k = 0; k < plan->n_steps; k++)
    {
      gint64 stay = draw_stay (gen, plan->route[k], urgent);

      /* Not MAX (draw_stay (…), 2): the macro would draw twice. */
      at += MAX (stay, 2);
      plan->escalated[k] = (gint32) at;
    }
}

static void
draw_plan (Generator *gen, TicketPlan *plan)
{
  const TdSeverity  *severity;
  const TdIssueType *issue_type;
  gboolean           urgent;
  gint64             age;
  gint64             budget;
  gint64             resolve;
  gint64             last;
  double             fraction;
  double             r;

  draw_triage (gen, plan);
  severity = plan_severity (gen, plan);
  urgent = severity->level <= 1;
  draw_route (gen, plan, plan_severity_index (gen, plan), draw_final_tier (gen, severity));
  issue_type = pick_issue_type (gen, plan_tier (plan));

  plan->created = draw_created (gen);
  age = gen->now - plan->created;
  plan->first_response = chance (gen, 0.94) ? rand_range (gen, MINUTE, 12 * MINUTE)
                                            : rand_range (gen, 15 * MINUTE, 45 * MINUTE);
  draw_escalations (gen, plan, urgent);

  /* Resolution as a share of the target: mostly in time, a few late. */
  budget = approx_resolution (severity, issue_type);
  if (budget <= 0)
    budget = rand_range (gen, 2 * DAY, 21 * DAY);
  r = g_rand_double (gen->rand);
  if (r < 0.62)
    fraction = g_rand_double_range (gen->rand, 0.05, 0.5);
  else if (r < 0.95)
    fraction = g_rand_double_range (gen->rand, 0.5, 0.92);
  else if (r < 0.97)
    fraction = g_rand_double_range (gen->rand, 0.92, 1.0);
  else
    fraction = g_rand_double_range (gen->rand, 1.05, 2.5);
  resolve = (gint64) (budget * fraction);
  last = plan->n_steps > 0 ? plan->escalated[plan->n_steps - 1] : plan->first_response;
  if (plan->n_steps > 0)
    {
      gint64 after_last = last + rand_range (gen, 10 * MINUTE, 2 * HOUR);

      resolve = MAX (resolve, after_last);
    }

  /* The service desk solves many tickets while the user is still on the
   * phone [10.1: first contact resolution]. */
  if (plan->n_steps == 0 && (resolve <= plan->first_response || chance (gen, 0.5)))
    {
      plan->first_contact = TRUE;
      resolve = plan->first_response;
    }
  else if (resolve <= plan->first_response)
    resolve = plan->first_response + rand_range (gen, 2 * MINUTE, 20 * MINUTE);

  if (age < plan->first_response)
    {
      /* Nobody has answered yet: a new ticket still at the first tier. */
      plan->first_response = -1;
      plan->n_steps = 0;
      plan->first_contact = FALSE;
      issue_type = pick_issue_type (gen, plan_tier (plan));
    }
  else if (resolve > age)
    {
      plan->first_contact = FALSE;
      if (age - plan->first_response < 120 + 2 * plan->n_steps)
        {
          plan->n_steps = 0;
          issue_type = pick_issue_type (gen, plan_tier (plan));
        }
      fit_escalations (plan, age);
    }
  else
    {
      plan->resolved = plan->created + resolve;
      if (plan->first_contact)
        plan->closed = plan->resolved;
      else if (!chance (gen, 0.01))
        {
          /* Either the user confirms the fix, or it closes itself after
           * three days without a reply. */
          gint64 delay = chance (gen, 0.3) ? rand_range (gen, 5 * MINUTE, 8 * HOUR)
                                           : 3 * DAY + rand_range (gen, 0, 2 * HOUR);

          if (plan->resolved + delay <= gen->now)
            plan->closed = plan->resolved + delay;
        }
    }
  plan->issue_type = issue_type;
}

static gboolean
compute_resolution (Generator *gen, const TicketPlan *plan, gint64 created, TdSlaResult *result)
{
  const TdSeverity *severity = plan_severity (gen, plan);
  TdSlaTicket       ticket = { 0 };

  ticket.tier = plan_tier (plan);
  ticket.severity = severity->id;
  ticket.issue_type = plan->issue_type != NULL ? plan->issue_type->id : NULL;
  ticket.created = created;
  return td_sla_compute (gen->policy, &ticket, gen->now, result, NULL);
}

/* An open ticket whose resolution clock is at risk (or breached) at @now,
 * found with the exact SLA computation: business calendars make the
 * elapsed time for a given working time depend on the start. */
static gboolean
draw_forced_plan (Generator *gen, TicketPlan *plan, TdSlaState wanted)
{
  for (int attempt = 0; attempt < 64; attempt++)
    {
      const TdSeverity *severity;
      TdSlaResult       result;
      gint64            lo;
      gint64            hi;
      gint64            target;
      gint64            age;
      gint64            response;

      memset (plan->escalated, 0, sizeof plan->escalated);
      plan->first_contact = FALSE;
      plan->resolved = plan->closed = 0;
      draw_triage (gen, plan);
      severity = plan_severity (gen, plan);
      draw_route (gen, plan, plan_severity_index (gen, plan), draw_final_tier (gen, severity));
      plan->issue_type = pick_issue_type (gen, plan_tier (plan));

      if (!compute_resolution (gen, plan, gen->now - 1, &result) || !result.resolution.has_clock)
        continue;

      /* The clock's used working time falls as the start moves towards
       * now: find the latest start that has used the share we want. */
      target = (gint64) (result.resolution.budget
                         * (wanted == TD_SLA_AT_RISK ? g_rand_double_range (gen->rand, 0.8, 0.95)
                                                     : g_rand_double_range (gen->rand, 1.15, 1.8)));
      lo = gen->now - 120 * DAY;
      hi = gen->now;
      while (hi - lo > 30)
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (!compute_resolution (gen, plan, mid, &result))
            break;
          if (result.resolution.used >= target)
            lo = mid;
          else
            hi = mid;
        }

      if (!compute_resolution (gen, plan, lo, &result) || result.resolution.state != wanted)
        continue;

      plan->created = lo;
      age = gen->now - lo;
      response = rand_range (gen, MINUTE, 12 * MINUTE);
      plan->first_response = (gint32) MAX (1, MIN (response, age / 8));
      draw_escalations (gen, plan, severity->level <= 1);
      /* Too young to have climbed this route: the clock above was for its
       * last tier, so draw another rather than cut the route short. */
      if (plan->n_steps > 0 && age - plan->first_response < 120 + 2 * plan->n_steps)
        continue;
      fit_escalations (plan, age);
      return TRUE;
    }
  return FALSE;
}

static int
compare_plans (gconstpointer a, gconstpointer b)
{
  const TicketPlan *x = a;
  const TicketPlan *y = b;

  if (x->created != y->created)
    return x->created < y->created ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index ? 1 : 0;
}

/* Ticket rows */

static int
compare_events (gconstpointer a, gconstpointer b)
{
  const PendingEvent *x = a;
  const PendingEvent *y = b;
  gboolean            x_floating = x->kind >= EVENT_COMMENT;
  gboolean            y_floating = y->kind >= EVENT_COMMENT;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  /* At the same second the workflow event wins; the filler is dropped. */
  if (x_floating != y_floating)
    return x_floating ? 1 : -1;
  return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
}

static void
add_event (PendingEvent *events, guint *n, gint64 at, EventKind kind, int step, guint author)
{
  g_assert (*n < MAX_EVENTS);
  events[*n] = (PendingEvent){ at, *n, kind, step, author };
  (*n)++;
}

/* An instant strictly between @from and @to, if there is room for one. */
static gboolean
draw_between (Generator *gen, gint64 from, gint64 to, gint64 *at)
{
  if (to - from < 3)
    return FALSE;
  *at = rand_range (gen, from + 1, to);
  return TRUE;
}

/* Who owns the ticket at @at: the owner of the last stage assigned before it. */
static guint
owner_at (const TicketPlan *plan, const guint *owners, const gint64 *assigned, gint64 at)
{
  guint owner = owners[0];

  for (int k = 0; k < plan->n_steps; k++)
    if (assigned[k] <= at)
      owner = owners[k + 1];
  return owner;
}

static const char *const *
comments_for_tier (Generator *gen, int tier, guint *n)
{
  int offset = tier - gen->min_tier;

  switch (offset)
    {
      case 0:
        *n = G_N_ELEMENTS (comments_tier1);
        return comments_tier1;
      case 1:
        *n = G_N_ELEMENTS (comments_tier2);
        return comments_tier2;
      case 2:
        *n = G_N_ELEMENTS (comments_tier3);
        return comments_tier3;
      default:
        *n = G_N_ELEMENTS (comments_tier4);
        return comments_tier4;
    }
}

static gboolean
write_event (Generator          *gen,
             const char         *ticket,
             const char         *kind,
             const PendingEvent *event,
             const char         *body,
             const char         *data,
             GError            **error)
{
  sqlite3_stmt *stmt = gen->insert_event;
  char          uuid[UUID_SIZE];

  make_uuid (gen, uuid);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_rev (gen));
  bind_text (stmt, 3, ticket);
  bind_text (stmt, 4, kind);
  bind_text (stmt, 5, gen->people[event->author].uuid);
  sqlite3_bind_int64 (stmt, 6, event->at);
  bind_text (stmt, 7, body);
  bind_text (stmt, 8, data);
  return step_insert (gen, stmt, "ticket_event", error);
}

static void
status_data (GString *data, const char *status)
{
  g_string_printf (data, "{\"status\":\"%s\"}", status);
}

static gboolean
write_ticket (Generator *gen, const TicketPlan *plan, GError **error)
{
  const TdSeverity   *severity = plan_severity (gen, plan);
  const TdTriageRule *rule = plan_rule (gen, plan);
  const TicketTemplate *template;
  int          tier = plan_tier (plan);
  PendingEvent events[MAX_EVENTS];
  guint        n_events = 0;
  guint        owners[MAX_STEPS + 1];
  gint64       assigned[MAX_STEPS];
  gint64       created = plan->created;
  gint64       end = plan->resolved != 0 ? plan->resolved : gen->now;
  gint64       first_response = plan->first_response >= 0 ? created + plan->first_response : 0;
  gint64       last_event = 0;
  gint64       tier_entered = created;
  gint64       occurred;
  int          year;
  const char  *status;
  const char  *user_first;
  const char  *user_last;
  char         ticket[UUID_SIZE];
  g_autoptr (GString) user_email = g_string_new (NULL);
  const char   *browser = NULL;
  sqlite3_stmt *stmt = gen->insert_ticket;

  make_uuid (gen, ticket);

  /* Who had it at each tier: the analyst who logged it, then one person
   * per tier it was escalated to. */
  owners[0] = pick_person (gen, owner_pool (gen, plan->route[0]));
  for (int k = 0; k < plan->n_steps; k++)
    owners[k + 1] = pick_person (gen, owner_pool (gen, plan->route[k + 1]));

  /* The affected user and the text. */
  memset (&gen->text, 0, sizeof gen->text);
  user_first = first_names[pick (gen, G_N_ELEMENTS (first_names))];
  user_last = last_names[pick (gen, G_N_ELEMENTS (last_names))];
  g_snprintf (gen->text.values[SLOT_USER], sizeof gen->text.values[SLOT_USER], "%s %s", user_first,
              user_last);
  g_snprintf (gen->text.values[SLOT_UID], sizeof gen->text.values[SLOT_UID], "E%05d",
              (int) rand_range (gen, 10000, 100000));
  year = year_of (created);
  g_snprintf (gen->text.values[SLOT_YEAR], sizeof gen->text.values[SLOT_YEAR], "%d", year);
  g_snprintf (gen->text.values[SLOT_PREVYEAR], sizeof gen->text.values[SLOT_PREVYEAR], "%d",
              year - 1);
  g_snprintf (gen->text.values[SLOT_NEXTYEAR], sizeof gen->text.values[SLOT_NEXTYEAR], "%d",
              year + 1);

  template = pick_template (gen, tier, plan->issue_type);
  g_string_truncate (gen->title, 0);
  g_string_truncate (gen->description, 0);
  g_string_truncate (gen->steps, 0);
  g_string_truncate (gen->error_message, 0);
  g_string_truncate (gen->resolution, 0);
  expand (gen, gen->title, template->title);
  expand (gen, gen->description, template->description);
  if (chance (gen, 0.5))
    {
      g_string_append_c (gen->description, ' ');
      expand_pick (gen, gen->description, description_extras, G_N_ELEMENTS (description_extras));
    }
  expand (gen, gen->steps, template->steps);
  expand (gen, gen->error_message, template->error);
  expand (gen, gen->resolution, template->resolution);

  email_local_part (user_email, user_first);
  g_string_append_c (user_email, '.');
  email_local_part (user_email, user_last);
  /* Ofcom's drama range for mobiles: 07700 900000 to 900999. */
  g_string_printf (gen->contact, "%s <%s@example.com>, +44 7700 900%03d",
                   gen->text.values[SLOT_USER], user_email->str, (int) rand_range (gen, 0, 1000));
  if (strstr (template->title, "{browser}") != NULL || strstr (template->steps, "{browser}") != NULL
      || chance (gen, 0.6))
    browser = slot_value (gen, SLOT_BROWSER);
  occurred = created
             - (severity->level <= 1 ? rand_range (gen, MINUTE, 20 * MINUTE)
                                     : rand_range (gen, 2 * MINUTE, 6 * HOUR));

  /* The history, drawn as a list, sorted, then written. */
  for (int k = 0; k < plan->n_steps; k++)
    {
      gint64  at = created + plan->escalated[k];
      gint64  next = k + 1 < plan->n_steps ? created + plan->escalated[k + 1] : end;
      gint64  gap = rand_range (gen, MINUTE, 15 * MINUTE);
      GArray *managers = gen->managers[plan->route[k + 1]];
      guint   assigner
          = managers->len > 0 && chance (gen, 0.4) ? pick_person (gen, managers) : owners[k + 1];

      /* Picked up before the next move, and not drawn with MIN (), which
       * would draw twice. */
      gap = CLAMP (gap, 1, MAX ((next - at) / 2, 1));
      assigned[k] = at + gap;
      add_event (events, &n_events, at, EVENT_ESCALATE, k, owners[k]);
      add_event (events, &n_events, assigned[k], EVENT_ASSIGN, k, assigner);
      tier_entered = at;
    }

  if (first_response != 0)
    {
      gint64 at;
      guint  n_comments;
      double r = g_rand_double (gen->rand);

      if (plan->first_contact)
        add_event (events, &n_events, first_response, EVENT_FIRST_CONTACT, -1, owners[0]);
      else
        add_event (events, &n_events, first_response, EVENT_IN_PROGRESS, -1, owners[0]);

      n_comments = r < 0.8 ? 0 : r < 0.95 ? 1 : 2;
      if (plan->n_steps > 0 && chance (gen, 0.3))
        n_comments++;
      for (guint c = 0; c < n_comments && !plan->first_contact; c++)
        if (draw_between (gen, first_response, end, &at))
          add_event (events, &n_events, at, EVENT_COMMENT, -1,
                     owner_at (plan, owners, assigned, at));
      if (browser != NULL && !plan->first_contact && chance (gen, 0.08)
          && draw_between (gen, first_response, end, &at))
        add_event (events, &n_events, at, EVENT_BROWSER, -1, owner_at (plan, owners, assigned, at));
      /* Taking a ticket over, the new tier files it under one of its own
       * issue types. */
      if (plan->n_steps > 0 && plan->issue_type != NULL && chance (gen, 0.5)
          && draw_between (gen, assigned[plan->n_steps - 1],
                           MIN (end, assigned[plan->n_steps - 1] + 10 * MINUTE), &at))
        add_event (events, &n_events, at, EVENT_RETYPE, -1, owners[plan->n_steps]);

      /* Open tickets tell the user how it is going at the severity's
       * cadence [5.5], most of the time. */
      if (plan->resolved == 0 && severity->update.has_clock && chance (gen, 0.85))
        {
          gint64 cadence = approx_elapsed (&severity->update);

          at = gen->now - rand_range (gen, MINUTE, MAX (cadence * 7 / 10, 2 * MINUTE));
          if (at > first_response + 1 && at < gen->now)
            add_event (events, &n_events, at, EVENT_USER_UPDATE, -1,
                       owner_at (plan, owners, assigned, at));
        }
    }

  if (plan->resolved != 0 && !plan->first_contact)
    {
      add_event (events, &n_events, plan->resolved, EVENT_RESOLVED, -1, owners[plan->n_steps]);
      if (plan->closed != 0)
        add_event (events, &n_events, plan->closed, EVENT_CLOSED, -1,
                   chance (gen, 0.4) ? owners[0] : owners[plan->n_steps]);
    }

  qsort (events, n_events, sizeof (PendingEvent), compare_events);

  for (guint i = 0; i < n_events; i++)
    {
      const PendingEvent *event = &events[i];
      const char         *kind = "comment";
      guint               n_texts;
      const char *const  *texts;

      if (event->at <= last_event || event->at > gen->now)
        {
          /* Workflow events are placed in strictly increasing order; only
           * a filler can clash, and a filler can go. */
          g_assert (event->kind >= EVENT_COMMENT);
          continue;
        }

      g_string_truncate (gen->body, 0);
      g_string_truncate (gen->data, 0);

      switch ((EventKind) event->kind)
        {
          case EVENT_IN_PROGRESS:
            kind = "status";
            expand_pick (gen, gen->body, pick_up_bodies, G_N_ELEMENTS (pick_up_bodies));
            status_data (gen->data, "in_progress");
            break;

          case EVENT_FIRST_CONTACT:
            kind = "status";
            g_string_append (gen->body, "Resolved on first contact: ");
            g_string_append (gen->body, gen->resolution->str);
            status_data (gen->data, "closed");
            break;

          case EVENT_RESOLVED:
            kind = "status";
            g_string_append (gen->body, gen->resolution->str);
            status_data (gen->data, "resolved");
            break;

          case EVENT_CLOSED:
            kind = "status";
            g_string_append (gen->body, plan->closed - plan->resolved >= 3 * DAY
                                            ? "Closed automatically: no reply within 3 days."
                                            : "The user confirmed the fix; closing.");
            status_data (gen->data, "closed");
            break;

          case EVENT_ESCALATE:
            {
              const TdEscalationPath *path
                  = g_ptr_array_index (gen->paths, plan->path[event->step]);
              const TdTier *to = td_policy_get_tier (gen->policy, plan->route[event->step + 1]);
              const char   *criterion
                  = path->criteria != NULL && path->criteria[0] != NULL
                        ? path->criteria[pick (gen, g_strv_length (path->criteria))]
                        : "escalation needed";

              kind = "escalate";
              g_string_append_printf (gen->body, "Escalated to %s: %s.",
                                      to != NULL ? to->name : "the next tier", criterion);
              if (path->checklist != NULL)
                g_string_append (gen->body, " Handoff checklist complete.");
              g_string_printf (gen->data,
                               "{\"from_tier\":%d,\"to_tier\":%d,\"path\":%s,\"checklist\":%s}",
                               plan->route[event->step], plan->route[event->step + 1],
                               gen->path_id_json[plan->path[event->step]],
                               gen->path_checklist_json[plan->path[event->step]]);
            }
            break;

          case EVENT_ASSIGN:
            kind = "assign";
            g_string_append_printf (gen->body, "Assigned to %s (%s).",
                                    gen->people[owners[event->step + 1]].name,
                                    role_name (&gen->people[owners[event->step + 1]]));
            g_string_printf (gen->data, "{\"owner\":\"%s\"}",
                             gen->people[owners[event->step + 1]].uuid);
            break;

          case EVENT_COMMENT:
            texts = comments_for_tier (gen, plan->route[0], &n_texts);
            for (int k = 0; k < plan->n_steps; k++)
              if (event->at >= assigned[k])
                texts = comments_for_tier (gen, plan->route[k + 1], &n_texts);
            expand_pick (gen, gen->body, texts, n_texts);
            break;

          case EVENT_USER_UPDATE:
            expand_pick (gen, gen->body, user_updates, G_N_ELEMENTS (user_updates));
            break;

          case EVENT_RETYPE:
            kind = "update";
            g_string_append_printf (gen->body, "Reclassified as %s.", plan->issue_type->name);
            g_string_append (gen->data, "{\"issue_type\":");
            json_append_string (gen->data, plan->issue_type->id);
            g_string_append_c (gen->data, '}');
            break;

          case EVENT_BROWSER:
            kind = "update";
            g_string_append (gen->body, "Added the browser and device from the user's screenshot.");
            g_string_append (gen->data, "{\"browser_device\":");
            json_append_string (gen->data, browser);
            g_string_append_c (gen->data, '}');
            break;

          default:
            g_assert_not_reached ();
        }

      if (!write_event (gen, ticket, kind, event, gen->body->str,
                        gen->data->len > 0 ? gen->data->str : NULL, error))
        return FALSE;
      last_event = event->at;
    }

  if (plan->closed != 0)
    status = "closed";
  else if (plan->resolved != 0)
    status = "resolved";
  else if (first_response != 0)
    status = "in_progress";
  else
    status = "new";

  sqlite3_bind_text (stmt, 1, ticket, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_rev (gen));
  bind_text (stmt, 3, gen->title->str);
  bind_text (stmt, 4, gen->description->str);
  bind_text (stmt, 5, gen->text.values[SLOT_UID]);
  bind_text (stmt, 6, gen->contact->str);
  bind_text (stmt, 7, gen->steps->str);
  bind_text (stmt, 8, gen->error_message->str);
  bind_text (stmt, 9, rule->impact);
  bind_text (stmt, 10, rule->urgency);
  bind_text (stmt, 11, browser);
  sqlite3_bind_int64 (stmt, 12, occurred);
  sqlite3_bind_int (stmt, 13, tier);
  bind_text (stmt, 14, rule->severity);
  bind_text (stmt, 15, rule->priority);
  bind_text (stmt, 16, plan->issue_type != NULL ? plan->issue_type->id : NULL);
  bind_text (stmt, 17, status);
  bind_text (stmt, 18, gen->people[owners[plan->n_steps]].uuid);
  bind_text (stmt, 19, gen->people[owners[0]].uuid);
  sqlite3_bind_int64 (stmt, 20, created);
  sqlite3_bind_int64 (stmt, 21, tier_entered);
  bind_int_or_null (stmt, 22, first_response);
  bind_int_or_null (stmt, 23, last_event);
  bind_int_or_null (stmt, 24, plan->resolved);
  bind_int_or_null (stmt, 25, plan->closed);
  bind_text (stmt, 26, plan->resolved != 0 ? gen->resolution->str : NULL);
  sqlite3_bind_int (stmt, 27, severity->pir_required ? 1 : 0);
  return step_insert (gen, stmt, "ticket", error);
}

/* Moves the staged tickets into ticket with one statement. A statement
 * inside a transaction runs under a savepoint, and FTS5 writes out its
 * pending terms at every savepoint: inserted one by one, each ticket would
 * become a segment of its own in ticket_fts and the merges would take most
 * of the run. One INSERT … SELECT per batch lets the index build in memory. */
static gboolean
flush_staged_tickets (Generator *gen, GError **error)
{
  if (gen->n_staged == 0)
    return TRUE;
  if (!step_insert (gen, gen->flush_tickets, "ticket", error)
      || !step_insert (gen, gen->clear_staging, STAGING, error))
    return FALSE;
  gen->n_staged = 0;
  return TRUE;
}

static gboolean
insert_tickets (Generator *gen, guint n_tickets, GError **error)
{
  g_autofree TicketPlan *plans = g_new0 (TicketPlan, MAX (n_tickets, 1));
  guint                  n_at_risk = MIN (n_tickets, 5 + n_tickets / 10000);
  guint                  n_breached = MIN (n_tickets - n_at_risk, 3 + n_tickets / 20000);

  for (guint i = 0; i < n_tickets; i++)
    {
      TicketPlan *plan = &plans[i];

      plan->index = i;
      if (i < n_at_risk + n_breached)
        {
          TdSlaState wanted = i < n_at_risk ? TD_SLA_AT_RISK : TD_SLA_BREACHED;

          if (draw_forced_plan (gen, plan, wanted))
            continue;
          /* A policy with no resolution clock at all: an ordinary ticket. */
          memset (plan, 0, sizeof *plan);
          plan->index = i;
        }
      draw_plan (gen, plan);
    }

  /* Written in the order they were created, as a live desk would have. */
  qsort (plans, n_tickets, sizeof (TicketPlan), compare_plans);

  for (guint i = 0; i < n_tickets; i++)
    {
      if (!write_ticket (gen, &plans[i], error))
        return FALSE;
      if (++gen->n_staged == TICKET_BATCH && !flush_staged_tickets (gen, error))
        return FALSE;
    }
  if (!flush_staged_tickets (gen, error))
    return FALSE;

  /* The statements must let go of the staging table before it is dropped. */
  g_clear_pointer (&gen->insert_ticket, sqlite3_finalize);
  g_clear_pointer (&gen->flush_tickets, sqlite3_finalize);
  g_clear_pointer (&gen->clear_staging, sqlite3_finalize);
  if (sqlite3_exec (gen->db, "DROP TABLE temp." STAGING, NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_error (gen, "could not drop the ticket staging table", error);
  return TRUE;
}

/* Setup */

static gboolean
prepare_policy (Generator *gen, GError **error)
{
  GPtrArray        *tiers = td_policy_get_tiers (gen->policy);
  guint             n_impacts;
  guint             n_urgencies;
  guint             n_severities;
  g_autofree char **all_items = NULL;
  g_autoptr (GPtrArray) items = g_ptr_array_new ();
  GPtrArray *checklists = td_policy_get_checklists (gen->policy);
  int        n;
  /* Few high-impact, high-urgency tickets: by position in the policy's
   * lists, which run from the most to the least serious. */
  static const double impact_weights[] = { 5, 25, 70 };
  static const double urgency_weights[] = { 15, 45, 40 };

  gen->severities = td_policy_get_severities (gen->policy);
  gen->impacts = td_policy_get_impacts (gen->policy);
  gen->urgencies = td_policy_get_urgencies (gen->policy);
  gen->paths = td_policy_get_escalation_paths (gen->policy);
  n_impacts = gen->impacts->len;
  n_urgencies = gen->urgencies->len;
  n_severities = gen->severities->len;

  if (tiers->len == 0 || n_impacts == 0 || n_urgencies == 0 || n_severities == 0)
    {
      g_set_error_literal (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_POLICY,
                           "the policy needs tiers, severities, impacts and urgencies");
      return FALSE;
    }
  if (n_impacts > G_MAXUINT8 || n_urgencies > G_MAXUINT8 || gen->paths->len > G_MAXINT8)
    {
      g_set_error_literal (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_POLICY,
                           "the policy's triage or escalation tables are too large");
      return FALSE;
    }

  gen->min_tier = G_MAXINT;
  gen->max_tier = 0;
  for (guint i = 0; i < tiers->len; i++)
    {
      const TdTier *tier = g_ptr_array_index (tiers, i);

      gen->min_tier = MIN (gen->min_tier, tier->level);
      gen->max_tier = MAX (gen->max_tier, tier->level);
    }
  if (gen->max_tier > MAX_STEPS + 1)
    {
      g_set_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_POLICY,
                   "the policy has %d tiers; demo data supports up to %d", gen->max_tier,
                   MAX_STEPS + 1);
      return FALSE;
    }

  gen->workers = g_new0 (GArray *, gen->max_tier + 1);
  gen->managers = g_new0 (GArray *, gen->max_tier + 1);
  for (int i = 0; i <= gen->max_tier; i++)
    {
      gen->workers[i] = g_array_new (FALSE, FALSE, sizeof (guint));
      gen->managers[i] = g_array_new (FALSE, FALSE, sizeof (guint));
    }

  /* The triage matrix, looked up once instead of per ticket. */
  gen->rules = g_new0 (const TdTriageRule *, n_impacts *n_urgencies);
  gen->rule_severity = g_new0 (int, n_impacts *n_urgencies);
  gen->impact_weights = g_new0 (double, n_impacts);
  gen->urgency_weights = g_new0 (double, n_urgencies);
  for (guint i = 0; i < n_impacts; i++)
    {
      const TdPolicyItem *impact = g_ptr_array_index (gen->impacts, i);

      gen->impact_weights[i] = n_impacts == G_N_ELEMENTS (impact_weights) ? impact_weights[i] : 1;
      for (guint j = 0; j < n_urgencies; j++)
        {
          const TdPolicyItem *urgency = g_ptr_array_index (gen->urgencies, j);
          g_autoptr (GError) local_error = NULL;
          const TdTriageRule *rule = td_triage (gen->policy, impact->id, urgency->id, &local_error);
          int                 severity = rule != NULL ? severity_index (gen, rule->severity) : -1;

          if (rule == NULL || severity < 0)
            {
              /* Such a pair is never drawn: its impact gets no weight. */
              gen->rules[i * n_urgencies + j] = NULL;
              gen->impact_weights[i] = 0;
              continue;
            }
          gen->rules[i * n_urgencies + j] = rule;
          gen->rule_severity[i * n_urgencies + j] = severity;
        }
    }
  for (guint j = 0; j < n_urgencies; j++)
    gen->urgency_weights[j]
        = n_urgencies == G_N_ELEMENTS (urgency_weights) ? urgency_weights[j] : 1;
  {
    double total = 0;

    for (guint i = 0; i < n_impacts; i++)
      total += gen->impact_weights[i];
    if (total == 0)
      {
        g_set_error_literal (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_POLICY,
                             "the policy's triage matrix has no complete row");
        return FALSE;
      }
  }

  /* Every escalation the policy allows, per severity, with every checklist
   * item ticked: the demo tickets only take allowed paths. */
  for (guint i = 0; i < checklists->len; i++)
    {
      const TdChecklist *checklist = g_ptr_array_index (checklists, i);

      for (guint j = 0; j < checklist->items->len; j++)
        g_ptr_array_add (items,
                         ((const TdChecklistItem *) g_ptr_array_index (checklist->items, j))->id);
    }
  g_ptr_array_add (items, NULL);
  all_items = (char **) g_ptr_array_steal (items, NULL);

  n = gen->max_tier + 1;
  gen->step_path = g_new (int, n_severities *n *n);
  for (guint s = 0; s < n_severities; s++)
    for (int from = 0; from < n; from++)
      for (int to = 0; to < n; to++)
        {
          const TdSeverity   *severity = g_ptr_array_index (gen->severities, s);
          TdEscalationRequest request
              = { from, severity->id, (const char *const *) all_items, NULL };
          const TdEscalationPath *path = NULL;
          int                     found = -1;

          if (from >= gen->min_tier && to > from)
            path = td_escalation_check (gen->policy, &request, to, NULL);
          for (guint p = 0; path != NULL && p < gen->paths->len; p++)
            if (g_ptr_array_index (gen->paths, p) == path)
              found = (int) p;
          gen->step_path[(s * n + from) * n + to] = found;
        }

  gen->path_checklist_json = g_new0 (char *, gen->paths->len + 1);
  gen->path_id_json = g_new0 (char *, gen->paths->len + 1);
  for (guint p = 0; p < gen->paths->len; p++)
    {
      const TdEscalationPath *path = g_ptr_array_index (gen->paths, p);
      const TdChecklist      *checklist
          = path->checklist != NULL ? td_policy_get_checklist (gen->policy, path->checklist) : NULL;
      GString *json = g_string_new ("[");

      for (guint j = 0; checklist != NULL && j < checklist->items->len; j++)
        {
          const TdChecklistItem *item = g_ptr_array_index (checklist->items, j);

          if (j > 0)
            g_string_append_c (json, ',');
          json_append_string (json, item->id);
        }
      g_string_append_c (json, ']');
      gen->path_checklist_json[p] = g_string_free (json, FALSE);

      json = g_string_new (NULL);
      json_append_string (json, path->id);
      gen->path_id_json[p] = g_string_free (json, FALSE);
    }
  return TRUE;
}

static gboolean
prepare_statements (Generator *gen, GError **error)
{
  /* Same columns as ticket, no triggers and no indexes; created inside the
   * transaction so that a rollback takes it away too. */
  if (sqlite3_exec (gen->db, "CREATE TEMP TABLE " STAGING " AS SELECT * FROM main.ticket LIMIT 0",
                    NULL, NULL, NULL)
      != SQLITE_OK)
    return sqlite_error (gen, "could not create the ticket staging table", error);

  return prepare (gen,
                  "INSERT INTO person (uuid, rev, deleted, name, role, tier, sub_team, email, "
                  "phone, time_zone, shift, start_date, engage_when) "
                  "VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                  &gen->insert_person, error)
         && prepare (gen,
                     "INSERT INTO rotation (uuid, rev, deleted, name, policy_id, tier, "
                     "time_zone, start_date, handoff_time, weeks, positions) "
                     "VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                     &gen->insert_rotation, error)
         && prepare (gen,
                     "INSERT INTO rotation_member (uuid, rev, deleted, rotation, person, "
                     "position, week) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6)",
                     &gen->insert_member, error)
         && prepare (gen,
                     "INSERT INTO training_record (uuid, rev, deleted, person, topic, "
                     "completed_on, minutes, trainer, notes, recorded_by, created_at) "
                     "VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                     &gen->insert_training, error)
         && prepare (gen,
                     "INSERT INTO temp." STAGING " (uuid, rev, deleted, title, description, "
                     "affected_user_id, contact, steps_to_reproduce, error_message, impact, "
                     "urgency, browser_device, occurred_at, tier, severity, priority, "
                     "issue_type, status, owner, created_by, created_at, tier_entered_at, "
                     "first_response_at, last_update_at, resolved_at, closed_at, resolution, "
                     "pir_required, new_issue) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                     "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, "
                     "?24, ?25, ?26, ?27, 0)",
                     &gen->insert_ticket, error)
         && prepare (gen, "INSERT INTO main.ticket SELECT * FROM temp." STAGING " ORDER BY rowid",
                     &gen->flush_tickets, error)
         && prepare (gen, "DELETE FROM temp." STAGING, &gen->clear_staging, error)
         && prepare (gen,
                     "INSERT INTO ticket_event (uuid, rev, deleted, ticket, kind, author, at, "
                     "body, data) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)",
                     &gen->insert_event, error);
}

static gboolean
read_head (Generator *gen, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (gen->db, "SELECT value FROM meta WHERE key = 'head_rev'", -1, &stmt, NULL)
      != SQLITE_OK)
    return sqlite_error (gen, "could not read the head revision (is this a server store?)", error);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error_literal (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE,
                           "the store has no head revision");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  gen->rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
write_head (Generator *gen, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      ok;

  if (sqlite3_prepare_v2 (gen->db, "UPDATE meta SET value = ?1 WHERE key = 'head_rev'", -1, &stmt,
                          NULL)
      != SQLITE_OK)
    return sqlite_error (gen, "could not update the head revision", error);
  sqlite3_bind_int64 (stmt, 1, gen->rev);
  ok = step_insert (gen, stmt, "meta", error);
  sqlite3_finalize (stmt);
  return ok;
}

static void
generator_free (Generator *gen)
{
  sqlite3_finalize (gen->insert_person);
  sqlite3_finalize (gen->insert_rotation);
  sqlite3_finalize (gen->insert_member);
  sqlite3_finalize (gen->insert_training);
  sqlite3_finalize (gen->insert_ticket);
  sqlite3_finalize (gen->flush_tickets);
  sqlite3_finalize (gen->clear_staging);
  sqlite3_finalize (gen->insert_event);

  for (guint i = 0; gen->people != NULL && i < gen->n_people; i++)
    g_free (gen->people[i].name);
  g_free (gen->people);
  for (int i = 0; gen->workers != NULL && i <= gen->max_tier; i++)
    {
      g_array_unref (gen->workers[i]);
      g_array_unref (gen->managers[i]);
    }
  g_free (gen->workers);
  g_free (gen->managers);
  g_free (gen->rules);
  g_free (gen->rule_severity);
  g_free (gen->impact_weights);
  g_free (gen->urgency_weights);
  g_free (gen->step_path);
  if (gen->path_checklist_json != NULL)
    g_strfreev (gen->path_checklist_json);
  if (gen->path_id_json != NULL)
    g_strfreev (gen->path_id_json);

  g_string_free (gen->title, TRUE);
  g_string_free (gen->description, TRUE);
  g_string_free (gen->steps, TRUE);
  g_string_free (gen->error_message, TRUE);
  g_string_free (gen->resolution, TRUE);
  g_string_free (gen->body, TRUE);
  g_string_free (gen->data, TRUE);
  g_string_free (gen->contact, TRUE);
  g_clear_object (&gen->policy);
  g_rand_free (gen->rand);
  g_free (gen);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Generator, generator_free)

static Generator *
generator_new (sqlite3 *db, TdPolicy *policy, guint32 seed, gint64 now)
{
  Generator *gen = g_new0 (Generator, 1);

  gen->db = db;
  gen->policy = g_object_ref (policy);
  gen->rand = g_rand_new_with_seed (seed);
  gen->now = now;
  gen->now_day = now >= 0 ? now / DAY : (now - DAY + 1) / DAY;
  gen->trainer = -1;
  gen->title = g_string_new (NULL);
  gen->description = g_string_new (NULL);
  gen->steps = g_string_new (NULL);
  gen->error_message = g_string_new (NULL);
  gen->resolution = g_string_new (NULL);
  gen->body = g_string_new (NULL);
  gen->data = g_string_new (NULL);
  gen->contact = g_string_new (NULL);
  return gen;
}

/* Approvals [4.5, 9.2]: a few requests waiting for each approver and some
 * decided ones, routed as the server routes them, so the Team page's
 * Approvals section has something to show. */

static int
first_with_role (Generator *gen, const char *role, int skip)
{
  for (guint i = 0; i < gen->n_people; i++)
    if (gen->people[i].role != NULL && g_str_equal (gen->people[i].role->id, role) && skip-- == 0)
      return (int) i;
  return -1;
}

static char *
roles_json (char *const *roles)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      json_append_string (text, roles[i]);
    }
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

typedef struct
{
  const char *type;
  const char *requester_role;
  const char *users;
  const char *description;
  const char *evidence;
  const char *status;  /* pending, approved, applied, rejected */
  const char *decider; /* a role */
  const char *note;
  int         days_ago;
} DemoCorrection;

static const DemoCorrection demo_corrections[] = {
  { "single-balance", "app-support-analyst", "E10442",
    "Annual leave balance is 3 days short after the November payroll sync",
    "Payroll export line 118 shows 25 days; the LMS shows 22", "pending", NULL, NULL, 1 },
  { "single-balance", "app-support-analyst", "E20877", "2025 carry-over of 5 days was not applied",
    "HR approval of the carry-over (email of 14 Jan) and the balance history", "pending", NULL,
    NULL, 0 },
  { "bulk-balance", "app-support-lead", "E10001 to E10240 (Finance)",
    "Accrual rate was 1.50 instead of 2.08 days a month since the October configuration change",
    "Configuration change log of 14 Oct; 240 balances recomputed in the attached sheet", "pending",
    NULL, NULL, 2 },
  { "historical", "senior-backend-engineer", "E30112",
    "2024 sick-leave records were duplicated by the HRIS re-import",
    "Import job 2024-11-03 log; duplicate record ids in the ticket", "pending", NULL, NULL, 3 },
  { "single-balance", "app-support-analyst", "E11873", "Half-day booked twice on 2 Nov",
    "Two leave requests with the same date in the audit trail", "applied", "app-support-lead",
    "Matches the audit trail", 6 },
  { "single-balance", "app-support-analyst", "E40221",
    "Balance looks 1 day low after the bank holiday", "User's screenshot of My Leave", "rejected",
    "service-desk-manager", "The balance is right: the bank holiday accrual posts on the 1st", 9 },
};

typedef struct
{
  const char *requester_role;
  const char *tool;
  const char *level;
  const char *reason;
  const char *status;
  int         days_ago;
} DemoAccess;

static const DemoAccess demo_accesses[] = {
  { "app-support-analyst", "apm", NULL, "Joining the on-call rota next week", "pending", 0 },
  { "app-support-analyst", "database-client", "read",
    "Reconciling leave balances against the database", "pending", 1 },
  { "service-desk-analyst", "lms-admin-console", NULL, "New starter on the morning shift",
    "pending", 1 },
  { "engineer", "ci-cd", NULL, "Hotfix deployments while on call", "pending", 2 },
  { "app-support-analyst", "pagerduty", NULL, "On the Tier 2 rota from Monday", "approved", 12 },
};

static gboolean
insert_approvals (Generator *gen, GError **error)
{
  sqlite3_stmt *correction = NULL;
  sqlite3_stmt *access = NULL;
  gboolean      ok = TRUE;

  if (!prepare (gen,
                "INSERT INTO correction_request (uuid, rev, deleted, correction_type, "
                "affected_user_id, description, evidence, authority, approval, status, "
                "requested_by, requested_at, approver_role, decided_by, decided_at, "
                "decision_note, applied_by, applied_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, "
                "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                &correction, error)
      || !prepare (gen,
                   "INSERT INTO access_request (uuid, rev, deleted, person, tool, level, reason, "
                   "approval, status, requested_by, requested_at, approver_role, decided_by, "
                   "decided_at, granted_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                   "?11, ?12, ?13, ?14)",
                   &access, error))
    {
      sqlite3_finalize (correction);
      return FALSE;
    }

  for (guint i = 0; ok && i < G_N_ELEMENTS (demo_corrections); i++)
    {
      const DemoCorrection   *demo = &demo_corrections[i];
      const TdCorrectionRule *rule = td_policy_get_correction (gen->policy, demo->type);
      int    requester = first_with_role (gen, demo->requester_role, (int) (i % 2));
      int    decider = demo->decider != NULL ? first_with_role (gen, demo->decider, 0) : -1;
      gint64 at = gen->now - demo->days_ago * DAY - 3600 * (gint64) (i + 1);
      char   uuid[UUID_SIZE];
      g_autofree char *authority_roles = NULL;
      g_autofree char *approval_roles = NULL;
      g_autofree char *authority = NULL;
      g_autoptr (GString) approval = g_string_new (NULL);

      if (requester < 0)
        requester = first_with_role (gen, demo->requester_role, 0);
      if (rule == NULL || rule->prohibited || requester < 0)
        continue;
      authority_roles = roles_json (rule->authority_roles);
      approval_roles = roles_json (rule->approval_roles);
      authority
          = g_strdup_printf ("{\"tier\":%d,\"roles\":%s}", rule->authority_tier, authority_roles);
      g_string_append_printf (approval, "{\"roles\":%s,\"label\":", approval_roles);
      json_append_string (approval, rule->approval_label);
      g_string_append_c (approval, '}');
      make_uuid (gen, uuid);
      sqlite3_reset (correction);
      sqlite3_clear_bindings (correction);
      sqlite3_bind_text (correction, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (correction, 2, next_rev (gen));
      bind_text (correction, 3, demo->type);
      bind_text (correction, 4, demo->users);
      bind_text (correction, 5, demo->description);
      bind_text (correction, 6, demo->evidence);
      bind_text (correction, 7, authority);
      bind_text (correction, 8, approval->str);
      bind_text (correction, 9, demo->status);
      bind_text (correction, 10, gen->people[requester].uuid);
      sqlite3_bind_int64 (correction, 11, at);
      bind_text (correction, 12,
                 decider >= 0
                     ? demo->decider
                     : td_correction_route (gen->policy, demo->type, demo->requester_role));
      if (decider >= 0)
        {
          bind_text (correction, 13, gen->people[decider].uuid);
          sqlite3_bind_int64 (correction, 14, at + 2 * 3600);
          bind_text (correction, 15, demo->note);
        }
      if (g_str_equal (demo->status, "applied"))
        {
          bind_text (correction, 16, gen->people[requester].uuid);
          sqlite3_bind_int64 (correction, 17, at + 4 * 3600);
        }
      ok = step_insert (gen, correction, "correction_request", error);
    }

  for (guint i = 0; ok && i < G_N_ELEMENTS (demo_accesses); i++)
    {
      const DemoAccess           *demo = &demo_accesses[i];
      int                         requester = first_with_role (gen, demo->requester_role, 1);
      const TdAccessProvisioning *provisioning;
      const char                 *approver = NULL;
      TdAccessLevel               level = TD_ACCESS_FULL;
      int                         decider;
      gint64                      at = gen->now - demo->days_ago * DAY - 1800 * (gint64) (i + 1);
      char                        uuid[UUID_SIZE];
      g_autoptr (GString) approval = g_string_new (NULL);

      if (requester < 0)
        requester = first_with_role (gen, demo->requester_role, 0);
      if (requester < 0
          || td_access_check_request (gen->policy, demo->tool, gen->people[requester].tier,
                                      demo->level, &level, &approver, NULL)
                 != TD_ACCESS_REQUEST_OK)
        continue;
      provisioning = td_access_provisioning_for_tier (gen->policy, gen->people[requester].tier);
      g_string_append_printf (approval, "{\"tier\":%d,\"approver\":", provisioning->tier);
      json_append_string (approval, provisioning->approver);
      g_string_append (approval, ",\"request\":");
      json_append_string (approval, provisioning->request);
      g_string_append_c (approval, '}');
      decider = g_str_equal (demo->status, "pending") ? -1 : first_with_role (gen, approver, 0);
      make_uuid (gen, uuid);
      sqlite3_reset (access);
      sqlite3_clear_bindings (access);
      sqlite3_bind_text (access, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (access, 2, next_rev (gen));
      bind_text (access, 3, gen->people[requester].uuid);
      bind_text (access, 4, demo->tool);
      bind_text (access, 5, td_access_level_to_string (level));
      bind_text (access, 6, demo->reason);
      bind_text (access, 7, approval->str);
      bind_text (access, 8, demo->status);
      bind_text (access, 9, gen->people[requester].uuid);
      sqlite3_bind_int64 (access, 10, at);
      bind_text (access, 11, approver);
      if (decider >= 0)
        {
          bind_text (access, 12, gen->people[decider].uuid);
          sqlite3_bind_int64 (access, 13, at + 3600);
          sqlite3_bind_int64 (access, 14, at + 3600);
        }
      ok = step_insert (gen, access, "access_request", error);
    }
  sqlite3_finalize (correction);
  sqlite3_finalize (access);
  return ok;
}

static gboolean
generate (Generator *gen, guint n_tickets, GError **error)
{
  make_people (gen);
  return insert_people (gen, error) && insert_rotations (gen, error) && insert_training (gen, error)
         && insert_approvals (gen, error) && insert_tickets (gen, n_tickets, error)
         && td_demo_knowledge_insert (gen->db, gen->policy, gen->now, &gen->rev, error)
         && write_head (gen, error);
}

static gint64
get_pragma (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64        value = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
set_cache_size (sqlite3 *db, gint64 size)
{
  /* PRAGMA takes no parameters; the value is a number this file chose or
   * read back from SQLite. */
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, size);

  sqlite3_exec (db, sql, NULL, NULL, NULL);
}

/* The connection's page cache in KiB: cache_size counts pages when
 * positive, KiB when negative. */
static gint64
cache_kib (sqlite3 *db, gint64 cache_size)
{
  if (cache_size < 0)
    return -cache_size;
  return cache_size * get_pragma (db, "PRAGMA page_size") / 1024;
}

static gboolean
run_transaction (Generator *gen, guint n_tickets, GError **error)
{
  sqlite3 *db = gen->db;
  char    *message = NULL;

  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE,
                   "could not start the demo data transaction: %s", message);
      sqlite3_free (message);
      return FALSE;
    }

  /* The head is read under the write lock, so no other writer can hand
   * out the same revisions meanwhile. */
  if (!read_head (gen, error) || !prepare_statements (gen, error)
      || !generate (gen, n_tickets, error))
    {
      /* Some errors have already rolled the transaction back. */
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  if (sqlite3_exec (db, "COMMIT", NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE,
                   "could not commit the demo data: %s", message);
      sqlite3_free (message);
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Public API */

gboolean
td_demo_data_generate (sqlite3  *db,
                       TdPolicy *policy,
                       guint     n_tickets,
                       guint32   seed,
                       gint64    now,
                       GError  **error)
{
  g_autoptr (Generator) gen = NULL;
  gint64   old_cache_size;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (TD_IS_POLICY (policy), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  /* All or nothing needs a transaction of its own. */
  g_return_val_if_fail (sqlite3_get_autocommit (db), FALSE);

  gen = generator_new (db, policy, seed, now);
  if (!prepare_policy (gen, error))
    return FALSE;

  /* The uuid and (ticket, at) indexes take random keys: with SQLite's
   * default 2 MiB cache their pages are written out and read back all the
   * time, a quarter of the run at 200,000 tickets. The caller's setting is
   * put back afterwards. */
  old_cache_size = get_pragma (db, "PRAGMA cache_size");
  if (cache_kib (db, old_cache_size) < DEMO_CACHE_KIB)
    set_cache_size (db, -DEMO_CACHE_KIB);
  ok = run_transaction (gen, n_tickets, error);
  set_cache_size (db, old_cache_size);
  return ok;
}

guint
td_demo_data_link_accounts (sqlite3 *db, GError **error)
{
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *find = NULL;
  sqlite3_stmt *pick = NULL;
  sqlite3_stmt *link = NULL;
  guint         linked = 0;

  if (sqlite3_prepare_v2 (db, "SELECT username FROM account WHERE person IS NULL ORDER BY id", -1,
                          &find, NULL)
          != SQLITE_OK
      || sqlite3_prepare_v2 (db,
                             "SELECT uuid FROM person WHERE deleted = 0 AND role = (SELECT role "
                             "FROM account WHERE username = ?1) AND uuid NOT IN (SELECT person "
                             "FROM account WHERE person IS NOT NULL) ORDER BY name, uuid LIMIT 1",
                             -1, &pick, NULL)
             != SQLITE_OK
      || sqlite3_prepare_v2 (db, "UPDATE account SET person = ?2 WHERE username = ?1", -1, &link,
                             NULL)
             != SQLITE_OK)
    {
      g_set_error (error, TD_DEMO_DATA_ERROR, TD_DEMO_DATA_ERROR_SQLITE, "%s", sqlite3_errmsg (db));
      sqlite3_finalize (find);
      sqlite3_finalize (pick);
      return 0;
    }
  while (sqlite3_step (find) == SQLITE_ROW)
    g_ptr_array_add (accounts, g_strdup ((const char *) sqlite3_column_text (find, 0)));

  /* One at a time, so two accounts of one role get two different people. */
  for (guint i = 0; i < accounts->len; i++)
    {
      const char *username = g_ptr_array_index (accounts, i);

      sqlite3_reset (pick);
      sqlite3_bind_text (pick, 1, username, -1, SQLITE_STATIC);
      if (sqlite3_step (pick) != SQLITE_ROW)
        continue;
      sqlite3_reset (link);
      sqlite3_bind_text (link, 1, username, -1, SQLITE_STATIC);
      sqlite3_bind_text (link, 2, (const char *) sqlite3_column_text (pick, 0), -1,
                         SQLITE_TRANSIENT);
      if (sqlite3_step (link) == SQLITE_DONE)
        linked++;
    }
  sqlite3_finalize (find);
  sqlite3_finalize (pick);
  sqlite3_finalize (link);
  return linked;
}
