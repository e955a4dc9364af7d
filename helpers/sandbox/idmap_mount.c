/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "idmap_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

static int write_file(const char *path, const char *text) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        size_t n = strlen(text);

        if (fd < 0)
                return -errno;
        if (write(fd, text, n) != (ssize_t) n)
                return errno ? -errno : -EIO;
        return 0;
}

static int write_maps(pid_t pid, uid_t disk_uid, gid_t disk_gid, uid_t shown_uid, gid_t shown_gid) {
        char path[64], map[64];
        int r;

        /* uid_map lines are "inside outside count": the disk id inside the
         * namespace, the id the mount's users see outside it. */
        snprintf(path, sizeof path, "/proc/%d/uid_map", (int) pid);
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned) disk_uid, (unsigned) shown_uid);
        r = write_file(path, map);
        if (r < 0)
                return r;
        snprintf(path, sizeof path, "/proc/%d/gid_map", (int) pid);
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned) disk_gid, (unsigned) shown_gid);
        return write_file(path, map);
}

/* The child unshares a user namespace and waits for EOF on `hold`. */
__attribute__((noreturn)) static void userns_child(int ready, int hold) {
        char c = 0;

        if (unshare(CLONE_NEWUSER) < 0)
                _exit(1);
        if (write(ready, &c, 1) != 1)
                _exit(1);
        while (read(hold, &c, 1) < 0 && errno == EINTR)
                ;
        _exit(0);
}

static int reap(pid_t pid) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        return 0;
}

static int userns_from_child(pid_t pid, int ready, uid_t du, gid_t dg, uid_t su, gid_t sg) {
        char path[64], c;
        int fd, r;

        if (read(ready, &c, 1) != 1)
                return -ECHILD;
        r = write_maps(pid, du, dg, su, sg);
        if (r < 0)
                return r;
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

static int userns_open(uid_t du, gid_t dg, uid_t su, gid_t sg) {
        int ready[2], hold[2];
        pid_t pid;
        int r;

        if (pipe2(ready, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(hold, O_CLOEXEC) < 0) {
                r = -errno;
                close(ready[0]);
                close(ready[1]);
                return r;
        }
        pid = fork();
        if (pid == 0) {
                close(ready[0]);
                close(hold[1]);
                userns_child(ready[1], hold[0]);
        }
        close(ready[1]);
        close(hold[0]);
        r = pid < 0 ? -errno : userns_from_child(pid, ready[0], du, dg, su, sg);
        close(ready[0]);
        close(hold[1]);
        if (pid > 0)
                reap(pid);
        return r;
}

int idmap_mount_clone(int dir_fd, uid_t disk_uid, gid_t disk_gid, uid_t shown_uid, gid_t shown_gid) {
        _cleanup_close_ int userns = -1, tree = -1;
        struct mount_attr attr = {
                .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
        };

        userns = userns_open(disk_uid, disk_gid, shown_uid, shown_gid);
        if (userns < 0)
                return log_errno_at("idmap", userns, "cannot create the user namespace for the mapping");
        tree = open_tree(dir_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (tree < 0)
                return log_errno_at("open_tree", errno, "cannot clone the overlay directory");
        attr.userns_fd = (__u64) userns;
        if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
                return log_errno_at("mount_setattr", errno, "cannot idmap the overlay directory");
        return TAKE_FD(tree);
}
