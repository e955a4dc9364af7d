/* SPDX-License-Identifier: MIT */
/* Unit names from paths, exactly as `systemd-escape --path --suffix=...`. */
#pragma once

#include <stddef.h>

/* Longest unit name systemd accepts, suffix included. */
#define L4M_UNIT_NAME_MAX 255

/* Writes the escaped form of the canonical absolute path plus suffix (".mount")
 * into buf. Returns 0, or -ENAMETOOLONG when the name would exceed
 * L4M_UNIT_NAME_MAX or not fit size. */
int unit_name_from_path(const char *path, const char *suffix, char *buf, size_t size);
