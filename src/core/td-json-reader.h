/* td-json-reader.h — read JSON into C structures, collecting errors by JSON path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "td-duration.h"

G_BEGIN_DECLS

/* A reader never stops at the first problem: a person fixing a policy file
 * wants every mistake in one go, each as "PATH: REASON". */
typedef struct _TdJsonReader TdJsonReader;

TdJsonReader *td_json_reader_new (void);
void          td_json_reader_free (TdJsonReader *self);
void          td_json_reader_error (TdJsonReader *self, const char *path, const char *format, ...)
    G_GNUC_PRINTF (3, 4);
guint td_json_reader_get_n_errors (TdJsonReader *self);
/* transfer none: "PATH: REASON" strings, in the order found */
GPtrArray *td_json_reader_get_errors (TdJsonReader *self);
GPtrArray *td_json_reader_steal_errors (TdJsonReader *self);

char       *td_json_path_member (const char *path, const char *member);
char       *td_json_path_index (const char *path, guint index);
const char *td_json_node_describe (JsonNode *node);

/* Each getter reports a missing required member or a wrong type and returns
 * FALSE/NULL; an absent optional member gives the default without error. */
void        td_json_reader_check_members (TdJsonReader      *self,
                                          JsonObject        *object,
                                          const char        *path,
                                          const char *const *allowed);
JsonObject *td_json_reader_get_object (TdJsonReader *self,
                                       JsonObject   *object,
                                       const char   *path,
                                       const char   *member,
                                       gboolean      required);
JsonArray  *td_json_reader_get_array (TdJsonReader *self,
                                      JsonObject   *object,
                                      const char   *path,
                                      const char   *member,
                                      gboolean      required);
JsonObject *td_json_reader_element_object (TdJsonReader *self,
                                           JsonArray    *array,
                                           const char   *path,
                                           guint         index);
char       *td_json_reader_get_string (TdJsonReader *self,
                                       JsonObject   *object,
                                       const char   *path,
                                       const char   *member,
                                       gboolean      required);
char      **td_json_reader_get_strv (TdJsonReader *self,
                                     JsonObject   *object,
                                     const char   *path,
                                     const char   *member,
                                     gboolean      required);
gboolean    td_json_reader_get_int (TdJsonReader *self,
                                    JsonObject   *object,
                                    const char   *path,
                                    const char   *member,
                                    gboolean      required,
                                    gint64        default_value,
                                    gint64       *out);
gboolean    td_json_reader_get_double (TdJsonReader *self,
                                       JsonObject   *object,
                                       const char   *path,
                                       const char   *member,
                                       gboolean      required,
                                       double        default_value,
                                       double       *out);
gboolean    td_json_reader_get_bool (TdJsonReader *self,
                                     JsonObject   *object,
                                     const char   *path,
                                     const char   *member,
                                     gboolean      required,
                                     gboolean      default_value,
                                     gboolean     *out);
gboolean    td_json_reader_get_duration (TdJsonReader *self,
                                         JsonObject   *object,
                                         const char   *path,
                                         const char   *member,
                                         gboolean      required,
                                         TdDuration   *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdJsonReader, td_json_reader_free)

G_END_DECLS
