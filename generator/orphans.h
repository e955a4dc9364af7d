/* SPDX-License-Identifier: MIT */
/* Instances whose file is gone while runtime/N remains still get their reset
 * and delete units, so the web app can clean them up. */
#pragma once

#include <stdint.h>

#include "output.h"
#include "state_tree.h"

/* ids: bitmap of the instance files present. Returns 0 or a negative errno
 * from writing. */
int orphans_emit(struct output *o, const struct state_tree *tree, const uint8_t *ids);
