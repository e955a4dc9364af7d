/* SPDX-License-Identifier: MIT */
#include "mru.h"

#include <string.h>

unsigned mru_use(struct mru *m, unsigned cap, unsigned i) {
        unsigned slot;

        if (i == m->n && m->n < cap) {
                m->order[m->n] = (unsigned char) m->n;
                m->n++;
        } else if (i == m->n)
                i = m->n - 1;
        slot = m->order[i];
        memmove(m->order + 1, m->order, i);
        m->order[0] = (unsigned char) slot;
        return slot;
}
