/* SPDX-License-Identifier: MIT */
/* Opening paths that root will later mount or write through, without
 * following symlinks and without looking any component up twice, while
 * holding every directory passed through to the ownership rule of DESIGN.md
 * ("symlink swaps"). Both programs use this walk and this rule. */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

struct walk_error {
        const char *reason; /* static text */
        char at[1024];      /* the path where it failed */
};

/* The ownership rule: true when no one but root can rename, remove or
 * replace the entry of the directory dir, so that a path root mounts or
 * writes through it later still leads where it was checked. entry is NULL
 * for any entry, also one not made yet. */
bool dir_pins_entry(const struct stat *dir, const struct stat *entry);

/* Opens rel (relative, canonical, may be "" for dirfd itself) beneath dirfd,
 * whose path is dir_path, one component at a time with O_PATH|O_NOFOLLOW.
 * Every directory that has a component looked up below it must pin that
 * component (dir_pins_entry(); a missing component counts as "not made yet").
 * dir_st is dirfd's stat when the caller has it (NULL: taken here). Returns 0
 * with *ret_fd (O_PATH; ret_fd may be NULL when only the stat is wanted) and
 * *ret_st of the last component, -ENOENT when a component is missing, or
 * another negative errno; e is filled on every failure. */
int walk_beneath(int dirfd, const struct stat *dir_st, const char *dir_path, const char *rel, int *ret_fd,
                 struct stat *ret_st, struct walk_error *e);

/* walk_beneath() from "/" for an absolute canonical path. */
int walk_absolute(const char *path, int *ret_fd, struct stat *ret_st, struct walk_error *e);
