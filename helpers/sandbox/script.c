/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"
#include "log.h"

/* The script travels to the unit as a memfd rather than a file: nothing to
 * clean up after a crash, and once sealed it cannot change between our read
 * and the shell's, whoever holds a descriptor to it. */

static int copy_bounded(int in, int out, unsigned long long max) {
        unsigned long long total = 0;
        char buf[65536];

        for (;;) {
                ssize_t n = read(in, buf, sizeof buf);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_errno_at("stdin", errno, "cannot read the script");
                }
                if (n == 0)
                        return 0;
                total += (unsigned long long) n;
                if (total > max)
                        return l4m_log_at(LOG_ERR, "stdin", 0, EFBIG,
                                          "the script is larger than script_max (%llu bytes)", max);
                int r = write_full(out, buf, (size_t) n);
                if (r < 0)
                        return log_errno_at("memfd", r, "cannot store the script");
        }
}

int script_read(int fd, unsigned long long max) {
        _cleanup_close_ int mfd = memfd_create("left4me-build-script", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        int r;

        if (mfd < 0)
                return log_errno(errno, "cannot make the script's memory file");
        r = copy_bounded(fd, mfd, max);
        if (r < 0)
                return r;
        if (fcntl(mfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0 ||
            lseek(mfd, 0, SEEK_SET) < 0)
                return log_errno_at("memfd", errno, "cannot seal the script");
        return TAKE_FD(mfd);
}
