/* SPDX-License-Identifier: MIT */
/* Idmapped bind mounts from C (what mount's X-mount.idmap= does). */
#pragma once

#include <sys/types.h>

/* Returns a detached clone of the directory dir_fd, with nosuid and nodev, in
 * which files owned on disk by disk_uid:disk_gid show as shown_uid:shown_gid
 * and files created by shown_uid:shown_gid land on disk as disk_uid:disk_gid.
 * Logs one line on error. */
int idmap_mount_clone(int dir_fd, uid_t disk_uid, gid_t disk_gid, uid_t shown_uid, gid_t shown_gid);
