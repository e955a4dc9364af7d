/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ports.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "log.h"
#include "number.h"

#define GAME_PORT_DEFAULT 27015

/* Not srcds's own defaults (client 27005, SourceTV 27020, Steam 26900 for
 * every server): each is the game port plus a thousand, two or three, so
 * servers numbered on from 27015 never share a port (up to 999 of them),
 * and all stay below Linux's ephemeral range (32768) for game ports below
 * 29768. */
const struct port_spec port_specs[PORT_KINDS] = {
        [PORT_GAME] = { "L4D2_PORT", 0, true },
        [PORT_CLIENT] = { "L4D2_CLIENT_PORT", 1000, false },
        [PORT_TV] = { "L4D2_TV_PORT", 2000, false },
        [PORT_STEAM] = { "L4D2_STEAM_PORT", 3000, false },
};

enum port_kind port_kind_of_key(const char *k, size_t n) {
        for (int i = 0; i < PORT_KINDS; i++)
                if (strlen(port_specs[i].key) == n && memcmp(port_specs[i].key, k, n) == 0)
                        return (enum port_kind) i;
        return PORT_KINDS;
}

int ports_take(struct instance_ports *p, enum port_kind kind, const char *path, unsigned line, const char *v,
               size_t n) {
        char digits[8];
        unsigned long port;

        assert((unsigned) kind < PORT_KINDS);
        if (n >= sizeof digits || (memcpy(digits, v, n), digits[n] = '\0', parse_decimal(digits, 1, 65535, &port) < 0))
                return l4m_log_at(LOG_ERR, path, line, EINVAL, "%s=%.*s: must be a number in 1..65535",
                                  port_specs[kind].key, (int) n, v);
        p->port[kind] = (unsigned) port;
        p->line[kind] = line;
        return 0;
}

static int fill_default(struct instance_ports *p, enum port_kind kind, const char *path) {
        long v = (long) p->port[PORT_GAME] + port_specs[kind].offset;

        if (p->port[kind] != 0)
                return 0;
        if (v < 1 || v > 65535)
                return l4m_log_at(LOG_ERR, path, p->line[PORT_GAME], EINVAL,
                                  "%s=%u leaves no default for %s (it would be %ld): set %s too",
                                  port_specs[PORT_GAME].key, p->port[PORT_GAME], port_specs[kind].key, v,
                                  port_specs[kind].key);
        p->port[kind] = (unsigned) v;
        return 0;
}

int ports_finish(struct instance_ports *p, const char *path) {
        if (p->port[PORT_GAME] == 0)
                p->port[PORT_GAME] = GAME_PORT_DEFAULT;
        for (int i = PORT_GAME + 1; i < PORT_KINDS; i++) {
                int r = fill_default(p, (enum port_kind) i, path);
                if (r < 0)
                        return r;
        }
        for (int i = 0; i < PORT_KINDS; i++)
                for (int j = i + 1; j < PORT_KINDS; j++)
                        if (p->port[i] == p->port[j])
                                return l4m_log_at(LOG_ERR, path, p->line[j] ? p->line[j] : p->line[i], EINVAL,
                                                  "%s and %s are both %u: each port of a server must differ",
                                                  port_specs[i].key, port_specs[j].key, p->port[i]);
        return 0;
}
