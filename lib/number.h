/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

/* Parses a decimal number without sign, whitespace or leading zeros, in
 * [min, max]. Returns 0, -EINVAL or -ERANGE. */
int parse_decimal(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* Parses a size such as 512M or 2G (powers of 1024; no suffix means bytes). */
int parse_size(const char *s, unsigned long long *out);

/* Writes bytes as parse_size() reads it, with the largest suffix that keeps
 * it whole (52428800: "50M"; 1000: "1000"). */
void format_size(unsigned long long bytes, char *buf, size_t size);
