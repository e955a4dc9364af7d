/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "bus.h"

#include <string.h>

#include "log.h"

int bus_connect(sd_bus **ret) {
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        int r = sd_bus_open_system(&bus);

        if (r < 0)
                return log_errno_at("D-Bus", r, "cannot connect to the system bus");
        *ret = bus;
        bus = NULL;
        return 0;
}
