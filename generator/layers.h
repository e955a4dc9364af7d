/* SPDX-License-Identifier: MIT */
/* The lower layers of one instance: L4D2_LOWERDIRS split, validated against
 * the state tree, and the idmapped bind mount each layer not owned by the
 * game servers' user needs so that it reads, and copies up, as theirs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "instance_file.h"
#include "state_tree.h"

/* overlayfs refuses more lower layers than this (OVL_MAX_STACK). */
#define LAYERS_MAX 500

struct layer {
        char *path;        /* as written in the instance file */
        char *idmap_where; /* runtime/N/idmap/<parent>_<name>, or NULL */
        uid_t owner_uid;   /* with idmap_where: the owner shown as the server user */
        gid_t owner_gid;   /* and that owner's primary group, shown as the server's */
};

struct layer_set {
        struct layer v[LAYERS_MAX];
        size_t n;
};

/* Splits and checks env->lowerdirs for instance id. Logs the first problem
 * with file:line and returns a negative errno; returns 0 when every layer is
 * usable. set must be released with layer_set_clear() in either case. */
int layers_load(const struct instance_env *env, unsigned id, const struct state_tree *tree, struct layer_set *set);

void layer_set_clear(struct layer_set *set);

/* The path overlayfs should use for layer i: the idmapped bind when there is one. */
const char *layer_mount_source(const struct layer *l);
