/* SPDX-License-Identifier: MIT */
/* floor [--atomic] MANIFEST OUTDIR: the least a generator has to do to
 * leave the same tree behind. MANIFEST has one line per entry, as written by
 *   find OUT -mindepth 1 -printf '%y\t%s\t%P\t%l\n'
 * (type d/f/l, size, path relative to OUT, symlink target). Directories are
 * created, files written in one write() of that many bytes (open, write,
 * close: no temporary name, no rename, no fsync), symlinks made. Nothing is
 * read, checked or formatted. --atomic writes each file as the generator
 * does, so that it appears whole or not at all: an unnamed file (O_TMPFILE)
 * linked in by its fd once written. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char content[128 * 1024];

static int fail(const char *what, const char *path) {
        fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
        return 1;
}

static int write_plain(int root, const char *path, size_t len) {
        int fd = openat(root, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        if (fd < 0)
                return fail("create", path);
        if (write(fd, content, len) != (ssize_t) len || close(fd) < 0)
                return fail("write", path);
        return 0;
}

static int write_atomic(int root, const char *path, size_t len) {
        const char *slash = strrchr(path, '/');
        char dir[4096];
        int fd;

        snprintf(dir, sizeof dir, "%.*s", slash ? (int) (slash - path) : 1, slash ? path : ".");
        fd = openat(root, dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0)
                return fail("create unnamed in", dir);
        if (write(fd, content, len) != (ssize_t) len)
                return fail("write", path);
        if (linkat(fd, "", root, path, AT_EMPTY_PATH) < 0)
                return fail("link", path);
        return close(fd) < 0 ? fail("close", path) : 0;
}

int main(int argc, char **argv) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        bool atomic = argc == 4 && strcmp(argv[1], "--atomic") == 0;

        if (argc != 3 + atomic) {
                fputs("usage: floor [--atomic] MANIFEST OUTDIR\n", stderr);
                return 2;
        }
        FILE *m = fopen(argv[1 + atomic], "re");
        if (!m)
                return fail("open", argv[1 + atomic]);
        int root = open(argv[2 + atomic], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return fail("open", argv[2 + atomic]);
        memset(content, '#', sizeof content);
        while ((n = getline(&line, &cap, m)) > 0) {
                if (line[n - 1] == '\n')
                        line[--n] = '\0';
                char *type = line, *size = strchr(type, '\t'), *path, *target;
                if (!size || !(path = strchr(size + 1, '\t')) || !(target = strchr(path + 1, '\t'))) {
                        fprintf(stderr, "floor: bad manifest line: %s\n", line);
                        return 2;
                }
                *size++ = *path++ = *target++ = '\0';
                if (*type == 'd') {
                        if (mkdirat(root, path, 0755) < 0 && errno != EEXIST)
                                return fail("mkdir", path);
                } else if (*type == 'l') {
                        if (symlinkat(target, root, path) < 0)
                                return fail("symlink", path);
                } else {
                        size_t len = strtoul(size, NULL, 10);
                        if (len > sizeof content)
                                len = sizeof content;
                        if ((atomic ? write_atomic : write_plain)(root, path, len))
                                return 1;
                }
        }
        free(line);
        return 0;
}
