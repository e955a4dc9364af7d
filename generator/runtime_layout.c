/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "runtime_layout.h"

const struct runtime_entry runtime_layout[] = {
        { NULL, 0711, RUNTIME_OWNER_ROOT, false },
        { "", 0711, RUNTIME_OWNER_ROOT, false },
        { "upper", 0755, RUNTIME_OWNER_SERVER, true },
        { "work", 0700, RUNTIME_OWNER_SERVER, false },
        /* A mounted merged is the overlay's root, the server user's: tmpfiles
         * must never adjust it. */
        { "merged", 0, RUNTIME_OWNER_AS_IS, false },
};
const size_t runtime_layout_len = sizeof runtime_layout / sizeof runtime_layout[0];

void runtime_entry_rel(const struct runtime_entry *e, const char *instance, char *buf, size_t size) {
        snprintf(buf, size, "%s%s%s", e->name ? instance : "", e->name && *e->name ? "/" : "", e->name ? e->name : "");
}

void runtime_entry_print_tmpfiles(FILE *f, const struct runtime_entry *e, const struct l4m_config *c,
                                  const char *instance) {
        char rel[64];

        runtime_entry_rel(e, instance, rel, sizeof rel);
        fprintf(f, "d %s%s%s ", c->runtime_dir, *rel ? "/" : "", rel);
        if (e->owner == RUNTIME_OWNER_AS_IS)
                fputs("- - -", f);
        else if (e->owner == RUNTIME_OWNER_ROOT)
                fprintf(f, "%04o root root", (unsigned) e->mode);
        else
                fprintf(f, "%04o %u %u", (unsigned) e->mode, (unsigned) c->server_uid, (unsigned) c->server_gid);
        fputs(" -\n", f);
}
