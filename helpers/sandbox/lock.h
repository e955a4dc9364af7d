/* SPDX-License-Identifier: MIT */
/* One build per overlay: an flock on RUN_DIR/ID.lock, released by the kernel
 * when the holder dies, so a crashed run never leaves a stale lock. */
#pragma once

/* Takes the lock without waiting. Returns the lock fd, -EBUSY when another
 * run holds it (not logged: the caller decides), or another negative errno
 * after logging. */
int lock_take(int run_dir_fd, unsigned long id);
