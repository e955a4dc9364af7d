/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cidr.h"
#include "cleanup.h"
#include "log.h"
#include "number.h"
#include "path.h"
#include "users.h"

#define CONFIG_MAX_BYTES (64 * 1024)

struct config_parse {
        struct l4m_config *c;
        unsigned line; /* line of the last line inih read */
        int error;     /* first error, negative errno */
        const char *text, *pos;
};

struct config_key {
        const char *section, *name;
        int (*apply)(struct config_parse *p, const char *value);
};

static int fail(struct config_parse *p, const char *key, const char *value, const char *reason) {
        l4m_log_at(LOG_ERR, p->c->path, p->line, 0, "%s=%s: %s", key, value, reason);
        if (p->error == 0)
                p->error = -EINVAL;
        return 0;
}

static int replace_string(char **slot, const char *value) {
        char *copy = strdup(value);

        if (!copy)
                return -ENOMEM;
        free(*slot);
        *slot = copy;
        return 0;
}

static int apply_absolute_path(struct config_parse *p, char **slot, const char *key, const char *value) {
        const char *reason;

        if (path_check_safe(value, &reason) < 0)
                return fail(p, key, value, reason);
        return replace_string(slot, value);
}

static int apply_state_dir(struct config_parse *p, const char *v) {
        return apply_absolute_path(p, &p->c->state_dir, "state_dir", v);
}
static int apply_instances_dir(struct config_parse *p, const char *v) {
        return apply_absolute_path(p, &p->c->instances_dir, "instances_dir", v);
}
static int apply_resolv_conf(struct config_parse *p, const char *v) {
        return apply_absolute_path(p, &p->c->sandbox.resolv_conf, "resolv_conf", v);
}
static int apply_service(struct config_parse *p, const char *v) {
        return replace_string(&p->c->service_user, v);
}
static int apply_server(struct config_parse *p, const char *v) {
        return replace_string(&p->c->server_user, v);
}
static int apply_sandbox(struct config_parse *p, const char *v) {
        return replace_string(&p->c->sandbox_user, v);
}

static void free_words(char **words, size_t *n) {
        for (size_t i = 0; i < *n; i++)
                free(words[i]);
        *n = 0;
}

/* Stores word as entry i of a list, or returns -EINVAL with *reason set. */
typedef int (*word_taker)(void *list, size_t i, const char *word, const char **reason);

/* Splits a space-separated value into at most max words, each stored by take. */
static int apply_word_list(struct config_parse *p, const char *key, const char *value, void *list, size_t *n,
                           size_t max, word_taker take) {
        _cleanup_free_ char *copy = strdup(value);
        char *save = NULL;
        const char *reason;

        if (!copy)
                return -ENOMEM;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                if (*n == max)
                        return fail(p, key, value, "too many entries");
                int r = take(list, *n, w, &reason);
                if (r == -EINVAL)
                        return fail(p, key, w, reason);
                if (r < 0)
                        return r;
                (*n)++;
        }
        return 0;
}

static int take_relative_path(void *list, size_t i, const char *word, const char **reason) {
        char **paths = list;
        int r = path_check_safe_relative(word, reason);

        if (r < 0)
                return -EINVAL;
        paths[i] = strdup(word);
        return paths[i] ? 0 : -ENOMEM;
}

static int take_cidr(void *list, size_t i, const char *word, const char **reason) {
        struct cidr *prefixes = list;

        if (cidr_parse(word, &prefixes[i]) < 0) {
                *reason = "is not an IP address or prefix (ADDRESS or ADDRESS/LENGTH)";
                return -EINVAL;
        }
        return 0;
}

static int apply_lower_roots(struct config_parse *p, const char *v) {
        free_words(p->c->lower_roots, &p->c->n_lower_roots);
        int r = apply_word_list(p, "lower_roots", v, p->c->lower_roots, &p->c->n_lower_roots, L4M_MAX_LOWER_ROOTS,
                                take_relative_path);
        if (r == 0 && p->c->n_lower_roots == 0)
                return fail(p, "lower_roots", v, "no lower root given");
        return r;
}

static int apply_deny_networks(struct config_parse *p, const char *v) {
        struct l4m_sandbox_config *s = &p->c->sandbox;

        s->n_deny_networks = 0;
        return apply_word_list(p, "deny_networks", v, s->deny_networks, &s->n_deny_networks, L4M_MAX_DENY_NETWORKS,
                               take_cidr);
}

static int apply_allow_networks(struct config_parse *p, const char *v) {
        struct l4m_server_config *s = &p->c->server;

        s->n_allow_networks = 0;
        return apply_word_list(p, "allow_networks", v, s->allow_networks, &s->n_allow_networks,
                               L4M_MAX_ALLOW_NETWORKS, take_cidr);
}

