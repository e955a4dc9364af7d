/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the instance-file parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "instance_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct instance_env env;

        if (size > INSTANCE_FILE_MAX)
                return 0;
        (void) instance_env_parse("fuzz.env", (const char *) data, size, &env);
        instance_env_free(&env);
        return 0;
}
