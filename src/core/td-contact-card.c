/* td-contact-card.c — the contact quick reference [Appendix A] from the policy and who is on call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-contact-card.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

static void
entry_free (gpointer data)
{
  TdCardEntry *entry = data;

  g_free (entry->label);
  g_free (entry->value);
  g_free (entry);
}

static void
section_free (gpointer data)
{
  TdCardSection *section = data;

  g_free (section->id);
  g_free (section->name);
  g_ptr_array_unref (section->entries);
  g_free (section);
}

static void
add_entry (TdCardSection *section, const char *label, const char *value)
{
  TdCardEntry *entry = g_new0 (TdCardEntry, 1);

  entry->label = g_strdup (label);
  entry->value = g_strdup (value != NULL ? value : "");
  g_ptr_array_add (section->entries, entry);
}

/* "App Support On-Call (Tier 2)" → 2; the policy names its sections so. */
static int
tier_of (const char *name)
{
  const char *at = name != NULL ? strstr (name, "(Tier ") : NULL;

  return at != NULL ? atoi (at + strlen ("(Tier ")) : 0;
}

TdContactCard *
td_contact_card_new (TdPolicy *policy, const TdCardOnCall *on_call, guint n_on_call)
{
  TdContactCard *card;
  GPtrArray     *sections;

  g_return_val_if_fail (TD_IS_POLICY (policy), NULL);

  card = g_new0 (TdContactCard, 1);
  card->title = g_strdup (td_policy_get_contact_card_title (policy));
  card->sections = g_ptr_array_new_with_free_func (section_free);
  sections = td_policy_get_contact_card (policy);

  for (guint i = 0; sections != NULL && i < sections->len; i++)
    {
      const TdContactSection *source = g_ptr_array_index (sections, i);
      TdCardSection          *section = g_new0 (TdCardSection, 1);
      const TdCardOnCall     *first = NULL;

      section->id = g_strdup (source->id);
      section->name = g_strdup (source->name);
      section->tier = tier_of (source->name);
      section->entries = g_ptr_array_new_with_free_func (entry_free);

      for (guint j = 0; j < n_on_call && section->tier > 0; j++)
        if (on_call[j].tier == section->tier && on_call[j].name != NULL)
          {
            /* TRANSLATORS: who is on call now, and until when */
            g_autofree char *value
                = on_call[j].until != NULL
                      ? g_strdup_printf (_ ("%s (until %s)"), on_call[j].name, on_call[j].until)
                      : g_strdup (on_call[j].name);
            g_autofree char *label = g_strdup_printf (_ ("On call, %s"), on_call[j].position);

            add_entry (section, label, value);
            if (first == NULL)
              first = &on_call[j];
          }
      for (guint j = 0; j < source->entries->len; j++)
        {
          const TdContactEntry *entry = g_ptr_array_index (source->entries, j);
          const char           *value = entry->value;

          /* The seed leaves the on-call numbers blank: the person on call's
           * own number is the one to ring. */
          if ((value == NULL || value[0] == '\0') && first != NULL
              && g_str_equal (entry->label, "Phone") && first->phone != NULL)
            value = first->phone;
          add_entry (section, entry->label, value);
        }
      g_ptr_array_add (card->sections, section);
    }
  return card;
}

void
td_contact_card_free (TdContactCard *card)
{
  if (card == NULL)
    return;
  g_free (card->title);
  g_ptr_array_unref (card->sections);
  g_free (card);
}

char *
td_contact_card_to_text (const TdContactCard *card, const char *blank)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (card != NULL, NULL);

  g_string_append_printf (text, "%s\n", card->title != NULL ? card->title : "");
  for (guint i = 0; i < card->sections->len; i++)
    {
      const TdCardSection *section = g_ptr_array_index (card->sections, i);

      g_string_append_printf (text, "\n%s\n", section->name);
      for (guint j = 0; j < section->entries->len; j++)
        {
          const TdCardEntry *entry = g_ptr_array_index (section->entries, j);

          g_string_append_printf (text, "  %s: %s\n", entry->label,
                                  entry->value[0] != '\0' ? entry->value : blank);
        }
    }
  return g_string_free (text, FALSE);
}
