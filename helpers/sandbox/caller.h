/* SPDX-License-Identifier: MIT */
/* Who called us, and what they handed over: environment, fds, identity. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct caller {
        uid_t uid;      /* SUDO_UID, or 0 when root ran us directly */
        bool via_sudo;
        char *conf;     /* the configuration file: LEFT4ME_CONF only without sudo */
};

/* Closes every fd above 2, checks 0-2 are open, then replaces the environment
 * with a fixed one after taking SUDO_UID and (only without sudo) LEFT4ME_CONF.
 * Refuses unless the effective uid is root. Logs one line on error. */
int caller_sanitise(struct caller *c);

/* Refuses unless the caller is root or the configured service user. */
int caller_check(const struct caller *c, uid_t service_uid, const char *service_user);

void caller_done(struct caller *c);
