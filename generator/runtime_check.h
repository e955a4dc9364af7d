/* SPDX-License-Identifier: MIT */
/* What may already exist of state_dir/runtime/N: PID 1 creates it at the first
 * start, so absence is fine; what is there must be safe to mount on. */
#pragma once

#include "instance_file.h"
#include "state_tree.h"

/* Logs the first problem with file:line and returns a negative errno. */
int runtime_check(const struct instance_env *env, unsigned id, const struct state_tree *tree);
