/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "runtime_check.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "log.h"
#include "runtime_layout.h"
#include "safe_walk.h"

#define FUSE_OVERLAYFS_XATTR_PREFIX "user.fuseoverlayfs."
/* Their entries are made later, by PID 1 or by whoever comes first: a sticky
 * bit protects none of them (dir_pins_entry() with no entry). */
#define NOT_A_SAFE_PARENT \
        "is not root-owned or is writable by group or others (it holds entries made later, so a sticky bit is not enough)"

struct runtime_ctx {
        const struct instance_env *env;
        const struct state_tree *tree;
        char id[16]; /* N */
        /* runtime/N, opened once by the walk (-1 while it is not, or when it
         * does not exist): its entries are looked up below this fd, one
         * component each, rather than walked to from runtime/ again. */
        int dir_fd;
        struct stat dir_st;
        char dir_path[1100];
};

static int runtime_error(const struct runtime_ctx *x, int err, const char *path, const char *reason) {
        return l4m_log_at(LOG_ERR, x->env->path, x->env->lowerdirs_line, err, "runtime directory %s %s", path, reason);
}

/* Looks entry e up with the walk, which refuses symlinks and parents that do
 * not pin what is below them: runtime/N below runtime/, kept open; its own
 * entries below runtime/N. The parents come first in the layout, so they were
 * checked already. Returns 1 when it is a directory, 0 when it or a parent
 * does not exist (PID 1 makes them at the first start). */
static int stat_entry(struct runtime_ctx *x, const struct runtime_entry *e, const char *path, struct stat *st) {
        const struct opened_dir *runtime = &x->tree->runtime;
        struct walk_error we;
        int r;

        if (!e->name) {
                *st = runtime->st;
                return 1;
        }
        if (!*e->name)
                r = walk_beneath(runtime->fd, &runtime->st, runtime->path, x->id, &x->dir_fd, st, &we);
        else if (x->dir_fd < 0)
                return 0; /* runtime/N does not exist, nor anything in it */
        else
                r = walk_beneath(x->dir_fd, &x->dir_st, x->dir_path, e->name, NULL, st, &we);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return runtime_error(x, -r, we.at, we.reason);
        if (!S_ISDIR(st->st_mode))
                return runtime_error(x, ENOTDIR, path, "is not a directory");
        if (!*e->name)
                x->dir_st = *st;
        return 1;
}

static int check_no_fuse_xattrs(const struct runtime_ctx *x, const char *path) {
        char names[4096];
        ssize_t n = llistxattr(path, names, sizeof names);

        if (n < 0 && errno == ERANGE)
                return runtime_error(x, E2BIG, path, "has more extended attributes than expected");
        if (n < 0)
                return errno == ENOTSUP ? 0 : runtime_error(x, errno, path, "extended attributes cannot be read");
        for (ssize_t i = 0; i < n; i += (ssize_t) strlen(names + i) + 1)
                if (strncmp(names + i, FUSE_OVERLAYFS_XATTR_PREFIX, strlen(FUSE_OVERLAYFS_XATTR_PREFIX)) == 0)
                        return runtime_error(x, EINVAL, path,
                                             "carries user.fuseoverlayfs.* extended attributes (left by fuse-overlayfs; "
                                             "wipe it with a reset)");
        return 0;
}

/* tmpfiles gives each directory its owner at every start, but not what is in
 * it: where that outlives a start (upper), it must be the server user's already. */
static int check_kept_data(const struct runtime_ctx *x, const struct runtime_entry *e, const char *path,
                           const struct stat *st) {
        const struct l4m_config *c = x->tree->config;

        if (st->st_uid == c->service_uid)
                return l4m_log_at(LOG_ERR, x->env->path, x->env->lowerdirs_line, EPERM,
                                  "runtime directory %s is owned by the service user, from before game servers had a "
                                  "user of their own: reset the instance (left4me-reset@.service) or give %s and "
                                  "everything in it to the server user", path, e->name);
        if (st->st_uid != c->server_uid)
                return runtime_error(x, EPERM, path, "is not owned by the server user");
        return check_no_fuse_xattrs(x, path);
}

static int check_entry(struct runtime_ctx *x, const struct runtime_entry *e) {
        char rel[64], path[1200];
        struct stat st;
        int r;

        runtime_entry_rel(e, x->id, rel, sizeof rel);
        snprintf(path, sizeof path, "%s%s%s", x->tree->runtime.path, *rel ? "/" : "", rel);
        r = stat_entry(x, e, path, &st);
        if (r <= 0)
                return r;
        if (e->owner == RUNTIME_OWNER_ROOT && !dir_pins_entry(&st, NULL))
                return runtime_error(x, EPERM, path, NOT_A_SAFE_PARENT);
        return e->keeps_data ? check_kept_data(x, e, path, &st) : 0;
}

int runtime_check(const struct instance_env *env, unsigned id, const struct state_tree *tree) {
        struct runtime_ctx x = { .env = env, .tree = tree, .dir_fd = -1 };
        int r = 0;

        if (tree->runtime.err == -ENOENT)
                return 0;
        if (tree->runtime.err < 0)
                return l4m_log_at(LOG_ERR, env->path, env->lowerdirs_line, tree->runtime.err, "runtime directory %s %s",
                                  tree->runtime.why.at, tree->runtime.why.reason);
        snprintf(x.id, sizeof x.id, "%u", id);
        snprintf(x.dir_path, sizeof x.dir_path, "%s/%s", tree->runtime.path, x.id);
        for (size_t i = 0; r == 0 && i < runtime_layout_len; i++)
                r = check_entry(&x, &runtime_layout[i]);
        if (x.dir_fd >= 0)
                close(x.dir_fd);
        return r < 0 ? r : 0;
}
