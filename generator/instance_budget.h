/* SPDX-License-Identifier: MIT */
/* An instance's budgets: its file's, else left4me.conf's [server] defaults;
 * a disk budget only where the kernel can hold it. */
#pragma once

#include "budget.h"
#include "instance_file.h"
#include "state_tree.h"

/* Fills *out; refuses (logged with file:line and reason, -EOPNOTSUPP) a disk
 * budget on a file system without enforced project quotas. */
int instance_budget_resolve(const struct instance_env *env, const struct state_tree *tree, struct budget *out);
