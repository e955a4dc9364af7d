/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "build_unit_name.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "args.h"
#include "number.h"

int build_unit_name_new(unsigned long id, char name[SANDBOX_UNIT_NAME_MAX]) {
        uint64_t tag;

        if (getrandom(&tag, sizeof tag, 0) != sizeof tag)
                return -errno;
        snprintf(name, SANDBOX_UNIT_NAME_MAX, SANDBOX_UNIT_PREFIX "%lu-%016llx.service", id,
                 (unsigned long long) tag);
        return 0;
}

int build_unit_name_id(const char *name, unsigned long *id) {
        char digits[16];
        const char *start, *dash;
        size_t n;

        if (strncmp(name, SANDBOX_UNIT_PREFIX, strlen(SANDBOX_UNIT_PREFIX)) != 0)
                return -EINVAL;
        start = name + strlen(SANDBOX_UNIT_PREFIX);
        dash = strchr(start, '-');
        n = dash ? (size_t) (dash - start) : 0;
        if (n == 0 || n >= sizeof digits)
                return -EINVAL;
        memcpy(digits, start, n);
        digits[n] = '\0';
        return parse_decimal(digits, 1, SANDBOX_ID_MAX, id);
}
