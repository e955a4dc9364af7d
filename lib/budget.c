/* SPDX-License-Identifier: MIT */
#include "budget.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "number.h"

/* CPUQuota= above this many percent (1000 CPUs) is surely a typing error. */
#define CPU_QUOTA_MAX 100000UL
#define TASKS_MAX 4194304UL /* the kernel's PID_MAX_LIMIT */

const struct budget_spec budget_specs[BUDGET_KINDS] = {
        [BUDGET_DISK] = { "disk_max", "LEFT4ME_DISK_MAX", NULL },
        [BUDGET_MEMORY] = { "memory_max", "LEFT4ME_MEMORY_MAX", "MemoryMax" },
        [BUDGET_CPU] = { "cpu_quota", "LEFT4ME_CPU_QUOTA", "CPUQuota" },
        [BUDGET_TASKS] = { "tasks_max", "LEFT4ME_TASKS_MAX", "TasksMax" },
};

enum budget_kind budget_kind_of_conf_key(const char *key) {
        for (int k = 0; k < BUDGET_KINDS; k++)
                if (strcmp(budget_specs[k].conf_key, key) == 0)
                        return (enum budget_kind) k;
        return BUDGET_KINDS;
}

enum budget_kind budget_kind_of_env_key(const char *key, size_t n) {
        for (int k = 0; k < BUDGET_KINDS; k++)
                if (strlen(budget_specs[k].env_key) == n && memcmp(budget_specs[k].env_key, key, n) == 0)
                        return (enum budget_kind) k;
        return BUDGET_KINDS;
}

static int parse_percent(const char *value, unsigned long long *out) {
        size_t n = strlen(value);
        char digits[16];
        unsigned long v;

        if (n < 2 || n >= sizeof digits || value[n - 1] != '%')
                return -EINVAL;
        memcpy(digits, value, n - 1);
        digits[n - 1] = '\0';
        if (parse_decimal(digits, 1, CPU_QUOTA_MAX, &v) < 0)
                return -EINVAL;
        *out = v;
        return 0;
}

int budget_parse(enum budget_kind kind, const char *value, unsigned long long *out, const char **reason) {
        unsigned long v;

        if (strcmp(value, "infinity") == 0) {
                *out = 0;
                return 0;
        }
        switch (kind) {
        case BUDGET_DISK:
        case BUDGET_MEMORY:
                *reason = "not a size (bytes, or a number with K, M, G or T, powers of 1024) or infinity";
                return parse_size(value, out) < 0 ? -EINVAL : 0;
        case BUDGET_CPU:
                *reason = "not a percentage of one CPU (1% to 100000%, as CPUQuota= writes it) or infinity";
                return parse_percent(value, out);
        case BUDGET_TASKS:
                *reason = "not a number of tasks (1 to 4194304) or infinity";
                if (parse_decimal(value, 1, TASKS_MAX, &v) < 0)
                        return -EINVAL;
                *out = v;
                return 0;
        default:
                assert(!"budget_parse: no such budget kind");
                return -EINVAL;
        }
}

void budget_print_properties(FILE *f, const struct budget *b) {
        for (int k = 0; k < BUDGET_KINDS; k++) {
                if (!budget_specs[k].property || b->v[k] == 0)
                        continue;
                fprintf(f, "%s=%llu%s\n", budget_specs[k].property, b->v[k], k == BUDGET_CPU ? "%" : "");
                /* The memory budget is memory: no swap to spill into. */
                if (k == BUDGET_MEMORY)
                        fputs("MemorySwapMax=0\n", f);
        }
}
