/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "reap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "build_unit_name.h"
#include "cleanup.h"
#include "lock.h"
#include "log.h"
#include "number.h"
#include "run_dir.h"
#include "staging.h"
#include "watch.h"

/* Returns 1 with *lock taken (not for our own ID, which the caller holds)
 * when the ID's run is dead, 0 when it is alive. */
static int run_is_dead(int run_dir_fd, unsigned long id, unsigned long own_id, struct lock *lock) {
        int r;

        if (id == own_id)
                return 1;
        r = lock_take(run_dir_fd, id, lock);
        if (r == -EBUSY)
                return 0;
        return r < 0 ? r : 1;
}

static int stop_and_wait(sd_bus *bus, const char *name) {
        __attribute__((cleanup(unit_watch_freep))) struct unit_watch *w = NULL;
        struct unit_outcome o;
        int r = unit_watch_new(bus, name, &w);

        if (r >= 0)
                r = unit_stop(bus, name);
        if (r >= 0)
                r = unit_watch_run(w, NULL, &o);
        if (r >= 0 && o.signal != 0)
                return l4m_log_at(LOG_ERR, name, 0, EINTR, "interrupted by signal %d while stopping a dead run's unit",
                                  o.signal);
        if (r >= 0)
                log_warning("stopped %s, left running by a build helper that died", name);
        return r;
}

static int reap_unit(sd_bus *bus, int run_dir_fd, const char *name, unsigned long own_id) {
        _cleanup_lock_ struct lock lock = LOCK_NULL;
        unsigned long id;
        int r;

        if (build_unit_name_id(name, &id) < 0)
                return 0;
        r = run_is_dead(run_dir_fd, id, own_id, &lock);
        if (r <= 0)
                return r;
        return stop_and_wait(bus, name);
}

static int reap_units(sd_bus *bus, int run_dir_fd, unsigned long own_id) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        const char *name, *skip;
        uint32_t job;
        int r;

        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "ListUnitsByPatterns", &e, &reply, "asas", 0, 1,
                               SANDBOX_UNIT_PATTERN);
        if (r < 0)
                return l4m_log_at(LOG_ERR, "systemd", 0, r, "cannot list build units: %s",
                                  e.message ? e.message : strerror(-r));
        r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        for (;;) {
                if (r >= 0)
                        r = sd_bus_message_read(reply, "(ssssssouso)", &name, &skip, &skip, &skip, &skip, &skip,
                                                &skip, &job, &skip, &skip);
                if (r < 0)
                        return log_errno_at("systemd", r, "cannot parse the unit list");
                if (r == 0)
                        return 0;
                r = reap_unit(bus, run_dir_fd, name, own_id);
                if (r < 0)
                        return r; /* logged where it happened */
        }
}

/* Calls fn for each staging directory in the run directory, by its ID,
 * until fn returns nonzero. Returns fn's last result. */
static int for_each_staging(int run_dir_fd, int (*fn)(int run_dir_fd, unsigned long id, void *userdata),
                            void *userdata) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        unsigned long id;
        int fd = openat(run_dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;

        if (fd < 0 || !(d = fdopendir(fd))) {
                r = -errno;
                if (fd >= 0)
                        close(fd);
                return log_errno_at(SANDBOX_RUN_DIR, r, "cannot list");
        }
        while (r == 0 && (de = readdir(d)))
                if (parse_decimal(de->d_name, 1, SANDBOX_ID_MAX, &id) == 0) /* not lock files */
                        r = fn(run_dir_fd, id, userdata);
        return r;
}

static int detach_if_dead(int run_dir_fd, unsigned long id, void *userdata) {
        _cleanup_lock_ struct lock lock = LOCK_NULL;
        unsigned long own_id = *(unsigned long *) userdata;
        int r;

        /* Our own staging area was replaced before the units were reaped. */
        if (id == own_id)
                return 0;
        r = run_is_dead(run_dir_fd, id, own_id, &lock);
        if (r <= 0)
                return r;
        return staging_detach(run_dir_fd, id);
}

/* 1 at a dead run's staging directory, which ends the walk. */
static int is_dead_run(int run_dir_fd, unsigned long id, void *userdata) {
        _cleanup_lock_ struct lock lock = LOCK_NULL;
        unsigned long own_id = *(unsigned long *) userdata;

        return run_is_dead(run_dir_fd, id, own_id, &lock);
}

int reap_needed(int run_dir_fd, unsigned long own_id, bool *needed) {
        int r = for_each_staging(run_dir_fd, is_dead_run, &own_id);

        *needed = r > 0;
        return r < 0 ? r : 0;
}

int reap_dead_runs(sd_bus *bus, int run_dir_fd, unsigned long own_id) {
        int r = reap_units(bus, run_dir_fd, own_id);

        return r < 0 ? r : for_each_staging(run_dir_fd, detach_if_dead, &own_id);
}
