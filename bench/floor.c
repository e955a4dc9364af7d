/* SPDX-License-Identifier: MIT */
/* floor MANIFEST OUTDIR: the least a generator has to do to leave the same
 * tree behind. MANIFEST has one line per entry, as written by
 *   find OUT -mindepth 1 -printf '%y\t%s\t%P\t%l\n'
 * (type d/f/l, size, path relative to OUT, symlink target). Directories are
 * created, files written in one write() of that many bytes (open, write,
 * close: no temporary name, no rename, no fsync), symlinks made. Nothing is
 * read, checked or formatted. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

int main(int argc, char **argv) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;

        if (argc != 3) {
                fputs("usage: floor MANIFEST OUTDIR\n", stderr);
                return 2;
        }
        FILE *m = fopen(argv[1], "re");
        if (!m)
                return fail("open", argv[1]);
        int root = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return fail("open", argv[2]);
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
                        int fd = openat(root, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                        if (fd < 0)
                                return fail("create", path);
                        if (write(fd, content, len) != (ssize_t) len || close(fd) < 0)
                                return fail("write", path);
                }
        }
        free(line);
        return 0;
}
