/* SPDX-License-Identifier: MIT */
/* Layers the walk found usable in this run, so that a layer many instances
 * share (a mod collection, a build they all run) is walked to once a run
 * rather than once per instance. */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

/* The stat the walk gave for layer (a canonical absolute path), when it
 * walked there in this run and a slot still holds it. */
bool layer_cache_find(const char *layer, struct stat *st);

/* Notes what the walk to layer gave, successfully. */
void layer_cache_add(const char *layer, const struct stat *st);