static int apply_number(struct config_parse *p, const char *key, const char *v, unsigned long min,
                        unsigned long max, unsigned long *slot) {
        if (parse_decimal(v, min, max, slot) < 0) {
                char range[64];
                snprintf(range, sizeof range, "not a number in %lu..%lu", min, max);
                return fail(p, key, v, range);
        }
        return 0;
}

static int apply_time_limit(struct config_parse *p, const char *v) {
        return apply_number(p, "time_limit", v, 1, 7 * 24 * 3600, &p->c->sandbox.time_limit_sec);
}
static int apply_tasks_max(struct config_parse *p, const char *v) {
        return apply_number(p, "tasks_max", v, 1, 1000000, &p->c->sandbox.tasks_max);
}
static int apply_cpu_weight(struct config_parse *p, const char *v) {
        return apply_number(p, "cpu_weight", v, 1, 10000, &p->c->sandbox.cpu_weight);
}
static int apply_io_weight(struct config_parse *p, const char *v) {
        return apply_number(p, "io_weight", v, 1, 10000, &p->c->sandbox.io_weight);
}

static int apply_size(struct config_parse *p, const char *key, const char *v, unsigned long long *slot) {
        if (parse_size(v, slot) < 0)
                return fail(p, key, v, "not a size (bytes, or a number with K, M, G or T)");
        return 0;
}
static int apply_memory_max(struct config_parse *p, const char *v) {
        return apply_size(p, "memory_max", v, &p->c->sandbox.memory_max);
}
static int apply_script_max(struct config_parse *p, const char *v) {
        return apply_size(p, "script_max", v, &p->c->sandbox.script_max);
}

static int apply_logs_max_use(struct config_parse *p, const char *v) {
        int r = apply_size(p, "max_use", v, &p->c->logs.max_use);
        if (r == 0 && p->c->logs.max_use < L4M_LOGS_MAX_USE_MIN)
                return fail(p, "max_use", v, "below 16M, journald's smallest useful budget");
        return r;
}
static int apply_logs_rate_interval(struct config_parse *p, const char *v) {
        return apply_number(p, "rate_limit_interval", v, 1, 3600, &p->c->logs.rate_interval_sec);
}
static int apply_logs_rate_burst(struct config_parse *p, const char *v) {
        return apply_number(p, "rate_limit_burst", v, 0, 1000000, &p->c->logs.rate_burst);
}

static int apply_max_builds(struct config_parse *p, const char *v) {
        return apply_number(p, "max_builds", v, 1, 1000, &p->c->sandbox.max_builds);
}

/* [server] NAME: each server's default budget; [server] and [sandbox]
 * total_NAME: the slice's, for all of them (memory, CPU, tasks); [sandbox]
 * disk_max: each overlay's. Returns the slot, or NULL for other keys. */
static unsigned long long *budget_slot(struct l4m_config *c, const char *section, const char *name,
                                       enum budget_kind *kind) {
        bool total = strncmp(name, "total_", 6) == 0;

        *kind = budget_kind_of_conf_key(total ? name + 6 : name);
        if (*kind == BUDGET_KINDS || (total && *kind == BUDGET_DISK))
                return NULL;
        if (strcmp(section, "server") == 0)
                return total ? &c->server.total.v[*kind] : &c->server.budget.v[*kind];
        if (strcmp(section, "sandbox") == 0 && total)
                return &c->sandbox.total.v[*kind];
        if (strcmp(section, "sandbox") == 0 && *kind == BUDGET_DISK)
                return &c->sandbox.disk_max;
        return NULL;
}

static bool apply_budget(struct config_parse *p, const char *section, const char *name, const char *value) {
        enum budget_kind kind;
        unsigned long long *slot = budget_slot(p->c, section, name, &kind);
        const char *reason;

        if (!slot)
                return false;
        if (budget_parse(kind, value, slot, &reason) < 0)
                fail(p, name, value, reason);
        return true;
}

