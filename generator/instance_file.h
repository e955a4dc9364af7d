/* SPDX-License-Identifier: MIT */
/* Instance files: instances_dir/N.env, in the KEY=VALUE syntax of systemd's
 * EnvironmentFile=, restricted so that our reading and systemd's agree. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "budget.h"
#include "config.h"
#include "ports.h"

#define INSTANCE_FILE_MAX (64 * 1024)
#define INSTANCE_ID_MAX L4M_INSTANCE_ID_MAX

struct instance_env {
        const char *path;        /* for messages */
        char *lowerdirs;         /* L4D2_LOWERDIRS value, NULL when absent */
        unsigned lowerdirs_line;
        bool autostart;          /* LEFT4ME_AUTOSTART=yes */
        struct instance_ports ports;
        struct budget budget;               /* what the file sets */
        unsigned budget_line[BUDGET_KINDS]; /* where, 0 when not set: left4me.conf's default holds */
};

/* Parses N from "N.env"; returns 0 or -EINVAL. */
int instance_id_from_name(const char *name, unsigned *id);

/* Parses text (len bytes, not NUL-terminated) into *env. Warnings (unknown
 * LEFT4ME_* keys) are logged; the first error is logged with path:line and
 * returned as a negative errno. env must be released with instance_env_free(). */
int instance_env_parse(const char *path, const char *text, size_t len, struct instance_env *env);

void instance_env_free(struct instance_env *env);
