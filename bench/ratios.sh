#!/bin/sh
# The graph commands against dominators on one dump: each command RUNS
# times, the runs interleaved (a machine whose load drifts weighs on all
# commands alike), medians of wall and CPU seconds (user + sys) and their
# ratios to dominators'.  Two threads, no index, as bench/run.sh's x_dom
# column; the dumps and the diff baselines are run.sh's.  Not part of
# `make check`.
#
#   sh bench/ratios.sh SIZE_MB [RUNS [COMMAND ...]]     e.g. sh bench/ratios.sh 100 7
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
HS=${HS:-$top/heapscan}
dir=${BENCH_DIR:-/tmp/heapscan-bench}
mb=$1
runs=${2:-5}
[ $# -ge 2 ] && shift 2 || shift $#
cmds=${*:-dominators suspects snapshot check diff threads path top-retained}
dump=$dir/heap-$mb.hprof
[ -f "$dump" ] || { echo "no $dump: make it with sh bench/run.sh $mb" >&2; exit 2; }
[ -f "$dir/base-$mb.snap" ] || "$HS" snapshot --quiet --no-index "$dump" -o "$dir/base-$mb.snap" > /dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tid=$("$HS" top-retained --by-thread --csv --quiet --no-index --top 1 "$dump" | awk -F, 'NR == 2 { print $5 }')
cat "$dump" > /dev/null   # warm page cache
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	for c in $cmds; do
		case $c in
		snapshot) args="snapshot -o $tmp/out.snap" ;;
		check) args="check --max-suspect 99" ;;
		diff) args="diff $dir/base-$mb.snap" ;;
		top-retained) args="top-retained --by-thread" ;;
		*) args=$c ;;
		esac
		extra=""
		[ "$c" = path ] && extra=$tid
		# shellcheck disable=SC2086
		/usr/bin/time -f "%e %U %S" -o "$tmp/t" "$HS" $args --quiet --no-index --threads 2 "$dump" $extra > /dev/null 2>&1 ||
			{ echo "failed: $c" >&2; exit 1; }
		echo "$c $(cat "$tmp/t")" >> "$tmp/times"
	done
done
awk '{ w[$1] = w[$1] " " $2; u[$1] = u[$1] " " ($3 + $4) }
function med(s,   a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
	dw = med(w["dominators"]); du = med(u["dominators"])
	printf "%-13s %7s %7s %8s %8s\n", "command", "wall_s", "cpu_s", "x_dom_w", "x_dom_c"
	for (c in w)
		printf "%-13s %7.2f %7.2f %8.2f %8.2f\n", c, med(w[c]), med(u[c]), (dw ? med(w[c]) / dw : 0), (du ? med(u[c]) / du : 0)
}' "$tmp/times" | sort
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
