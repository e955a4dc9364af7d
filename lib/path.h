/* SPDX-License-Identifier: MIT */
/* Syntax rules for paths that reach unit files and mount options. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Longest path accepted anywhere (leaves room for suffixes below PATH_MAX). */
#define L4M_PATH_MAX 1024

/* Checks that path is absolute, canonical ("/" separated components, none of
 * them "." or ".." or empty, no trailing "/") and made only of the bytes
 * [A-Za-z0-9._+@-]. Returns 0, or -EINVAL with *reason set to a static text. */
int path_check_safe(const char *path, const char **reason);

/* Same rules for a relative path (no leading "/"). */
int path_check_safe_relative(const char *path, const char **reason);

/* True when path equals dir or lies below it. */
bool path_is_under(const char *path, const char *dir);

/* Joins a and b with one "/"; returns NULL on allocation failure. */
char *path_join(const char *a, const char *b);

/* The directory part of an absolute path ("/" for "/x"), newly allocated;
 * NULL for a relative path or on allocation failure. */
char *path_parent(const char *path);
