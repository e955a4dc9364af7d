/* SPDX-License-Identifier: MIT */
#include "utf8.h"

size_t utf8_sequence(const unsigned char *s, size_t n) {
        size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

        if (len == 0 || s[0] > 0xf4 || len > n)
                return 0;
        for (size_t i = 1; i < len; i++)
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
        return len;
}
