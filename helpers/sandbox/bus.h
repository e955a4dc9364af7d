/* SPDX-License-Identifier: MIT */
/* The connection to PID 1. */
#pragma once

#include "bus_util.h"

/* Connects to the system bus. Logs on error. */
int bus_connect(sd_bus **ret);