static const struct config_key config_keys[] = {
        { "paths", "state_dir", apply_state_dir },
        { "paths", "instances_dir", apply_instances_dir },
        { "users", "service", apply_service },
        { "users", "server", apply_server },
        { "users", "sandbox", apply_sandbox },
        { "server", "allow_networks", apply_allow_networks },
        { "overlay", "lower_roots", apply_lower_roots },
        { "sandbox", "time_limit", apply_time_limit },
        { "sandbox", "memory_max", apply_memory_max },
        { "sandbox", "tasks_max", apply_tasks_max },
        { "sandbox", "cpu_weight", apply_cpu_weight },
        { "sandbox", "io_weight", apply_io_weight },
        { "sandbox", "script_max", apply_script_max },
        { "sandbox", "resolv_conf", apply_resolv_conf },
        { "sandbox", "deny_networks", apply_deny_networks },
        { "sandbox", "max_builds", apply_max_builds },
        { "logs", "max_use", apply_logs_max_use },
        { "logs", "rate_limit_interval", apply_logs_rate_interval },
        { "logs", "rate_limit_burst", apply_logs_rate_burst },
};

static bool section_known(const char *section) {
        for (size_t i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++)
                if (strcmp(config_keys[i].section, section) == 0)
                        return true;
        return false;
}

static int on_ini_entry(void *user, const char *section, const char *name, const char *value) {
        struct config_parse *p = user;

        if (!name)
                return 1; /* a section header alone */
        if (apply_budget(p, section, name, value))
                return 1;
        for (size_t i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
                const struct config_key *k = &config_keys[i];
                if (strcmp(k->section, section) == 0 && strcmp(k->name, name) == 0) {
                        int r = k->apply(p, value);
                        if (r < 0 && p->error == 0)
                                p->error = r;
                        return 1;
                }
        }
        if (section_known(section))
                l4m_log_at(LOG_WARNING, p->c->path, p->line, 0, "unknown key \"%s\" in [%s], ignored", name, section);
        else
                l4m_log_at(LOG_WARNING, p->c->path, p->line, 0, "unknown section [%s], key \"%s\" ignored", section,
                           name);
        return 1;
}

/* inih reader that counts lines, so handlers can report file:line. */
static char *read_line(char *buf, int size, void *stream) {
        struct config_parse *p = stream;
        const char *end;
        size_t n;

        if (*p->pos == '\0')
                return NULL;
        end = strchr(p->pos, '\n');
        n = end ? (size_t) (end - p->pos) + 1 : strlen(p->pos);
        if (n >= (size_t) size)
                n = (size_t) size - 1;
        memcpy(buf, p->pos, n);
        buf[n] = '\0';
        p->pos += n;
        if (n > 0 && buf[n - 1] == '\n')
                p->line++;
        else if (!end)
                p->line++;
        return buf;
}

static int set_defaults(struct l4m_config *c, const char *path) {
        static const char *const roots[] = { "installation", "overlays", "global_overlay_cache", "workshop_cache" };

        c->path = strdup(path);
        c->state_dir = strdup("/var/lib/left4me");
        c->instances_dir = strdup(L4M_SYSCONFDIR "/left4me/instances");
        c->service_user = strdup("left4me");
        c->server_user = strdup("l4d2-server");
        c->sandbox_user = strdup("l4d2-sandbox");
        c->sandbox.resolv_conf = strdup(L4M_SYSCONFDIR "/left4me/sandbox-resolv.conf");
        for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
                c->lower_roots[c->n_lower_roots++] = strdup(roots[i]);
        c->sandbox.time_limit_sec = 3600;
        c->sandbox.memory_max = 2ULL << 30;
        c->sandbox.tasks_max = 512;
        c->sandbox.cpu_weight = 10;
        c->sandbox.io_weight = 10;
        c->sandbox.script_max = 1ULL << 20;
        c->sandbox.max_builds = 4;
        c->server.budget.v[BUDGET_MEMORY] = 2ULL << 30;
        c->server.budget.v[BUDGET_TASKS] = 512;
        c->logs.max_use = 1ULL << 30;
        c->logs.rate_interval_sec = 30;
        c->logs.rate_burst = 2000;
        if (!c->path || !c->state_dir || !c->instances_dir || !c->service_user || !c->server_user || !c->sandbox_user ||
            !c->sandbox.resolv_conf)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_lower_roots; i++)
                if (!c->lower_roots[i])
                        return -ENOMEM;
        return 0;
}

static int read_config_text(const char *path, char **text) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        _cleanup_free_ char *buf = malloc(CONFIG_MAX_BYTES + 1);
        size_t n;

        if (!f)
                return log_errno_at(path, errno, "cannot open");
        if (!buf)
                return -ENOMEM;
        n = fread(buf, 1, CONFIG_MAX_BYTES + 1, f);
        if (ferror(f))
                return l4m_log_at(LOG_ERR, path, 0, EIO, "cannot read");
        if (n > CONFIG_MAX_BYTES)
                return l4m_log_at(LOG_ERR, path, 0, EFBIG, "larger than %d bytes", CONFIG_MAX_BYTES);
        if (memchr(buf, '\0', n))
                return l4m_log_at(LOG_ERR, path, 0, EINVAL, "contains a NUL byte");
        buf[n] = '\0';
        *text = TAKE_PTR(buf);
        return 0;
}

