/* SPDX-License-Identifier: MIT */
/* state_dir/overlays/ID: the build's output directory on disk. */
#pragma once

#include "config.h"

/* Opens state_dir/overlays/ID without following symlinks, creating it (mode
 * 0755, owned by the service user) if missing. state_dir and overlays must be
 * root-owned and not writable by group or others; an existing ID directory
 * must be owned by the service user. Logs one line on error. */
int overlay_dir_open(const struct l4m_config *c, unsigned long id);
