/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "run_dir.h"

/* Lock files are never unlinked: removing one while another run holds it
 * would let a third run lock a fresh inode beside it. */
int lock_take(int run_dir_fd, unsigned long id) {
        _cleanup_close_ int fd = -1;
        char name[32];

        snprintf(name, sizeof name, "%lu.lock", id);
        fd = openat(run_dir_fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd < 0)
                return l4m_log_at(LOG_ERR, SANDBOX_RUN_DIR, 0, errno, "cannot open %s: %s", name, strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno == EWOULDBLOCK)
                        return -EBUSY;
                return l4m_log_at(LOG_ERR, SANDBOX_RUN_DIR, 0, errno, "cannot lock %s: %s", name, strerror(errno));
        }
        return TAKE_FD(fd);
}
