/* SPDX-License-Identifier: MIT */
/* /run/left4me-sandbox: lock files and staging mount points, root only. */
#pragma once

#define SANDBOX_RUN_DIR "/run/left4me-sandbox"

/* Creates the directory if missing and opens it without following symlinks;
 * refuses it unless it is a root-owned directory of mode 0700. */
int run_dir_open(void);
