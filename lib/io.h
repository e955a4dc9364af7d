/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

/* Writes all n bytes, retrying short writes and EINTR. Returns 0 or -errno. */
int write_full(int fd, const void *buf, size_t n);
