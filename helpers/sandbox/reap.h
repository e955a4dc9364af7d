/* SPDX-License-Identifier: MIT */
/* What dead runs left behind: build units still running or loaded, and
 * staging mounts. A run is dead when nobody holds its ID's lock. */
#pragma once

#include <stdbool.h>

#include "bus_util.h"

/* Whether a dead run left anything behind, without asking PID 1: every run
 * makes its staging area before its unit and removes it only after the unit
 * is gone, so a dead run's unit never outlives its staging directory.
 * own_id's lock is the caller's, so a staging directory of it is a dead
 * run's. Logs on error. */
int reap_needed(int run_dir_fd, unsigned long own_id, bool *needed);

/* Stops the units of every dead run and of own_id, and removes the staging
 * areas of every dead run but own_id (the caller replaces its own). Logs on
 * error. */
int reap_dead_runs(sd_bus *bus, int run_dir_fd, unsigned long own_id);
