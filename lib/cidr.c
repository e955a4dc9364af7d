/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "number.h"

const char *const cidr_denied_networks[] = {
        "127.0.0.0/8",   "::1/128",        "169.254.0.0/16", "fe80::/10", "224.0.0.0/4",  "ff00::/8",
        "10.0.0.0/8",    "172.16.0.0/12",  "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "0.0.0.0/8",
        "240.0.0.0/4",   "64:ff9b::/96",   NULL,
};

int cidr_parse(const char *s, struct cidr *out) {
        char addr[INET6_ADDRSTRLEN];
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t) (slash - s) : strlen(s);
        unsigned long len;

        if (n == 0 || n >= sizeof addr)
                return -EINVAL;
        memcpy(addr, s, n);
        addr[n] = '\0';
        memset(out, 0, sizeof *out);
        if (inet_pton(AF_INET, addr, out->addr) == 1)
                out->family = AF_INET;
        else if (inet_pton(AF_INET6, addr, out->addr) == 1)
                out->family = AF_INET6;
        else
                return -EINVAL;
        len = out->family == AF_INET ? 32 : 128;
        if (slash && parse_decimal(slash + 1, 0, len, &len) < 0)
                return -EINVAL;
        out->prefixlen = (uint32_t) len;
        return 0;
}

void cidr_format(const struct cidr *c, char buf[CIDR_TEXT_MAX]) {
        char addr[INET6_ADDRSTRLEN];

        if (!inet_ntop(c->family, c->addr, addr, sizeof addr))
                addr[0] = '\0'; /* not reached: family is one that cidr_parse() sets */
        snprintf(buf, CIDR_TEXT_MAX, "%s/%u", addr, (unsigned) c->prefixlen);
}
