/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "exit_status.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"

int exit_status_from(const char *unit, const struct unit_outcome *o) {
        /* With Type=exec the start job fails only when the script never ran:
         * a namespace, mount or user set-up error inside systemd. */
        if (o->job_result[0] && strcmp(o->job_result, "done") != 0) {
                l4m_log_at(LOG_ERR, unit, 0, 0, "the build did not start (job %s, result %s, status %d)",
                           o->job_result, o->result, (int) o->main_status);
                return EXIT_HELPER_ERROR;
        }
        if (strcmp(o->result, "timeout") == 0)
                return EXIT_TIME_LIMIT;
        if (o->main_code == CLD_EXITED)
                return o->main_status & 0xff;
        if (o->main_code == CLD_KILLED || o->main_code == CLD_DUMPED)
                return 128 + o->main_status;
        if (strcmp(o->result, "oom-kill") == 0)
                return 128 + SIGKILL;
        l4m_log_at(LOG_ERR, unit, 0, 0, "finished without an exit status (result %s)", o->result);
        return EXIT_HELPER_ERROR;
}
