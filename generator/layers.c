/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "layers.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "layer_cache.h"
#include "log.h"
#include "path.h"
#include "unit_name.h"

#define MOUNT_OPTIONS_MAX (128 * 1024)

struct layer_ctx {
        const struct instance_env *env;
        unsigned id;
        const struct state_tree *tree;
};

__attribute__((format(printf, 4, 5))) static int layer_error(const struct layer_ctx *x, int err, const char *layer,
                                                             const char *fmt, ...) {
        char reason[1600];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(reason, sizeof reason, fmt, ap);
        va_end(ap);
        return l4m_log_at(LOG_ERR, x->env->path, x->env->lowerdirs_line, err, "L4D2_LOWERDIRS: layer \"%s\" %s",
                          layer, reason);
}

static int check_syntax(const struct layer_ctx *x, const char *layer) {
        const struct l4m_config *c = x->tree->config;
        const char *reason;

        if (path_check_safe(layer, &reason) < 0)
                return layer_error(x, EINVAL, layer, "%s", reason);
        if (path_is_under(layer, c->runtime_dir))
                return layer_error(x, EINVAL, layer, "is under the runtime directory %s (instances' own files)",
                                   c->runtime_dir);
        if (!state_tree_root_of(x->tree, layer))
                return layer_error(x, EINVAL, layer, "is outside every lower root of [overlay] lower_roots");
        return 0;
}

/* Who may own a layer, and the primary group shown as the server's with it:
 * any other owner could be a tenant or a stranger who can rewrite the layer. */
static bool layer_owner_group(const struct l4m_config *c, uid_t uid, gid_t *gid) {
        if (uid == 0)
                *gid = 0;
        else if (uid == c->service_uid)
                *gid = c->service_gid;
        else if (uid == c->sandbox_uid)
                *gid = c->sandbox_gid;
        else if (uid == c->server_uid)
                *gid = c->server_gid;
        else
                return false;
        return true;
}

/* Walks to the layer below its lower root, opened and checked once per run:
 * no second lookup. A layer below the root that the walk reached already in
 * this run is not walked to again (layer_cache.c says why that holds); the
 * root itself costs no walk. */
static int walk_to(const struct layer_ctx *x, const struct opened_dir *root, const char *layer, struct stat *st) {
        const char *rel = layer + strlen(root->path);
        struct walk_error e;
        int r;

        if (root->err < 0)
                return layer_error(x, -root->err, layer, "cannot be used: %s %s", root->why.at, root->why.reason);
        if (*rel == '\0') {
                *st = root->st;
                return 0;
        }
        if (layer_cache_find(layer, st))
                return 0;
        r = walk_beneath(root->fd, &root->st, root->path, *rel == '/' ? rel + 1 : rel, NULL, st, &e);
        if (r < 0)
                return layer_error(x, -r, layer, "cannot be used: %s %s", e.at, e.reason);
        layer_cache_add(layer, st);
        return 0;
}

static int check_on_disk(const struct layer_ctx *x, const char *layer, struct layer *out) {
        struct stat st;
        int r = walk_to(x, state_tree_root_of(x->tree, layer), layer, &st);

        if (r < 0)
                return r;
        if (!S_ISDIR(st.st_mode))
                return layer_error(x, ENOTDIR, layer, "is not a directory");
        if (!layer_owner_group(x->tree->config, st.st_uid, &out->owner_gid))
                return layer_error(x, EPERM, layer, "is owned by uid %u, not by root, the service, the server or the "
                                   "sandbox user", (unsigned) st.st_uid);
        out->owner_uid = st.st_uid;
        return 0;
}

/* runtime/N/idmap/<parent>_<name>: parent and name of the layer itself. */
static int idmap_target(const struct layer_ctx *x, const char *layer, char **where) {
        const char *name = strrchr(layer, '/') + 1;
        const char *parent_end = name - 1, *parent = parent_end;
        char unit[L4M_UNIT_NAME_MAX + 1];

        while (parent > layer && parent[-1] != '/')
                parent--;
        if (asprintf(where, "%s/%u/idmap/%.*s_%s", x->tree->config->runtime_dir, x->id, (int) (parent_end - parent),
                     parent, name) < 0) {
                *where = NULL;
                return -ENOMEM;
        }
        if (unit_name_from_path(*where, ".mount", unit, sizeof unit) < 0)
                return layer_error(x, ENAMETOOLONG, layer, "needs an idmapped mount at %s, whose unit name would be "
                                   "longer than %d bytes", *where, L4M_UNIT_NAME_MAX);
        return 0;
}

