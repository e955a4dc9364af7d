# What the row files of bench/rows/ share. Sourced by them.
# shellcheck shell=bash
# shellcheck disable=SC2154 # where is bench/vm-rows's

# row_start TITLE FILE SUITE: the row's heading; when FILE has no samples,
# why (the suite's failures or the guest's status), and status 1.
row_start() {
	say "## $1$where"
	say ""
	[ -s "$2" ] && return 0
	why_missing "$3"
	say ""
	return 1
}
