/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "watch.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"

struct unit_watch {
        sd_bus *bus;
        sd_event *event;
        char *name, *path;
        const char *job_path;
        sd_bus_slot *changed, *removed;
        struct unit_outcome *o;
        struct seen {
                char active_state[32]; /* "" until a Unit signal carried it */
                char result[32];       /* "" until a Service signal carried it */
                int32_t main_code, main_status;
        } seen;
        bool settled;     /* the start job is gone: the signals' states are current */
        bool from_signal; /* finished on a signal, so `seen` holds the final outcome */
        bool done;
        int error;
};

static bool is_terminal(const char *state) {
        return strcmp(state, "inactive") == 0 || strcmp(state, "failed") == 0;
}

static int read_string(struct unit_watch *w, const char *iface, const char *prop, char *buf, size_t size) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        char *s = NULL;
        int r = sd_bus_get_property_string(w->bus, SD_DEST, w->path, iface, prop, &e, &s);

        if (r < 0)
                return r;
        snprintf(buf, size, "%s", s);
        free(s);
        return 0;
}

static int read_job_pending(struct unit_watch *w, bool *pending) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        uint32_t id;
        const char *path;
        int r = sd_bus_get_property(w->bus, SD_DEST, w->path, "org.freedesktop.systemd1.Unit", "Job", &e, &reply,
                                    "(uo)");

        if (r >= 0)
                r = sd_bus_message_read(reply, "(uo)", &id, &path);
        if (r >= 0)
                *pending = id != 0;
        return r;
}

static int is_finished(struct unit_watch *w, bool *finished) {
        char state[32];
        bool pending;
        int r = read_string(w, "org.freedesktop.systemd1.Unit", "ActiveState", state, sizeof state);

        if (r >= 0)
                r = read_job_pending(w, &pending);
        if (r >= 0)
                *finished = !pending && is_terminal(state);
        return r;
}

static int read_outcome(struct unit_watch *w) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        const char *iface = "org.freedesktop.systemd1.Service";
        int r = read_string(w, iface, "Result", w->o->result, sizeof w->o->result);

        if (r >= 0)
                r = sd_bus_get_property_trivial(w->bus, SD_DEST, w->path, iface, "ExecMainCode", &e, 'i',
                                                &w->o->main_code);
        if (r >= 0)
                r = sd_bus_get_property_trivial(w->bus, SD_DEST, w->path, iface, "ExecMainStatus", &e, 'i',
                                                &w->o->main_status);
        return r;
}

/* The loop is left by this flag, not sd_event_exit(): an exiting event loop
 * closes the bus attached to it, which is still needed afterwards. */
static void finish(struct unit_watch *w, int error) {
        if (w->done)
                return;
        w->done = true;
        w->error = error;
}

static void check(struct unit_watch *w) {
        bool finished = false;
        int r = is_finished(w, &finished);

        if (r < 0)
                finish(w, log_errno_at(w->name, r, "cannot read the unit's state"));
        else if (finished)
                finish(w, 0);
}

/* Copies one changed property we care about from the signal into `seen`;
 * skips every other. */
static int take_property(sd_bus_message *m, struct seen *seen, bool unit_iface) {
        const char *key, *text;
        int r = sd_bus_message_read(m, "s", &key);

        if (r < 0)
                return r;
        if (unit_iface && strcmp(key, "ActiveState") == 0) {
                r = sd_bus_message_read(m, "v", "s", &text);
                if (r >= 0)
                        snprintf(seen->active_state, sizeof seen->active_state, "%s", text);
        } else if (!unit_iface && strcmp(key, "Result") == 0) {
                r = sd_bus_message_read(m, "v", "s", &text);
                if (r >= 0)
                        snprintf(seen->result, sizeof seen->result, "%s", text);
        } else if (!unit_iface && strcmp(key, "ExecMainCode") == 0)
                r = sd_bus_message_read(m, "v", "i", &seen->main_code);
        else if (!unit_iface && strcmp(key, "ExecMainStatus") == 0)
                r = sd_bus_message_read(m, "v", "i", &seen->main_status);
        else
                r = sd_bus_message_skip(m, "v");
        return r;
}

/* Reads a PropertiesChanged signal of the Unit or Service interface into
 * `seen`: 1 if it was the Unit interface's, 0 if the Service's or another's,
 * or a negative errno. */
static int take_changes(sd_bus_message *m, struct seen *seen) {
        const char *iface;
        bool unit_iface;
        int r = sd_bus_message_read(m, "s", &iface);

        if (r < 0)
                return r;
        unit_iface = strcmp(iface, "org.freedesktop.systemd1.Unit") == 0;
        if (!unit_iface && strcmp(iface, "org.freedesktop.systemd1.Service") != 0)
                return 0;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = take_property(m, seen, unit_iface);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        }
        return r < 0 ? r : unit_iface;
}

/* The state the signals last carried, if it is final. */
static bool seen_terminal(const struct unit_watch *w) {
        return w->seen.active_state[0] && is_terminal(w->seen.active_state);
}

static void finish_on_signal(struct unit_watch *w) {
        w->from_signal = w->seen.result[0] != 0;
        finish(w, 0);
}

/* PID 1 sends a unit's Service properties, then its Unit properties, in
 * that order, with current values; and it sends every change of the unit
 * before its job's JobRemoved. So once the start job is gone, a final
 * ActiveState in a signal ends the watch with the outcome beside it, and
 * no property has to be read back. Before that the state says nothing: the
 * unit is inactive until the job runs. */
