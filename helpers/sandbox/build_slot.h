/* SPDX-License-Identifier: MIT */
/* [sandbox] max_builds: how many builds run at once, across all overlays.
 * Slot N is an flock on RUN_DIR/slot.N, N in 0..max_builds-1, held by a
 * build's helper for the whole build and released by the kernel when it
 * dies. There are at most max_builds files (1000), so they stay. */
#pragma once

/* Takes a free slot without waiting. Returns its fd, -EBUSY when all
 * max_builds are held (not logged: the caller decides), or another negative
 * errno after logging. */
int build_slot_take(int run_dir_fd, unsigned long max_builds);
