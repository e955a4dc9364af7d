/* SPDX-License-Identifier: MIT */
#include "instance_budget.h"

#include <errno.h>

#include "log.h"

static int refuse_disk_budget(const struct instance_env *env, const struct state_tree *tree,
                              unsigned long long bytes) {
        const struct l4m_config *c = tree->config;
        unsigned line = env->budget_line[BUDGET_DISK];

        if (line)
                return l4m_log_at(LOG_ERR, env->path, line, EOPNOTSUPP,
                                  "%s (%llu bytes) cannot be held: %s under %s; instance skipped",
                                  budget_specs[BUDGET_DISK].env_key, bytes, tree->quota_why, c->state_dir);
        return l4m_log_at(LOG_ERR, env->path, 0, EOPNOTSUPP,
                          "the default disk budget ([server] disk_max of %s, %llu bytes) cannot be held: %s under %s; "
                          "instance skipped (LEFT4ME_DISK_MAX=infinity in the instance file lifts it)",
                          c->path, bytes, tree->quota_why, c->state_dir);
}

int instance_budget_resolve(const struct instance_env *env, const struct state_tree *tree, struct budget *out) {
        for (int k = 0; k < BUDGET_KINDS; k++)
                out->v[k] = env->budget_line[k] ? env->budget.v[k] : tree->config->server.budget.v[k];
        if (out->v[BUDGET_DISK] > 0 && !tree->quota_enforced)
                return refuse_disk_budget(env, tree, out->v[BUDGET_DISK]);
        return 0;
}
