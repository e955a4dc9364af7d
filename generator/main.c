/* SPDX-License-Identifier: MIT */
/* left4me-generator: turns /etc/left4me/instances/N.env into mount units and
 * service drop-ins, so PID 1 owns each game server's whole lifecycle. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "config.h"
#include "config_rules.h"
#include "instance.h"
#include "instance_file.h"
#include "journal_config.h"
#include "log.h"
#include "output.h"
#include "path.h"
#include "state_tree.h"
#include "template_dropins.h"

#define EXIT_SKIPPED 1
#define EXIT_USAGE 2
#define INVALID_NAME_REASON "invalid instance file name (expected N.env, N in 1..65535 without leading zeros)"
#define DEFAULT_OUTPUT_DIR "/run/systemd/generator"

struct options {
        bool dry_run, verify;
        const char *normal_dir;
        char **files; /* --verify FILE... */
        int n_files;
};

struct tally {
        unsigned generated, skipped;
};

static void usage(FILE *f) {
        fputs("Usage: left4me-generator [NORMAL_DIR [EARLY_DIR LATE_DIR]]\n"
              "       left4me-generator --dry-run [NORMAL_DIR]\n"
              "       left4me-generator --verify FILE...\n\n"
              "Generates the mount units and service drop-ins of every left4me game server\n"
              "instance from the instance files named in left4me.conf (see left4me-generator(8)).\n\n"
              "  --dry-run     print every file that would be written, write nothing\n"
              "  --verify      check the given instance files (N.env), write nothing\n"
              "  --help        show this help\n"
              "  --version     show the version\n\n"
              "Exit status: 0 all instances generated, 1 some skipped, 2 usage or configuration error.\n"
              "Environment: LEFT4ME_CONF names the configuration file (default " L4M_CONFIG_DEFAULT_PATH ").\n",
              f);
}

/* The output directory is written into the template drop-ins (and into
 * --dry-run's separators): the path rules of every such value apply. */
static int check_output_dir(const char *dir) {
        const char *reason;

        if (dir[0] != '/') {
                l4m_log(LOG_ERR, "%s: output directory must be an absolute path", dir);
                return -EINVAL;
        }
        if (path_check_safe(dir, &reason) < 0) {
                l4m_log(LOG_ERR, "%s: output directory %s", dir, reason);
                return -EINVAL;
        }
        return 1;
}

static int parse_options(int argc, char **argv, struct options *o) {
        static const struct option longopts[] = {
                { "dry-run", no_argument, NULL, 'n' }, { "verify", no_argument, NULL, 'V' },
                { "help", no_argument, NULL, 'h' },    { "version", no_argument, NULL, 'v' },
                { NULL, 0, NULL, 0 },
        };
        int c;

        while ((c = getopt_long(argc, argv, "", longopts, NULL)) >= 0)
                switch (c) {
                case 'n': o->dry_run = true; break;
                case 'V': o->verify = true; break;
                case 'h': usage(stdout); return 0;
                case 'v': puts("left4me-generator " L4M_VERSION); return 0;
                default: usage(stderr); return -EINVAL;
                }
        int rest = argc - optind;
        if (o->verify) {
                if (o->dry_run || rest == 0) {
                        l4m_log(LOG_ERR, "--verify needs one or more instance files and no other option");
                        return -EINVAL;
                }
                o->files = argv + optind;
                o->n_files = rest;
                return 1;
        }
        if (o->dry_run ? rest > 1 : (rest != 1 && rest != 3)) {
                l4m_log(LOG_ERR, "expected one or three output directories (as systemd passes them)%s",
                        o->dry_run ? "" : ", or --dry-run");
                return -EINVAL;
        }
        o->normal_dir = rest > 0 ? argv[optind] : DEFAULT_OUTPUT_DIR;
        return check_output_dir(o->normal_dir);
}

static void count(struct tally *t, enum instance_result r) {
        if (r == INSTANCE_GENERATED)
                t->generated++;
        else
                t->skipped++;
}

