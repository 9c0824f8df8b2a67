#!/bin/sh
# The second commands of bench/run.sh alone, as medians of several runs
# (the machine is shared: one run says little), with user CPU seconds:
#
#   sh bench/second-commands.sh DUMP [RUNS]      (default 3 runs)
#
# The first command (suspects --no-index) is timed the same way, then
# `suspects` writes the index in a fresh folder ($IDX, default
# /tmp/heapscan-second-idx) and each second command reads it; TID is the
# object given to path and dominators --from (default 0x7a666f4d0, a
# worker thread of the 1000 MB bench dump).  Prints the table of
# bench/RESULTS.md: wall, user, peak RSS, % of the dump, ratio to the
# first command's wall and user seconds.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
HS=${HS:-$top/heapscan}
dump=$1
runs=${2:-3}
idx=${IDX:-/tmp/heapscan-second-idx}
tid=${TID:-0x7a666f4d0}
bytes=$(stat -c %s "$dump")
t=$(mktemp)
trap 'rm -f "$t" "$t.all"' EXIT

# median wall, user and peak RSS (KB) of $runs runs of "$@"
med() {
	: > "$t.all"
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		/usr/bin/time -f "%e %U %M" -o "$t" "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
		cat "$t" >> "$t.all"
	done
	for col in 1 2 3; do
		awk -v c=$col '{ print $c }' "$t.all" | sort -n | awk '{ a[NR] = $1 } END { printf "%s ", a[int((NR + 1) / 2)] }'
	done
	echo
}

set -- $(med "$HS" suspects --quiet --no-index "$dump")
first=$1 firstu=$2
# each run writes the index afresh (the median of runs that read it would
# say nothing of writing it)
rm -rf "$idx" && mkdir -p "$idx"
set -- $(med sh -c 'rm -f "$1"/*.hsidx; exec "$2" suspects --quiet --index-dir "$1" "$3"' sh "$idx" "$HS" "$dump")
isize=$(cat "$idx"/*.hsidx | wc -c)
awk -v f="$first" -v fu="$firstu" -v w="$1" -v s="$isize" -v b="$bytes" 'BEGIN {
	printf "first command (suspects --no-index): %.2f s wall, %.2f s user\n", f, fu
	printf "index: %.0f MB, %.1f%% of the dump; suspects writing it %.2f s (+%.0f%%)\n", s/1e6, 100*s/b, w, 100*(w-f)/f }'
printf '%-32s %7s %7s %8s %6s %7s %7s\n' "second command (index read)" wall_s user_s peak_MB "%dump" x_wall x_user
while IFS= read -r c; do
	# shellcheck disable=SC2086
	set -- $(med "$HS" $c --quiet --index-dir "$idx" "$dump")
	awk -v c="$c" -v w="$1" -v u="$2" -v r="$3" -v b="$bytes" -v f="$first" -v fu="$firstu" 'BEGIN {
		printf "%-32s %7.2f %7.2f %8.0f %5.1f%% %7.2f %7.3f\n", substr(c, 1, 32), w, u, r/1024, 100*r*1024/b, w/f, u/fu }'
done <<LIST
suspects
threads
dominators
dominators --from $tid
top-retained --by-thread
top-retained --by-class
top-retained --by-classloader
path $tid
path --include-weak $tid
LIST
