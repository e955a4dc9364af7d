/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "bus.h"

#include <string.h>

#include "log.h"

int bus_connect(sd_bus **ret) {
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_open_system(&bus);

        if (r < 0)
                return l4m_log_at(LOG_ERR, "D-Bus", 0, r, "cannot connect to the system bus: %s", strerror(-r));
        /* Without a subscriber systemd may not emit unit signals at all. */
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "Subscribe", &e, NULL, NULL);
        if (r < 0)
                return l4m_log_at(LOG_ERR, "systemd", 0, r, "cannot subscribe: %s", e.message ? e.message : strerror(-r));
        *ret = bus;
        bus = NULL;
        return 0;
}
