/* SPDX-License-Identifier: MIT */
/* Build unit names: left4me-sandbox-ID-RANDOM.service. A fresh name per run,
 * so a dead run's unit, still loaded, never blocks the next start. */
#pragma once

#define SANDBOX_UNIT_PREFIX "left4me-sandbox-"
#define SANDBOX_UNIT_PATTERN SANDBOX_UNIT_PREFIX "*.service"
#define SANDBOX_SLICE "left4me-sandbox.slice"
#define SANDBOX_UNIT_NAME_MAX 64

/* Returns 0 or a negative errno from getrandom(). */
int build_unit_name_new(unsigned long id, char name[SANDBOX_UNIT_NAME_MAX]);

/* The overlay ID of a build unit name; -EINVAL if name is not one. */
int build_unit_name_id(const char *name, unsigned long *id);
