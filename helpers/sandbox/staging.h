/* SPDX-License-Identifier: MIT */
/* RUN_DIR/ID: where the idmapped bind of the overlay waits for the unit's
 * BindPaths=, in PID 1's mount namespace. */
#pragma once

#include <stddef.h>

void staging_path(unsigned long id, char *buf, size_t size);

/* Attaches the detached mount tree_fd at RUN_DIR/ID. Logs on error. */
int staging_attach(int run_dir_fd, unsigned long id, int tree_fd);

/* Unmounts everything stacked at RUN_DIR/ID and removes the directory;
 * a missing staging area is not an error. Logs on error. */
int staging_detach(int run_dir_fd, unsigned long id);
