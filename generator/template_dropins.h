/* SPDX-License-Identifier: MIT */
/* Drop-ins for the templates themselves (left4me@.service.d/ and the runtime,
 * reset and delete templates): what every instance shares, written once per
 * run with %i where an instance differs, so the per-instance output is only
 * the mounts, the environment copy and the autostart link.
 *
 * The generator vouches for an instance by writing OUTDIR/left4me/N.env; the
 * runtime, reset and delete units assert that (or, for reset and delete, that
 * runtime/N exists), so for any other instance name nothing runs. */
#pragma once

#include "config.h"
#include "output.h"

int template_dropins_emit(struct output *o, const struct l4m_config *c);
