/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "state_tree.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "path.h"
#include "quota.h"

static void open_dir(struct opened_dir *d, const char *path) {
        d->path = path;
        d->fd = -1;
        d->err = walk_absolute(path, &d->fd, &d->st, &d->why);
        if (d->err == 0 && !S_ISDIR(d->st.st_mode)) {
                close(d->fd);
                d->fd = -1;
                d->err = -ENOTDIR;
                d->why.reason = "is not a directory";
                strncpy(d->why.at, path, sizeof d->why.at - 1);
        }
}

static void check_quota(struct state_tree *t, int fd) {
        int r = quota_fs_enforces(fd, &t->quota_why);

        t->quota_enforced = r > 0;
        if (r < 0)
                t->quota_why = "its file system's quota state cannot be read";
}

int state_tree_open(struct state_tree *t, const struct l4m_config *c) {
        struct opened_dir state;

        memset(t, 0, sizeof *t);
        t->config = c;
        for (size_t i = 0; i < L4M_MAX_LOWER_ROOTS; i++)
                t->roots[i].fd = -1;
        t->runtime.fd = -1;
        open_dir(&state, c->state_dir);
        if (state.err < 0)
                return l4m_log_at(LOG_ERR, c->path, 0, state.err,
                                  "state_dir %s cannot be inspected: %s %s. The generator runs before /var is mounted "
                                  "when /var is a separate file system: keep state_dir on the root file system",
                                  c->state_dir, state.why.at, state.why.reason);
        for (size_t i = 0; i < c->n_lower_roots; i++)
                open_dir(&t->roots[i], c->lower_roots[i]);
        open_dir(&t->runtime, c->runtime_dir);
        check_quota(t, t->runtime.err == 0 ? t->runtime.fd : state.fd);
        close(state.fd);
        if (idmap_views_open(t) < 0) {
                state_tree_close(t);
                log_error("out of memory while naming the lower roots' idmapped views");
                return -ENOMEM;
        }
        return 0;
}

void state_tree_close(struct state_tree *t) {
        idmap_views_close(t);
        for (size_t i = 0; i < L4M_MAX_LOWER_ROOTS; i++)
                if (t->roots[i].fd >= 0)
                        close(t->roots[i].fd);
        if (t->runtime.fd >= 0)
                close(t->runtime.fd);
        memset(t, 0, sizeof *t);
}

const struct opened_dir *state_tree_root_of(const struct state_tree *t, const char *path) {
        for (size_t i = 0; i < t->config->n_lower_roots; i++)
                if (path_is_under(path, t->roots[i].path))
                        return &t->roots[i];
        return NULL;
}
