/* SPDX-License-Identifier: MIT */
/* IP prefixes for IPAddressDeny=. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct cidr {
        int family;          /* AF_INET or AF_INET6 */
        uint8_t addr[16];    /* 4 or 16 bytes used */
        uint32_t prefixlen;
};

/* Parses "ADDRESS/LENGTH" (or a bare address: a host prefix). Returns 0 or -EINVAL. */
int cidr_parse(const char *s, struct cidr *out);

static inline unsigned cidr_addr_len(const struct cidr *c) {
        return c->family == AF_INET ? 4 : 16;
}

/* Checks every entry of a configured list; logs the first bad one. */
int cidr_check_list(char *const *list, size_t n);
