/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "orphans.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "instance_file.h"
#include "lifecycle_units.h"
#include "number.h"

int orphans_emit(struct output *o, const struct state_tree *tree, const uint8_t *ids) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd;

        if (tree->runtime.fd < 0)
                return 0;
        fd = openat(tree->runtime.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || !(d = fdopendir(fd))) {
                if (fd >= 0)
                        close(fd);
                return 0;
        }
        while ((de = readdir(d))) {
                unsigned long id;
                struct stat st;
                char source[1100];
                if (parse_decimal(de->d_name, 1, INSTANCE_ID_MAX, &id) < 0 || (ids[id / 8] & (1u << (id % 8))))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                snprintf(source, sizeof source, "%s/%lu", tree->config->runtime_dir, id);
                int r = lifecycle_units_emit(o, tree, (unsigned) id, source, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}
