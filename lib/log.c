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

#include "utf8.h"

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

/* Whether the bytes at s (n of them) are copied as they are: printable
 * ASCII, or a valid UTF-8 sequence that is not a C1 control (U+0080-U+009F). */
static size_t printable_run(const unsigned char *s, size_t n) {
        size_t len;

        if (s[0] < 0x80)
                return s[0] >= 0x20 && s[0] != 0x7f;
        len = utf8_sequence(s, n);
        return len == 2 && s[0] == 0xc2 && s[1] < 0xa0 ? 0 : len;
}

/* Names and text from instance directories and files reach messages: a
 * control byte (a newline, an escape sequence) or a byte of invalid UTF-8 is
 * written as \xNN, so one message stays one line and drives no terminal. */
static void escape_controls(char *dst, size_t size, const char *src) {
        const unsigned char *s = (const unsigned char *) src;
        size_t n = strlen(src), o = 0;

        for (size_t i = 0; i < n && o + 5 < size;) {
                size_t len = printable_run(s + i, n - i);
                if (len == 0) {
                        o += (size_t) snprintf(dst + o, size - o, "\\x%02x", s[i++]);
                        continue;
                }
                if (o + len >= size)
                        break;
                memcpy(dst + o, s + i, len);
                o += len;
                i += len;
        }
        dst[o] = '\0';
}

/* "ident: LOCATION: severity: message", one record per message. */
__attribute__((format(printf, 3, 0))) static void log_vemit(int priority, const char *location_raw, const char *fmt, va_list ap) {
        char raw[4096], msg[4096], location[1100], record[5300];
        int n;

        vsnprintf(raw, sizeof raw, fmt, ap);
        escape_controls(msg, sizeof msg, raw);
        escape_controls(location, sizeof location, location_raw);
        if (log_target == L4M_LOG_KMSG) {
                /* One write() is one kmsg record; facility LOG_DAEMON. */
                n = snprintf(record, sizeof record, "<%d>%s[%d]: %s%s%s\n", LOG_DAEMON | priority, log_ident,
                             (int) getpid(), location, severity_word(priority), msg);
                if (n > 0)
                        (void) !write(kmsg_fd, record, (size_t) n < sizeof record ? (size_t) n : sizeof record - 1);
        } else
                fprintf(stderr, "%s: %s%s%s\n", log_ident, location, severity_word(priority), msg);
}

__attribute__((format(printf, 3, 4))) static void log_emit(int priority, const char *location, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        log_vemit(priority, location, fmt, ap);
        va_end(ap);
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
                snprintf(prefix, sizeof prefix, "%s%s", file ? file : "", file ? ": " : "");
        va_start(ap, fmt);
        log_vemit(priority, prefix, fmt, ap);
        va_end(ap);
        return err > 0 ? -err : err;
}

int l4m_log_errno(int priority, const char *file, int err, const char *fmt, ...) {
        char msg[3000], prefix[1024];
        va_list ap;

        if (err < 0)
                err = -err;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(prefix, sizeof prefix, "%s%s", file ? file : "", file ? ": " : "");
        log_emit(priority, prefix, "%s: %s", msg, strerror(err));
        return -err;
}
