/* SPDX-License-Identifier: MIT */
/* One structured journal record per build. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

struct build_record {
        uid_t caller_uid;
        unsigned long id;
        const char *unit;
        uint64_t duration_usec;
        int exit_status;
        const char *result; /* the unit's Result=, or a word for the helper's own outcome */
};

void journal_log_build(const struct build_record *b);
