/* SPDX-License-Identifier: MIT */
/* Drop-ins for left4me-reset@N.service and left4me-delete@N.service: stop
 * the server and every mount of N, then wipe the writable layer (reset) or
 * all of runtime/N (delete). The templates have no ExecStart= of their own,
 * so for a name the generator did not vouch for they refuse to load and do
 * nothing. */
#pragma once

#include "config.h"
#include "layers.h"
#include "output.h"
#include "state_tree.h"

/* layers may be NULL (an instance whose file is gone but whose runtime
 * directory remains); source names the file or directory it derives from. */
int lifecycle_units_emit(struct output *o, const struct state_tree *tree, unsigned id, const char *source,
                         const struct layer_set *layers);
