/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "transient_unit.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "build_unit_name.h"
#include "bus_util.h"
#include "cidr.h"
#include "log.h"

#define USEC_PER_SEC 1000000ULL

/* The script (the sealed memfd on stdin) moves to fd 3 and the script gets
 * /dev/null as stdin: commands in it that read stdin must not consume the
 * rest of the script, nor see anything from the caller.
 * With PrivatePIDs= the shell is PID 1 of its namespace, and the kernel
 * delivers to that only the signals it has a handler for. So before it reads
 * the script, the shell traps each signal whose default is to terminate and
 * that arrives from outside its own code (not a fault), exiting with 128+N as
 * a shell reports a child killed by N: SIGTERM on stop and the script's own
 * "kill $$" end it as they would end any shell. One shell, no second exec. */
static const int script_exit_signals[] = {
        SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
};
#define SCRIPT_SOURCE ". /proc/self/fd/3 3<&0 </dev/null"
#define SCRIPT_RUNNER_MAX 512

static int format_script_runner(char *buf, size_t size) {
        size_t len = 0;
        int n;

        for (size_t i = 0; i < sizeof script_exit_signals / sizeof script_exit_signals[0]; i++) {
                n = snprintf(buf + len, size - len, "trap 'exit %d' %d; ", 128 + script_exit_signals[i],
                             script_exit_signals[i]);
                if (n < 0 || (size_t) n >= size - len)
                        return -ENAMETOOLONG;
                len += (size_t) n;
        }
        n = snprintf(buf + len, size - len, "%s", SCRIPT_SOURCE);
        return n < 0 || (size_t) n >= size - len ? -ENAMETOOLONG : 0;
}

static int append_bool(sd_bus_message *m, const char *name, bool v) {
        return sd_bus_message_append(m, "(sv)", name, "b", (int) v);
}
static int append_str(sd_bus_message *m, const char *name, const char *v) {
        return sd_bus_message_append(m, "(sv)", name, "s", v);
}
static int append_u64(sd_bus_message *m, const char *name, uint64_t v) {
        return sd_bus_message_append(m, "(sv)", name, "t", v);
}

static int append_cidr(sd_bus_message *m, const struct cidr *c) {
        int r = sd_bus_message_open_container(m, 'r', "iayu");
        if (r >= 0)
                r = sd_bus_message_append(m, "i", (int32_t) c->family);
        if (r >= 0)
                r = sd_bus_message_append_array(m, 'y', c->addr, cidr_addr_len(c));
        if (r >= 0)
                r = sd_bus_message_append(m, "u", c->prefixlen);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

/* The built-in list is text, shared with the generator's unit files; what
 * left4me.conf adds was parsed by config_load(). */
static int append_denied_network(sd_bus_message *m, const char *text) {
        struct cidr c;
        int r = cidr_parse(text, &c);

        return r < 0 ? r : append_cidr(m, &c);
}

static int append_ip_deny(sd_bus_message *m, const struct l4m_sandbox_config *s) {
        int r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", "IPAddressDeny");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "a(iayu)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(iayu)");
        /* Never paired with IPAddressAllow=: an allow match anywhere wins over a deny. */
        for (const char *const *n = cidr_denied_networks; r >= 0 && *n; n++)
                r = append_denied_network(m, *n);
        for (size_t i = 0; r >= 0 && i < s->n_deny_networks; i++)
                r = append_cidr(m, &s->deny_networks[i]);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        /* The host's own addresses, whatever they are when the build runs, are
         * reached only through the loopback interface. */
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "RestrictNetworkInterfaces", "(bas)", 0, 1, "lo");
        return r;
}

static int append_exec(sd_bus_message *m) {
        char runner[SCRIPT_RUNNER_MAX];
        int r = format_script_runner(runner, sizeof runner);

        if (r < 0)
                return r;
        return sd_bus_message_append(m, "(sv)", "ExecStart", "a(sasb)", 1, "/bin/sh", 3, "/bin/sh", "-c", runner, 0);
}

