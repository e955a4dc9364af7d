/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"
#include "log.h"

int output_open(struct output *o, const char *dir, bool dry_run) {
        o->dir = dir;
        o->dry_run = dry_run;
        o->dirfd = -1;
        o->link_by_proc = false;
        o->made_order.n = 0;
        if (dry_run)
                return 0;
        o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (o->dirfd < 0)
                return log_errno_at(dir, errno, "cannot open output directory");
        return 0;
}

void output_close(struct output *o) {
        if (o->dirfd >= 0)
                close(o->dirfd);
        o->dirfd = -1;
}

static int io_error(const struct output *o, const char *rel, int err) {
        return log_errno_at(o->dir, err, "cannot write %s", rel);
}

/* The place of rel's subdirectory (its first n bytes) in the order of the
 * kept ones, or made_order.n when it is not one of them. */
_Static_assert(OUTPUT_SUBDIRS_KEPT <= MRU_SLOTS_MAX, "more subdirectories kept than struct mru orders");

static unsigned subdir_place(const struct output *o, const char *rel, size_t n) {
        unsigned i;

        for (i = 0; i < o->made_order.n; i++) {
                const char *made = o->made[mru_slot(&o->made_order, i)];
                if (strlen(made) == n && memcmp(made, rel, n) == 0)
                        break;
        }
        return i;
}

/* Creates rel's subdirectory once: files come in runs per instance, each run
 * in the same few directories, and every syscall counts at 10,000 instances.
 * The most recently used are kept, so that a directory of every instance
 * (left4me/) or of every other one (multi-user.target.wants/) stays while
 * each instance's own drop-in directories come and go. */
static int make_parent(struct output *o, const char *rel, mode_t mode) {
        const char *slash = strchr(rel, '/');
        size_t n = slash ? (size_t) (slash - rel) : 0;
        char name[sizeof o->made[0]];
        unsigned i;

        if (n == 0)
                return 0;
        if (n >= sizeof name)
                return -ENAMETOOLONG;
        i = subdir_place(o, rel, n);
        if (i < o->made_order.n) {
                mru_use(&o->made_order, OUTPUT_SUBDIRS_KEPT, i);
                return 0;
        }
        memcpy(name, rel, n);
        name[n] = '\0';
        if (mkdirat(o->dirfd, name, mode) < 0 && errno != EEXIST)
                return -errno;
        memcpy(o->made[mru_use(&o->made_order, OUTPUT_SUBDIRS_KEPT, i)], name, n + 1);
        return 0;
}

static void temp_name(char *buf, size_t size, const char *rel) {
        static unsigned counter;
        const char *slash = strrchr(rel, '/');

        /* Not derived from the file name: a 255-byte unit name leaves no room. */
        snprintf(buf, size, "%.*s.#left4me-generator.%d.%u", slash ? (int) (slash - rel + 1) : 0, rel,
                 (int) getpid(), counter++);
}

/* Links the unnamed file fd in as rel: by the fd itself where allowed (it
 * takes CAP_DAC_READ_SEARCH, which the generator run by PID 1 has), else
 * through its /proc/self/fd entry, a longer lookup. */
