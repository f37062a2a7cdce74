/* td-knowledge-page.h — the Knowledge page: FAQ, known issues and runbooks,
 * searched as you type, read, written and published
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_KNOWLEDGE_PAGE (td_knowledge_page_get_type ())
G_DECLARE_FINAL_TYPE (TdKnowledgePage, td_knowledge_page, TD, KNOWLEDGE_PAGE, GtkWidget)

void td_knowledge_page_set_session (TdKnowledgePage *self, TdSession *session);
/* Shows the article @uuid, selecting it in the list when it is there. */
void td_knowledge_page_show_article (TdKnowledgePage *self, const char *uuid);
/* The article shown, or NULL. */
const char *td_knowledge_page_get_article (TdKnowledgePage *self);
/* How many articles the list shows. */
guint td_knowledge_page_get_n_results (TdKnowledgePage *self);

G_END_DECLS
