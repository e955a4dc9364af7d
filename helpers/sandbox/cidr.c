/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "log.h"
#include "number.h"

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

int cidr_check_list(char *const *list, size_t n) {
        struct cidr c;

        for (size_t i = 0; i < n; i++)
                if (cidr_parse(list[i], &c) < 0) {
                        log_error("[sandbox] deny_networks: \"%s\" is not an IP address or prefix", list[i]);
                        return -EINVAL;
                }
        return 0;
}