static int check_unique(const struct layer_ctx *x, const struct layer_set *set, const char *layer,
                        const char *idmap_where) {
        for (size_t i = 0; i < set->n; i++) {
                const struct layer *o = &set->v[i];
                if (strcmp(o->path, layer) == 0)
                        return layer_error(x, EEXIST, layer, "is listed twice");
                if (idmap_where && o->idmap_where && strcmp(o->idmap_where, idmap_where) == 0)
                        return layer_error(x, EEXIST, layer, "and layer \"%s\" would share the idmapped mount %s "
                                           "(same parent and directory name)", o->path, idmap_where);
        }
        return 0;
}

static int add_layer(const struct layer_ctx *x, struct layer_set *set, const char *layer) {
        _cleanup_free_ char *where = NULL;
        struct layer *l = &set->v[set->n];
        int r;

        if (set->n == LAYERS_MAX)
                return layer_error(x, E2BIG, layer, "is one layer too many: overlayfs accepts at most %d", LAYERS_MAX);
        *l = (struct layer) { 0 };
        r = check_syntax(x, layer);
        if (r == 0)
                r = check_on_disk(x, layer, l);
        if (r == 0 && l->owner_uid != x->tree->config->server_uid)
                r = idmap_target(x, layer, &where);
        if (r == 0)
                r = check_unique(x, set, layer, where);
        if (r < 0)
                return r;
        l->path = strdup(layer);
        if (!l->path)
                return -ENOMEM;
        l->idmap_where = TAKE_PTR(where);
        set->n++;
        return 0;
}

/* mount(8) gets the options as one argument, which Linux caps at 128 KiB
 * (MAX_ARG_STRLEN); refuse here rather than fail at every start. */
static int check_options_length(const struct layer_ctx *x, const struct layer_set *set) {
        size_t total = 2 * (strlen(x->tree->config->runtime_dir) + sizeof "/65535/upper,") + sizeof "upperdir=workdir=";

        for (size_t i = 0; i < set->n; i++)
                total += sizeof "lowerdir+=," - 1 + strlen(layer_mount_source(&set->v[i]));
        if (total >= MOUNT_OPTIONS_MAX)
                return l4m_log_at(LOG_ERR, x->env->path, x->env->lowerdirs_line, E2BIG,
                                  "L4D2_LOWERDIRS: the overlay's mount options would be %zu bytes, more than the "
                                  "%d that mount(8) can be given", total, MOUNT_OPTIONS_MAX - 1);
        return 0;
}

int layers_load(const struct instance_env *env, unsigned id, const struct state_tree *tree, struct layer_set *set) {
        const struct layer_ctx x = { env, id, tree };
        _cleanup_free_ char *copy = strdup(env->lowerdirs);
        char *p;

        set->n = 0;
        if (!copy)
                return -ENOMEM;
        if (*copy == '\0')
                return l4m_log_at(LOG_ERR, env->path, env->lowerdirs_line, EINVAL, "L4D2_LOWERDIRS is empty");
        p = copy;
        for (;;) {
                char *colon = strchr(p, ':');
                if (colon)
                        *colon = '\0';
                int r = add_layer(&x, set, p);
                if (r < 0)
                        return r;
                if (!colon)
                        return check_options_length(&x, set);
                p = colon + 1;
        }
}

void layer_set_clear(struct layer_set *set) {
        for (size_t i = 0; i < set->n; i++) {
                free(set->v[i].path);
                free(set->v[i].idmap_where);
        }
        set->n = 0;
}

const char *layer_mount_source(const struct layer *l) {
        return l->idmap_where ? l->idmap_where : l->path;
}
