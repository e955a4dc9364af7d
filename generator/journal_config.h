/* SPDX-License-Identifier: MIT */
/* The configuration of the game servers' journal namespace, "left4me". */
#pragma once

#include "config.h"
#include "output.h"

/* What journald reads: left4me installs journald@left4me.conf.d/50-left4me.conf
 * as a link to this file of the generator's output directory. */
#define JOURNAL_CONFIG_NAME "left4me-journald.conf"

/* Writes the namespace's storage and budget from left4me.conf [logs]. */
int journal_config_emit(struct output *o, const struct l4m_config *c);
