/* SPDX-License-Identifier: MIT */
/* left4me-sandbox build ID < script: run a user's build script into overlay ID
 * as a hardened transient service, streaming its output, exiting with its status. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "build_slot.h"
#include "build_unit_name.h"
#include "bus.h"
#include "caller.h"
#include "cleanup.h"
#include "config.h"
#include "exit_status.h"
#include "idmap_mount.h"
#include "journal.h"
#include "lock.h"
#include "log.h"
#include "mount_ns.h"
#include "overlay_budget.h"
#include "overlay_dir.h"
#include "reap.h"
#include "run_dir.h"
#include "script.h"
#include "staging.h"
#include "transient_unit.h"
#include "watch.h"

struct build {
        const struct l4m_config *c;
        const struct caller *caller;
        unsigned long id;
        int script_fd;
        int run_dir_fd;
        sd_bus *bus;
        struct overlay_dir dir;
        char unit[SANDBOX_UNIT_NAME_MAX];
        char staging[64];
        bool unit_may_run; /* started, and not seen to finish */
        struct unit_outcome outcome;
};

static uint64_t now_usec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000;
}

/* Signals wait in the mask until the watch loop takes them through a
 * signalfd, so an interruption at any point still stops the unit first. */
static int block_signals(void) {
        sigset_t set;

        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR)
                return -errno;
        return 0;
}

/* Replaces whatever a dead run into this ID left at the staging path (the
 * caller holds the ID's lock) with a fresh idmapped clone of the overlay. */
static int attach_overlay(struct build *b) {
        _cleanup_close_ int tree = -1;
        int r = staging_detach(b->run_dir_fd, b->id);

        if (r < 0)
                return r;
        tree = idmap_mount_clone(b->dir.fd, b->c->server_uid, b->c->server_gid, b->c->sandbox_uid,
                                 b->c->sandbox_gid);
        if (tree < 0)
                return tree;
        staging_path(b->id, b->staging, sizeof b->staging);
        return staging_attach(b->run_dir_fd, b->id, tree);
}

static int run_unit(struct build *b) {
        __attribute__((cleanup(unit_watch_freep))) struct unit_watch *w = NULL;
        _cleanup_free_ char *job = NULL;
        struct unit_request q = {
                .c = b->c, .id = b->id, .name = b->unit, .staging = b->staging, .script_fd = b->script_fd,
        };
        int r = build_unit_name_new(b->id, b->unit);

        if (r < 0)
                return log_errno(r, "cannot name the build's unit (getrandom)");
        r = unit_watch_new(b->bus, b->unit, &w);
        if (r < 0)
                return r;
        b->unit_may_run = true;
        r = transient_unit_start(b->bus, &q, &job);
        if (r >= 0)
                r = unit_watch_run(w, job, &b->outcome);
        if (r >= 0)
                b->unit_may_run = false;
        if (r >= 0)
                r = unit_watch_result(w);
        return r;
}

/* Everything after the lock. The staging area goes up first, so that PID 1
 * takes in the new mount while the helper connects, and asking PID 1 for
 * dead runs' units is skipped when their staging areas say there are none.
 * The staging area comes down on every path out, unless the unit may still
 * be running: then the next run finds it and stops the unit. */
static int run_locked(struct build *b) {
        bool dead_runs = false;
        int r = reap_needed(b->run_dir_fd, b->id, &dead_runs);

        if (r >= 0)
                r = overlay_dir_open(b->c, b->id, &b->dir);
        if (r >= 0)
                r = overlay_budget_apply(&b->dir, b->c->sandbox.disk_max);
        if (r >= 0)
                r = attach_overlay(b);
        if (r >= 0)
                r = bus_connect(&b->bus);
        if (r >= 0 && dead_runs)
                r = reap_dead_runs(b->bus, b->run_dir_fd, b->id);
        if (r >= 0)
                r = run_unit(b);
        if (r >= 0)
                overlay_budget_report(&b->dir, b->c->sandbox.disk_max);
        if (!b->unit_may_run && staging_detach(b->run_dir_fd, b->id) < 0 && r >= 0)
                r = -EBUSY;
        return r;
}

static int exit_status(const struct build *b, int r) {
        if (b->outcome.signal != 0) {
                log_error("interrupted by signal %d (%s); the build was stopped", b->outcome.signal,
                          strsignal(b->outcome.signal));
                return 128 + b->outcome.signal;
        }
        return r < 0 ? EXIT_HELPER_ERROR : exit_status_from(b->unit, &b->outcome);
}

/* The overlay's lock, then a build slot: either busy is refused at once. */
static int take_locks(const struct build *b, int run_dir, struct lock *lock, int *slot) {
        unsigned long max = b->c->sandbox.max_builds;
        int r = lock_take(run_dir, b->id, lock);

        if (r == -EBUSY)
                log_error("overlay %lu is busy: another build into it is running", b->id);
        if (r < 0)
                return r;
        *slot = build_slot_take(run_dir, max);
        if (*slot == -EBUSY)
                log_error("%lu build%s running, the most [sandbox] max_builds allows: try again later", max,
                          max == 1 ? " is" : "s are");
        return *slot < 0 ? *slot : 0;
}

static int run_build(struct build *b) {
        /* run_dir first: closed after the lock's release, which uses it */
        _cleanup_close_ int run_dir = -1, slot = -1;
        _cleanup_lock_ struct lock lock = LOCK_NULL;
        uint64_t start = now_usec();
        int r, status;

        r = mount_ns_enter_init();
        if (r < 0)
                return EXIT_HELPER_ERROR;
        run_dir = run_dir_open();
        if (run_dir < 0)
                return EXIT_HELPER_ERROR;
        if (take_locks(b, run_dir, &lock, &slot) < 0)
                return EXIT_HELPER_ERROR;
        b->run_dir_fd = run_dir;
        r = run_locked(b);
        status = exit_status(b, r);
        /* Not while the unit may still write into it through the staging bind. */
        if (status != 0 && !b->unit_may_run)
                overlay_dir_discard_new(&b->dir);
        journal_log_build(&(struct build_record) {
                .caller_uid = b->caller->uid, .id = b->id, .unit = b->unit, .duration_usec = now_usec() - start,
                .exit_status = status, .result = r < 0 ? "helper-error" : b->outcome.result,
        });
        sd_bus_flush_close_unref(b->bus);
        overlay_dir_close(&b->dir);
        return status;
}

static int prepare(struct caller *caller, struct l4m_config *c, int argc, char **argv, unsigned long *id) {
        int r = caller_sanitise(caller);

        if (r >= 0)
                r = args_parse(argc, argv, id);
        if (r >= 0)
                r = config_load(caller->conf, c);
        if (r >= 0)
                r = caller_check(caller, c->service_uid, c->service_user);
        return r;
}

int main(int argc, char **argv) {
        struct caller caller = { 0 };
        struct l4m_config c = { 0 };
        struct build b = { .c = &c, .caller = &caller, .script_fd = -1, .run_dir_fd = -1,
                          .dir = OVERLAY_DIR_NULL };
        int status = EXIT_HELPER_ERROR;

        l4m_log_open("left4me-sandbox");
        l4m_log_set_target(L4M_LOG_STDERR);
        if (block_signals() < 0)
                log_errno(errno, "cannot block signals");
        else if (prepare(&caller, &c, argc, argv, &b.id) >= 0) {
                b.script_fd = script_read(STDIN_FILENO, c.sandbox.script_max);
                if (b.script_fd >= 0)
                        status = run_build(&b);
        }
        if (b.script_fd >= 0)
                close(b.script_fd);
        config_free(&c);
        caller_done(&caller);
        return status;
}
