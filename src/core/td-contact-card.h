/* td-contact-card.h — the contact quick reference [Appendix A] from the policy and who is on call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-policy.h"

G_BEGIN_DECLS

typedef struct
{
  char *label;
  char *value; /* "" when the policy leaves it blank ([NUMBER]) */
} TdCardEntry;

typedef struct
{
  char      *id;
  char      *name;
  int        tier;    /* the "(Tier N)" the section's name carries, or 0 */
  GPtrArray *entries; /* TdCardEntry */
} TdCardSection;

typedef struct
{
  char      *title;
  GPtrArray *sections; /* TdCardSection */
} TdContactCard;

/* One person on call now, as the caller works it out from the rota. */
typedef struct
{
  int         tier;
  const char *position; /* "Primary" */
  const char *name;
  const char *phone; /* nullable */
  const char *until; /* nullable: "Mon 30 Nov 09:00" */
} TdCardOnCall;

/* The policy's contact_card sections, each on-call section (one whose name
 * says "(Tier N)" and whose tier has people on call) with a line per person
 * on call, and its blank "Phone" filled from the first of them. */
TdContactCard *td_contact_card_new (TdPolicy *policy, const TdCardOnCall *on_call, guint n_on_call);
void           td_contact_card_free (TdContactCard *card);
/* Plain text for the clipboard; @blank is what a blank value reads as. */
char *td_contact_card_to_text (const TdContactCard *card, const char *blank);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdContactCard, td_contact_card_free)

G_END_DECLS
