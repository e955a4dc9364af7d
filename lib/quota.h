/* SPDX-License-Identifier: MIT */
/* Disk budgets held by the kernel: project quotas (ext4 with the quota and
 * project features mounted prjquota, or XFS with prjquota). Each budgeted
 * tree (an instance's writable layer, an overlay) gets its own project ID,
 * inherited by everything made in it, and a hard limit on that ID. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Project IDs, without collisions: instance N (1..65535) has
 * 1073741824 + N, overlay K (1..2147483647) has 2147483647 + K. IDs below
 * 1073741824 are left to the operator. */
#define QUOTA_PROJID_INSTANCE_BASE 1073741824u
#define QUOTA_PROJID_OVERLAY_BASE 2147483647u

uint32_t quota_projid_of_instance(unsigned id);
uint32_t quota_projid_of_overlay(unsigned long id);

/* Whether the file system holding fd enforces project quotas: 1 yes, 0 no
 * (*why says why not), or a negative errno. */
int quota_fs_enforces(int fd, const char **why);

/* Gives the directory tree at dirfd (shown as path) the project ID projid,
 * inherited by what is made in it. A tree whose top already has it is taken
 * as done (what is made in it inherits it, and only root may change it), so
 * only the first assignment walks: it changes directories and regular files,
 * enters no other file system and follows no symlink. Errors are logged with
 * the path; returns 0 or a negative errno. */
int quota_tree_assign(int dirfd, const char *path, uint32_t projid);

/* A budget of bytes (0: none) for the n trees fds (shown as paths, on one
 * file system): each gets projid (quota_tree_assign()) and projid's limit
 * becomes bytes. Where the file system does not enforce project quotas, no
 * budget does nothing (returns 0) and a budget returns -EOPNOTSUPP with *why,
 * for the caller to name what it was for. Returns 1 when applied; other
 * errors are logged with the path. */
int quota_budget_apply(const int *fds, const char *const *paths, size_t n, uint32_t projid, unsigned long long bytes,
                       const char **why);

/* Sets projid's hard limit on fd's file system to bytes (0: no limit). */
int quota_limit_set(int fd, uint32_t projid, unsigned long long bytes);

/* What projid holds on fd's file system, and its hard limit (0: none). */
int quota_usage(int fd, uint32_t projid, unsigned long long *used, unsigned long long *limit);
