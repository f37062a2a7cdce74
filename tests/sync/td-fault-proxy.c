/* td-fault-proxy.c — a TCP proxy for tests that drops, delays, truncates and resets connections
 *
 * Blocking sockets, one thread to accept and two per connection (one for
 * each direction): the simplest thing that cannot deadlock the test's own
 * main loop, which is busy in blocking sync calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/socket.h>

#include "td-fault-proxy.h"

typedef enum
{
  FAULT_NONE,
  FAULT_DROP,
  FAULT_DELAY,
  FAULT_TRUNCATE,
  FAULT_RESET,
} Fault;

struct _TdFaultProxy
{
  guint         target_port;
  GSocket      *listener;
  guint         port;
  GThread      *acceptor;
  GMutex        lock;
  GRand        *rand;
  TdFaults      faults;
  TdFaultCounts counts;
  GPtrArray    *connections;
  gboolean      stopping;
};

typedef struct
{
  TdFaultProxy *proxy;
  GSocket      *client;
  GSocket      *server;
  Fault         fault;
  /* For a cut: which direction (TRUE: the answer) and after how many bytes. */
  gboolean cut_answer;
  gsize    cut_after;
  guint    delay_ms;
  GThread *upstream;
  GThread *downstream;
  gint     closed;
} Connection;

static void
connection_close (Connection *connection)
{
  /* Both pumps end when either side is shut down. */
  if (!g_atomic_int_compare_and_exchange (&connection->closed, 0, 1))
    return;
  if (connection->fault == FAULT_RESET)
    {
      struct linger linger = { 1, 0 };

      /* SO_LINGER 0: close sends a RST, not a FIN. */
      setsockopt (g_socket_get_fd (connection->client), SOL_SOCKET, SO_LINGER, &linger,
                  sizeof linger);
    }
  g_socket_shutdown (connection->client, TRUE, TRUE, NULL);
  if (connection->server != NULL)
    g_socket_shutdown (connection->server, TRUE, TRUE, NULL);
  g_socket_close (connection->client, NULL);
  if (connection->server != NULL)
    g_socket_close (connection->server, NULL);
}

static void
pump (Connection *connection, GSocket *from, GSocket *to, gboolean is_answer)
{
  char  buffer[16384];
  gsize forwarded = 0;

  for (;;)
    {
      gssize n = g_socket_receive (from, buffer, sizeof buffer, NULL, NULL);
      gsize  allowed;

      if (n <= 0)
        break;
      allowed = (gsize) n;
      if ((connection->fault == FAULT_TRUNCATE || connection->fault == FAULT_RESET)
          && connection->cut_answer == is_answer)
        allowed = MIN ((gsize) n, connection->cut_after - MIN (forwarded, connection->cut_after));
      if (connection->fault == FAULT_DELAY)
        g_usleep (connection->delay_ms * 1000);
      if (allowed > 0
          && !g_socket_condition_timed_wait (to, G_IO_OUT, G_USEC_PER_SEC * 30, NULL, NULL))
        break;
      for (gsize sent = 0; sent < allowed;)
        {
          gssize m = g_socket_send (to, buffer + sent, allowed - sent, NULL, NULL);

          if (m <= 0)
            goto done;
          sent += m;
        }
      forwarded += allowed;
      if (allowed < (gsize) n)
        break;
    }
done:
  connection_close (connection);
}

static gpointer
pump_up (gpointer data)
{
  Connection *connection = data;

  pump (connection, connection->client, connection->server, FALSE);
  return NULL;
}

static gpointer
pump_down (gpointer data)
{
  Connection *connection = data;

  pump (connection, connection->server, connection->client, TRUE);
  return NULL;
}

