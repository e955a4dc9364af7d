/* SPDX-License-Identifier: MIT */
#pragma once

/* Parses a decimal number without sign, whitespace or leading zeros, in
 * [min, max]. Returns 0, -EINVAL or -ERANGE. */
int parse_decimal(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* Parses a size such as 512M or 2G (powers of 1024; no suffix means bytes). */
int parse_size(const char *s, unsigned long long *out);
