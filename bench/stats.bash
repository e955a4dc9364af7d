# Statistics shared by bench/run and bench/vm-rows. Sample files hold one
# run per line, fields separated by single spaces.
# shellcheck shell=bash

# stats FILE COLUMN: "median min max q1 q3" of one column.
stats() {
	cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		q1 = v[int((NR - 1) * 0.25) + 1]; q3 = v[NR - int((NR - 1) * 0.25)]
		printf "%s %s %s %s %s\n", m, v[1], v[NR], q1, q3 }'
}

# paired_ratio A B COLUMN: median, min and max of the per-run ratios A/B
# (line i of A against line i of B: runs that were interleaved); "- - -"
# when no line has both numbers.
paired_ratio() {
	paste -d' ' <(cut -d' ' -f"$3" "$1") <(cut -d' ' -f"$3" "$2") |
		awk '$1 != "" && $2 != "" && $2 != 0 { print $1 / $2 }' | sort -g | awk '
		{ v[NR] = $1 } END { if (!NR) { print "- - -"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'
}

# verdict VALUE LIMIT: PASS when VALUE <= LIMIT; "n/a" when VALUE is no number.
verdict() {
	awk -v v="$1" -v l="$2" 'BEGIN { if (v !~ /^[0-9.]+$/) print "n/a"; else print (v + 0 <= l + 0) ? "PASS" : "FAIL" }'
}