static Fault
choose_fault (TdFaultProxy *self, Connection *connection)
{
  guint roll = g_rand_int_range (self->rand, 0, 100);
  Fault fault = FAULT_NONE;

  if (roll < self->faults.drop)
    fault = FAULT_DROP;
  else if ((roll -= self->faults.drop) < self->faults.delay)
    fault = FAULT_DELAY;
  else if ((roll -= self->faults.delay) < self->faults.truncate)
    fault = FAULT_TRUNCATE;
  else if ((roll -= self->faults.truncate) < self->faults.reset)
    fault = FAULT_RESET;

  connection->cut_answer = g_rand_boolean (self->rand);
  /* Requests and answers here are a few hundred bytes to a few hundred
   * kilobytes: cut anywhere from the first byte to well inside. */
  connection->cut_after = g_rand_int_range (self->rand, 0, 2) == 0
                              ? (gsize) g_rand_int_range (self->rand, 0, 400)
                              : (gsize) g_rand_int_range (self->rand, 400, 60000);
  connection->delay_ms = g_rand_int_range (self->rand, 1, MAX (2, self->faults.max_delay_ms));
  switch (fault)
    {
      case FAULT_DROP:
        self->counts.dropped++;
        break;
      case FAULT_DELAY:
        self->counts.delayed++;
        break;
      case FAULT_TRUNCATE:
        self->counts.truncated++;
        break;
      case FAULT_RESET:
        self->counts.reset++;
        break;
      case FAULT_NONE:
        break;
    }
  self->counts.connections++;
  return fault;
}

static void
connection_free (gpointer data)
{
  Connection *connection = data;

  connection_close (connection);
  if (connection->upstream != NULL)
    g_thread_join (connection->upstream);
  if (connection->downstream != NULL)
    g_thread_join (connection->downstream);
  g_clear_object (&connection->client);
  g_clear_object (&connection->server);
  g_free (connection);
}

static gpointer
accept_loop (gpointer data)
{
  TdFaultProxy *self = data;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      GSocket    *client = g_socket_accept (self->listener, NULL, &error);
      Connection *connection;

      if (client == NULL)
        break;
      g_mutex_lock (&self->lock);
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          g_socket_close (client, NULL);
          g_object_unref (client);
          break;
        }
      connection = g_new0 (Connection, 1);
      connection->proxy = self;
      connection->client = client;
      connection->fault = choose_fault (self, connection);
      g_ptr_array_add (self->connections, connection);
      g_mutex_unlock (&self->lock);

      g_socket_set_blocking (client, TRUE);
      if (connection->fault == FAULT_DROP)
        {
          connection_close (connection);
          continue;
        }
      {
        g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
        g_autoptr (GSocketAddress) target = g_inet_socket_address_new (loopback, self->target_port);

        connection->server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                           G_SOCKET_PROTOCOL_TCP, NULL);
        /* A server that is down: the client sees its connection closed. */
        if (connection->server == NULL
            || !g_socket_connect (connection->server, target, NULL, NULL))
          {
            connection_close (connection);
            continue;
          }
      }
      connection->upstream = g_thread_new ("proxy-up", pump_up, connection);
      connection->downstream = g_thread_new ("proxy-down", pump_down, connection);
    }
  return NULL;
}

TdFaultProxy *
td_fault_proxy_new (guint target_port, guint32 seed)
{
  TdFaultProxy *self = g_new0 (TdFaultProxy, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  self->target_port = target_port;
  self->rand = g_rand_new_with_seed (seed);
  self->connections = g_ptr_array_new_with_free_func (connection_free);
  g_mutex_init (&self->lock);
  self->listener
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (self->listener, any_port, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (self->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (self->listener, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->acceptor = g_thread_new ("proxy-accept", accept_loop, self);
  return self;
}

guint
td_fault_proxy_get_port (TdFaultProxy *self)
{
  return self->port;
}

void
td_fault_proxy_set_faults (TdFaultProxy *self, const TdFaults *faults)
{
  g_mutex_lock (&self->lock);
  self->faults = *faults;
  g_mutex_unlock (&self->lock);
}

TdFaultCounts
td_fault_proxy_get_counts (TdFaultProxy *self)
{
  TdFaultCounts counts;

  g_mutex_lock (&self->lock);
  counts = self->counts;
  g_mutex_unlock (&self->lock);
  return counts;
}

void
td_fault_proxy_free (TdFaultProxy *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_mutex_unlock (&self->lock);
  /* Wakes the blocked accept. */
  g_socket_shutdown (self->listener, TRUE, TRUE, NULL);
  g_socket_close (self->listener, NULL);
  g_thread_join (self->acceptor);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->listener);
  g_rand_free (self->rand);
  g_mutex_clear (&self->lock);
  g_free (self);
}
