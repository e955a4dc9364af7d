/* SPDX-License-Identifier: MIT */
/* The ports a game server binds, declared in its instance file: the only
 * ports its unit lets it bind (SocketBindAllow=). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum port_kind { PORT_GAME, PORT_CLIENT, PORT_TV, PORT_STEAM, PORT_KINDS };

struct port_spec {
        const char *key;    /* the instance file's key (SRCDS_ARGUMENTS passes it on) */
        int offset;         /* default: the game port plus this (game: 27015) */
        bool tcp;           /* bound on TCP too (RCON), not only UDP */
};

extern const struct port_spec port_specs[PORT_KINDS];

struct instance_ports {
        unsigned port[PORT_KINDS]; /* 0 until set or defaulted */
        unsigned line[PORT_KINDS]; /* where set, 0 for a default */
};

/* The kind whose key is k (n bytes), or PORT_KINDS. */
enum port_kind port_kind_of_key(const char *k, size_t n);

/* Takes the value v (n bytes) of kind's key at path:line. */
int ports_take(struct instance_ports *p, enum port_kind kind, const char *path, unsigned line, const char *v,
               size_t n);

/* Fills in the defaults and checks that the ports are in range and distinct. */
int ports_finish(struct instance_ports *p, const char *path);