static int link_unnamed(struct output *o, int fd, const char *rel) {
        char proc[64];

        if (!o->link_by_proc) {
                if (linkat(fd, "", o->dirfd, rel, AT_EMPTY_PATH) == 0)
                        return 0;
                if (errno != EPERM && errno != ENOENT)
                        return -errno;
                o->link_by_proc = true;
        }
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        return linkat(AT_FDCWD, proc, o->dirfd, rel, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
}

/* The file appears whole under its name or not at all: an unnamed file
 * (O_TMPFILE) linked in when complete, or, where that is refused (the name
 * exists, or the file system lacks O_TMPFILE), a temporary name renamed. */
static int write_unnamed(struct output *o, const char *rel, const char *content, size_t len, mode_t mode) {
        const char *slash = strrchr(rel, '/');
        _cleanup_close_ int fd = -1;
        char dir[256];
        int r;

        snprintf(dir, sizeof dir, "%.*s", slash ? (int) (slash - rel) : 1, slash ? rel : ".");
        fd = openat(o->dirfd, dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
        if (fd < 0)
                return -errno;
        r = write_full(fd, content, len);
        return r < 0 ? r : link_unnamed(o, fd, rel);
}

static int write_renamed(const struct output *o, const char *rel, const char *content, size_t len, mode_t mode) {
        _cleanup_close_ int fd = -1;
        char tmp[320];
        int r;

        temp_name(tmp, sizeof tmp, rel);
        fd = openat(o->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0)
                return -errno;
        r = write_full(fd, content, len);
        if (r == 0 && close(TAKE_FD(fd)) < 0)
                r = -errno;
        if (r == 0 && renameat(o->dirfd, tmp, o->dirfd, rel) < 0)
                r = -errno;
        if (r < 0)
                (void) unlinkat(o->dirfd, tmp, 0);
        return r;
}

static bool starts_separator(const char *line, const char *end) {
        size_t n = strlen(OUTPUT_SEPARATOR_START);

        return (size_t) (end - line) >= n && memcmp(line, OUTPUT_SEPARATOR_START, n) == 0;
}

/* A line of content that starts like a dry-run separator could pass for one. */
static bool forges_separator(const char *content, size_t len) {
        const char *line = content, *end = content + len;

        while (line) {
                if (starts_separator(line, end))
                        return true;
                line = memchr(line, '\n', (size_t) (end - line));
                if (line)
                        line++;
        }
        return false;
}

static int print_file(const struct output *o, const char *rel, const char *content, size_t len) {
        if (forges_separator(content, len))
                return l4m_log_at(LOG_ERR, o->dir, 0, EINVAL,
                                  "%s: a line starts with \"" OUTPUT_SEPARATOR_START "\", which --dry-run prints "
                                  "only before a file",
                                  rel);
        printf(OUTPUT_SEPARATOR_START "%s/%s" OUTPUT_SEPARATOR_END "\n%.*s\n", o->dir, rel, (int) len, content);
        return ferror(stdout) ? -EIO : 0;
}

static int write_file(struct output *o, const char *rel, const char *content, size_t len, mode_t dir_mode,
                      mode_t mode) {
        int r;

        if (o->dry_run)
                return print_file(o, rel, content, len);
        r = make_parent(o, rel, dir_mode);
        if (r == 0)
                r = write_unnamed(o, rel, content, len, mode);
        if (r == -EEXIST || r == -EOPNOTSUPP || r == -EISDIR || r == -ENOENT)
                r = write_renamed(o, rel, content, len, mode);
        return r < 0 ? io_error(o, rel, r) : 0;
}

int output_write(struct output *o, const char *rel, const char *content, size_t len) {
        return write_file(o, rel, content, len, 0755, 0644);
}

int output_write_secret(struct output *o, const char *rel, const char *content, size_t len) {
        return write_file(o, rel, content, len, 0700, 0600);
}

/* A symlink is created whole; only replacing one needs a temporary name. */
int output_symlink(struct output *o, const char *rel, const char *target) {
        char tmp[320];
        int r;

        if (o->dry_run) {
                printf(OUTPUT_SEPARATOR_START "%s/%s -> %s" OUTPUT_SEPARATOR_END "\n\n", o->dir, rel, target);
                return ferror(stdout) ? -EIO : 0;
        }
        r = make_parent(o, rel, 0755);
        if (r == 0 && symlinkat(target, o->dirfd, rel) < 0)
                r = -errno;
        if (r == -EEXIST) {
                temp_name(tmp, sizeof tmp, rel);
                r = symlinkat(target, o->dirfd, tmp) < 0 ? -errno : 0;
                if (r == 0 && renameat(o->dirfd, tmp, o->dirfd, rel) < 0) {
                        r = -errno;
                        (void) unlinkat(o->dirfd, tmp, 0);
                }
        }
        return r < 0 ? io_error(o, rel, r) : 0;
}

void output_header(FILE *f, const char *source) {
        fprintf(f, "# Automatically generated by left4me-generator from %s; do not edit.\n\n", source);
}
