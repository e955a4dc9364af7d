/* SPDX-License-Identifier: MIT */
/* The state tree as the generator sees it for one run: each lower root and
 * the runtime directory opened once, with their ancestors checked, and the
 * lower roots' idmapped views (idmap_views.h). */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

#include "config.h"
#include "idmap_views.h"
#include "safe_walk.h"

struct opened_dir {
        const char *path;
        int fd; /* O_PATH, or -1 with err/why set */
        struct stat st; /* fd's, taken once: only root can change a root-owned directory's owner or mode */
        int err;
        struct walk_error why;
};

struct state_tree {
        const struct l4m_config *config;
        struct opened_dir roots[L4M_MAX_LOWER_ROOTS];
        struct opened_dir runtime; /* err == -ENOENT is fine: PID 1 creates it */
        struct idmap_view views[L4M_MAX_LOWER_ROOTS][IDMAP_OWNERS]; /* where NULL: no such root */
        /* Whether the file system of the runtime directory (or of state_dir,
         * before it exists) enforces project quotas; why not, if not. */
        bool quota_enforced;
        const char *quota_why;
};

/* Opens state_dir's lower roots and runtime directory. Fails (logged, with
 * the remedy) only when state_dir itself cannot be inspected. */
int state_tree_open(struct state_tree *t, const struct l4m_config *c);
void state_tree_close(struct state_tree *t);

/* The opened lower root that path lies under, or NULL. */
const struct opened_dir *state_tree_root_of(const struct state_tree *t, const char *path);
