/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "units.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "unit_name.h"

#define SERVICE_TEMPLATE "left4me@.service"

/* Not system.slice, where mounts go by default: why is in
 * templates/system-left4me.slice. */
#define MOUNT_SLICE "Slice=system-left4me.slice\n"

struct unit_text {
        char *buf;
        size_t len;
        FILE *f;
};

static int text_begin(struct unit_text *t, const char *source) {
        t->buf = NULL;
        t->f = open_memstream(&t->buf, &t->len);
        if (!t->f)
                return -ENOMEM;
        output_header(t->f, source);
        return 0;
}

static int text_write(struct unit_text *t, struct output *o, const char *rel) {
        int r = fclose(t->f) == 0 ? output_write(o, rel, t->buf, t->len) : -ENOMEM;
        free(t->buf);
        return r;
}

static void unit_section(FILE *f, const struct instance *in, const char *description) {
        fprintf(f, "[Unit]\nDescription=left4me instance %u: %s\nDocumentation=man:left4me-generator(8) "
                   "man:left4me-instance(5)\nSourcePath=%s\n", in->id, description, in->source);
}

/* Mounts are ordered by hand: the default local-fs.target ordering would
 * form a cycle with the runtime service they need. No start limit of their
 * own: only the server's restart rules may refuse a start, and a mount failed
 * on its count would stay failed for the web app. */
static void mount_dependencies(FILE *f) {
        fputs("DefaultDependencies=no\nConflicts=umount.target\nBefore=umount.target\nAfter=local-fs.target\n"
              "StopWhenUnneeded=yes\nStartLimitIntervalSec=0\n", f);
}

/* PartOf= makes a restart of the server remount its overlay, so new layers
 * after daemon-reload take effect. */
static void instance_mount_dependencies(FILE *f, unsigned id) {
        mount_dependencies(f);
        fprintf(f, "PartOf=left4me@%u.service\nRequires=left4me-runtime@%u.service\nAfter=left4me-runtime@%u.service\n",
                id, id, id);
}

/* A view stays mounted while any overlay needs it and shows the root as it is
 * now (a bind of the root itself, not of a copy): what a layer below it holds
 * is read when an overlay is mounted, as with the layer's own path. */
static int emit_idmap_view(struct output *o, const struct l4m_config *c, const struct idmap_view *v) {
        struct unit_text t;
        int r = text_begin(&t, c->path);

        if (r < 0)
                return r;
        fprintf(t.f, "[Unit]\nDescription=left4me: %s as the game servers' user sees what uid %u owns\n"
                     "Documentation=man:left4me-generator(8) man:left4me-instance(5)\nSourcePath=%s\n",
                v->root, (unsigned) v->uid, c->path);
        mount_dependencies(t.f);
        fprintf(t.f, "\n[Mount]\n" MOUNT_SLICE "What=%s\nWhere=%s\nType=none\n"
                     "Options=bind,X-mount.idmap=u:%u:%u:1 g:%u:%u:1\nDirectoryMode=" IDMAP_VIEWS_DIR_MODE "\n",
                v->root, v->where, (unsigned) v->uid, (unsigned) c->server_uid, (unsigned) v->gid,
                (unsigned) c->server_gid);
        return text_write(&t, o, v->unit);
}

static int emit_views_used(struct output *o, const struct l4m_config *c, const struct instance *in) {
        const struct layer_set *ls = in->layers;

        for (size_t i = 0; i < ls->n; i++) {
                struct idmap_view *v = ls->v[i].view;
                if (!v || v->emitted)
                        continue;
                int r = emit_idmap_view(o, c, v);
                if (r < 0)
                        return r;
                v->emitted = true;
        }
        return 0;
}

/* Each view the layers use once, in the order of the layers. */
static void print_view_dependencies(FILE *f, const struct layer_set *ls) {
        for (size_t i = 0; i < ls->n; i++) {
                const struct idmap_view *v = ls->v[i].view;
                bool seen = false;
                for (size_t j = 0; v && !seen && j < i; j++)
                        seen = ls->v[j].view == v;
                if (v && !seen)
                        fprintf(f, "Requires=%s\nAfter=%s\n", v->unit, v->unit);
        }
}

