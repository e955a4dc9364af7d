/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool path_byte_allowed(unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-' || c == '+' || c == '@';
}

static const char *forbidden_byte_reason(unsigned char c) {
        if (c == '\n')
                return "contains a newline";
        if (c == ' ' || c == '\t')
                return "contains whitespace";
        if (c < 0x20 || c == 0x7f)
                return "contains a control byte";
        if (c == '%')
                return "contains '%' (a systemd specifier)";
        if (c == ',')
                return "contains ',' (a mount option separator)";
        if (c == ':')
                return "contains ':' (the layer separator)";
        if (c == '\\')
                return "contains '\\'";
        if (c >= 0x80)
                return "contains a non-ASCII byte";
        return "contains a byte outside [A-Za-z0-9._+@-]";
}

static int check_components(const char *p, const char **reason) {
        const char *start = p;

        for (;; p++) {
                if (*p == '/' || *p == '\0') {
                        size_t len = (size_t) (p - start);
                        if (len == 0) {
                                *reason = *p == '\0' ? "ends with '/'" : "contains '//'";
                                return -EINVAL;
                        }
                        if ((len == 1 && start[0] == '.') || (len == 2 && start[0] == '.' && start[1] == '.')) {
                                *reason = "contains a '.' or '..' component";
                                return -EINVAL;
                        }
                        if (*p == '\0')
                                return 0;
                        start = p + 1;
                } else if (!path_byte_allowed((unsigned char) *p)) {
                        *reason = forbidden_byte_reason((unsigned char) *p);
                        return -EINVAL;
                }
        }
}

static int check_length(const char *path, const char **reason) {
        if (path[0] == '\0') {
                *reason = "is empty";
                return -EINVAL;
        }
        if (strlen(path) >= L4M_PATH_MAX) {
                *reason = "is longer than 1023 bytes";
                return -ENAMETOOLONG;
        }
        return 0;
}

int path_check_safe(const char *path, const char **reason) {
        int r = check_length(path, reason);

        if (r < 0)
                return r;
        if (path[0] != '/') {
                *reason = "is not absolute";
                return -EINVAL;
        }
        if (path[1] == '\0') {
                *reason = "is the root directory";
                return -EINVAL;
        }
        return check_components(path + 1, reason);
}

int path_check_safe_relative(const char *path, const char **reason) {
        int r = check_length(path, reason);

        if (r < 0)
                return r;
        if (path[0] == '/') {
                *reason = "is not relative";
                return -EINVAL;
        }
        return check_components(path, reason);
}

bool path_is_under(const char *path, const char *dir) {
        size_t n = strlen(dir);

        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

char *path_join(const char *a, const char *b) {
        char *out;

        if (asprintf(&out, "%s/%s", a, b) < 0)
                return NULL;
        return out;
}

char *path_parent(const char *path) {
        const char *slash = strrchr(path, '/');

        if (!slash || path[0] != '/')
                return NULL;
        return slash == path ? strdup("/") : strndup(path, (size_t) (slash - path));
}
