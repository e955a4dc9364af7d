/* SPDX-License-Identifier: MIT */
/* state_dir/runtime/N, described once: what left4me-runtime@.service has
 * systemd-tmpfiles create before every mount of an instance, and what the
 * generator accepts of a tree that already exists. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "config.h"

enum runtime_owner {
        RUNTIME_OWNER_ROOT,   /* a parent of mounts: the ownership rule holds for it */
        RUNTIME_OWNER_SERVER, /* the server user's */
        RUNTIME_OWNER_AS_IS,  /* created, never adjusted */
};

struct runtime_entry {
        const char *name; /* below runtime/N; "" for runtime/N, NULL for runtime/ itself */
        mode_t mode;      /* unused with RUNTIME_OWNER_AS_IS */
        enum runtime_owner owner;
        bool keeps_data;  /* outlives a start, so what is in it must already be the owner's */
};

/* Parents before their entries. */
extern const struct runtime_entry runtime_layout[];
extern const size_t runtime_layout_len;

/* The entry's path below runtime_dir: "", INSTANCE or INSTANCE/NAME. */
void runtime_entry_rel(const struct runtime_entry *e, const char *instance, char *buf, size_t size);

/* The tmpfiles.d line that creates the entry for instance (e.g. "%i"). */
void runtime_entry_print_tmpfiles(FILE *f, const struct runtime_entry *e, const struct l4m_config *c,
                                  const char *instance);
