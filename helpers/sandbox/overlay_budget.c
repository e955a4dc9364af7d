/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "overlay_budget.h"

#include <errno.h>

#include "log.h"
#include "number.h"
#include "quota.h"

/* Writes stop short of the limit by less than a block, and metadata blocks
 * count too: an overlay this close to its budget has reached it. */
#define BUDGET_REACHED_SLACK (8ULL * 4096)

static int refuse_unenforced(const struct overlay_dir *d, const char *why) {
        return l4m_log_at(LOG_ERR, d->path, 0, EOPNOTSUPP,
                          "cannot hold overlay %lu's disk budget ([sandbox] disk_max): %s", d->id, why);
}

int overlay_budget_apply(const struct overlay_dir *d, unsigned long long disk_max) {
        const char *why = "", *path = d->path;
        int r = quota_budget_apply(&d->fd, &path, 1, quota_projid_of_overlay(d->id), disk_max, &why);

        if (r == -EOPNOTSUPP)
                return refuse_unenforced(d, why);
        return r < 0 ? r : 0;
}

void overlay_budget_report(const struct overlay_dir *d, unsigned long long disk_max) {
        uint32_t projid = quota_projid_of_overlay(d->id);
        unsigned long long used, limit;
        char size[32];
        int r;

        if (disk_max == 0)
                return;
        r = quota_usage(d->fd, projid, &used, &limit);
        if (r < 0) {
                l4m_log_errno(LOG_WARNING, d->path, r, "cannot read the disk usage of project %u", projid);
                return;
        }
        if (limit == 0 || used + BUDGET_REACHED_SLACK < limit)
                return;
        format_size(disk_max, size, sizeof size);
        l4m_log(LOG_NOTICE,
                "overlay %lu reached its disk budget of %s ([sandbox] disk_max); files written past it failed "
                "with \"Disk quota exceeded\"",
                d->id, size);
}
