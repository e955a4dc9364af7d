/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "quota.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dqblk_xfs.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "log.h"

/* Deeper trees are refused rather than walked: each level holds a descriptor. */
#define TREE_DEPTH_MAX 512

uint32_t quota_projid_of_instance(unsigned id) {
        assert(id >= 1 && id <= L4M_INSTANCE_ID_MAX);
        return QUOTA_PROJID_INSTANCE_BASE + id;
}

uint32_t quota_projid_of_overlay(unsigned long id) {
        /* The largest project ID, 2^32 - 1, is reserved by the kernel. */
        assert(id >= 1 && id < UINT32_MAX - QUOTA_PROJID_OVERLAY_BASE);
        return QUOTA_PROJID_OVERLAY_BASE + (uint32_t) id;
}

/* quotactl_fd(2), Linux 5.14: the file system of a directory, no device path. */
static int project_quotactl(int fd, int cmd, uint32_t id, void *addr) {
        _cleanup_close_ int readable = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* fd may be O_PATH */

        if (readable < 0)
                return -errno;
        return syscall(SYS_quotactl_fd, readable, QCMD(cmd, PRJQUOTA), id, addr) < 0 ? -errno : 0;
}

int quota_fs_enforces(int fd, const char **why) {
        struct fs_quota_statv st = { .qs_version = FS_QSTATV_VERSION1 };
        int r = project_quotactl(fd, Q_XGETQSTATV, 0, &st);

        if (r == -ENOSYS || r == -EOPNOTSUPP || r == -ENOTTY || r == -ESRCH) {
                *why = "its file system has no project quotas (ext4 needs the quota and project features and "
                       "prjquota, XFS prjquota; see left4me.conf(5))";
                return 0;
        }
        if (r < 0)
                return r;
        if (!(st.qs_flags & FS_QUOTA_PDQ_ACCT)) {
                *why = "its file system does not count project quotas (not mounted with prjquota)";
                return 0;
        }
        if (!(st.qs_flags & FS_QUOTA_PDQ_ENFD)) {
                *why = "its file system counts project quotas but does not enforce them (not mounted with prjquota)";
                return 0;
        }
        return 1;
}

static int projid_get(int fd, struct fsxattr *a) {
        return ioctl(fd, FS_IOC_FSGETXATTR, a) < 0 ? -errno : 0;
}

static bool projid_done(const struct fsxattr *a, uint32_t projid, bool dir) {
        return a->fsx_projid == projid && (!dir || (a->fsx_xflags & FS_XFLAG_PROJINHERIT));
}

static int projid_set(int fd, uint32_t projid, bool dir) {
        struct fsxattr a;
        int r = projid_get(fd, &a);

        if (r < 0 || projid_done(&a, projid, dir))
                return r;
        a.fsx_projid = projid;
        if (dir)
                a.fsx_xflags |= FS_XFLAG_PROJINHERIT;
        return ioctl(fd, FS_IOC_FSSETXATTR, &a) < 0 ? -errno : 0;
}

struct tree_walk {
        const char *top; /* for messages */
        dev_t dev;
        uint32_t projid;
};

static int walk_dir(const struct tree_walk *w, int dirfd, unsigned depth);

static int entry_error(const struct tree_walk *w, const char *name, unsigned depth, int r, const char *what) {
        return log_errno_at(w->top, r, "%s \"%s\" %u levels down", what, name, depth);
}

/* Opens the directory or regular file name of dirfd as it was seen, or
 * returns 0 for what takes no blocks of its own to count (links, devices). */
static int open_entry(const struct tree_walk *w, int dirfd, const char *name, unsigned depth, int *ret_fd,
                      bool *dir) {
        struct stat st, opened;
        int fd;

        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return entry_error(w, name, depth, -errno, "cannot inspect");
        *dir = S_ISDIR(st.st_mode);
        if (!*dir && !S_ISREG(st.st_mode))
                return 0;
        if (st.st_dev != w->dev)
                return entry_error(w, name, depth, -EXDEV, "will not enter another file system at");
        fd = openat(dirfd, name,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (*dir ? O_DIRECTORY : 0));
        if (fd < 0)
                return entry_error(w, name, depth, -errno, "cannot open");
        if (fstat(fd, &opened) < 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev) {
                close(fd);
                return entry_error(w, name, depth, -ESTALE, "changed while being opened:");
        }
        *ret_fd = fd;
        return 1;
}

