/* SPDX-License-Identifier: MIT */
/* left4me.conf: the INI file shared by the generator and the sandbox helper. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "budget.h"
#include "cidr.h"

/* The build's SYSCONFDIR (Makefile); the configuration is in its left4me/. */
#ifndef L4M_SYSCONFDIR
#define L4M_SYSCONFDIR "/etc"
#endif
#define L4M_CONFIG_DEFAULT_PATH L4M_SYSCONFDIR "/left4me/left4me.conf"
/* Instances are numbered 1..L4M_INSTANCE_ID_MAX (their files, units, ports and project IDs). */
#define L4M_INSTANCE_ID_MAX 65535
#define L4M_PASSWD_PATH "/etc/passwd"
#define L4M_MAX_LOWER_ROOTS 16
#define L4M_MAX_DENY_NETWORKS 64
#define L4M_MAX_ALLOW_NETWORKS 64
#define L4M_LOGS_MAX_USE_MIN (16ULL << 20)

struct l4m_sandbox_config {
        unsigned long time_limit_sec;
        unsigned long long memory_max;
        unsigned long tasks_max;
        unsigned long cpu_weight;
        unsigned long io_weight;
        unsigned long long script_max;
        char *resolv_conf;
        struct cidr deny_networks[L4M_MAX_DENY_NETWORKS]; /* extra prefixes from the file */
        size_t n_deny_networks;
        unsigned long long disk_max; /* what one overlay may hold, across its builds; 0: no budget */
        unsigned long max_builds;    /* builds running at once */
        struct budget total;         /* left4me-sandbox.slice: all builds together */
};

/* The game servers' unit settings that left4me.conf gives. */
struct l4m_server_config {
        struct cidr allow_networks[L4M_MAX_ALLOW_NETWORKS]; /* exceptions to the denied networks */
        size_t n_allow_networks;
        struct budget budget; /* each server's, unless its instance file says otherwise */
        struct budget total;  /* left4me.slice: all servers together (no disk) */
};

/* The game servers' journal namespace (left4me.conf [logs]). */
struct l4m_logs_config {
        unsigned long long max_use;     /* SystemMaxUse= of the namespace */
        unsigned long rate_interval_sec; /* LogRateLimitIntervalSec= of each server */
        unsigned long rate_burst;        /* LogRateLimitBurst= of each server, 0: no limit */
};

struct l4m_config {
        char *path;          /* the file read */
        char *state_dir;     /* absolute, canonical */
        char *instances_dir; /* absolute, canonical */
        char *runtime_dir;   /* state_dir/runtime */
        char *trash_dir;     /* state_dir/trash: what resets and deletes took away, being removed */
        /* The web app's user, the game servers' user and the build sandbox's. */
        char *service_user, *server_user, *sandbox_user;
        uid_t service_uid, server_uid, sandbox_uid;
        gid_t service_gid, server_gid, sandbox_gid;
        char *lower_roots[L4M_MAX_LOWER_ROOTS]; /* absolute: state_dir/name */
        size_t n_lower_roots;
        struct l4m_server_config server;
        struct l4m_sandbox_config sandbox;
        struct l4m_logs_config logs;
};

/* The file to read: $LEFT4ME_CONF if set, else the default path. */
const char *config_path(void);

/* Loads and validates path into *c (zeroed first). Unknown sections and keys
 * are warned about with file:line. Every error is logged with file:line and
 * reason; returns 0 or a negative errno. *c must be freed with config_free()
 * whatever the result. */
int config_load(const char *path, struct l4m_config *c);

/* The same for text already in memory (NUL-terminated); path names it in
 * messages. */
int config_load_text(const char *path, const char *text, struct l4m_config *c);

void config_free(struct l4m_config *c);
