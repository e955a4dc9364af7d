/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

int output_open(struct output *o, const char *dir, bool dry_run) {
        o->dir = dir;
        o->dry_run = dry_run;
        o->dirfd = -1;
        if (dry_run)
                return 0;
        o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (o->dirfd < 0)
                return l4m_log_at(LOG_ERR, dir, 0, errno, "cannot open output directory: %s", strerror(errno));
        return 0;
}

void output_close(struct output *o) {
        if (o->dirfd >= 0)
                close(o->dirfd);
        o->dirfd = -1;
}

/* Opens the directory rel lives in (creating a subdirectory) and points
 * *name at the last component. */
static int open_parent(struct output *o, const char *rel, const char **name) {
        const char *slash = strchr(rel, '/');
        char sub[256];

        *name = rel;
        if (!slash)
                return fcntl(o->dirfd, F_DUPFD_CLOEXEC, 3);
        if ((size_t) (slash - rel) >= sizeof sub)
                return -ENAMETOOLONG;
        memcpy(sub, rel, (size_t) (slash - rel));
        sub[slash - rel] = '\0';
        *name = slash + 1;
        if (mkdirat(o->dirfd, sub, 0755) < 0 && errno != EEXIST)
                return -errno;
        int fd = openat(o->dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

static int io_error(const struct output *o, const char *rel, int err) {
        return l4m_log_at(LOG_ERR, o->dir, 0, err, "cannot write %s: %s", rel, strerror(err > 0 ? err : -err));
}

static int write_all(int fd, const char *p, size_t len) {
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t) n;
        }
        return 0;
}

/* Not derived from the final name: a 255-byte unit name leaves no room. */
static void temp_name(char *buf, size_t size) {
        static unsigned counter;
        snprintf(buf, size, ".#left4me-generator.%d.%u", (int) getpid(), counter++);
}

static int write_temp_file(int dfd, const char *tmp, const char *content, size_t len) {
        _cleanup_close_ int fd = -1;
        int r;

        (void) unlinkat(dfd, tmp, 0);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        r = write_all(fd, content, len);
        if (r == 0 && close(TAKE_FD(fd)) < 0)
                r = -errno;
        return r;
}

int output_write(struct output *o, const char *rel, const char *content, size_t len) {
        _cleanup_close_ int dfd = -1;
        const char *name;
        char tmp[64];
        int r;

        if (o->dry_run) {
                printf("# %s/%s\n%.*s\n", o->dir, rel, (int) len, content);
                return ferror(stdout) ? -EIO : 0;
        }
        dfd = open_parent(o, rel, &name);
        if (dfd < 0)
                return io_error(o, rel, dfd);
        temp_name(tmp, sizeof tmp);
        r = write_temp_file(dfd, tmp, content, len);
        if (r == 0 && renameat(dfd, tmp, dfd, name) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlinkat(dfd, tmp, 0);
                return io_error(o, rel, r);
        }
        return 0;
}

int output_symlink(struct output *o, const char *rel, const char *target) {
        _cleanup_close_ int dfd = -1;
        const char *name;
        char tmp[64];

        if (o->dry_run) {
                printf("# %s/%s -> %s\n\n", o->dir, rel, target);
                return ferror(stdout) ? -EIO : 0;
        }
        dfd = open_parent(o, rel, &name);
        if (dfd < 0)
                return io_error(o, rel, dfd);
        temp_name(tmp, sizeof tmp);
        (void) unlinkat(dfd, tmp, 0);
        if (symlinkat(target, dfd, tmp) < 0)
                return io_error(o, rel, errno);
        if (renameat(dfd, tmp, dfd, name) < 0) {
                int err = errno;
                (void) unlinkat(dfd, tmp, 0);
                return io_error(o, rel, err);
        }
        return 0;
}
