/* SPDX-License-Identifier: MIT */
/* [sandbox] disk_max: what overlay ID may hold on disk, across all its
 * builds, as a project quota that the kernel enforces (lib/quota.h): the
 * overlay directory's tree has project ID 2147483647 + ID, inherited by all
 * that builds write, and disk_max is that ID's hard limit. Only root in the
 * init user namespace may change a file's project ID, and builds run in a
 * user namespace of their own (PrivateUsers=, transient_unit.c). */
#pragma once

#include "overlay_dir.h"

/* Before a build, under the overlay's lock. With a budget, a file system
 * that does not enforce project quotas is refused; otherwise the tree gets
 * its project ID and the ID its limit. Without one, where quotas are
 * enforced the ID's limit is cleared (the tree still gets the ID), and
 * elsewhere nothing is done. Returns 0, or a negative errno after logging
 * one line. */
int overlay_budget_apply(const struct overlay_dir *d, unsigned long long disk_max);

/* After a build: one line when the overlay is at its budget, so that the
 * script's "Disk quota exceeded" errors have their reason beside them. */
void overlay_budget_report(const struct overlay_dir *d, unsigned long long disk_max);
