/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "overlay_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "safe_walk.h"

struct walked_dir {
        int fd; /* O_PATH */
        struct stat st;
        char path[1200];
};

static int walk_error_log(int r, const struct walk_error *e) {
        return l4m_log_at(LOG_ERR, e->at, 0, r, "%s", e->reason);
}

static int check_is_dir(const struct walked_dir *d) {
        if (!S_ISDIR(d->st.st_mode))
                return l4m_log_at(LOG_ERR, d->path, 0, ENOTDIR, "is not a directory");
        return 0;
}

static int open_state_dir(const char *state_dir, struct walked_dir *out) {
        struct walk_error e;
        int r;

        if ((size_t) snprintf(out->path, sizeof out->path, "%s", state_dir) >= sizeof out->path)
                return l4m_log_at(LOG_ERR, state_dir, 0, ENAMETOOLONG, "is too long a path");
        r = walk_absolute(state_dir, &out->fd, &out->st, &e);
        if (r < 0)
                return walk_error_log(r, &e);
        return check_is_dir(out);
}

/* Opens parent/name, making it (mode 0755, owned by whoever runs this: root)
 * when missing; the walk reports a missing entry only where the ownership
 * rule says no one else can make it first. Returns 1 when it was made here. */
static int open_or_make(const struct walked_dir *parent, const char *name, struct walked_dir *out) {
        struct walk_error e;
        bool made = false;
        int r;

        if ((size_t) snprintf(out->path, sizeof out->path, "%s/%s", parent->path, name) >= sizeof out->path)
                return l4m_log_at(LOG_ERR, parent->path, 0, ENAMETOOLONG, "is too long a path");
        r = walk_beneath(parent->fd, &parent->st, parent->path, name, &out->fd, &out->st, &e);
        if (r == -ENOENT) {
                made = mkdirat(parent->fd, name, 0755) == 0;
                if (!made && errno != EEXIST)
                        return log_errno_at(out->path, errno, "cannot create");
                r = walk_beneath(parent->fd, &parent->st, parent->path, name, &out->fd, &out->st, &e);
        }
        if (r < 0)
                return walk_error_log(r, &e);
        r = check_is_dir(out);
        return r < 0 ? r : made;
}

/* A build's output is the game servers' code: the server user owns it on
 * disk, and the staging idmap shows it to the sandbox user as its own. */
static int own_new_dir(int fd, const char *path, const struct l4m_config *c) {
        if (fchown(fd, c->server_uid, c->server_gid) < 0 || fchmod(fd, 0755) < 0)
                return log_errno_at(path, errno, "cannot hand to the server user");
        return 0;
}

static int check_server_owned(const struct walked_dir *d, const struct l4m_config *c) {
        uid_t uid = d->st.st_uid;

        if (uid != c->server_uid)
                return l4m_log_at(LOG_ERR, d->path, 0, EPERM, "is owned by uid %u, not by the server user %s (uid %u)%s",
                                  (unsigned) uid, c->server_user, (unsigned) c->server_uid,
                                  uid == c->service_uid || uid == c->sandbox_uid
                                          ? ": an overlay built before game servers had a user of their own serves "
                                            "as it is, but builds into it need it given to the server user"
                                          : "");
        return 0;
}

static void close_walked(struct walked_dir *d) {
        if (d->fd >= 0)
                close(d->fd);
}

int overlay_dir_open(const struct l4m_config *c, unsigned long id, struct overlay_dir *out) {
        __attribute__((cleanup(close_walked))) struct walked_dir state = { .fd = -1 }, overlays = { .fd = -1 },
                                                                 dir = { .fd = -1 };
        int made, r;

        out->id = id;
        r = open_state_dir(c->state_dir, &state);
        if (r >= 0)
                r = open_or_make(&state, "overlays", &overlays);
        if (r < 0)
                return r;
        snprintf(out->name, sizeof out->name, "%lu", id);
        made = open_or_make(&overlays, out->name, &dir);
        if (made < 0)
                return made;
        out->parent_fd = TAKE_FD(overlays.fd);
        out->made = made;
        snprintf(out->path, sizeof out->path, "%s", dir.path);
        /* The directory itself, not a second lookup of its path: "." of it. */
        out->fd = openat(dir.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (out->fd < 0)
                return log_errno_at(dir.path, errno, "cannot be opened");
        return made ? own_new_dir(out->fd, dir.path, c) : check_server_owned(&dir, c);
}

/* overlays is root's and not writable by others (the walk's rule), so the
 * name still leads to the directory made; the ID's lock keeps other runs out. */
void overlay_dir_discard_new(const struct overlay_dir *d) {
        if (!d->made || d->parent_fd < 0)
                return;
        if (unlinkat(d->parent_fd, d->name, AT_REMOVEDIR) < 0 && errno != ENOTEMPTY && errno != EEXIST)
                l4m_log_errno(LOG_WARNING, d->path, errno, "cannot remove");
}

void overlay_dir_close(struct overlay_dir *d) {
        if (d->fd >= 0)
                close(d->fd);
        if (d->parent_fd >= 0)
                close(d->parent_fd);
        d->fd = d->parent_fd = -1;
}
