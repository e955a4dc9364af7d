/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "safe_walk.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

/* Group and others cannot rename anything in a root-owned directory they
 * cannot write. Where they can write, the sticky bit (/tmp) still keeps them
 * from renaming or removing entries they do not own, so it pins root's own
 * entries; not one another user owns (its owner may move it away and put a
 * symlink in its place), nor a name not made yet (anyone may make it first). */
bool dir_pins_entry(const struct stat *dir, const struct stat *entry) {
        if (dir->st_uid != 0)
                return false;
        if (!(dir->st_mode & (S_IWGRP | S_IWOTH)))
                return true;
        return (dir->st_mode & S_ISVTX) && entry && entry->st_uid == 0;
}

/* One walk: where it started, where it is, and where its failure goes. */
struct walk {
        const char *dir_path, *rel;
        struct walk_error *e;
        size_t at, len; /* the component being looked up: rel[at, at + len) */
};

static int walk_fail(const struct walk *w, int err, const char *reason, size_t rel_len) {
        const char *sep = (w->dir_path[0] == '/' && w->dir_path[1] == '\0') || rel_len == 0 ? "" : "/";

        w->e->reason = reason;
        snprintf(w->e->at, sizeof w->e->at, "%s%s%.*s", w->dir_path, sep, (int) rel_len, w->rel);
        return -err;
}

/* Failures of the directory the current component is looked up in. */
static int parent_fail(const struct walk *w, int err, const char *reason) {
        return walk_fail(w, err, reason, w->at == 0 ? 0 : w->at - 1);
}

static int component_fail(const struct walk *w, int err, const char *reason) {
        return walk_fail(w, err, reason, w->at + w->len);
}

static int check_pinned(const struct walk *w, const struct stat *parent, const struct stat *entry) {
        if (dir_pins_entry(parent, entry))
                return 0;
        if (parent->st_uid == 0 && (parent->st_mode & S_ISVTX))
                return parent_fail(w, EPERM, "is a parent of a mounted path but is writable by group or others, and "
                                             "its sticky bit protects only entries that exist and are root's");
        return parent_fail(w, EPERM, "is a parent of a mounted path but is not root-owned or is writable by group or "
                                     "others without the sticky bit");
}

/* Looks up the current component below the directory parent_fd, whose stat
 * *st is replaced by the component's. Returns its O_PATH fd, or 0 when only
 * its stat is wanted (stat_only); a negative errno on failure. */
static int step(const struct walk *w, int parent_fd, struct stat *st, bool stat_only) {
        _cleanup_close_ int fd = -1;
        struct stat child;
        char comp[256];
        int r;

        if (!S_ISDIR(st->st_mode))
                return parent_fail(w, ENOTDIR, "is not a directory");
        if (w->len >= sizeof comp)
                return component_fail(w, ENAMETOOLONG, "has a component longer than 255 bytes");
        memcpy(comp, w->rel + w->at, w->len);
        comp[w->len] = '\0';
        if (stat_only)
                r = fstatat(parent_fd, comp, &child, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
        else {
                fd = openat(parent_fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                r = fd < 0 || fstat(fd, &child) < 0 ? -errno : 0;
        }
        if (r == -ENOENT) {
                r = check_pinned(w, st, NULL);
                return r < 0 ? r : component_fail(w, ENOENT, "does not exist");
        }
        if (r < 0)
                return component_fail(w, -r, fd < 0 && !stat_only ? "cannot be opened" : "cannot be inspected");
        r = check_pinned(w, st, &child);
        if (r < 0)
                return r;
        if (S_ISLNK(child.st_mode))
                return component_fail(w, ELOOP, "is a symlink");
        *st = child;
        return stat_only ? 0 : TAKE_FD(fd);
}

int walk_beneath(int dirfd, const struct stat *dir_st, const char *dir_path, const char *rel, int *ret_fd,
                 struct stat *ret_st, struct walk_error *e) {
        struct walk w = { .dir_path = dir_path, .rel = rel, .e = e };
        _cleanup_close_ int owned = -1; /* the directory reached, once it is no longer dirfd */
        struct stat st;

        assert(rel[0] != '/');
        if (dir_st)
                st = *dir_st;
        else if (fstat(dirfd, &st) < 0)
                return walk_fail(&w, errno, "cannot be inspected", 0);
        while (rel[w.at]) {
                bool last, stat_only;
                int next;

                w.len = strcspn(rel + w.at, "/");
                last = rel[w.at + w.len] == '\0';
                stat_only = last && !ret_fd; /* the last component, wanted only for its stat */
                next = step(&w, owned >= 0 ? owned : dirfd, &st, stat_only);
                if (next < 0)
                        return next;
                if (!stat_only) {
                        if (owned >= 0)
                                close(owned);
                        owned = next;
                }
                w.at += w.len + !last;
        }
        if (ret_fd && owned < 0) {
                owned = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
                if (owned < 0)
                        return walk_fail(&w, errno, "cannot be opened", 0);
        }
        *ret_st = st;
        if (ret_fd)
                *ret_fd = TAKE_FD(owned);
        return 0;
}

int walk_absolute(const char *path, int *ret_fd, struct stat *ret_st, struct walk_error *e) {
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        struct walk w = { .dir_path = "/", .rel = "", .e = e };

        assert(path[0] == '/'); /* checked by path_check_safe() */
        if (root < 0)
                return walk_fail(&w, errno, "cannot be opened", 0);
        return walk_beneath(root, NULL, "/", path + 1, ret_fd, ret_st, e);
}