static int assign_entry(const struct tree_walk *w, int dirfd, const char *name, unsigned depth) {
        _cleanup_close_ int fd = -1;
        bool dir = false;
        int r = open_entry(w, dirfd, name, depth, &fd, &dir);

        if (r <= 0)
                return r;
        if (dir && (r = walk_dir(w, fd, depth + 1)) < 0)
                return r;
        r = projid_set(fd, w->projid, dir);
        return r < 0 ? entry_error(w, name, depth, r, "cannot set the project ID of") : 0;
}

/* Children first: a walk cut short leaves the top unchanged, so the next
 * one starts again. */
static int walk_dir(const struct tree_walk *w, int dirfd, unsigned depth) {
        DIR *d;
        struct dirent *e;
        int fd, r = 0;

        if (depth > TREE_DEPTH_MAX)
                return l4m_log_at(LOG_ERR, w->top, 0, ELOOP, "is deeper than %d levels: reset it to give it a budget",
                                  TREE_DEPTH_MAX);
        fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || !(d = fdopendir(fd))) {
                r = -errno;
                if (fd >= 0)
                        close(fd);
                return log_errno_at(w->top, r, "cannot read a directory %u levels down", depth);
        }
        while (r == 0 && (errno = 0, e = readdir(d)))
                if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                        r = assign_entry(w, dirfd, e->d_name, depth);
        if (r == 0 && errno != 0)
                r = log_errno_at(w->top, errno, "cannot read a directory %u levels down", depth);
        closedir(d);
        return r;
}

int quota_tree_assign(int dirfd, const char *path, uint32_t projid) {
        _cleanup_close_ int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct tree_walk w = { .top = path, .projid = projid };
        struct fsxattr a;
        struct stat st;
        int r;

        if (fd < 0 || fstat(fd, &st) < 0)
                return log_errno_at(path, errno, "cannot be opened");
        r = projid_get(fd, &a);
        if (r < 0)
                return log_errno_at(path, r, "cannot read its project ID");
        if (projid_done(&a, projid, true))
                return 0;
        w.dev = st.st_dev;
        r = walk_dir(&w, fd, 1);
        if (r < 0)
                return r;
        r = projid_set(fd, projid, true);
        return r < 0 ? log_errno_at(path, r, "cannot set its project ID %u", projid) : 0;
}

int quota_limit_set(int fd, uint32_t projid, unsigned long long bytes) {
        struct dqblk q = {
                /* in blocks of 1024 bytes (QIF_DQBLKSIZE), rounded up */
                .dqb_bhardlimit = (bytes + 1023) / 1024,
                .dqb_valid = QIF_BLIMITS,
        };

        return project_quotactl(fd, Q_SETQUOTA, projid, &q);
}

int quota_usage(int fd, uint32_t projid, unsigned long long *used, unsigned long long *limit) {
        struct dqblk q = { 0 };
        int r = project_quotactl(fd, Q_GETQUOTA, projid, &q);

        if (r < 0)
                return r;
        *used = q.dqb_curspace;
        *limit = q.dqb_bhardlimit * 1024ULL;
        return 0;
}

int quota_budget_apply(const int *fds, const char *const *paths, size_t n, uint32_t projid, unsigned long long bytes,
                       const char **why) {
        int r = quota_fs_enforces(fds[0], why);

        /* No budget asked: a file system that cannot even say has none to clear. */
        if (r <= 0 && bytes == 0)
                return 0;
        if (r < 0)
                return log_errno_at(paths[0], r, "cannot tell whether its file system enforces project quotas");
        if (r == 0)
                return -EOPNOTSUPP;
        for (size_t i = 0; i < n; i++)
                if ((r = quota_tree_assign(fds[i], paths[i], projid)) < 0)
                        return r;
        r = quota_limit_set(fds[0], projid, bytes);
        return r < 0 ? log_errno_at(paths[0], r, "cannot set the disk limit of project %u", projid) : 1;
}
