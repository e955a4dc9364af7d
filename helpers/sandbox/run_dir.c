/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "run_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

int run_dir_open(void) {
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (mkdir(SANDBOX_RUN_DIR, 0700) < 0 && errno != EEXIST)
                return log_errno_at(SANDBOX_RUN_DIR, errno, "cannot create");
        fd = open(SANDBOX_RUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return log_errno_at(SANDBOX_RUN_DIR, errno, "cannot open");
        if (fstat(fd, &st) < 0)
                return log_errno_at(SANDBOX_RUN_DIR, errno, "cannot stat");
        if (st.st_uid != 0 || (st.st_mode & 07777) != 0700)
                return l4m_log_at(LOG_ERR, SANDBOX_RUN_DIR, 0, EPERM,
                                  "must be a directory owned by root with mode 0700 (owner %u, mode %04o)",
                                  (unsigned) st.st_uid, (unsigned) (st.st_mode & 07777));
        return TAKE_FD(fd);
}
