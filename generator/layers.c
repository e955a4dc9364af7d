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

#define MOUNT_OPTIONS_MAX (128 * 1024)

struct layer_ctx {
        const struct instance_env *env;
        unsigned id;
        struct state_tree *tree;
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

/* Who may own a layer: the server user, or an owner its views show as it. */
static bool layer_owner_allowed(const struct l4m_config *c, uid_t uid) {
        return uid == c->server_uid || idmap_views_owner(c, uid);
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

static int check_on_disk(const struct layer_ctx *x, const struct opened_dir *root, const char *layer,
                         struct stat *st) {
        int r = walk_to(x, root, layer, st);

        if (r < 0)
                return r;
        if (!S_ISDIR(st->st_mode))
                return layer_error(x, ENOTDIR, layer, "is not a directory");
        if (!layer_owner_allowed(x->tree->config, st->st_uid))
                return layer_error(x, EPERM, layer, "is owned by uid %u, not by root, the service, the server or the "
                                   "sandbox user", (unsigned) st->st_uid);
        return 0;
}

/* The layer as overlayfs will see it through its root's view: the view is a
 * bind of the root alone, so a layer on another mount would not be in it. */
static int find_in_view(const struct layer_ctx *x, const struct opened_dir *root, const char *layer,
                        const struct stat *st, struct layer *out) {
        struct idmap_view *v = idmap_view_of(x->tree, root, st->st_uid);

        if (!v)
                return 0;
        if (v->err < 0)
                return layer_error(x, -v->err, layer, "needs the idmapped view %s of %s, which cannot be used: %s %s",
                                   v->where, root->path, v->why.at, v->why.reason);
        if (st->st_dev != root->st.st_dev)
                return layer_error(x, EXDEV, layer, "is on another file system than its lower root %s, whose "
                                   "idmapped view (a bind of the root alone) would not show it", root->path);
        if (asprintf(&out->source, "%s%s", v->where, layer + strlen(root->path)) < 0) {
                out->source = NULL;
                return -ENOMEM;
        }
        out->view = v;
        return 0;
}

static int check_unique(const struct layer_ctx *x, const struct layer_set *set, const char *layer) {
        for (size_t i = 0; i < set->n; i++)
                if (strcmp(set->v[i].path, layer) == 0)
                        return layer_error(x, EEXIST, layer, "is listed twice");
        return 0;
}

static int add_layer(const struct layer_ctx *x, struct layer_set *set, const char *layer) {
        struct layer *l = &set->v[set->n];
        const struct opened_dir *root = NULL;
        struct stat st;
        int r;

        if (set->n == LAYERS_MAX)
                return layer_error(x, E2BIG, layer, "is one layer too many: overlayfs accepts at most %d", LAYERS_MAX);
        *l = (struct layer) { 0 };
        r = check_syntax(x, layer); /* the layer is below a lower root after it */
        if (r == 0)
                r = check_unique(x, set, layer);
        if (r == 0)
                root = state_tree_root_of(x->tree, layer);
        if (r == 0)
                r = check_on_disk(x, root, layer, &st);
        if (r == 0)
                r = find_in_view(x, root, layer, &st, l);
        if (r == 0 && !(l->path = strdup(layer)))
                r = -ENOMEM;
        if (r < 0) {
                free(l->source);
                return r;
        }
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

int layers_load(const struct instance_env *env, unsigned id, struct state_tree *tree, struct layer_set *set) {
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
                free(set->v[i].source);
        }
        set->n = 0;
}

const char *layer_mount_source(const struct layer *l) {
        return l->source ? l->source : l->path;
}
