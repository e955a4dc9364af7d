/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "caller.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "number.h"

/* stdout and stderr go to the build as they are: a terminal there would let
 * the script inject input into it (TIOCSTI) or read what the caller types. */
static int check_std_fds(void) {
        for (int fd = 0; fd <= 2; fd++)
                if (fcntl(fd, F_GETFD) < 0) {
                        /* stderr itself may be the missing one: the exit status is all we can give. */
                        log_error("file descriptor %d is not open; stdin, stdout and stderr are required", fd);
                        return -EBADF;
                }
        for (int fd = 1; fd <= 2; fd++)
                if (isatty(fd)) {
                        log_error("%s is a terminal, which a build must not be given: pipe the output "
                                  "(left4me-sandbox build ID <script 2>&1 | cat)", fd == 1 ? "stdout" : "stderr");
                        return -ENOTTY;
                }
        return 0;
}

static int reset_environment(void) {
        if (clearenv() != 0 || setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1) < 0 ||
            setenv("LANG", "C", 1) < 0)
                return -ENOMEM;
        return 0;
}

static int take_sudo_uid(struct caller *c) {
        const char *s = getenv("SUDO_UID");
        unsigned long uid;

        c->via_sudo = s != NULL;
        c->uid = 0;
        if (!s)
                return 0;
        if (parse_decimal(s, 0, 0xfffffffeUL, &uid) < 0) {
                log_error("SUDO_UID is not a user id; refusing");
                return -EPERM;
        }
        c->uid = (uid_t) uid;
        return 0;
}

int caller_sanitise(struct caller *c) {
        int r;

        memset(c, 0, sizeof *c);
        close_range(3, ~0U, 0);
        umask(0022);
        r = check_std_fds();
        if (r < 0)
                return r;
        if (geteuid() != 0) {
                log_error("must be run as root, through sudo by the service user");
                return -EPERM;
        }
        r = take_sudo_uid(c);
        if (r < 0)
                return r;
        /* A configuration path is a path from the caller: honoured only when root runs us directly. */
        if (c->via_sudo)
                unsetenv("LEFT4ME_CONF");
        c->conf = strdup(config_path());
        if (!c->conf)
                return -ENOMEM;
        r = reset_environment();
        if (r < 0)
                log_errno(r, "cannot reset the environment");
        return r;
}

int caller_check(const struct caller *c, uid_t service_uid, const char *service_user) {
        if (c->uid == 0 || c->uid == service_uid)
                return 0;
        log_error("called by uid %u through sudo; only root and the service user %s (uid %u) may run builds",
                  (unsigned) c->uid, service_user, (unsigned) service_uid);
        return -EPERM;
}

void caller_done(struct caller *c) {
        free(c->conf);
        c->conf = NULL;
}
