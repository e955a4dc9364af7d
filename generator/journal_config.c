/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "journal_config.h"

#include <errno.h>
#include <stdio.h>

#include "cleanup.h"

/* Persistent, so that the previous boot stays readable, and within its own
 * budget, so that servers cannot fill /var/log for the host. journald reads
 * it when systemd-journald@left4me.service starts (at boot, or when restarted
 * after left4me.conf changed). Its rate limit applies to each server that
 * sets none itself: the same as each server's unit sets, except "no limit",
 * which only this one can express (a unit's LogRateLimitBurst=0 means
 * "journald's default"). */
int journal_config_emit(struct output *o, const struct l4m_config *c) {
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return -ENOMEM;
        output_header(f, c->path);
        fprintf(f, "[Journal]\nStorage=persistent\nSystemMaxUse=%llu\n", c->logs.max_use);
        fprintf(f, "RateLimitIntervalSec=%lus\nRateLimitBurst=%lu\n", c->logs.rate_interval_sec, c->logs.rate_burst);
        if (fclose(f) != 0)
                return -ENOMEM;
        return output_write(o, JOURNAL_CONFIG_NAME, buf, len);
}
