/* SPDX-License-Identifier: MIT */
/* Waiting for a unit to finish, like systemd-run --wait: PropertiesChanged
 * and JobRemoved over sd-bus, in an sd-event loop that also takes SIGTERM,
 * SIGINT and SIGHUP (blocked by the caller) and answers them with StopUnit. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "bus_util.h"

struct unit_outcome {
        char result[32];     /* Service.Result: success, exit-code, signal, timeout, oom-kill, ... */
        char job_result[32]; /* of the start job: done, failed, canceled, ... ("" if unknown) */
        int32_t main_code;   /* CLD_EXITED, CLD_KILLED, CLD_DUMPED, or 0 */
        int32_t main_status;
        int signal;          /* first signal that interrupted us, or 0 */
};

struct unit_watch;

/* Asks for the unit's change signals and JobRemoved; do this before starting
 * or stopping it, so that no signal is missed. No Subscribe() is needed:
 * PID 1 sends a unit's signals to the clients that hold a reference on it
 * (AddRef) and a job's to the client that queued it. */
int unit_watch_new(sd_bus *bus, const char *name, struct unit_watch **ret);

/* Runs until the unit is inactive or failed with no job pending. job_path,
 * if not NULL, is the start job whose result is wanted. Logs on error. */
int unit_watch_run(struct unit_watch *w, const char *job_path, struct unit_outcome *o);

/* Fills the Result and ExecMain fields of the outcome given to unit_watch_run(). */
int unit_watch_result(struct unit_watch *w);

/* Asks systemd to stop the unit; does not wait. */
int unit_stop(sd_bus *bus, const char *name);

struct unit_watch *unit_watch_free(struct unit_watch *w);
static inline void unit_watch_freep(struct unit_watch **w) {
        unit_watch_free(*w);
}
