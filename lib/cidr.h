/* SPDX-License-Identifier: MIT */
/* IP prefixes for IPAddressDeny= and IPAddressAllow=, and the networks that
 * neither builds nor game servers may reach: one list for both programs. */
#pragma once

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct cidr {
        int family;          /* AF_INET or AF_INET6 */
        uint8_t addr[16];    /* 4 or 16 bytes used */
        uint32_t prefixlen;
};

/* "ADDRESS/LENGTH" at its longest. */
#define CIDR_TEXT_MAX (INET6_ADDRSTRLEN + 4)

/* Parses "ADDRESS/LENGTH" (or a bare address: a host prefix). Returns 0 or -EINVAL. */
int cidr_parse(const char *s, struct cidr *out);

/* Writes c as "ADDRESS/LENGTH" (the length always given), as systemd's
 * IPAddressAllow= and IPAddressDeny= read it. */
void cidr_format(const struct cidr *c, char buf[CIDR_TEXT_MAX]);

static inline unsigned cidr_addr_len(const struct cidr *c) {
        return c->family == AF_INET ? 4 : 16;
}

/* Loopback, link-local, multicast, RFC 1918, CGNAT, ULA, "this network",
 * 240.0.0.0/4 (reserved) and 64:ff9b::/96 (NAT64, which reaches IPv4
 * addresses through an IPv6 one). NULL-terminated. */
extern const char *const cidr_denied_networks[];
