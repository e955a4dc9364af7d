/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "journal.h"

#include <syslog.h>
#include <systemd/sd-journal.h>

/* Failure to log is not a reason to fail the build: the return is ignored. */
void journal_log_build(const struct build_record *b) {
        sd_journal_send("MESSAGE=build into overlay %lu by uid %u: exit status %d (%s) after %llu.%03llus", b->id,
                        (unsigned) b->caller_uid, b->exit_status, b->result,
                        (unsigned long long) (b->duration_usec / 1000000),
                        (unsigned long long) (b->duration_usec / 1000 % 1000),
                        "PRIORITY=%d", b->exit_status == 0 ? LOG_INFO : LOG_NOTICE,
                        "SYSLOG_IDENTIFIER=left4me-sandbox",
                        "LEFT4ME_CALLER_UID=%u", (unsigned) b->caller_uid,
                        "LEFT4ME_OVERLAY_ID=%lu", b->id,
                        "LEFT4ME_UNIT=%s", b->unit ? b->unit : "",
                        "LEFT4ME_DURATION_USEC=%llu", (unsigned long long) b->duration_usec,
                        "LEFT4ME_EXIT_STATUS=%d", b->exit_status,
                        "LEFT4ME_RESULT=%s", b->result,
                        NULL);
}
