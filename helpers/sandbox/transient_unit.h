/* SPDX-License-Identifier: MIT */
/* The build as a hardened transient service, started over sd-bus. */
#pragma once

#include <systemd/sd-bus.h>

#include "config.h"

struct unit_request {
        const struct l4m_config *c;
        unsigned long id;
        const char *name;    /* left4me-sandbox-ID.service */
        const char *staging; /* idmapped bind of the overlay, bound at /overlay */
        int script_fd;       /* sealed memfd */
};

/* Calls StartTransientUnit; on success *job_path holds the start job's path.
 * Logs one line on error. */
int transient_unit_start(sd_bus *bus, const struct unit_request *req, char **job_path);
