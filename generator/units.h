/* SPDX-License-Identifier: MIT */
/* The files generated for one valid instance. */
#pragma once

#include <stddef.h>

#include "budget.h"
#include "config.h"
#include "instance_file.h"
#include "layers.h"
#include "output.h"

struct instance {
        unsigned id;
        const char *source; /* the instance file's path */
        const struct instance_env *env;
        const char *text; /* the instance file's content, copied as the environment */
        size_t len;
        const struct layer_set *layers;
        const struct budget *budget; /* resolved: the file's, else left4me.conf's */
};

/* Writes the overlay mount, the idmapped views of lower roots it is the first
 * to use (idmap_views.h), the environment copy and the autostart link (what the template drop-ins share is in template_dropins.c). Returns 0 or a negative errno (logged). */
int units_emit(struct output *o, const struct l4m_config *c, const struct instance *in);
