/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "instance_file.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "number.h"
#include "utf8.h"

int instance_id_from_name(const char *name, unsigned *id) {
        const char *dot = strchr(name, '.');
        char digits[8];
        unsigned long v;

        if (!dot || strcmp(dot, ".env") != 0 || (size_t) (dot - name) >= sizeof digits)
                return -EINVAL;
        memcpy(digits, name, (size_t) (dot - name));
        digits[dot - name] = '\0';
        if (parse_decimal(digits, 1, INSTANCE_ID_MAX, &v) < 0)
                return -EINVAL;
        *id = (unsigned) v;
        return 0;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

static bool key_valid(const char *k, size_t n) {
        if (n == 0 || (k[0] >= '0' && k[0] <= '9'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') ||
                      k[i] == '_'))
                        return false;
        return true;
}

/* Bytes where systemd's parser would differ from a plain reading of the line:
 * quotes (in values only) and backslashes (escapes, continuations, also of a
 * comment onto the next line), control bytes (systemd ends a comment at a
 * carriage return, so what follows one would be a variable to it), invalid
 * UTF-8. */
static const char *line_bad_byte(const char *s, size_t n, bool comment) {
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];
                if (!comment && (c == '"' || c == '\''))
                        return "contains a quote (values are taken literally; quoting is not supported)";
                if (c == '\\')
                        return "contains '\\' (escapes and line continuations are not supported)";
                if (c == '\r')
                        return "contains a carriage return";
                if ((c < 0x20 && c != '\t') || c == 0x7f)
                        return "contains a control byte";
                if (c >= 0x80) {
                        size_t len = utf8_sequence((const unsigned char *) s + i, n - i);
                        if (len == 0)
                                return "is not valid UTF-8";
                        i += len - 1;
                }
        }
        return NULL;
}

static int parse_autostart(struct instance_env *env, unsigned line, const char *v, size_t n) {
        if (n == 3 && memcmp(v, "yes", 3) == 0)
                env->autostart = true;
        else if (n == 2 && memcmp(v, "no", 2) == 0)
                env->autostart = false;
        else
                return l4m_log_at(LOG_ERR, env->path, line, EINVAL, "LEFT4ME_AUTOSTART=%.*s: must be yes or no",
                                  (int) n, v);
        return 0;
}

static int take_lowerdirs(struct instance_env *env, unsigned line, const char *v, size_t n) {
        env->lowerdirs = strndup(v, n);
        if (!env->lowerdirs)
                return -ENOMEM;
        env->lowerdirs_line = line;
        return 0;
}

/* srcds_run options that take restarting away from PID 1: -autoupdate loops
 * in srcds_run itself (and updates a shared installation from one server). */
static int check_args(const struct instance_env *env, unsigned line, const char *v, size_t n) {
        for (size_t i = 0; i < n;) {
                size_t len = 0;
                while (i + len < n && !is_blank(v[i + len]))
                        len++;
                if (len == sizeof "-autoupdate" - 1 && memcmp(v + i, "-autoupdate", len) == 0)
                        return l4m_log_at(LOG_ERR, env->path, line, EINVAL,
                                          "L4D2_ARGS: -autoupdate is refused: srcds_run would restart the server "
                                          "itself, hiding its crashes from systemd; the shared installation is "
                                          "updated by the web app, not by a server");
                i += len + 1;
        }
        return 0;
}

static int take_budget(struct instance_env *env, enum budget_kind kind, unsigned line, const char *v, size_t n) {
        char value[32];
        const char *reason = "is too long";

        assert((unsigned) kind < BUDGET_KINDS);
        if (n >= sizeof value ||
            (memcpy(value, v, n), value[n] = '\0', budget_parse(kind, value, &env->budget.v[kind], &reason) < 0))
                return l4m_log_at(LOG_ERR, env->path, line, EINVAL, "%s=%.*s: %s", budget_specs[kind].env_key,
                                  (int) n, v, reason);
        env->budget_line[kind] = line;
        return 0;
}

/* Keys the generator reads; each may appear once (systemd would take the
 * last). The ports come first, in the order of enum port_kind, then the
 * budgets, in the order of enum budget_kind. */
enum known_key {
        KEY_BUDGET = PORT_KINDS,
        KEY_LOWERDIRS = KEY_BUDGET + BUDGET_KINDS,
        KEY_AUTOSTART,
        KEY_ARGS,
        KEY_OTHER
};

