/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "template_dropins.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "unit_name.h"

#define DROPIN_NAME "50-left4me-generator.conf"
/* The server's command line; left4me@.service carries the same for %S/left4me. */
#define SRCDS_ARGUMENTS "-game left4dead2 -port ${L4D2_PORT} $L4D2_ARGS"

typedef void (*dropin_body)(FILE *f, const struct output *o, const struct l4m_config *c);

static void server_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        const char *rt = c->runtime_dir;

        /* Empty assignments first: they reset what the template set for %S/left4me. */
        fprintf(f, "RequiresMountsFor=%s/%%i/merged\nAssertPathIsMountPoint=\nAssertPathIsMountPoint=%s/%%i/merged\n\n",
                rt, rt);
        fprintf(f, "[Service]\nUser=%u\nGroup=%u\nEnvironmentFile=%s/left4me/%%i.env\n", (unsigned) c->service_uid,
                (unsigned) c->service_gid, o->dir);
        fprintf(f, "WorkingDirectory=%s/%%i/merged\nReadWritePaths=\nReadWritePaths=%s/%%i/merged\n", rt, rt);
        fprintf(f, "ExecStart=\nExecStart=%s/%%i/merged/srcds_run " SRCDS_ARGUMENTS "\n", rt);
}

/* The runtime directories, created by systemd-tmpfiles before every mount of
 * the instance, root-owned parents as the ownership rule asks. merged gets
 * "-" for mode and owner: tmpfiles creates it but never adjusts it, since a
 * mounted merged is the overlay's root, owned by the service user. */
static void runtime_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        const char *rt = c->runtime_dir;
        unsigned su = (unsigned) c->service_uid, sg = (unsigned) c->service_gid;

        fprintf(f, "RequiresMountsFor=%s\nAssertPathExists=%s/left4me/%%i.env\n\n[Service]\n", c->state_dir, o->dir);
        fprintf(f, "StandardInputText=d %s 0711 root root -\n", rt);
        fprintf(f, "StandardInputText=d %s/%%i 0711 root root -\n", rt);
        fprintf(f, "StandardInputText=d %s/%%i/upper 0755 %u %u -\n", rt, su, sg);
        fprintf(f, "StandardInputText=d %s/%%i/work 0700 %u %u -\n", rt, su, sg);
        fprintf(f, "StandardInputText=d %s/%%i/merged - - - -\n", rt);
        /* 0700: through its idmapped binds the sandbox's layers read as the service
         * user's, writable by it; only the overlay, mounted by root, looks there. */
        fprintf(f, "StandardInputText=d %s/%%i/idmap 0700 root root -\n", rt);
}

/* The escaped runtime directory as a systemctl glob inside ExecStart=: a
 * backslash of the unit name must survive the unit file's C unescaping and
 * then stand for itself in fnmatch(), so each one is written four times. */
static void print_mount_glob(FILE *f, const char *runtime_dir) {
        char esc[L4M_UNIT_NAME_MAX + 1];

        if (unit_name_from_path(runtime_dir, "", esc, sizeof esc) < 0)
                return; /* config_load() refuses such a state_dir */
        for (const char *p = esc; *p; p++)
                fputs(*p == '\\' ? "\\\\\\\\" : (char[2]){ *p, 0 }, f);
        fputs("-%i-*.mount", f);
}

/* One systemctl call stops the server, every mount of the instance (also
 * idmapped binds of layers no longer listed) and the runtime unit, so the
 * next start recreates the directories; it returns when all are done, where a
 * plain stop of the server returns before its mounts are gone. Its jobs are
 * irreversible: a start arriving meanwhile is refused instead of cancelling
 * them, which would fail the wipe after the caller was told it had begun. */
static void wipe_body(FILE *f, const struct output *o, const struct l4m_config *c, const char *const *removals) {
        fprintf(f, "RequiresMountsFor=%s\nAssertPathExists=|%s/left4me/%%i.env\nAssertPathIsDirectory=|%s/%%i\n\n",
                c->state_dir, o->dir, c->runtime_dir);
        fputs("[Service]\nExecStart=systemctl --job-mode=replace-irreversibly stop left4me@%i.service "
              "left4me-runtime@%i.service ", f);
        print_mount_glob(f, c->runtime_dir);
        fputs("\nExecStart=systemd-tmpfiles --remove -\n", f);
        for (const char *const *r = removals; *r; r++)
                fprintf(f, "StandardInputText=R %s/%%i%s - - - -\n", c->runtime_dir, *r);
}

static void reset_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        static const char *const paths[] = { "/upper", "/work", NULL };
        wipe_body(f, o, c, paths);
}

static void delete_body(FILE *f, const struct output *o, const struct l4m_config *c) {
        static const char *const paths[] = { "", NULL };
        wipe_body(f, o, c, paths);
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
                { "left4me-runtime@.service", runtime_body },
                { "left4me-reset@.service", reset_body },
                { "left4me-delete@.service", delete_body },
        };

        for (size_t i = 0; i < sizeof dropins / sizeof dropins[0]; i++) {
                int r = emit_dropin(o, c, dropins[i].template, dropins[i].body);
                if (r < 0)
                        return r;
        }
        return 0;
}
