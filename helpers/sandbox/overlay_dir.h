/* SPDX-License-Identifier: MIT */
/* state_dir/overlays/ID: the build's output directory on disk. */
#pragma once

#include <stdbool.h>

#include "config.h"

struct overlay_dir {
        int fd;        /* O_RDONLY: the directory */
        int parent_fd; /* O_PATH: state_dir/overlays */
        bool made;     /* made by this run */
        unsigned long id;
        char name[32];   /* ID, in parent_fd */
        char path[1200]; /* for messages */
};

#define OVERLAY_DIR_NULL { .fd = -1, .parent_fd = -1 }

/* Opens state_dir/overlays/ID into *out with lib/safe_walk.c's walk from
 * "/", so under the same ownership rule as the generator's layers, creating
 * overlays (root's) and ID (mode 0755, the server user's) where missing. An
 * existing ID directory must be owned by the server user. Returns 0, or a
 * negative errno after logging one line; *out is overlay_dir_close()d
 * whatever the result, and a directory it made before failing is still
 * marked made. */
int overlay_dir_open(const struct l4m_config *c, unsigned long id, struct overlay_dir *out);

/* After a failed build, under the ID's lock: removes the directory when this
 * run made it and it is still empty, so IDs tried once and never used again
 * leave nothing behind. Logs a warning on an unexpected error. */
void overlay_dir_discard_new(const struct overlay_dir *d);

void overlay_dir_close(struct overlay_dir *d);
