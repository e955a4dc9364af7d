/* SPDX-License-Identifier: MIT */
/* Why the stop sends SIGTERM itself instead of leaving it to PID 1: with
 * PrivatePIDs=yes, systemd 257 sometimes loses the race with its executor and
 * logs "Supervising process P which is not our child" (fixed upstream in
 * systemd PR #36446, "exec-invoke: Use FORK_DETACH when forking off pid
 * namespace child"). For such an alien main process PID 1 does not wait after
 * its SIGTERM: SIGKILL follows at once and the overlay is unmounted under a
 * server still ending. Signalled here, the server gets its time. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "number.h"
#include "terminate.h"

struct pid_namespace {
        dev_t dev;
        ino_t ino;
};

static int pid_namespace_of(const char *pid, struct pid_namespace *ret) {
        char path[64];
        struct stat st;

        snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
        if (stat(path, &st) < 0)
                return -errno;
        *ret = (struct pid_namespace) { .dev = st.st_dev, .ino = st.st_ino };
        return 0;
}

static bool same_namespace(const struct pid_namespace *a, const struct pid_namespace *b) {
        return a->dev == b->dev && a->ino == b->ino;
}

static int send_sigterm(int pidfd) {
        return syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) < 0 ? -errno : 0;
}

/* The namespace is read again once the pidfd is open: a PID listed in /proc
 * may have ended and been reused by a process elsewhere meanwhile. */
static bool terminate_member(const char *pid, const struct pid_namespace *ns) {
        struct pid_namespace found;
        unsigned long n;
        _cleanup_close_ int pidfd = -1;
        int r;

        if (parse_decimal(pid, 1, INT_MAX, &n) < 0)
                return false;
        if (pid_namespace_of(pid, &found) < 0 || !same_namespace(&found, ns))
                return false;
        pidfd = (int) syscall(SYS_pidfd_open, (pid_t) n, 0);
        if (pidfd < 0)
                return false;
        if (pid_namespace_of(pid, &found) < 0 || !same_namespace(&found, ns))
                return false;
        r = send_sigterm(pidfd);
        if (r < 0 && r != -ESRCH)
                l4m_log_errno(LOG_WARNING, NULL, r, "cannot send SIGTERM to process %s", pid);
        return r == 0;
}

/* Every process in ns but main_name, the main process, already signalled. */
static int terminate_namespace(const char *main_name, const struct pid_namespace *ns) {
        _cleanup_closedir_ DIR *proc = opendir("/proc");
        struct dirent *de;
        int count = 0;

        if (!proc)
                return l4m_log_errno(LOG_WARNING, "/proc", errno, "cannot list the server's processes");
        while ((de = readdir(proc)))
                if (strcmp(de->d_name, main_name) != 0 && terminate_member(de->d_name, ns))
                        count++;
        return count;
}

int terminate_server(int main_pidfd, pid_t main_pid) {
        struct pid_namespace ours, servers;
        char main_name[16];
        int r, others;

        snprintf(main_name, sizeof(main_name), "%d", (int) main_pid);
        r = pid_namespace_of("self", &ours);
        if (r < 0)
                return r;
        /* /proc names a PID, which may have been reused: the signal through
         * the pidfd, sent after the read, proves the read was its process's. */
        r = pid_namespace_of(main_name, &servers);
        if (r < 0)
                return r;
        r = send_sigterm(main_pidfd);
        if (r < 0)
                return r;
        if (same_namespace(&ours, &servers))
                return 1;
        others = terminate_namespace(main_name, &servers);
        return 1 + (others > 0 ? others : 0);
}
