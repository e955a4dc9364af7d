/* SPDX-License-Identifier: MIT */
/* One instance file from open to units: read safely, parse, check, emit. */
#pragma once

#include "config.h"
#include "output.h"
#include "state_tree.h"

enum instance_result {
        INSTANCE_GENERATED,
        INSTANCE_SKIPPED,       /* bad input: logged once with file:line and reason */
        INSTANCE_OUTPUT_FAILED, /* writing failed, or memory ran out (logged): the run must stop */
};

/* Checks the instance file name below dirfd (shown as path) and, when out is
 * not NULL, writes its units. */
enum instance_result instance_process(int dirfd, const char *name, const char *path, unsigned id, struct state_tree *tree,
                     struct output *out);
