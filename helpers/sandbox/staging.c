/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "staging.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "run_dir.h"

void staging_path(unsigned long id, char *buf, size_t size) {
        snprintf(buf, size, SANDBOX_RUN_DIR "/%lu", id);
}

int staging_attach(int run_dir_fd, unsigned long id, int tree_fd) {
        char name[32], path[64];

        snprintf(name, sizeof name, "%lu", id);
        staging_path(id, path, sizeof path);
        if (mkdirat(run_dir_fd, name, 0700) < 0 && errno != EEXIST)
                return log_errno_at(path, errno, "cannot create");
        if (move_mount(tree_fd, "", run_dir_fd, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return log_errno_at(path, errno, "cannot attach the overlay's idmapped bind");
        return 0;
}

/* Loops because a crashed predecessor may have left mounts stacked there. */
int staging_detach(int run_dir_fd, unsigned long id) {
        char name[32], path[64];

        snprintf(name, sizeof name, "%lu", id);
        staging_path(id, path, sizeof path);
        for (;;) {
                if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
                        continue;
                if (errno == EINVAL || errno == ENOENT)
                        break;
                return log_errno_at(path, errno, "cannot unmount");
        }
        if (unlinkat(run_dir_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                return log_errno_at(path, errno, "cannot remove");
        return 0;
}