static int append_environment(sd_bus_message *m, unsigned long id) {
        char overlay_id[48];

        snprintf(overlay_id, sizeof overlay_id, "LEFT4ME_OVERLAY_ID=%lu", id);
        return sd_bus_message_append(m, "(sv)", "Environment", "as", 4, "HOME=/tmp", "LANG=C.UTF-8",
                                     "LEFT4ME_OVERLAY=/overlay", overlay_id);
}

static int append_identity(sd_bus_message *m, const struct unit_request *q) {
        char desc[96];
        int r;

        snprintf(desc, sizeof desc, "left4me build into overlay %lu", q->id);
        r = append_str(m, "Description", desc);
        if (r >= 0)
                r = append_str(m, "Type", "exec");
        if (r >= 0)
                r = append_str(m, "User", q->c->sandbox_user);
        if (r >= 0)
                r = append_str(m, "Group", q->c->sandbox_user);
        if (r >= 0)
                r = append_str(m, "Slice", SANDBOX_SLICE);
        /* AddRef keeps the finished unit loaded until we have read its result;
         * CollectMode then lets it go even when it failed. */
        if (r >= 0)
                r = append_bool(m, "AddRef", true);
        if (r >= 0)
                r = append_str(m, "CollectMode", "inactive-or-failed");
        if (r >= 0)
                r = append_exec(m);
        if (r >= 0)
                r = append_environment(m, q->id);
        if (r >= 0)
                r = append_str(m, "WorkingDirectory", "/overlay");
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "UMask", "u", (uint32_t) 0022);
        return r;
}

static int append_stdio(sd_bus_message *m, const struct unit_request *q) {
        int r = sd_bus_message_append(m, "(sv)", "StandardInputFileDescriptor", "h", q->script_fd);
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "StandardOutputFileDescriptor", "h", STDOUT_FILENO);
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "StandardErrorFileDescriptor", "h", STDERR_FILENO);
        return r;
}

static int append_limits(sd_bus_message *m, const struct l4m_sandbox_config *s) {
        int r = append_u64(m, "RuntimeMaxUSec", (uint64_t) s->time_limit_sec * USEC_PER_SEC);
        if (r >= 0)
                r = append_u64(m, "TimeoutStopUSec", 10 * USEC_PER_SEC);
        if (r >= 0)
                r = append_u64(m, "MemoryMax", s->memory_max);
        if (r >= 0)
                r = append_u64(m, "MemorySwapMax", 0);
        if (r >= 0)
                r = append_u64(m, "TasksMax", s->tasks_max);
        if (r >= 0)
                r = append_u64(m, "CPUWeight", s->cpu_weight);
        if (r >= 0)
                r = append_u64(m, "IOWeight", s->io_weight);
        /* Under memory pressure the build dies first, and all of it. */
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "OOMScoreAdjust", "i", (int32_t) 1000);
        if (r >= 0)
                r = append_str(m, "OOMPolicy", "kill");
        return r;
}

static int append_filesystem(sd_bus_message *m, const struct unit_request *q) {
        char instances[1100];
        int r;

        /* What the web app writes stays out of sight; "-": it may not exist yet. */
        snprintf(instances, sizeof instances, "-%s", q->c->instances_dir);
        r = append_str(m, "ProtectSystem", "strict");
        if (r >= 0)
                r = append_str(m, "ProtectHome", "yes");
        if (r >= 0)
                r = append_str(m, "PrivateTmpEx", "disconnected");
        if (r >= 0)
                r = append_bool(m, "PrivateDevices", true);
        /* /run: no system bus, no journal socket to forge records on; /dev/shm:
         * PrivateDevices= alone binds the host's into the private /dev. */
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "TemporaryFileSystem", "a(ss)", 3, "/var/lib", "ro", "/run", "ro",
                                          "/dev/shm", "mode=1777,nosuid,nodev,noexec");
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "InaccessiblePaths", "as", 1, instances);
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "BindPaths", "a(ssbt)", 1, q->staging, "/overlay", 0,
                                          (uint64_t) 0);
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "BindReadOnlyPaths", "a(ssbt)", 1, q->c->sandbox.resolv_conf,
                                          "/etc/resolv.conf", 0, (uint64_t) 0);
        return r;
}

