/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "idmap_views.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state_tree.h"

/* Who may own a layer besides the server user, in a fixed order: any other
 * owner could be a tenant or a stranger who can rewrite the layer. */
static void owner_ids(const struct l4m_config *c, size_t k, uid_t *uid, gid_t *gid) {
        const uid_t uids[IDMAP_OWNERS] = { 0, c->service_uid, c->sandbox_uid };
        const gid_t gids[IDMAP_OWNERS] = { 0, c->service_gid, c->sandbox_gid };

        *uid = uids[k];
        *gid = gids[k];
}

/* Nothing on the way to the mount point may be a symlink or an entry anyone
 * but root could replace; a missing part is made by PID 1 (DirectoryMode=).
 * Only root may look inside runtime/idmap: --verify run by another user (the
 * web app's) leaves what is below it to the generator PID 1 runs. */
static void check_mount_point(struct idmap_view *v, const struct state_tree *t) {
        const char *rel = v->where + strlen(t->runtime.path) + 1;
        struct stat st;

        if (t->runtime.err < 0)
                return; /* not there yet, or refused for every instance by runtime_check() */
        v->err = walk_beneath(t->runtime.fd, &t->runtime.st, t->runtime.path, rel, NULL, &st, &v->why);
        if (v->err == -ENOENT || (v->err == -EACCES && geteuid() != 0))
                v->err = 0;
}

char *idmap_view_where(const struct l4m_config *c, const char *root, uid_t uid) {
        char *where;

        if (asprintf(&where, "%s/" IDMAP_VIEWS_DIR "/%u/%s", c->runtime_dir, (unsigned) uid,
                     root + strlen(c->state_dir) + 1) < 0)
                return NULL;
        return where;
}

bool idmap_views_owner(const struct l4m_config *c, uid_t uid) {
        uid_t u;
        gid_t g;

        for (size_t k = 0; k < IDMAP_OWNERS; k++) {
                owner_ids(c, k, &u, &g);
                if (u == uid)
                        return true;
        }
        return false;
}

uid_t idmap_views_uid_max(const struct l4m_config *c) {
        uid_t max = 0, uid;
        gid_t gid;

        for (size_t k = 0; k < IDMAP_OWNERS; k++) {
                owner_ids(c, k, &uid, &gid);
                if (uid > max)
                        max = uid;
        }
        return max;
}

static int open_view(struct idmap_view *v, const struct state_tree *t, const char *root, size_t k) {
        v->root = root;
        owner_ids(t->config, k, &v->uid, &v->gid);
        v->where = idmap_view_where(t->config, root, v->uid);
        if (!v->where)
                return -ENOMEM;
        if (unit_name_from_path(v->where, ".mount", v->unit, sizeof v->unit) < 0) {
                v->err = -ENAMETOOLONG;
                v->why.reason = "would have a mount unit name longer than 255 bytes";
                snprintf(v->why.at, sizeof v->why.at, "%s", v->where);
                return 0;
        }
        check_mount_point(v, t);
        return 0;
}

int idmap_views_open(struct state_tree *t) {
        for (size_t i = 0; i < t->config->n_lower_roots; i++) {
                if (t->roots[i].err < 0)
                        continue; /* its layers are refused with the root's reason */
                for (size_t k = 0; k < IDMAP_OWNERS; k++) {
                        int r = open_view(&t->views[i][k], t, t->roots[i].path, k);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

void idmap_views_close(struct state_tree *t) {
        for (size_t i = 0; i < L4M_MAX_LOWER_ROOTS; i++)
                for (size_t k = 0; k < IDMAP_OWNERS; k++) {
                        free(t->views[i][k].where);
                        t->views[i][k].where = NULL;
                }
}

struct idmap_view *idmap_view_of(struct state_tree *t, const struct opened_dir *root, uid_t uid) {
        size_t i = (size_t) (root - t->roots);

        for (size_t k = 0; k < IDMAP_OWNERS; k++)
                if (t->views[i][k].where && t->views[i][k].uid == uid)
                        return &t->views[i][k];
        return NULL;
}
