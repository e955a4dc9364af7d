/* SPDX-License-Identifier: MIT */
/* The build script: read in full from stdin before anything else happens. */
#pragma once

/* Reads fd to its end into a sealed memfd of at most max bytes and returns
 * the memfd, or a negative errno after logging one line. */
int script_read(int fd, unsigned long long max);
