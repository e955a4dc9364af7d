/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "config_rules.h"

#include <errno.h>
#include <stdio.h>

#include "cleanup.h"
#include "idmap_views.h"
#include "log.h"
#include "path.h"
#include "unit_name.h"

/* The file's own path is written into every template drop-in (and so
 * printed by --dry-run): the path rules of every such value apply. */
static int check_config_path(const struct l4m_config *c) {
        const char *reason;

        if (path_check_safe(c->path, &reason) < 0)
                return l4m_log_at(LOG_ERR, c->path, 0, EINVAL, "the configuration file's path %s", reason);
        return 0;
}

/* The longest mount point the generator names must give a valid unit name. */
static int check_unit_names_fit(const struct l4m_config *c) {
        char longest[L4M_PATH_MAX + 32], unit[L4M_UNIT_NAME_MAX + 1];

        snprintf(longest, sizeof longest, "%s/65535/merged", c->runtime_dir);
        if (unit_name_from_path(longest, ".mount", unit, sizeof unit) < 0)
                return l4m_log_at(LOG_ERR, c->path, 0, ENAMETOOLONG,
                                  "[paths] state_dir=%s: too long, the unit name of %s would exceed %d bytes",
                                  c->state_dir, longest, L4M_UNIT_NAME_MAX);
        return 0;
}

/* A lower root may not lie in, or hold, a directory the project writes. */
static int check_not_overlapping(const struct l4m_config *c, const char *root, const char *what, const char *dir) {
        if (path_is_under(root, dir) || path_is_under(dir, root))
                return l4m_log_at(LOG_ERR, c->path, 0, EINVAL, "[overlay] lower_roots: %s overlaps the %s directory %s",
                                  root, what, dir);
        return 0;
}

/* The longest of a root's idmapped views (idmap_views.h) must give a valid
 * unit name too. */
static int check_view_name_fits(const struct l4m_config *c, const char *root) {
        _cleanup_free_ char *where = idmap_view_where(c, root, idmap_views_uid_max(c));
        char unit[L4M_UNIT_NAME_MAX + 1];

        if (!where)
                return -ENOMEM;
        if (unit_name_from_path(where, ".mount", unit, sizeof unit) < 0)
                return l4m_log_at(LOG_ERR, c->path, 0, ENAMETOOLONG,
                                  "[overlay] lower_roots: %s: too long, the unit name of its idmapped view %s would "
                                  "exceed %d bytes", root, where, L4M_UNIT_NAME_MAX);
        return 0;
}

static int check_lower_roots(const struct l4m_config *c) {
        for (size_t i = 0; i < c->n_lower_roots; i++) {
                int r = check_not_overlapping(c, c->lower_roots[i], "runtime", c->runtime_dir);
                if (r == 0)
                        r = check_not_overlapping(c, c->lower_roots[i], "trash", c->trash_dir);
                if (r == 0)
                        r = check_view_name_fits(c, c->lower_roots[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

int config_rules_check(const struct l4m_config *c) {
        int r = check_config_path(c);

        if (r == 0)
                r = check_unit_names_fit(c);
        if (r == 0)
                r = check_lower_roots(c);
        return r;
}
