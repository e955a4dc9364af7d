/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "build_slot.h"

#include <errno.h>
#include <stdio.h>

#include "lock.h"

int build_slot_take(int run_dir_fd, unsigned long max_builds) {
        char name[32];

        for (unsigned long i = 0; i < max_builds; i++) {
                int fd;

                snprintf(name, sizeof name, "slot.%lu", i);
                fd = lock_file_try(run_dir_fd, name);
                if (fd != -EBUSY)
                        return fd;
        }
        return -EBUSY;
}
