/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the left4me.conf loader, and the generator's rules for
 * what it loaded, on arbitrary text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct l4m_config c;
        char *text;

        if (size > 64 * 1024 || memchr(data, '\0', size))
                return 0;
        text = malloc(size + 1);
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        if (config_load_text("fuzz.conf", text, &c) == 0)
                (void) config_rules_check(&c);
        config_free(&c);
        free(text);
        return 0;
}
