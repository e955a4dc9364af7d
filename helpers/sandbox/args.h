/* SPDX-License-Identifier: MIT */
/* Command line: "build ID", nothing else. */
#pragma once

#define SANDBOX_ID_MAX 2147483647UL

/* Parses argv into *id. Logs one line and returns -EINVAL on misuse. */
int args_parse(int argc, char **argv, unsigned long *id);
