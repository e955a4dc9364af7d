/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "template_dropins.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "cleanup.h"
#include "budget.h"
#include "idmap_views.h"
#include "path.h"
#include "runtime_layout.h"
#include "unit_name.h"

#define DROPIN_NAME "50-left4me-generator.conf"
/* The server's command line; left4me@.service carries the same for %S/left4me.
 * -norestart: srcds_run then execs the server instead of restarting it
 * itself, so its crashes reach PID 1's Restart= and start limit. */
#define SRCDS_ARGUMENTS "-game left4dead2 -norestart -port ${L4D2_PORT} +clientport ${L4D2_CLIENT_PORT} " \
                        "+tv_port ${L4D2_TV_PORT} -sport ${L4D2_STEAM_PORT} $L4D2_ARGS"

typedef void (*dropin_body)(FILE *f, const struct output *o, const struct l4m_config *c);

/* A server sees its own game directory and nothing else of the state tree
 * (other tenants' runtime, the layers, the web app's files), and neither the
 * configuration nor the instance files: hidden, not read-only. Its resolver
 * is the public one of left4me.conf, since the host's is often on a network
 * it may not reach; bind sources are looked up outside the hidden paths. */
static void server_view(FILE *f, const struct l4m_config *c) {
        _cleanup_free_ char *conf_dir = path_parent(c->path);
        const char *rt = c->runtime_dir, *reason;

        fprintf(f, "TemporaryFileSystem=%s:ro\nBindPaths=%s/%%i/merged\n", c->state_dir, rt);
        fprintf(f, "WorkingDirectory=%s/%%i/merged\n", rt);
        fprintf(f, "InaccessiblePaths=-%s\n", c->instances_dir);
        /* The directory of left4me.conf, unless that is /etc itself. */
        if (conf_dir && path_check_safe(conf_dir, &reason) == 0 && strcmp(conf_dir, "/etc") != 0)
                fprintf(f, "InaccessiblePaths=-%s\n", conf_dir);
        else if (path_check_safe(c->path, &reason) == 0)
                fprintf(f, "InaccessiblePaths=-%s\n", c->path);
        fprintf(f, "BindReadOnlyPaths=%s:/etc/resolv.conf\n", c->sandbox.resolv_conf);
}

/* The networks a server may not reach, and the exceptions left4me.conf
 * names. The host's own addresses, whatever they are at any moment, are
 * reached only through the loopback interface, which a server may not use
 * unless an exception was made (that may be a service on the host itself). */
static void server_network(FILE *f, const struct l4m_config *c) {
        const struct l4m_server_config *s = &c->server;

        fputs("IPAddressDeny=", f);
        for (const char *const *n = cidr_denied_networks; *n; n++)
                fprintf(f, "%s%s", n == cidr_denied_networks ? "" : " ", *n);
        fputc('\n', f);
        for (size_t i = 0; i < s->n_allow_networks; i++) {
                char prefix[CIDR_TEXT_MAX];
                cidr_format(&s->allow_networks[i], prefix);
                fprintf(f, "IPAddressAllow=%s\n", prefix);
        }
        if (s->n_allow_networks == 0)
                fputs("RestrictNetworkInterfaces=~lo\n", f);
}

static void server_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        const char *rt = c->runtime_dir;

        /* Empty assignments first: they reset what the template set for %S/left4me. */
        fprintf(f, "RequiresMountsFor=%s/%%i/merged\nAssertPathIsMountPoint=\nAssertPathIsMountPoint=%s/%%i/merged\n\n",
                rt, rt);
        fprintf(f, "[Service]\nUser=%u\nGroup=%u\nEnvironmentFile=%s/left4me/%%i.env\n", (unsigned) c->server_uid,
                (unsigned) c->server_gid, o->dir);
        server_view(f, c);
        server_network(f, c);
        /* Also in the namespace's settings (journal_config.c); here, a change
         * takes effect at the server's next start. 0 (no limit) is only
         * expressible there: PID 1 treats a 0 here as unset. */
        if (c->logs.rate_burst > 0)
                fprintf(f, "LogRateLimitIntervalSec=%lus\nLogRateLimitBurst=%lu\n", c->logs.rate_interval_sec,
                        c->logs.rate_burst);
        fprintf(f, "ExecStart=\nExecStart=%s/%%i/merged/srcds_run " SRCDS_ARGUMENTS "\n", rt);
}

/* The console belongs to the web app's user, whoever left4me.conf names. */
static void console_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        (void) o;
        fprintf(f, "\n[Socket]\nSocketUser=%u\nSocketGroup=%u\n", (unsigned) c->service_uid, (unsigned) c->service_gid);
}

/* The runtime directories (runtime_layout.c), created by systemd-tmpfiles
 * before every mount of the instance. */
static void runtime_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        fprintf(f, "RequiresMountsFor=%s\nAssertPathExists=%s/left4me/%%i.env\n\n[Service]\n", c->state_dir, o->dir);
        for (size_t i = 0; i < runtime_layout_len; i++) {
                fputs("StandardInputText=", f);
                runtime_entry_print_tmpfiles(f, &runtime_layout[i], c, "%i");
        }
        fprintf(f, "StandardInputText=d %s/" IDMAP_VIEWS_DIR " " IDMAP_VIEWS_DIR_MODE " root root -\n", c->runtime_dir);
        /* The writable layer's project ID and disk budget (0: none; an
         * instance's own drop-in sets it), before the mounts use it. */
        fprintf(f, "Environment=LEFT4ME_DISK_MAX_BYTES=0\nExecStart=" L4M_LIBEXECDIR
                   "/left4me-quota instance %%i ${LEFT4ME_DISK_MAX_BYTES} %s/%%i/upper %s/%%i/work\n",
                c->runtime_dir, c->runtime_dir);
}

