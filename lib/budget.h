/* SPDX-License-Identifier: MIT */
/* Resource budgets as systemd writes them: sizes in powers of 1024 (30M,
 * 10G), CPU as a percentage of one CPU (150%), tasks as a count, and
 * "infinity" for none, held as 0. One table names each budget in
 * left4me.conf, in instance files and in unit files. */
#pragma once

#include <stdio.h>

enum budget_kind { BUDGET_DISK, BUDGET_MEMORY, BUDGET_CPU, BUDGET_TASKS, BUDGET_KINDS };

struct budget_spec {
        const char *conf_key; /* in left4me.conf ([server], [sandbox]) */
        const char *env_key;  /* in an instance file */
        const char *property; /* the unit setting; NULL: held by project quotas */
};

extern const struct budget_spec budget_specs[BUDGET_KINDS];

struct budget {
        unsigned long long v[BUDGET_KINDS]; /* 0: none */
};

/* The kind whose left4me.conf key is key (or whose instance file key is key
 * with n bytes, for budget_kind_of_env_key), or BUDGET_KINDS. */
enum budget_kind budget_kind_of_conf_key(const char *key);
enum budget_kind budget_kind_of_env_key(const char *key, size_t n);

/* Parses value (NUL-terminated) as a budget of kind; returns 0, or -EINVAL
 * with *reason. */
int budget_parse(enum budget_kind kind, const char *value, unsigned long long *out, const char **reason);

/* Writes "Property=value\n" for each budget of b that units hold and is set. */
void budget_print_properties(FILE *f, const struct budget *b);
