/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "args.h"

#include <errno.h>
#include <string.h>

#include "log.h"
#include "number.h"

#define USAGE "usage: left4me-sandbox build ID < script"

int args_parse(int argc, char **argv, unsigned long *id) {
        if (argc != 3) {
                log_error("expected 2 arguments, got %d (" USAGE ")", argc > 0 ? argc - 1 : 0);
                return -EINVAL;
        }
        if (strcmp(argv[1], "build") != 0) {
                log_error("unknown verb (" USAGE ")");
                return -EINVAL;
        }
        /* The ID is echoed only when short, so hostile input cannot flood the log line. */
        if (parse_decimal(argv[2], 1, SANDBOX_ID_MAX, id) < 0) {
                if (strlen(argv[2]) <= 20 && strspn(argv[2], "0123456789") == strlen(argv[2]))
                        log_error("overlay ID \"%s\" is not a decimal number in 1..%lu without leading zeros",
                                  argv[2], SANDBOX_ID_MAX);
                else
                        log_error("overlay ID is not a decimal number in 1..%lu without leading zeros",
                                  SANDBOX_ID_MAX);
                return -EINVAL;
        }
        return 0;
}
