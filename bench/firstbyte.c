/* SPDX-License-Identifier: MIT */
/* firstbyte CMD [ARG...]: runs CMD once with stdin and stderr inherited and
 * its stdout on a pipe, which is drained and discarded. Prints one line:
 *   <first stdout byte ns> <wall ns> <exit status>
 * Both times are CLOCK_MONOTONIC from just before fork(); the first is -1
 * when CMD wrote nothing. The exit status is 128+N when CMD died of signal N.
 * Built static, so it runs unchanged inside the benchmark VM. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void run_child(int out_fd, char **argv) {
        if (dup2(out_fd, STDOUT_FILENO) < 0)
                _exit(127);
        close(out_fd);
        execvp(argv[0], argv);
        fprintf(stderr, "firstbyte: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
}

/* Reads fd to EOF; returns the time of the first byte, or -1. */
static long long drain(int fd) {
        char buf[65536];
        long long first = -1;
        ssize_t n;

        while ((n = read(fd, buf, sizeof buf)) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        perror("firstbyte: read");
                        break;
                }
                if (first < 0)
                        first = now_ns();
        }
        return first;
}

static int exit_code(int status) {
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

int main(int argc, char **argv) {
        int fds[2], status;

        if (argc < 2) {
                fputs("usage: firstbyte CMD [ARG...]\n", stderr);
                return 2;
        }
        if (pipe2(fds, O_CLOEXEC) < 0) {
                perror("firstbyte: pipe2");
                return 2;
        }
        long long t0 = now_ns();
        pid_t pid = fork();
        if (pid < 0) {
                perror("firstbyte: fork");
                return 2;
        }
        if (pid == 0)
                run_child(fds[1], argv + 1);
        close(fds[1]);
        long long first = drain(fds[0]);
        close(fds[0]);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        perror("firstbyte: waitpid");
                        return 2;
                }
        long long end = now_ns();
        printf("%lld %lld %d\n", first < 0 ? -1 : first - t0, end - t0, exit_code(status));
        return 0;
}
