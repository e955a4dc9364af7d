/* SPDX-License-Identifier: MIT */
/* The order of use of a few slots, for the small caches of one run: which
 * slot was used most recently, and which least (the one a new entry takes
 * once every slot holds one). Only slot numbers move; what the slots hold
 * stays where the caller keeps it. */
#pragma once

#define MRU_SLOTS_MAX 16

struct mru {
        unsigned n;                          /* slots in use */
        unsigned char order[MRU_SLOTS_MAX];  /* their numbers, the most recently used first */
};

/* The slot at place i of the order, i < n. */
static inline unsigned mru_slot(const struct mru *m, unsigned i) {
        return m->order[i];
}

/* Marks the slot at place i (i <= n) as the most recently used and returns
 * its number. i == n asks for a slot for a new entry: an unused one while
 * fewer than cap (at most MRU_SLOTS_MAX) are in use, else the least
 * recently used. */
unsigned mru_use(struct mru *m, unsigned cap, unsigned i);
