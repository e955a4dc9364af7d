/* SPDX-License-Identifier: MIT */
/* unmounted MOUNTINFO PREFIX: prints "ready" once it watches MOUNTINFO (say
 * /proc/1/mountinfo), then, as soon as no mount point in it starts with
 * PREFIX, the CLOCK_REALTIME time in microseconds, and exits 0. It wakes on
 * the kernel's mount-table change events (poll POLLPRI), not on a timer, so
 * the time carries no polling delay. Exits 1 after 120 s without that.
 * Built static, so it runs unchanged inside the benchmark VM. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TIMEOUT_MS = 120 * 1000 };

static long long now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (long long) ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* The mount point is the fifth field of a mountinfo line. */
static int line_has_prefix(const char *line, const char *prefix) {
        const char *p = line;

        for (int field = 0; field < 4 && p; field++) {
                p = strchr(p, ' ');
                if (p)
                        p++;
        }
        return p && strncmp(p, prefix, strlen(prefix)) == 0;
}

/* 1 when a mount point under prefix is in the table, 0 when none, -1 on error. */
static int any_mount_under(FILE *f, const char *prefix) {
        char *line = NULL;
        size_t size = 0;
        int found = 0;

        if (fseek(f, 0, SEEK_SET) < 0)
                return -1;
        while (!found && getline(&line, &size, f) > 0)
                found = line_has_prefix(line, prefix);
        free(line);
        return ferror(f) ? -1 : found;
}

int main(int argc, char **argv) {
        FILE *f;
        int r;

        if (argc != 3) {
                fputs("usage: unmounted MOUNTINFO PREFIX\n", stderr);
                return 2;
        }
        f = fopen(argv[1], "re");
        if (!f) {
                fprintf(stderr, "unmounted: %s: %s\n", argv[1], strerror(errno));
                return 2;
        }
        printf("ready\n");
        fflush(stdout);
        while ((r = any_mount_under(f, argv[2])) == 1) {
                struct pollfd p = { .fd = fileno(f), .events = POLLPRI };
                int n = poll(&p, 1, TIMEOUT_MS);
                if (n == 0) {
                        fprintf(stderr, "unmounted: %s still mounted after %d s\n", argv[2], TIMEOUT_MS / 1000);
                        return 1;
                }
                if (n < 0 && errno != EINTR) {
                        perror("unmounted: poll");
                        return 2;
                }
        }
        if (r < 0) {
                fprintf(stderr, "unmounted: cannot read %s\n", argv[1]);
                return 2;
        }
        printf("%lld\n", now_us());
        return 0;
}