static int emit_overlay_mount(struct output *o, const struct l4m_config *c, const struct instance *in) {
        char unit[L4M_UNIT_NAME_MAX + 1], dep[L4M_UNIT_NAME_MAX + 1];
        const struct layer_set *ls = in->layers;
        struct unit_text t;
        int r;

        if ((r = text_begin(&t, in->source)) < 0)
                return r;
        unit_section(t.f, in, "merged game directory");
        instance_mount_dependencies(t.f, in->id);
        print_view_dependencies(t.f, ls);
        fprintf(t.f, "\n[Mount]\n" MOUNT_SLICE "What=overlay\nWhere=%s/%u/merged\nType=overlay\nOptions=", c->runtime_dir, in->id);
        for (size_t i = 0; i < ls->n; i++)
                fprintf(t.f, "lowerdir+=%s,", layer_mount_source(&ls->v[i]));
        fprintf(t.f, "upperdir=%s/%u/upper,workdir=%s/%u/work\n", c->runtime_dir, in->id, c->runtime_dir, in->id);
        snprintf(dep, sizeof dep, "%s/%u/merged", c->runtime_dir, in->id);
        r = unit_name_from_path(dep, ".mount", unit, sizeof unit);
        if (r < 0) {
                fclose(t.f);
                free(t.buf);
                return r;
        }
        return text_write(&t, o, unit);
}

static int emit_environment(struct output *o, const struct instance *in) {
        char rel[64];

        snprintf(rel, sizeof rel, "left4me/%u.env", in->id);
        return output_write_secret(o, rel, in->text, in->len);
}

/* What differs between servers beyond %i: their ports, as the values the
 * command line gets (EnvironmentFile= gives the same where the file sets
 * them) and as the only ports the server may bind. */
static int emit_service_dropin(struct output *o, const struct instance *in) {
        const struct instance_ports *p = &in->env->ports;
        struct unit_text t;
        char rel[96];
        int r = text_begin(&t, in->source);

        if (r < 0)
                return r;
        fprintf(t.f, "[Unit]\nSourcePath=%s\n\n[Service]\nEnvironment=", in->source);
        for (int i = 0; i < PORT_KINDS; i++)
                fprintf(t.f, "%s%s=%u", i ? " " : "", port_specs[i].key, p->port[i]);
        fputc('\n', t.f);
        for (int i = 0; i < PORT_KINDS; i++)
                fprintf(t.f, "SocketBindAllow=udp:%u\n", p->port[i]);
        for (int i = 0; i < PORT_KINDS; i++)
                if (port_specs[i].tcp)
                        fprintf(t.f, "SocketBindAllow=tcp:%u\n", p->port[i]);
        budget_print_properties(t.f, in->budget);
        snprintf(rel, sizeof rel, "left4me@%u.service.d/50-left4me-instance.conf", in->id);
        return text_write(&t, o, rel);
}

/* The disk budget, which left4me-quota applies before the mounts (the
 * template drop-in's default is none). */
static int emit_runtime_dropin(struct output *o, const struct instance *in) {
        struct unit_text t;
        char rel[96];
        int r;

        if (in->budget->v[BUDGET_DISK] == 0)
                return 0;
        if ((r = text_begin(&t, in->source)) < 0)
                return r;
        fprintf(t.f, "[Unit]\nSourcePath=%s\n\n[Service]\nEnvironment=LEFT4ME_DISK_MAX_BYTES=%llu\n", in->source,
                in->budget->v[BUDGET_DISK]);
        snprintf(rel, sizeof rel, "left4me-runtime@%u.service.d/50-left4me-instance.conf", in->id);
        return text_write(&t, o, rel);
}

static int emit_autostart_link(struct output *o, const struct instance *in) {
        char rel[96];

        if (!in->env->autostart)
                return 0;
        snprintf(rel, sizeof rel, "multi-user.target.wants/left4me@%u.service", in->id);
        return output_symlink(o, rel, L4M_UNITDIR "/" SERVICE_TEMPLATE);
}

int units_emit(struct output *o, const struct l4m_config *c, const struct instance *in) {
        int r = emit_environment(o, in);

        if (r == 0)
                r = emit_service_dropin(o, in);
        if (r == 0)
                r = emit_runtime_dropin(o, in);
        if (r == 0)
                r = emit_views_used(o, c, in);
        if (r == 0)
                r = emit_overlay_mount(o, c, in);
        if (r == 0)
                r = emit_autostart_link(o, in);
        return r;
}