/* The escaped runtime directory as a systemctl glob inside ExecStart=: a
 * backslash of the unit name must survive the unit file's C unescaping and
 * then stand for itself in fnmatch(), so each one is written four times. */
static void print_mount_glob(FILE *f, const char *runtime_dir) {
        char esc[L4M_UNIT_NAME_MAX + 1];

        if (unit_name_from_path(runtime_dir, "", esc, sizeof esc) < 0)
                return; /* config_rules_check() refuses such a state_dir */
        for (const char *p = esc; *p; p++)
                fputs(*p == '\\' ? "\\\\\\\\" : (char[2]){ *p, 0 }, f);
        fputs("-%i-*.mount", f);
}

/* One systemctl call stops the server, every mount of the instance (its
 * overlay; the lower roots' idmapped views are shared, PID 1 unmounts them
 * when no overlay needs them) and the runtime unit, so the
 * next start recreates the directories; it returns when all are done, where a
 * plain stop of the server returns before its mounts are gone. Its jobs are
 * irreversible: a start arriving meanwhile is refused instead of cancelling
 * them, which would fail the wipe after the caller was told it had begun.
 * Then what is to be wiped is renamed into a new directory of the trash, at
 * once whatever its size (mv --no-copy: a rename or nothing), and
 * left4me-trash.service removes it from there. */
static void wipe_body(FILE *f, const struct output *o, const struct l4m_config *c, const char *const *names) {
        fprintf(f, "RequiresMountsFor=%s\nAssertPathExists=|%s/left4me/%%i.env\nAssertPathIsDirectory=|%s/%%i\n"
                   "Wants=left4me-trash.path\n\n",
                c->state_dir, o->dir, c->runtime_dir);
        fputs("[Service]\nExecStart=systemctl --job-mode=replace-irreversibly stop left4me@%i.service "
              "left4me-runtime@%i.service ", f);
        print_mount_glob(f, c->runtime_dir);
        fprintf(f, "\nExecStart=/bin/sh -ec 'install -d -m 0700 %s; t=$$(mktemp -d %s/%%i.XXXXXXXX); ", c->trash_dir,
                c->trash_dir);
        for (const char *const *n = names; *n; n++)
                fprintf(f, "if [ -e %s/%%i%s ]; then mv -T --no-copy %s/%%i%s \"$$t/%s\"; fi; ", c->runtime_dir, *n,
                        c->runtime_dir, *n, **n ? *n + 1 : "runtime");
        fputs("'\n", f);
}

static void reset_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        static const char *const names[] = { "/upper", "/work", NULL };
        wipe_body(f, o, c, names);
}

static void delete_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        static const char *const names[] = { "", NULL };
        wipe_body(f, o, c, names);
}

/* Removes every entry of the trash: rm -rf as root removes whatever a server
 * can leave (sticky, mode 0000, whiteouts and other devices, fifos, sockets,
 * hard links, any name), follows no symlink and, with --one-file-system,
 * enters no other mount; whatever it cannot remove it names, and fails. */
static void trash_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        (void) o;
        fprintf(f, "RequiresMountsFor=%s\n\n[Service]\n", c->state_dir);
        fprintf(f, "ExecStart=find %s -mindepth 1 -maxdepth 1 -exec rm -rf --one-file-system -- {} +\n", c->trash_dir);
}

static void trash_path_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        (void) o;
        fprintf(f, "RequiresMountsFor=%s\n\n[Path]\nDirectoryNotEmpty=%s\n", c->state_dir, c->trash_dir);
}

/* What all servers, and all builds, may use together ([server] and
 * [sandbox] total_*). */
static void server_slice_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        (void) o;
        fputs("\n[Slice]\n", f);
        budget_print_properties(f, &c->server.total);
}

static void sandbox_slice_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        (void) o;
        fputs("\n[Slice]\n", f);
        budget_print_properties(f, &c->sandbox.total);
}

static int emit_dropin(struct output *o, const struct l4m_config *c, const char *template, dropin_body body) {
        _cleanup_free_ char *buf = NULL;
        char rel[128];
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return -ENOMEM;
        output_header(f, c->path);
        fprintf(f, "[Unit]\nSourcePath=%s\n", c->path);
        body(f, o, c);
        if (fclose(f) != 0)
                return -ENOMEM;
        snprintf(rel, sizeof rel, "%s.d/" DROPIN_NAME, template);
        return output_write(o, rel, buf, len);
}

int template_dropins_emit(struct output *o, const struct l4m_config *c) {
        static const struct {
                const char *template;
                dropin_body body;
        } dropins[] = {
                { "left4me@.service", server_body },
                { "left4me-console@.socket", console_body },
                { "left4me-runtime@.service", runtime_body },
                { "left4me-reset@.service", reset_body },
                { "left4me-delete@.service", delete_body },
                { "left4me-trash.service", trash_body },
                { "left4me-trash.path", trash_path_body },
                { "left4me.slice", server_slice_body },
                { "left4me-sandbox.slice", sandbox_slice_body },
        };

        for (size_t i = 0; i < sizeof dropins / sizeof dropins[0]; i++) {
                int r = emit_dropin(o, c, dropins[i].template, dropins[i].body);
                if (r < 0)
                        return r;
        }
        /* At every boot, so that a removal a crash or reboot cut short is finished. */
        return output_symlink(o, "multi-user.target.wants/left4me-trash.path", L4M_UNITDIR "/left4me-trash.path");
}
