/* td-bench-hooks.c — what `./run bench` measures inside the app
 *
 * The benchmarks (bench/run-bench.py) time the real binary from its start
 * to the frames it paints, so the hooks only print when a frame is done
 * and leave the timing to the process that started the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "td-bench-hooks.h"
#include "td-queue-page.h"

typedef struct
{
  TdWindow *window;
  gboolean  scroll;
  gboolean  first_frame_seen;
  gboolean  queue_frame_seen;
  guint     position;
  gulong    paint_id;
} Bench;

static void
report (const char *line)
{
  g_print ("%s\n", line);
  fflush (stdout);
}

/* The high-water mark of resident memory, as the kernel counts it. */
static gint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

static gboolean
scroll_step (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Bench        *bench = data;
  TdQueuePage  *page = td_window_get_queue_page (bench->window);
  TdQueueModel *model = td_queue_page_get_model (page);
  guint         n = g_list_model_get_n_items (G_LIST_MODEL (model));

  if (bench->position + 1 >= n)
    {
      g_autofree char *line = g_strdup_printf ("rss-peak-kb %" G_GINT64_FORMAT, peak_rss_kb ());

      report (line);
      g_application_quit (g_application_get_default ());
      return G_SOURCE_REMOVE;
    }
  /* A screenful and a half per frame: every row is bound on the way. */
  bench->position = MIN (bench->position + 40, n - 1);
  gtk_widget_activate_action (GTK_WIDGET (td_queue_page_get_column_view (page)),
                              "list.scroll-to-item", "u", bench->position);
  return G_SOURCE_CONTINUE;
}

static void
after_paint (GdkFrameClock *clock, Bench *bench)
{
  TdQueuePage  *page = td_window_get_queue_page (bench->window);
  TdQueueModel *model = td_queue_page_get_model (page);
  guint         rows;

  if (!bench->first_frame_seen)
    {
      bench->first_frame_seen = TRUE;
      report ("first-frame");
    }
  if (bench->queue_frame_seen || model == NULL
      || (rows = g_list_model_get_n_items (G_LIST_MODEL (model))) == 0
      || !gtk_widget_get_mapped (GTK_WIDGET (page)))
    return;

  bench->queue_frame_seen = TRUE;
  {
    g_autofree char *line = g_strdup_printf ("queue-frame %u", rows);
    report (line);
  }
  g_signal_handler_disconnect (clock, bench->paint_id);
  if (!bench->scroll)
    {
      g_application_quit (g_application_get_default ());
      return;
    }
  td_queue_model_set_status (model, TD_QUEUE_STATUS_ALL, NULL);
  gtk_widget_add_tick_callback (GTK_WIDGET (page), scroll_step, bench, g_free);
}

static void
on_realize (GtkWidget *widget, Bench *bench)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (widget)));

  bench->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), bench);
}

void
td_bench_hooks_install (TdWindow *window)
{
  const char *mode = g_getenv ("TD_BENCH");
  Bench      *bench;

  g_return_if_fail (TD_IS_WINDOW (window));

  if (mode == NULL || (!g_str_equal (mode, "start") && !g_str_equal (mode, "scroll")))
    return;
  bench = g_new0 (Bench, 1);
  bench->window = window;
  bench->scroll = g_str_equal (mode, "scroll");
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize (GTK_WIDGET (window), bench);
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_realize), bench);
}
