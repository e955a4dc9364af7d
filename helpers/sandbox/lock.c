/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "run_dir.h"

/* Each failed try is a lock file that a holder unlinked between our open()
 * and our flock(): one more run got there first, so a few tries suffice. */
#define LOCK_TRIES 16

int lock_file_try(int run_dir_fd, const char *name) {
        _cleanup_close_ int fd = openat(run_dir_fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);

        if (fd < 0)
                return log_errno_at(SANDBOX_RUN_DIR, errno, "cannot open %s", name);
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno == EWOULDBLOCK)
                        return -EBUSY;
                return log_errno_at(SANDBOX_RUN_DIR, errno, "cannot lock %s", name);
        }
        return TAKE_FD(fd);
}

static void lock_name(unsigned long id, char *buf, size_t size) {
        snprintf(buf, size, "%lu.lock", id);
}

/* Whether the name still leads to the inode fd locked: a holder unlinks the
 * name before it lets go, so a lock taken on an unlinked inode guards
 * nothing, and the name may already lead to another run's new file. */
static int lock_is_current(int run_dir_fd, const char *name, int fd) {
        struct stat held, named;

        if (fstat(fd, &held) < 0)
                return log_errno_at(SANDBOX_RUN_DIR, errno, "cannot stat %s", name);
        if (fstatat(run_dir_fd, name, &named, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno == ENOENT)
                        return 0;
                return log_errno_at(SANDBOX_RUN_DIR, errno, "cannot stat %s", name);
        }
        return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

int lock_take(int run_dir_fd, unsigned long id, struct lock *l) {
        char name[32];

        lock_name(id, name, sizeof name);
        for (int i = 0; i < LOCK_TRIES; i++) {
                _cleanup_close_ int fd = lock_file_try(run_dir_fd, name);
                int r;

                if (fd < 0)
                        return fd;
                r = lock_is_current(run_dir_fd, name, fd);
                if (r < 0)
                        return r;
                if (r > 0) {
                        *l = (struct lock) { .fd = TAKE_FD(fd), .run_dir_fd = run_dir_fd, .id = id };
                        return 0;
                }
        }
        return l4m_log_at(LOG_ERR, SANDBOX_RUN_DIR, 0, EAGAIN, "%s was replaced %d times while being locked",
                          name, LOCK_TRIES);
}

void lock_release(struct lock *l) {
        char name[32];

        if (l->fd < 0)
                return;
        lock_name(l->id, name, sizeof name);
        if (unlinkat(l->run_dir_fd, name, 0) < 0 && errno != ENOENT)
                l4m_log_errno(LOG_WARNING, SANDBOX_RUN_DIR, errno, "cannot remove %s", name);
        close(l->fd);
        l->fd = -1;
}