static enum known_key classify_key(const char *k, size_t n) {
        static const char *const names[] = { "L4D2_LOWERDIRS", "LEFT4ME_AUTOSTART", "L4D2_ARGS" };
        enum port_kind port = port_kind_of_key(k, n);
        enum budget_kind budget = budget_kind_of_env_key(k, n);

        if (port != PORT_KINDS)
                return (enum known_key) port;
        if (budget != BUDGET_KINDS)
                return (enum known_key) (KEY_BUDGET + budget);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                if (strlen(names[i]) == n && memcmp(names[i], k, n) == 0)
                        return (enum known_key) (KEY_LOWERDIRS + i);
        return KEY_OTHER;
}

static int apply_entry(struct instance_env *env, unsigned line, const char *k, size_t kn, const char *v, size_t vn,
                       unsigned *seen) {
        enum known_key key = classify_key(k, kn);

        if (key != KEY_OTHER) {
                if (*seen & (1u << key))
                        return l4m_log_at(LOG_ERR, env->path, line, EINVAL, "%.*s is set twice", (int) kn, k);
                *seen |= 1u << key;
        }
        switch (key) {
        case KEY_LOWERDIRS:
                return take_lowerdirs(env, line, v, vn);
        case KEY_AUTOSTART:
                return parse_autostart(env, line, v, vn);
        case KEY_ARGS:
                return check_args(env, line, v, vn);
        case KEY_OTHER:
                if (kn > 8 && memcmp(k, "LEFT4ME_", 8) == 0)
                        l4m_log_at(LOG_WARNING, env->path, line, 0, "unknown key %.*s, passed to the server as is",
                                   (int) kn, k);
                return 0;
        default:
                if (key >= KEY_BUDGET)
                        return take_budget(env, (enum budget_kind) (key - KEY_BUDGET), line, v, vn);
                return ports_take(&env->ports, (enum port_kind) key, env->path, line, v, vn);
        }
}

static int parse_line(struct instance_env *env, unsigned line, const char *s, size_t n, unsigned *seen) {
        const char *bad, *eq;

        while (n > 0 && is_blank(*s))
                s++, n--;
        if (n == 0)
                return 0;
        bad = line_bad_byte(s, n, *s == '#' || *s == ';');
        if (bad)
                return l4m_log_at(LOG_ERR, env->path, line, EINVAL, "%s %s",
                                  *s == '#' || *s == ';' ? "comment line" : "line", bad);
        if (*s == '#' || *s == ';')
                return 0;
        eq = memchr(s, '=', n);
        if (!eq || !key_valid(s, (size_t) (eq - s)))
                return l4m_log_at(LOG_ERR, env->path, line, EINVAL,
                                  "not a KEY=VALUE line (KEY is letters, digits and '_', directly followed by '=')");
        const char *v = eq + 1;
        size_t vn = n - (size_t) (v - s);
        while (vn > 0 && is_blank(*v))
                v++, vn--;
        while (vn > 0 && is_blank(v[vn - 1]))
                vn--;
        return apply_entry(env, line, s, (size_t) (eq - s), v, vn, seen);
}

static unsigned line_of(const char *text, const char *at) {
        unsigned line = 1;

        for (const char *p = text; p < at; p++)
                line += *p == '\n';
        return line;
}

int instance_env_parse(const char *path, const char *text, size_t len, struct instance_env *env) {
        unsigned line = 0, seen = 0;
        const char *p = text, *end = text + len;

        memset(env, 0, sizeof *env);
        env->path = path;
        const char *nul = memchr(text, '\0', len);
        if (nul)
                return l4m_log_at(LOG_ERR, path, line_of(text, nul), EINVAL, "contains a NUL byte");
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t n = nl ? (size_t) (nl - p) : (size_t) (end - p);
                int r = parse_line(env, ++line, p, n, &seen);
                if (r < 0)
                        return r;
                p += n + 1;
        }
        if (!env->lowerdirs)
                return l4m_log_at(LOG_ERR, path, line ? line : 1, EINVAL, "L4D2_LOWERDIRS is missing (required)");
        return ports_finish(&env->ports, path);
}

void instance_env_free(struct instance_env *env) {
        free(env->lowerdirs);
        env->lowerdirs = NULL;
}
