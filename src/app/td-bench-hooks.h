/* td-bench-hooks.h — what `./run bench` measures inside the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-window.h"

G_BEGIN_DECLS

/* With TD_BENCH=start or TD_BENCH=scroll in the environment, reports on
 * standard output when @window paints its first frame ("first-frame") and
 * its first frame with the queue's rows ("queue-frame N ROWS"); "scroll"
 * then scrolls the whole queue (every status) and reports the peak resident
 * memory ("rss-peak-kb N") before quitting. Does nothing otherwise. */
void td_bench_hooks_install (TdWindow *window);

G_END_DECLS
