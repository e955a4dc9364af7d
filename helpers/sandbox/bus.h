/* SPDX-License-Identifier: MIT */
/* The connection to PID 1. */
#pragma once

#include "bus_util.h"

/* Connects to the system bus and subscribes to systemd's signals. Logs on error. */
int bus_connect(sd_bus **ret);
