# Plots of cost against size, shared by bench/run and bench/vm-rows: one PNG
# per row measured at several sizes, ours beside theirs, drawn by gnuplot
# (Debian's gnuplot-nox) into BENCH_PLOT_DIR, which bench/run copies beside
# the saved report as <stamp>-<name>.png.
# shellcheck shell=bash

# plot_sizes NAME TITLE XLABEL YLABEL LABEL FILE [LABEL FILE...]: each FILE
# holds "size median min max" lines. Log-log axes, so a line's slope is its
# growth: 1 for linear. Prints the report's Markdown line for the picture,
# or why there is none.
plot_sizes() {
	local name=$1 title=$2 xlabel=$3 ylabel=$4 png plots="" sep=""
	shift 4
	if ! command -v gnuplot >/dev/null; then
		echo "(no plot: gnuplot is not installed; apt-get install gnuplot-nox)"
		return 0
	fi
	[ -n "${BENCH_PLOT_DIR:-}" ] || { echo "(no plot: BENCH_PLOT_DIR is not set)"; return 0; }
	mkdir -p "$BENCH_PLOT_DIR"
	png=$BENCH_PLOT_DIR/$name.png
	while [ $# -ge 2 ]; do
		[ -s "$2" ] || { shift 2; continue; }
		plots+="$sep'$2' using 1:2:3:4 with yerrorlines title '$1'"
		sep=", "
		shift 2
	done
	[ -n "$plots" ] || { echo "(no plot: no samples)"; return 0; }
	gnuplot <<GP 2>/dev/null || { echo "(no plot: gnuplot failed)"; return 0; }
set terminal pngcairo size 800,520 noenhanced
set output '$png'
set title '$title'
set xlabel '$xlabel'
set ylabel '$ylabel'
set logscale xy
set grid
set key top left
plot $plots
GP
	echo "![$title](${BENCH_STAMP:-plot}-$name.png)"
}
