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

/* Logs "FILE:LINE: message" (line 0 omits the line): what is wrong with a
 * file's content. Returns -err if err != 0. */
int l4m_log_at(int priority, const char *file, unsigned line, int err, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* Logs "FILE: message: ERRNO TEXT" for a failed call on FILE (NULL: a call
 * on no file; err may be positive or negative). Returns -|err|. */
int l4m_log_errno(int priority, const char *file, int err, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define log_errno_at(file, err, ...) l4m_log_errno(LOG_ERR, (file), (err), __VA_ARGS__)
#define log_errno(err, ...) l4m_log_errno(LOG_ERR, NULL, (err), __VA_ARGS__)

#define log_error(...) l4m_log(LOG_ERR, __VA_ARGS__)
#define log_warning(...) l4m_log(LOG_WARNING, __VA_ARGS__)
#define log_info(...) l4m_log(LOG_INFO, __VA_ARGS__)
