/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "runtime_check.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

#define FUSE_OVERLAYFS_XATTR_PREFIX "user.fuseoverlayfs."
/* Their entries are made later, by PID 1 or by whoever comes first: a sticky
 * bit protects none of them (dir_pins_entry() with no entry). */
#define NOT_A_SAFE_PARENT \
        "is not root-owned or is writable by group or others (it holds entries made later, so a sticky bit is not enough)"

struct runtime_ctx {
        const struct instance_env *env;
        const struct state_tree *tree;
        char dir[1100]; /* runtime/N */
        char id[16];    /* N */
};

static int runtime_error(const struct runtime_ctx *x, int err, const char *name, const char *reason) {
        return l4m_log_at(LOG_ERR, x->env->path, x->env->lowerdirs_line, err, "runtime directory %s%s%s %s", x->dir,
                          *name ? "/" : "", name, reason);
}

/* Stats runtime/N/name ("" for runtime/N) without following a last symlink.
 * Only root can swap what is below runtime/ (checked once per run) and N
 * (checked first), so names are looked up through them, not opened.
 * Returns 1 when it is a directory, 0 when it does not exist. */
static int stat_dir(const struct runtime_ctx *x, const char *name, struct stat *st) {
        char rel[32 + NAME_MAX];

        snprintf(rel, sizeof rel, "%s%s%s", x->id, *name ? "/" : "", name);
        if (fstatat(x->tree->runtime.fd, rel, st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : runtime_error(x, errno, name, "cannot be inspected");
        if (S_ISLNK(st->st_mode))
                return runtime_error(x, ELOOP, name, "is a symlink");
        if (!S_ISDIR(st->st_mode))
                return runtime_error(x, ENOTDIR, name, "is not a directory");
        return 1;
}

static int check_no_fuse_xattrs(const struct runtime_ctx *x) {
        char path[sizeof x->dir + sizeof "/upper"], names[4096];
        ssize_t n;

        snprintf(path, sizeof path, "%s/upper", x->dir);
        n = llistxattr(path, names, sizeof names);
        if (n < 0 && errno == ERANGE)
                return runtime_error(x, E2BIG, "upper", "has more extended attributes than expected");
        if (n < 0)
                return errno == ENOTSUP ? 0 : runtime_error(x, errno, "upper", "extended attributes cannot be read");
        for (ssize_t i = 0; i < n; i += (ssize_t) strlen(names + i) + 1)
                if (strncmp(names + i, FUSE_OVERLAYFS_XATTR_PREFIX, strlen(FUSE_OVERLAYFS_XATTR_PREFIX)) == 0)
                        return runtime_error(x, EINVAL, "upper",
                                             "carries user.fuseoverlayfs.* extended attributes (left by fuse-overlayfs; "
                                             "wipe it with a reset)");
        return 0;
}

static int check_upper(const struct runtime_ctx *x) {
        struct stat st;
        int r = stat_dir(x, "upper", &st);

        if (r <= 0)
                return r;
        if (st.st_uid != x->tree->config->server_uid)
                return runtime_error(x, EPERM, "upper",
                                     st.st_uid == x->tree->config->service_uid
                                             ? "is owned by the service user, from before game servers had a user of "
                                               "their own: reset the instance (left4me-reset@.service) or give upper "
                                               "and everything in it to the server user"
                                             : "is not owned by the server user");
        return check_no_fuse_xattrs(x);
}

static int check_plain_dir(const struct runtime_ctx *x, const char *name, bool must_be_safe_parent) {
        struct stat st;
        int r = stat_dir(x, name, &st);

        if (r <= 0)
                return r;
        if (must_be_safe_parent && !dir_pins_entry(&st, NULL))
                return runtime_error(x, EPERM, name, NOT_A_SAFE_PARENT);
        return 0;
}

int runtime_check(const struct instance_env *env, unsigned id, const struct state_tree *tree) {
        struct runtime_ctx x = { env, tree, "", "" };
        struct stat st;
        int r;

        if (tree->runtime.err == -ENOENT)
                return 0;
        if (tree->runtime.err < 0)
                return l4m_log_at(LOG_ERR, env->path, env->lowerdirs_line, tree->runtime.err, "runtime directory %s %s",
                                  tree->runtime.why.at, tree->runtime.why.reason);
        if (!dir_pins_entry(&tree->runtime.st, NULL))
                return l4m_log_at(LOG_ERR, env->path, env->lowerdirs_line, EPERM, "runtime directory %s " NOT_A_SAFE_PARENT,
                                  tree->config->runtime_dir);
        snprintf(x.id, sizeof x.id, "%u", id);
        snprintf(x.dir, sizeof x.dir, "%s/%u", tree->config->runtime_dir, id);
        r = stat_dir(&x, "", &st);
        if (r <= 0)
                return r;
        if (!dir_pins_entry(&st, NULL))
                return runtime_error(&x, EPERM, "", NOT_A_SAFE_PARENT);
        r = check_upper(&x);
        if (r == 0)
                r = check_plain_dir(&x, "work", false);
        if (r == 0)
                r = check_plain_dir(&x, "merged", false);
        if (r == 0)
                r = check_plain_dir(&x, "idmap", true);
        return r;
}
