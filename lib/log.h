/* SPDX-License-Identifier: MIT */
/* Logging to stderr, or to /dev/kmsg when run by systemd as a generator. */
#pragma once

#include <syslog.h>

enum l4m_log_target { L4M_LOG_STDERR, L4M_LOG_KMSG };

/* Picks the target: LEFT4ME_LOG_TARGET=stderr|kmsg wins, otherwise kmsg when
 * systemd runs us (it sets SYSTEMD_SCOPE for generators), stderr otherwise. */
void l4m_log_open(const char *ident);
void l4m_log_set_target(enum l4m_log_target target);

void l4m_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Logs "FILE:LINE: message" (line 0 omits the line). Returns -err if err != 0. */
int l4m_log_at(int priority, const char *file, unsigned line, int err, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

#define log_error(...) l4m_log(LOG_ERR, __VA_ARGS__)
#define log_warning(...) l4m_log(LOG_WARNING, __VA_ARGS__)
#define log_info(...) l4m_log(LOG_INFO, __VA_ARGS__)