static int append_kernel(sd_bus_message *m) {
        static const char *const flags[] = {
                "NoNewPrivileges", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
                "ProtectControlGroups", "ProtectClock", "ProtectHostname", "RestrictSUIDSGID",
                "LockPersonality", "MemoryDenyWriteExecute", "RestrictRealtime", "PrivateIPC", "RemoveIPC",
        };
        int r = 0;

        for (size_t i = 0; r >= 0 && i < sizeof flags / sizeof flags[0]; i++)
                r = append_bool(m, flags[i], true);
        if (r >= 0)
                r = append_str(m, "ProtectProc", "invisible");
        if (r >= 0)
                r = append_str(m, "ProcSubset", "pid");
        if (r >= 0)
                r = append_str(m, "PrivatePIDs", "yes");
        /* The disk budget ([sandbox] disk_max) is a project quota, and in the
         * init user namespace a file's owner may change its project ID
         * (FS_IOC_FSSETXATTR, chattr -p): through the idmapped staging bind
         * the build owns its files, and could move them out of the budget.
         * The kernel refuses a project ID change from any other user
         * namespace. systemd maps root and the unit's user and group to
         * themselves ("self"), so the staging bind, which shows the server
         * user's files as the sandbox user's, works as before. */
        if (r >= 0)
                r = append_bool(m, "PrivateUsers", true);
        if (r >= 0)
                r = append_str(m, "KeyringMode", "private");
        if (r >= 0)
                r = append_u64(m, "CapabilityBoundingSet", 0);
        if (r >= 0)
                r = append_u64(m, "AmbientCapabilities", 0);
        /* The value is the set of namespace types allowed: none. */
        if (r >= 0)
                r = append_u64(m, "RestrictNamespaces", 0);
        return r;
}

static int append_syscalls(sd_bus_message *m) {
        int r = sd_bus_message_append(m, "(sv)", "RestrictAddressFamilies", "(bas)", 1, 3, "AF_INET", "AF_INET6",
                                      "AF_UNIX");
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "SystemCallArchitectures", "as", 1, "native");
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "SystemCallFilter", "(bas)", 1, 1, "@system-service");
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "SystemCallFilter", "(bas)", 0, 11, "@privileged",
                                          "@resources", "@mount", "@debug", "@keyring", "@module", "@raw-io",
                                          "@reboot", "@swap", "@obsolete", "@cpu-emulation");
        /* A build binds no port at all (it could squat a game server's). */
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "SocketBindDeny", "a(iiqq)", 1, AF_UNSPEC, 0, (uint16_t) 0,
                                          (uint16_t) 0);
        /* EPERM rather than SIGSYS: a script probing a syscall gets an error it can report. */
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "SystemCallErrorNumber", "i", (int32_t) EPERM);
        return r;
}

static int append_properties(sd_bus_message *m, const struct unit_request *q) {
        int r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r >= 0)
                r = append_identity(m, q);
        if (r >= 0)
                r = append_stdio(m, q);
        if (r >= 0)
                r = append_limits(m, &q->c->sandbox);
        if (r >= 0)
                r = append_filesystem(m, q);
        if (r >= 0)
                r = append_kernel(m);
        if (r >= 0)
                r = append_syscalls(m);
        if (r >= 0)
                r = append_ip_deny(m, &q->c->sandbox);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

int transient_unit_start(sd_bus *bus, const struct unit_request *q, char **job_path) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *path;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                           "org.freedesktop.systemd1.Manager", "StartTransientUnit");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", q->name, "fail");
        if (r >= 0)
                r = append_properties(m, q);
        if (r >= 0)
                r = sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return log_errno_at(q->name, r, "cannot build the StartTransientUnit call");
        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return l4m_log_at(LOG_ERR, q->name, 0, r, "cannot start: %s",
                                  error.message ? error.message : strerror(-r));
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return log_errno_at(q->name, r, "cannot read the reply to StartTransientUnit");
        *job_path = strdup(path);
        return *job_path ? 0 : -ENOMEM;
}
