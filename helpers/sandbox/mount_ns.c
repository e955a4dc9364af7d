/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "mount_ns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

/* A caller in a service with PrivateTmp= has its own mount namespace; a mount
 * made there is invisible to PID 1, which sets up the unit's BindPaths=. */
int mount_ns_enter_init(void) {
        _cleanup_close_ int target = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);
        struct stat self, init;

        if (target < 0)
                return log_errno_at("/proc/1/ns/mnt", errno, "cannot open");
        if (fstat(target, &init) < 0 || stat("/proc/self/ns/mnt", &self) < 0)
                return log_errno_at("/proc/self/ns/mnt", errno, "cannot stat");
        if (self.st_dev == init.st_dev && self.st_ino == init.st_ino)
                return 0;
        if (setns(target, CLONE_NEWNS) < 0)
                return log_errno_at("/proc/1/ns/mnt", errno, "cannot enter PID 1's mount namespace");
        /* setns() leaves the cwd pointing into the old namespace. */
        if (chdir("/") < 0)
                return log_errno_at("/", errno, "cannot chdir");
        return 0;
}
