/* SPDX-License-Identifier: MIT */
/* What the generator asks of left4me.conf beyond what the loader, shared
 * with the sandbox helper, checks: rules about the units it writes (the
 * file's own path is copied into them) and the lower roots, which only it
 * uses. */
#pragma once

#include "config.h"

/* Returns 0, or a negative errno after logging file and reason. */
int config_rules_check(const struct l4m_config *c);
