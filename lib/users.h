/* SPDX-License-Identifier: MIT */
/* User lookup from a passwd file, without NSS (generators must not talk to
 * other processes, and NSS modules may). */
#pragma once

#include <sys/types.h>

/* Resolves spec, a user name or a decimal uid, against passwd_path.
 * A numeric id not in the file maps to gid == uid. Returns 0, -ENOENT when a
 * name is unknown, -EINVAL when spec is neither a valid name nor an id, or
 * another negative errno when the file cannot be read. */
int user_resolve(const char *passwd_path, const char *spec, uid_t *uid, gid_t *gid);
