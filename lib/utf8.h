/* SPDX-License-Identifier: MIT */
/* UTF-8, as far as instance files and messages need it. */
#pragma once

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t utf8_sequence(const unsigned char *s, size_t n);
