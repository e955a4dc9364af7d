/* SPDX-License-Identifier: MIT */
/* Why a walk's result may stand for a second walk to the same layer in the
 * same run: that walk found every directory from / down to the layer
 * pinning the entry below it (dir_pins_entry()), so no one but root can
 * rename, remove or replace any of them, the layer included; the path still
 * leads to the same inode. What the walk checked of those directories (owner,
 * mode) and of the layer (its type, its owner) only root can change: chmod
 * and chown of a root-owned directory, chown of any. The generator's checks
 * are a snapshot of the tree when PID 1 runs it, and for the rest of the run
 * the snapshot stays true unless root acts. Failures are not kept: a layer
 * refused is walked again, and named again, for every instance that lists it. */
#define _GNU_SOURCE
#include "layer_cache.h"

#include <string.h>

#include "mru.h"
#include "path.h"

/* A few are enough for the layers every instance shares; an instance's own
 * layers come and go through the least recently used slots. */
#define LAYER_CACHE_SLOTS 8

_Static_assert(LAYER_CACHE_SLOTS <= MRU_SLOTS_MAX, "more cached layers than struct mru orders");

struct cached_layer {
        char path[L4M_PATH_MAX];
        struct stat st;
};

/* For the life of the process: one run of the generator. */
static struct mru order;
static struct cached_layer slots[LAYER_CACHE_SLOTS];

static unsigned place_of(const char *layer) {
        unsigned i;

        for (i = 0; i < order.n; i++)
                if (strcmp(slots[mru_slot(&order, i)].path, layer) == 0)
                        break;
        return i;
}

bool layer_cache_find(const char *layer, struct stat *st) {
        unsigned i = place_of(layer);

        if (i == order.n)
                return false;
        *st = slots[mru_use(&order, LAYER_CACHE_SLOTS, i)].st;
        return true;
}

void layer_cache_add(const char *layer, const struct stat *st) {
        struct cached_layer *c;

        if (strlen(layer) >= sizeof c->path)
                return;
        c = &slots[mru_use(&order, LAYER_CACHE_SLOTS, place_of(layer))];
        strcpy(c->path, layer);
        c->st = *st;
}
