/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "safe_walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

bool dir_is_safe_ancestor(const struct stat *st) {
        if (st->st_uid != 0)
                return false;
        if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
                return false;
        return true;
}

static int walk_fail(struct walk_error *e, int err, const char *reason, const char *dir_path, const char *rel,
                     size_t rel_len) {
        const char *sep = (dir_path[0] == '/' && dir_path[1] == '\0') || rel_len == 0 ? "" : "/";

        e->reason = reason;
        snprintf(e->at, sizeof e->at, "%s%s%.*s", dir_path, sep, (int) rel_len, rel);
        return -err;
}

static int check_parent(int fd, const struct stat *known, struct walk_error *e, const char *dir_path,
                        const char *rel, size_t done) {
        struct stat st;

        if (!known) {
                if (fstat(fd, &st) < 0)
                        return walk_fail(e, errno, "cannot be inspected", dir_path, rel, done);
                known = &st;
        }
        if (!S_ISDIR(known->st_mode))
                return walk_fail(e, ENOTDIR, "is not a directory", dir_path, rel, done);
        if (!dir_is_safe_ancestor(known))
                return walk_fail(e, EPERM,
                                 "is a parent of a mounted path but is not root-owned or is writable by group "
                                 "or others without the sticky bit",
                                 dir_path, rel, done);
        return 0;
}

/* Opens the next component below cur and returns its fd, or, for the last
 * component when no fd is wanted (stat_only), only stats it and returns 0;
 * a negative errno on failure. */
static int next_component(int cur, const char *name, size_t len, bool stat_only, struct stat *st,
                          struct walk_error *e, const char *dir_path, const char *rel, size_t end) {
        _cleanup_close_ int fd = -1;
        char comp[256];

        if (len >= sizeof comp)
                return walk_fail(e, ENAMETOOLONG, "has a component longer than 255 bytes", dir_path, rel, end);
        memcpy(comp, name, len);
        comp[len] = '\0';
        if (stat_only) {
                if (fstatat(cur, comp, st, AT_SYMLINK_NOFOLLOW) < 0)
                        return walk_fail(e, errno, errno == ENOENT ? "does not exist" : "cannot be inspected",
                                         dir_path, rel, end);
        } else {
                fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return walk_fail(e, errno, errno == ENOENT ? "does not exist" : "cannot be opened", dir_path,
                                         rel, end);
                if (fstat(fd, st) < 0)
                        return walk_fail(e, errno, "cannot be inspected", dir_path, rel, end);
        }
        if (S_ISLNK(st->st_mode))
                return walk_fail(e, ELOOP, "is a symlink", dir_path, rel, end);
        return stat_only ? 0 : TAKE_FD(fd);
}

int walk_beneath(int dirfd, const struct stat *dir_st, const char *dir_path, const char *rel, int *ret_fd,
                 struct stat *ret_st, struct walk_error *e) {
        int cur = dirfd; /* owned (closed here) once it is no longer dirfd */
        const struct stat *known = dir_st; /* cur's stat when it is already at hand */
        const char *p = rel;

        if (*p == '\0') {
                if (dir_st)
                        *ret_st = *dir_st;
                else if (fstat(dirfd, ret_st) < 0)
                        return walk_fail(e, errno, "cannot be inspected", dir_path, "", 0);
                if (!ret_fd)
                        return 0;
                cur = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
                if (cur < 0)
                        return walk_fail(e, errno, "cannot be opened", dir_path, "", 0);
        }
        while (*p) {
                const char *slash = strchr(p, '/');
                size_t len = slash ? (size_t) (slash - p) : strlen(p);
                size_t end = (size_t) (p - rel) + len;
                bool stat_only = !ret_fd && !slash; /* the last component, wanted only for its stat */
                int r = check_parent(cur, known, e, dir_path, rel, p == rel ? 0 : (size_t) (p - rel) - 1);
                int next = r < 0 ? r : next_component(cur, p, len, stat_only, ret_st, e, dir_path, rel, end);
                if (cur != dirfd)
                        close(cur);
                if (next < 0 || stat_only)
                        return next;
                cur = next;
                known = NULL;
                p += len;
                if (*p == '/')
                        p++;
        }
        if (ret_fd)
                *ret_fd = cur;
        else
                close(cur);
        return 0;
}

int walk_absolute(const char *path, int *ret_fd, struct stat *ret_st, struct walk_error *e) {
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

        if (root < 0)
                return walk_fail(e, errno, "cannot be opened", "/", "", 0);
        return walk_beneath(root, NULL, "/", path + 1, ret_fd, ret_st, e);
}
