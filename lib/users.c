/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "users.h"

#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "number.h"

static bool user_name_valid(const char *s) {
        if (*s == '\0' || strlen(s) > 32 || *s == '-')
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                      *s == '_' || *s == '-' || *s == '.'))
                        return false;
        return true;
}

int user_resolve(const char *passwd_path, const char *spec, uid_t *uid, gid_t *gid) {
        _cleanup_fclose_ FILE *f = NULL;
        unsigned long id = 0;
        bool numeric = parse_decimal(spec, 1, 0xfffffffeUL, &id) == 0;
        struct passwd *pw;

        if (!numeric && !user_name_valid(spec))
                return -EINVAL;
        f = fopen(passwd_path, "re");
        if (!f)
                return -errno;
        errno = 0;
        while ((pw = fgetpwent(f))) {
                if (numeric ? pw->pw_uid == id : strcmp(pw->pw_name, spec) == 0) {
                        *uid = pw->pw_uid;
                        *gid = pw->pw_gid;
                        return 0;
                }
        }
        if (errno != 0 && errno != ENOENT)
                return -errno;
        if (!numeric)
                return -ENOENT;
        *uid = (uid_t) id;
        *gid = (gid_t) id;
        return 0;
}
