/* SPDX-License-Identifier: MIT */
/* left4me-quota instance N BYTES DIR...: gives instance N's writable layer
 * (the directories DIR, its upper and work, on one file system) its disk
 * budget, run by left4me-runtime@N.service as root before the instance's
 * mounts. The directories and everything in them get the instance's project
 * ID (quota.h), inherited by what the server makes; the ID's hard limit
 * becomes BYTES, or none for 0.
 *
 * Where the file system enforces no project quotas, 0 does nothing (no
 * budget asked, nothing changes) and any other BYTES fails: the generator
 * refuses such an instance, and this is the check at start time. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "number.h"
#include "quota.h"
#include "safe_walk.h"

#define MAX_DIRS 4
#define EXIT_BAD_USAGE 2

static int usage(void) {
        log_error("usage: left4me-quota instance N BYTES DIR...");
        return EXIT_BAD_USAGE;
}

static int open_dir(const char *path, int *ret_fd) {
        struct walk_error e;
        struct stat st;
        int r = walk_absolute(path, ret_fd, &st, &e);

        if (r < 0)
                return l4m_log_at(LOG_ERR, e.at, 0, r, "%s", e.reason);
        if (!S_ISDIR(st.st_mode)) {
                close(*ret_fd);
                return l4m_log_at(LOG_ERR, path, 0, ENOTDIR, "is not a directory");
        }
        return 0;
}

static int apply(unsigned id, unsigned long long bytes, char **dirs, int n) {
        int fds[MAX_DIRS] = { -1, -1, -1, -1 }, opened = 0, r = 0;
        uint32_t projid = quota_projid_of_instance(id);
        const char *why = NULL;

        for (; r == 0 && opened < n; opened++)
                r = open_dir(dirs[opened], &fds[opened]);
        if (r < 0)
                opened--;
        if (r == 0)
                r = quota_budget_apply(fds, (const char *const *) dirs, (size_t) n, projid, bytes, &why);
        if (r == -EOPNOTSUPP)
                l4m_log_at(LOG_ERR, dirs[0], 0, r, "cannot hold instance %u's disk budget: %s", id, why);
        if (r == 1) {
                log_info("instance %u: project %u, disk budget %llu bytes%s", id, projid, bytes, bytes ? "" : " (none)");
                r = 0;
        }
        for (int i = 0; i < opened; i++)
                close(fds[i]);
        return r;
}

int main(int argc, char **argv) {
        unsigned long id, bytes;

        l4m_log_open("left4me-quota");
        l4m_log_set_target(L4M_LOG_STDERR);
        if (argc < 5 || argc - 4 > MAX_DIRS || strcmp(argv[1], "instance") != 0)
                return usage();
        if (parse_decimal(argv[2], 1, L4M_INSTANCE_ID_MAX, &id) < 0) {
                log_error("instance \"%s\" is not a number in 1..%d", argv[2], L4M_INSTANCE_ID_MAX);
                return EXIT_BAD_USAGE;
        }
        if (parse_decimal(argv[3], 0, ULONG_MAX, &bytes) < 0) {
                log_error("BYTES \"%s\" is not a number of bytes", argv[3]);
                return EXIT_BAD_USAGE;
        }
        for (int i = 4; i < argc; i++)
                if (argv[i][0] != '/') {
                        log_error("\"%s\" is not an absolute path", argv[i]);
                        return EXIT_BAD_USAGE;
                }
        return apply((unsigned) id, bytes, argv + 4, argc - 4) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
