/* SPDX-License-Identifier: MIT */
#include "number.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int parse_decimal(const char *s, unsigned long min, unsigned long max, unsigned long *out) {
        unsigned long v = 0;

        if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                if (v > (ULONG_MAX - (unsigned long) (*s - '0')) / 10)
                        return -ERANGE;
                v = v * 10 + (unsigned long) (*s - '0');
        }
        if (v < min || v > max)
                return -ERANGE;
        *out = v;
        return 0;
}

int parse_size(const char *s, unsigned long long *out) {
        static const char suffixes[] = "KMGT";
        size_t n = strlen(s);
        unsigned shift = 0;
        unsigned long v;
        char digits[32];
        int r;

        if (n == 0 || n >= sizeof digits)
                return -EINVAL;
        memcpy(digits, s, n + 1);
        const char *suffix = strchr(suffixes, digits[n - 1]);
        if (suffix && digits[n - 1] != '\0') {
                shift = 10 * (unsigned) (suffix - suffixes + 1);
                digits[n - 1] = '\0';
        }
        r = parse_decimal(digits, 1, ULONG_MAX, &v);
        if (r < 0)
                return r;
        if (shift && v > (ULLONG_MAX >> shift))
                return -ERANGE;
        *out = (unsigned long long) v << shift;
        return 0;
}

void format_size(unsigned long long bytes, char *buf, size_t size) {
        static const char suffixes[] = "KMGT";
        int i = -1;

        while (i < 3 && bytes != 0 && bytes % 1024 == 0) {
                bytes /= 1024;
                i++;
        }
        if (i < 0)
                snprintf(buf, size, "%llu", bytes);
        else
                snprintf(buf, size, "%llu%c", bytes, suffixes[i]);
}
