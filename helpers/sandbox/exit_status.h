/* SPDX-License-Identifier: MIT */
/* The helper's exit status from the unit's outcome. */
#pragma once

#include "watch.h"

#define EXIT_HELPER_ERROR 125
#define EXIT_TIME_LIMIT 124

/* The script's own status; 128+N for signal N; 124 past the time limit;
 * 125 (after logging one line) when the unit did not run the script. */
int exit_status_from(const char *unit, const struct unit_outcome *o);
