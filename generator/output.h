/* SPDX-License-Identifier: MIT */
/* Where generated files go: written atomically below the output directory,
 * or, in dry-run mode, printed to stdout each after a line naming its path. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct output {
        const char *dir;
        int dirfd; /* -1 in dry-run mode */
        bool dry_run;
        char last_subdir[256]; /* the subdirectory made last */
};

int output_open(struct output *o, const char *dir, bool dry_run);
void output_close(struct output *o);

/* rel is "name" or "subdir/name"; subdir is created when missing. The file
 * appears whole or not at all (temporary name, then rename). */
int output_write(struct output *o, const char *rel, const char *content, size_t len);
int output_symlink(struct output *o, const char *rel, const char *target);

/* The first lines of every generated unit file: what made it, from what. */
void output_header(FILE *f, const char *source);
