/* SPDX-License-Identifier: MIT */
/* The lower roots as the game servers' user sees them: for each lower root
 * and each owner a layer may have other than that user, one idmapped bind
 * mount of the root, shared by every instance whose layers lie below it with
 * that owner. Their mount points, runtime_dir/idmap/UID/ROOT, are checked
 * once a run; units.c writes the mount unit of each one an instance uses. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "safe_walk.h"
#include "unit_name.h"

/* root, the service user and the sandbox user: who may own a layer besides
 * the server user, whose own layers need no view. */
#define IDMAP_OWNERS 3

/* Below runtime_dir; 0700: through a view every layer reads as the server
 * user's, writable by it; only overlayfs, mounted by root, looks there. */
#define IDMAP_VIEWS_DIR "idmap"
#define IDMAP_VIEWS_DIR_MODE "0700"

struct state_tree;
struct opened_dir;

struct idmap_view {
        const char *root; /* the lower root's path */
        char *where;      /* runtime_dir/idmap/UID/<root below state_dir>; NULL: no such root */
        char unit[L4M_UNIT_NAME_MAX + 1];
        uid_t uid; /* the owner shown as the server user */
        gid_t gid; /* and its primary group, shown as the server's */
        int err;   /* < 0 when the mount point's path cannot be used: why */
        struct walk_error why;
        bool emitted; /* its mount unit is written, by the first instance that needs it */
};

/* The mount point of root's view for layers owned by uid (malloc'd, or NULL
 * when out of memory). */
char *idmap_view_where(const struct l4m_config *c, const char *root, uid_t uid);

/* Whether uid owns the layers of a view: may own a layer and is not the
 * server user. */
bool idmap_views_owner(const struct l4m_config *c, uid_t uid);

/* The largest uid a view is named by, for the longest name. */
uid_t idmap_views_uid_max(const struct l4m_config *c);

/* Fills t->views for every opened lower root; t->config and t->runtime set. */
int idmap_views_open(struct state_tree *t);
void idmap_views_close(struct state_tree *t);

/* The view of root for a layer owned by uid, or NULL when uid needs none. */
struct idmap_view *idmap_view_of(struct state_tree *t, const struct opened_dir *root, uid_t uid);
