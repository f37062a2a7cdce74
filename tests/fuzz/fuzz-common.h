/* fuzz-common.h — what the libFuzzer targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>

#include "td-json-guard.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

#include <stdlib.h>

/* A warning or critical is a finding: abort (not GLib's breakpoint trap),
 * so that libFuzzer keeps the input that did it. */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput output = g_log_writer_default (level, fields, n_fields, data);

  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
    abort ();
  return output;
}

static inline void
fuzz_fatal_warnings (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* Parses @data the way the program under test does: checked by the guard
 * first, as every caller in Tierdesk does. NULL when it is not JSON. */
static inline JsonNode *
fuzz_parse (const uint8_t *data, size_t size)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (TdJsonProblem) problem
      = td_json_guard_check ((const char *) data, size, TD_JSON_MAX_DEPTH);

  if (problem != NULL || size == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, (const char *) data, size, NULL)
      || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}
