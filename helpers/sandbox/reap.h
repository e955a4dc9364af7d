/* SPDX-License-Identifier: MIT */
/* What dead runs left behind: build units still running or loaded, and
 * staging mounts. A run is dead when nobody holds its ID's lock. */
#pragma once

#include "bus_util.h"

/* Stops the units and removes the staging areas of every dead run, and of
 * own_id (whose lock the caller holds). Logs on error. */
int reap_dead_runs(sd_bus *bus, int run_dir_fd, unsigned long own_id);
