/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "instance.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "instance_budget.h"
#include "instance_file.h"
#include "layers.h"
#include "log.h"
#include "runtime_check.h"
#include "units.h"

static int file_error(const char *path, int err, const char *reason) {
        return l4m_log_at(LOG_ERR, path, 0, err, "%s", reason);
}

static int check_file_stat(const char *path, const struct stat *st, const struct l4m_config *c) {
        if (!S_ISREG(st->st_mode))
                return file_error(path, EINVAL, "is not a regular file");
        if (st->st_uid != 0 && st->st_uid != c->service_uid)
                return file_error(path, EPERM, "is owned by someone other than root or the service user");
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                return file_error(path, EPERM, "is writable by group or others");
        if (st->st_size > INSTANCE_FILE_MAX)
                return file_error(path, EFBIG, "is larger than 64 KiB");
        return 0;
}

/* Reads the whole file into buf (INSTANCE_FILE_MAX + 1 bytes). */
static int read_instance_file(int dirfd, const char *name, const char *path, const struct l4m_config *c,
                              char *buf, size_t *len) {
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        struct stat st;
        ssize_t n;
        int r;

        if (fd < 0)
                return file_error(path, errno, errno == ELOOP ? "is a symlink" : "cannot be opened");
        if (fstat(fd, &st) < 0)
                return file_error(path, errno, "cannot be inspected");
        r = check_file_stat(path, &st, c);
        if (r < 0)
                return r;
        *len = 0;
        for (;;) { /* a short read of a regular file is its end: no read to see 0 */
                size_t want = INSTANCE_FILE_MAX + 1 - *len;
                n = read(fd, buf + *len, want);
                if (n <= 0)
                        break;
                *len += (size_t) n;
                if ((size_t) n < want || *len > INSTANCE_FILE_MAX)
                        break;
        }
        if (n < 0)
                return file_error(path, errno, "cannot be read");
        if (*len > INSTANCE_FILE_MAX)
                return file_error(path, EFBIG, "is larger than 64 KiB");
        return 0;
}

enum instance_result instance_process(int dirfd, const char *name, const char *path, unsigned id, struct state_tree *tree,
                     struct output *out) {
        static char text[INSTANCE_FILE_MAX + 1];
        static struct layer_set layers;
        enum instance_result result = INSTANCE_GENERATED;
        struct instance_env env;
        struct budget budget;
        size_t len = 0;
        int r;

        r = read_instance_file(dirfd, name, path, tree->config, text, &len);
        if (r < 0)
                return INSTANCE_SKIPPED;
        r = instance_env_parse(path, text, len, &env);
        /* The runtime directory first: the layers' views are mounted in it. */
        if (r == 0)
                r = runtime_check(&env, id, tree);
        if (r == 0)
                r = layers_load(&env, id, tree, &layers);
        if (r == 0)
                r = instance_budget_resolve(&env, tree, &budget);
        if (r == 0 && out) {
                const struct instance in = { id, path, &env, text, len, &layers, &budget };
                if (units_emit(out, tree->config, &in) < 0)
                        result = INSTANCE_OUTPUT_FAILED;
        }
        /* Not the file's fault: skipping it would drop a good instance. */
        if (r == -ENOMEM) {
                log_error("out of memory while reading %s", path);
                result = INSTANCE_OUTPUT_FAILED;
        } else if (r < 0)
                result = INSTANCE_SKIPPED;
        layer_set_clear(&layers);
        instance_env_free(&env);
        return result;
}
