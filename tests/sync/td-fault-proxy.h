/* td-fault-proxy.h — a TCP proxy for tests that drops, delays, truncates and resets connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TdFaultProxy TdFaultProxy;

/* What happens to each new connection, in percent (the rest pass intact).
 * drop: closed at once, before anything reaches the server; delay: every
 * piece forwarded late (up to max_delay_ms); truncate: the request or the
 * answer cut short at a random byte, then both sides closed; reset: as
 * truncate, but the client's side gets a TCP RST. */
typedef struct
{
  guint drop;
  guint delay;
  guint truncate;
  guint reset;
  guint max_delay_ms;
} TdFaults;

typedef struct
{
  guint connections;
  guint dropped;
  guint delayed;
  guint truncated;
  guint reset;
} TdFaultCounts;

/* Listens on a free loopback port and forwards to 127.0.0.1:@target_port,
 * choosing faults with a generator seeded by @seed (the test's seed, so a
 * failure can be replayed). Runs on threads of its own. */
TdFaultProxy *td_fault_proxy_new (guint target_port, guint32 seed);
guint         td_fault_proxy_get_port (TdFaultProxy *self);
void          td_fault_proxy_set_faults (TdFaultProxy *self, const TdFaults *faults);
TdFaultCounts td_fault_proxy_get_counts (TdFaultProxy *self);
/* Stops listening and waits for every connection to end. */
void td_fault_proxy_free (TdFaultProxy *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdFaultProxy, td_fault_proxy_free)

G_END_DECLS
