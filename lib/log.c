/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *log_ident = "left4me";
static enum l4m_log_target log_target = L4M_LOG_STDERR;
static int kmsg_fd = -1;

void l4m_log_set_target(enum l4m_log_target target) {
        if (target == L4M_LOG_KMSG && kmsg_fd < 0)
                kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
        log_target = (target == L4M_LOG_KMSG && kmsg_fd >= 0) ? L4M_LOG_KMSG : L4M_LOG_STDERR;
}

void l4m_log_open(const char *ident) {
        const char *forced = getenv("LEFT4ME_LOG_TARGET");

        log_ident = ident;
        if (forced && strcmp(forced, "kmsg") == 0)
                l4m_log_set_target(L4M_LOG_KMSG);
        else if (forced && strcmp(forced, "stderr") == 0)
                l4m_log_set_target(L4M_LOG_STDERR);
        else
                l4m_log_set_target(getenv("SYSTEMD_SCOPE") ? L4M_LOG_KMSG : L4M_LOG_STDERR);
}

static const char *severity_word(int priority) {
        if (priority <= LOG_ERR)
                return "error: ";
        if (priority == LOG_WARNING)
                return "warning: ";
        return "";
}

/* "ident: LOCATION: severity: message", one record per message. */
static void log_vemit(int priority, const char *location, const char *fmt, va_list ap) {
        char msg[4096], record[4600];
        int n;

        vsnprintf(msg, sizeof msg, fmt, ap);
        if (log_target == L4M_LOG_KMSG) {
                /* One write() is one kmsg record; facility LOG_DAEMON. */
                n = snprintf(record, sizeof record, "<%d>%s[%d]: %s%s%s\n", LOG_DAEMON | priority, log_ident,
                             (int) getpid(), location, severity_word(priority), msg);
                if (n > 0)
                        (void) !write(kmsg_fd, record, (size_t) n < sizeof record ? (size_t) n : sizeof record - 1);
        } else
                fprintf(stderr, "%s: %s%s%s\n", log_ident, location, severity_word(priority), msg);
}

void l4m_log(int priority, const char *fmt, ...) {
        va_list ap;
        int saved = errno;

        va_start(ap, fmt);
        log_vemit(priority, "", fmt, ap);
        va_end(ap);
        errno = saved;
}

int l4m_log_at(int priority, const char *file, unsigned line, int err, const char *fmt, ...) {
        char prefix[1024];
        va_list ap;

        if (line > 0)
                snprintf(prefix, sizeof prefix, "%s:%u: ", file, line);
        else
                snprintf(prefix, sizeof prefix, "%s: ", file);
        va_start(ap, fmt);
        log_vemit(priority, prefix, fmt, ap);
        va_end(ap);
        return err > 0 ? -err : err;
}
