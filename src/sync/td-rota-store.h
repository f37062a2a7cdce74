/* td-rota-store.h — TdRotation objects built from stored rota rows, for the server and the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "td-ical.h"
#include "td-policy.h"
#include "td-rota.h"

G_BEGIN_DECLS

#define TD_TYPE_ROTA_STORE (td_rota_store_get_type ())
G_DECLARE_FINAL_TYPE (TdRotaStore, td_rota_store, TD, ROTA_STORE, GObject)

/* @policy (nullable) names the positions of a rotation made from one of
 * its on-call templates. */
TdRotaStore *td_rota_store_new (TdPolicy *policy);

/* One row of rotation, rotation_member, rota_override, swap_request or
 * person, as the change feed and the cache give it (uuid, rev, deleted and
 * the columns). A row with a uuid already seen replaces it; tombstones are
 * kept, for SEQUENCE. Rows of other entities are ignored. */
void td_rota_store_add_row (TdRotaStore *self, const char *entity, JsonObject *row);
/* Forgets every row. */
void td_rota_store_clear (TdRotaStore *self);

/* The rotations that load, by tier then name (TdRotation, borrowed until
 * the next add_row or clear). A rotation whose row does not load (an
 * unknown zone, say) is left out and named by get_problems(). */
GPtrArray  *td_rota_store_get_rotations (TdRotaStore *self);
TdRotation *td_rota_store_get_rotation (TdRotaStore *self, const char *uuid);
/* One message per rotation that did not load. */
GPtrArray *td_rota_store_get_problems (TdRotaStore *self);

/* (nullable) A stored row, borrowed. */
JsonObject *td_rota_store_get_row (TdRotaStore *self, const char *entity, const char *uuid);
/* The rotation_member row holding @slot in cycle position @week, or NULL. */
JsonObject *td_rota_store_find_member (TdRotaStore *self,
                                       const char  *rotation,
                                       const char  *slot,
                                       guint        week);
/* People (person rows, borrowed) of @tier (0: any), by name. */
GPtrArray *td_rota_store_list_people (TdRotaStore *self, int tier);

/* A TdIcalSequenceFunc (@user_data is the store): the largest rev of the
 * rows behind @shift: its rotation, the member rows of its slot and cycle
 * position, and the override rows (tombstones too) of its slot that touch
 * the scheduled shift. Revisions only grow, so SEQUENCE rises whenever
 * any of them changes. */
guint td_rota_store_sequence (TdRotation *rotation, const TdRotaShift *shift, gpointer user_data);

/* iCalendar for one slot (local times in the rotation's zone, the person
 * in each SUMMARY) or for one person over every rotation (UTC), with
 * SEQUENCE from td_rota_store_sequence() and DTSTAMP @now. NULL with
 * TD_ROTA_ERROR_NOT_FOUND for an unknown rotation or slot. */
char *td_rota_store_write_slot_ics (TdRotaStore *self,
                                    const char  *rotation,
                                    const char  *slot,
                                    TdInstant    from,
                                    TdInstant    to,
                                    TdInstant    now,
                                    GError     **error);
char *td_rota_store_write_person_ics (TdRotaStore *self,
                                      const char  *person,
                                      TdInstant    from,
                                      TdInstant    to,
                                      TdInstant    now);

G_END_DECLS
