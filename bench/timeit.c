/* SPDX-License-Identifier: MIT */
/* timeit RESULT_FILE CMD [ARG...]: runs CMD once (environment, stdout and
 * stderr inherited) and appends one line to RESULT_FILE:
 *   <wall ns> <peak RSS KiB> <exit status> <CPU ns, user + system>
 * Wall time is CLOCK_MONOTONIC from just before fork() to the return of
 * wait4(); CPU time and peak RSS are the child's rusage. This driver stays
 * small on purpose: Linux carries the pre-exec RSS of a forked child into its
 * ru_maxrss, so the driver's own footprint is the floor of every reading
 * (bench/run prints it, measured on /bin/true). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
        struct rusage ru;
        int status;

        if (argc < 3) {
                fputs("usage: timeit RESULT_FILE CMD [ARG...]\n", stderr);
                return 2;
        }
        FILE *res = fopen(argv[1], "a");
        if (!res) {
                perror(argv[1]);
                return 2;
        }
        long long t0 = now_ns();
        pid_t pid = fork();
        if (pid < 0) {
                perror("fork");
                return 2;
        }
        if (pid == 0) {
                execvp(argv[2], argv + 2);
                fprintf(stderr, "timeit: %s: %s\n", argv[2], strerror(errno));
                _exit(127);
        }
        while (wait4(pid, &status, 0, &ru) < 0)
                if (errno != EINTR) {
                        perror("wait4");
                        return 2;
                }
        long long t1 = now_ns();
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        long long cpu = ((long long) ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
                        ((long long) ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
        fprintf(res, "%lld %ld %d %lld\n", t1 - t0, ru.ru_maxrss, code, cpu);
        return fclose(res) == 0 ? 0 : 2;
}
