/* SPDX-License-Identifier: MIT */
/* The lower layers of one instance: L4D2_LOWERDIRS split, validated against
 * the state tree, and for each layer not owned by the game servers' user the
 * idmapped view of its lower root through which it reads, and copies up, as
 * theirs (idmap_views.h). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "instance_file.h"
#include "state_tree.h"

/* overlayfs refuses more lower layers than this (OVL_MAX_STACK). */
#define LAYERS_MAX 500

struct layer {
        char *path;                    /* as written in the instance file */
        char *source;                  /* the layer inside view, or NULL */
        struct idmap_view *view;       /* NULL: the server user's own layer */
};

struct layer_set {
        struct layer v[LAYERS_MAX];
        size_t n;
};

/* Splits and checks env->lowerdirs for instance id. Logs the first problem
 * with file:line and returns a negative errno; returns 0 when every layer is
 * usable. set must be released with layer_set_clear() in either case. */
int layers_load(const struct instance_env *env, unsigned id, struct state_tree *tree, struct layer_set *set);

void layer_set_clear(struct layer_set *set);

/* The path overlayfs should use for layer l: inside its view when it has one. */
const char *layer_mount_source(const struct layer *l);
