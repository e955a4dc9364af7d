/* SPDX-License-Identifier: MIT */
/* state_dir/overlays/ID: the build's output directory on disk. */
#pragma once

#include "config.h"

/* Opens state_dir/overlays/ID with lib/safe_walk.c's walk from "/", so under
 * the same ownership rule as the generator's layers, creating overlays (root's)
 * and ID (mode 0755, the server user's) where missing. An existing ID
 * directory must be owned by the server user. Returns an O_RDONLY fd, or a
 * negative errno after logging one line. */
int overlay_dir_open(const struct l4m_config *c, unsigned long id);
