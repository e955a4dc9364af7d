/* SPDX-License-Identifier: MIT */
/* Opening paths that root will later mount, without following symlinks and
 * without looking any component up twice, while checking the ownership rule
 * of DESIGN.md ("symlink swaps") on every directory passed through. */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

struct walk_error {
        const char *reason; /* static text */
        char at[1024];      /* the path where it failed */
};

/* True when a directory may be the parent of a mounted path: root-owned and
 * not writable by group or others, unless the sticky bit is set. */
bool dir_is_safe_ancestor(const struct stat *st);

/* Opens rel (relative, canonical, may be "" for dirfd itself) beneath dirfd,
 * whose path is dir_path, one component at a time with O_PATH|O_NOFOLLOW.
 * Every directory that has a component opened below it must pass
 * dir_is_safe_ancestor(). dir_st is dirfd's stat when the caller has it
 * (NULL: taken here). Returns 0 with *ret_fd (O_PATH; ret_fd may be NULL when
 * only the stat is wanted) and *ret_st of the last component, -ENOENT when a
 * component is missing, or another negative errno; e is filled on every
 * failure. */
int walk_beneath(int dirfd, const struct stat *dir_st, const char *dir_path, const char *rel, int *ret_fd,
                 struct stat *ret_st, struct walk_error *e);

/* walk_beneath() from "/" for an absolute canonical path. */
int walk_absolute(const char *path, int *ret_fd, struct stat *ret_st, struct walk_error *e);