static int on_changed(sd_bus_message *m, void *userdata, sd_bus_error *e) {
        struct unit_watch *w = userdata;

        (void) e;
        if (take_changes(m, &w->seen) > 0 && w->settled && seen_terminal(w))
                finish_on_signal(w);
        return 0;
}

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *e) {
        struct unit_watch *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        (void) e;
        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->job_path && strcmp(path, w->job_path) == 0) {
                snprintf(w->o->job_result, sizeof w->o->job_result, "%s", result);
                w->settled = true;
                /* The state the signals carried is current now; only when
                 * none carried one does check() below read it. */
                if (w->seen.active_state[0]) {
                        if (seen_terminal(w))
                                finish_on_signal(w);
                        return 0;
                }
        }
        if (w->settled && strcmp(unit, w->name) == 0)
                check(w);
        return 0;
}

int unit_stop(sd_bus *bus, const char *name) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit", &e, NULL, "ss", name, "replace");

        if (r < 0 && !sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit"))
                return l4m_log_at(LOG_ERR, name, 0, r, "cannot stop: %s", e.message ? e.message : strerror(-r));
        return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        struct unit_watch *w = userdata;

        (void) s;
        if (w->o->signal != 0)
                return 0;
        w->o->signal = (int) si->ssi_signo;
        if (unit_stop(w->bus, w->name) < 0)
                finish(w, -EIO);
        return 0;
}

static int on_match_installed(sd_bus_message *m, void *userdata, sd_bus_error *e) {
        struct unit_watch *w = userdata;
        const sd_bus_error *error = sd_bus_message_get_error(m);

        (void) e;
        if (error)
                finish(w, l4m_log_at(LOG_ERR, w->name, 0, sd_bus_message_get_errno(m),
                                     "cannot watch the unit's changes: %s", error->message));
        return 0;
}

/* The matches go out without waiting for their replies: the bus handles a
 * connection's messages in order, so they are in place before the call
 * that starts or stops the unit reaches PID 1. */
int unit_watch_new(sd_bus *bus, const char *name, struct unit_watch **ret) {
        struct unit_watch *w = calloc(1, sizeof *w);
        int r;

        if (!w)
                return -ENOMEM;
        w->bus = sd_bus_ref(bus);
        w->name = strdup(name);
        r = w->name ? sd_bus_path_encode(SD_PATH "/unit", name, &w->path) : -ENOMEM;
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &w->changed, SD_DEST, w->path, "org.freedesktop.DBus.Properties",
                                              "PropertiesChanged", on_changed, on_match_installed, w);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &w->removed, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved",
                                              on_job_removed, on_match_installed, w);
        if (r < 0) {
                unit_watch_free(w);
                return log_errno_at(name, r, "cannot watch the unit's changes");
        }
        *ret = w;
        return 0;
}

static int watch_signals(struct unit_watch *w) {
        static const int signals[] = { SIGTERM, SIGINT, SIGHUP };
        int r = 0;

        for (size_t i = 0; r >= 0 && i < sizeof signals / sizeof signals[0]; i++)
                r = sd_event_add_signal(w->event, NULL, signals[i], on_signal, w);
        return r;
}

static int run_loop(struct unit_watch *w) {
        int r = sd_event_new(&w->event);

        if (r >= 0)
                r = sd_bus_attach_event(w->bus, w->event, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0)
                r = watch_signals(w);
        if (r < 0)
                return log_errno_at(w->name, r, "cannot set up the event loop");
        /* Without a job to wait for, the state read now is current. */
        if (!w->job_path) {
                w->settled = true;
                check(w);
        }
        while (!w->done && sd_event_get_state(w->event) != SD_EVENT_FINISHED) {
                r = sd_event_run(w->event, UINT64_MAX);
                if (r < 0)
                        return log_errno_at(w->name, r, "event loop failed");
        }
        sd_bus_detach_event(w->bus);
        if (!w->done)
                return l4m_log_at(LOG_ERR, w->name, 0, ECONNRESET, "lost the connection to systemd");
        return w->error;
}

int unit_watch_run(struct unit_watch *w, const char *job_path, struct unit_outcome *o) {
        memset(o, 0, sizeof *o);
        memset(&w->seen, 0, sizeof w->seen);
        w->from_signal = false;
        w->o = o;
        w->job_path = job_path;
        w->settled = false;
        w->done = false;
        sd_bus_set_exit_on_disconnect(w->bus, 1);
        return run_loop(w);
}

int unit_watch_result(struct unit_watch *w) {
        int r = 0;

        if (w->from_signal) {
                snprintf(w->o->result, sizeof w->o->result, "%s", w->seen.result);
                w->o->main_code = w->seen.main_code;
                w->o->main_status = w->seen.main_status;
        } else
                r = read_outcome(w);

        if (r < 0)
                return log_errno_at(w->name, r, "cannot read the unit's result");
        return 0;
}

struct unit_watch *unit_watch_free(struct unit_watch *w) {
        if (!w)
                return NULL;
        sd_bus_slot_unref(w->changed);
        sd_bus_slot_unref(w->removed);
        sd_event_unref(w->event);
        sd_bus_unref(w->bus);
        free(w->path);
        free(w->name);
        free(w);
        return NULL;
}