static int resolve_user(const struct l4m_config *c, const char *key, const char *spec, uid_t *uid, gid_t *gid) {
        int r = user_resolve(L4M_PASSWD_PATH, spec, uid, gid);

        if (r == -ENOENT)
                return l4m_log_at(LOG_ERR, c->path, 0, EINVAL, "[users] %s=%s: no such user in %s", key, spec,
                                  L4M_PASSWD_PATH);
        if (r == -EINVAL)
                return l4m_log_at(LOG_ERR, c->path, 0, EINVAL, "[users] %s=%s: not a user name or id", key, spec);
        if (r < 0)
                return log_errno_at(L4M_PASSWD_PATH, r, "cannot read");
        return 0;
}

/* Three authorities, three users: the web app's must never run a game server
 * or a build, and the sandbox's must not be the one that owns what it builds
 * (the staging idmap maps one to the other). */
static int check_users_distinct(const struct l4m_config *c) {
        const uid_t ids[] = { c->service_uid, c->server_uid, c->sandbox_uid };
        const gid_t gids[] = { c->service_gid, c->server_gid, c->sandbox_gid };

        for (size_t i = 0; i < 3; i++) {
                if (ids[i] == 0 || gids[i] == 0)
                        return l4m_log_at(LOG_ERR, c->path, 0, EINVAL,
                                          "[users]: service, server and sandbox must not be root or in group root");
                for (size_t j = i + 1; j < 3; j++)
                        if (ids[i] == ids[j] || gids[i] == gids[j])
                                return l4m_log_at(LOG_ERR, c->path, 0, EINVAL,
                                                  "[users]: service (%s), server (%s) and sandbox (%s) must be three "
                                                  "different users with three different primary groups",
                                                  c->service_user, c->server_user, c->sandbox_user);
        }
        return 0;
}

/* Derived values and rules that span several keys. */
static int finish_config(struct l4m_config *c) {
        int r;

        c->runtime_dir = path_join(c->state_dir, "runtime");
        c->trash_dir = path_join(c->state_dir, "trash");
        if (!c->runtime_dir || !c->trash_dir)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_lower_roots; i++) {
                char *abs = path_join(c->state_dir, c->lower_roots[i]);
                if (!abs)
                        return -ENOMEM;
                free(c->lower_roots[i]);
                c->lower_roots[i] = abs;
        }
        r = resolve_user(c, "service", c->service_user, &c->service_uid, &c->service_gid);
        if (r < 0)
                return r;
        r = resolve_user(c, "server", c->server_user, &c->server_uid, &c->server_gid);
        if (r < 0)
                return r;
        r = resolve_user(c, "sandbox", c->sandbox_user, &c->sandbox_uid, &c->sandbox_gid);
        if (r < 0)
                return r;
        return check_users_distinct(c);
}

const char *config_path(void) {
        const char *env = getenv("LEFT4ME_CONF");
        return env && *env ? env : L4M_CONFIG_DEFAULT_PATH;
}

int config_load(const char *path, struct l4m_config *c) {
        _cleanup_free_ char *text = NULL;
        int r = read_config_text(path, &text);

        if (r < 0) {
                memset(c, 0, sizeof *c);
                return r;
        }
        return config_load_text(path, text, c);
}

int config_load_text(const char *path, const char *text, struct l4m_config *c) {
        struct config_parse p = { .c = c };
        int r;

        memset(c, 0, sizeof *c);
        r = set_defaults(c, path);
        if (r < 0)
                return r;
        p.text = p.pos = text;
        r = ini_parse_stream(read_line, &p, on_ini_entry, &p);
        if (r > 0 && p.error == 0)
                return l4m_log_at(LOG_ERR, path, (unsigned) r, EINVAL, "syntax error (expected [section] or key = value)");
        if (r < 0)
                return l4m_log_at(LOG_ERR, path, 0, ENOMEM, "cannot parse");
        if (p.error < 0)
                return p.error;
        return finish_config(c);
}

void config_free(struct l4m_config *c) {
        free(c->path);
        free(c->state_dir);
        free(c->instances_dir);
        free(c->runtime_dir);
        free(c->trash_dir);
        free(c->service_user);
        free(c->server_user);
        free(c->sandbox_user);
        free(c->sandbox.resolv_conf);
        free_words(c->lower_roots, &c->n_lower_roots);
        memset(c, 0, sizeof *c);
}
