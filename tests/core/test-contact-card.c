/* test-contact-card.c — the contact quick reference [Appendix A] with the people on call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "td-contact-card.h"

#include "td-test-util.h"

static void
test_with_on_call (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  const TdCardOnCall on_call[] = {
    { 2, "Primary", "Ana Ruiz", "+44 20 7946 0101", "Mon 30 Nov 09:00" },
    { 2, "Secondary", "Lee Park", "+44 20 7946 0102", NULL },
    { 3, "Primary Engineer", "Eve Stone", NULL, NULL },
  };
  g_autoptr (TdContactCard) card = td_contact_card_new (policy, on_call, G_N_ELEMENTS (on_call));
  g_autofree char *text = td_contact_card_to_text (card, "(not set)");

  g_assert_cmpuint (card->sections->len, ==, 5);
  g_assert_cmpint (((TdCardSection *) g_ptr_array_index (card->sections, 1))->tier, ==, 2);
  g_assert_cmpstr (text, ==,
                   "LMS Support Contact Card\n"
                   "\n"
                   "Service Desk (Tier 1)\n"
                   "  Phone: (not set)\n"
                   "  Email: lms-support@company.com\n"
                   "  Portal: support.company.com\n"
                   "\n"
                   "App Support On-Call (Tier 2)\n"
                   "  On call, Primary: Ana Ruiz (until Mon 30 Nov 09:00)\n"
                   "  On call, Secondary: Lee Park\n"
                   "  Phone: +44 20 7946 0101\n"
                   "  PagerDuty: lms-appsupport\n"
                   "\n"
                   "Engineering On-Call (Tier 3)\n"
                   "  On call, Primary Engineer: Eve Stone\n"
                   "  Phone: (not set)\n"
                   "  PagerDuty: lms-engineering\n"
                   "\n"
                   "SEV-1 Bridge\n"
                   "  Dial-in: (not set)\n"
                   "  Teams: #lms-incidents\n"
                   "\n"
                   "Status Page\n"
                   "  URL: status.company.com/lms\n");
}

static void
test_nobody_on_call (void)
{
  g_autoptr (TdPolicy) policy = td_test_shipped_policy ();
  g_autoptr (TdContactCard) card = td_contact_card_new (policy, NULL, 0);
  const TdCardSection *tier2 = g_ptr_array_index (card->sections, 1);

  g_assert_cmpuint (tier2->entries->len, ==, 2);
  g_assert_cmpstr (((TdCardEntry *) g_ptr_array_index (tier2->entries, 0))->label, ==, "Phone");
  g_assert_cmpstr (((TdCardEntry *) g_ptr_array_index (tier2->entries, 0))->value, ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/contact-card/on-call", test_with_on_call);
  g_test_add_func ("/core/contact-card/nobody-on-call", test_nobody_on_call);
  return g_test_run ();
}