static int verify_files(const struct options *o, struct state_tree *tree, struct tally *t) {
        for (int i = 0; i < o->n_files; i++) {
                _cleanup_free_ char *copy = strdup(o->files[i]), *copy2 = strdup(o->files[i]);
                unsigned id;
                if (!copy || !copy2)
                        return -ENOMEM;
                const char *name = basename(copy), *dir = dirname(copy2);
                _cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (instance_id_from_name(name, &id) < 0) {
                        l4m_log_at(LOG_ERR, o->files[i], 0, 0, INVALID_NAME_REASON);
                        t->skipped++;
                } else if (dfd < 0) {
                        log_errno_at(o->files[i], errno, "cannot be opened");
                        t->skipped++;
                } else
                        count(t, instance_process(dfd, name, o->files[i], id, tree, NULL));
        }
        return 0;
}

/* First pass: note the valid ids (8 KiB, whatever the number of files), so
 * instances are processed in numeric order with memory that does not grow. */
static void scan_names(DIR *d, const char *dir, uint8_t *ids, struct tally *t) {
        struct dirent *de;

        while ((de = readdir(d))) {
                unsigned id;
                if (de->d_name[0] == '.')
                        continue; /* ".", "..", and hidden temporary files of editors and atomic writers */
                if (instance_id_from_name(de->d_name, &id) == 0) {
                        ids[id / 8] |= (uint8_t) (1u << (id % 8));
                        continue;
                }
                char path[1100];
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                l4m_log_at(LOG_ERR, path, 0, 0, INVALID_NAME_REASON ", ignored");
                t->skipped++;
        }
}

static int process_instances(DIR *d, const char *dir, struct state_tree *tree, struct output *out,
                             struct tally *t) {
        static uint8_t ids[(INSTANCE_ID_MAX + 8) / 8];

        scan_names(d, dir, ids, t);
        for (unsigned id = 1; id <= INSTANCE_ID_MAX; id++) {
                char name[16], path[1100];
                if (!(ids[id / 8] & (1u << (id % 8))))
                        continue;
                snprintf(name, sizeof name, "%u.env", id);
                snprintf(path, sizeof path, "%s/%s", dir, name);
                enum instance_result res = instance_process(dirfd(d), name, path, id, tree, out);
                if (res == INSTANCE_OUTPUT_FAILED)
                        return -EIO;
                count(t, res);
        }
        return 0;
}

static int generate_all(const struct options *o, struct state_tree *tree, struct tally *t) {
        const char *dir = tree->config->instances_dir;
        _cleanup_closedir_ DIR *d = NULL;
        struct output out;
        int r = output_open(&out, o->normal_dir, o->dry_run);

        if (r == 0)
                r = template_dropins_emit(&out, tree->config);
        if (r == 0)
                r = journal_config_emit(&out, tree->config);
        if (r == 0) {
                d = opendir(dir);
                if (d)
                        r = process_instances(d, dir, tree, &out, t);
                else if (errno == ENOENT)
                        l4m_log_at(LOG_INFO, dir, 0, 0, "does not exist, no instances");
                else
                        r = log_errno_at(dir, errno, "cannot be read");
        }
        output_close(&out);
        return r;
}

static int run(const struct options *o) {
        struct l4m_config config;
        struct state_tree tree;
        struct tally t = { 0, 0 };
        int r;

        r = config_load(config_path(), &config);
        if (r == 0)
                r = config_rules_check(&config);
        if (r == 0)
                r = state_tree_open(&tree, &config);
        if (r < 0) {
                l4m_log(LOG_ERR, "configuration unusable, no units generated");
                config_free(&config);
                return EXIT_USAGE;
        }
        r = o->verify ? verify_files(o, &tree, &t) : generate_all(o, &tree, &t);
        state_tree_close(&tree);
        config_free(&config);
        if (r < 0)
                return EXIT_USAGE;
        if (t.skipped > 0)
                l4m_log(LOG_WARNING, "%u instance(s) %s, %u skipped", t.generated, o->verify ? "valid" : "generated",
                        t.skipped);
        return t.skipped > 0 ? EXIT_SKIPPED : EXIT_SUCCESS;
}

int main(int argc, char **argv) {
        struct options o = { 0 };
        int r;

        l4m_log_open("left4me-generator");
        r = parse_options(argc, argv, &o);
        if (r <= 0)
                return r == 0 ? EXIT_SUCCESS : EXIT_USAGE;
        return run(&o);
}
