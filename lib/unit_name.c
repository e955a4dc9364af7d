/* SPDX-License-Identifier: MIT */
#include "unit_name.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static bool keeps_as_is(char c, bool first) {
        if (c == '.')
                return !first;
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_';
}

/* Appends s (n bytes) at *pos; false when it does not fit. */
static bool append(char *buf, size_t size, size_t *pos, const char *s, size_t n) {
        if (*pos + n >= size)
                return false;
        memcpy(buf + *pos, s, n);
        *pos += n;
        buf[*pos] = '\0';
        return true;
}

static bool append_escaped_byte(char *buf, size_t size, size_t *pos, unsigned char c) {
        static const char hex[] = "0123456789abcdef";
        char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
        return append(buf, size, pos, esc, sizeof esc);
}

int unit_name_from_path(const char *path, const char *suffix, char *buf, size_t size) {
        size_t pos = 0, len;

        while (*path == '/')
                path++;
        len = strlen(path);
        while (len > 0 && path[len - 1] == '/')
                len--;
        if (size == 0)
                return -ENAMETOOLONG;
        buf[0] = '\0';
        if (len == 0 && !append(buf, size, &pos, "-", 1))
                return -ENAMETOOLONG;
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char) path[i];
                bool ok;
                if (c == '/')
                        ok = append(buf, size, &pos, "-", 1);
                else if (keeps_as_is((char) c, i == 0))
                        ok = append(buf, size, &pos, (const char *) &path[i], 1);
                else
                        ok = append_escaped_byte(buf, size, &pos, c);
                if (!ok)
                        return -ENAMETOOLONG;
        }
        if (!append(buf, size, &pos, suffix, strlen(suffix)) || pos > L4M_UNIT_NAME_MAX)
                return -ENAMETOOLONG;
        return 0;
}
