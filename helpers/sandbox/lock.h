/* SPDX-License-Identifier: MIT */
/* One build per overlay: an flock on RUN_DIR/ID.lock, released by the kernel
 * when the holder dies, so a crashed run never leaves a stale lock. The file
 * lives only while a run holds it: the holder unlinks it before letting go,
 * so the lock files of IDs never used again do not pile up. */
#pragma once

struct lock {
        int fd; /* -1: not held */
        int run_dir_fd;
        unsigned long id;
};

#define LOCK_NULL { .fd = -1, .run_dir_fd = -1 }

/* Takes RUN_DIR/name (created if missing) with an flock, without waiting.
 * Returns the fd, -EBUSY when another process holds it (not logged), or
 * another negative errno after logging. */
int lock_file_try(int run_dir_fd, const char *name);

/* Takes ID's lock without waiting into *l. Returns 0, -EBUSY when another
 * run holds it (not logged: the caller decides), or another negative errno
 * after logging. */
int lock_take(int run_dir_fd, unsigned long id, struct lock *l);

/* Unlinks the lock file while still holding it, then lets go; for
 * __attribute__((cleanup)). A lock not held is left alone. */
void lock_release(struct lock *l);
#define _cleanup_lock_ __attribute__((cleanup(lock_release)))
