/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "overlay_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

static int open_nofollow(int dir_fd, const char *name, int flags) {
        struct open_how how = {
                .flags = (__u64) (flags | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW),
                .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
                           (dir_fd == AT_FDCWD ? 0 : RESOLVE_BENEATH),
        };
        int fd = (int) syscall(SYS_openat2, dir_fd, name, &how, sizeof how);

        return fd < 0 ? -errno : fd;
}

/* The ownership invariant: only root may replace what lies below. */
static int check_root_owned(int fd, const char *path) {
        struct stat st;

        if (fstat(fd, &st) < 0)
                return l4m_log_at(LOG_ERR, path, 0, errno, "cannot stat: %s", strerror(errno));
        if (st.st_uid != 0 || (st.st_mode & 022))
                return l4m_log_at(LOG_ERR, path, 0, EPERM,
                                  "must be owned by root and not writable by group or others (owner %u, mode %04o)",
                                  (unsigned) st.st_uid, (unsigned) (st.st_mode & 07777));
        return 0;
}

static int open_root_owned(int dir_fd, const char *name, const char *path, int *out) {
        int fd = open_nofollow(dir_fd, name, O_PATH);
        int r;

        if (fd == -ENOENT && dir_fd != AT_FDCWD) {
                if (mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
                        return l4m_log_at(LOG_ERR, path, 0, errno, "cannot create: %s", strerror(errno));
                fd = open_nofollow(dir_fd, name, O_PATH);
        }
        if (fd < 0)
                return l4m_log_at(LOG_ERR, path, 0, fd, "cannot open without following symlinks: %s", strerror(-fd));
        r = check_root_owned(fd, path);
        if (r < 0) {
                close(fd);
                return r;
        }
        *out = fd;
        return 0;
}

/* A build's output is the game servers' code: the server user owns it on
 * disk, and the staging idmap shows it to the sandbox user as its own. */
static int own_new_dir(int fd, const char *path, const struct l4m_config *c) {
        if (fchown(fd, c->server_uid, c->server_gid) < 0 || fchmod(fd, 0755) < 0)
                return l4m_log_at(LOG_ERR, path, 0, errno, "cannot hand to the server user: %s", strerror(errno));
        return 0;
}

static int check_server_owned(int fd, const char *path, const struct l4m_config *c) {
        struct stat st;

        if (fstat(fd, &st) < 0)
                return l4m_log_at(LOG_ERR, path, 0, errno, "cannot stat: %s", strerror(errno));
        if (st.st_uid != c->server_uid)
                return l4m_log_at(LOG_ERR, path, 0, EPERM, "is owned by uid %u, not by the server user %s (uid %u)%s",
                                  (unsigned) st.st_uid, c->server_user, (unsigned) c->server_uid,
                                  st.st_uid == c->service_uid || st.st_uid == c->sandbox_uid
                                          ? ": an overlay built before game servers had a user of their own serves "
                                            "as it is, but builds into it need it given to the server user"
                                          : "");
        return 0;
}

int overlay_dir_open(const struct l4m_config *c, unsigned long id) {
        _cleanup_close_ int state = -1, overlays = -1, dir = -1;
        char path[1200], name[32];
        bool created;
        int r;

        r = open_root_owned(AT_FDCWD, c->state_dir, c->state_dir, &state);
        if (r < 0)
                return r;
        snprintf(path, sizeof path, "%s/overlays", c->state_dir);
        r = open_root_owned(state, "overlays", path, &overlays);
        if (r < 0)
                return r;
        snprintf(name, sizeof name, "%lu", id);
        snprintf(path, sizeof path, "%s/overlays/%lu", c->state_dir, id);
        created = mkdirat(overlays, name, 0755) == 0;
        if (!created && errno != EEXIST)
                return l4m_log_at(LOG_ERR, path, 0, errno, "cannot create: %s", strerror(errno));
        dir = open_nofollow(overlays, name, O_RDONLY);
        if (dir < 0)
                return l4m_log_at(LOG_ERR, path, 0, dir, "cannot open without following symlinks: %s",
                                  strerror(-dir));
        r = created ? own_new_dir(dir, path, c) : check_server_owned(dir, path, c);
        return r < 0 ? r : TAKE_FD(dir);
}
