/* SPDX-License-Identifier: MIT */
/* Where generated files go: written atomically below the output directory,
 * or, in dry-run mode, printed to stdout each after a separator line,
 * "==> PATH <==" (a symlink: "==> PATH -> TARGET <=="). No generated line
 * starts like that: instance files refuse such a line (not KEY=VALUE), every
 * other copied text is a path that holds no newline, and output refuses
 * content that would hold one anyway, so a separator cannot be forged. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "mru.h"

#define OUTPUT_SUBDIRS_KEPT 4
#define OUTPUT_SEPARATOR_START "==> "
#define OUTPUT_SEPARATOR_END " <=="

struct output {
        const char *dir;
        int dirfd; /* -1 in dry-run mode */
        bool dry_run;
        bool link_by_proc;  /* linkat(AT_EMPTY_PATH) was refused: link through /proc/self/fd */
        struct mru made_order; /* which of made[] hold a name, the most recently used first */
        char made[OUTPUT_SUBDIRS_KEPT][256]; /* subdirectories made so far, the recently used kept */
};

int output_open(struct output *o, const char *dir, bool dry_run);
void output_close(struct output *o);

/* rel is "name" or "subdir/name"; subdir is created when missing. The file
 * appears whole or not at all (an unnamed file linked in, or a temporary
 * name renamed). */
int output_write(struct output *o, const char *rel, const char *content, size_t len);
/* The same for secrets (instance environments): mode 0600 in a subdirectory
 * of mode 0700, so that only root, and PID 1 reading it as root, can open it. */
int output_write_secret(struct output *o, const char *rel, const char *content, size_t len);
int output_symlink(struct output *o, const char *rel, const char *target);

/* The first lines of every generated unit file: what made it, from what. */
void output_header(FILE *f, const char *source);
