/* td-training-cache.h — a training tracker filled from the offline cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-cache.h"
#include "td-training.h"

G_BEGIN_DECLS

/* The entities a tracker is made of, for rows-changed handlers. */
extern const char *const td_training_cache_entities[];

/* The policy's curriculum with the trainers' edits, the people and their
 * records, as the cache has them now (pending local edits included). */
TdTrainingTracker *td_training_cache_load (TdCache *cache, TdPolicy *policy);

G_END_DECLS
