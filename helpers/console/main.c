/* SPDX-License-Identifier: MIT */
/* left4me-console: the two steps of left4me@.service around a game server's
 * console (left4me-console@.socket), run by PID 1 as root.
 *
 * left4me-console blocking: ExecStartPre=. Its standard input is the console
 * FIFO, the same open file as the server's will be, which PID 1 opened
 * non-blocking; it clears O_NONBLOCK there, so the server reads its console
 * as it would a terminal or a pipe.
 *
 * left4me-console quit QUIT_SECONDS TERM_SECONDS [MAINPID] < CONSOLE:
 * ExecStop=. Writes "quit" on the console (its standard input too) and waits
 * at most QUIT_SECONDS for the main process to end, so that plugins, SourceTV
 * demos and logs end cleanly; then sends SIGTERM to the server's processes
 * and waits at most TERM_SECONDS more (terminate.c says why not PID 1).
 * systemd's SIGTERM and SIGKILL get whatever is left when it returns. Without
 * MAINPID (nothing runs) it does nothing. Every failure is logged and ends
 * with status 0: the stop goes on whatever happens here. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "number.h"
#include "terminate.h"

#define QUIT_LINE "quit\n"
#define MAX_WAIT_SEC 3600
#define EXIT_BAD_USAGE 2

static int usage(void) {
        log_error("usage: left4me-console blocking | "
                  "left4me-console quit QUIT_SECONDS TERM_SECONDS [MAINPID] < CONSOLE (seconds 0..%d)",
                  MAX_WAIT_SEC);
        return EXIT_BAD_USAGE;
}

/* A pidfd before the write, so that the PID cannot be reused meanwhile. */
static int open_main_process(const char *arg, int *ret_fd, pid_t *ret_pid) {
        unsigned long pid;
        int fd;

        if (parse_decimal(arg, 2, INT_MAX, &pid) < 0) {
                log_error("MAINPID \"%s\" is not a process ID", arg);
                return -EINVAL;
        }
        fd = (int) syscall(SYS_pidfd_open, (pid_t) pid, 0);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        *ret_pid = (pid_t) pid;
        return 0;
}

/* Standard input is the console, the FIFO that PID 1 holds: ExecStop= runs
 * where the server's /run may not be, so no path is used. It is reopened
 * write-only and non-blocking, a new open file of its own, so that a full
 * console fails the write at once instead of hanging the stop, without
 * changing the blocking mode the server reads with. */
static int open_console(int *ret_fd) {
        struct stat st;
        int fd;

        if (fstat(STDIN_FILENO, &st) < 0 || !S_ISFIFO(st.st_mode))
                return -EBADF;
        fd = open("/proc/self/fd/0", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

static int send_quit(void) {
        _cleanup_close_ int fd = -1;
        int r = open_console(&fd);

        if (r < 0) {
                log_warning("cannot write quit: %s", r == -EBADF ? "standard input is not the console FIFO" : strerror(-r));
                return r;
        }
        /* At most PIPE_BUF bytes: written whole or not at all. */
        if (write(fd, QUIT_LINE, strlen(QUIT_LINE)) != (ssize_t) strlen(QUIT_LINE)) {
                r = -errno;
                l4m_log_errno(LOG_WARNING, NULL, errno, "cannot write quit on the console");
                return r;
        }
        return 0;
}

static long elapsed_ms(const struct timespec *since) {
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* True when the process ended within timeout_ms. */
static bool wait_for_exit(int pidfd, long timeout_ms) {
        struct pollfd p = { .fd = pidfd, .events = POLLIN };
        struct timespec start;
        long left = timeout_ms;

        clock_gettime(CLOCK_MONOTONIC, &start);
        while (left > 0) {
                int n = poll(&p, 1, (int) left);
                if (n > 0)
                        return true;
                if (n < 0 && errno != EINTR)
                        return false;
                left = timeout_ms - elapsed_ms(&start);
        }
        return false;
}

/* Only a FIFO: never a terminal or socket PID 1 did not set up for this. */
static int make_stdin_blocking(void) {
        struct stat st;
        int flags;

        if (fstat(STDIN_FILENO, &st) < 0 || !S_ISFIFO(st.st_mode)) {
                log_error("standard input is not the console FIFO");
                return EXIT_FAILURE;
        }
        flags = fcntl(STDIN_FILENO, F_GETFL);
        if (flags < 0 || fcntl(STDIN_FILENO, F_SETFL, flags & ~O_NONBLOCK) < 0) {
                log_errno(errno, "cannot make the console blocking");
                return EXIT_FAILURE;
        }
        return EXIT_SUCCESS;
}

static void stop_with_sigterm(int pidfd, pid_t pid, unsigned long seconds) {
        struct timespec start;
        int n = terminate_server(pidfd, pid);

        if (n == -ESRCH || n == -ENOENT) {
                log_info("server ended before SIGTERM");
                return;
        }
        if (n < 0) {
                l4m_log_errno(LOG_WARNING, NULL, n, "cannot send SIGTERM to process %d", (int) pid);
                return;
        }
        clock_gettime(CLOCK_MONOTONIC, &start);
        log_info("SIGTERM sent to %d process%s of the server", n, n == 1 ? "" : "es");
        if (wait_for_exit(pidfd, (long) seconds * 1000))
                log_info("server ended %ld ms after SIGTERM", elapsed_ms(&start));
        else
                log_warning("server still running %lu s after SIGTERM; systemd's SIGTERM and SIGKILL follow", seconds);
}

static int quit(int argc, char **argv) {
        _cleanup_close_ int pidfd = -1;
        unsigned long quit_seconds, term_seconds;
        struct timespec start;
        pid_t pid = 0;
        int r;

        if (argc < 3 || argc > 4 || parse_decimal(argv[1], 0, MAX_WAIT_SEC, &quit_seconds) < 0 ||
            parse_decimal(argv[2], 0, MAX_WAIT_SEC, &term_seconds) < 0)
                return usage();
        if (argc == 3) {
                log_info("no main process, nothing to ask");
                return EXIT_SUCCESS;
        }
        r = open_main_process(argv[3], &pidfd, &pid);
        if (r == -ESRCH) {
                log_info("process %s already gone", argv[3]);
                return EXIT_SUCCESS;
        }
        if (r < 0) {
                if (r != -EINVAL)
                        l4m_log_errno(LOG_WARNING, NULL, r, "cannot watch process %s", argv[3]);
                return EXIT_SUCCESS;
        }
        /* Without a quit written, SIGTERM at once. */
        if (send_quit() == 0) {
                clock_gettime(CLOCK_MONOTONIC, &start);
                if (wait_for_exit(pidfd, (long) quit_seconds * 1000)) {
                        log_info("server ended %ld ms after quit", elapsed_ms(&start));
                        return EXIT_SUCCESS;
                }
                log_warning("server still running %lu s after quit; SIGTERM follows", quit_seconds);
        }
        stop_with_sigterm(pidfd, pid, term_seconds);
        return EXIT_SUCCESS;
}

int main(int argc, char **argv) {
        l4m_log_open("left4me-console");
        if (argc == 2 && strcmp(argv[1], "blocking") == 0)
                return make_stdin_blocking();
        if (argc >= 2 && strcmp(argv[1], "quit") == 0)
                return quit(argc - 1, argv + 1);
        return usage();
}
