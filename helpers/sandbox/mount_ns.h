/* SPDX-License-Identifier: MIT */
/* PID 1's mount namespace: where the staging mount must live so the unit sees it. */
#pragma once

/* Moves this (single-threaded) process into PID 1's mount namespace, unless
 * it is already there. Logs one line on error. */
int mount_ns_enter_init(void);
